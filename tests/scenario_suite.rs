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
        match Scenario::from_file(f) {
            Ok(sc) => {
                let o = run(&sc, RunOptions::default());
                for msg in &o.failures {
                    failures.push(format!("{}: {msg}", f.display()));
                }
            }
            // The error names the file.
            Err(e) => failures.push(e.to_string()),
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

mod strict {
    //! Scenario files are parsed strictly: every problem is an error naming its path.
    use super::*;
    use cv2x::apps::Level;
    use cv2x::testing::scenario::ScenarioError;

    const BASE: &str = r#"{"name":"s","duration_s":2,"ego":{"speed_mps":10},
        "expect":[{"app":"FCW","never":true}]}"#;

    fn with(f: impl FnOnce(&mut serde_json::Value)) -> Result<Scenario, ScenarioError> {
        let mut v: serde_json::Value = serde_json::from_str(BASE).unwrap();
        f(&mut v);
        Scenario::from_value(&v)
    }

    fn err(f: impl FnOnce(&mut serde_json::Value)) -> String {
        with(f).expect_err("must be refused").to_string()
    }

    #[test]
    fn the_base_parses() {
        let sc = with(|_| {}).unwrap();
        assert_eq!(sc.expect[0].never, Some(Level::Advisory));
    }

    #[test]
    fn a_misspelled_deadline_is_an_unknown_key() {
        // `"by": 0.5` used to mean "no deadline".
        let e = err(|v| v["expect"] = serde_json::json!([{"app": "FCW", "by": 0.5}]));
        assert_eq!(e, "`expect[0].by`: unknown key");
        let e = err(|v| v["expcet"] = serde_json::json!([]));
        assert_eq!(e, "`expcet`: unknown key");
        let e = err(|v| v["ego"]["sped_mps"] = serde_json::json!(3));
        assert_eq!(e, "`ego.sped_mps`: unknown key");
        let e = err(|v| {
            v["actors"] = serde_json::json!([{"id": 1, "segments": [{"at_s": 1, "acel": 2}]}])
        });
        assert_eq!(e, "`actors[0].segments[0].acel`: unknown key");
        let e = err(|v| v["coordinator"] = serde_json::json!({"lanes": [{"lnk": {}}]}));
        assert_eq!(e, "`coordinator.lanes[0].lnk`: unknown key (`link`?)");
    }

    #[test]
    fn missing_fields_and_expectations_are_errors() {
        let e = err(|v| {
            v.as_object_mut().unwrap().remove("expect");
        });
        assert_eq!(e, "`expect`: missing required field");
        let e = err(|v| v["expect"] = serde_json::json!([]));
        assert!(e.starts_with("`expect`: no expectation"), "{e}");
        let e = err(|v| {
            v.as_object_mut().unwrap().remove("duration_s");
        });
        assert_eq!(e, "`duration_s`: missing required field");
        let e = err(|v| v["actors"] = serde_json::json!([{"x": 1}]));
        assert_eq!(e, "`actors[0].id`: missing required field");
        let e = err(|v| v["actors"] = serde_json::json!([{"ids": 1}]));
        assert_eq!(e, "`actors[0].ids`: unknown key (`id`?)");
        let e = err(|v| {
            v.as_object_mut().unwrap().remove("duration_s");
            v["duration"] = serde_json::json!(3);
        });
        assert_eq!(e, "`duration`: unknown key (`duration_s`?)");
        let e = err(|v| v["expect"] = serde_json::json!([{"level": "warning"}]));
        assert_eq!(e, "`expect[0].app`: missing required field");
        let e = err(|v| v["coordinator"] = serde_json::json!({"lanes": [{"path": []}]}));
        assert_eq!(e, "`coordinator.lanes[0].link`: missing required field");
    }

    #[test]
    fn wrong_types_and_values_are_errors() {
        let e = err(|v| v["expect"][0]["by_s"] = serde_json::json!("5"));
        assert_eq!(e, "`expect[0].by_s`: expected a number");
        let e = err(|v| v["ego"] = serde_json::json!([]));
        assert_eq!(e, "`ego`: expected an object");
        let e = err(|v| v["expect"][0]["never"] = serde_json::json!(3));
        assert_eq!(e, "`expect[0].never`: expected true, false or a level name");
        let e = err(|v| v["expect"][0]["never"] = serde_json::json!("sometimes"));
        assert!(e.starts_with("`expect[0].never`:"), "{e}");
        let e = err(|v| v["expect"][0]["app"] = serde_json::json!("FWC"));
        assert_eq!(e, "`expect[0].app`: `FWC` is not an application");
        let e = err(|v| v["actors"] = serde_json::json!([{"id": 1, "kind": "tank"}]));
        assert!(
            e.starts_with("`actors[0].kind`: `tank` is not one of car"),
            "{e}"
        );
        let e = err(|v| v["actors"] = serde_json::json!([{"id": -1}]));
        assert_eq!(e, "`actors[0].id`: expected a whole number, at least 0");
        let e = err(|v| v["step_s"] = serde_json::json!(5));
        assert!(e.starts_with("`step_s`: 5 is not within"), "{e}");
        let e =
            err(|v| v["hazards"] = serde_json::json!([{"code": 401, "event_type": 402, "x": 1}]));
        assert_eq!(e, "`hazards[0].event_type`: given twice (also as `code`)");
        let e = err(|v| v["expect"][0]["level"] = serde_json::json!("alert"));
        assert!(e.contains("`never` takes its level itself"), "{e}");
        let e = err(|v| {
            v["expect"] = serde_json::json!([{"sends": "vir", "app": "MERGE"}]);
            v["requests"] = serde_json::json!([{"at_s": 1, "kind": "signal_priority"}]);
        });
        assert!(e.starts_with("`expect[0].sends`:"), "{e}");
        let e = err(|v| v["platoon"] = serde_json::json!({"id": "A", "leader": 9}));
        assert_eq!(e, "`platoons[0]`: actor 9 does not exist");
        let e = err(|v| v["requests"] = serde_json::json!([{"at_s": 1, "kind": "fly"}]));
        assert!(e.starts_with("`requests[0].kind`: `fly` is not"), "{e}");
        let e = err(|v| {
            v["coordinator"] =
                serde_json::json!({"vehicles": [{"vehicle": "ego", "behavior": ["ramp-in"]}]})
        });
        assert!(
            e.starts_with("`coordinator.vehicles[0].behavior[0]`: `ramp-in` is not one of"),
            "{e}"
        );
    }

    #[test]
    fn a_file_error_names_the_file() {
        let dir = std::env::temp_dir().join(format!("cv2x-scenario-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("typo.json");
        std::fs::write(
            &f,
            r#"{"duration_s":2,"ego":{},"expect":[{"app":"FCW","by":0.5}]}"#,
        )
        .unwrap();
        let e = Scenario::from_file(&f).unwrap_err().to_string();
        assert_eq!(e, format!("{}: `expect[0].by`: unknown key", f.display()));
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn outcome(expect: serde_json::Value) -> cv2x::testing::scenario::Outcome {
        // FCW: 20 m/s onto a car stopped 70 m ahead (advisory at once, warning at 0.6 s, alert
        // at 1.8 s).
        let v = serde_json::json!({"name": "x", "duration_s": 4,
            "ego": {"speed_mps": 20},
            "actors": [{"id": 1, "y": 70, "speed_mps": 0}],
            "expect": expect});
        run(&Scenario::from_value(&v).unwrap(), RunOptions::default())
    }

    #[test]
    fn never_by_level_after_onset_and_max_level_are_checked() {
        assert!(
            outcome(serde_json::json!([{"app": "FCW", "never": "alert", "by_s": 1.5}])).passed()
        );
        assert!(!outcome(serde_json::json!([{"app": "FCW", "never": "alert"}])).passed());
        assert!(!outcome(serde_json::json!([{"app": "FCW", "never": true}])).passed());
        // The warning starts at 0.6 s: an onset bound at 1 s fails, one at 0.5 s holds.
        assert!(
            !outcome(serde_json::json!([{"app": "FCW", "level": "warning", "after_s": 1.0}]))
                .passed()
        );
        assert!(
            outcome(
                serde_json::json!([{"app": "FCW", "level": "warning", "after_s": 0.5, "by_s": 3.0}])
            )
            .passed()
        );
        assert!(!outcome(serde_json::json!([{"app": "FCW", "max_level": "warning"}])).passed());
        assert!(outcome(serde_json::json!([{"app": "FCW", "max_level": "alert"}])).passed());
        // The deceleration needed is carried and checked.
        assert!(
            outcome(serde_json::json!([{"app": "FCW", "level": "alert", "decel_min_mps2": 5.0}]))
                .passed()
        );
        // (Just before the impact the need grows to tens of m/s²; beyond 100 m/s² it is none.)
        assert!(!outcome(serde_json::json!([{"app": "FCW", "decel_min_mps2": 150.0}])).passed());
    }
}
