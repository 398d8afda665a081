//! Reading scenarios from JSON (feature `jer`). Strict: every key of every object must be one
//! of the format's (an unknown or misspelled key is an error naming its path), a required
//! field must be there, every value must have the right type and range, and a key given
//! under two of its names (`code` and `event_type`) is an error.
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::cell::RefCell;

use serde_json::{Map, Value};

use super::*;
use crate::apps::Level;
use crate::geo::Wgs84;
use crate::world::{Light, Turn, TurnSignal};

pub(super) fn level_from_name(s: &str) -> Option<Level> {
    [Level::Advisory, Level::Warning, Level::Alert]
        .into_iter()
        .find(|l| l.name().eq_ignore_ascii_case(s))
}

/// A JSON object of the scenario, with the keys read so far: [`Obj::finish`] refuses the
/// others.
pub(super) struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
    used: RefCell<Vec<&'a str>>,
}

type R<T> = Result<T, ScenarioError>;

impl<'a> Obj<'a> {
    pub(super) fn new(v: &'a Value, path: &str) -> R<Self> {
        match v.as_object() {
            Some(map) => Ok(Obj {
                map,
                path: path.to_string(),
                used: RefCell::new(Vec::new()),
            }),
            None => Err(ScenarioError::WrongType {
                path: path.to_string(),
                expected: "an object",
            }),
        }
    }

    /// The path of key `k`.
    pub(super) fn p(&self, k: &str) -> String {
        if self.path.is_empty() {
            k.to_string()
        } else {
            alloc::format!("{}.{}", self.path, k)
        }
    }

    /// The value of `k` (`null` counts as absent), marking the key as read.
    pub(super) fn get(&self, k: &str) -> Option<&'a Value> {
        let (key, v) = self.map.get_key_value(k)?;
        self.used.borrow_mut().push(key.as_str());
        (!v.is_null()).then_some(v)
    }

    /// Whether the object has key `k` (without reading it).
    pub(super) fn has(&self, k: &str) -> bool {
        self.map.get(k).is_some_and(|v| !v.is_null())
    }

    fn wrong(&self, k: &str, expected: &'static str) -> ScenarioError {
        ScenarioError::WrongType {
            path: self.p(k),
            expected,
        }
    }

    pub(super) fn f64_opt(&self, k: &str) -> R<Option<f64>> {
        match self.get(k) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .filter(|x| x.is_finite())
                .map(Some)
                .ok_or_else(|| self.wrong(k, "a number")),
        }
    }

    pub(super) fn f64_or(&self, k: &str, d: f64) -> R<f64> {
        Ok(self.f64_opt(k)?.unwrap_or(d))
    }

    pub(super) fn f64_req(&self, k: &'static str) -> R<f64> {
        self.f64_opt(k)?.ok_or_else(|| self.missing(k))
    }

    /// The error of a missing required key `k`: a key not read so far that resembles it (one
    /// letter off, two for keys longer than four) when there is one, else "missing".
    pub(super) fn missing(&self, k: &'static str) -> ScenarioError {
        let used = self.used.borrow();
        let near = if k.len() > 4 { 2 } else { 1 };
        let resembling = self.map.keys().find(|key| {
            key.as_str() != k && !used.contains(&key.as_str()) && edit_distance(key, k) <= near
        });
        match resembling {
            Some(key) => ScenarioError::Misspelled {
                path: self.p(key),
                meant: k,
            },
            None => ScenarioError::Missing(self.p(k)),
        }
    }

    /// A number within `range`.
    pub(super) fn f64_in(&self, k: &str, range: core::ops::RangeInclusive<f64>) -> R<Option<f64>> {
        match self.f64_opt(k)? {
            Some(v) if !range.contains(&v) => Err(ScenarioError::invalid(
                self.p(k),
                alloc::format!("{v} is not within {}..={}", range.start(), range.end()),
            )),
            v => Ok(v),
        }
    }

    /// A whole number within `0..=max`.
    pub(super) fn uint_opt(&self, k: &str, max: u64) -> R<Option<u64>> {
        match self.get(k) {
            None => Ok(None),
            Some(v) => {
                let n = v
                    .as_u64()
                    .ok_or_else(|| self.wrong(k, "a whole number, at least 0"))?;
                if n > max {
                    return Err(ScenarioError::invalid(
                        self.p(k),
                        alloc::format!("{n} is above {max}"),
                    ));
                }
                Ok(Some(n))
            }
        }
    }

    pub(super) fn bool_opt(&self, k: &str) -> R<Option<bool>> {
        match self.get(k) {
            None => Ok(None),
            Some(v) => v
                .as_bool()
                .map(Some)
                .ok_or_else(|| self.wrong(k, "true or false")),
        }
    }

    pub(super) fn str_opt(&self, k: &str) -> R<Option<&'a str>> {
        match self.get(k) {
            None => Ok(None),
            Some(v) => v
                .as_str()
                .map(Some)
                .ok_or_else(|| self.wrong(k, "a string")),
        }
    }

    pub(super) fn arr(&self, k: &str) -> R<&'a [Value]> {
        match self.get(k) {
            None => Ok(&[]),
            Some(v) => v
                .as_array()
                .map(|a| a.as_slice())
                .ok_or_else(|| self.wrong(k, "a list")),
        }
    }

    /// The object under `k`, when present.
    pub(super) fn obj(&self, k: &str) -> R<Option<Obj<'a>>> {
        match self.get(k) {
            None => Ok(None),
            Some(v) => Obj::new(v, &self.p(k)).map(Some),
        }
    }

    /// The objects of the list under `k`, with their paths.
    pub(super) fn objs(&self, k: &str) -> R<Vec<Obj<'a>>> {
        self.arr(k)?
            .iter()
            .enumerate()
            .map(|(i, v)| Obj::new(v, &alloc::format!("{}[{i}]", self.p(k))))
            .collect()
    }

    /// A string naming one of `names`.
    pub(super) fn name_opt<T: Copy>(&self, k: &str, names: &[(&str, T)]) -> R<Option<T>> {
        match self.str_opt(k)? {
            None => Ok(None),
            Some(s) => names
                .iter()
                .find(|(n, _)| *n == s)
                .map(|(_, v)| Some(*v))
                .ok_or_else(|| {
                    let known: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
                    ScenarioError::invalid(
                        self.p(k),
                        alloc::format!("`{s}` is not one of {}", known.join(", ")),
                    )
                }),
        }
    }

    /// Refuses the keys that were not read.
    pub(super) fn finish(&self) -> R<()> {
        let used = self.used.borrow();
        match self.map.keys().find(|k| !used.contains(&k.as_str())) {
            Some(k) => Err(ScenarioError::Unknown(self.p(k))),
            None => Ok(()),
        }
    }
}

/// The Levenshtein distance of two short keys (bounded: keys longer than 64 characters are
/// far from everything).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = alloc::vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(c) = cur.get_mut(j + 1) {
                *c = sub.min(del).min(ins);
            }
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

fn turn_signal(s: &str) -> Option<TurnSignal> {
    match s {
        "none" | "" => Some(TurnSignal::None),
        "left" => Some(TurnSignal::Left),
        "right" => Some(TurnSignal::Right),
        _ => None,
    }
}

fn turn_signal_opt(o: &Obj<'_>, k: &str) -> R<Option<TurnSignal>> {
    match o.str_opt(k)? {
        Some(t) => turn_signal(t)
            .map(Some)
            .ok_or_else(|| ScenarioError::invalid(o.p(k), "not none, left or right")),
        None => Ok(None),
    }
}

fn parse_segments(o: &Obj<'_>) -> R<Vec<Segment>> {
    let mut out = Vec::new();
    for so in o.objs("segments")? {
        out.push(Segment {
            at_s: so.f64_req("at_s")?,
            accel_mps2: so.f64_opt("accel_mps2")?,
            yaw_rate_dps: so.f64_opt("yaw_rate_dps")?,
            speed_mps: so.f64_in("speed_mps", 0.0..=100.0)?,
            heading_deg: so.f64_opt("heading_deg")?,
            hard_braking: so.bool_opt("hard_braking")?,
            hazard_lights: so.bool_opt("hazard_lights")?,
            siren: so.bool_opt("siren")?,
            disabled: so.bool_opt("disabled")?,
            control_loss: so.bool_opt("control_loss")?,
            turn_signal: turn_signal_opt(&so, "turn_signal")?,
        });
        so.finish()?;
    }
    out.sort_by(|a, b| a.at_s.total_cmp(&b.at_s));
    Ok(out)
}

fn parse_motion(o: &Obj<'_>) -> R<Motion> {
    Ok(Motion {
        x: o.f64_or("x", 0.0)?,
        y: o.f64_or("y", 0.0)?,
        heading_deg: o.f64_or("heading_deg", 0.0)?,
        speed_mps: o.f64_in("speed_mps", 0.0..=100.0)?.unwrap_or(0.0),
        accel_mps2: o.f64_or("accel_mps2", 0.0)?,
        yaw_rate_dps: o.f64_or("yaw_rate_dps", 0.0)?,
        segments: parse_segments(o)?,
    })
}

fn parse_flags(o: &Obj<'_>) -> R<Flags> {
    let mut f = Flags::default();
    if let Some(e) = o.obj("events")? {
        f.hard_braking = e.bool_opt("hard_braking")?.unwrap_or(false);
        f.hazard_lights = e.bool_opt("hazard_lights")?.unwrap_or(false);
        f.siren = e.bool_opt("siren")?.unwrap_or(false);
        f.disabled = e.bool_opt("disabled")?.unwrap_or(false);
        f.control_loss = e.bool_opt("control_loss")?.unwrap_or(false);
        if let Some(t) = turn_signal_opt(&e, "turn_signal")? {
            f.turn_signal = t;
        }
        e.finish()?;
    }
    if let Some(t) = turn_signal_opt(o, "turn_signal")? {
        f.turn_signal = t;
    }
    Ok(f)
}

fn parse_seen_by(o: &Obj<'_>, default_all: bool) -> R<SeenBy> {
    let mut s = SeenBy::default();
    match o.get("seen_by") {
        None => {
            if default_all {
                s.bsm = true;
            }
        }
        Some(v) => {
            let a = v.as_array().ok_or_else(|| ScenarioError::WrongType {
                path: o.p("seen_by"),
                expected: "a list",
            })?;
            for (i, c) in a.iter().enumerate() {
                match c.as_str() {
                    Some("bsm") => s.bsm = true,
                    Some("rsm") => s.rsm = true,
                    Some("onboard") => s.onboard = true,
                    Some("ssm") => s.ssm = true,
                    _ => {
                        return Err(ScenarioError::invalid(
                            alloc::format!("{}[{i}]", o.p("seen_by")),
                            "not bsm, rsm, onboard or ssm",
                        ));
                    }
                }
            }
        }
    }
    if let Some(lo) = o.obj("latency_s")? {
        s.bsm_latency_s = lo.f64_or("bsm", 0.0)?.clamp(0.0, 5.0);
        s.rsm_latency_s = lo.f64_or("rsm", 0.0)?.clamp(0.0, 5.0);
        s.onboard_latency_s = lo.f64_or("onboard", 0.0)?.clamp(0.0, 5.0);
        s.ssm_latency_s = lo.f64_or("ssm", 0.0)?.clamp(0.0, 5.0);
        lo.finish()?;
    }
    Ok(s)
}

fn light_from_name(s: &str) -> Option<Light> {
    Some(match s.replace('-', "_").as_str() {
        "red" => Light::Red,
        "green" | "protected_green" => Light::ProtectedGreen,
        "permissive_green" => Light::PermissiveGreen,
        "flashing_green" => Light::FlashingGreen,
        "yellow" | "amber" => Light::Yellow,
        "flashing_yellow" => Light::FlashingYellow,
        "flashing_red" => Light::FlashingRed,
        "dark" => Light::Dark,
        _ => return None,
    })
}

/// An 8-octet id as 16 hex digits.
pub(super) fn parse_hex_id(s: &str) -> Option<[u8; 8]> {
    let b = s.as_bytes();
    if b.len() != 16 {
        return None;
    }
    let mut out = [0u8; 8];
    for (i, o) in out.iter_mut().enumerate() {
        let hex = s.get(2 * i..2 * i + 2)?;
        *o = u8::from_str_radix(hex, 16).ok()?;
    }
    Some(out)
}

/// The one value given under any of `keys` (aliases of one field); an error when two are
/// given.
fn first_f64(o: &Obj<'_>, keys: &[&str]) -> R<Option<f64>> {
    let mut found: Option<(&str, f64)> = None;
    for k in keys {
        if let Some(v) = o.f64_opt(k)? {
            if let Some((first, _)) = found {
                return Err(ScenarioError::invalid(
                    o.p(k),
                    alloc::format!("given twice (also as `{first}`)"),
                ));
            }
            found = Some((k, v));
        }
    }
    Ok(found.map(|(_, v)| v))
}

fn parse_ego(eo: &Obj<'_>) -> R<EgoSpec> {
    Ok(EgoSpec {
        motion: parse_motion(eo)?,
        length_m: eo.f64_in("length_m", 0.5..=30.0)?.unwrap_or(4.8),
        width_m: eo.f64_in("width_m", 0.3..=5.0)?.unwrap_or(1.9),
        flags: parse_flags(eo)?,
        seen_by: parse_seen_by(eo, false)?,
        rsm_id: eo.bool_opt("rsm_id")?.unwrap_or(false),
        vehicle_id: match eo.str_opt("vehicle_id")? {
            Some(s) => parse_hex_id(s)
                .ok_or_else(|| ScenarioError::invalid(eo.p("vehicle_id"), "not 16 hex digits"))?,
            None => EGO_ID,
        },
    })
}

fn parse_actor(ao: &Obj<'_>) -> R<Actor> {
    let id = ao
        .uint_opt("id", u64::from(u32::MAX))?
        .ok_or_else(|| ao.missing("id"))? as u32;
    let kind = ao
        .name_opt(
            "kind",
            &[
                ("car", Kind::Car),
                ("truck", Kind::Truck),
                ("bus", Kind::Bus),
                ("pedestrian", Kind::Pedestrian),
                ("cyclist", Kind::Cyclist),
                ("emergency", Kind::Emergency),
            ],
        )?
        .unwrap_or(Kind::Car);
    let (dl, dw) = match kind {
        Kind::Car | Kind::Emergency => (4.5, 1.8),
        Kind::Truck => (10.0, 2.5),
        Kind::Bus => (12.0, 2.5),
        Kind::Pedestrian => (0.5, 0.5),
        Kind::Cyclist => (1.8, 0.6),
    };
    Ok(Actor {
        id,
        kind,
        motion: parse_motion(ao)?,
        length_m: ao.f64_in("length_m", 0.1..=30.0)?.unwrap_or(dl),
        width_m: ao.f64_in("width_m", 0.1..=5.0)?.unwrap_or(dw),
        seen_by: parse_seen_by(ao, true)?,
        position_noise_m: ao.f64_or("position_noise_m", 0.0)?.clamp(0.0, 50.0),
        flags: parse_flags(ao)?,
        rsm_id: ao.bool_opt("rsm_id")?.unwrap_or(false),
        forge: parse_forge(ao)?,
    })
}

fn parse_signal(so: &Obj<'_>, ego: &EgoSpec) -> R<Signal> {
    let mut plan = Vec::new();
    for (i, p) in so.arr("plan")?.iter().enumerate() {
        let path = alloc::format!("signal.plan[{i}]");
        let bad = |problem: &str| ScenarioError::invalid(path.clone(), problem);
        let a = p
            .as_array()
            .ok_or_else(|| bad("not a [light, seconds] pair"))?;
        let (Some(l), Some(d), 2) = (
            a.first().and_then(Value::as_str),
            a.get(1).and_then(Value::as_f64),
            a.len(),
        ) else {
            return Err(bad("not a [light, seconds] pair"));
        };
        let l = light_from_name(l).ok_or_else(|| bad("unknown light"))?;
        if !(d > 0.0 && d <= 3600.0) {
            return Err(bad("the duration is not within 0..=3600 s"));
        }
        plan.push((l, d));
    }
    let lanes = so
        .name_opt(
            "lanes",
            &[
                ("straight", Turn::Straight),
                ("left", Turn::Left),
                ("right", Turn::Right),
            ],
        )?
        .unwrap_or(Turn::Straight);
    let timing = so
        .name_opt(
            "timing",
            &[("counting", TimingForm::Counting), ("utc", TimingForm::Utc)],
        )?
        .unwrap_or(TimingForm::Counting);
    // `latency_s`: a number, or `{"spat": s}`; else `spat_latency_s`.
    let latency = match so.get("latency_s") {
        Some(Value::Object(_)) => {
            let lo = Obj::new(
                so.get("latency_s").unwrap_or(&Value::Null),
                "signal.latency_s",
            )?;
            let v = lo.f64_or("spat", 0.0)?;
            lo.finish()?;
            Some(v)
        }
        Some(_) => so.f64_opt("latency_s")?,
        None => None,
    };
    let latency = match (latency, so.f64_opt("spat_latency_s")?) {
        (Some(_), Some(_)) => {
            return Err(ScenarioError::invalid(
                so.p("spat_latency_s"),
                "given twice (also as `latency_s`)",
            ));
        }
        (a, b) => a.or(b).unwrap_or(0.0),
    };
    Ok(Signal {
        // Without a stop line (a speed limit only) the approach runs 1 km ahead.
        stop_line_y: match so.f64_opt("stop_line_y")? {
            Some(y) => y,
            None if ego.motion.heading_deg.to_radians().cos() < 0.0 => ego.motion.y - 1000.0,
            None => ego.motion.y + 1000.0,
        },
        x: so.f64_or("x", ego.motion.x)?,
        speed_limit_kph: so.f64_in("speed_limit_kph", 1.0..=300.0)?,
        plan,
        lanes,
        timing,
        spat_from_s: so.f64_or("spat_from_s", 0.0)?,
        spat_until_s: first_f64(
            so,
            &[
                "spat_until_s",
                "spat_stop_s",
                "spat_lost_at_s",
                "stale_after_s",
            ],
        )?
        .unwrap_or(f64::INFINITY),
        spat_latency_s: latency.clamp(0.0, 60.0),
        map: so.bool_opt("map")?.unwrap_or(true),
        forge: parse_forge(so)?,
    })
}

fn parse_expect(eo: &Obj<'_>) -> R<Expect> {
    let sends = day2::parse_sends(eo)?;
    let app = match eo.str_opt("app")? {
        Some(a) => Some(app_from_name(a).ok_or_else(|| {
            ScenarioError::invalid(eo.p("app"), alloc::format!("`{a}` is not an application"))
        })?),
        None if sends.is_some() => None,
        None => return Err(eo.missing("app")),
    };
    let level_of = |k: &str| -> R<Option<Level>> {
        match eo.str_opt(k)? {
            Some(l) => level_from_name(l)
                .map(Some)
                .ok_or_else(|| ScenarioError::invalid(eo.p(k), "not advisory, warning or alert")),
            None => Ok(None),
        }
    };
    let level = level_of("level")?;
    let max_level = level_of("max_level")?;
    let never =
        match eo.get("never") {
            None | Some(Value::Bool(false)) => None,
            Some(Value::Bool(true)) => Some(Level::Advisory),
            Some(Value::String(s)) => Some(level_from_name(s).ok_or_else(|| {
                ScenarioError::invalid(eo.p("never"), "not true, false or a level")
            })?),
            Some(_) => {
                return Err(ScenarioError::WrongType {
                    path: eo.p("never"),
                    expected: "true, false or a level name",
                });
            }
        };
    let target = eo
        .uint_opt("target", u64::from(u32::MAX))?
        .map(|t| t as u32);
    let advice = eo.name_opt(
        "advice",
        &[
            ("keep_speed", AdviceKind::KeepSpeed),
            ("keep", AdviceKind::KeepSpeed),
            ("stop", AdviceKind::Stop),
            ("range", AdviceKind::Range),
            ("speed_range", AdviceKind::Range),
        ],
    )?;
    let e = Expect {
        app,
        target,
        level,
        by_s: eo.f64_opt("by_s")?,
        after_s: eo.f64_opt("after_s")?,
        never,
        max_level,
        advice_max_kph: eo.f64_opt("advice_max_kph")?,
        advice,
        detail: day2::parse_detail(eo)?,
        sends,
    };
    if e.never.is_some() && (e.max_level.is_some() || e.level.is_some()) {
        return Err(ScenarioError::invalid(
            eo.p("never"),
            "`never` takes its level itself: no `level` or `max_level` beside it",
        ));
    }
    if let (Some(a), Some(b)) = (e.after_s, e.by_s) {
        if a > b {
            return Err(ScenarioError::invalid(eo.p("after_s"), "after `by_s`"));
        }
    }
    eo.finish()?;
    Ok(e)
}

impl Scenario {
    /// Parses a scenario from JSON text.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let v: Value =
            serde_json::from_str(text).map_err(|e| ScenarioError::Json(e.to_string()))?;
        Scenario::from_value(&v)
    }

    /// Reads and parses a scenario file; errors name the file.
    pub fn from_file(path: &std::path::Path) -> Result<Scenario, ScenarioError> {
        let file = path.display().to_string();
        let in_file = |error: ScenarioError| ScenarioError::File {
            file: file.clone(),
            error: alloc::boxed::Box::new(error),
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| in_file(ScenarioError::Json(e.to_string())))?;
        Scenario::from_json(&text).map_err(in_file)
    }

    /// Parses a scenario from a JSON value.
    pub fn from_value(v: &Value) -> Result<Scenario, ScenarioError> {
        let o = Obj::new(v, "")?;
        let name = o.str_opt("name")?.unwrap_or("unnamed").to_string();
        // Free text for the reader.
        o.str_opt("description")?;
        let origin = match o.obj("origin")? {
            Some(oo) => {
                let w = Wgs84::new(oo.f64_req("lat")?, oo.f64_req("lon")?, 0.0);
                oo.finish()?;
                w
            }
            None => Wgs84::new(39.9, 116.4, 0.0),
        };
        if origin.validate().is_err() {
            return Err(ScenarioError::invalid("origin", "not a position on earth"));
        }
        let duration_s = o.f64_req("duration_s")?;
        if !(0.0..=600.0).contains(&duration_s) {
            return Err(ScenarioError::invalid("duration_s", "not within 0..=600 s"));
        }
        let step_s = o.f64_in("step_s", 0.01..=1.0)?.unwrap_or(0.1);
        let message_set = match o.str_opt("message_set")? {
            Some(s) => crate::msg::Standard::from_name(s).ok_or_else(|| {
                ScenarioError::invalid("message_set", "not csae53-2020, csae53-2019 or csae53-2017")
            })?,
            None => crate::msg::Standard::Csae53_2020,
        };
        let eo = o.obj("ego")?.ok_or_else(|| o.missing("ego"))?;
        let ego = parse_ego(&eo)?;
        let mut day2 = day2::parse_ego(&eo)?;
        eo.finish()?;
        let mut actors = Vec::new();
        for ao in o.objs("actors")? {
            let a = parse_actor(&ao)?;
            day2::parse_actor(&ao, a.id, &mut day2)?;
            ao.finish()?;
            actors.push(a);
        }
        let signal = match o.obj("signal")? {
            None => None,
            Some(so) => {
                let s = parse_signal(&so, &ego)?;
                so.finish()?;
                Some(s)
            }
        };
        let mut rsi = Vec::new();
        // `rsi` (each item with a `type`), or `events` / `hazards` and `signs` lists.
        let lists = [
            ("rsi", None),
            ("events", Some(false)),
            ("hazards", Some(false)),
            ("signs", Some(true)),
        ];
        for (key, default_sign) in lists {
            for ro in o.objs(key)? {
                rsi.push(parse_rsi_item(&ro, default_sign)?);
                ro.finish()?;
            }
        }
        day2::parse_sections(&o, &mut day2)?;
        if !o.has("expect") {
            return Err(o.missing("expect"));
        }
        let mut expect = Vec::new();
        for eo in o.objs("expect")? {
            expect.push(parse_expect(&eo)?);
        }
        if expect.is_empty() {
            return Err(ScenarioError::invalid(
                "expect",
                "no expectation: a scenario must check something",
            ));
        }
        o.finish()?;
        let sc = Scenario {
            name,
            origin,
            duration_s,
            step_s,
            ego,
            actors,
            signal,
            rsi,
            expect,
            message_set,
            day2,
        };
        day2::check(&sc)?;
        Ok(sc)
    }
}

/// `forge`: how a forged sender signs.
fn parse_forge(o: &Obj<'_>) -> R<Option<Forge>> {
    match o.str_opt("forge")? {
        None => Ok(None),
        Some(f) => Forge::from_name(f).map(Some).ok_or_else(|| {
            ScenarioError::invalid(
                o.p("forge"),
                "not bad_signature, unknown_certificate or revoked_certificate",
            )
        }),
    }
}

fn parse_rsi_item(ro: &Obj<'_>, default_sign: Option<bool>) -> R<RsiItem> {
    let kind = match (ro.str_opt("type")?, ro.str_opt("kind")?) {
        (Some(_), Some(_)) => {
            return Err(ScenarioError::invalid(
                ro.p("kind"),
                "given twice (also as `type`)",
            ));
        }
        (a, b) => a.or(b),
    };
    let sign = match (kind, default_sign) {
        (Some("event" | "hazard"), _) => false,
        (Some("sign"), _) => true,
        (Some(_), _) => {
            return Err(ScenarioError::invalid(
                ro.p("type"),
                "not event, hazard or sign",
            ));
        }
        (None, d) => d.unwrap_or(false),
    };
    let path_key = if ro.has("path") {
        "path"
    } else {
        "reference_path"
    };
    if ro.has("path") && ro.has("reference_path") {
        return Err(ScenarioError::invalid(
            ro.p("reference_path"),
            "given twice (also as `path`)",
        ));
    }
    let path = day2::parse_points(ro, path_key)?;
    if path.len() == 1 || path.len() > 32 {
        return Err(ScenarioError::invalid(
            ro.p(path_key),
            "a path has 2 to 32 points",
        ));
    }
    let speed_limit = ro.f64_in("speed_limit_kph", 5.0..=150.0)?;
    let code = first_f64(ro, &["code", "event_type", "sign_type"])?;
    let code = match (code, speed_limit) {
        (Some(c), _) => c,
        (None, Some(_)) => f64::from(crate::apps::slw::SPEED_LIMIT_SIGN),
        (None, None) if sign => 1.0,
        (None, None) => 100.0,
    };
    if !(0.0..=65535.0).contains(&code) || code.fract() != 0.0 {
        return Err(ScenarioError::invalid(
            ro.p("code"),
            "not a whole number within 0..=65535",
        ));
    }
    let description = match (ro.str_opt("description")?, speed_limit) {
        (Some(_), Some(_)) => {
            return Err(ScenarioError::invalid(
                ro.p("speed_limit_kph"),
                "give the limit either as `description` or as `speed_limit_kph`",
            ));
        }
        (Some(d), None) => Some(d.to_string()),
        (None, Some(l)) => Some(alloc::format!("{l}")),
        (None, None) => None,
    };
    if description
        .as_ref()
        .is_some_and(|d| d.is_empty() || d.len() > 512 || !d.is_ascii())
    {
        return Err(ScenarioError::invalid(
            ro.p("description"),
            "1 to 512 ASCII characters",
        ));
    }
    Ok(RsiItem {
        sign,
        code: code as u16,
        x: ro.f64_or("x", 0.0)?,
        y: ro.f64_or("y", 0.0)?,
        radius_m: first_f64(ro, &["radius_m", "radius"])?,
        path,
        path_radius_m: first_f64(ro, &["path_radius_m", "path_radius"])?.unwrap_or(5.0),
        from_s: first_f64(ro, &["from_s", "start_s"])?.unwrap_or(0.0),
        until_s: first_f64(ro, &["until_s", "end_s"])?.unwrap_or(f64::INFINITY),
        description,
        priority: ro.uint_opt("priority", 7)?.map(|p| p as u8),
    })
}
