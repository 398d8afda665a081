//! The vehicle-state store: what remote vehicles report about themselves beyond their motion
//! (BSM event flags, lights, brakes, emergency extensions), by vehicle id, so the applications
//! can read it beside the fused object of the same vehicle. Bounded and expiring like every
//! world store ([`Bounded`]).
use super::store::{Bounded, Entry, StoreCounters};
use crate::msg::v2020 as m;
use crate::time::Timestamp;

/// Event flags a remote vehicle reported about itself (BSM safety and emergency extensions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
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

impl VehicleFlags {
    /// The flags a BSM carries.
    pub fn of_bsm(bsm: &m::BasicSafetyMessage) -> VehicleFlags {
        let ext = bsm.safety_ext.as_ref();
        let ev = ext.and_then(|s| s.events.as_ref());
        let bit = |i| ev.is_some_and(|e| e.get(i));
        let lights = ext.and_then(|s| s.lights.as_ref());
        let engaged = |s: Option<bool>| s.unwrap_or(false);
        let em = bsm.emergency_ext.as_ref();
        VehicleFlags {
            hard_braking: bit(m::VehicleEventFlags::EVENT_HARD_BRAKING),
            hazard_lights: bit(m::VehicleEventFlags::EVENT_HAZARD_LIGHTS)
                || lights.is_some_and(|l| l.get(m::ExteriorLights::HAZARD_SIGNAL_ON)),
            emergency: em.is_some_and(|e| {
                e.siren_use == Some(m::SirenInUse::InUse)
                    || e.lights_use == Some(m::LightbarInUse::InUse)
            }),
            control_loss: bit(m::VehicleEventFlags::EVENT_AB_SACTIVATED)
                || bit(m::VehicleEventFlags::EVENT_TRACTION_CONTROL_LOSS)
                || bit(m::VehicleEventFlags::EVENT_STABILITY_CONTROLACTIVATED)
                || engaged(bsm.brakes.abs.map(|a| a == m::AntiLockBrakeStatus::Engaged))
                || engaged(
                    bsm.brakes
                        .traction
                        .map(|a| a == m::TractionControlStatus::Engaged),
                )
                || engaged(
                    bsm.brakes
                        .scs
                        .map(|a| a == m::StabilityControlStatus::Engaged),
                ),
            disabled: bit(m::VehicleEventFlags::EVENT_DISABLED_VEHICLE),
        }
    }
}

/// One vehicle's latest state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VehicleEntry {
    /// The vehicle's temporary id.
    pub id: [u8; 8],
    /// Its flags.
    pub flags: VehicleFlags,
    /// When its last message was received.
    pub received: Timestamp,
}

impl Entry for VehicleEntry {
    type Key = [u8; 8];
    fn key(&self) -> [u8; 8] {
        self.id
    }
    fn received(&self) -> Timestamp {
        self.received
    }
}

/// The vehicle-state store. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct VehicleStore {
    items: Bounded<VehicleEntry>,
}

impl VehicleStore {
    /// An empty store of at most `max_vehicles` vehicles whose state expires `max_age_ms` after
    /// their last message.
    pub fn new(max_vehicles: usize, max_age_ms: i64) -> Self {
        VehicleStore {
            items: Bounded::new(max_vehicles, max_age_ms),
        }
    }

    /// Stores a vehicle's flags received at `now`.
    pub fn insert(&mut self, id: [u8; 8], flags: VehicleFlags, now: Timestamp) {
        self.items.upsert(VehicleEntry {
            id,
            flags,
            received: now,
        });
    }

    /// The flags of vehicle `id`, when known.
    pub fn flags(&self, id: &[u8; 8]) -> Option<VehicleFlags> {
        self.items.get(*id).map(|e| e.flags)
    }

    /// Forgets vehicle `id` (what it reported turned out not to be authentic); returns whether
    /// it was known.
    pub fn remove(&mut self, id: &[u8; 8]) -> bool {
        self.items.remove(*id)
    }

    /// The vehicles.
    pub fn entries(&self) -> &[VehicleEntry] {
        self.items.items()
    }

    /// Drops the vehicles not heard from in time.
    pub fn expire(&mut self, now: Timestamp) {
        self.items.expire(now);
    }

    /// What the store did.
    pub fn counters(&self) -> &StoreCounters {
        self.items.counters()
    }
}
