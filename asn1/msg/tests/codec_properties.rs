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
    // a fragmented length (4 x 16K) is not accepted for an open type
    let e = MessageFrame::decode(&[0x80, 0xc4, 0x00]).unwrap_err();
    assert_eq!(e.kind(), DecodeErrorKind::InvalidFragmentation);
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

#[cfg(feature = "jer")]
#[test]
fn unknown_extensions_are_marked_in_jer_and_not_parsed_back() {
    use cv2x_msg::Standard;
    use cv2x_msg::v2020::RoadsideSafetyMessage;
    // an RSM whose participant type is an extension value unknown to this version: JER has no
    // form for it (found by fuzzing)
    let text = include_str!("../../../tests/vectors/csae53_2020/RoadsideSafetyMessage.jsonl");
    let line = text.lines().next().unwrap();
    let start = line.find("\"uper_hex\":\"").unwrap() + 12;
    let hex = &line[start..start + line[start..].find('"').unwrap()];
    let mut rsm = RoadsideSafetyMessage::decode(&unhex(hex)).unwrap();
    rsm.participants[0].ptc_type = ParticipantType::UnknownExt(3);
    let bytes = rsm.encode().unwrap();
    let (jer, again) = Standard::Csae53_2020
        .decode_named("RoadsideSafetyMessage", &bytes)
        .unwrap()
        .unwrap();
    assert_eq!(again, bytes);
    assert!(jer.to_string().contains("$unknownExtension"), "{jer}");
    assert!(matches!(
        Standard::Csae53_2020.encode_named("RoadsideSafetyMessage", &jer),
        Err(cv2x_msg::codec::Error::Jer(_))
    ));
}
