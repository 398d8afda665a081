//! Threshold sets the applications share: level bands of a time to collision or conflict
//! ([`Bands`]) and distance thresholds of a hazard reported ahead ([`HazardAhead`]). They are
//! part of the applications' configurations.
use super::Level;
use super::geometry::{EgoFrame, Relative, corridor_decel, corridor_ttc};
use super::latch::{Info, widen};

/// Level bands of a time (to collision, to a conflict): **alert** at or under `alert_s`,
/// **warning** at or under `warning_s`, **advisory** at or under `advisory_s`; each band grows by
/// `hysteresis_s` while the target is latched at that level or above.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bands {
    /// Alert at or under this, s.
    pub alert_s: f64,
    /// Warning at or under this, s.
    pub warning_s: f64,
    /// Advisory at or under this, s.
    pub advisory_s: f64,
    /// Growth of each band while latched, s.
    pub hysteresis_s: f64,
}

impl Bands {
    /// The level of `value` for a target latched at `active`; `None` above every band or when
    /// `value` is not finite.
    pub fn level(&self, value: f64, active: Option<Level>) -> Option<Level> {
        if !value.is_finite() {
            return None;
        }
        let h = self.hysteresis_s;
        [
            (Level::Alert, self.alert_s),
            (Level::Warning, self.warning_s),
            (Level::Advisory, self.advisory_s),
        ]
        .into_iter()
        .find(|(l, t)| value <= widen(active, *l, *t, *t + h))
        .map(|(l, _)| l)
    }
}

/// Distance thresholds of a hazard reported ahead (AVW, CLW).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HazardAhead {
    /// Advisory within this range, m.
    pub advisory_range_m: f64,
    /// Warning within this range, m, or within `warning_time_s` of travel at the ego speed.
    pub warning_range_m: f64,
    /// Warning within this time of travel (capped at the advisory range), s.
    pub warning_time_s: f64,
    /// Alert when the constant-speed TTC in the ego corridor is at most this, s.
    pub alert_ttc_s: f64,
    /// Ranges grow by this while latched, m.
    pub range_hysteresis_m: f64,
}

impl Default for HazardAhead {
    fn default() -> Self {
        HazardAhead {
            advisory_range_m: 300.0,
            warning_range_m: 150.0,
            warning_time_s: 8.0,
            alert_ttc_s: 3.0,
            range_hysteresis_m: 10.0,
        }
    }
}

impl HazardAhead {
    /// Level of a hazard at `rel` (already known to be relevant), with the target's latched
    /// level for hysteresis.
    pub fn level(
        &self,
        frame: &EgoFrame,
        rel: &Relative,
        active: Option<Level>,
    ) -> Option<(Level, Info)> {
        let ttc = corridor_ttc(frame, rel);
        let h = self.range_hysteresis_m;
        let warn_range = self
            .warning_range_m
            .max(self.warning_time_s * frame.speed_mps)
            .min(self.advisory_range_m);
        let level = if ttc.is_some_and(|t| t <= self.alert_ttc_s) {
            Level::Alert
        } else if rel.range_m <= widen(active, Level::Warning, warn_range, warn_range + h) {
            Level::Warning
        } else if rel.range_m
            <= widen(
                active,
                Level::Advisory,
                self.advisory_range_m,
                self.advisory_range_m + h,
            )
        {
            Level::Advisory
        } else {
            return None;
        };
        let decel = ttc.and(corridor_decel(frame, rel));
        Some((
            level,
            Info::of(rel, ttc, Some(rel.range_m)).with_decel(decel),
        ))
    }
}
