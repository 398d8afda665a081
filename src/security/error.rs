//! The security layer's error type: every way a certificate or an SPDU can fail to parse or to
//! verify, one variant each, with a stable snake_case code ([`SecurityError::code`]).

/// What was wrong with a COER encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MalformedKind {
    /// The input ends inside a value.
    Truncated,
    /// A length determinant is not minimal, too long, or larger than the rest of the input.
    BadLength,
    /// A CHOICE tag is not a context-specific tag of a known alternative.
    BadTag,
    /// A value outside its type's range (version, enumerated, size constraint).
    BadValue,
    /// A SEQUENCE OF announces more elements than allowed or than the input can hold.
    TooMany,
    /// Bytes remain after the end of the top-level value.
    TrailingBytes,
    /// Nesting deeper than the reader allows.
    TooDeep,
}

impl MalformedKind {
    /// Stable name of this kind.
    pub const fn as_str(self) -> &'static str {
        match self {
            MalformedKind::Truncated => "truncated",
            MalformedKind::BadLength => "bad_length",
            MalformedKind::BadTag => "bad_tag",
            MalformedKind::BadValue => "bad_value",
            MalformedKind::TooMany => "too_many",
            MalformedKind::TrailingBytes => "trailing_bytes",
            MalformedKind::TooDeep => "too_deep",
        }
    }
}

/// Everything that can go wrong in the security layer, one precise reason each.
///
/// The verification pipeline ([`crate::security::Verifier`]) reports exactly one of these per
/// SPDU: the first check that failed, in the pipeline's order. [`SecurityError::code`] gives the
/// stable snake_case name used in reports and on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum SecurityError {
    /// The COER encoding is invalid.
    #[error("malformed encoding ({}) at byte {offset}", kind.as_str())]
    Malformed {
        /// Byte offset into the input where the problem was found.
        offset: usize,
        /// What was wrong.
        kind: MalformedKind,
    },
    /// The data is not signed (unsecured, encrypted or a certificate request).
    #[error("data is not signed")]
    Unsigned,
    /// `protocolVersion` is not 3.
    #[error("incompatible protocol version {0}")]
    IncompatibleProtocol(u8),
    /// A hash or signature algorithm this implementation does not verify (P-384, Brainpool,
    /// SHA-384), or a hash algorithm that does not match the signature algorithm.
    #[error("unsupported algorithm")]
    UnsupportedAlgorithm,
    /// The signer is `self` (not allowed for SPDUs) or an unknown alternative.
    #[error("unsupported signer type")]
    UnsupportedSignerType,
    /// The payload is not unsecured data (nested signed or encrypted data, external data hash).
    #[error("unsupported payload")]
    UnsupportedPayload,
    /// An implicit (ECQV) certificate: parsed, but key reconstruction is not supported.
    #[error("implicit certificates are not supported")]
    ImplicitCertificate,
    /// The AID (PSID) is not accepted by this verifier or not in the signer's app permissions.
    #[error("AID {0} not permitted")]
    AidNotPermitted(u64),
    /// The signer's SSP for the AID does not satisfy the configured requirement.
    #[error("SSP does not satisfy the requirement for AID {0}")]
    SspMismatch(u64),
    /// The header carries no generation time and the policy requires one.
    #[error("generation time missing")]
    GenerationTimeMissing,
    /// The generation time is later than now plus the tolerance.
    #[error("generation time in the future")]
    GenerationTimeInFuture,
    /// The generation time is earlier than now minus the maximum age.
    #[error("generation time too old")]
    GenerationTimeTooOld,
    /// The message's expiry time has passed.
    #[error("message expired")]
    Expired,
    /// The signer certificate's validity period ended before the generation time (or now).
    #[error("signer certificate expired")]
    CertificateExpired,
    /// The signer certificate's validity period starts after the generation time (or now).
    #[error("signer certificate not yet valid")]
    CertificateNotYetValid,
    /// The same message (signer, generation time, signature) was accepted before.
    #[error("duplicate message")]
    Duplicate,
    /// The generation location lies outside the signer certificate's region.
    #[error("generation location outside the certificate region")]
    LocationOutsideRegion,
    /// The header carries no generation location and the policy requires one.
    #[error("generation location missing")]
    LocationMissing,
    /// The signer digest names no known certificate; see the report's certificate request.
    #[error("signer certificate not found")]
    SignerNotFound,
    /// A certificate's issuer is neither a trust anchor nor a known certificate.
    #[error("unknown issuer")]
    UnknownIssuer,
    /// The issuer's certificate-issuing permissions do not cover the subject's permissions.
    #[error("issuer not permitted to issue this certificate")]
    IssuerNotPermitted,
    /// The subject's validity period is not inside the issuer's.
    #[error("validity period not inside the issuer's")]
    ValidityNotInsideIssuer,
    /// The subject's region is not inside the issuer's.
    #[error("region not inside the issuer's")]
    RegionNotInsideIssuer,
    /// The chain is longer than the issuer permissions or the configured maximum allow.
    #[error("excessive chain length")]
    ExcessiveChainLength,
    /// A certificate of the chain is in the revocation set.
    #[error("certificate revoked")]
    Revoked,
    /// A certificate's signature does not verify against its issuer's key.
    #[error("certificate signature invalid")]
    CertificateSignatureInvalid,
    /// A public key is not a valid point of its curve.
    #[error("invalid public key")]
    InvalidPublicKey,
    /// The message signature does not verify against the signer's key.
    #[error("message signature invalid")]
    MessageSignatureInvalid,
    /// A signing operation failed (invalid private key or a degenerate nonce).
    #[error("signing failed")]
    SigningFailed,
}

impl SecurityError {
    /// The stable snake_case code of this error, as used in reports and the CLI.
    pub const fn code(&self) -> &'static str {
        match self {
            SecurityError::Malformed { .. } => "malformed",
            SecurityError::Unsigned => "unsigned",
            SecurityError::IncompatibleProtocol(_) => "incompatible_protocol",
            SecurityError::UnsupportedAlgorithm => "unsupported_algorithm",
            SecurityError::UnsupportedSignerType => "unsupported_signer_type",
            SecurityError::UnsupportedPayload => "unsupported_payload",
            SecurityError::ImplicitCertificate => "implicit_certificate_unsupported",
            SecurityError::AidNotPermitted(_) => "aid_not_permitted",
            SecurityError::SspMismatch(_) => "ssp_mismatch",
            SecurityError::GenerationTimeMissing => "generation_time_missing",
            SecurityError::GenerationTimeInFuture => "generation_time_in_future",
            SecurityError::GenerationTimeTooOld => "generation_time_too_old",
            SecurityError::Expired => "expired",
            SecurityError::CertificateExpired => "certificate_expired",
            SecurityError::CertificateNotYetValid => "certificate_not_yet_valid",
            SecurityError::Duplicate => "duplicate",
            SecurityError::LocationOutsideRegion => "location_outside_region",
            SecurityError::LocationMissing => "location_missing",
            SecurityError::SignerNotFound => "signer_not_found",
            SecurityError::UnknownIssuer => "unknown_issuer",
            SecurityError::IssuerNotPermitted => "issuer_not_permitted",
            SecurityError::ValidityNotInsideIssuer => "validity_not_inside_issuer",
            SecurityError::RegionNotInsideIssuer => "region_not_inside_issuer",
            SecurityError::ExcessiveChainLength => "excessive_chain_length",
            SecurityError::Revoked => "revoked",
            SecurityError::CertificateSignatureInvalid => "certificate_signature_invalid",
            SecurityError::InvalidPublicKey => "invalid_public_key",
            SecurityError::MessageSignatureInvalid => "message_signature_invalid",
            SecurityError::SigningFailed => "signing_failed",
        }
    }
}

/// Result type of the security layer.
pub type Result<T> = core::result::Result<T, SecurityError>;
