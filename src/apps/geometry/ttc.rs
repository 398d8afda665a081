//! Times to collision and to conflict: one-dimensional closing with acceleration until stop,
//! travel times, crossing points of two paths, occupancy windows of a conflict zone, closest
//! approach.
use super::frame::{EgoFrame, Relative};
use super::lanes::in_corridor;
use super::vector::{V2, cross, dot, norm};
use crate::math::{abs, sqrt};

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

/// The smallest constant deceleration (m/s², ≥ 0) of a follower at `v_follow` that keeps it
/// from closing a gap of `gap_m` to a lead at `v_lead` with acceleration `a_lead` (both
/// stopping, never reversing): 0 when no braking is needed. `None` when the gap is already
/// closed (≤ 0 while the follower is faster), when no deceleration up to 100 m/s² avoids the
/// contact, or for non-finite input.
pub fn required_decel(gap_m: f64, v_follow: f64, v_lead: f64, a_lead: f64) -> Option<f64> {
    const HORIZON_S: f64 = 60.0;
    if ![gap_m, v_follow, v_lead, a_lead]
        .iter()
        .all(|x| x.is_finite())
    {
        return None;
    }
    let hits = |a: f64| ttc_1d(gap_m, v_follow, -a, v_lead, a_lead, HORIZON_S).is_some();
    if !hits(0.0) {
        return Some(0.0);
    }
    if gap_m <= 0.0 || hits(100.0) {
        return None;
    }
    // Bisection: `hits` is monotone in the deceleration.
    let (mut lo, mut hi) = (0.0f64, 100.0f64);
    for _ in 0..40 {
        let mid = 0.5 * (lo + hi);
        if hits(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(hi)
}

/// The deceleration (m/s², ≥ 0) that stops a vehicle at `v` within `distance_m`: `v²/2d`;
/// `None` when the distance is not positive while moving, or for non-finite input.
pub fn stopping_decel(v: f64, distance_m: f64) -> Option<f64> {
    if !(v.is_finite() && distance_m.is_finite()) {
        return None;
    }
    let v = v.max(0.0);
    if v == 0.0 {
        return Some(0.0);
    }
    (distance_m > 0.0).then(|| v * v / (2.0 * distance_m))
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

/// The deceleration the ego needs to avoid an object ahead in its corridor (as
/// [`corridor_ttc`] sees it: the object keeps its speed along the ego axis).
pub fn corridor_decel(frame: &EgoFrame, rel: &Relative) -> Option<f64> {
    required_decel(
        rel.gap_ahead_m(frame),
        frame.speed_mps,
        rel.vel_local[0].max(0.0),
        0.0,
    )
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
