//! `examples/c/intersection_scene.h`, the data of the C quickstart `examples/c/intersection.c`:
//! the scene of `examples/c/intersection_scene.json` (the one `examples/intersection.rs` shows)
//! as the inputs of a stack — every message the scenario runner encodes (UPER, with its AID),
//! the ego's states and the onboard tracks, step by step — and the warnings timeline they give.
//!
//! This test makes the file and fails when the checked-in one differs (regenerate with
//! `CV2X_REGENERATE=1 cargo test -p cv2x-capi --test example_scene`). It also proves the data
//! right: fed through the C ABI exports, they give the same raised / updated / cleared
//! timeline as the scenario runner's own `Stack`.
use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use cv2x::stack::{SpduVerifier, Verified, VerifyFailure};
use cv2x::testing::scenario::{
    Kind, MessageSigner, RunOptions, Scenario, SignFailure, Trajectory, epoch, run,
};
use cv2x::time::Timestamp;
use cv2x_capi::net::CV2X_PAYLOAD_FRAME;
use cv2x_capi::result::*;
use cv2x_capi::stack::events::*;
use cv2x_capi::stack::input::*;
use cv2x_capi::stack::*;

const SCENE: &str = "examples/c/intersection_scene.json";
const HEADER: &str = "examples/c/intersection_scene.h";

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// One message as the runner sent it: when (ingest time), AID, UPER bytes.
type Sent = (Timestamp, u32, Vec<u8>);

/// Keeps every message instead of signing it (the bytes go on unchanged).
struct Recorder(Arc<Mutex<Vec<Sent>>>);

impl MessageSigner for Recorder {
    fn sign(&mut self, payload: &[u8], aid: u32, at: Timestamp) -> Result<Vec<u8>, SignFailure> {
        if let Ok(mut v) = self.0.lock() {
            v.push((at, aid, payload.to_vec()));
        }
        Ok(payload.to_vec())
    }
}

/// Passes the recorded "SPDUs" (the plain frames) on.
struct PassThrough;

impl SpduVerifier for PassThrough {
    fn verify<'a>(&mut self, spdu: &'a [u8], _: Timestamp) -> Result<Verified<'a>, VerifyFailure> {
        Ok(Verified::new(Cow::Borrowed(spdu)))
    }
}

/// The ego at one step, as `cv2x_ego` carries it.
struct EgoStep {
    offset_us: i64,
    lat_deg: f64,
    lon_deg: f64,
    heading_deg: f64,
    speed_mps: f64,
    yaw_rate_dps: f64,
    accel_mps2: f64,
}

/// One onboard track, as `cv2x_track` carries it (lidar, motor vehicle, ego frame).
struct TrackStep {
    object_id: u32,
    x_m: f64,
    y_m: f64,
    speed_mps: f64,
    heading_deg: f64,
    yaw_rate_dps: f64,
    accel_mps2: f64,
    length_m: f64,
    width_m: f64,
}

/// One line of the timeline: (step, change, id, app, level).
type Change = (usize, u32, u32, u32, u32);

struct Data {
    sc: Scenario,
    steps: Vec<EgoStep>,
    messages: Vec<Vec<(u32, Vec<u8>)>>,
    tracks: Vec<Vec<TrackStep>>,
}

fn scene() -> Scenario {
    let text = std::fs::read_to_string(root().join(SCENE)).expect("the scene file");
    Scenario::from_json(&text).expect("a valid scene")
}

/// The runner's inputs, step by step: ego states and onboard tracks follow the runner's own
/// rules (the ego's GNSS at 0.5 m, heading at 1°; the onboard sensor a lidar seeing the actors
/// `seen_by` onboard in the ego frame), the messages are what it sent.
fn data() -> Data {
    let sc = scene();
    let sent = Arc::new(Mutex::new(Vec::new()));
    let recorded = run(
        &sc,
        RunOptions {
            signer: Some(Box::new(Recorder(sent.clone()))),
            verifier: Some(Box::new(PassThrough)),
            ..RunOptions::default()
        },
    );
    let plain = run(&sc, RunOptions::default());
    assert!(plain.passed(), "{:?}", plain.failures);
    assert_eq!(
        recorded.timeline, plain.timeline,
        "recording changes nothing"
    );
    let sent = sent.lock().unwrap().clone();
    assert_eq!(sent.len() as u64, plain.messages);

    let t0 = epoch();
    let n = (sc.duration_s / sc.step_s).round() as usize;
    let ego = Trajectory::new(&sc.ego.motion, sc.ego.flags, sc.duration_s);
    let trajs: Vec<Trajectory> = sc
        .actors
        .iter()
        .map(|a| Trajectory::new(&a.motion, a.flags, sc.duration_s))
        .collect();
    let mut d = Data {
        steps: Vec::new(),
        messages: Vec::new(),
        tracks: Vec::new(),
        sc: sc.clone(),
    };
    for k in 0..=n {
        let t_s = k as f64 * sc.step_s;
        let offset_us = (t_s * 1e6).round() as i64;
        let now = t0.add_micros(offset_us);
        let e = ego.at(t_s);
        let w = sc.origin.offset_enu(e.x, e.y, 0.0).unwrap();
        d.steps.push(EgoStep {
            offset_us,
            lat_deg: w.lat_deg,
            lon_deg: w.lon_deg,
            heading_deg: e.heading_deg,
            speed_mps: e.speed_mps,
            yaw_rate_dps: e.yaw_rate_dps,
            accel_mps2: e.accel_mps2,
        });
        d.messages.push(
            sent.iter()
                .filter(|m| m.0 == now)
                .map(|m| (m.1, m.2.clone()))
                .collect(),
        );
        let mut tracks = Vec::new();
        for (a, tr) in sc.actors.iter().zip(&trajs) {
            if !a.seen_by.onboard {
                continue;
            }
            assert!(a.seen_by.onboard_latency_s == 0.0 && a.position_noise_m == 0.0);
            assert!(a.kind.is_vehicle() && a.kind != Kind::Emergency);
            let s = tr.at(t_s);
            let (dx, dy) = (s.x - e.x, s.y - e.y);
            let h = e.heading_deg.to_radians();
            let (fx, fy) = (h.sin(), h.cos());
            tracks.push(TrackStep {
                object_id: a.id,
                x_m: dx * fx + dy * fy,
                y_m: fx * dy - fy * dx,
                speed_mps: s.speed_mps,
                heading_deg: s.heading_deg,
                yaw_rate_dps: s.yaw_rate_dps,
                accel_mps2: s.accel_mps2,
                length_m: a.length_m,
                width_m: a.width_m,
            });
        }
        d.tracks.push(tracks);
    }
    assert_eq!(
        d.messages.iter().map(Vec::len).sum::<usize>(),
        sent.len(),
        "every message belongs to a step"
    );
    d
}

/// Feeds the data through the C ABI exports as `examples/c/intersection.c` does and returns
/// the timeline.
fn through_the_c_abi(d: &Data) -> Vec<Change> {
    let mut s = std::ptr::null_mut();
    let mut c = std::mem::MaybeUninit::<cv2x_stack_config>::uninit();
    assert_eq!(cv2x_stack_config_default(c.as_mut_ptr()), CV2X_OK);
    // SAFETY: initialised by cv2x_stack_config_default.
    let mut c = unsafe { c.assume_init() };
    c.origin_lat_deg = d.sc.origin.lat_deg;
    c.origin_lon_deg = d.sc.origin.lon_deg;
    assert_eq!(cv2x_stack_new(&c, &mut s), CV2X_OK);
    assert_eq!(
        cv2x_stack_set_temporary_id(s, d.sc.ego.vehicle_id.as_ptr()),
        CV2X_OK
    );
    let t0 = epoch().as_micros();
    let mut out = Vec::new();
    for (k, st) in d.steps.iter().enumerate() {
        let now = t0 + st.offset_us;
        let mut e = std::mem::MaybeUninit::<cv2x_ego>::uninit();
        assert_eq!(
            cv2x_ego_init(
                e.as_mut_ptr(),
                now,
                st.lat_deg,
                st.lon_deg,
                st.heading_deg,
                st.speed_mps
            ),
            CV2X_OK
        );
        // SAFETY: initialised by cv2x_ego_init.
        let mut e = unsafe { e.assume_init() };
        ego_extras(&mut e, st, &d.sc);
        assert_eq!(cv2x_stack_set_ego(s, &e), CV2X_OK, "step {k}");
        for (aid, bytes) in &d.messages[k] {
            let rc = cv2x_stack_ingest(
                s,
                bytes.as_ptr(),
                bytes.len(),
                CV2X_PAYLOAD_FRAME,
                *aid,
                now,
                std::ptr::null_mut(),
            );
            assert_eq!(rc, CV2X_OK);
        }
        let tracks: Vec<cv2x_track> = d.tracks[k].iter().map(|t| track(t, now)).collect();
        if !tracks.is_empty() {
            let rc = cv2x_stack_add_onboard_tracks(
                s,
                tracks.as_ptr(),
                tracks.len(),
                now,
                std::ptr::null_mut(),
            );
            assert_eq!(rc, CV2X_OK);
        }
        let mut events = vec![cv2x_event::default(); 64];
        let (mut n, mut left) = (0usize, 0usize);
        assert_eq!(
            cv2x_stack_poll(s, now, events.as_mut_ptr(), events.len(), &mut n, &mut left),
            CV2X_OK
        );
        assert_eq!(left, 0);
        for ev in &events[..n] {
            if ev.kind == CV2X_EVENT_WARNING || ev.kind == CV2X_EVENT_WARNING_CLEARED {
                let w = &ev.warning;
                out.push((k, w.change, w.id, w.app, w.level));
            }
        }
    }
    cv2x_stack_free(s);
    out
}

/// What the runner's ego state has beyond `cv2x_ego_init`'s.
fn ego_extras(e: &mut cv2x_ego, st: &EgoStep, sc: &Scenario) {
    e.present |= CV2X_EGO_HAS_ACCURACY
        | CV2X_EGO_HAS_HEADING_ACCURACY
        | CV2X_EGO_HAS_YAW_RATE
        | CV2X_EGO_HAS_ACCEL_LONG
        | CV2X_EGO_HAS_SIZE
        | CV2X_EGO_HAS_LIGHTS;
    e.semi_major_m = 0.5;
    e.semi_minor_m = 0.5;
    e.heading_accuracy_deg_95 = 1.96;
    e.yaw_rate_dps = st.yaw_rate_dps;
    e.accel_long_mps2 = st.accel_mps2;
    e.length_m = sc.ego.length_m;
    e.width_m = sc.ego.width_m;
    e.lights = 0;
}

fn track(t: &TrackStep, now: i64) -> cv2x_track {
    let mut o = std::mem::MaybeUninit::<cv2x_track>::uninit();
    assert_eq!(cv2x_track_init(o.as_mut_ptr()), CV2X_OK);
    // SAFETY: initialised by cv2x_track_init.
    let mut o = unsafe { o.assume_init() };
    o.present = CV2X_TRACK_HAS_YAW_RATE | CV2X_TRACK_HAS_ACCEL | CV2X_TRACK_HAS_SIZE;
    o.position_kind = CV2X_POSITION_EGO;
    o.motion_kind = CV2X_MOTION_SPEED_HEADING;
    o.object_class = 1;
    o.source_type = 6;
    o.object_id = u64::from(t.object_id);
    o.time = now;
    o.x_m = t.x_m;
    o.y_m = t.y_m;
    o.speed_mps = t.speed_mps;
    o.heading_deg = t.heading_deg;
    o.yaw_rate_dps = t.yaw_rate_dps;
    o.accel_mps2 = t.accel_mps2;
    o.length_m = t.length_m;
    o.width_m = t.width_m;
    o
}

fn app_name(code: u32) -> &'static str {
    match code {
        CV2X_APP_FCW => "FCW",
        CV2X_APP_ICW => "ICW",
        CV2X_APP_LTA => "LTA",
        CV2X_APP_BSW => "BSW",
        CV2X_APP_LCW => "LCW",
        CV2X_APP_DNPW => "DNPW",
        CV2X_APP_EBW => "EBW",
        CV2X_APP_AVW => "AVW",
        CV2X_APP_CLW => "CLW",
        CV2X_APP_HLW => "HLW",
        CV2X_APP_SLW => "SLW",
        CV2X_APP_RLVW => "RLVW",
        CV2X_APP_VRUCW => "VRUCW",
        CV2X_APP_GLOSA => "GLOSA",
        CV2X_APP_IVS => "IVS",
        CV2X_APP_TJW => "TJW",
        CV2X_APP_EVW => "EVW",
        _ => "other",
    }
}

/// A double as C reads it back to the same value (Rust's shortest round-trip form).
fn dbl(v: f64) -> String {
    let s = format!("{v:?}");
    if s.contains('.') || s.contains('e') {
        s
    } else {
        format!("{s}.0")
    }
}

fn header(d: &Data, timeline: &[Change]) -> String {
    let mut h = String::new();
    let w = &mut h;
    let _ = writeln!(
        w,
        "/* The scene of examples/c/intersection_scene.json (the quickstart of examples/intersection.rs)\n\
         \x20* as a stack's inputs, step by step, and the warnings timeline the Rust stack gives for them.\n\
         \x20* Generated by capi/tests/example_scene.rs; do not edit (CV2X_REGENERATE=1 cargo test -p\n\
         \x20* cv2x-capi --test example_scene). C99. */\n\
         #ifndef CV2X_INTERSECTION_SCENE_H\n#define CV2X_INTERSECTION_SCENE_H\n\n#include <stdint.h>\n"
    );
    let _ = writeln!(
        w,
        "/* Scene time zero, Unix UTC ms (2026-03-01 08:00:00). */"
    );
    let _ = writeln!(
        w,
        "#define SCENE_T0_UNIX_MS {}LL",
        epoch().to_unix_utc_millis()
    );
    let _ = writeln!(
        w,
        "#define SCENE_ORIGIN_LAT_DEG {}",
        dbl(d.sc.origin.lat_deg)
    );
    let _ = writeln!(
        w,
        "#define SCENE_ORIGIN_LON_DEG {}",
        dbl(d.sc.origin.lon_deg)
    );
    let _ = writeln!(w, "#define SCENE_EGO_LENGTH_M {}", dbl(d.sc.ego.length_m));
    let _ = writeln!(w, "#define SCENE_EGO_WIDTH_M {}", dbl(d.sc.ego.width_m));
    let id: Vec<String> =
        d.sc.ego
            .vehicle_id
            .iter()
            .map(|b| format!("0x{b:02x}"))
            .collect();
    let _ = writeln!(w, "/* The ego's temporary id. */");
    let _ = writeln!(
        w,
        "static const uint8_t SCENE_EGO_ID[8] = {{{}}};\n",
        id.join(", ")
    );

    // messages, each distinct one once
    let mut distinct: Vec<&[u8]> = Vec::new();
    let mut refs: Vec<(u32, usize)> = Vec::new();
    for step in &d.messages {
        for (aid, bytes) in step {
            let i = match distinct.iter().position(|b| *b == &bytes[..]) {
                Some(i) => i,
                None => {
                    assert!(bytes.len() < 2000, "a message fits one C string literal");
                    distinct.push(bytes);
                    distinct.len() - 1
                }
            };
            refs.push((*aid, i));
        }
    }
    let _ = writeln!(
        w,
        "/* Every distinct message (UPER MessageFrame, T/CSAE 53-2020), hex. */"
    );
    let _ = writeln!(w, "static const char *const SCENE_FRAMES[] = {{");
    for b in &distinct {
        let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
        let _ = writeln!(w, "    \"{hex}\",");
    }
    let _ = writeln!(w, "}};\n");
    let _ = writeln!(
        w,
        "/* The messages received, in order: AID and frame (index into SCENE_FRAMES). */"
    );
    let _ = writeln!(
        w,
        "typedef struct {{\n    uint32_t aid;\n    uint32_t frame;\n}} scene_message;\n"
    );
    let _ = writeln!(w, "static const scene_message SCENE_MESSAGES[] = {{");
    for (aid, i) in &refs {
        let _ = writeln!(w, "    {{{aid}, {i}}},");
    }
    let _ = writeln!(w, "}};\n");

    let _ = writeln!(
        w,
        "/* A track of the ego's lidar: a motor vehicle, ego frame (x forward, y left), m, m/s, degrees\n\
         \x20* (0 = north, clockwise; yaw rate clockwise), m/s^2. */"
    );
    let _ = writeln!(
        w,
        "typedef struct {{\n    uint32_t object_id;\n    double x_m, y_m, speed_mps, heading_deg, yaw_rate_dps, accel_mps2, length_m, width_m;\n}} scene_track;\n"
    );
    let _ = writeln!(w, "static const scene_track SCENE_TRACKS[] = {{");
    for t in d.tracks.iter().flatten() {
        let _ = writeln!(
            w,
            "    {{{}, {}, {}, {}, {}, {}, {}, {}, {}}},",
            t.object_id,
            dbl(t.x_m),
            dbl(t.y_m),
            dbl(t.speed_mps),
            dbl(t.heading_deg),
            dbl(t.yaw_rate_dps),
            dbl(t.accel_mps2),
            dbl(t.length_m),
            dbl(t.width_m)
        );
    }
    let _ = writeln!(w, "}};\n");

    let _ = writeln!(
        w,
        "/* One step: time since SCENE_T0 (us); the ego's state (GNSS 0.5 m, heading accuracy 1.96 deg at 95 %,\n\
         \x20* no turn signal); how many messages and tracks of the tables above arrive in it. */"
    );
    let _ = writeln!(
        w,
        "typedef struct {{\n    int64_t offset_us;\n    double lat_deg, lon_deg, heading_deg, speed_mps, yaw_rate_dps, accel_mps2;\n    uint32_t messages, tracks;\n}} scene_step;\n"
    );
    let _ = writeln!(w, "static const scene_step SCENE_STEPS[] = {{");
    for (k, s) in d.steps.iter().enumerate() {
        let _ = writeln!(
            w,
            "    {{{}, {}, {}, {}, {}, {}, {}, {}, {}}},",
            s.offset_us,
            dbl(s.lat_deg),
            dbl(s.lon_deg),
            dbl(s.heading_deg),
            dbl(s.speed_mps),
            dbl(s.yaw_rate_dps),
            dbl(s.accel_mps2),
            d.messages[k].len(),
            d.tracks[k].len()
        );
    }
    let _ = writeln!(w, "}};\n");

    let _ = writeln!(
        w,
        "/* The timeline the Rust stack gives: step, CV2X_WARNING_* change, warning id, CV2X_APP_*, CV2X_LEVEL_*. */"
    );
    let _ = writeln!(
        w,
        "typedef struct {{\n    uint32_t step, change, id, app, level;\n}} scene_change;\n"
    );
    let _ = writeln!(w, "static const scene_change SCENE_TIMELINE[] = {{");
    for (k, change, id, app, level) in timeline {
        let _ = writeln!(
            w,
            "    {{{k}, {change}, {id}, {app}, {level}}}, /* {:.1} s {} */",
            d.steps[*k].offset_us as f64 / 1e6,
            app_name(*app)
        );
    }
    let _ = writeln!(w, "}};\n\n#endif");
    h
}

#[test]
fn the_c_example_data_are_current_and_give_the_rust_timeline() {
    let d = data();
    let c = through_the_c_abi(&d);
    // The same raised / updated / cleared sequence as the runner's stack, step by step.
    let plain = run(&d.sc, RunOptions::default());
    let want: Vec<(usize, u32, &str)> = plain
        .timeline
        .iter()
        .map(|e| {
            let change = match e.state {
                "raise" => CV2X_WARNING_RAISED,
                "change" => CV2X_WARNING_UPDATED,
                _ => CV2X_WARNING_CLEARED,
            };
            (
                (e.record.t_s / d.sc.step_s).round() as usize,
                change,
                e.record.app.name(),
            )
        })
        .collect();
    let got: Vec<(usize, u32, &str)> = c.iter().map(|x| (x.0, x.1, app_name(x.3))).collect();
    assert_eq!(got, want);
    assert!(
        c.iter()
            .any(|x| x.3 == CV2X_APP_FCW && x.4 == CV2X_LEVEL_ALERT)
    );
    // ids: one per warning's life, kept from raised to cleared
    for x in &c {
        let first = c.iter().find(|y| y.2 == x.2).unwrap();
        assert_eq!((first.1, first.3), (CV2X_WARNING_RAISED, x.3), "{x:?}");
    }
    let text = header(&d, &c);
    let path = root().join(HEADER);
    if std::env::var_os("CV2X_REGENERATE").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == text,
        "{HEADER} is not current: run CV2X_REGENERATE=1 cargo test -p cv2x-capi --test example_scene"
    );
}
