//! Verify on demand ([`VerifyPolicy::OnDemand`]): the senders whose self-reports are used before
//! their signature is verified, the bytes of each one's latest unverified SPDU, when each is
//! verified (first message, random samples, quarantine, before a warning), and taking back what
//! a sender reported once its signature fails.
//!
//! A sender is the road user a BSM or PSM reports (its temporary id): the tracker's source
//! records of kind BSM with that object id, and the vehicle-state store's entry of that id.
use alloc::vec::Vec;

use crate::apps::Target;
use crate::fusion::tracker::MAX_SOURCES;
use crate::fusion::{SourceId, SourceKind};
use crate::msg::v2020 as m;
use crate::time::Timestamp;

use super::config::VerifyPolicy;
use super::{DropReason, Stack, VerifyFailure};

/// The self-reporting sender of a frame (BSM, PSM): the only messages whose signature may be
/// verified after use.
pub(super) fn self_report_id(frame: &m::MessageFrame) -> Option<[u8; 8]> {
    match frame {
        m::MessageFrame::BsmFrame(b) => Some(b.id),
        m::MessageFrame::MsgFrameExt(ext) => match &ext.value {
            m::MessageFrameExtValue::PersonalSafetyMessage(p) => Some(p.id),
            _ => None,
        },
        _ => None,
    }
}

/// A sender silent this long may give its place to a new one, µs (the tracker deletes a
/// track fed by self-reports after one second without them).
const STALE_US: i64 = 1_000_000;

/// The tracker's source of self-reports.
const SELF_REPORTS: SourceId = SourceId {
    kind: SourceKind::Bsm,
    station: 0,
};

/// One sender.
#[derive(Debug, Clone)]
struct Sender {
    last_seen: Timestamp,
    /// The next message at or after this time is verified on receipt.
    next_sample: Timestamp,
    /// Until then every message is verified on receipt (after a failed verification).
    quarantined_until: Timestamp,
    /// The latest SPDU, while its signature is not verified (empty: the latest is verified).
    kept: Vec<u8>,
    /// When it was received.
    kept_received: Timestamp,
    /// The time of the report it carried (the tracker's record time), when it was fused.
    kept_report: Option<Timestamp>,
}

/// The senders followed, at most `max`; ids and entries side by side (a scan of the ids is a
/// scan of 8-octet keys).
#[derive(Debug, Clone, Default)]
pub(super) struct Senders {
    ids: Vec<[u8; 8]>,
    entries: Vec<Sender>,
    /// Sampling jitter: a xorshift state stirred with every SPDU received, so that when a
    /// sender is next sampled depends on the whole traffic this receiver heard.
    stir: u64,
}

impl Senders {
    pub(super) fn with_capacity(n: usize) -> Self {
        Senders {
            ids: Vec::with_capacity(n),
            entries: Vec::with_capacity(n),
            stir: 0x9E37_79B9_7F4A_7C15,
        }
    }

    fn find(&self, id: &[u8; 8]) -> Option<usize> {
        self.ids.iter().position(|i| i == id)
    }

    fn entry(&self, id: &[u8; 8]) -> Option<&Sender> {
        self.find(id).and_then(|i| self.entries.get(i))
    }

    fn entry_mut(&mut self, id: &[u8; 8]) -> Option<&mut Sender> {
        self.find(id).and_then(|i| self.entries.get_mut(i))
    }

    /// Mixes the tail of an SPDU (its signature) into the jitter state.
    pub(super) fn stir(&mut self, spdu: &[u8]) {
        let tail = spdu.get(spdu.len().saturating_sub(16)..).unwrap_or(&[]);
        for b in tail {
            self.stir = (self.stir ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01B3);
        }
    }

    /// A sampling interval, µs: uniform in [mean/2, 3·mean/2).
    fn interval_us(&mut self, mean_ms: i64) -> i64 {
        let mut x = self.stir;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.stir = x;
        let mean_us = mean_ms.max(0).saturating_mul(1000);
        let u = (x >> 11) as f64 / (1u64 << 53) as f64;
        (mean_us as f64 * (0.5 + u)) as i64
    }

    pub(super) fn len(&self) -> usize {
        self.ids.len()
    }

    /// Senders whose latest message is kept unverified.
    pub(super) fn unverified(&self) -> usize {
        self.entries.iter().filter(|e| !e.kept.is_empty()).count()
    }

    /// Bytes kept.
    pub(super) fn kept_bytes(&self) -> usize {
        self.entries.iter().map(|e| e.kept.len()).sum()
    }

    /// Whether `id`'s latest message is kept unverified.
    pub(super) fn has_kept(&self, id: &[u8; 8]) -> bool {
        self.entry(id).is_some_and(|e| !e.kept.is_empty())
    }

    /// `Some(true)` when `id`'s latest message is verified, `Some(false)` when it is kept
    /// unverified, `None` when `id` is not followed.
    pub(super) fn latest_verified(&self, id: &[u8; 8]) -> Option<bool> {
        self.entry(id).map(|e| e.kept.is_empty())
    }

    /// Whether a message of `id` received at `now` must be verified on receipt: a new sender,
    /// a sample due, a quarantined sender.
    fn due(&self, id: &[u8; 8], now: Timestamp) -> bool {
        self.entry(id)
            .is_none_or(|e| now >= e.next_sample || now < e.quarantined_until)
    }

    /// Records that `id`'s latest message, received at `now`, is verified: the kept one (if any)
    /// is superseded and the next sample drawn. When the table is full, a new sender takes the
    /// place of the sender heard from longest ago, if that one is silent for [`STALE_US`] and
    /// not quarantined; else the new sender is not followed (its messages are then verified on
    /// receipt, as with [`VerifyPolicy::Always`]). Returns whether a sender was evicted.
    fn verified(&mut self, id: [u8; 8], now: Timestamp, policy: &Params) -> bool {
        let next = now.add_micros(self.interval_us(policy.sample_interval_ms));
        if let Some(e) = self.entry_mut(&id) {
            e.kept.clear();
            e.kept_report = None;
            e.last_seen = now;
            e.next_sample = next;
            return false;
        }
        let mut evicted = false;
        if self.ids.len() >= policy.max_senders {
            let victim = self
                .entries
                .iter()
                .enumerate()
                .filter(|(_, e)| {
                    now.micros_since(e.last_seen) > STALE_US && now >= e.quarantined_until
                })
                .min_by_key(|(_, e)| e.last_seen)
                .map(|(i, _)| i);
            let Some(i) = victim else {
                return false;
            };
            self.ids.swap_remove(i);
            self.entries.swap_remove(i);
            evicted = true;
        }
        self.ids.push(id);
        self.entries.push(Sender {
            last_seen: now,
            next_sample: next,
            quarantined_until: Timestamp::EPOCH,
            kept: Vec::new(),
            kept_received: now,
            kept_report: None,
        });
        evicted
    }

    /// Keeps `spdu`, received at `now`, as `id`'s latest unverified message.
    fn keep(&mut self, id: &[u8; 8], spdu: &[u8], now: Timestamp, report: Option<Timestamp>) {
        if let Some(e) = self.entry_mut(id) {
            e.kept.clear();
            e.kept.extend_from_slice(spdu);
            e.kept_received = now;
            e.kept_report = report;
            e.last_seen = now;
        }
    }

    /// Moves `id`'s kept SPDU into `out` (cleared first); returns when it was received and the
    /// time of its report.
    fn take_kept(
        &mut self,
        id: &[u8; 8],
        out: &mut Vec<u8>,
    ) -> Option<(Timestamp, Option<Timestamp>)> {
        let e = self.entry_mut(id)?;
        if e.kept.is_empty() {
            return None;
        }
        out.clear();
        out.extend_from_slice(&e.kept);
        e.kept.clear();
        Some((e.kept_received, e.kept_report.take()))
    }

    fn quarantine(&mut self, id: &[u8; 8], until: Timestamp) {
        if let Some(e) = self.entry_mut(id) {
            e.quarantined_until = e.quarantined_until.max(until);
            e.kept.clear();
            e.kept_report = None;
        }
    }

    /// Forgets the senders not heard from for `max_age_us`.
    fn expire(&mut self, now: Timestamp, max_age_us: i64) {
        let mut i = 0;
        while i < self.ids.len() {
            let old = self
                .entries
                .get(i)
                .is_some_and(|e| now.micros_since(e.last_seen) > max_age_us);
            if old {
                self.ids.swap_remove(i);
                self.entries.swap_remove(i);
            } else {
                i += 1;
            }
        }
    }
}

/// The settings of [`VerifyPolicy::OnDemand`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Params {
    sample_interval_ms: i64,
    max_senders: usize,
    max_kept_bytes: usize,
    quarantine_ms: i64,
    sender_max_age_ms: i64,
}

impl Params {
    pub(super) fn of(p: &VerifyPolicy) -> Option<Params> {
        match *p {
            VerifyPolicy::OnDemand {
                sample_interval_ms,
                max_senders,
                max_kept_bytes,
                quarantine_ms,
                sender_max_age_ms,
            } => Some(Params {
                sample_interval_ms,
                max_senders: max_senders.max(1),
                max_kept_bytes,
                quarantine_ms: quarantine_ms.max(0),
                sender_max_age_ms: sender_max_age_ms.max(quarantine_ms).max(0),
            }),
            _ => None,
        }
    }
}

impl Stack {
    /// `Some(true)` when the latest message of sender `id` (a BSM or PSM temporary id) is
    /// verified, `Some(false)` when it was used and its signature is not verified yet, `None`
    /// when the sender is not followed (with [`VerifyPolicy::Always`], or a sender whose
    /// messages are all verified on receipt).
    pub fn sender_verified(&self, id: &[u8; 8]) -> Option<bool> {
        self.senders.latest_verified(id)
    }

    /// Whether the self-report of `sender` in `spdu` (not verified yet), received at `now`, may
    /// be used before its signature is verified.
    pub(super) fn may_defer(&self, sender: &[u8; 8], spdu: &[u8], now: Timestamp) -> bool {
        match Params::of(&self.config.verify) {
            Some(p) => spdu.len() <= p.max_kept_bytes && !self.senders.due(sender, now),
            None => false,
        }
    }

    /// Verifies the signature of `spdu`, which the verifier checked without it, now; a failure
    /// drops the message and, for a followed sender, takes back what it reported unverified.
    pub(super) fn verify_on_receipt(
        &mut self,
        spdu: &[u8],
        now: Timestamp,
        sender: Option<[u8; 8]>,
    ) -> Result<(), DropReason> {
        let Some(v) = self.verifier.as_mut() else {
            return Err(self.dropped(DropReason::NoVerifier, now));
        };
        match v.verify_signature(spdu, now) {
            Ok(()) => {
                self.counters.verified += 1;
                if let Some(id) = sender {
                    self.sender_verified_now(id, now);
                }
                Ok(())
            }
            Err(f) => {
                if let Some(id) = sender {
                    let unverified = self.senders.has_kept(&id);
                    self.retract(&id, f, unverified, now);
                }
                Err(self.dropped(DropReason::Verify(f), now))
            }
        }
    }

    /// Records that a self-report of `id` received at `now` is verified.
    pub(super) fn sender_verified_now(&mut self, id: [u8; 8], now: Timestamp) {
        if let Some(p) = Params::of(&self.config.verify) {
            if self.senders.verified(id, now, &p) {
                self.counters.senders_evicted += 1;
            }
        }
    }

    /// Keeps `spdu` as the latest unverified message of `id` (its report, fused with time
    /// `report`, is in the tracker unverified); `accepted`: the message was accepted (counted
    /// as deferred) rather than dropped after the world stored part of it.
    pub(super) fn keep_unverified(
        &mut self,
        id: &[u8; 8],
        spdu: &[u8],
        now: Timestamp,
        report: Option<Timestamp>,
        accepted: bool,
    ) {
        self.senders.keep(id, spdu, now, report);
        if accepted {
            self.counters.deferred += 1;
        }
    }

    /// Verifies the kept message of `id`, if any: on success its report is marked verified; on
    /// failure what `id` reported unverified is taken back. `None` when nothing was kept.
    fn verify_kept(&mut self, id: &[u8; 8], now: Timestamp) -> Option<bool> {
        let mut spdu = core::mem::take(&mut self.scratch);
        let r = match self.senders.take_kept(id, &mut spdu) {
            None => None,
            Some((received, report)) => {
                let r = match self.verifier.as_mut() {
                    Some(v) => v.verify_signature(&spdu, received),
                    None => Err(VerifyFailure::Unsupported),
                };
                Some(match r {
                    Ok(()) => {
                        self.counters.verified += 1;
                        self.counters.verified_for_warnings += 1;
                        if let Some(t) = report {
                            let object = u64::from_be_bytes(*id);
                            self.tracker.confirm_verified(SELF_REPORTS, object, t);
                        }
                        self.sender_verified_now(*id, now);
                        true
                    }
                    Err(f) => {
                        self.retract(id, f, true, now);
                        false
                    }
                })
            }
        };
        self.scratch = spdu;
        r
    }

    /// After a message of `id` failed verification with `f`: takes back what `id` reported
    /// unverified (its unverified tracker records; its vehicle state when that came from an
    /// unverified message, `latest_unverified`) and quarantines it. Counted when anything was
    /// taken back; what verified messages reported stays.
    fn retract(&mut self, id: &[u8; 8], f: VerifyFailure, latest_unverified: bool, now: Timestamp) {
        let Some(p) = Params::of(&self.config.verify) else {
            return;
        };
        let (records, _) = self.tracker.retract(SELF_REPORTS, u64::from_be_bytes(*id));
        let flags = latest_unverified && self.world.forget_vehicle(id);
        self.senders
            .quarantine(id, now.add_micros(p.quarantine_ms.saturating_mul(1000)));
        if latest_unverified || records > 0 || flags {
            self.dropped(DropReason::Retracted(f), now);
        }
    }

    /// Forgets the senders not heard from for long.
    pub(super) fn expire_senders(&mut self, now: Timestamp) {
        if let Some(p) = Params::of(&self.config.verify) {
            self.senders
                .expire(now, p.sender_max_age_ms.saturating_mul(1000));
        }
    }

    /// Before the warnings of this poll are released: every warning about an object that rests
    /// on an unverified self-report has that sender's latest message verified first; a warning
    /// whose object is still not entirely verified afterwards (a failed verification, or a
    /// report whose message is no longer kept) is withheld. Returns whether the tracker changed
    /// (the caller takes a new snapshot).
    pub(super) fn verify_for_warnings(&mut self, now: Timestamp) -> bool {
        let mut changed = false;
        for i in 0..self.warnings.len() {
            let Some(Target::Object { track_id, .. }) = self.warnings.get(i).map(|w| w.target)
            else {
                continue;
            };
            let mut ids = [[0u8; 8]; MAX_SOURCES + 1];
            let mut n = 0;
            if let Some(o) = self.objects.iter().find(|o| o.id == track_id) {
                let unverified = o
                    .sources()
                    .iter()
                    .filter(|r| !r.verified && r.source == SELF_REPORTS)
                    .map(|r| r.object_id.to_be_bytes());
                for id in unverified.chain(o.vehicle_id) {
                    let listed = ids.get(..n).is_some_and(|l| l.contains(&id));
                    if self.senders.has_kept(&id) && !listed {
                        if let Some(slot) = ids.get_mut(n) {
                            *slot = id;
                            n += 1;
                        }
                    }
                }
            }
            for id in ids.iter().take(n) {
                if self.verify_kept(id, now).is_some() {
                    changed = true;
                }
            }
        }
        changed
    }

    /// Drops the warnings about objects that are not entirely verified (after
    /// [`Stack::verify_for_warnings`] and a new snapshot); counts them.
    pub(super) fn withhold_unverified(&mut self) {
        let before = self.warnings.len();
        let (objects, senders) = (&self.objects, &self.senders);
        self.warnings.retain(|w| match w.target {
            Target::Object { track_id, .. } => objects.iter().any(|o| {
                o.id == track_id && o.verified && o.vehicle_id.is_none_or(|v| !senders.has_kept(&v))
            }),
            _ => true,
        });
        self.counters.warnings_withheld += (before - self.warnings.len()) as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(max_senders: usize) -> Params {
        Params::of(&VerifyPolicy::OnDemand {
            sample_interval_ms: 1000,
            max_senders,
            max_kept_bytes: 64,
            quarantine_ms: 5000,
            sender_max_age_ms: 2000,
        })
        .unwrap()
    }

    fn t(ms: i64) -> Timestamp {
        Timestamp::from_micros(800_000_000_000_000 + ms * 1000)
    }

    #[test]
    fn sampling_intervals_spread_between_half_and_one_and_a_half_times_the_mean() {
        let mut s = Senders::with_capacity(1);
        let (mut lo, mut hi, mut sum) = (i64::MAX, i64::MIN, 0i64);
        for k in 0..10_000u32 {
            s.stir(&k.to_be_bytes());
            let i = s.interval_us(1000);
            lo = lo.min(i);
            hi = hi.max(i);
            sum += i;
        }
        assert!(lo >= 500_000 && hi < 1_500_000, "{lo} {hi}");
        // Spread over the range, not stuck: near both ends and a mean near 1 s.
        assert!(lo < 520_000 && hi > 1_480_000, "{lo} {hi}");
        let mean = sum / 10_000;
        assert!((980_000..1_020_000).contains(&mean), "{mean}");
    }

    #[test]
    fn a_sender_is_due_when_new_sampled_or_quarantined() {
        let p = params(8);
        let mut s = Senders::with_capacity(8);
        let id = [7u8; 8];
        assert!(s.due(&id, t(0)), "new");
        s.verified(id, t(0), &p);
        assert!(!s.due(&id, t(400)), "before the earliest sample");
        assert!(s.due(&id, t(1500)), "after the latest sample");
        s.keep(&id, b"spdu", t(100), Some(t(100)));
        assert_eq!(s.latest_verified(&id), Some(false));
        assert_eq!(s.kept_bytes(), 4);
        s.quarantine(&id, t(5100));
        assert_eq!(s.latest_verified(&id), Some(true), "what was kept is gone");
        s.verified(id, t(5000), &p);
        assert!(s.due(&id, t(5050)), "quarantined");
        assert!(
            !s.due(&id, t(5150)),
            "quarantine over, next sample not yet due"
        );
    }

    #[test]
    fn a_full_table_gives_only_a_silent_senders_place() {
        let p = params(2);
        let mut s = Senders::with_capacity(2);
        assert!(!s.verified([1; 8], t(0), &p));
        assert!(!s.verified([2; 8], t(500), &p));
        // Both heard from within the last second: the third is not followed.
        assert!(!s.verified([3; 8], t(900), &p));
        assert_eq!(s.latest_verified(&[3; 8]), None);
        // Sender 1 silent for more than a second: it gives its place.
        assert!(s.verified([3; 8], t(1100), &p));
        assert_eq!(s.latest_verified(&[1; 8]), None);
        assert_eq!(s.latest_verified(&[3; 8]), Some(true));
        // Forgotten after two seconds of silence.
        s.expire(t(2600), 2_000_000);
        assert_eq!(s.len(), 1);
        assert_eq!(s.latest_verified(&[2; 8]), None);
    }
}
