//! # cv2x — an on-board C-V2X stack
//!
//! The Chinese C-V2X message sets (T/CSAE 53-2020 = YD/T 3709-2020 Day I, T/CSAE 157-2020
//! Day II, T/CSAE 53-2017) in ASN.1 UPER, GB/T 45112-2024 / IEEE 1609.2 security, DSMP
//! networking, a fusion core that merges roadside perception with onboard tracks, and the
//! warning applications on top, behind one sans-IO [`Stack`].
//!
//! ## The API in one page
//!
//! ```
//! use cv2x::{Event, RxMeta, Stack, StackConfig, Timestamp};
//!
//! let mut stack = Stack::new(StackConfig::default())?;
//! let now = Timestamp::from_unix_utc_millis(1_772_352_000_000);
//! // for each received message: stack.ingest(&bytes, &RxMeta::PLAIN, receive_time)
//! // for each positioning fix:   stack.set_ego(&ego)
//! for event in stack.poll(now) {
//!     if let Event::Warning { id, change, warning } = event {
//!         println!("{id} {change:?} {} {}", warning.app.name(), warning.level.name());
//!     }
//! }
//! # Ok::<(), cv2x::StackError>(())
//! ```
//!
//! | you want to | use |
//! |---|---|
//! | run the stack: messages and ego state in, warnings out | [`Stack`], [`StackConfig`], [`RxMeta`], [`VehicleState`], [`Event`], [`ActiveWarning`] |
//! | put the ego on the air: BSM, SSM, pseudonyms, signing | [`HostVehicle`], [`Stack::set_host`], [`Transmission`] ([`Stack::transmissions`]) |
//! | read what a warning says | [`Warning`], [`AppId`], [`Level`], [`Target`], [`Advice`] |
//! | decode and encode messages | [`msg::v2020::MessageFrame`] (and `v2017`), the [`Uper`] trait, [`codec::DecodeError`] |
//! | verify and sign secured messages | [`Verifier`], [`SpduSigner`], [`security::Report`], [`security::sign::SigningBackend`] (a key in a security chip) |
//! | parse DSMP packets and dispatch by AID | [`net::dsmp`], [`net::Dispatcher`], [`net::Aid`] |
//! | read the world model: MAP, SPAT, RSI, Day II, lanes | [`World`] ([`Stack::world`], [`Stack::lane`]) |
//! | read the fused objects; give the ego's own sensor tracks | [`FusedObject`] ([`Stack::objects`]), [`Observation`] ([`Stack::add_onboard_tracks`]) |
//! | times and positions | [`Timestamp`], [`Wgs84`] |
//!
//! ## Layers
//!
//! Lower layers never import higher ones (see `docs/architecture.md`):
//!
//! | layer | owns |
//! |---|---|
//! | [`stack`] | sans-IO coordinator: ingest → verify → decode → world / fusion; poll → apps → events |
//! | [`apps`] | the warning applications (FCW, ICW, RLVW, GLOSA, …), one file each |
//! | [`host`] | the ego on the air: BSM with path history and prediction, rate, pseudonyms, SSM |
//! | [`world`] | MAP, SPAT, RSI, Day II and vehicle-state stores, lane matching, wire ↔ SI conversion |
//! | [`fusion`] | observations → tracks |
//! | [`security`] | COER certificates and signed data, verification, signing (feature `security`) |
//! | [`net`] | DSMP network header, AID dispatch; UDP transport and capture replay (feature `io`) |
//! | [`msg`], [`codec`] | generated message types per standard version; UPER / JER runtime |
//! | [`geo`], [`time`] | WGS-84 ↔ ENU, CSAE heading; TAI epoch, minute-of-year |
//!
//! Time and I/O are inputs: nothing below `net`'s transports reads a clock or a socket.
//!
//! ## Features
//!
//! | feature | default | what |
//! |---|---|---|
//! | `std` | yes | the standard library (without it: `no_std` + `alloc`) |
//! | `stack` | yes | world, fusion, applications and the [`Stack`] (`nalgebra`) |
//! | `security` | yes | IEEE 1609.2 / GB/T 45112 verification and signing (`ring`, `p256`, `sm2`, `sm3`) |
//! | `io` | no | UDP transport and pcap replay (`socket2`, `pcap-file`) |
//! | `jer` | no | JER (X.697) for every message type (`serde_json`) |
//! | `sm2-fast` | no | the faster SM2 verification backend (`efficient-sm2`) |
//! | `testing` | no | scenario runner, test PKI, conformance helpers (`cv2x::testing`): tools, not product API |
//! | `cli` | no | the `cv2x` command-line tool |
//!
//! A codec-only build (`default-features = false`, optionally `std` and `jer`) compiles the
//! message sets, the codec, DSMP and time handling without linear algebra, cryptography or
//! sockets.
//!
//! This crate has no `unsafe` code. The C ABI is the workspace crate `cv2x-capi` (`capi/`),
//! built as `libcv2x.a` / `libcv2x.so`.
#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

/// Message types per standard version (the crate `cv2x-msg`).
pub use cv2x_msg as msg;
pub use cv2x_msg::codec;
pub mod net;
pub mod time;

// Some functions are used only by the layers a build includes.
#[cfg_attr(not(all(feature = "stack", feature = "security")), allow(dead_code))]
pub(crate) mod math;

#[cfg(feature = "stack")]
pub mod apps;
#[cfg(feature = "stack")]
pub mod fusion;
#[cfg(feature = "stack")]
pub mod geo;
#[cfg(feature = "stack")]
pub mod host;
#[cfg(feature = "stack")]
pub mod stack;
#[cfg(feature = "stack")]
pub mod world;

#[cfg(feature = "security")]
pub mod security;

#[cfg(feature = "testing")]
pub mod testing;

pub use codec::Uper;
pub use time::Timestamp;

#[cfg(feature = "stack")]
pub use apps::{Advice, AppId, Level, Target, Warning};
#[cfg(feature = "stack")]
pub use fusion::{FusedObject, Observation};
#[cfg(feature = "stack")]
pub use geo::Wgs84;
#[cfg(feature = "stack")]
pub use host::{HostVehicle, Transmission, VehicleState};
#[cfg(feature = "stack")]
pub use world::World;

#[cfg(feature = "security")]
pub use security::{SpduSigner, Verifier};
#[cfg(feature = "stack")]
pub use stack::{
    ActiveWarning, DropReason, Event, Ingested, RxMeta, Stack, StackConfig, StackCounters,
    StackError, WarningChange,
};

/// The version of this crate (`CARGO_PKG_VERSION`), for the C ABI and tools.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(doctest)]
#[doc = include_str!("../docs/security.md")]
struct SecurityDocDoctests;

#[cfg(doctest)]
#[doc = include_str!("../docs/host.md")]
struct HostDocDoctests;

#[cfg(doctest)]
#[doc = include_str!("../docs/net.md")]
struct NetDocDoctests;
