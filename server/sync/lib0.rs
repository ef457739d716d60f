//! A bounds-checked reader and a small writer for lib0's binary encoding (the encoding of the
//! y-protocols wire format and of Yjs updates).
//!
//! Every read checks the remaining input, so a count or length that claims more than the input
//! holds is an error here and never reaches an allocation.

use super::ProtocolError;

/// The largest integer a JavaScript client can decode (`Number.MAX_SAFE_INTEGER`): anything
/// larger would make lib0 throw in every browser we relay it to.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    pub fn position(&self) -> usize {
        self.pos
    }

    pub fn u8(&mut self) -> Result<u8, ProtocolError> {
        let b = *self.buf.get(self.pos).ok_or(ProtocolError::Truncated)?;
        self.pos += 1;
        Ok(b)
    }

    /// A lib0 varUint, limited to what JavaScript can represent exactly.
    pub fn var_u64(&mut self) -> Result<u64, ProtocolError> {
        let mut value: u64 = 0;
        let mut shift = 0u32;
        loop {
            let b = self.u8()?;
            if shift >= 56 {
                return Err(ProtocolError::IntegerOverflow);
            }
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        if value > MAX_SAFE_INTEGER {
            return Err(ProtocolError::IntegerOverflow);
        }
        Ok(value)
    }

    /// A varUint that yrs stores as `u32` (clocks and lengths).
    pub fn var_u32(&mut self) -> Result<u32, ProtocolError> {
        u32::try_from(self.var_u64()?).map_err(|_| ProtocolError::IntegerOverflow)
    }

    /// A count of items that each take at least `min_item_bytes` of the remaining input.
    pub fn count(&mut self, min_item_bytes: usize) -> Result<usize, ProtocolError> {
        let n = self.var_u64()?;
        let fits = usize::try_from(n)
            .ok()
            .and_then(|n| n.checked_mul(min_item_bytes.max(1)))
            .is_some_and(|bytes| bytes <= self.remaining());
        if !fits {
            return Err(ProtocolError::CountTooLarge);
        }
        Ok(n as usize)
    }

    /// lib0's signed varInt (sign in bit 6 of the first byte).
    pub fn var_i64(&mut self) -> Result<(), ProtocolError> {
        let first = self.u8()?;
        let mut more = first & 0x80 != 0;
        let mut bytes = 1;
        while more {
            let b = self.u8()?;
            bytes += 1;
            if bytes > 8 {
                return Err(ProtocolError::IntegerOverflow);
            }
            more = b & 0x80 != 0;
        }
        Ok(())
    }

    pub fn bytes(&mut self, len: usize) -> Result<&'a [u8], ProtocolError> {
        if len > self.remaining() {
            return Err(ProtocolError::Truncated);
        }
        let out = &self.buf[self.pos..self.pos + len];
        self.pos += len;
        Ok(out)
    }

    /// A length-prefixed byte buffer (`varUint8Array`).
    pub fn buf(&mut self) -> Result<&'a [u8], ProtocolError> {
        let len = self.count(1)?;
        self.bytes(len)
    }

    /// A length-prefixed UTF-8 string (`varString`).
    pub fn string(&mut self) -> Result<&'a str, ProtocolError> {
        std::str::from_utf8(self.buf()?).map_err(|_| ProtocolError::InvalidUtf8)
    }

    pub fn rest(&mut self) -> &'a [u8] {
        let out = &self.buf[self.pos..];
        self.pos = self.buf.len();
        out
    }
}

pub fn write_var_u64(out: &mut Vec<u8>, mut n: u64) {
    while n > 0x7f {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

pub fn write_buf(out: &mut Vec<u8>, bytes: &[u8]) {
    write_var_u64(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

pub fn write_string(out: &mut Vec<u8>, s: &str) {
    write_buf(out, s.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varint_round_trip() {
        for n in [0, 1, 127, 128, 300, 1 << 31, MAX_SAFE_INTEGER] {
            let mut out = Vec::new();
            write_var_u64(&mut out, n);
            assert_eq!(Reader::new(&out).var_u64().unwrap(), n);
        }
    }

    #[test]
    fn varint_beyond_javascript_is_refused() {
        let mut out = Vec::new();
        write_var_u64(&mut out, MAX_SAFE_INTEGER + 1);
        assert_eq!(
            Reader::new(&out).var_u64(),
            Err(ProtocolError::IntegerOverflow)
        );
        let endless = [0xffu8; 20];
        assert_eq!(
            Reader::new(&endless).var_u64(),
            Err(ProtocolError::IntegerOverflow)
        );
    }

    #[test]
    fn counts_must_fit_the_input() {
        // 2^28 items announced in a 6-byte message.
        let msg = [0x80, 0x80, 0x80, 0x80, 0x01, 0x00];
        assert_eq!(
            Reader::new(&msg).count(1),
            Err(ProtocolError::CountTooLarge)
        );
        assert_eq!(Reader::new(&[2, 0, 0]).count(1), Ok(2));
        assert_eq!(
            Reader::new(&[2, 0, 0]).count(2),
            Err(ProtocolError::CountTooLarge)
        );
    }
}
