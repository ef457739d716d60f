//! The hearing's board: every invited LMU with the status of its response, its last edit and
//! who is editing right now — as JSON, and live as Server-Sent Events.

use std::collections::HashSet;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::Serialize;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::mpsc;
use utoipa::ToSchema;

use super::AppState;
use super::caller::Caller;
use super::hearings::visible;
use super::json::{time, time_opt};
use super::views::{CommitteeRef, Names, UserRef};
use crate::docs::DocEvent;
use crate::domain::hearing::HearingState;
use crate::domain::policy::{self, DocumentFacts, Principal};
use crate::error::{Error, Result};
use crate::ids::DocumentId;
use crate::store::hearings::ResponseStatus;

#[derive(Serialize, ToSchema, PartialEq, Clone)]
pub struct BoardRow {
    committee: CommitteeRef,
    response_id: Option<i64>,
    /// "not_started", "in_progress", "submitted" or "submitted_late".
    status: String,
    last_edit_at: Option<String>,
    editing_now: Vec<String>,
    submitted_at: Option<String>,
    submitted_by: Option<UserRef>,
    /// Whether the caller may open the response.
    can_open: bool,
}

#[derive(Serialize, ToSchema, PartialEq, Clone)]
pub struct Board {
    hearing_id: i64,
    state: HearingState,
    lmu_deadline: String,
    rows: Vec<BoardRow>,
}

/// The board as `p` sees it.
async fn board(state: &AppState, p: &Principal, id: i64) -> Result<(Board, HashSet<String>)> {
    let (h, facts) = visible(state, p, id).await?;
    let committees = state.store.committees().await?;
    let responses = state.store.responses(id).await?;
    let names = Names::load(
        &state.store,
        responses.iter().filter_map(|r| r.submitted_by),
    )
    .await?;
    let mut rows = Vec::with_capacity(facts.invited.len());
    let mut documents = HashSet::new();
    for c in committees.iter().filter(|c| facts.invited.contains(&c.id)) {
        let Some(r) = responses.iter().find(|r| r.committee_id == c.id) else {
            rows.push(BoardRow {
                committee: c.into(),
                response_id: None,
                status: "not_started".into(),
                last_edit_at: None,
                editing_now: Vec::new(),
                submitted_at: None,
                submitted_by: None,
                can_open: false,
            });
            continue;
        };
        documents.insert(r.document_id.clone());
        let activity = state.store.document_activity(&r.document_id).await?;
        let editing_now = match DocumentId::parse(&r.document_id) {
            Some(doc) => state
                .hub
                .editors(&doc)
                .await
                .iter()
                .map(|u| u.to_string())
                .collect(),
            None => Vec::new(),
        };
        let status = match (r.status, r.late) {
            (ResponseStatus::Submitted, true) => "submitted_late",
            (ResponseStatus::Submitted, false) => "submitted",
            (ResponseStatus::Draft, _) if activity.last_seq > 0 => "in_progress",
            (ResponseStatus::Draft, _) => "not_started",
        };
        let doc_facts = DocumentFacts::Response {
            hearing: facts.clone(),
            committee: r.committee_id,
            submitted: r.status == ResponseStatus::Submitted,
        };
        rows.push(BoardRow {
            committee: c.into(),
            response_id: Some(r.id),
            status: status.into(),
            last_edit_at: activity
                .updated_at
                .filter(|_| activity.last_seq > 0)
                .map(time),
            editing_now,
            submitted_at: time_opt(r.submitted_at),
            submitted_by: names.get(r.submitted_by),
            can_open: policy::document_access(p, &doc_facts).is_some(),
        });
    }
    Ok((
        Board {
            hearing_id: id,
            state: h.state,
            lmu_deadline: time(h.lmu_deadline),
            rows,
        },
        documents,
    ))
}

/// The board of a hearing.
#[utoipa::path(get, path = "/api/hearings/{id}/board", tag = "hearings",
    responses((status = 200, body = Board), (status = 404)))]
pub async fn get(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Json<Board>> {
    Ok(Json(board(&state, &caller.principal, id).await?.0))
}

/// The board, live: an event `board` at once and after every change (edits, presence,
/// submissions, state changes), at most a few times a second.
#[utoipa::path(get, path = "/api/hearings/{id}/board/events", tag = "hearings",
    responses((status = 200, description = "text/event-stream of `board` events with a Board as data"), (status = 404)))]
pub async fn events(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let p = caller.principal;
    // Subscribe before the first reading, so nothing between them is missed.
    let mut changes = state.hub.events().subscribe();
    let (first, mut documents) = board(&state, &p, id).await?;
    let (tx, rx) = mpsc::channel::<Event>(4);
    let event = |b: &Board| {
        Event::default()
            .event("board")
            .json_data(b)
            .map_err(|e| Error::Internal(e.to_string()))
    };
    tx.try_send(event(&first)?).ok();
    let shutdown = state.shutdown.clone();
    tokio::spawn(async move {
        let mut last = first;
        // Other processes' edits reach us only through their documents' rooms here: look again
        // now and then regardless.
        let mut tick = tokio::time::interval(Duration::from_secs(10));
        tick.tick().await;
        loop {
            let relevant = tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tx.closed() => return,
                _ = tick.tick() => true,
                e = changes.recv() => match e {
                    Ok(DocEvent::Hearing(h)) => h == id,
                    Ok(DocEvent::Changed(d) | DocEvent::Presence(d)) => documents.contains(d.as_str()),
                    Err(RecvError::Lagged(_)) => true,
                    Err(RecvError::Closed) => return,
                },
            };
            if !relevant {
                continue;
            }
            // Let a burst of edits settle into one reading.
            tokio::time::sleep(Duration::from_millis(250)).await;
            while changes.try_recv().is_ok() {}
            match board(&state, &p, id).await {
                Ok((b, docs)) => {
                    documents = docs;
                    if b != last {
                        let Ok(ev) = event(&b) else { return };
                        if tx.send(ev).await.is_err() {
                            return;
                        }
                        last = b;
                    }
                }
                // The hearing is gone from the caller's view (or storage failed): end the stream.
                Err(_) => return,
            }
        }
    });
    let stream =
        futures_util::stream::unfold(
            rx,
            |mut rx| async move { rx.recv().await.map(|e| (Ok(e), rx)) },
        );
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// Everything that happens to a hearing, live: an event `changed` with data `{"what": "hearing"}`
/// when its state, responses, comments, positions or approvals change, and `{"what": "text"}`
/// when the joint response's text changes — for pages that show them (review, workspace) to
/// read again. At most a few events a second.
#[utoipa::path(get, path = "/api/hearings/{id}/events", tag = "hearings",
    responses((status = 200, description = "text/event-stream of `changed` events"), (status = 404)))]
pub async fn hearing_events(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let mut changes = state.hub.events().subscribe();
    let (h, facts) = visible(&state, &caller.principal, id).await?;
    // Edits of the joint response are news only to those who may read it.
    let joint = match policy::document_access(
        &caller.principal,
        &DocumentFacts::Joint { hearing: facts },
    ) {
        Some(_) => h.joint_document_id.clone().unwrap_or_default(),
        None => String::new(),
    };
    let (tx, rx) = mpsc::channel::<Event>(4);
    let shutdown = state.shutdown.clone();
    tokio::spawn(async move {
        loop {
            let what = tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tx.closed() => return,
                e = changes.recv() => match e {
                    Ok(DocEvent::Hearing(h)) if h == id => "hearing",
                    Ok(DocEvent::Changed(d)) if !joint.is_empty() && d.as_str() == joint => "text",
                    Ok(_) => continue,
                    Err(RecvError::Lagged(_)) => "hearing",
                    Err(RecvError::Closed) => return,
                },
            };
            // One event for a burst; "hearing" if anything in it was more than text.
            tokio::time::sleep(Duration::from_millis(250)).await;
            let mut what = what;
            while let Ok(e) = changes.try_recv() {
                if matches!(e, DocEvent::Hearing(h) if h == id) {
                    what = "hearing";
                }
            }
            let event = Event::default()
                .event("changed")
                .data(format!("{{\"what\":\"{what}\"}}"));
            if tx.send(event).await.is_err() {
                return;
            }
        }
    });
    let stream =
        futures_util::stream::unfold(
            rx,
            |mut rx| async move { rx.recv().await.map(|e| (Ok(e), rx)) },
        );
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}
