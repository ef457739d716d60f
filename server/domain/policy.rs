//! Who may do what: the one place that decides, from a person's roles and the state of the
//! hearing and the response. Every path in (HTTP, WebSocket, downloads, exports) asks these
//! functions; they do no IO, so the rules can be read and tested as a table.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::hearing::HearingState;
use crate::auth::Access;

pub type UserId = i64;
pub type CommitteeId = i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Member,
    Chair,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Chair => "chair",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "member" => Some(Role::Member),
            "chair" => Some(Role::Chair),
            _ => None,
        }
    }
}

/// A logged-in person with their roles.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user: UserId,
    pub name: String,
    pub secretariat: bool,
    /// (committee, role) for every committee the person belongs to.
    pub memberships: Vec<(CommitteeId, Role)>,
}

impl Principal {
    pub fn role_in(&self, committee: CommitteeId) -> Option<Role> {
        self.memberships
            .iter()
            .find(|(c, _)| *c == committee)
            .map(|(_, r)| *r)
    }

    pub fn is_chair_of(&self, committee: CommitteeId) -> bool {
        self.role_in(committee) == Some(Role::Chair)
    }
}

/// What the rules need to know of a hearing.
#[derive(Debug, Clone)]
pub struct HearingFacts {
    /// The main committee (HMU) that gives the joint response.
    pub committee: CommitteeId,
    pub state: HearingState,
    /// The invited LMUs.
    pub invited: Vec<CommitteeId>,
}

/// What the rules need to know of a live document.
#[derive(Debug, Clone)]
pub enum DocumentFacts {
    /// An LMU's response to a hearing.
    Response {
        hearing: HearingFacts,
        committee: CommitteeId,
        submitted: bool,
    },
    /// The HMU's joint response.
    Joint { hearing: HearingFacts },
    /// A document that belongs to no hearing (scripts, demos): only document tokens open it.
    Standalone,
    /// An id reserved for a hearing's documents that do not exist yet: nobody opens it, so
    /// nothing can be written into a response before the hearing is sent out.
    Reserved,
}

/// Whether `p` may see the hearing at all (its page, material, board).
pub fn see_hearing(p: &Principal, h: &HearingFacts) -> bool {
    if p.secretariat {
        return true;
    }
    if h.state == HearingState::Draft {
        // A draft is the secretariat's preparation.
        return false;
    }
    p.role_in(h.committee).is_some() || h.invited.iter().any(|c| p.role_in(*c).is_some())
}

/// The most anyone may do with the document in its present state: the cap that applies to
/// every person and every token.
pub fn document_cap(doc: &DocumentFacts) -> Access {
    let writable = match doc {
        DocumentFacts::Response {
            hearing, submitted, ..
        } => !submitted && hearing.state.accepts_responses(),
        DocumentFacts::Joint { hearing } => hearing.state.joint_editable(),
        DocumentFacts::Standalone => true,
        DocumentFacts::Reserved => false,
    };
    if writable {
        Access::ReadWrite
    } else {
        Access::ReadOnly
    }
}

/// What `p` may do with the document: read and write, read only, or nothing.
pub fn document_access(p: &Principal, doc: &DocumentFacts) -> Option<Access> {
    let cap = document_cap(doc);
    match doc {
        DocumentFacts::Response {
            hearing,
            committee,
            submitted,
        } => {
            if hearing.state == HearingState::Draft {
                return None;
            }
            if p.role_in(*committee).is_some() {
                // The LMU's own members write their draft; afterwards they read it.
                return Some(cap);
            }
            // A draft is private to its LMU; once submitted, the HMU and the secretariat read it.
            (*submitted && (p.secretariat || p.role_in(hearing.committee).is_some()))
                .then_some(Access::ReadOnly)
        }
        DocumentFacts::Joint { hearing } => {
            if hearing.state == HearingState::Draft {
                return None;
            }
            if p.is_chair_of(hearing.committee) {
                return Some(cap);
            }
            let shared = matches!(
                hearing.state,
                HearingState::InReview | HearingState::Approved | HearingState::Frozen
            );
            let reader = p.secretariat || p.role_in(hearing.committee).is_some();
            if shared && reader {
                return Some(Access::ReadOnly);
            }
            // The final response is for everyone in the hearing.
            (hearing.state == HearingState::Frozen && see_hearing(p, hearing))
                .then_some(Access::ReadOnly)
        }
        DocumentFacts::Standalone | DocumentFacts::Reserved => None,
    }
}

/// Whether `p`, who may read the document, may also see a version of it of `kind`: the LMU's
/// own members see all of its response's versions, others only the submitted ones; the HMU
/// chairs see all of the joint response's versions, others only those shared for review and
/// the frozen one.
pub fn version_visible(p: &Principal, doc: &DocumentFacts, kind: &str) -> bool {
    match doc {
        DocumentFacts::Response { committee, .. } => {
            p.role_in(*committee).is_some() || kind == "submitted"
        }
        DocumentFacts::Joint { hearing } => {
            p.is_chair_of(hearing.committee) || matches!(kind, "shared" | "frozen")
        }
        DocumentFacts::Standalone => true,
        DocumentFacts::Reserved => false,
    }
}

/// Whether `p` takes part in the HMU's work on the joint response beyond reading it: the
/// HMU's members and chairs, and the secretariat (the review, the provenance report).
pub fn in_hmu_work(p: &Principal, h: &HearingFacts) -> bool {
    p.secretariat || p.role_in(h.committee).is_some()
}

/// Whether `p` may submit the LMU response: its chairs, while it is a draft and the hearing
/// takes responses.
pub fn may_submit(p: &Principal, doc: &DocumentFacts) -> bool {
    match doc {
        DocumentFacts::Response {
            hearing,
            committee,
            submitted,
        } => !submitted && hearing.state.accepts_responses() && p.is_chair_of(*committee),
        _ => false,
    }
}

/// Whether `p` may reopen a submitted response: the secretariat, before the LMU deadline.
pub fn may_reopen(p: &Principal, doc: &DocumentFacts, before_deadline: bool) -> bool {
    match doc {
        DocumentFacts::Response {
            hearing, submitted, ..
        } => p.secretariat && *submitted && before_deadline && hearing.state.accepts_responses(),
        _ => false,
    }
}

/// The secretariat creates hearings, opens them and manages their material.
pub fn may_manage_hearings(p: &Principal) -> bool {
    p.secretariat
}

/// Who may end the collection of responses: the secretariat and the HMU chairs.
pub fn may_close(p: &Principal, h: &HearingFacts) -> bool {
    p.secretariat || p.is_chair_of(h.committee)
}

/// The HMU chairs lead the joint response: they share versions and approve.
pub fn is_hmu_chair(p: &Principal, h: &HearingFacts) -> bool {
    p.is_chair_of(h.committee)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HMU: CommitteeId = 1;
    const SBU: CommitteeId = 2;
    const SAU: CommitteeId = 3;

    fn person(secretariat: bool, memberships: &[(CommitteeId, Role)]) -> Principal {
        Principal {
            user: 9,
            name: "x".into(),
            secretariat,
            memberships: memberships.to_vec(),
        }
    }

    fn hearing(state: HearingState) -> HearingFacts {
        HearingFacts {
            committee: HMU,
            state,
            invited: vec![SBU, SAU],
        }
    }

    fn response(state: HearingState, submitted: bool) -> DocumentFacts {
        DocumentFacts::Response {
            hearing: hearing(state),
            committee: SBU,
            submitted,
        }
    }

    #[test]
    fn a_draft_response_is_private_to_its_lmu() {
        let doc = response(HearingState::Collecting, false);
        let member = person(false, &[(SBU, Role::Member)]);
        assert_eq!(document_access(&member, &doc), Some(Access::ReadWrite));
        for outsider in [
            person(true, &[]),
            person(false, &[(HMU, Role::Chair)]),
            person(false, &[(SAU, Role::Chair), (HMU, Role::Member)]),
        ] {
            assert_eq!(document_access(&outsider, &doc), None, "{outsider:?}");
        }
    }

    #[test]
    fn a_submitted_response_is_read_only_and_read_by_the_hmu() {
        let doc = response(HearingState::Collecting, true);
        let chair = person(false, &[(SBU, Role::Chair)]);
        assert_eq!(document_access(&chair, &doc), Some(Access::ReadOnly));
        assert!(!may_submit(&chair, &doc));
        let hmu = person(false, &[(HMU, Role::Member)]);
        assert_eq!(document_access(&hmu, &doc), Some(Access::ReadOnly));
        let other_lmu = person(false, &[(SAU, Role::Member)]);
        assert_eq!(document_access(&other_lmu, &doc), None);
    }

    #[test]
    fn only_lmu_chairs_submit() {
        let doc = response(HearingState::Collecting, false);
        assert!(may_submit(&person(false, &[(SBU, Role::Chair)]), &doc));
        assert!(!may_submit(&person(false, &[(SBU, Role::Member)]), &doc));
        assert!(!may_submit(&person(false, &[(SAU, Role::Chair)]), &doc));
        assert!(!may_submit(&person(true, &[]), &doc));
        // Late, while the chairs consolidate: still accepted.
        let late = response(HearingState::Consolidating, false);
        assert!(may_submit(&person(false, &[(SBU, Role::Chair)]), &late));
        let closed = response(HearingState::InReview, false);
        assert!(!may_submit(&person(false, &[(SBU, Role::Chair)]), &closed));
    }

    #[test]
    fn the_joint_response_is_written_by_the_hmu_chairs_only() {
        let doc = DocumentFacts::Joint {
            hearing: hearing(HearingState::Consolidating),
        };
        assert_eq!(
            document_access(&person(false, &[(HMU, Role::Chair)]), &doc),
            Some(Access::ReadWrite)
        );
        assert_eq!(
            document_access(&person(false, &[(HMU, Role::Member)]), &doc),
            None
        );
        let frozen = DocumentFacts::Joint {
            hearing: hearing(HearingState::Frozen),
        };
        assert_eq!(
            document_access(&person(false, &[(HMU, Role::Chair)]), &frozen),
            Some(Access::ReadOnly)
        );
        assert_eq!(
            document_access(&person(false, &[(SBU, Role::Member)]), &frozen),
            Some(Access::ReadOnly)
        );
        assert_eq!(document_cap(&frozen), Access::ReadOnly);
    }

    #[test]
    fn drafts_of_hearings_are_the_secretariats() {
        let h = hearing(HearingState::Draft);
        assert!(see_hearing(&person(true, &[]), &h));
        assert!(!see_hearing(&person(false, &[(HMU, Role::Chair)]), &h));
        let open = hearing(HearingState::Collecting);
        assert!(see_hearing(&person(false, &[(SBU, Role::Member)]), &open));
        assert!(!see_hearing(&person(false, &[(99, Role::Member)]), &open));
    }
}
