//! `cv2x ctl inspect` and `cv2x ctl verify`: the signed CA certificate lists (TDCL) of Chinese
//! V2X PKIs (format: `cv2x::security::ctl`).
use std::process::ExitCode;

use cv2x::msg::conform::hex_lower;
use cv2x::security::Config;
use cv2x::security::cert::{CertType, Certificate, Issuer};
use cv2x::security::ctl::{Ctl, CtlError, CtlLoad, EntryStatus};
use serde_json::{Value, json};

use crate::security::{
    cert_hash, id_json, issuer_json, parse_options_for, relaxations_json, validity_json,
    verifier_for,
};
use crate::text::{now, read_input, rfc3339};

const USAGE: &str = concat!(
    "usage:\n",
    "  cv2x ctl inspect FILE\n",
    "  cv2x ctl verify --trust ROOT [--at RFC3339] [--cert CERT]... [--crl CRL]...\n",
    "                  [--relax NAME]... [--require-current] FILE\n",
    "FILE: a signed trust list (TDCL, binary or hex). ROOT: the root certificate that signs it\n",
    "(a trust anchor). verify checks the list's signature and time, then verifies every CA\n",
    "certificate it carries at --at (default: now) and reports which were added; it exits 0\n",
    "only when the list itself verifies. --require-current refuses a list past its next update.\n",
    "NAME: ee_permissions_outside_issuer | validity_not_nested | chain_length_constraints\n",
);

/// Runs `ctl …`.
pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let Some((sub, rest)) = args.split_first() else {
        return Err(USAGE.to_string());
    };
    match sub.as_str() {
        "inspect" => inspect(rest),
        "verify" => verify(rest),
        _ => Err(format!("unknown command `ctl {sub}`\n{USAGE}")),
    }
}

fn print(v: &Value) -> Result<(), String> {
    outln!(
        "{}",
        serde_json::to_string_pretty(v).map_err(|e| e.to_string())?
    );
    Ok(())
}

/// The signer as an issuer identifier (`{"sm3AndDigest": …}`).
fn signer_json(ctl: &Ctl<'_>) -> Value {
    issuer_json(&Issuer::Digest(ctl.signer_hash, ctl.signer))
}

/// The fields of the list itself.
fn header_json(ctl: &Ctl<'_>) -> Value {
    json!({
        "format": "tdcl",
        "version": ctl.version,
        "signer": signer_json(ctl),
        "sequence_number": ctl.sequence_number,
        "issue_date": rfc3339(ctl.issue_time()),
        "next_update": rfc3339(ctl.next_update_time()),
        "signed_bytes": ctl.tbs().len(),
        "signature": ctl.signature.alg.name(),
        "group_count": ctl.groups.len(),
        "certificate_count": ctl.len(),
    })
}

/// Name, HashedId8, issuer and validity of a certificate.
fn cert_summary(c: &Certificate) -> Value {
    let hash = cert_hash(c);
    json!({
        "id": id_json(&c.id),
        "hashedid8": hex_lower(&hash[24..]),
        "issuer": issuer_json(&c.issuer),
        "type": match c.cert_type { CertType::Explicit => "explicit", CertType::Implicit => "implicit" },
        "validity": validity_json(c),
        "aids": c.app_permissions.iter().map(|p| p.psid).collect::<Vec<_>>(),
    })
}

fn parse_error(e: &CtlError) -> String {
    format!("{}: {e}", e.code())
}

fn inspect(args: &[String]) -> Result<ExitCode, String> {
    let [arg] = args else {
        return Err(USAGE.to_string());
    };
    let bytes = read_input(arg)?;
    let ctl = Ctl::parse(&bytes).map_err(|e| parse_error(&e))?;
    let mut groups = Vec::with_capacity(ctl.groups.len());
    for g in &ctl.groups {
        let mut certs = Vec::with_capacity(g.certificates.len());
        for e in &g.certificates {
            let c = e.certificate().map_err(|e| parse_error(&e))?;
            let mut v = cert_summary(&c);
            v["offset"] = json!(e.offset);
            certs.push(v);
        }
        groups.push(json!({
            "offset": g.offset,
            "crl_host": g.crl_host,
            "ma_host": g.ma_host,
            "certificates": certs,
        }));
    }
    let mut out = header_json(&ctl);
    out["groups"] = json!(groups);
    print(&out)?;
    Ok(ExitCode::SUCCESS)
}

fn verify(args: &[String]) -> Result<ExitCode, String> {
    // `--require-current` is the one option of its own; the others are those of `spdu verify`.
    let (flags, rest): (Vec<String>, Vec<String>) =
        args.iter().cloned().partition(|a| a == "--require-current");
    let o = parse_options_for(&rest, USAGE)?;
    let bytes = o.input.clone().ok_or_else(|| USAGE.to_string())?;
    if o.trust.is_empty() {
        return Err(format!("--trust ROOT is required\n{USAGE}"));
    }
    let at = o.at.unwrap_or_else(now);
    let base = Config {
        require_current_trust_list: !flags.is_empty(),
        ..Config::default()
    };
    let mut v = verifier_for(&o, base)?;
    let header = Ctl::parse(&bytes).ok().map(|c| header_json(&c));
    let (out, ok) = match v.load_ctl(&bytes, at) {
        Ok(load) => (load_json(&load), true),
        Err(e) => (
            json!({ "result": e.code(), "detail": e.to_string() }),
            false,
        ),
    };
    let mut out = out;
    out["verified_at"] = json!(rfc3339(at));
    if let Some(h) = header {
        out["list"] = h;
    }
    out["relaxation_counts"] = json!(
        v.relaxation_counts()
            .iter()
            .map(|(r, n)| (r.code().to_string(), json!(n)))
            .collect::<serde_json::Map<_, _>>()
    );
    print(&out)?;
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn load_json(load: &CtlLoad) -> Value {
    let mut counts = serde_json::Map::new();
    let entries: Vec<Value> = load
        .entries
        .iter()
        .map(|e| {
            let code = e.status.code();
            let key = match e.status {
                EntryStatus::Rejected(_) => "rejected",
                _ => code,
            };
            let n = counts.entry(key).or_insert(json!(0));
            *n = json!(n.as_u64().unwrap_or(0) + 1);
            let mut v = json!({
                "group": e.group,
                "offset": e.offset,
                "id": id_json(&e.certificate.id),
                "hashedid8": hex_lower(&e.id8),
                "status": code,
            });
            if let EntryStatus::Added(c) = e.status {
                v["chain"] = json!({ "anchor": hex_lower(&c.anchor), "length": c.length });
                v["relaxations"] = relaxations_json(c.relaxations);
            }
            if let EntryStatus::Duplicate { first_offset } = e.status {
                v["first_offset"] = json!(first_offset);
            }
            v
        })
        .collect();
    json!({
        "result": "ok",
        "signer": hex_lower(&load.verified.signer),
        "stale": load.verified.stale,
        "summary": counts,
        "certificates": entries,
    })
}
