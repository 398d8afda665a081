//! What the vehicle knows of the road: the MAP, SPAT, RSI, Day II and vehicle-state stores,
//! lane matching, and all conversion between the wire types and SI units.
//!
//! | module | owns |
//! |---|---|
//! | [`store`] | the one expiry and limit discipline ([`Bounded`]) every store follows |
//! | [`map`] | MAP intersections and their incoming lanes ([`MapStore`]) |
//! | [`spat`] | signal phases with absolute timing ([`SpatStore`], [`Light`]) |
//! | [`lanes`] | matching the ego to an incoming lane ([`match_ego`], [`LaneMatch`]) |
//! | [`road_info`] | RSI traffic events and signs ([`RsiStore`]) |
//! | [`day2`] | the Day II cooperative services: roadside coordination, requests, parking, platoons, payment ([`DayIIStore`]) |
//! | [`vehicles`] | remote vehicles' reported flags ([`VehicleStore`]) |
//! | [`ego`] | the ego as the applications see it ([`Ego`]) |
//! | [`convert`] | wire ↔ SI units, messages → fusion observations |
//!
//! [`World`] holds the stores with one configuration ([`WorldConfig`]) and takes decoded
//! frames ([`World::take_frame`]): MAP, SPAT and RSI go to their stores, Day II messages (RSC,
//! VIR, PAM, CLPMM, VPM) to the typed stores of [`day2`], and the reports of road users (BSM, PSM, RSM, SSM) come back as observations for
//! the fusion core. Applications read the world, never the wire types.
use alloc::vec::Vec;

use crate::fusion::Observation;
use crate::msg::v2020 as m;
use crate::time::Timestamp;

pub mod convert;
pub mod day2;
pub mod ego;
pub mod lanes;
pub mod map;
pub mod road_info;
pub mod spat;
pub mod store;
pub mod vehicles;

pub use convert::AdaptError;
pub use day2::{DayIIEvent, DayIIService, DayIIStore, PlatoonRole};
pub use ego::{Ego, TurnSignal};
pub use lanes::{LaneMatch, MatchConfig, match_ego};
pub use map::{Intersection, IntersectionKey, LaneGeom, MapStore, Turn};
pub use road_info::{RoadInfo, RoadInfoKind, RsiStore};
pub use spat::{Light, PhaseTiming, SignalInput, SignalState, SpatStore, StateTiming};
pub use store::{Bounded, StoreCounters};
pub use vehicles::{VehicleFlags, VehicleStore};

/// Limits and ages of the world stores. `Default` works out of the box.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct WorldConfig {
    /// MAP intersections kept, and SPAT intersections kept (default 32).
    pub max_intersections: usize,
    /// Incoming lanes kept per intersection (default 128).
    pub max_lanes_per_intersection: usize,
    /// A MAP not refreshed for this long is dropped, ms (default 30 000).
    pub map_max_age_ms: i64,
    /// A SPAT not refreshed for this long is dropped from the store, ms (default 10 000; it is
    /// stale for the applications after [`MatchConfig::spat_max_age_ms`]).
    pub spat_keep_ms: i64,
    /// RSI events and signs kept (default 64).
    pub max_road_info: usize,
    /// An RSI item not refreshed for this long is dropped, ms (default 5000).
    pub road_info_ttl_ms: i64,
    /// Vehicles whose reported flags are kept (default 1024).
    pub max_vehicles: usize,
    /// A vehicle's flags not refreshed for this long are dropped, ms (default 2000).
    pub vehicle_max_age_ms: i64,
    /// Entries kept per Day II service (roadside units, vehicles, parking lots, payment
    /// stations; default 64).
    pub max_day2: usize,
    /// A Day II entry not refreshed for this long is dropped, ms (default 10 000).
    pub day2_max_age_ms: i64,
    /// Lane matching and SPAT staleness.
    pub matching: MatchConfig,
}

impl Default for WorldConfig {
    fn default() -> Self {
        WorldConfig {
            max_intersections: 32,
            max_lanes_per_intersection: 128,
            map_max_age_ms: 30_000,
            spat_keep_ms: 10_000,
            max_road_info: 64,
            road_info_ttl_ms: 5000,
            max_vehicles: 1024,
            vehicle_max_age_ms: 2000,
            max_day2: 64,
            day2_max_age_ms: 10_000,
            matching: MatchConfig::default(),
        }
    }
}

/// What a frame was, once taken into the world.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Ingested {
    /// A remote vehicle's BSM: one observation for fusion, flags stored.
    Bsm,
    /// A PSM: one observation for fusion.
    Psm,
    /// An RSM: its participants as observations for fusion.
    Rsm {
        /// Participants converted.
        participants: u16,
    },
    /// A MAP: intersections stored.
    Map {
        /// Intersections stored.
        intersections: u16,
    },
    /// A SPAT: intersections stored.
    Spat {
        /// Intersections stored.
        intersections: u16,
    },
    /// An RSI: events and signs stored.
    Rsi {
        /// Items stored.
        items: u16,
    },
    /// A sensor-sharing message: participants and obstacles as observations, its events stored.
    Ssm {
        /// Objects converted.
        objects: u16,
    },
    /// Another Day II message (RSC, VIR, PAM, CLPMM, VPM), by message id.
    DayII {
        /// The `messageId`.
        message_id: u16,
    },
}

/// Why the world did not take a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refused {
    /// The ego's own message (it carries the ego's vehicle id).
    #[error("own message")]
    OwnMessage,
    /// A message type the world does not use (RTCM, test messages, unknown extensions).
    #[error("message type not used")]
    Unsupported,
    /// The report could not be converted (unavailable time or position).
    #[error("report unusable: {0}")]
    Unusable(AdaptError),
}

/// What taking a frame produced beside the stores: observations for the fusion core, parts that
/// could not be converted, and the Day II event the frame carried.
#[derive(Debug, Default)]
pub struct Taken {
    /// Observations for the fusion core (bounded by the caller's limit).
    pub observations: Vec<Observation>,
    /// Participants or obstacles that could not be converted.
    pub unusable: Vec<AdaptError>,
    /// The Day II event of a Day II message.
    pub day2: Option<DayIIEvent>,
    /// Observations beyond the limit, not converted.
    pub over_limit: usize,
}

impl Taken {
    /// Empty buffers with room for `limit` observations, reused frame after frame.
    pub fn with_capacity(limit: usize) -> Taken {
        Taken {
            observations: Vec::with_capacity(limit.min(4096)),
            unusable: Vec::with_capacity(16),
            day2: None,
            over_limit: 0,
        }
    }

    /// Appends one converted report, or counts it as unusable or over the limit.
    pub fn push(&mut self, r: Result<Observation, AdaptError>, limit: usize) {
        match r {
            Ok(o) if self.observations.len() < limit => self.observations.push(o),
            Ok(_) => self.over_limit += 1,
            Err(e) => self.unusable.push(e),
        }
    }

    fn clear(&mut self) {
        self.observations.clear();
        self.unusable.clear();
        self.day2 = None;
        self.over_limit = 0;
    }
}

/// How full the world stores are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct WorldUsage {
    /// MAP intersections.
    pub intersections: usize,
    /// SPAT intersections.
    pub signals: usize,
    /// RSI items.
    pub road_info: usize,
    /// Vehicles with flags.
    pub vehicles: usize,
    /// Day II entries (all services).
    pub day2: usize,
}

/// The world stores. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct World {
    config: WorldConfig,
    map: MapStore,
    spat: SpatStore,
    road_info: RsiStore,
    day2: DayIIStore,
    vehicles: VehicleStore,
}

fn n16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

impl World {
    /// Empty stores with the limits of `config`.
    pub fn new(config: WorldConfig) -> World {
        let c = &config;
        World {
            map: MapStore::new(
                c.max_intersections,
                c.max_lanes_per_intersection,
                c.map_max_age_ms,
            ),
            spat: SpatStore::new(c.max_intersections, c.spat_keep_ms),
            road_info: RsiStore::new(c.max_road_info, c.road_info_ttl_ms),
            day2: DayIIStore::new(day2::DayIILimits {
                max_entries: c.max_day2,
                max_age_ms: c.day2_max_age_ms,
            }),
            vehicles: VehicleStore::new(c.max_vehicles, c.vehicle_max_age_ms),
            config,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &WorldConfig {
        &self.config
    }

    /// The MAP store.
    pub fn map(&self) -> &MapStore {
        &self.map
    }

    /// The SPAT store.
    pub fn spat(&self) -> &SpatStore {
        &self.spat
    }

    /// The RSI store.
    pub fn road_info(&self) -> &RsiStore {
        &self.road_info
    }

    /// The Day II stores.
    pub fn day2(&self) -> &DayIIStore {
        &self.day2
    }

    /// The vehicle-state store.
    pub fn vehicles(&self) -> &VehicleStore {
        &self.vehicles
    }

    /// How full the stores are.
    pub fn usage(&self) -> WorldUsage {
        WorldUsage {
            intersections: self.map.intersections().len(),
            signals: self.spat.signals().len(),
            road_info: self.road_info.items().len(),
            vehicles: self.vehicles.entries().len(),
            day2: self.day2.len(),
        }
    }

    /// What every store did, summed.
    pub fn counters(&self) -> StoreCounters {
        self.map
            .counters()
            .add(self.spat.counters())
            .add(self.road_info.counters())
            .add(&self.day2.counters())
            .add(self.vehicles.counters())
    }

    /// Forgets what vehicle `id` reported about itself in the vehicle-state store (the message
    /// it came in failed verification after it was used); returns whether there was anything.
    pub fn forget_vehicle(&mut self, id: &[u8; 8]) -> bool {
        self.vehicles.remove(id)
    }

    /// Drops what was not refreshed in time, in every store.
    pub fn expire(&mut self, now: Timestamp) {
        self.map.expire(now);
        self.spat.expire(now);
        self.road_info.expire(now);
        self.day2.expire(now);
        self.vehicles.expire(now);
    }

    /// Takes a decoded frame received at `now`. `ego_id` is the ego's temporary id (its own
    /// messages are refused); at most `limit` observations are converted from one frame (the
    /// rest are counted in [`Taken::over_limit`]). `out` is cleared first.
    pub fn take_frame(
        &mut self,
        frame: &m::MessageFrame,
        now: Timestamp,
        ego_id: Option<[u8; 8]>,
        limit: usize,
        out: &mut Taken,
    ) -> Result<Ingested, Refused> {
        use convert::{bsm_observation, is_own, psm_observation, rsm_observations};
        out.clear();
        match frame {
            m::MessageFrame::BsmFrame(bsm) => {
                if is_own(&bsm.id, ego_id) {
                    return Err(Refused::OwnMessage);
                }
                let obs = bsm_observation(bsm, now).map_err(Refused::Unusable)?;
                self.vehicles.insert(bsm.id, VehicleFlags::of_bsm(bsm), now);
                push_limited(out, obs, limit);
                Ok(Ingested::Bsm)
            }
            m::MessageFrame::RsmFrame(rsm) => {
                rsm_observations(rsm, now, limit, out);
                Ok(Ingested::Rsm {
                    participants: n16(out.observations.len()),
                })
            }
            m::MessageFrame::MapFrame(map) => Ok(Ingested::Map {
                intersections: n16(self.map.insert_map(map, now)),
            }),
            m::MessageFrame::SpatFrame(spat) => Ok(Ingested::Spat {
                intersections: n16(self.spat.insert_spat(spat, now)),
            }),
            m::MessageFrame::RsiFrame(rsi) => Ok(Ingested::Rsi {
                items: n16(self.road_info.insert_rsi(rsi, now)),
            }),
            m::MessageFrame::MsgFrameExt(ext) => match &ext.value {
                m::MessageFrameExtValue::PersonalSafetyMessage(psm) => {
                    if is_own(&psm.id, ego_id) {
                        return Err(Refused::OwnMessage);
                    }
                    let obs = psm_observation(psm, now).map_err(Refused::Unusable)?;
                    push_limited(out, obs, limit);
                    Ok(Ingested::Psm)
                }
                m::MessageFrameExtValue::SensorSharingMsg(ssm) => {
                    if is_own(&ssm.id, ego_id) {
                        return Err(Refused::OwnMessage);
                    }
                    convert::ssm_observations(ssm, now, limit, out);
                    self.road_info.insert_ssm_events(ssm, now);
                    let len = |n: Option<usize>| n16(n.unwrap_or(0));
                    self.day2.sharing.upsert(day2::Sharing {
                        sender: ssm.id,
                        received: now,
                        participants: len(ssm.participants.as_ref().map(|l| l.len())),
                        obstacles: len(ssm.obstacles.as_ref().map(|l| l.len())),
                        events: len(ssm.rtes.as_ref().map(|l| l.len())),
                    });
                    out.day2 = Some(DayIIEvent {
                        service: DayIIService::SensorSharing,
                        sender: ssm.id,
                        for_ego: false,
                    });
                    Ok(Ingested::Ssm {
                        objects: n16(out.observations.len()),
                    })
                }
                value => {
                    let (service, sender, for_ego) = self.take_day2(value, now, ego_id)?;
                    out.day2 = Some(DayIIEvent {
                        service,
                        sender,
                        for_ego,
                    });
                    Ok(Ingested::DayII {
                        message_id: ext.message_id,
                    })
                }
            },
            m::MessageFrame::UnknownExt(_) => Err(Refused::Unsupported),
        }
    }
}

impl World {
    /// Takes an RSC, VIR, PAM, CLPMM or VPM into its Day II store: the service, the sender and
    /// whether the message addresses the ego.
    fn take_day2(
        &mut self,
        value: &m::MessageFrameExtValue,
        now: Timestamp,
        ego_id: Option<[u8; 8]>,
    ) -> Result<(DayIIService, [u8; 8], bool), Refused> {
        use convert::is_own;
        let d = &mut self.day2;
        Ok(match value {
            m::MessageFrameExtValue::RoadsideCoordination(r) => {
                let for_ego = d.coordination.insert(r, now, ego_id);
                (DayIIService::Coordination, r.id, for_ego)
            }
            m::MessageFrameExtValue::VehIntentionAndRequest(v) => {
                if is_own(&v.id, ego_id) {
                    return Err(Refused::OwnMessage);
                }
                let for_ego = d.requests.insert(v, now, ego_id);
                (DayIIService::Intention, v.id, for_ego)
            }
            m::MessageFrameExtValue::PamData(p) => {
                let mut sender = [0u8; 8];
                if let Some(id) = p.parking_lot_info.id {
                    sender[6..].copy_from_slice(&id.to_be_bytes());
                }
                let for_ego = d.parking.insert(p, now, ego_id);
                (DayIIService::Parking, sender, for_ego)
            }
            m::MessageFrameExtValue::Clpmm(c) => {
                if is_own(&c.id, ego_id) {
                    return Err(Refused::OwnMessage);
                }
                let for_ego = d.platoons.insert(c, now, ego_id);
                (DayIIService::Platoon, c.id, for_ego)
            }
            m::MessageFrameExtValue::VehiclePaymentMessage(v) => {
                match d.payment.insert(v, now, ego_id) {
                    Ok(Some((sender, for_ego))) => (DayIIService::Payment, sender, for_ego),
                    // Another vehicle's side of a transaction: nothing to keep.
                    Ok(None) => (DayIIService::Payment, [0; 8], false),
                    Err(()) => return Err(Refused::OwnMessage),
                }
            }
            _ => return Err(Refused::Unsupported),
        })
    }
}

fn push_limited(out: &mut Taken, obs: Observation, limit: usize) {
    out.push(Ok(obs), limit);
}
