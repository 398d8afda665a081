//! The Day II services through the `Stack` with bad input: messages for other vehicles,
//! expired or inconsistent guidance, lists at their ASN.1 size limits. Nothing panics, the
//! stores stay bounded and count what they drop, and nothing is raised or sent for another
//! vehicle. (Every message here stays under 16 KiB: the codec reads open types only
//! unfragmented, and no radio carries more than a few KiB.)

use cv2x::VehicleState;
use cv2x::apps::{AppId, Command, Guidance, Level, PaymentAccount, Warning};
use cv2x::codec::Uper;
use cv2x::codec::uper::UnknownExtensions;
use cv2x::geo::{EnuFrame, Wgs84};
use cv2x::host::{HostConfig, HostVehicle, MessageKind, SeededRandom};
use cv2x::msg::v2020 as m;
use cv2x::stack::{Event, RxMeta, Stack, StackConfig};
use cv2x::time::Timestamp;
use cv2x::world::convert::to_wire::{offset, pos3d};
use cv2x::world::day2::{
    ChargeReceipt, ChargeRequest, FileRange, ObuPaymentData, PaymentService, ReturnCode,
};

const ORIGIN: Wgs84 = Wgs84 {
    lat_deg: 39.9,
    lon_deg: 116.4,
    alt_m: 0.0,
};
const OTHER: [u8; 8] = [1, 2, 3, 4, 5, 6, 7, 8];
const RSU: [u8; 8] = *b"RSU\0\0\0\0\x09";

fn t(s: f64) -> Timestamp {
    Timestamp::from_unix_utc_millis(1_772_352_000_000).add_micros((s * 1e6) as i64)
}

fn at(x: f64, y: f64) -> Wgs84 {
    EnuFrame::new(ORIGIN)
        .unwrap()
        .wgs84_from_enu(&nalgebra::Vector3::new(x, y, 0.0))
}

fn no_ext() -> UnknownExtensions {
    UnknownExtensions::default()
}

fn ext(id: u16, value: m::MessageFrameExtValue) -> Vec<u8> {
    m::MessageFrame::MsgFrameExt(m::MessageFrameExt {
        message_id: id,
        value,
        unknown_ext: no_ext(),
    })
    .encode()
    .unwrap()
}

/// A stack on the air (a host vehicle), the ego northbound at 15 m/s from the origin.
struct Run {
    stack: Stack,
    k: usize,
}

impl Run {
    fn new() -> Run {
        let config = StackConfig::default()
            .with_origin(ORIGIN)
            .with_max_message_bytes(1 << 16);
        let mut stack = Stack::new(config).unwrap();
        let host =
            HostVehicle::new(HostConfig::default(), Box::new(SeededRandom::new([3; 32]))).unwrap();
        stack.set_host(host);
        let mut r = Run { stack, k: 0 };
        r.step(&[]);
        r
    }

    fn now(&self) -> f64 {
        self.k as f64 * 0.1
    }

    fn ego_id(&self) -> [u8; 8] {
        self.stack.temporary_id().unwrap()
    }

    /// One step: the ego state, `msgs`, a poll; the warnings active after it and what was
    /// sent.
    fn step(&mut self, msgs: &[Vec<u8>]) -> (Vec<Warning>, Vec<MessageKind>) {
        let ts = self.now();
        let p = at(0.0, 15.0 * ts);
        let s = VehicleState::new(t(ts), p.lat_deg, p.lon_deg, 0.0, 15.0).with_accuracy(0.5, 1.0);
        self.stack.set_ego(&s).unwrap();
        for b in msgs {
            let _ = self.stack.ingest(b, &RxMeta::PLAIN, t(ts));
        }
        let _: Vec<Event> = self.stack.poll(t(ts)).collect();
        let warnings = self
            .stack
            .active_warnings()
            .iter()
            .map(|a| a.warning)
            .collect();
        let sent = self.stack.transmissions().map(|tx| tx.kind).collect();
        self.k += 1;
        (warnings, sent)
    }

    /// Steps for `secs` with `msgs` every step; every warning seen and everything sent.
    fn run(
        &mut self,
        secs: f64,
        mut msgs: impl FnMut(&Run) -> Vec<Vec<u8>>,
    ) -> (Vec<Warning>, Vec<MessageKind>) {
        let (mut ws, mut ss) = (Vec::new(), Vec::new());
        for _ in 0..(secs * 10.0).round() as usize {
            let m = msgs(self);
            let (w, s) = self.step(&m);
            ws.extend(w);
            ss.extend(s);
        }
        (ws, ss)
    }
}

fn of(ws: &[Warning], app: AppId) -> Vec<&Warning> {
    ws.iter().filter(|w| w.app == app).collect()
}

fn point(reference: &m::Position3D, x: f64, y: f64) -> m::PathPlanningPoint {
    m::PathPlanningPoint {
        pos_in_map: None,
        pos: offset(reference, &at(x, y)),
        pos_accuracy: None,
        speed: Some(500),
        speed_cfd: None,
        heading: None,
        heading_cfd: None,
        accel_set: None,
        acc4_way_confidence: None,
        estimated_time: Some(200),
        time_confidence: None,
        unknown_ext: no_ext(),
    }
}

fn behaviour(bit: usize) -> m::DriveBehavior {
    let mut b = m::DriveBehavior::default();
    b.set(bit, true);
    b
}

/// The link from node 1 to node 2, every lane.
fn link12() -> m::ReferenceLink {
    let node = |id| m::NodeReferenceID { region: None, id };
    m::ReferenceLink {
        upstream_node_id: node(1),
        downstream_node_id: node(2),
        reference_lanes: None,
    }
}

fn rsc(vehicles: Vec<m::VehicleCoordination>, lanes: Vec<m::LaneCoordination>) -> Vec<u8> {
    ext(
        11,
        m::MessageFrameExtValue::RoadsideCoordination(m::RoadsideCoordination {
            msg_cnt: 1,
            id: RSU,
            sec_mark: 65_535,
            ref_pos: pos3d(&ORIGIN),
            coordinates: (!vehicles.is_empty()).then_some(vehicles),
            lane_coordinates: (!lanes.is_empty()).then_some(lanes),
            unknown_ext: no_ext(),
        }),
    )
}

fn guidance(id: [u8; 8], bit: usize, life: Option<u16>, points: usize) -> m::VehicleCoordination {
    let r = pos3d(&ORIGIN);
    // Many points: positions only.
    let lean = |p: m::PathPlanningPoint| {
        if points > 10 {
            m::PathPlanningPoint {
                speed: None,
                estimated_time: None,
                ..p
            }
        } else {
            p
        }
    };
    m::VehicleCoordination {
        veh_id: id,
        drive_suggestion: Some(m::DriveSuggestion {
            suggestion: behaviour(bit),
            life_time: life,
            related_link: None,
            related_path: None,
            unknown_ext: no_ext(),
        }),
        path_guidance: (points > 0).then(|| {
            (0..points)
                .map(|i| lean(point(&r, -3.5 * (i % 2) as f64, 20.0 + i as f64)))
                .collect()
        }),
        info: None,
        unknown_ext: no_ext(),
    }
}

#[test]
fn coordination_at_its_size_limits_for_other_vehicles_raises_nothing() {
    let mut r = Run::new();
    // 16 vehicle coordinations of 100 points each and 8 lane guidances of 32-point paths, none
    // for the ego or its lane.
    let vehicles: Vec<_> = (0..16u8)
        .map(|i| guidance([i; 8], m::DriveBehavior::RAMP_IN, Some(500), 100))
        .collect();
    let reference = pos3d(&ORIGIN);
    let lanes: Vec<_> = (0..8)
        .map(|i| m::LaneCoordination {
            target_lane: link12(),
            related_path: Some(m::ReferencePath {
                active_path: (0..32)
                    .map(|k| offset(&reference, &at(50.0 + f64::from(i), f64::from(k) * 10.0)))
                    .collect(),
                path_radius: 20,
            }),
            t_begin: None,
            t_end: None,
            recommended_speed: Some(1000),
            recommended_behavior: None,
            info: None,
            description: Some(m::Description::TextString("x".repeat(64))),
            unknown_ext: no_ext(),
        })
        .collect();
    let msg = rsc(vehicles, lanes);
    let (ws, sent) = r.run(2.0, |_| vec![msg.clone()]);
    assert!(of(&ws, AppId::Merge).is_empty(), "{ws:?}");
    assert!(of(&ws, AppId::Ceb).is_empty());
    assert!(sent.iter().all(|k| *k == MessageKind::Bsm));
    let c = &r.stack.world().day2().coordination.entries()[0];
    assert!(c.for_ego.is_none());
    assert_eq!((c.vehicles, c.lanes.len()), (16, 8));
    assert_eq!(c.lanes[0].description.as_deref().map(str::len), Some(64));
}

#[test]
fn expired_and_inconsistent_guidance_raises_nothing() {
    let mut r = Run::new();
    let ego = r.ego_id();
    // Sent a second ago with a lifetime of half a second: over when received.
    let (ws, _) = r.run(1.0, |r| {
        let mut msg = match m::MessageFrame::decode(&rsc(
            vec![guidance(ego, m::DriveBehavior::RAMP_IN, Some(50), 3)],
            vec![],
        ))
        .unwrap()
        {
            m::MessageFrame::MsgFrameExt(x) => x,
            other => panic!("{other:?}"),
        };
        if let m::MessageFrameExtValue::RoadsideCoordination(c) = &mut msg.value {
            c.sec_mark = cv2x::world::convert::to_wire::sec_mark(t(r.now() - 1.0));
        }
        vec![m::MessageFrame::MsgFrameExt(msg).encode().unwrap()]
    });
    assert!(of(&ws, AppId::Merge).is_empty(), "{ws:?}");
    // Points that cannot be placed (an absolute latitude beyond the pole) are left out and
    // counted; a lane guidance whose window ends before it begins is never active.
    let mut g = guidance(ego, m::DriveBehavior::RAMP_IN, Some(300), 2);
    if let Some(p) = g.path_guidance.as_mut() {
        p[0].pos.offset_ll = m::PositionOffsetLL::PositionLatLon(m::PositionLLmD64b {
            lon: 0,
            lat: 900_000_001,
        });
    }
    let day = |h| m::DDateTime {
        year: Some(2026),
        month: Some(3),
        day: Some(1),
        hour: Some(h),
        minute: Some(0),
        second: Some(0),
        offset: None,
    };
    let lane = m::LaneCoordination {
        target_lane: link12(),
        related_path: Some(m::ReferencePath {
            active_path: vec![
                offset(&pos3d(&ORIGIN), &at(0.0, -100.0)),
                offset(&pos3d(&ORIGIN), &at(0.0, 500.0)),
            ],
            path_radius: 20,
        }),
        t_begin: Some(day(9)),
        t_end: Some(day(7)),
        recommended_speed: Some(500),
        recommended_behavior: None,
        info: None,
        description: None,
        unknown_ext: no_ext(),
    };
    let before = r.stack.world().counters().truncated;
    let msg = rsc(vec![g], vec![lane]);
    let (ws, _) = r.run(1.0, |_| vec![msg.clone()]);
    assert!(r.stack.world().counters().truncated > before);
    let merges = of(&ws, AppId::Merge);
    assert!(!merges.is_empty());
    assert!(
        merges.iter().all(|w| matches!(
            w.guidance,
            Some(Guidance::Lane {
                for_vehicle: true,
                ..
            })
        )),
        "the reversed window never applies: {merges:?}"
    );
}

fn vir(sender: [u8; 8], y: f64, reqs: Vec<m::DriveRequest>, path: usize) -> Vec<u8> {
    let r = pos3d(&at(0.0, y));
    ext(
        13,
        m::MessageFrameExtValue::VehIntentionAndRequest(m::VehIntentionAndRequest {
            msg_cnt: 0,
            id: sender,
            sec_mark: 65_535,
            ref_pos: r.clone(),
            int_and_req: m::IARData {
                current_pos: Some(m::PathPlanningPoint {
                    heading: Some(0),
                    ..point(&r, 0.0, y)
                }),
                path_planning: (path > 0)
                    .then(|| (0..path).map(|i| point(&r, 0.0, y + i as f64)).collect()),
                current_behavior: Some(behaviour(0)),
                reqs: Some(reqs),
                unknown_ext: no_ext(),
            },
            unknown_ext: no_ext(),
        }),
    )
}

fn clear_the_way(id: u8, target: Option<[u8; 8]>, from: &m::Position3D) -> m::DriveRequest {
    m::DriveRequest {
        req_id: id,
        status: m::ReqStatus::Request,
        req_priority: Some([255]),
        target_veh: target,
        target_rsu: None,
        info: Some(m::ReqInfo::ClearTheWay(m::ReqClearTheWay {
            upstream_node: m::NodeReferenceID {
                region: None,
                id: 0,
            },
            downstream_node: m::NodeReferenceID {
                region: None,
                id: 0,
            },
            target_lane: 1,
            related_path: Some(m::ReferencePath {
                active_path: (0..32)
                    .map(|k| offset(from, &at(0.0, -200.0 + 20.0 * f64::from(k))))
                    .collect(),
                path_radius: 25,
            }),
            t_begin: None,
            t_end: None,
            unknown_ext: no_ext(),
        })),
        life_time: Some(1000),
        unknown_ext: no_ext(),
    }
}

#[test]
fn requests_at_their_size_limits_for_another_vehicle_raise_nothing() {
    let mut r = Run::new();
    let from = pos3d(&at(0.0, -150.0));
    // Eight clear-the-way requests (the list's limit) with 32-point paths and a 100-point plan,
    // every one addressed to another vehicle.
    let reqs: Vec<_> = (0..8)
        .map(|i| clear_the_way(i, Some(OTHER), &from))
        .collect();
    let msg = vir(*b"AMB\0\0\0\0\x01", -150.0, reqs, 100);
    let (ws, _) = r.run(1.0, |_| vec![msg.clone()]);
    assert!(of(&ws, AppId::ClearTheWay).is_empty(), "{ws:?}");
    let i = &r.stack.world().day2().requests.entries()[0];
    assert_eq!((i.requests.len(), i.path.len()), (8, 100));
    // The same request for anyone is a yield advice.
    let msg = vir(
        *b"AMB\0\0\0\0\x01",
        -150.0,
        vec![clear_the_way(0, None, &from)],
        0,
    );
    let (ws, _) = r.run(0.5, |_| vec![msg.clone()]);
    let y = of(&ws, AppId::ClearTheWay);
    assert!(!y.is_empty());
    assert!(y.iter().all(|w| w.level == Level::Warning));
}

fn pam(nodes: Vec<m::PAMNode>, guides: Vec<m::ParkingGuide>) -> Vec<u8> {
    ext(
        14,
        m::MessageFrameExtValue::PamData(m::PAMData {
            msg_cnt: 0,
            time_stamp: None,
            parking_lot_info: m::ParkingLotInfo {
                id: Some(7),
                name: None,
                number: None,
                building_layer_num: None,
                avp_type: Some(m::AVPType::P2),
                unknown_ext: no_ext(),
            },
            pam_nodes: nodes,
            parking_area_guidance: (!guides.is_empty()).then_some(guides),
            unknown_ext: no_ext(),
        }),
    )
}

fn slot(id: u16) -> m::ParkingSlot {
    m::ParkingSlot {
        slot_id: id,
        position: None,
        sign: None,
        parking_type: m::ParkingType::default(),
        status: m::SlotStatus::Available,
        parking_space_theta: m::ParkingSpaceTheta::Vertical,
        parking_lock: m::ParkingLock::Nolock,
        unknown_ext: no_ext(),
    }
}

#[test]
fn a_parking_lot_beyond_the_store_limits_is_kept_bounded() {
    // The lot keeps at most 256 drives and 1024 slots: 63 nodes (the list's limit) of 8 drives
    // of 256 slots each (the drive's limit) are cut and counted.
    let nodes: Vec<_> = (0..63u16)
        .map(|n| m::PAMNode {
            id: n,
            ref_pos: pos3d(&at(0.0, f64::from(n) * 10.0)),
            floor: None,
            attributes: None,
            in_drives: Some(
                (0..8u16)
                    .map(|d| m::PAMDrive {
                        upstream_pam_node_id: n.wrapping_sub(1),
                        drive_id: Some(d as u8),
                        twoway_sepration: None,
                        speed_limit: None,
                        height_restriction: None,
                        drive_width: None,
                        lane_num: None,
                        points: None,
                        movements: None,
                        parking_slots: Some((0..256).map(|s| slot(n * 1000 + s)).collect()),
                        unknown_ext: no_ext(),
                    })
                    .collect(),
            ),
            unknown_ext: no_ext(),
        })
        .collect();
    let mut world = cv2x::world::World::new(Default::default());
    // Far beyond what a radio carries: given to the world decoded.
    let frame = m::MessageFrame::MsgFrameExt(m::MessageFrameExt {
        message_id: 14,
        value: m::MessageFrameExtValue::PamData(m::PAMData {
            msg_cnt: 0,
            time_stamp: None,
            parking_lot_info: m::ParkingLotInfo {
                id: Some(7),
                name: None,
                number: None,
                building_layer_num: None,
                avp_type: Some(m::AVPType::P2),
                unknown_ext: no_ext(),
            },
            pam_nodes: nodes,
            parking_area_guidance: None,
            unknown_ext: no_ext(),
        }),
        unknown_ext: no_ext(),
    });
    let mut taken = cv2x::world::Taken::default();
    world
        .take_frame(&frame, t(0.0), None, 16, &mut taken)
        .unwrap();
    let lot = &world.day2().parking.lots()[0];
    let drives: usize = lot.nodes.iter().map(|n| n.drives.len()).sum();
    let slots: usize = lot
        .nodes
        .iter()
        .flat_map(|n| &n.drives)
        .map(|d| d.slots.len())
        .sum();
    assert_eq!(lot.nodes.len(), 63);
    assert_eq!(drives, 256);
    assert_eq!(slots, 1024);
    assert_eq!(lot.occupancy().available, 1024);
    assert_eq!(lot.avp.map(|a| a.0), Some(2));
    assert!(world.counters().truncated >= 63 * 8 * 256 - 1024);
}

#[test]
fn parking_guidance_for_another_vehicle_or_to_unknown_nodes_raises_nothing() {
    let mut r = Run::new();
    let node = |id: u16, y: f64| m::PAMNode {
        id,
        ref_pos: pos3d(&at(0.0, y)),
        floor: None,
        attributes: None,
        in_drives: None,
        unknown_ext: no_ext(),
    };
    let other = pam(
        vec![node(1, 30.0), node(2, 60.0)],
        vec![m::ParkingGuide {
            veh_id: OTHER,
            drive_path: vec![1, 2],
            target_parking_slot: Some(5),
            unknown_ext: no_ext(),
        }],
    );
    let (ws, _) = r.run(1.0, |_| vec![other.clone()]);
    assert!(of(&ws, AppId::Parking).is_empty(), "{ws:?}");
    // A 32-node path (the limit) through nodes the lot does not have, to a slot it does not
    // have: no route, no advice, no panic.
    let ego = r.ego_id();
    let lost = pam(
        vec![node(1, 30.0)],
        vec![m::ParkingGuide {
            veh_id: ego,
            drive_path: (100..132).collect(),
            target_parking_slot: Some(999),
            unknown_ext: no_ext(),
        }],
    );
    let (ws, _) = r.run(1.0, |_| vec![lost.clone()]);
    assert!(of(&ws, AppId::Parking).is_empty(), "{ws:?}");
}

fn clpmm(id: [u8; 8], pid: [u8; 17], members: Vec<[u8; 8]>, open: bool) -> Vec<u8> {
    let node = |vid: &[u8; 8]| m::MemberNode {
        vid: *vid,
        unknown_ext: no_ext(),
    };
    ext(
        16,
        m::MessageFrameExtValue::Clpmm(m::CLPMM {
            msg_cnt: 0,
            id,
            sec_mark: 65_535,
            pid,
            role: m::RoleInPlatooning::Leader,
            status: m::StatusInPlatooning::Navigating,
            leading_ext: Some(m::MemberManagement {
                member_list: members.iter().map(node).collect(),
                joining_list: Some(members.iter().map(node).collect()),
                leaving_list: Some(members.iter().map(node).collect()),
                capacity: 32,
                open_to_join: open,
                unknown_ext: no_ext(),
            }),
            unknown_ext: no_ext(),
        }),
    )
}

#[test]
fn platoon_lists_at_their_limits_of_another_platoon_never_admit_the_ego() {
    let mut r = Run::new();
    let leader = *b"LEAD\0\0\0\x01";
    // Platoon B lists 32 members (the limit) in every list, the ego among them.
    let ego = r.ego_id();
    let mut members: Vec<[u8; 8]> = (0..31u8).map(|i| [i; 8]).collect();
    members.push(ego);
    let b = clpmm(leader, [b'B'; 17], members, true);
    r.stack
        .command(Command::JoinPlatoon {
            platoon: Some([b'A'; 17]),
        })
        .unwrap();
    let (ws, sent) = r.run(2.0, |_| vec![b.clone()]);
    let p = of(&ws, AppId::Platoon);
    assert!(!p.is_empty());
    assert!(
        p.iter().all(|w| matches!(
            w.guidance,
            Some(Guidance::Platoon {
                state: cv2x::apps::PlatoonState::Requesting,
                ..
            })
        )),
        "{p:?}"
    );
    assert!(sent.contains(&MessageKind::Clpmm));
    let report = &r.stack.world().day2().platoons.reports()[0];
    let mm = report.membership.as_ref().unwrap();
    assert_eq!(
        (mm.members.len(), mm.joining.len(), mm.leaving.len()),
        (32, 32, 32)
    );
}

/// An account that would pay anything; counts what it is asked.
#[derive(Default)]
struct Counting {
    asked: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl PaymentAccount for Counting {
    fn application(&mut self, _: PaymentService) -> Option<ObuPaymentData> {
        Some(ObuPaymentData::default())
    }
    fn read_files(
        &mut self,
        _: PaymentService,
        _: FileRange,
        _: Option<FileRange>,
        _: Option<u8>,
    ) -> Result<([u8; 127], Option<[u8; 127]>), ReturnCode> {
        self.asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(([0; 127], None))
    }
    fn secure_read(
        &mut self,
        _: PaymentService,
        _: FileRange,
        _: [u8; 8],
        _: u8,
        _: Option<u8>,
    ) -> Result<[u8; 8], ReturnCode> {
        self.asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok([0; 8])
    }
    fn charge(
        &mut self,
        _: PaymentService,
        _: &ChargeRequest,
    ) -> Result<ChargeReceipt, ReturnCode> {
        self.asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(ChargeReceipt::default())
    }
}

fn vpm(payment: m::VehiclePaymentMessagePayment) -> Vec<u8> {
    ext(
        17,
        m::MessageFrameExtValue::VehiclePaymentMessage(m::VehiclePaymentMessage {
            msg_cnt: 0,
            payment,
            unknown_ext: no_ext(),
        }),
    )
}

fn dd() -> m::DDateTime {
    m::DDateTime {
        year: None,
        month: None,
        day: None,
        hour: None,
        minute: None,
        second: None,
        offset: None,
    }
}

#[test]
fn payment_commands_for_another_vehicle_are_never_answered() {
    let mut r = Run::new();
    let account = Counting::default();
    let asked = account.asked.clone();
    r.stack.set_payment_account(Box::new(account));
    // A table of 16 services (the limit), each with a 256-node tolled road.
    let service = |pid| m::ApplicationParameter {
        pid,
        payment_info: m::PaymentInfo::PaymentInfoType1(m::PaymentInfoType1 {
            tolling_node_info: None,
            toll_info: Some(m::TollInfo {
                price: Some(100),
                entrance_pos: None,
                exit_pos: None,
                toll_road: Some(
                    (0..256)
                        .map(|i| m::NodeReferenceID {
                            region: None,
                            id: i,
                        })
                        .collect(),
                ),
                toll_path: None,
                time_begin: None,
                time_end: None,
                unknown_ext: no_ext(),
            }),
            service_info: Some(vec![0; 512]),
            unknown_ext: no_ext(),
        }),
        unknown_ext: no_ext(),
    };
    let rst = vpm(m::VehiclePaymentMessagePayment::InitialzationRequest(
        m::RST {
            time: dd(),
            id: RSU,
            payment_list: (0..16)
                .map(|i| {
                    let mut s = service(if i == 0 {
                        m::PaymentEntityID::Freeflow
                    } else {
                        m::PaymentEntityID::Parking
                    });
                    // The long parts once.
                    if i > 0 {
                        if let m::PaymentInfo::PaymentInfoType1(p) = &mut s.payment_info {
                            p.service_info = None;
                            if let Some(t) = p.toll_info.as_mut() {
                                t.toll_road = None;
                            }
                        }
                    }
                    s
                })
                .collect(),
            unknown_ext: no_ext(),
        },
    ));
    // A charge for another vehicle, with 64 APDU blocks beside.
    let charge = vpm(m::VehiclePaymentMessagePayment::ActionRequest(
        m::ActionRequest {
            time: dd(),
            mode: true,
            source_id: RSU,
            target_id: Some(OTHER),
            payment_entity_id: m::PaymentEntityID::Freeflow,
            action_parameter: m::TransInfo::TransferChannelRq(m::ChannelRq {
                channelid: m::ChannelID::Esam,
                apdu: vec![[0; 127]; 64],
                unknown_ext: no_ext(),
            }),
            access_credentials: None,
            unknown_ext: no_ext(),
        },
    ));
    let (ws, sent) = r.run(2.0, |_| vec![rst.clone(), charge.clone()]);
    // The ego answered the table (it takes part in free-flow tolls)...
    assert!(sent.contains(&MessageKind::Vpm));
    assert!(of(&ws, AppId::Vnfp).iter().all(|w| matches!(
        w.guidance,
        Some(Guidance::Payment {
            state: cv2x::apps::PaymentState::Offered,
            ..
        })
    )));
    // ...but never the command for another vehicle.
    assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), 0);
    let offer = &r.stack.world().day2().payment.offers()[0];
    assert_eq!(offer.services.len(), 16);
    assert_eq!(offer.services[0].road.len(), 256);
    let cmd = &r.stack.world().day2().payment.commands()[0];
    assert!(
        matches!(&cmd.action, cv2x::world::day2::PaymentAction::Channel { apdus, .. } if apdus.len() == 16)
    );
    // The ego's own payment message coming back is refused as its own.
    let own = vpm(m::VehiclePaymentMessagePayment::InitialzationResponse(
        m::VSI {
            time: dd(),
            obu_id: r.ego_id(),
            target_id: Some(RSU),
            obu_info: None,
            vpapplication_list: None,
            rnd_obu: None,
            unknown_ext: no_ext(),
        },
    ));
    let ts = r.now();
    assert_eq!(
        r.stack.ingest(&own, &RxMeta::PLAIN, t(ts)),
        Err(cv2x::stack::DropReason::OwnMessage)
    );
}

#[test]
fn without_a_host_vehicle_nothing_is_sent_and_it_is_counted() {
    let mut s = Stack::new(StackConfig::default().with_origin(ORIGIN)).unwrap();
    s.set_temporary_id(Some(*b"EGO\0\0\0\0\x01"));
    let p = at(0.0, 0.0);
    let state = VehicleState::new(t(0.0), p.lat_deg, p.lon_deg, 0.0, 10.0).with_accuracy(0.5, 1.0);
    s.set_ego(&state).unwrap();
    s.command(Command::SignalPriority).unwrap();
    s.command(Command::JoinPlatoon { platoon: None }).unwrap();
    let _ = s.poll(t(0.0)).count();
    assert_eq!(s.counters().day2_sent, 0);
    assert!(s.counters().day2_unsent >= 1, "{:?}", s.counters());
    assert_eq!(s.transmissions().count(), 0);
    // The command queue is bounded.
    for _ in 0..Stack::MAX_COMMANDS {
        s.command(Command::LeavePlatoon).unwrap();
    }
    assert!(s.command(Command::LeavePlatoon).is_err());
    assert_eq!(s.counters().commands_dropped, 1);
}

#[test]
fn garbage_after_day2_messages_never_panics() {
    let mut r = Run::new();
    let ego = r.ego_id();
    let good = [
        rsc(
            vec![guidance(ego, m::DriveBehavior::STOP, Some(300), 5)],
            vec![],
        ),
        vir(
            OTHER,
            -50.0,
            vec![clear_the_way(1, None, &pos3d(&ORIGIN))],
            3,
        ),
        clpmm(OTHER, [0; 17], vec![ego], true),
    ];
    // Every prefix and every single-bit flip of each message.
    for msg in &good {
        for n in 0..msg.len() {
            let _ = r.step(&[msg[..n].to_vec()]);
        }
        for bit in 0..msg.len() * 8 {
            let mut b = msg.clone();
            b[bit / 8] ^= 0x80 >> (bit % 8);
            let ts = r.now();
            let _ = r.stack.ingest(&b, &RxMeta::PLAIN, t(ts));
        }
        let _ = r.step(&[]);
    }
    let u = r.stack.usage();
    assert!(u.day2 <= 5 * r.stack.config().world.max_day2);
}

/// Seeds for the `stack_ingest` fuzz target: per Day II service, a short drive of ego states,
/// the service's messages addressed to the ego (the target puts the ego's temporary id in
/// place of the `EGO…` marker), commands and polls. Written to `$CV2X_FUZZ_SEEDS` when set
/// (`fuzz/seeds/stack_ingest`); always checked to parse, record by record, as the target reads
/// them.
#[test]
fn fuzz_seeds_for_the_day2_paths() {
    const MARK: [u8; 8] = *b"EGO\0\0\0\0\x01";
    let record = |op: u8, dt: i16, body: &[u8]| {
        let mut r = vec![op];
        r.extend_from_slice(&dt.to_be_bytes());
        if matches!(op, 0 | 1 | 5) {
            r.extend_from_slice(&(body.len() as u16).to_be_bytes());
        }
        r.extend_from_slice(body);
        r
    };
    // The ego northbound at 15 m/s (the target's state record); flags in the last byte.
    let ego = |flags: u8| record(2, 100, &[0, 0, 0, 0, 0, 0, 75, flags]);
    let poll = || record(3, 0, &[]);
    let from = pos3d(&at(0.0, -150.0));
    // (name, messages, commands, ego flags)
    type Seed = (&'static str, Vec<Vec<u8>>, Vec<[u8; 4]>, u8);
    let services: Vec<Seed> = vec![
        (
            "day2_rsc_merge_and_stop",
            vec![rsc(
                vec![
                    guidance(MARK, m::DriveBehavior::RAMP_IN, Some(300), 4),
                    guidance(OTHER, m::DriveBehavior::STOP, None, 2),
                ],
                vec![],
            )],
            vec![[0, 1, 10, 2]],
            1,
        ),
        (
            "day2_vir_clear_the_way",
            vec![vir(
                *b"AMB\0\0\0\0\x01",
                -150.0,
                vec![
                    clear_the_way(3, None, &from),
                    clear_the_way(4, Some(MARK), &from),
                ],
                5,
            )],
            vec![[1, 0, 40, 0], [2, 0, 0, 0]],
            0x20,
        ),
        (
            "day2_pam_guidance",
            vec![pam(
                vec![m::PAMNode {
                    id: 1,
                    ref_pos: pos3d(&at(0.0, 40.0)),
                    floor: None,
                    attributes: None,
                    in_drives: Some(vec![m::PAMDrive {
                        upstream_pam_node_id: 0,
                        drive_id: None,
                        twoway_sepration: None,
                        speed_limit: None,
                        height_restriction: None,
                        drive_width: None,
                        lane_num: None,
                        points: None,
                        movements: None,
                        parking_slots: Some(vec![slot(5), slot(6)]),
                        unknown_ext: no_ext(),
                    }]),
                    unknown_ext: no_ext(),
                }],
                vec![m::ParkingGuide {
                    veh_id: MARK,
                    drive_path: vec![1],
                    target_parking_slot: Some(5),
                    unknown_ext: no_ext(),
                }],
            )],
            vec![[3, 0x0e, 7, 5]],
            0,
        ),
        (
            "day2_clpmm_join",
            vec![clpmm(*b"LEAD\0\0\0\x01", [b'A'; 17], vec![MARK], true)],
            vec![[5, 2, b'A', 0], [6, 0, 0, 0], [7, 0, b'B', 4]],
            0,
        ),
        (
            "day2_vpm_toll",
            vec![
                vpm(m::VehiclePaymentMessagePayment::InitialzationRequest(
                    m::RST {
                        time: dd(),
                        id: RSU,
                        payment_list: vec![m::ApplicationParameter {
                            pid: m::PaymentEntityID::Freeflow,
                            payment_info: m::PaymentInfo::PaymentInfoType1(m::PaymentInfoType1 {
                                tolling_node_info: None,
                                toll_info: None,
                                service_info: None,
                                unknown_ext: no_ext(),
                            }),
                            unknown_ext: no_ext(),
                        }],
                        unknown_ext: no_ext(),
                    },
                )),
                vpm(m::VehiclePaymentMessagePayment::ActionRequest(
                    m::ActionRequest {
                        time: dd(),
                        mode: true,
                        source_id: RSU,
                        target_id: Some(MARK),
                        payment_entity_id: m::PaymentEntityID::Freeflow,
                        action_parameter: m::TransInfo::SetTollDataRq(m::SetTollDataRq {
                            rnd_rsu: Some([1; 8]),
                            trans_para: None,
                            toll_info: None,
                            tolling_pos: None,
                            key_id_for_authen: Some(1),
                            unknown_ext: no_ext(),
                        }),
                        access_credentials: None,
                        unknown_ext: no_ext(),
                    },
                )),
                vpm(m::VehiclePaymentMessagePayment::ActionRequest(
                    m::ActionRequest {
                        time: dd(),
                        mode: false,
                        source_id: RSU,
                        target_id: Some(MARK),
                        payment_entity_id: m::PaymentEntityID::Freeflow,
                        action_parameter: m::TransInfo::SetMmiRq(m::SetMMIRq {
                            toll: m::TollResult::Ok,
                            unknown_ext: no_ext(),
                        }),
                        access_credentials: None,
                        unknown_ext: no_ext(),
                    },
                )),
            ],
            vec![],
            0,
        ),
    ];
    let dir = std::env::var_os("CV2X_FUZZ_SEEDS").map(std::path::PathBuf::from);
    for (name, msgs, commands, flags) in services {
        let mut seed = Vec::new();
        seed.extend(ego(flags));
        seed.extend(poll());
        for c in &commands {
            seed.extend(record(4, 0, c));
        }
        for k in 0..12 {
            seed.extend(ego(flags));
            // Each message in turn, so every one is seen while the ego can act on it.
            if let Some(msg) = msgs.get(k % msgs.len()) {
                seed.extend(record(5, 0, msg));
            }
            seed.extend(poll());
        }
        // The target's reading, in short: every record parses to its end.
        let mut d = seed.as_slice();
        while let Some((&op, rest)) = d.split_first() {
            let rest = &rest[2..];
            d = match op % 6 {
                0 | 1 | 5 => {
                    let len = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
                    &rest[2 + len..]
                }
                2 => &rest[8..],
                4 => &rest[4..],
                _ => rest,
            };
        }
        if let Some(dir) = &dir {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(dir.join(name), &seed).unwrap();
        }
    }
}
