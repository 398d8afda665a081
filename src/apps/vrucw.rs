//! VRUCW — vulnerable road user collision warning.
//!
//! **Algorithm.** For every pedestrian and cyclist (moving at 0.4 m/s or more counts as moving;
//! slower ones are taken as standing still), in the ego frame with constant velocities:
//! 1. The *lateral window*: the times its lateral offset from the ego's predicted path is
//!    within `ego half width + its half width + lateral_margin_m` (0.5 m; 0.9 m while latched).
//! 2. The *longitudinal window*: the times its position along the ego axis is within the ego's
//!    length plus its own (± half lengths + 0.3 m), as the ego drives on.
//! 3. A predicted collision when the windows overlap within `horizon_s` (8 s); the time to
//!    collision is the start of the overlap (`interval_within`).
//! 4. Levels: **alert** ≤ 2 s, **warning** ≤ 4 s, **advisory** ≤ 6 s
//!    ([`VrucwConfig::ttc`]); thresholds grow by 0.3 s while latched.
//!
//! Objects seen only by the roadside (`v2x_only`, e.g. a pedestrian hidden behind a parked
//! bus) are treated like any other: that is what the roadside is for. The ego must move at
//! 1 m/s or more. Hysteresis: raised after 100 ms, held 800 ms (`Latch`).
use alloc::vec::Vec;

use super::geometry::{interval_within, stopping_decel};
use super::latch::{Info, Latch};
use super::thresholds::Bands;
use super::{AppId, ObjectApp, ObjectContext, Warning};

/// VRUCW thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VrucwConfig {
    /// Lateral margin beyond the two half widths, m.
    pub lateral_margin_m: f64,
    /// Extra lateral margin while latched, m.
    pub lateral_hysteresis_m: f64,
    /// Prediction horizon, s.
    pub horizon_s: f64,
    /// TTC bands: alert 2 s, warning 4 s, advisory 6 s, +0.3 s while latched.
    pub ttc: Bands,
    /// Ego speed below which VRUCW is silent, m/s.
    pub min_ego_speed_mps: f64,
    /// Condition must hold this long before a warning, ms.
    pub on_ms: i64,
    /// Warning held this long after the condition ends, ms.
    pub off_ms: i64,
}

impl Default for VrucwConfig {
    fn default() -> Self {
        VrucwConfig {
            lateral_margin_m: 0.5,
            lateral_hysteresis_m: 0.4,
            horizon_s: 8.0,
            ttc: Bands {
                alert_s: 2.0,
                warning_s: 4.0,
                advisory_s: 6.0,
                hysteresis_s: 0.3,
            },
            min_ego_speed_mps: 1.0,
            on_ms: 100,
            off_ms: 800,
        }
    }
}

/// Vulnerable road user collision warning. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct Vrucw {
    config: VrucwConfig,
    latch: Latch,
}

impl Default for Vrucw {
    fn default() -> Self {
        Self::new(VrucwConfig::default())
    }
}

impl Vrucw {
    /// VRUCW with `config`.
    pub fn new(config: VrucwConfig) -> Self {
        Vrucw {
            config,
            latch: Latch::new(config.on_ms, config.off_ms),
        }
    }
}

impl ObjectApp for Vrucw {
    fn id(&self) -> AppId {
        AppId::Vrucw
    }

    fn evaluate(&mut self, cx: &ObjectContext<'_>, out: &mut Vec<Warning>) {
        let Vrucw { config: c, latch } = self;
        latch.evaluate(AppId::Vrucw, cx, 8, out, |frame, _, rel, active| {
            if !rel.is_vru() || frame.speed_mps < c.min_ego_speed_mps {
                return None;
            }
            let margin = c.lateral_margin_m
                + if active.is_some() {
                    c.lateral_hysteresis_m
                } else {
                    0.0
                };
            let half_w = frame.half_width_m + rel.width_m / 2.0 + margin;
            let half_l = frame.half_length_m + rel.length_m / 2.0 + 0.3;
            let lat = interval_within(rel.path_offset_m, rel.vel_local[1], half_w, c.horizon_s)?;
            let rel_lon_v = rel.vel_local[0] - frame.speed_mps;
            let lon = interval_within(rel.local[0], rel_lon_v, half_l, c.horizon_s)?;
            let start = lat.0.max(lon.0);
            if start > lat.1.min(lon.1) {
                return None;
            }
            let level = c.ttc.level(start, active)?;
            // Stopping short of the pedestrian or cyclist.
            let decel = stopping_decel(frame.speed_mps, rel.local[0] - half_l);
            Some((
                level,
                Info::of(rel, Some(start), Some(rel.range_m)).with_decel(decel),
            ))
        });
    }
}
