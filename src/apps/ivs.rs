//! In-vehicle signage (IVS).
//!
//! **Inputs**: the traffic signs (RSI `rtss`) of the RSI store.
//!
//! **Algorithm**: a sign is shown while it is active (its `timeDetails` window contains now)
//! and concerns the ego ([`item_relevance`]): with reference paths, the ego is on a path
//! (within its radius, heading within 45° of its direction) or the path starts ahead within
//! [`IvsConfig::range_m`] (300 m); without paths, the sign lies ahead within the range and
//! laterally within 15 m plus 5 % of the distance. Signs behind the ego, for the other
//! direction, or expired are not shown. Every relevant sign raises one **advisory**, targeted
//! at the sign's position, `distance_m` = distance ahead, `road` = the sign type code with the
//! value its description states (a posted limit, a height) and its priority.
//!
//! **Hysteresis**: none needed (relevance is geometric and monotone along the road); the RSI
//! store's time to live bounds how long a sign outlives its messages.
use alloc::vec::Vec;

use super::road::{RoadApp, RoadContext, item_relevance};
use super::{AppId, Level, Warning};
use crate::world::RoadInfoKind;

/// IVS thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IvsConfig {
    /// Signs are shown within this distance ahead, m (300).
    pub range_m: f64,
    /// Lateral tolerance for signs without a path, m (15).
    pub lateral_m: f64,
}

impl Default for IvsConfig {
    fn default() -> Self {
        IvsConfig {
            range_m: 300.0,
            lateral_m: 15.0,
        }
    }
}

/// The IVS application.
#[derive(Debug, Clone, Default)]
pub struct Ivs {
    /// Thresholds.
    pub config: IvsConfig,
}

impl RoadApp for Ivs {
    fn id(&self) -> AppId {
        AppId::Ivs
    }

    fn evaluate(&mut self, cx: &RoadContext<'_>, out: &mut Vec<Warning>) {
        for item in cx.road_info.items() {
            if item.kind != RoadInfoKind::Sign || !item.active(cx.now) {
                continue;
            }
            let Some(d) = item_relevance(
                item,
                &cx.ego_wgs84,
                cx.ego.heading_deg,
                self.config.range_m,
                self.config.lateral_m,
            ) else {
                continue;
            };
            let mut w = cx.warning(AppId::Ivs, Level::Advisory, cx.road_info(item));
            w.distance_m = Some(d);
            w.road = Some(RoadContext::road_code(item));
            out.push(w);
        }
    }
}
