//! Day II (T/CSAE 157-2020) messages → the typed state of [`crate::world::day2`]: RSC, VIR,
//! PAM, CLPMM and VPM, and the time, path and text elements they share.
//!
//! Times: a `secMark` is resolved to the absolute time nearest the receive time; a
//! `TimeOffset` (`lifeTime`, `estimatedTime`, 10 ms; 65535 = unavailable) counts from the
//! message time; a `DDateTime` is completed from the receive time where it leaves components
//! out and taken as the nearest matching time ([`ddatetime`]). Positions are offsets from the
//! message's (or node's) reference position; a point whose position is unavailable is left
//! out and counted.
use alloc::string::String;
use alloc::vec::Vec;

use super::units::{heading_deg, offset_position_deg, position_deg, speed_mps};
use crate::geo::Wgs84;
use crate::msg::v2020 as m;
use crate::time::{DSecond, Timestamp, days_from_civil, resolve_sec_mark};
use crate::world::day2::{
    Behavior, Coordination, CoordinationKinds, DriveRequest, GuidePoint, Intention, LaneGuidance,
    LinkRef, Membership, NodeAttributes, ParkingKinds, ParkingServices, PlatoonReport, PlatoonRole,
    PlatoonStatus, RefPath, RequestKind, RequestStatus, VehicleGuidance,
    parking::{
        self, AvpLevel, ParkingDrive, ParkingGuide, ParkingLot, ParkingNode, ParkingSlot, SlotLock,
        SlotOrientation, SlotStatus,
    },
    payment::{
        ChargeRequest, FileRange, OfferedService, PaymentAction, PaymentChannel, PaymentCommand,
        PaymentOffer, PaymentService, StationKind, TacParams, TollPoint, TollResult, TollStation,
    },
};
use crate::world::map::{Turn, node_key};

/// Parts of a message dropped while converting it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Dropped {
    /// Parts beyond a limit, or without a usable position.
    pub truncated: u64,
    /// Whole entries (parking nodes) without a usable reference position.
    pub rejected: u64,
}

/// A `TimeOffset` (10 ms) in seconds; `None` when unavailable (65535).
pub fn time_offset_s(v: u16) -> Option<f64> {
    (v != u16::MAX).then(|| f64::from(v) * 0.01)
}

/// The time of a `secMark` received at `now`; `now` when the mark is unavailable.
pub fn message_time(sec_mark: u16, now: Timestamp) -> Timestamp {
    DSecond::new(sec_mark)
        .ok()
        .and_then(|d| resolve_sec_mark(d, now).ok())
        .unwrap_or(now)
}

fn after(t: Timestamp, offset: Option<u16>) -> Option<Timestamp> {
    let s = time_offset_s(offset?)?;
    Some(t.add_micros((s * 1e6) as i64))
}

fn days_in_month(y: i64, mo: i64) -> i64 {
    days_from_civil(
        if mo == 12 { y + 1 } else { y },
        if mo == 12 { 1 } else { mo + 1 },
        1,
    ) - days_from_civil(y, mo, 1)
}

/// A `DDateTime` as an absolute time. Components left out (or "unknown") above the highest
/// one given are taken from `now`, those below it are their smallest value; when components
/// were taken from `now`, the nearest of the candidates one unit of the lowest taken
/// component before, at and after wins (so "23:59:50" received at 00:00:05 is yesterday).
/// `None` when nothing is given or the date does not exist.
pub fn ddatetime(d: &m::DDateTime, now: Timestamp) -> Option<Timestamp> {
    let year = d.year.filter(|y| *y > 0).map(i64::from);
    let month = d.month.filter(|v| (1..=12).contains(v)).map(i64::from);
    let day = d.day.filter(|v| (1..=31).contains(v)).map(i64::from);
    let hour = d.hour.filter(|v| *v < 24).map(i64::from);
    let minute = d.minute.filter(|v| *v < 60).map(i64::from);
    let ms = d.second.filter(|v| *v <= 60_999).map(i64::from);
    let given = [year, month, day, hour, minute, ms];
    let top = given.iter().position(Option::is_some)?;
    let unix_now = now.to_unix_utc_millis();
    let (ny, nmo, nd) = crate::time::civil_from_days(unix_now.div_euclid(86_400_000));
    let into_day = unix_now.rem_euclid(86_400_000);
    let now_parts = [
        ny,
        nmo,
        nd,
        into_day / 3_600_000,
        (into_day / 60_000) % 60,
        into_day % 60_000,
    ];
    let lowest = [1, 1, 1, 0, 0, 0];
    let mut parts = [0i64; 6];
    for i in 0..6 {
        parts[i] = match given[i] {
            Some(v) => v,
            None if i < top => now_parts[i],
            None => lowest[i],
        };
    }
    let at = |p: &[i64; 6]| -> Option<i64> {
        if p[2] > days_in_month(p[0], p[1]) {
            return None;
        }
        Some(
            days_from_civil(p[0], p[1], p[2]) * 86_400_000
                + p[3] * 3_600_000
                + p[4] * 60_000
                + p[5],
        )
    };
    let base = at(&parts)?;
    let best = if top == 0 {
        base
    } else {
        // One unit of the lowest borrowed component (index top - 1).
        let mut cands = [Some(base); 3];
        for (k, c) in cands.iter_mut().enumerate() {
            let delta = k as i64 - 1;
            *c = match top - 1 {
                0 => {
                    let mut p = parts;
                    p[0] += delta;
                    at(&p)
                }
                1 => {
                    let mut p = parts;
                    let months = p[0] * 12 + (p[1] - 1) + delta;
                    p[0] = months.div_euclid(12);
                    p[1] = months.rem_euclid(12) + 1;
                    at(&p)
                }
                2 => Some(base + delta * 86_400_000),
                3 => Some(base + delta * 3_600_000),
                _ => Some(base + delta * 60_000),
            };
        }
        cands
            .into_iter()
            .flatten()
            .min_by_key(|c| (c - unix_now).unsigned_abs())?
    };
    Some(Timestamp::from_unix_utc_millis(best))
}

fn wgs(lat_lon: (f64, f64)) -> Wgs84 {
    Wgs84::new(lat_lon.0, lat_lon.1, 0.0)
}

/// The position of an offset from `reference`.
pub fn at_offset(reference: &m::Position3D, o: &m::PositionOffsetLLV) -> Option<Wgs84> {
    offset_position_deg(reference, o).map(wgs)
}

/// A `Position3D` in WGS-84 (without elevation).
pub fn at_position(p: &m::Position3D) -> Option<Wgs84> {
    position_deg(p).map(wgs)
}

/// Bits `0..n` of a named bit string as a `u16` (bit `i` = `1 << i`).
fn bits(get: impl Fn(usize) -> bool, n: usize) -> u16 {
    (0..n.min(16))
        .filter(|&i| get(i))
        .fold(0u16, |acc, i| acc | (1 << i))
}

/// `DriveBehavior` → [`Behavior`].
pub fn behavior(b: &m::DriveBehavior) -> Behavior {
    Behavior(bits(|i| b.get(i), m::DriveBehavior::BITS))
}

/// `CoordinationInfo` → [`CoordinationKinds`].
pub fn coordination_kinds(b: &m::CoordinationInfo) -> CoordinationKinds {
    CoordinationKinds(bits(|i| b.get(i), m::CoordinationInfo::BITS))
}

/// `ParkingType` → [`ParkingKinds`].
pub fn parking_kinds(b: &m::ParkingType) -> ParkingKinds {
    ParkingKinds(bits(|i| b.get(i), m::ParkingType::BITS))
}

/// `ReferenceLink` → [`LinkRef`].
pub fn link_ref(l: &m::ReferenceLink) -> LinkRef {
    LinkRef {
        upstream: node_key(&l.upstream_node_id),
        downstream: node_key(&l.downstream_node_id),
        lanes: l
            .reference_lanes
            .as_ref()
            .map_or(0, |r| bits(|i| i > 0 && r.get(i), 16)),
    }
}

/// `ReferencePath` → [`RefPath`] (points without a usable position are left out and counted);
/// `None` when no point is usable.
pub fn ref_path(
    reference: &m::Position3D,
    p: &m::ReferencePath,
    dropped: &mut u64,
) -> Option<RefPath> {
    let points: Vec<Wgs84> = p
        .active_path
        .iter()
        .take(32)
        .filter_map(|o| {
            let w = at_offset(reference, o);
            if w.is_none() {
                *dropped += 1;
            }
            w
        })
        .collect();
    (!points.is_empty()).then(|| RefPath {
        points,
        radius_m: f64::from(p.path_radius) * 0.1,
    })
}

/// `PathPlanningPoint` → [`GuidePoint`] (times from the message time `sent`).
pub fn guide_point(
    reference: &m::Position3D,
    p: &m::PathPlanningPoint,
    sent: Timestamp,
) -> Option<GuidePoint> {
    Some(GuidePoint {
        position: at_offset(reference, &p.pos)?,
        link: p.pos_in_map.as_ref().map(link_ref),
        speed_mps: p.speed.and_then(speed_mps),
        heading_deg: p.heading.and_then(heading_deg),
        at: after(sent, p.estimated_time),
    })
}

fn guide_points(
    reference: &m::Position3D,
    list: Option<&[m::PathPlanningPoint]>,
    sent: Timestamp,
    dropped: &mut u64,
) -> Vec<GuidePoint> {
    list.unwrap_or(&[])
        .iter()
        .take(100)
        .filter_map(|p| {
            let g = guide_point(reference, p, sent);
            if g.is_none() {
                *dropped += 1;
            }
            g
        })
        .collect()
}

/// The text of a `Description`: ASCII text as it is; GB2312 text is `None`.
pub fn text(d: &m::Description) -> Option<String> {
    match d {
        m::Description::TextString(s) => Some(s.chars().take(512).collect()),
        m::Description::TextGb2312(_) => None,
    }
}

/// The first number in a `Description` (`"60"`, `"限速60km/h"`, `"4.5m"`): ASCII digits and
/// point, and in GB2312 text also the full-width digits and point (row 3 of GB2312,
/// `0xA3B0..=0xA3B9`, `0xA3AE`). This is all of GB2312 the stack decodes, so no character
/// table is needed. `None` when the text has no number.
pub fn description_value(d: &m::Description) -> Option<f64> {
    let mut chars: Vec<char> = Vec::new();
    match d {
        m::Description::TextString(s) => chars.extend(s.chars().take(512)),
        m::Description::TextGb2312(b) => {
            let mut i = 0;
            while let Some(&c) = b.get(i) {
                if c < 0x80 {
                    chars.push(char::from(c));
                    i += 1;
                    continue;
                }
                let next = b.get(i + 1).copied().unwrap_or(0);
                chars.push(match (c, next) {
                    (0xA3, 0xB0..=0xB9) => char::from(b'0' + (next - 0xB0)),
                    (0xA3, 0xAE) => '.',
                    _ => ' ',
                });
                i += 2;
            }
        }
    }
    first_number(&chars)
}

fn first_number(chars: &[char]) -> Option<f64> {
    let start = chars.iter().position(char::is_ascii_digit)?;
    let mut value = 0.0f64;
    let mut scale = 0.0f64;
    for c in chars.get(start..).unwrap_or(&[]).iter().take(16) {
        match c {
            '0'..='9' => {
                let d = f64::from(u32::from(*c) - u32::from('0'));
                if scale == 0.0 {
                    value = value * 10.0 + d;
                } else {
                    value += d * scale;
                    scale /= 10.0;
                }
            }
            '.' if scale == 0.0 => scale = 0.1,
            _ => break,
        }
    }
    Some(value)
}

/// `Maneuver` → [`Turn`].
pub fn turn(t: &m::Maneuver) -> Option<Turn> {
    match t {
        m::Maneuver::ManeuverStraight => Some(Turn::Straight),
        m::Maneuver::ManeuverLeftTurn => Some(Turn::Left),
        m::Maneuver::ManeuverRightTurn => Some(Turn::Right),
        m::Maneuver::ManeuverUTurn => Some(Turn::UTurn),
        m::Maneuver::UnknownExt(_) => None,
    }
}

/// An RSC received at `now`: the guidance for `ego` and the lane guidance; the count of
/// parts dropped.
pub fn coordination(
    r: &m::RoadsideCoordination,
    now: Timestamp,
    ego: Option<[u8; 8]>,
) -> (Coordination, u64) {
    let sent = message_time(r.sec_mark, now);
    let mut dropped = 0;
    let vehicles = r.coordinates.as_deref().unwrap_or(&[]);
    let for_ego = ego
        .and_then(|e| vehicles.iter().find(|c| c.veh_id == e))
        .map(|c| {
            let s = c.drive_suggestion.as_ref();
            VehicleGuidance {
                behavior: s.map(|s| behavior(&s.suggestion)),
                valid_until: s.and_then(|s| after(sent, s.life_time)),
                link: s.and_then(|s| s.related_link.as_ref()).map(link_ref),
                related_path: s
                    .and_then(|s| s.related_path.as_ref())
                    .and_then(|p| ref_path(&r.ref_pos, p, &mut dropped)),
                path: guide_points(&r.ref_pos, c.path_guidance.as_deref(), sent, &mut dropped),
                // The services of every coordination the message has for the ego.
                kinds: vehicles
                    .iter()
                    .filter(|o| o.veh_id == c.veh_id)
                    .filter_map(|o| o.info.as_ref().map(coordination_kinds))
                    .reduce(|a, b| CoordinationKinds(a.0 | b.0)),
            }
        });
    let lanes = r
        .lane_coordinates
        .iter()
        .flatten()
        .take(8)
        .map(|l| LaneGuidance {
            link: link_ref(&l.target_lane),
            related_path: l
                .related_path
                .as_ref()
                .and_then(|p| ref_path(&r.ref_pos, p, &mut dropped)),
            begin: l.t_begin.as_ref().and_then(|t| ddatetime(t, now)),
            end: l.t_end.as_ref().and_then(|t| ddatetime(t, now)),
            speed_mps: l.recommended_speed.and_then(speed_mps),
            behavior: l.recommended_behavior.as_ref().map(behavior),
            kinds: l.info.as_ref().map(coordination_kinds),
            description: l.description.as_ref().and_then(text),
        })
        .collect();
    let c = Coordination {
        rsu: r.id,
        received: now,
        sent,
        position: at_position(&r.ref_pos),
        for_ego,
        vehicles: u16::try_from(vehicles.len()).unwrap_or(u16::MAX),
        lanes,
    };
    (c, dropped)
}

fn request_status(s: &m::ReqStatus) -> RequestStatus {
    match s {
        m::ReqStatus::Request => RequestStatus::Request,
        m::ReqStatus::Comfirmed => RequestStatus::Confirmed,
        m::ReqStatus::Cancel => RequestStatus::Cancel,
        m::ReqStatus::Complete => RequestStatus::Complete,
        m::ReqStatus::Unknown | m::ReqStatus::UnknownExt(_) => RequestStatus::Unknown,
    }
}

fn link_of(up: &m::NodeReferenceID, down: &m::NodeReferenceID) -> LinkRef {
    LinkRef {
        upstream: node_key(up),
        downstream: node_key(down),
        lanes: 0,
    }
}

fn request_kind(
    reference: &m::Position3D,
    i: &m::ReqInfo,
    now: Timestamp,
    dropped: &mut u64,
) -> RequestKind {
    match i {
        m::ReqInfo::LaneChange(l) => RequestKind::LaneChange {
            link: link_of(&l.upstream_node, &l.downstream_node),
            lane: l.target_lane,
        },
        m::ReqInfo::ClearTheWay(c) => RequestKind::ClearTheWay {
            link: link_of(&c.upstream_node, &c.downstream_node),
            lane: c.target_lane,
            path: c
                .related_path
                .as_ref()
                .and_then(|p| ref_path(reference, p, dropped)),
            begin: c.t_begin.as_ref().and_then(|t| ddatetime(t, now)),
            end: c.t_end.as_ref().and_then(|t| ddatetime(t, now)),
        },
        m::ReqInfo::SignalPriority(s) => RequestKind::SignalPriority {
            intersection: node_key(&s.intersection_id),
            towards: node_key(&s.required_mov.remote_intersection),
            phase: s.required_mov.phase_id,
            turn: s.required_mov.turn_direction.as_ref().and_then(turn),
            eta_s: s.estimated_arrival_time.and_then(time_offset_s),
            distance_m: s.distance2_intersection.map(|d| f64::from(d) * 0.1),
        },
        m::ReqInfo::SensorSharing(s) => RequestKind::SensorSharing {
            paths: s
                .detect_area
                .iter()
                .take(8)
                .filter_map(|p| ref_path(reference, p, dropped))
                .collect(),
        },
        m::ReqInfo::Parking(p) => RequestKind::Parking {
            vehicle_class: p.vehicle_class.classification,
            services: ParkingServices(bits(|i| p.req.get(i), m::ParkingRequest::BITS)),
            kinds: p.parking_type.as_ref().map(parking_kinds),
            slot: p.expected_parking_slot_id,
        },
        m::ReqInfo::UnknownExt(_) => RequestKind::Other,
    }
}

/// A VIR received at `now`; the count of parts dropped.
pub fn intention(v: &m::VehIntentionAndRequest, now: Timestamp) -> (Intention, u64) {
    let sent = message_time(v.sec_mark, now);
    let mut dropped = 0;
    let iar = &v.int_and_req;
    let current = iar
        .current_pos
        .as_ref()
        .and_then(|p| guide_point(&v.ref_pos, p, sent));
    let requests = iar
        .reqs
        .iter()
        .flatten()
        .take(8)
        .map(|r| DriveRequest {
            id: r.req_id,
            status: request_status(&r.status),
            priority: r.req_priority.map(|p| p[0]),
            target_vehicle: r.target_veh,
            target_rsu: r.target_rsu,
            kind: r
                .info
                .as_ref()
                .map(|i| request_kind(&v.ref_pos, i, now, &mut dropped)),
            valid_until: after(sent, r.life_time),
        })
        .collect();
    let i = Intention {
        sender: v.id,
        received: now,
        sent,
        position: current
            .map(|c| c.position)
            .or_else(|| at_position(&v.ref_pos)),
        heading_deg: current.and_then(|c| c.heading_deg),
        speed_mps: current.and_then(|c| c.speed_mps),
        path: guide_points(&v.ref_pos, iar.path_planning.as_deref(), sent, &mut dropped),
        behavior: iar.current_behavior.as_ref().map(behavior),
        requests,
    };
    (i, dropped)
}

fn slot_status(s: &m::SlotStatus) -> SlotStatus {
    match s {
        m::SlotStatus::Available => SlotStatus::Available,
        m::SlotStatus::Occupied => SlotStatus::Occupied,
        m::SlotStatus::Reserved => SlotStatus::Reserved,
        m::SlotStatus::Unknown | m::SlotStatus::UnknownExt(_) => SlotStatus::Unknown,
    }
}

fn slot(reference: &m::Position3D, s: &m::ParkingSlot) -> ParkingSlot {
    let corners = s.position.as_ref().and_then(|p| {
        Some([
            at_offset(reference, &p.top_left)?,
            at_offset(reference, &p.top_right)?,
            at_offset(reference, &p.bottom_left)?,
        ])
    });
    // The fourth corner is top right + bottom left − top left: the centre is the mean of
    // top right and bottom left.
    let center = corners.map(|[_, tr, bl]| {
        Wgs84::new(
            (tr.lat_deg + bl.lat_deg) / 2.0,
            (tr.lon_deg + bl.lon_deg) / 2.0,
            0.0,
        )
    });
    ParkingSlot {
        id: s.slot_id,
        corners,
        center,
        sign: s.sign.as_ref().map(|t| t.chars().take(64).collect()),
        kinds: parking_kinds(&s.parking_type),
        status: slot_status(&s.status),
        orientation: match s.parking_space_theta {
            m::ParkingSpaceTheta::Vertical => SlotOrientation::Perpendicular,
            m::ParkingSpaceTheta::Side => SlotOrientation::Parallel,
            m::ParkingSpaceTheta::Oblique => SlotOrientation::Oblique,
            _ => SlotOrientation::Unknown,
        },
        lock: match s.parking_lock {
            m::ParkingLock::Nolock => SlotLock::None,
            m::ParkingLock::Locked => SlotLock::Locked,
            m::ParkingLock::Unlocked => SlotLock::Unlocked,
            _ => SlotLock::Unknown,
        },
    }
}

/// A PAM received at `now`: the lot, with the guidance for `ego`; what was dropped.
pub fn parking_lot(p: &m::PAMData, now: Timestamp, ego: Option<[u8; 8]>) -> (ParkingLot, Dropped) {
    let mut dropped = Dropped::default();
    let (mut drives_left, mut slots_left) = (parking::MAX_DRIVES, parking::MAX_SLOTS);
    let mut nodes = Vec::with_capacity(p.pam_nodes.len().min(63));
    for n in p.pam_nodes.iter().take(63) {
        let Some(position) = at_position(&n.ref_pos) else {
            dropped.rejected += 1;
            continue;
        };
        let mut drives = Vec::new();
        for d in n.in_drives.iter().flatten() {
            if drives_left == 0 {
                // The drive and its slots.
                dropped.truncated += 1 + d.parking_slots.as_ref().map_or(0, |s| s.len() as u64);
                continue;
            }
            drives_left -= 1;
            let points: Vec<Wgs84> = d
                .points
                .iter()
                .flatten()
                .take(parking::MAX_DRIVE_POINTS)
                .filter_map(|rp| at_offset(&n.ref_pos, &rp.pos_offset))
                .collect();
            let all_slots = d.parking_slots.as_deref().unwrap_or(&[]);
            let take = all_slots.len().min(slots_left);
            slots_left -= take;
            dropped.truncated += (all_slots.len() - take) as u64;
            drives.push(ParkingDrive {
                upstream: d.upstream_pam_node_id,
                id: d.drive_id,
                speed_limit_mps: d.speed_limit.and_then(speed_mps),
                height_limit_m: d.height_restriction.map(|h| f64::from(h) * 0.1),
                width_m: d.drive_width.map(|w| f64::from(w) * 0.01),
                points,
                movements: d.movements.iter().flatten().take(32).copied().collect(),
                slots: all_slots
                    .iter()
                    .take(take)
                    .map(|s| slot(&n.ref_pos, s))
                    .collect(),
            });
        }
        nodes.push(ParkingNode {
            id: n.id,
            position,
            floor: n.floor,
            attributes: NodeAttributes(
                n.attributes
                    .as_ref()
                    .map_or(0, |a| bits(|i| a.get(i), m::PAMNodeAttributes::BITS)),
            ),
            drives,
        });
    }
    let guides = p.parking_area_guidance.as_deref().unwrap_or(&[]);
    let info = &p.parking_lot_info;
    let lot = ParkingLot {
        id: info.id,
        received: now,
        name: info.name.as_ref().map(|s| s.chars().take(64).collect()),
        capacity: info.number,
        floors: info.building_layer_num,
        avp: info.avp_type.as_ref().and_then(|a| match a {
            m::AVPType::P0 => Some(AvpLevel(0)),
            m::AVPType::P1 => Some(AvpLevel(1)),
            m::AVPType::P2 => Some(AvpLevel(2)),
            m::AVPType::P3 => Some(AvpLevel(3)),
            m::AVPType::P4 => Some(AvpLevel(4)),
            m::AVPType::P5 => Some(AvpLevel(5)),
            m::AVPType::UnknownExt(_) => None,
        }),
        nodes,
        for_ego: ego
            .and_then(|e| guides.iter().find(|g| g.veh_id == e))
            .map(|g| ParkingGuide {
                path: g.drive_path.iter().take(32).copied().collect(),
                slot: g.target_parking_slot,
            }),
        guided_vehicles: u16::try_from(guides.len()).unwrap_or(u16::MAX),
    };
    (lot, dropped)
}

/// A CLPMM received at `now`.
pub fn platoon_report(c: &m::CLPMM, now: Timestamp) -> PlatoonReport {
    let ids = |l: Option<&Vec<m::MemberNode>>| -> Vec<[u8; 8]> {
        l.map_or(Vec::new(), |l| l.iter().take(32).map(|n| n.vid).collect())
    };
    PlatoonReport {
        sender: c.id,
        received: now,
        platoon: c.pid,
        role: match c.role {
            m::RoleInPlatooning::Leader => PlatoonRole::Leader,
            m::RoleInPlatooning::Follower => PlatoonRole::Follower,
            m::RoleInPlatooning::Tail => PlatoonRole::Tail,
            m::RoleInPlatooning::FreeVehicle => PlatoonRole::Free,
            m::RoleInPlatooning::UnknownExt(_) => PlatoonRole::Other,
        },
        status: match c.status {
            m::StatusInPlatooning::Navigating => PlatoonStatus::Navigating,
            m::StatusInPlatooning::BeginToDissmiss => PlatoonStatus::Dismissing,
            m::StatusInPlatooning::AskForJoining => PlatoonStatus::AskForJoining,
            m::StatusInPlatooning::Joining => PlatoonStatus::Joining,
            m::StatusInPlatooning::Following => PlatoonStatus::Following,
            m::StatusInPlatooning::AskForLeaving => PlatoonStatus::AskForLeaving,
            m::StatusInPlatooning::Leaving => PlatoonStatus::Leaving,
            m::StatusInPlatooning::UnknownExt(_) => PlatoonStatus::Other,
        },
        membership: c.leading_ext.as_ref().map(|l| Membership {
            members: ids(Some(&l.member_list)),
            joining: ids(l.joining_list.as_ref()),
            leaving: ids(l.leaving_list.as_ref()),
            capacity: l.capacity,
            open: l.open_to_join,
        }),
    }
}

/// `PaymentEntityID` → [`PaymentService`].
pub fn payment_service(p: &m::PaymentEntityID) -> PaymentService {
    match p {
        m::PaymentEntityID::System => PaymentService::System,
        m::PaymentEntityID::Freeflow => PaymentService::Freeflow,
        m::PaymentEntityID::Enclosed => PaymentService::Enclosed,
        m::PaymentEntityID::Congestion => PaymentService::Congestion,
        m::PaymentEntityID::Charging => PaymentService::Charging,
        m::PaymentEntityID::Parking => PaymentService::Parking,
        m::PaymentEntityID::UnknownExt(_) => PaymentService::Other,
    }
}

fn direction_deg(d: &m::TollingDirection) -> Option<f64> {
    use m::TollingDirection as D;
    Some(match d {
        D::North => 0.0,
        D::Northeast => 45.0,
        D::East => 90.0,
        D::Southeast => 135.0,
        D::South => 180.0,
        D::Southwest => 225.0,
        D::West => 270.0,
        D::Northwest => 315.0,
        D::UnknownExt(_) => return None,
    })
}

fn toll_station(t: &m::TollingNodeInfo) -> TollStation {
    TollStation {
        id: t.id.and_then(|i| u64::try_from(i).ok()),
        position: t.pos.as_ref().and_then(at_position),
        kind: t.tolling_node_type.as_ref().map(|k| match k {
            m::TollingNodeType::EntranceStation => StationKind::Entrance,
            m::TollingNodeType::ExitStation => StationKind::Exit,
            m::TollingNodeType::EntranceAndExitStation => StationKind::EntranceAndExit,
            m::TollingNodeType::Gantry => StationKind::Gantry,
            m::TollingNodeType::UnknownExt(_) => StationKind::Other,
        }),
        direction_deg: t.tolling_direction.as_ref().and_then(direction_deg),
    }
}

/// A roadside service table (RST) received at `now`; the count of parts dropped.
pub fn payment_offer(rst: &m::RST, now: Timestamp) -> (PaymentOffer, u64) {
    let mut dropped = 0;
    let services = rst
        .payment_list
        .iter()
        .take(16)
        .map(|a| {
            let info = match &a.payment_info {
                m::PaymentInfo::PaymentInfoType1(p) => Some(p),
                m::PaymentInfo::UnknownExt(_) => None,
            };
            let station = info.and_then(|p| p.tolling_node_info.as_ref());
            let toll = info.and_then(|p| p.toll_info.as_ref());
            // Toll positions are offsets from the station's position.
            let reference = station.and_then(|s| s.pos.as_ref());
            let rel = |o: Option<&m::PositionOffsetLLV>| {
                o.and_then(|o| reference.and_then(|r| at_offset(r, o)))
            };
            OfferedService {
                service: payment_service(&a.pid),
                station: station.map(toll_station),
                price: toll.and_then(|t| t.price),
                entrance: rel(toll.and_then(|t| t.entrance_pos.as_ref())),
                exit: rel(toll.and_then(|t| t.exit_pos.as_ref())),
                road: toll
                    .and_then(|t| t.toll_road.as_ref())
                    .map_or(Vec::new(), |r| r.iter().take(256).map(node_key).collect()),
                path: toll
                    .and_then(|t| t.toll_path.as_ref())
                    .and_then(|p| ref_path(reference?, p, &mut dropped)),
                begin: toll
                    .and_then(|t| t.time_begin.as_ref())
                    .and_then(|t| ddatetime(t, now)),
                end: toll
                    .and_then(|t| t.time_end.as_ref())
                    .and_then(|t| ddatetime(t, now)),
                info: info.and_then(|p| p.service_info.clone()),
            }
        })
        .collect();
    let offer = PaymentOffer {
        rsu: rst.id,
        received: now,
        sent: ddatetime(&rst.time, now),
        services,
    };
    (offer, dropped)
}

fn range(r: &m::RangeOfFile) -> FileRange {
    FileRange {
        offset: r.offset,
        length: r.length,
    }
}

/// A toll point (`TollingPos`).
pub fn toll_point(t: &m::TollingPos) -> TollPoint {
    TollPoint {
        id: u64::try_from(t.id).unwrap_or(0),
        position: t.pos.as_ref().and_then(at_position),
    }
}

/// An `Action-Request` received at `now`, numbered `seq`; the count of parts dropped.
pub fn payment_command(a: &m::ActionRequest, now: Timestamp, seq: u64) -> (PaymentCommand, u64) {
    let mut dropped = 0;
    let action = match &a.action_parameter {
        m::TransInfo::GetTollDataRq(r) => PaymentAction::ReadTollData {
            vehicle: range(&r.vehicle_info),
            toll: r.toll_info.as_ref().map(range),
            key_id: r.key_id_for_ac,
        },
        m::TransInfo::GetSecureRq(r) => PaymentAction::SecureRead {
            range: range(&r.vehicle_info),
            rnd: r.rnd_rsu_for_authen,
            auth_key: r.key_id_for_authen,
            encrypt_key: r.key_id_for_encrypt,
        },
        m::TransInfo::SetTollDataRq(r) => PaymentAction::Charge(ChargeRequest {
            rnd: r.rnd_rsu,
            tac: r.trans_para.as_ref().map(|t| TacParams {
                amount: t.trans_amount,
                kind: t.trans_type,
                terminal: t.terminal_id,
                serial: t.trans_sn,
                time: t.trans_time,
                station: t.trans_station_id,
            }),
            toll_data: r.toll_info.as_ref().map(|p| {
                (
                    FileRange {
                        offset: p.offset,
                        length: p.length,
                    },
                    p.file_content,
                )
            }),
            point: r.tolling_pos.as_ref().map(toll_point),
            key_id: r.key_id_for_authen,
        }),
        m::TransInfo::TransferChannelRq(c) => {
            dropped += c.apdu.len().saturating_sub(16) as u64;
            PaymentAction::Channel {
                channel: match c.channelid {
                    m::ChannelID::Obu => PaymentChannel::Obu,
                    m::ChannelID::Esam => PaymentChannel::Esam,
                    m::ChannelID::Icc => PaymentChannel::Icc,
                    m::ChannelID::Hmi => PaymentChannel::Hmi,
                    m::ChannelID::Beeper => PaymentChannel::Beeper,
                },
                apdus: c.apdu.iter().take(16).copied().collect(),
            }
        }
        m::TransInfo::SetMmiRq(r) => PaymentAction::ShowResult(match r.toll {
            m::TollResult::Ok => TollResult::Ok,
            m::TollResult::Nok => TollResult::Nok,
            m::TollResult::ContactOperator => TollResult::ContactOperator,
        }),
        _ => PaymentAction::Other,
    };
    let cmd = PaymentCommand {
        rsu: a.source_id,
        target: a.target_id,
        received: now,
        sent: ddatetime(&a.time, now),
        seq,
        respond: a.mode,
        service: payment_service(&a.payment_entity_id),
        action,
        credentials: a.access_credentials,
    };
    (cmd, dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(y: i64, mo: i64, d: i64, h: i64, mi: i64, ms: i64) -> Timestamp {
        Timestamp::from_unix_utc_millis(
            days_from_civil(y, mo, d) * 86_400_000 + h * 3_600_000 + mi * 60_000 + ms,
        )
    }

    fn dd(parts: [Option<u16>; 6]) -> m::DDateTime {
        m::DDateTime {
            year: parts[0],
            month: parts[1].map(|v| v as u8),
            day: parts[2].map(|v| v as u8),
            hour: parts[3].map(|v| v as u8),
            minute: parts[4].map(|v| v as u8),
            second: parts[5],
            offset: None,
        }
    }

    #[test]
    fn ddatetime_completes_from_now_and_takes_the_nearest() {
        let now = t(2026, 3, 1, 0, 0, 5_000);
        // Full date.
        let d = dd([Some(2026), Some(3), Some(1), Some(0), Some(1), Some(0)]);
        assert_eq!(ddatetime(&d, now), Some(t(2026, 3, 1, 0, 1, 0)));
        // 23:59:50 without a date is yesterday.
        let d = dd([None, None, None, Some(23), Some(59), Some(50_000)]);
        assert_eq!(ddatetime(&d, now), Some(t(2026, 2, 28, 23, 59, 50_000)));
        // Minute and second only: this hour.
        let d = dd([None, None, None, None, Some(0), Some(30_000)]);
        assert_eq!(ddatetime(&d, now), Some(t(2026, 3, 1, 0, 0, 30_000)));
        // Unknown codes count as absent; nothing given is None.
        let d = dd([Some(0), Some(0), Some(0), Some(24), Some(60), Some(65_535)]);
        assert_eq!(ddatetime(&d, now), None);
        // 31 February does not exist.
        let d = dd([Some(2026), Some(2), Some(31), Some(0), Some(0), Some(0)]);
        assert_eq!(ddatetime(&d, now), None);
        // A date alone is its midnight.
        let d = dd([Some(2026), Some(3), Some(2), None, None, None]);
        assert_eq!(ddatetime(&d, now), Some(t(2026, 3, 2, 0, 0, 0)));
    }

    #[test]
    fn description_values() {
        let v = |s: &str| description_value(&m::Description::TextString(s.into()));
        assert_eq!(v("60"), Some(60.0));
        assert_eq!(v("limit 4.5 m"), Some(4.5));
        assert_eq!(v("none"), None);
        // "限速６０" in GB2312: two hanzi, then full-width 6 and 0.
        let gb = m::Description::TextGb2312(vec![0xCF, 0xDE, 0xCB, 0xD9, 0xA3, 0xB6, 0xA3, 0xB0]);
        assert_eq!(description_value(&gb), Some(60.0));
        // ASCII bytes inside GB2312 text, and a truncated last pair.
        let gb = m::Description::TextGb2312(vec![0xCF, 0xDE, b'8', b'0', 0xA3]);
        assert_eq!(description_value(&gb), Some(80.0));
        assert_eq!(time_offset_s(u16::MAX), None);
        assert_eq!(time_offset_s(150), Some(1.5));
    }
}
