//! The frozen record: reading it, verifying it against its hash, exporting it, and filing it
//! with a meeting; the meeting's agenda and minutes as documents, and their attachments.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::caller::Caller;
use super::hearings::visible;
use super::json::{Body, time};
use super::meetings::visible_meeting;
use super::versions::{file_response, readable_version};
use super::views::{Names, UserRef};
use crate::error::{Error, Result};
use crate::export::minutes::{self, Date, Kind, Time, TimeSlot};
use crate::export::{DocumentInfo, Format};
use crate::model::Blocks;
use crate::store::records::RecordRow;
use crate::workflow::review::verify;

#[derive(Serialize, ToSchema)]
pub struct Filed {
    meeting_id: i64,
    /// The meeting's date (YYYY-MM-DD).
    meeting_date: String,
    committee: String,
    agenda_item_id: i64,
    number: i64,
    title: String,
}

#[derive(Serialize, ToSchema)]
pub struct Record {
    id: i64,
    hearing_id: i64,
    title: String,
    version_id: i64,
    /// The canonical form the hash is taken over.
    form: String,
    sha256: String,
    /// The canonical HTML.
    html: String,
    #[schema(value_type = Object)]
    blocks: Blocks,
    /// [{id, name, at}]
    #[schema(value_type = Vec<Object>)]
    approved_by: serde_json::Value,
    frozen_at: String,
    frozen_by: Option<UserRef>,
    /// The LMU responses filed with it (their submitted versions).
    responses: Vec<RecordResponse>,
    filed: Vec<Filed>,
}

#[derive(Serialize, ToSchema)]
pub struct RecordResponse {
    committee: String,
    version_id: i64,
    late: bool,
    submitted_at: Option<String>,
    submitted_by: Option<UserRef>,
}

#[derive(Serialize, ToSchema)]
pub struct Verification {
    record_id: i64,
    ok: bool,
    sha256: String,
    /// Why it failed, in Danish.
    detail: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct FileBody {
    agenda_item_id: i64,
}

#[derive(Deserialize)]
pub struct ExportQuery {
    format: String,
}

#[derive(Deserialize)]
pub struct DocumentQuery {
    /// "agenda" or "minutes" (default: minutes once written, else the agenda).
    kind: Option<String>,
    /// "html" (default) or "pdf".
    format: Option<String>,
}

/// A record the caller may read: whoever sees its hearing.
async fn readable(state: &AppState, caller: &Caller, id: i64) -> Result<RecordRow> {
    let r = state
        .store
        .record(id)
        .await?
        .ok_or_else(|| Error::not_found("posten findes ikke"))?;
    visible(state, &caller.principal, r.hearing_id)
        .await
        .map_err(|_| Error::not_found("posten findes ikke"))?;
    Ok(r)
}

async fn view(state: &AppState, r: RecordRow) -> Result<Record> {
    let h = state
        .store
        .hearing(r.hearing_id)
        .await?
        .ok_or_else(|| Error::not_found("høringen findes ikke"))?;
    let submitted = state.round.submitted(h.id).await?;
    let names = Names::load(
        &state.store,
        submitted
            .iter()
            .filter_map(|s| s.response.submitted_by)
            .chain([r.frozen_by]),
    )
    .await?;
    let responses = submitted
        .into_iter()
        .map(|s| RecordResponse {
            committee: s.committee,
            version_id: s.version_id,
            late: s.response.late,
            submitted_at: s.response.submitted_at.map(time),
            submitted_by: names.get(s.response.submitted_by),
        })
        .collect();
    let mut filed = Vec::new();
    if let Some(item) = state.store.record_filed(r.id).await?
        && let Some(i) = state.store.item(item).await?
        && let Some(m) = state.store.meeting(i.meeting_id).await?
    {
        let committee = state
            .store
            .committee(m.committee_id)
            .await?
            .map(|c| c.name)
            .unwrap_or_default();
        filed.push(Filed {
            meeting_id: i.meeting_id,
            meeting_date: m.date,
            committee,
            agenda_item_id: i.id,
            number: i.number,
            title: i.title,
        });
    }
    Ok(Record {
        id: r.id,
        hearing_id: r.hearing_id,
        title: h.title,
        version_id: r.version_id,
        form: r.form,
        sha256: r.sha256,
        blocks: serde_json::from_str(&r.blocks).unwrap_or_default(),
        html: r.html,
        approved_by: serde_json::from_str(&r.approved_by).unwrap_or_default(),
        frozen_at: time(r.frozen_at),
        frozen_by: names.get(Some(r.frozen_by)),
        responses,
        filed,
    })
}

#[derive(Serialize, ToSchema)]
pub struct RecordSummary {
    id: i64,
    hearing_id: i64,
    title: String,
    sha256: String,
    frozen_at: String,
    /// Whether it is filed with a meeting.
    filed: bool,
}

/// The frozen records the caller may read, newest first.
#[utoipa::path(get, path = "/api/records", tag = "records", responses((status = 200, body = [RecordSummary])))]
pub async fn list(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> Result<Json<Vec<RecordSummary>>> {
    let mut out = Vec::new();
    for h in state.store.hearings().await? {
        if visible(&state, &caller.principal, h.id).await.is_err() {
            continue;
        }
        if let Some(r) = state.store.record_of_hearing(h.id).await? {
            out.push(RecordSummary {
                id: r.id,
                hearing_id: h.id,
                title: h.title,
                sha256: r.sha256,
                frozen_at: time(r.frozen_at),
                filed: state.store.record_filed(r.id).await?.is_some(),
            });
        }
    }
    out.sort_by(|a, b| b.frozen_at.cmp(&a.frozen_at));
    Ok(Json(out))
}

/// The record of a hearing (once frozen).
#[utoipa::path(get, path = "/api/hearings/{id}/record", tag = "records",
    responses((status = 200, body = Record), (status = 404)))]
pub async fn of_hearing(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<Record>> {
    visible(&state, &caller.principal, id).await?;
    let r = state
        .store
        .record_of_hearing(id)
        .await?
        .ok_or_else(|| Error::not_found("høringssvaret er ikke endeligt endnu"))?;
    Ok(Json(view(&state, r).await?))
}

/// A frozen record.
#[utoipa::path(get, path = "/api/records/{id}", tag = "records",
    responses((status = 200, body = Record), (status = 404)))]
pub async fn get(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<Record>> {
    let r = readable(&state, &caller, id).await?;
    Ok(Json(view(&state, r).await?))
}

/// Checks the record against its SHA-256 (and that its blocks still give its HTML).
#[utoipa::path(get, path = "/api/records/{id}/verify", tag = "records",
    responses((status = 200, body = Verification), (status = 404)))]
pub async fn check(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<Verification>> {
    let r = readable(&state, &caller, id).await?;
    let result = verify(&r.html, &r.blocks, &r.sha256);
    Ok(Json(Verification {
        record_id: r.id,
        ok: result.is_ok(),
        sha256: r.sha256,
        detail: result.err(),
    }))
}

/// The document header of a record's exports.
async fn record_info(state: &AppState, r: &RecordRow) -> Result<DocumentInfo> {
    let h = state
        .store
        .hearing(r.hearing_id)
        .await?
        .ok_or_else(|| Error::not_found("høringen findes ikke"))?;
    let committee = state.store.committee(h.committee_id).await?.map(|c| c.name);
    let approvals: Vec<serde_json::Value> =
        serde_json::from_str(&r.approved_by).unwrap_or_default();
    let approved_at = state
        .store
        .approvals(h.id)
        .await?
        .into_iter()
        .filter(|a| a.voided_at.is_none() && a.version_id == r.version_id)
        .map(|a| a.at)
        .max();
    Ok(DocumentInfo {
        title: format!("Høringssvar: {}", h.title),
        committee,
        version: Some("Endelig version".into()),
        approved_by: approvals
            .iter()
            .filter_map(|a| a["name"].as_str().map(str::to_owned))
            .collect(),
        approved_at: approved_at.map(crate::danish_time::format),
        sha256: Some(r.sha256.clone()),
    })
}

/// The record as PDF, DOCX, HTML or Markdown.
#[utoipa::path(get, path = "/api/records/{id}/export", tag = "records",
    params(("format" = String, Query, description = "pdf, docx, html or md")),
    responses((status = 200, description = "the file"), (status = 404), (status = 422)))]
pub async fn export(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(q): Query<ExportQuery>,
) -> Result<Response> {
    let r = readable(&state, &caller, id).await?;
    let format = Format::from_name(&q.format)
        .ok_or_else(|| Error::invalid("format skal være pdf, docx, html eller md"))?;
    let blocks: Blocks =
        serde_json::from_str(&r.blocks).map_err(|e| Error::Internal(e.to_string()))?;
    file_response(&blocks, &record_info(&state, &r).await?, format)
}

/// Files the record with an agenda item, each LMU's response under it (secretariat).
#[utoipa::path(post, path = "/api/records/{id}/file", tag = "records", request_body = FileBody,
    responses((status = 201, description = "filed"), (status = 403), (status = 404), (status = 409), (status = 422)))]
pub async fn file(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
    Body(b): Body<FileBody>,
) -> Result<(StatusCode, Json<serde_json::Value>)> {
    let r = readable(&state, &caller, id).await?;
    let ids = state
        .round
        .file_record(&caller.principal, &r, b.agenda_item_id)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "attachments": ids })),
    ))
}

/// The meeting's agenda or minutes in the layout of the committee's own, as HTML or PDF.
#[utoipa::path(get, path = "/api/meetings/{id}/document", tag = "meetings",
    params(("kind" = Option<String>, Query, description = "agenda or minutes"),
           ("format" = Option<String>, Query, description = "html or pdf")),
    responses((status = 200, description = "the document"), (status = 404), (status = 422)))]
pub async fn meeting_document(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(q): Query<DocumentQuery>,
) -> Result<Response> {
    let m = visible_meeting(&state, &caller.principal, id).await?;
    let kind = match q.kind.as_deref() {
        None if m.minutes => Kind::Minutes,
        None | Some("agenda") => Kind::Agenda,
        Some("minutes") => Kind::Minutes,
        Some(_) => return Err(Error::invalid("kind skal være agenda eller minutes")),
    };
    let committee = state
        .store
        .committee(m.committee_id)
        .await?
        .ok_or_else(|| Error::not_found("udvalget findes ikke"))?;
    let date = Date::parse_iso(&m.date)
        .ok_or_else(|| Error::Internal(format!("meeting {} date {}", m.id, m.date)))?;
    let meeting = minutes::Meeting {
        committee: committee.name.clone(),
        committee_short: Some(committee.short_name.clone()),
        kind,
        date,
        start: m.start_time.as_deref().and_then(Time::parse),
        end: m.end_time.as_deref().and_then(Time::parse),
        place: m.place.clone(),
        document_date: None,
        initials: Some(m.initials.clone()).filter(|s| !s.is_empty()),
    };
    let mut items = Vec::new();
    for i in state.store.items(m.id).await? {
        let attachments = state.store.attachments(i.id).await?;
        let time = match (
            i.time_start.as_deref().and_then(Time::parse),
            i.time_end.as_deref().and_then(Time::parse),
        ) {
            (Some(start), Some(end)) => Some(TimeSlot { start, end }),
            _ => None,
        };
        items.push(minutes::AgendaItem {
            number: u32::try_from(i.number).unwrap_or(0),
            title: i.title.clone(),
            time,
            case_number: Some(i.case_number.clone()).filter(|s| !s.is_empty()),
            recommendation: serde_json::from_str(&i.recommendation).unwrap_or_default(),
            presentation: minutes::text_blocks(&i.presentation),
            decision: minutes::text_blocks(&i.decision),
            attachments: attachment_tree(&attachments, None, 0),
        });
    }
    let name = format!(
        "{}-{}-{}",
        committee.short_name.to_lowercase(),
        if kind == Kind::Minutes {
            "referat"
        } else {
            "dagsorden"
        },
        m.date
    );
    match q.format.as_deref().unwrap_or("html") {
        "html" => Ok(Html(minutes::html(&meeting, &items)).into_response()),
        "pdf" => {
            let pdf = minutes::pdf(&meeting, &items).map_err(|e| Error::Internal(e.to_string()))?;
            Ok((
                [
                    (header::CONTENT_TYPE, "application/pdf".to_owned()),
                    (
                        header::CONTENT_DISPOSITION,
                        super::files::disposition(&format!("{name}.pdf")),
                    ),
                ],
                pdf,
            )
                .into_response())
        }
        _ => Err(Error::invalid("format skal være html eller pdf")),
    }
}

fn attachment_tree(
    rows: &[crate::store::meetings::AttachmentRow],
    parent: Option<i64>,
    depth: usize,
) -> Vec<minutes::Attachment> {
    if depth > 8 {
        return Vec::new();
    }
    rows.iter()
        .filter(|a| a.parent_id == parent)
        .map(|a| minutes::Attachment {
            title: a.title.clone(),
            href: Some(format!("/api/attachments/{}?format=pdf", a.id)),
            children: attachment_tree(rows, Some(a.id), depth + 1),
        })
        .collect()
}

/// An attachment of an agenda item as a file: the record or an LMU's response.
#[utoipa::path(get, path = "/api/attachments/{id}", tag = "meetings",
    params(("format" = String, Query, description = "pdf, docx, html or md")),
    responses((status = 200, description = "the file"), (status = 404), (status = 422)))]
pub async fn attachment(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(q): Query<ExportQuery>,
    headers: HeaderMap,
) -> Result<Response> {
    let a = state
        .store
        .attachment(id)
        .await?
        .ok_or_else(|| Error::not_found("bilaget findes ikke"))?;
    let item = state
        .store
        .item(a.agenda_item_id)
        .await?
        .ok_or_else(|| Error::not_found("bilaget findes ikke"))?;
    visible_meeting(&state, &caller.principal, item.meeting_id).await?;
    let format = Format::from_name(&q.format)
        .ok_or_else(|| Error::invalid("format skal være pdf, docx, html eller md"))?;
    if let Some(record) = a.record_id {
        let r = readable(&state, &caller, record).await?;
        let blocks: Blocks =
            serde_json::from_str(&r.blocks).map_err(|e| Error::Internal(e.to_string()))?;
        return file_response(&blocks, &record_info(&state, &r).await?, format);
    }
    if let Some(version) = a.version_id {
        let v = readable_version(&state, &headers, version).await?;
        let blocks = crate::workflow::versions::version_blocks(&v)?;
        let info = DocumentInfo {
            title: a.title.clone(),
            version: Some(format!("Indsendt version ({})", time(v.created_at))),
            ..DocumentInfo::default()
        };
        return file_response(&blocks, &info, format);
    }
    Err(Error::not_found("bilaget har intet indhold"))
}
