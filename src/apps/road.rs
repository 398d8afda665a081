//! Road and signal applications: the interface ([`RoadApp`], [`RoadContext`]) and the registry
//! ([`road_apps`]) of the applications that read the MAP/SPAT and RSI stores rather than the
//! fused objects: RLVW, GLOSA, SLW, IVS, HLW.
use alloc::boxed::Box;
use alloc::vec::Vec;

use super::{AppId, Target, Warning};
use crate::geo::{EnuFrame, Wgs84};
use crate::time::Timestamp;
use crate::world::{Ego, LaneMatch, MapStore, RoadInfo, RsiStore, SignalInput};

/// Everything a road application reads in one evaluation.
#[derive(Debug, Clone, Copy)]
pub struct RoadContext<'a> {
    /// Evaluation time.
    pub now: Timestamp,
    /// The ego (ENU of `frame`).
    pub ego: &'a Ego,
    /// The ego's position in WGS-84.
    pub ego_wgs84: Wgs84,
    /// The incoming lane the ego is matched to, if any.
    pub lane: Option<&'a LaneMatch>,
    /// The signal of the matched lane's phase.
    pub signal: SignalInput<'a>,
    /// The MAP store.
    pub map: &'a MapStore,
    /// The RSI store.
    pub road_info: &'a RsiStore,
    /// The stack's ENU frame (targets are given in it).
    pub frame: &'a EnuFrame,
}

impl RoadContext<'_> {
    /// The place `place_id` at a WGS-84 position, in the stack's frame.
    pub fn place(&self, place_id: u64, p: &Wgs84) -> Target {
        match self.frame.enu_from_wgs84(p) {
            Ok(e) => Target::Place {
                place_id,
                position_enu: [e.x, e.y],
            },
            Err(_) => Target::Ego,
        }
    }

    /// The stop line of the matched lane as a place target.
    pub fn stop_line(&self, lane: &LaneMatch) -> Target {
        let (region, id) = lane.intersection;
        let id = super::place_id(&[
            b"stop line",
            &region.to_be_bytes(),
            &id.to_be_bytes(),
            &[lane.lane_id],
        ]);
        self.place(id, &lane.stop_line)
    }

    /// An RSI event or sign as a place target.
    pub fn road_info(&self, item: &RoadInfo) -> Target {
        let id = super::place_id(&[b"road info", &item.sender, &[item.kind as u8, item.item_id]]);
        self.place(id, &item.position_wgs84())
    }

    /// The type code and values of an RSI item, for the warning about it.
    pub fn road_code(item: &RoadInfo) -> super::RoadCode {
        super::RoadCode {
            kind: item.kind,
            code: item.code,
            value: item.value,
            priority: item.priority,
        }
    }

    /// A warning of `app` at `level` about `target` at the evaluation time.
    pub fn warning(&self, app: AppId, level: super::Level, target: Target) -> Warning {
        Warning::new(app, level, target, self.now)
    }
}

/// An application over the road: map, signal and road-side information. Implementations keep
/// their own hysteresis state between calls.
pub trait RoadApp: core::fmt::Debug + Send {
    /// Which application this is.
    fn id(&self) -> AppId;
    /// Evaluates at `cx.now` and appends raised warnings and advice to `out`.
    fn evaluate(&mut self, cx: &RoadContext<'_>, out: &mut Vec<Warning>);
}

/// The road applications with their default configuration.
pub fn road_apps() -> Vec<Box<dyn RoadApp>> {
    alloc::vec![
        Box::new(super::rlvw::Rlvw::default()) as Box<dyn RoadApp>,
        Box::new(super::glosa::Glosa::default()),
        Box::new(super::slw::Slw::default()),
        Box::new(super::ivs::Ivs::default()),
        Box::new(super::hlw::Hlw::default()),
    ]
}

/// Holds a warning level with hysteresis: the condition turns on after `on_ms`, stays on until
/// it has been absent for `off_ms`, and while on reports the latest raw level (the last one
/// seen while the condition is briefly absent).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct HeldLevel {
    hysteresis: super::Hysteresis,
    last: Option<super::Level>,
}

impl HeldLevel {
    /// A new, inactive holder.
    pub fn new(on_ms: i64, off_ms: i64) -> Self {
        HeldLevel {
            hysteresis: super::Hysteresis::new(on_ms, off_ms),
            last: None,
        }
    }

    /// Feeds the raw level at `now`; returns the level to report, if any.
    pub fn update(&mut self, raw: Option<super::Level>, now: Timestamp) -> Option<super::Level> {
        if raw.is_some() {
            self.last = raw;
        }
        if self.hysteresis.update(raw.is_some(), now) {
            self.last
        } else {
            if raw.is_none() {
                self.last = None;
            }
            None
        }
    }
}

/// Where a point lies relative to the ego: distance ahead along the ego's heading and lateral
/// offset (positive: left), m.
pub fn relative_to_ego(ego_local: [f64; 2], heading_deg: f64, p: [f64; 2]) -> (f64, f64) {
    let h = heading_deg.to_radians();
    let (ux, uy) = (crate::math::sin(h), crate::math::cos(h));
    let (dx, dy) = (p[0] - ego_local[0], p[1] - ego_local[1]);
    (dx * ux + dy * uy, ux * dy - uy * dx)
}

/// How an RSI item concerns the ego: on one of its reference paths (`Some(0.0)`), or that far
/// ahead of its start or of its position (m); `None` when it does not concern the ego (behind,
/// to the side, beyond `range_m`, or on a path in the other direction).
///
/// With reference paths: the ego is on a path when within the path radius of it and heading
/// within 45° of the path direction; it approaches the path when the path's first point lies
/// ahead within `range_m`, laterally within the path radius plus 5 % of the distance, and the
/// first segment runs within 45° of the ego's heading. Without paths: the item's position must
/// lie ahead within `range_m` (or within `radius_m` around the ego), laterally within
/// `max(radius_m, lateral_m)` plus 5 % of the distance.
pub fn item_relevance(
    item: &RoadInfo,
    ego: &Wgs84,
    heading_deg: f64,
    range_m: f64,
    lateral_m: f64,
) -> Option<f64> {
    use crate::math::{abs, atan2, floor, hypot};
    let e = item.frame.enu_from_wgs84(ego).ok()?;
    let p = [e.x, e.y];
    if !item.paths.is_empty() {
        let mut best: Option<f64> = None;
        for path in &item.paths {
            let herr = |h: f64| {
                let d = heading_deg - h;
                abs(d - 360.0 * floor((d + 180.0) / 360.0))
            };
            if let Some((_, lat, h)) = crate::world::lanes::project(&path.points, p) {
                if abs(lat) <= path.radius_m.max(2.0) && herr(h) <= 45.0 {
                    return Some(0.0);
                }
            }
            let (Some(a), Some(b)) = (path.points.first(), path.points.get(1)) else {
                // A one-point path is a place.
                if let Some(a) = path.points.first() {
                    let (al, la) = relative_to_ego(p, heading_deg, *a);
                    if (0.0..=range_m).contains(&al)
                        && abs(la) <= path.radius_m.max(lateral_m) + 0.05 * al
                    {
                        best = Some(best.map_or(al, |b: f64| b.min(al)));
                    }
                }
                continue;
            };
            let h0 = atan2(b[0] - a[0], b[1] - a[1]).to_degrees();
            let (al, la) = relative_to_ego(p, heading_deg, *a);
            if herr(h0) <= 45.0
                && (0.0..=range_m).contains(&al)
                && abs(la) <= path.radius_m.max(2.0) + 0.05 * al
            {
                best = Some(best.map_or(al, |b: f64| b.min(al)));
            }
        }
        return best;
    }
    let r = item.radius_m.unwrap_or(0.0);
    let (al, la) = relative_to_ego(p, heading_deg, item.position);
    if hypot(al, la) <= r {
        return Some(0.0);
    }
    if al < 0.0 || al - r > range_m {
        return None;
    }
    if abs(la) > r.max(lateral_m) + 0.05 * al {
        return None;
    }
    Some((hypot(al, la) - r).max(0.0))
}
