//! The scenario runner: messages per actor → codec → (signer) → [`Stack`] → expectations.
//!
//! Each step `t` (every `step_s`): the ego state is set; due messages are built, encoded and
//! ingested (BSM/PSM and RSM and SPAT at 10 Hz, MAP and RSI at 1 Hz; RSM participants at their
//! state `latency` earlier, delivered at `t`); onboard tracks are added; the stack is polled.
//! Every warning is attributed to the actor (or the ego, id 0) whose true position is nearest
//! the warned object or place.
//!
//! Day II ([`super::day2`]): when the scenario has Day II parts the ego is on the air (a host
//! vehicle with a seeded generator, unsigned) and has the scenario's account; the
//! counterparts' messages go out every step; the ego's commands are given at their time; what
//! the ego sends is decoded into [`Outcome::sent`] and answered by the counterparts.
use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::apps::{Advice, AppId, Guidance, Level, RoadCode, Target, Warning};
use crate::fusion::{
    ObjectClass, ObjectSize, ObsCovariance, ObsMotion, ObsPosition, Observation, SourceId,
    SourceKind, SourceType,
};
use crate::geo::{EnuFrame, Wgs84};
use crate::host::{HostVehicle, Transmission, VehicleSize as HostSize, VehicleState};
use crate::msg::Standard;
use crate::msg::lift::Report;
use crate::msg::v2020 as m;
use crate::stack::{
    Event, RxMeta, SpduVerifier, Stack, StackConfig, StackCounters, VerifyPolicy, WarningChange,
};
use crate::time::Timestamp;

use super::build::{self, MessageSigner, Participant, VehicleInfo, actor_vehicle_id};
use super::day2::{Counterparts, EgoKind, SentRecord, StepView};
use super::generation;
use super::kinematics::{MotionState, Trajectory};
use super::{AdviceKind, Forge, Kind, Scenario};

/// Scenario time zero: 2026-03-01 08:00:00 UTC.
pub(crate) const T0_UNIX_MS: i64 = 1_772_352_000_000;

/// How to run a scenario.
#[derive(Default)]
pub struct RunOptions {
    /// Stack configuration (`origin` is replaced by the scenario's).
    pub config: Option<StackConfig>,
    /// Signs every message (the stack then needs `verifier`).
    pub signer: Option<Box<dyn MessageSigner>>,
    /// Verifies signed messages in the stack.
    pub verifier: Option<Box<dyn SpduVerifier>>,
    /// Puts the ego on the air: its messages are taken from the stack each step (and handed to
    /// the [`StepObserver`]), never received back.
    pub host: Option<HostVehicle>,
    /// Sends in this message set instead of the scenario's own `message_set`.
    pub message_set: Option<Standard>,
}

/// Watches a run step by step (the pictures record the stack with it).
pub trait StepObserver {
    /// After the poll of each step at scenario time `t_s` (absolute `now`), with the messages
    /// the ego sent in it.
    fn step(&mut self, t_s: f64, now: Timestamp, stack: &Stack, sent: &[Transmission]);
}

impl StepObserver for () {
    fn step(&mut self, _: f64, _: Timestamp, _: &Stack, _: &[Transmission]) {}
}

impl RunOptions {
    /// With the stack's verification policy (e.g. [`VerifyPolicy::on_demand`]).
    pub fn with_verify_policy(mut self, policy: VerifyPolicy) -> Self {
        self.config = Some(self.config.unwrap_or_default().with_verify_policy(policy));
        self
    }
}

/// The AIDs scenario messages are sent with: BSM, PSM (aftermarket BSM AID), MAP, SPAT, RSI,
/// RSM (also SSM).
pub const SCENARIO_AIDS: [u64; 6] = [111, 3617, 3618, 3619, 3620, 3623];

/// Scenario time zero (2026-03-01 08:00:00 UTC).
pub fn epoch() -> Timestamp {
    Timestamp::from_unix_utc_millis(T0_UNIX_MS)
}

/// One warning as the runner saw it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Record {
    /// Scenario time, s.
    pub t_s: f64,
    /// Application.
    pub app: AppId,
    /// Level.
    pub level: Level,
    /// Actor nearest the warned object (0 = the ego), `None` for warnings about the ego.
    pub target: Option<u32>,
    /// Time to collision / conflict, s.
    pub ttc_s: Option<f64>,
    /// Distance, m.
    pub distance_m: Option<f64>,
    /// Advice.
    pub advice: Option<Advice>,
    /// Target position in the scenario frame, m.
    pub position: Option<[f64; 2]>,
    /// Whether the warning is about a fused object (rather than a place or the ego).
    pub about_object: bool,
    /// The deceleration needed to avoid the collision, m/s².
    pub decel_mps2: Option<f64>,
    /// The RSI code and value.
    pub road: Option<RoadCode>,
    /// The speed limit applied, km/h.
    pub limit_kph: Option<f64>,
    /// The cooperative content.
    pub guidance: Option<Guidance>,
}

/// A change in the warnings shown, as the stack reports it: raised, changed (level or
/// content), cleared.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimelineEntry {
    /// The stack's warning id (the same from raise to clear).
    pub id: u32,
    /// `"raise"`, `"change"` or `"clear"`.
    pub state: &'static str,
    /// The warning (for `clear`, the last one shown).
    pub record: Record,
}

/// The result of one scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Scenario name.
    pub name: String,
    /// Failed expectations, in words.
    pub failures: Vec<String>,
    /// Every warning of every step.
    pub records: Vec<Record>,
    /// Changes of the warnings shown.
    pub timeline: Vec<TimelineEntry>,
    /// Messages ingested.
    pub messages: u64,
    /// Actor tracks (scenario frame) per step: (t, id, x, y), id 0 = ego; for pictures.
    pub tracks: Vec<(f64, u32, f64, f64)>,
    /// The stack's counters at the end.
    pub counters: StackCounters,
    /// The message set the messages were sent in.
    pub message_set: Standard,
    /// What that set could not carry of the messages (empty in 2020).
    pub lowering: Report,
    /// Why the scenario could not run in that set (its expectations were then not checked).
    pub skipped: Option<&'static str>,
    /// What the ego sent (when it was on the air), decoded.
    pub sent: Vec<SentRecord>,
}

impl Outcome {
    /// Whether every expectation held.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

fn advice_kind(a: &Advice) -> AdviceKind {
    match a {
        Advice::KeepSpeed => AdviceKind::KeepSpeed,
        Advice::Stop => AdviceKind::Stop,
        Advice::SpeedRange { .. } => AdviceKind::Range,
    }
}

struct Runner {
    frame: EnuFrame,
    stack: Stack,
    signer: Option<Box<dyn MessageSigner>>,
    messages: u64,
    set: Standard,
    lowering: Report,
    /// A forged message could not be made (no signer, or one that cannot forge).
    forge_failed: bool,
}

/// The forgeries, each sent by a sender of its own (RSM and SSM ids differ in the last octet).
const FORGERIES: [Option<Forge>; 4] = [
    None,
    Some(Forge::BadSignature),
    Some(Forge::UnknownCertificate),
    Some(Forge::RevokedCertificate),
];

/// The participants the (honest or forged) sender `forge` reports.
fn sent_by(parts: &[(Option<Forge>, Participant)], forge: Option<Forge>) -> Vec<Participant> {
    parts
        .iter()
        .filter(|(f, _)| *f == forge)
        .map(|(_, p)| *p)
        .collect()
}

/// `id` with the last octet marking the forger `k` of [`FORGERIES`] (0: honest, unchanged).
fn sender_id(id: [u8; 8], k: usize) -> [u8; 8] {
    let mut id = id;
    if k > 0 {
        id[7] = 0xF0 | (k as u8);
    }
    id
}

impl Runner {
    fn wgs(&self, x: f64, y: f64) -> Wgs84 {
        self.frame
            .wgs84_from_enu(&nalgebra::Vector3::new(x, y, 0.0))
    }

    /// Sends `frame` as a sender of the runner's message set would: lowered into it, encoded,
    /// signed when there is a signer (forged as `forge` says), and ingested.
    fn send(&mut self, frame: &m::MessageFrame, aid: u32, now: Timestamp, forge: Option<Forge>) {
        for bytes in generation::encode_in(self.set, frame, &mut self.lowering) {
            let (payload, meta) = match (self.signer.as_mut(), forge) {
                (Some(s), None) => match s.sign(&bytes, aid, now) {
                    Ok(spdu) => (spdu, RxMeta::SPDU.with_aid(aid)),
                    Err(_) => continue,
                },
                (Some(s), Some(f)) => match s.sign_forged(&bytes, aid, now, f) {
                    Ok(spdu) => (spdu, RxMeta::SPDU.with_aid(aid)),
                    Err(_) => {
                        self.forge_failed = true;
                        continue;
                    }
                },
                (None, Some(_)) => {
                    self.forge_failed = true;
                    continue;
                }
                (None, None) => (bytes, RxMeta::PLAIN.with_aid(aid)),
            };
            self.messages += 1;
            // Drops are reported as events and counted by the stack.
            let _ = self.stack.ingest(&payload, &meta, now);
        }
    }
}

/// Deterministic Gaussian noise (xorshift + Box–Muller).
struct Noise(u64);

impl Noise {
    fn next_f64(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        ((x >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn gauss(&mut self) -> f64 {
        let (u, v) = (self.next_f64(), self.next_f64());
        (-2.0 * u.ln()).sqrt() * (core::f64::consts::TAU * v).cos()
    }
}

fn seed(name: &str) -> u64 {
    name.bytes().fold(0x9E37_79B9_7F4A_7C15u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3)
    }) | 1
}

fn class_of(k: Kind) -> ObjectClass {
    match k {
        Kind::Pedestrian => ObjectClass::Pedestrian,
        Kind::Cyclist => ObjectClass::NonMotor,
        _ => ObjectClass::Motor,
    }
}

/// The ego's state at one step as its ECUs would report it: a fix with 0.5 m accuracy, speed,
/// heading (1° accuracy), yaw rate, acceleration, size and turn signal; its class (bus,
/// truck, emergency vehicle) and, for an emergency vehicle, its siren and light bar.
fn ego_state(sc: &Scenario, e: &MotionState, w: &Wgs84, now: Timestamp) -> VehicleState {
    let mut s = VehicleState::new(now, w.lat_deg, w.lon_deg, e.heading_deg, e.speed_mps)
        .with_accuracy(0.5, 1.0);
    s.yaw_rate_dps = Some(e.yaw_rate_dps);
    s.accel_long_mps2 = Some(e.accel_mps2);
    s.size = Some(HostSize {
        length_m: sc.ego.length_m,
        width_m: sc.ego.width_m,
        height_m: None,
    });
    s.set_turn_signal(e.flags.turn_signal);
    let basic = match sc.day2.ego_kind {
        EgoKind::Car => None,
        EgoKind::Truck => Some(25),
        EgoKind::Bus => Some(50),
        EgoKind::Emergency => Some(60),
    };
    s.class = basic.map(|basic| crate::host::VehicleClass { basic, fuel: None });
    if sc.day2.ego_kind == EgoKind::Emergency {
        let on = e.flags.siren;
        s.emergency = Some(crate::host::EmergencyState {
            response: Some(if on {
                crate::host::Response::Emergency
            } else {
                crate::host::Response::NonEmergency
            }),
            siren: Some(on),
            light_bar: Some(if on {
                crate::host::LightBar::Emergency
            } else {
                crate::host::LightBar::Off
            }),
        });
    }
    s
}

/// Runs a scenario.
pub fn run(sc: &Scenario, opts: RunOptions) -> Outcome {
    run_observed(sc, opts, &mut ())
}

/// Runs a scenario, handing the stack to `observer` after each step's poll.
pub fn run_observed(sc: &Scenario, opts: RunOptions, observer: &mut dyn StepObserver) -> Outcome {
    let set = opts.message_set.unwrap_or(sc.message_set);
    // The stack is configured as a deployment whose senders use `set`: it detects the set of
    // each frame, and `set` decides the frames that several sets read differently.
    let config = opts
        .config
        .unwrap_or_default()
        .with_origin(sc.origin)
        .with_default_set(set);
    let mut outcome = Outcome {
        name: sc.name.clone(),
        failures: Vec::new(),
        records: Vec::new(),
        timeline: Vec::new(),
        messages: 0,
        tracks: Vec::new(),
        counters: StackCounters::default(),
        message_set: set,
        lowering: Report::new(),
        skipped: None,
        sent: Vec::new(),
    };
    let (Ok(frame), Ok(mut stack)) = (EnuFrame::new(sc.origin), Stack::new(config)) else {
        outcome.failures.push("invalid origin".into());
        return outcome;
    };
    if let Some(v) = opts.verifier {
        stack.set_verifier(v);
    }
    stack.set_temporary_id(Some(sc.ego.vehicle_id));
    let host = opts.host.or_else(|| {
        sc.day2.needs_host().then(|| {
            let rng = Box::new(crate::host::SeededRandom::new([7; 32]));
            crate::host::HostVehicle::new(crate::host::HostConfig::default(), rng).ok()
        })?
    });
    if let Some(h) = host {
        stack.set_host(h);
    }
    if sc.day2.needs_host() {
        if let Some(a) = super::day2::account(&sc.day2) {
            stack.set_payment_account(a);
        }
    }
    let mut day2 = Counterparts::new(&sc.day2);
    let mut next_request = 0usize;
    let mut r = Runner {
        frame,
        stack,
        signer: opts.signer,
        messages: 0,
        set,
        lowering: Report::new(),
        forge_failed: false,
    };
    for a in sc
        .actors
        .iter()
        .filter(|a| a.forge.is_some() && a.seen_by.onboard)
    {
        outcome.failures.push(format!(
            "actor {}: a forged actor exists only on the air, onboard sensors cannot see it",
            a.id
        ));
    }
    let ego_traj = Trajectory::new(&sc.ego.motion, sc.ego.flags, sc.duration_s);
    let trajs: Vec<Trajectory> = sc
        .actors
        .iter()
        .map(|a| Trajectory::new(&a.motion, a.flags, sc.duration_s))
        .collect();
    let t0 = epoch();
    let steps = (sc.duration_s / sc.step_s).round() as usize;
    let every = |period_s: f64| ((period_s / sc.step_s).round() as usize).max(1);
    let (k10, k1) = (every(0.1), every(1.0));
    let mut noise = Noise(seed(&sc.name));
    // The approach of the signal: direction of travel and length.
    let map_msg = sc.signal.as_ref().filter(|s| s.map).map(|s| {
        let e0 = ego_traj.at(0.0);
        let dir = if s.stop_line_y >= e0.y { 1.0 } else { -1.0 };
        let len = ((s.stop_line_y - e0.y).abs() + 200.0).max(600.0);
        build::map(&r.frame, s, dir, len)
    });
    for k in 0..=steps {
        let t_s = k as f64 * sc.step_s;
        let now = t0.add_micros((t_s * 1e6).round() as i64);
        let e = ego_traj.at(t_s);
        let ew = r.wgs(e.x, e.y);
        let _ = r.stack.set_ego(&ego_state(sc, &e, &ew, now));
        outcome.tracks.push((t_s, 0, e.x, e.y));
        let count = (k / k10) as u8;
        if k % k1 == 0 {
            if let Some(mm) = &map_msg {
                r.send(mm, 3618, now, sc.signal.as_ref().and_then(|s| s.forge));
            }
            if let Some(msg) = build::rsi(&r.frame, &sc.rsi, t_s, (k / k1) as u8) {
                r.send(&msg, 3620, now, None);
            }
        }
        if k % k10 == 0 {
            if let Some(s) = &sc.signal {
                if s.spat_from_s <= t_s + 1e-9 && t_s <= s.spat_until_s + 1e-9 {
                    // A late SPAT: stamped and timed when it was made.
                    let made_s = t_s - s.spat_latency_s;
                    let made = now.add_micros(-((s.spat_latency_s * 1e6) as i64));
                    if let Some(msg) = build::spat(s, made_s, made, count) {
                        r.send(&msg, 3619, now, s.forge);
                    }
                }
            }
            // Actors' own messages.
            for (a, tr) in sc.actors.iter().zip(&trajs) {
                if !a.seen_by.bsm {
                    continue;
                }
                let lat = a.seen_by.bsm_latency_s;
                let s = tr.at(t_s - lat);
                let (nx, ny) = (
                    a.position_noise_m * noise.gauss(),
                    a.position_noise_m * noise.gauss(),
                );
                let w = r.wgs(s.x + nx, s.y + ny);
                let info = VehicleInfo {
                    id: actor_vehicle_id(a.id),
                    kind: a.kind,
                    length_m: a.length_m,
                    width_m: a.width_m,
                    noise_m: a.position_noise_m,
                };
                let gen_t = now.add_micros(-((lat * 1e6) as i64));
                let msg = if a.kind.is_vehicle() {
                    build::bsm(&info, &s, &w, gen_t, count)
                } else {
                    build::psm(&info, &s, &w, gen_t, count)
                };
                let aid = if a.kind.is_vehicle() { 111 } else { 3617 };
                r.send(&msg, aid, now, a.forge);
            }
            // The roadside's view, and a sharing vehicle's; a forged actor's in a message of
            // its forger's own.
            let mut parts: Vec<(Option<Forge>, Participant)> = Vec::new();
            let mut shared: Vec<(Option<Forge>, Participant)> = Vec::new();
            for (a, tr) in sc.actors.iter().zip(&trajs) {
                for (seen, lat, out) in [
                    (a.seen_by.rsm, a.seen_by.rsm_latency_s, &mut parts),
                    (a.seen_by.ssm, a.seen_by.ssm_latency_s, &mut shared),
                ] {
                    if !seen {
                        continue;
                    }
                    let s = tr.at(t_s - lat);
                    let (nx, ny) = (
                        a.position_noise_m * noise.gauss(),
                        a.position_noise_m * noise.gauss(),
                    );
                    out.push((
                        a.forge,
                        Participant {
                            ptc_id: u16::try_from(a.id).unwrap_or(u16::MAX),
                            kind: a.kind,
                            id: a.rsm_id.then(|| actor_vehicle_id(a.id)),
                            state: s,
                            position: r.wgs(s.x + nx, s.y + ny),
                            time: now.add_micros(-((lat * 1e6) as i64)),
                            length_m: a.length_m,
                            width_m: a.width_m,
                            noise_m: a.position_noise_m,
                        },
                    ));
                }
            }
            for (k, forge) in FORGERIES.iter().enumerate() {
                let of = sent_by(&shared, *forge);
                if !of.is_empty() {
                    let id = sender_id(build::SSM_ID, k);
                    let msg = build::ssm(id, &r.frame.origin(), &of, now, count);
                    r.send(&msg, 3623, now, *forge);
                }
            }
            if sc.ego.seen_by.rsm {
                let lat = sc.ego.seen_by.rsm_latency_s;
                let s = ego_traj.at(t_s - lat);
                let ego_id = r.stack.temporary_id().unwrap_or(sc.ego.vehicle_id);
                parts.push((
                    None,
                    Participant {
                        ptc_id: 0xFFF0,
                        kind: Kind::Car,
                        id: sc.ego.rsm_id.then_some(ego_id),
                        state: s,
                        position: r.wgs(s.x, s.y),
                        time: now.add_micros(-((lat * 1e6) as i64)),
                        length_m: sc.ego.length_m,
                        width_m: sc.ego.width_m,
                        noise_m: 0.0,
                    },
                ));
            }
            for (k, forge) in FORGERIES.iter().enumerate() {
                let of = sent_by(&parts, *forge);
                for chunk in of.chunks(16) {
                    let mut msg = build::rsm(&r.frame.origin(), chunk, count);
                    if let m::MessageFrame::RsmFrame(x) = &mut msg {
                        x.id = sender_id(x.id, k);
                    }
                    r.send(&msg, 3623, now, *forge);
                }
            }
        }
        // Onboard sensors.
        let mut onboard = Vec::new();
        for (a, tr) in sc.actors.iter().zip(&trajs) {
            if !a.seen_by.onboard || a.forge.is_some() {
                continue;
            }
            let lat = a.seen_by.onboard_latency_s;
            let s = tr.at(t_s - lat);
            let es = ego_traj.at(t_s - lat);
            let (dx, dy) = (s.x - es.x, s.y - es.y);
            let h = es.heading_deg.to_radians();
            let (fx, fy) = (h.sin(), h.cos());
            let fwd = dx * fx + dy * fy;
            let left = fx * dy - fy * dx;
            let n = a.position_noise_m.min(0.5);
            onboard.push(Observation {
                source: SourceId {
                    kind: SourceKind::Onboard,
                    station: 0,
                },
                object_id: u64::from(a.id),
                vehicle_id: None,
                source_type: SourceType::Lidar,
                time: now.add_micros(-((lat * 1e6) as i64)),
                position: ObsPosition::Ego {
                    x_m: fwd + n * noise.gauss(),
                    y_m: left + n * noise.gauss(),
                },
                // A standing pedestrian or cyclist is reported without motion (see
                // `fusion::adapt`: zero speed with a heading is singular for their model).
                motion: if s.speed_mps < 0.5 && !class_of(a.kind).uses_ctrv() {
                    ObsMotion::None
                } else {
                    ObsMotion::SpeedHeading {
                        speed_mps: s.speed_mps,
                        heading_deg: s.heading_deg,
                    }
                },
                yaw_rate_rps: Some(-s.yaw_rate_dps.to_radians()),
                accel_mps2: Some(s.accel_mps2),
                size: Some(ObjectSize {
                    length_m: a.length_m,
                    width_m: a.width_m,
                    height_m: 0.0,
                }),
                class: class_of(a.kind),
                covariance: ObsCovariance::default(),
            });
        }
        if !onboard.is_empty() {
            r.stack.add_onboard_tracks(&onboard, now);
        }
        // Poll and attribute.
        let actor_pos: Vec<(u32, MotionState)> = core::iter::once((0u32, e))
            .chain(
                sc.actors
                    .iter()
                    .zip(&trajs)
                    .map(|(a, tr)| (a.id, tr.at(t_s))),
            )
            .collect();
        // Day II: the counterparts' messages and the ego's commands of this step.
        if sc.day2.needs_host() {
            let mut frames: Vec<m::MessageFrame> = Vec::new();
            if let Some(view) =
                StepView::new(t_s, now, &r.frame, r.stack.temporary_id(), &actor_pos)
            {
                day2.messages(&sc.day2, &view, &mut |f, _aid| frames.push(f.clone()));
            }
            for f in &frames {
                r.send(f, super::day2::aid_of(f), now, None);
            }
            while let Some(req) = sc.day2.requests.get(next_request) {
                if req.at_s > t_s + 1e-9 {
                    break;
                }
                let _ = r.stack.command(req.command.clone());
                next_request += 1;
            }
        }
        for (id, s) in actor_pos.iter().skip(1) {
            outcome.tracks.push((t_s, *id, s.x, s.y));
        }
        // The warnings' life as the stack reports it; the active set after the poll.
        let changes: Vec<(u32, &'static str, Warning)> = r
            .stack
            .poll(now)
            .filter_map(|ev| match ev {
                Event::Warning {
                    id,
                    change: WarningChange::Raised,
                    warning,
                } => Some((id, "raise", warning)),
                Event::Warning {
                    id,
                    change: WarningChange::Updated,
                    warning,
                } => Some((id, "change", warning)),
                Event::WarningCleared { id, warning, .. } => Some((id, "clear", warning)),
                _ => None,
            })
            .collect();
        let sent: Vec<Transmission> = r.stack.transmissions().collect();
        observer.step(t_s, now, &r.stack, &sent);
        // Targets are in the stack's frame as it is after the poll (it may re-anchor).
        let stack_frame = *r.stack.frame();
        let record = |w: &Warning| {
            let pos = w.target.position_enu().and_then(|p| {
                let wg = stack_frame.wgs84_from_enu(&nalgebra::Vector3::new(p[0], p[1], 0.0));
                r.frame.enu_from_wgs84(&wg).ok().map(|p| [p.x, p.y])
            });
            let target = pos.and_then(|p| {
                actor_pos
                    .iter()
                    .map(|(id, s)| (*id, (s.x - p[0]).hypot(s.y - p[1])))
                    .min_by(|a, b| a.1.total_cmp(&b.1))
                    .map(|x| x.0)
            });
            Record {
                t_s,
                app: w.app,
                level: w.level,
                target,
                ttc_s: w.ttc_s,
                distance_m: w.distance_m,
                advice: w.advice,
                position: pos,
                about_object: matches!(w.target, Target::Object { .. }),
                decel_mps2: w.decel_mps2,
                road: w.road,
                limit_kph: w.limit_kph,
                guidance: w.guidance,
            }
        };
        for (id, state, w) in &changes {
            outcome.timeline.push(TimelineEntry {
                id: *id,
                state,
                record: record(w),
            });
        }
        for a in r.stack.active_warnings() {
            outcome.records.push(record(&a.warning));
        }
        if !sent.is_empty() {
            let frames: Vec<&[u8]> = sent.iter().map(|t| t.uper.as_slice()).collect();
            if let Some(view) =
                StepView::new(t_s, now, &r.frame, r.stack.temporary_id(), &actor_pos)
            {
                day2.ego_sent(&sc.day2, &view, &frames);
            }
        }
    }
    outcome.sent = core::mem::take(&mut day2.sent);
    if r.forge_failed {
        outcome.failures.push(
            "forged messages need a signer that forges (a signed run: RunOptions::signed)".into(),
        );
    }
    outcome.messages = r.messages;
    outcome.counters = *r.stack.counters();
    outcome.skipped = generation::cannot_carry(&r.lowering);
    outcome.lowering = r.lowering;
    if outcome.skipped.is_none() {
        check(sc, &mut outcome);
    }
    outcome
}

fn describe(r: &Record) -> String {
    let advice = match r.advice {
        Some(Advice::SpeedRange { min_kph, max_kph }) => {
            format!(" advising {min_kph:.0}-{max_kph:.0} km/h")
        }
        Some(Advice::KeepSpeed) => " advising keep speed".into(),
        Some(Advice::Stop) => " advising stop".into(),
        None => String::new(),
    };
    let state = r
        .guidance
        .as_ref()
        .and_then(|g| g.state_name())
        .map_or(String::new(), |s| format!(" ({s})"));
    format!(
        "{} at {:.1} s about {}{advice}{state}",
        r.level.name(),
        r.t_s,
        r.target.map_or("the ego".into(), |t| format!("{t}"))
    )
}

fn check(sc: &Scenario, o: &mut Outcome) {
    const EPS: f64 = 1e-6;
    for (i, e) in sc.expect.iter().enumerate() {
        let by = e.by_s.unwrap_or(f64::INFINITY);
        let after = e.after_s.unwrap_or(f64::NEG_INFINITY);
        let in_window = |t: f64| t <= by + EPS && t + EPS >= after;
        if let Some(want) = &e.sends {
            let hit = o
                .sent
                .iter()
                .find(|r| r.matches(want) && in_window(r.t_s))
                .map(|r| r.t_s);
            let what = format!(
                "the ego sends {}{}{}{}",
                want.message,
                want.request
                    .map_or(String::new(), |r| format!(" {}", r.name())),
                want.status
                    .as_deref()
                    .map_or(String::new(), |s| format!(" {s}")),
                want.step
                    .as_deref()
                    .map_or(String::new(), |s| format!(" {s}")),
            );
            match (e.never.is_some(), hit) {
                (true, Some(t)) => o.failures.push(format!(
                    "expect[{i}]: {what} must never happen, but did at {t:.1} s"
                )),
                (false, None) => o.failures.push(format!(
                    "expect[{i}]: {what}{} not met; sent: {}",
                    e.by_s.map_or(String::new(), |b| format!(" by {b} s")),
                    o.sent
                        .iter()
                        .filter(|r| r.message != "bsm")
                        .take(6)
                        .map(|r| format!(
                            "{} {} at {:.1} s",
                            r.message,
                            r.status.or(r.step).unwrap_or(""),
                            r.t_s
                        ))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                _ => {}
            }
            continue;
        }
        let Some(app) = e.app else { continue };
        let of_app = |r: &&Record| {
            r.app == app
                && e.target.is_none_or(|t| r.target == Some(t))
                && e.detail.matches(r)
                && e.advice
                    .is_none_or(|k| r.advice.as_ref().map(advice_kind) == Some(k))
        };
        if let Some(floor) = e.never {
            let bad = o
                .records
                .iter()
                .filter(of_app)
                .find(|r| in_window(r.t_s) && r.level >= floor);
            if let Some(r) = bad {
                let what = if floor == Level::Advisory {
                    String::new()
                } else {
                    format!(" at {} or above", floor.name())
                };
                o.failures.push(format!(
                    "expect[{i}]: {} must never warn{what}{} but raised {}",
                    app.name(),
                    e.target.map_or(String::new(), |t| format!(" about {t}")),
                    describe(r)
                ));
            }
            continue;
        }
        if let Some(max) = e.max_level {
            if let Some(r) = o.records.iter().filter(of_app).find(|r| r.level > max) {
                o.failures.push(format!(
                    "expect[{i}]: {} at most {} but raised {}",
                    app.name(),
                    max.name(),
                    describe(r)
                ));
            }
        }
        let at_level = |r: &&Record| e.level.is_none_or(|l| r.level >= l);
        if e.after_s.is_some() {
            // The onset: nothing matching before `after_s`.
            if let Some(r) = o
                .records
                .iter()
                .filter(of_app)
                .filter(at_level)
                .find(|r| r.t_s + EPS < after)
            {
                o.failures.push(format!(
                    "expect[{i}]: {} must not start before {after} s but raised {}",
                    app.name(),
                    describe(r)
                ));
            }
        }
        let ok = o.records.iter().filter(of_app).filter(at_level).any(|r| {
            in_window(r.t_s)
                && e.advice_max_kph.is_none_or(|v| {
                    matches!(r.advice, Some(Advice::SpeedRange { max_kph, .. }) if (max_kph - v).abs() <= 0.1 * v.abs() + EPS)
                })
        });
        if !ok {
            let first = o.records.iter().find(|r| r.app == app);
            let seen = match first {
                Some(r) => format!("first {} was {}", app.name(), describe(r)),
                None => format!("{} never raised anything", app.name()),
            };
            o.failures.push(format!(
                "expect[{i}]: {}{}{}{}{}{} not met; {seen}",
                app.name(),
                e.level.map_or(String::new(), |l| format!(" {}", l.name())),
                e.target.map_or(String::new(), |t| format!(" about {t}")),
                e.detail
                    .state
                    .as_deref()
                    .map_or(String::new(), |s| format!(" in state {s}")),
                e.advice_max_kph
                    .map_or(String::new(), |v| format!(" advising at most {v} km/h")),
                e.by_s.map_or(String::new(), |b| format!(" by {b} s")),
            ));
        }
    }
}
