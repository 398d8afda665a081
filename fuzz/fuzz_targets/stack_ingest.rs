//! Arbitrary bytes and times through `Stack`: ingest (plain and secured), ego states and polls
//! in any order, with time jumping back and forth. Nothing panics, and every bounded store and
//! queue stays within its limit.
//!
//! Input: records of `op` (1 byte), `dt_ms` (i16, big-endian), then per op: 0/1 ingest plain /
//! SPDU (`len` u16 + bytes), 2 ego state (8 bytes), 3 poll.
#![no_main]
use cv2x::VehicleState;
use cv2x::geo::Wgs84;
use cv2x::net::PayloadKind;
use cv2x::stack::{RxMeta, Stack, StackConfig};
use cv2x::time::Timestamp;
use cv2x::world::TurnSignal;
use cv2x::world::WorldConfig;
use libfuzzer_sys::fuzz_target;

const MAX_EVENTS: usize = 64;

fn take<'a>(d: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if d.len() < n {
        return None;
    }
    let (a, b) = d.split_at(n);
    *d = b;
    Some(a)
}

fuzz_target!(|data: &[u8]| {
    let mut world = WorldConfig::default();
    world.max_intersections = 4;
    world.max_road_info = 8;
    world.max_vehicles = 16;
    world.max_day2 = 4;
    let config = StackConfig::default()
        .with_origin(Wgs84::new(39.9, 116.4, 0.0))
        .with_max_events(MAX_EVENTS)
        .with_world(world);
    let Ok(mut stack) = Stack::new(config) else {
        return;
    };
    stack.set_temporary_id(Some(*b"EGO\0\0\0\0\x01"));
    let tracker_bytes = stack.tracker().capacity_bytes();
    let mut now = Timestamp::from_unix_utc_millis(1_772_352_000_000);
    let mut d = data;
    while let Some(h) = take(&mut d, 3) {
        let dt = i16::from_be_bytes([h[1], h[2]]);
        now = now.add_millis(i64::from(dt));
        match h[0] % 4 {
            op @ (0 | 1) => {
                let Some(l) = take(&mut d, 2) else { break };
                let len = usize::from(u16::from_be_bytes([l[0], l[1]])).min(d.len());
                let Some(bytes) = take(&mut d, len) else {
                    break;
                };
                let meta = RxMeta {
                    kind: if op == 0 {
                        PayloadKind::MessageFrame
                    } else {
                        PayloadKind::Spdu
                    },
                    aid: None,
                    source: None,
                };
                let _ = stack.ingest(bytes, &meta, now);
            }
            2 => {
                let Some(e) = take(&mut d, 8) else { break };
                let dlat = f64::from(i16::from_be_bytes([e[0], e[1]])) * 1e-5;
                let dlon = f64::from(i16::from_be_bytes([e[2], e[3]])) * 1e-5;
                let mut state = VehicleState::new(
                    now,
                    39.9 + dlat,
                    116.4 + dlon,
                    f64::from(u16::from_be_bytes([e[4], e[5]])) * 0.01,
                    f64::from(e[6]) * 0.2,
                )
                .with_accuracy(0.5, 1.0);
                state.yaw_rate_dps = Some(-f64::from(e[7] as i8) * 0.01f64.to_degrees());
                state.accel_long_mps2 = Some(f64::from(e[7] as i8) * 0.05);
                state.set_turn_signal(match e[7] % 4 {
                    0 => TurnSignal::None,
                    1 => TurnSignal::Left,
                    2 => TurnSignal::Right,
                    _ => TurnSignal::Hazard,
                });
                let _ = stack.set_ego(&state);
            }
            _ => {
                let n = stack.poll(now).count();
                assert!(n <= MAX_EVENTS, "poll returned {n} events");
            }
        }
        let u = stack.usage();
        assert!(u.events <= MAX_EVENTS);
        assert!(u.intersections <= 4 && u.signals <= 4);
        assert!(u.road_info <= 8 && u.vehicles <= 16 && u.day2 <= 4);
        assert!(u.tracks <= stack.config().fusion.max_tracks);
        assert_eq!(stack.tracker().capacity_bytes(), tracker_bytes);
        assert!(stack.tracker().check_invariants().is_ok());
    }
});
