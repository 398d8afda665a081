//! The messages scenario actors send: BSM (PSM for pedestrians and cyclists), RSM, MAP, SPAT,
//! RSI, in the message types of the 2020 set, and the signing hook. Also used by the pipeline
//! bench and the tests to build realistic traffic.
use alloc::vec;
use alloc::vec::Vec;

use crate::codec::uper::UnknownExtensions;
use crate::geo::{EnuFrame, Wgs84};
use crate::msg::v2020 as m;
use crate::time::Timestamp;
use crate::world::convert::to_wire::{self, offset, pos3d, position_confidence_of_sigma, sec_mark};
use crate::world::{Turn, TurnSignal};

use super::kinematics::MotionState;
use super::{Kind, RsiItem, Signal, TimingForm};

/// The ego's temporary id in scenarios (unless the scenario gives one).
pub const EGO_ID: [u8; 8] = *b"EGO\0\0\0\0\x01";

/// The RSU's id in scenarios.
pub const RSU_ID: [u8; 8] = *b"RSU\0\0\0\0\x01";

/// The id of the vehicle sharing its sensors' view (SSM) in scenarios.
pub const SSM_ID: [u8; 8] = *b"SSM\0\0\0\0\x01";

/// The temporary id an actor sends in its BSM.
pub fn actor_vehicle_id(id: u32) -> [u8; 8] {
    let b = id.to_be_bytes();
    [b'A', b'C', b'T', 0, b[0], b[1], b[2], b[3]]
}

/// Why signing failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("signing failed")]
pub struct SignFailure;

/// Signs an encoded message (the security layer's test PKI plugs in here).
pub trait MessageSigner {
    /// Wraps `payload` (a UPER `MessageFrame`) of application `aid` generated at `at` in an
    /// SPDU.
    fn sign(&mut self, payload: &[u8], aid: u32, at: Timestamp) -> Result<Vec<u8>, SignFailure>;

    /// Wraps `payload` as the forger `forge` would ([`super::ScenarioSigner`] can). The default
    /// cannot forge.
    fn sign_forged(
        &mut self,
        payload: &[u8],
        aid: u32,
        at: Timestamp,
        forge: super::Forge,
    ) -> Result<Vec<u8>, SignFailure> {
        let _ = (payload, aid, at, forge);
        Err(SignFailure)
    }
}

/// The security layer's signer (for example a test PKI pseudonym,
/// [`TestPki::signer`](crate::testing::pki::TestPki::signer)) signs scenario messages.
impl MessageSigner for crate::security::SpduSigner {
    fn sign(&mut self, payload: &[u8], aid: u32, at: Timestamp) -> Result<Vec<u8>, SignFailure> {
        crate::security::SpduSigner::sign(self, payload, u64::from(aid), at)
            .map_err(|_| SignFailure)
    }
}

fn no_ext() -> UnknownExtensions {
    UnknownExtensions::default()
}

fn size(length_m: f64, width_m: f64) -> m::VehicleSize {
    m::VehicleSize {
        width: to_wire::width_cm(width_m),
        length: to_wire::length_cm(length_m),
        height: None,
    }
}

fn accel_set(s: &MotionState) -> m::AccelerationSet4Way {
    m::AccelerationSet4Way {
        long: to_wire::accel(Some(s.accel_mps2)),
        lat: 0,
        vert: 0,
        yaw: to_wire::yaw_rate(Some(s.yaw_rate_dps)),
    }
}

/// What a vehicle's BSM carries beyond its motion.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VehicleInfo {
    /// Temporary id.
    pub id: [u8; 8],
    /// Kind.
    pub kind: Kind,
    /// Length, m.
    pub length_m: f64,
    /// Width, m.
    pub width_m: f64,
    /// Position noise (1σ), m: sets the position confidence.
    pub noise_m: f64,
}

/// A BSM of a vehicle at `s` (position `w`) generated at `t`.
pub fn bsm(
    info: &VehicleInfo,
    s: &MotionState,
    w: &Wgs84,
    t: Timestamp,
    count: u8,
) -> m::MessageFrame {
    let f = s.flags;
    let mut events = m::VehicleEventFlags {
        bits: [0; 2],
        extended: None,
    };
    events.set(m::VehicleEventFlags::EVENT_HARD_BRAKING, f.hard_braking);
    events.set(m::VehicleEventFlags::EVENT_HAZARD_LIGHTS, f.hazard_lights);
    events.set(m::VehicleEventFlags::EVENT_DISABLED_VEHICLE, f.disabled);
    events.set(
        m::VehicleEventFlags::EVENT_STABILITY_CONTROLACTIVATED,
        f.control_loss,
    );
    let mut lights = m::ExteriorLights {
        bits: [0; 2],
        extended: None,
    };
    lights.set(m::ExteriorLights::HAZARD_SIGNAL_ON, f.hazard_lights);
    lights.set(
        m::ExteriorLights::LEFT_TURN_SIGNAL_ON,
        f.turn_signal == TurnSignal::Left,
    );
    lights.set(
        m::ExteriorLights::RIGHT_TURN_SIGNAL_ON,
        f.turn_signal == TurnSignal::Right,
    );
    let classification = match info.kind {
        Kind::Car => 10,
        Kind::Truck => 25,
        Kind::Bus => 50,
        Kind::Emergency => 60,
        Kind::Pedestrian | Kind::Cyclist => 0,
    };
    let emergency_ext = (info.kind == Kind::Emergency).then(|| m::VehicleEmergencyExtensions {
        response_type: Some(if f.siren {
            m::ResponseType::Emergency
        } else {
            m::ResponseType::NonEmergency
        }),
        siren_use: Some(if f.siren {
            m::SirenInUse::InUse
        } else {
            m::SirenInUse::NotInUse
        }),
        lights_use: Some(if f.siren {
            m::LightbarInUse::InUse
        } else {
            m::LightbarInUse::NotInUse
        }),
        unknown_ext: no_ext(),
    });
    m::MessageFrame::BsmFrame(m::BasicSafetyMessage {
        msg_cnt: count % 128,
        id: info.id,
        sec_mark: sec_mark(t),
        time_confidence: None,
        pos: pos3d(w),
        pos_accuracy: None,
        pos_confidence: Some(m::PositionConfidenceSet {
            pos: position_confidence_of_sigma(info.noise_m.max(0.6)),
            elevation: None,
        }),
        transmission: m::TransmissionState::ForwardGears,
        speed: to_wire::speed(Some(s.speed_mps)),
        heading: to_wire::heading(Some(s.heading_deg)),
        angle: None,
        motion_cfd: None,
        accel_set: accel_set(s),
        brakes: m::BrakeSystemStatus {
            brake_padel: Some(if s.accel_mps2 < -0.5 {
                m::BrakePedalStatus::On
            } else {
                m::BrakePedalStatus::Off
            }),
            wheel_brakes: None,
            traction: None,
            abs: None,
            scs: None,
            brake_boost: None,
            aux_brakes: None,
        },
        size: size(info.length_m, info.width_m),
        vehicle_class: m::VehicleClassification {
            classification,
            fuel_type: None,
            unknown_ext: no_ext(),
        },
        safety_ext: Some(m::VehicleSafetyExtensions {
            events: Some(events),
            path_history: None,
            path_prediction: None,
            lights: Some(lights),
            unknown_ext: no_ext(),
        }),
        emergency_ext,
        unknown_ext: no_ext(),
    })
}

/// A PSM of a pedestrian or cyclist.
pub fn psm(
    info: &VehicleInfo,
    s: &MotionState,
    w: &Wgs84,
    t: Timestamp,
    count: u8,
) -> m::MessageFrame {
    let semi = ((1.0_f64).max(info.noise_m) / 0.05)
        .round()
        .clamp(0.0, 254.0) as u8;
    m::MessageFrame::MsgFrameExt(m::MessageFrameExt {
        message_id: 15,
        value: m::MessageFrameExtValue::PersonalSafetyMessage(m::PersonalSafetyMessage {
            msg_cnt: count % 128,
            id: info.id,
            sec_mark: sec_mark(t),
            time_confidence: None,
            pos: pos3d(w),
            pos_accuracy: m::PositionalAccuracy {
                semi_major: semi,
                semi_minor: semi,
                orientation: 0,
            },
            speed: to_wire::speed(Some(s.speed_mps)),
            heading: to_wire::heading(Some(s.heading_deg)),
            accel_set: None,
            path_history: None,
            path_planning: None,
            overall_radius: ((info.length_m.max(info.width_m) * 0.5) / 0.1)
                .round()
                .clamp(0.0, 200.0) as u8,
            non_motor_data: m::NonMotorData {
                basic_type: if info.kind == Kind::Cyclist {
                    m::PersonalDeviceUserType::APedalcyclist
                } else {
                    m::PersonalDeviceUserType::APedestrian
                },
                propulsion: None,
                cluster_size: None,
                attachment: None,
                personal_ext: None,
                road_worker_ext: None,
                personal_req: None,
                unknown_ext: no_ext(),
            },
            unknown_ext: no_ext(),
        }),
        unknown_ext: no_ext(),
    })
}

/// One RSM participant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Participant {
    /// `ptcId`.
    pub ptc_id: u16,
    /// Kind.
    pub kind: Kind,
    /// Vehicle id, when the RSU knows it.
    pub id: Option<[u8; 8]>,
    /// Motion (speed, heading, acceleration, yaw rate).
    pub state: MotionState,
    /// Position.
    pub position: Wgs84,
    /// Time of the state.
    pub time: Timestamp,
    /// Length, m.
    pub length_m: f64,
    /// Width, m.
    pub width_m: f64,
    /// Position noise (1σ), m.
    pub noise_m: f64,
}

fn participant(ref_pos: &m::Position3D, p: &Participant) -> m::ParticipantData {
    m::ParticipantData {
        ptc_type: match p.kind {
            Kind::Pedestrian => m::ParticipantType::Pedestrian,
            Kind::Cyclist => m::ParticipantType::NonMotor,
            _ => m::ParticipantType::Motor,
        },
        ptc_id: p.ptc_id,
        source: m::SourceType::Integrated,
        id: p.id,
        sec_mark: sec_mark(p.time),
        pos: offset(ref_pos, &p.position),
        pos_confidence: m::PositionConfidenceSet {
            pos: position_confidence_of_sigma(p.noise_m),
            elevation: None,
        },
        transmission: None,
        speed: to_wire::speed(Some(p.state.speed_mps)),
        heading: to_wire::heading(Some(p.state.heading_deg)),
        angle: None,
        motion_cfd: None,
        accel_set: Some(accel_set(&p.state)),
        size: size(p.length_m, p.width_m),
        vehicle_class: None,
        unknown_ext: no_ext(),
    }
}

/// A sensor-sharing message (Day II SSM) of the sender `id` at `sensor` (generated at `t`)
/// with `participants` detected by its sensors.
pub fn ssm(
    id: [u8; 8],
    sensor: &Wgs84,
    participants: &[Participant],
    t: Timestamp,
    count: u8,
) -> m::MessageFrame {
    let ref_pos = pos3d(sensor);
    let list: Vec<m::DetectedPTCData> = participants
        .iter()
        .map(|p| m::DetectedPTCData {
            ptc: participant(&ref_pos, p),
            obj_size_confidence: None,
            detected_ptc_type: None,
            type_confidence: None,
            acc4_way_confidence: None,
            status_duration: None,
            path_history: None,
            planning_list: None,
            tracking: None,
            polygon: None,
            type_related_ext: None,
            unknown_ext: no_ext(),
        })
        .collect();
    m::MessageFrame::MsgFrameExt(m::MessageFrameExt {
        message_id: 12,
        value: m::MessageFrameExtValue::SensorSharingMsg(m::SensorSharingMsg {
            msg_cnt: count % 128,
            id,
            equipment_type: m::EquipmentType::Obu,
            sec_mark: sec_mark(t),
            sensor_pos: ref_pos,
            detected_region: None,
            participants: (!list.is_empty()).then_some(list),
            obstacles: None,
            rtes: None,
            unknown_ext: no_ext(),
        }),
        unknown_ext: no_ext(),
    })
}

/// An RSM of the RSU at `rsu` with `participants` (at most 16 per message).
pub fn rsm(rsu: &Wgs84, participants: &[Participant], count: u8) -> m::MessageFrame {
    let ref_pos = pos3d(rsu);
    let list = participants
        .iter()
        .map(|p| participant(&ref_pos, p))
        .collect();
    m::MessageFrame::RsmFrame(m::RoadsideSafetyMessage {
        msg_cnt: count % 128,
        id: RSU_ID,
        ref_pos,
        participants: list,
        unknown_ext: no_ext(),
    })
}

/// The scenario intersection's id.
pub const NODE: m::NodeReferenceID = m::NodeReferenceID {
    region: Some(1),
    id: 100,
};
/// The approach's upstream node.
const UPSTREAM: m::NodeReferenceID = m::NodeReferenceID {
    region: Some(1),
    id: 99,
};
/// The downstream node.
const DOWNSTREAM: m::NodeReferenceID = m::NodeReferenceID {
    region: Some(1),
    id: 101,
};
/// The approach's signal phase.
pub const PHASE: u8 = 1;

fn maneuver_bits(t: Turn) -> m::AllowedManeuvers {
    let mut b = m::AllowedManeuvers([0; 2]);
    b.set(
        match t {
            Turn::Straight => m::AllowedManeuvers::MANEUVER_STRAIGHT_ALLOWED,
            Turn::Left => m::AllowedManeuvers::MANEUVER_LEFT_ALLOWED,
            Turn::Right => m::AllowedManeuvers::MANEUVER_RIGHT_ALLOWED,
            Turn::UTurn => m::AllowedManeuvers::MANEUVER_U_TURN_ALLOWED,
        },
        true,
    );
    b
}

/// The MAP of a straight approach ending at the stop line: one lane along `x = signal.x`,
/// from `length_m` upstream of the stop line to it, in the direction of travel `dir` (+1
/// northbound, −1 southbound). The node lies 15 m past the stop line.
pub fn map(frame: &EnuFrame, signal: &Signal, dir: f64, length_m: f64) -> m::MessageFrame {
    let at = |x: f64, y: f64| frame.wgs84_from_enu(&nalgebra::Vector3::new(x, y, 0.0));
    let node_pos = pos3d(&at(signal.x, signal.stop_line_y + dir * 15.0));
    let mut points = Vec::new();
    let n = (length_m / 100.0).ceil().clamp(1.0, 30.0) as usize;
    for i in 0..=n {
        let back = length_m * (1.0 - i as f64 / n as f64);
        points.push(m::RoadPoint {
            pos_offset: offset(&node_pos, &at(signal.x, signal.stop_line_y - dir * back)),
            unknown_ext: no_ext(),
        });
    }
    let speed_limits = signal.speed_limit_kph.map(|k| {
        vec![m::RegulatorySpeedLimit {
            r#type: m::SpeedLimitType::VehicleMaxSpeed,
            speed: to_wire::speed(Some(k / 3.6)),
        }]
    });
    let lane = m::Lane {
        lane_id: 1,
        lane_width: Some(350),
        lane_attributes: None,
        maneuvers: Some(maneuver_bits(signal.lanes)),
        connects_to: Some(vec![m::Connection {
            remote_intersection: DOWNSTREAM,
            connecting_lane: Some(m::ConnectingLane {
                lane: 1,
                maneuver: Some(maneuver_bits(signal.lanes)),
            }),
            phase_id: Some(PHASE),
        }]),
        speed_limits: None,
        points: Some(points.clone()),
        unknown_ext: no_ext(),
    };
    let link = m::Link {
        name: None,
        upstream_node_id: UPSTREAM,
        speed_limits,
        link_width: 350,
        points: Some(points),
        movements: Some(vec![m::Movement {
            remote_intersection: DOWNSTREAM,
            phase_id: Some(PHASE),
        }]),
        lanes: vec![lane],
        unknown_ext: no_ext(),
    };
    m::MessageFrame::MapFrame(m::MapData {
        msg_cnt: 1,
        time_stamp: None,
        nodes: vec![m::Node {
            name: None,
            id: NODE,
            ref_pos: node_pos,
            in_links: Some(vec![link]),
            in_links_ex: None,
            prohibitedzone: None,
            unknown_ext: no_ext(),
        }],
        unknown_ext: no_ext(),
    })
}

fn tenths(s: f64) -> u16 {
    (s * 10.0).round().clamp(0.0, 36_000.0) as u16
}

/// The SPAT of the signal plan at scenario time `t_s` (absolute time `t`): the current state
/// and the rest of the cycle after it, each with its next occurrence.
pub fn spat(signal: &Signal, t_s: f64, t: Timestamp, count: u8) -> Option<m::MessageFrame> {
    let cycle: f64 = signal.plan.iter().map(|p| p.1).sum();
    if cycle <= 0.0 {
        return None;
    }
    let tau = t_s.rem_euclid(cycle);
    let mut acc = 0.0;
    let mut cur = 0;
    for (i, (_, d)) in signal.plan.iter().enumerate() {
        if tau < acc + d {
            cur = i;
            break;
        }
        acc += d;
    }
    let n = signal.plan.len();
    let (moy, ms) = t.to_minute_of_year();
    let hour_tenths = {
        let unix = t.to_unix_utc_millis();
        unix.rem_euclid(3_600_000) as f64 / 100.0
    };
    let mut states = Vec::with_capacity(n);
    let mut start = 0.0;
    for i in 0..n {
        let j = (cur + i) % n;
        let Some(&(light, dur)) = signal.plan.get(j) else {
            continue;
        };
        let (s, e) = if i == 0 {
            (0.0, acc + dur - tau)
        } else {
            (start, start + dur)
        };
        start = e;
        // When this state really began (the current one began before now).
        let began = if i == 0 { acc - tau } else { s };
        let timing = match signal.timing {
            TimingForm::Counting => m::TimeChangeDetails::Counting(m::TimeCountingDown {
                start_time: tenths(s),
                min_end_time: Some(tenths(e)),
                max_end_time: Some(tenths(e)),
                likely_end_time: tenths(e),
                time_confidence: None,
                next_start_time: Some(tenths(began + cycle)),
                next_duration: Some(tenths(dur)),
            }),
            TimingForm::Utc => {
                let abs =
                    |x: f64| ((hour_tenths + x * 10.0).round() as i64).rem_euclid(36_000) as u16;
                m::TimeChangeDetails::UtcTiming(m::UTCTiming {
                    start_utc_time: abs(began),
                    min_end_utc_time: Some(abs(e)),
                    max_end_utc_time: Some(abs(e)),
                    likely_end_utc_time: abs(e),
                    time_confidence: None,
                    next_start_utc_time: Some(abs(began + cycle)),
                    next_end_utc_time: Some(abs(began + cycle + dur)),
                })
            }
        };
        states.push(m::PhaseState {
            light: light.to_wire(),
            timing: Some(timing),
            unknown_ext: no_ext(),
        });
    }
    let mut status = m::IntersectionStatusObject([0; 2]);
    status.set(m::IntersectionStatusObject::FIXED_TIME_OPERATION, true);
    Some(m::MessageFrame::SpatFrame(m::SPAT {
        msg_cnt: count % 128,
        moy: Some(moy.get()),
        time_stamp: Some(ms.millis()),
        name: None,
        intersections: vec![m::IntersectionState {
            intersection_id: NODE,
            status,
            moy: Some(moy.get()),
            time_stamp: Some(ms.millis()),
            time_confidence: None,
            phases: vec![m::Phase {
                id: PHASE,
                phase_states: states,
            }],
            unknown_ext: no_ext(),
        }],
        unknown_ext: no_ext(),
    }))
}

/// The RSI of the items active at `t_s`, from an RSU at the frame origin; `None` when none.
pub fn rsi(frame: &EnuFrame, items: &[RsiItem], t_s: f64, count: u8) -> Option<m::MessageFrame> {
    let at = |x: f64, y: f64| frame.wgs84_from_enu(&nalgebra::Vector3::new(x, y, 0.0));
    let ref_pos = pos3d(&frame.origin());
    let active = |i: &&RsiItem| i.from_s <= t_s + 1e-9 && t_s <= i.until_s;
    let paths = |i: &RsiItem| {
        (i.path.len() >= 2).then(|| {
            vec![m::ReferencePath {
                active_path: i
                    .path
                    .iter()
                    .map(|p| offset(&ref_pos, &at(p[0], p[1])))
                    .collect(),
                path_radius: (i.path_radius_m * 10.0).round().clamp(0.0, 65_535.0) as u16,
            }]
        })
    };
    let rtes: Vec<m::RTEData> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| !i.sign)
        .filter(|(_, i)| active(i))
        .take(8)
        .map(|(k, i)| m::RTEData {
            rte_id: k as u8,
            event_type: i.code,
            event_source: m::EventSource::Detection,
            event_pos: Some(offset(&ref_pos, &at(i.x, i.y))),
            event_radius: i
                .radius_m
                .map(|r| (r * 10.0).round().clamp(0.0, 65_535.0) as u16),
            description: i.description.clone().map(m::Description::TextString),
            time_details: None,
            priority: i.priority.map(|p| [p.min(7) << 5]),
            reference_paths: paths(i),
            reference_links: None,
            event_confidence: None,
            unknown_ext: no_ext(),
        })
        .collect();
    let rtss: Vec<m::RTSData> = items
        .iter()
        .enumerate()
        .filter(|(_, i)| i.sign)
        .filter(|(_, i)| active(i))
        .take(16)
        .map(|(k, i)| m::RTSData {
            rts_id: k as u8,
            sign_type: i.code,
            sign_pos: Some(offset(&ref_pos, &at(i.x, i.y))),
            description: i.description.clone().map(m::Description::TextString),
            time_details: None,
            priority: i.priority.map(|p| [p.min(7) << 5]),
            reference_paths: paths(i),
            reference_links: None,
            auxiliary_sign: None,
            unknown_ext: no_ext(),
        })
        .collect();
    if rtes.is_empty() && rtss.is_empty() {
        return None;
    }
    Some(m::MessageFrame::RsiFrame(m::RoadSideInformation {
        msg_cnt: count % 128,
        moy: None,
        id: RSU_ID,
        ref_pos,
        rtes: (!rtes.is_empty()).then_some(rtes),
        rtss: (!rtss.is_empty()).then_some(rtss),
        unknown_ext: no_ext(),
    }))
}
