//! Applications: collision, signal and road warnings as decisions over the world model (the
//! fused objects, the MAP/SPAT and RSI stores, the ego), one file per application.
//! [`warning`] holds the output types; `geometry` and `latch` the shared machinery; [`road`]
//! the interface of the applications that read the road rather than the objects; [`coop`] the
//! interface of the cooperative (Day II) applications, which also send: [`merge`],
//! [`priority`] (clear-the-way, signal priority), [`parking`], [`platoon`], [`vnfp`]
//! (near-field payment) and [`ceb`] (cooperative emergency braking).
pub mod avw;
pub mod bsw;
pub mod clw;
pub mod dnpw;
pub mod ebw;
pub mod evw;
pub mod fcw;
pub(crate) mod geometry;
pub mod guidance;
pub mod icw;
pub(crate) mod latch;
pub mod lta;
pub mod thresholds;
pub mod tjw;
pub mod vrucw;
pub mod warning;

// Cooperative (Day II) applications.
pub mod ceb;
pub mod coop;
pub mod merge;
pub mod parking;
pub mod platoon;
pub mod priority;
pub mod vnfp;
pub use coop::{Command, CoopApp, CoopContext, Outbox, PaymentAccount, Side, coop_apps};
pub use guidance::{Maneuver, PathPoints, PaymentState, PlatoonState, RequestState, RequestType};

// Road and signal applications.
pub mod glosa;
pub mod hlw;
pub mod ivs;
pub mod rlvw;
pub mod road;
pub mod slw;
pub use road::{RoadApp, RoadContext, road_apps};

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::fusion::FusedObject;
use crate::time::Timestamp;
use crate::world::{Ego, TurnSignal, VehicleFlags};

pub use thresholds::{Bands, HazardAhead};
pub use warning::{
    Advice, AppId, Guidance, Hysteresis, Level, RoadCode, Target, TargetKey, Warning, place_id,
};

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
    /// Fused objects (confirmed and coasting tracks).
    pub objects: &'a [FusedObject],
    /// The flags each object's vehicle reported, index for index with `objects` (default flags
    /// where none are known).
    pub flags: &'a [VehicleFlags],
}

impl<'a> ObjectContext<'a> {
    /// The objects with their flags.
    pub fn world_objects(&self) -> impl Iterator<Item = WorldObject<'a>> + 'a {
        let flags = self.flags;
        self.objects
            .iter()
            .enumerate()
            .map(move |(i, object)| WorldObject {
                object,
                flags: flags.get(i).copied().unwrap_or_default(),
            })
    }
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
