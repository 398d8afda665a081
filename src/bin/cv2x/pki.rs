//! `cv2x pki init`: a test PKI on disk (root CA → CA → pseudonym, ECDSA P-256 or SM2) for
//! demonstrations and lab networks, with an optional pool of pseudonyms for `cv2x drive`, and
//! the loading of a signing key with its certificate for `cv2x send`. Never for deployment:
//! the keys derive from a seed.
use std::path::Path;
use std::process::ExitCode;

use cv2x::msg::conform::hex_lower;
use cv2x::net::aid::DAY1_TABLE;
use cv2x::security::cert::{Certificate, KeyAlg, PsidSsp};
use cv2x::security::sign::{PrivateKey, SpduSigner};
use cv2x::security::{Config, Verifier};
use cv2x::testing::pki::TestPki;
use serde_json::json;

use crate::text::{now, parse_rfc3339, read_input, rfc3339};

const USAGE: &str = concat!(
    "usage:\n",
    "  cv2x pki init [--alg sm2|p256] [--seed TEXT] [--at RFC3339] [--pseudonyms N] DIR\n",
    "writes DIR/root.oer, DIR/ca.oer, DIR/signer.oer (COER) and DIR/signer.key (hex scalar);\n",
    "the pseudonym may sign every Day I AID and is valid for a week from an hour before --at.\n",
    "--pseudonyms N adds a pool of N more pseudonyms, DIR/pseudonyms/NNNN.oer and .key.\n",
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
    let mut pseudonyms = 0usize;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--alg" => alg = parse_alg(value()?)?,
            "--seed" => seed = value()?.clone(),
            "--at" => at = Some(parse_rfc3339(value()?)?),
            "--pseudonyms" => {
                let v = value()?;
                pseudonyms = v
                    .parse()
                    .ok()
                    .filter(|n| (1..=10_000).contains(n))
                    .ok_or_else(|| format!("--pseudonyms: `{v}` is not a count from 1 to 10000"))?;
            }
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
    let pool = write_pseudonyms(&pki, &aids, pseudonyms, dir)?;
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
            "pseudonyms": pool,
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

/// Writes `n` pseudonyms of the test PKI (for `aids`) to `dir/pseudonyms/NNNN.oer` and
/// `.key`; returns their HashedId8s (hex).
fn write_pseudonyms(
    pki: &TestPki,
    aids: &[u64],
    n: usize,
    dir: &Path,
) -> Result<Vec<String>, String> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let sub = dir.join("pseudonyms");
    std::fs::create_dir_all(&sub).map_err(|e| format!("{}: {e}", sub.display()))?;
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let key = pki
            .key(&format!("pool-pseudonym-{i}"))
            .map_err(|e| format!("test PKI: {e}"))?;
        let mut t = pki.template(&key, Some(pki.ca_cert()));
        t.fields.app_permissions = aids
            .iter()
            .map(|a| PsidSsp {
                psid: *a,
                ssp: None,
            })
            .collect();
        let cert = pki
            .issue_by_ca(&t, &key)
            .map_err(|e| format!("test PKI: {e}"))?;
        let signer = SpduSigner::new(key, &cert).map_err(|e| format!("test PKI: {e}"))?;
        write(&sub.join(format!("{i:04}.oer")), &cert, false)?;
        let mut key_hex = hex_lower(&signer.key().to_bytes());
        key_hex.push('\n');
        write(&sub.join(format!("{i:04}.key")), key_hex.as_bytes(), true)?;
        ids.push(hex_lower(&signer.id8()));
    }
    Ok(ids)
}

/// A private key (a file holding the 32-octet scalar as hex, or the scalar in binary) with its
/// certificate (COER file or hex); the key must be the certificate's. Errors name the
/// arguments as `cert_flag` and `key_flag` call them.
fn load_key_pair(
    cert_arg: &str,
    key_arg: &str,
    cert_flag: &str,
    key_flag: &str,
) -> Result<(PrivateKey, Vec<u8>), String> {
    let cert_bytes = read_input(cert_arg).map_err(|e| format!("{cert_flag}: {e}"))?;
    let cert = Certificate::from_bytes(&cert_bytes)
        .map_err(|e| format!("{cert_flag} {cert_arg}: not a certificate: {e}"))?;
    let alg = cert
        .public_key()
        .map_err(|e| format!("{cert_flag} {cert_arg}: {e}"))?
        .alg;
    let d: [u8; 32] = read_input(key_arg)
        .map_err(|e| format!("{key_flag}: {e}"))?
        .try_into()
        .map_err(|_| format!("{key_flag} {key_arg}: a key is 32 octets"))?;
    let key = PrivateKey::from_bytes(alg, &d)
        .map_err(|e| format!("{key_flag} {key_arg}: not a valid key: {e}"))?;
    if !key.matches_certificate(&cert) {
        return Err(format!(
            "{key_flag} {key_arg} is not the key of certificate {cert_arg}"
        ));
    }
    Ok((key, cert_bytes))
}

/// A signer from a certificate (COER file or hex) and its private key (a file holding the
/// 32-octet scalar as hex, or the scalar in binary). The key must be the certificate's.
pub fn load_signer(cert_arg: &str, key_arg: &str) -> Result<SpduSigner, String> {
    let (key, cert) = load_key_pair(cert_arg, key_arg, "--sign-cert", "--sign-key")?;
    SpduSigner::new(key, &cert).map_err(|e| format!("--sign-cert {cert_arg}: {e}"))
}

/// The pseudonyms of a lab PKI directory: `DIR/pseudonyms/*.oer` with their `.key` files (in
/// name order), or else the single `DIR/signer.oer` and `signer.key`. Each comes with its
/// certificate file name.
pub fn load_pseudonyms(dir: &Path) -> Result<Vec<(PrivateKey, Vec<u8>, String)>, String> {
    let sub = dir.join("pseudonyms");
    let mut certs: Vec<std::path::PathBuf> = if sub.is_dir() {
        std::fs::read_dir(&sub)
            .map_err(|e| format!("{}: {e}", sub.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "oer"))
            .collect()
    } else {
        vec![dir.join("signer.oer")]
    };
    certs.sort();
    if certs.is_empty() {
        return Err(format!("{}: no pseudonym certificates", sub.display()));
    }
    certs
        .into_iter()
        .map(|c| {
            let k = c.with_extension("key");
            let (cs, ks) = (c.to_string_lossy(), k.to_string_lossy());
            let (key, cert) = load_key_pair(&cs, &ks, "certificate", "key")?;
            Ok((key, cert, cs.into_owned()))
        })
        .collect()
}
