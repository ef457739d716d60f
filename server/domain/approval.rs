//! The approval rule: the HMU chairs approve one specific version of the joint response; it is
//! approved when all chairs have (the default), or a configured quorum of them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::policy::UserId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Rule {
    /// Every chair.
    All,
    /// At least this many chairs.
    Quorum { chairs: u32 },
}

impl Rule {
    /// From the hearing's stored quorum (`None`: all chairs).
    pub fn from_quorum(q: Option<i64>) -> Self {
        match q {
            Some(n) if n > 0 => Rule::Quorum {
                chairs: n.min(u32::MAX as i64) as u32,
            },
            _ => Rule::All,
        }
    }

    /// How many approvals are needed with `chairs` chairs.
    pub fn needed(self, chairs: usize) -> usize {
        match self {
            Rule::All => chairs,
            Rule::Quorum { chairs: q } => (q as usize).min(chairs),
        }
        .max(1)
    }

    /// The rule in words, for the users.
    pub fn describe(self, chairs: usize) -> String {
        match self {
            Rule::All => format!("alle {chairs} i formandskabet skal godkende"),
            Rule::Quorum { .. } => format!(
                "{} af {chairs} i formandskabet skal godkende",
                self.needed(chairs)
            ),
        }
    }
}

/// Whether the chairs' approvals in force (of one version) meet the rule. Approvals by people
/// who are no longer chairs do not count.
pub fn met(rule: Rule, chairs: &[UserId], approved_by: &[UserId]) -> bool {
    let counted = chairs.iter().filter(|c| approved_by.contains(c)).count();
    !chairs.is_empty() && counted >= rule.needed(chairs.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_chairs_by_default() {
        let rule = Rule::from_quorum(None);
        assert_eq!(rule, Rule::All);
        assert!(!met(rule, &[1, 2, 3], &[1, 2]));
        assert!(met(rule, &[1, 2, 3], &[3, 1, 2]));
        assert!(!met(rule, &[], &[]), "no chairs, no approval");
    }

    #[test]
    fn a_quorum_counts_chairs_only() {
        let rule = Rule::from_quorum(Some(2));
        assert!(!met(rule, &[1, 2, 3], &[1]));
        assert!(met(rule, &[1, 2, 3], &[1, 3]));
        assert!(!met(rule, &[1, 2, 3], &[1, 9]), "9 is not a chair");
        // A quorum larger than the chairs means all of them.
        assert!(met(Rule::from_quorum(Some(5)), &[1, 2], &[1, 2]));
        assert_eq!(Rule::from_quorum(Some(0)), Rule::All);
        assert_eq!(rule.describe(3), "2 af 3 i formandskabet skal godkende");
        assert_eq!(
            Rule::All.describe(2),
            "alle 2 i formandskabet skal godkende"
        );
    }
}
