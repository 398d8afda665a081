//! The types that are the same in all three sets, and those the same in 2019 and 2020: member
//! by member, both ways.
use super::v19::foreign_extensions;
use super::{Change, Convert, Report, same_types};
use crate::{v2017, v2019, v2020};

/// Calls `$m!($from => $to { ... })` with every type that is the same in all three sets (the
/// exceptions `MapData` and `DDateTime`, the same in form but not in bounds between 2019 and
/// 2020, and `PhaseState`, whose timing 2017 cannot always carry, are listed per direction below).
macro_rules! in_every_set {
    ($from:ident => $to:ident) => {
        same_types!($from => $to {
            seq AccelerationSet4Way { long, lat, vert, yaw }
            bits AllowedManeuvers
            enm AntiLockBrakeStatus { Unavailable, Off, On, Engaged }
            enm AuxiliaryBrakeStatus { Unavailable, Off, On, Reserved }
            bits BrakeAppliedStatus
            enm BrakeBoostApplied { Unavailable, Off, On }
            enm BrakePedalStatus { Unavailable, Off, On }
            seq BrakeSystemStatus { brake_padel, wheel_brakes, traction, abs, scs, brake_boost, aux_brakes }
            seq ConnectingLane { lane, maneuver }
            seq Connection { remote_intersection, connecting_lane, phase_id }
            enm ElevationConfidence {
                Unavailable, Elev50000, Elev20000, Elev10000, Elev05000, Elev02000, Elev01000,
                Elev00500, Elev00200, Elev00100, Elev00050, Elev00020, Elev00010, Elev00005,
                Elev00002, Elev00001
            }
            seq ExteriorLights { bits, extended }
            bits GNSSstatus
            enm HeadingConfidence {
                Unavailable, Prec10deg, Prec05deg, Prec01deg, Prec0_1deg, Prec005deg, Prec001deg,
                Prec00125deg
            }
            bits IntersectionStatusObject
            seq LaneAttributes { share_with, lane_type }
            bits LaneAttributesBarrier
            bits LaneAttributesBike
            bits LaneAttributesCrosswalk
            bits LaneAttributesParking
            bits LaneAttributesSidewalk
            bits LaneAttributesStriping
            bits LaneAttributesTrackedVehicle
            seq LaneAttributesVehicle { bits, extended }
            bits LaneSharing
            choice_ext LaneTypeAttributes {
                Vehicle, Crosswalk, BikeLane, Sidewalk, Median, Striping, TrackedVehicle, Parking
            }
            seq MotionConfidenceSet { speed_cfd, heading_cfd, steer_cfd }
            seq Movement { remote_intersection, phase_id }
            seq NodeReferenceID { region, id }
            enm_ext ParticipantType { Unknown, Motor, NonMotor, Pedestrian, Rsu }
            seq PathHistory { initial_position, curr_gns_sstatus, crumb_data, unknown_ext }
            seq PathHistoryPoint { llv_offset, time_offset, speed, pos_accuracy, heading, unknown_ext }
            seq PathPrediction { radius_of_curve, confidence, unknown_ext }
            seq Phase { id, phase_states }
            seq Position3D { lat, long, elevation }
            enm PositionConfidence {
                Unavailable, A500m, A200m, A100m, A50m, A20m, A10m, A5m, A2m, A1m, A50cm, A20cm,
                A10cm, A5cm, A2cm, A1cm
            }
            seq PositionConfidenceSet { pos, elevation }
            seq PositionLL24B { lon, lat }
            seq PositionLL28B { lon, lat }
            seq PositionLL32B { lon, lat }
            seq PositionLL36B { lon, lat }
            seq PositionLL44B { lon, lat }
            seq PositionLL48B { lon, lat }
            seq PositionLLmD64b { lon, lat }
            choice PositionOffsetLL {
                PositionLl1, PositionLl2, PositionLl3, PositionLl4, PositionLl5, PositionLl6,
                PositionLatLon
            }
            seq PositionOffsetLLV { offset_ll, offset_v }
            seq PositionalAccuracy { semi_major, semi_minor, orientation }
            seq RegulatorySpeedLimit { r#type, speed }
            seq RoadPoint { pos_offset, unknown_ext }
            seq RoadsideSafetyMessage { msg_cnt, id, ref_pos, participants, unknown_ext }
            enm SpeedConfidence {
                Unavailable, Prec100ms, Prec10ms, Prec5ms, Prec1ms, Prec01ms, Prec005ms, Prec001ms
            }
            enm_ext SpeedLimitType {
                Unknown, MaxSpeedInSchoolZone, MaxSpeedInSchoolZoneWhenChildrenArePresent,
                MaxSpeedInConstructionZone, VehicleMinSpeed, VehicleMaxSpeed,
                VehicleNightMaxSpeed, TruckMinSpeed, TruckMaxSpeed, TruckNightMaxSpeed,
                VehiclesWithTrailersMinSpeed, VehiclesWithTrailersMaxSpeed,
                VehiclesWithTrailersNightMaxSpeed
            }
            enm StabilityControlStatus { Unavailable, Off, On, Engaged }
            enm SteeringWheelAngleConfidence { Unavailable, Prec2deg, Prec1deg, Prec002deg }
            enm TimeConfidence {
                Unavailable, Time100000, Time050000, Time020000, Time010000, Time002000,
                Time001000, Time000500, Time000200, Time000100, Time000050, Time000020,
                Time000010, Time000005, Time000002, Time000001, Time0000005, Time0000002,
                Time0000001, Time00000005, Time00000002, Time00000001, Time000000005,
                Time000000002, Time000000001, Time0000000005, Time0000000002, Time0000000001,
                Time00000000005, Time00000000002, Time00000000001, Time000000000005,
                Time000000000002, Time000000000001, Time0000000000005, Time0000000000002,
                Time0000000000001, Time00000000000005, Time00000000000002, Time00000000000001
            }
            enm TractionControlStatus { Unavailable, Off, On, Engaged }
            enm TransmissionState {
                Neutral, Park, ForwardGears, ReverseGears, Reserved1, Reserved2, Reserved3,
                Unavailable
            }
            seq VehicleEventFlags { bits, extended }
            seq VehicleSafetyExtensions { events, path_history, path_prediction, lights, unknown_ext }
            seq VehicleSize { width, length, height }
            choice VerticalOffset { Offset1, Offset2, Offset3, Offset4, Offset5, Offset6, Elevation }
        });
    };
}

in_every_set!(v2017 => v2020);
in_every_set!(v2020 => v2017);
in_every_set!(v2019 => v2020);
in_every_set!(v2020 => v2019);

// The same in form in every set; between 2019 and 2020 they differ in bounds (NodeList, DHour,
// DTimeOffset), so those directions are written out in `v19`.
same_types!(v2017 => v2020 {
    seq MapData { msg_cnt, time_stamp, nodes, unknown_ext }
    seq DDateTime { year, month, day, hour, minute, second, offset }
});
same_types!(v2020 => v2017 {
    seq MapData { msg_cnt, time_stamp, nodes, unknown_ext }
    seq DDateTime { year, month, day, hour, minute, second, offset }
});
same_types!(v2020 => v2019 {
    seq MapData { msg_cnt, time_stamp, nodes, unknown_ext }
});
same_types!(v2019 => v2020 {
    seq DDateTime { year, month, day, hour, minute, second, offset }
});

// 2017 cannot carry UTC timing: that direction is written out in `v17`.
same_types!(v2017 => v2020 { seq PhaseState { light, timing, unknown_ext } });
same_types!(v2019 => v2020 { seq PhaseState { light, timing, unknown_ext } });
same_types!(v2020 => v2019 { seq PhaseState { light, timing, unknown_ext } });

/// Calls `same_types!` with every type that is the same in 2019 and 2020 but not in 2017 (or
/// absent there); `Lane` and `ReferencePath` differ in bounds and are listed per direction.
macro_rules! in_2019_and_2020 {
    ($from:ident => $to:ident) => {
        same_types!($from => $to {
            seq BasicSafetyMessage {
                msg_cnt, id, sec_mark, time_confidence, pos, pos_accuracy, pos_confidence,
                transmission, speed, heading, angle, motion_cfd, accel_set, brakes, size,
                vehicle_class, safety_ext, emergency_ext, unknown_ext
            }
            choice Description { TextString, TextGb2312 }
            enm_ext EventSource { Unknown, Police, Government, Meteorological, Internet, Detection }
            seq IntersectionState {
                intersection_id, status, moy, time_stamp, time_confidence, phases, unknown_ext
            }
            enm_ext LightState {
                Unavailable, Dark, FlashingRed, Red, FlashingGreen, PermissiveGreen,
                ProtectedGreen, Yellow, FlashingYellow
            }
            enm LightbarInUse {
                Unavailable, NotInUse, InUse, YellowCautionLights, SchooldBusLights,
                ArrowSignsActive, SlowMovingVehicle, FreqStops
            }
            seq ParticipantData {
                ptc_type, ptc_id, source, id, sec_mark, pos, pos_confidence, transmission, speed,
                heading, angle, motion_cfd, accel_set, size, vehicle_class, unknown_ext
            }
            seq RSITimeDetails { start_time, end_time, end_time_confidence }
            seq RTEData {
                rte_id, event_type, event_source, event_pos, event_radius, description,
                time_details, priority, reference_paths, reference_links, event_confidence,
                unknown_ext
            }
            bits ReferenceLanes
            seq ReferenceLink { upstream_node_id, downstream_node_id, reference_lanes }
            enm_ext ResponseType {
                NotInUseOrNotEquipped, Emergency, NonEmergency, Pursuit, Stationary, SlowMoving,
                StopAndGoMovement
            }
            seq RoadSideInformation { msg_cnt, moy, id, ref_pos, rtes, rtss, unknown_ext }
            seq SPAT { msg_cnt, moy, time_stamp, name, intersections, unknown_ext }
            enm SirenInUse { Unavailable, NotInUse, InUse, Reserved }
            enm_ext SourceType {
                Unknown, Selfinfo, V2x, Video, MicrowaveRadar, Loop, Lidar, Integrated
            }
            choice_ext TimeChangeDetails { Counting, UtcTiming }
            seq TimeCountingDown {
                start_time, min_end_time, max_end_time, likely_end_time, time_confidence,
                next_start_time, next_duration
            }
            seq UTCTiming {
                start_utc_time, min_end_utc_time, max_end_utc_time, likely_end_utc_time,
                time_confidence, next_start_utc_time, next_end_utc_time
            }
            seq VehicleClassification { classification, fuel_type, unknown_ext }
            seq VehicleEmergencyExtensions { response_type, siren_use, lights_use, unknown_ext }
        });
    };
}

in_2019_and_2020!(v2019 => v2020);
in_2019_and_2020!(v2020 => v2019);
same_types!(v2020 => v2019 {
    seq Lane {
        lane_id, lane_width, lane_attributes, maneuvers, connects_to, speed_limits, points,
        unknown_ext
    }
    seq ReferencePath { active_path, path_radius }
});

/// What 2017 and 2019 share against 2020: the frame without the Day II alternative, and the
/// node without the Day II members (both ways).
macro_rules! day_i_set {
    ($old:ident) => {
        impl Convert<v2020::MessageFrame> for $old::MessageFrame {
            fn convert_with(&self, r: &mut Report) -> v2020::MessageFrame {
                use v2020::MessageFrame as B;
                use $old::MessageFrame as A;
                match self {
                    A::BsmFrame(x) => B::BsmFrame(x.convert_with(r)),
                    A::MapFrame(x) => B::MapFrame(x.convert_with(r)),
                    A::RsmFrame(x) => B::RsmFrame(x.convert_with(r)),
                    A::SpatFrame(x) => B::SpatFrame(x.convert_with(r)),
                    A::RsiFrame(x) => B::RsiFrame(x.convert_with(r)),
                    A::UnknownExt(u) => B::UnknownExt(u.clone()),
                }
            }
        }

        impl Convert<v2020::Node> for $old::Node {
            fn convert_with(&self, r: &mut Report) -> v2020::Node {
                v2020::Node {
                    name: self.name.clone(),
                    id: self.id.convert_with(r),
                    ref_pos: self.ref_pos.convert_with(r),
                    in_links: self.in_links.convert_with(r),
                    in_links_ex: None,
                    prohibitedzone: None,
                    unknown_ext: foreign_extensions(&self.unknown_ext, "Node.extensions", r),
                }
            }
        }

        impl Convert<$old::Node> for v2020::Node {
            fn convert_with(&self, r: &mut Report) -> $old::Node {
                if self.in_links_ex.is_some() {
                    r.note("Node.inLinks-ex", Change::Dropped);
                }
                if self.prohibitedzone.is_some() {
                    r.note("Node.prohibitedzone", Change::Dropped);
                }
                $old::Node {
                    name: self.name.clone(),
                    id: self.id.convert_with(r),
                    ref_pos: self.ref_pos.convert_with(r),
                    in_links: self.in_links.convert_with(r),
                    unknown_ext: foreign_extensions(&self.unknown_ext, "Node.extensions", r),
                }
            }
        }
    };
}

day_i_set!(v2017);
day_i_set!(v2019);
