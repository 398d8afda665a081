//! What `cv2x_stack_poll` reports: `cv2x_event` (warnings raised / updated / cleared with
//! their ids, objects, drops, Day II messages, messages ready to send) and the explicit code
//! tables from the core's enums (applications, levels, drop reasons and their details).
//!
//! Every table is one `match` with an arm per variant: a variant added to the core does not
//! compile here until it has its code. The core enums marked `#[non_exhaustive]` (`AppId`,
//! `Event`, `DropReason`, `AdaptError`, `StoreKind`, `Ingested`, `VerifyFailure`) also need a
//! last arm; it gives the documented fallback code (`CV2X_APP_OTHER`, `CV2X_EVENT_OTHER`,
//! `CV2X_DROP_OTHER`, ...), which a test keeps unreachable for every variant known today.

use cv2x::apps::{Advice, AppId, Level, Target, Warning};
use cv2x::fusion::RejectReason;
use cv2x::geo::EnuFrame;
use cv2x::stack::{ActiveWarning, DropReason, Event, Ingested, StoreKind, WarningChange};
use cv2x::world::{AdaptError, DayIIEvent, DayIIService, PlatoonRole, World};

use super::sets::{sets_bits, std_code};
use crate::result::*;

// ---- event kinds ----
/// `cv2x_event.kind`: a warning was raised or changed (`warning.change` says which).
pub const CV2X_EVENT_WARNING: u32 = 1;
/// `cv2x_event.kind`: a warning ended (`warning` is the warning as last shown, `warning.id`
/// the id it was raised with).
pub const CV2X_EVENT_WARNING_CLEARED: u32 = 2;
/// `cv2x_event.kind`: the fused objects were updated (`count` objects;
/// `cv2x_stack_objects` gives them).
pub const CV2X_EVENT_OBJECTS: u32 = 3;
/// `cv2x_event.kind`: a message or part of one was dropped (`drop` says why).
pub const CV2X_EVENT_DROPPED: u32 = 4;
/// `cv2x_event.kind`: a Day II message was received (`day2` says what it told).
pub const CV2X_EVENT_DAY2: u32 = 5;
/// `cv2x_event.kind`: the poll produced messages to send; `count` are waiting
/// (`cv2x_stack_next_transmission`).
pub const CV2X_EVENT_TRANSMIT: u32 = 6;
/// `cv2x_event.kind`: a frame of an older message set was lifted into the 2020 model and the
/// lift lost or changed something: `set` is the frame's set (`CV2X_STD_*`), `count` how many
/// values were lost or changed (reported when `CV2X_SETS_REPORT` is on; always counted in
/// `lifted_with_changes`).
pub const CV2X_EVENT_LIFTED: u32 = 7;
/// `cv2x_event.kind`: several message sets read a frame with different meanings: `sets` are
/// those sets (`CV2X_SETS_*` bits), `set` the one that decided (the configured default, else
/// the newest). Counted in `ambiguous_frames`.
pub const CV2X_EVENT_AMBIGUOUS: u32 = 8;
/// `cv2x_event.kind`: an event of a kind newer than this version of the ABI.
pub const CV2X_EVENT_OTHER: u32 = 255;

// ---- warning change ----
/// `cv2x_warning.change` of a snapshot entry (`cv2x_stack_warnings`): no change reported.
pub const CV2X_WARNING_ACTIVE: u32 = 0;
/// `cv2x_warning.change`: the warning started (a new id).
pub const CV2X_WARNING_RAISED: u32 = 1;
/// `cv2x_warning.change`: its level or content changed (advice, target); the id stays.
pub const CV2X_WARNING_UPDATED: u32 = 2;
/// `cv2x_warning.change` of a `CV2X_EVENT_WARNING_CLEARED` event: it ended.
pub const CV2X_WARNING_CLEARED: u32 = 3;

// ---- applications: one per cv2x::AppId ----
/// Forward collision warning.
pub const CV2X_APP_FCW: u32 = 1;
/// Intersection collision warning.
pub const CV2X_APP_ICW: u32 = 2;
/// Left turn assist.
pub const CV2X_APP_LTA: u32 = 3;
/// Blind spot warning.
pub const CV2X_APP_BSW: u32 = 4;
/// Lane change warning.
pub const CV2X_APP_LCW: u32 = 5;
/// Do not pass warning.
pub const CV2X_APP_DNPW: u32 = 6;
/// Emergency brake warning.
pub const CV2X_APP_EBW: u32 = 7;
/// Abnormal vehicle warning.
pub const CV2X_APP_AVW: u32 = 8;
/// Control loss warning.
pub const CV2X_APP_CLW: u32 = 9;
/// Hazardous location warning.
pub const CV2X_APP_HLW: u32 = 10;
/// Speed limit warning.
pub const CV2X_APP_SLW: u32 = 11;
/// Red light violation warning.
pub const CV2X_APP_RLVW: u32 = 12;
/// Vulnerable road user collision warning.
pub const CV2X_APP_VRUCW: u32 = 13;
/// Green light optimal speed advisory.
pub const CV2X_APP_GLOSA: u32 = 14;
/// In-vehicle signage.
pub const CV2X_APP_IVS: u32 = 15;
/// Traffic jam warning.
pub const CV2X_APP_TJW: u32 = 16;
/// Emergency vehicle warning.
pub const CV2X_APP_EVW: u32 = 17;
/// Cooperative merging and diverging, lane guidance and cooperative lane change (Day II RSC,
/// VIR lane-change requests).
pub const CV2X_APP_MERGE: u32 = 18;
/// Clear the way for a priority vehicle (Day II VIR clear-the-way requests, received and sent).
pub const CV2X_APP_CLEAR_THE_WAY: u32 = 19;
/// Signal priority for an emergency or transit ego (Day II VIR signal-priority requests).
pub const CV2X_APP_SIGNAL_PRIORITY: u32 = 20;
/// Parking guidance (Day II PAM, VIR parking requests).
pub const CV2X_APP_PARKING: u32 = 21;
/// Platooning (Day II CLPMM).
pub const CV2X_APP_PLATOON: u32 = 22;
/// Vehicle near-field payment (Day II VPM).
pub const CV2X_APP_VNFP: u32 = 23;
/// Cooperative emergency braking: a braking request from the roadside.
pub const CV2X_APP_CEB: u32 = 24;
/// An application newer than this version of the ABI.
pub const CV2X_APP_OTHER: u32 = 0xFFFF;
/// Every application (`cv2x_stack_config.apps`): bit `CV2X_APP_x - 1` per application
/// (`CV2X_APP_BIT(CV2X_APP_FCW)`). The Day II applications (`CV2X_APP_MERGE` ..
/// `CV2X_APP_CEB`) are bits 17..23: a program built when this mask had 17 bits runs the Day I
/// applications only.
pub const CV2X_APPS_ALL: u32 = (1u32 << 24) - 1;

// ---- levels ----
/// `cv2x_warning.level`: information (GLOSA, SLW, IVS and other advice).
pub const CV2X_LEVEL_ADVISORY: u32 = 1;
/// `cv2x_warning.level`: a hazard that needs the driver's attention.
pub const CV2X_LEVEL_WARNING: u32 = 2;
/// `cv2x_warning.level`: an imminent hazard.
pub const CV2X_LEVEL_ALERT: u32 = 3;

// ---- targets and advice ----
/// `cv2x_warning.target`: a fused object (`track_id`).
pub const CV2X_TARGET_OBJECT: u32 = 1;
/// `cv2x_warning.target`: a place (a stop line, an RSI event or sign; `place_id`).
pub const CV2X_TARGET_PLACE: u32 = 2;
/// `cv2x_warning.target`: the ego itself (e.g. its speed).
pub const CV2X_TARGET_EGO: u32 = 3;
/// `cv2x_warning.advice`: none.
pub const CV2X_ADVICE_NONE: u32 = 0;
/// `cv2x_warning.advice`: drive between `advice_min_kph` and `advice_max_kph`.
pub const CV2X_ADVICE_SPEED_RANGE: u32 = 1;
/// `cv2x_warning.advice`: keep the current speed.
pub const CV2X_ADVICE_KEEP_SPEED: u32 = 2;
/// `cv2x_warning.advice`: prepare to stop.
pub const CV2X_ADVICE_STOP: u32 = 3;
/// `cv2x_warning.present`: `ttc_s` is set.
pub const CV2X_WARNING_HAS_TTC: u32 = 1u32 << 0;
/// `cv2x_warning.present`: `distance_m` is set.
pub const CV2X_WARNING_HAS_DISTANCE: u32 = 1u32 << 1;
/// `cv2x_warning.present`: `x_m`, `y_m`, `lat_deg`, `lon_deg` are set (object and place
/// targets).
pub const CV2X_WARNING_HAS_POSITION: u32 = 1u32 << 2;
/// `cv2x_warning.present`: `raised_at` is set (snapshots; raised events).
pub const CV2X_WARNING_HAS_RAISED_AT: u32 = 1u32 << 3;

/// A warning or advice (flat; positions in the stack's frame and in WGS-84).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct cv2x_warning {
    /// Stable for the warning's life (from raised to cleared), never 0.
    pub id: u32,
    /// `CV2X_WARNING_*`.
    pub change: u32,
    /// `CV2X_APP_*`.
    pub app: u32,
    /// `CV2X_LEVEL_*` (ordered: a higher value is more urgent).
    pub level: u32,
    /// `CV2X_TARGET_*`.
    pub target: u32,
    /// `CV2X_WARNING_HAS_*` bits.
    pub present: u32,
    /// Track id of an object target (the `id` of its `cv2x_object`).
    pub track_id: u32,
    /// `CV2X_ADVICE_*`.
    pub advice: u32,
    /// Id of a place target, stable while it is the same place.
    pub place_id: u64,
    /// The evaluation that produced it (TAI µs since 2004).
    pub time: i64,
    /// When it was raised (see `CV2X_WARNING_HAS_RAISED_AT`).
    pub raised_at: i64,
    /// Time to collision or to the conflict point, s.
    pub ttc_s: f64,
    /// Distance to the target or conflict point, m.
    pub distance_m: f64,
    /// Lower bound of the speed advice, km/h.
    pub advice_min_kph: f64,
    /// Upper bound of the speed advice, km/h.
    pub advice_max_kph: f64,
    /// Target position east of the stack's frame origin, m.
    pub x_m: f64,
    /// Target position north of the stack's frame origin, m.
    pub y_m: f64,
    /// Target latitude, degrees.
    pub lat_deg: f64,
    /// Target longitude, degrees.
    pub lon_deg: f64,
    /// Room for later fields (0).
    pub reserved: [u32; 4],
}

/// Frozen size of `cv2x_warning`.
pub const CV2X_WARNING_SIZE: usize = 136;
const _: () = assert!(std::mem::size_of::<cv2x_warning>() == CV2X_WARNING_SIZE);

// ---- drops ----
/// `cv2x_drop.reason`: longer than `max_message_bytes`.
pub const CV2X_DROP_TOO_LARGE: u32 = 1;
/// `cv2x_drop.reason`: an SPDU and no verifier (`cv2x_stack_set_verifier`).
pub const CV2X_DROP_NO_VERIFIER: u32 = 2;
/// `cv2x_drop.reason`: a plain message while signatures are required.
pub const CV2X_DROP_UNSIGNED: u32 = 3;
/// `cv2x_drop.reason`: verification failed; `detail` is the `CV2X_ERR_SEC_*` code.
pub const CV2X_DROP_VERIFY: u32 = 4;
/// `cv2x_drop.reason`: UPER decoding failed; `detail` is the `CV2X_ERR_CODEC_*` code.
pub const CV2X_DROP_DECODE: u32 = 5;
/// `cv2x_drop.reason`: the ego's own message.
pub const CV2X_DROP_OWN_MESSAGE: u32 = 6;
/// `cv2x_drop.reason`: a message type the stack does not use (RTCM, VPM, test messages,
/// unknown extensions).
pub const CV2X_DROP_UNSUPPORTED: u32 = 7;
/// `cv2x_drop.reason`: a report could not be converted; `detail` is `CV2X_ADAPT_*`.
pub const CV2X_DROP_ADAPT: u32 = 8;
/// `cv2x_drop.reason`: the fusion core rejected a report; `detail` is `CV2X_REJECT_*`.
pub const CV2X_DROP_FUSION: u32 = 9;
/// `cv2x_drop.reason`: a bounded buffer was full; `detail` is `CV2X_STORE_*`.
pub const CV2X_DROP_STORE_FULL: u32 = 10;
/// `cv2x_drop.reason`: a poll or an ego state with a time before the previous one.
pub const CV2X_DROP_TIME_WENT_BACKWARDS: u32 = 11;
/// `cv2x_drop.reason`: an ego state was refused.
pub const CV2X_DROP_EGO_REJECTED: u32 = 12;
/// `cv2x_drop.reason`: a message due could not be built, signed or framed.
pub const CV2X_DROP_TRANSMIT_FAILED: u32 = 13;
/// `cv2x_drop.reason`: a `CV2X_PAYLOAD_DSMP` packet could not be dispatched; `detail` is the
/// `CV2X_ERR_NET_*` code (unknown AID, malformed, ...).
pub const CV2X_DROP_NETWORK: u32 = 14;
/// `cv2x_drop.reason`: verify on demand: a sender's message, used before its signature was
/// verified, failed the verification, and what the sender reported unverified was taken back
/// from the world and the tracker; `detail` is the `CV2X_ERR_SEC_*` code.
pub const CV2X_DROP_RETRACTED: u32 = 15;
/// `cv2x_drop.reason`: a reason newer than this version of the ABI.
pub const CV2X_DROP_OTHER: u32 = 255;

/// `cv2x_drop.detail` of `CV2X_DROP_ADAPT`: `secMark` reserved or unavailable.
pub const CV2X_ADAPT_TIME_UNAVAILABLE: u32 = 1;
/// `cv2x_drop.detail` of `CV2X_DROP_ADAPT`: position unavailable or out of range.
pub const CV2X_ADAPT_POSITION_UNAVAILABLE: u32 = 2;
/// `cv2x_drop.detail` of `CV2X_DROP_ADAPT`: a reason newer than this version of the ABI.
pub const CV2X_ADAPT_OTHER: u32 = 255;

/// `cv2x_drop.detail` of `CV2X_DROP_FUSION`: a value was NaN or infinite.
pub const CV2X_REJECT_NON_FINITE: u32 = 1;
/// `CV2X_DROP_FUSION`: a value outside its physical range.
pub const CV2X_REJECT_OUT_OF_RANGE: u32 = 2;
/// `CV2X_DROP_FUSION`: older than the fusion's `max_age_ms`.
pub const CV2X_REJECT_TOO_OLD: u32 = 3;
/// `CV2X_DROP_FUSION`: later than the fusion time by more than `max_future_ms`.
pub const CV2X_REJECT_FROM_FUTURE: u32 = 4;
/// `CV2X_DROP_FUSION`: not newer than an already fused report of the same object.
pub const CV2X_REJECT_OUT_OF_SEQUENCE: u32 = 5;
/// `CV2X_DROP_FUSION`: a newer report of the same object came in the same cycle.
pub const CV2X_REJECT_SUPERSEDED: u32 = 6;
/// `CV2X_DROP_FUSION`: an ego-frame report without an ego pose around its time.
pub const CV2X_REJECT_NO_EGO_POSE: u32 = 7;
/// `CV2X_DROP_FUSION`: the pending queue was full.
pub const CV2X_REJECT_QUEUE_FULL: u32 = 8;
/// `CV2X_DROP_FUSION`: the report is the ego itself (by its vehicle id).
pub const CV2X_REJECT_EGO_BY_ID: u32 = 9;
/// `CV2X_DROP_FUSION`: the report is the ego itself (by position and motion).
pub const CV2X_REJECT_EGO_BY_GATE: u32 = 10;
/// `CV2X_DROP_FUSION`: no room in the track table.
pub const CV2X_REJECT_TRACK_TABLE_FULL: u32 = 11;
/// Rejected by the fusion core for a reason this ABI version does not name.
pub const CV2X_REJECT_OTHER: u32 = 255;

/// `cv2x_drop.detail` of `CV2X_DROP_STORE_FULL`: the event queue.
pub const CV2X_STORE_EVENTS: u32 = 1;
/// `CV2X_DROP_STORE_FULL`: the per-message observation buffer.
pub const CV2X_STORE_OBSERVATIONS: u32 = 2;
/// `CV2X_DROP_STORE_FULL`: the table of active warnings.
pub const CV2X_STORE_WARNINGS: u32 = 3;
/// `CV2X_DROP_STORE_FULL`: the queue of messages to send.
pub const CV2X_STORE_TRANSMISSIONS: u32 = 4;
/// `CV2X_DROP_STORE_FULL`: the commands waiting for the next poll (`cv2x_stack_command`).
pub const CV2X_STORE_COMMANDS: u32 = 5;
/// `CV2X_DROP_STORE_FULL`: a buffer newer than this version of the ABI.
pub const CV2X_STORE_OTHER: u32 = 255;

/// Why something was dropped: `reason` (`CV2X_DROP_*`) and, for some reasons, a `detail`
/// code (0 when the reason has none).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct cv2x_drop {
    /// `CV2X_DROP_*`.
    pub reason: u32,
    /// A code that says more (see each `CV2X_DROP_*`), else 0.
    pub detail: u32,
}

// ---- Day II ----
/// `cv2x_day2_event.kind`: roadside coordination (RSC): driving suggestions.
pub const CV2X_DAY2_COORDINATION: u32 = 1;
/// `cv2x_day2_event.kind`: a vehicle's intention and requests (VIR).
pub const CV2X_DAY2_INTENTION: u32 = 2;
/// `cv2x_day2_event.kind`: parking area information (PAM).
pub const CV2X_DAY2_PARKING: u32 = 3;
/// `cv2x_day2_event.kind`: platooning management (CLPMM).
pub const CV2X_DAY2_PLATOON: u32 = 4;
/// `cv2x_day2_event.kind`: sensor sharing (SSM).
pub const CV2X_DAY2_SENSOR_SHARING: u32 = 5;
/// `cv2x_day2_event.kind`: vehicle payment (VPM).
pub const CV2X_DAY2_PAYMENT: u32 = 6;
/// `cv2x_day2_event.kind`: a service this header does not name yet.
pub const CV2X_DAY2_OTHER: u32 = 255;
/// `cv2x_day2_event.present`: `sender` is set.
pub const CV2X_DAY2_HAS_SENDER: u32 = 1u32 << 0;
/// `cv2x_day2_event.present`: `lot_id` is set.
pub const CV2X_DAY2_HAS_LOT_ID: u32 = 1u32 << 1;
/// `cv2x_day2_event.present`: `recommended_speed_mps` is set.
pub const CV2X_DAY2_HAS_RECOMMENDED_SPEED: u32 = 1u32 << 2;
/// `cv2x_day2_event.flags`: the message addresses the ego (a coordination for it, a request
/// targeting it, parking guidance for it, the ego a platoon member).
pub const CV2X_DAY2_FOR_EGO: u32 = 1u32 << 0;
/// `cv2x_day2_event.flags`: the platoon accepts joining vehicles.
pub const CV2X_DAY2_OPEN_TO_JOIN: u32 = 1u32 << 1;
/// `cv2x_day2_event.role`: platoon leader.
pub const CV2X_PLATOON_LEADER: u32 = 1;
/// `cv2x_day2_event.role`: follower.
pub const CV2X_PLATOON_FOLLOWER: u32 = 2;
/// `cv2x_day2_event.role`: tail.
pub const CV2X_PLATOON_TAIL: u32 = 3;
/// `cv2x_day2_event.role`: not in a platoon.
pub const CV2X_PLATOON_FREE: u32 = 4;
/// `cv2x_day2_event.role`: another value.
pub const CV2X_PLATOON_OTHER: u32 = 5;

/// What a Day II message told the vehicle. The counts that do not belong to `kind` are 0.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct cv2x_day2_event {
    /// `CV2X_DAY2_*` kind.
    pub kind: u32,
    /// `CV2X_DAY2_HAS_*` bits.
    pub present: u32,
    /// `CV2X_DAY2_FOR_EGO`, `CV2X_DAY2_OPEN_TO_JOIN`.
    pub flags: u32,
    /// `CV2X_PLATOON_*` (platoon), else 0.
    pub role: u32,
    /// The RSU or vehicle that sent it.
    pub sender: [u8; 8],
    /// Coordination: vehicle coordinations.
    pub vehicles: u32,
    /// Coordination: lane coordinations.
    pub lanes: u32,
    /// Intention: requests.
    pub requests: u32,
    /// Intention: planned path points.
    pub path_points: u32,
    /// Parking: parking lot id.
    pub lot_id: u32,
    /// Parking: slots reported available.
    pub slots_available: u32,
    /// Parking: slots reported.
    pub slots: u32,
    /// Platoon: members listed by a leader.
    pub members: u32,
    /// Sensor sharing: detected participants.
    pub participants: u32,
    /// Sensor sharing: detected obstacles.
    pub obstacles: u32,
    /// Sensor sharing: traffic events.
    pub events: u32,
    /// Room for later fields (0).
    pub reserved: u32,
    /// Coordination: recommended speed of the first lane coordination, m/s.
    pub recommended_speed_mps: f64,
}

/// Frozen size of `cv2x_day2_event`.
pub const CV2X_DAY2_EVENT_SIZE: usize = 80;
const _: () = assert!(std::mem::size_of::<cv2x_day2_event>() == CV2X_DAY2_EVENT_SIZE);

/// One event of `cv2x_stack_poll`. `kind` says which part is meaningful: `warning` for
/// `CV2X_EVENT_WARNING` and `CV2X_EVENT_WARNING_CLEARED`, `drop` for `CV2X_EVENT_DROPPED`,
/// `day2` for `CV2X_EVENT_DAY2`, `count` for `CV2X_EVENT_OBJECTS` and `CV2X_EVENT_TRANSMIT`;
/// the other parts are zero.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct cv2x_event {
    /// `CV2X_EVENT_*`.
    pub kind: u32,
    /// Objects (`CV2X_EVENT_OBJECTS`), messages waiting to be sent (`CV2X_EVENT_TRANSMIT`), or
    /// values a lift lost or changed (`CV2X_EVENT_LIFTED`).
    pub count: u32,
    /// When (TAI µs since 2004): the poll, the drop, the reception; a warning's evaluation.
    pub time: i64,
    /// The warning.
    pub warning: cv2x_warning,
    /// Why something was dropped.
    pub drop: cv2x_drop,
    /// The Day II message.
    pub day2: cv2x_day2_event,
    /// The message set (`CV2X_STD_*`) a `CV2X_EVENT_LIFTED` frame was read with, or the set
    /// that decided a `CV2X_EVENT_AMBIGUOUS` one.
    pub set: u32,
    /// `CV2X_EVENT_AMBIGUOUS`: the sets that read the frame (`CV2X_SETS_*` bits).
    pub sets: u32,
    /// Room for later fields (0).
    pub reserved: [u32; 2],
}

/// Frozen size of `cv2x_event`.
pub const CV2X_EVENT_SIZE: usize = 256;
const _: () = assert!(std::mem::size_of::<cv2x_event>() == CV2X_EVENT_SIZE);

// ---- tables ----

/// The code of an application.
pub(crate) fn app_code(a: AppId) -> u32 {
    match a {
        AppId::Fcw => CV2X_APP_FCW,
        AppId::Icw => CV2X_APP_ICW,
        AppId::Lta => CV2X_APP_LTA,
        AppId::Bsw => CV2X_APP_BSW,
        AppId::Lcw => CV2X_APP_LCW,
        AppId::Dnpw => CV2X_APP_DNPW,
        AppId::Ebw => CV2X_APP_EBW,
        AppId::Avw => CV2X_APP_AVW,
        AppId::Clw => CV2X_APP_CLW,
        AppId::Hlw => CV2X_APP_HLW,
        AppId::Slw => CV2X_APP_SLW,
        AppId::Rlvw => CV2X_APP_RLVW,
        AppId::Vrucw => CV2X_APP_VRUCW,
        AppId::Glosa => CV2X_APP_GLOSA,
        AppId::Ivs => CV2X_APP_IVS,
        AppId::Tjw => CV2X_APP_TJW,
        AppId::Evw => CV2X_APP_EVW,
        AppId::Merge => CV2X_APP_MERGE,
        AppId::ClearTheWay => CV2X_APP_CLEAR_THE_WAY,
        AppId::SignalPriority => CV2X_APP_SIGNAL_PRIORITY,
        AppId::Parking => CV2X_APP_PARKING,
        AppId::Platoon => CV2X_APP_PLATOON,
        AppId::Vnfp => CV2X_APP_VNFP,
        AppId::Ceb => CV2X_APP_CEB,
        // non_exhaustive: an application added to the core after this table
        _ => CV2X_APP_OTHER,
    }
}

/// The code of a level.
pub(crate) fn level_code(l: Level) -> u32 {
    match l {
        Level::Advisory => CV2X_LEVEL_ADVISORY,
        Level::Warning => CV2X_LEVEL_WARNING,
        Level::Alert => CV2X_LEVEL_ALERT,
    }
}

fn adapt_code(e: AdaptError) -> u32 {
    match e {
        AdaptError::TimeUnavailable => CV2X_ADAPT_TIME_UNAVAILABLE,
        AdaptError::PositionUnavailable => CV2X_ADAPT_POSITION_UNAVAILABLE,
        // non_exhaustive: a reason added to the core after this table
        _ => CV2X_ADAPT_OTHER,
    }
}

fn reject_code(r: RejectReason) -> u32 {
    match r {
        RejectReason::NonFinite => CV2X_REJECT_NON_FINITE,
        RejectReason::OutOfRange => CV2X_REJECT_OUT_OF_RANGE,
        RejectReason::TooOld => CV2X_REJECT_TOO_OLD,
        RejectReason::FromFuture => CV2X_REJECT_FROM_FUTURE,
        RejectReason::OutOfSequence => CV2X_REJECT_OUT_OF_SEQUENCE,
        RejectReason::Superseded => CV2X_REJECT_SUPERSEDED,
        RejectReason::NoEgoPose => CV2X_REJECT_NO_EGO_POSE,
        RejectReason::QueueFull => CV2X_REJECT_QUEUE_FULL,
        RejectReason::EgoById => CV2X_REJECT_EGO_BY_ID,
        RejectReason::EgoByGate => CV2X_REJECT_EGO_BY_GATE,
        RejectReason::TrackTableFull => CV2X_REJECT_TRACK_TABLE_FULL,
        _ => CV2X_REJECT_OTHER,
    }
}

fn store_code(s: StoreKind) -> u32 {
    match s {
        StoreKind::Events => CV2X_STORE_EVENTS,
        StoreKind::Observations => CV2X_STORE_OBSERVATIONS,
        StoreKind::Warnings => CV2X_STORE_WARNINGS,
        StoreKind::Transmissions => CV2X_STORE_TRANSMISSIONS,
        StoreKind::Commands => CV2X_STORE_COMMANDS,
        // non_exhaustive: a buffer added to the core after this table
        _ => CV2X_STORE_OTHER,
    }
}

/// The reason and detail of a drop.
pub(crate) fn drop_of(r: &DropReason) -> cv2x_drop {
    let (reason, detail) = match r {
        DropReason::TooLarge => (CV2X_DROP_TOO_LARGE, 0),
        DropReason::NoVerifier => (CV2X_DROP_NO_VERIFIER, 0),
        DropReason::Unsigned => (CV2X_DROP_UNSIGNED, 0),
        DropReason::Verify(f) => (CV2X_DROP_VERIFY, verify_failure(f)),
        DropReason::Decode(k) => (CV2X_DROP_DECODE, decode_kind(*k)),
        DropReason::OwnMessage => (CV2X_DROP_OWN_MESSAGE, 0),
        DropReason::Unsupported => (CV2X_DROP_UNSUPPORTED, 0),
        DropReason::Adapt(e) => (CV2X_DROP_ADAPT, adapt_code(*e)),
        DropReason::Fusion(r) => (CV2X_DROP_FUSION, reject_code(*r)),
        DropReason::StoreFull(s) => (CV2X_DROP_STORE_FULL, store_code(*s)),
        DropReason::TimeWentBackwards => (CV2X_DROP_TIME_WENT_BACKWARDS, 0),
        DropReason::EgoRejected => (CV2X_DROP_EGO_REJECTED, 0),
        DropReason::TransmitFailed => (CV2X_DROP_TRANSMIT_FAILED, 0),
        DropReason::Retracted(f) => (CV2X_DROP_RETRACTED, verify_failure(f)),
        // non_exhaustive: a reason added to the core after this table
        _ => (CV2X_DROP_OTHER, 0),
    };
    cv2x_drop { reason, detail }
}

/// The code of a platoon role.
pub(crate) fn role_code(r: PlatoonRole) -> u32 {
    match r {
        PlatoonRole::Leader => CV2X_PLATOON_LEADER,
        PlatoonRole::Follower => CV2X_PLATOON_FOLLOWER,
        PlatoonRole::Tail => CV2X_PLATOON_TAIL,
        PlatoonRole::Free => CV2X_PLATOON_FREE,
        PlatoonRole::Other => CV2X_PLATOON_OTHER,
    }
}

/// A Day II event in C form: the service and sender from the event, the content from the
/// world's Day II store entry of that service and sender (absent when the entry is gone, e.g.
/// expired before the poll; the counts are then 0 and the `present` bits unset).
fn day2_of(e: &DayIIEvent, world: &World) -> cv2x_day2_event {
    let d = world.day2();
    let mut o = cv2x_day2_event {
        present: CV2X_DAY2_HAS_SENDER,
        sender: e.sender,
        flags: if e.for_ego { CV2X_DAY2_FOR_EGO } else { 0 },
        ..cv2x_day2_event::default()
    };
    let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    match e.service {
        DayIIService::Coordination => {
            o.kind = CV2X_DAY2_COORDINATION;
            if let Some(c) = d.coordination.entries().iter().find(|c| c.rsu == e.sender) {
                o.vehicles = u32::from(c.vehicles);
                o.lanes = n(c.lanes.len());
                if let Some(v) = c.lanes.first().and_then(|l| l.speed_mps) {
                    o.present |= CV2X_DAY2_HAS_RECOMMENDED_SPEED;
                    o.recommended_speed_mps = v;
                }
            }
        }
        DayIIService::Intention => {
            o.kind = CV2X_DAY2_INTENTION;
            if let Some(i) = d.requests.entries().iter().find(|i| i.sender == e.sender) {
                o.requests = n(i.requests.len());
                o.path_points = n(i.path.len());
            }
        }
        DayIIService::Parking => {
            // The sender of a PAM is its lot id (last two octets; all zero without one).
            o.kind = CV2X_DAY2_PARKING;
            o.present = 0;
            let [.., hi, lo] = e.sender;
            let id = u16::from_be_bytes([hi, lo]);
            let lot = d
                .parking
                .lot(Some(id))
                .or_else(|| (e.sender == [0; 8]).then(|| d.parking.lot(None)).flatten());
            if let Some(lot) = lot {
                if let Some(id) = lot.id {
                    o.present |= CV2X_DAY2_HAS_LOT_ID;
                    o.lot_id = u32::from(id);
                }
                let occupancy = lot.occupancy();
                o.slots_available = u32::from(occupancy.available);
                o.slots = u32::from(occupancy.total());
            }
        }
        DayIIService::Platoon => {
            o.kind = CV2X_DAY2_PLATOON;
            if let Some(r) = d.platoons.report(&e.sender) {
                o.role = role_code(r.role);
                if let Some(m) = &r.membership {
                    o.members = n(m.members.len());
                    if m.open {
                        o.flags |= CV2X_DAY2_OPEN_TO_JOIN;
                    }
                }
            }
        }
        DayIIService::Payment => {
            o.kind = CV2X_DAY2_PAYMENT;
            if e.sender == [0; 8] {
                o.present = 0;
            }
        }
        DayIIService::SensorSharing => {
            o.kind = CV2X_DAY2_SENSOR_SHARING;
            if let Some(s) = d.sharing.get(e.sender) {
                o.participants = u32::from(s.participants);
                o.obstacles = u32::from(s.obstacles);
                o.events = u32::from(s.events);
            }
        }
        // non_exhaustive: a service added to the core after this table
        _ => o.kind = CV2X_DAY2_OTHER,
    }
    o
}

/// A warning in C form; `frame` places its target in WGS-84.
pub(crate) fn warning_of(id: u32, change: u32, w: &Warning, frame: &EnuFrame) -> cv2x_warning {
    let mut o = cv2x_warning {
        id,
        change,
        app: app_code(w.app),
        level: level_code(w.level),
        time: w.time.as_micros(),
        ..cv2x_warning::default()
    };
    match w.target {
        Target::Object { track_id, .. } => {
            o.target = CV2X_TARGET_OBJECT;
            o.track_id = track_id;
        }
        Target::Place { place_id, .. } => {
            o.target = CV2X_TARGET_PLACE;
            o.place_id = place_id;
        }
        Target::Ego => o.target = CV2X_TARGET_EGO,
    }
    if let Some([x, y]) = w.target.position_enu() {
        if let Ok(p) = frame.origin().offset_enu(x, y, 0.0) {
            o.present |= CV2X_WARNING_HAS_POSITION;
            o.x_m = x;
            o.y_m = y;
            o.lat_deg = p.lat_deg;
            o.lon_deg = p.lon_deg;
        }
    }
    if let Some(t) = w.ttc_s.filter(|t| t.is_finite()) {
        o.present |= CV2X_WARNING_HAS_TTC;
        o.ttc_s = t;
    }
    if let Some(d) = w.distance_m {
        o.present |= CV2X_WARNING_HAS_DISTANCE;
        o.distance_m = d;
    }
    match w.advice {
        None => {}
        Some(Advice::SpeedRange { min_kph, max_kph }) => {
            o.advice = CV2X_ADVICE_SPEED_RANGE;
            o.advice_min_kph = min_kph;
            o.advice_max_kph = max_kph;
        }
        Some(Advice::KeepSpeed) => o.advice = CV2X_ADVICE_KEEP_SPEED,
        Some(Advice::Stop) => o.advice = CV2X_ADVICE_STOP,
    }
    o
}

/// An active warning of a snapshot.
pub(crate) fn active_of(a: &ActiveWarning, frame: &EnuFrame) -> cv2x_warning {
    let mut o = warning_of(a.id, CV2X_WARNING_ACTIVE, &a.warning, frame);
    o.present |= CV2X_WARNING_HAS_RAISED_AT;
    o.raised_at = a.raised_at.as_micros();
    o
}

/// An event in C form.
pub(crate) fn event_of(e: &Event, frame: &EnuFrame, world: &World) -> cv2x_event {
    let mut o = cv2x_event::default();
    match e {
        Event::Warning {
            id,
            change,
            warning,
        } => {
            let change = match change {
                WarningChange::Raised => CV2X_WARNING_RAISED,
                WarningChange::Updated => CV2X_WARNING_UPDATED,
            };
            o.kind = CV2X_EVENT_WARNING;
            o.time = warning.time.as_micros();
            o.warning = warning_of(*id, change, warning, frame);
            if change == CV2X_WARNING_RAISED {
                o.warning.present |= CV2X_WARNING_HAS_RAISED_AT;
                o.warning.raised_at = o.time;
            }
        }
        Event::WarningCleared { id, warning, time } => {
            o.kind = CV2X_EVENT_WARNING_CLEARED;
            o.time = time.as_micros();
            o.warning = warning_of(*id, CV2X_WARNING_CLEARED, warning, frame);
        }
        Event::Objects { time, count } => {
            o.kind = CV2X_EVENT_OBJECTS;
            o.time = time.as_micros();
            o.count = *count;
        }
        Event::Dropped { time, reason } => {
            o.kind = CV2X_EVENT_DROPPED;
            o.time = time.as_micros();
            o.drop = drop_of(reason);
        }
        Event::DayII { time, event } => {
            o.kind = CV2X_EVENT_DAY2;
            o.time = time.as_micros();
            o.day2 = day2_of(event, world);
        }
        Event::Lifted { time, set, changes } => {
            o.kind = CV2X_EVENT_LIFTED;
            o.time = time.as_micros();
            o.set = std_code(*set);
            o.count = *changes;
        }
        Event::Ambiguous {
            time,
            candidates,
            chosen,
        } => {
            o.kind = CV2X_EVENT_AMBIGUOUS;
            o.time = time.as_micros();
            o.set = std_code(*chosen);
            o.sets = sets_bits(*candidates);
        }
        // non_exhaustive: an event added to the core after this table
        _ => o.kind = CV2X_EVENT_OTHER,
    }
    o
}

// ---- ingest outcome ----
/// `cv2x_ingest_outcome.message`: a remote vehicle's BSM.
pub const CV2X_INGESTED_BSM: u32 = 1;
/// `cv2x_ingest_outcome.message`: a PSM.
pub const CV2X_INGESTED_PSM: u32 = 2;
/// `cv2x_ingest_outcome.message`: an RSM (`count` participants converted).
pub const CV2X_INGESTED_RSM: u32 = 3;
/// `cv2x_ingest_outcome.message`: a sensor-sharing message (`count` objects converted).
pub const CV2X_INGESTED_SSM: u32 = 4;
/// `cv2x_ingest_outcome.message`: a MAP (`count` intersections stored).
pub const CV2X_INGESTED_MAP: u32 = 5;
/// `cv2x_ingest_outcome.message`: a SPAT (`count` intersections stored).
pub const CV2X_INGESTED_SPAT: u32 = 6;
/// `cv2x_ingest_outcome.message`: an RSI (`count` events and signs stored).
pub const CV2X_INGESTED_RSI: u32 = 7;
/// `cv2x_ingest_outcome.message`: another Day II message (`count` is its `messageId`).
pub const CV2X_INGESTED_DAY2: u32 = 8;
/// `cv2x_ingest_outcome.message`: a kind newer than this version of the ABI.
pub const CV2X_INGESTED_OTHER: u32 = 255;

/// What `cv2x_stack_ingest` did with one payload: accepted (what it was) or dropped (why).
/// Dropping is not an error of the call: the call returns `CV2X_OK` either way.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct cv2x_ingest_outcome {
    /// 1 when the message was used, 0 when dropped.
    pub accepted: u32,
    /// `CV2X_INGESTED_*` when accepted, else 0.
    pub message: u32,
    /// What the message carried (see each `CV2X_INGESTED_*`).
    pub count: u32,
    /// The AID used: the DSMP packet's, or the caller's (0 = unknown).
    pub aid: u32,
    /// `CV2X_PAYLOAD_FRAME` or `CV2X_PAYLOAD_SPDU`: how the payload was taken (after DSMP
    /// dispatch for `CV2X_PAYLOAD_DSMP`); 0 when the packet did not dispatch.
    pub payload_kind: u32,
    /// The message set the frame was read with (`CV2X_STD_*`) when accepted, else 0.
    pub message_set: u32,
    /// Why it was dropped (when `accepted` is 0).
    pub drop: cv2x_drop,
}

/// Frozen size of `cv2x_ingest_outcome`.
pub const CV2X_INGEST_OUTCOME_SIZE: usize = 32;
const _: () = assert!(std::mem::size_of::<cv2x_ingest_outcome>() == CV2X_INGEST_OUTCOME_SIZE);

/// (message, count) of an accepted message.
pub(crate) fn ingested_of(i: &Ingested) -> (u32, u32) {
    match *i {
        Ingested::Bsm => (CV2X_INGESTED_BSM, 1),
        Ingested::Psm => (CV2X_INGESTED_PSM, 1),
        Ingested::Rsm { participants } => (CV2X_INGESTED_RSM, u32::from(participants)),
        Ingested::Ssm { objects } => (CV2X_INGESTED_SSM, u32::from(objects)),
        Ingested::Map { intersections } => (CV2X_INGESTED_MAP, u32::from(intersections)),
        Ingested::Spat { intersections } => (CV2X_INGESTED_SPAT, u32::from(intersections)),
        Ingested::Rsi { items } => (CV2X_INGESTED_RSI, u32::from(items)),
        Ingested::DayII { message_id } => (CV2X_INGESTED_DAY2, u32::from(message_id)),
        // non_exhaustive: a kind added to the core after this table
        _ => (CV2X_INGESTED_OTHER, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cv2x::codec::DecodeErrorKind;
    use cv2x::stack::VerifyFailure;

    #[test]
    fn every_known_variant_has_its_own_code_and_no_fallback() {
        // every application the core knows, in declaration order, has the next code
        let apps = AppId::ALL;
        let codes: Vec<u32> = apps.iter().map(|a| app_code(*a)).collect();
        assert_eq!(codes, (1..=24).collect::<Vec<_>>());
        assert_eq!(CV2X_APPS_ALL, (1 << apps.len()) - 1);
        for e in [AdaptError::TimeUnavailable, AdaptError::PositionUnavailable] {
            assert_ne!(adapt_code(e), CV2X_ADAPT_OTHER);
        }
        for s in [
            StoreKind::Events,
            StoreKind::Observations,
            StoreKind::Warnings,
            StoreKind::Transmissions,
            StoreKind::Commands,
        ] {
            assert_ne!(store_code(s), CV2X_STORE_OTHER);
        }
        let reasons = [
            DropReason::TooLarge,
            DropReason::NoVerifier,
            DropReason::Unsigned,
            DropReason::Verify(VerifyFailure::Revoked),
            DropReason::Decode(DecodeErrorKind::TrailingBits),
            DropReason::OwnMessage,
            DropReason::Unsupported,
            DropReason::Adapt(AdaptError::TimeUnavailable),
            DropReason::Fusion(RejectReason::TooOld),
            DropReason::StoreFull(StoreKind::Events),
            DropReason::TimeWentBackwards,
            DropReason::EgoRejected,
            DropReason::TransmitFailed,
            DropReason::Retracted(VerifyFailure::BadSignature),
        ];
        let mut seen: Vec<u32> = reasons.iter().map(|r| drop_of(r).reason).collect();
        seen.sort_unstable();
        seen.dedup();
        // 14 (CV2X_DROP_NETWORK) is the C ABI's own: a DSMP packet it could not dispatch.
        assert_eq!(seen, (1..=13).chain(15..=15).collect::<Vec<_>>());
        assert_eq!(
            drop_of(&DropReason::Verify(VerifyFailure::Revoked)).detail,
            CV2X_ERR_SEC_REVOKED
        );
        assert_eq!(
            drop_of(&DropReason::Decode(DecodeErrorKind::TrailingBits)).detail,
            CV2X_ERR_CODEC_TRAILING_BITS
        );
        let ingested = [
            Ingested::Bsm,
            Ingested::Psm,
            Ingested::Rsm { participants: 3 },
            Ingested::Ssm { objects: 4 },
            Ingested::Map { intersections: 1 },
            Ingested::Spat { intersections: 2 },
            Ingested::Rsi { items: 5 },
            Ingested::DayII { message_id: 6 },
        ];
        for i in ingested {
            assert_ne!(ingested_of(&i).0, CV2X_INGESTED_OTHER, "{i:?}");
        }
    }

    #[test]
    fn set_events_carry_their_sets() {
        use cv2x::geo::Wgs84;
        use cv2x::msg::Standard;
        use cv2x::stack::Sets;
        use cv2x::time::Timestamp;
        use cv2x::world::WorldConfig;
        let frame = EnuFrame::new(Wgs84::new(31.0, 121.0, 0.0)).unwrap();
        let world = World::new(WorldConfig::default());
        let time = Timestamp::from_micros(5);
        let e = Event::Lifted {
            time,
            set: Standard::Csae53_2017,
            changes: 3,
        };
        let o = event_of(&e, &frame, &world);
        assert_eq!(
            (o.kind, o.set, o.count, o.time),
            (CV2X_EVENT_LIFTED, 2, 3, 5)
        );
        let e = Event::Ambiguous {
            time,
            candidates: Sets::only(Standard::Csae53_2017).with(Standard::Csae53_2020),
            chosen: Standard::Csae53_2020,
        };
        let o = event_of(&e, &frame, &world);
        assert_eq!((o.kind, o.set, o.sets), (CV2X_EVENT_AMBIGUOUS, 1, 0b101));
    }

    #[test]
    fn reject_codes_are_distinct() {
        use RejectReason::*;
        let all = [
            NonFinite,
            OutOfRange,
            TooOld,
            FromFuture,
            OutOfSequence,
            Superseded,
            NoEgoPose,
            QueueFull,
            EgoById,
            EgoByGate,
            TrackTableFull,
        ];
        let mut c: Vec<u32> = all.iter().map(|r| reject_code(*r)).collect();
        c.sort_unstable();
        c.dedup();
        assert_eq!(c, (1..=11).collect::<Vec<_>>());
    }
}
