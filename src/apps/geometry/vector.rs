//! 2-D vector helpers for ENU and ego-frame vectors.
use crate::math::{cos, hypot, sin};

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
