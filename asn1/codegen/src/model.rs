//! The generator's own model of a module set: every type resolved to what its UPER encoding
//! needs (PER-visible bounds, extensibility, members), built from rasn-compiler's parse tree.
use std::collections::BTreeMap;

use rasn_compiler::prelude::ToplevelDefinition;
use rasn_compiler::prelude::ir::*;

/// Integer bounds (PER-visible).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntC {
    pub lb: Option<i128>,
    pub ub: Option<i128>,
    pub ext: bool,
}

/// Size bounds (PER-visible).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SizeC {
    pub lb: usize,
    pub ub: Option<usize>,
    pub ext: bool,
}

impl SizeC {
    pub fn fixed(&self) -> Option<usize> {
        match self.ub {
            Some(ub) if ub == self.lb && !self.ext => Some(ub),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StrKind {
    Ia5,
    Visible,
    Printable,
    Numeric,
    Utf8,
}

#[derive(Debug, Clone)]
pub struct Member {
    pub name: String,
    pub ty: Ty,
    pub optional: bool,
}

#[derive(Debug, Clone)]
pub enum Ty {
    Bool,
    Null,
    Int(IntC),
    Bits {
        size: SizeC,
        named: Vec<(String, i128)>,
    },
    Octets(SizeC),
    Str {
        kind: StrKind,
        size: SizeC,
    },
    Enum {
        root: Vec<(String, i128)>,
        ext: Option<Vec<(String, i128)>>,
    },
    Seq {
        members: Vec<Member>,
        ext: Option<usize>,
    },
    Choice {
        alts: Vec<Member>,
        ext: Option<usize>,
    },
    SeqOf {
        elem: Box<Ty>,
        size: SizeC,
    },
    /// A reference to a named type, possibly further constrained.
    Ref {
        name: String,
        int: Option<IntC>,
        size: Option<SizeC>,
    },
    /// An open type whose actual type is chosen by `key` (a sibling member) in object set `set`.
    Open {
        set: String,
        key: String,
    },
}

/// One alternative of an information object set: key value and type name.
#[derive(Debug, Clone)]
pub struct SetEntry {
    pub id: i128,
    pub ty: String,
}

#[derive(Debug, Clone)]
pub struct Named {
    pub name: String,
    pub module: String,
    pub ty: Ty,
    pub comment: String,
    /// For an inline type hoisted out of a member: (top-level type, member), the key of the
    /// member's comment in [`Schema::member_docs`].
    pub origin: Option<(String, String)>,
}

#[derive(Debug, Default)]
pub struct Schema {
    /// Named types in definition order, per module.
    pub types: Vec<Named>,
    pub index: BTreeMap<String, usize>,
    pub sets: BTreeMap<String, Vec<SetEntry>>,
    /// Comments of members, enumeration items and named bits: (type, member) → text.
    pub member_docs: BTreeMap<(String, String), String>,
    /// The comment lines above each module header: module → text.
    pub module_docs: BTreeMap<String, String>,
}

impl Schema {
    pub fn get(&self, name: &str) -> Option<&Named> {
        self.index.get(name).map(|&i| &self.types[i])
    }

    /// Follows references to the first non-reference type.
    pub fn resolve<'a>(&'a self, ty: &'a Ty) -> &'a Ty {
        let mut t = ty;
        for _ in 0..64 {
            match t {
                Ty::Ref { name, .. } => match self.get(name) {
                    Some(n) => t = &n.ty,
                    None => return t,
                },
                _ => return t,
            }
        }
        t
    }
}

pub type Res<T> = Result<T, String>;

/// (lower bound, upper bound, extensible).
type Bounds = (Option<i128>, Option<i128>, bool);

fn value_int(v: &ASN1Value, values: &BTreeMap<String, i128>) -> Res<i128> {
    match v {
        ASN1Value::Integer(i) => Ok(*i),
        ASN1Value::ElsewhereDeclaredValue { identifier, .. } => values
            .get(identifier)
            .copied()
            .ok_or_else(|| format!("unknown value reference {identifier}")),
        ASN1Value::LinkedIntValue { value, .. } => Ok(*value),
        ASN1Value::LinkedElsewhereDefinedValue { identifier, .. } => values
            .get(identifier)
            .copied()
            .ok_or_else(|| format!("unknown value reference {identifier}")),
        other => Err(format!("unsupported value in constraint: {other:?}")),
    }
}

/// Collects (lb, ub, ext) from the constraints by a small interpretation of the subtype
/// elements we meet in these modules: single values, ranges, SIZE, unions of them.
fn bounds(
    cs: &[Constraint],
    want_size: bool,
    values: &BTreeMap<String, i128>,
) -> Res<Option<Bounds>> {
    let mut out: Option<Bounds> = None;
    for c in cs {
        let Constraint::Subtype(spec) = c else {
            continue;
        };
        if let Some(b) = set_bounds(&spec.set, want_size, values)? {
            // serial application: the last PER-visible constraint decides
            out = Some((b.0, b.1, b.2 || spec.extensible));
        }
    }
    Ok(out)
}

fn set_bounds(
    set: &ElementOrSetOperation,
    want_size: bool,
    values: &BTreeMap<String, i128>,
) -> Res<Option<Bounds>> {
    match set {
        ElementOrSetOperation::Element(e) => elem_bounds(e, want_size, values),
        ElementOrSetOperation::SetOperation(op) => {
            let a = elem_bounds(&op.base, want_size, values)?;
            let b = set_bounds(&op.operant, want_size, values)?;
            Ok(match (a, b, &op.operator) {
                (Some(a), Some(b), SetOperator::Union) => {
                    Some((min_opt(a.0, b.0), max_opt(a.1, b.1), a.2 || b.2))
                }
                (Some(a), Some(b), SetOperator::Intersection) => Some((
                    match (a.0, b.0) {
                        (Some(x), Some(y)) => Some(x.max(y)),
                        (x, y) => x.or(y),
                    },
                    match (a.1, b.1) {
                        (Some(x), Some(y)) => Some(x.min(y)),
                        (x, y) => x.or(y),
                    },
                    a.2 && b.2,
                )),
                (a, b, _) => a.or(b),
            })
        }
    }
}

fn min_opt(a: Option<i128>, b: Option<i128>) -> Option<i128> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        _ => None,
    }
}
fn max_opt(a: Option<i128>, b: Option<i128>) -> Option<i128> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        _ => None,
    }
}

fn elem_bounds(
    e: &SubtypeElements,
    want_size: bool,
    values: &BTreeMap<String, i128>,
) -> Res<Option<Bounds>> {
    match e {
        SubtypeElements::SizeConstraint(inner) => {
            if want_size {
                set_bounds(inner, false, values)
            } else {
                Ok(None)
            }
        }
        _ if want_size => Ok(None),
        SubtypeElements::SingleValue { value, extensible } => {
            let v = value_int(value, values)?;
            Ok(Some((Some(v), Some(v), *extensible)))
        }
        SubtypeElements::ValueRange {
            min,
            max,
            extensible,
        } => {
            let lo = match min {
                Some(v) => Some(value_int(v, values)?),
                None => None,
            };
            let hi = match max {
                Some(v) => Some(value_int(v, values)?),
                None => None,
            };
            Ok(Some((lo, hi, *extensible)))
        }
        SubtypeElements::PermittedAlphabet(_) => {
            Err("permitted-alphabet constraints are not supported".into())
        }
        _ => Ok(None),
    }
}

fn int_c(cs: &[Constraint], values: &BTreeMap<String, i128>) -> Res<Option<IntC>> {
    Ok(bounds(cs, false, values)?.map(|(lb, ub, ext)| IntC { lb, ub, ext }))
}

fn size_c(cs: &[Constraint], values: &BTreeMap<String, i128>) -> Res<Option<SizeC>> {
    Ok(bounds(cs, true, values)?.map(|(lb, ub, ext)| SizeC {
        lb: lb.unwrap_or(0).max(0) as usize,
        ub: ub.map(|u| u as usize),
        ext,
    }))
}

const NO_SIZE: SizeC = SizeC {
    lb: 0,
    ub: None,
    ext: false,
};

pub struct Builder<'a> {
    pub values: &'a BTreeMap<String, i128>,
    pub classes: &'a BTreeMap<String, ObjectClassDefn>,
    /// Inline types hoisted into named types: (name, module, ty).
    pub hoisted: Vec<Named>,
    pub module: String,
    /// The top-level type being converted.
    pub top: String,
    /// The member being converted (innermost).
    pub member: Option<String>,
}

impl Builder<'_> {
    pub fn convert(&mut self, owner: &str, t: &ASN1Type) -> Res<Ty> {
        let v = self.values;
        Ok(match t {
            ASN1Type::Null => Ty::Null,
            ASN1Type::Boolean(_) => Ty::Bool,
            ASN1Type::Integer(i) => Ty::Int(int_c(&i.constraints, v)?.unwrap_or(IntC {
                lb: None,
                ub: None,
                ext: false,
            })),
            ASN1Type::BitString(b) => Ty::Bits {
                size: size_c(&b.constraints, v)?.unwrap_or(NO_SIZE),
                named: b
                    .distinguished_values
                    .iter()
                    .flatten()
                    .map(|d| (d.name.clone(), d.value))
                    .collect(),
            },
            ASN1Type::OctetString(o) => Ty::Octets(size_c(&o.constraints, v)?.unwrap_or(NO_SIZE)),
            ASN1Type::CharacterString(c) => {
                let kind = match c.ty {
                    CharacterStringType::IA5String => StrKind::Ia5,
                    CharacterStringType::VisibleString => StrKind::Visible,
                    CharacterStringType::PrintableString => StrKind::Printable,
                    CharacterStringType::NumericString => StrKind::Numeric,
                    CharacterStringType::UTF8String => StrKind::Utf8,
                    ref other => return Err(format!("{owner}: unsupported string type {other:?}")),
                };
                Ty::Str {
                    kind,
                    size: size_c(&c.constraints, v)?.unwrap_or(NO_SIZE),
                }
            }
            ASN1Type::Enumerated(e) => {
                let split = e.extensible.unwrap_or(e.members.len());
                let mut root: Vec<(String, i128)> = e.members[..split]
                    .iter()
                    .map(|m| (m.name.clone(), m.index))
                    .collect();
                root.sort_by_key(|x| x.1);
                let ext = e.extensible.map(|_| {
                    e.members[split..]
                        .iter()
                        .map(|m| (m.name.clone(), m.index))
                        .collect()
                });
                Ty::Enum { root, ext }
            }
            ASN1Type::Sequence(s) | ASN1Type::Set(s) => {
                let mut members = Vec::new();
                for m in &s.members {
                    let inner_owner = format!("{owner}{}", crate::names::camel(&m.name));
                    let prev = self.member.replace(m.name.clone());
                    let ty = self.member_ty(&inner_owner, &m.ty, &m.constraints);
                    self.member = prev;
                    let ty = ty?;
                    members.push(Member {
                        name: m.name.clone(),
                        ty,
                        optional: !matches!(m.optionality, Optionality::Required),
                    });
                }
                // fix up open types: the key is the sibling referenced by the table constraint
                Ty::Seq {
                    members,
                    ext: s.extensible,
                }
            }
            ASN1Type::Choice(c) => {
                let mut alts = Vec::new();
                for o in &c.options {
                    let inner_owner = format!("{owner}{}", crate::names::camel(&o.name));
                    let prev = self.member.replace(o.name.clone());
                    let ty = self.member_ty(&inner_owner, &o.ty, &o.constraints);
                    self.member = prev;
                    let ty = ty?;
                    alts.push(Member {
                        name: o.name.clone(),
                        ty,
                        optional: false,
                    });
                }
                Ty::Choice {
                    alts,
                    ext: c.extensible,
                }
            }
            ASN1Type::SequenceOf(s) | ASN1Type::SetOf(s) => {
                let elem_owner = format!("{owner}Item");
                let elem = self.member_ty(&elem_owner, &s.element_type, &[])?;
                Ty::SeqOf {
                    elem: Box::new(elem),
                    size: size_c(&s.constraints, v)?.unwrap_or(NO_SIZE),
                }
            }
            ASN1Type::ElsewhereDeclaredType(d) => Ty::Ref {
                name: d.identifier.clone(),
                int: int_c(&d.constraints, v)?,
                size: size_c(&d.constraints, v)?,
            },
            ASN1Type::ObjectClassField(f) => self.class_field(owner, f)?,
            other => return Err(format!("{owner}: unsupported type {}", other.as_str())),
        })
    }

    /// A member's type: inline structured types become named types of their own.
    fn member_ty(&mut self, owner: &str, t: &ASN1Type, extra: &[Constraint]) -> Res<Ty> {
        let mut ty = self.convert(owner, t)?;
        if !extra.is_empty() {
            if let Some(c) = int_c(extra, self.values)? {
                if let Ty::Int(_) = ty {
                    ty = Ty::Int(c);
                } else if let Ty::Ref { int, .. } = &mut ty {
                    *int = Some(c);
                }
            }
            if let Some(c) = size_c(extra, self.values)? {
                match &mut ty {
                    Ty::Octets(s)
                    | Ty::Str { size: s, .. }
                    | Ty::SeqOf { size: s, .. }
                    | Ty::Bits { size: s, .. } => *s = c,
                    Ty::Ref { size, .. } => *size = Some(c),
                    _ => {}
                }
            }
        }
        let hoist = matches!(
            ty,
            Ty::Seq { .. } | Ty::Choice { .. } | Ty::Enum { .. } | Ty::Bits { .. }
        );
        if hoist {
            self.hoisted.push(Named {
                name: owner.to_string(),
                module: self.module.clone(),
                ty,
                comment: String::new(),
                origin: self.member.clone().map(|m| (self.top.clone(), m)),
            });
            return Ok(Ty::Ref {
                name: owner.to_string(),
                int: None,
                size: None,
            });
        }
        Ok(ty)
    }

    fn class_field(&mut self, owner: &str, f: &ObjectClassFieldType) -> Res<Ty> {
        let class = self
            .classes
            .get(&f.class)
            .ok_or_else(|| format!("{owner}: unknown class {}", f.class))?;
        let field_name =
            f.field_path
                .last()
                .map(|p| match p {
                    ObjectFieldIdentifier::SingleValue(s)
                    | ObjectFieldIdentifier::MultipleValue(s) => s.clone(),
                })
                .ok_or_else(|| format!("{owner}: empty field path"))?;
        let field = class
            .fields
            .iter()
            .find(|fl| {
                let n = match &fl.identifier {
                    ObjectFieldIdentifier::SingleValue(s)
                    | ObjectFieldIdentifier::MultipleValue(s) => s,
                };
                *n == field_name
            })
            .ok_or_else(|| format!("{owner}: class {} has no field {field_name}", f.class))?;
        match &field.ty {
            Some(t) => {
                // a value field: its type, constrained by the table (values come from the set)
                self.convert(owner, t)
            }
            None => {
                // a type field: an open type keyed through the table constraint
                let (set, key) = table_of(&f.constraints)
                    .ok_or_else(|| format!("{owner}: open type without table constraint"))?;
                Ok(Ty::Open { set, key })
            }
        }
    }
}

fn table_of(cs: &[Constraint]) -> Option<(String, String)> {
    for c in cs {
        if let Constraint::Table(t) = c {
            let set = t.object_set.values.iter().find_map(|v| match v {
                ObjectSetValue::Reference(r) => Some(r.clone()),
                _ => None,
            })?;
            let key = t.linked_fields.first()?.field_name.clone();
            return Some((set, key));
        }
    }
    None
}

/// Builds the schema of one module set.
pub fn build(tlds: &[ToplevelDefinition]) -> Res<Schema> {
    let mut values = BTreeMap::new();
    let mut classes = BTreeMap::new();
    for t in tlds {
        match t {
            ToplevelDefinition::Value(v) => {
                if let ASN1Value::Integer(i) = v.value {
                    values.insert(v.name.clone(), i);
                }
                if let ASN1Value::LinkedIntValue { value, .. } = v.value {
                    values.insert(v.name.clone(), value);
                }
            }
            ToplevelDefinition::Class(c) => {
                classes.insert(c.name.clone(), c.definition.clone());
            }
            _ => {}
        }
    }
    let mut schema = Schema::default();
    for t in tlds {
        let ToplevelDefinition::Object(o) = t else {
            continue;
        };
        let ASN1Information::ObjectSet(set) = &o.value else {
            continue;
        };
        let mut entries = Vec::new();
        for v in &set.values {
            let ObjectSetValue::Inline(fields) = v else {
                continue;
            };
            let mut id = None;
            let mut ty = None;
            match fields {
                InformationObjectFields::CustomSyntax(items) => {
                    for it in items {
                        match it {
                            SyntaxApplication::TypeReference(ASN1Type::ElsewhereDeclaredType(
                                d,
                            )) => ty = Some(d.identifier.clone()),
                            SyntaxApplication::LiteralOrTypeReference(d) if ty.is_none() => {
                                ty = Some(d.identifier.clone())
                            }
                            SyntaxApplication::ValueReference(val) => {
                                id = Some(value_int(val, &values)?)
                            }
                            _ => {}
                        }
                    }
                }
                InformationObjectFields::DefaultSyntax(fs) => {
                    for f in fs {
                        match f {
                            InformationObjectField::TypeField(tf) => {
                                if let ASN1Type::ElsewhereDeclaredType(d) = &tf.ty {
                                    ty = Some(d.identifier.clone());
                                }
                            }
                            InformationObjectField::FixedValueField(vf) => {
                                id = Some(value_int(&vf.value, &values)?)
                            }
                            _ => {}
                        }
                    }
                }
            }
            match (id, ty) {
                (Some(id), Some(ty)) => entries.push(SetEntry { id, ty }),
                other => {
                    return Err(format!(
                        "object set {}: cannot read object {other:?}",
                        o.name
                    ));
                }
            }
        }
        schema.sets.insert(o.name.clone(), entries);
    }
    for t in tlds {
        let ToplevelDefinition::Type(td) = t else {
            continue;
        };
        let module = td
            .module_header
            .as_ref()
            .map(|h| h.borrow().name.clone())
            .unwrap_or_default();
        let mut b = Builder {
            values: &values,
            classes: &classes,
            hoisted: Vec::new(),
            module: module.clone(),
            top: td.name.clone(),
            member: None,
        };
        let ty = b.convert(&crate::names::ty(&td.name), &td.ty)?;
        let mut hoisted = std::mem::take(&mut b.hoisted);
        schema.types.append(&mut hoisted);
        schema.types.push(Named {
            name: td.name.clone(),
            module,
            ty,
            comment: td.comments.clone(),
            origin: None,
        });
    }
    for (i, n) in schema.types.iter().enumerate() {
        if schema.index.insert(n.name.clone(), i).is_some() {
            return Err(format!("duplicate type name {}", n.name));
        }
    }
    Ok(schema)
}

/// Collects the comments of members, enumeration items and named bits from module sources:
/// comment lines right above a member line and a trailing comment on it.
pub fn member_comments(src: &str) -> BTreeMap<(String, String), String> {
    let mut out = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut pending: Vec<String> = Vec::new();
    let mut depth: i32 = 0;
    for line in src.lines() {
        let (code, comment) = match line.find("--") {
            Some(i) => (&line[..i], Some(line[i + 2..].trim())),
            None => (line, None),
        };
        let code_t = code.trim();
        if code_t.is_empty() {
            match comment {
                Some(c) if !c.is_empty() => pending.push(c.to_string()),
                Some(_) => {}
                None => pending.clear(),
            }
            continue;
        }
        let mut member_part = if depth > 0 { Some(code_t) } else { None };
        if depth == 0 {
            if let Some(i) = code_t.find("::=") {
                let name = code_t[..i].split_whitespace().next().unwrap_or("");
                if !name.is_empty() {
                    current = Some(name.to_string());
                }
                // items written on the same line as the opening brace
                member_part = code_t.find('{').map(|b| code_t[b + 1..].trim());
            }
        }
        if let (Some(part), Some(ty)) = (member_part, &current) {
            let first: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            if first.starts_with(|c: char| c.is_ascii_lowercase()) {
                let mut text: Vec<String> = std::mem::take(&mut pending);
                if let Some(c) = comment.filter(|c| !c.is_empty()) {
                    text.push(c.to_string());
                }
                if !text.is_empty() {
                    out.entry((ty.clone(), first))
                        .or_insert_with(|| text.join(" "));
                }
            }
        }
        pending.clear();
        depth += code.matches('{').count() as i32 - code.matches('}').count() as i32;
        if depth < 0 {
            depth = 0;
        }
    }
    out
}

/// Collects the comment lines right above each `Name DEFINITIONS` module header.
pub fn module_comments(src: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut pending: Vec<String> = Vec::new();
    for line in src.lines() {
        let t = line.trim();
        if let Some(c) = t.strip_prefix("--") {
            let c = c.trim();
            if !c.is_empty() {
                pending.push(c.to_string());
            }
            continue;
        }
        let mut words = t.split_whitespace();
        if let (Some(name), Some("DEFINITIONS")) = (words.next(), words.next()) {
            if !pending.is_empty() {
                out.insert(name.to_string(), pending.join("\n"));
            }
        }
        pending.clear();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{member_comments, module_comments};

    #[test]
    fn module_comments_above_header() {
        let src = "-- first\n-- second\nM DEFINITIONS AUTOMATIC TAGS ::= BEGIN\n-- t\nT ::= BOOLEAN\nEND\n\nN DEFINITIONS ::= BEGIN\nEND\n";
        let m = module_comments(src);
        assert_eq!(m.get("M").map(String::as_str), Some("first\nsecond"));
        assert_eq!(m.get("N"), None);
    }

    #[test]
    fn member_comments_above_and_trailing() {
        let src = "-- type doc\nT ::= SEQUENCE {\n    -- the count\n    cnt INTEGER (0..7), -- wraps\n\n    b BOOLEAN,\n    c BOOLEAN -- flag\n}\nE ::= ENUMERATED { x (0), -- nothing\n y (1) }\n";
        let m = member_comments(src);
        let get = |t: &str, f: &str| m.get(&(t.to_string(), f.to_string())).cloned();
        assert_eq!(get("T", "cnt").as_deref(), Some("the count wraps"));
        assert_eq!(get("T", "b"), None);
        assert_eq!(get("T", "c").as_deref(), Some("flag"));
        assert_eq!(get("E", "x").as_deref(), Some("nothing"));
    }
}
