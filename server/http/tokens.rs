//! Personal API tokens for scripts: `/api/tokens`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::caller::{API_TOKEN_PREFIX, Caller};
use super::json::{Body, time, time_opt};
use crate::auth::secret;
use crate::error::{Error, Result};

/// API tokens one person may have.
const MAX_TOKENS: usize = 50;

#[derive(Serialize, ToSchema)]
pub struct ApiToken {
    id: i64,
    name: String,
    created_at: String,
    last_used_at: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct NewToken {
    name: String,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedToken {
    id: i64,
    name: String,
    /// Shown only now; use it as `Authorization: Bearer …`.
    token: String,
}

/// The caller's API tokens.
#[utoipa::path(get, path = "/api/tokens", tag = "session", responses((status = 200, body = [ApiToken])))]
pub async fn list(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> Result<Json<Vec<ApiToken>>> {
    let rows = state.store.api_tokens(caller.principal.user).await?;
    Ok(Json(
        rows.into_iter()
            .map(|t| ApiToken {
                id: t.id,
                name: t.name,
                created_at: time(t.created_at),
                last_used_at: time_opt(t.last_used_at),
            })
            .collect(),
    ))
}

/// Creates an API token; the token itself is shown only in this answer.
#[utoipa::path(post, path = "/api/tokens", tag = "session", request_body = NewToken,
    responses((status = 201, body = CreatedToken), (status = 422, description = "ugyldigt navn")))]
pub async fn create(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Body(req): Body<NewToken>,
) -> Result<(StatusCode, Json<CreatedToken>)> {
    let name = req.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Error::invalid("navnet skal være 1–100 tegn"));
    }
    if state.store.api_tokens(caller.principal.user).await?.len() >= MAX_TOKENS {
        return Err(Error::Conflict(format!(
            "du har allerede {MAX_TOKENS} API-tokens; slet nogle, før du opretter flere"
        )));
    }
    let token = format!("{API_TOKEN_PREFIX}{}", secret::random_token());
    let row = state
        .store
        .create_api_token(caller.principal.user, name, &secret::digest(&token))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedToken {
            id: row.id,
            name: row.name,
            token,
        }),
    ))
}

/// Revokes one of the caller's API tokens.
#[utoipa::path(delete, path = "/api/tokens/{id}", tag = "session",
    responses((status = 204), (status = 404, description = "findes ikke")))]
pub async fn delete(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    if state
        .store
        .delete_api_token(caller.principal.user, id)
        .await?
    {
        // Connections opened with the token do not outlive it: the person's connections
        // reconnect and are authorised anew (those that used the token are refused).
        state.hub.reauthorise(caller.principal.user);
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Error::not_found("tokenet findes ikke"))
    }
}
