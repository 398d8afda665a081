//! Properties of the generated codec that the conformance vectors do not exercise: forward
//! compatibility, strictness, bounded allocation, error locations and allocation-free encoding.
use cv2x_msg::codec::uper::{BitReader, BitWriter, UnknownAlternative};
use cv2x_msg::codec::{DecodeErrorKind, EncodeErrorKind, Uper};
use cv2x_msg::v2020::{BasicSafetyMessage, MessageFrame, ParticipantType};

/// The all-minimum BSM of the vectors, as a MessageFrame.
const MIN_FRAME: &str = "000000000000000000000000000000000000000000000000000000000000000000000000";

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn min_bsm() -> BasicSafetyMessage {
    match MessageFrame::decode(&unhex(MIN_FRAME)).unwrap() {
        MessageFrame::BsmFrame(b) => b,
        other => panic!("not a BSM: {other:?}"),
    }
}

#[test]
fn unknown_sequence_additions_survive_a_round_trip() {
    let mut bsm = min_bsm();
    bsm.unknown_ext.items.push((2, vec![0xab, 0xcd]));
    let bytes = bsm.encode().unwrap();
    // the extension bit leads the encoding
    assert_eq!(bytes[0] & 0x80, 0x80);
    let back = BasicSafetyMessage::decode(&bytes).unwrap();
    assert_eq!(back.unknown_ext.items, vec![(2, vec![0xab, 0xcd])]);
    assert_eq!(back.unknown_ext.bitmap_len, Some(3));
    assert_eq!(back.encode().unwrap(), bytes);
    // and the known part is intact
    assert_eq!(back.pos, bsm.pos);
}

#[test]
fn unknown_choice_alternative_survives_a_round_trip() {
    let frame = MessageFrame::UnknownExt(UnknownAlternative {
        index: 7,
        content: vec![1, 2, 3],
    });
    let bytes = frame.encode().unwrap();
    // 1 (extension) 0000111 (index 7) 00000011 (3 octets) 01 02 03
    assert_eq!(bytes, vec![0x87, 0x03, 0x01, 0x02, 0x03]);
    assert_eq!(MessageFrame::decode(&bytes).unwrap(), frame);
}

#[test]
fn unknown_enumerated_value_survives_a_round_trip() {
    let v = ParticipantType::UnknownExt(5);
    let bytes = v.encode().unwrap();
    // 1 (extension) 0000101 (index 5)
    assert_eq!(bytes, vec![0b1000_0101]);
    assert_eq!(ParticipantType::decode(&bytes).unwrap(), v);
    // a root value outside the root list of a non-extended index is rejected
    let root = ParticipantType::Unknown.encode().unwrap();
    assert_eq!(root[0] & 0x80, 0);
}

#[test]
fn announced_lengths_beyond_the_input_fail_fast() {
    // MessageFrame extension alternative with an open type of 16383 octets announced
    let e = MessageFrame::decode(&[0x80, 0xbf, 0xff, 0x00]).unwrap_err();
    assert_eq!(e.kind(), DecodeErrorKind::LengthExceedsInput);
    // a fragment of 4 x 16K octets announced for an open type: refused before anything of
    // that size is allocated
    let e = MessageFrame::decode(&[0x80, 0xc4, 0x00]).unwrap_err();
    assert_eq!(e.kind(), DecodeErrorKind::LengthExceedsInput);
    // an extension bitmap longer than the input
    let mut r = BitReader::new(&[0xff, 0xff]);
    assert!(cv2x_msg::codec::uper::ExtBitmap::read(&mut r).is_err());
}

#[test]
fn errors_name_the_field_and_the_bit() {
    let mut lo = min_bsm();
    let mut hi = min_bsm();
    lo.pos.lat = -900_000_000;
    hi.pos.lat = 900_000_001;
    let a = MessageFrame::BsmFrame(lo).encode().unwrap();
    let b = MessageFrame::BsmFrame(hi).encode().unwrap();
    // first bit where the two differ is inside `lat`; its field starts at the first differing
    // bit since the minimum is all zero bits there
    let first = (0..a.len() * 8)
        .find(|&i| (a[i / 8] ^ b[i / 8]) & (0x80 >> (i % 8)) != 0)
        .unwrap();
    // 31 one-bits: 2^31 - 1 exceeds the range of Latitude
    let mut bad = a.clone();
    for i in first..first + 31 {
        bad[i / 8] |= 0x80 >> (i % 8);
    }
    let e = MessageFrame::decode(&bad).unwrap_err();
    assert_eq!(e.kind(), DecodeErrorKind::IntegerOutOfRange);
    assert_eq!(e.path().to_string(), "MessageFrame.bsmFrame.pos.lat");
    assert_eq!(e.bit_offset(), first);
}

#[test]
fn trailing_data_and_padding_are_rejected() {
    let mut bytes = unhex(MIN_FRAME);
    bytes.push(0);
    assert_eq!(
        MessageFrame::decode(&bytes).unwrap_err().kind(),
        DecodeErrorKind::TrailingBits
    );
    let mut bytes = unhex(MIN_FRAME);
    *bytes.last_mut().unwrap() |= 1;
    assert!(MessageFrame::decode(&bytes).is_err());
    assert_eq!(
        MessageFrame::decode(&unhex(&MIN_FRAME[..20]))
            .unwrap_err()
            .kind(),
        DecodeErrorKind::UnexpectedEnd
    );
}

#[test]
fn encode_checks_constraints() {
    let mut bsm = min_bsm();
    bsm.msg_cnt = 200; // MsgCount is 0..127
    let e = bsm.encode().unwrap_err();
    assert_eq!(e.kind(), EncodeErrorKind::IntegerOutOfRange);
    assert_eq!(e.path().to_string(), "BasicSafetyMessage.msgCnt");
}

#[test]
fn encode_into_matches_encode_and_reports_small_buffers() {
    let frame = MessageFrame::BsmFrame(min_bsm());
    let v = frame.encode().unwrap();
    let mut buf = [0u8; 256];
    let n = frame.encode_into(&mut buf).unwrap();
    assert_eq!(&buf[..n], &v[..]);
    let mut small = [0u8; 8];
    assert_eq!(
        frame.encode_into(&mut small).unwrap_err().kind(),
        EncodeErrorKind::BufferTooSmall
    );
    // counting writer agrees on the size
    let mut w = BitWriter::counting();
    frame.encode_uper(&mut w).unwrap();
    assert_eq!(w.bit_len().div_ceil(8), n);
}

/// Decodes `bytes` as `ty` of `std`, checks that the JER carries an unknown-extension marker and
/// that the JER encodes back to the same bytes.
#[cfg(feature = "jer")]
fn jer_round_trip(std: cv2x_msg::Standard, ty: &str, bytes: &[u8]) -> cv2x_msg::codec::jer::Value {
    let (jer, again) = std.decode_named(ty, bytes).unwrap().unwrap();
    assert_eq!(again, bytes, "{ty} re-encodes");
    assert!(jer.to_string().contains("$unknownExtension"), "{jer}");
    let text = jer.to_string();
    let parsed: cv2x_msg::codec::jer::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        std.encode_named(ty, &parsed).unwrap().unwrap(),
        bytes,
        "{text}"
    );
    jer
}

#[cfg(feature = "jer")]
#[test]
fn unknown_enumerated_values_round_trip_through_jer() {
    use cv2x_msg::Standard;
    use cv2x_msg::v2020::RoadsideSafetyMessage;
    // an RSM whose participant type is an extension value unknown to this version
    let text = include_str!("../../../tests/vectors/csae53_2020/RoadsideSafetyMessage.jsonl");
    let line = text.lines().next().unwrap();
    let start = line.find("\"uper_hex\":\"").unwrap() + 12;
    let hex = &line[start..start + line[start..].find('"').unwrap()];
    let mut rsm = RoadsideSafetyMessage::decode(&unhex(hex)).unwrap();
    rsm.participants[0].ptc_type = ParticipantType::UnknownExt(3);
    let bytes = rsm.encode().unwrap();
    let jer = jer_round_trip(Standard::Csae53_2020, "RoadsideSafetyMessage", &bytes);
    assert_eq!(
        jer["participants"][0]["ptcType"],
        serde_json::json!({"$unknownExtension": 3})
    );
}

#[cfg(feature = "jer")]
#[test]
fn unknown_choice_alternatives_round_trip_through_jer_in_every_set() {
    use cv2x_msg::Standard;
    // a MessageFrame extension alternative none of the sets knows (2020 knows index 0 only)
    let frame = MessageFrame::UnknownExt(UnknownAlternative {
        index: 7,
        content: vec![1, 2, 3],
    });
    let bytes = frame.encode().unwrap();
    for std in Standard::ALL {
        let jer = jer_round_trip(std, "MessageFrame", &bytes);
        assert_eq!(
            jer,
            serde_json::json!({"$unknownExtension": {"index": 7, "content": "010203"}})
        );
    }
    // a Day II frame (msgFrameExt, extension alternative 0) is unknown to 2019 and 2017
    let day2 = cv2x_msg::v2020::MessageFrame::MsgFrameExt(cv2x_msg::v2020::MessageFrameExt {
        message_id: 0,
        value: cv2x_msg::v2020::MessageFrameExtValue::Unknown(vec![0x00]),
        unknown_ext: Default::default(),
    });
    let bytes = day2.encode().unwrap();
    for std in [Standard::Csae53_2019, Standard::Csae53_2017] {
        jer_round_trip(std, "MessageFrame", &bytes);
    }
}

#[cfg(feature = "jer")]
#[test]
fn unknown_sequence_additions_round_trip_through_jer_with_their_bitmap() {
    use cv2x_msg::Standard;
    use cv2x_msg::v2020::{Node, NodeReferenceID, Position3D, ProhibitedZone};
    // a 2020 node with the Day II addition `prohibitedzone` (addition 1 of 2): 2019 and 2017
    // know no additions of Node, and must keep the bitmap length 2 to re-encode the same bits
    let node = Node {
        name: None,
        id: NodeReferenceID {
            region: None,
            id: 7,
        },
        ref_pos: Position3D {
            lat: 312_345_678,
            long: 1_211_234_567,
            elevation: None,
        },
        in_links: None,
        in_links_ex: None,
        prohibitedzone: Some(ProhibitedZone {
            central_circle_prohibited_zone: None,
            non_motor_vehicle_prohibited_zones: None,
            grid_line_marking_prohibited_zones: None,
            unknown_ext: Default::default(),
        }),
        unknown_ext: Default::default(),
    };
    let bytes = node.encode().unwrap();
    for std in [Standard::Csae53_2019, Standard::Csae53_2017] {
        let jer = jer_round_trip(std, "Node", &bytes);
        assert_eq!(
            jer["$unknownExtensions"],
            serde_json::json!({"additions": [{"index": 1, "content": "00"}], "bitmapLength": 2}),
            "{std:?}"
        );
    }
}

#[cfg(feature = "jer")]
#[test]
fn unknown_extension_markers_that_name_known_extensions_are_rejected() {
    use cv2x_msg::Standard;
    use cv2x_msg::codec::jer::{JerError, JerErrorKind};
    let bad_ext = |r: Result<Option<Vec<u8>>, cv2x_msg::codec::Error>| {
        matches!(
            r,
            Err(cv2x_msg::codec::Error::Jer(JerError {
                kind: JerErrorKind::BadExtension,
                ..
            }))
        )
    };
    let std = Standard::Csae53_2020;
    // msgFrameExt is extension alternative 0 of the 2020 MessageFrame
    let j = serde_json::json!({"$unknownExtension": {"index": 0, "content": "00"}});
    assert!(bad_ext(std.encode_named("MessageFrame", &j)));
    // Node knows two additions: an unknown one must come after them
    let node = |ext: serde_json::Value| serde_json::json!({"id": {"id": 1}, "refPos": {"lat": 0, "long": 0}, "$unknownExtensions": ext});
    let low = node(serde_json::json!({"additions": [{"index": 1, "content": "00"}]}));
    assert!(bad_ext(std.encode_named("Node", &low)));
    let unsorted = node(serde_json::json!({"additions": [
        {"index": 3, "content": "00"}, {"index": 2, "content": "00"}]}));
    assert!(bad_ext(std.encode_named("Node", &unsorted)));
    let short =
        node(serde_json::json!({"additions": [{"index": 4, "content": "00"}], "bitmapLength": 3}));
    assert!(bad_ext(std.encode_named("Node", &short)));
    let ok =
        node(serde_json::json!({"additions": [{"index": 4, "content": "00"}], "bitmapLength": 6}));
    let bytes = std.encode_named("Node", &ok).unwrap().unwrap();
    let (back, _) = std.decode_named("Node", &bytes).unwrap().unwrap();
    assert_eq!(back["$unknownExtensions"], ok["$unknownExtensions"]);
}

#[cfg(feature = "jer")]
#[test]
fn simple_types_decode_and_encode_by_name() {
    use cv2x_msg::Standard;
    for std in Standard::ALL {
        // Speed ::= INTEGER (0..8191): 13 bits
        let (jer, again) = std.decode_named("Speed", &[0xff, 0xf8]).unwrap().unwrap();
        assert_eq!(jer, serde_json::json!(8191));
        assert_eq!(again, vec![0xff, 0xf8]);
        assert_eq!(
            std.encode_named("Speed", &serde_json::json!(1)).unwrap(),
            Some(vec![0x00, 0x08])
        );
        assert!(std.encode_named("Speed", &serde_json::json!(8192)).is_err());
        // trailing bits after a complete value are rejected, with the type in the path
        let e = std.decode_named("Speed", &[0xff, 0xf8, 0x00]).unwrap_err();
        assert!(e.to_string().contains("Speed"), "{e}");
        // every type the set lists is known by name
        for ty in std.types() {
            assert!(!matches!(std.decode_named(ty, &[]), Ok(None)), "{ty}");
            let null = serde_json::Value::Null;
            assert!(!matches!(std.encode_named(ty, &null), Ok(None)), "{ty}");
        }
        assert!(matches!(std.decode_named("NoSuchType", &[0]), Ok(None)));
    }
    // DHour differs between the sets: 25 is valid in 2020 only
    let h25 = [25u8 << 3];
    assert!(
        Standard::Csae53_2020
            .decode_named("DHour", &h25)
            .unwrap()
            .is_some()
    );
    assert!(Standard::Csae53_2019.decode_named("DHour", &h25).is_err());
}
