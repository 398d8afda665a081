//! Report builders shared by the fusion tests.
#![allow(dead_code)]

use cv2x::fusion::{
    EgoState, HeadingConfidence, ObjectClass, ObjectSize, ObsCovariance, ObsMotion, ObsPosition,
    Observation, PositionConfidence, SourceId, SourceKind, SourceType, SpeedConfidence,
};
use cv2x::geo::{EnuFrame, enu_yaw_rad_to_csae_heading_deg};
use cv2x::time::Timestamp;
use nalgebra::{Vector2, Vector3};

/// Ego state at ENU (x, y) of `frame`, heading `yaw` (ENU radians), at `speed`.
pub fn ego_at(
    frame: &EnuFrame,
    t: Timestamp,
    p: Vector2<f64>,
    yaw: f64,
    speed: f64,
    id: Option<[u8; 8]>,
) -> EgoState {
    let w = frame.wgs84_from_enu(&Vector3::new(p.x, p.y, 0.0));
    EgoState {
        time: t,
        lat_deg: w.lat_deg,
        lon_deg: w.lon_deg,
        alt_m: 0.0,
        heading_deg: enu_yaw_rad_to_csae_heading_deg(yaw),
        speed_mps: speed,
        yaw_rate_rps: 0.0,
        position_sigma_m: 0.3,
        heading_sigma_deg: 0.5,
        length_m: 4.8,
        width_m: 1.9,
        vehicle_id: id,
    }
}

/// An RSM participant report (a lidar-seen car) at WGS-84 of ENU `p` of `frame`, with the speed
/// and direction of the ENU velocity `v`.
pub fn rsm_at(
    frame: &EnuFrame,
    rsu: u64,
    ptc: u64,
    t: Timestamp,
    p: Vector2<f64>,
    v: Vector2<f64>,
    conf: PositionConfidence,
) -> Observation {
    let w = frame.wgs84_from_enu(&Vector3::new(p.x, p.y, 0.0));
    Observation {
        source: SourceId {
            kind: SourceKind::Rsm,
            station: rsu,
        },
        object_id: ptc,
        vehicle_id: None,
        source_type: SourceType::Lidar,
        time: t,
        position: ObsPosition::Wgs84 {
            lat_deg: w.lat_deg,
            lon_deg: w.lon_deg,
        },
        motion: ObsMotion::SpeedHeading {
            speed_mps: v.norm(),
            heading_deg: enu_yaw_rad_to_csae_heading_deg(v.y.atan2(v.x)),
        },
        yaw_rate_rps: None,
        accel_mps2: None,
        size: Some(ObjectSize {
            length_m: 4.6,
            width_m: 1.8,
            height_m: 1.5,
        }),
        class: ObjectClass::Motor,
        covariance: ObsCovariance::from_csae(
            conf,
            Some(SpeedConfidence::Prec1ms),
            Some(HeadingConfidence::Prec05deg),
        ),
    }
}
