//! Signed, expiring access tokens for live documents (for scripts and, until people and roles
//! exist, for every client).
//!
//! `token = b64url(payload) "." b64url(HMAC-SHA256(key, b64url(payload)))`, where the payload is
//! `{"doc": id, "user": name, "mode": "rw" | "ro", "exp": unix seconds}`. The key is the
//! `--token-secret` or, without one, 32 random bytes kept in `<data-dir>/token.key`.

use std::io::Write;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::Access;

type HmacSha256 = Hmac<Sha256>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub doc: String,
    pub user: String,
    pub mode: Access,
    /// Expiry, seconds since the Unix epoch.
    pub exp: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("malformed token")]
    Malformed,
    #[error("bad signature")]
    BadSignature,
    #[error("token expired")]
    Expired,
}

#[derive(Clone)]
pub struct TokenKey(Vec<u8>);

impl TokenKey {
    pub fn from_secret(secret: &str) -> Self {
        Self(secret.as_bytes().to_vec())
    }

    /// Reads `<data_dir>/token.key`, creating it (mode 0600) with a random key if missing.
    pub fn load_or_create(data_dir: &Path) -> std::io::Result<Self> {
        let path = data_dir.join("token.key");
        match std::fs::read_to_string(&path) {
            Ok(hex) => return Ok(Self(hex.trim().as_bytes().to_vec())),
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            Err(_) => {}
        }
        std::fs::create_dir_all(data_dir)?;
        let mut raw = [0u8; 32];
        getrandom::fill(&mut raw).map_err(std::io::Error::other)?;
        let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
        let tmp = data_dir.join(".token.key.tmp");
        {
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create(true).truncate(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
            let mut f = opts.open(&tmp)?;
            f.write_all(hex.as_bytes())?;
            f.sync_all()?;
        }
        // Two processes starting at once: the first rename wins and both read its key.
        if std::fs::hard_link(&tmp, &path).is_err() && !path.exists() {
            std::fs::rename(&tmp, &path)?;
        }
        let _ = std::fs::remove_file(&tmp);
        Ok(Self(
            std::fs::read_to_string(&path)?.trim().as_bytes().to_vec(),
        ))
    }

    fn mac(&self) -> HmacSha256 {
        // HMAC accepts keys of any length.
        HmacSha256::new_from_slice(&self.0).expect("HMAC takes any key length")
    }

    pub fn mint(&self, claims: &Claims) -> String {
        let payload = B64.encode(serde_json::to_vec(claims).expect("claims serialise"));
        let mut mac = self.mac();
        mac.update(payload.as_bytes());
        let sig = B64.encode(mac.finalize().into_bytes());
        format!("{payload}.{sig}")
    }

    /// Checks the signature (in constant time) and the expiry.
    pub fn verify(&self, token: &str, now_secs: u64) -> Result<Claims, TokenError> {
        let (payload, sig) = token.split_once('.').ok_or(TokenError::Malformed)?;
        let sig = B64.decode(sig).map_err(|_| TokenError::Malformed)?;
        let mut mac = self.mac();
        mac.update(payload.as_bytes());
        mac.verify_slice(&sig)
            .map_err(|_| TokenError::BadSignature)?;
        let json = B64.decode(payload).map_err(|_| TokenError::Malformed)?;
        let claims: Claims = serde_json::from_slice(&json).map_err(|_| TokenError::Malformed)?;
        if claims.exp <= now_secs {
            return Err(TokenError::Expired);
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: u64) -> Claims {
        Claims {
            doc: "d1".into(),
            user: "Åse".into(),
            mode: Access::ReadOnly,
            exp,
        }
    }

    #[test]
    fn round_trip_expiry_and_forgery() {
        let key = TokenKey::from_secret("s3cret");
        let t = key.mint(&claims(100));
        assert_eq!(key.verify(&t, 99), Ok(claims(100)));
        assert_eq!(key.verify(&t, 100), Err(TokenError::Expired));
        assert_eq!(
            TokenKey::from_secret("other").verify(&t, 0),
            Err(TokenError::BadSignature)
        );
        // change the payload, keep the signature
        let (_, sig) = t.split_once('.').unwrap();
        let forged_payload = B64.encode(
            serde_json::to_vec(&Claims {
                mode: Access::ReadWrite,
                ..claims(100)
            })
            .unwrap(),
        );
        assert_eq!(
            key.verify(&format!("{forged_payload}.{sig}"), 0),
            Err(TokenError::BadSignature)
        );
        assert_eq!(key.verify("garbage", 0), Err(TokenError::Malformed));
    }

    #[test]
    fn key_file_is_created_once() {
        let dir = tempfile::tempdir().unwrap();
        let a = TokenKey::load_or_create(dir.path()).unwrap();
        let b = TokenKey::load_or_create(dir.path()).unwrap();
        assert_eq!(a.0, b.0);
        assert_eq!(a.0.len(), 64);
    }
}
