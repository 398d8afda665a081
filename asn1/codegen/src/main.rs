//! `cv2x-codegen`: reads the ASN.1 module sets in `asn1/` with rasn-compiler's parser and
//! writes plain Rust types with specialised UPER (and JER) code into `asn1/msg/src/<set>/` (crate `cv2x-msg`).
//!
//! `cargo run -p cv2x-codegen` regenerates; `cargo run -p cv2x-codegen -- --check` fails when the
//! checked-in code differs from what the modules produce.
mod emit;
mod imports;
mod model;
mod names;

use std::cell::RefCell;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use rasn_compiler::prelude::*;

thread_local! {
    static COLLECTED: RefCell<Vec<ToplevelDefinition>> = const { RefCell::new(Vec::new()) };
}

/// A rasn-compiler backend that emits nothing and keeps the validated definitions.
#[derive(Default)]
struct Collector;

impl Backend for Collector {
    type Config = ();
    const FILE_EXTENSION: &'static str = ".rs";

    fn generate_module(
        &mut self,
        tlds: Vec<ToplevelDefinition>,
    ) -> Result<GeneratedModule, GeneratorError> {
        COLLECTED.with(|c| c.borrow_mut().extend(tlds));
        Ok(GeneratedModule::empty())
    }

    fn generate(&self, _tld: ToplevelDefinition) -> Result<String, GeneratorError> {
        Ok(String::new())
    }

    fn config(&self) -> &Self::Config {
        &()
    }

    fn from_config(_config: Self::Config) -> Self {
        Collector
    }

    fn new(
        _config: Self::Config,
        _tagging_environment: TaggingEnvironment,
        _extensibility_environment: ExtensibilityEnvironment,
    ) -> Self {
        Collector
    }
}

/// One module set and where its code goes.
pub struct Set {
    pub dir: &'static str,
    pub out: &'static str,
    pub doc: &'static str,
}

pub const SETS: &[Set] = &[
    Set {
        dir: "asn1/csae53-2020-dayII",
        out: "asn1/msg/src/v2020",
        doc: "T/CSAE 157-2020 (Day II) module set, which contains T/CSAE 53-2020 = YD/T 3709-2020 (Day I) \
              with the Day II extension additions: one set decodes both.",
    },
    Set {
        dir: "asn1/csae53-2019",
        out: "asn1/msg/src/v2019",
        doc: "T/CSAE 53 / YD/T 3709 Day I module set, 2019 revision (module release 2019-07-24, the \
              set of the 2019 interoperability events), still sent by deployed roadside units.",
    },
    Set {
        dir: "asn1/csae53-2017",
        out: "asn1/msg/src/v2017",
        doc: "T/CSAE 53-2017 module set (the original Day I).",
    },
];

/// The Day II form `{ root..., ..., additions..., ... }` closes with a second ellipsis that the
/// parser rejects; where nothing follows it, it has no effect on any encoding, so it is dropped
/// (never a lone extension marker). Ellipses are counted per brace or parenthesis, so an
/// extensible constraint such as `(SIZE (32, ...))` is not mistaken for an extension marker.
fn drop_closing_ellipsis(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let lines: Vec<&str> = src.lines().collect();
    let mut depth_markers: Vec<u32> = Vec::new();
    for line in &lines {
        let code = line.split("--").next().unwrap_or("");
        let mut keep = String::new();
        let mut i = 0;
        let bytes = code.as_bytes();
        while i < bytes.len() {
            let c = bytes[i] as char;
            if c == '{' || c == '(' {
                depth_markers.push(0);
            } else if c == '}' || c == ')' {
                depth_markers.pop();
            } else if code[i..].starts_with("...") {
                if let Some(n) = depth_markers.last_mut() {
                    *n += 1;
                    if *n == 2 {
                        // drop this ellipsis and a preceding comma
                        let trimmed = keep.trim_end().to_string();
                        keep = trimmed.strip_suffix(',').unwrap_or(&trimmed).to_string();
                        i += 3;
                        continue;
                    }
                }
            }
            keep.push(c);
            i += 1;
        }
        if code.len() < line.len() {
            keep.push_str(&line[code.len()..]);
        }
        out.push_str(&keep);
        out.push('\n');
    }
    out
}

fn load(root: &Path, set: &Set) -> Result<(Vec<ToplevelDefinition>, String), String> {
    let dir = root.join(set.dir);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "asn"))
        .collect();
    files.sort();
    let mut literal = String::new();
    for f in &files {
        let src = fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
        literal.push_str(&drop_closing_ellipsis(&src));
        literal.push('\n');
    }
    let original: String = files
        .iter()
        .filter_map(|f| fs::read_to_string(f).ok())
        .collect::<Vec<_>>()
        .join("\n");
    let compiler = Compiler::<Collector, CompilerMissingParams>::new().add_asn_literal(literal);
    COLLECTED.with(|c| c.borrow_mut().clear());
    let result = compiler
        .compile_to_string()
        .map_err(|e| format!("{}: {e}", set.dir))?;
    for w in &result.warnings {
        let text = format!("{w:?}");
        if !text.contains("Not supported") {
            eprintln!("warning ({}): {text}", set.dir);
        }
    }
    Ok((
        COLLECTED.with(|c| std::mem::take(&mut *c.borrow_mut())),
        original,
    ))
}

fn rustfmt(src: &str) -> Result<String, String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("rustfmt: {e}"))?;
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().ok_or("rustfmt stdin")?;
        stdin
            .write_all(src.as_bytes())
            .map_err(|e| format!("rustfmt: {e}"))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "rustfmt failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("rustfmt: {e}"))
}

/// Generates all files of all sets: (path relative to the root, content).
pub fn generate(root: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let mut files = Vec::new();
    for set in SETS {
        if !root.join(set.dir).is_dir() {
            eprintln!("skipping {}: no modules", set.dir);
            continue;
        }
        let (tlds, sources) = load(root, set)?;
        let mut schema = model::build(&tlds).map_err(|e| format!("{}: {e}", set.dir))?;
        schema.member_docs = model::member_comments(&sources);
        schema.module_docs = model::module_comments(&sources);
        for (name, code) in emit::emit_set(&schema, set)? {
            files.push((Path::new(set.out).join(name), rustfmt(&code)?));
        }
    }
    Ok(files)
}

fn main() -> ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let files = match generate(&root) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("cv2x-codegen: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stale = 0;
    for (rel, content) in &files {
        let path = root.join(rel);
        let current = fs::read_to_string(&path).unwrap_or_default();
        if current == *content {
            continue;
        }
        if check {
            eprintln!("stale: {}", rel.display());
            stale += 1;
        } else {
            if let Some(dir) = path.parent() {
                let _ = fs::create_dir_all(dir);
            }
            if let Err(e) = fs::write(&path, content) {
                eprintln!("cv2x-codegen: {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
            println!("wrote {}", rel.display());
        }
    }
    // files in an output folder that the modules no longer produce
    for set in SETS {
        let dir = root.join(set.out);
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.filter_map(Result::ok) {
            let rel = Path::new(set.out).join(e.file_name());
            if files.iter().any(|(p, _)| *p == rel) {
                continue;
            }
            if check {
                eprintln!("stale: {} (no longer generated)", rel.display());
                stale += 1;
            } else if fs::remove_file(e.path()).is_ok() {
                println!("removed {}", rel.display());
            }
        }
    }
    if stale > 0 {
        eprintln!("{stale} generated file(s) differ from asn1/: run `cargo run -p cv2x-codegen`");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::drop_closing_ellipsis;

    #[test]
    fn drops_only_a_closing_ellipsis_after_additions() {
        let src = "A ::= SEQUENCE { a INTEGER, ..., b INTEGER, ... }\n";
        assert_eq!(
            drop_closing_ellipsis(src),
            "A ::= SEQUENCE { a INTEGER, ..., b INTEGER }\n"
        );
        // an extensible constraint is not an extension marker of the SEQUENCE
        let src = "T ::= SEQUENCE { tc OCTET STRING (SIZE (32, ...)), ... }\n";
        assert_eq!(drop_closing_ellipsis(src), src);
        // a lone extension marker stays
        let src = "E ::= ENUMERATED { a, b, ... }\n";
        assert_eq!(drop_closing_ellipsis(src), src);
    }
}
