//! The BSM: [`VehicleState`] plus identity, path history and prediction → the T/CSAE 53
//! `BasicSafetyMessage` in its 2020 form (`msg::v2020`, the default) or its 2017 form
//! (`msg::v2017`: `accuracy` instead of `posConfidence`, no `timeConfidence`, `posAccuracy`,
//! fuel type or emergency extension).
//!
//! What goes where:
//! - `secMark`: the millisecond of the fix time within its UTC minute; `pos` and `posAccuracy`
//!   (the 1σ ellipse) from the fix; `posConfidence` from the ellipse (its 95 % radius) and the
//!   elevation accuracy; `timeConfidence` from the fix time accuracy.
//! - `speed`, `heading`, `angle`, `motionCfd`, `accelSet`, `transmission`, `brakes`, `size`,
//!   `vehicleClass` from the state; "not available" is the data element's unavailable code
//!   (speed 8191, heading 28800, acceleration 2001, vertical −127; the yaw rate has none and is
//!   0), or the optional element left out.
//! - `safetyExt`: `events` when any is set, `pathHistory` when it has a point (offsets from the
//!   BSM's own `pos`, time offsets back from the fix time, newest first), `pathPrediction`,
//!   and `lights` when known.
//! - `emergencyExt` (2020 form) for a vehicle with an [`super::state::EmergencyState`].
use alloc::vec::Vec;

use super::path_history::PathPoint;
use super::prediction::Prediction;
use super::state::{
    Brakes, ControlState, Events, FixQuality, GnssFix, LightBar, Lights, Response,
    TransmissionState, VehicleState,
};
use crate::codec::Uper;
use crate::codec::uper::UnknownExtensions;
use crate::msg::{v2017, v2020};
use crate::world::convert::to_wire::{self as wire, LlOffset, VOffset};

/// Everything a BSM carries beyond the vehicle state.
pub(crate) struct BsmContent<'a> {
    pub state: &'a VehicleState,
    pub fix: &'a GnssFix,
    pub msg_cnt: u8,
    pub id: [u8; 8],
    /// The heading to send (the state's, or the one latched at low speed).
    pub heading_deg: Option<f64>,
    /// The events to send (reported and derived).
    pub events: Events,
    /// History points, newest first.
    pub crumbs: &'a [PathPoint],
    pub prediction: Option<Prediction>,
}

/// `secMark` of a fix.
fn sec_mark(fix: &GnssFix) -> u16 {
    fix.time.to_minute_of_year().1.millis()
}

/// The parts both forms share, generated for each message set's types.
macro_rules! common_parts {
    ($set:ident) => {
        use super::*;
        use crate::msg::$set as m;

        pub(super) fn position(fix: &GnssFix) -> m::Position3D {
            m::Position3D {
                lat: wire::lat(fix.lat_deg),
                long: wire::lon(fix.lon_deg),
                elevation: fix.elevation_m.map(wire::elevation),
            }
        }

        pub(crate) fn position_class(i: u8) -> m::PositionConfidence {
            use m::PositionConfidence as P;
            match i {
                1 => P::A500m,
                2 => P::A200m,
                3 => P::A100m,
                4 => P::A50m,
                5 => P::A20m,
                6 => P::A10m,
                7 => P::A5m,
                8 => P::A2m,
                9 => P::A1m,
                10 => P::A50cm,
                11 => P::A20cm,
                12 => P::A10cm,
                13 => P::A5cm,
                14 => P::A2cm,
                15 => P::A1cm,
                _ => P::Unavailable,
            }
        }

        fn elevation_class(i: u8) -> m::ElevationConfidence {
            use m::ElevationConfidence as E;
            match i {
                1 => E::Elev50000,
                2 => E::Elev20000,
                3 => E::Elev10000,
                4 => E::Elev05000,
                5 => E::Elev02000,
                6 => E::Elev01000,
                7 => E::Elev00500,
                8 => E::Elev00200,
                9 => E::Elev00100,
                10 => E::Elev00050,
                11 => E::Elev00020,
                12 => E::Elev00010,
                13 => E::Elev00005,
                14 => E::Elev00002,
                15 => E::Elev00001,
                _ => E::Unavailable,
            }
        }

        /// `PositionConfidenceSet` of a fix; `None` when neither accuracy is known.
        pub(super) fn position_confidence(fix: &GnssFix) -> Option<m::PositionConfidenceSet> {
            if fix.ellipse.is_none() && fix.elevation_accuracy_m_95.is_none() {
                return None;
            }
            Some(m::PositionConfidenceSet {
                pos: position_class(fix.ellipse.map_or(0, |e| {
                    wire::position_confidence(wire::radius95_of_ellipse(e.semi_major_m))
                })),
                elevation: fix
                    .elevation_accuracy_m_95
                    .map(|a| elevation_class(wire::elevation_confidence(a))),
            })
        }

        pub(crate) fn speed_class(i: u8) -> m::SpeedConfidence {
            use m::SpeedConfidence as S;
            match i {
                1 => S::Prec100ms,
                2 => S::Prec10ms,
                3 => S::Prec5ms,
                4 => S::Prec1ms,
                5 => S::Prec01ms,
                6 => S::Prec005ms,
                7 => S::Prec001ms,
                _ => S::Unavailable,
            }
        }

        pub(crate) fn heading_class(i: u8) -> m::HeadingConfidence {
            use m::HeadingConfidence as H;
            match i {
                1 => H::Prec10deg,
                2 => H::Prec05deg,
                3 => H::Prec01deg,
                4 => H::Prec0_1deg,
                5 => H::Prec005deg,
                6 => H::Prec001deg,
                7 => H::Prec00125deg,
                _ => H::Unavailable,
            }
        }

        pub(super) fn motion_confidence(state: &VehicleState) -> Option<m::MotionConfidenceSet> {
            if state.speed_accuracy_mps_95.is_none() && state.heading_accuracy_deg_95.is_none() {
                return None;
            }
            Some(m::MotionConfidenceSet {
                speed_cfd: state
                    .speed_accuracy_mps_95
                    .map(|a| speed_class(wire::speed_confidence(a))),
                heading_cfd: state
                    .heading_accuracy_deg_95
                    .map(|a| heading_class(wire::heading_confidence(a))),
                steer_cfd: None,
            })
        }

        pub(super) fn transmission(t: Option<TransmissionState>) -> m::TransmissionState {
            match t {
                Some(TransmissionState::Neutral) => m::TransmissionState::Neutral,
                Some(TransmissionState::Park) => m::TransmissionState::Park,
                Some(TransmissionState::Forward) => m::TransmissionState::ForwardGears,
                Some(TransmissionState::Reverse) => m::TransmissionState::ReverseGears,
                None => m::TransmissionState::Unavailable,
            }
        }

        pub(super) fn accel_set(state: &VehicleState) -> m::AccelerationSet4Way {
            m::AccelerationSet4Way {
                long: wire::accel(state.accel_long_mps2),
                lat: wire::accel(state.accel_lat_mps2),
                vert: wire::vert_accel(state.accel_vert_mps2),
                yaw: wire::yaw_rate(state.yaw_rate_dps),
            }
        }

        pub(super) fn brakes(b: &Brakes) -> m::BrakeSystemStatus {
            m::BrakeSystemStatus {
                brake_padel: b.pedal.map(|p| {
                    if p {
                        m::BrakePedalStatus::On
                    } else {
                        m::BrakePedalStatus::Off
                    }
                }),
                wheel_brakes: b.wheels.map(|w| {
                    let mut s = m::BrakeAppliedStatus::default();
                    for (bit, on) in [
                        (m::BrakeAppliedStatus::LEFT_FRONT, w[0]),
                        (m::BrakeAppliedStatus::LEFT_REAR, w[1]),
                        (m::BrakeAppliedStatus::RIGHT_FRONT, w[2]),
                        (m::BrakeAppliedStatus::RIGHT_REAR, w[3]),
                    ] {
                        s.set(bit, on);
                    }
                    s
                }),
                traction: b.traction.map(|c| match c {
                    ControlState::Off => m::TractionControlStatus::Off,
                    ControlState::On => m::TractionControlStatus::On,
                    ControlState::Engaged => m::TractionControlStatus::Engaged,
                }),
                abs: b.abs.map(|c| match c {
                    ControlState::Off => m::AntiLockBrakeStatus::Off,
                    ControlState::On => m::AntiLockBrakeStatus::On,
                    ControlState::Engaged => m::AntiLockBrakeStatus::Engaged,
                }),
                scs: b.stability.map(|c| match c {
                    ControlState::Off => m::StabilityControlStatus::Off,
                    ControlState::On => m::StabilityControlStatus::On,
                    ControlState::Engaged => m::StabilityControlStatus::Engaged,
                }),
                brake_boost: b.brake_boost.map(|v| {
                    if v {
                        m::BrakeBoostApplied::On
                    } else {
                        m::BrakeBoostApplied::Off
                    }
                }),
                aux_brakes: b.aux_brakes.map(|v| {
                    if v {
                        m::AuxiliaryBrakeStatus::On
                    } else {
                        m::AuxiliaryBrakeStatus::Off
                    }
                }),
            }
        }

        pub(super) fn size(state: &VehicleState) -> m::VehicleSize {
            match state.size {
                Some(s) => m::VehicleSize {
                    width: wire::width_cm(s.width_m),
                    length: wire::length_cm(s.length_m),
                    height: s.height_m.map(wire::height_5cm),
                },
                // 0 is the "invalid" width and length
                None => m::VehicleSize {
                    width: 0,
                    length: 0,
                    height: None,
                },
            }
        }

        fn events(e: Events) -> m::VehicleEventFlags {
            let mut f = m::VehicleEventFlags {
                bits: [0; 2],
                extended: None,
            };
            // `Events` uses the bit numbers of `VehicleEventFlags`.
            for bit in 0..m::VehicleEventFlags::BITS {
                f.set(bit, (e.bits() >> bit) & 1 == 1);
            }
            f
        }

        fn lights(l: Lights) -> m::ExteriorLights {
            let mut f = m::ExteriorLights {
                bits: [0; 2],
                extended: None,
            };
            // `Lights` uses the bit numbers of `ExteriorLights`.
            for bit in 0..m::ExteriorLights::BITS {
                f.set(bit, (l.bits() >> bit) & 1 == 1);
            }
            f
        }

        /// A point as an offset from the message's own position (wire units on both sides, so
        /// the receiver adds back exactly the point's own wire position).
        pub(super) fn offset(reference: &m::Position3D, p: &PathPoint) -> m::PositionOffsetLLV {
            let (lat, lon) = (wire::lat(p.lat_deg), wire::lon(p.lon_deg));
            let dlat = i64::from(lat) - i64::from(reference.lat);
            let dlon = i64::from(lon) - i64::from(reference.long);
            let offset_ll = match wire::ll_offset(dlat, dlon, (lat, lon)) {
                LlOffset::B12(lat, lon) => {
                    m::PositionOffsetLL::PositionLl1(m::PositionLL24B { lon, lat })
                }
                LlOffset::B14(lat, lon) => {
                    m::PositionOffsetLL::PositionLl2(m::PositionLL28B { lon, lat })
                }
                LlOffset::B16(lat, lon) => {
                    m::PositionOffsetLL::PositionLl3(m::PositionLL32B { lon, lat })
                }
                LlOffset::B18(lat, lon) => {
                    m::PositionOffsetLL::PositionLl4(m::PositionLL36B { lon, lat })
                }
                LlOffset::B22(lat, lon) => {
                    m::PositionOffsetLL::PositionLl5(m::PositionLL44B { lon, lat })
                }
                LlOffset::B24(lat, lon) => {
                    m::PositionOffsetLL::PositionLl6(m::PositionLL48B { lon, lat })
                }
                LlOffset::Absolute(lat, lon) => {
                    m::PositionOffsetLL::PositionLatLon(m::PositionLLmD64b { lon, lat })
                }
            };
            let offset_v = match (reference.elevation, p.elevation_m) {
                (Some(r), Some(e)) => {
                    let abs = wire::elevation(e);
                    Some(match wire::v_offset(i64::from(abs) - i64::from(r), abs) {
                        VOffset::B07(v) => m::VerticalOffset::Offset1(v),
                        VOffset::B08(v) => m::VerticalOffset::Offset2(v),
                        VOffset::B09(v) => m::VerticalOffset::Offset3(v),
                        VOffset::B10(v) => m::VerticalOffset::Offset4(v),
                        VOffset::B11(v) => m::VerticalOffset::Offset5(v),
                        VOffset::B12(v) => m::VerticalOffset::Offset6(v),
                        VOffset::Elevation(v) => m::VerticalOffset::Elevation(v),
                    })
                }
                _ => None,
            };
            m::PositionOffsetLLV {
                offset_ll,
                offset_v,
            }
        }

        fn gnss_status(q: FixQuality) -> m::GNSSstatus {
            let mut s = m::GNSSstatus([0]);
            s.set(m::GNSSstatus::IS_HEALTHY, q.has_position());
            s.set(
                m::GNSSstatus::LOCAL_CORRECTIONS_PRESENT,
                q == FixQuality::Differential,
            );
            s.set(
                m::GNSSstatus::NETWORK_CORRECTIONS_PRESENT,
                matches!(q, FixQuality::RtkFloat | FixQuality::RtkFixed),
            );
            s
        }

        fn path_history(reference: &m::Position3D, c: &BsmContent<'_>) -> Option<m::PathHistory> {
            if c.crumbs.is_empty() {
                return None;
            }
            let crumb_data: Vec<m::PathHistoryPoint> = c
                .crumbs
                .iter()
                .map(|p| m::PathHistoryPoint {
                    llv_offset: offset(reference, p),
                    time_offset: wire::time_offset(c.fix.time.seconds_since(p.time)),
                    speed: None,
                    pos_accuracy: None,
                    heading: None,
                    unknown_ext: UnknownExtensions::default(),
                })
                .collect();
            Some(m::PathHistory {
                initial_position: None,
                curr_gns_sstatus: Some(gnss_status(c.fix.quality)),
                crumb_data,
                unknown_ext: UnknownExtensions::default(),
            })
        }

        pub(super) fn safety_ext(
            reference: &m::Position3D,
            c: &BsmContent<'_>,
        ) -> Option<m::VehicleSafetyExtensions> {
            Some(m::VehicleSafetyExtensions {
                events: (!c.events.is_empty()).then(|| events(c.events)),
                path_history: path_history(reference, c),
                path_prediction: c.prediction.map(|p| m::PathPrediction {
                    radius_of_curve: wire::radius_of_curvature(p.radius_m),
                    confidence: wire::confidence(p.confidence),
                    unknown_ext: UnknownExtensions::default(),
                }),
                lights: c.state.lights.map(lights),
                unknown_ext: UnknownExtensions::default(),
            })
        }
    };
}

pub(crate) mod p2020 {
    common_parts!(v2020);
}

#[allow(dead_code)] // the 2017 form uses fewer of the shared parts
pub(crate) mod p2017 {
    common_parts!(v2017);
}

fn time_confidence(s_95: f64) -> v2020::TimeConfidence {
    use v2020::TimeConfidence as T;
    const ALL: [T; 40] = [
        T::Unavailable,
        T::Time100000,
        T::Time050000,
        T::Time020000,
        T::Time010000,
        T::Time002000,
        T::Time001000,
        T::Time000500,
        T::Time000200,
        T::Time000100,
        T::Time000050,
        T::Time000020,
        T::Time000010,
        T::Time000005,
        T::Time000002,
        T::Time000001,
        T::Time0000005,
        T::Time0000002,
        T::Time0000001,
        T::Time00000005,
        T::Time00000002,
        T::Time00000001,
        T::Time000000005,
        T::Time000000002,
        T::Time000000001,
        T::Time0000000005,
        T::Time0000000002,
        T::Time0000000001,
        T::Time00000000005,
        T::Time00000000002,
        T::Time00000000001,
        T::Time000000000005,
        T::Time000000000002,
        T::Time000000000001,
        T::Time0000000000005,
        T::Time0000000000002,
        T::Time0000000000001,
        T::Time00000000000005,
        T::Time00000000000002,
        T::Time00000000000001,
    ];
    ALL.get(usize::from(wire::time_confidence(s_95)))
        .copied()
        .unwrap_or(T::Unavailable)
}

fn emergency(e: &super::state::EmergencyState) -> v2020::VehicleEmergencyExtensions {
    use v2020::{LightbarInUse as L, ResponseType as R, SirenInUse as S};
    v2020::VehicleEmergencyExtensions {
        response_type: e.response.map(|r| match r {
            Response::Emergency => R::Emergency,
            Response::NonEmergency => R::NonEmergency,
            Response::Pursuit => R::Pursuit,
            Response::Stationary => R::Stationary,
            Response::SlowMoving => R::SlowMoving,
            Response::StopAndGo => R::StopAndGoMovement,
        }),
        siren_use: e.siren.map(|on| if on { S::InUse } else { S::NotInUse }),
        lights_use: e.light_bar.map(|l| match l {
            LightBar::Off => L::NotInUse,
            LightBar::Emergency => L::InUse,
            LightBar::YellowCaution => L::YellowCautionLights,
            LightBar::SchoolBus => L::SchooldBusLights,
            LightBar::ArrowSigns => L::ArrowSignsActive,
            LightBar::SlowMovingVehicle => L::SlowMovingVehicle,
            LightBar::FrequentStops => L::FreqStops,
        }),
        unknown_ext: UnknownExtensions::default(),
    }
}

/// The BSM in the T/CSAE 53-2020 form.
pub(crate) fn bsm_2020(c: &BsmContent<'_>) -> v2020::BasicSafetyMessage {
    let s = c.state;
    let pos = p2020::position(c.fix);
    v2020::BasicSafetyMessage {
        msg_cnt: c.msg_cnt,
        id: c.id,
        sec_mark: sec_mark(c.fix),
        time_confidence: c.fix.time_accuracy_s_95.map(time_confidence),
        pos_accuracy: c.fix.ellipse.map(|e| v2020::PositionalAccuracy {
            semi_major: wire::semi_axis(e.semi_major_m),
            semi_minor: wire::semi_axis(e.semi_minor_m),
            orientation: wire::ellipse_orientation(e.orientation_deg),
        }),
        pos_confidence: p2020::position_confidence(c.fix),
        transmission: p2020::transmission(s.transmission),
        speed: wire::speed(s.speed_mps),
        heading: wire::heading(c.heading_deg),
        angle: s.steering_wheel_angle_deg.map(wire::steering),
        motion_cfd: p2020::motion_confidence(s),
        accel_set: p2020::accel_set(s),
        brakes: p2020::brakes(&s.brakes),
        size: p2020::size(s),
        vehicle_class: v2020::VehicleClassification {
            classification: s.class.map_or(0, |k| k.basic),
            fuel_type: s.class.and_then(|k| k.fuel),
            unknown_ext: UnknownExtensions::default(),
        },
        safety_ext: p2020::safety_ext(&pos, c),
        emergency_ext: s.emergency.as_ref().map(emergency),
        pos,
        unknown_ext: UnknownExtensions::default(),
    }
}

/// The BSM in the T/CSAE 53-2017 form.
pub(crate) fn bsm_2017(c: &BsmContent<'_>) -> v2017::BasicSafetyMessage {
    let s = c.state;
    let pos = p2017::position(c.fix);
    v2017::BasicSafetyMessage {
        msg_cnt: c.msg_cnt,
        id: c.id,
        plate_no: None,
        sec_mark: sec_mark(c.fix),
        accuracy: p2017::position_confidence(c.fix).unwrap_or(v2017::PositionConfidenceSet {
            pos: v2017::PositionConfidence::Unavailable,
            elevation: None,
        }),
        transmission: p2017::transmission(s.transmission),
        speed: wire::speed(s.speed_mps),
        heading: wire::heading(c.heading_deg),
        angle: s.steering_wheel_angle_deg.map(wire::steering),
        motion_cfd: p2017::motion_confidence(s),
        accel_set: p2017::accel_set(s),
        brakes: p2017::brakes(&s.brakes),
        size: p2017::size(s),
        vehicle_class: v2017::VehicleClassification {
            classification: s.class.map_or(0, |k| k.basic),
            unknown_ext: UnknownExtensions::default(),
        },
        safety_ext: p2017::safety_ext(&pos, c),
        pos,
        unknown_ext: UnknownExtensions::default(),
    }
}

/// Which message set the BSM is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum BsmForm {
    /// T/CSAE 53-2020 (YD/T 3709-2020), as carried into T/CSAE 157-2020.
    #[default]
    Csae2020,
    /// T/CSAE 53-2017.
    Csae2017,
}

/// The UPER `MessageFrame` of the BSM in `form`.
pub(crate) fn encode(
    form: BsmForm,
    c: &BsmContent<'_>,
) -> Result<Vec<u8>, crate::codec::EncodeError> {
    match form {
        BsmForm::Csae2020 => v2020::MessageFrame::BsmFrame(bsm_2020(c)).encode(),
        BsmForm::Csae2017 => v2017::MessageFrame::BsmFrame(bsm_2017(c)).encode(),
    }
}

/// The wire position of a fix (2020 form; the 2017 form is the same numbers).
pub(crate) fn wire_position(fix: &GnssFix) -> v2020::Position3D {
    p2020::position(fix)
}

/// A point as an offset from a wire reference position (2020 form).
pub(crate) fn wire_offset(
    reference: &v2020::Position3D,
    p: &PathPoint,
) -> v2020::PositionOffsetLLV {
    p2020::offset(reference, p)
}
