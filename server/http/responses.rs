//! LMU responses: `/api/responses/{id}`, submitting and reopening.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;
use super::caller::Caller;
use super::json::{time, time_opt};
use super::views::{CommitteeRef, Names, UserRef};
use crate::auth::Access;
use crate::domain::hearing::HearingState;
use crate::domain::policy::{self, Principal};
use crate::error::{Error, Result};
use crate::store::hearings::{ResponseRow, ResponseStatus};
use crate::store::now_millis;
use crate::workflow::facts::document_facts;

#[derive(Serialize, ToSchema)]
pub struct HearingRef {
    id: i64,
    title: String,
    state: HearingState,
    lmu_deadline: String,
}

#[derive(Serialize, ToSchema)]
pub struct ResponseCan {
    submit: bool,
    reopen: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Response {
    id: i64,
    hearing: HearingRef,
    committee: CommitteeRef,
    document_id: String,
    /// "draft" or "submitted".
    status: String,
    late: bool,
    submitted_at: Option<String>,
    submitted_by: Option<UserRef>,
    submitted_version_id: Option<i64>,
    /// What the caller may do with the text: "rw", "ro", or null (nothing: the secretariat
    /// after reopening a draft).
    access: Option<Access>,
    can: ResponseCan,
}

/// Loads a response the caller may open; 404 when they may not (a draft's existence is not
/// revealed outside its LMU).
async fn readable(state: &AppState, p: &Principal, id: i64) -> Result<(ResponseRow, Access)> {
    let r = state
        .store
        .response(id)
        .await?
        .ok_or_else(|| Error::not_found("svaret findes ikke"))?;
    let facts = document_facts(&state.store, &r.document_id).await?;
    let access = policy::document_access(p, &facts)
        .ok_or_else(|| Error::not_found("svaret findes ikke, eller du har ikke adgang til det"))?;
    Ok((r, access.min(policy::document_cap(&facts))))
}

async fn view(
    state: &AppState,
    p: &Principal,
    r: ResponseRow,
    access: Option<Access>,
) -> Result<Response> {
    let h = state
        .store
        .hearing(r.hearing_id)
        .await?
        .ok_or_else(|| Error::not_found("høringen findes ikke"))?;
    let committee = state
        .store
        .committee(r.committee_id)
        .await?
        .ok_or_else(|| Error::not_found("udvalget findes ikke"))?;
    let facts = document_facts(&state.store, &r.document_id).await?;
    let names = Names::load(&state.store, r.submitted_by).await?;
    Ok(Response {
        id: r.id,
        hearing: HearingRef {
            id: h.id,
            title: h.title,
            state: h.state,
            lmu_deadline: time(h.lmu_deadline),
        },
        committee: (&committee).into(),
        document_id: r.document_id.clone(),
        status: match r.status {
            ResponseStatus::Draft => "draft",
            ResponseStatus::Submitted => "submitted",
        }
        .into(),
        late: r.late,
        submitted_at: time_opt(r.submitted_at),
        submitted_by: names.get(r.submitted_by),
        submitted_version_id: r.submitted_version_id,
        access,
        can: ResponseCan {
            submit: policy::may_submit(p, &facts),
            reopen: policy::may_reopen(p, &facts, now_millis() < h.lmu_deadline),
        },
    })
}

/// An LMU's response: its status and what the caller may do.
#[utoipa::path(get, path = "/api/responses/{id}", tag = "responses",
    responses((status = 200, body = Response), (status = 404)))]
pub async fn get(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<Response>> {
    let (r, access) = readable(&state, &caller.principal, id).await?;
    Ok(Json(
        view(&state, &caller.principal, r, Some(access)).await?,
    ))
}

/// The LMU's chair submits the response: its text is kept as a version and becomes read-only.
#[utoipa::path(post, path = "/api/responses/{id}/submit", tag = "responses",
    responses((status = 200, body = Response), (status = 403), (status = 404), (status = 409)))]
pub async fn submit(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<Response>> {
    let p = &caller.principal;
    let (r, _) = readable(&state, p, id).await?;
    state.round.submit_response(p, &r).await?;
    let (r, access) = readable(&state, p, id).await?;
    Ok(Json(view(&state, p, r, Some(access)).await?))
}

/// The secretariat reopens a submitted response before the LMU deadline.
#[utoipa::path(post, path = "/api/responses/{id}/reopen", tag = "responses",
    responses((status = 200, body = Response), (status = 403), (status = 404), (status = 409)))]
pub async fn reopen(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<Response>> {
    let p = &caller.principal;
    let (r, _) = readable(&state, p, id).await?;
    state.round.reopen_response(p, &r).await?;
    // A draft again: private to its LMU, so the secretariat may no longer read its text.
    let r = state
        .store
        .response(id)
        .await?
        .ok_or_else(|| Error::not_found("svaret findes ikke"))?;
    let facts = document_facts(&state.store, &r.document_id).await?;
    let access = policy::document_access(p, &facts).map(|a| a.min(policy::document_cap(&facts)));
    Ok(Json(view(&state, p, r, access).await?))
}
