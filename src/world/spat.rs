//! The SPAT store: the phases of each intersection with their timing resolved to absolute
//! [`Timestamp`]s, from either form of `TimeChangeDetails`: counting (0.1 s from the SPAT time
//! stamp, or from the receive time when the message has none) or UTC timing (0.1 s within the
//! UTC hour, resolved to the hour nearest the receive time). `startTime`, `minEndTime`,
//! `maxEndTime`, `likelyEndTime`, `nextStartTime` and `nextDuration` / `nextEndUTCTime` are all
//! kept; 36001 ("unknown") becomes `None`.
//!
//! Staleness: [`SpatStore::signal_for`] reports a SPAT older than the configured age (default
//! 1 s) as stale, its age counted from its own time stamp when that is earlier than its
//! reception; dependent applications (RLVW, GLOSA) stay silent on stale or failed signals.
//! Bounded like every world store ([`Bounded`]).
use alloc::vec::Vec;

use super::map::{IntersectionKey, node_key};
use super::store::{Bounded, Entry, StoreCounters};
use crate::math::abs;
use crate::msg::v2020 as m;
use crate::time::{DSecond, MinuteOfYear, Timestamp, resolve_minute_of_year, resolve_sec_mark};

/// A signal light state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Light {
    /// Unknown or error.
    Unavailable,
    /// Signal dark (off).
    Dark,
    /// Flashing red: stop, then proceed.
    FlashingRed,
    /// Red: stop and wait.
    Red,
    /// Flashing green.
    FlashingGreen,
    /// Green: proceed with caution, yielding to conflicting traffic.
    PermissiveGreen,
    /// Protected green: no conflicting traffic.
    ProtectedGreen,
    /// Yellow: stop if it can be done safely.
    Yellow,
    /// Flashing yellow: proceed with caution.
    FlashingYellow,
}

impl Light {
    /// The light of a wire `LightState` (a value of a newer version is unavailable).
    pub fn from_wire(l: m::LightState) -> Light {
        use m::LightState as W;
        match l {
            W::Unavailable | W::UnknownExt(_) => Light::Unavailable,
            W::Dark => Light::Dark,
            W::FlashingRed => Light::FlashingRed,
            W::Red => Light::Red,
            W::FlashingGreen => Light::FlashingGreen,
            W::PermissiveGreen => Light::PermissiveGreen,
            W::ProtectedGreen => Light::ProtectedGreen,
            W::Yellow => Light::Yellow,
            W::FlashingYellow => Light::FlashingYellow,
        }
    }

    /// The wire `LightState` of this light.
    pub fn to_wire(self) -> m::LightState {
        use m::LightState as W;
        match self {
            Light::Unavailable => W::Unavailable,
            Light::Dark => W::Dark,
            Light::FlashingRed => W::FlashingRed,
            Light::Red => W::Red,
            Light::FlashingGreen => W::FlashingGreen,
            Light::PermissiveGreen => W::PermissiveGreen,
            Light::ProtectedGreen => W::ProtectedGreen,
            Light::Yellow => W::Yellow,
            Light::FlashingYellow => W::FlashingYellow,
        }
    }

    /// Lower-case name (`red`, `permissive-green`, …).
    pub fn name(self) -> &'static str {
        self.to_wire().as_str()
    }
    /// Whether the movement may proceed (any green).
    pub fn is_green(self) -> bool {
        matches!(
            self,
            Light::PermissiveGreen | Light::ProtectedGreen | Light::FlashingGreen
        )
    }

    /// Whether the movement must stop (red, flashing red).
    pub fn is_red(self) -> bool {
        matches!(self, Light::Red | Light::FlashingRed)
    }
}

/// One light state of a phase with absolute timing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StateTiming {
    /// The light.
    pub light: Light,
    /// When it starts (or started).
    pub start: Timestamp,
    /// Earliest end.
    pub min_end: Option<Timestamp>,
    /// Latest end.
    pub max_end: Option<Timestamp>,
    /// Most likely end (`None`: unknown).
    pub likely_end: Option<Timestamp>,
    /// When it starts the next time.
    pub next_start: Option<Timestamp>,
    /// When that next occurrence ends.
    pub next_end: Option<Timestamp>,
}

impl StateTiming {
    /// The intervals in which this state is known to be on, at most two: (start, likely end)
    /// and (next start, next end).
    pub fn intervals(&self) -> impl Iterator<Item = (Timestamp, Timestamp)> + '_ {
        let first = self.likely_end.map(|e| (self.start, e));
        let next = match (self.next_start, self.next_end) {
            (Some(s), Some(e)) if e > s => Some((s, e)),
            _ => None,
        };
        first.into_iter().chain(next)
    }
}

/// A phase with its states.
#[derive(Debug, Clone, PartialEq)]
pub struct PhaseTiming {
    /// Phase id.
    pub id: u8,
    /// States (at most 16).
    pub states: Vec<StateTiming>,
}

impl PhaseTiming {
    /// The light at `t`, when the timing says; `None` when no known interval covers `t`.
    pub fn light_at(&self, t: Timestamp) -> Option<Light> {
        self.states
            .iter()
            .find(|s| s.intervals().any(|(a, b)| a <= t && t < b))
            .map(|s| s.light)
            .or_else(|| {
                // A state that has started and whose end is unknown is still on.
                self.states
                    .iter()
                    .find(|s| s.start <= t && s.likely_end.is_none())
                    .map(|s| s.light)
            })
    }

    /// The current state at `now`.
    pub fn current(&self, now: Timestamp) -> Option<&StateTiming> {
        self.states
            .iter()
            .find(|s| s.start <= now && s.likely_end.is_none_or(|e| now < e))
    }

    /// Known intervals of a light matching `pred`, in no particular order.
    pub fn intervals<'a>(
        &'a self,
        pred: impl Fn(Light) -> bool + 'a,
    ) -> impl Iterator<Item = (Timestamp, Timestamp)> + 'a {
        self.states
            .iter()
            .filter(move |s| pred(s.light))
            .flat_map(|s| s.intervals())
    }

    /// The end of the last known interval of any state.
    pub fn horizon(&self) -> Option<Timestamp> {
        self.states
            .iter()
            .flat_map(|s| s.intervals())
            .map(|x| x.1)
            .max()
    }
}

/// The signal state of one intersection.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalState {
    /// Intersection key.
    pub key: IntersectionKey,
    /// When the SPAT was received.
    pub received: Timestamp,
    /// The time the counting timing is relative to.
    pub reference: Timestamp,
    /// Whether the controller reports a failure (failure flash, failure mode, off, no valid
    /// SPAT).
    pub failed: bool,
    /// Phases (at most 16).
    pub phases: Vec<PhaseTiming>,
}

/// The SPAT store. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct SpatStore {
    items: Bounded<SignalState>,
}

impl Entry for SignalState {
    type Key = IntersectionKey;
    fn key(&self) -> IntersectionKey {
        self.key
    }
    fn received(&self) -> Timestamp {
        self.received
    }
}

/// TimeMark value meaning "unknown".
const TIME_MARK_UNKNOWN: u16 = 36_001;

fn counting(base: Timestamp, v: u16) -> Option<Timestamp> {
    (v < TIME_MARK_UNKNOWN).then(|| base.add_millis(i64::from(v) * 100))
}

fn utc_mark(now: Timestamp, v: u16) -> Option<Timestamp> {
    if v >= TIME_MARK_UNKNOWN {
        return None;
    }
    let unix = now.to_unix_utc_millis();
    let hour = unix.div_euclid(3_600_000) * 3_600_000;
    let mut best: Option<i64> = None;
    for k in [-1i64, 0, 1] {
        let cand = hour + k * 3_600_000 + i64::from(v) * 100;
        if best.is_none_or(|b| (b - unix).abs() > (cand - unix).abs()) {
            best = Some(cand);
        }
    }
    best.map(Timestamp::from_unix_utc_millis)
}

fn state_timing(s: &m::PhaseState, base: Timestamp, now: Timestamp) -> StateTiming {
    let light = Light::from_wire(s.light);
    match &s.timing {
        Some(m::TimeChangeDetails::Counting(c)) => {
            let start = counting(base, c.start_time).unwrap_or(base);
            let next_start = c.next_start_time.and_then(|v| counting(base, v));
            StateTiming {
                light,
                start,
                min_end: c.min_end_time.and_then(|v| counting(base, v)),
                max_end: c.max_end_time.and_then(|v| counting(base, v)),
                likely_end: counting(base, c.likely_end_time),
                next_start,
                next_end: match (next_start, c.next_duration) {
                    (Some(ns), Some(d)) if d < TIME_MARK_UNKNOWN => {
                        Some(ns.add_millis(i64::from(d) * 100))
                    }
                    _ => None,
                },
            }
        }
        Some(m::TimeChangeDetails::UtcTiming(u)) => StateTiming {
            light,
            start: utc_mark(now, u.start_utc_time).unwrap_or(base),
            min_end: u.min_end_utc_time.and_then(|v| utc_mark(now, v)),
            max_end: u.max_end_utc_time.and_then(|v| utc_mark(now, v)),
            likely_end: utc_mark(now, u.likely_end_utc_time),
            next_start: u.next_start_utc_time.and_then(|v| utc_mark(now, v)),
            next_end: u.next_end_utc_time.and_then(|v| utc_mark(now, v)),
        },
        // No timing: the state is on now, for an unknown time.
        _ => StateTiming {
            light,
            start: base,
            min_end: None,
            max_end: None,
            likely_end: None,
            next_start: None,
            next_end: None,
        },
    }
}

fn spat_time(moy: Option<u32>, ms: Option<u16>, now: Timestamp) -> Option<Timestamp> {
    let ms = DSecond::new(ms?).ok()?;
    match moy {
        Some(moy) => resolve_minute_of_year(MinuteOfYear::new(moy).ok()?, ms, now).ok(),
        None => resolve_sec_mark(ms, now).ok(),
    }
}

/// Whether the signal for the ego's lane can be used.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SignalInput<'a> {
    /// No SPAT for the intersection or no phase for the lane.
    None,
    /// A SPAT older than the allowed age, or reporting a controller failure.
    Stale {
        /// Age of the last SPAT, s.
        age_s: f64,
    },
    /// A fresh phase timing.
    Fresh(&'a PhaseTiming),
}

impl SpatStore {
    /// An empty store of at most `max_intersections` intersections; a signal state not
    /// refreshed for `keep_ms` is dropped (it is stale for the applications much earlier, see
    /// [`SpatStore::signal_for`]).
    pub fn new(max_intersections: usize, keep_ms: i64) -> Self {
        SpatStore {
            items: Bounded::new(max_intersections, keep_ms),
        }
    }

    /// What the store did.
    pub fn counters(&self) -> &StoreCounters {
        self.items.counters()
    }

    /// The signal states.
    pub fn signals(&self) -> &[SignalState] {
        self.items.items()
    }

    /// One intersection's signal state.
    pub fn get(&self, key: IntersectionKey) -> Option<&SignalState> {
        self.items.get(key)
    }

    /// Drops the states not refreshed in time.
    pub fn expire(&mut self, now: Timestamp) {
        self.items.expire(now);
    }

    /// Stores every intersection of a SPAT received at `now`; returns how many.
    pub fn insert_spat(&mut self, spat: &m::SPAT, now: Timestamp) -> usize {
        let msg_time = spat_time(spat.moy, spat.time_stamp, now);
        let mut n = 0;
        for st in &spat.intersections {
            let reference = spat_time(st.moy.or(spat.moy), st.time_stamp, now)
                .or(msg_time)
                .unwrap_or(now);
            // A time stamp far from the receive time is not trusted for counting.
            let reference = if abs(now.seconds_since(reference)) > 10.0 {
                now
            } else {
                reference
            };
            let bits = &st.status;
            let failed = bits.get(m::IntersectionStatusObject::FAILURE_FLASH)
                || bits.get(m::IntersectionStatusObject::FAILURE_MODE)
                || bits.get(m::IntersectionStatusObject::OFF)
                || bits.get(m::IntersectionStatusObject::NO_VALID_SPA_TIS_AVAILABLE_AT_THIS_TIME);
            let phases = st
                .phases
                .iter()
                .take(16)
                .map(|p| PhaseTiming {
                    id: p.id,
                    states: p
                        .phase_states
                        .iter()
                        .take(16)
                        .map(|s| state_timing(s, reference, now))
                        .collect(),
                })
                .collect();
            self.items.upsert(SignalState {
                key: node_key(&st.intersection_id),
                received: now,
                reference,
                failed,
                phases,
            });
            n += 1;
        }
        n
    }

    /// The signal of phase `phase` at intersection `key`: fresh when the SPAT is at most
    /// `max_age_ms` old and reports no failure.
    pub fn signal_for(
        &self,
        key: IntersectionKey,
        phase: Option<u8>,
        now: Timestamp,
        max_age_ms: i64,
    ) -> SignalInput<'_> {
        let Some(s) = self.get(key) else {
            return SignalInput::None;
        };
        // The data is as old as the message's own time stamp says, when it says it is older
        // than its reception (a late SPAT is stale however recently it arrived).
        let made = s.reference.min(s.received);
        let age_s = now.seconds_since(made);
        if s.failed || now.micros_since(made) > max_age_ms.saturating_mul(1000) {
            return SignalInput::Stale { age_s };
        }
        let Some(phase) = phase else {
            return SignalInput::None;
        };
        match s.phases.iter().find(|p| p.id == phase) {
            Some(p) => SignalInput::Fresh(p),
            None => SignalInput::None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_marks_resolve_near_now() {
        let now = Timestamp::from_unix_utc_millis(1_767_225_600_000 + 3_599_000); // xx:59:59
        // 0.5 s into the next hour.
        let t = utc_mark(now, 5).unwrap();
        assert_eq!(t.micros_since(now), 1_500_000);
        assert!(utc_mark(now, TIME_MARK_UNKNOWN).is_none());
    }

    #[test]
    fn lights_convert_both_ways() {
        for l in [
            Light::Unavailable,
            Light::Dark,
            Light::FlashingRed,
            Light::Red,
            Light::FlashingGreen,
            Light::PermissiveGreen,
            Light::ProtectedGreen,
            Light::Yellow,
            Light::FlashingYellow,
        ] {
            assert_eq!(Light::from_wire(l.to_wire()), l);
        }
        assert_eq!(
            Light::from_wire(m::LightState::UnknownExt(0)),
            Light::Unavailable
        );
        assert!(Light::ProtectedGreen.is_green() && !Light::Yellow.is_green());
        assert!(Light::FlashingRed.is_red() && !Light::Dark.is_red());
    }
}
