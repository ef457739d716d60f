//! Versions of documents, diffs and exports: `/api/documents/{id}/versions`, `/api/versions/…`,
//! `/api/documents/{id}/diff`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::caller::Caller;
use super::caller::identity;
use super::documents::authorise_document;
use super::json::{Body, time};
use super::views::{Names, UserRef};
use crate::auth::{Access, Denied, Grant, Identity};
use crate::domain::policy;
use crate::error::{Error, Result};
use crate::export::{DocumentInfo, Format};
use crate::ids::DocumentId;
use crate::model::Blocks;
use crate::store::versions::VersionRow;
use crate::workflow::facts::document_facts;
use crate::workflow::versions::{Side, version_blocks};

/// Named versions one document may have (each keeps the whole text).
const MAX_VERSIONS: i64 = 500;

#[derive(Serialize, ToSchema)]
pub struct VersionSummary {
    id: i64,
    document_id: String,
    number: i64,
    name: String,
    /// "named", "submitted", "shared" or "frozen".
    kind: String,
    created_at: String,
    created_by: Option<UserRef>,
}

#[derive(Serialize, ToSchema)]
pub struct Version {
    #[serde(flatten)]
    summary: VersionSummary,
    /// The text: blocks with inline marks (server/model).
    #[schema(value_type = Object)]
    blocks: Blocks,
}

#[derive(Deserialize, ToSchema)]
pub struct NewVersion {
    name: String,
}

#[derive(Deserialize)]
pub struct DiffQuery {
    /// A version id.
    from: i64,
    /// A version id, or "live" (default) for the text now.
    to: Option<String>,
    /// "json" (default) or "html".
    format: Option<String>,
}

#[derive(Deserialize)]
pub struct ExportQuery {
    /// pdf, docx, html or md.
    format: String,
}

/// The caller's access to a document, as for the WebSocket.
async fn access(state: &AppState, headers: &HeaderMap, document: &str) -> Result<Grant> {
    let id = DocumentId::parse(document).ok_or(Error::InvalidDocumentId)?;
    authorise_document(state, headers, None, &id).await
}

/// Which kinds of version of `document` the caller may see (on top of reading the document):
/// `None` for all.
async fn visible_kinds(
    state: &AppState,
    headers: &HeaderMap,
    document: &str,
) -> Result<Box<dyn Fn(&str) -> bool + Send + Sync>> {
    let facts = document_facts(&state.store, document).await?;
    Ok(match identity(state, headers, None).await? {
        Some((Identity::Person(p), _)) => {
            Box::new(move |kind: &str| policy::version_visible(&p, &facts, kind))
        }
        // Document tokens are for scripts of whoever runs the server.
        _ => Box::new(|_: &str| true),
    })
}

/// A version the caller may read: they may read its document and see its kind. 404 otherwise.
pub async fn readable_version(
    state: &AppState,
    headers: &HeaderMap,
    id: i64,
) -> Result<VersionRow> {
    let v = state
        .store
        .version(id)
        .await?
        .ok_or_else(|| Error::not_found("versionen findes ikke"))?;
    match access(state, headers, &v.document_id).await {
        Ok(_) => {}
        Err(Error::Denied(Denied::Forbidden | Denied::WrongDocument)) => {
            return Err(Error::not_found("versionen findes ikke"));
        }
        Err(e) => return Err(e),
    }
    if !visible_kinds(state, headers, &v.document_id).await?(&v.kind) {
        return Err(Error::not_found("versionen findes ikke"));
    }
    Ok(v)
}

async fn summaries(state: &AppState, rows: Vec<VersionRow>) -> Result<Vec<VersionSummary>> {
    let names = Names::load(&state.store, rows.iter().filter_map(|v| v.created_by)).await?;
    Ok(rows
        .into_iter()
        .map(|v| VersionSummary {
            id: v.id,
            document_id: v.document_id,
            number: v.number,
            name: v.name,
            kind: v.kind,
            created_at: time(v.created_at),
            created_by: names.get(v.created_by),
        })
        .collect())
}

/// The versions of a document, oldest first.
#[utoipa::path(get, path = "/api/documents/{document_id}/versions", tag = "versions",
    responses((status = 200, body = [VersionSummary]), (status = 403)))]
pub async fn list(
    State(state): State<Arc<AppState>>,
    Path(document_id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Vec<VersionSummary>>> {
    access(&state, &headers, &document_id).await?;
    let visible = visible_kinds(&state, &headers, &document_id).await?;
    let rows = state
        .store
        .versions(&document_id)
        .await?
        .into_iter()
        .filter(|v| visible(&v.kind))
        .collect();
    Ok(Json(summaries(&state, rows).await?))
}

/// Names the document's committed text as a version ("Udkast 1 til HMU-mødet 25/9"); for those
/// who may write the document.
#[utoipa::path(post, path = "/api/documents/{document_id}/versions", tag = "versions", request_body = NewVersion,
    responses((status = 201, body = Version), (status = 403), (status = 422)))]
pub async fn create(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(document_id): Path<String>,
    headers: HeaderMap,
    Body(req): Body<NewVersion>,
) -> Result<(StatusCode, Json<Version>)> {
    let grant = access(&state, &headers, &document_id).await?;
    if grant.access != Access::ReadWrite {
        return Err(Error::forbidden(
            "kun de, der kan redigere teksten, kan navngive en version",
        ));
    }
    let name = req.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(Error::invalid("navnet skal være 1–200 tegn"));
    }
    if state.store.version_count(&document_id).await? >= MAX_VERSIONS {
        return Err(Error::Conflict(format!(
            "dokumentet har allerede {MAX_VERSIONS} versioner"
        )));
    }
    let hearing = hearing_of(&state, &document_id).await?;
    let id = state
        .round
        .create_version(
            &document_id,
            "named",
            name,
            Some(caller.principal.user),
            hearing,
        )
        .await?;
    // The other chair's open workspace lists the versions: it reads them again.
    if let Some(hearing) = hearing {
        state
            .hub
            .events()
            .send(crate::docs::DocEvent::Hearing(hearing));
    }
    let v = readable_version(&state, &headers, id).await?;
    Ok((StatusCode::CREATED, Json(view(&state, v).await?)))
}

/// The hearing a document belongs to, for the audit log.
async fn hearing_of(state: &AppState, document: &str) -> Result<Option<i64>> {
    if let Some(r) = state.store.response_by_document(document).await? {
        return Ok(Some(r.hearing_id));
    }
    Ok(state
        .store
        .hearing_by_joint_document(document)
        .await?
        .map(|h| h.id))
}

async fn view(state: &AppState, v: VersionRow) -> Result<Version> {
    let blocks = version_blocks(&v)?;
    let summary = summaries(state, vec![v]).await?.remove(0);
    Ok(Version { summary, blocks })
}

/// A version with its text.
#[utoipa::path(get, path = "/api/versions/{id}", tag = "versions",
    responses((status = 200, body = Version), (status = 404)))]
pub async fn get(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Json<Version>> {
    let v = readable_version(&state, &headers, id).await?;
    Ok(Json(view(&state, v).await?))
}

/// A version exported as PDF, DOCX, HTML or Markdown.
#[utoipa::path(get, path = "/api/versions/{id}/export", tag = "versions",
    params(("format" = String, Query, description = "pdf, docx, html or md")),
    responses((status = 200, description = "the file"), (status = 404), (status = 422)))]
pub async fn export(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    Query(q): Query<ExportQuery>,
    headers: HeaderMap,
) -> Result<Response> {
    let v = readable_version(&state, &headers, id).await?;
    let format = Format::from_name(&q.format)
        .ok_or_else(|| Error::invalid("format skal være pdf, docx, html eller md"))?;
    let blocks = version_blocks(&v)?;
    let info = DocumentInfo {
        title: title_of(&state, &v).await?,
        version: Some(format!("Version {}: {}", v.number, v.name)),
        ..DocumentInfo::default()
    };
    file_response(&blocks, &info, format)
}

/// A document's title for exports: the first heading, or what the document is.
async fn title_of(state: &AppState, v: &VersionRow) -> Result<String> {
    let blocks = version_blocks(v)?;
    if let Some(h) = blocks
        .blocks
        .iter()
        .find(|b| matches!(b.kind, crate::model::BlockKind::Heading { .. }))
    {
        return Ok(h.text());
    }
    Ok(
        match state.store.response_by_document(&v.document_id).await? {
            Some(_) => "Høringssvar".to_owned(),
            None => "Fælles høringssvar".to_owned(),
        },
    )
}

/// Renders `blocks` in `format` as a download.
pub fn file_response(blocks: &Blocks, info: &DocumentInfo, format: Format) -> Result<Response> {
    let bytes =
        crate::export::render(blocks, info, format).map_err(|e| Error::Internal(e.to_string()))?;
    let name = crate::export::file_name(&info.title, format);
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                super::files::disposition(&name),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// Makes the live document read as the version (as new edits, so nothing is lost: the text it
/// replaces stays in the earlier versions).
#[utoipa::path(post, path = "/api/versions/{id}/restore", tag = "versions",
    responses((status = 200, body = VersionSummary), (status = 403), (status = 404), (status = 409)))]
pub async fn restore(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Json<VersionSummary>> {
    let v = readable_version(&state, &headers, id).await?;
    let grant = access(&state, &headers, &v.document_id).await?;
    if grant.access != Access::ReadWrite {
        return Err(Error::forbidden("du kan ikke redigere teksten"));
    }
    let blocks = version_blocks(&v)?;
    state
        .round
        .edit_live(&v.document_id, grant, move |txn| {
            crate::model::write::replace_all(txn, &blocks);
            Ok(())
        })
        .await?;
    let hearing = hearing_of(&state, &v.document_id).await?;
    state
        .store
        .audit(
            Some(caller.principal.user),
            "version.restored",
            hearing,
            serde_json::json!({ "version": v.id, "document": v.document_id }),
        )
        .await?;
    Ok(Json(summaries(&state, vec![v]).await?.remove(0)))
}

/// The changes between a version and another version or the live text, with who made them: as
/// JSON, or as accessible HTML (`<ins>`/`<del>` with text labels).
#[utoipa::path(get, path = "/api/documents/{document_id}/diff", tag = "versions",
    params(("from" = i64, Query), ("to" = Option<String>, Query, description = "a version id or 'live'"),
           ("format" = Option<String>, Query, description = "json, html (a fragment) or page (a standalone page with its stylesheet)")),
    responses((status = 200, description = "the diff"), (status = 403), (status = 404), (status = 422)))]
pub async fn diff(
    State(state): State<Arc<AppState>>,
    Path(document_id): Path<String>,
    Query(q): Query<DiffQuery>,
    headers: HeaderMap,
) -> Result<Response> {
    access(&state, &headers, &document_id).await?;
    let from = readable_version(&state, &headers, q.from).await?;
    if from.document_id != document_id {
        return Err(Error::invalid("versionen hører til et andet dokument"));
    }
    let old = state.round.version_side(&from).await?;
    let new: Side = match q.to.as_deref().unwrap_or("live") {
        "live" => state.round.live_side(&document_id).await?,
        other => {
            let id: i64 = other
                .parse()
                .map_err(|_| Error::invalid("to skal være et versions-id eller 'live'"))?;
            let to = readable_version(&state, &headers, id).await?;
            if to.document_id != document_id {
                return Err(Error::invalid("versionen hører til et andet dokument"));
            }
            state.round.version_side(&to).await?
        }
    };
    let diff = state.round.diff(&document_id, old, new).await?;
    match q.format.as_deref().unwrap_or("json") {
        "json" => Ok(Json(diff).into_response()),
        "html" => Ok(Html(crate::model::diff::render_html(&diff)).into_response()),
        "page" => {
            Ok(Html(crate::model::diff::render_html_page(&diff, "Ændringer")).into_response())
        }
        _ => Err(Error::invalid("format skal være json, html eller page")),
    }
}
