//! Wire → SI conversion of the scalar and position types of the message sets: 1e-7 degree,
//! 0.02 m/s, 0.0125 degree, 0.01 m/s², 0.01 degree/s, cm and the CSAE confidence enumerations
//! become SI values and fusion enumerations; every "unavailable" code becomes `None`. The other
//! direction is [`super::to_wire`].
use nalgebra::Matrix2;

use crate::fusion::{
    HeadingConfidence, ObjectClass, ObjectSize, PositionConfidence, SourceType, SpeedConfidence,
};
use crate::math::{cos, sin};
use crate::msg::v2020 as m;
use crate::time::{DSecond, Timestamp, resolve_sec_mark};

use super::AdaptError;
use super::to_wire::{ACCEL_UNAVAILABLE, HEADING_UNAVAILABLE, SPEED_UNAVAILABLE};

/// Wire value of an unavailable latitude.
pub(crate) const LAT_UNAVAILABLE: i32 = 900_000_001;
/// Wire value of an unavailable longitude.
const LON_UNAVAILABLE: i32 = 1_800_000_001;

/// A `Position3D` in degrees; `None` when unavailable or out of range.
pub fn position_deg(p: &m::Position3D) -> Option<(f64, f64)> {
    if p.lat == LAT_UNAVAILABLE || p.long == LON_UNAVAILABLE {
        return None;
    }
    let lat = f64::from(p.lat) * 1e-7;
    let lon = f64::from(p.long) * 1e-7;
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

/// A `PositionOffsetLL` as (Δlat, Δlon) in degrees, or an absolute position (`true`).
pub fn offset_deg(o: &m::PositionOffsetLL) -> (f64, f64, bool) {
    let (lat, lon, abs) = match o {
        m::PositionOffsetLL::PositionLl1(p) => (i64::from(p.lat), i64::from(p.lon), false),
        m::PositionOffsetLL::PositionLl2(p) => (i64::from(p.lat), i64::from(p.lon), false),
        m::PositionOffsetLL::PositionLl3(p) => (i64::from(p.lat), i64::from(p.lon), false),
        m::PositionOffsetLL::PositionLl4(p) => (i64::from(p.lat), i64::from(p.lon), false),
        m::PositionOffsetLL::PositionLl5(p) => (i64::from(p.lat), i64::from(p.lon), false),
        m::PositionOffsetLL::PositionLl6(p) => (i64::from(p.lat), i64::from(p.lon), false),
        m::PositionOffsetLL::PositionLatLon(p) => (i64::from(p.lat), i64::from(p.lon), true),
    };
    (lat as f64 * 1e-7, lon as f64 * 1e-7, abs)
}

/// A reference position plus an offset, in degrees; `None` when unavailable.
pub fn offset_position_deg(
    reference: &m::Position3D,
    offset: &m::PositionOffsetLLV,
) -> Option<(f64, f64)> {
    let (dlat, dlon, absolute) = offset_deg(&offset.offset_ll);
    let (lat, lon) = if absolute {
        (dlat, dlon)
    } else {
        let (lat0, lon0) = position_deg(reference)?;
        (lat0 + dlat, lon0 + dlon)
    };
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

/// Speed in m/s; `None` when unavailable.
pub fn speed_mps(v: u16) -> Option<f64> {
    (v != SPEED_UNAVAILABLE).then(|| f64::from(v) * 0.02)
}

/// Heading in degrees (CSAE); `None` when unavailable.
pub fn heading_deg(v: u16) -> Option<f64> {
    (v < HEADING_UNAVAILABLE).then(|| f64::from(v) * 0.0125)
}

/// Longitudinal acceleration (m/s²) and yaw rate (rad/s, counter-clockwise positive) of an
/// `AccelerationSet4Way` (whose yaw rate is clockwise positive, 0.01 °/s).
pub fn accel_yaw(a: &m::AccelerationSet4Way) -> (Option<f64>, Option<f64>) {
    let acc = (a.long != ACCEL_UNAVAILABLE).then(|| f64::from(a.long) * 0.01);
    let yaw = -(f64::from(a.yaw) * 0.01).to_radians();
    (acc, Some(yaw))
}

/// A `VehicleSize` (cm, height 5 cm) in metres; `None` when both length and width are 0.
pub fn vehicle_size(s: &m::VehicleSize) -> Option<ObjectSize> {
    (s.length > 0 || s.width > 0).then(|| ObjectSize {
        length_m: f64::from(s.length) * 0.01,
        width_m: f64::from(s.width) * 0.01,
        height_m: s.height.map_or(0.0, |h| f64::from(h) * 0.05),
    })
}

/// CSAE `PositionConfidence` of the message set → the fusion enum.
pub fn position_confidence(p: m::PositionConfidence) -> PositionConfidence {
    use m::PositionConfidence as P;
    let v = match p {
        P::Unavailable => 0,
        P::A500m => 1,
        P::A200m => 2,
        P::A100m => 3,
        P::A50m => 4,
        P::A20m => 5,
        P::A10m => 6,
        P::A5m => 7,
        P::A2m => 8,
        P::A1m => 9,
        P::A50cm => 10,
        P::A20cm => 11,
        P::A10cm => 12,
        P::A5cm => 13,
        P::A2cm => 14,
        P::A1cm => 15,
    };
    PositionConfidence::from_csae(v).unwrap_or(PositionConfidence::Unavailable)
}

/// CSAE `SpeedConfidence` of the message set → the fusion enum.
pub fn speed_confidence(s: m::SpeedConfidence) -> SpeedConfidence {
    use m::SpeedConfidence as S;
    match s {
        S::Unavailable => SpeedConfidence::Unavailable,
        S::Prec100ms => SpeedConfidence::Prec100ms,
        S::Prec10ms => SpeedConfidence::Prec10ms,
        S::Prec5ms => SpeedConfidence::Prec5ms,
        S::Prec1ms => SpeedConfidence::Prec1ms,
        S::Prec01ms => SpeedConfidence::Prec01ms,
        S::Prec005ms => SpeedConfidence::Prec005ms,
        S::Prec001ms => SpeedConfidence::Prec001ms,
    }
}

/// CSAE `HeadingConfidence` of the message set → the fusion enum.
pub fn heading_confidence(h: m::HeadingConfidence) -> HeadingConfidence {
    use m::HeadingConfidence as H;
    match h {
        H::Unavailable => HeadingConfidence::Unavailable,
        H::Prec10deg => HeadingConfidence::Prec10deg,
        H::Prec05deg => HeadingConfidence::Prec05deg,
        H::Prec01deg => HeadingConfidence::Prec01deg,
        H::Prec0_1deg => HeadingConfidence::Prec01Deg,
        H::Prec005deg => HeadingConfidence::Prec005deg,
        H::Prec001deg => HeadingConfidence::Prec001deg,
        H::Prec00125deg => HeadingConfidence::Prec00125deg,
    }
}

/// CSAE `SourceType` of the message set → the fusion enum.
pub fn source_type(s: m::SourceType) -> SourceType {
    use m::SourceType as S;
    match s {
        S::Unknown | S::UnknownExt(_) => SourceType::Unknown,
        S::Selfinfo => SourceType::SelfInfo,
        S::V2x => SourceType::V2x,
        S::Video => SourceType::Video,
        S::MicrowaveRadar => SourceType::MicrowaveRadar,
        S::Loop => SourceType::Loop,
        S::Lidar => SourceType::Lidar,
        S::Integrated => SourceType::Integrated,
    }
}

/// CSAE `ParticipantType` → object class.
pub fn participant_class(t: m::ParticipantType) -> ObjectClass {
    match t {
        m::ParticipantType::Motor => ObjectClass::Motor,
        m::ParticipantType::NonMotor => ObjectClass::NonMotor,
        m::ParticipantType::Pedestrian => ObjectClass::Pedestrian,
        m::ParticipantType::Rsu => ObjectClass::Rsu,
        m::ParticipantType::Unknown | m::ParticipantType::UnknownExt(_) => ObjectClass::Unknown,
    }
}

/// The position covariance of a BSM `PositionalAccuracy` error ellipse (1σ semi-axes in
/// 0.05 m, orientation of the semi-major axis from north in 360/65535 degrees); `None` when
/// unavailable.
pub fn ellipse_covariance(a: &m::PositionalAccuracy) -> Option<Matrix2<f64>> {
    if a.semi_major == 255 || a.semi_minor == 255 || a.orientation == 65_535 {
        return None;
    }
    let s1 = (f64::from(a.semi_major) * 0.05).max(0.05);
    let s2 = (f64::from(a.semi_minor) * 0.05).max(0.05);
    let th = (f64::from(a.orientation) * 360.0 / 65_535.0).to_radians();
    // Semi-major axis direction in ENU: (sin θ, cos θ).
    let (ux, uy) = (sin(th), cos(th));
    let (vx, vy) = (-uy, ux);
    let (a1, a2) = (s1 * s1, s2 * s2);
    Some(Matrix2::new(
        a1 * ux * ux + a2 * vx * vx,
        a1 * ux * uy + a2 * vx * vy,
        a1 * ux * uy + a2 * vx * vy,
        a1 * uy * uy + a2 * vy * vy,
    ))
}

/// The time of a `secMark` (ms within the UTC minute) received at `now`.
pub fn sec_mark(v: u16, now: Timestamp) -> Result<Timestamp, AdaptError> {
    let d = DSecond::new(v).map_err(|_| AdaptError::TimeUnavailable)?;
    resolve_sec_mark(d, now).map_err(|_| AdaptError::TimeUnavailable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_unavailable_codes() {
        assert_eq!(speed_mps(8191), None);
        assert_eq!(speed_mps(500), Some(10.0));
        assert_eq!(heading_deg(28_800), None);
        assert_eq!(heading_deg(7200), Some(90.0));
        let p = m::Position3D {
            lat: 399_000_000,
            long: 1_164_000_000,
            elevation: None,
        };
        let (lat, lon) = position_deg(&p).unwrap();
        assert!((lat - 39.9).abs() < 1e-9 && (lon - 116.4).abs() < 1e-9);
        let off = m::PositionOffsetLLV {
            offset_ll: m::PositionOffsetLL::PositionLl3(m::PositionLL32B {
                lon: -100,
                lat: 250,
            }),
            offset_v: None,
        };
        let (lat, lon) = offset_position_deg(&p, &off).unwrap();
        assert!((lat - 39.900_025).abs() < 1e-9 && (lon - 116.399_99).abs() < 1e-9);
        let unavailable = m::Position3D {
            lat: LAT_UNAVAILABLE,
            ..p
        };
        assert_eq!(position_deg(&unavailable), None);
    }

    #[test]
    fn ellipse_is_oriented() {
        // 1 m along north-east, 0.5 m across.
        let e = ellipse_covariance(&m::PositionalAccuracy {
            semi_major: 20,
            semi_minor: 10,
            orientation: 8192,
        })
        .unwrap();
        assert!((e[(0, 0)] - e[(1, 1)]).abs() < 1e-3);
        assert!(e[(0, 1)] > 0.3, "{e}");
        assert!((e.trace() - 1.25).abs() < 1e-9);
    }
}
