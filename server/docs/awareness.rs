//! Presence (y-protocols awareness) of one document, relayed between its connections.
//!
//! The server keeps every client's latest state and which connection advanced its clock. Clients
//! re-send every remote change they apply, so only entries that are newer than what we hold are
//! accepted, owned by the sending connection and relayed; when a connection closes, exactly the
//! states it owns are removed (design.md §6).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::ids::ConnectionId;
use crate::sync::message::AwarenessEntry;

/// Removed states are remembered (to reject stale re-sends) up to this many entries.
const MAX_REMEMBERED: usize = 4096;

/// Clients renew their presence every 15 s; one not renewed for 30 s is gone (as in y-protocols).
const OUTDATED: Duration = Duration::from_secs(30);

struct State {
    clock: u64,
    state: Option<String>,
    /// The local connection that advanced it; `None` for presence from another process.
    owner: Option<ConnectionId>,
    updated: Instant,
}

#[derive(Default)]
pub struct Awareness {
    states: HashMap<u64, State>,
}

impl Awareness {
    /// Applies entries from a local connection (`Some`) or another process (`None`); returns
    /// those that changed, to relay to the others.
    pub fn apply(
        &mut self,
        owner: Option<ConnectionId>,
        entries: Vec<AwarenessEntry>,
    ) -> Vec<AwarenessEntry> {
        let mut changed = Vec::new();
        for e in entries {
            let newer = match self.states.get(&e.client) {
                None => true,
                Some(cur) => {
                    e.clock > cur.clock
                        || (e.clock == cur.clock && e.state.is_none() && cur.state.is_some())
                }
            };
            if !newer {
                continue;
            }
            self.states.insert(
                e.client,
                State {
                    clock: e.clock,
                    state: e.state.clone(),
                    owner,
                    updated: Instant::now(),
                },
            );
            changed.push(e);
        }
        self.forget_removed();
        changed
    }

    /// Removes the states `conn` owns; returns the removals to relay.
    pub fn remove_owned_by(&mut self, conn: ConnectionId) -> Vec<AwarenessEntry> {
        let mut removed = Vec::new();
        for (&client, s) in self.states.iter_mut() {
            if s.owner != Some(conn) {
                continue;
            }
            s.owner = None;
            if s.state.take().is_some() {
                // JavaScript clients (and our own decoder) read clocks up to 2^53 - 1.
                s.clock = (s.clock + 1).min(crate::sync::lib0::MAX_SAFE_INTEGER);
                removed.push(AwarenessEntry {
                    client,
                    clock: s.clock,
                    state: None,
                });
            }
        }
        removed
    }

    /// Every present state (for a joiner and for a query).
    pub fn present(&self) -> Vec<AwarenessEntry> {
        self.states
            .iter()
            .filter(|(_, s)| s.updated.elapsed() < OUTDATED)
            .filter_map(|(&client, s)| {
                s.state.as_ref().map(|state| AwarenessEntry {
                    client,
                    clock: s.clock,
                    state: Some(state.clone()),
                })
            })
            .collect()
    }

    fn forget_removed(&mut self) {
        if self.states.len() > MAX_REMEMBERED {
            self.states.retain(|_, s| s.state.is_some());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(client: u64, clock: u64, state: Option<&str>) -> AwarenessEntry {
        AwarenessEntry {
            client,
            clock,
            state: state.map(str::to_owned),
        }
    }

    #[test]
    fn echoes_are_not_relayed_and_closing_removes_only_own_states() {
        let (a, b) = (ConnectionId(1), ConnectionId(2));
        let mut aw = Awareness::default();
        assert_eq!(aw.apply(Some(a), vec![entry(10, 1, Some("{}"))]).len(), 1);
        assert_eq!(aw.apply(Some(b), vec![entry(20, 1, Some("{}"))]).len(), 1);
        // b re-sends a's state it applied: same clock, not newer, not relayed, a keeps it
        assert!(aw.apply(Some(b), vec![entry(10, 1, Some("{}"))]).is_empty());
        let removed = aw.remove_owned_by(b);
        assert_eq!(removed, vec![entry(20, 2, None)]);
        assert_eq!(aw.present(), vec![entry(10, 1, Some("{}"))]);
        // a stale re-send of the removed state is refused
        assert!(aw.apply(Some(a), vec![entry(20, 1, Some("{}"))]).is_empty());
    }
}
