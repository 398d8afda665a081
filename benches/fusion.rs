//! Fusion cycle cost: `fusion/cycle/256x64` = 256 roadside (RSM, 100 ms late, WGS-84) + 64 onboard
//! (ego frame) reports of the same traffic, ingested, fused and snapshotted in one cycle.
//!
//! Traffic: 8 concentric ring lanes (radius 40–64.5 m, 3.5 m apart), 32 vehicles per lane
//! (7.9–12.7 m apart), alternate lanes in opposite directions, each vehicle back at its start
//! after 600 cycles (60 s at 10 Hz), so any number of cycles can run. The ego stands at the
//! centre; its sensors report the 64 vehicles of the two inner lanes.
//!
//! Before the timed runs, 10 000 cycles are run once under a counting global allocator: the
//! number of allocations and the bytes allocated over them are printed, and the bench aborts
//! unless both are zero (memory flat), or if the tracker's buffers grew. The CPU time of the
//! thread over those cycles is printed too (Linux): unlike the wall-clock figures it does not
//! grow when other processes load the machine.

use std::f64::consts::{FRAC_PI_2, TAU};
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use cv2x::fusion::{
    EgoState, FusedObject, FusionConfig, ObjectClass, ObjectSize, ObsCovariance, ObsMotion,
    ObsPosition, Observation, SourceId, SourceKind, SourceType, Tracker,
};
use cv2x::geo::{EnuFrame, Wgs84, enu_yaw_rad_to_csae_heading_deg};
use cv2x::time::Timestamp;
use nalgebra::{Matrix2, Vector3};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<std::alloc::System> = &INSTRUMENTED_SYSTEM;

const ORIGIN: Wgs84 = Wgs84 {
    lat_deg: 31.2,
    lon_deg: 121.5,
    alt_m: 0.0,
};
const PERIOD: usize = 600;
const RINGS: usize = 8;
const PER_RING: usize = 32;
const ONBOARD: usize = 64;

struct Traffic {
    /// Per cycle, per vehicle: lat, lon, ENU x, y, speed, CSAE heading.
    states: Vec<[f64; 6]>,
}

fn traffic() -> Traffic {
    let frame = EnuFrame::new(ORIGIN).expect("origin");
    let omega = 2.0 * TAU / (PERIOD as f64 * 0.1);
    let mut states = Vec::with_capacity(PERIOD * RINGS * PER_RING);
    for k in 0..PERIOD {
        let t = k as f64 * 0.1;
        for ring in 0..RINGS {
            let r = 40.0 + 3.5 * ring as f64;
            let dir = if ring % 2 == 0 { 1.0 } else { -1.0 };
            for j in 0..PER_RING {
                let th = TAU * j as f64 / PER_RING as f64 + dir * omega * t;
                let (x, y) = (r * th.cos(), r * th.sin());
                let yaw = th + dir * FRAC_PI_2;
                let w = frame.wgs84_from_enu(&Vector3::new(x, y, 0.0));
                states.push([
                    w.lat_deg,
                    w.lon_deg,
                    x,
                    y,
                    r * omega,
                    enu_yaw_rad_to_csae_heading_deg(yaw),
                ]);
            }
        }
    }
    Traffic { states }
}

fn at(k: usize) -> Timestamp {
    Timestamp::from_millis(700_000_000_000 + 100 * k as i64)
}

struct Bench {
    traffic: Traffic,
    tracker: Tracker,
    out: Vec<FusedObject>,
    k: usize,
}

impl Bench {
    fn new() -> Self {
        Bench {
            traffic: traffic(),
            tracker: Tracker::new(FusionConfig::default(), ORIGIN).expect("tracker"),
            out: Vec::with_capacity(1024),
            k: 1,
        }
    }

    fn state(&self, k: usize, i: usize) -> [f64; 6] {
        self.traffic.states[(k % PERIOD) * RINGS * PER_RING + i]
    }

    fn cycle(&mut self) {
        let k = self.k;
        let now = at(k);
        self.tracker
            .set_ego_state(&EgoState {
                time: now,
                lat_deg: ORIGIN.lat_deg,
                lon_deg: ORIGIN.lon_deg,
                alt_m: 0.0,
                heading_deg: 0.0,
                speed_mps: 0.0,
                yaw_rate_rps: 0.0,
                position_sigma_m: 0.2,
                heading_sigma_deg: 0.2,
                length_m: 4.8,
                width_m: 1.9,
                vehicle_id: None,
            })
            .expect("ego");
        // Roadside: every vehicle, as it was 100 ms ago.
        for i in 0..RINGS * PER_RING {
            let s = self.state(k - 1, i);
            let o = Observation {
                source: SourceId {
                    kind: SourceKind::Rsm,
                    station: 7,
                },
                object_id: i as u64,
                vehicle_id: None,
                source_type: SourceType::Lidar,
                time: at(k - 1),
                position: ObsPosition::Wgs84 {
                    lat_deg: s[0],
                    lon_deg: s[1],
                },
                motion: ObsMotion::SpeedHeading {
                    speed_mps: s[4],
                    heading_deg: s[5],
                },
                yaw_rate_rps: None,
                accel_mps2: None,
                size: Some(ObjectSize {
                    length_m: 4.5,
                    width_m: 1.8,
                    height_m: 1.5,
                }),
                class: ObjectClass::Motor,
                covariance: ObsCovariance {
                    position_m2: Some(Matrix2::identity() * 0.36),
                    speed_sigma_mps: Some(0.5),
                    heading_sigma_deg: Some(3.0),
                    ..Default::default()
                },
            };
            let _ = self.tracker.ingest(&o);
        }
        // Onboard: the two inner lanes, now, in the ego frame (ego faces north: x fwd = north).
        for i in 0..ONBOARD {
            let s = self.state(k, i);
            let o = Observation {
                source: SourceId {
                    kind: SourceKind::Onboard,
                    station: 1,
                },
                object_id: 10_000 + i as u64,
                vehicle_id: None,
                source_type: SourceType::Lidar,
                time: now,
                position: ObsPosition::Ego {
                    x_m: s[3],
                    y_m: -s[2],
                },
                motion: ObsMotion::None,
                yaw_rate_rps: None,
                accel_mps2: None,
                size: None,
                class: ObjectClass::Motor,
                covariance: ObsCovariance {
                    position_m2: Some(Matrix2::identity() * 0.04),
                    ..Default::default()
                },
            };
            let _ = self.tracker.ingest(&o);
        }
        let _ = self.tracker.step(now);
        self.tracker.snapshot(&mut self.out);
        black_box(&self.out);
        self.k += 1;
    }
}

/// CPU time (user + system) of the calling thread in seconds, from `/proc/thread-self/stat`
/// (clock ticks of 1/100 s, Linux's USER_HZ); `None` elsewhere.
fn thread_cpu_s() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the command name (which ends with the last ')'): state is field 3, utime
    // and stime are fields 14 and 15.
    let rest = stat.get(stat.rfind(')')? + 1..)?;
    let mut f = rest.split_whitespace().skip(11);
    let utime: u64 = f.next()?.parse().ok()?;
    let stime: u64 = f.next()?.parse().ok()?;
    Some((utime + stime) as f64 / 100.0)
}

fn memory_check() {
    let mut b = Bench::new();
    for _ in 0..100 {
        b.cycle();
    }
    let before = (b.tracker.capacity_bytes(), b.out.capacity());
    let tracks_before = b.tracker.tracks().len();
    let cpu0 = thread_cpu_s();
    let region = Region::new(GLOBAL);
    for _ in 0..10_000 {
        b.cycle();
    }
    let heap = region.change();
    if let (Some(c0), Some(c1)) = (cpu0, thread_cpu_s()) {
        eprintln!(
            "fusion/cpu: {:.0} µs of CPU time per cycle over 10 000 cycles",
            (c1 - c0) * 1e6 / 10_000.0
        );
    }
    let after = (b.tracker.capacity_bytes(), b.out.capacity());
    eprintln!(
        "fusion/memory: over 10 000 cycles after 100 of warm-up: {} allocations, {} \
         reallocations, {} bytes allocated; tracker buffers {} B → {} B, snapshot capacity {} → \
         {} (tracks {} → {}, confirmed objects {})",
        heap.allocations,
        heap.reallocations,
        heap.bytes_allocated,
        before.0,
        after.0,
        before.1,
        after.1,
        tracks_before,
        b.tracker.tracks().len(),
        b.out.len()
    );
    assert_eq!(
        (heap.allocations, heap.reallocations, heap.bytes_allocated),
        (0, 0, 0),
        "the fusion cycle allocated"
    );
    assert_eq!(before, after, "buffers grew over 10 000 cycles");
    assert_eq!(
        b.out.len(),
        RINGS * PER_RING,
        "one fused object per vehicle"
    );
}

fn bench(c: &mut Criterion) {
    memory_check();
    let mut b = Bench::new();
    for _ in 0..50 {
        b.cycle();
    }
    c.bench_function("fusion/cycle/256x64", |bn| bn.iter(|| b.cycle()));
}

criterion_group!(benches, bench);
criterion_main!(benches);
