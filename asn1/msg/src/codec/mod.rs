//! ASN.1 codec runtime: the unaligned PER bit reader and writer used by the generated message code,
//! decode limits and typed errors.
//!
//! Decoding is strict: every constraint is checked, every length determinant is checked against
//! the remaining input before anything is allocated, and a complete encoding must end in zero
//! padding. Encoding checks constraints too.
pub mod error;
#[cfg(feature = "jer")]
pub mod jer;
pub mod uper;

pub use error::{DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind, FieldPath};
pub use uper::{BitReader, BitWriter, Uper};

/// Any failure of the codec: decode, encode or JER.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// UPER decoding failed.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// UPER encoding failed.
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// A JER value was not valid for its type.
    #[cfg(feature = "jer")]
    #[error(transparent)]
    Jer(#[from] jer::JerError),
}
