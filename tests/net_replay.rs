//! Capture files: pcap written and read back, Ethernet / VLAN / cooked / loopback framing,
//! pcapng with both timestamp resolutions, skipped frames counted, and the replay schedule
//! driven by hand-fed elapsed times.
use std::io::Cursor;
use std::net::SocketAddr;
use std::time::Duration;

use cv2x::net::dsmp::Repr;
use cv2x::net::ip::{self, LinkType};
use cv2x::net::replay::{CaptureReader, CaptureWriter, Pacing, Replayer, Schedule, Step};
use cv2x::net::{Error, aid};
use pcap_file::DataLink;
use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};
use pcap_file::pcapng::PcapNgWriter;
use pcap_file::pcapng::blocks::enhanced_packet::EnhancedPacketBlock;
use pcap_file::pcapng::blocks::interface_description::{
    InterfaceDescriptionBlock, InterfaceDescriptionOption,
};

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

fn dsmp(n: u8) -> Vec<u8> {
    Repr::new(aid::SPAT, &[n; 12]).to_vec().unwrap()
}

const T0: Duration = Duration::from_secs(1_700_000_000);

fn written_capture() -> Vec<u8> {
    let mut w = CaptureWriter::new(Vec::new()).unwrap();
    let v4a = addr("127.0.0.1:40000");
    let v4b = addr("239.255.77.1:30299");
    let v6a = addr("[::1]:40001");
    let v6b = addr("[ff12::7:1]:30299");
    w.write_datagram(T0, v4a, v4b, &dsmp(1)).unwrap();
    w.write_datagram(T0 + Duration::from_millis(100), v4a, v4b, &dsmp(2))
        .unwrap();
    w.write_datagram(T0 + Duration::from_millis(250), v6a, v6b, &dsmp(3))
        .unwrap();
    w.write_datagram(
        T0 + Duration::from_nanos(1_000_000_123),
        v4a,
        addr("127.0.0.1:9"),
        &dsmp(4),
    )
    .unwrap();
    assert!(matches!(
        w.write_datagram(T0, v4a, v6b, &[]),
        Err(Error::AddressFamilyMismatch)
    ));
    w.into_inner().unwrap()
}

#[test]
fn pcap_written_and_read_back() {
    let file = written_capture();
    let got: Vec<_> = CaptureReader::new(Cursor::new(file))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(got.len(), 4);
    assert_eq!(got[0].time, T0);
    assert_eq!(got[0].source, addr("127.0.0.1:40000"));
    assert_eq!(got[0].destination, addr("239.255.77.1:30299"));
    assert_eq!(got[0].payload, dsmp(1));
    assert_eq!(got[1].time, T0 + Duration::from_millis(100));
    assert_eq!(got[2].source, addr("[::1]:40001"));
    assert_eq!(got[2].payload, dsmp(3));
    // Nanosecond resolution survives.
    assert_eq!(got[3].time, T0 + Duration::from_nanos(1_000_000_123));
}

#[test]
fn port_filter() {
    let mut r = CaptureReader::new(Cursor::new(written_capture()))
        .unwrap()
        .with_port(30299);
    let n = r.by_ref().filter_map(Result::ok).count();
    assert_eq!(n, 3);
    assert_eq!(r.stats().filtered, 1);
    assert_eq!(r.stats().datagrams, 3);
}

fn udp_ip(src: &str, dst: &str, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    ip::build_ip_udp(addr(src), addr(dst), payload, &mut v).unwrap();
    v
}

fn ethernet(ethertype: u16, vlan: bool, body: &[u8]) -> Vec<u8> {
    let mut f = vec![0xFF; 6];
    f.extend([2, 0, 0, 0, 0, 1]);
    if vlan {
        f.extend(0x8100u16.to_be_bytes());
        f.extend([0x00, 0x05]);
    }
    f.extend(ethertype.to_be_bytes());
    f.extend(body);
    while f.len() < 60 {
        f.push(0); // Ethernet padding after the IP packet
    }
    f
}

#[test]
fn ethernet_pcap_with_skipped_frames() {
    let good4 = udp_ip("127.0.0.1:1000", "127.0.0.1:2000", &dsmp(9));
    let good6 = udp_ip("[::1]:1000", "[::1]:2000", &[1, 2, 3]);
    let mut tcp = good4.clone();
    tcp[9] = 6;
    let mut frag = good4.clone();
    frag[6] = 0x20; // more fragments
    let mut cut = good4.clone();
    cut.truncate(24);
    let frames = [
        ethernet(0x0800, false, &good4),
        ethernet(0x86DD, true, &good6),
        ethernet(0x0800, false, &tcp),
        ethernet(0x0800, false, &frag),
        ethernet(0x0806, false, &[0; 28]), // ARP
        ethernet(0x0800, false, &cut),
        ethernet(0x0800, false, &udp_ip("127.0.0.1:1", "127.0.0.1:2", &[])),
    ];
    let mut w = PcapWriter::new(Vec::new()).unwrap();
    for (i, f) in frames.iter().enumerate() {
        let t = T0 + Duration::from_micros(i as u64 * 10);
        w.write_packet(&PcapPacket::new(t, f.len() as u32, f))
            .unwrap();
    }
    let mut r = CaptureReader::new(Cursor::new(w.into_writer())).unwrap();
    let got: Vec<_> = r.by_ref().collect::<Result<_, _>>().unwrap();
    assert_eq!(got.len(), 3);
    assert_eq!(got[0].payload, dsmp(9)); // padding not taken as payload
    assert_eq!(got[1].payload, [1, 2, 3]);
    assert_eq!(got[1].destination, addr("[::1]:2000"));
    assert_eq!(got[2].payload, Vec::<u8>::new());
    assert_eq!(got[1].time, T0 + Duration::from_micros(10));
    let s = r.stats();
    assert_eq!(
        (s.frames, s.datagrams, s.not_udp, s.fragments, s.malformed),
        (7, 3, 2, 1, 1)
    );
}

#[test]
fn pcapng_both_timestamp_resolutions() {
    let mut w = PcapNgWriter::new(Vec::new()).unwrap();
    w.write_pcapng_block(InterfaceDescriptionBlock {
        linktype: DataLink::ETHERNET,
        snaplen: 0,
        options: vec![],
    })
    .unwrap();
    w.write_pcapng_block(InterfaceDescriptionBlock {
        linktype: DataLink::RAW,
        snaplen: 0,
        options: vec![InterfaceDescriptionOption::IfTsResol(9)],
    })
    .unwrap();
    let eth = ethernet(
        0x0800,
        false,
        &udp_ip("127.0.0.1:5", "127.0.0.1:6", &dsmp(1)),
    );
    let raw = udp_ip("[::1]:5", "[::1]:6", &dsmp(2));
    // pcap-file writes the Duration's nanoseconds as the raw unit count: give it microseconds
    // for the default-resolution interface, as a capture tool would write them.
    let micros = (T0 + Duration::from_micros(1_500)).as_micros() as u64;
    w.write_pcapng_block(EnhancedPacketBlock {
        interface_id: 0,
        timestamp: Duration::from_nanos(micros),
        original_len: eth.len() as u32,
        data: eth.into(),
        options: vec![],
    })
    .unwrap();
    w.write_pcapng_block(EnhancedPacketBlock {
        interface_id: 1,
        timestamp: T0 + Duration::from_nanos(7),
        original_len: raw.len() as u32,
        data: raw.into(),
        options: vec![],
    })
    .unwrap();
    let got: Vec<_> = CaptureReader::new(Cursor::new(w.into_inner()))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].time, T0 + Duration::from_micros(1_500));
    assert_eq!(got[0].payload, dsmp(1));
    assert_eq!(got[1].time, T0 + Duration::from_nanos(7));
    assert_eq!(got[1].payload, dsmp(2));
}

#[test]
fn other_link_types() {
    let pkt = udp_ip("127.0.0.1:5", "127.0.0.1:6", &[9]);
    let mut sll = vec![0u8; 14];
    sll.extend(0x0800u16.to_be_bytes());
    sll.extend(&pkt);
    assert_eq!(
        ip::parse_frame(LinkType::LinuxSll, &sll).unwrap().payload,
        [9]
    );
    let mut sll2 = 0x0800u16.to_be_bytes().to_vec();
    sll2.extend([0u8; 18]);
    sll2.extend(&pkt);
    assert_eq!(
        ip::parse_frame(LinkType::LinuxSll2, &sll2).unwrap().payload,
        [9]
    );
    let mut null = 2u32.to_le_bytes().to_vec();
    null.extend(&pkt);
    assert_eq!(ip::parse_frame(LinkType::Null, &null).unwrap().payload, [9]);
    let mut lo = 2u32.to_be_bytes().to_vec();
    lo.extend(&pkt);
    assert_eq!(ip::parse_frame(LinkType::Loop, &lo).unwrap().payload, [9]);
    assert_eq!(ip::parse_frame(LinkType::Ipv4, &pkt).unwrap().payload, [9]);
    let big = udp_ip("127.0.0.1:5", "127.0.0.1:6", &[0; 20]);
    assert!(matches!(
        ip::parse_frame(LinkType::Ipv6, &big),
        Err(Error::Malformed(_))
    ));
    for len in 0..pkt.len() {
        assert!(
            ip::parse_frame(LinkType::Raw, &pkt[..len]).is_err(),
            "{len}"
        );
    }
    assert_eq!(LinkType::from_u32(276), Some(LinkType::LinuxSll2));
    assert_eq!(LinkType::from_u32(999), None);
}

#[test]
fn built_checksums_verify() {
    fn sum(data: &[u8]) -> u32 {
        data.chunks(2)
            .map(|c| u32::from(c[0]) << 8 | u32::from(*c.get(1).unwrap_or(&0)))
            .sum()
    }
    fn fold(mut s: u32) -> u16 {
        while s > 0xFFFF {
            s = (s & 0xFFFF) + (s >> 16);
        }
        s as u16
    }
    let v4 = udp_ip("10.0.0.1:1", "10.0.0.2:2", &[1, 2, 3]);
    assert_eq!(fold(sum(&v4[..20])), 0xFFFF, "IPv4 header checksum");
    let mut pseudo = v4[12..20].to_vec();
    pseudo.extend([0, 17, 0, 11]);
    pseudo.extend(&v4[20..]);
    assert_eq!(fold(sum(&pseudo)), 0xFFFF, "UDP checksum over IPv4");
    let v6 = udp_ip("[fe80::1]:1", "[fe80::2]:2", &[1, 2, 3]);
    let mut pseudo = v6[8..40].to_vec();
    pseudo.extend([0, 0, 0, 11, 0, 0, 0, 17]);
    pseudo.extend(&v6[40..]);
    assert_eq!(fold(sum(&pseudo)), 0xFFFF, "UDP checksum over IPv6");
}

#[test]
fn replay_keeps_original_timing() {
    let reader = CaptureReader::new(Cursor::new(written_capture())).unwrap();
    let mut r = Replayer::new(reader, Pacing::Original { speed: 1.0 });
    let ms = Duration::from_millis;
    assert!(matches!(r.poll(ms(0)).unwrap(), Step::Deliver(d) if d.payload == dsmp(1)));
    assert_eq!(r.poll(ms(0)).unwrap(), Step::WaitUntil(ms(100)));
    assert_eq!(r.poll(ms(99)).unwrap(), Step::WaitUntil(ms(100)));
    assert!(matches!(r.poll(ms(100)).unwrap(), Step::Deliver(d) if d.payload == dsmp(2)));
    assert_eq!(r.poll(ms(120)).unwrap(), Step::WaitUntil(ms(250)));
    assert!(matches!(r.poll(ms(400)).unwrap(), Step::Deliver(d) if d.payload == dsmp(3)));
    assert_eq!(
        r.poll(ms(400)).unwrap(),
        Step::WaitUntil(Duration::from_nanos(1_000_000_123))
    );
    assert!(matches!(r.poll(ms(1001)).unwrap(), Step::Deliver(_)));
    assert_eq!(r.poll(ms(1001)).unwrap(), Step::Done);
    assert_eq!(r.stats().datagrams, 4);
}

#[test]
fn replay_speed_and_fast_mode() {
    let mut s = Schedule::new(Pacing::Original { speed: 2.0 });
    assert_eq!(s.due(T0), Duration::ZERO);
    assert_eq!(
        s.due(T0 + Duration::from_secs(1)),
        Duration::from_millis(500)
    );
    // Out-of-order stamps before the first are due at once.
    assert_eq!(s.due(T0 - Duration::from_secs(1)), Duration::ZERO);
    let reader = CaptureReader::new(Cursor::new(written_capture())).unwrap();
    let mut r = Replayer::new(reader, Pacing::AsFastAsPossible);
    let mut n = 0;
    while let Step::Deliver(_) = r.poll(Duration::ZERO).unwrap() {
        n += 1;
    }
    assert_eq!(n, 4);
}

#[test]
fn not_a_capture() {
    assert!(CaptureReader::new(Cursor::new(b"hello world, not pcap".to_vec())).is_err());
    assert!(CaptureReader::new(Cursor::new(vec![0xd4, 0xc3])).is_err());
    // A pcap header with a link type we do not parse: frames are counted as unsupported.
    let header = PcapHeader {
        datalink: DataLink::IEEE802_11,
        ..PcapHeader::default()
    };
    let mut w = PcapWriter::with_header(Vec::new(), header).unwrap();
    w.write_packet(&PcapPacket::new(T0, 3, &[1, 2, 3])).unwrap();
    let mut r = CaptureReader::new(Cursor::new(w.into_writer())).unwrap();
    assert!(r.next().is_none());
    assert_eq!(r.stats().unsupported, 1);
}
