//! Which of a hearing's documents are locked (read-only for everyone) in a given state, and how
//! a change of locks reaches the open documents without losing or half-accepting an update.

use crate::auth::Access;
use crate::docs::Hub;
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

/// Applies a change of locks (`before` → `after`, as from [`locks_for`]) to the open documents
/// around a change that commits it to storage. Documents about to be locked are locked *before*
/// the change commits, so that nothing they accepted is refused afterwards; documents about to
/// be unlocked are unlocked after it. If `change` fails, the early locks are undone.
pub async fn around<F, T, E>(
    hub: &Hub,
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
        let Some(id) = DocumentId::parse(d) else {
            continue;
        };
        match (was_locked(d), *locked) {
            (false, true) => locking.push(id),
            (true, false) => unlocking.push(id),
            _ => {}
        }
    }
    for id in &locking {
        hub.set_locked(id, true).await;
    }
    let result = change.await;
    let reopen = if result.is_ok() { &unlocking } else { &locking };
    for id in reopen {
        hub.set_locked(id, false).await;
    }
    result
}
