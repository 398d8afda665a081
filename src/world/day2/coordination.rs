//! Roadside coordination (RSC): per roadside unit, the guidance it gives the ego (matched by
//! the ego's temporary id) and the guidance it gives lanes.
//!
//! A `VehicleCoordination` for another vehicle is counted, never kept: the applications only
//! act on what addresses the ego. A `LaneCoordination` is kept whatever lane it names; the
//! applications decide whether the ego is in it (its link and lanes against the matched MAP
//! lane, or its related path against the ego's position).
use alloc::string::String;
use alloc::vec::Vec;

use super::super::convert::day2 as cv;
use super::super::store::{Bounded, Entry, StoreCounters};
use super::{Behavior, CoordinationKinds, GuidePoint, LinkRef, RefPath};
use crate::geo::Wgs84;
use crate::msg::v2020 as m;
use crate::time::Timestamp;

/// The guidance of one roadside unit for the ego (`VehicleCoordination`).
#[derive(Debug, Clone, PartialEq)]
pub struct VehicleGuidance {
    /// Suggested behaviour (`driveSuggestion.suggestion`).
    pub behavior: Option<Behavior>,
    /// When the suggestion stops holding (the message time plus `lifeTime`).
    pub valid_until: Option<Timestamp>,
    /// The link (and lanes) the suggestion applies to.
    pub link: Option<LinkRef>,
    /// The path the suggestion applies to.
    pub related_path: Option<RefPath>,
    /// The path the ego should follow (`pathGuidance`, at most 100 points).
    pub path: Vec<GuidePoint>,
    /// The services the guidance belongs to (of every coordination of the message for the
    /// ego; the rest of the guidance is the first one's).
    pub kinds: Option<CoordinationKinds>,
}

/// The guidance of one roadside unit for a lane (`LaneCoordination`).
#[derive(Debug, Clone, PartialEq)]
pub struct LaneGuidance {
    /// The link and lanes it applies to.
    pub link: LinkRef,
    /// The path it applies to.
    pub related_path: Option<RefPath>,
    /// Start of the guidance.
    pub begin: Option<Timestamp>,
    /// End of the guidance.
    pub end: Option<Timestamp>,
    /// Recommended speed, m/s.
    pub speed_mps: Option<f64>,
    /// Recommended behaviour.
    pub behavior: Option<Behavior>,
    /// The services it belongs to.
    pub kinds: Option<CoordinationKinds>,
    /// Free text (ASCII text as it is; GB2312 text is not kept).
    pub description: Option<String>,
}

impl LaneGuidance {
    /// Whether `now` lies within the guidance's time window (open ends hold).
    pub fn active(&self, now: Timestamp) -> bool {
        self.begin.is_none_or(|b| b <= now) && self.end.is_none_or(|e| now < e)
    }
}

/// What one roadside unit's latest RSC said.
#[derive(Debug, Clone, PartialEq)]
pub struct Coordination {
    /// The roadside unit.
    pub rsu: [u8; 8],
    /// When received.
    pub received: Timestamp,
    /// When sent (`secMark` resolved near the receive time).
    pub sent: Timestamp,
    /// The message's reference position.
    pub position: Option<Wgs84>,
    /// The guidance for the ego, when the message has one.
    pub for_ego: Option<VehicleGuidance>,
    /// Vehicle coordinations the message carried (for any vehicle).
    pub vehicles: u16,
    /// Lane guidance (at most 8).
    pub lanes: Vec<LaneGuidance>,
}

impl Entry for Coordination {
    type Key = [u8; 8];
    fn key(&self) -> [u8; 8] {
        self.rsu
    }
    fn received(&self) -> Timestamp {
        self.received
    }
}

/// The RSC store, one entry per roadside unit.
#[derive(Debug, Clone)]
pub struct CoordinationStore {
    items: Bounded<Coordination>,
}

impl CoordinationStore {
    /// An empty store of at most `max` roadside units, each dropped `max_age_ms` after its
    /// last message.
    pub fn new(max: usize, max_age_ms: i64) -> Self {
        CoordinationStore {
            items: Bounded::new(max, max_age_ms),
        }
    }

    /// Stores an RSC received at `now`; `ego` is the ego's temporary id. Returns whether it
    /// carries guidance for the ego.
    pub fn insert(
        &mut self,
        rsc: &m::RoadsideCoordination,
        now: Timestamp,
        ego: Option<[u8; 8]>,
    ) -> bool {
        let (c, truncated) = cv::coordination(rsc, now, ego);
        let for_ego = c.for_ego.is_some();
        self.items.truncated(truncated);
        self.items.upsert(c);
        for_ego
    }

    /// The latest message of each roadside unit.
    pub fn entries(&self) -> &[Coordination] {
        self.items.items()
    }

    /// Drops the units not heard from in time.
    pub fn expire(&mut self, now: Timestamp) {
        self.items.expire(now);
    }

    /// What the store did.
    pub fn counters(&self) -> &StoreCounters {
        self.items.counters()
    }
}
