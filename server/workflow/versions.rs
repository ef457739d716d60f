//! Versions of live documents: built from what storage holds, or from an open document's
//! committed state.

use super::Round;
use crate::docs::ydoc::LiveDoc;
use crate::domain::policy::UserId;
use crate::error::{Error, Result};
use crate::ids::DocumentId;
use crate::store::documents::StoredDocument;

/// The full-state update and content (JSON text) of a stored document: what a version keeps.
pub fn from_stored(stored: &StoredDocument) -> std::result::Result<(Vec<u8>, String), String> {
    let doc = LiveDoc::load(
        stored.snapshot.as_deref(),
        stored.updates.iter().map(|u| u.1.as_slice()),
    )
    .map_err(|e| e.to_string())?;
    let state = doc.encode_full().map_err(|e| e.to_string())?;
    let content = doc.canonical().map_err(|e| e.to_string())?;
    Ok((state, content.to_string()))
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
        Ok(self
            .store
            .create_version(
                document,
                kind,
                name,
                &snap.state,
                &snap.content.to_string(),
                snap.seq,
                by,
                hearing,
            )
            .await?)
    }
}
