//! EVW — emergency vehicle warning.
//!
//! **Algorithm.** A vehicle that reports an active siren or light bar
//! ([`VehicleFlags::emergency`](super::VehicleFlags)) within `advisory_range_m` (300 m) raises
//! EVW when it is *relevant*:
//! - approaching: the range shrinks (range rate ≤ −0.5 m/s) and the predicted closest approach
//!   with constant velocities (`closest_approach`) passes within `pass_distance_m` (15 m) of
//!   the ego within 20 s — from behind in the ego's lane, oncoming, or toward the same
//!   crossing; or
//! - stopped or moving the ego's way ahead of it (`lon > 0`) in its lane or an adjacent one
//!   (an incident scene the ego drives up to), while the ego closes on it; or
//! - behind the ego in its lane or an adjacent one, moving its way and not falling back (range
//!   rate ≤ 0.5 m/s): the ego should make way even when it is not being closed on.
//!
//! An emergency vehicle moving away, far to the side or with its siren off raises nothing.
//! Levels: **advisory** within 300 m; **warning** within `warning_range_m` (150 m) or when the
//! closest approach is within 10 s; **alert** when the closest approach is ≤ 3 m within 3 s.
//! Ranges grow by 20 m while latched; raised after 100 ms, held 1.5 s (`Latch`).
use alloc::vec::Vec;

use super::geometry::{ADJACENT_LANES_M, closest_approach, travels_ego_way};
use super::latch::{Info, Latch, widen};
use super::{AppId, Level, ObjectApp, ObjectContext, Warning};
use crate::math::abs;

/// EVW thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EvwConfig {
    /// Advisory within this range, m.
    pub advisory_range_m: f64,
    /// Warning within this range, m.
    pub warning_range_m: f64,
    /// Warning when the closest approach comes within this time, s.
    pub warning_time_s: f64,
    /// Relevant when the predicted closest approach is within this distance, m.
    pub pass_distance_m: f64,
    /// Prediction horizon of the closest approach, s.
    pub horizon_s: f64,
}

impl Default for EvwConfig {
    fn default() -> Self {
        EvwConfig {
            advisory_range_m: 300.0,
            warning_range_m: 150.0,
            warning_time_s: 10.0,
            pass_distance_m: 15.0,
            horizon_s: 20.0,
        }
    }
}

/// Emergency vehicle warning. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct Evw {
    config: EvwConfig,
    latch: Latch,
}

impl Default for Evw {
    fn default() -> Self {
        Self::new(EvwConfig::default())
    }
}

impl Evw {
    /// EVW with `config`.
    pub fn new(config: EvwConfig) -> Self {
        Evw {
            config,
            latch: Latch::new(100, 1500),
        }
    }
}

impl ObjectApp for Evw {
    fn id(&self) -> AppId {
        AppId::Evw
    }

    fn evaluate(&mut self, cx: &ObjectContext<'_>, out: &mut Vec<Warning>) {
        let Evw { config: c, latch } = self;
        latch.evaluate(AppId::Evw, cx, 4, out, |frame, wo, rel, active| {
            let range_adv = widen(
                active,
                Level::Advisory,
                c.advisory_range_m,
                c.advisory_range_m + 20.0,
            );
            if !wo.flags.emergency || rel.range_m > range_adv {
                return None;
            }
            let rel_v = [rel.vel_local[0] - frame.speed_mps, rel.vel_local[1]];
            let (t_ca, d_ca) = closest_approach(rel.local, rel_v, c.horizon_s);
            let rate = rel.range_rate_mps(frame);
            let approaching = rate <= -0.5 && d_ca <= c.pass_distance_m && t_ca < c.horizon_s;
            let ahead_scene = rel.local[0] > 0.0
                && abs(rel.path_offset_m) <= ADJACENT_LANES_M
                && travels_ego_way(frame, rel, wo.object)
                && rate < 0.0;
            // Following the ego in its lane or the next (not falling back): the ego should
            // make way even when it is not closing.
            let following = rel.local[0] < 0.0
                && abs(rel.local[1]) <= ADJACENT_LANES_M
                && rel.direction == super::geometry::Direction::Same
                && rate <= 0.5;
            if !(approaching || ahead_scene || following) {
                return None;
            }
            let warn_range = widen(
                active,
                Level::Warning,
                c.warning_range_m,
                c.warning_range_m + 20.0,
            );
            let level = if approaching && d_ca <= 3.0 && t_ca <= 3.0 {
                Level::Alert
            } else if rel.range_m <= warn_range || (approaching && t_ca <= c.warning_time_s) {
                Level::Warning
            } else {
                Level::Advisory
            };
            let ttc = approaching.then_some(t_ca);
            Some((level, Info::of(rel, ttc, Some(rel.range_m))))
        });
    }
}
