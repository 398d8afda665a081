//! The datagram transport interface between the stack and whatever carries DSMP packets: a UDP
//! socket to a modem ([`UdpTransport`](super::udp::UdpTransport)), a modem vendor's SDK, or a
//! test double.
use core::net::SocketAddr;
use core::time::Duration;
use std::time::SystemTime;

use super::Error;

/// Where a received datagram came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// An IP sender (UDP transports).
    Udp(SocketAddr),
    /// A PC5 sender by its 24-bit layer-2 ID (modem SDKs that report it).
    Layer2Id(u32),
    /// The transport does not know.
    Unknown,
}

impl core::fmt::Display for Source {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Source::Udp(a) => write!(f, "{a}"),
            Source::Layer2Id(id) => write!(f, "l2:{id:06x}"),
            Source::Unknown => f.write_str("unknown"),
        }
    }
}

/// How a receive timestamp was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimestampSource {
    /// By the kernel when the datagram arrived (`SO_TIMESTAMP`).
    Kernel,
    /// By the transport when it returned the datagram to the caller (later than arrival by
    /// the time the datagram waited in the socket buffer).
    Receive,
    /// By the radio / modem (SDK transports).
    Device,
}

impl TimestampSource {
    /// `"kernel"`, `"receive"` or `"device"`.
    pub const fn name(self) -> &'static str {
        match self {
            TimestampSource::Kernel => "kernel",
            TimestampSource::Receive => "receive",
            TimestampSource::Device => "device",
        }
    }
}

/// What the transport knows about one received datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecvMeta {
    /// Octets written to the caller's buffer.
    pub len: usize,
    /// Whether the datagram was longer than the buffer (and cut).
    pub truncated: bool,
    /// The sender.
    pub source: Source,
    /// Wall-clock arrival time.
    pub time: SystemTime,
    /// How `time` was taken.
    pub time_source: TimestampSource,
}

/// A datagram transport.
pub trait Transport {
    /// Sends one datagram to the transport's destination (a peer, a multicast group, the radio).
    fn send(&mut self, datagram: &[u8]) -> Result<(), Error>;

    /// Receives one datagram into `buf`, waiting at most `timeout` (`None`: until one comes,
    /// `Some(Duration::ZERO)`: do not wait). `Ok(None)` means the time ran out.
    fn recv(
        &mut self,
        buf: &mut [u8],
        timeout: Option<Duration>,
    ) -> Result<Option<RecvMeta>, Error>;
}
