//! Network layer: the DSMP header of YD/T 3707-2020, AID dispatch, transports and capture replay.
//!
//! On the PC5 interface the Chinese LTE-V2X stack carries every application message in a DSMP
//! packet (Dedicated Short Message Protocol, YD/T 3707-2020 §4.3) whose AID (application
//! identifier) names the application. V2X modems usually hand those packets to the host over UDP.
//!
//! | module | owns | needs `std` |
//! |---|---|---|
//! | [`dsmp`] | DSMP packet view ([`dsmp::Packet`]) and representation ([`dsmp::Repr`]), AID coding, adaptation-layer byte | no |
//! | [`aid`] | AID constants for the CSAE message types, [`aid::MessageClass`] | no |
//! | [`dispatch`] | AID → message class and payload kind (UPER `MessageFrame` or SPDU), counters | no |
//! | [`ip`] | Ethernet / IPv4 / IPv6 / UDP header parsing and building for captures | no |
//! | `transport` | the `Transport` trait a modem SDK can implement (feature `io`) | yes |
//! | `udp` | UDP transport on `socket2`: unicast, multicast (IPv4/IPv6), receive timestamps (feature `io`) | yes |
//! | `replay` | pcap / pcapng reading with timing schedule, pcap writing (feature `io`) | yes |
//!
//! Nothing here below the transports reads a clock: the replay schedule takes the elapsed time
//! as an argument, and receive timestamps come from the kernel or the transport.

pub mod aid;
pub mod dispatch;
pub mod dsmp;
mod error;
pub mod ip;
#[cfg(feature = "io")]
pub mod replay;
#[cfg(feature = "io")]
pub mod transport;
#[cfg(feature = "io")]
pub mod udp;

pub use aid::{Aid, MessageClass};
pub use dispatch::{DispatchCounters, Dispatched, Dispatcher, PayloadKind};
pub use error::{Error, Field};
