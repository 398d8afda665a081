//! One application cycle: expiry, fusion, the applications, the warnings' life.
use alloc::collections::vec_deque::Drain;

use crate::apps::{CoopContext, ObjectContext, RoadContext};
use crate::codec::Uper;
use crate::geo::Wgs84;
use crate::host::MessageKind;
use crate::math::{cos, sin};
use crate::time::Timestamp;
use crate::world::day2::{Outgoing, Sender};
use crate::world::{Ego, SignalInput, match_ego};

use super::{DropReason, Event, Stack, StoreKind, push_bounded};

impl Stack {
    /// Takes what the host vehicle has due at `now` into the transmission queue.
    fn collect_transmissions(&mut self, now: Timestamp) {
        // A bounded number per poll: a host vehicle never has more than a BSM and an SSM due,
        // plus an event BSM, and the application messages it queues.
        for _ in 0..8 + crate::host::HostVehicle::QUEUE_CAPACITY {
            let Some(host) = self.host.as_mut() else {
                return;
            };
            match host.poll(now) {
                Ok(Some(t)) => {
                    if self.transmissions.len() >= self.config.max_transmissions {
                        self.transmissions.pop_front();
                        self.dropped(DropReason::StoreFull(StoreKind::Transmissions), now);
                    }
                    self.transmissions.push_back(t);
                    self.counters.transmitted += 1;
                }
                Ok(None) => return,
                Err(_) => {
                    self.dropped(DropReason::TransmitFailed, now);
                }
            }
        }
    }

    /// Builds what the cooperative applications want sent and queues it on the host vehicle.
    fn send_day2(&mut self, now: Timestamp, ego: &crate::world::Ego, w: Wgs84) {
        let aids = self.config.day2_aids;
        let id = self.ego_id();
        for o in self.outbox.drain() {
            let (kind, aid, slot) = match o {
                Outgoing::Intention(_) => (MessageKind::Vir, aids.vir, 0),
                Outgoing::Platoon(_) => (MessageKind::Clpmm, aids.clpmm, 1),
                Outgoing::PaymentInfo(_) | Outgoing::PaymentAnswer(_) => {
                    (MessageKind::Vpm, aids.vpm, 2)
                }
            };
            let (Some(host), Some(id)) = (self.host.as_mut(), id) else {
                self.counters.day2_unsent += 1;
                continue;
            };
            let sender = Sender {
                id,
                time: now,
                position: w,
                heading_deg: ego.heading_deg,
                speed_mps: ego.speed_mps,
            };
            let cnt = self.day2_counts.get(slot).copied().unwrap_or(0);
            let frame = crate::world::convert::outgoing::frame(&o, &sender, cnt);
            let queued = frame
                .encode()
                .ok()
                .is_some_and(|uper| host.queue_message(kind, aid, uper, cnt).is_ok());
            if queued {
                if let Some(c) = self.day2_counts.get_mut(slot) {
                    *c = (*c + 1) % 128;
                }
                self.counters.day2_sent += 1;
            } else {
                self.counters.day2_unsent += 1;
            }
        }
    }

    /// Takes the fused objects and their vehicles' flags from the tracker and the world.
    fn snapshot_objects(&mut self) {
        self.tracker.snapshot(&mut self.objects);
        self.flags.clear();
        let vehicles = self.world.vehicles();
        self.flags.extend(self.objects.iter().map(|o| {
            o.vehicle_id
                .and_then(|id| vehicles.flags(&id))
                .unwrap_or_default()
        }));
    }

    /// The ego dead-reckoned from its last state to `now` (at most 1 s ahead), in the fusion
    /// frame, with its WGS-84 position.
    fn ego_at(&self, now: Timestamp) -> Option<(Ego, Wgs84)> {
        let u = self.ego?;
        let s = &u.state;
        let frame = self.tracker.frame();
        let e = frame
            .enu_from_wgs84(&Wgs84::new(s.lat_deg, s.lon_deg, s.alt_m))
            .ok()?;
        let dt = now.seconds_since(s.time).clamp(0.0, 1.0);
        let h = s.heading_deg.to_radians();
        let d = s.speed_mps * dt;
        let pos = [e.x + d * sin(h), e.y + d * cos(h)];
        let w = frame.wgs84_from_enu(&nalgebra::Vector3::new(pos[0], pos[1], 0.0));
        let mut ego = Ego::new(now, pos, s.heading_deg, s.speed_mps);
        ego.accel_mps2 = u.accel_mps2;
        ego.yaw_rate_dps = -s.yaw_rate_rps.to_degrees();
        ego.length_m = s.length_m;
        ego.width_m = s.width_m;
        ego.turn_signal = u.turn_signal;
        ego.emergency = u.emergency;
        ego.transit = u.transit;
        Some((ego, w))
    }

    /// Runs one cycle at `now`: expiry of the world stores, fusion, the object and road
    /// applications, and the warnings' life. Returns the events queued since the previous poll
    /// (drops, Day II) followed by this cycle's warning changes (raised, updated, cleared) and
    /// the object snapshot. The active warnings themselves are in
    /// [`Stack::active_warnings`]. In steady state a poll does not allocate.
    pub fn poll(&mut self, now: Timestamp) -> Drain<'_, Event> {
        self.counters.polls += 1;
        if self.last_poll.is_some_and(|l| now < l) {
            self.dropped(DropReason::TimeWentBackwards, now);
            return self.events.drain(..);
        }
        self.last_poll = Some(now);
        self.world.expire(now);
        if self.tracker.step(now).is_err() {
            self.dropped(DropReason::TimeWentBackwards, now);
        }
        self.snapshot_objects();
        self.warnings.clear();
        let ego = self.ego_at(now);
        self.ego_view = ego.map(|e| e.0);
        self.lane = None;
        if let Some((ego, ego_wgs)) = ego {
            let cx = ObjectContext {
                now,
                ego: &ego,
                objects: &self.objects,
                flags: &self.flags,
            };
            for app in &mut self.object_apps {
                app.evaluate(&cx, &mut self.warnings);
            }
            let matching = &self.config.world.matching;
            self.lane = match_ego(
                self.world.map(),
                &ego_wgs,
                ego.heading_deg,
                ego.turn_signal,
                matching,
            );
            let signal = match &self.lane {
                Some(l) => self.world.spat().signal_for(
                    l.intersection,
                    l.phase_id,
                    now,
                    matching.spat_max_age_ms,
                ),
                None => SignalInput::None,
            };
            let rcx = RoadContext {
                now,
                ego: &ego,
                ego_wgs84: ego_wgs,
                lane: self.lane.as_ref(),
                signal,
                map: self.world.map(),
                road_info: self.world.road_info(),
                frame: self.tracker.frame(),
            };
            for app in &mut self.road_apps {
                app.evaluate(&rcx, &mut self.warnings);
            }
            let ego_id = self.ego_id();
            let mut ccx = CoopContext {
                now,
                ego: &ego,
                ego_wgs84: ego_wgs,
                ego_id,
                lane: self.lane.as_ref(),
                map: self.world.map(),
                road_info: self.world.road_info(),
                day2: self.world.day2(),
                objects: &self.objects,
                frame: self.tracker.frame(),
                // Commands wait until the ego has a temporary id to send them under.
                commands: if ego_id.is_some() {
                    &self.commands
                } else {
                    &[]
                },
                account: self.account.as_deref_mut(),
                outbox: &mut self.outbox,
            };
            for app in &mut self.coop_apps {
                app.evaluate(&mut ccx, &mut self.warnings);
            }
            self.send_day2(now, &ego, ego_wgs);
            if ego_id.is_some() {
                self.commands.clear();
            }
        }
        if self.config.verify.is_on_demand() {
            // Verify on demand: what a warning rests on is verified before it is released.
            if self.verify_for_warnings(now) {
                self.snapshot_objects();
            }
            self.withhold_unverified();
            self.expire_senders(now);
        }
        let (events, counters, max) =
            (&mut self.events, &mut self.counters, self.config.max_events);
        let ch = self.lifecycle.update(now, &self.warnings, |e| {
            push_bounded(events, counters, max, e);
        });
        self.counters.warnings_raised += ch.raised;
        self.counters.warnings_updated += ch.updated;
        self.counters.warnings_cleared += ch.cleared;
        if ch.not_followed > 0 {
            self.dropped(DropReason::StoreFull(StoreKind::Warnings), now);
            self.counters.warnings_dropped += ch.not_followed - 1;
        }
        if self.config.report_objects {
            let count = u32::try_from(self.objects.len()).unwrap_or(u32::MAX);
            self.push_event(Event::Objects { time: now, count });
        }
        self.collect_transmissions(now);
        self.events.drain(..)
    }
}
