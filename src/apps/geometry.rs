//! Geometry shared by the object applications: the ego frame, lane-relative offsets, time to
//! collision with relative acceleration, time to a crossing point, predicted closest approach.
//!
//! Conventions: the *ego frame* has its origin at the ego's reference point (the centre of the
//! vehicle), `lon` forward along the ego heading and `lat` to the **left**, both in metres.
//! Relative headings are in degrees in (-180, 180], positive when the object points to the
//! left of the ego heading (counter-clockwise). Every function returns `None` (or "no hazard")
//! rather than panicking on non-finite input.

use super::{Ego, ObjectContext, WorldObject};
use crate::fusion::{FusedObject, ObjectClass};
pub use crate::geo::wrap_deg;
use crate::math::{abs, atan2, cos, hypot, sin, sqrt};

/// A 2-D vector `[x, y]`.
pub type V2 = [f64; 2];

/// Dot product.
pub fn dot(a: V2, b: V2) -> f64 {
    a[0] * b[0] + a[1] * b[1]
}

/// 2-D cross product (z component).
pub fn cross(a: V2, b: V2) -> f64 {
    a[0] * b[1] - a[1] * b[0]
}

/// Length.
pub fn norm(a: V2) -> f64 {
    hypot(a[0], a[1])
}

/// Unit vector (ENU) of a CSAE heading (degrees, 0 = north, clockwise).
pub fn heading_unit(heading_deg: f64) -> V2 {
    let h = heading_deg.to_radians();
    [sin(h), cos(h)]
}

/// Largest path curvature used for the ego's predicted path, 1/m (radius 10 m).
pub const MAX_CURVATURE_PER_M: f64 = 0.1;

/// The ego's frame and motion, precomputed for one evaluation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EgoFrame {
    /// ENU position of the ego reference point, m.
    pub origin: V2,
    /// Unit forward vector (ENU).
    pub forward: V2,
    /// Unit left vector (ENU).
    pub left: V2,
    /// Speed, m/s (non-negative).
    pub speed_mps: f64,
    /// Longitudinal acceleration, m/s².
    pub accel_mps2: f64,
    /// Yaw rate, degrees/s, positive to the **left** (counter-clockwise).
    pub yaw_left_dps: f64,
    /// Path curvature, 1/m, positive to the left; 0 when the ego is (nearly) not yawing or
    /// slower than 2 m/s.
    pub curvature_per_m: f64,
    /// Half length, m.
    pub half_length_m: f64,
    /// Half width, m.
    pub half_width_m: f64,
}

/// Default ego length when the state gives none, m.
pub const DEFAULT_EGO_LENGTH_M: f64 = 4.8;
/// Default ego width when the state gives none, m.
pub const DEFAULT_EGO_WIDTH_M: f64 = 1.9;

impl EgoFrame {
    /// The frame of `ego`; `None` when its position, heading or speed is not finite.
    /// Non-finite acceleration or yaw rate count as 0; missing or implausible dimensions take
    /// the defaults.
    pub fn new(ego: &Ego) -> Option<Self> {
        let [x, y] = ego.position_enu;
        if !(x.is_finite() && y.is_finite() && ego.heading_deg.is_finite()) {
            return None;
        }
        if !ego.speed_mps.is_finite() {
            return None;
        }
        let forward = heading_unit(ego.heading_deg);
        let left = [-forward[1], forward[0]];
        let speed = ego.speed_mps.max(0.0);
        let accel = if ego.accel_mps2.is_finite() {
            ego.accel_mps2.clamp(-15.0, 10.0)
        } else {
            0.0
        };
        let yaw_left = if ego.yaw_rate_dps.is_finite() {
            -ego.yaw_rate_dps
        } else {
            0.0
        };
        let curvature = if speed > 2.0 && abs(yaw_left) > 1.0 {
            (yaw_left.to_radians() / speed).clamp(-MAX_CURVATURE_PER_M, MAX_CURVATURE_PER_M)
        } else {
            0.0
        };
        let dim = |v: f64, d: f64| {
            if v.is_finite() && v > 0.5 && v < 30.0 {
                v
            } else {
                d
            }
        };
        Some(EgoFrame {
            origin: [x, y],
            forward,
            left,
            speed_mps: speed,
            accel_mps2: accel,
            yaw_left_dps: yaw_left,
            curvature_per_m: curvature,
            half_length_m: dim(ego.length_m, DEFAULT_EGO_LENGTH_M) / 2.0,
            half_width_m: dim(ego.width_m, DEFAULT_EGO_WIDTH_M) / 2.0,
        })
    }

    /// ENU point → ego frame `[lon, lat]`.
    pub fn to_local(self, p: V2) -> V2 {
        let d = [p[0] - self.origin[0], p[1] - self.origin[1]];
        [dot(d, self.forward), dot(d, self.left)]
    }

    /// ENU vector → ego frame `[lon, lat]` components.
    pub fn vec_to_local(&self, v: V2) -> V2 {
        [dot(v, self.forward), dot(v, self.left)]
    }

    /// Ego frame point → ENU.
    pub fn to_enu(self, p: V2) -> V2 {
        [
            self.origin[0] + p[0] * self.forward[0] + p[1] * self.left[0],
            self.origin[1] + p[0] * self.forward[1] + p[1] * self.left[1],
        ]
    }

    /// Lateral offset (left positive) of the predicted path at `lon` metres ahead: a circular
    /// arc of the current curvature, approximated as `κ·lon²/2` (exact enough within the lane
    /// gates for the short ranges the apps look ahead).
    pub fn path_lat_at(&self, lon: f64) -> f64 {
        if lon <= 0.0 {
            return 0.0;
        }
        // Limit the look-ahead of the arc to a quarter turn.
        let reach = if self.curvature_per_m == 0.0 {
            lon
        } else {
            lon.min(1.0 / abs(self.curvature_per_m))
        };
        self.curvature_per_m * reach * reach / 2.0
    }

    /// Lateral offset of a point from the ego's predicted path (left positive), m.
    pub fn path_offset(&self, local: V2) -> f64 {
        local[1] - self.path_lat_at(local[0])
    }

    /// Whether the ego is turning left: signal or yaw rate above `yaw_dps` to the left.
    pub fn yawing_left(&self, yaw_dps: f64) -> bool {
        self.speed_mps > 1.0 && self.yaw_left_dps >= yaw_dps
    }
}

/// Broad direction of an object relative to the ego.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Not moving (speed below the moving threshold): its heading is not trusted.
    Stationary,
    /// Moving within 45° of the ego heading.
    Same,
    /// Moving within 45° of the opposite heading.
    Opposite,
    /// Moving across the ego's path from its left (heading to the right of the ego).
    CrossingFromLeft,
    /// Moving across the ego's path from its right.
    CrossingFromRight,
}

/// Default dimensions by class when the track carries no size: (length, width), m.
pub fn default_size(class: ObjectClass) -> (f64, f64) {
    match class {
        ObjectClass::Pedestrian => (0.6, 0.6),
        ObjectClass::NonMotor => (1.8, 0.7),
        ObjectClass::Motor | ObjectClass::Unknown | ObjectClass::Rsu => (4.5, 1.8),
    }
}

/// Moving threshold, m/s: slower objects count as stationary and their heading is ignored.
pub const MOVING_MIN_MPS: f64 = 1.0;
/// Moving threshold for pedestrians and cyclists, m/s.
pub const VRU_MOVING_MIN_MPS: f64 = 0.4;

/// A fused object seen from the ego.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Relative {
    /// Track id.
    pub id: u32,
    /// Class.
    pub class: ObjectClass,
    /// ENU position, m.
    pub position_enu: V2,
    /// ENU velocity, m/s (zero when [`Relative::moving`] is false).
    pub velocity_enu: V2,
    /// Position in the ego frame `[lon, lat]`, m.
    pub local: V2,
    /// Velocity over ground in ego axes `[lon, lat]`, m/s (zero when stationary).
    pub vel_local: V2,
    /// Speed, m/s (zero when stationary).
    pub speed_mps: f64,
    /// Whether the object moves (speed ≥ threshold and ≥ 2σ of its velocity uncertainty).
    pub moving: bool,
    /// Heading of its velocity relative to the ego heading, degrees, left positive; `None`
    /// when stationary.
    pub rel_heading_deg: Option<f64>,
    /// Direction class.
    pub direction: Direction,
    /// Length, m (reported or by class).
    pub length_m: f64,
    /// Width, m (reported or by class).
    pub width_m: f64,
    /// Lateral offset from the ego's predicted path, m, left positive.
    pub path_offset_m: f64,
    /// Distance between the reference points, m.
    pub range_m: f64,
    /// Seen only through V2X.
    pub v2x_only: bool,
    /// The fusion core's estimate of its acceleration along its motion, m/s², when it has one.
    pub track_accel_mps2: Option<f64>,
}

impl Relative {
    /// The object's position and motion in `frame`; `None` when its position or velocity is
    /// not finite.
    pub fn new(frame: &EgoFrame, obj: &FusedObject) -> Option<Self> {
        let p = [obj.position_enu.x, obj.position_enu.y];
        let v = [obj.velocity_enu.x, obj.velocity_enu.y];
        if !(p[0].is_finite() && p[1].is_finite() && v[0].is_finite() && v[1].is_finite()) {
            return None;
        }
        let speed = norm(v);
        // Speed uncertainty: the velocity variance along the direction of motion (the
        // variance across it is heading uncertainty and says nothing about standing still).
        let sigma = {
            let c = &obj.velocity_cov;
            let m = if speed > 1e-9 {
                let u = [v[0] / speed, v[1] / speed];
                u[0] * u[0] * c[(0, 0)] + 2.0 * u[0] * u[1] * c[(0, 1)] + u[1] * u[1] * c[(1, 1)]
            } else {
                0.0
            };
            if m.is_finite() && m > 0.0 {
                sqrt(m)
            } else {
                0.0
            }
        };
        let min = match obj.class {
            ObjectClass::Pedestrian | ObjectClass::NonMotor => VRU_MOVING_MIN_MPS,
            _ => MOVING_MIN_MPS,
        };
        // A vehicle must be faster than twice its velocity σ; a pedestrian or cyclist, whose
        // fused velocity is much less certain relative to its speed, than once.
        let k_sigma = if min == VRU_MOVING_MIN_MPS { 1.0 } else { 2.0 };
        let moving = speed >= min && speed >= k_sigma * sigma;
        let velocity_enu = if moving { v } else { [0.0, 0.0] };
        let local = frame.to_local(p);
        let vel_local = frame.vec_to_local(velocity_enu);
        let rel_heading = if moving {
            Some(atan2(vel_local[1], vel_local[0]).to_degrees())
        } else {
            None
        };
        let direction = match rel_heading {
            None => Direction::Stationary,
            Some(h) if abs(h) <= 45.0 => Direction::Same,
            Some(h) if abs(h) >= 135.0 => Direction::Opposite,
            // Velocity pointing to the ego's right (negative) while coming from the left.
            Some(h) if h < 0.0 => Direction::CrossingFromLeft,
            Some(_) => Direction::CrossingFromRight,
        };
        let (dl, dw) = default_size(obj.class);
        let (length, width) = match obj.size {
            Some(s)
                if s.length_m.is_finite()
                    && s.width_m.is_finite()
                    && s.length_m > 0.1
                    && s.width_m > 0.1 =>
            {
                (s.length_m.min(30.0), s.width_m.min(5.0))
            }
            _ => (dl, dw),
        };
        Some(Relative {
            id: obj.id,
            class: obj.class,
            position_enu: p,
            velocity_enu,
            local,
            vel_local,
            speed_mps: if moving { speed } else { 0.0 },
            moving,
            rel_heading_deg: rel_heading,
            direction,
            length_m: length,
            width_m: width,
            path_offset_m: frame.path_offset(local),
            range_m: norm(local),
            v2x_only: obj.v2x_only,
            track_accel_mps2: obj.accel.map(|a| a.accel_mps2).filter(|a| a.is_finite()),
        })
    }

    /// Bumper-to-bumper gap to an object ahead along the ego axis, m (negative when they
    /// overlap longitudinally).
    pub fn gap_ahead_m(&self, frame: &EgoFrame) -> f64 {
        self.local[0] - frame.half_length_m - self.length_m / 2.0
    }

    /// Whether this is the ego itself reported back (by a roadside unit that saw it, for
    /// example) and not filtered out upstream: its centre within the ego's footprint (plus
    /// 1.5 m lengthwise and 0.8 m across, room for report latency) and its velocity within
    /// 3 m/s of the ego's. No real object can be there.
    pub fn is_ego_echo(&self, frame: &EgoFrame) -> bool {
        let dv = [self.vel_local[0] - frame.speed_mps, self.vel_local[1]];
        abs(self.local[0]) <= frame.half_length_m + 1.5
            && abs(self.local[1]) <= frame.half_width_m + 0.8
            && norm(dv) <= 3.0
    }

    /// Whether the object is a vehicle (motor or unknown class).
    pub fn is_vehicle(&self) -> bool {
        matches!(self.class, ObjectClass::Motor | ObjectClass::Unknown)
    }

    /// Whether the object is a pedestrian or a cyclist.
    pub fn is_vru(&self) -> bool {
        matches!(self.class, ObjectClass::Pedestrian | ObjectClass::NonMotor)
    }

    /// Range rate, m/s: negative when the distance shrinks.
    pub fn range_rate_mps(&self, frame: &EgoFrame) -> f64 {
        let rel_v = [self.vel_local[0] - frame.speed_mps, self.vel_local[1]];
        if self.range_m < 1e-6 {
            return 0.0;
        }
        dot(self.local, rel_v) / self.range_m
    }
}

/// The objects with a finite state as seen from `frame`, without echoes of the ego
/// ([`Relative::is_ego_echo`]).
pub fn relatives<'a>(
    frame: &'a EgoFrame,
    cx: &ObjectContext<'a>,
) -> impl Iterator<Item = (WorldObject<'a>, Relative)> + 'a {
    cx.world_objects().filter_map(move |wo| {
        let rel = Relative::new(frame, wo.object)?;
        (!rel.is_ego_echo(frame)).then_some((wo, rel))
    })
}

/// Lateral half-width of a lane used by the gates, m (3.5 m lanes).
pub const LANE_HALF_WIDTH_M: f64 = 1.75;

/// Whether an object overlaps the ego's corridor: `|path offset| ≤ ego half width + object half
/// width + margin`.
pub fn in_corridor(frame: &EgoFrame, rel: &Relative, margin_m: f64) -> bool {
    abs(rel.path_offset_m) <= frame.half_width_m + rel.width_m / 2.0 + margin_m
}

/// Earliest time `t ∈ [0, horizon]` at which a follower closes a gap of `gap_m` to a lead on
/// the same line, both moving with constant acceleration until they stop (neither reverses).
/// `None` when they do not meet within the horizon or an input is not finite. A gap ≤ 0
/// gives `Some(0)` when the follower is faster, else `None`.
pub fn ttc_1d(
    gap_m: f64,
    v_follow: f64,
    a_follow: f64,
    v_lead: f64,
    a_lead: f64,
    horizon_s: f64,
) -> Option<f64> {
    let all = [gap_m, v_follow, a_follow, v_lead, a_lead, horizon_s];
    if all.iter().any(|x| !x.is_finite()) || horizon_s <= 0.0 {
        return None;
    }
    let vf = v_follow.max(0.0);
    let vl = v_lead.max(0.0);
    if gap_m <= 0.0 {
        return if vf > vl { Some(0.0) } else { None };
    }
    // Stop times (infinite when not decelerating).
    let stop = |v: f64, a: f64| if a < 0.0 { v / -a } else { f64::INFINITY };
    let tf = stop(vf, a_follow);
    let tl = stop(vl, a_lead);
    let mut breaks = [tf, tl, horizon_s];
    breaks.sort_by(|a, b| a.partial_cmp(b).unwrap_or(core::cmp::Ordering::Equal));
    // State at the start of each interval.
    let pos = |v: f64, a: f64, ts: f64, t: f64| {
        let t = t.min(ts);
        v * t + 0.5 * a * t * t
    };
    let vel = |v: f64, a: f64, ts: f64, t: f64| if t >= ts { 0.0 } else { v + a * t };
    let mut t0 = 0.0_f64;
    for &t1 in &breaks {
        let t1 = t1.min(horizon_s);
        if t1 < t0 {
            continue;
        }
        let af = if t0 >= tf { 0.0 } else { a_follow };
        let al = if t0 >= tl { 0.0 } else { a_lead };
        // D(τ) = closing distance so far − gap.
        let c = pos(vf, a_follow, tf, t0) - pos(vl, a_lead, tl, t0) - gap_m;
        if c >= 0.0 {
            return Some(t0);
        }
        let b = vel(vf, a_follow, tf, t0) - vel(vl, a_lead, tl, t0);
        let a = 0.5 * (af - al);
        if let Some(tau) = first_root(a, b, c, t1 - t0) {
            return Some(t0 + tau);
        }
        t0 = t1;
        if t0 >= horizon_s {
            break;
        }
    }
    None
}

/// Smallest root in `[0, max]` of `a τ² + b τ + c = 0` where `c < 0` (the function starts
/// negative and the root is the first crossing to non-negative).
fn first_root(a: f64, b: f64, c: f64, max: f64) -> Option<f64> {
    let tau = if abs(a) < 1e-9 {
        if b <= 0.0 {
            return None;
        }
        -c / b
    } else {
        let disc = b * b - 4.0 * a * c;
        if disc < 0.0 {
            return None;
        }
        let sq = sqrt(disc);
        let r1 = (-b - sq) / (2.0 * a);
        let r2 = (-b + sq) / (2.0 * a);
        let (lo, hi) = if r1 <= r2 { (r1, r2) } else { (r2, r1) };
        if lo >= 0.0 {
            lo
        } else if hi >= 0.0 {
            hi
        } else {
            return None;
        }
    };
    if tau.is_finite() && tau >= 0.0 && tau <= max {
        Some(tau)
    } else {
        None
    }
}

/// Time to travel `distance_m` from speed `v` with constant acceleration `a` (stopping, never
/// reversing); `Some(0)` when the distance is ≤ 0; `None` when never reached within the
/// horizon.
pub fn time_to_travel(distance_m: f64, v: f64, a: f64, horizon_s: f64) -> Option<f64> {
    if distance_m <= 0.0 {
        return if distance_m.is_finite() {
            Some(0.0)
        } else {
            None
        };
    }
    ttc_1d(distance_m, v, a, 0.0, 0.0, horizon_s)
}

/// Where two straight paths cross: paths `p1 + s1·d1` and `p2 + s2·d2` with unit directions;
/// returns `(s1, s2)`, the signed distances along each to the crossing point, or `None` when
/// the paths are (nearly) parallel (less than 10° apart).
pub fn crossing_point(p1: V2, d1: V2, p2: V2, d2: V2) -> Option<(f64, f64)> {
    let den = cross(d1, d2);
    if !den.is_finite() || abs(den) < 0.17 {
        return None;
    }
    let w = [p2[0] - p1[0], p2[1] - p1[1]];
    let s1 = cross(w, d2) / den;
    let s2 = cross(w, d1) / den;
    (s1.is_finite() && s2.is_finite()).then_some((s1, s2))
}

/// Occupancy window of a conflict zone: the times a vehicle at distance `s_m` (to the zone
/// centre, along its path) enters and leaves a zone of half-extent `half_zone_m` along its
/// path, with its own half length added. `None` when it never enters within the horizon or
/// has already left.
pub fn occupancy_window(
    s_m: f64,
    half_zone_m: f64,
    half_length_m: f64,
    v: f64,
    a: f64,
    horizon_s: f64,
) -> Option<(f64, f64)> {
    let reach = half_zone_m + half_length_m;
    if s_m + reach < 0.0 {
        return None;
    }
    let t_in = time_to_travel(s_m - reach, v, a, horizon_s)?;
    let t_out = time_to_travel(s_m + reach, v, a, horizon_s).unwrap_or(f64::INFINITY);
    Some((t_in, t_out))
}

/// Post-encroachment-style gap between two occupancy windows, s: 0 when they overlap.
pub fn window_gap_s(a: (f64, f64), b: (f64, f64)) -> f64 {
    (b.0 - a.1).max(a.0 - b.1).max(0.0)
}

/// Predicted closest approach of two points with constant velocities: relative position
/// `p` (other − own) and relative velocity `v`; returns `(t, distance)` with `t` limited to
/// `[0, horizon]`.
pub fn closest_approach(p: V2, v: V2, horizon_s: f64) -> (f64, f64) {
    let vv = dot(v, v);
    let t = if vv > 1e-9 {
        (-dot(p, v) / vv).clamp(0.0, horizon_s.max(0.0))
    } else {
        0.0
    };
    let d = norm([p[0] + v[0] * t, p[1] + v[1] * t]);
    (t, d)
}

/// Interval of `t ≥ 0` during which `|x0 + v t| ≤ half`; `None` when never (within the
/// horizon).
pub fn interval_within(x0: f64, v: f64, half: f64, horizon_s: f64) -> Option<(f64, f64)> {
    if !(x0.is_finite() && v.is_finite() && half.is_finite()) || half < 0.0 {
        return None;
    }
    let (lo, hi) = if abs(v) < 1e-9 {
        if abs(x0) <= half {
            (0.0, f64::INFINITY)
        } else {
            return None;
        }
    } else {
        let t1 = (-half - x0) / v;
        let t2 = (half - x0) / v;
        if t1 <= t2 { (t1, t2) } else { (t2, t1) }
    };
    let lo = lo.max(0.0);
    let hi = hi.min(horizon_s);
    (lo <= hi).then_some((lo, hi))
}

/// Acceleration of `rel` along its own velocity (negative = braking), m/s², clamped to
/// ±12 m/s²: the fusion core's estimate of the track; 0 when the track has none yet or the
/// object does not move.
pub fn tangential_accel(rel: &Relative) -> f64 {
    match rel.track_accel_mps2 {
        Some(a) if rel.moving => a.clamp(-12.0, 12.0),
        _ => 0.0,
    }
}

/// Lateral reach of the ego lane plus one adjacent lane on each side, from the path, m.
pub const ADJACENT_LANES_M: f64 = 5.5;
/// Lateral reach of the ego lane from the path, m (half a lane plus 0.5 m).
pub const OWN_LANE_M: f64 = LANE_HALF_WIDTH_M + 0.5;

/// Whether a vehicle travels the ego's way: moving within 45° of the ego heading, or
/// stationary and either in the ego lane or, beside it, with a reported heading within 120° of
/// the ego's. A stationary object's heading is only used to leave objects out (a flipped
/// heading can hide a parked car in the next lane, never raise a warning about one).
pub fn travels_ego_way(frame: &EgoFrame, rel: &Relative, obj: &FusedObject) -> bool {
    match rel.direction {
        Direction::Same => true,
        Direction::Stationary => {
            if abs(rel.path_offset_m) <= OWN_LANE_M {
                return true;
            }
            let ego_heading = atan2(frame.forward[0], frame.forward[1]).to_degrees();
            obj.heading_deg.is_finite() && abs(wrap_deg(obj.heading_deg - ego_heading)) <= 120.0
        }
        _ => false,
    }
}

/// Level bands of a time (to collision, to a conflict): **alert** at or under `alert_s`,
/// **warning** at or under `warning_s`, **advisory** at or under `advisory_s`; each band grows by
/// `hysteresis_s` while the target is latched at that level or above.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bands {
    /// Alert at or under this, s.
    pub alert_s: f64,
    /// Warning at or under this, s.
    pub warning_s: f64,
    /// Advisory at or under this, s.
    pub advisory_s: f64,
    /// Growth of each band while latched, s.
    pub hysteresis_s: f64,
}

impl Bands {
    /// The level of `value` for a target latched at `active`; `None` above every band or when
    /// `value` is not finite.
    pub fn level(&self, value: f64, active: Option<super::Level>) -> Option<super::Level> {
        use super::Level;
        use super::latch::widen;
        if !value.is_finite() {
            return None;
        }
        let h = self.hysteresis_s;
        [
            (Level::Alert, self.alert_s),
            (Level::Warning, self.warning_s),
            (Level::Advisory, self.advisory_s),
        ]
        .into_iter()
        .find(|(l, t)| value <= widen(active, *l, *t, *t + h))
        .map(|(l, _)| l)
    }
}

/// Constant-speed time to collision with an object ahead in the ego's corridor (0.3 m margin):
/// the ego's braking is counted, the object's acceleration is not. `None` when it is not in
/// the corridor ahead or not being closed on within 10 s.
pub fn corridor_ttc(frame: &EgoFrame, rel: &Relative) -> Option<f64> {
    if rel.local[0] <= 0.0 || !in_corridor(frame, rel, 0.3) {
        return None;
    }
    ttc_1d(
        rel.gap_ahead_m(frame),
        frame.speed_mps,
        frame.accel_mps2.min(0.0),
        rel.vel_local[0].max(0.0),
        0.0,
        10.0,
    )
}

/// Distance thresholds of a hazard reported ahead (AVW, CLW).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HazardAhead {
    /// Advisory within this range, m.
    pub advisory_range_m: f64,
    /// Warning within this range, m, or within `warning_time_s` of travel at the ego speed.
    pub warning_range_m: f64,
    /// Warning within this time of travel (capped at the advisory range), s.
    pub warning_time_s: f64,
    /// Alert when the constant-speed TTC in the ego corridor is at most this, s.
    pub alert_ttc_s: f64,
    /// Ranges grow by this while latched, m.
    pub range_hysteresis_m: f64,
}

impl Default for HazardAhead {
    fn default() -> Self {
        HazardAhead {
            advisory_range_m: 300.0,
            warning_range_m: 150.0,
            warning_time_s: 8.0,
            alert_ttc_s: 3.0,
            range_hysteresis_m: 10.0,
        }
    }
}

impl HazardAhead {
    /// Level of a hazard at `rel` (already known to be relevant), with the target's latched
    /// level for hysteresis.
    pub fn level(
        &self,
        frame: &EgoFrame,
        rel: &Relative,
        active: Option<super::Level>,
    ) -> Option<(super::Level, super::latch::Info)> {
        use super::Level;
        use super::latch::{Info, widen};
        let ttc = corridor_ttc(frame, rel);
        let h = self.range_hysteresis_m;
        let warn_range = self
            .warning_range_m
            .max(self.warning_time_s * frame.speed_mps)
            .min(self.advisory_range_m);
        let level = if ttc.is_some_and(|t| t <= self.alert_ttc_s) {
            Level::Alert
        } else if rel.range_m <= widen(active, Level::Warning, warn_range, warn_range + h) {
            Level::Warning
        } else if rel.range_m
            <= widen(
                active,
                Level::Advisory,
                self.advisory_range_m,
                self.advisory_range_m + h,
            )
        {
            Level::Advisory
        } else {
            return None;
        };
        Some((level, Info::of(rel, ttc, Some(rel.range_m))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ego(heading: f64) -> Ego {
        Ego {
            position_enu: [10.0, 20.0],
            speed_mps: 20.0,
            heading_deg: heading,
            length_m: 4.8,
            width_m: 1.9,
            ..Ego::default()
        }
    }

    #[test]
    fn frame_axes() {
        let f = EgoFrame::new(&ego(0.0)).unwrap();
        // North of the ego is ahead, west is left.
        let l = f.to_local([10.0, 30.0]);
        assert!((l[0] - 10.0).abs() < 1e-9 && l[1].abs() < 1e-9);
        let l = f.to_local([5.0, 20.0]);
        assert!(l[0].abs() < 1e-9 && (l[1] - 5.0).abs() < 1e-9);
        let f = EgoFrame::new(&ego(90.0)).unwrap();
        // Heading east: north is left.
        let l = f.to_local([10.0, 25.0]);
        assert!(l[0].abs() < 1e-9 && (l[1] - 5.0).abs() < 1e-9);
        let back = f.to_enu(l);
        assert!((back[0] - 10.0).abs() < 1e-9 && (back[1] - 25.0).abs() < 1e-9);
    }

    #[test]
    fn frame_rejects_non_finite() {
        let mut e = ego(0.0);
        e.speed_mps = f64::NAN;
        assert!(EgoFrame::new(&e).is_none());
        let mut e = ego(0.0);
        e.heading_deg = f64::INFINITY;
        assert!(EgoFrame::new(&e).is_none());
    }

    #[test]
    fn ttc_constant_speeds() {
        // 20 m/s onto a stopped lead 54 m away.
        let t = ttc_1d(54.0, 20.0, 0.0, 0.0, 0.0, 10.0).unwrap();
        assert!((t - 2.7).abs() < 1e-9);
        // Not closing.
        assert!(ttc_1d(30.0, 20.0, 0.0, 20.0, 0.0, 10.0).is_none());
        assert!(ttc_1d(30.0, 20.0, 0.0, 25.0, 0.0, 10.0).is_none());
        assert!(ttc_1d(f64::NAN, 20.0, 0.0, 0.0, 0.0, 10.0).is_none());
    }

    #[test]
    fn ttc_lead_decelerating_matches_closed_form() {
        // NHTSA lead-decelerating case: both 20 m/s, 30 m, lead at 0.3 g.
        let a = 0.3 * 9.80665;
        let t = ttc_1d(30.0, 20.0, 0.0, 20.0, -a, 10.0).unwrap();
        assert!((t - (60.0 / a).sqrt()).abs() < 1e-6, "{t}");
    }

    #[test]
    fn ttc_lead_stops_first() {
        // Lead at 5 m/s braking 5 m/s² stops after 1 s having moved 2.5 m; ego at 10 m/s
        // covers 20 + 2.5 m in 2.25 s.
        let t = ttc_1d(20.0, 10.0, 0.0, 5.0, -5.0, 10.0).unwrap();
        assert!((t - 2.25).abs() < 1e-9, "{t}");
        // Ego braking stops short: no collision.
        assert!(ttc_1d(20.0, 10.0, -5.0, 0.0, 0.0, 10.0).is_none());
    }

    #[test]
    fn crossing_and_windows() {
        let (s1, s2) = crossing_point([0.0, 0.0], [0.0, 1.0], [-30.0, 40.0], [1.0, 0.0]).unwrap();
        assert!((s1 - 40.0).abs() < 1e-9 && (s2 - 30.0).abs() < 1e-9);
        assert!(crossing_point([0.0, 0.0], [0.0, 1.0], [5.0, 0.0], [0.0, 1.0]).is_none());
        let w1 = occupancy_window(40.0, 1.0, 2.4, 10.0, 0.0, 10.0).unwrap();
        let w2 = occupancy_window(35.0, 1.0, 2.25, 10.0, 0.0, 10.0).unwrap();
        assert!(window_gap_s(w1, w2) == 0.0);
        let w3 = occupancy_window(70.0, 1.0, 2.25, 10.0, 0.0, 10.0).unwrap();
        assert!(window_gap_s(w1, w3) > 2.0);
        assert!(occupancy_window(-10.0, 1.0, 2.0, 10.0, 0.0, 10.0).is_none());
    }

    #[test]
    fn closest() {
        let (t, d) = closest_approach([10.0, 2.0], [-5.0, 0.0], 10.0);
        assert!((t - 2.0).abs() < 1e-9 && (d - 2.0).abs() < 1e-9);
        assert_eq!(interval_within(5.0, -1.0, 1.0, 10.0), Some((4.0, 6.0)));
        assert_eq!(interval_within(5.0, 1.0, 1.0, 10.0), None);
    }
}
