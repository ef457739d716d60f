//! Folding a document's update log into a snapshot, off the path of live updates.
//!
//! The log is read in one read transaction, applied to a fresh document and encoded as one
//! full-state update (yrs `merge_updates_v1` grows superlinearly: design.md §6); the snapshot
//! replaces the folded updates in one write transaction, which does nothing if another
//! compaction moved the snapshot meanwhile.

use super::HubShared;
use super::ydoc::LiveDoc;
use crate::ids::DocumentId;

/// Compacts `id`; returns (bytes folded, snapshot bytes), or None if there was nothing to do.
pub async fn compact(hub: &HubShared, id: &DocumentId) -> Result<Option<(usize, usize)>, String> {
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
    let folded = stored.stored_bytes();
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
    Ok(replaced.then_some((folded, snapshot.len())))
}
