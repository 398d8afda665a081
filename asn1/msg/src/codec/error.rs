//! Typed codec errors: what went wrong, where in the value (field path) and where in the input
//! (bit offset).
use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;

/// What went wrong while decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input ended before the value was complete.
    UnexpectedEnd,
    /// An integer lies outside its constraint.
    IntegerOutOfRange,
    /// An unconstrained or semi-constrained integer does not fit the Rust type used for it.
    IntegerTooLarge,
    /// A length determinant exceeds the type's size constraint.
    SizeOutOfRange,
    /// A length determinant announces more data than the remaining input can hold.
    LengthExceedsInput,
    /// A CHOICE index outside the root alternatives of a non-extensible CHOICE.
    InvalidChoiceIndex,
    /// An ENUMERATED index outside the root values of a non-extensible ENUMERATED.
    InvalidEnumIndex,
    /// A character outside the permitted alphabet of a character string.
    InvalidCharacter,
    /// Bits after the end of a complete value that are not zero padding.
    TrailingBits,
    /// An open type or extension addition whose content does not fill its announced length
    /// with a valid encoding.
    InvalidOpenType,
    /// An extension bit was set where the type has no extension, or an extension bitmap is
    /// malformed.
    InvalidExtension,
    /// A fragmented length determinant that is malformed or not allowed here.
    InvalidFragmentation,
}

impl DecodeErrorKind {
    /// A short stable name for the kind.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::UnexpectedEnd => "unexpected end of input",
            Self::IntegerOutOfRange => "integer out of range",
            Self::IntegerTooLarge => "integer too large",
            Self::SizeOutOfRange => "size out of range",
            Self::LengthExceedsInput => "length exceeds remaining input",
            Self::InvalidChoiceIndex => "invalid choice index",
            Self::InvalidEnumIndex => "invalid enumerated index",
            Self::InvalidCharacter => "invalid character",
            Self::TrailingBits => "trailing bits after value",
            Self::InvalidOpenType => "invalid open type content",
            Self::InvalidExtension => "invalid extension",
            Self::InvalidFragmentation => "invalid fragmented length",
        }
    }
}

/// A field path, outermost first: `MessageFrame.bsmFrame.pos.lat`.
///
/// Segments are pushed innermost first while an error travels up through the decoder, so they
/// are stored reversed and printed in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldPath {
    rev: Vec<&'static str>,
}

impl FieldPath {
    /// The segments, outermost first.
    pub fn segments(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.rev.iter().rev().copied()
    }

    pub(crate) fn push_outer(&mut self, seg: &'static str) {
        self.rev.push(seg);
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.segments().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            f.write_str(s)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct DecodeInner {
    kind: DecodeErrorKind,
    path: FieldPath,
    bit_offset: usize,
}

/// A decode failure: its kind, the field path and the bit offset in the input where the failing
/// item starts. One pointer wide, so that results stay small on the decoder's fast path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at bit {bit_offset} in `{path}`", kind = .0.kind.as_str(), bit_offset = .0.bit_offset, path = .0.path)]
pub struct DecodeError(Box<DecodeInner>);

impl DecodeError {
    /// A new error at `bit_offset` with an empty path.
    #[cold]
    pub fn new(kind: DecodeErrorKind, bit_offset: usize) -> Self {
        Self(Box::new(DecodeInner {
            kind,
            path: FieldPath::default(),
            bit_offset,
        }))
    }

    /// What went wrong.
    pub fn kind(&self) -> DecodeErrorKind {
        self.0.kind
    }

    /// Where in the value.
    pub fn path(&self) -> &FieldPath {
        &self.0.path
    }

    /// Where in the input, in bits from the start of the outermost encoding.
    pub fn bit_offset(&self) -> usize {
        self.0.bit_offset
    }

    /// The same error placed at `bit_offset` (its kind and path kept): for an error inside
    /// content the decoder had to gather from fragments first.
    #[must_use]
    #[cold]
    pub fn at(mut self, bit_offset: usize) -> Self {
        self.0.bit_offset = bit_offset;
        self
    }

    /// Adds the name of an enclosing field or type to the path.
    #[must_use]
    #[cold]
    pub fn within(mut self, seg: &'static str) -> Self {
        self.0.path.push_outer(seg);
        self
    }
}

/// What went wrong while encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncodeErrorKind {
    /// An integer lies outside its constraint.
    IntegerOutOfRange,
    /// A string or list has a size outside its constraint.
    SizeOutOfRange,
    /// A character outside the permitted alphabet.
    InvalidCharacter,
    /// The output buffer is too small.
    BufferTooSmall,
    /// A value is not representable (for example an open-type value whose variant does not
    /// match its key).
    Unrepresentable,
}

impl EncodeErrorKind {
    /// A short stable name for the kind.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::IntegerOutOfRange => "integer out of range",
            Self::SizeOutOfRange => "size out of range",
            Self::InvalidCharacter => "invalid character",
            Self::BufferTooSmall => "output buffer too small",
            Self::Unrepresentable => "value not representable",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct EncodeInner {
    kind: EncodeErrorKind,
    path: FieldPath,
}

/// An encode failure: its kind and the field path. One pointer wide.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} in `{path}`", kind = .0.kind.as_str(), path = .0.path)]
pub struct EncodeError(Box<EncodeInner>);

impl EncodeError {
    /// A new error with an empty path.
    #[cold]
    pub fn new(kind: EncodeErrorKind) -> Self {
        Self(Box::new(EncodeInner {
            kind,
            path: FieldPath::default(),
        }))
    }

    /// What went wrong.
    pub fn kind(&self) -> EncodeErrorKind {
        self.0.kind
    }

    /// Where in the value.
    pub fn path(&self) -> &FieldPath {
        &self.0.path
    }

    /// Adds the name of an enclosing field or type to the path.
    #[must_use]
    #[cold]
    pub fn within(mut self, seg: &'static str) -> Self {
        self.0.path.push_outer(seg);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_prints_outermost_first() {
        let e = DecodeError::new(DecodeErrorKind::IntegerOutOfRange, 42)
            .within("lat")
            .within("pos")
            .within("bsmFrame")
            .within("MessageFrame");
        assert_eq!(e.path().to_string(), "MessageFrame.bsmFrame.pos.lat");
        assert_eq!(
            e.to_string(),
            "integer out of range at bit 42 in `MessageFrame.bsmFrame.pos.lat`"
        );
    }
}
