//! `decode`, `encode` and `conform`: the message codec from the command line.
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cv2x::codec::jer::{self, Value};
use cv2x::msg::Standard;
use cv2x::msg::conform::{self, hex_lower};

struct Opts {
    std: Option<Standard>,
    ty: String,
    rest: Vec<String>,
}

fn parse(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts {
        std: None,
        ty: "MessageFrame".into(),
        rest: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--std" => {
                let v = it.next().ok_or("--std needs a value")?;
                o.std = Some(Standard::from_name(v).ok_or_else(|| {
                    let known: Vec<&str> = Standard::ALL.iter().map(|s| s.name()).collect();
                    format!("unknown standard `{v}` ({})", known.join(", "))
                })?);
            }
            "--type" => o.ty = it.next().ok_or("--type needs a value")?.clone(),
            _ => o.rest.push(a.clone()),
        }
    }
    Ok(o)
}

fn read_arg(a: &str) -> Result<String, String> {
    if a == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("stdin: {e}"))?;
        return Ok(s);
    }
    Ok(a.to_string())
}

/// Runs one of the codec subcommands.
pub fn run(cmd: &str, args: &[String]) -> Result<ExitCode, String> {
    let o = parse(args)?;
    match cmd {
        "decode" => {
            let std = o.std.unwrap_or(Standard::Csae53_2020);
            let [hex] = o.rest.as_slice() else {
                return Err("usage: cv2x decode [--std S] [--type T] HEX".into());
            };
            let hex = read_arg(hex)?;
            let bytes = jer::unhex(&Value::String(hex.trim().to_string()))
                .map_err(|_| "HEX is not hexadecimal".to_string())?;
            match std.decode_named(&o.ty, &bytes) {
                Ok(Some((v, _))) => {
                    outln!("{v}");
                    Ok(ExitCode::SUCCESS)
                }
                Ok(None) => Err(format!("unknown type `{}`", o.ty)),
                Err(e) => {
                    eprintln!("cv2x: decode failed: {e}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        "encode" => {
            let std = o.std.unwrap_or(Standard::Csae53_2020);
            let [src] = o.rest.as_slice() else {
                return Err("usage: cv2x encode [--std S] [--type T] JSON|-".into());
            };
            let text = read_arg(src)?;
            let v: Value = serde_json::from_str(&text).map_err(|e| format!("JSON: {e}"))?;
            match std.encode_named(&o.ty, &v) {
                Ok(Some(b)) => {
                    outln!("{}", hex_lower(&b));
                    Ok(ExitCode::SUCCESS)
                }
                Ok(None) => Err(format!("unknown type `{}`", o.ty)),
                Err(e) => {
                    eprintln!("cv2x: encode failed: {e}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        "conform" => conform_cmd(o.std, &o.rest),
        _ => Err(format!("unknown command `{cmd}`")),
    }
}

fn jsonl_files(p: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    if p.is_dir() {
        let mut entries: Vec<PathBuf> = fs::read_dir(p)
            .map_err(|e| format!("{}: {e}", p.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for e in entries {
            if e.is_dir() || e.extension().is_some_and(|x| x == "jsonl") {
                jsonl_files(&e, out)?;
            }
        }
    } else if p.exists() {
        out.push(p.to_path_buf());
    } else {
        return Err(format!("{}: no such file or directory", p.display()));
    }
    Ok(())
}

fn std_of(path: &Path) -> Option<Standard> {
    path.ancestors()
        .filter_map(|a| a.file_name().and_then(|n| n.to_str()))
        .find_map(Standard::from_folder)
}

fn conform_cmd(std: Option<Standard>, paths: &[String]) -> Result<ExitCode, String> {
    if paths.is_empty() {
        return Err("usage: cv2x conform [--std S] PATH...".into());
    }
    let mut files = Vec::new();
    for p in paths {
        jsonl_files(Path::new(p), &mut files)?;
    }
    let (mut passed, mut failed) = (0usize, 0usize);
    for f in &files {
        let Some(s) = std.or_else(|| std_of(f)) else {
            outln!("{}: cannot tell the standard (use --std)", f.display());
            failed += 1;
            continue;
        };
        let text = fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let result = serde_json::from_str::<Value>(line)
                .map_err(|e| format!("not JSON: {e}"))
                .and_then(|v| {
                    conform::check(s, &v).map_err(|fl| format!("{}: {}", fl.ty, fl.reason))
                });
            match result {
                Ok(()) => passed += 1,
                Err(reason) => {
                    failed += 1;
                    outln!("{}:{}: {reason}", f.display(), i + 1);
                }
            }
        }
    }
    outln!("{passed} passed, {failed} failed");
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
