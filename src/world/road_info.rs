//! The road-side information store: traffic events (RTE) and traffic signs (RTS) of RSI
//! messages, and the traffic events an SSM carries.
//!
//! Each item is kept in a local ENU frame anchored at the message's `refPos`, with its
//! type code, description and the value it states (the first number of the description: a
//! posted speed limit, a height limit, …), position, radius, reference paths and validity window (`timeDetails` start/end minute of the
//! year, resolved near the receive time). An item not refreshed for the store's time to live is
//! dropped (default 5 s); an item whose end time has passed is inactive. Bounded like every world
//! store ([`Bounded`]): when full, the least recently received item is evicted and counted.
use alloc::string::String;
use alloc::vec::Vec;

use super::convert::day2::{description_value, text};
use super::convert::{offset_position_deg, position_deg};
use super::map::{IntersectionKey, node_key};
use super::store::{Bounded, Entry, StoreCounters};
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
    /// The description, when it is ASCII text (at most 512 characters).
    pub description: Option<String>,
    /// The first number of the description (ASCII or GB2312 text): the value the item states,
    /// for example the limit of a speed limit sign in km/h.
    pub value: Option<f64>,
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
    items: Bounded<RoadInfo>,
}

impl Entry for RoadInfo {
    type Key = ([u8; 8], RoadInfoKind, u8);
    fn key(&self) -> Self::Key {
        (self.sender, self.kind, self.item_id)
    }
    fn received(&self) -> Timestamp {
        self.received
    }
}

fn moy_time(moy: Option<u32>, now: Timestamp) -> Option<Timestamp> {
    let moy = MinuteOfYear::new(moy?).ok()?;
    resolve_minute_of_year(moy, DSecond::new(0).ok()?, now).ok()
}

struct Parts<'a> {
    pos: Option<&'a m::PositionOffsetLLV>,
    description: Option<&'a m::Description>,
    radius: Option<u16>,
    time: Option<&'a m::RSITimeDetails>,
    priority: Option<&'a [u8; 1]>,
    paths: Option<&'a m::ReferencePathList>,
    links: Option<&'a m::ReferenceLinkList>,
}

impl RsiStore {
    /// An empty store of at most `max_items` items, each dropped when not refreshed for
    /// `ttl_ms`.
    pub fn new(max_items: usize, ttl_ms: i64) -> Self {
        RsiStore {
            items: Bounded::new(max_items, ttl_ms),
        }
    }

    /// What the store did.
    pub fn counters(&self) -> &StoreCounters {
        self.items.counters()
    }

    /// The items.
    pub fn items(&self) -> &[RoadInfo] {
        self.items.items()
    }

    /// Drops the items not refreshed in time.
    pub fn expire(&mut self, now: Timestamp) {
        self.items.expire(now);
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
                    description: s.description.as_ref(),
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
                    description: e.description.as_ref(),
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
            self.items.reject();
            return false;
        };
        let Ok(frame) = EnuFrame::new(Wgs84::new(lat, lon, 0.0)) else {
            self.items.reject();
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
            description: p.description.and_then(text),
            value: p.description.and_then(description_value),
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
        self.items.upsert(item);
        true
    }
}
