//! `cv2x cert inspect`, `cv2x cert verify` and `cv2x spdu verify`: IEEE 1609.2 / GB/T 45112
//! certificates and signed messages on the command line.
use std::process::ExitCode;

use cv2x::msg::conform::hex_lower;
use cv2x::security::cert::{
    CertId, CertType, Certificate, IdentifiedRegion, Issuer, Region, SspRange, SubjectPermissions,
    VerifyKeyIndicator,
};
use cv2x::security::crypto::{Backend, SoftwareBackend};
use cv2x::security::store::parse_certificate_list;
use cv2x::security::{ChainStatus, Config, Relaxation, RelaxationSet, Verifier};
use cv2x::time::{Timestamp, civil_from_days, days_from_civil};
use serde_json::{Value, json};

const USAGE: &str = concat!(
    "usage:\n",
    "  cv2x cert inspect HEX|FILE\n",
    "  cv2x cert verify [--at RFC3339] [--trust CERT]... [--cert CERT]... [--crl CRL]...\n",
    "                   [--relax NAME]... HEX|FILE\n",
    "  cv2x spdu verify [--at RFC3339] [--trust CERT]... [--cert CERT]... [--crl CRL]...\n",
    "                   [--relax NAME]... [--max-age S] [--max-future S] HEX|FILE\n",
    "CERT and HEX|FILE: a file (binary COER or hex text) or hex on the command line.\n",
    "CRL: a signed IEEE 1609.2 CRL (SecuredCrl), verified and applied before the input.\n",
    "NAME: a relaxation of IEEE 1609.2 chain consistency for deployed PKIs (off by default):\n",
    "  ee_permissions_outside_issuer | validity_not_nested | chain_length_constraints\n",
);

/// Runs `cert …` or `spdu …`.
pub fn run(cmd: &str, args: &[String]) -> Result<ExitCode, String> {
    let Some((sub, rest)) = args.split_first() else {
        return Err(USAGE.to_string());
    };
    match (cmd, sub.as_str()) {
        ("cert", "inspect") => inspect(rest),
        ("cert", "verify") => cert_verify(rest),
        ("spdu", "verify") => spdu_verify(rest),
        _ => Err(format!("unknown command `{cmd} {sub}`\n{USAGE}")),
    }
}

/// The options of the verifying commands (`cert verify`, `spdu verify`, `ctl verify`).
pub(crate) struct Options {
    pub(crate) at: Option<Timestamp>,
    pub(crate) trust: Vec<Vec<u8>>,
    pub(crate) certs: Vec<Vec<u8>>,
    pub(crate) crls: Vec<Vec<u8>>,
    pub(crate) max_age_s: Option<f64>,
    pub(crate) max_future_s: Option<f64>,
    pub(crate) relax: RelaxationSet,
    pub(crate) input: Option<Vec<u8>>,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    parse_options_for(args, USAGE)
}

/// Parses the verifying options; `usage` is shown with an error.
pub(crate) fn parse_options_for(args: &[String], usage: &str) -> Result<Options, String> {
    let mut o = Options {
        at: None,
        trust: Vec::new(),
        certs: Vec::new(),
        crls: Vec::new(),
        max_age_s: None,
        max_future_s: None,
        relax: RelaxationSet::EMPTY,
        input: None,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || {
            it.next()
                .map(String::as_str)
                .ok_or_else(|| format!("{a} needs a value"))
        };
        match a.as_str() {
            "--at" => o.at = Some(parse_rfc3339(value()?)?),
            "--trust" => o.trust.push(read_input(value()?)?),
            "--cert" => o.certs.push(read_input(value()?)?),
            "--crl" => o.crls.push(read_input(value()?)?),
            "--max-age" => o.max_age_s = Some(seconds(value()?)?),
            "--max-future" => o.max_future_s = Some(seconds(value()?)?),
            "--relax" => o.relax.insert(relaxation(value()?)?),
            s if s.starts_with("--") => return Err(format!("unknown option {s}\n{usage}")),
            s => {
                if o.input.is_some() {
                    return Err(format!("one input expected\n{usage}"));
                }
                o.input = Some(read_input(s)?);
            }
        }
    }
    Ok(o)
}

/// A relaxation by its code.
pub(crate) fn relaxation(s: &str) -> Result<Relaxation, String> {
    Relaxation::from_code(s).ok_or_else(|| {
        let names: Vec<&str> = Relaxation::ALL.iter().map(|r| r.code()).collect();
        format!("--relax: `{s}` is not one of {}", names.join(", "))
    })
}

/// The codes of a set of relaxations.
pub(crate) fn relaxations_json(set: RelaxationSet) -> Value {
    json!(set.iter().map(Relaxation::code).collect::<Vec<_>>())
}

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
            from_hex(std::str::from_utf8(&bytes).unwrap_or_default())
        } else {
            Ok(bytes)
        };
    }
    from_hex(arg)
}

fn from_hex(s: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if digits.len() % 2 != 0 {
        return Err("odd number of hex digits".into());
    }
    digits
        .chunks(2)
        .map(|p| {
            std::str::from_utf8(p)
                .ok()
                .and_then(|t| u8::from_str_radix(t, 16).ok())
                .ok_or_else(|| "not a file and not hex".to_string())
        })
        .collect()
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

/// A system time (UTC) as a TAI timestamp, to the millisecond.
pub(crate) fn timestamp(t: std::time::SystemTime) -> Timestamp {
    let ms = t
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    Timestamp::from_unix_utc_millis(ms)
}

// --- cert inspect ------------------------------------------------------------------------------

fn region_json(r: &Region) -> Value {
    let loc = |l: &cv2x::security::cert::TwoDLocation| json!({ "lat": f64::from(l.lat) * 1e-7, "lon": f64::from(l.lon) * 1e-7 });
    match r {
        Region::Circular { center, radius_m } => {
            json!({ "circular": { "center": loc(center), "radius_m": radius_m } })
        }
        Region::Rectangular(rects) => json!({ "rectangular": rects
            .iter()
            .map(|r| json!({ "north_west": loc(&r.north_west), "south_east": loc(&r.south_east) }))
            .collect::<Vec<_>>() }),
        Region::Polygonal(pts) => json!({ "polygonal": pts.iter().map(loc).collect::<Vec<_>>() }),
        Region::Identified(ids) => json!({ "identified": ids
            .iter()
            .map(|i| match i {
                IdentifiedRegion::Country(c) => json!({ "countryOnly": c }),
                IdentifiedRegion::CountryAndRegions { country, regions } => {
                    json!({ "country": country, "regions": regions })
                }
                IdentifiedRegion::CountryAndSubregions { country, regions } => json!({
                    "country": country,
                    "regions": regions
                        .iter()
                        .map(|(r, s)| json!({ "region": r, "subregions": s }))
                        .collect::<Vec<_>>(),
                }),
                IdentifiedRegion::Unknown => json!("unknown"),
            })
            .collect::<Vec<_>>() }),
        Region::Unknown => json!("unknown"),
    }
}

/// A certificate's hash with the algorithm its issuer field names.
pub(crate) fn cert_hash(c: &Certificate) -> [u8; 32] {
    let b = SoftwareBackend::default();
    match c.issuer.hash_alg() {
        cv2x::security::cert::HashAlg::Sm3 => b.sm3(&[c.bytes()]),
        _ => b.sha256(&[c.bytes()]),
    }
}

/// An issuer (`{"self": alg}` or `{"<alg>AndDigest": HashedId8}`).
pub(crate) fn issuer_json(issuer: &Issuer) -> Value {
    match issuer {
        Issuer::SelfSigned(h) => json!({ "self": h.name() }),
        Issuer::Digest(h, id) => json!({ format!("{}AndDigest", h.name()): hex_lower(id) }),
    }
}

/// A certificate's `id`.
pub(crate) fn id_json(id: &CertId) -> Value {
    match id {
        CertId::Linkage { i_cert, value } => {
            json!({ "linkageData": { "iCert": i_cert, "linkageValue": hex_lower(value) } })
        }
        CertId::Name(n) => json!({ "name": n }),
        CertId::Binary(b) => json!({ "binaryId": hex_lower(b) }),
        CertId::None => json!("none"),
        CertId::Unknown => json!("unknown"),
    }
}

/// A certificate's validity as RFC 3339 UTC start and end.
pub(crate) fn validity_json(c: &Certificate) -> Value {
    json!({
        "start": rfc3339(c.validity.start()),
        "end": rfc3339(c.validity.end()),
        "duration": { c.validity.unit.name(): c.validity.value },
    })
}

fn cert_json(c: &Certificate) -> Value {
    let h = c.issuer.hash_alg();
    let hash = cert_hash(c);
    let issuer = issuer_json(&c.issuer);
    let id = id_json(&c.id);
    let key = match &c.verify_key {
        VerifyKeyIndicator::Key(k) => json!({
            "algorithm": k.alg.name(),
            "point": k.point.form(),
            "x": k.point.x().map(|x| hex_lower(x)),
        }),
        VerifyKeyIndicator::Reconstruction(p) => json!({
            "algorithm": "reconstructionValue (implicit)",
            "point": p.form(),
            "x": p.x().map(|x| hex_lower(x)),
        }),
        VerifyKeyIndicator::Unknown => json!({ "algorithm": "unknown" }),
    };
    let perms: Vec<Value> = c
        .app_permissions
        .iter()
        .map(|p| json!({ "aid": p.psid, "ssp": p.ssp.as_ref().map(|s| hex_lower(s.bytes())) }))
        .collect();
    let groups = |gs: &[cv2x::security::cert::PsidGroupPermissions]| -> Vec<Value> {
        gs.iter()
            .map(|g| {
                let subject = match &g.subject {
                    SubjectPermissions::All => json!("all"),
                    SubjectPermissions::Explicit(list) => json!(list
                        .iter()
                        .map(|r| json!({
                            "aid": r.psid,
                            "ssp_range": match &r.ssp_range {
                                None => Value::Null,
                                Some(SspRange::All) => json!("all"),
                                Some(SspRange::Opaque(v)) => json!(v.iter().map(|x| hex_lower(x)).collect::<Vec<_>>()),
                                Some(SspRange::Bitmap { value, mask }) => json!({ "value": hex_lower(value), "mask": hex_lower(mask) }),
                                Some(SspRange::Unknown) => json!("unknown"),
                            }
                        }))
                        .collect::<Vec<_>>()),
                    SubjectPermissions::Unknown => json!("unknown"),
                };
                json!({
                    "subject": subject,
                    "min_chain_length": g.min_chain_length,
                    "chain_length_range": g.chain_length_range,
                    "ee_type": format!("{:02x}", g.ee_type),
                })
            })
            .collect()
    };
    json!({
        "type": match c.cert_type { CertType::Explicit => "explicit", CertType::Implicit => "implicit" },
        "issuer": issuer,
        "hash": { "algorithm": h.name(), "value": hex_lower(&hash) },
        "hashedid8": hex_lower(&hash[24..]),
        "id": id,
        "craca_id": hex_lower(&c.craca_id),
        "crl_series": c.crl_series,
        "validity": validity_json(c),
        "region": c.region.as_ref().map(region_json),
        "assurance_level": c.assurance_level,
        "aids": c.app_permissions.iter().map(|p| p.psid).collect::<Vec<_>>(),
        "app_permissions": perms,
        "issue_permissions": groups(&c.issue_permissions),
        "key": key,
        "signature": c.signature.map(|s| format!("{:?}", s.alg)),
    })
}

fn inspect(args: &[String]) -> Result<ExitCode, String> {
    let [arg] = args else {
        return Err(USAGE.to_string());
    };
    let bytes = read_input(arg)?;
    let c = Certificate::from_bytes(&bytes).map_err(|e| format!("{}: {e}", e.code()))?;
    outln!(
        "{}",
        serde_json::to_string_pretty(&cert_json(&c)).map_err(|e| e.to_string())?
    );
    Ok(ExitCode::SUCCESS)
}

// --- verification ------------------------------------------------------------------------------

fn verifier(o: &Options) -> Result<Verifier, String> {
    verifier_for(o, Config::default())
}

/// A verifier for the options, on top of `base` (the relaxations and the generation-time window
/// of the options replace its own).
pub(crate) fn verifier_for(o: &Options, base: Config) -> Result<Verifier, String> {
    let at = o.at.unwrap_or_else(now);
    let config = Config {
        relax: o.relax,
        ..window_config(base, true, o.max_age_s, o.max_future_s)
    };
    verifier_with(config, &o.trust, &o.certs, &o.crls, at)
}

/// A verifier trusting the anchors in `trust`, knowing the certificates in `certs` (each
/// entry one certificate or a list of them) and with the signed CRLs in `crls` applied at
/// `at`, with the generation-time window given in seconds.
pub(crate) fn build_verifier(
    trust: &[Vec<u8>],
    certs: &[Vec<u8>],
    crls: &[Vec<u8>],
    at: Timestamp,
    max_age_s: Option<f64>,
    max_future_s: Option<f64>,
    diagnose: bool,
) -> Result<Verifier, String> {
    let config = window_config(Config::default(), diagnose, max_age_s, max_future_s);
    verifier_with(config, trust, certs, crls, at)
}

/// `base` with `diagnose` and the generation-time window given in seconds.
fn window_config(
    base: Config,
    diagnose: bool,
    max_age_s: Option<f64>,
    max_future_s: Option<f64>,
) -> Config {
    let mut config = Config { diagnose, ..base };
    if let Some(s) = max_age_s {
        config.max_age_us = (s * 1e6) as i64;
    }
    if let Some(s) = max_future_s {
        config.max_future_us = (s * 1e6) as i64;
    }
    config
}

/// A verifier with `config`, trusting the anchors in `trust`, knowing the certificates in
/// `certs` (each entry one certificate or a list of them) and with the signed CRLs in `crls`
/// applied at `at`.
pub(crate) fn verifier_with(
    config: Config,
    trust: &[Vec<u8>],
    certs: &[Vec<u8>],
    crls: &[Vec<u8>],
    at: Timestamp,
) -> Result<Verifier, String> {
    let mut v = Verifier::new(config);
    for t in trust {
        let list = parse_certificate_list(t).map_err(|e| format!("--trust: {e}"))?;
        for c in list {
            v.add_trust_anchor(c.bytes())
                .map_err(|e| format!("--trust: {}", e.code()))?;
        }
    }
    for c in certs {
        let list = parse_certificate_list(c).map_err(|e| format!("--cert: {e}"))?;
        for c in list {
            v.add_certificate(c.bytes())
                .map_err(|e| format!("--cert: {}", e.code()))?;
        }
    }
    for c in crls {
        v.add_signed_crl(c, at)
            .map_err(|e| format!("--crl: {} ({e})", e.code()))?;
    }
    Ok(v)
}

fn chain_json(c: &ChainStatus) -> Value {
    match c {
        ChainStatus::NotChecked => json!({ "status": "not_checked" }),
        ChainStatus::Anchored { anchor, length } => {
            json!({ "status": "anchored", "anchor": hex_lower(anchor), "length": length })
        }
        ChainStatus::Failed(e) => json!({ "status": "failed", "reason": e.code() }),
    }
}

fn spdu_verify(args: &[String]) -> Result<ExitCode, String> {
    let o = parse_options(args)?;
    let input = o.input.clone().ok_or_else(|| USAGE.to_string())?;
    let at = o.at.unwrap_or_else(now);
    let mut v = verifier(&o)?;
    let rep = v.verify(&input, at);
    let out = json!({
        "result": rep.code(),
        "detail": rep.result.err().map(|e| e.to_string()),
        "signer": rep.signer.map(|s| hex_lower(&s)),
        "aid": rep.aid,
        "generation_time": rep.generation_time.map(|t| rfc3339(Timestamp::from_time64(t))),
        "verified_at": rfc3339(at),
        "signature_valid": rep.signature_valid,
        "chain": chain_json(&rep.chain),
        "relaxations": relaxations_json(rep.relaxations),
        "certificate_request": rep.certificate_request.map(|h| hex_lower(&h)),
        "payload": rep.payload.map(hex_lower),
    });
    outln!(
        "{}",
        serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
    );
    Ok(if rep.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn cert_verify(args: &[String]) -> Result<ExitCode, String> {
    let o = parse_options(args)?;
    let input = o.input.clone().ok_or_else(|| USAGE.to_string())?;
    let at = o.at.unwrap_or_else(now);
    let mut v = verifier(&o)?;
    let res = v.verify_chain(&input, &[], at);
    let out = match res {
        Ok(c) => json!({
            "result": "ok",
            "chain": { "status": "anchored", "anchor": hex_lower(&c.anchor), "length": c.length },
            "relaxations": relaxations_json(c.relaxations),
        }),
        Err(e) => json!({ "result": e.code(), "detail": e.to_string() }),
    };
    outln!(
        "{}",
        serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
    );
    Ok(if res.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
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
}
