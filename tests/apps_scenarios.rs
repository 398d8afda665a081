//! The object-application scenarios of `tests/scenarios` run on the applications alone: the
//! true actor states become fused objects directly (no messages, no fusion), so a failure here
//! is the applications' (or the scenario's), not the pipeline's. `cv2x scenario` runs the same
//! files through the whole stack. A second run sends the actors through the fusion tracker
//! (reports per channel, roadside latency, noise) without messages. Needs the JSON parser
//! (feature `jer`).
#![cfg(feature = "jer")]
mod apps_common;

use apps_common::{Body, Segment, World};
use cv2x::apps::{Level, Target, TurnSignal, VehicleFlags, object_apps};
use cv2x::fusion::ObjectClass;
use serde_json::Value;

fn num(v: &Value, k: &str, d: f64) -> f64 {
    v.get(k).and_then(Value::as_f64).unwrap_or(d)
}

fn apply_flags(v: &Value, kind: &str, f: &mut VehicleFlags) {
    let b = |k: &str| v.get(k).and_then(Value::as_bool);
    if let Some(x) = b("hard_braking") {
        f.hard_braking = x;
    }
    if let Some(x) = b("hazard_lights") {
        f.hazard_lights = x;
    }
    if let Some(x) = b("control_loss") {
        f.control_loss = x;
    }
    if let Some(x) = b("disabled") {
        f.disabled = x;
    }
    if let Some(x) = b("siren") {
        f.emergency = x && kind == "emergency";
    }
}

fn signal(s: &str) -> TurnSignal {
    match s {
        "left" => TurnSignal::Left,
        "right" => TurnSignal::Right,
        _ => TurnSignal::None,
    }
}

fn body(v: &Value, id: u32) -> Body {
    let kind = v.get("kind").and_then(Value::as_str).unwrap_or("car");
    let mut b = Body::car(
        id,
        num(v, "x", 0.0),
        num(v, "y", 0.0),
        num(v, "heading_deg", 0.0),
        num(v, "speed_mps", 0.0),
    );
    b.class = match kind {
        "pedestrian" => ObjectClass::Pedestrian,
        "cyclist" => ObjectClass::NonMotor,
        _ => ObjectClass::Motor,
    };
    b.accel_mps2 = num(v, "accel_mps2", 0.0);
    b.yaw_rate_dps = num(v, "yaw_rate_dps", 0.0);
    b.length_m = num(v, "length_m", 4.5);
    b.width_m = num(v, "width_m", 1.8);
    b.noise_m = num(v, "position_noise_m", 0.0);
    if let Some(e) = v.get("events") {
        apply_flags(e, kind, &mut b.flags);
    }
    let mut flags = b.flags;
    for s in v
        .get("segments")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        apply_flags(s, kind, &mut flags);
        let accel = num(
            s,
            "accel_mps2",
            b.segments.last().map_or(b.accel_mps2, |l| l.accel_mps2),
        );
        b.segments.push(Segment {
            at_s: num(s, "at_s", 0.0),
            accel_mps2: accel,
            flags: Some(flags),
            yaw_rate_dps: s.get("yaw_rate_dps").and_then(Value::as_f64),
            speed_mps: s.get("speed_mps").and_then(Value::as_f64),
            turn_signal: s.get("turn_signal").and_then(Value::as_str).map(signal),
        });
    }
    let seen: Vec<&str> = v
        .get("seen_by")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    b.v2x_only = !seen.contains(&"onboard");
    b.seen_by = seen.iter().map(|s| s.to_string()).collect();
    b.rsm_latency_s = v
        .get("latency_s")
        .map(|l| num(l, "rsm", 0.1))
        .unwrap_or(0.1);
    b
}

fn run_file(path: &std::path::Path, fused: bool) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    let e = &v["ego"];
    let mut ego = body(e, 0);
    ego.length_m = num(e, "length_m", 4.8);
    ego.width_m = num(e, "width_m", 1.9);
    let actors: Vec<Body> = v["actors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| body(a, num(a, "id", 0.0) as u32))
        .collect();
    let mut world = World::new(ego, actors, num(&v, "duration_s", 5.0));
    world.step_s = num(&v, "step_s", 0.1);
    world.turn_signal = signal(
        e.get("turn_signal")
            .and_then(Value::as_str)
            .unwrap_or("none"),
    );
    let mut failures = Vec::new();
    for mut app in object_apps() {
        let name = app.id().name();
        let expects: Vec<&Value> = v["expect"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|x| x["app"].as_str() == Some(name))
            .collect();
        if expects.is_empty() {
            continue;
        }
        let events = if fused {
            world.run_fused(app.as_mut())
        } else {
            world.run(app.as_mut())
        };
        for x in expects {
            let target = x.get("target").and_then(Value::as_u64).map(|t| t as u32);
            let about = |w: &cv2x::apps::Warning| match (target, w.target) {
                (None, _) => true,
                (Some(t), Target::Object { track_id, .. }) => track_id == t,
                _ => false,
            };
            if x.get("never").and_then(Value::as_bool) == Some(true) {
                if let Some(e) = events.iter().find(|e| about(&e.warning)) {
                    failures.push(format!("{name} raised at {:.1} s: {:?}", e.t_s, e.warning));
                }
                continue;
            }
            let level = match x.get("level").and_then(Value::as_str) {
                Some("alert") => Level::Alert,
                Some("advisory") => Level::Advisory,
                _ => Level::Warning,
            };
            let by = num(x, "by_s", f64::INFINITY);
            let hit = events
                .iter()
                .find(|e| e.warning.level >= level && about(&e.warning));
            match hit {
                Some(h) if h.t_s <= by + 1e-9 => {}
                Some(h) => failures.push(format!("{name} late: {:.1} s > {by} s", h.t_s)),
                None => failures.push(format!("{name} never raised (by {by} s)")),
            }
        }
    }
    failures
}

fn run_all(fused: bool) {
    // `APPS_SCENARIO_DIR` runs another folder of scenarios in the same format.
    let dir = std::env::var_os("APPS_SCENARIO_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios")
        });
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut failed = Vec::new();
    let mut ran = 0;
    for f in &files {
        ran += 1;
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        for msg in run_file(f, fused) {
            failed.push(format!("{name}: {msg}"));
        }
    }
    assert!(ran > 0);
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn scenarios_on_the_applications_alone() {
    run_all(false);
}

#[test]
fn scenarios_through_the_fusion_tracker() {
    run_all(true);
}
