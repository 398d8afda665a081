//! CEB — cooperative emergency braking: a braking request from the roadside is an **alert**
//! that carries the deceleration needed, for the driver and for an automatic emergency
//! braking controller. (The collision warnings themselves — FCW, EBW, AVW, CLW, ICW, LTA,
//! VRUCW, TJW — carry the deceleration needed to avoid the collision in
//! [`Warning::decel_mps2`].)
//!
//! **Inputs**:
//! - the roadside's guidance for the ego (RSC `VehicleCoordination` with the ego's id) whose
//!   suggested behaviour is to stop, while it holds (its `lifeTime`, or while refreshed within
//!   2 s): the stop point is the last point of its guided path that is ahead of the ego, else
//!   the end of its related path ahead, else none;
//! - the RSI traffic events of the highest priority (7, an RSU's emergency) that are active
//!   and concern the ego (the HLW geometry, [`super::road::item_relevance`]) within
//!   [`CebConfig::event_range_m`] (300 m).
//!
//! **Decision**: while the ego moves (faster than 0.5 m/s) each request is an **alert**
//! ([`Guidance::Braking`]) with `decel_mps2` = `v² / 2d` to stop at the point (`d` the
//! distance to it; `None` without a point) and `distance_m` = `d`; once the ego stands, a
//! **warning** (stay stopped). Target: the stop point or the event.
use alloc::vec::Vec;

use super::coop::{CoopApp, CoopContext};
use super::geometry::stopping_decel;
use super::guidance::Guidance;
use super::road::{item_relevance, relative_to_ego};
use super::{AppId, Level, Warning, place_id};
use crate::geo::Wgs84;
use crate::math::hypot;
use crate::world::RoadInfoKind;
use crate::world::day2::Behavior;

/// CEB thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CebConfig {
    /// Guidance without a lifetime holds while refreshed within this, ms (2000).
    pub max_guidance_age_ms: i64,
    /// Emergency events are taken within this distance ahead, m (300).
    pub event_range_m: f64,
    /// Lateral tolerance for events without paths, m (10).
    pub event_lateral_m: f64,
    /// Below this speed the ego stands, m/s (0.5).
    pub standing_mps: f64,
}

impl Default for CebConfig {
    fn default() -> Self {
        CebConfig {
            max_guidance_age_ms: 2000,
            event_range_m: 300.0,
            event_lateral_m: 10.0,
            standing_mps: 0.5,
        }
    }
}

/// The CEB application. See the [module docs](self).
#[derive(Debug, Clone, Default)]
pub struct Ceb {
    /// Thresholds.
    pub config: CebConfig,
}

impl Ceb {
    fn level(&self, cx: &CoopContext<'_>) -> Level {
        if cx.ego.speed_mps > self.config.standing_mps {
            Level::Alert
        } else {
            Level::Warning
        }
    }
}

impl CoopApp for Ceb {
    fn id(&self) -> AppId {
        AppId::Ceb
    }

    fn evaluate(&mut self, cx: &mut CoopContext<'_>, out: &mut Vec<Warning>) {
        let c = self.config;
        let e = cx.ego;
        let ahead = |w: &Wgs84| -> Option<([f64; 2], f64)> {
            let p = cx.enu(w)?;
            let (along, _) = relative_to_ego(e.position_enu, e.heading_deg, p);
            (along > 0.0).then_some((p, along))
        };
        for co in cx.day2.coordination.entries() {
            let Some(g) = &co.for_ego else { continue };
            let holds = match g.valid_until {
                Some(t) => cx.now < t,
                None => cx.now.micros_since(co.received) <= c.max_guidance_age_ms * 1000,
            };
            if !holds || !g.behavior.is_some_and(|b| b.contains(Behavior::STOP)) {
                continue;
            }
            let stop = g
                .path
                .iter()
                .rev()
                .find_map(|p| ahead(&p.position))
                .or_else(|| {
                    g.related_path
                        .as_ref()
                        .and_then(|rp| rp.points.last())
                        .and_then(ahead)
                });
            let d = stop.map(|(p, _)| hypot(p[0] - e.position_enu[0], p[1] - e.position_enu[1]));
            let target = match stop {
                Some((p, _)) => super::Target::Place {
                    place_id: place_id(&[b"braking request", &co.rsu]),
                    position_enu: p,
                },
                None => cx.place(&[b"braking request", &co.rsu], co.position.as_ref()),
            };
            let mut w = cx.warning(AppId::Ceb, self.level(cx), target);
            w.distance_m = d;
            w.decel_mps2 = d.and_then(|d| stopping_decel(e.speed_mps, d));
            w.guidance = Some(Guidance::Braking {
                from_roadside: true,
            });
            out.push(w);
        }
        for item in cx.road_info.items() {
            if item.kind != RoadInfoKind::Event || item.priority != Some(7) || !item.active(cx.now)
            {
                continue;
            }
            let Some(d) = item_relevance(
                item,
                &cx.ego_wgs84,
                e.heading_deg,
                c.event_range_m,
                c.event_lateral_m,
            ) else {
                continue;
            };
            let id = place_id(&[b"emergency event", &item.sender, &[item.item_id]]);
            let target = match cx.enu(&item.position_wgs84()) {
                Some(p) => super::Target::Place {
                    place_id: id,
                    position_enu: p,
                },
                None => super::Target::Ego,
            };
            let mut w = cx.warning(AppId::Ceb, self.level(cx), target);
            w.distance_m = Some(d);
            w.decel_mps2 = stopping_decel(e.speed_mps, d);
            w.road = Some(super::road::RoadContext::road_code(item));
            w.guidance = Some(Guidance::Braking {
                from_roadside: false,
            });
            out.push(w);
        }
    }
}
