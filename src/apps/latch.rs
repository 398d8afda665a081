//! Per-target warning latch: a level-aware hysteresis for applications that warn about several
//! objects at once.
//!
//! For each target the application feeds a *raw* level (or none) every evaluation:
//! - a target is raised once its raw level has been present for `on_ms` (a one-cycle blip
//!   under position noise raises nothing);
//! - a higher raw level escalates at once;
//! - a lower raw level, or none, takes over only after the latched level has not been seen for
//!   `off_ms` (a warning does not flicker off and on).
//!
//! Applications also widen their thresholds while a target is latched (see [`widen`]), so the
//! condition itself has hysteresis, not just its timing. Memory is bounded: at most
//! [`Latch::MAX_ENTRIES`] targets; when full, the least recently updated inactive entry is
//! replaced and a new target that finds no room is not raised.

use alloc::vec::Vec;

use super::geometry::{EgoFrame, Relative, V2, norm, relatives};
use super::warning::{AppId, Level, Target, Warning};
use super::{ObjectContext, WorldObject};
use crate::time::Timestamp;

/// What a warning about a target says, kept from the last evaluation that found a hazard.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Info {
    /// ENU position of the target, m.
    pub position_enu: V2,
    /// ENU velocity of the target, m/s (used to recognise duplicates).
    pub velocity_enu: V2,
    /// Time to collision or to the conflict, s.
    pub ttc_s: Option<f64>,
    /// Distance, m.
    pub distance_m: Option<f64>,
    /// Deceleration the ego needs to avoid the collision, m/s².
    pub decel_mps2: Option<f64>,
}

impl Info {
    /// Position and velocity of `rel` with a time to collision and a distance.
    pub fn of(rel: &Relative, ttc_s: Option<f64>, distance_m: Option<f64>) -> Self {
        Info {
            position_enu: rel.position_enu,
            velocity_enu: rel.velocity_enu,
            ttc_s: ttc_s.filter(|t| t.is_finite()),
            distance_m: distance_m.filter(|d| d.is_finite()),
            decel_mps2: None,
        }
    }

    /// With the deceleration the ego needs to avoid the collision.
    pub fn with_decel(mut self, decel_mps2: Option<f64>) -> Self {
        self.decel_mps2 = decel_mps2.filter(|d| d.is_finite());
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Entry {
    id: u32,
    level: Option<Level>,
    pending_since: Option<Timestamp>,
    level_seen: Timestamp,
    touched: Timestamp,
    info: Info,
}

/// See the [module docs](self).
#[derive(Debug, Clone, PartialEq)]
pub struct Latch {
    on_ms: i64,
    off_ms: i64,
    entries: Vec<Entry>,
    /// Scratch for [`Latch::emit`]'s ordering, reserved up front.
    order: Vec<usize>,
}

/// Chooses a threshold with hysteresis: `exit` when the target is latched at `level` or above,
/// else `enter`.
pub fn widen(active: Option<Level>, level: Level, enter: f64, exit: f64) -> f64 {
    match active {
        Some(a) if a >= level => exit,
        _ => enter,
    }
}

impl Latch {
    /// Most targets followed at once.
    pub const MAX_ENTRIES: usize = 64;
    /// Targets closer than this (and moving alike) are taken for one object seen twice, m.
    pub const DUPLICATE_RADIUS_M: f64 = 3.0;
    /// Velocity difference below which two close targets are duplicates, m/s.
    pub const DUPLICATE_SPEED_MPS: f64 = 3.0;

    /// A latch that raises after `on_ms` and releases after `off_ms`.
    pub fn new(on_ms: i64, off_ms: i64) -> Self {
        Self {
            on_ms: on_ms.max(0),
            off_ms: off_ms.max(0),
            entries: Vec::with_capacity(Self::MAX_ENTRIES),
            order: Vec::with_capacity(Self::MAX_ENTRIES),
        }
    }

    /// The latched level of target `id`.
    pub fn level(&self, id: u32) -> Option<Level> {
        self.entries
            .iter()
            .find(|e| e.id == id)
            .and_then(|e| e.level)
    }

    /// Feeds the raw level of target `id` at `now` with what a warning would say; returns the
    /// latched level.
    pub fn update(
        &mut self,
        id: u32,
        raw: Option<Level>,
        info: Info,
        now: Timestamp,
    ) -> Option<Level> {
        let idx = match self.entries.iter().position(|e| e.id == id) {
            Some(i) => i,
            None => {
                raw?;
                if self.entries.len() >= Self::MAX_ENTRIES {
                    let victim = self
                        .entries
                        .iter()
                        .enumerate()
                        .filter(|(_, e)| e.level.is_none())
                        .min_by_key(|(_, e)| e.touched.as_micros())
                        .map(|(i, _)| i)?;
                    self.entries.swap_remove(victim);
                }
                self.entries.push(Entry {
                    id,
                    level: None,
                    pending_since: None,
                    level_seen: now,
                    touched: now,
                    info,
                });
                self.entries.len() - 1
            }
        };
        let (on_us, off_us) = (self.on_ms * 1000, self.off_ms * 1000);
        let e = self.entries.get_mut(idx)?;
        Self::step(e, raw, info, now, on_us, off_us);
        e.level
    }

    fn step(
        e: &mut Entry,
        raw: Option<Level>,
        info: Info,
        now: Timestamp,
        on_us: i64,
        off_us: i64,
    ) {
        if now < e.touched {
            // Time went backwards: start this target over.
            e.level = None;
            e.pending_since = None;
        }
        e.touched = now;
        match raw {
            Some(r) => {
                e.info = info;
                match e.level {
                    None => {
                        let since = *e.pending_since.get_or_insert(now);
                        if now.micros_since(since) >= on_us {
                            e.level = Some(r);
                            e.level_seen = now;
                        }
                    }
                    Some(l) if r >= l => {
                        e.level = Some(r);
                        e.level_seen = now;
                    }
                    Some(_) => {
                        if now.micros_since(e.level_seen) >= off_us {
                            e.level = Some(r);
                            e.level_seen = now;
                        }
                    }
                }
            }
            None => {
                e.info.position_enu = info.position_enu;
                e.info.velocity_enu = info.velocity_enu;
                e.pending_since = None;
                if e.level.is_some() && now.micros_since(e.level_seen) >= off_us {
                    e.level = None;
                }
            }
        }
    }

    /// Ends an evaluation at `now`: targets not updated at `now` get "no hazard", and entries
    /// with nothing latched or pending are dropped.
    pub fn sweep(&mut self, now: Timestamp) {
        let (on_us, off_us) = (self.on_ms * 1000, self.off_ms * 1000);
        for e in &mut self.entries {
            if e.touched != now {
                let info = e.info;
                Self::step(e, None, info, now, on_us, off_us);
            }
        }
        self.entries
            .retain(|e| e.level.is_some() || e.pending_since.is_some());
    }

    /// Appends one warning per latched target, most severe first (higher level, then shorter
    /// time to collision), leaving out a target that is within [`Self::DUPLICATE_RADIUS_M`] of
    /// one already emitted and moves alike (one object seen twice gives one warning). At most
    /// `max` warnings.
    pub fn emit(&mut self, app: AppId, now: Timestamp, max: usize, out: &mut Vec<Warning>) {
        let mut order = core::mem::take(&mut self.order);
        order.clear();
        order.extend(
            self.entries
                .iter()
                .enumerate()
                .filter(|(_, e)| e.level.is_some())
                .map(|(i, _)| i),
        );
        let entries = &self.entries;
        // Unstable sort does not allocate; ids are unique, so the order is total.
        order.sort_unstable_by(|&i, &j| {
            let (Some(a), Some(b)) = (entries.get(i), entries.get(j)) else {
                return core::cmp::Ordering::Equal;
            };
            b.level.cmp(&a.level).then_with(|| {
                let ta = a.info.ttc_s.unwrap_or(f64::INFINITY);
                let tb = b.info.ttc_s.unwrap_or(f64::INFINITY);
                ta.partial_cmp(&tb)
                    .unwrap_or(core::cmp::Ordering::Equal)
                    .then(a.id.cmp(&b.id))
            })
        });
        let active = order.iter().filter_map(|&i| entries.get(i));
        let start = out.len();
        for e in active {
            let Some(level) = e.level else { continue };
            if out.len() - start >= max {
                break;
            }
            let dup = out.get(start..).unwrap_or(&[]).iter().any(|w| match w.target {
                Target::Object { position_enu, .. } => {
                    let d = [
                        position_enu[0] - e.info.position_enu[0],
                        position_enu[1] - e.info.position_enu[1],
                    ];
                    norm(d) <= Self::DUPLICATE_RADIUS_M
                        && self
                            .entries
                            .iter()
                            .find(|o| {
                                matches!(w.target, Target::Object { track_id, .. } if track_id == o.id)
                            })
                            .is_some_and(|o| {
                                let dv = [
                                    o.info.velocity_enu[0] - e.info.velocity_enu[0],
                                    o.info.velocity_enu[1] - e.info.velocity_enu[1],
                                ];
                                norm(dv) <= Self::DUPLICATE_SPEED_MPS
                            })
                }
                _ => false,
            });
            if dup {
                continue;
            }
            let mut w = Warning::new(
                app,
                level,
                Target::Object {
                    track_id: e.id,
                    position_enu: e.info.position_enu,
                },
                now,
            );
            w.ttc_s = e.info.ttc_s;
            w.distance_m = e.info.distance_m;
            w.decel_mps2 = e.info.decel_mps2;
            out.push(w);
        }
        self.order = order;
    }

    /// One evaluation of an object application: builds the ego frame, calls `raw` for every
    /// object with a finite state (with the target's latched level, to widen thresholds),
    /// latches the results, and emits at most `max` warnings. Without a usable ego state
    /// nothing new is raised and latched targets decay.
    pub fn evaluate<F>(
        &mut self,
        app: AppId,
        cx: &ObjectContext<'_>,
        max: usize,
        out: &mut Vec<Warning>,
        mut raw: F,
    ) where
        F: FnMut(&EgoFrame, &WorldObject<'_>, &Relative, Option<Level>) -> Option<(Level, Info)>,
    {
        if let Some(frame) = EgoFrame::new(cx.ego) {
            for (wo, rel) in relatives(&frame, cx) {
                let active = self.level(rel.id);
                match raw(&frame, &wo, &rel, active) {
                    Some((level, info)) => {
                        self.update(rel.id, Some(level), info, cx.now);
                    }
                    None => {
                        self.update(rel.id, None, Info::of(&rel, None, None), cx.now);
                    }
                }
            }
        }
        self.sweep(cx.now);
        self.emit(app, cx.now, max, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(ms: i64) -> Timestamp {
        Timestamp::from_millis(ms)
    }

    #[test]
    fn raises_after_on_and_holds_through_gaps() {
        let mut l = Latch::new(100, 500);
        let i = Info::default();
        assert_eq!(l.update(1, Some(Level::Warning), i, t(0)), None);
        assert_eq!(
            l.update(1, Some(Level::Warning), i, t(100)),
            Some(Level::Warning)
        );
        // A missing cycle does not release.
        l.sweep(t(200));
        assert_eq!(l.level(1), Some(Level::Warning));
        assert_eq!(l.update(1, None, i, t(500)), Some(Level::Warning));
        assert_eq!(l.update(1, None, i, t(600)), None);
        l.sweep(t(600));
        assert!(l.entries.is_empty());
    }

    #[test]
    fn blip_raises_nothing() {
        let mut l = Latch::new(100, 500);
        let i = Info::default();
        assert_eq!(l.update(1, Some(Level::Alert), i, t(0)), None);
        assert_eq!(l.update(1, None, i, t(100)), None);
        assert_eq!(l.update(1, Some(Level::Alert), i, t(200)), None);
    }

    #[test]
    fn escalates_at_once_deescalates_late() {
        let mut l = Latch::new(0, 300);
        let steps = [
            (0, Level::Warning, Level::Warning),
            (100, Level::Alert, Level::Alert),
            (200, Level::Warning, Level::Alert),
            (400, Level::Warning, Level::Warning),
        ];
        for (ms, raw, want) in steps {
            assert_eq!(
                l.update(1, Some(raw), Info::default(), t(ms)),
                Some(want),
                "{ms}"
            );
        }
    }

    #[test]
    fn duplicates_emit_once() {
        let mut l = Latch::new(0, 300);
        let a = Info {
            position_enu: [0.0, 10.0],
            velocity_enu: [0.0, 5.0],
            ttc_s: Some(2.0),
            distance_m: None,
            decel_mps2: None,
        };
        let b = Info {
            position_enu: [1.0, 11.0],
            velocity_enu: [0.0, 5.5],
            ttc_s: Some(2.1),
            distance_m: None,
            decel_mps2: None,
        };
        let c = Info {
            position_enu: [30.0, 10.0],
            ..a
        };
        l.update(1, Some(Level::Warning), a, t(0));
        l.update(2, Some(Level::Warning), b, t(0));
        l.update(3, Some(Level::Warning), c, t(0));
        let mut out = Vec::new();
        l.emit(AppId::Fcw, t(0), 8, &mut out);
        assert_eq!(out.len(), 2);
        assert!(matches!(out[0].target, Target::Object { track_id: 1, .. }));
    }

    #[test]
    fn bounded() {
        let mut l = Latch::new(1000, 300);
        for id in 0..200 {
            l.update(id, Some(Level::Warning), Info::default(), t(0));
        }
        assert!(l.entries.len() <= Latch::MAX_ENTRIES);
    }
}
