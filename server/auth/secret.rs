//! Random secrets (session, CSRF and API tokens) and their stored form.

use base64::Engine;
use sha2::{Digest, Sha256};

/// 32 random bytes, base64url without padding.
pub fn random_token() -> String {
    let mut raw = [0u8; 32];
    // getrandom fails only without an OS random source; then nothing is safe to hand out.
    getrandom::fill(&mut raw).expect("the operating system's random source");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

/// What is stored of a secret: its SHA-256, hex.
pub fn digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two secrets in time independent of where they differ.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_random_and_url_safe() {
        let a = super::random_token();
        assert_ne!(a, super::random_token());
        assert_eq!(a.len(), 43);
        assert!(
            a.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert!(super::same(&a, &a.clone()));
        assert!(!super::same(&a, &super::random_token()));
        assert_eq!(super::digest("abc").len(), 64);
    }
}
