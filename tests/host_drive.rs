//! The host vehicle on a whole drive through `cv2x drive`: the example drive log (straight,
//! a constant-radius curve, hard braking) signed with a pool of lab pseudonyms changing every
//! 30 s, checked message by message against the log.
#![cfg(feature = "cli")]

#[path = "support/drive.rs"]
mod drive;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use cv2x::codec::Uper;
use cv2x::msg::v2020::{BasicSafetyMessage, MessageFrame};
use cv2x::net::dsmp::Repr;
use cv2x::security::{Config, Verifier, spdu};
use cv2x::time::Timestamp;
use cv2x::world::convert::offset_position_deg;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_cv2x");

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cv2x-host-drive-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn run(args: &[&str]) -> String {
    let out = Command::new(BIN).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "cv2x {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The time of an output line (`…SSZ` or `…SS.ffffffZ`).
fn out_time(s: &str) -> Timestamp {
    let t = if s.contains('.') {
        format!("{}Z", &s[..23])
    } else {
        s.replace('Z', ".000Z")
    };
    drive::t_of(&t)
}

/// A drive-log sample.
struct Sample {
    time: Timestamp,
    lat: f64,
    lon: f64,
    heading: f64,
    speed: f64,
    yaw_rate: f64,
    hard_braking: bool,
}

fn samples(text: &str) -> Vec<Sample> {
    text.lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            Sample {
                time: drive::t_of(v["t"].as_str().unwrap()),
                lat: v["lat"].as_f64().unwrap(),
                lon: v["lon"].as_f64().unwrap(),
                heading: v["heading_deg"].as_f64().unwrap(),
                speed: v["speed_mps"].as_f64().unwrap(),
                yaw_rate: v["yaw_rate_dps"].as_f64().unwrap(),
                hard_braking: v["events"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|e| e == "hard_braking"),
            }
        })
        .collect()
}

/// Metres between two positions (local plane).
fn dist(a: (f64, f64), b: (f64, f64)) -> f64 {
    let k = 111_320.0;
    let dy = (b.0 - a.0) * k;
    let dx = (b.1 - a.1) * k * a.0.to_radians().cos();
    dx.hypot(dy)
}

/// Distance of `p` from the segment `a → b`, m.
fn seg(a: (f64, f64), b: (f64, f64), p: (f64, f64)) -> f64 {
    let k = 111_320.0;
    let c = a.0.to_radians().cos();
    let xy = |q: (f64, f64)| ((q.1 - a.1) * k * c, (q.0 - a.0) * k);
    let (bx, by) = xy(b);
    let (px, py) = xy(p);
    let l2 = bx * bx + by * by;
    let u = if l2 > 0.0 {
        ((px * bx + py * by) / l2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (px - u * bx).hypot(py - u * by)
}

#[test]
fn example_drive_is_current() {
    let made = drive::lab_drive();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let path = root.join(drive::PATH);
    if std::env::var_os("CV2X_WRITE_DRIVE").is_some() {
        std::fs::write(&path, &made).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap();
    assert!(
        committed == made,
        "{} differs from what tests/support/drive.rs makes; remake it with CV2X_WRITE_DRIVE=1",
        drive::PATH
    );
}

#[test]
fn the_example_drive_meets_the_bar() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let log = root.join(drive::PATH);
    let text = std::fs::read_to_string(&log).unwrap();
    let input = samples(&text);
    let pki = temp("pki");
    let pki_s = pki.to_string_lossy().into_owned();
    run(&[
        "pki",
        "init",
        "--alg",
        "p256",
        "--at",
        "2025-06-01T07:30:00Z",
        "--pseudonyms",
        "4",
        &pki_s,
    ]);
    let out = run(&[
        "drive",
        "--pki",
        &pki_s,
        "--change-every",
        "30",
        &log.to_string_lossy(),
    ]);
    let root_cert = std::fs::read(pki.join("root.oer")).unwrap();
    let ca_cert = std::fs::read(pki.join("ca.oer")).unwrap();
    let mut verifier = Verifier::new(Config::default());
    verifier.add_trust_anchor(&root_cert).unwrap();
    verifier.add_certificate(&ca_cert).unwrap();

    let by_time: BTreeMap<Timestamp, &Sample> = input.iter().map(|s| (s.time, s)).collect();
    struct Seen {
        time: Timestamp,
        id: [u8; 8],
        cnt: u8,
        signer: [u8; 8],
        full: bool,
        aid: u64,
        event: bool,
        crumbs: usize,
    }
    let mut seen: Vec<Seen> = Vec::new();
    let mut worst_ph = 0.0f64;
    let mut curve_checked = 0;
    let mut straight_checked = 0;
    let curve_start = input.iter().find(|s| s.yaw_rate != 0.0).unwrap().time;
    let curve_end = input.iter().rev().find(|s| s.yaw_rate != 0.0).unwrap().time;
    let mut pseudonym_start = input[0].time;
    for line in out.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["kind"], "bsm");
        let time = out_time(v["time"].as_str().unwrap());
        let uper = hex(v["uper_hex"].as_str().unwrap());
        let spdu = hex(v["spdu_hex"].as_str().unwrap());
        let dsmp = hex(v["dsmp_hex"].as_str().unwrap());
        let aid = v["aid"].as_u64().unwrap();
        // the DSMP packet carries the SPDU under the AID; the SPDU verifies under the lab root
        let repr = Repr::parse_bytes(&dsmp).unwrap();
        assert_eq!((u64::from(repr.aid.0), repr.payload), (aid, &spdu[..]));
        let report = verifier.verify(&spdu, time);
        assert_eq!(report.code(), "ok", "{line}");
        assert_eq!(report.payload, Some(&uper[..]));
        assert_eq!(report.aid, Some(aid));
        let Ok(spdu::Content::Signed(signed)) = spdu::parse(&spdu) else {
            panic!("not signed data: {line}")
        };
        let full = matches!(signed.signer, spdu::Signer::Certificates(_));
        // every BSM decodes
        let MessageFrame::BsmFrame(bsm) = MessageFrame::decode(&uper).unwrap() else {
            panic!("not a BSM: {line}")
        };
        let s = by_time[&time];
        check_fields(&bsm, s);
        // the hard-braking flag and the event AID during the event, never outside it
        let flags = bsm.safety_ext.as_ref().and_then(|e| e.events.as_ref());
        let hb = flags.is_some_and(|f| f.get(7));
        assert_eq!(hb, s.hard_braking, "{time:?}");
        assert_eq!(aid == 112, s.hard_braking);
        assert_eq!(v["event"].as_bool(), Some(s.hard_braking));
        // path history: the true path within 1 m, ≥ 200 m once driven under this pseudonym
        let ext = bsm.safety_ext.as_ref().unwrap();
        let reference = (bsm.pos.lat as f64 * 1e-7, bsm.pos.long as f64 * 1e-7);
        let mut line_pts = vec![(reference, time)];
        if let Some(ph) = &ext.path_history {
            assert!(ph.crumb_data.len() <= 23);
            for c in &ph.crumb_data {
                let p = offset_position_deg(&bsm.pos, &c.llv_offset).unwrap();
                let t = time.add_micros(-i64::from(c.time_offset) * 10_000);
                line_pts.push((p, t));
            }
        }
        if seen.last().is_some_and(|p| p.id != bsm.id) {
            pseudonym_start = time;
        }
        let oldest = line_pts.last().unwrap().1;
        for q in input.iter().filter(|q| q.time >= oldest && q.time <= time) {
            let d = line_pts
                .windows(2)
                .map(|w| seg(w[0].0, w[1].0, (q.lat, q.lon)))
                .fold(f64::INFINITY, f64::min);
            if line_pts.len() > 1 {
                worst_ph = worst_ph.max(d);
            }
        }
        let covered: f64 = line_pts.windows(2).map(|w| dist(w[0].0, w[1].0)).sum();
        let driven: f64 = input
            .windows(2)
            .filter(|w| w[0].time >= pseudonym_start && w[1].time <= time)
            .map(|w| dist((w[0].lat, w[0].lon), (w[1].lat, w[1].lon)))
            .sum();
        if driven >= 215.0 && line_pts.len() <= 23 {
            assert!(covered >= 200.0, "{time:?}: covers {covered} m of {driven}");
        }
        // path prediction: the radius on the curve once settled, straight on straights
        let r = ext.path_prediction.as_ref().unwrap().radius_of_curve;
        let since_curve = time.seconds_since(curve_start);
        let after_curve = time.seconds_since(curve_end);
        if since_curve >= 5.0 && after_curve <= 0.0 {
            let radius = f64::from(r) / 10.0;
            assert!(
                (radius - drive::CURVE_RADIUS_M).abs() <= 0.1 * drive::CURVE_RADIUS_M,
                "{time:?}: radius {radius}"
            );
            curve_checked += 1;
        } else if since_curve < 0.0 || after_curve >= 10.0 {
            assert_eq!(r, 32767, "{time:?}");
            straight_checked += 1;
        }
        let crumbs = ext.path_history.as_ref().map_or(0, |p| p.crumb_data.len());
        seen.push(Seen {
            time,
            id: bsm.id,
            cnt: bsm.msg_cnt,
            signer: report.signer.unwrap(),
            full,
            aid,
            event: s.hard_braking,
            crumbs,
        });
    }
    eprintln!(
        "path history within {worst_ph:.3} m; radius checked on {curve_checked} curve and {straight_checked} straight BSMs"
    );
    assert!(
        worst_ph <= 1.0,
        "path history off the true path by {worst_ph} m"
    );
    assert!(curve_checked > 100 && straight_checked > 500);
    // one BSM per sample; 10 Hz ± 5 % outside events
    assert_eq!(seen.len(), input.len());
    for w in seen.windows(2) {
        let dt = w[1].time.micros_since(w[0].time);
        if !w[0].event && !w[1].event {
            assert!((95_000..=105_000).contains(&dt), "{:?}: {dt} µs", w[1].time);
        }
    }
    // the event AID while braking, the periodic AID otherwise
    assert!(seen.iter().any(|s| s.aid == 112) && seen.iter().any(|s| s.aid == 111));
    // pseudonyms: msgCnt continuous within one; id, count, certificate and history change
    // together
    let mut changes = 0;
    for w in seen.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if a.id == b.id {
            assert_eq!(b.cnt, (a.cnt + 1) % 128, "{:?}", b.time);
            assert_eq!(a.signer, b.signer, "{:?}", b.time);
        } else {
            changes += 1;
            assert_ne!(a.signer, b.signer, "{:?}", b.time);
            assert_ne!(b.cnt, (a.cnt + 1) % 128, "{:?}", b.time);
            assert_eq!(b.crumbs, 0, "{:?}: history not cleared", b.time);
            assert!(
                b.full,
                "{:?}: a new pseudonym introduces its certificate",
                b.time
            );
            assert!(!a.event && !b.event, "no change during an event");
            assert!(b.time.seconds_since(seen[0].time) >= 30.0 * changes as f64 - 0.001);
        }
    }
    assert_eq!(changes, 3, "110 s with a change every 30 s");
    // the whole certificate about once a second, the digest in between
    let full: Vec<Timestamp> = seen.iter().filter(|s| s.full).map(|s| s.time).collect();
    for w in full.windows(2) {
        let dt = w[1].seconds_since(w[0]);
        assert!(
            dt <= 1.0 + 1e-9,
            "{:?}: {dt} s without the certificate",
            w[1]
        );
    }
    let n = full.len() as f64;
    assert!(
        (n - 110.0).abs() <= 4.0,
        "{n} messages with the certificate in 110 s"
    );
}

/// secMark, position, speed and heading match the log sample the BSM was made of.
fn check_fields(bsm: &BasicSafetyMessage, s: &Sample) {
    let ms = s.time.to_minute_of_year().1.millis();
    assert_eq!(bsm.sec_mark, ms);
    assert!((bsm.pos.lat as f64 * 1e-7 - s.lat).abs() <= 0.6e-7);
    assert!((bsm.pos.long as f64 * 1e-7 - s.lon).abs() <= 0.6e-7);
    assert_eq!(bsm.pos.elevation, Some(125));
    assert!((f64::from(bsm.speed) * 0.02 - s.speed).abs() <= 0.011);
    let dh = (f64::from(bsm.heading) * 0.0125 - s.heading).rem_euclid(360.0);
    assert!(
        dh.min(360.0 - dh) <= 0.00626,
        "{} vs {}",
        bsm.heading,
        s.heading
    );
}

#[test]
fn drive_output_lines_are_what_send_takes() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = temp("send");
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("short.jsonl");
    let text: String = drive::lab_drive()
        .lines()
        .take(5)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&log, text).unwrap();
    let out = run(&["drive", &log.to_string_lossy()]);
    assert_eq!(out.lines().count(), 5);
    // unsigned: no spdu_hex, the DSMP packet carries the UPER frame
    for l in out.lines() {
        let v: Value = serde_json::from_str(l).unwrap();
        assert!(v.get("spdu_hex").is_none());
        let repr_bytes = hex(v["dsmp_hex"].as_str().unwrap());
        let repr = Repr::parse_bytes(&repr_bytes).unwrap();
        assert_eq!(repr.payload, &hex(v["uper_hex"].as_str().unwrap())[..]);
    }
    let messages = dir.join("messages.jsonl");
    std::fs::write(&messages, &out).unwrap();
    let rx = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = rx.local_addr().unwrap().port().to_string();
    let sent = Command::new(BIN)
        .args([
            "send",
            "--to",
            "127.0.0.1",
            "--port",
            &port,
            "--rate",
            "200",
        ])
        .arg(&messages)
        .output()
        .unwrap();
    assert!(
        sent.status.success(),
        "{}",
        String::from_utf8_lossy(&sent.stderr)
    );
    rx.set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    let mut buf = [0u8; 2048];
    let first: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    let n = rx.recv(&mut buf).unwrap();
    assert_eq!(&buf[..n], &hex(first["dsmp_hex"].as_str().unwrap())[..]);
    let _ = root;
}

#[test]
fn bad_drive_logs_are_errors_naming_the_line() {
    let dir = temp("bad");
    std::fs::create_dir_all(&dir).unwrap();
    let cases = [
        (
            r#"{"t":"2025-06-01T08:00:00Z","lat":31.2,"lon":121.5,"speedo":3}"#,
            "1: unknown key `speedo`",
        ),
        (
            "{\"t\":\"2025-06-01T08:00:01Z\"}\n{\"t\":\"2025-06-01T08:00:00Z\"}",
            "2: `t` is not after",
        ),
        (
            r#"{"t":"2025-06-01T08:00:00Z","lat":91,"lon":121.5}"#,
            "1: lat: out of range",
        ),
        (
            r#"{"t":"2025-06-01T08:00:00Z","events":["x"]}"#,
            "unknown name `x`",
        ),
    ];
    for (i, (text, want)) in cases.iter().enumerate() {
        let log = dir.join(format!("bad{i}.jsonl"));
        std::fs::write(&log, text).unwrap();
        let out = Command::new(BIN)
            .args(["drive", &log.to_string_lossy()])
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{err}");
    }
}

#[test]
fn a_gnss_outage_in_the_log_silences_the_vehicle_until_the_fix_returns() {
    let dir = temp("outage");
    std::fs::create_dir_all(&dir).unwrap();
    // 10 s of the example drive with the fix missing from 3 s to 6 s
    let text: String = drive::lab_drive()
        .lines()
        .take(100)
        .enumerate()
        .map(|(k, l)| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            if (30..60).contains(&k) {
                let o = v.as_object_mut().unwrap();
                o.remove("lat");
                o.remove("lon");
            }
            format!("{v}\n")
        })
        .collect();
    let log = dir.join("outage.jsonl");
    std::fs::write(&log, text).unwrap();
    let out = Command::new(BIN)
        .args(["drive", &log.to_string_lossy()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let times: Vec<Timestamp> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            out_time(
                serde_json::from_str::<Value>(l).unwrap()["time"]
                    .as_str()
                    .unwrap(),
            )
        })
        .collect();
    let t0 = times[0];
    let secs: Vec<f64> = times.iter().map(|t| t.seconds_since(t0)).collect();
    // a state without a fix silences the vehicle at once; the first fix back restarts it
    assert!(secs.iter().all(|s| !(2.95..5.95).contains(s)), "{secs:?}");
    assert!(secs.iter().any(|s| (*s - 6.0).abs() < 1e-6));
    assert_eq!(times.len(), 100 - 30);
    let counters: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(counters["no_fix"], 30);
}
