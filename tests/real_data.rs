//! Real data from deployed devices and public projects (copied with their SOURCE.md into
//! `tests/data/real/<source>/`; none of it made by this project): every valid item decodes and
//! re-encodes byte-identically under the message set it belongs to, its JER reads back to the
//! same bytes, the decoded values equal the decodes the sources give (vendor, asn1tools, pycrate),
//! and the items the sources show to be invalid stay rejected.
#![cfg(feature = "testing")]
use std::fs;
use std::path::PathBuf;

use cv2x::codec::jer::{Value, unhex};
use cv2x::codec::{DecodeErrorKind, Error, Uper};
use cv2x::msg::Standard;
use cv2x::msg::conform::jer_eq;
use serde_json::json;

fn path(source: &str, file: &str) -> PathBuf {
    [env!("CARGO_MANIFEST_DIR"), "tests/data/real", source, file]
        .iter()
        .collect()
}

fn text(source: &str, file: &str) -> String {
    let p = path(source, file);
    fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn json_file(source: &str, file: &str) -> Value {
    serde_json::from_str(&text(source, file)).expect("JSON")
}

fn jsonl(source: &str, file: &str) -> Vec<Value> {
    text(source, file)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

fn bytes_of_hex(hex: &str) -> Vec<u8> {
    let hex: String = hex.split_whitespace().collect();
    unhex(&Value::String(hex)).expect("hex")
}

/// Decodes `bytes` as `ty` of `std`, checks the byte-identical re-encoding and that the JER
/// encodes back to the same bytes; returns the JER.
fn round_trip(std: Standard, ty: &str, bytes: &[u8], what: &str) -> Value {
    let (jer, again) = std
        .decode_named(ty, bytes)
        .unwrap_or_else(|e| panic!("{what}: {ty} under {std:?}: {e}"))
        .unwrap_or_else(|| panic!("{what}: no type {ty} in {std:?}"));
    assert_eq!(again, bytes, "{what}: re-encoding under {std:?}");
    let from_jer = std.encode_named(ty, &jer).expect("JER encodes");
    assert_eq!(
        from_jer.as_deref(),
        Some(bytes),
        "{what}: JER back to UPER under {std:?}"
    );
    jer
}

/// What asn1tools did with an item under one set, as the source's results record it.
#[derive(Debug, PartialEq)]
enum Asn1tools {
    /// Decoded, and re-encoded to the same bytes.
    Identical,
    /// Decoded a value from a prefix and ignored the rest: not a complete encoding.
    IgnoredTail,
    /// The set has no type of that name.
    NoSuchType,
    /// Rejected.
    Rejected,
}

fn asn1tools(result: &str) -> Asn1tools {
    if result.starts_with("OK (asn1tools re-encode identical)") {
        Asn1tools::Identical
    } else if result.starts_with("OK (asn1tools re-encode differs)") {
        Asn1tools::IgnoredTail
    } else if result.starts_with("ERR DecodeError: Type '") && result.contains("not found") {
        Asn1tools::NoSuchType
    } else {
        assert!(result.starts_with("ERR "), "unexpected result {result}");
        Asn1tools::Rejected
    }
}

const HISENSE: &str = "hisense_asn1-uper-v2x";

/// The Hisense items (frames cut from vendor RSU frames, Java unit-test frames and element
/// arrays) with asn1tools' results under 2020 (`main2020`), the 2019 release (`obuV4_2019`)
/// and 2017 (`main2017`).
fn hisense_items() -> Vec<(Value, Value)> {
    let items: Vec<Value> = jsonl(HISENSE, "items.jsonl")
        .into_iter()
        .filter(|i| i["type"] != "VENDOR-FRAME")
        .collect();
    let results = jsonl(HISENSE, "cv2x_results.jsonl");
    assert_eq!(items.len(), results.len());
    for (i, r) in items.iter().zip(&results) {
        assert_eq!(i["label"], r["label"], "results follow the items");
    }
    items.into_iter().zip(results).collect()
}

#[test]
fn hisense_items_decode_under_their_2019_set_as_asn1tools_does_under_each_set() {
    let mut identical_2019 = 0;
    for (item, result) in hisense_items() {
        let label = item["label"].as_str().unwrap_or("?");
        let ty = item["type"].as_str().expect("type");
        let bytes = bytes_of_hex(item["hex"].as_str().expect("hex"));
        for (std, group, key) in [
            (Standard::Csae53_2019, "csae53-2020", "obuV4_2019"),
            (Standard::Csae53_2020, "csae53-2020", "main2020"),
            (Standard::Csae53_2017, "csae53-2017", "main2017"),
        ] {
            let what = format!("{label} ({ty}, {std:?})");
            let expected = asn1tools(result[group][key].as_str().expect("result"));
            match expected {
                Asn1tools::Identical => {
                    round_trip(std, ty, &bytes, &what);
                    identical_2019 += usize::from(std == Standard::Csae53_2019);
                }
                Asn1tools::IgnoredTail => match std.decode_named(ty, &bytes) {
                    Err(Error::Decode(e)) => {
                        assert_eq!(e.kind(), DecodeErrorKind::TrailingBits, "{what}: {e}")
                    }
                    other => panic!("{what}: an encoding with a tail was accepted: {other:?}"),
                },
                Asn1tools::NoSuchType => {
                    assert!(matches!(std.decode_named(ty, &bytes), Ok(None)), "{what}")
                }
                Asn1tools::Rejected => {
                    let r = std.decode_named(ty, &bytes);
                    assert!(matches!(r, Err(Error::Decode(_))), "{what}: {r:?}");
                }
            }
        }
    }
    // 41 of the 46 items are valid 2019 encodings: the 3 BSM arrays that no schema decodes and
    // the 2 over-long element slices are not
    assert_eq!(identical_2019, 41);
}

#[test]
fn hisense_vendor_frames_carry_the_items() {
    // rsuID (8 octets), timestamp (8), then LE16 length + UPER; a BSM frame has a count octet
    // before its (length, UPER) pairs
    let items = jsonl(HISENSE, "items.jsonl");
    let samples: Vec<&str> = items
        .iter()
        .filter(|i| {
            i["label"]
                .as_str()
                .is_some_and(|l| l.starts_with("sample "))
        })
        .filter(|i| i["type"] == "MessageFrame")
        .filter_map(|i| i["hex"].as_str())
        .collect();
    let mut cut = Vec::new();
    for frame in items.iter().filter(|i| i["type"] == "VENDOR-FRAME") {
        let bytes = bytes_of_hex(frame["hex"].as_str().expect("hex"));
        assert_eq!(&bytes[..8], b"u_id_123");
        let mut rest = &bytes[16..];
        let count = if frame["label"].as_str().is_some_and(|l| l.contains("BSM")) {
            let (n, tail) = rest.split_first().expect("count");
            rest = tail;
            usize::from(*n)
        } else {
            1
        };
        for _ in 0..count {
            let len = usize::from(u16::from_le_bytes([rest[0], rest[1]]));
            let (payload, tail) = rest[2..].split_at(len);
            cut.push(cv2x::msg::conform::hex_lower(payload));
            rest = tail;
        }
        assert!(rest.is_empty(), "{}: bytes left over", frame["label"]);
    }
    assert_eq!(cut, samples);
}

#[test]
fn the_hisense_rsi_and_map_are_2019_encodings_equal_to_asn1tools() {
    let items = jsonl(HISENSE, "items.jsonl");
    let sample = |label: &str| {
        let i = items
            .iter()
            .find(|i| i["label"] == label)
            .unwrap_or_else(|| panic!("no item {label}"));
        bytes_of_hex(i["hex"].as_str().expect("hex"))
    };
    let decoded = json_file(
        HISENSE,
        "rsi_map_decoded_by_asn1tools_with_2019_V4_schema.json",
    );
    for (label, key) in [("sample RSI", "RSI"), ("sample MAP", "MAP")] {
        let bytes = sample(label);
        let jer = round_trip(Standard::Csae53_2019, "MessageFrame", &bytes, label);
        assert!(
            jer_eq(&jer, &decoded[key]),
            "{label}: {jer} vs {}",
            decoded[key]
        );
    }
    // under 2020 the RSI runs out of data (its one-point paths count one more point) and the MAP
    // reads as another value with bits left over (one presence bit fewer per link)
    let rsi = Standard::Csae53_2020.decode_named("MessageFrame", &sample("sample RSI"));
    assert!(matches!(rsi, Err(Error::Decode(_))), "{rsi:?}");
    let map = Standard::Csae53_2020.decode_named("MessageFrame", &sample("sample MAP"));
    assert!(matches!(map, Err(Error::Decode(_))), "{map:?}");
}

/// The Java object form of `bsm_expected.json` in the project's JER conventions: `long_` is
/// `long`, absent members are `null`, OCTET STRINGs are byte arrays, BIT STRINGs are strings
/// of '0'/'1', and the two enumerations it holds are `{"value": index}`.
fn java_bsm_to_jer(v: &Value, key: &str) -> Option<Value> {
    Some(match v {
        Value::Null => return None,
        Value::Object(o) if o.len() == 1 && o.contains_key("value") => {
            let i = o["value"].as_u64()? as usize;
            let items: &[&str] = match key {
                "transmission" => &["neutral", "park", "forwardGears", "reverseGears"],
                "brakePadel" => &["unavailable", "off", "on"],
                _ => return None,
            };
            json!(items.get(i)?)
        }
        Value::Object(o) => Value::Object(
            o.iter()
                .filter_map(|(k, x)| {
                    let k = k.strip_suffix('_').unwrap_or(k);
                    java_bsm_to_jer(x, k).map(|x| (k.to_string(), x))
                })
                .collect(),
        ),
        Value::Array(a) => {
            let b: Vec<u8> = a
                .iter()
                .filter_map(|x| x.as_u64())
                .map(|x| x as u8)
                .collect();
            json!(cv2x::msg::conform::hex_lower(&b))
        }
        Value::String(bits) if bits.bytes().all(|c| c == b'0' || c == b'1') => {
            let mut b = vec![0u8; bits.len().div_ceil(8)];
            for (i, c) in bits.bytes().enumerate() {
                if c == b'1' {
                    b[i / 8] |= 0x80 >> (i % 8);
                }
            }
            json!(cv2x::msg::conform::hex_lower(&b))
        }
        other => other.clone(),
    })
}

#[test]
fn the_hisense_unit_test_bsm_equals_its_expected_decode() {
    let items = jsonl(HISENSE, "items.jsonl");
    let item = items
        .iter()
        .find(|i| i["expected"] == "bsm_expected.json")
        .expect("the BSM with an expected decode");
    let bytes = bytes_of_hex(item["hex"].as_str().expect("hex"));
    let expected = java_bsm_to_jer(&json_file(HISENSE, "bsm_expected.json"), "").expect("BSM");
    for std in [Standard::Csae53_2019, Standard::Csae53_2020] {
        let jer = round_trip(std, "MessageFrame", &bytes, "HEX_BSM_TEST1");
        assert!(
            jer_eq(&jer["bsmFrame"], &expected),
            "{std:?}: {} vs {expected}",
            jer["bsmFrame"]
        );
    }
    // the vehicle id is ASCII "00143101"
    let frame = cv2x::msg::v2019::MessageFrame::decode(&bytes).expect("decodes");
    let cv2x::msg::v2019::MessageFrame::BsmFrame(bsm) = frame else {
        panic!("not a BSM");
    };
    assert_eq!(&bsm.id, b"00143101");
}

/// A MAP given as JER and its encodings by asn1tools under the 2020 modules (of this project
/// and of the OBU repository) and under the 2019 release.
fn map_encodings(source: &str) {
    let jer = json_file(source, "MessageFrame.jer.json");
    let hex = |f: &str| bytes_of_hex(&text(source, f));
    for (std, file) in [
        (Standard::Csae53_2020, "asn1tools_main2020.uper.hex"),
        (Standard::Csae53_2020, "asn1tools_obuVN4_2020.uper.hex"),
        (Standard::Csae53_2019, "asn1tools_obuV4_2019.uper.hex"),
    ] {
        let bytes = hex(file);
        let what = format!("{source}/{file}");
        let encoded = std.encode_named("MessageFrame", &jer).expect("encodes");
        assert_eq!(encoded.as_deref(), Some(&bytes[..]), "{what}");
        let decoded = round_trip(std, "MessageFrame", &bytes, &what);
        assert!(jer_eq(&decoded, &jer), "{what}: {decoded}");
    }
    // the 2019 encoding is not a 2020 one: every link has one more presence bit
    let v4 = hex("asn1tools_obuV4_2019.uper.hex");
    assert!(
        Standard::Csae53_2020
            .decode_named("MessageFrame", &v4)
            .is_err()
    );
}

#[test]
fn the_openv2x_map_encodes_as_asn1tools_encodes_it_in_2020_and_2019() {
    map_encodings("openv2x_cerebrum_map");
}

#[test]
fn the_yizhuang_map_encodes_as_asn1tools_encodes_it_in_2020_and_2019() {
    map_encodings("yizhuang_map_json");
    // the 2017 Link has laneWidth where later editions have linkWidth
    let jer = json_file("yizhuang_map_json", "MessageFrame.jer.json");
    let r = Standard::Csae53_2017.encode_named("MessageFrame", &jer);
    assert!(matches!(r, Err(Error::Jer(_))), "{r:?}");
}

#[test]
fn the_pycrate_bsm_frame_equals_its_python_value() {
    let items = jsonl("xuanxuanblingbling_cv2x_exp", "items.jsonl");
    let bytes = bytes_of_hex(items[0]["hex"].as_str().expect("hex"));
    // the Python value of asn/exp.py in JER:
    // ('bsmFrame',{'msgCnt': 11,'id':b'12345678','secMark':0,'pos': {'lat': -594657005,
    // 'long': -598404839, 'elevation': 49802}, 'transmission':'neutral','speed':0,'heading':0,
    // 'accelSet':{'lat': 20, 'long': 20, 'vert':0,'yaw':0},'brakes':{} ,
    // 'size':{'width':20,'length':20},'vehicleClass':{'classification':0} })
    let expected = json!({"bsmFrame": {"msgCnt": 11, "id": "3132333435363738", "secMark": 0,
        "pos": {"lat": -594657005, "long": -598404839, "elevation": 49802},
        "transmission": "neutral", "speed": 0, "heading": 0,
        "accelSet": {"lat": 20, "long": 20, "vert": 0, "yaw": 0}, "brakes": {},
        "size": {"width": 20, "length": 20}, "vehicleClass": {"classification": 0}}});
    let jer = round_trip(Standard::Csae53_2020, "MessageFrame", &bytes, "exp.py");
    assert!(jer_eq(&jer, &expected), "{jer}");
    // a 2020 brake pedal value that 2017 does not have
    assert!(
        Standard::Csae53_2017
            .decode_named("MessageFrame", &bytes)
            .is_err()
    );
}

#[test]
fn the_obu_platooning_frame_is_a_day_ii_clpmm_and_survives_older_sets() {
    let items = jsonl("generate_v2x_data_packet_clpmm", "items.jsonl");
    let bytes = bytes_of_hex(items[0]["hex"].as_str().expect("hex"));
    let jer = round_trip(Standard::Csae53_2020, "MessageFrame", &bytes, "CLPMM");
    let v = &jer["msgFrameExt"];
    assert_eq!(v["messageId"], 16);
    let clpmm = &v["value"];
    assert_eq!(clpmm["msgCnt"], 24);
    assert_eq!(clpmm["id"], "3233333330303033"); // "23333003"
    assert_eq!(clpmm["secMark"], 37865);
    assert_eq!(clpmm["role"], "leader");
    assert_eq!(clpmm["status"], "navigating");
    assert_eq!(clpmm["leadingExt"]["capacity"], 10);
    assert_eq!(clpmm["leadingExt"]["openToJoin"], true);
    assert_eq!(
        clpmm["leadingExt"]["memberList"],
        json!([{"vid": "3233333330303033"}])
    );
    // Day I sets keep it as an unknown extension alternative, and its JER gives the same bytes
    for std in [Standard::Csae53_2019, Standard::Csae53_2017] {
        let jer = round_trip(std, "MessageFrame", &bytes, "CLPMM");
        assert_eq!(jer["$unknownExtension"]["index"], 0, "{std:?}");
    }
}
