//! `scenario`: runs scenario files through the whole stack and checks their expectations.
//! Every message is signed with the test PKI and verified by the stack (`--sign sm2`, the
//! default; `--sign p256`; `--sign none` for plain frames), before use (`--verify always`, the
//! default) or vehicles' messages on demand (`--verify on-demand`). `--message-set csae53-2017|2019|2020`
//! sends every scenario in that set (default: each file's `message_set`, else 2020); a scenario
//! the set cannot carry is reported as skipped with the reason. `--svg DIR` writes one picture per
//! scenario, `DIR/<scenario name>.svg` (the ego then also transmits, so that its path history
//! is drawn). Timeline lines carry what each warning says (`detail.rs`).
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cv2x::apps::Advice;
use cv2x::host::{HostConfig, HostVehicle, SeededRandom};
use cv2x::msg::Standard;
use cv2x::security::cert::KeyAlg;
use cv2x::stack::VerifyPolicy;
use cv2x::testing::picture::{Recorder, render, scenario_scene};
use cv2x::testing::scenario::{Outcome, RunOptions, Scenario, TimelineEntry, run_observed};
use serde_json::{Value, json};

fn entry_json(name: &str, e: &TimelineEntry) -> Value {
    let r = &e.record;
    let mut v = json!({
        "scenario": name,
        "t": (r.t_s * 1000.0).round() / 1000.0,
        "event": e.state,
        "id": e.id,
        "app": r.app.name(),
        "level": r.level.name(),
    });
    if let Some(m) = v.as_object_mut() {
        m.insert("target".into(), r.target.map_or(Value::Null, |t| json!(t)));
        if let Some(t) = r.ttc_s {
            m.insert("ttc_s".into(), json!((t * 100.0).round() / 100.0));
        }
        if let Some(d) = r.distance_m {
            m.insert("distance_m".into(), json!((d * 10.0).round() / 10.0));
        }
        if let Some(a) = r.advice {
            m.insert(
                "advice".into(),
                match a {
                    Advice::KeepSpeed => json!({"kind": "keep_speed"}),
                    Advice::Stop => json!({"kind": "stop"}),
                    Advice::SpeedRange { min_kph, max_kph } => json!({
                        "kind": "range",
                        "min_kph": (min_kph * 10.0).round() / 10.0,
                        "max_kph": (max_kph * 10.0).round() / 10.0,
                    }),
                },
            );
        }
        crate::detail::insert(
            m,
            r.decel_mps2,
            r.road.as_ref(),
            r.limit_kph,
            r.guidance.as_ref(),
        );
    }
    v
}

/// The options of `cv2x scenario`.
struct Options<'a> {
    sign: Option<KeyAlg>,
    verify: VerifyPolicy,
    message_set: Option<Standard>,
    svg: Option<PathBuf>,
    files: Vec<&'a String>,
}

/// A scenario's outcome, and its picture when asked for.
fn run_file(path: &Path, o: &Options<'_>) -> Result<(Outcome, Option<String>), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let sc = Scenario::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut opts = match o.sign {
        Some(alg) => RunOptions::signed(alg)
            .map_err(|e| format!("test PKI: {e}"))?
            .with_verify_policy(o.verify),
        None => RunOptions::default(),
    };
    opts.message_set = o.message_set;
    if o.svg.is_none() {
        return Ok((run_observed(&sc, opts, &mut ()), None));
    }
    let mut recorder =
        Recorder::new(sc.origin).map_err(|e| format!("{}: origin: {e}", path.display()))?;
    let host = HostVehicle::new(HostConfig::default(), Box::new(SeededRandom::new([7; 32])))
        .map_err(|e| format!("host vehicle: {e}"))?;
    opts.host = Some(host);
    let outcome = run_observed(&sc, opts, &mut recorder);
    if outcome.skipped.is_some() {
        return Ok((outcome, None));
    }
    let svg = render(&scenario_scene(&sc, &outcome, Some(&recorder.finish()))).svg;
    Ok((outcome, Some(svg)))
}

/// A file name for a scenario's picture: its name with anything but letters, digits, `-`,
/// `_` and `.` replaced, unique within the run.
fn picture_path(dir: &Path, name: &str, taken: &mut BTreeSet<String>) -> PathBuf {
    let mut base: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if base.is_empty() || base.starts_with('.') {
        base.insert_str(0, "scenario");
    }
    let mut candidate = base.clone();
    let mut n = 1;
    while !taken.insert(candidate.clone()) {
        n += 1;
        candidate = format!("{base}-{n}");
    }
    dir.join(format!("{candidate}.svg"))
}

/// Splits `--sign p256|sm2|none` (default SM2, the algorithm of GB/T 45112 deployments),
/// `--verify always|on-demand`, `--message-set S` and `--svg DIR` from the file arguments.
fn options(args: &[String]) -> Result<Options<'_>, String> {
    let mut o = Options {
        sign: Some(KeyAlg::Sm2),
        verify: VerifyPolicy::Always,
        message_set: None,
        svg: None,
        files: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--sign" {
            o.sign = match it.next().map(String::as_str) {
                Some("sm2") => Some(KeyAlg::Sm2),
                Some("p256") => Some(KeyAlg::EcdsaP256),
                Some("none") => None,
                _ => return Err("--sign takes p256, sm2 or none".into()),
            };
        } else if a == "--verify" {
            o.verify = match it.next().map(String::as_str) {
                Some("always") => VerifyPolicy::Always,
                Some("on-demand") => VerifyPolicy::on_demand(),
                _ => return Err("--verify takes always or on-demand".into()),
            };
        } else if a == "--svg" {
            o.svg = Some(PathBuf::from(it.next().ok_or("--svg takes a directory")?));
        } else if a == "--message-set" {
            let name = it.next().map(String::as_str).unwrap_or("");
            o.message_set = Some(Standard::from_name(name).ok_or_else(|| {
                format!("--message-set takes csae53-2020, csae53-2019 or csae53-2017, not `{name}`")
            })?);
        } else {
            o.files.push(a);
        }
    }
    if o.sign.is_none() && o.verify != VerifyPolicy::Always {
        return Err("--verify on-demand needs signed messages (--sign p256 or sm2)".into());
    }
    Ok(o)
}

/// Runs `cv2x scenario FILE.json...`.
pub fn run_cmd(args: &[String]) -> Result<ExitCode, String> {
    let opts = options(args)?;
    if opts.files.is_empty() {
        return Err(
            "usage: cv2x scenario [--sign p256|sm2|none] [--verify always|on-demand] \
             [--message-set S] [--svg DIR] \
             FILE.json..."
                .into(),
        );
    }
    if let Some(dir) = &opts.svg {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut taken = BTreeSet::new();
    let (mut passed, mut failed, mut skipped) = (0usize, 0usize, 0usize);
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) ends the output quietly; the exit code still tells.
    let mut print = |line: String| {
        let _ = writeln!(out, "{line}");
    };
    for a in &opts.files {
        let path = Path::new(a);
        match run_file(path, &opts) {
            Ok((o, _)) if o.skipped.is_some() => {
                print(
                    json!({
                        "scenario": o.name,
                        "file": a,
                        "message_set": o.message_set.name(),
                        "result": "skipped",
                        "reason": o.skipped,
                    })
                    .to_string(),
                );
                skipped += 1;
            }
            Ok((o, svg)) => {
                for e in &o.timeline {
                    print(entry_json(&o.name, e).to_string());
                }
                let ok = o.passed();
                let mut line = json!({
                    "scenario": o.name,
                    "file": a,
                    "message_set": o.message_set.name(),
                    "result": if ok { "pass" } else { "fail" },
                    "failures": o.failures,
                });
                if let (Some(dir), Some(svg)) = (&opts.svg, svg) {
                    let p = picture_path(dir, &o.name, &mut taken);
                    std::fs::write(&p, svg).map_err(|e| format!("{}: {e}", p.display()))?;
                    line["picture"] = json!(p.display().to_string());
                }
                print(line.to_string());
                if ok {
                    passed += 1;
                } else {
                    failed += 1;
                }
            }
            Err(e) => {
                print(json!({"file": a, "result": "fail", "failures": [e]}).to_string());
                failed += 1;
            }
        }
    }
    if skipped > 0 {
        print(format!(
            "{skipped} skipped (their message set cannot carry what they need; see each reason)"
        ));
    }
    print(format!("{passed} passed, {failed} failed"));
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
