//! Scenarios (`cv2x scenario`): a JSON description of the ego, the other road users, the
//! signal and road-side information; the runner turns it into the messages each actor would
//! send, encodes them, feeds the bytes to a [`Stack`](crate::stack::Stack) and checks the
//! expectations. Reading scenarios from JSON needs feature `jer`.
//!
//! The format is the one of DESIGN.md ("Scenario format"); coordinates in metres in a local
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
//!   `radius_m`, `reference_path` for `path`, `start_s` / `end_s` for `from_s` / `until_s`.
//! - `forge` on an actor or on `signal`: `"bad_signature"`, `"unknown_certificate"` or
//!   `"revoked_certificate"`. That sender is an attacker: in a signed run
//!   ([`RunOptions::signed`]) its messages (an actor's BSM or PSM, its participant in an RSM or
//!   SSM of its own sender id; the signal's MAP and SPAT) are signed with the signer's
//!   pseudonym and one signature octet flipped, with a valid signature from a certificate issued
//!   under another root, or with a valid signature from a certificate of the test PKI that the
//!   verifier has revoked ([`Forge`]). A forged actor exists only on the air: it may not be
//!   `seen_by` onboard sensors. A run without a signer that forges fails such a scenario (an
//!   unsigned message cannot be forged).
//! - `expect`: `after_s` (not before), `advice` (`"keep_speed"`, `"stop"`, `"range"`); with
//!   `never`, `after_s` and `by_s` limit the window in which nothing may be raised, `target` limits it to
//!   warnings about that actor and `advice` to advice of that kind.
pub mod build;
mod kinematics;
#[cfg(feature = "jer")]
mod parse;
mod run;
#[cfg(feature = "security")]
mod signed;

pub use build::{EGO_ID, MessageSigner, SignFailure, actor_vehicle_id};
pub use kinematics::{MotionState, Trajectory};
pub use run::{Outcome, Record, RunOptions, SCENARIO_AIDS, TimelineEntry, epoch, run};
#[cfg(feature = "security")]
pub use signed::ScenarioSigner;

use alloc::string::String;
use alloc::vec::Vec;

use crate::apps::{AppId, Level};
use crate::geo::Wgs84;
use crate::world::{Light, Turn, TurnSignal};

/// Why a scenario could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    /// Not JSON.
    #[error("not JSON: {0}")]
    Json(String),
    /// A required field is missing.
    #[error("missing field `{0}`")]
    Missing(String),
    /// A field has a wrong type or value.
    #[error("invalid field `{0}`")]
    Invalid(String),
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
#[derive(Debug, Clone, PartialEq)]
pub struct Expect {
    /// Application.
    pub app: AppId,
    /// Target actor.
    pub target: Option<u32>,
    /// Minimum level.
    pub level: Option<Level>,
    /// Deadline, s.
    pub by_s: Option<f64>,
    /// Not before, s.
    pub after_s: Option<f64>,
    /// The app never raises anything.
    pub never: bool,
    /// Some advice's upper bound within 10 % of this, km/h.
    pub advice_max_kph: Option<f64>,
    /// Advice kind.
    pub advice: Option<AdviceKind>,
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
}

/// The application of a scenario name (`FCW`, `GLOSA`, ...).
pub fn app_from_name(s: &str) -> Option<AppId> {
    use AppId::*;
    [
        Fcw, Icw, Lta, Bsw, Lcw, Dnpw, Ebw, Avw, Clw, Hlw, Slw, Rlvw, Vrucw, Glosa, Ivs, Tjw, Evw,
    ]
    .into_iter()
    .find(|a| a.name().eq_ignore_ascii_case(s))
}
