//! The example drive log `tests/data/drives/lab_drive.jsonl`, made here so that it can be
//! checked and remade: `CV2X_WRITE_DRIVE=1 cargo test --test host_drive --features cli
//! example_drive_is_current` writes it.
//!
//! 110 s at 10 Hz near Shanghai (31.2304° N, 121.4737° E, 12.5 m): 25 s straight north at
//! 15 m/s, 2 s with the right turn signal, a right-hand curve of radius 100 m for 20 s
//! (15 m/s, 8.594 °/s, turn signal for its first 3 s), 23 s straight, hard braking at
//! −5 m/s² for 2 s (15 → 5 m/s, brake pedal, `hard_braking`), 5 s back to 15 m/s at +2 m/s²,
//! 33 s straight. Low beams all along; channel busy ratio 0.15 (relaxed). The motion is
//! integrated in 1 ms steps in a local east-north frame and converted to WGS-84 exactly
//! (`Wgs84::offset_enu`).
#![allow(dead_code)]

use cv2x::geo::Wgs84;
use cv2x::time::{Timestamp, civil_from_days};

/// Start of the drive: 2025-06-01T08:00:00Z.
pub const T0_UNIX_MS: i64 = 1_748_764_800_000;
/// Radius of the curve, m.
pub const CURVE_RADIUS_M: f64 = 100.0;
/// Where the log lives, from the repository root.
pub const PATH: &str = "tests/data/drives/lab_drive.jsonl";

/// One phase: duration, acceleration, yaw rate (°/s, clockwise), flags.
struct Phase {
    duration_s: f64,
    accel_mps2: f64,
    yaw_rate_dps: f64,
    braking: bool,
    /// Seconds from the phase start during which the right turn signal is on.
    signal_s: f64,
}

fn phases() -> Vec<Phase> {
    let w = (15.0 / CURVE_RADIUS_M).to_degrees();
    let p = |duration_s, accel_mps2, yaw_rate_dps, braking, signal_s| Phase {
        duration_s,
        accel_mps2,
        yaw_rate_dps,
        braking,
        signal_s,
    };
    vec![
        p(25.0, 0.0, 0.0, false, 0.0),
        p(2.0, 0.0, 0.0, false, 2.0),
        p(20.0, 0.0, w, false, 3.0),
        p(23.0, 0.0, 0.0, false, 0.0),
        p(2.0, -5.0, 0.0, true, 0.0),
        p(5.0, 2.0, 0.0, false, 0.0),
        p(33.0, 0.0, 0.0, false, 0.0),
    ]
}

/// RFC 3339 UTC with milliseconds.
pub fn rfc3339_ms(unix_ms: i64) -> String {
    let (days, ms) = (
        unix_ms.div_euclid(86_400_000),
        unix_ms.rem_euclid(86_400_000),
    );
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// The drive log's text.
pub fn lab_drive() -> String {
    let origin = Wgs84::new(31.2304, 121.4737, 12.5);
    let (mut east, mut north) = (0.0f64, 0.0f64);
    let (mut v, mut h) = (15.0f64, 0.0f64);
    let mut out = String::new();
    let mut k = 0i64;
    for ph in phases() {
        let steps = (ph.duration_s * 10.0).round() as i64;
        for j in 0..steps {
            let w = origin.offset_enu(east, north, 0.0).unwrap();
            let mut lights = vec!["\"low_beam\""];
            if (j as f64) * 0.1 < ph.signal_s {
                lights.push("\"right_turn\"");
            }
            let events = if ph.braking {
                "[\"hard_braking\"]"
            } else {
                "[]"
            };
            out.push_str(&format!(
                "{{\"t\":\"{}\",\"lat\":{:.9},\"lon\":{:.9},\"elev_m\":12.5,\"heading_deg\":{:.4},\
                 \"speed_mps\":{:.3},\"yaw_rate_dps\":{:.4},\"accel_mps2\":{:.2},\
                 \"brake_applied\":{},\"events\":{},\"lights\":[{}],\"cbr\":0.15}}\n",
                rfc3339_ms(T0_UNIX_MS + 100 * k),
                w.lat_deg,
                w.lon_deg,
                h,
                v,
                ph.yaw_rate_dps,
                ph.accel_mps2,
                ph.braking,
                events,
                lights.join(",")
            ));
            // 100 ms in 1 ms steps (midpoint rule)
            for _ in 0..100 {
                let dt = 0.001;
                let vm = v + 0.5 * ph.accel_mps2 * dt;
                let hm = (h + 0.5 * ph.yaw_rate_dps * dt).to_radians();
                east += vm * hm.sin() * dt;
                north += vm * hm.cos() * dt;
                v += ph.accel_mps2 * dt;
                h = (h + ph.yaw_rate_dps * dt).rem_euclid(360.0);
            }
            k += 1;
        }
    }
    out
}

/// The time of a drive-log line's `t`, parsed back (for the checks).
pub fn t_of(rfc3339: &str) -> Timestamp {
    // `YYYY-MM-DDTHH:MM:SS.mmmZ` as written above
    let num = |a: usize, b: usize| rfc3339[a..b].parse::<i64>().unwrap();
    let days = cv2x::time::days_from_civil(num(0, 4), num(5, 7), num(8, 10));
    let ms = days * 86_400_000
        + num(11, 13) * 3_600_000
        + num(14, 16) * 60_000
        + num(17, 19) * 1000
        + num(20, 23);
    Timestamp::from_unix_utc_millis(ms)
}
