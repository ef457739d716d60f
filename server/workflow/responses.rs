//! Submitting and reopening an LMU's response.

use super::Round;
use super::facts::document_facts;
use crate::docs::DocEvent;
use crate::domain::hearing::HearingState;
use crate::domain::policy::{self, Principal};
use crate::error::{Error, Result};
use crate::ids::DocumentId;
use crate::store::hearings::{ResponseRow, ResponseStatus};
use crate::store::now_millis;

impl Round {
    /// The LMU chair submits: the document is locked, its committed text kept as a version, and
    /// the response marked late if the LMU deadline has passed. When it is the last response,
    /// collection closes.
    pub async fn submit_response(&self, p: &Principal, r: &ResponseRow) -> Result<i64> {
        let facts = document_facts(&self.store, &r.document_id).await?;
        if !policy::may_submit(p, &facts) {
            return Err(if r.status == ResponseStatus::Submitted {
                Error::Conflict("svaret er allerede indsendt".into())
            } else if policy::document_access(p, &facts).is_some() {
                Error::forbidden("kun LMU'ets formandskab kan indsende svaret")
            } else {
                Error::forbidden("du har ikke adgang til dette svar")
            });
        }
        let hearing = self
            .store
            .hearing(r.hearing_id)
            .await?
            .ok_or_else(|| Error::not_found("høringen findes ikke"))?;
        let late = now_millis() > hearing.lmu_deadline;
        let committee = self
            .store
            .committee(r.committee_id)
            .await?
            .map(|c| c.short_name)
            .unwrap_or_default();
        let name = format!("Indsendt af LMU {committee}");
        let id = DocumentId::parse(&r.document_id).ok_or(Error::InvalidDocumentId)?;
        // Lock the open document first: what it accepted is committed before the version is
        // taken, and nothing it accepts afterwards is refused by storage.
        self.hub.set_locked(&id, true).await;
        let result = self
            .store
            .submit_response(r.id, p.user, late, &name, super::versions::from_stored)
            .await;
        let version = match result {
            Ok(v) => v,
            Err(e) => {
                // A second submit that lost to the first must not unlock the first one's lock.
                self.sync_room_locks(std::slice::from_ref(&r.document_id))
                    .await;
                return Err(match e {
                    crate::store::hearings::ChangeError::Conflict => {
                        Error::Conflict("svaret er allerede indsendt".into())
                    }
                    e => e.into(),
                });
            }
        };
        self.hub.events().send(DocEvent::Hearing(r.hearing_id));
        self.close_if_complete(r.hearing_id).await;
        Ok(version)
    }

    /// Collection closes by itself once every invited LMU has submitted.
    async fn close_if_complete(&self, hearing: i64) {
        let Ok(Some(h)) = self.store.hearing(hearing).await else {
            return;
        };
        if h.state != HearingState::Collecting {
            return;
        }
        let Ok(responses) = self.store.responses(hearing).await else {
            return;
        };
        if responses
            .iter()
            .all(|r| r.status == ResponseStatus::Submitted)
            && let Err(e) = self.close_hearing(None, &h).await
        {
            tracing::warn!(hearing, error = %e, "closing after the last response failed");
        }
    }

    /// The secretariat reopens a submitted response before the LMU deadline.
    pub async fn reopen_response(&self, p: &Principal, r: &ResponseRow) -> Result<()> {
        let facts = document_facts(&self.store, &r.document_id).await?;
        let hearing = self
            .store
            .hearing(r.hearing_id)
            .await?
            .ok_or_else(|| Error::not_found("høringen findes ikke"))?;
        let before_deadline = now_millis() < hearing.lmu_deadline;
        if !policy::may_reopen(p, &facts, before_deadline) {
            return Err(if !p.secretariat {
                Error::forbidden("kun sekretariatet kan genåbne et svar")
            } else if r.status != ResponseStatus::Submitted {
                Error::Conflict("svaret er ikke indsendt".into())
            } else if !before_deadline {
                Error::Conflict("LMU-fristen er udløbet; svaret kan ikke genåbnes".into())
            } else {
                Error::Conflict(format!(
                    "høringen er {}; svaret kan ikke genåbnes",
                    hearing.state.label()
                ))
            });
        }
        self.store.reopen_response(r.id, p.user).await?;
        if let Some(id) = DocumentId::parse(&r.document_id) {
            self.hub.set_locked(&id, false).await;
        }
        self.hub.events().send(DocEvent::Hearing(r.hearing_id));
        Ok(())
    }
}
