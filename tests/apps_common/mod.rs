//! A small deterministic world simulator for the object-application tests: true motion of the
//! ego and the actors, fused objects built straight from it (optionally with position and
//! velocity noise), one evaluation per step.
#![allow(dead_code)]

use cv2x::apps::{Ego, ObjectApp, ObjectContext, TurnSignal, VehicleFlags, Warning, WorldObject};
use cv2x::fusion::{FusedObject, ObjectClass, ObjectSize};
use cv2x::time::Timestamp;
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

/// A moving body (ego or actor).
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
    /// Position noise σ, m (uniform-ish, deterministic).
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

    /// The turn signal a segment sets within the step starting at `t`.
    fn signal_change(&self, t: f64, dt: f64) -> Option<TurnSignal> {
        self.segments
            .iter()
            .filter(|s| s.at_s > t - 1e-9 && s.at_s <= t + dt - 1e-9)
            .find_map(|s| s.turn_signal)
    }

    fn step(&mut self, t: f64, dt: f64) {
        for s in &self.segments {
            if s.at_s > t - 1e-9 && s.at_s <= t + dt - 1e-9 {
                self.accel_mps2 = s.accel_mps2;
                if let Some(f) = s.flags {
                    self.flags = f;
                }
                if let Some(y) = s.yaw_rate_dps {
                    self.yaw_rate_dps = y;
                }
                if let Some(v) = s.speed_mps {
                    self.speed_mps = v;
                }
            }
        }
        let sub = 10;
        let h = dt / sub as f64;
        for _ in 0..sub {
            let v0 = self.speed_mps;
            let v1 = (v0 + self.accel_mps2 * h).max(0.0);
            let v = 0.5 * (v0 + v1);
            let hd = self.heading_deg.to_radians();
            self.x += v * hd.sin() * h;
            self.y += v * hd.cos() * h;
            self.speed_mps = v1;
            self.heading_deg += self.yaw_rate_dps * h;
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

    /// Runs `app` over the world; returns every warning with its time. Also returns the world
    /// states at each step through `probe`.
    /// Moves the ego (and its turn signal) and every actor over the step starting at `t`.
    fn advance(&mut self, t: f64, dt: f64) {
        if let Some(ts) = self.ego.signal_change(t, dt) {
            self.turn_signal = ts;
        }
        self.ego.step(t, dt);
        for a in &mut self.actors {
            a.step(t, dt);
        }
    }

    pub fn run_with(
        &self,
        app: &mut dyn ObjectApp,
        mut probe: impl FnMut(f64, &Body, &[Body]),
    ) -> Vec<Event> {
        let mut w = self.clone();
        let mut rng = Rng(0x1234_5678);
        let mut out = Vec::new();
        let mut events = Vec::new();
        let n = (self.duration_s / self.step_s).round() as i64;
        for k in 0..=n {
            let t = k as f64 * self.step_s;
            let now = Timestamp::from_millis((t * 1000.0).round() as i64 + 1_000_000);
            let ego = w.ego_state(now);
            let fused: Vec<FusedObject> = w
                .actors
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
                    o
                })
                .collect();
            let objects: Vec<WorldObject<'_>> = fused
                .iter()
                .zip(&w.actors)
                .map(|(o, a)| WorldObject {
                    object: o,
                    flags: a.flags,
                })
                .collect();
            evaluate(app, now, &ego, &objects, &mut out);
            probe(t, &w.ego, &w.actors);
            for warning in &out {
                events.push(Event {
                    t_s: t,
                    warning: *warning,
                });
            }
            w.advance(t, self.step_s);
        }
        events
    }

    /// The ego as the applications see it at `now`.
    pub fn ego_state(&self, now: Timestamp) -> Ego {
        Ego {
            time: now,
            position_enu: [self.ego.x, self.ego.y],
            speed_mps: self.ego.speed_mps,
            heading_deg: self.ego.heading_deg,
            accel_mps2: self.ego.accel_mps2,
            yaw_rate_dps: self.ego.yaw_rate_dps,
            length_m: self.ego.length_m,
            width_m: self.ego.width_m,
            turn_signal: self.turn_signal,
        }
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
        let mut w = self.clone();
        let mut rng = Rng(0x9e37_79b9);
        let mut out = Vec::new();
        let mut events = Vec::new();
        let mut fused = Vec::new();
        // Past states for latency: (time, actors).
        let mut history: Vec<(f64, Vec<Body>)> = Vec::new();
        let n = (self.duration_s / self.step_s).round() as i64;
        let base = 600_000_000_000i64;
        let ts = |t: f64| Timestamp::from_millis(base + (t * 1000.0).round() as i64);
        for k in 0..=n {
            let t = k as f64 * self.step_s;
            let now = ts(t);
            let wg = frame.wgs84_from_enu(&nalgebra::Vector3::new(w.ego.x, w.ego.y, 0.0));
            let _ = tracker.set_ego_state(&EgoState {
                time: now,
                lat_deg: wg.lat_deg,
                lon_deg: wg.lon_deg,
                alt_m: 0.0,
                heading_deg: w.ego.heading_deg,
                speed_mps: w.ego.speed_mps,
                yaw_rate_rps: -w.ego.yaw_rate_dps.to_radians(),
                position_sigma_m: 0.3,
                heading_sigma_deg: 0.5,
                length_m: w.ego.length_m,
                width_m: w.ego.width_m,
                vehicle_id: Some([0xee; 8]),
            });
            history.push((t, w.actors.clone()));
            if history.len() > 20 {
                history.remove(0);
            }
            for (i, a) in w.actors.iter().enumerate() {
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
                    let t_obs = t - lat;
                    let past = history
                        .iter()
                        .rev()
                        .find(|(ht, _)| *ht <= t_obs + 1e-9)
                        .and_then(|(ht, v)| v.get(i).map(|b| (*ht, b.clone())));
                    let Some((ht, b)) = past else { continue };
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
            let ego = w.ego_state(now);
            let objects: Vec<WorldObject<'_>> = fused
                .iter()
                .map(|o| WorldObject {
                    object: o,
                    flags: w
                        .actors
                        .iter()
                        .find(|a| o.vehicle_id == Some([a.id as u8; 8]))
                        .map(|a| a.flags)
                        .unwrap_or_default(),
                })
                .collect();
            evaluate(app, now, &ego, &objects, &mut out);
            for warning in &out {
                // Attribute the warning to the actor nearest the warned position, as the
                // scenario runner does; report it under that actor's id.
                let mut warning = *warning;
                if let cv2x::apps::Target::Object { position_enu, .. } = warning.target {
                    if let Some(a) = w.actors.iter().min_by(|a, b| {
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
            w.advance(t, self.step_s);
        }
        events
    }
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
    let n = (world.duration_s / world.step_s).round() as i64;
    let mut last: Option<cv2x::apps::Level> = None;
    let mut count = 0;
    for k in 0..=n {
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
    objects: &[WorldObject<'_>],
    out: &mut Vec<Warning>,
) {
    let cx = ObjectContext { now, ego, objects };
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
