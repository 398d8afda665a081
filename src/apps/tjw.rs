//! TJW — traffic jam warning.
//!
//! **Algorithm.** A *queue member* is a vehicle ahead (`lon > 0`, within 500 m) that is slow
//! (≤ `slow_mps`, 5 m/s) and travels the ego's way (moving within 45° of the ego heading, or
//! stopped — beside the ego's lane a stopped vehicle must not report a heading more than 120°
//! off), in the ego's lane or an adjacent one (≤ 5.5 m from the predicted path). A queue is at
//! least `min_vehicles` (2) members of which at least one is in the ego's lane (≤ 2.25 m); its
//! *tail* is the nearest member in the ego's lane, the warning's target.
//!
//! TJW needs the ego to move at `min_ego_speed_mps` (5 m/s) or more and at least 2 m/s faster
//! than the tail (an ego already crawling in the jam gets no warning). With the time to reach
//! the tail `gap / (ego speed − tail speed)`:
//! **advisory** within 500 m; **warning** within 200 m or 12 s; **alert** within 3 s.
//! Ranges grow by 20 m and times by 1 s while latched; raised after 200 ms, held 1.5 s
//! (`Latch`); one warning at a time.
use alloc::vec::Vec;

use super::geometry::{ADJACENT_LANES_M, OWN_LANE_M, corridor_decel, relatives, travels_ego_way};
use super::latch::{Info, Latch, widen};
use super::{AppId, Level, ObjectApp, ObjectContext, Warning};
use crate::math::abs;

/// TJW thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TjwConfig {
    /// Queue members move at most this fast, m/s.
    pub slow_mps: f64,
    /// Fewest members that make a queue.
    pub min_vehicles: usize,
    /// Ego speed below which TJW is silent, m/s.
    pub min_ego_speed_mps: f64,
    /// Ego must be at least this much faster than the tail, m/s.
    pub min_closing_mps: f64,
    /// Advisory within this range of the tail, m.
    pub advisory_range_m: f64,
    /// Warning within this range of the tail, m.
    pub warning_range_m: f64,
    /// Warning within this time to reach the tail, s.
    pub warning_time_s: f64,
    /// Alert within this time to reach the tail, s.
    pub alert_time_s: f64,
}

impl Default for TjwConfig {
    fn default() -> Self {
        TjwConfig {
            slow_mps: 5.0,
            min_vehicles: 2,
            min_ego_speed_mps: 5.0,
            min_closing_mps: 2.0,
            advisory_range_m: 500.0,
            warning_range_m: 200.0,
            warning_time_s: 12.0,
            alert_time_s: 3.0,
        }
    }
}

/// Traffic jam warning. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct Tjw {
    config: TjwConfig,
    latch: Latch,
}

impl Default for Tjw {
    fn default() -> Self {
        Self::new(TjwConfig::default())
    }
}

impl Tjw {
    /// TJW with `config`.
    pub fn new(config: TjwConfig) -> Self {
        Tjw {
            config,
            latch: Latch::new(200, 1500),
        }
    }
}

impl ObjectApp for Tjw {
    fn id(&self) -> AppId {
        AppId::Tjw
    }

    fn evaluate(&mut self, cx: &ObjectContext<'_>, out: &mut Vec<Warning>) {
        let Tjw { config: c, latch } = self;
        // Count the queue and find its tail.
        let mut members = 0usize;
        let mut tail: Option<(u32, f64)> = None;
        if let Some(frame) = super::geometry::EgoFrame::new(cx.ego) {
            for (wo, rel) in relatives(&frame, cx) {
                let member = rel.is_vehicle()
                    && rel.local[0] > 0.0
                    && rel.range_m <= c.advisory_range_m + 50.0
                    && rel.speed_mps <= c.slow_mps
                    && abs(rel.path_offset_m) <= ADJACENT_LANES_M
                    && travels_ego_way(&frame, &rel, wo.object);
                if !member {
                    continue;
                }
                members += 1;
                if abs(rel.path_offset_m) <= OWN_LANE_M
                    && tail.is_none_or(|(_, lon)| rel.local[0] < lon)
                {
                    tail = Some((rel.id, rel.local[0]));
                }
            }
        }
        let tail_id = tail.filter(|_| members >= c.min_vehicles).map(|(id, _)| id);
        latch.evaluate(AppId::Tjw, cx, 1, out, |frame, _, rel, active| {
            if Some(rel.id) != tail_id || frame.speed_mps < c.min_ego_speed_mps {
                return None;
            }
            let closing = frame.speed_mps - rel.vel_local[0].max(0.0);
            if closing < c.min_closing_mps {
                return None;
            }
            let gap = rel.gap_ahead_m(frame).max(0.0);
            let t = gap / closing;
            let level = if t <= widen(active, Level::Alert, c.alert_time_s, c.alert_time_s + 1.0) {
                Level::Alert
            } else if gap
                <= widen(
                    active,
                    Level::Warning,
                    c.warning_range_m,
                    c.warning_range_m + 20.0,
                )
                || t <= widen(
                    active,
                    Level::Warning,
                    c.warning_time_s,
                    c.warning_time_s + 1.0,
                )
            {
                Level::Warning
            } else if gap
                <= widen(
                    active,
                    Level::Advisory,
                    c.advisory_range_m,
                    c.advisory_range_m + 20.0,
                )
            {
                Level::Advisory
            } else {
                return None;
            };
            let decel = corridor_decel(frame, rel);
            Some((level, Info::of(rel, Some(t), Some(gap)).with_decel(decel)))
        });
    }
}
