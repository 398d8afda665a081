//! The Day II store: the latest T/CSAE 157-2020 guidance per kind and sender (RSC, VIR, PAM,
//! CLPMM, SSM), summarised as [`DayIIEvent`]s, bounded and expiring like every world store
//! ([`Bounded`]).
use super::convert::speed_mps;
use super::store::{Bounded, Entry, StoreCounters};
use crate::msg::v2020 as m;
use crate::time::Timestamp;

/// Platooning role (CLPMM).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlatoonRole {
    /// Leader.
    Leader,
    /// Follower.
    Follower,
    /// Tail.
    Tail,
    /// Not in a platoon.
    Free,
    /// Another value.
    Other,
}

/// What a Day II message told the vehicle (raised as an event when received).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DayIIEvent {
    /// Roadside coordination (RSC): driving suggestions for vehicles and lanes (cooperative
    /// merging, lane guidance).
    Coordination {
        /// The RSU.
        sender: [u8; 8],
        /// Whether a suggestion addresses the ego by id.
        for_ego: bool,
        /// Vehicle coordinations.
        vehicles: u16,
        /// Lane coordinations.
        lanes: u16,
        /// Recommended speed of the first lane coordination, m/s.
        recommended_speed_mps: Option<f64>,
    },
    /// A vehicle's intention and requests (VIR).
    Intention {
        /// The vehicle.
        sender: [u8; 8],
        /// Requests.
        requests: u16,
        /// Whether a request names the ego as its target vehicle.
        targets_ego: bool,
        /// Planned path points.
        path_points: u16,
    },
    /// Parking area information (PAM).
    Parking {
        /// Parking lot id.
        lot_id: Option<u16>,
        /// Slots reported available.
        slots_available: u16,
        /// Slots reported.
        slots: u16,
        /// Whether a guidance entry names the ego.
        guidance_for_ego: bool,
    },
    /// Platooning management (CLPMM).
    Platoon {
        /// The vehicle.
        sender: [u8; 8],
        /// Its role.
        role: PlatoonRole,
        /// Members listed by a leader.
        members: u16,
        /// Whether the platoon accepts joining vehicles.
        open_to_join: bool,
        /// Whether the ego is listed as a member.
        ego_member: bool,
    },
    /// Sensor sharing (SSM): how much the message carried.
    SensorSharing {
        /// The sender.
        sender: [u8; 8],
        /// Detected participants.
        participants: u16,
        /// Detected obstacles.
        obstacles: u16,
        /// Traffic events.
        events: u16,
    },
}

fn n16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

impl DayIIEvent {
    /// The event of an RSC.
    pub fn from_rsc(r: &m::RoadsideCoordination, ego: Option<[u8; 8]>) -> Self {
        DayIIEvent::Coordination {
            sender: r.id,
            for_ego: r
                .coordinates
                .iter()
                .flatten()
                .any(|c| Some(c.veh_id) == ego),
            vehicles: n16(r.coordinates.as_ref().map_or(0, |c| c.len())),
            lanes: n16(r.lane_coordinates.as_ref().map_or(0, |c| c.len())),
            recommended_speed_mps: r
                .lane_coordinates
                .iter()
                .flatten()
                .find_map(|l| l.recommended_speed)
                .and_then(speed_mps),
        }
    }

    /// The event of a VIR.
    pub fn from_vir(v: &m::VehIntentionAndRequest, ego: Option<[u8; 8]>) -> Self {
        let reqs = v.int_and_req.reqs.as_deref().unwrap_or(&[]);
        DayIIEvent::Intention {
            sender: v.id,
            requests: n16(reqs.len()),
            targets_ego: ego.is_some() && reqs.iter().any(|r| r.target_veh == ego),
            path_points: n16(v.int_and_req.path_planning.as_ref().map_or(0, |p| p.len())),
        }
    }

    /// The event of a PAM.
    pub fn from_pam(p: &m::PAMData, ego: Option<[u8; 8]>) -> Self {
        let slots = p
            .pam_nodes
            .iter()
            .flat_map(|n| n.in_drives.iter().flatten())
            .flat_map(|d| d.parking_slots.iter().flatten());
        let (mut total, mut free) = (0usize, 0usize);
        for s in slots {
            total += 1;
            if s.status == m::SlotStatus::Available {
                free += 1;
            }
        }
        DayIIEvent::Parking {
            lot_id: p.parking_lot_info.id,
            slots_available: n16(free),
            slots: n16(total),
            guidance_for_ego: p
                .parking_area_guidance
                .iter()
                .flatten()
                .any(|g| Some(g.veh_id) == ego),
        }
    }

    /// The event of a CLPMM.
    pub fn from_clpmm(c: &m::CLPMM, ego: Option<[u8; 8]>) -> Self {
        let role = match c.role {
            m::RoleInPlatooning::Leader => PlatoonRole::Leader,
            m::RoleInPlatooning::Follower => PlatoonRole::Follower,
            m::RoleInPlatooning::Tail => PlatoonRole::Tail,
            m::RoleInPlatooning::FreeVehicle => PlatoonRole::Free,
            m::RoleInPlatooning::UnknownExt(_) => PlatoonRole::Other,
        };
        let lead = c.leading_ext.as_ref();
        DayIIEvent::Platoon {
            sender: c.id,
            role,
            members: n16(lead.map_or(0, |l| l.member_list.len())),
            open_to_join: lead.is_some_and(|l| l.open_to_join),
            ego_member: lead.is_some_and(|l| l.member_list.iter().any(|mm| Some(mm.vid) == ego)),
        }
    }

    /// The event of an SSM.
    pub fn from_ssm(s: &m::SensorSharingMsg) -> Self {
        DayIIEvent::SensorSharing {
            sender: s.id,
            participants: n16(s.participants.as_ref().map_or(0, |p| p.len())),
            obstacles: n16(s.obstacles.as_ref().map_or(0, |p| p.len())),
            events: n16(s.rtes.as_ref().map_or(0, |p| p.len())),
        }
    }
}

/// One stored Day II event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DayIIEntry {
    /// The sender (vehicle or RSU id; a parking lot's id in the last two octets).
    pub sender: [u8; 8],
    /// When it was received.
    pub received: Timestamp,
    /// What it said.
    pub event: DayIIEvent,
}

impl DayIIEvent {
    /// The kind of event, as a small number (one entry per kind and sender is kept).
    fn kind(&self) -> u8 {
        match self {
            DayIIEvent::Coordination { .. } => 0,
            DayIIEvent::Intention { .. } => 1,
            DayIIEvent::Parking { .. } => 2,
            DayIIEvent::Platoon { .. } => 3,
            DayIIEvent::SensorSharing { .. } => 4,
        }
    }
}

impl Entry for DayIIEntry {
    type Key = (u8, [u8; 8]);
    fn key(&self) -> Self::Key {
        (self.event.kind(), self.sender)
    }
    fn received(&self) -> Timestamp {
        self.received
    }
}

/// The latest Day II events per (kind, sender), bounded.
#[derive(Debug, Clone)]
pub struct DayIIStore {
    items: Bounded<DayIIEntry>,
}

impl DayIIStore {
    /// An empty store for at most `max_items` (kind, sender) entries, each dropped when older
    /// than `max_age_ms`.
    pub fn new(max_items: usize, max_age_ms: i64) -> Self {
        DayIIStore {
            items: Bounded::new(max_items, max_age_ms),
        }
    }

    /// What the store did.
    pub fn counters(&self) -> &StoreCounters {
        self.items.counters()
    }

    /// The latest event of each (kind, sender).
    pub fn entries(&self) -> &[DayIIEntry] {
        self.items.items()
    }

    /// Drops the entries older than the maximum age.
    pub fn expire(&mut self, now: Timestamp) {
        self.items.expire(now);
    }

    /// Stores an event received at `now` from `sender`.
    pub fn insert(&mut self, sender: [u8; 8], event: DayIIEvent, now: Timestamp) {
        self.items.upsert(DayIIEntry {
            sender,
            received: now,
            event,
        });
    }
}
