//! What the tracker hands to the applications: a fused object and its acceleration estimate.
use nalgebra::{Matrix2, Vector2};

use crate::fusion::observation::{ObjectClass, ObjectSize};
use crate::geo::{Wgs84, enu_yaw_rad_to_csae_heading_deg};
use crate::math::{atan2, hypot};
use crate::time::Timestamp;

use super::track::EMPTY_RECORD;
use super::*;

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
    /// Whether every report behind the object is verified: the latest report of each source
    /// (see [`SourceRecord::verified`]). A stack that verifies vehicles' messages on demand
    /// gives objects fed by messages whose signature is not verified yet with `false`; a
    /// planner may ignore them or weigh them less.
    pub verified: bool,
    pub(super) sources: [SourceRecord; MAX_SOURCES],
    pub(super) n_sources: usize,
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
    /// no sources, no size, no vehicle id, not `v2x_only`, verified, age 0. Speed and heading follow from
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
            verified: true,
            sources: [EMPTY_RECORD; MAX_SOURCES],
            n_sources: 0,
        }
    }

    /// The sources that reported this object (provenance).
    pub fn sources(&self) -> &[SourceRecord] {
        self.sources.get(..self.n_sources).unwrap_or(&[])
    }
}
