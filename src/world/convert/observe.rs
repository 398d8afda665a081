//! Decoded messages → fusion [`Observation`]s: remote BSMs and PSMs (a road user reporting
//! itself), RSM participants, and the detected participants and obstacles of a sensor-sharing
//! message (SSM).
//!
//! CSAE confidence enumerations become the covariance of the observation (through
//! [`ObsCovariance::from_csae`] and, for a `posAccuracy` error ellipse, a rotated covariance).
//! Message times (`secMark`) are resolved against the receive time the caller passes in. The
//! ego's own messages are recognised by its vehicle id ([`is_own`]).
use crate::fusion::{
    ObjectClass, ObjectSize, ObsCovariance, ObsMotion, ObsPosition, Observation, SourceId,
    SourceKind, SourceType,
};
use crate::msg::v2020 as m;
use crate::time::Timestamp;

use super::super::Taken;
use super::units::{
    accel_yaw, ellipse_covariance, heading_confidence, heading_deg, offset_position_deg,
    participant_class, position_confidence, position_deg, sec_mark, source_type, speed_confidence,
    speed_mps, vehicle_size,
};

/// Why a message part could not become an observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum AdaptError {
    /// `secMark` is reserved or unavailable.
    #[error("secMark unavailable")]
    TimeUnavailable,
    /// Latitude or longitude is unavailable or out of range.
    #[error("position unavailable")]
    PositionUnavailable,
}

/// Whether a message carrying `id` comes from the ego itself (`ego_id`).
pub fn is_own(id: &[u8; 8], ego_id: Option<[u8; 8]>) -> bool {
    ego_id.is_some_and(|e| &e == id)
}

/// The 8-octet id as an integer (station or object id of a source).
pub fn id_u64(id: &[u8; 8]) -> u64 {
    u64::from_be_bytes(*id)
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

fn covariance(pos: m::PositionConfidence, cfd: Option<&m::MotionConfidenceSet>) -> ObsCovariance {
    ObsCovariance::from_csae(
        position_confidence(pos),
        cfd.and_then(|c| c.speed_cfd).map(speed_confidence),
        cfd.and_then(|c| c.heading_cfd).map(heading_confidence),
    )
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

/// Every participant of an RSM into `out`, at most `limit` observations (the rest are counted
/// in [`Taken::over_limit`]; participants that cannot be converted in [`Taken::unusable`]).
pub fn rsm_observations(
    rsm: &m::RoadsideSafetyMessage,
    now: Timestamp,
    limit: usize,
    out: &mut Taken,
) {
    let station = id_u64(&rsm.id);
    for p in &rsm.participants {
        let r = participant_observation(station, SourceKind::Rsm, &rsm.ref_pos, p, now);
        out.push(r, limit);
    }
}

/// Every detected participant and obstacle of a sensor-sharing message (SSM) into `out`
/// (source kind SSM, station = the sender id), at most `limit` observations. Obstacles get
/// object ids above 65535 so they never collide with participant ids.
pub fn ssm_observations(ssm: &m::SensorSharingMsg, now: Timestamp, limit: usize, out: &mut Taken) {
    let station = id_u64(&ssm.id);
    for d in ssm.participants.iter().flatten() {
        let r = participant_observation(station, SourceKind::Ssm, &ssm.sensor_pos, &d.ptc, now);
        out.push(r, limit);
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
        out.push(r, limit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_messages_by_id() {
        assert!(is_own(&[1; 8], Some([1; 8])));
        assert!(!is_own(&[1; 8], Some([2; 8])));
        assert!(!is_own(&[1; 8], None));
    }
}
