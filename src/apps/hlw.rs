//! Hazardous location warning (HLW).
//!
//! **Inputs**: the traffic events (RSI `rtes`, and the events an SSM carries) of the RSI store.
//!
//! **Algorithm**: an event is considered while it is active (its `timeDetails` window contains
//! now) and concerns the ego ([`item_relevance`]): on or approaching one of its reference paths
//! in the path's direction, or, without paths, its zone (position and `eventRadius`) lies ahead
//! within [`HlwConfig::range_m`] (500 m) and laterally within 10 m (or the radius) plus 5 % of
//! the distance. With `D` the distance to the zone and `v` the speed:
//! - inside the zone, or `D ≤ 100 m` ([`HlwConfig::warning_distance_m`]), or `D / v ≤ 8 s`
//!   ([`HlwConfig::warning_time_s`]): **warning**;
//! - otherwise within the range: **advisory**.
//!
//! **Hysteresis**: on at once, off after 1 s (a zone edge does not flicker).
//! **Target**: the event's position; `distance_m` = `D`, `ttc_s` = `D / v` when moving,
//! `road` = the event type code with the value its description states and its priority.
use alloc::vec::Vec;

use super::road::{HeldLevel, RoadApp, RoadContext, item_relevance};
use super::{AppId, Level, Warning};
use crate::world::RoadInfoKind;

/// HLW thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HlwConfig {
    /// Events are reported within this distance ahead, m (500).
    pub range_m: f64,
    /// Lateral tolerance for events without a path, m (10).
    pub lateral_m: f64,
    /// Within this distance the level is warning, m (100).
    pub warning_distance_m: f64,
    /// Within this time to the zone the level is warning, s (8).
    pub warning_time_s: f64,
    /// Off delay, ms (1000).
    pub off_ms: i64,
}

impl Default for HlwConfig {
    fn default() -> Self {
        HlwConfig {
            range_m: 500.0,
            lateral_m: 10.0,
            warning_distance_m: 100.0,
            warning_time_s: 8.0,
            off_ms: 1000,
        }
    }
}

/// At most this many events are tracked for hysteresis at once.
const MAX_HELD: usize = 64;

/// The HLW application.
#[derive(Debug, Clone, Default)]
pub struct Hlw {
    /// Thresholds.
    pub config: HlwConfig,
    held: Vec<Held>,
}

/// An event followed for hysteresis.
#[derive(Debug, Clone, Copy)]
struct Held {
    key: ([u8; 8], u8),
    level: HeldLevel,
    warning: Warning,
    seen: bool,
}

impl RoadApp for Hlw {
    fn id(&self) -> AppId {
        AppId::Hlw
    }

    fn evaluate(&mut self, cx: &RoadContext<'_>, out: &mut Vec<Warning>) {
        let c = self.config;
        let v = cx.ego.speed_mps;
        if self.held.capacity() < MAX_HELD {
            self.held.reserve_exact(MAX_HELD - self.held.len());
        }
        for h in &mut self.held {
            h.seen = false;
        }
        for item in cx.road_info.items() {
            if item.kind != RoadInfoKind::Event || !item.active(cx.now) {
                continue;
            }
            let Some(d) = item_relevance(
                item,
                &cx.ego_wgs84,
                cx.ego.heading_deg,
                c.range_m,
                c.lateral_m,
            ) else {
                continue;
            };
            let ttz = (v > 0.5).then(|| d / v);
            let level = if d <= c.warning_distance_m || ttz.is_some_and(|t| t <= c.warning_time_s) {
                Level::Warning
            } else {
                Level::Advisory
            };
            let mut w = cx.warning(AppId::Hlw, level, cx.road_info(item));
            w.distance_m = Some(d);
            w.ttc_s = ttz;
            w.road = Some(RoadContext::road_code(item));
            let key = (item.sender, item.item_id);
            let n = self.held.len();
            match self.held.iter_mut().find(|h| h.key == key) {
                Some(h) => {
                    h.warning = w;
                    h.seen = true;
                }
                None if n < MAX_HELD => self.held.push(Held {
                    key,
                    level: HeldLevel::new(0, c.off_ms),
                    warning: w,
                    seen: true,
                }),
                None => {}
            }
        }
        self.held.retain_mut(|h| {
            let raw = h.seen.then_some(h.warning.level);
            match h.level.update(raw, cx.now) {
                Some(level) => {
                    let mut w = h.warning;
                    w.level = level;
                    w.time = cx.now;
                    out.push(w);
                    true
                }
                None => false,
            }
        });
    }
}
