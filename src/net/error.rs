//! The network layer's error type.
use super::aid::Aid;

/// The part of a packet or header an error refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// Adaptation-layer protocol type octet.
    AdaptationHeader,
    /// DSMP first octet (version, option indicator, reserved bits).
    DsmpHeader,
    /// DSMP extension count octet.
    ExtensionCount,
    /// One DSMP extension element (ID, length, contents).
    ExtensionElement,
    /// The variable-length AID.
    Aid,
    /// The 2-octet DSMP data length.
    Length,
    /// The DSMP data (payload).
    Payload,
    /// Link-layer header (Ethernet, Linux cooked, loopback).
    LinkHeader,
    /// IPv4 header.
    Ipv4Header,
    /// IPv6 header or extension header.
    Ipv6Header,
    /// UDP header.
    UdpHeader,
}

/// Everything that can go wrong in the network layer.
///
/// Packet errors carry no heap data and are cheap to return; the `std`-only variants wrap the
/// underlying I/O and capture-file errors.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input ends inside the given field.
    #[error("packet truncated in {0:?}")]
    Truncated(Field),
    /// Bytes remain after the end the headers announce (DSMP data length, IP total length).
    #[error("{extra} unexpected trailing bytes after the {field:?}")]
    TrailingBytes {
        /// Where the packet should have ended.
        field: Field,
        /// Number of surplus bytes.
        extra: usize,
    },
    /// The DSMP version is not the one this implementation speaks (0).
    #[error("unsupported DSMP version {0}")]
    UnsupportedVersion(u8),
    /// The first AID octet has a prefix no AID length uses (`1111 xxxx`).
    #[error("invalid AID prefix octet {0:#04x}")]
    InvalidAidPrefix(u8),
    /// An AID above the largest value the 4-octet coding holds.
    #[error("AID {0} out of range")]
    AidOutOfRange(u32),
    /// The AID is not in the dispatch table.
    #[error("unknown AID {0}")]
    UnknownAid(Aid),
    /// The adaptation-layer protocol type is not DSMP (4).
    #[error("adaptation-layer protocol type {0} is not DSMP")]
    NotDsmp(u8),
    /// DSMP data longer than the 2-octet length field can state.
    #[error("payload of {0} bytes exceeds 65535")]
    PayloadTooLong(usize),
    /// An extension element value longer than its 1-octet length field can state.
    #[error("extension element value of {0} bytes exceeds 255")]
    ExtensionTooLong(usize),
    /// More extension elements than the 1-octet count can state.
    #[error("{0} extension elements exceed 255")]
    TooManyExtensions(usize),
    /// The output buffer is smaller than the packet.
    #[error("buffer of {available} bytes, {needed} needed")]
    BufferTooSmall {
        /// Bytes the packet needs.
        needed: usize,
        /// Bytes the buffer has.
        available: usize,
    },
    /// A header field holds a value the parser rejects (IP version, header length, ...).
    #[error("malformed {0:?}")]
    Malformed(Field),
    /// The IP packet is not UDP (carries the IP protocol / next-header number).
    #[error("IP protocol {0} is not UDP")]
    NotUdp(u8),
    /// The IPv4 packet is a fragment; fragments are not reassembled.
    #[error("IP fragment (not reassembled)")]
    Fragment,
    /// The frame's link layer carries something other than IPv4/IPv6 (EtherType or family).
    #[error("link layer carries protocol {0:#06x}, not IP")]
    NotIp(u32),
    /// The capture's link type is not one the replay understands.
    #[error("unsupported capture link type {0}")]
    UnsupportedLinkType(u32),
    /// Source and destination addresses of a datagram to write are of different families.
    #[error("source and destination address families differ")]
    AddressFamilyMismatch,
    /// The transport was asked to send but has no destination.
    #[error("no destination configured")]
    NoDestination,
    /// The named network interface does not exist.
    #[error("no such network interface")]
    NoSuchInterface,
    /// A socket or file operation failed.
    #[cfg(feature = "std")]
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
    /// The capture file could not be read or written (what the pcap reader or writer said).
    #[cfg(feature = "std")]
    #[error("capture file: {0}")]
    Capture(alloc::string::String),
}

#[cfg(feature = "io")]
impl From<pcap_file::PcapError> for Error {
    fn from(e: pcap_file::PcapError) -> Self {
        match e {
            pcap_file::PcapError::IoError(io) => Error::Io(io),
            other => Error::Capture(alloc::string::ToString::to_string(&other)),
        }
    }
}
