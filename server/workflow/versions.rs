//! Versions of live documents — built from what storage holds, or from an open document's
//! committed state — and what is read from them: blocks, who wrote what, diffs.

use std::panic::{AssertUnwindSafe, catch_unwind};

use yrs::updates::decoder::Decode;
use yrs::{Doc, Transact, Update};

use super::Round;
use crate::docs::ydoc::LiveDoc;
use crate::domain::policy::UserId;
use crate::error::{Error, Result};
use crate::ids::DocumentId;
use crate::model::Blocks;
use crate::model::diff::{Attribution, Deletion, Diff, diff_attributed};
use crate::model::read::{Reading, read, read_with_ids};
use crate::store::documents::StoredDocument;
use crate::store::versions::VersionRow;

/// Runs yrs work on a state the server committed itself, off the async workers, without letting
/// a panic in yrs take anything down.
pub async fn with_doc<T, F>(state: Vec<u8>, f: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(&Doc) -> T + Send + 'static,
{
    tokio::task::spawn_blocking(move || {
        catch_unwind(AssertUnwindSafe(|| {
            let doc = Doc::new();
            let update = Update::decode_v1(&state).map_err(|e| e.to_string())?;
            doc.transact_mut()
                .apply_update(update)
                .map_err(|e| e.to_string())?;
            Ok::<T, String>(f(&doc))
        }))
        .unwrap_or_else(|_| Err("yrs panicked".into()))
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))?
    .map_err(Error::Internal)
}

/// The blocks of a full-state update.
pub async fn blocks_of(state: Vec<u8>) -> Result<Blocks> {
    with_doc(state, |doc| read(&doc.transact())).await
}

/// The blocks of a full-state update with the item ID of every character.
pub async fn reading_of(state: Vec<u8>) -> Result<Reading> {
    with_doc(state, |doc| read_with_ids(&mut doc.transact_mut())).await
}

/// The full-state update and content (the blocks as JSON) of a stored document: what a
/// version keeps.
pub fn from_stored(stored: &StoredDocument) -> std::result::Result<(Vec<u8>, String), String> {
    let doc = LiveDoc::load(
        stored.snapshot.as_deref(),
        stored.updates.iter().map(|u| u.1.as_slice()),
    )
    .map_err(|e| e.to_string())?;
    let state = doc.encode_full().map_err(|e| e.to_string())?;
    let blocks = blocks_of_state(&state)?;
    let content = serde_json::to_string(&blocks).map_err(|e| e.to_string())?;
    Ok((state, content))
}

/// The blocks of a full-state update, synchronously (inside a transaction's closure).
pub fn blocks_of_state(state: &[u8]) -> std::result::Result<Blocks, String> {
    catch_unwind(AssertUnwindSafe(|| {
        let doc = Doc::new();
        let update = Update::decode_v1(state).map_err(|e| e.to_string())?;
        doc.transact_mut()
            .apply_update(update)
            .map_err(|e| e.to_string())?;
        Ok(read(&doc.transact()))
    }))
    .unwrap_or_else(|_| Err("yrs panicked".into()))
}

/// A version's blocks, as stored with it.
pub fn version_blocks(v: &VersionRow) -> Result<Blocks> {
    serde_json::from_str(&v.content)
        .map_err(|e| Error::Internal(format!("version {} content: {e}", v.id)))
}

/// One side of a diff: a version, or the live text now.
pub struct Side {
    pub state: Vec<u8>,
    /// The last update sequence number it contains.
    pub seq: i64,
}

impl Round {
    /// Stores a version of a live document as it is committed now.
    pub async fn create_version(
        &self,
        document: &str,
        kind: &str,
        name: &str,
        by: Option<UserId>,
        hearing: Option<i64>,
    ) -> Result<i64> {
        let id = DocumentId::parse(document).ok_or(Error::InvalidDocumentId)?;
        let snap = self.hub.snapshot(&id).await?;
        let blocks = blocks_of(snap.state.clone()).await?;
        let content = serde_json::to_string(&blocks).map_err(|e| Error::Internal(e.to_string()))?;
        Ok(self
            .store
            .create_version(
                document,
                kind,
                name,
                &snap.state,
                &content,
                snap.seq,
                by,
                hearing,
            )
            .await?)
    }

    /// A version's side of a diff.
    pub async fn version_side(&self, v: &VersionRow) -> Result<Side> {
        let state = self
            .store
            .version_state(v.id)
            .await?
            .ok_or_else(|| Error::not_found("versionen findes ikke"))?;
        Ok(Side { state, seq: v.seq })
    }

    /// The live document's side of a diff (its committed state now).
    pub async fn live_side(&self, document: &str) -> Result<Side> {
        let id = DocumentId::parse(document).ok_or(Error::InvalidDocumentId)?;
        let snap = self.hub.snapshot(&id).await?;
        Ok(Side {
            state: snap.state,
            seq: snap.seq,
        })
    }

    /// Who wrote (by Yjs client id) and who deleted what in a document between two sequence
    /// numbers: from the clients recorded when they first wrote, the update log, and the
    /// deletions kept when the log was folded.
    pub async fn attribution(
        &self,
        document: &str,
        after: i64,
        through: i64,
    ) -> Result<Attribution> {
        let mut a = Attribution::default();
        for (client, user) in self.store.document_clients(document).await? {
            a.users.insert(client, user);
        }
        for (client, clock, len, user) in
            self.store.kept_deletions(document, after, through).await?
        {
            a.deletions.push(Deletion {
                client,
                clocks: clock..clock.saturating_add(len),
                user,
            });
        }
        for (_, data, user) in self.store.logged_updates(document, after, through).await? {
            let Ok(parsed) = crate::sync::validate::ParsedUpdate::parse(&data) else {
                continue;
            };
            for &(client, clock, len) in parsed.deletes() {
                a.deletions.push(Deletion {
                    client,
                    clocks: clock..clock.saturating_add(len),
                    user: user.clone(),
                });
            }
            // Updates sent before attribution was recorded still name their user.
            for (client, _) in parsed.clock_ends() {
                a.users.entry(client).or_insert_with(|| user.clone());
            }
        }
        Ok(a)
    }

    /// The diff from `old` to `new` of a document, with authors.
    pub async fn diff(&self, document: &str, old: Side, new: Side) -> Result<Diff> {
        let (after, through) = (old.seq.min(new.seq), old.seq.max(new.seq));
        let attribution = self.attribution(document, after, through).await?;
        let old = reading_of(old.state).await?;
        let new = reading_of(new.state).await?;
        tokio::task::spawn_blocking(move || diff_attributed(&old, &new, &attribution))
            .await
            .map_err(|e| Error::Internal(e.to_string()))
    }
}
