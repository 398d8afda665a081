//! The sans-IO coordinator of the stack.
//!
//! A [`Stack`] does no I/O and reads no clock: the caller hands it received bytes with the
//! receive time ([`Stack::ingest`]), the ego's own state ([`Stack::set_ego`]) and onboard
//! sensor tracks ([`Stack::add_onboard_tracks`]), and calls [`Stack::poll`] at its application
//! rate (10 Hz is typical) to get the events.
//!
//! ```text
//! ingest(bytes, meta, now) ─ SPDU? ─ SpduVerifier ─┐
//!                          └─ plain ───────────────┴─ message set (rules / detection) ─ UPER MessageFrame
//!                                                     ─ lift into 2020 ─ World::take_frame ─┬─ MAP, SPAT, RSI, Day II → world stores
//!                                                                                            └─ BSM, PSM, RSM, SSM → observations → Tracker
//! poll(now) → world expiry → Tracker::step → object apps (FCW, ICW, …) + lane matching → road apps
//!           → cooperative apps (Day II) → their messages → host vehicle
//!           → warning lifecycle (raised / updated / cleared) → events
//! ```
//!
//! The stack owns the pieces and moves data between them; each piece owns its concern:
//! [`World`] the stores and the wire conversion, [`Tracker`] the fused
//! objects, [`apps`](crate::apps) the decisions, [`lifecycle`] the warnings' ids and life.
//!
//! | module | owns |
//! |---|---|
//! | [`config`] | [`StackConfig`], [`VerifyPolicy`] |
//! | [`events`] | [`Event`], [`DropReason`], [`StackCounters`], [`Usage`] |
//! | [`verify`] | [`SpduVerifier`], [`VerifyFailure`] and the mapping from security failures |
//! | [`sets`] | which message set (2017, 2019, 2020) a frame is read with: [`MessageSets`], [`SetRule`], detection, ambiguity |
//! | [`lifecycle`] | warning ids and their raised / updated / cleared life ([`ActiveWarning`]) |
//! | `ingest` | verify → message set → decode → lift → world / fusion ([`Received`]) |
//! | `ondemand` | verify on demand: the senders, their kept SPDUs, sampling, taking data back |
//! | `poll` | one application cycle |
//!
//! **Security**: a payload the metadata marks as an SPDU (or every payload, when
//! [`StackConfig::require_signatures`] is set) goes through the [`SpduVerifier`] given with
//! [`Stack::set_verifier`]; the verifier returns the inner payload or a typed
//! [`VerifyFailure`]. Without a verifier such payloads are dropped ([`DropReason::NoVerifier`]).
//! With feature `security`, the security layer's `Verifier` is an [`SpduVerifier`]. When the
//! signatures are verified is the [`VerifyPolicy`]: all before use (the default), or vehicles'
//! messages on demand ([below](#verify-on-demand)).
//!
//! # Verify on demand
//!
//! Verification is the whole cost of a signed stack (about 95 % of a signed message's cost in
//! `benches/pipeline.rs`), and most messages never matter: a car two lanes over that no
//! application warns about. With [`VerifyPolicy::OnDemand`] ([`StackConfig::verify`];
//! [`VerifyPolicy::Always`] stays the default: the strictest, and enough where the core keeps up
//! with verifying everything) the stack verifies a vehicle's
//! signature when its data matters:
//!
//! - **Cheap checks always, first.** Every SPDU goes through the verifier's check
//!   ([`SpduVerifier::check`]): structure, protocol version, algorithms, header, the AID
//!   permission of the signer's certificate, generation time, expiry, certificate validity,
//!   replay window, location; and the signer must be known, its chain verified and cached. A
//!   signer that is not is verified in full at once, chain and signature: a certificate of an
//!   unknown root, a revoked, expired or badly signed one never gets anything in.
//! - **Only vehicles' self-reports wait.** A BSM or PSM that passed the check is decoded,
//!   stored and tracked at once, its report marked unverified in the tracker; its bytes are
//!   kept (one SPDU per sender, [`VerifyPolicy::OnDemand`]'s `max_kept_bytes` at most, for
//!   `max_senders` senders at most). Roadside messages (MAP, SPAT, RSI, RSM), sensor-sharing
//!   messages and Day II guidance are always verified before use. The certificate requests
//!   of a message not verified yet are not passed on to the host vehicle (a forger could make
//!   the ego send its certificate).
//! - **Before a warning or advice is released**, every unverified report it rests on has its
//!   sender's latest message verified (inside the same [`Stack::poll`]): the latest report of
//!   each source record of the object the warning is about, and the vehicle state (event
//!   flags) of its vehicle id. A warning whose object is still not entirely verified after
//!   that (a failed signature, or a report whose message is no longer kept) is withheld
//!   ([`StackCounters::warnings_withheld`]) and evaluated again at the next poll. This holds
//!   for every poll a warning is active, not only when it is raised.
//! - **At random per sender.** A sender's first message (a temporary id not followed yet) is
//!   verified on receipt, then one message at random intervals averaging `sample_interval_ms`
//!   (uniform between half and one and a half times it, drawn from a state stirred by all
//!   the traffic received), so that a forger is found even when it is harmless.
//! - **A failure takes the data back.** When a sender's message fails verification, what it
//!   reported unverified is removed from the tracker (its source records; a track fed only by
//!   them is deleted) and from the world (its vehicle state), reported as
//!   [`DropReason::Retracted`] ([`StackCounters::retracted`]), and the sender is quarantined:
//!   for `quarantine_ms` every message of it is verified before use.
//! - **The object list says it.** [`FusedObject::verified`](crate::fusion::FusedObject) is
//!   false while any report behind an object is unverified, and
//!   [`SourceRecord::verified`](crate::fusion::SourceRecord) says which; a planner reading
//!   [`Stack::objects`] can tell. [`Stack::sender_verified`] answers per sender.
//!
//! **What an attacker can and cannot achieve.** The one forgery the cheap checks cannot see is
//! a message that names a signer the receiver has cached (HashedId8s travel in the clear) and
//! carries a signature that does not verify. With it an attacker
//!
//! - *cannot* raise a warning or advice: the message each warning rests on is verified before
//!   the warning is released, and a forged one is withheld and its data taken back;
//! - *cannot* use a certificate it does not hold, nor a revoked or expired one, nor replay a
//!   message: those fail the checks at once, as with `Always`;
//! - *cannot* touch MAP, SPAT, RSI, RSM, SSM or Day II data: verified before use;
//! - *cannot* start a new sender: a temporary id's first message is verified on receipt;
//! - *can* show a planner objects flagged unverified, in the name of a sender it imitates,
//!   until that sender's next sample falls on one of its messages (`sample_interval_ms` on
//!   average when it sends in that sender's name alone);
//! - *can*, by interleaving its messages with a real vehicle's under the same temporary id,
//!   bias that vehicle's track within the association gate between samples; a warning about
//!   that vehicle is released only when its latest report verifies;
//! - *can* make the receiver verify every message of a sender it imitates for `quarantine_ms`
//!   after it is found, and drop that sender's unverified data: a cost no higher than `Always`
//!   and a disruption no worse than jamming that sender.
//!
//! Object applications that reason about several objects (TJW's queue) rest on the object
//! they warn about; the other objects they consider are not verified first.
//!
//! **Warning latency**: at most one verification per sender behind a released warning (usually
//! one: the object's own BSM), in the poll that releases it; a warning is released in the same
//! poll as with `Always` (the scenario suite gives the same warnings under both policies).
//! `cargo bench --bench pipeline --features testing` compares the two policies side by side.
//!
//! **Bounded memory**: every store, queue and table has a limit in [`StackConfig`] and counts
//! what it drops or evicts; the fusion tracker allocates its tables up front. Nothing grows with
//! the input, and a poll in steady state does not allocate.
//!
//! **The ego**: its own messages are dropped ([`DropReason::OwnMessage`]); the tracker's
//! self-filter removes roadside reports of the ego (by id or by position and motion).
//!
//! **Cooperative services** (Day II, [`crate::apps::coop`]): the caller's requests go in with
//! [`Stack::command`] (lane change, clear the way, signal priority, parking, platooning) and
//! its payment account with [`Stack::set_payment_account`]; what the applications send (VIR,
//! CLPMM, VPM) is built at the poll with the host vehicle's temporary id and position, and
//! queued on the host vehicle ([`HostVehicle::queue_message`]), which signs and frames it:
//! it appears in [`Stack::transmissions`] in the same poll. Without a host vehicle nothing is
//! sent (counted in [`StackCounters::day2_unsent`]).
use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::vec::Vec;

use crate::apps::{
    Command, CoopApp, ObjectApp, Outbox, PaymentAccount, RoadApp, Warning, coop_apps, object_apps,
    road_apps,
};
use crate::fusion::{EgoState, FusedObject, FusionError, Observation, Tracker};
use crate::geo::{EnuFrame, Wgs84};
use crate::host::{HostVehicle, Transmission, VehicleState};
use crate::net::PayloadKind;
use crate::time::Timestamp;
use crate::world::{Ego, LaneMatch, Taken, TurnSignal, VehicleFlags, World};

pub mod config;
pub mod events;
mod ingest;
pub mod lifecycle;
mod ondemand;
mod poll;
pub mod sets;
pub mod verify;

pub use config::{Day2Aids, StackConfig, VerifyPolicy};
pub use events::{DropReason, Event, StackCounters, StoreKind, Usage, WarningChange};
pub use lifecycle::ActiveWarning;
pub use sets::{Area, MessageSets, SetChoice, SetRule, Sets};
pub use verify::{CertificateRequests, SpduVerifier, Verified, VerifyFailure};

use lifecycle::Lifecycle;

/// How a buffer handed to [`Stack::ingest`] arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RxMeta {
    /// Plain `MessageFrame` or SPDU (from the DSMP dispatcher, or known by configuration).
    pub kind: PayloadKind,
    /// The AID of the DSMP packet, when known.
    pub aid: Option<u32>,
    /// The sender as the transport knows it (a PC5 layer-2 source id, an address, a station
    /// id; right-aligned in 8 octets), when known: matched against [`SetRule::Source`].
    pub source: Option<[u8; 8]>,
}

impl Default for RxMeta {
    fn default() -> Self {
        RxMeta::PLAIN
    }
}

impl RxMeta {
    /// A plain UPER `MessageFrame`.
    pub const PLAIN: RxMeta = RxMeta {
        kind: PayloadKind::MessageFrame,
        aid: None,
        source: None,
    };
    /// A secured message.
    pub const SPDU: RxMeta = RxMeta {
        kind: PayloadKind::Spdu,
        aid: None,
        source: None,
    };

    /// With the DSMP AID.
    pub const fn with_aid(mut self, aid: u32) -> RxMeta {
        self.aid = Some(aid);
        self
    }

    /// With the transport sender.
    pub const fn with_source(mut self, source: [u8; 8]) -> RxMeta {
        self.source = Some(source);
        self
    }
}

pub use crate::world::Ingested;
pub use ingest::Received;

/// The ego as the stack keeps it between polls: the fusion core's view of the fix and what
/// the applications need beyond it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct EgoInput {
    state: EgoState,
    accel_mps2: f64,
    turn_signal: TurnSignal,
    emergency: bool,
    transit: bool,
}

/// Errors creating a stack.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum StackError {
    /// The fusion core could not be created (invalid origin).
    #[error("fusion: {0}")]
    Fusion(#[from] FusionError),
}

/// The stack. See the [module docs](self).
pub struct Stack {
    config: StackConfig,
    world: World,
    tracker: Tracker,
    verifier: Option<Box<dyn SpduVerifier>>,
    ego: Option<EgoInput>,
    temporary_id: Option<[u8; 8]>,
    host: Option<HostVehicle>,
    transmissions: VecDeque<Transmission>,
    anchored: bool,
    object_apps: Vec<Box<dyn ObjectApp>>,
    road_apps: Vec<Box<dyn RoadApp>>,
    coop_apps: Vec<Box<dyn CoopApp>>,
    commands: Vec<Command>,
    account: Option<Box<dyn PaymentAccount>>,
    outbox: Outbox,
    day2_counts: [u8; 3],
    lifecycle: Lifecycle,
    events: VecDeque<Event>,
    counters: StackCounters,
    last_poll: Option<Timestamp>,
    // Scratch and outputs of the last poll, reused so that a poll does not allocate.
    taken: Taken,
    objects: Vec<FusedObject>,
    flags: Vec<VehicleFlags>,
    warnings: Vec<Warning>,
    lane: Option<LaneMatch>,
    ego_view: Option<Ego>,
    // Verify on demand: the senders followed, and a buffer for the SPDU being verified.
    senders: ondemand::Senders,
    scratch: Vec<u8>,
}

impl core::fmt::Debug for Stack {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Stack")
            .field("counters", &self.counters)
            .field("usage", &self.usage())
            .finish_non_exhaustive()
    }
}

impl Stack {
    /// A stack with `config` and the default object and road applications.
    pub fn new(config: StackConfig) -> Result<Self, StackError> {
        let tracker = Tracker::new(config.fusion, config.origin)?;
        let tracks = config.fusion.max_tracks.min(4096);
        Ok(Stack {
            world: World::new(config.world),
            tracker,
            verifier: None,
            ego: None,
            temporary_id: None,
            host: None,
            transmissions: VecDeque::with_capacity(config.max_transmissions.min(1024)),
            anchored: false,
            object_apps: object_apps(),
            road_apps: road_apps(),
            coop_apps: coop_apps(),
            commands: Vec::with_capacity(Self::MAX_COMMANDS),
            account: None,
            outbox: Outbox::new(),
            day2_counts: [0; 3],
            lifecycle: Lifecycle::new(config.max_active_warnings),
            events: VecDeque::with_capacity(config.max_events.min(4096)),
            counters: StackCounters::default(),
            last_poll: None,
            taken: Taken::with_capacity(config.max_observations_per_message),
            objects: Vec::with_capacity(tracks),
            flags: Vec::with_capacity(tracks),
            warnings: Vec::with_capacity(64),
            lane: None,
            ego_view: None,
            senders: ondemand::Senders::with_capacity(match config.verify {
                VerifyPolicy::OnDemand { max_senders, .. } => max_senders.min(4096),
                _ => 0,
            }),
            scratch: Vec::new(),
            config,
        })
    }

    /// Sets the verifier for secured messages.
    pub fn set_verifier(&mut self, v: Box<dyn SpduVerifier>) {
        self.verifier = Some(v);
    }

    /// Puts the ego on the air: from now on the ego states given to [`Stack::set_ego`] and the
    /// onboard tracks given to [`Stack::add_onboard_tracks`] also feed `host`, each poll
    /// collects the messages it has due (BSM, SSM; signed when it has a pseudonym pool) into
    /// [`Stack::transmissions`], and certificate requests in verified messages reach it. The
    /// ego's temporary id is then the host vehicle's (it changes with its pseudonyms).
    pub fn set_host(&mut self, host: HostVehicle) {
        self.host = Some(host);
    }

    /// The host vehicle, when the ego is on the air.
    pub fn host(&self) -> Option<&HostVehicle> {
        self.host.as_ref()
    }

    /// The host vehicle, to change its rate inputs or pseudonym pool.
    pub fn host_mut(&mut self) -> Option<&mut HostVehicle> {
        self.host.as_mut()
    }

    /// The ego's temporary id when it does not transmit through [`Stack::set_host`] (its own
    /// messages and the roadside's reports carrying it are then recognised).
    pub fn set_temporary_id(&mut self, id: Option<[u8; 8]>) {
        self.temporary_id = id;
    }

    /// The messages to send that the host vehicle produced since the last call, oldest first
    /// (the UPER frame, the SPDU when signed, and the DSMP packet for the radio).
    pub fn transmissions(&mut self) -> alloc::collections::vec_deque::Drain<'_, Transmission> {
        self.transmissions.drain(..)
    }

    /// Replaces the object applications.
    pub fn set_object_apps(&mut self, apps: Vec<Box<dyn ObjectApp>>) {
        self.object_apps = apps;
    }

    /// Replaces the road applications.
    pub fn set_road_apps(&mut self, apps: Vec<Box<dyn RoadApp>>) {
        self.road_apps = apps;
    }

    /// Replaces the cooperative (Day II) applications.
    pub fn set_coop_apps(&mut self, apps: Vec<Box<dyn CoopApp>>) {
        self.coop_apps = apps;
    }

    /// Most commands waiting for the next poll.
    pub const MAX_COMMANDS: usize = 16;

    /// Asks the cooperative applications for something (a lane change, clearing the way,
    /// signal priority, a parking slot, joining or leaving a platoon): offered to them once, at
    /// the next poll with an ego state and a temporary id (before the host vehicle's first
    /// message the ego has none). Refused when [`Self::MAX_COMMANDS`] wait already.
    pub fn command(&mut self, command: Command) -> Result<(), DropReason> {
        if self.commands.len() >= Self::MAX_COMMANDS {
            let now = self.last_poll.unwrap_or_default();
            return Err(self.dropped(DropReason::StoreFull(StoreKind::Commands), now));
        }
        self.commands.push(command);
        Ok(())
    }

    /// Sets the caller's payment account for near-field payment (VNFP). The stack asks it for
    /// the data of each payment message and keeps none of it.
    pub fn set_payment_account(&mut self, account: Box<dyn PaymentAccount>) {
        self.account = Some(account);
    }

    /// Removes the payment account: no payment is answered any more. Returns it.
    pub fn take_payment_account(&mut self) -> Option<Box<dyn PaymentAccount>> {
        self.account.take()
    }

    /// The ego's temporary id: the host vehicle's current one when it is on the air, else the
    /// one given with [`Stack::set_temporary_id`].
    pub fn temporary_id(&self) -> Option<[u8; 8]> {
        self.ego_id()
    }

    /// The configuration.
    pub fn config(&self) -> &StackConfig {
        &self.config
    }

    /// Counters.
    pub fn counters(&self) -> &StackCounters {
        &self.counters
    }

    /// The world stores (MAP, SPAT, RSI, Day II, vehicles).
    pub fn world(&self) -> &World {
        &self.world
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

    /// The warnings active after the last poll, with their ids.
    pub fn active_warnings(&self) -> &[ActiveWarning] {
        self.lifecycle.active()
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
        let w = self.world.usage();
        Usage {
            tracks: self.tracker.tracks().len(),
            intersections: w.intersections,
            signals: w.signals,
            road_info: w.road_info,
            vehicles: w.vehicles,
            day2: w.day2,
            events: self.events.len(),
            warnings: self.lifecycle.active().len(),
            transmissions: self.transmissions.len(),
            senders: self.senders.len(),
            unverified_senders: self.senders.unverified(),
            kept_bytes: self.senders.kept_bytes(),
        }
    }

    fn push_event(&mut self, e: Event) {
        push_bounded(
            &mut self.events,
            &mut self.counters,
            self.config.max_events,
            e,
        );
    }

    /// Counts a drop (and reports it when configured); returns the reason.
    fn dropped(&mut self, reason: DropReason, now: Timestamp) -> DropReason {
        let c = &mut self.counters;
        match reason {
            DropReason::TooLarge => c.too_large += 1,
            DropReason::NoVerifier => c.no_verifier += 1,
            DropReason::Unsigned => c.unsigned += 1,
            DropReason::Verify(_) => c.verify_failed += 1,
            DropReason::Retracted(_) => c.retracted += 1,
            DropReason::Decode(_) => c.decode_failed += 1,
            DropReason::OwnMessage => c.own_messages += 1,
            DropReason::Unsupported => c.unsupported += 1,
            DropReason::Adapt(_) => c.adapt_failed += 1,
            DropReason::Fusion(_) => c.fusion_rejected += 1,
            DropReason::StoreFull(StoreKind::Observations) => c.observations_dropped += 1,
            DropReason::StoreFull(StoreKind::Events) => c.events_dropped += 1,
            DropReason::StoreFull(StoreKind::Warnings) => c.warnings_dropped += 1,
            DropReason::StoreFull(StoreKind::Transmissions) => c.transmissions_dropped += 1,
            DropReason::StoreFull(StoreKind::Commands) => c.commands_dropped += 1,
            DropReason::TransmitFailed => c.transmit_failed += 1,
            DropReason::TimeWentBackwards => c.time_went_backwards += 1,
            DropReason::EgoRejected => c.ego_rejected += 1,
        }
        if self.config.report_drops {
            self.push_event(Event::Dropped { time: now, reason });
        }
        reason
    }

    fn ego_id(&self) -> Option<[u8; 8]> {
        match &self.host {
            Some(h) => h.temporary_id(),
            None => self.temporary_id,
        }
    }

    /// Sets the ego's state (from its positioning and the vehicle's ECUs, in time order): the
    /// fusion core and the applications take its position, heading, speed, yaw rate,
    /// acceleration, size and turn signal, and the host vehicle (when set) the whole state.
    /// A state without a usable position or heading reaches only the host vehicle (it decides
    /// what to send during a GNSS outage). The first state far from the frame origin re-anchors
    /// the fusion frame at the ego.
    pub fn set_ego(&mut self, state: &VehicleState) -> Result<(), DropReason> {
        if let Some(h) = self.host.as_mut() {
            if h.update(state.clone()).is_err() {
                return Err(self.dropped(DropReason::TimeWentBackwards, state.time));
            }
        }
        let Some(fusion_state) = state.fusion_ego(self.ego_id()) else {
            return Err(self.dropped(DropReason::EgoRejected, state.time));
        };
        let ego = EgoInput {
            state: fusion_state,
            accel_mps2: state.accel_long_mps2.unwrap_or(0.0),
            turn_signal: state.turn_signal(),
            emergency: emergency_on_call(state),
            transit: state.class.is_some_and(|c| (50..=59).contains(&c.basic)),
        };
        let s = &ego.state;
        let p = Wgs84::new(s.lat_deg, s.lon_deg, s.alt_m);
        if !self.anchored {
            let far = match self.tracker.frame().enu_from_wgs84(&p) {
                Ok(e) => crate::math::hypot(e.x, e.y) > self.config.fusion.reanchor_distance_m,
                Err(_) => true,
            };
            if far && self.tracker.reanchor(p).is_err() {
                return Err(self.dropped(DropReason::EgoRejected, s.time));
            }
            self.anchored = true;
        }
        match self.tracker.set_ego_state(s) {
            Ok(()) => {
                self.ego = Some(ego);
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
        if let Some(h) = self.host.as_mut() {
            h.set_onboard_tracks(tracks);
        }
        tracks
            .iter()
            .filter(|t| self.fuse_one(t, now, true).is_ok())
            .count()
    }
}

/// Whether a vehicle state is an emergency vehicle on a call: an emergency-vehicle class
/// (60..=69) or an emergency state, with siren or emergency light bar on, and not on a
/// non-emergency response.
fn emergency_on_call(state: &VehicleState) -> bool {
    use crate::host::{LightBar, Response};
    let Some(e) = state.emergency else {
        return false;
    };
    let signalling = e.siren == Some(true) || e.light_bar == Some(LightBar::Emergency);
    signalling && e.response != Some(Response::NonEmergency)
}

/// Queues `e`, or counts it as dropped when the queue holds `max` events.
fn push_bounded(q: &mut VecDeque<Event>, c: &mut StackCounters, max: usize, e: Event) {
    if q.len() >= max {
        c.events_dropped += 1;
        return;
    }
    q.push_back(e);
}
