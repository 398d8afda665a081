//! Arbitrary bytes and times through `Stack`: ingest (plain and secured), ego states and polls
//! in any order, with time jumping back and forth, verifying all SPDUs or vehicles' on demand.
//! Nothing panics, every bounded store and queue stays within its limit, and every message is
//! accepted or dropped.
//!
//! The stack verifies with the test PKI (ECDSA P-256). When the first input byte has its top
//! bit set it verifies on demand (`VerifyPolicy::OnDemand`, 8 senders, 512-octet SPDUs kept,
//! samples every 300 ms on average), else every SPDU before use.
//!
//! Input: records of `op` (1 byte, modulo 5), `dt_ms` (i16, big-endian), then per op: 0/1
//! ingest plain / SPDU (`len` u16 + bytes), 2 ego state (8 bytes), 3 poll, 4 sign and ingest
//! (`f` 1 byte, `len` u16 + the frame to sign): the frame is signed by the test PKI's
//! pseudonym (generation time `now` minus `f >> 4` × 100 ms); `f & 1` flips the last octet of
//! the signature, `f & 2` flips octet `f × 7` of the SPDU.
#![no_main]
use cv2x::VehicleState;
use cv2x::geo::Wgs84;
use cv2x::net::PayloadKind;
use cv2x::security::cert::KeyAlg;
use cv2x::stack::{RxMeta, Stack, StackConfig, VerifyPolicy};
use cv2x::testing::pki::test_pair;
use cv2x::time::Timestamp;
use cv2x::world::TurnSignal;
use cv2x::world::WorldConfig;
use libfuzzer_sys::fuzz_target;

const MAX_EVENTS: usize = 64;
const MAX_SENDERS: usize = 8;
const MAX_KEPT: usize = 512;

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
    let on_demand = data.first().is_some_and(|b| b & 0x80 != 0);
    let policy = if on_demand {
        VerifyPolicy::OnDemand {
            sample_interval_ms: 300,
            max_senders: MAX_SENDERS,
            max_kept_bytes: MAX_KEPT,
            quarantine_ms: 1000,
            sender_max_age_ms: 2000,
        }
    } else {
        VerifyPolicy::Always
    };
    let config = StackConfig::default()
        .with_origin(Wgs84::new(39.9, 116.4, 0.0))
        .with_max_events(MAX_EVENTS)
        .with_world(world)
        .with_verify_policy(policy);
    let Ok(mut stack) = Stack::new(config) else {
        return;
    };
    stack.set_temporary_id(Some(*b"EGO\0\0\0\0\x01"));
    let start = Timestamp::from_unix_utc_millis(1_772_352_000_000);
    let Ok((signer, verifier)) = test_pair(KeyAlg::EcdsaP256, start) else {
        return;
    };
    stack.set_verifier(Box::new(verifier));
    let tracker_bytes = stack.tracker().capacity_bytes();
    let mut now = start;
    let mut d = data;
    while let Some(h) = take(&mut d, 3) {
        let dt = i16::from_be_bytes([h[1], h[2]]);
        now = now.add_millis(i64::from(dt));
        match h[0] % 5 {
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
            3 => {
                let n = stack.poll(now).count();
                assert!(n <= MAX_EVENTS, "poll returned {n} events");
            }
            _ => {
                let Some(fl) = take(&mut d, 3) else { break };
                let f = fl[0];
                let len = usize::from(u16::from_be_bytes([fl[1], fl[2]])).min(d.len());
                let Some(frame) = take(&mut d, len) else {
                    break;
                };
                let generated = now.add_millis(-i64::from(f >> 4) * 100);
                let Ok(mut spdu) = signer.sign(frame, 111, generated) else {
                    continue;
                };
                if f & 1 != 0 {
                    if let Some(last) = spdu.last_mut() {
                        *last ^= 0x01;
                    }
                }
                if f & 2 != 0 {
                    let at = usize::from(f) * 7 % spdu.len().max(1);
                    if let Some(b) = spdu.get_mut(at) {
                        *b ^= 0x10;
                    }
                }
                let _ = stack.ingest(&spdu, &RxMeta::SPDU, now);
            }
        }
        let u = stack.usage();
        assert!(u.events <= MAX_EVENTS);
        assert!(u.intersections <= 4 && u.signals <= 4);
        assert!(u.road_info <= 8 && u.vehicles <= 16 && u.day2 <= 4);
        assert!(u.tracks <= stack.config().fusion.max_tracks);
        assert!(u.senders <= MAX_SENDERS && u.kept_bytes <= MAX_SENDERS * MAX_KEPT);
        assert!(on_demand || u.senders == 0);
        let c = stack.counters();
        assert_eq!(c.received, c.accepted + c.dropped);
        assert!(c.deferred <= c.accepted);
        assert_eq!(stack.tracker().capacity_bytes(), tracker_bytes);
        assert!(stack.tracker().check_invariants().is_ok());
    }
});
