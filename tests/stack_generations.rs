//! One stack for three generations: the same situation sent as 2017, 2019 and 2020 frames
//! gives the same warnings, whether the stack detects each frame's set or is told it by rules
//! (per AID, per sender, per region); a frame two sets read with different meanings is counted
//! as ambiguous and read with the configured default; what a lift lost or changed comes back
//! with the frame.
use std::collections::BTreeMap;

use cv2x::VehicleState;
use cv2x::apps::Target;
use cv2x::codec::Uper;
use cv2x::geo::{EnuFrame, Wgs84};
use cv2x::msg::Standard;
use cv2x::msg::lift::{AnyFrame, Change, Lift};
use cv2x::msg::{v2019, v2020 as m};
use cv2x::stack::{
    Area, DropReason, Event, MessageSets, RxMeta, SetChoice, SetRule, Sets, Stack, StackConfig,
    StackCounters,
};
use cv2x::testing::scenario::build::{self, Participant, VehicleInfo, actor_vehicle_id};
use cv2x::testing::scenario::{Flags, Kind, MotionState, RsiItem, Signal};
use cv2x::time::Timestamp;
use cv2x::world::Light;

const ORIGIN: Wgs84 = Wgs84 {
    lat_deg: 31.284,
    lon_deg: 121.163,
    alt_m: 0.0,
};

/// The AIDs of BSM, MAP, SPAT, RSI and RSM.
const AIDS: [u32; 5] = [111, 3618, 3619, 3620, 3623];

fn t(s: f64) -> Timestamp {
    Timestamp::from_unix_utc_millis(1_772_352_000_000).add_micros((s * 1e6).round() as i64)
}

fn frame() -> EnuFrame {
    EnuFrame::new(ORIGIN).unwrap()
}

fn at(x: f64, y: f64) -> Wgs84 {
    frame().wgs84_from_enu(&nalgebra::Vector3::new(x, y, 0.0))
}

fn motion(x: f64, y: f64, heading_deg: f64, speed_mps: f64, accel_mps2: f64) -> MotionState {
    MotionState {
        x,
        y,
        heading_deg,
        speed_mps,
        accel_mps2,
        ..MotionState::default()
    }
}

/// The 2020 frames (with their AIDs) of step `k` (10 Hz) of the situation: the ego drives
/// north at 12 m/s towards a red light 70 m ahead; a car 25 m ahead brakes hard (BSM); the
/// roadside reports a pedestrian about to cross 55 m ahead (RSM); a road-works sign stands
/// 220 m ahead (RSI); the intersection's MAP and SPAT.
fn situation(k: usize) -> Vec<(u32, m::MessageFrame)> {
    let ts = k as f64 * 0.1;
    let now = t(ts);
    let signal = Signal::new(
        0.0,
        0.0,
        vec![(Light::Red, 30.0), (Light::ProtectedGreen, 20.0)],
    );
    let mut out = Vec::new();
    if k % 10 == 0 {
        out.push((3618, build::map(&frame(), &signal, 1.0, 600.0)));
        let sign = RsiItem {
            sign: true,
            code: 38,
            x: 0.0,
            y: 150.0,
            radius_m: None,
            path: Vec::new(),
            path_radius_m: 0.0,
            from_s: 0.0,
            until_s: 60.0,
            description: None,
            priority: None,
        };
        out.extend(build::rsi(&frame(), &[sign], ts, k as u8).map(|f| (3620, f)));
    }
    out.extend(build::spat(&signal, ts, now, k as u8).map(|f| (3619, f)));
    // The lead car: 25 m ahead at 12 m/s, braking at 6 m/s² from 0.5 s.
    let braking = ts >= 0.5;
    let dt = (ts - 0.5).clamp(0.0, 2.0);
    let lead_v = 12.0 - 6.0 * dt;
    let lead_y = -45.0 + 12.0 * ts.min(0.5) + 12.0 * dt - 3.0 * dt * dt;
    let mut lead = motion(0.0, lead_y, 0.0, lead_v, if braking { -6.0 } else { 0.0 });
    lead.flags = Flags {
        hard_braking: braking,
        ..Flags::default()
    };
    let info = VehicleInfo {
        id: actor_vehicle_id(1),
        kind: Kind::Car,
        length_m: 4.5,
        width_m: 1.8,
        noise_m: 0.0,
    };
    out.push((
        111,
        build::bsm(&info, &lead, &at(0.0, lead_y), now, k as u8),
    ));
    // The pedestrian, walking west towards the ego's lane.
    let ped_x = 5.0 - 1.4 * ts;
    let ped = Participant {
        ptc_id: 2,
        kind: Kind::Pedestrian,
        id: None,
        state: motion(ped_x, -15.0, 270.0, 1.4, 0.0),
        position: at(ped_x, -15.0),
        time: now,
        length_m: 0.5,
        width_m: 0.5,
        noise_m: 0.3,
    };
    out.push((3623, build::rsm(&ORIGIN, &[ped], k as u8)));
    out
}

fn ego(ts: f64) -> VehicleState {
    let p = at(0.0, -70.0 + 12.0 * ts);
    VehicleState::new(t(ts), p.lat_deg, p.lon_deg, 0.0, 12.0).with_accuracy(0.5, 1.0)
}

/// (application, level, what about) → first time raised, s.
type Warned = BTreeMap<(String, String, String), f64>;

/// Sends the situation in `set` (lowered from 2020) to a stack with `config`, for 4 s.
fn run(set: Standard, config: StackConfig) -> (Warned, StackCounters) {
    let mut s = Stack::new(config.with_origin(ORIGIN)).unwrap();
    s.set_temporary_id(Some(build::EGO_ID));
    let mut warned = Warned::new();
    for k in 0..40 {
        let ts = k as f64 * 0.1;
        s.set_ego(&ego(ts)).unwrap();
        for (aid, f) in situation(k) {
            let lowered = AnyFrame::lower(&f, set);
            for old in lowered.value {
                let bytes = old.encode().unwrap();
                s.ingest(&bytes, &RxMeta::PLAIN.with_aid(aid), t(ts))
                    .unwrap();
            }
        }
        let _ = s.poll(t(ts)).count();
        for a in s.active_warnings() {
            let w = &a.warning;
            // A place by where it is; an object (it moves) by being one.
            let about = match w.target {
                Target::Place {
                    position_enu: p, ..
                } => {
                    format!("place ({:.0}, {:.0})", p[0], p[1])
                }
                Target::Object { .. } => "object".to_string(),
                Target::Ego => "ego".to_string(),
            };
            warned
                .entry((w.app.name().to_string(), w.level.name().to_string(), about))
                .or_insert(ts);
        }
    }
    (warned, *s.counters())
}

fn same_warnings(a: &Warned, b: &Warned) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|((ka, ta), (kb, tb))| ka == kb && (ta - tb).abs() <= 0.1 + 1e-9)
}

#[test]
fn the_same_situation_warns_the_same_in_every_generation() {
    let (base, c) = run(Standard::Csae53_2020, StackConfig::default());
    let apps: std::collections::BTreeSet<&str> = base.keys().map(|k| k.0.as_str()).collect();
    for app in ["RLVW", "EBW", "FCW", "VRUCW", "IVS"] {
        assert!(apps.contains(app), "{app} in {base:?}");
    }
    assert_eq!(c.frames_2019 + c.frames_2017, 0);
    assert_eq!(c.ambiguous_frames, 0);

    let region = SetRule::Region {
        area: Area::Circle {
            center: ORIGIN,
            radius_m: 2000.0,
        },
        set: Standard::Csae53_2017,
    };
    let by_aid = AIDS.iter().fold(MessageSets::default(), |m, &aid| {
        m.with_rule(SetRule::Aid {
            aid,
            set: Standard::Csae53_2019,
        })
    });
    let cases = [
        // Detection alone, 2020 deciding what is ambiguous.
        (Standard::Csae53_2019, StackConfig::default()),
        // Detection, the deployment's generation deciding.
        (
            Standard::Csae53_2019,
            StackConfig::default().with_default_set(Standard::Csae53_2019),
        ),
        (
            Standard::Csae53_2017,
            StackConfig::default().with_default_set(Standard::Csae53_2017),
        ),
        // Rules: per AID, per region, per sender (the RSU and the car; MAP and SPAT by AID).
        (
            Standard::Csae53_2019,
            StackConfig::default().with_message_sets(by_aid),
        ),
        (
            Standard::Csae53_2017,
            StackConfig::default().with_set_rule(region),
        ),
        (
            Standard::Csae53_2017,
            StackConfig::default()
                .with_set_rule(SetRule::Source {
                    id: build::RSU_ID,
                    set: Standard::Csae53_2017,
                })
                .with_set_rule(SetRule::Source {
                    id: actor_vehicle_id(1),
                    set: Standard::Csae53_2017,
                })
                .with_set_rule(SetRule::Aid {
                    aid: 3618,
                    set: Standard::Csae53_2017,
                })
                .with_set_rule(SetRule::Aid {
                    aid: 3619,
                    set: Standard::Csae53_2017,
                }),
        ),
        // Only the one set.
        (
            Standard::Csae53_2017,
            StackConfig::default().with_message_sets(MessageSets::only(Standard::Csae53_2017)),
        ),
    ];
    for (i, (set, config)) in cases.into_iter().enumerate() {
        let (w, c) = run(set, config);
        assert!(
            same_warnings(&base, &w),
            "case {i} ({set:?}):\n{base:?}\n{w:?}"
        );
        let (read, other) = match set {
            Standard::Csae53_2019 => (c.frames_2019, c.frames_2017),
            _ => (c.frames_2017, c.frames_2019),
        };
        assert_eq!(other, 0, "case {i}");
        assert_eq!(read + c.frames_2020, c.accepted, "case {i}");
        assert!(read > 0, "case {i}");
        if i == 0 {
            // With 2020 deciding, a 2019 frame read as 2020 is one whose meaning is the same
            // (else it would differ, and be counted).
            assert_eq!(c.ambiguous_frames, 0, "case {i}: {c:?}");
        } else {
            assert_eq!(c.frames_2020, 0, "case {i}: {c:?}");
        }
    }
}

/// A 2017 RSM (a pedestrian reported by the roadside) that the 2020 set also reads, and
/// re-encodes to the same bytes, with another meaning: the 2017 participant has one more
/// presence bit (`plateNo`), so every member after it is shifted.
fn ambiguous_rsm() -> Vec<u8> {
    for k in 0..60 {
        let ts = k as f64 * 0.1;
        let x = 6.0 - 1.5 * ts;
        let ped = Participant {
            ptc_id: 1,
            kind: Kind::Pedestrian,
            id: None,
            state: motion(x, 50.0, 270.0, 1.5, 0.0),
            position: at(x, 50.0),
            time: t(ts),
            length_m: 0.5,
            width_m: 0.5,
            noise_m: 0.0,
        };
        let f = build::rsm(&ORIGIN, &[ped], k as u8);
        let old = AnyFrame::lower(&f, Standard::Csae53_2017);
        let bytes = old.value[0].encode().unwrap();
        let (Ok(a), Ok(b)) = (
            AnyFrame::decode(Standard::Csae53_2017, &bytes),
            AnyFrame::decode(Standard::Csae53_2020, &bytes),
        ) else {
            continue;
        };
        if b.encode().unwrap() == bytes && a.into_2020().value != b.into_2020().value {
            return bytes;
        }
    }
    panic!("no 2017 RSM of a walking pedestrian is also a 2020 RSM");
}

fn one(config: StackConfig, bytes: &[u8], meta: RxMeta) -> (Result<SetChoice, DropReason>, Stack) {
    let mut s = Stack::new(config.with_origin(ORIGIN)).unwrap();
    let r = s.ingest_detailed(bytes, &meta, t(0.0)).map(|r| r.chosen_by);
    (r, s)
}

#[test]
fn a_frame_two_sets_read_differently_is_counted_and_the_default_decides() {
    let bytes = ambiguous_rsm();
    // The RSM is the same in 2019 and 2020: both read the frame as 2020 does.
    let both = Sets::ALL;

    let mut s = Stack::new(StackConfig::default().with_origin(ORIGIN)).unwrap();
    let r = s.ingest_detailed(&bytes, &RxMeta::PLAIN, t(0.0)).unwrap();
    assert_eq!(r.set, Standard::Csae53_2020, "the default decides");
    assert_eq!(r.chosen_by, SetChoice::Ambiguous { candidates: both });
    assert_eq!(s.counters().ambiguous_frames, 1);
    assert_eq!(s.counters().frames_2020, 1);
    let events: Vec<Event> = s.poll(t(0.0)).collect();
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Ambiguous { candidates, chosen: Standard::Csae53_2020, .. } if *candidates == both
    )));

    // Another default decides otherwise; the frame is still counted.
    let mut s = Stack::new(
        StackConfig::default()
            .with_origin(ORIGIN)
            .with_default_set(Standard::Csae53_2017),
    )
    .unwrap();
    let r = s.ingest_detailed(&bytes, &RxMeta::PLAIN, t(0.0)).unwrap();
    assert_eq!(r.set, Standard::Csae53_2017);
    assert!(r.lift.count("SourceType", Change::Remapped) == 0);
    assert_eq!(s.counters().ambiguous_frames, 1);
    assert_eq!(s.counters().frames_2017, 1);

    // A rule removes the ambiguity, whichever kind of rule.
    let rsu = SetRule::Source {
        id: build::RSU_ID,
        set: Standard::Csae53_2017,
    };
    let (r, s) = one(
        StackConfig::default().with_set_rule(rsu),
        &bytes,
        RxMeta::PLAIN,
    );
    assert_eq!(r, Ok(SetChoice::MessageSource));
    assert_eq!(s.counters().ambiguous_frames, 0);
    let radio = SetRule::Source {
        id: *b"\0\0\0\0\0\x0a\x0b\x0c",
        set: Standard::Csae53_2017,
    };
    let meta = RxMeta::PLAIN.with_source(*b"\0\0\0\0\0\x0a\x0b\x0c");
    assert_eq!(
        one(StackConfig::default().with_set_rule(radio), &bytes, meta).0,
        Ok(SetChoice::TransportSource)
    );
    let aid = SetRule::Aid {
        aid: 3623,
        set: Standard::Csae53_2017,
    };
    let meta = RxMeta::PLAIN.with_aid(3623);
    assert_eq!(
        one(StackConfig::default().with_set_rule(aid), &bytes, meta).0,
        Ok(SetChoice::Aid)
    );
    let here = SetRule::Region {
        area: Area::Rect {
            south_deg: 31.0,
            west_deg: 121.0,
            north_deg: 31.5,
            east_deg: 121.5,
        },
        set: Standard::Csae53_2017,
    };
    assert_eq!(
        one(
            StackConfig::default().with_set_rule(here),
            &bytes,
            RxMeta::PLAIN
        )
        .0,
        Ok(SetChoice::Region)
    );
    // A region elsewhere, or another sender, does not apply: detection again.
    let elsewhere = SetRule::Region {
        area: Area::Circle {
            center: Wgs84::new(39.9, 116.4, 0.0),
            radius_m: 5000.0,
        },
        set: Standard::Csae53_2017,
    };
    assert_eq!(
        one(
            StackConfig::default().with_set_rule(elsewhere),
            &bytes,
            RxMeta::PLAIN
        )
        .0,
        Ok(SetChoice::Ambiguous { candidates: both })
    );
    // Without detection the default reads everything.
    let (r, _) = one(
        StackConfig::default()
            .with_set_detection(false)
            .with_default_set(Standard::Csae53_2017),
        &bytes,
        RxMeta::PLAIN,
    );
    assert_eq!(r, Ok(SetChoice::Default));
}

#[test]
fn a_rule_is_not_second_guessed_and_day_ii_is_2020() {
    // A 2020 BSM forced through a 2017 rule: 2017 cannot read it, and it is dropped.
    let (_, f) = situation(3)
        .into_iter()
        .find(|(aid, _)| *aid == 111)
        .unwrap();
    let bytes = f.encode().unwrap();
    assert!(AnyFrame::decode(Standard::Csae53_2017, &bytes).is_err());
    let rule = SetRule::Aid {
        aid: 111,
        set: Standard::Csae53_2017,
    };
    let (r, s) = one(
        StackConfig::default().with_set_rule(rule),
        &bytes,
        RxMeta::PLAIN.with_aid(111),
    );
    assert!(matches!(r, Err(DropReason::Decode(_))), "{r:?}");
    assert_eq!(s.counters().decode_failed, 1);
    // Detection reads it.
    let (r, _) = one(StackConfig::default(), &bytes, RxMeta::PLAIN);
    assert!(matches!(r, Ok(SetChoice::Detected { .. })), "{r:?}");

    // A Day II message: the older sets read only an unknown extension, so it is 2020.
    let info = VehicleInfo {
        id: actor_vehicle_id(7),
        kind: Kind::Pedestrian,
        length_m: 0.5,
        width_m: 0.5,
        noise_m: 0.5,
    };
    let psm = build::psm(
        &info,
        &motion(2.0, 30.0, 270.0, 1.2, 0.0),
        &at(2.0, 30.0),
        t(0.0),
        1,
    );
    let bytes = psm.encode().unwrap();
    assert!(
        AnyFrame::decode(Standard::Csae53_2019, &bytes).is_ok_and(|f| f.is_unknown_alternative())
    );
    let (r, s) = one(StackConfig::default(), &bytes, RxMeta::PLAIN);
    assert_eq!(
        r,
        Ok(SetChoice::Detected {
            candidates: Sets::only(Standard::Csae53_2020)
        })
    );
    assert_eq!(s.counters().psm, 1);
}

#[test]
fn what_a_lift_changed_comes_back_counted_and_reported() {
    // A 2019 MAP whose link has no width, as 2019 roadside units send.
    let signal = Signal::new(0.0, 0.0, vec![(Light::Red, 30.0)]);
    let map = build::map(&frame(), &signal, 1.0, 600.0);
    let Some(AnyFrame::V2019(v2019::MessageFrame::MapFrame(mut old))) =
        AnyFrame::lower(&map, Standard::Csae53_2019).value.pop()
    else {
        panic!("a 2019 MAP");
    };
    for n in &mut old.nodes {
        for l in n.in_links.iter_mut().flatten() {
            l.link_width = None;
        }
    }
    let bytes = v2019::MessageFrame::MapFrame(old.clone()).encode().unwrap();
    let mut s = Stack::new(StackConfig::default().with_origin(ORIGIN)).unwrap();
    let r = s.ingest_detailed(&bytes, &RxMeta::PLAIN, t(0.0)).unwrap();
    assert_eq!(r.set, Standard::Csae53_2019);
    assert_eq!(r.lift.count("Link.linkWidth", Change::Filled), 1);
    assert_eq!(r.lift, old.lift().report);
    let c = s.counters();
    assert_eq!((c.frames_2019, c.lifted_with_changes, c.map), (1, 1, 1));
    let events: Vec<Event> = s.poll(t(0.0)).collect();
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Lifted {
            set: Standard::Csae53_2019,
            changes: 1,
            ..
        }
    )));
    // The lane got its width from its own `laneWidth`.
    let lanes = &s.world().map().intersections()[0].lanes;
    assert!((lanes[0].width_m - 3.5).abs() < 1e-9);

    // Not reported when configured so; still counted.
    let mut quiet = MessageSets::default();
    quiet.report = false;
    let mut s = Stack::new(
        StackConfig::default()
            .with_origin(ORIGIN)
            .with_message_sets(quiet),
    )
    .unwrap();
    s.ingest(&bytes, &RxMeta::PLAIN, t(0.0)).unwrap();
    assert!(!s.poll(t(0.0)).any(|e| matches!(e, Event::Lifted { .. })));
    assert_eq!(s.counters().lifted_with_changes, 1);
}
