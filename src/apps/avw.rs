//! AVW — abnormal vehicle warning.
//!
//! **Algorithm.** A vehicle that reports hazard lights or a disabled state
//! ([`VehicleFlags::hazard_lights`](super::VehicleFlags),
//! [`VehicleFlags::disabled`](super::VehicleFlags)) raises AVW when it is ahead of the ego
//! (`lon > 0`), within the ego's lane or an adjacent one (lateral offset from the predicted path
//! ≤ 5.5 m), and travels the ego's way (moving within 45° of its heading, or stopped — a
//! stopped vehicle beside the ego's lane must not report a heading more than 120° off the
//! ego's, which keeps hazard-flashing cars on the other carriageway out without trusting a
//! stopped vehicle's heading to raise anything).
//!
//! Levels ([`HazardAhead`]): **advisory** within 300 m; **warning** within 150 m or 8 s of
//! travel at the ego speed (up to 300 m); **alert** when it is in the ego's corridor with a
//! constant-speed TTC ≤ 3 s. Ranges grow by 10 m while latched; raised after 100 ms, held 1 s
//! (`Latch`).
use alloc::vec::Vec;

use super::geometry::{ADJACENT_LANES_M, travels_ego_way};
use super::latch::Latch;
use super::thresholds::HazardAhead;
use super::{AppId, ObjectApp, ObjectContext, Warning};
use crate::math::abs;

/// Abnormal vehicle warning. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct Avw {
    /// Range and time thresholds.
    pub thresholds: HazardAhead,
    latch: Latch,
}

impl Default for Avw {
    fn default() -> Self {
        Self::new(HazardAhead::default())
    }
}

impl Avw {
    /// AVW with `thresholds`; raised after 100 ms, held 1 s.
    pub fn new(thresholds: HazardAhead) -> Self {
        Avw {
            thresholds,
            latch: Latch::new(100, 1000),
        }
    }
}

impl ObjectApp for Avw {
    fn id(&self) -> AppId {
        AppId::Avw
    }

    fn evaluate(&mut self, cx: &ObjectContext<'_>, out: &mut Vec<Warning>) {
        let Avw { thresholds, latch } = self;
        latch.evaluate(AppId::Avw, cx, 4, out, |frame, wo, rel, active| {
            let flagged = wo.flags.hazard_lights || wo.flags.disabled;
            if !flagged
                || !rel.is_vehicle()
                || rel.local[0] <= 0.0
                || abs(rel.path_offset_m) > ADJACENT_LANES_M
                || !travels_ego_way(frame, rel, wo.object)
            {
                return None;
            }
            thresholds.level(frame, rel, active)
        });
    }
}
