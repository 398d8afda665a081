//! `scenario`: runs scenario files through the whole stack and checks their expectations.
//! Every message is signed with the test PKI and verified by the stack (`--sign sm2`, the
//! default; `--sign p256`; `--sign none` for plain frames), before use (`--verify always`, the
//! default) or vehicles' messages on demand (`--verify on-demand`).
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use cv2x::apps::Advice;
use cv2x::security::cert::KeyAlg;
use cv2x::stack::VerifyPolicy;
use cv2x::testing::scenario::{Outcome, RunOptions, Scenario, TimelineEntry, run};
use serde_json::{Value, json};

fn entry_json(name: &str, e: &TimelineEntry) -> Value {
    let r = &e.record;
    let mut v = json!({
        "scenario": name,
        "t": (r.t_s * 1000.0).round() / 1000.0,
        "event": e.state,
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
    }
    v
}

fn run_file(path: &Path, sign: Option<KeyAlg>, verify: VerifyPolicy) -> Result<Outcome, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let sc = Scenario::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let opts = match sign {
        Some(alg) => RunOptions::signed(alg)
            .map_err(|e| format!("test PKI: {e}"))?
            .with_verify_policy(verify),
        None => RunOptions::default(),
    };
    Ok(run(&sc, opts))
}

/// The options: `--sign p256|sm2|none` (default SM2, the algorithm of GB/T 45112 deployments),
/// `--verify always|on-demand` (default always), and the files.
struct Options<'a> {
    sign: Option<KeyAlg>,
    verify: VerifyPolicy,
    files: Vec<&'a String>,
}

fn options(args: &[String]) -> Result<Options<'_>, String> {
    let mut o = Options {
        sign: Some(KeyAlg::Sm2),
        verify: VerifyPolicy::Always,
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
    let Options {
        sign,
        verify,
        files,
    } = options(args)?;
    if files.is_empty() {
        return Err(
            "usage: cv2x scenario [--sign p256|sm2|none] [--verify always|on-demand] FILE.json..."
                .into(),
        );
    }
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) ends the output quietly; the exit code still tells.
    let mut print = |line: String| {
        let _ = writeln!(out, "{line}");
    };
    for a in files {
        let path = Path::new(a);
        match run_file(path, sign, verify) {
            Ok(o) => {
                for e in &o.timeline {
                    print(entry_json(&o.name, e).to_string());
                }
                let ok = o.passed();
                print(
                    json!({
                        "scenario": o.name,
                        "file": a,
                        "result": if ok { "pass" } else { "fail" },
                        "failures": o.failures,
                    })
                    .to_string(),
                );
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
    print(format!("{passed} passed, {failed} failed"));
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
