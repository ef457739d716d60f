//! Which of a hearing's documents are locked (read-only for everyone) in a given state, and how
//! a change of locks reaches the open documents without losing or half-accepting an update.
//!
//! The database decides: a state change sets the `locked` flags in its own transaction
//! (`store::hearings`), and commits to a locked document are refused whatever a room believes.
//! The rooms are told as well, so that they refuse at once instead of at commit.

use super::Round;
use crate::auth::Access;
use crate::domain::hearing::HearingState;
use crate::domain::policy::{DocumentFacts, HearingFacts, document_cap};
use crate::ids::DocumentId;
use crate::store::hearings::{ResponseRow, ResponseStatus};

/// The `locked` flag of every document of a hearing in `state`: locked where nobody may write.
pub fn locks_for(
    facts: &HearingFacts,
    state: HearingState,
    joint_document: Option<&str>,
    responses: &[ResponseRow],
) -> Vec<(String, bool)> {
    let hearing = HearingFacts {
        state,
        ..facts.clone()
    };
    let mut locks: Vec<(String, bool)> = responses
        .iter()
        .map(|r| {
            let facts = DocumentFacts::Response {
                hearing: hearing.clone(),
                committee: r.committee_id,
                submitted: r.status == ResponseStatus::Submitted,
            };
            (
                r.document_id.clone(),
                document_cap(&facts) == Access::ReadOnly,
            )
        })
        .collect();
    if let Some(joint) = joint_document {
        let facts = DocumentFacts::Joint { hearing };
        locks.push((joint.to_owned(), document_cap(&facts) == Access::ReadOnly));
    }
    locks
}

impl Round {
    /// Applies a change of locks (`before` → `after`, as from [`locks_for`]) to the open
    /// documents around a change that commits it to storage. Documents about to be locked are
    /// locked *before* the change commits, so that nothing they accepted is refused afterwards;
    /// documents about to be unlocked are unlocked after it. If `change` fails, the rooms
    /// learn the locks from storage again.
    pub async fn around_locks<F, T, E>(
        &self,
        before: &[(String, bool)],
        after: &[(String, bool)],
        change: F,
    ) -> Result<T, E>
    where
        F: std::future::Future<Output = Result<T, E>>,
    {
        let was_locked = |d: &str| before.iter().any(|(b, l)| b == d && *l);
        let mut locking = Vec::new();
        let mut unlocking = Vec::new();
        for (d, locked) in after {
            match (was_locked(d), *locked) {
                (false, true) => locking.push(d.clone()),
                (true, false) => unlocking.push(d.clone()),
                _ => {}
            }
        }
        for d in &locking {
            if let Some(id) = DocumentId::parse(d) {
                self.hub.set_locked(&id, true).await;
            }
        }
        let result = change.await;
        match &result {
            Ok(_) => {
                for d in &unlocking {
                    if let Some(id) = DocumentId::parse(d) {
                        self.hub.set_locked(&id, false).await;
                    }
                }
            }
            Err(_) => self.sync_room_locks(&locking).await,
        }
        result
    }

    /// Tells the open rooms of `documents` what storage says about their locks (after a change
    /// that failed: another request may have locked them meanwhile).
    pub async fn sync_room_locks(&self, documents: &[String]) {
        for d in documents {
            let Some(id) = DocumentId::parse(d) else {
                continue;
            };
            match self.store.document_locked(d).await {
                Ok(locked) => self.hub.set_locked(&id, locked).await,
                Err(e) => {
                    tracing::warn!(document = %d, error = %e, "reading a document's lock failed")
                }
            }
        }
    }
}
