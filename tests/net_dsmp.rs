//! DSMP packet codec: round trips over every field combination, fixed encodings, and typed
//! errors for truncated, oversized and invalid packets.
use cv2x::net::dsmp::{self, Element, Extensions, Packet, Repr};
use cv2x::net::{Aid, Error, Field, aid};

const AIDS: [u32; 11] = [
    0,
    1,
    111,
    127,
    128,
    3618,
    16_511,
    16_512,
    2_113_663,
    2_113_664,
    aid::MAX,
];

fn payloads() -> Vec<Vec<u8>> {
    vec![
        vec![],
        vec![0x5A],
        (0..300u32).map(|i| (i * 7) as u8).collect(),
        vec![0xC3; dsmp::MAX_PAYLOAD_LEN],
    ]
}

type ElementSet = Option<Vec<(u8, Vec<u8>)>>;

fn element_sets() -> Vec<ElementSet> {
    vec![
        None,
        Some(vec![]),
        Some(vec![(dsmp::element::TX_POWER_USED, vec![])]),
        Some(vec![(dsmp::element::TX_POWER_USED, vec![20])]),
        Some(vec![
            (dsmp::element::CHANNEL_NUMBER, vec![183]),
            (dsmp::element::DATA_RATE, vec![0x0C, 0x01]),
            (0xFF, vec![0x11; 255]),
        ]),
    ]
}

#[test]
fn round_trip_every_field_combination() {
    let mut checked = 0;
    for set in element_sets() {
        let elements: Option<Vec<Element<'_>>> = set.as_ref().map(|v| {
            v.iter()
                .map(|(id, value)| Element { id: *id, value })
                .collect()
        });
        for aid_value in AIDS {
            for payload in payloads() {
                let repr = Repr {
                    extensions: elements.as_deref().map(Extensions::List),
                    aid: Aid(aid_value),
                    payload: &payload,
                };
                let bytes = repr.to_vec().expect("emit");
                assert_eq!(bytes.len(), repr.buffer_len());
                // Emit writes exactly buffer_len() octets and leaves the rest alone.
                let mut bigger = vec![0xEE; bytes.len() + 3];
                assert_eq!(repr.emit(&mut bigger).expect("emit"), bytes.len());
                assert_eq!(&bigger[..bytes.len()], &bytes[..]);
                assert_eq!(&bigger[bytes.len()..], &[0xEE; 3]);

                let packet = Packet::new_checked(&bytes[..]).expect("parse");
                assert_eq!(packet.version(), 0);
                assert_eq!(packet.aid(), Aid(aid_value));
                assert_eq!(packet.payload(), &payload[..]);
                assert_eq!(packet.payload_len(), payload.len());
                assert_eq!(packet.has_extensions(), set.is_some());
                assert_eq!(packet.header_len() + payload.len(), bytes.len());
                let parsed = Repr::parse(&packet).expect("repr");
                assert_eq!(parsed, repr);
                if let (Some(parsed_ext), Some(expected)) = (parsed.extensions, &set) {
                    let got: Vec<(u8, Vec<u8>)> = parsed_ext
                        .iter()
                        .map(|e| (e.id, e.value.to_vec()))
                        .collect();
                    assert_eq!(&got, expected);
                }
                // Re-emitting the parsed form gives the same octets.
                assert_eq!(parsed.to_vec().expect("re-emit"), bytes);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 5 * AIDS.len() * 4);
}

#[test]
fn fixed_encodings() {
    // Version 0, no option, AID 111 in one octet, length 1.
    let r = Repr::new(aid::BSM_ORDINARY_PERIODIC, &[0xAA]);
    assert_eq!(r.to_vec().unwrap(), [0x00, 0x6F, 0x00, 0x01, 0xAA]);
    // AID 3618 in two octets: 3618 + 0x7F80 = 0x8DA2.
    let r = Repr::new(aid::MAP, &[]);
    assert_eq!(r.to_vec().unwrap(), [0x00, 0x8D, 0xA2, 0x00, 0x00]);
    // Option indicator, one element (ID 4, 1 octet), AID 3619.
    let el = [Element {
        id: 4,
        value: &[0x14],
    }];
    let r = Repr {
        extensions: Some(Extensions::List(&el)),
        aid: aid::SPAT,
        payload: &[0x01, 0x02],
    };
    assert_eq!(
        r.to_vec().unwrap(),
        [
            0x10, 0x01, 0x04, 0x01, 0x14, 0x8D, 0xA3, 0x00, 0x02, 0x01, 0x02
        ]
    );
    // Three- and four-octet AIDs (IEEE 1609.3 p-encoding).
    assert_eq!(
        Repr::new(Aid(16_512), &[]).to_vec().unwrap(),
        [0x00, 0xC0, 0x00, 0x00, 0x00, 0x00]
    );
    assert_eq!(
        Repr::new(Aid(aid::MAX), &[]).to_vec().unwrap(),
        [0x00, 0xEF, 0xFF, 0xFF, 0xFF, 0x00, 0x00]
    );
}

#[test]
fn aid_coding_boundaries_and_sweep() {
    for (value, len) in [
        (0, 1),
        (127, 1),
        (128, 2),
        (16_511, 2),
        (16_512, 3),
        (2_113_663, 3),
        (2_113_664, 4),
        (aid::MAX, 4),
    ] {
        assert_eq!(Aid(value).encoded_len().unwrap(), len, "AID {value}");
    }
    assert!(matches!(
        Aid(aid::MAX + 1).encoded_len(),
        Err(Error::AidOutOfRange(v)) if v == aid::MAX + 1
    ));
    let mut buf = [0u8; 4];
    let mut v = 0u32;
    while v <= aid::MAX {
        let n = Aid(v).encode(&mut buf).unwrap();
        assert_eq!(Aid::decode(&buf[..n]).unwrap(), (Aid(v), n));
        v = v * 3 / 2 + 1;
    }
}

fn sample_packet() -> Vec<u8> {
    let el = [
        Element {
            id: 15,
            value: &[183],
        },
        Element {
            id: 4,
            value: &[20, 1],
        },
    ];
    Repr {
        extensions: Some(Extensions::List(&el)),
        aid: aid::RSM,
        payload: &[1, 2, 3, 4, 5, 6, 7],
    }
    .to_vec()
    .unwrap()
}

#[test]
fn every_truncation_is_a_typed_error() {
    let bytes = sample_packet();
    // [0x10, 2, 15,1,183, 4,2,20,1, 0x8D,0xA7, 0,7, payload...]
    let expected_field = |len: usize| match len {
        0 => Field::DsmpHeader,
        1 => Field::ExtensionCount,
        2..=8 => Field::ExtensionElement,
        9 | 10 => Field::Aid,
        11 | 12 => Field::Length,
        _ => Field::Payload,
    };
    for len in 0..bytes.len() {
        match Packet::new_checked(&bytes[..len]) {
            Err(Error::Truncated(f)) => assert_eq!(f, expected_field(len), "prefix {len}"),
            other => panic!("prefix {len}: {other:?}"),
        }
    }
    assert!(Packet::new_checked(&bytes[..]).is_ok());
}

#[test]
fn oversized_packets_are_rejected() {
    let mut bytes = sample_packet();
    bytes.extend_from_slice(&[0, 0, 0]);
    match Packet::new_checked(&bytes[..]) {
        Err(Error::TrailingBytes { field, extra }) => {
            assert_eq!(field, Field::Payload);
            assert_eq!(extra, 3);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn header_field_errors() {
    // Version 1.
    assert!(matches!(
        Packet::new_checked(&[0x20, 0x6F, 0x00, 0x00][..]),
        Err(Error::UnsupportedVersion(1))
    ));
    // Version 7.
    assert!(matches!(
        Packet::new_checked(&[0xE0, 0x6F, 0x00, 0x00][..]),
        Err(Error::UnsupportedVersion(7))
    ));
    // AID prefix 1111xxxx.
    assert!(matches!(
        Packet::new_checked(&[0x00, 0xF3, 0, 0, 0, 0, 0, 0][..]),
        Err(Error::InvalidAidPrefix(0xF3))
    ));
    // Reserved bits are ignored on receive and written as zero.
    let p = Packet::new_checked(&[0x0F, 0x6F, 0x00, 0x01, 0x99][..]).unwrap();
    assert_eq!(p.reserved(), 0x0F);
    let r = Repr::parse(&p).unwrap();
    assert_eq!(r.to_vec().unwrap(), [0x00, 0x6F, 0x00, 0x01, 0x99]);
}

#[test]
fn emit_errors() {
    let big = vec![0u8; dsmp::MAX_PAYLOAD_LEN + 1];
    assert!(matches!(
        Repr::new(Aid(1), &big).to_vec(),
        Err(Error::PayloadTooLong(n)) if n == big.len()
    ));
    assert!(matches!(
        Repr::new(Aid(aid::MAX + 1), &[]).to_vec(),
        Err(Error::AidOutOfRange(_))
    ));
    let long = [0u8; 256];
    let el = [Element {
        id: 1,
        value: &long,
    }];
    let r = Repr {
        extensions: Some(Extensions::List(&el)),
        aid: Aid(1),
        payload: &[],
    };
    assert!(matches!(r.to_vec(), Err(Error::ExtensionTooLong(256))));
    let many = vec![Element { id: 1, value: &[] }; 256];
    let r = Repr {
        extensions: Some(Extensions::List(&many)),
        aid: Aid(1),
        payload: &[],
    };
    assert!(matches!(r.to_vec(), Err(Error::TooManyExtensions(256))));
    let r = Repr::new(aid::MAP, &[1, 2, 3]);
    let mut small = [0u8; 7];
    assert!(matches!(
        r.emit(&mut small),
        Err(Error::BufferTooSmall {
            needed: 8,
            available: 7
        })
    ));
    // Inconsistent hand-made wire extensions are refused, not emitted.
    let r = Repr {
        extensions: Some(Extensions::Wire {
            count: 2,
            bytes: &[4, 1, 20],
        }),
        aid: Aid(1),
        payload: &[],
    };
    assert!(r.to_vec().is_err());
}

#[test]
fn adaptation_layer() {
    assert_eq!(
        dsmp::strip_adaptation(&[4, 0x00, 0x6F, 0, 0]).unwrap(),
        &[0x00, 0x6F, 0, 0]
    );
    assert!(matches!(
        dsmp::strip_adaptation(&[5, 0x45]),
        Err(Error::NotDsmp(5))
    ));
    assert!(matches!(
        dsmp::strip_adaptation(&[]),
        Err(Error::Truncated(Field::AdaptationHeader))
    ));
}

#[test]
fn payload_can_be_rewritten_in_place() {
    let mut bytes = Repr::new(Aid(5), &[1, 2, 3]).to_vec().unwrap();
    let mut p = Packet::new_checked(&mut bytes[..]).unwrap();
    p.payload_mut().copy_from_slice(&[7, 8, 9]);
    assert_eq!(bytes, [0x00, 0x05, 0x00, 0x03, 7, 8, 9]);
}
