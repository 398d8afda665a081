//! `cv2x listen` / `cv2x send` end to end on 127.0.0.1 and on a loopback multicast group.
#![cfg(feature = "cli")]

use std::io::Write;
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

fn run_pair(listen_args: &[&str], send_args: &[&str], file: &std::path::Path) -> Vec<Value> {
    let listener = Command::new(BIN)
        .arg("listen")
        .args(listen_args)
        .args(["--count", "2", "--timeout", "10"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Give the listener time to bind; send repeats the file so a late start still gets two.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let status = Command::new(BIN)
        .arg("send")
        .args(send_args)
        .args(["--rate", "50", "--count", "30"])
        .arg(file)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
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
    let lines = run_pair(&["--port", &port], &["--port", &port], &file);
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
fn listen_and_send_multicast() {
    let port = free_port().to_string();
    let file = vectors_file("multicast");
    let group = ["--group", "239.255.77.3"];
    let lines = run_pair(
        &[group[0], group[1], "--port", &port],
        &[group[0], group[1], "--port", &port],
        &file,
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
