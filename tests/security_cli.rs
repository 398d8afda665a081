//! `cv2x cert inspect` and `cv2x spdu verify`: their JSON reports and exit codes.

use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_cv2x");

fn data(rel: &str) -> String {
    format!("{}/tests/data/security/{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> (Value, i32) {
    let out = Command::new(BIN).args(args).output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (v, out.status.code().unwrap_or(-1))
}

const CAM: &str = "etsi_ts103097_vanetza/vw_golf8_cam_full_cert_verify.coer.hex";

#[test]
fn spdu_verify_real_cam() {
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(data("etsi_ts103097_vanetza/expected.json")).unwrap(),
    )
    .unwrap();
    let e = &expected["vw_golf8_cam_full_cert_verify"];
    let (v, code) = run(&["spdu", "verify", "--at", "2019-11-21T11:30:00Z", &data(CAM)]);
    assert_eq!(v["signature_valid"], Value::Bool(true));
    assert_eq!(v["signer"], e["signer_cert_hashedid8"]);
    assert_eq!(v["aid"], e["its_aid"]);
    // generated at 13:27:54Z, so at 11:30 it is in the future; the AA is not trusted
    assert_eq!(v["result"], "generation_time_in_future");
    assert_eq!(v["chain"]["status"], "failed");
    assert_eq!(v["chain"]["reason"], "unknown_issuer");
    assert_eq!(code, 1);

    // a flipped signature byte
    let hex = std::fs::read_to_string(data(CAM)).unwrap();
    let hex = hex.trim();
    let (head, last) = hex.split_at(hex.len() - 2);
    let flipped = format!("{head}{:02x}", u8::from_str_radix(last, 16).unwrap() ^ 0x01);
    let (v, code) = run(&["spdu", "verify", "--at", "2019-11-21T11:30:00Z", &flipped]);
    assert_eq!(v["signature_valid"], Value::Bool(false));
    assert_eq!(code, 1);
}

#[test]
fn spdu_verify_ok_exits_zero() {
    use cv2x::security::cert::KeyAlg;
    use cv2x::testing::pki::TestPki;
    use cv2x::time::Timestamp;
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    // 2026-01-01T00:00:00Z
    let now = Timestamp::from_unix_utc_millis(1_767_225_600_000);
    for alg in [KeyAlg::EcdsaP256, KeyAlg::Sm2] {
        let pki = TestPki::new(alg, b"cli", now).unwrap();
        let signer = pki.signer(&[32]).unwrap();
        let spdu = signer.sign(b"\x01\x02", 32, now).unwrap();
        let dir = std::env::temp_dir().join(format!("cv2x-cli-{alg:?}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let root = dir.join("root.coer");
        std::fs::write(&root, pki.root_cert()).unwrap();
        let (v, code) = run(&[
            "spdu",
            "verify",
            "--at",
            "2026-01-01T00:00:00Z",
            "--trust",
            root.to_str().unwrap(),
            "--cert",
            &hex(pki.ca_cert()),
            "--cert",
            &hex(signer.certificate()),
            &hex(&spdu),
        ]);
        assert_eq!(v["result"], "ok", "{alg:?}: {v}");
        assert_eq!(v["payload"], "0102");
        assert_eq!(v["signature_valid"], Value::Bool(true));
        assert_eq!(v["chain"]["length"], 3);
        assert_eq!(v["generation_time"], "2026-01-01T00:00:00Z");
        assert_eq!(code, 0);
        std::fs::remove_dir_all(&dir).ok();
    }
    // a message is not a certificate: a usage error (exit 2), no JSON
    let out = Command::new(BIN)
        .args(["cert", "inspect", &data(CAM)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn spdu_verify_applies_signed_crls() {
    use cv2x::security::cert::{Certificate, KeyAlg, PsidSsp};
    use cv2x::security::sign::SpduSigner;
    use cv2x::security::store::{CRL_PSID, Crl};
    use cv2x::security::{Config, Verifier};
    use cv2x::testing::pki::TestPki;
    use cv2x::time::Timestamp;
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    // 2026-01-01T00:00:00Z
    let now = Timestamp::from_unix_utc_millis(1_767_225_600_000);
    let pki = TestPki::new(KeyAlg::Sm2, b"cli-crl", now).unwrap();
    let signer = pki.signer(&[32]).unwrap();
    let spdu = signer.sign(b"\x01", 32, now).unwrap();
    // A CRL signer issued by the CA, and the CA's CRL revoking the pseudonym.
    let key = pki.key("crl").unwrap();
    let mut t = pki.template(&key, Some(pki.ca_cert()));
    t.fields.app_permissions = vec![PsidSsp {
        psid: CRL_PSID,
        ssp: None,
    }];
    let crl_cert = pki.issue_by_ca(&t, &key).unwrap();
    let crl_signer = SpduSigner::new(key, &crl_cert).unwrap();
    let mut v = Verifier::new(Config::default());
    v.add_trust_anchor(pki.root_cert()).unwrap();
    let ca = v.add_certificate(pki.ca_cert()).unwrap();
    let hash = v.certificate_hash(&Certificate::from_bytes(signer.certificate()).unwrap());
    let day = (now.as_micros() / 1_000_000) as u32;
    let crl = Crl {
        crl_series: 1,
        craca: ca,
        issue_date: day - 60,
        next_crl: day + 86_400,
        delta: false,
        serial: 1,
        entries: vec![(hash[22..].try_into().unwrap(), day + 86_400)],
    };
    let secured_crl = crl_signer.sign(&crl.encode(), CRL_PSID, now).unwrap();
    let args = |crl: Option<String>| {
        let mut a = vec![
            "spdu".to_string(),
            "verify".into(),
            "--at".into(),
            "2026-01-01T00:00:00Z".into(),
            "--trust".into(),
            hex(pki.root_cert()),
            "--cert".into(),
            hex(pki.ca_cert()),
            "--cert".into(),
            hex(crl_signer.certificate()),
            "--cert".into(),
            hex(signer.certificate()),
        ];
        if let Some(c) = crl {
            a.extend(["--crl".to_string(), c]);
        }
        a.push(hex(&spdu));
        a
    };
    let run_args = |a: Vec<String>| run(&a.iter().map(String::as_str).collect::<Vec<_>>());
    let (v, code) = run_args(args(None));
    assert_eq!(v["result"], "ok", "{v}");
    assert_eq!(code, 0);
    let (v, code) = run_args(args(Some(hex(&secured_crl))));
    assert_eq!(v["result"], "revoked", "{v}");
    assert_eq!(code, 1);
    // a CRL that does not verify is a usage error naming the reason
    let mut broken = secured_crl.clone();
    let last = broken.len() - 1;
    broken[last] ^= 1;
    let out = Command::new(BIN)
        .args(args(Some(hex(&broken))))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("message_signature_invalid"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn cert_inspect_reports_hash_id_validity_and_permissions() {
    let (v, code) = run(&[
        "cert",
        "inspect",
        &data("ieee1609dot2_ecdsa/pca_cert.coer.hex"),
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["hashedid8"], "163f2b7bc99253f4");
    assert_eq!(v["issuer"]["sha256AndDigest"], "281c9c1e50f4f7a1");
    // start 468816349 TAI seconds since 2004 = 2018-11-09T02:45:44Z (5 leap seconds)
    assert_eq!(v["validity"]["start"], "2018-11-09T02:45:44Z");
    assert_eq!(v["key"]["algorithm"], "ecdsaNistP256");
    let (v, code) = run(&[
        "cert",
        "inspect",
        &data("gbt45112_sm2/caict_trcla_root_sm2.coer.hex"),
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["issuer"]["self"], "sm3");
    assert_eq!(v["key"]["algorithm"], "ecsigSm2");
    assert_eq!(v["region"]["identified"][0]["countryOnly"], 156);
    assert_eq!(v["aids"][0], 3627);
}

#[test]
fn cert_verify_chain() {
    let (rca, ica, pca) = (
        data("ieee1609dot2_ecdsa/rca_cert.coer.hex"),
        data("ieee1609dot2_ecdsa/ica_cert.coer.hex"),
        data("ieee1609dot2_ecdsa/pca_cert.coer.hex"),
    );
    let verify = |extra: &[&str]| {
        let mut args = vec![
            "cert",
            "verify",
            "--at",
            "2019-06-01T00:00:00Z",
            "--trust",
            &rca,
        ];
        args.extend_from_slice(extra);
        args.push(&pca);
        run(&args)
    };
    let (v, code) = verify(&["--cert", &ica]);
    assert_eq!(v["result"], "ok");
    assert_eq!(v["chain"]["anchor"], "0df9ed502b2d235b");
    assert_eq!(v["chain"]["length"], 3);
    assert_eq!(code, 0);
    // without the intermediate the issuer is unknown
    let (v, code) = verify(&[]);
    assert_eq!(v["result"], "unknown_issuer");
    assert_eq!(code, 1);
}

/// A reader that closes the pipe before the output is written (`| grep -q`, `| head`) ends the
/// command quietly with success, never with a panic.
#[test]
fn closed_stdout_pipe_is_not_a_panic() {
    use std::process::Stdio;
    for _ in 0..20 {
        let mut child = Command::new(BIN)
            .args([
                "cert",
                "inspect",
                &data("ieee1609dot2_ecdsa/rca_cert.coer.hex"),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(out.status.code(), Some(0), "{stderr}");
    }
}
