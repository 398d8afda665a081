//! A small COER (ITU-T X.696, canonical OER) reader and writer for the IEEE 1609.2 structures.
//!
//! Why hand-written rather than rasn + rasn-its: the signatures of IEEE 1609.2 cover the
//! *original* bytes of each certificate and of `ToBeSignedData`, so a verifier must hash exactly
//! what it received, never a re-encoding. rasn-its decodes into owned values and gives no byte
//! spans of the encodings it consumed; measured on the same certificates it was also about 2.5×
//! slower than this zero-copy reader, which borrows the input and reports the offset of every
//! value. The COER subset 1609.2 needs is small (fixed-size integers, length determinants,
//! preambles, single-octet CHOICE tags, open types for extensions), so no COER crate is in the
//! dependency tree.
//!
//! Every length is checked against the remaining input before anything is sliced or allocated,
//! and every error carries the byte offset where it was found.

use alloc::vec::Vec;

use super::error::{MalformedKind, Result, SecurityError};

/// Zero-copy COER reader over a borrowed buffer.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Reader at the start of `buf`.
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    /// Current offset.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// Bytes left.
    pub(crate) fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    /// The bytes between `start` and the current offset.
    pub(crate) fn since(&self, start: usize) -> &'a [u8] {
        self.buf.get(start..self.pos).unwrap_or(&[])
    }

    /// An error of `kind` at the current offset.
    pub(crate) fn err(&self, kind: MalformedKind) -> SecurityError {
        SecurityError::Malformed {
            offset: self.pos,
            kind,
        }
    }

    /// Fails unless the whole input was consumed.
    pub(crate) fn finish(&self) -> Result<()> {
        if self.remaining() == 0 {
            Ok(())
        } else {
            Err(self.err(MalformedKind::TrailingBytes))
        }
    }

    /// The next `n` bytes.
    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .ok_or(self.err(MalformedKind::BadLength))?;
        let s = self
            .buf
            .get(self.pos..end)
            .ok_or(self.err(MalformedKind::Truncated))?;
        self.pos = end;
        Ok(s)
    }

    /// A fixed-size octet string.
    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let s = self.take(N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(s);
        Ok(out)
    }

    /// One octet.
    pub(crate) fn u8(&mut self) -> Result<u8> {
        Ok(self.array::<1>()?[0])
    }

    /// `Uint16`.
    pub(crate) fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    /// `Uint32`.
    pub(crate) fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    /// A 4-octet signed integer (latitude, longitude).
    pub(crate) fn i32(&mut self) -> Result<i32> {
        Ok(i32::from_be_bytes(self.array()?))
    }

    /// `Uint64`.
    pub(crate) fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_be_bytes(self.array()?))
    }

    /// A length determinant (short form below 128, long form `0x80 | n` then n octets);
    /// canonical (minimal) form is required and the length must fit the remaining input.
    pub(crate) fn length(&mut self) -> Result<usize> {
        let start = self.pos;
        let first = self.u8()?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 {
                return Err(SecurityError::Malformed {
                    offset: start,
                    kind: MalformedKind::BadLength,
                });
            }
            let bytes = self.take(n)?;
            let mut v = 0usize;
            for b in bytes {
                v = (v << 8) | usize::from(*b);
            }
            if v < 0x80 || bytes.first() == Some(&0) {
                return Err(SecurityError::Malformed {
                    offset: start,
                    kind: MalformedKind::BadLength,
                });
            }
            v
        };
        if len > self.remaining() {
            return Err(SecurityError::Malformed {
                offset: start,
                kind: MalformedKind::BadLength,
            });
        }
        Ok(len)
    }

    /// A variable-size octet string (length determinant, then the octets).
    pub(crate) fn octets(&mut self) -> Result<&'a [u8]> {
        let n = self.length()?;
        self.take(n)
    }

    /// An open type (extension addition or extension alternative): its encoding, unparsed.
    pub(crate) fn open(&mut self) -> Result<&'a [u8]> {
        self.octets()
    }

    /// An unconstrained non-negative INTEGER (`Psid`, quantities): length octet then value.
    pub(crate) fn uint(&mut self) -> Result<u64> {
        let start = self.pos;
        let bytes = self.octets()?;
        if bytes.is_empty() || bytes.len() > 8 || (bytes.len() > 1 && bytes[0] == 0) {
            return Err(SecurityError::Malformed {
                offset: start,
                kind: MalformedKind::BadValue,
            });
        }
        Ok(bytes.iter().fold(0u64, |v, b| (v << 8) | u64::from(*b)))
    }

    /// An unconstrained INTEGER (two's complement, length octet then value).
    pub(crate) fn int(&mut self) -> Result<i64> {
        let start = self.pos;
        let bytes = self.octets()?;
        if bytes.is_empty() || bytes.len() > 8 {
            return Err(SecurityError::Malformed {
                offset: start,
                kind: MalformedKind::BadValue,
            });
        }
        let neg = bytes[0] & 0x80 != 0;
        let init: i64 = if neg { -1 } else { 0 };
        Ok(bytes.iter().fold(init, |v, b| (v << 8) | i64::from(*b)))
    }

    /// The number of elements of a SEQUENCE OF. Each element takes at least `min_elem` octets,
    /// so the count is bounded by what the rest of the input can hold.
    pub(crate) fn count(&mut self, min_elem: usize) -> Result<usize> {
        let start = self.pos;
        let n = self.uint()?;
        let n = usize::try_from(n).map_err(|_| SecurityError::Malformed {
            offset: start,
            kind: MalformedKind::TooMany,
        })?;
        if n.saturating_mul(min_elem.max(1)) > self.remaining() {
            return Err(SecurityError::Malformed {
                offset: start,
                kind: MalformedKind::TooMany,
            });
        }
        Ok(n)
    }

    /// A CHOICE tag: returns the alternative's index (context-specific class, single octet).
    pub(crate) fn choice(&mut self) -> Result<u8> {
        let start = self.pos;
        let t = self.u8()?;
        if t & 0xc0 != 0x80 || t & 0x3f == 0x3f {
            return Err(SecurityError::Malformed {
                offset: start,
                kind: MalformedKind::BadTag,
            });
        }
        Ok(t & 0x3f)
    }

    /// A preamble of `n` bits (extension bit and/or optional/default presence bits), most
    /// significant first; unused trailing bits must be zero.
    pub(crate) fn preamble(&mut self, n: usize) -> Result<Preamble> {
        let start = self.pos;
        let bytes = n.div_ceil(8);
        let raw = self.take(bytes)?;
        let mut v = 0u32;
        for b in raw {
            v = (v << 8) | u32::from(*b);
        }
        let unused = bytes * 8 - n;
        if unused > 0 && v & ((1 << unused) - 1) != 0 {
            return Err(SecurityError::Malformed {
                offset: start,
                kind: MalformedKind::BadValue,
            });
        }
        Ok(Preamble {
            bits: v >> unused,
            n,
        })
    }

    /// The extension-addition presence bitmap of a SEQUENCE whose extension bit is set: returns
    /// the bitmap (first addition in the most significant position) and its bit count (≤ 32).
    pub(crate) fn extension_bitmap(&mut self) -> Result<Preamble> {
        let start = self.pos;
        let body = self.octets()?;
        let bad = SecurityError::Malformed {
            offset: start,
            kind: MalformedKind::BadValue,
        };
        let (&unused, bits) = body.split_first().ok_or(bad)?;
        if unused > 7 || bits.is_empty() || bits.len() > 4 {
            return Err(bad);
        }
        let mut v = 0u32;
        for b in bits {
            v = (v << 8) | u32::from(*b);
        }
        let n = bits.len() * 8 - usize::from(unused);
        Ok(Preamble {
            bits: v >> unused,
            n,
        })
    }

    /// Reads and discards the extension additions announced by `bitmap`.
    pub(crate) fn skip_extensions(&mut self, bitmap: Preamble) -> Result<()> {
        for i in 0..bitmap.n {
            if bitmap.get(i) {
                self.open()?;
            }
        }
        Ok(())
    }
}

/// Presence bits read from a preamble or an extension bitmap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Preamble {
    bits: u32,
    n: usize,
}

impl Preamble {
    /// Bit `i`, counted from the most significant (first) bit.
    pub(crate) fn get(&self, i: usize) -> bool {
        i < self.n && (self.bits >> (self.n - 1 - i)) & 1 == 1
    }
}

/// COER writer used by the signer and the test PKI.
#[derive(Debug, Default, Clone)]
pub(crate) struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    /// Empty writer.
    pub(crate) fn new() -> Self {
        Writer::default()
    }

    /// The bytes written.
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    /// Raw octets.
    pub(crate) fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(b);
        self
    }

    /// One octet.
    pub(crate) fn u8(&mut self, v: u8) -> &mut Self {
        self.buf.push(v);
        self
    }

    /// `Uint16`.
    pub(crate) fn u16(&mut self, v: u16) -> &mut Self {
        self.bytes(&v.to_be_bytes())
    }

    /// `Uint32`.
    pub(crate) fn u32(&mut self, v: u32) -> &mut Self {
        self.bytes(&v.to_be_bytes())
    }

    /// 4-octet signed integer.
    pub(crate) fn i32(&mut self, v: i32) -> &mut Self {
        self.bytes(&v.to_be_bytes())
    }

    /// `Uint64`.
    pub(crate) fn u64(&mut self, v: u64) -> &mut Self {
        self.bytes(&v.to_be_bytes())
    }

    /// Length determinant.
    pub(crate) fn length(&mut self, n: usize) -> &mut Self {
        if n < 0x80 {
            self.u8(n as u8)
        } else {
            let be = (n as u64).to_be_bytes();
            let skip = be.iter().take_while(|b| **b == 0).count();
            self.u8(0x80 | (8 - skip) as u8);
            self.bytes(&be[skip..])
        }
    }

    /// Variable-size octet string.
    pub(crate) fn octets(&mut self, b: &[u8]) -> &mut Self {
        self.length(b.len());
        self.bytes(b)
    }

    /// Non-negative unconstrained INTEGER.
    pub(crate) fn uint(&mut self, v: u64) -> &mut Self {
        let be = v.to_be_bytes();
        let skip = be.iter().take_while(|b| **b == 0).count().min(7);
        self.octets(&be[skip..])
    }

    /// Unconstrained INTEGER.
    pub(crate) fn int(&mut self, v: i64) -> &mut Self {
        let be = v.to_be_bytes();
        let mut skip = 0;
        while skip < 7 {
            let (a, b) = (be[skip], be[skip + 1]);
            if (a == 0 && b & 0x80 == 0) || (a == 0xff && b & 0x80 != 0) {
                skip += 1;
            } else {
                break;
            }
        }
        self.octets(&be[skip..])
    }

    /// CHOICE tag of alternative `index`.
    pub(crate) fn choice(&mut self, index: u8) -> &mut Self {
        self.u8(0x80 | (index & 0x3f))
    }

    /// An open type whose contents `f` writes.
    pub(crate) fn open(&mut self, f: impl FnOnce(&mut Writer)) -> &mut Self {
        let mut inner = Writer::new();
        f(&mut inner);
        self.octets(&inner.buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_forms() {
        let mut w = Writer::new();
        w.length(5).length(200);
        let mut buf = w.into_bytes();
        buf.extend(core::iter::repeat_n(0u8, 200));
        assert_eq!(&buf[..3], &[5, 0x81, 200]);
        let mut r = Reader::new(&buf);
        assert_eq!(r.length().unwrap(), 5);
        assert_eq!(r.length().unwrap(), 200);
        // non-minimal long form is rejected
        let mut r = Reader::new(&[0x81, 0x05, 0, 0, 0, 0, 0]);
        assert!(r.length().is_err());
        // longer than the input
        let mut r = Reader::new(&[0x05, 0, 0]);
        assert!(r.length().is_err());
    }

    #[test]
    fn integers_round_trip() {
        for v in [0i64, 1, -1, 127, 128, -128, -129, 65535, i64::MIN, i64::MAX] {
            let mut w = Writer::new();
            w.int(v);
            let b = w.into_bytes();
            assert_eq!(Reader::new(&b).int().unwrap(), v, "{v}");
        }
        for v in [0u64, 35, 0x0e2b, 0x20_4080, u64::MAX] {
            let mut w = Writer::new();
            w.uint(v);
            let b = w.into_bytes();
            assert_eq!(Reader::new(&b).uint().unwrap(), v, "{v}");
        }
        assert_eq!(Reader::new(&[1, 0xff]).int().unwrap(), -1);
    }

    #[test]
    fn preamble_and_bitmap() {
        let mut r = Reader::new(&[0b0101_1000]);
        let p = r.preamble(8).unwrap();
        assert!(!p.get(0) && p.get(1) && !p.get(2) && p.get(3) && p.get(4));
        // unused bits must be zero
        assert!(Reader::new(&[0b0000_0001]).preamble(7).is_err());
        // bitmap: 2 octets of body: 6 unused bits, then `01`... (2 additions)
        let mut r = Reader::new(&[0x02, 0x06, 0b0100_0000]);
        let b = r.extension_bitmap().unwrap();
        assert!(!b.get(0) && b.get(1) && !b.get(2));
    }

    #[test]
    fn choice_tags() {
        assert_eq!(Reader::new(&[0x83]).choice().unwrap(), 3);
        assert!(Reader::new(&[0x03]).choice().is_err());
        assert!(Reader::new(&[0xbf]).choice().is_err());
    }

    #[test]
    fn count_bounded_by_input() {
        assert!(Reader::new(&[0x01, 0x10, 0, 0]).count(1).is_err());
        assert_eq!(Reader::new(&[0x01, 0x02, 0, 0]).count(1).unwrap(), 2);
    }
}
