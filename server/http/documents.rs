//! Live documents over HTTP: reading the committed content and writing an update, with the
//! same authorisation as the WebSocket.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::caller::{Via, identity, person};
use crate::auth::{Access, Denied, Grant, grant};
use crate::docs::{Applied, CloseReason};
use crate::error::{Error, Result};
use crate::ids::DocumentId;
use crate::workflow::facts::document_facts;

#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

/// Who may use `id`, and how: from the session cookie, a personal API token, or a document
/// token, checked against the document's place in its hearing. A cookie counts only for
/// requests from this server's own pages.
pub async fn authorise_document(
    state: &AppState,
    headers: &HeaderMap,
    query_token: Option<&str>,
    id: &DocumentId,
) -> Result<Grant> {
    let (who, cookie) = identity(state, headers, query_token)
        .await?
        .ok_or(Error::Denied(Denied::MissingToken))?;
    if cookie && !super::caller::same_origin(headers) {
        return Err(Error::Denied(Denied::Forbidden));
    }
    let facts = document_facts(&state.store, id.as_str()).await?;
    Ok(grant(&who, id, &facts)?)
}

/// `GET /api/documents/{id}/content`: the committed content as canonical JSON.
#[utoipa::path(get, path = "/api/documents/{document_id}/content", tag = "documents",
    params(("document_id" = String, Path), ("token" = Option<String>, Query)),
    responses((status = 200, description = "the content"), (status = 401), (status = 403), (status = 404)))]
pub async fn content(
    State(state): State<Arc<AppState>>,
    Path(document_id): Path<String>,
    Query(q): Query<TokenQuery>,
    headers: HeaderMap,
) -> Result<Json<serde_json::Value>> {
    let id = DocumentId::parse(&document_id).ok_or(Error::InvalidDocumentId)?;
    authorise_document(&state, &headers, q.token.as_deref(), &id).await?;
    Ok(Json(state.hub.content(&id).await?))
}

#[derive(Serialize, ToSchema)]
pub struct UpdateResult {
    /// "committed" or "empty" (the update held nothing new).
    status: String,
}

/// `POST /api/documents/{id}/updates`: a Yjs v1 update (`application/octet-stream`), validated,
/// committed and broadcast like one sent over the WebSocket.
#[utoipa::path(post, path = "/api/documents/{document_id}/updates", tag = "documents",
    params(("document_id" = String, Path), ("token" = Option<String>, Query)),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = UpdateResult), (status = 400, description = "not a valid update"),
              (status = 403, description = "read-only"), (status = 409, description = "the document is locked")))]
pub async fn update(
    State(state): State<Arc<AppState>>,
    Path(document_id): Path<String>,
    Query(q): Query<TokenQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<UpdateResult>> {
    let id = DocumentId::parse(&document_id).ok_or(Error::InvalidDocumentId)?;
    // Cookie-authenticated writes need the CSRF token like any other.
    if let Some(caller) = person(&state.store, &headers, q.token.as_deref()).await?
        && let Via::Cookie { csrf, .. } = &caller.via
    {
        let sent = headers
            .get(super::caller::CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !crate::auth::secret::same(sent, csrf) {
            return Err(Error::Csrf);
        }
    }
    let grant = authorise_document(&state, &headers, q.token.as_deref(), &id).await?;
    if grant.access == Access::ReadOnly {
        return Err(Error::forbidden("dokumentet er skrivebeskyttet for dig"));
    }
    if body.len() > state.ws.max_frame_bytes {
        return Err(Error::TooLarge("opdateringen er for stor".into()));
    }
    let outcome = state
        .hub
        .apply_http_update(&id, grant.user, grant.access, body)
        .await?;
    match outcome {
        Applied::Committed => Ok(Json(UpdateResult {
            status: "committed".into(),
        })),
        Applied::Empty => Ok(Json(UpdateResult {
            status: "empty".into(),
        })),
        Applied::ReadOnly => Err(Error::Conflict(
            "dokumentet er låst; ændringen er ikke gemt".into(),
        )),
        Applied::Refused(reason) if reason == CloseReason::LOCKED => Err(Error::Conflict(
            "dokumentet er låst; ændringen er ikke gemt".into(),
        )),
        Applied::Refused(reason) if reason == CloseReason::DOCUMENT_TOO_LARGE => {
            Err(Error::TooLarge("dokumentet er for stort".into()))
        }
        Applied::Refused(reason) => Err(Error::BadRequest(format!(
            "opdateringen blev afvist ({})",
            reason.reason
        ))),
    }
}
