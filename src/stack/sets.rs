//! Which message set a received frame is read with, by configuration or by detection, and the
//! lift of older frames into the 2020 model the world and the applications use.
//!
//! Deployed senders use three generations of the Day I set: T/CSAE 53-2017, the 2019 release
//! (still sent by roadside units of the 2019 interop events) and T/CSAE 53-2020 with the Day II
//! messages. Their encodings overlap: the same bytes can be a valid frame of two sets with
//! different meanings (a 2019 time offset reads as another offset under 2020, a 2017 light
//! state 4 is "red and yellow", in 2020 "flashing green"). So the set is chosen, in this order:
//!
//! 1. a [`SetRule::Source`] naming the transport sender given in [`RxMeta::source`];
//! 2. a [`SetRule::Source`] naming the sender id inside the message (BSM, RSM, RSI and the Day
//!    II messages that carry one) or a [`SetRule::Region`] containing the message's position
//!    (its reference position; a SPAT's intersection as the MAP store knows it), read with the
//!    rule's own set: the frame must decode under that set and, so read, name that sender or
//!    lie in that region (rules are tried in the order given);
//! 3. a [`SetRule::Aid`] naming the DSMP AID ([`RxMeta::aid`], or the PSID of a verified SPDU);
//! 4. detection, when [`MessageSets::detect`] is on (the default): every accepted set
//!    ([`MessageSets::accept`]) tries the frame, and those that decode it **and re-encode it to the
//!    same bytes** are kept (an older set that reads a newer message only as an unknown
//!    extension is not kept when another set knows the message). One kept set decides. When
//!    several are kept and their readings, lifted into the 2020 model, are equal, the frame
//!    means the same in each and the [`MessageSets::default`] set (else the newest) is used.
//!    When the readings differ the frame is **ambiguous**: it is counted
//!    ([`StackCounters::ambiguous_frames`](super::StackCounters)), reported
//!    ([`Event::Ambiguous`](super::Event::Ambiguous)), and read with the default set (else the
//!    newest kept) — never guessed silently;
//! 5. without detection, the default set.
//!
//! A set chosen by a rule (1–3) that cannot decode the frame drops it as a decode failure: the
//! configuration is not second-guessed.
//!
//! The frame is then lifted into the 2020 model ([`cv2x_msg::lift`]); what the lift lost or
//! changed comes back with [`Stack::ingest_detailed`](super::Stack::ingest_detailed), is counted
//! ([`StackCounters::lifted_with_changes`](super::StackCounters)) and reported
//! ([`Event::Lifted`](super::Event::Lifted)).
use alloc::vec::Vec;

use crate::codec::DecodeErrorKind;
use crate::geo::Wgs84;
use crate::msg::Standard;
use crate::msg::lift::{AnyFrame, Converted};
use crate::msg::v2020 as m;

use super::RxMeta;

/// A set of message sets (a bit per [`Standard`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Sets(u8);

fn bit(s: Standard) -> u8 {
    match s {
        Standard::Csae53_2020 => 1,
        Standard::Csae53_2019 => 2,
        Standard::Csae53_2017 => 4,
        _ => 0,
    }
}

impl Sets {
    /// No set.
    pub const NONE: Sets = Sets(0);
    /// 2020, 2019 and 2017.
    pub const ALL: Sets = Sets(7);

    /// Only `s`.
    pub fn only(s: Standard) -> Sets {
        Sets(bit(s))
    }

    /// With `s` added.
    pub fn with(self, s: Standard) -> Sets {
        Sets(self.0 | bit(s))
    }

    /// Whether `s` is in the set.
    pub fn contains(self, s: Standard) -> bool {
        self.0 & bit(s) != 0
    }

    /// How many sets.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The sets, newest first.
    pub fn iter(self) -> impl Iterator<Item = Standard> {
        Standard::ALL.into_iter().filter(move |s| self.contains(*s))
    }
}

/// A geographic area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Area {
    /// Within `radius_m` of `center` (horizontal distance).
    Circle {
        /// Centre.
        center: Wgs84,
        /// Radius, m.
        radius_m: f64,
    },
    /// Between two latitudes and two longitudes, degrees (`west_deg > east_deg` crosses the
    /// antimeridian).
    Rect {
        /// Southern latitude.
        south_deg: f64,
        /// Western longitude.
        west_deg: f64,
        /// Northern latitude.
        north_deg: f64,
        /// Eastern longitude.
        east_deg: f64,
    },
}

impl Area {
    /// Whether `p` lies in the area.
    pub fn contains(&self, p: &Wgs84) -> bool {
        match *self {
            Area::Circle { center, radius_m } => center
                .enu_offset_to(p)
                .is_ok_and(|d| crate::math::hypot(d.x, d.y) <= radius_m),
            Area::Rect {
                south_deg,
                west_deg,
                north_deg,
                east_deg,
            } => {
                let lat_ok = (south_deg..=north_deg).contains(&p.lat_deg);
                let lon_ok = if west_deg <= east_deg {
                    (west_deg..=east_deg).contains(&p.lon_deg)
                } else {
                    p.lon_deg >= west_deg || p.lon_deg <= east_deg
                };
                lat_ok && lon_ok
            }
        }
    }
}

/// A configured choice of message set (see the [module docs](self) for the order they apply in).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SetRule {
    /// Frames with this DSMP AID (or SPDU PSID).
    Aid {
        /// The AID.
        aid: u32,
        /// Their set.
        set: Standard,
    },
    /// Frames from this sender: the transport sender ([`RxMeta::source`]) or the id inside the
    /// message (a roadside unit's or vehicle's 8-octet id).
    Source {
        /// The id.
        id: [u8; 8],
        /// Its set.
        set: Standard,
    },
    /// Frames about places in this area (deployments of one generation, a city, a test site).
    Region {
        /// The area.
        area: Area,
        /// Its set.
        set: Standard,
    },
}

impl SetRule {
    /// The set the rule names.
    pub fn set(&self) -> Standard {
        match self {
            SetRule::Aid { set, .. }
            | SetRule::Source { set, .. }
            | SetRule::Region { set, .. } => *set,
        }
    }
}

/// How the stack chooses the message set of received frames. `Default`: every set accepted,
/// detection on, 2020 the default, no rules, lifts and ambiguities reported.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct MessageSets {
    /// The sets detection tries (default all three).
    pub accept: Sets,
    /// The set that decides an ambiguous frame, and the set of every frame when detection is off
    /// (default T/CSAE 53-2020).
    pub default: Standard,
    /// Try the accepted sets when no rule names one (default true).
    pub detect: bool,
    /// Rules, tried in order within their kind.
    pub rules: Vec<SetRule>,
    /// Report lifts that lost or changed something, and ambiguous frames, as events (default
    /// true; they are counted either way).
    pub report: bool,
}

impl Default for MessageSets {
    fn default() -> Self {
        MessageSets {
            accept: Sets::ALL,
            default: Standard::Csae53_2020,
            detect: true,
            rules: Vec::new(),
            report: true,
        }
    }
}

impl MessageSets {
    /// Only `set`, without detection: every frame is read with it.
    pub fn only(set: Standard) -> Self {
        MessageSets {
            accept: Sets::only(set),
            default: set,
            detect: false,
            ..MessageSets::default()
        }
    }

    /// With a rule added after the others.
    pub fn with_rule(mut self, rule: SetRule) -> Self {
        self.rules.push(rule);
        self
    }
}

/// Why a frame was read with its set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SetChoice {
    /// A [`SetRule::Source`] naming [`RxMeta::source`].
    TransportSource,
    /// A [`SetRule::Source`] naming the sender id inside the message.
    MessageSource,
    /// A [`SetRule::Region`].
    Region,
    /// A [`SetRule::Aid`].
    Aid,
    /// Detection: the only set that reads the frame, or several that read it with the same
    /// meaning (`candidates`).
    Detected {
        /// The sets that read the frame.
        candidates: Sets,
    },
    /// Detection found several sets that read the frame with different meanings; the default
    /// (or the newest) decided.
    Ambiguous {
        /// The sets that read the frame.
        candidates: Sets,
    },
    /// Detection is off: the default set.
    Default,
}

/// A frame read with its set and lifted into the 2020 model.
#[derive(Debug)]
pub(super) struct Selected {
    pub set: Standard,
    pub by: SetChoice,
    pub frame: Converted<m::MessageFrame>,
}

/// One set's reading of a frame.
struct Reading {
    set: Standard,
    exact: bool,
    lifted: Converted<m::MessageFrame>,
    unknown: bool,
}

fn read(set: Standard, bytes: &[u8]) -> Result<Reading, DecodeErrorKind> {
    let f = AnyFrame::decode(set, bytes).map_err(|e| e.kind())?;
    let exact = f.encode().is_ok_and(|b| b == bytes);
    let unknown = f.is_unknown_alternative();
    Ok(Reading {
        set,
        exact,
        unknown,
        lifted: f.into_2020(),
    })
}

fn forced(set: Standard, by: SetChoice, bytes: &[u8]) -> Result<Selected, DecodeErrorKind> {
    let f = AnyFrame::decode(set, bytes).map_err(|e| e.kind())?;
    Ok(Selected {
        set,
        by,
        frame: f.into_2020(),
    })
}

/// The sender id a frame carries, when it carries one.
pub(super) fn sender_id(f: &m::MessageFrame) -> Option<[u8; 8]> {
    Some(match f {
        m::MessageFrame::BsmFrame(b) => b.id,
        m::MessageFrame::RsmFrame(r) => r.id,
        m::MessageFrame::RsiFrame(r) => r.id,
        m::MessageFrame::MsgFrameExt(e) => match &e.value {
            m::MessageFrameExtValue::PersonalSafetyMessage(p) => p.id,
            m::MessageFrameExtValue::SensorSharingMsg(s) => s.id,
            m::MessageFrameExtValue::RoadsideCoordination(r) => r.id,
            m::MessageFrameExtValue::VehIntentionAndRequest(v) => v.id,
            m::MessageFrameExtValue::Clpmm(c) => c.id,
            _ => return None,
        },
        _ => return None,
    })
}

fn position(p: &m::Position3D) -> Option<Wgs84> {
    crate::world::convert::position_deg(p).map(|(lat, lon)| Wgs84::new(lat, lon, 0.0))
}

/// Where a frame is about: its position or reference position; `spat_place` finds a SPAT's
/// intersection.
pub(super) fn place(
    f: &m::MessageFrame,
    spat_place: &dyn Fn(&m::NodeReferenceID) -> Option<Wgs84>,
) -> Option<Wgs84> {
    match f {
        m::MessageFrame::BsmFrame(b) => position(&b.pos),
        m::MessageFrame::RsmFrame(r) => position(&r.ref_pos),
        m::MessageFrame::RsiFrame(r) => position(&r.ref_pos),
        m::MessageFrame::MapFrame(map) => map.nodes.first().and_then(|n| position(&n.ref_pos)),
        m::MessageFrame::SpatFrame(s) => s
            .intersections
            .first()
            .and_then(|i| spat_place(&i.intersection_id)),
        m::MessageFrame::MsgFrameExt(e) => match &e.value {
            m::MessageFrameExtValue::PersonalSafetyMessage(p) => position(&p.pos),
            m::MessageFrameExtValue::SensorSharingMsg(s) => position(&s.sensor_pos),
            m::MessageFrameExtValue::RoadsideCoordination(r) => position(&r.ref_pos),
            _ => None,
        },
        m::MessageFrame::UnknownExt(_) => None,
    }
}

/// Chooses the set of `bytes` and lifts the frame (see the [module docs](self)); `aid` is the
/// AID or PSID the frame came with.
pub(super) fn select(
    cfg: &MessageSets,
    meta: &RxMeta,
    aid: Option<u32>,
    bytes: &[u8],
    spat_place: &dyn Fn(&m::NodeReferenceID) -> Option<Wgs84>,
) -> Result<Selected, DecodeErrorKind> {
    if let Some(src) = meta.source {
        let rule = cfg.rules.iter().find_map(|r| match r {
            SetRule::Source { id, set } if *id == src => Some(*set),
            _ => None,
        });
        if let Some(set) = rule {
            return forced(set, SetChoice::TransportSource, bytes);
        }
    }
    let content = cfg
        .rules
        .iter()
        .any(|r| matches!(r, SetRule::Source { .. } | SetRule::Region { .. }));
    let mut readings: Vec<Reading> = Vec::new();
    let mut first_error = None;
    let mut reading = |set: Standard, readings: &mut Vec<Reading>| -> Option<usize> {
        if let Some(i) = readings.iter().position(|r| r.set == set) {
            return Some(i);
        }
        match read(set, bytes) {
            Ok(r) => {
                readings.push(r);
                Some(readings.len() - 1)
            }
            Err(e) => {
                if set == cfg.default || first_error.is_none() {
                    first_error = Some(e);
                }
                None
            }
        }
    };
    if content {
        for rule in &cfg.rules {
            let (set, by) = match rule {
                SetRule::Source { set, .. } => (*set, SetChoice::MessageSource),
                SetRule::Region { set, .. } => (*set, SetChoice::Region),
                SetRule::Aid { .. } => continue,
            };
            let Some(i) = reading(set, &mut readings) else {
                continue;
            };
            let hit = readings.get(i).is_some_and(|r| {
                let f = &r.lifted.value;
                match rule {
                    SetRule::Source { id, .. } => sender_id(f) == Some(*id),
                    SetRule::Region { area, .. } => {
                        place(f, spat_place).is_some_and(|p| area.contains(&p))
                    }
                    SetRule::Aid { .. } => false,
                }
            });
            if hit {
                let r = readings.swap_remove(i);
                return Ok(Selected {
                    set,
                    by,
                    frame: r.lifted,
                });
            }
        }
    }
    if let Some(aid) = aid {
        let rule = cfg.rules.iter().find_map(|r| match r {
            SetRule::Aid { aid: a, set } if *a == aid => Some(*set),
            _ => None,
        });
        if let Some(set) = rule {
            return match readings.iter().position(|r| r.set == set) {
                Some(i) => Ok(Selected {
                    set,
                    by: SetChoice::Aid,
                    frame: readings.swap_remove(i).lifted,
                }),
                None => forced(set, SetChoice::Aid, bytes),
            };
        }
    }
    if !cfg.detect || cfg.accept.is_empty() {
        return match readings.iter().position(|r| r.set == cfg.default) {
            Some(i) => Ok(Selected {
                set: cfg.default,
                by: SetChoice::Default,
                frame: readings.swap_remove(i).lifted,
            }),
            None => forced(cfg.default, SetChoice::Default, bytes),
        };
    }
    for set in cfg.accept.iter() {
        let i = reading(set, &mut readings);
        // A Day II message: the older sets have no such alternative and could only read an
        // unknown extension, which detection sets aside anyway.
        let day2 = i.and_then(|i| readings.get(i)).is_some_and(|r| {
            r.set == Standard::Csae53_2020
                && r.exact
                && matches!(r.lifted.value, m::MessageFrame::MsgFrameExt(_))
        });
        if day2 {
            break;
        }
    }
    readings.retain(|r| cfg.accept.contains(r.set));
    detect(cfg, readings).ok_or(first_error.unwrap_or(DecodeErrorKind::UnexpectedEnd))
}

/// Detection among the accepted sets' readings.
fn detect(cfg: &MessageSets, mut readings: Vec<Reading>) -> Option<Selected> {
    // Sets that re-encode the frame to the same bytes; failing that, any that decode it.
    if readings.iter().any(|r| r.exact) {
        readings.retain(|r| r.exact);
    }
    // A newer message that an older set reads only as an unknown extension.
    if readings.iter().any(|r| !r.unknown) {
        readings.retain(|r| !r.unknown);
    }
    let candidates = readings.iter().fold(Sets::NONE, |s, r| s.with(r.set));
    let same = readings
        .windows(2)
        .all(|w| matches!(w, [a, b] if a.lifted.value == b.lifted.value));
    let pick = readings
        .iter()
        .position(|r| r.set == cfg.default)
        .or_else(|| {
            // Newest first.
            Standard::ALL
                .iter()
                .find_map(|s| readings.iter().position(|r| r.set == *s))
        })?;
    let r = readings.swap_remove(pick);
    Some(Selected {
        set: r.set,
        by: if same {
            SetChoice::Detected { candidates }
        } else {
            SetChoice::Ambiguous { candidates }
        },
        frame: r.lifted,
    })
}
