//! The track table and the fusion cycle.

use alloc::vec::Vec;
use nalgebra::{Matrix2, Matrix4, Vector2, Vector3, Vector4};

use super::associate::{Associator, GateItem, chi2_2dof};
use super::ego::{EgoHistory, EgoPose, EgoState};
use super::model::{AccelFilter, Filter, Meas, UNKNOWN_YAW_VAR, standstill_weight};
use super::observation::{
    ObjectClass, ObjectSize, ObsMotion, ObsPosition, Observation, SourceId, SourceKind, SourceType,
    default_accel_sigma_mps2, default_noise,
};
use super::{FusionConfig, FusionCounters, FusionError, RejectReason};
use crate::geo::{
    EnuFrame, Wgs84, csae_heading_deg_to_enu_yaw_rad, enu_yaw_rad_to_csae_heading_deg,
    wrap_angle_rad,
};
use crate::math::{abs, atan2, cos, hypot, sin, sqrt};
use crate::time::Timestamp;

/// Sources remembered per track.
pub const MAX_SOURCES: usize = 8;
/// Reports farther than this from the frame origin are rejected, m.
pub const MAX_RANGE_M: f64 = 200_000.0;
/// Largest ego-frame offset accepted, m.
pub const MAX_EGO_OFFSET_M: f64 = 2_000.0;
/// Largest speed accepted, m/s.
pub const MAX_SPEED_MPS: f64 = 150.0;
/// Largest yaw rate accepted, rad/s.
pub const MAX_YAW_RATE_RPS: f64 = 10.0;
/// Largest acceleration accepted, m/s².
pub const MAX_ACCEL_MPS2: f64 = 50.0;
/// Largest object dimension accepted, m.
pub const MAX_SIZE_M: f64 = 100.0;
/// Largest reported variance accepted (position m², velocity (m/s)²).
pub const MAX_VARIANCE: f64 = 1.0e6;

/// Life-cycle state of a track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TrackStatus {
    /// Seen, not yet confirmed.
    Tentative,
    /// Confirmed and updated recently.
    Confirmed,
    /// Confirmed, but no update for a while: predicted only.
    Coasting,
}

/// Provenance: one source that reported a track.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SourceRecord {
    /// The source.
    pub source: SourceId,
    /// The object's id in that source.
    pub object_id: u64,
    /// How the source perceived it (CSAE `SourceType`).
    pub source_type: SourceType,
    /// Time of the first report fused.
    pub first_seen: Timestamp,
    /// Time of the latest report fused (the report's own time).
    pub last_update: Timestamp,
    /// Number of reports fused.
    pub updates: u32,
}

const EMPTY_RECORD: SourceRecord = SourceRecord {
    source: SourceId {
        kind: SourceKind::Onboard,
        station: 0,
    },
    object_id: 0,
    source_type: SourceType::Unknown,
    first_seen: Timestamp::EPOCH,
    last_update: Timestamp::EPOCH,
    updates: 0,
};

/// One tracked object.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Track {
    id: u32,
    status: TrackStatus,
    class: ObjectClass,
    filter: Filter,
    accel: AccelFilter,
    time: Timestamp,
    size: Option<ObjectSize>,
    vehicle_id: Option<[u8; 8]>,
    created: Timestamp,
    last_update: Timestamp,
    hits: u32,
    sources: [SourceRecord; MAX_SOURCES],
    n_sources: usize,
    batch_stamp: u32,
    dead: bool,
    /// The identity link of the only source record was broken (the source now reports that id
    /// elsewhere): the record stays as provenance but no longer links reports to this track.
    unlinked: bool,
}

impl Track {
    /// Stable id (never reused by this tracker).
    pub fn id(&self) -> u32 {
        self.id
    }
    /// Life-cycle state.
    pub fn status(&self) -> TrackStatus {
        self.status
    }
    /// Class.
    pub fn class(&self) -> ObjectClass {
        self.class
    }
    /// Motion state.
    pub fn filter(&self) -> &Filter {
        &self.filter
    }
    /// Longitudinal speed and acceleration estimate.
    pub fn accel(&self) -> &AccelFilter {
        &self.accel
    }
    /// Time of the state.
    pub fn time(&self) -> Timestamp {
        self.time
    }
    /// Sources that reported this object.
    pub fn sources(&self) -> &[SourceRecord] {
        self.sources.get(..self.n_sources).unwrap_or(&[])
    }
    /// Fusion time of the latest update.
    pub fn last_update(&self) -> Timestamp {
        self.last_update
    }
    /// Number of reports fused.
    pub fn hits(&self) -> u32 {
        self.hits
    }

    fn record_mut(&mut self, source: SourceId, object_id: u64) -> Option<&mut SourceRecord> {
        let n = self.n_sources;
        self.sources
            .get_mut(..n)?
            .iter_mut()
            .find(|r| r.source == source && r.object_id == object_id)
    }

    fn record(&self, source: SourceId, object_id: u64) -> Option<&SourceRecord> {
        self.sources()
            .iter()
            .find(|r| r.source == source && r.object_id == object_id)
    }

    fn remove_record_at(&mut self, i: usize) {
        if i < self.n_sources {
            let n = self.n_sources;
            if let Some(s) = self.sources.get_mut(i..n) {
                s.rotate_left(1);
            }
            self.n_sources -= 1;
        }
    }

    fn add_record(&mut self, rec: SourceRecord) {
        if let Some(r) = self.record_mut(rec.source, rec.object_id) {
            r.last_update = r.last_update.max(rec.last_update);
            r.updates = r.updates.saturating_add(rec.updates);
            r.first_seen = r.first_seen.min(rec.first_seen);
            return;
        }
        if self.n_sources < MAX_SOURCES {
            if let Some(slot) = self.sources.get_mut(self.n_sources) {
                *slot = rec;
                self.n_sources += 1;
            }
            return;
        }
        // Full: replace the stalest.
        let mut oldest = 0;
        for (i, r) in self.sources.iter().enumerate() {
            if self
                .sources
                .get(oldest)
                .is_some_and(|o| r.last_update < o.last_update)
            {
                oldest = i;
            }
        }
        if let Some(slot) = self.sources.get_mut(oldest) {
            *slot = rec;
        }
    }

    fn fresh_onboard(&self, now: Timestamp, window_us: i64) -> bool {
        self.sources().iter().any(|r| {
            r.source.kind == SourceKind::Onboard && now.micros_since(r.last_update) <= window_us
        })
    }

    fn gate_item(&self, active: bool) -> GateItem {
        GateItem {
            pos: self.filter.position(),
            cov: self.filter.position_cov(),
            class: self.class,
            active,
        }
    }
}

/// A fused object as handed to the applications.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FusedObject {
    /// Stable track id.
    pub id: u32,
    /// Life-cycle state.
    pub status: TrackStatus,
    /// Class.
    pub class: ObjectClass,
    /// Time of the state (the fusion time of the last step).
    pub time: Timestamp,
    /// ENU position, m.
    pub position_enu: Vector2<f64>,
    /// ENU position covariance, m².
    pub position_cov: Matrix2<f64>,
    /// ENU velocity over ground, m/s.
    pub velocity_enu: Vector2<f64>,
    /// ENU velocity covariance, (m/s)².
    pub velocity_cov: Matrix2<f64>,
    /// Speed, m/s.
    pub speed_mps: f64,
    /// Heading, degrees, CSAE convention (0 = north, clockwise).
    pub heading_deg: f64,
    /// Yaw rate, rad/s (vehicles).
    pub yaw_rate_rps: Option<f64>,
    /// Longitudinal acceleration (rate of change of speed), once the reports allow an estimate
    /// (two speeds or a reported acceleration); `None` before, to be read as unknown (an
    /// application may take 0).
    pub accel: Option<AccelEstimate>,
    /// WGS-84 position.
    pub position_wgs84: Wgs84,
    /// Size, when any source reported one.
    pub size: Option<ObjectSize>,
    /// Vehicle temporary id, when known.
    pub vehicle_id: Option<[u8; 8]>,
    /// Seen only through V2X at the moment (no onboard sensor within the coasting window):
    /// an object in the ego's blind zone or beyond its sensors.
    pub v2x_only: bool,
    /// Time since the track was created, ms.
    pub age_ms: i64,
    /// Time since the last update, ms.
    pub since_update_ms: i64,
    sources: [SourceRecord; MAX_SOURCES],
    n_sources: usize,
}

/// A longitudinal acceleration estimate.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct AccelEstimate {
    /// Acceleration along the direction of motion, m/s² (negative when braking).
    pub accel_mps2: f64,
    /// Its variance, (m/s²)².
    pub var_m2ps4: f64,
}

impl FusedObject {
    /// The longitudinal acceleration, m/s², 0 when not estimated yet.
    pub fn accel_mps2(&self) -> f64 {
        self.accel.map_or(0.0, |a| a.accel_mps2)
    }

    /// A fused object built by hand, for tests and simulations of the applications: confirmed,
    /// no sources, no size, no vehicle id, not `v2x_only`, age 0. Speed and heading follow from
    /// `velocity_enu`; position and velocity covariances are `0.25 I` (0.5 m, 0.5 m/s σ). The
    /// public fields can be changed afterwards.
    pub fn synthetic(
        id: u32,
        class: ObjectClass,
        time: Timestamp,
        position_enu: Vector2<f64>,
        velocity_enu: Vector2<f64>,
    ) -> Self {
        let speed = hypot(velocity_enu.x, velocity_enu.y);
        let yaw = atan2(velocity_enu.y, velocity_enu.x);
        FusedObject {
            id,
            status: TrackStatus::Confirmed,
            class,
            time,
            position_enu,
            position_cov: Matrix2::identity() * 0.25,
            velocity_enu,
            velocity_cov: Matrix2::identity() * 0.25,
            speed_mps: speed,
            heading_deg: enu_yaw_rad_to_csae_heading_deg(yaw),
            yaw_rate_rps: None,
            accel: None,
            position_wgs84: Wgs84::default(),
            size: None,
            vehicle_id: None,
            v2x_only: false,
            age_ms: 0,
            since_update_ms: 0,
            sources: [EMPTY_RECORD; MAX_SOURCES],
            n_sources: 0,
        }
    }

    /// The sources that reported this object (provenance).
    pub fn sources(&self) -> &[SourceRecord] {
        self.sources.get(..self.n_sources).unwrap_or(&[])
    }
}

/// A report waiting for the next step, already in ENU.
#[derive(Debug, Clone, Copy)]
struct Pending {
    source: SourceId,
    object_id: u64,
    vehicle_id: Option<[u8; 8]>,
    source_type: SourceType,
    time: Timestamp,
    meas: Meas,
    /// Reported acceleration, m/s².
    accel_mps2: Option<f64>,
    /// Speed and its variance at the report's own time (before latency compensation).
    speed: Option<(f64, f64)>,
    /// Age at the fusion time, s.
    age_s: f64,
    class: ObjectClass,
    size: Option<ObjectSize>,
    seq: u64,
    valid: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum LinkKey {
    Object(SourceId, u64),
    Vehicle([u8; 8]),
}

#[derive(Debug, Clone, Copy)]
struct EgoLink {
    source: SourceId,
    object_id: u64,
    last_seen: Timestamp,
}

const EGO_LINKS: usize = 8;

/// A broken invariant of the track table (see [`Tracker::check_invariants`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvariantViolation {
    /// A track's state is not finite or its covariance not symmetric positive semi-definite.
    UnsoundState(u32),
    /// Two tracks share an id.
    DuplicateId(u32),
    /// More tracks than the table holds.
    TooManyTracks,
    /// A track lies outside the frame's range.
    OutOfRange(u32),
    /// A track has no source record (provenance lost).
    NoSources(u32),
}

/// The fusion tracker. See the [module docs](super).
#[derive(Debug, Clone)]
pub struct Tracker {
    config: FusionConfig,
    frame: EnuFrame,
    tracks: Vec<Track>,
    pending: Vec<Pending>,
    ego: EgoHistory,
    ego_dims: (f64, f64),
    ego_id: Option<[u8; 8]>,
    ego_links: [Option<EgoLink>; EGO_LINKS],
    counters: FusionCounters,
    next_id: u32,
    seq: u64,
    stamp: u32,
    last_step: Option<Timestamp>,
    links: Vec<(LinkKey, u32)>,
    meas_items: Vec<GateItem>,
    track_items: Vec<GateItem>,
    assoc_out: Vec<Option<usize>>,
    targets: Vec<Option<usize>>,
    merge_order: Vec<u32>,
    associator: Associator,
}

impl Tracker {
    /// A tracker whose ENU frame is anchored at `origin` (re-anchored later as the ego moves).
    /// Allocates the track table and all buffers now.
    pub fn new(config: FusionConfig, origin: Wgs84) -> Result<Self, FusionError> {
        let frame = EnuFrame::new(origin)?;
        let nt = config.max_tracks.max(1);
        let np = config.max_pending.max(1);
        Ok(Tracker {
            config,
            frame,
            tracks: Vec::with_capacity(nt),
            pending: Vec::with_capacity(np),
            ego: EgoHistory::default(),
            ego_dims: (4.8, 1.9),
            ego_id: None,
            ego_links: [None; EGO_LINKS],
            counters: FusionCounters::default(),
            next_id: 1,
            seq: 0,
            stamp: 0,
            last_step: None,
            links: Vec::with_capacity(nt * (MAX_SOURCES + 1)),
            meas_items: Vec::with_capacity(np),
            track_items: Vec::with_capacity(nt),
            assoc_out: Vec::with_capacity(np),
            targets: Vec::with_capacity(np),
            merge_order: Vec::with_capacity(nt),
            associator: Associator::with_capacity(np, nt),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &FusionConfig {
        &self.config
    }

    /// The current ENU frame.
    pub fn frame(&self) -> &EnuFrame {
        &self.frame
    }

    /// Counters since creation.
    pub fn counters(&self) -> &FusionCounters {
        &self.counters
    }

    /// All tracks, tentative ones included.
    pub fn tracks(&self) -> &[Track] {
        &self.tracks
    }

    /// Reports waiting for the next step.
    pub fn pending_len(&self) -> usize {
        self.pending.len()
    }

    /// Bytes held by the track table and all scratch buffers (to check that memory stays flat).
    pub fn capacity_bytes(&self) -> usize {
        use core::mem::size_of;
        self.tracks.capacity() * size_of::<Track>()
            + self.pending.capacity() * size_of::<Pending>()
            + self.links.capacity() * size_of::<(LinkKey, u32)>()
            + self.meas_items.capacity() * size_of::<GateItem>()
            + self.track_items.capacity() * size_of::<GateItem>()
            + self.assoc_out.capacity() * size_of::<Option<usize>>()
            + self.targets.capacity() * size_of::<Option<usize>>()
            + self.merge_order.capacity() * size_of::<u32>()
            + self.associator.capacity() * size_of::<f64>()
    }

    /// Feeds the ego's own state (from its positioning). States must come in time order.
    pub fn set_ego_state(&mut self, s: &EgoState) -> Result<(), FusionError> {
        let finite = [
            s.heading_deg,
            s.speed_mps,
            s.yaw_rate_rps,
            s.position_sigma_m,
            s.heading_sigma_deg,
            s.length_m,
            s.width_m,
        ]
        .iter()
        .all(|v| v.is_finite());
        if !finite {
            self.counters.count(RejectReason::NonFinite);
            return Err(FusionError::Rejected(RejectReason::NonFinite));
        }
        let pos = match self
            .frame
            .enu_from_wgs84(&Wgs84::new(s.lat_deg, s.lon_deg, s.alt_m))
        {
            Ok(p) => p,
            Err(e) => {
                self.counters.count(match e {
                    crate::geo::GeoError::NonFinite => RejectReason::NonFinite,
                    crate::geo::GeoError::OutOfRange => RejectReason::OutOfRange,
                });
                return Err(e.into());
            }
        };
        if abs(s.speed_mps) > MAX_SPEED_MPS
            || abs(s.yaw_rate_rps) > MAX_YAW_RATE_RPS
            || abs(s.heading_deg) > 1.0e4
            || hypot(pos.x, pos.y) > MAX_RANGE_M
            || !(0.0..=MAX_SIZE_M).contains(&s.length_m)
            || !(0.0..=MAX_SIZE_M).contains(&s.width_m)
            || !(0.0..=1.0e3).contains(&s.position_sigma_m)
            || !(0.0..=180.0).contains(&s.heading_sigma_deg)
        {
            self.counters.count(RejectReason::OutOfRange);
            return Err(FusionError::Rejected(RejectReason::OutOfRange));
        }
        let pose = EgoPose {
            time: s.time,
            pos: Vector2::new(pos.x, pos.y),
            yaw_rad: csae_heading_deg_to_enu_yaw_rad(s.heading_deg),
            speed_mps: s.speed_mps,
            yaw_rate_rps: s.yaw_rate_rps,
            pos_var_m2: (s.position_sigma_m * s.position_sigma_m).max(1e-4),
            yaw_var_rad2: (s.heading_sigma_deg.to_radians() * s.heading_sigma_deg.to_radians())
                .max(1e-8),
        };
        if !self.ego.push(pose) {
            self.counters.ego_out_of_sequence += 1;
            return Err(FusionError::EgoOutOfSequence);
        }
        self.ego_dims = (s.length_m, s.width_m);
        self.ego_id = s.vehicle_id;
        Ok(())
    }

    /// Moves the frame origin to `origin`, carrying tracks, pending reports and the ego history
    /// over.
    pub fn reanchor(&mut self, origin: Wgs84) -> Result<(), FusionError> {
        let old = self.frame.reanchor(origin)?;
        let new = self.frame;
        let rot = old.horizontal_rotation_to(&new);
        let dyaw = old.transfer_yaw_rad(&new, 0.0);
        let mv = |p: Vector2<f64>| {
            let q = old.transfer_point(&new, &Vector3::new(p.x, p.y, 0.0));
            Vector2::new(q.x, q.y)
        };
        for t in &mut self.tracks {
            let p = mv(t.filter.position());
            t.filter.transfer(p, &rot, dyaw);
        }
        let mut tm = Matrix4::identity();
        tm.fixed_view_mut::<2, 2>(0, 0).copy_from(&rot);
        for p in &mut self.pending {
            let q = mv(p.meas.position());
            p.meas.z[0] = q.x;
            p.meas.z[1] = q.y;
            p.meas.z[3] = wrap_angle_rad(p.meas.z[3] + dyaw);
            p.meas.r = tm * p.meas.r * tm.transpose();
        }
        self.ego.for_each_mut(|e| {
            e.pos = mv(e.pos);
            e.yaw_rad = wrap_angle_rad(e.yaw_rad + dyaw);
        });
        // Whatever is now out of the frame's range (a far jump of the origin) is dropped.
        let out = |p: Vector2<f64>| !(abs(p.x) <= MAX_RANGE_M && abs(p.y) <= MAX_RANGE_M);
        for t in &mut self.tracks {
            if out(t.filter.position()) || !t.filter.is_sound() {
                t.dead = true;
            }
        }
        self.remove_dead();
        for k in 0..self.pending.len() {
            if self
                .pending
                .get(k)
                .is_some_and(|p| p.valid && out(p.meas.position()))
            {
                self.drop_pending(k, RejectReason::OutOfRange);
            }
        }
        self.counters.reanchored += 1;
        Ok(())
    }

    fn reject(&mut self, r: RejectReason) -> Result<(), FusionError> {
        self.counters.count(r);
        Err(FusionError::Rejected(r))
    }

    /// Accepts one report for the next [`Tracker::step`]. Invalid reports are rejected here with
    /// a counted reason.
    pub fn ingest(&mut self, obs: &Observation) -> Result<(), FusionError> {
        if !observation_is_finite(obs) {
            return self.reject(RejectReason::NonFinite);
        }
        if self.pending.len() >= self.config.max_pending {
            return self.reject(RejectReason::QueueFull);
        }
        if let Some(last) = self.last_step {
            if last.micros_since(obs.time) > self.config.max_age_ms.saturating_mul(1000) {
                return self.reject(RejectReason::TooOld);
            }
        }
        match self.convert(obs) {
            Ok(p) => {
                self.pending.push(p);
                self.counters.ingested += 1;
                Ok(())
            }
            Err(r) => self.reject(r),
        }
    }

    fn convert(&mut self, obs: &Observation) -> Result<Pending, RejectReason> {
        use RejectReason::*;
        let noise = default_noise(obs.source.kind, obs.source_type);
        let max_ex = self.config.max_ego_extrapolation_ms.saturating_mul(1000);
        let needs_ego = matches!(obs.position, ObsPosition::Ego { .. })
            || matches!(obs.motion, ObsMotion::EgoVelocity { .. });
        let ego = if needs_ego {
            Some(self.ego.at_time(obs.time, max_ex).ok_or(NoEgoPose)?)
        } else {
            None
        };
        let pos_cov_given = match obs.covariance.position_m2 {
            Some(c) => Some(check_cov(&c)?),
            None => None,
        };
        let default_pos = Matrix2::identity() * noise.position_sigma_m * noise.position_sigma_m;
        // Position.
        let (pos, mut pos_cov) = match (obs.position, ego) {
            (ObsPosition::Enu { x_m, y_m }, _) => {
                (Vector2::new(x_m, y_m), pos_cov_given.unwrap_or(default_pos))
            }
            (ObsPosition::Wgs84 { lat_deg, lon_deg }, _) => {
                let w = Wgs84::new(lat_deg, lon_deg, self.frame.origin().alt_m);
                let p = self.frame.enu_from_wgs84(&w).map_err(|_| OutOfRange)?;
                (Vector2::new(p.x, p.y), pos_cov_given.unwrap_or(default_pos))
            }
            (ObsPosition::Ego { x_m, y_m }, Some(e)) => {
                if abs(x_m) > MAX_EGO_OFFSET_M || abs(y_m) > MAX_EGO_OFFSET_M {
                    return Err(OutOfRange);
                }
                let rot = e.rotation();
                let off = rot * Vector2::new(x_m, y_m);
                let c = rot * pos_cov_given.unwrap_or(default_pos) * rot.transpose();
                // Lever arm of the ego's yaw uncertainty.
                let j = Vector2::new(-off.y, off.x);
                let c = c + Matrix2::identity() * e.pos_var_m2 + j * j.transpose() * e.yaw_var_rad2;
                (e.pos + off, c)
            }
            (ObsPosition::Ego { .. }, None) => return Err(NoEgoPose),
        };
        if abs(pos.x) > MAX_RANGE_M || abs(pos.y) > MAX_RANGE_M {
            return Err(OutOfRange);
        }
        pos_cov[(0, 0)] += 1e-4;
        pos_cov[(1, 1)] += 1e-4;
        // Motion as (speed, yaw) with covariance.
        let vel_cov_given = match obs.covariance.velocity_m2ps2 {
            Some(c) => Some(check_cov(&c)?),
            None => None,
        };
        let default_vel = Matrix2::identity() * noise.speed_sigma_mps * noise.speed_sigma_mps;
        let polar = match obs.motion {
            ObsMotion::None => None,
            ObsMotion::SpeedHeading {
                speed_mps,
                heading_deg,
            } => {
                if !(0.0..=MAX_SPEED_MPS).contains(&speed_mps) || abs(heading_deg) > 1.0e4 {
                    return Err(OutOfRange);
                }
                let ss = sigma_or(obs.covariance.speed_sigma_mps, noise.speed_sigma_mps)?;
                let sh = sigma_or(obs.covariance.heading_sigma_deg, noise.heading_sigma_deg)?
                    .to_radians();
                // A standing object's heading says nothing about where it will move.
                let yaw_var =
                    sh * sh + 1e-6 + UNKNOWN_YAW_VAR * standstill_weight(speed_mps, ss * ss);
                Some((
                    speed_mps,
                    csae_heading_deg_to_enu_yaw_rad(heading_deg),
                    Matrix2::new(ss * ss + 1e-4, 0.0, 0.0, yaw_var),
                ))
            }
            ObsMotion::EnuVelocity { vx_mps, vy_mps } => {
                if abs(vx_mps) > MAX_SPEED_MPS || abs(vy_mps) > MAX_SPEED_MPS {
                    return Err(OutOfRange);
                }
                Some(cart_to_polar(
                    Vector2::new(vx_mps, vy_mps),
                    &vel_cov_given.unwrap_or(default_vel),
                ))
            }
            ObsMotion::EgoVelocity {
                vx_mps,
                vy_mps,
                relative,
            } => {
                if abs(vx_mps) > MAX_SPEED_MPS || abs(vy_mps) > MAX_SPEED_MPS {
                    return Err(OutOfRange);
                }
                let e = ego.ok_or(NoEgoPose)?;
                let rot = e.rotation();
                let mut v = rot * Vector2::new(vx_mps, vy_mps);
                let mut c = rot * vel_cov_given.unwrap_or(default_vel) * rot.transpose();
                if relative {
                    let r = pos - e.pos;
                    v += e.velocity() + Vector2::new(-r.y, r.x) * e.yaw_rate_rps;
                    c += Matrix2::identity() * 0.01;
                }
                Some(cart_to_polar(v, &c))
            }
        };
        if let Some(w) = obs.yaw_rate_rps {
            if abs(w) > MAX_YAW_RATE_RPS {
                return Err(OutOfRange);
            }
        }
        if obs.accel_mps2.is_some_and(|a| abs(a) > MAX_ACCEL_MPS2) {
            return Err(OutOfRange);
        }
        if let Some(s) = obs.size {
            let ok = |v: f64| (0.0..=MAX_SIZE_M).contains(&v);
            if !(ok(s.length_m) && ok(s.width_m) && ok(s.height_m)) {
                return Err(OutOfRange);
            }
        }
        let mut r = Matrix4::zeros();
        r.fixed_view_mut::<2, 2>(0, 0).copy_from(&pos_cov);
        let (z, has_motion) = match polar {
            Some((v, yaw, c)) => {
                r.fixed_view_mut::<2, 2>(2, 2).copy_from(&c);
                (Vector4::new(pos.x, pos.y, v, yaw), true)
            }
            None => {
                r[(2, 2)] = 1.0;
                r[(3, 3)] = 1.0;
                (Vector4::new(pos.x, pos.y, 0.0, 0.0), false)
            }
        };
        let class = match (obs.source.kind, obs.class) {
            (SourceKind::Bsm, ObjectClass::Unknown) => ObjectClass::Motor,
            (_, c) => c,
        };
        self.seq += 1;
        Ok(Pending {
            source: obs.source,
            object_id: obs.object_id,
            vehicle_id: obs.vehicle_id,
            source_type: obs.source_type,
            time: obs.time,
            meas: Meas {
                z,
                r,
                has_motion,
                yaw_rate_rps: obs.yaw_rate_rps,
            },
            accel_mps2: obs.accel_mps2,
            speed: has_motion.then_some((z[2], r[(2, 2)])),
            age_s: 0.0,
            class,
            size: obs.size,
            seq: self.seq,
            valid: true,
        })
    }

    /// Runs one fusion cycle at time `now`: latency compensation, self-filter, association,
    /// fusion, track life. Reports ingested since the previous step are consumed.
    pub fn step(&mut self, now: Timestamp) -> Result<(), FusionError> {
        if self.last_step.is_some_and(|l| now < l) {
            self.counters.time_went_backwards += 1;
            return Err(FusionError::TimeWentBackwards);
        }
        self.maybe_reanchor();
        // Predict tracks to now.
        for t in &mut self.tracks {
            let dt = now.seconds_since(t.time);
            if dt > 0.0 {
                let noise = self.config.noise(t.class);
                t.filter.predict(dt, noise);
                t.accel.predict(dt, noise.jerk_sigma_mps3);
                t.time = now;
            }
        }
        self.prepare_pending(now);
        self.self_filter(now);
        // Per-source batches in deterministic order.
        let mut start = 0;
        while start < self.pending.len() {
            let src = self.pending.get(start).map(|p| p.source);
            let mut end = start;
            while end < self.pending.len() && self.pending.get(end).map(|p| p.source) == src {
                end += 1;
            }
            self.process_batch(start, end, now);
            start = end;
        }
        self.pending.clear();
        self.manage_tracks(now);
        self.merge_duplicates(now);
        self.last_step = Some(now);
        Ok(())
    }

    fn maybe_reanchor(&mut self) {
        let Some(e) = self.ego.latest() else {
            return;
        };
        if e.pos.norm() > self.config.reanchor_distance_m {
            let o = self
                .frame
                .wgs84_from_enu(&Vector3::new(e.pos.x, e.pos.y, 0.0));
            let origin = Wgs84::new(o.lat_deg, o.lon_deg, self.frame.origin().alt_m);
            // The new origin comes from a valid ENU point; a failure leaves the frame unchanged.
            let _ = self.reanchor(origin);
        }
    }

    fn prepare_pending(&mut self, now: Timestamp) {
        self.pending.sort_unstable_by(|a, b| {
            (a.source, a.object_id, a.time, a.seq).cmp(&(b.source, b.object_id, b.time, b.seq))
        });
        let max_age = self.config.max_age_ms.saturating_mul(1000);
        let max_future = self.config.max_future_ms.saturating_mul(1000);
        let n = self.pending.len();
        for k in 0..n {
            let next_same = self
                .pending
                .get(k + 1)
                .zip(self.pending.get(k))
                .is_some_and(|(b, a)| a.source == b.source && a.object_id == b.object_id);
            let Some(p) = self.pending.get_mut(k) else {
                continue;
            };
            let age = now.micros_since(p.time);
            let reason = if next_same {
                Some(RejectReason::Superseded)
            } else if age > max_age {
                Some(RejectReason::TooOld)
            } else if -age > max_future {
                Some(RejectReason::FromFuture)
            } else {
                None
            };
            if let Some(r) = reason {
                p.valid = false;
                self.counters.count(r);
                continue;
            }
            let noise_accel = self.config.report_accel_sigma_mps2;
            p.age_s = age as f64 * 1e-6;
            p.meas.predict(
                p.age_s,
                p.accel_mps2.unwrap_or(0.0),
                noise_accel,
                self.config.report_yaw_rate_sigma_rps,
                self.config.unknown_speed_sigma_mps,
            );
            if !(p.meas.z.iter().all(|v| v.is_finite()) && p.meas.r.iter().all(|v| v.is_finite())) {
                p.valid = false;
                self.counters.count(RejectReason::NonFinite);
            }
        }
    }

    fn self_filter(&mut self, now: Timestamp) {
        let ego = self.ego.at_time(
            now,
            self.config.max_ego_extrapolation_ms.saturating_mul(1000),
        );
        let gate = chi2_2dof(self.config.self_filter_confidence);
        let link_gate = chi2_2dof(self.config.link_gate_confidence);
        let window = self.config.coast_after_ms.saturating_mul(1000);
        // Forget ego links not seen for a while.
        for l in &mut self.ego_links {
            if l.is_some_and(|x| now.micros_since(x.last_seen) > 2_000_000) {
                *l = None;
            }
        }
        for k in 0..self.pending.len() {
            let Some(p) = self.pending.get(k).copied() else {
                continue;
            };
            if !p.valid || !p.source.kind.is_v2x() {
                continue;
            }
            if p.vehicle_id.is_some() && p.vehicle_id == self.ego_id {
                self.drop_pending(k, RejectReason::EgoById);
                continue;
            }
            // Another vehicle's own BSM under a vehicle id that is not the ego's is not the ego,
            // however close it drives (a neighbour in the next lane at the same speed).
            if p.source.kind == SourceKind::Bsm
                && self.ego_id.is_some()
                && p.vehicle_id.is_some()
                && p.vehicle_id != self.ego_id
            {
                continue;
            }
            let Some(e) = ego else {
                continue;
            };
            if !p.class.compatible(ObjectClass::Motor) {
                continue;
            }
            let d2e = ego_d2(&e, self.ego_dims, &p.meas);
            let linked = self
                .ego_links
                .iter()
                .flatten()
                .any(|l| l.source == p.source && l.object_id == p.object_id);
            let near = if linked {
                d2e <= link_gate
            } else {
                d2e <= gate && ego_motion_matches(&e, &p.meas)
            };
            // A track that an onboard sensor sees is a better explanation when it is nearer in
            // the Mahalanobis sense (a neighbour in the next lane at the ego's speed).
            let is_ego = near && {
                let item = GateItem {
                    pos: p.meas.position(),
                    cov: p.meas.position_cov(),
                    class: p.class,
                    active: true,
                };
                !self.tracks.iter().any(|t| {
                    t.fresh_onboard(now, window)
                        && t.class.compatible(p.class)
                        && super::associate::d2(&item, &t.gate_item(true)).is_some_and(|d| d < d2e)
                })
            };
            if is_ego {
                self.remember_ego_link(p.source, p.object_id, now);
                self.drop_pending(k, RejectReason::EgoByGate);
            }
        }
    }

    fn remember_ego_link(&mut self, source: SourceId, object_id: u64, now: Timestamp) {
        let link = EgoLink {
            source,
            object_id,
            last_seen: now,
        };
        if let Some(slot) = self
            .ego_links
            .iter_mut()
            .find(|l| l.is_some_and(|x| x.source == source && x.object_id == object_id))
        {
            *slot = Some(link);
            return;
        }
        let slot = match self.ego_links.iter().position(Option::is_none) {
            Some(i) => i,
            None => {
                let mut oldest = 0;
                for (i, l) in self.ego_links.iter().enumerate() {
                    let t = l.map_or(Timestamp::EPOCH, |x| x.last_seen);
                    let o = self
                        .ego_links
                        .get(oldest)
                        .and_then(|x| x.map(|x| x.last_seen))
                        .unwrap_or(Timestamp::EPOCH);
                    if t < o {
                        oldest = i;
                    }
                }
                oldest
            }
        };
        if let Some(s) = self.ego_links.get_mut(slot) {
            *s = Some(link);
        }
    }

    fn drop_pending(&mut self, k: usize, r: RejectReason) {
        if let Some(p) = self.pending.get_mut(k) {
            p.valid = false;
        }
        self.counters.count(r);
    }

    fn rebuild_links(&mut self) {
        self.links.clear();
        for (i, t) in self.tracks.iter().enumerate() {
            if t.dead {
                continue;
            }
            let records = if t.unlinked { &[][..] } else { t.sources() };
            for r in records {
                self.links
                    .push((LinkKey::Object(r.source, r.object_id), i as u32));
            }
            if let Some(v) = t.vehicle_id {
                self.links.push((LinkKey::Vehicle(v), i as u32));
            }
        }
        self.links.sort_unstable_by_key(|a| a.0);
    }

    fn lookup(&self, key: &LinkKey) -> Option<usize> {
        let i = self.links.binary_search_by(|e| e.0.cmp(key)).ok()?;
        self.links.get(i).map(|e| e.1 as usize)
    }

    fn process_batch(&mut self, start: usize, end: usize, now: Timestamp) {
        self.rebuild_links();
        self.stamp = self.stamp.wrapping_add(1);
        let stamp = self.stamp;
        let n = end - start;
        self.targets.clear();
        self.targets.resize(n, None);
        let link_gate = chi2_2dof(self.config.link_gate_confidence);
        let gate = chi2_2dof(self.config.gate_confidence);
        let window = self.config.coast_after_ms.saturating_mul(1000);
        // 1. Identity continuity: (source, object id), then vehicle id.
        for k in 0..n {
            let Some(p) = self.pending.get(start + k).copied() else {
                continue;
            };
            if !p.valid {
                continue;
            }
            let by_object = self.lookup(&LinkKey::Object(p.source, p.object_id));
            let by_vehicle = p.vehicle_id.and_then(|v| self.lookup(&LinkKey::Vehicle(v)));
            let Some(ti) = by_object.or(by_vehicle) else {
                continue;
            };
            let Some(t) = self.tracks.get_mut(ti) else {
                continue;
            };
            if let Some(rec) = t.record(p.source, p.object_id) {
                if p.time <= rec.last_update {
                    if let Some(pp) = self.pending.get_mut(start + k) {
                        pp.valid = false;
                    }
                    self.counters.count(RejectReason::OutOfSequence);
                    continue;
                }
            }
            if t.batch_stamp == stamp {
                continue;
            }
            let ok = t.class.compatible(p.class)
                && t.filter
                    .position_d2(&p.meas)
                    .is_some_and(|d| d <= link_gate);
            if ok {
                t.batch_stamp = stamp;
                if let Some(tg) = self.targets.get_mut(k) {
                    *tg = Some(ti);
                }
            } else {
                self.counters.links_broken += 1;
                if by_object.is_some() {
                    if let Some(i) = t
                        .sources()
                        .iter()
                        .position(|r| r.source == p.source && r.object_id == p.object_id)
                    {
                        // The last record stays as provenance, without linking.
                        if t.n_sources > 1 {
                            t.remove_record_at(i);
                        } else {
                            t.unlinked = true;
                        }
                    }
                }
            }
        }
        // 2. Gating and optimal assignment for the rest.
        self.meas_items.clear();
        for k in 0..n {
            let Some(p) = self.pending.get(start + k) else {
                continue;
            };
            let active = p.valid && self.targets.get(k).is_some_and(|t| t.is_none());
            self.meas_items.push(GateItem {
                pos: p.meas.position(),
                cov: p.meas.position_cov(),
                class: p.class,
                active,
            });
        }
        let src = self.pending.get(start).map(|p| p.source);
        self.track_items.clear();
        for t in &self.tracks {
            // A track this source currently reports under another id is another object for it.
            let claimed = t
                .sources()
                .iter()
                .any(|r| Some(r.source) == src && now.micros_since(r.last_update) <= window);
            let active = !t.dead && t.batch_stamp != stamp && !claimed;
            self.track_items.push(t.gate_item(active));
        }
        self.associator.associate(
            &self.meas_items,
            &self.track_items,
            gate,
            &mut self.assoc_out,
        );
        // 3. Update or create.
        for k in 0..n {
            let Some(p) = self.pending.get(start + k).copied() else {
                continue;
            };
            if !p.valid {
                continue;
            }
            let target = self
                .targets
                .get(k)
                .copied()
                .flatten()
                .or_else(|| self.assoc_out.get(k).copied().flatten());
            match target {
                Some(ti) => self.update_track(ti, &p, now, stamp),
                None => self.create_track(&p, now, stamp),
            }
        }
    }

    fn update_track(&mut self, ti: usize, p: &Pending, now: Timestamp, stamp: u32) {
        let Some(t) = self.tracks.get_mut(ti) else {
            return;
        };
        t.batch_stamp = stamp;
        if p.class != ObjectClass::Unknown && p.class != t.class {
            t.class = p.class;
            t.filter.convert(t.class.uses_ctrv());
        }
        match t.filter.update(&p.meas, self.config.ci_weight) {
            Ok(_) => self.counters.fused += 1,
            Err(_) => {
                self.counters.numeric_failures += 1;
                return;
            }
        }
        if let Some((v, var)) = p.speed {
            t.accel.update_speed(v, var, p.age_s);
        }
        if let Some(a) = p.accel_mps2 {
            let sa = default_accel_sigma_mps2(p.source.kind);
            t.accel.update_accel(a, sa * sa);
        }
        t.last_update = now;
        t.hits = t.hits.saturating_add(1);
        if let Some(s) = p.size {
            t.size = Some(match t.size {
                Some(o) => ObjectSize {
                    length_m: 0.7 * o.length_m + 0.3 * s.length_m,
                    width_m: 0.7 * o.width_m + 0.3 * s.width_m,
                    height_m: 0.7 * o.height_m + 0.3 * s.height_m,
                },
                None => s,
            });
        }
        if p.vehicle_id.is_some() {
            t.vehicle_id = p.vehicle_id;
        }
        if t.unlinked {
            // A live source replaces the broken link's record, or re-links it.
            if t.record(p.source, p.object_id).is_none() {
                t.n_sources = 0;
            }
            t.unlinked = false;
        }
        t.add_record(SourceRecord {
            source: p.source,
            object_id: p.object_id,
            source_type: p.source_type,
            first_seen: p.time,
            last_update: p.time,
            updates: 1,
        });
        if let Some(r) = t.record_mut(p.source, p.object_id) {
            r.source_type = p.source_type;
        }
        let params = self.config.source_params(p.source.kind);
        let confirmed_before = t.status != TrackStatus::Tentative;
        t.status = match t.status {
            TrackStatus::Coasting | TrackStatus::Confirmed => TrackStatus::Confirmed,
            TrackStatus::Tentative => {
                if confirms(params, &p.meas) || t.hits >= params.confirm_hits {
                    TrackStatus::Confirmed
                } else {
                    TrackStatus::Tentative
                }
            }
        };
        if !confirmed_before && t.status == TrackStatus::Confirmed {
            self.counters.tracks_confirmed += 1;
        }
    }

    fn create_track(&mut self, p: &Pending, now: Timestamp, stamp: u32) {
        if self.tracks.len() >= self.config.max_tracks {
            self.counters.count(RejectReason::TrackTableFull);
            return;
        }
        let params = self.config.source_params(p.source.kind);
        let confirmed = confirms(params, &p.meas) || params.confirm_hits <= 1;
        let mut sources = [EMPTY_RECORD; MAX_SOURCES];
        sources[0] = SourceRecord {
            source: p.source,
            object_id: p.object_id,
            source_type: p.source_type,
            first_seen: p.time,
            last_update: p.time,
            updates: 1,
        };
        let id = self.next_id;
        self.next_id = self.next_id.checked_add(1).unwrap_or(1);
        self.tracks.push(Track {
            id,
            status: if confirmed {
                TrackStatus::Confirmed
            } else {
                TrackStatus::Tentative
            },
            class: p.class,
            filter: Filter::from_meas(&p.meas, p.class.uses_ctrv()),
            accel: new_accel_filter(p),
            time: now,
            size: p.size,
            vehicle_id: p.vehicle_id,
            created: now,
            last_update: now,
            hits: 1,
            sources,
            n_sources: 1,
            batch_stamp: stamp,
            dead: false,
            unlinked: false,
        });
        self.counters.tracks_created += 1;
        if confirmed {
            self.counters.tracks_confirmed += 1;
        }
    }

    fn manage_tracks(&mut self, now: Timestamp) {
        let cfg = self.config;
        let max_var = cfg.max_position_sigma_m * cfg.max_position_sigma_m;
        for t in &mut self.tracks {
            let since = now.micros_since(t.last_update);
            // Provenance: forget sources that stopped reporting.
            let mut i = 0;
            while i < t.n_sources {
                let stale = t.sources.get(i).is_some_and(|r| {
                    now.micros_since(r.last_update)
                        > cfg
                            .source_params(r.source.kind)
                            .delete_after_ms
                            .saturating_mul(1000)
                });
                if stale && t.n_sources > 1 {
                    t.remove_record_at(i);
                } else {
                    i += 1;
                }
            }
            let delete_after = t
                .sources()
                .iter()
                .map(|r| cfg.source_params(r.source.kind).delete_after_ms)
                .max()
                .unwrap_or(cfg.onboard.delete_after_ms)
                .saturating_mul(1000);
            match t.status {
                TrackStatus::Tentative if since > cfg.tentative_timeout_ms.saturating_mul(1000) => {
                    t.dead = true;
                }
                TrackStatus::Confirmed if since > cfg.coast_after_ms.saturating_mul(1000) => {
                    t.status = TrackStatus::Coasting;
                }
                _ => {}
            }
            if since > delete_after {
                t.dead = true;
            }
            let pc = t.filter.position_cov();
            if pc[(0, 0)].max(pc[(1, 1)]) > max_var || !t.filter.is_sound() {
                t.dead = true;
            }
        }
        self.remove_dead();
    }

    fn remove_dead(&mut self) {
        let before = self.tracks.len();
        self.tracks.retain(|t| !t.dead);
        self.counters.tracks_deleted += (before - self.tracks.len()) as u64;
    }

    fn merge_duplicates(&mut self, now: Timestamp) {
        let gate = chi2_2dof(self.config.merge_confidence);
        let window = self.config.coast_after_ms.saturating_mul(1000);
        self.merge_order.clear();
        self.merge_order.extend(0..self.tracks.len() as u32);
        let tracks = &self.tracks;
        self.merge_order.sort_unstable_by(|a, b| {
            let xa = tracks
                .get(*a as usize)
                .map_or(0.0, |t| t.filter.position().x);
            let xb = tracks
                .get(*b as usize)
                .map_or(0.0, |t| t.filter.position().x);
            xa.total_cmp(&xb)
        });
        const REACH_M: f64 = 8.0;
        let mut merged = 0u64;
        for a in 0..self.merge_order.len() {
            for b in a + 1..self.merge_order.len() {
                let (Some(&ia), Some(&ib)) = (self.merge_order.get(a), self.merge_order.get(b))
                else {
                    break;
                };
                // Borrowed, not copied: most pairs are looked at and left alone.
                let (Some(ta), Some(tb)) =
                    (self.tracks.get(ia as usize), self.tracks.get(ib as usize))
                else {
                    break;
                };
                let (pa, pb) = (ta.filter.position(), tb.filter.position());
                if pb.x - pa.x > REACH_M {
                    break;
                }
                if ta.dead || tb.dead || abs(pb.y - pa.y) > REACH_M {
                    continue;
                }
                if !should_merge(ta, tb, gate, now, window) {
                    continue;
                }
                let (keep, drop) = if ta.id <= tb.id { (ia, ib) } else { (ib, ia) };
                let Some(other) = self.tracks.get(drop as usize).copied() else {
                    continue;
                };
                let Some(k) = self.tracks.get_mut(keep as usize) else {
                    continue;
                };
                if k.filter.merge(&other.filter).is_err() {
                    self.counters.numeric_failures += 1;
                    continue;
                }
                // Records of a broken link never become links through a merge.
                if k.unlinked && !other.unlinked {
                    k.n_sources = 0;
                    k.unlinked = false;
                }
                if k.n_sources == 0 || !other.unlinked {
                    for r in other.sources() {
                        k.add_record(*r);
                    }
                }
                if k.class == ObjectClass::Unknown {
                    k.class = other.class;
                    k.filter.convert(k.class.uses_ctrv());
                }
                if k.accel.estimate().is_none() {
                    k.accel = other.accel;
                }
                k.hits = k.hits.saturating_add(other.hits);
                k.status = best_status(k.status, other.status);
                k.last_update = k.last_update.max(other.last_update);
                k.created = k.created.min(other.created);
                k.vehicle_id = k.vehicle_id.or(other.vehicle_id);
                k.size = k.size.or(other.size);
                if let Some(d) = self.tracks.get_mut(drop as usize) {
                    d.dead = true;
                }
                merged += 1;
            }
        }
        if merged > 0 {
            // Merges are counted apart from deletions.
            self.counters.tracks_merged += merged;
            self.tracks.retain(|t| !t.dead);
        }
    }

    /// Writes the confirmed and coasting objects into `out` (cleared first; its capacity is
    /// reused, so a caller that keeps `out` does not allocate in steady state).
    pub fn snapshot(&self, out: &mut Vec<FusedObject>) {
        out.clear();
        let now = self.last_step.unwrap_or(Timestamp::EPOCH);
        let window = self.config.coast_after_ms.saturating_mul(1000);
        for t in &self.tracks {
            if t.status == TrackStatus::Tentative {
                continue;
            }
            let pos = t.filter.position();
            let (speed, yaw) = t.filter.speed_yaw();
            let w = self.frame.wgs84_from_enu(&Vector3::new(pos.x, pos.y, 0.0));
            out.push(FusedObject {
                id: t.id,
                status: t.status,
                class: t.class,
                time: t.time,
                position_enu: pos,
                position_cov: t.filter.position_cov(),
                velocity_enu: t.filter.velocity(),
                velocity_cov: velocity_cov(&t.filter),
                speed_mps: speed,
                heading_deg: enu_yaw_rad_to_csae_heading_deg(yaw),
                yaw_rate_rps: t.filter.yaw_rate_rps(),
                accel: t.accel.estimate().map(|(a, var)| AccelEstimate {
                    accel_mps2: a,
                    var_m2ps4: var,
                }),
                position_wgs84: w,
                size: t.size,
                vehicle_id: t.vehicle_id,
                v2x_only: !t.fresh_onboard(now, window),
                age_ms: now.micros_since(t.created) / 1000,
                since_update_ms: now.micros_since(t.last_update) / 1000,
                sources: t.sources,
                n_sources: t.n_sources,
            });
        }
    }

    /// Checks the track table: finite states, symmetric positive semi-definite covariances,
    /// unique ids, bounded count, positions within range, at least one source per track.
    pub fn check_invariants(&self) -> Result<(), InvariantViolation> {
        if self.tracks.len() > self.config.max_tracks {
            return Err(InvariantViolation::TooManyTracks);
        }
        for (i, t) in self.tracks.iter().enumerate() {
            if !(t.filter.is_sound() && t.accel.is_sound()) {
                return Err(InvariantViolation::UnsoundState(t.id));
            }
            if t.sources().is_empty() {
                return Err(InvariantViolation::NoSources(t.id));
            }
            let p = t.filter.position();
            if abs(p.x) > 2.0 * MAX_RANGE_M || abs(p.y) > 2.0 * MAX_RANGE_M {
                return Err(InvariantViolation::OutOfRange(t.id));
            }
            if self.tracks.iter().skip(i + 1).any(|u| u.id == t.id) {
                return Err(InvariantViolation::DuplicateId(t.id));
            }
        }
        Ok(())
    }
}

/// The acceleration filter of a new track: the report's speed, then its acceleration.
fn new_accel_filter(p: &Pending) -> AccelFilter {
    // The speed is taken at the report's time; a constant acceleration brings it to now.
    let mut f = AccelFilter::new(p.speed);
    if let Some(a) = p.accel_mps2 {
        let sa = default_accel_sigma_mps2(p.source.kind);
        f.update_accel(a, sa * sa);
    }
    f.predict(p.age_s, 0.0);
    f
}

/// The more advanced of two statuses (confirmed over coasting over tentative).
fn best_status(a: TrackStatus, b: TrackStatus) -> TrackStatus {
    use TrackStatus::*;
    match (a, b) {
        (Confirmed, _) | (_, Confirmed) => Confirmed,
        (Coasting, _) | (_, Coasting) => Coasting,
        _ => Tentative,
    }
}

/// Whether a report from a source with these parameters confirms a track at once.
fn confirms(params: &super::SourceParams, m: &Meas) -> bool {
    let pc = m.position_cov();
    params.trusted && sqrt(pc[(0, 0)].max(pc[(1, 1)])) <= params.confirm_at_once_sigma_m
}

fn should_merge(a: &Track, b: &Track, gate: f64, now: Timestamp, window_us: i64) -> bool {
    if !a.class.compatible(b.class) {
        return false;
    }
    // A source that currently reports both under different ids says they are two objects.
    let conflict = a.sources().iter().any(|ra| {
        now.micros_since(ra.last_update) <= window_us
            && b.sources().iter().any(|rb| {
                rb.source == ra.source
                    && rb.object_id != ra.object_id
                    && now.micros_since(rb.last_update) <= window_us
            })
    });
    if conflict {
        return false;
    }
    let d2 = super::associate::d2(&a.gate_item(true), &b.gate_item(true));
    if !d2.is_some_and(|d| d <= gate) {
        return false;
    }
    (a.filter.velocity() - b.filter.velocity()).norm() <= 2.5
}

fn velocity_cov(f: &Filter) -> Matrix2<f64> {
    match f {
        Filter::Cv(c) => c.p.fixed_view::<2, 2>(2, 2).into_owned(),
        Filter::Ctrv(c) => {
            let (v, psi) = (c.x[2], c.x[3]);
            let j = Matrix2::new(cos(psi), -v * sin(psi), sin(psi), v * cos(psi));
            let p = c.p.fixed_view::<2, 2>(2, 2).into_owned();
            j * p * j.transpose()
        }
    }
}

/// Squared Mahalanobis distance of a report's position from the ego, with the ego's footprint
/// spread as a uniform distribution (length²/12 along, width²/12 across).
fn ego_d2(e: &EgoPose, dims: (f64, f64), m: &Meas) -> f64 {
    let rot = e.rotation();
    let box_cov = Matrix2::new(dims.0 * dims.0 / 12.0, 0.0, 0.0, dims.1 * dims.1 / 12.0);
    let s = m.position_cov() + Matrix2::identity() * e.pos_var_m2 + rot * box_cov * rot.transpose();
    let d = m.position() - e.pos;
    s.try_inverse()
        .map(|i| (d.transpose() * i * d)[(0, 0)])
        .filter(|v| v.is_finite())
        .unwrap_or(f64::INFINITY)
}

fn ego_motion_matches(e: &EgoPose, m: &Meas) -> bool {
    if !m.has_motion {
        return true;
    }
    let dv = abs(m.z[2] - e.speed_mps);
    if dv > 3.0 * sqrt(m.r[(2, 2)] + 0.25) + 1.0 {
        return false;
    }
    if e.speed_mps > 2.0 && m.z[2] > 2.0 {
        let dpsi = abs(wrap_angle_rad(m.z[3] - e.yaw_rad));
        if dpsi > 3.0 * sqrt(m.r[(3, 3)] + e.yaw_var_rad2) + 0.35 {
            return false;
        }
    }
    true
}

fn sigma_or(given: Option<f64>, default: f64) -> Result<f64, RejectReason> {
    match given {
        None => Ok(default),
        Some(s) if s > 0.0 && s <= 1.0e3 => Ok(s),
        Some(_) => Err(RejectReason::OutOfRange),
    }
}

/// A reported 2×2 covariance, symmetrised; rejected unless positive definite and bounded.
fn check_cov(c: &Matrix2<f64>) -> Result<Matrix2<f64>, RejectReason> {
    let c = (c + c.transpose()) * 0.5;
    let (a, b, d) = (c[(0, 0)], c[(0, 1)], c[(1, 1)]);
    if !(a > 0.0 && d > 0.0 && a <= MAX_VARIANCE && d <= MAX_VARIANCE && a * d - b * b > 0.0) {
        return Err(RejectReason::OutOfRange);
    }
    Ok(c)
}

/// Cartesian velocity with covariance → (speed, yaw, covariance of (speed, yaw)).
fn cart_to_polar(v: Vector2<f64>, c: &Matrix2<f64>) -> (f64, f64, Matrix2<f64>) {
    let s = hypot(v.x, v.y);
    let yaw = atan2(v.y, v.x);
    if s >= 0.5 {
        let j = Matrix2::new(v.x / s, v.y / s, -v.y / (s * s), v.x / (s * s));
        let mut p = j * c * j.transpose();
        p[(0, 0)] += 1e-4;
        p[(1, 1)] += 1e-6;
        (s, yaw, p)
    } else {
        // Nearly stopped: the direction carries no information.
        (
            s,
            yaw,
            Matrix2::new(c.trace() + 1e-4, 0.0, 0.0, UNKNOWN_YAW_VAR),
        )
    }
}

fn observation_is_finite(o: &Observation) -> bool {
    let fin = |v: f64| v.is_finite();
    let pos = match o.position {
        ObsPosition::Enu { x_m, y_m } | ObsPosition::Ego { x_m, y_m } => fin(x_m) && fin(y_m),
        ObsPosition::Wgs84 { lat_deg, lon_deg } => fin(lat_deg) && fin(lon_deg),
    };
    let motion = match o.motion {
        ObsMotion::None => true,
        ObsMotion::SpeedHeading {
            speed_mps,
            heading_deg,
        } => fin(speed_mps) && fin(heading_deg),
        ObsMotion::EnuVelocity { vx_mps, vy_mps }
        | ObsMotion::EgoVelocity { vx_mps, vy_mps, .. } => fin(vx_mps) && fin(vy_mps),
    };
    let opt = |v: Option<f64>| v.is_none_or(fin);
    let size = o
        .size
        .is_none_or(|s| fin(s.length_m) && fin(s.width_m) && fin(s.height_m));
    let cov = &o.covariance;
    pos && motion
        && opt(o.yaw_rate_rps)
        && opt(o.accel_mps2)
        && size
        && cov
            .position_m2
            .is_none_or(|m| m.iter().all(|v| v.is_finite()))
        && cov
            .velocity_m2ps2
            .is_none_or(|m| m.iter().all(|v| v.is_finite()))
        && opt(cov.speed_sigma_mps)
        && opt(cov.heading_sigma_deg)
}
