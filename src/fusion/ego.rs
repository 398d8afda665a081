//! The ego vehicle: its pose history (to bring onboard sensor tracks given in the ego frame to
//! ENU at the sensor time) and the test that recognises the roadside's report of the ego.

use nalgebra::{Matrix2, Vector2};

use crate::geo::wrap_angle_rad;
use crate::math::{abs, cos, sin};
use crate::time::Timestamp;

/// The ego vehicle's state as given by its positioning (GNSS/INS) at one time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EgoState {
    /// Time of the fix.
    pub time: Timestamp,
    /// Latitude, degrees.
    pub lat_deg: f64,
    /// Longitude, degrees.
    pub lon_deg: f64,
    /// Ellipsoidal height, m.
    pub alt_m: f64,
    /// Heading, degrees, CSAE convention (0 = north, clockwise).
    pub heading_deg: f64,
    /// Speed over ground, m/s.
    pub speed_mps: f64,
    /// Yaw rate, rad/s, counter-clockwise positive.
    pub yaw_rate_rps: f64,
    /// Horizontal position standard deviation, m.
    pub position_sigma_m: f64,
    /// Heading standard deviation, degrees.
    pub heading_sigma_deg: f64,
    /// Vehicle length, m.
    pub length_m: f64,
    /// Vehicle width, m.
    pub width_m: f64,
    /// The ego's temporary id as sent in its own BSM (reports carrying it are the ego).
    pub vehicle_id: Option<[u8; 8]>,
}

/// One ego pose in the tracker's ENU frame.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct EgoPose {
    /// Time.
    pub time: Timestamp,
    /// ENU position, m.
    pub pos: Vector2<f64>,
    /// ENU yaw, rad.
    pub yaw_rad: f64,
    /// Speed, m/s.
    pub speed_mps: f64,
    /// Yaw rate, rad/s.
    pub yaw_rate_rps: f64,
    /// Position variance per axis, m².
    pub pos_var_m2: f64,
    /// Yaw variance, rad².
    pub yaw_var_rad2: f64,
}

impl EgoPose {
    /// Rotation ego frame → ENU.
    pub fn rotation(&self) -> Matrix2<f64> {
        let (s, c) = (sin(self.yaw_rad), cos(self.yaw_rad));
        Matrix2::new(c, -s, s, c)
    }

    /// Velocity over ground, ENU.
    pub fn velocity(&self) -> Vector2<f64> {
        Vector2::new(
            self.speed_mps * cos(self.yaw_rad),
            self.speed_mps * sin(self.yaw_rad),
        )
    }

    /// The pose moved by `dt_s` with constant speed and yaw rate.
    pub fn extrapolate(&self, dt_s: f64) -> EgoPose {
        let psi_m = self.yaw_rad + 0.5 * self.yaw_rate_rps * dt_s;
        let d = self.speed_mps * dt_s;
        EgoPose {
            time: self.time.add_micros((dt_s * 1e6) as i64),
            pos: self.pos + Vector2::new(d * cos(psi_m), d * sin(psi_m)),
            yaw_rad: wrap_angle_rad(self.yaw_rad + self.yaw_rate_rps * dt_s),
            pos_var_m2: self.pos_var_m2 + (0.5 * abs(dt_s)) * (0.5 * abs(dt_s)),
            ..*self
        }
    }
}

/// Capacity of the pose history (at 50 Hz about 1.3 s).
pub const EGO_HISTORY_LEN: usize = 64;

/// A fixed-size ring of ego poses in increasing time order.
#[derive(Debug, Clone)]
pub struct EgoHistory {
    poses: [EgoPose; EGO_HISTORY_LEN],
    head: usize,
    len: usize,
}

impl Default for EgoHistory {
    fn default() -> Self {
        EgoHistory {
            poses: [EgoPose::default(); EGO_HISTORY_LEN],
            head: 0,
            len: 0,
        }
    }
}

impl EgoHistory {
    /// Number of poses held.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no pose was given yet.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn at(&self, i: usize) -> Option<&EgoPose> {
        if i >= self.len {
            return None;
        }
        let idx = (self.head + EGO_HISTORY_LEN - self.len + i) % EGO_HISTORY_LEN;
        self.poses.get(idx)
    }

    /// The newest pose.
    pub fn latest(&self) -> Option<&EgoPose> {
        self.len.checked_sub(1).and_then(|i| self.at(i))
    }

    /// Appends a pose; returns false (and keeps nothing) when it is not newer than the latest.
    pub fn push(&mut self, pose: EgoPose) -> bool {
        if self.latest().is_some_and(|l| pose.time <= l.time) {
            return false;
        }
        if let Some(slot) = self.poses.get_mut(self.head) {
            *slot = pose;
        }
        self.head = (self.head + 1) % EGO_HISTORY_LEN;
        self.len = (self.len + 1).min(EGO_HISTORY_LEN);
        true
    }

    /// The pose at time `t`: interpolated between the poses around it, or extrapolated from the
    /// newest by at most `max_extrapolation_us`. `None` before the oldest pose or too far ahead.
    pub fn at_time(&self, t: Timestamp, max_extrapolation_us: i64) -> Option<EgoPose> {
        let latest = self.latest()?;
        if t >= latest.time {
            let dt = t.micros_since(latest.time);
            return (dt <= max_extrapolation_us).then(|| latest.extrapolate(dt as f64 * 1e-6));
        }
        // Binary search for the first pose newer than t.
        let (mut lo, mut hi) = (0usize, self.len - 1);
        if self.at(0)?.time > t {
            return None;
        }
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if self.at(mid)?.time <= t {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let (a, b) = (self.at(lo)?, self.at(hi)?);
        let span = b.time.micros_since(a.time) as f64;
        let f = if span > 0.0 {
            t.micros_since(a.time) as f64 / span
        } else {
            0.0
        };
        Some(EgoPose {
            time: t,
            pos: a.pos + (b.pos - a.pos) * f,
            yaw_rad: wrap_angle_rad(a.yaw_rad + wrap_angle_rad(b.yaw_rad - a.yaw_rad) * f),
            speed_mps: a.speed_mps + (b.speed_mps - a.speed_mps) * f,
            yaw_rate_rps: a.yaw_rate_rps + (b.yaw_rate_rps - a.yaw_rate_rps) * f,
            pos_var_m2: a.pos_var_m2.max(b.pos_var_m2),
            yaw_var_rad2: a.yaw_var_rad2.max(b.yaw_var_rad2),
        })
    }

    /// Applies `f` to every pose (frame changes).
    pub fn for_each_mut(&mut self, mut f: impl FnMut(&mut EgoPose)) {
        for i in 0..self.len {
            let idx = (self.head + EGO_HISTORY_LEN - self.len + i) % EGO_HISTORY_LEN;
            if let Some(p) = self.poses.get_mut(idx) {
                f(p);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pose(ms: i64, x: f64, yaw: f64) -> EgoPose {
        EgoPose {
            time: Timestamp::from_millis(ms),
            pos: Vector2::new(x, 0.0),
            yaw_rad: yaw,
            speed_mps: 10.0,
            ..Default::default()
        }
    }

    #[test]
    fn interpolates_and_extrapolates() {
        let mut h = EgoHistory::default();
        for k in 0..100 {
            assert!(h.push(pose(k * 20, k as f64 * 0.2, 0.0)));
        }
        assert!(!h.push(pose(99 * 20, 0.0, 0.0)), "not newer");
        assert_eq!(h.len(), EGO_HISTORY_LEN);
        let p = h.at_time(Timestamp::from_millis(1_010), 200_000).unwrap();
        assert!((p.pos.x - 10.1).abs() < 1e-9);
        let p = h
            .at_time(Timestamp::from_millis(99 * 20 + 100), 200_000)
            .unwrap();
        assert!((p.pos.x - (19.8 + 1.0)).abs() < 1e-9);
        assert!(
            h.at_time(Timestamp::from_millis(99 * 20 + 300), 200_000)
                .is_none()
        );
        assert!(
            h.at_time(Timestamp::from_millis(0), 200_000).is_none(),
            "dropped"
        );
        // Yaw interpolation takes the short way across ±π.
        let mut h = EgoHistory::default();
        h.push(pose(0, 0.0, 3.1));
        h.push(pose(100, 0.0, -3.1));
        let p = h.at_time(Timestamp::from_millis(50), 0).unwrap();
        assert!(p.yaw_rad.abs() > 3.1, "{}", p.yaw_rad);
    }
}
