//! The scenario runner: messages per actor → codec → (signer) → [`Stack`] → expectations.
//!
//! Each step `t` (every `step_s`): the ego state is set; due messages are built, encoded and
//! ingested (BSM/PSM and RSM and SPAT at 10 Hz, MAP and RSI at 1 Hz; RSM participants at their
//! state `latency` earlier, delivered at `t`); onboard tracks are added; the stack is polled.
//! Every warning is attributed to the actor (or the ego, id 0) whose true position is nearest
//! the warned object or place.
use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::apps::{Advice, AppId, Level, Target, Warning};
use crate::codec::Uper;
use crate::fusion::{
    ObjectClass, ObjectSize, ObsCovariance, ObsMotion, ObsPosition, Observation, SourceId,
    SourceKind, SourceType,
};
use crate::geo::{EnuFrame, Wgs84};
use crate::host::{VehicleSize as HostSize, VehicleState};
use crate::msg::v2020 as m;
use crate::net::PayloadKind;
use crate::stack::{
    Event, RxMeta, SpduVerifier, Stack, StackConfig, StackCounters, VerifyPolicy, WarningChange,
};
use crate::time::Timestamp;

use super::build::{self, MessageSigner, Participant, VehicleInfo, actor_vehicle_id};
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
}

/// A change in the warnings shown, as the stack reports it: raised, changed (level or
/// content), cleared.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimelineEntry {
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

    fn send(&mut self, frame: &m::MessageFrame, aid: u32, now: Timestamp, forge: Option<Forge>) {
        let Ok(bytes) = frame.encode() else {
            return;
        };
        let spdu = |spdu| {
            (
                spdu,
                RxMeta {
                    kind: PayloadKind::Spdu,
                    aid: Some(aid),
                },
            )
        };
        let (payload, meta) = match (self.signer.as_mut(), forge) {
            (Some(s), None) => match s.sign(&bytes, aid, now) {
                Ok(b) => spdu(b),
                Err(_) => return,
            },
            (Some(s), Some(f)) => match s.sign_forged(&bytes, aid, now, f) {
                Ok(b) => spdu(b),
                Err(_) => {
                    self.forge_failed = true;
                    return;
                }
            },
            (None, Some(_)) => {
                self.forge_failed = true;
                return;
            }
            (None, None) => (
                bytes,
                RxMeta {
                    kind: PayloadKind::MessageFrame,
                    aid: Some(aid),
                },
            ),
        };
        self.messages += 1;
        // Drops are reported as events and counted by the stack.
        let _ = self.stack.ingest(&payload, &meta, now);
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
/// heading (1° accuracy), yaw rate, acceleration, size and turn signal.
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
    s
}

/// Runs a scenario.
pub fn run(sc: &Scenario, opts: RunOptions) -> Outcome {
    let config = opts.config.unwrap_or_default().with_origin(sc.origin);
    let mut outcome = Outcome {
        name: sc.name.clone(),
        failures: Vec::new(),
        records: Vec::new(),
        timeline: Vec::new(),
        messages: 0,
        tracks: Vec::new(),
        counters: StackCounters::default(),
    };
    let (Ok(frame), Ok(mut stack)) = (EnuFrame::new(sc.origin), Stack::new(config)) else {
        outcome.failures.push("invalid origin".into());
        return outcome;
    };
    if let Some(v) = opts.verifier {
        stack.set_verifier(v);
    }
    stack.set_temporary_id(Some(sc.ego.vehicle_id));
    let mut r = Runner {
        frame,
        stack,
        signer: opts.signer,
        messages: 0,
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
                parts.push((
                    None,
                    Participant {
                        ptc_id: 0xFFF0,
                        kind: Kind::Car,
                        id: sc.ego.rsm_id.then_some(sc.ego.vehicle_id),
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
        for (id, s) in actor_pos.iter().skip(1) {
            outcome.tracks.push((t_s, *id, s.x, s.y));
        }
        // The warnings' life as the stack reports it; the active set after the poll.
        let changes: Vec<(&'static str, Warning)> = r
            .stack
            .poll(now)
            .filter_map(|ev| match ev {
                Event::Warning {
                    change: WarningChange::Raised,
                    warning,
                    ..
                } => Some(("raise", warning)),
                Event::Warning {
                    change: WarningChange::Updated,
                    warning,
                    ..
                } => Some(("change", warning)),
                Event::WarningCleared { warning, .. } => Some(("clear", warning)),
                _ => None,
            })
            .collect();
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
            }
        };
        for (state, w) in &changes {
            outcome.timeline.push(TimelineEntry {
                state,
                record: record(w),
            });
        }
        for a in r.stack.active_warnings() {
            outcome.records.push(record(&a.warning));
        }
    }
    if r.forge_failed {
        outcome.failures.push(
            "forged messages need a signer that forges (a signed run: RunOptions::signed)".into(),
        );
    }
    outcome.messages = r.messages;
    outcome.counters = *r.stack.counters();
    check(sc, &mut outcome);
    outcome
}

fn check(sc: &Scenario, o: &mut Outcome) {
    const EPS: f64 = 1e-6;
    for (i, e) in sc.expect.iter().enumerate() {
        let of_app = |r: &&Record| r.app == e.app && e.target.is_none_or(|t| r.target == Some(t));
        let by = e.by_s.unwrap_or(f64::INFINITY);
        let after = e.after_s.unwrap_or(f64::NEG_INFINITY);
        if e.never {
            let in_window = |r: &&Record| {
                r.t_s <= by + EPS
                    && r.t_s + EPS >= after
                    && e.advice
                        .is_none_or(|k| r.advice.as_ref().map(advice_kind) == Some(k))
            };
            if let Some(r) = o.records.iter().filter(of_app).find(in_window) {
                o.failures.push(format!(
                    "expect[{i}]: {} must never warn{} but raised {} at {:.1} s about {}",
                    e.app.name(),
                    e.target.map_or(String::new(), |t| format!(" about {t}")),
                    r.level.name(),
                    r.t_s,
                    r.target.map_or("the ego".into(), |t| format!("{t}"))
                ));
            }
            continue;
        }
        let ok = o.records.iter().filter(of_app).any(|r| {
            r.t_s <= by + EPS
                && r.t_s + EPS >= after
                && e.level.is_none_or(|l| r.level >= l)
                && e.advice.is_none_or(|k| r.advice.as_ref().map(advice_kind) == Some(k))
                && e.advice_max_kph.is_none_or(|v| {
                    matches!(r.advice, Some(Advice::SpeedRange { max_kph, .. }) if (max_kph - v).abs() <= 0.1 * v.abs() + EPS)
                })
        });
        if !ok {
            let first = o.records.iter().find(|r| r.app == e.app);
            let seen = match first {
                Some(r) => format!(
                    "first {} was {} at {:.1} s about {}{}",
                    e.app.name(),
                    r.level.name(),
                    r.t_s,
                    r.target.map_or("the ego".into(), |t| format!("{t}")),
                    match r.advice {
                        Some(Advice::SpeedRange { min_kph, max_kph }) =>
                            format!(" advising {min_kph:.0}-{max_kph:.0} km/h"),
                        Some(Advice::KeepSpeed) => " advising keep speed".into(),
                        Some(Advice::Stop) => " advising stop".into(),
                        None => String::new(),
                    }
                ),
                None => format!("{} never raised anything", e.app.name()),
            };
            o.failures.push(format!(
                "expect[{i}]: {}{}{}{}{} not met; {seen}",
                e.app.name(),
                e.level.map_or(String::new(), |l| format!(" {}", l.name())),
                e.target.map_or(String::new(), |t| format!(" about {t}")),
                e.advice_max_kph
                    .map_or(String::new(), |v| format!(" advising at most {v} km/h")),
                e.by_s.map_or(String::new(), |b| format!(" by {b} s")),
            ));
        }
    }
}
