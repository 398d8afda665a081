//! The MAP/SPAT store and map matching.
//!
//! - [`MapStore`]: intersections (MAP `Node`s) by (region, id), each with the lanes of its
//!   incoming links as polylines in a local ENU frame anchored at the node's `refPos`. Lane and
//!   link points (`RoadPoint.posOffset`) are offsets from the node's `refPos`, listed upstream
//!   first, so the last point of an incoming lane is its stop line. A lane without points uses
//!   its link's points. Bounded: at most `max_intersections` nodes (the least recently received
//!   is evicted and counted) and `max_lanes` lanes per node (the rest are counted as truncated).
//! - [`SpatStore`]: the phases of each intersection with their timing resolved to absolute
//!   [`Timestamp`]s, from either form of `TimeChangeDetails`: counting (0.1 s from the SPAT
//!   time stamp, or from the receive time when the message has none) or UTC timing (0.1 s
//!   within the UTC hour, resolved to the hour nearest the receive time). `startTime`,
//!   `minEndTime`, `maxEndTime`, `likelyEndTime`, `nextStartTime` and `nextDuration` /
//!   `nextEndUTCTime` are all kept; 36001 ("unknown") becomes `None`.
//! - [`match_ego`]: the ego is matched to the incoming lane whose centre line it is on: lateral
//!   offset within half the lane width plus [`MatchConfig::lateral_margin_m`], heading within
//!   [`MatchConfig::max_heading_error_deg`] of the lane direction, and before the stop line. Among
//!   candidates the smallest lateral offset wins. The movement the ego takes (straight unless the
//!   turn signal says left or right) selects the lane's connection, whose `phaseId` names the
//!   signal phase; a lane with one connection uses it whatever the signal, and a lane without
//!   connections falls back to its link's movements.
//! - Staleness: [`SpatStore::signal_for`] reports a SPAT older than the configured age (default
//!   1 s, [`MatchConfig::spat_max_age_ms`]) as stale, its age counted from its own time stamp when
//!   that is earlier than its reception; dependent applications (RLVW, GLOSA) stay
//!   silent on stale or failed signals.
use alloc::vec::Vec;

use crate::apps::TurnSignal;
use crate::fusion::adapt::{offset_position_deg, position_deg};
use crate::geo::math::{abs, atan2, floor, hypot};
use crate::geo::{EnuFrame, Wgs84};
use crate::msg::v2020 as m;
use crate::time::{DSecond, MinuteOfYear, Timestamp, resolve_minute_of_year, resolve_sec_mark};

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

/// Counters of the MAP and SPAT stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StoreCounters {
    /// Entries stored or refreshed.
    pub stored: u64,
    /// Entries evicted because the store was full.
    pub evicted: u64,
    /// Entries expired.
    pub expired: u64,
    /// Parts dropped for limits (lanes, points, phases).
    pub truncated: u64,
    /// Entries rejected (unusable position or frame).
    pub rejected: u64,
}

/// The MAP store. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct MapStore {
    items: Vec<Intersection>,
    max_intersections: usize,
    max_lanes: usize,
    counters: StoreCounters,
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
        .and_then(|s| crate::fusion::adapt::speed_mps(s.speed))
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
    /// An empty store.
    pub fn new(max_intersections: usize, max_lanes: usize) -> Self {
        MapStore {
            items: Vec::with_capacity(max_intersections.min(1024)),
            max_intersections: max_intersections.max(1),
            max_lanes: max_lanes.max(1),
            counters: StoreCounters::default(),
        }
    }

    /// Counters.
    pub fn counters(&self) -> &StoreCounters {
        &self.counters
    }

    /// The intersections.
    pub fn intersections(&self) -> &[Intersection] {
        &self.items
    }

    /// One intersection.
    pub fn get(&self, key: IntersectionKey) -> Option<&Intersection> {
        self.items.iter().find(|i| i.key == key)
    }

    /// Drops intersections not refreshed for `max_age_ms`.
    pub fn expire(&mut self, now: Timestamp, max_age_ms: i64) {
        let before = self.items.len();
        self.items
            .retain(|i| now.micros_since(i.received) <= max_age_ms.saturating_mul(1000));
        self.counters.expired += (before - self.items.len()) as u64;
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
            self.counters.rejected += 1;
            return false;
        };
        let ref_pos = Wgs84::new(lat, lon, 0.0);
        let Ok(frame) = EnuFrame::new(ref_pos) else {
            self.counters.rejected += 1;
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
        self.counters.truncated += truncated;
        let inter = Intersection {
            key: node_key(&node.id),
            ref_pos,
            frame,
            lanes,
            received: now,
        };
        upsert(
            &mut self.items,
            self.max_intersections,
            inter,
            |i| i.key,
            |i| i.received,
            &mut self.counters,
        );
        true
    }
}

/// Replaces the entry with the same key, or appends, evicting the least recently received
/// entry when full.
fn upsert<T, K: PartialEq>(
    items: &mut Vec<T>,
    max: usize,
    item: T,
    key: impl Fn(&T) -> K,
    received: impl Fn(&T) -> Timestamp,
    counters: &mut StoreCounters,
) {
    counters.stored += 1;
    let k = key(&item);
    if let Some(slot) = items.iter_mut().find(|i| key(i) == k) {
        *slot = item;
        return;
    }
    if items.len() >= max {
        if let Some((idx, _)) = items.iter().enumerate().min_by_key(|(_, i)| received(i)) {
            items.swap_remove(idx);
            counters.evicted += 1;
        }
    }
    items.push(item);
}

/// A signal light state (the message set's `LightState`, with `is_green` / `is_red`).
pub use crate::msg::v2020::LightState as Light;

/// One light state of a phase with absolute timing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StateTiming {
    /// The light.
    pub light: Light,
    /// When it starts (or started).
    pub start: Timestamp,
    /// Earliest end.
    pub min_end: Option<Timestamp>,
    /// Latest end.
    pub max_end: Option<Timestamp>,
    /// Most likely end (`None`: unknown).
    pub likely_end: Option<Timestamp>,
    /// When it starts the next time.
    pub next_start: Option<Timestamp>,
    /// When that next occurrence ends.
    pub next_end: Option<Timestamp>,
}

impl StateTiming {
    /// The intervals in which this state is known to be on, at most two: (start, likely end)
    /// and (next start, next end).
    pub fn intervals(&self) -> impl Iterator<Item = (Timestamp, Timestamp)> + '_ {
        let first = self.likely_end.map(|e| (self.start, e));
        let next = match (self.next_start, self.next_end) {
            (Some(s), Some(e)) if e > s => Some((s, e)),
            _ => None,
        };
        first.into_iter().chain(next)
    }
}

/// A phase with its states.
#[derive(Debug, Clone, PartialEq)]
pub struct PhaseTiming {
    /// Phase id.
    pub id: u8,
    /// States (at most 16).
    pub states: Vec<StateTiming>,
}

impl PhaseTiming {
    /// The light at `t`, when the timing says; `None` when no known interval covers `t`.
    pub fn light_at(&self, t: Timestamp) -> Option<Light> {
        self.states
            .iter()
            .find(|s| s.intervals().any(|(a, b)| a <= t && t < b))
            .map(|s| s.light)
            .or_else(|| {
                // A state that has started and whose end is unknown is still on.
                self.states
                    .iter()
                    .find(|s| s.start <= t && s.likely_end.is_none())
                    .map(|s| s.light)
            })
    }

    /// The current state at `now`.
    pub fn current(&self, now: Timestamp) -> Option<&StateTiming> {
        self.states
            .iter()
            .find(|s| s.start <= now && s.likely_end.is_none_or(|e| now < e))
    }

    /// Known intervals of a light matching `pred`, sorted by start.
    pub fn windows(&self, pred: impl Fn(Light) -> bool) -> Vec<(Timestamp, Timestamp)> {
        let mut w: Vec<(Timestamp, Timestamp)> = self
            .states
            .iter()
            .filter(|s| pred(s.light))
            .flat_map(|s| s.intervals())
            .collect();
        w.sort_by_key(|x| x.0);
        w
    }

    /// The end of the last known interval of any state.
    pub fn horizon(&self) -> Option<Timestamp> {
        self.states
            .iter()
            .flat_map(|s| s.intervals())
            .map(|x| x.1)
            .max()
    }
}

/// The signal state of one intersection.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalState {
    /// Intersection key.
    pub key: IntersectionKey,
    /// When the SPAT was received.
    pub received: Timestamp,
    /// The time the counting timing is relative to.
    pub reference: Timestamp,
    /// Whether the controller reports a failure (failure flash, failure mode, off, no valid
    /// SPAT).
    pub failed: bool,
    /// Phases (at most 16).
    pub phases: Vec<PhaseTiming>,
}

/// The SPAT store. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct SpatStore {
    items: Vec<SignalState>,
    max_intersections: usize,
    counters: StoreCounters,
}

/// TimeMark value meaning "unknown".
const TIME_MARK_UNKNOWN: u16 = 36_001;

fn counting(base: Timestamp, v: u16) -> Option<Timestamp> {
    (v < TIME_MARK_UNKNOWN).then(|| base.add_millis(i64::from(v) * 100))
}

fn utc_mark(now: Timestamp, v: u16) -> Option<Timestamp> {
    if v >= TIME_MARK_UNKNOWN {
        return None;
    }
    let unix = now.to_unix_utc_millis();
    let hour = unix.div_euclid(3_600_000) * 3_600_000;
    let mut best: Option<i64> = None;
    for k in [-1i64, 0, 1] {
        let cand = hour + k * 3_600_000 + i64::from(v) * 100;
        if best.is_none_or(|b| (b - unix).abs() > (cand - unix).abs()) {
            best = Some(cand);
        }
    }
    best.map(Timestamp::from_unix_utc_millis)
}

fn state_timing(s: &m::PhaseState, base: Timestamp, now: Timestamp) -> StateTiming {
    let light = s.light;
    match &s.timing {
        Some(m::TimeChangeDetails::Counting(c)) => {
            let start = counting(base, c.start_time).unwrap_or(base);
            let next_start = c.next_start_time.and_then(|v| counting(base, v));
            StateTiming {
                light,
                start,
                min_end: c.min_end_time.and_then(|v| counting(base, v)),
                max_end: c.max_end_time.and_then(|v| counting(base, v)),
                likely_end: counting(base, c.likely_end_time),
                next_start,
                next_end: match (next_start, c.next_duration) {
                    (Some(ns), Some(d)) if d < TIME_MARK_UNKNOWN => {
                        Some(ns.add_millis(i64::from(d) * 100))
                    }
                    _ => None,
                },
            }
        }
        Some(m::TimeChangeDetails::UtcTiming(u)) => StateTiming {
            light,
            start: utc_mark(now, u.start_utc_time).unwrap_or(base),
            min_end: u.min_end_utc_time.and_then(|v| utc_mark(now, v)),
            max_end: u.max_end_utc_time.and_then(|v| utc_mark(now, v)),
            likely_end: utc_mark(now, u.likely_end_utc_time),
            next_start: u.next_start_utc_time.and_then(|v| utc_mark(now, v)),
            next_end: u.next_end_utc_time.and_then(|v| utc_mark(now, v)),
        },
        // No timing: the state is on now, for an unknown time.
        _ => StateTiming {
            light,
            start: base,
            min_end: None,
            max_end: None,
            likely_end: None,
            next_start: None,
            next_end: None,
        },
    }
}

fn spat_time(moy: Option<u32>, ms: Option<u16>, now: Timestamp) -> Option<Timestamp> {
    let ms = DSecond::new(ms?).ok()?;
    match moy {
        Some(moy) => resolve_minute_of_year(MinuteOfYear::new(moy).ok()?, ms, now).ok(),
        None => resolve_sec_mark(ms, now).ok(),
    }
}

/// Whether the signal for the ego's lane can be used.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SignalInput<'a> {
    /// No SPAT for the intersection or no phase for the lane.
    None,
    /// A SPAT older than the allowed age, or reporting a controller failure.
    Stale {
        /// Age of the last SPAT, s.
        age_s: f64,
    },
    /// A fresh phase timing.
    Fresh(&'a PhaseTiming),
}

impl SpatStore {
    /// An empty store.
    pub fn new(max_intersections: usize) -> Self {
        SpatStore {
            items: Vec::with_capacity(max_intersections.min(1024)),
            max_intersections: max_intersections.max(1),
            counters: StoreCounters::default(),
        }
    }

    /// Counters.
    pub fn counters(&self) -> &StoreCounters {
        &self.counters
    }

    /// The signal states.
    pub fn signals(&self) -> &[SignalState] {
        &self.items
    }

    /// One intersection's signal state.
    pub fn get(&self, key: IntersectionKey) -> Option<&SignalState> {
        self.items.iter().find(|s| s.key == key)
    }

    /// Drops states not refreshed for `max_age_ms`.
    pub fn expire(&mut self, now: Timestamp, max_age_ms: i64) {
        let before = self.items.len();
        self.items
            .retain(|i| now.micros_since(i.received) <= max_age_ms.saturating_mul(1000));
        self.counters.expired += (before - self.items.len()) as u64;
    }

    /// Stores every intersection of a SPAT received at `now`; returns how many.
    pub fn insert_spat(&mut self, spat: &m::SPAT, now: Timestamp) -> usize {
        let msg_time = spat_time(spat.moy, spat.time_stamp, now);
        let mut n = 0;
        for st in &spat.intersections {
            let reference = spat_time(st.moy.or(spat.moy), st.time_stamp, now)
                .or(msg_time)
                .unwrap_or(now);
            // A time stamp far from the receive time is not trusted for counting.
            let reference = if abs(now.seconds_since(reference)) > 10.0 {
                now
            } else {
                reference
            };
            let bits = &st.status;
            let failed = bits.get(m::IntersectionStatusObject::FAILURE_FLASH)
                || bits.get(m::IntersectionStatusObject::FAILURE_MODE)
                || bits.get(m::IntersectionStatusObject::OFF)
                || bits.get(m::IntersectionStatusObject::NO_VALID_SPA_TIS_AVAILABLE_AT_THIS_TIME);
            let phases = st
                .phases
                .iter()
                .take(16)
                .map(|p| PhaseTiming {
                    id: p.id,
                    states: p
                        .phase_states
                        .iter()
                        .take(16)
                        .map(|s| state_timing(s, reference, now))
                        .collect(),
                })
                .collect();
            let state = SignalState {
                key: node_key(&st.intersection_id),
                received: now,
                reference,
                failed,
                phases,
            };
            upsert(
                &mut self.items,
                self.max_intersections,
                state,
                |s| s.key,
                |s| s.received,
                &mut self.counters,
            );
            n += 1;
        }
        n
    }

    /// The signal of phase `phase` at intersection `key`: fresh when the SPAT is at most
    /// `max_age_ms` old and reports no failure.
    pub fn signal_for(
        &self,
        key: IntersectionKey,
        phase: Option<u8>,
        now: Timestamp,
        max_age_ms: i64,
    ) -> SignalInput<'_> {
        let Some(s) = self.get(key) else {
            return SignalInput::None;
        };
        // The data is as old as the message's own time stamp says, when it says it is older
        // than its reception (a late SPAT is stale however recently it arrived).
        let made = s.reference.min(s.received);
        let age_s = now.seconds_since(made);
        if s.failed || now.micros_since(made) > max_age_ms.saturating_mul(1000) {
            return SignalInput::Stale { age_s };
        }
        let Some(phase) = phase else {
            return SignalInput::None;
        };
        match s.phases.iter().find(|p| p.id == phase) {
            Some(p) => SignalInput::Fresh(p),
            None => SignalInput::None,
        }
    }
}

/// Map-matching parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchConfig {
    /// Largest heading difference between the ego and the lane direction, degrees (45).
    pub max_heading_error_deg: f64,
    /// Allowed lateral offset beyond half the lane width, m (1.0).
    pub lateral_margin_m: f64,
    /// Intersections farther than this from the ego are not considered, m (1500).
    pub max_distance_m: f64,
    /// A SPAT older than this is stale, ms (1000).
    pub spat_max_age_ms: i64,
}

impl Default for MatchConfig {
    fn default() -> Self {
        MatchConfig {
            max_heading_error_deg: 45.0,
            lateral_margin_m: 1.0,
            max_distance_m: 1500.0,
            spat_max_age_ms: 1000,
        }
    }
}

/// The ego matched to an incoming lane.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LaneMatch {
    /// Intersection.
    pub intersection: IntersectionKey,
    /// Index of the lane in [`Intersection::lanes`].
    pub lane_index: usize,
    /// Index of the incoming link within the node.
    pub link_index: usize,
    /// Lane id.
    pub lane_id: u8,
    /// Distance along the lane to its stop line, m (≥ 0).
    pub distance_to_stop_m: f64,
    /// Signed lateral offset from the centre line (positive: left), m.
    pub lateral_m: f64,
    /// Ego heading minus lane heading, degrees in (-180, 180].
    pub heading_error_deg: f64,
    /// The stop line (last lane point).
    pub stop_line: Wgs84,
    /// The movement the ego takes.
    pub turn: Turn,
    /// The phase governing it.
    pub phase_id: Option<u8>,
    /// The lane's (or link's) maximum speed, m/s.
    pub speed_limit_mps: Option<f64>,
}

fn wrap_deg(a: f64) -> f64 {
    let w = a - 360.0 * floor((a + 180.0) / 360.0);
    if w <= -180.0 { w + 360.0 } else { w }
}

/// Projects `p` onto the polyline: (distance from `p` to the end along the line, signed lateral
/// offset, segment heading in CSAE degrees); `None` when the projection falls before the first
/// or after the last point.
pub fn project(points: &[[f64; 2]], p: [f64; 2]) -> Option<(f64, f64, f64)> {
    let mut best: Option<(f64, f64, f64, f64)> = None; // (|lat|, remaining, lat, heading)
    let total: f64 = points
        .windows(2)
        .map(|w| match w {
            [a, b] => hypot(b[0] - a[0], b[1] - a[1]),
            _ => 0.0,
        })
        .sum();
    let mut along = 0.0;
    let n = points.len();
    for (i, w) in points.windows(2).enumerate() {
        let [a, b] = w else { continue };
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len = hypot(dx, dy);
        if len < 1e-6 {
            continue;
        }
        let t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (len * len);
        let first = i == 0;
        let last = i + 2 == n;
        if (t < 0.0 && first) || (t > 1.0 && last) {
            along += len;
            continue;
        }
        let tc = t.clamp(0.0, 1.0);
        let (qx, qy) = (a[0] + tc * dx, a[1] + tc * dy);
        let cross = (dx * (p[1] - a[1]) - dy * (p[0] - a[0])) / len;
        let d = hypot(p[0] - qx, p[1] - qy);
        let lat = if cross >= 0.0 { d } else { -d };
        let remaining = total - (along + tc * len);
        let heading = atan2(dx, dy).to_degrees();
        if best.is_none_or(|b| d < b.0) {
            best = Some((d, remaining, lat, heading));
        }
        along += len;
    }
    best.map(|(_, r, l, h)| (r.max(0.0), l, h))
}

fn choose_connection(lane: &LaneGeom, want: Turn) -> (Turn, Option<u8>) {
    if let Some(c) = lane.connections.iter().find(|c| c.turn == Some(want)) {
        return (want, c.phase_id);
    }
    if let [only] = lane.connections.as_slice() {
        return (only.turn.unwrap_or(want), only.phase_id);
    }
    if let Some(c) = lane.connections.iter().find(|c| c.phase_id.is_some()) {
        return (c.turn.unwrap_or(want), c.phase_id);
    }
    (want, lane.link_phases.first().copied())
}

/// Matches the ego (position, CSAE heading, turn signal) to an incoming lane of the store.
pub fn match_ego(
    store: &MapStore,
    ego: &Wgs84,
    heading_deg: f64,
    turn_signal: TurnSignal,
    cfg: &MatchConfig,
) -> Option<LaneMatch> {
    let want = match turn_signal {
        TurnSignal::Left => Turn::Left,
        TurnSignal::Right => Turn::Right,
        TurnSignal::None => Turn::Straight,
    };
    let mut best: Option<LaneMatch> = None;
    for inter in store.intersections() {
        let Ok(e) = inter.frame.enu_from_wgs84(ego) else {
            continue;
        };
        if hypot(e.x, e.y) > cfg.max_distance_m {
            continue;
        }
        for (li, lane) in inter.lanes.iter().enumerate() {
            let Some((remaining, lat, lane_heading)) = project(&lane.points, [e.x, e.y]) else {
                continue;
            };
            if abs(lat) > 0.5 * lane.width_m + cfg.lateral_margin_m {
                continue;
            }
            let herr = wrap_deg(heading_deg - lane_heading);
            if abs(herr) > cfg.max_heading_error_deg {
                continue;
            }
            if best.is_some_and(|b| abs(b.lateral_m) <= abs(lat)) {
                continue;
            }
            let Some(&[sx, sy]) = lane.points.last() else {
                continue;
            };
            let stop = inter
                .frame
                .wgs84_from_enu(&nalgebra::Vector3::new(sx, sy, 0.0));
            let (turn, phase_id) = choose_connection(lane, want);
            best = Some(LaneMatch {
                intersection: inter.key,
                lane_index: li,
                link_index: lane.link_index,
                lane_id: lane.lane_id,
                distance_to_stop_m: remaining,
                lateral_m: lat,
                heading_error_deg: herr,
                stop_line: stop,
                turn,
                phase_id,
                speed_limit_mps: lane.speed_limit_mps,
            });
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_along_a_polyline() {
        let pts = [[0.0, -100.0], [0.0, 0.0]];
        let (rem, lat, h) = project(&pts, [1.0, -30.0]).unwrap();
        assert!((rem - 30.0).abs() < 1e-9);
        assert!(
            (lat + 1.0).abs() < 1e-9,
            "right of a northbound line is negative"
        );
        assert!(h.abs() < 1e-9);
        assert!(project(&pts, [0.0, 5.0]).is_none(), "past the stop line");
        assert!(
            project(&pts, [0.0, -105.0]).is_none(),
            "before the first point"
        );
        assert!((wrap_deg(350.0) + 10.0).abs() < 1e-9);
        assert!((wrap_deg(-190.0) - 170.0).abs() < 1e-9);
    }

    #[test]
    fn utc_marks_resolve_near_now() {
        let now = Timestamp::from_unix_utc_millis(1_767_225_600_000 + 3_599_000); // xx:59:59
        // 0.5 s into the next hour.
        let t = utc_mark(now, 5).unwrap();
        assert_eq!(t.micros_since(now), 1_500_000);
        assert!(utc_mark(now, TIME_MARK_UNKNOWN).is_none());
    }
}
