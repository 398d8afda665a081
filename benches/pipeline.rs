//! The whole receive pipeline (`Stack::ingest` + `Stack::poll`) on a dense intersection:
//! 100 vehicles sending BSMs at 10 Hz, 4 RSUs each sending an RSM (16 participants) and a SPAT
//! at 10 Hz and a MAP at 1 Hz, the ego polling at 10 Hz; and on a highway: 200 vehicles
//! sending BSMs at 10 Hz on six lanes of a 2 km stretch, the ego driving among them.
//!
//! Traffic: four 400 m roads crossing at the origin, 25 vehicles per road (16 m apart, two
//! directions), all at 13.3 m/s so the traffic repeats every 60 s (the period of `secMark`):
//! 60 s of messages are built and encoded once, then replayed with time running on.
//!
//! Printed before the criterion runs:
//! - **real-time factor** with signatures off: simulated seconds per wall-clock second on one
//!   core (the bar is 20×);
//! - **cost per message with signatures on**, for ECDSA P-256 and SM2 (the test PKI, one
//!   pseudonym signing every message by digest, the stack requiring signatures): 32 s of traffic signed once (each message with its own
//!   generation time, so none is a replay or too old), 2 s of warm-up (the first message does
//!   the chain work), then 30 s measured. SM2 is verified with the precomputed-table verifier
//!   (`security::precomp`, the default `Sm2Verifier::Precomputed`), P-256 with `ring` and, for a
//!   key that has verified enough signatures, the same tables;
//! - **verify on demand against verify all**, side by side on the same signed traffic
//!   ([`compare_policies`]): on the dense intersection and on the highway, with SM2 and with
//!   P-256, every sender with a pseudonym certificate of its own (digest-signed; the verifier
//!   knows the certificates, the first message of each signer does the chain work), 2 s of
//!   warm-up then 30 s measured under `VerifyPolicy::Always` and under
//!   `VerifyPolicy::on_demand()`: signature verifications per second of simulated time and
//!   µs per message (ingest and poll), and their ratios. The bar: on the dense intersection
//!   with SM2, verify on demand needs at least 5× fewer verifications per second.
//!
//! `cargo bench --bench pipeline --features testing`
use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use cv2x::VehicleState;
use cv2x::codec::Uper;
use cv2x::geo::{EnuFrame, Wgs84};
use cv2x::msg::v2020 as m;
use cv2x::net::aid::DAY1_TABLE;
use cv2x::security::cert::{KeyAlg, PsidSsp};
use cv2x::security::{Config as SecConfig, SpduSigner, Verifier};
use cv2x::stack::{RxMeta, Stack, StackConfig, VerifyPolicy};
use cv2x::testing::pki::{TestPki, test_pair};
use cv2x::testing::scenario::build::{self, Participant, VehicleInfo};
use cv2x::testing::scenario::{Kind, MotionState, Signal};
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

/// Seals an encoded message of sender `i` (vehicle `i`, or RSU `i - VEHICLES`) of application
/// `aid` sent at `now`: signs it, or leaves it plain.
type Seal<'a> = dyn FnMut(usize, Vec<u8>, u32, Timestamp) -> Vec<u8> + 'a;

/// Leaves every message plain.
fn plain(_: usize, bytes: Vec<u8>, _: u32, _: Timestamp) -> Vec<u8> {
    bytes
}

/// `n` steps of the dense intersection from time zero, each message sealed by `seal`.
fn traffic(seal: &mut Seal<'_>, n: usize) -> Vec<Step> {
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
    let mut steps = Vec::with_capacity(n);
    for k in 0..n {
        let t_s = k as f64 * 0.1;
        let now = t(k);
        let mut msgs: Step = Vec::with_capacity(VEHICLES + 3 * RSUS);
        let states: Vec<MotionState> = (0..VEHICLES).map(|i| vehicle_state(i, t_s)).collect();
        for (i, s) in states.iter().enumerate() {
            msgs.push((seal(i, bsm_of(i, s, &at(s.x, s.y), now, k), 111, now), 111));
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
            let sender = VEHICLES + r;
            msgs.push((seal(sender, rsm.encode().expect("rsm"), 3623, now), 3623));
            let spat = build::spat(&signal, t_s, now, (k + 32 * r) as u8).expect("spat");
            msgs.push((seal(sender, spat.encode().expect("spat"), 3619, now), 3619));
            if k % 10 == 0 {
                msgs.push((seal(sender, maps[r].clone(), 3618, now), 3618));
            }
        }
        steps.push(msgs);
    }
    steps
}

/// Vehicle `i`'s BSM at step `k`.
fn bsm_of(i: usize, s: &MotionState, at: &Wgs84, now: Timestamp, k: usize) -> Vec<u8> {
    let info = VehicleInfo {
        id: build::actor_vehicle_id(i as u32 + 1),
        kind: Kind::Car,
        length_m: 4.5,
        width_m: 1.8,
        noise_m: 0.5,
    };
    build::bsm(&info, s, at, now, k as u8)
        .encode()
        .expect("bsm")
}

/// Vehicles on the highway.
const HIGHWAY_VEHICLES: usize = 200;
/// Length of the highway stretch, m.
const HIGHWAY_M: f64 = 2000.0;

/// Highway vehicle `i` at `t_s`: three lanes each way (x = ±1.75, ±5.25, ±8.75 m) at 22, 27
/// and 32 m/s, 200 vehicles spread along a 2 km stretch (wrapping at its ends).
fn highway_state(i: usize, t_s: f64) -> MotionState {
    let lane = i % 6;
    let dir = if lane < 3 { 1.0 } else { -1.0 };
    let l = (lane % 3) as f64;
    let speed = 22.0 + 5.0 * l;
    let slot = (i / 6) as f64 * HIGHWAY_M / (HIGHWAY_VEHICLES / 6 + 1) as f64 + 11.0 * l;
    let y = (slot + dir * speed * t_s).rem_euclid(HIGHWAY_M) - HIGHWAY_M / 2.0;
    MotionState {
        x: dir * (1.75 + 3.5 * l),
        y,
        heading_deg: if dir > 0.0 { 0.0 } else { 180.0 },
        speed_mps: speed,
        ..MotionState::default()
    }
}

/// `n` steps of the highway from time zero, each BSM sealed by `seal`.
fn highway(seal: &mut Seal<'_>, n: usize) -> Vec<Step> {
    let frame = EnuFrame::new(ORIGIN).expect("origin");
    let at = |x: f64, y: f64| frame.wgs84_from_enu(&nalgebra::Vector3::new(x, y, 0.0));
    (0..n)
        .map(|k| {
            let now = t(k);
            (0..HIGHWAY_VEHICLES)
                .map(|i| {
                    let s = highway_state(i, k as f64 * 0.1);
                    (seal(i, bsm_of(i, &s, &at(s.x, s.y), now, k), 111, now), 111)
                })
                .collect()
        })
        .collect()
}

/// The ego at the intersection, waiting 40 m south of it.
fn ego(k: usize) -> VehicleState {
    let frame = EnuFrame::new(ORIGIN).expect("origin");
    let w = frame.wgs84_from_enu(&nalgebra::Vector3::new(-1.75, -40.0, 0.0));
    VehicleState::new(t(k), w.lat_deg, w.lon_deg, 0.0, 0.0).with_accuracy(0.5, 1.0)
}

/// The ego on the highway: the middle northbound lane at 27 m/s, from 500 m south.
fn highway_ego(k: usize) -> VehicleState {
    let frame = EnuFrame::new(ORIGIN).expect("origin");
    let y = -500.0 + 27.0 * k as f64 * 0.1;
    let w = frame.wgs84_from_enu(&nalgebra::Vector3::new(5.25, y, 0.0));
    VehicleState::new(t(k), w.lat_deg, w.lon_deg, 0.0, 27.0).with_accuracy(0.5, 1.0)
}

/// Runs `n` steps from step `start` with the ego of `ego`; returns the number of messages
/// ingested.
fn run_steps_with(
    stack: &mut Stack,
    steps: &[Step],
    start: usize,
    n: usize,
    meta: &RxMeta,
    ego: fn(usize) -> VehicleState,
) -> usize {
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

/// [`run_steps_with`] at the intersection.
fn run_steps(stack: &mut Stack, steps: &[Step], start: usize, n: usize, meta: &RxMeta) -> usize {
    run_steps_with(stack, steps, start, n, meta, ego)
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

/// Signed traffic: steps signed, of which the first are warm-up.
const SIGNED_STEPS: usize = 320;
const SIGNED_WARMUP: usize = 20;

/// The algorithms measured with signatures on, with their verifiers' names.
const ALGS: [(&str, KeyAlg); 2] = [
    ("ECDSA P-256", KeyAlg::EcdsaP256),
    ("SM2 (precomputed tables)", KeyAlg::Sm2),
];

/// One scene of the policy comparison.
struct Scene {
    name: &'static str,
    senders: usize,
    traffic: fn(&mut Seal<'_>, usize) -> Vec<Step>,
    ego: fn(usize) -> VehicleState,
}

const SCENES: [Scene; 2] = [
    Scene {
        name: "dense",
        senders: VEHICLES + RSUS,
        traffic,
        ego,
    },
    Scene {
        name: "highway",
        senders: HIGHWAY_VEHICLES,
        traffic: highway,
        ego: highway_ego,
    },
];

/// What one policy did on one scene's measured steps.
struct Measured {
    verifications_per_s: f64,
    us_per_message: f64,
    failed: u64,
    deferred: u64,
    warnings_raised: u64,
}

/// Runs the signed `steps` of `scene` through a new stack under `policy`, with a verifier
/// that trusts `pki` and knows the `signers`' certificates.
fn measure(
    scene: &Scene,
    steps: &[Step],
    pki: &TestPki,
    signers: &[SpduSigner],
    policy: VerifyPolicy,
) -> Measured {
    let mut v = Verifier::new(SecConfig {
        pool_capacity: 1024,
        ..SecConfig::default()
    });
    v.add_trust_anchor(pki.root_cert()).expect("root");
    v.add_certificate(pki.ca_cert()).expect("CA");
    for s in signers {
        v.add_certificate(s.certificate()).expect("pseudonym");
    }
    let config = config()
        .with_require_signatures(true)
        .with_verify_policy(policy);
    let mut stack = Stack::new(config).expect("stack");
    stack.set_temporary_id(Some(build::EGO_ID));
    stack.set_verifier(Box::new(v));
    let meta = RxMeta::SPDU;
    run_steps_with(&mut stack, steps, 0, SIGNED_WARMUP, &meta, scene.ego);
    let before = *stack.counters();
    let measured = SIGNED_STEPS - SIGNED_WARMUP;
    let start = Instant::now();
    let n = run_steps_with(&mut stack, steps, SIGNED_WARMUP, measured, &meta, scene.ego);
    let wall = start.elapsed().as_secs_f64();
    let c = stack.counters();
    Measured {
        verifications_per_s: (c.verified - before.verified) as f64 / (measured as f64 * 0.1),
        us_per_message: wall * 1e6 / n as f64,
        failed: c.verify_failed,
        deferred: c.deferred - before.deferred,
        warnings_raised: c.warnings_raised,
    }
}

/// Verify on demand against verify all, side by side on the same signed traffic, for every
/// scene and algorithm. Returns whether the bar held (dense intersection, SM2: at least 5x
/// fewer verifications per second).
fn compare_policies() -> bool {
    let mut bar = None;
    for scene in &SCENES {
        for (name, alg) in ALGS {
            let pki = TestPki::new(alg, b"pipeline bench pki", t(0)).expect("test PKI");
            let aids: Vec<u64> = DAY1_TABLE.iter().map(|(a, _)| u64::from(a.0)).collect();
            let signers: Vec<SpduSigner> = (0..scene.senders)
                .map(|i| {
                    let key = pki.key(&format!("sender {i}")).expect("key");
                    let mut tmpl = pki.template(&key, Some(pki.ca_cert()));
                    tmpl.fields.app_permissions = aids
                        .iter()
                        .map(|&psid| PsidSsp { psid, ssp: None })
                        .collect();
                    let cert = pki.issue_by_ca(&tmpl, &key).expect("certificate");
                    SpduSigner::new(key, &cert).expect("signer")
                })
                .collect();
            let steps = (scene.traffic)(
                &mut |i, bytes, aid, now| {
                    signers[i]
                        .sign(&bytes, u64::from(aid), now)
                        .expect("signing")
                },
                SIGNED_STEPS,
            );
            let all = measure(scene, &steps, &pki, &signers, VerifyPolicy::Always);
            let od = measure(scene, &steps, &pki, &signers, VerifyPolicy::on_demand());
            let fewer = all.verifications_per_s / od.verifications_per_s;
            println!(
                "pipeline/verify_on_demand/{}/{name}: verify all {:.0} verifications/s, {:.2} us/message; on demand {:.0} verifications/s, {:.2} us/message ({} of {} messages deferred); {:.1}x fewer verifications, {:.1}x less time per message; {} and {} warnings raised, {} and {} failed verification",
                scene.name,
                all.verifications_per_s,
                all.us_per_message,
                od.verifications_per_s,
                od.us_per_message,
                od.deferred,
                steps[SIGNED_WARMUP..].iter().map(Vec::len).sum::<usize>(),
                fewer,
                all.us_per_message / od.us_per_message,
                all.warnings_raised,
                od.warnings_raised,
                all.failed,
                od.failed,
            );
            if scene.name == "dense" && alg == KeyAlg::Sm2 {
                bar = Some(fewer >= 5.0);
            }
        }
    }
    let met = bar == Some(true);
    println!(
        "pipeline/verify_on_demand: bar (dense intersection, SM2: at least 5x fewer verifications per second on demand): {}",
        if met { "met" } else { "NOT met" }
    );
    met
}

fn report() {
    let steps = traffic(&mut plain, STEPS);
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
    for (name, alg) in ALGS {
        let (signer, verifier) = test_pair(alg, t(0)).expect("test PKI");
        let signed = traffic(
            &mut |_, bytes, aid, now| signer.sign(&bytes, u64::from(aid), now).expect("signing"),
            SIGNED_STEPS,
        );
        let mut stack = Stack::new(config().with_require_signatures(true)).expect("stack");
        stack.set_verifier(Box::new(verifier));
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
    compare_policies();
}

fn bench(c: &mut Criterion) {
    report();
    let steps = traffic(&mut plain, STEPS);
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
