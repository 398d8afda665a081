//! Road-side information: the RSI store (traffic events RTE and traffic signs RTS, also the
//! events an SSM carries) and the Day II message store (RSC, VIR, PAM, CLPMM, SSM summaries).
//!
//! Each RSI item is kept in a local ENU frame anchored at the message's `refPos`, with its
//! position, radius, reference paths and validity window (`timeDetails` start/end minute of the
//! year, resolved near the receive time). An item not refreshed for [`RsiStore::ttl_ms`] is
//! dropped (default 5 s); an item whose end time has passed is inactive. The store holds at most
//! `max_items` items: when full, the least recently received item is evicted and counted.
use alloc::vec::Vec;

use crate::apps::mapmatch::{IntersectionKey, StoreCounters, node_key};
use crate::fusion::adapt::{offset_position_deg, position_deg};
use crate::geo::{EnuFrame, Wgs84};
use crate::msg::v2020 as m;
use crate::time::{DSecond, MinuteOfYear, Timestamp, resolve_minute_of_year};

/// A reference path of an RSI item, in the item's local frame.
#[derive(Debug, Clone, PartialEq)]
pub struct RefPath {
    /// Points, in driving order.
    pub points: Vec<[f64; 2]>,
    /// Half-width of the path, m.
    pub radius_m: f64,
}

/// Whether an item is a traffic event or a traffic sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoadInfoKind {
    /// A road traffic event (RTE; GB/T 29100 event type).
    Event,
    /// A road traffic sign (RTS; GB 5768 sign type).
    Sign,
}

/// One RSI event or sign.
#[derive(Debug, Clone)]
pub struct RoadInfo {
    /// The sender (RSU or vehicle id).
    pub sender: [u8; 8],
    /// Event or sign.
    pub kind: RoadInfoKind,
    /// `rteId` / `rtsId`.
    pub item_id: u8,
    /// Event type or sign type.
    pub code: u16,
    /// Local frame (anchored at the message's `refPos`).
    pub frame: EnuFrame,
    /// Position in the local frame (the reference position when the item has none).
    pub position: [f64; 2],
    /// Event radius, m.
    pub radius_m: Option<f64>,
    /// Reference paths (at most 8).
    pub paths: Vec<RefPath>,
    /// Reference links (upstream, downstream) (at most 16).
    pub links: Vec<(IntersectionKey, IntersectionKey)>,
    /// Valid from.
    pub start: Option<Timestamp>,
    /// Valid until.
    pub end: Option<Timestamp>,
    /// Priority (0..=7, higher is more urgent), when given.
    pub priority: Option<u8>,
    /// When last received.
    pub received: Timestamp,
}

impl RoadInfo {
    /// Whether the item's validity window contains `now`.
    pub fn active(&self, now: Timestamp) -> bool {
        self.start.is_none_or(|s| s <= now) && self.end.is_none_or(|e| now < e)
    }

    /// The item's position in WGS-84.
    pub fn position_wgs84(&self) -> Wgs84 {
        self.frame.wgs84_from_enu(&nalgebra::Vector3::new(
            self.position[0],
            self.position[1],
            0.0,
        ))
    }
}

/// The RSI store. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct RsiStore {
    items: Vec<RoadInfo>,
    max_items: usize,
    /// Items not refreshed for this long are dropped, ms.
    pub ttl_ms: i64,
    counters: StoreCounters,
}

fn moy_time(moy: Option<u32>, now: Timestamp) -> Option<Timestamp> {
    let moy = MinuteOfYear::new(moy?).ok()?;
    resolve_minute_of_year(moy, DSecond::new(0).ok()?, now).ok()
}

struct Parts<'a> {
    pos: Option<&'a m::PositionOffsetLLV>,
    radius: Option<u16>,
    time: Option<&'a m::RSITimeDetails>,
    priority: Option<&'a [u8; 1]>,
    paths: Option<&'a m::ReferencePathList>,
    links: Option<&'a m::ReferenceLinkList>,
}

impl RsiStore {
    /// An empty store.
    pub fn new(max_items: usize, ttl_ms: i64) -> Self {
        RsiStore {
            items: Vec::with_capacity(max_items.min(1024)),
            max_items: max_items.max(1),
            ttl_ms,
            counters: StoreCounters::default(),
        }
    }

    /// Counters.
    pub fn counters(&self) -> &StoreCounters {
        &self.counters
    }

    /// The items.
    pub fn items(&self) -> &[RoadInfo] {
        &self.items
    }

    /// Drops items not refreshed within the time to live.
    pub fn expire(&mut self, now: Timestamp) {
        let before = self.items.len();
        let ttl = self.ttl_ms.saturating_mul(1000);
        self.items.retain(|i| now.micros_since(i.received) <= ttl);
        self.counters.expired += (before - self.items.len()) as u64;
    }

    /// Stores the events and signs of an RSI; returns how many.
    pub fn insert_rsi(&mut self, rsi: &m::RoadSideInformation, now: Timestamp) -> usize {
        let mut n = self.insert_rtes(rsi.id, &rsi.ref_pos, rsi.rtes.as_deref(), now);
        for s in rsi.rtss.iter().flatten() {
            n += usize::from(self.insert_item(
                rsi.id,
                &rsi.ref_pos,
                RoadInfoKind::Sign,
                s.rts_id,
                s.sign_type,
                Parts {
                    pos: s.sign_pos.as_ref(),
                    radius: None,
                    time: s.time_details.as_ref(),
                    priority: s.priority.as_ref(),
                    paths: s.reference_paths.as_ref(),
                    links: s.reference_links.as_ref(),
                },
                now,
            ));
        }
        n
    }

    /// Stores the traffic events an SSM carries; returns how many.
    pub fn insert_ssm_events(&mut self, ssm: &m::SensorSharingMsg, now: Timestamp) -> usize {
        self.insert_rtes(ssm.id, &ssm.sensor_pos, ssm.rtes.as_deref(), now)
    }

    fn insert_rtes(
        &mut self,
        sender: [u8; 8],
        reference: &m::Position3D,
        rtes: Option<&[m::RTEData]>,
        now: Timestamp,
    ) -> usize {
        let mut n = 0;
        for e in rtes.unwrap_or(&[]) {
            n += usize::from(self.insert_item(
                sender,
                reference,
                RoadInfoKind::Event,
                e.rte_id,
                e.event_type,
                Parts {
                    pos: e.event_pos.as_ref(),
                    radius: e.event_radius,
                    time: e.time_details.as_ref(),
                    priority: e.priority.as_ref(),
                    paths: e.reference_paths.as_ref(),
                    links: e.reference_links.as_ref(),
                },
                now,
            ));
        }
        n
    }

    #[allow(clippy::too_many_arguments)]
    fn insert_item(
        &mut self,
        sender: [u8; 8],
        reference: &m::Position3D,
        kind: RoadInfoKind,
        item_id: u8,
        code: u16,
        p: Parts<'_>,
        now: Timestamp,
    ) -> bool {
        let Some((lat, lon)) = position_deg(reference) else {
            self.counters.rejected += 1;
            return false;
        };
        let Ok(frame) = EnuFrame::new(Wgs84::new(lat, lon, 0.0)) else {
            self.counters.rejected += 1;
            return false;
        };
        let local = |o: &m::PositionOffsetLLV| -> Option<[f64; 2]> {
            let (la, lo) = offset_position_deg(reference, o)?;
            let e = frame.enu_from_wgs84(&Wgs84::new(la, lo, 0.0)).ok()?;
            Some([e.x, e.y])
        };
        let position = p.pos.and_then(local).unwrap_or([0.0, 0.0]);
        let paths = p
            .paths
            .iter()
            .flat_map(|l| l.iter())
            .take(8)
            .map(|rp| RefPath {
                points: rp.active_path.iter().take(32).filter_map(local).collect(),
                radius_m: f64::from(rp.path_radius) * 0.1,
            })
            .filter(|rp| !rp.points.is_empty())
            .collect();
        let links = p
            .links
            .iter()
            .flat_map(|l| l.iter())
            .take(16)
            .map(|l| {
                (
                    node_key(&l.upstream_node_id),
                    node_key(&l.downstream_node_id),
                )
            })
            .collect();
        let item = RoadInfo {
            sender,
            kind,
            item_id,
            code,
            frame,
            position,
            radius_m: p.radius.map(|r| f64::from(r) * 0.1),
            paths,
            links,
            start: p.time.and_then(|t| moy_time(t.start_time, now)),
            end: p.time.and_then(|t| moy_time(t.end_time, now)),
            priority: p.priority.map(|b| b[0] >> 5),
            received: now,
        };
        self.counters.stored += 1;
        let key = |i: &RoadInfo| (i.sender, i.kind, i.item_id);
        let k = key(&item);
        if let Some(slot) = self.items.iter_mut().find(|i| key(i) == k) {
            *slot = item;
            return true;
        }
        if self.items.len() >= self.max_items {
            if let Some((idx, _)) = self
                .items
                .iter()
                .enumerate()
                .min_by_key(|(_, i)| i.received)
            {
                self.items.swap_remove(idx);
                self.counters.evicted += 1;
            }
        }
        self.items.push(item);
        true
    }
}

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
                .and_then(crate::fusion::adapt::speed_mps),
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

/// The latest Day II events per (kind, sender), bounded.
#[derive(Debug, Clone)]
pub struct DayIIStore {
    items: Vec<(u8, [u8; 8], Timestamp, DayIIEvent)>,
    max_items: usize,
    counters: StoreCounters,
}

impl DayIIStore {
    /// An empty store for at most `max_items` senders.
    pub fn new(max_items: usize) -> Self {
        DayIIStore {
            items: Vec::with_capacity(max_items.min(1024)),
            max_items: max_items.max(1),
            counters: StoreCounters::default(),
        }
    }

    /// Counters.
    pub fn counters(&self) -> &StoreCounters {
        &self.counters
    }

    /// The latest event of each (kind, sender) with its receive time.
    pub fn latest(&self) -> impl Iterator<Item = (Timestamp, &DayIIEvent)> {
        self.items.iter().map(|(_, _, t, e)| (*t, e))
    }

    /// Drops entries older than `max_age_ms`.
    pub fn expire(&mut self, now: Timestamp, max_age_ms: i64) {
        let before = self.items.len();
        self.items
            .retain(|i| now.micros_since(i.2) <= max_age_ms.saturating_mul(1000));
        self.counters.expired += (before - self.items.len()) as u64;
    }

    /// Stores an event received at `now` from `sender`.
    pub fn insert(&mut self, sender: [u8; 8], ev: DayIIEvent, now: Timestamp) {
        let kind = match ev {
            DayIIEvent::Coordination { .. } => 0,
            DayIIEvent::Intention { .. } => 1,
            DayIIEvent::Parking { .. } => 2,
            DayIIEvent::Platoon { .. } => 3,
            DayIIEvent::SensorSharing { .. } => 4,
        };
        self.counters.stored += 1;
        if let Some(slot) = self.items.iter_mut().find(|i| i.0 == kind && i.1 == sender) {
            *slot = (kind, sender, now, ev);
            return;
        }
        if self.items.len() >= self.max_items {
            if let Some((idx, _)) = self.items.iter().enumerate().min_by_key(|(_, i)| i.2) {
                self.items.swap_remove(idx);
                self.counters.evicted += 1;
            }
        }
        self.items.push((kind, sender, now, ev));
    }
}
