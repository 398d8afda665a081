//! The life of each warning: the applications say at every poll which warnings are active; this
//! module gives each warning an id when it is raised, keeps it while the application keeps
//! raising the same warning (same application, same target key: track, place or the ego), and
//! reports raised, updated (level or content changed, see [`Warning::content_differs`]) and
//! cleared. Bounded: at most `max_active` warnings are followed; a new warning that finds no room
//! is not raised, and counted.
use alloc::vec::Vec;

use crate::apps::{AppId, TargetKey, Warning};
use crate::time::Timestamp;

use super::events::{Event, WarningChange};

/// An active warning with its life.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ActiveWarning {
    /// Its id, stable from raised to cleared.
    pub id: u32,
    /// When it was raised.
    pub raised_at: Timestamp,
    /// The warning as of the last poll.
    pub warning: Warning,
}

impl ActiveWarning {
    fn key(&self) -> (AppId, TargetKey) {
        (self.warning.app, self.warning.target.key())
    }
}

/// What one update did, for the counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Changes {
    pub raised: u64,
    pub updated: u64,
    pub cleared: u64,
    pub not_followed: u64,
}

#[derive(Debug)]
pub(crate) struct Lifecycle {
    active: Vec<ActiveWarning>,
    seen: Vec<bool>,
    max_active: usize,
    next_id: u32,
}

impl Lifecycle {
    pub(crate) fn new(max_active: usize) -> Lifecycle {
        let max_active = max_active.max(1);
        Lifecycle {
            active: Vec::with_capacity(max_active.min(4096)),
            seen: Vec::with_capacity(max_active.min(4096)),
            max_active,
            next_id: 1,
        }
    }

    pub(crate) fn active(&self) -> &[ActiveWarning] {
        &self.active
    }

    fn new_id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1).max(1);
        id
    }

    /// Takes the warnings of one poll at `now` and reports the changes through `emit`.
    pub(crate) fn update(
        &mut self,
        now: Timestamp,
        current: &[Warning],
        mut emit: impl FnMut(Event),
    ) -> Changes {
        let mut ch = Changes::default();
        self.seen.clear();
        self.seen.resize(self.active.len(), false);
        for w in current {
            let key = (w.app, w.target.key());
            match self.active.iter().position(|a| a.key() == key) {
                Some(i) => {
                    if self.seen.get(i).copied().unwrap_or(true) {
                        // The application raised the same warning twice in one poll: the first
                        // one stands.
                        continue;
                    }
                    if let Some(s) = self.seen.get_mut(i) {
                        *s = true;
                    }
                    let Some(a) = self.active.get_mut(i) else {
                        continue;
                    };
                    let changed = a.warning.content_differs(w);
                    a.warning = *w;
                    if changed {
                        ch.updated += 1;
                        emit(Event::Warning {
                            id: a.id,
                            change: WarningChange::Updated,
                            warning: *w,
                        });
                    }
                }
                None => {
                    if self.active.len() >= self.max_active {
                        ch.not_followed += 1;
                        continue;
                    }
                    let id = self.new_id();
                    self.active.push(ActiveWarning {
                        id,
                        raised_at: now,
                        warning: *w,
                    });
                    self.seen.push(true);
                    ch.raised += 1;
                    emit(Event::Warning {
                        id,
                        change: WarningChange::Raised,
                        warning: *w,
                    });
                }
            }
        }
        let mut i = 0;
        while i < self.active.len() {
            if self.seen.get(i).copied().unwrap_or(false) {
                i += 1;
                continue;
            }
            let a = self.active.remove(i);
            if i < self.seen.len() {
                self.seen.remove(i);
            }
            ch.cleared += 1;
            emit(Event::WarningCleared {
                id: a.id,
                warning: a.warning,
                time: now,
            });
        }
        ch
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apps::{Advice, Level, Target};

    fn w(app: AppId, level: Level, track: u32) -> Warning {
        let target = Target::Object {
            track_id: track,
            position_enu: [0.0, 0.0],
        };
        Warning::new(app, level, target, Timestamp::from_micros(0))
    }

    fn run(l: &mut Lifecycle, t: i64, ws: &[Warning]) -> Vec<Event> {
        let mut out = Vec::new();
        l.update(Timestamp::from_micros(t), ws, |e| out.push(e));
        out
    }

    #[test]
    fn raised_updated_cleared_with_stable_ids() {
        let mut l = Lifecycle::new(8);
        let e = run(&mut l, 0, &[w(AppId::Fcw, Level::Warning, 7)]);
        let [
            Event::Warning {
                id,
                change: WarningChange::Raised,
                ..
            },
        ] = e[..]
        else {
            panic!("{e:?}")
        };
        // same level and target, moved: no event
        let mut moved = w(AppId::Fcw, Level::Warning, 7);
        moved.ttc_s = Some(2.0);
        assert!(run(&mut l, 1, &[moved]).is_empty());
        assert_eq!(l.active()[0].warning.ttc_s, Some(2.0), "kept up to date");
        // level up: updated, same id
        let e = run(&mut l, 2, &[w(AppId::Fcw, Level::Alert, 7)]);
        assert!(
            matches!(e[..], [Event::Warning { id: i, change: WarningChange::Updated, warning }] if i == id && warning.level == Level::Alert)
        );
        // another target of the same app: a new warning; the first one cleared when absent
        let e = run(&mut l, 3, &[w(AppId::Fcw, Level::Alert, 8)]);
        assert_eq!(e.len(), 2);
        assert!(
            matches!(e[0], Event::Warning { id: i, change: WarningChange::Raised, .. } if i != id)
        );
        assert!(matches!(e[1], Event::WarningCleared { id: i, .. } if i == id));
        let e = run(&mut l, 4, &[]);
        assert!(matches!(e[..], [Event::WarningCleared { .. }]));
        assert!(l.active().is_empty());
    }

    #[test]
    fn advice_changes_count_from_one_kph() {
        let mut a = w(AppId::Glosa, Level::Advisory, 1);
        a.advice = Some(Advice::SpeedRange {
            min_kph: 30.0,
            max_kph: 50.0,
        });
        let mut b = a;
        b.advice = Some(Advice::SpeedRange {
            min_kph: 30.4,
            max_kph: 50.6,
        });
        assert!(!a.content_differs(&b));
        b.advice = Some(Advice::SpeedRange {
            min_kph: 31.0,
            max_kph: 50.0,
        });
        assert!(a.content_differs(&b));
        b.advice = Some(Advice::Stop);
        assert!(a.content_differs(&b));
    }

    #[test]
    fn bounded_and_ids_never_zero() {
        let mut l = Lifecycle::new(2);
        l.next_id = u32::MAX;
        let ws = [
            w(AppId::Fcw, Level::Warning, 1),
            w(AppId::Fcw, Level::Warning, 2),
            w(AppId::Fcw, Level::Warning, 3),
        ];
        let mut out = Vec::new();
        let ch = l.update(Timestamp::from_micros(0), &ws, |e| out.push(e));
        assert_eq!(ch.raised, 2);
        assert_eq!(ch.not_followed, 1);
        assert!(l.active().iter().all(|a| a.id != 0));
        assert_eq!(l.active()[0].id, u32::MAX);
        assert_eq!(l.active()[1].id, 1);
    }
}
