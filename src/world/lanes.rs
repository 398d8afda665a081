//! Lane matching: the ego is matched to the incoming lane of a stored intersection whose
//! centre line it is on.
//!
//! A lane matches when the ego's lateral offset is within half the lane width plus
//! [`MatchConfig::lateral_margin_m`], its heading within [`MatchConfig::max_heading_error_deg`]
//! of the lane direction, and it is before the stop line. Among candidates the smallest lateral
//! offset wins. The movement the ego takes (straight unless the turn signal says left or right)
//! selects the lane's connection, whose `phaseId` names the signal phase; a lane with one
//! connection uses it whatever the signal, and a lane without connections falls back to its
//! link's movements.
use super::TurnSignal;
use super::map::{IntersectionKey, LaneGeom, MapStore, Turn};
use crate::geo::{Wgs84, wrap_deg};
use crate::math::{abs, atan2, hypot};

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
    /// Index of the lane in [`Intersection::lanes`](super::Intersection::lanes).
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
        TurnSignal::None | TurnSignal::Hazard => Turn::Straight,
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
    }
}
