//! Text forms the command line reads and writes: hex, seconds, RFC 3339 times (UTC on the
//! outside, TAI [`Timestamp`]s inside, leap seconds applied), files given as paths or hex.
use cv2x::time::{Timestamp, civil_from_days, days_from_civil};

/// A non-negative, finite number of seconds.
pub(crate) fn seconds(s: &str) -> Result<f64, String> {
    s.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
        .ok_or_else(|| format!("`{s}` is not a number of seconds"))
}

/// [`read_input`] for each argument of a repeated option (`--trust A --trust B`).
pub(crate) fn read_inputs(args: &[String], flag: &str) -> Result<Vec<Vec<u8>>, String> {
    args.iter()
        .map(|a| read_input(a).map_err(|e| format!("{flag} {a}: {e}")))
        .collect()
}

/// A file (binary, or hex text) or a hex string.
pub(crate) fn read_input(arg: &str) -> Result<Vec<u8>, String> {
    let path = std::path::Path::new(arg);
    if path.is_file() {
        let bytes = std::fs::read(path).map_err(|e| format!("{arg}: {e}"))?;
        let text_hex = !bytes.is_empty()
            && bytes
                .iter()
                .all(|b| b.is_ascii_hexdigit() || b.is_ascii_whitespace());
        return if text_hex {
            hex_text(std::str::from_utf8(&bytes).unwrap_or_default())
        } else {
            Ok(bytes)
        };
    }
    hex(arg)
}

/// Hex digits (either case) to bytes; anything else is an error.
pub(crate) fn hex(s: &str) -> Result<Vec<u8>, String> {
    if s.len() % 2 != 0 {
        return Err("odd number of hex digits".into());
    }
    s.as_bytes()
        .chunks(2)
        .map(|p| {
            std::str::from_utf8(p)
                .ok()
                .filter(|t| t.bytes().all(|b| b.is_ascii_hexdigit()))
                .and_then(|t| u8::from_str_radix(t, 16).ok())
                .ok_or_else(|| "not hex".to_string())
        })
        .collect()
}

/// Hex text that may wrap over lines (a hex file): whitespace between digits is skipped.
fn hex_text(s: &str) -> Result<Vec<u8>, String> {
    let digits: String = s.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    hex(&digits)
}

// --- time: RFC 3339 (UTC) <-> TAI timestamps -----------------------------------------------

/// `YYYY-MM-DD[T ]HH:MM[:SS[.frac]][Z|±HH:MM]` (UTC when no offset) to a TAI timestamp.
pub(crate) fn parse_rfc3339(s: &str) -> Result<Timestamp, String> {
    let bad = || format!("`{s}` is not an RFC 3339 time");
    let num = |t: &str| t.parse::<i64>().map_err(|_| bad());
    let (date, rest) = s.split_at_checked(10).ok_or_else(bad)?;
    let mut dp = date.split('-');
    let (y, mo, d) = (
        num(dp.next().ok_or_else(bad)?)?,
        num(dp.next().ok_or_else(bad)?)?,
        num(dp.next().ok_or_else(bad)?)?,
    );
    let rest = rest.strip_prefix(['T', 't', ' ']).unwrap_or(rest);
    let (clock, offset_s) = if let Some(c) = rest.strip_suffix(['Z', 'z']) {
        (c, 0)
    } else if let Some(i) = rest.rfind(['+', '-']).filter(|i| *i >= 5) {
        let (c, off) = rest.split_at(i);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let mut op = off[1..].split(':');
        let oh = num(op.next().ok_or_else(bad)?)?;
        let om = num(op.next().unwrap_or("0"))?;
        (c, sign * (oh * 3600 + om * 60))
    } else {
        (rest, 0)
    };
    let mut cp = clock.split(':');
    let h = if clock.is_empty() {
        0
    } else {
        num(cp.next().ok_or_else(bad)?)?
    };
    let mi = num(cp.next().unwrap_or("0"))?;
    let sec_part = cp.next().unwrap_or("0");
    let (sec, frac) = sec_part.split_once('.').unwrap_or((sec_part, ""));
    let sec = num(sec)?;
    let mut frac_ms = 0i64;
    for (i, c) in frac.chars().take(3).enumerate() {
        let dgt = c.to_digit(10).ok_or_else(bad)? as i64;
        frac_ms += dgt * [100, 10, 1][i];
    }
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return Err(bad());
    }
    let unix_s = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec - offset_s;
    Ok(Timestamp::from_unix_utc_millis(unix_s * 1000 + frac_ms))
}

/// A TAI timestamp as RFC 3339 UTC (fraction shown when not whole seconds).
pub(crate) fn rfc3339(t: Timestamp) -> String {
    let ms = t.to_unix_utc_millis();
    let us = t.as_micros().rem_euclid(1000);
    let (days, in_day) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let (y, mo, d) = civil_from_days(days);
    let (h, mi, s, frac) = (
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        (in_day % 1000) * 1000 + us,
    );
    if frac == 0 {
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    } else {
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{frac:06}Z")
    }
}

/// The system clock as a TAI timestamp.
pub(crate) fn now() -> Timestamp {
    timestamp(std::time::SystemTime::now())
}

/// A system time (UTC) as a TAI timestamp, to the microsecond.
pub(crate) fn timestamp(t: std::time::SystemTime) -> Timestamp {
    let d = t
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or(std::time::Duration::ZERO);
    let ms = i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
    Timestamp::from_unix_utc_millis(ms).add_micros(i64::from(d.subsec_micros() % 1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trip_with_leap_seconds() {
        let t = parse_rfc3339("2019-11-21T11:30:00Z").unwrap();
        // 2019 is after all 5 leap seconds since 2004
        let unix = 1_574_335_800i64;
        assert_eq!(t.as_micros(), (unix - 1_072_915_200 + 5) * 1_000_000);
        assert_eq!(rfc3339(t), "2019-11-21T11:30:00Z");
        assert_eq!(parse_rfc3339("2019-11-21 11:30").unwrap(), t);
        assert_eq!(parse_rfc3339("2019-11-21T19:30:00+08:00").unwrap(), t);
        assert!(parse_rfc3339("2019-13-01T00:00:00Z").is_err());
    }
    #[test]
    fn hex_skips_whitespace_and_rejects_odd_or_bad_digits() {
        assert_eq!(hex("00ff7A"), Ok(vec![0, 255, 0x7a]));
        assert!(hex("00 ff").is_err(), "lines and arguments are strict");
        assert_eq!(hex_text("00 ff\n7a"), Ok(vec![0, 255, 0x7a]));
        assert!(hex("abc").is_err());
        assert!(hex("zz").is_err());
        assert!(hex("+1").is_err());
    }

    #[test]
    fn system_times_keep_microseconds() {
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_micros(1_700_000_000_123_456);
        assert_eq!(rfc3339(timestamp(t)), "2023-11-14T22:13:20.123456Z");
    }
}
