//! DSMP packets (YD/T 3707-2020 §4.3, the DSM frame) and the one-octet adaptation-layer header.
//!
//! # Wire format (YD/T 3707-2020, big-endian, most significant bit first)
//!
//! | field | size | notes |
//! |---|---|---|
//! | DSMP version | 3 bits | 0 in this edition; other values are rejected |
//! | DSMP option indicator | 1 bit | 1: the extension field follows |
//! | reserved | 4 bits | sent as 0; ignored on receive |
//! | extension | variable | present only with the option indicator: a 1-octet element count, then per element a 1-octet element ID, a 1-octet length and the contents |
//! | AID | 1–4 octets | p-encoded, see [`Aid`] |
//! | length | 2 octets | octets of DSM data that follow |
//! | data | `length` octets | the application message (UPER `MessageFrame` or a secured SPDU) |
//!
//! The first four rows and the length/data rows follow the DSM frame table of YD/T 3707-2020
//! (field widths and order as published). The inner layout of the extension field is the one of
//! its Annex B as implemented by deployed stacks (count, then ID / length / contents with 1-octet
//! ID and length); the Annex text itself was not available to us. IEEE 1609.3, which DSMP follows
//! closely, codes the count and the element length in a variable-length form that agrees with
//! one octet up to 127: counts or element lengths of 128 and more are the point to confirm
//! against the standard. Element values are carried opaquely; [`element`] names the IDs shared
//! with IEEE 1609.3.
//!
//! The adaptation layer below DSMP (YD/T 3707-2020 §4.2) prefixes one protocol-type octet
//! (4 = DSMP, 0 = IPv6, 5 = IPv4); see [`strip_adaptation`] and [`ADAPTATION_DSMP`].
//!
//! A packet is valid only if it ends exactly where its length field says: a shorter buffer is
//! [`Error::Truncated`], a longer one [`Error::TrailingBytes`].
use core::fmt;

use super::aid::Aid;
use super::{Error, Field};

/// The DSMP version this implementation reads and writes.
pub const VERSION: u8 = 0;

/// Adaptation-layer protocol type for DSMP.
pub const ADAPTATION_DSMP: u8 = 4;
/// Adaptation-layer protocol type for IPv6.
pub const ADAPTATION_IPV6: u8 = 0;
/// Adaptation-layer protocol type for IPv4.
pub const ADAPTATION_IPV4: u8 = 5;

/// Largest DSM data length the 2-octet length field can state.
pub const MAX_PAYLOAD_LEN: usize = u16::MAX as usize;

/// Extension element IDs that DSMP shares with the IEEE 1609.3 WAVE element IDs.
pub mod element {
    /// Transmit power used (dBm).
    pub const TX_POWER_USED: u8 = 4;
    /// Channel number.
    pub const CHANNEL_NUMBER: u8 = 15;
    /// Data rate.
    pub const DATA_RATE: u8 = 16;
}

const OPTION_BIT: u8 = 0x10;

/// Removes the adaptation-layer protocol-type octet; the rest must be DSMP.
#[inline]
pub fn strip_adaptation(bytes: &[u8]) -> Result<&[u8], Error> {
    match bytes.split_first() {
        Some((&ADAPTATION_DSMP, rest)) => Ok(rest),
        Some((&other, _)) => Err(Error::NotDsmp(other)),
        None => Err(Error::Truncated(Field::AdaptationHeader)),
    }
}

/// One extension element: an ID and its contents (at most 255 octets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Element<'a> {
    /// Element ID.
    pub id: u8,
    /// Element contents.
    pub value: &'a [u8],
}

/// The extension elements of a packet, as read from the wire or as given to emit.
#[derive(Clone, Copy)]
pub enum Extensions<'a> {
    /// Elements as they sit in a received packet: `count` elements coded in `bytes`
    /// (already checked to hold exactly that many).
    Wire {
        /// Number of elements.
        count: u8,
        /// The coded elements, without the count octet.
        bytes: &'a [u8],
    },
    /// Elements to send.
    List(&'a [Element<'a>]),
}

impl<'a> Extensions<'a> {
    /// Number of elements.
    pub fn len(&self) -> usize {
        match self {
            Extensions::Wire { count, .. } => usize::from(*count),
            Extensions::List(list) => list.len(),
        }
    }

    /// Whether there are no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Iterates over the elements.
    pub fn iter(&self) -> ExtensionIter<'a> {
        match *self {
            Extensions::Wire { count, bytes } => ExtensionIter::Wire {
                remaining: count,
                bytes,
            },
            Extensions::List(list) => ExtensionIter::List(list.iter()),
        }
    }

    /// Octets the field takes on the wire, count octet included.
    pub fn wire_len(&self) -> usize {
        match self {
            Extensions::Wire { bytes, .. } => 1 + bytes.len(),
            Extensions::List(list) => 1 + list.iter().map(|e| 2 + e.value.len()).sum::<usize>(),
        }
    }

    fn check(&self) -> Result<(), Error> {
        if let Extensions::Wire { count, bytes } = *self {
            let mut rest = bytes;
            for _ in 0..count {
                rest = split_element(rest)?.1;
            }
            if !rest.is_empty() {
                return Err(Error::Malformed(Field::ExtensionElement));
            }
        }
        if let Extensions::List(list) = self {
            if list.len() > usize::from(u8::MAX) {
                return Err(Error::TooManyExtensions(list.len()));
            }
            if let Some(e) = list.iter().find(|e| e.value.len() > usize::from(u8::MAX)) {
                return Err(Error::ExtensionTooLong(e.value.len()));
            }
        }
        Ok(())
    }
}

impl PartialEq for Extensions<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Extensions<'_> {}

impl fmt::Debug for Extensions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Iterator over extension elements.
#[derive(Debug, Clone)]
pub enum ExtensionIter<'a> {
    /// Over coded elements.
    Wire {
        /// Elements left.
        remaining: u8,
        /// Coded elements left.
        bytes: &'a [u8],
    },
    /// Over a list.
    List(core::slice::Iter<'a, Element<'a>>),
}

impl<'a> Iterator for ExtensionIter<'a> {
    type Item = Element<'a>;

    fn next(&mut self) -> Option<Element<'a>> {
        match self {
            ExtensionIter::Wire { remaining, bytes } => {
                if *remaining == 0 {
                    return None;
                }
                let (element, rest) = split_element(bytes).ok()?;
                *remaining -= 1;
                *bytes = rest;
                Some(element)
            }
            ExtensionIter::List(it) => it.next().copied(),
        }
    }
}

#[inline]
fn split_element(bytes: &[u8]) -> Result<(Element<'_>, &[u8]), Error> {
    let (&id, rest) = bytes
        .split_first()
        .ok_or(Error::Truncated(Field::ExtensionElement))?;
    let (&len, rest) = rest
        .split_first()
        .ok_or(Error::Truncated(Field::ExtensionElement))?;
    let len = usize::from(len);
    if rest.len() < len {
        return Err(Error::Truncated(Field::ExtensionElement));
    }
    let (value, rest) = rest.split_at(len);
    Ok((Element { id, value }, rest))
}

/// Offsets of the variable-length parts, found once by [`Packet::new_checked`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Layout {
    ext_count: u8,
    ext_end: usize,
    aid: Aid,
    payload_at: usize,
    payload_len: usize,
}

#[inline]
fn layout(b: &[u8]) -> Result<Layout, Error> {
    let (&first, mut rest) = b.split_first().ok_or(Error::Truncated(Field::DsmpHeader))?;
    let version = first >> 5;
    if version != VERSION {
        return Err(Error::UnsupportedVersion(version));
    }
    let mut ext_count = 0;
    if first & OPTION_BIT != 0 {
        let (&count, mut elements) = rest
            .split_first()
            .ok_or(Error::Truncated(Field::ExtensionCount))?;
        for _ in 0..count {
            elements = split_element(elements)?.1;
        }
        ext_count = count;
        rest = elements;
    }
    let ext_end = b.len() - rest.len();
    let (aid, aid_len) = Aid::decode(rest)?;
    let rest = rest.get(aid_len..).unwrap_or(&[]);
    let len_bytes: [u8; 2] = rest
        .get(..2)
        .and_then(|s| s.try_into().ok())
        .ok_or(Error::Truncated(Field::Length))?;
    let payload_len = usize::from(u16::from_be_bytes(len_bytes));
    let available = rest.len() - 2;
    if available < payload_len {
        return Err(Error::Truncated(Field::Payload));
    }
    if available > payload_len {
        return Err(Error::TrailingBytes {
            field: Field::Payload,
            extra: available - payload_len,
        });
    }
    Ok(Layout {
        ext_count,
        ext_end,
        aid,
        payload_at: b.len() - available,
        payload_len,
    })
}

/// A read view of a DSMP packet over a buffer (smoltcp style).
///
/// [`Packet::new_checked`] validates the whole header once; the accessors are then infallible
/// and never panic.
#[derive(Debug, Clone)]
pub struct Packet<T: AsRef<[u8]>> {
    buffer: T,
    layout: Layout,
}

impl<T: AsRef<[u8]>> Packet<T> {
    /// Checks that `buffer` holds exactly one valid DSMP version-0 packet and wraps it.
    #[inline]
    pub fn new_checked(buffer: T) -> Result<Packet<T>, Error> {
        let layout = layout(buffer.as_ref())?;
        Ok(Packet { buffer, layout })
    }

    /// Returns the underlying buffer.
    pub fn into_inner(self) -> T {
        self.buffer
    }

    fn first(&self) -> u8 {
        self.buffer.as_ref().first().copied().unwrap_or(0)
    }

    /// DSMP version (always [`VERSION`] for a checked packet).
    pub fn version(&self) -> u8 {
        self.first() >> 5
    }

    /// The option indicator: whether an extension field is present.
    pub fn has_extensions(&self) -> bool {
        self.first() & OPTION_BIT != 0
    }

    /// The four reserved bits as received.
    pub fn reserved(&self) -> u8 {
        self.first() & 0x0F
    }

    /// The extension elements, if the option indicator is set.
    pub fn extensions(&self) -> Option<Extensions<'_>> {
        if !self.has_extensions() {
            return None;
        }
        let bytes = self
            .buffer
            .as_ref()
            .get(2..self.layout.ext_end)
            .unwrap_or(&[]);
        Some(Extensions::Wire {
            count: self.layout.ext_count,
            bytes,
        })
    }

    /// The application identifier.
    #[inline]
    pub fn aid(&self) -> Aid {
        self.layout.aid
    }

    /// The length field: octets of DSM data.
    pub fn payload_len(&self) -> usize {
        self.layout.payload_len
    }

    /// Octets before the DSM data.
    pub fn header_len(&self) -> usize {
        self.layout.payload_at
    }

    /// The DSM data.
    #[inline]
    pub fn payload(&self) -> &[u8] {
        self.buffer
            .as_ref()
            .get(self.layout.payload_at..)
            .unwrap_or(&[])
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> Packet<T> {
    /// The DSM data, writable in place.
    pub fn payload_mut(&mut self) -> &mut [u8] {
        let at = self.layout.payload_at;
        self.buffer.as_mut().get_mut(at..).unwrap_or(&mut [])
    }
}

impl<'a> Packet<&'a [u8]> {
    /// The DSM data with the lifetime of the underlying buffer.
    #[inline]
    pub fn payload_slice(&self) -> &'a [u8] {
        self.buffer.get(self.layout.payload_at..).unwrap_or(&[])
    }

    /// The extension elements with the lifetime of the underlying buffer.
    pub fn extensions_slice(&self) -> Option<Extensions<'a>> {
        if self.buffer.first().copied().unwrap_or(0) & OPTION_BIT == 0 {
            return None;
        }
        Some(Extensions::Wire {
            count: self.layout.ext_count,
            bytes: self.buffer.get(2..self.layout.ext_end).unwrap_or(&[]),
        })
    }
}

/// The content of a DSMP packet, for building and for comparing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repr<'a> {
    /// Extension elements; `Some` sets the option indicator (even with zero elements).
    pub extensions: Option<Extensions<'a>>,
    /// Application identifier.
    pub aid: Aid,
    /// DSM data.
    pub payload: &'a [u8],
}

impl<'a> Repr<'a> {
    /// A packet without extensions.
    pub const fn new(aid: Aid, payload: &'a [u8]) -> Repr<'a> {
        Repr {
            extensions: None,
            aid,
            payload,
        }
    }

    /// Reads the representation of a checked packet.
    pub fn parse(packet: &Packet<&'a [u8]>) -> Result<Repr<'a>, Error> {
        Ok(Repr {
            extensions: packet.extensions_slice(),
            aid: packet.aid(),
            payload: packet.payload_slice(),
        })
    }

    /// Checks and reads a packet from bytes.
    pub fn parse_bytes(bytes: &'a [u8]) -> Result<Repr<'a>, Error> {
        Repr::parse(&Packet::new_checked(bytes)?)
    }

    /// Octets the emitted packet takes.
    pub fn buffer_len(&self) -> usize {
        let ext = self.extensions.map_or(0, |e| e.wire_len());
        let aid = self.aid.encoded_len().unwrap_or(4);
        1 + ext + aid + 2 + self.payload.len()
    }

    /// Writes the packet into the first [`buffer_len`](Self::buffer_len) octets of `buffer`
    /// and returns that length. Reserved bits are written as 0.
    pub fn emit(&self, buffer: &mut [u8]) -> Result<usize, Error> {
        let aid_len = self.aid.encoded_len()?;
        let payload_len = u16::try_from(self.payload.len())
            .map_err(|_| Error::PayloadTooLong(self.payload.len()))?;
        if let Some(ext) = &self.extensions {
            ext.check()?;
        }
        let needed = self.buffer_len();
        let available = buffer.len();
        let out = buffer
            .get_mut(..needed)
            .ok_or(Error::BufferTooSmall { needed, available })?;
        let mut w = Writer { out, pos: 0 };
        match &self.extensions {
            None => w.put(&[VERSION << 5])?,
            Some(ext) => {
                let count =
                    u8::try_from(ext.len()).map_err(|_| Error::TooManyExtensions(ext.len()))?;
                w.put(&[(VERSION << 5) | OPTION_BIT, count])?;
                for e in ext.iter() {
                    let len = u8::try_from(e.value.len())
                        .map_err(|_| Error::ExtensionTooLong(e.value.len()))?;
                    w.put(&[e.id, len])?;
                    w.put(e.value)?;
                }
            }
        }
        let mut aid = [0u8; 4];
        self.aid.encode(&mut aid)?;
        w.put(aid.get(..aid_len).unwrap_or(&[]))?;
        w.put(&payload_len.to_be_bytes())?;
        w.put(self.payload)?;
        if w.pos != needed {
            return Err(Error::Malformed(Field::ExtensionElement));
        }
        Ok(needed)
    }

    /// Emits into a new vector.
    pub fn to_vec(&self) -> Result<alloc::vec::Vec<u8>, Error> {
        let mut out = alloc::vec![0u8; self.buffer_len()];
        self.emit(&mut out)?;
        Ok(out)
    }
}

struct Writer<'b> {
    out: &'b mut [u8],
    pos: usize,
}

impl Writer<'_> {
    #[inline]
    fn put(&mut self, src: &[u8]) -> Result<(), Error> {
        let end = self.pos + src.len();
        let available = self.out.len();
        let dst = self
            .out
            .get_mut(self.pos..end)
            .ok_or(Error::BufferTooSmall {
                needed: end,
                available,
            })?;
        dst.copy_from_slice(src);
        self.pos = end;
        Ok(())
    }
}
