//! The whole scenario suite sent in each message set: 2017 and 2019 senders give the same
//! warnings as 2020 senders (same applications, levels and targets, raised, changed and cleared
//! within one step of each other), through the stack's detection of each frame's set and its lift
//! into the 2020 model. A scenario that needs what a set cannot carry is skipped in that set,
//! with its reason; the skips are listed and counted.
use std::collections::BTreeMap;

use cv2x::msg::Standard;
use cv2x::testing::scenario::{Outcome, RunOptions, Scenario, TimelineEntry, run};

#[path = "support/scenarios.rs"]
mod support;
use support::scenario_files;

fn run_in(sc: &Scenario, set: Standard) -> Outcome {
    run(
        sc,
        RunOptions {
            message_set: Some(set),
            ..RunOptions::default()
        },
    )
}

fn show(e: &TimelineEntry) -> String {
    let r = &e.record;
    format!(
        "{:.1}s {} {} {} target {:?}",
        r.t_s,
        e.state,
        r.app.name(),
        r.level.name(),
        r.target
    )
}

/// Differences between two timelines: entry by entry, the same change of the same warning
/// (application, level, target) within `step_s`.
fn differences(base: &Outcome, other: &Outcome, step_s: f64) -> Vec<String> {
    let mut out = Vec::new();
    let n = base.timeline.len().max(other.timeline.len());
    for i in 0..n {
        match (base.timeline.get(i), other.timeline.get(i)) {
            (Some(a), Some(b)) => {
                let (ra, rb) = (&a.record, &b.record);
                let same = a.state == b.state
                    && ra.app == rb.app
                    && ra.level == rb.level
                    && ra.target == rb.target
                    && (ra.t_s - rb.t_s).abs() <= step_s + 1e-6;
                if !same {
                    out.push(format!("{} vs {}", show(a), show(b)));
                }
            }
            (Some(a), None) => out.push(format!("{} vs nothing", show(a))),
            (None, Some(b)) => out.push(format!("nothing vs {}", show(b))),
            (None, None) => {}
        }
    }
    out
}

#[test]
fn every_scenario_warns_the_same_in_2017_2019_and_2020() {
    let files = scenario_files();
    let mut problems = Vec::new();
    let mut skips: BTreeMap<(&str, &str), Vec<String>> = BTreeMap::new();
    let mut compared = BTreeMap::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("readable");
        let sc = Scenario::from_json(&text).expect("valid scenario");
        let base = run_in(&sc, Standard::Csae53_2020);
        assert!(base.skipped.is_none());
        assert!(base.lowering.is_empty());
        if !base.passed() {
            problems.push(format!("{} in 2020: {:?}", sc.name, base.failures));
        }
        for set in [Standard::Csae53_2019, Standard::Csae53_2017] {
            let o = run_in(&sc, set);
            if let Some(why) = o.skipped {
                // Only Day II content keeps a scenario from running in 2019 (2017 lacks more).
                if set == Standard::Csae53_2019 && !uses_day2(&sc) {
                    problems.push(format!("{} skipped in 2019 without Day II: {why}", sc.name));
                }
                skips
                    .entry((set.name(), why))
                    .or_default()
                    .push(sc.name.clone());
                continue;
            }
            *compared.entry(set.name()).or_insert(0usize) += 1;
            if !o.passed() {
                problems.push(format!("{} in {}: {:?}", sc.name, set.name(), o.failures));
            }
            let d = differences(&base, &o, sc.step_s);
            if !d.is_empty() {
                problems.push(format!(
                    "{} in {} warns otherwise than in 2020:\n  {}",
                    sc.name,
                    set.name(),
                    d.join("\n  ")
                ));
            }
            // The stack read the frames with the scenario's set and lifted them.
            let c = &o.counters;
            let read = match set {
                Standard::Csae53_2019 => c.frames_2019,
                _ => c.frames_2017,
            };
            if o.messages > 0 && read == 0 {
                problems.push(format!(
                    "{} in {}: no frame read with it",
                    sc.name,
                    set.name()
                ));
            }
        }
    }
    let mut skipped = 0;
    for ((set, why), names) in &skips {
        println!(
            "skipped in {set} ({} scenarios): {why}\n  {}",
            names.len(),
            names.join(", ")
        );
        skipped += names.len();
    }
    println!("compared with 2020: {compared:?}; skipped: {skipped}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Every scenario without Day II content runs in 2019, and the 2017 skips are the few that
    // need what that set has no form for.
    let day1 = files
        .iter()
        .filter(|f| !uses_day2(&Scenario::from_json(&std::fs::read_to_string(f).unwrap()).unwrap()))
        .count();
    assert!(day1 > 0, "the suite has Day I scenarios");
    let ran_2019 = compared.get("csae53-2019").copied().unwrap_or(0);
    assert!(
        ran_2019 >= day1,
        "csae53-2019: {ran_2019} ran, {day1} have no Day II"
    );
    let ran_2017 = compared.get("csae53-2017").copied().unwrap_or(0);
    assert!(
        ran_2017 * 4 >= day1 * 3,
        "csae53-2017: only {ran_2017} of {day1} ran"
    );
}

/// Whether a scenario has Day II parts: counterparts and requests, or actors seen through
/// sensor sharing (SSM).
fn uses_day2(sc: &Scenario) -> bool {
    sc.day2.needs_host() || sc.actors.iter().any(|a| a.seen_by.ssm)
}

#[test]
fn a_scenario_file_names_its_message_set() {
    let sc = Scenario::from_json(
        r#"{"name":"set","duration_s":1,"message_set":"csae53-2019","ego":{"speed_mps":10},
            "expect":[{"app":"FCW","never":true}]}"#,
    )
    .expect("valid");
    assert_eq!(sc.message_set, Standard::Csae53_2019);
    let o = run(&sc, RunOptions::default());
    assert_eq!(o.message_set, Standard::Csae53_2019);
    let bad = Scenario::from_json(
        r#"{"duration_s":1,"message_set":"csae53-2018","ego":{"speed_mps":10},
            "expect":[{"app":"FCW","never":true}]}"#,
    );
    let err = bad.expect_err("an unknown set").to_string();
    assert!(err.contains("message_set"), "{err}");
}
