//! The y-websocket wire protocol (y-protocols): decoding incoming frames into validated
//! messages, and encoding the messages the server sends.
//!
//! A frame may carry several messages; every one is read. The server sends one message per
//! frame, because the y-websocket client decodes only the first message of each frame.

use bytes::Bytes;

use super::ProtocolError;
use super::lib0::{self, Reader};
use super::validate::{ParsedUpdate, check_json};

pub const MSG_SYNC: u64 = 0;
pub const MSG_AWARENESS: u64 = 1;
pub const MSG_AUTH: u64 = 2;
pub const MSG_QUERY_AWARENESS: u64 = 3;
/// Samskriv's "saved" acknowledgement; sent only to clients that asked for it (`?ack=1`).
pub const MSG_SAVED: u64 = 100;

const SYNC_STEP1: u64 = 0;
const SYNC_STEP2: u64 = 1;
const SYNC_UPDATE: u64 = 2;

/// One awareness entry: a client's presence state at a clock; `None` when the state is removed.
#[derive(Debug, Clone, PartialEq)]
pub struct AwarenessEntry {
    pub client: u64,
    pub clock: u64,
    pub state: Option<String>,
}

#[derive(Debug)]
pub enum Message {
    /// A state vector: the client asks for what it is missing.
    SyncStep1(Vec<(u64, u32)>),
    /// Content for the document (sync step 2 or update); `update` is the raw v1 update.
    Update {
        update: Bytes,
        parsed: ParsedUpdate,
    },
    Awareness(Vec<AwarenessEntry>),
    /// Clients never send meaningful auth messages; they are read and ignored.
    Auth,
    QueryAwareness,
}

/// Decodes every message of a binary frame. Any malformed byte fails the whole frame.
pub fn decode_frame(frame: &Bytes) -> Result<Vec<Message>, ProtocolError> {
    let mut r = Reader::new(frame);
    let mut out = Vec::new();
    while !r.is_empty() {
        out.push(decode_one(&mut r, frame)?);
    }
    if out.is_empty() {
        return Err(ProtocolError::Malformed("empty frame"));
    }
    Ok(out)
}

fn decode_one(r: &mut Reader, frame: &Bytes) -> Result<Message, ProtocolError> {
    match r.var_u64()? {
        MSG_SYNC => {
            let sub = r.var_u64()?;
            let payload = r.buf()?;
            match sub {
                SYNC_STEP1 => decode_state_vector(payload).map(Message::SyncStep1),
                SYNC_STEP2 | SYNC_UPDATE => {
                    let parsed = ParsedUpdate::parse(payload)?;
                    let start = r.position() - payload.len();
                    Ok(Message::Update {
                        update: frame.slice(start..start + payload.len()),
                        parsed,
                    })
                }
                _ => Err(ProtocolError::Malformed("unknown sync message")),
            }
        }
        MSG_AWARENESS => decode_awareness(r.buf()?).map(Message::Awareness),
        MSG_AUTH => {
            let _ = r.var_u64()?;
            r.string()?;
            Ok(Message::Auth)
        }
        MSG_QUERY_AWARENESS => Ok(Message::QueryAwareness),
        _ => Err(ProtocolError::Malformed("unknown message type")),
    }
}

pub fn decode_state_vector(bytes: &[u8]) -> Result<Vec<(u64, u32)>, ProtocolError> {
    let mut r = Reader::new(bytes);
    let n = r.count(2)?;
    let mut sv = Vec::with_capacity(n);
    for _ in 0..n {
        sv.push((r.var_u64()?, r.var_u32()?));
    }
    if !r.is_empty() {
        return Err(ProtocolError::Malformed(
            "trailing bytes after state vector",
        ));
    }
    Ok(sv)
}

fn decode_awareness(bytes: &[u8]) -> Result<Vec<AwarenessEntry>, ProtocolError> {
    let mut r = Reader::new(bytes);
    let n = r.count(3)?;
    let mut entries = Vec::with_capacity(n);
    for _ in 0..n {
        let client = r.var_u64()?;
        let clock = r.var_u64()?;
        let json = r.string()?;
        check_json(json)?;
        let state = (json != "null").then(|| json.to_owned());
        entries.push(AwarenessEntry {
            client,
            clock,
            state,
        });
    }
    if !r.is_empty() {
        return Err(ProtocolError::Malformed("trailing bytes after awareness"));
    }
    Ok(entries)
}

fn sync_message(sub: u64, payload: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(payload.len() + 8);
    lib0::write_var_u64(&mut out, MSG_SYNC);
    lib0::write_var_u64(&mut out, sub);
    lib0::write_buf(&mut out, payload);
    out.into()
}

pub fn encode_sync_step1(state_vector: &[u8]) -> Bytes {
    sync_message(SYNC_STEP1, state_vector)
}

pub fn encode_sync_step2(update: &[u8]) -> Bytes {
    sync_message(SYNC_STEP2, update)
}

pub fn encode_update(update: &[u8]) -> Bytes {
    sync_message(SYNC_UPDATE, update)
}

pub fn encode_awareness<'a>(entries: impl IntoIterator<Item = &'a AwarenessEntry>) -> Bytes {
    let entries: Vec<_> = entries.into_iter().collect();
    let mut inner = Vec::new();
    lib0::write_var_u64(&mut inner, entries.len() as u64);
    for e in entries {
        lib0::write_var_u64(&mut inner, e.client);
        lib0::write_var_u64(&mut inner, e.clock);
        lib0::write_string(&mut inner, e.state.as_deref().unwrap_or("null"));
    }
    let mut out = Vec::with_capacity(inner.len() + 4);
    lib0::write_var_u64(&mut out, MSG_AWARENESS);
    lib0::write_buf(&mut out, &inner);
    out.into()
}

pub fn encode_query_awareness() -> Bytes {
    Bytes::from_static(&[MSG_QUERY_AWARENESS as u8])
}

/// The standard "permission denied" auth message; y-websocket clients log its reason.
pub fn encode_permission_denied(reason: &str) -> Bytes {
    let mut out = Vec::new();
    lib0::write_var_u64(&mut out, MSG_AUTH);
    lib0::write_var_u64(&mut out, 0);
    lib0::write_string(&mut out, reason);
    out.into()
}

/// "Saved": for each client, every update below `clock` is committed.
pub fn encode_saved(clocks: &[(u64, u32)]) -> Bytes {
    let mut out = Vec::new();
    lib0::write_var_u64(&mut out, MSG_SAVED);
    lib0::write_var_u64(&mut out, clocks.len() as u64);
    for &(client, clock) in clocks {
        lib0::write_var_u64(&mut out, client);
        lib0::write_var_u64(&mut out, u64::from(clock));
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_messages_in_one_frame_are_all_read() {
        let mut frame = encode_sync_step1(&[0]).to_vec();
        frame.extend_from_slice(&encode_query_awareness());
        frame.extend_from_slice(&encode_awareness(&[AwarenessEntry {
            client: 7,
            clock: 1,
            state: Some("{\"user\":\"Åse\"}".into()),
        }]));
        let msgs = decode_frame(&Bytes::from(frame)).unwrap();
        assert_eq!(msgs.len(), 3);
        assert!(matches!(&msgs[0], Message::SyncStep1(sv) if sv.is_empty()));
        assert!(matches!(msgs[1], Message::QueryAwareness));
        assert!(
            matches!(&msgs[2], Message::Awareness(e) if e[0].state.as_deref() == Some("{\"user\":\"Åse\"}"))
        );
    }

    #[test]
    fn malformed_frames_are_errors() {
        for bad in [
            &[][..],
            &[0][..],
            &[0, 0, 5, 1][..],
            &[9][..],
            &[1, 3, 1, 1, 1, 1, b'{'][..],
            &[0, 2, 2, 0][..],
        ] {
            assert!(
                decode_frame(&Bytes::copy_from_slice(bad)).is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn update_payload_is_sliced_from_the_frame() {
        let frame = encode_update(&[0, 0]);
        let msgs = decode_frame(&frame).unwrap();
        match &msgs[0] {
            Message::Update { update, parsed } => {
                assert_eq!(&update[..], &[0, 0]);
                assert!(parsed.is_empty());
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
