//! Fusion scenarios: roadside + onboard reports of simulated traffic, driven by hand-set time.

#[path = "support/fusion.rs"]
mod support;
use support::rsm_at;

use cv2x::fusion::model::Filter;
use cv2x::fusion::tracker::MAX_SOURCES;
use cv2x::fusion::{
    EgoState, FusedObject, FusionConfig, FusionError, ObjectClass, ObsCovariance, ObsMotion,
    ObsPosition, Observation, PositionConfidence, RejectReason, SourceId, SourceKind, SourceType,
    TrackStatus, Tracker,
};
use cv2x::geo::{EnuFrame, Wgs84};
use cv2x::time::{DSecond, Timestamp, resolve_sec_mark};
use nalgebra::{Matrix2, Vector2, Vector3};

const ORIGIN: Wgs84 = Wgs84 {
    lat_deg: 39.9,
    lon_deg: 116.4,
    alt_m: 0.0,
};

/// A base time well after the epoch (2023-ish), plus `ms`.
fn at(ms: i64) -> Timestamp {
    Timestamp::from_millis(600_000_000_000 + ms)
}

/// xorshift64* with Box-Muller normals.
struct Rng(u64);
impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let v = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d);
        ((v >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.uniform(), self.uniform());
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

fn frame() -> EnuFrame {
    EnuFrame::new(ORIGIN).unwrap()
}

fn wgs(x: f64, y: f64) -> Wgs84 {
    frame().wgs84_from_enu(&Vector3::new(x, y, 0.0))
}

/// Ego state at ENU (x, y) heading `yaw` (ENU radians) at `speed`.
fn ego(t: Timestamp, x: f64, y: f64, yaw: f64, speed: f64, id: Option<[u8; 8]>) -> EgoState {
    support::ego_at(&frame(), t, Vector2::new(x, y), yaw, speed, id)
}

/// Sets the ego driving north from the origin at `speed` at time `ms`; returns the time, the
/// ego's position and velocity.
fn drive_north(tr: &mut Tracker, ms: i64, speed: f64) -> (Timestamp, Vector2<f64>, Vector2<f64>) {
    let now = at(ms);
    let e = Vector2::new(0.0, speed * ms as f64 / 1000.0);
    tr.set_ego_state(&ego(
        now,
        e.x,
        e.y,
        std::f64::consts::FRAC_PI_2,
        speed,
        None,
    ))
    .unwrap();
    (now, e, Vector2::new(0.0, speed))
}

/// A remote vehicle's BSM about itself (position confidence 2 m).
fn bsm(vid: [u8; 8], t: Timestamp, p: Vector2<f64>, v: Vector2<f64>) -> Observation {
    let mut b = rsm_at(
        &frame(),
        0,
        u64::from_be_bytes(vid),
        t,
        p,
        v,
        PositionConfidence::A2m,
    );
    b.source = SourceId {
        kind: SourceKind::Bsm,
        station: 0,
    };
    b.source_type = SourceType::SelfInfo;
    b.vehicle_id = Some(vid);
    b
}

/// An onboard radar track of a target at ENU `p` moving with `v`, seen from an ego at `e`
/// with ENU yaw `yaw` and velocity `ve` (given in the ego frame, velocity relative).
#[allow(clippy::too_many_arguments)]
fn radar(
    id: u64,
    t: Timestamp,
    p: Vector2<f64>,
    v: Vector2<f64>,
    e: Vector2<f64>,
    yaw: f64,
    ve: Vector2<f64>,
    sigma_m: f64,
) -> Observation {
    let (s, c) = yaw.sin_cos();
    let rt = Matrix2::new(c, s, -s, c);
    let rel = rt * (p - e);
    let vrel = rt * (v - ve);
    Observation {
        source: SourceId {
            kind: SourceKind::Onboard,
            station: 1,
        },
        object_id: id,
        vehicle_id: None,
        source_type: SourceType::MicrowaveRadar,
        time: t,
        position: ObsPosition::Ego {
            x_m: rel.x,
            y_m: rel.y,
        },
        motion: ObsMotion::EgoVelocity {
            vx_mps: vrel.x,
            vy_mps: vrel.y,
            relative: true,
        },
        yaw_rate_rps: None,
        accel_mps2: None,
        size: None,
        class: ObjectClass::Motor,
        covariance: ObsCovariance {
            position_m2: Some(Matrix2::identity() * sigma_m * sigma_m),
            velocity_m2ps2: Some(Matrix2::identity() * 0.09),
            ..Default::default()
        },
    }
}

fn snapshot(t: &Tracker) -> Vec<FusedObject> {
    let mut v = Vec::new();
    t.snapshot(&mut v);
    v
}

#[test]
fn radar_and_late_offset_rsm_give_one_stable_track_for_5_s() {
    let mut tr = Tracker::new(FusionConfig::default(), ORIGIN).unwrap();
    let ve = Vector2::new(0.0, 10.0);
    let yaw = std::f64::consts::FRAC_PI_2; // north
    let mut rng = Rng(7);
    let mut ids = Vec::new();
    for k in 0..=100 {
        let ms = k * 50;
        let ts = ms as f64 / 1000.0;
        let now = at(ms);
        let e = Vector2::new(0.0, 10.0 * ts);
        tr.set_ego_state(&ego(now, e.x, e.y, yaw, 10.0, None))
            .unwrap();
        let truth = |s: f64| Vector2::new(0.0, 30.0 + 12.0 * s);
        let vt = Vector2::new(0.0, 12.0);
        // Radar at 20 Hz, σ 0.2 m.
        let noisy = truth(ts) + Vector2::new(rng.normal(), rng.normal()) * 0.2;
        tr.ingest(&radar(11, now, noisy, vt, e, yaw, ve, 0.2))
            .unwrap();
        // RSM at 10 Hz, 100 ms old on arrival, 0.8 m east of the truth.
        if k % 2 == 0 && ms >= 100 {
            let t_obs = ts - 0.1;
            let p = truth(t_obs) + Vector2::new(0.8, 0.0);
            tr.ingest(&rsm_at(
                &frame(),
                9,
                501,
                at(ms - 100),
                p,
                vt,
                PositionConfidence::A2m,
            ))
            .unwrap();
        }
        tr.step(now).unwrap();
        let objs = snapshot(&tr);
        if ms >= 200 {
            assert_eq!(objs.len(), 1, "t = {ms} ms: {objs:?}");
            let o = &objs[0];
            ids.push(o.id);
            let err = (o.position_enu - truth(ts)).norm();
            assert!(err < 0.9, "t = {ms} ms: error {err}");
            if ms >= 300 {
                let kinds: Vec<_> = o.sources().iter().map(|s| s.source.kind).collect();
                assert!(kinds.contains(&SourceKind::Rsm) && kinds.contains(&SourceKind::Onboard));
                assert!(!o.v2x_only);
            }
        }
    }
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "id changed: {ids:?}");
    assert_eq!(tr.tracks().len(), 1);
    assert_eq!(tr.counters().too_old, 0);
    let c = tr.counters();
    assert_eq!(c.fused + c.tracks_created, c.ingested, "{c:?}");
}

#[test]
fn rsm_report_of_the_ego_gives_no_object_at_the_ego() {
    let mut tr = Tracker::new(FusionConfig::default(), ORIGIN).unwrap();
    let yaw = std::f64::consts::FRAC_PI_2;
    let mut rng = Rng(11);
    for k in 0..50 {
        let ms = k * 100;
        let ts = ms as f64 / 1000.0;
        let now = at(ms);
        let e = Vector2::new(0.0, 15.0 * ts);
        tr.set_ego_state(&ego(now, e.x, e.y, yaw, 15.0, None))
            .unwrap();
        // The roadside sees the ego (no id: it is a lidar detection) with noise, 100 ms late,
        // and a car 25 m ahead.
        let t_obs = ts - 0.1;
        let ego_then =
            Vector2::new(0.0, 15.0 * t_obs) + Vector2::new(rng.normal(), rng.normal()) * 0.4;
        let v = Vector2::new(0.0, 15.0);
        tr.ingest(&rsm_at(
            &frame(),
            3,
            1,
            at(ms - 100),
            ego_then,
            v,
            PositionConfidence::A2m,
        ))
        .unwrap();
        let other = Vector2::new(0.3, 25.0 + 15.0 * t_obs);
        tr.ingest(&rsm_at(
            &frame(),
            3,
            2,
            at(ms - 100),
            other,
            v,
            PositionConfidence::A2m,
        ))
        .unwrap();
        tr.step(now).unwrap();
        for o in snapshot(&tr) {
            assert!(
                (o.position_enu - e).norm() > 6.0,
                "object {} at the ego: {:?}",
                o.id,
                o.position_enu
            );
        }
    }
    let objs = snapshot(&tr);
    assert_eq!(objs.len(), 1, "the car ahead stays");
    assert!(tr.counters().ego_by_gate >= 40, "{:?}", tr.counters());
    assert!(objs[0].v2x_only, "seen by the roadside only");

    // By id: a report carrying the ego's vehicle id is dropped even when far off.
    let id = *b"EGO-0001";
    let now = at(5_000);
    tr.set_ego_state(&ego(now, 0.0, 75.0, yaw, 15.0, Some(id)))
        .unwrap();
    let mut o = rsm_at(
        &frame(),
        3,
        77,
        now,
        Vector2::new(30.0, 75.0),
        Vector2::new(0.0, 15.0),
        PositionConfidence::A1m,
    );
    o.vehicle_id = Some(id);
    tr.ingest(&o).unwrap();
    tr.step(now).unwrap();
    assert_eq!(tr.counters().ego_by_id, 1);
    assert!(
        tr.tracks()
            .iter()
            .all(|t| t.sources().iter().all(|s| s.object_id != 77))
    );
}

#[test]
fn neighbour_bsm_beside_the_ego_is_an_object_with_no_onboard_sensor() {
    // A car in the next lane (3.2 m), level with the ego at its speed, reports its own BSM with
    // about 1 m of position noise; no onboard sensor sees it (the blind zone). Its vehicle id is
    // not the ego's, so it is a neighbour, however well it fits the ego gate.
    let mut tr = Tracker::new(FusionConfig::default(), ORIGIN).unwrap();
    let yaw = std::f64::consts::FRAC_PI_2;
    let ego_id = *b"EGO-0001";
    let v = Vector2::new(0.0, 20.0);
    let mut rng = Rng(5);
    for k in 0..30 {
        let ms = k * 100;
        let ts = ms as f64 / 1000.0;
        let now = at(ms);
        let e = Vector2::new(0.0, 20.0 * ts);
        tr.set_ego_state(&ego(now, e.x, e.y, yaw, 20.0, Some(ego_id)))
            .unwrap();
        let noise = Vector2::new(rng.normal(), rng.normal()) * 1.0;
        tr.ingest(&bsm(*b"NEIGHBOR", now, Vector2::new(-3.2, e.y) + noise, v))
            .unwrap();
        tr.step(now).unwrap();
    }
    assert_eq!(tr.counters().ego_by_gate, 0, "{:?}", tr.counters());
    let objs = snapshot(&tr);
    assert_eq!(objs.len(), 1, "{objs:?}");
    assert!(
        (objs[0].position_enu.x + 3.2).abs() < 1.5,
        "{:?}",
        objs[0].position_enu
    );

    // The same BSM under the ego's own id is the ego's message and gives no object.
    let now = at(3_000);
    tr.set_ego_state(&ego(now, 0.0, 60.0, yaw, 20.0, Some(ego_id)))
        .unwrap();
    tr.ingest(&bsm(ego_id, now, Vector2::new(0.0, 60.0), v))
        .unwrap();
    tr.step(now).unwrap();
    assert_eq!(tr.counters().ego_by_id, 1);
}

#[test]
fn neighbour_at_ego_speed_seen_by_radar_is_not_taken_for_the_ego() {
    let mut tr = Tracker::new(FusionConfig::default(), ORIGIN).unwrap();
    let yaw = std::f64::consts::FRAC_PI_2;
    let v = Vector2::new(0.0, 20.0);
    for k in 0..40 {
        let ms = k * 100;
        let ts = ms as f64 / 1000.0;
        let now = at(ms);
        let e = Vector2::new(0.0, 20.0 * ts);
        tr.set_ego_state(&ego(now, e.x, e.y, yaw, 20.0, None))
            .unwrap();
        let nb = Vector2::new(3.5, 20.0 * ts + 1.0);
        tr.ingest(&radar(5, now, nb, v, e, yaw, v, 0.2)).unwrap();
        let nb_then = Vector2::new(3.5, 20.0 * (ts - 0.1) + 1.0);
        tr.ingest(&rsm_at(
            &frame(),
            3,
            8,
            at(ms - 100),
            nb_then,
            v,
            PositionConfidence::A2m,
        ))
        .unwrap();
        tr.step(now).unwrap();
    }
    let objs = snapshot(&tr);
    assert_eq!(objs.len(), 1);
    assert!(
        objs[0]
            .sources()
            .iter()
            .any(|s| s.source.kind == SourceKind::Rsm)
    );
}

#[test]
fn late_rsm_is_compensated_to_fusion_time() {
    let mut tr = Tracker::new(FusionConfig::default(), ORIGIN).unwrap();
    let v = Vector2::new(15.0 * 0.6, 15.0 * 0.8); // 15 m/s
    let truth = |s: f64| Vector2::new(40.0, -60.0) + v * s;
    let mut worst_fused: f64 = 0.0;
    let mut raw_err = 0.0;
    for k in 0..30 {
        let ms = k * 100;
        let ts = ms as f64 / 1000.0;
        let now = at(ms);
        let p_then = truth(ts - 0.2);
        raw_err = (p_then - truth(ts)).norm();
        tr.ingest(&rsm_at(
            &frame(),
            4,
            42,
            at(ms - 200),
            p_then,
            v,
            PositionConfidence::A50cm,
        ))
        .unwrap();
        tr.step(now).unwrap();
        if ms >= 300 {
            let objs = snapshot(&tr);
            assert_eq!(objs.len(), 1);
            worst_fused = worst_fused.max((objs[0].position_enu - truth(ts)).norm());
        }
    }
    assert!(
        (raw_err - 3.0).abs() < 1e-6,
        "uncompensated error {raw_err}"
    );
    assert!(worst_fused < 0.5, "fused error {worst_fused}");
}

#[test]
fn randomized_two_sources_one_track_per_target_and_lower_error() {
    let mut rng = Rng(0x1234_5678);
    let mut tr = Tracker::new(FusionConfig::default(), ORIGIN).unwrap();
    // The same tracker fed with the better source alone, for comparison.
    let mut solo = Tracker::new(FusionConfig::default(), ORIGIN).unwrap();
    let (mut se_s, mut n_s) = (0.0, 0);
    // 48 vehicles on 6 northbound lanes 3.5 m apart, 8 per lane with 12–20 m gaps, lane speeds
    // 8–15.5 m/s; the ego drives at 12 m/s in a seventh lane.
    struct Target {
        p0: Vector2<f64>,
        v: Vector2<f64>,
    }
    let mut targets = Vec::new();
    for lane in 0..6 {
        let speed = 8.0 + lane as f64 * 1.5;
        let mut y = -60.0;
        for _ in 0..8 {
            y += 12.0 + 8.0 * rng.uniform();
            targets.push(Target {
                p0: Vector2::new(-8.75 + 3.5 * lane as f64, y),
                v: Vector2::new(0.0, speed),
            });
        }
    }
    let (sig_rsm, sig_onb) = (0.8, 0.6);
    let yaw = std::f64::consts::FRAC_PI_2;
    let (mut se_f, mut se_r, mut se_o, mut n_f, mut n_r, mut n_o) = (0.0, 0.0, 0.0, 0, 0, 0);
    for k in 0..80 {
        let ms = k * 100;
        let ts = ms as f64 / 1000.0;
        let now = at(ms);
        let e = Vector2::new(12.25, 12.0 * ts);
        let mut es = ego(now, e.x, e.y, yaw, 12.0, None);
        es.heading_sigma_deg = 0.1;
        tr.set_ego_state(&es).unwrap();
        solo.set_ego_state(&es).unwrap();
        let ve = Vector2::new(0.0, 12.0);
        for (i, tg) in targets.iter().enumerate() {
            let p = tg.p0 + tg.v * ts;
            // Onboard lidar, on time.
            let z = p + Vector2::new(rng.normal(), rng.normal()) * sig_onb;
            let vz = tg.v + Vector2::new(rng.normal(), rng.normal()) * 0.3;
            se_o += (z - p).norm_squared();
            n_o += 1;
            let mut ob = radar(100 + i as u64, now, z, vz, e, yaw, ve, sig_onb);
            ob.source_type = SourceType::Lidar;
            tr.ingest(&ob).unwrap();
            solo.ingest(&ob).unwrap();
            // RSM, 100 ms late.
            let p_then = tg.p0 + tg.v * (ts - 0.1);
            let z = p_then + Vector2::new(rng.normal(), rng.normal()) * sig_rsm;
            let vz = tg.v + Vector2::new(rng.normal(), rng.normal()) * 0.3;
            se_r += (z - p_then).norm_squared();
            n_r += 1;
            let mut o = rsm_at(
                &frame(),
                2,
                1000 + i as u64,
                at(ms - 100),
                z,
                vz,
                PositionConfidence::A2m,
            );
            o.covariance.position_m2 = Some(Matrix2::identity() * sig_rsm * sig_rsm);
            tr.ingest(&o).unwrap();
        }
        tr.step(now).unwrap();
        solo.step(now).unwrap();
        if ms >= 1000 {
            for o in snapshot(&solo) {
                let d = targets
                    .iter()
                    .map(|tg| (o.position_enu - (tg.p0 + tg.v * ts)).norm())
                    .fold(f64::INFINITY, f64::min);
                se_s += d * d;
                n_s += 1;
            }
            let objs = snapshot(&tr);
            assert_eq!(objs.len(), targets.len(), "t = {ms} ms");
            // One-to-one: each target's nearest object is distinct and close.
            let mut used = vec![false; objs.len()];
            for tg in &targets {
                let p = tg.p0 + tg.v * ts;
                let (j, d) = objs
                    .iter()
                    .enumerate()
                    .map(|(j, o)| (j, (o.position_enu - p).norm()))
                    .min_by(|a, b| a.1.total_cmp(&b.1))
                    .unwrap();
                if d >= 2.0 || used[j] {
                    let near: Vec<_> = objs
                        .iter()
                        .filter(|o| (o.position_enu - p).norm() < 6.0)
                        .map(|o| {
                            (
                                o.id,
                                o.position_enu,
                                o.velocity_enu,
                                o.position_cov,
                                o.sources().to_vec(),
                            )
                        })
                        .collect();
                    panic!(
                        "t = {ms} ms: target at {p:?} d = {d} used {}: {near:#?} {:?}",
                        used[j],
                        tr.counters()
                    );
                }
                used[j] = true;
                se_f += d * d;
                n_f += 1;
            }
        }
    }
    let rmse = |se: f64, n: i32| (se / n as f64).sqrt();
    let (f, r, o) = (rmse(se_f, n_f), rmse(se_r, n_r), rmse(se_o, n_o));
    let s = rmse(se_s, n_s);
    println!(
        "fused RMSE {f:.3} m; raw reports: RSM {r:.3} m, onboard {o:.3} m; tracker fed with the \
         onboard reports alone {s:.3} m"
    );
    assert!(f <= 0.8 * r.min(o), "fused {f} vs sources {r} / {o}");
    assert_eq!(
        tr.counters().tracks_created as usize - tr.counters().tracks_merged as usize,
        targets.len()
    );
}

#[test]
fn bsm_and_rsm_of_the_same_vehicle_link_by_id() {
    let mut tr = Tracker::new(FusionConfig::default(), ORIGIN).unwrap();
    let vid = *b"CAR-0042";
    let v = Vector2::new(10.0, 0.0);
    for k in 0..20 {
        let ms = k * 100;
        let ts = ms as f64 / 1000.0;
        let now = at(ms);
        let p = Vector2::new(-50.0 + 10.0 * ts, 5.0);
        tr.ingest(&bsm(vid, now, p + Vector2::new(0.0, 1.2), v))
            .unwrap();
        let mut r = rsm_at(
            &frame(),
            6,
            17,
            at(ms - 50),
            p - v * 0.05,
            v,
            PositionConfidence::A1m,
        );
        r.vehicle_id = Some(vid);
        r.source_type = SourceType::V2x;
        tr.ingest(&r).unwrap();
        tr.step(now).unwrap();
    }
    let objs = snapshot(&tr);
    assert_eq!(objs.len(), 1, "{objs:?}");
    assert_eq!(objs[0].vehicle_id, Some(vid));
    let kinds: Vec<_> = objs[0]
        .sources()
        .iter()
        .map(|s| (s.source.kind, s.source_type))
        .collect();
    assert!(kinds.contains(&(SourceKind::Bsm, SourceType::SelfInfo)));
    assert!(kinds.contains(&(SourceKind::Rsm, SourceType::V2x)));
    assert!(objs[0].sources().len() <= MAX_SOURCES);
}

#[test]
fn track_life_confirm_coast_delete_and_ids_not_reused() {
    let mut tr = Tracker::new(FusionConfig::default(), ORIGIN).unwrap();
    let yaw = std::f64::consts::FRAC_PI_2;
    tr.set_ego_state(&ego(at(0), 0.0, 0.0, yaw, 0.0, None))
        .unwrap();
    // A confident trusted roadside report confirms at once.
    tr.ingest(&rsm_at(
        &frame(),
        1,
        1,
        at(0),
        Vector2::new(20.0, 20.0),
        Vector2::new(1.0, 0.0),
        PositionConfidence::A1m,
    ))
    .unwrap();
    // An onboard track needs three updates.
    let p = Vector2::new(-3.0, 30.0);
    tr.ingest(&radar(
        9,
        at(0),
        p,
        Vector2::zeros(),
        Vector2::zeros(),
        yaw,
        Vector2::zeros(),
        0.3,
    ))
    .unwrap();
    tr.step(at(0)).unwrap();
    let status = |tr: &Tracker, kind: SourceKind| {
        tr.tracks()
            .iter()
            .find(|t| t.sources()[0].source.kind == kind)
            .map(|t| (t.id(), t.status()))
    };
    assert_eq!(
        status(&tr, SourceKind::Rsm).unwrap().1,
        TrackStatus::Confirmed
    );
    assert_eq!(
        status(&tr, SourceKind::Onboard).unwrap().1,
        TrackStatus::Tentative
    );
    for k in 1..3 {
        tr.set_ego_state(&ego(at(k * 100), 0.0, 0.0, yaw, 0.0, None))
            .unwrap();
        tr.ingest(&radar(
            9,
            at(k * 100),
            p,
            Vector2::zeros(),
            Vector2::zeros(),
            yaw,
            Vector2::zeros(),
            0.3,
        ))
        .unwrap();
        tr.step(at(k * 100)).unwrap();
    }
    let (onboard_id, st) = status(&tr, SourceKind::Onboard).unwrap();
    assert_eq!(st, TrackStatus::Confirmed);
    // Silence: coasting after 250 ms, deleted after the source's delete_after.
    tr.step(at(500)).unwrap();
    assert_eq!(
        status(&tr, SourceKind::Onboard).unwrap().1,
        TrackStatus::Coasting
    );
    tr.step(at(900)).unwrap();
    assert!(
        status(&tr, SourceKind::Onboard).is_none(),
        "onboard-only track deleted after 500 ms"
    );
    assert!(
        status(&tr, SourceKind::Rsm).is_some(),
        "roadside track lives 1 s"
    );
    tr.step(at(1100)).unwrap();
    assert!(tr.tracks().is_empty());
    // The same object again gets a new id.
    tr.set_ego_state(&ego(at(1200), 0.0, 0.0, yaw, 0.0, None))
        .unwrap();
    tr.ingest(&radar(
        9,
        at(1200),
        p,
        Vector2::zeros(),
        Vector2::zeros(),
        yaw,
        Vector2::zeros(),
        0.3,
    ))
    .unwrap();
    tr.step(at(1200)).unwrap();
    assert!(tr.tracks()[0].id() > onboard_id);
    assert_eq!(tr.counters().tracks_deleted, 2);
}

#[test]
fn stale_out_of_sequence_and_non_finite_reports_are_rejected_and_counted() {
    let mut tr = Tracker::new(FusionConfig::default(), ORIGIN).unwrap();
    let v = Vector2::new(0.0, 5.0);
    tr.ingest(&rsm_at(
        &frame(),
        1,
        1,
        at(1000),
        Vector2::new(0.0, 50.0),
        v,
        PositionConfidence::A1m,
    ))
    .unwrap();
    tr.step(at(1000)).unwrap();
    // Older than 300 ms at fusion time: rejected at the entry already.
    let stale = rsm_at(
        &frame(),
        1,
        2,
        at(650),
        Vector2::new(0.0, 80.0),
        v,
        PositionConfidence::A1m,
    );
    assert_eq!(
        tr.ingest(&stale),
        Err(FusionError::Rejected(RejectReason::TooOld))
    );
    // Within 300 ms of the last step, but too old at the next one.
    let late = rsm_at(
        &frame(),
        1,
        5,
        at(710),
        Vector2::new(0.0, 90.0),
        v,
        PositionConfidence::A1m,
    );
    tr.ingest(&late).unwrap();
    // Same (source, object) going back in time.
    tr.ingest(&rsm_at(
        &frame(),
        1,
        1,
        at(950),
        Vector2::new(0.0, 50.0),
        v,
        PositionConfidence::A1m,
    ))
    .unwrap();
    // Superseded in the same cycle.
    tr.ingest(&rsm_at(
        &frame(),
        1,
        3,
        at(980),
        Vector2::new(9.0, 50.0),
        v,
        PositionConfidence::A1m,
    ))
    .unwrap();
    tr.ingest(&rsm_at(
        &frame(),
        1,
        3,
        at(990),
        Vector2::new(9.0, 50.05),
        v,
        PositionConfidence::A1m,
    ))
    .unwrap();
    tr.step(at(1020)).unwrap();
    let c = *tr.counters();
    assert_eq!(
        (c.too_old, c.out_of_sequence, c.superseded),
        (2, 1, 1),
        "{c:?}"
    );
    // Entry checks.
    let mut bad = rsm_at(
        &frame(),
        1,
        4,
        at(1000),
        Vector2::new(0.0, 1.0),
        v,
        PositionConfidence::A1m,
    );
    bad.position = ObsPosition::Enu {
        x_m: f64::NAN,
        y_m: 0.0,
    };
    assert_eq!(
        tr.ingest(&bad),
        Err(FusionError::Rejected(RejectReason::NonFinite))
    );
    bad.position = ObsPosition::Enu {
        x_m: 1e300,
        y_m: 0.0,
    };
    assert_eq!(
        tr.ingest(&bad),
        Err(FusionError::Rejected(RejectReason::OutOfRange))
    );
    bad.position = ObsPosition::Enu { x_m: 0.0, y_m: 0.0 };
    bad.accel_mps2 = Some(f64::INFINITY);
    assert_eq!(
        tr.ingest(&bad),
        Err(FusionError::Rejected(RejectReason::NonFinite))
    );
    bad.accel_mps2 = None;
    bad.covariance.position_m2 = Some(Matrix2::new(1.0, 2.0, 2.0, 1.0));
    assert_eq!(
        tr.ingest(&bad),
        Err(FusionError::Rejected(RejectReason::OutOfRange))
    );
    bad.covariance.position_m2 = None;
    bad.position = ObsPosition::Ego { x_m: 1.0, y_m: 0.0 };
    assert_eq!(
        tr.ingest(&bad),
        Err(FusionError::Rejected(RejectReason::NoEgoPose))
    );
    assert_eq!(tr.step(at(1000)), Err(FusionError::TimeWentBackwards));
    let c = tr.counters();
    assert_eq!(
        (
            c.non_finite,
            c.out_of_range,
            c.no_ego_pose,
            c.time_went_backwards
        ),
        (2, 2, 1, 1)
    );
}

#[test]
fn sec_mark_wrap_resolves_report_time_before_fusion() {
    // A report stamped secMark 59 900 arrives at 00.100 of the next minute: it is 200 ms old,
    // not 59.8 s in the future.
    let mut tr = Tracker::new(FusionConfig::default(), ORIGIN).unwrap();
    let minute_start = Timestamp::from_unix_utc_millis(1_700_000_040_000); // a UTC minute boundary
    assert_eq!(minute_start.to_minute_of_year().1.millis(), 0);
    let now = minute_start.add_millis(100);
    let t = resolve_sec_mark(DSecond::new(59_900).unwrap(), now).unwrap();
    assert_eq!(now.micros_since(t), 200_000);
    let v = Vector2::new(15.0, 0.0);
    tr.ingest(&rsm_at(
        &frame(),
        1,
        1,
        t,
        Vector2::new(0.0, 30.0),
        v,
        PositionConfidence::A50cm,
    ))
    .unwrap();
    tr.step(now).unwrap();
    let o = snapshot(&tr);
    assert_eq!(o.len(), 1);
    assert!(
        (o[0].position_enu - Vector2::new(3.0, 30.0)).norm() < 0.2,
        "{:?}",
        o[0].position_enu
    );
}

#[test]
fn ego_moving_far_reanchors_and_keeps_tracks() {
    let mut tr = Tracker::new(FusionConfig::default(), ORIGIN).unwrap();
    let yaw = 0.0; // east
    let v = Vector2::new(30.0, 0.0);
    let mut ids = Vec::new();
    for k in 0..=100 {
        let ms = k * 1000;
        let ts = k as f64;
        let now = at(ms);
        let e = Vector2::new(30.0 * ts, 0.0);
        tr.set_ego_state(&ego(now, e.x, e.y, yaw, 30.0, None))
            .unwrap();
        // A car alongside, reported by the roadside in WGS-84 (computed in the original frame).
        tr.ingest(&rsm_at(
            &frame(),
            1,
            5,
            now,
            e + Vector2::new(5.0, 3.5),
            v,
            PositionConfidence::A50cm,
        ))
        .unwrap();
        tr.step(now).unwrap();
        let o = snapshot(&tr);
        assert_eq!(o.len(), 1);
        ids.push(o[0].id);
        let truth = wgs(e.x + 5.0, 3.5);
        let got = o[0].position_wgs84;
        let frame = frame();
        let d = frame
            .enu_from_wgs84(&Wgs84::new(got.lat_deg, got.lon_deg, 0.0))
            .unwrap()
            - frame.enu_from_wgs84(&truth).unwrap();
        assert!(d.xy().norm() < 0.5, "k = {k}: {d:?}");
    }
    assert!(tr.counters().reanchored >= 1);
    assert!(ids.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn memory_is_flat_over_many_cycles() {
    let mut tr = Tracker::new(FusionConfig::default(), ORIGIN).unwrap();
    let yaw = std::f64::consts::FRAC_PI_2;
    let mut rng = Rng(99);
    let mut out = Vec::with_capacity(1024);
    let mut cap = None;
    for k in 0..600 {
        let ms = k * 100;
        let ts = ms as f64 / 1000.0;
        let now = at(ms);
        tr.set_ego_state(&ego(now, 0.0, 0.0, yaw, 0.0, None))
            .unwrap();
        for i in 0..48 {
            // Objects come and go: each lives 20 s, staggered.
            let phase = (k + i * 13) % 200;
            if phase > 180 {
                continue;
            }
            let p = Vector2::new(
                -20.0 + (i % 8) as f64 * 5.0,
                -50.0 + (i / 8) as f64 * 20.0 + 0.5 * (ts % 20.0),
            );
            let z = p + Vector2::new(rng.normal(), rng.normal()) * 0.5;
            let id = (i as u64) * 1000 + (k as u64 + i as u64 * 13) / 200;
            tr.ingest(&rsm_at(
                &frame(),
                1,
                id,
                now,
                z,
                Vector2::new(0.0, 0.5),
                PositionConfidence::A2m,
            ))
            .unwrap();
            if i % 3 == 0 {
                tr.ingest(&radar(
                    id,
                    now,
                    p,
                    Vector2::new(0.0, 0.5),
                    Vector2::zeros(),
                    yaw,
                    Vector2::zeros(),
                    0.3,
                ))
                .unwrap();
            }
        }
        tr.step(now).unwrap();
        tr.snapshot(&mut out);
        tr.check_invariants().unwrap();
        if k == 50 {
            cap = Some((tr.capacity_bytes(), out.capacity()));
        } else if k > 50 {
            assert_eq!(
                Some((tr.capacity_bytes(), out.capacity())),
                cap,
                "cycle {k}"
            );
        }
    }
    assert!(tr.counters().tracks_deleted > 0 && tr.counters().tracks_created > 48);
}

#[test]
fn delayed_onboard_track_uses_the_ego_pose_at_sensor_time() {
    // The ego drives east at 20 m/s turning gently; a camera track arrives 80 ms after capture.
    // Placing it with the newest ego pose would put it 1.6 m off.
    let mut tr = Tracker::new(FusionConfig::default(), ORIGIN).unwrap();
    let pose = |s: f64| {
        let yaw = 0.05 * s;
        (
            Vector2::new(400.0 * (yaw).sin(), 400.0 * (1.0 - yaw.cos())),
            yaw,
        )
    };
    let target = Vector2::new(60.0, 20.0);
    let mut worst: f64 = 0.0;
    for k in 0..100 {
        let ms = k * 20;
        let ts = ms as f64 / 1000.0;
        let (e, yaw) = pose(ts);
        let mut es = ego(at(ms), e.x, e.y, yaw, 20.0, None);
        es.yaw_rate_rps = 0.05;
        es.heading_sigma_deg = 0.1;
        tr.set_ego_state(&es).unwrap();
        if k % 5 == 0 && ms >= 80 {
            let t_cap = ts - 0.08;
            let (ec, yc) = pose(t_cap);
            let vel_c = Vector2::new(20.0 * yc.cos(), 20.0 * yc.sin());
            let mut o = radar(3, at(ms - 80), target, Vector2::zeros(), ec, yc, vel_c, 0.1);
            o.source_type = SourceType::Video;
            o.class = ObjectClass::Pedestrian;
            // Over-ground velocity in ego axes (a relative one would need the ω × r term).
            o.motion = ObsMotion::EgoVelocity {
                vx_mps: 0.0,
                vy_mps: 0.0,
                relative: false,
            };
            tr.ingest(&o).unwrap();
            tr.step(at(ms)).unwrap();
            if let Some(t) = tr.tracks().first() {
                worst = worst.max((t.filter().position() - target).norm());
            }
        }
    }
    assert_eq!(tr.tracks().len(), 1);
    assert!(worst < 0.3, "worst error {worst}");
}

#[test]
fn stationary_objects_update_and_keep_one_track_each() {
    // A parked car (CTRV) and a standing pedestrian (CV), reported at zero speed: by the
    // roadside (speed 0 with a heading the sensor cannot know), by a sensor-sharing vehicle
    // (zero ENU velocity), and by the ego's radar (velocity relative to the moving ego).
    let mut tr = Tracker::new(FusionConfig::default(), ORIGIN).unwrap();
    let yaw = std::f64::consts::FRAC_PI_2;
    let mut rng = Rng(5);
    let car = Vector2::new(3.5, 60.0);
    let ped = Vector2::new(-4.0, 45.0);
    let mut ids: Vec<(u32, u32)> = Vec::new();
    for k in 0..40 {
        let ms = k * 100;
        let (now, e, ve) = drive_north(&mut tr, ms, 5.0);
        for (ptc, p, class) in [
            (1, car, ObjectClass::Motor),
            (2, ped, ObjectClass::Pedestrian),
        ] {
            let noisy = |rng: &mut Rng| p + Vector2::new(rng.normal(), rng.normal()) * 0.3;
            let mut r = rsm_at(
                &frame(),
                8,
                ptc,
                at(ms - 100),
                noisy(&mut rng),
                Vector2::zeros(),
                PositionConfidence::A1m,
            );
            r.class = class;
            // Heading of a standing object: whatever the sensor last had.
            r.motion = ObsMotion::SpeedHeading {
                speed_mps: 0.0,
                heading_deg: 360.0 * rng.uniform(),
            };
            tr.ingest(&r).unwrap();
            let mut s = r;
            s.source = SourceId {
                kind: SourceKind::Ssm,
                station: 3,
            };
            s.time = at(ms - 50);
            s.position = {
                let w = wgs(noisy(&mut rng).x, noisy(&mut rng).y);
                ObsPosition::Wgs84 {
                    lat_deg: w.lat_deg,
                    lon_deg: w.lon_deg,
                }
            };
            s.motion = ObsMotion::EnuVelocity {
                vx_mps: 0.0,
                vy_mps: 0.0,
            };
            tr.ingest(&s).unwrap();
            let mut o = radar(
                100 + ptc,
                now,
                noisy(&mut rng),
                Vector2::zeros(),
                e,
                yaw,
                ve,
                0.3,
            );
            o.class = class;
            tr.ingest(&o).unwrap();
        }
        tr.step(now).unwrap();
        tr.check_invariants().unwrap();
        let objs = snapshot(&tr);
        if ms >= 300 {
            assert_eq!(objs.len(), 2, "t = {ms} ms: {objs:#?}");
            let find = |p: Vector2<f64>| {
                objs.iter()
                    .min_by(|a, b| {
                        (a.position_enu - p)
                            .norm()
                            .total_cmp(&(b.position_enu - p).norm())
                    })
                    .unwrap()
            };
            let (oc, op) = (find(car), find(ped));
            assert!((oc.position_enu - car).norm() < 0.5, "{oc:?}");
            assert!((op.position_enu - ped).norm() < 0.5, "{op:?}");
            assert!(oc.speed_mps < 0.6 && op.speed_mps < 0.6, "{oc:?} {op:?}");
            assert_eq!(oc.class, ObjectClass::Motor);
            assert_eq!(op.class, ObjectClass::Pedestrian);
            ids.push((oc.id, op.id));
        }
    }
    let c = tr.counters();
    assert_eq!(c.numeric_failures, 0, "{c:?}");
    assert_eq!(c.fused + c.tracks_created, c.ingested, "{c:?}");
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "ids changed: {ids:?}");
}

#[test]
fn braking_lead_gets_an_acceleration_estimate() {
    // The lead brakes at 5 m/s² from 2 s on, seen by the ego's radar (20 Hz, velocity relative)
    // and the roadside (10 Hz, 100 ms late, speed only). A car in the next lane sends BSMs with
    // its own acceleration (braking at 3 m/s² from 2 s on).
    let mut tr = Tracker::new(FusionConfig::default(), ORIGIN).unwrap();
    let yaw = std::f64::consts::FRAC_PI_2;
    let mut rng = Rng(21);
    let lead_y = |s: f64| {
        let b = (s - 2.0).clamp(0.0, 4.0);
        40.0 + 20.0 * s.min(2.0) + 20.0 * b - 2.5 * b * b
    };
    let lead_v = |s: f64| 20.0 - 5.0 * (s - 2.0).clamp(0.0, 4.0);
    let bsm_y = |s: f64| {
        let b = (s - 2.0).max(0.0);
        20.0 + 15.0 * s - 1.5 * b * b
    };
    let bsm_v = |s: f64| 15.0 - 3.0 * (s - 2.0).max(0.0);
    let vid = *b"BRAKE-01";
    let mut checked = 0;
    for k in 0..=110 {
        let ms = k * 50;
        let ts = ms as f64 / 1000.0;
        let (now, e, ve) = drive_north(&mut tr, ms, 15.0);
        let p = Vector2::new(0.0, lead_y(ts)) + Vector2::new(rng.normal(), rng.normal()) * 0.2;
        let v = Vector2::new(0.0, lead_v(ts)) + Vector2::new(rng.normal(), rng.normal()) * 0.2;
        tr.ingest(&radar(1, now, p, v, e, yaw, ve, 0.2)).unwrap();
        if k % 2 == 0 {
            let t = ts - 0.1;
            let p = Vector2::new(0.0, lead_y(t)) + Vector2::new(rng.normal(), rng.normal()) * 0.4;
            let v = Vector2::new(0.0, lead_v(t) + rng.normal() * 0.3);
            tr.ingest(&rsm_at(
                &frame(),
                4,
                7,
                at(ms - 100),
                p,
                v,
                PositionConfidence::A1m,
            ))
            .unwrap();
            let mut b = bsm(
                vid,
                at(ms - 20),
                Vector2::new(3.5, bsm_y(ts - 0.02)),
                Vector2::new(0.0, bsm_v(ts - 0.02)),
            );
            b.accel_mps2 = Some(if ts - 0.02 >= 2.0 { -3.0 } else { 0.0 } + rng.normal() * 0.2);
            tr.ingest(&b).unwrap();
        }
        tr.step(now).unwrap();
        let objs = snapshot(&tr);
        if ms < 500 {
            continue;
        }
        assert_eq!(objs.len(), 2, "t = {ms} ms: {objs:#?}");
        let lead = objs.iter().find(|o| o.position_enu.x < 1.75).unwrap();
        let other = objs.iter().find(|o| o.position_enu.x >= 1.75).unwrap();
        let (a, var) = lead
            .accel
            .map(|a| (a.accel_mps2, a.var_m2ps4))
            .expect("estimated");
        let b = other.accel_mps2();
        if (1.0..2.0).contains(&ts) {
            assert!(a.abs() < 0.8, "t = {ms} ms: lead {a}");
            assert!(b.abs() < 0.5, "t = {ms} ms: BSM car {b}");
        }
        // Within 1 m/s² less than a second after the onset.
        if (2.9..5.6).contains(&ts) {
            assert!(
                (a + 5.0).abs() < 1.0,
                "t = {ms} ms: lead {a} ± {}",
                var.sqrt()
            );
            assert!(var.sqrt() < 1.0, "t = {ms} ms: lead ± {}", var.sqrt());
            checked += 1;
        }
        if ts >= 2.6 {
            assert!((b + 3.0).abs() < 0.5, "t = {ms} ms: BSM car {b}");
        }
        // The fused speed follows the braking too.
        assert!(
            (lead.speed_mps - lead_v(ts)).abs() < 1.0,
            "t = {ms} ms: speed {} vs {}",
            lead.speed_mps,
            lead_v(ts)
        );
    }
    assert!(checked > 50);
    assert_eq!(tr.counters().numeric_failures, 0);
}

/// A report at ENU `p` from `kind`/`source_type` with no motion and no confidence.
fn bare(kind: SourceKind, source_type: SourceType, object_id: u64, t: Timestamp) -> Observation {
    let mut o = rsm_at(
        &frame(),
        1,
        object_id,
        t,
        Vector2::zeros(),
        Vector2::zeros(),
        PositionConfidence::Unavailable,
    );
    o.source = SourceId { kind, station: 1 };
    o.source_type = source_type;
    o.motion = ObsMotion::None;
    o.covariance = ObsCovariance::default();
    o.size = None;
    o.class = ObjectClass::Pedestrian;
    o
}

#[test]
fn reports_without_confidence_get_the_per_source_defaults() {
    use cv2x::fusion::observation::default_noise;
    let cases = [
        (SourceKind::Rsm, SourceType::Video),
        (SourceKind::Rsm, SourceType::Lidar),
        (SourceKind::Ssm, SourceType::Unknown),
        (SourceKind::Bsm, SourceType::SelfInfo),
        (SourceKind::Onboard, SourceType::Lidar),
        (SourceKind::Onboard, SourceType::MicrowaveRadar),
    ];
    let mut sigmas = Vec::new();
    for (kind, st) in cases {
        let mut tr = Tracker::new(FusionConfig::default(), ORIGIN).unwrap();
        let mut o = bare(kind, st, 1, at(0));
        o.position = ObsPosition::Enu { x_m: 5.0, y_m: 5.0 };
        o.motion = ObsMotion::SpeedHeading {
            speed_mps: 10.0,
            heading_deg: 90.0,
        };
        o.class = ObjectClass::Motor;
        tr.ingest(&o).unwrap();
        tr.step(at(0)).unwrap();
        let t = &tr.tracks()[0];
        let d = default_noise(kind, st);
        let pc = t.filter().position_cov();
        let want = d.position_sigma_m * d.position_sigma_m + 1e-4;
        assert!(
            (pc[(0, 0)] - want).abs() < 1e-9 && (pc[(1, 1)] - want).abs() < 1e-9,
            "{kind:?}/{st:?}: {pc}"
        );
        let Filter::Ctrv(c) = t.filter() else {
            panic!("a car is a CTRV track");
        };
        let sv = d.speed_sigma_mps * d.speed_sigma_mps + 1e-4;
        assert!((c.p[(2, 2)] - sv).abs() < 1e-9, "{kind:?}/{st:?}: {}", c.p);
        sigmas.push(d.position_sigma_m);
    }
    // Not one default for all: onboard lidar is sharper than a roadside camera.
    assert!(sigmas[4] < sigmas[1] && sigmas[1] < sigmas[0], "{sigmas:?}");
    // A stated confidence wins over the default: posConfidence a1m is σ = 1 m / 2.448.
    let mut tr = Tracker::new(FusionConfig::default(), ORIGIN).unwrap();
    let mut o = bare(SourceKind::Rsm, SourceType::Video, 1, at(0));
    o.covariance = ObsCovariance::from_csae(PositionConfidence::A1m, None, None);
    tr.ingest(&o).unwrap();
    tr.step(at(0)).unwrap();
    let pc = tr.tracks()[0].filter().position_cov();
    assert!((pc[(0, 0)].sqrt() - 0.4086).abs() < 1e-3, "{pc}");
}

#[test]
fn gate_confidence_is_configurable() {
    // Two sources, σ 0.5 m each, 2.35 m apart: χ² ≈ 11 on 2 DoF, outside the 99 % gate (9.21),
    // inside the 99.9 % gate (13.8).
    for (confidence, tracks) in [(0.99, 2), (0.999, 1)] {
        let config = FusionConfig {
            gate_confidence: confidence,
            ..FusionConfig::default()
        };
        let mut tr = Tracker::new(config, ORIGIN).unwrap();
        let mut a = bare(SourceKind::Rsm, SourceType::Lidar, 1, at(0));
        a.position = ObsPosition::Enu { x_m: 0.0, y_m: 0.0 };
        tr.ingest(&a).unwrap();
        tr.step(at(0)).unwrap();
        let mut b = bare(SourceKind::Ssm, SourceType::Lidar, 2, at(0));
        b.position = ObsPosition::Enu {
            x_m: 2.35,
            y_m: 0.0,
        };
        tr.ingest(&b).unwrap();
        tr.step(at(0)).unwrap();
        assert_eq!(tr.tracks().len(), tracks, "gate confidence {confidence}");
    }
}

#[test]
fn track_life_parameters_are_per_source() {
    let status_after_one = |config: FusionConfig, kind: SourceKind, conf: PositionConfidence| {
        let mut tr = Tracker::new(config, ORIGIN).unwrap();
        let mut o = bare(kind, SourceType::Lidar, 1, at(0));
        o.position = ObsPosition::Enu { x_m: 3.0, y_m: 9.0 };
        o.covariance = ObsCovariance::from_csae(conf, None, None);
        tr.ingest(&o).unwrap();
        tr.step(at(0)).unwrap();
        tr.tracks()[0].status()
    };
    let d = FusionConfig::default();
    use PositionConfidence::{A1m, A5m};
    use TrackStatus::{Confirmed, Tentative};
    // A trusted, confident roadside report confirms at once; a vague one does not.
    assert_eq!(status_after_one(d, SourceKind::Rsm, A1m), Confirmed);
    assert_eq!(status_after_one(d, SourceKind::Rsm, A5m), Tentative);
    // The same report from an untrusted roadside, or with a stricter threshold, does not.
    let mut untrusted = d;
    untrusted.rsm.trusted = false;
    assert_eq!(status_after_one(untrusted, SourceKind::Rsm, A1m), Tentative);
    let mut strict = d;
    strict.rsm.confirm_at_once_sigma_m = 0.3;
    assert_eq!(status_after_one(strict, SourceKind::Rsm, A1m), Tentative);
    // Sensor sharing and onboard sensors need several hits by default, one when so configured.
    assert_eq!(status_after_one(d, SourceKind::Ssm, A1m), Tentative);
    assert_eq!(status_after_one(d, SourceKind::Onboard, A1m), Tentative);
    let mut eager = d;
    eager.onboard.confirm_hits = 1;
    assert_eq!(status_after_one(eager, SourceKind::Onboard, A1m), Confirmed);
}

#[test]
fn broken_identity_link_keeps_provenance_and_does_not_relink() {
    // A roadside reuses object id 4 for an object far from the first one: the link breaks, the
    // first track keeps its record as provenance, and id 4 follows the new object from then on.
    let mut tr = Tracker::new(FusionConfig::default(), ORIGIN).unwrap();
    let v = Vector2::new(0.0, 1.0);
    let near = Vector2::new(0.0, 20.0);
    let far = Vector2::new(40.0, 20.0);
    for k in 0..3 {
        let now = at(k * 100);
        tr.ingest(&rsm_at(
            &frame(),
            1,
            4,
            now,
            near,
            v,
            PositionConfidence::A1m,
        ))
        .unwrap();
        tr.step(now).unwrap();
    }
    let first = tr.tracks()[0].id();
    for k in 3..8 {
        let now = at(k * 100);
        let p = far + v * (k as f64 * 0.1);
        tr.ingest(&rsm_at(&frame(), 1, 4, now, p, v, PositionConfidence::A1m))
            .unwrap();
        tr.step(now).unwrap();
        tr.check_invariants().unwrap();
        for o in snapshot(&tr) {
            assert!(!o.sources().is_empty(), "{o:?}");
        }
    }
    assert_eq!(tr.counters().links_broken, 1, "{:?}", tr.counters());
    let old = tr.tracks().iter().find(|t| t.id() == first).unwrap();
    assert_eq!(old.sources().len(), 1);
    assert_eq!(
        old.sources()[0].updates,
        3,
        "no report fused after the link broke"
    );
    let new = tr.tracks().iter().find(|t| t.id() != first).unwrap();
    assert_eq!(new.sources()[0].updates, 5);
    assert!((new.filter().position() - (far + v * 0.7)).norm() < 0.5);
}
