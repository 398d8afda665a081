//! Reading scenarios from JSON (feature `jer`).
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::Value;

use super::*;
use crate::apps::Level;
use crate::geo::Wgs84;
use crate::world::{Light, Turn, TurnSignal};

fn level_from_name(s: &str) -> Option<Level> {
    [Level::Advisory, Level::Warning, Level::Alert]
        .into_iter()
        .find(|l| l.name().eq_ignore_ascii_case(s))
}

struct Obj<'a> {
    v: &'a Value,
    path: String,
}

impl<'a> Obj<'a> {
    fn new(v: &'a Value, path: &str) -> Result<Self, ScenarioError> {
        if v.is_object() {
            Ok(Obj {
                v,
                path: path.to_string(),
            })
        } else {
            Err(ScenarioError::Invalid(path.to_string()))
        }
    }

    fn p(&self, k: &str) -> String {
        if self.path.is_empty() {
            k.to_string()
        } else {
            alloc::format!("{}.{}", self.path, k)
        }
    }

    fn get(&self, k: &str) -> Option<&'a Value> {
        self.v.get(k).filter(|v| !v.is_null())
    }

    fn f64_opt(&self, k: &str) -> Result<Option<f64>, ScenarioError> {
        match self.get(k) {
            None => Ok(None),
            Some(v) => v
                .as_f64()
                .filter(|x| x.is_finite())
                .map(Some)
                .ok_or_else(|| ScenarioError::Invalid(self.p(k))),
        }
    }

    fn f64_or(&self, k: &str, d: f64) -> Result<f64, ScenarioError> {
        Ok(self.f64_opt(k)?.unwrap_or(d))
    }

    fn f64_req(&self, k: &str) -> Result<f64, ScenarioError> {
        self.f64_opt(k)?
            .ok_or_else(|| ScenarioError::Missing(self.p(k)))
    }

    fn bool_opt(&self, k: &str) -> Result<Option<bool>, ScenarioError> {
        match self.get(k) {
            None => Ok(None),
            Some(v) => v
                .as_bool()
                .map(Some)
                .ok_or_else(|| ScenarioError::Invalid(self.p(k))),
        }
    }

    fn str_opt(&self, k: &str) -> Result<Option<&'a str>, ScenarioError> {
        match self.get(k) {
            None => Ok(None),
            Some(v) => v
                .as_str()
                .map(Some)
                .ok_or_else(|| ScenarioError::Invalid(self.p(k))),
        }
    }

    fn arr(&self, k: &str) -> Result<&'a [Value], ScenarioError> {
        match self.get(k) {
            None => Ok(&[]),
            Some(v) => v
                .as_array()
                .map(|a| a.as_slice())
                .ok_or_else(|| ScenarioError::Invalid(self.p(k))),
        }
    }
}

fn turn_signal(s: &str) -> Option<TurnSignal> {
    match s {
        "none" | "" => Some(TurnSignal::None),
        "left" => Some(TurnSignal::Left),
        "right" => Some(TurnSignal::Right),
        _ => None,
    }
}

fn parse_segments(o: &Obj<'_>) -> Result<Vec<Segment>, ScenarioError> {
    let mut out = Vec::new();
    for (i, s) in o.arr("segments")?.iter().enumerate() {
        let so = Obj::new(s, &alloc::format!("{}[{i}]", o.p("segments")))?;
        let ts = match so.str_opt("turn_signal")? {
            Some(t) => {
                Some(turn_signal(t).ok_or_else(|| ScenarioError::Invalid(so.p("turn_signal")))?)
            }
            None => None,
        };
        out.push(Segment {
            at_s: so.f64_req("at_s")?,
            accel_mps2: so.f64_opt("accel_mps2")?,
            yaw_rate_dps: so.f64_opt("yaw_rate_dps")?,
            speed_mps: so.f64_opt("speed_mps")?,
            heading_deg: so.f64_opt("heading_deg")?,
            hard_braking: so.bool_opt("hard_braking")?,
            hazard_lights: so.bool_opt("hazard_lights")?,
            siren: so.bool_opt("siren")?,
            disabled: so.bool_opt("disabled")?,
            control_loss: so.bool_opt("control_loss")?,
            turn_signal: ts,
        });
    }
    out.sort_by(|a, b| a.at_s.total_cmp(&b.at_s));
    Ok(out)
}

fn parse_motion(o: &Obj<'_>) -> Result<Motion, ScenarioError> {
    let speed = o.f64_or("speed_mps", 0.0)?;
    if !(0.0..=100.0).contains(&speed) {
        return Err(ScenarioError::Invalid(o.p("speed_mps")));
    }
    Ok(Motion {
        x: o.f64_or("x", 0.0)?,
        y: o.f64_or("y", 0.0)?,
        heading_deg: o.f64_or("heading_deg", 0.0)?,
        speed_mps: speed,
        accel_mps2: o.f64_or("accel_mps2", 0.0)?,
        yaw_rate_dps: o.f64_or("yaw_rate_dps", 0.0)?,
        segments: parse_segments(o)?,
    })
}

fn parse_flags(o: &Obj<'_>) -> Result<Flags, ScenarioError> {
    let mut f = Flags::default();
    if let Some(ev) = o.get("events") {
        let e = Obj::new(ev, &o.p("events"))?;
        f.hard_braking = e.bool_opt("hard_braking")?.unwrap_or(false);
        f.hazard_lights = e.bool_opt("hazard_lights")?.unwrap_or(false);
        f.siren = e.bool_opt("siren")?.unwrap_or(false);
        f.disabled = e.bool_opt("disabled")?.unwrap_or(false);
        f.control_loss = e.bool_opt("control_loss")?.unwrap_or(false);
        if let Some(t) = e.str_opt("turn_signal")? {
            f.turn_signal =
                turn_signal(t).ok_or_else(|| ScenarioError::Invalid(e.p("turn_signal")))?;
        }
    }
    if let Some(t) = o.str_opt("turn_signal")? {
        f.turn_signal = turn_signal(t).ok_or_else(|| ScenarioError::Invalid(o.p("turn_signal")))?;
    }
    Ok(f)
}

fn parse_seen_by(o: &Obj<'_>, default_all: bool) -> Result<SeenBy, ScenarioError> {
    let mut s = SeenBy::default();
    match o.get("seen_by") {
        None => {
            if default_all {
                s.bsm = true;
            }
        }
        Some(v) => {
            let a = v
                .as_array()
                .ok_or_else(|| ScenarioError::Invalid(o.p("seen_by")))?;
            for c in a {
                match c.as_str() {
                    Some("bsm") => s.bsm = true,
                    Some("rsm") => s.rsm = true,
                    Some("onboard") => s.onboard = true,
                    Some("ssm") => s.ssm = true,
                    _ => return Err(ScenarioError::Invalid(o.p("seen_by"))),
                }
            }
        }
    }
    if let Some(l) = o.get("latency_s") {
        let lo = Obj::new(l, &o.p("latency_s"))?;
        s.bsm_latency_s = lo.f64_or("bsm", 0.0)?.clamp(0.0, 5.0);
        s.rsm_latency_s = lo.f64_or("rsm", 0.0)?.clamp(0.0, 5.0);
        s.onboard_latency_s = lo.f64_or("onboard", 0.0)?.clamp(0.0, 5.0);
        s.ssm_latency_s = lo.f64_or("ssm", 0.0)?.clamp(0.0, 5.0);
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

fn parse_hex_id(s: &str) -> Option<[u8; 8]> {
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

impl Scenario {
    /// Parses a scenario from JSON text.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let v: Value =
            serde_json::from_str(text).map_err(|e| ScenarioError::Json(e.to_string()))?;
        Scenario::from_value(&v)
    }

    /// Parses a scenario from a JSON value.
    pub fn from_value(v: &Value) -> Result<Scenario, ScenarioError> {
        let o = Obj::new(v, "")?;
        let name = o.str_opt("name")?.unwrap_or("unnamed").to_string();
        let origin = match o.get("origin") {
            Some(ov) => {
                let oo = Obj::new(ov, "origin")?;
                Wgs84::new(oo.f64_req("lat")?, oo.f64_req("lon")?, 0.0)
            }
            None => Wgs84::new(39.9, 116.4, 0.0),
        };
        if origin.validate().is_err() {
            return Err(ScenarioError::Invalid("origin".into()));
        }
        let duration_s = o.f64_req("duration_s")?;
        if !(0.0..=600.0).contains(&duration_s) {
            return Err(ScenarioError::Invalid("duration_s".into()));
        }
        let step_s = o.f64_or("step_s", 0.1)?;
        if !(0.01..=1.0).contains(&step_s) {
            return Err(ScenarioError::Invalid("step_s".into()));
        }
        let ego_v = o
            .get("ego")
            .ok_or_else(|| ScenarioError::Missing("ego".into()))?;
        let eo = Obj::new(ego_v, "ego")?;
        let ego = EgoSpec {
            motion: parse_motion(&eo)?,
            length_m: eo.f64_or("length_m", 4.8)?,
            width_m: eo.f64_or("width_m", 1.9)?,
            flags: parse_flags(&eo)?,
            seen_by: parse_seen_by(&eo, false)?,
            rsm_id: eo.bool_opt("rsm_id")?.unwrap_or(false),
            vehicle_id: match eo.str_opt("vehicle_id")? {
                Some(s) => parse_hex_id(s)
                    .ok_or_else(|| ScenarioError::Invalid("ego.vehicle_id".into()))?,
                None => EGO_ID,
            },
        };
        let mut actors = Vec::new();
        for (i, a) in o.arr("actors")?.iter().enumerate() {
            let ao = Obj::new(a, &alloc::format!("actors[{i}]"))?;
            let id = ao
                .get("id")
                .and_then(Value::as_u64)
                .ok_or_else(|| ScenarioError::Missing(ao.p("id")))?;
            let id = u32::try_from(id).map_err(|_| ScenarioError::Invalid(ao.p("id")))?;
            let kind = match ao.str_opt("kind")?.unwrap_or("car") {
                "car" => Kind::Car,
                "truck" => Kind::Truck,
                "bus" => Kind::Bus,
                "pedestrian" => Kind::Pedestrian,
                "cyclist" => Kind::Cyclist,
                "emergency" => Kind::Emergency,
                _ => return Err(ScenarioError::Invalid(ao.p("kind"))),
            };
            let (dl, dw) = match kind {
                Kind::Car | Kind::Emergency => (4.5, 1.8),
                Kind::Truck => (10.0, 2.5),
                Kind::Bus => (12.0, 2.5),
                Kind::Pedestrian => (0.5, 0.5),
                Kind::Cyclist => (1.8, 0.6),
            };
            actors.push(Actor {
                id,
                kind,
                motion: parse_motion(&ao)?,
                length_m: ao.f64_or("length_m", dl)?,
                width_m: ao.f64_or("width_m", dw)?,
                seen_by: parse_seen_by(&ao, true)?,
                position_noise_m: ao.f64_or("position_noise_m", 0.0)?.clamp(0.0, 50.0),
                flags: parse_flags(&ao)?,
                rsm_id: ao.bool_opt("rsm_id")?.unwrap_or(false),
                forge: parse_forge(&ao)?,
            });
        }
        let signal = match o.get("signal") {
            None => None,
            Some(sv) => {
                let so = Obj::new(sv, "signal")?;
                let mut plan = Vec::new();
                for (i, p) in so.arr("plan")?.iter().enumerate() {
                    let bad = || ScenarioError::Invalid(alloc::format!("signal.plan[{i}]"));
                    let a = p.as_array().ok_or_else(bad)?;
                    let (Some(l), Some(d)) = (
                        a.first().and_then(Value::as_str),
                        a.get(1).and_then(Value::as_f64),
                    ) else {
                        return Err(bad());
                    };
                    let l = light_from_name(l).ok_or_else(bad)?;
                    if !(d > 0.0 && d <= 3600.0) {
                        return Err(bad());
                    }
                    plan.push((l, d));
                }
                let lanes = match so.str_opt("lanes")?.unwrap_or("straight") {
                    "straight" => Turn::Straight,
                    "left" => Turn::Left,
                    "right" => Turn::Right,
                    _ => return Err(ScenarioError::Invalid("signal.lanes".into())),
                };
                let timing = match so.str_opt("timing")?.unwrap_or("counting") {
                    "counting" => TimingForm::Counting,
                    "utc" => TimingForm::Utc,
                    _ => return Err(ScenarioError::Invalid("signal.timing".into())),
                };
                Some(Signal {
                    // Without a stop line (a speed limit only) the approach runs 1 km ahead.
                    stop_line_y: match so.f64_opt("stop_line_y")? {
                        Some(y) => y,
                        None if ego.motion.heading_deg.to_radians().cos() < 0.0 => {
                            ego.motion.y - 1000.0
                        }
                        None => ego.motion.y + 1000.0,
                    },
                    x: so.f64_or("x", ego.motion.x)?,
                    speed_limit_kph: so.f64_opt("speed_limit_kph")?,
                    plan,
                    lanes,
                    timing,
                    spat_from_s: so.f64_or("spat_from_s", 0.0)?,
                    spat_until_s: first_f64(
                        &so,
                        &[
                            "spat_until_s",
                            "spat_stop_s",
                            "spat_lost_at_s",
                            "stale_after_s",
                        ],
                    )?
                    .unwrap_or(f64::INFINITY),
                    spat_latency_s: match so.get("latency_s") {
                        Some(Value::Object(_)) => {
                            let lo = Obj::new(
                                so.get("latency_s").unwrap_or(&Value::Null),
                                "signal.latency_s",
                            )?;
                            lo.f64_or("spat", 0.0)?
                        }
                        Some(_) => so.f64_or("latency_s", 0.0)?,
                        None => so.f64_or("spat_latency_s", 0.0)?,
                    }
                    .clamp(0.0, 60.0),
                    map: so.bool_opt("map")?.unwrap_or(true),
                    forge: parse_forge(&so)?,
                })
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
            for (i, r) in o.arr(key)?.iter().enumerate() {
                let ro = Obj::new(r, &alloc::format!("{key}[{i}]"))?;
                rsi.push(parse_rsi_item(&ro, default_sign)?);
            }
        }
        let mut expect = Vec::new();
        for (i, e) in o.arr("expect")?.iter().enumerate() {
            let eo = Obj::new(e, &alloc::format!("expect[{i}]"))?;
            let app = eo
                .str_opt("app")?
                .ok_or_else(|| ScenarioError::Missing(eo.p("app")))?;
            let app = app_from_name(app).ok_or_else(|| ScenarioError::Invalid(eo.p("app")))?;
            let level = match eo.str_opt("level")? {
                Some(l) => {
                    Some(level_from_name(l).ok_or_else(|| ScenarioError::Invalid(eo.p("level")))?)
                }
                None => None,
            };
            let target = match eo.get("target") {
                None => None,
                Some(t) => Some(
                    t.as_u64()
                        .and_then(|x| u32::try_from(x).ok())
                        .ok_or_else(|| ScenarioError::Invalid(eo.p("target")))?,
                ),
            };
            let advice = match eo.str_opt("advice")? {
                None => None,
                Some("keep_speed" | "keep") => Some(AdviceKind::KeepSpeed),
                Some("stop") => Some(AdviceKind::Stop),
                Some("range" | "speed_range") => Some(AdviceKind::Range),
                Some(_) => return Err(ScenarioError::Invalid(eo.p("advice"))),
            };
            expect.push(Expect {
                app,
                target,
                level,
                by_s: eo.f64_opt("by_s")?,
                after_s: eo.f64_opt("after_s")?,
                never: eo.bool_opt("never")?.unwrap_or(false),
                advice_max_kph: eo.f64_opt("advice_max_kph")?,
                advice,
            });
        }
        Ok(Scenario {
            name,
            origin,
            duration_s,
            step_s,
            ego,
            actors,
            signal,
            rsi,
            expect,
        })
    }
}

/// `forge`: how a forged sender signs.
fn parse_forge(o: &Obj<'_>) -> Result<Option<Forge>, ScenarioError> {
    match o.str_opt("forge")? {
        None => Ok(None),
        Some(f) => Forge::from_name(f)
            .map(Some)
            .ok_or_else(|| ScenarioError::Invalid(o.p("forge"))),
    }
}

fn first_f64(o: &Obj<'_>, keys: &[&str]) -> Result<Option<f64>, ScenarioError> {
    for k in keys {
        if let Some(v) = o.f64_opt(k)? {
            return Ok(Some(v));
        }
    }
    Ok(None)
}

fn parse_rsi_item(ro: &Obj<'_>, default_sign: Option<bool>) -> Result<RsiItem, ScenarioError> {
    let kind = match ro.str_opt("type")? {
        Some(k) => Some(k),
        None => ro.str_opt("kind")?,
    };
    let sign = match (kind, default_sign) {
        (Some("event" | "hazard"), _) => false,
        (Some("sign"), _) => true,
        (Some(_), _) => return Err(ScenarioError::Invalid(ro.p("type"))),
        (None, d) => d.unwrap_or(false),
    };
    let mut path = Vec::new();
    let path_key = if ro.get("path").is_some() {
        "path"
    } else {
        "reference_path"
    };
    for p in ro.arr(path_key)? {
        let a = p
            .as_array()
            .ok_or_else(|| ScenarioError::Invalid(ro.p(path_key)))?;
        match (
            a.first().and_then(Value::as_f64),
            a.get(1).and_then(Value::as_f64),
        ) {
            (Some(x), Some(y)) => path.push([x, y]),
            _ => return Err(ScenarioError::Invalid(ro.p(path_key))),
        }
    }
    if path.len() == 1 || path.len() > 32 {
        return Err(ScenarioError::Invalid(ro.p(path_key)));
    }
    let code = first_f64(ro, &["code", "event_type", "sign_type"])?.unwrap_or(if sign {
        1.0
    } else {
        100.0
    });
    if !(0.0..=65535.0).contains(&code) {
        return Err(ScenarioError::Invalid(ro.p("code")));
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
    })
}
