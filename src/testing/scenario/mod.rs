//! Scenarios (`cv2x scenario`): a JSON description of the ego, the other road users, the
//! signal and road-side information; the runner turns it into the messages each actor would
//! send, encodes them, feeds the bytes to a [`Stack`](crate::stack::Stack) and checks the
//! expectations. Reading scenarios from JSON needs feature `jer`.
//!
//! The base format is in `docs/scenarios.md`; coordinates in metres in a local
//! ENU frame at `origin`, headings in degrees (0 = north, clockwise). Optional fields beyond it:
//!
//! - `ego.seen_by: ["rsm"]`: the roadside reports the ego as a participant (without its id;
//!   `ego.rsm_id: true` adds it). `ego.vehicle_id`: the ego's temporary id (8 octets, hex).
//! - actors: `seen_by` may also name `ssm` (a vehicle at the origin shares its sensors'
//!   view in Day II sensor-sharing messages at 10 Hz); `latency_s` for any channel (`bsm`, `rsm`,
//!   `onboard`, `ssm`), `rsm_id: true` (the RSU
//!   knows the vehicle id), events `disabled`, `control_loss`, `turn_signal`
//!   (`left`/`right`, carried as exterior lights); segments may set `speed_mps`,
//!   `heading_deg`, `yaw_rate_dps`, `accel_mps2`, any event flag and `turn_signal`.
//! - `signal`: `stop_line_y` may be left out (a speed limit only: the approach then ends 1 km
//!   ahead of the ego), `x` (lane centre, default the ego's start x), `timing` (`"counting"` default or
//!   `"utc"`), `spat_from_s` / `spat_until_s` (when SPAT is broadcast: stale-data tests; also
//!   `spat_stop_s`, `spat_lost_at_s`, `stale_after_s`), `spat_latency_s` (or `latency_s`, a number or
//!   `{"spat": s}`: each SPAT arrives that old),
//!   `map: false` (no MAP), `plan` optional (MAP only, for SLW); plan lights: `red`, `green`
//!   (protected), `permissive_green`, `yellow`, `flashing_yellow`, `flashing_red`, `dark`.
//! - `rsi`: `[{"type":"event"|"sign", "code": 401, "x":0, "y":200, "radius_m": 30,
//!   "path": [[x,y],...], "path_radius_m": 5, "from_s": 0, "until_s": 8}]`: traffic events (HLW)
//!   and signs (IVS) an RSU at the origin broadcasts at 1 Hz between `from_s` and `until_s`.
//!   The same items may be given as `events` / `hazards` and `signs` lists (then `type` may be
//!   left out), with `kind` for `type`, `event_type` / `sign_type` for `code`, `radius` for
//!   `radius_m`, `reference_path` for `path`, `start_s` / `end_s` for `from_s` / `until_s`
//!   (one name per field: giving two is an error). `description`: the item's text (ASCII, up
//!   to 512 characters; its first number is the value warnings carry); `speed_limit_kph`: a
//!   speed limit sign (code [`crate::apps::slw::SPEED_LIMIT_SIGN`] unless `code` is given,
//!   the limit as its description); `priority`: 0..=7 (7 = an RSU's emergency, for CEB).
//! - `message_set`: the message set every message is sent in: `"csae53-2020"` (default, with
//!   the Day II messages), `"csae53-2019"` (the 2019 release) or `"csae53-2017"`; the runner builds
//!   the messages in 2020 and lowers them into that set as its senders would send them, and the
//!   stack reads them back by detection and lifts them. `cv2x scenario --message-set S` overrides
//!   it for a run. A scenario that needs what the set cannot carry (Day II messages in 2019 or
//!   2017; RSI traffic events or an emergency vehicle's siren in 2017) is skipped in it, with
//!   the reason (see [`generation`]).
//! - `forge` on an actor or on `signal`: `"bad_signature"`, `"unknown_certificate"` or
//!   `"revoked_certificate"`. That sender is an attacker: in a signed run
//!   ([`RunOptions::signed`]) its messages (an actor's BSM or PSM, its participant in an RSM or
//!   SSM of its own sender id; the signal's MAP and SPAT) are signed with the signer's
//!   pseudonym and one signature octet flipped, with a valid signature from a certificate issued
//!   under another root, or with a valid signature from a certificate of the test PKI that the
//!   verifier has revoked ([`Forge`]). A forged actor exists only on the air: it may not be
//!   `seen_by` onboard sensors. A run without a signer that forges fails such a scenario (an
//!   unsigned message cannot be forged).
//! - `description` (top level): free text for the reader.
//!
//! **Strictness**: every key must be one of the format's; an unknown or misspelled key, a
//! missing required field (`duration_s`, `ego`, `expect`, an actor's `id`, an expectation's
//! `app`), a value of the wrong type or out of range is an error naming the JSON path
//! (`expect[0].by`); [`Scenario::from_file`] adds the file. A scenario without expectations is
//! an error.
//!
//! **Expectations** (`expect`): `{"app": …, "level": …, "target": actor, "by_s": …}` (see
//! `docs/scenarios.md`), and
//! - `after_s`: the warning must not start before (a matching warning earlier fails), and
//!   must be raised at or after it; with `never`, the check starts then.
//! - `never`: `true` (nothing at all), or a level name: nothing at that level or above
//!   (`"never": "alert"` = never an alert); `after_s` / `by_s` limit its window, `target`
//!   and the conditions below what it is about. Not together with `level` or `max_level`.
//! - `max_level`: the highest level the application may raise about the target in the whole
//!   scenario.
//! - `advice` (`"keep_speed"`, `"stop"`, `"range"`), `advice_max_kph`.
//! - Conditions on what a warning says (all must hold for a warning to count):
//!   `decel_min_mps2` (the deceleration needed to avoid the collision is at least this),
//!   `code` (the RSI event or sign code), `value` (the RSI item's value, ±0.5), `limit_kph`
//!   (the limit SLW applies, ±1); cooperative content: `state` (a request's `sent`,
//!   `confirmed`, `refused`, `completed`, `expired`; the platoon's `requesting`, `joining`,
//!   `member`, `leaving`, `refused`; the payment's `offered`, `paying`, `paid`, `failed`,
//!   `contact_operator`; the parking maneuver `straight`, `left`, `right`, `u_turn`,
//!   `arrive`), `request` (`lane_change`, `clear_the_way`, `signal_priority`, `parking`),
//!   `target_lane`, `gap_taken`, `for_vehicle` (MERGE), `speed_kph` (MERGE suggested speed or
//!   PLATOON advised speed, ±10 %), `slot`, `next_node`, `blocked` (PARKING), `role`
//!   (PLATOON: `follower`, `tail`, `leader`).
//! - `sends`: `"vir"`, `"clpmm"` or `"vpm"` — the ego sends such a message (no `app`);
//!   `request` (a VIR's request type), `status` (a VIR request's `request`, `confirmed`,
//!   `cancel`, `complete`; a CLPMM's `navigating`, `ask_for_joining`, `joining`, `following`,
//!   `ask_for_leaving`, `leaving`, `dismissing`), `step` (a VPM's `vsi` or `response`),
//!   `after_s`, `by_s`, `never` (`true`).
//!
//! Application names: `FCW`, …, `EVW` and the cooperative `MERGE` (also `CVM`, `CLC`,
//! `DLM`), `CLEAR_THE_WAY` (`CHPVP`), `SIGNAL_PRIORITY`, `PARKING` (`GSPA`), `PLATOON`
//! (`CPM`), `VNFP`, `CEB`.
//!
//! **Day II** ([`day2`]): when any of the following is given, the ego is on the air (a host
//! vehicle sends its BSMs and what the cooperative applications send; its temporary id is the
//! host vehicle's, random) and the counterparts below play their part every step (10 Hz),
//! their messages under the Day II AID of their kind (RSC 21, VIR 24, PAM 18, CLPMM 19, VPM 25). Node ids of links are in region 1 unless `region` says
//! otherwise; a link is `{"upstream": 10, "downstream": 11, "lanes": [2], "region": 1}`
//! (`lanes` optional: the whole link). Who a message addresses (`vehicle`, `target`) is
//! `"ego"`, an actor id, or 16 hex digits (another vehicle). `from_s` / `until_s` bound when
//! something is sent (default: the whole scenario).
//! - `ego.kind`: `"car"` (default), `"truck"`, `"bus"` (transit: asks for signal priority near
//!   a signal), `"emergency"` (on a call while `events.siren` (or a segment's `siren`) is on:
//!   asks to clear the way and for signal priority).
//! - `ego.account`: the ego's payment account: `services` (payment services it takes part
//!   in: `system`, `freeflow`, `enclosed`, `congestion`, `charging`, `parking`; default all),
//!   `accept` (default true; false = the driver declines every offer), `refuse` (a step the
//!   account refuses: `read`, `secure_read`, `charge`), `obu_kind` (`oem`, `aftermarket`,
//!   `phone`). Without it the ego pays nothing.
//! - `requests`: the caller's commands: `[{"at_s": 1, "kind": …}]` with `kind`
//!   `lane_change` (`side` `left`/`right`, optional `lane` and `link`), `clear_the_way`
//!   (`duration_s`), `signal_priority`, `parking` (`lot`, `slot`, `type` list of slot kinds
//!   `ordinary`, `disabled`, `mini`, `charging`, …, `services` list `enter`, `park`, `pay`, …;
//!   default enter and park), `cancel_parking`, `join_platoon` (`platoon`: its id, else the
//!   nearest open one ahead), `leave_platoon`, `lead_platoon` (`platoon`, `capacity`).
//! - `actors[i].requests`: requests the actor sends in VIRs under its BSM id:
//!   `[{"kind": "clear_the_way"|"lane_change", "lane": 1, "link": …, "path": [[x,y],…] | "ahead",
//!   "path_length_m": 300, "path_radius_m": 2.5, "target": …, "status": "request"|"confirmed"|
//!   "cancel"|"complete", "life_s": …, "id": …, "from_s", "until_s"}]` (`path: "ahead"`: the
//!   actor's way ahead, `path_length_m` long).
//! - `coordinator`: a roadside coordinator (RSC) at `x`, `y` (default the origin), `id` (hex):
//!   `vehicles`: guidance for vehicles `[{"vehicle": "ego", "behavior": ["ramp_in"], "life_s": 5,
//!   "link": …, "related_path": [[x,y],…], "related_path_radius_m": 2, "info":
//!   ["cooperative_merging"], "path": [{"x":…, "y":…, "speed_kph":…, "t_s": scenario time it
//!   is reached}], "from_s", "until_s"}]`; `lanes`: guidance for lanes `[{"link": … (required),
//!   "path": [[x,y],…], "path_radius_m": 2, "speed_kph": …, "behavior": […], "info": […],
//!   "begin_s"/"end_s": its time window (scenario times), "description", "from_s",
//!   "until_s"}]`; `answer`: how it answers the ego's lane-change, signal-priority and
//!   clear-the-way requests — `"none"` (default), `"confirm"` / `"refuse"` (a VIR naming the
//!   ego with the request's number, `comfirmed` / `cancel`), `"rsc"` (a guidance for the ego of
//!   the request's service); `answer_delay_s` (0.3). Behaviour names: `go_straight`,
//!   `lane_change_left`, `lane_change_right`, `ramp_in`, `ramp_out`, `straight_through`,
//!   `turn_left`, `turn_right`, `u_turn`, `stop_and_go`, `stop`, `slow_down`, `speed_up`,
//!   `parking`; service names (`info`): `cooperative_lane_change`, `cooperative_merging`,
//!   `lane_change_at_intersection`, `unsignalised_intersection`, `dynamic_lane_management`,
//!   `lane_reservation`, `lane_restriction`, `signal_priority`.
//! - `parking` (one lot) or `parking_lots` (a list): a lot (PAM) with `lot_id`, `name`, `avp`
//!   (0..=5), `floors`, `capacity`, `nodes: [{"id", "x", "y", "floor", "attributes":
//!   ["entrance", "exit", "to_upstairs", "to_downstairs", "etc", "mtc", "pass_after_payment",
//!   "blocked"], "drives": [{"from": upstream node id, "points": [[x,y],…],
//!   "speed_limit_kph", "slots": [{"id", "x", "y" (centre), "heading_deg" (of its length),
//!   "length_m" (5), "width_m" (2.5), "status": "available"|"occupied"|"reserved"|"unknown",
//!   "type": [kinds]}]}]}]`; `guidance: [{"vehicle", "path": [node ids], "slot", "from_s",
//!   "until_s"}]`; `answer: {"path", "slot", "delay_s": 0.5}`: the guidance it gives the ego
//!   after its parking request; `slot_changes: [{"at_s", "slot", "status"}]`.
//! - `platoon` (one) or `platoons` (a list): `{"id": text up to 17 characters or 34 hex
//!   digits, "leader": actor, "members": [actors behind it, in order], "capacity": 8, "open":
//!   true, "admit": true, "dismiss_at_s", "from_s", "until_s"}`: the leader sends its member
//!   lists, the members their state; an open platoon that `admit`s lists the ego as joining
//!   when it asks (with room), then as a member when it sends `joining`, and lets it go a
//!   second after it asks to leave.
//! - `payment` (one) or `payments` (a list): a payment station (VPM) at `x`, `y` with `id`,
//!   `service` (`freeflow` default), `station_id`, `node_type` (`gantry` default, `entrance`,
//!   `exit`, `entrance_and_exit`), `direction` (compass name) or `direction_deg`, `price`,
//!   `result` (`ok`, `nok`, `contact_operator`), `steps` (its commands in order: `read`,
//!   `secure_read`, `charge`, `result`; default read, charge, result), `radio_range_m` (300:
//!   its messages reach the ego within it). It broadcasts its service table; after the ego's
//!   VSI it sends the commands 0.2 s apart (each again every 0.5 s until answered); a refused
//!   command makes it show `nok`.
pub mod build;
pub mod day2;
pub mod generation;
mod kinematics;
#[cfg(feature = "jer")]
mod parse;
mod run;
#[cfg(feature = "security")]
mod signed;

pub use build::{EGO_ID, MessageSigner, SignFailure, actor_vehicle_id};
pub use kinematics::{MotionState, Trajectory};
pub use run::{
    Outcome, Record, RunOptions, SCENARIO_AIDS, StepObserver, TimelineEntry, epoch, run,
    run_observed,
};
#[cfg(feature = "security")]
pub use signed::ScenarioSigner;

use alloc::string::String;
use alloc::vec::Vec;

use crate::apps::{AppId, Level};
use crate::geo::Wgs84;
use crate::msg::Standard;
use crate::world::{Light, Turn, TurnSignal};

/// Why a scenario could not be read. Every error names the JSON path of the problem
/// (`expect[2].by_s`); [`Scenario::from_file`] adds the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// Not JSON.
    #[error("not JSON: {0}")]
    Json(String),
    /// A required field is missing.
    #[error("`{0}`: missing required field")]
    Missing(String),
    /// A key the format does not have (a misspelling, a field of another section).
    #[error("`{0}`: unknown key")]
    Unknown(String),
    /// A key the format does not have, in place of a required one it resembles.
    #[error("`{path}`: unknown key (`{meant}`?)")]
    Misspelled {
        /// Where.
        path: String,
        /// The required key it resembles.
        meant: &'static str,
    },
    /// A value of the wrong JSON type.
    #[error("`{path}`: expected {expected}")]
    WrongType {
        /// Where.
        path: String,
        /// What the format wants there.
        expected: &'static str,
    },
    /// A value the format does not allow there.
    #[error("`{path}`: {problem}")]
    Invalid {
        /// Where.
        path: String,
        /// What is wrong.
        problem: String,
    },
    /// A problem in a file.
    #[error("{file}: {error}")]
    File {
        /// The file.
        file: String,
        /// The problem.
        error: alloc::boxed::Box<ScenarioError>,
    },
}

impl ScenarioError {
    /// An invalid value at `path`.
    pub fn invalid(path: impl Into<String>, problem: impl Into<String>) -> Self {
        ScenarioError::Invalid {
            path: path.into(),
            problem: problem.into(),
        }
    }
}

/// Motion: initial state and segments.
#[derive(Debug, Clone, PartialEq)]
pub struct Motion {
    /// East, m.
    pub x: f64,
    /// North, m.
    pub y: f64,
    /// Heading, degrees (CSAE).
    pub heading_deg: f64,
    /// Speed, m/s.
    pub speed_mps: f64,
    /// Acceleration, m/s².
    pub accel_mps2: f64,
    /// Yaw rate, degrees/s (clockwise positive).
    pub yaw_rate_dps: f64,
    /// Changes at given times, sorted.
    pub segments: Vec<Segment>,
}

/// Event flags of an actor (or the ego's turn signal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flags {
    /// Hard braking.
    pub hard_braking: bool,
    /// Hazard lights.
    pub hazard_lights: bool,
    /// Siren / light bar (emergency vehicles).
    pub siren: bool,
    /// Disabled vehicle.
    pub disabled: bool,
    /// Stability / traction control engaged.
    pub control_loss: bool,
    /// Turn signal.
    pub turn_signal: TurnSignal,
}

/// A change of motion or flags at a time.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Segment {
    /// When, s.
    pub at_s: f64,
    /// New acceleration.
    pub accel_mps2: Option<f64>,
    /// New yaw rate.
    pub yaw_rate_dps: Option<f64>,
    /// New speed (set at once).
    pub speed_mps: Option<f64>,
    /// New heading (set at once).
    pub heading_deg: Option<f64>,
    /// Flags set at this time.
    pub hard_braking: Option<bool>,
    /// Hazard lights.
    pub hazard_lights: Option<bool>,
    /// Siren.
    pub siren: Option<bool>,
    /// Disabled.
    pub disabled: Option<bool>,
    /// Control loss.
    pub control_loss: Option<bool>,
    /// Turn signal.
    pub turn_signal: Option<TurnSignal>,
}

/// How a forged sender signs its messages (the scenario field `forge`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forge {
    /// The honest pseudonym's signature with one octet flipped (`bad_signature`): the signer
    /// is known, only the signature is wrong.
    BadSignature,
    /// A valid signature from a certificate issued under another root, carried in the message
    /// (`unknown_certificate`).
    UnknownCertificate,
    /// A valid signature from a certificate of the test PKI that the verifier has revoked,
    /// carried in the message (`revoked_certificate`).
    RevokedCertificate,
}

impl Forge {
    /// From the scenario name.
    pub fn from_name(s: &str) -> Option<Forge> {
        match s {
            "bad_signature" => Some(Forge::BadSignature),
            "unknown_certificate" => Some(Forge::UnknownCertificate),
            "revoked_certificate" => Some(Forge::RevokedCertificate),
            _ => None,
        }
    }
}

/// Actor kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Passenger car.
    Car,
    /// Truck.
    Truck,
    /// Bus.
    Bus,
    /// Pedestrian.
    Pedestrian,
    /// Cyclist.
    Cyclist,
    /// Emergency vehicle.
    Emergency,
}

impl Kind {
    /// Whether a motor vehicle.
    pub fn is_vehicle(self) -> bool {
        !matches!(self, Kind::Pedestrian | Kind::Cyclist)
    }
}

/// The channels through which an actor is seen, with latencies.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SeenBy {
    /// Sends BSMs (PSMs for pedestrians and cyclists).
    pub bsm: bool,
    /// Reported by the RSU in RSMs.
    pub rsm: bool,
    /// Seen by the ego's sensors.
    pub onboard: bool,
    /// Reported by another vehicle's sensors in sensor-sharing messages (Day II SSM).
    pub ssm: bool,
    /// BSM latency, s.
    pub bsm_latency_s: f64,
    /// RSM latency, s.
    pub rsm_latency_s: f64,
    /// Onboard latency, s.
    pub onboard_latency_s: f64,
    /// SSM latency, s.
    pub ssm_latency_s: f64,
}

/// The ego.
#[derive(Debug, Clone, PartialEq)]
pub struct EgoSpec {
    /// Motion.
    pub motion: Motion,
    /// Length, m.
    pub length_m: f64,
    /// Width, m.
    pub width_m: f64,
    /// Initial flags (turn signal).
    pub flags: Flags,
    /// How others see the ego (only `rsm` is used).
    pub seen_by: SeenBy,
    /// The RSU reports the ego with its id.
    pub rsm_id: bool,
    /// The ego's id.
    pub vehicle_id: [u8; 8],
}

/// Another road user.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    /// Scenario id.
    pub id: u32,
    /// Kind.
    pub kind: Kind,
    /// Motion.
    pub motion: Motion,
    /// Length, m.
    pub length_m: f64,
    /// Width, m.
    pub width_m: f64,
    /// Channels.
    pub seen_by: SeenBy,
    /// Position noise (standard deviation per axis), m.
    pub position_noise_m: f64,
    /// Initial flags.
    pub flags: Flags,
    /// The RSU knows the vehicle id.
    pub rsm_id: bool,
    /// A forged sender: how its messages are signed.
    pub forge: Option<Forge>,
}

/// SPAT timing form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimingForm {
    /// Counting down from the message time.
    Counting,
    /// UTC tenths within the hour.
    Utc,
}

/// The signal of a straight approach.
#[derive(Debug, Clone, PartialEq)]
pub struct Signal {
    /// Stop line, north coordinate, m.
    pub stop_line_y: f64,
    /// Lane centre, east coordinate, m.
    pub x: f64,
    /// Speed limit, km/h.
    pub speed_limit_kph: Option<f64>,
    /// Plan: (light, duration s), repeated from t = 0.
    pub plan: Vec<(Light, f64)>,
    /// The lane's movement.
    pub lanes: Turn,
    /// SPAT timing form.
    pub timing: TimingForm,
    /// SPAT broadcast from.
    pub spat_from_s: f64,
    /// SPAT broadcast until.
    pub spat_until_s: f64,
    /// How old each SPAT is when it arrives, s (its time stamp and timing are of then).
    pub spat_latency_s: f64,
    /// Whether a MAP is broadcast.
    pub map: bool,
    /// A forged roadside unit: how its MAP and SPAT are signed.
    pub forge: Option<Forge>,
}

impl Signal {
    /// A fixed-time signal of a straight approach along `x` with the stop line at `stop_line_y`,
    /// counting timing, SPAT and MAP broadcast throughout, no speed limit.
    pub fn new(stop_line_y: f64, x: f64, plan: Vec<(Light, f64)>) -> Self {
        Signal {
            stop_line_y,
            x,
            speed_limit_kph: None,
            plan,
            lanes: Turn::Straight,
            timing: TimingForm::Counting,
            spat_from_s: 0.0,
            spat_until_s: f64::INFINITY,
            spat_latency_s: 0.0,
            map: true,
            forge: None,
        }
    }
}

/// An RSI event or sign.
#[derive(Debug, Clone, PartialEq)]
pub struct RsiItem {
    /// Sign (IVS) rather than event (HLW).
    pub sign: bool,
    /// Event type or sign type.
    pub code: u16,
    /// Position, m.
    pub x: f64,
    /// Position, m.
    pub y: f64,
    /// Event radius, m.
    pub radius_m: Option<f64>,
    /// Reference path.
    pub path: Vec<[f64; 2]>,
    /// Path radius, m.
    pub path_radius_m: f64,
    /// Broadcast from, s.
    pub from_s: f64,
    /// Broadcast until, s.
    pub until_s: f64,
    /// Description (ASCII text; for a speed limit sign, the limit).
    pub description: Option<String>,
    /// Priority 0..=7.
    pub priority: Option<u8>,
}

/// Advice kinds an expectation may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdviceKind {
    /// Keep speed.
    KeepSpeed,
    /// Stop.
    Stop,
    /// A speed range.
    Range,
}

/// One expectation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Expect {
    /// Application (`None` for an expectation on what the ego sends, [`Expect::sends`]).
    pub app: Option<AppId>,
    /// Target actor.
    pub target: Option<u32>,
    /// Minimum level.
    pub level: Option<Level>,
    /// Deadline, s.
    pub by_s: Option<f64>,
    /// Not before, s: a positive expectation's warning must not start earlier; a `never` one
    /// is checked from then on.
    pub after_s: Option<f64>,
    /// The app never raises anything at this level or above (`"never": true` is
    /// [`Level::Advisory`]: nothing at all).
    pub never: Option<Level>,
    /// The highest level the app may raise in the scenario.
    pub max_level: Option<Level>,
    /// Some advice's upper bound within 10 % of this, km/h.
    pub advice_max_kph: Option<f64>,
    /// Advice kind.
    pub advice: Option<AdviceKind>,
    /// Conditions on the cooperative content, the deceleration and the road code.
    pub detail: day2::ExpectDetail,
    /// An expectation on what the ego sends.
    pub sends: Option<day2::SendsExpect>,
}

/// A scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Name.
    pub name: String,
    /// Frame origin.
    pub origin: Wgs84,
    /// Duration, s.
    pub duration_s: f64,
    /// Step, s.
    pub step_s: f64,
    /// The ego.
    pub ego: EgoSpec,
    /// Other road users.
    pub actors: Vec<Actor>,
    /// Signal.
    pub signal: Option<Signal>,
    /// Road-side information.
    pub rsi: Vec<RsiItem>,
    /// Expectations.
    pub expect: Vec<Expect>,
    /// The message set the messages are sent in (default T/CSAE 53-2020).
    pub message_set: Standard,
    /// The Day II parts: roadside coordinator, parking lot, platoons, payment stations, the
    /// ego's kind, account and requests, the actors' requests.
    pub day2: day2::Day2Spec,
}

/// The application of a scenario name (`FCW`, `GLOSA`, `MERGE`, …, in any case; also the
/// T/CSAE 157 names of the Day II services: `CVM`, `CLC` and `DLM` for MERGE, `CHPVP` for
/// CLEAR_THE_WAY, `GSPA` for PARKING, `CPM` for PLATOON).
pub fn app_from_name(s: &str) -> Option<AppId> {
    AppId::from_name(s).or_else(|| {
        let alias = [
            ("CVM", AppId::Merge),
            ("CLC", AppId::Merge),
            ("DLM", AppId::Merge),
            ("CHPVP", AppId::ClearTheWay),
            ("GSPA", AppId::Parking),
            ("CPM", AppId::Platoon),
        ];
        alias
            .into_iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(s))
            .map(|(_, a)| a)
    })
}
