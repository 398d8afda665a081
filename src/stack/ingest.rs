//! Taking one received payload: size and signature policy, verification, the message set
//! ([`sets`](super::sets)) and decoding, the lift into the 2020 model, then the world stores and
//! the fusion core.
use alloc::borrow::Cow;

use crate::fusion::{FusionError, Observation, RejectReason};
use crate::msg::Standard;
use crate::msg::lift::Report;
use crate::msg::v2020 as m;
use crate::net::PayloadKind;
use crate::time::Timestamp;
use crate::world::{Ingested, Refused};

use super::ondemand;
use super::sets::{SetChoice, select};
use super::verify::frame_allowed_under;
use super::{CertificateRequests, DropReason, Event, RxMeta, Stack, StoreKind, VerifyFailure};

/// What [`Stack::ingest_detailed`] took from a frame: what it was, the message set it was read
/// with and why, and what lifting it into the 2020 model lost or changed.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Received {
    /// What the frame was, once taken into the world.
    pub what: Ingested,
    /// The set it was read with.
    pub set: Standard,
    /// Why that set.
    pub chosen_by: SetChoice,
    /// What the lift into the 2020 model lost or changed (empty for a 2020 frame and for a
    /// lossless lift).
    pub lift: Report,
}

impl Stack {
    /// Takes one received payload: verifies it when it is an SPDU, decodes the `MessageFrame`
    /// and feeds the world stores and the fusion core. Nothing is evaluated until
    /// [`Stack::poll`]. Every call ends as accepted (`Ok`) or dropped (`Err`, counted and, when
    /// configured, reported as an event).
    pub fn ingest(
        &mut self,
        bytes: &[u8],
        meta: &RxMeta,
        now: Timestamp,
    ) -> Result<Ingested, DropReason> {
        self.ingest_detailed(bytes, meta, now).map(|r| r.what)
    }

    /// [`Stack::ingest`], also telling which message set the frame was read with, why, and what
    /// its lift into the 2020 model lost or changed ([`Received`]).
    pub fn ingest_detailed(
        &mut self,
        bytes: &[u8],
        meta: &RxMeta,
        now: Timestamp,
    ) -> Result<Received, DropReason> {
        self.counters.received += 1;
        let r = self.ingest_inner(bytes, meta, now);
        match r {
            Ok(_) => self.counters.accepted += 1,
            Err(_) => self.counters.dropped += 1,
        }
        r
    }

    fn ingest_inner(
        &mut self,
        bytes: &[u8],
        meta: &RxMeta,
        now: Timestamp,
    ) -> Result<Received, DropReason> {
        if bytes.len() > self.config.max_message_bytes {
            return Err(self.dropped(DropReason::TooLarge, now));
        }
        let secured = meta.kind == PayloadKind::Spdu;
        if self.config.require_signatures && !secured {
            return Err(self.dropped(DropReason::Unsigned, now));
        }
        let on_demand = self.config.verify.is_on_demand();
        let mut requests = CertificateRequests::default();
        let (payload, psid, signature_verified): (Cow<'_, [u8]>, Option<u64>, bool) = if secured {
            let Some(v) = self.verifier.as_mut() else {
                return Err(self.dropped(DropReason::NoVerifier, now));
            };
            let r = if on_demand {
                v.check(bytes, now)
            } else {
                v.verify(bytes, now)
            };
            match r {
                Ok(ok) => {
                    if ok.signature_verified {
                        self.counters.verified += 1;
                    }
                    requests = ok.certificate_requests;
                    (ok.payload, ok.psid, ok.signature_verified)
                }
                Err(f) => return Err(self.dropped(DropReason::Verify(f), now)),
            }
        } else {
            (Cow::Borrowed(bytes), None, true)
        };
        let aid = meta.aid.or(psid.and_then(|p| u32::try_from(p).ok()));
        let map = self.world.map();
        let spat_place =
            |id: &m::NodeReferenceID| map.get(crate::world::map::node_key(id)).map(|i| i.ref_pos);
        let selected = match select(&self.config.message_sets, meta, aid, &payload, &spat_place) {
            Ok(s) => s,
            Err(kind) => return Err(self.dropped(DropReason::Decode(kind), now)),
        };
        let frame = selected.frame.value;
        if let Some(psid) = psid {
            if !frame_allowed_under(&frame, psid) {
                let f = VerifyFailure::ContentNotPermitted;
                return Err(self.dropped(DropReason::Verify(f), now));
            }
        }
        // Verify on demand: a vehicle's self-report may be used now and verified later; every
        // other message is verified before use.
        let sender = if on_demand && secured {
            self.senders.stir(bytes);
            ondemand::self_report_id(&frame)
        } else {
            None
        };
        let mut deferred = None;
        if !signature_verified {
            match sender {
                Some(id) if self.may_defer(&id, bytes, now) => deferred = Some(id),
                _ => self.verify_on_receipt(bytes, now, sender)?,
            }
        } else if let Some(id) = sender {
            self.sender_verified_now(id, now);
        }
        if deferred.is_none() && !requests.is_empty() {
            if let Some(h) = self.host.as_mut() {
                h.certificate_requested(requests.as_slice());
                self.counters.certificate_requests += 1;
            }
        }
        let r = self.take_frame(&frame, now, deferred.is_none());
        if let Some(id) = deferred {
            // Kept whenever the world took something from it (the vehicle state is stored
            // before fusion may reject the report).
            if matches!(r, Ok(_) | Err(DropReason::Fusion(_))) {
                let report = self.taken.observations.first().map(|o| o.time);
                let ok = r.is_ok();
                self.keep_unverified(&id, bytes, now, report.filter(|_| ok), ok);
            }
        }
        let what = r?;
        let lift = selected.frame.report;
        self.count_set(selected.set, selected.by, &lift, now);
        Ok(Received {
            what,
            set: selected.set,
            chosen_by: selected.by,
            lift,
        })
    }

    /// Counts (and reports) the set a used frame was read with, an ambiguity, a lossy lift.
    fn count_set(&mut self, set: Standard, by: SetChoice, lift: &Report, now: Timestamp) {
        let c = &mut self.counters;
        match set {
            Standard::Csae53_2019 => c.frames_2019 += 1,
            Standard::Csae53_2017 => c.frames_2017 += 1,
            _ => c.frames_2020 += 1,
        }
        let report = self.config.message_sets.report;
        if let SetChoice::Ambiguous { candidates } = by {
            c.ambiguous_frames += 1;
            if report {
                self.push_event(Event::Ambiguous {
                    time: now,
                    candidates,
                    chosen: set,
                });
            }
        }
        if !lift.is_empty() {
            self.counters.lifted_with_changes += 1;
            if report {
                self.push_event(Event::Lifted {
                    time: now,
                    set,
                    changes: lift.total(),
                });
            }
        }
    }

    fn take_frame(
        &mut self,
        frame: &m::MessageFrame,
        now: Timestamp,
        verified: bool,
    ) -> Result<Ingested, DropReason> {
        let ego = self.ego_id();
        let limit = self.config.max_observations_per_message;
        let mut taken = core::mem::take(&mut self.taken);
        let r = self.world.take_frame(frame, now, ego, limit, &mut taken);
        let r = match r {
            Ok(what) => self.fuse_taken(&taken, what, now, verified).map(|()| what),
            Err(Refused::OwnMessage) => Err(self.dropped(DropReason::OwnMessage, now)),
            Err(Refused::Unusable(e)) => Err(self.dropped(DropReason::Adapt(e), now)),
            Err(_) => Err(self.dropped(DropReason::Unsupported, now)),
        };
        self.taken = taken;
        r
    }

    /// Feeds what the world took from a frame to the fusion core and counts it. A message that
    /// is one report (BSM, PSM) is dropped when its report is rejected.
    fn fuse_taken(
        &mut self,
        taken: &crate::world::Taken,
        what: Ingested,
        now: Timestamp,
        verified: bool,
    ) -> Result<(), DropReason> {
        for e in &taken.unusable {
            self.dropped(DropReason::Adapt(*e), now);
        }
        if taken.over_limit > 0 {
            self.dropped(DropReason::StoreFull(StoreKind::Observations), now);
            // The first one is counted by `dropped`.
            self.counters.observations_dropped += taken.over_limit as u64 - 1;
        }
        let single = matches!(what, Ingested::Bsm | Ingested::Psm);
        for o in &taken.observations {
            let r = self.fuse_one(o, now, verified);
            if single {
                r?;
            }
        }
        if let Some(ev) = taken.day2 {
            self.push_event(Event::DayII {
                time: now,
                event: ev,
            });
        }
        let c = &mut self.counters;
        match what {
            Ingested::Bsm => c.bsm += 1,
            Ingested::Psm => c.psm += 1,
            Ingested::Rsm { .. } => c.rsm += 1,
            Ingested::Ssm { .. } => c.ssm += 1,
            Ingested::Map { .. } => c.map += 1,
            Ingested::Spat { .. } => c.spat += 1,
            Ingested::Rsi { .. } => c.rsi += 1,
            Ingested::DayII { .. } => c.day2 += 1,
        }
        Ok(())
    }

    /// Feeds one report to the fusion core, marked unverified when its message's signature is
    /// not verified yet.
    pub(super) fn fuse_one(
        &mut self,
        obs: &Observation,
        now: Timestamp,
        verified: bool,
    ) -> Result<(), DropReason> {
        let r = if verified {
            self.tracker.ingest(obs)
        } else {
            self.tracker.ingest_unverified(obs)
        };
        match r {
            Ok(()) => Ok(()),
            Err(FusionError::Rejected(r)) => Err(self.dropped(DropReason::Fusion(r), now)),
            Err(_) => Err(self.dropped(DropReason::Fusion(RejectReason::OutOfRange), now)),
        }
    }
}
