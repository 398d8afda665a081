//! Heap use of `Stack::poll`, measured with a counting global allocator: once the stack's
//! buffers have grown to the traffic, a poll (world expiry, fusion step, every object and road
//! application, lane matching, the warnings' life and the event queue) allocates nothing, while
//! warnings are raised, updated and cleared, vehicles come and go, and the signal changes.
//!
//! Ingest decodes UPER into owned message types and is not measured; only the poll is. The
//! allocator counts every allocation of the process, so this binary runs without the test
//! harness (whose progress messages allocate on another thread).

use std::alloc::System;

use cv2x::VehicleState;
use cv2x::codec::Uper;
use cv2x::geo::{EnuFrame, Wgs84};
use cv2x::stack::{Event, RxMeta, Stack, StackConfig};
use cv2x::testing::scenario::build::{self, Participant, VehicleInfo};
use cv2x::testing::scenario::{Kind, MotionState, RsiItem, Signal};
use cv2x::time::Timestamp;
use cv2x::world::Light;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const ORIGIN: Wgs84 = Wgs84::new(31.2, 121.5, 0.0);
const WARM_UP: usize = 300;
const MEASURED: usize = 600;

fn at(k: usize) -> Timestamp {
    Timestamp::from_unix_utc_millis(1_772_352_000_000 + 100 * k as i64)
}

fn state(x: f64, y: f64, heading_deg: f64, speed_mps: f64) -> MotionState {
    MotionState {
        x,
        y,
        heading_deg,
        speed_mps,
        ..MotionState::default()
    }
}

/// Everything received in the 100 ms before cycle `k`, encoded.
fn traffic(frame: &EnuFrame, signal: &Signal, k: usize) -> Vec<Vec<u8>> {
    let t = k as f64 * 0.1;
    let now = at(k);
    let wgs = |x: f64, y: f64| frame.wgs84_from_enu(&nalgebra::Vector3::new(x, y, 0.0));
    let mut out = Vec::new();
    // The signal and its approach (the ego drives north towards the stop line at y = 400 m,
    // wrapping every 50 s), and road-side information, once a second.
    if k % 10 == 0 {
        out.push(build::map(frame, signal, 1.0, 800.0).encode().unwrap());
        let items = [
            RsiItem {
                sign: false,
                code: 401,
                x: 0.0,
                y: 350.0,
                radius_m: Some(30.0),
                path: Vec::new(),
                path_radius_m: 5.0,
                from_s: 0.0,
                until_s: f64::INFINITY,
                description: None,
                priority: None,
            },
            RsiItem {
                sign: true,
                code: 38,
                x: 2.0,
                y: 300.0,
                radius_m: None,
                path: Vec::new(),
                path_radius_m: 5.0,
                from_s: 0.0,
                until_s: f64::INFINITY,
                description: None,
                priority: None,
            },
        ];
        if let Some(rsi) = build::rsi(frame, &items, t, (k / 10) as u8) {
            out.push(rsi.encode().unwrap());
        }
    }
    if let Some(spat) = build::spat(signal, t, now, k as u8) {
        out.push(spat.encode().unwrap());
    }
    // 40 vehicles in four lanes, each sending BSMs for 20 s of every 25 s (staggered, new id
    // every life); the lane next to the ego brakes now and then.
    let ego_y = ego_y(k);
    for i in 0..40usize {
        let phase = (k + i * 17) % 250;
        if phase >= 200 {
            continue;
        }
        let life = (k + i * 17) / 250;
        let lane = (i % 4) as f64;
        let speed = 12.0 + lane;
        let y = ego_y - 60.0 + 12.0 * (i / 4) as f64 + (speed - 14.0) * (phase as f64 * 0.1);
        let mut s = state(-5.25 + 3.5 * lane, y, 0.0, speed);
        if i % 4 == 1 && (k / 50) % 3 == 0 {
            s.accel_mps2 = -4.0;
            s.flags.hard_braking = true;
        }
        let info = VehicleInfo {
            id: ((i as u64) << 32 | life as u64).to_be_bytes(),
            kind: Kind::Car,
            length_m: 4.5,
            width_m: 1.8,
            noise_m: 0.3,
        };
        out.push(
            build::bsm(&info, &s, &wgs(s.x, s.y), now, k as u8)
                .encode()
                .unwrap(),
        );
    }
    // The roadside reports pedestrians crossing ahead, and a stopped car in the ego's lane
    // some of the time.
    let mut parts = Vec::new();
    for j in 0..6u16 {
        let x = -8.0 + ((k + usize::from(j) * 30) % 160) as f64 * 0.1;
        let s = state(x, ego_y + 25.0 + 3.0 * f64::from(j), 90.0, 1.4);
        parts.push(Participant {
            ptc_id: 100 + j,
            kind: Kind::Pedestrian,
            id: None,
            state: s,
            position: wgs(s.x, s.y),
            time: now,
            length_m: 0.5,
            width_m: 0.5,
            noise_m: 0.2,
        });
    }
    if (k / 40) % 2 == 0 {
        let s = state(1.75, ego_y + 45.0, 0.0, 0.0);
        parts.push(Participant {
            ptc_id: 7,
            kind: Kind::Car,
            id: None,
            state: s,
            position: wgs(s.x, s.y),
            time: now,
            length_m: 4.5,
            width_m: 1.8,
            noise_m: 0.2,
        });
    }
    out.push(build::rsm(&ORIGIN, &parts, k as u8).encode().unwrap());
    out
}

fn ego_y(k: usize) -> f64 {
    (k % 500) as f64 * 0.1 * 13.0 - 250.0
}

fn main() {
    let frame = EnuFrame::new(ORIGIN).unwrap();
    let signal = Signal::new(
        400.0,
        1.75,
        vec![
            (Light::Red, 20.0),
            (Light::ProtectedGreen, 25.0),
            (Light::Yellow, 3.0),
        ],
    );
    let mut stack = Stack::new(StackConfig::default().with_origin(ORIGIN)).unwrap();
    stack.set_temporary_id(Some(*b"EGO-CAR1"));
    let mut allocations = 0usize;
    let mut bytes = 0usize;
    let (mut raised, mut cleared, mut events) = (0usize, 0usize, 0usize);
    for k in 0..WARM_UP + MEASURED {
        let now = at(k);
        let ego = frame.wgs84_from_enu(&nalgebra::Vector3::new(1.75, ego_y(k), 0.0));
        let state =
            VehicleState::new(now, ego.lat_deg, ego.lon_deg, 0.0, 13.0).with_accuracy(0.5, 1.0);
        let _ = stack.set_ego(&state);
        for m in traffic(&frame, &signal, k) {
            let _ = stack.ingest(&m, &RxMeta::PLAIN, now);
        }
        let region = Region::new(GLOBAL);
        let mut n = 0usize;
        let (mut r, mut c) = (0usize, 0usize);
        for e in stack.poll(now) {
            n += 1;
            match e {
                Event::Warning { .. } => r += 1,
                Event::WarningCleared { .. } => c += 1,
                _ => {}
            }
        }
        let stats = region.change();
        if k >= WARM_UP {
            allocations += stats.allocations + stats.reallocations;
            bytes += stats.bytes_allocated;
            raised += r;
            cleared += c;
            events += n;
        }
    }
    let apps: std::collections::BTreeSet<&str> = stack
        .active_warnings()
        .iter()
        .map(|a| a.warning.app.name())
        .collect();
    println!(
        "stack poll: {MEASURED} measured cycles, {events} events ({raised} warnings raised or updated, {cleared} cleared), {} objects, active now: {apps:?}; {allocations} allocations, {bytes} bytes",
        stack.objects().len()
    );
    // The measurement means something only if the polls did real work.
    assert!(
        raised >= 10 && cleared >= 10,
        "too few warning changes to measure"
    );
    assert!(stack.objects().len() >= 20, "too few objects to measure");
    assert_eq!(allocations, 0, "a poll allocated in steady state");
    println!("stack_alloc: ok");
}
