//! The stack's configuration, with defaults that work out of the box and a builder.
use crate::fusion::FusionConfig;
use crate::geo::Wgs84;
use crate::msg::Standard;
use crate::net::{Aid, aid};
use crate::world::WorldConfig;

use super::sets::{MessageSets, SetRule};

/// The AIDs the ego's Day II messages go out under (no normative register allocates them;
/// the defaults are the values in use in deployed stacks, see [`crate::net::aid`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day2Aids {
    /// Vehicle intention and request (default 24).
    pub vir: Aid,
    /// Platooning management (default 19).
    pub clpmm: Aid,
    /// Vehicle payment (default 25).
    pub vpm: Aid,
}

impl Default for Day2Aids {
    fn default() -> Self {
        Day2Aids {
            vir: aid::VIR,
            clpmm: aid::CLPMM,
            vpm: aid::VPM,
        }
    }
}

/// Configuration of a [`Stack`](super::Stack). `Default` works out of the box; the `with_*`
/// methods change one setting each:
///
/// ```
/// use cv2x::StackConfig;
/// let c = StackConfig::default().with_require_signatures(true).with_max_events(256);
/// assert!(c.require_signatures);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StackConfig {
    /// Initial origin of the fusion frame (re-anchored at the first ego state when far from
    /// it).
    pub origin: Wgs84,
    /// Fusion core.
    pub fusion: FusionConfig,
    /// World stores: limits, ages, lane matching, SPAT staleness.
    pub world: WorldConfig,
    /// Every payload must be a verified SPDU (default false).
    pub require_signatures: bool,
    /// Longer payloads are dropped, bytes (default 8192).
    pub max_message_bytes: usize,
    /// Events queued between polls (default 1024; more are dropped and counted).
    pub max_events: usize,
    /// Observations taken from one message (default 512).
    pub max_observations_per_message: usize,
    /// Warnings followed at once (default 256; more are not raised, and counted).
    pub max_active_warnings: usize,
    /// Messages to send kept until [`Stack::transmissions`](super::Stack::transmissions) takes
    /// them (default 64; older ones are dropped and counted).
    pub max_transmissions: usize,
    /// Report drops as events (default true).
    pub report_drops: bool,
    /// Report an [`Event::Objects`](super::Event::Objects) each poll (default true).
    pub report_objects: bool,
    /// Which message set received frames are read with (default: 2017, 2019 and 2020 by
    /// detection, 2020 deciding; see [`sets`](super::sets)).
    pub message_sets: MessageSets,
    /// The AIDs of the ego's Day II messages (requests, platooning, payment).
    pub day2_aids: Day2Aids,
    /// When signatures are verified (default [`VerifyPolicy::Always`]).
    pub verify: VerifyPolicy,
}

/// When the stack verifies the signature of a secured message. See "Verify on demand" in the
/// [stack docs](super#verify-on-demand) for the policy and its security argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum VerifyPolicy {
    /// Every secured message is verified in full before anything in it is used (the default:
    /// nothing unauthenticated ever reaches the world, the tracker or the applications).
    #[default]
    Always,
    /// Vehicles' self-reports (BSM, PSM) whose signer is known are used after the cheap checks
    /// and their signature verified when it matters: before a warning or advice resting on them
    /// is released, at random intervals per sender, and always for a sender's first message and
    /// while it is quarantined. Roadside messages (MAP, SPAT, RSI, RSM), sensor sharing and Day
    /// II guidance are always verified before use.
    OnDemand {
        /// Mean interval between two verifications of one sender's messages, ms: each interval
        /// is drawn uniformly between half and one and a half times this (default 1000).
        sample_interval_ms: i64,
        /// Senders followed (default 512). When every one of them holds an unverified message,
        /// a new sender's messages are verified at once.
        max_senders: usize,
        /// Longest SPDU kept for a later verification, bytes (default 1024); a longer one is
        /// verified at once.
        max_kept_bytes: usize,
        /// After a failed verification, every message of that sender is verified before use
        /// for this long, ms (default 10 000).
        quarantine_ms: i64,
        /// A sender not heard from for this long is forgotten, ms (default 10 000; at least the
        /// quarantine).
        sender_max_age_ms: i64,
    },
}

impl VerifyPolicy {
    /// [`VerifyPolicy::OnDemand`] with its defaults.
    pub const fn on_demand() -> Self {
        Self::on_demand_every(1000)
    }

    /// [`VerifyPolicy::OnDemand`] with this mean sampling interval, ms, and the other defaults.
    pub const fn on_demand_every(sample_interval_ms: i64) -> Self {
        VerifyPolicy::OnDemand {
            sample_interval_ms,
            max_senders: 512,
            max_kept_bytes: 1024,
            quarantine_ms: 10_000,
            sender_max_age_ms: 10_000,
        }
    }

    /// Whether signatures of vehicles' messages may be verified after use.
    pub const fn is_on_demand(&self) -> bool {
        matches!(self, VerifyPolicy::OnDemand { .. })
    }
}

impl Default for StackConfig {
    fn default() -> Self {
        StackConfig {
            origin: Wgs84::new(0.0, 0.0, 0.0),
            fusion: FusionConfig::default(),
            world: WorldConfig::default(),
            require_signatures: false,
            max_message_bytes: 8192,
            max_events: 1024,
            max_observations_per_message: 512,
            max_active_warnings: 256,
            max_transmissions: 64,
            report_drops: true,
            report_objects: true,
            message_sets: MessageSets::default(),
            day2_aids: Day2Aids::default(),
            verify: VerifyPolicy::Always,
        }
    }
}

impl StackConfig {
    /// With the initial origin of the fusion frame.
    pub fn with_origin(mut self, origin: Wgs84) -> Self {
        self.origin = origin;
        self
    }

    /// With a fusion configuration.
    pub fn with_fusion(mut self, fusion: FusionConfig) -> Self {
        self.fusion = fusion;
        self
    }

    /// With a world configuration.
    pub fn with_world(mut self, world: WorldConfig) -> Self {
        self.world = world;
        self
    }

    /// Whether every payload must be a verified SPDU.
    pub fn with_require_signatures(mut self, on: bool) -> Self {
        self.require_signatures = on;
        self
    }

    /// With the largest payload taken, bytes.
    pub fn with_max_message_bytes(mut self, n: usize) -> Self {
        self.max_message_bytes = n;
        self
    }

    /// With the number of events queued between polls.
    pub fn with_max_events(mut self, n: usize) -> Self {
        self.max_events = n;
        self
    }

    /// With the number of observations taken from one message.
    pub fn with_max_observations_per_message(mut self, n: usize) -> Self {
        self.max_observations_per_message = n;
        self
    }

    /// With the number of warnings followed at once.
    pub fn with_max_active_warnings(mut self, n: usize) -> Self {
        self.max_active_warnings = n;
        self
    }

    /// Whether drops are reported as events.
    pub fn with_report_drops(mut self, on: bool) -> Self {
        self.report_drops = on;
        self
    }

    /// Whether each poll reports an objects event.
    pub fn with_report_objects(mut self, on: bool) -> Self {
        self.report_objects = on;
        self
    }

    /// With how received frames' message sets are chosen.
    pub fn with_message_sets(mut self, sets: MessageSets) -> Self {
        self.message_sets = sets;
        self
    }

    /// With a message-set rule added after the others (per AID, per source, per region).
    ///
    /// ```
    /// use cv2x::msg::Standard;
    /// use cv2x::stack::{SetRule, StackConfig};
    /// // This roadside unit sends the 2019 release.
    /// let c = StackConfig::default().with_set_rule(SetRule::Source {
    ///     id: *b"RSU-0042",
    ///     set: Standard::Csae53_2019,
    /// });
    /// assert_eq!(c.message_sets.rules.len(), 1);
    /// ```
    pub fn with_set_rule(mut self, rule: SetRule) -> Self {
        self.message_sets.rules.push(rule);
        self
    }

    /// With the set that decides ambiguous frames (and every frame without detection).
    pub fn with_default_set(mut self, set: Standard) -> Self {
        self.message_sets.default = set;
        self
    }

    /// Whether frames no rule covers are read by detection (else with the default set).
    pub fn with_set_detection(mut self, on: bool) -> Self {
        self.message_sets.detect = on;
        self
    }

    /// With a verification policy.
    pub fn with_verify_policy(mut self, policy: VerifyPolicy) -> Self {
        self.verify = policy;
        self
    }
}
