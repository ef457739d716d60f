//! What the rules need to know of a hearing or a document, read from storage.

use crate::domain::policy::{DocumentFacts, HearingFacts};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::hearings::{HearingRow, ResponseStatus};

/// What the rules need of a hearing.
pub async fn hearing_facts(store: &Store, h: &HearingRow) -> Result<HearingFacts> {
    Ok(HearingFacts {
        committee: h.committee_id,
        state: h.state,
        invited: store.invited(h.id).await?,
    })
}

/// A live document's place in a hearing: an LMU response, the joint response, or neither.
pub async fn document_facts(store: &Store, document: &str) -> Result<DocumentFacts> {
    if let Some(r) = store.response_by_document(document).await? {
        let h = store
            .hearing(r.hearing_id)
            .await?
            .ok_or_else(|| Error::Internal(format!("response {} without hearing", r.id)))?;
        return Ok(DocumentFacts::Response {
            hearing: hearing_facts(store, &h).await?,
            committee: r.committee_id,
            submitted: r.status == ResponseStatus::Submitted,
        });
    }
    if let Some(h) = store.hearing_by_joint_document(document).await? {
        return Ok(DocumentFacts::Joint {
            hearing: hearing_facts(store, &h).await?,
        });
    }
    if is_hearing_document(document) {
        return Ok(DocumentFacts::Reserved);
    }
    Ok(DocumentFacts::Standalone)
}

/// Whether `id` has the form of a hearing's documents (`h<hearing>-…`, see
/// [`super::hearings::response_document`]).
pub fn is_hearing_document(id: &str) -> bool {
    id.strip_prefix('h')
        .and_then(|rest| rest.split_once('-'))
        .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}
