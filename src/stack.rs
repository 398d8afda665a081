//! The sans-IO entry point of the stack.
//!
//! A [`Stack`] owns every store of the vehicle's view of the world and does no I/O and reads no
//! clock: the caller hands it received bytes with the receive time ([`Stack::ingest`]), the
//! ego's own state ([`Stack::set_ego`]) and onboard sensor tracks
//! ([`Stack::add_onboard_tracks`]), and calls [`Stack::poll`] at its application rate (10 Hz
//! is typical) to get the events.
//!
//! ```text
//! ingest(bytes, meta, now) ─ SPDU? ─ SpduVerifier ─┐
//!                          └─ plain ───────────────┴─ UPER MessageFrame ─┬─ BSM/PSM/RSM/SSM → adapters → fusion
//!                                                                        ├─ MAP → MapStore, SPAT → SpatStore
//!                                                                        ├─ RSI → RsiStore
//!                                                                        └─ RSC/VIR/PAM/CLPMM/SSM → DayIIStore + events
//! poll(now) → fusion step → object apps (FCW, ICW, …) + map matching → road apps (RLVW, GLOSA, SLW, IVS, HLW)
//!           → events: warnings and advice, fused-object snapshot, drop reasons, Day II events
//! ```
//!
//! **Security**: a payload the metadata marks as an SPDU (or every payload, when
//! [`Config::require_signatures`] is set) goes through the [`SpduVerifier`] given with
//! [`Stack::set_verifier`]; the verifier returns the inner payload or a typed
//! [`VerifyFailure`]. Without a verifier such payloads are dropped ([`DropReason::NoVerifier`]).
//! With feature `security`, `cv2x::stack_security` connects the security layer: a verifier
//! over `security::Verifier` and a signer, and a matched pair from the test PKI.
//!
//! **Bounded memory**: every store and queue has a limit in [`Config`] and counts what it drops
//! or evicts; the fusion tracker allocates its tables up front. Nothing grows with the input.
//!
//! **The ego**: BSMs carrying the ego's own id are dropped ([`DropReason::OwnMessage`]); the
//! tracker's self-filter removes roadside reports of the ego (by id or by position and motion).
use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::collections::{BTreeMap, VecDeque};
use alloc::vec::Vec;

use crate::apps::mapmatch::{LaneMatch, MapStore, MatchConfig, SignalInput, SpatStore, match_ego};
use crate::apps::roadinfo::{DayIIEvent, DayIIStore, RsiStore};
use crate::apps::{
    Ego, ObjectApp, ObjectContext, RoadApp, RoadContext, TurnSignal, VehicleFlags, Warning,
    WorldObject, object_apps, road_apps,
};
use crate::codec::{DecodeErrorKind, Uper};
use crate::fusion::adapt::{self, AdaptError};
use crate::fusion::{
    EgoState, FusedObject, FusionConfig, FusionError, Observation, RejectReason, Tracker,
};
use crate::geo::math::{cos, hypot, sin};
use crate::geo::{EnuFrame, Wgs84};
use crate::msg::v2020 as m;
use crate::net::PayloadKind;
use crate::time::Timestamp;

/// Why a secured message failed verification (implemented by the security layer).
///
/// One variant per check of the security layer's pipeline, so a drop says precisely what
/// failed; [`VerifyFailure::code`] gives the same snake_case code as the security layer's
/// report (`security::SecurityError::code`). [`Unsupported`](Self::Unsupported),
/// [`ChainInvalid`](Self::ChainInvalid) and [`Other`](Self::Other) are coarser reasons for
/// verifiers that cannot tell more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum VerifyFailure {
    /// Not a well-formed SPDU (`malformed`).
    #[error("malformed SPDU")]
    Malformed,
    /// Not supported, no finer reason given (`unsupported`).
    #[error("unsupported SPDU")]
    Unsupported,
    /// The protocol version is not 3 (`incompatible_protocol`).
    #[error("incompatible protocol version")]
    IncompatibleProtocol,
    /// A hash or signature algorithm that is not verified, or a hash that does not match the
    /// signature algorithm (`unsupported_algorithm`).
    #[error("unsupported algorithm")]
    UnsupportedAlgorithm,
    /// The signer is `self` or an unknown alternative (`unsupported_signer_type`).
    #[error("unsupported signer type")]
    UnsupportedSignerType,
    /// The signed payload is not unsecured data (`unsupported_payload`).
    #[error("unsupported payload")]
    UnsupportedPayload,
    /// The data is not signed (`unsigned`).
    #[error("not signed")]
    Unsigned,
    /// The signer's certificate is unknown: the digest names no known certificate
    /// (`signer_not_found`).
    #[error("unknown signer")]
    UnknownSigner,
    /// The certificate chain is invalid, no finer reason given (`chain_invalid`).
    #[error("certificate chain invalid")]
    ChainInvalid,
    /// A certificate's issuer is neither a trust anchor nor a known certificate
    /// (`unknown_issuer`).
    #[error("unknown issuer")]
    UnknownIssuer,
    /// An issuer may not issue the certificate below it (`issuer_not_permitted`).
    #[error("issuer not permitted")]
    IssuerNotPermitted,
    /// A certificate's validity is not inside its issuer's (`validity_not_inside_issuer`).
    #[error("validity not inside the issuer's")]
    ValidityNotInsideIssuer,
    /// A certificate's region is not inside its issuer's (`region_not_inside_issuer`).
    #[error("region not inside the issuer's")]
    RegionNotInsideIssuer,
    /// The chain is longer than permitted (`excessive_chain_length`).
    #[error("excessive chain length")]
    ExcessiveChainLength,
    /// A certificate's signature does not verify (`certificate_signature_invalid`).
    #[error("certificate signature invalid")]
    CertificateSignatureInvalid,
    /// An implicit certificate, which is not supported (`implicit_certificate_unsupported`).
    #[error("implicit certificate not supported")]
    ImplicitCertificate,
    /// A public key is not a point of its curve (`invalid_public_key`).
    #[error("invalid public key")]
    InvalidPublicKey,
    /// The signer certificate expired before the generation time (`certificate_expired`).
    #[error("certificate expired")]
    CertificateExpired,
    /// The signer certificate is not yet valid at the generation time
    /// (`certificate_not_yet_valid`).
    #[error("certificate not yet valid")]
    CertificateNotYetValid,
    /// A certificate is revoked (`revoked`).
    #[error("certificate revoked")]
    Revoked,
    /// No generation time while one is required (`generation_time_missing`).
    #[error("generation time missing")]
    GenerationTimeMissing,
    /// The generation time is too old (`generation_time_too_old`).
    #[error("message too old")]
    TooOld,
    /// The generation time is in the future (`generation_time_in_future`).
    #[error("message from the future")]
    FromFuture,
    /// The message's expiry time has passed (`expired`).
    #[error("message expired")]
    Expired,
    /// A replayed message (`duplicate`).
    #[error("replay")]
    Replay,
    /// The signer may not sign this AID / PSID (`aid_not_permitted`).
    #[error("AID not permitted")]
    AidNotPermitted,
    /// The signer's SSP does not satisfy the requirement for the AID (`ssp_mismatch`).
    #[error("SSP mismatch")]
    SspMismatch,
    /// The signed AID is the Day I AID of another kind of message than the `MessageFrame` it
    /// carries, e.g. a roadside message signed under a vehicle's BSM permission
    /// (`content_not_permitted`).
    #[error("message kind not permitted by the signed AID")]
    ContentNotPermitted,
    /// The signer may not sign at this position (`location_outside_region`).
    #[error("region not permitted")]
    RegionNotPermitted,
    /// No generation location while one is required (`location_missing`).
    #[error("generation location missing")]
    LocationMissing,
    /// The message signature does not verify (`message_signature_invalid`).
    #[error("bad signature")]
    BadSignature,
    /// Another failure, by the verifier's numeric code (`other`).
    #[error("verification failure {0}")]
    Other(u16),
}

impl VerifyFailure {
    /// The stable snake_case code: the security layer's report code for the same check.
    pub const fn code(&self) -> &'static str {
        match self {
            VerifyFailure::Malformed => "malformed",
            VerifyFailure::Unsupported => "unsupported",
            VerifyFailure::IncompatibleProtocol => "incompatible_protocol",
            VerifyFailure::UnsupportedAlgorithm => "unsupported_algorithm",
            VerifyFailure::UnsupportedSignerType => "unsupported_signer_type",
            VerifyFailure::UnsupportedPayload => "unsupported_payload",
            VerifyFailure::Unsigned => "unsigned",
            VerifyFailure::UnknownSigner => "signer_not_found",
            VerifyFailure::ChainInvalid => "chain_invalid",
            VerifyFailure::UnknownIssuer => "unknown_issuer",
            VerifyFailure::IssuerNotPermitted => "issuer_not_permitted",
            VerifyFailure::ValidityNotInsideIssuer => "validity_not_inside_issuer",
            VerifyFailure::RegionNotInsideIssuer => "region_not_inside_issuer",
            VerifyFailure::ExcessiveChainLength => "excessive_chain_length",
            VerifyFailure::CertificateSignatureInvalid => "certificate_signature_invalid",
            VerifyFailure::ImplicitCertificate => "implicit_certificate_unsupported",
            VerifyFailure::InvalidPublicKey => "invalid_public_key",
            VerifyFailure::CertificateExpired => "certificate_expired",
            VerifyFailure::CertificateNotYetValid => "certificate_not_yet_valid",
            VerifyFailure::Revoked => "revoked",
            VerifyFailure::GenerationTimeMissing => "generation_time_missing",
            VerifyFailure::TooOld => "generation_time_too_old",
            VerifyFailure::FromFuture => "generation_time_in_future",
            VerifyFailure::Expired => "expired",
            VerifyFailure::Replay => "duplicate",
            VerifyFailure::AidNotPermitted => "aid_not_permitted",
            VerifyFailure::SspMismatch => "ssp_mismatch",
            VerifyFailure::ContentNotPermitted => "content_not_permitted",
            VerifyFailure::RegionNotPermitted => "location_outside_region",
            VerifyFailure::LocationMissing => "location_missing",
            VerifyFailure::BadSignature => "message_signature_invalid",
            VerifyFailure::Other(_) => "other",
        }
    }
}

/// The result of a successful verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified<'a> {
    /// The inner (unsecured) payload: a UPER `MessageFrame`.
    pub payload: Cow<'a, [u8]>,
    /// The PSID / AID of the signed data, when given.
    pub psid: Option<u64>,
    /// HashedId8 of the signer's certificate, when known.
    pub signer: Option<[u8; 8]>,
    /// Generation time of the signed data.
    pub generation_time: Option<Timestamp>,
}

/// Verifies a secured message (SPDU, IEEE 1609.2 / YD/T 3957 `Ieee1609Dot2Data`). The
/// security layer implements it; the stack calls it for every payload that is an SPDU.
pub trait SpduVerifier: Send {
    /// Verifies `spdu` received at `now`; returns the inner payload.
    fn verify<'a>(&mut self, spdu: &'a [u8], now: Timestamp)
    -> Result<Verified<'a>, VerifyFailure>;
}

#[cfg(feature = "security")]
impl From<&crate::security::SecurityError> for VerifyFailure {
    fn from(e: &crate::security::SecurityError) -> Self {
        use crate::security::SecurityError as E;
        match e {
            E::Malformed { .. } => VerifyFailure::Malformed,
            E::Unsigned => VerifyFailure::Unsigned,
            E::IncompatibleProtocol(_)
            | E::UnsupportedAlgorithm
            | E::UnsupportedSignerType
            | E::UnsupportedPayload
            | E::ImplicitCertificate => VerifyFailure::Unsupported,
            E::AidNotPermitted(_) | E::SspMismatch(_) => VerifyFailure::AidNotPermitted,
            E::GenerationTimeMissing => VerifyFailure::Other(1),
            E::GenerationTimeInFuture => VerifyFailure::FromFuture,
            E::GenerationTimeTooOld | E::Expired => VerifyFailure::TooOld,
            E::CertificateExpired | E::CertificateNotYetValid => VerifyFailure::CertificateExpired,
            E::Duplicate => VerifyFailure::Replay,
            E::LocationOutsideRegion | E::LocationMissing => VerifyFailure::RegionNotPermitted,
            E::SignerNotFound => VerifyFailure::UnknownSigner,
            E::UnknownIssuer
            | E::IssuerNotPermitted
            | E::ValidityNotInsideIssuer
            | E::RegionNotInsideIssuer
            | E::ExcessiveChainLength
            | E::CertificateSignatureInvalid
            | E::InvalidPublicKey => VerifyFailure::ChainInvalid,
            E::Revoked => VerifyFailure::Revoked,
            E::MessageSignatureInvalid => VerifyFailure::BadSignature,
            E::SigningFailed => VerifyFailure::Other(2),
        }
    }
}

/// The security layer's verifier as the stack's SPDU verifier.
#[cfg(feature = "security")]
impl<B: crate::security::Backend + Send> SpduVerifier for crate::security::Verifier<B>
where
    crate::security::Verifier<B>: Send,
{
    fn verify<'a>(
        &mut self,
        spdu: &'a [u8],
        now: Timestamp,
    ) -> Result<Verified<'a>, VerifyFailure> {
        let report = crate::security::Verifier::verify(self, spdu, now);
        match (&report.result, report.payload) {
            (Ok(()), Some(payload)) => Ok(Verified {
                payload: Cow::Borrowed(payload),
                psid: report.aid,
                signer: report.signer,
                generation_time: report.generation_time.map(Timestamp::from_time64),
            }),
            (Ok(()), None) => Err(VerifyFailure::Malformed),
            (Err(e), _) => Err(VerifyFailure::from(e)),
        }
    }
}

/// How a buffer handed to [`Stack::ingest`] arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RxMeta {
    /// Plain `MessageFrame` or SPDU (from the DSMP dispatcher, or known by configuration).
    pub kind: PayloadKind,
    /// The AID of the DSMP packet, when known.
    pub aid: Option<u32>,
}

impl Default for RxMeta {
    fn default() -> Self {
        RxMeta {
            kind: PayloadKind::MessageFrame,
            aid: None,
        }
    }
}

impl RxMeta {
    /// A plain UPER `MessageFrame`.
    pub const PLAIN: RxMeta = RxMeta {
        kind: PayloadKind::MessageFrame,
        aid: None,
    };
    /// A secured message.
    pub const SPDU: RxMeta = RxMeta {
        kind: PayloadKind::Spdu,
        aid: None,
    };
}

/// Which store dropped something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StoreKind {
    /// Vehicle flags (BSM events by vehicle id).
    Vehicles,
    /// The event queue.
    Events,
    /// The per-message observation buffer.
    Observations,
}

/// Why a message, or part of one, was dropped. Every drop is counted in [`StackCounters`] and,
/// when [`Config::report_drops`] is set, reported as [`Event::Dropped`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DropReason {
    /// Longer than [`Config::max_message_bytes`].
    #[error("message too large")]
    TooLarge,
    /// An SPDU but no verifier is configured.
    #[error("no verifier for a secured message")]
    NoVerifier,
    /// A plain message while signatures are required.
    #[error("unsigned message while signatures are required")]
    Unsigned,
    /// Verification failed.
    #[error("verification failed: {0}")]
    Verify(VerifyFailure),
    /// UPER decoding failed.
    #[error("decode failed: {0:?}")]
    Decode(DecodeErrorKind),
    /// The ego's own message.
    #[error("own message")]
    OwnMessage,
    /// A message type the stack does not use (RTCM, VPM, test messages, unknown extensions).
    #[error("message type not used")]
    Unsupported,
    /// A report could not be converted (unavailable time or position).
    #[error("report unusable: {0}")]
    Adapt(AdaptError),
    /// The fusion core rejected a report.
    #[error("fusion rejected a report: {0:?}")]
    Fusion(RejectReason),
    /// A bounded store was full.
    #[error("store full: {0:?}")]
    StoreFull(StoreKind),
    /// `poll` or `set_ego` was called with a time before the previous one.
    #[error("time went backwards")]
    TimeWentBackwards,
    /// An ego state was rejected (non-finite, out of range, out of sequence).
    #[error("ego state rejected")]
    EgoRejected,
}

/// What [`Stack::ingest`] did with a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ingested {
    /// A remote vehicle's BSM, fed to fusion.
    Bsm,
    /// An RSM: participants fed to fusion.
    Rsm {
        /// Participants accepted.
        participants: u16,
    },
    /// A MAP: intersections stored.
    Map {
        /// Intersections stored.
        intersections: u16,
    },
    /// A SPAT: intersections stored.
    Spat {
        /// Intersections stored.
        intersections: u16,
    },
    /// An RSI: events and signs stored.
    Rsi {
        /// Items stored.
        items: u16,
    },
    /// A Day II message (`MessageFrameExt`), by message id.
    DayII {
        /// The `messageId`.
        message_id: u16,
    },
}

/// What [`Stack::poll`] reports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Event {
    /// A warning or advice (raised every poll while active).
    Warning(Warning),
    /// The fused objects were updated; [`Stack::objects`] holds the snapshot.
    Objects {
        /// Fusion time.
        time: Timestamp,
        /// Confirmed and coasting objects.
        count: u32,
    },
    /// Something was dropped.
    Dropped {
        /// When.
        time: Timestamp,
        /// Why.
        reason: DropReason,
    },
    /// A Day II message was received.
    DayII {
        /// When.
        time: Timestamp,
        /// What it said.
        event: DayIIEvent,
    },
}

/// Configuration. `Default` works out of the box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    /// Initial origin of the fusion frame (re-anchored at the first ego state when far from it).
    pub origin: Wgs84,
    /// Fusion core.
    pub fusion: FusionConfig,
    /// Map matching and SPAT staleness (default 1 s).
    pub matching: MatchConfig,
    /// Every payload must be a verified SPDU (default false).
    pub require_signatures: bool,
    /// Longer payloads are dropped, bytes (default 8192).
    pub max_message_bytes: usize,
    /// MAP intersections kept (default 32).
    pub max_intersections: usize,
    /// Incoming lanes kept per intersection (default 128).
    pub max_lanes_per_intersection: usize,
    /// A MAP not refreshed for this long is dropped, ms (default 30 000).
    pub map_max_age_ms: i64,
    /// A SPAT not refreshed for this long is dropped from the store, ms (default 10 000; it is
    /// stale for the applications after [`MatchConfig::spat_max_age_ms`]).
    pub spat_keep_ms: i64,
    /// RSI events and signs kept (default 64).
    pub max_road_info: usize,
    /// An RSI item not refreshed for this long is dropped, ms (default 5000).
    pub road_info_ttl_ms: i64,
    /// Vehicles whose BSM event flags are kept (default 1024).
    pub max_vehicles: usize,
    /// Flags older than this are dropped, ms (default 2000).
    pub flags_max_age_ms: i64,
    /// Day II senders kept (default 64).
    pub max_day2: usize,
    /// Day II entries older than this are dropped, ms (default 10 000).
    pub day2_max_age_ms: i64,
    /// Events queued between polls (default 1024; more are dropped and counted).
    pub max_events: usize,
    /// Observations taken from one message (default 512).
    pub max_observations_per_message: usize,
    /// Report drops as events (default true).
    pub report_drops: bool,
    /// Report an [`Event::Objects`] each poll (default true).
    pub report_objects: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            origin: Wgs84::new(0.0, 0.0, 0.0),
            fusion: FusionConfig::default(),
            matching: MatchConfig::default(),
            require_signatures: false,
            max_message_bytes: 8192,
            max_intersections: 32,
            max_lanes_per_intersection: 128,
            map_max_age_ms: 30_000,
            spat_keep_ms: 10_000,
            max_road_info: 64,
            road_info_ttl_ms: 5000,
            max_vehicles: 1024,
            flags_max_age_ms: 2000,
            max_day2: 64,
            day2_max_age_ms: 10_000,
            max_events: 1024,
            max_observations_per_message: 512,
            report_drops: true,
            report_objects: true,
        }
    }
}

/// The ego's state as the stack takes it: the positioning fix plus what the applications need
/// beyond it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EgoUpdate {
    /// Positioning fix (time, position, heading, speed, yaw rate, size, own vehicle id).
    pub state: EgoState,
    /// Longitudinal acceleration, m/s².
    pub accel_mps2: f64,
    /// Turn signal.
    pub turn_signal: TurnSignal,
}

impl EgoUpdate {
    /// A passenger car (4.8 m × 1.9 m, position σ 0.5 m, heading σ 1°) at `position`, driving
    /// straight at constant speed, no turn signal.
    pub fn new(
        time: Timestamp,
        position: Wgs84,
        heading_deg: f64,
        speed_mps: f64,
        vehicle_id: Option<[u8; 8]>,
    ) -> Self {
        EgoUpdate {
            state: EgoState {
                time,
                lat_deg: position.lat_deg,
                lon_deg: position.lon_deg,
                alt_m: position.alt_m,
                heading_deg,
                speed_mps,
                yaw_rate_rps: 0.0,
                position_sigma_m: 0.5,
                heading_sigma_deg: 1.0,
                length_m: 4.8,
                width_m: 1.9,
                vehicle_id,
            },
            accel_mps2: 0.0,
            turn_signal: TurnSignal::None,
        }
    }
}

/// Counters since the stack was created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StackCounters {
    /// Buffers handed to `ingest`.
    pub received: u64,
    /// Messages used.
    pub accepted: u64,
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
    /// Other Day II messages used (RSC, VIR, PAM, CLPMM).
    pub day2: u64,
    /// Dropped: too large.
    pub too_large: u64,
    /// Dropped: SPDU without verifier.
    pub no_verifier: u64,
    /// Dropped: unsigned while required.
    pub unsigned: u64,
    /// Dropped: verification failed.
    pub verify_failed: u64,
    /// Dropped: decode failed.
    pub decode_failed: u64,
    /// Dropped: own messages.
    pub own_messages: u64,
    /// Dropped: message type not used.
    pub unsupported: u64,
    /// Reports not adapted.
    pub adapt_failed: u64,
    /// Reports rejected by fusion.
    pub fusion_rejected: u64,
    /// Vehicle flag entries evicted because the table was full.
    pub vehicles_evicted: u64,
    /// Observations beyond the per-message limit.
    pub observations_dropped: u64,
    /// Events dropped because the queue was full.
    pub events_dropped: u64,
    /// Polls.
    pub polls: u64,
    /// Warnings raised (every poll of an active warning counts).
    pub warnings: u64,
    /// Calls with time going backwards.
    pub time_went_backwards: u64,
    /// Ego states rejected.
    pub ego_rejected: u64,
}

/// How full the bounded stores are (see [`Stack::usage`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    /// Fused tracks.
    pub tracks: usize,
    /// MAP intersections.
    pub intersections: usize,
    /// SPAT intersections.
    pub signals: usize,
    /// RSI items.
    pub road_info: usize,
    /// Vehicles with flags.
    pub vehicles: usize,
    /// Day II entries.
    pub day2: usize,
    /// Queued events.
    pub events: usize,
}

/// The stack. See the [module docs](self).
pub struct Stack {
    config: Config,
    tracker: Tracker,
    verifier: Option<Box<dyn SpduVerifier>>,
    ego: Option<EgoUpdate>,
    anchored: bool,
    flags: BTreeMap<[u8; 8], (VehicleFlags, Timestamp)>,
    map: MapStore,
    spat: SpatStore,
    rsi: RsiStore,
    day2: DayIIStore,
    object_apps: Vec<Box<dyn ObjectApp>>,
    road_apps: Vec<Box<dyn RoadApp>>,
    events: VecDeque<Event>,
    counters: StackCounters,
    objects: Vec<FusedObject>,
    obs: Vec<Observation>,
    adapt_errors: Vec<AdaptError>,
    warnings: Vec<Warning>,
    lane: Option<LaneMatch>,
    ego_view: Option<Ego>,
    last_poll: Option<Timestamp>,
}

impl core::fmt::Debug for Stack {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Stack")
            .field("counters", &self.counters)
            .field("usage", &self.usage())
            .finish_non_exhaustive()
    }
}

/// Errors creating a stack.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum StackError {
    /// The fusion core could not be created (invalid origin).
    #[error("fusion: {0}")]
    Fusion(#[from] FusionError),
}

/// Whether a verified `frame` may travel under the signed `psid`: a Day I message (BSM, MAP,
/// SPAT, RSI, RSM) signed under the Day I AID of another kind is refused, so a certificate that
/// permits only vehicle messages cannot carry roadside ones. AIDs outside the Day I table (Day II
/// and deployment-specific ones) carry any frame.
fn frame_allowed_under(frame: &m::MessageFrame, psid: u64) -> bool {
    use crate::net::aid::{DAY1_TABLE, MessageClass};
    let class = match frame {
        m::MessageFrame::BsmFrame(_) => MessageClass::Bsm,
        m::MessageFrame::MapFrame(_) => MessageClass::Map,
        m::MessageFrame::SpatFrame(_) => MessageClass::Spat,
        m::MessageFrame::RsiFrame(_) => MessageClass::Rsi,
        m::MessageFrame::RsmFrame(_) => MessageClass::Rsm,
        _ => return true,
    };
    DAY1_TABLE
        .iter()
        .find(|(aid, _)| u64::from(aid.0) == psid)
        .is_none_or(|(_, c)| *c == class)
}

fn flags_of(bsm: &m::BasicSafetyMessage) -> VehicleFlags {
    let ext = bsm.safety_ext.as_ref();
    let ev = ext.and_then(|s| s.events.as_ref());
    let bit = |i| ev.is_some_and(|e| e.get(i));
    let lights = ext.and_then(|s| s.lights.as_ref());
    let engaged = |s: Option<bool>| s.unwrap_or(false);
    let em = bsm.emergency_ext.as_ref();
    VehicleFlags {
        hard_braking: bit(m::VehicleEventFlags::EVENT_HARD_BRAKING),
        hazard_lights: bit(m::VehicleEventFlags::EVENT_HAZARD_LIGHTS)
            || lights.is_some_and(|l| l.get(m::ExteriorLights::HAZARD_SIGNAL_ON)),
        emergency: em.is_some_and(|e| {
            e.siren_use == Some(m::SirenInUse::InUse)
                || e.lights_use == Some(m::LightbarInUse::InUse)
        }),
        control_loss: bit(m::VehicleEventFlags::EVENT_AB_SACTIVATED)
            || bit(m::VehicleEventFlags::EVENT_TRACTION_CONTROL_LOSS)
            || bit(m::VehicleEventFlags::EVENT_STABILITY_CONTROLACTIVATED)
            || engaged(bsm.brakes.abs.map(|a| a == m::AntiLockBrakeStatus::Engaged))
            || engaged(
                bsm.brakes
                    .traction
                    .map(|a| a == m::TractionControlStatus::Engaged),
            )
            || engaged(
                bsm.brakes
                    .scs
                    .map(|a| a == m::StabilityControlStatus::Engaged),
            ),
        disabled: bit(m::VehicleEventFlags::EVENT_DISABLED_VEHICLE),
    }
}

impl Stack {
    /// A stack with `config` and the default object and road applications.
    pub fn new(config: Config) -> Result<Self, StackError> {
        let tracker = Tracker::new(config.fusion, config.origin)?;
        Ok(Stack {
            tracker,
            verifier: None,
            ego: None,
            anchored: false,
            flags: BTreeMap::new(),
            map: MapStore::new(config.max_intersections, config.max_lanes_per_intersection),
            spat: SpatStore::new(config.max_intersections),
            rsi: RsiStore::new(config.max_road_info, config.road_info_ttl_ms),
            day2: DayIIStore::new(config.max_day2),
            object_apps: object_apps(),
            road_apps: road_apps(),
            events: VecDeque::with_capacity(config.max_events.min(4096)),
            counters: StackCounters::default(),
            objects: Vec::with_capacity(config.fusion.max_tracks.min(4096)),
            obs: Vec::with_capacity(config.max_observations_per_message.min(4096)),
            adapt_errors: Vec::new(),
            warnings: Vec::new(),
            lane: None,
            ego_view: None,
            last_poll: None,
            config,
        })
    }

    /// Sets the verifier for secured messages.
    pub fn set_verifier(&mut self, v: Box<dyn SpduVerifier>) {
        self.verifier = Some(v);
    }

    /// Replaces the object applications.
    pub fn set_object_apps(&mut self, apps: Vec<Box<dyn ObjectApp>>) {
        self.object_apps = apps;
    }

    /// Replaces the road applications.
    pub fn set_road_apps(&mut self, apps: Vec<Box<dyn RoadApp>>) {
        self.road_apps = apps;
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Counters.
    pub fn counters(&self) -> &StackCounters {
        &self.counters
    }

    /// The fusion core (counters, tracks, frame).
    pub fn tracker(&self) -> &Tracker {
        &self.tracker
    }

    /// The ENU frame of the fused objects and of warning targets.
    pub fn frame(&self) -> &EnuFrame {
        self.tracker.frame()
    }

    /// The fused objects of the last poll.
    pub fn objects(&self) -> &[FusedObject] {
        &self.objects
    }

    /// The MAP store.
    pub fn map_store(&self) -> &MapStore {
        &self.map
    }

    /// The SPAT store.
    pub fn spat_store(&self) -> &SpatStore {
        &self.spat
    }

    /// The RSI store.
    pub fn road_info(&self) -> &RsiStore {
        &self.rsi
    }

    /// The Day II store.
    pub fn day2_store(&self) -> &DayIIStore {
        &self.day2
    }

    /// The ego as the applications saw it at the last poll.
    pub fn ego(&self) -> Option<&Ego> {
        self.ego_view.as_ref()
    }

    /// The lane the ego was matched to at the last poll.
    pub fn lane(&self) -> Option<&LaneMatch> {
        self.lane.as_ref()
    }

    /// How full the bounded stores are.
    pub fn usage(&self) -> Usage {
        Usage {
            tracks: self.tracker.tracks().len(),
            intersections: self.map.intersections().len(),
            signals: self.spat.signals().len(),
            road_info: self.rsi.items().len(),
            vehicles: self.flags.len(),
            day2: self.day2.latest().count(),
            events: self.events.len(),
        }
    }

    fn push_event(&mut self, e: Event) {
        if self.events.len() >= self.config.max_events {
            self.counters.events_dropped += 1;
            return;
        }
        self.events.push_back(e);
    }

    fn dropped(&mut self, reason: DropReason, now: Timestamp) -> DropReason {
        let c = &mut self.counters;
        match reason {
            DropReason::TooLarge => c.too_large += 1,
            DropReason::NoVerifier => c.no_verifier += 1,
            DropReason::Unsigned => c.unsigned += 1,
            DropReason::Verify(_) => c.verify_failed += 1,
            DropReason::Decode(_) => c.decode_failed += 1,
            DropReason::OwnMessage => c.own_messages += 1,
            DropReason::Unsupported => c.unsupported += 1,
            DropReason::Adapt(_) => c.adapt_failed += 1,
            DropReason::Fusion(_) => c.fusion_rejected += 1,
            DropReason::StoreFull(StoreKind::Vehicles) => c.vehicles_evicted += 1,
            DropReason::StoreFull(StoreKind::Observations) => c.observations_dropped += 1,
            DropReason::StoreFull(StoreKind::Events) => c.events_dropped += 1,
            DropReason::TimeWentBackwards => c.time_went_backwards += 1,
            DropReason::EgoRejected => c.ego_rejected += 1,
        }
        if self.config.report_drops {
            self.push_event(Event::Dropped { time: now, reason });
        }
        reason
    }

    fn ego_id(&self) -> Option<[u8; 8]> {
        self.ego.and_then(|e| e.state.vehicle_id)
    }

    /// Takes one received payload: verifies it when it is an SPDU, decodes the `MessageFrame`
    /// and feeds the stores and the fusion core. Nothing is evaluated until [`Stack::poll`].
    pub fn ingest(
        &mut self,
        bytes: &[u8],
        meta: &RxMeta,
        now: Timestamp,
    ) -> Result<Ingested, DropReason> {
        self.counters.received += 1;
        if bytes.len() > self.config.max_message_bytes {
            return Err(self.dropped(DropReason::TooLarge, now));
        }
        let secured = meta.kind == PayloadKind::Spdu;
        if self.config.require_signatures && !secured {
            return Err(self.dropped(DropReason::Unsigned, now));
        }
        let (payload, psid): (Cow<'_, [u8]>, Option<u64>) = if secured {
            let Some(v) = self.verifier.as_mut() else {
                return Err(self.dropped(DropReason::NoVerifier, now));
            };
            match v.verify(bytes, now) {
                Ok(ok) => {
                    self.counters.verified += 1;
                    (ok.payload, ok.psid)
                }
                Err(f) => return Err(self.dropped(DropReason::Verify(f), now)),
            }
        } else {
            (Cow::Borrowed(bytes), None)
        };
        let frame = match m::MessageFrame::decode(&payload) {
            Ok(f) => f,
            Err(e) => return Err(self.dropped(DropReason::Decode(e.kind()), now)),
        };
        if let Some(psid) = psid {
            if !frame_allowed_under(&frame, psid) {
                let f = VerifyFailure::ContentNotPermitted;
                return Err(self.dropped(DropReason::Verify(f), now));
            }
        }
        let r = self.take_frame(&frame, now)?;
        self.counters.accepted += 1;
        Ok(r)
    }

    fn take_frame(
        &mut self,
        frame: &m::MessageFrame,
        now: Timestamp,
    ) -> Result<Ingested, DropReason> {
        match frame {
            m::MessageFrame::BsmFrame(bsm) => {
                if adapt::is_own(&bsm.id, self.ego_id()) {
                    return Err(self.dropped(DropReason::OwnMessage, now));
                }
                let obs = adapt::bsm_observation(bsm, now)
                    .map_err(|e| self.dropped(DropReason::Adapt(e), now))?;
                self.set_flags(bsm.id, flags_of(bsm), now);
                self.fuse_one(&obs, now)?;
                self.counters.bsm += 1;
                Ok(Ingested::Bsm)
            }
            m::MessageFrame::RsmFrame(rsm) => {
                self.obs.clear();
                self.adapt_errors.clear();
                adapt::rsm_observations(rsm, now, &mut self.obs, &mut self.adapt_errors);
                let n = self.fuse_batch(now);
                self.counters.rsm += 1;
                Ok(Ingested::Rsm {
                    participants: u16::try_from(n).unwrap_or(u16::MAX),
                })
            }
            m::MessageFrame::MapFrame(map) => {
                let n = self.map.insert_map(map, now);
                self.counters.map += 1;
                Ok(Ingested::Map {
                    intersections: u16::try_from(n).unwrap_or(u16::MAX),
                })
            }
            m::MessageFrame::SpatFrame(spat) => {
                let n = self.spat.insert_spat(spat, now);
                self.counters.spat += 1;
                Ok(Ingested::Spat {
                    intersections: u16::try_from(n).unwrap_or(u16::MAX),
                })
            }
            m::MessageFrame::RsiFrame(rsi) => {
                let n = self.rsi.insert_rsi(rsi, now);
                self.counters.rsi += 1;
                Ok(Ingested::Rsi {
                    items: u16::try_from(n).unwrap_or(u16::MAX),
                })
            }
            m::MessageFrame::MsgFrameExt(ext) => self.take_day2(ext, now),
            m::MessageFrame::UnknownExt(_) => Err(self.dropped(DropReason::Unsupported, now)),
        }
    }

    fn take_day2(
        &mut self,
        ext: &m::MessageFrameExt,
        now: Timestamp,
    ) -> Result<Ingested, DropReason> {
        let ego = self.ego_id();
        let ev = match &ext.value {
            m::MessageFrameExtValue::SensorSharingMsg(ssm) => {
                if adapt::is_own(&ssm.id, ego) {
                    return Err(self.dropped(DropReason::OwnMessage, now));
                }
                self.obs.clear();
                self.adapt_errors.clear();
                adapt::ssm_observations(ssm, now, &mut self.obs, &mut self.adapt_errors);
                self.fuse_batch(now);
                self.rsi.insert_ssm_events(ssm, now);
                self.counters.ssm += 1;
                Some((ssm.id, DayIIEvent::from_ssm(ssm)))
            }
            m::MessageFrameExtValue::PersonalSafetyMessage(psm) => {
                if adapt::is_own(&psm.id, ego) {
                    return Err(self.dropped(DropReason::OwnMessage, now));
                }
                let obs = adapt::psm_observation(psm, now)
                    .map_err(|e| self.dropped(DropReason::Adapt(e), now))?;
                self.fuse_one(&obs, now)?;
                self.counters.psm += 1;
                None
            }
            m::MessageFrameExtValue::RoadsideCoordination(r) => {
                Some((r.id, DayIIEvent::from_rsc(r, ego)))
            }
            m::MessageFrameExtValue::VehIntentionAndRequest(v) => {
                if adapt::is_own(&v.id, ego) {
                    return Err(self.dropped(DropReason::OwnMessage, now));
                }
                Some((v.id, DayIIEvent::from_vir(v, ego)))
            }
            m::MessageFrameExtValue::PamData(p) => {
                let sender = p.parking_lot_info.id.map_or([0; 8], |id| {
                    let mut s = [0u8; 8];
                    s[6..].copy_from_slice(&id.to_be_bytes());
                    s
                });
                Some((sender, DayIIEvent::from_pam(p, ego)))
            }
            m::MessageFrameExtValue::Clpmm(c) => {
                if adapt::is_own(&c.id, ego) {
                    return Err(self.dropped(DropReason::OwnMessage, now));
                }
                Some((c.id, DayIIEvent::from_clpmm(c, ego)))
            }
            _ => return Err(self.dropped(DropReason::Unsupported, now)),
        };
        if let Some((sender, event)) = ev {
            if !matches!(event, DayIIEvent::SensorSharing { .. }) {
                self.counters.day2 += 1;
            }
            self.day2.insert(sender, event, now);
            self.push_event(Event::DayII { time: now, event });
        }
        Ok(Ingested::DayII {
            message_id: ext.message_id,
        })
    }

    fn set_flags(&mut self, id: [u8; 8], f: VehicleFlags, now: Timestamp) {
        if !self.flags.contains_key(&id) && self.flags.len() >= self.config.max_vehicles {
            let oldest = self.flags.iter().min_by_key(|(_, v)| v.1).map(|(k, _)| *k);
            if let Some(k) = oldest {
                self.flags.remove(&k);
                self.dropped(DropReason::StoreFull(StoreKind::Vehicles), now);
            }
        }
        self.flags.insert(id, (f, now));
    }

    fn fuse_one(&mut self, obs: &Observation, now: Timestamp) -> Result<(), DropReason> {
        match self.tracker.ingest(obs) {
            Ok(()) => Ok(()),
            Err(FusionError::Rejected(r)) => Err(self.dropped(DropReason::Fusion(r), now)),
            Err(_) => Err(self.dropped(DropReason::Fusion(RejectReason::OutOfRange), now)),
        }
    }

    fn fuse_batch(&mut self, now: Timestamp) -> usize {
        let errors = core::mem::take(&mut self.adapt_errors);
        for e in &errors {
            self.dropped(DropReason::Adapt(*e), now);
        }
        self.adapt_errors = errors;
        let obs = core::mem::take(&mut self.obs);
        let mut n = 0;
        for (i, o) in obs.iter().enumerate() {
            if i >= self.config.max_observations_per_message {
                self.dropped(DropReason::StoreFull(StoreKind::Observations), now);
                break;
            }
            if self.fuse_one(o, now).is_ok() {
                n += 1;
            }
        }
        self.obs = obs;
        self.obs.clear();
        n
    }

    /// Sets the ego's state (from its positioning, in time order). The first state far from the
    /// frame origin re-anchors the fusion frame at the ego.
    pub fn set_ego(&mut self, ego: &EgoUpdate) -> Result<(), DropReason> {
        let s = &ego.state;
        let p = Wgs84::new(s.lat_deg, s.lon_deg, s.alt_m);
        if !self.anchored {
            let far = match self.tracker.frame().enu_from_wgs84(&p) {
                Ok(e) => hypot(e.x, e.y) > self.config.fusion.reanchor_distance_m,
                Err(_) => true,
            };
            if far && self.tracker.reanchor(p).is_err() {
                return Err(self.dropped(DropReason::EgoRejected, s.time));
            }
            self.anchored = true;
        }
        match self.tracker.set_ego_state(s) {
            Ok(()) => {
                self.ego = Some(*ego);
                Ok(())
            }
            Err(FusionError::EgoOutOfSequence) => {
                Err(self.dropped(DropReason::TimeWentBackwards, s.time))
            }
            Err(_) => Err(self.dropped(DropReason::EgoRejected, s.time)),
        }
    }

    /// Adds tracks of the ego's own sensors (observations of source kind `Onboard`, usually in
    /// the ego frame). Returns how many were accepted.
    pub fn add_onboard_tracks(&mut self, tracks: &[Observation], now: Timestamp) -> usize {
        let mut n = 0;
        for t in tracks {
            if self.fuse_one(t, now).is_ok() {
                n += 1;
            }
        }
        n
    }

    fn ego_at(&self, now: Timestamp) -> Option<(Ego, Wgs84)> {
        let u = self.ego?;
        let s = &u.state;
        let e = self
            .tracker
            .frame()
            .enu_from_wgs84(&Wgs84::new(s.lat_deg, s.lon_deg, s.alt_m))
            .ok()?;
        let dt = now.seconds_since(s.time).clamp(0.0, 1.0);
        let h = s.heading_deg.to_radians();
        let d = s.speed_mps * dt;
        let pos = [e.x + d * sin(h), e.y + d * cos(h)];
        let w = self
            .tracker
            .frame()
            .wgs84_from_enu(&nalgebra::Vector3::new(pos[0], pos[1], 0.0));
        Some((
            Ego {
                time: now,
                position_enu: pos,
                speed_mps: s.speed_mps,
                heading_deg: s.heading_deg,
                accel_mps2: u.accel_mps2,
                yaw_rate_dps: -s.yaw_rate_rps.to_degrees(),
                length_m: s.length_m,
                width_m: s.width_m,
                turn_signal: u.turn_signal,
            },
            w,
        ))
    }

    /// Runs one cycle at `now`: fusion, the object and road applications; returns the events
    /// queued since the previous poll (drops, Day II) followed by this cycle's warnings and the
    /// object snapshot.
    pub fn poll(&mut self, now: Timestamp) -> alloc::collections::vec_deque::Drain<'_, Event> {
        self.counters.polls += 1;
        if self.last_poll.is_some_and(|l| now < l) {
            self.dropped(DropReason::TimeWentBackwards, now);
            return self.events.drain(..);
        }
        self.last_poll = Some(now);
        let c = self.config;
        self.map.expire(now, c.map_max_age_ms);
        self.spat.expire(now, c.spat_keep_ms);
        self.rsi.expire(now);
        self.day2.expire(now, c.day2_max_age_ms);
        let max_flag_age = c.flags_max_age_ms.saturating_mul(1000);
        self.flags
            .retain(|_, v| now.micros_since(v.1) <= max_flag_age);
        if self.tracker.step(now).is_err() {
            self.dropped(DropReason::TimeWentBackwards, now);
        }
        self.tracker.snapshot(&mut self.objects);
        self.warnings.clear();
        let ego = self.ego_at(now);
        self.ego_view = ego.map(|e| e.0);
        self.lane = None;
        if let Some((ego, ego_wgs)) = ego {
            let world: Vec<WorldObject<'_>> = self
                .objects
                .iter()
                .map(|o| WorldObject {
                    object: o,
                    flags: o
                        .vehicle_id
                        .and_then(|id| self.flags.get(&id))
                        .map(|f| f.0)
                        .unwrap_or_default(),
                })
                .collect();
            let cx = ObjectContext {
                now,
                ego: &ego,
                objects: &world,
            };
            for app in &mut self.object_apps {
                app.evaluate(&cx, &mut self.warnings);
            }
            self.lane = match_ego(
                &self.map,
                &ego_wgs,
                ego.heading_deg,
                ego.turn_signal,
                &c.matching,
            );
            let signal = match &self.lane {
                Some(l) => self.spat.signal_for(
                    l.intersection,
                    l.phase_id,
                    now,
                    c.matching.spat_max_age_ms,
                ),
                None => SignalInput::None,
            };
            let rcx = RoadContext {
                now,
                ego: &ego,
                ego_wgs84: ego_wgs,
                lane: self.lane.as_ref(),
                signal,
                map: &self.map,
                road_info: &self.rsi,
                frame: self.tracker.frame(),
            };
            for app in &mut self.road_apps {
                app.evaluate(&rcx, &mut self.warnings);
            }
        }
        let warnings = core::mem::take(&mut self.warnings);
        self.counters.warnings += warnings.len() as u64;
        for w in &warnings {
            self.push_event(Event::Warning(*w));
        }
        self.warnings = warnings;
        if c.report_objects {
            let count = u32::try_from(self.objects.len()).unwrap_or(u32::MAX);
            self.push_event(Event::Objects { time: now, count });
        }
        self.events.drain(..)
    }
}
