//! MERGE — cooperative merging and diverging, lane guidance and cooperative lane change
//! (T/CSAE 157-2020 RSC and VIR; the services the standard calls cooperative vehicle merge,
//! cooperative lane change and dynamic lane management).
//!
//! **Inputs**: the RSC store (guidance for the ego by its temporary id, lane guidance), the
//! matched MAP lane, the fused objects, the ego's turn signal; the caller's
//! [`Command::LaneChange`].
//!
//! **Guidance for the ego** (`VehicleCoordination` with the ego's id): it holds until the end
//! of its `lifeTime`, or, without one, while the roadside refreshes it (within
//! [`MergeConfig::max_guidance_age_ms`], 2 s). A guidance whose only suggestion is to stop is
//! an emergency braking request and left to CEB. It becomes an **advisory** about the
//! roadside unit ([`Guidance::Lane`], `for_vehicle`): the suggested behaviour, the target
//! lane (the one lane its link names, else the one lane of its first path point), the
//! suggested speed (of the first guidance point ahead that gives one), until when it holds,
//! and the next guidance points ahead of the ego (at most 4, in the stack's frame).
//!
//! **The gap** of a lane change, merge or diverge (behaviour `lane_change_left`/`right`,
//! `ramp_in`, `ramp_out`, or a guided path that leaves the ego's line by more than half a lane):
//! the merge point is the first guidance point at least half a lane
//! ([`MergeConfig::lane_width_m`] 3.5 m) to the side of the ego's line, or, without one, a
//! point a lane to the side (left for `lane_change_left` and `ramp_in`, right otherwise) and
//! 2 s ahead. The ego reaches it at the point's `estimatedTime`, else at its current speed.
//! Every fused vehicle is moved to that time at its velocity; one within half a lane plus
//! half its width of the merge point across, and within both half lengths plus
//! `max(5 m, 1 s × ego speed)` ([`MergeConfig::gap_min_m`], [`MergeConfig::gap_time_s`])
//! along, takes the gap: the advice is raised as a **warning** with `gap_taken` (the guidance
//! is flagged, never passed on silently).
//!
//! **Lane guidance** (`LaneCoordination`) within its time window applies to the ego when its
//! link and lanes include the matched MAP lane, or when the ego is on its related path
//! (within the path radius, at least 2 m, heading within 45°). It becomes an **advisory**
//! about the lane ([`Guidance::Lane`], not `for_vehicle`) with the recommended behaviour and
//! speed, the lane, and the window; with a lane-move behaviour the gap is checked as above.
//!
//! **Requests**: a [`Command::LaneChange`], or the turn signal switching on to a side
//! ([`MergeConfig::request_on_signal`]), sends a VIR lane-change request (`Req-LaneChange`,
//! lifetime [`MergeConfig::request_life_s`] 10 s) when the target is known: the command's link
//! and lane; else the lane next to the matched MAP lane on that side (lanes are numbered from
//! the left, as MAP data numbers them); else the lane of a lane guidance whose related path
//! runs beside the ego on that side (or the lane next to the one the ego is on). The signal
//! switching off ends the request (`complete` when it was confirmed, else `cancel`). Answers
//! are followed as [`super::coop`] describes; each request is an advisory
//! ([`Guidance::Request`]).
use alloc::vec::Vec;

use super::coop::{CoopApp, CoopContext, RequestTracker, Side};
use super::guidance::{Guidance, PathPoints, RequestType};
use super::road::relative_to_ego;
use super::{AppId, Command, Level, Warning};
use crate::fusion::ObjectClass;
use crate::geo::Wgs84;
use crate::math::{abs, hypot};
use crate::world::TurnSignal;
use crate::world::day2::{Behavior, GuidePoint, LinkRef, RefPath, RequestKind};

/// MERGE thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MergeConfig {
    /// Guidance without a lifetime holds while refreshed within this, ms (2000).
    pub max_guidance_age_ms: i64,
    /// Lane width for the gap geometry, m (3.5).
    pub lane_width_m: f64,
    /// Smallest free length before and after the ego in the gap, m (5).
    pub gap_min_m: f64,
    /// Free time before and after the ego in the gap, s (1).
    pub gap_time_s: f64,
    /// The turn signal switching on asks for a lane change (true).
    pub request_on_signal: bool,
    /// Lifetime of a lane-change request, s (10).
    pub request_life_s: f64,
}

impl Default for MergeConfig {
    fn default() -> Self {
        MergeConfig {
            max_guidance_age_ms: 2000,
            lane_width_m: 3.5,
            gap_min_m: 5.0,
            gap_time_s: 1.0,
            request_on_signal: true,
            request_life_s: 10.0,
        }
    }
}

/// The MERGE application. See the [module docs](self).
#[derive(Debug, Clone, Default)]
pub struct Merge {
    /// Thresholds.
    pub config: MergeConfig,
    requests: RequestTracker,
    last_signal: TurnSignal,
}

/// Most lane guidance reported at once.
const MAX_LANE_ADVICE: usize = 8;

/// Where a path runs relative to the ego: signed lateral offset of the ego from the path
/// (positive: the ego is left of it) and the path heading there; `None` when the ego is not
/// beside the path.
pub(crate) fn beside_path(cx: &CoopContext<'_>, path: &RefPath) -> Option<(f64, f64)> {
    let pts: Vec<[f64; 2]> = path.points.iter().filter_map(|w| cx.enu(w)).collect();
    let p = cx.ego.position_enu;
    if let [only] = pts.as_slice() {
        let d = hypot(only[0] - p[0], only[1] - p[1]);
        return (d <= path.radius_m.max(2.0)).then_some((0.0, cx.ego.heading_deg));
    }
    let (_, lat, heading) = crate::world::lanes::project(&pts, p)?;
    Some((lat, heading))
}

/// Whether the ego is on `path`: within its radius (at least 2 m) and heading within 45°.
pub(crate) fn on_path(cx: &CoopContext<'_>, path: &RefPath) -> bool {
    beside_path(cx, path).is_some_and(|(lat, h)| {
        abs(lat) <= path.radius_m.max(2.0)
            && abs(crate::geo::wrap_deg(cx.ego.heading_deg - h)) <= 45.0
    })
}

/// The side a behaviour moves to, if it is a lane move.
fn side_of(b: Behavior) -> Option<Side> {
    if b.intersects(Behavior(Behavior::LANE_CHANGE_LEFT.0 | Behavior::RAMP_IN.0)) {
        Some(Side::Left)
    } else if b.intersects(Behavior(
        Behavior::LANE_CHANGE_RIGHT.0 | Behavior::RAMP_OUT.0,
    )) {
        Some(Side::Right)
    } else {
        None
    }
}

/// Whether a fused vehicle takes the gap at `merge` (stack ENU) when the ego reaches it in
/// `t_s` seconds.
fn gap_taken(c: &MergeConfig, cx: &CoopContext<'_>, merge: [f64; 2], t_s: f64) -> bool {
    let h = cx.ego.heading_deg.to_radians();
    let (ux, uy) = (crate::math::sin(h), crate::math::cos(h));
    let margin = c.gap_min_m.max(c.gap_time_s * cx.ego.speed_mps);
    cx.objects.iter().any(|o| {
        if !matches!(o.class, ObjectClass::Motor | ObjectClass::Unknown) {
            return false;
        }
        let (l, w) = o.size.map_or((4.5, 1.8), |s| {
            (s.length_m.clamp(1.0, 30.0), s.width_m.clamp(0.5, 5.0))
        });
        let p = [
            o.position_enu.x + o.velocity_enu.x * t_s,
            o.position_enu.y + o.velocity_enu.y * t_s,
        ];
        let (dx, dy) = (p[0] - merge[0], p[1] - merge[1]);
        let along = dx * ux + dy * uy;
        let across = ux * dy - uy * dx;
        if !(along.is_finite() && across.is_finite()) {
            return false;
        }
        abs(across) <= c.lane_width_m / 2.0 + w / 2.0
            && abs(along) <= cx.ego.length_m.max(1.0) / 2.0 + l / 2.0 + margin
    })
}

/// The merge point (stack ENU) and when the ego reaches it (s from now) of a guidance that
/// moves `side` along `path`.
fn merge_point(
    c: &MergeConfig,
    cx: &CoopContext<'_>,
    path: &[GuidePoint],
    side: Option<Side>,
) -> Option<([f64; 2], f64)> {
    let e = cx.ego;
    let v = e.speed_mps.max(1.0);
    for g in path {
        let Some(p) = cx.enu(&g.position) else {
            continue;
        };
        let (along, lat) = relative_to_ego(e.position_enu, e.heading_deg, p);
        if along > 0.0 && abs(lat) >= c.lane_width_m / 2.0 {
            let t =
                g.at.map_or(along / v, |at| at.seconds_since(cx.now))
                    .max(0.0);
            return Some((p, t));
        }
    }
    let side = side?;
    let s = match side {
        Side::Left => 1.0,
        Side::Right => -1.0,
    };
    let h = e.heading_deg.to_radians();
    let (ux, uy) = (crate::math::sin(h), crate::math::cos(h));
    let (lx, ly) = (-uy, ux);
    let ahead = 2.0 * e.speed_mps;
    let p = [
        e.position_enu[0] + ux * ahead + lx * s * c.lane_width_m,
        e.position_enu[1] + uy * ahead + ly * s * c.lane_width_m,
    ];
    Some((p, 2.0))
}

/// The next guidance points ahead of the ego.
fn points_ahead(cx: &CoopContext<'_>, path: &[GuidePoint]) -> PathPoints {
    let mut pts = PathPoints::default();
    for g in path {
        let Some(p) = cx.enu(&g.position) else {
            continue;
        };
        let (along, _) = relative_to_ego(cx.ego.position_enu, cx.ego.heading_deg, p);
        if along > 0.0 && !pts.push(p) {
            break;
        }
    }
    pts
}

/// Whether the guided path leaves the ego's line by more than half a lane.
fn path_moves(c: &MergeConfig, cx: &CoopContext<'_>, path: &[GuidePoint]) -> Option<Side> {
    path.iter().find_map(|g| {
        let p = cx.enu(&g.position)?;
        let (along, lat) = relative_to_ego(cx.ego.position_enu, cx.ego.heading_deg, p);
        (along > 0.0 && abs(lat) >= c.lane_width_m / 2.0).then_some(if lat > 0.0 {
            Side::Left
        } else {
            Side::Right
        })
    })
}

impl Merge {
    /// The link and lane a lane change to `side` asks for.
    fn request_target(&self, cx: &CoopContext<'_>, side: Side) -> Option<(LinkRef, u8)> {
        let step = |lane: u8| match side {
            Side::Left => lane.checked_sub(1).filter(|l| *l > 0),
            Side::Right => lane.checked_add(1),
        };
        if let Some((inter, geom)) = cx.matched_lane() {
            let target = step(geom.lane_id)?;
            let exists = inter
                .lanes
                .iter()
                .any(|l| l.link_index == geom.link_index && l.lane_id == target);
            if exists {
                let link = LinkRef {
                    upstream: geom.upstream,
                    downstream: inter.key,
                    lanes: 0,
                };
                return Some((link, target));
            }
        }
        let half = self.config.lane_width_m / 2.0;
        for c in cx.day2.coordination.entries() {
            for lg in &c.lanes {
                let (Some(path), Some(lane)) = (&lg.related_path, lg.link.single_lane()) else {
                    continue;
                };
                let Some((lat, _)) = beside_path(cx, path) else {
                    continue;
                };
                let radius = path.radius_m.max(half);
                if abs(lat) <= radius {
                    // The ego is on this lane: the one next to it.
                    if let Some(t) = step(lane) {
                        return Some((lg.link, t));
                    }
                } else if abs(lat) <= radius + self.config.lane_width_m + half {
                    // The lane beside the ego: the ego is right of it when it lies left.
                    let lies_left = lat < 0.0;
                    if lies_left == (side == Side::Left) {
                        return Some((lg.link, lane));
                    }
                }
            }
        }
        cx.day2
            .coordination
            .entries()
            .iter()
            .filter_map(|c| c.for_ego.as_ref()?.link)
            .find_map(|l| Some((l, l.single_lane()?)))
    }

    fn start_request(&mut self, cx: &mut CoopContext<'_>, side: Side, target: (LinkRef, u8)) {
        if self.requests.live(RequestType::LaneChange).is_some() {
            return;
        }
        let behavior = match side {
            Side::Left => Behavior::LANE_CHANGE_LEFT,
            Side::Right => Behavior::LANE_CHANGE_RIGHT,
        };
        let (mut link, lane) = target;
        link.lanes = 0;
        self.requests.start(
            cx,
            RequestType::LaneChange,
            RequestKind::LaneChange { link, lane },
            self.config.request_life_s,
            None,
            None,
            Some(behavior),
        );
    }

    fn vehicle_guidance(&self, cx: &CoopContext<'_>, out: &mut Vec<Warning>) {
        let c = &self.config;
        for co in cx.day2.coordination.entries() {
            let Some(g) = &co.for_ego else { continue };
            let holds = match g.valid_until {
                Some(t) => cx.now < t,
                None => cx.now.micros_since(co.received) <= c.max_guidance_age_ms * 1000,
            };
            let behavior = g.behavior.unwrap_or_default();
            if !holds || behavior == Behavior::STOP {
                continue;
            }
            let side = side_of(behavior).or_else(|| path_moves(c, cx, &g.path));
            let taken = side
                .and_then(|s| merge_point(c, cx, &g.path, Some(s)))
                .is_some_and(|(p, t)| gap_taken(c, cx, p, t));
            let points = points_ahead(cx, &g.path);
            let first_ahead: Option<Wgs84> = g
                .path
                .iter()
                .find(|p| {
                    cx.enu(&p.position).is_some_and(|e| {
                        relative_to_ego(cx.ego.position_enu, cx.ego.heading_deg, e).0 > 0.0
                    })
                })
                .map(|p| p.position);
            let speed = g.path.iter().find_map(|p| {
                let e = cx.enu(&p.position)?;
                let ahead = relative_to_ego(cx.ego.position_enu, cx.ego.heading_deg, e).0 > 0.0;
                if ahead { p.speed_mps } else { None }
            });
            let target_lane = g
                .link
                .and_then(|l| l.single_lane())
                .or_else(|| g.path.iter().find_map(|p| p.link?.single_lane()));
            let at = first_ahead.or(co.position);
            let target = cx.place(&[b"merge", &co.rsu], at.as_ref());
            let level = if taken {
                Level::Warning
            } else {
                Level::Advisory
            };
            let mut w = cx.warning(AppId::Merge, level, target);
            w.distance_m = points
                .as_slice()
                .first()
                .map(|p| hypot(p[0] - cx.ego.position_enu[0], p[1] - cx.ego.position_enu[1]));
            w.guidance = Some(Guidance::Lane {
                behavior,
                target_lane,
                speed_mps: speed,
                begin: None,
                end: g.valid_until,
                points,
                gap_taken: taken,
                for_vehicle: true,
            });
            out.push(w);
        }
    }

    fn lane_guidance(&self, cx: &CoopContext<'_>, out: &mut Vec<Warning>) {
        let c = &self.config;
        let mut n = 0;
        let matched = cx.ego_link();
        for co in cx.day2.coordination.entries() {
            if cx.now.micros_since(co.received) > c.max_guidance_age_ms * 1000 {
                continue;
            }
            for (i, lg) in co.lanes.iter().enumerate() {
                if n >= MAX_LANE_ADVICE || !lg.active(cx.now) {
                    continue;
                }
                let by_link = matched.is_some_and(|(l, lane)| {
                    lg.link.upstream == l.upstream
                        && lg.link.downstream == l.downstream
                        && lg.link.has_lane(lane)
                });
                let by_path = lg.related_path.as_ref().is_some_and(|p| on_path(cx, p));
                if !(by_link || by_path) {
                    continue;
                }
                let behavior = lg.behavior.unwrap_or_default();
                let taken = side_of(behavior)
                    .and_then(|s| merge_point(c, cx, &[], Some(s)))
                    .is_some_and(|(p, t)| gap_taken(c, cx, p, t));
                let idx = u8::try_from(i).unwrap_or(u8::MAX);
                let target = cx.place(&[b"lane guidance", &co.rsu, &[idx]], Some(&cx.ego_wgs84));
                let level = if taken {
                    Level::Warning
                } else {
                    Level::Advisory
                };
                let mut w = cx.warning(AppId::Merge, level, target);
                w.guidance = Some(Guidance::Lane {
                    behavior,
                    target_lane: lg.link.single_lane(),
                    speed_mps: lg.speed_mps,
                    begin: lg.begin,
                    end: lg.end,
                    points: PathPoints::default(),
                    gap_taken: taken,
                    for_vehicle: false,
                });
                out.push(w);
                n += 1;
            }
        }
    }
}

impl CoopApp for Merge {
    fn id(&self) -> AppId {
        AppId::Merge
    }

    fn evaluate(&mut self, cx: &mut CoopContext<'_>, out: &mut Vec<Warning>) {
        let commands = cx.commands;
        for cmd in commands {
            if let Command::LaneChange { side, link, lane } = cmd {
                let target = match (link, lane) {
                    (Some(l), Some(n)) => Some((*l, *n)),
                    _ => self.request_target(cx, *side),
                };
                if let Some(t) = target {
                    self.start_request(cx, *side, t);
                }
            }
        }
        let signal = cx.ego.turn_signal;
        if self.config.request_on_signal && signal != self.last_signal {
            match signal {
                TurnSignal::Left | TurnSignal::Right => {
                    let side = if signal == TurnSignal::Left {
                        Side::Left
                    } else {
                        Side::Right
                    };
                    if let Some(t) = self.request_target(cx, side) {
                        self.start_request(cx, side, t);
                    }
                }
                TurnSignal::None | TurnSignal::Hazard => {
                    let confirmed = self
                        .requests
                        .live(RequestType::LaneChange)
                        .is_some_and(|t| t.state == super::guidance::RequestState::Confirmed);
                    self.requests.finish(cx, RequestType::LaneChange, confirmed);
                }
            }
        }
        self.last_signal = signal;
        self.vehicle_guidance(cx, out);
        self.lane_guidance(cx, out);
        self.requests.update(AppId::Merge, cx, out);
    }
}
