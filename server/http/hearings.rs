//! Hearings: `/api/hearings…` — "Mine høringer", creating and changing a hearing, opening it,
//! closing the collection, and its audit log.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::caller::Caller;
use super::json::{Body, parse_time, time};
use super::views::{CommitteeRef, Names, UserRef};
use crate::domain::hearing::HearingState;
use crate::domain::policy::{self, HearingFacts, Principal};
use crate::error::{Error, Result};
use crate::store::hearings::{HearingPatch, HearingRow, NewHearing, ResponseRow, ResponseStatus};
use crate::store::people::CommitteeRow;
use crate::workflow::facts::hearing_facts;

#[derive(Serialize, ToSchema)]
pub struct MyResponse {
    id: i64,
    committee: CommitteeRef,
    /// "draft" or "submitted".
    status: String,
    late: bool,
}

#[derive(Serialize, ToSchema)]
pub struct HearingSummary {
    id: i64,
    title: String,
    issuing_body: String,
    state: HearingState,
    lmu_deadline: String,
    hmu_deadline: String,
    committee: CommitteeRef,
    /// The responses of the caller's own LMUs.
    my_responses: Vec<MyResponse>,
}

#[derive(Serialize, ToSchema)]
pub struct HearingFile {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_at: String,
    pub uploaded_by: Option<UserRef>,
}

#[derive(Serialize, ToSchema)]
pub struct Can {
    edit: bool,
    open: bool,
    close: bool,
    upload: bool,
    audit: bool,
    /// Use the consolidation workspace (the HMU chairs, while the joint response is editable).
    consolidate: bool,
    /// Share the joint response for review.
    share: bool,
    /// Read the review of the joint response (once shared; the HMU and the secretariat).
    review: bool,
    /// Read the provenance report (the HMU and the secretariat, once they may read the joint
    /// response).
    report: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Hearing {
    #[serde(flatten)]
    summary: HearingSummary,
    description: String,
    created_at: String,
    invited: Vec<CommitteeRef>,
    files: Vec<HearingFile>,
    joint_document_id: Option<String>,
    /// How the chairs approve: {"kind": "all"} or {"kind": "quorum", "chairs": n}.
    approval_rule: crate::domain::approval::Rule,
    can: Can,
}

#[derive(Deserialize, ToSchema)]
pub struct CreateHearing {
    committee_id: i64,
    title: String,
    issuing_body: String,
    #[serde(default)]
    description: String,
    /// RFC 3339, UTC.
    lmu_deadline: String,
    hmu_deadline: String,
    invited: Vec<i64>,
    /// How many HMU chairs must approve the joint response; null or absent: all of them.
    #[serde(default)]
    approval_quorum: Option<i64>,
}

/// Absent: `None`; null: `Some(None)`; a value: `Some(Some(v))`.
fn double<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(d).map(Some)
}

fn check_quorum(q: Option<i64>) -> Result<()> {
    match q {
        Some(n) if !(1..=50).contains(&n) => Err(Error::invalid(
            "approval_quorum skal være et antal formandskabsmedlemmer (1–50) eller null (alle)",
        )),
        _ => Ok(()),
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct PatchHearing {
    title: Option<String>,
    issuing_body: Option<String>,
    description: Option<String>,
    lmu_deadline: Option<String>,
    hmu_deadline: Option<String>,
    invited: Option<Vec<i64>>,
    #[serde(default, deserialize_with = "double")]
    #[schema(value_type = Option<i64>)]
    approval_quorum: Option<Option<i64>>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntry {
    id: i64,
    at: String,
    user: Option<UserRef>,
    action: String,
    hearing_id: Option<i64>,
    detail: serde_json::Value,
}

#[derive(Deserialize)]
pub struct AuditQuery {
    limit: Option<i64>,
}

fn committee_ref(committees: &[CommitteeRow], id: i64) -> CommitteeRef {
    committees
        .iter()
        .find(|c| c.id == id)
        .map(CommitteeRef::from)
        .unwrap_or(CommitteeRef {
            id,
            name: String::new(),
            short_name: String::new(),
            kind: String::new(),
        })
}

fn status_name(r: &ResponseRow) -> &'static str {
    match r.status {
        ResponseStatus::Draft => "draft",
        ResponseStatus::Submitted => "submitted",
    }
}

fn summary(
    h: &HearingRow,
    p: &Principal,
    committees: &[CommitteeRow],
    responses: &[ResponseRow],
) -> HearingSummary {
    HearingSummary {
        id: h.id,
        title: h.title.clone(),
        issuing_body: h.issuing_body.clone(),
        state: h.state,
        lmu_deadline: time(h.lmu_deadline),
        hmu_deadline: time(h.hmu_deadline),
        committee: committee_ref(committees, h.committee_id),
        my_responses: responses
            .iter()
            .filter(|r| p.role_in(r.committee_id).is_some())
            .map(|r| MyResponse {
                id: r.id,
                committee: committee_ref(committees, r.committee_id),
                status: status_name(r).to_owned(),
                late: r.late,
            })
            .collect(),
    }
}

/// Loads a hearing the caller may see; 404 otherwise (its existence is not revealed).
pub async fn visible(
    state: &AppState,
    p: &Principal,
    id: i64,
) -> Result<(HearingRow, HearingFacts)> {
    let h = state.store.hearing(id).await?;
    let Some(h) = h else {
        return Err(Error::not_found("høringen findes ikke"));
    };
    let facts = hearing_facts(&state.store, &h).await?;
    if !policy::see_hearing(p, &facts) {
        return Err(Error::not_found("høringen findes ikke"));
    }
    Ok((h, facts))
}

async fn view(
    state: &AppState,
    p: &Principal,
    h: &HearingRow,
    facts: &HearingFacts,
) -> Result<Hearing> {
    let committees = state.store.committees().await?;
    let responses = state.store.responses(h.id).await?;
    let files = state.store.files(h.id).await?;
    let names = Names::load(&state.store, files.iter().map(|f| f.uploaded_by)).await?;
    let manage = policy::may_manage_hearings(p);
    let joint_readable = policy::document_access(
        p,
        &policy::DocumentFacts::Joint {
            hearing: facts.clone(),
        },
    )
    .is_some();
    Ok(Hearing {
        summary: summary(h, p, &committees, &responses),
        description: h.description.clone(),
        created_at: time(h.created_at),
        invited: facts
            .invited
            .iter()
            .map(|c| committee_ref(&committees, *c))
            .collect(),
        files: files
            .into_iter()
            .map(|f| HearingFile {
                id: f.id,
                name: f.name,
                content_type: f.content_type,
                size: f.size,
                sha256: f.sha256,
                uploaded_at: time(f.uploaded_at),
                uploaded_by: names.get(Some(f.uploaded_by)),
            })
            .collect(),
        joint_document_id: h.joint_document_id.clone(),
        approval_rule: crate::domain::approval::Rule::from_quorum(h.approval_quorum),
        can: Can {
            edit: manage && matches!(h.state, HearingState::Draft | HearingState::Collecting),
            open: manage && h.state == HearingState::Draft,
            close: policy::may_close(p, facts)
                && h.state == HearingState::Collecting
                && crate::domain::hearing::may_close(
                    h.lmu_deadline,
                    crate::store::now_millis(),
                    responses
                        .iter()
                        .filter(|r| r.status == ResponseStatus::Submitted)
                        .count(),
                    responses.len(),
                ),
            upload: manage && matches!(h.state, HearingState::Draft | HearingState::Collecting),
            audit: p.secretariat,
            consolidate: policy::is_hmu_chair(p, facts) && h.state.joint_editable(),
            share: policy::is_hmu_chair(p, facts)
                && matches!(
                    h.state,
                    HearingState::Consolidating | HearingState::InReview
                ),
            review: matches!(
                h.state,
                HearingState::InReview | HearingState::Approved | HearingState::Frozen
            ) && joint_readable
                && policy::in_hmu_work(p, facts),
            report: h.state != HearingState::Draft
                && joint_readable
                && policy::in_hmu_work(p, facts),
        },
    })
}

/// "Mine høringer": every hearing the caller can see, latest deadline first.
#[utoipa::path(get, path = "/api/hearings", tag = "hearings", responses((status = 200, body = [HearingSummary])))]
pub async fn list(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> Result<Json<Vec<HearingSummary>>> {
    let p = &caller.principal;
    let committees = state.store.committees().await?;
    let mut out = Vec::new();
    for h in state.store.hearings().await? {
        let facts = hearing_facts(&state.store, &h).await?;
        if policy::see_hearing(p, &facts) {
            let responses = state.store.responses(h.id).await?;
            out.push(summary(&h, p, &committees, &responses));
        }
    }
    Ok(Json(out))
}

/// Creates a hearing (state `draft`). Secretariat only.
#[utoipa::path(post, path = "/api/hearings", tag = "hearings", request_body = CreateHearing,
    responses((status = 201, body = Hearing), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Body(req): Body<CreateHearing>,
) -> Result<(StatusCode, Json<Hearing>)> {
    let p = &caller.principal;
    let new = NewHearing {
        committee_id: req.committee_id,
        title: req.title,
        issuing_body: req.issuing_body,
        description: req.description,
        lmu_deadline: parse_time(&req.lmu_deadline, "lmu_deadline")?,
        hmu_deadline: parse_time(&req.hmu_deadline, "hmu_deadline")?,
        invited: req.invited,
        approval_quorum: req.approval_quorum,
    };
    check_quorum(new.approval_quorum)?;
    let id = state.round.create_hearing(p, new).await?;
    let (h, facts) = visible(&state, p, id).await?;
    Ok((
        StatusCode::CREATED,
        Json(view(&state, p, &h, &facts).await?),
    ))
}

/// A hearing with its material, invited LMUs and what the caller may do.
#[utoipa::path(get, path = "/api/hearings/{id}", tag = "hearings",
    responses((status = 200, body = Hearing), (status = 404)))]
pub async fn get(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<Hearing>> {
    let p = &caller.principal;
    let (h, facts) = visible(&state, p, id).await?;
    Ok(Json(view(&state, p, &h, &facts).await?))
}

/// Changes a hearing's fields (secretariat; `invited` only while it is a draft).
#[utoipa::path(patch, path = "/api/hearings/{id}", tag = "hearings", request_body = PatchHearing,
    responses((status = 200, body = Hearing), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn patch(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(req): Body<PatchHearing>,
) -> Result<Json<Hearing>> {
    let p = &caller.principal;
    let (h, _) = visible(&state, p, id).await?;
    let patch = HearingPatch {
        title: req.title,
        issuing_body: req.issuing_body,
        description: req.description,
        lmu_deadline: req
            .lmu_deadline
            .map(|t| parse_time(&t, "lmu_deadline"))
            .transpose()?,
        hmu_deadline: req
            .hmu_deadline
            .map(|t| parse_time(&t, "hmu_deadline"))
            .transpose()?,
        invited: req.invited,
        approval_quorum: req.approval_quorum,
    };
    if let Some(q) = patch.approval_quorum {
        check_quorum(q)?;
    }
    state.round.update_hearing(p, &h, patch).await?;
    let (h, facts) = visible(&state, p, id).await?;
    Ok(Json(view(&state, p, &h, &facts).await?))
}

/// Sends the hearing out: `draft` → `collecting`, one response document per invited LMU.
#[utoipa::path(post, path = "/api/hearings/{id}/open", tag = "hearings",
    responses((status = 200, body = Hearing), (status = 403), (status = 404), (status = 409)))]
pub async fn open(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<Hearing>> {
    let p = &caller.principal;
    let (h, _) = visible(&state, p, id).await?;
    state.round.open_hearing(p, &h).await?;
    let (h, facts) = visible(&state, p, id).await?;
    Ok(Json(view(&state, p, &h, &facts).await?))
}

/// Ends the collection of responses: `collecting` → `consolidating`.
#[utoipa::path(post, path = "/api/hearings/{id}/close", tag = "hearings",
    responses((status = 200, body = Hearing), (status = 403), (status = 404), (status = 409)))]
pub async fn close(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<Hearing>> {
    let p = &caller.principal;
    let (h, _) = visible(&state, p, id).await?;
    state.round.close_hearing(Some(p), &h).await?;
    let (h, facts) = visible(&state, p, id).await?;
    Ok(Json(view(&state, p, &h, &facts).await?))
}

/// The whole audit log (hearings, meetings, filing), newest first (secretariat).
#[utoipa::path(get, path = "/api/audit", tag = "hearings",
    params(("limit" = Option<i64>, Query, description = "at most this many (default 500)")),
    responses((status = 200, body = [AuditEntry]), (status = 403)))]
pub async fn audit_all(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Vec<AuditEntry>>> {
    if !caller.principal.secretariat {
        return Err(Error::forbidden("kun sekretariatet kan læse loggen"));
    }
    let rows = state
        .store
        .audit_all(q.limit.unwrap_or(500).clamp(1, 5000))
        .await?;
    Ok(Json(rows.into_iter().map(entry).collect()))
}

fn entry(a: crate::store::audit::AuditRow) -> AuditEntry {
    AuditEntry {
        id: a.id,
        at: time(a.at),
        user: a
            .user_id
            .zip(a.user_name)
            .map(|(id, name)| UserRef { id, name }),
        action: a.action,
        hearing_id: a.hearing_id,
        detail: a.detail,
    }
}

/// The hearing's audit log, newest first (secretariat).
#[utoipa::path(get, path = "/api/hearings/{id}/audit", tag = "hearings",
    params(("limit" = Option<i64>, Query, description = "at most this many (default 500)")),
    responses((status = 200, body = [AuditEntry]), (status = 403), (status = 404)))]
pub async fn audit(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Vec<AuditEntry>>> {
    let p = &caller.principal;
    visible(&state, p, id).await?;
    if !p.secretariat {
        return Err(Error::forbidden("kun sekretariatet kan læse loggen"));
    }
    let rows = state
        .store
        .audit_log(id, q.limit.unwrap_or(500).clamp(1, 5000))
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|a| AuditEntry {
                id: a.id,
                at: time(a.at),
                user: a
                    .user_id
                    .zip(a.user_name)
                    .map(|(id, name)| UserRef { id, name }),
                action: a.action,
                hearing_id: a.hearing_id,
                detail: a.detail,
            })
            .collect(),
    ))
}
