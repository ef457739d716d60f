//! The consolidation workspace for the HMU chairs: `/api/hearings/{id}/consolidation`, taking
//! passages into the joint response, and the provenance report.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::caller::Caller;
use super::hearings::visible;
use super::json::{Body, time_opt};
use super::views::CommitteeRef;
use crate::auth::{Access, Grant};
use crate::domain::hearing::HearingState;
use crate::domain::policy::{self, DocumentFacts};
use crate::error::{Error, Result};
use crate::model::Blocks;
use crate::model::provenance::{ResponseAlignment, Section};

#[derive(Serialize, ToSchema)]
pub struct WorkspaceResponse {
    response_id: i64,
    committee: CommitteeRef,
    version_id: i64,
    submitted_at: Option<String>,
    late: bool,
    #[schema(value_type = Object)]
    blocks: Blocks,
    /// For each block: the most similar section and block of the joint draft.
    #[schema(value_type = Object)]
    alignment: Option<ResponseAlignment>,
}

#[derive(Serialize, ToSchema)]
pub struct Workspace {
    hearing_id: i64,
    state: HearingState,
    joint_document_id: String,
    /// The joint draft now.
    #[schema(value_type = Object)]
    joint: Blocks,
    #[schema(value_type = Vec<Object>)]
    sections: Vec<Section>,
    responses: Vec<WorkspaceResponse>,
    /// Whether the caller may edit the joint response now.
    can_edit: bool,
}

#[derive(Deserialize, ToSchema)]
pub struct TakePassage {
    /// The submitted response to take from.
    response_id: i64,
    /// Its blocks (indices into its version's blocks), in the order to insert them.
    blocks: Vec<u32>,
    /// Insert after this block of the joint response (null: at the start; past the end: at the
    /// end).
    after_block: Option<usize>,
}

#[derive(Serialize, ToSchema)]
pub struct Taken {
    inserted: usize,
}

/// The hearing and the caller's access to its joint response; only the HMU chairs use the
/// workspace.
async fn chairs_only(
    state: &AppState,
    caller: &Caller,
    id: i64,
) -> Result<(crate::store::hearings::HearingRow, Access)> {
    let p = &caller.principal;
    let (h, facts) = visible(state, p, id).await?;
    if !policy::is_hmu_chair(p, &facts) {
        return Err(Error::forbidden("kun HMU-formandskabet samler LMU-svarene"));
    }
    let doc = DocumentFacts::Joint { hearing: facts };
    let access = policy::document_access(p, &doc)
        .ok_or_else(|| Error::forbidden("du har ikke adgang til det fælles svar"))?;
    Ok((h, access))
}

/// The joint draft beside every submitted LMU response, aligned by similarity to its sections.
#[utoipa::path(get, path = "/api/hearings/{id}/consolidation", tag = "consolidation",
    responses((status = 200, body = Workspace), (status = 403), (status = 404), (status = 409)))]
pub async fn workspace(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<Workspace>> {
    let (h, access) = chairs_only(&state, &caller, id).await?;
    let (joint, submitted, alignment) = state.round.alignment(&h).await?;
    let committees = state.store.committees().await?;
    let responses = submitted
        .into_iter()
        .map(|s| {
            let committee = committees
                .iter()
                .find(|c| c.id == s.response.committee_id)
                .map(CommitteeRef::from)
                .unwrap_or(CommitteeRef {
                    id: s.response.committee_id,
                    name: s.committee.clone(),
                    short_name: s.committee.clone(),
                    kind: "local".into(),
                });
            WorkspaceResponse {
                response_id: s.response.id,
                alignment: alignment
                    .responses
                    .iter()
                    .find(|a| a.version == s.version_id)
                    .cloned(),
                committee,
                version_id: s.version_id,
                submitted_at: time_opt(s.response.submitted_at),
                late: s.response.late,
                blocks: s.blocks,
            }
        })
        .collect();
    Ok(Json(Workspace {
        hearing_id: h.id,
        state: h.state,
        joint_document_id: h.joint_document_id.clone().unwrap_or_default(),
        joint,
        sections: alignment.sections,
        responses,
        can_edit: access == Access::ReadWrite,
    }))
}

/// Takes passages of a submitted LMU response into the joint response, each marked with the
/// LMU, the version and the block it came from.
#[utoipa::path(post, path = "/api/hearings/{id}/passages", tag = "consolidation", request_body = TakePassage,
    responses((status = 200, body = Taken), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn take(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(req): Body<TakePassage>,
) -> Result<Json<Taken>> {
    let (h, access) = chairs_only(&state, &caller, id).await?;
    if access != Access::ReadWrite {
        return Err(Error::Conflict(format!(
            "høringen er {}; det fælles svar kan ikke redigeres",
            h.state.label()
        )));
    }
    if req.blocks.len() > 500 {
        return Err(Error::invalid("for mange afsnit på én gang"));
    }
    let grant = Grant {
        user: caller.principal.name.as_str().into(),
        access,
        person: Some(caller.principal.user),
    };
    let inserted = state
        .round
        .take_passage(&h, req.response_id, &req.blocks, req.after_block, grant)
        .await?;
    Ok(Json(Taken { inserted }))
}

/// The provenance report: for each paragraph of the joint response the LMUs it draws on (by
/// mark or by similarity), and for each LMU which of its points are reflected.
#[utoipa::path(get, path = "/api/hearings/{id}/provenance", tag = "consolidation",
    responses((status = 200, description = "the report (server/model/provenance.rs: Report) with the joint blocks"),
              (status = 403), (status = 404), (status = 409)))]
pub async fn provenance(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>> {
    let p = &caller.principal;
    let (h, facts) = visible(&state, p, id).await?;
    let joint = h
        .joint_document_id
        .clone()
        .ok_or_else(|| Error::Conflict("høringen er ikke sendt ud endnu".into()))?;
    // The report quotes every LMU's points: for those who may read the submitted responses
    // (the HMU and the secretariat), once they may read the joint response.
    if !policy::in_hmu_work(p, &facts) {
        return Err(Error::forbidden(
            "rapporten citerer LMU'ernes svar og er for HMU og sekretariatet",
        ));
    }
    if policy::document_access(p, &DocumentFacts::Joint { hearing: facts }).is_none() {
        return Err(Error::forbidden(
            "du har ikke adgang til det fælles svar endnu",
        ));
    }
    let (blocks, report) = state.round.provenance(&h).await?;
    Ok(Json(serde_json::json!({
        "hearing_id": h.id,
        "joint_document_id": joint,
        "joint": blocks,
        "report": report,
    })))
}
