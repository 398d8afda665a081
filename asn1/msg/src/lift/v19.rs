//! The 2019 release and 2020: the seven differences (see the [module docs](super)), the Day II
//! members 2019 lacks, and the message frame.
use alloc::vec::Vec;

use super::{Change, Convert, DEFAULT_LANE_WIDTH_CM, Report, lifts};
use crate::codec::uper::UnknownExtensions;
use crate::{v2019, v2020};

/// The 2020 bound of `NodeList`.
const MAX_NODES_2020: usize = 32;
/// The 2020 bound of `ConnectsToList`.
const MAX_CONNECTIONS_2020: usize = 8;
/// The 2019 bounds of `DHour` and `DTimeOffset`.
const MAX_HOUR_2019: u8 = 24;
const OFFSET_2019: core::ops::RangeInclusive<i16> = -720..=721;

/// The first `max` entries converted; the rest noted as truncated at `at`.
pub(super) fn bounded<A: Convert<B>, B>(
    list: &[A],
    max: usize,
    at: &'static str,
    r: &mut Report,
) -> Vec<B> {
    let left_out = list.len().saturating_sub(max);
    r.note_n(
        at,
        Change::Truncated,
        u32::try_from(left_out).unwrap_or(u32::MAX),
    );
    list.iter().take(max).map(|x| x.convert_with(r)).collect()
}

/// Extension additions unknown to the source set that the target set's own additions would
/// take for theirs: left out and noted.
pub(super) fn foreign_extensions(
    ext: &UnknownExtensions,
    at: &'static str,
    r: &mut Report,
) -> UnknownExtensions {
    if !ext.is_empty() {
        r.note(at, Change::Dropped);
    }
    UnknownExtensions::default()
}

/// Lowering a frame: `None` for a Day II frame, which 2019 cannot carry.
impl Convert<Option<v2019::MessageFrame>> for v2020::MessageFrame {
    fn convert_with(&self, r: &mut Report) -> Option<v2019::MessageFrame> {
        use v2019::MessageFrame as B;
        use v2020::MessageFrame as A;
        Some(match self {
            A::BsmFrame(x) => B::BsmFrame(x.convert_with(r)),
            A::MapFrame(x) => B::MapFrame(x.convert_with(r)),
            A::RsmFrame(x) => B::RsmFrame(x.convert_with(r)),
            A::SpatFrame(x) => B::SpatFrame(x.convert_with(r)),
            A::RsiFrame(x) => B::RsiFrame(x.convert_with(r)),
            A::MsgFrameExt(_) => {
                r.note("MessageFrame.msgFrameExt", Change::Dropped);
                return None;
            }
            A::UnknownExt(u) => B::UnknownExt(u.clone()),
        })
    }
}

impl Convert<v2020::MapData> for v2019::MapData {
    fn convert_with(&self, r: &mut Report) -> v2020::MapData {
        v2020::MapData {
            msg_cnt: self.msg_cnt,
            time_stamp: self.time_stamp,
            nodes: bounded(&self.nodes, MAX_NODES_2020, "MapData.nodes", r),
            unknown_ext: self.unknown_ext.clone(),
        }
    }
}

impl Convert<v2020::Link> for v2019::Link {
    fn convert_with(&self, r: &mut Report) -> v2020::Link {
        let link_width = match self.link_width {
            Some(w) => w,
            None => {
                r.note("Link.linkWidth", Change::Filled);
                self.lanes
                    .iter()
                    .find_map(|l| l.lane_width)
                    .unwrap_or(DEFAULT_LANE_WIDTH_CM)
            }
        };
        v2020::Link {
            name: self.name.clone(),
            upstream_node_id: self.upstream_node_id.convert_with(r),
            speed_limits: self.speed_limits.convert_with(r),
            link_width,
            points: self.points.convert_with(r),
            movements: self.movements.convert_with(r),
            lanes: self.lanes.convert_with(r),
            unknown_ext: self.unknown_ext.clone(),
        }
    }
}

impl Convert<v2019::Link> for v2020::Link {
    fn convert_with(&self, r: &mut Report) -> v2019::Link {
        v2019::Link {
            name: self.name.clone(),
            upstream_node_id: self.upstream_node_id.convert_with(r),
            speed_limits: self.speed_limits.convert_with(r),
            link_width: Some(self.link_width),
            points: self.points.convert_with(r),
            movements: self.movements.convert_with(r),
            lanes: self.lanes.convert_with(r),
            unknown_ext: self.unknown_ext.clone(),
        }
    }
}

impl Convert<v2020::Lane> for v2019::Lane {
    fn convert_with(&self, r: &mut Report) -> v2020::Lane {
        v2020::Lane {
            lane_id: self.lane_id,
            lane_width: self.lane_width,
            lane_attributes: self.lane_attributes.convert_with(r),
            maneuvers: self.maneuvers.convert_with(r),
            connects_to: self
                .connects_to
                .as_ref()
                .map(|c| bounded(c, MAX_CONNECTIONS_2020, "Lane.connectsTo", r)),
            speed_limits: self.speed_limits.convert_with(r),
            points: self.points.convert_with(r),
            unknown_ext: self.unknown_ext.clone(),
        }
    }
}

impl Convert<v2020::FullPositionVector> for v2019::FullPositionVector {
    fn convert_with(&self, r: &mut Report) -> v2020::FullPositionVector {
        if self.pos_accuracy.is_some() {
            r.note("FullPositionVector.posAccuracy", Change::Dropped);
        }
        v2020::FullPositionVector {
            utc_time: self.utc_time.convert_with(r),
            pos: self.pos.convert_with(r),
            heading: self.heading,
            transmission: self.transmission.convert_with(r),
            speed: self.speed,
            pos_accuracy: self.pos_conficence.convert_with(r),
            time_confidence: self.time_confidence.convert_with(r),
            motion_cfd: self.motion_cfd.convert_with(r),
            unknown_ext: self.unknown_ext.clone(),
        }
    }
}

impl Convert<v2019::FullPositionVector> for v2020::FullPositionVector {
    fn convert_with(&self, r: &mut Report) -> v2019::FullPositionVector {
        v2019::FullPositionVector {
            utc_time: self.utc_time.convert_with(r),
            pos: self.pos.convert_with(r),
            heading: self.heading,
            transmission: self.transmission.convert_with(r),
            speed: self.speed,
            pos_accuracy: None,
            pos_conficence: self.pos_accuracy.convert_with(r),
            time_confidence: self.time_confidence.convert_with(r),
            motion_cfd: self.motion_cfd.convert_with(r),
            unknown_ext: self.unknown_ext.clone(),
        }
    }
}

impl Convert<v2019::DDateTime> for v2020::DDateTime {
    fn convert_with(&self, r: &mut Report) -> v2019::DDateTime {
        let hour = self.hour.map(|h| {
            if h > MAX_HOUR_2019 {
                r.note("DDateTime.hour", Change::Clamped);
                MAX_HOUR_2019
            } else {
                h
            }
        });
        let offset = self.offset.and_then(|o| {
            let ok = OFFSET_2019.contains(&o);
            if !ok {
                r.note("DDateTime.offset", Change::Dropped);
            }
            ok.then_some(o)
        });
        v2019::DDateTime {
            year: self.year,
            month: self.month,
            day: self.day,
            hour,
            minute: self.minute,
            second: self.second,
            offset,
        }
    }
}

impl Convert<v2020::RTSData> for v2019::RTSData {
    fn convert_with(&self, r: &mut Report) -> v2020::RTSData {
        v2020::RTSData {
            rts_id: self.rts_id,
            sign_type: self.sign_type,
            sign_pos: self.sign_pos.convert_with(r),
            description: self.description.convert_with(r),
            time_details: self.time_details.convert_with(r),
            priority: self.priority,
            reference_paths: self.reference_paths.convert_with(r),
            reference_links: self.reference_links.convert_with(r),
            auxiliary_sign: None,
            unknown_ext: foreign_extensions(&self.unknown_ext, "RTSData.extensions", r),
        }
    }
}

impl Convert<v2019::RTSData> for v2020::RTSData {
    fn convert_with(&self, r: &mut Report) -> v2019::RTSData {
        if self.auxiliary_sign.is_some() {
            r.note("RTSData.auxiliarySign", Change::Dropped);
        }
        v2019::RTSData {
            rts_id: self.rts_id,
            sign_type: self.sign_type,
            sign_pos: self.sign_pos.convert_with(r),
            description: self.description.convert_with(r),
            time_details: self.time_details.convert_with(r),
            priority: self.priority,
            reference_paths: self.reference_paths.convert_with(r),
            reference_links: self.reference_links.convert_with(r),
            unknown_ext: foreign_extensions(&self.unknown_ext, "RTSData.extensions", r),
        }
    }
}

impl Convert<v2020::ReferencePath> for v2019::ReferencePath {
    fn convert_with(&self, r: &mut Report) -> v2020::ReferencePath {
        let mut active_path: Vec<v2020::PositionOffsetLLV> = self.active_path.convert_with(r);
        if let [only] = active_path.as_slice() {
            let again = only.clone();
            active_path.push(again);
            r.note("ReferencePath.activePath", Change::Padded);
        }
        v2020::ReferencePath {
            active_path,
            path_radius: self.path_radius,
        }
    }
}

lifts!(v2019:
    AccelerationSet4Way, AllowedManeuvers, AntiLockBrakeStatus, AuxiliaryBrakeStatus,
    BasicSafetyMessage, BrakeAppliedStatus, BrakeBoostApplied, BrakePedalStatus,
    BrakeSystemStatus, ConnectingLane, Connection, DDateTime, Description, ElevationConfidence,
    EventSource, ExteriorLights, FullPositionVector, GNSSstatus, HeadingConfidence,
    IntersectionState, IntersectionStatusObject, Lane, LaneAttributes, LaneAttributesBarrier,
    LaneAttributesBike, LaneAttributesCrosswalk, LaneAttributesParking, LaneAttributesSidewalk,
    LaneAttributesStriping, LaneAttributesTrackedVehicle, LaneAttributesVehicle, LaneSharing,
    LaneTypeAttributes, LightState, LightbarInUse, Link, MapData, MessageFrame,
    MotionConfidenceSet, Movement, Node, NodeReferenceID, ParticipantData, ParticipantType,
    PathHistory, PathHistoryPoint, PathPrediction, Phase, PhaseState, Position3D,
    PositionConfidence, PositionConfidenceSet, PositionLL24B, PositionLL28B, PositionLL32B,
    PositionLL36B, PositionLL44B, PositionLL48B, PositionLLmD64b, PositionOffsetLL,
    PositionOffsetLLV, PositionalAccuracy, RSITimeDetails, RTEData, RTSData, ReferenceLanes,
    ReferenceLink, ReferencePath, RegulatorySpeedLimit, ResponseType, RoadPoint,
    RoadSideInformation, RoadsideSafetyMessage, SPAT, SirenInUse, SourceType, SpeedConfidence,
    SpeedLimitType, StabilityControlStatus, SteeringWheelAngleConfidence, TimeChangeDetails,
    TimeConfidence, TimeCountingDown, TractionControlStatus, TransmissionState, UTCTiming,
    VehicleClassification, VehicleEmergencyExtensions, VehicleEventFlags,
    VehicleSafetyExtensions, VehicleSize, VerticalOffset,
);
