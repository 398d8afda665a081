//! What a warning says beyond its application, level and target, as JSON fields of a timeline
//! line (`cv2x scenario`, `cv2x run`): `decel_mps2` (the deceleration needed to avoid the
//! collision), `road` (`{"kind": "event"|"sign", "code", "value", "priority"}`: the RSI item),
//! `limit_kph` (the speed limit applied) and `guidance` (the cooperative content, `{"kind":
//! "lane"|"yield"|"request"|"parking"|"platoon"|"payment"|"braking", …}`). A field is left out
//! when the warning does not carry it.
use cv2x::apps::{Guidance, RoadCode};
use cv2x::time::Timestamp;
use cv2x::world::RoadInfoKind;
use cv2x::world::day2::Behavior;
use serde_json::{Map, Value, json};

use crate::text::rfc3339;

/// `v` rounded to `digits` decimals (never `-0`).
pub(crate) fn round(v: f64, digits: i32) -> f64 {
    let k = 10f64.powi(digits);
    (v * k).round() / k + 0.0
}

/// `Some(x)` as a number rounded to `digits`, `None` (and non-finite) as null.
fn num(v: Option<f64>, digits: i32) -> Value {
    v.filter(|x| x.is_finite())
        .map_or(Value::Null, |x| json!(round(x, digits)))
}

fn time(t: Option<Timestamp>) -> Value {
    t.map_or(Value::Null, |t| json!(rfc3339(t)))
}

/// The names of the behaviour bits that are set.
fn behaviors(b: Behavior) -> Vec<&'static str> {
    Behavior::NAMES
        .iter()
        .enumerate()
        .filter(|(i, _)| b.0 & (1 << i) != 0)
        .map(|(_, n)| *n)
        .collect()
}

fn guidance_json(g: &Guidance) -> Value {
    match *g {
        Guidance::Lane {
            behavior,
            target_lane,
            speed_mps,
            begin,
            end,
            points,
            gap_taken,
            for_vehicle,
        } => json!({
            "kind": "lane",
            "behavior": behaviors(behavior),
            "target_lane": target_lane,
            "speed_kph": num(speed_mps.map(|v| v * 3.6), 1),
            "begin": time(begin),
            "end": time(end),
            "points": points.as_slice().iter().map(|[x, y]| json!([round(*x, 1), round(*y, 1)])).collect::<Vec<_>>(),
            "gap_taken": gap_taken,
            "for_vehicle": for_vehicle,
        }),
        Guidance::Yield {
            lane,
            distance_m,
            to_right,
        } => json!({
            "kind": "yield",
            "lane": lane,
            "distance_m": num(distance_m, 1),
            "to_right": to_right,
        }),
        Guidance::Request { request, id, state } => json!({
            "kind": "request",
            "request": request.name(),
            "id": id,
            "state": state.name(),
        }),
        Guidance::Parking {
            lot,
            slot,
            next_node,
            maneuver,
            to_maneuver_m,
            remaining_m,
            free_slots,
            total_slots,
            avp,
            blocked,
        } => json!({
            "kind": "parking",
            "lot": lot,
            "slot": slot,
            "next_node": next_node,
            "maneuver": maneuver.name(),
            "to_maneuver_m": num(to_maneuver_m, 1),
            "remaining_m": num(remaining_m, 1),
            "free_slots": free_slots,
            "total_slots": total_slots,
            "avp": avp.map(|a| a.0),
            "blocked": blocked,
        }),
        Guidance::Platoon {
            state,
            role,
            index,
            members,
            gap_m,
            target_gap_m,
            speed_mps,
        } => json!({
            "kind": "platoon",
            "state": state.name(),
            "role": role.name(),
            "index": index,
            "members": members,
            "gap_m": num(gap_m, 1),
            "target_gap_m": num(target_gap_m, 1),
            "speed_kph": num(speed_mps.map(|v| v * 3.6), 1),
        }),
        Guidance::Payment {
            state,
            service,
            amount,
        } => json!({
            "kind": "payment",
            "state": state.name(),
            "service": service.name(),
            "amount": amount,
        }),
        Guidance::Braking { from_roadside } => json!({
            "kind": "braking",
            "from_roadside": from_roadside,
        }),
    }
}

fn road_json(r: &RoadCode) -> Value {
    json!({
        "kind": match r.kind {
            RoadInfoKind::Event => "event",
            RoadInfoKind::Sign => "sign",
        },
        "code": r.code,
        "value": num(r.value, 2),
        "priority": r.priority,
    })
}

/// Adds the warning's detail fields to a timeline line.
pub(crate) fn insert(
    line: &mut Map<String, Value>,
    decel_mps2: Option<f64>,
    road: Option<&RoadCode>,
    limit_kph: Option<f64>,
    guidance: Option<&Guidance>,
) {
    if let Some(d) = decel_mps2.filter(|d| d.is_finite()) {
        line.insert("decel_mps2".into(), json!(round(d, 2)));
    }
    if let Some(r) = road {
        line.insert("road".into(), road_json(r));
    }
    if let Some(l) = limit_kph.filter(|l| l.is_finite()) {
        line.insert("limit_kph".into(), json!(round(l, 1)));
    }
    if let Some(g) = guidance {
        line.insert("guidance".into(), guidance_json(g));
    }
}
