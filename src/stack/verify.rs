//! Verification of secured messages as the stack sees it: the [`SpduVerifier`] trait any
//! verifier implements (the security layer's [`Verifier`] does, with
//! feature `security`), its result, and the one mapping from security failures to the stack's
//! [`VerifyFailure`] codes.
use alloc::borrow::Cow;

use crate::msg::v2020 as m;
use crate::net::aid::{DAY1_TABLE, MessageClass};
#[cfg(feature = "security")]
use crate::security::{Backend, SecurityError, Verifier};
use crate::time::Timestamp;

/// Why a secured message failed verification (implemented by the security layer).
///
/// One variant per check of the security layer's pipeline, so a drop says precisely what
/// failed; [`VerifyFailure::code`] gives the same snake_case code as the security layer's
/// report (`security::SecurityError::code`). [`Unsupported`](Self::Unsupported),
/// [`ChainInvalid`](Self::ChainInvalid) and [`Other`](Self::Other) are coarser reasons for
/// verifiers that cannot tell more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyFailure {
    /// Not a well-formed SPDU (`malformed`).
    #[error("malformed SPDU")]
    Malformed,
    /// Not supported, no finer reason given (`unsupported`).
    #[error("unsupported SPDU")]
    Unsupported,
    /// The protocol version is not 3 (`incompatible_protocol`).
    #[error("incompatible protocol version")]
    IncompatibleProtocol,
    /// A hash or signature algorithm that is not verified, or a hash that does not match the
    /// signature algorithm (`unsupported_algorithm`).
    #[error("unsupported algorithm")]
    UnsupportedAlgorithm,
    /// The signer is `self` or an unknown alternative (`unsupported_signer_type`).
    #[error("unsupported signer type")]
    UnsupportedSignerType,
    /// The signed payload is not unsecured data (`unsupported_payload`).
    #[error("unsupported payload")]
    UnsupportedPayload,
    /// The data is not signed (`unsigned`).
    #[error("not signed")]
    Unsigned,
    /// The signer's certificate is unknown: the digest names no known certificate
    /// (`signer_not_found`).
    #[error("unknown signer")]
    UnknownSigner,
    /// The certificate chain is invalid, no finer reason given (`chain_invalid`).
    #[error("certificate chain invalid")]
    ChainInvalid,
    /// A certificate's issuer is neither a trust anchor nor a known certificate
    /// (`unknown_issuer`).
    #[error("unknown issuer")]
    UnknownIssuer,
    /// An issuer may not issue the certificate below it (`issuer_not_permitted`).
    #[error("issuer not permitted")]
    IssuerNotPermitted,
    /// A certificate's validity is not inside its issuer's (`validity_not_inside_issuer`).
    #[error("validity not inside the issuer's")]
    ValidityNotInsideIssuer,
    /// A certificate's region is not inside its issuer's (`region_not_inside_issuer`).
    #[error("region not inside the issuer's")]
    RegionNotInsideIssuer,
    /// The chain is longer than permitted (`excessive_chain_length`).
    #[error("excessive chain length")]
    ExcessiveChainLength,
    /// A certificate's signature does not verify (`certificate_signature_invalid`).
    #[error("certificate signature invalid")]
    CertificateSignatureInvalid,
    /// An implicit certificate, which is not supported (`implicit_certificate_unsupported`).
    #[error("implicit certificate not supported")]
    ImplicitCertificate,
    /// A public key is not a point of its curve (`invalid_public_key`).
    #[error("invalid public key")]
    InvalidPublicKey,
    /// The signer certificate expired before the generation time (`certificate_expired`).
    #[error("certificate expired")]
    CertificateExpired,
    /// The signer certificate is not yet valid at the generation time
    /// (`certificate_not_yet_valid`).
    #[error("certificate not yet valid")]
    CertificateNotYetValid,
    /// A certificate is revoked (`revoked`).
    #[error("certificate revoked")]
    Revoked,
    /// No generation time while one is required (`generation_time_missing`).
    #[error("generation time missing")]
    GenerationTimeMissing,
    /// The generation time is too old (`generation_time_too_old`).
    #[error("message too old")]
    TooOld,
    /// The generation time is in the future (`generation_time_in_future`).
    #[error("message from the future")]
    FromFuture,
    /// The message's expiry time has passed (`expired`).
    #[error("message expired")]
    Expired,
    /// A replayed message (`duplicate`).
    #[error("replay")]
    Replay,
    /// The signer may not sign this AID / PSID (`aid_not_permitted`).
    #[error("AID not permitted")]
    AidNotPermitted,
    /// The signer's SSP does not satisfy the requirement for the AID (`ssp_mismatch`).
    #[error("SSP mismatch")]
    SspMismatch,
    /// The signed AID is the Day I AID of another kind of message than the `MessageFrame` it
    /// carries, e.g. a roadside message signed under a vehicle's BSM permission
    /// (`content_not_permitted`).
    #[error("message kind not permitted by the signed AID")]
    ContentNotPermitted,
    /// The signer may not sign at this position (`location_outside_region`).
    #[error("region not permitted")]
    RegionNotPermitted,
    /// No generation location while one is required (`location_missing`).
    #[error("generation location missing")]
    LocationMissing,
    /// The message signature does not verify (`message_signature_invalid`).
    #[error("bad signature")]
    BadSignature,
    /// Another failure, by the verifier's numeric code (`other`).
    #[error("verification failure {0}")]
    Other(u16),
}

impl VerifyFailure {
    /// The stable snake_case code: the security layer's report code for the same check.
    pub const fn code(&self) -> &'static str {
        match self {
            VerifyFailure::Malformed => "malformed",
            VerifyFailure::Unsupported => "unsupported",
            VerifyFailure::IncompatibleProtocol => "incompatible_protocol",
            VerifyFailure::UnsupportedAlgorithm => "unsupported_algorithm",
            VerifyFailure::UnsupportedSignerType => "unsupported_signer_type",
            VerifyFailure::UnsupportedPayload => "unsupported_payload",
            VerifyFailure::Unsigned => "unsigned",
            VerifyFailure::UnknownSigner => "signer_not_found",
            VerifyFailure::ChainInvalid => "chain_invalid",
            VerifyFailure::UnknownIssuer => "unknown_issuer",
            VerifyFailure::IssuerNotPermitted => "issuer_not_permitted",
            VerifyFailure::ValidityNotInsideIssuer => "validity_not_inside_issuer",
            VerifyFailure::RegionNotInsideIssuer => "region_not_inside_issuer",
            VerifyFailure::ExcessiveChainLength => "excessive_chain_length",
            VerifyFailure::CertificateSignatureInvalid => "certificate_signature_invalid",
            VerifyFailure::ImplicitCertificate => "implicit_certificate_unsupported",
            VerifyFailure::InvalidPublicKey => "invalid_public_key",
            VerifyFailure::CertificateExpired => "certificate_expired",
            VerifyFailure::CertificateNotYetValid => "certificate_not_yet_valid",
            VerifyFailure::Revoked => "revoked",
            VerifyFailure::GenerationTimeMissing => "generation_time_missing",
            VerifyFailure::TooOld => "generation_time_too_old",
            VerifyFailure::FromFuture => "generation_time_in_future",
            VerifyFailure::Expired => "expired",
            VerifyFailure::Replay => "duplicate",
            VerifyFailure::AidNotPermitted => "aid_not_permitted",
            VerifyFailure::SspMismatch => "ssp_mismatch",
            VerifyFailure::ContentNotPermitted => "content_not_permitted",
            VerifyFailure::RegionNotPermitted => "location_outside_region",
            VerifyFailure::LocationMissing => "location_missing",
            VerifyFailure::BadSignature => "message_signature_invalid",
            VerifyFailure::Other(_) => "other",
        }
    }
}

/// The certificates a verified message's sender asks for (IEEE 1609.2 peer-to-peer
/// certificate distribution), by HashedId3; at most [`CertificateRequests::CAPACITY`] are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CertificateRequests {
    ids: [[u8; 3]; CertificateRequests::CAPACITY],
    len: u8,
}

impl CertificateRequests {
    /// The most requests kept from one message.
    pub const CAPACITY: usize = 8;

    /// Adds a request (ignored when full or already there).
    pub fn push(&mut self, id: [u8; 3]) {
        let n = usize::from(self.len);
        if n < Self::CAPACITY && !self.as_slice().contains(&id) {
            self.ids[n] = id;
            self.len += 1;
        }
    }

    /// The requested HashedId3s.
    pub fn as_slice(&self) -> &[[u8; 3]] {
        self.ids.get(..usize::from(self.len)).unwrap_or(&[])
    }

    /// Whether nothing is requested.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// The result of a successful verification.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verified<'a> {
    /// The inner (unsecured) payload: a UPER `MessageFrame`.
    pub payload: Cow<'a, [u8]>,
    /// The PSID / AID of the signed data, when given.
    pub psid: Option<u64>,
    /// HashedId8 of the signer's certificate, when known.
    pub signer: Option<[u8; 8]>,
    /// Generation time of the signed data.
    pub generation_time: Option<Timestamp>,
    /// The certificates the sender asks for.
    pub certificate_requests: CertificateRequests,
    /// Whether the message signature was verified. Always true from
    /// [`SpduVerifier::verify`]; false from [`SpduVerifier::check`] when it left the signature
    /// for [`SpduVerifier::verify_signature`].
    pub signature_verified: bool,
}

impl<'a> Verified<'a> {
    /// A verified `payload` (signature included) with nothing else known (no AID, signer, time
    /// or requests); set the public fields that the verifier knows.
    pub fn new(payload: Cow<'a, [u8]>) -> Self {
        Verified {
            payload,
            psid: None,
            signer: None,
            generation_time: None,
            certificate_requests: CertificateRequests::default(),
            signature_verified: true,
        }
    }
}

/// Verifies a secured message (SPDU, IEEE 1609.2 / YD/T 3957 `Ieee1609Dot2Data`). The
/// security layer implements it; the stack calls it for every payload that is an SPDU.
///
/// [`verify`](Self::verify) is the whole verification. The stack's verify-on-demand policy
/// ([`VerifyPolicy::OnDemand`](super::config::VerifyPolicy)) uses it in two halves:
/// [`check`](Self::check) now and [`verify_signature`](Self::verify_signature) when the data
/// matters. A verifier that cannot split keeps the defaults: `check` verifies in full, and the
/// stack then never calls `verify_signature`.
pub trait SpduVerifier: Send {
    /// Verifies `spdu` received at `now`; returns the inner payload.
    fn verify<'a>(&mut self, spdu: &'a [u8], now: Timestamp)
    -> Result<Verified<'a>, VerifyFailure>;

    /// Every check but the message signature when the signer is already known and its chain
    /// verified (version, header, time, replay, AID, known signer); a new or unverified signer
    /// is verified in full. [`Verified::signature_verified`] says which; when false the
    /// payload is not authenticated until [`verify_signature`](Self::verify_signature) on the
    /// same bytes succeeds. The default verifies in full.
    fn check<'a>(&mut self, spdu: &'a [u8], now: Timestamp) -> Result<Verified<'a>, VerifyFailure> {
        self.verify(spdu, now)
    }

    /// Verifies the signature of `spdu`, which [`check`](Self::check) accepted at `received`
    /// without it (the checks are repeated at that time, the replay window excepted). The
    /// default verifies in full.
    fn verify_signature(&mut self, spdu: &[u8], received: Timestamp) -> Result<(), VerifyFailure> {
        self.verify(spdu, received).map(|_| ())
    }
}

#[cfg(feature = "security")]
impl From<SecurityError> for VerifyFailure {
    /// The stack's reason for a security-layer failure: one variant per report code, with the
    /// same [`VerifyFailure::code`]. `signing_failed` is never a verification result; it maps to
    /// [`VerifyFailure::Other`]`(0)`.
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

/// The security layer's verifier as the stack's verifier: trust store, caches and policy stay
/// the verifier's; a message from a signer already verified costs one hash and one signature
/// check.
#[cfg(feature = "security")]
impl<B> SpduVerifier for Verifier<B>
where
    B: Backend + Send,
    Verifier<B>: Send,
{
    fn verify<'a>(
        &mut self,
        spdu: &'a [u8],
        now: Timestamp,
    ) -> Result<Verified<'a>, VerifyFailure> {
        verified_of(Verifier::verify(self, spdu, now))
    }

    fn check<'a>(&mut self, spdu: &'a [u8], now: Timestamp) -> Result<Verified<'a>, VerifyFailure> {
        verified_of(Verifier::check(self, spdu, now))
    }

    fn verify_signature(&mut self, spdu: &[u8], received: Timestamp) -> Result<(), VerifyFailure> {
        let report = Verifier::verify_signature(self, spdu, received);
        report.result.map_err(VerifyFailure::from)
    }
}

/// The stack's view of a security-layer report.
#[cfg(feature = "security")]
fn verified_of(report: crate::security::Report<'_>) -> Result<Verified<'_>, VerifyFailure> {
    report.result.map_err(VerifyFailure::from)?;
    // The pipeline sets the payload whenever the result is Ok.
    let payload = report.payload.ok_or(VerifyFailure::UnsupportedPayload)?;
    let mut certificate_requests = CertificateRequests::default();
    for id in report.header.iter().flat_map(|h| h.certificate_requests()) {
        certificate_requests.push(id);
    }
    Ok(Verified {
        certificate_requests,
        payload: Cow::Borrowed(payload),
        psid: report.aid,
        signer: report.signer,
        generation_time: report
            .generation_time
            .and_then(|g| i64::try_from(g).ok())
            .map(Timestamp::from_micros),
        signature_verified: report.signature_valid == Some(true),
    })
}

/// Whether a verified `frame` may travel under the signed `psid`: a Day I message (BSM, MAP,
/// SPAT, RSI, RSM) signed under the Day I AID of another kind is refused, so a certificate that
/// permits only vehicle messages cannot carry roadside ones. AIDs outside the Day I table (Day II
/// and deployment-specific ones) carry any frame.
pub(crate) fn frame_allowed_under(frame: &m::MessageFrame, psid: u64) -> bool {
    // Only Day I messages are bound to their AIDs.
    let Some(class) =
        MessageClass::of_frame(frame).filter(|c| DAY1_TABLE.iter().any(|(_, d)| d == c))
    else {
        return true;
    };
    DAY1_TABLE
        .iter()
        .find(|(aid, _)| u64::from(aid.0) == psid)
        .is_none_or(|(_, c)| *c == class)
}

#[cfg(all(test, feature = "security"))]
mod tests {
    use super::*;
    use crate::security::MalformedKind;
    use alloc::vec::Vec;

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
