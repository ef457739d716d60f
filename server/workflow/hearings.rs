//! Creating, changing, opening and closing hearings.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::Round;
use super::locks::locks_for;
use crate::docs::DocEvent;
use crate::domain::hearing::{HearingState, Transition, may_close, transition};
use crate::domain::policy::{self, CommitteeId, Principal};
use crate::error::{Error, Result};
use crate::store::hearings::{HearingPatch, HearingRow, NewHearing, ResponseStatus};
use crate::store::now_millis;
use crate::store::people::CommitteeKind;

const MAX_TITLE: usize = 300;
const MAX_DESCRIPTION: usize = 20_000;

/// The live document of an LMU's response and of the joint response.
pub fn response_document(hearing: i64, committee: CommitteeId) -> String {
    format!("h{hearing}-lmu{committee}")
}

pub fn joint_document(hearing: i64) -> String {
    format!("h{hearing}-hmu")
}

fn check_text(value: &str, field: &str, max: usize, required: bool) -> Result<()> {
    let n = value.trim().chars().count();
    if required && n == 0 {
        return Err(Error::invalid(format!("{field} skal udfyldes")));
    }
    if n > max {
        return Err(Error::invalid(format!("{field} må højst være {max} tegn")));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(Error::invalid(format!("{field} indeholder ugyldige tegn")));
    }
    Ok(())
}

fn check_deadlines(lmu: i64, hmu: i64) -> Result<()> {
    if hmu < lmu {
        return Err(Error::invalid("HMU-fristen kan ikke ligge før LMU-fristen"));
    }
    Ok(())
}

impl Round {
    /// The LMUs of `committee`; refuses anything that is not one of them.
    async fn check_invited(&self, committee: CommitteeId, invited: &[CommitteeId]) -> Result<()> {
        let committees = self.store.committees().await?;
        let main = committees
            .iter()
            .find(|c| c.id == committee)
            .filter(|c| c.kind == CommitteeKind::Main)
            .ok_or_else(|| Error::invalid("udvalget skal være et hovedudvalg (HMU)"))?;
        if invited.is_empty() {
            return Err(Error::invalid("mindst ét LMU skal inviteres"));
        }
        for c in invited {
            let ok = committees
                .iter()
                .any(|x| x.id == *c && x.parent_id == Some(main.id));
            if !ok {
                return Err(Error::invalid(format!(
                    "udvalg {c} er ikke et LMU under {}",
                    main.short_name
                )));
            }
        }
        Ok(())
    }

    pub async fn create_hearing(&self, p: &Principal, mut h: NewHearing) -> Result<i64> {
        if !policy::may_manage_hearings(p) {
            return Err(Error::forbidden("kun sekretariatet kan oprette høringer"));
        }
        check_text(&h.title, "titlen", MAX_TITLE, true)?;
        check_text(&h.issuing_body, "afsenderen", MAX_TITLE, true)?;
        check_text(&h.description, "beskrivelsen", MAX_DESCRIPTION, false)?;
        check_deadlines(h.lmu_deadline, h.hmu_deadline)?;
        h.invited.sort_unstable();
        h.invited.dedup();
        self.check_invited(h.committee_id, &h.invited).await?;
        h.title = h.title.trim().to_owned();
        h.issuing_body = h.issuing_body.trim().to_owned();
        Ok(self.store.create_hearing(&h, p.user).await?)
    }

    pub async fn update_hearing(
        &self,
        p: &Principal,
        h: &HearingRow,
        mut patch: HearingPatch,
    ) -> Result<()> {
        if !policy::may_manage_hearings(p) {
            return Err(Error::forbidden("kun sekretariatet kan ændre høringer"));
        }
        if !matches!(h.state, HearingState::Draft | HearingState::Collecting) {
            return Err(Error::Conflict(format!(
                "høringen er {} og kan ikke længere ændres",
                h.state.label()
            )));
        }
        if let Some(t) = &patch.title {
            check_text(t, "titlen", MAX_TITLE, true)?;
            patch.title = Some(t.trim().to_owned());
        }
        if let Some(t) = &patch.issuing_body {
            check_text(t, "afsenderen", MAX_TITLE, true)?;
            patch.issuing_body = Some(t.trim().to_owned());
        }
        if let Some(t) = &patch.description {
            check_text(t, "beskrivelsen", MAX_DESCRIPTION, false)?;
        }
        check_deadlines(
            patch.lmu_deadline.unwrap_or(h.lmu_deadline),
            patch.hmu_deadline.unwrap_or(h.hmu_deadline),
        )?;
        if let Some(invited) = &mut patch.invited {
            if h.state != HearingState::Draft {
                return Err(Error::Conflict(
                    "de inviterede LMU'er kan kun ændres, før høringen er sendt ud".into(),
                ));
            }
            invited.sort_unstable();
            invited.dedup();
            self.check_invited(h.committee_id, invited).await?;
        }
        self.store
            .update_hearing(h.id, h.state, &patch, p.user)
            .await?;
        self.hub.events().send(DocEvent::Hearing(h.id));
        Ok(())
    }

    /// Sends a draft hearing into hearing: one response document per invited LMU.
    pub async fn open_hearing(&self, p: &Principal, h: &HearingRow) -> Result<()> {
        if !policy::may_manage_hearings(p) {
            return Err(Error::forbidden("kun sekretariatet kan sende en høring ud"));
        }
        transition(h.state, Transition::Open)?;
        if h.lmu_deadline <= now_millis() {
            return Err(Error::Conflict(
                "LMU-fristen er overskredet; ret fristen, før høringen sendes ud".into(),
            ));
        }
        let facts = super::facts::hearing_facts(&self.store, h).await?;
        let joint = joint_document(h.id);
        let documents: Vec<(CommitteeId, String)> = facts
            .invited
            .iter()
            .map(|c| (*c, response_document(h.id, *c)))
            .collect();
        // Fresh documents: nothing open to tell; storage sets their locks.
        self.store
            .open_hearing(h.id, p.user, &joint, &documents)
            .await?;
        self.hub.events().send(DocEvent::Hearing(h.id));
        Ok(())
    }

    /// Ends the collection of responses. `by` is `None` when the deadline does it.
    pub async fn close_hearing(&self, by: Option<&Principal>, h: &HearingRow) -> Result<()> {
        let facts = super::facts::hearing_facts(&self.store, h).await?;
        if let Some(p) = by
            && !policy::may_close(p, &facts)
        {
            return Err(Error::forbidden(
                "kun sekretariatet og HMU-formandskabet kan afslutte indsamlingen",
            ));
        }
        let to = transition(h.state, Transition::Close)?;
        let responses = self.store.responses(h.id).await?;
        let submitted = responses
            .iter()
            .filter(|r| r.status == ResponseStatus::Submitted)
            .count();
        if !may_close(h.lmu_deadline, now_millis(), submitted, responses.len()) {
            return Err(Error::Conflict(format!(
                "LMU-fristen er ikke udløbet, og {} af {} LMU'er mangler at indsende",
                responses.len() - submitted,
                responses.len()
            )));
        }
        let joint = h.joint_document_id.as_deref();
        let before = locks_for(&facts, h.state, joint, &responses);
        let after = locks_for(&facts, to, joint, &responses);
        let detail = serde_json::json!({
            "submitted": submitted,
            "invited": responses.len(),
            "reason": if by.is_some() { "manual" } else if submitted == responses.len() { "all_submitted" } else { "deadline" },
        });
        self.around_locks(&before, &after, async {
            self.store
                .set_hearing_state(
                    h.id,
                    h.state,
                    to,
                    by.map(|p| p.user),
                    "hearing.closed",
                    detail,
                )
                .await
        })
        .await?;
        self.hub.events().send(DocEvent::Hearing(h.id));
        Ok(())
    }

    /// Closes every hearing whose LMU deadline has passed, now and then, until `shutdown`.
    pub async fn sweep_deadlines(self, every: Duration, shutdown: CancellationToken) {
        loop {
            match self
                .store
                .hearings_due(HearingState::Collecting, now_millis())
                .await
            {
                Ok(due) => {
                    for h in due {
                        match self.close_hearing(None, &h).await {
                            Ok(()) => tracing::info!(
                                hearing = h.id,
                                "LMU deadline passed: collection closed"
                            ),
                            Err(e) => {
                                tracing::warn!(hearing = h.id, error = %e, "closing at the deadline failed")
                            }
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "checking deadlines failed"),
            }
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tokio::time::sleep(every) => {}
            }
        }
    }
}
