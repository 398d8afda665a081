//! A small deterministic world for the object-application tests: the true motion of the ego
//! and the actors (the scenario runner's motion model, `testing::scenario::Trajectory`), fused
//! objects built straight from it (optionally with position and velocity noise) or through the
//! fusion tracker, one evaluation per step.
#![allow(dead_code)]

use cv2x::apps::{ObjectApp, ObjectContext, Warning};
use cv2x::fusion::{AccelEstimate, FusedObject, ObjectClass, ObjectSize};
use cv2x::testing::scenario::{
    Actor, EgoSpec, Flags, Kind, Motion, MotionState, Segment as MotionSegment, Trajectory,
};
use cv2x::time::Timestamp;
use cv2x::world::{Ego, TurnSignal, VehicleFlags};
use nalgebra::Vector2;

/// A change of motion at a time.
#[derive(Clone, Copy, Debug)]
pub struct Segment {
    pub at_s: f64,
    pub accel_mps2: f64,
    pub flags: Option<VehicleFlags>,
    pub yaw_rate_dps: Option<f64>,
    pub speed_mps: Option<f64>,
    pub turn_signal: Option<TurnSignal>,
}

/// A moving body (ego or actor): its initial state, its segments, and at a step of a run its
/// state then.
#[derive(Clone, Debug)]
pub struct Body {
    pub id: u32,
    pub class: ObjectClass,
    pub x: f64,
    pub y: f64,
    pub heading_deg: f64,
    pub speed_mps: f64,
    pub accel_mps2: f64,
    pub yaw_rate_dps: f64,
    pub length_m: f64,
    pub width_m: f64,
    pub flags: VehicleFlags,
    pub segments: Vec<Segment>,
    /// Position noise σ, m (deterministic).
    pub noise_m: f64,
    /// Velocity noise σ, m/s.
    pub vel_noise_mps: f64,
    pub v2x_only: bool,
    /// Channels that report it in fused runs: any of "bsm", "rsm", "onboard" (BSM only when
    /// empty).
    pub seen_by: Vec<String>,
    /// Report latency of the roadside, s.
    pub rsm_latency_s: f64,
}

fn flags_of(f: &VehicleFlags, turn_signal: TurnSignal) -> Flags {
    Flags {
        hard_braking: f.hard_braking,
        hazard_lights: f.hazard_lights,
        siren: f.emergency,
        disabled: f.disabled,
        control_loss: f.control_loss,
        turn_signal,
    }
}

fn vehicle_flags(f: &Flags) -> VehicleFlags {
    let mut v = VehicleFlags::default();
    v.hard_braking = f.hard_braking;
    v.hazard_lights = f.hazard_lights;
    v.emergency = f.siren;
    v.disabled = f.disabled;
    v.control_loss = f.control_loss;
    v
}

impl Body {
    pub fn car(id: u32, x: f64, y: f64, heading_deg: f64, speed_mps: f64) -> Self {
        Body {
            id,
            class: ObjectClass::Motor,
            x,
            y,
            heading_deg,
            speed_mps,
            accel_mps2: 0.0,
            yaw_rate_dps: 0.0,
            length_m: 4.5,
            width_m: 1.8,
            flags: VehicleFlags::default(),
            segments: Vec::new(),
            noise_m: 0.0,
            vel_noise_mps: 0.0,
            v2x_only: false,
            seen_by: Vec::new(),
            rsm_latency_s: 0.1,
        }
    }

    pub fn pedestrian(id: u32, x: f64, y: f64, heading_deg: f64, speed_mps: f64) -> Self {
        Body {
            class: ObjectClass::Pedestrian,
            length_m: 0.5,
            width_m: 0.5,
            ..Self::car(id, x, y, heading_deg, speed_mps)
        }
    }

    /// A scenario actor: its motion, flags, size and channels.
    pub fn from_actor(a: &Actor) -> Self {
        let mut b = Body::from_motion(a.id, &a.motion, &a.flags, a.length_m, a.width_m);
        b.class = match a.kind {
            Kind::Pedestrian => ObjectClass::Pedestrian,
            Kind::Cyclist => ObjectClass::NonMotor,
            _ => ObjectClass::Motor,
        };
        // Only an emergency vehicle's siren makes it one.
        let emergency = a.kind == Kind::Emergency;
        b.flags.emergency &= emergency;
        for s in &mut b.segments {
            if let Some(f) = &mut s.flags {
                f.emergency &= emergency;
            }
        }
        b.noise_m = a.position_noise_m;
        let seen = &a.seen_by;
        b.v2x_only = !seen.onboard;
        b.seen_by = [
            ("bsm", seen.bsm),
            ("rsm", seen.rsm),
            ("onboard", seen.onboard),
        ]
        .iter()
        .filter(|(_, on)| *on)
        .map(|(c, _)| c.to_string())
        .collect();
        b.rsm_latency_s = seen.rsm_latency_s;
        b
    }

    /// The scenario ego.
    pub fn from_ego(e: &EgoSpec) -> Self {
        Body::from_motion(0, &e.motion, &e.flags, e.length_m, e.width_m)
    }

    fn from_motion(id: u32, m: &Motion, flags: &Flags, length_m: f64, width_m: f64) -> Self {
        let mut b = Body::car(id, m.x, m.y, m.heading_deg, m.speed_mps);
        b.accel_mps2 = m.accel_mps2;
        b.yaw_rate_dps = m.yaw_rate_dps;
        b.length_m = length_m;
        b.width_m = width_m;
        b.flags = vehicle_flags(flags);
        let mut f = *flags;
        let mut accel = m.accel_mps2;
        for s in &m.segments {
            f.hard_braking = s.hard_braking.unwrap_or(f.hard_braking);
            f.hazard_lights = s.hazard_lights.unwrap_or(f.hazard_lights);
            f.siren = s.siren.unwrap_or(f.siren);
            f.disabled = s.disabled.unwrap_or(f.disabled);
            f.control_loss = s.control_loss.unwrap_or(f.control_loss);
            accel = s.accel_mps2.unwrap_or(accel);
            b.segments.push(Segment {
                at_s: s.at_s,
                accel_mps2: accel,
                flags: Some(vehicle_flags(&f)),
                yaw_rate_dps: s.yaw_rate_dps,
                speed_mps: s.speed_mps,
                turn_signal: s.turn_signal,
            });
        }
        b
    }

    pub fn with_accel_at(mut self, at_s: f64, accel_mps2: f64) -> Self {
        self.segments.push(Segment {
            at_s,
            accel_mps2,
            flags: None,
            yaw_rate_dps: None,
            speed_mps: None,
            turn_signal: None,
        });
        self
    }

    pub fn with_flags(mut self, flags: VehicleFlags) -> Self {
        self.flags = flags;
        self
    }

    /// The body's motion over `duration_s` with `turn_signal` at the start.
    fn trajectory(&self, turn_signal: TurnSignal, duration_s: f64) -> Trajectory {
        let mut segments: Vec<MotionSegment> = self
            .segments
            .iter()
            .map(|s| {
                let mut m = MotionSegment {
                    at_s: s.at_s,
                    accel_mps2: Some(s.accel_mps2),
                    yaw_rate_dps: s.yaw_rate_dps,
                    speed_mps: s.speed_mps,
                    turn_signal: s.turn_signal,
                    ..MotionSegment::default()
                };
                if let Some(f) = &s.flags {
                    m.hard_braking = Some(f.hard_braking);
                    m.hazard_lights = Some(f.hazard_lights);
                    m.siren = Some(f.emergency);
                    m.disabled = Some(f.disabled);
                    m.control_loss = Some(f.control_loss);
                }
                m
            })
            .collect();
        segments.sort_by(|a, b| a.at_s.total_cmp(&b.at_s));
        let motion = Motion {
            x: self.x,
            y: self.y,
            heading_deg: self.heading_deg,
            speed_mps: self.speed_mps,
            accel_mps2: self.accel_mps2,
            yaw_rate_dps: self.yaw_rate_dps,
            segments,
        };
        Trajectory::new(&motion, flags_of(&self.flags, turn_signal), duration_s)
    }

    /// This body in the state `s`.
    fn in_state(&self, s: &MotionState) -> Body {
        Body {
            x: s.x,
            y: s.y,
            heading_deg: s.heading_deg,
            speed_mps: s.speed_mps,
            accel_mps2: s.accel_mps2,
            yaw_rate_dps: s.yaw_rate_dps,
            flags: vehicle_flags(&s.flags),
            ..self.clone()
        }
    }

    pub fn velocity(&self) -> [f64; 2] {
        let h = self.heading_deg.to_radians();
        [self.speed_mps * h.sin(), self.speed_mps * h.cos()]
    }
}

/// A test world.
#[derive(Clone, Debug)]
pub struct World {
    pub ego: Body,
    pub turn_signal: TurnSignal,
    pub actors: Vec<Body>,
    pub duration_s: f64,
    pub step_s: f64,
}

/// One recorded warning.
#[derive(Clone, Copy, Debug)]
pub struct Event {
    pub t_s: f64,
    pub warning: Warning,
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    }
    fn gauss(&mut self) -> f64 {
        (self.next() + self.next() + self.next()) * 1.0
    }
}

/// The states of the ego and the actors at each step of a run.
struct Motions {
    ego: Trajectory,
    actors: Vec<Trajectory>,
}

impl World {
    pub fn new(ego: Body, actors: Vec<Body>, duration_s: f64) -> Self {
        World {
            ego,
            turn_signal: TurnSignal::None,
            actors,
            duration_s,
            step_s: 0.1,
        }
    }

    fn motions(&self) -> Motions {
        Motions {
            ego: self.ego.trajectory(self.turn_signal, self.duration_s),
            actors: self
                .actors
                .iter()
                .map(|a| a.trajectory(TurnSignal::None, self.duration_s))
                .collect(),
        }
    }

    /// The ego and actors at `t`, and the ego's turn signal then.
    fn at(&self, m: &Motions, t: f64) -> (Body, Vec<Body>, TurnSignal) {
        let e = m.ego.at(t);
        let actors = self
            .actors
            .iter()
            .zip(&m.actors)
            .map(|(a, tr)| a.in_state(&tr.at(t)))
            .collect();
        (self.ego.in_state(&e), actors, e.flags.turn_signal)
    }

    fn steps(&self) -> i64 {
        (self.duration_s / self.step_s).round() as i64
    }

    /// Runs `app` over the world; returns every warning with its time, and gives the states at
    /// each step to `probe`.
    pub fn run_with(
        &self,
        app: &mut dyn ObjectApp,
        mut probe: impl FnMut(f64, &Body, &[Body]),
    ) -> Vec<Event> {
        let motions = self.motions();
        let mut rng = Rng(0x1234_5678);
        let mut out = Vec::new();
        let mut events = Vec::new();
        for k in 0..=self.steps() {
            let t = k as f64 * self.step_s;
            let now = Timestamp::from_millis((t * 1000.0).round() as i64 + 1_000_000);
            let (ego_body, actors, signal) = self.at(&motions, t);
            let ego = ego_state(&ego_body, signal, now);
            let fused: Vec<FusedObject> = actors
                .iter()
                .map(|a| {
                    let v = a.velocity();
                    let mut o = FusedObject::synthetic(
                        a.id,
                        a.class,
                        now,
                        Vector2::new(a.x + a.noise_m * rng.gauss(), a.y + a.noise_m * rng.gauss()),
                        Vector2::new(
                            v[0] + a.vel_noise_mps * rng.gauss(),
                            v[1] + a.vel_noise_mps * rng.gauss(),
                        ),
                    );
                    if a.vel_noise_mps > 0.0 {
                        o.velocity_cov *= (a.vel_noise_mps * a.vel_noise_mps) / 0.25;
                    }
                    o.size = Some(ObjectSize {
                        length_m: a.length_m,
                        width_m: a.width_m,
                        height_m: 1.5,
                    });
                    o.v2x_only = a.v2x_only;
                    // The fusion core estimates a track's acceleration from its reports; the
                    // true value stands in for it here.
                    o.accel = Some(AccelEstimate {
                        accel_mps2: a.accel_mps2,
                        var_m2ps4: 0.25,
                    });
                    o
                })
                .collect();
            let flags: Vec<VehicleFlags> = actors.iter().map(|a| a.flags).collect();
            evaluate(app, now, &ego, &fused, &flags, &mut out);
            probe(t, &ego_body, &actors);
            for warning in &out {
                events.push(Event {
                    t_s: t,
                    warning: *warning,
                });
            }
        }
        events
    }

    pub fn run(&self, app: &mut dyn ObjectApp) -> Vec<Event> {
        self.run_with(app, |_, _, _| {})
    }

    /// Like [`World::run`], but the actors reach the app through the fusion tracker: each
    /// channel that sees an actor sends a report every step (the roadside `rsm_latency_s` late,
    /// positions with the actor's noise), the ego state is set, the tracker steps, and its
    /// snapshot with the actors' flags (by vehicle id) is evaluated.
    pub fn run_fused(&self, app: &mut dyn ObjectApp) -> Vec<Event> {
        use cv2x::fusion::{
            EgoState, FusionConfig, ObsCovariance, ObsMotion, ObsPosition, Observation, SourceId,
            SourceKind, SourceType, Tracker,
        };
        use cv2x::geo::{EnuFrame, Wgs84};
        let origin = Wgs84::new(39.9, 116.4, 0.0);
        let frame = EnuFrame::new(origin).unwrap();
        let mut tracker = Tracker::new(FusionConfig::default(), origin).unwrap();
        let motions = self.motions();
        let mut rng = Rng(0x9e37_79b9);
        let mut out = Vec::new();
        let mut events = Vec::new();
        let mut fused = Vec::new();
        let base = 600_000_000_000i64;
        let ts = |t: f64| Timestamp::from_millis(base + (t * 1000.0).round() as i64);
        for k in 0..=self.steps() {
            let t = k as f64 * self.step_s;
            let now = ts(t);
            let (ego_body, actors, signal) = self.at(&motions, t);
            let wg = frame.wgs84_from_enu(&nalgebra::Vector3::new(ego_body.x, ego_body.y, 0.0));
            let _ = tracker.set_ego_state(&EgoState {
                time: now,
                lat_deg: wg.lat_deg,
                lon_deg: wg.lon_deg,
                alt_m: 0.0,
                heading_deg: ego_body.heading_deg,
                speed_mps: ego_body.speed_mps,
                yaw_rate_rps: -ego_body.yaw_rate_dps.to_radians(),
                position_sigma_m: 0.3,
                heading_sigma_deg: 0.5,
                length_m: ego_body.length_m,
                width_m: ego_body.width_m,
                vehicle_id: Some([0xee; 8]),
            });
            for (a, tr) in actors.iter().zip(&motions.actors) {
                let channels: Vec<&str> = if a.seen_by.is_empty() {
                    vec!["bsm"]
                } else {
                    a.seen_by.iter().map(String::as_str).collect()
                };
                for ch in channels {
                    let (kind, station, st, lat) = match ch {
                        "rsm" => (SourceKind::Rsm, 1, SourceType::Lidar, a.rsm_latency_s),
                        "onboard" => (SourceKind::Onboard, 1, SourceType::Lidar, 0.0),
                        _ => (SourceKind::Bsm, 0, SourceType::SelfInfo, 0.0),
                    };
                    // The report describes the actor at the last step before its latency.
                    let ht = ((t - lat) / self.step_s + 1e-9).floor() * self.step_s;
                    if ht < -1e-9 {
                        continue;
                    }
                    let b = a.in_state(&tr.at(ht));
                    let obs = Observation {
                        source: SourceId { kind, station },
                        object_id: u64::from(a.id),
                        vehicle_id: Some([a.id as u8; 8]),
                        source_type: st,
                        time: ts(ht),
                        position: ObsPosition::Enu {
                            x_m: b.x + a.noise_m * rng.gauss(),
                            y_m: b.y + a.noise_m * rng.gauss(),
                        },
                        motion: ObsMotion::SpeedHeading {
                            speed_mps: b.speed_mps,
                            heading_deg: b.heading_deg.rem_euclid(360.0),
                        },
                        yaw_rate_rps: Some(-b.yaw_rate_dps.to_radians()),
                        accel_mps2: Some(b.accel_mps2),
                        size: Some(ObjectSize {
                            length_m: b.length_m,
                            width_m: b.width_m,
                            height_m: 1.5,
                        }),
                        class: b.class,
                        covariance: ObsCovariance::default(),
                    };
                    let _ = tracker.ingest(&obs);
                }
            }
            let _ = tracker.step(now);
            tracker.snapshot(&mut fused);
            let ego = ego_state(&ego_body, signal, now);
            let flags: Vec<VehicleFlags> = fused
                .iter()
                .map(|o| {
                    actors
                        .iter()
                        .find(|a| o.vehicle_id == Some([a.id as u8; 8]))
                        .map(|a| a.flags)
                        .unwrap_or_default()
                })
                .collect();
            evaluate(app, now, &ego, &fused, &flags, &mut out);
            for warning in &out {
                // Attribute the warning to the actor nearest the warned position, as the
                // scenario runner does; report it under that actor's id.
                let mut warning = *warning;
                if let cv2x::apps::Target::Object { position_enu, .. } = warning.target {
                    if let Some(a) = actors.iter().min_by(|a, b| {
                        let da = (a.x - position_enu[0]).hypot(a.y - position_enu[1]);
                        let db = (b.x - position_enu[0]).hypot(b.y - position_enu[1]);
                        da.total_cmp(&db)
                    }) {
                        warning.target = cv2x::apps::Target::Object {
                            track_id: a.id,
                            position_enu,
                        };
                    }
                }
                events.push(Event { t_s: t, warning });
            }
        }
        events
    }
}

/// The ego as the applications see it at `now`.
fn ego_state(b: &Body, turn_signal: TurnSignal, now: Timestamp) -> Ego {
    let mut e = Ego::new(now, [b.x, b.y], b.heading_deg, b.speed_mps);
    e.accel_mps2 = b.accel_mps2;
    e.yaw_rate_dps = b.yaw_rate_dps;
    e.length_m = b.length_m;
    e.width_m = b.width_m;
    e.turn_signal = turn_signal;
    e
}

/// Time of the first warning at `level` or above about `track`.
pub fn first(events: &[Event], track: u32, level: cv2x::apps::Level) -> Option<f64> {
    events
        .iter()
        .find(|e| {
            e.warning.level >= level
                && matches!(e.warning.target, cv2x::apps::Target::Object { track_id, .. } if track_id == track)
        })
        .map(|e| e.t_s)
}

/// Number of level changes (raised, lowered, cleared) of warnings about `track`, sampled each
/// step: a measure of flicker.
pub fn transitions(events: &[Event], world: &World, track: u32) -> usize {
    let mut last: Option<cv2x::apps::Level> = None;
    let mut count = 0;
    for k in 0..=world.steps() {
        let t = k as f64 * world.step_s;
        let now = events
            .iter()
            .filter(|e| (e.t_s - t).abs() < 1e-6)
            .filter(|e| matches!(e.warning.target, cv2x::apps::Target::Object { track_id, .. } if track_id == track))
            .map(|e| e.warning.level)
            .max();
        if now != last {
            count += 1;
            last = now;
        }
    }
    count
}

/// One evaluation of `app` into `out` (cleared first).
fn evaluate(
    app: &mut dyn ObjectApp,
    now: Timestamp,
    ego: &Ego,
    objects: &[FusedObject],
    flags: &[VehicleFlags],
    out: &mut Vec<Warning>,
) {
    let cx = ObjectContext {
        now,
        ego,
        objects,
        flags,
    };
    out.clear();
    app.evaluate(&cx, out);
}

pub fn ego(speed_mps: f64) -> Body {
    Body {
        id: 0,
        length_m: 4.8,
        width_m: 1.9,
        ..Body::car(0, 0.0, 0.0, 0.0, speed_mps)
    }
}
