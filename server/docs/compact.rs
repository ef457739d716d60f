//! Folding a document's update log into a snapshot, off the path of live updates.
//!
//! A room folds its log from its own document: it encodes the committed state as one full-state
//! update (yrs `merge_updates_v1` grows superlinearly: design.md §6) and [`store`] writes it. The
//! snapshot replaces the folded updates in one write transaction, which does nothing if another
//! compaction moved the snapshot meanwhile; [`from_storage`] then folds what storage holds
//! instead: the log is read in one read transaction, applied to a fresh document and encoded.

use super::HubShared;
use super::ydoc::LiveDoc;
use crate::ids::DocumentId;

/// What a compaction did.
#[derive(Debug, Clone, Copy)]
pub struct Folded {
    /// The sequence number of the last update the new snapshot contains.
    pub seq: i64,
    /// The new snapshot's size.
    pub snapshot: usize,
}

/// Replaces the log of `id` after `previous_seq` up to `through_seq` by `state`, the document's
/// full state at `through_seq`; if another compaction moved the snapshot meanwhile, folds what
/// storage holds instead. None if there was nothing to do.
pub async fn store(
    hub: &HubShared,
    id: &DocumentId,
    previous_seq: i64,
    through_seq: i64,
    state: Vec<u8>,
) -> Result<Option<Folded>, String> {
    if through_seq <= previous_seq {
        return Ok(None);
    }
    let replaced = hub
        .store
        .replace_with_snapshot(id, previous_seq, through_seq, &state)
        .await
        .map_err(|e| e.to_string())?;
    if replaced {
        return Ok(Some(Folded {
            seq: through_seq,
            snapshot: state.len(),
        }));
    }
    from_storage(hub, id).await
}

/// Compacts `id` from what storage holds; None if there was nothing to do.
pub async fn from_storage(hub: &HubShared, id: &DocumentId) -> Result<Option<Folded>, String> {
    let stored = hub
        .store
        .load_document(id)
        .await
        .map_err(|e| e.to_string())?;
    if stored.updates.is_empty() {
        return Ok(None);
    }
    let previous_seq = stored.snapshot_seq;
    let through_seq = stored.last_seq();
    let snapshot = tokio::task::spawn_blocking(move || {
        LiveDoc::load(
            stored.snapshot.as_deref(),
            stored.updates.iter().map(|u| u.1.as_slice()),
        )?
        .encode_full()
    })
    .await
    .map_err(|e| e.to_string())?
    .map_err(|e| e.to_string())?;
    let replaced = hub
        .store
        .replace_with_snapshot(id, previous_seq, through_seq, &snapshot)
        .await
        .map_err(|e| e.to_string())?;
    Ok(replaced.then_some(Folded {
        seq: through_seq,
        snapshot: snapshot.len(),
    }))
}
