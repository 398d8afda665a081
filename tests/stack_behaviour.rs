//! Behaviour of the sans-IO `Stack`: bounded stores drop and count, stale SPAT, the ego's own
//! messages and the roadside's report of the ego, duplicate sources giving one object, secured
//! messages through the verifier hook, Day II events, garbage input.

use std::borrow::Cow;

use cv2x::VehicleState;
use cv2x::apps::Level;
use cv2x::codec::Uper;
use cv2x::geo::{EnuFrame, Wgs84};
use cv2x::msg::v2020 as m;
use cv2x::stack::{
    DropReason, Event, RxMeta, SpduVerifier, Stack, StackConfig, Verified, VerifyFailure,
};
use cv2x::testing::scenario::build::{self, Participant, VehicleInfo};
use cv2x::testing::scenario::{Kind, MotionState, Signal, TimingForm};
use cv2x::time::Timestamp;
use cv2x::world::SignalInput;
use cv2x::world::WorldConfig;

const ORIGIN: Wgs84 = Wgs84 {
    lat_deg: 39.9,
    lon_deg: 116.4,
    alt_m: 0.0,
};

fn t(s: f64) -> Timestamp {
    Timestamp::from_unix_utc_millis(1_772_352_000_000).add_micros((s * 1e6) as i64)
}

fn frame() -> EnuFrame {
    EnuFrame::new(ORIGIN).unwrap()
}

fn at(x: f64, y: f64) -> Wgs84 {
    frame().wgs84_from_enu(&nalgebra::Vector3::new(x, y, 0.0))
}

fn ego(ts: f64, y: f64, speed: f64) -> VehicleState {
    let p = at(0.0, y);
    VehicleState::new(t(ts), p.lat_deg, p.lon_deg, 0.0, speed).with_accuracy(0.5, 1.0)
}

fn stack() -> Stack {
    let mut s = Stack::new(StackConfig::default().with_origin(ORIGIN)).unwrap();
    s.set_temporary_id(Some(build::EGO_ID));
    s
}

fn state(y: f64, speed: f64) -> MotionState {
    MotionState {
        x: 0.0,
        y,
        heading_deg: 0.0,
        speed_mps: speed,
        ..MotionState::default()
    }
}

fn car_bsm(id: [u8; 8], y: f64, speed: f64, ts: f64) -> Vec<u8> {
    let info = VehicleInfo {
        id,
        kind: Kind::Car,
        length_m: 4.5,
        width_m: 1.8,
        noise_m: 0.0,
    };
    build::bsm(&info, &state(y, speed), &at(0.0, y), t(ts), 0)
        .encode()
        .unwrap()
}

fn rsm_of(parts: &[(u16, Option<[u8; 8]>, f64, f64)], ts: f64) -> Vec<u8> {
    let ps: Vec<Participant> = parts
        .iter()
        .map(|&(ptc_id, id, y, speed)| Participant {
            ptc_id,
            kind: Kind::Car,
            id,
            state: state(y, speed),
            position: at(0.0, y),
            time: t(ts),
            length_m: 4.5,
            width_m: 1.8,
            noise_m: 0.2,
        })
        .collect();
    build::rsm(&ORIGIN, &ps, 0).encode().unwrap()
}

fn signal(plan: &[(cv2x::world::Light, f64)]) -> Signal {
    Signal {
        speed_limit_kph: Some(60.0),
        ..Signal::new(100.0, 0.0, plan.to_vec())
    }
}

#[test]
fn own_bsm_is_dropped_and_counted() {
    let mut s = stack();
    s.set_ego(&ego(0.0, 0.0, 10.0)).unwrap();
    let r = s.ingest(
        &car_bsm(build::EGO_ID, 0.0, 10.0, 0.0),
        &RxMeta::PLAIN,
        t(0.0),
    );
    assert_eq!(r, Err(DropReason::OwnMessage));
    assert_eq!(s.counters().own_messages, 1);
    let other = s.ingest(
        &car_bsm(build::actor_vehicle_id(7), 30.0, 10.0, 0.0),
        &RxMeta::PLAIN,
        t(0.0),
    );
    assert!(other.is_ok(), "{other:?}");
}

#[test]
fn roadside_report_of_the_ego_never_becomes_an_object() {
    let mut s = stack();
    for k in 0..30 {
        let ts = k as f64 * 0.1;
        let y = 15.0 * ts;
        s.set_ego(&ego(ts, y, 15.0)).unwrap();
        // The RSU reports the ego (without its id) and one car 40 m ahead.
        let bytes = rsm_of(&[(1, None, y, 15.0), (2, None, y + 40.0, 15.0)], ts);
        s.ingest(&bytes, &RxMeta::PLAIN, t(ts)).unwrap();
        let _ = s.poll(t(ts)).count();
    }
    let objs = s.objects();
    assert_eq!(objs.len(), 1, "{objs:#?}");
    let y_ego = 15.0 * 2.9;
    let p = s.frame().wgs84_from_enu(&nalgebra::Vector3::new(
        objs[0].position_enu.x,
        objs[0].position_enu.y,
        0.0,
    ));
    let q = frame().enu_from_wgs84(&p).unwrap();
    assert!((q.y - (y_ego + 40.0)).abs() < 2.0, "{q:?}");
    assert!(s.tracker().counters().ego_by_gate + s.tracker().counters().ego_by_id > 0);
}

#[test]
fn one_car_through_three_sources_is_one_object() {
    let mut s = stack();
    let id = build::actor_vehicle_id(3);
    for k in 0..20 {
        let ts = k as f64 * 0.1;
        s.set_ego(&ego(ts, 0.0, 0.0)).unwrap();
        let y = 30.0 + 10.0 * ts;
        s.ingest(&car_bsm(id, y, 10.0, ts), &RxMeta::PLAIN, t(ts))
            .unwrap();
        s.ingest(&rsm_of(&[(9, None, y, 10.0)], ts), &RxMeta::PLAIN, t(ts))
            .unwrap();
        let _ = s.poll(t(ts)).count();
    }
    assert_eq!(s.objects().len(), 1, "{:#?}", s.objects());
    assert!(s.objects()[0].sources().len() >= 2);
}

#[test]
fn stores_are_bounded_and_count_what_they_drop() {
    let mut world = WorldConfig::default();
    world.max_intersections = 4;
    let mut s = Stack::new(
        StackConfig::default()
            .with_origin(ORIGIN)
            .with_world(world)
            .with_max_events(16),
    )
    .unwrap();
    let f = frame();
    for i in 0..20u16 {
        let Ok(m::MessageFrame::MapFrame(mut map)) =
            m::MessageFrame::decode(&build::map(&f, &signal(&[]), 1.0, 600.0).encode().unwrap())
        else {
            panic!("map");
        };
        map.nodes[0].id.id = 1000 + i;
        let bytes = m::MessageFrame::MapFrame(map).encode().unwrap();
        s.ingest(&bytes, &RxMeta::PLAIN, t(0.0)).unwrap();
    }
    assert_eq!(s.usage().intersections, 4);
    assert_eq!(s.world().map().counters().evicted, 16);
    // Garbage without polling: the event queue stays bounded and counts the overflow.
    for i in 0..100u8 {
        let _ = s.ingest(&[0xff, i, 0x13], &RxMeta::PLAIN, t(0.0));
    }
    assert_eq!(s.counters().decode_failed, 100);
    assert!(s.usage().events <= 16);
    assert!(s.counters().events_dropped >= 84);
    let events: Vec<Event> = s.poll(t(0.1)).collect();
    assert!(events.len() <= 17);
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Dropped {
            reason: DropReason::Decode(_),
            ..
        }
    )));
    // Oversized input is refused before decoding.
    let big = vec![0u8; 100_000];
    assert_eq!(
        s.ingest(&big, &RxMeta::PLAIN, t(0.2)),
        Err(DropReason::TooLarge)
    );
}

#[test]
fn stale_spat_suppresses_the_signal_and_rlvw() {
    use cv2x::world::Light::*;
    let sig = signal(&[(Red, 30.0), (ProtectedGreen, 30.0), (Yellow, 3.0)]);
    let f = frame();
    let map = build::map(&f, &sig, 1.0, 600.0).encode().unwrap();
    let run = |spat_until: f64| {
        let mut s = stack();
        let mut rlvw = 0;
        for k in 0..=40 {
            let ts = k as f64 * 0.1;
            let y = 40.0 + 12.0 * ts;
            s.set_ego(&ego(ts, y, 12.0)).unwrap();
            if k % 10 == 0 {
                s.ingest(&map, &RxMeta::PLAIN, t(ts)).unwrap();
            }
            if ts <= spat_until {
                let spat = build::spat(&sig, ts, t(ts), 0).unwrap().encode().unwrap();
                s.ingest(&spat, &RxMeta::PLAIN, t(ts)).unwrap();
            }
            s.poll(t(ts)).for_each(drop);
            rlvw += s
                .active_warnings()
                .iter()
                .filter(|a| {
                    a.warning.app == cv2x::apps::AppId::Rlvw && a.warning.level >= Level::Warning
                })
                .count();
        }
        (s, rlvw)
    };
    let (fresh, n) = run(f64::INFINITY);
    assert!(n > 0, "fresh SPAT: red ahead warns");
    assert!(fresh.lane().is_some());
    let (stale, n) = run(0.2);
    assert_eq!(n, 0, "stale SPAT must suppress RLVW");
    let lane = stale.lane().copied().expect("still matched to the lane");
    assert!(matches!(
        stale
            .world()
            .spat()
            .signal_for(lane.intersection, lane.phase_id, t(4.0), 1000),
        SignalInput::Stale { .. }
    ));
}

struct StripHeader;

impl SpduVerifier for StripHeader {
    fn verify<'a>(
        &mut self,
        spdu: &'a [u8],
        _now: Timestamp,
    ) -> Result<Verified<'a>, VerifyFailure> {
        match spdu {
            [0x03, 0x81, rest @ ..] => {
                let mut v = Verified::new(Cow::Borrowed(rest));
                v.psid = Some(111);
                Ok(v)
            }
            [0x03, ..] => Err(VerifyFailure::BadSignature),
            _ => Err(VerifyFailure::Malformed),
        }
    }
}

#[test]
fn secured_messages_go_through_the_verifier() {
    let bsm = car_bsm(build::actor_vehicle_id(5), 20.0, 5.0, 0.0);
    let mut spdu = vec![0x03, 0x81];
    spdu.extend_from_slice(&bsm);
    let mut s = Stack::new(
        StackConfig::default()
            .with_origin(ORIGIN)
            .with_require_signatures(true),
    )
    .unwrap();
    s.set_ego(&ego(0.0, 0.0, 0.0)).unwrap();
    assert_eq!(
        s.ingest(&spdu, &RxMeta::SPDU, t(0.0)),
        Err(DropReason::NoVerifier)
    );
    assert_eq!(
        s.ingest(&bsm, &RxMeta::PLAIN, t(0.0)),
        Err(DropReason::Unsigned)
    );
    s.set_verifier(Box::new(StripHeader));
    assert!(s.ingest(&spdu, &RxMeta::SPDU, t(0.0)).is_ok());
    spdu[1] = 0x80;
    assert_eq!(
        s.ingest(&spdu, &RxMeta::SPDU, t(0.0)),
        Err(DropReason::Verify(VerifyFailure::BadSignature))
    );
    let c = s.counters();
    assert_eq!(
        (c.verified, c.verify_failed, c.no_verifier, c.unsigned),
        (1, 1, 1, 1)
    );
}

#[test]
fn day2_coordination_is_an_event_and_stored() {
    let rsc = m::MessageFrame::MsgFrameExt(m::MessageFrameExt {
        message_id: 11,
        value: m::MessageFrameExtValue::RoadsideCoordination(m::RoadsideCoordination {
            msg_cnt: 1,
            id: build::RSU_ID,
            sec_mark: 0,
            ref_pos: cv2x::world::convert::to_wire::pos3d(&ORIGIN),
            coordinates: Some(vec![m::VehicleCoordination {
                veh_id: build::EGO_ID,
                drive_suggestion: None,
                path_guidance: None,
                info: None,
                unknown_ext: Default::default(),
            }]),
            lane_coordinates: None,
            unknown_ext: Default::default(),
        }),
        unknown_ext: Default::default(),
    });
    let mut s = stack();
    s.set_ego(&ego(0.0, 0.0, 0.0)).unwrap();
    s.ingest(&rsc.encode().unwrap(), &RxMeta::PLAIN, t(0.0))
        .unwrap();
    let evs: Vec<Event> = s.poll(t(0.0)).collect();
    assert!(evs.iter().any(|e| matches!(
        e,
        Event::DayII {
            event: cv2x::world::DayIIEvent {
                service: cv2x::world::DayIIService::Coordination,
                for_ego: true,
                ..
            },
            ..
        }
    )));
    assert_eq!(s.counters().day2, 1);
    assert_eq!(s.usage().day2, 1);
    let kept = &s.world().day2().coordination.entries()[0];
    assert_eq!(kept.rsu, build::RSU_ID);
    assert!(kept.for_ego.is_some());
}

#[test]
fn time_going_backwards_is_counted_not_fatal() {
    let mut s = stack();
    s.set_ego(&ego(1.0, 0.0, 0.0)).unwrap();
    let _ = s.poll(t(1.0)).count();
    let _ = s.poll(t(0.5)).count();
    assert_eq!(s.counters().time_went_backwards, 1);
    assert_eq!(
        s.set_ego(&ego(0.9, 0.0, 0.0)),
        Err(DropReason::TimeWentBackwards)
    );
}

#[test]
fn counting_and_utc_timing_agree() {
    use cv2x::world::Light::*;
    let mut sig = signal(&[(Red, 12.0), (ProtectedGreen, 20.0), (Yellow, 3.0)]);
    let mut stores = Vec::new();
    for form in [TimingForm::Counting, TimingForm::Utc] {
        sig.timing = form;
        let mut s = stack();
        let spat = build::spat(&sig, 5.0, t(5.0), 0).unwrap().encode().unwrap();
        s.ingest(&spat, &RxMeta::PLAIN, t(5.0)).unwrap();
        stores.push(s);
    }
    let phase = |s: &Stack| s.world().spat().signals()[0].phases[0].clone();
    let (a, b) = (phase(&stores[0]), phase(&stores[1]));
    for dt in [0.0, 6.9, 7.1, 20.0, 26.9, 27.1, 29.9, 30.1, 40.0] {
        assert_eq!(a.light_at(t(5.0 + dt)), b.light_at(t(5.0 + dt)), "{dt}");
    }
    assert_eq!(a.light_at(t(5.0)), Some(Red));
    assert_eq!(a.light_at(t(13.0)), Some(ProtectedGreen));
    assert_eq!(a.light_at(t(33.5)), Some(Yellow));
    assert_eq!(a.light_at(t(36.0)), Some(Red), "next occurrence");
}

#[test]
fn roadside_and_onboard_views_of_one_car_are_one_object() {
    use cv2x::fusion::{
        ObjectClass, ObsCovariance, ObsMotion, ObsPosition, Observation, SourceId, SourceKind,
        SourceType,
    };
    let mut s = stack();
    for k in 0..20 {
        let ts = k as f64 * 0.1;
        let ego_y = 10.0 * ts;
        s.set_ego(&ego(ts, ego_y, 10.0)).unwrap();
        let y = 40.0 + 8.0 * ts;
        s.ingest(&rsm_of(&[(4, None, y, 8.0)], ts), &RxMeta::PLAIN, t(ts))
            .unwrap();
        let seen = Observation {
            source: SourceId {
                kind: SourceKind::Onboard,
                station: 0,
            },
            object_id: 77,
            vehicle_id: None,
            source_type: SourceType::Lidar,
            time: t(ts),
            position: ObsPosition::Ego {
                x_m: y - ego_y,
                y_m: 0.0,
            },
            motion: ObsMotion::SpeedHeading {
                speed_mps: 8.0,
                heading_deg: 0.0,
            },
            yaw_rate_rps: None,
            accel_mps2: None,
            size: None,
            class: ObjectClass::Motor,
            covariance: ObsCovariance::default(),
        };
        assert_eq!(s.add_onboard_tracks(&[seen], t(ts)), 1);
        let _ = s.poll(t(ts)).count();
    }
    assert_eq!(s.objects().len(), 1, "{:#?}", s.objects());
    assert!(!s.objects()[0].v2x_only);
}

#[test]
fn sensor_sharing_participants_become_objects() {
    let mut s = stack();
    let mut events = 0;
    for k in 0..10 {
        let ts = k as f64 * 0.1;
        s.set_ego(&ego(ts, 0.0, 0.0)).unwrap();
        let p = Participant {
            ptc_id: 3,
            kind: Kind::Pedestrian,
            id: None,
            state: state(60.0, 0.0),
            position: at(0.0, 60.0),
            time: t(ts),
            length_m: 0.5,
            width_m: 0.5,
            noise_m: 0.3,
        };
        let ssm = build::ssm(build::SSM_ID, &at(5.0, 20.0), &[p], t(ts), 0);
        s.ingest(&ssm.encode().unwrap(), &RxMeta::PLAIN, t(ts))
            .unwrap();
        events += s
            .poll(t(ts))
            .filter(|e| matches!(e, Event::DayII { .. }))
            .count();
    }
    assert_eq!(events, 10);
    assert_eq!(
        s.counters().ssm,
        10,
        "{:?} {:?}",
        s.counters(),
        s.tracker().counters()
    );
    assert_eq!(
        s.objects().len(),
        1,
        "{:?} {:?} {:?}",
        s.counters(),
        s.tracker().counters(),
        s.tracker().tracks()
    );
    assert_eq!(s.objects()[0].class, cv2x::fusion::ObjectClass::Pedestrian);
}

#[cfg(feature = "security")]
#[test]
fn signed_scenario_messages_are_verified_and_tampering_is_caught() {
    use cv2x::security::cert::KeyAlg;
    use cv2x::testing::scenario::{RunOptions, Scenario, run};
    let sc = Scenario::from_json(
        r#"{"name":"signed","duration_s":2,"ego":{"speed_mps":10},
            "actors":[{"id":1,"x":0,"y":40,"speed_mps":5,"seen_by":["bsm","rsm"]}],
            "signal":{"stop_line_y":100,"speed_limit_kph":60,"plan":[["red",30]]},
            "expect":[{"app":"GLOSA","by_s":0.5}]}"#,
    )
    .unwrap();
    for alg in [KeyAlg::EcdsaP256, KeyAlg::Sm2] {
        let o = run(&sc, RunOptions::signed(alg).unwrap());
        assert!(o.passed(), "{:?}", o.failures);
        assert_eq!(o.counters.verified, o.messages);
        assert_eq!(o.counters.verify_failed, 0);
    }
    // A verifier that trusts another PKI rejects everything: nothing reaches the apps.
    let mut opts = RunOptions::signed(KeyAlg::EcdsaP256).unwrap();
    opts.verifier = RunOptions::signed(KeyAlg::Sm2).unwrap().verifier;
    let o = run(&sc, opts);
    assert!(!o.passed());
    assert_eq!(o.counters.verified, 0);
    assert_eq!(o.counters.verify_failed, o.messages);
}
