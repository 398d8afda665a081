//! Geometry shared by the object applications: the ego frame and objects seen from it
//! ([`frame`]), lane gates ([`lanes`]), times to collision and to conflict ([`ttc`]), and
//! vector helpers ([`vector`]). Every function returns `None` (or "no hazard") rather than
//! panicking on non-finite input.
pub mod frame;
pub mod lanes;
pub mod ttc;
pub mod vector;

pub use frame::*;
pub use lanes::*;
pub use ttc::*;
pub use vector::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apps::Ego;

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
    fn required_deceleration() {
        // 20 m/s onto a stopped lead 40 m away: v²/2d = 5 m/s².
        let d = required_decel(40.0, 20.0, 0.0, 0.0).unwrap();
        assert!((d - 5.0).abs() < 1e-3, "{d}");
        // Closing 10 m/s on a lead at 10 m/s over 25 m: (Δv)²/2d = 2 m/s².
        let d = required_decel(25.0, 20.0, 10.0, 0.0).unwrap();
        assert!((d - 2.0).abs() < 1e-3, "{d}");
        // A lead braking at 4 m/s² from 20 m/s, 30 m ahead, ego at 20 m/s: the ego must stop
        // in 30 + 50 m: 400/160 = 2.5 m/s².
        let d = required_decel(30.0, 20.0, 20.0, -4.0).unwrap();
        assert!((d - 2.5).abs() < 1e-3, "{d}");
        // Not closing: no braking needed.
        assert_eq!(required_decel(30.0, 10.0, 15.0, 0.0), Some(0.0));
        // Already touching: none avoids it.
        assert_eq!(required_decel(-1.0, 10.0, 0.0, 0.0), None);
        assert_eq!(required_decel(f64::NAN, 10.0, 0.0, 0.0), None);
        assert_eq!(stopping_decel(10.0, 25.0), Some(2.0));
        assert_eq!(stopping_decel(10.0, 0.0), None);
        assert_eq!(stopping_decel(0.0, 0.0), Some(0.0));
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
