//! Newtype ids for values that cross modules and the API.

use std::fmt;
use std::sync::Arc;

/// The id of a live document, as it appears in `/ws/{document_id}`.
///
/// Letters, digits, `.`, `_` and `-`, 1 to 128 characters, not starting with a dot: safe in a
/// URL path, a log line and a file name.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentId(Arc<str>);

impl DocumentId {
    pub fn parse(s: &str) -> Option<Self> {
        let ok = (1..=128).contains(&s.len())
            && !s.starts_with('.')
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        ok.then(|| Self(s.into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocumentId({})", self.0)
    }
}

/// One WebSocket connection, unique within the process.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct ConnectionId(pub u64);

#[cfg(test)]
mod tests {
    use super::DocumentId;

    #[test]
    fn document_ids() {
        assert!(DocumentId::parse("hoering-12.SBU_svar").is_some());
        for bad in ["", ".hidden", "a/b", "æ", "a b", "../x", &"x".repeat(129)] {
            assert!(DocumentId::parse(bad).is_none(), "{bad}");
        }
    }
}
