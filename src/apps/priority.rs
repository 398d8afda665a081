//! CLEAR_THE_WAY and SIGNAL_PRIORITY — priority vehicles (T/CSAE 157-2020 VIR
//! `Req-ClearTheWay` and `Req-SignalPriority`; the service the standard calls cooperative
//! high-priority vehicle passing).
//!
//! **Yielding** ([`ClearTheWay`]): a VIR request to clear the way from another vehicle, while
//! it is requested or confirmed, within its lifetime and time window, and not addressed to
//! another vehicle (a `targetVeh` that is not the ego), concerns the ego when
//! - its related path holds the ego (within the path radius, at least 2 m, heading within
//!   45°), or, without a path,
//! - its link and lane are the ego's matched MAP lane, or, without a MAP match,
//! - the requester drives in the ego's lane: behind it within [`PriorityConfig::range_m`]
//!   (1 km), laterally within half a lane (1.75 m) plus 0.5 m, heading within 30°;
//!
//! and the requester is not ahead of the ego (more than 5 m ahead along the ego's heading:
//! it has passed). It becomes a yield advice ([`Guidance::Yield`]: the lane to clear, the
//! requester's distance, the way out to the right): a **warning** within
//! [`PriorityConfig::warning_distance_m`] (300 m, or when the distance is unknown), else an
//! **advisory**. Target: the requester's fused track when it is tracked (its BSM id), else its
//! position.
//!
//! **Requests of an emergency ego**: while the ego is an emergency vehicle on a call (siren
//! or emergency light bar, see [`crate::world::Ego::emergency`]) and moving, or on a
//! [`Command::ClearTheWay`], it asks the vehicles ahead to clear its lane: link and lane of the
//! matched MAP lane (node ids 0 and lane 0 without one), the path ahead of it
//! ([`PriorityConfig::path_ahead_m`], 300 m, straight along its heading, 5 m wide), the time
//! window now .. now + lifetime ([`PriorityConfig::request_life_s`], 30 s); renewed when it
//! ends; ended (`complete`) when the emergency ends.
//!
//! **Signal priority** ([`SignalPriority`]): an emergency ego, a transit ego (a bus, see
//! [`crate::world::Ego::transit`]) or a [`Command::SignalPriority`] asks the intersection of
//! its matched MAP lane for priority once per approach, within
//! [`PriorityConfig::signal_request_m`] (300 m) of the stop line: the intersection, the
//! movement (the lane's connection for the ego's turn: the intersection it leads to, its phase,
//! the turn), the time to arrival at the current speed and the distance. The request ends
//! (`complete`) when the ego leaves the approach. A roadside answer is an RSC guidance for the
//! ego of the signal-priority service, or a VIR answer (see [`super::coop`]).
//!
//! Requests carry priority 255 for an emergency vehicle and 128 for transit. Each of the ego's
//! requests is reported as an advisory ([`Guidance::Request`]).
use alloc::vec::Vec;

use super::coop::{CoopApp, CoopContext, RequestTracker};
use super::guidance::{Guidance, RequestType};
use super::merge::on_path;
use super::road::relative_to_ego;
use super::{AppId, Command, Level, Target, Warning};
use crate::math::abs;
use crate::world::IntersectionKey;
use crate::world::day2::{Behavior, LinkRef, RefPath, RequestKind, RequestStatus};

/// Thresholds of the priority applications.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PriorityConfig {
    /// A requester farther than this is ignored, m (1000).
    pub range_m: f64,
    /// Within this distance the yield advice is a warning, m (300).
    pub warning_distance_m: f64,
    /// Lane width for the same-lane test, m (3.5).
    pub lane_width_m: f64,
    /// Lifetime (and time window) of a clear-the-way request, s (30).
    pub request_life_s: f64,
    /// Length of the path ahead a clear-the-way request asks to clear, m (300).
    pub path_ahead_m: f64,
    /// Signal priority is asked within this distance of the stop line, m (300).
    pub signal_request_m: f64,
}

impl Default for PriorityConfig {
    fn default() -> Self {
        PriorityConfig {
            range_m: 1000.0,
            warning_distance_m: 300.0,
            lane_width_m: 3.5,
            request_life_s: 30.0,
            path_ahead_m: 300.0,
            signal_request_m: 300.0,
        }
    }
}

/// Yields to priority vehicles and asks to clear the way. See the [module docs](self).
#[derive(Debug, Clone, Default)]
pub struct ClearTheWay {
    /// Thresholds.
    pub config: PriorityConfig,
    requests: RequestTracker,
    asked: bool,
}

/// Asks for signal priority. See the [module docs](self).
#[derive(Debug, Clone, Default)]
pub struct SignalPriority {
    /// Thresholds.
    pub config: PriorityConfig,
    requests: RequestTracker,
    asked_for: Option<IntersectionKey>,
    commanded: bool,
}

/// Most yield advices at once.
const MAX_YIELDS: usize = 4;

fn priority(cx: &CoopContext<'_>) -> Option<u8> {
    if cx.ego.emergency {
        Some(255)
    } else if cx.ego.transit {
        Some(128)
    } else {
        None
    }
}

impl ClearTheWay {
    /// The yield advices of the requests around the ego.
    fn yields(&self, cx: &CoopContext<'_>, out: &mut Vec<Warning>) {
        let c = &self.config;
        let ego_lane = cx.ego_link();
        let mut n = 0;
        for i in cx.day2.requests.entries() {
            if Some(i.sender) == cx.ego_id || n >= MAX_YIELDS {
                continue;
            }
            let rel = i
                .position
                .and_then(|p| cx.enu(&p))
                .map(|p| relative_to_ego(cx.ego.position_enu, cx.ego.heading_deg, p));
            if rel.is_some_and(|(along, lat)| {
                along > 5.0 || crate::math::hypot(along, lat) > c.range_m
            }) {
                continue;
            }
            for r in &i.requests {
                let Some(RequestKind::ClearTheWay {
                    link,
                    lane,
                    path,
                    begin,
                    end,
                }) = &r.kind
                else {
                    continue;
                };
                let live = matches!(r.status, RequestStatus::Request | RequestStatus::Confirmed)
                    && r.active(cx.now)
                    && begin.is_none_or(|b| b <= cx.now)
                    && end.is_none_or(|e| cx.now < e)
                    && r.target_vehicle.is_none_or(|t| Some(t) == cx.ego_id);
                if !live {
                    continue;
                }
                let concerns = match path {
                    Some(p) => on_path(cx, p),
                    None => match ego_lane {
                        Some((l, id)) => {
                            l.upstream == link.upstream
                                && l.downstream == link.downstream
                                && id == *lane
                        }
                        None => rel.is_some_and(|(along, lat)| {
                            let same_way = i.heading_deg.is_some_and(|h| {
                                abs(crate::geo::wrap_deg(h - cx.ego.heading_deg)) <= 30.0
                            });
                            along <= 0.0 && abs(lat) <= c.lane_width_m / 2.0 + 0.5 && same_way
                        }),
                    },
                };
                if !concerns {
                    continue;
                }
                let distance = rel.map(|(a, l)| crate::math::hypot(a, l));
                let level = if distance.is_none_or(|d| d <= c.warning_distance_m) {
                    Level::Warning
                } else {
                    Level::Advisory
                };
                let target = match cx.object_of(&i.sender) {
                    Some(o) => Target::Object {
                        track_id: o.id,
                        position_enu: [o.position_enu.x, o.position_enu.y],
                    },
                    None => cx.place(&[b"clear the way", &i.sender], i.position.as_ref()),
                };
                let mut w = cx.warning(AppId::ClearTheWay, level, target);
                w.distance_m = distance;
                w.guidance = Some(Guidance::Yield {
                    lane: (*lane != 0).then_some(*lane),
                    distance_m: distance,
                    to_right: true,
                });
                out.push(w);
                n += 1;
                break;
            }
        }
    }

    fn ask(&mut self, cx: &mut CoopContext<'_>, life_s: f64) {
        let c = self.config;
        let (link, lane) = cx.ego_link().unwrap_or((
            LinkRef {
                upstream: (0, 0),
                downstream: (0, 0),
                lanes: 0,
            },
            0,
        ));
        let h = cx.ego.heading_deg.to_radians();
        let (ux, uy) = (crate::math::sin(h), crate::math::cos(h));
        let steps = crate::math::ceil(c.path_ahead_m / 50.0).clamp(1.0, 31.0) as usize;
        let points = (0..=steps)
            .map(|k| {
                let d = c.path_ahead_m * k as f64 / steps as f64;
                let p = [
                    cx.ego.position_enu[0] + ux * d,
                    cx.ego.position_enu[1] + uy * d,
                ];
                cx.frame
                    .wgs84_from_enu(&nalgebra::Vector3::new(p[0], p[1], 0.0))
            })
            .collect();
        let life = life_s.clamp(1.0, 600.0);
        let kind = RequestKind::ClearTheWay {
            link,
            lane,
            path: Some(RefPath {
                points,
                radius_m: 2.5,
            }),
            begin: Some(cx.now),
            end: Some(cx.now.add_micros((life * 1e6) as i64)),
        };
        self.requests.start(
            cx,
            RequestType::ClearTheWay,
            kind,
            life,
            None,
            priority(cx).or(Some(255)),
            Some(Behavior::GO_STRAIGHT),
        );
    }
}

impl CoopApp for ClearTheWay {
    fn id(&self) -> AppId {
        AppId::ClearTheWay
    }

    fn evaluate(&mut self, cx: &mut CoopContext<'_>, out: &mut Vec<Warning>) {
        self.yields(cx, out);
        let commands = cx.commands;
        let commanded = commands.iter().find_map(|c| match c {
            Command::ClearTheWay { duration_s } => Some(*duration_s),
            _ => None,
        });
        let emergency = cx.ego.emergency && cx.ego.speed_mps > 1.0;
        let live = self.requests.live(RequestType::ClearTheWay).is_some();
        if let Some(d) = commanded {
            if !live {
                self.ask(cx, d);
            }
        } else if emergency && !live {
            let life = self.config.request_life_s;
            self.ask(cx, life);
            self.asked = true;
        } else if !emergency && self.asked {
            self.requests.finish(cx, RequestType::ClearTheWay, true);
            self.asked = false;
        }
        self.requests.update(AppId::ClearTheWay, cx, out);
    }
}

impl CoopApp for SignalPriority {
    fn id(&self) -> AppId {
        AppId::SignalPriority
    }

    fn evaluate(&mut self, cx: &mut CoopContext<'_>, out: &mut Vec<Warning>) {
        let commands = cx.commands;
        if commands
            .iter()
            .any(|c| matches!(c, Command::SignalPriority))
        {
            self.commanded = true;
        }
        let wants = cx.ego.emergency || cx.ego.transit || self.commanded;
        let approach = cx.lane.copied().filter(|m| {
            m.distance_to_stop_m > 0.0 && m.distance_to_stop_m <= self.config.signal_request_m
        });
        match approach {
            Some(m) if wants && self.asked_for != Some(m.intersection) => {
                let towards = cx
                    .map
                    .intersections()
                    .iter()
                    .find(|i| i.key == m.intersection)
                    .and_then(|i| i.lanes.get(m.lane_index))
                    .and_then(|l| {
                        l.connections
                            .iter()
                            .find(|c| c.turn == Some(m.turn))
                            .or(l.connections.first())
                    })
                    .map_or(m.intersection, |c| c.remote);
                let v = cx.ego.speed_mps;
                let eta = (v > 0.5).then(|| m.distance_to_stop_m / v);
                let kind = RequestKind::SignalPriority {
                    intersection: m.intersection,
                    towards,
                    phase: m.phase_id,
                    turn: Some(m.turn),
                    eta_s: eta,
                    distance_m: Some(m.distance_to_stop_m),
                };
                let life = eta.map_or(60.0, |t| t + 10.0).clamp(5.0, 120.0);
                let behavior = match m.turn {
                    crate::world::Turn::Left => Behavior::TURN_LEFT,
                    crate::world::Turn::Right => Behavior::TURN_RIGHT,
                    crate::world::Turn::UTurn => Behavior::U_TURN,
                    crate::world::Turn::Straight => Behavior::STRAIGHT_THROUGH,
                };
                let p = priority(cx);
                if self.requests.start(
                    cx,
                    RequestType::SignalPriority,
                    kind,
                    life,
                    None,
                    p,
                    Some(behavior),
                ) {
                    self.asked_for = Some(m.intersection);
                    self.commanded = false;
                }
            }
            Some(m) if self.asked_for == Some(m.intersection) => {}
            _ => {
                if self.asked_for.take().is_some() {
                    self.requests.finish(cx, RequestType::SignalPriority, true);
                }
            }
        }
        self.requests.update(AppId::SignalPriority, cx, out);
    }
}
