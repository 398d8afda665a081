//! Link, IP and UDP headers: enough to pull UDP datagrams out of captured frames and to wrap
//! datagrams for writing captures. Parsing checks every length against the input.
//!
//! Not covered, by choice: IPv4 options are skipped unread; IP fragments are reported as
//! [`Error::Fragment`] rather than reassembled; checksums are not verified on read (captures
//! taken on the sending host carry offloaded, unfinished checksums) and are computed on write.
use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use super::{Error, Field};

/// IP protocol number of UDP.
pub const IPPROTO_UDP: u8 = 17;

/// Capture link types understood here (tcpdump `LINKTYPE_*` numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkType {
    /// BSD loopback, host byte order family (0).
    Null,
    /// Ethernet II, with up to two 802.1Q/802.1ad tags (1).
    Ethernet,
    /// Raw IPv4 or IPv6 (101).
    Raw,
    /// OpenBSD loopback, network byte order family (108).
    Loop,
    /// Linux cooked capture v1 (113).
    LinuxSll,
    /// Raw IPv4 (228).
    Ipv4,
    /// Raw IPv6 (229).
    Ipv6,
    /// Linux cooked capture v2 (276).
    LinuxSll2,
}

impl LinkType {
    /// The link type for a `LINKTYPE_*` number.
    pub const fn from_u32(v: u32) -> Option<LinkType> {
        Some(match v {
            0 => LinkType::Null,
            1 => LinkType::Ethernet,
            101 => LinkType::Raw,
            108 => LinkType::Loop,
            113 => LinkType::LinuxSll,
            228 => LinkType::Ipv4,
            229 => LinkType::Ipv6,
            276 => LinkType::LinuxSll2,
            _ => return None,
        })
    }

    /// The `LINKTYPE_*` number.
    pub const fn to_u32(self) -> u32 {
        match self {
            LinkType::Null => 0,
            LinkType::Ethernet => 1,
            LinkType::Raw => 101,
            LinkType::Loop => 108,
            LinkType::LinuxSll => 113,
            LinkType::Ipv4 => 228,
            LinkType::Ipv6 => 229,
            LinkType::LinuxSll2 => 276,
        }
    }
}

/// A UDP datagram found in a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UdpDatagram<'a> {
    /// Source address and port.
    pub source: SocketAddr,
    /// Destination address and port.
    pub destination: SocketAddr,
    /// UDP payload.
    pub payload: &'a [u8],
}

fn take(b: &[u8], n: usize, field: Field) -> Result<(&[u8], &[u8]), Error> {
    if b.len() < n {
        return Err(Error::Truncated(field));
    }
    Ok(b.split_at(n))
}

fn be16(b: &[u8], at: usize, field: Field) -> Result<u16, Error> {
    b.get(at..at + 2)
        .and_then(|s| s.try_into().ok())
        .map(u16::from_be_bytes)
        .ok_or(Error::Truncated(field))
}

const ETHERTYPE_IPV4: u16 = 0x0800;
const ETHERTYPE_IPV6: u16 = 0x86DD;

fn by_ethertype(ethertype: u16, rest: &[u8]) -> Result<UdpDatagram<'_>, Error> {
    match ethertype {
        ETHERTYPE_IPV4 => parse_ipv4(rest),
        ETHERTYPE_IPV6 => parse_ipv6(rest),
        other => Err(Error::NotIp(u32::from(other))),
    }
}

/// Extracts the UDP datagram from a captured frame of link type `link`.
pub fn parse_frame(link: LinkType, frame: &[u8]) -> Result<UdpDatagram<'_>, Error> {
    match link {
        LinkType::Ethernet => {
            let mut ethertype = be16(frame, 12, Field::LinkHeader)?;
            let mut rest = take(frame, 14, Field::LinkHeader)?.1;
            for _ in 0..2 {
                if ethertype != 0x8100 && ethertype != 0x88A8 {
                    break;
                }
                ethertype = be16(rest, 2, Field::LinkHeader)?;
                rest = take(rest, 4, Field::LinkHeader)?.1;
            }
            by_ethertype(ethertype, rest)
        }
        LinkType::LinuxSll => {
            let ethertype = be16(frame, 14, Field::LinkHeader)?;
            by_ethertype(ethertype, take(frame, 16, Field::LinkHeader)?.1)
        }
        LinkType::LinuxSll2 => {
            let ethertype = be16(frame, 0, Field::LinkHeader)?;
            by_ethertype(ethertype, take(frame, 20, Field::LinkHeader)?.1)
        }
        LinkType::Null | LinkType::Loop => {
            let (head, rest) = take(frame, 4, Field::LinkHeader)?;
            let raw: [u8; 4] = head
                .try_into()
                .map_err(|_| Error::Truncated(Field::LinkHeader))?;
            let family = if link == LinkType::Loop {
                u32::from_be_bytes(raw)
            } else {
                // Host byte order of the capturing machine: accept either.
                let le = u32::from_le_bytes(raw);
                if le < 0x100 {
                    le
                } else {
                    u32::from_be_bytes(raw)
                }
            };
            match family {
                2 => parse_ipv4(rest),
                24 | 28 | 30 => parse_ipv6(rest),
                other => Err(Error::NotIp(other)),
            }
        }
        LinkType::Raw => parse_ip(frame),
        LinkType::Ipv4 => parse_ipv4(frame),
        LinkType::Ipv6 => parse_ipv6(frame),
    }
}

/// Extracts the UDP datagram from an IPv4 or IPv6 packet (by its version nibble).
pub fn parse_ip(packet: &[u8]) -> Result<UdpDatagram<'_>, Error> {
    match packet.first().map(|b| b >> 4) {
        Some(4) => parse_ipv4(packet),
        Some(6) => parse_ipv6(packet),
        Some(_) => Err(Error::Malformed(Field::Ipv4Header)),
        None => Err(Error::Truncated(Field::Ipv4Header)),
    }
}

/// Extracts the UDP datagram from an IPv4 packet. Link-layer padding after the IP total
/// length is ignored.
pub fn parse_ipv4(packet: &[u8]) -> Result<UdpDatagram<'_>, Error> {
    let f = Field::Ipv4Header;
    let (head, _) = take(packet, 20, f)?;
    let b0 = head.first().copied().unwrap_or(0);
    if b0 >> 4 != 4 {
        return Err(Error::Malformed(f));
    }
    let ihl = usize::from(b0 & 0x0F) * 4;
    let total = usize::from(be16(head, 2, f)?);
    if ihl < 20 || total < ihl {
        return Err(Error::Malformed(f));
    }
    if packet.len() < total {
        return Err(Error::Truncated(f));
    }
    let flags_frag = be16(head, 6, f)?;
    if flags_frag & 0x3FFF != 0 {
        return Err(Error::Fragment);
    }
    let protocol = head.get(9).copied().unwrap_or(0);
    if protocol != IPPROTO_UDP {
        return Err(Error::NotUdp(protocol));
    }
    let addr = |at: usize| -> Result<Ipv4Addr, Error> {
        let o: [u8; 4] = head
            .get(at..at + 4)
            .and_then(|s| s.try_into().ok())
            .ok_or(Error::Truncated(f))?;
        Ok(Ipv4Addr::from(o))
    };
    let src = IpAddr::V4(addr(12)?);
    let dst = IpAddr::V4(addr(16)?);
    let body = packet.get(ihl..total).ok_or(Error::Truncated(f))?;
    parse_udp(src, dst, body)
}

/// Extracts the UDP datagram from an IPv6 packet, skipping hop-by-hop, routing and
/// destination-options extension headers.
pub fn parse_ipv6(packet: &[u8]) -> Result<UdpDatagram<'_>, Error> {
    let f = Field::Ipv6Header;
    let (head, rest) = take(packet, 40, f)?;
    if head.first().map(|b| b >> 4) != Some(6) {
        return Err(Error::Malformed(f));
    }
    let payload_len = usize::from(be16(head, 4, f)?);
    if payload_len == 0 {
        // Jumbograms are not used for V2X.
        return Err(Error::Malformed(f));
    }
    let mut next = head.get(6).copied().unwrap_or(0);
    let addr = |at: usize| -> Result<Ipv6Addr, Error> {
        let o: [u8; 16] = head
            .get(at..at + 16)
            .and_then(|s| s.try_into().ok())
            .ok_or(Error::Truncated(f))?;
        Ok(Ipv6Addr::from(o))
    };
    let src = IpAddr::V6(addr(8)?);
    let dst = IpAddr::V6(addr(24)?);
    let mut body = rest.get(..payload_len).ok_or(Error::Truncated(f))?;
    for _ in 0..8 {
        match next {
            IPPROTO_UDP => return parse_udp(src, dst, body),
            0 | 43 | 60 => {
                let (&nh, after) = body.split_first().ok_or(Error::Truncated(f))?;
                let len = (usize::from(after.first().copied().ok_or(Error::Truncated(f))?) + 1) * 8;
                body = take(body, len, f)?.1;
                next = nh;
            }
            44 => return Err(Error::Fragment),
            other => return Err(Error::NotUdp(other)),
        }
    }
    Err(Error::Malformed(f))
}

fn parse_udp(src: IpAddr, dst: IpAddr, body: &[u8]) -> Result<UdpDatagram<'_>, Error> {
    let f = Field::UdpHeader;
    let sport = be16(body, 0, f)?;
    let dport = be16(body, 2, f)?;
    let len = usize::from(be16(body, 4, f)?);
    take(body, 8, f)?;
    if len < 8 {
        return Err(Error::Malformed(f));
    }
    let payload = body.get(8..len).ok_or(Error::Truncated(Field::UdpHeader))?;
    Ok(UdpDatagram {
        source: SocketAddr::new(src, sport),
        destination: SocketAddr::new(dst, dport),
        payload,
    })
}

fn checksum_add(mut sum: u32, data: &[u8]) -> u32 {
    let mut chunks = data.chunks_exact(2);
    for c in &mut chunks {
        sum += u32::from(u16::from_be_bytes([
            c.first().copied().unwrap_or(0),
            c.get(1).copied().unwrap_or(0),
        ]));
    }
    if let [last] = chunks.remainder() {
        sum += u32::from(*last) << 8;
    }
    sum
}

fn checksum_fold(mut sum: u32) -> u16 {
    while sum > 0xFFFF {
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    !(sum as u16)
}

/// Builds an IPv4 or IPv6 packet carrying one UDP datagram (checksums computed), appending it
/// to `out`. Both addresses must be of the same family.
pub fn build_ip_udp(
    source: SocketAddr,
    destination: SocketAddr,
    payload: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    let udp_len = payload.len() + 8;
    let udp_len16 = u16::try_from(udp_len).map_err(|_| Error::PayloadTooLong(payload.len()))?;
    let mut udp = Vec::with_capacity(udp_len);
    udp.extend_from_slice(&source.port().to_be_bytes());
    udp.extend_from_slice(&destination.port().to_be_bytes());
    udp.extend_from_slice(&udp_len16.to_be_bytes());
    udp.extend_from_slice(&[0, 0]);
    udp.extend_from_slice(payload);
    match (source.ip(), destination.ip()) {
        (IpAddr::V4(s), IpAddr::V4(d)) => {
            let total =
                u16::try_from(udp_len + 20).map_err(|_| Error::PayloadTooLong(payload.len()))?;
            let mut pseudo = checksum_add(0, &s.octets());
            pseudo = checksum_add(pseudo, &d.octets());
            pseudo += u32::from(IPPROTO_UDP) + u32::from(udp_len16);
            let mut c = checksum_fold(checksum_add(pseudo, &udp));
            if c == 0 {
                c = 0xFFFF;
            }
            if let Some(slot) = udp.get_mut(6..8) {
                slot.copy_from_slice(&c.to_be_bytes());
            }
            let mut h = [0u8; 20];
            h[0] = 0x45;
            h[2..4].copy_from_slice(&total.to_be_bytes());
            h[6] = 0x40; // don't fragment
            h[8] = 64;
            h[9] = IPPROTO_UDP;
            h[12..16].copy_from_slice(&s.octets());
            h[16..20].copy_from_slice(&d.octets());
            let hc = checksum_fold(checksum_add(0, &h));
            h[10..12].copy_from_slice(&hc.to_be_bytes());
            out.extend_from_slice(&h);
        }
        (IpAddr::V6(s), IpAddr::V6(d)) => {
            let mut pseudo = checksum_add(0, &s.octets());
            pseudo = checksum_add(pseudo, &d.octets());
            pseudo += u32::from(IPPROTO_UDP) + u32::from(udp_len16);
            let mut c = checksum_fold(checksum_add(pseudo, &udp));
            if c == 0 {
                c = 0xFFFF;
            }
            if let Some(slot) = udp.get_mut(6..8) {
                slot.copy_from_slice(&c.to_be_bytes());
            }
            let mut h = [0u8; 40];
            h[0] = 0x60;
            h[4..6].copy_from_slice(&udp_len16.to_be_bytes());
            h[6] = IPPROTO_UDP;
            h[7] = 64;
            h[8..24].copy_from_slice(&s.octets());
            h[24..40].copy_from_slice(&d.octets());
            out.extend_from_slice(&h);
        }
        _ => return Err(Error::AddressFamilyMismatch),
    }
    out.extend_from_slice(&udp);
    Ok(())
}
