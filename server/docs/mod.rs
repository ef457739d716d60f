//! The document hub: one owner task per open document, loaded once however many clients connect
//! at the same moment, unloaded after the last client leaves and a grace period.

pub mod awareness;
pub mod cluster;
mod compact;
pub mod connection;
pub mod content;
mod early;
mod room;
pub mod ydoc;

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use parking_lot::Mutex;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

pub use connection::{CloseReason, Closer, Peer};
pub use room::RoomMsg;

use crate::ids::{ConnectionId, DocumentId};
use crate::metrics::Metrics;
use crate::store::Store;
use crate::store::committer::Committer;

/// Limits and timings of live documents.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest document (snapshot plus log) in bytes; updates past it are refused.
    pub max_document_bytes: usize,
    /// Frames queued for one connection before it is closed as too slow.
    pub send_queue: usize,
    /// How long an unused document stays in memory.
    pub unload_grace: Duration,
    /// Updates in a document's log before it is folded into a snapshot.
    pub compact_after: usize,
    /// How often idle clients are asked for their presence.
    pub awareness_query_interval: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_document_bytes: 64 << 20,
            send_queue: 4096,
            unload_grace: Duration::from_secs(30),
            compact_after: 1000,
            awareness_query_interval: Duration::from_secs(10),
        }
    }
}

/// What happened to a live document, for those who watch it (the hearing board).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocEvent {
    /// Updates were committed.
    Changed(DocumentId),
    /// Someone connected or left.
    Presence(DocumentId),
    /// Something about the hearing changed (its state, a response's status).
    Hearing(i64),
}

/// A broadcast of [`DocEvent`]s; sending costs next to nothing when nobody listens.
#[derive(Clone)]
pub struct Events(tokio::sync::broadcast::Sender<DocEvent>);

impl Events {
    fn new() -> Self {
        Self(tokio::sync::broadcast::channel(1024).0)
    }

    pub fn send(&self, event: DocEvent) {
        if self.0.receiver_count() > 0 {
            let _ = self.0.send(event);
        }
    }

    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<DocEvent> {
        self.0.subscribe()
    }
}

/// A document's committed state.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The full state as one Yjs v1 update.
    pub state: Vec<u8>,
    /// The content as canonical JSON.
    pub content: serde_json::Value,
    /// The sequence number of the last update it contains.
    pub seq: i64,
}

/// What became of an update sent over HTTP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// Committed and broadcast.
    Committed,
    /// The update held nothing new.
    Empty,
    /// Refused: the connection is read-only or the document locked.
    ReadOnly,
    /// Refused by validation (the close reason says why).
    Refused(CloseReason),
}

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    #[error("the document could not be loaded")]
    LoadFailed,
    #[error("the server is shutting down")]
    ShuttingDown,
}

#[derive(Clone)]
struct RoomHandle {
    tx: mpsc::Sender<RoomMsg>,
    generation: u64,
}

pub(crate) struct HubShared {
    rooms: Mutex<HashMap<DocumentId, RoomHandle>>,
    store: Store,
    committer: Committer,
    limits: Limits,
    metrics: Metrics,
    shutdown: CancellationToken,
    tasks: TaskTracker,
    next_id: AtomicU64,
    pub(crate) events: Events,
}

/// Shared handle to every open document.
#[derive(Clone)]
pub struct Hub {
    shared: Arc<HubShared>,
}

/// A joined connection's way into its room.
pub struct RoomSender {
    tx: mpsc::Sender<RoomMsg>,
}

impl RoomSender {
    /// Hands a frame's messages to the room; waits when its mailbox is full (backpressure).
    pub async fn send(&self, msg: RoomMsg) -> bool {
        self.tx.send(msg).await.is_ok()
    }

    /// Hands `msg` to the room if its mailbox has space; gives it back when it is full.
    pub fn try_send(&self, msg: RoomMsg) -> Result<(), Option<RoomMsg>> {
        match self.tx.try_send(msg) {
            Ok(()) => Ok(()),
            Err(mpsc::error::TrySendError::Full(msg)) => Err(Some(msg)),
            Err(mpsc::error::TrySendError::Closed(_)) => Err(None),
        }
    }

    /// Waits for space in the room's mailbox (`None`: the room is gone).
    pub async fn reserve(&self) -> Option<mpsc::Permit<'_, RoomMsg>> {
        self.tx.reserve().await.ok()
    }
}

impl Hub {
    pub fn new(
        store: Store,
        committer: Committer,
        limits: Limits,
        metrics: Metrics,
        shutdown: CancellationToken,
    ) -> Self {
        Self {
            shared: Arc::new(HubShared {
                rooms: Mutex::new(HashMap::new()),
                store,
                committer,
                limits,
                metrics,
                shutdown,
                tasks: TaskTracker::new(),
                next_id: AtomicU64::new(1),
                events: Events::new(),
            }),
        }
    }

    pub fn limits(&self) -> &Limits {
        &self.shared.limits
    }

    pub fn next_connection_id(&self) -> ConnectionId {
        ConnectionId(self.shared.next_id.fetch_add(1, Ordering::Relaxed))
    }

    /// Adds a connection to the document's room, loading the document first if needed. When
    /// this returns, the room has queued its sync step 1 for the connection.
    pub async fn join(&self, id: &DocumentId, peer: Peer) -> Result<RoomSender, HubError> {
        // A room that is unloading at this instant drops the join; the next try opens anew.
        for _ in 0..3 {
            let room = self.room(id)?;
            let (reply, joined) = oneshot::channel();
            let join = RoomMsg::Join {
                peer: Box::new(peer.clone()),
                reply,
            };
            if room.tx.send(join).await.is_ok() && joined.await.is_ok() {
                return Ok(RoomSender { tx: room.tx });
            }
        }
        Err(HubError::LoadFailed)
    }

    /// The committed content of a document as canonical JSON.
    pub async fn content(&self, id: &DocumentId) -> Result<serde_json::Value, HubError> {
        for _ in 0..3 {
            let room = self.room(id)?;
            let (reply, rx) = oneshot::channel();
            if room.tx.send(RoomMsg::Content { reply }).await.is_ok() {
                return match rx.await {
                    Ok(Ok(v)) => Ok(v),
                    _ => Err(HubError::LoadFailed),
                };
            }
        }
        Err(HubError::LoadFailed)
    }

    /// The hub's event broadcast.
    pub fn events(&self) -> &Events {
        &self.shared.events
    }

    /// The committed state of a document.
    pub async fn snapshot(&self, id: &DocumentId) -> Result<Snapshot, HubError> {
        for _ in 0..3 {
            let room = self.room(id)?;
            let (reply, rx) = oneshot::channel();
            if room.tx.send(RoomMsg::Snapshot { reply }).await.is_ok() {
                return match rx.await {
                    Ok(Ok(v)) => Ok(v),
                    _ => Err(HubError::LoadFailed),
                };
            }
        }
        Err(HubError::LoadFailed)
    }

    /// Makes an open document read-only for everyone (or writable again) and waits until what
    /// it accepted before is committed. A document that is not open learns it from storage when
    /// it opens.
    pub async fn set_locked(&self, id: &DocumentId, locked: bool) {
        let room = self.shared.rooms.lock().get(id).cloned();
        if let Some(room) = room {
            let (reply, rx) = oneshot::channel();
            let msg = RoomMsg::SetLocked {
                locked,
                reply: Some(reply),
            };
            if room.tx.send(msg).await.is_ok() {
                let _ = rx.await;
            }
        }
    }

    /// The users connected to a document right now (none if it is not open).
    pub async fn editors(&self, id: &DocumentId) -> Vec<Arc<str>> {
        let room = self.shared.rooms.lock().get(id).cloned();
        let Some(room) = room else {
            return Vec::new();
        };
        let (reply, rx) = oneshot::channel();
        if room.tx.send(RoomMsg::Presence { reply }).await.is_err() {
            return Vec::new();
        }
        rx.await.unwrap_or_default()
    }

    /// Applies an update that arrived over HTTP exactly as if a connection had sent it:
    /// validated, applied, committed, broadcast. Returns once it is committed or refused.
    pub async fn apply_http_update(
        &self,
        id: &DocumentId,
        user: Arc<str>,
        access: crate::auth::Access,
        update: bytes::Bytes,
    ) -> Result<Applied, HubError> {
        use crate::sync::message::Message;
        use crate::sync::validate::ParsedUpdate;
        let Ok(parsed) = ParsedUpdate::parse(&update) else {
            return Ok(Applied::Refused(CloseReason::PROTOCOL_ERROR));
        };
        if parsed.is_empty() {
            return Ok(Applied::Empty);
        }
        let conn = self.next_connection_id();
        // Room for the sync step 1, presence and the acknowledgement or refusal.
        let (outbox, queue) = connection::send_queue(64);
        let closer = Arc::new(Closer::default());
        let peer = Peer {
            id: conn,
            user,
            access,
            // Authorised for this one update, by the request that carries it.
            person: None,
            want_ack: true,
            outbox,
            closer: closer.clone(),
        };
        let room = self.join(id, peer).await?;
        let sent = room
            .send(RoomMsg::Frame {
                conn,
                messages: vec![Message::Update { update, parsed }],
            })
            .await;
        let outcome = if !sent {
            Err(HubError::ShuttingDown)
        } else {
            loop {
                tokio::select! {
                    frame = queue.recv_async() => match frame {
                        Ok(f) if f.first() == Some(&(crate::sync::message::MSG_SAVED as u8)) => break Ok(Applied::Committed),
                        Ok(f) if f.first() == Some(&(crate::sync::message::MSG_AUTH as u8)) => break Ok(Applied::ReadOnly),
                        Ok(_) => continue,
                        Err(_) => break Ok(Applied::Refused(closer.reason().unwrap_or(CloseReason::INTERNAL))),
                    },
                    _ = closer.closed() => {
                        break Ok(Applied::Refused(closer.reason().unwrap_or(CloseReason::INTERNAL)));
                    }
                }
            }
        };
        room.send(RoomMsg::Leave { conn }).await;
        outcome
    }

    /// Number of documents in memory.
    pub fn open_documents(&self) -> usize {
        self.shared.rooms.lock().len()
    }

    fn room(&self, id: &DocumentId) -> Result<RoomHandle, HubError> {
        if self.shared.shutdown.is_cancelled() {
            return Err(HubError::ShuttingDown);
        }
        let mut rooms = self.shared.rooms.lock();
        if let Some(room) = rooms.get(id) {
            return Ok(room.clone());
        }
        let (tx, rx) = mpsc::channel(1024);
        let generation = self.shared.next_id.fetch_add(1, Ordering::Relaxed);
        let handle = RoomHandle { tx, generation };
        rooms.insert(id.clone(), handle.clone());
        drop(rooms);
        self.shared.tasks.spawn(room::Room::run(
            id.clone(),
            generation,
            self.shared.clone(),
            rx,
        ));
        Ok(handle)
    }

    /// Waits until every room has committed what it accepted and closed its connections.
    pub async fn drained(&self) {
        self.shared.tasks.close();
        self.shared.tasks.wait().await;
    }

    fn remove_room(shared: &HubShared, id: &DocumentId, generation: u64) {
        let mut rooms = shared.rooms.lock();
        if rooms.get(id).is_some_and(|r| r.generation == generation) {
            rooms.remove(id);
        }
    }

    /// Removes an idle room from the map, unless a message reached its mailbox meanwhile. Both
    /// happen under the map's lock, so no join is lost: a join that finds the room gone opens a
    /// new one.
    fn unload_if_idle(
        shared: &HubShared,
        id: &DocumentId,
        generation: u64,
        rx: &mut mpsc::Receiver<RoomMsg>,
    ) -> bool {
        let mut rooms = shared.rooms.lock();
        if !rx.is_empty() {
            return false;
        }
        if rooms.get(id).is_some_and(|r| r.generation == generation) {
            rooms.remove(id);
        }
        // Later sends fail at once; one that slipped in is dropped and its sender retries.
        rx.close();
        true
    }

    /// Hands `msg` to the document's room if it is open here (nothing to do otherwise: a room
    /// that opens later loads the document from storage).
    pub(crate) fn tell_open_room(&self, id: &DocumentId, msg: RoomMsg) {
        let room = self.shared.rooms.lock().get(id).cloned();
        if let Some(room) = room {
            // A full mailbox drops this nudge; the room's periodic catch-up covers it.
            let _ = room.tx.try_send(msg);
        }
    }

    /// Closes the open connections of `person` with "reconnect": their clients connect again
    /// and are authorised anew (after a change of their memberships). Connections to other
    /// server processes are not reached (see README, several processes).
    pub fn reauthorise(&self, person: i64) {
        let rooms: Vec<RoomHandle> = self.shared.rooms.lock().values().cloned().collect();
        // Waits for room in full mailboxes rather than dropping the message.
        tokio::spawn(async move {
            for room in rooms {
                let _ = room.tx.send(RoomMsg::Reauthorise { person }).await;
            }
        });
    }

    /// Makes every open room read what other processes committed (after a lost notification
    /// connection).
    pub(crate) fn catch_up_all(&self) {
        let rooms: Vec<RoomHandle> = self.shared.rooms.lock().values().cloned().collect();
        for room in rooms {
            let _ = room.tx.try_send(RoomMsg::Remote { seq: i64::MAX });
        }
    }

    /// Runs `task` in the hub's tracker, so that shutdown waits for it.
    pub fn spawn<F>(&self, task: F)
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        self.shared.tasks.spawn(task);
    }

    pub fn store(&self) -> &Store {
        &self.shared.store
    }
}
