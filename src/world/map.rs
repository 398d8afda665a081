//! The MAP store: intersections (MAP `Node`s) by (region, id), each with the lanes of its
//! incoming links as polylines in a local ENU frame anchored at the node's `refPos`.
//!
//! Lane and link points (`RoadPoint.posOffset`) are offsets from the node's `refPos`, listed
//! upstream first, so the last point of an incoming lane is its stop line. A lane without points
//! uses its link's points. Bounded like every world store ([`Bounded`]): at most
//! `max_intersections` nodes (the least recently received is evicted and counted), each expiring
//! when not refreshed for the configured age, and at most `max_lanes` lanes per node (the rest are
//! counted as truncated).
use alloc::vec::Vec;

use super::convert::{offset_position_deg, position_deg, speed_mps};
use super::store::{Bounded, Entry};
use crate::geo::{EnuFrame, Wgs84};
use crate::msg::v2020 as m;

use super::store::StoreCounters;
use crate::time::Timestamp;

/// An intersection's key: (road regulator id, 0 when absent; node id).
pub type IntersectionKey = (u16, u16);

/// The key of a `NodeReferenceID`.
pub fn node_key(n: &m::NodeReferenceID) -> IntersectionKey {
    (n.region.unwrap_or(0), n.id)
}

/// A movement through an intersection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Turn {
    /// Straight on.
    Straight,
    /// Left turn.
    Left,
    /// Right turn.
    Right,
    /// U-turn.
    UTurn,
}

/// One connection of a lane to a lane of the next link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Connection {
    /// The movement, from the connecting lane's maneuver bits (`None` when not given).
    pub turn: Option<Turn>,
    /// The signal phase governing the movement.
    pub phase_id: Option<u8>,
    /// The intersection the movement leads to.
    pub remote: IntersectionKey,
}

/// An incoming lane of an intersection.
#[derive(Debug, Clone, PartialEq)]
pub struct LaneGeom {
    /// Index of the incoming link within the node.
    pub link_index: usize,
    /// Upstream node of the link.
    pub upstream: IntersectionKey,
    /// Lane id.
    pub lane_id: u8,
    /// Lane width, m.
    pub width_m: f64,
    /// Centre line in the node's local ENU frame, upstream first; the last point is the stop
    /// line.
    pub points: Vec<[f64; 2]>,
    /// Connections (at most 16 kept).
    pub connections: Vec<Connection>,
    /// Phases of the link's movements (fallback when the lane has no connection).
    pub link_phases: Vec<u8>,
    /// Allowed maneuvers of the lane (straight, left, right, U-turn), when given.
    pub maneuvers: Option<[bool; 4]>,
    /// Vehicle maximum speed of the lane, or else of the link, m/s.
    pub speed_limit_mps: Option<f64>,
}

/// An intersection of the MAP store.
#[derive(Debug, Clone)]
pub struct Intersection {
    /// Key.
    pub key: IntersectionKey,
    /// Reference position.
    pub ref_pos: Wgs84,
    /// Local frame at the reference position (lane points are in it).
    pub frame: EnuFrame,
    /// Incoming lanes.
    pub lanes: Vec<LaneGeom>,
    /// When the MAP was last received.
    pub received: Timestamp,
}

/// The MAP store. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct MapStore {
    items: Bounded<Intersection>,
    max_lanes: usize,
}

impl Entry for Intersection {
    type Key = IntersectionKey;
    fn key(&self) -> IntersectionKey {
        self.key
    }
    fn received(&self) -> Timestamp {
        self.received
    }
}

/// At most this many points per lane are kept.
pub const MAX_LANE_POINTS: usize = 64;

fn turn_of(bits: &m::AllowedManeuvers) -> Option<Turn> {
    if bits.get(m::AllowedManeuvers::MANEUVER_STRAIGHT_ALLOWED) {
        Some(Turn::Straight)
    } else if bits.get(m::AllowedManeuvers::MANEUVER_LEFT_ALLOWED) {
        Some(Turn::Left)
    } else if bits.get(m::AllowedManeuvers::MANEUVER_RIGHT_ALLOWED) {
        Some(Turn::Right)
    } else if bits.get(m::AllowedManeuvers::MANEUVER_U_TURN_ALLOWED) {
        Some(Turn::UTurn)
    } else {
        None
    }
}

fn max_speed(list: Option<&m::SpeedLimitList>) -> Option<f64> {
    list?
        .iter()
        .find(|s| s.r#type == m::SpeedLimitType::VehicleMaxSpeed)
        .and_then(|s| speed_mps(s.speed))
}

fn local_points(
    frame: &EnuFrame,
    reference: &m::Position3D,
    pts: &m::PointList,
    truncated: &mut u64,
) -> Vec<[f64; 2]> {
    let mut out = Vec::with_capacity(pts.len().min(MAX_LANE_POINTS));
    for p in pts {
        if out.len() >= MAX_LANE_POINTS {
            *truncated += 1;
            break;
        }
        if let Some((lat, lon)) = offset_position_deg(reference, &p.pos_offset) {
            if let Ok(e) = frame.enu_from_wgs84(&Wgs84::new(lat, lon, 0.0)) {
                out.push([e.x, e.y]);
            }
        }
    }
    out
}

impl MapStore {
    /// An empty store of at most `max_intersections` nodes with at most `max_lanes` incoming
    /// lanes each; a node not refreshed for `max_age_ms` is dropped.
    pub fn new(max_intersections: usize, max_lanes: usize, max_age_ms: i64) -> Self {
        MapStore {
            items: Bounded::new(max_intersections, max_age_ms),
            max_lanes: max_lanes.max(1),
        }
    }

    /// What the store did.
    pub fn counters(&self) -> &StoreCounters {
        self.items.counters()
    }

    /// The intersections.
    pub fn intersections(&self) -> &[Intersection] {
        self.items.items()
    }

    /// One intersection.
    pub fn get(&self, key: IntersectionKey) -> Option<&Intersection> {
        self.items.get(key)
    }

    /// Drops the intersections not refreshed in time.
    pub fn expire(&mut self, now: Timestamp) {
        self.items.expire(now);
    }

    /// Stores every node of a MAP; returns how many were stored.
    pub fn insert_map(&mut self, map: &m::MapData, now: Timestamp) -> usize {
        let mut n = 0;
        for node in &map.nodes {
            if self.insert_node(node, now) {
                n += 1;
            }
        }
        n
    }

    fn insert_node(&mut self, node: &m::Node, now: Timestamp) -> bool {
        let Some((lat, lon)) = position_deg(&node.ref_pos) else {
            self.items.reject();
            return false;
        };
        let ref_pos = Wgs84::new(lat, lon, 0.0);
        let Ok(frame) = EnuFrame::new(ref_pos) else {
            self.items.reject();
            return false;
        };
        let mut truncated = 0u64;
        let mut lanes = Vec::new();
        for (li, link) in node.in_links.iter().flatten().enumerate() {
            let link_pts = link
                .points
                .as_ref()
                .map(|p| local_points(&frame, &node.ref_pos, p, &mut truncated))
                .unwrap_or_default();
            let link_phases: Vec<u8> = link
                .movements
                .iter()
                .flatten()
                .filter_map(|mv| mv.phase_id)
                .take(16)
                .collect();
            let link_limit = max_speed(link.speed_limits.as_ref());
            for lane in &link.lanes {
                if lanes.len() >= self.max_lanes {
                    truncated += 1;
                    break;
                }
                let mut points = lane
                    .points
                    .as_ref()
                    .map(|p| local_points(&frame, &node.ref_pos, p, &mut truncated))
                    .unwrap_or_default();
                if points.len() < 2 {
                    points.clone_from(&link_pts);
                }
                if points.len() < 2 {
                    continue;
                }
                let connections = lane
                    .connects_to
                    .iter()
                    .flatten()
                    .take(16)
                    .map(|c| Connection {
                        turn: c
                            .connecting_lane
                            .as_ref()
                            .and_then(|l| l.maneuver.as_ref())
                            .and_then(turn_of),
                        phase_id: c.phase_id,
                        remote: node_key(&c.remote_intersection),
                    })
                    .collect();
                let maneuvers = lane.maneuvers.as_ref().map(|b| {
                    [
                        b.get(m::AllowedManeuvers::MANEUVER_STRAIGHT_ALLOWED),
                        b.get(m::AllowedManeuvers::MANEUVER_LEFT_ALLOWED),
                        b.get(m::AllowedManeuvers::MANEUVER_RIGHT_ALLOWED),
                        b.get(m::AllowedManeuvers::MANEUVER_U_TURN_ALLOWED),
                    ]
                });
                lanes.push(LaneGeom {
                    link_index: li,
                    upstream: node_key(&link.upstream_node_id),
                    lane_id: lane.lane_id,
                    width_m: f64::from(lane.lane_width.unwrap_or(link.link_width)) * 0.01,
                    points,
                    connections,
                    link_phases: link_phases.clone(),
                    maneuvers,
                    speed_limit_mps: max_speed(lane.speed_limits.as_ref()).or(link_limit),
                });
            }
        }
        self.items.truncated(truncated);
        self.items.upsert(Intersection {
            key: node_key(&node.id),
            ref_pos,
            frame,
            lanes,
            received: now,
        });
        true
    }
}
