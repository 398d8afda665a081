//! AID dispatch: which message class a DSMP packet carries and whether its data must be verified
//! (SPDU) or decoded directly (UPER `MessageFrame`).
//!
//! The dispatcher knows nothing of the message codec or the security layer: it hands back the
//! payload slice with its class and kind, and counts what it saw. Unknown AIDs are counted and
//! returned as [`Error::UnknownAid`]; no input makes it panic.
use alloc::vec::Vec;

use super::Error;
use super::aid::{Aid, AidTable, DEFAULT_TABLE, MessageClass};
use super::dsmp::{self, Extensions, Packet};

/// What the DSM data of a packet is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PayloadKind {
    /// A UPER message (a `MessageFrame`) to decode directly.
    MessageFrame,
    /// A secured message (IEEE 1609.2 / YD/T 3957 `Ieee1609Dot2Data`) to verify first.
    Spdu,
}

impl PayloadKind {
    /// `"message_frame"` or `"spdu"`.
    pub const fn name(self) -> &'static str {
        match self {
            PayloadKind::MessageFrame => "message_frame",
            PayloadKind::Spdu => "spdu",
        }
    }
}

/// How the dispatcher decides between [`PayloadKind::MessageFrame`] and [`PayloadKind::Spdu`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SecurityMode {
    /// Data that begins like an `Ieee1609Dot2Data` (protocol version 3, then a content CHOICE
    /// tag `0x80..=0x84`) is an SPDU, anything else a plain message. A plain UPER message can in
    /// principle begin with the same two octets, so a deployment that knows its policy should
    /// say so with one of the other modes.
    #[default]
    Detect,
    /// Every payload is a plain UPER message (security off).
    Plain,
    /// Every payload is an SPDU (security on: plain messages reach the verifier and fail there).
    Signed,
}

/// What precedes the DSMP header in the buffers handed to the dispatcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Framing {
    /// The buffer starts with the DSMP header (the usual modem-over-UDP form).
    #[default]
    Dsmp,
    /// The buffer starts with the one-octet adaptation-layer protocol type (4 = DSMP).
    Adaptation,
}

/// A dispatched packet: where its payload goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dispatched<'a> {
    /// The packet's AID.
    pub aid: Aid,
    /// The message class the AID stands for.
    pub class: MessageClass,
    /// Whether the payload is to be verified or decoded.
    pub kind: PayloadKind,
    /// The DSM data.
    pub payload: &'a [u8],
    /// DSMP extension elements, if any.
    pub extensions: Option<Extensions<'a>>,
}

/// Counts of what the dispatcher saw, by outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DispatchCounters {
    /// Buffers handed to [`Dispatcher::dispatch`].
    pub packets: u64,
    /// Packets dispatched (known AID, valid header).
    pub dispatched: u64,
    /// Dispatched packets with a plain message.
    pub message_frames: u64,
    /// Dispatched packets with an SPDU.
    pub spdus: u64,
    /// Valid packets dropped for an AID not in the table.
    pub unknown_aid: u64,
    /// Packets dropped for a DSMP version other than 0.
    pub unsupported_version: u64,
    /// Packets dropped because the adaptation layer named another protocol.
    pub not_dsmp: u64,
    /// Packets dropped as malformed (truncated, trailing bytes, bad AID coding).
    pub malformed: u64,
    /// Dispatched packets per class, indexed like [`MessageClass::ALL`].
    pub by_class: [u64; MessageClass::ALL.len()],
}

impl DispatchCounters {
    /// Dispatched packets of one class.
    pub fn class(&self, class: MessageClass) -> u64 {
        self.by_class.get(class as usize).copied().unwrap_or(0)
    }

    /// Packets dropped for any reason.
    pub fn dropped(&self) -> u64 {
        self.unknown_aid + self.unsupported_version + self.not_dsmp + self.malformed
    }
}

/// Maps AIDs to message classes and counts outcomes.
#[derive(Debug, Clone)]
pub struct Dispatcher {
    table: Vec<(Aid, MessageClass)>,
    framing: Framing,
    security: SecurityMode,
    counters: DispatchCounters,
}

impl Default for Dispatcher {
    fn default() -> Self {
        Dispatcher::new()
    }
}

impl Dispatcher {
    /// A dispatcher with the default AID table ([`DEFAULT_TABLE`]: Day I and the Day II values
    /// in use), DSMP framing and [`SecurityMode::Detect`].
    pub fn new() -> Dispatcher {
        let mut d = Dispatcher::empty();
        for (aid, class) in DEFAULT_TABLE {
            d.insert(aid, class);
        }
        d
    }

    /// A dispatcher that knows exactly the AIDs of `table` (a deployment's own, e.g. loaded
    /// with [`AidTable::parse_any`]), DSMP framing and [`SecurityMode::Detect`].
    pub fn with_table(table: &AidTable) -> Dispatcher {
        Dispatcher {
            table: table.entries().to_vec(),
            ..Dispatcher::empty()
        }
    }

    /// A dispatcher that knows no AID.
    pub fn empty() -> Dispatcher {
        Dispatcher {
            table: Vec::new(),
            framing: Framing::default(),
            security: SecurityMode::default(),
            counters: DispatchCounters::default(),
        }
    }

    /// Maps `aid` to `class`; returns the class it mapped to before, if any.
    pub fn insert(&mut self, aid: Aid, class: MessageClass) -> Option<MessageClass> {
        match self.table.binary_search_by_key(&aid, |e| e.0) {
            Ok(i) => self
                .table
                .get_mut(i)
                .map(|e| core::mem::replace(&mut e.1, class)),
            Err(i) => {
                self.table.insert(i, (aid, class));
                None
            }
        }
    }

    /// Forgets `aid`; returns the class it mapped to, if any.
    pub fn remove(&mut self, aid: Aid) -> Option<MessageClass> {
        let i = self.table.binary_search_by_key(&aid, |e| e.0).ok()?;
        Some(self.table.remove(i).1)
    }

    /// The class `aid` maps to.
    #[inline]
    pub fn lookup(&self, aid: Aid) -> Option<MessageClass> {
        let i = self.table.binary_search_by_key(&aid, |e| e.0).ok()?;
        self.table.get(i).map(|e| e.1)
    }

    /// Sets what precedes the DSMP header.
    pub fn set_framing(&mut self, framing: Framing) {
        self.framing = framing;
    }

    /// Sets how payloads are classified.
    pub fn set_security(&mut self, security: SecurityMode) {
        self.security = security;
    }

    /// The counters so far.
    pub fn counters(&self) -> &DispatchCounters {
        &self.counters
    }

    /// Clears the counters.
    pub fn reset_counters(&mut self) {
        self.counters = DispatchCounters::default();
    }

    /// Parses one received buffer and says where its payload goes.
    ///
    /// Errors are counted by kind and returned; the buffer is then to be dropped.
    #[inline]
    pub fn dispatch<'a>(&mut self, bytes: &'a [u8]) -> Result<Dispatched<'a>, Error> {
        self.counters.packets += 1;
        let result = self.classify(bytes);
        match &result {
            Ok(d) => {
                let c = &mut self.counters;
                c.dispatched += 1;
                match d.kind {
                    PayloadKind::MessageFrame => c.message_frames += 1,
                    PayloadKind::Spdu => c.spdus += 1,
                }
                if let Some(n) = c.by_class.get_mut(d.class as usize) {
                    *n += 1;
                }
            }
            Err(Error::UnknownAid(_)) => self.counters.unknown_aid += 1,
            Err(Error::UnsupportedVersion(_)) => self.counters.unsupported_version += 1,
            Err(Error::NotDsmp(_)) => self.counters.not_dsmp += 1,
            Err(_) => self.counters.malformed += 1,
        }
        result
    }

    #[inline]
    fn classify<'a>(&self, bytes: &'a [u8]) -> Result<Dispatched<'a>, Error> {
        let bytes = match self.framing {
            Framing::Dsmp => bytes,
            Framing::Adaptation => dsmp::strip_adaptation(bytes)?,
        };
        let packet = Packet::new_checked(bytes)?;
        let aid = packet.aid();
        let class = self.lookup(aid).ok_or(Error::UnknownAid(aid))?;
        let payload = packet.payload_slice();
        let kind = match self.security {
            SecurityMode::Plain => PayloadKind::MessageFrame,
            SecurityMode::Signed => PayloadKind::Spdu,
            SecurityMode::Detect => {
                if looks_like_spdu(payload) {
                    PayloadKind::Spdu
                } else {
                    PayloadKind::MessageFrame
                }
            }
        };
        Ok(Dispatched {
            aid,
            class,
            kind,
            payload,
            extensions: packet.extensions_slice(),
        })
    }
}

/// Whether `payload` begins like a COER `Ieee1609Dot2Data` of protocol version 3: the version
/// octet 3, then the tag of one of the `Ieee1609Dot2Content` alternatives (`0x80..=0x84`:
/// unsecuredData, signedData, encryptedData, signedCertificateRequest,
/// signedX509CertificateRequest).
#[inline]
pub fn looks_like_spdu(payload: &[u8]) -> bool {
    matches!(payload, [3, 0x80..=0x84, ..])
}
