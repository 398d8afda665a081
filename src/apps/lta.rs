//! LTA — left turn assist.
//!
//! **Algorithm.** Active while the ego intends to turn left: left turn signal, or a yaw rate of
//! at least `yaw_left_dps` (4 °/s) to the left, at up to `max_ego_speed_mps` (16 m/s).
//! 1. The ego's turn path in its own frame: a left arc of radius `R` from its position (the
//!    current radius `v/ω` while yawing, clamped to 6–30 m; `default_radius_m` = 12 m when only
//!    the signal is on), then straight on after a quarter turn.
//! 2. For every moving vehicle or cyclist coming the other way (more than 110° off the ego
//!    heading) on the ego's left, the conflict point is where its straight path meets the turn
//!    path; the distance to it along each path gives occupancy windows as in ICW: the ego at
//!    its speed but at least `min_turn_speed_mps` (3 m/s, a stopped ego about to turn), the
//!    oncoming vehicle at its speed.
//! 3. A conflict is an arrival gap ≤ `max_gap_s` (2.0 s, 2.5 s while latched) — a left turn
//!    needs a larger margin than a crossing, since when the ego will go is a guess — with the
//!    oncoming vehicle entering within `horizon_s` (8 s).
//! 4. Levels: **warning** for a conflict; **alert** when the ego is already yawing left and the
//!    oncoming vehicle enters within 3 s. No advisory.
//! 5. Hysteresis: raised after 100 ms, held 800 ms (`Latch`); targets are fused track ids.
use alloc::vec::Vec;

use super::geometry::{EgoFrame, Relative, V2, occupancy_window, stopping_decel, window_gap_s};
use super::latch::{Info, Latch, widen};
use super::{AppId, Level, ObjectApp, ObjectContext, TurnSignal, Warning};
use crate::fusion::ObjectClass;
use crate::math::{abs, atan2, sqrt};

/// LTA thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LtaConfig {
    /// Yaw rate to the left that counts as turning, °/s.
    pub yaw_left_dps: f64,
    /// Ego speed above which LTA is silent, m/s.
    pub max_ego_speed_mps: f64,
    /// Turn radius assumed with the signal only, m.
    pub default_radius_m: f64,
    /// Ego speed assumed through the turn at least, m/s.
    pub min_turn_speed_mps: f64,
    /// Largest arrival gap that is a conflict, s.
    pub max_gap_s: f64,
    /// Extra arrival gap while latched, s.
    pub gap_hysteresis_s: f64,
    /// Oncoming vehicles entering the conflict later than this are ignored, s.
    pub horizon_s: f64,
    /// Alert when yawing and the oncoming vehicle enters within this, s.
    pub alert_tti_s: f64,
    /// Condition must hold this long before a warning, ms.
    pub on_ms: i64,
    /// Warning held this long after the condition ends, ms.
    pub off_ms: i64,
}

impl Default for LtaConfig {
    fn default() -> Self {
        LtaConfig {
            yaw_left_dps: 4.0,
            max_ego_speed_mps: 16.0,
            default_radius_m: 12.0,
            min_turn_speed_mps: 3.0,
            max_gap_s: 2.0,
            gap_hysteresis_s: 0.5,
            horizon_s: 8.0,
            alert_tti_s: 3.0,
            on_ms: 100,
            off_ms: 800,
        }
    }
}

/// Left turn assist. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct Lta {
    config: LtaConfig,
    latch: Latch,
}

impl Default for Lta {
    fn default() -> Self {
        Self::new(LtaConfig::default())
    }
}

impl Lta {
    /// LTA with `config`.
    pub fn new(config: LtaConfig) -> Self {
        Lta {
            config,
            latch: Latch::new(config.on_ms, config.off_ms),
        }
    }
}

/// Where a straight path `q + u·d` (ego frame, `d` unit) first meets the left-turn path of
/// radius `r` starting at the origin heading along +lon: returns `(ego path length, u)`.
pub fn turn_path_crossing(q: V2, d: V2, r: f64) -> Option<(f64, f64)> {
    if !(r.is_finite() && r > 0.0) {
        return None;
    }
    // Arc: centre (0, r), points (r sin φ, r (1 − cos φ)) for φ ∈ [0, π/2].
    let w = [q[0], q[1] - r];
    let b = w[0] * d[0] + w[1] * d[1];
    let cc = w[0] * w[0] + w[1] * w[1] - r * r;
    let disc = b * b - cc;
    let mut best: Option<(f64, f64)> = None;
    if disc >= 0.0 {
        let sq = sqrt(disc);
        for u in [-b - sq, -b + sq] {
            let p = [q[0] + u * d[0], q[1] + u * d[1]];
            let phi = atan2(p[0], r - p[1]);
            if (0.0..=core::f64::consts::FRAC_PI_2).contains(&phi) {
                let s = r * phi;
                if best.is_none_or(|(bs, _)| s < bs) {
                    best = Some((s, u));
                }
            }
        }
    }
    if best.is_some() {
        return best;
    }
    // Straight leg after the quarter turn: lon = r, lat ≥ r.
    if abs(d[0]) < 1e-6 {
        return None;
    }
    let u = (r - q[0]) / d[0];
    let lat = q[1] + u * d[1];
    (lat >= r).then_some((r * core::f64::consts::FRAC_PI_2 + (lat - r), u))
}

/// Ego turn radius, when the ego intends to turn left.
fn turn_radius(c: &LtaConfig, frame: &EgoFrame, signal: TurnSignal) -> Option<f64> {
    if frame.speed_mps > c.max_ego_speed_mps {
        return None;
    }
    if frame.yawing_left(c.yaw_left_dps) && frame.speed_mps > 2.0 {
        let r = frame.speed_mps / frame.yaw_left_dps.to_radians();
        return Some(r.clamp(6.0, 30.0));
    }
    (signal == TurnSignal::Left).then_some(c.default_radius_m)
}

impl ObjectApp for Lta {
    fn id(&self) -> AppId {
        AppId::Lta
    }

    fn evaluate(&mut self, cx: &ObjectContext<'_>, out: &mut Vec<Warning>) {
        let Lta { config: c, latch } = self;
        let signal = cx.ego.turn_signal;
        latch.evaluate(AppId::Lta, cx, 8, out, |frame, _, rel, active| {
            let r = turn_radius(c, frame, signal)?;
            oncoming_conflict(c, frame, rel, r, active)
        });
    }
}

/// Raw level and info for an oncoming object against a left turn of radius `r`.
fn oncoming_conflict(
    c: &LtaConfig,
    frame: &EgoFrame,
    rel: &Relative,
    r: f64,
    active: Option<Level>,
) -> Option<(Level, Info)> {
    let oncoming = rel.rel_heading_deg.is_some_and(|h| abs(h) >= 110.0);
    if !oncoming || !(rel.is_vehicle() || rel.class == ObjectClass::NonMotor) {
        return None;
    }
    if rel.local[1] <= 0.0 || rel.local[0] + rel.length_m / 2.0 < 0.0 {
        return None;
    }
    let speed = rel.speed_mps;
    let d = [rel.vel_local[0] / speed, rel.vel_local[1] / speed];
    let (s_e, u) = turn_path_crossing(rel.local, d, r)?;
    let v_e = frame.speed_mps.max(c.min_turn_speed_mps);
    let horizon = c.horizon_s + 5.0;
    let ego_w = occupancy_window(
        s_e,
        rel.width_m / 2.0,
        frame.half_length_m,
        v_e,
        0.0,
        horizon,
    )?;
    let obj_w = occupancy_window(
        u,
        frame.half_width_m,
        rel.length_m / 2.0,
        speed,
        0.0,
        horizon,
    )?;
    if obj_w.0 > c.horizon_s {
        return None;
    }
    let max_gap = widen(
        active,
        Level::Warning,
        c.max_gap_s,
        c.max_gap_s + c.gap_hysteresis_s,
    );
    if window_gap_s(ego_w, obj_w) > max_gap {
        return None;
    }
    let level = if frame.yawing_left(c.yaw_left_dps) && obj_w.0 <= c.alert_tti_s {
        Level::Alert
    } else {
        Level::Warning
    };
    // Stopping short of the oncoming vehicle's path.
    let decel = stopping_decel(
        frame.speed_mps,
        s_e - rel.width_m / 2.0 - frame.half_length_m,
    );
    Some((
        level,
        Info::of(rel, Some(obj_w.0), Some(u.max(0.0))).with_decel(decel),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossing_on_arc_and_leg() {
        // Oncoming lane 3.5 m to the left, radius 12: the arc meets it.
        let (s, u) = turn_path_crossing([50.0, 3.5], [-1.0, 0.0], 12.0).unwrap();
        let phi = (1.0f64 - 3.5 / 12.0).acos();
        assert!((s - 12.0 * phi).abs() < 1e-9);
        assert!((u - (50.0 - 12.0 * phi.sin())).abs() < 1e-9);
        // 20 m to the left: on the straight leg.
        let (s, u) = turn_path_crossing([50.0, 20.0], [-1.0, 0.0], 12.0).unwrap();
        assert!((s - (12.0 * core::f64::consts::FRAC_PI_2 + 8.0)).abs() < 1e-9);
        assert!((u - 38.0).abs() < 1e-9);
    }
}
