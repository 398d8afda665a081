//! Vehicle intentions and requests (VIR) of the vehicles around the ego, per sender: where it
//! is, its planned path and behaviour, and its requests (lane change, clear the way, signal
//! priority, sensor data, parking), each with its state and validity.
//!
//! A request is an answer when it names the ego as its target vehicle: the applications match
//! its `reqID` and state against the requests the ego sent.
use alloc::vec::Vec;

use super::super::convert::day2 as cv;
use super::super::map::{IntersectionKey, Turn};
use super::super::store::{Bounded, Entry, StoreCounters};
use super::{Behavior, GuidePoint, LinkRef, ParkingKinds, ParkingServices, RefPath};
use crate::geo::Wgs84;
use crate::msg::v2020 as m;
use crate::time::Timestamp;

/// The state of a request (`ReqStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestStatus {
    /// Unknown (or an extension value).
    Unknown,
    /// Requested.
    Request,
    /// Confirmed by the addressee.
    Confirmed,
    /// Cancelled (or refused).
    Cancel,
    /// Completed.
    Complete,
}

impl RequestStatus {
    /// Lower-case name (`request`, `confirmed`, …).
    pub fn name(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::Request => "request",
            Self::Confirmed => "confirmed",
            Self::Cancel => "cancel",
            Self::Complete => "complete",
        }
    }
}

/// What a request asks for (`ReqInfo`).
#[derive(Debug, Clone, PartialEq)]
pub enum RequestKind {
    /// Let the vehicle change into `lane` of `link`.
    LaneChange {
        /// The link.
        link: LinkRef,
        /// The lane the vehicle wants to enter.
        lane: u8,
    },
    /// Clear `lane` of `link` (optionally along `path` and within a time window).
    ClearTheWay {
        /// The link.
        link: LinkRef,
        /// The lane to clear.
        lane: u8,
        /// The path to clear.
        path: Option<RefPath>,
        /// Start of the window.
        begin: Option<Timestamp>,
        /// End of the window.
        end: Option<Timestamp>,
    },
    /// Signal priority for a movement at an intersection.
    SignalPriority {
        /// The intersection.
        intersection: IntersectionKey,
        /// The intersection the movement leads to.
        towards: IntersectionKey,
        /// The signal phase of the movement.
        phase: Option<u8>,
        /// The turn.
        turn: Option<Turn>,
        /// Time until arrival, s.
        eta_s: Option<f64>,
        /// Distance to the intersection, m.
        distance_m: Option<f64>,
    },
    /// Sensor data of the areas along the paths.
    SensorSharing {
        /// The paths (at most 8).
        paths: Vec<RefPath>,
    },
    /// Parking.
    Parking {
        /// `BasicVehicleClass` of the requester.
        vehicle_class: u8,
        /// The services asked for.
        services: ParkingServices,
        /// The kind of space wanted.
        kinds: Option<ParkingKinds>,
        /// The preferred space.
        slot: Option<u16>,
    },
    /// An alternative this version does not know.
    Other,
}

/// One request (`DriveRequest`).
#[derive(Debug, Clone, PartialEq)]
pub struct DriveRequest {
    /// The requester's local request number.
    pub id: u8,
    /// Its state.
    pub status: RequestStatus,
    /// Priority (0..=255, higher is more urgent), when given.
    pub priority: Option<u8>,
    /// The vehicle addressed.
    pub target_vehicle: Option<[u8; 8]>,
    /// The roadside unit addressed.
    pub target_rsu: Option<[u8; 8]>,
    /// What is requested (`None` when the request does not say).
    pub kind: Option<RequestKind>,
    /// When it stops holding (the message time plus `lifeTime`).
    pub valid_until: Option<Timestamp>,
}

impl DriveRequest {
    /// Whether it still holds at `now` (no end given: it holds while refreshed).
    pub fn active(&self, now: Timestamp) -> bool {
        self.valid_until.is_none_or(|t| now < t)
    }
}

/// One vehicle's latest VIR.
#[derive(Debug, Clone, PartialEq)]
pub struct Intention {
    /// The sender's temporary id.
    pub sender: [u8; 8],
    /// When received.
    pub received: Timestamp,
    /// When sent.
    pub sent: Timestamp,
    /// Where it is (`currentPos`, else the reference position).
    pub position: Option<Wgs84>,
    /// Its heading, degrees (CSAE).
    pub heading_deg: Option<f64>,
    /// Its speed, m/s.
    pub speed_mps: Option<f64>,
    /// Its planned path (at most 100 points).
    pub path: Vec<GuidePoint>,
    /// Its current behaviour.
    pub behavior: Option<Behavior>,
    /// Its requests (at most 8).
    pub requests: Vec<DriveRequest>,
}

impl Entry for Intention {
    type Key = [u8; 8];
    fn key(&self) -> [u8; 8] {
        self.sender
    }
    fn received(&self) -> Timestamp {
        self.received
    }
}

/// The VIR store, one entry per sender.
#[derive(Debug, Clone)]
pub struct RequestStore {
    items: Bounded<Intention>,
}

impl RequestStore {
    /// An empty store of at most `max` senders, each dropped `max_age_ms` after its last
    /// message.
    pub fn new(max: usize, max_age_ms: i64) -> Self {
        RequestStore {
            items: Bounded::new(max, max_age_ms),
        }
    }

    /// Stores a VIR received at `now`. Returns whether a request names `ego` as its target.
    pub fn insert(
        &mut self,
        vir: &m::VehIntentionAndRequest,
        now: Timestamp,
        ego: Option<[u8; 8]>,
    ) -> bool {
        let (i, truncated) = cv::intention(vir, now);
        let for_ego = ego.is_some() && i.requests.iter().any(|r| r.target_vehicle == ego);
        self.items.truncated(truncated);
        self.items.upsert(i);
        for_ego
    }

    /// The latest message of each sender.
    pub fn entries(&self) -> &[Intention] {
        self.items.items()
    }

    /// Drops the senders not heard from in time.
    pub fn expire(&mut self, now: Timestamp) {
        self.items.expire(now);
    }

    /// What the store did.
    pub fn counters(&self) -> &StoreCounters {
        self.items.counters()
    }
}
