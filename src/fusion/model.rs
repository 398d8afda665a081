//! Motion models: constant velocity (CV) for pedestrians, cyclists and unknown objects, constant
//! turn rate and velocity (CTRV, extended Kalman form) for vehicles. Fixed-size nalgebra types,
//! no allocation.
//!
//! * CV state `[x, y, vx, vy]` (ENU m, m/s), white-acceleration process noise.
//! * CTRV state `[x, y, v, ψ, ω]` (m, m/s, ENU yaw rad, rad/s), noise on longitudinal and yaw
//!   acceleration.
//!
//! Reports enter updates as a [`Meas`]: position and, when known, speed and ENU yaw, with a 4×4
//! covariance, already predicted to the fusion time.

use nalgebra::{Matrix2, Matrix4, Matrix5, SMatrix, SVector, Vector2, Vector4, Vector5};

use super::ci::{CiFailure, CiWeight, ci_fuse, ci_update};
use crate::geo::wrap_angle_rad;
use crate::math::{abs, atan2, cos, hypot, sin};

/// Process noise of the motion models.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProcessNoise {
    /// CV: white acceleration, m/s² (per axis).
    pub cv_accel_sigma_mps2: f64,
    /// CTRV: longitudinal acceleration, m/s².
    pub ctrv_accel_sigma_mps2: f64,
    /// CTRV: yaw acceleration, rad/s².
    pub ctrv_yaw_accel_sigma_rps2: f64,
    /// Longitudinal acceleration estimate ([`AccelFilter`]): white jerk, m/s³.
    pub jerk_sigma_mps3: f64,
}

impl Default for ProcessNoise {
    fn default() -> Self {
        ProcessNoise {
            cv_accel_sigma_mps2: 1.5,
            ctrv_accel_sigma_mps2: 3.0,
            ctrv_yaw_accel_sigma_rps2: 0.6,
            jerk_sigma_mps3: 20.0,
        }
    }
}

/// Prior variance of the longitudinal acceleration, (m/s²)².
const INIT_ACCEL_VAR: f64 = 9.0;
/// Largest acceleration variance kept, (m/s²)².
const MAX_ACCEL_VAR: f64 = 100.0;
/// Largest acceleration magnitude kept, m/s².
const MAX_ACCEL_MPS2: f64 = 50.0;

/// Longitudinal speed and acceleration `[v, a]` of a track (m/s, m/s²): a small Kalman filter
/// beside the motion model, fed with every report's speed (at the report's own time, so a late
/// report is not mistaken for a deceleration) and with reported accelerations (BSM
/// `accelSet.long`). Constant acceleration with white jerk between reports.
///
/// The speed is the magnitude of the velocity over ground, so the acceleration is the rate of
/// change of speed: negative when braking, whichever way the object moves. The variance assumes
/// independent report errors; sources that report their own filtered tracks make it somewhat
/// optimistic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AccelFilter {
    x: Vector2<f64>,
    p: Matrix2<f64>,
    speed_updates: u32,
    accel_updates: u32,
}

impl AccelFilter {
    /// A filter with the speed `speed_mps` (variance `speed_var`) when known, acceleration 0
    /// with the prior variance.
    pub fn new(speed: Option<(f64, f64)>) -> Self {
        let (v, var, n) = match speed {
            Some((v, var)) if v.is_finite() && var.is_finite() && var > 0.0 => (v, var, 1),
            _ => (0.0, MAX_SPEED_VAR, 0),
        };
        AccelFilter {
            x: Vector2::new(v, 0.0),
            p: Matrix2::new(var.min(MAX_SPEED_VAR), 0.0, 0.0, INIT_ACCEL_VAR),
            speed_updates: n,
            accel_updates: 0,
        }
    }

    /// Predicts by `dt_s` (≥ 0) with white jerk `jerk_sigma_mps3`.
    pub fn predict(&mut self, dt_s: f64, jerk_sigma_mps3: f64) {
        if !(dt_s > 0.0 && dt_s.is_finite()) {
            return;
        }
        let dt = dt_s;
        let f = Matrix2::new(1.0, dt, 0.0, 1.0);
        let q = jerk_sigma_mps3 * jerk_sigma_mps3;
        let qm = Matrix2::new(
            dt * dt * dt * dt * dt / 20.0,
            dt * dt * dt * dt / 8.0,
            dt * dt * dt * dt / 8.0,
            dt * dt * dt / 3.0,
        ) * q;
        let x = f * self.x;
        let p = f * self.p * f.transpose() + qm;
        self.commit(x, p);
    }

    /// Update with a speed `speed_mps` (variance `var`) measured `age_s` seconds before the
    /// filter's time.
    pub fn update_speed(&mut self, speed_mps: f64, var: f64, age_s: f64) {
        if self.update(Vector2::new(1.0, -age_s), speed_mps, var) {
            self.speed_updates = self.speed_updates.saturating_add(1);
        }
    }

    /// Update with a reported acceleration (variance `var`).
    pub fn update_accel(&mut self, accel_mps2: f64, var: f64) {
        if self.update(Vector2::new(0.0, 1.0), accel_mps2, var) {
            self.accel_updates = self.accel_updates.saturating_add(1);
        }
    }

    /// Scalar Kalman update with `z = hᵀ x + v`, `v ~ N(0, var)`, in Joseph form. Returns
    /// whether it was applied.
    fn update(&mut self, h: Vector2<f64>, z: f64, var: f64) -> bool {
        if !(z.is_finite() && var.is_finite() && var > 0.0 && h.iter().all(|v| v.is_finite())) {
            return false;
        }
        let ph = self.p * h;
        let s = h.dot(&ph) + var;
        if !(s.is_finite() && s > 0.0) {
            return false;
        }
        let k = ph / s;
        let x = self.x + k * (z - h.dot(&self.x));
        let ikh = Matrix2::identity() - k * h.transpose();
        let p = ikh * self.p * ikh.transpose() + k * k.transpose() * var;
        self.commit(x, p)
    }

    /// Takes the new state when finite, bounded and with a sound covariance.
    fn commit(&mut self, x: Vector2<f64>, p: Matrix2<f64>) -> bool {
        let mut p = (p + p.transpose()) * 0.5;
        cap(&mut p, &[MAX_SPEED_VAR, MAX_ACCEL_VAR]);
        let mut x = x;
        x[1] = x[1].clamp(-MAX_ACCEL_MPS2, MAX_ACCEL_MPS2);
        if !sound(&x, &p) {
            return false;
        }
        self.x = x;
        self.p = p;
        true
    }

    /// The acceleration estimate (m/s²) and its variance ((m/s²)²) once there is something to
    /// estimate it from (two speeds or a reported acceleration); `None` before.
    pub fn estimate(&self) -> Option<(f64, f64)> {
        (self.speed_updates >= 2 || self.accel_updates >= 1).then_some((self.x[1], self.p[(1, 1)]))
    }

    /// Whether the state is finite and the covariance sound.
    pub fn is_sound(&self) -> bool {
        sound(&self.x, &self.p)
    }
}

/// A report at the fusion time: `z = [x, y, v, ψ]` (ENU m, m/s, rad) with covariance `r`.
/// When `has_motion` is false only the position part is meaningful.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Meas {
    /// Position, speed, yaw.
    pub z: Vector4<f64>,
    /// Covariance of `z`.
    pub r: Matrix4<f64>,
    /// Whether speed and yaw were reported.
    pub has_motion: bool,
    /// Yaw rate, rad/s, when reported.
    pub yaw_rate_rps: Option<f64>,
}

impl Meas {
    /// Position.
    pub fn position(&self) -> Vector2<f64> {
        Vector2::new(self.z[0], self.z[1])
    }

    /// Position covariance.
    pub fn position_cov(&self) -> Matrix2<f64> {
        self.r.fixed_view::<2, 2>(0, 0).into_owned()
    }

    /// Predicts the report forward by `dt_s` (may be negative) with its own motion (constant
    /// acceleration and yaw rate when given), growing the covariance with `accel_sigma_mps2`
    /// and, when no yaw rate was reported, `yaw_rate_sigma_rps`; without motion the position
    /// spreads with `unknown_speed_sigma_mps`.
    pub fn predict(
        &mut self,
        dt_s: f64,
        accel_mps2: f64,
        accel_sigma_mps2: f64,
        yaw_rate_sigma_rps: f64,
        unknown_speed_sigma_mps: f64,
    ) {
        let dt = dt_s;
        let adt = abs(dt);
        if !self.has_motion {
            let g = unknown_speed_sigma_mps * adt;
            self.r[(0, 0)] += g * g;
            self.r[(1, 1)] += g * g;
            return;
        }
        let v = self.z[2];
        let psi = self.z[3];
        let om = self.yaw_rate_rps.unwrap_or(0.0);
        let psi_m = psi + 0.5 * om * dt;
        let dist = v * dt + 0.5 * accel_mps2 * dt * dt;
        let (s, c) = (sin(psi_m), cos(psi_m));
        self.z[0] += dist * c;
        self.z[1] += dist * s;
        self.z[2] = v + accel_mps2 * dt;
        self.z[3] = wrap_angle_rad(psi + om * dt);
        let mut f = Matrix4::identity();
        f[(0, 2)] = dt * c;
        f[(0, 3)] = -dist * s;
        f[(1, 2)] = dt * s;
        f[(1, 3)] = dist * c;
        let mut q = Matrix4::zeros();
        // Longitudinal acceleration noise along the heading.
        let sa2 = accel_sigma_mps2 * accel_sigma_mps2;
        let g = Vector4::new(0.5 * dt * dt * c, 0.5 * dt * dt * s, dt, 0.0);
        q += g * g.transpose() * sa2;
        if self.yaw_rate_rps.is_none() {
            let gy = yaw_rate_sigma_rps * adt;
            q[(3, 3)] += gy * gy;
        }
        self.r = f * self.r * f.transpose() + q;
        self.r = (self.r + self.r.transpose()) * 0.5;
    }
}

/// Constant-velocity state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cv {
    /// `[x, y, vx, vy]`.
    pub x: Vector4<f64>,
    /// Covariance.
    pub p: Matrix4<f64>,
}

/// Constant turn rate and velocity state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ctrv {
    /// `[x, y, v, ψ, ω]`.
    pub x: Vector5<f64>,
    /// Covariance.
    pub p: Matrix5<f64>,
}

/// A track's motion state under one of the two models.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Filter {
    /// Constant velocity.
    Cv(Cv),
    /// Constant turn rate and velocity.
    Ctrv(Ctrv),
}

/// Initial variances of unobserved state parts.
const INIT_SPEED_VAR: f64 = 100.0;
const INIT_YAW_VAR: f64 = 4.0;
const INIT_YAW_RATE_VAR: f64 = 0.25;

/// Largest variances kept (position m², speed (m/s)², yaw rad², yaw rate (rad/s)²): beyond them
/// a component carries no information anyway, and the cap keeps the numbers bounded.
pub const MAX_POS_VAR: f64 = 1.0e6;
const MAX_SPEED_VAR: f64 = 2500.0;
const MAX_YAW_VAR: f64 = 10.0;
const MAX_YAW_RATE_VAR: f64 = 4.0;

/// Weight in [0, 1] of the "standing still" regime at speed `v` with speed variance
/// `speed_var`: 1 at standstill, about 1/65 at twice the reference speed 2σ + 0.5 m/s, and
/// negligible at driving speeds. Near standstill the direction of motion is not known,
/// whatever heading the source reports.
pub fn standstill_weight(v: f64, speed_var: f64) -> f64 {
    let v_ref = 2.0 * crate::math::sqrt(speed_var.max(0.0)) + 0.5;
    let q = v / v_ref;
    let q2 = q * q;
    let w = 1.0 / (1.0 + q2 * q2 * q2);
    if w.is_finite() { w } else { 0.0 }
}

/// Variance of a heading that carries no information (uniform over the circle: π²/3).
pub const UNKNOWN_YAW_VAR: f64 = core::f64::consts::PI * core::f64::consts::PI / 3.0;

/// Polar (v, ψ) covariance → Cartesian velocity covariance at (v, ψ).
///
/// The first-order map loses the cross-track part at standstill (v σψ → 0), which would leave
/// a singular velocity covariance: a standing object's velocity is uncertain by about σv in
/// every direction, so the cross-track variance gets σv² weighted by [`standstill_weight`].
fn polar_to_cart(z: &Vector4<f64>, r: &Matrix4<f64>) -> (Vector4<f64>, Matrix4<f64>) {
    let (v, psi) = (z[2], z[3]);
    let (s, c) = (sin(psi), cos(psi));
    let mut t = Matrix4::identity();
    t[(2, 2)] = c;
    t[(2, 3)] = -v * s;
    t[(3, 2)] = s;
    t[(3, 3)] = v * c;
    let mut p = t * r * t.transpose();
    let speed_var = r[(2, 2)];
    let lateral = Vector2::new(-s, c);
    let add = lateral * lateral.transpose() * (speed_var * standstill_weight(abs(v), speed_var));
    let mut vel = p.fixed_view_mut::<2, 2>(2, 2);
    vel += add;
    (Vector4::new(z[0], z[1], v * c, v * s), p)
}

impl Filter {
    /// A new filter from a report, CTRV when `ctrv`.
    pub fn from_meas(m: &Meas, ctrv: bool) -> Filter {
        let pos_cov = m.position_cov();
        if ctrv {
            let mut x = Vector5::zeros();
            let mut p = Matrix5::zeros();
            x[0] = m.z[0];
            x[1] = m.z[1];
            if m.has_motion {
                x[2] = m.z[2];
                x[3] = m.z[3];
                p.fixed_view_mut::<4, 4>(0, 0).copy_from(&m.r);
            } else {
                p.fixed_view_mut::<2, 2>(0, 0).copy_from(&pos_cov);
                p[(2, 2)] = INIT_SPEED_VAR;
                p[(3, 3)] = INIT_YAW_VAR;
            }
            x[4] = m.yaw_rate_rps.unwrap_or(0.0);
            p[(4, 4)] = INIT_YAW_RATE_VAR;
            Filter::Ctrv(Ctrv { x, p })
        } else if m.has_motion {
            let (x, p) = polar_to_cart(&m.z, &m.r);
            Filter::Cv(Cv { x, p })
        } else {
            let mut p = Matrix4::zeros();
            p.fixed_view_mut::<2, 2>(0, 0).copy_from(&pos_cov);
            p[(2, 2)] = INIT_SPEED_VAR;
            p[(3, 3)] = INIT_SPEED_VAR;
            Filter::Cv(Cv {
                x: Vector4::new(m.z[0], m.z[1], 0.0, 0.0),
                p,
            })
        }
    }

    /// Whether this is the CTRV model.
    pub fn is_ctrv(&self) -> bool {
        matches!(self, Filter::Ctrv(_))
    }

    /// Converts to the other model when `ctrv` differs (class change).
    pub fn convert(&mut self, ctrv: bool) {
        match (*self, ctrv) {
            (Filter::Cv(cv), true) => {
                let (vx, vy) = (cv.x[2], cv.x[3]);
                let v = hypot(vx, vy);
                let psi = atan2(vy, vx);
                let mut x = Vector5::new(cv.x[0], cv.x[1], v, psi, 0.0);
                let mut p = Matrix5::zeros();
                // Jacobian of (vx, vy) → (v, ψ); at very low speed the yaw is unknown.
                let mut j = SMatrix::<f64, 4, 4>::identity();
                if v > 0.5 {
                    j[(2, 2)] = vx / v;
                    j[(2, 3)] = vy / v;
                    j[(3, 2)] = -vy / (v * v);
                    j[(3, 3)] = vx / (v * v);
                    let pp = j * cv.p * j.transpose();
                    p.fixed_view_mut::<4, 4>(0, 0).copy_from(&pp);
                } else {
                    p.fixed_view_mut::<2, 2>(0, 0)
                        .copy_from(&cv.p.fixed_view::<2, 2>(0, 0));
                    p[(2, 2)] = cv.p[(2, 2)] + cv.p[(3, 3)] + 0.25;
                    p[(3, 3)] = INIT_YAW_VAR;
                    x[3] = 0.0;
                }
                p[(4, 4)] = INIT_YAW_RATE_VAR;
                *self = Filter::Ctrv(Ctrv { x, p });
            }
            (Filter::Ctrv(c), false) => {
                let z = Vector4::new(c.x[0], c.x[1], c.x[2], c.x[3]);
                let r = c.p.fixed_view::<4, 4>(0, 0).into_owned();
                let (x, p) = polar_to_cart(&z, &r);
                *self = Filter::Cv(Cv { x, p });
            }
            _ => {}
        }
    }

    /// Predicts by `dt_s` seconds (≥ 0).
    pub fn predict(&mut self, dt_s: f64, noise: &ProcessNoise) {
        if dt_s <= 0.0 {
            return;
        }
        let dt = dt_s;
        match self {
            Filter::Cv(cv) => {
                let mut f = Matrix4::identity();
                f[(0, 2)] = dt;
                f[(1, 3)] = dt;
                cv.x = f * cv.x;
                let q2 = noise.cv_accel_sigma_mps2 * noise.cv_accel_sigma_mps2;
                let (d2, d3, d4) = (dt * dt, dt * dt * dt / 2.0, dt * dt * dt * dt / 4.0);
                let mut q = Matrix4::zeros();
                for i in 0..2 {
                    q[(i, i)] = d4 * q2;
                    q[(i, i + 2)] = d3 * q2;
                    q[(i + 2, i)] = d3 * q2;
                    q[(i + 2, i + 2)] = d2 * q2;
                }
                cv.p = f * cv.p * f.transpose() + q;
                cv.p = (cv.p + cv.p.transpose()) * 0.5;
            }
            Filter::Ctrv(ct) => {
                let (px, py, v, psi, om) = (ct.x[0], ct.x[1], ct.x[2], ct.x[3], ct.x[4]);
                let mut f = Matrix5::identity();
                let (sp, cp) = (sin(psi), cos(psi));
                if abs(om) > 1e-4 {
                    let psi2 = psi + om * dt;
                    let (s2, c2) = (sin(psi2), cos(psi2));
                    ct.x[0] = px + v / om * (s2 - sp);
                    ct.x[1] = py + v / om * (cp - c2);
                    f[(0, 2)] = (s2 - sp) / om;
                    f[(0, 3)] = v / om * (c2 - cp);
                    f[(0, 4)] = v * dt * c2 / om - v / (om * om) * (s2 - sp);
                    f[(1, 2)] = (cp - c2) / om;
                    f[(1, 3)] = v / om * (s2 - sp);
                    f[(1, 4)] = v * dt * s2 / om - v / (om * om) * (cp - c2);
                } else {
                    ct.x[0] = px + v * dt * cp;
                    ct.x[1] = py + v * dt * sp;
                    f[(0, 2)] = dt * cp;
                    f[(0, 3)] = -v * dt * sp;
                    f[(0, 4)] = -0.5 * v * dt * dt * sp;
                    f[(1, 2)] = dt * sp;
                    f[(1, 3)] = v * dt * cp;
                    f[(1, 4)] = 0.5 * v * dt * dt * cp;
                }
                ct.x[3] = wrap_angle_rad(psi + om * dt);
                f[(3, 4)] = dt;
                let mut g = SMatrix::<f64, 5, 2>::zeros();
                g[(0, 0)] = 0.5 * dt * dt * cp;
                g[(1, 0)] = 0.5 * dt * dt * sp;
                g[(2, 0)] = dt;
                g[(3, 1)] = 0.5 * dt * dt;
                g[(4, 1)] = dt;
                let qd = Matrix2::new(
                    noise.ctrv_accel_sigma_mps2 * noise.ctrv_accel_sigma_mps2,
                    0.0,
                    0.0,
                    noise.ctrv_yaw_accel_sigma_rps2 * noise.ctrv_yaw_accel_sigma_rps2,
                );
                ct.p = f * ct.p * f.transpose() + g * qd * g.transpose();
                ct.p = (ct.p + ct.p.transpose()) * 0.5;
            }
        }
        self.cap_variances();
    }

    /// Position estimate.
    pub fn position(&self) -> Vector2<f64> {
        match self {
            Filter::Cv(c) => Vector2::new(c.x[0], c.x[1]),
            Filter::Ctrv(c) => Vector2::new(c.x[0], c.x[1]),
        }
    }

    /// Position covariance.
    pub fn position_cov(&self) -> Matrix2<f64> {
        match self {
            Filter::Cv(c) => c.p.fixed_view::<2, 2>(0, 0).into_owned(),
            Filter::Ctrv(c) => c.p.fixed_view::<2, 2>(0, 0).into_owned(),
        }
    }

    /// Velocity over ground, ENU.
    pub fn velocity(&self) -> Vector2<f64> {
        match self {
            Filter::Cv(c) => Vector2::new(c.x[2], c.x[3]),
            Filter::Ctrv(c) => Vector2::new(c.x[2] * cos(c.x[3]), c.x[2] * sin(c.x[3])),
        }
    }

    /// Speed (m/s) and ENU yaw (rad); the yaw of a CV track is the direction of travel.
    pub fn speed_yaw(&self) -> (f64, f64) {
        match self {
            Filter::Cv(c) => (hypot(c.x[2], c.x[3]), atan2(c.x[3], c.x[2])),
            Filter::Ctrv(c) => {
                if c.x[2] < 0.0 {
                    (-c.x[2], wrap_angle_rad(c.x[3] + core::f64::consts::PI))
                } else {
                    (c.x[2], c.x[3])
                }
            }
        }
    }

    /// Yaw rate (rad/s), CTRV only.
    pub fn yaw_rate_rps(&self) -> Option<f64> {
        match self {
            Filter::Cv(_) => None,
            Filter::Ctrv(c) => Some(c.x[4]),
        }
    }

    /// Squared Mahalanobis distance of a report's position from this track's position.
    pub fn position_d2(&self, m: &Meas) -> Option<f64> {
        let d = m.position() - self.position();
        let s = self.position_cov() + m.position_cov();
        let s_inv = s.try_inverse()?;
        let d2 = (d.transpose() * s_inv * d)[(0, 0)];
        d2.is_finite().then_some(d2)
    }

    /// CI update with a report. Position-only reports update the position; reports with motion
    /// also update speed and yaw (CTRV) or velocity (CV). Returns the track weight used.
    pub fn update(&mut self, m: &Meas, rule: CiWeight) -> Result<f64, CiFailure> {
        let w = match self {
            Filter::Ctrv(c) => {
                if m.has_motion {
                    let h = SMatrix::<f64, 4, 5>::identity();
                    let mut innov = m.z - Vector4::new(c.x[0], c.x[1], c.x[2], c.x[3]);
                    innov[3] = wrap_angle_rad(innov[3]);
                    // A report heading opposite to a track with negative speed is the same motion.
                    if c.x[2] < 0.0 && abs(innov[3]) > core::f64::consts::FRAC_PI_2 {
                        c.x[2] = -c.x[2];
                        c.x[3] = wrap_angle_rad(c.x[3] + core::f64::consts::PI);
                        innov = m.z - Vector4::new(c.x[0], c.x[1], c.x[2], c.x[3]);
                        innov[3] = wrap_angle_rad(innov[3]);
                    }
                    ci_update(&mut c.x, &mut c.p, &innov, &h, &m.r, rule)?
                } else {
                    pos_update(&mut c.x, &mut c.p, m, rule)?
                }
            }
            Filter::Cv(c) => {
                if m.has_motion {
                    let (z, r) = polar_to_cart(&m.z, &m.r);
                    let h = SMatrix::<f64, 4, 4>::identity();
                    let innov = z - c.x;
                    ci_update(&mut c.x, &mut c.p, &innov, &h, &r, rule)?
                } else {
                    pos_update(&mut c.x, &mut c.p, m, rule)?
                }
            }
        };
        self.cap_variances();
        Ok(w)
    }

    /// Merges another estimate of the same object into this one (CI of the two states; the other
    /// is converted to this model first).
    pub fn merge(&mut self, other: &Filter) -> Result<(), CiFailure> {
        let mut o = *other;
        o.convert(self.is_ctrv());
        match (self, &o) {
            (Filter::Cv(a), Filter::Cv(b)) => {
                let (x, p) = ci_fuse(&a.x, &a.p, &b.x, &b.p)?;
                a.x = x;
                a.p = p;
            }
            (Filter::Ctrv(a), Filter::Ctrv(b)) => {
                let mut bx = b.x;
                bx[3] = a.x[3] + wrap_angle_rad(b.x[3] - a.x[3]);
                let (mut x, p) = ci_fuse(&a.x, &a.p, &bx, &b.p)?;
                x[3] = wrap_angle_rad(x[3]);
                a.x = x;
                a.p = p;
            }
            _ => return Err(CiFailure::Singular),
        }
        Ok(())
    }

    /// Moves the state to another ENU frame: new position, horizontal rotation `rot` and yaw
    /// offset `dyaw_rad`.
    pub fn transfer(&mut self, new_pos: Vector2<f64>, rot: &Matrix2<f64>, dyaw_rad: f64) {
        match self {
            Filter::Cv(c) => {
                let mut t = Matrix4::zeros();
                t.fixed_view_mut::<2, 2>(0, 0).copy_from(rot);
                t.fixed_view_mut::<2, 2>(2, 2).copy_from(rot);
                let v = rot * Vector2::new(c.x[2], c.x[3]);
                c.x = Vector4::new(new_pos.x, new_pos.y, v.x, v.y);
                c.p = t * c.p * t.transpose();
            }
            Filter::Ctrv(c) => {
                let mut t = Matrix5::identity();
                t.fixed_view_mut::<2, 2>(0, 0).copy_from(rot);
                c.x[0] = new_pos.x;
                c.x[1] = new_pos.y;
                c.x[3] = wrap_angle_rad(c.x[3] + dyaw_rad);
                c.p = t * c.p * t.transpose();
            }
        }
    }

    /// Whether the state is finite and the covariance symmetric positive semi-definite.
    pub fn is_sound(&self) -> bool {
        match self {
            Filter::Cv(c) => sound(&c.x, &c.p),
            Filter::Ctrv(c) => sound(&c.x, &c.p),
        }
    }

    fn cap_variances(&mut self) {
        match self {
            Filter::Cv(c) => cap(
                &mut c.p,
                &[MAX_POS_VAR, MAX_POS_VAR, MAX_SPEED_VAR, MAX_SPEED_VAR],
            ),
            Filter::Ctrv(c) => cap(
                &mut c.p,
                &[
                    MAX_POS_VAR,
                    MAX_POS_VAR,
                    MAX_SPEED_VAR,
                    MAX_YAW_VAR,
                    MAX_YAW_RATE_VAR,
                ],
            ),
        }
    }
}

/// Position-only CI update (H selects x, y).
fn pos_update<const N: usize>(
    x: &mut SVector<f64, N>,
    p: &mut SMatrix<f64, N, N>,
    m: &Meas,
    rule: CiWeight,
) -> Result<f64, CiFailure> {
    let mut h = SMatrix::<f64, 2, N>::zeros();
    h[(0, 0)] = 1.0;
    h[(1, 1)] = 1.0;
    let innov = Vector2::new(m.z[0] - x[0], m.z[1] - x[1]);
    ci_update(x, p, &innov, &h, &m.position_cov(), rule)
}

/// Scales rows/columns whose variance exceeds its cap (keeps the correlation structure, so the
/// matrix stays positive semi-definite).
fn cap<const N: usize>(p: &mut SMatrix<f64, N, N>, caps: &[f64; N]) {
    for (i, c) in caps.iter().enumerate() {
        let v = p[(i, i)];
        if v > *c {
            let s = crate::math::sqrt(*c / v);
            for j in 0..N {
                p[(i, j)] *= s;
                p[(j, i)] *= s;
            }
        }
    }
}

/// Finite state, symmetric covariance with a Cholesky factor after a tiny diagonal load.
pub(crate) fn sound<const N: usize>(x: &SVector<f64, N>, p: &SMatrix<f64, N, N>) -> bool {
    if !(x.iter().all(|v| v.is_finite()) && p.iter().all(|v| v.is_finite())) {
        return false;
    }
    let scale = p.diagonal().iter().fold(0.0f64, |a, v| a.max(abs(*v)));
    for i in 0..N {
        if p[(i, i)] < 0.0 {
            return false;
        }
        for j in 0..i {
            if abs(p[(i, j)] - p[(j, i)]) > 1e-9 * (1.0 + scale) {
                return false;
            }
        }
    }
    let loaded = p + SMatrix::<f64, N, N>::identity() * (1e-9 * (1.0 + scale));
    loaded.cholesky().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meas(x: f64, y: f64, v: f64, psi: f64) -> Meas {
        Meas {
            z: Vector4::new(x, y, v, psi),
            r: Matrix4::from_diagonal(&Vector4::new(0.25, 0.25, 0.25, 0.01)),
            has_motion: true,
            yaw_rate_rps: None,
        }
    }

    #[test]
    fn ctrv_follows_a_circle() {
        // 10 m/s on a circle of radius 50 m: ω = 0.2 rad/s.
        let mut f = Filter::from_meas(&meas(50.0, 0.0, 10.0, core::f64::consts::FRAC_PI_2), true);
        if let Filter::Ctrv(c) = &mut f {
            c.x[4] = 0.2;
        }
        let n = ProcessNoise::default();
        for _ in 0..50 {
            f.predict(0.1, &n);
        }
        // After 5 s: angle 1 rad around the centre (0, 0).
        let p = f.position();
        assert!((p - Vector2::new(50.0 * 1f64.cos(), 50.0 * 1f64.sin())).norm() < 1e-6);
        assert!(f.is_sound());
    }

    #[test]
    fn cv_predicts_linearly_and_converts() {
        let mut f = Filter::from_meas(&meas(0.0, 0.0, 2.0, 0.0), false);
        f.predict(1.5, &ProcessNoise::default());
        assert!((f.position() - Vector2::new(3.0, 0.0)).norm() < 1e-12);
        f.convert(true);
        let (v, yaw) = f.speed_yaw();
        assert!((v - 2.0).abs() < 1e-12 && yaw.abs() < 1e-12);
        assert!(f.is_sound());
        f.convert(false);
        assert!((f.velocity() - Vector2::new(2.0, 0.0)).norm() < 1e-12);
    }

    #[test]
    fn meas_prediction_compensates_latency() {
        let mut m = meas(0.0, 0.0, 15.0, core::f64::consts::FRAC_PI_2);
        let r0 = m.r;
        m.predict(0.2, 0.0, 2.0, 0.3, 5.0);
        assert!((m.position() - Vector2::new(0.0, 3.0)).norm() < 1e-9);
        assert!(m.r[(1, 1)] > r0[(1, 1)] && m.r[(0, 0)] > r0[(0, 0)]);
    }

    #[test]
    fn standing_objects_update_in_both_models() {
        // Speed 0 with an arbitrary heading, as sensors report standing objects.
        let still = |psi: f64| {
            let mut m = meas(5.0, 5.0, 0.0, psi);
            m.r[(3, 3)] = 0.002;
            m
        };
        for ctrv in [false, true] {
            let mut f = Filter::from_meas(&still(0.3), ctrv);
            assert!(f.is_sound(), "ctrv {ctrv}: {f:?}");
            for k in 0..20 {
                f.predict(0.1, &ProcessNoise::default());
                let psi = -3.0 + 0.3 * k as f64;
                f.update(&still(psi), CiWeight::Fast)
                    .unwrap_or_else(|e| panic!("ctrv {ctrv}, update {k}: {e:?}"));
                assert!(f.is_sound(), "ctrv {ctrv}: {f:?}");
            }
            assert!((f.position() - Vector2::new(5.0, 5.0)).norm() < 0.05);
            assert!(f.speed_yaw().0 < 0.3, "ctrv {ctrv}: {f:?}");
            // A standing vehicle turned into a CV track (class change) still updates.
            f.convert(false);
            assert!(f.is_sound());
            f.update(&still(1.0), CiWeight::Fast).unwrap();
            f.convert(true);
            f.update(&still(-1.0), CiWeight::Fast).unwrap();
        }
    }

    #[test]
    fn accel_filter_follows_braking_and_ignores_latency() {
        let jerk = ProcessNoise::default().jerk_sigma_mps3;
        let speed = |t: f64| {
            if t < 2.0 {
                20.0
            } else {
                20.0 - 5.0 * (t - 2.0)
            }
        };
        let mut f = AccelFilter::new(None);
        assert_eq!(f.estimate(), None);
        let mut s = 0x9e37_79b9_7f4a_7c15u64;
        let mut noise = move || {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        for k in 1..=40 {
            let t = k as f64 * 0.1;
            f.predict(0.1, jerk);
            // Reports 200 ms late (the speed then, not now), σ 0.29 m/s.
            f.update_speed(speed(t - 0.2) + noise(), 0.09, 0.2);
            let (a, var) = f.estimate().unwrap_or((0.0, INIT_ACCEL_VAR));
            if (1.0..=2.2).contains(&t) {
                assert!(a.abs() < 0.8, "t = {t}: {a}");
            }
            // Braking shows in the reports from 2.2 s on.
            if t >= 3.4 {
                assert!((a + 5.0).abs() < 1.0, "t = {t}: {a}");
                assert!(var < 1.0, "t = {t}: {var}");
            }
            assert!(f.is_sound());
        }
        // A reported acceleration is taken at once.
        let mut g = AccelFilter::new(Some((10.0, 0.25)));
        g.update_accel(-3.0, 0.09);
        let (a, var) = g.estimate().unwrap();
        assert!((a + 3.0).abs() < 0.05 && var < 0.1, "{a} {var}");
        // Nonsense is refused and leaves the state as it was.
        let before = g;
        g.update_speed(f64::NAN, 0.1, 0.0);
        g.update_accel(1.0, -1.0);
        g.predict(f64::INFINITY, jerk);
        assert_eq!(g, before);
    }

    #[test]
    fn update_pulls_towards_report_and_stays_sound() {
        let mut f = Filter::from_meas(&meas(0.0, 0.0, 10.0, 0.0), true);
        let w = f
            .update(&meas(1.0, 0.0, 10.0, 0.0), CiWeight::Fast)
            .unwrap();
        assert!(w > 0.0 && w < 1.0);
        assert!(f.position().x > 0.2 && f.position().x < 0.8);
        assert!(f.is_sound());
    }
}
