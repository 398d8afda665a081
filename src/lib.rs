//! # cv2x — an on-board C-V2X stack
//!
//! Chinese C-V2X message sets (T/CSAE 53-2020 = YD/T 3709-2020 Day I, T/CSAE 157-2020 Day II,
//! T/CSAE 53-2017) in ASN.1 UPER, GB/T 45112-2024 / IEEE 1609.2 security, a fusion core that
//! merges roadside perception with onboard tracks, and the warning applications on top.
//!
//! ## Layers
//!
//! Lower layers never import higher ones:
//!
//! | layer | owns |
//! |---|---|
//! | `ffi` | C ABI (feature `capi`), the only `unsafe` |
//! | `stack` | sans-IO entry point: ingest → verify → decode → fuse → apps → events |
//! | `stack_security` | the security layer as the stack's verifier and the runner's signer (feature `security`) |
//! | `apps` | collision and signal warnings |
//! | `fusion` | observations → tracks |
//! | `security` | COER certificates and signed data, verification, signing |
//! | `net` | DSMP network header, AID dispatch, transports, capture replay |
//! | [`msg`] | generated message types per standard version |
//! | [`codec`] | UPER bit reader/writer, JER, decode limits |
//! | `geo`, `time` | WGS-84 ↔ ENU, CSAE heading; TAI epoch, minute-of-year |
//!
//! Time and I/O are inputs: nothing below `net` reads a clock or a socket.
#![cfg_attr(not(feature = "std"), no_std)]
#![deny(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

pub mod apps;
pub use cv2x_msg::codec;
pub mod fusion;
pub mod geo;
/// Message types per standard version (the crate `cv2x-msg`).
pub use cv2x_msg as msg;
pub mod net;
#[cfg(feature = "std")]
pub mod scenario;
#[cfg(feature = "security")]
pub mod security;
pub mod stack;
#[cfg(feature = "security")]
pub mod stack_security;
pub mod time;

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
