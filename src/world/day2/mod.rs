//! The Day II (T/CSAE 157-2020) cooperative services as the applications see them: typed,
//! SI-unit state per service, bounded and expiring like every world store
//! ([`Bounded`]).
//!
//! | module | service | message | kept |
//! |---|---|---|---|
//! | [`coordination`] | cooperative merging, lane guidance, roadside braking requests | RSC | per RSU: the guidance for the ego (by its temporary id) and the lane guidance |
//! | [`requests`] | cooperative lane change, clear-the-way, signal priority, parking requests | VIR | per sender: its position, planned path, behaviour and requests |
//! | [`parking`] | parking guidance | PAM | per lot: node graph, drives, slots with status, occupancy, AVP level, the guidance for the ego |
//! | [`platoon`] | platooning | CLPMM | per sender: platoon id, role, status, the leader's member lists |
//! | [`payment`] | near-field payment | VPM | per RSU: the payment services offered (RST); per (RSU, addressee): the latest transaction command |
//!
//! Every wire value is converted here (through [`super::convert::day2`]): positions become
//! WGS-84, speeds m/s, times absolute [`Timestamp`]s (a `secMark` resolved near the receive
//! time, a `TimeOffset` from the message time, a `DDateTime` to the nearest matching time),
//! named bit strings the small sets below. Lists are kept up to their ASN.1 size limits; parts
//! beyond the store's own limits (parking slots, points) are dropped and counted as truncated.
use alloc::vec::Vec;

use super::map::IntersectionKey;
use super::store::{Bounded, Entry, StoreCounters};
use crate::geo::Wgs84;
use crate::time::Timestamp;

pub mod coordination;
pub mod outgoing;
pub mod parking;
pub mod payment;
pub mod platoon;
pub mod requests;

pub use coordination::{Coordination, CoordinationStore, LaneGuidance, VehicleGuidance};
pub use outgoing::{OutIntention, OutPlatoon, Outgoing, Sender};
pub use parking::{
    AvpLevel, ParkingDrive, ParkingGuide, ParkingLot, ParkingNode, ParkingSlot, ParkingStore,
    SlotLock, SlotOrientation, SlotStatus,
};
pub use payment::{
    ActionAnswer, ActionResult, CardFiles, ChargeReceipt, ChargeRequest, Contract, Date,
    EquipmentClass, FileRange, ObuKind, ObuPaymentData, OfferedService, PassedStation,
    PaymentAction, PaymentChannel, PaymentCommand, PaymentOffer, PaymentService, PaymentStore,
    ReturnCode, ServiceInfo, StationKind, TacParams, TollPoint, TollResult, TollStation,
    VehicleFile,
};
pub use platoon::{Membership, PlatoonId, PlatoonReport, PlatoonRole, PlatoonStatus, PlatoonStore};
pub use requests::{DriveRequest, Intention, RequestKind, RequestStatus, RequestStore};

/// Defines a set of named bits of a T/CSAE 157 BIT STRING: bit `i` of the standard is
/// `1 << i` here.
macro_rules! named_bits {
    ($(#[$m:meta])* $name:ident, $n:expr, [$($(#[$cm:meta])* $c:ident = $i:expr, $s:expr;)*]) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name(pub u16);

        impl $name {
            $( $(#[$cm])* pub const $c: $name = $name(1 << $i); )*
            /// The names of the bits, in bit order (as scenarios write them).
            pub const NAMES: [&'static str; $n] = [$($s),*];

            /// Whether every bit of `other` is set.
            pub fn contains(self, other: $name) -> bool {
                self.0 & other.0 == other.0 && other.0 != 0
            }

            /// Whether any bit of `other` is set.
            pub fn intersects(self, other: $name) -> bool {
                self.0 & other.0 != 0
            }

            /// Sets the bits of `other`.
            pub fn insert(&mut self, other: $name) {
                self.0 |= other.0;
            }

            /// The bit of a name ([`Self::NAMES`]).
            pub fn from_name(s: &str) -> Option<$name> {
                Self::NAMES
                    .iter()
                    .position(|n| n.eq_ignore_ascii_case(s))
                    .map(|i| $name(1 << i))
            }

            /// Whether no bit is set.
            pub fn is_empty(self) -> bool {
                self.0 == 0
            }
        }
    };
}

named_bits!(
    /// Driving behaviours (`DriveBehavior`), current, planned or suggested.
    Behavior, 14, [
        /// Driving straight on.
        GO_STRAIGHT = 0, "go_straight";
        /// Changing lane to the left.
        LANE_CHANGE_LEFT = 1, "lane_change_left";
        /// Changing lane to the right.
        LANE_CHANGE_RIGHT = 2, "lane_change_right";
        /// Entering from a ramp (merging).
        RAMP_IN = 3, "ramp_in";
        /// Leaving by a ramp (diverging).
        RAMP_OUT = 4, "ramp_out";
        /// Going straight through an intersection.
        STRAIGHT_THROUGH = 5, "straight_through";
        /// Turning left at an intersection.
        TURN_LEFT = 6, "turn_left";
        /// Turning right at an intersection.
        TURN_RIGHT = 7, "turn_right";
        /// U-turn at an intersection.
        U_TURN = 8, "u_turn";
        /// Stop-and-go traffic.
        STOP_AND_GO = 9, "stop_and_go";
        /// Stopping.
        STOP = 10, "stop";
        /// Slowing down.
        SLOW_DOWN = 11, "slow_down";
        /// Speeding up.
        SPEED_UP = 12, "speed_up";
        /// Parking.
        PARKING = 13, "parking";
    ]
);

impl Behavior {
    /// A lane change, merge or diverge: the behaviours that need a gap in another lane.
    pub const LANE_MOVES: Behavior = Behavior(
        Self::LANE_CHANGE_LEFT.0 | Self::LANE_CHANGE_RIGHT.0 | Self::RAMP_IN.0 | Self::RAMP_OUT.0,
    );
}

named_bits!(
    /// The cooperative services a guidance belongs to (`CoordinationInfo`).
    CoordinationKinds, 8, [
        /// Cooperative lane change.
        LANE_CHANGE = 0, "cooperative_lane_change";
        /// Cooperative merging.
        MERGING = 1, "cooperative_merging";
        /// Lane change at an intersection.
        INTERSECTION_LANE_CHANGE = 2, "lane_change_at_intersection";
        /// Passing an unsignalised intersection.
        UNSIGNALISED_INTERSECTION = 3, "unsignalised_intersection";
        /// Dynamic lane management.
        DYNAMIC_LANE_MANAGEMENT = 4, "dynamic_lane_management";
        /// Lane reservation.
        LANE_RESERVATION = 5, "lane_reservation";
        /// Lane restriction.
        LANE_RESTRICTION = 6, "lane_restriction";
        /// Signal priority.
        SIGNAL_PRIORITY = 7, "signal_priority";
    ]
);

named_bits!(
    /// Kinds of parking space (`ParkingType`).
    ParkingKinds, 10, [
        /// Unknown.
        UNKNOWN = 0, "unknown";
        /// Ordinary space.
        ORDINARY = 1, "ordinary";
        /// Space for disabled drivers.
        DISABLED = 2, "disabled";
        /// Space for small cars.
        MINI = 3, "mini";
        /// Space attached to another one.
        ATTACHED = 4, "attached";
        /// Space with electric charging.
        CHARGING = 5, "charging";
        /// Space in a mechanical (multi-level) garage.
        STEREO = 6, "stereo";
        /// Space reserved for women drivers.
        LADY = 7, "lady";
        /// Extra-large space.
        EXTENDED = 8, "extended";
        /// Private space.
        PRIVATE = 9, "private";
    ]
);

named_bits!(
    /// Parking services requested (`ParkingRequest`).
    ParkingServices, 12, [
        /// Enter the parking lot.
        ENTER = 0, "enter";
        /// Leave the parking lot.
        EXIT = 1, "exit";
        /// Park.
        PARK = 2, "park";
        /// Pay.
        PAY = 3, "pay";
        /// Drop off passengers.
        UNLOAD_PASSENGER = 4, "unload_passenger";
        /// Pick up passengers.
        PICKUP_PASSENGER = 5, "pickup_passenger";
        /// Unload goods.
        UNLOAD_CARGO = 6, "unload_cargo";
        /// Load goods.
        LOAD_CARGO = 7, "load_cargo";
        /// Reserved.
        RESERVED1 = 8, "reserved1";
        /// Reserved.
        RESERVED2 = 9, "reserved2";
        /// Reserved.
        RESERVED3 = 10, "reserved3";
        /// Reserved.
        RESERVED4 = 11, "reserved4";
    ]
);

named_bits!(
    /// Properties of a parking lot node (`PAMNodeAttributes`).
    NodeAttributes, 8, [
        /// Entrance.
        ENTRANCE = 0, "entrance";
        /// Exit.
        EXIT = 1, "exit";
        /// Ramp to the floor above.
        TO_UPSTAIRS = 2, "to_upstairs";
        /// Ramp to the floor below.
        TO_DOWNSTAIRS = 3, "to_downstairs";
        /// Electronic toll collection.
        ETC = 4, "etc";
        /// Manual toll collection.
        MTC = 5, "mtc";
        /// Passable only after payment.
        PASS_AFTER_PAYMENT = 6, "pass_after_payment";
        /// Blocked.
        BLOCKED = 7, "blocked";
    ]
);

/// A map link, and optionally some of its lanes (`ReferenceLink`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LinkRef {
    /// Upstream node (region, id).
    pub upstream: IntersectionKey,
    /// Downstream node.
    pub downstream: IntersectionKey,
    /// Lanes: bit `i` set for lane `i` (1..=15); 0 = the whole link.
    pub lanes: u16,
}

impl LinkRef {
    /// Whether the reference includes lane `id` (every lane when it names none).
    pub fn has_lane(&self, id: u8) -> bool {
        self.lanes == 0 || (id < 16 && self.lanes & (1 << id) != 0)
    }

    /// The lane when exactly one is named.
    pub fn single_lane(&self) -> Option<u8> {
        (self.lanes.count_ones() == 1).then(|| self.lanes.trailing_zeros() as u8)
    }
}

/// A path an item applies to (`ReferencePath`): points in driving order and a half-width.
#[derive(Debug, Clone, PartialEq)]
pub struct RefPath {
    /// Points, upstream first (at most 32).
    pub points: Vec<Wgs84>,
    /// Half-width, m.
    pub radius_m: f64,
}

/// A point of a planned or guided path (`PathPlanningPoint`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GuidePoint {
    /// Position.
    pub position: Wgs84,
    /// The link (and lanes) of the point, when given.
    pub link: Option<LinkRef>,
    /// Expected speed, m/s.
    pub speed_mps: Option<f64>,
    /// Expected heading, degrees (CSAE).
    pub heading_deg: Option<f64>,
    /// When the point is to be reached (the message time plus `estimatedTime`).
    pub at: Option<Timestamp>,
}

/// What kind of Day II message a [`DayIIEvent`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DayIIService {
    /// Roadside coordination (RSC).
    Coordination,
    /// Vehicle intention and requests (VIR).
    Intention,
    /// Parking area map (PAM).
    Parking,
    /// Platooning management (CLPMM).
    Platoon,
    /// Vehicle payment (VPM).
    Payment,
    /// Sensor sharing (SSM).
    SensorSharing,
}

/// A Day II message was taken into the world (raised as a stack event when received).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayIIEvent {
    /// The service.
    pub service: DayIIService,
    /// The sender (vehicle or RSU id; a parking lot's id in the last two octets; the RSU of
    /// a payment message).
    pub sender: [u8; 8],
    /// Whether it addresses the ego: an RSC guidance for the ego's id, a VIR request naming
    /// the ego as target vehicle, a PAM guidance for the ego, a CLPMM listing the ego, a VPM
    /// command addressed to the ego.
    pub for_ego: bool,
}

/// What the latest sensor-sharing message (SSM) of a sender shared, so that a report of it can
/// say what it carried (the objects themselves go to the fusion core, its events to the RSI
/// store).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sharing {
    /// The sender (vehicle or RSU id).
    pub sender: [u8; 8],
    /// When it was received.
    pub received: Timestamp,
    /// Detected traffic participants it listed.
    pub participants: u16,
    /// Detected obstacles it listed.
    pub obstacles: u16,
    /// Traffic events it listed.
    pub events: u16,
}

impl Entry for Sharing {
    type Key = [u8; 8];
    fn key(&self) -> [u8; 8] {
        self.sender
    }
    fn received(&self) -> Timestamp {
        self.received
    }
}

/// Limits of the Day II stores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DayIILimits {
    /// Entries per service store (RSUs, senders, lots, payment stations).
    pub max_entries: usize,
    /// An entry not refreshed for this long is dropped, ms.
    pub max_age_ms: i64,
}

/// The Day II stores. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct DayIIStore {
    /// Roadside coordination.
    pub coordination: CoordinationStore,
    /// Intentions and requests of other vehicles.
    pub requests: RequestStore,
    /// Parking lots.
    pub parking: ParkingStore,
    /// Platoon reports.
    pub platoons: PlatoonStore,
    /// Payment offers and commands.
    pub payment: PaymentStore,
    /// What each sender's latest sensor-sharing message listed (not counted in
    /// [`DayIIStore::len`]: its content lives in the fusion core and the RSI store).
    pub sharing: Bounded<Sharing>,
}

impl DayIIStore {
    /// Empty stores with `limits`.
    pub fn new(limits: DayIILimits) -> Self {
        let (n, age) = (limits.max_entries, limits.max_age_ms);
        DayIIStore {
            coordination: CoordinationStore::new(n, age),
            requests: RequestStore::new(n, age),
            parking: ParkingStore::new(n, age),
            platoons: PlatoonStore::new(n, age),
            payment: PaymentStore::new(n, age),
            sharing: Bounded::new(n, age),
        }
    }

    /// Entries over all services.
    pub fn len(&self) -> usize {
        self.coordination.entries().len()
            + self.requests.entries().len()
            + self.parking.lots().len()
            + self.platoons.reports().len()
            + self.payment.len()
    }

    /// Whether every store is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What the stores did, summed.
    pub fn counters(&self) -> StoreCounters {
        self.coordination
            .counters()
            .add(self.requests.counters())
            .add(self.parking.counters())
            .add(self.platoons.counters())
            .add(&self.payment.counters())
    }

    /// Drops what was not refreshed in time.
    pub fn expire(&mut self, now: Timestamp) {
        self.coordination.expire(now);
        self.requests.expire(now);
        self.parking.expire(now);
        self.platoons.expire(now);
        self.payment.expire(now);
        self.sharing.expire(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_bits_and_links() {
        let b = Behavior(Behavior::RAMP_IN.0 | Behavior::SLOW_DOWN.0);
        assert!(b.contains(Behavior::RAMP_IN));
        assert!(b.intersects(Behavior::LANE_MOVES));
        assert!(!b.contains(Behavior::STOP));
        assert_eq!(Behavior::from_name("ramp_in"), Some(Behavior::RAMP_IN));
        assert_eq!(Behavior::from_name("ramp-in"), None);
        let l = LinkRef {
            upstream: (0, 1),
            downstream: (0, 2),
            lanes: 1 << 2,
        };
        assert!(l.has_lane(2) && !l.has_lane(1) && !l.has_lane(200));
        assert_eq!(l.single_lane(), Some(2));
        let all = LinkRef { lanes: 0, ..l };
        assert!(all.has_lane(7));
        assert_eq!(all.single_lane(), None);
    }
}
