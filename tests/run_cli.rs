//! `cv2x run` (a recorded drive and the messages received on it through the whole stack) and
//! the pictures of `cv2x run --svg` and `cv2x drive --svg`.
//!
//! The recorded drive and its messages are generated here as a scenario would make them: the
//! ego drives north at 15 m/s towards a car standing 100 m ahead that sends BSMs at 10 Hz, so
//! the stack raises a forward collision warning that escalates.
#![cfg(feature = "cli")]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use cv2x::codec::Uper;
use cv2x::geo::{EnuFrame, Wgs84};
use cv2x::net::Aid;
use cv2x::net::dsmp::Repr;
use cv2x::net::replay::CaptureWriter;
use cv2x::testing::scenario::build::{VehicleInfo, actor_vehicle_id, bsm};
use cv2x::testing::scenario::{Kind, MotionState};
use cv2x::time::Timestamp;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_cv2x");

/// 2025-06-01T08:00:00Z, Unix ms.
const T0_MS: i64 = 1_748_764_800_000;

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cv2x-run-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn cv2x(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().unwrap()
}

fn ok(args: &[&str]) -> String {
    let out = cv2x(args);
    assert!(
        out.status.success(),
        "cv2x {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// RFC 3339 of `ms` after 08:00:00 (within the hour).
fn time(ms: i64) -> String {
    format!(
        "2025-06-01T08:{:02}:{:02}.{:03}Z",
        ms / 60_000,
        (ms / 1000) % 60,
        ms % 1000
    )
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn frame() -> EnuFrame {
    EnuFrame::new(Wgs84::new(39.9, 116.4, 0.0)).unwrap()
}

fn at(f: &EnuFrame, x: f64, y: f64) -> Wgs84 {
    f.wgs84_from_enu(&nalgebra::Vector3::new(x, y, 0.0))
}

/// The ego's drive log: north at 15 m/s for 8 s, a state every 100 ms.
fn drive_log(dir: &Path) -> PathBuf {
    let f = frame();
    let mut s = String::new();
    for k in 0..=80 {
        let w = at(&f, 0.0, 1.5 * f64::from(k));
        s += &format!(
            "{{\"t\":\"{}\",\"lat\":{:.9},\"lon\":{:.9},\"heading_deg\":0,\"speed_mps\":15,\"yaw_rate_dps\":0,\"accel_mps2\":0}}\n",
            time(i64::from(k) * 100),
            w.lat_deg,
            w.lon_deg
        );
    }
    let p = dir.join("drive.jsonl");
    std::fs::write(&p, s).unwrap();
    p
}

/// The standing car's BSMs (UPER), one every 100 ms, with their receive times (ms after T0).
fn lead_bsms() -> Vec<(i64, Vec<u8>)> {
    let f = frame();
    let info = VehicleInfo {
        id: actor_vehicle_id(1),
        kind: Kind::Car,
        length_m: 4.5,
        width_m: 1.8,
        noise_m: 0.0,
    };
    let state = MotionState {
        y: 100.0,
        ..MotionState::default()
    };
    (0..=80)
        .map(|k: i64| {
            let ms = k * 100;
            let t = Timestamp::from_unix_utc_millis(T0_MS + ms);
            let msg = bsm(&info, &state, &at(&f, 0.0, 100.0), t, (k % 128) as u8);
            (ms, msg.encode().unwrap())
        })
        .collect()
}

/// Writes received messages as JSON lines `{"time", key: hex}` (with `extra` members).
fn message_lines(path: &Path, key: &str, extra: &str, items: &[(i64, Vec<u8>)]) {
    let text: String = items
        .iter()
        .map(|(ms, b)| {
            format!(
                "{{\"time\":\"{}\",\"{key}\":\"{}\"{extra}}}\n",
                time(*ms),
                hex(b)
            )
        })
        .collect();
    std::fs::write(path, text).unwrap();
}

fn lines(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// `cv2x run --ego DRIVE ARGS...`, its output lines.
fn run(drive: &Path, args: &[&Path]) -> Vec<Value> {
    let mut all = vec!["run", "--ego", drive.to_str().unwrap()];
    all.extend(args.iter().map(|a| a.to_str().unwrap()));
    lines(&ok(&all))
}

/// The warnings' life as (t_s, event, id, app, level).
fn life(v: &[Value]) -> Vec<(f64, String, u64, String, String)> {
    v.iter()
        .filter(|l| matches!(l["event"].as_str(), Some("raised" | "updated" | "cleared")))
        .map(|l| {
            (
                l["t_s"].as_f64().unwrap(),
                l["event"].as_str().unwrap().to_string(),
                l["id"].as_u64().unwrap(),
                l["app"].as_str().unwrap().to_string(),
                l["level"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_recorded_drive_raises_fcw_the_same_from_json_lines_dsmp_lines_and_a_capture() {
    let dir = temp("fcw");
    let drive = drive_log(&dir);
    let bsms = lead_bsms();
    // JSON lines with the plain frames, and one line that does not decode.
    let json_in = dir.join("rx.jsonl");
    let mut items = bsms.clone();
    items.push((50, vec![0xff]));
    message_lines(&json_in, "uper_hex", ",\"aid\":111", &items);
    let out = run(&drive, &[&json_in]);
    let warnings = life(&out);
    // FCW about the standing car: raised once, then escalated under the same id.
    let raised: Vec<_> = warnings.iter().filter(|w| w.1 == "raised").collect();
    assert_eq!(raised.len(), 1, "{warnings:?}");
    let (t_raised, _, id, app, _) = raised[0];
    assert_eq!(app, "FCW");
    // Collision at 6.7 s (100 m at 15 m/s): the warning comes well before.
    assert!(*t_raised > 0.5 && *t_raised < 5.0, "raised at {t_raised}");
    assert!(
        warnings
            .iter()
            .any(|w| w.1 == "updated" && w.2 == *id && w.4 == "alert"),
        "{warnings:?}"
    );
    let fcw = out.iter().find(|l| l["event"] == "raised").unwrap();
    assert_eq!(fcw["target"]["kind"], "object");
    assert!(fcw["ttc_s"].as_f64().unwrap() > 0.0);
    // It carries the deceleration needed to stop short of the car (about v² / 2d).
    let (decel, dist) = (
        fcw["decel_mps2"].as_f64().unwrap(),
        fcw["distance_m"].as_f64().unwrap(),
    );
    let v2_2d = 15.0 * 15.0 / (2.0 * dist);
    assert!(
        decel >= 0.5 * v2_2d && decel <= 3.0 * v2_2d,
        "{decel} m/s² at {dist} m"
    );
    // The undecodable line is a drop; the summary adds up.
    assert!(
        out.iter()
            .any(|l| l["event"] == "dropped" && l["reason"].as_str().unwrap().contains("decode"))
    );
    let s = &out.last().unwrap()["summary"];
    assert_eq!(s["messages"], 82);
    assert_eq!(s["accepted"], 81);
    assert_eq!(s["dropped"], 1);
    assert_eq!(s["ego_states"], 81);
    assert_eq!(s["polls"], 81);
    assert_eq!(s["raised_by_app"]["FCW"], 1);
    assert_eq!(s["warnings_raised"], 1);

    // The same messages as DSMP packets, in JSON lines and in a pcap capture.
    let packets: Vec<(i64, Vec<u8>)> = bsms
        .iter()
        .map(|(ms, b)| {
            let r = Repr::new(Aid(111), b);
            let mut p = vec![0u8; r.buffer_len()];
            let n = r.emit(&mut p).unwrap();
            p.truncate(n);
            (*ms, p)
        })
        .collect();
    let dsmp_in = dir.join("rx-dsmp.jsonl");
    message_lines(&dsmp_in, "dsmp_hex", "", &packets);
    let pcap = dir.join("rx.pcap");
    let mut w = CaptureWriter::create(&pcap).unwrap();
    let (src, dst): (SocketAddr, SocketAddr) = (
        "192.168.1.20:30299".parse().unwrap(),
        "192.168.1.10:30299".parse().unwrap(),
    );
    for (ms, p) in &packets {
        let since_epoch = Duration::from_millis(u64::try_from(T0_MS + ms).unwrap());
        w.write_datagram(since_epoch, src, dst, p).unwrap();
    }
    w.into_inner().unwrap();
    for input in [&dsmp_in, &pcap] {
        let other = run(&drive, &[input]);
        assert_eq!(life(&other), warnings, "{}", input.display());
        let s = &other.last().unwrap()["summary"];
        assert_eq!(
            (s["messages"].as_u64(), s["dropped"].as_u64()),
            (Some(81), Some(0))
        );
    }
}

#[test]
fn message_lines_are_read_strictly() {
    let dir = temp("strict");
    let drive = drive_log(&dir);
    let bad = dir.join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"time\":\"2025-06-01T08:00:00Z\",\"uper_hex\":\"00\"}\n{\"time\":\"2025-06-01T08:00:00Z\",\"uper_hex\":\"00\",\"rssi\":-70}\n",
    )
    .unwrap();
    let out = cv2x(&[
        "run",
        "--ego",
        drive.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.jsonl:2") && err.contains("`rssi`"),
        "{err}"
    );
    // A message two days after the drive: refused rather than polled through.
    let late = dir.join("late.jsonl");
    std::fs::write(
        &late,
        "{\"time\":\"2025-06-03T08:00:00Z\",\"uper_hex\":\"00\"}\n",
    )
    .unwrap();
    let out = cv2x(&[
        "run",
        "--ego",
        drive.to_str().unwrap(),
        late.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("more than 24 h"));
    let out = cv2x(&["run", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--ego"));
}

#[test]
fn signed_messages_verify_against_the_trust_anchor_given() {
    let dir = temp("signed");
    let pki = dir.join("pki");
    ok(&[
        "pki",
        "init",
        "--alg",
        "sm2",
        "--at",
        "2025-06-01T07:30:00Z",
        "--pseudonyms",
        "2",
        pki.to_str().unwrap(),
    ]);
    // Another vehicle's transmissions, as `cv2x drive` writes them, are the received messages.
    let drive = drive_log(&dir);
    let sent = ok(&[
        "drive",
        "--pki",
        pki.to_str().unwrap(),
        drive.to_str().unwrap(),
    ]);
    let rx = dir.join("rx.jsonl");
    std::fs::write(&rx, &sent).unwrap();
    let n = sent.lines().count() as u64;
    let root = pki.join("root.oer");
    let ca = pki.join("ca.oer");
    let out = run(
        &drive,
        &[Path::new("--trust"), &root, Path::new("--cert"), &ca, &rx],
    );
    let s = &out.last().unwrap()["summary"];
    assert_eq!(
        (s["accepted"].as_u64(), s["dropped"].as_u64()),
        (Some(n), Some(0))
    );
    // Without an anchor nothing can be verified: every message is a drop, and says why.
    let out = run(&drive, &[&rx]);
    let s = &out.last().unwrap()["summary"];
    assert_eq!(
        (s["accepted"].as_u64(), s["dropped"].as_u64()),
        (Some(0), Some(n))
    );
    assert_eq!(
        s["drops"]["no verifier for a secured message"].as_u64(),
        Some(n)
    );
}

#[test]
fn the_run_picture_draws_a_real_map_the_drive_and_the_warning() {
    let dir = temp("svg");
    // The real Yizhuang MAP, and a drive along its lane from node 18 towards the stop line.
    let map_hex = std::fs::read_to_string(format!(
        "{}/tests/data/real/yizhuang_map_json/asn1tools_main2020.uper.hex",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let (a, b) = ((39.784_116_5, 116.514_277_4), (39.786_887_2, 116.512_028_3));
    let mut log = String::new();
    // 363 m in 20 s.
    for k in 0..=200 {
        let u = f64::from(k) / 200.0;
        log += &format!(
            "{{\"t\":\"{}\",\"lat\":{:.9},\"lon\":{:.9},\"heading_deg\":328,\"speed_mps\":18.2}}\n",
            time(i64::from(k) * 100),
            a.0 + (b.0 - a.0) * u,
            a.1 + (b.1 - a.1) * u
        );
    }
    let drive = dir.join("drive.jsonl");
    std::fs::write(&drive, log).unwrap();
    let rx = dir.join("rx.jsonl");
    let map: Vec<u8> = (0..map_hex.trim().len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&map_hex.trim()[i..i + 2], 16).unwrap())
        .collect();
    let once_a_second: Vec<(i64, Vec<u8>)> = (0..=20).map(|s| (s * 1000, map.clone())).collect();
    message_lines(&rx, "uper_hex", ",\"aid\":3618", &once_a_second);
    let svg = dir.join("run.svg");
    let out = run(&drive, &[Path::new("--svg"), &svg, &rx]);
    assert_eq!(out.last().unwrap()["summary"]["accepted"], 21);
    let pic = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(pic.matches("<g class=\"lane\">").count(), 8);
    assert_eq!(pic.matches("<g class=\"path ego\">").count(), 1);
    assert!(pic.contains(">cv2x run drive.jsonl<"));

    // The FCW run: its warning is drawn on the map and the timeline.
    let dir = temp("svg-fcw");
    let drive = drive_log(&dir);
    let rx = dir.join("rx.jsonl");
    message_lines(&rx, "uper_hex", "", &lead_bsms());
    let svg = dir.join("run.svg");
    run(&drive, &[Path::new("--svg"), &svg, &rx]);
    let pic = std::fs::read_to_string(&svg).unwrap();
    assert!(pic.contains("<g class=\"row FCW\">"));
    assert!(
        pic.contains(" FCW warning \u{2192} track ")
            || pic.contains(" FCW advisory \u{2192} track ")
    );
    assert!(pic.contains("<ellipse"), "the fused car with its ellipse");
}

#[test]
fn the_drive_picture_draws_the_path_histories_against_the_true_path() {
    let dir = temp("drive-svg");
    let svg = dir.join("drive.svg");
    let log = format!(
        "{}/tests/data/drives/lab_drive.jsonl",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = ok(&[
        "drive",
        "--change-every",
        "30",
        "--svg",
        svg.to_str().unwrap(),
        &log,
    ]);
    assert_eq!(out.lines().count(), 1100);
    let pic = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(pic.matches("<g class=\"path ego\">").count(), 1);
    let crumbs = &pic[pic.find("<g class=\"path-history-crumbs\">").unwrap()..];
    let crumbs = &crumbs[..crumbs.find("</g>").unwrap()];
    assert!(
        crumbs.matches("<circle").count() >= 10,
        "crumbs of several path histories"
    );
    // Three pseudonym changes on the path and four pseudonyms on the timeline; the zoom on the
    // curve shows one path history's crumbs.
    assert_eq!(pic.matches(" s pseudonym change<").count(), 3);
    let row = &pic[pic.find("<g class=\"row pseudonym\">").unwrap()..];
    let row = &row[..row.find("</g>").unwrap()];
    assert_eq!(row.matches("<rect").count(), 4);
    assert!(pic.contains("<g class=\"inset\">") && pic.contains("zoom: path history sent at"));
}

#[test]
fn scenario_svg_writes_one_picture_per_scenario_named_after_it() {
    let dir = temp("scenario-svg");
    let data = format!("{}/tests/data/pictures", env!("CARGO_MANIFEST_DIR"));
    let crowded = format!("{data}/crowded_intersection.json");
    let missed = format!("{data}/fcw_missed_deadline.json");
    let out = cv2x(&[
        "scenario",
        "--sign",
        "none",
        "--svg",
        dir.to_str().unwrap(),
        &crowded,
        &missed,
        &crowded,
    ]);
    // The missed deadline fails the run; its picture is written all the same.
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let results: Vec<Value> = stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v.get("result").is_some())
        .collect();
    let pictures: Vec<&str> = results
        .iter()
        .map(|r| r["picture"].as_str().unwrap())
        .collect();
    let names: Vec<String> = pictures
        .iter()
        .map(|p| {
            Path::new(p)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        names,
        [
            "crowded_intersection.svg",
            "FCW_deadline_missed.svg",
            "crowded_intersection-2.svg"
        ]
    );
    for p in &pictures {
        let svg = std::fs::read_to_string(p).unwrap();
        assert!(svg.starts_with("<svg ") && svg.trim_end().ends_with("</svg>"));
    }
    let missed_svg = std::fs::read_to_string(pictures[1]).unwrap();
    assert!(missed_svg.contains(">FAILED<"));
    // Timeline lines carry the warning ids.
    assert!(
        stdout
            .lines()
            .any(|l| l.contains("\"event\":\"raise\"") && l.contains("\"id\":"))
    );
}

#[test]
fn scenario_timelines_carry_what_the_warnings_say() {
    let dir = format!("{}/tests/scenarios", env!("CARGO_MANIFEST_DIR"));
    let merge = format!("{dir}/merge_diverge_guidance_right.json");
    let ceb = format!("{dir}/ceb_rsi_emergency_event_alert.json");
    let text = ok(&["scenario", "--sign", "none", &merge, &ceb]);
    assert_eq!(text.lines().last(), Some("2 passed, 0 failed"));
    let out: Vec<Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let raised = |app: &str| {
        out.iter()
            .find(|l| l["app"] == app && l["event"] == "raise")
            .unwrap_or_else(|| panic!("no {app} raised: {out:?}"))
    };
    // The roadside's guidance for the ego: diverge to the right along its points.
    let g = &raised("MERGE")["guidance"];
    assert_eq!(g["kind"], "lane");
    assert!(
        g["behavior"]
            .as_array()
            .unwrap()
            .contains(&"ramp_out".into()),
        "{g}"
    );
    assert_eq!(g["for_vehicle"], true);
    assert!(g["points"].as_array().unwrap().len() >= 2, "{g}");
    assert!(
        g["end"].as_str().unwrap().starts_with("2026-03-01T08:00:"),
        "{g}"
    );
    // An RSU's emergency event ahead: a braking alert with its code and the deceleration.
    let c = raised("CEB");
    assert_eq!(c["level"], "alert");
    assert_eq!(c["road"]["kind"], "event");
    assert_eq!(c["road"]["code"], 901);
    assert_eq!(c["road"]["priority"], 7);
    assert_eq!(c["guidance"]["kind"], "braking");
    assert!(c["decel_mps2"].as_f64().unwrap() > 0.0);
}
