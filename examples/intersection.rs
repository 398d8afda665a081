//! Quickstart: a signalised intersection end to end. A built-in scenario (the ego approaching a
//! red light behind a car that brakes hard, a pedestrian crossing that only the roadside sees)
//! is turned into the BSM, RSM, MAP and SPAT messages the road users and the RSU would send,
//! encoded in UPER, fed to the sans-IO `Stack`, and the warnings it raises are printed as a
//! timeline.
//!
//! `cargo run --example intersection [-- --svg scene.svg]`
use std::fmt::Write as _;
use std::process::ExitCode;

use cv2x::apps::{Advice, AppId, Level};
use cv2x::geo::Wgs84;
use cv2x::testing::scenario::{
    Actor, EGO_ID, EgoSpec, Flags, Kind, Motion, Outcome, Record, RunOptions, Scenario, SeenBy,
    Segment, Signal, run,
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
/// crosses beyond the stop line.
fn scene() -> Scenario {
    let rsm_100ms = SeenBy {
        rsm: true,
        rsm_latency_s: 0.1,
        ..SeenBy::default()
    };
    Scenario {
        name: "intersection quickstart".into(),
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
        expect: vec![],
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

fn svg(sc: &Scenario, o: &Outcome) -> String {
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(_, _, x, y) in &o.tracks {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    if let Some(s) = &sc.signal {
        y1 = y1.max(s.stop_line_y + 20.0);
    }
    let (x0, x1, y0, y1) = (x0 - 50.0, x1 + 40.0, y0 - 10.0, y1 + 10.0);
    let scale = 4.0;
    let (w, h) = ((x1 - x0) * scale, (y1 - y0) * scale);
    let px = |x: f64| (x - x0) * scale;
    let py = |y: f64| (y1 - y) * scale;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"#f4f4f0\"/>\n"
    );
    if let Some(s) = &sc.signal {
        let _ = writeln!(
            out,
            "<rect x=\"{:.1}\" y=\"0\" width=\"{:.1}\" height=\"{h:.0}\" fill=\"#d8d8d8\"/>",
            px(s.x - 1.75),
            3.5 * scale
        );
        let _ = writeln!(
            out,
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#c00\" stroke-width=\"3\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"#c00\">stop line</text>",
            px(s.x - 1.75),
            py(s.stop_line_y),
            px(s.x + 1.75),
            py(s.stop_line_y),
            px(s.x + 3.0),
            py(s.stop_line_y) + 4.0
        );
    }
    let mut ids: Vec<u32> = o.tracks.iter().map(|t| t.1).collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        let pts: Vec<String> = o
            .tracks
            .iter()
            .filter(|t| t.1 == id)
            .map(|t| format!("{:.1},{:.1}", px(t.2), py(t.3)))
            .collect();
        let (color, label) = if id == 0 {
            ("#1f5fbf", "ego".to_string())
        } else {
            ("#555", format!("#{id}"))
        };
        let _ = writeln!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>",
            pts.join(" ")
        );
        if let Some(last) = o.tracks.iter().rev().find(|t| t.1 == id) {
            let _ = writeln!(
                out,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"{color}\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"{color}\">{label}</text>",
                px(last.2),
                py(last.3),
                px(last.2) + 6.0,
                py(last.3) - 6.0
            );
        }
    }
    // Where the ego was when each warning was first raised.
    for (n, e) in o.timeline.iter().filter(|e| e.state == "raise").enumerate() {
        let t = e.record.t_s;
        let Some(&(_, _, x, y)) = o.tracks.iter().find(|p| p.1 == 0 && (p.0 - t).abs() < 1e-6)
        else {
            continue;
        };
        let color = match e.record.level {
            Level::Advisory => "#2a8a2a",
            Level::Warning => "#d08000",
            Level::Alert => "#d00000",
        };
        let _ = writeln!(
            out,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"6\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"{color}\">{} {} at {t:.1} s</text>",
            px(x),
            py(y),
            px(x) - 150.0,
            py(y) + 4.0 + 14.0 * (n % 3) as f64,
            e.record.app.name(),
            e.record.level.name()
        );
    }
    out.push_str("</svg>\n");
    out
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
    let o = run(&sc, RunOptions::default());
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
    if let Some(p) = svg_path {
        if let Err(e) = std::fs::write(&p, svg(&sc, &o)) {
            eprintln!("{p}: {e}");
            return ExitCode::FAILURE;
        }
        println!("\npicture of the scene: {p}");
    }
    ExitCode::SUCCESS
}
