//! `cv2x drive`: a recorded drive through the host vehicle — one JSON line per transmitted
//! message, as `cv2x send` takes them.
//!
//! The drive log is JSON lines, one vehicle-state sample each, in time order:
//!
//! ```text
//! {"t": "2025-06-01T08:00:00.000Z", "lat": 31.23, "lon": 121.47, "elev_m": 10.0,
//!  "heading_deg": 0.0, "speed_mps": 15.0, "yaw_rate_dps": 0.0, "accel_mps2": 0.0,
//!  "brake_applied": false, "events": ["hard_braking"], "lights": ["low_beam"], "cbr": 0.12}
//! ```
//!
//! `t` is required; every other key is optional and, when missing, "not available" (`lat` and
//! `lon` go together: without them the sample is a GNSS outage). Headings are degrees from north,
//! clockwise; the yaw rate is degrees/s, clockwise positive seen from above. `events` and
//! `lights` take the names of [`Events::NAMES`] and [`Lights::NAMES`]. Two more optional keys:
//! `density` (vehicles heard within 100 m, for the rate policy) and `objects`, the ego's own
//! sensor tracks to share in SSMs (with `--ssm-aid`): `{"id", "x_m", "y_m"}` in the vehicle
//! frame (x forward, y left) and optionally `"speed_mps"` with `"heading_deg"`, `"class"`
//! (motor, non_motor, pedestrian, unknown), `"sensor"` (camera, radar, lidar, fused),
//! `"length_m"`, `"width_m"`. Parsing is strict: an unknown key, a value of the wrong type
//! or out of range, or a time not after the previous line's is an error naming the line.
//!
//! The vehicle is a passenger car 4.8 m × 1.9 m. Messages are produced at their own due
//! times between samples (sans-IO `poll` at each due time), each printed as
//! `{"time", "aid", "kind", "event", "uper_hex", "spdu_hex" (when signed), "dsmp_hex"}`;
//! counters go to stderr at the end. `--svg FILE` also draws the drive: its true path against
//! the path histories the BSMs carried, pseudonym changes and events on the path, and a
//! timeline of pseudonyms and events.
use std::io::{BufRead, BufReader};
use std::process::ExitCode;

use cv2x::fusion::{
    ObjectClass, ObjectSize, ObsCovariance, ObsMotion, ObsPosition, Observation, SourceId,
    SourceKind, SourceType,
};
use cv2x::geo::Wgs84;
use cv2x::host::{
    Brakes, BsmForm, Credential, Events, GnssFix, HostConfig, HostVehicle, Lights, MessageKind,
    PseudonymPolicy, PseudonymPool, SeededRandom, SsmConfig, Transmission, VehicleClass,
    VehicleSize, VehicleState,
};
use cv2x::msg::conform::hex_lower;
use cv2x::net::Aid;
use cv2x::security::crypto::{Backend, SoftwareBackend};
use cv2x::testing::picture::{Bar, Inset, Moment, Recorder, RoadUser, Row, Scene, render};
use cv2x::time::Timestamp;
use serde_json::{Map, Value, json};

use crate::text::{parse_rfc3339, rfc3339};

const USAGE: &str = concat!(
    "usage:\n",
    "  cv2x drive [--pki DIR] [--change-every S] [--change-distance M] [--std csae53-2020|csae53-2017]\n",
    "             [--seed TEXT] [--ssm-aid N [--ssm-interval MS]] [--svg FILE] DRIVE.jsonl\n",
    "feeds a drive log (one vehicle state per line) through the host vehicle and prints one\n",
    "JSON line per transmitted message. --pki signs with the pseudonyms `cv2x pki init\n",
    "--pseudonyms N DIR` wrote (or DIR's single signer); --change-every / --change-distance\n",
    "change pseudonym after that many seconds / metres (both when both are given); --seed\n",
    "makes the random ids and counters reproducible (default: a fixed lab seed); --svg draws\n",
    "the true path against the transmitted path histories.\n",
);

/// The keys a drive-log line may have.
const KEYS: [&str; 14] = [
    "t",
    "lat",
    "lon",
    "elev_m",
    "heading_deg",
    "speed_mps",
    "yaw_rate_dps",
    "accel_mps2",
    "brake_applied",
    "events",
    "lights",
    "cbr",
    "density",
    "objects",
];

/// The keys of an `objects` entry.
const OBJECT_KEYS: [&str; 9] = [
    "id",
    "x_m",
    "y_m",
    "speed_mps",
    "heading_deg",
    "class",
    "sensor",
    "length_m",
    "width_m",
];

struct Options {
    pki: Option<String>,
    change_every_s: Option<f64>,
    change_distance_m: Option<f64>,
    form: BsmForm,
    seed: String,
    ssm_aid: Option<u32>,
    ssm_interval_ms: u32,
    svg: Option<String>,
    file: String,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        pki: None,
        change_every_s: None,
        change_distance_m: None,
        form: BsmForm::Csae2020,
        seed: "cv2x drive".to_string(),
        ssm_aid: None,
        ssm_interval_ms: 100,
        svg: None,
        file: String::new(),
    };
    let mut file = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || {
            it.next()
                .map(String::as_str)
                .ok_or_else(|| format!("{a} needs a value"))
        };
        match a.as_str() {
            "--pki" => o.pki = Some(value()?.to_string()),
            "--change-every" => {
                o.change_every_s =
                    Some(crate::text::seconds(value()?).map_err(|e| format!("{a}: {e}"))?)
            }
            "--change-distance" => {
                let v = value()?;
                o.change_distance_m = Some(
                    v.parse::<f64>()
                        .ok()
                        .filter(|m| m.is_finite() && *m >= 0.0)
                        .ok_or_else(|| format!("{a}: `{v}` is not a distance in metres"))?,
                );
            }
            "--std" => {
                o.form = match value()? {
                    "csae53-2020" => BsmForm::Csae2020,
                    "csae53-2017" => BsmForm::Csae2017,
                    v => return Err(format!("--std: `{v}` is not csae53-2020 or csae53-2017")),
                }
            }
            "--seed" => o.seed = value()?.to_string(),
            "--svg" => o.svg = Some(value()?.to_string()),
            "--ssm-aid" => {
                let v = value()?;
                o.ssm_aid = Some(v.parse().map_err(|_| format!("{a}: `{v}` is not an AID"))?);
            }
            "--ssm-interval" => {
                let v = value()?;
                o.ssm_interval_ms = v
                    .parse()
                    .ok()
                    .filter(|ms| *ms > 0)
                    .ok_or_else(|| format!("{a}: `{v}` is not a number of milliseconds"))?;
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            s if s.starts_with("--") => return Err(format!("unknown option {s}\n{USAGE}")),
            s if file.is_none() => file = Some(s.to_string()),
            _ => return Err(format!("one drive log expected\n{USAGE}")),
        }
    }
    o.file = file.ok_or_else(|| USAGE.to_string())?;
    Ok(o)
}

/// One drive-log line.
#[derive(Debug)]
pub(crate) struct Sample {
    pub(crate) state: VehicleState,
    cbr: Option<f64>,
    density: Option<u32>,
    objects: Option<Vec<Observation>>,
}

fn number(obj: &Map<String, Value>, key: &str) -> Result<Option<f64>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_f64()
            .map(Some)
            .ok_or_else(|| format!("`{key}` must be a number")),
    }
}

fn names<T: Copy + Default + std::ops::BitOr<Output = T>>(
    obj: &Map<String, Value>,
    key: &str,
    table: &[(&str, T)],
) -> Result<Option<T>, String> {
    let Some(v) = obj.get(key) else {
        return Ok(None);
    };
    let list = v
        .as_array()
        .ok_or_else(|| format!("`{key}` must be a list of names"))?;
    let mut set = T::default();
    for item in list {
        let name = item
            .as_str()
            .ok_or_else(|| format!("`{key}` must be a list of names"))?;
        let flag = table
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| *f)
            .ok_or_else(|| {
                let known: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
                format!(
                    "`{key}`: unknown name `{name}` (one of {})",
                    known.join(", ")
                )
            })?;
        set = set | flag;
    }
    Ok(Some(set))
}

/// An error naming the keys of `obj` not in `allowed`.
pub(crate) fn unknown_keys(obj: &Map<String, Value>, allowed: &[&str]) -> Result<(), String> {
    let unknown: Vec<&str> = obj
        .keys()
        .map(String::as_str)
        .filter(|k| !allowed.contains(k))
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "unknown key{} {}",
            if unknown.len() > 1 { "s" } else { "" },
            unknown
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}

fn parse_object(v: &Value, t: Timestamp) -> Result<Observation, String> {
    let obj = v
        .as_object()
        .ok_or("an `objects` entry must be an object")?;
    unknown_keys(obj, &OBJECT_KEYS).map_err(|e| format!("objects: {e}"))?;
    let need = |k: &str| number(obj, k)?.ok_or_else(|| format!("objects: `{k}` is required"));
    let id = obj
        .get("id")
        .and_then(Value::as_u64)
        .ok_or("objects: `id` must be a non-negative integer")?;
    let (x_m, y_m) = (need("x_m")?, need("y_m")?);
    let motion = match (number(obj, "speed_mps")?, number(obj, "heading_deg")?) {
        (Some(speed_mps), Some(heading_deg)) => ObsMotion::SpeedHeading {
            speed_mps,
            heading_deg,
        },
        (None, None) => ObsMotion::None,
        _ => return Err("objects: `speed_mps` and `heading_deg` go together".into()),
    };
    let text = |k: &str| -> Result<Option<&str>, String> {
        match obj.get(k) {
            None => Ok(None),
            Some(v) => v
                .as_str()
                .map(Some)
                .ok_or_else(|| format!("objects: `{k}` must be a string")),
        }
    };
    let class = match text("class")? {
        None | Some("unknown") => ObjectClass::Unknown,
        Some("motor") => ObjectClass::Motor,
        Some("non_motor") => ObjectClass::NonMotor,
        Some("pedestrian") => ObjectClass::Pedestrian,
        Some(c) => return Err(format!("objects: unknown class `{c}`")),
    };
    let source_type = match text("sensor")? {
        None | Some("fused") => SourceType::Integrated,
        Some("camera") => SourceType::Video,
        Some("radar") => SourceType::MicrowaveRadar,
        Some("lidar") => SourceType::Lidar,
        Some(s) => return Err(format!("objects: unknown sensor `{s}`")),
    };
    let size = match (number(obj, "length_m")?, number(obj, "width_m")?) {
        (Some(length_m), Some(width_m)) if length_m > 0.0 && width_m > 0.0 => Some(ObjectSize {
            length_m,
            width_m,
            height_m: 0.0,
        }),
        (None, None) => None,
        _ => return Err("objects: `length_m` and `width_m` go together and are positive".into()),
    };
    Ok(Observation {
        source: SourceId {
            kind: SourceKind::Onboard,
            station: 0,
        },
        object_id: id,
        vehicle_id: None,
        source_type,
        time: t,
        position: ObsPosition::Ego { x_m, y_m },
        motion,
        yaw_rate_rps: None,
        accel_mps2: None,
        size,
        class,
        covariance: ObsCovariance::default(),
    })
}

fn parse_sample(v: &Value) -> Result<Sample, String> {
    let obj = v.as_object().ok_or("a line must be a JSON object")?;
    unknown_keys(obj, &KEYS)?;
    let t = obj
        .get("t")
        .ok_or("`t` is required")?
        .as_str()
        .ok_or("`t` must be an RFC 3339 time")?;
    let time = parse_rfc3339(t)?;
    let gnss = match (number(obj, "lat")?, number(obj, "lon")?) {
        (Some(lat), Some(lon)) => Some(GnssFix {
            elevation_m: number(obj, "elev_m")?,
            ..GnssFix::new(time, lat, lon)
        }),
        (None, None) => None,
        _ => return Err("`lat` and `lon` go together".into()),
    };
    let brake_applied = match obj.get("brake_applied") {
        None => None,
        Some(b) => Some(b.as_bool().ok_or("`brake_applied` must be true or false")?),
    };
    let state = VehicleState {
        gnss,
        speed_mps: number(obj, "speed_mps")?,
        heading_deg: number(obj, "heading_deg")?,
        yaw_rate_dps: number(obj, "yaw_rate_dps")?,
        accel_long_mps2: number(obj, "accel_mps2")?,
        brakes: Brakes {
            pedal: brake_applied,
            ..Brakes::default()
        },
        lights: names(obj, "lights", Lights::NAMES)?,
        events: names(obj, "events", Events::NAMES)?.unwrap_or(Events::NONE),
        size: Some(VehicleSize {
            length_m: 4.8,
            width_m: 1.9,
            height_m: None,
        }),
        class: Some(VehicleClass::PASSENGER_CAR),
        ..VehicleState::at(time)
    };
    state.validate().map_err(|e| e.to_string())?;
    let cbr = number(obj, "cbr")?;
    if cbr.is_some_and(|c| !(0.0..=1.0).contains(&c)) {
        return Err("`cbr` must be within 0..=1".into());
    }
    let density = match obj.get("density") {
        None => None,
        Some(d) => Some(
            d.as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or("`density` must be a count of vehicles")?,
        ),
    };
    let objects = match obj.get("objects") {
        None => None,
        Some(list) => Some(
            list.as_array()
                .ok_or("`objects` must be a list")?
                .iter()
                .map(|o| parse_object(o, time))
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    Ok(Sample {
        state,
        cbr,
        density,
        objects,
    })
}

/// Reads a drive log (strictly: see the module docs).
pub(crate) fn load_samples(path: &str) -> Result<Vec<Sample>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let mut out: Vec<Sample> = Vec::new();
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let n = i + 1;
        let line = line.map_err(|e| format!("{path}: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value =
            serde_json::from_str(&line).map_err(|e| format!("{path}:{n}: not JSON: {e}"))?;
        let s = parse_sample(&v).map_err(|e| format!("{path}:{n}: {e}"))?;
        if let Some(prev) = out.last() {
            if s.state.time <= prev.state.time {
                return Err(format!("{path}:{n}: `t` is not after the previous line's"));
            }
        }
        out.push(s);
    }
    if out.is_empty() {
        return Err(format!("{path}: no samples"));
    }
    Ok(out)
}

fn pool(dir: &str) -> Result<PseudonymPool, String> {
    let pairs = crate::pki::load_pseudonyms(std::path::Path::new(dir))?;
    let credentials = pairs
        .into_iter()
        .map(|(key, cert, name)| {
            Credential::new(Box::new(key), &cert).map_err(|e| format!("{name}: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PseudonymPool::new(credentials))
}

fn print(tx: &Transmission) {
    let mut v = json!({
        "time": rfc3339(tx.time),
        "aid": tx.aid.0,
        "kind": tx.kind.name(),
        "event": tx.event,
        "uper_hex": hex_lower(&tx.uper),
    });
    if let Some(s) = &tx.spdu {
        v["spdu_hex"] = json!(hex_lower(s));
    }
    v["dsmp_hex"] = json!(hex_lower(&tx.dsmp));
    outln!("{v}");
}

/// Runs `drive …`.
pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let o = parse_options(args)?;
    let samples = load_samples(&o.file)?;
    let config = HostConfig {
        form: o.form,
        pseudonym: PseudonymPolicy {
            interval_ms: o.change_every_s.map(|s| (s * 1000.0).round() as u64),
            distance_m: o.change_distance_m,
        },
        ssm: o.ssm_aid.map(|aid| SsmConfig {
            aid: Aid(aid),
            interval_ms: o.ssm_interval_ms,
            max_track_age_ms: 500,
        }),
        ..HostConfig::default()
    };
    let seed = SoftwareBackend::default().sha256(&[o.seed.as_bytes()]);
    let mut host =
        HostVehicle::new(config, Box::new(SeededRandom::new(seed))).map_err(|e| e.to_string())?;
    if let Some(dir) = &o.pki {
        host.set_pseudonym_pool(pool(dir)?);
    }
    let fail = |t: Timestamp, e: cv2x::host::HostError| format!("at {}: {e}", rfc3339(t));
    let mut picture = match &o.svg {
        Some(path) => Some(DrivePicture::new(path, &o.file, &samples)?),
        None => None,
    };
    let mut print = |tx: &Transmission| {
        print(tx);
        if let Some(p) = picture.as_mut() {
            p.transmitted(tx);
        }
    };
    for s in samples {
        let t = s.state.time;
        // What falls due before this sample goes out on the previous one.
        while let Some(due) = host.next_due().filter(|d| *d < t) {
            while let Some(tx) = host.poll(due).map_err(|e| fail(due, e))? {
                print(&tx);
            }
        }
        host.update(s.state)
            .map_err(|e| format!("{}: {e}", rfc3339(t)))?;
        if let Some(cbr) = s.cbr {
            host.set_channel_busy_ratio(cbr).map_err(|e| fail(t, e))?;
        }
        if let Some(n) = s.density {
            host.set_vehicle_density(n);
        }
        if let Some(objects) = &s.objects {
            host.set_onboard_tracks(objects);
        }
        while let Some(tx) = host.poll(t).map_err(|e| fail(t, e))? {
            print(&tx);
        }
    }
    let c = host.counters();
    if let Some(p) = picture {
        p.write(c.pseudonym_changes)?;
    }
    eprintln!(
        "{}",
        json!({"states": c.states, "bsm": c.bsm, "event_bsm": c.event_bsm,
               "tracking_bsm": c.tracking_bsm, "ssm": c.ssm, "no_fix": c.no_fix,
               "pseudonym_changes": c.pseudonym_changes, "changes_blocked": c.changes_blocked})
    );
    Ok(ExitCode::SUCCESS)
}

/// The picture of a drive (`--svg`): the true path, the transmitted path histories, the
/// pseudonym changes and events on the path, and a timeline of pseudonyms and events.
struct DrivePicture {
    path: String,
    title: String,
    t0: Timestamp,
    end_s: f64,
    recorder: Recorder,
    /// (time s, temporary id, event) of each BSM.
    sent: Vec<(f64, [u8; 8], bool)>,
    moments: Vec<Moment>,
    /// The middle of the sharpest turn, s (where the inset zooms in).
    turn_s: Option<f64>,
}

impl DrivePicture {
    fn new(path: &str, file: &str, samples: &[Sample]) -> Result<Self, String> {
        let first = samples.first().ok_or("no samples")?;
        let t0 = first.state.time;
        let origin = samples
            .iter()
            .find_map(|s| s.state.gnss.as_ref())
            .map(|g| Wgs84::new(g.lat_deg, g.lon_deg, 0.0))
            .ok_or("--svg: the drive has no position")?;
        let mut recorder = Recorder::new(origin).map_err(|e| format!("--svg: {e}"))?;
        for s in samples {
            if let Some(g) = &s.state.gnss {
                recorder.ego_at(
                    s.state.time.seconds_since(t0),
                    &Wgs84::new(g.lat_deg, g.lon_deg, 0.0),
                );
            }
        }
        let end_s = samples
            .last()
            .map_or(0.0, |s| s.state.time.seconds_since(t0));
        // The middle of the samples turning at (nearly) the highest yaw rate.
        let max_yaw = samples
            .iter()
            .filter_map(|s| s.state.yaw_rate_dps)
            .map(f64::abs)
            .fold(0.0, f64::max);
        let turning: Vec<f64> = samples
            .iter()
            .filter(|s| {
                s.state
                    .yaw_rate_dps
                    .is_some_and(|y| y.abs() >= 0.9 * max_yaw)
            })
            .map(|s| s.state.time.seconds_since(t0))
            .collect();
        let turn_s = (max_yaw >= 1.0)
            .then(|| turning.get(turning.len() / 2).copied())
            .flatten();
        let name = std::path::Path::new(file)
            .file_name()
            .map_or(file.to_string(), |n| n.to_string_lossy().into_owned());
        Ok(DrivePicture {
            path: path.to_string(),
            title: format!("cv2x drive {name}"),
            t0,
            end_s,
            recorder,
            sent: Vec::new(),
            moments: Vec::new(),
            turn_s,
        })
    }

    fn transmitted(&mut self, tx: &Transmission) {
        let t_s = tx.time.seconds_since(self.t0);
        if tx.kind != MessageKind::Bsm {
            return;
        }
        self.recorder.transmitted(t_s, tx);
        let previous = self.sent.last().copied();
        if tx.pseudonym_changed && previous.is_some() {
            self.moments.push(Moment {
                t_s,
                text: "pseudonym change".into(),
                colour: "#7f3fbf",
            });
        }
        if tx.event && previous.is_none_or(|p| !p.2) {
            self.moments.push(Moment {
                t_s,
                text: "event starts: BSM at once".into(),
                colour: "#d55e00",
            });
        }
        self.sent.push((t_s, tx.temporary_id, tx.event));
    }

    fn write(self, changes: u64) -> Result<(), String> {
        let rec = self.recorder.finish();
        let end = self.end_s.max(rec.end_s);
        // One bar per pseudonym (alternating colours, the temporary id inside), one per event.
        let mut pseudonyms: Vec<Bar> = Vec::new();
        let mut events: Vec<Bar> = Vec::new();
        for (k, (t, id, event)) in self.sent.iter().enumerate() {
            let next = self.sent.get(k + 1).map_or(end, |n| n.0);
            match pseudonyms.last_mut() {
                Some(b) if b.text.as_deref() == Some(hex_lower(id).as_str()) => b.to_s = next,
                _ => pseudonyms.push(Bar {
                    from_s: *t,
                    to_s: next,
                    colour: if pseudonyms.len() % 2 == 0 {
                        "#7f3fbf"
                    } else {
                        "#b48ad8"
                    },
                    text: Some(hex_lower(id)),
                }),
            }
            if *event {
                match events.last_mut() {
                    Some(b) if (b.to_s - t).abs() < 0.35 => b.to_s = next,
                    _ => events.push(Bar {
                        from_s: *t,
                        to_s: next,
                        colour: "#d55e00",
                        text: Some("event".into()),
                    }),
                }
            }
        }
        let inset = self.turn_s.and_then(|t| {
            let at = rec
                .ego
                .iter()
                .min_by(|a, b| (a.0 - t).abs().total_cmp(&(b.0 - t).abs()))?;
            Some(Inset {
                centre: at.1,
                half_width_m: 25.0,
                history_t_s: t + 2.0,
            })
        });
        let bsm = self.sent.len();
        let event_bsm = self.sent.iter().filter(|s| s.2).count();
        let scene = Scene {
            title: self.title,
            notes: vec![format!(
                "{end:.1} s, {bsm} BSMs ({event_bsm} while an event was reported), {changes} pseudonym change{}; \
                 each BSM carries the path history, drawn here for BSMs far apart",
                if changes == 1 { "" } else { "s" }
            )],
            duration_s: end,
            users: vec![RoadUser {
                id: 0,
                name: "ego".into(),
                ego: true,
                samples: rec.ego,
            }],
            histories: rec.histories,
            moments: self.moments,
            rows: vec![
                Row {
                    label: "pseudonym".into(),
                    bars: pseudonyms,
                },
                Row {
                    label: "events".into(),
                    bars: events,
                },
            ],
            inset,
            ..Scene::default()
        };
        std::fs::write(&self.path, render(&scene).svg).map_err(|e| format!("{}: {e}", self.path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Sample, String> {
        parse_sample(&serde_json::from_str(line).unwrap())
    }

    #[test]
    fn lines_are_parsed_strictly() {
        let s = parse(
            r#"{"t":"2025-06-01T08:00:00Z","lat":31.2,"lon":121.5,"speed_mps":3,
                "events":["hard_braking"],"lights":["left_turn","low_beam"],"cbr":0.2}"#,
        )
        .unwrap();
        assert!(s.state.events.contains(Events::HARD_BRAKING));
        assert!(s.state.lights.unwrap().contains(Lights::LEFT_TURN));
        assert_eq!(s.state.heading_deg, None);
        assert_eq!(s.cbr, Some(0.2));
        let e = parse(r#"{"t":"2025-06-01T08:00:00Z","speed":3,"colour":1}"#).unwrap_err();
        assert!(e.contains("`colour`") && e.contains("`speed`"), "{e}");
        let e = parse(r#"{"t":"2025-06-01T08:00:00Z","events":["hard braking"]}"#).unwrap_err();
        assert!(e.contains("unknown name `hard braking`"), "{e}");
        let e = parse(r#"{"t":"2025-06-01T08:00:00Z","lat":31.2}"#).unwrap_err();
        assert!(e.contains("go together"), "{e}");
        let e = parse(r#"{"t":"2025-06-01T08:00:00Z","heading_deg":400}"#).unwrap_err();
        assert_eq!(e, "heading_deg: out of range");
        let e = parse(r#"{"t":"2025-06-01T08:00:00Z","speed_mps":"fast"}"#).unwrap_err();
        assert!(e.contains("`speed_mps` must be a number"), "{e}");
        assert!(parse(r#"{"lat":1,"lon":2}"#).unwrap_err().contains("`t`"));
        let e = parse(r#"{"t":"2025-06-01T08:00:00Z","objects":[{"id":1,"x_m":3}]}"#).unwrap_err();
        assert!(e.contains("`y_m` is required"), "{e}");
        let s = parse(
            r#"{"t":"2025-06-01T08:00:00Z","objects":[{"id":1,"x_m":3,"y_m":-1,"class":"pedestrian","sensor":"lidar"}]}"#,
        )
        .unwrap();
        let o = s.objects.unwrap();
        assert_eq!(
            (o[0].class, o[0].source_type),
            (ObjectClass::Pedestrian, SourceType::Lidar)
        );
    }
}
