//! One open document: the task that owns its yrs document, its connections and its presence.
//!
//! Messages are taken from the mailbox in batches. Each batch is applied to the in-memory
//! document, its updates are committed in one group, and only then is anything the batch
//! produced sent to anyone — broadcasts, sync replies and "saved" acknowledgements alike. A
//! client therefore never receives content that is not durable.

use std::collections::HashMap;
use std::sync::Arc;

use bytes::Bytes;
use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, sleep_until};

use super::awareness::Awareness;
use super::compact::{self, Folded};
use super::connection::{CloseReason, Peer};
use super::early::Early;
use super::ydoc::LiveDoc;
use super::{DocEvent, Hub, HubShared, Snapshot};
use crate::auth::Access;
use crate::ids::{ConnectionId, DocumentId};
use crate::store::committer::CommitError;
use crate::store::{Backend, NewUpdate, StoredDocument};
use crate::sync::message::{self as msg, AwarenessEntry, Message};
use crate::sync::validate::{IntegrationError, ParsedUpdate};

/// Most mailbox messages handled in one batch (one commit).
const MAX_BATCH: usize = 256;

/// Updates one connection may have waiting for content the document lacks. A client that
/// reconnects sends new edits before its sync step 2 has brought what they build on; those wait
/// here, outside the document, until it arrives. More than this closes the connection.
const MAX_HELD_UPDATES: usize = 512;
const MAX_HELD_BYTES: usize = 1 << 20;

/// Updates of one connection that cannot integrate yet. Never applied, never committed.
#[derive(Default)]
struct Held {
    updates: Vec<(Bytes, ParsedUpdate)>,
    bytes: usize,
}

pub enum RoomMsg {
    Join {
        // Boxed: the mailbox allocates slots of the largest message.
        peer: Box<Peer>,
        reply: oneshot::Sender<()>,
    },
    Leave {
        conn: ConnectionId,
    },
    Frame {
        conn: ConnectionId,
        messages: Vec<Message>,
    },
    /// The committed content as canonical JSON.
    Content {
        reply: oneshot::Sender<Result<serde_json::Value, String>>,
    },
    /// Another process committed updates of this document up to `seq`.
    Remote {
        seq: i64,
    },
    /// Presence from another process.
    RemoteAwareness {
        entries: Vec<AwarenessEntry>,
    },
    /// The document became read-only for everyone (`true`: a response was submitted, a record
    /// frozen) or writable again. Replies once every update accepted before it is committed.
    SetLocked {
        locked: bool,
        reply: Option<oneshot::Sender<()>>,
    },
    /// A person's roles changed: their connections reconnect and are authorised anew.
    Reauthorise {
        person: i64,
    },
    /// The users connected right now.
    Presence {
        reply: oneshot::Sender<Vec<Arc<str>>>,
    },
    /// The committed state as a full-state update and the committed content (JSON).
    Snapshot {
        reply: oneshot::Sender<Result<Snapshot, String>>,
    },
}

enum Target {
    One(ConnectionId),
    AllBut(ConnectionId),
    All,
}

/// What a batch produced, held back until its updates are committed.
#[derive(Default)]
struct Outgoing {
    frames: Vec<(Target, Bytes)>,
    updates: Vec<NewUpdate>,
    acks: HashMap<ConnectionId, HashMap<u64, u32>>,
    content: Vec<oneshot::Sender<Result<serde_json::Value, String>>>,
    snapshots: Vec<oneshot::Sender<Result<Snapshot, String>>>,
    /// Answered once the batch is committed.
    committed: Vec<oneshot::Sender<()>>,
    /// Presence changes made here, for the other processes.
    publish: Vec<Bytes>,
    /// The in-memory document failed and must be loaded again from storage.
    reload: bool,
    /// Other processes committed updates this room has not read yet.
    catch_up: bool,
}

pub(super) struct Room {
    id: DocumentId,
    generation: u64,
    hub: Arc<HubShared>,
    doc: LiveDoc,
    peers: HashMap<ConnectionId, Peer>,
    held: HashMap<ConnectionId, Held>,
    awareness: Awareness,
    stored: Stored,
    /// What the last compaction task stored, for the room to take up before the next one (set
    /// before the task finishes, so a room never folds from a snapshot it does not know).
    folded: Arc<parking_lot::Mutex<Option<Folded>>>,
    /// The compaction task last started: while it runs no other starts, and a final compaction
    /// waits for it.
    compaction: Option<tokio::task::JoinHandle<()>>,
    /// Nobody may change the document: every update is refused, whatever the connection's grant.
    locked: bool,
    /// The user behind each Yjs client id that has written to the document (diffs say who
    /// wrote what by them): nobody else may write under those ids.
    known_clients: HashMap<u64, Arc<str>>,
}

impl Room {
    /// Loads the document, then serves the mailbox until the room unloads. Nobody is answered
    /// from a half-loaded document: while it is built, a client with nothing gets the stored
    /// bytes (see [`Early`]) and every other message waits.
    /// (Not an `async fn`, as `serve` below: an `async move` block uses its captures in place,
    /// where an `async fn` would keep its arguments twice for as long as the document is open.)
    #[expect(
        clippy::manual_async_fn,
        reason = "an async fn keeps its arguments twice"
    )]
    pub(super) fn run(
        id: DocumentId,
        generation: u64,
        hub: Arc<HubShared>,
        mut rx: mpsc::Receiver<RoomMsg>,
    ) -> impl Future<Output = ()> {
        async move {
            // Boxed, as every rare and large step below: a room's task holds room for the largest
            // future it awaits inline, for as long as the document is open.
            let (mut room, deferred) =
                match Box::pin(Self::load(&id, generation, hub.clone(), &mut rx)).await {
                    Ok(loaded) => loaded,
                    Err(e) => {
                        tracing::error!(document = %id, error = %e, "loading the document failed");
                        Hub::remove_room(&hub, &id, generation);
                        rx.close();
                        // Dropping the queued joins' reply channels tells their connections.
                        while rx.try_recv().is_ok() {}
                        return;
                    }
                };
            hub.metrics.documents_loaded.inc();
            hub.metrics.open_documents.inc();
            // What arrived while building and could not be answered from the stored bytes.
            if Box::pin(room.process(deferred)).await {
                room.serve(rx).await;
            } else {
                room.close_all(CloseReason::INTERNAL);
                Hub::remove_room(&room.hub, &room.id, room.generation);
            }
            hub.metrics.open_documents.dec();
        }
    }

    /// Reads the document from storage and builds it. While yrs builds it, clients that have
    /// nothing yet are answered from the stored bytes (see [`Early`]); the messages that must
    /// wait for the built document are returned, in order.
    async fn load(
        id: &DocumentId,
        generation: u64,
        hub: Arc<HubShared>,
        rx: &mut mpsc::Receiver<RoomMsg>,
    ) -> Result<(Self, Vec<RoomMsg>), String> {
        let started = std::time::Instant::now();
        let stored = Arc::new(read_doc(&hub, id).await?);
        let known_clients = hub
            .store
            .document_clients(id.as_str())
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|(client, user)| (client, Arc::from(user)))
            .collect();
        let mut early = Early::new(&stored);
        let building = build_doc(id, stored, started);
        tokio::pin!(building);
        let built = loop {
            tokio::select! {
                biased;
                built = &mut building => break built,
                Some(m) = rx.recv(), if early.has_room() => early.take(m),
            }
        };
        let loaded = match built {
            Ok(loaded) => loaded,
            Err(e) => {
                early.fail();
                return Err(e);
            }
        };
        let room = Self {
            locked: loaded.locked,
            known_clients,
            id: id.clone(),
            generation,
            hub,
            doc: loaded.doc,
            peers: HashMap::new(),
            held: HashMap::new(),
            awareness: Awareness::default(),
            stored: loaded.stored,
            folded: Arc::default(),
            compaction: None,
        };
        Ok((room, early.deferred))
    }

    #[expect(
        clippy::manual_async_fn,
        reason = "an async fn keeps its arguments twice"
    )]
    fn serve(mut self, mut rx: mpsc::Receiver<RoomMsg>) -> impl Future<Output = ()> {
        async move {
            let limits = self.hub.limits.clone();
            let mut next_query = Instant::now() + limits.awareness_query_interval;
            let mut unload_at = Some(Instant::now() + limits.unload_grace);
            // One timer for the awareness query and the unload, and the shutdown future made once:
            // each is a waiter registered under a lock, and the room's task holds their space for
            // as long as the document is open.
            let timer = sleep_until(next_query.min(unload_at.unwrap_or(next_query)));
            let stopping = self.hub.shutdown.clone();
            let shutdown = stopping.cancelled();
            tokio::pin!(timer, shutdown);
            let mut batch = Vec::with_capacity(MAX_BATCH);
            loop {
                tokio::select! {
                    biased;
                    _ = &mut shutdown => {
                        // Finish what was accepted, then say goodbye.
                        rx.close();
                        while let Ok(m) = rx.try_recv() {
                            batch.push(m);
                            if batch.len() == MAX_BATCH && !Box::pin(self.process(std::mem::take(&mut batch))).await {
                                break;
                            }
                        }
                        if !batch.is_empty() {
                            Box::pin(self.process(std::mem::take(&mut batch))).await;
                        }
                        self.close_all(CloseReason::GOING_AWAY);
                        Hub::remove_room(&self.hub, &self.id, self.generation);
                        // The next start loads one snapshot instead of replaying a log.
                        Box::pin(self.compact_now()).await;
                        return;
                    }
                    n = rx.recv_many(&mut batch, MAX_BATCH) => {
                        tracing::trace!(document = %self.id, n, "batch");
                        if n == 0 {
                            return;
                        }
                        // Boxed: the work of a batch is held only while it runs (see `run`).
                        if !Box::pin(self.process(std::mem::take(&mut batch))).await {
                            self.close_all(CloseReason::INTERNAL);
                            Hub::remove_room(&self.hub, &self.id, self.generation);
                            return;
                        }
                        // Unloaded a grace period after the last batch that left it without
                        // connections. A later deadline is checked when the timer fires.
                        unload_at = self.peers.is_empty().then(|| Instant::now() + limits.unload_grace);
                        if let Some(at) = unload_at.filter(|&at| at < timer.deadline()) {
                            timer.as_mut().reset(at);
                        }
                    }
                    _ = &mut timer => {
                        let now = Instant::now();
                        if now >= next_query {
                            next_query = now + limits.awareness_query_interval;
                            if !Box::pin(self.query_awareness()).await {
                                self.close_all(CloseReason::INTERNAL);
                                Hub::remove_room(&self.hub, &self.id, self.generation);
                                return;
                            }
                        }
                        if unload_at.is_some_and(|at| now >= at) {
                            if Hub::unload_if_idle(&self.hub, &self.id, self.generation, &mut rx) {
                                Box::pin(self.compact_now()).await;
                                return;
                            }
                            unload_at = Some(now + limits.unload_grace);
                        }
                        timer.as_mut().reset(unload_at.map_or(next_query, |at| at.min(next_query)));
                    }
                }
            }
        }
    }

    /// Asks every client for its presence. Keeps idle providers from their 30-second
    /// reconnect: they answer with their state, and any incoming message resets their timer.
    /// Returns false when the room can no longer serve.
    async fn query_awareness(&mut self) -> bool {
        let mut out = Outgoing::default();
        out.frames
            .push((Target::All, msg::encode_query_awareness()));
        // A notification can be missed: read the log now and then regardless.
        out.catch_up = self.hub.store.backend() == Backend::Postgres;
        self.finish(out).await
    }

    /// Handles one batch. Returns false when the room can no longer serve (storage failed).
    async fn process(&mut self, batch: Vec<RoomMsg>) -> bool {
        let mut queue: std::collections::VecDeque<RoomMsg> = batch.into();
        while !queue.is_empty() {
            let mut out = Outgoing::default();
            while let Some(m) = queue.pop_front() {
                self.handle(m, &mut out);
                if out.reload {
                    // The document is suspect: stop here, commit what was good, reload, and
                    // handle the rest of the batch on the reloaded document.
                    break;
                }
            }
            if !self.finish(out).await {
                return false;
            }
        }
        true
    }

    fn handle(&mut self, m: RoomMsg, out: &mut Outgoing) {
        match m {
            RoomMsg::Join { peer, reply } => {
                let id = peer.id;
                match self.doc.encode_state_vector() {
                    Ok(sv) => out
                        .frames
                        .push((Target::One(id), msg::encode_sync_step1(&sv))),
                    Err(e) => {
                        tracing::error!(document = %self.id, error = %e, "encoding the state vector failed");
                        out.reload = true;
                    }
                }
                let present = self.awareness.present();
                if !present.is_empty() {
                    out.frames
                        .push((Target::One(id), msg::encode_awareness(&present)));
                }
                // A writer joining a document this room believes locked: another process may
                // have unlocked it; read the flag (and anything new) before its first update.
                if self.locked
                    && peer.access == Access::ReadWrite
                    && self.hub.store.backend() == Backend::Postgres
                {
                    out.catch_up = true;
                }
                self.peers.insert(id, *peer);
                let _ = reply.send(());
                self.hub.events.send(DocEvent::Presence(self.id.clone()));
            }
            RoomMsg::Leave { conn } => self.remove_peer(conn, out),
            RoomMsg::Frame { conn, messages } => {
                for m in messages {
                    if !self.peers.contains_key(&conn) || out.reload {
                        break;
                    }
                    self.handle_message(conn, m, out);
                }
            }
            RoomMsg::Content { reply } => out.content.push(reply),
            RoomMsg::Remote { seq } => out.catch_up |= seq > self.stored.last_seq,
            RoomMsg::SetLocked { locked, reply } => {
                if self.locked && !locked {
                    // Connections that were read-only because of the lock reconnect and get
                    // their access anew (a reopened response is theirs to write again).
                    for p in self.peers.values().filter(|p| p.access == Access::ReadOnly) {
                        p.closer.close(CloseReason::RECONNECT);
                    }
                }
                self.locked = locked;
                out.committed.extend(reply);
            }
            RoomMsg::Snapshot { reply } => out.snapshots.push(reply),
            RoomMsg::Reauthorise { person } => {
                for p in self.peers.values().filter(|p| p.person == Some(person)) {
                    p.closer.close(CloseReason::RECONNECT);
                }
            }
            RoomMsg::Presence { reply } => {
                let mut users: Vec<Arc<str>> =
                    self.peers.values().map(|p| p.user.clone()).collect();
                users.sort();
                users.dedup();
                let _ = reply.send(users);
            }
            RoomMsg::RemoteAwareness { entries } => {
                let changed = self.awareness.apply(None, entries);
                if !changed.is_empty() {
                    out.frames
                        .push((Target::All, msg::encode_awareness(&changed)));
                }
            }
        }
    }

    fn handle_message(&mut self, conn: ConnectionId, m: Message, out: &mut Outgoing) {
        match m {
            Message::SyncStep1(sv) => match self.doc.encode_diff(&sv) {
                Ok(update) => out
                    .frames
                    .push((Target::One(conn), msg::encode_sync_step2(&update))),
                Err(e) => {
                    tracing::error!(document = %self.id, error = %e, "encoding a sync reply failed");
                    out.reload = true;
                }
            },
            Message::Update { update, parsed } => self.handle_update(conn, update, parsed, out),
            Message::Awareness(entries) => {
                let changed = self.awareness.apply(Some(conn), entries);
                if !changed.is_empty() {
                    let frame = msg::encode_awareness(&changed);
                    out.publish.push(frame.clone());
                    out.frames.push((Target::AllBut(conn), frame));
                }
            }
            Message::QueryAwareness => {
                let present = self.awareness.present();
                out.frames
                    .push((Target::One(conn), msg::encode_awareness(&present)));
            }
            Message::Auth => {}
        }
    }

    fn handle_update(
        &mut self,
        conn: ConnectionId,
        update: Bytes,
        parsed: ParsedUpdate,
        out: &mut Outgoing,
    ) {
        if parsed.is_empty() {
            return;
        }
        let metrics = &self.hub.metrics;
        metrics.updates_received.inc();
        let Some(peer) = self.peers.get(&conn) else {
            return;
        };
        if peer.access == Access::ReadOnly || self.locked {
            metrics.updates_refused.inc();
            out.frames.push((
                Target::One(conn),
                msg::encode_permission_denied(
                    "skrivebeskyttet: ændringen er ikke gemt (read-only)",
                ),
            ));
            return;
        }
        if self.stored.bytes + update.len() > self.hub.limits.max_document_bytes {
            metrics.updates_refused.inc();
            tracing::warn!(document = %self.id, conn = conn.0, "update refused: document too large");
            peer.closer.close(CloseReason::DOCUMENT_TOO_LARGE);
            return;
        }
        match self.doc.check(&parsed) {
            Ok(_) => {}
            Err(IntegrationError::TooDeep) => {
                metrics.updates_refused.inc();
                tracing::warn!(document = %self.id, conn = conn.0, user = %peer.user, "update refused: shared types nested too deep");
                peer.closer.close(CloseReason::REFUSED_UPDATE);
                return;
            }
            Err(IntegrationError::MissingDependency) => {
                self.hold(conn, update, parsed);
                return;
            }
        }
        self.apply_update(conn, update, parsed, out);
        self.retry_held(out);
    }

    /// Keeps an update that builds on content the document lacks, within bounds.
    fn hold(&mut self, conn: ConnectionId, update: Bytes, parsed: ParsedUpdate) {
        let Some(peer) = self.peers.get(&conn) else {
            return;
        };
        {
            let held = self.held.entry(conn).or_default();
            held.bytes += update.len();
            held.updates.push((update, parsed));
            if held.updates.len() > MAX_HELD_UPDATES || held.bytes > MAX_HELD_BYTES {
                self.hub.metrics.updates_refused.inc();
                tracing::warn!(document = %self.id, conn = conn.0, user = %peer.user, "updates refused: they depend on content the client never sent");
                peer.closer.close(CloseReason::REFUSED_UPDATE);
                self.held.remove(&conn);
            }
        }
    }

    /// Applies held updates that can integrate now, until none can.
    fn retry_held(&mut self, out: &mut Outgoing) {
        while !self.held.is_empty() && !out.reload {
            let ready: Vec<(ConnectionId, usize)> = self
                .held
                .iter()
                .flat_map(|(&conn, h)| {
                    h.updates
                        .iter()
                        .position(|(_, p)| self.doc.check(p).is_ok())
                        .map(|i| (conn, i))
                })
                .collect();
            if ready.is_empty() {
                return;
            }
            for (conn, i) in ready {
                let Some(h) = self.held.get_mut(&conn) else {
                    continue;
                };
                let (update, parsed) = h.updates.remove(i);
                h.bytes -= update.len();
                if h.updates.is_empty() {
                    self.held.remove(&conn);
                }
                // Re-check: an earlier one in this round may have changed the document.
                if self.doc.check(&parsed).is_ok() {
                    self.apply_update(conn, update, parsed, out);
                } else {
                    let h = self.held.entry(conn).or_default();
                    h.bytes += update.len();
                    h.updates.push((update, parsed));
                }
            }
        }
    }

    /// Applies an update that integrates completely and queues its commit and broadcast.
    fn apply_update(
        &mut self,
        conn: ConnectionId,
        update: Bytes,
        parsed: ParsedUpdate,
        out: &mut Outgoing,
    ) {
        let metrics = &self.hub.metrics;
        let Some(peer) = self.peers.get(&conn) else {
            return;
        };
        // Writing under someone else's client id would put words in their mouth.
        if let Some((client, owner)) = parsed.clock_ends().find_map(|(c, _)| {
            self.known_clients
                .get(&c)
                .filter(|owner| **owner != peer.user)
                .map(|owner| (c, owner.clone()))
        }) {
            metrics.updates_refused.inc();
            tracing::warn!(document = %self.id, conn = conn.0, user = %peer.user, client, owner = %owner, "update refused: it writes as another user's client");
            peer.closer.close(CloseReason::REFUSED_UPDATE);
            return;
        }
        if let Err(e) = self.doc.apply(&update, &parsed) {
            metrics.updates_refused.inc();
            tracing::warn!(document = %self.id, conn = conn.0, user = %peer.user, error = %e, "update refused by yrs; reloading the document");
            peer.closer.close(CloseReason::REFUSED_UPDATE);
            out.reload = true;
            return;
        }
        let new_clients: Vec<u64> = parsed
            .clock_ends()
            .map(|(c, _)| c)
            .filter(|c| !self.known_clients.contains_key(c))
            .collect();
        if !new_clients.is_empty() {
            for &c in &new_clients {
                self.known_clients.insert(c, peer.user.clone());
            }
            // Off the update's path: attribution is not part of its durability.
            let store = self.hub.store.clone();
            let (id, user) = (self.id.clone(), peer.user.clone());
            tokio::spawn(async move {
                if let Err(e) = store.record_clients(id.as_str(), &new_clients, &user).await {
                    tracing::warn!(document = %id, error = %e, "recording who writes failed");
                }
            });
        }
        if peer.want_ack {
            let acks = out.acks.entry(conn).or_default();
            for (client, end) in parsed.clock_ends() {
                let clock = acks.entry(client).or_insert(0);
                *clock = (*clock).max(end);
            }
        }
        out.updates.push(NewUpdate {
            document: self.id.clone(),
            data: update.clone(),
            user: peer.user.clone(),
        });
        self.stored.bytes += update.len();
        self.stored.log_len += 1;
        self.stored.log_bytes += update.len();
        out.frames
            .push((Target::AllBut(conn), msg::encode_update(&update)));
    }

    /// Commits the batch's updates, then sends what it produced; reloads and catches up with
    /// other processes if asked. Returns false when the room can no longer serve.
    async fn finish(&mut self, mut out: Outgoing) -> bool {
        loop {
            if !out.updates.is_empty() {
                let updates = std::mem::take(&mut out.updates);
                match self.hub.committer.commit(updates).await {
                    Ok(seqs) => {
                        self.hub.events.send(DocEvent::Changed(self.id.clone()));
                        if let (Some(&first), Some(&last)) = (seqs.first(), seqs.last()) {
                            if first == self.stored.last_seq + 1 {
                                self.stored.last_seq = last;
                            } else {
                                // Another process committed in between: read its updates.
                                out.catch_up = true;
                            }
                        }
                    }
                    Err(CommitError::Locked) => {
                        // The document was locked in the database (by this process before the
                        // room heard of it, or by another process): nothing of this batch may be
                        // sent. Everyone reconnects, and is told the document is read-only.
                        tracing::info!(document = %self.id, "updates refused: the document is locked");
                        self.locked = true;
                        self.hub.metrics.updates_refused.inc();
                        self.close_all(CloseReason::LOCKED);
                        return Box::pin(self.reload()).await;
                    }
                    Err(CommitError::Failed(e)) => {
                        // Nothing of this batch may be sent. The clients still hold their
                        // changes and send them again when they reconnect to a working server.
                        tracing::error!(document = %self.id, error = %e, "commit failed; closing the document");
                        return false;
                    }
                }
            }
            self.flush(&mut out);
            if out.reload && !Box::pin(self.reload()).await {
                return false;
            }
            if !out.content.is_empty() {
                let content = self.doc.canonical().map_err(|e| e.to_string());
                for reply in out.content.drain(..) {
                    let _ = reply.send(content.clone());
                }
            }
            if !out.snapshots.is_empty() {
                let snapshot = self
                    .doc
                    .encode_full()
                    .and_then(|state| {
                        Ok(Snapshot {
                            state,
                            content: self.doc.canonical()?,
                            seq: self.stored.last_seq,
                        })
                    })
                    .map_err(|e| e.to_string());
                for reply in out.snapshots.drain(..) {
                    let _ = reply.send(snapshot.clone());
                }
            }
            for reply in out.committed.drain(..) {
                let _ = reply.send(());
            }
            self.publish(std::mem::take(&mut out.publish));
            if !out.catch_up {
                break;
            }
            let mut next = Outgoing::default();
            if !Box::pin(self.catch_up(&mut next)).await {
                return false;
            }
            // Updates held for content another process had may integrate now.
            self.retry_held(&mut next);
            out = next;
        }
        self.drop_closed_peers();
        self.maybe_compact();
        true
    }

    fn flush(&mut self, out: &mut Outgoing) {
        for (target, frame) in out.frames.drain(..) {
            match target {
                Target::One(id) => {
                    if let Some(p) = self.peers.get(&id) {
                        p.send(frame);
                    }
                }
                Target::AllBut(id) => {
                    for p in self.peers.values().filter(|p| p.id != id) {
                        p.send(frame.clone());
                    }
                }
                Target::All => {
                    for p in self.peers.values() {
                        p.send(frame.clone());
                    }
                }
            }
        }
        for (conn, clocks) in out.acks.drain() {
            if let Some(p) = self.peers.get(&conn) {
                let clocks: Vec<(u64, u32)> = clocks.into_iter().collect();
                p.send(msg::encode_saved(&clocks));
            }
        }
    }

    /// Shares presence changes with the other processes (PostgreSQL only).
    fn publish(&self, frames: Vec<Bytes>) {
        if frames.is_empty() || self.hub.store.backend() != Backend::Postgres {
            return;
        }
        let store = self.hub.store.clone();
        let id = self.id.clone();
        tokio::spawn(async move {
            for f in frames {
                if let Err(e) = store.publish_awareness(&id, &f).await {
                    tracing::debug!(document = %id, error = %e, "could not share presence");
                }
            }
        });
    }

    /// Reads and applies what other processes committed after `last_seq`, queueing it for this
    /// room's connections. Returns false when the room can no longer serve.
    async fn catch_up(&mut self, out: &mut Outgoing) -> bool {
        let missing = match self
            .hub
            .store
            .updates_after(&self.id, self.stored.last_seq)
            .await
        {
            Ok(m) => m,
            Err(e) => {
                // The database is away; the next notification or tick tries again.
                tracing::warn!(document = %self.id, error = %e, "catching up failed");
                return true;
            }
        };
        // Another process may have locked or unlocked it.
        self.locked = missing.locked;
        if let Some((seq, snapshot)) = missing.snapshot {
            // The log we needed was folded into a snapshot: merge it and send the difference.
            let before = self.doc.state_vector();
            let applied = crate::sync::validate::ParsedUpdate::parse(&snapshot)
                .map_err(|e| e.to_string())
                .and_then(|p| self.doc.apply(&snapshot, &p).map_err(|e| e.to_string()))
                .and_then(|()| self.doc.encode_diff(&before).map_err(|e| e.to_string()));
            match applied {
                Ok(diff) => out.frames.push((Target::All, msg::encode_update(&diff))),
                Err(e) => return self.resync_everyone(&e).await,
            }
            self.stored.last_seq = seq;
            // Everything this room counted as log is in that snapshot now.
            self.stored.log_len = 0;
            self.stored.log_bytes = 0;
            self.compacted(Folded {
                seq,
                snapshot: snapshot.len(),
            });
        }
        let own = self.hub.store.origin().to_owned();
        for (seq, data, origin) in missing.updates {
            if origin != own {
                let parsed = match crate::sync::validate::ParsedUpdate::parse(&data) {
                    Ok(p) if p.check_integrable(|c| self.doc.clock(c)).is_ok() => p,
                    _ => {
                        return self
                            .resync_everyone("a stored update does not integrate")
                            .await;
                    }
                };
                if let Err(e) = self.doc.apply(&data, &parsed) {
                    return self.resync_everyone(&e.to_string()).await;
                }
                self.stored.bytes += data.len();
                self.stored.log_len += 1;
                self.stored.log_bytes += data.len();
                out.frames.push((Target::All, msg::encode_update(&data)));
            }
            self.stored.last_seq = seq;
        }
        true
    }

    /// The last resort when this room's document and the log disagree: reload it from storage
    /// and let every client reconnect and resync.
    async fn resync_everyone(&mut self, why: &str) -> bool {
        tracing::error!(document = %self.id, why, "document out of step with storage; reloading");
        self.close_all(CloseReason::new(1012, "service restart"));
        self.reload().await
    }

    /// Throws the in-memory document away and loads the committed one.
    async fn reload(&mut self) -> bool {
        match load_doc(&self.hub, &self.id).await {
            Ok(loaded) => {
                self.locked = loaded.locked;
                self.doc = loaded.doc;
                self.stored = loaded.stored;
                true
            }
            Err(e) => {
                tracing::error!(document = %self.id, error = %e, "reloading the document failed");
                false
            }
        }
    }

    fn remove_peer(&mut self, conn: ConnectionId, out: &mut Outgoing) {
        self.held.remove(&conn);
        if self.peers.remove(&conn).is_some() {
            self.hub.events.send(DocEvent::Presence(self.id.clone()));
            let removed = self.awareness.remove_owned_by(conn);
            if !removed.is_empty() {
                out.frames
                    .push((Target::All, msg::encode_awareness(&removed)));
            }
        }
    }

    /// Peers closed while sending (a full queue) leave now, and the others learn that their
    /// presence is gone.
    fn drop_closed_peers(&mut self) {
        loop {
            let closed: Vec<ConnectionId> = self
                .peers
                .values()
                .filter(|p| p.closer.is_closed())
                .map(|p| p.id)
                .collect();
            if closed.is_empty() {
                return;
            }
            for conn in closed {
                if self
                    .peers
                    .get(&conn)
                    .is_some_and(|p| p.closer.reason() == Some(CloseReason::SLOW))
                {
                    self.hub.metrics.connections_closed_slow.inc();
                    tracing::info!(document = %self.id, conn = conn.0, "closing a connection whose send queue is full");
                }
                self.peers.remove(&conn);
                self.held.remove(&conn);
                let removed = self.awareness.remove_owned_by(conn);
                if !removed.is_empty() {
                    let frame = msg::encode_awareness(&removed);
                    for p in self.peers.values() {
                        p.send(frame.clone());
                    }
                    self.publish(vec![frame]);
                }
            }
        }
    }

    fn close_all(&mut self, reason: CloseReason) {
        for (_, p) in self.peers.drain() {
            p.closer.close(reason);
        }
    }

    /// Folds the log into a snapshot when it holds at least `compact_after` updates and at least
    /// half as many bytes as the snapshot: the work of folding, which grows with the document,
    /// stays proportional to the bytes written, however large the document grows. The state is
    /// encoded here, from the room's own document (the committed state at `last_seq`); storing it
    /// happens in a task of its own, off the path of live updates.
    fn maybe_compact(&mut self) {
        if self.compaction.as_ref().is_some_and(|c| !c.is_finished()) {
            return;
        }
        self.take_folded();
        if self.stored.log_len < self.hub.limits.compact_after
            || self.stored.log_bytes.saturating_mul(2) < self.stored.snapshot_bytes
        {
            return;
        }
        let Some(state) = self.encode_for_snapshot() else {
            return;
        };
        let hub = self.hub.clone();
        let id = self.id.clone();
        let slot = self.folded.clone();
        let (previous, through) = (self.stored.snapshot_seq, self.stored.last_seq);
        // Updates that arrive while compacting stay in the log and count towards the next one.
        self.stored.log_len = 0;
        self.stored.log_bytes = 0;
        self.compaction = Some(hub.tasks.clone().spawn(async move {
            match compact::store(&hub, &id, previous, through, state).await {
                Ok(Some(folded)) => {
                    hub.metrics.compactions.inc();
                    tracing::debug!(document = %id, seq = folded.seq, snapshot = folded.snapshot, "compacted");
                    *slot.lock() = Some(folded);
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(document = %id, error = %e, "compaction failed"),
            }
        }));
    }

    /// Folds whatever log there is now (the room is unloading or the server stopping).
    async fn compact_now(&mut self) {
        // One still running folds only the log up to where it began (it can wait long for
        // SQLite's write lock while updates are committed): let it finish, then fold the rest.
        if let Some(running) = self.compaction.take() {
            let _ = running.await;
        }
        self.take_folded();
        if self.stored.last_seq <= self.stored.snapshot_seq {
            return;
        }
        if let Some(state) = self.encode_for_snapshot() {
            match compact::store(
                &self.hub,
                &self.id,
                self.stored.snapshot_seq,
                self.stored.last_seq,
                state,
            )
            .await
            {
                Ok(Some(folded)) => {
                    self.hub.metrics.compactions.inc();
                    self.compacted(folded);
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(document = %self.id, error = %e, "compaction failed"),
            }
        }
    }

    fn encode_for_snapshot(&self) -> Option<Vec<u8>> {
        self.doc
            .encode_full()
            .inspect_err(
                |e| tracing::warn!(document = %self.id, error = %e, "encoding a snapshot failed"),
            )
            .ok()
    }

    fn take_folded(&mut self) {
        let folded = self.folded.lock().take();
        if let Some(folded) = folded {
            self.compacted(folded);
        }
    }

    /// Storage now holds a snapshot up to `folded.seq`; the log bytes counted since the
    /// compaction began are what remains after it.
    fn compacted(&mut self, folded: Folded) {
        if folded.seq <= self.stored.snapshot_seq {
            return;
        }
        self.stored.snapshot_seq = folded.seq;
        self.stored.snapshot_bytes = folded.snapshot;
        self.stored.bytes = folded.snapshot + self.stored.log_bytes;
    }
}

/// What storage holds of the document, as far as the room knows.
#[derive(Debug, Clone, Copy)]
struct Stored {
    /// Bytes of snapshot and log: bounds the document size.
    bytes: usize,
    /// Updates and bytes in the log since the snapshot (or since a compaction began).
    log_len: usize,
    log_bytes: usize,
    /// The snapshot: the last update it contains, and its size.
    snapshot_seq: i64,
    snapshot_bytes: usize,
    /// The sequence number of the last committed update the room's document contains.
    last_seq: i64,
}

/// A document as loaded from storage.
struct Loaded {
    doc: LiveDoc,
    stored: Stored,
    locked: bool,
}

/// Loads a document from storage.
async fn load_doc(hub: &HubShared, id: &DocumentId) -> Result<Loaded, String> {
    let started = std::time::Instant::now();
    let stored = read_doc(hub, id).await?;
    build_doc(id, Arc::new(stored), started).await
}

/// Reads what storage holds of a document.
async fn read_doc(hub: &HubShared, id: &DocumentId) -> Result<StoredDocument, String> {
    hub.store.load_document(id).await.map_err(|e| e.to_string())
}

/// Builds the in-memory document from what storage holds (shared with [`Early`] meanwhile).
async fn build_doc(
    id: &DocumentId,
    stored: Arc<StoredDocument>,
    started: std::time::Instant,
) -> Result<Loaded, String> {
    let counts = Stored {
        bytes: stored.stored_bytes(),
        log_len: stored.updates.len(),
        log_bytes: stored.updates.iter().map(|u| u.1.len()).sum(),
        snapshot_seq: stored.snapshot_seq,
        snapshot_bytes: stored.snapshot.as_ref().map_or(0, Vec::len),
        last_seq: stored.last_seq(),
    };
    let locked = stored.locked;
    let read = started.elapsed();
    // Applying a long log is CPU work: keep it off the async workers.
    let doc = tokio::task::spawn_blocking(move || {
        LiveDoc::load(
            stored.snapshot.as_deref(),
            stored.updates.iter().map(|u| u.1.as_slice()),
        )
    })
    .await
    .map_err(|e| e.to_string())?
    .map_err(|e| e.to_string())?;
    tracing::debug!(
        document = %id,
        bytes = counts.bytes,
        updates = counts.log_len,
        read_ms = read.as_secs_f64() * 1e3,
        total_ms = started.elapsed().as_secs_f64() * 1e3,
        "loaded"
    );
    Ok(Loaded {
        doc,
        stored: counts,
        locked,
    })
}
