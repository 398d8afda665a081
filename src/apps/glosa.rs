//! Green light optimal speed advisory (GLOSA).
//!
//! **Inputs**: the ego matched to an incoming lane within [`GlosaConfig::max_distance_m`]
//! (500 m) of its stop line, and a fresh SPAT for the lane's phase (stale or failed SPAT:
//! nothing is advised).
//!
//! **Algorithm**: the green intervals of the phase known from the SPAT (current and later
//! states, next occurrences) are taken in time order. For an interval `[s, e)` relative to now
//! and the distance `d` to the stop line, a constant speed reaches the line inside it when
//! `d/(e − m) ≤ v ≤ d/s` (`m` = 0.5 s margin before the end of green; `d/s` is unbounded for a
//! green already on). The bounds are clipped to the lane's speed limit (or
//! [`GlosaConfig::default_limit_kph`], 60 km/h, or the current speed if higher, when the MAP
//! gives none) and to
//! [`GlosaConfig::min_advice_kph`] (25 km/h). The first interval with a non-empty range gives the
//! advice: **keep speed** when the current speed is inside it (1 km/h tolerance), otherwise
//! the **speed range** `[min, max]` in km/h. When no known green can be reached within those
//! speeds, the advice is **stop**.
//!
//! **Level**: advisory. **Target**: the stop line; `distance_m` = `d`; `ttc_s` = time to the
//! line at the current speed. Below 1 m/s nothing is advised.
use alloc::vec::Vec;

use super::road::{RoadApp, RoadContext};
use super::{Advice, AppId, Level, Warning};
use crate::world::SignalInput;

/// GLOSA thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GlosaConfig {
    /// Advice is given within this distance of the stop line, m (500).
    pub max_distance_m: f64,
    /// Speed limit used when the MAP gives none, km/h (60).
    pub default_limit_kph: f64,
    /// Lowest speed advised, km/h (25).
    pub min_advice_kph: f64,
    /// Margin before the end of green, s (0.5).
    pub end_margin_s: f64,
    /// Current speed within this of the range counts as inside, km/h (1).
    pub tolerance_kph: f64,
}

impl Default for GlosaConfig {
    fn default() -> Self {
        GlosaConfig {
            max_distance_m: 500.0,
            default_limit_kph: 60.0,
            min_advice_kph: 25.0,
            end_margin_s: 0.5,
            tolerance_kph: 1.0,
        }
    }
}

/// The GLOSA application.
#[derive(Debug, Clone, Default)]
pub struct Glosa {
    /// Thresholds.
    pub config: GlosaConfig,
    /// Green intervals of the current evaluation, reused.
    greens: Vec<(f64, f64)>,
}

/// The advice for distance `d_m`, current speed `v_mps`, green intervals `(start_s, end_s)`
/// relative to now (sorted; `end_s` may be infinite) and speed bounds in m/s.
pub fn advise(
    d_m: f64,
    v_mps: f64,
    greens: &[(f64, f64)],
    v_min_mps: f64,
    v_max_mps: f64,
    end_margin_s: f64,
    tolerance_mps: f64,
) -> Advice {
    for &(s, e) in greens {
        let end = e - end_margin_s;
        if end <= 0.0 {
            continue;
        }
        let hi = if s <= 0.0 { f64::INFINITY } else { d_m / s };
        let lo = d_m / end;
        let hi = hi.min(v_max_mps);
        let lo = lo.max(v_min_mps);
        if lo > hi {
            continue;
        }
        if v_mps >= lo - tolerance_mps && v_mps <= hi + tolerance_mps {
            return Advice::KeepSpeed;
        }
        return Advice::SpeedRange {
            min_kph: lo * 3.6,
            max_kph: hi * 3.6,
        };
    }
    Advice::Stop
}

impl RoadApp for Glosa {
    fn id(&self) -> AppId {
        AppId::Glosa
    }

    fn evaluate(&mut self, cx: &RoadContext<'_>, out: &mut Vec<Warning>) {
        let (Some(lane), SignalInput::Fresh(phase)) = (cx.lane, cx.signal) else {
            return;
        };
        let c = &self.config;
        let d = lane.distance_to_stop_m;
        let v = cx.ego.speed_mps;
        if d > c.max_distance_m || v < 1.0 {
            return;
        }
        let greens = &mut self.greens;
        greens.clear();
        // A green on now whose end is unknown lasts as far as the advice is concerned.
        if let Some(cur) = phase.current(cx.now) {
            if cur.light.is_green() && cur.likely_end.is_none() {
                greens.push((f64::NEG_INFINITY, f64::INFINITY));
            }
        }
        greens.extend(
            phase
                .intervals(|l| l.is_green())
                .map(|(s, e)| (s.seconds_since(cx.now), e.seconds_since(cx.now)))
                .filter(|&(_, e)| e > 0.0),
        );
        greens.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        if let Some(first) = greens.first_mut() {
            if first.0 == f64::NEG_INFINITY {
                first.0 = 0.0;
            }
        }
        // Without a mapped limit the default does not push a faster ego into a range advice.
        let limit = lane
            .speed_limit_mps
            .unwrap_or((c.default_limit_kph / 3.6).max(v))
            .max(c.min_advice_kph / 3.6);
        let advice = advise(
            d,
            v,
            greens,
            c.min_advice_kph / 3.6,
            limit,
            c.end_margin_s,
            c.tolerance_kph / 3.6,
        );
        let mut w = cx.warning(AppId::Glosa, Level::Advisory, cx.stop_line(lane));
        w.advice = Some(advice);
        w.distance_m = Some(d);
        w.ttc_s = Some(d / v);
        out.push(w);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_cases() {
        let lim = 60.0 / 3.6;
        let vmin = 25.0 / 3.6;
        // 100 m, red 10 s then green 30 s, at 20 m/s: at most 36 km/h.
        match advise(100.0, 20.0, &[(10.0, 40.0)], vmin, lim, 0.5, 0.3) {
            Advice::SpeedRange { max_kph, min_kph } => {
                assert!((max_kph - 36.0).abs() < 1e-9);
                assert!(min_kph >= 25.0 - 1e-9);
            }
            a => panic!("{a:?}"),
        }
        // 200 m at 15 m/s: the green window is reached at the current speed.
        assert_eq!(
            advise(200.0, 15.0, &[(10.0, 40.0)], vmin, lim, 0.5, 0.3),
            Advice::KeepSpeed
        );
        // Green ends in 2 s 150 m ahead, next green in 32 s: stop.
        assert_eq!(
            advise(
                150.0,
                15.0,
                &[(0.0, 2.0), (32.0, 62.0)],
                vmin,
                lim,
                0.5,
                0.3
            ),
            Advice::Stop
        );
    }
}
