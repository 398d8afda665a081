//! CLW — control loss warning.
//!
//! **Algorithm.** A vehicle that reports a loss of control (stability or traction control
//! engaged, ABS active: [`VehicleFlags::control_loss`](super::VehicleFlags)) raises CLW when it
//! is ahead of the ego (`lon > 0`) within the ego's lane or an adjacent one (lateral offset from
//! the predicted path ≤ 5.5 m) and either travels the ego's way (moving within 45°, or stopped
//! as for AVW) or comes toward the ego within 150 m (a skidding oncoming car can cross into
//! the ego's lane). Vehicles behind the ego, far to the side or moving away across its path do
//! not raise CLW.
//!
//! Levels ([`HazardAhead`]): **advisory** within 300 m; **warning** within 150 m or 8 s of
//! travel at the ego speed (up to 300 m); **alert** when it is in the ego's corridor with a
//! constant-speed TTC ≤ 3 s. Ranges grow by 10 m while latched; raised after 100 ms, held 1 s
//! (`Latch`).
use alloc::vec::Vec;

use super::geometry::{ADJACENT_LANES_M, Direction, travels_ego_way};
use super::latch::Latch;
use super::thresholds::HazardAhead;
use super::{AppId, ObjectApp, ObjectContext, Warning};
use crate::math::abs;

/// Oncoming vehicles count within this range, m.
const ONCOMING_RANGE_M: f64 = 150.0;

/// Control loss warning. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct Clw {
    /// Range and time thresholds.
    pub thresholds: HazardAhead,
    latch: Latch,
}

impl Default for Clw {
    fn default() -> Self {
        Self::new(HazardAhead::default())
    }
}

impl Clw {
    /// CLW with `thresholds`; raised after 100 ms, held 1 s.
    pub fn new(thresholds: HazardAhead) -> Self {
        Clw {
            thresholds,
            latch: Latch::new(100, 1000),
        }
    }
}

impl ObjectApp for Clw {
    fn id(&self) -> AppId {
        AppId::Clw
    }

    fn evaluate(&mut self, cx: &ObjectContext<'_>, out: &mut Vec<Warning>) {
        let Clw { thresholds, latch } = self;
        latch.evaluate(AppId::Clw, cx, 4, out, |frame, wo, rel, active| {
            if !wo.flags.control_loss
                || !rel.is_vehicle()
                || rel.local[0] <= 0.0
                || abs(rel.path_offset_m) > ADJACENT_LANES_M
            {
                return None;
            }
            let oncoming = rel.direction == Direction::Opposite
                && rel.range_m <= ONCOMING_RANGE_M
                && rel.range_rate_mps(frame) < 0.0;
            if !(oncoming || travels_ego_way(frame, rel, wo.object)) {
                return None;
            }
            thresholds.level(frame, rel, active)
        });
    }
}
