//! What a room answers while its yrs document is still being built from storage.
//!
//! Building a large document takes tens of milliseconds (the stored state is parsed, checked and
//! integrated by yrs), but the stored bytes themselves are the document's whole committed state:
//! a snapshot is a complete update, and the logged updates after it are updates. A client that
//! has nothing yet (its sync step 1 carries an empty state vector, as every newly opened editor's
//! does) is answered with those bytes at once: the snapshot as sync step 2, then each logged
//! update. It never sees an empty document first: what it gets is the committed content.
//!
//! Everything else waits, in order, until the document is built: joins are let through (so that
//! the connection reads on) but join the room then, and once one message of a connection had to
//! wait, all its later ones wait too, so nothing of one connection is answered out of order.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use bytes::Bytes;
use tokio::sync::oneshot;

use super::connection::{CloseReason, Peer};
use super::room::RoomMsg;
use crate::ids::ConnectionId;
use crate::store::StoredDocument;
use crate::sync::message::{self as msg, Message};

/// Most messages held back while building; beyond it the mailbox's own bound applies.
pub(super) const MAX_DEFERRED: usize = 1024;

/// Most logged updates sent one by one after the snapshot: a longer log (after a crash, before
/// the next compaction) waits for the built document and goes out as one sync step 2, rather
/// than filling the connection's send queue.
const MAX_EARLY_UPDATES: usize = 64;

pub(super) struct Early {
    /// What storage holds (shared with the build), if it can answer early: a snapshot and a
    /// short log.
    stored: Option<Arc<StoredDocument>>,
    /// The stored state as frames (sync step 2 of the snapshot, then the log's updates), made
    /// when the first client needs them.
    frames: Vec<Bytes>,
    /// The connections that joined while building.
    peers: HashMap<ConnectionId, Peer>,
    /// Connections with a message waiting: their later messages wait too.
    waiting: HashSet<ConnectionId>,
    /// What the room handles once the document is built, in arrival order.
    pub(super) deferred: Vec<RoomMsg>,
}

impl Early {
    pub(super) fn new(stored: &Arc<StoredDocument>) -> Self {
        let usable = stored.snapshot.is_some() && stored.updates.len() <= MAX_EARLY_UPDATES;
        Self {
            stored: usable.then(|| stored.clone()),
            frames: Vec::new(),
            peers: HashMap::new(),
            waiting: HashSet::new(),
            deferred: Vec::new(),
        }
    }

    /// Whether more messages may be taken from the mailbox now.
    pub(super) fn has_room(&self) -> bool {
        self.deferred.len() < MAX_DEFERRED
    }

    /// Answers `m` from the stored bytes if it can be, or keeps it for the built room.
    pub(super) fn take(&mut self, m: RoomMsg) {
        match m {
            RoomMsg::Join { peer, reply } => {
                self.peers.insert(peer.id, (*peer).clone());
                let _ = reply.send(());
                // The room adds the peer (and sends its own sync step 1) once built.
                let (reply, _) = oneshot::channel();
                self.deferred.push(RoomMsg::Join { peer, reply });
            }
            RoomMsg::Frame { conn, messages } => {
                if !self.waiting.contains(&conn)
                    && let Some(stored) = &self.stored
                    && let [Message::SyncStep1(sv)] = messages.as_slice()
                    && sv.iter().all(|&(_, clock)| clock == 0)
                    && let Some(peer) = self.peers.get(&conn)
                {
                    if self.frames.is_empty()
                        && let Some(snapshot) = &stored.snapshot
                    {
                        self.frames = std::iter::once(msg::encode_sync_step2(snapshot))
                            .chain(stored.updates.iter().map(|u| msg::encode_update(&u.1)))
                            .collect();
                    }
                    for frame in &self.frames {
                        if !peer.send(frame.clone()) {
                            break;
                        }
                    }
                    return;
                }
                self.waiting.insert(conn);
                self.deferred.push(RoomMsg::Frame { conn, messages });
            }
            RoomMsg::Leave { conn } => {
                self.peers.remove(&conn);
                self.deferred.push(RoomMsg::Leave { conn });
            }
            other => self.deferred.push(other),
        }
    }

    /// The document could not be built: the connections let through are closed.
    pub(super) fn fail(self) {
        for peer in self.peers.values() {
            peer.closer.close(CloseReason::INTERNAL);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Access;
    use crate::docs::connection::Closer;

    fn peer(id: u64) -> (Peer, flume::Receiver<Bytes>) {
        let (outbox, queue) = crate::docs::connection::send_queue(16);
        let peer = Peer {
            id: ConnectionId(id),
            user: Arc::from("anne"),
            access: Access::ReadWrite,
            person: None,
            want_ack: false,
            outbox,
            closer: Arc::new(Closer::default()),
        };
        (peer, queue)
    }

    fn join(peer: &Peer) -> (RoomMsg, oneshot::Receiver<()>) {
        let (reply, joined) = oneshot::channel();
        let m = RoomMsg::Join {
            peer: Box::new(peer.clone()),
            reply,
        };
        (m, joined)
    }

    fn step1(conn: u64, sv: Vec<(u64, u32)>) -> RoomMsg {
        RoomMsg::Frame {
            conn: ConnectionId(conn),
            messages: vec![Message::SyncStep1(sv)],
        }
    }

    fn stored(snapshot: Option<&[u8]>, log: &[&[u8]]) -> StoredDocument {
        StoredDocument {
            locked: false,
            snapshot: snapshot.map(<[u8]>::to_vec),
            snapshot_seq: 1,
            updates: log
                .iter()
                .enumerate()
                .map(|(i, u)| (i as i64 + 2, u.to_vec()))
                .collect(),
        }
    }

    fn drain(queue: &mut flume::Receiver<Bytes>) -> Vec<Bytes> {
        queue.drain().collect()
    }

    #[test]
    fn a_client_with_nothing_gets_the_snapshot_and_then_the_log() {
        let mut early = Early::new(&Arc::new(stored(Some(b"SNAP"), &[b"U1", b"U2"])));
        let (anne, mut anne_out) = peer(1);
        let (m, mut joined) = join(&anne);
        early.take(m);
        assert!(joined.try_recv().is_ok(), "the join is let through at once");
        early.take(step1(1, vec![]));
        assert_eq!(
            drain(&mut anne_out),
            vec![
                msg::encode_sync_step2(b"SNAP"),
                msg::encode_update(b"U1"),
                msg::encode_update(b"U2"),
            ]
        );
        // The join itself waits for the room (its own step 1 needs the built document); the
        // answered step 1 does not.
        assert!(matches!(early.deferred.as_slice(), [RoomMsg::Join { .. }]));
    }

    #[test]
    fn a_client_with_content_waits_and_so_do_its_later_messages() {
        let mut early = Early::new(&Arc::new(stored(Some(b"SNAP"), &[])));
        let (bo, mut bo_out) = peer(2);
        early.take(join(&bo).0);
        early.take(step1(2, vec![(7, 3)]));
        // Even an empty step 1 after one that waits must not overtake it.
        early.take(step1(2, vec![]));
        early.take(RoomMsg::Leave {
            conn: ConnectionId(2),
        });
        assert!(drain(&mut bo_out).is_empty());
        let kinds: Vec<&str> = early
            .deferred
            .iter()
            .map(|m| match m {
                RoomMsg::Join { .. } => "join",
                RoomMsg::Frame { messages, .. } => match messages.as_slice() {
                    [Message::SyncStep1(sv)] if sv.is_empty() => "empty step 1",
                    _ => "step 1",
                },
                RoomMsg::Leave { .. } => "leave",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["join", "step 1", "empty step 1", "leave"]);
    }

    #[test]
    fn without_a_snapshot_or_with_a_long_log_everything_waits() {
        let long: Vec<&[u8]> = vec![b"U"; MAX_EARLY_UPDATES + 1];
        for stored in [stored(None, &[b"U1"]), stored(Some(b"SNAP"), &long)] {
            let mut early = Early::new(&Arc::new(stored));
            let (anne, mut anne_out) = peer(1);
            early.take(join(&anne).0);
            early.take(step1(1, vec![]));
            assert!(drain(&mut anne_out).is_empty());
            assert_eq!(early.deferred.len(), 2);
        }
    }

    #[test]
    fn a_failed_build_closes_the_connections_let_through() {
        let mut early = Early::new(&Arc::new(stored(Some(b"SNAP"), &[])));
        let (anne, _out) = peer(1);
        early.take(join(&anne).0);
        early.fail();
        assert_eq!(anne.closer.reason(), Some(CloseReason::INTERNAL));
    }
}
