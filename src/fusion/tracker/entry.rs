//! Entry of a report: validation, conversion to the tracker's ENU frame and units, and the
//! covariance from CSAE confidences or per-source defaults.
use nalgebra::{Matrix2, Matrix4, Vector2, Vector4};

use crate::fusion::model::{Meas, UNKNOWN_YAW_VAR, standstill_weight};
use crate::fusion::observation::{
    ObjectClass, ObjectSize, ObsMotion, ObsPosition, Observation, SourceId, SourceKind, SourceType,
    default_noise,
};
use crate::fusion::{FusionError, RejectReason};
use crate::geo::{Wgs84, csae_heading_deg_to_enu_yaw_rad};
use crate::math::{abs, atan2, hypot};
use crate::time::Timestamp;

use super::*;

/// A report waiting for the next step, already in ENU.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pending {
    pub(super) source: SourceId,
    pub(super) object_id: u64,
    pub(super) vehicle_id: Option<[u8; 8]>,
    pub(super) source_type: SourceType,
    pub(super) time: Timestamp,
    pub(super) meas: Meas,
    /// Reported acceleration, m/s².
    pub(super) accel_mps2: Option<f64>,
    /// Speed and its variance at the report's own time (before latency compensation).
    pub(super) speed: Option<(f64, f64)>,
    /// Age at the fusion time, s.
    pub(super) age_s: f64,
    pub(super) class: ObjectClass,
    pub(super) size: Option<ObjectSize>,
    pub(super) seq: u64,
    pub(super) valid: bool,
    /// The report came from a verified message (see [`Tracker::ingest_unverified`]).
    pub(super) verified: bool,
}

impl Tracker {
    pub(super) fn reject(&mut self, r: RejectReason) -> Result<(), FusionError> {
        self.counters.count(r);
        Err(FusionError::Rejected(r))
    }

    pub(super) fn convert(&mut self, obs: &Observation) -> Result<Pending, RejectReason> {
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
            verified: true,
        })
    }
}

pub(super) fn sigma_or(given: Option<f64>, default: f64) -> Result<f64, RejectReason> {
    match given {
        None => Ok(default),
        Some(s) if s > 0.0 && s <= 1.0e3 => Ok(s),
        Some(_) => Err(RejectReason::OutOfRange),
    }
}

/// A reported 2×2 covariance, symmetrised; rejected unless positive definite and bounded.
pub(super) fn check_cov(c: &Matrix2<f64>) -> Result<Matrix2<f64>, RejectReason> {
    let c = (c + c.transpose()) * 0.5;
    let (a, b, d) = (c[(0, 0)], c[(0, 1)], c[(1, 1)]);
    if !(a > 0.0 && d > 0.0 && a <= MAX_VARIANCE && d <= MAX_VARIANCE && a * d - b * b > 0.0) {
        return Err(RejectReason::OutOfRange);
    }
    Ok(c)
}

/// Cartesian velocity with covariance → (speed, yaw, covariance of (speed, yaw)).
pub(super) fn cart_to_polar(v: Vector2<f64>, c: &Matrix2<f64>) -> (f64, f64, Matrix2<f64>) {
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

pub(super) fn observation_is_finite(o: &Observation) -> bool {
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
