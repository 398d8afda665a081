//! ASN.1 identifiers → Rust identifiers.

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// Splits an ASN.1 identifier into words: at `-`, at lower→upper and at the last capital of a
/// capital run followed by a lower-case letter (`IDList` → `ID`, `List`).
fn words(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for i in 0..chars.len() {
        let c = chars[i];
        if c == '-' || c == '_' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if !cur.is_empty() && c.is_ascii_uppercase() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `msgCnt` → `msg_cnt`, `type` → `r#type`.
pub fn field(s: &str) -> String {
    let w: Vec<String> = words(s)
        .into_iter()
        .map(|w| w.to_ascii_lowercase())
        .collect();
    let mut id = w.join("_");
    if id.starts_with(|c: char| c.is_ascii_digit()) {
        id.insert(0, '_');
    }
    if matches!(id.as_str(), "self" | "super" | "crate") {
        id.push('_');
    } else if KEYWORDS.contains(&id.as_str()) {
        id.insert_str(0, "r#");
    }
    id
}

/// `time-000-01` → `Time00001`, `bsmFrame` → `BsmFrame`, `Position-LL-24B` → `PositionLl24B`.
pub fn camel(s: &str) -> String {
    let mut out = String::new();
    for w in words(s) {
        let mut cs = w.chars();
        if let Some(f) = cs.next() {
            out.push(f.to_ascii_uppercase());
            out.extend(cs.map(|c| c.to_ascii_lowercase()));
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    if out == "Self" {
        out.push('_');
    }
    out
}

/// Like [`camel`], but words that meet digit to digit stay apart with `_`, as the hyphen
/// there often stands for a decimal point: `prec0-1deg` → `Prec0_1deg` (beside `prec01deg` →
/// `Prec01deg`).
pub fn camel_digits_apart(s: &str) -> String {
    let mut out = String::new();
    for w in words(s) {
        if out.ends_with(|c: char| c.is_ascii_digit())
            && w.starts_with(|c: char| c.is_ascii_digit())
        {
            out.push('_');
        }
        let mut cs = w.chars();
        if let Some(f) = cs.next() {
            out.push(f.to_ascii_uppercase());
            out.extend(cs.map(|c| c.to_ascii_lowercase()));
        }
    }
    out
}

/// Type names keep their capitals and only lose the hyphens: `Position-LL-24B` → `PositionLL24B`.
pub fn ty(s: &str) -> String {
    let mut out = String::new();
    for part in s.split('-') {
        let mut cs = part.chars();
        if let Some(f) = cs.next() {
            out.push(f.to_ascii_uppercase());
            out.extend(cs);
        }
    }
    out
}

/// `bsmFrame` → `BSM_FRAME` style constant name.
pub fn constant(s: &str) -> String {
    let w: Vec<String> = words(s)
        .into_iter()
        .map(|w| w.to_ascii_uppercase())
        .collect();
    let mut id = w.join("_");
    if id.starts_with(|c: char| c.is_ascii_digit()) {
        id.insert(0, '_');
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts() {
        assert_eq!(field("msgCnt"), "msg_cnt");
        assert_eq!(field("nodeID"), "node_id");
        assert_eq!(field("IDList"), "id_list");
        assert_eq!(field("type"), "r#type");
        assert_eq!(field("position-LL1"), "position_ll1");
        assert_eq!(camel("time-000-01"), "Time00001");
        assert_eq!(camel("bsmFrame"), "BsmFrame");
        assert_eq!(camel_digits_apart("prec0-1deg"), "Prec0_1deg");
        assert_eq!(camel_digits_apart("time-000-01"), "Time000_01");
        assert_eq!(ty("Position-LL-24B"), "PositionLL24B");
        assert_eq!(constant("leftFront"), "LEFT_FRONT");
    }
}
