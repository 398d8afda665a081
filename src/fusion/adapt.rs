//! Adapters from decoded messages to [`Observation`]s: RSM participants, SSM (Day II sensor
//! sharing) detected participants and obstacles, remote BSMs and PSMs.
//!
//! Units are converted from the wire (1e-7 degree, 0.02 m/s, 0.0125 degree, 0.01 m/s², 0.01
//! degree/s, cm) to SI; "unavailable" codes become absent values; CSAE confidence enumerations
//! become the covariance of the observation (through [`ObsCovariance::from_csae`] and, for a
//! BSM `posAccuracy` error ellipse, a rotated covariance). Message times (`secMark`) are
//! resolved against the receive time the caller passes in.
//!
//! The ego's own messages are recognised by its vehicle id ([`is_own`]); the tracker's ego
//! self-filter gets the same id through [`EgoState::vehicle_id`](super::EgoState).
use alloc::vec::Vec;

use nalgebra::Matrix2;

use super::observation::{
    HeadingConfidence, ObjectClass, ObjectSize, ObsCovariance, ObsMotion, ObsPosition, Observation,
    PositionConfidence, SourceId, SourceKind, SourceType, SpeedConfidence,
};
use crate::geo::math::{cos, sin};
use crate::msg::v2020 as m;
use crate::time::{DSecond, Timestamp, resolve_sec_mark};

/// Why a message part could not become an observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum AdaptError {
    /// `secMark` is reserved or unavailable.
    #[error("secMark unavailable")]
    TimeUnavailable,
    /// Latitude or longitude is unavailable or out of range.
    #[error("position unavailable")]
    PositionUnavailable,
}

/// Wire value of an unavailable latitude.
const LAT_UNAVAILABLE: i32 = 900_000_001;
/// Wire value of an unavailable longitude.
const LON_UNAVAILABLE: i32 = 1_800_000_001;
/// Wire value of an unavailable speed.
const SPEED_UNAVAILABLE: u16 = 8191;
/// Wire value of an unavailable heading.
const HEADING_UNAVAILABLE: u16 = 28_800;
/// Wire value of an unavailable acceleration.
const ACCEL_UNAVAILABLE: i16 = 2001;

/// Whether a message carrying `id` comes from the ego itself (`ego_id`).
pub fn is_own(id: &[u8; 8], ego_id: Option<[u8; 8]>) -> bool {
    ego_id.is_some_and(|e| &e == id)
}

/// The 8-octet id as an integer (station or object id of a source).
pub fn id_u64(id: &[u8; 8]) -> u64 {
    u64::from_be_bytes(*id)
}

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

/// The motion of a report. A pedestrian, cyclist or unknown object reported as standing still
/// (below 0.5 m/s) is given without motion: its track is a constant-velocity model in
/// Cartesian velocity, where a speed-and-heading report at zero speed carries a singular
/// velocity covariance; a position-only report keeps it standing.
fn motion_of(speed: u16, heading: u16, class: ObjectClass) -> ObsMotion {
    let slow = speed_mps(speed).is_some_and(|s| s < 0.5);
    if slow && !class.uses_ctrv() {
        return ObsMotion::None;
    }
    motion(speed, heading)
}

fn motion(speed: u16, heading: u16) -> ObsMotion {
    match (speed_mps(speed), heading_deg(heading)) {
        (Some(s), Some(h)) => ObsMotion::SpeedHeading {
            speed_mps: s,
            heading_deg: h,
        },
        // A stopped object without heading still has a known (zero) velocity.
        (Some(0.0), None) => ObsMotion::EnuVelocity {
            vx_mps: 0.0,
            vy_mps: 0.0,
        },
        _ => ObsMotion::None,
    }
}

/// Longitudinal acceleration (m/s²) and yaw rate (rad/s, counter-clockwise positive) of an
/// `AccelerationSet4Way` (whose yaw rate is clockwise positive, 0.01 °/s).
pub fn accel_yaw(a: &m::AccelerationSet4Way) -> (Option<f64>, Option<f64>) {
    let acc = (a.long != ACCEL_UNAVAILABLE).then(|| f64::from(a.long) * 0.01);
    let yaw = -(f64::from(a.yaw) * 0.01).to_radians();
    (acc, Some(yaw))
}

fn vehicle_size(s: &m::VehicleSize) -> Option<ObjectSize> {
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

fn covariance(pos: m::PositionConfidence, cfd: Option<&m::MotionConfidenceSet>) -> ObsCovariance {
    ObsCovariance::from_csae(
        position_confidence(pos),
        cfd.and_then(|c| c.speed_cfd).map(speed_confidence),
        cfd.and_then(|c| c.heading_cfd).map(heading_confidence),
    )
}

fn sec_mark(v: u16, now: Timestamp) -> Result<Timestamp, AdaptError> {
    let d = DSecond::new(v).map_err(|_| AdaptError::TimeUnavailable)?;
    resolve_sec_mark(d, now).map_err(|_| AdaptError::TimeUnavailable)
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

/// A remote vehicle's BSM as an observation of itself (source kind BSM, `SourceType`
/// selfinfo, object id and vehicle id = the BSM `id`).
pub fn bsm_observation(
    bsm: &m::BasicSafetyMessage,
    now: Timestamp,
) -> Result<Observation, AdaptError> {
    let (lat, lon) = position_deg(&bsm.pos).ok_or(AdaptError::PositionUnavailable)?;
    let mut cov = match &bsm.pos_confidence {
        Some(c) => covariance(c.pos, bsm.motion_cfd.as_ref()),
        None => covariance(m::PositionConfidence::Unavailable, bsm.motion_cfd.as_ref()),
    };
    if let Some(e) = bsm.pos_accuracy.as_ref().and_then(ellipse_covariance) {
        cov.position_m2 = Some(e);
    }
    let (accel, yaw) = accel_yaw(&bsm.accel_set);
    Ok(Observation {
        yaw_rate_rps: yaw,
        accel_mps2: accel,
        size: vehicle_size(&bsm.size),
        class: ObjectClass::Motor,
        covariance: cov,
        ..self_report(
            bsm.id,
            (lat, lon),
            bsm.sec_mark,
            bsm.speed,
            bsm.heading,
            now,
        )?
    })
}

/// The common part of a road user's report about itself (BSM, PSM).
fn self_report(
    id: [u8; 8],
    (lat, lon): (f64, f64),
    sec: u16,
    speed: u16,
    heading: u16,
    now: Timestamp,
) -> Result<Observation, AdaptError> {
    Ok(Observation {
        source: SourceId {
            kind: SourceKind::Bsm,
            station: 0,
        },
        object_id: id_u64(&id),
        vehicle_id: Some(id),
        source_type: SourceType::SelfInfo,
        time: sec_mark(sec, now)?,
        position: ObsPosition::Wgs84 {
            lat_deg: lat,
            lon_deg: lon,
        },
        motion: motion(speed, heading),
        yaw_rate_rps: None,
        accel_mps2: None,
        size: None,
        class: ObjectClass::Unknown,
        covariance: ObsCovariance::default(),
    })
}

/// A PSM (Day II personal safety message) as an observation of the pedestrian or cyclist
/// itself (source kind BSM: a road user reporting itself).
pub fn psm_observation(
    psm: &m::PersonalSafetyMessage,
    now: Timestamp,
) -> Result<Observation, AdaptError> {
    let (lat, lon) = position_deg(&psm.pos).ok_or(AdaptError::PositionUnavailable)?;
    let class = match psm.non_motor_data.basic_type {
        m::PersonalDeviceUserType::APedalcyclist => ObjectClass::NonMotor,
        m::PersonalDeviceUserType::APedestrian | m::PersonalDeviceUserType::ARoadworker => {
            ObjectClass::Pedestrian
        }
        _ => ObjectClass::Unknown,
    };
    let mut cov = ObsCovariance::default();
    if let Some(e) = ellipse_covariance(&psm.pos_accuracy) {
        cov.position_m2 = Some(e);
    }
    let r = f64::from(psm.overall_radius) * 0.1;
    Ok(Observation {
        accel_mps2: psm.accel_set.as_ref().and_then(|a| accel_yaw(a).0),
        size: (r > 0.0).then_some(ObjectSize {
            length_m: 2.0 * r,
            width_m: 2.0 * r,
            height_m: 0.0,
        }),
        class,
        covariance: cov,
        ..self_report(
            psm.id,
            (lat, lon),
            psm.sec_mark,
            psm.speed,
            psm.heading,
            now,
        )?
    })
}

/// One RSM participant as an observation (source kind RSM, station = the RSU id, object id =
/// `ptcId`, vehicle id = the participant `id` when the RSU knows it).
pub fn participant_observation(
    station: u64,
    kind: SourceKind,
    reference: &m::Position3D,
    p: &m::ParticipantData,
    now: Timestamp,
) -> Result<Observation, AdaptError> {
    let (lat, lon) =
        offset_position_deg(reference, &p.pos).ok_or(AdaptError::PositionUnavailable)?;
    let (accel, yaw) = match &p.accel_set {
        Some(a) => accel_yaw(a),
        None => (None, None),
    };
    Ok(Observation {
        source: SourceId { kind, station },
        object_id: u64::from(p.ptc_id),
        vehicle_id: p.id,
        source_type: source_type(p.source),
        time: sec_mark(p.sec_mark, now)?,
        position: ObsPosition::Wgs84 {
            lat_deg: lat,
            lon_deg: lon,
        },
        motion: motion_of(p.speed, p.heading, participant_class(p.ptc_type)),
        yaw_rate_rps: yaw,
        accel_mps2: accel,
        size: vehicle_size(&p.size),
        class: participant_class(p.ptc_type),
        covariance: covariance(p.pos_confidence.pos, p.motion_cfd.as_ref()),
    })
}

/// Every participant of an RSM, appended to `out`; returns the number of participants that
/// could not be adapted (each with its reason in `errors`, which is bounded by the caller).
pub fn rsm_observations(
    rsm: &m::RoadsideSafetyMessage,
    now: Timestamp,
    out: &mut Vec<Observation>,
    errors: &mut Vec<AdaptError>,
) {
    let station = id_u64(&rsm.id);
    for p in &rsm.participants {
        match participant_observation(station, SourceKind::Rsm, &rsm.ref_pos, p, now) {
            Ok(o) => out.push(o),
            Err(e) => errors.push(e),
        }
    }
}

/// Every detected participant and obstacle of a sensor-sharing message (SSM), appended to
/// `out` (source kind SSM, station = the sender id). Obstacles get object ids above 65535 so
/// they never collide with participant ids.
pub fn ssm_observations(
    ssm: &m::SensorSharingMsg,
    now: Timestamp,
    out: &mut Vec<Observation>,
    errors: &mut Vec<AdaptError>,
) {
    let station = id_u64(&ssm.id);
    for d in ssm.participants.iter().flatten() {
        match participant_observation(station, SourceKind::Ssm, &ssm.sensor_pos, &d.ptc, now) {
            Ok(o) => out.push(o),
            Err(e) => errors.push(e),
        }
    }
    for ob in ssm.obstacles.iter().flatten() {
        let r = (|| {
            let (lat, lon) = offset_position_deg(&ssm.sensor_pos, &ob.pos)
                .ok_or(AdaptError::PositionUnavailable)?;
            Ok(Observation {
                source: SourceId {
                    kind: SourceKind::Ssm,
                    station,
                },
                object_id: 0x1_0000 + u64::from(ob.obs_id),
                vehicle_id: None,
                source_type: source_type(ob.source),
                time: sec_mark(ob.sec_mark, now)?,
                position: ObsPosition::Wgs84 {
                    lat_deg: lat,
                    lon_deg: lon,
                },
                motion: motion_of(ob.speed, ob.heading, ObjectClass::Unknown),
                yaw_rate_rps: None,
                accel_mps2: ob.accel_set.as_ref().and_then(|a| accel_yaw(a).0),
                size: (ob.size.length > 0 || ob.size.width > 0).then(|| ObjectSize {
                    length_m: f64::from(ob.size.length) * 0.01,
                    width_m: f64::from(ob.size.width) * 0.01,
                    height_m: ob.size.height.map_or(0.0, |h| f64::from(h) * 0.05),
                }),
                class: ObjectClass::Unknown,
                covariance: ObsCovariance::from_csae(
                    position_confidence(ob.pos_confidence.pos),
                    ob.speed_cfd.map(speed_confidence),
                    ob.heading_cfd.map(heading_confidence),
                ),
            })
        })();
        match r {
            Ok(o) => out.push(o),
            Err(e) => errors.push(e),
        }
    }
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
        assert!(is_own(&[1; 8], Some([1; 8])));
        assert!(!is_own(&[1; 8], None));
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
