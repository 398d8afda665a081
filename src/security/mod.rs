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
//! | [`relax`] | named, opt-in relaxations of chain consistency for deployed PKIs |
//! | [`ctl`] | signed CA certificate lists (TDCL): parse, verify, load |
//! | [`sign`] | signing SPDUs and certificates |
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
//!
//! # Deployed PKIs
//! Verification is strict IEEE 1609.2 by default. The real SM2 PKI of a Chinese OBU
//! (`tests/data/real/wanji_obu_pki_sm2`, with its SOURCE.md) breaks three of its chain rules; a
//! deployment that must accept it switches on the matching [`Relaxation`] in [`Config::relax`],
//! and only that one. Every verdict lists the relaxations it relied on
//! ([`Report::relaxations`], [`AnchoredChain::relaxations`]) and the verifier counts the
//! accepted verdicts per relaxation ([`Verifier::relaxation_counts`]). Signatures, time and
//! revocation are never relaxed.
//!
//! | what the PKI does | strict result | relaxation |
//! |---|---|---|
//! | The 20 pseudonym certificates (Datang/XDJA PCA) carry AIDs 111–114 and 3624, but the PCA's `certIssuePermissions` list 111, 112, 3624, 3627–3629: 113 and 114 (special-vehicle BSMs) are outside. Every BSM signed with them would be dropped. | `issuer_not_permitted` | [`Relaxation::EePermissionsOutsideIssuer`]: only an end entity's permissions, only against its direct issuer; the CAs above (here "all") must still cover the AID |
//! | 19 sub-CAs of the CICV PKI (ECA, PCA, ACA, … of Apollo, BATC, XDJA, SYAN, SAIC, EasySec, JIT) were issued days after their ICA with the same three-year duration, so they outlive it by a few days. | `validity_not_inside_issuer` | [`Relaxation::ValidityNotNested`]: each chain is valid only while all its certificates are (a cached chain expires with its first certificate) |
//! | 8 registration authorities of the CICV PKI (PRA/RA/ARA) sit directly under an ICA, but every permission group of the CICV root requires `minChainLength` 3. | `excessive_chain_length` | [`Relaxation::ChainLengthConstraints`]: the AID must still be covered by a group; the verifier's own maximum chain length still applies |
//!
//! Other defects of the same data stay rejected under every policy: 3 i-wall and 5 JIT sub-CAs
//! whose signatures do not verify (`certificate_signature_invalid`), CAs whose issuer is in no
//! list (`unknown_issuer`), a self-signed certificate of type implicit.
//!
//! The same OBU loads its CA certificates from two signed trust lists (TDCL); [`ctl`] reads,
//! verifies and loads them ([`Verifier::load_ctl`]). With the Datang root as trust anchor, the
//! Datang list adds 16 CA certificates at 2021-01-01 (no relaxation needed); with the CICV root,
//! the CICV list adds 25 strictly and 47 with the validity and chain-length relaxations, and
//! is reported stale (its next update was 2020-09-12).

pub mod cert;
mod coer;
pub mod crypto;
pub mod ctl;
pub mod error;
pub mod precomp;
pub mod region;
pub mod relax;
pub mod sign;
pub mod spdu;
pub mod store;
pub mod verify;

pub use crypto::{Backend, SoftwareBackend};
pub use ctl::{Ctl, CtlError};
pub use error::{MalformedKind, SecurityError};
pub use relax::{Relaxation, RelaxationCounts, RelaxationSet};
pub use sign::SpduSigner;
pub use verify::{AnchoredChain, ChainStatus, Config, Report, Verifier};
