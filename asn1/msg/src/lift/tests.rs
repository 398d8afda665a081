//! Conversions per type with real values: every documented difference, both ways.
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::v17::{Ll, ll, offset_ll};
use super::*;
use crate::codec::uper::Uper;

/// A vector of the repository's conformance subset by its label, as bytes.
fn vector(text: &str, label: &str) -> Vec<u8> {
    let line = text
        .lines()
        .find(|l| l.contains(&alloc::format!("\"label\":\"{label}\"")))
        .unwrap_or_else(|| panic!("no vector {label}"));
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    let hex = v["uper_hex"].as_str().unwrap();
    (0..hex.len() / 2)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

const FRAMES_2019: &str = include_str!("../../../../tests/vectors/csae53_2019/MessageFrame.jsonl");
const RSI_2019: &str =
    include_str!("../../../../tests/vectors/csae53_2019/RoadSideInformation.jsonl");
const FRAMES_2017: &str = include_str!("../../../../tests/vectors/csae53_2017/MessageFrame.jsonl");

// Anting, Jiading, Shanghai (the realistic vectors' intersection).
const LAT: i32 = 312_840_000;
const LON: i32 = 1_211_630_000;

fn ext() -> UnknownExtensions {
    UnknownExtensions::default()
}

fn pos(lat: i32, long: i32) -> v2020::Position3D {
    v2020::Position3D {
        lat,
        long,
        elevation: Some(45),
    }
}

fn off(lon: i16, lat: i16) -> v2020::PositionOffsetLLV {
    v2020::PositionOffsetLLV {
        offset_ll: v2020::PositionOffsetLL::PositionLl3(v2020::PositionLL32B { lon, lat }),
        offset_v: None,
    }
}

fn utc(offset: Option<i16>, hour: Option<u8>) -> v2020::DDateTime {
    v2020::DDateTime {
        year: Some(2026),
        month: Some(3),
        day: Some(1),
        hour,
        minute: Some(0),
        second: Some(12_300),
        offset,
    }
}

/// A 50 km/h car with path history (initial position with accuracy class and time).
fn bsm_2020() -> v2020::BasicSafetyMessage {
    v2020::BasicSafetyMessage {
        msg_cnt: 17,
        id: *b"SHA01234",
        sec_mark: 12_300,
        time_confidence: None,
        pos: pos(LAT, LON),
        pos_accuracy: None,
        pos_confidence: Some(v2020::PositionConfidenceSet {
            pos: v2020::PositionConfidence::A1m,
            elevation: Some(v2020::ElevationConfidence::Elev00100),
        }),
        transmission: v2020::TransmissionState::ForwardGears,
        speed: 694,
        heading: 7200,
        angle: Some(-3),
        motion_cfd: None,
        accel_set: v2020::AccelerationSet4Way {
            long: -150,
            lat: 0,
            vert: 0,
            yaw: 120,
        },
        brakes: v2020::BrakeSystemStatus {
            brake_padel: Some(v2020::BrakePedalStatus::On),
            wheel_brakes: None,
            traction: None,
            abs: Some(v2020::AntiLockBrakeStatus::Engaged),
            scs: None,
            brake_boost: None,
            aux_brakes: None,
        },
        size: v2020::VehicleSize {
            width: 185,
            length: 480,
            height: Some(30),
        },
        vehicle_class: v2020::VehicleClassification {
            classification: 10,
            fuel_type: None,
            unknown_ext: ext(),
        },
        safety_ext: Some(v2020::VehicleSafetyExtensions {
            events: None,
            path_history: Some(v2020::PathHistory {
                initial_position: Some(v2020::FullPositionVector {
                    utc_time: Some(utc(Some(480), Some(8))),
                    pos: pos(LAT - 300, LON),
                    heading: Some(7200),
                    transmission: None,
                    speed: Some(700),
                    pos_accuracy: Some(v2020::PositionConfidenceSet {
                        pos: v2020::PositionConfidence::A2m,
                        elevation: None,
                    }),
                    time_confidence: Some(v2020::TimeConfidence::Time000010),
                    motion_cfd: None,
                    unknown_ext: ext(),
                }),
                curr_gns_sstatus: None,
                crumb_data: vec![v2020::PathHistoryPoint {
                    llv_offset: off(0, -150),
                    time_offset: 100,
                    speed: Some(700),
                    pos_accuracy: None,
                    heading: None,
                    unknown_ext: ext(),
                }],
                unknown_ext: ext(),
            }),
            path_prediction: None,
            lights: None,
            unknown_ext: ext(),
        }),
        emergency_ext: None,
        unknown_ext: ext(),
    }
}

fn lane(id: u8, width: Option<u16>, connections: usize) -> v2020::Lane {
    let mut maneuvers = v2020::AllowedManeuvers([0; 2]);
    maneuvers.set(v2020::AllowedManeuvers::MANEUVER_STRAIGHT_ALLOWED, true);
    v2020::Lane {
        lane_id: id,
        lane_width: width,
        lane_attributes: None,
        maneuvers: Some(maneuvers),
        connects_to: (connections > 0).then(|| {
            (0..connections)
                .map(|k| v2020::Connection {
                    remote_intersection: v2020::NodeReferenceID {
                        region: Some(1),
                        id: 200 + k as u16,
                    },
                    connecting_lane: Some(v2020::ConnectingLane {
                        lane: 1,
                        maneuver: Some(maneuvers),
                    }),
                    phase_id: Some(k as u8 + 1),
                })
                .collect()
        }),
        speed_limits: None,
        points: Some(vec![
            v2020::RoadPoint {
                pos_offset: off(0, -1500),
                unknown_ext: ext(),
            },
            v2020::RoadPoint {
                pos_offset: off(0, -150),
                unknown_ext: ext(),
            },
        ]),
        unknown_ext: ext(),
    }
}

fn link(width: u16, lanes: Vec<v2020::Lane>) -> v2020::Link {
    v2020::Link {
        name: Some(String::from("Moyu Rd")),
        upstream_node_id: v2020::NodeReferenceID {
            region: Some(1),
            id: 99,
        },
        speed_limits: Some(vec![v2020::RegulatorySpeedLimit {
            r#type: v2020::SpeedLimitType::VehicleMaxSpeed,
            speed: 833,
        }]),
        link_width: width,
        points: None,
        movements: Some(vec![v2020::Movement {
            remote_intersection: v2020::NodeReferenceID {
                region: Some(1),
                id: 101,
            },
            phase_id: Some(1),
        }]),
        lanes,
        unknown_ext: ext(),
    }
}

fn node(id: u16, links: Vec<v2020::Link>) -> v2020::Node {
    v2020::Node {
        name: None,
        id: v2020::NodeReferenceID {
            region: Some(1),
            id,
        },
        ref_pos: pos(LAT, LON),
        in_links: Some(links),
        in_links_ex: None,
        prohibitedzone: None,
        unknown_ext: ext(),
    }
}

fn map_2020() -> v2020::MapData {
    v2020::MapData {
        msg_cnt: 3,
        time_stamp: Some(86_400),
        nodes: vec![node(
            100,
            vec![link(
                350,
                vec![lane(1, Some(350), 2), lane(2, Some(350), 1)],
            )],
        )],
        unknown_ext: ext(),
    }
}

fn counting(start: u16, end: u16) -> v2020::TimeChangeDetails {
    v2020::TimeChangeDetails::Counting(v2020::TimeCountingDown {
        start_time: start,
        min_end_time: Some(end),
        max_end_time: Some(end),
        likely_end_time: end,
        time_confidence: None,
        next_start_time: Some(600),
        next_duration: Some(300),
    })
}

fn spat_2020(
    lights: &[v2020::LightState],
    timing: Option<v2020::TimeChangeDetails>,
) -> v2020::SPAT {
    let mut status = v2020::IntersectionStatusObject([0; 2]);
    status.set(v2020::IntersectionStatusObject::FIXED_TIME_OPERATION, true);
    v2020::SPAT {
        msg_cnt: 9,
        moy: Some(86_460),
        time_stamp: Some(30_000),
        name: None,
        intersections: vec![v2020::IntersectionState {
            intersection_id: v2020::NodeReferenceID {
                region: Some(1),
                id: 100,
            },
            status,
            moy: Some(86_460),
            time_stamp: Some(30_000),
            time_confidence: None,
            phases: vec![v2020::Phase {
                id: 1,
                phase_states: lights
                    .iter()
                    .map(|l| v2020::PhaseState {
                        light: *l,
                        timing: timing.clone(),
                        unknown_ext: ext(),
                    })
                    .collect(),
            }],
            unknown_ext: ext(),
        }],
        unknown_ext: ext(),
    }
}

fn participant(source: v2020::SourceType) -> v2020::ParticipantData {
    v2020::ParticipantData {
        ptc_type: v2020::ParticipantType::Motor,
        ptc_id: 7,
        source,
        id: None,
        sec_mark: 12_300,
        pos: off(120, -900),
        pos_confidence: v2020::PositionConfidenceSet {
            pos: v2020::PositionConfidence::A50cm,
            elevation: None,
        },
        transmission: None,
        speed: 500,
        heading: 0,
        angle: None,
        motion_cfd: None,
        accel_set: None,
        size: v2020::VehicleSize {
            width: 180,
            length: 450,
            height: None,
        },
        vehicle_class: None,
        unknown_ext: ext(),
    }
}

fn rsm_2020(source: v2020::SourceType) -> v2020::RoadsideSafetyMessage {
    v2020::RoadsideSafetyMessage {
        msg_cnt: 5,
        id: *b"RSU00001",
        ref_pos: pos(LAT, LON),
        participants: vec![participant(source)],
        unknown_ext: ext(),
    }
}

fn sign(
    id: u8,
    sign_type: u16,
    at: Option<v2020::PositionOffsetLLV>,
    path: &[(i16, i16)],
) -> v2020::RTSData {
    v2020::RTSData {
        rts_id: id,
        sign_type,
        sign_pos: at,
        description: None,
        time_details: None,
        priority: Some([0xE0]),
        reference_paths: (!path.is_empty()).then(|| {
            vec![v2020::ReferencePath {
                active_path: path.iter().map(|&(x, y)| off(x, y)).collect(),
                path_radius: 50,
            }]
        }),
        reference_links: None,
        auxiliary_sign: None,
        unknown_ext: ext(),
    }
}

fn rsi_2020(
    rtes: Option<Vec<v2020::RTEData>>,
    rtss: Vec<v2020::RTSData>,
) -> v2020::RoadSideInformation {
    v2020::RoadSideInformation {
        msg_cnt: 2,
        moy: Some(86_460),
        id: *b"RSU00001",
        ref_pos: pos(LAT, LON),
        rtes,
        rtss: Some(rtss),
        unknown_ext: ext(),
    }
}

fn roadworks() -> v2020::RTEData {
    v2020::RTEData {
        rte_id: 1,
        event_type: 401,
        event_source: v2020::EventSource::Police,
        event_pos: Some(off(0, 2000)),
        event_radius: Some(300),
        description: None,
        time_details: None,
        priority: None,
        reference_paths: None,
        reference_links: None,
        event_confidence: None,
        unknown_ext: ext(),
    }
}

/// Lowers to 2019 and lifts back.
fn via_2019(f: &v2020::MessageFrame) -> (v2019::MessageFrame, Converted<v2020::MessageFrame>) {
    let down: Converted<Option<v2019::MessageFrame>> = f.convert();
    assert!(down.report.is_empty(), "{}", down.report);
    let old = down.value.unwrap();
    let bytes = old.encode().unwrap();
    let again = v2019::MessageFrame::decode(&bytes).unwrap();
    assert_eq!(again, old);
    (old.clone(), old.lift())
}

#[test]
fn a_day_i_frame_survives_2019_both_ways_losslessly() {
    let frames = [
        v2020::MessageFrame::BsmFrame(bsm_2020()),
        v2020::MessageFrame::MapFrame(map_2020()),
        v2020::MessageFrame::SpatFrame(spat_2020(
            &[v2020::LightState::Red, v2020::LightState::ProtectedGreen],
            Some(counting(0, 250)),
        )),
        v2020::MessageFrame::RsmFrame(rsm_2020(v2020::SourceType::Lidar)),
        v2020::MessageFrame::RsiFrame(rsi_2020(
            Some(vec![roadworks()]),
            vec![sign(3, 38, Some(off(10, 1500)), &[(0, 0), (0, 1500)])],
        )),
    ];
    for f in &frames {
        let (_, up) = via_2019(f);
        assert_eq!(&up.value, f);
        assert!(up.report.is_empty(), "{}", up.report);
    }
}

#[test]
fn a_2019_one_point_path_lifts_to_a_zero_length_path_at_that_point() {
    let bytes = vector(
        RSI_2019,
        "rsi_anting_roadworks_one_point_path_and_gb2312_sign",
    );
    let old = v2019::RoadSideInformation::decode(&bytes).unwrap();
    let one: Vec<_> = old
        .rtes
        .iter()
        .flatten()
        .flat_map(|e| e.reference_paths.iter().flatten())
        .filter(|p| p.active_path.len() == 1)
        .collect();
    assert_eq!(one.len(), 1, "the vector has one one-point path");
    let point = one[0].active_path[0].clone();
    // Under 2020 the same bits are a path of one more point than is there.
    assert!(v2020::RoadSideInformation::decode(&bytes).is_err());
    let up = old.lift();
    let paths: Vec<_> = up
        .value
        .rtes
        .iter()
        .flatten()
        .flat_map(|e| e.reference_paths.iter().flatten())
        .collect();
    assert!(paths.iter().all(|p| p.active_path.len() >= 2));
    assert!(
        paths
            .iter()
            .any(|p| p.active_path == [point.convert().value, point.convert().value])
    );
    assert_eq!(
        up.report.count("ReferencePath.activePath", Change::Padded),
        1
    );
    assert!(up.value.encode().is_ok(), "the lifted RSI is valid 2020");
    // The GB2312 text of the sign is carried as it is.
    let texts = up
        .value
        .rtss
        .iter()
        .flatten()
        .filter(|s| matches!(s.description, Some(v2020::Description::TextGb2312(_))))
        .count();
    assert_eq!(texts, 1);
}

#[test]
fn a_2019_link_without_width_gets_its_lanes_width_and_is_noted() {
    let bytes = vector(
        FRAMES_2019,
        "map_anting_4leg_intersection_3lanes_per_leg_two_links_without_width",
    );
    let old = v2019::MessageFrame::decode(&bytes).unwrap();
    let v2019::MessageFrame::MapFrame(map) = &old else {
        panic!("not a MAP")
    };
    let links: Vec<&v2019::Link> = map
        .nodes
        .iter()
        .flat_map(|n| n.in_links.iter().flatten())
        .collect();
    let missing: Vec<&&v2019::Link> = links.iter().filter(|l| l.link_width.is_none()).collect();
    assert_eq!(missing.len(), 2);
    let up = old.lift();
    assert_eq!(up.report.count("Link.linkWidth", Change::Filled), 2);
    let v2020::MessageFrame::MapFrame(lifted) = &up.value else {
        panic!()
    };
    let lifted_links: Vec<&v2020::Link> = lifted
        .nodes
        .iter()
        .flat_map(|n| n.in_links.iter().flatten())
        .collect();
    for (o, n) in links.iter().zip(&lifted_links) {
        let expect = o
            .link_width
            .or_else(|| o.lanes.iter().find_map(|l| l.lane_width))
            .unwrap_or(DEFAULT_LANE_WIDTH_CM);
        assert_eq!(n.link_width, expect);
    }
    assert!(up.value.encode().is_ok());

    // Without any lane width the link gets 3.5 m.
    let mut bare: v2019::Link = (*links[0]).clone();
    bare.link_width = None;
    for l in &mut bare.lanes {
        l.lane_width = None;
    }
    let up = bare.lift();
    assert_eq!(up.value.link_width, 350);
    assert_eq!(up.report.count("Link.linkWidth", Change::Filled), 1);
}

#[test]
fn nodes_and_connections_beyond_the_2020_bounds_are_left_out_and_counted() {
    let mut map = map_2020();
    let lane12 = lane(1, Some(320), 8);
    map.nodes = (0..40)
        .map(|k| node(k, vec![link(320, vec![lane12.clone()])]))
        .collect();
    let mut old: v2019::MapData = map.convert().value;
    // 2019 allows 63 nodes and 16 connections per lane.
    for n in &mut old.nodes {
        for l in n.in_links.iter_mut().flatten() {
            for lane in &mut l.lanes {
                let more = lane.connects_to.clone().unwrap();
                lane.connects_to
                    .as_mut()
                    .unwrap()
                    .extend(more.into_iter().take(4));
            }
        }
    }
    assert!(old.encode().is_ok(), "valid 2019");
    let up = old.lift();
    assert_eq!(up.value.nodes.len(), 32);
    assert_eq!(up.value.nodes[31].id.id, 31, "the first 32 are kept");
    assert_eq!(up.report.count("MapData.nodes", Change::Truncated), 8);
    assert_eq!(
        up.report.count("Lane.connectsTo", Change::Truncated),
        32 * 4
    );
    let lane = &up.value.nodes[0].in_links.as_ref().unwrap()[0].lanes[0];
    assert_eq!(lane.connects_to.as_ref().unwrap().len(), 8);
    assert!(up.value.encode().is_ok(), "valid 2020");
}

#[test]
fn a_2019_position_vector_keeps_its_accuracy_class_and_loses_its_error_ellipse() {
    let old = v2019::FullPositionVector {
        utc_time: None,
        pos: pos(LAT, LON).convert().value,
        heading: Some(100),
        transmission: None,
        speed: Some(10),
        pos_accuracy: Some(v2019::PositionalAccuracy {
            semi_major: 40,
            semi_minor: 20,
            orientation: 1000,
        }),
        pos_conficence: Some(v2019::PositionConfidenceSet {
            pos: v2019::PositionConfidence::A2m,
            elevation: None,
        }),
        time_confidence: None,
        motion_cfd: None,
        unknown_ext: ext(),
    };
    let up = old.lift();
    assert_eq!(
        up.value.pos_accuracy,
        Some(v2020::PositionConfidenceSet {
            pos: v2020::PositionConfidence::A2m,
            elevation: None
        })
    );
    assert_eq!(
        up.report
            .count("FullPositionVector.posAccuracy", Change::Dropped),
        1
    );
    // And back: the class goes to `posConficence`.
    let down: Converted<v2019::FullPositionVector> = up.value.convert();
    assert_eq!(down.value.pos_conficence, old.pos_conficence);
    assert_eq!(down.value.pos_accuracy, None);
}

#[test]
fn a_time_offset_is_another_number_under_2020_but_lifts_unchanged() {
    let old = v2019::DDateTime {
        year: Some(2019),
        month: Some(7),
        day: Some(24),
        hour: Some(24),
        minute: Some(0),
        second: Some(0),
        offset: Some(480),
    };
    let bytes = old.encode().unwrap();
    // The same 11 bits: offset − (−720) under 2019, read back with 2020's lower bound of −840.
    let misread = v2020::DDateTime::decode(&bytes).unwrap();
    assert_eq!(misread.offset, Some(480 + 720 - 840));
    let up = old.lift();
    assert_eq!(up.value.offset, Some(480));
    assert_eq!(up.value.hour, Some(24));
    assert!(up.report.is_empty());
    // Lowering: what 2019 cannot hold.
    let down: Converted<v2019::DDateTime> = utc(Some(-800), Some(30)).convert();
    assert_eq!(down.value.offset, None);
    assert_eq!(down.value.hour, Some(24));
    assert_eq!(down.report.count("DDateTime.offset", Change::Dropped), 1);
    assert_eq!(down.report.count("DDateTime.hour", Change::Clamped), 1);
    assert!(down.value.encode().is_ok());
}

#[test]
fn day_ii_content_has_no_2019_or_2017_form() {
    let mut n = node(100, vec![link(350, vec![lane(1, None, 1)])]);
    n.prohibitedzone = Some(v2020::ProhibitedZone {
        central_circle_prohibited_zone: None,
        non_motor_vehicle_prohibited_zones: None,
        grid_line_marking_prohibited_zones: None,
        unknown_ext: ext(),
    });
    let down: Converted<v2019::Node> = n.convert();
    assert_eq!(down.report.count("Node.prohibitedzone", Change::Dropped), 1);
    let down: Converted<v2017::Node> = n.convert();
    assert_eq!(down.report.count("Node.prohibitedzone", Change::Dropped), 1);

    let test = v2020::MessageFrame::MsgFrameExt(v2020::MessageFrameExt {
        message_id: 0,
        value: v2020::MessageFrameExtValue::TestMsg(v2020::TestMsg {
            msg_cnt: 1,
            user_data: vec![1, 2, 3],
        }),
        unknown_ext: ext(),
    });
    let c = AnyFrame::lower(&test, Standard::Csae53_2019);
    assert!(c.value.is_empty());
    assert_eq!(
        c.report.count("MessageFrame.msgFrameExt", Change::Dropped),
        1
    );
    let c = AnyFrame::lower(&test, Standard::Csae53_2017);
    assert!(c.value.is_empty());
}

#[test]
fn a_2017_bsm_loses_its_plate_and_keeps_its_accuracy() {
    let bytes = vector(FRAMES_2017, "bsm_2017_beijing_with_plate");
    let old = v2017::MessageFrame::decode(&bytes).unwrap();
    let v2017::MessageFrame::BsmFrame(bsm) = &old else {
        panic!()
    };
    assert!(bsm.plate_no.is_some());
    let up = old.lift();
    let v2020::MessageFrame::BsmFrame(new) = &up.value else {
        panic!()
    };
    assert_eq!(
        up.report
            .count("BasicSafetyMessage.plateNo", Change::Dropped),
        1
    );
    assert_eq!(new.pos_confidence, Some(bsm.accuracy.convert().value));
    assert_eq!(
        (new.id, new.speed, new.heading),
        (bsm.id, bsm.speed, bsm.heading)
    );
    assert!(up.value.encode().is_ok());

    // Lowering: what 2017 cannot carry.
    let mut b = bsm_2020();
    b.pos_confidence = None;
    b.time_confidence = Some(v2020::TimeConfidence::Time000100);
    b.emergency_ext = Some(v2020::VehicleEmergencyExtensions {
        response_type: Some(v2020::ResponseType::Emergency),
        siren_use: Some(v2020::SirenInUse::InUse),
        lights_use: None,
        unknown_ext: ext(),
    });
    let down: Converted<v2017::BasicSafetyMessage> = b.convert();
    assert_eq!(
        down.value.accuracy.pos,
        v2017::PositionConfidence::Unavailable
    );
    for (at, change) in [
        ("BasicSafetyMessage.accuracy", Change::Filled),
        ("BasicSafetyMessage.timeConfidence", Change::Dropped),
        ("BasicSafetyMessage.emergencyExt", Change::Dropped),
    ] {
        assert_eq!(down.report.count(at, change), 1, "{at}");
    }
}

#[test]
fn a_2017_position_vector_has_two_accuracy_classes() {
    let fpv = |a: Option<v2017::PositionConfidence>, c: Option<v2017::PositionConfidence>| {
        v2017::FullPositionVector {
            utc_time: None,
            pos: pos(LAT, LON).convert().value,
            heading: None,
            transmission: None,
            speed: None,
            pos_accuracy: a.map(|pos| v2017::PositionConfidenceSet {
                pos,
                elevation: None,
            }),
            time_confidence: None,
            pos_confidence: c.map(|pos| v2017::PositionConfidenceSet {
                pos,
                elevation: None,
            }),
            motion_cfd: None,
            unknown_ext: ext(),
        }
    };
    use v2017::PositionConfidence as P;
    let class =
        |c: &Converted<v2020::FullPositionVector>| c.value.pos_accuracy.as_ref().map(|a| a.pos);
    let same = fpv(Some(P::A5m), Some(P::A5m)).lift();
    assert_eq!(class(&same), Some(v2020::PositionConfidence::A5m));
    assert!(same.report.is_empty());
    let only = fpv(None, Some(P::A1m)).lift();
    assert_eq!(class(&only), Some(v2020::PositionConfidence::A1m));
    assert!(only.report.is_empty());
    let differ = fpv(Some(P::A5m), Some(P::A1m)).lift();
    assert_eq!(class(&differ), Some(v2020::PositionConfidence::A5m));
    assert_eq!(
        differ
            .report
            .count("FullPositionVector.posConfidence", Change::Dropped),
        1
    );
}

#[test]
fn the_2017_light_states_keep_their_meaning_and_pre_movement_is_red() {
    use v2017::LightState as A;
    use v2020::LightState as B;
    let pairs = [
        (A::Unavailable, B::Unavailable),
        (A::Dark, B::Dark),
        (A::StopThenProceed, B::FlashingRed),
        (A::StopAndRemain, B::Red),
        (A::PermissiveMovementAllowed, B::PermissiveGreen),
        (A::ProtectedMovementAllowed, B::ProtectedGreen),
        (A::IntersectionClearance, B::Yellow),
        (A::CautionConflictingTraffic, B::FlashingYellow),
    ];
    for (a, b) in pairs {
        let up = a.lift();
        assert_eq!(up.value, b);
        assert!(up.report.is_empty());
        let down: Converted<A> = b.convert();
        assert_eq!(down.value, a);
    }
    // pre-Movement (item 4, the number 2020 gives flashing-green) means "still stop".
    let up = A::PreMovement.lift();
    assert_eq!(up.value, B::Red);
    assert_eq!(
        up.report.count("LightState.pre-Movement", Change::Remapped),
        1
    );
    let down: Converted<A> = B::FlashingGreen.convert();
    assert_eq!(down.value, A::PermissiveMovementAllowed);
    assert_eq!(
        down.report
            .count("LightState.flashing-green", Change::Remapped),
        1
    );
}

#[test]
fn a_2017_spat_moves_its_minute_and_counts_down() {
    let spat = spat_2020(&[v2020::LightState::Yellow], Some(counting(0, 30)));
    let down: Converted<v2017::SPAT> = spat.convert();
    assert_eq!(
        down.value.time_stamp,
        Some(86_460),
        "the minute of the year"
    );
    assert_eq!(down.report.count("SPAT.timeStamp", Change::Dropped), 1);
    let timing = down.value.intersections[0].phases[0].phase_states[0]
        .timing
        .clone()
        .unwrap();
    assert_eq!((timing.start_time, timing.likely_end_time), (0, 30));
    let up = down.value.lift();
    assert_eq!(up.value.moy, Some(86_460));
    assert_eq!(up.value.time_stamp, None);
    assert_eq!(up.value.intersections, spat.intersections);
    assert!(up.report.is_empty());
}

#[test]
fn utc_timing_is_lowered_to_a_count_down_from_the_state_time() {
    // Minute 86 460 of the year is on the hour; the state is stamped 30 s into it (tenths).
    let now = 300;
    let u = v2020::TimeChangeDetails::UtcTiming(v2020::UTCTiming {
        start_utc_time: (now - 120) as u16,
        min_end_utc_time: Some((now + 250) as u16),
        max_end_utc_time: None,
        likely_end_utc_time: (now + 250) as u16,
        time_confidence: Some(180),
        next_start_utc_time: Some((now + 900) as u16),
        next_end_utc_time: Some((now + 1200) as u16),
    });
    let spat = spat_2020(&[v2020::LightState::ProtectedGreen], Some(u));
    let down: Converted<v2017::SPAT> = spat.convert();
    let t = down.value.intersections[0].phases[0].phase_states[0]
        .timing
        .clone()
        .unwrap();
    assert_eq!(t.start_time, 0, "started 12 s ago");
    assert_eq!((t.min_end_time, t.likely_end_time), (Some(250), 250));
    assert_eq!((t.next_start_time, t.next_duration), (Some(900), Some(300)));
    assert_eq!(t.time_confidence, Some(180));
    assert_eq!(
        down.report
            .count("TimeChangeDetails.utcTiming", Change::Remapped),
        1
    );

    // Across the hour: a UTC mark of 10 s past the next hour from 50 s before it.
    let late = v2020::UTCTiming {
        start_utc_time: 35_500,
        min_end_utc_time: None,
        max_end_utc_time: None,
        likely_end_utc_time: 100,
        time_confidence: None,
        next_start_utc_time: None,
        next_end_utc_time: None,
    };
    let t = count_down_of(&late, 35_500);
    assert_eq!((t.start_time, t.likely_end_time), (0, 600));

    // Without a time stamp there is nothing to count from.
    let mut bare = spat;
    bare.moy = None;
    bare.intersections[0].moy = None;
    let down: Converted<v2017::SPAT> = bare.convert();
    assert!(
        down.value.intersections[0].phases[0].phase_states[0]
            .timing
            .is_none()
    );
    assert_eq!(
        down.report
            .count("TimeChangeDetails.utcTiming", Change::Dropped),
        1
    );
}

fn count_down_of(u: &v2020::UTCTiming, now_tenths: i64) -> v2017::TimeChangeDetails {
    // Through a SPAT stamped at `now_tenths` into the hour.
    let moy = 86_400 + (now_tenths / 600) as u32;
    let ms = ((now_tenths % 600) * 100) as u16;
    let mut spat = spat_2020(
        &[v2020::LightState::Red],
        Some(v2020::TimeChangeDetails::UtcTiming(u.clone())),
    );
    spat.intersections[0].moy = Some(moy);
    spat.intersections[0].time_stamp = Some(ms);
    let down: Converted<v2017::SPAT> = spat.convert();
    down.value.intersections[0].phases[0].phase_states[0]
        .timing
        .clone()
        .unwrap()
}

#[test]
fn a_2017_link_width_is_the_width_of_its_lanes() {
    let map = map_2020();
    let down: Converted<v2017::MapData> = map.convert();
    assert!(down.report.is_empty(), "{}", down.report);
    let l17 = &down.value.nodes[0].in_links.as_ref().unwrap()[0];
    assert_eq!(l17.lane_width, 350);
    let up = down.value.lift();
    assert_eq!(up.value, map);
    assert!(up.report.is_empty());

    // Lanes of different widths: 2017 keeps one.
    let mut wide = map_2020();
    let link = &mut wide.nodes[0].in_links.as_mut().unwrap()[0];
    link.lanes[1].lane_width = Some(300);
    let down: Converted<v2017::MapData> = wide.convert();
    assert_eq!(
        down.value.nodes[0].in_links.as_ref().unwrap()[0].lane_width,
        350
    );
    assert_eq!(down.report.count("Lane.laneWidth", Change::Dropped), 1);
}

#[test]
fn a_2017_rsm_keeps_its_sources_that_2017_has() {
    let down: Converted<v2017::RoadsideSafetyMessage> =
        rsm_2020(v2020::SourceType::Video).convert();
    assert!(down.report.is_empty());
    let mut old = down.value;
    old.participants[0].plate_no = Some(b"\xbe\xa9A12345".to_vec());
    let up = old.lift();
    assert_eq!(up.value, rsm_2020(v2020::SourceType::Video));
    assert_eq!(
        up.report.count("ParticipantData.plateNo", Change::Dropped),
        1
    );

    let down: Converted<v2017::RoadsideSafetyMessage> =
        rsm_2020(v2020::SourceType::Integrated).convert();
    assert_eq!(
        down.value.participants[0].source,
        v2017::SourceType::Unknown
    );
    assert_eq!(down.report.count("SourceType", Change::Remapped), 1);
    // A 2017 extension value has no meaning in 2020, whose root grew.
    let up = v2017::SourceType::UnknownExt(0).lift();
    assert_eq!(up.value, v2020::SourceType::Unknown);
    assert_eq!(up.report.count("SourceType", Change::Remapped), 1);
}

#[test]
fn a_2017_alert_is_a_traffic_sign_with_its_path() {
    let old = v2017::RoadSideInformation {
        msg_cnt: 4,
        time_stamp: Some(86_460),
        id: *b"RSU00017",
        rsi_id: 9,
        alert_type: 38,
        description: Some(String::from("road works")),
        priority: Some([0xA0]),
        ref_pos: pos(LAT, LON).convert().value,
        alert_path: vec![off(0, 0).convert().value, off(0, 1500).convert().value],
        alert_radius: 40,
        unknown_ext: ext(),
    };
    let up = old.lift();
    assert!(up.report.is_empty(), "{}", up.report);
    let rsi = &up.value;
    assert_eq!((rsi.moy, rsi.id), (Some(86_460), *b"RSU00017"));
    assert!(rsi.rtes.is_none());
    let s = &rsi.rtss.as_ref().unwrap()[0];
    assert_eq!((s.rts_id, s.sign_type, s.priority), (9, 38, Some([0xA0])));
    assert_eq!(
        s.description,
        Some(v2020::Description::TextString(String::from("road works")))
    );
    let paths = s.reference_paths.as_ref().unwrap();
    assert_eq!(paths[0].path_radius, 40);
    assert_eq!(paths[0].active_path, vec![off(0, 0), off(0, 1500)]);
    assert!(up.value.encode().is_ok());

    // A text message (type 0) at a point: the sign's position, without a path or radius.
    let mut point = old.clone();
    point.alert_type = 0;
    point.alert_path = vec![off(30, 900).convert().value; 3];
    let up = point.lift();
    let s = &up.value.rtss.as_ref().unwrap()[0];
    assert_eq!(s.sign_pos, Some(off(30, 900)));
    assert!(s.reference_paths.is_none());
    for (at, change) in [
        ("RoadSideInformation.alertType", Change::Remapped),
        ("RoadSideInformation.alertPath", Change::Remapped),
        ("RoadSideInformation.alertRadius", Change::Dropped),
    ] {
        assert_eq!(up.report.count(at, change), 1, "{at}");
    }
}

#[test]
fn a_2020_rsi_is_one_2017_rsi_per_sign() {
    let far = 5000u16; // 500 m, beyond the 2017 bound of 102.4 m
    let mut with_path = sign(3, 38, Some(off(100, 2000)), &[(100, 1000), (100, 2000)]);
    if let Some(p) = with_path.reference_paths.as_mut() {
        p[0].path_radius = far;
    }
    let at_point = sign(4, 40, Some(off(-50, 3000)), &[]);
    let rsi = rsi_2020(Some(vec![roadworks()]), vec![with_path, at_point.clone()]);
    let frame = v2020::MessageFrame::RsiFrame(rsi.clone());
    let down = AnyFrame::lower(&frame, Standard::Csae53_2017);
    assert_eq!(down.value.len(), 2);
    assert_eq!(
        down.report
            .count("RoadSideInformation.rtes", Change::Dropped),
        1
    );
    assert_eq!(
        down.report
            .count("ReferencePath.pathRadius", Change::Clamped),
        1
    );
    let olds: Vec<v2017::RoadSideInformation> = down
        .value
        .iter()
        .map(|f| match f {
            AnyFrame::V2017(v2017::MessageFrame::RsiFrame(r)) => r.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    // The first sign's position is the reference position; its path is re-based onto it.
    let a = &olds[0];
    assert_eq!((a.ref_pos.lat, a.ref_pos.long), (LAT + 2000, LON + 100));
    assert_eq!(a.alert_radius, 1024);
    let rebased: Vec<(i64, i64)> = a
        .alert_path
        .iter()
        .map(|p| match ll(&p.offset_ll) {
            Ll::Offset(x, y) => (x, y),
            Ll::Absolute(..) => panic!("absolute"),
        })
        .collect();
    assert_eq!(rebased, vec![(0, -1000), (0, 0)]);
    // The second, without a path: a two-point path at its position, which lifts back to it.
    let b = &olds[1];
    assert_eq!(b.alert_path.len(), 2);
    let up = b.lift();
    let s = &up.value.rtss.as_ref().unwrap()[0];
    assert_eq!(s.sign_pos, at_point.sign_pos);
    assert_eq!(s.sign_type, 40);
    assert!(s.reference_paths.is_none());
    assert_eq!(up.value.ref_pos, rsi.ref_pos);
    for f in &down.value {
        assert!(f.encode().is_ok());
    }
}

#[test]
fn the_smallest_offset_form_holds_the_value() {
    assert!(matches!(
        offset_ll(2047, -2048),
        Some(v2017::PositionOffsetLL::PositionLl1(_))
    ));
    assert!(matches!(
        offset_ll(2048, 0),
        Some(v2017::PositionOffsetLL::PositionLl2(_))
    ));
    assert!(matches!(
        offset_ll(0, -40_000),
        Some(v2017::PositionOffsetLL::PositionLl4(_))
    ));
    assert!(matches!(
        offset_ll(8_388_607, 0),
        Some(v2017::PositionOffsetLL::PositionLl6(_))
    ));
    assert!(offset_ll(8_388_608, 0).is_none());
}

#[test]
fn reports_merge_and_print() {
    let mut r = Report::new();
    assert_eq!(alloc::format!("{r}"), "lossless");
    r.note("Link.linkWidth", Change::Filled);
    r.note("Link.linkWidth", Change::Filled);
    r.note_n("MapData.nodes", Change::Truncated, 0);
    r.note("SourceType", Change::Remapped);
    assert_eq!(r.notes().len(), 2);
    assert_eq!(r.total(), 3);
    assert_eq!(
        alloc::format!("{r}"),
        "Link.linkWidth: filled (2 times); SourceType: remapped"
    );
}
