//! Copies of the stack's state after the last poll: the fused objects, the active warnings,
//! the ego's lane, the counters and how full the bounded stores are. Each is a flat struct
//! (or an array of them) in the caller's memory.

use cv2x::fusion::{FusedObject, ObjectClass, TrackStatus};
use cv2x::world::{LaneMatch, Turn};

use super::events::{active_of, cv2x_warning};
use super::{State, cv2x_stack};
use crate::boundary::{deref, deref_mut, ffi, tri};
use crate::config_len;
use crate::result::*;

/// Copies `items` (converted) to `(out, cap)`: `*count` always gets how many there are;
/// `CV2X_ERR_BUFFER_TOO_SMALL` (nothing written) when they do not fit.
fn write_array<T, U>(
    items: &[T],
    convert: impl Fn(&T) -> U,
    out: *mut U,
    cap: usize,
    count: *mut usize,
) -> cv2x_result {
    if count.is_null() {
        return CV2X_ERR_NULL_POINTER;
    }
    // SAFETY: non-null; the caller guarantees a writable size_t.
    unsafe { count.write(items.len()) };
    if items.len() > cap {
        return CV2X_ERR_BUFFER_TOO_SMALL;
    }
    if items.is_empty() {
        return CV2X_OK;
    }
    if out.is_null() {
        return CV2X_ERR_NULL_POINTER;
    }
    for (i, x) in items.iter().enumerate() {
        // SAFETY: `out` has `cap >= items.len() > i` writable elements (caller contract).
        unsafe { out.add(i).write(convert(x)) };
    }
    CV2X_OK
}

// ---------------------------------------------------------------------------------------------
// Objects

/// `cv2x_object.status`: seen, not yet confirmed.
pub const CV2X_TRACK_TENTATIVE: u32 = 1;
/// `cv2x_object.status`: confirmed and updated recently.
pub const CV2X_TRACK_CONFIRMED: u32 = 2;
/// `cv2x_object.status`: confirmed, no update for a while: predicted only.
pub const CV2X_TRACK_COASTING: u32 = 3;

/// `cv2x_object.present`: `yaw_rate_dps` is set.
pub const CV2X_OBJECT_HAS_YAW_RATE: u32 = 1u32 << 0;
/// `cv2x_object.present`: `accel_mps2` is set (estimated from the reports).
pub const CV2X_OBJECT_HAS_ACCEL: u32 = 1u32 << 1;
/// `cv2x_object.present`: `length_m`, `width_m`, `height_m` are set.
pub const CV2X_OBJECT_HAS_SIZE: u32 = 1u32 << 2;
/// `cv2x_object.present`: `vehicle_id` is set.
pub const CV2X_OBJECT_HAS_VEHICLE_ID: u32 = 1u32 << 3;
/// `cv2x_object.flags`: seen only over V2X at the moment (no onboard sensor within the
/// coasting window): in the ego's blind zone or beyond its sensors.
pub const CV2X_OBJECT_V2X_ONLY: u32 = 1u32 << 0;
/// `cv2x_object.flags`: no report behind the object waits for a signature verification: the
/// latest report of each of its sources came from a verified message, an onboard sensor or an
/// unsigned frame the stack accepts. Verifying on demand (`CV2X_VERIFY_ON_DEMAND`), an object
/// fed by a vehicle's message whose signature is not verified yet lacks it; with
/// `CV2X_VERIFY_ALWAYS` every object has it.
pub const CV2X_OBJECT_VERIFIED: u32 = 1u32 << 1;

/// One fused object of the last poll (confirmed and coasting tracks).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct cv2x_object {
    /// Stable track id (warnings about the object name it in `track_id`).
    pub id: u32,
    /// `CV2X_TRACK_*`.
    pub status: u32,
    /// ParticipantType: 0 unknown, 1 motor vehicle, 2 non-motor, 3 pedestrian, 4 RSU.
    pub object_class: u32,
    /// `CV2X_OBJECT_HAS_*` bits.
    pub present: u32,
    /// `CV2X_OBJECT_*` flags.
    pub flags: u32,
    /// Room (0).
    pub reserved0: u32,
    /// Time of the state (the poll), TAI µs since 2004.
    pub time: i64,
    /// The vehicle's temporary id.
    pub vehicle_id: [u8; 8],
    /// Time since the track was created, ms.
    pub age_ms: i64,
    /// Time since its last update, ms.
    pub since_update_ms: i64,
    /// Latitude, degrees.
    pub lat_deg: f64,
    /// Longitude, degrees.
    pub lon_deg: f64,
    /// East of the stack's frame origin, m.
    pub x_m: f64,
    /// North of the stack's frame origin, m.
    pub y_m: f64,
    /// Velocity east, m/s.
    pub vx_mps: f64,
    /// Velocity north, m/s.
    pub vy_mps: f64,
    /// Speed, m/s.
    pub speed_mps: f64,
    /// Heading, degrees, 0 = north, clockwise.
    pub heading_deg: f64,
    /// Yaw rate, degrees/s, clockwise positive.
    pub yaw_rate_dps: f64,
    /// Longitudinal acceleration, m/s² (negative when braking).
    pub accel_mps2: f64,
    /// Length, m.
    pub length_m: f64,
    /// Width, m.
    pub width_m: f64,
    /// Height, m (0 when unknown).
    pub height_m: f64,
    /// Position variance east, m².
    pub pos_var_x: f64,
    /// Position covariance east-north, m².
    pub pos_cov_xy: f64,
    /// Position variance north, m².
    pub pos_var_y: f64,
    /// Room for later fields (0).
    pub reserved: [u32; 2],
}

/// Frozen size of `cv2x_object`.
pub const CV2X_OBJECT_SIZE: usize = 192;
const _: () = assert!(std::mem::size_of::<cv2x_object>() == CV2X_OBJECT_SIZE);

fn class_code(c: ObjectClass) -> u32 {
    u32::from(c.to_csae())
}

fn object_of(o: &FusedObject) -> cv2x_object {
    let mut x = cv2x_object {
        id: o.id,
        status: match o.status {
            TrackStatus::Tentative => CV2X_TRACK_TENTATIVE,
            TrackStatus::Confirmed => CV2X_TRACK_CONFIRMED,
            TrackStatus::Coasting => CV2X_TRACK_COASTING,
        },
        object_class: class_code(o.class),
        flags: if o.v2x_only { CV2X_OBJECT_V2X_ONLY } else { 0 }
            | if o.verified { CV2X_OBJECT_VERIFIED } else { 0 },
        time: o.time.as_micros(),
        age_ms: o.age_ms,
        since_update_ms: o.since_update_ms,
        lat_deg: o.position_wgs84.lat_deg,
        lon_deg: o.position_wgs84.lon_deg,
        x_m: o.position_enu.x,
        y_m: o.position_enu.y,
        vx_mps: o.velocity_enu.x,
        vy_mps: o.velocity_enu.y,
        speed_mps: o.speed_mps,
        heading_deg: o.heading_deg,
        pos_var_x: o.position_cov.m11,
        pos_cov_xy: o.position_cov.m12,
        pos_var_y: o.position_cov.m22,
        ..cv2x_object::default()
    };
    if let Some(w) = o.yaw_rate_rps {
        x.present |= CV2X_OBJECT_HAS_YAW_RATE;
        x.yaw_rate_dps = -w.to_degrees();
    }
    if let Some(a) = o.accel {
        x.present |= CV2X_OBJECT_HAS_ACCEL;
        x.accel_mps2 = a.accel_mps2;
    }
    if let Some(s) = o.size {
        x.present |= CV2X_OBJECT_HAS_SIZE;
        x.length_m = s.length_m;
        x.width_m = s.width_m;
        x.height_m = s.height_m;
    }
    if let Some(id) = o.vehicle_id {
        x.present |= CV2X_OBJECT_HAS_VEHICLE_ID;
        x.vehicle_id = id;
    }
    x
}

/// Copies the fused objects of the last poll to `(out, cap)`. `*count` gets how many there are
/// (also on `CV2X_ERR_BUFFER_TOO_SMALL`, when nothing is written: retry with a larger array).
/// `out` may be NULL when `cap` is 0.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_objects(
    s: *const cv2x_stack,
    out: *mut cv2x_object,
    cap: usize,
    count: *mut usize,
) -> cv2x_result {
    ffi!({
        let g = tri!(deref!(s).inner.enter());
        write_array(g.stack.objects(), object_of, out, cap, count)
    })
}

/// Copies the warnings active after the last poll to `(out, cap)`, with their ids and raise
/// times (`change` is `CV2X_WARNING_ACTIVE`). `*count` as for `cv2x_stack_objects`.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_warnings(
    s: *const cv2x_stack,
    out: *mut cv2x_warning,
    cap: usize,
    count: *mut usize,
) -> cv2x_result {
    ffi!({
        let g = tri!(deref!(s).inner.enter());
        let frame = *g.stack.frame();
        write_array(
            g.stack.active_warnings(),
            |a| active_of(a, &frame),
            out,
            cap,
            count,
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Lane

/// `cv2x_lane.turn`: straight on.
pub const CV2X_TURN_STRAIGHT: u32 = 1;
/// `cv2x_lane.turn`: left turn.
pub const CV2X_TURN_LEFT: u32 = 2;
/// `cv2x_lane.turn`: right turn.
pub const CV2X_TURN_RIGHT: u32 = 3;
/// `cv2x_lane.turn`: U-turn.
pub const CV2X_TURN_U_TURN: u32 = 4;

/// `cv2x_lane.present`: `phase_id` is set.
pub const CV2X_LANE_HAS_PHASE: u32 = 1u32 << 0;
/// `cv2x_lane.present`: `speed_limit_mps` is set.
pub const CV2X_LANE_HAS_SPEED_LIMIT: u32 = 1u32 << 1;

/// The incoming lane of a MAP the ego was matched to at the last poll.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct cv2x_lane {
    /// Road regulator region of the intersection (0 when not given).
    pub region: u32,
    /// Intersection (node) id.
    pub intersection_id: u32,
    /// Lane id.
    pub lane_id: u32,
    /// Index of the lane in the intersection's lanes.
    pub lane_index: u32,
    /// Index of the incoming link within the node.
    pub link_index: u32,
    /// `CV2X_TURN_*`: the movement the ego takes.
    pub turn: u32,
    /// `CV2X_LANE_HAS_*` bits.
    pub present: u32,
    /// The signal phase governing the movement.
    pub phase_id: u32,
    /// Distance along the lane to its stop line, m.
    pub distance_to_stop_m: f64,
    /// Lateral offset from the lane's centre line, m (positive: left).
    pub lateral_m: f64,
    /// Ego heading minus lane heading, degrees (-180, 180].
    pub heading_error_deg: f64,
    /// Stop line latitude, degrees.
    pub stop_lat_deg: f64,
    /// Stop line longitude, degrees.
    pub stop_lon_deg: f64,
    /// Stop line altitude, m.
    pub stop_alt_m: f64,
    /// The lane's (or link's) speed limit, m/s.
    pub speed_limit_mps: f64,
    /// Room for later fields (0).
    pub reserved: [u32; 2],
}

/// Frozen size of `cv2x_lane`.
pub const CV2X_LANE_SIZE: usize = 96;
const _: () = assert!(std::mem::size_of::<cv2x_lane>() == CV2X_LANE_SIZE);

fn lane_of(l: &LaneMatch) -> cv2x_lane {
    let mut o = cv2x_lane {
        region: u32::from(l.intersection.0),
        intersection_id: u32::from(l.intersection.1),
        lane_id: u32::from(l.lane_id),
        lane_index: u32::try_from(l.lane_index).unwrap_or(u32::MAX),
        link_index: u32::try_from(l.link_index).unwrap_or(u32::MAX),
        turn: match l.turn {
            Turn::Straight => CV2X_TURN_STRAIGHT,
            Turn::Left => CV2X_TURN_LEFT,
            Turn::Right => CV2X_TURN_RIGHT,
            Turn::UTurn => CV2X_TURN_U_TURN,
        },
        distance_to_stop_m: l.distance_to_stop_m,
        lateral_m: l.lateral_m,
        heading_error_deg: l.heading_error_deg,
        stop_lat_deg: l.stop_line.lat_deg,
        stop_lon_deg: l.stop_line.lon_deg,
        stop_alt_m: l.stop_line.alt_m,
        ..cv2x_lane::default()
    };
    if let Some(p) = l.phase_id {
        o.present |= CV2X_LANE_HAS_PHASE;
        o.phase_id = u32::from(p);
    }
    if let Some(v) = l.speed_limit_mps {
        o.present |= CV2X_LANE_HAS_SPEED_LIMIT;
        o.speed_limit_mps = v;
    }
    o
}

/// The lane the ego was matched to at the last poll into `*out`; `CV2X_ERR_NO_LANE` when it is
/// on no lane of a known MAP.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_lane(s: *const cv2x_stack, out: *mut cv2x_lane) -> cv2x_result {
    ffi!({
        let g = tri!(deref!(s).inner.enter());
        let out = deref_mut!(out);
        match g.stack.lane() {
            Some(l) => {
                *out = lane_of(l);
                CV2X_OK
            }
            None => CV2X_ERR_NO_LANE,
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Counters and usage

/// Counters since the stack was made. Set `struct_size` before the call: the library writes
/// the fields that fit in it (at least the first version's) and leaves `struct_size` as it is.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct cv2x_stack_counters {
    /// `sizeof(cv2x_stack_counters)` of the caller.
    pub struct_size: u32,
    /// Room (0).
    pub reserved0: u32,
    /// Payloads handed to `cv2x_stack_ingest` (DSMP packets that dispatched).
    pub received: u64,
    /// Messages used (`received == accepted + dropped`).
    pub accepted: u64,
    /// Messages dropped, whatever the reason.
    pub dropped: u64,
    /// SPDUs verified.
    pub verified: u64,
    /// BSMs used.
    pub bsm: u64,
    /// PSMs used.
    pub psm: u64,
    /// RSMs used.
    pub rsm: u64,
    /// SSMs used.
    pub ssm: u64,
    /// MAPs used.
    pub map: u64,
    /// SPATs used.
    pub spat: u64,
    /// RSIs used.
    pub rsi: u64,
    /// Other Day II messages used.
    pub day2: u64,
    /// Dropped: too large.
    pub too_large: u64,
    /// Dropped: SPDU without verifier.
    pub no_verifier: u64,
    /// Dropped: unsigned while signatures are required.
    pub unsigned_messages: u64,
    /// Dropped: verification failed.
    pub verify_failed: u64,
    /// Dropped: decoding failed.
    pub decode_failed: u64,
    /// Dropped: own messages.
    pub own_messages: u64,
    /// Dropped: message type not used.
    pub unsupported: u64,
    /// Reports not converted.
    pub adapt_failed: u64,
    /// Reports rejected by fusion.
    pub fusion_rejected: u64,
    /// Observations beyond the per-message limit.
    pub observations_dropped: u64,
    /// Events dropped because a queue was full.
    pub events_dropped: u64,
    /// Warnings not followed because the table was full.
    pub warnings_dropped: u64,
    /// Polls.
    pub polls: u64,
    /// Warnings raised.
    pub warnings_raised: u64,
    /// Warnings updated.
    pub warnings_updated: u64,
    /// Warnings cleared.
    pub warnings_cleared: u64,
    /// Calls with time going backwards.
    pub time_went_backwards: u64,
    /// Ego states refused.
    pub ego_rejected: u64,
    /// Messages the host vehicle produced.
    pub transmitted: u64,
    /// Messages due that could not be built, signed or framed.
    pub transmit_failed: u64,
    /// Messages to send dropped because the queue was full.
    pub transmissions_dropped: u64,
    /// Certificate requests of verified messages handed to the host vehicle.
    pub certificate_requests: u64,
    /// DSMP packets handed to `cv2x_stack_ingest`.
    pub dsmp_packets: u64,
    /// DSMP packets dispatched.
    pub dsmp_dispatched: u64,
    /// DSMP packets dropped for an AID not in the table.
    pub dsmp_unknown_aid: u64,
    /// DSMP packets dropped for a version other than 0.
    pub dsmp_unsupported_version: u64,
    /// Buffers whose adaptation layer named another protocol.
    pub dsmp_not_dsmp: u64,
    /// DSMP packets dropped as malformed.
    pub dsmp_malformed: u64,
    /// Host vehicle: states accepted.
    pub host_states: u64,
    /// Host vehicle: states refused (time not increasing).
    pub host_states_refused: u64,
    /// Host vehicle: values dropped to "not available".
    pub host_values_dropped: u64,
    /// Host vehicle: BSMs sent.
    pub host_bsm: u64,
    /// Host vehicle: BSMs sent at once for a new event.
    pub host_event_bsm: u64,
    /// Host vehicle: extra BSMs for the tracking error.
    pub host_tracking_bsm: u64,
    /// Host vehicle: BSMs not sent for want of a current fix.
    pub host_no_fix: u64,
    /// Host vehicle: SSMs sent.
    pub host_ssm: u64,
    /// Host vehicle: pseudonym changes.
    pub host_pseudonym_changes: u64,
    /// Host vehicle: changes due but not possible.
    pub host_changes_blocked: u64,
    /// Host vehicle: messages that failed to encode, sign or frame.
    pub host_failures: u64,
    /// Version 2. Frames used that were read with T/CSAE 53-2020 (with Day II).
    pub frames_2020: u64,
    /// Version 2. Frames used that were read with the 2019 release (and lifted).
    pub frames_2019: u64,
    /// Version 2. Frames used that were read with T/CSAE 53-2017 (and lifted).
    pub frames_2017: u64,
    /// Version 2. Frames several sets read with different meanings (the default set decided).
    pub ambiguous_frames: u64,
    /// Version 2. Frames whose lift into the 2020 model lost or changed something.
    pub lifted_with_changes: u64,
    /// Version 2. Day II messages of the cooperative applications handed to the host vehicle.
    pub day2_sent: u64,
    /// Version 2. Day II messages of the cooperative applications not sent (no host vehicle or
    /// no pseudonym yet, a message that did not encode, a full queue).
    pub day2_unsent: u64,
    /// Version 2. Commands refused because too many were waiting.
    pub commands_dropped: u64,
    /// Version 3. Verify on demand: SPDUs used after the cheap checks, their signature not
    /// verified yet (each counted in `accepted` too).
    pub deferred: u64,
    /// Version 3. Verify on demand: deferred SPDUs verified later because a warning rested on
    /// them (also counted in `verified`).
    pub verified_for_warnings: u64,
    /// Version 3. Verify on demand: senders whose unverified data was taken back after a failed
    /// verification (`CV2X_DROP_RETRACTED`).
    pub retracted: u64,
    /// Version 3. Verify on demand: warnings not released because what they rest on failed
    /// verification or could not be verified.
    pub warnings_withheld: u64,
    /// Version 3. Verify on demand: senders forgotten to make room for a new one.
    pub senders_evicted: u64,
}

/// Frozen size of the first version of `cv2x_stack_counters`.
pub const CV2X_STACK_COUNTERS_SIZE_V1: usize = 416;
/// Size of the second version of `cv2x_stack_counters` (message sets, Day II sending).
pub const CV2X_STACK_COUNTERS_SIZE_V2: usize = 480;
/// Size of the third version of `cv2x_stack_counters` (verify on demand).
pub const CV2X_STACK_COUNTERS_SIZE_V3: usize = 520;
const _: () = assert!(std::mem::size_of::<cv2x_stack_counters>() == CV2X_STACK_COUNTERS_SIZE_V3);

fn counters_of(st: &State, struct_size: u32) -> cv2x_stack_counters {
    let c = st.stack.counters();
    let d = st.dispatcher.counters();
    let h = st.stack.host().map(|h| h.counters()).unwrap_or_default();
    cv2x_stack_counters {
        struct_size,
        reserved0: 0,
        received: c.received,
        accepted: c.accepted,
        dropped: c.dropped,
        verified: c.verified,
        bsm: c.bsm,
        psm: c.psm,
        rsm: c.rsm,
        ssm: c.ssm,
        map: c.map,
        spat: c.spat,
        rsi: c.rsi,
        day2: c.day2,
        too_large: c.too_large,
        no_verifier: c.no_verifier,
        unsigned_messages: c.unsigned,
        verify_failed: c.verify_failed,
        decode_failed: c.decode_failed,
        own_messages: c.own_messages,
        unsupported: c.unsupported,
        adapt_failed: c.adapt_failed,
        fusion_rejected: c.fusion_rejected,
        observations_dropped: c.observations_dropped,
        events_dropped: c.events_dropped + st.events_dropped,
        warnings_dropped: c.warnings_dropped,
        polls: c.polls,
        warnings_raised: c.warnings_raised,
        warnings_updated: c.warnings_updated,
        warnings_cleared: c.warnings_cleared,
        time_went_backwards: c.time_went_backwards,
        ego_rejected: c.ego_rejected,
        transmitted: c.transmitted,
        transmit_failed: c.transmit_failed,
        transmissions_dropped: c.transmissions_dropped,
        certificate_requests: c.certificate_requests,
        dsmp_packets: d.packets,
        dsmp_dispatched: d.dispatched,
        dsmp_unknown_aid: d.unknown_aid,
        dsmp_unsupported_version: d.unsupported_version,
        dsmp_not_dsmp: d.not_dsmp,
        dsmp_malformed: d.malformed,
        host_states: h.states,
        host_states_refused: h.states_refused,
        host_values_dropped: h.values_dropped,
        host_bsm: h.bsm,
        host_event_bsm: h.event_bsm,
        host_tracking_bsm: h.tracking_bsm,
        host_no_fix: h.no_fix,
        host_ssm: h.ssm,
        host_pseudonym_changes: h.pseudonym_changes,
        host_changes_blocked: h.changes_blocked,
        host_failures: h.failures,
        frames_2020: c.frames_2020,
        frames_2019: c.frames_2019,
        frames_2017: c.frames_2017,
        ambiguous_frames: c.ambiguous_frames,
        lifted_with_changes: c.lifted_with_changes,
        day2_sent: c.day2_sent,
        day2_unsent: c.day2_unsent,
        commands_dropped: c.commands_dropped,
        deferred: c.deferred,
        verified_for_warnings: c.verified_for_warnings,
        retracted: c.retracted,
        warnings_withheld: c.warnings_withheld,
        senders_evicted: c.senders_evicted,
    }
}

/// Reads the counters into `*out`, whose `struct_size` the caller sets
/// (`CV2X_ERR_STRUCT_SIZE` below the first version's).
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_get_counters(
    s: *const cv2x_stack,
    out: *mut cv2x_stack_counters,
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
            CV2X_STACK_COUNTERS_SIZE_V1,
            std::mem::size_of::<cv2x_stack_counters>()
        ));
        let c = counters_of(&g, size);
        // SAFETY: the caller's struct has `size >= n` writable bytes; `c` has `n` readable.
        unsafe { std::ptr::copy_nonoverlapping((&raw const c).cast::<u8>(), out.cast::<u8>(), n) };
        CV2X_OK
    })
}

/// How full the bounded stores are.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct cv2x_stack_usage {
    /// Fused tracks.
    pub tracks: u32,
    /// MAP intersections.
    pub intersections: u32,
    /// SPAT intersections.
    pub signals: u32,
    /// RSI events and signs.
    pub road_info: u32,
    /// Vehicles with reported flags.
    pub vehicles: u32,
    /// Day II entries.
    pub day2: u32,
    /// Events waiting for the caller.
    pub events: u32,
    /// Active warnings.
    pub warnings: u32,
    /// Messages waiting to be sent.
    pub transmissions: u32,
    /// Verify on demand: senders followed (0 with `CV2X_VERIFY_ALWAYS`). Added in place of
    /// reserved room: 0 from a library before it.
    pub senders: u32,
    /// Verify on demand: senders whose latest message is kept, its signature not verified yet.
    pub unverified_senders: u32,
    /// Verify on demand: octets of the SPDUs kept for a later verification.
    pub kept_bytes: u32,
    /// Room for later fields (0).
    pub reserved: [u32; 4],
}

/// Frozen size of `cv2x_stack_usage`.
pub const CV2X_STACK_USAGE_SIZE: usize = 64;
const _: () = assert!(std::mem::size_of::<cv2x_stack_usage>() == CV2X_STACK_USAGE_SIZE);

/// How full the bounded stores are, into `*out`.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_get_usage(
    s: *const cv2x_stack,
    out: *mut cv2x_stack_usage,
) -> cv2x_result {
    ffi!({
        let g = tri!(deref!(s).inner.enter());
        let out = deref_mut!(out);
        let u = g.stack.usage();
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        *out = cv2x_stack_usage {
            tracks: n(u.tracks),
            intersections: n(u.intersections),
            signals: n(u.signals),
            road_info: n(u.road_info),
            vehicles: n(u.vehicles),
            day2: n(u.day2),
            events: n(u.events + g.events.len()),
            warnings: n(u.warnings),
            transmissions: n(g.waiting()),
            senders: n(u.senders),
            unverified_senders: n(u.unverified_senders),
            kept_bytes: n(u.kept_bytes),
            reserved: [0; 4],
        };
        CV2X_OK
    })
}
