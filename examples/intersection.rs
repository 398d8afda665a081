//! Quickstart: a signalised intersection end to end. A built-in scenario (the ego approaching a
//! red light behind a car that brakes hard, a pedestrian crossing that only the roadside sees)
//! is turned into the BSM, RSM, MAP and SPAT messages the road users and the RSU would send,
//! encoded in UPER, fed to the sans-IO `Stack`, and the warnings it raises are printed as a
//! timeline, with the scenario's expectations checked. With `--svg`, the picture of the run:
//! the map view (lanes and stop line from the MAP the stack holds, the signal over time, true
//! paths, fused tracks, the ego's transmitted path history, warning markers) and the timeline.
//!
//! `cargo run --example intersection --features testing [-- --svg scene.svg]`
use std::fmt::Write as _;
use std::process::ExitCode;

use cv2x::apps::{Advice, AppId, Level};
use cv2x::geo::Wgs84;
use cv2x::host::{HostConfig, HostVehicle, SeededRandom};
use cv2x::testing::picture::{Recorder, render, scenario_scene};
use cv2x::testing::scenario::{
    Actor, EGO_ID, EgoSpec, Expect, Flags, Kind, Motion, Record, RunOptions, Scenario, SeenBy,
    Segment, Signal, run_observed,
};
use cv2x::world::Light;

fn motion(x: f64, y: f64, heading_deg: f64, speed_mps: f64, segments: Vec<Segment>) -> Motion {
    Motion {
        x,
        y,
        heading_deg,
        speed_mps,
        accel_mps2: 0.0,
        yaw_rate_dps: 0.0,
        segments,
    }
}

/// The ego drives north at 54 km/h towards a red light 120 m ahead; car #1 ahead (BSM, RSM and
/// the ego's own sensors) brakes hard at 2 s; pedestrian #2 (seen only by the roadside)
/// crosses beyond the stop line. Expected: EBW and FCW about the car in time, the red-light
/// and pedestrian warnings, and no speed-limit warning at 54 km/h under a 60 km/h limit.
fn scene() -> Scenario {
    let expect = |app: AppId, level: Level, target: Option<u32>, by_s: f64| Expect {
        app: Some(app),
        target,
        level: Some(level),
        by_s: Some(by_s),
        after_s: None,
        never: None,
        max_level: None,
        advice_max_kph: None,
        advice: None,
        detail: Default::default(),
        sends: None,
    };
    let rsm_100ms = SeenBy {
        rsm: true,
        rsm_latency_s: 0.1,
        ..SeenBy::default()
    };
    Scenario {
        name: "intersection quickstart".into(),
        message_set: cv2x::msg::Standard::Csae53_2020,
        origin: Wgs84::new(39.9042, 116.4074, 0.0),
        duration_s: 9.0,
        step_s: 0.1,
        ego: EgoSpec {
            motion: motion(0.0, 0.0, 0.0, 15.0, vec![]),
            length_m: 4.8,
            width_m: 1.9,
            flags: Flags::default(),
            seen_by: SeenBy::default(),
            rsm_id: false,
            vehicle_id: EGO_ID,
        },
        actors: vec![
            Actor {
                id: 1,
                kind: Kind::Car,
                motion: motion(
                    0.0,
                    45.0,
                    0.0,
                    14.0,
                    vec![Segment {
                        at_s: 2.0,
                        accel_mps2: Some(-6.0),
                        hard_braking: Some(true),
                        ..Segment::default()
                    }],
                ),
                length_m: 4.5,
                width_m: 1.8,
                seen_by: SeenBy {
                    bsm: true,
                    onboard: true,
                    ..rsm_100ms
                },
                position_noise_m: 0.0,
                flags: Flags::default(),
                rsm_id: false,
                forge: None,
            },
            Actor {
                id: 2,
                kind: Kind::Pedestrian,
                motion: motion(-12.0, 128.0, 90.0, 1.4, vec![]),
                length_m: 0.5,
                width_m: 0.5,
                seen_by: rsm_100ms,
                position_noise_m: 0.0,
                flags: Flags::default(),
                rsm_id: false,
                forge: None,
            },
        ],
        signal: Some(Signal {
            speed_limit_kph: Some(60.0),
            ..Signal::new(
                120.0,
                0.0,
                vec![
                    (Light::Red, 12.0),
                    (Light::ProtectedGreen, 30.0),
                    (Light::Yellow, 3.0),
                ],
            )
        }),
        rsi: vec![],
        expect: vec![
            expect(AppId::Ebw, Level::Warning, Some(1), 2.5),
            expect(AppId::Fcw, Level::Alert, Some(1), 4.5),
            expect(AppId::Rlvw, Level::Warning, None, 5.0),
            expect(AppId::Vrucw, Level::Warning, Some(2), 5.0),
            Expect {
                never: Some(Level::Advisory),
                level: None,
                by_s: None,
                ..expect(AppId::Slw, Level::Advisory, None, 0.0)
            },
        ],
        day2: Default::default(),
    }
}

fn what(app: AppId) -> &'static str {
    match app {
        AppId::Fcw => "forward collision",
        AppId::Icw => "intersection collision",
        AppId::Lta => "left-turn conflict",
        AppId::Bsw => "vehicle in blind spot",
        AppId::Lcw => "lane change conflict",
        AppId::Dnpw => "do not pass",
        AppId::Ebw => "emergency braking ahead",
        AppId::Avw => "abnormal vehicle",
        AppId::Clw => "vehicle out of control",
        AppId::Hlw => "hazard ahead",
        AppId::Slw => "over the speed limit",
        AppId::Rlvw => "red light ahead, you will not stop in time",
        AppId::Vrucw => "pedestrian or cyclist conflict",
        AppId::Glosa => "green wave",
        AppId::Ivs => "road sign",
        AppId::Tjw => "traffic jam ahead",
        AppId::Evw => "emergency vehicle approaching",
        _ => "other",
    }
}

fn sentence(r: &Record, actors: &[(u32, &str)]) -> String {
    let level = match r.level {
        Level::Advisory => "info   ",
        Level::Warning => "WARNING",
        Level::Alert => "ALERT! ",
    };
    let mut s = format!("{level} {:<5} {}", r.app.name(), what(r.app));
    if let Some(a) = r.advice {
        match a {
            Advice::SpeedRange { min_kph, max_kph } => {
                let _ = write!(s, ": drive {min_kph:.0}-{max_kph:.0} km/h to pass on green");
            }
            Advice::KeepSpeed => s.push_str(": keep your speed, you pass on green"),
            Advice::Stop => s.push_str(": prepare to stop, green is out of reach"),
        }
    }
    if let Some(t) = r.target.filter(|t| *t != 0 && r.about_object) {
        let kind = actors
            .iter()
            .find(|a| a.0 == t)
            .map_or("road user", |a| a.1);
        let _ = write!(s, " (the {kind} #{t})");
    }
    match (r.distance_m, r.ttc_s) {
        (Some(d), Some(t)) if t.is_finite() => {
            let _ = write!(s, " - {d:.0} m, {t:.1} s away");
        }
        (Some(d), _) => {
            let _ = write!(s, " - {d:.0} m away");
        }
        (None, Some(t)) if t.is_finite() => {
            let _ = write!(s, " - {t:.1} s away");
        }
        _ => {}
    }
    s
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let svg_path = match args.as_slice() {
        [] => None,
        [flag, path] if flag == "--svg" => Some(path.clone()),
        _ => {
            eprintln!("usage: intersection [--svg FILE]");
            return ExitCode::from(2);
        }
    };
    let sc = scene();
    let Ok(mut recorder) = Recorder::new(sc.origin) else {
        eprintln!("invalid origin");
        return ExitCode::FAILURE;
    };
    // The ego transmits too (its BSMs carry the path history the picture shows).
    let host = match HostVehicle::new(HostConfig::default(), Box::new(SeededRandom::new([7; 32]))) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("host vehicle: {e}");
            return ExitCode::FAILURE;
        }
    };
    let opts = RunOptions {
        host: Some(host),
        ..RunOptions::default()
    };
    let o = run_observed(&sc, opts, &mut recorder);
    let actors: Vec<(u32, &str)> = sc
        .actors
        .iter()
        .map(|a| {
            (
                a.id,
                match a.kind {
                    Kind::Pedestrian => "pedestrian",
                    Kind::Cyclist => "cyclist",
                    Kind::Truck => "truck",
                    Kind::Bus => "bus",
                    Kind::Emergency => "emergency vehicle",
                    Kind::Car => "car",
                },
            )
        })
        .collect();
    println!(
        "{}: the ego drives north at 54 km/h towards a red light 120 m ahead;",
        sc.name
    );
    println!("car #1 ahead brakes hard at 2 s; pedestrian #2 crosses beyond the stop line.");
    println!(
        "{} messages (BSM, RSM, MAP, SPAT) went through the stack.\n",
        o.messages
    );
    if o.timeline.is_empty() {
        println!("no warnings");
    }
    for e in &o.timeline {
        let t = e.record.t_s;
        match e.state {
            "clear" => println!("{t:5.1} s  cleared {}", e.record.app.name()),
            _ => println!("{t:5.1} s  {}", sentence(&e.record, &actors)),
        }
    }
    println!(
        "\nexpectations: {} of {} met",
        sc.expect.len() - o.failures.len(),
        sc.expect.len()
    );
    for f in &o.failures {
        println!("  {f}");
    }
    if let Some(p) = svg_path {
        let picture = render(&scenario_scene(&sc, &o, Some(&recorder.finish())));
        if let Err(e) = std::fs::write(&p, picture.svg) {
            eprintln!("{p}: {e}");
            return ExitCode::FAILURE;
        }
        println!("\npicture of the run: {p}");
    }
    if o.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
