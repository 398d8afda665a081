//! Speed limit warning (SLW).
//!
//! **Inputs**: the vehicle maximum speed of the lane the ego is matched to (MAP lane speed
//! limits, else the link's), and the speed limit signs of the RSI store: traffic signs whose
//! type code is one of [`SlwConfig::limit_sign_codes`] and whose description states the limit
//! (its first number, km/h, 5..=150).
//!
//! **Where a sign applies**: while the ego is on one of its reference paths (within the path
//! radius, heading within 45° of the path); a sign without paths from
//! [`SlwConfig::sign_ahead_m`] (30 m) before it to [`SlwConfig::sign_behind_m`] (300 m) past it,
//! laterally within [`SlwConfig::lateral_m`] (15 m) plus 5 % of the distance. An expired sign
//! (`timeDetails`) does not apply. The limit is the lower of the lane's and the applying
//! signs'.
//!
//! **Algorithm**: with speed `v` and limit `L`: `v > L + 2 km/h` ([`SlwConfig::tolerance_kph`])
//! raises an **advisory**; `v > L · 1.1` ([`SlwConfig::warning_ratio`]) and more than the
//! tolerance over raises a **warning**. Exactly at or under the limit nothing is raised.
//!
//! **Hysteresis**: on after 300 ms over, off after 1 s under. **Target**: the ego;
//! `limit_kph` = the limit applied; `road` = the sign's type code and posted value when the
//! limit is an RSI sign's; `distance_m` is not set.
use alloc::vec::Vec;

use super::road::{HeldLevel, RoadApp, RoadContext, item_relevance, relative_to_ego};
use super::{AppId, Level, RoadCode, Target, Warning};
use crate::math::abs;
use crate::world::{RoadInfo, RoadInfoKind};

/// The sign type code T/CSAE 53 gives the maximum speed sign ("限制速度") by default: its
/// number among the prohibition signs of GB 5768.2-2009. The standard's own table was not at
/// hand to confirm it; a deployment whose roadside units number it otherwise sets
/// [`SlwConfig::limit_sign_codes`].
pub const SPEED_LIMIT_SIGN: u16 = 38;

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
    /// RSI sign type codes that are speed limit signs (default [`SPEED_LIMIT_SIGN`]).
    pub limit_sign_codes: &'static [u16],
    /// A sign without paths applies from this far before it, m (30).
    pub sign_ahead_m: f64,
    /// A sign without paths applies until this far past it, m (300).
    pub sign_behind_m: f64,
    /// Lateral tolerance of a sign without paths, m (15).
    pub lateral_m: f64,
}

impl Default for SlwConfig {
    fn default() -> Self {
        SlwConfig {
            tolerance_kph: 2.0,
            warning_ratio: 1.1,
            on_ms: 300,
            off_ms: 1000,
            limit_sign_codes: &[SPEED_LIMIT_SIGN],
            sign_ahead_m: 30.0,
            sign_behind_m: 300.0,
            lateral_m: 15.0,
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

/// The limit (km/h) of an RSI speed limit sign that applies to the ego.
fn sign_limit(c: &SlwConfig, cx: &RoadContext<'_>, item: &RoadInfo) -> Option<f64> {
    if item.kind != RoadInfoKind::Sign
        || !c.limit_sign_codes.contains(&item.code)
        || !item.active(cx.now)
    {
        return None;
    }
    let limit = item.value.filter(|v| (5.0..=150.0).contains(v))?;
    let heading = cx.ego.heading_deg;
    if !item.paths.is_empty() {
        let on = item_relevance(item, &cx.ego_wgs84, heading, 0.0, 0.0) == Some(0.0);
        return on.then_some(limit);
    }
    let e = item.frame.enu_from_wgs84(&cx.ego_wgs84).ok()?;
    let (along, lat) = relative_to_ego([e.x, e.y], heading, item.position);
    let applies = (-c.sign_behind_m..=c.sign_ahead_m).contains(&along)
        && abs(lat) <= c.lateral_m + 0.05 * abs(along);
    applies.then_some(limit)
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
        let mut limit: Option<(f64, Option<RoadCode>)> = cx
            .lane
            .and_then(|l| l.speed_limit_mps)
            .map(|l| (l * 3.6, None));
        for item in cx.road_info.items() {
            if let Some(l) = sign_limit(&c, cx, item) {
                if limit.is_none_or(|(cur, _)| l < cur) {
                    limit = Some((l, Some(RoadContext::road_code(item))));
                }
            }
        }
        let raw = limit.and_then(|(l, _)| slw_level(cx.ego.speed_mps * 3.6, l, &c));
        if let Some(level) = held.update(raw, cx.now) {
            let mut w = cx.warning(AppId::Slw, level, Target::Ego);
            if let Some((l, road)) = limit {
                w.limit_kph = Some(l);
                w.road = road;
            }
            out.push(w);
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
