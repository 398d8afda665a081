//! What a warning says beyond `cv2x_warning` (whose size is frozen): the deceleration needed to
//! avoid a collision, the road-side item behind it (sign or event type code, the value it
//! states, e.g. a posted limit), the speed limit applied, and the content of a cooperative
//! (Day II) application: lane guidance (target lane, suggested speed, time window, path), a
//! yield advice, the state of the ego's requests, parking route, platoon and payment state.
//!
//! `cv2x_stack_warning_detail` reads it for an active warning by its id. `cv2x_warning_detail`
//! starts with `struct_size`: the library writes the fields that fit in the caller's struct,
//! so a program built against this header keeps working when later versions add fields.
//! Every code table below is one `match` per core enum, with an arm per variant.

use cv2x::apps::{
    Guidance, Maneuver, PaymentState, PlatoonState, RequestState, RequestType, RoadCode, Warning,
};
use cv2x::geo::EnuFrame;
use cv2x::world::RoadInfoKind;
use cv2x::world::day2::PaymentService;

use super::cv2x_stack;
use super::events::role_code;
use crate::boundary::{deref, ffi, tri};
use crate::config_len;
use crate::result::*;

// ---- present bits ----
/// `cv2x_warning_detail.present`: `decel_mps2` is set.
pub const CV2X_DETAIL_HAS_DECEL: u32 = 1u32 << 0;
/// `cv2x_warning_detail.present`: `road_kind` and `road_code` are set.
pub const CV2X_DETAIL_HAS_ROAD: u32 = 1u32 << 1;
/// `cv2x_warning_detail.present`: `road_value` is set.
pub const CV2X_DETAIL_HAS_ROAD_VALUE: u32 = 1u32 << 2;
/// `cv2x_warning_detail.present`: `road_priority` is set.
pub const CV2X_DETAIL_HAS_ROAD_PRIORITY: u32 = 1u32 << 3;
/// `cv2x_warning_detail.present`: `limit_kph` is set.
pub const CV2X_DETAIL_HAS_LIMIT: u32 = 1u32 << 4;
/// `cv2x_warning_detail.present`: `lane` is set.
pub const CV2X_DETAIL_HAS_LANE: u32 = 1u32 << 5;
/// `cv2x_warning_detail.present`: `speed_mps` is set.
pub const CV2X_DETAIL_HAS_SPEED: u32 = 1u32 << 6;
/// `cv2x_warning_detail.present`: `begin` is set.
pub const CV2X_DETAIL_HAS_BEGIN: u32 = 1u32 << 7;
/// `cv2x_warning_detail.present`: `end` is set.
pub const CV2X_DETAIL_HAS_END: u32 = 1u32 << 8;
/// `cv2x_warning_detail.present`: `distance_m` is set.
pub const CV2X_DETAIL_HAS_DISTANCE: u32 = 1u32 << 9;
/// `cv2x_warning_detail.present`: `remaining_m` is set.
pub const CV2X_DETAIL_HAS_REMAINING: u32 = 1u32 << 10;
/// `cv2x_warning_detail.present`: `gap_m` is set.
pub const CV2X_DETAIL_HAS_GAP: u32 = 1u32 << 11;
/// `cv2x_warning_detail.present`: `target_gap_m` is set.
pub const CV2X_DETAIL_HAS_TARGET_GAP: u32 = 1u32 << 12;
/// `cv2x_warning_detail.present`: `lot` is set.
pub const CV2X_DETAIL_HAS_LOT: u32 = 1u32 << 13;
/// `cv2x_warning_detail.present`: `slot` is set.
pub const CV2X_DETAIL_HAS_SLOT: u32 = 1u32 << 14;
/// `cv2x_warning_detail.present`: `next_node` is set.
pub const CV2X_DETAIL_HAS_NEXT_NODE: u32 = 1u32 << 15;
/// `cv2x_warning_detail.present`: `avp` is set.
pub const CV2X_DETAIL_HAS_AVP: u32 = 1u32 << 16;
/// `cv2x_warning_detail.present`: `index` is set.
pub const CV2X_DETAIL_HAS_INDEX: u32 = 1u32 << 17;
/// `cv2x_warning_detail.present`: `amount` is set.
pub const CV2X_DETAIL_HAS_AMOUNT: u32 = 1u32 << 18;

// ---- flags ----
/// `cv2x_warning_detail.flags` (lane guidance): a tracked vehicle takes the gap the guidance
/// leads into.
pub const CV2X_DETAIL_GAP_TAKEN: u32 = 1u32 << 0;
/// `cv2x_warning_detail.flags` (lane guidance): it addresses the ego by its id (else the
/// ego's lane).
pub const CV2X_DETAIL_FOR_VEHICLE: u32 = 1u32 << 1;
/// `cv2x_warning_detail.flags` (yield): the ego's way out is to the right (else the left).
pub const CV2X_DETAIL_TO_RIGHT: u32 = 1u32 << 2;
/// `cv2x_warning_detail.flags` (parking): the target slot is no longer free or the route is
/// blocked.
pub const CV2X_DETAIL_BLOCKED: u32 = 1u32 << 3;
/// `cv2x_warning_detail.flags` (braking): from a roadside unit's guidance for the ego (else
/// from a traffic event).
pub const CV2X_DETAIL_FROM_ROADSIDE: u32 = 1u32 << 4;

// ---- road items ----
/// `cv2x_warning_detail.road_kind`: a traffic event (`road_code` a GB/T 29100 event type).
pub const CV2X_ROAD_EVENT: u32 = 1;
/// `cv2x_warning_detail.road_kind`: a traffic sign (`road_code` a GB 5768 sign type).
pub const CV2X_ROAD_SIGN: u32 = 2;

// ---- guidance ----
/// `cv2x_warning_detail.guidance`: none.
pub const CV2X_GUIDANCE_NONE: u32 = 0;
/// `guidance`: roadside lane guidance (MERGE): `behavior`, `lane` (target), `speed_mps`
/// (suggested), `begin` / `end` (time window), `points` (the guided path ahead), flags
/// `CV2X_DETAIL_GAP_TAKEN`, `CV2X_DETAIL_FOR_VEHICLE`.
pub const CV2X_GUIDANCE_LANE: u32 = 1;
/// `guidance`: yield to a priority vehicle (CLEAR_THE_WAY): `lane` to clear, `distance_m`
/// of the vehicle behind, flag `CV2X_DETAIL_TO_RIGHT`.
pub const CV2X_GUIDANCE_YIELD: u32 = 2;
/// `guidance`: a request of the ego: `request` (`CV2X_REQUEST_*`), `request_id`, `state`
/// (`CV2X_REQUEST_STATE_*`).
pub const CV2X_GUIDANCE_REQUEST: u32 = 3;
/// `guidance`: parking route (PARKING): `lot`, `slot`, `next_node`, `state`
/// (`CV2X_MANEUVER_*`), `distance_m` (to the maneuver), `remaining_m`, `free_slots`,
/// `total_slots`, `avp` (0..5), flag `CV2X_DETAIL_BLOCKED`.
pub const CV2X_GUIDANCE_PARKING: u32 = 4;
/// `guidance`: platooning (PLATOON): `state` (`CV2X_PLATOON_STATE_*`), `role`
/// (`CV2X_PLATOON_*`), `index`, `members`, `gap_m`, `target_gap_m`, `speed_mps` (advised).
pub const CV2X_GUIDANCE_PLATOON: u32 = 5;
/// `guidance`: near-field payment (VNFP): `state` (`CV2X_PAYMENT_*`), `request` (the
/// service, `CV2X_PAYMENT_SERVICE_*`), `amount`.
pub const CV2X_GUIDANCE_PAYMENT: u32 = 6;
/// `guidance`: a braking request (CEB): flag `CV2X_DETAIL_FROM_ROADSIDE`.
pub const CV2X_GUIDANCE_BRAKING: u32 = 7;

/// `request` of `CV2X_GUIDANCE_REQUEST`: lane change or merge.
pub const CV2X_REQUEST_LANE_CHANGE: u32 = 1;
/// `request`: clear the way.
pub const CV2X_REQUEST_CLEAR_THE_WAY: u32 = 2;
/// `request`: signal priority.
pub const CV2X_REQUEST_SIGNAL_PRIORITY: u32 = 3;
/// `request`: a parking space.
pub const CV2X_REQUEST_PARKING: u32 = 4;

/// `state` of `CV2X_GUIDANCE_REQUEST`: sent, no answer yet.
pub const CV2X_REQUEST_STATE_SENT: u32 = 1;
/// `state`: confirmed by the addressee.
pub const CV2X_REQUEST_STATE_CONFIRMED: u32 = 2;
/// `state`: refused or cancelled by the addressee.
pub const CV2X_REQUEST_STATE_REFUSED: u32 = 3;
/// `state`: completed.
pub const CV2X_REQUEST_STATE_COMPLETED: u32 = 4;
/// `state`: unanswered until its lifetime ended.
pub const CV2X_REQUEST_STATE_EXPIRED: u32 = 5;

/// `state` of `CV2X_GUIDANCE_PARKING`: go straight on at the next node.
pub const CV2X_MANEUVER_STRAIGHT: u32 = 1;
/// `state` of `CV2X_GUIDANCE_PARKING`: turn left at the next node.
pub const CV2X_MANEUVER_LEFT: u32 = 2;
/// `state` of `CV2X_GUIDANCE_PARKING`: turn right at the next node.
pub const CV2X_MANEUVER_RIGHT: u32 = 3;
/// `state` of `CV2X_GUIDANCE_PARKING`: turn back at the next node.
pub const CV2X_MANEUVER_U_TURN: u32 = 4;
/// `state` of `CV2X_GUIDANCE_PARKING`: the target slot is ahead.
pub const CV2X_MANEUVER_ARRIVE: u32 = 5;

/// `state` of `CV2X_GUIDANCE_PLATOON`: not in a platoon.
pub const CV2X_PLATOON_STATE_FREE: u32 = 1;
/// `state` of `CV2X_GUIDANCE_PLATOON`: asking a platoon to join.
pub const CV2X_PLATOON_STATE_REQUESTING: u32 = 2;
/// `state` of `CV2X_GUIDANCE_PLATOON`: admitted, joining.
pub const CV2X_PLATOON_STATE_JOINING: u32 = 3;
/// `state` of `CV2X_GUIDANCE_PLATOON`: a member.
pub const CV2X_PLATOON_STATE_MEMBER: u32 = 4;
/// `state` of `CV2X_GUIDANCE_PLATOON`: asking to leave, or leaving.
pub const CV2X_PLATOON_STATE_LEAVING: u32 = 5;
/// `state` of `CV2X_GUIDANCE_PLATOON`: the join request was refused or not answered in time.
pub const CV2X_PLATOON_STATE_REFUSED: u32 = 6;

/// `state` of `CV2X_GUIDANCE_PAYMENT`: a service the account takes part in is offered.
pub const CV2X_PAYMENT_OFFERED: u32 = 1;
/// `state` of `CV2X_GUIDANCE_PAYMENT`: the transaction is under way.
pub const CV2X_PAYMENT_PAYING: u32 = 2;
/// `state` of `CV2X_GUIDANCE_PAYMENT`: the roadside reported the payment done.
pub const CV2X_PAYMENT_PAID: u32 = 3;
/// `state` of `CV2X_GUIDANCE_PAYMENT`: the payment failed, or the account refused.
pub const CV2X_PAYMENT_FAILED: u32 = 4;
/// `state` of `CV2X_GUIDANCE_PAYMENT`: contact the operator.
pub const CV2X_PAYMENT_CONTACT_OPERATOR: u32 = 5;

/// `request` of `CV2X_GUIDANCE_PAYMENT`: system management.
pub const CV2X_PAYMENT_SERVICE_SYSTEM: u32 = 1;
/// `request` of `CV2X_GUIDANCE_PAYMENT`: free-flow toll.
pub const CV2X_PAYMENT_SERVICE_FREEFLOW: u32 = 2;
/// `request` of `CV2X_GUIDANCE_PAYMENT`: closed toll system.
pub const CV2X_PAYMENT_SERVICE_ENCLOSED: u32 = 3;
/// `request` of `CV2X_GUIDANCE_PAYMENT`: congestion charge.
pub const CV2X_PAYMENT_SERVICE_CONGESTION: u32 = 4;
/// `request` of `CV2X_GUIDANCE_PAYMENT`: energy charging.
pub const CV2X_PAYMENT_SERVICE_CHARGING: u32 = 5;
/// `request` of `CV2X_GUIDANCE_PAYMENT`: parking.
pub const CV2X_PAYMENT_SERVICE_PARKING: u32 = 6;
/// `request` of `CV2X_GUIDANCE_PAYMENT`: an extension value.
pub const CV2X_PAYMENT_SERVICE_OTHER: u32 = 255;

/// Most path points in `cv2x_warning_detail`.
pub const CV2X_DETAIL_MAX_POINTS: usize = 4;

/// The detail of an active warning (`cv2x_stack_warning_detail`). Set `struct_size` before the
/// call. Fields whose `CV2X_DETAIL_HAS_*` bit is unset are 0; which guidance fields mean
/// something depends on `guidance` (see each `CV2X_GUIDANCE_*`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct cv2x_warning_detail {
    /// `sizeof(cv2x_warning_detail)` of the caller (left as it is).
    pub struct_size: u32,
    /// `CV2X_DETAIL_HAS_*` bits.
    pub present: u32,
    /// The warning's id.
    pub id: u32,
    /// `CV2X_APP_*`.
    pub app: u32,
    /// `CV2X_ROAD_*` (with `CV2X_DETAIL_HAS_ROAD`).
    pub road_kind: u32,
    /// The event or sign type code (with `CV2X_DETAIL_HAS_ROAD`).
    pub road_code: u32,
    /// The item's priority, 0..7, higher more urgent.
    pub road_priority: u32,
    /// `CV2X_GUIDANCE_*`.
    pub guidance: u32,
    /// A state of the guidance: `CV2X_REQUEST_STATE_*`, `CV2X_MANEUVER_*`,
    /// `CV2X_PLATOON_STATE_*` or `CV2X_PAYMENT_*`.
    pub state: u32,
    /// `CV2X_REQUEST_*` (request) or `CV2X_PAYMENT_SERVICE_*` (payment).
    pub request: u32,
    /// The request's number (`reqID`).
    pub request_id: u32,
    /// Lane guidance: the suggested behaviour, bit `i` for `DriveBehavior` bit `i`
    /// (0 go straight, 1 lane change left, 2 lane change right, 3 ramp in, 4 ramp out, ...).
    pub behavior: u32,
    /// The target lane (lane guidance) or the lane to clear (yield).
    pub lane: u32,
    /// `CV2X_DETAIL_*` flags.
    pub flags: u32,
    /// Parking lot id.
    pub lot: u32,
    /// Target parking slot.
    pub slot: u32,
    /// Next node of the parking route.
    pub next_node: u32,
    /// Free slots of the lot.
    pub free_slots: u32,
    /// Slots of the lot the message lists.
    pub total_slots: u32,
    /// Automated valet parking level of the lot, 0..5.
    pub avp: u32,
    /// Platoon role (`CV2X_PLATOON_*`).
    pub role: u32,
    /// Position of the ego in the platoon's member list (0 = first).
    pub index: u32,
    /// Platoon members.
    pub members: u32,
    /// The amount the roadside announced (payment).
    pub amount: u32,
    /// Points in `point_x_m` .. `point_lon_deg` (lane guidance), at most
    /// `CV2X_DETAIL_MAX_POINTS`.
    pub point_count: u32,
    /// Padding (0).
    pub reserved0: u32,
    /// The deceleration the ego needs from now on to avoid the collision, m/s² (positive).
    pub decel_mps2: f64,
    /// The value the road item states (a posted limit in km/h, a height in m, ...).
    pub road_value: f64,
    /// The speed limit a speed limit warning applies, km/h.
    pub limit_kph: f64,
    /// Suggested speed (lane guidance) or advised speed (platoon), m/s.
    pub speed_mps: f64,
    /// Distance of the priority vehicle behind (yield) or to the next maneuver (parking), m.
    pub distance_m: f64,
    /// Distance left to the slot along the route (parking), m.
    pub remaining_m: f64,
    /// Gap to the vehicle ahead (platoon), m.
    pub gap_m: f64,
    /// The gap to keep (platoon), m.
    pub target_gap_m: f64,
    /// The guidance holds from (TAI µs since 2004).
    pub begin: i64,
    /// The guidance holds until (TAI µs since 2004).
    pub end: i64,
    /// Path points east of the stack's frame origin, m.
    pub point_x_m: [f64; CV2X_DETAIL_MAX_POINTS],
    /// Path points north of the stack's frame origin, m.
    pub point_y_m: [f64; CV2X_DETAIL_MAX_POINTS],
    /// Path points' latitude, degrees.
    pub point_lat_deg: [f64; CV2X_DETAIL_MAX_POINTS],
    /// Path points' longitude, degrees.
    pub point_lon_deg: [f64; CV2X_DETAIL_MAX_POINTS],
    /// Room for later fields (0).
    pub reserved: [u32; 8],
}

/// Size of the first version of `cv2x_warning_detail`.
pub const CV2X_WARNING_DETAIL_SIZE_V1: usize = 344;
const _: () = assert!(std::mem::size_of::<cv2x_warning_detail>() == CV2X_WARNING_DETAIL_SIZE_V1);

fn request_code(r: RequestType) -> u32 {
    match r {
        RequestType::LaneChange => CV2X_REQUEST_LANE_CHANGE,
        RequestType::ClearTheWay => CV2X_REQUEST_CLEAR_THE_WAY,
        RequestType::SignalPriority => CV2X_REQUEST_SIGNAL_PRIORITY,
        RequestType::Parking => CV2X_REQUEST_PARKING,
    }
}

fn request_state_code(s: RequestState) -> u32 {
    match s {
        RequestState::Sent => CV2X_REQUEST_STATE_SENT,
        RequestState::Confirmed => CV2X_REQUEST_STATE_CONFIRMED,
        RequestState::Refused => CV2X_REQUEST_STATE_REFUSED,
        RequestState::Completed => CV2X_REQUEST_STATE_COMPLETED,
        RequestState::Expired => CV2X_REQUEST_STATE_EXPIRED,
    }
}

fn maneuver_code(m: Maneuver) -> u32 {
    match m {
        Maneuver::Straight => CV2X_MANEUVER_STRAIGHT,
        Maneuver::Left => CV2X_MANEUVER_LEFT,
        Maneuver::Right => CV2X_MANEUVER_RIGHT,
        Maneuver::UTurn => CV2X_MANEUVER_U_TURN,
        Maneuver::Arrive => CV2X_MANEUVER_ARRIVE,
    }
}

fn platoon_state_code(s: PlatoonState) -> u32 {
    match s {
        PlatoonState::Free => CV2X_PLATOON_STATE_FREE,
        PlatoonState::Requesting => CV2X_PLATOON_STATE_REQUESTING,
        PlatoonState::Joining => CV2X_PLATOON_STATE_JOINING,
        PlatoonState::Member => CV2X_PLATOON_STATE_MEMBER,
        PlatoonState::Leaving => CV2X_PLATOON_STATE_LEAVING,
        PlatoonState::Refused => CV2X_PLATOON_STATE_REFUSED,
    }
}

fn payment_state_code(s: PaymentState) -> u32 {
    match s {
        PaymentState::Offered => CV2X_PAYMENT_OFFERED,
        PaymentState::Paying => CV2X_PAYMENT_PAYING,
        PaymentState::Paid => CV2X_PAYMENT_PAID,
        PaymentState::Failed => CV2X_PAYMENT_FAILED,
        PaymentState::ContactOperator => CV2X_PAYMENT_CONTACT_OPERATOR,
    }
}

pub(crate) fn payment_service_code(s: PaymentService) -> u32 {
    match s {
        PaymentService::System => CV2X_PAYMENT_SERVICE_SYSTEM,
        PaymentService::Freeflow => CV2X_PAYMENT_SERVICE_FREEFLOW,
        PaymentService::Enclosed => CV2X_PAYMENT_SERVICE_ENCLOSED,
        PaymentService::Congestion => CV2X_PAYMENT_SERVICE_CONGESTION,
        PaymentService::Charging => CV2X_PAYMENT_SERVICE_CHARGING,
        PaymentService::Parking => CV2X_PAYMENT_SERVICE_PARKING,
        PaymentService::Other => CV2X_PAYMENT_SERVICE_OTHER,
    }
}

fn road_of(o: &mut cv2x_warning_detail, r: &RoadCode) {
    o.present |= CV2X_DETAIL_HAS_ROAD;
    o.road_kind = match r.kind {
        RoadInfoKind::Event => CV2X_ROAD_EVENT,
        RoadInfoKind::Sign => CV2X_ROAD_SIGN,
    };
    o.road_code = u32::from(r.code);
    if let Some(v) = r.value.filter(|v| v.is_finite()) {
        o.present |= CV2X_DETAIL_HAS_ROAD_VALUE;
        o.road_value = v;
    }
    if let Some(p) = r.priority {
        o.present |= CV2X_DETAIL_HAS_ROAD_PRIORITY;
        o.road_priority = u32::from(p);
    }
}

/// Sets `field` and the `bit` of `o.present` when `v` is a finite value.
fn put(present: &mut u32, bit: u32, field: &mut f64, v: Option<f64>) {
    if let Some(v) = v.filter(|v| v.is_finite()) {
        *present |= bit;
        *field = v;
    }
}

fn guidance_of(o: &mut cv2x_warning_detail, g: &Guidance, frame: &EnuFrame) {
    let p = &mut o.present;
    let flag = |on: bool, bit: u32| if on { bit } else { 0 };
    match *g {
        Guidance::Lane {
            behavior,
            target_lane,
            speed_mps,
            begin,
            end,
            ref points,
            gap_taken,
            for_vehicle,
        } => {
            o.guidance = CV2X_GUIDANCE_LANE;
            o.behavior = u32::from(behavior.0);
            if let Some(l) = target_lane {
                *p |= CV2X_DETAIL_HAS_LANE;
                o.lane = u32::from(l);
            }
            put(p, CV2X_DETAIL_HAS_SPEED, &mut o.speed_mps, speed_mps);
            if let Some(t) = begin {
                *p |= CV2X_DETAIL_HAS_BEGIN;
                o.begin = t.as_micros();
            }
            if let Some(t) = end {
                *p |= CV2X_DETAIL_HAS_END;
                o.end = t.as_micros();
            }
            let mut n = 0;
            for (i, [x, y]) in points
                .as_slice()
                .iter()
                .take(CV2X_DETAIL_MAX_POINTS)
                .enumerate()
            {
                let Ok(w) = frame.origin().offset_enu(*x, *y, 0.0) else {
                    break;
                };
                o.point_x_m[i] = *x;
                o.point_y_m[i] = *y;
                o.point_lat_deg[i] = w.lat_deg;
                o.point_lon_deg[i] = w.lon_deg;
                n = i + 1;
            }
            o.point_count = n as u32;
            o.flags =
                flag(gap_taken, CV2X_DETAIL_GAP_TAKEN) | flag(for_vehicle, CV2X_DETAIL_FOR_VEHICLE);
        }
        Guidance::Yield {
            lane,
            distance_m,
            to_right,
        } => {
            o.guidance = CV2X_GUIDANCE_YIELD;
            if let Some(l) = lane {
                *p |= CV2X_DETAIL_HAS_LANE;
                o.lane = u32::from(l);
            }
            put(p, CV2X_DETAIL_HAS_DISTANCE, &mut o.distance_m, distance_m);
            o.flags = flag(to_right, CV2X_DETAIL_TO_RIGHT);
        }
        Guidance::Request { request, id, state } => {
            o.guidance = CV2X_GUIDANCE_REQUEST;
            o.request = request_code(request);
            o.request_id = u32::from(id);
            o.state = request_state_code(state);
        }
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
        } => {
            o.guidance = CV2X_GUIDANCE_PARKING;
            for (v, bit, field) in [
                (lot, CV2X_DETAIL_HAS_LOT, &mut o.lot),
                (slot, CV2X_DETAIL_HAS_SLOT, &mut o.slot),
                (next_node, CV2X_DETAIL_HAS_NEXT_NODE, &mut o.next_node),
            ] {
                if let Some(v) = v {
                    *p |= bit;
                    *field = u32::from(v);
                }
            }
            o.state = maneuver_code(maneuver);
            put(
                p,
                CV2X_DETAIL_HAS_DISTANCE,
                &mut o.distance_m,
                to_maneuver_m,
            );
            put(
                p,
                CV2X_DETAIL_HAS_REMAINING,
                &mut o.remaining_m,
                remaining_m,
            );
            o.free_slots = u32::from(free_slots);
            o.total_slots = u32::from(total_slots);
            if let Some(a) = avp {
                *p |= CV2X_DETAIL_HAS_AVP;
                o.avp = u32::from(a.0);
            }
            o.flags = flag(blocked, CV2X_DETAIL_BLOCKED);
        }
        Guidance::Platoon {
            state,
            role,
            index,
            members,
            gap_m,
            target_gap_m,
            speed_mps,
        } => {
            o.guidance = CV2X_GUIDANCE_PLATOON;
            o.state = platoon_state_code(state);
            o.role = role_code(role);
            if let Some(i) = index {
                *p |= CV2X_DETAIL_HAS_INDEX;
                o.index = u32::from(i);
            }
            o.members = u32::from(members);
            put(p, CV2X_DETAIL_HAS_GAP, &mut o.gap_m, gap_m);
            put(
                p,
                CV2X_DETAIL_HAS_TARGET_GAP,
                &mut o.target_gap_m,
                target_gap_m,
            );
            put(p, CV2X_DETAIL_HAS_SPEED, &mut o.speed_mps, speed_mps);
        }
        Guidance::Payment {
            state,
            service,
            amount,
        } => {
            o.guidance = CV2X_GUIDANCE_PAYMENT;
            o.state = payment_state_code(state);
            o.request = payment_service_code(service);
            if let Some(a) = amount {
                *p |= CV2X_DETAIL_HAS_AMOUNT;
                o.amount = a;
            }
        }
        Guidance::Braking { from_roadside } => {
            o.guidance = CV2X_GUIDANCE_BRAKING;
            o.flags = flag(from_roadside, CV2X_DETAIL_FROM_ROADSIDE);
        }
    }
}

/// The detail of warning `w` (id `id`) in C form; `frame` places path points in WGS-84.
pub(crate) fn detail_of(id: u32, w: &Warning, frame: &EnuFrame) -> cv2x_warning_detail {
    let mut o = cv2x_warning_detail {
        id,
        app: super::events::app_code(w.app),
        ..cv2x_warning_detail::default()
    };
    put(
        &mut o.present,
        CV2X_DETAIL_HAS_DECEL,
        &mut o.decel_mps2,
        w.decel_mps2,
    );
    if let Some(r) = &w.road {
        road_of(&mut o, r);
    }
    put(
        &mut o.present,
        CV2X_DETAIL_HAS_LIMIT,
        &mut o.limit_kph,
        w.limit_kph,
    );
    if let Some(g) = &w.guidance {
        guidance_of(&mut o, g, frame);
    }
    o
}

/// Reads the detail of the active warning `id` (the `cv2x_warning.id` of its events and of
/// `cv2x_stack_warnings`) as of the last poll into `*out`, whose `struct_size` the caller sets
/// (`CV2X_ERR_STRUCT_SIZE` below the first version's); `*out` is written only on success.
/// `CV2X_ERR_NO_WARNING` when no active warning has that id (it has cleared, or never was).
/// Does not change the stack; one call at a time per stack (`CV2X_ERR_REENTRANT`). The
/// struct is a copy: nothing in it borrows the stack.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_warning_detail(
    s: *const cv2x_stack,
    id: u32,
    out: *mut cv2x_warning_detail,
) -> cv2x_result {
    ffi!({
        let g = tri!(deref!(s).inner.enter());
        if out.is_null() {
            return CV2X_ERR_NULL_POINTER;
        }
        // SAFETY: non-null; `struct_size` is the first field of every version.
        let size = unsafe { out.cast::<u32>().read_unaligned() };
        let n = tri!(config_len(
            size,
            CV2X_WARNING_DETAIL_SIZE_V1,
            std::mem::size_of::<cv2x_warning_detail>()
        ));
        let Some(a) = g.stack.active_warnings().iter().find(|a| a.id == id) else {
            return CV2X_ERR_NO_WARNING;
        };
        let mut d = detail_of(a.id, &a.warning, g.stack.frame());
        d.struct_size = size;
        // SAFETY: the caller's struct has `size >= n` writable bytes; `d` has `n` readable.
        unsafe { std::ptr::copy_nonoverlapping((&raw const d).cast::<u8>(), out.cast::<u8>(), n) };
        CV2X_OK
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cv2x::apps::{AppId, Level, PathPoints, Target};
    use cv2x::geo::Wgs84;
    use cv2x::time::Timestamp;
    use cv2x::world::PlatoonRole;
    use cv2x::world::day2::{AvpLevel, Behavior};

    fn frame() -> EnuFrame {
        EnuFrame::new(Wgs84::new(39.9, 116.4, 0.0)).unwrap()
    }

    #[test]
    fn each_guidance_fills_its_fields() {
        let t = Timestamp::from_micros(1_000_000);
        let mut w = Warning::new(AppId::Merge, Level::Advisory, Target::Ego, t);
        let mut points = PathPoints::default();
        assert!(points.push([10.0, 20.0]) && points.push([30.0, 40.0]));
        w.guidance = Some(Guidance::Lane {
            behavior: Behavior::RAMP_IN,
            target_lane: Some(2),
            speed_mps: Some(15.0),
            begin: Some(t),
            end: None,
            points,
            gap_taken: true,
            for_vehicle: false,
        });
        w.decel_mps2 = Some(f64::NAN);
        let d = detail_of(7, &w, &frame());
        assert_eq!((d.id, d.app, d.guidance), (7, 18, CV2X_GUIDANCE_LANE));
        assert_eq!(d.behavior, 1 << 3);
        assert_eq!((d.lane, d.speed_mps, d.begin), (2, 15.0, 1_000_000));
        assert_eq!(d.present & CV2X_DETAIL_HAS_DECEL, 0, "a NaN is not a value");
        assert_eq!(d.present & CV2X_DETAIL_HAS_END, 0);
        assert_eq!(d.point_count, 2);
        assert_eq!((d.point_x_m[1], d.point_y_m[1]), (30.0, 40.0));
        assert!((d.point_lat_deg[0] - 39.9).abs() < 1e-3 && d.point_lat_deg[0] > 39.9);
        assert_eq!(d.flags, CV2X_DETAIL_GAP_TAKEN);

        w.guidance = Some(Guidance::Parking {
            lot: Some(5),
            slot: None,
            next_node: Some(3),
            maneuver: Maneuver::Left,
            to_maneuver_m: Some(12.0),
            remaining_m: Some(40.0),
            free_slots: 4,
            total_slots: 9,
            avp: Some(AvpLevel(2)),
            blocked: false,
        });
        let d = detail_of(7, &w, &frame());
        assert_eq!(d.guidance, CV2X_GUIDANCE_PARKING);
        assert_eq!(
            (d.lot, d.next_node, d.state, d.avp),
            (5, 3, CV2X_MANEUVER_LEFT, 2)
        );
        assert_eq!(d.present & CV2X_DETAIL_HAS_SLOT, 0);
        assert_eq!((d.distance_m, d.remaining_m), (12.0, 40.0));
        assert_eq!((d.free_slots, d.total_slots), (4, 9));

        w.guidance = Some(Guidance::Platoon {
            state: PlatoonState::Member,
            role: PlatoonRole::Follower,
            index: Some(1),
            members: 3,
            gap_m: Some(8.0),
            target_gap_m: None,
            speed_mps: Some(22.0),
        });
        let d = detail_of(7, &w, &frame());
        assert_eq!(d.guidance, CV2X_GUIDANCE_PLATOON);
        assert_eq!(
            (d.state, d.index, d.members),
            (CV2X_PLATOON_STATE_MEMBER, 1, 3)
        );
        assert_eq!(d.role, crate::stack::events::CV2X_PLATOON_FOLLOWER);
        assert_eq!(d.present & CV2X_DETAIL_HAS_TARGET_GAP, 0);

        w.guidance = Some(Guidance::Payment {
            state: PaymentState::Paid,
            service: PaymentService::Parking,
            amount: Some(500),
        });
        let d = detail_of(7, &w, &frame());
        assert_eq!((d.state, d.request, d.amount), (CV2X_PAYMENT_PAID, 6, 500));

        w.guidance = None;
        w.road = Some(RoadCode {
            kind: RoadInfoKind::Sign,
            code: 38,
            value: Some(60.0),
            priority: None,
        });
        w.limit_kph = Some(60.0);
        w.decel_mps2 = Some(3.5);
        let d = detail_of(7, &w, &frame());
        assert_eq!(d.guidance, CV2X_GUIDANCE_NONE);
        assert_eq!(
            (d.road_kind, d.road_code, d.road_value),
            (CV2X_ROAD_SIGN, 38, 60.0)
        );
        assert_eq!(d.present & CV2X_DETAIL_HAS_ROAD_PRIORITY, 0);
        assert_eq!((d.limit_kph, d.decel_mps2), (60.0, 3.5));
    }
}
