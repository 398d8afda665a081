//! Rust emission: types, UPER encode/decode and JER for every named type of a module set.
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::Set;
use crate::model::{IntC, Member, Named, Schema, SizeC, StrKind, Ty};
use crate::names;

type Res<T> = Result<T, String>;

/// A type after following aliases: what the codec at a use site needs.
enum Eff<'a> {
    /// A generated struct/enum with its own `Uper`/`Jer` impls.
    Named(String),
    Bool,
    Null,
    Int(IntC),
    Octets(SizeC),
    Str(StrKind, SizeC),
    SeqOf(&'a Ty, SizeC),
}

fn has_impl(t: &Ty) -> bool {
    matches!(
        t,
        Ty::Seq { .. } | Ty::Choice { .. } | Ty::Enum { .. } | Ty::Bits { .. }
    )
}

struct Ctx<'a> {
    s: &'a Schema,
}

fn lit(v: i128) -> String {
    format!("{v}")
}

fn opt_usize(v: Option<usize>) -> String {
    match v {
        Some(u) => format!("Some({u})"),
        None => "None".into(),
    }
}

fn charset(k: StrKind) -> &'static str {
    match k {
        StrKind::Ia5 => "CharSet::Ia5",
        StrKind::Visible => "CharSet::Visible",
        StrKind::Printable => "CharSet::Printable",
        StrKind::Numeric => "CharSet::Numeric",
        StrKind::Utf8 => "CharSet::Utf8",
    }
}

/// Rust integer type for a constraint.
fn int_rust(c: &IntC) -> &'static str {
    match (c.lb, c.ub, c.ext) {
        (Some(lb), Some(ub), false) => {
            if lb >= 0 {
                if ub <= u8::MAX as i128 {
                    "u8"
                } else if ub <= u16::MAX as i128 {
                    "u16"
                } else if ub <= u32::MAX as i128 {
                    "u32"
                } else {
                    "u64"
                }
            } else if lb >= i8::MIN as i128 && ub <= i8::MAX as i128 {
                "i8"
            } else if lb >= i16::MIN as i128 && ub <= i16::MAX as i128 {
                "i16"
            } else if lb >= i32::MIN as i128 && ub <= i32::MAX as i128 {
                "i32"
            } else {
                "i64"
            }
        }
        _ => "i64",
    }
}

impl<'a> Ctx<'a> {
    fn eff(&self, t: &'a Ty) -> Res<Eff<'a>> {
        let mut t = t;
        let mut int_o: Option<IntC> = None;
        let mut size_o: Option<SizeC> = None;
        for _ in 0..64 {
            match t {
                Ty::Ref { name, int, size } => {
                    let n = self
                        .s
                        .get(name)
                        .ok_or_else(|| format!("unknown type {name}"))?;
                    if has_impl(&n.ty) {
                        return Ok(Eff::Named(names::ty(name)));
                    }
                    if int_o.is_none() {
                        int_o = *int;
                    }
                    if size_o.is_none() {
                        size_o = *size;
                    }
                    t = &n.ty;
                }
                Ty::Bool => return Ok(Eff::Bool),
                Ty::Null => return Ok(Eff::Null),
                Ty::Int(c) => return Ok(Eff::Int(int_o.unwrap_or(*c))),
                Ty::Octets(c) => return Ok(Eff::Octets(size_o.unwrap_or(*c))),
                Ty::Str { kind, size } => return Ok(Eff::Str(*kind, size_o.unwrap_or(*size))),
                Ty::SeqOf { elem, size } => return Ok(Eff::SeqOf(elem, size_o.unwrap_or(*size))),
                Ty::Open { .. } => return Err("open type outside a SEQUENCE".into()),
                other => return Err(format!("unexpected inline type {other:?}")),
            }
        }
        Err("reference loop".into())
    }

    /// The Rust type of a use site (alias names kept where they exist).
    fn rust_ty(&self, t: &Ty) -> Res<String> {
        Ok(match t {
            Ty::Ref { name, int, size } => {
                // a narrowed integer may need a different primitive than the alias
                let n = self
                    .s
                    .get(name)
                    .ok_or_else(|| format!("unknown type {name}"))?;
                if int.is_some() || size.is_some() {
                    if let Ok(Eff::Int(c)) = self.eff(t) {
                        let base = self.eff(&n.ty);
                        if let Ok(Eff::Int(bc)) = base {
                            if int_rust(&c) != int_rust(&bc) {
                                return Ok(int_rust(&c).into());
                            }
                        }
                    }
                    if let (Ok(Eff::Octets(c)), Ok(Eff::Octets(bc))) =
                        (self.eff(t), self.eff(&n.ty))
                    {
                        if c.fixed() != bc.fixed() {
                            return Ok(octets_rust(&c));
                        }
                    }
                }
                names::ty(name)
            }
            Ty::Bool => "bool".into(),
            Ty::Null => "()".into(),
            Ty::Int(c) => int_rust(c).into(),
            Ty::Octets(c) => octets_rust(c),
            Ty::Str { .. } => "String".into(),
            Ty::SeqOf { elem, .. } => format!("Vec<{}>", self.rust_ty(elem)?),
            other => return Err(format!("no Rust type for inline {other:?}")),
        })
    }

    /// A rough estimate of the size in bytes of the Rust type of `t` (for lint decisions only).
    fn size_of(&self, t: &Ty, depth: u32) -> usize {
        const VEC: usize = 24;
        if depth > 32 {
            return 0;
        }
        let opt = |size: usize, niche: bool| if niche { size } else { size + size.clamp(1, 8) };
        match t {
            Ty::Bool => 1,
            Ty::Null => 0,
            Ty::Int(c) => match int_rust(c) {
                "u8" | "i8" => 1,
                "u16" | "i16" => 2,
                "u32" | "i32" => 4,
                _ => 8,
            },
            Ty::Octets(c) => c.fixed().unwrap_or(VEC),
            Ty::Str { .. } | Ty::SeqOf { .. } => VEC,
            Ty::Open { set, .. } => {
                let entries = self.s.sets.get(set).map_or(&[][..], Vec::as_slice);
                entries
                    .iter()
                    .filter_map(|e| self.s.get(&e.ty))
                    .map(|n| self.size_of(&n.ty, depth + 1))
                    .max()
                    .unwrap_or(0)
                    .max(VEC)
                    + 8
            }
            Ty::Bits { size, .. } => match size.ub.filter(|&u| u == size.lb) {
                Some(n) if !size.ext => n.div_ceil(8),
                Some(n) => n.div_ceil(8) + 2 * VEC,
                None => 2 * VEC,
            },
            Ty::Enum { ext, .. } => {
                if ext.is_some() {
                    16
                } else {
                    1
                }
            }
            Ty::Seq { members, ext } => {
                let root_n = ext.unwrap_or(members.len());
                let fields: usize = members
                    .iter()
                    .enumerate()
                    .map(|(i, m)| {
                        let size = self.size_of(&m.ty, depth + 1);
                        if m.optional || i >= root_n {
                            opt(size, self.has_niche(&m.ty))
                        } else {
                            size
                        }
                    })
                    .sum();
                (fields + if ext.is_some() { 2 * VEC } else { 0 }).next_multiple_of(8)
            }
            Ty::Choice { alts, .. } => {
                alts.iter()
                    .map(|a| self.size_of(&a.ty, depth + 1))
                    .max()
                    .unwrap_or(0)
                    .max(VEC + 8)
                    + 8
            }
            Ty::Ref { name, int, size } => {
                if let Some(c) = int {
                    return self.size_of(&Ty::Int(*c), depth + 1);
                }
                match (self.s.get(name), size) {
                    (Some(n), Some(s)) if matches!(self.s.resolve(&n.ty), Ty::Octets(_)) => {
                        s.fixed().unwrap_or(VEC)
                    }
                    (Some(n), _) => self.size_of(&n.ty, depth + 1),
                    (None, _) => 0,
                }
            }
        }
    }

    /// Whether `Option` of the Rust type of `t` costs nothing (roughly: it holds a vector, an
    /// enum or a reference).
    fn has_niche(&self, t: &Ty) -> bool {
        match self.s.resolve(t) {
            Ty::Bool | Ty::Str { .. } | Ty::SeqOf { .. } | Ty::Open { .. } => true,
            Ty::Enum { .. } | Ty::Choice { .. } => true,
            Ty::Octets(c) => c.fixed().is_none(),
            Ty::Seq { members, ext } => {
                ext.is_some() || members.iter().any(|m| !m.optional && self.has_niche(&m.ty))
            }
            _ => false,
        }
    }

    /// Minimum encoded size in bits (used to bound counts before allocating).
    fn min_bits(&self, t: &Ty, depth: u32) -> usize {
        if depth > 16 {
            return 0;
        }
        match t {
            Ty::Bool => 1,
            Ty::Null => 0,
            Ty::Int(c) => int_min_bits(c),
            Ty::Octets(c) => size_min_bits(c, 8),
            Ty::Str { kind, size } => {
                size_min_bits(size, if *kind == StrKind::Numeric { 4 } else { 7 })
            }
            Ty::Bits { size, .. } => size_min_bits(size, 1),
            Ty::SeqOf { elem, size } => {
                size_len_bits(size) + size.lb * self.min_bits(elem, depth + 1)
            }
            Ty::Enum { root, ext } => {
                usize::from(ext.is_some()) + range_bits(root.len().saturating_sub(1) as u64)
            }
            Ty::Seq { members, ext } => {
                let root_n = ext.unwrap_or(members.len());
                let opt = members[..root_n].iter().filter(|m| m.optional).count();
                usize::from(ext.is_some())
                    + opt
                    + members[..root_n]
                        .iter()
                        .filter(|m| !m.optional)
                        .map(|m| self.min_bits(&m.ty, depth + 1))
                        .sum::<usize>()
            }
            Ty::Choice { alts, ext } => {
                let root_n = ext.unwrap_or(alts.len());
                usize::from(ext.is_some()) + range_bits(root_n.saturating_sub(1) as u64)
            }
            Ty::Ref { name, int, size } => {
                if let Some(c) = int {
                    return int_min_bits(c);
                }
                if let Some(s) = size {
                    if let Some(n) = self.s.get(name) {
                        if let Ty::Octets(_) = self.s.resolve(&n.ty) {
                            return size_min_bits(s, 8);
                        }
                    }
                    return size_len_bits(s);
                }
                match self.s.get(name) {
                    Some(n) => self.min_bits(&n.ty, depth + 1),
                    None => 0,
                }
            }
            Ty::Open { .. } => 8,
        }
    }

    // ---------- UPER decode expressions: each evaluates to Result<T, DecodeError> ----------

    /// Decode expression reading from `r`.
    fn dec(&self, t: &Ty) -> Res<String> {
        Ok(match self.eff(t)? {
            Eff::Named(n) => format!("{n}::decode_uper(r)"),
            Eff::Bool => "r.read_bit()".into(),
            Eff::Null => "Ok::<(), DecodeError>(())".into(),
            Eff::Int(c) => dec_int(&c),
            Eff::Octets(c) => match c.fixed() {
                Some(n) => format!("r.read_array::<{n}>()"),
                None => format!("r.read_octets({}, {}, {})", c.lb, opt_usize(c.ub), c.ext),
            },
            Eff::Str(k, c) => format!(
                "r.read_string({}, {}, {}, {})",
                charset(k),
                c.lb,
                opt_usize(c.ub),
                c.ext
            ),
            Eff::SeqOf(elem, c) => format!(
                "r.read_list({}, {}, {}, {}, {})",
                c.lb,
                opt_usize(c.ub),
                c.ext,
                self.min_bits(elem, 0),
                callable(&self.dec(elem)?, &["r"])
            ),
        })
    }

    /// Encode expression writing the value at `v` into `w`: Result<(), EncodeError>.
    fn enc(&self, t: &Ty, v: Place<'_>) -> Res<String> {
        Ok(match self.eff(t)? {
            Eff::Named(_) => format!("{}.encode_uper(w)", v.recv()),
            Eff::Bool => format!("w.write_bit({})", v.val()),
            Eff::Null => "Ok::<(), EncodeError>(())".into(),
            Eff::Int(c) => enc_int(&c, v),
            Eff::Octets(c) => match c.fixed() {
                Some(_) => format!("w.write_bytes({})", v.by_ref()),
                None => format!(
                    "w.write_octets({}, {}, {}, {})",
                    v.by_ref(),
                    c.lb,
                    opt_usize(c.ub),
                    c.ext
                ),
            },
            Eff::Str(k, c) => format!(
                "w.write_string({}, {}, {}, {}, {})",
                v.by_ref(),
                charset(k),
                c.lb,
                opt_usize(c.ub),
                c.ext
            ),
            Eff::SeqOf(elem, c) => format!(
                "w.write_list({}, {}, {}, {}, {})",
                v.by_ref(),
                c.lb,
                opt_usize(c.ub),
                c.ext,
                self.enc_item(elem)?
            ),
        })
    }

    /// A function writing one item of a SEQUENCE OF: `(item, w)`.
    fn enc_item(&self, elem: &Ty) -> Res<String> {
        if let Eff::Named(n) = self.eff(elem)? {
            return Ok(format!("{n}::encode_uper"));
        }
        Ok(format!("|x, w| {}", self.enc(elem, Place::Ref("x"))?))
    }

    // ---------- JER ----------

    /// Expression of type `Value` for the value at `v`.
    fn jer_value(&self, t: &Ty, v: Place<'_>) -> Res<String> {
        Ok(match self.eff(t)? {
            Eff::Named(_) => format!("{}.to_jer()", v.recv()),
            Eff::Bool => format!("Value::Bool({})", v.val()),
            Eff::Null => "Value::Null".into(),
            Eff::Int(_) => format!("Value::from({})", v.val()),
            Eff::Octets(_) => format!("jer::hex({})", v.by_ref()),
            Eff::Str(..) => format!("Value::String({}.clone())", v.recv()),
            Eff::SeqOf(elem, _) => {
                let item = match self.eff(elem)? {
                    Eff::Named(_) => "Jer::to_jer".to_string(),
                    _ => format!("|x| {}", self.jer_value(elem, Place::Ref("x"))?),
                };
                format!("Value::Array({}.iter().map({item}).collect())", v.recv())
            }
        })
    }

    /// Expression of type `Result<T, JerError>` for JSON reference `j`.
    fn jer_parse(&self, t: &Ty, j: &str) -> Res<String> {
        Ok(match self.eff(t)? {
            Eff::Named(n) => format!("{n}::from_jer({j})"),
            Eff::Bool => format!("jer::boolean({j})"),
            Eff::Null => format!("jer::null({j})"),
            Eff::Int(c) => {
                let rt = int_rust(&c);
                if rt == "u64" {
                    format!(
                        "jer::uint({j}, {}, {})",
                        c.lb.unwrap_or(0),
                        c.ub.unwrap_or(u64::MAX as i128)
                    )
                } else {
                    let b = |x: Option<i128>| match x {
                        Some(v) => format!("Some({v})"),
                        None => "None".into(),
                    };
                    let conv = if rt == "i64" {
                        String::new()
                    } else {
                        format!(".map(|v| v as {rt})")
                    };
                    format!("jer::int({j}, {}, {}, {}){conv}", b(c.lb), b(c.ub), c.ext)
                }
            }
            Eff::Octets(c) => match c.fixed() {
                Some(n) => format!("jer::octets_fixed::<{n}>({j})"),
                None => format!("jer::octets({j}, {}, {}, {})", c.lb, opt_usize(c.ub), c.ext),
            },
            Eff::Str(k, c) => format!(
                "jer::string({j}, {}, {}, {}, {})",
                charset(k),
                c.lb,
                opt_usize(c.ub),
                c.ext
            ),
            Eff::SeqOf(elem, c) => format!(
                "jer::array({j}, {}, {}, {}).and_then(|a| a.iter().map({}).collect::<Result<Vec<_>, _>>())",
                c.lb,
                opt_usize(c.ub),
                c.ext,
                callable(&self.jer_parse(elem, "x")?, &["x"])
            ),
        })
    }
}

/// A value at a use site: a reference binding (`x`, of type `&T`) or a field of `self`.
#[derive(Clone, Copy)]
enum Place<'p> {
    Ref(&'p str),
    Field(&'p str),
}

impl Place<'_> {
    /// The value itself (for `Copy` types): `*x` or `self.f`.
    fn val(self) -> String {
        match self {
            Place::Ref(x) => format!("*{x}"),
            Place::Field(f) => format!("self.{f}"),
        }
    }

    /// A reference to it: `x` or `&self.f`.
    fn by_ref(self) -> String {
        match self {
            Place::Ref(x) => x.to_string(),
            Place::Field(f) => format!("&self.{f}"),
        }
    }

    /// A method receiver: `x` or `self.f`.
    fn recv(self) -> String {
        match self {
            Place::Ref(x) => x.to_string(),
            Place::Field(f) => format!("self.{f}"),
        }
    }
}

/// An expression in the variables `vars` as something callable: the function path itself when
/// the expression only calls it with them (`T::decode_uper(r)` → `T::decode_uper`), else a
/// closure.
fn callable(expr: &str, vars: &[&str]) -> String {
    let args = format!("({})", vars.join(", "));
    if let Some(path) = expr.strip_suffix(&args) {
        if !path.is_empty()
            && path
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '<' | '>'))
        {
            return path.to_string();
        }
    }
    format!("|{}| {expr}", vars.join(", "))
}

fn octets_rust(c: &SizeC) -> String {
    match c.fixed() {
        Some(n) => format!("[u8; {n}]"),
        None => "Vec<u8>".into(),
    }
}

fn range_bits(range: u64) -> usize {
    (64 - range.leading_zeros()) as usize
}

fn int_min_bits(c: &IntC) -> usize {
    match (c.lb, c.ub) {
        (Some(lb), Some(ub)) => usize::from(c.ext) + range_bits((ub - lb) as u64),
        _ => 8 + usize::from(c.ext),
    }
}

fn size_len_bits(s: &SizeC) -> usize {
    usize::from(s.ext)
        + match s.ub {
            Some(ub) if ub < 65536 => range_bits((ub - s.lb) as u64),
            _ => 8,
        }
}

fn size_min_bits(s: &SizeC, each: usize) -> usize {
    size_len_bits(s) + s.lb * each
}

fn dec_int(c: &IntC) -> String {
    let rt = int_rust(c);
    let cast = |e: String| {
        if rt == "i64" {
            e
        } else {
            format!("{e}.map(|v| v as {rt})")
        }
    };
    match (c.lb, c.ub, c.ext) {
        (Some(lb), Some(ub), false) => {
            if ub > i64::MAX as i128 {
                format!("r.read_constrained_u64({lb}, {ub})")
            } else {
                cast(format!("r.read_constrained({}, {})", lit(lb), lit(ub)))
            }
        }
        (Some(lb), Some(ub), true) => cast(format!("r.read_int_ext({}, {})", lit(lb), lit(ub))),
        (Some(lb), None, false) => cast(format!("r.read_semi_constrained({})", lit(lb))),
        (Some(lb), None, true) => cast(format!("r.read_semi_constrained_ext({})", lit(lb))),
        (None, _, true) => cast("r.read_unconstrained_ext()".into()),
        (None, _, false) => cast("r.read_unconstrained()".into()),
    }
}

fn enc_int(c: &IntC, v: Place<'_>) -> String {
    let rt = int_rust(c);
    let val = if rt == "i64" {
        v.val()
    } else if rt == "u64" {
        format!("{} as i64", v.val())
    } else {
        format!("i64::from({})", v.val())
    };
    match (c.lb, c.ub, c.ext) {
        (Some(lb), Some(ub), false) => {
            if ub > i64::MAX as i128 {
                format!("w.write_constrained_u64({}, {lb}, {ub})", v.val())
            } else {
                format!("w.write_constrained({val}, {}, {})", lit(lb), lit(ub))
            }
        }
        (Some(lb), Some(ub), true) => format!("w.write_int_ext({val}, {}, {})", lit(lb), lit(ub)),
        (Some(lb), None, false) => format!("w.write_semi_constrained({val}, {})", lit(lb)),
        (Some(lb), None, true) => format!("w.write_semi_constrained_ext({val}, {})", lit(lb)),
        (None, _, true) => format!("w.write_unconstrained_ext({val})"),
        (None, _, false) => format!("w.write_unconstrained({val})"),
    }
}

fn doc_lines(out: &mut String, text: &str) {
    for l in text.lines() {
        let l = l.trim();
        if l.is_empty() {
            continue;
        }
        let _ = writeln!(out, "/// {}", l.trim_start_matches("--").trim());
    }
}

fn type_doc(s: &Schema, n: &Named) -> String {
    let mut d = String::new();
    if !n.comment.trim().is_empty() {
        doc_lines(&mut d, &n.comment);
        d.push_str("///\n");
    }
    match &n.origin {
        Some((top, member)) => {
            if let Some(c) = s.member_docs.get(&(top.clone(), member.clone())) {
                doc_lines(&mut d, c);
                d.push_str("///\n");
            }
            let _ = writeln!(
                d,
                "/// The inline type of member `{member}` of ASN.1 `{top}` (module `{}`).",
                n.module
            );
        }
        None => {
            let _ = writeln!(d, "/// ASN.1 `{}` (module `{}`).", n.name, n.module);
        }
    }
    d
}

fn describe(s: &Schema, t: &Ty) -> String {
    match t {
        Ty::Ref { name, int, size } => {
            let mut d = format!("`{name}`");
            if let Some(c) = int {
                d.push_str(&format!(" {}", int_text(c)));
            }
            if let Some(c) = size {
                d.push_str(&format!(" {}", size_text(c)));
            }
            if let Some(n) = s.get(name) {
                let first = n
                    .comment
                    .lines()
                    .map(|l| l.trim().trim_start_matches("--").trim())
                    .find(|l| !l.is_empty());
                if let Some(f) = first {
                    d.push_str(": ");
                    d.push_str(f);
                }
            }
            d
        }
        Ty::Bool => "BOOLEAN".into(),
        Ty::Null => "NULL".into(),
        Ty::Int(c) => format!("INTEGER {}", int_text(c)),
        Ty::Octets(c) => format!("OCTET STRING {}", size_text(c)),
        Ty::Str { size, .. } => format!("character string {}", size_text(size)),
        Ty::SeqOf { elem, size } => {
            format!("SEQUENCE {} OF {}", size_text(size), describe(s, elem))
        }
        Ty::Open { set, key } => format!("open type from `{set}`, selected by `{key}`"),
        _ => String::new(),
    }
}

fn int_text(c: &IntC) -> String {
    let b = |x: Option<i128>, d: &str| x.map_or(d.to_string(), |v| v.to_string());
    format!(
        "({}..{}{})",
        b(c.lb, "MIN"),
        b(c.ub, "MAX"),
        if c.ext { ", ..." } else { "" }
    )
}

fn size_text(c: &SizeC) -> String {
    format!(
        "(SIZE({}..{}{}))",
        c.lb,
        c.ub.map_or("MAX".to_string(), |u| u.to_string()),
        if c.ext { ", ..." } else { "" }
    )
}

/// The lint allowed on enums that hold whole messages by value, with its reason.
const LARGE_VARIANTS: &str =
    "#[allow(clippy::large_enum_variant, reason = \"messages by value: boxing allocates\")]";

/// The size difference between the largest and the next largest variant above which an enum
/// gets [`LARGE_VARIANTS`] (clippy warns above 200 bytes; the estimate is rough).
const LARGE_VARIANT_BYTES: usize = 150;

/// The size of `UnknownAlternative` (an index and a vector).
const UNKNOWN_ALT_BYTES: usize = 32;

/// The size of the unknown variant of an open type (a vector).
const UNKNOWN_OPEN_BYTES: usize = 24;

/// The mask of presence bit `bit` (0 = last) of a SEQUENCE's optional members.
fn bit_mask(bit: usize) -> String {
    match bit {
        0 => "1".into(),
        b => format!("(1 << {b})"),
    }
}

/// The name of the enum of an open-type member's values.
fn open_enum_name(rname: &str, m: &Member) -> String {
    format!("{rname}{}", names::camel(&m.name))
}

struct Emitter<'a> {
    cx: Ctx<'a>,
    set: &'a Set,
}

impl Emitter<'_> {
    /// The comment of member `member` of type `aname`; members of a hoisted inline type are
    /// keyed by the top-level type whose text holds them.
    fn member_doc(&self, aname: &str, member: &str) -> Option<&String> {
        let s = self.cx.s;
        let owner = s
            .get(aname)
            .and_then(|n| n.origin.as_ref())
            .map_or(aname, |(top, _)| top.as_str());
        s.member_docs.get(&(owner.to_string(), member.to_string()))
    }

    /// Whether the largest alternative is much larger than the others (by a rough estimate of
    /// the Rust sizes).
    fn large_variants(&self, alts: &[Member], unknown: usize) -> Res<bool> {
        let mut sizes = alts
            .iter()
            .map(|a| self.cx.size_of(&a.ty, 0))
            .chain([unknown])
            .collect::<Vec<_>>();
        sizes.sort_unstable();
        Ok(match sizes.as_slice() {
            [.., second, largest] => largest - second > LARGE_VARIANT_BYTES,
            _ => false,
        })
    }

    /// The registry arms of the type assignment `n`: (decoding to JER, encoding from JER).
    fn registry_arms(&self, n: &Named) -> Res<(String, String)> {
        let name = &n.name;
        if has_impl(&n.ty) {
            let rname = names::ty(name);
            return Ok((
                format!("\"{name}\" => jer::decode_to_jer::<{rname}>(bytes)?"),
                format!("\"{name}\" => jer::encode_from_jer::<{rname}>(j)?"),
            ));
        }
        let t = Ty::Ref {
            name: name.clone(),
            int: None,
            size: None,
        };
        let write = format!("|x, w| {}", self.cx.enc(&t, Place::Ref("x"))?);
        Ok((
            format!(
                "\"{name}\" => jer::decode_simple_to_jer(\"{name}\", bytes, {}, {write}, |x| {})?",
                callable(&self.cx.dec(&t)?, &["r"]),
                self.cx.jer_value(&t, Place::Ref("x"))?
            ),
            format!(
                "\"{name}\" => jer::encode_simple_from_jer(\"{name}\", j, {}, {write})?",
                callable(&self.cx.jer_parse(&t, "x")?, &["x"]),
            ),
        ))
    }

    fn named(&self, out: &mut String, n: &Named) -> Res<()> {
        let rname = names::ty(&n.name);
        let doc = type_doc(self.cx.s, n);
        match &n.ty {
            Ty::Seq { members, ext } => self.seq(out, &rname, &n.name, &doc, members, *ext),
            Ty::Choice { alts, ext } => self.choice(out, &rname, &n.name, &doc, alts, *ext),
            Ty::Enum { root, ext } => {
                self.enumerated(out, &rname, &n.name, &doc, root, ext.as_deref())
            }
            Ty::Bits { size, named } => self.bits(out, &rname, &n.name, &doc, size, named),
            other => {
                out.push_str(&doc);
                let _ = writeln!(out, "///\n/// {}", describe(self.cx.s, other));
                let _ = writeln!(out, "pub type {rname} = {};\n", self.cx.rust_ty(other)?);
                Ok(())
            }
        }
    }

    fn seq(
        &self,
        out: &mut String,
        rname: &str,
        aname: &str,
        doc: &str,
        members: &[Member],
        ext: Option<usize>,
    ) -> Res<()> {
        let root_n = ext.unwrap_or(members.len());
        let (root, adds) = members.split_at(root_n);
        let opt_idx: Vec<usize> = root
            .iter()
            .enumerate()
            .filter(|(_, m)| m.optional)
            .map(|(i, _)| i)
            .collect();
        if opt_idx.len() > 64 {
            return Err(format!("{aname}: more than 64 optional members"));
        }
        let fields: Vec<String> = members.iter().map(|m| names::field(&m.name)).collect();
        if fields.iter().any(|f| f == "unknown_ext") {
            return Err(format!("{aname}: member name clashes with unknown_ext"));
        }
        // open types: generate the value enum
        let mut field_tys = Vec::new();
        for m in members {
            let t = match &m.ty {
                Ty::Open { set, key } => {
                    let en = open_enum_name(rname, m);
                    let (_, _, key_ty) = self.open_key(members, key)?;
                    self.open_enum(out, &en, set, &key_ty)?;
                    en
                }
                t => self.cx.rust_ty(t)?,
            };
            field_tys.push(t);
        }
        out.push_str(doc);
        let _ = writeln!(
            out,
            "#[derive(Debug, Clone, PartialEq)]\npub struct {rname} {{"
        );
        for (i, (m, (f, t))) in members
            .iter()
            .zip(fields.iter().zip(&field_tys))
            .enumerate()
        {
            let d = describe(self.cx.s, &m.ty);
            let kind = if i >= root_n {
                " Extension addition."
            } else if m.optional {
                " Optional."
            } else {
                ""
            };
            if let Some(c) = self.member_doc(aname, &m.name) {
                let _ = writeln!(out, "/// {c}\n///");
            }
            let _ = writeln!(out, "/// `{}`: {}.{kind}", m.name, d.trim_end_matches('.'));
            let opt = m.optional || i >= root_n;
            if opt {
                let _ = writeln!(out, "pub {f}: Option<{t}>,");
            } else {
                let _ = writeln!(out, "pub {f}: {t},");
            }
        }
        if ext.is_some() {
            let _ = writeln!(
                out,
                "/// Extension additions this version does not know, kept for re-encoding.\npub unknown_ext: UnknownExtensions,"
            );
        }
        out.push_str("}\n\n");

        // ---- decode
        let _ = writeln!(
            out,
            "impl Uper for {rname} {{\nconst NAME: &'static str = \"{aname}\";\n\nfn decode_uper(r: &mut BitReader<'_>) -> Result<Self, DecodeError> {{"
        );
        if ext.is_some() {
            out.push_str("let ext = r.read_bit()?;\n");
        }
        let nopt = opt_idx.len();
        if nopt > 0 {
            let _ = writeln!(out, "let opt = r.read_bits({nopt})?;");
        }
        let mut k = 0;
        for (i, m) in root.iter().enumerate() {
            let f = &fields[i];
            let expr = self.member_dec(rname, m, members)?;
            if m.optional {
                let mask = bit_mask(nopt - 1 - k);
                k += 1;
                let _ = writeln!(
                    out,
                    "let {f} = if opt & {mask} != 0 {{ Some({expr}.map_err(|e| e.within(\"{}\"))?) }} else {{ None }};",
                    m.name
                );
            } else {
                let _ = writeln!(
                    out,
                    "let {f} = {expr}.map_err(|e| e.within(\"{}\"))?;",
                    m.name
                );
            }
        }
        if ext.is_some() && adds.is_empty() {
            out.push_str("let unknown_ext = if ext { UnknownExtensions::read_all(r)? } else { UnknownExtensions::default() };\n");
        } else if ext.is_some() {
            for f in &fields[root_n..] {
                let _ = writeln!(out, "let mut {f} = None;");
            }
            out.push_str("let mut unknown_ext = UnknownExtensions::default();\n");
            out.push_str(
                "if ext {\nlet bm = ExtBitmap::read(r)?;\nfor i in bm.present() {\nmatch i {\n",
            );
            for (j, m) in adds.iter().enumerate() {
                let f = &fields[root_n + j];
                let inner = callable(&self.member_dec(rname, m, members)?, &["r"]);
                let _ = writeln!(
                    out,
                    "{j} => {f} = Some(decode_open_with(r, {inner}).map_err(|e| e.within(\"{}\"))?),",
                    m.name
                );
            }
            out.push_str("_ => unknown_ext.read_item(i, r)?,\n}\n}\n");
            let _ = writeln!(out, "unknown_ext.set_len(bm.len(), {});\n}}", adds.len());
        }
        let _ = writeln!(
            out,
            "Ok(Self {{ {} {} }})",
            fields.join(", "),
            if ext.is_some() { ", unknown_ext" } else { "" }
        );
        out.push_str("}\n\n");

        // ---- encode
        out.push_str("fn encode_uper(&self, w: &mut BitWriter<'_>) -> Result<(), EncodeError> {\n");
        if ext.is_some() {
            let mut conds: Vec<String> = fields[root_n..]
                .iter()
                .map(|f| format!("self.{f}.is_some()"))
                .collect();
            conds.push("!self.unknown_ext.is_empty()".into());
            let _ = writeln!(out, "let ext = {};\nw.write_bit(ext)?;", conds.join(" || "));
        }
        if nopt > 0 {
            let parts: Vec<String> = opt_idx
                .iter()
                .enumerate()
                .map(|(k, &i)| match nopt - 1 - k {
                    0 => format!("u64::from(self.{}.is_some())", fields[i]),
                    shift => format!("u64::from(self.{}.is_some()) << {shift}", fields[i]),
                })
                .collect();
            let _ = writeln!(out, "w.write_bits({}, {nopt})?;", parts.join(" | "));
        }
        for (i, m) in root.iter().enumerate() {
            let f = &fields[i];
            if m.optional {
                let e = self.member_enc(m, members, Place::Ref("x"))?;
                let _ = writeln!(
                    out,
                    "if let Some(x) = &self.{f} {{ {e}.map_err(|e| e.within(\"{}\"))?; }}",
                    m.name
                );
            } else {
                let e = self.member_enc(m, members, Place::Field(f))?;
                let _ = writeln!(out, "{e}.map_err(|e| e.within(\"{}\"))?;", m.name);
            }
        }
        if ext.is_some() && adds.is_empty() {
            out.push_str("if ext {\nself.unknown_ext.write_all(w)?;\n}\n");
        } else if ext.is_some() {
            out.push_str("if ext {\n");
            let present: Vec<String> = fields[root_n..]
                .iter()
                .map(|f| format!("self.{f}.is_some()"))
                .collect();
            let _ = writeln!(
                out,
                "let highest = [{}].iter().rposition(|&p| p);",
                present.join(", ")
            );
            let _ = writeln!(
                out,
                "let len = self.unknown_ext.encode_len({}, highest);",
                adds.len()
            );
            out.push_str("w.write_ext_bitmap(len, |i| match i {\n");
            for (j, f) in fields[root_n..].iter().enumerate() {
                let _ = writeln!(out, "{j} => self.{f}.is_some(),");
            }
            out.push_str(
                "_ => self.unknown_ext.get(i).is_some(),\n})?;\nfor i in 0..len {\nmatch i {\n",
            );
            for (j, m) in adds.iter().enumerate() {
                let f = &fields[root_n + j];
                let e = self.member_enc(m, members, Place::Ref("x"))?;
                let _ = writeln!(
                    out,
                    "{j} => if let Some(x) = &self.{f} {{ w.write_open_type(|w| {e}).map_err(|e| e.within(\"{}\"))?; }},",
                    m.name
                );
            }
            out.push_str("_ => self.unknown_ext.write_item(i, w)?,\n}\n}\n}\n");
        }
        out.push_str("Ok(())\n}\n}\n\n");

        // ---- JER
        let names_list: Vec<String> = members.iter().map(|m| format!("\"{}\"", m.name)).collect();
        let _ = writeln!(
            out,
            "#[cfg(feature = \"jer\")]\nimpl Jer for {rname} {{\nfn to_jer(&self) -> Value {{\nlet mut m = Map::new();"
        );
        for (i, m) in members.iter().enumerate() {
            let f = &fields[i];
            let opt = m.optional || i >= root_n;
            if opt {
                let e = self.member_to_jer(m, Place::Ref("x"))?;
                let _ = writeln!(
                    out,
                    "if let Some(x) = &self.{f} {{ m.insert(\"{}\".into(), {e}); }}",
                    m.name
                );
            } else {
                let e = self.member_to_jer(m, Place::Field(f))?;
                let _ = writeln!(out, "m.insert(\"{}\".into(), {e});", m.name);
            }
        }
        if ext.is_some() {
            out.push_str("if !self.unknown_ext.is_empty() { m.insert(jer::UNKNOWN_EXTENSIONS.into(), jer::unknown_extensions(&self.unknown_ext)); }\n");
        }
        out.push_str("Value::Object(m)\n}\n\nfn from_jer(j: &Value) -> Result<Self, JerError> {\n");
        let mut known_names = names_list.clone();
        if ext.is_some() {
            known_names.push("jer::UNKNOWN_EXTENSIONS".into());
        }
        let _ = writeln!(
            out,
            "let o = jer::object(j, &[{}])?;",
            known_names.join(", ")
        );
        for (i, m) in members.iter().enumerate() {
            let f = &fields[i];
            let opt = m.optional || i >= root_n;
            let e = callable(&self.member_from_jer(rname, m, members, "x")?, &["x"]);
            if opt {
                let _ = writeln!(
                    out,
                    "let {f} = o.get(\"{0}\").map({e}).transpose().map_err(|e| e.within(\"{0}\"))?;",
                    m.name
                );
            } else {
                let _ = writeln!(
                    out,
                    "let {f} = jer::member(o, \"{0}\").and_then({e}).map_err(|e| e.within(\"{0}\"))?;",
                    m.name
                );
            }
        }
        if ext.is_some() {
            let _ = writeln!(
                out,
                "let unknown_ext = o.get(jer::UNKNOWN_EXTENSIONS).map(|x| jer::unknown_extensions_from(x, {})).transpose()?.unwrap_or_default();",
                adds.len()
            );
        }
        let _ = writeln!(
            out,
            "Ok(Self {{ {} {} }})\n}}\n}}\n",
            fields.join(", "),
            if ext.is_some() { ", unknown_ext" } else { "" }
        );
        Ok(())
    }

    /// The key member of an open type: (member, its field name, its Rust type).
    fn open_key<'m>(&self, members: &'m [Member], key: &str) -> Res<(&'m Member, String, String)> {
        let k = key.trim_start_matches('@').trim_start_matches('.');
        let m = members
            .iter()
            .find(|m| m.name == k)
            .ok_or_else(|| format!("open type key {key} not found"))?;
        Ok((m, names::field(&m.name), self.cx.rust_ty(&m.ty)?))
    }

    /// Decode expression of a member (reading from `r`); an open type reads by its key, which
    /// was decoded before it.
    fn member_dec(&self, rname: &str, m: &Member, members: &[Member]) -> Res<String> {
        match &m.ty {
            Ty::Open { key, .. } => {
                let (_, kf, _) = self.open_key(members, key)?;
                Ok(format!(
                    "{}::decode_keyed({kf}, r)",
                    open_enum_name(rname, m)
                ))
            }
            t => self.cx.dec(t),
        }
    }

    fn member_enc(&self, m: &Member, members: &[Member], v: Place<'_>) -> Res<String> {
        match &m.ty {
            Ty::Open { key, .. } => {
                let (_, kf, _) = self.open_key(members, key)?;
                Ok(format!("{}.encode_keyed(self.{kf}, w)", v.recv()))
            }
            t => self.cx.enc(t, v),
        }
    }

    fn member_to_jer(&self, m: &Member, v: Place<'_>) -> Res<String> {
        match &m.ty {
            Ty::Open { .. } => Ok(format!("{}.to_jer()", v.recv())),
            t => self.cx.jer_value(t, v),
        }
    }

    fn member_from_jer(&self, rname: &str, m: &Member, members: &[Member], j: &str) -> Res<String> {
        match &m.ty {
            Ty::Open { key, .. } => {
                let (_, kf, _) = self.open_key(members, key)?;
                Ok(format!(
                    "{}::from_jer_keyed({kf}, {j})",
                    open_enum_name(rname, m)
                ))
            }
            t => self.cx.jer_parse(t, j),
        }
    }

    /// The enum of the values of an open type, selected by a key of Rust type `key_ty`, with
    /// its keyed UPER and JER functions.
    fn open_enum(&self, out: &mut String, en: &str, set: &str, key_ty: &str) -> Res<()> {
        let entries = self
            .cx
            .s
            .sets
            .get(set)
            .ok_or_else(|| format!("unknown object set {set}"))?;
        let _ = writeln!(
            out,
            "/// The open-type value of `{set}`, selected by the message id.\n#[derive(Debug, Clone, PartialEq)]"
        );
        let alts: Vec<Member> = entries
            .iter()
            .map(|e| Member {
                name: e.ty.clone(),
                ty: Ty::Ref {
                    name: e.ty.clone(),
                    int: None,
                    size: None,
                },
                optional: false,
            })
            .collect();
        if self.large_variants(&alts, UNKNOWN_OPEN_BYTES)? {
            let _ = writeln!(out, "{LARGE_VARIANTS}");
        }
        let _ = writeln!(out, "pub enum {en} {{");
        for e in entries {
            let _ = writeln!(
                out,
                "/// Message id {}: `{}`.\n{}({}),",
                e.id,
                e.ty,
                names::camel(&e.ty),
                names::ty(&e.ty)
            );
        }
        let _ = writeln!(
            out,
            "/// A message id this version does not know: the raw open-type content.\nUnknown(Vec<u8>),\n}}\n"
        );
        let _ = writeln!(
            out,
            "impl {en} {{\n/// Decodes the open-type content of message id `id`.\npub fn decode_keyed(id: {key_ty}, r: &mut BitReader<'_>) -> Result<Self, DecodeError> {{\nOk(match id {{"
        );
        for e in entries {
            let _ = writeln!(
                out,
                "{} => Self::{}(decode_open_with(r, {}::decode_uper)?),",
                e.id,
                names::camel(&e.ty),
                names::ty(&e.ty)
            );
        }
        let _ = writeln!(
            out,
            "_ => Self::Unknown(r.open_type_bytes()?),\n}})\n}}\n\n/// Encodes the value as the open-type content of message id `id`; a known message under another id is unrepresentable.\npub fn encode_keyed(&self, id: {key_ty}, w: &mut BitWriter<'_>) -> Result<(), EncodeError> {{\nmatch self {{"
        );
        for e in entries {
            let _ = writeln!(
                out,
                "Self::{}(x) if id == {} => w.write_open_type(|w| x.encode_uper(w)),",
                names::camel(&e.ty),
                e.id
            );
        }
        out.push_str("Self::Unknown(b) => w.write_open_type_bytes(b),\n_ => Err(EncodeError::new(EncodeErrorKind::Unrepresentable)),\n}\n}\n}\n\n");
        let _ = writeln!(
            out,
            "#[cfg(feature = \"jer\")]\nimpl {en} {{\n/// The JER value of the inner message (hex for an unknown id).\npub fn to_jer(&self) -> Value {{\nmatch self {{"
        );
        for e in entries {
            let _ = writeln!(out, "Self::{}(x) => x.to_jer(),", names::camel(&e.ty));
        }
        let _ = writeln!(
            out,
            "Self::Unknown(b) => jer::hex(b),\n}}\n}}\n\n/// Parses the JER value of the inner message of id `id`.\npub fn from_jer_keyed(id: {key_ty}, j: &Value) -> Result<Self, JerError> {{\nOk(match id {{"
        );
        for e in entries {
            let _ = writeln!(
                out,
                "{} => Self::{}({}::from_jer(j)?),",
                e.id,
                names::camel(&e.ty),
                names::ty(&e.ty)
            );
        }
        out.push_str("_ => Self::Unknown(jer::unhex(j)?),\n})\n}\n}\n\n");
        Ok(())
    }

    fn choice(
        &self,
        out: &mut String,
        rname: &str,
        aname: &str,
        doc: &str,
        alts: &[Member],
        ext: Option<usize>,
    ) -> Res<()> {
        let root_n = ext.unwrap_or(alts.len());
        let vars: Vec<String> = alts.iter().map(|a| names::camel(&a.name)).collect();
        if vars.iter().any(|v| v == "UnknownExt") {
            return Err(format!("{aname}: alternative clashes with UnknownExt"));
        }
        out.push_str(doc);
        let _ = writeln!(out, "#[derive(Debug, Clone, PartialEq)]");
        if self.large_variants(alts, if ext.is_some() { UNKNOWN_ALT_BYTES } else { 0 })? {
            let _ = writeln!(out, "{LARGE_VARIANTS}");
        }
        let _ = writeln!(out, "pub enum {rname} {{");
        for (i, (a, v)) in alts.iter().zip(&vars).enumerate() {
            let kind = if i >= root_n {
                " Extension alternative."
            } else {
                ""
            };
            if let Some(c) = self.member_doc(aname, &a.name) {
                let _ = writeln!(out, "/// {c}\n///");
            }
            let _ = writeln!(
                out,
                "/// `{}`: {}.{kind}\n{v}({}),",
                a.name,
                describe(self.cx.s, &a.ty).trim_end_matches('.'),
                self.cx.rust_ty(&a.ty)?
            );
        }
        if ext.is_some() {
            out.push_str("/// An extension alternative this version does not know, kept for re-encoding.\nUnknownExt(UnknownAlternative),\n");
        }
        out.push_str("}\n\n");
        let _ = writeln!(
            out,
            "impl Uper for {rname} {{\nconst NAME: &'static str = \"{aname}\";\n\nfn decode_uper(r: &mut BitReader<'_>) -> Result<Self, DecodeError> {{"
        );
        if ext.is_some() && root_n == alts.len() {
            out.push_str("if r.read_bit()? {\nreturn Ok(Self::UnknownExt(UnknownAlternative::read(r)?));\n}\n");
        } else if ext.is_some() {
            out.push_str("if r.read_bit()? {\nlet i = r.read_normally_small()? as usize;\nreturn Ok(match i {\n");
            for (j, a) in alts[root_n..].iter().enumerate() {
                let _ = writeln!(
                    out,
                    "{j} => Self::{}(decode_open_with(r, {}).map_err(|e| e.within(\"{}\"))?),",
                    vars[root_n + j],
                    callable(&self.cx.dec(&a.ty)?, &["r"]),
                    a.name
                );
            }
            out.push_str("_ => Self::UnknownExt(UnknownAlternative { index: i, content: r.open_type_bytes()? }),\n});\n}\n");
        }
        let _ = writeln!(
            out,
            "let at = r.position();\nOk(match r.read_constrained(0, {})? {{",
            root_n.saturating_sub(1)
        );
        for (i, a) in alts[..root_n].iter().enumerate() {
            let _ = writeln!(
                out,
                "{i} => Self::{}({}.map_err(|e| e.within(\"{}\"))?),",
                vars[i],
                self.cx.dec(&a.ty)?,
                a.name
            );
        }
        out.push_str("_ => return Err(r.error_at(DecodeErrorKind::InvalidChoiceIndex, at)),\n})\n");
        out.push_str("}\n\nfn encode_uper(&self, w: &mut BitWriter<'_>) -> Result<(), EncodeError> {\nmatch self {\n");
        for (i, a) in alts.iter().enumerate() {
            let e = self.cx.enc(&a.ty, Place::Ref("x"))?;
            if i < root_n {
                let pre = if ext.is_some() {
                    "w.write_bit(false)?; "
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "Self::{}(x) => {{ {pre}w.write_constrained({i}, 0, {})?; {e}.map_err(|e| e.within(\"{}\")) }}",
                    vars[i],
                    root_n.saturating_sub(1),
                    a.name
                );
            } else {
                let _ = writeln!(
                    out,
                    "Self::{}(x) => {{ w.write_bit(true)?; w.write_normally_small({})?; w.write_open_type(|w| {e}).map_err(|e| e.within(\"{}\")) }}",
                    vars[i],
                    i - root_n,
                    a.name
                );
            }
        }
        if ext.is_some() {
            out.push_str("Self::UnknownExt(u) => { w.write_bit(true)?; u.write(w) }\n");
        }
        out.push_str("}\n}\n}\n\n");
        // JER
        let _ = writeln!(
            out,
            "#[cfg(feature = \"jer\")]\nimpl Jer for {rname} {{\nfn to_jer(&self) -> Value {{\nlet (k, v) = match self {{"
        );
        for (a, v) in alts.iter().zip(&vars) {
            let _ = writeln!(
                out,
                "Self::{v}(x) => (\"{}\", {}),",
                a.name,
                self.cx.jer_value(&a.ty, Place::Ref("x"))?
            );
        }
        if ext.is_some() {
            out.push_str(
                "Self::UnknownExt(u) => (jer::UNKNOWN_EXTENSION, jer::unknown_alternative(u)),\n",
            );
        }
        out.push_str("};\nlet mut m = Map::new();\nm.insert(k.into(), v);\nValue::Object(m)\n}\n\nfn from_jer(j: &Value) -> Result<Self, JerError> {\nlet (k, x) = jer::choice(j)?;\nOk(match k {\n");
        for (a, v) in alts.iter().zip(&vars) {
            let _ = writeln!(
                out,
                "\"{0}\" => Self::{v}({1}.map_err(|e| e.within(\"{0}\"))?),",
                a.name,
                self.cx.jer_parse(&a.ty, "x")?
            );
        }
        if ext.is_some() {
            let _ = writeln!(
                out,
                "jer::UNKNOWN_EXTENSION => Self::UnknownExt(jer::unknown_alternative_from(x, {})?),",
                alts.len() - root_n
            );
        }
        out.push_str("_ => return Err(JerError::new(JerErrorKind::BadChoice)),\n})\n}\n}\n\n");
        Ok(())
    }

    fn enumerated(
        &self,
        out: &mut String,
        rname: &str,
        aname: &str,
        doc: &str,
        root: &[(String, i128)],
        ext: Option<&[(String, i128)]>,
    ) -> Res<()> {
        let all: Vec<&(String, i128)> = root.iter().chain(ext.unwrap_or(&[]).iter()).collect();
        let mut vars: Vec<String> = Vec::new();
        for (n, _) in &all {
            let mut v = names::camel(n);
            if vars.contains(&v) {
                v = names::camel_digits_apart(n);
            }
            if vars.contains(&v) || v == "UnknownExt" {
                return Err(format!("{aname}: item {n} has a clashing Rust name {v}"));
            }
            vars.push(v);
        }
        out.push_str(doc);
        let copy = "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]";
        let _ = writeln!(out, "{copy}\npub enum {rname} {{");
        for ((n, val), v) in all.iter().zip(&vars) {
            match self.member_doc(aname, n) {
                Some(c) => {
                    let _ = writeln!(out, "/// `{n}` ({val}): {c}\n{v},");
                }
                None => {
                    let _ = writeln!(out, "/// `{n}` ({val})\n{v},");
                }
            }
        }
        if ext.is_some() {
            out.push_str("/// An extension value this version does not know: its index among the extension values.\nUnknownExt(usize),\n");
        }
        out.push_str("}\n\n");
        let rn = root.len();
        let _ = writeln!(
            out,
            "impl {rname} {{\n/// The ASN.1 identifier.\npub fn as_str(&self) -> &'static str {{\nmatch self {{"
        );
        for ((n, _), v) in all.iter().zip(&vars) {
            let _ = writeln!(out, "Self::{v} => \"{n}\",");
        }
        if ext.is_some() {
            out.push_str("Self::UnknownExt(_) => \"\",\n");
        }
        out.push_str("}\n}\n\n/// The value from its ASN.1 identifier.\npub fn from_name(s: &str) -> Option<Self> {\nmatch s {\n");
        for ((n, _), v) in all.iter().zip(&vars) {
            let _ = writeln!(out, "\"{n}\" => Some(Self::{v}),");
        }
        out.push_str("_ => None,\n}\n}\n}\n\n");
        let _ = writeln!(
            out,
            "impl Uper for {rname} {{\nconst NAME: &'static str = \"{aname}\";\n\nfn decode_uper(r: &mut BitReader<'_>) -> Result<Self, DecodeError> {{"
        );
        match ext {
            Some([]) => out.push_str(
                "if r.read_bit()? {\nreturn Ok(Self::UnknownExt(r.read_normally_small()? as usize));\n}\n",
            ),
            Some(e) => {
                out.push_str("if r.read_bit()? {\nlet i = r.read_normally_small()? as usize;\nreturn Ok(match i {\n");
                for j in 0..e.len() {
                    let _ = writeln!(out, "{j} => Self::{},", vars[rn + j]);
                }
                out.push_str("_ => Self::UnknownExt(i),\n});\n}\n");
            }
            None => {}
        }
        let _ = writeln!(
            out,
            "let at = r.position();\nOk(match r.read_constrained(0, {})? {{",
            rn.saturating_sub(1)
        );
        for (i, v) in vars[..rn].iter().enumerate() {
            let _ = writeln!(out, "{i} => Self::{v},");
        }
        out.push_str("_ => return Err(r.error_at(DecodeErrorKind::InvalidEnumIndex, at)),\n})\n}\n\nfn encode_uper(&self, w: &mut BitWriter<'_>) -> Result<(), EncodeError> {\nmatch self {\n");
        for (i, v) in vars.iter().enumerate() {
            if i < rn {
                let pre = if ext.is_some() {
                    "w.write_bit(false)?; "
                } else {
                    ""
                };
                let _ = writeln!(
                    out,
                    "Self::{v} => {{ {pre}w.write_constrained({i}, 0, {}) }}",
                    rn.saturating_sub(1)
                );
            } else {
                let _ = writeln!(
                    out,
                    "Self::{v} => {{ w.write_bit(true)?; w.write_normally_small({}) }}",
                    i - rn
                );
            }
        }
        if ext.is_some() {
            out.push_str("Self::UnknownExt(i) => { w.write_bit(true)?; w.write_normally_small(*i as u64) }\n");
        }
        out.push_str("}\n}\n}\n\n");
        let unknown = if ext.is_some() {
            "if let Self::UnknownExt(i) = self {\nreturn jer::unknown_value(*i);\n}\n"
        } else {
            ""
        };
        let unknown_from = match ext {
            Some(e) => format!(
                "if let Some(i) = jer::unknown_value_from(j, {})? {{\nreturn Ok(Self::UnknownExt(i));\n}}\n",
                e.len()
            ),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "#[cfg(feature = \"jer\")]\nimpl Jer for {rname} {{\nfn to_jer(&self) -> Value {{\n{unknown}Value::String(self.as_str().into())\n}}\n\nfn from_jer(j: &Value) -> Result<Self, JerError> {{\n{unknown_from}Self::from_name(jer::ident(j)?).ok_or_else(|| JerError::new(JerErrorKind::UnknownEnumValue))\n}}\n}}\n"
        );
        Ok(())
    }

    fn bits(
        &self,
        out: &mut String,
        rname: &str,
        aname: &str,
        doc: &str,
        size: &SizeC,
        named: &[(String, i128)],
    ) -> Res<()> {
        out.push_str(doc);
        let root_fixed = size.ub.filter(|&u| u == size.lb);
        let consts = |out: &mut String| {
            for (n, v) in named {
                let c = self
                    .member_doc(aname, n)
                    .map(|c| format!(": {c}"))
                    .unwrap_or_else(|| ".".into());
                let _ = writeln!(
                    out,
                    "/// Bit `{n}`{c}\npub const {}: usize = {v};",
                    names::constant(n)
                );
            }
        };
        match root_fixed {
            Some(n) if !size.ext => {
                let nb = n.div_ceil(8);
                let _ = writeln!(
                    out,
                    "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]\npub struct {rname}(pub [u8; {nb}]);\n"
                );
                let _ = writeln!(
                    out,
                    "impl {rname} {{\n/// Size in bits.\npub const BITS: usize = {n};"
                );
                consts(out);
                out.push_str(&bit_accessors("0", ""));
                let _ = writeln!(
                    out,
                    "impl Uper for {rname} {{\nconst NAME: &'static str = \"{aname}\";\n\nfn decode_uper(r: &mut BitReader<'_>) -> Result<Self, DecodeError> {{\nr.read_bit_array::<{nb}>({n}).map(Self)\n}}\n\nfn encode_uper(&self, w: &mut BitWriter<'_>) -> Result<(), EncodeError> {{\nw.write_bits_from(&self.0, {n})\n}}\n}}\n"
                );
                let _ = writeln!(
                    out,
                    "#[cfg(feature = \"jer\")]\nimpl Jer for {rname} {{\nfn to_jer(&self) -> Value {{\njer::hex(&self.0)\n}}\n\nfn from_jer(j: &Value) -> Result<Self, JerError> {{\njer::bits_fixed::<{nb}>(j, {n}).map(Self)\n}}\n}}\n"
                );
            }
            Some(n) => {
                // SIZE(n, ...): the root value is fixed; extended values are kept whole
                let nb = n.div_ceil(8);
                let _ = writeln!(
                    out,
                    "#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]\npub struct {rname} {{\n/// The {n} root bits.\npub bits: [u8; {nb}],\n/// A value of another size (an extension of the size constraint), kept whole.\npub extended: Option<BitBuf>,\n}}\n"
                );
                let _ = writeln!(
                    out,
                    "impl {rname} {{\n/// Size in bits of a root value.\npub const BITS: usize = {n};"
                );
                consts(out);
                out.push_str(&bit_accessors("bits", " of the root value"));
                let _ = writeln!(
                    out,
                    "impl Uper for {rname} {{\nconst NAME: &'static str = \"{aname}\";\n\nfn decode_uper(r: &mut BitReader<'_>) -> Result<Self, DecodeError> {{\nif r.read_bit()? {{\nlet len_bits = r.read_count(0, None, false, 1)?;\nlet data = r.read_bits_vec(len_bits)?;\nreturn Ok(Self {{ bits: [0u8; {nb}], extended: Some(BitBuf {{ len_bits, data }}) }});\n}}\nlet a = r.read_bit_array::<{nb}>({n})?;\nOk(Self {{ bits: a, extended: None }})\n}}\n\nfn encode_uper(&self, w: &mut BitWriter<'_>) -> Result<(), EncodeError> {{\nmatch &self.extended {{\nSome(b) => {{ w.write_bit(true)?; w.write_count(b.len_bits, 0, None, false)?; w.write_bits_from(&b.data, b.len_bits) }}\nNone => {{ w.write_bit(false)?; w.write_bits_from(&self.bits, {n}) }}\n}}\n}}\n}}\n"
                );
                let _ = writeln!(
                    out,
                    "#[cfg(feature = \"jer\")]\nimpl Jer for {rname} {{\nfn to_jer(&self) -> Value {{\nmatch &self.extended {{\nSome(b) => jer::bitbuf_to(b),\nNone => jer::hex(&self.bits),\n}}\n}}\n\nfn from_jer(j: &Value) -> Result<Self, JerError> {{\nif j.is_object() {{\nreturn Ok(Self {{ bits: [0u8; {nb}], extended: Some(jer::bitbuf_from(j, 0, None, true)?) }});\n}}\nOk(Self {{ bits: jer::bits_fixed::<{nb}>(j, {n})?, extended: None }})\n}}\n}}\n"
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]\npub struct {rname}(pub BitBuf);\n"
                );
                if !named.is_empty() {
                    let _ = writeln!(out, "impl {rname} {{");
                    consts(out);
                    out.push_str("}\n\n");
                }
                let _ = writeln!(
                    out,
                    "impl Uper for {rname} {{\nconst NAME: &'static str = \"{aname}\";\n\nfn decode_uper(r: &mut BitReader<'_>) -> Result<Self, DecodeError> {{\nr.read_bitbuf({}, {}, {}).map(Self)\n}}\n\nfn encode_uper(&self, w: &mut BitWriter<'_>) -> Result<(), EncodeError> {{\nw.write_bitbuf(&self.0, {}, {}, {})\n}}\n}}\n",
                    size.lb,
                    opt_usize(size.ub),
                    size.ext,
                    size.lb,
                    opt_usize(size.ub),
                    size.ext
                );
                let _ = writeln!(
                    out,
                    "#[cfg(feature = \"jer\")]\nimpl Jer for {rname} {{\nfn to_jer(&self) -> Value {{\njer::bitbuf_to(&self.0)\n}}\n\nfn from_jer(j: &Value) -> Result<Self, JerError> {{\njer::bitbuf_from(j, {}, {}, {}).map(Self)\n}}\n}}\n",
                    size.lb,
                    opt_usize(size.ub),
                    size.ext
                );
            }
        }
        let _ = aname;
        Ok(())
    }
}

/// `get`/`set` of a fixed-size BIT STRING held in array field `field`, closing the `impl`.
fn bit_accessors(field: &str, what: &str) -> String {
    format!(
        "/// Whether bit `i` (0 = first, most significant){what} is set.\n\
         pub fn get(&self, i: usize) -> bool {{\n\
         self.{field}.get(i / 8).is_some_and(|b| b & (0x80 >> (i % 8)) != 0)\n}}\n\n\
         /// Sets or clears bit `i`{what}; bits past the size are ignored.\n\
         pub fn set(&mut self, i: usize, on: bool) {{\n\
         if i >= Self::BITS {{ return; }}\n\
         if let Some(b) = self.{field}.get_mut(i / 8) {{\n\
         if on {{ *b |= 0x80 >> (i % 8) }} else {{ *b &= !(0x80 >> (i % 8)) }}\n}}\n}}\n}}\n\n"
    )
}

fn module_file(m: &str) -> String {
    names::field(m).trim_start_matches("r#").to_string()
}

const HEADER: &str = "// Generated by asn1/codegen from the ASN.1 modules in asn1/; do not edit.\n";

/// Emits the files of one set: (file name, code).
pub fn emit_set(s: &Schema, set: &Set) -> Res<Vec<(String, String)>> {
    let em = Emitter { cx: Ctx { s }, set };
    let mut by_module: BTreeMap<String, String> = BTreeMap::new();
    for n in &s.types {
        let out = by_module.entry(n.module.clone()).or_default();
        let mut code = String::new();
        em.named(&mut code, n)
            .map_err(|e| format!("{}: {e}", n.name))?;
        out.push_str(&code);
    }
    let mut files = Vec::new();
    let mut mods = Vec::new();
    for (m, code) in &by_module {
        let f = module_file(m);
        let mut text = String::from(HEADER);
        let _ = writeln!(text, "//! Types of ASN.1 module `{m}`.\n");
        let siblings: BTreeSet<String> = s
            .types
            .iter()
            .filter(|n| n.module != *m)
            .map(|n| names::ty(&n.name))
            .collect();
        text.push_str(&crate::imports::uses(code, &siblings));
        text.push('\n');
        text.push_str(code);
        files.push((format!("{f}.rs"), text));
        mods.push((f, m.clone()));
    }
    // mod.rs with the registry
    let mut modrs = String::from(HEADER);
    let _ = writeln!(modrs, "//! {}\n", em.set.doc);
    let uses_at = modrs.len();
    for (f, m) in &mods {
        if let Some(d) = s.module_docs.get(m) {
            doc_lines(&mut modrs, d);
            modrs.push_str("///\n");
        }
        let _ = writeln!(modrs, "/// ASN.1 module `{m}`.\npub mod {f};");
    }
    modrs.push('\n');
    for (f, _) in &mods {
        let _ = writeln!(modrs, "pub use {f}::*;");
    }
    let assigned: Vec<&Named> = s.types.iter().filter(|n| n.origin.is_none()).collect();
    let names_list: Vec<String> = assigned.iter().map(|n| format!("\"{}\"", n.name)).collect();
    let _ = writeln!(
        modrs,
        "\n/// Every type of this set, by ASN.1 name (what `--type` accepts).\npub const TYPES: &[&str] = &[{}];\n",
        names_list.join(", ")
    );
    let mut registry = String::new();
    registry.push_str("/// Decodes `bytes` as the type named `ty` and re-encodes it: (JER value, re-encoding).\n/// `Ok(None)` when the set has no type of that name.\n#[cfg(feature = \"jer\")]\npub fn decode_named(ty: &str, bytes: &[u8]) -> Result<Option<(Value, Vec<u8>)>, Error> {\nOk(Some(match ty {\n");
    let arms = assigned
        .iter()
        .map(|n| em.registry_arms(n))
        .collect::<Res<Vec<_>>>()?;
    for (decode, _) in &arms {
        let _ = writeln!(registry, "{decode},");
    }
    registry.push_str("_ => return Ok(None),\n}))\n}\n\n/// Parses the JER value of the type named `ty` and encodes it in UPER. `Ok(None)` when the\n/// set has no type of that name.\n#[cfg(feature = \"jer\")]\npub fn encode_named(ty: &str, j: &Value) -> Result<Option<Vec<u8>>, Error> {\nOk(Some(match ty {\n");
    for (_, encode) in &arms {
        let _ = writeln!(registry, "{encode},");
    }
    registry.push_str("_ => return Ok(None),\n}))\n}\n");
    modrs.insert_str(
        uses_at,
        &format!("{}\n", crate::imports::uses(&registry, &BTreeSet::new())),
    );
    modrs.push_str(&registry);
    files.push(("mod.rs".into(), modrs));
    Ok(files)
}
