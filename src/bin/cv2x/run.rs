//! `cv2x run`: a recorded test drive evaluated offline. The ego's recorded states (a drive log,
//! as `cv2x drive` reads it) and the messages it received (captures or JSON lines) go through
//! the whole [`Stack`] in time order, and the event timeline comes out as JSON lines, then a
//! summary line.
//!
//! ```text
//! cv2x run --ego DRIVE.jsonl [--trust CERT]... [--cert CERT]... [--require-signatures]
//!          [--filter-port P] [--svg FILE] INPUT...
//! ```
//!
//! An INPUT is a pcap or pcapng capture of DSMP over UDP (told by its first four bytes), or
//! JSON lines of received messages:
//!
//! ```text
//! {"time": "2025-06-01T08:00:01.200Z", "uper_hex": "…"}      a plain MessageFrame
//! {"time": "…", "spdu_hex": "…", "aid": 111}                 a signed message (the AID optional)
//! {"time": "…", "dsmp_hex": "…"}                             a DSMP packet as received
//! ```
//!
//! `time` is the receive time and is required, with at least one of `uper_hex`, `spdu_hex`
//! and `dsmp_hex` (when several are given, the packet as received wins: DSMP, then SPDU, then
//! the plain frame). `aid` is optional; `kind` and `event`, which `cv2x drive` writes, are
//! accepted and ignored, so a drive's output can be replayed as another vehicle's messages.
//! Any other key is an error naming it.
//!
//! In time order: each drive-log state goes to `Stack::set_ego` at its time, each message to
//! `Stack::ingest` at its receive time, and the stack is polled every 100 ms from the first
//! time to the last (at equal times: state, then messages, then the poll); the inputs may span
//! at most a day. Output lines:
//! `{"t", "t_s", "event": "raised"|"updated"|"cleared", "id", "app", "level", "target",
//! "ttc_s", "distance_m", "advice"}` and what the warning carries (`decel_mps2`, `road`,
//! `limit_kph`, `guidance`; see `detail.rs`) for the warnings' life, `{"event": "dropped", "reason"}`
//! for every drop (and DSMP packets that do not dispatch), `{"event": "day2", "detail"}`, and
//! last `{"summary": {…}}`. SPDUs are verified against `--trust` anchors (with `--cert`
//! certificates known in advance); without anchors they are dropped as unverifiable.
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::process::ExitCode;

use cv2x::apps::{Advice, Target, Warning};
use cv2x::geo::Wgs84;
use cv2x::net::Dispatcher;
use cv2x::net::dispatch::PayloadKind;
use cv2x::net::replay::CaptureReader;
use cv2x::stack::{Event, RxMeta, Stack, StackConfig, WarningChange};
use cv2x::testing::picture::{Recorder, RoadUser, Scene, render};
use cv2x::time::Timestamp;
use serde_json::{Map, Value, json};

use crate::detail::round;
use crate::drive::{Sample, load_samples, unknown_keys};
use crate::net::value;
use crate::security::build_verifier;
use crate::text::{parse_rfc3339, read_inputs, rfc3339};

const USAGE: &str = concat!(
    "usage:\n",
    "  cv2x run --ego DRIVE.jsonl [--trust CERT]... [--cert CERT]... [--require-signatures]\n",
    "           [--filter-port P] [--svg FILE] INPUT...\n",
    "feeds a recorded drive (the ego's states) and the messages received on it (pcap/pcapng\n",
    "captures, or JSON lines {\"time\", \"uper_hex\"|\"spdu_hex\"|\"dsmp_hex\"}) through the stack\n",
    "in time order, polling at 10 Hz; prints the warnings' life and the drops as JSON lines,\n",
    "then a summary. --svg draws the run (map view and timeline).\n",
);

/// The keys a message line may have.
const KEYS: [&str; 7] = [
    "time", "uper_hex", "spdu_hex", "dsmp_hex", "aid", "kind", "event",
];

/// The poll period, µs.
const POLL_US: i64 = 100_000;

/// The longest run (first to last time of the inputs), µs: a day of recording.
const MAX_SPAN_US: i64 = 24 * 3_600_000_000;

#[derive(Default)]
struct Options {
    ego: Option<String>,
    trust: Vec<String>,
    certs: Vec<String>,
    require_signatures: bool,
    filter_port: Option<u16>,
    svg: Option<String>,
    inputs: Vec<String>,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--ego" => o.ego = Some(value(&mut it, a)?.to_string()),
            "--trust" => o.trust.push(value(&mut it, a)?.to_string()),
            "--cert" => o.certs.push(value(&mut it, a)?.to_string()),
            "--require-signatures" => o.require_signatures = true,
            "--filter-port" => {
                let v = value(&mut it, a)?;
                o.filter_port = Some(v.parse().map_err(|_| format!("{a}: `{v}` is not a port"))?);
            }
            "--svg" => o.svg = Some(value(&mut it, a)?.to_string()),
            "-h" | "--help" => return Err(USAGE.to_string()),
            s if s.starts_with("--") => return Err(format!("unknown option {s}\n{USAGE}")),
            s => o.inputs.push(s.to_string()),
        }
    }
    if o.ego.is_none() {
        return Err(format!("--ego DRIVE.jsonl is required\n{USAGE}"));
    }
    if o.inputs.is_empty() {
        return Err(format!("at least one INPUT is required\n{USAGE}"));
    }
    if o.trust.is_empty() && !o.certs.is_empty() {
        return Err("--cert needs at least one --trust anchor".into());
    }
    Ok(o)
}

/// A received message, or a packet that did not dispatch.
struct Rx {
    time: Timestamp,
    payload: Result<(Vec<u8>, RxMeta), String>,
}

/// The payload and metadata of a DSMP packet.
fn dispatch(d: &mut Dispatcher, packet: &[u8]) -> Result<(Vec<u8>, RxMeta), String> {
    let p = d.dispatch(packet).map_err(|e| format!("dsmp: {e}"))?;
    Ok((
        p.payload.to_vec(),
        RxMeta {
            kind: p.kind,
            aid: Some(p.aid.0),
            source: None,
        },
    ))
}

fn is_capture(path: &str) -> Result<bool, String> {
    let mut magic = [0u8; 4];
    let mut f = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let n = f.read(&mut magic).map_err(|e| format!("{path}: {e}"))?;
    Ok(n == 4
        && matches!(
            magic,
            [0xd4, 0xc3, 0xb2, 0xa1]
                | [0xa1, 0xb2, 0xc3, 0xd4]
                | [0x4d, 0x3c, 0xb2, 0xa1]
                | [0xa1, 0xb2, 0x3c, 0x4d]
                | [0x0a, 0x0d, 0x0d, 0x0a]
        ))
}

fn read_capture(path: &str, port: Option<u16>, d: &mut Dispatcher) -> Result<Vec<Rx>, String> {
    let mut reader = CaptureReader::open(path).map_err(|e| format!("{path}: {e}"))?;
    if let Some(p) = port {
        reader = reader.with_port(p);
    }
    let mut out = Vec::new();
    while let Some(dg) = reader.next_datagram() {
        let dg = dg.map_err(|e| format!("{path}: {e}"))?;
        let us =
            i64::try_from(dg.time.as_micros()).map_err(|_| format!("{path}: time out of range"))?;
        let time =
            Timestamp::from_unix_utc_millis(us.div_euclid(1000)).add_micros(us.rem_euclid(1000));
        out.push(Rx {
            time,
            payload: dispatch(d, &dg.payload),
        });
    }
    Ok(out)
}

/// One message line (strict: see the module docs).
fn parse_line(v: &Value, d: &mut Dispatcher) -> Result<Rx, String> {
    let obj: &Map<String, Value> = v.as_object().ok_or("a line must be a JSON object")?;
    unknown_keys(obj, &KEYS)?;
    let time = parse_rfc3339(
        obj.get("time")
            .ok_or("`time` is required")?
            .as_str()
            .ok_or("`time` must be an RFC 3339 time")?,
    )?;
    let aid = match obj.get("aid") {
        None => None,
        Some(a) => Some(
            a.as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or("`aid` must be a non-negative integer")?,
        ),
    };
    let hex = |key: &str| -> Result<Option<Vec<u8>>, String> {
        match obj.get(key) {
            None => Ok(None),
            Some(h) => h
                .as_str()
                .and_then(|h| crate::text::hex(h).ok())
                .filter(|b| !b.is_empty())
                .map(Some)
                .ok_or_else(|| format!("`{key}` must be a non-empty hexadecimal string")),
        }
    };
    let payload = if let Some(p) = hex("dsmp_hex")? {
        dispatch(d, &p)
    } else if let Some(p) = hex("spdu_hex")? {
        Ok((
            p,
            RxMeta {
                kind: PayloadKind::Spdu,
                aid,
                source: None,
            },
        ))
    } else if let Some(p) = hex("uper_hex")? {
        Ok((
            p,
            RxMeta {
                kind: PayloadKind::MessageFrame,
                aid,
                source: None,
            },
        ))
    } else {
        return Err("one of `uper_hex`, `spdu_hex`, `dsmp_hex` is required".into());
    };
    Ok(Rx { time, payload })
}

fn read_lines(path: &str, d: &mut Dispatcher) -> Result<Vec<Rx>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let mut out = Vec::new();
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("{path}: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value =
            serde_json::from_str(&line).map_err(|e| format!("{path}:{}: not JSON: {e}", i + 1))?;
        out.push(parse_line(&v, d).map_err(|e| format!("{path}:{}: {e}", i + 1))?);
    }
    Ok(out)
}

fn target_json(w: &Warning) -> Value {
    match w.target {
        Target::Object { track_id, .. } => json!({"kind": "object", "track": track_id}),
        Target::Place { place_id, .. } => {
            json!({"kind": "place", "place": format!("{place_id:016x}")})
        }
        Target::Ego => json!({"kind": "ego"}),
    }
}

fn warning_json(line: &mut Value, w: &Warning) {
    line["app"] = json!(w.app.name());
    line["level"] = json!(w.level.name());
    line["target"] = target_json(w);
    if let Some(t) = w.ttc_s.filter(|t| t.is_finite()) {
        line["ttc_s"] = json!(round(t, 2));
    }
    if let Some(d) = w.distance_m.filter(|d| d.is_finite()) {
        line["distance_m"] = json!(round(d, 1));
    }
    if let Some(a) = w.advice {
        line["advice"] = match a {
            Advice::KeepSpeed => json!({"kind": "keep_speed"}),
            Advice::Stop => json!({"kind": "stop"}),
            Advice::SpeedRange { min_kph, max_kph } => json!({
                "kind": "range", "min_kph": round(min_kph, 1), "max_kph": round(max_kph, 1)
            }),
        };
    }
    if let Some(m) = line.as_object_mut() {
        crate::detail::insert(
            m,
            w.decel_mps2,
            w.road.as_ref(),
            w.limit_kph,
            w.guidance.as_ref(),
        );
    }
}

/// What the run counted for the summary.
#[derive(Default)]
struct Tally {
    raised: BTreeMap<&'static str, u64>,
    drops: BTreeMap<String, u64>,
}

/// Prints one event and counts it; `None` for events the timeline does not show.
fn event_line(ev: &Event, now: Timestamp, t_s: f64, tally: &mut Tally) -> Option<Value> {
    let mut line = json!({"t": rfc3339(now), "t_s": round(t_s, 3)});
    match ev {
        Event::Warning {
            id,
            change,
            warning,
        } => {
            line["event"] = json!(match change {
                WarningChange::Raised => "raised",
                WarningChange::Updated => "updated",
            });
            line["id"] = json!(id);
            warning_json(&mut line, warning);
            if *change == WarningChange::Raised {
                *tally.raised.entry(warning.app.name()).or_default() += 1;
            }
        }
        Event::WarningCleared { id, warning, .. } => {
            line["event"] = json!("cleared");
            line["id"] = json!(id);
            line["app"] = json!(warning.app.name());
            line["level"] = json!(warning.level.name());
        }
        Event::Dropped { reason, time } => {
            line["t"] = json!(rfc3339(*time));
            line["event"] = json!("dropped");
            line["reason"] = json!(reason.to_string());
            *tally.drops.entry(reason.to_string()).or_default() += 1;
        }
        Event::DayII { event, .. } => {
            line["event"] = json!("day2");
            line["detail"] = json!(format!("{event:?}"));
        }
        _ => return None,
    }
    Some(line)
}

/// The ego's position in a drive-log sample.
fn fix(s: &Sample) -> Option<Wgs84> {
    s.state
        .gnss
        .as_ref()
        .map(|g| Wgs84::new(g.lat_deg, g.lon_deg, 0.0))
}

/// Runs `cv2x run …`.
pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let o = parse_options(args)?;
    let ego_file = o.ego.clone().unwrap_or_default();
    let samples = load_samples(&ego_file)?;
    let mut dispatcher = Dispatcher::new();
    let mut messages: Vec<Rx> = Vec::new();
    for path in &o.inputs {
        let mut rx = if is_capture(path)? {
            read_capture(path, o.filter_port, &mut dispatcher)?
        } else {
            read_lines(path, &mut dispatcher)?
        };
        messages.append(&mut rx);
    }
    messages.sort_by_key(|m| m.time);
    let first = samples.first().map(|s| s.state.time);
    let t0 = match (first, messages.first().map(|m| m.time)) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b).ok_or("nothing to run")?,
    };
    let end = samples
        .last()
        .map(|s| s.state.time)
        .into_iter()
        .chain(messages.last().map(|m| m.time))
        .max()
        .unwrap_or(t0);
    if end.micros_since(t0) > MAX_SPAN_US {
        return Err(format!(
            "the inputs span {} to {}: more than {} h between the first and the last time",
            rfc3339(t0),
            rfc3339(end),
            MAX_SPAN_US / 3_600_000_000
        ));
    }
    let config = StackConfig::default()
        .with_report_drops(true)
        .with_require_signatures(o.require_signatures);
    let mut stack = Stack::new(config).map_err(|e| e.to_string())?;
    if !o.trust.is_empty() {
        let v = build_verifier(
            &read_inputs(&o.trust, "--trust")?,
            &read_inputs(&o.certs, "--cert")?,
            &[],
            t0,
            None,
            None,
            false,
        )?;
        stack.set_verifier(Box::new(v));
    }
    let mut recorder = match (&o.svg, samples.iter().find_map(fix)) {
        (Some(_), Some(origin)) => Some(Recorder::new(origin).map_err(|e| format!("--svg: {e}"))?),
        (Some(_), None) => return Err("--svg: the drive log has no position".into()),
        _ => None,
    };
    let secs = |t: Timestamp| t.seconds_since(t0);
    let mut tally = Tally::default();
    let (mut si, mut mi) = (0usize, 0usize);
    // The last poll at or after the last input.
    let last_poll = (end.micros_since(t0) + POLL_US - 1).div_euclid(POLL_US);
    let mut lines_out = 0u64;
    for k in 0..=last_poll {
        let now = t0.add_micros(k * POLL_US);
        loop {
            let next_state = samples.get(si).filter(|s| s.state.time <= now);
            let next_msg = messages.get(mi).filter(|m| m.time <= now);
            match (next_state, next_msg) {
                (Some(s), m) if m.is_none_or(|m| s.state.time <= m.time) => {
                    // A refused state is reported by the stack as a drop.
                    let _ = stack.set_ego(&s.state);
                    if let (Some(r), Some(w)) = (recorder.as_mut(), fix(s)) {
                        r.ego_at(secs(s.state.time), &w);
                    }
                    si += 1;
                }
                (_, Some(m)) => {
                    match &m.payload {
                        Ok((bytes, meta)) => {
                            // A dropped message is reported by the stack at the next poll.
                            let _ = stack.ingest(bytes, meta, m.time);
                        }
                        Err(e) => {
                            outln!(
                                "{}",
                                json!({"t": rfc3339(m.time), "t_s": round(secs(m.time), 3),
                                       "event": "dropped", "reason": e})
                            );
                            *tally.drops.entry(e.clone()).or_default() += 1;
                            lines_out += 1;
                        }
                    }
                    mi += 1;
                }
                _ => break,
            }
        }
        let t_s = secs(now);
        let events: Vec<Event> = stack.poll(now).collect();
        for ev in &events {
            if let Some(line) = event_line(ev, now, t_s, &mut tally) {
                outln!("{line}");
                lines_out += 1;
            }
            if let Some(r) = recorder.as_mut() {
                r.event(t_s, ev);
            }
        }
        if let Some(r) = recorder.as_mut() {
            r.observe(t_s, now, &stack);
        }
    }
    let c = *stack.counters();
    let summary = json!({"summary": {
        "ego": ego_file,
        "inputs": o.inputs,
        "from": rfc3339(t0),
        "to": rfc3339(end),
        "duration_s": round(secs(end), 3),
        "ego_states": samples.len(),
        "ego_rejected": c.ego_rejected,
        "messages": messages.len(),
        "accepted": c.accepted,
        "dropped": c.dropped + (messages.len() as u64).saturating_sub(c.received),
        "polls": c.polls,
        "warnings_raised": c.warnings_raised,
        "warnings_updated": c.warnings_updated,
        "warnings_cleared": c.warnings_cleared,
        "raised_by_app": tally.raised,
        "drops": tally.drops,
        "timeline_lines": lines_out,
    }});
    outln!("{summary}");
    if let (Some(path), Some(r)) = (&o.svg, recorder) {
        let rec = r.finish();
        let name = std::path::Path::new(&ego_file)
            .file_name()
            .map_or(ego_file.clone(), |n| n.to_string_lossy().into_owned());
        let raised = c.warnings_raised;
        let scene = Scene {
            title: format!("cv2x run {name}"),
            notes: vec![format!(
                "{:.1} s; {} ego states; {} messages received ({} used, {} dropped); {raised} warning{} raised",
                secs(end),
                samples.len(),
                messages.len(),
                c.accepted,
                c.dropped + (messages.len() as u64).saturating_sub(c.received),
                if raised == 1 { "" } else { "s" }
            )],
            duration_s: secs(end).max(rec.end_s),
            lanes: rec.lanes,
            signals: rec.signals,
            users: vec![RoadUser {
                id: 0,
                name: "ego".into(),
                ego: true,
                samples: rec.ego,
            }],
            fused: rec.fused,
            warnings: rec.warnings,
            ..Scene::default()
        };
        std::fs::write(path, render(&scene).svg).map_err(|e| format!("{path}: {e}"))?;
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(s: &str) -> Result<Rx, String> {
        parse_line(&serde_json::from_str(s).unwrap(), &mut Dispatcher::new())
    }

    #[test]
    fn message_lines_are_parsed_strictly() {
        let r = line(r#"{"time":"2025-06-01T08:00:00Z","uper_hex":"00ff","aid":111}"#).unwrap();
        let (bytes, meta) = r.payload.unwrap();
        assert_eq!(bytes, [0x00, 0xff]);
        assert_eq!(
            (meta.kind, meta.aid),
            (PayloadKind::MessageFrame, Some(111))
        );
        let r = line(r#"{"time":"2025-06-01T08:00:00Z","spdu_hex":"03","uper_hex":"00"}"#).unwrap();
        assert_eq!(r.payload.unwrap().1.kind, PayloadKind::Spdu);
        let e = line(r#"{"time":"2025-06-01T08:00:00Z","uper_hex":"00","colour":1,"tme":2}"#)
            .err()
            .unwrap();
        assert!(e.contains("`colour`") && e.contains("`tme`"), "{e}");
        let e = line(r#"{"uper_hex":"00"}"#).err().unwrap();
        assert!(e.contains("`time`"), "{e}");
        let e = line(r#"{"time":"2025-06-01T08:00:00Z"}"#).err().unwrap();
        assert!(e.contains("uper_hex"), "{e}");
        let e = line(r#"{"time":"2025-06-01T08:00:00Z","uper_hex":"0g"}"#)
            .err()
            .unwrap();
        assert!(e.contains("`uper_hex`"), "{e}");
        let e = line(r#"{"time":"yesterday","uper_hex":"00"}"#)
            .err()
            .unwrap();
        assert!(e.contains("RFC 3339"), "{e}");
        // A DSMP packet that does not dispatch is kept as a drop, not an error.
        let r = line(r#"{"time":"2025-06-01T08:00:00Z","dsmp_hex":"ff"}"#).unwrap();
        assert!(r.payload.unwrap_err().starts_with("dsmp:"));
    }
}
