//! The whole receive pipeline (`Stack::ingest` + `Stack::poll`) on a dense intersection:
//! 100 vehicles sending BSMs at 10 Hz, 4 RSUs each sending an RSM (16 participants) and a SPAT
//! at 10 Hz and a MAP at 1 Hz, the ego polling at 10 Hz.
//!
//! Traffic: four 400 m roads crossing at the origin, 25 vehicles per road (16 m apart, two
//! directions), all at 13.3 m/s so the traffic repeats every 60 s (the period of `secMark`):
//! 60 s of messages are built and encoded once, then replayed with time running on.
//!
//! Printed before the criterion runs:
//! - **real-time factor** with signatures off: simulated seconds per wall-clock second on one
//!   core (the bar is 20×);
//! - **cost per message with signatures on** (feature `security`), for ECDSA P-256 and SM2
//!   ([`signed_setups`]: the test PKI, one pseudonym signing every message by digest, the
//!   stack requiring signatures): 32 s of traffic signed once (each message with its own
//!   generation time, so none is a replay or too old), 2 s of warm-up (the first message does
//!   the chain work), then 30 s measured.
//!
//! `cargo bench --bench pipeline --features security,sm2-fast` (without `sm2-fast` SM2 is
//! verified with RustCrypto `sm2`, about half as fast)
use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use cv2x::VehicleState;
use cv2x::codec::Uper;
use cv2x::geo::{EnuFrame, Wgs84};
use cv2x::msg::v2020 as m;
use cv2x::stack::{RxMeta, SpduVerifier, Stack, StackConfig};
use cv2x::testing::scenario::build::{self, Participant, VehicleInfo};
use cv2x::testing::scenario::{Kind, MessageSigner, MotionState, Signal};
use cv2x::time::Timestamp;
use cv2x::world::Light;

const ORIGIN: Wgs84 = Wgs84 {
    lat_deg: 31.2,
    lon_deg: 121.5,
    alt_m: 0.0,
};
const VEHICLES: usize = 100;
const RSUS: usize = 4;
const STEPS: usize = 600;
const ROAD_M: f64 = 400.0;
const SPEED: f64 = ROAD_M * 2.0 / 60.0;

fn t(step: usize) -> Timestamp {
    // 2026-03-01 08:00:00 UTC: a whole minute, so step 600k has secMark 0.
    Timestamp::from_unix_utc_millis(1_772_352_000_000).add_millis(step as i64 * 100)
}

/// One step's messages: (bytes, AID).
type Step = Vec<(Vec<u8>, u32)>;

fn vehicle_state(i: usize, t_s: f64) -> MotionState {
    let road = i % 4;
    let k = i / 4;
    let dir = if k % 2 == 0 { 1.0 } else { -1.0 };
    let s0 = k as f64 * 16.0;
    let s = (s0 + dir * SPEED * t_s).rem_euclid(ROAD_M) - ROAD_M / 2.0;
    let lane = dir * 1.75;
    let (x, y, heading) = match road {
        0 => (lane, s, if dir > 0.0 { 0.0 } else { 180.0 }),
        1 => (s, -lane, if dir > 0.0 { 90.0 } else { 270.0 }),
        2 => (lane + 40.0, s, if dir > 0.0 { 0.0 } else { 180.0 }),
        _ => (s, -lane + 40.0, if dir > 0.0 { 90.0 } else { 270.0 }),
    };
    MotionState {
        x,
        y,
        heading_deg: heading,
        speed_mps: SPEED,
        ..MotionState::default()
    }
}

/// `n` steps of traffic from time zero, each message sealed by `signer` when given.
fn traffic(signer: &mut Option<Box<dyn MessageSigner>>, n: usize) -> Vec<Step> {
    let frame = EnuFrame::new(ORIGIN).expect("origin");
    let at = |x: f64, y: f64| frame.wgs84_from_enu(&nalgebra::Vector3::new(x, y, 0.0));
    let rsus = [(0.0, 0.0), (40.0, 0.0), (0.0, 40.0), (40.0, 40.0)];
    let signal = Signal {
        speed_limit_kph: Some(50.0),
        ..Signal::new(
            -12.0,
            -1.75,
            vec![
                (Light::Red, 30.0),
                (Light::ProtectedGreen, 27.0),
                (Light::Yellow, 3.0),
            ],
        )
    };
    // Each RSU's MAP and SPAT differ in msgCnt, so that signed copies are not replays.
    let maps: Vec<Vec<u8>> = (0..RSUS)
        .map(|r| {
            let mut map = build::map(&frame, &signal, 1.0, 600.0);
            if let m::MessageFrame::MapFrame(x) = &mut map {
                x.msg_cnt = r as u8;
            }
            map.encode().expect("map")
        })
        .collect();
    let mut seal = |bytes: Vec<u8>, aid: u32, now: Timestamp| match signer.as_mut() {
        Some(s) => s.sign(&bytes, aid, now).expect("signing"),
        None => bytes,
    };
    let mut steps = Vec::with_capacity(n);
    for k in 0..n {
        let t_s = k as f64 * 0.1;
        let now = t(k);
        let mut msgs: Step = Vec::with_capacity(VEHICLES + 3 * RSUS);
        let states: Vec<MotionState> = (0..VEHICLES).map(|i| vehicle_state(i, t_s)).collect();
        for (i, s) in states.iter().enumerate() {
            let info = VehicleInfo {
                id: build::actor_vehicle_id(i as u32 + 1),
                kind: Kind::Car,
                length_m: 4.5,
                width_m: 1.8,
                noise_m: 0.5,
            };
            let bytes = build::bsm(&info, s, &at(s.x, s.y), now, k as u8)
                .encode()
                .expect("bsm");
            msgs.push((seal(bytes, 111, now), 111));
        }
        for (r, &(rx, ry)) in rsus.iter().enumerate() {
            // The 16 vehicles nearest this RSU, 100 ms old.
            let mut near: Vec<(f64, usize)> = (0..VEHICLES)
                .map(|i| {
                    let s = &states[i];
                    ((s.x - rx).hypot(s.y - ry), i)
                })
                .collect();
            near.sort_by(|a, b| a.0.total_cmp(&b.0));
            let parts: Vec<Participant> = near
                .iter()
                .take(16)
                .map(|&(_, i)| {
                    let s = vehicle_state(i, t_s - 0.1);
                    Participant {
                        ptc_id: i as u16 + 1,
                        kind: Kind::Car,
                        id: None,
                        state: s,
                        position: at(s.x, s.y),
                        time: now.add_millis(-100),
                        length_m: 4.5,
                        width_m: 1.8,
                        noise_m: 0.3,
                    }
                })
                .collect();
            let mut rsm = build::rsm(&at(rx, ry), &parts, k as u8);
            if let m::MessageFrame::RsmFrame(x) = &mut rsm {
                x.id[7] = r as u8;
            }
            msgs.push((seal(rsm.encode().expect("rsm"), 3623, now), 3623));
            let spat = build::spat(&signal, t_s, now, (k + 32 * r) as u8).expect("spat");
            msgs.push((seal(spat.encode().expect("spat"), 3619, now), 3619));
            if k % 10 == 0 {
                msgs.push((seal(maps[r].clone(), 3618, now), 3618));
            }
        }
        steps.push(msgs);
    }
    steps
}

fn ego(k: usize) -> VehicleState {
    let frame = EnuFrame::new(ORIGIN).expect("origin");
    let w = frame.wgs84_from_enu(&nalgebra::Vector3::new(-1.75, -40.0, 0.0));
    VehicleState::new(t(k), w.lat_deg, w.lon_deg, 0.0, 0.0).with_accuracy(0.5, 1.0)
}

/// Runs `n` steps from step `start`; returns the number of messages ingested.
fn run_steps(stack: &mut Stack, steps: &[Step], start: usize, n: usize, meta: &RxMeta) -> usize {
    let mut msgs = 0;
    for k in start..start + n {
        let now = t(k);
        let _ = stack.set_ego(&ego(k));
        for (bytes, _) in &steps[k % steps.len()] {
            let _ = black_box(stack.ingest(bytes, meta, now));
            msgs += 1;
        }
        black_box(stack.poll(now).count());
    }
    msgs
}

fn config() -> StackConfig {
    StackConfig::default()
        .with_origin(ORIGIN)
        .with_report_drops(false)
}

fn new_stack() -> Stack {
    let mut s = Stack::new(config()).expect("stack");
    s.set_temporary_id(Some(build::EGO_ID));
    s
}

/// A named signer and the verifier that goes with it.
type SignedSetup = (&'static str, Box<dyn MessageSigner>, Box<dyn SpduVerifier>);

/// Signed traffic: steps signed, of which the first are warm-up.
const SIGNED_STEPS: usize = 320;
const SIGNED_WARMUP: usize = 20;

/// The signers and verifiers for the signatures-on measurement: the test PKI for ECDSA P-256
/// and for SM2, valid at time zero.
#[cfg(feature = "security")]
fn signed_setups() -> Vec<SignedSetup> {
    use cv2x::security::cert::KeyAlg;
    use cv2x::testing::pki::test_pair;
    let sm2 = if cfg!(feature = "sm2-fast") {
        "SM2 (efficient-sm2)"
    } else {
        "SM2 (RustCrypto sm2)"
    };
    [("ECDSA P-256", KeyAlg::EcdsaP256), (sm2, KeyAlg::Sm2)]
        .into_iter()
        .map(|(name, alg)| {
            let (signer, verifier) = test_pair(alg, t(0)).expect("test PKI");
            let signer: Box<dyn MessageSigner> = Box::new(signer);
            let verifier: Box<dyn SpduVerifier> = Box::new(verifier);
            (name, signer, verifier)
        })
        .collect()
}

/// Without the security layer there is nothing to measure with signatures on.
#[cfg(not(feature = "security"))]
fn signed_setups() -> Vec<SignedSetup> {
    Vec::new()
}

fn report() {
    let steps = traffic(&mut None, STEPS);
    let mut stack = new_stack();
    // Warm up 10 s, then measure 60 s of traffic.
    run_steps(&mut stack, &steps, 0, 100, &RxMeta::PLAIN);
    let start = Instant::now();
    let n = run_steps(&mut stack, &steps, 100, STEPS, &RxMeta::PLAIN);
    let wall = start.elapsed().as_secs_f64();
    let sim = STEPS as f64 * 0.1;
    let plain_us = wall * 1e6 / n as f64;
    println!(
        "pipeline/dense: {n} messages in {sim:.0} s simulated, {wall:.3} s wall: real-time factor {:.1}x (signatures off), {plain_us:.2} us per message incl. polls; {} fused objects",
        sim / wall,
        stack.objects().len()
    );
    let setups = signed_setups();
    if setups.is_empty() {
        println!(
            "pipeline/dense: signatures on: no verifier in this build (run with --features security)"
        );
    }
    for (name, signer, verifier) in setups {
        let signed = traffic(&mut Some(signer), SIGNED_STEPS);
        let mut stack = Stack::new(config().with_require_signatures(true)).expect("stack");
        stack.set_verifier(verifier);
        run_steps(&mut stack, &signed, 0, SIGNED_WARMUP, &RxMeta::SPDU);
        let measured = SIGNED_STEPS - SIGNED_WARMUP;
        let start = Instant::now();
        let n = run_steps(&mut stack, &signed, SIGNED_WARMUP, measured, &RxMeta::SPDU);
        let wall_signed = start.elapsed().as_secs_f64();
        let c = stack.counters();
        let signed_us = wall_signed * 1e6 / n as f64;
        println!(
            "pipeline/dense: signatures on, {name}: {signed_us:.2} us per message ({:.2} us verification), real-time factor {:.1}x; {} verified, {} failed verification",
            signed_us - plain_us,
            measured as f64 * 0.1 / wall_signed,
            c.verified,
            c.verify_failed
        );
    }
}

fn bench(c: &mut Criterion) {
    report();
    let steps = traffic(&mut None, STEPS);
    let mut stack = new_stack();
    let mut k = 0usize;
    run_steps(&mut stack, &steps, 0, 100, &RxMeta::PLAIN);
    k += 100;
    c.bench_function("pipeline/dense_100ms_step", |b| {
        b.iter(|| {
            run_steps(&mut stack, &steps, k, 1, &RxMeta::PLAIN);
            k += 1;
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
