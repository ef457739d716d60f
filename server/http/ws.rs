//! `GET /ws/{document_id}`: one live-document connection in the y-websocket protocol.
//!
//! Access is decided before the upgrade completes and before any document data is sent. A
//! refused client is closed with a 44xx code, after which y-websocket stops reconnecting. Each
//! connection is one task that reads the client's frames and writes the frames the room put in
//! its bounded queue; a full queue closes the connection rather than skipping a message.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use axum::extract::{Path, Query, State, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::response::Response;
use bytes::Bytes;
use futures_util::future::Either;
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use tokio::time::Instant;
use tokio_util::sync::WaitForCancellationFuture;

use super::AppState;
use super::documents::authorise_document;
use crate::auth::{Denied, Grant};
use crate::docs::connection::send_queue;
use crate::docs::{CloseReason, Closer, Peer, RoomMsg, RoomSender};
use crate::error::Error;
use crate::ids::{ConnectionId, DocumentId};
use crate::metrics::Metrics;
use crate::sync::message::decode_frame;

/// Each connection's read buffer, allocated when it opens and grown for larger frames: small,
/// because most connections sit idle (512 bytes still take about 16 typing updates per read).
const READ_BUFFER: usize = 512;

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
        // The connection's future itself, not wrapped in another async block: a wrapper would
        // keep its own copy of the socket for the connection's whole life (rustc keeps the
        // storage of a value moved out of an async block's capture).
        .on_upgrade(move |socket| match verdict {
            Ok((id, grant)) => Either::Left(run(state, socket, id, grant, want_ack)),
            Err(reason) => Either::Right(close_now(socket, reason)),
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

/// One connection, from the upgrade to the goodbye. Not an `async fn`: its arguments would be
/// stored twice in the future (as arguments and as the body's locals), the socket among them,
/// for as long as the connection lives; an `async move` block uses its captures in place.
#[expect(
    clippy::manual_async_fn,
    reason = "an async fn keeps its arguments twice"
)]
fn run(
    state: Arc<AppState>,
    mut socket: WebSocket,
    id: DocumentId,
    grant: Grant,
    want_ack: bool,
) -> impl Future<Output = ()> {
    async move {
        let metrics = &state.metrics;
        metrics.connections.inc();
        let conn = state.hub.next_connection_id();
        let (outbox, queue) = send_queue(state.hub.limits().send_queue);
        let closer = Arc::new(Closer::default());
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

        // Joining, leaving and the goodbye are boxed: their futures then take memory only while
        // they run, not for the whole life of every connection's task.
        let writable = match Box::pin(state.hub.join(&id, peer)).await {
            Err(e) => {
                tracing::warn!(document = %id, error = %e, "join failed");
                closer.close(if state.shutdown.is_cancelled() {
                    CloseReason::GOING_AWAY
                } else {
                    CloseReason::INTERNAL
                });
                true
            }
            Ok(room) => {
                let link = Link {
                    state: &state,
                    id: &id,
                    conn,
                    room: &room,
                    closer: &closer,
                    queue: &queue,
                };
                let writable = link.serve(&mut socket).await;
                Box::pin(room.send(RoomMsg::Leave { conn })).await;
                writable
            }
        };
        closer.close(CloseReason::NORMAL);
        if writable {
            let reason = closer.reason().unwrap_or(CloseReason::NORMAL);
            Box::pin(goodbye(socket, &queue, reason, metrics)).await;
        }
        metrics.connections.dec();
        tracing::debug!(document = %id, conn = conn.0, reason = ?closer.reason(), "disconnected");
    }
}

/// What one joined connection works with. One task reads the client's frames for the room and
/// writes what the room queued for the client: a reader and a writer task would cost a
/// kibibyte of memory more per connection and a wake-up at every hand-over.
struct Link<'a> {
    state: &'a AppState,
    id: &'a DocumentId,
    conn: ConnectionId,
    room: &'a RoomSender,
    closer: &'a Closer,
    queue: &'a flume::Receiver<Bytes>,
}

/// Waiting for space in the room's mailbox.
type Reserving<'a> = std::pin::Pin<
    Box<
        dyn std::future::Future<Output = Option<tokio::sync::mpsc::Permit<'a, RoomMsg>>>
            + Send
            + 'a,
    >,
>;

/// What became of one read from the socket.
enum Incoming {
    Frame(RoomMsg),
    Nothing,
    Stop,
}

impl Link<'_> {
    /// Serves the connection until it is closed. Returns false when writing failed (the
    /// socket is gone: no goodbye is possible).
    async fn serve(&self, socket: &mut WebSocket) -> bool {
        let idle = self.state.ws.idle_timeout;
        // Made once, not per frame: each registers a waiter under a lock when first polled.
        let closed = self.closer.closed();
        let shutdown = self.state.shutdown.cancelled();
        // One timer per connection, re-armed only when it fires: the idle limit, and after
        // shutdown the time given to the room to commit and close us.
        let timer = tokio::time::sleep(idle);
        tokio::pin!(closed, shutdown, timer);
        let mut outgoing = self.queue.stream();
        let mut last_read = Instant::now();
        // A frame for the room while its mailbox is full, and the wait for space (boxed: it
        // is rare, and inline it would take its size in every connection's task): reading
        // waits, writing goes on.
        let mut pending: Option<(RoomMsg, Reserving<'_>)> = None;
        // Shutting down: take no more input; the room commits what it has and closes us.
        let mut stopping = false;
        loop {
            tokio::select! {
                biased;
                _ = &mut closed => return true,
                _ = &mut shutdown, if !stopping => {
                    stopping = true;
                    timer.as_mut().reset(Instant::now() + Duration::from_secs(10));
                }
                _ = &mut timer => {
                    let due = last_read + idle;
                    if stopping {
                        self.closer.close(CloseReason::GOING_AWAY);
                    } else if due <= Instant::now() {
                        self.closer.close(CloseReason::IDLE);
                    } else {
                        timer.as_mut().reset(due);
                    }
                }
                frame = outgoing.next() => {
                    // None: the room let go of the connection.
                    let Some(frame) = frame else { return true };
                    // Boxed for the same reason; one allocation per burst of frames.
                    if !Box::pin(self.write_burst(socket, frame, closed.as_mut())).await {
                        return false;
                    }
                }
                permit = std::future::poll_fn(|cx| match pending.as_mut() {
                    Some((_, reserving)) => reserving.as_mut().poll(cx),
                    None => std::task::Poll::Pending,
                }), if pending.is_some() => match (permit, pending.take()) {
                    (Some(permit), Some((msg, _))) => permit.send(msg),
                    _ => self.closer.close(CloseReason::GOING_AWAY),
                },
                next = socket.recv(), if pending.is_none() && !stopping => {
                    last_read = Instant::now();
                    match self.incoming(next) {
                        Incoming::Frame(msg) => match self.room.try_send(msg) {
                            Ok(()) => {}
                            Err(Some(msg)) => pending = Some((msg, Box::pin(self.room.reserve()))),
                            Err(None) => self.closer.close(CloseReason::GOING_AWAY),
                        },
                        Incoming::Nothing => {}
                        Incoming::Stop => return true,
                    }
                }
            }
        }
    }

    /// Reads one result of the socket: the room's message, nothing, or the end (after closing
    /// with the reason when the client did wrong).
    fn incoming(&self, next: Option<Result<Message, axum::Error>>) -> Incoming {
        let (id, conn, metrics) = (self.id, self.conn, &self.state.metrics);
        match next {
            None => Incoming::Stop,
            Some(Err(e)) => {
                // axum does not expose tungstenite's error kinds; its message names them.
                let text = e.to_string();
                if text.contains("Connection reset")
                    || text.contains("closed connection")
                    || text.contains("IO error")
                {
                    tracing::debug!(document = %id, conn = conn.0, error = %text, "connection lost");
                    return Incoming::Stop;
                }
                let reason = if text.contains("Space limit exceeded") || text.contains("too long") {
                    CloseReason::TOO_BIG
                } else {
                    CloseReason::PROTOCOL_ERROR
                };
                tracing::warn!(document = %id, conn = conn.0, error = %text, "closing connection: bad frame");
                metrics.protocol_errors.inc();
                self.closer.close(reason);
                Incoming::Stop
            }
            Some(Ok(Message::Binary(bytes))) => {
                metrics.bytes_in.inc_by(bytes.len() as u64);
                match decode_frame(&bytes) {
                    Ok(messages) => Incoming::Frame(RoomMsg::Frame { conn, messages }),
                    Err(e) => {
                        tracing::warn!(document = %id, conn = conn.0, error = %e, len = bytes.len(), "closing connection: malformed message");
                        metrics.protocol_errors.inc();
                        self.closer.close(CloseReason::PROTOCOL_ERROR);
                        Incoming::Stop
                    }
                }
            }
            Some(Ok(Message::Text(_))) => {
                metrics.protocol_errors.inc();
                self.closer.close(CloseReason::UNSUPPORTED);
                Incoming::Stop
            }
            Some(Ok(Message::Close(_))) => Incoming::Stop,
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => Incoming::Nothing,
        }
    }

    /// Writes `first` and whatever else is queued, then flushes once: one system call for a
    /// burst of updates. A client that stops reading blocks this until the connection is
    /// closed (its queue fills and the room closes it); the goodbye then has a time limit.
    /// Returns false when writing failed.
    async fn write_burst(
        &self,
        socket: &mut WebSocket,
        first: Bytes,
        closed: std::pin::Pin<&mut WaitForCancellationFuture<'_>>,
    ) -> bool {
        let metrics = &self.state.metrics;
        let burst = async {
            let mut frame = Some(first);
            while let Some(f) = frame.take() {
                metrics.bytes_out.inc_by(f.len() as u64);
                socket.feed(Message::Binary(f)).await?;
                frame = self.queue.try_recv().ok();
            }
            socket.flush().await
        };
        tokio::select! {
            biased;
            written = burst => written.is_ok(),
            // What was fed stays buffered; the goodbye writes it.
            _ = closed => true,
        }
    }
}

/// Sends what is still queued (unless the queue overflowed) and the close frame, within a
/// time limit: a client that does not read is not waited for.
async fn goodbye(
    mut socket: WebSocket,
    queue: &flume::Receiver<Bytes>,
    reason: CloseReason,
    metrics: &Metrics,
) {
    let goodbye = async {
        if reason != CloseReason::SLOW {
            while let Ok(f) = queue.try_recv() {
                metrics.bytes_out.inc_by(f.len() as u64);
                socket.feed(Message::Binary(f)).await?;
            }
        }
        socket.send(close_message(reason)).await?;
        socket.close().await
    };
    let _ = tokio::time::timeout(Duration::from_secs(5), goodbye).await;
}
