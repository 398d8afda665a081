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
//! | [`config`] | [`StackConfig`] |
//! | [`events`] | [`Event`], [`DropReason`], [`StackCounters`], [`Usage`] |
//! | [`verify`] | [`SpduVerifier`], [`VerifyFailure`] and the mapping from security failures |
//! | [`sets`] | which message set (2017, 2019, 2020) a frame is read with: [`MessageSets`], [`SetRule`], detection, ambiguity |
//! | [`lifecycle`] | warning ids and their raised / updated / cleared life ([`ActiveWarning`]) |
//! | `ingest` | verify → message set → decode → lift → world / fusion ([`Received`]) |
//! | `poll` | one application cycle |
//!
//! **Security**: a payload the metadata marks as an SPDU (or every payload, when
//! [`StackConfig::require_signatures`] is set) goes through the [`SpduVerifier`] given with
//! [`Stack::set_verifier`]; the verifier returns the inner payload or a typed
//! [`VerifyFailure`]. Without a verifier such payloads are dropped ([`DropReason::NoVerifier`]).
//! With feature `security`, the security layer's `Verifier` is an [`SpduVerifier`].
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
mod poll;
pub mod sets;
pub mod verify;

pub use config::{Day2Aids, StackConfig};
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
            .filter(|t| self.fuse_one(t, now).is_ok())
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
