//! What the applications raise: warnings and advice with a level and a target, and the
//! hysteresis that keeps them from flickering.
pub use super::guidance::{
    Guidance, Maneuver, PathPoints, PaymentState, PlatoonState, RequestState, RequestType,
};
use crate::time::Timestamp;
use crate::world::RoadInfoKind;

/// Warning levels, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Information: GLOSA, SLW, IVS and other advice.
    Advisory,
    /// A hazard that needs the driver's attention.
    Warning,
    /// An imminent hazard.
    Alert,
}

impl Level {
    /// Lower-case name (`advisory`, `warning`, `alert`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Advisory => "advisory",
            Self::Warning => "warning",
            Self::Alert => "alert",
        }
    }
}

/// The applications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum AppId {
    /// Forward collision warning.
    Fcw,
    /// Intersection collision warning.
    Icw,
    /// Left turn assist.
    Lta,
    /// Blind spot warning.
    Bsw,
    /// Lane change warning.
    Lcw,
    /// Do not pass warning.
    Dnpw,
    /// Emergency brake warning.
    Ebw,
    /// Abnormal vehicle warning.
    Avw,
    /// Control loss warning.
    Clw,
    /// Hazardous location warning.
    Hlw,
    /// Speed limit warning.
    Slw,
    /// Red light violation warning.
    Rlvw,
    /// Vulnerable road user collision warning.
    Vrucw,
    /// Green light optimal speed advisory.
    Glosa,
    /// In-vehicle signage.
    Ivs,
    /// Traffic jam warning.
    Tjw,
    /// Emergency vehicle warning.
    Evw,
    /// Cooperative merging and diverging, lane guidance and cooperative lane change (Day II
    /// RSC, VIR lane-change requests).
    Merge,
    /// Clear the way for a priority vehicle (Day II VIR clear-the-way requests, received and
    /// sent).
    ClearTheWay,
    /// Signal priority for an emergency or transit ego (Day II VIR signal-priority requests).
    SignalPriority,
    /// Parking guidance (Day II PAM, VIR parking requests).
    Parking,
    /// Platooning (Day II CLPMM).
    Platoon,
    /// Vehicle near-field payment (Day II VPM).
    Vnfp,
    /// Cooperative emergency braking: a braking request from the roadside.
    Ceb,
}

impl AppId {
    /// Every application, in declaration order.
    pub const ALL: [AppId; 24] = [
        Self::Fcw,
        Self::Icw,
        Self::Lta,
        Self::Bsw,
        Self::Lcw,
        Self::Dnpw,
        Self::Ebw,
        Self::Avw,
        Self::Clw,
        Self::Hlw,
        Self::Slw,
        Self::Rlvw,
        Self::Vrucw,
        Self::Glosa,
        Self::Ivs,
        Self::Tjw,
        Self::Evw,
        Self::Merge,
        Self::ClearTheWay,
        Self::SignalPriority,
        Self::Parking,
        Self::Platoon,
        Self::Vnfp,
        Self::Ceb,
    ];

    /// The application of an upper-case name ([`AppId::name`]), in any case.
    pub fn from_name(s: &str) -> Option<AppId> {
        Self::ALL
            .into_iter()
            .find(|a| a.name().eq_ignore_ascii_case(s))
    }

    /// Upper-case name as scenarios write it (`FCW`, `GLOSA`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::Fcw => "FCW",
            Self::Icw => "ICW",
            Self::Lta => "LTA",
            Self::Bsw => "BSW",
            Self::Lcw => "LCW",
            Self::Dnpw => "DNPW",
            Self::Ebw => "EBW",
            Self::Avw => "AVW",
            Self::Clw => "CLW",
            Self::Hlw => "HLW",
            Self::Slw => "SLW",
            Self::Rlvw => "RLVW",
            Self::Vrucw => "VRUCW",
            Self::Glosa => "GLOSA",
            Self::Ivs => "IVS",
            Self::Tjw => "TJW",
            Self::Evw => "EVW",
            Self::Merge => "MERGE",
            Self::ClearTheWay => "CLEAR_THE_WAY",
            Self::SignalPriority => "SIGNAL_PRIORITY",
            Self::Parking => "PARKING",
            Self::Platoon => "PLATOON",
            Self::Vnfp => "VNFP",
            Self::Ceb => "CEB",
        }
    }
}

/// What a warning is about.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    /// A fused object (track id of the fusion core).
    Object {
        /// Track id.
        track_id: u32,
        /// ENU position of the object when the warning was raised, m.
        position_enu: [f64; 2],
    },
    /// A place (a stop line, an event or sign location).
    Place {
        /// What the place is, stable while it is the same place: the intersection and lane of
        /// a stop line, the sender and item of an RSI event or sign.
        place_id: u64,
        /// ENU position, m.
        position_enu: [f64; 2],
    },
    /// The ego itself (for example its own speed).
    Ego,
}

impl Target {
    /// What the warning is about, without where it is: the track id, the place id, or the ego.
    /// A warning keeps its identity (and its id in the stack's events) while its application
    /// and this key stay the same.
    pub fn key(&self) -> TargetKey {
        match self {
            Target::Object { track_id, .. } => TargetKey::Object(*track_id),
            Target::Place { place_id, .. } => TargetKey::Place(*place_id),
            Target::Ego => TargetKey::Ego,
        }
    }

    /// The ENU position of an object or place target.
    pub fn position_enu(&self) -> Option<[f64; 2]> {
        match self {
            Target::Object { position_enu, .. } | Target::Place { position_enu, .. } => {
                Some(*position_enu)
            }
            Target::Ego => None,
        }
    }
}

/// The identity of a [`Target`] (see [`Target::key`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TargetKey {
    /// A fused object by track id.
    Object(u32),
    /// A place by place id.
    Place(u64),
    /// The ego.
    Ego,
}

/// A stable id of a place from the parts that name it (FNV-1a over the bytes).
pub fn place_id(parts: &[&[u8]]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for p in parts {
        for b in *p {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        // Separate the parts, so ("ab", "c") and ("a", "bc") differ.
        h = (h ^ 0xff).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Speed advice (GLOSA and similar).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Advice {
    /// Drive between these speeds, km/h.
    SpeedRange {
        /// Lower bound, km/h.
        min_kph: f64,
        /// Upper bound, km/h.
        max_kph: f64,
    },
    /// Keep the current speed.
    KeepSpeed,
    /// Prepare to stop.
    Stop,
}

/// The road-side information item behind a warning (IVS, HLW, SLW): its kind, type code and
/// the values the message gives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoadCode {
    /// Traffic event (GB/T 29100 event type) or traffic sign (GB 5768 sign type).
    pub kind: RoadInfoKind,
    /// The event type or sign type code.
    pub code: u16,
    /// The value the item states (the first number of its description: a posted speed limit
    /// in km/h, a height or width limit in m, …), when it states one.
    pub value: Option<f64>,
    /// Priority, 0..=7 (higher is more urgent), when given.
    pub priority: Option<u8>,
}

/// One warning or advice.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Warning {
    /// The application that raised it.
    pub app: AppId,
    /// Its level.
    pub level: Level,
    /// What it is about.
    pub target: Target,
    /// Time to collision (or to the conflict point), s, where the application computes one.
    pub ttc_s: Option<f64>,
    /// Distance to the target or conflict point, m, where meaningful.
    pub distance_m: Option<f64>,
    /// Speed advice, where the application gives one.
    pub advice: Option<Advice>,
    /// The constant deceleration the ego needs from now on to avoid the collision (to stop
    /// short of the conflict, or to match the speed of the object ahead without touching it),
    /// m/s², computed with the time to collision: for an automatic emergency braking
    /// controller. `None` where the application computes no collision course, or when the
    /// objects already overlap.
    pub decel_mps2: Option<f64>,
    /// The road-side information item the warning is about (IVS, HLW, and SLW on a posted
    /// sign): its type code and values.
    pub road: Option<RoadCode>,
    /// The speed limit a speed limit warning applies, km/h.
    pub limit_kph: Option<f64>,
    /// The content of a cooperative (Day II) service: guidance, request states, parking
    /// route, platoon and payment state.
    pub guidance: Option<Guidance>,
    /// The evaluation that produced it.
    pub time: Timestamp,
}

impl Warning {
    /// A warning of `app` at `level` about `target`, produced at `time`, with no time to
    /// collision, distance or advice.
    pub fn new(app: AppId, level: Level, target: Target, time: Timestamp) -> Warning {
        Warning {
            app,
            level,
            target,
            ttc_s: None,
            distance_m: None,
            advice: None,
            decel_mps2: None,
            road: None,
            limit_kph: None,
            guidance: None,
            time,
        }
    }

    /// Whether `other` says something else than `self` (level, target, advice, road code,
    /// speed limit or guidance), beyond the measurements that change every evaluation (time to
    /// collision, distance, deceleration, positions). Speed advice counts as changed when a
    /// bound moves by 1 km/h or more; guidance as [`Guidance::content_differs`] says.
    pub fn content_differs(&self, other: &Warning) -> bool {
        let advice = match (self.advice, other.advice) {
            (None, None) => false,
            (
                Some(Advice::SpeedRange {
                    min_kph: a0,
                    max_kph: a1,
                }),
                Some(Advice::SpeedRange {
                    min_kph: b0,
                    max_kph: b1,
                }),
            ) => (a0 - b0).abs() >= 1.0 || (a1 - b1).abs() >= 1.0,
            (a, b) => a != b,
        };
        let road = match (self.road, other.road) {
            (Some(a), Some(b)) => a.code != b.code || a.kind != b.kind || a.value != b.value,
            (a, b) => a.is_some() != b.is_some(),
        };
        let limit = match (self.limit_kph, other.limit_kph) {
            (Some(a), Some(b)) => (a - b).abs() >= 1.0,
            (a, b) => a.is_some() != b.is_some(),
        };
        let guidance = match (&self.guidance, &other.guidance) {
            (Some(a), Some(b)) => a.content_differs(b),
            (a, b) => a.is_some() != b.is_some(),
        };
        self.level != other.level
            || self.target.key() != other.target.key()
            || advice
            || road
            || limit
            || guidance
    }
}

/// Keeps a condition from flickering: it turns on after holding `on_ms` and turns off only after
/// being absent for `off_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Hysteresis {
    on_ms: i64,
    off_ms: i64,
    since: Option<Timestamp>,
    last_seen: Option<Timestamp>,
    active: bool,
}

impl Hysteresis {
    /// A new, inactive filter.
    pub fn new(on_ms: i64, off_ms: i64) -> Self {
        Self {
            on_ms,
            off_ms,
            ..Self::default()
        }
    }

    /// Feeds the raw condition at `now`; returns whether the filtered condition is active.
    pub fn update(&mut self, raw: bool, now: Timestamp) -> bool {
        if raw {
            let since = *self.since.get_or_insert(now);
            self.last_seen = Some(now);
            if now.micros_since(since) >= self.on_ms * 1000 {
                self.active = true;
            }
        } else {
            self.since = None;
            if let Some(seen) = self.last_seen {
                if now.micros_since(seen) >= self.off_ms * 1000 {
                    self.active = false;
                }
            } else {
                self.active = false;
            }
        }
        self.active
    }

    /// Whether the filtered condition is active.
    pub fn active(&self) -> bool {
        self.active
    }
}
