//! SI → wire units of the T/CSAE 53 data elements: the one place that scales, rounds,
//! saturates and writes "unavailable" codes for what the ego sends (the host vehicle's BSM and
//! SSM, the scenario runner's simulated road users). The reverse direction is [`super::units`].
//!
//! Rounding is to the nearest unit; values beyond a data element's range saturate at its
//! largest (or smallest) valid value, never wrap, and never land on an "unavailable" code.
use crate::geo::Wgs84;
use crate::math::{abs, floor};
use crate::msg::v2020 as m;
use crate::time::Timestamp;

/// `Speed` unavailable.
pub const SPEED_UNAVAILABLE: u16 = 8191;
/// `Heading` unavailable.
pub const HEADING_UNAVAILABLE: u16 = 28_800;
/// `Acceleration` unavailable.
pub const ACCEL_UNAVAILABLE: i16 = 2001;
/// `VerticalAcceleration` unavailable.
pub const VERT_ACCEL_UNAVAILABLE: i8 = -127;
/// `RadiusOfCurvature` of a straight path.
pub const RADIUS_STRAIGHT: i16 = 32_767;
/// Standard gravity, m/s².
const G_MPS2: f64 = 9.806_65;

use crate::math::round;

/// An angle in degrees brought into `0..360`.
pub fn wrap360(deg: f64) -> f64 {
    deg - 360.0 * floor(deg / 360.0)
}

/// `x / unit` rounded and clamped to `lo..=hi` (NaN gives `lo`).
fn scaled(x: f64, unit: f64, lo: i64, hi: i64) -> i64 {
    let v = round(x / unit);
    if v.is_nan() {
        lo
    } else {
        v.clamp(lo as f64, hi as f64) as i64
    }
}

/// Latitude in 1e-7 degree.
pub fn lat(deg: f64) -> i32 {
    scaled(deg, 1e-7, -900_000_000, 900_000_000) as i32
}

/// Longitude in 1e-7 degree.
pub fn lon(deg: f64) -> i32 {
    scaled(deg, 1e-7, -1_799_999_999, 1_800_000_000) as i32
}

/// Elevation in 0.1 m (−4096 is "unavailable", so the range starts at −4095).
pub fn elevation(m: f64) -> i32 {
    scaled(m, 0.1, -4095, 61_439) as i32
}

/// Speed in 0.02 m/s (a non-finite speed is "unavailable").
pub fn speed(mps: Option<f64>) -> u16 {
    mps.filter(|v| v.is_finite())
        .map_or(SPEED_UNAVAILABLE, |v| scaled(v, 0.02, 0, 8190) as u16)
}

/// Heading in 0.0125 degree, 0..=28799 (a heading that rounds to 360° is 0; a non-finite
/// heading is "unavailable").
pub fn heading(deg: Option<f64>) -> u16 {
    deg.filter(|h| h.is_finite())
        .map_or(HEADING_UNAVAILABLE, |h| {
            (scaled(wrap360(h), 0.0125, 0, 28_800) % 28_800) as u16
        })
}

/// Acceleration in 0.01 m/s², saturating at ±20 m/s².
pub fn accel(mps2: Option<f64>) -> i16 {
    mps2.map_or(ACCEL_UNAVAILABLE, |a| scaled(a, 0.01, -2000, 2000) as i16)
}

/// Vertical acceleration in 0.02 G (−2.52 G..=2.54 G).
pub fn vert_accel(mps2: Option<f64>) -> i8 {
    mps2.map_or(VERT_ACCEL_UNAVAILABLE, |a| {
        scaled(a / G_MPS2, 0.02, -126, 127) as i8
    })
}

/// Yaw rate in 0.01 degree/s. The data element has no "unavailable" code: an unknown yaw
/// rate is sent as 0.
pub fn yaw_rate(dps: Option<f64>) -> i16 {
    dps.map_or(0, |y| scaled(y, 0.01, -32_767, 32_767) as i16)
}

/// Steering wheel angle in 1.5 degree (±126 = 189° or more).
pub fn steering(deg: f64) -> i8 {
    scaled(deg, 1.5, -126, 126) as i8
}

/// Semi-axis of an error ellipse in 0.05 m (254 = 12.7 m or more).
pub fn semi_axis(m: f64) -> u8 {
    scaled(m, 0.05, 0, 254) as u8
}

/// Orientation of an error ellipse in 360/65535 degree, 0..=65534.
pub fn ellipse_orientation(deg: f64) -> u16 {
    (scaled(wrap360(deg), 360.0 / 65_535.0, 0, 65_535) % 65_535) as u16
}

/// Index into a descending table of 95 % bounds: the tightest class whose bound still covers
/// `value` (1 = the loosest); 0 (unavailable) for a value beyond the loosest.
fn class_of(value: f64, bounds: &[f64]) -> u8 {
    let mut class = 0u8;
    for (i, b) in bounds.iter().enumerate() {
        if value <= *b {
            class = (i + 1) as u8;
        }
    }
    class
}

/// `PositionConfidence` index (0..=15) of a 95 % horizontal radius, m.
pub fn position_confidence(radius_m_95: f64) -> u8 {
    class_of(
        radius_m_95,
        &[
            500.0, 200.0, 100.0, 50.0, 20.0, 10.0, 5.0, 2.0, 1.0, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01,
        ],
    )
}

/// `ElevationConfidence` index (0..=15) of a 95 % vertical bound, m.
pub fn elevation_confidence(m_95: f64) -> u8 {
    // The same bounds as the horizontal classes.
    position_confidence(m_95)
}

/// `SpeedConfidence` index (0..=7) of a 95 % bound, m/s.
pub fn speed_confidence(mps_95: f64) -> u8 {
    class_of(mps_95, &[100.0, 10.0, 5.0, 1.0, 0.1, 0.05, 0.01])
}

/// `HeadingConfidence` index (0..=6) of a 95 % bound, degrees. Class 7 (`prec0-0125deg`,
/// the heading's resolution) is never chosen: its bound is looser than class 6's.
pub fn heading_confidence(deg_95: f64) -> u8 {
    class_of(deg_95, &[10.0, 5.0, 1.0, 0.1, 0.05, 0.01])
}

/// `TimeConfidence` index (0..=39) of a 95 % bound, s: the classes run 100, 50, 20, 10 s, then
/// 2, 1, 0.5, 0.2, 0.1, 0.05, … down by the 1-2-5 steps to 1e-11 s.
pub fn time_confidence(s_95: f64) -> u8 {
    let mut bounds = [0f64; 39];
    let head = [100.0, 50.0, 20.0, 10.0];
    let mut decade = 1.0;
    for (i, b) in bounds.iter_mut().enumerate() {
        *b = match i {
            0..=3 => head[i],
            _ => {
                // 2, 1, 0.5 | 0.2, 0.1, 0.05 | …
                let k = (i - 4) % 3;
                if i > 4 && k == 0 {
                    decade /= 10.0;
                }
                decade * [2.0, 1.0, 0.5][k]
            }
        };
    }
    class_of(s_95, &bounds)
}

/// The 95 % horizontal radius of a one-σ error ellipse: √χ²₂(0.95) ≈ 2.448 times its
/// semi-major axis (conservative for an elongated ellipse).
pub fn radius95_of_ellipse(semi_major_m: f64) -> f64 {
    2.447_746_830_680_816 * abs(semi_major_m)
}

/// Vehicle width in cm (0..=1023).
pub fn width_cm(m: f64) -> u16 {
    scaled(m, 0.01, 0, 1023) as u16
}

/// Vehicle length in cm (0..=4095).
pub fn length_cm(m: f64) -> u16 {
    scaled(m, 0.01, 0, 4095) as u16
}

/// Vehicle height in 5 cm (0..=127).
pub fn height_5cm(m: f64) -> u8 {
    scaled(m, 0.05, 0, 127) as u8
}

/// `TimeOffset` in 10 ms, 1..=65534 (65534 = 655.34 s or more).
pub fn time_offset(seconds: f64) -> u16 {
    scaled(seconds, 0.01, 1, 65_534) as u16
}

/// `RadiusOfCurvature` in 10 cm, positive to the right; a straight path (or a radius beyond
/// the data element) is 32767.
pub fn radius_of_curvature(radius_m: Option<f64>) -> i16 {
    match radius_m {
        Some(r) if r.is_finite() && abs(r) < 3276.65 => {
            let v = scaled(r, 0.1, -32_766, 32_766);
            // a radius below 5 cm rounds to 0: keep its side
            if v == 0 {
                if r < 0.0 { -1 } else { 1 }
            } else {
                v as i16
            }
        }
        _ => RADIUS_STRAIGHT,
    }
}

/// `Confidence` in 0.5 % (0..=200) of a fraction 0..=1.
pub fn confidence(fraction: f64) -> u8 {
    scaled(fraction * 100.0, 0.5, 0, 200) as u8
}

/// A horizontal offset in 1e-7 degree in the smallest `PositionOffsetLL` form that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LlOffset {
    /// 12 bits each.
    B12(i16, i16),
    /// 14 bits each.
    B14(i16, i16),
    /// 16 bits each.
    B16(i16, i16),
    /// 18 bits each.
    B18(i32, i32),
    /// 22 bits each.
    B22(i32, i32),
    /// 24 bits each.
    B24(i32, i32),
    /// Too far for an offset: the absolute (lat, lon), 1e-7 degree.
    Absolute(i32, i32),
}

/// The offset (Δlat, Δlon) in 1e-7 degree from a reference to a position `abs` (lat, lon).
/// The offsets are (lat, lon) in every variant.
pub fn ll_offset(dlat: i64, dlon: i64, abs: (i32, i32)) -> LlOffset {
    let fits = |bits: u32| {
        let lim = 1i64 << (bits - 1);
        (-lim..lim).contains(&dlat) && (-lim..lim).contains(&dlon)
    };
    // The casts below only run where `fits` proved the values in range.
    if fits(12) {
        LlOffset::B12(dlat as i16, dlon as i16)
    } else if fits(14) {
        LlOffset::B14(dlat as i16, dlon as i16)
    } else if fits(16) {
        LlOffset::B16(dlat as i16, dlon as i16)
    } else if fits(18) {
        LlOffset::B18(dlat as i32, dlon as i32)
    } else if fits(22) {
        LlOffset::B22(dlat as i32, dlon as i32)
    } else if fits(24) {
        LlOffset::B24(dlat as i32, dlon as i32)
    } else {
        LlOffset::Absolute(abs.0, abs.1)
    }
}

/// A vertical offset in 0.1 m in the smallest `VerticalOffset` form that holds it (the
/// lowest value of each form means "unavailable" and is never used).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VOffset {
    /// 7 bits.
    B07(i8),
    /// 8 bits.
    B08(i8),
    /// 9 bits.
    B09(i16),
    /// 10 bits.
    B10(i16),
    /// 11 bits.
    B11(i16),
    /// 12 bits.
    B12(i16),
    /// Too far: the absolute elevation, 0.1 m.
    Elevation(i32),
}

/// The vertical offset `d` (0.1 m) to an elevation `abs` (0.1 m).
pub fn v_offset(d: i64, abs: i32) -> VOffset {
    let fits = |bits: u32| {
        let lim = 1i64 << (bits - 1);
        d > -lim && d < lim
    };
    if fits(7) {
        VOffset::B07(d as i8)
    } else if fits(8) {
        VOffset::B08(d as i8)
    } else if fits(9) {
        VOffset::B09(d as i16)
    } else if fits(10) {
        VOffset::B10(d as i16)
    } else if fits(11) {
        VOffset::B11(d as i16)
    } else if fits(12) {
        VOffset::B12(d as i16)
    } else {
        VOffset::Elevation(abs)
    }
}

/// Wire latitude/longitude of a WGS-84 position (1e-7 degree), without elevation.
pub fn pos3d(w: &Wgs84) -> m::Position3D {
    m::Position3D {
        lat: lat(w.lat_deg),
        long: lon(w.lon_deg),
        elevation: None,
    }
}

/// A position as an offset from `reference`, in the smallest `PositionOffsetLL` form that
/// holds it (an absolute position when none does).
pub fn offset(reference: &m::Position3D, w: &Wgs84) -> m::PositionOffsetLLV {
    let p = pos3d(w);
    let dlat = i64::from(p.lat) - i64::from(reference.lat);
    let dlon = i64::from(p.long) - i64::from(reference.long);
    let offset_ll = match ll_offset(dlat, dlon, (p.lat, p.long)) {
        LlOffset::B12(la, lo) => {
            m::PositionOffsetLL::PositionLl1(m::PositionLL24B { lon: lo, lat: la })
        }
        LlOffset::B14(la, lo) => {
            m::PositionOffsetLL::PositionLl2(m::PositionLL28B { lon: lo, lat: la })
        }
        LlOffset::B16(la, lo) => {
            m::PositionOffsetLL::PositionLl3(m::PositionLL32B { lon: lo, lat: la })
        }
        LlOffset::B18(la, lo) => {
            m::PositionOffsetLL::PositionLl4(m::PositionLL36B { lon: lo, lat: la })
        }
        LlOffset::B22(la, lo) => {
            m::PositionOffsetLL::PositionLl5(m::PositionLL44B { lon: lo, lat: la })
        }
        LlOffset::B24(la, lo) => {
            m::PositionOffsetLL::PositionLl6(m::PositionLL48B { lon: lo, lat: la })
        }
        LlOffset::Absolute(la, lo) => {
            m::PositionOffsetLL::PositionLatLon(m::PositionLLmD64b { lon: lo, lat: la })
        }
    };
    m::PositionOffsetLLV {
        offset_ll,
        offset_v: None,
    }
}

/// `secMark` of a time: milliseconds within its UTC minute (leap second: 60 000..=60 999).
pub fn sec_mark(t: Timestamp) -> u16 {
    t.to_minute_of_year().1.millis()
}

/// The CSAE `PositionConfidence` whose 95 % radius covers a position noise of `sigma_m` (1σ).
pub fn position_confidence_of_sigma(sigma_m: f64) -> m::PositionConfidence {
    use m::PositionConfidence as P;
    const ALL: [m::PositionConfidence; 16] = [
        P::Unavailable,
        P::A500m,
        P::A200m,
        P::A100m,
        P::A50m,
        P::A20m,
        P::A10m,
        P::A5m,
        P::A2m,
        P::A1m,
        P::A50cm,
        P::A20cm,
        P::A10cm,
        P::A5cm,
        P::A2cm,
        P::A1cm,
    ];
    let class = position_confidence(2.45 * sigma_m);
    ALL.get(usize::from(class))
        .copied()
        .unwrap_or(P::Unavailable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaling_rounds_saturates_and_keeps_unavailable_codes() {
        assert_eq!(speed(Some(13.89)), 695);
        assert_eq!(speed(Some(1e9)), 8190);
        assert_eq!(speed(None), SPEED_UNAVAILABLE);
        assert_eq!(heading(Some(359.999)), 0);
        assert_eq!(heading(Some(90.0)), 7200);
        assert_eq!(heading(Some(-90.0)), 21_600);
        assert_eq!(heading(None), HEADING_UNAVAILABLE);
        assert_eq!(accel(Some(-30.0)), -2000);
        assert_eq!(accel(Some(-4.126)), -413);
        assert_eq!(vert_accel(Some(9.806_65)), 50);
        assert_eq!(vert_accel(Some(-1e3)), -126);
        assert_eq!(yaw_rate(Some(-12.345)), -1235);
        assert_eq!(steering(400.0), 126);
        assert_eq!(lat(39.912_345_67), 399_123_457);
        assert_eq!(lat(f64::NAN), -900_000_000);
        assert_eq!(lon(-180.0), -1_799_999_999);
        assert_eq!(elevation(-1000.0), -4095);
        assert_eq!(ellipse_orientation(359.999_99), 0);
        assert_eq!(time_offset(0.0), 1);
        assert_eq!(time_offset(1.234), 123);
        assert_eq!(time_offset(1e6), 65_534);
        assert_eq!(confidence(0.5), 100);
    }

    #[test]
    fn confidence_classes_take_the_tightest_bound_that_covers() {
        assert_eq!(position_confidence(1.0), 9);
        assert_eq!(position_confidence(1.01), 8);
        assert_eq!(position_confidence(0.001), 15);
        assert_eq!(position_confidence(600.0), 0);
        assert_eq!(speed_confidence(0.3), 4);
        assert_eq!(heading_confidence(0.011), 5);
        assert_eq!(time_confidence(100.0), 1);
        assert_eq!(time_confidence(2.0), 5);
        assert_eq!(time_confidence(0.001), 15);
        assert_eq!(time_confidence(0.000_05), 19);
        assert_eq!(time_confidence(1e-12), 39);
    }

    #[test]
    fn offsets_take_the_smallest_form() {
        assert_eq!(ll_offset(2047, -2048, (0, 0)), LlOffset::B12(2047, -2048));
        assert_eq!(ll_offset(2048, 0, (0, 0)), LlOffset::B14(2048, 0));
        assert_eq!(ll_offset(0, 1 << 23, (5, 6)), LlOffset::Absolute(5, 6));
        assert_eq!(v_offset(63, 0), VOffset::B07(63));
        assert_eq!(v_offset(-64, 0), VOffset::B08(-64));
        assert_eq!(v_offset(5000, 77), VOffset::Elevation(77));
        assert_eq!(radius_of_curvature(Some(100.0)), 1000);
        assert_eq!(radius_of_curvature(Some(-0.01)), -1);
        assert_eq!(radius_of_curvature(Some(5000.0)), RADIUS_STRAIGHT);
        assert_eq!(radius_of_curvature(None), RADIUS_STRAIGHT);
    }

    #[test]
    fn offsets_take_the_smallest_form_and_come_back() {
        use crate::world::convert::units::offset_position_deg;
        let reference = pos3d(&Wgs84::new(39.9, 116.4, 0.0));
        for (dn, de) in [(1e-5, -2e-5), (0.01, 0.01), (0.5, -0.7), (5.0, 5.0)] {
            let w = Wgs84::new(39.9 + dn, 116.4 + de, 0.0);
            let o = offset(&reference, &w);
            let (la, lo) = offset_position_deg(&reference, &o).unwrap();
            assert!((la - w.lat_deg).abs() < 1e-7 && (lo - w.lon_deg).abs() < 1e-7);
        }
        assert!(matches!(
            offset(&reference, &Wgs84::new(39.9, 116.4003, 0.0)).offset_ll,
            m::PositionOffsetLL::PositionLl2(_)
        ));
        assert!(matches!(
            offset(&reference, &Wgs84::new(45.0, 116.4, 0.0)).offset_ll,
            m::PositionOffsetLL::PositionLatLon(_)
        ));
        assert_eq!(
            position_confidence_of_sigma(0.1),
            m::PositionConfidence::A50cm
        );
        assert_eq!(
            position_confidence_of_sigma(1.0),
            m::PositionConfidence::A5m
        );
        assert_eq!(
            position_confidence_of_sigma(1e9),
            m::PositionConfidence::Unavailable
        );
    }
}
