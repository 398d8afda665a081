//! ICW — intersection collision warning.
//!
//! **Algorithm.** For every moving vehicle (pedestrians and cyclists are VRUCW's) whose
//! direction crosses the ego's (between 45° and 135° off the ego heading, from either side):
//! 1. The crossing point of the two straight paths (`crossing_point`) gives the distance
//!    each vehicle has to it.
//! 2. Each vehicle's *occupancy window* of the conflict zone (`occupancy_window`): the times
//!    its front enters and its rear leaves a zone as wide as the other vehicle (divided by the
//!    sine of the crossing angle), with constant acceleration until it stops — the ego's
//!    measured acceleration, the other's as the fusion core estimates it for its track
//!    (`FusedObject::accel`), so a vehicle braking to stop before the crossing is no conflict.
//! 3. The *arrival gap* is the time between the two windows (0 when they overlap). A conflict
//!    is an arrival gap ≤ `max_gap_s` (1.0 s; 1.5 s while latched): two vehicles arriving
//!    about 1 s apart conflict, 4 s apart do not.
//! 4. Levels by the ego's time to enter the zone: **alert** ≤ 2 s, **warning** ≤ 5 s, **advisory**
//!    ≤ 7 s ([`IcwConfig::tti`]); thresholds grow by 0.5 s while latched.
//! 5. Hysteresis: raised after 100 ms, held 800 ms (`Latch`); targets are fused track ids;
//!    duplicates of one vehicle give one warning.
//!
//! Silent when the ego is slower than 1 m/s or the crossing is farther than 250 m on either
//! path.
use alloc::vec::Vec;

use super::geometry::{
    Direction, EgoFrame, Relative, crossing_point, occupancy_window, stopping_decel,
    tangential_accel, window_gap_s,
};
use super::latch::{Info, Latch, widen};
use super::thresholds::Bands;
use super::{AppId, Level, ObjectApp, ObjectContext, Warning};
use crate::math::abs;

/// ICW thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IcwConfig {
    /// Largest arrival gap that is a conflict, s.
    pub max_gap_s: f64,
    /// Extra arrival gap while latched, s.
    pub gap_hysteresis_s: f64,
    /// Bands of the ego's time to enter the conflict zone: alert 2 s, warning 5 s, advisory
    /// 7 s, +0.5 s while latched.
    pub tti: Bands,
    /// Ego speed below which ICW is silent, m/s.
    pub min_ego_speed_mps: f64,
    /// Farthest crossing considered on either path, m.
    pub max_distance_m: f64,
    /// Condition must hold this long before a warning, ms.
    pub on_ms: i64,
    /// Warning held this long after the condition ends, ms.
    pub off_ms: i64,
}

impl Default for IcwConfig {
    fn default() -> Self {
        IcwConfig {
            max_gap_s: 1.0,
            gap_hysteresis_s: 0.5,
            tti: Bands {
                alert_s: 2.0,
                warning_s: 5.0,
                advisory_s: 7.0,
                hysteresis_s: 0.5,
            },
            min_ego_speed_mps: 1.0,
            max_distance_m: 250.0,
            on_ms: 100,
            off_ms: 800,
        }
    }
}

/// Intersection collision warning. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct Icw {
    config: IcwConfig,
    latch: Latch,
}

impl Default for Icw {
    fn default() -> Self {
        Self::new(IcwConfig::default())
    }
}

impl Icw {
    /// ICW with `config`.
    pub fn new(config: IcwConfig) -> Self {
        Icw {
            config,
            latch: Latch::new(config.on_ms, config.off_ms),
        }
    }
}

/// The ego's time to enter the conflict with `rel` and the arrival gap, when the paths cross.
/// Time to enter the conflict zone, arrival gap, distance to the crossing point and distance
/// to the zone's near edge.
fn conflict(c: &IcwConfig, frame: &EgoFrame, rel: &Relative) -> Option<(f64, f64, f64, f64)> {
    if !matches!(
        rel.direction,
        Direction::CrossingFromLeft | Direction::CrossingFromRight
    ) || !rel.is_vehicle()
    {
        return None;
    }
    let speed = rel.speed_mps;
    let dir_o = [rel.velocity_enu[0] / speed, rel.velocity_enu[1] / speed];
    let (s_e, s_o) = crossing_point(frame.origin, frame.forward, rel.position_enu, dir_o)?;
    if s_e > c.max_distance_m || s_o > c.max_distance_m {
        return None;
    }
    let sin = abs(super::geometry::cross(frame.forward, dir_o)).max(0.5);
    let horizon = c.tti.advisory_s + 10.0;
    let a_ego = frame.accel_mps2.clamp(-10.0, 2.0);
    let ego_w = occupancy_window(
        s_e,
        rel.width_m / 2.0 / sin,
        frame.half_length_m,
        frame.speed_mps,
        a_ego,
        horizon,
    )?;
    let mut a_o = tangential_accel(rel);
    if abs(a_o) < 0.3 {
        a_o = 0.0;
    }
    let obj_w = occupancy_window(
        s_o,
        frame.half_width_m / sin,
        rel.length_m / 2.0,
        speed,
        a_o.clamp(-10.0, 3.0),
        horizon,
    )?;
    let entry = s_e - rel.width_m / 2.0 / sin - frame.half_length_m;
    Some((ego_w.0, window_gap_s(ego_w, obj_w), s_e, entry))
}

impl ObjectApp for Icw {
    fn id(&self) -> AppId {
        AppId::Icw
    }

    fn evaluate(&mut self, cx: &ObjectContext<'_>, out: &mut Vec<Warning>) {
        let Icw { config: c, latch } = self;
        latch.evaluate(AppId::Icw, cx, 8, out, |frame, _, rel, active| {
            if frame.speed_mps < c.min_ego_speed_mps {
                return None;
            }
            let (tti, gap, s_e, entry) = conflict(c, frame, rel)?;
            let max_gap = widen(
                active,
                Level::Advisory,
                c.max_gap_s,
                c.max_gap_s + c.gap_hysteresis_s,
            );
            if gap > max_gap {
                return None;
            }
            let level = c.tti.level(tti, active)?;
            let decel = stopping_decel(frame.speed_mps, entry);
            Some((
                level,
                Info::of(rel, Some(tti), Some(s_e.max(0.0))).with_decel(decel),
            ))
        });
    }
}
