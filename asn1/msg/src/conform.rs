//! Conformance checking of one vector line (the format of the project's conformance vectors).
//!
//! A valid line passes when its UPER decodes, its JER equals the expected `jer` (hex strings
//! compared case-insensitively), it re-encodes to the same bytes, and the expected JER encodes
//! to the same bytes. An invalid line (`"expect": "reject"`) passes when decoding fails.
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::Standard;
use crate::codec::jer::{self, Value};

/// Why a line failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The type the line names.
    pub ty: String,
    /// What went wrong.
    pub reason: String,
}

fn fail(ty: &str, reason: impl ToString) -> Failure {
    Failure {
        ty: ty.into(),
        reason: reason.to_string(),
    }
}

fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_hexdigit())
}

/// JSON equality where two hexadecimal strings are equal regardless of letter case.
pub fn jer_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => {
            x == y || (is_hex(x) && is_hex(y) && x.eq_ignore_ascii_case(y))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| jer_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| jer_eq(v, w)))
        }
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// Checks one parsed vector line under `std`.
pub fn check(std: Standard, line: &Value) -> Result<(), Failure> {
    let ty = line
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| fail("?", "line has no `type`"))?;
    let hex = line
        .get("uper_hex")
        .ok_or_else(|| fail(ty, "line has no `uper_hex`"))?;
    let bytes = jer::unhex(hex).map_err(|e| fail(ty, format!("bad uper_hex: {e}")))?;
    let reject = line.get("expect").and_then(Value::as_str) == Some("reject");
    let decoded = std.decode_named(ty, &bytes);
    if reject {
        return match decoded {
            Err(_) => Ok(()),
            Ok(None) => Err(fail(ty, "unknown type")),
            Ok(Some(_)) => Err(fail(ty, "invalid encoding was accepted")),
        };
    }
    let (jer_value, reencoded) = match decoded {
        Ok(Some(v)) => v,
        Ok(None) => return Err(fail(ty, "unknown type")),
        Err(e) => return Err(fail(ty, format!("decode failed: {e}"))),
    };
    let expected = line
        .get("jer")
        .ok_or_else(|| fail(ty, "line has no `jer`"))?;
    if !jer_eq(&jer_value, expected) {
        return Err(fail(
            ty,
            format!("JER differs: got {jer_value}, expected {expected}"),
        ));
    }
    if reencoded != bytes {
        return Err(fail(
            ty,
            format!("re-encoding differs: {}", hex_lower(&reencoded)),
        ));
    }
    match std.encode_named(ty, expected) {
        Ok(Some(b)) if b == bytes => Ok(()),
        Ok(Some(b)) => Err(fail(
            ty,
            format!("encoding the expected JER differs: {}", hex_lower(&b)),
        )),
        Ok(None) => Err(fail(ty, "unknown type")),
        Err(e) => Err(fail(ty, format!("encoding the expected JER failed: {e}"))),
    }
}

/// Lower-case hex.
pub fn hex_lower(b: &[u8]) -> String {
    use core::fmt::Write as _;
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        let _ = write!(s, "{x:02x}");
    }
    s
}

/// Tally of a run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tally {
    /// Lines that passed.
    pub passed: usize,
    /// Lines that failed, with where and why.
    pub failures: Vec<(String, Failure)>,
}
