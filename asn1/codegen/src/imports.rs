//! The `use` lines of a generated module: exactly what its code names, so that the generated
//! code needs no `allow(unused_imports)`. Items only the JER impls use are imported under
//! `cfg(feature = "jer")`.
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The `cfg` attribute that opens a JER-only item in generated code.
const JER_CFG: &str = "#[cfg(feature = \"jer\")]";

/// Runtime items and where they come from.
const RUNTIME: &[(&str, &[&str])] = &[
    ("alloc::string", &["String"]),
    ("alloc::vec", &["Vec"]),
    (
        "crate::codec::uper",
        &[
            "BitBuf",
            "BitReader",
            "BitWriter",
            "CharSet",
            "ExtBitmap",
            "UnknownAlternative",
            "UnknownExtensions",
            "Uper",
            "decode_open_with",
        ],
    ),
    (
        "crate::codec",
        &[
            "DecodeError",
            "DecodeErrorKind",
            "EncodeError",
            "EncodeErrorKind",
            "Error",
        ],
    ),
    (
        "crate::codec::jer",
        &["jer::", "Jer", "JerError", "JerErrorKind", "Map", "Value"],
    ),
];

/// The identifiers of `code` outside comments and string literals, path tails (`Value::String`)
/// left out; a path through the module `jer` counts as `jer::`, and calls of the codec traits' methods count as their trait.
fn identifiers(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in code.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        let mut chars = line.char_indices().peekable();
        let mut in_str = false;
        let mut start: Option<usize> = None;
        let mut push = |before: &str, s: &str, next: &str| {
            let id = match s {
                "jer" if next.starts_with("::") => "jer::",
                "decode_uper" | "encode_uper" => "Uper",
                "to_jer" | "from_jer" => "Jer",
                // the tail of a path (`Value::String`) names nothing in scope
                _ if before.ends_with("::") => return,
                other => other,
            };
            out.insert(id.to_string());
        };
        while let Some((i, c)) = chars.next() {
            if in_str {
                if c == '\\' {
                    chars.next();
                } else if c == '"' {
                    in_str = false;
                }
                continue;
            }
            if c.is_ascii_alphanumeric() || c == '_' {
                start.get_or_insert(i);
                continue;
            }
            if let Some(s) = start.take() {
                push(&line[..s], &line[s..i], &line[i..]);
            }
            if c == '"' {
                in_str = true;
            }
        }
        if let Some(s) = start {
            push(&line[..s], &line[s..], "");
        }
    }
    out
}

/// Splits generated code into (code outside JER-only items, the JER-only items).
fn split_jer(code: &str) -> (String, String) {
    let mut plain = String::new();
    let mut jer = String::new();
    let mut rest = code;
    while let Some(at) = rest.find(JER_CFG) {
        plain.push_str(&rest[..at]);
        let item = &rest[at..];
        let end = item_end(item).unwrap_or(item.len());
        jer.push_str(&item[..end]);
        rest = &item[end..];
    }
    plain.push_str(rest);
    (plain, jer)
}

/// The end of the item that starts `s`: after the brace that closes its first block (braces in
/// string literals and comments ignored), or after its `;` when it has no block.
fn item_end(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_str = false;
    let mut in_comment = false;
    let mut esc = false;
    let bytes = s.as_bytes();
    for (i, &c) in bytes.iter().enumerate() {
        if in_comment {
            in_comment = c != b'\n';
            continue;
        }
        if in_str {
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == b'"' {
                in_str = false;
            }
            continue;
        }
        match c {
            b'"' => in_str = true,
            b'/' if bytes.get(i + 1) == Some(&b'/') => in_comment = true,
            b'{' => depth += 1,
            b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b';' if depth == 0 => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// The `use` lines for `code`, a module of a set whose other modules define `siblings` (Rust
/// type names reached through `super::*`).
pub fn uses(code: &str, siblings: &BTreeSet<String>) -> String {
    let (plain, jer) = split_jer(code);
    let plain_ids = identifiers(&plain);
    let jer_ids: BTreeSet<String> = identifiers(&jer).difference(&plain_ids).cloned().collect();
    let mut out = String::new();
    for (ids, cfg) in [(&plain_ids, ""), (&jer_ids, JER_CFG)] {
        let mut lines = Vec::new();
        if ids.iter().any(|id| siblings.contains(id)) {
            lines.push("use super::*;".to_string());
        }
        for (path, items) in RUNTIME {
            let used: Vec<&str> = items
                .iter()
                .filter(|i| ids.contains(**i))
                .map(|i| if *i == "jer::" { "self" } else { i })
                .collect();
            match used.as_slice() {
                [] => {}
                ["self"] => lines.push(format!("use {path};")),
                [one] => lines.push(format!("use {path}::{one};")),
                many => lines.push(format!("use {path}::{{{}}};", many.join(", "))),
            }
        }
        for l in lines {
            if cfg.is_empty() {
                let _ = writeln!(out, "{l}");
            } else {
                let _ = writeln!(out, "{cfg}\n{l}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jer_items_are_split_off() {
        let code = "struct A;\n#[cfg(feature = \"jer\")]\nimpl Jer for A {\nfn f() -> Value { Value::String(\"}\".into()) }\n}\nimpl Uper for A {}\n";
        let (plain, jer) = split_jer(code);
        assert_eq!(plain, "struct A;\n\nimpl Uper for A {}\n");
        assert!(jer.starts_with(JER_CFG) && jer.ends_with("}\n}"));
    }

    #[test]
    fn only_what_is_named_is_imported() {
        let siblings: BTreeSet<String> = ["Speed".to_string()].into();
        let code = "// Vec in a comment\npub struct A { s: Speed, n: String, v: alloc::vec::Vec<u8> }\nimpl Uper for A { fn decode_uper(r: &mut BitReader<'_>) -> Result<Self, DecodeError> { todo!(\"Vec\") } }\n#[cfg(feature = \"jer\")]\nimpl Jer for A { fn to_jer(&self) -> Value { jer::hex(&[]) } }\n";
        assert_eq!(
            uses(code, &siblings),
            "use super::*;\nuse alloc::string::String;\nuse crate::codec::uper::{BitReader, Uper};\nuse crate::codec::DecodeError;\n#[cfg(feature = \"jer\")]\nuse crate::codec::jer::{self, Jer, Value};\n"
        );
    }
}
