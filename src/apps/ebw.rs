//! EBW — emergency brake warning.
//!
//! **Algorithm.** A vehicle that reports hard braking (BSM `eventHardBraking`,
//! [`VehicleFlags::hard_braking`](super::VehicleFlags)) raises EBW when it is
//! - ahead of the ego (`lon > 0`) within `max_range_m` (250 m),
//! - in the ego's lane: lateral offset from the ego's predicted path ≤ 2.25 m (half a lane plus
//!   0.5 m; 2.75 m while latched) — it need not be the direct lead,
//! - travelling the ego's way: moving within 45° of the ego heading, or stopped (a stopped
//!   vehicle's heading is not trusted; in the ego's lane it counts). Oncoming traffic never
//!   raises EBW.
//!
//! Levels: **warning** for such a vehicle; **alert** when the constant-speed time to collision
//! with it is ≤ `alert_ttc_s` (3 s) or the time headway (gap / ego speed) is ≤
//! `alert_headway_s` (1 s). Hysteresis: raised after 100 ms, held 1 s after the flag or the
//! geometry stops holding (`Latch`).
use alloc::vec::Vec;

use super::geometry::{OWN_LANE_M, corridor_decel, corridor_ttc, travels_ego_way};
use super::latch::{Info, Latch};
use super::{AppId, Level, ObjectApp, ObjectContext, Warning};
use crate::math::abs;

/// EBW thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EbwConfig {
    /// Farthest braking vehicle considered, m.
    pub max_range_m: f64,
    /// Alert at a time to collision up to this, s.
    pub alert_ttc_s: f64,
    /// Alert at a time headway up to this, s.
    pub alert_headway_s: f64,
    /// Lane gate growth while latched, m.
    pub lane_hysteresis_m: f64,
    /// Condition must hold this long before a warning, ms.
    pub on_ms: i64,
    /// Warning held this long after the condition ends, ms.
    pub off_ms: i64,
}

impl Default for EbwConfig {
    fn default() -> Self {
        EbwConfig {
            max_range_m: 250.0,
            alert_ttc_s: 3.0,
            alert_headway_s: 1.0,
            lane_hysteresis_m: 0.5,
            on_ms: 100,
            off_ms: 1000,
        }
    }
}

/// Emergency brake warning. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct Ebw {
    config: EbwConfig,
    latch: Latch,
}

impl Default for Ebw {
    fn default() -> Self {
        Self::new(EbwConfig::default())
    }
}

impl Ebw {
    /// EBW with `config`.
    pub fn new(config: EbwConfig) -> Self {
        Ebw {
            config,
            latch: Latch::new(config.on_ms, config.off_ms),
        }
    }
}

impl ObjectApp for Ebw {
    fn id(&self) -> AppId {
        AppId::Ebw
    }

    fn evaluate(&mut self, cx: &ObjectContext<'_>, out: &mut Vec<Warning>) {
        let Ebw { config: c, latch } = self;
        latch.evaluate(AppId::Ebw, cx, 4, out, |frame, wo, rel, active| {
            let gate = OWN_LANE_M
                + if active.is_some() {
                    c.lane_hysteresis_m
                } else {
                    0.0
                };
            if !wo.flags.hard_braking
                || !rel.is_vehicle()
                || rel.local[0] <= 0.0
                || rel.range_m > c.max_range_m
                || abs(rel.path_offset_m) > gate
                || !travels_ego_way(frame, rel, wo.object)
            {
                return None;
            }
            let ttc = corridor_ttc(frame, rel);
            let gap = rel.gap_ahead_m(frame).max(0.0);
            let headway_alert = frame.speed_mps > 2.0 && gap / frame.speed_mps <= c.alert_headway_s;
            let level = if ttc.is_some_and(|t| t <= c.alert_ttc_s) || headway_alert {
                Level::Alert
            } else {
                Level::Warning
            };
            let decel = ttc.and(corridor_decel(frame, rel));
            Some((level, Info::of(rel, ttc, Some(gap)).with_decel(decel)))
        });
    }
}
