//! UDP transport on loopback only (127.0.0.1, ::1 and multicast groups joined on the loopback
//! interface): unicast both families, receive timestamps, timeouts, and 10,000 DSMP packets over
//! IPv4 multicast with every payload checked.
//!
//! If the machine cannot loop IPv4 multicast back on `lo`, the IPv4 multicast test fails with a
//! message saying so. IPv6 multicast on `lo` is often unavailable, so that test is ignored by
//! default with its reason and CI runs it on a veth pair (see [`multicast_ipv6`]).
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::{Duration, Instant, SystemTime};

use cv2x::net::dsmp::{Packet, Repr};
use cv2x::net::transport::{Source, TimestampSource, Transport};
use cv2x::net::udp::{Interface, UdpConfig, UdpTransport};
use cv2x::net::{Aid, Error, aid};

const WAIT: Option<Duration> = Some(Duration::from_secs(3));

fn message(seq: u32) -> Vec<u8> {
    // Sequence number, then a pattern derived from it, 64..=319 octets long.
    let len = 64 + (seq % 256) as usize;
    let mut payload = seq.to_be_bytes().to_vec();
    payload.extend((0..len).map(|i| (seq as usize).wrapping_mul(31).wrapping_add(i) as u8));
    Repr::new(aid::BSM_ORDINARY_PERIODIC, &payload)
        .to_vec()
        .unwrap()
}

fn check_message(bytes: &[u8]) -> u32 {
    let p = Packet::new_checked(bytes).expect("DSMP parses");
    assert_eq!(p.aid(), aid::BSM_ORDINARY_PERIODIC);
    let payload = p.payload();
    let seq = u32::from_be_bytes(payload[..4].try_into().unwrap());
    assert_eq!(bytes, &message(seq)[..], "payload of message {seq} intact");
    seq
}

fn unicast_pair(local: IpAddr) -> (UdpTransport, UdpTransport) {
    let rx = UdpTransport::open(&UdpConfig::unicast(SocketAddr::new(local, 0), None)).unwrap();
    let rx_addr = rx.local_addr().unwrap();
    let tx = UdpTransport::open(&UdpConfig::unicast(
        SocketAddr::new(local, 0),
        Some(rx_addr),
    ))
    .unwrap();
    (tx, rx)
}

fn unicast_round_trip(local: IpAddr) {
    let (mut tx, mut rx) = unicast_pair(local);
    let tx_addr = tx.local_addr().unwrap();
    let mut buf = vec![0u8; 2048];
    for seq in 0..200 {
        tx.send(&message(seq)).unwrap();
        let before = SystemTime::now();
        let meta = rx.recv(&mut buf, WAIT).unwrap().expect("datagram arrives");
        assert!(!meta.truncated);
        assert_eq!(meta.source, Source::Udp(tx_addr));
        assert_eq!(check_message(&buf[..meta.len]), seq);
        if cfg!(unix) {
            assert_eq!(meta.time_source, TimestampSource::Kernel);
        }
        // The arrival stamp is not after we looked, and not long before.
        let age = before.duration_since(meta.time).unwrap_or(Duration::ZERO);
        assert!(age < Duration::from_secs(5), "timestamp {age:?} old");
    }
}

#[test]
fn unicast_ipv4_loopback() {
    unicast_round_trip(IpAddr::V4(Ipv4Addr::LOCALHOST));
}

#[test]
fn unicast_ipv6_loopback() {
    unicast_round_trip(IpAddr::V6(Ipv6Addr::LOCALHOST));
}

#[test]
fn timeouts_and_truncation() {
    let (mut tx, mut rx) = unicast_pair(IpAddr::V4(Ipv4Addr::LOCALHOST));
    let mut buf = [0u8; 16];
    assert!(rx.recv(&mut buf, Some(Duration::ZERO)).unwrap().is_none());
    let start = Instant::now();
    assert!(
        rx.recv(&mut buf, Some(Duration::from_millis(50)))
            .unwrap()
            .is_none()
    );
    assert!(start.elapsed() >= Duration::from_millis(45));
    tx.send(&[0xAB; 40]).unwrap();
    let meta = rx.recv(&mut buf, WAIT).unwrap().unwrap();
    assert!(meta.truncated);
    assert_eq!(meta.len, 16);
    assert_eq!(buf, [0xAB; 16]);
    // A transport without destination cannot send.
    assert!(matches!(rx.send(&[1]), Err(Error::NoDestination)));
    assert!(rx.recv_buffer_bytes().unwrap() > 0);
    assert!(rx.kernel_timestamps() || !cfg!(unix));
}

/// Sends `count` messages over multicast and receives them all; `Err` says what did not work
/// on this machine before any message moved.
fn multicast_run(group: IpAddr, local: IpAddr, iface: Interface, count: u32) -> Result<(), String> {
    let rx_cfg = UdpConfig::multicast_receiver(group, 0, Some(iface.clone()));
    let mut rx = UdpTransport::open(&rx_cfg).map_err(|e| format!("join {group}: {e}"))?;
    let port = rx.local_addr().unwrap().port();
    let tx_cfg = UdpConfig::multicast_sender(group, port, local, Some(iface));
    let mut tx = UdpTransport::open(&tx_cfg).map_err(|e| format!("sender: {e}"))?;
    let mut seen = vec![false; count as usize];
    let mut received = 0u32;
    let mut buf = vec![0u8; 2048];
    // Whether multicast loops back at all on this machine.
    tx.send(&message(0))
        .map_err(|e| format!("send to {group}: {e}"))?;
    match rx.recv(&mut buf, Some(Duration::from_secs(2))).unwrap() {
        Some(meta) => {
            assert_eq!(check_message(&buf[..meta.len]), 0);
            seen[0] = true;
            received += 1;
        }
        None => return Err(format!("nothing looped back from {group}")),
    }
    // Flow control: never more than WINDOW datagrams in flight, so the socket buffer cannot
    // overflow whatever rmem_max allows; every wait is bounded.
    const WINDOW: u32 = 128;
    let mut receive_one = |rx: &mut UdpTransport, received: &mut u32| {
        let meta = rx
            .recv(&mut buf, WAIT)
            .unwrap()
            .unwrap_or_else(|| panic!("datagram {} of {count} did not arrive", *received));
        let seq = check_message(&buf[..meta.len]);
        assert!(!seen[seq as usize], "message {seq} received twice");
        seen[seq as usize] = true;
        *received += 1;
    };
    for seq in 1..count {
        tx.send(&message(seq))
            .unwrap_or_else(|e| panic!("send {seq}: {e}"));
        while seq + 1 - received > WINDOW {
            receive_one(&mut rx, &mut received);
        }
    }
    while received < count {
        receive_one(&mut rx, &mut received);
    }
    assert!(seen.iter().all(|s| *s));
    // Nothing extra arrives.
    assert!(
        rx.recv(&mut buf, Some(Duration::from_millis(20)))
            .unwrap()
            .is_none()
    );
    Ok(())
}

#[test]
fn multicast_ipv4_loopback_10000_packets() {
    let result = multicast_run(
        IpAddr::V4(Ipv4Addr::new(239, 255, 77, 1)),
        IpAddr::V4(Ipv4Addr::LOCALHOST),
        Interface::Ipv4(Ipv4Addr::LOCALHOST),
        10_000,
    );
    if let Err(why) = result {
        panic!("IPv4 multicast on the loopback interface is unavailable here: {why}");
    }
}

/// IPv6 multicast needs an interface that loops group traffic back, which the loopback
/// interface of many machines (and containers) does not: CI creates a veth pair and names one
/// end in `CV2X_IPV6_MULTICAST_IF` (see `.ci/run`). Without it the test is reported as ignored,
/// with this reason, rather than passing without having run.
#[test]
#[ignore = "needs an interface that loops IPv6 multicast back: set CV2X_IPV6_MULTICAST_IF and run with --ignored (CI does, on a veth pair)"]
fn multicast_ipv6() {
    let iface = std::env::var("CV2X_IPV6_MULTICAST_IF").unwrap_or_else(|_| "lo".into());
    let result = multicast_run(
        IpAddr::V6("ff12::7:1".parse().unwrap()),
        IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        Interface::Name(iface.clone()),
        1_000,
    );
    if let Err(why) = result {
        panic!("IPv6 multicast on {iface}: {why}");
    }
}

#[test]
fn send_to_overrides_destination() {
    let (mut tx, mut rx) = unicast_pair(IpAddr::V4(Ipv4Addr::LOCALHOST));
    let mut other =
        UdpTransport::open(&UdpConfig::unicast("127.0.0.1:0".parse().unwrap(), None)).unwrap();
    tx.send_to(&message(7), other.local_addr().unwrap())
        .unwrap();
    let mut buf = [0u8; 1024];
    let meta = other.recv(&mut buf, WAIT).unwrap().unwrap();
    assert_eq!(check_message(&buf[..meta.len]), 7);
    assert!(rx.recv(&mut buf, Some(Duration::ZERO)).unwrap().is_none());
    let _ = Aid(0);
}
