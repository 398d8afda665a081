//! Parking lots (PAM): the node graph (entrances, exits, ramps, junctions) with the drives
//! that lead into each node, the parking slots along the drives with their status, kind,
//! orientation and lock, the lot's summary (capacity, floors, automated valet parking level)
//! and the guidance the lot gives the ego (the nodes to drive through and the target slot).
//!
//! Per lot the store keeps at most [`MAX_DRIVES`] drives, [`MAX_SLOTS`] slots and
//! [`MAX_DRIVE_POINTS`] shape points per drive (the message's size limits allow far more than
//! one lot has); what does not fit is dropped and counted as truncated. A node whose position
//! is unavailable is dropped (counted as rejected).
use alloc::string::String;
use alloc::vec::Vec;

use super::super::convert::day2 as cv;
use super::super::store::{Bounded, Entry, StoreCounters};
use super::{NodeAttributes, ParkingKinds};
use crate::geo::Wgs84;
use crate::msg::v2020 as m;
use crate::time::Timestamp;

/// Most drives kept per lot.
pub const MAX_DRIVES: usize = 256;
/// Most slots kept per lot.
pub const MAX_SLOTS: usize = 1024;
/// Most shape points kept per drive (the `PointList` limit).
pub const MAX_DRIVE_POINTS: usize = 31;

/// Automated valet parking support level of a lot, 0 (none, `p0`) to 5 (highest, `p5`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AvpLevel(pub u8);

/// Occupancy of a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SlotStatus {
    /// Unknown.
    Unknown,
    /// Free.
    Available,
    /// Occupied.
    Occupied,
    /// Reserved.
    Reserved,
}

impl SlotStatus {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::Available => "available",
            Self::Occupied => "occupied",
            Self::Reserved => "reserved",
        }
    }
}

/// Orientation of a slot relative to its drive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SlotOrientation {
    /// Unknown.
    Unknown,
    /// Perpendicular.
    Perpendicular,
    /// Parallel.
    Parallel,
    /// At an angle.
    Oblique,
}

/// Parking lock of a slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SlotLock {
    /// Unknown.
    Unknown,
    /// No lock.
    None,
    /// Locked.
    Locked,
    /// Unlocked.
    Unlocked,
}

/// A parking slot.
#[derive(Debug, Clone, PartialEq)]
pub struct ParkingSlot {
    /// Slot number within the lot.
    pub id: u16,
    /// Top left, top right and bottom left corners, when given.
    pub corners: Option<[Wgs84; 3]>,
    /// Centre (of the four corners), when the corners are given.
    pub center: Option<Wgs84>,
    /// Label at the slot.
    pub sign: Option<String>,
    /// Kind of space.
    pub kinds: ParkingKinds,
    /// Occupancy.
    pub status: SlotStatus,
    /// Orientation.
    pub orientation: SlotOrientation,
    /// Lock state.
    pub lock: SlotLock,
}

/// A drive (aisle) from an upstream node into the node that carries it.
#[derive(Debug, Clone, PartialEq)]
pub struct ParkingDrive {
    /// Upstream node id.
    pub upstream: u16,
    /// Drive number.
    pub id: Option<u8>,
    /// Speed limit, m/s.
    pub speed_limit_mps: Option<f64>,
    /// Height limit, m.
    pub height_limit_m: Option<f64>,
    /// Width, m.
    pub width_m: Option<f64>,
    /// Shape points, upstream first.
    pub points: Vec<Wgs84>,
    /// Nodes reachable from the end of the drive.
    pub movements: Vec<u16>,
    /// Slots along the drive.
    pub slots: Vec<ParkingSlot>,
}

/// A node of the lot's map.
#[derive(Debug, Clone, PartialEq)]
pub struct ParkingNode {
    /// Node id.
    pub id: u16,
    /// Position.
    pub position: Wgs84,
    /// Floor (negative below ground).
    pub floor: Option<i16>,
    /// Properties.
    pub attributes: NodeAttributes,
    /// Drives ending here.
    pub drives: Vec<ParkingDrive>,
}

/// The lot's guidance for one vehicle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParkingGuide {
    /// The nodes to drive through, in order (at most 32).
    pub path: Vec<u16>,
    /// The slot assigned.
    pub slot: Option<u16>,
}

/// Slots by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Occupancy {
    /// Free.
    pub available: u16,
    /// Occupied.
    pub occupied: u16,
    /// Reserved.
    pub reserved: u16,
    /// Unknown.
    pub unknown: u16,
}

impl Occupancy {
    /// Slots counted.
    pub fn total(&self) -> u16 {
        self.available
            .saturating_add(self.occupied)
            .saturating_add(self.reserved)
            .saturating_add(self.unknown)
    }
}

/// One lot's latest PAM.
#[derive(Debug, Clone, PartialEq)]
pub struct ParkingLot {
    /// Lot id (`None`: the message gives none).
    pub id: Option<u16>,
    /// When received.
    pub received: Timestamp,
    /// Name.
    pub name: Option<String>,
    /// Number of spaces the lot states.
    pub capacity: Option<u16>,
    /// Floors.
    pub floors: Option<u16>,
    /// Automated valet parking level.
    pub avp: Option<AvpLevel>,
    /// Nodes (at most 63).
    pub nodes: Vec<ParkingNode>,
    /// The guidance for the ego, when the message has one.
    pub for_ego: Option<ParkingGuide>,
    /// Vehicles the message guides (any vehicle).
    pub guided_vehicles: u16,
}

impl ParkingLot {
    /// The node `id`.
    pub fn node(&self, id: u16) -> Option<&ParkingNode> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// The slot `id` with the node and drive it lies on.
    pub fn slot(&self, id: u16) -> Option<(&ParkingNode, &ParkingDrive, &ParkingSlot)> {
        self.nodes.iter().find_map(|n| {
            n.drives
                .iter()
                .find_map(|d| d.slots.iter().find(|s| s.id == id).map(|s| (n, d, s)))
        })
    }

    /// The slots by status.
    pub fn occupancy(&self) -> Occupancy {
        let mut o = Occupancy::default();
        for s in self
            .nodes
            .iter()
            .flat_map(|n| n.drives.iter())
            .flat_map(|d| d.slots.iter())
        {
            let c = match s.status {
                SlotStatus::Available => &mut o.available,
                SlotStatus::Occupied => &mut o.occupied,
                SlotStatus::Reserved => &mut o.reserved,
                SlotStatus::Unknown => &mut o.unknown,
            };
            *c = c.saturating_add(1);
        }
        o
    }
}

impl Entry for ParkingLot {
    type Key = Option<u16>;
    fn key(&self) -> Option<u16> {
        self.id
    }
    fn received(&self) -> Timestamp {
        self.received
    }
}

/// The PAM store, one entry per lot.
#[derive(Debug, Clone)]
pub struct ParkingStore {
    items: Bounded<ParkingLot>,
}

impl ParkingStore {
    /// An empty store of at most `max` lots, each dropped `max_age_ms` after its last message.
    pub fn new(max: usize, max_age_ms: i64) -> Self {
        ParkingStore {
            items: Bounded::new(max, max_age_ms),
        }
    }

    /// Stores a PAM received at `now`. Returns whether it guides `ego`.
    pub fn insert(&mut self, pam: &m::PAMData, now: Timestamp, ego: Option<[u8; 8]>) -> bool {
        let (lot, dropped) = cv::parking_lot(pam, now, ego);
        let for_ego = lot.for_ego.is_some();
        self.items.truncated(dropped.truncated);
        for _ in 0..dropped.rejected {
            self.items.reject();
        }
        self.items.upsert(lot);
        for_ego
    }

    /// The lots.
    pub fn lots(&self) -> &[ParkingLot] {
        self.items.items()
    }

    /// The lot `id`.
    pub fn lot(&self, id: Option<u16>) -> Option<&ParkingLot> {
        self.items.get(id)
    }

    /// Drops the lots not heard from in time.
    pub fn expire(&mut self, now: Timestamp) {
        self.items.expire(now);
    }

    /// What the store did.
    pub fn counters(&self) -> &StoreCounters {
        self.items.counters()
    }
}
