//! The object-application scenarios of `tests/scenarios` run on the applications alone: the
//! true actor states become fused objects directly (no messages, no fusion), so a failure here
//! is the applications' (or the scenario's), not the pipeline's. `cv2x scenario` runs the same
//! files through the whole stack. A second run sends the actors through the fusion tracker
//! (reports per channel, roadside latency, noise) without messages. The scenario files are read
//! by the scenario runner's own parser (feature `testing`).
mod apps_common;

use apps_common::{Body, World};
use cv2x::apps::{Level, Target, object_apps};
use cv2x::testing::scenario::Scenario;

fn run_file(path: &std::path::Path, fused: bool) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let sc = match Scenario::from_json(&text) {
        Ok(sc) => sc,
        Err(e) => return vec![format!("unreadable: {e}")],
    };
    let ego = Body::from_ego(&sc.ego);
    let actors: Vec<Body> = sc.actors.iter().map(Body::from_actor).collect();
    let mut world = World::new(ego, actors, sc.duration_s);
    world.step_s = sc.step_s;
    world.turn_signal = sc.ego.flags.turn_signal;
    let mut failures = Vec::new();
    for mut app in object_apps() {
        let id = app.id();
        let name = id.name();
        let expects: Vec<_> = sc.expect.iter().filter(|x| x.app == Some(id)).collect();
        if expects.is_empty() {
            continue;
        }
        let events = if fused {
            world.run_fused(app.as_mut())
        } else {
            world.run(app.as_mut())
        };
        for x in expects {
            let about = |w: &cv2x::apps::Warning| match (x.target, w.target) {
                (None, _) => true,
                (Some(t), Target::Object { track_id, .. }) => track_id == t,
                _ => false,
            };
            let after = x.after_s.unwrap_or(f64::NEG_INFINITY);
            let by = x.by_s.unwrap_or(f64::INFINITY);
            if let Some(floor) = x.never {
                let in_window = |t: f64| t + 1e-9 >= after && t <= by + 1e-9;
                if let Some(e) = events
                    .iter()
                    .find(|e| about(&e.warning) && in_window(e.t_s) && e.warning.level >= floor)
                {
                    failures.push(format!("{name} raised at {:.1} s: {:?}", e.t_s, e.warning));
                }
                continue;
            }
            let level = x.level.unwrap_or(Level::Warning);
            let hit = events
                .iter()
                .find(|e| e.warning.level >= level && about(&e.warning) && e.t_s + 1e-9 >= after);
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
