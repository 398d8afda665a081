//! T/CSAE 53-2017 and 2020: BSM and RSM members, signal states and timing, link widths, the
//! single-alert RSI, and the message frame (see the [module docs](super)).
use alloc::vec;
use alloc::vec::Vec;

use super::v19::foreign_extensions;
use super::{Change, Convert, Report, lifts};
use crate::codec::uper::UnknownExtensions;
use crate::{v2017, v2020};

/// The 2017 bound of `Radius` (10 cm).
const MAX_RADIUS_2017: u16 = 1024;
/// The 2017 bound of the RSI `description` (characters).
const MAX_DESCRIPTION_2017: usize = 256;
/// Tenths of a second in an hour (the period of `TimeMark` as UTC time).
const HOUR_TENTHS: i64 = 36_000;

// ---------------------------------------------------------------------------------------------
// Frames

/// Lowering a frame: none for a Day II frame, one 2017 RSI per traffic sign of an RSI, one frame
/// otherwise.
impl Convert<Vec<v2017::MessageFrame>> for v2020::MessageFrame {
    fn convert_with(&self, r: &mut Report) -> Vec<v2017::MessageFrame> {
        use v2017::MessageFrame as B;
        use v2020::MessageFrame as A;
        match self {
            A::BsmFrame(x) => vec![B::BsmFrame(x.convert_with(r))],
            A::MapFrame(x) => vec![B::MapFrame(x.convert_with(r))],
            A::RsmFrame(x) => vec![B::RsmFrame(x.convert_with(r))],
            A::SpatFrame(x) => vec![B::SpatFrame(x.convert_with(r))],
            A::RsiFrame(x) => {
                let rsis: Vec<v2017::RoadSideInformation> = x.convert_with(r);
                rsis.into_iter().map(B::RsiFrame).collect()
            }
            A::MsgFrameExt(_) => {
                r.note("MessageFrame.msgFrameExt", Change::Dropped);
                Vec::new()
            }
            A::UnknownExt(u) => vec![B::UnknownExt(u.clone())],
        }
    }
}

// ---------------------------------------------------------------------------------------------
// BSM, RSM, vehicle data

impl Convert<v2020::BasicSafetyMessage> for v2017::BasicSafetyMessage {
    fn convert_with(&self, r: &mut Report) -> v2020::BasicSafetyMessage {
        if self.plate_no.is_some() {
            r.note("BasicSafetyMessage.plateNo", Change::Dropped);
        }
        v2020::BasicSafetyMessage {
            msg_cnt: self.msg_cnt,
            id: self.id,
            sec_mark: self.sec_mark,
            time_confidence: None,
            pos: self.pos.convert_with(r),
            pos_accuracy: None,
            pos_confidence: Some(self.accuracy.convert_with(r)),
            transmission: self.transmission.convert_with(r),
            speed: self.speed,
            heading: self.heading,
            angle: self.angle,
            motion_cfd: self.motion_cfd.convert_with(r),
            accel_set: self.accel_set.convert_with(r),
            brakes: self.brakes.convert_with(r),
            size: self.size.convert_with(r),
            vehicle_class: self.vehicle_class.convert_with(r),
            safety_ext: self.safety_ext.convert_with(r),
            emergency_ext: None,
            unknown_ext: self.unknown_ext.clone(),
        }
    }
}

/// The accuracy class 2017 requires when 2020 gives none: `unavailable`.
fn unavailable_accuracy() -> v2017::PositionConfidenceSet {
    v2017::PositionConfidenceSet {
        pos: v2017::PositionConfidence::Unavailable,
        elevation: None,
    }
}

impl Convert<v2017::BasicSafetyMessage> for v2020::BasicSafetyMessage {
    fn convert_with(&self, r: &mut Report) -> v2017::BasicSafetyMessage {
        if self.time_confidence.is_some() {
            r.note("BasicSafetyMessage.timeConfidence", Change::Dropped);
        }
        if self.pos_accuracy.is_some() {
            r.note("BasicSafetyMessage.posAccuracy", Change::Dropped);
        }
        if self.emergency_ext.is_some() {
            r.note("BasicSafetyMessage.emergencyExt", Change::Dropped);
        }
        let accuracy = match &self.pos_confidence {
            Some(c) => c.convert_with(r),
            None => {
                r.note("BasicSafetyMessage.accuracy", Change::Filled);
                unavailable_accuracy()
            }
        };
        v2017::BasicSafetyMessage {
            msg_cnt: self.msg_cnt,
            id: self.id,
            plate_no: None,
            sec_mark: self.sec_mark,
            pos: self.pos.convert_with(r),
            accuracy,
            transmission: self.transmission.convert_with(r),
            speed: self.speed,
            heading: self.heading,
            angle: self.angle,
            motion_cfd: self.motion_cfd.convert_with(r),
            accel_set: self.accel_set.convert_with(r),
            brakes: self.brakes.convert_with(r),
            size: self.size.convert_with(r),
            vehicle_class: self.vehicle_class.convert_with(r),
            safety_ext: self.safety_ext.convert_with(r),
            unknown_ext: self.unknown_ext.clone(),
        }
    }
}

impl Convert<v2020::FullPositionVector> for v2017::FullPositionVector {
    fn convert_with(&self, r: &mut Report) -> v2020::FullPositionVector {
        let pos_accuracy = match (&self.pos_accuracy, &self.pos_confidence) {
            (Some(a), Some(c)) => {
                if a != c {
                    r.note("FullPositionVector.posConfidence", Change::Dropped);
                }
                Some(a)
            }
            (a, c) => a.as_ref().or(c.as_ref()),
        };
        v2020::FullPositionVector {
            utc_time: self.utc_time.convert_with(r),
            pos: self.pos.convert_with(r),
            heading: self.heading,
            transmission: self.transmission.convert_with(r),
            speed: self.speed,
            pos_accuracy: pos_accuracy.map(|a| a.convert_with(r)),
            time_confidence: self.time_confidence.convert_with(r),
            motion_cfd: self.motion_cfd.convert_with(r),
            unknown_ext: self.unknown_ext.clone(),
        }
    }
}

impl Convert<v2017::FullPositionVector> for v2020::FullPositionVector {
    fn convert_with(&self, r: &mut Report) -> v2017::FullPositionVector {
        v2017::FullPositionVector {
            utc_time: self.utc_time.convert_with(r),
            pos: self.pos.convert_with(r),
            heading: self.heading,
            transmission: self.transmission.convert_with(r),
            speed: self.speed,
            pos_accuracy: self.pos_accuracy.convert_with(r),
            time_confidence: self.time_confidence.convert_with(r),
            pos_confidence: None,
            motion_cfd: self.motion_cfd.convert_with(r),
            unknown_ext: self.unknown_ext.clone(),
        }
    }
}

impl Convert<v2020::VehicleClassification> for v2017::VehicleClassification {
    fn convert_with(&self, _: &mut Report) -> v2020::VehicleClassification {
        v2020::VehicleClassification {
            classification: self.classification,
            fuel_type: None,
            unknown_ext: self.unknown_ext.clone(),
        }
    }
}

impl Convert<v2017::VehicleClassification> for v2020::VehicleClassification {
    fn convert_with(&self, r: &mut Report) -> v2017::VehicleClassification {
        if self.fuel_type.is_some() {
            r.note("VehicleClassification.fuelType", Change::Dropped);
        }
        v2017::VehicleClassification {
            classification: self.classification,
            unknown_ext: self.unknown_ext.clone(),
        }
    }
}

impl Convert<v2020::ParticipantData> for v2017::ParticipantData {
    fn convert_with(&self, r: &mut Report) -> v2020::ParticipantData {
        if self.plate_no.is_some() {
            r.note("ParticipantData.plateNo", Change::Dropped);
        }
        v2020::ParticipantData {
            ptc_type: self.ptc_type.convert_with(r),
            ptc_id: self.ptc_id,
            source: self.source.convert_with(r),
            id: self.id,
            sec_mark: self.sec_mark,
            pos: self.pos.convert_with(r),
            pos_confidence: self.accuracy.convert_with(r),
            transmission: self.transmission.convert_with(r),
            speed: self.speed,
            heading: self.heading,
            angle: self.angle,
            motion_cfd: self.motion_cfd.convert_with(r),
            accel_set: self.accel_set.convert_with(r),
            size: self.size.convert_with(r),
            vehicle_class: self.vehicle_class.convert_with(r),
            unknown_ext: self.unknown_ext.clone(),
        }
    }
}

impl Convert<v2017::ParticipantData> for v2020::ParticipantData {
    fn convert_with(&self, r: &mut Report) -> v2017::ParticipantData {
        v2017::ParticipantData {
            ptc_type: self.ptc_type.convert_with(r),
            ptc_id: self.ptc_id,
            source: self.source.convert_with(r),
            id: self.id,
            plate_no: None,
            sec_mark: self.sec_mark,
            pos: self.pos.convert_with(r),
            accuracy: self.pos_confidence.convert_with(r),
            transmission: self.transmission.convert_with(r),
            speed: self.speed,
            heading: self.heading,
            angle: self.angle,
            motion_cfd: self.motion_cfd.convert_with(r),
            accel_set: self.accel_set.convert_with(r),
            size: self.size.convert_with(r),
            vehicle_class: self.vehicle_class.convert_with(r),
            unknown_ext: self.unknown_ext.clone(),
        }
    }
}

impl Convert<v2020::SourceType> for v2017::SourceType {
    fn convert_with(&self, r: &mut Report) -> v2020::SourceType {
        use v2017::SourceType as A;
        use v2020::SourceType as B;
        match self {
            A::Unknown => B::Unknown,
            A::Selfinfo => B::Selfinfo,
            A::V2x => B::V2x,
            A::Video => B::Video,
            A::MicrowaveRadar => B::MicrowaveRadar,
            A::Loop => B::Loop,
            A::UnknownExt(_) => {
                r.note("SourceType", Change::Remapped);
                B::Unknown
            }
        }
    }
}

impl Convert<v2017::SourceType> for v2020::SourceType {
    fn convert_with(&self, r: &mut Report) -> v2017::SourceType {
        use v2017::SourceType as B;
        use v2020::SourceType as A;
        match self {
            A::Unknown => B::Unknown,
            A::Selfinfo => B::Selfinfo,
            A::V2x => B::V2x,
            A::Video => B::Video,
            A::MicrowaveRadar => B::MicrowaveRadar,
            A::Loop => B::Loop,
            A::Lidar | A::Integrated | A::UnknownExt(_) => {
                r.note("SourceType", Change::Remapped);
                B::Unknown
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// SPAT

impl Convert<v2020::SPAT> for v2017::SPAT {
    fn convert_with(&self, r: &mut Report) -> v2020::SPAT {
        v2020::SPAT {
            msg_cnt: self.msg_cnt,
            moy: self.time_stamp,
            time_stamp: None,
            name: self.name.clone(),
            intersections: self.intersections.convert_with(r),
            unknown_ext: self.unknown_ext.clone(),
        }
    }
}

impl Convert<v2017::SPAT> for v2020::SPAT {
    fn convert_with(&self, r: &mut Report) -> v2017::SPAT {
        if self.time_stamp.is_some() {
            r.note("SPAT.timeStamp", Change::Dropped);
        }
        v2017::SPAT {
            msg_cnt: self.msg_cnt,
            time_stamp: self.moy,
            name: self.name.clone(),
            intersections: self
                .intersections
                .iter()
                .map(|s| intersection_2017(s, self.moy, r))
                .collect(),
            unknown_ext: self.unknown_ext.clone(),
        }
    }
}

impl Convert<v2020::IntersectionState> for v2017::IntersectionState {
    fn convert_with(&self, r: &mut Report) -> v2020::IntersectionState {
        v2020::IntersectionState {
            intersection_id: self.intersection_id.convert_with(r),
            status: self.status.convert_with(r),
            moy: self.moy,
            time_stamp: self.time_stamp,
            time_confidence: None,
            phases: self.phases.convert_with(r),
            unknown_ext: UnknownExtensions::default(),
        }
    }
}

impl Convert<v2017::IntersectionState> for v2020::IntersectionState {
    fn convert_with(&self, r: &mut Report) -> v2017::IntersectionState {
        intersection_2017(self, None, r)
    }
}

/// Tenths of a second within the UTC hour of a minute of the year and a millisecond in it.
fn hour_tenths(moy: Option<u32>, ms: Option<u16>) -> Option<i64> {
    let (moy, ms) = (moy?, ms?);
    (moy < 527_040 && ms < 60_000).then(|| i64::from(moy % 60) * 600 + i64::from(ms) / 100)
}

/// An intersection state lowered to 2017; `spat_moy` is the message's minute of the year
/// (the reference for UTC timing when the state has none of its own).
fn intersection_2017(
    s: &v2020::IntersectionState,
    spat_moy: Option<u32>,
    r: &mut Report,
) -> v2017::IntersectionState {
    if s.time_confidence.is_some() {
        r.note("IntersectionState.timeConfidence", Change::Dropped);
    }
    let _ = foreign_extensions(&s.unknown_ext, "IntersectionState.extensions", r);
    let now = hour_tenths(s.moy.or(spat_moy), s.time_stamp);
    v2017::IntersectionState {
        intersection_id: s.intersection_id.convert_with(r),
        status: s.status.convert_with(r),
        moy: s.moy,
        time_stamp: s.time_stamp,
        phases: s
            .phases
            .iter()
            .map(|p| v2017::Phase {
                id: p.id,
                phase_states: p
                    .phase_states
                    .iter()
                    .map(|ps| phase_state_2017(ps, now, r))
                    .collect(),
            })
            .collect(),
    }
}

impl Convert<v2017::PhaseState> for v2020::PhaseState {
    fn convert_with(&self, r: &mut Report) -> v2017::PhaseState {
        phase_state_2017(self, None, r)
    }
}

/// A phase state lowered to 2017; UTC timing becomes a count-down from `now` (tenths of a
/// second within the hour of the state's time stamp), and is dropped without it.
fn phase_state_2017(s: &v2020::PhaseState, now: Option<i64>, r: &mut Report) -> v2017::PhaseState {
    let timing = match &s.timing {
        None => None,
        Some(v2020::TimeChangeDetails::Counting(c)) => Some(v2017::TimeChangeDetails {
            start_time: c.start_time,
            min_end_time: c.min_end_time,
            max_end_time: c.max_end_time,
            likely_end_time: c.likely_end_time,
            time_confidence: c.time_confidence,
            next_start_time: c.next_start_time,
            next_duration: c.next_duration,
        }),
        Some(v2020::TimeChangeDetails::UtcTiming(u)) => match now {
            Some(now) => {
                r.note("TimeChangeDetails.utcTiming", Change::Remapped);
                Some(count_down(u, now))
            }
            None => {
                r.note("TimeChangeDetails.utcTiming", Change::Dropped);
                None
            }
        },
        Some(v2020::TimeChangeDetails::UnknownExt(_)) => {
            r.note("TimeChangeDetails.extension", Change::Dropped);
            None
        }
    };
    v2017::PhaseState {
        light: s.light.convert_with(r),
        timing,
        unknown_ext: s.unknown_ext.clone(),
    }
}

/// UTC times within the hour as durations from `now` (same hour arithmetic, wrapping at the
/// hour): a start or end already past is 0; 36000 and 36001 (beyond the hour, unavailable) stay.
fn count_down(u: &v2020::UTCTiming, now: i64) -> v2017::TimeChangeDetails {
    let ahead = |t: u16| -> Option<i64> {
        (i64::from(t) < HOUR_TENTHS).then(|| (i64::from(t) - now).rem_euclid(HOUR_TENTHS))
    };
    let signed = |t: u16| {
        ahead(t).map(|a| {
            if a > HOUR_TENTHS / 2 {
                a - HOUR_TENTHS
            } else {
                a
            }
        })
    };
    let mark = |v: Option<i64>, t: u16| -> u16 {
        v.map_or(t, |x| u16::try_from(x.max(0)).unwrap_or(u16::MAX))
    };
    let until = |t: u16| mark(signed(t), t);
    v2017::TimeChangeDetails {
        start_time: until(u.start_utc_time),
        min_end_time: u.min_end_utc_time.map(until),
        max_end_time: u.max_end_utc_time.map(until),
        likely_end_time: until(u.likely_end_utc_time),
        time_confidence: u.time_confidence,
        next_start_time: u.next_start_utc_time.map(|t| mark(ahead(t), t)),
        next_duration: match (u.next_start_utc_time, u.next_end_utc_time) {
            (Some(s), Some(e)) if s < 36_000 && e < 36_000 => {
                let d = (i64::from(e) - i64::from(s)).rem_euclid(HOUR_TENTHS);
                Some(u16::try_from(d).unwrap_or(u16::MAX))
            }
            _ => None,
        },
    }
}

impl Convert<v2020::TimeChangeDetails> for v2017::TimeChangeDetails {
    fn convert_with(&self, _: &mut Report) -> v2020::TimeChangeDetails {
        v2020::TimeChangeDetails::Counting(v2020::TimeCountingDown {
            start_time: self.start_time,
            min_end_time: self.min_end_time,
            max_end_time: self.max_end_time,
            likely_end_time: self.likely_end_time,
            time_confidence: self.time_confidence,
            next_start_time: self.next_start_time,
            next_duration: self.next_duration,
        })
    }
}

impl Convert<v2020::LightState> for v2017::LightState {
    fn convert_with(&self, r: &mut Report) -> v2020::LightState {
        use v2017::LightState as A;
        use v2020::LightState as B;
        match self {
            A::Unavailable => B::Unavailable,
            A::Dark => B::Dark,
            A::StopThenProceed => B::FlashingRed,
            A::StopAndRemain => B::Red,
            A::PreMovement => {
                r.note("LightState.pre-Movement", Change::Remapped);
                B::Red
            }
            A::PermissiveMovementAllowed => B::PermissiveGreen,
            A::ProtectedMovementAllowed => B::ProtectedGreen,
            A::IntersectionClearance => B::Yellow,
            A::CautionConflictingTraffic => B::FlashingYellow,
        }
    }
}

impl Convert<v2017::LightState> for v2020::LightState {
    fn convert_with(&self, r: &mut Report) -> v2017::LightState {
        use v2017::LightState as B;
        use v2020::LightState as A;
        match self {
            A::Unavailable => B::Unavailable,
            A::Dark => B::Dark,
            A::FlashingRed => B::StopThenProceed,
            A::Red => B::StopAndRemain,
            A::FlashingGreen => {
                r.note("LightState.flashing-green", Change::Remapped);
                B::PermissiveMovementAllowed
            }
            A::PermissiveGreen => B::PermissiveMovementAllowed,
            A::ProtectedGreen => B::ProtectedMovementAllowed,
            A::Yellow => B::IntersectionClearance,
            A::FlashingYellow => B::CautionConflictingTraffic,
            A::UnknownExt(_) => {
                r.note("LightState", Change::Remapped);
                B::Unavailable
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// MAP

/// A 2017 lane, with the width its link gives it (`None` for a lane converted on its own).
fn lane_2020(l: &v2017::Lane, width: Option<u16>, r: &mut Report) -> v2020::Lane {
    v2020::Lane {
        lane_id: l.lane_id,
        lane_width: width,
        lane_attributes: l.lane_attributes.convert_with(r),
        maneuvers: l.maneuvers.convert_with(r),
        connects_to: l.connects_to.convert_with(r),
        speed_limits: l.speed_limits.convert_with(r),
        points: l.points.convert_with(r),
        unknown_ext: l.unknown_ext.clone(),
    }
}

impl Convert<v2020::Lane> for v2017::Lane {
    fn convert_with(&self, r: &mut Report) -> v2020::Lane {
        lane_2020(self, None, r)
    }
}

impl Convert<v2017::Lane> for v2020::Lane {
    fn convert_with(&self, r: &mut Report) -> v2017::Lane {
        if self.lane_width.is_some() {
            r.note("Lane.laneWidth", Change::Dropped);
        }
        lane_2017(self, r)
    }
}

fn lane_2017(l: &v2020::Lane, r: &mut Report) -> v2017::Lane {
    v2017::Lane {
        lane_id: l.lane_id,
        lane_attributes: l.lane_attributes.convert_with(r),
        maneuvers: l.maneuvers.convert_with(r),
        connects_to: l.connects_to.convert_with(r),
        speed_limits: l.speed_limits.convert_with(r),
        points: l.points.convert_with(r),
        unknown_ext: l.unknown_ext.clone(),
    }
}

impl Convert<v2020::Link> for v2017::Link {
    fn convert_with(&self, r: &mut Report) -> v2020::Link {
        v2020::Link {
            name: self.name.clone(),
            upstream_node_id: self.upstream_node_id.convert_with(r),
            speed_limits: self.speed_limits.convert_with(r),
            link_width: self.lane_width,
            points: self.points.convert_with(r),
            movements: self.movements.convert_with(r),
            lanes: self
                .lanes
                .iter()
                .map(|l| lane_2020(l, Some(self.lane_width), r))
                .collect(),
            unknown_ext: self.unknown_ext.clone(),
        }
    }
}

impl Convert<v2017::Link> for v2020::Link {
    fn convert_with(&self, r: &mut Report) -> v2017::Link {
        // 2017 has one lane width per link: the lanes' common width, else the link's.
        let mut widths = self.lanes.iter().filter_map(|l| l.lane_width);
        let common = widths.next().filter(|w| {
            widths.all(|x| x == *w) && self.lanes.iter().all(|l| l.lane_width.is_some())
        });
        let lane_width = common.unwrap_or(self.link_width);
        if lane_width != self.link_width {
            r.note("Link.linkWidth", Change::Dropped);
        }
        let other = self
            .lanes
            .iter()
            .filter(|l| l.lane_width.is_some_and(|w| w != lane_width))
            .count();
        r.note_n(
            "Lane.laneWidth",
            Change::Dropped,
            u32::try_from(other).unwrap_or(u32::MAX),
        );
        v2017::Link {
            name: self.name.clone(),
            upstream_node_id: self.upstream_node_id.convert_with(r),
            speed_limits: self.speed_limits.convert_with(r),
            lane_width,
            points: self.points.convert_with(r),
            movements: self.movements.convert_with(r),
            lanes: self.lanes.iter().map(|l| lane_2017(l, r)).collect(),
            unknown_ext: self.unknown_ext.clone(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// RSI

/// A horizontal position offset in 1e-7 degree (`Offset`), or an absolute position
/// (`Absolute`, the `position-LatLon` form), as (lon, lat).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ll {
    Offset(i64, i64),
    Absolute(i64, i64),
}

pub(super) fn ll(o: &v2017::PositionOffsetLL) -> Ll {
    use v2017::PositionOffsetLL as P;
    let (x, y) = match o {
        P::PositionLl1(p) => (i64::from(p.lon), i64::from(p.lat)),
        P::PositionLl2(p) => (i64::from(p.lon), i64::from(p.lat)),
        P::PositionLl3(p) => (i64::from(p.lon), i64::from(p.lat)),
        P::PositionLl4(p) => (i64::from(p.lon), i64::from(p.lat)),
        P::PositionLl5(p) => (i64::from(p.lon), i64::from(p.lat)),
        P::PositionLl6(p) => (i64::from(p.lon), i64::from(p.lat)),
        P::PositionLatLon(p) => return Ll::Absolute(i64::from(p.lon), i64::from(p.lat)),
    };
    Ll::Offset(x, y)
}

/// The smallest offset form that holds (lon, lat), 1e-7 degree; `None` beyond 24 bits.
pub(super) fn offset_ll(lon: i64, lat: i64) -> Option<v2017::PositionOffsetLL> {
    use v2017::PositionOffsetLL as P;
    let fits = |bits: u32| {
        let m = 1i64 << (bits - 1);
        (-m..m).contains(&lon) && (-m..m).contains(&lat)
    };
    let (x16, y16) = (i16::try_from(lon).ok(), i16::try_from(lat).ok());
    let (x32, y32) = (i32::try_from(lon).ok()?, i32::try_from(lat).ok()?);
    Some(match (x16, y16) {
        (Some(lon), Some(lat)) if fits(12) => P::PositionLl1(v2017::PositionLL24B { lon, lat }),
        (Some(lon), Some(lat)) if fits(14) => P::PositionLl2(v2017::PositionLL28B { lon, lat }),
        (Some(lon), Some(lat)) if fits(16) => P::PositionLl3(v2017::PositionLL32B { lon, lat }),
        _ if fits(18) => P::PositionLl4(v2017::PositionLL36B { lon: x32, lat: y32 }),
        _ if fits(22) => P::PositionLl5(v2017::PositionLL44B { lon: x32, lat: y32 }),
        _ if fits(24) => P::PositionLl6(v2017::PositionLL48B { lon: x32, lat: y32 }),
        _ => return None,
    })
}

/// Whether a latitude and longitude are available (not the "unavailable" values).
fn available(p: &v2017::Position3D) -> bool {
    p.lat != 900_000_001 && p.long != 1_800_000_001
}

/// `p` (relative to `from`) relative to `to` instead; absolute forms stay.
fn rebase(
    p: &v2017::PositionOffsetLLV,
    from: &v2017::Position3D,
    to: &v2017::Position3D,
) -> v2017::PositionOffsetLLV {
    let offset_ll = match ll(&p.offset_ll) {
        Ll::Absolute(..) => p.offset_ll.clone(),
        Ll::Offset(x, y) => {
            let lon = i64::from(from.long) + x - i64::from(to.long);
            let lat = i64::from(from.lat) + y - i64::from(to.lat);
            offset_ll(lon, lat).unwrap_or_else(|| {
                v2017::PositionOffsetLL::PositionLatLon(v2017::PositionLLmD64b {
                    lon: from.long.saturating_add(i32::try_from(x).unwrap_or(0)),
                    lat: from.lat.saturating_add(i32::try_from(y).unwrap_or(0)),
                })
            })
        }
    };
    v2017::PositionOffsetLLV {
        offset_ll,
        offset_v: p.offset_v.clone(),
    }
}

/// The position `p` (relative to `from`) as a reference position; its vertical offset is
/// dropped (a reference position keeps `from`'s elevation).
fn moved(
    from: &v2017::Position3D,
    p: &v2017::PositionOffsetLLV,
    r: &mut Report,
) -> v2017::Position3D {
    let mut at = from.clone();
    match ll(&p.offset_ll) {
        Ll::Absolute(lon, lat) => {
            at.long = i32::try_from(lon).unwrap_or(at.long);
            at.lat = i32::try_from(lat).unwrap_or(at.lat);
        }
        Ll::Offset(lon, lat) if available(from) => {
            at.long = i32::try_from(i64::from(at.long) + lon).unwrap_or(at.long);
            at.lat = i32::try_from(i64::from(at.lat) + lat).unwrap_or(at.lat);
        }
        Ll::Offset(..) => r.note("RTSData.signPos", Change::Dropped),
    }
    if p.offset_v.is_some() {
        r.note("RTSData.signPos.offsetV", Change::Dropped);
    }
    at
}

fn zero_offset() -> v2017::PositionOffsetLLV {
    v2017::PositionOffsetLLV {
        offset_ll: v2017::PositionOffsetLL::PositionLl1(v2017::PositionLL24B { lon: 0, lat: 0 }),
        offset_v: None,
    }
}

impl Convert<v2020::RoadSideInformation> for v2017::RoadSideInformation {
    fn convert_with(&self, r: &mut Report) -> v2020::RoadSideInformation {
        let first = self.alert_path.first().map(|p| ll(&p.offset_ll));
        let point = first.filter(|f| self.alert_path.iter().all(|p| ll(&p.offset_ll) == *f));
        let (sign_pos, reference_paths) = match (point, self.alert_path.first()) {
            (Some(_), Some(p)) => {
                r.note("RoadSideInformation.alertPath", Change::Remapped);
                if self.alert_radius != 0 {
                    r.note("RoadSideInformation.alertRadius", Change::Dropped);
                }
                (Some(p.convert_with(r)), None)
            }
            _ => (
                None,
                Some(vec![v2020::ReferencePath {
                    active_path: self.alert_path.convert_with(r),
                    path_radius: self.alert_radius,
                }]),
            ),
        };
        if self.alert_type == 0 {
            r.note("RoadSideInformation.alertType", Change::Remapped);
        }
        let sign = v2020::RTSData {
            rts_id: self.rsi_id,
            sign_type: self.alert_type,
            sign_pos,
            description: self
                .description
                .as_ref()
                .map(|d| v2020::Description::TextString(d.clone())),
            time_details: None,
            priority: self.priority,
            reference_paths,
            reference_links: None,
            auxiliary_sign: None,
            unknown_ext: UnknownExtensions::default(),
        };
        v2020::RoadSideInformation {
            msg_cnt: self.msg_cnt,
            moy: self.time_stamp,
            id: self.id,
            ref_pos: self.ref_pos.convert_with(r),
            rtes: None,
            rtss: Some(vec![sign]),
            unknown_ext: self.unknown_ext.clone(),
        }
    }
}

/// Lowering an RSI: one 2017 RSI per traffic sign; traffic events have no 2017 form.
impl Convert<Vec<v2017::RoadSideInformation>> for v2020::RoadSideInformation {
    fn convert_with(&self, r: &mut Report) -> Vec<v2017::RoadSideInformation> {
        let events = self.rtes.as_ref().map_or(0, Vec::len);
        r.note_n(
            "RoadSideInformation.rtes",
            Change::Dropped,
            u32::try_from(events).unwrap_or(u32::MAX),
        );
        let ref_pos: v2017::Position3D = self.ref_pos.convert_with(r);
        self.rtss
            .iter()
            .flatten()
            .map(|s| {
                let rsi = sign_2017(s, &ref_pos, r);
                v2017::RoadSideInformation {
                    msg_cnt: self.msg_cnt,
                    time_stamp: self.moy,
                    id: self.id,
                    unknown_ext: self.unknown_ext.clone(),
                    ..rsi
                }
            })
            .collect()
    }
}

/// One traffic sign as a 2017 RSI (message members other than the alert's are filled by the
/// caller). A sign with a reference path: the sign's position becomes the reference position and
/// the path is re-based onto it. A sign without one: a two-point path at its position.
fn sign_2017(
    s: &v2020::RTSData,
    ref_pos: &v2017::Position3D,
    r: &mut Report,
) -> v2017::RoadSideInformation {
    let pos: Option<v2017::PositionOffsetLLV> = s.sign_pos.convert_with(r);
    let mut paths = s.reference_paths.iter().flatten();
    let (at, alert_path, radius) = match paths.next() {
        None => {
            let p = pos.unwrap_or_else(zero_offset);
            (ref_pos.clone(), vec![p.clone(), p], 0)
        }
        Some(path) => {
            let pts: Vec<v2017::PositionOffsetLLV> = path.active_path.convert_with(r);
            match &pos {
                None => (ref_pos.clone(), pts, path.path_radius),
                Some(p) => {
                    let at = moved(ref_pos, p, r);
                    let pts = pts.iter().map(|q| rebase(q, ref_pos, &at)).collect();
                    (at, pts, path.path_radius)
                }
            }
        }
    };
    r.note_n(
        "RTSData.referencePaths",
        Change::Truncated,
        u32::try_from(paths.count()).unwrap_or(u32::MAX),
    );
    let alert_radius = if radius > MAX_RADIUS_2017 {
        r.note("ReferencePath.pathRadius", Change::Clamped);
        MAX_RADIUS_2017
    } else {
        radius
    };
    let description = match &s.description {
        None => None,
        Some(v2020::Description::TextString(t)) => Some(if t.len() > MAX_DESCRIPTION_2017 {
            r.note("RTSData.description", Change::Truncated);
            t.chars().take(MAX_DESCRIPTION_2017).collect()
        } else {
            t.clone()
        }),
        Some(v2020::Description::TextGb2312(_)) => {
            r.note("RTSData.description.textGB2312", Change::Dropped);
            None
        }
    };
    if s.time_details.is_some() {
        r.note("RTSData.timeDetails", Change::Dropped);
    }
    if s.reference_links.is_some() {
        r.note("RTSData.referenceLinks", Change::Dropped);
    }
    if s.auxiliary_sign.is_some() {
        r.note("RTSData.auxiliarySign", Change::Dropped);
    }
    let _ = foreign_extensions(&s.unknown_ext, "RTSData.extensions", r);
    v2017::RoadSideInformation {
        msg_cnt: 0,
        time_stamp: None,
        id: [0; 8],
        rsi_id: s.rts_id,
        alert_type: s.sign_type,
        description,
        priority: s.priority,
        ref_pos: at,
        alert_path,
        alert_radius,
        unknown_ext: UnknownExtensions::default(),
    }
}

lifts!(v2017:
    AccelerationSet4Way, AllowedManeuvers, AntiLockBrakeStatus, AuxiliaryBrakeStatus,
    BasicSafetyMessage, BrakeAppliedStatus, BrakeBoostApplied, BrakePedalStatus,
    BrakeSystemStatus, ConnectingLane, Connection, DDateTime, ElevationConfidence, ExteriorLights,
    FullPositionVector, GNSSstatus, HeadingConfidence, IntersectionState,
    IntersectionStatusObject, Lane, LaneAttributes, LaneAttributesBarrier, LaneAttributesBike,
    LaneAttributesCrosswalk, LaneAttributesParking, LaneAttributesSidewalk,
    LaneAttributesStriping, LaneAttributesTrackedVehicle, LaneAttributesVehicle, LaneSharing,
    LaneTypeAttributes, LightState, Link, MapData, MessageFrame, MotionConfidenceSet, Movement,
    Node, NodeReferenceID, ParticipantData, ParticipantType, PathHistory, PathHistoryPoint,
    PathPrediction, Phase, PhaseState, Position3D, PositionConfidence, PositionConfidenceSet,
    PositionLL24B, PositionLL28B, PositionLL32B, PositionLL36B, PositionLL44B, PositionLL48B,
    PositionLLmD64b, PositionOffsetLL, PositionOffsetLLV, PositionalAccuracy,
    RegulatorySpeedLimit, RoadPoint, RoadSideInformation, RoadsideSafetyMessage, SPAT,
    SourceType, SpeedConfidence, SpeedLimitType, StabilityControlStatus,
    SteeringWheelAngleConfidence, TimeChangeDetails, TimeConfidence, TractionControlStatus,
    TransmissionState, VehicleClassification, VehicleEventFlags, VehicleSafetyExtensions,
    VehicleSize, VerticalOffset,
);
