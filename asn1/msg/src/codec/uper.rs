//! Unaligned PER (ITU-T X.691, UNALIGNED variant) bit reader and writer.
//!
//! These are the primitives the generated message code is built from. Every read is bounded by
//! the remaining input, every length determinant is checked against it before anything is
//! allocated, and every write checks the value's constraint.
use alloc::vec::Vec;

use super::error::{DecodeError, DecodeErrorKind as DK, EncodeError, EncodeErrorKind as EK};

/// 16K: the fragment unit of X.691 length determinants.
const FRAG: usize = 16384;

/// Number of bits needed for a constrained whole number with `range = ub - lb` (X.691 11.5.7.1).
#[inline]
pub const fn range_bits(range: u64) -> u32 {
    64 - range.leading_zeros()
}

/// A reader over a bit range of a byte slice.
#[derive(Debug, Clone)]
pub struct BitReader<'a> {
    data: &'a [u8],
    pos: usize,
    end: usize,
}

impl<'a> BitReader<'a> {
    /// A reader over all bits of `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Self {
            data,
            pos: 0,
            end: data.len().saturating_mul(8),
        }
    }

    /// Bit offset of the next read, from the start of the outermost input.
    #[inline]
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Bits left before the end of this reader's range.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.end - self.pos
    }

    #[inline]
    fn err(&self, kind: DK) -> DecodeError {
        DecodeError::new(kind, self.pos)
    }

    /// An error of `kind` at the current position.
    #[inline]
    pub fn error(&self, kind: DK) -> DecodeError {
        self.err(kind)
    }

    /// An error of `kind` at bit offset `at`.
    #[inline]
    pub fn error_at(&self, kind: DK, at: usize) -> DecodeError {
        DecodeError::new(kind, at)
    }

    /// Reads one bit.
    #[inline]
    pub fn read_bit(&mut self) -> Result<bool, DecodeError> {
        if self.pos >= self.end {
            return Err(self.err(DK::UnexpectedEnd));
        }
        let byte = self.data.get(self.pos / 8).copied().unwrap_or(0);
        let bit = (byte >> (7 - (self.pos % 8))) & 1;
        self.pos += 1;
        Ok(bit == 1)
    }

    /// Reads `n` (at most 64) bits, most significant first.
    #[inline]
    pub fn read_bits(&mut self, n: u32) -> Result<u64, DecodeError> {
        if n == 0 {
            return Ok(0);
        }
        let n_us = n as usize;
        if n > 64 || self.remaining() < n_us {
            return Err(self.err(DK::UnexpectedEnd));
        }
        let start = self.pos / 8;
        let shift = (self.pos % 8) as u32;
        let v = if n + shift <= 64 {
            if let Some(chunk) = self.data.get(start..start + 8) {
                let mut w = [0u8; 8];
                w.copy_from_slice(chunk);
                (u64::from_be_bytes(w) << shift) >> (64 - n)
            } else {
                self.read_bits_slow(n)
            }
        } else {
            self.read_bits_slow(n)
        };
        self.pos += n_us;
        Ok(v)
    }

    fn read_bits_slow(&self, n: u32) -> u64 {
        let mut v: u64 = 0;
        let mut p = self.pos;
        let mut left = n;
        while left > 0 {
            let byte = self.data.get(p / 8).copied().unwrap_or(0);
            let off = (p % 8) as u32;
            let avail = 8 - off;
            let take = avail.min(left);
            let bits = (u64::from(byte) >> (avail - take)) & ((1u64 << take) - 1);
            v = if take == 64 { bits } else { (v << take) | bits };
            left -= take;
            p += take as usize;
        }
        v
    }

    /// Reads a constrained whole number in `lb..=ub` (X.691 11.5.7, unaligned).
    #[inline]
    pub fn read_constrained(&mut self, lb: i64, ub: i64) -> Result<i64, DecodeError> {
        let at = self.pos;
        let range = ub.wrapping_sub(lb) as u64;
        let off = self.read_bits(range_bits(range))?;
        if off > range {
            return Err(self.error_at(DK::IntegerOutOfRange, at));
        }
        Ok(lb.wrapping_add(off as i64))
    }

    /// Reads a constrained whole number in `lb..=ub` for unsigned 64-bit bounds.
    #[inline]
    pub fn read_constrained_u64(&mut self, lb: u64, ub: u64) -> Result<u64, DecodeError> {
        let at = self.pos;
        let range = ub - lb;
        let off = self.read_bits(range_bits(range))?;
        if off > range {
            return Err(self.error_at(DK::IntegerOutOfRange, at));
        }
        Ok(lb + off)
    }

    /// Reads a length determinant for a count in `lb..=ub` where `ub < 64K` (X.691 11.9.4.1).
    #[inline]
    pub fn read_length_constrained(&mut self, lb: usize, ub: usize) -> Result<usize, DecodeError> {
        if lb == ub {
            return Ok(lb);
        }
        let at = self.pos;
        let range = (ub - lb) as u64;
        let off = self.read_bits(range_bits(range))? as usize;
        if off as u64 > range {
            return Err(self.error_at(DK::SizeOutOfRange, at));
        }
        Ok(lb + off)
    }

    /// Reads an unconstrained length determinant (X.691 11.9.4.2). Returns the length and
    /// whether it is a fragment (more length determinants follow).
    #[inline]
    pub fn read_length_general(&mut self) -> Result<(usize, bool), DecodeError> {
        let at = self.pos;
        if !self.read_bit()? {
            return Ok((self.read_bits(7)? as usize, false));
        }
        if !self.read_bit()? {
            return Ok((self.read_bits(14)? as usize, false));
        }
        let m = self.read_bits(6)? as usize;
        if !(1..=4).contains(&m) {
            return Err(self.error_at(DK::InvalidFragmentation, at));
        }
        Ok((m * FRAG, true))
    }

    /// Reads a length determinant that must not be fragmented.
    #[inline]
    pub fn read_length_unfragmented(&mut self) -> Result<usize, DecodeError> {
        let at = self.pos;
        let (len, frag) = self.read_length_general()?;
        if frag {
            return Err(self.error_at(DK::InvalidFragmentation, at));
        }
        Ok(len)
    }

    /// Reads a normally small non-negative whole number (X.691 11.6).
    #[inline]
    pub fn read_normally_small(&mut self) -> Result<u64, DecodeError> {
        if !self.read_bit()? {
            return self.read_bits(6);
        }
        self.read_semi_constrained_u64(0)
    }

    /// Reads a semi-constrained whole number `lb..` (X.691 11.7), as an unsigned value.
    pub fn read_semi_constrained_u64(&mut self, lb: u64) -> Result<u64, DecodeError> {
        let at = self.pos;
        let len = self.read_length_unfragmented()?;
        if len == 0 {
            return Err(self.error_at(DK::IntegerOutOfRange, at));
        }
        if len > 8 {
            return Err(self.error_at(DK::IntegerTooLarge, at));
        }
        let v = self.read_bits(8 * len as u32)?;
        v.checked_add(lb)
            .ok_or_else(|| self.error_at(DK::IntegerTooLarge, at))
    }

    /// Reads a semi-constrained whole number `lb..` (X.691 11.7), as a signed value.
    pub fn read_semi_constrained(&mut self, lb: i64) -> Result<i64, DecodeError> {
        let at = self.pos;
        let v = self.read_semi_constrained_u64(0)?;
        i64::try_from(v)
            .ok()
            .and_then(|v| v.checked_add(lb))
            .ok_or_else(|| self.error_at(DK::IntegerTooLarge, at))
    }

    /// Reads an unconstrained whole number (X.691 11.8: two's complement, length in octets).
    pub fn read_unconstrained(&mut self) -> Result<i64, DecodeError> {
        let at = self.pos;
        let len = self.read_length_unfragmented()?;
        if len == 0 {
            return Err(self.error_at(DK::IntegerOutOfRange, at));
        }
        if len > 8 {
            return Err(self.error_at(DK::IntegerTooLarge, at));
        }
        let bits = 8 * len as u32;
        let v = self.read_bits(bits)?;
        // sign-extend
        let shift = 64 - bits;
        Ok(((v << shift) as i64) >> shift)
    }

    /// Fills `out` with the next `8 * out.len()` bits.
    pub fn read_bytes_into(&mut self, out: &mut [u8]) -> Result<(), DecodeError> {
        if self.remaining() < out.len().saturating_mul(8) {
            return Err(self.err(DK::UnexpectedEnd));
        }
        if self.pos % 8 == 0 {
            let start = self.pos / 8;
            if let Some(src) = self.data.get(start..start + out.len()) {
                out.copy_from_slice(src);
                self.pos += out.len() * 8;
                return Ok(());
            }
        }
        for b in out.iter_mut() {
            *b = self.read_bits(8)? as u8;
        }
        Ok(())
    }

    /// Reads `n` octets into a new vector; fails before allocating if the input cannot hold them.
    pub fn read_bytes_vec(&mut self, n: usize) -> Result<Vec<u8>, DecodeError> {
        if self.remaining() / 8 < n {
            return Err(self.err(DK::LengthExceedsInput));
        }
        let mut v = alloc::vec![0u8; n];
        self.read_bytes_into(&mut v)?;
        Ok(v)
    }

    /// Reads `nbits` bits into a new vector of `ceil(nbits / 8)` octets, left-aligned.
    pub fn read_bits_vec(&mut self, nbits: usize) -> Result<Vec<u8>, DecodeError> {
        if self.remaining() < nbits {
            return Err(self.err(DK::LengthExceedsInput));
        }
        let mut v = alloc::vec![0u8; nbits.div_ceil(8)];
        let full = nbits / 8;
        if let Some(head) = v.get_mut(..full) {
            self.read_bytes_into(head)?;
        }
        let rest = (nbits % 8) as u32;
        if rest > 0 {
            let b = self.read_bits(rest)? as u8;
            if let Some(last) = v.last_mut() {
                *last = b << (8 - rest);
            }
        }
        Ok(v)
    }

    /// Reads an octet string with an unconstrained length determinant, fragments included,
    /// of at most `max` octets.
    pub fn read_octets_unbounded(&mut self, max: usize) -> Result<Vec<u8>, DecodeError> {
        let mut out = Vec::new();
        loop {
            let at = self.pos;
            let (len, more) = self.read_length_general()?;
            if out.len() + len > max {
                return Err(self.error_at(DK::SizeOutOfRange, at));
            }
            if self.remaining() / 8 < len {
                return Err(self.error_at(DK::LengthExceedsInput, at));
            }
            let start = out.len();
            out.resize(start + len, 0);
            if let Some(dst) = out.get_mut(start..) {
                self.read_bytes_into(dst)?;
            }
            if !more {
                return Ok(out);
            }
        }
    }

    /// Reads an open type's length and returns a reader over exactly its content octets,
    /// advancing this reader past them (X.691 11.2).
    pub fn open_type(&mut self) -> Result<BitReader<'a>, DecodeError> {
        let at = self.pos;
        let len = self.read_length_unfragmented()?;
        if self.remaining() / 8 < len {
            return Err(self.error_at(DK::LengthExceedsInput, at));
        }
        let sub = BitReader {
            data: self.data,
            pos: self.pos,
            end: self.pos + len * 8,
        };
        self.pos += len * 8;
        Ok(sub)
    }

    /// Reads an open type's content octets as a byte vector (fragments included).
    pub fn open_type_bytes(&mut self) -> Result<Vec<u8>, DecodeError> {
        self.read_octets_unbounded(usize::MAX)
    }

    /// Checks that what is left of this reader's range is zero padding of less than one octet,
    /// as after a complete encoding or at the end of an open type's content. An empty encoding
    /// may consist of one zero octet.
    pub fn finish(&self, start: usize) -> Result<(), DecodeError> {
        let left = self.remaining();
        let used = self.pos - start;
        let allowed = if used == 0 { 8 } else { 7 };
        if left > allowed {
            return Err(self.err(DK::TrailingBits));
        }
        let mut probe = self.clone();
        let pad = probe.read_bits(left as u32)?;
        if pad != 0 {
            return Err(self.err(DK::TrailingBits));
        }
        Ok(())
    }
}

/// The character sets of the restricted string types, as UPER encodes them without a
/// permitted-alphabet constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharSet {
    /// IA5String: 7 bits a character, 0..=127.
    Ia5,
    /// VisibleString: 7 bits a character, 32..=126.
    Visible,
    /// PrintableString: 7 bits a character, the X.680 printable set.
    Printable,
    /// NumericString: 4 bits a character, space and digits.
    Numeric,
    /// UTF8String: octets with an unconstrained length determinant.
    Utf8,
}

impl CharSet {
    fn permits(self, c: u8) -> bool {
        match self {
            Self::Ia5 => c < 128,
            Self::Visible => (32..=126).contains(&c),
            Self::Printable => c.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(&c),
            Self::Numeric => c == b' ' || c.is_ascii_digit(),
            Self::Utf8 => true,
        }
    }
}

/// Presence bitmap of a SEQUENCE's extension additions (X.691 19.7).
#[derive(Debug, Clone, Default)]
pub struct ExtBitmap {
    len: usize,
    first: u64,
    more: Vec<usize>,
}

impl ExtBitmap {
    /// Reads the bitmap's length and bits.
    pub fn read(r: &mut BitReader<'_>) -> Result<Self, DecodeError> {
        let at = r.position();
        let len = r.read_normally_small()? as usize + 1;
        if len > r.remaining() {
            return Err(r.error_at(DK::LengthExceedsInput, at));
        }
        let mut bm = ExtBitmap {
            len,
            first: 0,
            more: Vec::new(),
        };
        let head = len.min(64) as u32;
        bm.first = r.read_bits(head)? << (64 - head);
        for i in 64..len {
            if r.read_bit()? {
                bm.more.push(i);
            }
        }
        Ok(bm)
    }

    /// Number of addition slots the encoder declared.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the bitmap declares no slot (never true for a decoded bitmap).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Indices of the present additions, ascending.
    pub fn present(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len.min(64))
            .filter(|i| self.first & (1u64 << (63 - i)) != 0)
            .chain(self.more.iter().copied())
    }
}

/// Extension additions of a SEQUENCE that this version of the modules does not know, kept with
/// their encoded content so that a re-encoding is byte-identical.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct UnknownExtensions {
    /// The length of the presence bitmap as received, when it differs from the known count.
    pub bitmap_len: Option<usize>,
    /// (addition index, open-type content) of each unknown addition, ascending by index.
    pub items: Vec<(usize, Vec<u8>)>,
}

impl UnknownExtensions {
    /// Whether nothing unknown was received.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.bitmap_len.is_none()
    }

    /// Records the received bitmap length if it differs from `known`.
    pub fn set_len(&mut self, len: usize, known: usize) {
        self.bitmap_len = (len != known).then_some(len);
    }

    /// The bitmap length to encode: as received, else the known count, and always enough to
    /// cover every present addition.
    pub fn encode_len(&self, known: usize, highest_present: Option<usize>) -> usize {
        let base = self.bitmap_len.unwrap_or(known);
        let unknown_top = self.items.last().map(|(i, _)| i + 1).unwrap_or(0);
        base.max(unknown_top)
            .max(highest_present.map_or(0, |h| h + 1))
            .max(1)
    }

    /// The content of unknown addition `i`, if present.
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        self.items
            .iter()
            .find(|(j, _)| *j == i)
            .map(|(_, b)| b.as_slice())
    }

    /// Keeps the content of addition `i`, which this version does not know.
    pub fn read_item(&mut self, i: usize, r: &mut BitReader<'_>) -> Result<(), DecodeError> {
        let content = r.open_type_bytes()?;
        self.items.push((i, content));
        Ok(())
    }

    /// Writes the content of unknown addition `i`, if present.
    pub fn write_item(&self, i: usize, w: &mut BitWriter<'_>) -> Result<(), EncodeError> {
        match self.get(i) {
            Some(b) => w.write_open_type_bytes(b),
            None => Ok(()),
        }
    }

    /// Reads the extension additions of a SEQUENCE that knows none: the presence bitmap, then
    /// every present addition, kept whole.
    pub fn read_all(r: &mut BitReader<'_>) -> Result<Self, DecodeError> {
        let bm = ExtBitmap::read(r)?;
        let mut u = Self::default();
        for i in bm.present() {
            u.read_item(i, r)?;
        }
        u.set_len(bm.len(), 0);
        Ok(u)
    }

    /// Writes the extension additions of a SEQUENCE that knows none: the presence bitmap, then
    /// every kept addition.
    pub fn write_all(&self, w: &mut BitWriter<'_>) -> Result<(), EncodeError> {
        let len = self.encode_len(0, None);
        w.write_ext_bitmap(len, |i| self.get(i).is_some())?;
        for i in 0..len {
            self.write_item(i, w)?;
        }
        Ok(())
    }
}

/// A BIT STRING whose length is not fixed, or an extended value of an extensible one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct BitBuf {
    /// Length in bits.
    pub len_bits: usize,
    /// The bits, most significant first, padded with zero bits to whole octets.
    pub data: Vec<u8>,
}

/// An alternative of an extensible CHOICE that this version of the modules does not know.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct UnknownAlternative {
    /// Index among the extension alternatives.
    pub index: usize,
    /// The open-type content.
    pub content: Vec<u8>,
}

impl UnknownAlternative {
    /// Reads an extension alternative after its extension bit: its index, then its content.
    pub fn read(r: &mut BitReader<'_>) -> Result<Self, DecodeError> {
        let index = r.read_normally_small()? as usize;
        let content = r.open_type_bytes()?;
        Ok(Self { index, content })
    }

    /// Writes the alternative after its extension bit: its index, then its content.
    pub fn write(&self, w: &mut BitWriter<'_>) -> Result<(), EncodeError> {
        w.write_normally_small(self.index as u64)?;
        w.write_open_type_bytes(&self.content)
    }
}

/// Decodes the content of an open type with `f`: the content must be one complete value followed
/// only by zero padding.
///
/// Content of 16K octets or more comes in fragments (X.691 11.9.3.8): it is gathered into one
/// buffer first (at most the input's size), and errors inside it are then reported at the
/// open type's own position, with their field path.
pub fn decode_open_with<T>(
    r: &mut BitReader<'_>,
    f: impl FnOnce(&mut BitReader<'_>) -> Result<T, DecodeError>,
) -> Result<T, DecodeError> {
    let mut probe = r.clone();
    let at = probe.position();
    if probe.read_length_general()?.1 {
        let content = r.open_type_bytes()?;
        let mut sub = BitReader::new(&content);
        let v = f(&mut sub).map_err(|e| e.at(at))?;
        sub.finish(0)
            .map_err(|_| DecodeError::new(DK::InvalidOpenType, at))?;
        return Ok(v);
    }
    let mut sub = r.open_type()?;
    let start = sub.position();
    let v = f(&mut sub)?;
    sub.finish(start)
        .map_err(|e| DecodeError::new(DK::InvalidOpenType, e.bit_offset()))?;
    Ok(v)
}

impl BitReader<'_> {
    /// Reads an INTEGER of an extensible range `lb..=ub` (X.691 13.2.6).
    pub fn read_int_ext(&mut self, lb: i64, ub: i64) -> Result<i64, DecodeError> {
        if self.read_bit()? {
            self.read_unconstrained()
        } else {
            self.read_constrained(lb, ub)
        }
    }

    /// Reads an INTEGER `(lb..MAX, ...)`.
    pub fn read_semi_constrained_ext(&mut self, lb: i64) -> Result<i64, DecodeError> {
        if self.read_bit()? {
            self.read_unconstrained()
        } else {
            self.read_semi_constrained(lb)
        }
    }

    /// Reads an INTEGER with no PER-visible lower bound and an extension marker.
    pub fn read_unconstrained_ext(&mut self) -> Result<i64, DecodeError> {
        self.read_bit()?;
        self.read_unconstrained()
    }

    /// Reads a SEQUENCE OF with `SIZE(lb..ub)`: the count, bounded by what the remaining input
    /// can hold at `min_bits_each` bits an item, then each item with `item`.
    pub fn read_list<T>(
        &mut self,
        lb: usize,
        ub: Option<usize>,
        ext: bool,
        min_bits_each: usize,
        mut item: impl FnMut(&mut Self) -> Result<T, DecodeError>,
    ) -> Result<Vec<T>, DecodeError> {
        let n = self.read_count(lb, ub, ext, min_bits_each)?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(item(self)?);
        }
        Ok(v)
    }

    /// Reads a fixed-size BIT STRING of `nbits` bits into `N` octets (left-aligned).
    pub fn read_bit_array<const N: usize>(&mut self, nbits: usize) -> Result<[u8; N], DecodeError> {
        let mut a = [0u8; N];
        let mut left = nbits;
        for b in a.iter_mut() {
            let take = left.min(8) as u32;
            if take == 0 {
                break;
            }
            *b = (self.read_bits(take)? << (8 - take)) as u8;
            left -= take as usize;
        }
        if left > 0 {
            return Err(self.err(DK::UnexpectedEnd));
        }
        Ok(a)
    }

    /// Reads `N` octets (a fixed-size OCTET STRING).
    pub fn read_array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut b = [0u8; N];
        self.read_bytes_into(&mut b)?;
        Ok(b)
    }

    /// Reads a length (or count) determinant for `SIZE(lb..ub)` with optional extension marker.
    /// Counts of at least 64K use the general form; fragmented counts are rejected.
    pub fn read_count(
        &mut self,
        lb: usize,
        ub: Option<usize>,
        ext: bool,
        min_bits_each: usize,
    ) -> Result<usize, DecodeError> {
        let at = self.pos;
        let n = if ext && self.read_bit()? {
            self.read_length_unfragmented()?
        } else {
            match ub {
                Some(ub) if ub < 65536 => self.read_length_constrained(lb, ub)?,
                _ => {
                    let n = self.read_length_unfragmented()?;
                    if n < lb || ub.is_some_and(|u| n > u) {
                        return Err(self.error_at(DK::SizeOutOfRange, at));
                    }
                    n
                }
            }
        };
        if n.saturating_mul(min_bits_each) > self.remaining() {
            return Err(self.error_at(DK::LengthExceedsInput, at));
        }
        Ok(n)
    }

    /// Reads a variable-size OCTET STRING with `SIZE(lb..ub)`.
    pub fn read_octets(
        &mut self,
        lb: usize,
        ub: Option<usize>,
        ext: bool,
    ) -> Result<Vec<u8>, DecodeError> {
        let at = self.pos;
        if (ext && self.read_bit()?) || ub.is_none_or(|u| u >= 65536) {
            let v = self.read_octets_unbounded(usize::MAX)?;
            if !ext && (v.len() < lb || ub.is_some_and(|u| v.len() > u)) {
                return Err(self.error_at(DK::SizeOutOfRange, at));
            }
            return Ok(v);
        }
        let n = self.read_count(lb, ub, false, 8)?;
        self.read_bytes_vec(n)
    }

    /// Reads a BIT STRING of variable size `SIZE(lb..ub)`.
    pub fn read_bitbuf(
        &mut self,
        lb: usize,
        ub: Option<usize>,
        ext: bool,
    ) -> Result<BitBuf, DecodeError> {
        let len_bits = self.read_count(lb, ub, ext, 1)?;
        let data = self.read_bits_vec(len_bits)?;
        Ok(BitBuf { len_bits, data })
    }

    /// Reads a restricted character string with `SIZE(lb..ub)`.
    pub fn read_string(
        &mut self,
        cs: CharSet,
        lb: usize,
        ub: Option<usize>,
        ext: bool,
    ) -> Result<alloc::string::String, DecodeError> {
        if cs == CharSet::Utf8 {
            let at = self.pos;
            let b = self.read_octets(lb, ub, ext)?;
            return alloc::string::String::from_utf8(b)
                .map_err(|_| self.error_at(DK::InvalidCharacter, at));
        }
        let bits = if cs == CharSet::Numeric { 4 } else { 7 };
        let n = self.read_count(lb, ub, ext, bits)?;
        let mut s = alloc::string::String::with_capacity(n);
        for _ in 0..n {
            let at = self.pos;
            let v = self.read_bits(bits as u32)? as u8;
            let c = if cs == CharSet::Numeric {
                match v {
                    0 => b' ',
                    1..=10 => b'0' + v - 1,
                    _ => return Err(self.error_at(DK::InvalidCharacter, at)),
                }
            } else {
                v
            };
            if !cs.permits(c) {
                return Err(self.error_at(DK::InvalidCharacter, at));
            }
            s.push(char::from(c));
        }
        Ok(s)
    }
}

impl BitWriter<'_> {
    /// Writes an INTEGER of an extensible range `lb..=ub`.
    pub fn write_int_ext(&mut self, v: i64, lb: i64, ub: i64) -> Result<(), EncodeError> {
        if (lb..=ub).contains(&v) {
            self.write_bit(false)?;
            self.write_constrained(v, lb, ub)
        } else {
            self.write_bit(true)?;
            self.write_unconstrained(v)
        }
    }

    /// Writes an INTEGER `(lb..MAX, ...)`.
    pub fn write_semi_constrained_ext(&mut self, v: i64, lb: i64) -> Result<(), EncodeError> {
        if v >= lb {
            self.write_bit(false)?;
            self.write_semi_constrained(v, lb)
        } else {
            self.write_bit(true)?;
            self.write_unconstrained(v)
        }
    }

    /// Writes an INTEGER with no PER-visible lower bound and an extension marker.
    pub fn write_unconstrained_ext(&mut self, v: i64) -> Result<(), EncodeError> {
        self.write_bit(false)?;
        self.write_unconstrained(v)
    }

    /// Writes a SEQUENCE OF with `SIZE(lb..ub)`: the count, then each item with `item`.
    pub fn write_list<T>(
        &mut self,
        items: &[T],
        lb: usize,
        ub: Option<usize>,
        ext: bool,
        mut item: impl FnMut(&T, &mut Self) -> Result<(), EncodeError>,
    ) -> Result<(), EncodeError> {
        self.write_count(items.len(), lb, ub, ext)?;
        for x in items {
            item(x, self)?;
        }
        Ok(())
    }

    /// Writes a count determinant for `SIZE(lb..ub)` with optional extension marker.
    pub fn write_count(
        &mut self,
        n: usize,
        lb: usize,
        ub: Option<usize>,
        ext: bool,
    ) -> Result<(), EncodeError> {
        let in_root = n >= lb && ub.is_none_or(|u| n <= u);
        if ext {
            self.write_bit(!in_root)?;
            if !in_root {
                return self.write_length_general(n);
            }
        } else if !in_root {
            return Err(EncodeError::new(EK::SizeOutOfRange));
        }
        match ub {
            Some(ub) if ub < 65536 => self.write_length_constrained(n, lb, ub),
            _ => self.write_length_general(n),
        }
    }

    /// Writes a variable-size OCTET STRING with `SIZE(lb..ub)`.
    pub fn write_octets(
        &mut self,
        b: &[u8],
        lb: usize,
        ub: Option<usize>,
        ext: bool,
    ) -> Result<(), EncodeError> {
        let in_root = b.len() >= lb && ub.is_none_or(|u| b.len() <= u);
        if ext {
            self.write_bit(!in_root)?;
            if !in_root {
                return self.write_octets_unbounded(b);
            }
        } else if !in_root {
            return Err(EncodeError::new(EK::SizeOutOfRange));
        }
        if ub.is_none_or(|u| u >= 65536) {
            return self.write_octets_unbounded(b);
        }
        self.write_count(b.len(), lb, ub, false)?;
        self.write_bytes(b)
    }

    /// Writes a BIT STRING of variable size.
    pub fn write_bitbuf(
        &mut self,
        b: &BitBuf,
        lb: usize,
        ub: Option<usize>,
        ext: bool,
    ) -> Result<(), EncodeError> {
        if b.data.len() * 8 < b.len_bits {
            return Err(EncodeError::new(EK::Unrepresentable));
        }
        self.write_count(b.len_bits, lb, ub, ext)?;
        self.write_bits_from(&b.data, b.len_bits)
    }

    /// Writes a restricted character string with `SIZE(lb..ub)`.
    pub fn write_string(
        &mut self,
        s: &str,
        cs: CharSet,
        lb: usize,
        ub: Option<usize>,
        ext: bool,
    ) -> Result<(), EncodeError> {
        if cs == CharSet::Utf8 {
            return self.write_octets(s.as_bytes(), lb, ub, ext);
        }
        if !s.bytes().all(|c| cs.permits(c)) {
            return Err(EncodeError::new(EK::InvalidCharacter));
        }
        self.write_count(s.len(), lb, ub, ext)?;
        for c in s.bytes() {
            if cs == CharSet::Numeric {
                let v = if c == b' ' { 0 } else { c - b'0' + 1 };
                self.write_bits(u64::from(v), 4)?;
            } else {
                self.write_bits(u64::from(c), 7)?;
            }
        }
        Ok(())
    }

    /// Writes the extension-addition presence bitmap: its length, then one bit a slot.
    pub fn write_ext_bitmap(
        &mut self,
        len: usize,
        present: impl Fn(usize) -> bool,
    ) -> Result<(), EncodeError> {
        self.write_normally_small(len as u64 - 1)?;
        for i in 0..len {
            self.write_bit(present(i))?;
        }
        Ok(())
    }
}

/// Where a [`BitWriter`] puts its octets.
#[derive(Debug)]
enum Sink<'a> {
    /// A caller's buffer and the number of octets written into it.
    Slice(&'a mut [u8], usize),
    Vec(&'a mut Vec<u8>),
    Count,
}

/// A writer of bits, most significant first, into a caller's slice (no allocation), a vector,
/// or nowhere (counting only, used to size open types). Bits gather in a 64-bit accumulator and
/// leave it four octets at a time.
#[derive(Debug)]
pub struct BitWriter<'a> {
    sink: Sink<'a>,
    /// Bits written since the writer was made.
    pos: usize,
    acc: u64,
    /// Bits pending in `acc` (the low `nacc` bits), always below 32 between calls.
    nacc: u32,
}

impl<'a> BitWriter<'a> {
    /// A writer into `buf`; fails with [`EK::BufferTooSmall`] when it is full.
    pub fn new_slice(buf: &'a mut [u8]) -> Self {
        Self {
            sink: Sink::Slice(buf, 0),
            pos: 0,
            acc: 0,
            nacc: 0,
        }
    }

    /// A writer appending to `buf`.
    pub fn new_vec(buf: &'a mut Vec<u8>) -> Self {
        Self {
            sink: Sink::Vec(buf),
            pos: 0,
            acc: 0,
            nacc: 0,
        }
    }

    /// A writer that only counts bits.
    pub fn counting() -> BitWriter<'static> {
        BitWriter {
            sink: Sink::Count,
            pos: 0,
            acc: 0,
            nacc: 0,
        }
    }

    /// Bits written so far.
    #[inline]
    pub fn bit_len(&self) -> usize {
        self.pos
    }

    #[inline]
    fn put(&mut self, bytes: &[u8]) -> Result<(), EncodeError> {
        match &mut self.sink {
            Sink::Count => Ok(()),
            Sink::Vec(v) => {
                v.extend_from_slice(bytes);
                Ok(())
            }
            Sink::Slice(s, at) => {
                let end = *at + bytes.len();
                match s.get_mut(*at..end) {
                    Some(dst) => {
                        dst.copy_from_slice(bytes);
                        *at = end;
                        Ok(())
                    }
                    None => Err(EncodeError::new(EK::BufferTooSmall)),
                }
            }
        }
    }

    /// Moves whole octets out of the accumulator once 32 bits or more are pending.
    #[inline]
    fn drain(&mut self) -> Result<(), EncodeError> {
        if self.nacc >= 32 {
            self.nacc -= 32;
            let word = (self.acc >> self.nacc) as u32;
            self.put(&word.to_be_bytes())?;
        }
        Ok(())
    }

    /// Writes the low `n` (at most 64) bits of `v`, most significant first.
    #[inline]
    pub fn write_bits(&mut self, v: u64, n: u32) -> Result<(), EncodeError> {
        if n == 0 {
            return Ok(());
        }
        if n > 32 {
            if n > 64 {
                return Err(EncodeError::new(EK::Unrepresentable));
            }
            self.write_bits(v >> 32, n - 32)?;
            return self.write_bits(v & 0xffff_ffff, 32);
        }
        let v = v & ((1u64 << n) - 1);
        // nacc < 32 and n <= 32: the accumulator cannot overflow
        self.acc = (self.acc << n) | v;
        self.nacc += n;
        self.pos += n as usize;
        self.drain()
    }

    /// Flushes pending whole octets (the writer must be octet-aligned for a byte copy).
    fn flush_octets(&mut self) -> Result<(), EncodeError> {
        while self.nacc >= 8 {
            self.nacc -= 8;
            let b = (self.acc >> self.nacc) as u8;
            self.put(&[b])?;
        }
        Ok(())
    }

    /// Writes one bit.
    #[inline]
    pub fn write_bit(&mut self, b: bool) -> Result<(), EncodeError> {
        self.write_bits(u64::from(b), 1)
    }

    /// Writes a constrained whole number `v` in `lb..=ub`.
    #[inline]
    pub fn write_constrained(&mut self, v: i64, lb: i64, ub: i64) -> Result<(), EncodeError> {
        if v < lb || v > ub {
            return Err(EncodeError::new(EK::IntegerOutOfRange));
        }
        let range = ub.wrapping_sub(lb) as u64;
        self.write_bits(v.wrapping_sub(lb) as u64, range_bits(range))
    }

    /// Writes a constrained whole number `v` in `lb..=ub` for unsigned 64-bit bounds.
    #[inline]
    pub fn write_constrained_u64(&mut self, v: u64, lb: u64, ub: u64) -> Result<(), EncodeError> {
        if v < lb || v > ub {
            return Err(EncodeError::new(EK::IntegerOutOfRange));
        }
        self.write_bits(v - lb, range_bits(ub - lb))
    }

    /// Writes a length determinant for a count in `lb..=ub` where `ub < 64K`.
    #[inline]
    pub fn write_length_constrained(
        &mut self,
        len: usize,
        lb: usize,
        ub: usize,
    ) -> Result<(), EncodeError> {
        if len < lb || len > ub {
            return Err(EncodeError::new(EK::SizeOutOfRange));
        }
        if lb == ub {
            return Ok(());
        }
        self.write_bits((len - lb) as u64, range_bits((ub - lb) as u64))
    }

    /// Writes an unfragmented unconstrained length determinant (`len < 16K`).
    #[inline]
    pub fn write_length_general(&mut self, len: usize) -> Result<(), EncodeError> {
        if len < 128 {
            self.write_bits(len as u64, 8)
        } else if len < FRAG {
            self.write_bits((0b10 << 14) | len as u64, 16)
        } else {
            Err(EncodeError::new(EK::SizeOutOfRange))
        }
    }

    /// Writes a normally small non-negative whole number.
    #[inline]
    pub fn write_normally_small(&mut self, n: u64) -> Result<(), EncodeError> {
        if n < 64 {
            self.write_bits(n, 7)
        } else {
            self.write_bit(true)?;
            self.write_semi_constrained_u64(n, 0)
        }
    }

    fn octets_unsigned(v: u64) -> usize {
        (((64 - v.leading_zeros()) as usize).div_ceil(8)).max(1)
    }

    /// Writes a semi-constrained whole number `v >= lb`, unsigned form.
    pub fn write_semi_constrained_u64(&mut self, v: u64, lb: u64) -> Result<(), EncodeError> {
        if v < lb {
            return Err(EncodeError::new(EK::IntegerOutOfRange));
        }
        let off = v - lb;
        let len = Self::octets_unsigned(off);
        self.write_length_general(len)?;
        self.write_bits(off, 8 * len as u32)
    }

    /// Writes a semi-constrained whole number `v >= lb`, signed form.
    pub fn write_semi_constrained(&mut self, v: i64, lb: i64) -> Result<(), EncodeError> {
        if v < lb {
            return Err(EncodeError::new(EK::IntegerOutOfRange));
        }
        self.write_semi_constrained_u64(v.wrapping_sub(lb) as u64, 0)
    }

    /// Writes an unconstrained whole number (two's complement, minimal octets).
    pub fn write_unconstrained(&mut self, v: i64) -> Result<(), EncodeError> {
        let mut len = 8usize;
        while len > 1 {
            let shift = 8 * (len - 1) as u32 - 1;
            let top = v >> shift;
            if top == 0 || top == -1 {
                len -= 1;
            } else {
                break;
            }
        }
        self.write_length_general(len)?;
        self.write_bits(v as u64, 8 * len as u32)
    }

    /// Writes octets.
    pub fn write_bytes(&mut self, b: &[u8]) -> Result<(), EncodeError> {
        if self.pos % 8 == 0 {
            self.flush_octets()?;
            self.put(b)?;
            self.pos += b.len() * 8;
            return Ok(());
        }
        let mut chunks = b.chunks_exact(4);
        for c in &mut chunks {
            self.write_bits(u64::from(u32::from_be_bytes([c[0], c[1], c[2], c[3]])), 32)?;
        }
        for &x in chunks.remainder() {
            self.write_bits(u64::from(x), 8)?;
        }
        Ok(())
    }

    /// Writes the first `nbits` bits of `b` (left-aligned).
    pub fn write_bits_from(&mut self, b: &[u8], nbits: usize) -> Result<(), EncodeError> {
        let full = nbits / 8;
        let head = b
            .get(..full)
            .ok_or_else(|| EncodeError::new(EK::Unrepresentable))?;
        self.write_bytes(head)?;
        let rest = (nbits % 8) as u32;
        if rest > 0 {
            let last = b
                .get(full)
                .copied()
                .ok_or_else(|| EncodeError::new(EK::Unrepresentable))?;
            self.write_bits(u64::from(last >> (8 - rest)), rest)?;
        }
        Ok(())
    }

    /// Writes an octet string with an unconstrained length determinant, fragmenting at 16K.
    pub fn write_octets_unbounded(&mut self, b: &[u8]) -> Result<(), EncodeError> {
        let mut rest = b;
        loop {
            if rest.len() >= FRAG {
                let m = (rest.len() / FRAG).min(4);
                self.write_bits((0b11 << 6) | m as u64, 8)?;
                let (head, tail) = rest.split_at(m * FRAG);
                self.write_bytes(head)?;
                rest = tail;
                if rest.is_empty() {
                    // a final zero-length determinant closes a fragmented string
                    return self.write_bits(0, 8);
                }
            } else {
                self.write_length_general(rest.len())?;
                return self.write_bytes(rest);
            }
        }
    }

    /// Writes an open type whose content is produced by `f`: its octet length first, then the
    /// content, padded with zero bits to whole octets (an empty content is one zero octet).
    pub fn write_open_type<F>(&mut self, f: F) -> Result<(), EncodeError>
    where
        F: Fn(&mut BitWriter<'_>) -> Result<(), EncodeError>,
    {
        let mut counter = BitWriter::counting();
        f(&mut counter)?;
        let bits = counter.bit_len();
        let octets = bits.div_ceil(8).max(1);
        if octets >= FRAG {
            let mut tmp = Vec::with_capacity(octets);
            let mut w = BitWriter::new_vec(&mut tmp);
            f(&mut w)?;
            w.finish()?;
            tmp.resize(octets, 0);
            return self.write_octets_unbounded(&tmp);
        }
        self.write_length_general(octets)?;
        f(self)?;
        self.write_bits(0, (octets * 8 - bits) as u32)
    }

    /// Writes an open type whose content octets are already encoded.
    pub fn write_open_type_bytes(&mut self, content: &[u8]) -> Result<(), EncodeError> {
        self.write_octets_unbounded(content)
    }

    /// Pads to a whole octet and flushes; returns the number of octets written. An empty
    /// encoding becomes one zero octet (X.691 11.1).
    pub fn finish(mut self) -> Result<usize, EncodeError> {
        if self.bit_len() == 0 {
            self.write_bits(0, 8)?;
        }
        let pad = (8 - self.pos % 8) % 8;
        self.write_bits(0, pad as u32)?;
        self.flush_octets()?;
        Ok(self.bit_len() / 8)
    }
}

/// A type with an unaligned PER encoding.
pub trait Uper: Sized {
    /// The ASN.1 name of the type; the first segment of error paths from [`Uper::decode`].
    const NAME: &'static str = "";

    /// Decodes a value from `r`, leaving `r` after it.
    fn decode_uper(r: &mut BitReader<'_>) -> Result<Self, DecodeError>;
    /// Encodes the value into `w`.
    fn encode_uper(&self, w: &mut BitWriter<'_>) -> Result<(), EncodeError>;

    /// Decodes a complete encoding: the whole input must be this value plus zero padding to the
    /// next octet; trailing octets or non-zero padding are rejected.
    fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = BitReader::new(bytes);
        let named = |e: DecodeError| {
            if Self::NAME.is_empty() {
                e
            } else {
                e.within(Self::NAME)
            }
        };
        let v = Self::decode_uper(&mut r).map_err(named)?;
        r.finish(0).map_err(named)?;
        Ok(v)
    }

    /// Encodes a complete encoding into a new vector.
    fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::with_capacity(64);
        let mut w = BitWriter::new_vec(&mut out);
        self.encode_uper(&mut w).map_err(named_enc::<Self>)?;
        w.finish()?;
        Ok(out)
    }

    /// Encodes a complete encoding into `buf` without allocating; returns its length in octets.
    fn encode_into(&self, buf: &mut [u8]) -> Result<usize, EncodeError> {
        let mut w = BitWriter::new_slice(buf);
        self.encode_uper(&mut w).map_err(named_enc::<Self>)?;
        w.finish()
    }
}

fn named_enc<T: Uper>(e: EncodeError) -> EncodeError {
    if T::NAME.is_empty() {
        e
    } else {
        e.within(T::NAME)
    }
}

/// Decodes the content of an open type (or an extension addition) as `T`: the content must be
/// one complete value followed only by zero padding.
pub fn decode_open<T: Uper>(r: &mut BitReader<'_>) -> Result<T, DecodeError> {
    decode_open_with(r, T::decode_uper)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(f: impl Fn(&mut BitWriter<'_>) -> Result<(), EncodeError>) -> Vec<u8> {
        let mut v = Vec::new();
        let mut w = BitWriter::new_vec(&mut v);
        f(&mut w).unwrap();
        w.finish().unwrap();
        v
    }

    #[test]
    fn constrained_whole_numbers() {
        // 3 bits for 0..7 then 7 bits for -100..27
        let b = enc(|w| {
            w.write_constrained(5, 0, 7)?;
            w.write_constrained(-90, -100, 27)
        });
        assert_eq!(b, vec![0b1010_0010, 0b1000_0000]);
        let mut r = BitReader::new(&b);
        assert_eq!(r.read_constrained(0, 7).unwrap(), 5);
        assert_eq!(r.read_constrained(-100, 27).unwrap(), -90);
        r.finish(0).unwrap();
    }

    #[test]
    fn constrained_rejects_out_of_range_both_ways() {
        let mut v = Vec::new();
        let mut w = BitWriter::new_vec(&mut v);
        assert_eq!(
            w.write_constrained(8, 0, 6).unwrap_err().kind(),
            EK::IntegerOutOfRange
        );
        // 0..5 needs 3 bits; 7 is representable in 3 bits but out of range
        let b = [0b1110_0000];
        let mut r = BitReader::new(&b);
        assert_eq!(
            r.read_constrained(0, 5).unwrap_err().kind(),
            DK::IntegerOutOfRange
        );
    }

    #[test]
    fn unconstrained_and_semi_constrained_round_trip() {
        for v in [0i64, 1, -1, 127, 128, -128, -129, 65535, i64::MIN, i64::MAX] {
            let b = enc(|w| w.write_unconstrained(v));
            let mut r = BitReader::new(&b);
            assert_eq!(r.read_unconstrained().unwrap(), v, "{v}");
        }
        let b = enc(|w| w.write_unconstrained(128));
        assert_eq!(b, vec![2, 0, 128]);
        let b = enc(|w| w.write_semi_constrained(300, 10));
        assert_eq!(b, vec![2, 1, 34]);
        let mut r = BitReader::new(&b);
        assert_eq!(r.read_semi_constrained(10).unwrap(), 300);
    }

    #[test]
    fn normally_small_numbers() {
        let b = enc(|w| w.write_normally_small(5));
        assert_eq!(b, vec![0b0000_1010]);
        let b = enc(|w| w.write_normally_small(64));
        let mut r = BitReader::new(&b);
        assert_eq!(r.read_normally_small().unwrap(), 64);
    }

    #[test]
    fn unaligned_bytes_round_trip() {
        let data = [0xde, 0xad, 0xbe, 0xef, 0x01];
        let b = enc(|w| {
            w.write_bits(1, 3)?;
            w.write_bytes(&data)
        });
        let mut r = BitReader::new(&b);
        assert_eq!(r.read_bits(3).unwrap(), 1);
        let mut out = [0u8; 5];
        r.read_bytes_into(&mut out).unwrap();
        assert_eq!(out, data);
    }

    #[test]
    fn fragmented_octets_round_trip() {
        let data: Vec<u8> = (0..40_000u32).map(|i| (i * 7) as u8).collect();
        let b = enc(|w| {
            w.write_bit(true)?;
            w.write_octets_unbounded(&data)
        });
        let mut r = BitReader::new(&b);
        assert!(r.read_bit().unwrap());
        assert_eq!(r.read_octets_unbounded(usize::MAX).unwrap(), data);
        r.finish(0).unwrap();
    }

    #[test]
    fn huge_lengths_fail_before_allocating() {
        // length determinant 0b10_111111_11111111 = 16383 octets announced, 1 present
        let b = [0xbf, 0xff, 0x00];
        let mut r = BitReader::new(&b);
        assert_eq!(
            r.read_octets_unbounded(usize::MAX).unwrap_err().kind(),
            DK::LengthExceedsInput
        );
        let mut r = BitReader::new(&b);
        assert_eq!(r.open_type().unwrap_err().kind(), DK::LengthExceedsInput);
        let mut r = BitReader::new(&b);
        assert_eq!(
            r.read_bytes_vec(1 << 40).unwrap_err().kind(),
            DK::LengthExceedsInput
        );
    }

    #[test]
    fn trailing_bits_are_rejected() {
        let b = [0b1010_0001];
        let mut r = BitReader::new(&b);
        r.read_bits(3).unwrap();
        assert_eq!(r.finish(0).unwrap_err().kind(), DK::TrailingBits);
        let b = [0b1010_0000, 0];
        let mut r = BitReader::new(&b);
        r.read_bits(3).unwrap();
        assert_eq!(r.finish(0).unwrap_err().kind(), DK::TrailingBits);
        let b = [0b1010_0000];
        let mut r = BitReader::new(&b);
        r.read_bits(3).unwrap();
        r.finish(0).unwrap();
    }

    #[test]
    fn open_type_pads_and_counts() {
        let b = enc(|w| {
            w.write_bit(true)?;
            w.write_open_type(|w| w.write_bits(0b101, 3))
        });
        // 1 | len=1 (8 bits) | 101 00000 | pad
        assert_eq!(b, vec![0b1000_0000, 0b1101_0000, 0]);
        let mut r = BitReader::new(&b);
        assert!(r.read_bit().unwrap());
        let mut sub = r.open_type().unwrap();
        assert_eq!(sub.read_bits(3).unwrap(), 0b101);
        sub.finish(9).unwrap();
    }

    /// Writes `n` octets counting up from 1, then a marker bit, as one open type.
    fn big_open_type(n: usize, marker: bool) -> Vec<u8> {
        enc(|w| {
            w.write_bit(true)?;
            w.write_open_type(|w| {
                for i in 0..n {
                    w.write_bits((i as u64 + 1) & 0xff, 8)?;
                }
                w.write_bit(marker)
            })?;
            w.write_bits(0b1011, 4)
        })
    }

    #[test]
    fn fragmented_open_types_decode_as_written() {
        // 20 000 octets of content and a bit: fragments of 16K, then the rest (X.691 11.9.3.8).
        let n = 20_000;
        let b = big_open_type(n, true);
        let mut r = BitReader::new(&b);
        assert!(r.read_bit().unwrap());
        let sum = decode_open_with(&mut r, |sub| {
            let mut sum = 0u64;
            for i in 0..n {
                let v = sub.read_bits(8)?;
                assert_eq!(v, (i as u64 + 1) & 0xff);
                sum += v;
            }
            assert!(sub.read_bit()?);
            Ok(sum)
        })
        .unwrap();
        assert_eq!(sum, (0..n as u64).map(|i| (i + 1) & 0xff).sum::<u64>());
        // The reader is past the whole open type: what follows reads back.
        assert_eq!(r.read_bits(4).unwrap(), 0b1011);

        // Content left unread is not padding: an invalid open type, reported at its start.
        let mut r = BitReader::new(&b);
        r.read_bit().unwrap();
        let e = decode_open_with(&mut r, |sub| sub.read_bits(8)).unwrap_err();
        assert_eq!(e.kind(), DK::InvalidOpenType);
        assert_eq!(e.bit_offset(), 1);
        // An error inside the content keeps its kind and path, placed at the open type.
        let mut r = BitReader::new(&b);
        r.read_bit().unwrap();
        let e = decode_open_with(&mut r, |sub| -> Result<(), DecodeError> {
            Err(DecodeError::new(DK::IntegerOutOfRange, sub.position()).within("x"))
        })
        .unwrap_err();
        assert_eq!((e.kind(), e.bit_offset()), (DK::IntegerOutOfRange, 1));
        assert_eq!(e.path().to_string(), "x");
        // Truncated in its second fragment: a typed error, no panic.
        let cut = &b[..b.len() - 3000];
        let mut r = BitReader::new(cut);
        r.read_bit().unwrap();
        assert!(decode_open_with(&mut r, |sub| sub.read_bits(8)).is_err());
    }

    #[test]
    fn slice_writer_reports_full_buffer() {
        let mut buf = [0u8; 1];
        let mut w = BitWriter::new_slice(&mut buf);
        w.write_bits(0xff, 8).unwrap();
        w.write_bit(true).unwrap();
        assert_eq!(w.finish().unwrap_err().kind(), EK::BufferTooSmall);
        let mut buf = [0u8; 4];
        let mut w = BitWriter::new_slice(&mut buf);
        w.write_bits(0x1234_5678, 32).unwrap();
        assert_eq!(
            w.write_bits(0xff, 32).unwrap_err().kind(),
            EK::BufferTooSmall
        );
    }
}
