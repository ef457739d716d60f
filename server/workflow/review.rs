//! The HMU's review of the joint response, the chairs' approval, and freezing the approved
//! version into the record.
//!
//! An approval belongs to one shared version. It is in force while the joint response's text
//! is still exactly that version (its update sequence number has not moved); any edit after it
//! voids it, visibly: the approval is marked void with the reason, and an approved hearing goes
//! back to review.

use tokio::sync::broadcast::error::RecvError;
use tokio_util::sync::CancellationToken;

use super::Round;
use super::versions::{blocks_of_state, version_blocks};
use crate::docs::DocEvent;
use crate::domain::approval::{Rule, met};
use crate::domain::hearing::{HearingState, Transition, transition};
use crate::domain::policy::{self, Principal, Role, UserId};
use crate::error::{Error, Result};
use crate::export::html::{CANONICAL_FORM, canonical, sha256_hex};
use crate::store::hearings::HearingRow;
use crate::store::records::Frozen;
use crate::store::review::ApprovalRow;
use crate::store::versions::VersionRow;

/// The state of the chairs' approval of a hearing.
pub struct ApprovalState {
    pub rule: Rule,
    pub chairs: Vec<(UserId, String)>,
    /// The version the approvals in force are of.
    pub version: Option<VersionRow>,
    /// Approvals in force (of `version`, and the text still that version).
    pub in_force: Vec<ApprovalRow>,
    /// Every approval, in force or void.
    pub all: Vec<ApprovalRow>,
    pub met: bool,
}

impl Round {
    fn joint(h: &HearingRow) -> Result<&str> {
        h.joint_document_id
            .as_deref()
            .ok_or_else(|| Error::Conflict("høringen er ikke sendt ud endnu".into()))
    }

    /// The shared versions of the joint response, oldest first.
    pub async fn shared_versions(&self, h: &HearingRow) -> Result<Vec<VersionRow>> {
        let joint = Self::joint(h)?;
        Ok(self
            .store
            .versions(joint)
            .await?
            .into_iter()
            .filter(|v| v.kind == "shared")
            .collect())
    }

    /// The HMU's chairs.
    pub async fn chairs(&self, h: &HearingRow) -> Result<Vec<(UserId, String)>> {
        Ok(self
            .store
            .members(h.committee_id)
            .await?
            .into_iter()
            .filter(|(_, role)| *role == Role::Chair)
            .map(|(u, _)| (u.id, u.name))
            .collect())
    }

    /// The chairs share the joint response with the HMU as it is committed now.
    pub async fn share(&self, p: &Principal, h: &HearingRow, name: Option<String>) -> Result<i64> {
        let facts = super::facts::hearing_facts(&self.store, h).await?;
        if !policy::is_hmu_chair(p, &facts) {
            return Err(Error::forbidden("kun HMU-formandskabet kan dele udkast"));
        }
        let to = transition(h.state, Transition::Share)?;
        let joint = Self::joint(h)?.to_owned();
        let name = match name.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()) {
            Some(s) if s.chars().count() > 200 => {
                return Err(Error::invalid("navnet må højst være 200 tegn"));
            }
            Some(s) => Some(s),
            None => None,
        };
        if self.joint_blocks(h).await?.blocks.is_empty() {
            return Err(Error::Conflict(
                "det fælles svar er tomt; skriv eller indsæt tekst, før det deles".into(),
            ));
        }
        // The LMUs' unsubmitted drafts close when the hearing leaves consolidation.
        let responses = self.store.responses(h.id).await?;
        let before = super::locks::locks_for(&facts, h.state, Some(&joint), &responses);
        let after = super::locks::locks_for(&facts, to, Some(&joint), &responses);
        let detail = serde_json::json!({ "from": h.state.as_str() });
        self.around_locks(&before, &after, async {
            // A compare-and-set on the state read: a share racing an approval or another share
            // loses instead of sharing into a state it did not see.
            self.store
                .set_hearing_state(h.id, h.state, to, Some(p.user), "hearing.shared", detail)
                .await
        })
        .await?;
        let n = self.shared_versions(h).await?.len() + 1;
        let name = name.unwrap_or_else(|| format!("Udkast {n} til HMU"));
        let version = self
            .create_version(&joint, "shared", &name, Some(p.user), Some(h.id))
            .await?;
        // Approvals of an earlier version do not carry over to a new text.
        self.store
            .void_approvals(h.id, "en ny version er delt til gennemsyn", Some(p.user))
            .await?;
        self.hub.events().send(DocEvent::Hearing(h.id));
        Ok(version)
    }

    /// Where the chairs' approval stands.
    pub async fn approval_state(&self, h: &HearingRow) -> Result<ApprovalState> {
        let rule = Rule::from_quorum(h.approval_quorum);
        let chairs = self.chairs(h).await?;
        let all = self.store.approvals(h.id).await?;
        let current_seq = match &h.joint_document_id {
            Some(j) => self.store.document_activity(j).await?.last_seq,
            None => 0,
        };
        let mut version = None;
        let mut in_force = Vec::new();
        if let Some(latest) = all.iter().rev().find(|a| a.voided_at.is_none()) {
            let v = self.store.version(latest.version_id).await?;
            if let Some(v) = v.filter(|v| v.seq == current_seq) {
                in_force = all
                    .iter()
                    .filter(|a| a.voided_at.is_none() && a.version_id == v.id)
                    .cloned()
                    .collect();
                version = Some(v);
            }
        }
        let chair_ids: Vec<UserId> = chairs.iter().map(|c| c.0).collect();
        let approvers: Vec<UserId> = in_force.iter().map(|a| a.user_id).collect();
        Ok(ApprovalState {
            met: version.is_some() && met(rule, &chair_ids, &approvers),
            rule,
            chairs,
            version,
            in_force,
            all,
        })
    }

    /// A chair approves one shared version. When the rule is met, the hearing is approved.
    pub async fn approve(&self, p: &Principal, h: &HearingRow, version_id: i64) -> Result<()> {
        let facts = super::facts::hearing_facts(&self.store, h).await?;
        if !policy::is_hmu_chair(p, &facts) {
            return Err(Error::forbidden("kun HMU-formandskabet godkender"));
        }
        if !matches!(h.state, HearingState::InReview | HearingState::Approved) {
            return Err(Error::Conflict(format!(
                "høringen er {}; kun et delt udkast kan godkendes",
                h.state.label()
            )));
        }
        let shared = self.shared_versions(h).await?;
        let latest = shared
            .last()
            .ok_or_else(|| Error::Conflict("intet udkast er delt endnu".into()))?;
        if latest.id != version_id {
            return Err(Error::Conflict(format!(
                "kun den senest delte version ({}) kan godkendes",
                latest.name
            )));
        }
        let joint = Self::joint(h)?;
        let current = self.store.document_activity(joint).await?.last_seq;
        if current != latest.seq {
            return Err(Error::Conflict(
                "teksten er ændret, efter versionen blev delt; del den nye tekst, før den godkendes"
                    .into(),
            ));
        }
        if self
            .store
            .add_approval(h.id, version_id, p.user)
            .await?
            .is_none()
        {
            return Err(Error::Conflict(
                "du har allerede godkendt denne version".into(),
            ));
        }
        let state = self.approval_state(h).await?;
        if state.met && h.state == HearingState::InReview {
            let to = transition(h.state, Transition::Approve)?;
            let approvers: Vec<&str> = state
                .in_force
                .iter()
                .map(|a| a.user_name.as_str())
                .collect();
            let approved = self
                .store
                .set_hearing_state(
                    h.id,
                    h.state,
                    to,
                    Some(p.user),
                    "hearing.approved",
                    serde_json::json!({ "version": version_id, "approved_by": approvers }),
                )
                .await;
            match approved {
                // Another chair's approval met the rule at the same moment: approved either way.
                Ok(()) | Err(crate::store::hearings::ChangeError::Conflict) => {}
                Err(e) => return Err(e.into()),
            }
            // An edit that landed meanwhile voids it again at once.
            self.void_if_edited(h.id).await?;
        }
        self.hub.events().send(DocEvent::Hearing(h.id));
        Ok(())
    }

    /// Voids the approvals of a hearing whose joint response changed after them; an approved
    /// hearing whose approval no longer holds goes back to review. Returns whether anything
    /// changed.
    pub async fn void_if_edited(&self, hearing: i64) -> Result<bool> {
        let Some(h) = self.store.hearing(hearing).await? else {
            return Ok(false);
        };
        if !matches!(h.state, HearingState::InReview | HearingState::Approved) {
            return Ok(false);
        }
        let state = self.approval_state(&h).await?;
        let open = state.all.iter().any(|a| a.voided_at.is_none());
        let overtaken = open && state.in_force.is_empty();
        let reason = "teksten blev ændret efter godkendelsen";
        if overtaken {
            self.store.void_approvals(h.id, reason, None).await?;
        }
        let mut changed = overtaken;
        if h.state == HearingState::Approved && !state.met {
            let to = transition(h.state, Transition::VoidApproval)?;
            match self
                .store
                .set_hearing_state(
                    h.id,
                    h.state,
                    to,
                    None,
                    "hearing.approval_voided",
                    serde_json::json!({ "reason": reason }),
                )
                .await
            {
                Ok(()) => changed = true,
                // Someone else moved it meanwhile (a share, a freeze): theirs stands.
                Err(crate::store::hearings::ChangeError::Conflict) => {}
                Err(e) => return Err(e.into()),
            }
        }
        if changed {
            tracing::info!(
                hearing,
                "the joint response changed after approval: approvals voided"
            );
            self.hub.events().send(DocEvent::Hearing(h.id));
        }
        Ok(changed)
    }

    /// Watches edits of joint responses and voids approvals they overtake, until `shutdown`.
    pub async fn watch_approvals(self, shutdown: CancellationToken) {
        let mut events = self.hub.events().subscribe();
        loop {
            let event = tokio::select! {
                _ = shutdown.cancelled() => return,
                e = events.recv() => e,
            };
            let hearings: Vec<i64> = match event {
                Ok(DocEvent::Changed(doc)) => joint_hearing(doc.as_str()).into_iter().collect(),
                Ok(_) => continue,
                // Missed some: look at every hearing that has approvals.
                Err(RecvError::Lagged(_)) => match self.store.hearings().await {
                    Ok(all) => all
                        .into_iter()
                        .filter(|h| {
                            matches!(h.state, HearingState::InReview | HearingState::Approved)
                        })
                        .map(|h| h.id)
                        .collect(),
                    Err(_) => continue,
                },
                Err(RecvError::Closed) => return,
            };
            for h in hearings {
                if let Err(e) = self.void_if_edited(h).await {
                    tracing::warn!(hearing = h, error = %e, "checking approvals failed");
                }
            }
        }
    }

    /// Freezes the approved version: the joint response becomes the record (canonical HTML and
    /// its SHA-256, the blocks, who approved) and its document is read-only for everyone, for
    /// good. Returns the record's id.
    pub async fn freeze(&self, p: &Principal, h: &HearingRow) -> Result<i64> {
        let facts = super::facts::hearing_facts(&self.store, h).await?;
        if !(policy::is_hmu_chair(p, &facts) || p.secretariat) {
            return Err(Error::forbidden(
                "kun HMU-formandskabet og sekretariatet kan gøre svaret endeligt",
            ));
        }
        transition(h.state, Transition::Freeze)?;
        let state = self.approval_state(h).await?;
        let (Some(version), true) = (state.version.clone(), state.met) else {
            if state.version.is_some() {
                return Err(Error::Conflict(format!(
                    "godkendelsen er ikke på plads: {}",
                    state.rule.describe(state.chairs.len())
                )));
            }
            self.void_if_edited(h.id).await?;
            return Err(Error::Conflict(
                "godkendelsen gælder ikke længere (teksten er ændret); del og godkend igen".into(),
            ));
        };
        let approved_blocks = version_blocks(&version)?;
        let approved_by = serde_json::Value::Array(
            state
                .in_force
                .iter()
                .map(|a| {
                    serde_json::json!({
                        "id": a.user_id, "name": a.user_name,
                        "at": crate::http::json::time(a.at),
                    })
                })
                .collect(),
        );
        let joint = Self::joint(h)?.to_owned();
        let id = crate::ids::DocumentId::parse(&joint).ok_or(Error::InvalidDocumentId)?;
        self.hub.set_locked(&id, true).await;
        let result = self
            .store
            .freeze(
                h.id,
                &joint,
                "Endelig version",
                &approved_by,
                p.user,
                move |stored| {
                    let (state, content) = super::versions::from_stored(stored)?;
                    let blocks = blocks_of_state(&state)?;
                    if blocks != approved_blocks {
                        return Err("the text differs from the approved version".into());
                    }
                    let html = canonical(&blocks);
                    Ok(Frozen {
                        sha256: sha256_hex(html.as_bytes()),
                        blocks: content.clone(),
                        state,
                        content,
                        form: CANONICAL_FORM.to_owned(),
                        html,
                    })
                },
            )
            .await;
        match result {
            Ok(record) => {
                self.hub.events().send(DocEvent::Hearing(h.id));
                Ok(record)
            }
            Err(e) => {
                // Another request may have frozen it meanwhile: storage says.
                self.sync_room_locks(&[joint]).await;
                Err(e.into())
            }
        }
    }
}

/// The hearing whose joint response `document` is (`h<id>-hmu`).
pub fn joint_hearing(document: &str) -> Option<i64> {
    document
        .strip_prefix('h')?
        .strip_suffix("-hmu")?
        .parse()
        .ok()
}

/// Checks a record: its HTML hashes to its SHA-256, and its blocks render to its HTML.
pub fn verify(html: &str, blocks_json: &str, sha256: &str) -> Result<(), String> {
    let actual = sha256_hex(html.as_bytes());
    if actual != sha256 {
        return Err(format!(
            "SHA-256 stemmer ikke: posten siger {sha256}, indholdet giver {actual}"
        ));
    }
    let blocks: crate::model::Blocks =
        serde_json::from_str(blocks_json).map_err(|e| format!("blokkene kan ikke læses: {e}"))?;
    if canonical(&blocks) != html {
        return Err("blokkene giver ikke den gemte HTML".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn joint_documents_name_their_hearing() {
        assert_eq!(super::joint_hearing("h12-hmu"), Some(12));
        assert_eq!(super::joint_hearing("h12-lmu3"), None);
        assert_eq!(super::joint_hearing("demo"), None);
    }
}
