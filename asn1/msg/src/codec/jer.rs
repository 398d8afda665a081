//! JSON Encoding Rules (ITU-T X.697) for the message types, as `serde_json` values.
//!
//! Conventions (those of the conformance vectors): OCTET STRING and fixed-size BIT STRING are
//! hexadecimal strings (written upper-case, read in either case); ENUMERATED is the identifier;
//! CHOICE is `{"alternative": value}`; absent OPTIONAL members are left out.
//!
//! X.697 has no form for extensions the modules do not know. Values that carry them are written
//! with markers that read back to the same value, so decode → JER → encode gives the same bytes:
//! - an ENUMERATED extension value: `{"$unknownExtension": index}` (its index among the
//!   extension values);
//! - a CHOICE extension alternative: `{"$unknownExtension": {"index": i, "content": "HEX"}}`
//!   (its index among the extension alternatives and its open-type content);
//! - SEQUENCE extension additions: the member `"$unknownExtensions": {"additions": [{"index": i,
//!   "content": "HEX"}, ...], "bitmapLength": n}` (each addition's index and open-type content;
//!   `bitmapLength`, the length of the presence bitmap as received, only when it differs from the
//!   number of additions the modules know).
use alloc::string::String;
use alloc::vec::Vec;

pub use serde_json::{Map, Value};

use super::error::FieldPath;
use super::uper::{BitBuf, CharSet};

/// What is wrong with a JER value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum JerErrorKind {
    /// Not the JSON type the ASN.1 type needs.
    WrongJsonType,
    /// A required member is missing.
    MissingMember,
    /// A member the type does not have.
    UnknownMember,
    /// A CHOICE object without exactly one known alternative.
    BadChoice,
    /// An ENUMERATED identifier the type does not have.
    UnknownEnumValue,
    /// An integer outside its constraint, or not an integer.
    OutOfRange,
    /// A size outside its constraint.
    SizeOutOfRange,
    /// A hexadecimal string that is malformed.
    BadHex,
    /// A character outside the string type's alphabet.
    InvalidCharacter,
    /// An open type whose key selects no known type and whose value is not hexadecimal.
    BadOpenType,
    /// An unknown-extension marker that is malformed or names an extension the modules know.
    BadExtension,
}

/// A JER decode failure with the field path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind:?} in `{path}`")]
pub struct JerError {
    /// What went wrong.
    pub kind: JerErrorKind,
    /// Where in the value.
    pub path: FieldPath,
}

impl JerError {
    /// A new error with an empty path.
    pub fn new(kind: JerErrorKind) -> Self {
        Self {
            kind,
            path: FieldPath::default(),
        }
    }

    /// Adds the name of an enclosing field or type to the path.
    #[must_use]
    pub fn within(mut self, seg: &'static str) -> Self {
        self.path.push_outer(seg);
        self
    }
}

/// A type with a JER form.
pub trait Jer: Sized {
    /// The JER value.
    fn to_jer(&self) -> Value;
    /// Parses a JER value, checking every constraint.
    fn from_jer(v: &Value) -> Result<Self, JerError>;
}

fn err(kind: JerErrorKind) -> JerError {
    JerError::new(kind)
}

/// The object of a SEQUENCE; fails on members not in `known`.
pub fn object<'a>(v: &'a Value, known: &[&str]) -> Result<&'a Map<String, Value>, JerError> {
    let o = v
        .as_object()
        .ok_or_else(|| err(JerErrorKind::WrongJsonType))?;
    if o.len() > known.len() || o.keys().any(|k| !known.contains(&k.as_str())) {
        return Err(err(JerErrorKind::UnknownMember));
    }
    Ok(o)
}

/// A required member.
pub fn member<'a>(o: &'a Map<String, Value>, name: &'static str) -> Result<&'a Value, JerError> {
    o.get(name)
        .ok_or_else(|| err(JerErrorKind::MissingMember).within(name))
}

/// The single (alternative, value) of a CHOICE object.
pub fn choice(v: &Value) -> Result<(&str, &Value), JerError> {
    let o = v
        .as_object()
        .ok_or_else(|| err(JerErrorKind::WrongJsonType))?;
    let mut it = o.iter();
    match (it.next(), it.next()) {
        (Some((k, v)), None) => Ok((k.as_str(), v)),
        _ => Err(err(JerErrorKind::BadChoice)),
    }
}

/// A BOOLEAN.
pub fn boolean(v: &Value) -> Result<bool, JerError> {
    v.as_bool().ok_or_else(|| err(JerErrorKind::WrongJsonType))
}

/// A NULL.
pub fn null(v: &Value) -> Result<(), JerError> {
    if v.is_null() {
        Ok(())
    } else {
        Err(err(JerErrorKind::WrongJsonType))
    }
}

/// An INTEGER within optional bounds (bounds not checked when `ext`).
pub fn int(v: &Value, lb: Option<i64>, ub: Option<i64>, ext: bool) -> Result<i64, JerError> {
    let n = v.as_i64().ok_or_else(|| err(JerErrorKind::OutOfRange))?;
    if !ext && (lb.is_some_and(|l| n < l) || ub.is_some_and(|u| n > u)) {
        return Err(err(JerErrorKind::OutOfRange));
    }
    Ok(n)
}

/// An INTEGER that needs the full unsigned 64-bit range.
pub fn uint(v: &Value, lb: u64, ub: u64) -> Result<u64, JerError> {
    let n = v.as_u64().ok_or_else(|| err(JerErrorKind::OutOfRange))?;
    if n < lb || n > ub {
        return Err(err(JerErrorKind::OutOfRange));
    }
    Ok(n)
}

/// An ENUMERATED identifier.
pub fn ident(v: &Value) -> Result<&str, JerError> {
    v.as_str().ok_or_else(|| err(JerErrorKind::WrongJsonType))
}

/// The upper-case hexadecimal JER form of octets.
pub fn hex(b: &[u8]) -> Value {
    const H: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(b.len() * 2);
    for &x in b {
        s.push(char::from(H[usize::from(x >> 4)]));
        s.push(char::from(H[usize::from(x & 15)]));
    }
    Value::String(s)
}

/// Parses a hexadecimal string.
pub fn unhex(v: &Value) -> Result<Vec<u8>, JerError> {
    let s = v.as_str().ok_or_else(|| err(JerErrorKind::WrongJsonType))?;
    let s = s.as_bytes();
    if s.len() % 2 != 0 {
        return Err(err(JerErrorKind::BadHex));
    }
    let nib = |c: u8| -> Result<u8, JerError> {
        match c {
            b'0'..=b'9' => Ok(c - b'0'),
            b'a'..=b'f' => Ok(c - b'a' + 10),
            b'A'..=b'F' => Ok(c - b'A' + 10),
            _ => Err(err(JerErrorKind::BadHex)),
        }
    };
    s.chunks_exact(2)
        .map(|p| Ok((nib(p[0])? << 4) | nib(p[1])?))
        .collect()
}

/// A fixed-size OCTET STRING.
pub fn octets_fixed<const N: usize>(v: &Value) -> Result<[u8; N], JerError> {
    let b = unhex(v)?;
    b.try_into().map_err(|_| err(JerErrorKind::SizeOutOfRange))
}

fn size_ok(n: usize, lb: usize, ub: Option<usize>, ext: bool) -> Result<(), JerError> {
    if !ext && (n < lb || ub.is_some_and(|u| n > u)) {
        return Err(err(JerErrorKind::SizeOutOfRange));
    }
    Ok(())
}

/// A variable-size OCTET STRING.
pub fn octets(v: &Value, lb: usize, ub: Option<usize>, ext: bool) -> Result<Vec<u8>, JerError> {
    let b = unhex(v)?;
    size_ok(b.len(), lb, ub, ext)?;
    Ok(b)
}

/// A fixed-size BIT STRING of `bits` bits held in `N` octets: a hex string of exactly `N`
/// octets; bits past `bits` are cleared.
pub fn bits_fixed<const N: usize>(v: &Value, bits: usize) -> Result<[u8; N], JerError> {
    let mut b: [u8; N] = octets_fixed(v)?;
    let rest = bits % 8;
    if rest != 0 {
        if let Some(last) = b.last_mut() {
            *last &= 0xffu8 << (8 - rest);
        }
    }
    Ok(b)
}

/// The JER form of a variable-size BIT STRING: X.697's `{"value": hex, "length": bits}`.
pub fn bitbuf_to(b: &BitBuf) -> Value {
    let mut m = Map::new();
    m.insert("value".into(), hex(&b.data));
    m.insert("length".into(), Value::from(b.len_bits as u64));
    Value::Object(m)
}

/// Parses a variable-size BIT STRING.
pub fn bitbuf_from(v: &Value, lb: usize, ub: Option<usize>, ext: bool) -> Result<BitBuf, JerError> {
    let o = object(v, &["value", "length"])?;
    let data = unhex(member(o, "value")?)?;
    let len_bits = member(o, "length")?
        .as_u64()
        .ok_or_else(|| err(JerErrorKind::OutOfRange))? as usize;
    if data.len() != len_bits.div_ceil(8) {
        return Err(err(JerErrorKind::SizeOutOfRange));
    }
    size_ok(len_bits, lb, ub, ext)?;
    Ok(BitBuf { len_bits, data })
}

/// A restricted character string.
pub fn string(
    v: &Value,
    cs: CharSet,
    lb: usize,
    ub: Option<usize>,
    ext: bool,
) -> Result<String, JerError> {
    let s = v.as_str().ok_or_else(|| err(JerErrorKind::WrongJsonType))?;
    let n = if cs == CharSet::Utf8 {
        s.len()
    } else {
        if !s.is_ascii() {
            return Err(err(JerErrorKind::InvalidCharacter));
        }
        s.len()
    };
    size_ok(n, lb, ub, ext)?;
    Ok(String::from(s))
}

/// A SEQUENCE OF's array, with its size checked.
pub fn array(v: &Value, lb: usize, ub: Option<usize>, ext: bool) -> Result<&Vec<Value>, JerError> {
    let a = v
        .as_array()
        .ok_or_else(|| err(JerErrorKind::WrongJsonType))?;
    size_ok(a.len(), lb, ub, ext)?;
    Ok(a)
}

/// The marker key of an unknown ENUMERATED value or CHOICE alternative.
pub const UNKNOWN_EXTENSION: &str = "$unknownExtension";

/// The marker member of unknown SEQUENCE extension additions.
pub const UNKNOWN_EXTENSIONS: &str = "$unknownExtensions";

/// The marker JER value of an ENUMERATED extension value this version does not know.
pub fn unknown_value(index: usize) -> Value {
    let mut m = Map::new();
    m.insert(UNKNOWN_EXTENSION.into(), Value::from(index as u64));
    Value::Object(m)
}

/// The extension index in the marker of an unknown ENUMERATED value, or `None` when `v` is not
/// such a marker; `known` extension values are not unknown.
pub fn unknown_value_from(v: &Value, known: usize) -> Result<Option<usize>, JerError> {
    let Some(x) = v.as_object().and_then(|o| o.get(UNKNOWN_EXTENSION)) else {
        return Ok(None);
    };
    let index = extension_index(x, known)?;
    Ok(Some(index))
}

fn extension_index(v: &Value, known: usize) -> Result<usize, JerError> {
    match v.as_u64().and_then(|i| usize::try_from(i).ok()) {
        Some(i) if i >= known => Ok(i),
        _ => Err(err(JerErrorKind::BadExtension)),
    }
}

fn index_and_content(v: &Value, known: usize) -> Result<(usize, Vec<u8>), JerError> {
    let o = object(v, &["index", "content"])?;
    let index = extension_index(member(o, "index")?, known)?;
    let content = unhex(member(o, "content")?)?;
    Ok((index, content))
}

/// The marker JER value of an unknown CHOICE extension alternative (the value of the
/// [`UNKNOWN_EXTENSION`] alternative).
pub fn unknown_alternative(u: &super::uper::UnknownAlternative) -> Value {
    let mut m = Map::new();
    m.insert("index".into(), Value::from(u.index as u64));
    m.insert("content".into(), hex(&u.content));
    Value::Object(m)
}

/// Parses the value of the [`UNKNOWN_EXTENSION`] alternative of a CHOICE with `known`
/// extension alternatives.
pub fn unknown_alternative_from(
    v: &Value,
    known: usize,
) -> Result<super::uper::UnknownAlternative, JerError> {
    let (index, content) = index_and_content(v, known)?;
    Ok(super::uper::UnknownAlternative { index, content })
}

/// The marker member listing unknown SEQUENCE extension additions.
pub fn unknown_extensions(u: &super::uper::UnknownExtensions) -> Value {
    let additions = u
        .items
        .iter()
        .map(|(i, b)| {
            let mut m = Map::new();
            m.insert("index".into(), Value::from(*i as u64));
            m.insert("content".into(), hex(b));
            Value::Object(m)
        })
        .collect();
    let mut m = Map::new();
    m.insert("additions".into(), Value::Array(additions));
    if let Some(n) = u.bitmap_len {
        m.insert("bitmapLength".into(), Value::from(n as u64));
    }
    Value::Object(m)
}

/// Parses the [`UNKNOWN_EXTENSIONS`] member of a SEQUENCE with `known` extension additions:
/// indices at or above `known`, ascending, and below the bitmap length when one is given (a
/// bitmap length other than `known`, at least 1).
pub fn unknown_extensions_from(
    v: &Value,
    known: usize,
) -> Result<super::uper::UnknownExtensions, JerError> {
    let o = object(v, &["additions", "bitmapLength"])?;
    let mut u = super::uper::UnknownExtensions::default();
    for a in member(o, "additions")?
        .as_array()
        .ok_or_else(|| err(JerErrorKind::WrongJsonType))?
    {
        let (index, content) = index_and_content(a, known)?;
        if u.items.last().is_some_and(|(last, _)| *last >= index) {
            return Err(err(JerErrorKind::BadExtension));
        }
        u.items.push((index, content));
    }
    if let Some(n) = o.get("bitmapLength") {
        let n = extension_index(n, 1)?;
        if n == known || u.items.last().is_some_and(|(last, _)| *last >= n) {
            return Err(err(JerErrorKind::BadExtension));
        }
        u.bitmap_len = Some(n);
    }
    Ok(u)
}

/// Decodes a complete encoding of `T` and re-encodes the value: (JER value, re-encoding).
pub fn decode_to_jer<T: super::Uper + Jer>(bytes: &[u8]) -> Result<(Value, Vec<u8>), super::Error> {
    let v = T::decode(bytes)?;
    Ok((v.to_jer(), v.encode()?))
}

/// Parses the JER value of `T` and encodes it.
pub fn encode_from_jer<T: super::Uper + Jer>(j: &Value) -> Result<Vec<u8>, super::Error> {
    Ok(T::from_jer(j)?.encode()?)
}

/// [`decode_to_jer`] for a type without its own impls (an INTEGER, OCTET STRING, character
/// string or SEQUENCE OF type assignment): its ASN.1 name, how to read it, write it and give
/// its JER value.
pub fn decode_simple_to_jer<T>(
    name: &'static str,
    bytes: &[u8],
    read: impl FnOnce(&mut super::BitReader<'_>) -> Result<T, super::DecodeError>,
    write: impl FnOnce(&T, &mut super::BitWriter<'_>) -> Result<(), super::EncodeError>,
    to_jer: impl FnOnce(&T) -> Value,
) -> Result<(Value, Vec<u8>), super::Error> {
    let mut r = super::BitReader::new(bytes);
    let v = read(&mut r)
        .and_then(|v| r.finish(0).map(|()| v))
        .map_err(|e| e.within(name))?;
    let mut out = Vec::with_capacity(bytes.len());
    let mut w = super::BitWriter::new_vec(&mut out);
    write(&v, &mut w).map_err(|e| e.within(name))?;
    w.finish()?;
    Ok((to_jer(&v), out))
}

/// [`encode_from_jer`] for a type without its own impls: its ASN.1 name, how to parse its JER
/// value and write it.
pub fn encode_simple_from_jer<T>(
    name: &'static str,
    j: &Value,
    from_jer: impl FnOnce(&Value) -> Result<T, JerError>,
    write: impl FnOnce(&T, &mut super::BitWriter<'_>) -> Result<(), super::EncodeError>,
) -> Result<Vec<u8>, super::Error> {
    let v = from_jer(j).map_err(|e| e.within(name))?;
    let mut out = Vec::new();
    let mut w = super::BitWriter::new_vec(&mut out);
    write(&v, &mut w).map_err(|e| e.within(name))?;
    w.finish()?;
    Ok(out)
}
