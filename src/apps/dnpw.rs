//! DNPW — do not pass warning.
//!
//! **Algorithm.** Active while the ego signals a pass to the left (left turn signal; the
//! passing lane is the oncoming lane in right-hand traffic), or is already out in the oncoming
//! lane (an oncoming vehicle on its own predicted path, corridor margin 0.3 m), at
//! `min_ego_speed_mps` (8 m/s) or more and not turning (yaw rate under 6 °/s: a slow left turn
//! is LTA's case).
//! 1. *Time needed to pass*: when a vehicle travels ahead in the ego's lane (within 100 m),
//!    the time to gain `gap + its length + ego length + 2 × 5 m` at the speed difference
//!    (at least 2 m/s), clamped to 4–15 s; else `default_pass_s` (7 s).
//! 2. Every moving vehicle coming the other way (more than 135° off), ahead, laterally from
//!    the ego's own lane (the ego may already be out in the passing lane) to one lane and a
//!    half to the left (−2.25 m … +6 m from the path), within 400 m: its time to meet the ego
//!    is `gap / (ego speed + its speed)`.
//! 3. A **warning** when that time is ≤ the time needed to pass + `margin_s` (1 s; 2 s while
//!    latched); an **alert** when it is ≤ `alert_ttc_s` (4 s). No advisory.
//! 4. Hysteresis: raised after 100 ms, held 800 ms (`Latch`); the target is the oncoming
//!    vehicle's track id.
use alloc::vec::Vec;

use super::geometry::{Direction, EgoFrame, OWN_LANE_M, Relative, in_corridor, relatives};
use super::latch::{Info, Latch, widen};
use super::{AppId, Level, ObjectApp, ObjectContext, TurnSignal, Warning};
use crate::math::abs;

/// DNPW thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DnpwConfig {
    /// Ego speed below which DNPW is silent, m/s.
    pub min_ego_speed_mps: f64,
    /// Yaw rate above which the ego is turning, not passing, °/s.
    pub max_yaw_dps: f64,
    /// Time to pass when no vehicle ahead is known, s.
    pub default_pass_s: f64,
    /// Margin added to the time to pass, s.
    pub margin_s: f64,
    /// Extra margin while latched, s.
    pub margin_hysteresis_s: f64,
    /// Alert when the oncoming vehicle meets the ego within this, s.
    pub alert_ttc_s: f64,
    /// Farthest oncoming vehicle considered, m.
    pub max_range_m: f64,
    /// Condition must hold this long before a warning, ms.
    pub on_ms: i64,
    /// Warning held this long after the condition ends, ms.
    pub off_ms: i64,
}

impl Default for DnpwConfig {
    fn default() -> Self {
        DnpwConfig {
            min_ego_speed_mps: 8.0,
            max_yaw_dps: 6.0,
            default_pass_s: 7.0,
            margin_s: 1.0,
            margin_hysteresis_s: 1.0,
            alert_ttc_s: 4.0,
            max_range_m: 400.0,
            on_ms: 100,
            off_ms: 800,
        }
    }
}

/// Do not pass warning. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct Dnpw {
    config: DnpwConfig,
    latch: Latch,
}

impl Default for Dnpw {
    fn default() -> Self {
        Self::new(DnpwConfig::default())
    }
}

impl Dnpw {
    /// DNPW with `config`.
    pub fn new(config: DnpwConfig) -> Self {
        Dnpw {
            config,
            latch: Latch::new(config.on_ms, config.off_ms),
        }
    }
}

/// Time needed to pass the nearest same-direction vehicle ahead in the ego lane.
fn pass_time(c: &DnpwConfig, frame: &EgoFrame, lead: Option<&Relative>) -> f64 {
    let Some(l) = lead else {
        return c.default_pass_s;
    };
    let gap = l.gap_ahead_m(frame).max(0.0);
    let dist = gap + l.length_m + 2.0 * frame.half_length_m + 10.0;
    let dv = (frame.speed_mps - l.vel_local[0]).max(2.0);
    (dist / dv).clamp(4.0, 15.0)
}

impl ObjectApp for Dnpw {
    fn id(&self) -> AppId {
        AppId::Dnpw
    }

    fn evaluate(&mut self, cx: &ObjectContext<'_>, out: &mut Vec<Warning>) {
        let Dnpw { config: c, latch } = self;
        let passing = cx.ego.turn_signal == TurnSignal::Left;
        // The vehicle to pass.
        let mut t_pass = c.default_pass_s;
        if let Some(frame) = EgoFrame::new(cx.ego) {
            let mut lead: Option<Relative> = None;
            for (_, rel) in relatives(&frame, cx) {
                let ahead = rel.local[0] > 0.0 && rel.gap_ahead_m(&frame) <= 100.0;
                if ahead
                    && rel.is_vehicle()
                    && matches!(rel.direction, Direction::Same | Direction::Stationary)
                    && in_corridor(&frame, &rel, 0.3)
                    && lead.is_none_or(|l| rel.local[0] < l.local[0])
                {
                    lead = Some(rel);
                }
            }
            t_pass = pass_time(c, &frame, lead.as_ref());
        }
        latch.evaluate(AppId::Dnpw, cx, 4, out, |frame, _, rel, active| {
            // Out in the oncoming lane already (an oncoming vehicle on the ego's own path) counts
            // as passing even without the signal.
            let head_on = in_corridor(frame, rel, 0.3);
            if !(passing || head_on)
                || frame.speed_mps < c.min_ego_speed_mps
                || abs(frame.yaw_left_dps) >= c.max_yaw_dps
                || rel.direction != Direction::Opposite
                || !rel.is_vehicle()
                || rel.local[0] <= 0.0
                || rel.range_m > c.max_range_m
            {
                return None;
            }
            let off = rel.path_offset_m;
            if !(-OWN_LANE_M..=6.0).contains(&off) {
                return None;
            }
            let closing = frame.speed_mps - rel.vel_local[0];
            if closing <= 0.0 {
                return None;
            }
            let ttc = rel.gap_ahead_m(frame).max(0.0) / closing;
            let margin = widen(
                active,
                Level::Warning,
                c.margin_s,
                c.margin_s + c.margin_hysteresis_s,
            );
            let level = if ttc <= c.alert_ttc_s {
                Level::Alert
            } else if ttc <= t_pass + margin {
                Level::Warning
            } else {
                return None;
            };
            Some((level, Info::of(rel, Some(ttc), Some(rel.range_m))))
        });
    }
}
