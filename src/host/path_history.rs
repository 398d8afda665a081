//! Path history: the concise representation of SAE J2945/1 (2020, Annex A).
//!
//! Every position fix is a candidate point. The newest point kept in the history (`P_start`),
//! the fixes since, and the newest fix (`P_next`) decide whether the fix before the newest
//! (`P_prev`) becomes a history point: it does when the chord `P_start → P_next` is longer than
//! [`PathHistoryConfig::max_chord_m`] (J2945/1 `vMaxChordLength`, 210 m), or when a fix between
//! them lies farther than [`PathHistoryConfig::allowable_error_m`] from that chord. So every
//! fix the vehicle passed lies within the allowable error of the polyline the history draws
//! (the BSM's own position, then the points, newest first). Distances are the exact
//! perpendicular distances of the fixes to the chord segment in a local tangent plane (not the
//! arc estimate from headings that some readings use), so the bound holds for any path shape.
//!
//! The history is then cut back to what is needed: the oldest points go while the polyline
//! still covers [`PathHistoryConfig::min_distance_m`] without them (J2945/1
//! `vMinPHistDistance`, 200 m), and never more than [`PathHistoryConfig::max_points`] are kept
//! (T/CSAE 53 and SAE J2735 allow 23 in `PathHistoryPointList`).
//!
//! Bounds: at most `max_points` history points and [`MAX_PENDING`] fixes between them, whatever
//! the input (a stopped vehicle adds nothing: fixes closer than
//! [`PathHistoryConfig::min_spacing_m`] to the newest are not candidates). A gap between fixes
//! longer than [`PathHistoryConfig::max_gap_ms`] (a GNSS outage) restarts the history: the path
//! driven in the gap is unknown, and a straight chord across it could break the error bound.
use alloc::collections::VecDeque;
use alloc::vec::Vec;

use crate::geo::{WGS84_A_M, WGS84_E2};
use crate::math::{cos, sin, sqrt};
use crate::time::Timestamp;

/// Most fixes held between two history points; reaching it makes a history point.
pub const MAX_PENDING: usize = 512;

/// Parameters of the path history.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PathHistoryConfig {
    /// Largest distance of a fix from the polyline, m. SAE J2945/1-2020 requires the path
    /// within 1 m of the history; the default leaves 0.2 m for the minimum spacing and the
    /// wire's 1e-7° quantisation.
    pub allowable_error_m: f64,
    /// Distance the history covers at least, once driven, m (J2945/1: 200).
    pub min_distance_m: f64,
    /// Longest chord between two history points, m (J2945/1: 210).
    pub max_chord_m: f64,
    /// Most history points (T/CSAE 53: 1..=23).
    pub max_points: usize,
    /// A fix closer than this to the newest fix is not a candidate point, m.
    pub min_spacing_m: f64,
    /// A longer gap between fixes restarts the history, ms.
    pub max_gap_ms: u32,
}

impl Default for PathHistoryConfig {
    fn default() -> Self {
        PathHistoryConfig {
            allowable_error_m: 0.8,
            min_distance_m: 200.0,
            max_chord_m: 210.0,
            max_points: 23,
            min_spacing_m: 0.1,
            max_gap_ms: 1000,
        }
    }
}

/// A point of the path: a position fix.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PathPoint {
    /// Time of the fix.
    pub time: Timestamp,
    /// Latitude, degrees.
    pub lat_deg: f64,
    /// Longitude, degrees.
    pub lon_deg: f64,
    /// Elevation, m.
    pub elevation_m: Option<f64>,
}

/// Metres per degree of latitude and of longitude around a latitude (WGS-84 meridian and
/// prime-vertical radii): a local tangent plane good to millimetres over a few hundred metres.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LocalPlane {
    m_per_deg_lat: f64,
    m_per_deg_lon: f64,
}

impl LocalPlane {
    pub(crate) fn at(lat_deg: f64) -> Self {
        let phi = lat_deg.to_radians();
        let s = sin(phi);
        let w2 = 1.0 - WGS84_E2 * s * s;
        let w = sqrt(w2);
        let meridian = WGS84_A_M * (1.0 - WGS84_E2) / (w2 * w);
        let prime = WGS84_A_M / w;
        let deg = core::f64::consts::PI / 180.0;
        LocalPlane {
            m_per_deg_lat: meridian * deg,
            m_per_deg_lon: prime * cos(phi) * deg,
        }
    }

    /// (east, north) of `p` from `origin`, m.
    pub(crate) fn xy(&self, origin: &PathPoint, p: &PathPoint) -> (f64, f64) {
        let mut dlon = p.lon_deg - origin.lon_deg;
        if dlon > 180.0 {
            dlon -= 360.0;
        } else if dlon < -180.0 {
            dlon += 360.0;
        }
        (
            dlon * self.m_per_deg_lon,
            (p.lat_deg - origin.lat_deg) * self.m_per_deg_lat,
        )
    }
}

/// Distance between two points, m.
pub(crate) fn distance_m(a: &PathPoint, b: &PathPoint) -> f64 {
    let plane = LocalPlane::at(0.5 * (a.lat_deg + b.lat_deg));
    let (x, y) = plane.xy(a, b);
    sqrt(x * x + y * y)
}

/// Distance of `p` from the segment `a → b`, m.
pub(crate) fn segment_distance_m(a: &PathPoint, b: &PathPoint, p: &PathPoint) -> f64 {
    let plane = LocalPlane::at(a.lat_deg);
    let (bx, by) = plane.xy(a, b);
    let (px, py) = plane.xy(a, p);
    let len2 = bx * bx + by * by;
    let u = if len2 > 0.0 {
        ((px * bx + py * by) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (dx, dy) = (px - u * bx, py - u * by);
    sqrt(dx * dx + dy * dy)
}

/// The path history of one pseudonym.
#[derive(Debug, Clone)]
pub struct PathHistory {
    config: PathHistoryConfig,
    /// History points, oldest first; the last one is `P_start`.
    points: VecDeque<PathPoint>,
    /// Fixes after `P_start` and before the newest fix.
    pending: Vec<PathPoint>,
    /// The newest fix (`P_next` of the next step).
    newest: Option<PathPoint>,
}

impl PathHistory {
    /// An empty history.
    pub fn new(config: PathHistoryConfig) -> Self {
        PathHistory {
            config,
            points: VecDeque::with_capacity(config.max_points.saturating_add(1)),
            pending: Vec::new(),
            newest: None,
        }
    }

    /// Forgets everything (a pseudonym change, a GNSS outage).
    pub fn clear(&mut self) {
        self.points.clear();
        self.pending.clear();
        self.newest = None;
    }

    /// The newest fix taken.
    pub fn newest(&self) -> Option<&PathPoint> {
        self.newest.as_ref()
    }

    /// Takes a fix. Fixes must come in time order: one not later than the newest is ignored.
    pub fn push(&mut self, p: PathPoint) {
        let Some(newest) = self.newest else {
            self.points.push_back(p);
            self.newest = Some(p);
            return;
        };
        let gap_us = p.time.micros_since(newest.time);
        if gap_us <= 0 {
            return;
        }
        if gap_us > i64::from(self.config.max_gap_ms) * 1000 {
            self.clear();
            self.push(p);
            return;
        }
        if distance_m(&newest, &p) < self.config.min_spacing_m {
            return;
        }
        let Some(start) = self.points.back().copied() else {
            // Unreachable: a history with a newest fix has a point. Restart to stay sound.
            self.clear();
            self.push(p);
            return;
        };
        // `newest` is P_prev, `p` is P_next.
        let keep_prev = newest.time > start.time
            && (self.pending.len() >= MAX_PENDING
                || distance_m(&start, &p) > self.config.max_chord_m
                || self
                    .pending
                    .iter()
                    .chain(core::iter::once(&newest))
                    .any(|q| segment_distance_m(&start, &p, q) > self.config.allowable_error_m));
        if keep_prev {
            self.points.push_back(newest);
            self.pending.clear();
        } else if newest.time > start.time {
            self.pending.push(newest);
        }
        self.newest = Some(p);
        self.trim();
    }

    /// Drops the oldest points the polyline can do without.
    fn trim(&mut self) {
        let Some(newest) = self.newest else {
            return;
        };
        // Length of the polyline newest fix → points (newest first).
        let mut total = 0.0;
        let mut prev = newest;
        for p in self.points.iter().rev() {
            total += distance_m(&prev, p);
            prev = *p;
        }
        while self.points.len() > 1 {
            let (Some(oldest), Some(second)) = (self.points.front(), self.points.get(1)) else {
                break;
            };
            let last_leg = distance_m(second, oldest);
            if total - last_leg < self.config.min_distance_m
                && self.points.len() <= self.config.max_points
            {
                break;
            }
            total -= last_leg;
            self.points.pop_front();
        }
    }

    /// The history points before `reference` (the time of the message's own position),
    /// newest first, at most [`PathHistoryConfig::max_points`].
    pub fn points_before(&self, reference: Timestamp) -> impl Iterator<Item = &PathPoint> {
        self.points
            .iter()
            .rev()
            .filter(move |p| p.time < reference)
            .take(self.config.max_points)
    }

    /// Number of history points.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether the history holds no point.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::Wgs84;

    fn at(origin: &Wgs84, t_s: f64, east: f64, north: f64) -> PathPoint {
        let w = origin.offset_enu(east, north, 0.0).unwrap();
        PathPoint {
            time: Timestamp::from_micros((t_s * 1e6) as i64),
            lat_deg: w.lat_deg,
            lon_deg: w.lon_deg,
            elevation_m: None,
        }
    }

    /// The largest distance of the fixes to the polyline newest fix → points.
    fn worst_error(h: &PathHistory, fixes: &[PathPoint]) -> (f64, f64) {
        let newest = *h.newest().unwrap();
        let mut line = vec![newest];
        line.extend(h.points_before(newest.time).copied());
        let oldest = line.last().unwrap().time;
        let mut worst: f64 = 0.0;
        for f in fixes.iter().filter(|f| f.time >= oldest) {
            let d = line
                .windows(2)
                .map(|w| segment_distance_m(&w[0], &w[1], f))
                .fold(f64::INFINITY, f64::min);
            worst = worst.max(if line.len() == 1 { 0.0 } else { d });
        }
        let covered = line.windows(2).map(|w| distance_m(&w[0], &w[1])).sum();
        (worst, covered)
    }

    #[test]
    fn a_straight_road_needs_few_points_and_covers_200_m() {
        let o = Wgs84::new(31.2, 121.5, 0.0);
        let mut h = PathHistory::new(PathHistoryConfig::default());
        let mut fixes = Vec::new();
        for k in 0..600 {
            // 20 m/s due east, 10 Hz
            let p = at(&o, k as f64 * 0.1, 2.0 * k as f64, 0.0);
            fixes.push(p);
            h.push(p);
        }
        let (err, covered) = worst_error(&h, &fixes);
        assert!(err < 0.05, "{err}");
        assert!((200.0..=410.0).contains(&covered), "{covered}");
        assert!(h.len() <= 3, "{}", h.len());
    }

    #[test]
    fn a_curve_stays_within_the_error_and_the_point_limit() {
        let o = Wgs84::new(39.9, 116.4, 0.0);
        for radius in [30.0, 100.0, 400.0] {
            let mut h = PathHistory::new(PathHistoryConfig::default());
            let mut fixes = Vec::new();
            let v = 15.0;
            for k in 0..900 {
                let t = k as f64 * 0.1;
                let a = v * t / radius;
                let p = at(&o, t, radius * a.sin(), radius * (1.0 - a.cos()));
                fixes.push(p);
                h.push(p);
                let (err, covered) = worst_error(&h, &fixes);
                assert!(err <= 0.8 + 1e-9, "r {radius} t {t}: {err}");
                assert!(h.len() <= 23);
                // the polyline is a little shorter than the arc it follows
                if v * t >= 215.0 && h.len() < 23 {
                    assert!(covered >= 200.0, "r {radius} t {t}: {covered}");
                }
            }
        }
    }

    #[test]
    fn outages_restart_and_standstill_adds_nothing() {
        let o = Wgs84::new(39.9, 116.4, 0.0);
        let mut h = PathHistory::new(PathHistoryConfig::default());
        for k in 0..100 {
            h.push(at(&o, k as f64 * 0.1, k as f64, 0.0));
        }
        assert!(!h.is_empty());
        // stopped for ten minutes: no new points, no growth
        let stop = at(&o, 10.0, 100.0, 0.0);
        h.push(stop);
        let n = h.len();
        for k in 0..6000 {
            h.push(at(
                &o,
                10.0 + k as f64 * 0.1,
                100.0 + 0.01 * (k % 3) as f64,
                0.0,
            ));
        }
        assert_eq!(h.len(), n);
        assert!(h.pending.len() < MAX_PENDING);
        // a 5 s gap starts over
        h.push(at(&o, 700.0, 300.0, 0.0));
        assert_eq!(h.len(), 1);
        assert_eq!(
            h.points_before(Timestamp::from_micros(700_000_000)).count(),
            0
        );
        // time going backwards is ignored
        h.push(at(&o, 600.0, 0.0, 0.0));
        assert_eq!(
            h.newest().unwrap().time,
            Timestamp::from_micros(700_000_000)
        );
    }

    #[test]
    fn a_zigzag_never_holds_more_than_the_limit() {
        let o = Wgs84::new(39.9, 116.4, 0.0);
        let mut h = PathHistory::new(PathHistoryConfig::default());
        for k in 0..2000 {
            let north = if k % 2 == 0 { 0.0 } else { 5.0 };
            h.push(at(&o, k as f64 * 0.1, k as f64 * 0.5, north));
            assert!(h.len() <= 23);
        }
    }
}
