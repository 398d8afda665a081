//! # cv2x-msg — C-V2X message sets and their UPER codec
//!
//! The Chinese C-V2X message sets as plain Rust types, generated from the ASN.1 modules in
//! `asn1/` by `asn1/codegen`, with a strict unaligned-PER ([`codec::uper`]) codec and, behind
//! feature `jer`, JER (X.697) for every type. `no_std` + `alloc` without feature `std`.
//!
//! - [`v2020`]: T/CSAE 157-2020 (Day II), which contains T/CSAE 53-2020 = YD/T 3709-2020 (Day I)
//!   with the Day II extension additions. One set decodes both.
//! - [`v2019`]: the 2019 revision of the Day I set (module release 2019-07-24), which deployed
//!   roadside units still send; it differs from 2020 in seven types, some of which give the same
//!   bits another meaning, so a frame is read with the set its sender uses.
//! - [`v2017`]: T/CSAE 53-2017, the original Day I.
//! - [`lift`]: typed conversions between the sets: 2017 and 2019 frames lifted into the 2020
//!   model with a report of what was lost or changed, and 2020 frames lowered into the older sets.
//!
//! This crate depends on nothing but `thiserror` (and `serde_json` for JER): a roadside unit, a
//! cloud decoder or a `no_std` gateway can read and write the messages without the rest of the
//! cv2x stack. The `cv2x` crate re-exports it as `cv2x::msg` and `cv2x::codec`.
//!
//! ```
//! use cv2x_msg::codec::Uper;
//! use cv2x_msg::v2020::MessageFrame;
//!
//! # fn main() -> Result<(), cv2x_msg::codec::Error> {
//! let bytes = [0u8; 36];
//! match MessageFrame::decode(&bytes) {
//!     Ok(MessageFrame::BsmFrame(bsm)) => println!("BSM from {:02x?}", bsm.id),
//!     Ok(other) => println!("{other:?}"),
//!     Err(e) => println!("rejected: {e}"),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Features: `std` (default), `jer` (JER through `serde_json`), `conform` (the conformance-vector
//! checker [`conform`], a test tool).
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

pub mod codec;
mod helpers;
pub mod lift;
pub mod v2017;
pub mod v2019;
pub mod v2020;

#[cfg(feature = "conform")]
pub mod conform;

/// A message set: which ASN.1 modules a byte string is read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Standard {
    /// T/CSAE 53-2020 = YD/T 3709-2020 (Day I) and T/CSAE 157-2020 (Day II).
    Csae53_2020,
    /// The 2019 revision of the T/CSAE 53 / YD/T 3709 Day I set (module release 2019-07-24).
    Csae53_2019,
    /// T/CSAE 53-2017 (the original Day I).
    Csae53_2017,
}

impl Standard {
    /// Every message set, newest first.
    pub const ALL: [Standard; 3] = [Self::Csae53_2020, Self::Csae53_2019, Self::Csae53_2017];

    /// The command-line name: `csae53-2020`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Csae53_2020 => "csae53-2020",
            Self::Csae53_2019 => "csae53-2019",
            Self::Csae53_2017 => "csae53-2017",
        }
    }

    /// Parses a command-line name.
    pub fn from_name(s: &str) -> Option<Self> {
        match s {
            "csae53-2020" | "csae157-2020" => Some(Self::Csae53_2020),
            "csae53-2019" => Some(Self::Csae53_2019),
            "csae53-2017" => Some(Self::Csae53_2017),
            _ => None,
        }
    }

    /// The standard of a conformance-vector folder name (`csae53_2020`, `csae157_2020_dayII`,
    /// `csae53_2019`, `csae53_2017`).
    pub fn from_folder(s: &str) -> Option<Self> {
        match s {
            "csae53_2020" | "csae157_2020_dayII" => Some(Self::Csae53_2020),
            "csae53_2019" => Some(Self::Csae53_2019),
            "csae53_2017" => Some(Self::Csae53_2017),
            _ => None,
        }
    }

    /// The SEQUENCE and CHOICE type names of this set.
    pub fn types(self) -> &'static [&'static str] {
        match self {
            Self::Csae53_2020 => v2020::TYPES,
            Self::Csae53_2019 => v2019::TYPES,
            Self::Csae53_2017 => v2017::TYPES,
        }
    }

    /// Decodes `bytes` as type `ty`: its JER value and its re-encoding. `Ok(None)` when the
    /// set has no type of that name.
    #[cfg(feature = "jer")]
    pub fn decode_named(
        self,
        ty: &str,
        bytes: &[u8],
    ) -> Result<Option<(crate::codec::jer::Value, alloc::vec::Vec<u8>)>, crate::codec::Error> {
        match self {
            Self::Csae53_2020 => v2020::decode_named(ty, bytes),
            Self::Csae53_2019 => v2019::decode_named(ty, bytes),
            Self::Csae53_2017 => v2017::decode_named(ty, bytes),
        }
    }

    /// Encodes the JER value `j` of type `ty` in UPER. `Ok(None)` when the set has no type of
    /// that name.
    #[cfg(feature = "jer")]
    pub fn encode_named(
        self,
        ty: &str,
        j: &crate::codec::jer::Value,
    ) -> Result<Option<alloc::vec::Vec<u8>>, crate::codec::Error> {
        match self {
            Self::Csae53_2020 => v2020::encode_named(ty, j),
            Self::Csae53_2019 => v2019::encode_named(ty, j),
            Self::Csae53_2017 => v2017::encode_named(ty, j),
        }
    }
}
