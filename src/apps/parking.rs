//! PARKING — parking guidance (T/CSAE 157-2020 PAM and VIR `Req-ParkingArea`; the service
//! the standard calls guidance service in parking area).
//!
//! **Request**: a [`Command::Parking`] sends a VIR parking request (`Req-ParkingArea`: the
//! ego's vehicle class, the services, the kind of slot, a preferred slot; lifetime
//! [`ParkingConfig::request_life_s`], 30 s), resent until answered. Guidance for the ego from
//! the lot answers it (the request is then *confirmed*), as does a VIR answer
//! ([`super::coop`]). [`Command::CancelParking`] cancels it and stops the guidance.
//!
//! **Guidance**: a lot's guidance for the ego (PAM `parkingAreaGuidance` with the ego's id),
//! received within [`ParkingConfig::guidance_max_age_ms`] (3 s: expired guidance is dropped),
//! from the lot the ego asked (any lot when it asked none, or did not ask). The route runs
//! from the first node of the guided path through each next node, along the drive between
//! them (the drive of the next node whose upstream node is the previous one, its shape
//! points), and ends at the target slot (the centre of its corners; at the last node when the
//! slot has no corners). A slot on the drive into the last node ends the route on that drive,
//! at the slot. The ego is placed on the route (its projection; before the first
//! point it is that far before the route); what is left is `remaining_m`. The next node ahead
//! on the route and the turn there ([`Maneuver`]: the change of direction between the segment
//! into the node and the one out of it; within 30° straight, beyond 150° a U-turn) give the
//! turn-by-turn advice with its distance; past the last node the advice is *arrive*.
//!
//! **Levels**: **advisory** ([`Guidance::Parking`]: lot, slot, next node, maneuver and its
//! distance, remaining distance, free and listed slots of the lot, its automated valet parking
//! level); **warning** when the target slot is reported occupied or a node ahead on the
//! route is blocked (`blocked`). Within [`ParkingConfig::arrive_m`] (3 m) of the slot and
//! slower than 1 m/s the ego has arrived: the request completes and the guidance ends after
//! 2 s. Target: the slot (or the next node).
use alloc::vec::Vec;

use super::coop::{CoopApp, CoopContext, RequestTracker};
use super::guidance::{Guidance, Maneuver, RequestType};
use super::{AppId, Command, Level, Warning};
use crate::geo::Wgs84;
use crate::math::{atan2, hypot};
use crate::time::Timestamp;
use crate::world::day2::{NodeAttributes, ParkingLot, ParkingServices, RequestKind, SlotStatus};

/// PARKING thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParkingConfig {
    /// Guidance not refreshed for this long has expired, ms (3000).
    pub guidance_max_age_ms: i64,
    /// Lifetime of a parking request, s (30).
    pub request_life_s: f64,
    /// The ego has arrived within this distance of the slot, m (3).
    pub arrive_m: f64,
    /// A change of direction within this is straight on, degrees (30).
    pub straight_deg: f64,
}

impl Default for ParkingConfig {
    fn default() -> Self {
        ParkingConfig {
            guidance_max_age_ms: 3000,
            request_life_s: 30.0,
            arrive_m: 3.0,
            straight_deg: 30.0,
        }
    }
}

/// The PARKING application. See the [module docs](self).
#[derive(Debug, Clone, Default)]
pub struct Parking {
    /// Thresholds.
    pub config: ParkingConfig,
    requests: RequestTracker,
    /// The lot asked for: `Some(None)` any lot, `None` no request.
    wanted: Option<Option<u16>>,
    cancelled: bool,
    arrived: Option<(Option<u16>, Option<u16>, Timestamp)>,
}

/// A route: points (stack ENU), and for the node points their node id.
struct Route {
    points: Vec<[f64; 2]>,
    nodes: Vec<Option<u16>>,
}

fn route(cx: &CoopContext<'_>, lot: &ParkingLot, path: &[u16], slot: Option<u16>) -> Route {
    let mut r = Route {
        points: Vec::new(),
        nodes: Vec::new(),
    };
    let push = |r: &mut Route, w: &Wgs84, node: Option<u16>| {
        let Some(p) = cx.enu(w) else { return };
        // A point repeating the last one (a drive ending at its node) names it.
        if let (Some(last), Some(last_node)) = (r.points.last(), r.nodes.last_mut()) {
            if hypot(p[0] - last[0], p[1] - last[1]) < 0.05 {
                if node.is_some() {
                    *last_node = node;
                }
                return;
            }
        }
        r.points.push(p);
        r.nodes.push(node);
    };
    let target = slot.and_then(|s| lot.slot(s));
    let center = target.and_then(|(_, _, s)| s.center);
    let path = path.get(..path.len().min(32)).unwrap_or(&[]);
    let mut prev: Option<u16> = None;
    for (k, id) in path.iter().enumerate() {
        let Some(n) = lot.node(*id) else { continue };
        let drive = prev.and_then(|u| n.drives.iter().find(|d| d.upstream == u));
        // The slot on the drive into the last node: the route ends at the slot, not beyond.
        let ends_on_drive = k + 1 == path.len()
            && center.is_some()
            && drive
                .zip(target)
                .is_some_and(|(d, (tn, td, _))| tn.id == n.id && td.upstream == d.upstream);
        if let Some(d) = drive {
            // On the last drive, only the points before the slot.
            let start = r.points.last().copied();
            let before = |p: &Wgs84| -> bool {
                let (Some(c), Some(q), Some(start)) =
                    (center.and_then(|c| cx.enu(&c)), cx.enu(p), start)
                else {
                    return true;
                };
                hypot(q[0] - start[0], q[1] - start[1]) < hypot(c[0] - start[0], c[1] - start[1])
            };
            for p in &d.points {
                if !ends_on_drive || before(p) {
                    push(&mut r, p, None);
                }
            }
        }
        if ends_on_drive {
            break;
        }
        push(&mut r, &n.position, Some(n.id));
        prev = Some(n.id);
    }
    if let Some(c) = center {
        push(&mut r, &c, None);
    }
    r
}

/// Where `p` is along a polyline, m from its start: the nearest point of the line (negative,
/// the distance to the start, when that is the start and `p` lies before it).
fn locate(points: &[[f64; 2]], p: [f64; 2]) -> f64 {
    let mut best: Option<(f64, f64)> = None; // (distance, along)
    let mut acc = 0.0;
    for (i, w) in points.windows(2).enumerate() {
        let [a, b] = w else { continue };
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len = hypot(dx, dy);
        if len < 1e-6 {
            continue;
        }
        let t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (len * len);
        let tc = t.clamp(0.0, 1.0);
        let d = hypot(p[0] - (a[0] + tc * dx), p[1] - (a[1] + tc * dy));
        let along = if i == 0 && t < 0.0 {
            -hypot(p[0] - a[0], p[1] - a[1])
        } else {
            acc + tc * len
        };
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, along));
        }
        acc += len;
    }
    match (best, points.first()) {
        (Some((_, along)), _) => along,
        (None, Some(a)) => -hypot(p[0] - a[0], p[1] - a[1]),
        (None, None) => 0.0,
    }
}

/// The heading (CSAE degrees) from `a` to `b`.
fn heading(a: [f64; 2], b: [f64; 2]) -> f64 {
    atan2(b[0] - a[0], b[1] - a[1]).to_degrees()
}

impl Parking {
    fn guidance(&mut self, cx: &mut CoopContext<'_>, out: &mut Vec<Warning>) {
        let c = self.config;
        let found = cx.day2.parking.lots().iter().find(|l| {
            l.for_ego.is_some()
                && cx.now.micros_since(l.received) <= c.guidance_max_age_ms * 1000
                && self
                    .wanted
                    .is_none_or(|w| w.is_none_or(|id| l.id == Some(id)))
        });
        let Some(lot) = found else { return };
        let Some(guide) = lot.for_ego.as_ref() else {
            return;
        };
        if self.cancelled {
            return;
        }
        if let Some((l, s, at)) = self.arrived {
            if l == lot.id && s == guide.slot {
                if cx.now.micros_since(at) > 2_000_000 {
                    return;
                }
            } else {
                self.arrived = None;
            }
        }
        if self.requests.live(RequestType::Parking).is_some() {
            self.requests
                .confirm(RequestType::Parking, [0, 0, 0, 0, 0, 0, 0, 0], cx.now);
        }
        let r = route(cx, lot, &guide.path, guide.slot);
        let Some(&end) = r.points.last() else { return };
        let p = cx.ego.position_enu;
        // Along the route: the ego's projection, or before its start.
        let total: f64 = r
            .points
            .windows(2)
            .map(|w| hypot(w[1][0] - w[0][0], w[1][1] - w[0][1]))
            .sum();
        let along = locate(&r.points, p);
        let remaining = total - along;
        // Distance along the route of every point.
        let mut cum = Vec::with_capacity(r.points.len());
        let mut acc = 0.0;
        let mut last: Option<[f64; 2]> = None;
        for pt in &r.points {
            if let Some(a) = last {
                acc += hypot(pt[0] - a[0], pt[1] - a[1]);
            }
            cum.push(acc);
            last = Some(*pt);
        }
        // The next node ahead, its distance and the turn there.
        let mut next: Option<(u16, f64, Maneuver)> = None;
        for (i, (pt, at)) in r.points.iter().zip(&cum).enumerate() {
            let Some(Some(id)) = r.nodes.get(i) else {
                continue;
            };
            if *at <= along + 1.0 {
                continue;
            }
            // Into the node: from the point before, or from the ego at the first node.
            let prev = i
                .checked_sub(1)
                .and_then(|j| r.points.get(j))
                .copied()
                .unwrap_or(p);
            let (Some(prev), Some(after)) = (Some(&prev), r.points.get(i + 1)) else {
                next = Some((*id, at - along, Maneuver::Arrive));
                break;
            };
            let d = crate::geo::wrap_deg(heading(*pt, *after) - heading(*prev, *pt));
            let m = if crate::math::abs(d) <= c.straight_deg {
                Maneuver::Straight
            } else if crate::math::abs(d) >= 150.0 {
                Maneuver::UTurn
            } else if d > 0.0 {
                Maneuver::Right
            } else {
                Maneuver::Left
            };
            next = Some((*id, at - along, m));
            break;
        }
        let slot = guide.slot.and_then(|s| lot.slot(s));
        let slot_taken = slot.is_some_and(|(_, _, s)| s.status == SlotStatus::Occupied);
        let ahead_ids: Vec<u16> = r
            .nodes
            .iter()
            .zip(&cum)
            .filter(|(_, at)| **at > along)
            .filter_map(|(n, _)| *n)
            .collect();
        let route_blocked = ahead_ids.iter().any(|id| {
            lot.node(*id)
                .is_some_and(|n| n.attributes.contains(NodeAttributes::BLOCKED))
        });
        let blocked = slot_taken || route_blocked;
        let occ = lot.occupancy();
        let to_slot = hypot(end[0] - p[0], end[1] - p[1]);
        if guide.slot.is_some()
            && to_slot <= c.arrive_m
            && cx.ego.speed_mps < 1.0
            && self.arrived.is_none()
        {
            self.arrived = Some((lot.id, guide.slot, cx.now));
            self.requests.finish(cx, RequestType::Parking, true);
        }
        let (next_node, to_maneuver, maneuver) = match next {
            Some((id, d, m)) => (Some(id), Some(d), m),
            None => (None, Some(remaining), Maneuver::Arrive),
        };
        let lot_id = lot.id.unwrap_or(u16::MAX).to_be_bytes();
        let at = slot
            .and_then(|(_, _, s)| s.center)
            .or_else(|| next_node.and_then(|n| lot.node(n)).map(|n| n.position));
        let target = cx.place(&[b"parking", &lot_id], at.as_ref());
        let level = if blocked {
            Level::Warning
        } else {
            Level::Advisory
        };
        let mut w = cx.warning(AppId::Parking, level, target);
        w.distance_m = Some(remaining);
        w.guidance = Some(Guidance::Parking {
            lot: lot.id,
            slot: guide.slot,
            next_node,
            maneuver,
            to_maneuver_m: to_maneuver,
            remaining_m: Some(remaining),
            free_slots: occ.available,
            total_slots: occ.total(),
            avp: lot.avp,
            blocked,
        });
        out.push(w);
    }
}

impl CoopApp for Parking {
    fn id(&self) -> AppId {
        AppId::Parking
    }

    fn evaluate(&mut self, cx: &mut CoopContext<'_>, out: &mut Vec<Warning>) {
        let commands = cx.commands;
        for cmd in commands {
            match cmd {
                Command::Parking {
                    lot,
                    services,
                    kinds,
                    slot,
                } => {
                    let services = if services.is_empty() {
                        ParkingServices(ParkingServices::ENTER.0 | ParkingServices::PARK.0)
                    } else {
                        *services
                    };
                    self.requests.finish(cx, RequestType::Parking, false);
                    self.wanted = Some(*lot);
                    self.cancelled = false;
                    self.arrived = None;
                    let class = if cx.ego.transit { 50 } else { 10 };
                    self.requests.start(
                        cx,
                        RequestType::Parking,
                        RequestKind::Parking {
                            vehicle_class: class,
                            services,
                            kinds: *kinds,
                            slot: *slot,
                        },
                        self.config.request_life_s,
                        None,
                        None,
                        Some(crate::world::day2::Behavior::PARKING),
                    );
                }
                Command::CancelParking => {
                    self.requests.finish(cx, RequestType::Parking, false);
                    self.cancelled = true;
                    self.wanted = None;
                }
                _ => {}
            }
        }
        self.guidance(cx, out);
        self.requests.update(AppId::Parking, cx, out);
    }
}
