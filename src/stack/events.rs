//! What the stack reports: events, drop reasons, counters and store usage.
use crate::apps::Warning;
use crate::codec::DecodeErrorKind;
use crate::fusion::RejectReason;
use crate::msg::Standard;
use crate::time::Timestamp;
use crate::world::{AdaptError, DayIIEvent};

use super::sets::Sets;
use super::verify::VerifyFailure;

/// How a warning changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WarningChange {
    /// It started: a new id.
    Raised,
    /// Its level or content changed (advice, sign or event code, target); the id stays.
    Updated,
}

/// What [`Stack::poll`](super::Stack::poll) reports.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// A warning or advice was raised, or its level or content changed.
    Warning {
        /// Stable for the warning's life (from raised to cleared), never 0, not reused soon
        /// (a 32-bit counter).
        id: u32,
        /// Raised or updated.
        change: WarningChange,
        /// The warning as it is now.
        warning: Warning,
    },
    /// A warning ended: its application no longer raises it.
    WarningCleared {
        /// The id it was raised with.
        id: u32,
        /// The warning as it was last shown.
        warning: Warning,
        /// When it ended.
        time: Timestamp,
    },
    /// The fused objects were updated; [`Stack::objects`](super::Stack::objects) holds the
    /// snapshot.
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
    /// A frame of an older set was lifted into the 2020 model and the lift lost or changed
    /// something (the notes come with
    /// [`Stack::ingest_detailed`](super::Stack::ingest_detailed)).
    Lifted {
        /// When.
        time: Timestamp,
        /// The frame's set.
        set: Standard,
        /// How many values were lost or changed.
        changes: u32,
    },
    /// Several message sets read a frame, with different meanings; `chosen` (the configured
    /// default, else the newest) decided.
    Ambiguous {
        /// When.
        time: Timestamp,
        /// The sets that read the frame.
        candidates: Sets,
        /// The set it was read with.
        chosen: Standard,
    },
}

/// Which bounded buffer dropped something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StoreKind {
    /// The event queue.
    Events,
    /// The per-message observation buffer.
    Observations,
    /// The table of active warnings.
    Warnings,
    /// The queue of messages to send.
    Transmissions,
    /// The commands waiting for the next poll.
    Commands,
}

/// Why a message, or part of one, was dropped. Every drop is counted in [`StackCounters`] and,
/// when [`StackConfig::report_drops`](super::StackConfig) is set, reported as
/// [`Event::Dropped`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DropReason {
    /// Longer than the configured maximum message size.
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
    /// Verify on demand: a sender's message used before its signature was verified failed the
    /// verification, and what the sender reported unverified was taken back from the tracker
    /// and the world (the sender is then quarantined). Counts senders, not messages: the
    /// message was counted accepted when it was used.
    #[error("data of a sender taken back: its message failed verification: {0}")]
    Retracted(VerifyFailure),
    /// UPER decoding failed.
    #[error("decode failed: {0:?}")]
    Decode(DecodeErrorKind),
    /// The ego's own message.
    #[error("own message")]
    OwnMessage,
    /// A message type the stack does not use (RTCM, test messages, unknown extensions).
    #[error("message type not used")]
    Unsupported,
    /// A report could not be converted (unavailable time or position).
    #[error("report unusable: {0}")]
    Adapt(AdaptError),
    /// The fusion core rejected a report.
    #[error("fusion rejected a report: {0:?}")]
    Fusion(RejectReason),
    /// A bounded buffer was full.
    #[error("buffer full: {0:?}")]
    StoreFull(StoreKind),
    /// `poll` or `set_ego` was called with a time before the previous one.
    #[error("time went backwards")]
    TimeWentBackwards,
    /// An ego state was rejected (no usable position or heading, out of range, out of
    /// sequence).
    #[error("ego state rejected")]
    EgoRejected,
    /// The host vehicle could not build, sign or frame a message due (see its counters).
    #[error("a message to send could not be built")]
    TransmitFailed,
}

/// Counters since the stack was created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct StackCounters {
    /// Buffers handed to `ingest`.
    pub received: u64,
    /// Messages used. Every buffer handed to `ingest` is either accepted or dropped:
    /// `received == accepted + dropped`.
    pub accepted: u64,
    /// Messages dropped, whatever the reason (the counters below say why; some of them also
    /// count parts of messages that were accepted).
    pub dropped: u64,
    /// SPDUs whose signature was verified (on receipt, or later for a deferred one).
    pub verified: u64,
    /// Verify on demand: SPDUs used after the cheap checks, their signature not verified yet
    /// (each counted in `accepted` too).
    pub deferred: u64,
    /// Verify on demand: deferred SPDUs verified later because a warning rested on them
    /// (also counted in `verified`).
    pub verified_for_warnings: u64,
    /// Verify on demand: senders whose unverified data was taken back after a failed
    /// verification ([`DropReason::Retracted`]).
    pub retracted: u64,
    /// Verify on demand: warnings not released because what they rest on failed verification
    /// or could not be verified (a record whose message is no longer kept).
    pub warnings_withheld: u64,
    /// Verify on demand: senders forgotten to make room for a new one.
    pub senders_evicted: u64,
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
    /// Other Day II messages used (RSC, VIR, PAM, CLPMM, VPM).
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
    /// Observations beyond the per-message limit.
    pub observations_dropped: u64,
    /// Events dropped because the queue was full.
    pub events_dropped: u64,
    /// Warnings not followed because the table of active warnings was full.
    pub warnings_dropped: u64,
    /// Polls.
    pub polls: u64,
    /// Warnings raised (each warning once, when it starts).
    pub warnings_raised: u64,
    /// Warnings whose level or content changed.
    pub warnings_updated: u64,
    /// Warnings that ended.
    pub warnings_cleared: u64,
    /// Calls with time going backwards.
    pub time_went_backwards: u64,
    /// Ego states rejected.
    pub ego_rejected: u64,
    /// Messages the host vehicle sent (taken from it at a poll).
    pub transmitted: u64,
    /// Messages due that could not be built, signed or framed.
    pub transmit_failed: u64,
    /// Messages to send dropped because the queue was full.
    pub transmissions_dropped: u64,
    /// Certificate requests of verified messages handed to the host vehicle.
    pub certificate_requests: u64,
    /// Frames used that were read with T/CSAE 53-2020 (with Day II).
    pub frames_2020: u64,
    /// Frames used that were read with the 2019 release (and lifted).
    pub frames_2019: u64,
    /// Frames used that were read with T/CSAE 53-2017 (and lifted).
    pub frames_2017: u64,
    /// Frames several sets read with different meanings (the default set decided).
    pub ambiguous_frames: u64,
    /// Frames whose lift into the 2020 model lost or changed something.
    pub lifted_with_changes: u64,
    /// Day II messages of the cooperative applications handed to the host vehicle.
    pub day2_sent: u64,
    /// Day II messages of the cooperative applications not sent: no host vehicle (or no
    /// pseudonym yet), a message that did not encode, a full queue.
    pub day2_unsent: u64,
    /// Commands refused because too many were waiting.
    pub commands_dropped: u64,
}

/// How full the bounded stores are (see [`Stack::usage`](super::Stack::usage)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
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
    /// Active warnings.
    pub warnings: usize,
    /// Messages waiting to be sent.
    pub transmissions: usize,
    /// Verify on demand: senders followed.
    pub senders: usize,
    /// Verify on demand: senders whose latest message is kept, not verified yet.
    pub unverified_senders: usize,
    /// Verify on demand: bytes of the SPDUs kept for a later verification.
    pub kept_bytes: usize,
}
