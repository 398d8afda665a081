//! Every public item of the generated message code carries a doc that says what it is: the
//! comment of its ASN.1 type assignment, member, enumeration item or named bit (units, ranges and
//! "unavailable" values live there). A type assignment or member without a comment shows up here
//! as a doc that only names the ASN.1 type.
use std::fs;
use std::path::{Path, PathBuf};

fn generated_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../msg/src");
    let mut files = Vec::new();
    for set in ["v2020", "v2019", "v2017"] {
        let dir = root.join(set);
        for e in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let p = e.expect("dir entry").path();
            if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    files.sort();
    assert!(!files.is_empty(), "no generated files found");
    files
}

/// The `///` lines right above line `i`, skipping attributes, with the markers stripped.
fn doc_above(lines: &[&str], i: usize) -> Vec<String> {
    let mut j = i;
    while j > 0 {
        let l = lines[j - 1].trim_start();
        if l.starts_with("#[") {
            j -= 1;
        } else if l == ")]" {
            // the end of an attribute written over several lines
            while j > 0 && !lines[j - 1].trim_start().starts_with("#[") {
                j -= 1;
            }
            j = j.saturating_sub(1);
        } else {
            break;
        }
    }
    let mut doc = Vec::new();
    while j > 0 {
        let l = lines[j - 1].trim_start();
        match l.strip_prefix("///") {
            Some(d) => doc.push(d.trim().to_string()),
            None => break,
        }
        j -= 1;
    }
    doc.reverse();
    doc
}

/// What a generated doc says beyond naming the ASN.1 definition it comes from.
fn says_something(doc: &[String]) -> bool {
    let first = doc.iter().find(|l| !l.is_empty());
    first.is_some_and(|f| !f.starts_with("ASN.1 `") && !f.starts_with("The inline type of"))
}

/// A field doc is "`name`: <description>"; the description must not be a bare ASN.1 type.
fn field_says_something(doc: &[String]) -> bool {
    let text = doc.join(" ");
    let text = text.trim();
    let body = match text.strip_prefix('`') {
        Some(rest) => rest
            .split_once("`:")
            .map_or(rest, |(_, b)| b)
            .trim()
            .to_string(),
        None => text.to_string(),
    };
    let bare = [
        "INTEGER",
        "OCTET STRING",
        "BOOLEAN",
        "NULL",
        "character string",
        "SEQUENCE",
    ];
    !body.is_empty() && !bare.iter().any(|b| body.starts_with(b))
}

/// Runs `check` on every line of every generated file (`lines`, index, trimmed line); the
/// problems it reports come back prefixed with file and line.
fn scan(mut check: impl FnMut(&[&str], usize, &str) -> Option<&'static str>) -> Vec<String> {
    let mut found = Vec::new();
    for f in generated_files() {
        let text = fs::read_to_string(&f).expect("read generated file");
        let lines: Vec<&str> = text.lines().collect();
        for i in 0..lines.len() {
            let t = lines[i].trim_start();
            if let Some(problem) = check(&lines, i, t) {
                found.push(format!("{}:{}: {t}: {problem}", f.display(), i + 1));
            }
        }
    }
    found
}

#[test]
fn every_generated_public_item_is_documented() {
    let mut in_enum = false;
    let missing = scan(|lines, i, t| {
        let undocumented = doc_above(lines, i).is_empty();
        if t.starts_with("pub ") && !t.starts_with("pub use ") {
            in_enum = t.starts_with("pub enum ") && t.ends_with('{');
            return undocumented.then_some("no doc");
        }
        if in_enum && t.starts_with('}') {
            in_enum = false;
        }
        let variant = in_enum
            && !t.is_empty()
            && !t.starts_with('}')
            && !t.starts_with("///")
            && !t.starts_with("#[");
        (variant && undocumented).then_some("variant without doc")
    });
    assert!(
        missing.is_empty(),
        "undocumented public items:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_generated_type_and_field_says_what_it_is() {
    let vague = scan(|lines, i, t| {
        let is_type = ["pub struct ", "pub enum ", "pub type "]
            .iter()
            .any(|p| t.starts_with(p));
        if is_type && !says_something(&doc_above(lines, i)) {
            return Some("the ASN.1 type assignment has no comment");
        }
        let is_field = lines[i].starts_with("    pub ") && t.contains(": ") && t.ends_with(',');
        (is_field && !field_says_something(&doc_above(lines, i)))
            .then_some("the member and its type have no comment")
    });
    assert!(
        vague.is_empty(),
        "docs that only name the ASN.1 type:\n{}",
        vague.join("\n")
    );
}

#[test]
fn doc_checks_reject_bare_docs() {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert!(!says_something(&s(&["ASN.1 `Foo` (module `M`)."])));
    assert!(!says_something(&s(&[
        "The inline type of member `x` of ASN.1 `Foo` (module `M`)."
    ])));
    assert!(says_something(&s(&[
        "Speed, 0.02 m/s.",
        "",
        "ASN.1 `Speed` (module `DefMotion`)."
    ])));
    assert!(!field_says_something(&s(&["`ptcId`: INTEGER (0..65535)."])));
    assert!(field_says_something(&s(&[
        "`speed`: `Speed`: Speed, 0.02 m/s."
    ])));
    assert!(field_says_something(&s(&[
        "Local id.",
        "",
        "`ptcId`: INTEGER (0..65535)."
    ])));
}
