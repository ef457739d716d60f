//! Edits the server makes to a live document on someone's behalf (taking a passage into the
//! joint response, restoring a version): made on a copy of the committed state, then sent
//! through the document's room exactly like an edit from that person's editor — validated,
//! committed, broadcast.

use std::panic::{AssertUnwindSafe, catch_unwind};

use yrs::updates::decoder::Decode;
use yrs::{Doc, ReadTxn, Transact, TransactionMut, Update};

use super::Round;
use crate::auth::Grant;
use crate::docs::Applied;
use crate::error::{Error, Result};
use crate::ids::DocumentId;

impl Round {
    /// Applies `edit` to the document as `grant`'s user. The edit runs on a copy of the
    /// committed state; only what it changed is sent, so concurrent edits by others merge.
    pub async fn edit_live<F>(&self, document: &str, grant: Grant, edit: F) -> Result<()>
    where
        F: FnOnce(&mut TransactionMut) -> std::result::Result<(), String> + Send + 'static,
    {
        let id = DocumentId::parse(document).ok_or(Error::InvalidDocumentId)?;
        let snap = self.hub.snapshot(&id).await?;
        let update = tokio::task::spawn_blocking(move || {
            catch_unwind(AssertUnwindSafe(|| {
                let doc = Doc::new();
                let state = Update::decode_v1(&snap.state).map_err(|e| e.to_string())?;
                doc.transact_mut()
                    .apply_update(state)
                    .map_err(|e| e.to_string())?;
                let before = doc.transact().state_vector();
                {
                    let mut txn = doc.transact_mut();
                    edit(&mut txn)?;
                }
                Ok::<Vec<u8>, String>(doc.transact().encode_state_as_update_v1(&before))
            }))
            .unwrap_or_else(|_| Err("yrs panicked".into()))
        })
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
        .map_err(Error::invalid)?;
        match self
            .hub
            .apply_http_update(&id, grant.user, grant.access, update.into())
            .await?
        {
            Applied::Committed | Applied::Empty => Ok(()),
            Applied::ReadOnly => Err(Error::Conflict(
                "teksten er låst; ændringen er ikke gemt".into(),
            )),
            Applied::Refused(reason) => Err(Error::Internal(format!(
                "the server's own edit was refused: {}",
                reason.reason
            ))),
        }
    }
}
