//! Rust emission: types, UPER encode/decode and JER for every named type of a module set.
use std::collections::BTreeMap;
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

    fn dec(&self, t: &Ty) -> Res<String> {
        let rt = self.rust_ty(t)?;
        Ok(match self.eff(t)? {
            Eff::Named(n) => format!("{n}::decode_uper(r)"),
            Eff::Bool => "r.read_bit()".into(),
            Eff::Null => "Ok::<(), DecodeError>(())".into(),
            Eff::Int(c) => dec_int(&c, &rt),
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
            Eff::SeqOf(elem, c) => {
                let et = self.rust_ty(elem)?;
                format!(
                    "(|r: &mut BitReader<'_>| -> Result<Vec<{et}>, DecodeError> {{\n\
                     let n = r.read_count({}, {}, {}, {})?;\n\
                     let mut v = Vec::with_capacity(n);\n\
                     for _ in 0..n {{ v.push({}?); }}\n\
                     Ok(v)\n}})(r)",
                    c.lb,
                    opt_usize(c.ub),
                    c.ext,
                    self.min_bits(elem, 0),
                    self.dec(elem)?
                )
            }
        })
    }

    /// Encode expression for value reference `v` (an expression of type `&T`): Result<(), EncodeError>.
    fn enc(&self, t: &Ty, v: &str) -> Res<String> {
        let rt = self.rust_ty(t)?;
        Ok(match self.eff(t)? {
            Eff::Named(_) => format!("({v}).encode_uper(w)"),
            Eff::Bool => format!("w.write_bit(*({v}))"),
            Eff::Null => "Ok::<(), EncodeError>(())".into(),
            Eff::Int(c) => enc_int(&c, &rt, v),
            Eff::Octets(c) => match c.fixed() {
                Some(_) => format!("w.write_bytes(&({v})[..])"),
                None => format!(
                    "w.write_octets({v}, {}, {}, {})",
                    c.lb,
                    opt_usize(c.ub),
                    c.ext
                ),
            },
            Eff::Str(k, c) => format!(
                "w.write_string({v}, {}, {}, {}, {})",
                charset(k),
                c.lb,
                opt_usize(c.ub),
                c.ext
            ),
            Eff::SeqOf(elem, c) => format!(
                "(|w: &mut BitWriter<'_>| -> Result<(), EncodeError> {{\n\
                 w.write_count(({v}).len(), {}, {}, {})?;\n\
                 for x in ({v}).iter() {{ {}?; }}\n\
                 Ok(())\n}})(w)",
                c.lb,
                opt_usize(c.ub),
                c.ext,
                self.enc(elem, "x")?
            ),
        })
    }

    // ---------- JER ----------

    /// Expression of type `Value` for value reference `v`.
    fn jer_value(&self, t: &Ty, v: &str) -> Res<String> {
        Ok(match self.eff(t)? {
            Eff::Named(_) => format!("({v}).to_jer()"),
            Eff::Bool => format!("Value::Bool(*({v}))"),
            Eff::Null => "Value::Null".into(),
            Eff::Int(_) => format!("Value::from(*({v}))"),
            Eff::Octets(_) => format!("jer::hex(&({v})[..])"),
            Eff::Str(..) => format!("Value::String(({v}).clone())"),
            Eff::SeqOf(elem, _) => format!(
                "Value::Array(({v}).iter().map(|x| {}).collect())",
                self.jer_value(elem, "x")?
            ),
        })
    }

    /// Expression of type `Result<T, JerError>` for JSON reference `j`.
    fn jer_parse(&self, t: &Ty, j: &str) -> Res<String> {
        let rt = self.rust_ty(t)?;
        Ok(match self.eff(t)? {
            Eff::Named(n) => format!("{n}::from_jer({j})"),
            Eff::Bool => format!("jer::boolean({j})"),
            Eff::Null => format!("jer::null({j})"),
            Eff::Int(c) => {
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
                "jer::array({j}, {}, {}, {}).and_then(|a| a.iter().map(|x| {}).collect::<Result<Vec<_>, JerError>>())",
                c.lb,
                opt_usize(c.ub),
                c.ext,
                self.jer_parse(elem, "x")?
            ),
        })
    }
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

fn dec_int(c: &IntC, rt: &str) -> String {
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
        (Some(lb), None, true) => cast(format!(
            "(|r: &mut BitReader<'_>| -> Result<i64, DecodeError> {{ if r.read_bit()? {{ r.read_unconstrained() }} else {{ r.read_semi_constrained({}) }} }})(r)",
            lit(lb)
        )),
        (None, _, true) => cast("(|r: &mut BitReader<'_>| -> Result<i64, DecodeError> { r.read_bit()?; r.read_unconstrained() })(r)".into()),
        (None, _, false) => cast("r.read_unconstrained()".into()),
    }
}

fn enc_int(c: &IntC, rt: &str, v: &str) -> String {
    let val = if rt == "i64" {
        format!("*({v})")
    } else if rt == "u64" {
        format!("*({v}) as i64")
    } else {
        format!("i64::from(*({v}))")
    };
    match (c.lb, c.ub, c.ext) {
        (Some(lb), Some(ub), false) => {
            if ub > i64::MAX as i128 {
                format!("w.write_constrained_u64(*({v}), {lb}, {ub})")
            } else {
                format!("w.write_constrained({val}, {}, {})", lit(lb), lit(ub))
            }
        }
        (Some(lb), Some(ub), true) => format!("w.write_int_ext({val}, {}, {})", lit(lb), lit(ub)),
        (Some(lb), None, false) => format!("w.write_semi_constrained({val}, {})", lit(lb)),
        (Some(lb), None, true) => format!(
            "(|w: &mut BitWriter<'_>| -> Result<(), EncodeError> {{ let v = {val}; if v >= {lb} {{ w.write_bit(false)?; w.write_semi_constrained(v, {lb}) }} else {{ w.write_bit(true)?; w.write_unconstrained(v) }} }})(w)"
        ),
        (None, _, true) => format!(
            "(|w: &mut BitWriter<'_>| -> Result<(), EncodeError> {{ w.write_bit(false)?; w.write_unconstrained({val}) }})(w)"
        ),
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
        let mut open_enums = String::new();
        let mut field_tys = Vec::new();
        for (m, f) in members.iter().zip(&fields) {
            let t = match &m.ty {
                Ty::Open { set, .. } => {
                    let en = format!("{rname}{}", names::camel(&m.name));
                    self.open_enum(&mut open_enums, &en, set)?;
                    en
                }
                t => self.cx.rust_ty(t)?,
            };
            let _ = f;
            field_tys.push(t);
        }
        out.push_str(&open_enums);
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
            "impl Uper for {rname} {{\nconst NAME: &'static str = \"{aname}\";\nfn decode_uper(r: &mut BitReader<'_>) -> Result<Self, DecodeError> {{"
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
            let expr = self.member_dec(m, members, &field_tys[i])?;
            if m.optional {
                let bit = nopt - 1 - k;
                k += 1;
                let _ = writeln!(
                    out,
                    "let {f} = if opt & (1u64 << {bit}) != 0 {{ Some({expr}.map_err(|e| e.within(\"{}\"))?) }} else {{ None }};",
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
        if ext.is_some() {
            for f in &fields[root_n..] {
                let _ = writeln!(out, "let mut {f} = None;");
            }
            out.push_str("let mut unknown_ext = UnknownExtensions::default();\n");
            out.push_str(
                "if ext {\nlet bm = ExtBitmap::read(r)?;\nfor i in bm.present() {\nmatch i {\n",
            );
            for (j, m) in adds.iter().enumerate() {
                let f = &fields[root_n + j];
                let inner = self.member_dec(m, members, &field_tys[root_n + j])?;
                let _ = writeln!(
                    out,
                    "{j} => {f} = Some(decode_open_with(r, |r| {inner}).map_err(|e| e.within(\"{}\"))?),",
                    m.name
                );
            }
            out.push_str(
                "_ => { let b = r.open_type_bytes()?; unknown_ext.items.push((i, b)); }\n}\n}\n",
            );
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
                .map(|(k, &i)| {
                    format!(
                        "(u64::from(self.{}.is_some()) << {})",
                        fields[i],
                        nopt - 1 - k
                    )
                })
                .collect();
            let _ = writeln!(out, "w.write_bits({}, {nopt})?;", parts.join(" | "));
        }
        for (i, m) in root.iter().enumerate() {
            let f = &fields[i];
            if m.optional {
                let e = self.member_enc(m, members, "x")?;
                let _ = writeln!(
                    out,
                    "if let Some(x) = &self.{f} {{ {e}.map_err(|e| e.within(\"{}\"))?; }}",
                    m.name
                );
            } else {
                let e = self.member_enc(m, members, &format!("&self.{f}"))?;
                let _ = writeln!(out, "{e}.map_err(|e| e.within(\"{}\"))?;", m.name);
            }
        }
        if ext.is_some() {
            out.push_str("if ext {\n");
            let highest: Vec<String> = fields[root_n..]
                .iter()
                .enumerate()
                .rev()
                .map(|(j, f)| format!("if self.{f}.is_some() {{ Some({j}) }} else "))
                .collect();
            let _ = writeln!(
                out,
                "let highest: Option<usize> = {} {{ None }};",
                highest.join("")
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
                let e = self.member_enc(m, members, "x")?;
                let _ = writeln!(
                    out,
                    "{j} => if let Some(x) = &self.{f} {{ w.write_open_type(|w| {e}).map_err(|e| e.within(\"{}\"))?; }},",
                    m.name
                );
            }
            out.push_str("_ => if let Some(b) = self.unknown_ext.get(i) { w.write_open_type_bytes(b)?; },\n}\n}\n}\n");
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
            let e = self.member_to_jer(m, "x")?;
            if opt {
                let _ = writeln!(
                    out,
                    "if let Some(x) = &self.{f} {{ m.insert(\"{}\".into(), {e}); }}",
                    m.name
                );
            } else {
                let _ = writeln!(
                    out,
                    "{{ let x = &self.{f}; m.insert(\"{}\".into(), {e}); }}",
                    m.name
                );
            }
        }
        if ext.is_some() {
            out.push_str("if !self.unknown_ext.is_empty() { m.insert(\"$unknownExtensions\".into(), jer::unknown_extensions(&self.unknown_ext)); }\n");
        }
        out.push_str("Value::Object(m)\n}\n\nfn from_jer(j: &Value) -> Result<Self, JerError> {\n");
        let _ = writeln!(
            out,
            "let o = jer::object(j, &[{}])?;",
            names_list.join(", ")
        );
        for (i, m) in members.iter().enumerate() {
            let f = &fields[i];
            let opt = m.optional || i >= root_n;
            let e = self.member_from_jer(m, members, "x")?;
            if opt {
                let _ = writeln!(
                    out,
                    "let {f} = match o.get(\"{0}\") {{ Some(x) => Some({e}.map_err(|e| e.within(\"{0}\"))?), None => None }};",
                    m.name
                );
            } else {
                let _ = writeln!(
                    out,
                    "let {f} = jer::member(o, \"{0}\").and_then(|x| {e}).map_err(|e| e.within(\"{0}\"))?;",
                    m.name
                );
            }
        }
        let _ = writeln!(
            out,
            "Ok(Self {{ {} {} }})\n}}\n}}\n",
            fields.join(", "),
            if ext.is_some() {
                ", unknown_ext: UnknownExtensions::default()"
            } else {
                ""
            }
        );
        Ok(())
    }

    fn open_key<'m>(&self, members: &'m [Member], key: &str) -> Res<(&'m Member, String)> {
        let k = key.trim_start_matches('@').trim_start_matches('.');
        let m = members
            .iter()
            .find(|m| m.name == k)
            .ok_or_else(|| format!("open type key {key} not found"))?;
        Ok((m, names::field(&m.name)))
    }

    fn member_dec(&self, m: &Member, members: &[Member], rust_ty: &str) -> Res<String> {
        match &m.ty {
            Ty::Open { set, key } => {
                let (_, kf) = self.open_key(members, key)?;
                let entries = self
                    .cx
                    .s
                    .sets
                    .get(set)
                    .ok_or_else(|| format!("unknown object set {set}"))?;
                let mut s = format!(
                    "(|r: &mut BitReader<'_>| -> Result<{rust_ty}, DecodeError> {{ Ok(match i64::from({kf}) {{\n"
                );
                for e in entries {
                    let v = names::camel(&e.ty);
                    let _ = writeln!(
                        s,
                        "{} => {rust_ty}::{v}(decode_open_with(r, |r| {}::decode_uper(r))?),",
                        e.id,
                        names::ty(&e.ty)
                    );
                }
                s.push_str(&format!(
                    "_ => {rust_ty}::Unknown(r.open_type_bytes()?),\n}}) }})(r)"
                ));
                Ok(s)
            }
            t => self.cx.dec(t),
        }
    }

    fn member_enc(&self, m: &Member, members: &[Member], v: &str) -> Res<String> {
        match &m.ty {
            Ty::Open { set, key } => {
                let (_, kf) = self.open_key(members, key)?;
                let entries = self
                    .cx
                    .s
                    .sets
                    .get(set)
                    .ok_or_else(|| format!("unknown object set {set}"))?;
                let en = self.open_enum_name(m, members)?;
                let mut s = format!(
                    "(|w: &mut BitWriter<'_>| -> Result<(), EncodeError> {{ match {v} {{\n"
                );
                for e in entries {
                    let var = names::camel(&e.ty);
                    let _ = writeln!(
                        s,
                        "{en}::{var}(x) => {{ if i64::from(self.{kf}) != {} {{ return Err(EncodeError::new(EncodeErrorKind::Unrepresentable)); }} w.write_open_type(|w| x.encode_uper(w)) }}",
                        e.id
                    );
                }
                s.push_str(&format!(
                    "{en}::Unknown(b) => w.write_open_type_bytes(b),\n}} }})(w)"
                ));
                Ok(s)
            }
            t => self.cx.enc(t, v),
        }
    }

    fn open_enum_name(&self, _m: &Member, _members: &[Member]) -> Res<String> {
        Ok("Self::OPEN".into())
    }

    fn member_to_jer(&self, m: &Member, v: &str) -> Res<String> {
        match &m.ty {
            Ty::Open { .. } => Ok(format!("({v}).to_jer()")),
            t => self.cx.jer_value(t, v),
        }
    }

    fn member_from_jer(&self, m: &Member, members: &[Member], j: &str) -> Res<String> {
        match &m.ty {
            Ty::Open { key, .. } => {
                let (_, kf) = self.open_key(members, key)?;
                Ok(format!("OPENTY::from_jer_keyed(i64::from({kf}), {j})"))
            }
            t => self.cx.jer_parse(t, j),
        }
    }

    fn open_enum(&self, out: &mut String, en: &str, set: &str) -> Res<()> {
        let entries = self
            .cx
            .s
            .sets
            .get(set)
            .ok_or_else(|| format!("unknown object set {set}"))?;
        let _ = writeln!(
            out,
            "/// The open-type value of `{set}`, selected by the message id.\n#[derive(Debug, Clone, PartialEq)]\n#[allow(clippy::large_enum_variant)]\npub enum {en} {{"
        );
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
            "#[cfg(feature = \"jer\")]\nimpl {en} {{\n/// The JER value of the inner message (hex for an unknown id).\npub fn to_jer(&self) -> Value {{\nmatch self {{"
        );
        for e in entries {
            let _ = writeln!(out, "Self::{}(x) => x.to_jer(),", names::camel(&e.ty));
        }
        let _ = writeln!(
            out,
            "Self::Unknown(b) => jer::hex(b),\n}}\n}}\n\n/// Parses the JER value of the inner message of id `id`.\npub fn from_jer_keyed(id: i64, j: &Value) -> Result<Self, JerError> {{\nOk(match id {{"
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
        let _ = writeln!(
            out,
            "#[derive(Debug, Clone, PartialEq)]\n#[allow(clippy::large_enum_variant)]\npub enum {rname} {{"
        );
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
            "impl Uper for {rname} {{\nconst NAME: &'static str = \"{aname}\";\nfn decode_uper(r: &mut BitReader<'_>) -> Result<Self, DecodeError> {{"
        );
        let root_dec = {
            let mut s = format!(
                "let at = r.position();\nlet i = r.read_constrained(0, {})?;\nOk(match i {{\n",
                root_n.saturating_sub(1)
            );
            for (i, a) in alts[..root_n].iter().enumerate() {
                let _ = writeln!(
                    s,
                    "{i} => Self::{}({}.map_err(|e| e.within(\"{}\"))?),",
                    vars[i],
                    self.cx.dec(&a.ty)?,
                    a.name
                );
            }
            s.push_str(
                "_ => return Err(r.error_at(DecodeErrorKind::InvalidChoiceIndex, at)),\n})\n",
            );
            s
        };
        if ext.is_some() {
            out.push_str("if r.read_bit()? {\nlet i = r.read_normally_small()? as usize;\nreturn Ok(match i {\n");
            for (j, a) in alts[root_n..].iter().enumerate() {
                let _ = writeln!(
                    out,
                    "{j} => Self::{}(decode_open_with(r, |r| {}).map_err(|e| e.within(\"{}\"))?),",
                    vars[root_n + j],
                    self.cx.dec(&a.ty)?,
                    a.name
                );
            }
            out.push_str("_ => Self::UnknownExt(UnknownAlternative { index: i, content: r.open_type_bytes()? }),\n});\n}\n");
        }
        out.push_str(&root_dec);
        out.push_str("}\n\nfn encode_uper(&self, w: &mut BitWriter<'_>) -> Result<(), EncodeError> {\nmatch self {\n");
        for (i, a) in alts.iter().enumerate() {
            let e = self.cx.enc(&a.ty, "x")?;
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
            out.push_str("Self::UnknownExt(u) => { w.write_bit(true)?; w.write_normally_small(u.index as u64)?; w.write_open_type_bytes(&u.content) }\n");
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
                self.cx.jer_value(&a.ty, "x")?
            );
        }
        if ext.is_some() {
            out.push_str(
                "Self::UnknownExt(u) => (\"$unknownExtension\", jer::unknown_alternative(u)),\n",
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
            while vars.contains(&v) || v == "UnknownExt" {
                v.push('_');
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
            "impl Uper for {rname} {{\nconst NAME: &'static str = \"{aname}\";\nfn decode_uper(r: &mut BitReader<'_>) -> Result<Self, DecodeError> {{"
        );
        if let Some(e) = ext {
            out.push_str("if r.read_bit()? {\nlet i = r.read_normally_small()? as usize;\nreturn Ok(match i {\n");
            for j in 0..e.len() {
                let _ = writeln!(out, "{j} => Self::{},", vars[rn + j]);
            }
            out.push_str("_ => Self::UnknownExt(i),\n});\n}\n");
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
        let _ = writeln!(
            out,
            "#[cfg(feature = \"jer\")]\nimpl Jer for {rname} {{\nfn to_jer(&self) -> Value {{\n{unknown}Value::String(self.as_str().into())\n}}\n\nfn from_jer(j: &Value) -> Result<Self, JerError> {{\nSelf::from_name(jer::ident(j)?).ok_or_else(|| JerError::new(JerErrorKind::UnknownEnumValue))\n}}\n}}\n"
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
                    "impl Uper for {rname} {{\nconst NAME: &'static str = \"{aname}\";\nfn decode_uper(r: &mut BitReader<'_>) -> Result<Self, DecodeError> {{\nlet a = r.read_bit_array::<{nb}>({n})?;\nOk(Self(a))\n}}\n\nfn encode_uper(&self, w: &mut BitWriter<'_>) -> Result<(), EncodeError> {{\nw.write_bits_from(&self.0, {n})\n}}\n}}\n"
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
                    "impl Uper for {rname} {{\nconst NAME: &'static str = \"{aname}\";\nfn decode_uper(r: &mut BitReader<'_>) -> Result<Self, DecodeError> {{\nif r.read_bit()? {{\nlet len_bits = r.read_count(0, None, false, 1)?;\nlet data = r.read_bits_vec(len_bits)?;\nreturn Ok(Self {{ bits: [0u8; {nb}], extended: Some(BitBuf {{ len_bits, data }}) }});\n}}\nlet a = r.read_bit_array::<{nb}>({n})?;\nOk(Self {{ bits: a, extended: None }})\n}}\n\nfn encode_uper(&self, w: &mut BitWriter<'_>) -> Result<(), EncodeError> {{\nmatch &self.extended {{\nSome(b) => {{ w.write_bit(true)?; w.write_count(b.len_bits, 0, None, false)?; w.write_bits_from(&b.data, b.len_bits) }}\nNone => {{ w.write_bit(false)?; w.write_bits_from(&self.bits, {n}) }}\n}}\n}}\n}}\n"
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
                    "impl Uper for {rname} {{\nconst NAME: &'static str = \"{aname}\";\nfn decode_uper(r: &mut BitReader<'_>) -> Result<Self, DecodeError> {{\nr.read_bitbuf({}, {}, {}).map(Self)\n}}\n\nfn encode_uper(&self, w: &mut BitWriter<'_>) -> Result<(), EncodeError> {{\nw.write_bitbuf(&self.0, {}, {}, {})\n}}\n}}\n",
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
        // open types refer to their enum through placeholders resolved here
        if code.contains("Self::OPEN") || code.contains("OPENTY::") {
            let rname = names::ty(&n.name);
            if let Ty::Seq { members, .. } = &n.ty {
                for m in members {
                    if let Ty::Open { .. } = m.ty {
                        let en = format!("{rname}{}", names::camel(&m.name));
                        code = code
                            .replace("Self::OPEN", &en)
                            .replace("OPENTY::", &format!("{en}::"));
                    }
                }
            }
        }
        out.push_str(&code);
    }
    let mut files = Vec::new();
    let mut mods = Vec::new();
    for (m, code) in &by_module {
        let f = module_file(m);
        let mut text = String::from(HEADER);
        let _ = writeln!(
            text,
            "//! Types of ASN.1 module `{m}`.\n#![allow(clippy::all, unused_imports, unused_parens, unused_variables, unused_mut)]\n"
        );
        text.push_str("use alloc::string::String;\nuse alloc::vec::Vec;\n\nuse super::*;\nuse crate::codec::uper::*;\nuse crate::codec::{DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind};\n#[cfg(feature = \"jer\")]\nuse crate::codec::jer::{self, Jer, JerError, JerErrorKind, Map, Value};\n\n");
        text.push_str(code);
        files.push((format!("{f}.rs"), text));
        mods.push((f, m.clone()));
    }
    // mod.rs with the registry
    let mut modrs = String::from(HEADER);
    let _ = writeln!(modrs, "//! {}\n#![allow(clippy::all)]\n", em.set.doc);
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
    let top: Vec<&Named> = s
        .types
        .iter()
        .filter(|n| matches!(n.ty, Ty::Seq { .. } | Ty::Choice { .. }) && !n.name.contains('_'))
        .collect();
    let names_list: Vec<String> = top.iter().map(|n| format!("\"{}\"", n.name)).collect();
    let _ = writeln!(
        modrs,
        "\n/// The SEQUENCE and CHOICE types of this set, by ASN.1 name (what `--type` accepts).\npub const TYPES: &[&str] = &[{}];\n",
        names_list.join(", ")
    );
    modrs.push_str("/// Decodes `bytes` as the type named `ty` and re-encodes it: (JER value, re-encoding).\n#[cfg(feature = \"jer\")]\npub fn decode_named(ty: &str, bytes: &[u8]) -> Result<Option<(crate::codec::jer::Value, alloc::vec::Vec<u8>)>, crate::codec::Error> {\nuse crate::codec::jer::Jer;\nuse crate::codec::uper::Uper;\nOk(Some(match ty {\n");
    for n in &top {
        let _ = writeln!(
            modrs,
            "\"{}\" => {{ let v = {}::decode(bytes)?; (v.to_jer(), v.encode()?) }}",
            n.name,
            names::ty(&n.name)
        );
    }
    modrs.push_str("_ => return Ok(None),\n}))\n}\n\n/// Parses the JER value of the type named `ty` and encodes it in UPER.\n#[cfg(feature = \"jer\")]\npub fn encode_named(ty: &str, j: &crate::codec::jer::Value) -> Result<Option<alloc::vec::Vec<u8>>, crate::codec::Error> {\nuse crate::codec::jer::Jer;\nuse crate::codec::uper::Uper;\nOk(Some(match ty {\n");
    for n in &top {
        let _ = writeln!(
            modrs,
            "\"{}\" => {}::from_jer(j)?.encode()?,",
            n.name,
            names::ty(&n.name)
        );
    }
    modrs.push_str("_ => return Ok(None),\n}))\n}\n");
    files.push(("mod.rs".into(), modrs));
    Ok(files)
}
