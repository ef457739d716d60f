//! `GET /ws/{document_id}`: one live-document connection in the y-websocket protocol.
//!
//! Access is decided before the upgrade completes and before any document data is sent. A
//! refused client is closed with a 44xx code, after which y-websocket stops reconnecting. Each
//! connection has a reader (this task) and a writer task fed by a bounded queue; a full queue
//! closes the connection rather than skipping a message.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use axum::extract::{Path, Query, State, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;

use super::AppState;
use super::documents::authorise_document;
use crate::auth::{Denied, Grant};
use crate::docs::connection::send_queue;
use crate::docs::{CloseReason, Closer, Peer, RoomMsg};
use crate::error::Error;
use crate::ids::DocumentId;
use crate::metrics::Metrics;
use crate::sync::message::decode_frame;

/// Each connection's read buffer, allocated when it opens and grown for larger frames: small,
/// because most connections sit idle (1 KiB still takes about 30 typing updates per read).
const READ_BUFFER: usize = 1 << 10;

/// Bytes of frames buffered before they are written without waiting for the burst's flush.
const WRITE_BUFFER: usize = 64 << 10;

#[derive(Deserialize)]
pub struct WsQuery {
    token: Option<String>,
    /// `ack=1`: the client wants "saved" acknowledgements (message type 100).
    ack: Option<String>,
}

pub async fn upgrade(
    State(state): State<Arc<AppState>>,
    Path(document_id): Path<String>,
    Query(q): Query<WsQuery>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let verdict = match DocumentId::parse(&document_id) {
        None => Err(CloseReason::NOT_FOUND),
        Some(id) => match authorise_document(&state, &headers, q.token.as_deref(), &id).await {
            Ok(grant) => Ok((id, grant)),
            Err(e) => {
                tracing::info!(document = %document_id, reason = %e, "connection refused");
                Err(match e {
                    Error::Denied(Denied::WrongDocument | Denied::Forbidden) => {
                        CloseReason::FORBIDDEN
                    }
                    Error::Denied(_) | Error::Unauthenticated => CloseReason::UNAUTHORISED,
                    _ => CloseReason::INTERNAL,
                })
            }
        },
    };
    let want_ack = matches!(q.ack.as_deref(), Some("1" | "true"));
    let max = state.ws.max_frame_bytes;
    ws.max_message_size(max)
        .max_frame_size(max)
        .read_buffer_size(READ_BUFFER)
        // Frames are buffered and written once per burst (the write loop flushes after taking
        // what is queued): one system call for many updates instead of one per frame.
        .write_buffer_size(WRITE_BUFFER)
        .on_upgrade(move |socket| async move {
            match verdict {
                Ok((id, grant)) => run(state, socket, id, grant, want_ack).await,
                Err(reason) => close_now(socket, reason).await,
            }
        })
}

async fn close_now(mut socket: WebSocket, reason: CloseReason) {
    let _ = socket.send(close_message(reason)).await;
}

fn close_message(reason: CloseReason) -> Message {
    Message::Close(Some(CloseFrame {
        code: reason.code,
        reason: reason.reason.into(),
    }))
}

async fn run(
    state: Arc<AppState>,
    socket: WebSocket,
    id: DocumentId,
    grant: Grant,
    want_ack: bool,
) {
    let metrics = state.metrics.clone();
    metrics.connections.inc();
    let conn = state.hub.next_connection_id();
    let (sink, mut stream) = socket.split();
    let (outbox, queue) = send_queue(state.hub.limits().send_queue);
    let closer = Arc::new(Closer::default());
    let writer = tokio::spawn(write_loop(sink, queue, closer.clone(), metrics.clone()));
    let peer = Peer {
        id: conn,
        user: grant.user.clone(),
        access: grant.access,
        person: grant.person,
        want_ack,
        outbox,
        closer: closer.clone(),
    };
    tracing::debug!(document = %id, conn = conn.0, user = %grant.user, access = ?grant.access, "connected");

    match state.hub.join(&id, peer).await {
        Err(e) => {
            tracing::warn!(document = %id, error = %e, "join failed");
            closer.close(if state.shutdown.is_cancelled() {
                CloseReason::GOING_AWAY
            } else {
                CloseReason::INTERNAL
            });
        }
        Ok(room) => {
            read_loop(&state, &id, conn, &mut stream, &room, &closer).await;
            room.send(RoomMsg::Leave { conn }).await;
        }
    }
    closer.close(CloseReason::NORMAL);
    let _ = writer.await;
    metrics.connections.dec();
    tracing::debug!(document = %id, conn = conn.0, reason = ?closer.reason(), "disconnected");
}

async fn read_loop(
    state: &AppState,
    id: &DocumentId,
    conn: crate::ids::ConnectionId,
    stream: &mut futures_util::stream::SplitStream<WebSocket>,
    room: &crate::docs::RoomSender,
    closer: &Closer,
) {
    let idle = state.ws.idle_timeout;
    // Made once, not per frame: each registers a waiter under a lock when first polled.
    let closed = closer.closed();
    let shutdown = state.shutdown.cancelled();
    tokio::pin!(closed, shutdown);
    loop {
        let next = tokio::select! {
            biased;
            _ = &mut closed => return,
            _ = &mut shutdown => {
                // Stop taking input; the room commits what it has and closes us.
                tokio::select! {
                    _ = &mut closed => {}
                    _ = tokio::time::sleep(Duration::from_secs(10)) => closer.close(CloseReason::GOING_AWAY),
                }
                return;
            }
            next = tokio::time::timeout(idle, stream.next()) => next,
        };
        let frame = match next {
            Err(_) => {
                closer.close(CloseReason::IDLE);
                return;
            }
            Ok(None) => return,
            Ok(Some(Err(e))) => {
                // axum does not expose tungstenite's error kinds; its message names them.
                let text = e.to_string();
                if text.contains("Connection reset")
                    || text.contains("closed connection")
                    || text.contains("IO error")
                {
                    tracing::debug!(document = %id, conn = conn.0, error = %text, "connection lost");
                    return;
                }
                let reason = if text.contains("Space limit exceeded") || text.contains("too long") {
                    CloseReason::TOO_BIG
                } else {
                    CloseReason::PROTOCOL_ERROR
                };
                tracing::warn!(document = %id, conn = conn.0, error = %text, "closing connection: bad frame");
                state.metrics.protocol_errors.inc();
                closer.close(reason);
                return;
            }
            Ok(Some(Ok(frame))) => frame,
        };
        match frame {
            Message::Binary(bytes) => {
                state.metrics.bytes_in.inc_by(bytes.len() as u64);
                match decode_frame(&bytes) {
                    Ok(messages) => {
                        if !room.send(RoomMsg::Frame { conn, messages }).await {
                            closer.close(CloseReason::GOING_AWAY);
                            return;
                        }
                    }
                    Err(e) => {
                        tracing::warn!(document = %id, conn = conn.0, error = %e, len = bytes.len(), "closing connection: malformed message");
                        state.metrics.protocol_errors.inc();
                        closer.close(CloseReason::PROTOCOL_ERROR);
                        return;
                    }
                }
            }
            Message::Text(_) => {
                state.metrics.protocol_errors.inc();
                closer.close(CloseReason::UNSUPPORTED);
                return;
            }
            Message::Close(_) => return,
            Message::Ping(_) | Message::Pong(_) => {}
        }
    }
}

/// Sends queued frames, flushing once per burst, until the connection is closed; then sends
/// what is still queued (unless the queue overflowed) and the close frame.
async fn write_loop(
    mut sink: futures_util::stream::SplitSink<WebSocket, Message>,
    queue: flume::Receiver<bytes::Bytes>,
    closer: Arc<Closer>,
    metrics: Metrics,
) {
    let mut ok = true;
    let closed = closer.closed();
    tokio::pin!(closed);
    'outer: loop {
        tokio::select! {
            biased;
            _ = &mut closed => break,
            frame = queue.recv_async() => {
                let Ok(frame) = frame else { break };
                let mut frame = Some(frame);
                while let Some(f) = frame.take() {
                    metrics.bytes_out.inc_by(f.len() as u64);
                    if sink.feed(Message::Binary(f)).await.is_err() {
                        ok = false;
                        break 'outer;
                    }
                    frame = queue.try_recv().ok();
                }
                if sink.flush().await.is_err() {
                    ok = false;
                    break;
                }
            }
        }
    }
    if !ok {
        closer.close(CloseReason::NORMAL);
        return;
    }
    let reason = closer.reason().unwrap_or(CloseReason::NORMAL);
    let goodbye = async {
        if reason != CloseReason::SLOW {
            while let Ok(f) = queue.try_recv() {
                metrics.bytes_out.inc_by(f.len() as u64);
                sink.feed(Message::Binary(f)).await?;
            }
        }
        sink.send(close_message(reason)).await?;
        sink.close().await
    };
    let _ = tokio::time::timeout(Duration::from_secs(5), goodbye).await;
}
