//! Cooperative (Day II) applications: the interface ([`CoopApp`], [`CoopContext`]), the
//! registry ([`coop_apps`]), what the caller asks of them ([`Command`]), what they send
//! ([`Outbox`]) and how the ego's requests are followed until answered ([`RequestTracker`]).
//!
//! A cooperative application reads what an object or road application reads (the ego, its
//! matched lane, the fused objects, the MAP and RSI stores) plus the Day II stores
//! ([`crate::world::day2`]) and the ego's temporary id, and may send: it puts what the ego
//! should send into the [`Outbox`] in SI units ([`Outgoing`]); the stack builds the messages
//! and hands them to the host vehicle, which signs and frames them
//! ([`crate::host::HostVehicle::queue_message`]). Without a host vehicle (or before its first
//! message) nothing can be sent: the stack counts what was not sent.
//!
//! **Requests** (VIR `DriveRequest`): the ego numbers them (`reqID`, 0..=255, shared by all
//! applications through the outbox), sends them at once and again every
//! [`RequestTracker::RESEND_MS`] while unanswered, until their lifetime ends (then one
//! `cancel` goes out and the request is *expired*). An answer is a VIR of any sender whose
//! request names the ego as target vehicle and carries the same `reqID` (`comfirmed`,
//! `cancel`, `complete`), or an RSC whose guidance for the ego belongs to the service of the
//! request ([`crate::world::day2::CoordinationKinds`]: lane change or merging for a lane
//! change, signal priority for signal priority) and was received after the request was first
//! sent. Each request is reported as advisory guidance ([`Guidance::Request`]) while it lives
//! and for [`RequestTracker::REPORT_MS`] after it ends.
use alloc::boxed::Box;
use alloc::vec::Vec;

use super::guidance::{Guidance, RequestState, RequestType};
use super::{AppId, Level, Target, Warning, place_id};
use crate::fusion::FusedObject;
use crate::geo::{EnuFrame, Wgs84};
use crate::time::Timestamp;
use crate::world::day2::{
    CoordinationKinds, DayIIStore, DriveRequest, LinkRef, OutIntention, Outgoing, ParkingKinds,
    ParkingServices, PlatoonId, RequestKind, RequestStatus,
};
use crate::world::{Ego, LaneMatch, MapStore, RsiStore};

pub use super::vnfp::PaymentAccount;

/// A side of the ego.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// Left.
    Left,
    /// Right.
    Right,
}

/// What the caller asks a cooperative application to do (through
/// [`crate::stack::Stack::command`]). Each command is offered to the applications at the next
/// poll, once.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Command {
    /// Ask to change lane (MERGE): into `lane` of `link` when given, else into the lane next
    /// to the ego's on `side` (from the matched MAP lane or the roadside's lane guidance).
    LaneChange {
        /// The side.
        side: Side,
        /// The link.
        link: Option<LinkRef>,
        /// The lane.
        lane: Option<u8>,
    },
    /// Ask the vehicles ahead to clear the ego's lane (CLEAR_THE_WAY), for `duration_s`.
    ClearTheWay {
        /// How long the way should stay clear, s.
        duration_s: f64,
    },
    /// Ask for signal priority at the next intersection (SIGNAL_PRIORITY).
    SignalPriority,
    /// Ask a parking lot for a slot (PARKING): `lot` (any lot when `None`), the services, the
    /// kind of slot and a preferred slot.
    Parking {
        /// The lot.
        lot: Option<u16>,
        /// The services.
        services: ParkingServices,
        /// The kind of slot.
        kinds: Option<ParkingKinds>,
        /// A preferred slot.
        slot: Option<u16>,
    },
    /// Stop the parking guidance.
    CancelParking,
    /// Ask to join a platoon (PLATOON): `platoon`, or the nearest open one ahead.
    JoinPlatoon {
        /// The platoon.
        platoon: Option<PlatoonId>,
    },
    /// Leave the platoon.
    LeavePlatoon,
    /// Lead a new platoon of id `platoon` with room for `capacity` members.
    LeadPlatoon {
        /// The platoon id.
        platoon: PlatoonId,
        /// Most members (1..=32).
        capacity: u8,
    },
}

/// What the cooperative applications want sent in one poll, bounded; and the ego's request
/// numbers.
#[derive(Debug)]
pub struct Outbox {
    items: Vec<Outgoing>,
    next_request_id: u8,
    dropped: u64,
}

impl Default for Outbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Outbox {
    /// Most messages per poll.
    pub const CAPACITY: usize = 8;

    /// An empty outbox.
    pub fn new() -> Self {
        Outbox {
            items: Vec::with_capacity(Self::CAPACITY),
            next_request_id: 0,
            dropped: 0,
        }
    }

    /// Adds a message; `false` (and counted) when the outbox is full.
    pub fn push(&mut self, o: Outgoing) -> bool {
        if self.items.len() >= Self::CAPACITY {
            self.dropped += 1;
            return false;
        }
        self.items.push(o);
        true
    }

    /// A new request number.
    pub fn request_id(&mut self) -> u8 {
        let id = self.next_request_id;
        self.next_request_id = self.next_request_id.wrapping_add(1);
        id
    }

    /// Takes the messages out.
    pub fn drain(&mut self) -> alloc::vec::Drain<'_, Outgoing> {
        self.items.drain(..)
    }

    /// Messages waiting.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether none waits.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Messages refused because the outbox was full.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }
}

/// Everything a cooperative application reads in one evaluation, and where it sends.
pub struct CoopContext<'a> {
    /// Evaluation time.
    pub now: Timestamp,
    /// The ego (ENU of `frame`).
    pub ego: &'a Ego,
    /// The ego's position in WGS-84.
    pub ego_wgs84: Wgs84,
    /// The ego's temporary id (`None`: it cannot be addressed and cannot send).
    pub ego_id: Option<[u8; 8]>,
    /// The incoming lane the ego is matched to.
    pub lane: Option<&'a LaneMatch>,
    /// The MAP store.
    pub map: &'a MapStore,
    /// The RSI store.
    pub road_info: &'a RsiStore,
    /// The Day II stores.
    pub day2: &'a DayIIStore,
    /// Fused objects.
    pub objects: &'a [FusedObject],
    /// The stack's ENU frame.
    pub frame: &'a EnuFrame,
    /// The caller's commands of this poll.
    pub commands: &'a [Command],
    /// The caller's payment account, when one is set.
    pub account: Option<&'a mut (dyn PaymentAccount + 'static)>,
    /// Where to put what the ego sends.
    pub outbox: &'a mut Outbox,
}

impl core::fmt::Debug for CoopContext<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CoopContext")
            .field("now", &self.now)
            .field("ego_id", &self.ego_id)
            .finish_non_exhaustive()
    }
}

impl CoopContext<'_> {
    /// A WGS-84 position in the stack's frame; `None` when it cannot be placed.
    pub fn enu(&self, w: &Wgs84) -> Option<[f64; 2]> {
        let e = self.frame.enu_from_wgs84(w).ok()?;
        Some([e.x, e.y])
    }

    /// A place target at a WGS-84 position (the ego when it cannot be placed).
    pub fn place(&self, parts: &[&[u8]], w: Option<&Wgs84>) -> Target {
        match w.and_then(|w| self.enu(w)) {
            Some(p) => Target::Place {
                place_id: place_id(parts),
                position_enu: p,
            },
            None => Target::Ego,
        }
    }

    /// A warning of `app` at `level` about `target` at the evaluation time.
    pub fn warning(&self, app: AppId, level: Level, target: Target) -> Warning {
        Warning::new(app, level, target, self.now)
    }

    /// The matched MAP lane with its intersection: the lane's geometry.
    pub fn matched_lane(
        &self,
    ) -> Option<(&'_ crate::world::Intersection, &'_ crate::world::LaneGeom)> {
        let m = self.lane?;
        let inter = self
            .map
            .intersections()
            .iter()
            .find(|i| i.key == m.intersection)?;
        Some((inter, inter.lanes.get(m.lane_index)?))
    }

    /// The ego's link (upstream node → intersection) and lane id, from the matched MAP lane.
    pub fn ego_link(&self) -> Option<(LinkRef, u8)> {
        let (inter, geom) = self.matched_lane()?;
        Some((
            LinkRef {
                upstream: geom.upstream,
                downstream: inter.key,
                lanes: 0,
            },
            geom.lane_id,
        ))
    }

    /// The fused object that is the vehicle `id` (by the id in its messages).
    pub fn object_of(&self, id: &[u8; 8]) -> Option<&FusedObject> {
        self.objects
            .iter()
            .find(|o| o.vehicle_id.as_ref() == Some(id))
    }
}

/// A cooperative application. Implementations keep their own state between calls.
pub trait CoopApp: core::fmt::Debug + Send {
    /// Which application this is (its warnings may also be of a sibling application of the
    /// same file).
    fn id(&self) -> AppId;
    /// Evaluates at `cx.now`: appends warnings and advice to `out`, what to send to
    /// `cx.outbox`.
    fn evaluate(&mut self, cx: &mut CoopContext<'_>, out: &mut Vec<Warning>);
}

/// The cooperative applications with their default configuration.
pub fn coop_apps() -> Vec<Box<dyn CoopApp>> {
    alloc::vec![
        Box::new(super::merge::Merge::default()) as Box<dyn CoopApp>,
        Box::new(super::priority::ClearTheWay::default()),
        Box::new(super::priority::SignalPriority::default()),
        Box::new(super::parking::Parking::default()),
        Box::new(super::platoon::Platoon::default()),
        Box::new(super::vnfp::Vnfp::default()),
        Box::new(super::ceb::Ceb::default()),
    ]
}

/// One request of the ego, followed until it ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Tracked {
    /// What was requested.
    pub request: RequestType,
    /// The request as sent.
    pub sent: DriveRequest,
    /// When it was first sent.
    pub first_sent: Timestamp,
    /// When it was last sent.
    pub last_sent: Timestamp,
    /// Where it stands.
    pub state: RequestState,
    /// Since when.
    pub since: Timestamp,
    /// Who answered.
    pub answered_by: Option<[u8; 8]>,
}

/// The ego's requests of one application. See the [module docs](self).
#[derive(Debug, Clone, Default)]
pub struct RequestTracker {
    items: Vec<Tracked>,
}

impl RequestTracker {
    /// A request unanswered is sent again after this long, ms.
    pub const RESEND_MS: i64 = 1000;
    /// A request that ended is still reported for this long, ms.
    pub const REPORT_MS: i64 = 3000;
    /// Most requests followed at once.
    pub const MAX: usize = 4;

    /// The requests followed.
    pub fn items(&self) -> &[Tracked] {
        &self.items
    }

    /// Whether a request of `request` is live (sent or confirmed).
    pub fn live(&self, request: RequestType) -> Option<&Tracked> {
        self.items.iter().find(|t| {
            t.request == request && matches!(t.state, RequestState::Sent | RequestState::Confirmed)
        })
    }

    /// Starts a request: numbers it, sends it at once (with `behavior` as the ego's current
    /// behaviour). `false` when [`Self::MAX`] requests are followed already, when the ego
    /// cannot send, or when the outbox is full.
    #[allow(clippy::too_many_arguments)]
    pub fn start(
        &mut self,
        cx: &mut CoopContext<'_>,
        request: RequestType,
        kind: RequestKind,
        life_s: f64,
        target_rsu: Option<[u8; 8]>,
        priority: Option<u8>,
        behavior: Option<crate::world::day2::Behavior>,
    ) -> bool {
        if cx.ego_id.is_none() {
            return false;
        }
        self.items.retain(|t| {
            matches!(t.state, RequestState::Sent | RequestState::Confirmed)
                || cx.now.micros_since(t.since) < Self::REPORT_MS * 1000
        });
        if self.items.len() >= Self::MAX {
            return false;
        }
        let sent = DriveRequest {
            id: cx.outbox.request_id(),
            status: RequestStatus::Request,
            priority,
            target_vehicle: None,
            target_rsu,
            kind: Some(kind),
            valid_until: Some(cx.now.add_micros((life_s.clamp(0.1, 600.0) * 1e6) as i64)),
        };
        let ok = cx.outbox.push(Outgoing::Intention(OutIntention {
            behavior,
            path: Vec::new(),
            requests: alloc::vec![sent.clone()],
        }));
        if ok {
            self.items.push(Tracked {
                request,
                sent,
                first_sent: cx.now,
                last_sent: cx.now,
                state: RequestState::Sent,
                since: cx.now,
                answered_by: None,
            });
        }
        ok
    }

    /// Takes a live request of `request` as confirmed by `by` (an answer the application
    /// recognises itself, such as guidance addressed to the ego).
    pub fn confirm(&mut self, request: RequestType, by: [u8; 8], now: Timestamp) {
        for t in self
            .items
            .iter_mut()
            .filter(|t| t.request == request && t.state == RequestState::Sent)
        {
            t.state = RequestState::Confirmed;
            t.since = now;
            t.answered_by = Some(by);
        }
    }

    /// Ends a live request of `request` on the ego's side: one `complete` (or `cancel`) goes
    /// out.
    pub fn finish(&mut self, cx: &mut CoopContext<'_>, request: RequestType, completed: bool) {
        let now = cx.now;
        for t in self.items.iter_mut().filter(|t| {
            t.request == request && matches!(t.state, RequestState::Sent | RequestState::Confirmed)
        }) {
            let mut r = t.sent.clone();
            r.status = if completed {
                RequestStatus::Complete
            } else {
                RequestStatus::Cancel
            };
            r.valid_until = None;
            cx.outbox.push(Outgoing::Intention(OutIntention {
                behavior: None,
                path: Vec::new(),
                requests: alloc::vec![r],
            }));
            t.state = if completed {
                RequestState::Completed
            } else {
                RequestState::Refused
            };
            t.since = now;
        }
    }

    /// Follows the answers received, resends what is unanswered, expires what outlived its
    /// lifetime, and reports every request as advisory guidance of `app`.
    pub fn update(&mut self, app: AppId, cx: &mut CoopContext<'_>, out: &mut Vec<Warning>) {
        let now = cx.now;
        let ego = cx.ego_id;
        for t in &mut self.items {
            if !matches!(t.state, RequestState::Sent | RequestState::Confirmed) {
                continue;
            }
            if let Some((state, by)) = answer(cx, t, ego) {
                if state != t.state {
                    t.state = state;
                    t.since = now;
                    t.answered_by = Some(by);
                }
            }
            let until = t.sent.valid_until.unwrap_or(now);
            if t.state == RequestState::Sent && now >= until {
                t.state = RequestState::Expired;
                t.since = now;
                let mut r = t.sent.clone();
                r.status = RequestStatus::Cancel;
                r.valid_until = None;
                cx.outbox.push(Outgoing::Intention(OutIntention {
                    behavior: None,
                    path: Vec::new(),
                    requests: alloc::vec![r],
                }));
            } else if t.state == RequestState::Sent
                && now.micros_since(t.last_sent) >= Self::RESEND_MS * 1000
            {
                let pushed = cx.outbox.push(Outgoing::Intention(OutIntention {
                    behavior: None,
                    path: Vec::new(),
                    requests: alloc::vec![t.sent.clone()],
                }));
                if pushed {
                    t.last_sent = now;
                }
            }
        }
        self.items.retain(|t| {
            matches!(t.state, RequestState::Sent | RequestState::Confirmed)
                || now.micros_since(t.since) < Self::REPORT_MS * 1000
        });
        for t in &self.items {
            let target = cx.place(
                &[b"request", &[t.request as u8, t.sent.id]],
                Some(&cx.ego_wgs84),
            );
            let mut w = cx.warning(app, Level::Advisory, target);
            w.guidance = Some(Guidance::Request {
                request: t.request,
                id: t.sent.id,
                state: t.state,
            });
            out.push(w);
        }
    }
}

/// The answer to `t` in the stores: a VIR request naming the ego with the same number, or an
/// RSC guidance for the ego of the request's service received after it was first sent.
fn answer(
    cx: &CoopContext<'_>,
    t: &Tracked,
    ego: Option<[u8; 8]>,
) -> Option<(RequestState, [u8; 8])> {
    let ego = ego?;
    for i in cx.day2.requests.entries() {
        if i.received < t.first_sent {
            continue;
        }
        for r in &i.requests {
            if r.target_vehicle != Some(ego) || r.id != t.sent.id {
                continue;
            }
            let state = match r.status {
                RequestStatus::Confirmed => RequestState::Confirmed,
                RequestStatus::Cancel => RequestState::Refused,
                RequestStatus::Complete => RequestState::Completed,
                RequestStatus::Request | RequestStatus::Unknown => continue,
            };
            return Some((state, i.sender));
        }
    }
    let kinds = match t.request {
        RequestType::LaneChange => {
            CoordinationKinds(CoordinationKinds::LANE_CHANGE.0 | CoordinationKinds::MERGING.0)
        }
        RequestType::SignalPriority => CoordinationKinds::SIGNAL_PRIORITY,
        RequestType::ClearTheWay | RequestType::Parking => return None,
    };
    cx.day2
        .coordination
        .entries()
        .iter()
        .filter(|c| c.received >= t.first_sent)
        .find(|c| {
            c.for_ego
                .as_ref()
                .and_then(|g| g.kinds)
                .is_some_and(|k| k.intersects(kinds))
        })
        .map(|c| (RequestState::Confirmed, c.rsu))
}
