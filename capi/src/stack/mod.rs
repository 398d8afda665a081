//! The stack: `cv2x_stack` over the sans-IO `cv2x::Stack` — configuration, a verifier shared
//! with the caller, ingest of frames, SPDUs and whole DSMP packets, the ego, onboard tracks,
//! poll into the caller's buffer or through a callback, snapshots (objects, warnings, lane),
//! counters and usage, and the transmit side (host vehicle, pseudonyms, messages to send).
//!
//! C-shaped forms of what does not cross as it is in Rust: the `Drain` of `Stack::poll`
//! becomes a queue the caller empties into its own array (what does not fit waits for the next
//! call); the boxed verifier becomes a handle shared with the caller; the lists of boxed
//! applications become a bitmask; results that borrow the stack become flat copies.
//!
//! One call at a time per stack (a second concurrent or re-entrant call gets
//! `CV2X_ERR_REENTRANT`); the stack may move between threads.

pub mod command;
pub mod detail;
pub mod events;
pub mod host;
pub mod input;
pub mod payment;
pub mod sets;
pub mod snapshot;

use std::collections::VecDeque;
use std::ffi::c_void;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use cv2x::apps::{self, CoopApp, ObjectApp, RoadApp};
use cv2x::geo::Wgs84;
use cv2x::host::Transmission;
use cv2x::net::dispatch::Framing;
use cv2x::net::{Dispatcher, PayloadKind};
use cv2x::stack::{
    Event, RxMeta, SpduVerifier, Stack, StackConfig, Verified, VerifyFailure, VerifyPolicy,
};
use cv2x::time::Timestamp;

use crate::boundary::{Exclusive, deref, deref_mut, ffi, free_raw, into_raw, slice, tri};
use crate::config_len;
use crate::net::{CV2X_PAYLOAD_DSMP, CV2X_PAYLOAD_FRAME, CV2X_PAYLOAD_SPDU, aid_of, class_of};
use crate::result::*;
use crate::security::{AnyVerifier, cv2x_verifier};
use events::*;

// ---------------------------------------------------------------------------------------------
// Configuration

/// `cv2x_stack_config.flags`: every payload must be a verified SPDU.
pub const CV2X_STACK_REQUIRE_SIGNATURES: u32 = 1u32 << 0;
/// `cv2x_stack_config.flags`: report drops as `CV2X_EVENT_DROPPED` events (default on).
pub const CV2X_STACK_REPORT_DROPS: u32 = 1u32 << 1;
/// `cv2x_stack_config.flags`: report a `CV2X_EVENT_OBJECTS` event each poll (default on).
pub const CV2X_STACK_REPORT_OBJECTS: u32 = 1u32 << 2;
/// `cv2x_stack_config.flags`: `CV2X_PAYLOAD_DSMP` buffers start with the one-octet
/// adaptation-layer header (else with the DSMP header).
pub const CV2X_STACK_DSMP_ADAPTATION: u32 = 1u32 << 3;
const STACK_FLAGS: u32 = (1 << 4) - 1;

/// Largest `max_tracks` a configuration may ask for (the track table is allocated up front).
pub const CV2X_MAX_TRACKS: u32 = 65_536;

/// Stack configuration. Fill it with `cv2x_stack_config_default`, then change what you need.
/// `struct_size` must be set (the default does it): the library reads only the fields that
/// fit in it and defaults the rest. Counts are 1..`CV2X_MAX_CACHE_CAPACITY` unless said.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct cv2x_stack_config {
    /// `sizeof(cv2x_stack_config)` of the caller.
    pub struct_size: u32,
    /// `CV2X_STACK_*` bits.
    pub flags: u32,
    /// Initial origin of the stack's local frame, latitude, degrees (re-anchored at the first
    /// ego state far from it; default 0).
    pub origin_lat_deg: f64,
    /// Initial origin, longitude, degrees.
    pub origin_lon_deg: f64,
    /// Initial origin, altitude, m.
    pub origin_alt_m: f64,
    /// The applications that run: bit `CV2X_APP_x - 1` each (`CV2X_APP_BIT`); default
    /// `CV2X_APPS_ALL`.
    pub apps: u32,
    /// Longer payloads are dropped, octets (default 8192).
    pub max_message_bytes: u32,
    /// Events queued between polls (default 1024; more are dropped and counted).
    pub max_events: u32,
    /// Observations taken from one message (default 512).
    pub max_observations_per_message: u32,
    /// Warnings followed at once (default 256).
    pub max_active_warnings: u32,
    /// Messages to send kept until taken (default 64; older ones are dropped and counted).
    pub max_transmissions: u32,
    /// Fusion track table size (1..`CV2X_MAX_TRACKS`, default 1024).
    pub max_tracks: u32,
    /// MAP and SPAT intersections kept (default 32).
    pub max_intersections: u32,
    /// RSI events and signs kept (default 64).
    pub max_road_info: u32,
    /// Vehicles whose reported flags are kept (default 1024).
    pub max_vehicles: u32,
    /// Day II entries kept (default 64).
    pub max_day2: u32,
    /// A SPAT older than this is stale for the applications, ms (1..600000, default 1000).
    pub spat_max_age_ms: u32,
    /// Reports older than this at fusion time are rejected, ms (1..60000, default 300).
    pub fusion_max_age_ms: u32,
    /// Reports later than the fusion time by more than this are rejected, ms (0..60000,
    /// default 50).
    pub fusion_max_future_ms: u32,
    /// Version 2. The message sets detection tries (`CV2X_SETS_*` bits, at least one;
    /// default `CV2X_SETS_ALL`).
    pub accept_sets: u32,
    /// Version 2. The set that decides an ambiguous frame, and the set of every frame no rule
    /// covers when detection is off (`CV2X_STD_*`, default `CV2X_STD_CSAE53_2020`).
    pub default_set: u32,
    /// Version 2. `CV2X_SETS_DETECT`, `CV2X_SETS_REPORT` (default both).
    pub set_flags: u32,
    /// Version 2. Room for later fields (0).
    pub reserved2: u32,
    /// Version 3. When signatures are verified: `CV2X_VERIFY_ALWAYS` (default: every secured
    /// message in full before use) or `CV2X_VERIFY_ON_DEMAND` (vehicles' BSMs and PSMs of a
    /// known signer are used after the cheap checks and their signature verified when a warning
    /// rests on them, at random samples per sender, and for a sender's first message; see
    /// docs/verify-on-demand.md). The fields below apply to `CV2X_VERIFY_ON_DEMAND` and are
    /// checked whatever the policy.
    pub verify_policy: u32,
    /// Version 3. Mean interval between two verifications of one sender's messages, ms: each
    /// interval is drawn between half and one and a half times this (1..3600000, default 1000).
    pub verify_sample_interval_ms: u32,
    /// Version 3. Senders followed (1..`CV2X_MAX_CACHE_CAPACITY`, default 512); when all hold
    /// an unverified message, a new sender's messages are verified on receipt.
    pub verify_max_senders: u32,
    /// Version 3. Longest SPDU kept for a later verification, octets (0..65535, default 1024);
    /// a longer one is verified on receipt.
    pub verify_max_kept_bytes: u32,
    /// Version 3. After a failed verification, every message of that sender is verified before
    /// use for this long, ms (0..3600000, default 10000).
    pub verify_quarantine_ms: u32,
    /// Version 3. A sender not heard from for this long is forgotten, ms (1..3600000, default
    /// 10000; the quarantine when shorter).
    pub verify_sender_max_age_ms: u32,
}

/// Frozen size of the first version of `cv2x_stack_config`.
pub const CV2X_STACK_CONFIG_SIZE_V1: usize = 88;
/// Size of the second version of `cv2x_stack_config` (message sets).
pub const CV2X_STACK_CONFIG_SIZE_V2: usize = 104;
/// Size of the third version of `cv2x_stack_config` (verify on demand).
pub const CV2X_STACK_CONFIG_SIZE_V3: usize = 128;
const _: () = assert!(std::mem::size_of::<cv2x_stack_config>() == CV2X_STACK_CONFIG_SIZE_V3);

/// `cv2x_stack_config.verify_policy`: every secured message is verified in full before
/// anything in it is used (the default).
pub const CV2X_VERIFY_ALWAYS: u32 = 1;
/// `cv2x_stack_config.verify_policy`: vehicles' self-reports are verified when they matter
/// (verify on demand).
pub const CV2X_VERIFY_ON_DEMAND: u32 = 2;
/// Longest `verify_*_ms` of `cv2x_stack_config`, ms (one hour).
const VERIFY_MAX_MS: u32 = 3_600_000;

fn u32_of(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

fn ms_u32(v: i64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

fn default_config() -> cv2x_stack_config {
    let c = StackConfig::default();
    let mut flags = 0;
    if c.require_signatures {
        flags |= CV2X_STACK_REQUIRE_SIGNATURES;
    }
    if c.report_drops {
        flags |= CV2X_STACK_REPORT_DROPS;
    }
    if c.report_objects {
        flags |= CV2X_STACK_REPORT_OBJECTS;
    }
    let m = &c.message_sets;
    let od = on_demand_defaults();
    let mut set_flags = 0;
    if m.detect {
        set_flags |= sets::CV2X_SETS_DETECT;
    }
    if m.report {
        set_flags |= sets::CV2X_SETS_REPORT;
    }
    cv2x_stack_config {
        struct_size: CV2X_STACK_CONFIG_SIZE_V3 as u32,
        flags,
        origin_lat_deg: c.origin.lat_deg,
        origin_lon_deg: c.origin.lon_deg,
        origin_alt_m: c.origin.alt_m,
        apps: CV2X_APPS_ALL,
        max_message_bytes: u32_of(c.max_message_bytes),
        max_events: u32_of(c.max_events),
        max_observations_per_message: u32_of(c.max_observations_per_message),
        max_active_warnings: u32_of(c.max_active_warnings),
        max_transmissions: u32_of(c.max_transmissions),
        max_tracks: u32_of(c.fusion.max_tracks),
        max_intersections: u32_of(c.world.max_intersections),
        max_road_info: u32_of(c.world.max_road_info),
        max_vehicles: u32_of(c.world.max_vehicles),
        max_day2: u32_of(c.world.max_day2),
        spat_max_age_ms: ms_u32(c.world.matching.spat_max_age_ms),
        fusion_max_age_ms: ms_u32(c.fusion.max_age_ms),
        fusion_max_future_ms: ms_u32(c.fusion.max_future_ms),
        accept_sets: sets::sets_bits(m.accept),
        default_set: sets::std_code(m.default),
        set_flags,
        reserved2: 0,
        verify_policy: if c.verify.is_on_demand() {
            CV2X_VERIFY_ON_DEMAND
        } else {
            CV2X_VERIFY_ALWAYS
        },
        verify_sample_interval_ms: ms_u32(od.0),
        verify_max_senders: u32_of(od.1),
        verify_max_kept_bytes: u32_of(od.2),
        verify_quarantine_ms: ms_u32(od.3),
        verify_sender_max_age_ms: ms_u32(od.4),
    }
}

/// The settings of `VerifyPolicy::OnDemand` as its defaults give them: sample interval,
/// senders, kept bytes, quarantine, sender age.
fn on_demand_defaults() -> (i64, usize, usize, i64, i64) {
    match VerifyPolicy::on_demand() {
        VerifyPolicy::OnDemand {
            sample_interval_ms,
            max_senders,
            max_kept_bytes,
            quarantine_ms,
            sender_max_age_ms,
        } => (
            sample_interval_ms,
            max_senders,
            max_kept_bytes,
            quarantine_ms,
            sender_max_age_ms,
        ),
        _ => (1000, 512, 1024, 10_000, 10_000),
    }
}

/// The verification policy of a caller's config.
fn policy_of(c: &cv2x_stack_config) -> Result<VerifyPolicy, cv2x_result> {
    let bad = CV2X_ERR_INVALID_PARAMETER;
    if !(1..=VERIFY_MAX_MS).contains(&c.verify_sample_interval_ms)
        || !(1..=crate::security::CV2X_MAX_CACHE_CAPACITY).contains(&c.verify_max_senders)
        || c.verify_max_kept_bytes > 65_535
        || c.verify_quarantine_ms > VERIFY_MAX_MS
        || !(1..=VERIFY_MAX_MS).contains(&c.verify_sender_max_age_ms)
    {
        return Err(bad);
    }
    match c.verify_policy {
        CV2X_VERIFY_ALWAYS => Ok(VerifyPolicy::Always),
        CV2X_VERIFY_ON_DEMAND => Ok(VerifyPolicy::OnDemand {
            sample_interval_ms: i64::from(c.verify_sample_interval_ms),
            max_senders: c.verify_max_senders as usize,
            max_kept_bytes: c.verify_max_kept_bytes as usize,
            quarantine_ms: i64::from(c.verify_quarantine_ms),
            sender_max_age_ms: i64::from(c.verify_sender_max_age_ms),
        }),
        _ => Err(bad),
    }
}

/// A caller's config read and checked: the core's config, the app mask and the flags the C
/// layer handles itself.
struct Parsed {
    config: StackConfig,
    apps: u32,
    adaptation: bool,
}

fn read_config(p: *const cv2x_stack_config) -> Result<Parsed, cv2x_result> {
    let mut c = default_config();
    if !p.is_null() {
        // SAFETY: non-null; `struct_size` is the first field of every version.
        let size = unsafe { p.cast::<u32>().read_unaligned() };
        let n = config_len(
            size,
            CV2X_STACK_CONFIG_SIZE_V1,
            std::mem::size_of::<cv2x_stack_config>(),
        )?;
        // SAFETY: the caller's struct has `size >= n` readable bytes; copying bytes into a
        // struct of integers and doubles makes a valid value whatever they are.
        unsafe {
            std::ptr::copy_nonoverlapping(p.cast::<u8>(), (&raw mut c).cast::<u8>(), n);
        }
    }
    let bad = CV2X_ERR_INVALID_PARAMETER;
    let count = |v: u32| -> Result<usize, cv2x_result> {
        if (1..=crate::security::CV2X_MAX_CACHE_CAPACITY).contains(&v) {
            Ok(v as usize)
        } else {
            Err(bad)
        }
    };
    if c.flags & !STACK_FLAGS != 0 || c.apps & !CV2X_APPS_ALL != 0 {
        return Err(bad);
    }
    let origin = Wgs84::new(c.origin_lat_deg, c.origin_lon_deg, c.origin_alt_m);
    if origin.validate().is_err() {
        return Err(bad);
    }
    if !(1..=CV2X_MAX_TRACKS).contains(&c.max_tracks)
        || !(1..=600_000).contains(&c.spat_max_age_ms)
        || !(1..=60_000).contains(&c.fusion_max_age_ms)
        || c.fusion_max_future_ms > 60_000
    {
        return Err(bad);
    }
    let mut config = StackConfig::default()
        .with_origin(origin)
        .with_require_signatures(c.flags & CV2X_STACK_REQUIRE_SIGNATURES != 0)
        .with_report_drops(c.flags & CV2X_STACK_REPORT_DROPS != 0)
        .with_report_objects(c.flags & CV2X_STACK_REPORT_OBJECTS != 0)
        .with_max_message_bytes(count(c.max_message_bytes)?)
        .with_max_events(count(c.max_events)?)
        .with_max_observations_per_message(count(c.max_observations_per_message)?)
        .with_max_active_warnings(count(c.max_active_warnings)?);
    config.max_transmissions = count(c.max_transmissions)?;
    config.fusion.max_tracks = c.max_tracks as usize;
    config.fusion.max_age_ms = i64::from(c.fusion_max_age_ms);
    config.fusion.max_future_ms = i64::from(c.fusion_max_future_ms);
    config.world.max_intersections = count(c.max_intersections)?;
    config.world.max_road_info = count(c.max_road_info)?;
    config.world.max_vehicles = count(c.max_vehicles)?;
    config.world.max_day2 = count(c.max_day2)?;
    config.world.matching.spat_max_age_ms = i64::from(c.spat_max_age_ms);
    if c.set_flags & !sets::SET_FLAGS != 0 {
        return Err(bad);
    }
    config.message_sets.accept = sets::sets_of(c.accept_sets)?;
    config.message_sets.default = crate::codec::standard(c.default_set)?;
    config.message_sets.detect = c.set_flags & sets::CV2X_SETS_DETECT != 0;
    config.message_sets.report = c.set_flags & sets::CV2X_SETS_REPORT != 0;
    config.verify = policy_of(&c)?;
    Ok(Parsed {
        config,
        apps: c.apps,
        adaptation: c.flags & CV2X_STACK_DSMP_ADAPTATION != 0,
    })
}

/// Writes the default stack config to `*out` (`struct_size` included). Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_config_default(out: *mut cv2x_stack_config) -> cv2x_result {
    ffi!({
        *deref_mut!(out) = default_config();
        CV2X_OK
    })
}

// ---------------------------------------------------------------------------------------------
// The handle

/// The stack's verifier: the caller's `cv2x_verifier`, shared. A callback-backend failure or
/// a poisoned verifier is kept in `failure` so that the call returns its code.
struct SharedVerifier {
    inner: Arc<Exclusive<AnyVerifier>>,
    failure: Arc<AtomicU32>,
}

impl SharedVerifier {
    fn fail(&self, code: cv2x_result) -> VerifyFailure {
        self.failure.store(code, Ordering::Relaxed);
        VerifyFailure::Other(u16::try_from(code).unwrap_or(u16::MAX))
    }
}

impl SharedVerifier {
    /// Runs `f` on the caller's verifier; a poisoned or busy verifier, or a failure of its
    /// crypto backend during `f`, is the caller's error code (kept in `failure`).
    fn with<T>(
        &self,
        f: impl FnOnce(&mut dyn SpduVerifier) -> Result<T, VerifyFailure>,
    ) -> Result<T, VerifyFailure> {
        // The export checked with `enter` that this thread does not hold the verifier.
        let mut g = match self.inner.enter_waiting() {
            Ok(g) => g,
            Err(code) => return Err(self.fail(code)),
        };
        match &mut *g {
            AnyVerifier::Software(v) => f(v),
            AnyVerifier::Callback(v) => {
                v.backend().take_failure();
                let r = f(&mut *v);
                match v.backend().take_failure() {
                    Some(code) => Err(self.fail(code)),
                    None => r,
                }
            }
        }
    }
}

impl SpduVerifier for SharedVerifier {
    fn verify<'a>(
        &mut self,
        spdu: &'a [u8],
        now: Timestamp,
    ) -> Result<Verified<'a>, VerifyFailure> {
        self.with(|v| v.verify(spdu, now))
    }

    fn check<'a>(&mut self, spdu: &'a [u8], now: Timestamp) -> Result<Verified<'a>, VerifyFailure> {
        self.with(|v| v.check(spdu, now))
    }

    fn verify_signature(&mut self, spdu: &[u8], received: Timestamp) -> Result<(), VerifyFailure> {
        self.with(|v| v.verify_signature(spdu, received))
    }
}

/// The state behind a `cv2x_stack`.
pub(crate) struct State {
    pub(crate) stack: Stack,
    dispatcher: Dispatcher,
    /// Events converted and waiting for the caller.
    events: VecDeque<cv2x_event>,
    max_events: usize,
    /// Events dropped because `events` was full.
    pub(crate) events_dropped: u64,
    /// Scratch for one poll's core events (reused: a poll in steady state does not allocate).
    scratch: Vec<Event>,
    /// Messages taken from the stack and not yet handed to the caller.
    pub(crate) pending: VecDeque<Transmission>,
    verifier: Option<Arc<Exclusive<AnyVerifier>>>,
    verify_failure: Arc<AtomicU32>,
    /// Verifying on demand: polls may verify with `verifier`.
    on_demand: bool,
}

impl State {
    /// Queues `e`, or counts it as dropped when the queue is full.
    fn push(&mut self, e: cv2x_event) {
        if self.events.len() >= self.max_events {
            self.events_dropped += 1;
        } else {
            self.events.push_back(e);
        }
    }

    /// Messages waiting to be sent (taken or not yet taken from the stack).
    pub(crate) fn waiting(&self) -> usize {
        self.pending.len() + self.stack.usage().transmissions
    }
}

/// The on-board stack (opaque): ingest received messages, give it the ego's state and onboard
/// tracks, poll it at the application rate for events (warnings raised / updated / cleared,
/// objects, drops, Day II), and take the messages it has to send.
///
/// One call at a time: a second call while one runs (from a poll, verifier or signing
/// callback, or from another thread) returns `CV2X_ERR_REENTRANT`, never a data race. It may
/// move between threads. Owned by the caller, freed with `cv2x_stack_free`.
pub struct cv2x_stack {
    pub(crate) inner: Exclusive<State>,
}

/// An application's code and how to make it.
type AppEntry<T> = (u32, fn() -> Box<T>);
/// The object, road and cooperative applications of a mask.
type Apps = (
    Vec<Box<dyn ObjectApp>>,
    Vec<Box<dyn RoadApp>>,
    Vec<Box<dyn CoopApp>>,
);

/// The applications of `table` whose bit is set in `mask`.
fn pick<T: ?Sized>(mask: u32, table: &[AppEntry<T>]) -> Vec<Box<T>> {
    table
        .iter()
        .filter(|(code, _)| mask & (1 << (code - 1)) != 0)
        .map(|(_, make)| make())
        .collect()
}

/// Builds the applications of `mask` (object and road applications).
fn apps_of(mask: u32) -> Apps {
    let objects: [AppEntry<dyn ObjectApp>; 12] = [
        (CV2X_APP_FCW, || Box::new(apps::fcw::Fcw::default())),
        (CV2X_APP_ICW, || Box::new(apps::icw::Icw::default())),
        (CV2X_APP_LTA, || Box::new(apps::lta::Lta::default())),
        (CV2X_APP_BSW, || Box::new(apps::bsw::Bsw::default())),
        (CV2X_APP_LCW, || Box::new(apps::bsw::Lcw::default())),
        (CV2X_APP_DNPW, || Box::new(apps::dnpw::Dnpw::default())),
        (CV2X_APP_EBW, || Box::new(apps::ebw::Ebw::default())),
        (CV2X_APP_AVW, || Box::new(apps::avw::Avw::default())),
        (CV2X_APP_CLW, || Box::new(apps::clw::Clw::default())),
        (CV2X_APP_VRUCW, || Box::new(apps::vrucw::Vrucw::default())),
        (CV2X_APP_TJW, || Box::new(apps::tjw::Tjw::default())),
        (CV2X_APP_EVW, || Box::new(apps::evw::Evw::default())),
    ];
    let roads: [AppEntry<dyn RoadApp>; 5] = [
        (CV2X_APP_RLVW, || Box::new(apps::rlvw::Rlvw::default())),
        (CV2X_APP_GLOSA, || Box::new(apps::glosa::Glosa::default())),
        (CV2X_APP_SLW, || Box::new(apps::slw::Slw::default())),
        (CV2X_APP_IVS, || Box::new(apps::ivs::Ivs::default())),
        (CV2X_APP_HLW, || Box::new(apps::hlw::Hlw::default())),
    ];
    let coops: [AppEntry<dyn CoopApp>; 7] = [
        (CV2X_APP_MERGE, || Box::new(apps::merge::Merge::default())),
        (CV2X_APP_CLEAR_THE_WAY, || {
            Box::new(apps::priority::ClearTheWay::default())
        }),
        (CV2X_APP_SIGNAL_PRIORITY, || {
            Box::new(apps::priority::SignalPriority::default())
        }),
        (CV2X_APP_PARKING, || {
            Box::new(apps::parking::Parking::default())
        }),
        (CV2X_APP_PLATOON, || {
            Box::new(apps::platoon::Platoon::default())
        }),
        (CV2X_APP_VNFP, || Box::new(apps::vnfp::Vnfp::default())),
        (CV2X_APP_CEB, || Box::new(apps::ceb::Ceb::default())),
    ];
    (pick(mask, &objects), pick(mask, &roads), pick(mask, &coops))
}

/// Runs the applications of `mask` on `stack`.
fn set_apps(stack: &mut Stack, mask: u32) {
    let (objects, roads, coops) = apps_of(mask);
    stack.set_object_apps(objects);
    stack.set_road_apps(roads);
    stack.set_coop_apps(coops);
}

/// Makes the state of a stack of config `c` (NULL: the defaults) with the message-set rules
/// `rules`.
fn make_stack(
    c: *const cv2x_stack_config,
    rules: &[sets::cv2x_set_rule],
) -> Result<cv2x_stack, cv2x_result> {
    let mut p = read_config(c)?;
    for r in rules {
        p.config.message_sets.rules.push(sets::rule_of(r)?);
    }
    let max_events = p.config.max_events;
    let on_demand = p.config.verify.is_on_demand();
    let Ok(mut stack) = Stack::new(p.config) else {
        return Err(CV2X_ERR_INVALID_PARAMETER);
    };
    set_apps(&mut stack, p.apps);
    let mut dispatcher = Dispatcher::new();
    if p.adaptation {
        dispatcher.set_framing(Framing::Adaptation);
    }
    let state = State {
        stack,
        dispatcher,
        events: VecDeque::with_capacity(max_events.min(4096)),
        max_events,
        events_dropped: 0,
        scratch: Vec::with_capacity(max_events.min(4096)),
        pending: VecDeque::new(),
        verifier: None,
        verify_failure: Arc::new(AtomicU32::new(0)),
        on_demand,
    };
    Ok(cv2x_stack {
        inner: Exclusive::new(state),
    })
}

/// Makes a stack. `c` may be NULL for the defaults; otherwise its `struct_size` must be at
/// least the first version's (`CV2X_ERR_STRUCT_SIZE`) and every field in range
/// (`CV2X_ERR_INVALID_PARAMETER`). The stack is the caller's, freed with `cv2x_stack_free`.
/// Thread-safe (it touches no other handle).
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_new(
    c: *const cv2x_stack_config,
    out: *mut *mut cv2x_stack,
) -> cv2x_result {
    ffi!({
        if out.is_null() {
            return CV2X_ERR_NULL_POINTER;
        }
        let stack = tri!(make_stack(c, &[]));
        // SAFETY: `out` checked non-null above.
        unsafe { out.write(into_raw(stack)) };
        CV2X_OK
    })
}

/// Makes a stack as `cv2x_stack_new` does, with `n` message-set rules (`rules` may be NULL
/// when `n` is 0; at most `CV2X_MAX_SET_RULES`): each names the set of the frames of an AID,
/// of a sender or of a region (`cv2x_set_rule`). A rule out of range is
/// `CV2X_ERR_INVALID_PARAMETER`. The rules are copied: the caller keeps its array. The stack
/// is the caller's, freed with `cv2x_stack_free`. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_new_with_set_rules(
    c: *const cv2x_stack_config,
    rules: *const sets::cv2x_set_rule,
    n: usize,
    out: *mut *mut cv2x_stack,
) -> cv2x_result {
    ffi!({
        if out.is_null() {
            return CV2X_ERR_NULL_POINTER;
        }
        if n > sets::CV2X_MAX_SET_RULES {
            return CV2X_ERR_INVALID_PARAMETER;
        }
        let rules: &[sets::cv2x_set_rule] = if n == 0 {
            &[]
        } else if rules.is_null() {
            return CV2X_ERR_NULL_POINTER;
        } else {
            // SAFETY: non-null; the caller guarantees `n` readable rules at `rules`.
            unsafe { std::slice::from_raw_parts(rules, n) }
        };
        let stack = tri!(make_stack(c, rules));
        // SAFETY: `out` checked non-null above.
        unsafe { out.write(into_raw(stack)) };
        CV2X_OK
    })
}

/// Frees a stack (its verifier reference, host vehicle, pseudonym keys and queued events go
/// with it; a shared verifier stays the caller's). NULL is a no-op; a poisoned stack is freed
/// too. Not while a call on it runs.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_free(s: *mut cv2x_stack) {
    ffi!({ free_raw(s) })
}

/// Sets the verifier of secured messages (replacing an earlier one). Shared: the stack keeps
/// a reference and the caller may keep using (and must still free) `v`; trust anchors,
/// certificates and CRLs added to `v` later apply to the stack too. The verifier still takes
/// one call at a time: a call on `v` while the stack verifies with it gets
/// `CV2X_ERR_REENTRANT`, and a stack call that needs `v` while another call uses it (another
/// thread, or a callback of `v` itself) gets `CV2X_ERR_REENTRANT` without taking the message.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_set_verifier(
    s: *mut cv2x_stack,
    v: *mut cv2x_verifier,
) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(s).inner.enter());
        let shared = deref!(v).inner.clone();
        drop(tri!(shared.enter()));
        let failure = g.verify_failure.clone();
        g.stack.set_verifier(Box::new(SharedVerifier {
            inner: shared.clone(),
            failure,
        }));
        g.verifier = Some(shared);
        CV2X_OK
    })
}

/// Chooses the applications that run (bit `CV2X_APP_x - 1` each, `CV2X_APP_BIT`;
/// `CV2X_APPS_ALL` for all). The applications start afresh: warnings they had raised end
/// (cleared at the next poll).
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_set_apps(s: *mut cv2x_stack, apps: u32) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(s).inner.enter());
        if apps & !CV2X_APPS_ALL != 0 {
            return CV2X_ERR_INVALID_PARAMETER;
        }
        set_apps(&mut g.stack, apps);
        CV2X_OK
    })
}

/// Maps `aid` to the message class `msg_class` (`CV2X_CLASS_*`) for `CV2X_PAYLOAD_DSMP`
/// packets (the stack starts with the Day I and Day II AIDs in use).
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_map_aid(s: *mut cv2x_stack, aid: u32, msg_class: u32) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(s).inner.enter());
        let aid = tri!(aid_of(aid));
        let class = tri!(class_of(msg_class));
        g.dispatcher.insert(aid, class);
        CV2X_OK
    })
}

/// Sets the ego's temporary id (`id8`, 8 octets; NULL for none) when it does not transmit
/// through `cv2x_stack_set_host`: its own messages and the roadside's reports carrying the id
/// are then recognised. With a host vehicle the host's (changing) id is used instead.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_set_temporary_id(s: *mut cv2x_stack, id8: *const u8) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(s).inner.enter());
        g.stack.set_temporary_id(id8_of(id8));
        CV2X_OK
    })
}

// ---------------------------------------------------------------------------------------------
// Ingest

/// The 8 octets at `p` (NULL: none). The caller of the export guarantees 8 readable octets.
pub(crate) fn id8_of(p: *const u8) -> Option<[u8; 8]> {
    if p.is_null() {
        return None;
    }
    let mut id = [0u8; 8];
    // SAFETY: non-null; the caller guarantees 8 readable octets.
    unsafe { std::ptr::copy_nonoverlapping(p, id.as_mut_ptr(), 8) };
    Some(id)
}

/// The body of `cv2x_stack_ingest` and `cv2x_stack_ingest_from`.
fn ingest(
    st: &mut State,
    bytes: &[u8],
    kind: u32,
    aid: u32,
    source: Option<[u8; 8]>,
    now: i64,
    out: *mut cv2x_ingest_outcome,
) -> cv2x_result {
    if !matches!(
        kind,
        CV2X_PAYLOAD_FRAME | CV2X_PAYLOAD_SPDU | CV2X_PAYLOAD_DSMP
    ) {
        return CV2X_ERR_INVALID_PARAMETER;
    }
    if aid != 0 {
        tri!(aid_of(aid));
    }
    let now = Timestamp::from_micros(now);
    let (payload, meta) = if kind == CV2X_PAYLOAD_DSMP {
        match st.dispatcher.dispatch(bytes) {
            Ok(d) => (
                d.payload,
                RxMeta {
                    kind: d.kind,
                    aid: Some(d.aid.0),
                    source,
                },
            ),
            Err(e) => {
                if !out.is_null() {
                    let o = cv2x_ingest_outcome {
                        drop: cv2x_drop {
                            reason: CV2X_DROP_NETWORK,
                            detail: net(&e),
                        },
                        ..cv2x_ingest_outcome::default()
                    };
                    // SAFETY: non-null; the caller guarantees a writable outcome.
                    unsafe { out.write(o) };
                }
                return CV2X_OK;
            }
        }
    } else {
        let kind = if kind == CV2X_PAYLOAD_SPDU {
            PayloadKind::Spdu
        } else {
            PayloadKind::MessageFrame
        };
        (
            bytes,
            RxMeta {
                kind,
                aid: (aid != 0).then_some(aid),
                source,
            },
        )
    };
    if meta.kind == PayloadKind::Spdu {
        if let Some(v) = &st.verifier {
            drop(tri!(v.enter()));
        }
    }
    st.verify_failure.store(0, Ordering::Relaxed);
    let r = st.stack.ingest_detailed(payload, &meta, now);
    let failure = st.verify_failure.swap(0, Ordering::Relaxed);
    if failure != 0 {
        return failure;
    }
    if !out.is_null() {
        let mut o = cv2x_ingest_outcome {
            aid: meta.aid.unwrap_or(0),
            payload_kind: match meta.kind {
                PayloadKind::MessageFrame => CV2X_PAYLOAD_FRAME,
                PayloadKind::Spdu => CV2X_PAYLOAD_SPDU,
            },
            ..cv2x_ingest_outcome::default()
        };
        match r {
            Ok(i) => {
                o.accepted = 1;
                (o.message, o.count) = ingested_of(&i.what);
                o.message_set = sets::std_code(i.set);
            }
            Err(reason) => o.drop = drop_of(&reason),
        }
        // SAFETY: non-null; the caller guarantees a writable outcome.
        unsafe { out.write(o) };
    }
    CV2X_OK
}

/// Takes one received payload at `now`: `kind` `CV2X_PAYLOAD_FRAME` (a UPER MessageFrame of
/// T/CSAE 53-2020 / T/CSAE 157-2020), `CV2X_PAYLOAD_SPDU` (a secured message, verified with the
/// stack's verifier) or `CV2X_PAYLOAD_DSMP` (a whole DSMP packet: its AID and the frame / SPDU
/// form of its data come from the packet; `aid` is then ignored). `aid` is the DSMP AID when
/// known, 0 when not. Nothing is evaluated until the next poll.
///
/// A message the stack drops is not an error: the call returns `CV2X_OK` and `out` (may be
/// NULL) says accepted or the drop reason (the drop is also counted and, with
/// `CV2X_STACK_REPORT_DROPS`, reported at the next poll). Errors: bad arguments,
/// `CV2X_ERR_REENTRANT` / `CV2X_ERR_POISONED` for the stack or its verifier (the message is
/// then not taken), `CV2X_ERR_CALLBACK` when the verifier's crypto backend failed (the message
/// is counted as dropped, `CV2X_ERR_SEC_OTHER`).
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_ingest(
    s: *mut cv2x_stack,
    payload: *const u8,
    len: usize,
    kind: u32,
    aid: u32,
    now: i64,
    out: *mut cv2x_ingest_outcome,
) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(s).inner.enter());
        let bytes = slice!(payload, len);
        ingest(&mut g, bytes, kind, aid, None, now, out)
    })
}

/// Takes one received payload as `cv2x_stack_ingest` does, with the sender as the transport
/// knows it: `source8` (8 octets, a short PC5 layer-2 id or station id right-aligned; NULL for
/// unknown), matched against the `CV2X_SET_RULE_SOURCE` rules to choose the message set of the
/// frame. The outcome's `message_set` says which set read it. Same errors, ownership and
/// thread-safety as `cv2x_stack_ingest` (one call at a time per stack; nothing of the caller's
/// buffers is kept).
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn cv2x_stack_ingest_from(
    s: *mut cv2x_stack,
    payload: *const u8,
    len: usize,
    kind: u32,
    aid: u32,
    source8: *const u8,
    now: i64,
    out: *mut cv2x_ingest_outcome,
) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(s).inner.enter());
        let bytes = slice!(payload, len);
        ingest(&mut g, bytes, kind, aid, id8_of(source8), now, out)
    })
}

// ---------------------------------------------------------------------------------------------
// Poll

/// Runs one cycle at `now` and queues its events (converted, in order). Verifying on demand,
/// the cycle may verify deferred messages: a verifier this thread holds is
/// `CV2X_ERR_REENTRANT` (no cycle run), and a failure of its crypto backend during the cycle is
/// returned after the events are queued.
fn run_cycle(st: &mut State, now: i64) -> Result<(), cv2x_result> {
    if st.on_demand {
        if let Some(v) = &st.verifier {
            drop(v.enter()?);
        }
    }
    st.verify_failure.store(0, Ordering::Relaxed);
    let before = st.stack.counters().transmitted;
    let now = Timestamp::from_micros(now);
    let mut scratch = std::mem::take(&mut st.scratch);
    scratch.clear();
    scratch.extend(st.stack.poll(now));
    let frame = *st.stack.frame();
    for e in &scratch {
        let c = event_of(e, &frame, st.stack.world());
        st.push(c);
    }
    st.scratch = scratch;
    if st.stack.counters().transmitted > before {
        let e = cv2x_event {
            kind: CV2X_EVENT_TRANSMIT,
            count: u32::try_from(st.waiting()).unwrap_or(u32::MAX),
            time: now.as_micros(),
            ..cv2x_event::default()
        };
        st.push(e);
    }
    match st.verify_failure.swap(0, Ordering::Relaxed) {
        0 => Ok(()),
        code => Err(code),
    }
}

/// Moves up to `cap` queued events to `events`.
fn drain_into(
    st: &mut State,
    events: *mut cv2x_event,
    cap: usize,
    written: *mut usize,
    remaining: *mut usize,
) -> cv2x_result {
    if written.is_null() || (events.is_null() && cap > 0) {
        return CV2X_ERR_NULL_POINTER;
    }
    let n = cap.min(st.events.len());
    for (i, e) in st.events.drain(..n).enumerate() {
        // SAFETY: `events` has `cap > i` writable elements (caller contract).
        unsafe { events.add(i).write(e) };
    }
    // SAFETY: non-null; the caller guarantees a writable size_t.
    unsafe { written.write(n) };
    if !remaining.is_null() {
        // SAFETY: non-null; the caller guarantees a writable size_t.
        unsafe { remaining.write(st.events.len()) };
    }
    CV2X_OK
}

/// Runs one application cycle at `now` (world expiry, fusion, the applications, the warnings'
/// life, the host vehicle's messages due) and moves the events — those queued since the
/// previous poll (drops, Day II), then this cycle's warning changes, the objects event and a
/// `CV2X_EVENT_TRANSMIT` when messages became due — into `events` (`cap` of them at most).
/// `*written` gets how many were written; events that did not fit stay queued for the next
/// poll or `cv2x_stack_drain`, and `*remaining` (may be NULL) says how many. `events` may be
/// NULL when `cap` is 0. A `now` before the previous poll's is a `CV2X_DROP_TIME_WENT_BACKWARDS`
/// drop, not an error.
///
/// Verifying on demand (`CV2X_VERIFY_ON_DEMAND`) the cycle verifies, with the stack's
/// verifier, the deferred messages the warnings rest on (a failure takes the sender's data back:
/// a `CV2X_DROP_RETRACTED` event): `CV2X_ERR_REENTRANT` when that verifier is in use (no cycle
/// run), `CV2X_ERR_CALLBACK` when its crypto backend failed (the cycle ran; its events stay
/// queued for the next poll or `cv2x_stack_drain`).
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_poll(
    s: *mut cv2x_stack,
    now: i64,
    events: *mut cv2x_event,
    cap: usize,
    written: *mut usize,
    remaining: *mut usize,
) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(s).inner.enter());
        if written.is_null() || (events.is_null() && cap > 0) {
            return CV2X_ERR_NULL_POINTER;
        }
        tri!(run_cycle(&mut g, now));
        drain_into(&mut g, events, cap, written, remaining)
    })
}

/// Moves queued events into `events` as `cv2x_stack_poll` does, without running a cycle.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_drain(
    s: *mut cv2x_stack,
    events: *mut cv2x_event,
    cap: usize,
    written: *mut usize,
    remaining: *mut usize,
) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(s).inner.enter());
        drain_into(&mut g, events, cap, written, remaining)
    })
}

/// Receives one event of `cv2x_stack_poll_cb`; returns 0 to go on, anything else to stop.
pub type cv2x_event_cb =
    Option<unsafe extern "C" fn(user: *mut c_void, e: *const cv2x_event) -> u32>;

/// Runs one cycle at `now` as `cv2x_stack_poll` does and hands every queued event, in order,
/// to `cb` (with `user`), synchronously on this thread, inside this call. The event pointer is
/// valid during the callback only. A non-zero return stops the delivery: the remaining events
/// stay queued and the call returns `CV2X_ERR_CALLBACK`. Calling back into this stack from
/// `cb` returns `CV2X_ERR_REENTRANT`. `cb` must return normally (no `longjmp`, no C++
/// exception). Verifying on demand, the verifier's errors are those of `cv2x_stack_poll` (no
/// event is delivered then).
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_poll_cb(
    s: *mut cv2x_stack,
    now: i64,
    cb: cv2x_event_cb,
    user: *mut c_void,
) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(s).inner.enter());
        let Some(f) = cb else {
            return CV2X_ERR_MISSING_CALLBACK;
        };
        tri!(run_cycle(&mut g, now));
        while let Some(e) = g.events.pop_front() {
            // SAFETY: a callback the caller supplied, called with a pointer to a live event
            // for the duration of the call.
            let rc = unsafe { f(user, &e) };
            if rc != 0 {
                return CV2X_ERR_CALLBACK;
            }
        }
        CV2X_OK
    })
}

#[cfg(feature = "test-panic")]
impl cv2x_stack {
    pub(crate) fn enter_for_test(&self) -> Result<std::sync::MutexGuard<'_, State>, cv2x_result> {
        self.inner.enter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_app_bits_build_the_applications_they_name() {
        let ids = |(o, r, c): &Apps| -> Vec<u32> {
            let mut v: Vec<u32> = o
                .iter()
                .map(|a| app_code(a.id()))
                .chain(r.iter().map(|a| app_code(a.id())))
                .chain(c.iter().map(|a| app_code(a.id())))
                .collect();
            v.sort_unstable();
            v
        };
        // every application once, the same ones the Rust stack runs by default
        assert_eq!(ids(&apps_of(CV2X_APPS_ALL)), (1..=24).collect::<Vec<_>>());
        assert_eq!(
            ids(&apps_of(CV2X_APPS_ALL)),
            ids(&(apps::object_apps(), apps::road_apps(), apps::coop_apps()))
        );
        for code in 1..=24u32 {
            assert_eq!(ids(&apps_of(1 << (code - 1))), vec![code]);
        }
        let (o, r, c) = apps_of(0);
        assert!(o.is_empty() && r.is_empty() && c.is_empty());
    }
}
