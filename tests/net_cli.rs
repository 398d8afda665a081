//! `cv2x listen` / `cv2x send` end to end on 127.0.0.1 and on a loopback multicast group,
//! plain and signed (with the lab PKI that `cv2x pki init` writes).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_cv2x");

fn free_port() -> u16 {
    std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn vectors_file(name: &str) -> std::path::PathBuf {
    let path =
        std::env::temp_dir().join(format!("cv2x-net-cli-{}-{name}.jsonl", std::process::id()));
    let mut f = std::fs::File::create(&path).unwrap();
    writeln!(f, r#"{{"type":"MapData","uper_hex":"0a0b0c"}}"#).unwrap();
    writeln!(
        f,
        r#"{{"type":"MessageFrame","alt":"spatFrame","uper_hex":"1122"}}"#
    )
    .unwrap();
    writeln!(
        f,
        r#"{{"type":"SensorSharingMsg","aid":4000,"uper_hex":"33"}}"#
    )
    .unwrap();
    writeln!(
        f,
        r#"{{"type":"MapData","uper_hex":"00","expect":"reject"}}"#
    )
    .unwrap();
    path
}

/// Runs a command to its end and checks that it succeeded.
fn succeeds(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Runs a listener for `count` messages and a sender of `file` on the arguments given; returns
/// the listener's lines. The sender repeats the file so a late listener start still gets them.
fn run_pair<L, S>(listen_args: &[L], send_args: &[S], file: &Path, count: u32) -> Vec<Value>
where
    L: AsRef<std::ffi::OsStr>,
    S: AsRef<std::ffi::OsStr>,
{
    let listener = Command::new(BIN)
        .arg("listen")
        .args(listen_args)
        .args(["--count", &count.to_string(), "--timeout", "10"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Give the listener time to bind.
    std::thread::sleep(std::time::Duration::from_millis(300));
    succeeds(
        Command::new(BIN)
            .arg("send")
            .args(send_args)
            .args(["--rate", "50", "--count", &(count + 28).to_string()])
            .arg(file),
    );
    let out = listener.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "listen failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn listen_and_send_unicast() {
    let port = free_port().to_string();
    let file = vectors_file("unicast");
    let lines = run_pair(&["--port", &port], &["--port", &port], &file, 2);
    assert_eq!(lines.len(), 2);
    // Messages arrive in the file's order; the SSM line's AID is unknown to the listener and
    // dropped, so the two printed are two of MAP / SPAT.
    for l in &lines {
        let aid = l["aid"].as_u64().unwrap();
        let hex = l["payload"]["hex"].as_str().unwrap();
        match aid {
            3618 => assert_eq!((l["class"].as_str(), hex), (Some("map"), "0a0b0c")),
            3619 => assert_eq!((l["class"].as_str(), hex), (Some("spat"), "1122")),
            other => panic!("unexpected AID {other}"),
        }
        assert_eq!(l["kind"], "message_frame");
        assert!(l["source"].as_str().unwrap().starts_with("127.0.0.1:"));
        assert!(l["time"].as_str().unwrap().ends_with('Z'));
    }
    let _ = std::fs::remove_file(file);
}

#[test]
fn send_takes_plain_jer_lines() {
    // MessageFrames as `cv2x decode` prints them: the JER of two vector records
    let vectors = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/csae53_2020/MessageFrame.jsonl"
    );
    let records: Vec<Value> = std::fs::read_to_string(vectors)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|v: &Value| ["spatFrame", "mapFrame"].contains(&v["alt"].as_str().unwrap_or("")))
        .take(2)
        .collect();
    assert_eq!(records.len(), 2);
    let path = std::env::temp_dir().join(format!("cv2x-net-cli-{}-jer.jsonl", std::process::id()));
    let mut f = std::fs::File::create(&path).unwrap();
    for r in &records {
        writeln!(f, "{}", r["jer"]).unwrap();
    }
    drop(f);
    let port = free_port().to_string();
    let lines = run_pair(&["--port", &port], &["--port", &port], &path, 2);
    assert_eq!(lines.len(), 2);
    // the listener decodes each payload back to the JER that was sent
    let lower = |v: &Value| v.to_string().to_ascii_lowercase();
    for l in &lines {
        let got = lower(&l["payload"]["MessageFrame"]);
        let sent = records
            .iter()
            .find(|r| lower(&r["jer"]) == got)
            .unwrap_or_else(|| panic!("received {got}, not a sent frame"));
        let class = if sent["alt"] == "spatFrame" {
            "spat"
        } else {
            "map"
        };
        assert_eq!(l["class"], class);
    }
    let _ = std::fs::remove_file(path);
}

#[test]
fn listen_and_send_multicast() {
    let port = free_port().to_string();
    let file = vectors_file("multicast");
    let group = ["--group", "239.255.77.3"];
    let lines = run_pair(
        &[group[0], group[1], "--port", &port],
        &[group[0], group[1], "--port", &port],
        &file,
        2,
    );
    assert_eq!(lines.len(), 2);
}

#[test]
fn listen_times_out_with_failure() {
    let out = Command::new(BIN)
        .args([
            "listen",
            "--port",
            &free_port().to_string(),
            "--count",
            "1",
            "--timeout",
            "0.2",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_arguments_are_usage_errors() {
    for args in [
        vec!["listen"],
        vec!["listen", "--port", "x"],
        vec!["send", "--port", "1"],
        vec!["send", "--port", "1", "--group", "10.0.0.1", "f.jsonl"],
        vec!["listen", "--port", "1", "--nope"],
    ] {
        let out = Command::new(BIN).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

// --- signed messages: `send --sign-cert/--sign-key`, `listen --trust` ---------------------------

fn frames() -> String {
    format!(
        "{}/tests/vectors/csae53_2020/MessageFrame.jsonl",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// Writes a lab PKI and returns its directory and the summary `pki init` printed. Each test
/// names its own (`test`): every run of `pki init` signs the certificates anew.
fn pki(test: &str, alg: &str, seed: &str) -> (PathBuf, Value) {
    let dir = std::env::temp_dir().join(format!(
        "cv2x-signed-cli-{}-{test}-{alg}-{seed}",
        std::process::id()
    ));
    let out = Command::new(BIN)
        .args(["pki", "init", "--alg", alg, "--seed", seed])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir, serde_json::from_slice(&out.stdout).unwrap())
}

fn file(dir: &Path, name: &str) -> String {
    dir.join(name).to_string_lossy().into_owned()
}

/// Runs a listener and a sender of the MessageFrame vectors on a free port.
fn exchange(listen: &[String], send: &[String], count: u32) -> Vec<Value> {
    let port = free_port().to_string();
    let on_port = |args: &[String]| {
        let mut v = strings(&["--port", &port]);
        v.extend_from_slice(args);
        v
    };
    run_pair(
        &on_port(listen),
        &on_port(send),
        Path::new(&frames()),
        count,
    )
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn trust(dir: &Path) -> Vec<String> {
    strings(&[
        "--trust",
        &file(dir, "root.oer"),
        "--cert",
        &file(dir, "ca.oer"),
    ])
}

fn sign(dir: &Path, signer: &str) -> Vec<String> {
    strings(&[
        "--sign-cert",
        &file(dir, "signer.oer"),
        "--sign-key",
        &file(dir, "signer.key"),
        "--signer",
        signer,
    ])
}

#[test]
fn signed_messages_verify_and_their_payload_is_decoded() {
    for alg in ["sm2", "p256"] {
        let (dir, summary) = pki("verify", alg, "a");
        // `auto`: the first message carries the certificate, the rest name it by digest.
        let lines = exchange(&trust(&dir), &sign(&dir, "auto"), 4);
        assert_eq!(lines.len(), 4, "{alg}");
        for l in &lines {
            assert_eq!(l["kind"], "spdu", "{alg}: {l}");
            assert_eq!(l["security"]["result"], "ok", "{alg}: {l}");
            assert_eq!(l["security"]["signature_valid"], true, "{alg}: {l}");
            assert_eq!(l["security"]["signer"], summary["signer"], "{alg}: {l}");
            assert_eq!(l["security"]["aid"], l["aid"], "{alg}: {l}");
            assert!(l["payload"]["MessageFrame"].is_object(), "{alg}: {l}");
        }
    }
}

#[test]
fn another_root_does_not_verify() {
    let (signing, _) = pki("root", "sm2", "a");
    let (other, _) = pki("root", "sm2", "b");
    let lines = exchange(&trust(&other), &sign(&signing, "certificate"), 2);
    assert_eq!(lines.len(), 2);
    for l in &lines {
        assert_ne!(l["security"]["result"], "ok", "{l}");
        assert!(l["payload"].get("MessageFrame").is_none(), "{l}");
        assert!(l["payload"]["hex"].is_string(), "{l}");
    }
}

#[test]
fn digest_signer_unknown_until_its_certificate_is_known() {
    let (dir, _) = pki("digest", "p256", "a");
    let lines = exchange(&trust(&dir), &sign(&dir, "digest"), 2);
    assert_eq!(lines.len(), 2);
    for l in &lines {
        assert_ne!(l["security"]["result"], "ok", "{l}");
    }
    // the first unknown digest asks for the certificate (HashedId3)
    assert!(
        lines[0]["security"]["certificate_request"].is_string(),
        "{}",
        lines[0]
    );
    // the signer certificate given as known: digests verify
    let mut listen = trust(&dir);
    listen.extend(strings(&["--cert", &file(&dir, "signer.oer")]));
    let lines = exchange(&listen, &sign(&dir, "digest"), 2);
    assert!(lines.iter().all(|l| l["security"]["result"] == "ok"));
}

#[test]
fn unsigned_messages_pass_without_a_security_member() {
    let (dir, _) = pki("unsigned", "sm2", "a");
    let lines = exchange(&trust(&dir), &[], 2);
    assert_eq!(lines.len(), 2);
    for l in &lines {
        assert_eq!(l["kind"], "message_frame");
        assert!(l.get("security").is_none(), "{l}");
        assert!(l["payload"]["MessageFrame"].is_object(), "{l}");
    }
}

#[test]
fn a_key_that_is_not_the_certificates_is_refused() {
    let (a, _) = pki("mismatch", "sm2", "a");
    let (b, _) = pki("mismatch", "sm2", "b");
    let out = Command::new(BIN)
        .args(["send", "--port", "9", "--count", "1"])
        .args(["--sign-cert", &file(&a, "signer.oer")])
        .args(["--sign-key", &file(&b, "signer.key")])
        .arg(frames())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is not the key of certificate"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // half a signing configuration is a usage error too
    let out = Command::new(BIN)
        .args(["send", "--port", "9", "--sign-key", &file(&a, "signer.key")])
        .arg(frames())
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn signed_send_without_count_sends_each_line_once() {
    let (dir, _) = pki("once", "p256", "a");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("signer.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the key file is private: {mode:o}");
    }
    let lines = std::fs::read_to_string(frames())
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.contains(r#""expect":"reject""#))
        .count();
    assert!(lines > 1);
    let port = free_port().to_string();
    let out = succeeds(
        Command::new(BIN)
            .args(["send", "--group", "239.255.77.9", "--port", &port])
            .args(["--rate", "1000"])
            .args(sign(&dir, "auto"))
            .arg(frames()),
    );
    let report: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(report["sent"], lines as u64);
}
