//! Sensor sharing: the ego's own sensor tracks → the T/CSAE 157-2020 `SensorSharingMsg` (SSM).
//!
//! The input is the track list as the stack already receives it: [`Observation`]s whose
//! source kind is [`SourceKind::Onboard`]. Only what the ego's own sensors see is shared: a
//! track from another channel (RSM, SSM, BSM) or whose source type says it came over the air
//! ([`SourceType::V2x`], [`SourceType::SelfInfo`]) is refused, so the vehicle never echoes what
//! it received. Positions in the ego frame (x forward, y left) are placed with the ego fix and
//! heading at the track's time (extrapolated from the newest state along its heading); WGS-84
//! positions are used as they are; a position in the fusion core's private ENU frame cannot
//! be placed here and is refused. Velocities measured relative to the ego (radar) get the
//! ego's velocity, and its rotation, added.
//!
//! The message: `equipmentType` obu, the temporary id of the BSMs, `secMark` of the send
//! time, `sensorPos` = the ego fix, one `DetectedPTCData` per track (at most 512, the list's
//! limit): participant type from the class, `ptcId` 1..=65535 from the track id, the source
//! type, the track's own `secMark`, position as an offset from `sensorPos`, confidences from
//! the track's covariance (or the per-source defaults of the fusion core), speed, heading,
//! size and longitudinal acceleration / yaw rate when known.
use alloc::vec::Vec;

use super::bsm::p2020::{heading_class, position_class, speed_class};
use super::bsm::{wire_offset, wire_position};
use super::path_history::PathPoint;
use super::state::{GnssFix, VehicleState};
use crate::codec::uper::UnknownExtensions;
use crate::fusion::observation::default_noise;
use crate::fusion::{ObjectClass, ObsMotion, ObsPosition, Observation, SourceKind, SourceType};
use crate::geo::{Wgs84, csae_heading_deg_to_enu_yaw_rad, enu_yaw_rad_to_csae_heading_deg};
use crate::math::{abs, atan2, cos, hypot, sin, sqrt};
use crate::msg::v2020 as m;
use crate::time::Timestamp;
use crate::world::convert::to_wire as wire;

/// Most participants in one SSM (`DetectedPTCList`).
pub const MAX_PARTICIPANTS: usize = 512;

/// Why an onboard track was not taken for sharing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TrackRefusal {
    /// Not from one of the ego's own sensors (another source kind).
    NotOnboard,
    /// Its source type says it came over the air: sharing it would echo it.
    Echo,
    /// A position in a frame the host vehicle cannot place (the fusion core's ENU frame).
    Unplaceable,
    /// A NaN or infinite value.
    NonFinite,
}

/// Checks a track for sharing.
pub(crate) fn admit(o: &Observation) -> Result<(), TrackRefusal> {
    if o.source.kind != SourceKind::Onboard {
        return Err(TrackRefusal::NotOnboard);
    }
    if matches!(o.source_type, SourceType::V2x | SourceType::SelfInfo) {
        return Err(TrackRefusal::Echo);
    }
    let finite = match o.position {
        ObsPosition::Enu { .. } => return Err(TrackRefusal::Unplaceable),
        ObsPosition::Wgs84 { lat_deg, lon_deg } => lat_deg.is_finite() && lon_deg.is_finite(),
        ObsPosition::Ego { x_m, y_m } => x_m.is_finite() && y_m.is_finite(),
    } && match o.motion {
        ObsMotion::None => true,
        ObsMotion::SpeedHeading {
            speed_mps,
            heading_deg,
        } => speed_mps.is_finite() && heading_deg.is_finite(),
        ObsMotion::EnuVelocity { vx_mps, vy_mps }
        | ObsMotion::EgoVelocity { vx_mps, vy_mps, .. } => vx_mps.is_finite() && vy_mps.is_finite(),
    };
    if finite {
        Ok(())
    } else {
        Err(TrackRefusal::NonFinite)
    }
}

/// The ego pose at a time: WGS-84 position, ENU yaw (rad), speed and yaw rate (rad/s, ENU
/// sense).
struct EgoAt {
    pos: Wgs84,
    yaw: f64,
    speed: f64,
    yaw_rate: f64,
}

fn ego_at(state: &VehicleState, fix: &GnssFix, t: Timestamp) -> Option<EgoAt> {
    let yaw = csae_heading_deg_to_enu_yaw_rad(state.heading_deg?);
    let speed = state.speed_mps.unwrap_or(0.0);
    let origin = Wgs84::new(fix.lat_deg, fix.lon_deg, fix.elevation_m.unwrap_or(0.0));
    let dt = t.seconds_since(fix.time).clamp(-1.0, 1.0);
    let pos = origin
        .offset_enu(speed * dt * cos(yaw), speed * dt * sin(yaw), 0.0)
        .ok()?;
    Some(EgoAt {
        pos,
        yaw,
        speed,
        yaw_rate: -state.yaw_rate_dps.unwrap_or(0.0).to_radians(),
    })
}

/// A track as a participant; `None` when it cannot be placed.
fn participant(
    o: &Observation,
    state: &VehicleState,
    fix: &GnssFix,
    sensor_pos: &m::Position3D,
) -> Option<m::DetectedPTCData> {
    let ego = ego_at(state, fix, o.time)?;
    let (c, s) = (cos(ego.yaw), sin(ego.yaw));
    let (pos, rel) = match o.position {
        ObsPosition::Wgs84 { lat_deg, lon_deg } => (Wgs84::new(lat_deg, lon_deg, 0.0), None),
        ObsPosition::Ego { x_m, y_m } => (
            ego.pos
                .offset_enu(x_m * c - y_m * s, x_m * s + y_m * c, 0.0)
                .ok()?,
            Some((x_m, y_m)),
        ),
        ObsPosition::Enu { .. } => return None,
    };
    // velocity over ground, ENU
    let velocity = match o.motion {
        ObsMotion::None => None,
        ObsMotion::SpeedHeading {
            speed_mps,
            heading_deg,
        } => {
            let y = csae_heading_deg_to_enu_yaw_rad(heading_deg);
            Some((speed_mps * cos(y), speed_mps * sin(y)))
        }
        ObsMotion::EnuVelocity { vx_mps, vy_mps } => Some((vx_mps, vy_mps)),
        ObsMotion::EgoVelocity {
            vx_mps,
            vy_mps,
            relative,
        } => {
            let (mut vx, mut vy) = (vx_mps, vy_mps);
            if relative {
                // v = v_rel + v_ego + ω × r, in the ego frame
                let (rx, ry) = rel.unwrap_or((0.0, 0.0));
                vx += ego.speed - ego.yaw_rate * ry;
                vy += ego.yaw_rate * rx;
            }
            Some((vx * c - vy * s, vx * s + vy * c))
        }
    };
    let (speed, heading) = match velocity {
        Some((vx, vy)) => {
            let v = hypot(vx, vy);
            let h = enu_yaw_rad_to_csae_heading_deg(atan2(vy, vx));
            (wire::speed(Some(v)), wire::heading((v > 0.05).then_some(h)))
        }
        None => (wire::speed(None), wire::heading(None)),
    };
    let noise = default_noise(SourceKind::Onboard, o.source_type);
    let sigma_pos = o
        .covariance
        .position_m2
        .map(|p| sqrt(p[(0, 0)].max(p[(1, 1)]) + abs(p[(0, 1)])))
        .unwrap_or(noise.position_sigma_m);
    let sigma_speed = o
        .covariance
        .speed_sigma_mps
        .unwrap_or(noise.speed_sigma_mps);
    let sigma_heading = o
        .covariance
        .heading_sigma_deg
        .unwrap_or(noise.heading_sigma_deg);
    let point = PathPoint {
        time: o.time,
        lat_deg: pos.lat_deg,
        lon_deg: pos.lon_deg,
        elevation_m: None,
    };
    let size = o.size.map_or(
        m::VehicleSize {
            width: 0,
            length: 0,
            height: None,
        },
        |z| m::VehicleSize {
            width: wire::width_cm(z.width_m),
            length: wire::length_cm(z.length_m),
            height: (z.height_m > 0.0).then(|| wire::height_5cm(z.height_m)),
        },
    );
    let accel_set =
        (o.accel_mps2.is_some() || o.yaw_rate_rps.is_some()).then(|| m::AccelerationSet4Way {
            long: wire::accel(o.accel_mps2),
            lat: wire::accel(None),
            vert: wire::vert_accel(None),
            yaw: wire::yaw_rate(o.yaw_rate_rps.map(|w| -w.to_degrees())),
        });
    let ptc = m::ParticipantData {
        ptc_type: match o.class {
            ObjectClass::Motor => m::ParticipantType::Motor,
            ObjectClass::NonMotor => m::ParticipantType::NonMotor,
            ObjectClass::Pedestrian => m::ParticipantType::Pedestrian,
            ObjectClass::Unknown | ObjectClass::Rsu => m::ParticipantType::Unknown,
        },
        ptc_id: (o.object_id % 65_535) as u16 + 1,
        source: match o.source_type {
            SourceType::Video => m::SourceType::Video,
            SourceType::MicrowaveRadar => m::SourceType::MicrowaveRadar,
            SourceType::Lidar => m::SourceType::Lidar,
            SourceType::Loop => m::SourceType::Loop,
            SourceType::Integrated => m::SourceType::Integrated,
            _ => m::SourceType::Unknown,
        },
        id: None,
        sec_mark: o.time.to_minute_of_year().1.millis(),
        pos: wire_offset(sensor_pos, &point),
        pos_confidence: m::PositionConfidenceSet {
            pos: position_class(wire::position_confidence(2.447_746_830_680_816 * sigma_pos)),
            elevation: None,
        },
        transmission: None,
        speed,
        heading,
        angle: None,
        motion_cfd: Some(m::MotionConfidenceSet {
            speed_cfd: Some(speed_class(wire::speed_confidence(1.96 * sigma_speed))),
            heading_cfd: Some(heading_class(wire::heading_confidence(
                1.96 * sigma_heading,
            ))),
            steer_cfd: None,
        }),
        accel_set,
        size,
        vehicle_class: None,
        unknown_ext: UnknownExtensions::default(),
    };
    Some(m::DetectedPTCData {
        ptc,
        obj_size_confidence: None,
        detected_ptc_type: (o.class == ObjectClass::Pedestrian)
            .then_some(m::DetectedPTCType::Pedestrian),
        type_confidence: None,
        acc4_way_confidence: None,
        status_duration: None,
        path_history: None,
        planning_list: None,
        tracking: None,
        polygon: None,
        type_related_ext: None,
        unknown_ext: UnknownExtensions::default(),
    })
}

/// The SSM (as a `MessageFrame`) of the tracks; `None` when no track can be placed (the
/// participant list may not be empty).
pub(crate) fn ssm(
    tracks: &[Observation],
    state: &VehicleState,
    fix: &GnssFix,
    msg_cnt: u8,
    id: [u8; 8],
    now: Timestamp,
) -> Option<m::MessageFrame> {
    let sensor_pos = wire_position(fix);
    let participants: Vec<m::DetectedPTCData> = tracks
        .iter()
        .filter_map(|o| participant(o, state, fix, &sensor_pos))
        .take(MAX_PARTICIPANTS)
        .collect();
    if participants.is_empty() {
        return None;
    }
    Some(m::MessageFrame::MsgFrameExt(m::MessageFrameExt {
        message_id: 12,
        value: m::MessageFrameExtValue::SensorSharingMsg(m::SensorSharingMsg {
            msg_cnt,
            id,
            equipment_type: m::EquipmentType::Obu,
            sec_mark: now.to_minute_of_year().1.millis(),
            sensor_pos,
            detected_region: None,
            participants: Some(participants),
            obstacles: None,
            rtes: None,
            unknown_ext: UnknownExtensions::default(),
        }),
        unknown_ext: UnknownExtensions::default(),
    }))
}
