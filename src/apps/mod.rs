//! Applications: collision and signal warnings as pure functions of the fused world, the
//! map/signal stores and the ego state. One file per application; [`warning`] holds the output
//! types; `mapmatch` the MAP/SPAT store and lane matching.
pub mod avw;
pub mod bsw;
pub mod clw;
pub mod dnpw;
pub mod ebw;
pub mod evw;
pub mod fcw;
pub mod geometry;
pub mod icw;
pub mod latch;
pub mod lta;
pub mod tjw;
pub mod vrucw;
pub mod warning;

// Road and signal applications, MAP/SPAT and RSI stores.
pub mod glosa;
pub mod hlw;
pub mod ivs;
pub mod mapmatch;
pub mod rlvw;
pub mod road;
pub mod roadinfo;
pub mod slw;
pub use road::{RoadApp, RoadContext, road_apps};

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::fusion::FusedObject;
use crate::time::Timestamp;

pub use warning::{Advice, AppId, Hysteresis, Level, Target, Warning};

/// Turn signal state of the ego.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TurnSignal {
    /// No signal.
    #[default]
    None,
    /// Left.
    Left,
    /// Right.
    Right,
}

/// The ego as the applications see it, in the fusion core's ENU frame.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Ego {
    /// Time of the state.
    pub time: Timestamp,
    /// ENU position of the vehicle's reference point (centre), m.
    pub position_enu: [f64; 2],
    /// Speed, m/s.
    pub speed_mps: f64,
    /// Heading, degrees, CSAE convention (0 = north, clockwise).
    pub heading_deg: f64,
    /// Longitudinal acceleration, m/s².
    pub accel_mps2: f64,
    /// Yaw rate, degrees/s, clockwise positive (CSAE sense).
    pub yaw_rate_dps: f64,
    /// Length, m.
    pub length_m: f64,
    /// Width, m.
    pub width_m: f64,
    /// Turn signal.
    pub turn_signal: TurnSignal,
}

/// Event flags a remote vehicle reported about itself (BSM safety and emergency extensions),
/// keyed to fused objects by vehicle id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct VehicleFlags {
    /// Hard braking (BSM VehicleEventFlags `eventHardBraking`).
    pub hard_braking: bool,
    /// Hazard lights on (`eventHazardLights` or exterior lights).
    pub hazard_lights: bool,
    /// Emergency vehicle with siren / light bar in use (emergency extensions).
    pub emergency: bool,
    /// Stability or traction control engaged, ABS active (`eventStabilityControlactivated`,
    /// `eventABSactivated`, `eventTractionControlLoss`).
    pub control_loss: bool,
    /// Disabled vehicle / abnormal state (`eventDisabledVehicle`).
    pub disabled: bool,
}

/// A fused object with what the applications know about it beyond its track.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorldObject<'a> {
    /// The fused track.
    pub object: &'a FusedObject,
    /// Flags the vehicle reported, if it sends BSMs.
    pub flags: VehicleFlags,
}

/// Everything an object application reads in one evaluation.
#[derive(Debug, Clone, Copy)]
pub struct ObjectContext<'a> {
    /// Evaluation time.
    pub now: Timestamp,
    /// The ego.
    pub ego: &'a Ego,
    /// Fused objects (confirmed and coasting tracks), with their flags.
    pub objects: &'a [WorldObject<'a>],
}

/// An application over the fused objects around the ego. Implementations keep their own
/// hysteresis state between calls.
pub trait ObjectApp: core::fmt::Debug + Send {
    /// Which application this is.
    fn id(&self) -> AppId;
    /// Evaluates at `cx.now` and appends raised warnings to `out`.
    fn evaluate(&mut self, cx: &ObjectContext<'_>, out: &mut Vec<Warning>);
}

/// The object applications with their default configuration.
pub fn object_apps() -> Vec<Box<dyn ObjectApp>> {
    alloc::vec![
        Box::new(fcw::Fcw::default()) as Box<dyn ObjectApp>,
        Box::new(icw::Icw::default()),
        Box::new(lta::Lta::default()),
        Box::new(bsw::Bsw::default()),
        Box::new(bsw::Lcw::default()),
        Box::new(dnpw::Dnpw::default()),
        Box::new(ebw::Ebw::default()),
        Box::new(avw::Avw::default()),
        Box::new(clw::Clw::default()),
        Box::new(vrucw::Vrucw::default()),
        Box::new(tjw::Tjw::default()),
        Box::new(evw::Evw::default()),
    ]
}
