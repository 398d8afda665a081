//! The track table and the fusion cycle.
//!
//! | module | owns |
//! |---|---|
//! | `entry` | validating and converting a report ([`Tracker::ingest`]) |
//! | `self_filter` | recognising reports of the ego itself |
//! | `update` | latency compensation, association, covariance-intersection update, track creation |
//! | `life` | track life and merging duplicates |
//! | [`track`] | [`Track`] |
//! | [`object`] | [`FusedObject`], what the applications read |

mod entry;
mod life;
pub mod object;
mod self_filter;
pub mod track;
mod update;

pub use object::{AccelEstimate, FusedObject};
pub use track::{SourceRecord, Track, TrackStatus};

use entry::{Pending, observation_is_finite};
use self_filter::{EGO_LINKS, EgoLink};
use update::LinkKey;
use update::velocity_cov;

use alloc::vec::Vec;
use nalgebra::{Matrix4, Vector2, Vector3};

use super::ego::{EgoHistory, EgoPose, EgoState};
use super::observation::{Observation, SourceId, SourceKind};
use super::{FusionConfig, FusionCounters, FusionError, RejectReason};
use crate::fusion::associate::{Associator, GateItem};
use crate::geo::{
    EnuFrame, Wgs84, csae_heading_deg_to_enu_yaw_rad, enu_yaw_rad_to_csae_heading_deg,
    wrap_angle_rad,
};
use crate::math::{abs, hypot};
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

    /// Accepts one report for the next [`Tracker::step`]. Invalid reports are rejected here with
    /// a counted reason.
    pub fn ingest(&mut self, obs: &Observation) -> Result<(), FusionError> {
        self.ingest_with(obs, true)
    }

    /// [`Tracker::ingest`] for a report from a message whose signature is not verified yet: the
    /// record it updates is marked unverified ([`SourceRecord::verified`]), and so is the fused
    /// object, until [`Tracker::confirm_verified`] is called for it; [`Tracker::retract`] takes
    /// it back.
    pub fn ingest_unverified(&mut self, obs: &Observation) -> Result<(), FusionError> {
        self.ingest_with(obs, false)
    }

    /// Marks verified the reports of (`source`, `object_id`) with the report time `time`, pending
    /// or fused (the latest report of a record). Returns how many were marked.
    pub fn confirm_verified(&mut self, source: SourceId, object_id: u64, time: Timestamp) -> usize {
        let mut n = 0;
        for p in &mut self.pending {
            if p.source == source && p.object_id == object_id && p.time == time && !p.verified {
                p.verified = true;
                n += 1;
            }
        }
        for t in &mut self.tracks {
            if let Some(r) = t.record_mut(source, object_id) {
                if r.last_update == time && !r.verified {
                    r.verified = true;
                    n += 1;
                }
            }
        }
        n
    }

    /// Takes back what (`source`, `object_id`) reported unverified: its pending reports that are
    /// not verified, and its source records whose latest report is not verified. A track left
    /// without sources is deleted; a track keeping other sources forgets the vehicle id that
    /// source gave it. Returns (records removed, tracks deleted).
    pub fn retract(&mut self, source: SourceId, object_id: u64) -> (usize, usize) {
        self.pending
            .retain(|p| !(p.source == source && p.object_id == object_id && !p.verified));
        let mut records = 0;
        for t in &mut self.tracks {
            let mut i = 0;
            while i < t.n_sources {
                let hit = t
                    .sources
                    .get(i)
                    .is_some_and(|r| r.source == source && r.object_id == object_id && !r.verified);
                if hit {
                    t.remove_record_at(i);
                    records += 1;
                } else {
                    i += 1;
                }
            }
            if t.n_sources == 0 {
                t.dead = true;
            } else if source.kind == SourceKind::Bsm
                && t.vehicle_id.map(u64::from_be_bytes) == Some(object_id)
                && t.record(source, object_id).is_none()
            {
                t.vehicle_id = None;
            }
        }
        let before = self.tracks.len();
        self.remove_dead();
        (records, before - self.tracks.len())
    }

    fn ingest_with(&mut self, obs: &Observation, verified: bool) -> Result<(), FusionError> {
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
            Ok(mut p) => {
                p.verified = verified;
                self.pending.push(p);
                self.counters.ingested += 1;
                Ok(())
            }
            Err(r) => self.reject(r),
        }
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

    pub(super) fn maybe_reanchor(&mut self) {
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
                verified: t.verified(),
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
