//! A scenario's picture: its truth (the road users' paths), what the stack held and raised
//! (from the [`Recording`] and the [`Outcome`]'s timeline), and its expectations with whether
//! each held.
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::record::{Recording, advice_text};
use super::{Expectation, RoadUser, Scene, Verdict, WarningLife};
use crate::apps::{AppId, Level};
use crate::testing::scenario::{AdviceKind, Expect, Kind, Outcome, Scenario};

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Car => "car",
        Kind::Truck => "truck",
        Kind::Bus => "bus",
        Kind::Pedestrian => "pedestrian",
        Kind::Cyclist => "cyclist",
        Kind::Emergency => "emergency vehicle",
    }
}

/// Whether expectation `i` failed: the runner names it `expect[i]` in its failure.
fn failed(o: &Outcome, i: usize) -> bool {
    let tag = format!("expect[{i}]");
    o.failures.iter().any(|f| {
        f.strip_prefix(&tag)
            .is_some_and(|rest| rest.starts_with(':') || rest.starts_with(' '))
    })
}

fn expect_text(app: AppId, e: &Expect) -> String {
    let about = e.target.map_or(String::new(), |t| format!(" about #{t}"));
    let advice = match e.advice {
        Some(AdviceKind::KeepSpeed) => " advising keep speed",
        Some(AdviceKind::Stop) => " advising stop",
        Some(AdviceKind::Range) => " advising a speed range",
        None => "",
    };
    let max = e
        .advice_max_kph
        .map_or(String::new(), |v| format!(" up to {v:.0} km/h"));
    let window = match (e.after_s, e.by_s) {
        (Some(a), Some(b)) => format!(" between {a:.1} and {b:.1} s"),
        (None, Some(b)) => format!(" by {b:.1} s"),
        (Some(a), None) => format!(" after {a:.1} s"),
        (None, None) => String::new(),
    };
    let level = e.level.map_or(String::new(), |l| format!(" {}", l.name()));
    let app = app.name();
    match e.never {
        Some(Level::Advisory) => format!("{app} never{about}{advice}{window}"),
        Some(l) => format!("{app} never {}{about}{advice}{window}", l.name()),
        None if level.is_empty() && advice.is_empty() && max.is_empty() => {
            format!("{app} raised{about}{window}")
        }
        None => format!("{app}{level}{about}{advice}{max}{window}"),
    }
}

/// The scene of a scenario run: `sc` as run into `o`, with what a
/// [`Recorder`](super::Recorder) saw of the stack (lanes, signal, fused tracks, transmitted
/// path histories) when given.
pub fn scenario_scene(sc: &Scenario, o: &Outcome, rec: Option<&Recording>) -> Scene {
    let mut users: Vec<RoadUser> = Vec::new();
    let mut ego = RoadUser {
        id: 0,
        name: "ego".into(),
        ego: true,
        samples: Vec::new(),
    };
    let mut others: BTreeMap<u32, Vec<(f64, [f64; 2])>> = BTreeMap::new();
    for &(t, id, x, y) in &o.tracks {
        if id == 0 {
            ego.samples.push((t, [x, y]));
        } else {
            others.entry(id).or_default().push((t, [x, y]));
        }
    }
    users.push(ego);
    for a in &sc.actors {
        // How the stack hears of it.
        let seen = &a.seen_by;
        let channels: Vec<&str> = [
            (seen.bsm, if a.kind.is_vehicle() { "BSM" } else { "PSM" }),
            (seen.rsm, "RSM"),
            (seen.ssm, "SSM"),
            (seen.onboard, "onboard"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
        users.push(RoadUser {
            id: a.id,
            name: if channels.is_empty() {
                format!("#{} {} (unseen)", a.id, kind_name(a.kind))
            } else {
                format!("#{} {} ({})", a.id, kind_name(a.kind), channels.join(", "))
            },
            ego: false,
            samples: others.remove(&a.id).unwrap_or_default(),
        });
    }
    // The warnings' life from the runner's timeline.
    let mut lives: BTreeMap<u32, WarningLife> = BTreeMap::new();
    for e in &o.timeline {
        let r = &e.record;
        let about = match (r.advice, r.target) {
            (Some(a), _) => Some(advice_text(&a)),
            (None, Some(t)) if t != 0 && r.about_object => Some(format!("#{t}")),
            _ => None,
        };
        match e.state {
            "raise" => {
                lives.insert(
                    e.id,
                    WarningLife::raised(e.id, r.app, r.t_s, r.level, about),
                );
            }
            "change" => {
                if let Some(w) = lives.get_mut(&e.id) {
                    w.changed(r.t_s, r.level, about);
                }
            }
            _ => {
                if let Some(w) = lives.get_mut(&e.id) {
                    w.cleared_s = Some(r.t_s);
                }
            }
        }
    }
    let mut warnings: Vec<WarningLife> = lives.into_values().collect();
    warnings.sort_by(|a, b| a.raised_s.total_cmp(&b.raised_s));
    let expectations = sc
        .expect
        .iter()
        .enumerate()
        // Expectations on what the ego sends have no application row.
        .filter_map(|(i, e)| {
            let app = e.app?;
            Some(Expectation {
                app,
                window: (
                    e.after_s.unwrap_or(0.0).max(0.0),
                    e.by_s.unwrap_or(sc.duration_s).min(sc.duration_s),
                ),
                never: e.never.is_some(),
                met: !failed(o, i),
                text: expect_text(app, e),
            })
        })
        .collect();
    let verdict = if sc.expect.is_empty() {
        Verdict::None
    } else if let Some(f) = o.failures.first() {
        Verdict::Failed(f.clone())
    } else {
        Verdict::Passed
    };
    let raised = warnings.len();
    let mut notes = alloc::vec![format!(
        "{:.1} s in steps of {:.2} s; {} messages through the stack; {raised} warning{} raised{}",
        sc.duration_s,
        sc.step_s,
        o.messages,
        if raised == 1 { "" } else { "s" },
        if sc.expect.is_empty() {
            "; no expectations"
        } else {
            ""
        }
    )];
    if o.failures.len() > 1 {
        notes.push(format!("{} expectations failed", o.failures.len()));
    }
    let mut scene = Scene {
        title: sc.name.clone(),
        verdict,
        notes,
        duration_s: sc.duration_s,
        users,
        warnings,
        expectations,
        ..Scene::default()
    };
    if let Some(r) = rec {
        scene.lanes.clone_from(&r.lanes);
        scene.signals.clone_from(&r.signals);
        scene.fused.clone_from(&r.fused);
        scene.histories.clone_from(&r.histories);
    }
    scene
}
