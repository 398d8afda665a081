//! Runs every scenario in `tests/scenarios/*.json` through the whole stack and checks its
//! expectations (the same as `cv2x scenario tests/scenarios/*.json`).

use cv2x::testing::scenario::{RunOptions, Scenario, run};

#[path = "support/scenarios.rs"]
mod support;
use support::scenario_files;

#[test]
fn every_scenario_passes() {
    let files = scenario_files();
    let mut failures = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("readable scenario");
        match Scenario::from_json(&text) {
            Ok(sc) => {
                let o = run(&sc, RunOptions::default());
                for msg in &o.failures {
                    failures.push(format!("{}: {msg}", f.display()));
                }
            }
            Err(e) => failures.push(format!("{}: {e}", f.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} scenarios failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn a_broken_expectation_fails() {
    // The runner must be able to fail: RLVW on a green approach with time left.
    let sc = Scenario::from_json(
        r#"{"name":"must_fail","duration_s":4,"ego":{"speed_mps":15},
            "signal":{"stop_line_y":100,"plan":[["green",30]]},
            "expect":[{"app":"RLVW","level":"warning","by_s":4}]}"#,
    )
    .expect("valid");
    let o = run(&sc, RunOptions::default());
    assert!(!o.passed(), "{:?}", o.timeline);
}
