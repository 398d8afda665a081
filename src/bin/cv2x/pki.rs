//! `cv2x pki init`: a test PKI on disk (root CA → CA → pseudonym, ECDSA P-256 or SM2) for
//! demonstrations and lab networks, and the loading of a signing key with its certificate for
//! `cv2x send`. Never for deployment: the keys derive from a seed.
use std::path::Path;
use std::process::ExitCode;

use cv2x::msg::conform::hex_lower;
use cv2x::net::aid::DAY1_TABLE;
use cv2x::security::cert::{Certificate, KeyAlg};
use cv2x::security::sign::{PrivateKey, SpduSigner};
use cv2x::security::testpki::TestPki;
use cv2x::security::{Config, Verifier};
use serde_json::json;

use crate::security::{now, parse_rfc3339, read_input, rfc3339};

const USAGE: &str = concat!(
    "usage:\n",
    "  cv2x pki init [--alg sm2|p256] [--seed TEXT] [--at RFC3339] DIR\n",
    "writes DIR/root.oer, DIR/ca.oer, DIR/signer.oer (COER) and DIR/signer.key (hex scalar);\n",
    "the pseudonym may sign every Day I AID and is valid for a week from an hour before --at.\n",
);

/// Default seed of `pki init`.
const DEFAULT_SEED: &str = "cv2x lab pki";

/// Runs `pki …`.
pub fn run(args: &[String]) -> Result<ExitCode, String> {
    match args.split_first() {
        Some((sub, rest)) if sub == "init" => init(rest),
        _ => Err(USAGE.to_string()),
    }
}

fn init(args: &[String]) -> Result<ExitCode, String> {
    let mut alg = KeyAlg::Sm2;
    let mut seed = DEFAULT_SEED.to_string();
    let mut at = None;
    let mut dir = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--alg" => alg = parse_alg(value()?)?,
            "--seed" => seed = value()?.clone(),
            "--at" => at = Some(parse_rfc3339(value()?)?),
            s if s.starts_with("--") => return Err(format!("unknown option {s}\n{USAGE}")),
            s if dir.is_none() => dir = Some(s.to_string()),
            _ => return Err(format!("one directory expected\n{USAGE}")),
        }
    }
    let dir = dir.ok_or_else(|| USAGE.to_string())?;
    let at = at.unwrap_or_else(now);
    let pki = TestPki::new(alg, seed.as_bytes(), at).map_err(|e| format!("test PKI: {e}"))?;
    let aids: Vec<u64> = DAY1_TABLE.iter().map(|(a, _)| u64::from(a.0)).collect();
    let signer = pki.signer(&aids).map_err(|e| format!("test PKI: {e}"))?;
    let key = signer.key();
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    write(&dir.join("root.oer"), pki.root_cert(), false)?;
    write(&dir.join("ca.oer"), pki.ca_cert(), false)?;
    write(&dir.join("signer.oer"), signer.certificate(), false)?;
    let mut key_hex = hex_lower(&key.to_bytes());
    key_hex.push('\n');
    write(&dir.join("signer.key"), key_hex.as_bytes(), true)?;
    // The files must load back into a signer whose messages verify under the root.
    let loaded = load_signer(
        &dir.join("signer.oer").to_string_lossy(),
        &dir.join("signer.key").to_string_lossy(),
    )?;
    let mut verifier = Verifier::new(Config::default());
    let root = verifier
        .add_trust_anchor(pki.root_cert())
        .map_err(|e| format!("root: {e}"))?;
    let ca = verifier
        .add_certificate(pki.ca_cert())
        .map_err(|e| format!("CA: {e}"))?;
    verifier
        .add_certificate(loaded.certificate())
        .map_err(|e| format!("signer: {e}"))?;
    let probe = loaded
        .sign(b"probe", aids[0], at)
        .map_err(|e| format!("signing with the written key: {e}"))?;
    let report = verifier.verify(&probe, at);
    if !report.is_ok() {
        return Err(format!(
            "the written PKI does not verify: {}",
            report.code()
        ));
    }
    let cert = Certificate::from_bytes(signer.certificate()).map_err(|e| e.to_string())?;
    outln!(
        "{:#}",
        json!({
            "alg": alg_name(alg),
            "dir": dir.display().to_string(),
            "root": hex_lower(&root),
            "ca": hex_lower(&ca),
            "signer": hex_lower(&signer.id8()),
            "aids": aids,
            "signer_valid_from": rfc3339(cert.validity.start()),
            "signer_valid_to": rfc3339(cert.validity.end()),
        })
    );
    Ok(ExitCode::SUCCESS)
}

fn write(path: &Path, bytes: &[u8], secret: bool) -> Result<(), String> {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = secret;
    let mut f = o
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    // A key file that existed before keeps no wider permissions than a new one.
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    f.write_all(bytes)
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn parse_alg(s: &str) -> Result<KeyAlg, String> {
    match s {
        "sm2" => Ok(KeyAlg::Sm2),
        "p256" => Ok(KeyAlg::EcdsaP256),
        other => Err(format!("`{other}` is not sm2 or p256")),
    }
}

fn alg_name(alg: KeyAlg) -> &'static str {
    match alg {
        KeyAlg::Sm2 => "sm2",
        _ => "p256",
    }
}

/// A signer from a certificate (COER file or hex) and its private key (a file holding the
/// 32-octet scalar as hex, or the scalar in binary). The key must be the certificate's.
pub fn load_signer(cert_arg: &str, key_arg: &str) -> Result<SpduSigner, String> {
    let cert_bytes = read_input(cert_arg).map_err(|e| format!("--sign-cert: {e}"))?;
    let cert = Certificate::from_bytes(&cert_bytes)
        .map_err(|e| format!("--sign-cert {cert_arg}: not a certificate: {e}"))?;
    let alg = cert
        .public_key()
        .map_err(|e| format!("--sign-cert {cert_arg}: {e}"))?
        .alg;
    let d: [u8; 32] = read_input(key_arg)
        .map_err(|e| format!("--sign-key: {e}"))?
        .try_into()
        .map_err(|_| format!("--sign-key {key_arg}: a key is 32 octets"))?;
    let key = PrivateKey::from_bytes(alg, &d)
        .map_err(|e| format!("--sign-key {key_arg}: not a valid key: {e}"))?;
    if !key.matches_certificate(&cert) {
        return Err(format!(
            "--sign-key {key_arg} is not the key of certificate {cert_arg}"
        ));
    }
    SpduSigner::new(key, &cert_bytes).map_err(|e| format!("--sign-cert {cert_arg}: {e}"))
}
