//! The verification pipeline: one SPDU in, one [`Report`] out, with exactly one result code.
//!
//! Checks run cheapest first, and the first failure is the result:
//!
//! 1. structure: malformed, `unsigned`, `incompatible_protocol`, `unsupported_algorithm`,
//!    `unsupported_signer_type`, `unsupported_payload`;
//! 2. permissions: `aid_not_permitted` (local policy, then the signer certificate's app
//!    permissions when the certificate is at hand), `ssp_mismatch` (configured SSP rules);
//! 3. time: `generation_time_missing`, `generation_time_in_future`, `generation_time_too_old`,
//!    `expired` (the message's expiry time), `certificate_not_yet_valid`/`certificate_expired`
//!    (the signer certificate at the generation time);
//! 4. `duplicate` (replay window), `location_outside_region` / `location_missing`;
//! 5. `signer_not_found`: the digest names no known certificate — the report carries a
//!    certificate request hint (the HashedId3), rate-limited by the negative cache;
//! 6. chain, built up to a trust anchor and verified top-down, each link once (then cached):
//!    `unknown_issuer`, `issuer_not_permitted`, `validity_not_inside_issuer`,
//!    `region_not_inside_issuer`, `excessive_chain_length`, `revoked`,
//!    `certificate_signature_invalid` (also `implicit_certificate_unsupported`,
//!    `invalid_public_key`);
//! 7. `message_signature_invalid`.
//!
//! A deployment may let three of the chain failures through by name ([`Config::relax`]:
//! `issuer_not_permitted` for an end entity, `validity_not_inside_issuer`,
//! `excessive_chain_length` from an issuer's constraints); the report then lists the
//! relaxations the verdict relied on ([`Report::relaxations`]). See [`super::relax`].
//!
//! A message from a signer already in the verified cache costs one hash of `ToBeSignedData` and
//! one signature verification: no certificate parsing, hashing or chain work.
//!
//! The pipeline can also run in two halves, for a receiver that uses vehicles' messages before
//! their signature is verified (the stack's verify-on-demand policy): [`Verifier::check`] runs
//! every check but the message signature of a signer whose chain is already verified and cached
//! (a new or unverified certificate is still verified in full, chain and signature), and
//! [`Verifier::verify_signature`] completes it later on the same bytes. [`Verifier::verify`]
//! is unchanged: it always runs every check.
//!
//! With [`Config::diagnose`] the pipeline does not stop at the first failure: it still checks
//! the chain and the message signature so that the report says whether the signature is valid
//! whatever else failed (the command line uses this). The result stays the first failure.

use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;

use super::cert::{
    Certificate, EE_APP, EE_ENROL, HashAlg, HashedId3, HashedId8, Issuer, KeyAlg, Signature, Ssp,
    SspRange, SubjectPermissions, TwoDLocation,
};
use super::crypto::{Backend, SM2_DEFAULT_ID, SoftwareBackend, sm2_za};
use super::error::{Result, SecurityError};
use super::region;
use super::relax::{Relaxation, RelaxationCounts, RelaxationSet};
use super::spdu::{self, Content, HeaderInfo, Payload, SignedData, Signer};
use super::store::{
    CRL_PSID, CertCache, CertPool, Crl, CrlError, ReplayWindow, Revocation, UnknownSigners,
    VerifiedCert,
};
use crate::time::Timestamp;

/// A rule on the SSP of an AID: the signer's SSP must be present, at least as long as `mask`,
/// and equal `value` on the bits set in `mask`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SspRule {
    /// AID the rule applies to.
    pub aid: u64,
    /// Bits that matter.
    pub mask: Vec<u8>,
    /// Required values of those bits.
    pub value: Vec<u8>,
}

impl SspRule {
    fn satisfied_by(&self, ssp: Option<&Ssp>) -> bool {
        let Some(ssp) = ssp else {
            return false;
        };
        let b = ssp.bytes();
        b.len() >= self.mask.len()
            && self.mask.iter().enumerate().all(|(i, m)| {
                let v = self.value.get(i).copied().unwrap_or(0);
                b.get(i).is_some_and(|x| x & m == v & m)
            })
    }
}

/// Verifier policy and cache sizes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// How far the generation time may lie ahead of `now`, µs.
    pub max_future_us: i64,
    /// How far the generation time may lie behind `now`, µs (also the replay window).
    pub max_age_us: i64,
    /// Reject messages without a generation time.
    pub require_generation_time: bool,
    /// Reject messages without a generation location.
    pub require_generation_location: bool,
    /// AIDs accepted (empty: any AID the signer is permitted).
    pub accepted_aids: Vec<u64>,
    /// SSP rules per AID.
    pub ssp_rules: Vec<SspRule>,
    /// Most certificates in a chain, from the signer up to the anchor inclusive.
    pub max_chain_length: u8,
    /// Verified-certificate cache size.
    pub cert_cache_capacity: usize,
    /// Unverified-certificate pool size.
    pub pool_capacity: usize,
    /// Negative cache size.
    pub unknown_cache_capacity: usize,
    /// Least interval between two certificate requests for one digest, µs.
    pub cert_request_interval_us: i64,
    /// Replay window size (messages).
    pub replay_capacity: usize,
    /// Keep checking after the first failure (chain, signature) to fill the whole report.
    pub diagnose: bool,
    /// Relaxations of IEEE 1609.2 chain consistency this deployment accepts (default: none,
    /// strict). See [`Relaxation`] and "Deployed PKIs" in [`crate::security`].
    pub relax: RelaxationSet,
    /// Most CA certificates kept from trust lists ([`Verifier::load_ctl`]).
    pub trust_list_capacity: usize,
    /// Refuse a trust list whose next-update time has passed (`ctl_stale`); by default such a
    /// list still loads and its report says it is stale.
    pub require_current_trust_list: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_future_us: 2_000_000,
            max_age_us: 10_000_000,
            require_generation_time: true,
            require_generation_location: false,
            accepted_aids: Vec::new(),
            ssp_rules: Vec::new(),
            max_chain_length: 5,
            cert_cache_capacity: 1024,
            pool_capacity: 256,
            unknown_cache_capacity: 4096,
            cert_request_interval_us: 1_000_000,
            replay_capacity: 16_384,
            diagnose: false,
            relax: RelaxationSet::EMPTY,
            trust_list_capacity: 1024,
            require_current_trust_list: false,
        }
    }
}

/// State of the signer's certificate chain in a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChainStatus {
    /// The chain was not examined (an earlier check failed, or the signer is unknown).
    NotChecked,
    /// Verified up to a trust anchor.
    Anchored {
        /// HashedId8 of the trust anchor.
        anchor: HashedId8,
        /// Certificates from the signer to the anchor inclusive.
        length: u8,
    },
    /// The chain failed with this reason.
    Failed(SecurityError),
}

/// The outcome of verifying one SPDU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report<'a> {
    /// `Ok` or the first failed check.
    pub result: Result<()>,
    /// The unsecured payload (for C-V2X, the UPER MessageFrame); set only on success.
    pub payload: Option<&'a [u8]>,
    /// HashedId8 of the signer certificate.
    pub signer: Option<HashedId8>,
    /// AID (PSID) of the header.
    pub aid: Option<u64>,
    /// Generation time (TAI µs since 2004).
    pub generation_time: Option<u64>,
    /// Whether the message signature verifies against the signer's key (`None`: not checked).
    pub signature_valid: Option<bool>,
    /// The signer's chain.
    pub chain: ChainStatus,
    /// When the signer is unknown: the HashedId3 to request (rate-limited).
    pub certificate_request: Option<HashedId3>,
    /// The relaxations of [`Config::relax`] the signer's chain relied on (empty: the chain is
    /// consistent under strict IEEE 1609.2).
    pub relaxations: RelaxationSet,
    /// The header of the verified message (set only on success): its peer-to-peer certificate
    /// requests are in [`HeaderInfo::certificate_requests`].
    pub header: Option<HeaderInfo<'a>>,
}

impl Report<'_> {
    fn new() -> Self {
        Report {
            result: Ok(()),
            payload: None,
            signer: None,
            aid: None,
            generation_time: None,
            signature_valid: None,
            chain: ChainStatus::NotChecked,
            certificate_request: None,
            relaxations: RelaxationSet::EMPTY,
            header: None,
        }
    }

    /// Whether the SPDU verified.
    pub fn is_ok(&self) -> bool {
        self.result.is_ok()
    }

    /// `"ok"` or the failure code.
    pub fn code(&self) -> &'static str {
        match &self.result {
            Ok(()) => "ok",
            Err(e) => e.code(),
        }
    }
}

/// How much of the pipeline a call runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Every check ([`Verifier::verify`]).
    Full,
    /// Every check but the message signature of a cached signer ([`Verifier::check`]).
    DeferSignature,
    /// The checks again, the replay window excepted, and the signature
    /// ([`Verifier::verify_signature`]).
    Signature,
}

/// Where the signer certificate came from.
#[allow(clippy::large_enum_variant)] // a short-lived local
enum SignerCert<K> {
    /// Verified and cached.
    Known(Arc<VerifiedCert<K>>),
    /// Not yet verified: a certificate of the message or of the pool.
    Unverified(Certificate, HashedId8, [u8; 32]),
    /// Unknown digest.
    Unknown(HashedId8),
}

/// Verifies SPDUs and certificate chains; owns the trust store and the caches.
///
/// With a lab PKI (feature `testing`; a deployment installs its own trust anchors):
///
/// ```
/// # #[cfg(feature = "testing")] {
/// use cv2x::security::{Config, Verifier, cert::KeyAlg};
/// use cv2x::testing::pki::TestPki;
/// use cv2x::time::Timestamp;
///
/// let now = Timestamp::from_micros(700_000_000_000_000);
/// let pki = TestPki::new(KeyAlg::EcdsaP256, b"doc", now).unwrap();
/// let signer = pki.signer(&[32]).unwrap();
///
/// let mut verifier = Verifier::new(Config::default());
/// verifier.add_trust_anchor(pki.root_cert()).unwrap();
/// verifier.add_certificate(pki.ca_cert()).unwrap();
/// verifier.add_certificate(signer.certificate()).unwrap();
///
/// let spdu = signer.sign(b"frame", 32, now).unwrap();
/// let report = verifier.verify(&spdu, now);
/// assert_eq!(report.code(), "ok");
/// assert_eq!(report.payload, Some(&b"frame"[..]));
/// # }
/// ```
pub struct Verifier<B: Backend = SoftwareBackend> {
    backend: B,
    config: Config,
    cache: CertCache<B::Key>,
    pool: CertPool,
    unknown: UnknownSigners,
    revocation: Revocation,
    replay: ReplayWindow,
    /// Applied signed CRLs: (CRACA, series, delta) → issue date (Time32).
    crls: BTreeMap<(HashedId8, u16, bool), u32>,
    /// CA certificates loaded from verified trust lists: candidates when a chain is built, kept
    /// apart from the operator's pool so that neither evicts the other.
    pub(super) listed: CertPool,
    /// Accepted verdicts that relied on each relaxation.
    counts: RelaxationCounts,
}

/// A certificate chain verified up to a trust anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnchoredChain {
    /// HashedId8 of the trust anchor.
    pub anchor: HashedId8,
    /// Certificates from the verified one up to the anchor, inclusive.
    pub length: u8,
    /// The relaxations of [`Config::relax`] the chain relied on.
    pub relaxations: RelaxationSet,
}

/// Most CRL series a verifier follows.
pub const MAX_CRL_SERIES: usize = 1024;

impl<B: Backend> core::fmt::Debug for Verifier<B> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Verifier")
            .field("config", &self.config)
            .field("cached", &self.cache.len())
            .field("pool", &self.pool.len())
            .finish()
    }
}

impl Verifier<SoftwareBackend> {
    /// A verifier with the software backend.
    pub fn new(config: Config) -> Self {
        Self::with_backend(SoftwareBackend::default(), config)
    }
}

/// A certificate with its identifiers.
pub(super) struct Ided {
    pub(super) cert: Certificate,
    pub(super) id8: HashedId8,
    pub(super) hash: [u8; 32],
}

impl<B: Backend> Verifier<B> {
    /// A verifier using `backend`.
    pub fn with_backend(backend: B, config: Config) -> Self {
        Verifier {
            cache: CertCache::new(config.cert_cache_capacity),
            pool: CertPool::new(config.pool_capacity),
            unknown: UnknownSigners::new(
                config.unknown_cache_capacity,
                config.cert_request_interval_us,
            ),
            revocation: Revocation::new(),
            replay: ReplayWindow::new(config.replay_capacity),
            crls: BTreeMap::new(),
            listed: CertPool::new(config.trust_list_capacity),
            counts: RelaxationCounts::default(),
            backend,
            config,
        }
    }

    /// The backend.
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// The policy.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The verified-certificate cache.
    pub fn cache(&self) -> &CertCache<B::Key> {
        &self.cache
    }

    /// How many accepted verdicts (messages, certificates, CRLs, trust-list certificates) relied
    /// on each relaxation of [`Config::relax`].
    pub fn relaxation_counts(&self) -> &RelaxationCounts {
        &self.counts
    }

    /// Counts one accepted verdict that relied on `set`.
    pub(super) fn record_relaxations(&mut self, set: RelaxationSet) {
        self.counts.record(set);
    }

    /// The hash identifying a certificate, with the algorithm its issuer field names.
    pub fn certificate_hash(&self, cert: &Certificate) -> [u8; 32] {
        match cert.issuer.hash_alg() {
            HashAlg::Sm3 => self.backend.sm3(&[cert.bytes()]),
            _ => self.backend.sha256(&[cert.bytes()]),
        }
    }

    pub(super) fn ided(&self, cert: Certificate) -> Ided {
        let hash = self.certificate_hash(&cert);
        Ided {
            id8: id8_of(&hash),
            hash,
            cert,
        }
    }

    /// Adds a trust anchor (COER certificate). A self-signed anchor's signature is verified; a
    /// certificate that is not self-signed (an intermediate the operator trusts) is taken as given.
    pub fn add_trust_anchor(&mut self, bytes: &[u8]) -> Result<HashedId8> {
        let c = self.ided(Certificate::from_bytes(bytes)?);
        let (key, key_alt) = self.prepare(&c.cert)?;
        if c.cert.is_self_signed() {
            let input = self.self_signer_input(&c.cert, &key)?;
            if !self.check_sig(
                &key,
                key_alt.as_ref(),
                &input,
                c.cert.tbs(),
                c.cert.signature,
            )? {
                return Err(SecurityError::CertificateSignatureInvalid);
            }
        }
        if self.revocation.is_revoked(&c.id8, &c.hash) {
            return Err(SecurityError::Revoked);
        }
        let signer_input = self.signer_input(&c.cert, &key)?;
        let id8 = c.id8;
        let v = VerifiedCert {
            valid_until: c.cert.validity.end(),
            valid_from: c.cert.validity.start(),
            relaxations: RelaxationSet::EMPTY,
            issuer: None,
            region: c.cert.region.clone(),
            id8,
            hash: c.hash,
            key,
            key_alt,
            signer_input,
            depth: 1,
            anchor: id8,
            cert: c.cert,
        };
        self.cache.add_anchor(Arc::new(v));
        self.unknown.forget(&id8);
        Ok(id8)
    }

    /// Adds a certificate that may serve as a signer or issuer; it is verified when a chain
    /// needs it.
    pub fn add_certificate(&mut self, bytes: &[u8]) -> Result<HashedId8> {
        let c = self.ided(Certificate::from_bytes(bytes)?);
        let id8 = c.id8;
        self.pool.insert(id8, c.cert);
        self.unknown.forget(&id8);
        Ok(id8)
    }

    /// Revokes a certificate by HashedId8 (cached verifications are dropped).
    pub fn revoke(&mut self, id8: HashedId8) {
        self.revocation.revoke_id8(id8);
        self.cache.purge(&self.revocation);
    }

    /// Adds the entries of a hash-based CRL (cached verifications are dropped).
    pub fn add_crl(&mut self, crl: &Crl) {
        self.revocation.add_crl(crl);
        self.cache.purge(&self.revocation);
    }

    /// Verifies a signed IEEE 1609.2 CRL (`SecuredCrl`: signed data for PSID 256 carrying
    /// hash-based `CrlContents`) and applies it. The signature, the signer's chain to a trust
    /// anchor, its permission for the CRL PSID and its validity at the generation time are
    /// checked as for any message, without the freshness window (CRLs are distributed for
    /// days); the signer must be the CRACA the CRL names or a certificate the CRACA issued; a
    /// CRL not newer than the one applied for the same CRACA and series (full and delta
    /// counted apart) is refused. Returns the contents applied.
    pub fn add_signed_crl(
        &mut self,
        bytes: &[u8],
        now: Timestamp,
    ) -> core::result::Result<Crl, CrlError> {
        let sd = match spdu::parse(bytes) {
            Ok(Content::Signed(sd)) => sd,
            Ok(_) => return Err(CrlError::Verification(SecurityError::Unsigned)),
            Err(e) => return Err(CrlError::Verification(e)),
        };
        if sd.header.psid != CRL_PSID {
            return Err(CrlError::NotCrl(sd.header.psid));
        }
        let relaxed = Config {
            max_age_us: i64::MAX / 4,
            require_generation_time: false,
            accepted_aids: Vec::new(),
            ssp_rules: Vec::new(),
            diagnose: false,
            ..self.config.clone()
        };
        let saved = core::mem::replace(&mut self.config, relaxed);
        let mut rep = Report::new();
        let payload = self.run(&sd, now, &mut rep);
        self.config = saved;
        rep.result.map_err(CrlError::Verification)?;
        let payload = payload.ok_or(CrlError::Verification(SecurityError::UnsupportedPayload))?;
        let crl = Crl::parse(payload).map_err(|e| match e {
            SecurityError::UnsupportedPayload => CrlError::UnsupportedType,
            e => CrlError::Contents(e),
        })?;
        let signer = rep
            .signer
            .and_then(|id| self.cache.get(&id, now))
            .ok_or(CrlError::SignerNotCraca)?;
        let issued_by_craca =
            matches!(signer.cert.issuer, Issuer::Digest(_, id) if id == crl.craca);
        if signer.id8 != crl.craca && !issued_by_craca {
            return Err(CrlError::SignerNotCraca);
        }
        if Timestamp::from_time32(crl.issue_date).micros_since(now) > self.config.max_future_us {
            return Err(CrlError::IssuedInFuture);
        }
        let key = (crl.craca, crl.crl_series, crl.delta);
        match self.crls.get(&key) {
            Some(applied) if *applied >= crl.issue_date => return Err(CrlError::NotNewer),
            None if self.crls.len() >= MAX_CRL_SERIES => return Err(CrlError::TooManySeries),
            _ => {}
        }
        self.crls.insert(key, crl.issue_date);
        self.add_crl(&crl);
        self.counts.record(rep.relaxations);
        Ok(crl)
    }

    /// Verifies a certificate chain up to a trust anchor at `now` (the certificate and its
    /// issuers must be anchors, in the pool, or in `extra`). Returns the anchor and length.
    pub fn verify_certificate(
        &mut self,
        bytes: &[u8],
        extra: &[Certificate],
        now: Timestamp,
    ) -> Result<(HashedId8, u8)> {
        self.verify_chain(bytes, extra, now)
            .map(|c| (c.anchor, c.length))
    }

    /// [`Verifier::verify_certificate`], also saying which relaxations the chain relied on.
    pub fn verify_chain(
        &mut self,
        bytes: &[u8],
        extra: &[Certificate],
        now: Timestamp,
    ) -> Result<AnchoredChain> {
        let c = self.ided(Certificate::from_bytes(bytes)?);
        let v = self.verify_ided(c, extra, now)?;
        let chain = AnchoredChain {
            anchor: v.anchor,
            length: v.depth,
            relaxations: v.relaxations,
        };
        self.counts.record(chain.relaxations);
        Ok(chain)
    }

    /// The chain of an identified certificate at `now`: from the cache, or built and verified.
    pub(super) fn verify_ided(
        &mut self,
        c: Ided,
        extra: &[Certificate],
        now: Timestamp,
    ) -> Result<Arc<VerifiedCert<B::Key>>> {
        if let Some(v) = self.cache.get(&c.id8, now) {
            check_window(&v, now)?;
            return Ok(v);
        }
        if !c.cert.validity.contains(now) {
            return Err(if now < c.cert.validity.start() {
                SecurityError::CertificateNotYetValid
            } else {
                SecurityError::CertificateExpired
            });
        }
        self.build_chain(c, extra, now)
    }

    /// Verifies one SPDU at time `now` (TAI, the caller's clock).
    pub fn verify<'a>(&mut self, bytes: &'a [u8], now: Timestamp) -> Report<'a> {
        self.verify_stage(bytes, now, Stage::Full)
    }

    /// Every check of [`Verifier::verify`] but the message signature, when the signer's chain
    /// is already verified and cached (the check the stack's verify-on-demand policy uses).
    ///
    /// - A signer in the verified cache: structure, permissions, time, replay and location are
    ///   checked as [`Verifier::verify`] does, the message takes its place in the replay window,
    ///   and the report is `Ok` with [`Report::signature_valid`] `None`: the signature is still
    ///   to be verified with [`Verifier::verify_signature`] on the same bytes. Until then the
    ///   payload is *not* authenticated: anyone who knows the signer's HashedId8 (it is sent in
    ///   the clear) can produce such a message.
    /// - Any other signer (unknown, or a certificate not yet verified): verified in full, chain
    ///   and signature, exactly as [`Verifier::verify`]; `signature_valid` is `Some(true)` on
    ///   success. A certificate is never taken on trust.
    ///
    /// With [`Config::diagnose`] this is [`Verifier::verify`]. What this saves is the message
    /// signature: the hash of `ToBeSignedData` and the signature verification.
    pub fn check<'a>(&mut self, bytes: &'a [u8], now: Timestamp) -> Report<'a> {
        self.verify_stage(bytes, now, Stage::DeferSignature)
    }

    /// Completes the verification of an SPDU that [`Verifier::check`] accepted with its signature
    /// unchecked, `received` being the time given to [`Verifier::check`]: the checks run again
    /// at that time (a certificate revoked since fails now), except the replay window, where
    /// the message already holds its place, then the message signature. The report is `Ok`
    /// with `signature_valid` `Some(true)` only when the signature verifies.
    ///
    /// Only for bytes [`Verifier::check`] accepted: it does not look for, nor record, replays.
    pub fn verify_signature<'a>(&mut self, bytes: &'a [u8], received: Timestamp) -> Report<'a> {
        self.verify_stage(bytes, received, Stage::Signature)
    }

    fn verify_stage<'a>(&mut self, bytes: &'a [u8], now: Timestamp, stage: Stage) -> Report<'a> {
        let mut rep = Report::new();
        let sd = match spdu::parse(bytes) {
            Ok(Content::Signed(sd)) => sd,
            Ok(_) => {
                rep.result = Err(SecurityError::Unsigned);
                return rep;
            }
            Err(e) => {
                rep.result = Err(e);
                return rep;
            }
        };
        rep.aid = Some(sd.header.psid);
        rep.generation_time = sd.header.generation_time;
        let payload = self.run_stage(&sd, now, &mut rep, stage);
        if rep.result.is_ok() {
            rep.payload = payload;
            rep.header = Some(sd.header);
            // A verdict counts once its signature is verified.
            if rep.signature_valid == Some(true) {
                self.counts.record(rep.relaxations);
            }
        }
        rep
    }

    /// The pipeline after parsing; returns the payload when every check passed.
    fn run<'a>(
        &mut self,
        sd: &SignedData<'a>,
        now: Timestamp,
        rep: &mut Report<'a>,
    ) -> Option<&'a [u8]> {
        self.run_stage(sd, now, rep, Stage::Full)
    }

    /// The pipeline after parsing, as far as `stage` goes; returns the payload when every check
    /// it ran passed.
    fn run_stage<'a>(
        &mut self,
        sd: &SignedData<'a>,
        now: Timestamp,
        rep: &mut Report<'a>,
        stage: Stage,
    ) -> Option<&'a [u8]> {
        let diagnose = self.config.diagnose;
        let stage = if diagnose && stage == Stage::DeferSignature {
            Stage::Full
        } else {
            stage
        };
        // Records the first failure; stops unless diagnosing.
        macro_rules! fail {
            ($e:expr) => {{
                if rep.result.is_ok() {
                    rep.result = Err($e);
                }
                if !diagnose {
                    return None;
                }
            }};
        }
        let key_alg = sd.signature.alg;
        match (sd.hash_alg, sd.signature.alg) {
            (HashAlg::Sha256, KeyAlg::EcdsaP256) | (HashAlg::Sm3, KeyAlg::Sm2) => {}
            _ => {
                rep.result = Err(SecurityError::UnsupportedAlgorithm);
                return None;
            }
        }
        let payload = match sd.payload {
            Payload::Unsecured(p) => p,
            _ => {
                rep.result = Err(SecurityError::UnsupportedPayload);
                return None;
            }
        };
        let mut extra: &[Certificate] = &[];
        let signer = match &sd.signer {
            Signer::SelfSigned => {
                rep.result = Err(SecurityError::UnsupportedSignerType);
                return None;
            }
            Signer::Digest(id) => match self.cache.get(id, now) {
                Some(v) => SignerCert::Known(v),
                None => match self.pool.get(id).or_else(|| self.listed.get(id)) {
                    Some(c) => {
                        let c = self.ided(c.clone());
                        SignerCert::Unverified(c.cert, c.id8, c.hash)
                    }
                    None => SignerCert::Unknown(*id),
                },
            },
            Signer::Certificates(certs) => {
                let Some((first, rest)) = certs.split_first() else {
                    rep.result = Err(SecurityError::UnsupportedSignerType);
                    return None;
                };
                extra = rest;
                let hash = self.certificate_hash(first);
                let id8 = id8_of(&hash);
                match self.cache.get(&id8, now) {
                    Some(v) => SignerCert::Known(v),
                    None => SignerCert::Unverified(first.clone(), id8, hash),
                }
            }
        };
        let cached = matches!(signer, SignerCert::Known(_));
        let (signer_id, cert, known) = match &signer {
            SignerCert::Known(v) => (v.id8, Some(&v.cert), Some(v.clone())),
            SignerCert::Unverified(c, id, _) => (*id, Some(c), None),
            SignerCert::Unknown(id) => (*id, None, None),
        };
        rep.signer = Some(signer_id);
        let psid = sd.header.psid;

        // 2. permissions
        if !self.config.accepted_aids.is_empty() && !self.config.accepted_aids.contains(&psid) {
            fail!(SecurityError::AidNotPermitted(psid));
        }
        if let Some(c) = cert {
            match c.ssp_for(psid) {
                None => fail!(SecurityError::AidNotPermitted(psid)),
                Some(ssp) => {
                    if self
                        .config
                        .ssp_rules
                        .iter()
                        .any(|r| r.aid == psid && !r.satisfied_by(ssp))
                    {
                        fail!(SecurityError::SspMismatch(psid));
                    }
                }
            }
        }
        // 3. time
        let generation = sd.header.generation_time.map(Timestamp::from_time64);
        match generation {
            None => {
                if self.config.require_generation_time {
                    fail!(SecurityError::GenerationTimeMissing);
                }
            }
            Some(g) => {
                if g.micros_since(now) > self.config.max_future_us {
                    fail!(SecurityError::GenerationTimeInFuture);
                } else if now.micros_since(g) > self.config.max_age_us {
                    fail!(SecurityError::GenerationTimeTooOld);
                }
            }
        }
        if let Some(exp) = sd.header.expiry_time {
            if now >= Timestamp::from_time64(exp) {
                fail!(SecurityError::Expired);
            }
        }
        if let Some(c) = cert {
            let t = generation.unwrap_or(now);
            if t < c.validity.start() {
                fail!(SecurityError::CertificateNotYetValid);
            } else if t >= c.validity.end() {
                fail!(SecurityError::CertificateExpired);
            } else if let Some(Err(e)) = known.as_ref().map(|v| check_window(v, t)) {
                fail!(e);
            }
        }
        // 4. replay, location
        let replay_time = generation.unwrap_or(now);
        // A message whose signature is completed holds its place in the window already.
        if stage != Stage::Signature
            && self
                .replay
                .contains(&signer_id, replay_time, &sd.signature.r)
        {
            fail!(SecurityError::Duplicate);
        }
        match sd.header.generation_location {
            Some(loc) => {
                let region = match &known {
                    Some(v) => v.region.as_ref(),
                    None => cert.and_then(|c| c.region.as_ref()),
                };
                if let Some(region) = region {
                    let p = TwoDLocation {
                        lat: loc.lat,
                        lon: loc.lon,
                    };
                    if !region::contains_point(region, p) {
                        fail!(SecurityError::LocationOutsideRegion);
                    }
                }
            }
            None => {
                if self.config.require_generation_location {
                    fail!(SecurityError::LocationMissing);
                }
            }
        }
        // 5. signer
        if let SignerCert::Unknown(id) = &signer {
            let id = *id;
            if self.unknown.miss(id, now) {
                rep.certificate_request = Some([id[5], id[6], id[7]]);
            }
            fail!(SecurityError::SignerNotFound);
            return None;
        }
        // 6. chain
        let entry = match known {
            Some(v) => {
                rep.chain = ChainStatus::Anchored {
                    anchor: v.anchor,
                    length: v.depth,
                };
                rep.relaxations = v.relaxations;
                Some(v)
            }
            None => {
                let SignerCert::Unverified(c, id8, hash) = signer else {
                    return None;
                };
                let t = generation.unwrap_or(now);
                let res = self.build_chain(
                    Ided {
                        cert: c.clone(),
                        id8,
                        hash,
                    },
                    extra,
                    t,
                );
                match res {
                    Ok(v) => {
                        rep.chain = ChainStatus::Anchored {
                            anchor: v.anchor,
                            length: v.depth,
                        };
                        rep.relaxations = v.relaxations;
                        Some(v)
                    }
                    Err(e) => {
                        rep.chain = ChainStatus::Failed(e);
                        fail!(e);
                        // Diagnosing: check the message signature with the unverified key.
                        let ok = self.verify_with_unverified(&c, key_alg, sd);
                        rep.signature_valid = Some(ok);
                        if !ok {
                            fail!(SecurityError::MessageSignatureInvalid);
                        }
                        return None;
                    }
                }
            }
        };
        let entry = entry?;
        let oldest = now.add_micros(-self.config.max_age_us);
        if stage == Stage::DeferSignature && cached {
            // 7. deferred: the caller completes it with `verify_signature`.
            if rep.result.is_ok() {
                self.replay
                    .insert(&signer_id, replay_time, &sd.signature.r, oldest);
                return Some(payload);
            }
            return None;
        }
        // 7. message signature
        let ok = self
            .check_sig(
                &entry.key,
                entry.key_alt.as_ref(),
                &entry.signer_input,
                sd.tbs,
                Some(sd.signature),
            )
            .unwrap_or(false);
        rep.signature_valid = Some(ok);
        if !ok {
            fail!(SecurityError::MessageSignatureInvalid);
            return None;
        }
        if rep.result.is_ok() {
            if stage != Stage::Signature {
                self.replay
                    .insert(&signer_id, replay_time, &sd.signature.r, oldest);
            }
            Some(payload)
        } else {
            None
        }
    }

    fn verify_with_unverified(&self, c: &Certificate, key_alg: KeyAlg, sd: &SignedData) -> bool {
        let Ok((key, alt)) = self.prepare(c) else {
            return false;
        };
        if c.public_key().map(|k| k.alg) != Ok(key_alg) {
            return false;
        }
        let Ok(input) = self.signer_input(c, &key) else {
            return false;
        };
        self.check_sig(&key, alt.as_ref(), &input, sd.tbs, Some(sd.signature))
            .unwrap_or(false)
    }

    /// Prepares a certificate's key (and the other parity for an x-only key).
    pub(super) fn prepare(&self, c: &Certificate) -> Result<(B::Key, Option<B::Key>)> {
        let pk = c.public_key()?;
        let key = self.backend.prepare_key(pk.alg, &pk.point)?;
        let alt = match pk.point {
            super::cert::CurvePoint::XOnly(x) => self
                .backend
                .prepare_key(pk.alg, &super::cert::CurvePoint::CompressedY1(x))
                .ok(),
            _ => None,
        };
        Ok((key, alt))
    }

    /// Signer input of signatures made with `c`'s key on other data: SHA-256(c) for ECDSA,
    /// Z_A with ID = SM3(c) for SM2.
    pub(super) fn signer_input(&self, c: &Certificate, key: &B::Key) -> Result<[u8; 32]> {
        match c.public_key()?.alg {
            KeyAlg::Sm2 => {
                let id = self.backend.sm3(&[c.bytes()]);
                Ok(sm2_za(&self.backend, &id, &self.backend.key_xy(key)))
            }
            _ => Ok(self.backend.sha256(&[c.bytes()])),
        }
    }

    /// Signer input of a certificate's own self-signature: SHA-256 of the empty string for
    /// ECDSA, Z_A with the default ID for SM2.
    fn self_signer_input(&self, c: &Certificate, key: &B::Key) -> Result<[u8; 32]> {
        match c.public_key()?.alg {
            KeyAlg::Sm2 => Ok(sm2_za(
                &self.backend,
                SM2_DEFAULT_ID,
                &self.backend.key_xy(key),
            )),
            _ => Ok(self.backend.sha256(&[])),
        }
    }

    /// Checks `sig` over `tbs` for a key with the given signer input (see the module docs).
    pub(super) fn check_sig(
        &self,
        key: &B::Key,
        key_alt: Option<&B::Key>,
        signer_input: &[u8; 32],
        tbs: &[u8],
        sig: Option<Signature>,
    ) -> Result<bool> {
        let sig = sig.ok_or(SecurityError::CertificateSignatureInvalid)?;
        match sig.alg {
            KeyAlg::EcdsaP256 => {
                let mut msg = [0u8; 64];
                msg[..32].copy_from_slice(&self.backend.sha256(&[tbs]));
                msg[32..].copy_from_slice(signer_input);
                Ok(self.backend.verify_p256(key, &msg, &sig.r, &sig.s)
                    || key_alt.is_some_and(|k| self.backend.verify_p256(k, &msg, &sig.r, &sig.s)))
            }
            KeyAlg::Sm2 => {
                let e = self.backend.sm3(&[signer_input, tbs]);
                Ok(self.backend.verify_sm2(key, &e, &sig.r, &sig.s)
                    || key_alt.is_some_and(|k| self.backend.verify_sm2(k, &e, &sig.r, &sig.s)))
            }
            _ => Err(SecurityError::UnsupportedAlgorithm),
        }
    }

    /// Builds the chain of `leaf` up to a cached certificate or anchor and verifies it
    /// top-down, caching each verified certificate. `t` is the time the leaf must be valid at.
    fn build_chain(
        &mut self,
        leaf: Ided,
        extra: &[Certificate],
        t: Timestamp,
    ) -> Result<Arc<VerifiedCert<B::Key>>> {
        let max = usize::from(self.config.max_chain_length.max(1));
        let mut path: Vec<Ided> = Vec::with_capacity(4);
        path.push(leaf);
        let anchor = loop {
            let Some(cur) = path.last() else {
                return Err(SecurityError::UnknownIssuer);
            };
            let (alg, issuer_id) = match cur.cert.issuer {
                Issuer::SelfSigned(_) => return Err(SecurityError::UnknownIssuer),
                Issuer::Digest(alg, id) => (alg, id),
            };
            if let Some(v) = self.cache.get(&issuer_id, t) {
                break v;
            }
            if path.len() + 1 >= max {
                return Err(SecurityError::ExcessiveChainLength);
            }
            let from_extra = extra.iter().find(|c| {
                let h = match alg {
                    HashAlg::Sm3 => self.backend.sm3(&[c.bytes()]),
                    _ => self.backend.sha256(&[c.bytes()]),
                };
                id8_of(&h) == issuer_id
            });
            let next = match from_extra
                .or_else(|| self.pool.get(&issuer_id))
                .or_else(|| self.listed.get(&issuer_id))
            {
                Some(c) => self.ided(c.clone()),
                None => return Err(SecurityError::UnknownIssuer),
            };
            path.push(next);
        };
        if usize::from(anchor.depth) + path.len() > max {
            return Err(SecurityError::ExcessiveChainLength);
        }
        // The end entity's AIDs, against which chain lengths are checked.
        let leaf_aids: Vec<(u64, Option<Ssp>)> = match path.first() {
            Some(l) if l.cert.issue_permissions.is_empty() => l
                .cert
                .app_permissions
                .iter()
                .map(|p| (p.psid, p.ssp.clone()))
                .collect(),
            _ => Vec::new(),
        };
        let total = path.len();
        // The chain-length constraints of the issuers above the cached certificate apply to the
        // new end entity as well.
        let mut leaf_used = self.check_upper_lengths(&anchor, total as i64 + 1, &leaf_aids)?;
        let mut parent = anchor;
        for (i, c) in path.into_iter().rev().enumerate() {
            let below = (total - i) as i64;
            let (chain_used, link_leaf_used) = self.check_link(&parent, &c, below, &leaf_aids)?;
            leaf_used = leaf_used.union(link_leaf_used);
            let mut relaxations = parent.relaxations.union(chain_used);
            if i + 1 == total {
                relaxations = relaxations.union(leaf_used);
            }
            let valid_from = parent.valid_from.max(c.cert.validity.start());
            let valid_until = parent.valid_until.min(c.cert.validity.end());
            if relaxations.contains(Relaxation::ValidityNotNested) {
                // Time is never relaxed: the whole chain must be valid at `t`.
                if t < valid_from {
                    return Err(SecurityError::CertificateNotYetValid);
                }
                if t >= valid_until {
                    return Err(SecurityError::CertificateExpired);
                }
            }
            let (key, key_alt) = self.prepare(&c.cert)?;
            let ok = self.check_sig(
                &parent.key,
                parent.key_alt.as_ref(),
                &parent.signer_input,
                c.cert.tbs(),
                c.cert.signature,
            )?;
            if !ok {
                return Err(SecurityError::CertificateSignatureInvalid);
            }
            let signer_input = self.signer_input(&c.cert, &key)?;
            let v = Arc::new(VerifiedCert {
                valid_until,
                valid_from,
                relaxations,
                issuer: Some(parent.clone()),
                region: c.cert.region.clone().or_else(|| parent.region.clone()),
                id8: c.id8,
                hash: c.hash,
                key,
                key_alt,
                signer_input,
                depth: parent.depth.saturating_add(1),
                anchor: parent.anchor,
                cert: c.cert,
            });
            self.cache.insert(v.clone());
            self.unknown.forget(&v.id8);
            parent = v;
        }
        Ok(parent)
    }

    /// The chain-length constraints, for the end entity's AIDs, of the links above `top` (a
    /// verified certificate `below_top` certificates above the end entity, itself included).
    fn check_upper_lengths(
        &self,
        top: &Arc<VerifiedCert<B::Key>>,
        below_top: i64,
        leaf_aids: &[(u64, Option<Ssp>)],
    ) -> Result<RelaxationSet> {
        let mut used = RelaxationSet::EMPTY;
        let mut below = below_top;
        let mut child = top;
        while let Some(issuer) = &child.issuer {
            let link = check_chain_lengths(&issuer.cert, below, leaf_aids, &[], self.config.relax)?;
            used = used.union(link);
            below += 1;
            child = issuer;
        }
        Ok(used)
    }

    /// The per-link checks, in the report order: issuer permissions, validity, region, chain
    /// length, revocation. (The signature is checked by the caller.) Returns the relaxations of
    /// [`Config::relax`] the link relied on: those of the CA chain itself, and those that only
    /// the end entity at the bottom relies on (its permissions, its chain length).
    fn check_link(
        &self,
        parent: &VerifiedCert<B::Key>,
        c: &Ided,
        below: i64,
        leaf_aids: &[(u64, Option<Ssp>)],
    ) -> Result<(RelaxationSet, RelaxationSet)> {
        if c.cert.cert_type == super::cert::CertType::Implicit {
            return Err(SecurityError::ImplicitCertificate);
        }
        let relax = self.config.relax;
        let mut used = RelaxationSet::EMPTY;
        let leaf_used = check_issue_permissions(&parent.cert, &c.cert, below, leaf_aids, relax)?;
        let (pv, cv) = (&parent.cert.validity, &c.cert.validity);
        if cv.start() < pv.start() || cv.end() > pv.end() {
            if !relax.contains(Relaxation::ValidityNotNested) {
                return Err(SecurityError::ValidityNotInsideIssuer);
            }
            used.insert(Relaxation::ValidityNotNested);
        }
        if let (Some(sub), Some(iss)) = (&c.cert.region, &parent.region) {
            if !region::region_inside(sub, iss) {
                return Err(SecurityError::RegionNotInsideIssuer);
            }
        }
        if self.revocation.is_revoked(&c.id8, &c.hash) {
            return Err(SecurityError::Revoked);
        }
        Ok((used, leaf_used))
    }
}

/// For a chain that relied on [`Relaxation::ValidityNotNested`]: `t` must lie where every
/// validity period of the chain overlaps (time is never relaxed). A strict chain's window is
/// the certificate's own validity, checked by the caller.
fn check_window<K>(v: &VerifiedCert<K>, t: Timestamp) -> Result<()> {
    if !v.relaxations.contains(Relaxation::ValidityNotNested) {
        Ok(())
    } else if t < v.valid_from {
        Err(SecurityError::CertificateNotYetValid)
    } else if t >= v.valid_until {
        Err(SecurityError::CertificateExpired)
    } else {
        Ok(())
    }
}

/// HashedId8: the last 8 octets of a hash.
pub fn id8_of(hash: &[u8; 32]) -> HashedId8 {
    let mut id = [0u8; 8];
    id.copy_from_slice(&hash[24..]);
    id
}

fn ssp_in_range(ssp: Option<&Ssp>, range: Option<&SspRange>) -> bool {
    match range {
        None | Some(SspRange::All) => true,
        Some(SspRange::Opaque(values)) => {
            let b = ssp.map(|s| s.bytes()).unwrap_or(&[]);
            values.iter().any(|v| v.as_slice() == b)
        }
        Some(SspRange::Bitmap { value, mask }) => {
            let b = ssp.map(|s| s.bytes()).unwrap_or(&[]);
            b.len() == value.len()
                && b.iter()
                    .zip(value.iter().zip(mask.iter()))
                    .all(|(s, (v, m))| s & m == v & m)
        }
        Some(SspRange::Unknown) => false,
    }
}

/// The issue-permission groups of `parent` that cover `psid` (`None`: all AIDs) with `ssp` and
/// end-entity type bits `ee`.
fn covering<'a>(
    parent: &'a Certificate,
    psid: Option<u64>,
    ssp: Option<&'a Ssp>,
    ee: u8,
) -> impl Iterator<Item = &'a super::cert::PsidGroupPermissions> + 'a {
    parent.issue_permissions.iter().filter(move |g| {
        let psid_ok = match (&g.subject, psid) {
            (SubjectPermissions::All, _) => true,
            (SubjectPermissions::Explicit(list), Some(p)) => list
                .iter()
                .any(|r| r.psid == p && ssp_in_range(ssp, r.ssp_range.as_ref())),
            _ => false,
        };
        psid_ok && g.ee_type & ee == ee
    })
}

/// Whether `parent` may issue `child`: every AID of the child (its app permissions, or the AIDs
/// it may itself issue) must be covered by one of the parent's issue-permission groups (with the
/// SSP in range and, for an end entity, its type allowed). Then, for each AID of the end entity
/// at the bottom of the chain (`leaf_aids`, empty when the chain ends in a CA), a covering group
/// must admit `below`, the number of certificates from `child` down to that end entity.
///
/// `relax` may let an end entity's app permissions outside its direct issuer's groups through
/// ([`Relaxation::EePermissionsOutsideIssuer`]; such an AID has no group to check its chain
/// length against at that link) and covered AIDs whose groups do not admit the chain length
/// ([`Relaxation::ChainLengthConstraints`]). Returns the relaxations relied on, which concern
/// only the end entity.
fn check_issue_permissions(
    parent: &Certificate,
    child: &Certificate,
    below: i64,
    leaf_aids: &[(u64, Option<Ssp>)],
    relax: RelaxationSet,
) -> Result<RelaxationSet> {
    if parent.issue_permissions.is_empty() {
        return Err(SecurityError::IssuerNotPermitted);
    }
    let mut used = RelaxationSet::EMPTY;
    let child_is_ca = !child.issue_permissions.is_empty();
    let mut ee_needed = 0u8;
    if !child_is_ca {
        if !child.app_permissions.is_empty() {
            ee_needed |= EE_APP;
        }
        if !child.request_permissions.is_empty() {
            ee_needed |= EE_ENROL;
        }
    }
    let groups = |psid, ssp, ee| covering(parent, psid, ssp, ee);
    // The end entity's own app permissions its direct issuer does not cover.
    let mut outside: Vec<u64> = Vec::new();
    if child_is_ca {
        let covered = child.issue_permissions.iter().all(|g| match &g.subject {
            SubjectPermissions::Explicit(list) => list
                .iter()
                .all(|r| groups(Some(r.psid), None, 0).next().is_some()),
            _ => groups(None, None, 0).next().is_some(),
        });
        if !covered {
            return Err(SecurityError::IssuerNotPermitted);
        }
    } else {
        outside.extend(
            child
                .app_permissions
                .iter()
                .filter(|p| {
                    groups(Some(p.psid), p.ssp.as_ref(), ee_needed)
                        .next()
                        .is_none()
                })
                .map(|p| p.psid),
        );
        if !outside.is_empty() {
            if !relax.contains(Relaxation::EePermissionsOutsideIssuer) {
                return Err(SecurityError::IssuerNotPermitted);
            }
            used.insert(Relaxation::EePermissionsOutsideIssuer);
        }
    }
    let lengths = check_chain_lengths(parent, below, leaf_aids, &outside, relax)?;
    Ok(used.union(lengths))
}

/// For each AID of the end entity at the bottom of the chain (`leaf_aids`, except those in
/// `skip`), a group of `parent`'s issue permissions covering it must admit `below`, the number
/// of certificates from the child down to that end entity. An AID no group covers fails
/// (`excessive_chain_length`, as a chain that cannot reach it); a covered AID whose groups do not
/// admit the length is let through by [`Relaxation::ChainLengthConstraints`].
fn check_chain_lengths(
    parent: &Certificate,
    below: i64,
    leaf_aids: &[(u64, Option<Ssp>)],
    skip: &[u64],
    relax: RelaxationSet,
) -> Result<RelaxationSet> {
    let mut used = RelaxationSet::EMPTY;
    for (psid, ssp) in leaf_aids {
        if skip.contains(psid) {
            continue;
        }
        let mut groups = covering(parent, Some(*psid), ssp.as_ref(), 0).peekable();
        let covered = groups.peek().is_some();
        let ok = groups.any(|g| {
            below >= g.min_chain_length
                && (g.chain_length_range < 0
                    || below <= g.min_chain_length.saturating_add(g.chain_length_range))
        });
        if !ok {
            if !covered || !relax.contains(Relaxation::ChainLengthConstraints) {
                return Err(SecurityError::ExcessiveChainLength);
            }
            used.insert(Relaxation::ChainLengthConstraints);
        }
    }
    Ok(used)
}
