//! Arbitrary observation streams (NaN, infinities, huge values, time going backwards, ego jumps,
//! re-anchoring) into the fusion tracker: no panic, and the track table stays sound after every
//! operation: finite states, symmetric PSD covariances, unique ids never reused, bounded
//! counts; every accepted or refused report is counted; every fused object handed out is
//! finite and well-formed.
#![no_main]

use cv2x::fusion::tracker::MAX_SOURCES;
use cv2x::fusion::{
    EgoState, FusedObject, FusionConfig, FusionError, ObjectClass, ObjectSize, ObsCovariance,
    ObsMotion, ObsPosition, Observation, RejectReason, SourceId, SourceKind, SourceType, Tracker,
};
use cv2x::geo::Wgs84;
use cv2x::time::Timestamp;
use libfuzzer_sys::fuzz_target;

struct Input<'a>(&'a [u8], bool);

impl Input<'_> {
    fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }
    fn u64(&mut self) -> u64 {
        (0..8).fold(0u64, |a, _| (a << 8) | u64::from(self.u8()))
    }
    fn i16(&mut self) -> i16 {
        i16::from_le_bytes([self.u8(), self.u8()])
    }
    /// A float that is sometimes raw bits (NaN, infinities, huge), sometimes a plausible value.
    fn f(&mut self) -> f64 {
        let v = self.f_inner();
        self.1 |= !v.is_finite();
        v
    }
    fn f_inner(&mut self) -> f64 {
        match self.u8() % 6 {
            0 => f64::from_bits(self.u64()),
            1 => [
                f64::NAN,
                f64::INFINITY,
                f64::NEG_INFINITY,
                1e300,
                -1e300,
                0.0,
                -0.0,
            ][usize::from(self.u8() % 7)],
            2 => f64::from(self.i16()) * 1e-3,
            _ => f64::from(self.i16()) * 0.01,
        }
    }
    fn opt(&mut self) -> Option<f64> {
        if self.u8() % 2 == 0 {
            None
        } else {
            Some(self.f())
        }
    }
    fn done(&self) -> bool {
        self.0.is_empty()
    }
}

const ORIGIN: Wgs84 = Wgs84 {
    lat_deg: 39.9,
    lon_deg: 116.4,
    alt_m: 0.0,
};

/// Everything a fused object carries is finite and in range.
fn check_object(o: &FusedObject) {
    let numbers = o
        .position_enu
        .iter()
        .chain(o.velocity_enu.iter())
        .chain(o.position_cov.iter())
        .chain(o.velocity_cov.iter());
    for v in numbers {
        assert!(v.is_finite(), "{o:?}");
    }
    assert!(
        o.position_cov[(0, 0)] >= 0.0 && o.position_cov[(1, 1)] >= 0.0,
        "{o:?}"
    );
    assert!(
        o.velocity_cov[(0, 0)] >= 0.0 && o.velocity_cov[(1, 1)] >= 0.0,
        "{o:?}"
    );
    assert!(o.speed_mps.is_finite() && o.speed_mps >= 0.0, "{o:?}");
    assert!((0.0..360.0).contains(&o.heading_deg), "{o:?}");
    assert!(o.yaw_rate_rps.is_none_or(f64::is_finite), "{o:?}");
    if let Some(a) = o.accel {
        assert!(a.accel_mps2.is_finite() && a.var_m2ps4.is_finite(), "{o:?}");
        assert!(a.var_m2ps4 >= 0.0, "{o:?}");
    }
    let w = o.position_wgs84;
    assert!(w.lat_deg.is_finite() && w.lon_deg.is_finite() && w.alt_m.is_finite());
    assert!((-90.0..=90.0).contains(&w.lat_deg), "{w:?}");
    assert!(
        !o.sources().is_empty() && o.sources().len() <= MAX_SOURCES,
        "{o:?}"
    );
    assert!(o.age_ms >= 0 && o.since_update_ms >= 0, "{o:?}");
}

fuzz_target!(|data: &[u8]| {
    let config = FusionConfig {
        max_tracks: 32,
        max_pending: 64,
        ..FusionConfig::default()
    };
    let Ok(mut tr) = Tracker::new(config, ORIGIN) else {
        return;
    };
    let mut inp = Input(data, false);
    let mut now_ms: i64 = 1_000_000;
    let mut out = Vec::new();
    let mut steps = 0;
    // Ids handed out so far: a new track's id is above all of them (never reused).
    let mut max_id_seen = 0u32;
    let mut ids: Vec<u32> = Vec::new();
    let mut prev_ids: Vec<u32> = Vec::new();
    let (mut accepted, mut refused) = (0u64, 0u64);
    while !inp.done() && steps < 2_000 {
        steps += 1;
        match inp.u8() % 8 {
            0..=3 => {
                inp.1 = false;
                let kind = match inp.u8() % 4 {
                    0 => SourceKind::Rsm,
                    1 => SourceKind::Ssm,
                    2 => SourceKind::Bsm,
                    _ => SourceKind::Onboard,
                };
                let dt = i64::from(inp.i16());
                let position = match inp.u8() % 3 {
                    0 => ObsPosition::Enu {
                        x_m: inp.f(),
                        y_m: inp.f(),
                    },
                    1 => ObsPosition::Ego {
                        x_m: inp.f(),
                        y_m: inp.f(),
                    },
                    _ => ObsPosition::Wgs84 {
                        lat_deg: ORIGIN.lat_deg + inp.f() * 1e-3,
                        lon_deg: ORIGIN.lon_deg + inp.f() * 1e-3,
                    },
                };
                let motion = match inp.u8() % 4 {
                    0 => ObsMotion::None,
                    1 => ObsMotion::SpeedHeading {
                        speed_mps: inp.f(),
                        heading_deg: inp.f(),
                    },
                    2 => ObsMotion::EnuVelocity {
                        vx_mps: inp.f(),
                        vy_mps: inp.f(),
                    },
                    _ => ObsMotion::EgoVelocity {
                        vx_mps: inp.f(),
                        vy_mps: inp.f(),
                        relative: inp.u8() % 2 == 0,
                    },
                };
                let mut cov = ObsCovariance {
                    speed_sigma_mps: inp.opt(),
                    heading_sigma_deg: inp.opt(),
                    ..Default::default()
                };
                if inp.u8() % 2 == 0 {
                    cov = cov.with_position_m2(inp.f(), inp.f(), inp.f());
                }
                if inp.u8() % 2 == 0 {
                    cov = cov.with_velocity_m2ps2(inp.f(), inp.f(), inp.f());
                }
                let size = if inp.u8() % 2 == 0 {
                    None
                } else {
                    Some(ObjectSize {
                        length_m: inp.f(),
                        width_m: inp.f(),
                        height_m: inp.f(),
                    })
                };
                let vid = inp.u8();
                let obs = Observation {
                    source: SourceId {
                        kind,
                        station: u64::from(inp.u8() % 3),
                    },
                    object_id: u64::from(inp.u8() % 16),
                    vehicle_id: (vid % 4 == 0).then_some([vid; 8]),
                    source_type: SourceType::from_csae(inp.u8() % 9),
                    time: Timestamp::from_millis(now_ms.saturating_add(dt)),
                    position,
                    motion,
                    yaw_rate_rps: inp.opt(),
                    accel_mps2: inp.opt(),
                    size,
                    class: ObjectClass::from_csae(inp.u8() % 6),
                    covariance: cov,
                };
                let before = tr.counters().non_finite;
                let r = tr.ingest(&obs);
                match r {
                    Ok(()) => accepted += 1,
                    Err(FusionError::Rejected(_)) => refused += 1,
                    Err(e) => panic!("ingest returned {e:?}"),
                }
                if inp.1 {
                    // Non-finite input is refused at the entry, with its reason counted.
                    assert_eq!(r, Err(FusionError::Rejected(RejectReason::NonFinite)));
                    assert_eq!(tr.counters().non_finite, before + 1);
                }
            }
            4 | 5 => {
                // Time mostly forward, sometimes backwards or far away.
                now_ms = match inp.u8() % 8 {
                    0 => now_ms.saturating_sub(i64::from(inp.i16().unsigned_abs())),
                    1 => (inp.u64() >> 20) as i64,
                    _ => now_ms.saturating_add(i64::from(inp.u8())),
                };
                let _ = tr.step(Timestamp::from_millis(now_ms));
            }
            6 => {
                let e = EgoState {
                    time: Timestamp::from_millis(now_ms.saturating_add(i64::from(inp.i16()))),
                    lat_deg: ORIGIN.lat_deg + inp.f() * 1e-3,
                    lon_deg: ORIGIN.lon_deg + inp.f() * 1e-3,
                    alt_m: inp.f(),
                    heading_deg: inp.f(),
                    speed_mps: inp.f(),
                    yaw_rate_rps: inp.f(),
                    position_sigma_m: inp.f(),
                    heading_sigma_deg: inp.f(),
                    length_m: 4.8,
                    width_m: 1.9,
                    vehicle_id: None,
                };
                let _ = tr.set_ego_state(&e);
            }
            _ => {
                let o = Wgs84::new(inp.f(), inp.f(), inp.f());
                let _ = tr.reanchor(o);
            }
        }
        if let Err(v) = tr.check_invariants() {
            panic!("track table corrupted: {v:?}");
        }
        assert!(tr.tracks().len() <= 32 && tr.pending_len() <= 64);
        // Ids: unique (checked above) and never reused.
        ids.clear();
        ids.extend(tr.tracks().iter().map(|t| t.id()));
        for id in &ids {
            assert!(
                prev_ids.contains(id) || *id > max_id_seen,
                "id {id} reused (highest seen {max_id_seen})"
            );
        }
        max_id_seen = ids.iter().copied().fold(max_id_seen, u32::max);
        core::mem::swap(&mut ids, &mut prev_ids);
        // Every report is accounted for at the entry.
        let c = *tr.counters();
        assert_eq!(c.ingested, accepted, "{c:?}");
        let refused_counted = c.non_finite + c.out_of_range + c.no_ego_pose + c.queue_full;
        assert!(
            refused_counted + c.too_old >= refused,
            "{c:?} refused {refused}"
        );
        assert!(c.fused + c.tracks_created <= c.ingested, "{c:?}");
        tr.snapshot(&mut out);
        assert!(out.len() <= tr.tracks().len());
        for (i, o) in out.iter().enumerate() {
            check_object(o);
            assert!(
                out.iter().skip(i + 1).all(|p| p.id != o.id),
                "duplicate id {}",
                o.id
            );
        }
    }
});
