//! BSW — blind spot warning, and LCW — lane change warning.
//!
//! **Zones** (ego frame, lateral measured from the ego's predicted path):
//! - *Adjacent lane*: the object's centre between `ego half width + object half width − 0.2 m`
//!   (no overlap with the ego's own corridor) and `ego half width + 3.8 m` to one side.
//! - *Blind zone*: in the adjacent lane, the object's front no more than `zone_behind_m`
//!   (5 m) behind the ego's rear and its rear not ahead of the ego's mirrors
//!   (`mirror_from_front_m`, 1.4 m behind the ego's front).
//!
//! Only vehicles and cyclists moving the ego's way (within 45°) count: parked cars, guard rails
//! and oncoming traffic never raise BSW or LCW; the ego must move at 2 m/s or more. While a
//! target is latched the zone grows by 0.3 m laterally and 1 m lengthwise.
//!
//! **BSW**: an object in a blind zone is a **warning**; an **alert** when the turn signal
//! points to its side. No advisory. A vehicle the ego overtakes more than
//! `overtaken_rel_speed_mps` (7 m/s) faster is not warned about (it crosses the zone in a
//! moment and is in view before and after); LCW still counts it.
//!
//! **LCW**: only on the side the turn signal points to (left signal → left side). A **warning**
//! for an object in the blind zone or alongside (up to `alongside_ahead_m`, 2 m, ahead of the
//! ego's front), or approaching from behind in the adjacent lane with a time to reach the
//! ego's rear ≤ `closing_ttc_s` (3.5 s); an **alert** when, in addition, the ego already yaws
//! toward that side (≥ 2 °/s) and the object is in the blind zone or alongside.
//!
//! Hysteresis: raised after 100 ms, held 600 ms (`Latch`).
use alloc::vec::Vec;

use super::geometry::{Direction, EgoFrame, Relative};
use super::latch::{Info, Latch};
use super::{AppId, Level, ObjectApp, ObjectContext, TurnSignal, Warning};
use crate::fusion::ObjectClass;
use crate::math::abs;

/// Blind-zone geometry shared by BSW and LCW.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ZoneConfig {
    /// The zone reaches this far behind the ego's rear, m.
    pub zone_behind_m: f64,
    /// The zone ends this far behind the ego's front (the mirrors), m.
    pub mirror_from_front_m: f64,
    /// Adjacent lane reaches this far beyond the ego's half width, m.
    pub lane_outer_m: f64,
    /// Lateral growth while latched, m.
    pub lateral_hysteresis_m: f64,
    /// Lengthwise growth while latched, m.
    pub longitudinal_hysteresis_m: f64,
    /// Ego speed below which BSW and LCW are silent, m/s.
    pub min_ego_speed_mps: f64,
    /// BSW ignores vehicles the ego overtakes faster than this, m/s.
    pub overtaken_rel_speed_mps: f64,
    /// Condition must hold this long before a warning, ms.
    pub on_ms: i64,
    /// Warning held this long after the condition ends, ms.
    pub off_ms: i64,
}

impl Default for ZoneConfig {
    fn default() -> Self {
        ZoneConfig {
            zone_behind_m: 5.0,
            mirror_from_front_m: 1.4,
            lane_outer_m: 3.8,
            lateral_hysteresis_m: 0.3,
            longitudinal_hysteresis_m: 1.0,
            min_ego_speed_mps: 2.0,
            overtaken_rel_speed_mps: 7.0,
            on_ms: 100,
            off_ms: 600,
        }
    }
}

/// Where an object is relative to the ego's side lanes.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Side {
    /// +1 left, −1 right.
    sign: f64,
    /// In the blind zone.
    blind: bool,
    /// Rear of the object behind `ego front + ahead_m`, front ahead of the zone's rear end.
    alongside: bool,
    /// Time for the object's front to reach the ego's rear, when behind and closing.
    closing_ttc_s: Option<f64>,
}

/// The side-lane position of `rel`, if it is a same-direction mover in an adjacent lane.
fn side(
    c: &ZoneConfig,
    frame: &EgoFrame,
    rel: &Relative,
    latched: bool,
    ahead_m: f64,
) -> Option<Side> {
    if frame.speed_mps < c.min_ego_speed_mps || rel.direction != Direction::Same {
        return None;
    }
    if !(rel.is_vehicle() || rel.class == ObjectClass::NonMotor) {
        return None;
    }
    let (lat_h, lon_h) = if latched {
        (c.lateral_hysteresis_m, c.longitudinal_hysteresis_m)
    } else {
        (0.0, 0.0)
    };
    let off = rel.path_offset_m;
    let inner = frame.half_width_m + rel.width_m / 2.0 - 0.2 - lat_h;
    let outer = frame.half_width_m + c.lane_outer_m + lat_h;
    if !(abs(off) >= inner && abs(off) <= outer) {
        return None;
    }
    let front = rel.local[0] + rel.length_m / 2.0;
    let rear = rel.local[0] - rel.length_m / 2.0;
    let ego_rear = -frame.half_length_m;
    let zone_start = ego_rear - c.zone_behind_m - lon_h;
    let mirror = frame.half_length_m - c.mirror_from_front_m + lon_h;
    let blind = front >= zone_start && rear <= mirror;
    let alongside = front >= zone_start && rear <= frame.half_length_m + ahead_m + lon_h;
    let closing = rel.vel_local[0] - frame.speed_mps;
    let closing_ttc_s = (front < zone_start && closing > 0.5).then(|| (ego_rear - front) / closing);
    Some(Side {
        sign: if off >= 0.0 { 1.0 } else { -1.0 },
        blind,
        alongside,
        closing_ttc_s,
    })
}

fn signal_sign(s: TurnSignal) -> Option<f64> {
    match s {
        TurnSignal::Left => Some(1.0),
        TurnSignal::Right => Some(-1.0),
        TurnSignal::None | TurnSignal::Hazard => None,
    }
}

/// Blind spot warning. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct Bsw {
    config: ZoneConfig,
    latch: Latch,
}

impl Default for Bsw {
    fn default() -> Self {
        Self::new(ZoneConfig::default())
    }
}

impl Bsw {
    /// BSW with `config`.
    pub fn new(config: ZoneConfig) -> Self {
        Bsw {
            config,
            latch: Latch::new(config.on_ms, config.off_ms),
        }
    }
}

impl ObjectApp for Bsw {
    fn id(&self) -> AppId {
        AppId::Bsw
    }

    fn evaluate(&mut self, cx: &ObjectContext<'_>, out: &mut Vec<Warning>) {
        let Bsw { config: c, latch } = self;
        let signal = signal_sign(cx.ego.turn_signal);
        latch.evaluate(AppId::Bsw, cx, 4, out, |frame, _, rel, active| {
            let s = side(c, frame, rel, active.is_some(), 0.0)?;
            // A much slower vehicle the ego is overtaking passes the zone in a moment and is
            // in the driver's view before and after: no warning (ISO 17387 practice).
            // (2 m/s more while latched, so a speed difference near the limit does not flicker).
            let limit = c.overtaken_rel_speed_mps + if active.is_some() { 2.0 } else { 0.0 };
            let overtaken = frame.speed_mps - rel.vel_local[0] > limit;
            if !s.blind || overtaken {
                return None;
            }
            let level = if signal == Some(s.sign) {
                Level::Alert
            } else {
                Level::Warning
            };
            Some((level, Info::of(rel, None, Some(rel.range_m))))
        });
    }
}

/// LCW thresholds beyond the zone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LcwConfig {
    /// Zone geometry.
    pub zone: ZoneConfig,
    /// Objects alongside up to this far ahead of the ego's front count, m.
    pub alongside_ahead_m: f64,
    /// Closing objects from behind reaching the ego's rear within this warn, s.
    pub closing_ttc_s: f64,
    /// Yaw rate toward the side that makes an alert, °/s.
    pub yaw_toward_dps: f64,
}

impl Default for LcwConfig {
    fn default() -> Self {
        LcwConfig {
            zone: ZoneConfig::default(),
            alongside_ahead_m: 2.0,
            closing_ttc_s: 3.5,
            yaw_toward_dps: 2.0,
        }
    }
}

/// Lane change warning. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct Lcw {
    config: LcwConfig,
    latch: Latch,
}

impl Default for Lcw {
    fn default() -> Self {
        Self::new(LcwConfig::default())
    }
}

impl Lcw {
    /// LCW with `config`.
    pub fn new(config: LcwConfig) -> Self {
        Lcw {
            config,
            latch: Latch::new(config.zone.on_ms, config.zone.off_ms),
        }
    }
}

impl ObjectApp for Lcw {
    fn id(&self) -> AppId {
        AppId::Lcw
    }

    fn evaluate(&mut self, cx: &ObjectContext<'_>, out: &mut Vec<Warning>) {
        let Lcw { config: c, latch } = self;
        let signal = signal_sign(cx.ego.turn_signal);
        latch.evaluate(AppId::Lcw, cx, 4, out, |frame, _, rel, active| {
            let want = signal?;
            let s = side(&c.zone, frame, rel, active.is_some(), c.alongside_ahead_m)?;
            if s.sign != want {
                return None;
            }
            let beside = s.blind || s.alongside;
            let closing = s.closing_ttc_s.filter(|t| *t <= c.closing_ttc_s);
            if !beside && closing.is_none() {
                return None;
            }
            let yaw_toward = frame.yaw_left_dps * want >= c.yaw_toward_dps;
            let level = if beside && yaw_toward {
                Level::Alert
            } else {
                Level::Warning
            };
            Some((level, Info::of(rel, closing, Some(rel.range_m))))
        });
    }
}
