//! Heap use of the fusion cycle, measured with a counting global allocator: once the tracker's
//! buffers have grown to the traffic, a cycle (ego state, ingest, step, snapshot) allocates
//! nothing, while objects appear and disappear, sources come and go and the frame re-anchors.
//!
//! The allocator counts every allocation of the process, so this binary runs without the test
//! harness (whose progress messages allocate on another thread) and holds this one check.

use std::alloc::System;

use cv2x::fusion::{
    FusionConfig, ObjectClass, ObsCovariance, ObsMotion, ObsPosition, Observation,
    PositionConfidence, SourceId, SourceKind, SourceType, Tracker,
};
use cv2x::geo::{EnuFrame, Wgs84};
use cv2x::time::Timestamp;
use nalgebra::Vector2;
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

#[path = "support/fusion.rs"]
mod support;

const ORIGIN: Wgs84 = Wgs84::new(30.6, 104.1, 0.0);

/// Ego speed: fast enough to re-anchor the frame (every 2 km) during the run.
const EGO_SPEED_MPS: f64 = 35.0;
const OBJECTS: usize = 64;
const WARM_UP: usize = 200;
const MEASURED: usize = 600;

fn at(k: usize) -> Timestamp {
    Timestamp::from_millis(650_000_000_000 + 100 * k as i64)
}

/// Object `i` at cycle `k`: alive or not (each lives 18 s of every 20 s, staggered, and comes
/// back under a new id), its ENU position and velocity. Objects drive along with the ego in
/// eight lanes, at lane speeds around the ego's.
fn object(i: usize, k: usize) -> Option<(u64, Vector2<f64>, Vector2<f64>)> {
    let phase = (k + i * 37) % 200;
    if phase >= 180 {
        return None;
    }
    let life = (k + i * 37) / 200;
    let t = k as f64 * 0.1;
    let lane = i % 8;
    let speed = EGO_SPEED_MPS + (lane as f64 - 3.5) * 0.8;
    let x = -12.25 + 3.5 * lane as f64;
    let y = -100.0 + 25.0 * (i / 8) as f64 + 3.0 * lane as f64 + speed * t;
    Some((
        (i as u64) << 16 | life as u64,
        Vector2::new(x, y),
        Vector2::new(0.0, speed),
    ))
}

fn cycle(tr: &mut Tracker, frame: &EnuFrame, out: &mut Vec<cv2x::fusion::FusedObject>, k: usize) {
    let now = at(k);
    let t = k as f64 * 0.1;
    let e = Vector2::new(0.0, EGO_SPEED_MPS * t);
    let mut ego = support::ego_at(
        frame,
        now,
        e,
        std::f64::consts::FRAC_PI_2,
        EGO_SPEED_MPS,
        Some(*b"EGO-CAR1"),
    );
    ego.position_sigma_m = 0.2;
    tr.set_ego_state(&ego).expect("ego");
    // Roadside units take turns: each covers the traffic for 30 s.
    let rsu = 1 + (k / 300) as u64;
    for i in 0..OBJECTS {
        let Some((id, p, v)) = object(i, k.saturating_sub(1)) else {
            continue;
        };
        let mut rsm = support::rsm_at(
            frame,
            rsu,
            id,
            at(k.saturating_sub(1)),
            p,
            v,
            PositionConfidence::Unavailable,
        );
        // No confidence: the per-source defaults apply.
        rsm.source_type = SourceType::Video;
        rsm.covariance = ObsCovariance::default();
        let _ = tr.ingest(&rsm);
        // The ego's own sensors see the objects within 60 m.
        let rel = p - e;
        if rel.norm() < 60.0 {
            let onboard = Observation {
                source: SourceId {
                    kind: SourceKind::Onboard,
                    station: 2,
                },
                object_id: id,
                vehicle_id: None,
                source_type: SourceType::MicrowaveRadar,
                time: now,
                position: ObsPosition::Ego {
                    x_m: rel.y,
                    y_m: -rel.x,
                },
                motion: ObsMotion::EgoVelocity {
                    vx_mps: v.y - EGO_SPEED_MPS,
                    vy_mps: -v.x,
                    relative: true,
                },
                yaw_rate_rps: None,
                accel_mps2: None,
                size: None,
                class: ObjectClass::Unknown,
                covariance: ObsCovariance::default().with_position_m2(0.09, 0.0, 0.09),
            };
            let _ = tr.ingest(&onboard);
        }
        // Every fourth object is a connected vehicle sending BSMs with its acceleration.
        if i % 4 == 0 {
            let mut bsm = rsm;
            bsm.source = SourceId {
                kind: SourceKind::Bsm,
                station: 0,
            };
            bsm.object_id = 1_000_000 + i as u64;
            bsm.vehicle_id = Some((1_000_000 + i as u64).to_be_bytes());
            bsm.source_type = SourceType::SelfInfo;
            bsm.accel_mps2 = Some(0.0);
            bsm.covariance = ObsCovariance::default().with_position_m2(1.0, 0.0, 1.0);
            let _ = tr.ingest(&bsm);
        }
    }
    tr.step(now).expect("step");
    tr.snapshot(out);
}

fn main() {
    counting_allocator_is_active();
    steady_state_cycles_do_not_allocate();
    println!("fusion_alloc: 2 passed, 0 failed");
}

/// The measurement can see an allocation.
fn counting_allocator_is_active() {
    let region = Region::new(GLOBAL);
    let v: Vec<u64> = std::hint::black_box(Vec::with_capacity(16));
    assert_eq!(region.change().allocations, 1);
    drop(v);
}

fn steady_state_cycles_do_not_allocate() {
    let frame = EnuFrame::new(ORIGIN).expect("origin");
    let mut tr = Tracker::new(FusionConfig::default(), ORIGIN).expect("tracker");
    let mut out = Vec::with_capacity(FusionConfig::default().max_tracks);
    for k in 1..=WARM_UP {
        cycle(&mut tr, &frame, &mut out, k);
    }
    let created_before = tr.counters().tracks_created;
    let mut allocating_cycles = Vec::new();
    let region = Region::new(GLOBAL);
    for k in WARM_UP + 1..=WARM_UP + MEASURED {
        let before = region.change();
        cycle(&mut tr, &frame, &mut out, k);
        let after = region.change();
        let n =
            (after.allocations + after.reallocations) - (before.allocations + before.reallocations);
        if n > 0 {
            allocating_cycles.push((k, n));
        }
    }
    let total = region.change();
    let c = *tr.counters();
    println!(
        "{MEASURED} cycles after {WARM_UP} of warm-up: {} allocations, {} reallocations, {} bytes \
         ({} tracks created, {} deleted, {} re-anchorings, {} objects in the last snapshot)",
        total.allocations,
        total.reallocations,
        total.bytes_allocated,
        c.tracks_created - created_before,
        c.tracks_deleted,
        c.reanchored,
        out.len()
    );
    // The run did exercise track birth and death and a re-anchoring.
    assert!(
        c.tracks_created > created_before && c.tracks_deleted > 0,
        "{c:?}"
    );
    assert!(c.reanchored >= 1, "{c:?}");
    assert!(out.len() >= OBJECTS / 2, "{}", out.len());
    assert!(
        allocating_cycles.is_empty(),
        "cycles that allocated (cycle, count): {allocating_cycles:?}"
    );
}
