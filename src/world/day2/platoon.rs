//! Platooning management (CLPMM): per sender, the platoon it belongs to (or asks to join),
//! its role and state, and, from a leader, the member lists (current members in platoon
//! order, vehicles joining and leaving), the capacity and whether it admits new members.
use alloc::vec::Vec;

use super::super::convert::day2 as cv;
use super::super::store::{Bounded, Entry, StoreCounters};
use crate::msg::v2020 as m;
use crate::time::Timestamp;

/// A platoon id (`pid`, 17 octets).
pub type PlatoonId = [u8; 17];

/// Role of a vehicle in a platoon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlatoonRole {
    /// Leads the platoon.
    Leader,
    /// Member following the leader.
    Follower,
    /// Last member.
    Tail,
    /// Not in a platoon.
    Free,
    /// An extension value.
    Other,
}

impl PlatoonRole {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Leader => "leader",
            Self::Follower => "follower",
            Self::Tail => "tail",
            Self::Free => "free",
            Self::Other => "other",
        }
    }
}

/// State of a vehicle in a platoon (`StatusInPlatooning`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlatoonStatus {
    /// Driving alone.
    Navigating,
    /// The platoon is being dissolved.
    Dismissing,
    /// Asking to join.
    AskForJoining,
    /// Joining.
    Joining,
    /// Driving in the platoon.
    Following,
    /// Asking to leave.
    AskForLeaving,
    /// Leaving.
    Leaving,
    /// An extension value.
    Other,
}

impl PlatoonStatus {
    /// Lower-case name (as scenarios write it).
    pub fn name(self) -> &'static str {
        match self {
            Self::Navigating => "navigating",
            Self::Dismissing => "dismissing",
            Self::AskForJoining => "ask_for_joining",
            Self::Joining => "joining",
            Self::Following => "following",
            Self::AskForLeaving => "ask_for_leaving",
            Self::Leaving => "leaving",
            Self::Other => "other",
        }
    }
}

/// The member lists a leader keeps (`MemberManagement`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Membership {
    /// Current members in platoon order (the leader first when it lists itself), at most 32.
    pub members: Vec<[u8; 8]>,
    /// Vehicles being admitted.
    pub joining: Vec<[u8; 8]>,
    /// Vehicles leaving.
    pub leaving: Vec<[u8; 8]>,
    /// Most members.
    pub capacity: u8,
    /// Whether new members are accepted.
    pub open: bool,
}

impl Membership {
    /// The position of `id` in the member list.
    pub fn index_of(&self, id: &[u8; 8]) -> Option<usize> {
        self.members.iter().position(|m| m == id)
    }

    /// Whether the platoon has room for one more member.
    pub fn has_room(&self) -> bool {
        self.members.len() + self.joining.len() < usize::from(self.capacity)
    }
}

/// One vehicle's latest CLPMM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatoonReport {
    /// The sender's temporary id.
    pub sender: [u8; 8],
    /// When received.
    pub received: Timestamp,
    /// The platoon.
    pub platoon: PlatoonId,
    /// Role.
    pub role: PlatoonRole,
    /// State.
    pub status: PlatoonStatus,
    /// The member lists (from a leader).
    pub membership: Option<Membership>,
}

impl Entry for PlatoonReport {
    type Key = [u8; 8];
    fn key(&self) -> [u8; 8] {
        self.sender
    }
    fn received(&self) -> Timestamp {
        self.received
    }
}

/// The CLPMM store, one entry per sender.
#[derive(Debug, Clone)]
pub struct PlatoonStore {
    items: Bounded<PlatoonReport>,
}

impl PlatoonStore {
    /// An empty store of at most `max` senders, each dropped `max_age_ms` after its last
    /// message.
    pub fn new(max: usize, max_age_ms: i64) -> Self {
        PlatoonStore {
            items: Bounded::new(max, max_age_ms),
        }
    }

    /// Stores a CLPMM received at `now`. Returns whether its member lists name `ego`.
    pub fn insert(&mut self, c: &m::CLPMM, now: Timestamp, ego: Option<[u8; 8]>) -> bool {
        let r = cv::platoon_report(c, now);
        let for_ego = ego.is_some_and(|e| {
            r.membership.as_ref().is_some_and(|mm| {
                mm.members.contains(&e) || mm.joining.contains(&e) || mm.leaving.contains(&e)
            })
        });
        self.items.upsert(r);
        for_ego
    }

    /// The latest report of each sender.
    pub fn reports(&self) -> &[PlatoonReport] {
        self.items.items()
    }

    /// The latest report of `sender`.
    pub fn report(&self, sender: &[u8; 8]) -> Option<&PlatoonReport> {
        self.items.get(*sender)
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
