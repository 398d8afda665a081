//! `cv2x ctl inspect|verify` on the two real trust lists, and `--relax` on `cert verify`
//! (tests/data/real/wanji_obu_pki_sm2, see its SOURCE.md).

use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_cv2x");
const AT: &str = "2021-01-01T00:00:00Z";

fn data(rel: &str) -> String {
    format!(
        "{}/tests/data/real/wanji_obu_pki_sm2/{rel}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn run(args: &[&str]) -> (Value, i32, String) {
    let out = Command::new(BIN).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (v, out.status.code().unwrap_or(-1), stderr)
}

/// `cv2x ctl verify --at AT [options] --trust ROOT LIST` (paths absolute).
fn ctl_verify(options: &[&str], root: &str, list: &str) -> (Value, i32) {
    let mut args = vec!["ctl", "verify", "--at", AT];
    args.extend_from_slice(options);
    args.extend_from_slice(&["--trust", root, list]);
    let (v, code, _) = run(&args);
    (v, code)
}

const DATANG: &str = "ctl/ctl.datangmobile.cn.coer";
const CICV: &str = "ctl/cicv.pctl";
const CICV_ROOT: &str = "ctl_extracted/cicv_5883_rootca.china-icv.cn.coer";

#[test]
fn inspect_names_the_format_header_signer_and_every_certificate() {
    let (v, code, _) = run(&["ctl", "inspect", &data(DATANG)]);
    assert_eq!(code, 0);
    assert_eq!(v["format"], "tdcl");
    assert_eq!(v["version"], 1);
    assert_eq!(v["signer"]["sm3AndDigest"], "26deec8eeb3f5ffb");
    assert_eq!(v["sequence_number"], 1);
    assert_eq!(v["issue_date"], "2020-09-04T00:41:36Z");
    assert_eq!(v["next_update"], "2030-09-04T00:41:36Z");
    assert_eq!(v["certificate_count"], 30);
    assert_eq!(v["signature"], "ecsigSm2");
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 6);
    let ica = &groups[0]["certificates"][1];
    assert_eq!(ica["id"]["name"], "ica.datang.v2x.xdja.com");
    assert_eq!(ica["hashedid8"], "dec778b209560303");
    assert_eq!(ica["offset"], 264);
    assert_eq!(ica["validity"]["end"], "2033-08-26T06:44:05Z");

    let (v, code, _) = run(&["ctl", "inspect", &data(CICV)]);
    assert_eq!(code, 0);
    assert_eq!(v["certificate_count"], 53);
    assert_eq!(v["groups"][0]["crl_host"], "crl.Apollo.auto");
    assert_eq!(v["groups"][0]["ma_host"], "ma.Apollo.auto");

    // not a trust list: a certificate
    let (_, code, err) = run(&["ctl", "inspect", &data("certs/RCA.oer")]);
    assert_eq!(code, 2);
    assert!(err.contains("ctl_unsupported_version"), "{err}");
}

#[test]
fn verify_reports_each_certificate_and_exits_zero_only_when_the_list_verifies() {
    let (v, code) = ctl_verify(&[], &data("certs/RCA.oer"), &data(DATANG));
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["result"], "ok");
    assert_eq!(v["signer"], "26deec8eeb3f5ffb");
    assert_eq!(v["stale"], false);
    assert_eq!(v["summary"]["added"], 16);
    assert_eq!(v["summary"]["rejected"], 11);
    assert_eq!(v["summary"]["trust_anchor"], 2);
    assert_eq!(v["summary"]["self_signed_not_trusted"], 1);
    let first = &v["certificates"][0];
    assert_eq!(first["status"], "added");
    assert_eq!(first["chain"]["length"], 3);

    let relax = [
        "--relax",
        "validity_not_nested",
        "--relax",
        "chain_length_constraints",
    ];
    let (v, code) = ctl_verify(&relax, &data(CICV_ROOT), &data(CICV));
    assert_eq!(code, 0);
    assert_eq!(v["stale"], true);
    assert_eq!(v["summary"]["added"], 47);
    assert_eq!(v["relaxation_counts"]["validity_not_nested"], 21);
    let pra = v["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"]["name"] == "pra.Apollo.auto")
        .unwrap();
    assert_eq!(
        pra["relaxations"],
        serde_json::json!(["validity_not_nested", "chain_length_constraints"])
    );

    // the wrong root, a current list required, a flipped byte: exit 1 with the reason
    let (v, code) = ctl_verify(&[], &data(CICV_ROOT), &data(DATANG));
    assert_eq!(
        (code, v["result"].as_str()),
        (1, Some("ctl_signer_not_trusted"))
    );
    let (v, code) = ctl_verify(&["--require-current"], &data(CICV_ROOT), &data(CICV));
    assert_eq!((code, v["result"].as_str()), (1, Some("ctl_stale")));
    let mut bytes = std::fs::read(data(DATANG)).unwrap();
    bytes[12] ^= 1;
    let flipped = format!("{}/datang_flipped.coer", env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(&flipped, bytes).unwrap();
    let (v, code) = ctl_verify(&[], &data("certs/RCA.oer"), &flipped);
    assert_eq!(
        (code, v["result"].as_str()),
        (1, Some("ctl_signature_invalid"))
    );
    // the byte flipped was the low octet of the sequence number
    assert_eq!(v["list"]["sequence_number"], 0);
}

#[test]
fn cert_verify_takes_named_relaxations_and_reports_them() {
    let base = [
        "cert",
        "verify",
        "--at",
        AT,
        "--trust",
        &data("certs/RCA.oer"),
        "--cert",
        &data("certs/ICA.oer"),
        "--cert",
        &data("certs/PCA.oer"),
    ]
    .map(String::from);
    let pc = data("certs/pc_3.oer");
    let mut args: Vec<&str> = base.iter().map(String::as_str).collect();
    args.push(&pc);
    let (v, code, _) = run(&args);
    assert_eq!(
        (code, v["result"].as_str()),
        (1, Some("issuer_not_permitted"))
    );
    args.insert(2, "--relax");
    args.insert(3, "ee_permissions_outside_issuer");
    let (v, code, _) = run(&args);
    assert_eq!((code, v["result"].as_str()), (0, Some("ok")));
    assert_eq!(
        v["relaxations"],
        serde_json::json!(["ee_permissions_outside_issuer"])
    );
    args[3] = "signatures";
    let (_, code, err) = run(&args);
    assert_eq!(code, 2);
    assert!(err.contains("`signatures` is not one of"), "{err}");
}
