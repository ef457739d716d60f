//! The Yjs wire protocol: framing, message types and limits. Pure, no IO (fuzzed in fuzz/).

pub mod lib0;
pub mod message;
pub mod validate;

/// A frame or message that does not follow the protocol. The connection that sent it is closed
/// with a protocol-error close code; nothing of it reaches the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    #[error("message ends early")]
    Truncated,
    #[error("integer out of range")]
    IntegerOverflow,
    #[error("count larger than the message")]
    CountTooLarge,
    #[error("invalid UTF-8")]
    InvalidUtf8,
    #[error("nesting too deep")]
    TooDeep,
    #[error("malformed: {0}")]
    Malformed(&'static str),
}
