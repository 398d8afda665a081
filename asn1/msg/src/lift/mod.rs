//! Typed conversions between the message sets: older frames lifted into the 2020 model, and
//! 2020 frames lowered into the older sets.
//!
//! A receiver that understands the 2020 set (the stack's world model is built on [`v2020`])
//! reads a 2017 or 2019 frame with the set its sender uses and then **lifts** it: every member is
//! carried to its 2020 counterpart, field by field. What has no counterpart is not silently
//! dropped: each conversion returns the converted value with a [`Report`] of what was lost or
//! changed ([`Note`]: where, and how — [`Change`]). **Lowering** (2020 → 2019 / 2017) is the
//! inverse, used to produce the frames an older sender would send (test traffic, gateways).
//!
//! ```
//! use cv2x_msg::codec::Uper;
//! use cv2x_msg::lift::Lift;
//! use cv2x_msg::{v2019, v2020};
//!
//! # fn main() -> Result<(), cv2x_msg::codec::Error> {
//! // A 2019 MAP of one node, as a 2019 roadside unit sends it.
//! let bytes = [0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
//! let old = v2019::MessageFrame::decode(&bytes)?;
//! let lifted = old.lift();
//! assert!(matches!(lifted.value, v2020::MessageFrame::MapFrame(_)));
//! for note in lifted.report.notes() {
//!     println!("{note}"); // e.g. "Link.linkWidth: filled (3 times)"
//! }
//! assert!(lifted.report.is_empty());
//! # Ok(())
//! # }
//! ```
//!
//! The conversions are plain Rust over the generated types (no SI units, no I/O, `no_std`); they
//! are written by hand because each difference below is a decision about meaning that a
//! generator cannot make. Types that are identical in two sets convert member by member through
//! one macro each; the compiler checks that every member is named, so a type that differs cannot
//! slip through as identical.
//!
//! # 2019 → 2020 (the seven differences of the 2019-07-24 release)
//!
//! | type | 2019 | lifted to 2020 | note |
//! |---|---|---|---|
//! | `PathPointList` | 1..32 points | a one-point path gets its point twice (a zero-length path at that point) | [`Change::Padded`] `ReferencePath.activePath` |
//! | `Link.linkWidth` | OPTIONAL | when absent: the width of the link's first lane that has one, else 350 cm ([`DEFAULT_LANE_WIDTH_CM`]) | [`Change::Filled`] `Link.linkWidth` |
//! | `NodeList` | 1..63 nodes | the first 32 (the 2020 bound) | [`Change::Truncated`] `MapData.nodes` per node left out |
//! | `ConnectsToList` | 1..16 | the first 8 | [`Change::Truncated`] `Lane.connectsTo` per connection left out |
//! | `FullPositionVector` | `posAccuracy` (error ellipse) + `posConficence` (accuracy class) | `posConficence` becomes `posAccuracy` (the same type); the ellipse has no place in 2020 | [`Change::Dropped`] `FullPositionVector.posAccuracy` |
//! | `DHour` | 0..24 | the same value (within 0..31) | — |
//! | `DTimeOffset` | -720..721 | the same value (within -840..840) | — |
//!
//! `DHour` and `DTimeOffset` show why a typed lift is needed: the same 11 bits of an offset are
//! another number under 2020 (its lower bound is -840, not -720), but once decoded with the
//! sender's set the value is a plain offset in minutes, and it lifts unchanged. Extension
//! additions a 2019 decoder kept as unknown in `Node` and `RTSData` (whose 2020 forms define
//! additions of their own) are left out and noted ([`Change::Dropped`] `Node.extensions` /
//! `RTSData.extensions`); elsewhere unknown extensions are carried unchanged.
//!
//! Lowering 2020 → 2019: Day II frames (`msgFrameExt`) and the Day II members (`Node.inLinks-ex`,
//! `Node.prohibitedzone`, `RTSData.auxiliarySign`) are dropped and noted; `posAccuracy` of a
//! `FullPositionVector` becomes `posConficence`; an hour of 25..31 ("invalid" in both) becomes 24
//! ([`Change::Clamped`]); an offset outside -720..721 is left out ([`Change::Dropped`]).
//!
//! # 2017 → 2020
//!
//! | type | 2017 | lifted to 2020 | note |
//! |---|---|---|---|
//! | `BasicSafetyMessage` | `plateNo`; `accuracy` (mandatory) | `plateNo` has no counterpart; `accuracy` becomes `posConfidence` | [`Change::Dropped`] `BasicSafetyMessage.plateNo` |
//! | `ParticipantData` (RSM) | `plateNo`; `accuracy` | as for the BSM: `accuracy` becomes `posConfidence` | [`Change::Dropped`] `ParticipantData.plateNo` |
//! | `SourceType` | six values, extensible | the same six; an unknown extension value becomes `unknown` (2020 added `lidar` and `integrated` to the root, so 2017 extension indexes mean nothing in 2020) | [`Change::Remapped`] `SourceType` |
//! | `FullPositionVector` | `posAccuracy` and `posConfidence`, both accuracy classes | `posAccuracy`, else `posConfidence` | [`Change::Dropped`] `FullPositionVector.posConfidence` when both are given and differ |
//! | `VehicleClassification` | no `fuelType` | absent | — |
//! | `SPAT` | `timeStamp` = minute of the year | `moy` (2020's `timeStamp` is the millisecond) | — |
//! | `IntersectionState` | no `timeConfidence`, not extensible | absent | — |
//! | `LightState` | J2735 meanings | `stop-Then-Proceed` → `flashing-red`, `stop-And-Remain` → `red`, `permissive-Movement-Allowed` → `permissive-green`, `protected-Movement-Allowed` → `protected-green`, `intersection-clearance` → `yellow`, `caution-Conflicting-Traffic` → `flashing-yellow`; `pre-Movement` (red and yellow: still stop, about to go) has the number 2020 gives `flashing-green`, and becomes `red` | [`Change::Remapped`] `LightState.pre-Movement` |
//! | `TimeChangeDetails` | a count-down SEQUENCE | the `counting` alternative, the same members | — |
//! | `Link` | `laneWidth`: the width of the link's lanes (2017 lanes have none of their own) | `linkWidth` and every lane's `laneWidth` | — |
//! | `RoadSideInformation` | one alert: `rsiId`, `alertType`, `description`, `priority`, `alertPath`, `alertRadius` | one traffic sign (`rtss`): `alertType` is a GB 5768 sign type (0 = a text message), `alertPath`/`alertRadius` the sign's reference path and its half-width; a path whose points all coincide is an alert at that point: it becomes the sign's position, without a path | [`Change::Remapped`] `RoadSideInformation.alertType` (0: text), `RoadSideInformation.alertPath` (a point), [`Change::Dropped`] `RoadSideInformation.alertRadius` (of a point: 2020 signs have no radius) |
//! | `Node` | no Day II members | absent | — |
//!
//! Lowering 2020 → 2017: Day II frames and members are dropped; `timeConfidence`, `posAccuracy`,
//! `emergencyExt` of a BSM are dropped, and a missing `posConfidence` is filled with
//! `unavailable`; `lidar` and `integrated` sources become `unknown`; `flashing-green` becomes
//! `permissive-Movement-Allowed`; UTC signal timing has no 2017 form and is dropped; a SPAT's
//! millisecond `timeStamp` is dropped (each intersection keeps its own); per-lane widths become the
//! link's `laneWidth` (the lanes' common width, else `linkWidth`); an RSI becomes one 2017 RSI
//! per traffic sign (traffic events have no 2017 form): a sign with reference paths has its first
//! one as the alert path, and its position becomes the reference position (the path re-based onto
//! it; 2017 has no other place for it); a sign without a path gets a two-point path at its
//! position (which lifts back to that position); the path radius is clamped to the 2017 bound of
//! 102.4 m, a GB2312 description is dropped and an ASCII one cut to 256 characters.
//!
//! T/CSAE 53-2017 defines `AlertType` by GB 5768 traffic sign codes (0 for a text message);
//! traffic events by GB/T 29100 codes have their own list only from 2020 (`rtes`), so a 2017
//! alert lifts to a traffic sign.
//!
//! The [`Report`] keeps one [`Note`] per (place, kind of change), with a count, so it stays small
//! whatever the size of the message.
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::codec::uper::{BitBuf, UnknownAlternative, UnknownExtensions, Uper};
use crate::codec::{DecodeError, EncodeError};
use crate::{Standard, v2017, v2019, v2020};

mod common;
mod v17;
mod v19;

#[cfg(test)]
mod tests;

/// The lane width a 2019 `Link` without `linkWidth` gets when none of its lanes has a width, cm
/// (3.5 m, the common urban lane width in China).
pub const DEFAULT_LANE_WIDTH_CM: u16 = 350;

/// How a value changed in a conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Change {
    /// A member or value with no counterpart in the target set was left out.
    Dropped,
    /// A mandatory member of the target set with no source value was given one (see the
    /// module docs for which).
    Filled,
    /// A value whose meaning differs between the sets was mapped to the nearest value of the
    /// target set.
    Remapped,
    /// List entries beyond the target set's bound were left out (one per entry).
    Truncated,
    /// A list shorter than the target set's minimum was filled out.
    Padded,
    /// A number outside the target set's range was clamped to it.
    Clamped,
}

impl Change {
    /// A short name: `dropped`, `filled`, `remapped`, `truncated`, `padded`, `clamped`.
    pub fn name(self) -> &'static str {
        match self {
            Change::Dropped => "dropped",
            Change::Filled => "filled",
            Change::Remapped => "remapped",
            Change::Truncated => "truncated",
            Change::Padded => "padded",
            Change::Clamped => "clamped",
        }
    }
}

/// One kind of change at one place, with how often it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Note {
    /// The ASN.1 type and member (or value) concerned, e.g. `Link.linkWidth`.
    pub at: &'static str,
    /// What happened to it.
    pub change: Change,
    /// How many times in the converted value.
    pub count: u32,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.change.name())?;
        if self.count > 1 {
            write!(f, " ({} times)", self.count)?;
        }
        Ok(())
    }
}

/// What a conversion lost or changed: one [`Note`] per (place, change). Empty when the
/// conversion kept every value and its meaning.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    notes: Vec<Note>,
}

impl Report {
    /// An empty report.
    pub const fn new() -> Self {
        Report { notes: Vec::new() }
    }

    /// Records one change at `at`.
    pub fn note(&mut self, at: &'static str, change: Change) {
        self.note_n(at, change, 1);
    }

    /// Records `n` changes at `at` (nothing when `n` is 0).
    pub fn note_n(&mut self, at: &'static str, change: Change, n: u32) {
        if n == 0 {
            return;
        }
        match self
            .notes
            .iter_mut()
            .find(|x| x.at == at && x.change == change)
        {
            Some(x) => x.count = x.count.saturating_add(n),
            None => self.notes.push(Note {
                at,
                change,
                count: n,
            }),
        }
    }

    /// The notes, in the order first seen.
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    /// Whether nothing was lost or changed.
    pub fn is_empty(&self) -> bool {
        self.notes.is_empty()
    }

    /// How many changes at `at` of kind `change` (0 when none).
    pub fn count(&self, at: &str, change: Change) -> u32 {
        self.notes
            .iter()
            .filter(|n| n.at == at && n.change == change)
            .map(|n| n.count)
            .sum()
    }

    /// All changes, summed over the notes.
    pub fn total(&self) -> u32 {
        self.notes
            .iter()
            .fold(0u32, |a, n| a.saturating_add(n.count))
    }

    /// Adds the notes of `other`.
    pub fn merge(&mut self, other: &Report) {
        for n in &other.notes {
            self.note_n(n.at, n.change, n.count);
        }
    }

    /// Empties the report (keeping its allocation).
    pub fn clear(&mut self) {
        self.notes.clear();
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.notes.is_empty() {
            return f.write_str("lossless");
        }
        for (i, n) in self.notes.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{n}")?;
        }
        Ok(())
    }
}

/// A converted value and what the conversion lost or changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Converted<T> {
    /// The value in the target set.
    pub value: T,
    /// What was lost or changed.
    pub report: Report,
}

/// A conversion of a value of one message set into type `T` of another.
///
/// Implemented for every type the stack uses (BSM, MAP, SPAT, RSI, RSM, the message frame and
/// everything they contain) from 2017 and 2019 into 2020 and back, and for `Option` and `Vec`
/// of them.
pub trait Convert<T> {
    /// Converts, adding what was lost or changed to `report`.
    fn convert_with(&self, report: &mut Report) -> T;

    /// Converts, with a fresh report.
    fn convert(&self) -> Converted<T> {
        let mut report = Report::new();
        let value = self.convert_with(&mut report);
        Converted { value, report }
    }
}

/// A type of an older set lifted into its 2020 counterpart (a shorthand for
/// [`Convert`]`<Self::Target>` that names the target).
pub trait Lift: Convert<Self::Target> {
    /// The 2020 type.
    type Target;

    /// Lifts into the 2020 type, with what was lost or changed.
    fn lift(&self) -> Converted<Self::Target> {
        self.convert()
    }
}

impl<A: Convert<B>, B> Convert<Option<B>> for Option<A> {
    fn convert_with(&self, r: &mut Report) -> Option<B> {
        self.as_ref().map(|x| x.convert_with(r))
    }
}

impl<A: Convert<B>, B> Convert<Vec<B>> for Vec<A> {
    fn convert_with(&self, r: &mut Report) -> Vec<B> {
        self.iter().map(|x| x.convert_with(r)).collect()
    }
}

impl<const N: usize> Convert<[u8; N]> for [u8; N] {
    fn convert_with(&self, _: &mut Report) -> [u8; N] {
        *self
    }
}

macro_rules! same_value {
    ($($t:ty),*) => {$(
        impl Convert<$t> for $t {
            fn convert_with(&self, _: &mut Report) -> $t {
                self.clone()
            }
        }
    )*};
}

same_value!(
    u8,
    u16,
    u32,
    u64,
    i8,
    i16,
    i32,
    i64,
    bool,
    String,
    BitBuf,
    UnknownExtensions,
    UnknownAlternative
);

/// Conversions between types that are the same in two sets: member by member, variant by
/// variant. Forms: `seq T { members }`, `enm T { variants }` (`ext` when extensible),
/// `choice T { alternatives }` (`ext` when extensible), `bits T` (a fixed-size BIT STRING).
macro_rules! same_types {
    ($from:ident => $to:ident { $($body:tt)* }) => {
        same_types!(@each $from $to $($body)*);
    };
    (@each $from:ident $to:ident) => {};
    (@each $from:ident $to:ident seq $t:ident { $($f:ident),* } $($rest:tt)*) => {
        impl $crate::lift::Convert<$to::$t> for $from::$t {
            fn convert_with(&self, _r: &mut $crate::lift::Report) -> $to::$t {
                $to::$t { $($f: $crate::lift::Convert::convert_with(&self.$f, _r)),* }
            }
        }
        same_types!(@each $from $to $($rest)*);
    };
    (@each $from:ident $to:ident enm $t:ident { $($v:ident),* } $($rest:tt)*) => {
        impl $crate::lift::Convert<$to::$t> for $from::$t {
            fn convert_with(&self, _: &mut $crate::lift::Report) -> $to::$t {
                match self { $($from::$t::$v => $to::$t::$v),* }
            }
        }
        same_types!(@each $from $to $($rest)*);
    };
    (@each $from:ident $to:ident enm_ext $t:ident { $($v:ident),* } $($rest:tt)*) => {
        impl $crate::lift::Convert<$to::$t> for $from::$t {
            fn convert_with(&self, _: &mut $crate::lift::Report) -> $to::$t {
                match self {
                    $($from::$t::$v => $to::$t::$v,)*
                    $from::$t::UnknownExt(i) => $to::$t::UnknownExt(*i),
                }
            }
        }
        same_types!(@each $from $to $($rest)*);
    };
    (@each $from:ident $to:ident choice $t:ident { $($v:ident),* } $($rest:tt)*) => {
        impl $crate::lift::Convert<$to::$t> for $from::$t {
            fn convert_with(&self, r: &mut $crate::lift::Report) -> $to::$t {
                match self {
                    $($from::$t::$v(x) => $to::$t::$v($crate::lift::Convert::convert_with(x, r)),)*
                }
            }
        }
        same_types!(@each $from $to $($rest)*);
    };
    (@each $from:ident $to:ident choice_ext $t:ident { $($v:ident),* } $($rest:tt)*) => {
        impl $crate::lift::Convert<$to::$t> for $from::$t {
            fn convert_with(&self, r: &mut $crate::lift::Report) -> $to::$t {
                match self {
                    $($from::$t::$v(x) => $to::$t::$v($crate::lift::Convert::convert_with(x, r)),)*
                    $from::$t::UnknownExt(u) => $to::$t::UnknownExt(u.clone()),
                }
            }
        }
        same_types!(@each $from $to $($rest)*);
    };
    (@each $from:ident $to:ident bits $t:ident $($rest:tt)*) => {
        impl $crate::lift::Convert<$to::$t> for $from::$t {
            fn convert_with(&self, _: &mut $crate::lift::Report) -> $to::$t {
                $to::$t(self.0)
            }
        }
        same_types!(@each $from $to $($rest)*);
    };
}
pub(crate) use same_types;

/// `impl Lift` for types of `$from` whose 2020 counterpart has the same name.
macro_rules! lifts {
    ($from:ident: $($t:ident),* $(,)?) => {$(
        impl $crate::lift::Lift for $from::$t {
            type Target = $crate::v2020::$t;
        }
    )*};
}
pub(crate) use lifts;

/// A message frame of any set, as decoded with the set its sender uses.
#[derive(Debug, Clone, PartialEq)]
pub enum AnyFrame {
    /// T/CSAE 53-2020 (with Day II).
    V2020(v2020::MessageFrame),
    /// The 2019 release.
    V2019(v2019::MessageFrame),
    /// T/CSAE 53-2017.
    V2017(v2017::MessageFrame),
}

impl AnyFrame {
    /// Decodes a complete UPER `MessageFrame` of set `set`.
    pub fn decode(set: Standard, bytes: &[u8]) -> Result<AnyFrame, DecodeError> {
        Ok(match set {
            Standard::Csae53_2020 => AnyFrame::V2020(v2020::MessageFrame::decode(bytes)?),
            Standard::Csae53_2019 => AnyFrame::V2019(v2019::MessageFrame::decode(bytes)?),
            Standard::Csae53_2017 => AnyFrame::V2017(v2017::MessageFrame::decode(bytes)?),
        })
    }

    /// Encodes the frame in UPER with its own set.
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        match self {
            AnyFrame::V2020(f) => f.encode(),
            AnyFrame::V2019(f) => f.encode(),
            AnyFrame::V2017(f) => f.encode(),
        }
    }

    /// The frame's message set.
    pub fn set(&self) -> Standard {
        match self {
            AnyFrame::V2020(_) => Standard::Csae53_2020,
            AnyFrame::V2019(_) => Standard::Csae53_2019,
            AnyFrame::V2017(_) => Standard::Csae53_2017,
        }
    }

    /// Whether the frame is an extension alternative its set does not know (a newer message
    /// read with an older set).
    pub fn is_unknown_alternative(&self) -> bool {
        matches!(
            self,
            AnyFrame::V2020(v2020::MessageFrame::UnknownExt(_))
                | AnyFrame::V2019(v2019::MessageFrame::UnknownExt(_))
                | AnyFrame::V2017(v2017::MessageFrame::UnknownExt(_))
        )
    }

    /// The frame in the 2020 model (a 2020 frame as it is, with an empty report).
    pub fn into_2020(self) -> Converted<v2020::MessageFrame> {
        match self {
            AnyFrame::V2020(value) => Converted {
                value,
                report: Report::new(),
            },
            AnyFrame::V2019(f) => f.lift(),
            AnyFrame::V2017(f) => f.lift(),
        }
    }

    /// The frames a sender of set `set` sends for the 2020 frame `frame`: none when the set
    /// cannot carry it (a Day II message in 2017 or 2019), one in general, several when the set
    /// needs several messages for it (a 2020 RSI with several traffic signs in 2017).
    pub fn lower(frame: &v2020::MessageFrame, set: Standard) -> Converted<Vec<AnyFrame>> {
        match set {
            Standard::Csae53_2020 => Converted {
                value: alloc::vec![AnyFrame::V2020(frame.clone())],
                report: Report::new(),
            },
            Standard::Csae53_2019 => {
                let c: Converted<Option<v2019::MessageFrame>> = frame.convert();
                Converted {
                    value: c.value.into_iter().map(AnyFrame::V2019).collect(),
                    report: c.report,
                }
            }
            Standard::Csae53_2017 => {
                let c: Converted<Vec<v2017::MessageFrame>> = frame.convert();
                Converted {
                    value: c.value.into_iter().map(AnyFrame::V2017).collect(),
                    report: c.report,
                }
            }
        }
    }
}
