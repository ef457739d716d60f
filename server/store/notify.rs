//! PostgreSQL notifications between server processes: their channels and payloads.
//!
//! A notification names an update, it does not carry it (payloads stop at 8000 bytes and are
//! delivered at commit): `document \t last_seq \t origin`. The receiver reads the updates from
//! the table. Presence is small and transient and travels in the payload itself:
//! `document \t origin \t base64(awareness message)`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;

use crate::ids::DocumentId;

pub const UPDATES_CHANNEL: &str = "samskriv_updates";
pub const AWARENESS_CHANNEL: &str = "samskriv_awareness";

/// Largest payload PostgreSQL accepts, with a margin.
const MAX_PAYLOAD: usize = 7900;

pub fn update_payload(id: &DocumentId, last_seq: i64, origin: &str) -> String {
    format!("{id}\t{last_seq}\t{origin}")
}

pub fn parse_update_payload(payload: &str) -> Option<(DocumentId, i64, &str)> {
    let mut parts = payload.split('\t');
    let id = DocumentId::parse(parts.next()?)?;
    let seq = parts.next()?.parse().ok()?;
    let origin = parts.next()?;
    Some((id, seq, origin))
}

pub fn awareness_payload(id: &DocumentId, origin: &str, message: &[u8]) -> Option<String> {
    let payload = format!("{id}\t{origin}\t{}", B64.encode(message));
    (payload.len() <= MAX_PAYLOAD).then_some(payload)
}

pub fn parse_awareness_payload(payload: &str) -> Option<(DocumentId, &str, Vec<u8>)> {
    let mut parts = payload.split('\t');
    let id = DocumentId::parse(parts.next()?)?;
    let origin = parts.next()?;
    let message = B64.decode(parts.next()?).ok()?;
    Some((id, origin, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_round_trip() {
        let id = DocumentId::parse("hoering-1").unwrap();
        let p = update_payload(&id, 42, "p1");
        assert_eq!(parse_update_payload(&p), Some((id.clone(), 42, "p1")));
        let a = awareness_payload(&id, "p1", &[1, 2, 3]).unwrap();
        assert_eq!(
            parse_awareness_payload(&a),
            Some((id.clone(), "p1", vec![1, 2, 3]))
        );
        assert!(awareness_payload(&id, "p1", &[0; 6000]).is_none());
        assert!(parse_update_payload("x\tnot-a-number\tp").is_none());
    }
}
