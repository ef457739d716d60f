//! The main committee and its LMUs: `/api/committees`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;
use super::caller::Caller;
use super::views::{CommitteeRef, UserRef};
use crate::domain::policy::Role;
use crate::error::{Error, Result};

#[derive(Serialize, ToSchema)]
pub struct Committee {
    #[serde(flatten)]
    committee: CommitteeRef,
    parent_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct Member {
    user: UserRef,
    email: String,
    role: Role,
}

/// Every committee: the main committee first, then its LMUs.
#[utoipa::path(get, path = "/api/committees", tag = "committees", responses((status = 200, body = [Committee])))]
pub async fn list(
    State(state): State<Arc<AppState>>,
    _caller: Caller,
) -> Result<Json<Vec<Committee>>> {
    let rows = state.store.committees().await?;
    Ok(Json(
        rows.iter()
            .map(|c| Committee {
                committee: c.into(),
                parent_id: c.parent_id,
            })
            .collect(),
    ))
}

/// A committee's members: for the secretariat and the committee's own members.
#[utoipa::path(get, path = "/api/committees/{id}/members", tag = "committees",
    responses((status = 200, body = [Member]), (status = 403), (status = 404)))]
pub async fn members(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Member>>> {
    if state.store.committee(id).await?.is_none() {
        return Err(Error::not_found("udvalget findes ikke"));
    }
    let p = &caller.principal;
    if !p.secretariat && p.role_in(id).is_none() {
        return Err(Error::forbidden(
            "kun udvalgets medlemmer og sekretariatet kan se medlemslisten",
        ));
    }
    let rows = state.store.members(id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|(u, role)| Member {
                user: UserRef {
                    id: u.id,
                    name: u.name,
                },
                email: u.email,
                role,
            })
            .collect(),
    ))
}
