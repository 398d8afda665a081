//! The Day II messages the ego sends, SI → wire: VIR (intention and requests), CLPMM
//! (platooning state) and VPM (payment answers), from [`Outgoing`] and the ego at the send
//! time ([`Sender`]).
//!
//! Every value is brought into its data element's range (see [`super::to_wire`]): a list beyond
//! its size limit is cut to the limit, a path of one point is sent as two equal points (a
//! `PathPointList` has at least two), a time in the past or beyond the `TimeOffset` range is
//! clamped, an account or credential of a length the message cannot carry is left out. A
//! payment application the message set cannot name ([`PaymentService::Other`]) is left out.
use alloc::vec::Vec;

use super::to_wire::{self, offset, pos3d};
use crate::codec::uper::UnknownExtensions;
use crate::math::round;
use crate::msg::v2020 as m;
use crate::time::{Timestamp, civil_from_days};
use crate::world::day2::{
    ActionAnswer, ActionResult, DriveRequest, GuidePoint, LinkRef, Membership, OutIntention,
    OutPlatoon, Outgoing, PlatoonRole, PlatoonStatus, RefPath, RequestKind, RequestStatus, Sender,
    ServiceInfo,
    payment::{
        Contract, Date, EquipmentClass, ObuKind, ObuPaymentData, PaymentChannel, PaymentService,
        ReturnCode, VehicleFile,
    },
};
use crate::world::map::{IntersectionKey, Turn};

fn no_ext() -> UnknownExtensions {
    UnknownExtensions::default()
}

/// The Day II message id of a frame ([`m::MessageFrameExt::message_id`]): VIR 13, CLPMM 16,
/// VPM 17.
pub fn message_id(o: &Outgoing) -> u16 {
    match o {
        Outgoing::Intention(_) => 13,
        Outgoing::Platoon(_) => 16,
        Outgoing::PaymentInfo(_) | Outgoing::PaymentAnswer(_) => 17,
    }
}

/// The `MessageFrame` of `o` sent by `me` with message counter `msg_cnt` (mod 128).
pub fn frame(o: &Outgoing, me: &Sender, msg_cnt: u8) -> m::MessageFrame {
    let msg_cnt = msg_cnt % 128;
    let value = match o {
        Outgoing::Intention(i) => {
            m::MessageFrameExtValue::VehIntentionAndRequest(intention(i, me, msg_cnt))
        }
        Outgoing::Platoon(p) => m::MessageFrameExtValue::Clpmm(platoon(p, me, msg_cnt)),
        Outgoing::PaymentInfo(v) => {
            m::MessageFrameExtValue::VehiclePaymentMessage(m::VehiclePaymentMessage {
                msg_cnt,
                payment: m::VehiclePaymentMessagePayment::InitialzationResponse(vsi(v, me)),
                unknown_ext: no_ext(),
            })
        }
        Outgoing::PaymentAnswer(a) => {
            m::MessageFrameExtValue::VehiclePaymentMessage(m::VehiclePaymentMessage {
                msg_cnt,
                payment: m::VehiclePaymentMessagePayment::ActionResponse(action_response(a, me)),
                unknown_ext: no_ext(),
            })
        }
    };
    m::MessageFrame::MsgFrameExt(m::MessageFrameExt {
        message_id: message_id(o),
        value,
        unknown_ext: no_ext(),
    })
}

/// A `TimeOffset` (10 ms, 1..=65534) of the time from `from` to `to`.
pub fn time_offset_to_wire(from: Timestamp, to: Timestamp) -> u16 {
    let s = to.seconds_since(from);
    round(s / 0.01).clamp(1.0, 65_534.0) as u16
}

/// A `DDateTime` of a time, every component given (UTC).
pub fn ddatetime_to_wire(t: Timestamp) -> m::DDateTime {
    let unix = t.to_unix_utc_millis();
    let (y, mo, d) = civil_from_days(unix.div_euclid(86_400_000));
    let into_day = unix.rem_euclid(86_400_000);
    m::DDateTime {
        year: Some(y.clamp(1, 4095) as u16),
        month: Some(mo as u8),
        day: Some(d as u8),
        hour: Some((into_day / 3_600_000) as u8),
        minute: Some(((into_day / 60_000) % 60) as u8),
        second: Some((into_day % 60_000) as u16),
        offset: None,
    }
}

fn node(k: IntersectionKey) -> m::NodeReferenceID {
    m::NodeReferenceID {
        region: (k.0 != 0).then_some(k.0),
        id: k.1,
    }
}

fn set_bits(n: u16, count: usize, mut set: impl FnMut(usize)) {
    for i in 0..count.min(16) {
        if n & (1 << i) != 0 {
            set(i);
        }
    }
}

fn behavior(b: crate::world::day2::Behavior) -> m::DriveBehavior {
    let mut w = m::DriveBehavior::default();
    set_bits(b.0, m::DriveBehavior::BITS, |i| w.set(i, true));
    w
}

/// `ReferenceLink` of a [`LinkRef`].
pub fn link_to_wire(l: &LinkRef) -> m::ReferenceLink {
    m::ReferenceLink {
        upstream_node_id: node(l.upstream),
        downstream_node_id: node(l.downstream),
        reference_lanes: (l.lanes != 0).then(|| {
            let mut r = m::ReferenceLanes([0; 2]);
            set_bits(l.lanes, 16, |i| r.set(i, true));
            r
        }),
    }
}

/// `ReferencePath` of a [`RefPath`], offsets from `reference`; `None` without points.
pub fn path_to_wire(reference: &m::Position3D, p: &RefPath) -> Option<m::ReferencePath> {
    let mut pts: Vec<m::PositionOffsetLLV> = p
        .points
        .iter()
        .take(32)
        .map(|w| offset(reference, w))
        .collect();
    if let [only] = pts.as_slice() {
        let only = only.clone();
        pts.push(only);
    }
    (!pts.is_empty()).then(|| m::ReferencePath {
        active_path: pts,
        path_radius: round(p.radius_m * 10.0).clamp(0.0, 65_535.0) as u16,
    })
}

fn guide_point(reference: &m::Position3D, p: &GuidePoint, me: &Sender) -> m::PathPlanningPoint {
    m::PathPlanningPoint {
        pos_in_map: p.link.as_ref().map(link_to_wire),
        pos: offset(reference, &p.position),
        pos_accuracy: None,
        speed: p.speed_mps.map(|v| to_wire::speed(Some(v))),
        speed_cfd: None,
        heading: p.heading_deg.map(|h| to_wire::heading(Some(h))),
        heading_cfd: None,
        accel_set: None,
        acc4_way_confidence: None,
        estimated_time: p.at.map(|t| time_offset_to_wire(me.time, t)),
        time_confidence: None,
        unknown_ext: no_ext(),
    }
}

fn status(s: RequestStatus) -> m::ReqStatus {
    match s {
        RequestStatus::Unknown => m::ReqStatus::Unknown,
        RequestStatus::Request => m::ReqStatus::Request,
        RequestStatus::Confirmed => m::ReqStatus::Comfirmed,
        RequestStatus::Cancel => m::ReqStatus::Cancel,
        RequestStatus::Complete => m::ReqStatus::Complete,
    }
}

fn turn(t: Turn) -> m::Maneuver {
    match t {
        Turn::Straight => m::Maneuver::ManeuverStraight,
        Turn::Left => m::Maneuver::ManeuverLeftTurn,
        Turn::Right => m::Maneuver::ManeuverRightTurn,
        Turn::UTurn => m::Maneuver::ManeuverUTurn,
    }
}

fn request_info(reference: &m::Position3D, k: &RequestKind) -> Option<m::ReqInfo> {
    Some(match k {
        RequestKind::LaneChange { link, lane } => m::ReqInfo::LaneChange(m::ReqLaneChange {
            upstream_node: node(link.upstream),
            downstream_node: node(link.downstream),
            target_lane: *lane,
            unknown_ext: no_ext(),
        }),
        RequestKind::ClearTheWay {
            link,
            lane,
            path,
            begin,
            end,
        } => m::ReqInfo::ClearTheWay(m::ReqClearTheWay {
            upstream_node: node(link.upstream),
            downstream_node: node(link.downstream),
            target_lane: *lane,
            related_path: path.as_ref().and_then(|p| path_to_wire(reference, p)),
            t_begin: begin.map(ddatetime_to_wire),
            t_end: end.map(ddatetime_to_wire),
            unknown_ext: no_ext(),
        }),
        RequestKind::SignalPriority {
            intersection,
            towards,
            phase,
            turn: t,
            eta_s,
            distance_m,
        } => m::ReqInfo::SignalPriority(m::ReqSignalPriority {
            intersection_id: node(*intersection),
            required_mov: m::MovementEx {
                remote_intersection: node(*towards),
                phase_id: *phase,
                turn_direction: t.map(turn),
                unknown_ext: no_ext(),
            },
            estimated_arrival_time: eta_s
                .filter(|s| s.is_finite())
                .map(|s| round(s / 0.01).clamp(1.0, 65_534.0) as u16),
            distance2_intersection: distance_m
                .filter(|d| d.is_finite())
                .map(|d| round(d * 10.0).clamp(0.0, 10_000.0) as u16),
            unknown_ext: no_ext(),
        }),
        RequestKind::SensorSharing { paths } => {
            let list: Vec<m::ReferencePath> = paths
                .iter()
                .take(8)
                .filter_map(|p| path_to_wire(reference, p))
                .collect();
            if list.is_empty() {
                return None;
            }
            m::ReqInfo::SensorSharing(m::ReqSensorSharing {
                detect_area: list,
                unknown_ext: no_ext(),
            })
        }
        RequestKind::Parking {
            vehicle_class,
            services,
            kinds,
            slot,
        } => {
            let mut req = m::ParkingRequest::default();
            set_bits(services.0, m::ParkingRequest::BITS, |i| req.set(i, true));
            m::ReqInfo::Parking(m::ReqParkingArea {
                vehicle_class: m::VehicleClassification {
                    classification: *vehicle_class,
                    fuel_type: None,
                    unknown_ext: no_ext(),
                },
                req,
                parking_type: kinds.map(|k| {
                    let mut t = m::ParkingType::default();
                    set_bits(k.0, m::ParkingType::BITS, |i| t.set(i, true));
                    t
                }),
                expected_parking_slot_id: *slot,
                unknown_ext: no_ext(),
            })
        }
        RequestKind::Other => return None,
    })
}

fn drive_request(reference: &m::Position3D, r: &DriveRequest, me: &Sender) -> m::DriveRequest {
    m::DriveRequest {
        req_id: r.id,
        status: status(r.status),
        req_priority: r.priority.map(|p| [p]),
        target_veh: r.target_vehicle,
        target_rsu: r.target_rsu,
        info: r.kind.as_ref().and_then(|k| request_info(reference, k)),
        life_time: r.valid_until.map(|t| time_offset_to_wire(me.time, t)),
        unknown_ext: no_ext(),
    }
}

fn intention(i: &OutIntention, me: &Sender, msg_cnt: u8) -> m::VehIntentionAndRequest {
    let reference = pos3d(&me.position);
    let here = GuidePoint {
        position: me.position,
        link: None,
        speed_mps: Some(me.speed_mps),
        heading_deg: Some(me.heading_deg),
        at: None,
    };
    let path: Vec<m::PathPlanningPoint> = i
        .path
        .iter()
        .take(100)
        .map(|p| guide_point(&reference, p, me))
        .collect();
    let reqs: Vec<m::DriveRequest> = i
        .requests
        .iter()
        .take(8)
        .map(|r| drive_request(&reference, r, me))
        .collect();
    m::VehIntentionAndRequest {
        msg_cnt,
        id: me.id,
        sec_mark: to_wire::sec_mark(me.time),
        ref_pos: reference.clone(),
        int_and_req: m::IARData {
            current_pos: Some(guide_point(&reference, &here, me)),
            path_planning: (!path.is_empty()).then_some(path),
            current_behavior: i.behavior.map(behavior),
            reqs: (!reqs.is_empty()).then_some(reqs),
            unknown_ext: no_ext(),
        },
        unknown_ext: no_ext(),
    }
}

fn members(ids: &[[u8; 8]]) -> Option<Vec<m::MemberNode>> {
    let l: Vec<m::MemberNode> = ids
        .iter()
        .take(32)
        .map(|vid| m::MemberNode {
            vid: *vid,
            unknown_ext: no_ext(),
        })
        .collect();
    (!l.is_empty()).then_some(l)
}

fn management(mm: &Membership, me: &Sender) -> m::MemberManagement {
    m::MemberManagement {
        // A leader's member list names at least the leader.
        member_list: members(&mm.members).unwrap_or_else(|| {
            alloc::vec![m::MemberNode {
                vid: me.id,
                unknown_ext: no_ext(),
            }]
        }),
        joining_list: members(&mm.joining),
        leaving_list: members(&mm.leaving),
        capacity: mm.capacity.clamp(1, 32),
        open_to_join: mm.open,
        unknown_ext: no_ext(),
    }
}

fn platoon(p: &OutPlatoon, me: &Sender, msg_cnt: u8) -> m::CLPMM {
    m::CLPMM {
        msg_cnt,
        id: me.id,
        sec_mark: to_wire::sec_mark(me.time),
        pid: p.platoon,
        role: match p.role {
            PlatoonRole::Leader => m::RoleInPlatooning::Leader,
            PlatoonRole::Follower => m::RoleInPlatooning::Follower,
            PlatoonRole::Tail => m::RoleInPlatooning::Tail,
            PlatoonRole::Free | PlatoonRole::Other => m::RoleInPlatooning::FreeVehicle,
        },
        status: match p.status {
            PlatoonStatus::Navigating | PlatoonStatus::Other => m::StatusInPlatooning::Navigating,
            PlatoonStatus::Dismissing => m::StatusInPlatooning::BeginToDissmiss,
            PlatoonStatus::AskForJoining => m::StatusInPlatooning::AskForJoining,
            PlatoonStatus::Joining => m::StatusInPlatooning::Joining,
            PlatoonStatus::Following => m::StatusInPlatooning::Following,
            PlatoonStatus::AskForLeaving => m::StatusInPlatooning::AskForLeaving,
            PlatoonStatus::Leaving => m::StatusInPlatooning::Leaving,
        },
        leading_ext: p.membership.as_ref().map(|mm| management(mm, me)),
        unknown_ext: no_ext(),
    }
}

/// `PaymentEntityID` of a [`PaymentService`]; `None` for [`PaymentService::Other`].
pub fn service_to_wire(s: PaymentService) -> Option<m::PaymentEntityID> {
    Some(match s {
        PaymentService::System => m::PaymentEntityID::System,
        PaymentService::Freeflow => m::PaymentEntityID::Freeflow,
        PaymentService::Enclosed => m::PaymentEntityID::Enclosed,
        PaymentService::Congestion => m::PaymentEntityID::Congestion,
        PaymentService::Charging => m::PaymentEntityID::Charging,
        PaymentService::Parking => m::PaymentEntityID::Parking,
        PaymentService::Other => return None,
    })
}

fn date(d: &Date) -> m::Date {
    m::Date {
        year: d.year.min(4095),
        month: d.month.min(12),
        day: d.day.min(31),
    }
}

fn contract(c: &Contract) -> m::SysInfo {
    m::SysInfo {
        contract_provider: c.provider,
        contract_type: i64::from(c.kind.min(127)),
        contract_version: i64::from(c.version.min(127)),
        contract_serial_numer: c.serial,
        contract_signed_date: date(&c.signed),
        contract_expired_date: date(&c.expires),
        reserved: [0; 64],
        unknown_ext: no_ext(),
    }
}

fn vehicle_file(v: &VehicleFile) -> m::VehicleInfo {
    m::VehicleInfo {
        vehicle_licence_plate_number: v.plate,
        vehicle_licence_plate_color: v.plate_color,
        vehicle_tolling_class: i64::from(v.toll_class.min(127)),
        vehicle_user_type: i64::from(v.user_type.min(127)),
        vehicle_dimensions: m::VehicleDimensions {
            vehicle_length: v.length,
            vehicle_width: v.width,
            vehicle_heigth: v.height,
            unknown_ext: no_ext(),
        },
        vehicle_wheels: v.wheels.min(127),
        vehicle_axles: v.axles.min(127),
        vehicle_wheel_bases: v.wheel_base,
        vehicle_weight_limits: v.weight_limit.min(16_777_215),
        vehicle_specific_information: v.identification,
        vehicle_engine_number: v.engine,
        description: None,
        unknown_ext: no_ext(),
    }
}

fn obu_payment(d: &ObuPaymentData) -> m::OBUPaymentInfo {
    m::OBUPaymentInfo::ObuPaymentInfoType1(m::OBUPaymentInfoType1 {
        equipment_class: d.equipment.map(|e| match e {
            EquipmentClass::OneChip => m::EquipmentClass::OnechipObu,
            EquipmentClass::WithCard => m::EquipmentClass::IccObu,
            EquipmentClass::PassCard => m::EquipmentClass::CpcObu,
        }),
        gbi_cc_info: d.card.as_ref().map(|c| m::GBICCInfo {
            icc_issue_info: c.issue.clone(),
            icc_uni_toll_info: c.toll.clone(),
            icc_balance: c.balance.clone(),
            unknown_ext: no_ext(),
        }),
        sys_info: d.contract.as_ref().map(contract),
        vehicle_info: d.vehicle.as_ref().map(vehicle_file),
        passed_sites_info: d.entrance.as_ref().map(|e| m::PassedSitesInfo {
            entrance_info: Some(m::PassedPos {
                tolling_pos: m::TollingPos {
                    id: i64::try_from(e.point.id.min(u64::from(u32::MAX))).unwrap_or(0),
                    pos: e.point.position.as_ref().map(pos3d),
                    unknown_ext: no_ext(),
                },
                tolling_time: ddatetime_to_wire(e.time),
                tolling_amount: e.amount,
                unknown_ext: no_ext(),
            }),
            passed_pos: None,
            unknown_ext: no_ext(),
        }),
        unknown_ext: no_ext(),
    })
}

fn vsi(v: &ServiceInfo, me: &Sender) -> m::VSI {
    let apps: Vec<m::VPApplicationParameter> = v
        .applications
        .iter()
        .filter_map(|(s, d)| {
            Some(m::VPApplicationParameter {
                pid: service_to_wire(*s)?,
                obu_payment_info: obu_payment(d),
                unknown_ext: no_ext(),
            })
        })
        .take(16)
        .collect();
    m::VSI {
        time: ddatetime_to_wire(me.time),
        obu_id: v.obu_id,
        target_id: Some(v.rsu),
        obu_info: Some(m::OBUInfo {
            obu_type: match v.obu_kind {
                ObuKind::Oem => m::OBUType::OemObu,
                ObuKind::Aftermarket => m::OBUType::AftermarketObu,
                ObuKind::Phone => m::OBUType::MobilePhone,
            },
            obu_motion_status: Some(m::OBUMotionStatus {
                pos: Some(pos3d(&me.position)),
                heading: Some(to_wire::heading(Some(me.heading_deg))),
                speed: Some(to_wire::speed(Some(me.speed_mps))),
                unknown_ext: no_ext(),
            }),
            unknown_ext: no_ext(),
        }),
        vpapplication_list: (!apps.is_empty()).then_some(apps),
        rnd_obu: v.rnd,
        unknown_ext: no_ext(),
    }
}

fn channel(c: PaymentChannel) -> m::ChannelID {
    match c {
        PaymentChannel::Obu => m::ChannelID::Obu,
        PaymentChannel::Esam => m::ChannelID::Esam,
        PaymentChannel::Icc => m::ChannelID::Icc,
        PaymentChannel::Hmi => m::ChannelID::Hmi,
        PaymentChannel::Beeper => m::ChannelID::Beeper,
    }
}

fn action_result(r: &ActionResult) -> m::TransInfo {
    match r {
        ActionResult::TollData { vehicle, toll } => m::TransInfo::GetTollDataRs(m::GetTollDataRs {
            vehicle_info: *vehicle,
            toll_info: *toll,
            unknown_ext: no_ext(),
        }),
        ActionResult::SecureRead {
            range,
            authenticator,
        } => m::TransInfo::GetSecureRs(m::GetSecureRs {
            file: m::RangeOfFile {
                offset: range.offset.min(32_767),
                length: range.length.min(127),
            },
            authenticator: *authenticator,
            unknown_ext: no_ext(),
        }),
        ActionResult::Charged(c) => m::TransInfo::SetTollDataRs(m::SetTollDataRs {
            tac_info: c.tac,
            authenticator: c.authenticator,
            account_info: c
                .account
                .as_ref()
                .filter(|a| (2..=32).contains(&a.len()))
                .map(|a| m::AccountInfo {
                    account: a.clone(),
                    unknown_ext: no_ext(),
                }),
            trans_credential: c.credential.as_ref().filter(|t| t.len() == 32).map(|t| {
                m::TransCredential {
                    tc: t.clone(),
                    unknown_ext: no_ext(),
                }
            }),
            unknown_ext: no_ext(),
        }),
        ActionResult::Channel { channel: c, apdus } => {
            m::TransInfo::TransferChannelRs(m::ChannelRs {
                channelid: channel(*c),
                apdu: apdus.iter().take(16).copied().collect(),
                unknown_ext: no_ext(),
            })
        }
    }
}

fn action_response(a: &ActionAnswer, me: &Sender) -> m::ActionResponse {
    m::ActionResponse {
        time: ddatetime_to_wire(me.time),
        source_id: a.obu_id,
        target_id: Some(a.rsu),
        payment_entity_id: service_to_wire(a.service).unwrap_or(m::PaymentEntityID::System),
        response_parameter: a.result.as_ref().map(action_result),
        ret: match a.ret {
            ReturnCode::Ok => m::ReturnStatus::NoError,
            ReturnCode::AccessDenied => m::ReturnStatus::AccessDenied,
            ReturnCode::ArgumentError => m::ReturnStatus::ArgumnetError,
            ReturnCode::ComplexityLimitation => m::ReturnStatus::ComplexityLimitation,
            ReturnCode::ProcessingFailure => m::ReturnStatus::ProcessingFailure,
            ReturnCode::Processing => m::ReturnStatus::Processing,
        },
        unknown_ext: no_ext(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::Uper;
    use crate::geo::Wgs84;
    use crate::world::convert::day2 as back;
    use crate::world::day2::{Behavior, ChargeReceipt, ParkingKinds, ParkingServices, VehicleFile};

    fn me() -> Sender {
        Sender {
            id: [7; 8],
            time: Timestamp::from_unix_utc_millis(1_772_352_000_000),
            position: Wgs84::new(39.9, 116.4, 0.0),
            heading_deg: 90.0,
            speed_mps: 12.0,
        }
    }

    fn decoded(o: &Outgoing) -> m::MessageFrameExtValue {
        let bytes = frame(o, &me(), 130).encode().unwrap();
        match m::MessageFrame::decode(&bytes).unwrap() {
            m::MessageFrame::MsgFrameExt(x) => {
                assert_eq!(x.message_id, message_id(o));
                x.value
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn requests_round_trip_through_the_wire() {
        let s = me();
        let link = LinkRef {
            upstream: (1, 10),
            downstream: (0, 11),
            lanes: 0,
        };
        let path = RefPath {
            points: alloc::vec![Wgs84::new(39.9001, 116.4, 0.0)],
            radius_m: 2.5,
        };
        let kinds = [
            RequestKind::LaneChange { link, lane: 2 },
            RequestKind::ClearTheWay {
                link,
                lane: 1,
                path: Some(path),
                begin: Some(s.time),
                end: Some(s.time.add_millis(30_000)),
            },
            RequestKind::SignalPriority {
                intersection: (1, 100),
                towards: (1, 101),
                phase: Some(3),
                turn: Some(Turn::Left),
                eta_s: Some(12.34),
                distance_m: Some(150.0),
            },
            RequestKind::Parking {
                vehicle_class: 10,
                services: ParkingServices(ParkingServices::ENTER.0 | ParkingServices::PARK.0),
                kinds: Some(ParkingKinds::CHARGING),
                slot: Some(101),
            },
        ];
        let requests: Vec<DriveRequest> = kinds
            .iter()
            .enumerate()
            .map(|(i, k)| DriveRequest {
                id: i as u8,
                status: RequestStatus::Request,
                priority: Some(255),
                target_vehicle: None,
                target_rsu: Some([9; 8]),
                kind: Some(k.clone()),
                valid_until: Some(s.time.add_millis(10_000)),
            })
            .collect();
        let o = Outgoing::Intention(OutIntention {
            behavior: Some(Behavior::LANE_CHANGE_LEFT),
            path: Vec::new(),
            requests,
        });
        let m::MessageFrameExtValue::VehIntentionAndRequest(v) = decoded(&o) else {
            panic!("not a VIR")
        };
        assert_eq!(v.msg_cnt, 2, "the counter wraps at 128");
        let (i, dropped) = back::intention(&v, s.time);
        assert_eq!(dropped, 0);
        assert_eq!(i.sender, s.id);
        assert_eq!(i.behavior, Some(Behavior::LANE_CHANGE_LEFT));
        assert!((i.speed_mps.unwrap() - 12.0).abs() < 0.02);
        assert_eq!(i.requests.len(), 4);
        for (r, k) in i.requests.iter().zip(&kinds) {
            assert_eq!(r.valid_until, Some(s.time.add_millis(10_000)));
            assert_eq!(r.target_rsu, Some([9; 8]));
            match (r.kind.as_ref().unwrap(), k) {
                (
                    RequestKind::ClearTheWay { path, end, .. },
                    RequestKind::ClearTheWay { end: e2, .. },
                ) => {
                    // One point goes out as two: a path has at least two.
                    assert_eq!(path.as_ref().unwrap().points.len(), 2);
                    assert_eq!(end, e2);
                }
                (
                    RequestKind::SignalPriority {
                        eta_s, distance_m, ..
                    },
                    _,
                ) => {
                    assert!((eta_s.unwrap() - 12.34).abs() < 0.006);
                    assert_eq!(*distance_m, Some(150.0));
                }
                (a, b) => assert_eq!(a, b),
            }
        }
    }

    #[test]
    fn platoon_and_payment_messages_encode() {
        let o = Outgoing::Platoon(OutPlatoon {
            platoon: [b'P'; 17],
            role: PlatoonRole::Leader,
            status: PlatoonStatus::Navigating,
            membership: Some(Membership {
                members: Vec::new(),
                joining: alloc::vec![[1; 8]],
                leaving: Vec::new(),
                capacity: 0,
                open: true,
            }),
        });
        let m::MessageFrameExtValue::Clpmm(c) = decoded(&o) else {
            panic!("not a CLPMM")
        };
        let r = back::platoon_report(&c, me().time);
        let mm = r.membership.unwrap();
        assert_eq!(mm.members, [[7; 8]], "a leader lists itself at least");
        assert_eq!((mm.capacity, mm.joining.len()), (1, 1));
        let vsi = Outgoing::PaymentInfo(ServiceInfo {
            rsu: [2; 8],
            obu_id: [7; 8],
            obu_kind: ObuKind::Aftermarket,
            applications: alloc::vec![
                (
                    PaymentService::Freeflow,
                    ObuPaymentData {
                        equipment: Some(EquipmentClass::WithCard),
                        vehicle: Some(VehicleFile {
                            plate: [0; 12],
                            plate_color: [0; 2],
                            toll_class: 200,
                            user_type: 0,
                            length: 480,
                            width: 19,
                            height: 15,
                            wheels: 4,
                            axles: 2,
                            wheel_base: 280,
                            weight_limit: u32::MAX,
                            identification: [0; 16],
                            engine: [0; 16],
                        }),
                        contract: Some(Contract {
                            provider: [1; 8],
                            kind: 1,
                            version: 1,
                            serial: [2; 8],
                            signed: Date {
                                year: 2025,
                                month: 1,
                                day: 1,
                            },
                            expires: Date {
                                year: 2035,
                                month: 12,
                                day: 31,
                            },
                        }),
                        ..ObuPaymentData::default()
                    }
                ),
                (PaymentService::Other, ObuPaymentData::default()),
            ],
            rnd: Some([5; 8]),
        });
        let m::MessageFrameExtValue::VehiclePaymentMessage(p) = decoded(&vsi) else {
            panic!("not a VPM")
        };
        let m::VehiclePaymentMessagePayment::InitialzationResponse(v) = p.payment else {
            panic!("not a VSI")
        };
        assert_eq!(v.target_id, Some([2; 8]));
        assert_eq!(
            v.vpapplication_list.map(|l| l.len()),
            Some(1),
            "a service the message set cannot name is left out"
        );
        let answer = Outgoing::PaymentAnswer(ActionAnswer {
            rsu: [2; 8],
            obu_id: [7; 8],
            service: PaymentService::Parking,
            ret: ReturnCode::Ok,
            result: Some(ActionResult::Charged(ChargeReceipt {
                tac: Some([1; 4]),
                authenticator: None,
                account: Some(alloc::vec![1]),
                credential: Some(alloc::vec![0; 32]),
            })),
        });
        let m::MessageFrameExtValue::VehiclePaymentMessage(p) = decoded(&answer) else {
            panic!("not a VPM")
        };
        let m::VehiclePaymentMessagePayment::ActionResponse(a) = p.payment else {
            panic!("not a response")
        };
        let Some(m::TransInfo::SetTollDataRs(rs)) = a.response_parameter else {
            panic!("not a charge result")
        };
        assert!(
            rs.account_info.is_none(),
            "one octet is too short an account"
        );
        assert!(rs.trans_credential.is_some());
    }
}
