//! The ego frame and objects seen from it.
//!
//! The *ego frame* has its origin at the ego's reference point (the centre of the vehicle),
//! `lon` forward along the ego heading and `lat` to the **left**, both in metres. Relative
//! headings are in degrees in (-180, 180], positive when the object points to the left of the
//! ego heading (counter-clockwise).
use super::vector::{V2, dot, heading_unit, norm};
use crate::apps::{Ego, ObjectContext, WorldObject};
use crate::fusion::{FusedObject, ObjectClass};
use crate::math::{abs, atan2, sqrt};

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

/// Acceleration of `rel` along its own velocity (negative = braking), m/s², clamped to
/// ±12 m/s²: the fusion core's estimate of the track; 0 when the track has none yet or the
/// object does not move.
pub fn tangential_accel(rel: &Relative) -> f64 {
    match rel.track_accel_mps2 {
        Some(a) if rel.moving => a.clamp(-12.0, 12.0),
        _ => 0.0,
    }
}
