//! [`HostVehicle`]: vehicle states in, messages to transmit out.
use alloc::boxed::Box;
use alloc::vec::Vec;

use super::bsm::{self, BsmContent, BsmForm};
use super::path_history::{PathHistory, PathHistoryConfig, PathPoint, distance_m};
use super::prediction::{PathPredictor, PredictionConfig};
#[cfg(feature = "security")]
use super::pseudonym::PseudonymPool;
use super::pseudonym::{Identity, PseudonymPolicy, RandomSource, unit};
use super::rate::{RateConfig, RatePolicy};
use super::ssm::{self, TrackRefusal};
use super::state::{ControlState, Events, FieldSet, GnssFix, InputError, Lights, VehicleState};
use crate::codec::{EncodeError, Uper};
use crate::fusion::Observation;
use crate::geo::{Wgs84, csae_heading_deg_to_enu_yaw_rad};
use crate::math::{cos, sin};
use crate::net::Aid;
use crate::net::aid;
use crate::net::dsmp::Repr;
use crate::time::Timestamp;

/// The AIDs a BSM goes out under: by vehicle kind (ordinary or special, i.e. with an
/// emergency state) and trigger (periodic, or while an event is reported).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BsmAids {
    /// Ordinary vehicle, periodic.
    pub periodic: Aid,
    /// Ordinary vehicle, event.
    pub event: Aid,
    /// Special vehicle, periodic.
    pub special_periodic: Aid,
    /// Special vehicle, event.
    pub special_event: Aid,
}

impl Default for BsmAids {
    fn default() -> Self {
        BsmAids {
            periodic: aid::BSM_ORDINARY_PERIODIC,
            event: aid::BSM_ORDINARY_EVENT,
            special_periodic: aid::BSM_SPECIAL_PERIODIC,
            special_event: aid::BSM_SPECIAL_EVENT,
        }
    }
}

/// Sensor sharing: how often and under which AID (no Day II AID is allocated publicly;
/// deployments configure one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SsmConfig {
    /// AID of the SSM.
    pub aid: Aid,
    /// Interval between SSMs, ms.
    pub interval_ms: u32,
    /// Tracks older than this at send time are not shared, ms.
    pub max_track_age_ms: u32,
}

/// The low-speed heading latch: below `latch_below_mps` the heading sent stays the one from
/// before (a GNSS course at walking pace is noise); above `release_above_mps` it follows the
/// state again.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeadingLatch {
    /// Speed under which the heading is held, m/s.
    pub latch_below_mps: f64,
    /// Speed over which it is released, m/s.
    pub release_above_mps: f64,
}

impl Default for HeadingLatch {
    fn default() -> Self {
        HeadingLatch {
            latch_below_mps: 1.11,
            release_above_mps: 1.39,
        }
    }
}

/// Everything the host vehicle can be told.
#[derive(Debug, Clone, PartialEq)]
pub struct HostConfig {
    /// Message set of the BSM.
    pub form: BsmForm,
    /// BSM AIDs.
    pub aids: BsmAids,
    /// Transmit rate policy.
    pub rate: RateConfig,
    /// Path history.
    pub path_history: PathHistoryConfig,
    /// Path prediction.
    pub prediction: PredictionConfig,
    /// When to change pseudonym (default: never).
    pub pseudonym: PseudonymPolicy,
    /// How often a signed message carries the whole certificate instead of its digest, ms.
    pub certificate_interval_ms: u32,
    /// The newest state's fix older than this at send time counts as an outage (no BSM), ms.
    /// A newest state without a fix is an outage at once.
    pub max_fix_age_ms: u32,
    /// Derive events from the state as SAE J2945/1 does: hazard lights on, ABS, traction
    /// or stability control engaged, and hard braking (deceleration beyond
    /// [`HostConfig::hard_braking_mps2`]), in addition to those the state reports.
    pub derive_events: bool,
    /// Deceleration that is hard braking, m/s² (0.4 g).
    pub hard_braking_mps2: f64,
    /// Low-speed heading latch; `None` sends the state's heading as it is.
    pub heading_latch: Option<HeadingLatch>,
    /// Sensor sharing; `None` sends no SSM.
    pub ssm: Option<SsmConfig>,
}

impl Default for HostConfig {
    fn default() -> Self {
        HostConfig {
            form: BsmForm::default(),
            aids: BsmAids::default(),
            rate: RateConfig::default(),
            path_history: PathHistoryConfig::default(),
            prediction: PredictionConfig::default(),
            pseudonym: PseudonymPolicy::default(),
            certificate_interval_ms: 1000,
            max_fix_age_ms: 1000,
            derive_events: true,
            hard_braking_mps2: 0.4 * 9.806_65,
            heading_latch: Some(HeadingLatch::default()),
            ssm: None,
        }
    }
}

/// The kind of a transmitted message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MessageKind {
    /// BasicSafetyMessage.
    Bsm,
    /// SensorSharingMsg.
    Ssm,
    /// Vehicle intention and request (Day II VIR), queued by an application.
    Vir,
    /// Platooning management (Day II CLPMM), queued by an application.
    Clpmm,
    /// Vehicle payment (Day II VPM), queued by an application.
    Vpm,
}

impl MessageKind {
    /// `"bsm"`, `"ssm"`, `"vir"`, `"clpmm"` or `"vpm"`.
    pub const fn name(self) -> &'static str {
        match self {
            MessageKind::Bsm => "bsm",
            MessageKind::Ssm => "ssm",
            MessageKind::Vir => "vir",
            MessageKind::Clpmm => "clpmm",
            MessageKind::Vpm => "vpm",
        }
    }
}

/// An application message waiting in the host vehicle's queue ([`HostVehicle::queue_message`]).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Queued {
    kind: MessageKind,
    aid: Aid,
    uper: Vec<u8>,
    msg_cnt: u8,
    queued_at_change: u64,
}

/// One message to transmit, in every form a radio or a log may want.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transmission {
    /// When it is sent (the `poll` time; the SPDU's generation time).
    pub time: Timestamp,
    /// AID.
    pub aid: Aid,
    /// Kind.
    pub kind: MessageKind,
    /// Sent while an event is reported (a BSM under an event AID; the first one at once).
    pub event: bool,
    /// The UPER `MessageFrame`.
    pub uper: Vec<u8>,
    /// The signed SPDU, when a pseudonym pool signs.
    pub spdu: Option<Vec<u8>>,
    /// The DSMP packet (of the SPDU when signed, else of the `MessageFrame`).
    pub dsmp: Vec<u8>,
    /// Temporary id.
    pub temporary_id: [u8; 8],
    /// `msgCnt`.
    pub msg_cnt: u8,
    /// HashedId8 of the signing certificate.
    pub certificate: Option<[u8; 8]>,
    /// Whether the SPDU carries the whole certificate (else its digest).
    pub full_certificate: bool,
    /// The first message of a new pseudonym (new id, count, history and certificate).
    pub pseudonym_changed: bool,
}

/// What happened to a state handed to [`HostVehicle::update`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Accepted {
    /// Values dropped to "not available" (NaN, infinite, out of range, a fix going back in
    /// time).
    pub dropped: FieldSet,
    /// An event began with this state: a BSM is due at once.
    pub event_started: bool,
}

/// Counters since the host vehicle was created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HostCounters {
    /// States accepted.
    pub states: u64,
    /// States refused (time not increasing).
    pub states_refused: u64,
    /// Values dropped to "not available".
    pub values_dropped: u64,
    /// BSMs sent.
    pub bsm: u64,
    /// BSMs sent at once for a new event.
    pub event_bsm: u64,
    /// Extra BSMs for the J2945/1 tracking error.
    pub tracking_bsm: u64,
    /// BSMs not sent for want of a current fix (GNSS outage).
    pub no_fix: u64,
    /// SSMs sent.
    pub ssm: u64,
    /// Pseudonym changes.
    pub pseudonym_changes: u64,
    /// Changes due but not possible (no other valid certificate).
    pub changes_blocked: u64,
    /// Messages that failed to encode, sign or frame.
    pub failures: u64,
    /// Application messages sent from the queue.
    pub app_messages: u64,
    /// Application messages dropped: the queue was full, or the pseudonym changed before they
    /// went out (a message never goes out under another temporary id than the one it names).
    pub app_messages_dropped: u64,
}

/// Why the host vehicle could not produce a message.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HostError {
    /// The message did not encode (a value outside its constraint).
    #[error("encode: {0}")]
    Encode(EncodeError),
    /// Signing failed.
    #[cfg(feature = "security")]
    #[error("signing: {0}")]
    Signing(crate::security::SecurityError),
    /// No certificate of the pool is valid at the send time.
    #[error("no pseudonym certificate valid at {0:?}")]
    NoValidCertificate(Timestamp),
    /// DSMP framing failed.
    #[error("DSMP: {0}")]
    Dsmp(crate::net::Error),
    /// A channel busy ratio outside 0..=1 (or not a number).
    #[error("channel busy ratio {0} is not within 0..=1")]
    ChannelBusyRatio(f64),
    /// A configuration value that cannot work.
    #[error("configuration: {} is not usable", .0.name())]
    Config(ConfigItem),
    /// The application message queue is full.
    #[error("application message queue full")]
    QueueFull,
    /// An application message was queued before the first message chose a pseudonym: it
    /// could not name the ego's temporary id.
    #[error("no pseudonym yet")]
    NoPseudonym,
}

/// A part of [`HostConfig`] (named when its values cannot work).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConfigItem {
    /// [`RateConfig::min_interval_ms`] (at least 10) and [`RateConfig::max_interval_ms`]
    /// (not below the minimum).
    RateIntervals,
    /// [`RateConfig::density_weight`] (0..=1) and [`RateConfig::density_coefficient`] (> 0).
    RateDensity,
    /// [`RateConfig::cbr_limits`] (increasing within 0..=1) and
    /// [`RateConfig::cbr_intervals_ms`].
    RateChannelLoad,
    /// The tracking-error limits (0 ≤ min ≤ max, sensitivity ≥ 0).
    TrackingError,
    /// [`PathHistoryConfig`] (error and chord > 0, 1..=23 points, finite values).
    PathHistory,
    /// [`PredictionConfig`] (positive cut-offs and radius, ordered confidence limits).
    Prediction,
    /// [`HostConfig::hard_braking_mps2`] (> 0).
    HardBraking,
    /// [`HostConfig::heading_latch`] (0 ≤ latch ≤ release).
    HeadingLatch,
    /// [`SsmConfig::interval_ms`] (at least 10).
    Ssm,
    /// [`PseudonymPolicy::distance_m`] (finite, ≥ 0).
    Pseudonym,
}

impl ConfigItem {
    /// The item's name.
    pub const fn name(self) -> &'static str {
        match self {
            ConfigItem::RateIntervals => "rate intervals",
            ConfigItem::RateDensity => "rate density parameters",
            ConfigItem::RateChannelLoad => "rate channel-load table",
            ConfigItem::TrackingError => "tracking-error limits",
            ConfigItem::PathHistory => "path history",
            ConfigItem::Prediction => "path prediction",
            ConfigItem::HardBraking => "hard-braking threshold",
            ConfigItem::HeadingLatch => "heading latch",
            ConfigItem::Ssm => "SSM interval",
            ConfigItem::Pseudonym => "pseudonym distance",
        }
    }
}

impl HostConfig {
    /// Checks that every value can work: the first item that cannot.
    pub fn validate(&self) -> Result<(), ConfigItem> {
        let finite_pos = |v: f64| v.is_finite() && v > 0.0;
        let r = &self.rate;
        let check = |ok: bool, item: ConfigItem| if ok { Ok(()) } else { Err(item) };
        check(
            r.min_interval_ms >= 10 && r.max_interval_ms >= r.min_interval_ms,
            ConfigItem::RateIntervals,
        )?;
        check(
            (0.0..=1.0).contains(&r.density_weight) && finite_pos(r.density_coefficient),
            ConfigItem::RateDensity,
        )?;
        check(
            r.cbr_limits.iter().all(|c| (0.0..=1.0).contains(c))
                && r.cbr_limits.windows(2).all(|w| w[0] < w[1]),
            ConfigItem::RateChannelLoad,
        )?;
        check(
            r.tracking_error_min_m >= 0.0
                && r.tracking_error_max_m >= r.tracking_error_min_m
                && r.tracking_error_max_m.is_finite()
                && r.tracking_error_sensitivity >= 0.0
                && r.tracking_error_sensitivity.is_finite(),
            ConfigItem::TrackingError,
        )?;
        let ph = &self.path_history;
        check(
            finite_pos(ph.allowable_error_m)
                && ph.min_distance_m >= 0.0
                && ph.min_distance_m.is_finite()
                && finite_pos(ph.max_chord_m)
                && (1..=23).contains(&ph.max_points)
                && ph.min_spacing_m >= 0.0
                && ph.min_spacing_m.is_finite(),
            ConfigItem::PathHistory,
        )?;
        let p = &self.prediction;
        check(
            finite_pos(p.curvature_cutoff_hz)
                && finite_pos(p.confidence_cutoff_hz)
                && p.min_speed_mps >= 0.0
                && finite_pos(p.max_radius_m)
                && p.steady_yaw_accel_dps2 >= 0.0
                && p.unsteady_yaw_accel_dps2 > p.steady_yaw_accel_dps2
                && p.unsteady_yaw_accel_dps2.is_finite(),
            ConfigItem::Prediction,
        )?;
        check(finite_pos(self.hard_braking_mps2), ConfigItem::HardBraking)?;
        check(
            self.heading_latch.is_none_or(|l| {
                l.latch_below_mps >= 0.0
                    && l.release_above_mps >= l.latch_below_mps
                    && l.release_above_mps.is_finite()
            }),
            ConfigItem::HeadingLatch,
        )?;
        check(
            self.ssm.is_none_or(|s| s.interval_ms >= 10),
            ConfigItem::Ssm,
        )?;
        check(
            self.pseudonym
                .distance_m
                .is_none_or(|d| d.is_finite() && d >= 0.0),
            ConfigItem::Pseudonym,
        )
    }
}

/// What [`HostVehicle::set_onboard_tracks`] did with a track list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TracksTaken {
    /// Tracks kept for sharing.
    pub shared: usize,
    /// Tracks from another source kind.
    pub not_onboard: usize,
    /// Tracks that came over the air.
    pub echoes: usize,
    /// Tracks whose position cannot be placed, or with non-finite values.
    pub unplaceable: usize,
}

/// What the last BSM said of the vehicle's motion: what receivers extrapolate from.
#[derive(Debug, Clone, Copy)]
struct Sent {
    point: PathPoint,
    speed_mps: f64,
    heading_deg: f64,
}

/// The transmit side of the ego vehicle: fed [`VehicleState`]s, it produces the BSMs (and
/// SSMs) to transmit, sans-IO: time is an input ([`HostVehicle::poll`] at any time returns
/// what is due; [`HostVehicle::next_due`] says when to call again), and nothing here reads a
/// clock or a socket.
///
/// ```
/// use cv2x::host::{GnssFix, HostConfig, HostVehicle, SeededRandom, VehicleState};
/// use cv2x::time::Timestamp;
///
/// let mut host =
///     HostVehicle::new(HostConfig::default(), Box::new(SeededRandom::new([1; 32]))).unwrap();
/// let t0 = Timestamp::from_unix_utc_millis(1_750_000_000_000);
/// let mut sent = Vec::new();
/// for k in 0..20 {
///     let t = t0.add_millis(100 * k);
///     let state = VehicleState {
///         gnss: Some(GnssFix::new(t, 31.2, 121.5 + 2e-5 * k as f64)),
///         speed_mps: Some(2.0),
///         heading_deg: Some(90.0),
///         ..VehicleState::at(t)
///     };
///     host.update(state).unwrap();
///     while let Some(tx) = host.poll(t).unwrap() {
///         sent.push(tx);
///     }
/// }
/// assert_eq!(sent.len(), 20);
/// assert_eq!(sent[1].msg_cnt, (sent[0].msg_cnt + 1) % 128);
/// ```
pub struct HostVehicle {
    config: HostConfig,
    rng: Box<dyn RandomSource>,
    latest: Option<VehicleState>,
    last_fix_time: Option<Timestamp>,
    history: PathHistory,
    predictor: PathPredictor,
    rate: RatePolicy,
    identity: Option<Identity>,
    driven_m: f64,
    last_point: Option<PathPoint>,
    events: Events,
    event_due: Option<Timestamp>,
    extra_due: Option<Timestamp>,
    latched_heading: Option<f64>,
    latched: bool,
    last_bsm: Option<Timestamp>,
    last_sent: Option<Sent>,
    tracks: Vec<Observation>,
    last_ssm: Option<Timestamp>,
    #[cfg(feature = "security")]
    pool: Option<PseudonymPool>,
    #[cfg(feature = "security")]
    credential: Option<usize>,
    last_certificate: Option<Timestamp>,
    certificate_requested: bool,
    queue: Vec<Queued>,
    /// Counts the pseudonyms taken (every change of identity).
    generation: u64,
    counters: HostCounters,
}

impl core::fmt::Debug for HostVehicle {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HostVehicle")
            .field("config", &self.config)
            .field("counters", &self.counters)
            .finish_non_exhaustive()
    }
}

/// A signed message: the SPDU, the certificate's HashedId8, whether the whole certificate
/// went with it.
#[cfg(feature = "security")]
type Signed = (Vec<u8>, [u8; 8], bool);

/// A message built, before signing and framing.
struct Built {
    kind: MessageKind,
    aid: Aid,
    event: bool,
    uper: Vec<u8>,
    msg_cnt: u8,
    changed: bool,
}

impl HostVehicle {
    /// A host vehicle with its configuration and its source of randomness; a configuration
    /// that could not work (see [`HostConfig::validate`]) is refused.
    pub fn new(config: HostConfig, rng: Box<dyn RandomSource>) -> Result<Self, HostError> {
        config.validate().map_err(HostError::Config)?;
        Ok(HostVehicle {
            history: PathHistory::new(config.path_history),
            predictor: PathPredictor::new(config.prediction),
            rate: RatePolicy::new(config.rate),
            config,
            rng,
            latest: None,
            last_fix_time: None,
            identity: None,
            driven_m: 0.0,
            last_point: None,
            events: Events::NONE,
            event_due: None,
            extra_due: None,
            latched_heading: None,
            latched: false,
            last_bsm: None,
            last_sent: None,
            tracks: Vec::new(),
            last_ssm: None,
            #[cfg(feature = "security")]
            pool: None,
            #[cfg(feature = "security")]
            credential: None,
            last_certificate: None,
            certificate_requested: false,
            queue: Vec::with_capacity(Self::QUEUE_CAPACITY),
            generation: 0,
            counters: HostCounters::default(),
        })
    }

    /// Most application messages waiting at once.
    pub const QUEUE_CAPACITY: usize = 16;

    /// Queues an application message (a UPER `MessageFrame` the caller built with this
    /// vehicle's [`HostVehicle::temporary_id`]): the next [`HostVehicle::poll`] sends it, before
    /// any BSM or SSM due, signed with the current pseudonym when a pool signs and framed in
    /// DSMP under `aid`, as a [`Transmission`] of `kind` with `msg_cnt` (the counter the message
    /// carries). Messages go out in the order queued. A message still queued when the
    /// pseudonym changes is dropped (it names the old temporary id) and counted
    /// ([`HostCounters::app_messages_dropped`]). Refused when no message has chosen a pseudonym
    /// yet ([`HostError::NoPseudonym`]) or [`Self::QUEUE_CAPACITY`] messages wait
    /// ([`HostError::QueueFull`]).
    pub fn queue_message(
        &mut self,
        kind: MessageKind,
        aid: Aid,
        uper: Vec<u8>,
        msg_cnt: u8,
    ) -> Result<(), HostError> {
        if self.identity.is_none() {
            self.counters.app_messages_dropped += 1;
            return Err(HostError::NoPseudonym);
        }
        if self.queue.len() >= Self::QUEUE_CAPACITY {
            self.counters.app_messages_dropped += 1;
            return Err(HostError::QueueFull);
        }
        self.queue.push(Queued {
            kind,
            aid,
            uper,
            msg_cnt,
            queued_at_change: self.generation,
        });
        Ok(())
    }

    /// Application messages waiting to be sent.
    pub fn queued_messages(&self) -> usize {
        self.queue.len()
    }

    /// Signs every message with the pool's certificates (changing them with the pseudonym).
    #[cfg(feature = "security")]
    pub fn set_pseudonym_pool(&mut self, pool: PseudonymPool) {
        self.pool = Some(pool);
        self.credential = None;
        // The next message starts a fresh pseudonym under a certificate of the pool.
        self.identity = None;
        self.generation += 1;
    }

    /// The configuration.
    pub fn config(&self) -> &HostConfig {
        &self.config
    }

    /// The counters.
    pub fn counters(&self) -> HostCounters {
        self.counters
    }

    /// The newest state accepted (with bad values dropped).
    pub fn state(&self) -> Option<&VehicleState> {
        self.latest.as_ref()
    }

    /// The temporary id in use (`None` before the first message).
    pub fn temporary_id(&self) -> Option<[u8; 8]> {
        self.identity.map(|i| i.id)
    }

    /// The events reported now (the state's and the derived ones).
    pub fn events(&self) -> Events {
        self.events
    }

    /// The rate policy (its density, DCC state and interval).
    pub fn rate(&self) -> &RatePolicy {
        &self.rate
    }

    /// Takes a vehicle state. Bad values become "not available" (listed in the answer); a
    /// state not later than the previous one is refused.
    pub fn update(&mut self, state: VehicleState) -> Result<Accepted, InputError> {
        if let Some(prev) = self.latest.as_ref().map(|s| s.time) {
            if state.time <= prev {
                self.counters.states_refused += 1;
                return Err(InputError::TimeNotIncreasing {
                    previous: prev,
                    given: state.time,
                });
            }
        }
        let (mut state, mut dropped) = state.sanitized();
        if let (Some(g), Some(last)) = (&state.gnss, self.last_fix_time) {
            if g.time < last {
                state.clear(super::state::Field::FixTime);
                dropped.insert(super::state::Field::FixTime);
            }
        }
        self.counters.states += 1;
        self.counters.values_dropped += dropped.iter().count() as u64;
        if let Some(fix) = state.position_fix().copied() {
            if self.last_fix_time.is_none_or(|t| fix.time > t) {
                let p = PathPoint {
                    time: fix.time,
                    lat_deg: fix.lat_deg,
                    lon_deg: fix.lon_deg,
                    elevation_m: fix.elevation_m,
                };
                if let Some(last) = self.last_point {
                    self.driven_m += distance_m(&last, &p);
                }
                self.last_point = Some(p);
                self.history.push(p);
                self.last_fix_time = Some(fix.time);
            }
        }
        if let (Some(v), Some(w)) = (state.speed_mps, state.yaw_rate_dps) {
            self.predictor.push(state.time, v, w);
        }
        self.update_heading_latch(&state);
        let events = self.derive_events(&state);
        let started = events.bits() & !self.events.bits() != 0;
        if started && self.event_due.is_none() {
            self.event_due = Some(state.time);
        }
        self.events = events;
        self.check_tracking_error(&state);
        self.latest = Some(state);
        Ok(Accepted {
            dropped,
            event_started: started,
        })
    }

    fn derive_events(&self, s: &VehicleState) -> Events {
        let mut e = s.events;
        if self.config.derive_events {
            let engaged = |c: Option<ControlState>| c == Some(ControlState::Engaged);
            if s.lights.is_some_and(|l| l.contains(Lights::HAZARD)) {
                e.set(Events::HAZARD_LIGHTS, true);
            }
            if engaged(s.brakes.abs) {
                e.set(Events::ABS_ACTIVATED, true);
            }
            if engaged(s.brakes.traction) {
                e.set(Events::TRACTION_CONTROL_LOSS, true);
            }
            if engaged(s.brakes.stability) {
                e.set(Events::STABILITY_CONTROL_ACTIVATED, true);
            }
            if s.accel_long_mps2
                .is_some_and(|a| a <= -self.config.hard_braking_mps2)
            {
                e.set(Events::HARD_BRAKING, true);
            }
        }
        e
    }

    fn update_heading_latch(&mut self, s: &VehicleState) {
        let Some(latch) = self.config.heading_latch else {
            self.latched = false;
            self.latched_heading = s.heading_deg;
            return;
        };
        match s.speed_mps {
            Some(v) if v < latch.latch_below_mps && self.latched_heading.is_some() => {
                self.latched = true;
            }
            Some(v) if v > latch.release_above_mps => self.latched = false,
            _ => {}
        }
        if !self.latched {
            self.latched_heading = s.heading_deg;
        }
    }

    /// The heading to send.
    fn heading(&self) -> Option<f64> {
        if self.latched {
            self.latched_heading
        } else {
            self.latest.as_ref().and_then(|s| s.heading_deg)
        }
    }

    /// SAE J2945/1 vehicle dynamics: when the position receivers extrapolate from the last
    /// BSM (constant speed and heading) is off by more than the tracking-error limits, a BSM
    /// is due before the rate policy's interval ends.
    fn check_tracking_error(&mut self, s: &VehicleState) {
        let (Some(sent), Some(fix)) = (self.last_sent, s.position_fix()) else {
            return;
        };
        let dt = fix.time.seconds_since(sent.point.time);
        if dt <= 0.0 || self.rate.interval_ms() <= self.config.rate.min_interval_ms {
            return;
        }
        let yaw = csae_heading_deg_to_enu_yaw_rad(sent.heading_deg);
        let d = sent.speed_mps * dt;
        let origin = Wgs84::new(sent.point.lat_deg, sent.point.lon_deg, 0.0);
        let Ok(expected) = origin.offset_enu(d * cos(yaw), d * sin(yaw), 0.0) else {
            return;
        };
        let error = distance_m(
            &PathPoint {
                lat_deg: expected.lat_deg,
                lon_deg: expected.lon_deg,
                ..sent.point
            },
            &PathPoint {
                time: fix.time,
                lat_deg: fix.lat_deg,
                lon_deg: fix.lon_deg,
                elevation_m: None,
            },
        );
        let p = self.rate.extra_message_probability(error);
        if p > 0.0 && self.extra_due.is_none() && unit(self.rng.as_mut()) < p {
            let earliest = self
                .last_bsm
                .map(|t| t.add_millis(i64::from(self.config.rate.min_interval_ms)));
            self.extra_due = Some(earliest.map_or(s.time, |e| e.max(s.time)));
        }
    }

    /// Takes a channel busy ratio measurement (0..=1) for the rate policy.
    pub fn set_channel_busy_ratio(&mut self, cbr: f64) -> Result<(), HostError> {
        if !(0.0..=1.0).contains(&cbr) {
            return Err(HostError::ChannelBusyRatio(cbr));
        }
        self.rate.set_cbr(cbr);
        Ok(())
    }

    /// Takes a vehicle density measurement: vehicles heard within 100 m.
    pub fn set_vehicle_density(&mut self, vehicles: u32) {
        self.rate.set_density(vehicles);
    }

    /// A received SPDU asked for certificates by HashedId3 (a peer-to-peer certificate
    /// distribution request): when one is ours, the next message carries the whole
    /// certificate. Returns whether ours was asked for.
    pub fn certificate_requested(&mut self, ids: &[[u8; 3]]) -> bool {
        #[cfg(feature = "security")]
        if let Some(c) = self.current_credential() {
            let ours = c.signer().id3();
            if ids.contains(&ours) {
                self.certificate_requested = true;
                return true;
            }
        }
        let _ = ids;
        false
    }

    #[cfg(feature = "security")]
    fn current_credential(&self) -> Option<&super::pseudonym::Credential> {
        self.pool.as_ref()?.get(self.credential?)
    }

    /// Replaces the onboard track list to share (a snapshot from the ego's perception). Only
    /// tracks of the ego's own sensors are kept (see [`super::ssm`]).
    pub fn set_onboard_tracks(&mut self, tracks: &[Observation]) -> TracksTaken {
        let mut taken = TracksTaken::default();
        self.tracks.clear();
        for t in tracks {
            match ssm::admit(t) {
                Ok(()) if self.tracks.len() < ssm::MAX_PARTICIPANTS => {
                    self.tracks.push(*t);
                    taken.shared += 1;
                }
                Ok(()) => taken.unplaceable += 1,
                Err(TrackRefusal::NotOnboard) => taken.not_onboard += 1,
                Err(TrackRefusal::Echo) => taken.echoes += 1,
                Err(TrackRefusal::Unplaceable | TrackRefusal::NonFinite) => taken.unplaceable += 1,
            }
        }
        taken
    }

    fn next_bsm_due(&self) -> Option<Timestamp> {
        let state = self.latest.as_ref()?;
        let periodic = match self.last_bsm {
            None => state.time,
            Some(t) => {
                // While an event is reported the baseline rate holds, congestion or not.
                let ms = if self.events.is_empty() {
                    self.rate.interval_ms()
                } else {
                    self.config.rate.min_interval_ms
                };
                t.add_millis(i64::from(ms))
            }
        };
        [Some(periodic), self.event_due, self.extra_due]
            .into_iter()
            .flatten()
            .min()
    }

    fn next_ssm_due(&self) -> Option<Timestamp> {
        let cfg = self.config.ssm?;
        if self.tracks.is_empty() {
            return None;
        }
        let newest = self.tracks.iter().map(|t| t.time).max()?;
        Some(match self.last_ssm {
            None => newest,
            Some(t) => t.add_millis(i64::from(cfg.interval_ms)).max(newest),
        })
    }

    /// When [`HostVehicle::poll`] has something to send next (`None`: nothing until the next
    /// state or track list).
    pub fn next_due(&self) -> Option<Timestamp> {
        let queued = (!self.queue.is_empty()).then(|| self.latest.as_ref().map(|s| s.time));
        [self.next_bsm_due(), self.next_ssm_due(), queued.flatten()]
            .into_iter()
            .flatten()
            .min()
    }

    /// The next message due at `now`, or `None`. Call until `None` (several may be due).
    /// Queued application messages ([`HostVehicle::queue_message`]) go first. A BSM due
    /// without a current fix (a GNSS outage) is not sent: it is counted
    /// ([`HostCounters::no_fix`]) and the schedule moves on.
    pub fn poll(&mut self, now: Timestamp) -> Result<Option<Transmission>, HostError> {
        while !self.queue.is_empty() {
            let q = self.queue.remove(0);
            if q.queued_at_change != self.generation {
                self.counters.app_messages_dropped += 1;
                continue;
            }
            self.counters.app_messages += 1;
            let built = Built {
                kind: q.kind,
                aid: q.aid,
                event: false,
                uper: q.uper,
                msg_cnt: q.msg_cnt,
                changed: false,
            };
            return self.finish(now, built).map(Some);
        }
        if self.next_bsm_due().is_some_and(|d| d <= now) {
            if let Some(tx) = self.send_bsm(now)? {
                return Ok(Some(tx));
            }
        }
        if self.next_ssm_due().is_some_and(|d| d <= now) {
            return self.send_ssm(now);
        }
        Ok(None)
    }

    /// The current fix, if usable at `now`.
    fn current_fix(&self, now: Timestamp) -> Option<GnssFix> {
        let fix = *self.latest.as_ref()?.position_fix()?;
        let age_us = now.micros_since(fix.time);
        (age_us <= i64::from(self.config.max_fix_age_ms) * 1000).then_some(fix)
    }

    fn send_bsm(&mut self, now: Timestamp) -> Result<Option<Transmission>, HostError> {
        let immediate = self.event_due.is_some_and(|d| d <= now);
        let extra = self.extra_due.is_some_and(|d| d <= now);
        // Whatever happens, this slot is used: the schedule moves on.
        self.last_bsm = Some(now);
        self.event_due = None;
        self.extra_due = None;
        let Some(fix) = self.current_fix(now) else {
            self.counters.no_fix += 1;
            return Ok(None);
        };
        let changed = self.prepare_pseudonym(now, &fix)?;
        let Some(state) = self.latest.as_ref() else {
            return Ok(None);
        };
        let Some(identity) = self.identity.as_mut() else {
            return Ok(None);
        };
        let msg_cnt = identity.next_bsm();
        let max_age_us = i64::from(self.config.max_fix_age_ms) * 1000;
        let crumbs: Vec<PathPoint> = self.history.points_before(fix.time).copied().collect();
        let heading = if self.latched {
            self.latched_heading
        } else {
            state.heading_deg
        };
        let content = BsmContent {
            state,
            fix: &fix,
            msg_cnt,
            id: identity.id,
            heading_deg: heading,
            events: self.events,
            crumbs: &crumbs,
            // no prediction from a yaw rate older than the fix age limit
            prediction: self
                .predictor
                .last_time()
                .filter(|t| now.micros_since(*t) <= max_age_us)
                .and_then(|_| self.predictor.prediction()),
        };
        let uper = bsm::encode(self.config.form, &content).map_err(|e| {
            self.counters.failures += 1;
            HostError::Encode(e)
        })?;
        let event = !self.events.is_empty();
        let special = state.emergency.is_some();
        let aids = self.config.aids;
        let aid = match (special, event) {
            (false, false) => aids.periodic,
            (false, true) => aids.event,
            (true, false) => aids.special_periodic,
            (true, true) => aids.special_event,
        };
        self.last_sent = Some(Sent {
            point: PathPoint {
                time: fix.time,
                lat_deg: fix.lat_deg,
                lon_deg: fix.lon_deg,
                elevation_m: None,
            },
            speed_mps: state.speed_mps.unwrap_or(0.0),
            heading_deg: self.heading().unwrap_or(0.0),
        });
        self.counters.bsm += 1;
        if immediate {
            self.counters.event_bsm += 1;
        } else if extra {
            self.counters.tracking_bsm += 1;
        }
        let built = Built {
            kind: MessageKind::Bsm,
            aid,
            event,
            uper,
            msg_cnt,
            changed,
        };
        self.finish(now, built).map(Some)
    }

    fn send_ssm(&mut self, now: Timestamp) -> Result<Option<Transmission>, HostError> {
        let Some(cfg) = self.config.ssm else {
            return Ok(None);
        };
        self.last_ssm = Some(now);
        let max_age_us = i64::from(cfg.max_track_age_ms) * 1000;
        let fresh: Vec<Observation> = self
            .tracks
            .iter()
            .filter(|t| {
                let age = now.micros_since(t.time);
                (0..=max_age_us).contains(&age)
            })
            .copied()
            .collect();
        let Some(fix) = self.current_fix(now) else {
            self.counters.no_fix += 1;
            return Ok(None);
        };
        // The SSM speaks under the BSM's pseudonym; before the first BSM there is none.
        let (Some(state), Some(identity)) = (self.latest.as_ref(), self.identity.as_mut()) else {
            return Ok(None);
        };
        let msg_cnt = identity.ssm_count;
        let Some(frame) = ssm::ssm(&fresh, state, &fix, msg_cnt, identity.id, now) else {
            return Ok(None);
        };
        identity.next_ssm();
        let uper = frame.encode().map_err(|e| {
            self.counters.failures += 1;
            HostError::Encode(e)
        })?;
        self.counters.ssm += 1;
        let built = Built {
            kind: MessageKind::Ssm,
            aid: cfg.aid,
            event: false,
            uper,
            msg_cnt,
            changed: false,
        };
        self.finish(now, built).map(Some)
    }

    /// Starts the first pseudonym, or changes it when the policy says so (never while an
    /// event is reported, and only with another valid certificate at hand). Returns whether
    /// this message starts a new pseudonym.
    fn prepare_pseudonym(&mut self, now: Timestamp, fix: &GnssFix) -> Result<bool, HostError> {
        #[cfg(feature = "security")]
        let expired = self.pool.is_some()
            && self
                .current_credential()
                .is_none_or(|c| !c.validity().contains(now));
        #[cfg(not(feature = "security"))]
        let expired = false;
        let due = match self.identity {
            None => true,
            Some(id) => {
                expired
                    || (self.events.is_empty()
                        && self.config.pseudonym.due(
                            u64::try_from(now.micros_since(id.since) / 1000).unwrap_or(0),
                            self.driven_m,
                        ))
            }
        };
        if !due {
            return Ok(false);
        }
        #[cfg(feature = "security")]
        if let Some(pool) = &self.pool {
            match pool.pick(now, self.credential, self.rng.as_mut()) {
                Some(i) => self.credential = Some(i),
                None if expired || self.identity.is_none() => {
                    self.counters.failures += 1;
                    return Err(HostError::NoValidCertificate(now));
                }
                None => {
                    // No other certificate: keep the whole pseudonym rather than change a part.
                    self.counters.changes_blocked += 1;
                    return Ok(false);
                }
            }
        }
        let first = self.identity.is_none();
        self.identity = Some(Identity::random(self.rng.as_mut(), now));
        self.generation += 1;
        self.driven_m = 0.0;
        self.last_certificate = None;
        self.certificate_requested = false;
        // The new pseudonym's history starts here; nothing older goes out under it.
        self.history.clear();
        self.history.push(PathPoint {
            time: fix.time,
            lat_deg: fix.lat_deg,
            lon_deg: fix.lon_deg,
            elevation_m: fix.elevation_m,
        });
        if !first {
            self.counters.pseudonym_changes += 1;
        }
        Ok(true)
    }

    /// Signs (with a pool) and frames a built message.
    fn finish(&mut self, now: Timestamp, b: Built) -> Result<Transmission, HostError> {
        let temporary_id = self.identity.map_or([0; 8], |i| i.id);
        #[cfg(feature = "security")]
        let (spdu, certificate, full) = match self.sign(now, &b)? {
            Some((spdu, id8, full)) => (Some(spdu), Some(id8), full),
            None => (None, None, false),
        };
        #[cfg(not(feature = "security"))]
        let (spdu, certificate, full): (Option<Vec<u8>>, Option<[u8; 8]>, bool) =
            (None, None, false);
        let dsmp = Repr::new(b.aid, spdu.as_deref().unwrap_or(&b.uper))
            .to_vec()
            .map_err(|e| {
                self.counters.failures += 1;
                HostError::Dsmp(e)
            })?;
        Ok(Transmission {
            time: now,
            aid: b.aid,
            kind: b.kind,
            event: b.event,
            uper: b.uper,
            spdu,
            dsmp,
            temporary_id,
            msg_cnt: b.msg_cnt,
            certificate,
            full_certificate: full,
            pseudonym_changed: b.changed,
        })
    }

    /// The SPDU, the certificate's HashedId8 and whether the whole certificate went with it;
    /// `None` without a pool.
    #[cfg(feature = "security")]
    fn sign(&mut self, now: Timestamp, b: &Built) -> Result<Option<Signed>, HostError> {
        use crate::security::sign::SignerMode;
        let interval_us = i64::from(self.config.certificate_interval_ms) * 1000;
        let full = self.certificate_requested
            || self
                .last_certificate
                .is_none_or(|t| now.micros_since(t) >= interval_us);
        let (Some(pool), Some(i)) = (self.pool.as_mut(), self.credential) else {
            return Ok(None);
        };
        let Some(cred) = pool.get_mut(i) else {
            return Err(HostError::NoValidCertificate(now));
        };
        let signer = cred.signer_mut();
        signer.set_mode(if full {
            SignerMode::Certificate
        } else {
            SignerMode::Digest
        });
        let spdu = signer.sign(&b.uper, u64::from(b.aid.0), now).map_err(|e| {
            self.counters.failures += 1;
            HostError::Signing(e)
        })?;
        let id8 = signer.id8();
        if full {
            self.last_certificate = Some(now);
            self.certificate_requested = false;
        }
        Ok(Some((spdu, id8, full)))
    }
}
