//! What a room knows of one connection: who it is, what it may do, and its outbox.

use std::sync::{Arc, OnceLock};

use bytes::Bytes;
use tokio_util::sync::{CancellationToken, WaitForCancellationFuture};

use crate::auth::Access;
use crate::ids::ConnectionId;

/// Why the server closes a connection: a WebSocket close code and a short reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CloseReason {
    pub code: u16,
    pub reason: &'static str,
}

impl CloseReason {
    pub const NORMAL: Self = Self::new(1000, "");
    pub const GOING_AWAY: Self = Self::new(1001, "server shutting down");
    pub const PROTOCOL_ERROR: Self = Self::new(1002, "protocol error");
    pub const UNSUPPORTED: Self = Self::new(1003, "binary frames only");
    pub const TOO_BIG: Self = Self::new(1009, "frame too large");
    pub const INTERNAL: Self = Self::new(1011, "internal error");
    /// The client fell behind; its provider reconnects and resyncs.
    pub const SLOW: Self = Self::new(1013, "send queue full");
    pub const IDLE: Self = Self::new(1000, "idle");
    /// The document was locked under the connection; it reconnects and learns its access.
    pub const LOCKED: Self = Self::new(1012, "document locked");
    /// Access changed (a document was unlocked): reconnect and get it anew.
    pub const RECONNECT: Self = Self::new(1012, "access changed");
    // 4400–4499: y-websocket stops reconnecting.
    pub const REFUSED_UPDATE: Self = Self::new(4400, "update refused");
    pub const UNAUTHORISED: Self = Self::new(4401, "unauthorised");
    pub const FORBIDDEN: Self = Self::new(4403, "forbidden");
    pub const NOT_FOUND: Self = Self::new(4404, "invalid document id");
    pub const DOCUMENT_TOO_LARGE: Self = Self::new(4413, "document too large");

    pub const fn new(code: u16, reason: &'static str) -> Self {
        Self { code, reason }
    }
}

/// Closing a connection from any task: the first reason wins.
#[derive(Default)]
pub struct Closer {
    token: CancellationToken,
    reason: OnceLock<CloseReason>,
}

impl Closer {
    pub fn close(&self, reason: CloseReason) {
        let _ = self.reason.set(reason);
        self.token.cancel();
    }

    pub fn reason(&self) -> Option<CloseReason> {
        self.reason.get().copied()
    }

    /// Completes once the connection is closed (and at once if it is already).
    pub fn closed(&self) -> WaitForCancellationFuture<'_> {
        self.token.cancelled()
    }

    pub fn is_closed(&self) -> bool {
        self.token.is_cancelled()
    }
}

/// A connection's send queue, bounded by `capacity` frames. flume's queue allocates as it fills:
/// tokio's channel allocates a block of 32 slots and a kibibyte and a half in all up front, for
/// every connection, most of which sit idle (docs/benchmarks.md, memory).
pub fn send_queue(capacity: usize) -> (flume::Sender<Bytes>, flume::Receiver<Bytes>) {
    flume::bounded(capacity)
}

/// A connection as a room sees it.
#[derive(Clone)]
pub struct Peer {
    pub id: ConnectionId,
    pub user: Arc<str>,
    pub access: Access,
    /// The person behind the connection, if it is one (see [`crate::auth::Grant`]).
    pub person: Option<i64>,
    pub want_ack: bool,
    pub outbox: flume::Sender<Bytes>,
    pub closer: Arc<Closer>,
}

impl Peer {
    /// Queues a frame. A full queue closes the connection (its provider reconnects and
    /// resyncs): a message is never skipped while the connection stays open.
    pub fn send(&self, frame: Bytes) -> bool {
        if self.closer.is_closed() {
            return false;
        }
        match self.outbox.try_send(frame) {
            Ok(()) => true,
            Err(flume::TrySendError::Full(_)) => {
                self.closer.close(CloseReason::SLOW);
                false
            }
            Err(flume::TrySendError::Disconnected(_)) => false,
        }
    }
}
