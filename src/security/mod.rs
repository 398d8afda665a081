//! # Security: IEEE 1609.2 / GB/T 45112 (YD/T 3957) certificates and signed messages
//!
//! Verification and signing of C-V2X secured PDUs: COER certificates and `Ieee1609Dot2Data`
//! of IEEE 1609.2 protocol version 3 with the SM additions of GB/T 45112 (SM2 signatures, SM3
//! hashes), ECDSA P-256 and SM2, a trust store with revocation, and the caches that keep the
//! per-message cost at one signature verification.
//!
//! | module | owns |
//! |---|---|
//! | `coer` (private) | zero-copy COER reader and writer (why hand-written: see its source) |
//! | [`cert`] | certificates: issuer, validity, region, permissions, keys |
//! | [`spdu`] | `Ieee1609Dot2Data` / `SignedData` parsing and encoding |
//! | [`crypto`] | the [`Backend`] trait, the software backend, SM2 Z_A |
//! | [`precomp`] | fixed-window tables for the generator and cached signers (fast SM2 / P-256 verification) |
//! | [`region`] | geographic containment |
//! | [`store`] | trust anchors, verified-certificate LRU, pools, negative cache, revocation, CRLs, replay window |
//! | [`verify`] | the verification pipeline and its [`Report`] |
//! | [`sign`] | signing SPDUs and certificates |
//! | [`testpki`] | deterministic root → CA → pseudonym chains for tests and simulation |
//!
//! Time is always an input ([`crate::time::Timestamp`], TAI µs since 2004): nothing here reads
//! a clock. `Time32`/`Time64` are TAI; converting to UTC takes the leap seconds into account
//! ([`crate::time`]).
//!
//! Facts the vectors confirm: ECDSA P-256 signs SHA-256( SHA-256(tbs) ‖ SHA-256(signer
//! certificate) ), with SHA-256 of the empty string for a self-signed certificate; SM2 signs
//! e = SM3( Z_A ‖ tbs ) with user ID = SM3(signer certificate), the default ID
//! "1234567812345678" only for a self-signed certificate; HashedId8 is the last 8 octets of the
//! certificate's hash (SHA-256 or SM3, as its issuer field says).

pub mod cert;
mod coer;
pub mod crypto;
pub mod error;
pub mod precomp;
pub mod region;
pub mod sign;
pub mod spdu;
pub mod store;
pub mod testpki;
pub mod verify;

pub use crypto::{Backend, SoftwareBackend};
pub use error::{MalformedKind, SecurityError};
pub use sign::SpduSigner;
pub use verify::{ChainStatus, Config, Report, Verifier};
