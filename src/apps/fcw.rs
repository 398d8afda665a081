//! FCW — forward collision warning.
//!
//! **Algorithm.** Each evaluation:
//! 1. The *lead* is the nearest object ahead (`lon > 0`) inside the ego's corridor: its lateral
//!    offset from the ego's predicted path (an arc of the current yaw rate, straight below
//!    1 °/s) is at most `ego half width + object half width + lane_margin_m` (0.3 m; 0.7 m while
//!    the target is latched). Objects moving across or against the ego's direction
//!    (more than 45° off) are not FCW leads (ICW, LTA, DNPW cover them) unless they are slower
//!    than 3 m/s (a car creeping out across the lane), and then count as standing; stationary
//!    objects are leads whatever their (noisy) heading says. Pedestrians and cyclists belong to VRUCW.
//! 2. The bumper-to-bumper gap `lon − ego half length − lead half length` is closed with
//!    constant accelerations until each vehicle stops (`ttc_1d`): ego speed and its braking
//!    (a positive ego acceleration is ignored), the lead's speed along the ego axis and its
//!    acceleration, the fusion core's estimate of the track (`FusedObject::accel`; a 0.3 m/s²
//!    dead band). This is the
//!    relative-acceleration TTC the NHTSA confirmation test uses for a braking lead.
//! 3. Levels from the TTC: **alert** ≤ 1.5 s, **warning** ≤ 2.7 s, **advisory** ≤ 3.5 s
//!    ([`FcwConfig::ttc`]); while latched each threshold is 0.3 s larger.
//! 4. Hysteresis (`Latch`): raised after the condition holds `on_ms` (100 ms), released after
//!    it has been absent for `off_ms` (600 ms). One warning at a time, about the lead's track id.
//!
//! No warning below `min_ego_speed_mps` (2 m/s) or beyond `max_range_m` (200 m).
//!
//! Every warning carries the constant deceleration the ego needs from now on to stay clear of
//! the lead under the same motion model (`geometry::required_decel`), for an emergency braking
//! controller.
use alloc::vec::Vec;

use super::geometry::{
    Direction, EgoFrame, Relative, in_corridor, relatives, required_decel, tangential_accel, ttc_1d,
};
use super::latch::{Info, Latch};
use super::thresholds::Bands;
use super::{AppId, Level, ObjectApp, ObjectContext, Warning};
use crate::math::abs;

/// FCW thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FcwConfig {
    /// TTC bands: alert 1.5 s, warning 2.7 s, advisory 3.5 s, +0.3 s while latched.
    pub ttc: Bands,
    /// Corridor margin beyond the two half widths, m.
    pub lane_margin_m: f64,
    /// Extra corridor margin while latched, m.
    pub lane_hysteresis_m: f64,
    /// Ego speed below which FCW is silent, m/s.
    pub min_ego_speed_mps: f64,
    /// Farthest lead considered, m.
    pub max_range_m: f64,
    /// Condition must hold this long before a warning, ms.
    pub on_ms: i64,
    /// Warning held this long after the condition ends, ms.
    pub off_ms: i64,
    /// Lead accelerations smaller than this in magnitude count as 0, m/s².
    pub accel_dead_band_mps2: f64,
    /// Objects in the corridor this slow are leads whatever their direction (a car creeping
    /// out across the lane, a noisy standstill), taken as standing, m/s.
    pub slow_any_direction_mps: f64,
}

impl Default for FcwConfig {
    fn default() -> Self {
        FcwConfig {
            ttc: Bands {
                alert_s: 1.5,
                warning_s: 2.7,
                advisory_s: 3.5,
                hysteresis_s: 0.3,
            },
            lane_margin_m: 0.3,
            lane_hysteresis_m: 0.4,
            min_ego_speed_mps: 2.0,
            max_range_m: 200.0,
            on_ms: 100,
            off_ms: 600,
            accel_dead_band_mps2: 0.3,
            slow_any_direction_mps: 3.0,
        }
    }
}

/// Forward collision warning. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct Fcw {
    config: FcwConfig,
    latch: Latch,
}

impl Default for Fcw {
    fn default() -> Self {
        Self::new(FcwConfig::default())
    }
}

impl Fcw {
    /// FCW with `config`.
    pub fn new(config: FcwConfig) -> Self {
        Fcw {
            config,
            latch: Latch::new(config.on_ms, config.off_ms),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &FcwConfig {
        &self.config
    }
}

/// Whether `rel` can be the lead.
fn lead_candidate(c: &FcwConfig, frame: &EgoFrame, rel: &Relative, active: Option<Level>) -> bool {
    let margin = if active.is_some() {
        c.lane_margin_m + c.lane_hysteresis_m
    } else {
        c.lane_margin_m
    };
    rel.is_vehicle()
        && rel.local[0] > 0.0
        && rel.range_m <= c.max_range_m
        && (matches!(rel.direction, Direction::Same | Direction::Stationary)
            || rel.speed_mps <= c.slow_any_direction_mps)
        && in_corridor(frame, rel, margin)
}

/// Relative-acceleration TTC to `rel` (a lead candidate) and the deceleration the ego needs
/// to avoid it.
fn lead_ttc(c: &FcwConfig, frame: &EgoFrame, rel: &Relative) -> Option<(f64, Option<f64>)> {
    let gap = rel.gap_ahead_m(frame);
    let same = rel.direction == Direction::Same;
    let v_lead = if same { rel.vel_local[0].max(0.0) } else { 0.0 };
    let mut a_lead = if same && rel.speed_mps > 0.0 {
        tangential_accel(rel) * rel.vel_local[0] / rel.speed_mps
    } else {
        0.0
    };
    if abs(a_lead) < c.accel_dead_band_mps2 {
        a_lead = 0.0;
    }
    let a_lead = a_lead.clamp(-10.0, 3.0);
    let a_ego = frame.accel_mps2.min(0.0);
    let ttc = ttc_1d(gap, frame.speed_mps, a_ego, v_lead, a_lead, 10.0)?;
    Some((ttc, required_decel(gap, frame.speed_mps, v_lead, a_lead)))
}

impl ObjectApp for Fcw {
    fn id(&self) -> AppId {
        AppId::Fcw
    }

    fn evaluate(&mut self, cx: &ObjectContext<'_>, out: &mut Vec<Warning>) {
        let Fcw { config: c, latch } = self;
        // The lead: nearest candidate ahead.
        let mut lead: Option<(u32, f64)> = None;
        if let Some(frame) = EgoFrame::new(cx.ego) {
            for (_, rel) in relatives(&frame, cx) {
                if lead_candidate(c, &frame, &rel, latch.level(rel.id)) {
                    let gap = rel.gap_ahead_m(&frame);
                    if lead.is_none_or(|(_, g)| gap < g) {
                        lead = Some((rel.id, gap));
                    }
                }
            }
        }
        let lead_id = lead.map(|(id, _)| id);
        latch.evaluate(AppId::Fcw, cx, 1, out, |frame, _, rel, active| {
            if lead_id != Some(rel.id) || frame.speed_mps < c.min_ego_speed_mps {
                return None;
            }
            let (ttc, decel) = lead_ttc(c, frame, rel)?;
            let level = c.ttc.level(ttc, active)?;
            let gap = rel.gap_ahead_m(frame).max(0.0);
            Some((level, Info::of(rel, Some(ttc), Some(gap)).with_decel(decel)))
        });
    }
}
