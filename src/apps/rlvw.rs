//! Red light violation warning (RLVW).
//!
//! **Inputs**: the ego matched to an incoming lane ([`LaneMatch`](crate::world::LaneMatch))
//! and a fresh SPAT for the lane's phase. A stale SPAT (older than 1 s by default) or a
//! controller failure suppresses the application.
//!
//! **Algorithm**: with speed `v`, acceleration `a` and distance `d` to the stop line:
//! 1. No warning below [`RlvwConfig::min_speed_mps`] (2 m/s), or when the ego already brakes
//!    hard enough to stop before the line (`a < 0` and `v²/(2|a|) ≤ d`).
//! 2. The arrival time `t` solves `d = v t + a t²/2` (constant acceleration; positive
//!    acceleration counts up to 3 m/s²). The light of the phase at `now + t` (from the SPAT timing:
//!    current state, later states, next occurrences) decides: red or flashing red is a
//!    violation; green, yellow or unknown is not.
//! 3. A violation is raised when the stop line is within the stopping distance at comfortable
//!    deceleration plus reaction, `d ≤ v·t_r + v²/(2·a_c)` (`t_r` = 1.5 s, `a_c` = 3 m/s²):
//!    **warning**; within `v·0.5 s + v²/(2·5 m/s²)` (only hard braking still stops): **alert**.
//!
//! **Hysteresis**: on at once, off after 500 ms without the condition.
//! **Target**: the stop line (a place); `distance_m` = `d`, `ttc_s` = `t`.
use alloc::vec::Vec;

use super::road::{HeldLevel, RoadApp, RoadContext};
use super::{AppId, Level, Warning};
use crate::math::{abs, sqrt};
use crate::world::SignalInput;

/// RLVW thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RlvwConfig {
    /// Below this speed nothing is raised, m/s (2).
    pub min_speed_mps: f64,
    /// Driver reaction time for the warning distance, s (1.5).
    pub reaction_s: f64,
    /// Comfortable deceleration for the warning distance, m/s² (3).
    pub comfort_decel_mps2: f64,
    /// Reaction time for the alert distance, s (0.5).
    pub alert_reaction_s: f64,
    /// Hard deceleration for the alert distance, m/s² (5).
    pub hard_decel_mps2: f64,
}

impl Default for RlvwConfig {
    fn default() -> Self {
        RlvwConfig {
            min_speed_mps: 2.0,
            reaction_s: 1.5,
            comfort_decel_mps2: 3.0,
            alert_reaction_s: 0.5,
            hard_decel_mps2: 5.0,
        }
    }
}

/// Time to cover `d` from speed `v` with constant acceleration `a` (never negative speed);
/// `None` when the vehicle stops first.
pub fn arrival_time_s(d: f64, v: f64, a: f64) -> Option<f64> {
    if d <= 0.0 {
        return Some(0.0);
    }
    if abs(a) < 1e-3 {
        return (v > 1e-3).then(|| d / v);
    }
    let disc = v * v + 2.0 * a * d;
    if disc < 0.0 {
        return None;
    }
    let t = (-v + sqrt(disc)) / a;
    (t >= 0.0).then_some(t)
}

/// The RLVW application.
#[derive(Debug, Clone)]
pub struct Rlvw {
    /// Thresholds.
    pub config: RlvwConfig,
    held: HeldLevel,
}

impl Default for Rlvw {
    fn default() -> Self {
        Rlvw {
            config: RlvwConfig::default(),
            held: HeldLevel::new(0, 500),
        }
    }
}

impl Rlvw {
    fn raw(&self, cx: &RoadContext<'_>) -> Option<(Level, f64, f64)> {
        let lane = cx.lane?;
        let SignalInput::Fresh(phase) = cx.signal else {
            return None;
        };
        let c = &self.config;
        let (v, a, d) = (cx.ego.speed_mps, cx.ego.accel_mps2, lane.distance_to_stop_m);
        if v < c.min_speed_mps {
            return None;
        }
        if a < 0.0 && v * v / (2.0 * -a) <= d {
            return None;
        }
        let t = arrival_time_s(d, v, a.min(3.0))?;
        let at = cx.now.add_micros((t * 1e6) as i64);
        if !phase.light_at(at).is_some_and(|l| l.is_red()) {
            return None;
        }
        let warn_d = v * c.reaction_s + v * v / (2.0 * c.comfort_decel_mps2);
        let alert_d = v * c.alert_reaction_s + v * v / (2.0 * c.hard_decel_mps2);
        let level = if d <= alert_d {
            Level::Alert
        } else if d <= warn_d {
            Level::Warning
        } else {
            return None;
        };
        Some((level, d, t))
    }
}

impl RoadApp for Rlvw {
    fn id(&self) -> AppId {
        AppId::Rlvw
    }

    fn evaluate(&mut self, cx: &RoadContext<'_>, out: &mut Vec<Warning>) {
        let stale = !matches!(cx.signal, SignalInput::Fresh(_));
        let raw = self.raw(cx);
        let level = self.held.update(raw.map(|r| r.0), cx.now);
        // A stale or missing signal suppresses at once, whatever the hysteresis holds.
        let (Some(level), false, Some(lane)) = (level, stale, cx.lane) else {
            return;
        };
        let mut w = cx.warning(AppId::Rlvw, level, cx.stop_line(lane));
        w.distance_m = Some(lane.distance_to_stop_m);
        w.ttc_s = raw.map(|r| r.2);
        out.push(w);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrival_times() {
        assert_eq!(arrival_time_s(100.0, 20.0, 0.0), Some(5.0));
        assert_eq!(arrival_time_s(100.0, 10.0, -1.0), None, "stops after 50 m");
        let t = arrival_time_s(30.0, 10.0, 2.0).unwrap();
        assert!((10.0 * t + t * t - 30.0).abs() < 1e-9);
    }
}
