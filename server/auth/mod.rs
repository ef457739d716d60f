//! Who may do what with a document. Every path in (WebSocket, HTTP reads and writes) asks
//! [`grant`], which combines who is asking ([`Identity`]) with the rules of
//! [`crate::domain::policy`] and the document's place in a hearing.

pub mod password;
pub mod secret;
pub mod token;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::domain::policy::{self, DocumentFacts, Principal};
use crate::ids::DocumentId;
pub use token::{Claims, TokenError, TokenKey};

/// What a connection may do with its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum Access {
    #[serde(rename = "rw")]
    ReadWrite,
    #[serde(rename = "ro")]
    ReadOnly,
}

impl Access {
    /// The lesser of two.
    pub fn min(self, other: Access) -> Access {
        if self == Access::ReadWrite && other == Access::ReadWrite {
            Access::ReadWrite
        } else {
            Access::ReadOnly
        }
    }
}

/// An authorised user's access to one document.
#[derive(Debug, Clone)]
pub struct Grant {
    /// The name shown for the connection (and recorded with its updates).
    pub user: Arc<str>,
    pub access: Access,
    /// The person behind it (none for a document token): their open connections are checked
    /// again when their memberships change.
    pub person: Option<crate::domain::policy::UserId>,
}

/// Who is asking.
#[derive(Debug, Clone)]
pub enum Identity {
    /// A logged-in person (session cookie or personal API token).
    Person(Principal),
    /// A signed document token (`samskriv token`, for scripts and benchmarks).
    Token(Claims),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("adgang kræver et token")]
    MissingToken,
    #[error("ugyldigt token")]
    InvalidToken,
    #[error("tokenet er udløbet")]
    Expired,
    #[error("tokenet gælder et andet dokument")]
    WrongDocument,
    #[error("du har ikke adgang til dette dokument")]
    Forbidden,
}

/// Checks a document token's signature and expiry.
pub fn verify_token(key: &TokenKey, token: &str) -> Result<Claims, Denied> {
    key.verify(token, now_secs()).map_err(|e| match e {
        TokenError::Expired => Denied::Expired,
        TokenError::Malformed | TokenError::BadSignature => Denied::InvalidToken,
    })
}

/// Decides, before any document data is sent, whether and how `who` may use `document`, given
/// the document's place in a hearing (`facts`). The document's state caps every grant: a
/// submitted response or a frozen record is read-only for people and tokens alike.
pub fn grant(
    who: &Identity,
    document: &DocumentId,
    facts: &DocumentFacts,
) -> Result<Grant, Denied> {
    let cap = policy::document_cap(facts);
    match who {
        Identity::Token(claims) => {
            if claims.doc != document.as_str() {
                return Err(Denied::WrongDocument);
            }
            if matches!(facts, DocumentFacts::Reserved) {
                return Err(Denied::Forbidden);
            }
            Ok(Grant {
                user: claims.user.as_str().into(),
                access: claims.mode.min(cap),
                person: None,
            })
        }
        Identity::Person(p) => {
            let access = policy::document_access(p, facts).ok_or(Denied::Forbidden)?;
            Ok(Grant {
                user: p.name.as_str().into(),
                access: access.min(cap),
                person: Some(p.user),
            })
        }
    }
}

pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
