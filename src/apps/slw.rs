//! Speed limit warning (SLW).
//!
//! **Inputs**: the vehicle maximum speed of the lane the ego is matched to (MAP lane speed
//! limits, else the link's).
//!
//! **Algorithm**: with speed `v` and limit `L`: `v > L + 2 km/h` ([`SlwConfig::tolerance_kph`])
//! raises an **advisory**; `v > L · 1.1` ([`SlwConfig::warning_ratio`]) and more than the
//! tolerance over raises a **warning**. Exactly at or under the limit nothing is raised.
//!
//! **Hysteresis**: on after 300 ms over, off after 1 s under. **Target**: the ego;
//! `distance_m` is not set.
use alloc::vec::Vec;

use super::road::{HeldLevel, RoadApp, RoadContext};
use super::{AppId, Level, Target, Warning};

/// SLW thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SlwConfig {
    /// Speed over the limit tolerated, km/h (2).
    pub tolerance_kph: f64,
    /// Speed over `limit · ratio` is a warning (1.1).
    pub warning_ratio: f64,
    /// On delay, ms (300).
    pub on_ms: i64,
    /// Off delay, ms (1000).
    pub off_ms: i64,
}

impl Default for SlwConfig {
    fn default() -> Self {
        SlwConfig {
            tolerance_kph: 2.0,
            warning_ratio: 1.1,
            on_ms: 300,
            off_ms: 1000,
        }
    }
}

/// The SLW application.
#[derive(Debug, Clone, Default)]
pub struct Slw {
    /// Thresholds.
    pub config: SlwConfig,
    held: Option<HeldLevel>,
}

/// The raw SLW level of speed `v_kph` under limit `limit_kph`.
pub fn slw_level(v_kph: f64, limit_kph: f64, c: &SlwConfig) -> Option<Level> {
    if v_kph <= limit_kph + c.tolerance_kph {
        None
    } else if v_kph > limit_kph * c.warning_ratio {
        Some(Level::Warning)
    } else {
        Some(Level::Advisory)
    }
}

impl RoadApp for Slw {
    fn id(&self) -> AppId {
        AppId::Slw
    }

    fn evaluate(&mut self, cx: &RoadContext<'_>, out: &mut Vec<Warning>) {
        let c = self.config;
        let held = self
            .held
            .get_or_insert_with(|| HeldLevel::new(c.on_ms, c.off_ms));
        let limit = cx.lane.and_then(|l| l.speed_limit_mps);
        let raw = limit.and_then(|l| slw_level(cx.ego.speed_mps * 3.6, l * 3.6, &c));
        if let Some(level) = held.update(raw, cx.now) {
            out.push(cx.warning(AppId::Slw, level, Target::Ego));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        let c = SlwConfig::default();
        assert_eq!(slw_level(70.0, 60.0, &c), Some(Level::Warning));
        assert_eq!(slw_level(63.0, 60.0, &c), Some(Level::Advisory));
        assert_eq!(slw_level(62.0, 60.0, &c), None);
        assert_eq!(slw_level(58.0, 60.0, &c), None);
    }
}
