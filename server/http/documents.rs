//! Reading a live document over HTTP (the same authorisation as the WebSocket).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use serde::Deserialize;

use super::AppState;
use crate::auth::{Credentials, authorise};
use crate::error::{Error, Result};
use crate::ids::DocumentId;

#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

/// `GET /api/documents/{id}/content`: the committed content as canonical JSON. The token comes
/// from `Authorization: Bearer …` or the `token` query parameter.
pub async fn content(
    State(state): State<Arc<AppState>>,
    Path(document_id): Path<String>,
    Query(q): Query<TokenQuery>,
    headers: HeaderMap,
) -> Result<Json<serde_json::Value>> {
    let id = DocumentId::parse(&document_id).ok_or(Error::InvalidDocumentId)?;
    let bearer = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let token = bearer.or(q.token.as_deref());
    authorise(&state.tokens, &id, &Credentials { token })?;
    Ok(Json(state.hub.content(&id).await?))
}
