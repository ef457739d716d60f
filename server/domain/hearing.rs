//! A hearing's states and the transitions between them (shared/design.md §3).
//!
//! ```text
//! draft ──open──▶ collecting ──close (LMU deadline / all submitted)──▶ consolidating ──share──▶ in_review
//! in_review ──share again──▶ in_review ──approve (rule met)──▶ approved ──freeze──▶ frozen
//! approved ──edit of the joint response──▶ in_review (the approval is void)
//! approved ──share a new version──▶ in_review (the approval is of the old one)
//! ```

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HearingState {
    Draft,
    Collecting,
    Consolidating,
    InReview,
    Approved,
    Frozen,
}

impl HearingState {
    pub const ALL: [HearingState; 6] = [
        Self::Draft,
        Self::Collecting,
        Self::Consolidating,
        Self::InReview,
        Self::Approved,
        Self::Frozen,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Collecting => "collecting",
            Self::Consolidating => "consolidating",
            Self::InReview => "in_review",
            Self::Approved => "approved",
            Self::Frozen => "frozen",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == s)
    }

    /// The state's name as the users read it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "kladde",
            Self::Collecting => "i høring",
            Self::Consolidating => "samles til HMU-svar",
            Self::InReview => "til gennemsyn i HMU",
            Self::Approved => "godkendt",
            Self::Frozen => "endeligt (arkiveret)",
        }
    }

    /// Whether LMUs may still write and submit their responses (late ones are accepted while the
    /// chairs consolidate).
    pub fn accepts_responses(self) -> bool {
        matches!(self, Self::Collecting | Self::Consolidating)
    }

    /// Whether the chairs may edit the joint response.
    pub fn joint_editable(self) -> bool {
        matches!(self, Self::Consolidating | Self::InReview | Self::Approved)
    }
}

/// What moves a hearing from one state to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    /// The secretariat sends the proposal into hearing.
    Open,
    /// Collection ends: every LMU has submitted, or the LMU deadline has passed.
    Close,
    /// The chairs share a version of the joint response with the HMU.
    Share,
    /// The approval rule is met for the shared version.
    Approve,
    /// The joint response changed after an approval: the approval is void.
    VoidApproval,
    /// The approved version becomes the frozen record.
    Freeze,
}

impl Transition {
    pub const ALL: [Transition; 6] = [
        Self::Open,
        Self::Close,
        Self::Share,
        Self::Approve,
        Self::VoidApproval,
        Self::Freeze,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Close => "close",
            Self::Share => "share",
            Self::Approve => "approve",
            Self::VoidApproval => "void_approval",
            Self::Freeze => "freeze",
        }
    }
}

/// A transition that the hearing's state does not allow, with the reason in Danish.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

/// The state after `t`, or why `t` is not allowed from `from`.
pub fn transition(from: HearingState, t: Transition) -> Result<HearingState, Refused> {
    use HearingState::*;
    let to = match (from, t) {
        (Draft, Transition::Open) => Collecting,
        (Collecting, Transition::Close) => Consolidating,
        (Consolidating | InReview | Approved, Transition::Share) => InReview,
        (InReview, Transition::Approve) => Approved,
        (Approved, Transition::VoidApproval) => InReview,
        (Approved, Transition::Freeze) => Frozen,
        _ => {
            return Err(Refused(format!(
                "høringen er {}; det kan ikke lade sig gøre nu ({})",
                from.label(),
                refusal(t)
            )));
        }
    };
    Ok(to)
}

fn refusal(t: Transition) -> &'static str {
    match t {
        Transition::Open => "kun en kladde kan sendes i høring",
        Transition::Close => "kun en høring, der er i gang, kan afsluttes",
        Transition::Share => "et udkast kan deles, når LMU-svarene samles eller er til gennemsyn",
        Transition::Approve => "kun et udkast til gennemsyn kan godkendes",
        Transition::VoidApproval => "der er ingen godkendelse at annullere",
        Transition::Freeze => "kun et godkendt svar kan gøres endeligt",
    }
}

/// Whether collection may close at `now`: the LMU deadline has passed or every LMU submitted.
pub fn may_close(lmu_deadline_ms: i64, now_ms: i64, submitted: usize, invited: usize) -> bool {
    now_ms >= lmu_deadline_ms || (invited > 0 && submitted >= invited)
}

#[cfg(test)]
mod tests {
    use super::HearingState::*;
    use super::*;

    /// Every (state, transition) pair: the allowed ones give exactly these states, every other
    /// pair is refused.
    #[test]
    fn every_transition_allowed_or_refused() {
        let allowed = [
            (Draft, Transition::Open, Collecting),
            (Collecting, Transition::Close, Consolidating),
            (Consolidating, Transition::Share, InReview),
            (InReview, Transition::Share, InReview),
            (Approved, Transition::Share, InReview),
            (InReview, Transition::Approve, Approved),
            (Approved, Transition::VoidApproval, InReview),
            (Approved, Transition::Freeze, Frozen),
        ];
        let mut checked = 0;
        for from in HearingState::ALL {
            for t in Transition::ALL {
                let expected = allowed
                    .iter()
                    .find(|(f, tr, _)| *f == from && *tr == t)
                    .map(|(_, _, to)| *to);
                match (transition(from, t), expected) {
                    (Ok(to), Some(want)) => assert_eq!(to, want, "{from:?} {t:?}"),
                    (Err(Refused(why)), None) => {
                        assert!(why.contains(from.label()), "{from:?} {t:?}: {why}")
                    }
                    (got, want) => panic!("{from:?} {t:?}: got {got:?}, want {want:?}"),
                }
                checked += 1;
            }
        }
        assert_eq!(checked, 36);
    }

    #[test]
    fn frozen_is_final() {
        for t in Transition::ALL {
            assert!(transition(Frozen, t).is_err(), "{t:?}");
        }
    }

    #[test]
    fn states_round_trip_their_names() {
        for s in HearingState::ALL {
            assert_eq!(HearingState::parse(s.as_str()), Some(s));
        }
        assert_eq!(HearingState::parse("open"), None);
    }

    #[test]
    fn closing_needs_the_deadline_or_every_response() {
        assert!(!may_close(1000, 999, 8, 9));
        assert!(may_close(1000, 1000, 0, 9));
        assert!(may_close(1000, 10, 9, 9));
        assert!(!may_close(1000, 10, 0, 0));
    }
}
