//! The fusion core: observations from roadside units (RSM), sensor sharing (SSM), remote
//! vehicles (BSM) and the ego's own sensors become one list of tracked objects.
//!
//! One cycle ([`Tracker::step`]) at fusion time `now`:
//!
//! 1. **Entry** ([`Tracker::ingest`]): non-finite or out-of-range values, and onboard reports the
//!    ego pose history cannot place, are rejected with a counted [`RejectReason`]. Positions go to
//!    the tracker's ENU frame; CSAE confidences or per-source defaults give the covariance.
//! 2. **Latency compensation**: reports older than [`FusionConfig::max_age_ms`] (default 300 ms),
//!    from the future, or not newer than the last report of the same (source, object) are
//!    rejected and counted; the rest are predicted to `now` with their own motion. Tracks are
//!    predicted to `now` (CV for pedestrians, cyclists and unknown objects, CTRV for vehicles).
//! 3. **Ego self-filter**: a V2X report carrying the ego's vehicle id, or matching the ego's pose
//!    and motion better than any onboard-confirmed track, never becomes an object. Another
//!    vehicle's BSM under a different vehicle id is never taken for the ego, however closely it
//!    drives beside it (once the ego's id is known through `EgoState::vehicle_id`).
//! 4. **Association**, source by source: identity continuity per (source, object id) and by
//!    vehicle id (BSM id ↔ RSM participant id), validated by a loose gate; the rest by
//!    Mahalanobis gating (χ², 2 DoF, configurable confidence) with class compatibility and an
//!    optimal assignment per connected component of the gating graph.
//! 5. **Fusion** by covariance intersection with the fast determinant weight ([`ci`]), keeping
//!    provenance (sources, CSAE `SourceType`, last update per source). Objects no onboard
//!    sensor currently sees are tagged `v2x_only` (blind zone). Beside the motion model each
//!    track estimates its longitudinal acceleration from the reported speeds and accelerations
//!    ([`model::AccelFilter`]).
//! 6. **Track life**: tentative → confirmed → coasting → deleted with per-source parameters
//!    ([`SourceParams`]); ids are stable and never reused. Duplicate tracks that converge are
//!    merged into the older one.
//!
//! The track table and every scratch buffer are allocated up front ([`FusionConfig::max_tracks`],
//! [`FusionConfig::max_pending`]); a cycle does not allocate in steady state.

pub mod assignment;
pub mod associate;
pub mod ci;
pub mod ego;
pub mod model;
pub mod observation;
pub mod tracker;

pub use ci::CiWeight;
pub use ego::{EgoPose, EgoState};
pub use model::ProcessNoise;
pub use observation::{
    HeadingConfidence, ObjectClass, ObjectSize, ObsCovariance, ObsMotion, ObsPosition, Observation,
    PositionConfidence, SourceId, SourceKind, SourceType, SpeedConfidence,
};
pub use tracker::{AccelEstimate, FusedObject, SourceRecord, Track, TrackStatus, Tracker};

use thiserror::Error;

use crate::geo::GeoError;

/// Why a report was not used. Every rejection is counted in [`FusionCounters`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RejectReason {
    /// A value was NaN or infinite.
    NonFinite,
    /// A value was outside its physical range (position far from the frame, speed, size,
    /// covariance not positive definite, …).
    OutOfRange,
    /// Older than [`FusionConfig::max_age_ms`] at fusion time.
    TooOld,
    /// Later than the fusion time by more than [`FusionConfig::max_future_ms`].
    FromFuture,
    /// Not newer than an already fused report of the same (source, object).
    OutOfSequence,
    /// A newer report of the same (source, object) arrived in the same cycle.
    Superseded,
    /// An ego-frame report without an ego pose around its time.
    NoEgoPose,
    /// The pending queue was full.
    QueueFull,
    /// The report is the ego itself, recognised by its vehicle id.
    EgoById,
    /// The report is the ego itself, recognised by position and motion.
    EgoByGate,
    /// No room left in the track table for a new object.
    TrackTableFull,
}

/// Errors of the fusion layer.
#[derive(Debug, Clone, Copy, PartialEq, Error)]
#[non_exhaustive]
pub enum FusionError {
    /// A report was rejected.
    #[error("observation rejected: {0:?}")]
    Rejected(RejectReason),
    /// [`Tracker::step`] was called with a time before the previous step.
    #[error("fusion time went backwards")]
    TimeWentBackwards,
    /// An ego state was not newer than the previous one.
    #[error("ego state not newer than the previous one")]
    EgoOutOfSequence,
    /// A frame conversion failed (invalid ego position or origin).
    #[error("frame: {0}")]
    Geo(#[from] GeoError),
}

/// Counters of what happened to the reports and tracks since the tracker was created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FusionCounters {
    /// Reports accepted at the entry.
    pub ingested: u64,
    /// Reports fused into an existing track.
    pub fused: u64,
    /// Rejected: non-finite value.
    pub non_finite: u64,
    /// Rejected: out of range.
    pub out_of_range: u64,
    /// Rejected: too old.
    pub too_old: u64,
    /// Rejected: from the future.
    pub from_future: u64,
    /// Rejected: out of sequence.
    pub out_of_sequence: u64,
    /// Dropped: superseded in the same cycle.
    pub superseded: u64,
    /// Rejected: no ego pose for an ego-frame report.
    pub no_ego_pose: u64,
    /// Rejected: queue full.
    pub queue_full: u64,
    /// Dropped: the ego, by vehicle id.
    pub ego_by_id: u64,
    /// Dropped: the ego, by gate.
    pub ego_by_gate: u64,
    /// Not created: track table full.
    pub track_table_full: u64,
    /// Identity links that failed their validation gate and were broken.
    pub links_broken: u64,
    /// CI updates refused for numerical reasons.
    pub numeric_failures: u64,
    /// Steps called with a time before the previous one.
    pub time_went_backwards: u64,
    /// Ego states not newer than the previous one.
    pub ego_out_of_sequence: u64,
    /// Tracks created.
    pub tracks_created: u64,
    /// Tracks confirmed.
    pub tracks_confirmed: u64,
    /// Tracks deleted.
    pub tracks_deleted: u64,
    /// Duplicate tracks merged.
    pub tracks_merged: u64,
    /// Frame re-anchorings.
    pub reanchored: u64,
}

impl FusionCounters {
    pub(crate) fn count(&mut self, r: RejectReason) {
        let c = match r {
            RejectReason::NonFinite => &mut self.non_finite,
            RejectReason::OutOfRange => &mut self.out_of_range,
            RejectReason::TooOld => &mut self.too_old,
            RejectReason::FromFuture => &mut self.from_future,
            RejectReason::OutOfSequence => &mut self.out_of_sequence,
            RejectReason::Superseded => &mut self.superseded,
            RejectReason::NoEgoPose => &mut self.no_ego_pose,
            RejectReason::QueueFull => &mut self.queue_full,
            RejectReason::EgoById => &mut self.ego_by_id,
            RejectReason::EgoByGate => &mut self.ego_by_gate,
            RejectReason::TrackTableFull => &mut self.track_table_full,
        };
        *c = c.saturating_add(1);
    }
}

/// Track-life parameters of one source kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SourceParams {
    /// Updates (from any source) a tentative track needs before it is confirmed, counted when
    /// this source updates it.
    pub confirm_hits: u32,
    /// Whether a confident report from this source may confirm a track at once.
    pub trusted: bool,
    /// "Confident": position standard deviation at most this, m.
    pub confirm_at_once_sigma_m: f64,
    /// A track whose freshest source is this one is deleted after this long without update, ms.
    pub delete_after_ms: i64,
}

/// Tracker configuration. `Default` gives the documented defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FusionConfig {
    /// Reports older than this at fusion time are rejected, ms (default 300).
    pub max_age_ms: i64,
    /// Reports later than the fusion time by more than this are rejected, ms (default 50).
    pub max_future_ms: i64,
    /// How the covariance-intersection weight is chosen (default: the fast determinant rule).
    pub ci_weight: CiWeight,
    /// Gating confidence for association (χ², 2 DoF; default 0.99 → 9.21).
    pub gate_confidence: f64,
    /// Confidence of the looser gate that validates identity links (default 0.99999 → 23.0).
    pub link_gate_confidence: f64,
    /// Confidence of the ego self-filter gate (default 0.999 → 13.8).
    pub self_filter_confidence: f64,
    /// Confidence of the gate under which two tracks are merged (default 0.9 → 4.6).
    pub merge_confidence: f64,
    /// Track table size (default 1024).
    pub max_tracks: usize,
    /// Reports held between two steps (default 2048).
    pub max_pending: usize,
    /// A confirmed track without update for this long is coasting, ms (default 250).
    pub coast_after_ms: i64,
    /// A tentative track without update for this long is deleted, ms (default 400).
    pub tentative_timeout_ms: i64,
    /// Tracks whose position standard deviation exceeds this are deleted, m (default 10).
    pub max_position_sigma_m: f64,
    /// The frame is re-anchored at the ego when the ego is farther than this from the origin,
    /// m (default 2000).
    pub reanchor_distance_m: f64,
    /// How far the ego pose history may be extrapolated, ms (default 200).
    pub max_ego_extrapolation_ms: i64,
    /// Position spread per second for latency compensation of reports without motion, m/s.
    pub unknown_speed_sigma_mps: f64,
    /// Acceleration noise used to predict reports to the fusion time, m/s².
    pub report_accel_sigma_mps2: f64,
    /// Yaw-rate noise used to predict reports without yaw rate, rad/s.
    pub report_yaw_rate_sigma_rps: f64,
    /// Process noise for vehicles.
    pub noise_motor: ProcessNoise,
    /// Process noise for cyclists and other non-motor vehicles.
    pub noise_non_motor: ProcessNoise,
    /// Process noise for pedestrians.
    pub noise_pedestrian: ProcessNoise,
    /// Process noise for unknown objects.
    pub noise_unknown: ProcessNoise,
    /// RSM parameters.
    pub rsm: SourceParams,
    /// SSM parameters.
    pub ssm: SourceParams,
    /// Remote BSM parameters.
    pub bsm: SourceParams,
    /// Onboard sensor parameters.
    pub onboard: SourceParams,
}

impl Default for FusionConfig {
    fn default() -> Self {
        FusionConfig {
            max_age_ms: 300,
            ci_weight: CiWeight::Fast,
            max_future_ms: 50,
            gate_confidence: 0.99,
            link_gate_confidence: 0.999_99,
            self_filter_confidence: 0.999,
            merge_confidence: 0.9,
            max_tracks: 1024,
            max_pending: 2048,
            coast_after_ms: 250,
            tentative_timeout_ms: 400,
            max_position_sigma_m: 10.0,
            reanchor_distance_m: 2000.0,
            max_ego_extrapolation_ms: 200,
            unknown_speed_sigma_mps: 5.0,
            report_accel_sigma_mps2: 2.0,
            report_yaw_rate_sigma_rps: 0.3,
            noise_motor: ProcessNoise::default(),
            noise_non_motor: ProcessNoise {
                cv_accel_sigma_mps2: 2.0,
                jerk_sigma_mps3: 8.0,
                ..ProcessNoise::default()
            },
            noise_pedestrian: ProcessNoise {
                cv_accel_sigma_mps2: 1.0,
                jerk_sigma_mps3: 5.0,
                ..ProcessNoise::default()
            },
            noise_unknown: ProcessNoise {
                cv_accel_sigma_mps2: 3.0,
                jerk_sigma_mps3: 10.0,
                ..ProcessNoise::default()
            },
            rsm: SourceParams {
                confirm_hits: 2,
                trusted: true,
                confirm_at_once_sigma_m: 1.0,
                delete_after_ms: 1000,
            },
            ssm: SourceParams {
                confirm_hits: 2,
                trusted: false,
                confirm_at_once_sigma_m: 0.0,
                delete_after_ms: 1000,
            },
            bsm: SourceParams {
                confirm_hits: 1,
                trusted: true,
                confirm_at_once_sigma_m: 5.0,
                delete_after_ms: 1000,
            },
            onboard: SourceParams {
                confirm_hits: 3,
                trusted: false,
                confirm_at_once_sigma_m: 0.0,
                delete_after_ms: 500,
            },
        }
    }
}

impl FusionConfig {
    /// Parameters of a source kind.
    pub fn source_params(&self, kind: SourceKind) -> &SourceParams {
        match kind {
            SourceKind::Rsm => &self.rsm,
            SourceKind::Ssm => &self.ssm,
            SourceKind::Bsm => &self.bsm,
            SourceKind::Onboard => &self.onboard,
        }
    }

    /// Process noise of a class.
    pub fn noise(&self, class: ObjectClass) -> &ProcessNoise {
        match class {
            ObjectClass::Motor => &self.noise_motor,
            ObjectClass::NonMotor => &self.noise_non_motor,
            ObjectClass::Pedestrian => &self.noise_pedestrian,
            ObjectClass::Unknown | ObjectClass::Rsu => &self.noise_unknown,
        }
    }
}
