//! The real MAPs drive the lane matcher: the OpenV2X default MAP (Nanjing, 2020 and its 2019
//! encoding), the Yizhuang intersection (Beijing, 2020 and 2019) and a Hisense roadside unit's
//! MAP (Changsha, 2019 release). Each reaches the stack as received bytes (the stack detects the
//! set and lifts the older ones), and for every approach lane a vehicle is placed on the lane —
//! the point is computed from the MAP message itself: 10 m (or half the last segment, when
//! shorter) before the lane's stop line on its last segment, heading along it — and must be
//! matched to that lane of that intersection, with that distance to the stop line. The data are copies of `../shared/real` (see each SOURCE.md).
use std::path::PathBuf;

use cv2x::geo::Wgs84;
use cv2x::msg::Standard;
use cv2x::msg::v2020 as m;
use cv2x::stack::{RxMeta, Stack, StackConfig};
use cv2x::time::Timestamp;
use cv2x::world::{MatchConfig, TurnSignal, match_ego};
use serde_json::Value;

fn read(source: &str, file: &str) -> String {
    let p: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests/data/real", source, file]
        .iter()
        .collect();
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn bytes_of_hex(hex: &str) -> Vec<u8> {
    let hex: Vec<u8> = hex.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    hex.chunks(2)
        .map(|c| u8::from_str_radix(std::str::from_utf8(c).expect("ASCII"), 16).expect("hex"))
        .collect()
}

/// A frame of the Hisense roadside unit by its label.
fn hisense(label: &str) -> Vec<u8> {
    let items = read("hisense_asn1-uper-v2x", "items.jsonl");
    let item: Value = items
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("JSON line"))
        .find(|i| i["label"] == label)
        .unwrap_or_else(|| panic!("no item {label}"));
    bytes_of_hex(item["hex"].as_str().expect("hex"))
}

fn hisense_map() -> Vec<u8> {
    hisense("sample MAP")
}

const EARTH_RADIUS_M: f64 = 6_378_137.0;

/// East and north of `p` from `o`, m (flat earth: ample within a few hundred metres).
fn local(o: (f64, f64), p: (f64, f64)) -> (f64, f64) {
    let k = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;
    ((p.1 - o.1) * k * o.0.to_radians().cos(), (p.0 - o.0) * k)
}

/// `local` inverted.
fn global(o: (f64, f64), e: f64, n: f64) -> (f64, f64) {
    let k = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;
    (o.0 + n / k, o.1 + e / (k * o.0.to_radians().cos()))
}

/// A lane point as (lat, lon) in degrees, from the node's reference position and the point's
/// offset (or its absolute position), read from the message.
fn point(node: &m::Position3D, p: &m::RoadPoint) -> (f64, f64) {
    use m::PositionOffsetLL as P;
    let (lon, lat, absolute) = match &p.pos_offset.offset_ll {
        P::PositionLl1(q) => (i64::from(q.lon), i64::from(q.lat), false),
        P::PositionLl2(q) => (i64::from(q.lon), i64::from(q.lat), false),
        P::PositionLl3(q) => (i64::from(q.lon), i64::from(q.lat), false),
        P::PositionLl4(q) => (i64::from(q.lon), i64::from(q.lat), false),
        P::PositionLl5(q) => (i64::from(q.lon), i64::from(q.lat), false),
        P::PositionLl6(q) => (i64::from(q.lon), i64::from(q.lat), false),
        P::PositionLatLon(q) => (i64::from(q.lon), i64::from(q.lat), true),
    };
    let (lat, lon) = if absolute {
        (lat, lon)
    } else {
        (i64::from(node.lat) + lat, i64::from(node.long) + lon)
    };
    (lat as f64 * 1e-7, lon as f64 * 1e-7)
}

/// An approach lane as the message gives it: its node, link, id, width and centre line
/// (the lane's points, else its link's).
struct Approach {
    node: (u16, u16),
    link: usize,
    lane: u8,
    width_m: f64,
    line: Vec<(f64, f64)>,
}

fn approaches(map: &m::MapData) -> Vec<Approach> {
    let mut out = Vec::new();
    for n in &map.nodes {
        for (li, link) in n.in_links.iter().flatten().enumerate() {
            for lane in &link.lanes {
                let pts = lane
                    .points
                    .as_ref()
                    .filter(|p| p.len() >= 2)
                    .or(link.points.as_ref())
                    .map(|p| p.iter().map(|q| point(&n.ref_pos, q)).collect())
                    .unwrap_or_default();
                out.push(Approach {
                    node: (n.id.region.unwrap_or(0), n.id.id),
                    link: li,
                    lane: lane.lane_id,
                    width_m: f64::from(lane.lane_width.unwrap_or(link.link_width)) * 0.01,
                    line: pts,
                });
            }
        }
    }
    out
}

/// The distance of `p` from segment `a`–`b` (local metres) and the segment's heading, degrees
/// clockwise from north.
fn to_segment(a: (f64, f64), b: (f64, f64), p: (f64, f64)) -> (f64, f64) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0);
    let (qx, qy) = (a.0 + t * dx, a.1 + t * dy);
    (
        ((p.0 - qx).powi(2) + (p.1 - qy).powi(2)).sqrt(),
        dx.atan2(dy).to_degrees(),
    )
}

/// What a real MAP showed: lanes tried, matched as expected, and set aside because their test
/// point lies on another lane as well.
#[derive(Debug, Default)]
struct Tally {
    lanes: usize,
    matched: usize,
    shared: usize,
}

const BEFORE_STOP_M: f64 = 10.0;

/// Ingests `bytes` (a MAP of `set`) and matches a vehicle on every approach lane.
fn drive_every_lane(bytes: &[u8], set: Standard) -> Tally {
    let mut stack = Stack::new(StackConfig::default()).unwrap();
    let now = Timestamp::from_unix_utc_millis(1_772_352_000_000);
    let r = stack
        .ingest_detailed(bytes, &RxMeta::PLAIN, now)
        .expect("the MAP is taken");
    assert_eq!(r.set, set, "read with its own set");
    let frame = cv2x::msg::lift::AnyFrame::decode(set, bytes)
        .expect("decodes")
        .into_2020()
        .value;
    let m::MessageFrame::MapFrame(map) = frame else {
        panic!("not a MAP");
    };
    let lanes = approaches(&map);
    let mut t = Tally::default();
    for a in &lanes {
        let [.., p, stop] = a.line.as_slice() else {
            continue;
        };
        let o = *stop;
        let (sx, sy) = local(o, *p);
        let len = (sx * sx + sy * sy).sqrt();
        if len < 2.0 {
            continue;
        }
        t.lanes += 1;
        // 10 m (or half the last segment) before the stop line, heading towards it.
        let before = BEFORE_STOP_M.min(len / 2.0);
        let (ex, ey) = (sx * before / len, sy * before / len);
        let heading = (-ex).atan2(-ey).to_degrees().rem_euclid(360.0);
        let (lat, lon) = global(o, ex, ey);
        // Another lane of the node through this point, in this direction, is as good a match.
        let shared = lanes.iter().any(|b| {
            !std::ptr::eq(a, b)
                && b.node == a.node
                && b.line.windows(2).any(|w| {
                    let (d, h) = to_segment(local(o, w[0]), local(o, w[1]), (ex, ey));
                    let dh = (h - heading + 540.0).rem_euclid(360.0) - 180.0;
                    d < 0.5 && dh.abs() < 45.0
                })
        });
        if shared {
            t.shared += 1;
            continue;
        }
        let ego = Wgs84::new(lat, lon, 0.0);
        let got = match_ego(
            stack.world().map(),
            &ego,
            heading,
            TurnSignal::None,
            &MatchConfig::default(),
        );
        let Some(got) = got else {
            panic!(
                "node {:?} link {} lane {}: no match at {lat:.7},{lon:.7} heading {heading:.1}",
                a.node, a.link, a.lane
            );
        };
        assert_eq!(
            (got.intersection, got.link_index, got.lane_id),
            (a.node, a.link, a.lane),
            "node {:?} link {} lane {} (width {} m): matched elsewhere",
            a.node,
            a.link,
            a.lane,
            a.width_m
        );
        assert!(
            (got.distance_to_stop_m - before).abs() < 0.3,
            "lane {}: {} m to the stop line",
            a.lane,
            got.distance_to_stop_m
        );
        assert!(
            got.lateral_m.abs() < 0.3,
            "lane {}: {} m off",
            a.lane,
            got.lateral_m
        );
        t.matched += 1;
    }
    t
}

#[test]
fn the_openv2x_map_matches_a_vehicle_to_each_approach_lane() {
    for (file, set) in [
        ("asn1tools_main2020.uper.hex", Standard::Csae53_2020),
        ("asn1tools_obuV4_2019.uper.hex", Standard::Csae53_2019),
    ] {
        let bytes = bytes_of_hex(&read("openv2x_cerebrum_map", file));
        let t = drive_every_lane(&bytes, set);
        println!("openv2x {file}: {t:?}");
        // 5 nodes, 25 lanes; two end in a segment too short to stand on (under 2 m).
        assert_eq!((t.lanes, t.matched), (23, 23), "{file}: {t:?}");
    }
}

#[test]
fn the_yizhuang_map_matches_a_vehicle_to_each_approach_lane() {
    for (file, set) in [
        ("asn1tools_main2020.uper.hex", Standard::Csae53_2020),
        ("asn1tools_obuV4_2019.uper.hex", Standard::Csae53_2019),
    ] {
        let bytes = bytes_of_hex(&read("yizhuang_map_json", file));
        let t = drive_every_lane(&bytes, set);
        println!("yizhuang {file}: {t:?}");
        // 4 links of 2 lanes that part only near the stop line.
        assert_eq!((t.lanes, t.matched), (8, 8), "{file}: {t:?}");
    }
}

#[test]
fn the_hisense_2019_map_matches_a_vehicle_to_each_approach_lane() {
    let t = drive_every_lane(&hisense_map(), Standard::Csae53_2019);
    println!("hisense: {t:?}");
    // 4 links of one lane each.
    assert_eq!((t.lanes, t.matched), (4, 4), "{t:?}");
}

#[test]
fn through_the_stack_the_ego_on_a_real_lane_gets_its_match() {
    // The Yizhuang approach from node 18: the ego 10 m before lane 1's stop line.
    let bytes = bytes_of_hex(&read("yizhuang_map_json", "asn1tools_obuV4_2019.uper.hex"));
    let m::MessageFrame::MapFrame(map) =
        cv2x::msg::lift::AnyFrame::decode(Standard::Csae53_2019, &bytes)
            .unwrap()
            .into_2020()
            .value
    else {
        panic!()
    };
    let a = approaches(&map).into_iter().next().unwrap();
    let [.., p, stop] = a.line.as_slice() else {
        panic!()
    };
    let (sx, sy) = local(*stop, *p);
    let len = (sx * sx + sy * sy).sqrt();
    let (ex, ey) = (sx * BEFORE_STOP_M / len, sy * BEFORE_STOP_M / len);
    let heading = (-ex).atan2(-ey).to_degrees().rem_euclid(360.0);
    let (lat, lon) = global(*stop, ex, ey);
    let origin = Wgs84::new(lat, lon, 0.0);
    let mut stack = Stack::new(StackConfig::default().with_origin(origin)).unwrap();
    let now = Timestamp::from_unix_utc_millis(1_772_352_000_000);
    stack.ingest(&bytes, &RxMeta::PLAIN, now).unwrap();
    let ego = cv2x::VehicleState::new(now, lat, lon, heading, 8.0).with_accuracy(0.5, 1.0);
    stack.set_ego(&ego).unwrap();
    let _ = stack.poll(now).count();
    let got = stack.lane().expect("matched");
    assert_eq!((got.intersection, got.lane_id), (a.node, a.lane));
    assert!((got.distance_to_stop_m - BEFORE_STOP_M).abs() < 0.3);
    assert_eq!(stack.counters().frames_2019, 1);
}

#[test]
fn the_hisense_roadside_frames_reach_the_world_by_detection() {
    use cv2x::stack::{SetChoice, Sets};
    let now = Timestamp::from_unix_utc_millis(1_606_377_600_000);
    // The vehicles and the roadside's participant are in Beijing (the RSI and MAP in Changsha).
    let beijing = Wgs84::new(39.976, 116.351, 0.0);
    let mut stack = Stack::new(StackConfig::default().with_origin(beijing)).unwrap();
    let both = Sets::only(Standard::Csae53_2020).with(Standard::Csae53_2019);
    // SPAT, BSM and RSM are the same in 2019 and 2020: both read them alike.
    for label in [
        "sample SPA",
        "sample BSM #1 (of 2 in one vendor frame)",
        "sample BSM #2 (of 2 in one vendor frame)",
        "sample RSM",
    ] {
        let r = stack
            .ingest_detailed(&hisense(label), &RxMeta::PLAIN, now)
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(r.set, Standard::Csae53_2020, "{label}");
        assert_eq!(
            r.chosen_by,
            SetChoice::Detected { candidates: both },
            "{label}"
        );
        assert!(r.lift.is_empty());
    }
    // The RSI and the MAP only 2019 reads.
    for label in ["sample RSI", "sample MAP"] {
        let r = stack
            .ingest_detailed(&hisense(label), &RxMeta::PLAIN, now)
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(r.set, Standard::Csae53_2019, "{label}");
        assert_eq!(
            r.chosen_by,
            SetChoice::Detected {
                candidates: Sets::only(Standard::Csae53_2019)
            },
            "{label}"
        );
    }
    let c = stack.counters();
    assert_eq!(
        (c.frames_2020, c.frames_2019, c.ambiguous_frames),
        (4, 2, 0)
    );
    assert_eq!((c.spat, c.bsm, c.rsm, c.rsi, c.map), (1, 2, 1, 1, 1));
    // The road event 9902 with its reference path, and the intersection 1/149.
    let events = stack.world().road_info().items();
    assert!(
        events.iter().any(|e| e.code == 9902 && e.paths.len() == 1),
        "{events:?}"
    );
    assert!(stack.world().map().get((1, 149)).is_some());
}
