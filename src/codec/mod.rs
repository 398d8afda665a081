//! ASN.1 codec runtime: the unaligned PER bit reader and writer used by the generated message code,
//! decode limits and typed errors.
//!
//! Decoding is strict: every constraint is checked, every length determinant is checked against
//! the remaining input before anything is allocated, and a complete encoding must end in zero
//! padding. Encoding checks constraints too.
pub mod error;
pub mod uper;

pub use error::{DecodeError, DecodeErrorKind, EncodeError, EncodeErrorKind, FieldPath};
pub use uper::{BitReader, BitWriter, Uper};
