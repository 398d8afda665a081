//! The security layer plugged into the [`Stack`](crate::stack::Stack) (feature `security`).
//!
//! - [`SecuredVerifier`]: the stack's [`SpduVerifier`] over a [`security::Verifier`]. Every
//!   report code maps to its own [`VerifyFailure`] (same snake_case [`VerifyFailure::code`]), so
//!   a dropped message says exactly which check failed.
//! - [`SecuredSigner`]: signs encoded messages into SPDUs with a [`security::SpduSigner`]; the
//!   scenario runner (feature `std`) implements its `MessageSigner` for it, which the runner
//!   and the pipeline benchmark use.
//! - [`test_pair`]: a matched signer and verifier from the deterministic test PKI
//!   ([`security::testpki`]), ECDSA P-256 or SM2 — for tests, simulation and benchmarks only.
//!
//! ```
//! use cv2x::security::cert::KeyAlg;
//! use cv2x::stack::{Config, RxMeta, Stack};
//! use cv2x::stack_security::test_pair;
//! use cv2x::time::Timestamp;
//!
//! let now = Timestamp::from_micros(700_000_000_000_000);
//! let (signer, verifier) = test_pair(KeyAlg::EcdsaP256, now).unwrap();
//! let mut stack = Stack::new(Config { require_signatures: true, ..Config::default() }).unwrap();
//! stack.set_verifier(Box::new(verifier));
//! // a signed frame that is not a valid MessageFrame: verified, then dropped by the decoder
//! let spdu = signer.sign_frame(&[0xff], 111, now).unwrap();
//! assert!(stack.ingest(&spdu, &RxMeta::SPDU, now).is_err());
//! assert_eq!(stack.counters().verified, 1);
//! ```
//!
//! Layering: this module sits on top of `stack` and `security` and imports nothing above
//! them; the stack itself never imports it.
use alloc::borrow::Cow;
use alloc::vec::Vec;

use crate::net::aid::DAY1_TABLE;
use crate::security::cert::KeyAlg;
use crate::security::crypto::{Backend, SoftwareBackend};
use crate::security::sign::{PrivateKey, SigningBackend};
use crate::security::spdu::HeaderFields;
use crate::security::testpki::TestPki;
use crate::security::{self, SecurityError, SpduSigner, Verifier};
use crate::stack::{SpduVerifier, Verified, VerifyFailure};
use crate::time::Timestamp;

/// The seed of the test PKI [`test_pair`] builds.
pub const TEST_PKI_SEED: &[u8] = b"cv2x stack test pki";

impl From<SecurityError> for VerifyFailure {
    /// The stack's reason for a security-layer failure: one variant per report code.
    /// `signing_failed` is never a verification result; it maps to [`VerifyFailure::Other`]`(0)`.
    fn from(e: SecurityError) -> Self {
        match e {
            SecurityError::Malformed { .. } => VerifyFailure::Malformed,
            SecurityError::Unsigned => VerifyFailure::Unsigned,
            SecurityError::IncompatibleProtocol(_) => VerifyFailure::IncompatibleProtocol,
            SecurityError::UnsupportedAlgorithm => VerifyFailure::UnsupportedAlgorithm,
            SecurityError::UnsupportedSignerType => VerifyFailure::UnsupportedSignerType,
            SecurityError::UnsupportedPayload => VerifyFailure::UnsupportedPayload,
            SecurityError::ImplicitCertificate => VerifyFailure::ImplicitCertificate,
            SecurityError::AidNotPermitted(_) => VerifyFailure::AidNotPermitted,
            SecurityError::SspMismatch(_) => VerifyFailure::SspMismatch,
            SecurityError::GenerationTimeMissing => VerifyFailure::GenerationTimeMissing,
            SecurityError::GenerationTimeInFuture => VerifyFailure::FromFuture,
            SecurityError::GenerationTimeTooOld => VerifyFailure::TooOld,
            SecurityError::Expired => VerifyFailure::Expired,
            SecurityError::CertificateExpired => VerifyFailure::CertificateExpired,
            SecurityError::CertificateNotYetValid => VerifyFailure::CertificateNotYetValid,
            SecurityError::Duplicate => VerifyFailure::Replay,
            SecurityError::LocationOutsideRegion => VerifyFailure::RegionNotPermitted,
            SecurityError::LocationMissing => VerifyFailure::LocationMissing,
            SecurityError::SignerNotFound => VerifyFailure::UnknownSigner,
            SecurityError::UnknownIssuer => VerifyFailure::UnknownIssuer,
            SecurityError::IssuerNotPermitted => VerifyFailure::IssuerNotPermitted,
            SecurityError::ValidityNotInsideIssuer => VerifyFailure::ValidityNotInsideIssuer,
            SecurityError::RegionNotInsideIssuer => VerifyFailure::RegionNotInsideIssuer,
            SecurityError::ExcessiveChainLength => VerifyFailure::ExcessiveChainLength,
            SecurityError::Revoked => VerifyFailure::Revoked,
            SecurityError::CertificateSignatureInvalid => {
                VerifyFailure::CertificateSignatureInvalid
            }
            SecurityError::InvalidPublicKey => VerifyFailure::InvalidPublicKey,
            SecurityError::MessageSignatureInvalid => VerifyFailure::BadSignature,
            SecurityError::SigningFailed => VerifyFailure::Other(0),
        }
    }
}

/// The stack's [`SpduVerifier`] over the security layer's [`Verifier`]: trust store, caches
/// and policy stay the verifier's; a message from a signer already verified costs one hash and
/// one signature check.
#[derive(Debug)]
pub struct SecuredVerifier<B: Backend = SoftwareBackend> {
    verifier: Verifier<B>,
}

impl<B: Backend> SecuredVerifier<B> {
    /// Wraps a configured verifier (trust anchors and certificates installed).
    pub fn new(verifier: Verifier<B>) -> Self {
        SecuredVerifier { verifier }
    }

    /// The verifier (its cache, backend and policy).
    pub fn verifier(&self) -> &Verifier<B> {
        &self.verifier
    }

    /// The verifier, to add anchors, certificates or revocations.
    pub fn verifier_mut(&mut self) -> &mut Verifier<B> {
        &mut self.verifier
    }

    /// The verifier back.
    pub fn into_inner(self) -> Verifier<B> {
        self.verifier
    }
}

impl<B> SpduVerifier for SecuredVerifier<B>
where
    B: Backend + Send,
    Verifier<B>: Send,
{
    fn verify<'a>(
        &mut self,
        spdu: &'a [u8],
        now: Timestamp,
    ) -> Result<Verified<'a>, VerifyFailure> {
        let report = self.verifier.verify(spdu, now);
        report.result.map_err(VerifyFailure::from)?;
        // The pipeline sets the payload whenever the result is Ok.
        let payload = report.payload.ok_or(VerifyFailure::UnsupportedPayload)?;
        Ok(Verified {
            payload: Cow::Borrowed(payload),
            psid: report.aid,
            signer: report.signer,
            generation_time: report
                .generation_time
                .and_then(|g| i64::try_from(g).ok())
                .map(Timestamp::from_micros),
        })
    }
}

/// Signs encoded messages (UPER `MessageFrame`s) into SPDUs, with the generation time and the
/// message's AID in the header. The key is any [`SigningBackend`] (software by default).
#[derive(Debug, Clone)]
pub struct SecuredSigner<K: SigningBackend = PrivateKey> {
    signer: SpduSigner<K>,
}

impl<K: SigningBackend> SecuredSigner<K> {
    /// Wraps a signer (key and certificate).
    pub fn new(signer: SpduSigner<K>) -> Self {
        SecuredSigner { signer }
    }

    /// The signer (certificate, digest, signer mode).
    pub fn signer(&self) -> &SpduSigner<K> {
        &self.signer
    }

    /// The signer, to change its mode (digest or certificate).
    pub fn signer_mut(&mut self) -> &mut SpduSigner<K> {
        &mut self.signer
    }

    /// Signs `frame` for `aid`, generated at `at`.
    pub fn sign_frame(
        &self,
        frame: &[u8],
        aid: u32,
        at: Timestamp,
    ) -> security::error::Result<Vec<u8>> {
        let header = HeaderFields {
            psid: u64::from(aid),
            generation_time: Some(
                u64::try_from(at.as_micros()).map_err(|_| SecurityError::SigningFailed)?,
            ),
            ..HeaderFields::default()
        };
        self.signer.sign_with(frame, &header)
    }
}

/// A matched signer and verifier from the test PKI ([`TEST_PKI_SEED`]) for ECDSA P-256 or SM2,
/// valid around `now` (the pseudonym for a week from an hour before): the verifier trusts the
/// root and knows the CA and pseudonym certificates, so digest-signed messages verify from the
/// first one. The pseudonym may sign every Day I AID ([`DAY1_TABLE`]); the verifier uses the
/// default policy ([`security::Config`]).
pub fn test_pair(
    alg: KeyAlg,
    now: Timestamp,
) -> security::error::Result<(SecuredSigner, SecuredVerifier)> {
    test_pair_with(alg, now, security::Config::default())
}

/// [`test_pair`] with a verifier policy.
pub fn test_pair_with(
    alg: KeyAlg,
    now: Timestamp,
    config: security::Config,
) -> security::error::Result<(SecuredSigner, SecuredVerifier)> {
    let pki = TestPki::new(alg, TEST_PKI_SEED, now)?;
    let aids: Vec<u64> = DAY1_TABLE.iter().map(|(a, _)| u64::from(a.0)).collect();
    let signer = pki.signer(&aids)?;
    let mut verifier = Verifier::new(config);
    verifier.add_trust_anchor(pki.root_cert())?;
    verifier.add_certificate(pki.ca_cert())?;
    verifier.add_certificate(signer.certificate())?;
    Ok((SecuredSigner::new(signer), SecuredVerifier::new(verifier)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::security::MalformedKind;

    /// Every security error; the match makes a new variant a compile error here.
    fn all_errors() -> Vec<SecurityError> {
        let all = alloc::vec![
            SecurityError::Malformed {
                offset: 3,
                kind: MalformedKind::Truncated,
            },
            SecurityError::Unsigned,
            SecurityError::IncompatibleProtocol(2),
            SecurityError::UnsupportedAlgorithm,
            SecurityError::UnsupportedSignerType,
            SecurityError::UnsupportedPayload,
            SecurityError::ImplicitCertificate,
            SecurityError::AidNotPermitted(111),
            SecurityError::SspMismatch(111),
            SecurityError::GenerationTimeMissing,
            SecurityError::GenerationTimeInFuture,
            SecurityError::GenerationTimeTooOld,
            SecurityError::Expired,
            SecurityError::CertificateExpired,
            SecurityError::CertificateNotYetValid,
            SecurityError::Duplicate,
            SecurityError::LocationOutsideRegion,
            SecurityError::LocationMissing,
            SecurityError::SignerNotFound,
            SecurityError::UnknownIssuer,
            SecurityError::IssuerNotPermitted,
            SecurityError::ValidityNotInsideIssuer,
            SecurityError::RegionNotInsideIssuer,
            SecurityError::ExcessiveChainLength,
            SecurityError::Revoked,
            SecurityError::CertificateSignatureInvalid,
            SecurityError::InvalidPublicKey,
            SecurityError::MessageSignatureInvalid,
            SecurityError::SigningFailed,
        ];
        for e in &all {
            match e {
                SecurityError::Malformed { .. }
                | SecurityError::Unsigned
                | SecurityError::IncompatibleProtocol(_)
                | SecurityError::UnsupportedAlgorithm
                | SecurityError::UnsupportedSignerType
                | SecurityError::UnsupportedPayload
                | SecurityError::ImplicitCertificate
                | SecurityError::AidNotPermitted(_)
                | SecurityError::SspMismatch(_)
                | SecurityError::GenerationTimeMissing
                | SecurityError::GenerationTimeInFuture
                | SecurityError::GenerationTimeTooOld
                | SecurityError::Expired
                | SecurityError::CertificateExpired
                | SecurityError::CertificateNotYetValid
                | SecurityError::Duplicate
                | SecurityError::LocationOutsideRegion
                | SecurityError::LocationMissing
                | SecurityError::SignerNotFound
                | SecurityError::UnknownIssuer
                | SecurityError::IssuerNotPermitted
                | SecurityError::ValidityNotInsideIssuer
                | SecurityError::RegionNotInsideIssuer
                | SecurityError::ExcessiveChainLength
                | SecurityError::Revoked
                | SecurityError::CertificateSignatureInvalid
                | SecurityError::InvalidPublicKey
                | SecurityError::MessageSignatureInvalid
                | SecurityError::SigningFailed => {}
            }
        }
        all
    }

    #[test]
    fn a_verified_message_carries_its_payload_aid_signer_and_time() {
        let now = Timestamp::from_micros(700_000_000_000_000);
        for alg in [KeyAlg::EcdsaP256, KeyAlg::Sm2] {
            let (signer, mut verifier) = test_pair(alg, now).unwrap();
            let spdu = signer.sign_frame(b"frame", 3619, now).unwrap();
            let v = SpduVerifier::verify(&mut verifier, &spdu, now).unwrap();
            assert_eq!(&v.payload[..], b"frame");
            assert_eq!(v.psid, Some(3619));
            assert_eq!(v.signer, Some(signer.signer().id8()));
            assert_eq!(v.generation_time, Some(now));
            // the pseudonym may sign Day I AIDs only
            let spdu = signer.sign_frame(b"frame", 4000, now).unwrap();
            assert_eq!(
                SpduVerifier::verify(&mut verifier, &spdu, now),
                Err(VerifyFailure::AidNotPermitted)
            );
            assert_eq!(
                signer.sign_frame(b"frame", 111, Timestamp::from_micros(-1)),
                Err(SecurityError::SigningFailed)
            );
        }
    }

    #[test]
    fn every_verification_code_maps_to_its_own_failure_with_the_same_code() {
        let mut seen: Vec<VerifyFailure> = Vec::new();
        for e in all_errors() {
            let f = VerifyFailure::from(e);
            if e == SecurityError::SigningFailed {
                assert_eq!(f, VerifyFailure::Other(0));
                continue;
            }
            assert_eq!(f.code(), e.code(), "{e:?} -> {f:?}");
            assert!(!seen.contains(&f), "{e:?} maps to {f:?} twice");
            seen.push(f);
        }
        assert_eq!(seen.len(), 28);
    }
}
