//! The Day II parts of a scenario: what the ego is (a car, a bus, an emergency vehicle), its
//! payment account and requests, the requests other vehicles send, and the roadside and
//! vehicle counterparts of the cooperative services — a roadside coordinator (RSC), parking
//! lots (PAM), platoons (CLPMM) and payment stations (VPM) — with the expectations on the
//! cooperative content and on what the ego sends. The format is in the [module
//! docs](super); this module parses it, builds the messages and plays the counterparts: they
//! read what the ego sends (its VIR, CLPMM and VPM, decoded from the stack's transmissions)
//! and answer as configured.
//!
//! Every Day II message of the scenario's roadside and vehicles goes out at 10 Hz under the
//! deployed Day II AID of its kind ([`aid_of`]), which the test PKI's pseudonym may sign (see
//! [`super::RunOptions::signed`]).
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use crate::apps::guidance::{Guidance, RequestType};
use crate::apps::{Command, PaymentAccount, Side};
use crate::codec::Uper;
use crate::codec::uper::UnknownExtensions;
use crate::geo::{EnuFrame, Wgs84};
use crate::msg::v2020 as m;
use crate::time::Timestamp;
use crate::world::convert::outgoing::{ddatetime_to_wire, link_to_wire, time_offset_to_wire};
use crate::world::convert::to_wire::{self, offset, pos3d};
use crate::world::day2::{
    Behavior, ChargeReceipt, ChargeRequest, CoordinationKinds, FileRange, LinkRef, NodeAttributes,
    ObuKind, ObuPaymentData, ParkingKinds, ParkingServices, PaymentChannel, PaymentService,
    RequestStatus, ReturnCode, SlotStatus, StationKind, TollResult, VehicleFile,
};

use super::ScenarioError;
use super::build::{RSU_ID, actor_vehicle_id};
use super::kinematics::MotionState;

type R<T> = Result<T, ScenarioError>;

/// The AID a Day II message is sent under: the deployed Day II AID of its kind
/// ([`crate::net::aid::DAY2_TABLE`]: RSC 21, VIR 24, PAM 18, CLPMM 19, VPM 25; SSM 23, PSM 20;
/// the test AID for anything else).
pub fn aid_of(frame: &m::MessageFrame) -> u32 {
    use crate::net::aid::{DAY2_TABLE, MessageClass, TEST};
    let class = MessageClass::of_frame(frame);
    DAY2_TABLE
        .iter()
        .find(|(_, c)| Some(*c) == class)
        .map_or(TEST, |(aid, _)| *aid)
        .0
}

/// What the ego is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EgoKind {
    /// A passenger car.
    #[default]
    Car,
    /// A truck.
    Truck,
    /// A bus (transit: it may ask for signal priority).
    Bus,
    /// An emergency vehicle (on a call while its siren is on).
    Emergency,
}

/// Who a message addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addressee {
    /// The ego (its temporary id at the time).
    Ego,
    /// An actor (its BSM id).
    Actor(u32),
    /// A fixed id.
    Id([u8; 8]),
}

/// A step of a payment transaction the account may refuse, or a command a station sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayStep {
    /// Read the toll data files.
    Read,
    /// Read with authentication.
    SecureRead,
    /// Charge.
    Charge,
    /// Show the result.
    Result,
}

/// The ego's payment account (a test account implementing [`PaymentAccount`]).
#[derive(Debug, Clone, PartialEq)]
pub struct AccountSpec {
    /// The services it takes part in.
    pub services: Vec<PaymentService>,
    /// Whether it accepts the offers.
    pub accept: bool,
    /// A step it refuses.
    pub refuse: Option<PayStep>,
    /// Kind of on-board unit.
    pub obu_kind: ObuKind,
}

/// A command the ego's caller gives at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestSpec {
    /// When, s.
    pub at_s: f64,
    /// The command.
    pub command: Command,
}

/// A request another vehicle sends in its VIR.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorRequest {
    /// The actor.
    pub actor: u32,
    /// Sent from, s.
    pub from_s: f64,
    /// Sent until, s.
    pub until_s: f64,
    /// The request number.
    pub id: u8,
    /// What it asks.
    pub kind: ActorRequestKind,
    /// The vehicle addressed.
    pub target: Option<Addressee>,
    /// Its state.
    pub status: RequestStatus,
    /// Its lifetime from each message, s.
    pub life_s: Option<f64>,
}

/// What an actor's request asks.
#[derive(Debug, Clone, PartialEq)]
pub enum ActorRequestKind {
    /// Clear the way: the link and lane, and the path (`None`: none sent; `ahead`: the actor's
    /// path ahead of that length).
    ClearTheWay {
        /// Link.
        link: Option<LinkRef>,
        /// Lane.
        lane: u8,
        /// Points, scenario frame.
        path: Option<PathSpec>,
        /// Half-width, m.
        radius_m: f64,
    },
    /// A lane change.
    LaneChange {
        /// Link.
        link: LinkRef,
        /// Lane.
        lane: u8,
    },
}

/// A path of a request.
#[derive(Debug, Clone, PartialEq)]
pub enum PathSpec {
    /// Fixed points (scenario frame).
    Points(Vec<[f64; 2]>),
    /// The sender's way ahead, this long, m.
    Ahead(f64),
}

/// A point of a guided path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GuidePointSpec {
    /// East, m.
    pub x: f64,
    /// North, m.
    pub y: f64,
    /// Speed there, km/h.
    pub speed_kph: Option<f64>,
    /// When it is reached (scenario time), s.
    pub t_s: Option<f64>,
}

/// The roadside coordinator's guidance for one vehicle.
#[derive(Debug, Clone, PartialEq)]
pub struct VehicleGuidanceSpec {
    /// The vehicle.
    pub vehicle: Addressee,
    /// Suggested behaviour.
    pub behavior: Behavior,
    /// Lifetime from each message, s.
    pub life_s: Option<f64>,
    /// Link and lanes.
    pub link: Option<LinkRef>,
    /// Related path and its half-width.
    pub related_path: Option<(Vec<[f64; 2]>, f64)>,
    /// Guided path.
    pub path: Vec<GuidePointSpec>,
    /// Service.
    pub info: CoordinationKinds,
    /// Sent from, s.
    pub from_s: f64,
    /// Sent until, s.
    pub until_s: f64,
}

/// The roadside coordinator's guidance for a lane.
#[derive(Debug, Clone, PartialEq)]
pub struct LaneGuidanceSpec {
    /// Link and lanes.
    pub link: LinkRef,
    /// Related path.
    pub path: Vec<[f64; 2]>,
    /// Its half-width, m.
    pub path_radius_m: f64,
    /// Window start (scenario time), s.
    pub begin_s: Option<f64>,
    /// Window end (scenario time), s.
    pub end_s: Option<f64>,
    /// Recommended speed, km/h.
    pub speed_kph: Option<f64>,
    /// Recommended behaviour.
    pub behavior: Option<Behavior>,
    /// Service.
    pub info: CoordinationKinds,
    /// Text.
    pub description: Option<String>,
    /// Sent from, s.
    pub from_s: f64,
    /// Sent until, s.
    pub until_s: f64,
}

/// How a counterpart answers the ego's requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Not at all.
    None,
    /// A VIR naming the ego with the request's number, `comfirmed`.
    Confirm,
    /// A VIR naming the ego with the request's number, `cancel`.
    Refuse,
    /// An RSC guidance for the ego of the request's service.
    Rsc,
}

/// A roadside coordinator (RSC).
#[derive(Debug, Clone, PartialEq)]
pub struct CoordinatorSpec {
    /// Its id.
    pub id: [u8; 8],
    /// Its position, m.
    pub x: f64,
    /// North, m.
    pub y: f64,
    /// Sends from, s.
    pub from_s: f64,
    /// Sends until, s.
    pub until_s: f64,
    /// Guidance for vehicles.
    pub vehicles: Vec<VehicleGuidanceSpec>,
    /// Guidance for lanes.
    pub lanes: Vec<LaneGuidanceSpec>,
    /// How it answers the ego's requests.
    pub answer: Answer,
    /// After how long, s.
    pub answer_delay_s: f64,
}

/// A parking slot.
#[derive(Debug, Clone, PartialEq)]
pub struct SlotSpec {
    /// Slot id.
    pub id: u16,
    /// Centre, m.
    pub x: f64,
    /// North, m.
    pub y: f64,
    /// Direction of its length, degrees.
    pub heading_deg: f64,
    /// Length, m.
    pub length_m: f64,
    /// Width, m.
    pub width_m: f64,
    /// Status.
    pub status: SlotStatus,
    /// Kinds.
    pub kinds: ParkingKinds,
}

/// A drive of a parking node.
#[derive(Debug, Clone, PartialEq)]
pub struct DriveSpec {
    /// Upstream node.
    pub from: u16,
    /// Shape points, m.
    pub points: Vec<[f64; 2]>,
    /// Speed limit, km/h.
    pub speed_limit_kph: Option<f64>,
    /// Slots.
    pub slots: Vec<SlotSpec>,
}

/// A parking node.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeSpec {
    /// Id.
    pub id: u16,
    /// Position, m.
    pub x: f64,
    /// North, m.
    pub y: f64,
    /// Floor.
    pub floor: Option<i16>,
    /// Properties.
    pub attributes: NodeAttributes,
    /// Drives into it.
    pub drives: Vec<DriveSpec>,
}

/// A guidance of the lot.
#[derive(Debug, Clone, PartialEq)]
pub struct GuideSpec {
    /// The vehicle.
    pub vehicle: Addressee,
    /// Nodes.
    pub path: Vec<u16>,
    /// Slot.
    pub slot: Option<u16>,
    /// From, s.
    pub from_s: f64,
    /// Until, s.
    pub until_s: f64,
}

/// A parking lot (PAM).
#[derive(Debug, Clone, PartialEq)]
pub struct ParkingSpec {
    /// Lot id.
    pub lot_id: Option<u16>,
    /// Name.
    pub name: Option<String>,
    /// AVP level 0..=5.
    pub avp: Option<u8>,
    /// Floors.
    pub floors: Option<u16>,
    /// Spaces.
    pub capacity: Option<u16>,
    /// Sends from, s.
    pub from_s: f64,
    /// Sends until, s.
    pub until_s: f64,
    /// Nodes.
    pub nodes: Vec<NodeSpec>,
    /// Static guidance.
    pub guidance: Vec<GuideSpec>,
    /// The guidance given to the ego after its request (path, slot, delay).
    pub answer: Option<(Vec<u16>, Option<u16>, f64)>,
    /// Slot status changes (time, slot, status).
    pub slot_changes: Vec<(f64, u16, SlotStatus)>,
}

/// A platoon (CLPMM of its leader and members).
#[derive(Debug, Clone, PartialEq)]
pub struct PlatoonSpec {
    /// Platoon id.
    pub pid: [u8; 17],
    /// Leader actor.
    pub leader: u32,
    /// Member actors, in order behind the leader.
    pub members: Vec<u32>,
    /// Capacity.
    pub capacity: u8,
    /// Open to join.
    pub open: bool,
    /// Admits the ego when it asks.
    pub admit: bool,
    /// Sends from, s.
    pub from_s: f64,
    /// Sends until, s.
    pub until_s: f64,
    /// Begins to dismiss at, s.
    pub dismiss_at_s: Option<f64>,
}

/// A payment station (VPM).
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentSpec {
    /// RSU id.
    pub id: [u8; 8],
    /// Tolling point, m.
    pub x: f64,
    /// North, m.
    pub y: f64,
    /// The service offered.
    pub service: PaymentService,
    /// Station id.
    pub station_id: u32,
    /// Kind of tolling point.
    pub node_type: StationKind,
    /// Direction tolled, degrees.
    pub direction_deg: Option<f64>,
    /// Price.
    pub price: u32,
    /// The result it reports.
    pub result: TollResult,
    /// Its commands, in order.
    pub steps: Vec<PayStep>,
    /// Sends from, s.
    pub from_s: f64,
    /// Sends until, s.
    pub until_s: f64,
    /// Its messages reach the ego within this distance, m.
    pub radio_range_m: f64,
}

/// The Day II parts of a scenario. See the [module docs](self).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Day2Spec {
    /// What the ego is.
    pub ego_kind: EgoKind,
    /// The ego's account.
    pub account: Option<AccountSpec>,
    /// The ego's commands.
    pub requests: Vec<RequestSpec>,
    /// Other vehicles' requests.
    pub actor_requests: Vec<ActorRequest>,
    /// A roadside coordinator.
    pub coordinator: Option<CoordinatorSpec>,
    /// Parking lots.
    pub parking: Vec<ParkingSpec>,
    /// Platoons.
    pub platoons: Vec<PlatoonSpec>,
    /// Payment stations.
    pub payments: Vec<PaymentSpec>,
}

impl Day2Spec {
    /// Whether the ego needs a host vehicle (it sends, or is addressed by its temporary id).
    pub fn needs_host(&self) -> bool {
        *self != Day2Spec::default()
    }
}

/// Conditions of an expectation on the cooperative content, the deceleration and the road
/// code of a warning.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExpectDetail {
    /// The state ([`Guidance::state_name`]): a request's (`sent`, `confirmed`, …), the
    /// platoon's (`member`, …), the payment's (`paid`, …) or the parking maneuver.
    pub state: Option<String>,
    /// The request type of request guidance.
    pub request: Option<RequestType>,
    /// Parking: the slot.
    pub slot: Option<u16>,
    /// Parking: the next node.
    pub next_node: Option<u16>,
    /// Parking: blocked.
    pub blocked: Option<bool>,
    /// Lane guidance: the target lane.
    pub target_lane: Option<u8>,
    /// Lane guidance: the gap taken.
    pub gap_taken: Option<bool>,
    /// Lane guidance: addressed by id.
    pub for_vehicle: Option<bool>,
    /// Lane guidance or platoon: the speed within 10 %, km/h.
    pub speed_kph: Option<f64>,
    /// Platoon: the role.
    pub role: Option<String>,
    /// The deceleration needed is at least this, m/s².
    pub decel_min_mps2: Option<f64>,
    /// The road code.
    pub code: Option<u16>,
    /// The road value (within 0.5).
    pub value: Option<f64>,
    /// The speed limit (within 1 km/h).
    pub limit_kph: Option<f64>,
}

/// An expectation on what the ego sends.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SendsExpect {
    /// `vir`, `clpmm` or `vpm`.
    pub message: String,
    /// VIR: the request type.
    pub request: Option<RequestType>,
    /// VIR: the request status (`request`, `cancel`, `complete`); CLPMM: the platoon status
    /// (`ask_for_joining`, `following`, …).
    pub status: Option<String>,
    /// VPM: `vsi` or `response`.
    pub step: Option<String>,
}

/// One message the ego sent, as decoded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SentRecord {
    /// Scenario time, s.
    pub t_s: f64,
    /// `bsm`, `ssm`, `vir`, `clpmm` or `vpm`.
    pub message: &'static str,
    /// VIR: the request type.
    pub request: Option<RequestType>,
    /// VIR: the request status; CLPMM: the platoon status.
    pub status: Option<&'static str>,
    /// VPM: `vsi` or `response`.
    pub step: Option<&'static str>,
}

impl SentRecord {
    /// Whether it matches an expectation.
    pub fn matches(&self, e: &SendsExpect) -> bool {
        self.message == e.message
            && e.request.is_none_or(|r| self.request == Some(r))
            && e.status.as_deref().is_none_or(|s| self.status == Some(s))
            && e.step.as_deref().is_none_or(|s| self.step == Some(s))
    }
}

impl ExpectDetail {
    /// Whether a warning's content meets the conditions.
    pub fn matches(&self, r: &super::Record) -> bool {
        let g = r.guidance.as_ref();
        let lane = |f: &dyn Fn(&Guidance) -> bool| g.is_some_and(f);
        self.state
            .as_deref()
            .is_none_or(|s| g.and_then(|g| g.state_name()) == Some(s))
            && self.request.is_none_or(|t| {
                lane(&|g| matches!(g, Guidance::Request { request, .. } if *request == t))
            })
            && self.slot.is_none_or(|s| {
                lane(&|g| matches!(g, Guidance::Parking { slot, .. } if *slot == Some(s)))
            })
            && self.next_node.is_none_or(|n| {
                lane(&|g| matches!(g, Guidance::Parking { next_node, .. } if *next_node == Some(n)))
            })
            && self.blocked.is_none_or(|b| {
                lane(&|g| matches!(g, Guidance::Parking { blocked, .. } if *blocked == b))
            })
            && self.target_lane.is_none_or(|l| {
                lane(
                    &|g| matches!(g, Guidance::Lane { target_lane, .. } if *target_lane == Some(l)),
                )
            })
            && self.gap_taken.is_none_or(|b| {
                lane(&|g| matches!(g, Guidance::Lane { gap_taken, .. } if *gap_taken == b))
            })
            && self.for_vehicle.is_none_or(|b| {
                lane(&|g| matches!(g, Guidance::Lane { for_vehicle, .. } if *for_vehicle == b))
            })
            && self.speed_kph.is_none_or(|v| {
                let near =
                    |s: Option<f64>| s.is_some_and(|s| (s * 3.6 - v).abs() <= 0.1 * v.abs() + 1e-6);
                lane(&|g| match g {
                    Guidance::Lane { speed_mps, .. } | Guidance::Platoon { speed_mps, .. } => {
                        near(*speed_mps)
                    }
                    _ => false,
                })
            })
            && self.role.as_deref().is_none_or(|n| {
                lane(&|g| matches!(g, Guidance::Platoon { role, .. } if role.name() == n))
            })
            && self
                .decel_min_mps2
                .is_none_or(|d| r.decel_mps2.is_some_and(|x| x >= d))
            && self
                .code
                .is_none_or(|c| r.road.is_some_and(|x| x.code == c))
            && self.value.is_none_or(|v| {
                r.road
                    .and_then(|x| x.value)
                    .is_some_and(|x| (x - v).abs() <= 0.5)
            })
            && self
                .limit_kph
                .is_none_or(|l| r.limit_kph.is_some_and(|x| (x - l).abs() <= 1.0))
    }
}

// ---------------------------------------------------------------------------------------
// Parsing.

#[cfg(feature = "jer")]
mod parsing {
    use super::super::parse::{Obj, parse_hex_id};
    use super::*;
    use alloc::string::ToString;
    use serde_json::Value;

    fn hex_or(o: &Obj<'_>, k: &str, d: [u8; 8]) -> R<[u8; 8]> {
        match o.str_opt(k)? {
            Some(s) => {
                parse_hex_id(s).ok_or_else(|| ScenarioError::invalid(o.p(k), "not 16 hex digits"))
            }
            None => Ok(d),
        }
    }

    /// `"ego"`, an actor id, or 16 hex digits.
    fn addressee(o: &Obj<'_>, k: &str) -> R<Option<Addressee>> {
        match o.get(k) {
            None => Ok(None),
            Some(Value::String(s)) if s == "ego" => Ok(Some(Addressee::Ego)),
            Some(Value::String(s)) => parse_hex_id(s)
                .map(|id| Some(Addressee::Id(id)))
                .ok_or_else(|| {
                    ScenarioError::invalid(o.p(k), "not \"ego\", an actor id or 16 hex digits")
                }),
            Some(v) => v
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .map(|n| Some(Addressee::Actor(n)))
                .ok_or_else(|| ScenarioError::WrongType {
                    path: o.p(k),
                    expected: "\"ego\", an actor id or 16 hex digits",
                }),
        }
    }

    /// A list of `[x, y]` points.
    pub(in super::super) fn parse_points(o: &Obj<'_>, k: &str) -> R<Vec<[f64; 2]>> {
        let mut out = Vec::new();
        for (i, p) in o.arr(k)?.iter().enumerate() {
            let a = p.as_array().map(|a| a.as_slice()).unwrap_or(&[]);
            match a {
                [x, y] => match (x.as_f64(), y.as_f64()) {
                    (Some(x), Some(y)) if x.is_finite() && y.is_finite() => out.push([x, y]),
                    _ => {
                        return Err(ScenarioError::invalid(
                            alloc::format!("{}[{i}]", o.p(k)),
                            "not an [x, y] point",
                        ));
                    }
                },
                _ => {
                    return Err(ScenarioError::invalid(
                        alloc::format!("{}[{i}]", o.p(k)),
                        "not an [x, y] point",
                    ));
                }
            }
        }
        Ok(out)
    }

    /// A list of names of a named-bit set.
    fn bits<T: Copy>(
        o: &Obj<'_>,
        k: &str,
        of: impl Fn(&str) -> Option<T>,
        names: &[&str],
    ) -> R<Vec<T>> {
        let mut out = Vec::new();
        for (i, v) in o.arr(k)?.iter().enumerate() {
            let s = v.as_str().unwrap_or("");
            match of(s) {
                Some(b) => out.push(b),
                None => {
                    return Err(ScenarioError::invalid(
                        alloc::format!("{}[{i}]", o.p(k)),
                        alloc::format!("`{s}` is not one of {}", names.join(", ")),
                    ));
                }
            }
        }
        Ok(out)
    }

    fn behavior(o: &Obj<'_>, k: &str) -> R<Option<Behavior>> {
        if !o.has(k) {
            o.get(k);
            return Ok(None);
        }
        let b = bits(o, k, Behavior::from_name, &Behavior::NAMES)?;
        Ok(Some(Behavior(b.iter().fold(0, |a, x| a | x.0))))
    }

    fn kinds_info(o: &Obj<'_>, k: &str) -> R<CoordinationKinds> {
        let b = bits(
            o,
            k,
            CoordinationKinds::from_name,
            &CoordinationKinds::NAMES,
        )?;
        Ok(CoordinationKinds(b.iter().fold(0, |a, x| a | x.0)))
    }

    fn parking_kinds(o: &Obj<'_>, k: &str) -> R<Option<ParkingKinds>> {
        if !o.has(k) {
            o.get(k);
            return Ok(None);
        }
        let b = bits(o, k, ParkingKinds::from_name, &ParkingKinds::NAMES)?;
        Ok(Some(ParkingKinds(b.iter().fold(0, |a, x| a | x.0))))
    }

    /// `{"upstream": 99, "downstream": 100, "lanes": [2], "region": 1}`.
    fn link(o: &Obj<'_>, k: &str) -> R<Option<LinkRef>> {
        let Some(lo) = o.obj(k)? else { return Ok(None) };
        let region = lo.uint_opt("region", 65_535)?.unwrap_or(1) as u16;
        let node = |key: &'static str| -> R<(u16, u16)> {
            let id = lo.uint_opt(key, 65_535)?.ok_or_else(|| lo.missing(key))?;
            Ok((region, id as u16))
        };
        let (upstream, downstream) = (node("upstream")?, node("downstream")?);
        let mut lanes = 0u16;
        for (i, v) in lo.arr("lanes")?.iter().enumerate() {
            match v.as_u64().filter(|n| (1..=15).contains(n)) {
                Some(n) => lanes |= 1 << n,
                None => {
                    return Err(ScenarioError::invalid(
                        alloc::format!("{}[{i}]", lo.p("lanes")),
                        "a lane is 1..=15",
                    ));
                }
            }
        }
        lo.finish()?;
        Ok(Some(LinkRef {
            upstream,
            downstream,
            lanes,
        }))
    }

    fn window(o: &Obj<'_>) -> R<(f64, f64)> {
        let from = o.f64_or("from_s", 0.0)?;
        let until = o.f64_or("until_s", f64::INFINITY)?;
        if until < from {
            return Err(ScenarioError::invalid(o.p("until_s"), "before `from_s`"));
        }
        Ok((from, until))
    }

    fn lane_id(o: &Obj<'_>, k: &str) -> R<Option<u8>> {
        Ok(o.uint_opt(k, 255)?.map(|v| v as u8))
    }

    fn service(o: &Obj<'_>, k: &str) -> R<Option<PaymentService>> {
        let names: Vec<(&str, PaymentService)> =
            PaymentService::ALL.iter().map(|s| (s.name(), *s)).collect();
        o.name_opt(k, &names)
    }

    fn step(o: &Obj<'_>, k: &str) -> R<Option<PayStep>> {
        o.name_opt(
            k,
            &[
                ("read", PayStep::Read),
                ("secure_read", PayStep::SecureRead),
                ("charge", PayStep::Charge),
                ("result", PayStep::Result),
            ],
        )
    }

    /// A platoon id: up to 17 characters of text (zero padded), or 34 hex digits.
    fn pid(o: &Obj<'_>, k: &str) -> R<Option<[u8; 17]>> {
        let Some(s) = o.str_opt(k)? else {
            return Ok(None);
        };
        let mut out = [0u8; 17];
        if s.len() == 34 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
            for (i, b) in out.iter_mut().enumerate() {
                *b = s
                    .get(2 * i..2 * i + 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .unwrap_or(0);
            }
        } else if !s.is_empty() && s.len() <= 17 && s.is_ascii() {
            out.get_mut(..s.len())
                .unwrap_or(&mut [])
                .copy_from_slice(s.as_bytes());
        } else {
            return Err(ScenarioError::invalid(
                o.p(k),
                "1 to 17 ASCII characters, or 34 hex digits",
            ));
        }
        Ok(Some(out))
    }

    /// `ego.kind` and `ego.account`.
    pub(in super::super) fn parse_ego(eo: &Obj<'_>) -> R<Day2Spec> {
        let mut d = Day2Spec {
            ego_kind: eo
                .name_opt(
                    "kind",
                    &[
                        ("car", EgoKind::Car),
                        ("truck", EgoKind::Truck),
                        ("bus", EgoKind::Bus),
                        ("emergency", EgoKind::Emergency),
                    ],
                )?
                .unwrap_or_default(),
            ..Day2Spec::default()
        };
        if let Some(a) = eo.obj("account")? {
            let services: Vec<PaymentService> = {
                let names: Vec<(&str, PaymentService)> =
                    PaymentService::ALL.iter().map(|s| (s.name(), *s)).collect();
                let mut out = Vec::new();
                for (i, v) in a.arr("services")?.iter().enumerate() {
                    let s = v.as_str().unwrap_or("");
                    match names.iter().find(|(n, _)| *n == s) {
                        Some((_, x)) => out.push(*x),
                        None => {
                            return Err(ScenarioError::invalid(
                                alloc::format!("{}[{i}]", a.p("services")),
                                "not a payment service",
                            ));
                        }
                    }
                }
                if out.is_empty() {
                    PaymentService::ALL.to_vec()
                } else {
                    out
                }
            };
            d.account = Some(AccountSpec {
                services,
                accept: a.bool_opt("accept")?.unwrap_or(true),
                refuse: step(&a, "refuse")?,
                obu_kind: a
                    .name_opt(
                        "obu_kind",
                        &[
                            ("oem", ObuKind::Oem),
                            ("aftermarket", ObuKind::Aftermarket),
                            ("phone", ObuKind::Phone),
                        ],
                    )?
                    .unwrap_or(ObuKind::Oem),
            });
            a.finish()?;
        }
        Ok(d)
    }

    /// `actors[i].requests`.
    pub(in super::super) fn parse_actor(ao: &Obj<'_>, actor: u32, d: &mut Day2Spec) -> R<()> {
        for (i, ro) in ao.objs("requests")?.into_iter().enumerate() {
            let (from_s, until_s) = window(&ro)?;
            let kind = ro.str_opt("kind")?.ok_or_else(|| ro.missing("kind"))?;
            let lane = lane_id(&ro, "lane")?.unwrap_or(0);
            let kind = match kind {
                "clear_the_way" => {
                    let path = match ro.get("path") {
                        None => None,
                        Some(Value::String(s)) if s == "ahead" => Some(PathSpec::Ahead(
                            ro.f64_in("path_length_m", 10.0..=2000.0)?.unwrap_or(300.0),
                        )),
                        Some(_) => Some(PathSpec::Points(parse_points(&ro, "path")?)),
                    };
                    if path.is_none() {
                        ro.get("path_length_m");
                    }
                    ActorRequestKind::ClearTheWay {
                        link: link(&ro, "link")?,
                        lane,
                        path,
                        radius_m: ro.f64_in("path_radius_m", 0.0..=100.0)?.unwrap_or(2.5),
                    }
                }
                "lane_change" => ActorRequestKind::LaneChange {
                    link: link(&ro, "link")?.ok_or_else(|| ro.missing("link"))?,
                    lane,
                },
                other => {
                    return Err(ScenarioError::invalid(
                        ro.p("kind"),
                        alloc::format!("`{other}` is not clear_the_way or lane_change"),
                    ));
                }
            };
            let status = ro
                .name_opt(
                    "status",
                    &[
                        ("request", RequestStatus::Request),
                        ("confirmed", RequestStatus::Confirmed),
                        ("cancel", RequestStatus::Cancel),
                        ("complete", RequestStatus::Complete),
                    ],
                )?
                .unwrap_or(RequestStatus::Request);
            d.actor_requests.push(ActorRequest {
                actor,
                from_s,
                until_s,
                id: ro.uint_opt("id", 255)?.unwrap_or(i as u64) as u8,
                kind,
                target: addressee(&ro, "target")?,
                status,
                life_s: ro.f64_in("life_s", 0.01..=655.0)?,
            });
            ro.finish()?;
        }
        Ok(())
    }

    fn coordinator(co: &Obj<'_>) -> R<CoordinatorSpec> {
        let (from_s, until_s) = window(co)?;
        let mut vehicles = Vec::new();
        for vo in co.objs("vehicles")? {
            let (from_s, until_s) = window(&vo)?;
            let mut path = Vec::new();
            for po in vo.objs("path")? {
                path.push(GuidePointSpec {
                    x: po.f64_req("x")?,
                    y: po.f64_req("y")?,
                    speed_kph: po.f64_in("speed_kph", 0.0..=300.0)?,
                    t_s: po.f64_opt("t_s")?,
                });
                po.finish()?;
            }
            if path.len() > 100 {
                return Err(ScenarioError::invalid(vo.p("path"), "at most 100 points"));
            }
            let related = parse_points(&vo, "related_path")?;
            let related_path = (!related.is_empty())
                .then_some(())
                .map(|()| -> R<(Vec<[f64; 2]>, f64)> {
                    Ok((
                        related.clone(),
                        vo.f64_in("related_path_radius_m", 0.0..=100.0)?
                            .unwrap_or(2.0),
                    ))
                })
                .transpose()?;
            if related_path.is_none() {
                vo.get("related_path_radius_m");
            }
            vehicles.push(VehicleGuidanceSpec {
                vehicle: addressee(&vo, "vehicle")?.ok_or_else(|| vo.missing("vehicle"))?,
                behavior: behavior(&vo, "behavior")?.unwrap_or_default(),
                life_s: vo.f64_in("life_s", 0.01..=655.0)?,
                link: link(&vo, "link")?,
                related_path,
                path,
                info: kinds_info(&vo, "info")?,
                from_s,
                until_s,
            });
            vo.finish()?;
        }
        let mut lanes = Vec::new();
        for lo in co.objs("lanes")? {
            let (from_s, until_s) = window(&lo)?;
            let path = parse_points(&lo, "path")?;
            if path.len() == 1 || path.len() > 32 {
                return Err(ScenarioError::invalid(
                    lo.p("path"),
                    "a path has 2 to 32 points",
                ));
            }
            let description = lo.str_opt("description")?.map(ToString::to_string);
            if description
                .as_ref()
                .is_some_and(|d| d.is_empty() || d.len() > 512 || !d.is_ascii())
            {
                return Err(ScenarioError::invalid(
                    lo.p("description"),
                    "1 to 512 ASCII characters",
                ));
            }
            lanes.push(LaneGuidanceSpec {
                link: link(&lo, "link")?.ok_or_else(|| lo.missing("link"))?,
                path,
                path_radius_m: lo.f64_in("path_radius_m", 0.0..=100.0)?.unwrap_or(2.0),
                begin_s: lo.f64_opt("begin_s")?,
                end_s: lo.f64_opt("end_s")?,
                speed_kph: lo.f64_in("speed_kph", 0.0..=300.0)?,
                behavior: behavior(&lo, "behavior")?,
                info: kinds_info(&lo, "info")?,
                description,
                from_s,
                until_s,
            });
            lo.finish()?;
        }
        let answer = co
            .name_opt(
                "answer",
                &[
                    ("none", Answer::None),
                    ("confirm", Answer::Confirm),
                    ("refuse", Answer::Refuse),
                    ("rsc", Answer::Rsc),
                ],
            )?
            .unwrap_or(Answer::None);
        Ok(CoordinatorSpec {
            id: hex_or(co, "id", RSU_ID)?,
            x: co.f64_or("x", 0.0)?,
            y: co.f64_or("y", 0.0)?,
            from_s,
            until_s,
            vehicles,
            lanes,
            answer,
            answer_delay_s: co.f64_in("answer_delay_s", 0.0..=60.0)?.unwrap_or(0.3),
        })
    }

    fn slot_status(o: &Obj<'_>, k: &str) -> R<Option<SlotStatus>> {
        o.name_opt(
            k,
            &[
                ("unknown", SlotStatus::Unknown),
                ("available", SlotStatus::Available),
                ("occupied", SlotStatus::Occupied),
                ("reserved", SlotStatus::Reserved),
            ],
        )
    }

    fn node_ids(o: &Obj<'_>, k: &str) -> R<Vec<u16>> {
        let mut out = Vec::new();
        for (i, v) in o.arr(k)?.iter().enumerate() {
            match v.as_u64().and_then(|n| u16::try_from(n).ok()) {
                Some(n) => out.push(n),
                None => {
                    return Err(ScenarioError::invalid(
                        alloc::format!("{}[{i}]", o.p(k)),
                        "not a node id 0..=65535",
                    ));
                }
            }
        }
        Ok(out)
    }

    fn parking(po: &Obj<'_>) -> R<ParkingSpec> {
        let (from_s, until_s) = window(po)?;
        let mut nodes = Vec::new();
        for no in po.objs("nodes")? {
            let mut drives = Vec::new();
            for d in no.objs("drives")? {
                let mut slots = Vec::new();
                for so in d.objs("slots")? {
                    slots.push(SlotSpec {
                        id: so.uint_opt("id", 65_535)?.ok_or_else(|| so.missing("id"))? as u16,
                        x: so.f64_req("x")?,
                        y: so.f64_req("y")?,
                        heading_deg: so.f64_or("heading_deg", 0.0)?,
                        length_m: so.f64_in("length_m", 1.0..=30.0)?.unwrap_or(5.0),
                        width_m: so.f64_in("width_m", 1.0..=10.0)?.unwrap_or(2.5),
                        status: slot_status(&so, "status")?.unwrap_or(SlotStatus::Available),
                        kinds: parking_kinds(&so, "type")?.unwrap_or(ParkingKinds::ORDINARY),
                    });
                    so.finish()?;
                }
                let points = parse_points(&d, "points")?;
                if points.len() == 1 || points.len() > 31 {
                    return Err(ScenarioError::invalid(
                        d.p("points"),
                        "a drive has 2 to 31 points (or none)",
                    ));
                }
                drives.push(DriveSpec {
                    from: d
                        .uint_opt("from", 65_535)?
                        .ok_or_else(|| d.missing("from"))? as u16,
                    points,
                    speed_limit_kph: d.f64_in("speed_limit_kph", 1.0..=100.0)?,
                    slots,
                });
                d.finish()?;
            }
            let attributes = bits(
                &no,
                "attributes",
                NodeAttributes::from_name,
                &NodeAttributes::NAMES,
            )?;
            nodes.push(NodeSpec {
                id: no.uint_opt("id", 65_535)?.ok_or_else(|| no.missing("id"))? as u16,
                x: no.f64_req("x")?,
                y: no.f64_req("y")?,
                floor: no.f64_in("floor", -128.0..=128.0)?.map(|f| f as i16),
                attributes: NodeAttributes(attributes.iter().fold(0, |a, x| a | x.0)),
                drives,
            });
            no.finish()?;
        }
        if nodes.is_empty() || nodes.len() > 63 {
            return Err(ScenarioError::invalid(
                po.p("nodes"),
                "a lot has 1 to 63 nodes",
            ));
        }
        let mut guidance = Vec::new();
        for go in po.objs("guidance")? {
            let (from_s, until_s) = window(&go)?;
            guidance.push(GuideSpec {
                vehicle: addressee(&go, "vehicle")?.ok_or_else(|| go.missing("vehicle"))?,
                path: node_ids(&go, "path")?,
                slot: go.uint_opt("slot", 65_535)?.map(|s| s as u16),
                from_s,
                until_s,
            });
            go.finish()?;
        }
        let answer = match po.obj("answer")? {
            Some(ao) => {
                let a = (
                    node_ids(&ao, "path")?,
                    ao.uint_opt("slot", 65_535)?.map(|s| s as u16),
                    ao.f64_in("delay_s", 0.0..=60.0)?.unwrap_or(0.5),
                );
                ao.finish()?;
                Some(a)
            }
            None => None,
        };
        let mut slot_changes = Vec::new();
        for co in po.objs("slot_changes")? {
            slot_changes.push((
                co.f64_req("at_s")?,
                co.uint_opt("slot", 65_535)?
                    .ok_or_else(|| co.missing("slot"))? as u16,
                slot_status(&co, "status")?.ok_or_else(|| co.missing("status"))?,
            ));
            co.finish()?;
        }
        Ok(ParkingSpec {
            lot_id: po.uint_opt("lot_id", 65_535)?.map(|v| v as u16),
            name: po.str_opt("name")?.map(|s| s.chars().take(63).collect()),
            avp: po.uint_opt("avp", 5)?.map(|v| v as u8),
            floors: po.uint_opt("floors", 256)?.map(|v| v as u16),
            capacity: po.uint_opt("capacity", 65_535)?.map(|v| v as u16),
            from_s,
            until_s,
            nodes,
            guidance,
            answer,
            slot_changes,
        })
    }

    fn platoon(po: &Obj<'_>) -> R<PlatoonSpec> {
        let (from_s, until_s) = window(po)?;
        let mut members = Vec::new();
        for (i, v) in po.arr("members")?.iter().enumerate() {
            match v.as_u64().and_then(|n| u32::try_from(n).ok()) {
                Some(n) => members.push(n),
                None => {
                    return Err(ScenarioError::invalid(
                        alloc::format!("{}[{i}]", po.p("members")),
                        "not an actor id",
                    ));
                }
            }
        }
        Ok(PlatoonSpec {
            pid: pid(po, "id")?.ok_or_else(|| po.missing("id"))?,
            leader: po
                .uint_opt("leader", u64::from(u32::MAX))?
                .ok_or_else(|| po.missing("leader"))? as u32,
            members,
            capacity: po.uint_opt("capacity", 32)?.map_or(8, |c| (c as u8).max(1)),
            open: po.bool_opt("open")?.unwrap_or(true),
            admit: po.bool_opt("admit")?.unwrap_or(true),
            from_s,
            until_s,
            dismiss_at_s: po.f64_opt("dismiss_at_s")?,
        })
    }

    fn payment(po: &Obj<'_>) -> R<PaymentSpec> {
        let (from_s, until_s) = window(po)?;
        let mut steps = Vec::new();
        for (i, v) in po.arr("steps")?.iter().enumerate() {
            let s = v.as_str().unwrap_or("");
            steps.push(match s {
                "read" => PayStep::Read,
                "secure_read" => PayStep::SecureRead,
                "charge" => PayStep::Charge,
                "result" => PayStep::Result,
                _ => {
                    return Err(ScenarioError::invalid(
                        alloc::format!("{}[{i}]", po.p("steps")),
                        "not read, secure_read, charge or result",
                    ));
                }
            });
        }
        if steps.is_empty() {
            steps = alloc::vec![PayStep::Read, PayStep::Charge, PayStep::Result];
        }
        let direction = match (po.f64_opt("direction_deg")?, po.str_opt("direction")?) {
            (Some(_), Some(_)) => {
                return Err(ScenarioError::invalid(
                    po.p("direction"),
                    "given twice (also as `direction_deg`)",
                ));
            }
            (Some(d), None) => Some(d),
            (None, Some(s)) => {
                let names = [
                    "north",
                    "northeast",
                    "east",
                    "southeast",
                    "south",
                    "southwest",
                    "west",
                    "northwest",
                ];
                let i = names.iter().position(|n| *n == s).ok_or_else(|| {
                    ScenarioError::invalid(po.p("direction"), "not a compass direction")
                })?;
                Some(45.0 * i as f64)
            }
            (None, None) => None,
        };
        Ok(PaymentSpec {
            id: hex_or(po, "id", *b"PAY\0\0\0\0\x01")?,
            x: po.f64_or("x", 0.0)?,
            y: po.f64_or("y", 0.0)?,
            service: service(po, "service")?.unwrap_or(PaymentService::Freeflow),
            station_id: po.uint_opt("station_id", u64::from(u32::MAX))?.unwrap_or(1) as u32,
            node_type: po
                .name_opt(
                    "node_type",
                    &[
                        ("entrance", StationKind::Entrance),
                        ("exit", StationKind::Exit),
                        ("entrance_and_exit", StationKind::EntranceAndExit),
                        ("gantry", StationKind::Gantry),
                    ],
                )?
                .unwrap_or(StationKind::Gantry),
            direction_deg: direction,
            price: po.uint_opt("price", 424_967_295)?.unwrap_or(0) as u32,
            result: po
                .name_opt(
                    "result",
                    &[
                        ("ok", TollResult::Ok),
                        ("nok", TollResult::Nok),
                        ("contact_operator", TollResult::ContactOperator),
                    ],
                )?
                .unwrap_or(TollResult::Ok),
            steps,
            from_s,
            until_s,
            radio_range_m: po.f64_in("radio_range_m", 1.0..=5000.0)?.unwrap_or(300.0),
        })
    }

    fn side(o: &Obj<'_>) -> R<Side> {
        Ok(
            o.name_opt("side", &[("left", Side::Left), ("right", Side::Right)])?
                .unwrap_or(Side::Left),
        )
    }

    fn request(ro: &Obj<'_>) -> R<RequestSpec> {
        let at_s = ro.f64_req("at_s")?;
        let kind = ro.str_opt("kind")?.ok_or_else(|| ro.missing("kind"))?;
        let command = match kind {
            "lane_change" => Command::LaneChange {
                side: side(ro)?,
                link: link(ro, "link")?,
                lane: lane_id(ro, "lane")?,
            },
            "clear_the_way" => Command::ClearTheWay {
                duration_s: ro.f64_in("duration_s", 1.0..=600.0)?.unwrap_or(30.0),
            },
            "signal_priority" => Command::SignalPriority,
            "parking" => {
                let services = bits(
                    ro,
                    "services",
                    ParkingServices::from_name,
                    &ParkingServices::NAMES,
                )?;
                Command::Parking {
                    lot: ro.uint_opt("lot", 65_535)?.map(|v| v as u16),
                    services: ParkingServices(services.iter().fold(0, |a, x| a | x.0)),
                    kinds: parking_kinds(ro, "type")?,
                    slot: ro.uint_opt("slot", 65_535)?.map(|v| v as u16),
                }
            }
            "cancel_parking" => Command::CancelParking,
            "join_platoon" => Command::JoinPlatoon {
                platoon: pid(ro, "platoon")?,
            },
            "leave_platoon" => Command::LeavePlatoon,
            "lead_platoon" => Command::LeadPlatoon {
                platoon: pid(ro, "platoon")?.ok_or_else(|| ro.missing("platoon"))?,
                capacity: ro.uint_opt("capacity", 32)?.map_or(8, |c| (c as u8).max(1)),
            },
            other => {
                return Err(ScenarioError::invalid(
                    ro.p("kind"),
                    alloc::format!(
                        "`{other}` is not lane_change, clear_the_way, signal_priority, parking, \
                         cancel_parking, join_platoon, leave_platoon or lead_platoon"
                    ),
                ));
            }
        };
        ro.finish()?;
        Ok(RequestSpec { at_s, command })
    }

    /// The top-level Day II sections.
    pub(in super::super) fn parse_sections(o: &Obj<'_>, d: &mut Day2Spec) -> R<()> {
        if let Some(co) = o.obj("coordinator")? {
            d.coordinator = Some(coordinator(&co)?);
            co.finish()?;
        }
        let single = o.obj("parking")?;
        if single.is_some() && o.has("parking_lots") {
            return Err(ScenarioError::invalid(
                "parking_lots",
                "given twice (also as `parking`)",
            ));
        }
        for po in single.into_iter().chain(o.objs("parking_lots")?) {
            d.parking.push(parking(&po)?);
            po.finish()?;
        }
        let single = o.obj("platoon")?;
        if single.is_some() && o.has("platoons") {
            return Err(ScenarioError::invalid(
                "platoons",
                "given twice (also as `platoon`)",
            ));
        }
        for po in single.into_iter().chain(o.objs("platoons")?) {
            d.platoons.push(platoon(&po)?);
            po.finish()?;
        }
        let single = o.obj("payment")?;
        if single.is_some() && o.has("payments") {
            return Err(ScenarioError::invalid(
                "payments",
                "given twice (also as `payment`)",
            ));
        }
        for po in single.into_iter().chain(o.objs("payments")?) {
            d.payments.push(payment(&po)?);
            po.finish()?;
        }
        for ro in o.objs("requests")? {
            d.requests.push(request(&ro)?);
        }
        d.requests.sort_by(|a, b| a.at_s.total_cmp(&b.at_s));
        Ok(())
    }

    /// The Day II conditions of an expectation.
    pub(in super::super) fn parse_detail(eo: &Obj<'_>) -> R<ExpectDetail> {
        let request = eo.name_opt(
            "request",
            &[
                ("lane_change", RequestType::LaneChange),
                ("clear_the_way", RequestType::ClearTheWay),
                ("signal_priority", RequestType::SignalPriority),
                ("parking", RequestType::Parking),
            ],
        )?;
        Ok(ExpectDetail {
            state: eo.str_opt("state")?.map(ToString::to_string),
            request,
            slot: eo.uint_opt("slot", 65_535)?.map(|v| v as u16),
            next_node: eo.uint_opt("next_node", 65_535)?.map(|v| v as u16),
            blocked: eo.bool_opt("blocked")?,
            target_lane: lane_id(eo, "target_lane")?,
            gap_taken: eo.bool_opt("gap_taken")?,
            for_vehicle: eo.bool_opt("for_vehicle")?,
            speed_kph: eo.f64_opt("speed_kph")?,
            role: eo.str_opt("role")?.map(ToString::to_string),
            decel_min_mps2: eo.f64_opt("decel_min_mps2")?,
            code: eo.uint_opt("code", 65_535)?.map(|v| v as u16),
            value: eo.f64_opt("value")?,
            limit_kph: eo.f64_opt("limit_kph")?,
        })
    }

    /// `sends` and its conditions.
    pub(in super::super) fn parse_sends(eo: &Obj<'_>) -> R<Option<SendsExpect>> {
        let Some(msg) = eo.name_opt(
            "sends",
            &[("vir", "vir"), ("clpmm", "clpmm"), ("vpm", "vpm")],
        )?
        else {
            return Ok(None);
        };
        // `request` and `state` belong to the warning conditions; a `sends` expectation
        // names its request in `request` too, its status in `status`, its VPM step in `step`.
        let request = if eo.has("request") {
            eo.name_opt(
                "request",
                &[
                    ("lane_change", RequestType::LaneChange),
                    ("clear_the_way", RequestType::ClearTheWay),
                    ("signal_priority", RequestType::SignalPriority),
                    ("parking", RequestType::Parking),
                ],
            )?
        } else {
            None
        };
        Ok(Some(SendsExpect {
            message: msg.into(),
            request,
            status: eo.str_opt("status")?.map(ToString::to_string),
            step: eo
                .name_opt("step", &[("vsi", "vsi"), ("response", "response")])?
                .map(ToString::to_string),
        }))
    }
}

#[cfg(feature = "jer")]
pub(super) use parsing::{
    parse_actor, parse_detail, parse_ego, parse_points, parse_sections, parse_sends,
};

/// Checks what the parts of a scenario say about each other: actors named exist, a `sends`
/// expectation has no application, times are within the scenario.
pub(super) fn check(sc: &super::Scenario) -> R<()> {
    let actor = |id: u32| sc.actors.iter().any(|a| a.id == id);
    for (i, p) in sc.day2.platoons.iter().enumerate() {
        for id in core::iter::once(p.leader).chain(p.members.iter().copied()) {
            if !actor(id) {
                return Err(ScenarioError::invalid(
                    alloc::format!("platoons[{i}]"),
                    alloc::format!("actor {id} does not exist"),
                ));
            }
        }
    }
    let addressed = |a: &Addressee| match a {
        Addressee::Actor(id) => actor(*id),
        _ => true,
    };
    if let Some(c) = &sc.day2.coordinator {
        for (i, v) in c.vehicles.iter().enumerate() {
            if !addressed(&v.vehicle) {
                return Err(ScenarioError::invalid(
                    alloc::format!("coordinator.vehicles[{i}].vehicle"),
                    "no such actor",
                ));
            }
        }
    }
    for (i, e) in sc.expect.iter().enumerate() {
        if e.sends.is_some() && (e.app.is_some() || e.level.is_some() || e.max_level.is_some()) {
            return Err(ScenarioError::invalid(
                alloc::format!("expect[{i}].sends"),
                "an expectation on what the ego sends has no `app`, `level` or `max_level`",
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The test account.

/// The scenario's payment account: it takes part in the services listed, answers every
/// step with fixed test data, and refuses the step named.
#[derive(Debug, Clone)]
pub struct TestAccount {
    spec: AccountSpec,
    /// Charges made.
    pub charges: u32,
}

impl TestAccount {
    /// The account of a scenario.
    pub fn new(spec: AccountSpec) -> Self {
        TestAccount { spec, charges: 0 }
    }

    fn refuses(&self, s: PayStep) -> Result<(), ReturnCode> {
        if self.spec.refuse == Some(s) {
            Err(ReturnCode::AccessDenied)
        } else {
            Ok(())
        }
    }
}

impl PaymentAccount for TestAccount {
    fn application(&mut self, service: PaymentService) -> Option<ObuPaymentData> {
        self.spec
            .services
            .contains(&service)
            .then_some(ObuPaymentData {
                equipment: Some(crate::world::day2::EquipmentClass::OneChip),
                card: None,
                contract: None,
                vehicle: Some(VehicleFile {
                    plate: *b"TEST-PLATE01",
                    plate_color: [0, 1],
                    toll_class: 1,
                    user_type: 0,
                    length: 480,
                    width: 19,
                    height: 15,
                    wheels: 4,
                    axles: 2,
                    wheel_base: 280,
                    weight_limit: 5,
                    identification: [0x11; 16],
                    engine: [0x22; 16],
                }),
                entrance: None,
            })
    }

    fn obu_kind(&self) -> ObuKind {
        self.spec.obu_kind
    }

    fn accept(&mut self, _: &crate::world::day2::OfferedService) -> bool {
        self.spec.accept
    }

    fn challenge(&mut self) -> Option<[u8; 8]> {
        Some([0x5A; 8])
    }

    fn read_files(
        &mut self,
        _: PaymentService,
        _: FileRange,
        toll: Option<FileRange>,
        _: Option<u8>,
    ) -> Result<([u8; 127], Option<[u8; 127]>), ReturnCode> {
        self.refuses(PayStep::Read)?;
        Ok(([0x31; 127], toll.map(|_| [0x32; 127])))
    }

    fn secure_read(
        &mut self,
        _: PaymentService,
        _: FileRange,
        rnd: [u8; 8],
        _: u8,
        _: Option<u8>,
    ) -> Result<[u8; 8], ReturnCode> {
        self.refuses(PayStep::SecureRead)?;
        Ok(rnd.map(|b| b ^ 0xA5))
    }

    fn charge(
        &mut self,
        _: PaymentService,
        _: &ChargeRequest,
    ) -> Result<ChargeReceipt, ReturnCode> {
        self.refuses(PayStep::Charge)?;
        self.charges += 1;
        Ok(ChargeReceipt {
            tac: Some([1, 2, 3, 4]),
            authenticator: Some([9; 8]),
            account: Some(alloc::vec![0x42; 8]),
            credential: None,
        })
    }

    fn channel(
        &mut self,
        _: PaymentChannel,
        apdus: &[[u8; 127]],
    ) -> Result<Vec<[u8; 127]>, ReturnCode> {
        Ok(apdus.to_vec())
    }
}

// ---------------------------------------------------------------------------------------
// Building and playing the counterparts.

fn no_ext() -> UnknownExtensions {
    UnknownExtensions::default()
}

fn ext(message_id: u16, value: m::MessageFrameExtValue) -> m::MessageFrame {
    m::MessageFrame::MsgFrameExt(m::MessageFrameExt {
        message_id,
        value,
        unknown_ext: no_ext(),
    })
}

/// What the counterparts need of the run at one step.
pub struct StepView<'a> {
    /// Scenario time, s.
    pub t_s: f64,
    /// Absolute time.
    pub now: Timestamp,
    /// The scenario frame.
    pub frame: &'a EnuFrame,
    /// The ego's temporary id.
    pub ego_id: Option<[u8; 8]>,
    /// The ego's true state.
    pub ego: &'a MotionState,
    /// The actors' true states (id, state).
    pub actors: &'a [(u32, MotionState)],
}

impl<'a> StepView<'a> {
    /// The view of a step: `states` holds the ego (id 0) first, then the actors.
    pub fn new(
        t_s: f64,
        now: Timestamp,
        frame: &'a EnuFrame,
        ego_id: Option<[u8; 8]>,
        states: &'a [(u32, MotionState)],
    ) -> Option<Self> {
        let ((_, ego), actors) = states.split_first()?;
        Some(StepView {
            t_s,
            now,
            frame,
            ego_id,
            ego,
            actors,
        })
    }

    fn wgs(&self, p: [f64; 2]) -> Wgs84 {
        self.frame
            .wgs84_from_enu(&nalgebra::Vector3::new(p[0], p[1], 0.0))
    }

    fn id_of(&self, a: &Addressee) -> Option<[u8; 8]> {
        match a {
            Addressee::Ego => self.ego_id,
            Addressee::Actor(id) => Some(actor_vehicle_id(*id)),
            Addressee::Id(id) => Some(*id),
        }
    }

    fn actor(&self, id: u32) -> Option<&MotionState> {
        self.actors.iter().find(|(a, _)| *a == id).map(|(_, s)| s)
    }

    fn at(&self, t_s: f64) -> Timestamp {
        self.now.add_micros(((t_s - self.t_s) * 1e6).round() as i64)
    }
}

fn live(t_s: f64, from: f64, until: f64) -> bool {
    from <= t_s + 1e-9 && t_s <= until + 1e-9
}

/// An answer the coordinator owes the ego.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Owed {
    due_s: f64,
    until_s: f64,
    req_id: u8,
    request: RequestType,
}

/// A platoon's bookkeeping of the ego.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct PlatoonEgo {
    asked_at: Option<f64>,
    member: bool,
    joining: bool,
    leaving_since: Option<f64>,
}

/// A station's transaction with the ego.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Txn {
    started: bool,
    step: usize,
    due_s: Option<f64>,
    done: bool,
    /// A step was refused: the result shown is `nok`.
    refused: bool,
    obu: [u8; 8],
}

/// The counterparts' state during a run.
#[derive(Debug, Default)]
pub struct Counterparts {
    owed: Vec<Owed>,
    seen_requests: Vec<(RequestType, u8)>,
    parking_answer_from: Option<f64>,
    platoon_ego: Vec<PlatoonEgo>,
    txns: Vec<Txn>,
    count: u8,
    /// Every message the ego sent, decoded.
    pub sent: Vec<SentRecord>,
}

impl Counterparts {
    /// Counterparts for a scenario.
    pub fn new(d: &Day2Spec) -> Self {
        Counterparts {
            platoon_ego: alloc::vec![PlatoonEgo::default(); d.platoons.len()],
            txns: alloc::vec![Txn::default(); d.payments.len()],
            ..Counterparts::default()
        }
    }

    /// Builds the messages of this step and hands them to `send` (frame, AID).
    pub fn messages(
        &mut self,
        d: &Day2Spec,
        v: &StepView<'_>,
        send: &mut dyn FnMut(&m::MessageFrame, u32),
    ) {
        self.count = self.count.wrapping_add(1) % 128;
        if let Some(c) = &d.coordinator {
            if live(v.t_s, c.from_s, c.until_s) {
                if let Some(f) = self.rsc(c, v) {
                    send(&f, aid_of(&f));
                }
                if let Some(f) = self.rsu_answers(c, v) {
                    send(&f, aid_of(&f));
                }
            }
        }
        for p in &d.parking {
            if live(v.t_s, p.from_s, p.until_s) {
                let f = self.pam(p, v);
                send(&f, aid_of(&f));
            }
        }
        for (i, p) in d.platoons.iter().enumerate() {
            if live(v.t_s, p.from_s, p.until_s) {
                for f in self.clpmm(i, p, v) {
                    send(&f, aid_of(&f));
                }
            }
        }
        for (i, p) in d.payments.iter().enumerate() {
            let near = {
                let (dx, dy) = (v.ego.x - p.x, v.ego.y - p.y);
                dx.hypot(dy) <= p.radio_range_m
            };
            if live(v.t_s, p.from_s, p.until_s) && near {
                for f in self.vpm(i, p, v) {
                    send(&f, aid_of(&f));
                }
            }
        }
        let mut by_actor: Vec<u32> = d.actor_requests.iter().map(|r| r.actor).collect();
        by_actor.sort_unstable();
        by_actor.dedup();
        for a in by_actor {
            if let Some(f) = self.actor_vir(d, a, v) {
                send(&f, aid_of(&f));
            }
        }
    }

    fn rsc(&self, c: &CoordinatorSpec, v: &StepView<'_>) -> Option<m::MessageFrame> {
        let ref_pos = pos3d(&v.wgs([c.x, c.y]));
        let mut vehicles: Vec<m::VehicleCoordination> = Vec::new();
        for g in c
            .vehicles
            .iter()
            .filter(|g| live(v.t_s, g.from_s, g.until_s))
        {
            let Some(id) = v.id_of(&g.vehicle) else {
                continue;
            };
            vehicles.push(vehicle_coordination(id, g, &ref_pos, v));
        }
        // The RSC answer to the ego's requests: one guidance of their services.
        let info = self
            .owed
            .iter()
            .filter(|o| c.answer == Answer::Rsc && o.due_s <= v.t_s && v.t_s <= o.until_s)
            .map(|o| match o.request {
                RequestType::SignalPriority => CoordinationKinds::SIGNAL_PRIORITY,
                _ => CoordinationKinds::LANE_CHANGE,
            })
            .reduce(|a, b| CoordinationKinds(a.0 | b.0));
        if let (Some(info), Some(id)) = (info, v.ego_id) {
            let g = VehicleGuidanceSpec {
                vehicle: Addressee::Ego,
                behavior: Behavior::default(),
                life_s: Some(5.0),
                link: None,
                related_path: None,
                path: Vec::new(),
                info,
                from_s: 0.0,
                until_s: f64::INFINITY,
            };
            vehicles.push(vehicle_coordination(id, &g, &ref_pos, v));
        }
        vehicles.truncate(16);
        let lanes: Vec<m::LaneCoordination> = c
            .lanes
            .iter()
            .filter(|l| live(v.t_s, l.from_s, l.until_s))
            .take(8)
            .map(|l| m::LaneCoordination {
                target_lane: link_to_wire(&l.link),
                related_path: (l.path.len() >= 2).then(|| m::ReferencePath {
                    active_path: l
                        .path
                        .iter()
                        .map(|p| offset(&ref_pos, &v.wgs(*p)))
                        .collect(),
                    path_radius: (l.path_radius_m * 10.0).round().clamp(0.0, 65_535.0) as u16,
                }),
                t_begin: l.begin_s.map(|s| ddatetime_to_wire(v.at(s))),
                t_end: l.end_s.map(|s| ddatetime_to_wire(v.at(s))),
                recommended_speed: l.speed_kph.map(|k| to_wire::speed(Some(k / 3.6))),
                recommended_behavior: l.behavior.map(behavior_wire),
                info: (!l.info.is_empty()).then(|| info_wire(l.info)),
                description: l
                    .description
                    .as_ref()
                    .map(|d| m::Description::TextString(d.clone())),
                unknown_ext: no_ext(),
            })
            .collect();
        if vehicles.is_empty() && lanes.is_empty() {
            return None;
        }
        Some(ext(
            11,
            m::MessageFrameExtValue::RoadsideCoordination(m::RoadsideCoordination {
                msg_cnt: self.count,
                id: c.id,
                sec_mark: to_wire::sec_mark(v.now),
                ref_pos,
                coordinates: (!vehicles.is_empty()).then_some(vehicles),
                lane_coordinates: (!lanes.is_empty()).then_some(lanes),
                unknown_ext: no_ext(),
            }),
        ))
    }

    /// The coordinator's VIR answers (confirm / refuse) to the ego's requests.
    fn rsu_answers(&self, c: &CoordinatorSpec, v: &StepView<'_>) -> Option<m::MessageFrame> {
        let status = match c.answer {
            Answer::Confirm => m::ReqStatus::Comfirmed,
            Answer::Refuse => m::ReqStatus::Cancel,
            Answer::None | Answer::Rsc => return None,
        };
        let ego = v.ego_id?;
        let reqs: Vec<m::DriveRequest> = self
            .owed
            .iter()
            .filter(|o| o.due_s <= v.t_s && v.t_s <= o.until_s)
            .take(8)
            .map(|o| m::DriveRequest {
                req_id: o.req_id,
                status,
                req_priority: None,
                target_veh: Some(ego),
                target_rsu: None,
                info: None,
                life_time: None,
                unknown_ext: no_ext(),
            })
            .collect();
        if reqs.is_empty() {
            return None;
        }
        Some(vir_frame(
            c.id,
            self.count,
            &pos3d(&v.wgs([c.x, c.y])),
            v,
            None,
            reqs,
        ))
    }

    fn pam(&self, p: &ParkingSpec, v: &StepView<'_>) -> m::MessageFrame {
        let status_at = |slot: u16, base: SlotStatus| {
            p.slot_changes
                .iter()
                .rfind(|(t, s, _)| *s == slot && *t <= v.t_s + 1e-9)
                .map_or(base, |(_, _, st)| *st)
        };
        let nodes: Vec<m::PAMNode> = p
            .nodes
            .iter()
            .map(|n| {
                let ref_pos = pos3d(&v.wgs([n.x, n.y]));
                let drives: Vec<m::PAMDrive> = n
                    .drives
                    .iter()
                    .map(|d| m::PAMDrive {
                        upstream_pam_node_id: d.from,
                        drive_id: None,
                        twoway_sepration: None,
                        speed_limit: d.speed_limit_kph.map(|k| to_wire::speed(Some(k / 3.6))),
                        height_restriction: None,
                        drive_width: None,
                        lane_num: None,
                        points: (d.points.len() >= 2).then(|| {
                            d.points
                                .iter()
                                .map(|q| m::RoadPoint {
                                    pos_offset: offset(&ref_pos, &v.wgs(*q)),
                                    unknown_ext: no_ext(),
                                })
                                .collect()
                        }),
                        movements: None,
                        parking_slots: (!d.slots.is_empty()).then(|| {
                            d.slots
                                .iter()
                                .take(256)
                                .map(|s| slot_wire(s, status_at(s.id, s.status), &ref_pos, v))
                                .collect()
                        }),
                        unknown_ext: no_ext(),
                    })
                    .take(63)
                    .collect();
                let mut attributes = m::PAMNodeAttributes::default();
                for i in 0..8 {
                    if n.attributes.0 & (1 << i) != 0 {
                        attributes.set(i, true);
                    }
                }
                m::PAMNode {
                    id: n.id,
                    ref_pos,
                    floor: n.floor,
                    attributes: (!n.attributes.is_empty()).then_some(attributes),
                    in_drives: (!drives.is_empty()).then_some(drives),
                    unknown_ext: no_ext(),
                }
            })
            .collect();
        let mut guides: Vec<m::ParkingGuide> = p
            .guidance
            .iter()
            .filter(|g| live(v.t_s, g.from_s, g.until_s) && !g.path.is_empty())
            .filter_map(|g| {
                Some(m::ParkingGuide {
                    veh_id: v.id_of(&g.vehicle)?,
                    drive_path: g.path.iter().take(32).copied().collect(),
                    target_parking_slot: g.slot,
                    unknown_ext: no_ext(),
                })
            })
            .collect();
        if let (Some((path, slot, _)), Some(from), Some(ego)) =
            (&p.answer, self.parking_answer_from, v.ego_id)
        {
            if from <= v.t_s && !path.is_empty() {
                guides.push(m::ParkingGuide {
                    veh_id: ego,
                    drive_path: path.iter().take(32).copied().collect(),
                    target_parking_slot: *slot,
                    unknown_ext: no_ext(),
                });
            }
        }
        guides.truncate(16);
        ext(
            14,
            m::MessageFrameExtValue::PamData(m::PAMData {
                msg_cnt: self.count,
                time_stamp: Some(v.now.to_minute_of_year().0.get()),
                parking_lot_info: m::ParkingLotInfo {
                    id: p.lot_id,
                    name: p.name.clone(),
                    number: p.capacity,
                    building_layer_num: p.floors,
                    avp_type: p.avp.map(|a| match a {
                        0 => m::AVPType::P0,
                        1 => m::AVPType::P1,
                        2 => m::AVPType::P2,
                        3 => m::AVPType::P3,
                        4 => m::AVPType::P4,
                        _ => m::AVPType::P5,
                    }),
                    unknown_ext: no_ext(),
                },
                pam_nodes: nodes,
                parking_area_guidance: (!guides.is_empty()).then_some(guides),
                unknown_ext: no_ext(),
            }),
        )
    }

    fn clpmm(&self, i: usize, p: &PlatoonSpec, v: &StepView<'_>) -> Vec<m::MessageFrame> {
        let pe = self.platoon_ego.get(i).copied().unwrap_or_default();
        let dismissing = p.dismiss_at_s.is_some_and(|t| v.t_s + 1e-9 >= t);
        let mut members: Vec<[u8; 8]> = core::iter::once(p.leader)
            .chain(p.members.iter().copied())
            .map(actor_vehicle_id)
            .collect();
        let ego = v.ego_id;
        let mut joining = Vec::new();
        let mut leaving = Vec::new();
        if let Some(e) = ego {
            if pe.member {
                members.push(e);
            } else if pe.joining {
                joining.push(e);
            }
            if pe.leaving_since.is_some() {
                leaving.push(e);
            }
        }
        let node = |id: &[u8; 8]| m::MemberNode {
            vid: *id,
            unknown_ext: no_ext(),
        };
        let mut out = Vec::new();
        let at = |id: u32| v.actor(id).map(|_| actor_vehicle_id(id));
        if let Some(leader) = at(p.leader) {
            out.push(ext(
                16,
                m::MessageFrameExtValue::Clpmm(m::CLPMM {
                    msg_cnt: self.count,
                    id: leader,
                    sec_mark: to_wire::sec_mark(v.now),
                    pid: p.pid,
                    role: m::RoleInPlatooning::Leader,
                    status: if dismissing {
                        m::StatusInPlatooning::BeginToDissmiss
                    } else {
                        m::StatusInPlatooning::Navigating
                    },
                    leading_ext: Some(m::MemberManagement {
                        member_list: members.iter().take(32).map(node).collect(),
                        joining_list: (!joining.is_empty())
                            .then(|| joining.iter().map(node).collect()),
                        leaving_list: (!leaving.is_empty())
                            .then(|| leaving.iter().map(node).collect()),
                        capacity: p.capacity,
                        open_to_join: p.open,
                        unknown_ext: no_ext(),
                    }),
                    unknown_ext: no_ext(),
                }),
            ));
        }
        let n = p.members.len();
        for (k, id) in p.members.iter().enumerate() {
            let Some(vid) = at(*id) else { continue };
            out.push(ext(
                16,
                m::MessageFrameExtValue::Clpmm(m::CLPMM {
                    msg_cnt: self.count,
                    id: vid,
                    sec_mark: to_wire::sec_mark(v.now),
                    pid: p.pid,
                    role: if k + 1 == n && !pe.member {
                        m::RoleInPlatooning::Tail
                    } else {
                        m::RoleInPlatooning::Follower
                    },
                    status: m::StatusInPlatooning::Following,
                    leading_ext: None,
                    unknown_ext: no_ext(),
                }),
            ));
        }
        out
    }

    fn vpm(&mut self, i: usize, p: &PaymentSpec, v: &StepView<'_>) -> Vec<m::MessageFrame> {
        let mut out = Vec::new();
        let station = v.wgs([p.x, p.y]);
        let frame = |payment| {
            ext(
                17,
                m::MessageFrameExtValue::VehiclePaymentMessage(m::VehiclePaymentMessage {
                    msg_cnt: self.count,
                    payment,
                    unknown_ext: no_ext(),
                }),
            )
        };
        let Some(t) = self.txns.get_mut(i) else {
            return out;
        };
        {
            out.push(frame(
                m::VehiclePaymentMessagePayment::InitialzationRequest(m::RST {
                    time: ddatetime_to_wire(v.now),
                    id: p.id,
                    payment_list: alloc::vec![m::ApplicationParameter {
                        pid: crate::world::convert::outgoing::service_to_wire(p.service)
                            .unwrap_or(m::PaymentEntityID::Freeflow),
                        payment_info: m::PaymentInfo::PaymentInfoType1(m::PaymentInfoType1 {
                            tolling_node_info: Some(m::TollingNodeInfo {
                                id: Some(i64::from(p.station_id)),
                                pos: Some(pos3d(&station)),
                                tolling_node_type: Some(match p.node_type {
                                    StationKind::Entrance => m::TollingNodeType::EntranceStation,
                                    StationKind::Exit => m::TollingNodeType::ExitStation,
                                    StationKind::EntranceAndExit => {
                                        m::TollingNodeType::EntranceAndExitStation
                                    }
                                    _ => m::TollingNodeType::Gantry,
                                }),
                                tolling_direction: p.direction_deg.map(direction_wire),
                                unknown_ext: no_ext(),
                            }),
                            toll_info: Some(m::TollInfo {
                                price: Some(p.price),
                                entrance_pos: None,
                                exit_pos: None,
                                toll_road: None,
                                toll_path: None,
                                time_begin: None,
                                time_end: None,
                                unknown_ext: no_ext(),
                            }),
                            service_info: None,
                            unknown_ext: no_ext(),
                        }),
                        unknown_ext: no_ext(),
                    }],
                    unknown_ext: no_ext(),
                }),
            ));
        }
        // The table goes on after the transaction: the ego must not pay twice.
        if !t.started || t.done {
            return out;
        }
        let Some(due) = t.due_s else { return out };
        if v.t_s + 1e-9 < due {
            return out;
        }
        let Some(step) = p.steps.get(t.step) else {
            t.done = true;
            return out;
        };
        let action = match step {
            PayStep::Read => m::TransInfo::GetTollDataRq(m::GetTollDataRq {
                vehicle_info: m::RangeOfFile {
                    offset: 0,
                    length: 64,
                },
                toll_info: Some(m::RangeOfFile {
                    offset: 0,
                    length: 43,
                }),
                key_id_for_ac: None,
                unknown_ext: no_ext(),
            }),
            PayStep::SecureRead => m::TransInfo::GetSecureRq(m::GetSecureRq {
                vehicle_info: m::RangeOfFile {
                    offset: 0,
                    length: 64,
                },
                rnd_rsu_for_authen: [7; 8],
                key_id_for_authen: 1,
                key_id_for_encrypt: None,
                unknown_ext: no_ext(),
            }),
            PayStep::Charge => m::TransInfo::SetTollDataRq(m::SetTollDataRq {
                rnd_rsu: Some([3; 8]),
                trans_para: Some(m::TacPara {
                    trans_amount: p.price.to_be_bytes(),
                    trans_type: [9],
                    terminal_id: [1, 2, 3, 4, 5, 6],
                    trans_sn: [0, 0, 0, 1],
                    trans_time: [0x20, 0x26, 3, 1, 8, 0, 0],
                    trans_station_id: [0, 0, 1],
                }),
                toll_info: None,
                tolling_pos: Some(m::TollingPos {
                    id: i64::from(p.station_id),
                    pos: Some(pos3d(&station)),
                    unknown_ext: no_ext(),
                }),
                key_id_for_authen: Some(1),
                unknown_ext: no_ext(),
            }),
            PayStep::Result => m::TransInfo::SetMmiRq(m::SetMMIRq {
                toll: match (t.refused, p.result) {
                    (true, _) | (false, TollResult::Nok) => m::TollResult::Nok,
                    (false, TollResult::Ok) => m::TollResult::Ok,
                    (false, TollResult::ContactOperator) => m::TollResult::ContactOperator,
                },
                unknown_ext: no_ext(),
            }),
        };
        let respond = *step != PayStep::Result;
        out.push(frame(m::VehiclePaymentMessagePayment::ActionRequest(
            m::ActionRequest {
                time: ddatetime_to_wire(v.now),
                mode: respond,
                source_id: p.id,
                target_id: Some(t.obu),
                payment_entity_id: crate::world::convert::outgoing::service_to_wire(p.service)
                    .unwrap_or(m::PaymentEntityID::Freeflow),
                action_parameter: action,
                access_credentials: None,
                unknown_ext: no_ext(),
            },
        )));
        if respond {
            // Sent again every 0.5 s until answered.
            t.due_s = Some(v.t_s + 0.5);
        } else {
            t.step += 1;
            t.due_s = Some(v.t_s);
            t.done = t.step >= p.steps.len();
        }
        out
    }

    fn actor_vir(&self, d: &Day2Spec, actor: u32, v: &StepView<'_>) -> Option<m::MessageFrame> {
        let s = v.actor(actor)?;
        let me = actor_vehicle_id(actor);
        let ref_pos = pos3d(&v.wgs([s.x, s.y]));
        let h = s.heading_deg.to_radians();
        let reqs: Vec<m::DriveRequest> = d
            .actor_requests
            .iter()
            .filter(|r| r.actor == actor && live(v.t_s, r.from_s, r.until_s))
            .take(8)
            .map(|r| {
                let info = match &r.kind {
                    ActorRequestKind::ClearTheWay {
                        link,
                        lane,
                        path,
                        radius_m,
                    } => {
                        let pts: Vec<[f64; 2]> = match path {
                            Some(PathSpec::Points(p)) => p.clone(),
                            Some(PathSpec::Ahead(len)) => (0..=6)
                                .map(|k| {
                                    let dd = len * f64::from(k) / 6.0;
                                    [s.x + dd * h.sin(), s.y + dd * h.cos()]
                                })
                                .collect(),
                            None => Vec::new(),
                        };
                        let link = link.unwrap_or(LinkRef {
                            upstream: (0, 0),
                            downstream: (0, 0),
                            lanes: 0,
                        });
                        m::ReqInfo::ClearTheWay(m::ReqClearTheWay {
                            upstream_node: node_id(link.upstream),
                            downstream_node: node_id(link.downstream),
                            target_lane: *lane,
                            related_path: (pts.len() >= 2).then(|| m::ReferencePath {
                                active_path: pts
                                    .iter()
                                    .take(32)
                                    .map(|p| offset(&ref_pos, &v.wgs(*p)))
                                    .collect(),
                                path_radius: (radius_m * 10.0).round().clamp(0.0, 65_535.0) as u16,
                            }),
                            t_begin: None,
                            t_end: None,
                            unknown_ext: no_ext(),
                        })
                    }
                    ActorRequestKind::LaneChange { link, lane } => {
                        m::ReqInfo::LaneChange(m::ReqLaneChange {
                            upstream_node: node_id(link.upstream),
                            downstream_node: node_id(link.downstream),
                            target_lane: *lane,
                            unknown_ext: no_ext(),
                        })
                    }
                };
                m::DriveRequest {
                    req_id: r.id,
                    status: match r.status {
                        RequestStatus::Confirmed => m::ReqStatus::Comfirmed,
                        RequestStatus::Cancel => m::ReqStatus::Cancel,
                        RequestStatus::Complete => m::ReqStatus::Complete,
                        _ => m::ReqStatus::Request,
                    },
                    req_priority: Some([255]),
                    target_veh: r.target.and_then(|a| v.id_of(&a)),
                    target_rsu: None,
                    info: Some(info),
                    life_time: r
                        .life_s
                        .map(|l| time_offset_to_wire(v.now, v.at(v.t_s + l))),
                    unknown_ext: no_ext(),
                }
            })
            .collect();
        if reqs.is_empty() {
            return None;
        }
        let current = (s.speed_mps, s.heading_deg);
        Some(vir_frame(me, self.count, &ref_pos, v, Some(current), reqs))
    }

    /// Takes what the ego sent at this step (the host vehicle's transmissions): records it and
    /// lets the counterparts react.
    pub fn ego_sent(&mut self, d: &Day2Spec, v: &StepView<'_>, frames: &[&[u8]]) {
        for bytes in frames {
            let Ok(f) = m::MessageFrame::decode(bytes) else {
                continue;
            };
            let m::MessageFrame::MsgFrameExt(x) = f else {
                self.sent.push(SentRecord {
                    t_s: v.t_s,
                    message: "bsm",
                    request: None,
                    status: None,
                    step: None,
                });
                continue;
            };
            match x.value {
                m::MessageFrameExtValue::VehIntentionAndRequest(vir) => {
                    for r in vir.int_and_req.reqs.iter().flatten() {
                        let request = match &r.info {
                            Some(m::ReqInfo::LaneChange(_)) => Some(RequestType::LaneChange),
                            Some(m::ReqInfo::ClearTheWay(_)) => Some(RequestType::ClearTheWay),
                            Some(m::ReqInfo::SignalPriority(_)) => {
                                Some(RequestType::SignalPriority)
                            }
                            Some(m::ReqInfo::Parking(_)) => Some(RequestType::Parking),
                            _ => None,
                        };
                        let status = match r.status {
                            m::ReqStatus::Request => "request",
                            m::ReqStatus::Comfirmed => "confirmed",
                            m::ReqStatus::Cancel => "cancel",
                            m::ReqStatus::Complete => "complete",
                            _ => "unknown",
                        };
                        self.sent.push(SentRecord {
                            t_s: v.t_s,
                            message: "vir",
                            request,
                            status: Some(status),
                            step: None,
                        });
                        if let (Some(t), m::ReqStatus::Request) = (request, &r.status) {
                            self.request_seen(d, v, t, r.req_id);
                        }
                    }
                }
                m::MessageFrameExtValue::Clpmm(c) => {
                    let report = crate::world::convert::day2::platoon_report(&c, v.now);
                    self.sent.push(SentRecord {
                        t_s: v.t_s,
                        message: "clpmm",
                        request: None,
                        status: Some(report.status.name()),
                        step: None,
                    });
                    self.platoon_heard(d, v, &report);
                }
                m::MessageFrameExtValue::VehiclePaymentMessage(p) => {
                    let step = match &p.payment {
                        m::VehiclePaymentMessagePayment::InitialzationResponse(vsi) => {
                            for (i, st) in d.payments.iter().enumerate() {
                                let Some(t) = self.txns.get_mut(i) else {
                                    continue;
                                };
                                if vsi.target_id == Some(st.id) && !t.started {
                                    *t = Txn {
                                        started: true,
                                        step: 0,
                                        due_s: Some(v.t_s + 0.2),
                                        done: false,
                                        refused: false,
                                        obu: vsi.obu_id,
                                    };
                                }
                            }
                            "vsi"
                        }
                        m::VehiclePaymentMessagePayment::ActionResponse(a) => {
                            for (i, st) in d.payments.iter().enumerate() {
                                let Some(t) = self.txns.get_mut(i) else {
                                    continue;
                                };
                                if a.target_id != Some(st.id) || !t.started || t.done {
                                    continue;
                                }
                                // The answer to the current command (a late answer to an
                                // earlier one is not taken for it).
                                let fits = match (st.steps.get(t.step), &a.response_parameter) {
                                    (Some(PayStep::Read), Some(m::TransInfo::GetTollDataRs(_)))
                                    | (
                                        Some(PayStep::SecureRead),
                                        Some(m::TransInfo::GetSecureRs(_)),
                                    )
                                    | (
                                        Some(PayStep::Charge),
                                        Some(m::TransInfo::SetTollDataRs(_)),
                                    ) => true,
                                    (
                                        Some(PayStep::Read | PayStep::SecureRead | PayStep::Charge),
                                        None,
                                    ) => a.ret != m::ReturnStatus::NoError,
                                    _ => false,
                                };
                                if !fits {
                                    continue;
                                }
                                if a.ret != m::ReturnStatus::NoError {
                                    // Refused: on to telling the driver.
                                    t.refused = true;
                                    t.step = st
                                        .steps
                                        .iter()
                                        .position(|x| *x == PayStep::Result)
                                        .unwrap_or(st.steps.len());
                                } else {
                                    t.step += 1;
                                }
                                t.due_s = Some(v.t_s + 0.2);
                                t.done = t.step >= st.steps.len();
                            }
                            "response"
                        }
                        _ => "other",
                    };
                    self.sent.push(SentRecord {
                        t_s: v.t_s,
                        message: "vpm",
                        request: None,
                        status: None,
                        step: Some(step),
                    });
                }
                _ => {}
            }
        }
    }

    fn request_seen(&mut self, d: &Day2Spec, v: &StepView<'_>, t: RequestType, id: u8) {
        if self.seen_requests.contains(&(t, id)) {
            return;
        }
        self.seen_requests.push((t, id));
        if t == RequestType::Parking {
            if let Some(delay) = d
                .parking
                .iter()
                .find_map(|p| p.answer.as_ref().map(|a| a.2))
            {
                self.parking_answer_from = Some(v.t_s + delay);
            }
            return;
        }
        if let Some(c) = &d.coordinator {
            if c.answer != Answer::None && live(v.t_s, c.from_s, c.until_s) {
                self.owed.push(Owed {
                    due_s: v.t_s + c.answer_delay_s,
                    until_s: v.t_s + c.answer_delay_s + 3.0,
                    req_id: id,
                    request: t,
                });
            }
        }
    }

    fn platoon_heard(
        &mut self,
        d: &Day2Spec,
        v: &StepView<'_>,
        r: &crate::world::day2::PlatoonReport,
    ) {
        use crate::world::day2::PlatoonStatus as S;
        for (i, p) in d.platoons.iter().enumerate() {
            if p.pid != r.platoon {
                continue;
            }
            let Some(pe) = self.platoon_ego.get_mut(i) else {
                continue;
            };
            match r.status {
                S::AskForJoining if p.admit && p.open => {
                    let room = 1 + p.members.len() < usize::from(p.capacity);
                    if room && pe.asked_at.is_none() {
                        pe.asked_at = Some(v.t_s);
                        pe.joining = true;
                    }
                }
                S::Joining if pe.joining => {
                    pe.joining = false;
                    pe.member = true;
                }
                S::AskForLeaving if pe.member && pe.leaving_since.is_none() => {
                    pe.leaving_since = Some(v.t_s);
                }
                S::Leaving if pe.member => {
                    pe.member = false;
                }
                _ => {}
            }
            // A member asking to leave is let go after a second.
            if let Some(since) = pe.leaving_since {
                if v.t_s - since >= 1.0 {
                    pe.member = false;
                }
            }
        }
    }
}

fn node_id(k: (u16, u16)) -> m::NodeReferenceID {
    m::NodeReferenceID {
        region: (k.0 != 0).then_some(k.0),
        id: k.1,
    }
}

fn behavior_wire(b: Behavior) -> m::DriveBehavior {
    let mut w = m::DriveBehavior::default();
    for i in 0..14 {
        if b.0 & (1 << i) != 0 {
            w.set(i, true);
        }
    }
    w
}

fn info_wire(k: CoordinationKinds) -> m::CoordinationInfo {
    let mut w = m::CoordinationInfo::default();
    for i in 0..8 {
        if k.0 & (1 << i) != 0 {
            w.set(i, true);
        }
    }
    w
}

fn direction_wire(deg: f64) -> m::TollingDirection {
    use m::TollingDirection as D;
    let i = ((deg.rem_euclid(360.0) + 22.5) / 45.0).floor() as i64 % 8;
    [
        D::North,
        D::Northeast,
        D::East,
        D::Southeast,
        D::South,
        D::Southwest,
        D::West,
        D::Northwest,
    ]
    .get(usize::try_from(i).unwrap_or(0))
    .cloned()
    .unwrap_or(D::North)
}

fn slot_wire(
    s: &SlotSpec,
    status: SlotStatus,
    ref_pos: &m::Position3D,
    v: &StepView<'_>,
) -> m::ParkingSlot {
    let h = s.heading_deg.to_radians();
    let (ux, uy) = (h.sin(), h.cos());
    let (lx, ly) = (-uy, ux);
    let (hl, hw) = (s.length_m / 2.0, s.width_m / 2.0);
    // Top = the far end along the heading; left = to its left.
    let corner = |a: f64, l: f64| [s.x + ux * a + lx * l, s.y + uy * a + ly * l];
    let mut kinds = m::ParkingType::default();
    for i in 0..10 {
        if s.kinds.0 & (1 << i) != 0 {
            kinds.set(i, true);
        }
    }
    m::ParkingSlot {
        slot_id: s.id,
        position: Some(m::ParkingSlotPosition {
            top_left: offset(ref_pos, &v.wgs(corner(hl, hw))),
            top_right: offset(ref_pos, &v.wgs(corner(hl, -hw))),
            bottom_left: offset(ref_pos, &v.wgs(corner(-hl, hw))),
        }),
        sign: None,
        parking_type: kinds,
        status: match status {
            SlotStatus::Available => m::SlotStatus::Available,
            SlotStatus::Occupied => m::SlotStatus::Occupied,
            SlotStatus::Reserved => m::SlotStatus::Reserved,
            SlotStatus::Unknown => m::SlotStatus::Unknown,
        },
        parking_space_theta: m::ParkingSpaceTheta::Vertical,
        parking_lock: m::ParkingLock::Nolock,
        unknown_ext: no_ext(),
    }
}

fn vehicle_coordination(
    id: [u8; 8],
    g: &VehicleGuidanceSpec,
    ref_pos: &m::Position3D,
    v: &StepView<'_>,
) -> m::VehicleCoordination {
    let path: Vec<m::PathPlanningPoint> = g
        .path
        .iter()
        .take(100)
        .map(|p| m::PathPlanningPoint {
            pos_in_map: None,
            pos: offset(ref_pos, &v.wgs([p.x, p.y])),
            pos_accuracy: None,
            speed: p.speed_kph.map(|k| to_wire::speed(Some(k / 3.6))),
            speed_cfd: None,
            heading: None,
            heading_cfd: None,
            accel_set: None,
            acc4_way_confidence: None,
            estimated_time: p.t_s.map(|t| time_offset_to_wire(v.now, v.at(t))),
            time_confidence: None,
            unknown_ext: no_ext(),
        })
        .collect();
    let has_suggestion = !g.behavior.is_empty()
        || g.life_s.is_some()
        || g.link.is_some()
        || g.related_path.is_some();
    m::VehicleCoordination {
        veh_id: id,
        drive_suggestion: has_suggestion.then(|| m::DriveSuggestion {
            suggestion: behavior_wire(g.behavior),
            life_time: g
                .life_s
                .map(|l| time_offset_to_wire(v.now, v.at(v.t_s + l))),
            related_link: g.link.as_ref().map(link_to_wire),
            related_path: g.related_path.as_ref().map(|(pts, r)| m::ReferencePath {
                active_path: pts
                    .iter()
                    .take(32)
                    .map(|p| offset(ref_pos, &v.wgs(*p)))
                    .collect(),
                path_radius: (r * 10.0).round().clamp(0.0, 65_535.0) as u16,
            }),
            unknown_ext: no_ext(),
        }),
        path_guidance: (!path.is_empty()).then_some(path),
        info: (!g.info.is_empty()).then(|| info_wire(g.info)),
        unknown_ext: no_ext(),
    }
}

fn vir_frame(
    id: [u8; 8],
    count: u8,
    ref_pos: &m::Position3D,
    v: &StepView<'_>,
    motion: Option<(f64, f64)>,
    reqs: Vec<m::DriveRequest>,
) -> m::MessageFrame {
    ext(
        13,
        m::MessageFrameExtValue::VehIntentionAndRequest(m::VehIntentionAndRequest {
            msg_cnt: count,
            id,
            sec_mark: to_wire::sec_mark(v.now),
            ref_pos: ref_pos.clone(),
            int_and_req: m::IARData {
                current_pos: motion.map(|(speed, heading)| m::PathPlanningPoint {
                    pos_in_map: None,
                    pos: m::PositionOffsetLLV {
                        offset_ll: m::PositionOffsetLL::PositionLl1(m::PositionLL24B {
                            lon: 0,
                            lat: 0,
                        }),
                        offset_v: None,
                    },
                    pos_accuracy: None,
                    speed: Some(to_wire::speed(Some(speed))),
                    speed_cfd: None,
                    heading: Some(to_wire::heading(Some(heading))),
                    heading_cfd: None,
                    accel_set: None,
                    acc4_way_confidence: None,
                    estimated_time: None,
                    time_confidence: None,
                    unknown_ext: no_ext(),
                }),
                path_planning: None,
                current_behavior: None,
                reqs: Some(reqs),
                unknown_ext: no_ext(),
            },
            unknown_ext: no_ext(),
        }),
    )
}

/// The ego's account as the stack wants it.
pub fn account(d: &Day2Spec) -> Option<Box<dyn PaymentAccount>> {
    d.account
        .clone()
        .map(|a| Box::new(TestAccount::new(a)) as Box<dyn PaymentAccount>)
}
