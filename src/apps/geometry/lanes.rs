//! Lane-width gates of the object applications: the ego's corridor, its lane and the adjacent
//! ones (3.5 m lanes), and which objects travel the ego's way.
use super::frame::{Direction, EgoFrame, Relative};
use crate::fusion::FusedObject;
use crate::geo::wrap_deg;
use crate::math::{abs, atan2};

/// Lateral half-width of a lane used by the gates, m (3.5 m lanes).
pub const LANE_HALF_WIDTH_M: f64 = 1.75;

/// Whether an object overlaps the ego's corridor: `|path offset| ≤ ego half width + object half
/// width + margin`.
pub fn in_corridor(frame: &EgoFrame, rel: &Relative, margin_m: f64) -> bool {
    abs(rel.path_offset_m) <= frame.half_width_m + rel.width_m / 2.0 + margin_m
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
