//! Lifting over the conformance vectors of the older sets: every valid 2017 and 2019 vector
//! lifts to a value that is valid 2020, lowering it gives it back, and a 2019 vector that the
//! 2020 set reads as the same value lifts to exactly that value (while one that uses a 2019
//! difference lifts to something the 2020 set does not read from those bytes).
#![cfg(feature = "jer")]

use std::fmt::Debug;

use cv2x_msg::codec::Uper;
use cv2x_msg::codec::jer::{Jer, Value};
use cv2x_msg::lift::{Convert, Converted, Lift};
use cv2x_msg::{v2017, v2019, v2020};

fn lines(folder: &str, file: &str) -> Vec<(Vec<u8>, Value)> {
    let path = format!(
        "{}/../../tests/vectors/{folder}/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let hex = v["uper_hex"].as_str().unwrap();
            let bytes = (0..hex.len() / 2)
                .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
                .collect();
            (bytes, v["jer"].clone())
        })
        .collect()
}

/// What one file of 2019 vectors showed.
#[derive(Debug, Default)]
struct Tally {
    vectors: usize,
    common: usize,
    noted: usize,
}

/// Decodes `bytes` with the older set, lifts, checks that the result is valid 2020, lowers it
/// back (with nothing to report), checks the lowered value is valid in the older set, and lifts
/// again to the same value.
fn round_trip<A, B>(file: &str, bytes: &[u8], lower: &impl Fn(&B) -> Converted<A>) -> Converted<B>
where
    A: Uper + Lift<Target = B> + Debug,
    B: Uper + PartialEq + Debug,
{
    let old = A::decode(bytes).unwrap();
    let up = old.lift();
    up.value
        .encode()
        .unwrap_or_else(|e| panic!("{file}: lifted value is not valid 2020: {e}\n{up:?}"));
    let down = lower(&up.value);
    assert!(down.report.is_empty(), "{file}: {}", down.report);
    down.value.encode().unwrap();
    assert_eq!(down.value.lift().value, up.value, "{file}: lift ∘ lower");
    up
}

/// Lifts every vector of `file`, encodes the result under 2020, lowers it back (`lower`) and
/// lifts again; compares with the 2020 reading of the same bytes.
fn check_2019<A, B>(file: &str, lower: impl Fn(&B) -> Converted<A>) -> Tally
where
    A: Uper + Lift<Target = B> + Debug,
    B: Uper + Jer + PartialEq + Debug,
{
    let mut t = Tally::default();
    for (bytes, jer) in lines("csae53_2019", file) {
        t.vectors += 1;
        let up = round_trip(file, &bytes, &lower);
        t.noted += usize::from(!up.report.is_empty());
        match B::decode(&bytes) {
            Ok(read) if read.to_jer() == jer => {
                t.common += 1;
                assert_eq!(up.value, read, "{file}: a vector common to both sets");
                assert!(up.report.is_empty(), "{file}: {}", up.report);
            }
            Ok(read) => assert_ne!(up.value, read, "{file}: the 2020 reading differs"),
            Err(_) => {}
        }
    }
    t
}

fn check_2017<A, B>(file: &str, lower: impl Fn(&B) -> Converted<A>) -> usize
where
    A: Uper + Lift<Target = B> + Debug,
    B: Uper + PartialEq + Debug,
{
    let mut n = 0;
    for (bytes, _) in lines("csae53_2017", file) {
        n += 1;
        round_trip(file, &bytes, &lower);
    }
    n
}

fn one<T: Clone>(c: Converted<Vec<T>>) -> Converted<T> {
    assert_eq!(c.value.len(), 1);
    Converted {
        value: c.value[0].clone(),
        report: c.report,
    }
}

#[test]
fn every_2019_vector_lifts_into_valid_2020() {
    let frames = check_2019("MessageFrame.jsonl", |f: &v2020::MessageFrame| {
        let c: Converted<Option<v2019::MessageFrame>> = f.convert();
        Converted {
            value: c.value.unwrap(),
            report: c.report,
        }
    });
    let bsm =
        check_2019::<v2019::BasicSafetyMessage, _>("BasicSafetyMessage.jsonl", |b| b.convert());
    let map = check_2019::<v2019::MapData, _>("MapData.jsonl", |m| m.convert());
    let spat = check_2019::<v2019::SPAT, _>("SPAT.jsonl", |s| s.convert());
    let rsi =
        check_2019::<v2019::RoadSideInformation, _>("RoadSideInformation.jsonl", |r| r.convert());
    let rsm = check_2019::<v2019::RoadsideSafetyMessage, _>("RoadsideSafetyMessage.jsonl", |r| {
        r.convert()
    });
    println!("{frames:?}\n{bsm:?}\n{map:?}\n{spat:?}\n{rsi:?}\n{rsm:?}");
    // SPAT and RSM are the same in both sets.
    assert_eq!(spat.common, spat.vectors);
    assert_eq!(rsm.common, rsm.vectors);
    // Most MAPs use a 2019 difference (a link without width changes the layout).
    assert!(map.common < map.vectors / 2, "{map:?}");
    // And the lift noted something for the vectors that use one.
    assert!(map.noted > 0 && rsi.noted > 0 && bsm.noted > 0);
    assert!(frames.common > 0 && frames.common < frames.vectors);
}

#[test]
fn every_2017_vector_lifts_into_valid_2020() {
    let n = check_2017("MessageFrame.jsonl", |f: &v2020::MessageFrame| {
        let c: Converted<Vec<v2017::MessageFrame>> = f.convert();
        one(c)
    }) + check_2017::<v2017::BasicSafetyMessage, _>("BasicSafetyMessage.jsonl", |b| {
        b.convert()
    }) + check_2017::<v2017::MapData, _>("MapData.jsonl", |m| m.convert())
        + check_2017::<v2017::SPAT, _>("SPAT.jsonl", |s| s.convert())
        + check_2017::<v2017::RoadSideInformation, _>("RoadSideInformation.jsonl", |r| {
            one(r.convert())
        })
        + check_2017::<v2017::RoadsideSafetyMessage, _>("RoadsideSafetyMessage.jsonl", |r| {
            r.convert()
        });
    assert!(n > 150, "{n} vectors");
}
