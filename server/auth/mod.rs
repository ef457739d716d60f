//! Who may do what with a document. Every path in (WebSocket, HTTP) asks [`authorise`].

pub mod token;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::ids::DocumentId;
pub use token::{Claims, TokenError, TokenKey};

/// What a connection may do with its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Access {
    #[serde(rename = "rw")]
    ReadWrite,
    #[serde(rename = "ro")]
    ReadOnly,
}

/// An authorised user's access to one document.
#[derive(Debug, Clone)]
pub struct Grant {
    pub user: Arc<str>,
    pub access: Access,
}

/// What a request presents.
#[derive(Debug, Default)]
pub struct Credentials<'a> {
    pub token: Option<&'a str>,
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
}

/// Decides, before any document data is sent, whether and how `credentials` may use `document`.
pub fn authorise(
    key: &TokenKey,
    document: &DocumentId,
    credentials: &Credentials,
) -> Result<Grant, Denied> {
    let token = credentials.token.ok_or(Denied::MissingToken)?;
    let claims = key.verify(token, now_secs()).map_err(|e| match e {
        TokenError::Expired => Denied::Expired,
        TokenError::Malformed | TokenError::BadSignature => Denied::InvalidToken,
    })?;
    if claims.doc != document.as_str() {
        return Err(Denied::WrongDocument);
    }
    Ok(Grant {
        user: claims.user.into(),
        access: claims.mode,
    })
}

pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
