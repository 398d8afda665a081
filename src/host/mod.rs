//! # The host vehicle on the air
//!
//! The transmit side of an on-board unit: the ego vehicle's state goes in, the messages other
//! vehicles, roadside units and the cloud see it by come out.
//!
//! ```text
//! VehicleState ──► HostVehicle::update ──► path history (J2945/1 concise representation)
//!  (ECU, GNSS)                         ├─► path prediction (radius, confidence)
//!                                      ├─► events (reported + derived), heading latch
//!                                      └─► tracking error (J2945/1 dynamics)
//! CBR, density ──► rate policy (J2945/1 density ITT, TS 102 687 DCC), 100..=600 ms
//! onboard tracks ─► SSM (T/CSAE 157-2020)
//!            HostVehicle::poll(now) ──► Transmission { UPER, SPDU, DSMP, AID, … }
//!                      pseudonym pool ─┘ (certificate + key, id, msgCnt, history change together)
//! ```
//!
//! - [`VehicleState`] ([`state`]): the one ego input, SI units, `Option` = not available;
//!   the same type feeds fusion ([`VehicleState::fusion_ego`]) and the applications
//!   ([`VehicleState::turn_signal`]).
//! - [`HostVehicle`] ([`vehicle`]): sans-IO. [`HostVehicle::update`] takes states,
//!   [`HostVehicle::poll`] returns what is due at a given time, [`HostVehicle::next_due`] when
//!   to call again. BSMs go at 10 Hz (the baseline), stretched by the [`rate`] policy under
//!   load (never beyond 600 ms), at once when an event starts (under the event AID while it
//!   lasts), and early when the J2945/1 tracking error says receivers' extrapolation is off.
//!   No BSM goes out unless the newest state has a fix of at most
//!   [`HostConfig::max_fix_age_ms`]: a GNSS outage silences the vehicle rather than send a
//!   stale or unavailable position, and the path history restarts after a gap.
//! - BSM content ([`bsm`]): T/CSAE 53-2020 (default) or 2017 ([`BsmForm`]); `msgCnt` counts
//!   mod 128 from a random start per pseudonym; `secMark` is the fix time; `safetyExt`
//!   carries events, the [`path_history`], the [`prediction`] and the lights.
//! - Pseudonyms ([`pseudonym`]): a pool of certificates with their signing keys (any
//!   `security::sign::SigningBackend` (feature `security`), so keys may stay in a
//!   security chip); on a change the temporary id, both message counters, the path history
//!   and the certificate change in the same message. The whole certificate goes with the
//!   first message of a pseudonym, then once a second ([`HostConfig::certificate_interval_ms`]),
//!   and at once when a peer asks for it ([`HostVehicle::certificate_requested`]).
//! - Sensor sharing ([`ssm`]): the ego's own onboard tracks (never what it received) as a
//!   `SensorSharingMsg` at [`SsmConfig::interval_ms`].
//! - Application messages ([`HostVehicle::queue_message`]): a Day II request, platooning or
//!   payment message an application built goes out at the next poll, first, signed and framed
//!   like a BSM under the current pseudonym (dropped if the pseudonym changes before).
//!
//! Every output is a [`Transmission`]: time, AID, kind, the UPER `MessageFrame`, the SPDU when
//! signed, and the DSMP packet ready for the radio.
//!
//! The wire conversions (SI → 1e-7°, 0.02 m/s, 0.0125°, …) are the world model's
//! ([`crate::world::convert::to_wire`]); bad
//! input never panics: a state's NaN, infinite or out-of-range values become "not
//! available" ([`Accepted::dropped`]) and a state going back in time is refused
//! ([`InputError::TimeNotIncreasing`]).
pub mod bsm;
pub mod path_history;
pub mod prediction;
pub mod pseudonym;
pub mod rate;
pub mod ssm;
pub mod state;
pub mod vehicle;

pub use bsm::BsmForm;
pub use path_history::{PathHistoryConfig, PathPoint};
pub use prediction::{Prediction, PredictionConfig};
#[cfg(feature = "security")]
pub use pseudonym::{Credential, CredentialError, PseudonymPool};
pub use pseudonym::{PseudonymPolicy, RandomSource, SeededRandom};
pub use rate::{RateConfig, RatePolicy};
pub use state::{
    AccuracyEllipse, Brakes, ControlState, EmergencyState, Events, Field, FieldSet, FixQuality,
    GnssFix, InputError, LightBar, Lights, Problem, Response, TransmissionState, VehicleClass,
    VehicleSize, VehicleState,
};
pub use vehicle::{
    Accepted, BsmAids, ConfigItem, HeadingLatch, HostConfig, HostCounters, HostError, HostVehicle,
    MessageKind, SsmConfig, TracksTaken, Transmission,
};
