//! Result codes: one `uint32_t` per outcome, explicit numbers, append-only (a removed code
//! stays reserved, a number is never reused). Ranges per layer: generic 1–99, codec 100–199,
//! security 200–239, CRL 240–299, net 300–399, stack 400–499.
//!
//! The mappings from the Rust error enums are explicit tables: a match per enum with one arm per
//! variant, so a new variant in the core does not compile here until it has its code.
//! (`DecodeErrorKind`, `EncodeErrorKind` and `JerErrorKind` are `#[non_exhaustive]`: their
//! tables end in an arm to `CV2X_ERR_CODEC_OTHER`, which a test keeps unreachable for every
//! kind known today.)

#![allow(non_camel_case_types)]

use std::ffi::{CStr, c_char};

use cv2x::codec::jer::JerErrorKind;
use cv2x::codec::{DecodeErrorKind, EncodeErrorKind};
use cv2x::net;
use cv2x::security::SecurityError;
use cv2x::security::store::CrlError;
use cv2x::stack::VerifyFailure;

use crate::boundary::ffi;

/// The outcome of a call: `CV2X_OK` (0) or one of the `CV2X_ERR_*` codes. Codes are stable
/// and append-only; `cv2x_result_name` and `cv2x_strerror` describe any of them.
pub type cv2x_result = u32;

/// Success.
pub const CV2X_OK: cv2x_result = 0;

// ---- generic 1-99 ----
/// A pointer that must not be NULL was NULL (or a (NULL, n > 0) buffer).
pub const CV2X_ERR_NULL_POINTER: cv2x_result = 1;
/// A parameter is out of range: an unknown enumeration value, a bad index or option.
pub const CV2X_ERR_INVALID_PARAMETER: cv2x_result = 2;
/// The output buffer is too small; the size needed was written to `*out_len`.
pub const CV2X_ERR_BUFFER_TOO_SMALL: cv2x_result = 3;
/// A config struct's `struct_size` is smaller than the frozen size of its first version.
pub const CV2X_ERR_STRUCT_SIZE: cv2x_result = 4;
/// A panic inside the library was caught at the boundary; the handle is poisoned.
pub const CV2X_ERR_PANIC: cv2x_result = 5;
/// The handle was poisoned by an earlier panic: free it and make a new one.
pub const CV2X_ERR_POISONED: cv2x_result = 6;
/// The handle is in use by a call that has not returned: a callback re-entered it, or
/// another thread uses it at the same time.
pub const CV2X_ERR_REENTRANT: cv2x_result = 7;
/// The frame is not of the message kind the accessor reads (e.g. `cv2x_frame_get_bsm` on a MAP).
pub const CV2X_ERR_WRONG_MESSAGE_KIND: cv2x_result = 8;
/// An index past the end of a list.
pub const CV2X_ERR_INDEX_OUT_OF_RANGE: cv2x_result = 9;
/// Text input that is not UTF-8.
pub const CV2X_ERR_INVALID_UTF8: cv2x_result = 10;
/// A callback reported a failure (for example a security chip that could not hash).
pub const CV2X_ERR_CALLBACK: cv2x_result = 11;
/// A required callback of a callbacks struct is NULL.
pub const CV2X_ERR_MISSING_CALLBACK: cv2x_result = 12;
/// The operation is not available for this standard or message.
pub const CV2X_ERR_UNSUPPORTED: cv2x_result = 13;

// ---- codec 100-199: UPER decode ----
/// Decode: the input ended before the value was complete.
pub const CV2X_ERR_CODEC_UNEXPECTED_END: cv2x_result = 100;
/// Decode: an integer lies outside its constraint.
pub const CV2X_ERR_CODEC_INTEGER_OUT_OF_RANGE: cv2x_result = 101;
/// Decode: an unconstrained integer too large for its type.
pub const CV2X_ERR_CODEC_INTEGER_TOO_LARGE: cv2x_result = 102;
/// Decode: a length outside the type's size constraint.
pub const CV2X_ERR_CODEC_SIZE_OUT_OF_RANGE: cv2x_result = 103;
/// Decode: a length announces more data than the input holds.
pub const CV2X_ERR_CODEC_LENGTH_EXCEEDS_INPUT: cv2x_result = 104;
/// Decode: a CHOICE index outside the root alternatives of a non-extensible CHOICE.
pub const CV2X_ERR_CODEC_INVALID_CHOICE_INDEX: cv2x_result = 105;
/// Decode: an ENUMERATED index outside the root values of a non-extensible ENUMERATED.
pub const CV2X_ERR_CODEC_INVALID_ENUM_INDEX: cv2x_result = 106;
/// Decode: a character outside the permitted alphabet.
pub const CV2X_ERR_CODEC_INVALID_CHARACTER: cv2x_result = 107;
/// Decode: bits after the value that are not zero padding.
pub const CV2X_ERR_CODEC_TRAILING_BITS: cv2x_result = 108;
/// Decode: an open type whose content is not one valid encoding.
pub const CV2X_ERR_CODEC_INVALID_OPEN_TYPE: cv2x_result = 109;
/// Decode: an extension bit or bitmap that is not allowed or malformed.
pub const CV2X_ERR_CODEC_INVALID_EXTENSION: cv2x_result = 110;
/// Decode: a malformed fragmented length.
pub const CV2X_ERR_CODEC_INVALID_FRAGMENTATION: cv2x_result = 111;
// ---- codec: UPER encode ----
/// Encode: an integer outside its constraint.
pub const CV2X_ERR_ENCODE_INTEGER_OUT_OF_RANGE: cv2x_result = 120;
/// Encode: a string or list size outside its constraint.
pub const CV2X_ERR_ENCODE_SIZE_OUT_OF_RANGE: cv2x_result = 121;
/// Encode: a character outside the permitted alphabet.
pub const CV2X_ERR_ENCODE_INVALID_CHARACTER: cv2x_result = 122;
/// Encode: a value that cannot be represented (e.g. an open type whose key does not match).
pub const CV2X_ERR_ENCODE_UNREPRESENTABLE: cv2x_result = 123;
// ---- codec: JER ----
/// JER: the text is not JSON.
pub const CV2X_ERR_JER_SYNTAX: cv2x_result = 140;
/// JER: not the JSON type the ASN.1 type needs.
pub const CV2X_ERR_JER_WRONG_JSON_TYPE: cv2x_result = 141;
/// JER: a required member is missing.
pub const CV2X_ERR_JER_MISSING_MEMBER: cv2x_result = 142;
/// JER: a member the type does not have.
pub const CV2X_ERR_JER_UNKNOWN_MEMBER: cv2x_result = 143;
/// JER: a CHOICE object without exactly one known alternative.
pub const CV2X_ERR_JER_BAD_CHOICE: cv2x_result = 144;
/// JER: an ENUMERATED identifier the type does not have.
pub const CV2X_ERR_JER_UNKNOWN_ENUM_VALUE: cv2x_result = 145;
/// JER: an integer outside its constraint, or not an integer.
pub const CV2X_ERR_JER_OUT_OF_RANGE: cv2x_result = 146;
/// JER: a size outside its constraint.
pub const CV2X_ERR_JER_SIZE_OUT_OF_RANGE: cv2x_result = 147;
/// JER: a malformed hexadecimal string.
pub const CV2X_ERR_JER_BAD_HEX: cv2x_result = 148;
/// JER: a character outside the string type's alphabet.
pub const CV2X_ERR_JER_INVALID_CHARACTER: cv2x_result = 149;
/// JER: an open type whose key selects no known type and whose value is not hexadecimal.
pub const CV2X_ERR_JER_BAD_OPEN_TYPE: cv2x_result = 150;
/// The standard has no type of the given name.
pub const CV2X_ERR_UNKNOWN_TYPE: cv2x_result = 160;
/// A codec failure of a kind newer than this table.
pub const CV2X_ERR_CODEC_OTHER: cv2x_result = 199;

// ---- security 200-239 (one per verification failure, in the pipeline's order) ----
/// Security: the COER encoding is invalid.
pub const CV2X_ERR_SEC_MALFORMED: cv2x_result = 200;
/// Security: the data is not signed.
pub const CV2X_ERR_SEC_UNSIGNED: cv2x_result = 201;
/// Security: protocol version is not 3.
pub const CV2X_ERR_SEC_INCOMPATIBLE_PROTOCOL: cv2x_result = 202;
/// Security: an algorithm this implementation does not verify.
pub const CV2X_ERR_SEC_UNSUPPORTED_ALGORITHM: cv2x_result = 203;
/// Security: the signer is `self` or of an unknown kind.
pub const CV2X_ERR_SEC_UNSUPPORTED_SIGNER_TYPE: cv2x_result = 204;
/// Security: the payload is not unsecured data.
pub const CV2X_ERR_SEC_UNSUPPORTED_PAYLOAD: cv2x_result = 205;
/// Security: an implicit (ECQV) certificate.
pub const CV2X_ERR_SEC_IMPLICIT_CERTIFICATE: cv2x_result = 206;
/// Security: the AID is not accepted or not in the signer's permissions.
pub const CV2X_ERR_SEC_AID_NOT_PERMITTED: cv2x_result = 207;
/// Security: the signer's SSP does not satisfy the configured rule.
pub const CV2X_ERR_SEC_SSP_MISMATCH: cv2x_result = 208;
/// Security: no generation time and the policy requires one.
pub const CV2X_ERR_SEC_GENERATION_TIME_MISSING: cv2x_result = 209;
/// Security: generation time in the future.
pub const CV2X_ERR_SEC_GENERATION_TIME_IN_FUTURE: cv2x_result = 210;
/// Security: generation time too old.
pub const CV2X_ERR_SEC_GENERATION_TIME_TOO_OLD: cv2x_result = 211;
/// Security: the message's expiry time has passed.
pub const CV2X_ERR_SEC_EXPIRED: cv2x_result = 212;
/// Security: the signer certificate has expired.
pub const CV2X_ERR_SEC_CERTIFICATE_EXPIRED: cv2x_result = 213;
/// Security: the signer certificate is not yet valid.
pub const CV2X_ERR_SEC_CERTIFICATE_NOT_YET_VALID: cv2x_result = 214;
/// Security: the same message was accepted before (replay).
pub const CV2X_ERR_SEC_DUPLICATE: cv2x_result = 215;
/// Security: generation location outside the certificate region.
pub const CV2X_ERR_SEC_LOCATION_OUTSIDE_REGION: cv2x_result = 216;
/// Security: no generation location and the policy requires one.
pub const CV2X_ERR_SEC_LOCATION_MISSING: cv2x_result = 217;
/// Security: the signer digest names no known certificate.
pub const CV2X_ERR_SEC_SIGNER_NOT_FOUND: cv2x_result = 218;
/// Security: an issuer is neither a trust anchor nor a known certificate.
pub const CV2X_ERR_SEC_UNKNOWN_ISSUER: cv2x_result = 219;
/// Security: the issuer may not issue this certificate.
pub const CV2X_ERR_SEC_ISSUER_NOT_PERMITTED: cv2x_result = 220;
/// Security: validity period not inside the issuer's.
pub const CV2X_ERR_SEC_VALIDITY_NOT_INSIDE_ISSUER: cv2x_result = 221;
/// Security: region not inside the issuer's.
pub const CV2X_ERR_SEC_REGION_NOT_INSIDE_ISSUER: cv2x_result = 222;
/// Security: the chain is too long.
pub const CV2X_ERR_SEC_EXCESSIVE_CHAIN_LENGTH: cv2x_result = 223;
/// Security: a certificate of the chain is revoked.
pub const CV2X_ERR_SEC_REVOKED: cv2x_result = 224;
/// Security: a certificate signature does not verify.
pub const CV2X_ERR_SEC_CERTIFICATE_SIGNATURE_INVALID: cv2x_result = 225;
/// Security: a public key is not a valid curve point.
pub const CV2X_ERR_SEC_INVALID_PUBLIC_KEY: cv2x_result = 226;
/// Security: the message signature does not verify.
pub const CV2X_ERR_SEC_MESSAGE_SIGNATURE_INVALID: cv2x_result = 227;
/// Security: signing failed (invalid private key).
pub const CV2X_ERR_SEC_SIGNING_FAILED: cv2x_result = 228;
/// Security: the private key does not belong to the certificate.
pub const CV2X_ERR_SEC_KEY_CERTIFICATE_MISMATCH: cv2x_result = 229;
/// Security: the signed AID is the Day I AID of another kind of message than the one carried
/// (a roadside message under a vehicle's BSM permission); reported by the stack.
pub const CV2X_ERR_SEC_CONTENT_NOT_PERMITTED: cv2x_result = 230;
/// Security: the verifier could not verify the SPDU and gave no finer reason.
pub const CV2X_ERR_SEC_UNSUPPORTED: cv2x_result = 231;
/// Security: the certificate chain is invalid and the verifier gave no finer reason.
pub const CV2X_ERR_SEC_CHAIN_INVALID: cv2x_result = 232;
/// Security: a verification failure of a kind newer than this table, or one a verifier
/// reported by its own number.
pub const CV2X_ERR_SEC_OTHER: cv2x_result = 233;

// ---- CRL 240-299 (a CRL whose signature failed reports the security code) ----
/// CRL: signed data for another PSID.
pub const CV2X_ERR_CRL_WRONG_PSID: cv2x_result = 240;
/// CRL: the contents are malformed.
pub const CV2X_ERR_CRL_CONTENTS_MALFORMED: cv2x_result = 241;
/// CRL: a CRL type this implementation does not apply (linkage-based).
pub const CV2X_ERR_CRL_TYPE_UNSUPPORTED: cv2x_result = 242;
/// CRL: the signer is not the CRACA nor issued by it.
pub const CV2X_ERR_CRL_SIGNER_NOT_CRACA: cv2x_result = 243;
/// CRL: issued in the future.
pub const CV2X_ERR_CRL_ISSUED_IN_FUTURE: cv2x_result = 244;
/// CRL: not newer than the one applied for its CRACA and series.
pub const CV2X_ERR_CRL_NOT_NEWER: cv2x_result = 245;
/// CRL: too many CRL series are tracked.
pub const CV2X_ERR_CRL_TOO_MANY_SERIES: cv2x_result = 246;

// ---- net 300-399 ----
/// Net: the input ends inside a header field.
pub const CV2X_ERR_NET_TRUNCATED: cv2x_result = 300;
/// Net: bytes remain after the end the header announces.
pub const CV2X_ERR_NET_TRAILING_BYTES: cv2x_result = 301;
/// Net: a DSMP version other than 0.
pub const CV2X_ERR_NET_UNSUPPORTED_VERSION: cv2x_result = 302;
/// Net: an AID prefix octet no AID length uses.
pub const CV2X_ERR_NET_INVALID_AID_PREFIX: cv2x_result = 303;
/// Net: an AID above the 4-octet range.
pub const CV2X_ERR_NET_AID_OUT_OF_RANGE: cv2x_result = 304;
/// Net: the AID is not in the dispatch table.
pub const CV2X_ERR_NET_UNKNOWN_AID: cv2x_result = 305;
/// Net: the adaptation-layer protocol type is not DSMP.
pub const CV2X_ERR_NET_NOT_DSMP: cv2x_result = 306;
/// Net: DSMP data longer than 65535 octets.
pub const CV2X_ERR_NET_PAYLOAD_TOO_LONG: cv2x_result = 307;
/// Net: an extension element longer than 255 octets.
pub const CV2X_ERR_NET_EXTENSION_TOO_LONG: cv2x_result = 308;
/// Net: more than 255 extension elements.
pub const CV2X_ERR_NET_TOO_MANY_EXTENSIONS: cv2x_result = 309;
/// Net: a header field holds a value the parser rejects.
pub const CV2X_ERR_NET_MALFORMED: cv2x_result = 310;
/// Net: the IP packet is not UDP.
pub const CV2X_ERR_NET_NOT_UDP: cv2x_result = 311;
/// Net: an IP fragment.
pub const CV2X_ERR_NET_FRAGMENT: cv2x_result = 312;
/// Net: the link layer carries something other than IP.
pub const CV2X_ERR_NET_NOT_IP: cv2x_result = 313;
/// Net: an unsupported capture link type.
pub const CV2X_ERR_NET_UNSUPPORTED_LINK_TYPE: cv2x_result = 314;
/// Net: source and destination address families differ.
pub const CV2X_ERR_NET_ADDRESS_FAMILY_MISMATCH: cv2x_result = 315;
/// Net: no destination configured.
pub const CV2X_ERR_NET_NO_DESTINATION: cv2x_result = 316;
/// Net: no such network interface.
pub const CV2X_ERR_NET_NO_SUCH_INTERFACE: cv2x_result = 317;
/// Net: a socket or file operation failed.
pub const CV2X_ERR_NET_IO: cv2x_result = 318;
/// Net: a capture file could not be read or written.
pub const CV2X_ERR_NET_CAPTURE: cv2x_result = 319;

// ---- stack 400-499 ----
/// First code of the range of the stack (`cv2x_stack_*`, `cv2x_ego_*`, events).
pub const CV2X_ERR_STACK_FIRST: cv2x_result = 400;
/// Last code of the range of the stack.
pub const CV2X_ERR_STACK_LAST: cv2x_result = 499;
/// Stack: the ego state was refused (no usable position or heading, a value out of range);
/// counted as a drop (`CV2X_DROP_EGO_REJECTED`).
pub const CV2X_ERR_EGO_REJECTED: cv2x_result = 400;
/// Stack: the time given is before the time of an earlier call (ego state or poll).
pub const CV2X_ERR_TIME_WENT_BACKWARDS: cv2x_result = 401;
/// Stack: the ego is not on the air (no host vehicle: `cv2x_stack_set_host`).
pub const CV2X_ERR_NO_HOST: cv2x_result = 402;
/// Stack: no message is waiting to be sent.
pub const CV2X_ERR_NO_TRANSMISSION: cv2x_result = 403;
/// Stack: the ego is not matched to a lane of a known MAP (at the last poll).
pub const CV2X_ERR_NO_LANE: cv2x_result = 404;
/// Stack: no active warning has this id (it has cleared, or never was).
pub const CV2X_ERR_NO_WARNING: cv2x_result = 405;
/// Stack: a command was refused (too many wait for the next poll; counted as a
/// `CV2X_STORE_COMMANDS` drop).
pub const CV2X_ERR_COMMAND_REFUSED: cv2x_result = 406;

/// (name, message) of a code, `None` for a number that is not (or not yet) a code.
pub(crate) fn describe(code: cv2x_result) -> Option<(&'static CStr, &'static CStr)> {
    Some(match code {
        CV2X_OK => (c"CV2X_OK", c"success"),
        CV2X_ERR_NULL_POINTER => (c"CV2X_ERR_NULL_POINTER", c"a required pointer is NULL"),
        CV2X_ERR_INVALID_PARAMETER => (c"CV2X_ERR_INVALID_PARAMETER", c"a parameter is out of range"),
        CV2X_ERR_BUFFER_TOO_SMALL => (c"CV2X_ERR_BUFFER_TOO_SMALL", c"output buffer too small (size needed written to *out_len)"),
        CV2X_ERR_STRUCT_SIZE => (c"CV2X_ERR_STRUCT_SIZE", c"struct_size is smaller than the struct's first version"),
        CV2X_ERR_PANIC => (c"CV2X_ERR_PANIC", c"internal panic caught; the handle is poisoned"),
        CV2X_ERR_POISONED => (c"CV2X_ERR_POISONED", c"handle poisoned by an earlier panic"),
        CV2X_ERR_REENTRANT => (c"CV2X_ERR_REENTRANT", c"handle in use by a call that has not returned (re-entered from a callback, or used by two threads)"),
        CV2X_ERR_WRONG_MESSAGE_KIND => (c"CV2X_ERR_WRONG_MESSAGE_KIND", c"the frame is not of the message kind asked for"),
        CV2X_ERR_INDEX_OUT_OF_RANGE => (c"CV2X_ERR_INDEX_OUT_OF_RANGE", c"index past the end of the list"),
        CV2X_ERR_INVALID_UTF8 => (c"CV2X_ERR_INVALID_UTF8", c"text input is not UTF-8"),
        CV2X_ERR_CALLBACK => (c"CV2X_ERR_CALLBACK", c"a callback reported a failure"),
        CV2X_ERR_MISSING_CALLBACK => (c"CV2X_ERR_MISSING_CALLBACK", c"a required callback is NULL"),
        CV2X_ERR_UNSUPPORTED => (c"CV2X_ERR_UNSUPPORTED", c"operation not available for this standard or message"),
        CV2X_ERR_CODEC_UNEXPECTED_END => (c"CV2X_ERR_CODEC_UNEXPECTED_END", c"decode: unexpected end of input"),
        CV2X_ERR_CODEC_INTEGER_OUT_OF_RANGE => (c"CV2X_ERR_CODEC_INTEGER_OUT_OF_RANGE", c"decode: integer out of range"),
        CV2X_ERR_CODEC_INTEGER_TOO_LARGE => (c"CV2X_ERR_CODEC_INTEGER_TOO_LARGE", c"decode: integer too large"),
        CV2X_ERR_CODEC_SIZE_OUT_OF_RANGE => (c"CV2X_ERR_CODEC_SIZE_OUT_OF_RANGE", c"decode: size out of range"),
        CV2X_ERR_CODEC_LENGTH_EXCEEDS_INPUT => (c"CV2X_ERR_CODEC_LENGTH_EXCEEDS_INPUT", c"decode: length exceeds remaining input"),
        CV2X_ERR_CODEC_INVALID_CHOICE_INDEX => (c"CV2X_ERR_CODEC_INVALID_CHOICE_INDEX", c"decode: invalid choice index"),
        CV2X_ERR_CODEC_INVALID_ENUM_INDEX => (c"CV2X_ERR_CODEC_INVALID_ENUM_INDEX", c"decode: invalid enumerated index"),
        CV2X_ERR_CODEC_INVALID_CHARACTER => (c"CV2X_ERR_CODEC_INVALID_CHARACTER", c"decode: invalid character"),
        CV2X_ERR_CODEC_TRAILING_BITS => (c"CV2X_ERR_CODEC_TRAILING_BITS", c"decode: trailing bits after the value"),
        CV2X_ERR_CODEC_INVALID_OPEN_TYPE => (c"CV2X_ERR_CODEC_INVALID_OPEN_TYPE", c"decode: invalid open type content"),
        CV2X_ERR_CODEC_INVALID_EXTENSION => (c"CV2X_ERR_CODEC_INVALID_EXTENSION", c"decode: invalid extension"),
        CV2X_ERR_CODEC_INVALID_FRAGMENTATION => (c"CV2X_ERR_CODEC_INVALID_FRAGMENTATION", c"decode: invalid fragmented length"),
        CV2X_ERR_ENCODE_INTEGER_OUT_OF_RANGE => (c"CV2X_ERR_ENCODE_INTEGER_OUT_OF_RANGE", c"encode: integer out of range"),
        CV2X_ERR_ENCODE_SIZE_OUT_OF_RANGE => (c"CV2X_ERR_ENCODE_SIZE_OUT_OF_RANGE", c"encode: size out of range"),
        CV2X_ERR_ENCODE_INVALID_CHARACTER => (c"CV2X_ERR_ENCODE_INVALID_CHARACTER", c"encode: invalid character"),
        CV2X_ERR_ENCODE_UNREPRESENTABLE => (c"CV2X_ERR_ENCODE_UNREPRESENTABLE", c"encode: value not representable"),
        CV2X_ERR_JER_SYNTAX => (c"CV2X_ERR_JER_SYNTAX", c"JER: not valid JSON"),
        CV2X_ERR_JER_WRONG_JSON_TYPE => (c"CV2X_ERR_JER_WRONG_JSON_TYPE", c"JER: wrong JSON type"),
        CV2X_ERR_JER_MISSING_MEMBER => (c"CV2X_ERR_JER_MISSING_MEMBER", c"JER: missing member"),
        CV2X_ERR_JER_UNKNOWN_MEMBER => (c"CV2X_ERR_JER_UNKNOWN_MEMBER", c"JER: unknown member"),
        CV2X_ERR_JER_BAD_CHOICE => (c"CV2X_ERR_JER_BAD_CHOICE", c"JER: bad choice"),
        CV2X_ERR_JER_UNKNOWN_ENUM_VALUE => (c"CV2X_ERR_JER_UNKNOWN_ENUM_VALUE", c"JER: unknown enumerated value"),
        CV2X_ERR_JER_OUT_OF_RANGE => (c"CV2X_ERR_JER_OUT_OF_RANGE", c"JER: integer out of range"),
        CV2X_ERR_JER_SIZE_OUT_OF_RANGE => (c"CV2X_ERR_JER_SIZE_OUT_OF_RANGE", c"JER: size out of range"),
        CV2X_ERR_JER_BAD_HEX => (c"CV2X_ERR_JER_BAD_HEX", c"JER: malformed hexadecimal"),
        CV2X_ERR_JER_INVALID_CHARACTER => (c"CV2X_ERR_JER_INVALID_CHARACTER", c"JER: invalid character"),
        CV2X_ERR_JER_BAD_OPEN_TYPE => (c"CV2X_ERR_JER_BAD_OPEN_TYPE", c"JER: bad open type"),
        CV2X_ERR_UNKNOWN_TYPE => (c"CV2X_ERR_UNKNOWN_TYPE", c"the standard has no type of that name"),
        CV2X_ERR_CODEC_OTHER => (c"CV2X_ERR_CODEC_OTHER", c"codec failure of another kind"),
        CV2X_ERR_SEC_MALFORMED => (c"CV2X_ERR_SEC_MALFORMED", c"malformed COER encoding"),
        CV2X_ERR_SEC_UNSIGNED => (c"CV2X_ERR_SEC_UNSIGNED", c"data is not signed"),
        CV2X_ERR_SEC_INCOMPATIBLE_PROTOCOL => (c"CV2X_ERR_SEC_INCOMPATIBLE_PROTOCOL", c"incompatible protocol version"),
        CV2X_ERR_SEC_UNSUPPORTED_ALGORITHM => (c"CV2X_ERR_SEC_UNSUPPORTED_ALGORITHM", c"unsupported algorithm"),
        CV2X_ERR_SEC_UNSUPPORTED_SIGNER_TYPE => (c"CV2X_ERR_SEC_UNSUPPORTED_SIGNER_TYPE", c"unsupported signer type"),
        CV2X_ERR_SEC_UNSUPPORTED_PAYLOAD => (c"CV2X_ERR_SEC_UNSUPPORTED_PAYLOAD", c"unsupported payload"),
        CV2X_ERR_SEC_IMPLICIT_CERTIFICATE => (c"CV2X_ERR_SEC_IMPLICIT_CERTIFICATE", c"implicit certificates are not supported"),
        CV2X_ERR_SEC_AID_NOT_PERMITTED => (c"CV2X_ERR_SEC_AID_NOT_PERMITTED", c"AID not permitted"),
        CV2X_ERR_SEC_SSP_MISMATCH => (c"CV2X_ERR_SEC_SSP_MISMATCH", c"SSP does not satisfy the requirement"),
        CV2X_ERR_SEC_GENERATION_TIME_MISSING => (c"CV2X_ERR_SEC_GENERATION_TIME_MISSING", c"generation time missing"),
        CV2X_ERR_SEC_GENERATION_TIME_IN_FUTURE => (c"CV2X_ERR_SEC_GENERATION_TIME_IN_FUTURE", c"generation time in the future"),
        CV2X_ERR_SEC_GENERATION_TIME_TOO_OLD => (c"CV2X_ERR_SEC_GENERATION_TIME_TOO_OLD", c"generation time too old"),
        CV2X_ERR_SEC_EXPIRED => (c"CV2X_ERR_SEC_EXPIRED", c"message expired"),
        CV2X_ERR_SEC_CERTIFICATE_EXPIRED => (c"CV2X_ERR_SEC_CERTIFICATE_EXPIRED", c"signer certificate expired"),
        CV2X_ERR_SEC_CERTIFICATE_NOT_YET_VALID => (c"CV2X_ERR_SEC_CERTIFICATE_NOT_YET_VALID", c"signer certificate not yet valid"),
        CV2X_ERR_SEC_DUPLICATE => (c"CV2X_ERR_SEC_DUPLICATE", c"duplicate message"),
        CV2X_ERR_SEC_LOCATION_OUTSIDE_REGION => (c"CV2X_ERR_SEC_LOCATION_OUTSIDE_REGION", c"generation location outside the certificate region"),
        CV2X_ERR_SEC_LOCATION_MISSING => (c"CV2X_ERR_SEC_LOCATION_MISSING", c"generation location missing"),
        CV2X_ERR_SEC_SIGNER_NOT_FOUND => (c"CV2X_ERR_SEC_SIGNER_NOT_FOUND", c"signer certificate not found"),
        CV2X_ERR_SEC_UNKNOWN_ISSUER => (c"CV2X_ERR_SEC_UNKNOWN_ISSUER", c"unknown issuer"),
        CV2X_ERR_SEC_ISSUER_NOT_PERMITTED => (c"CV2X_ERR_SEC_ISSUER_NOT_PERMITTED", c"issuer not permitted to issue this certificate"),
        CV2X_ERR_SEC_VALIDITY_NOT_INSIDE_ISSUER => (c"CV2X_ERR_SEC_VALIDITY_NOT_INSIDE_ISSUER", c"validity period not inside the issuer's"),
        CV2X_ERR_SEC_REGION_NOT_INSIDE_ISSUER => (c"CV2X_ERR_SEC_REGION_NOT_INSIDE_ISSUER", c"region not inside the issuer's"),
        CV2X_ERR_SEC_EXCESSIVE_CHAIN_LENGTH => (c"CV2X_ERR_SEC_EXCESSIVE_CHAIN_LENGTH", c"excessive chain length"),
        CV2X_ERR_SEC_REVOKED => (c"CV2X_ERR_SEC_REVOKED", c"certificate revoked"),
        CV2X_ERR_SEC_CERTIFICATE_SIGNATURE_INVALID => (c"CV2X_ERR_SEC_CERTIFICATE_SIGNATURE_INVALID", c"certificate signature invalid"),
        CV2X_ERR_SEC_INVALID_PUBLIC_KEY => (c"CV2X_ERR_SEC_INVALID_PUBLIC_KEY", c"invalid public key"),
        CV2X_ERR_SEC_MESSAGE_SIGNATURE_INVALID => (c"CV2X_ERR_SEC_MESSAGE_SIGNATURE_INVALID", c"message signature invalid"),
        CV2X_ERR_SEC_SIGNING_FAILED => (c"CV2X_ERR_SEC_SIGNING_FAILED", c"signing failed"),
        CV2X_ERR_SEC_CONTENT_NOT_PERMITTED => (c"CV2X_ERR_SEC_CONTENT_NOT_PERMITTED", c"the signed AID does not permit this kind of message"),
        CV2X_ERR_SEC_UNSUPPORTED => (c"CV2X_ERR_SEC_UNSUPPORTED", c"the SPDU could not be verified (no finer reason given)"),
        CV2X_ERR_SEC_CHAIN_INVALID => (c"CV2X_ERR_SEC_CHAIN_INVALID", c"certificate chain invalid (no finer reason given)"),
        CV2X_ERR_SEC_OTHER => (c"CV2X_ERR_SEC_OTHER", c"verification failure of another kind"),
        CV2X_ERR_SEC_KEY_CERTIFICATE_MISMATCH => (c"CV2X_ERR_SEC_KEY_CERTIFICATE_MISMATCH", c"private key does not match the certificate"),
        CV2X_ERR_CRL_WRONG_PSID => (c"CV2X_ERR_CRL_WRONG_PSID", c"signed data is not a CRL (PSID 256)"),
        CV2X_ERR_CRL_CONTENTS_MALFORMED => (c"CV2X_ERR_CRL_CONTENTS_MALFORMED", c"CRL contents malformed"),
        CV2X_ERR_CRL_TYPE_UNSUPPORTED => (c"CV2X_ERR_CRL_TYPE_UNSUPPORTED", c"linkage-based CRLs are not supported"),
        CV2X_ERR_CRL_SIGNER_NOT_CRACA => (c"CV2X_ERR_CRL_SIGNER_NOT_CRACA", c"CRL signer is not its CRACA or issued by it"),
        CV2X_ERR_CRL_ISSUED_IN_FUTURE => (c"CV2X_ERR_CRL_ISSUED_IN_FUTURE", c"CRL issued in the future"),
        CV2X_ERR_CRL_NOT_NEWER => (c"CV2X_ERR_CRL_NOT_NEWER", c"CRL not newer than the one applied"),
        CV2X_ERR_CRL_TOO_MANY_SERIES => (c"CV2X_ERR_CRL_TOO_MANY_SERIES", c"too many CRL series"),
        CV2X_ERR_NET_TRUNCATED => (c"CV2X_ERR_NET_TRUNCATED", c"packet truncated"),
        CV2X_ERR_NET_TRAILING_BYTES => (c"CV2X_ERR_NET_TRAILING_BYTES", c"trailing bytes after the packet"),
        CV2X_ERR_NET_UNSUPPORTED_VERSION => (c"CV2X_ERR_NET_UNSUPPORTED_VERSION", c"unsupported DSMP version"),
        CV2X_ERR_NET_INVALID_AID_PREFIX => (c"CV2X_ERR_NET_INVALID_AID_PREFIX", c"invalid AID prefix octet"),
        CV2X_ERR_NET_AID_OUT_OF_RANGE => (c"CV2X_ERR_NET_AID_OUT_OF_RANGE", c"AID out of range"),
        CV2X_ERR_NET_UNKNOWN_AID => (c"CV2X_ERR_NET_UNKNOWN_AID", c"AID not in the dispatch table"),
        CV2X_ERR_NET_NOT_DSMP => (c"CV2X_ERR_NET_NOT_DSMP", c"adaptation-layer protocol type is not DSMP"),
        CV2X_ERR_NET_PAYLOAD_TOO_LONG => (c"CV2X_ERR_NET_PAYLOAD_TOO_LONG", c"payload exceeds 65535 octets"),
        CV2X_ERR_NET_EXTENSION_TOO_LONG => (c"CV2X_ERR_NET_EXTENSION_TOO_LONG", c"extension element exceeds 255 octets"),
        CV2X_ERR_NET_TOO_MANY_EXTENSIONS => (c"CV2X_ERR_NET_TOO_MANY_EXTENSIONS", c"more than 255 extension elements"),
        CV2X_ERR_NET_MALFORMED => (c"CV2X_ERR_NET_MALFORMED", c"malformed header field"),
        CV2X_ERR_NET_NOT_UDP => (c"CV2X_ERR_NET_NOT_UDP", c"IP packet is not UDP"),
        CV2X_ERR_NET_FRAGMENT => (c"CV2X_ERR_NET_FRAGMENT", c"IP fragment"),
        CV2X_ERR_NET_NOT_IP => (c"CV2X_ERR_NET_NOT_IP", c"link layer does not carry IP"),
        CV2X_ERR_NET_UNSUPPORTED_LINK_TYPE => (c"CV2X_ERR_NET_UNSUPPORTED_LINK_TYPE", c"unsupported capture link type"),
        CV2X_ERR_NET_ADDRESS_FAMILY_MISMATCH => (c"CV2X_ERR_NET_ADDRESS_FAMILY_MISMATCH", c"address families differ"),
        CV2X_ERR_NET_NO_DESTINATION => (c"CV2X_ERR_NET_NO_DESTINATION", c"no destination configured"),
        CV2X_ERR_NET_NO_SUCH_INTERFACE => (c"CV2X_ERR_NET_NO_SUCH_INTERFACE", c"no such network interface"),
        CV2X_ERR_NET_IO => (c"CV2X_ERR_NET_IO", c"I/O error"),
        CV2X_ERR_NET_CAPTURE => (c"CV2X_ERR_NET_CAPTURE", c"capture file error"),
        CV2X_ERR_EGO_REJECTED => (c"CV2X_ERR_EGO_REJECTED", c"ego state refused (no usable position or heading, or a value out of range)"),
        CV2X_ERR_TIME_WENT_BACKWARDS => (c"CV2X_ERR_TIME_WENT_BACKWARDS", c"time before the time of an earlier call"),
        CV2X_ERR_NO_HOST => (c"CV2X_ERR_NO_HOST", c"no host vehicle (cv2x_stack_set_host)"),
        CV2X_ERR_NO_TRANSMISSION => (c"CV2X_ERR_NO_TRANSMISSION", c"no message waiting to be sent"),
        CV2X_ERR_NO_LANE => (c"CV2X_ERR_NO_LANE", c"the ego is not matched to a lane"),
        CV2X_ERR_NO_WARNING => (c"CV2X_ERR_NO_WARNING", c"no active warning has this id"),
        CV2X_ERR_COMMAND_REFUSED => (c"CV2X_ERR_COMMAND_REFUSED", c"command refused: too many wait for the next poll"),
        _ => return None,
    })
}

/// The code of a UPER decode failure.
pub(crate) fn decode_kind(k: DecodeErrorKind) -> cv2x_result {
    match k {
        DecodeErrorKind::UnexpectedEnd => CV2X_ERR_CODEC_UNEXPECTED_END,
        DecodeErrorKind::IntegerOutOfRange => CV2X_ERR_CODEC_INTEGER_OUT_OF_RANGE,
        DecodeErrorKind::IntegerTooLarge => CV2X_ERR_CODEC_INTEGER_TOO_LARGE,
        DecodeErrorKind::SizeOutOfRange => CV2X_ERR_CODEC_SIZE_OUT_OF_RANGE,
        DecodeErrorKind::LengthExceedsInput => CV2X_ERR_CODEC_LENGTH_EXCEEDS_INPUT,
        DecodeErrorKind::InvalidChoiceIndex => CV2X_ERR_CODEC_INVALID_CHOICE_INDEX,
        DecodeErrorKind::InvalidEnumIndex => CV2X_ERR_CODEC_INVALID_ENUM_INDEX,
        DecodeErrorKind::InvalidCharacter => CV2X_ERR_CODEC_INVALID_CHARACTER,
        DecodeErrorKind::TrailingBits => CV2X_ERR_CODEC_TRAILING_BITS,
        DecodeErrorKind::InvalidOpenType => CV2X_ERR_CODEC_INVALID_OPEN_TYPE,
        DecodeErrorKind::InvalidExtension => CV2X_ERR_CODEC_INVALID_EXTENSION,
        DecodeErrorKind::InvalidFragmentation => CV2X_ERR_CODEC_INVALID_FRAGMENTATION,
        // non_exhaustive: a kind added to the core after this table
        _ => CV2X_ERR_CODEC_OTHER,
    }
}

/// The code of a UPER encode failure.
pub(crate) fn encode_kind(k: EncodeErrorKind) -> cv2x_result {
    match k {
        EncodeErrorKind::IntegerOutOfRange => CV2X_ERR_ENCODE_INTEGER_OUT_OF_RANGE,
        EncodeErrorKind::SizeOutOfRange => CV2X_ERR_ENCODE_SIZE_OUT_OF_RANGE,
        EncodeErrorKind::InvalidCharacter => CV2X_ERR_ENCODE_INVALID_CHARACTER,
        EncodeErrorKind::BufferTooSmall => CV2X_ERR_BUFFER_TOO_SMALL,
        EncodeErrorKind::Unrepresentable => CV2X_ERR_ENCODE_UNREPRESENTABLE,
        // non_exhaustive: a kind added to the core after this table
        _ => CV2X_ERR_CODEC_OTHER,
    }
}

/// The code of a JER failure.
pub(crate) fn jer_kind(k: JerErrorKind) -> cv2x_result {
    match k {
        JerErrorKind::WrongJsonType => CV2X_ERR_JER_WRONG_JSON_TYPE,
        JerErrorKind::MissingMember => CV2X_ERR_JER_MISSING_MEMBER,
        JerErrorKind::UnknownMember => CV2X_ERR_JER_UNKNOWN_MEMBER,
        JerErrorKind::BadChoice => CV2X_ERR_JER_BAD_CHOICE,
        JerErrorKind::UnknownEnumValue => CV2X_ERR_JER_UNKNOWN_ENUM_VALUE,
        JerErrorKind::OutOfRange => CV2X_ERR_JER_OUT_OF_RANGE,
        JerErrorKind::SizeOutOfRange => CV2X_ERR_JER_SIZE_OUT_OF_RANGE,
        JerErrorKind::BadHex => CV2X_ERR_JER_BAD_HEX,
        JerErrorKind::InvalidCharacter => CV2X_ERR_JER_INVALID_CHARACTER,
        JerErrorKind::BadOpenType => CV2X_ERR_JER_BAD_OPEN_TYPE,
        // non_exhaustive: a kind added to the core after this table
        _ => CV2X_ERR_CODEC_OTHER,
    }
}

/// The code of a security failure.
pub(crate) fn security(e: &SecurityError) -> cv2x_result {
    match e {
        SecurityError::Malformed { .. } => CV2X_ERR_SEC_MALFORMED,
        SecurityError::Unsigned => CV2X_ERR_SEC_UNSIGNED,
        SecurityError::IncompatibleProtocol(_) => CV2X_ERR_SEC_INCOMPATIBLE_PROTOCOL,
        SecurityError::UnsupportedAlgorithm => CV2X_ERR_SEC_UNSUPPORTED_ALGORITHM,
        SecurityError::UnsupportedSignerType => CV2X_ERR_SEC_UNSUPPORTED_SIGNER_TYPE,
        SecurityError::UnsupportedPayload => CV2X_ERR_SEC_UNSUPPORTED_PAYLOAD,
        SecurityError::ImplicitCertificate => CV2X_ERR_SEC_IMPLICIT_CERTIFICATE,
        SecurityError::AidNotPermitted(_) => CV2X_ERR_SEC_AID_NOT_PERMITTED,
        SecurityError::SspMismatch(_) => CV2X_ERR_SEC_SSP_MISMATCH,
        SecurityError::GenerationTimeMissing => CV2X_ERR_SEC_GENERATION_TIME_MISSING,
        SecurityError::GenerationTimeInFuture => CV2X_ERR_SEC_GENERATION_TIME_IN_FUTURE,
        SecurityError::GenerationTimeTooOld => CV2X_ERR_SEC_GENERATION_TIME_TOO_OLD,
        SecurityError::Expired => CV2X_ERR_SEC_EXPIRED,
        SecurityError::CertificateExpired => CV2X_ERR_SEC_CERTIFICATE_EXPIRED,
        SecurityError::CertificateNotYetValid => CV2X_ERR_SEC_CERTIFICATE_NOT_YET_VALID,
        SecurityError::Duplicate => CV2X_ERR_SEC_DUPLICATE,
        SecurityError::LocationOutsideRegion => CV2X_ERR_SEC_LOCATION_OUTSIDE_REGION,
        SecurityError::LocationMissing => CV2X_ERR_SEC_LOCATION_MISSING,
        SecurityError::SignerNotFound => CV2X_ERR_SEC_SIGNER_NOT_FOUND,
        SecurityError::UnknownIssuer => CV2X_ERR_SEC_UNKNOWN_ISSUER,
        SecurityError::IssuerNotPermitted => CV2X_ERR_SEC_ISSUER_NOT_PERMITTED,
        SecurityError::ValidityNotInsideIssuer => CV2X_ERR_SEC_VALIDITY_NOT_INSIDE_ISSUER,
        SecurityError::RegionNotInsideIssuer => CV2X_ERR_SEC_REGION_NOT_INSIDE_ISSUER,
        SecurityError::ExcessiveChainLength => CV2X_ERR_SEC_EXCESSIVE_CHAIN_LENGTH,
        SecurityError::Revoked => CV2X_ERR_SEC_REVOKED,
        SecurityError::CertificateSignatureInvalid => CV2X_ERR_SEC_CERTIFICATE_SIGNATURE_INVALID,
        SecurityError::InvalidPublicKey => CV2X_ERR_SEC_INVALID_PUBLIC_KEY,
        SecurityError::MessageSignatureInvalid => CV2X_ERR_SEC_MESSAGE_SIGNATURE_INVALID,
        SecurityError::SigningFailed => CV2X_ERR_SEC_SIGNING_FAILED,
    }
}

/// The code of a stack verification failure (the reason of a `CV2X_DROP_VERIFY` drop): the
/// security code of the same check, one per variant.
pub(crate) fn verify_failure(f: &VerifyFailure) -> cv2x_result {
    match f {
        VerifyFailure::Malformed => CV2X_ERR_SEC_MALFORMED,
        VerifyFailure::Unsupported => CV2X_ERR_SEC_UNSUPPORTED,
        VerifyFailure::IncompatibleProtocol => CV2X_ERR_SEC_INCOMPATIBLE_PROTOCOL,
        VerifyFailure::UnsupportedAlgorithm => CV2X_ERR_SEC_UNSUPPORTED_ALGORITHM,
        VerifyFailure::UnsupportedSignerType => CV2X_ERR_SEC_UNSUPPORTED_SIGNER_TYPE,
        VerifyFailure::UnsupportedPayload => CV2X_ERR_SEC_UNSUPPORTED_PAYLOAD,
        VerifyFailure::Unsigned => CV2X_ERR_SEC_UNSIGNED,
        VerifyFailure::UnknownSigner => CV2X_ERR_SEC_SIGNER_NOT_FOUND,
        VerifyFailure::ChainInvalid => CV2X_ERR_SEC_CHAIN_INVALID,
        VerifyFailure::UnknownIssuer => CV2X_ERR_SEC_UNKNOWN_ISSUER,
        VerifyFailure::IssuerNotPermitted => CV2X_ERR_SEC_ISSUER_NOT_PERMITTED,
        VerifyFailure::ValidityNotInsideIssuer => CV2X_ERR_SEC_VALIDITY_NOT_INSIDE_ISSUER,
        VerifyFailure::RegionNotInsideIssuer => CV2X_ERR_SEC_REGION_NOT_INSIDE_ISSUER,
        VerifyFailure::ExcessiveChainLength => CV2X_ERR_SEC_EXCESSIVE_CHAIN_LENGTH,
        VerifyFailure::CertificateSignatureInvalid => CV2X_ERR_SEC_CERTIFICATE_SIGNATURE_INVALID,
        VerifyFailure::ImplicitCertificate => CV2X_ERR_SEC_IMPLICIT_CERTIFICATE,
        VerifyFailure::InvalidPublicKey => CV2X_ERR_SEC_INVALID_PUBLIC_KEY,
        VerifyFailure::CertificateExpired => CV2X_ERR_SEC_CERTIFICATE_EXPIRED,
        VerifyFailure::CertificateNotYetValid => CV2X_ERR_SEC_CERTIFICATE_NOT_YET_VALID,
        VerifyFailure::Revoked => CV2X_ERR_SEC_REVOKED,
        VerifyFailure::GenerationTimeMissing => CV2X_ERR_SEC_GENERATION_TIME_MISSING,
        VerifyFailure::TooOld => CV2X_ERR_SEC_GENERATION_TIME_TOO_OLD,
        VerifyFailure::FromFuture => CV2X_ERR_SEC_GENERATION_TIME_IN_FUTURE,
        VerifyFailure::Expired => CV2X_ERR_SEC_EXPIRED,
        VerifyFailure::Replay => CV2X_ERR_SEC_DUPLICATE,
        VerifyFailure::AidNotPermitted => CV2X_ERR_SEC_AID_NOT_PERMITTED,
        VerifyFailure::SspMismatch => CV2X_ERR_SEC_SSP_MISMATCH,
        VerifyFailure::ContentNotPermitted => CV2X_ERR_SEC_CONTENT_NOT_PERMITTED,
        VerifyFailure::RegionNotPermitted => CV2X_ERR_SEC_LOCATION_OUTSIDE_REGION,
        VerifyFailure::LocationMissing => CV2X_ERR_SEC_LOCATION_MISSING,
        VerifyFailure::BadSignature => CV2X_ERR_SEC_MESSAGE_SIGNATURE_INVALID,
        VerifyFailure::Other(_) => CV2X_ERR_SEC_OTHER,
        // non_exhaustive: a failure added to the core after this table
        _ => CV2X_ERR_SEC_OTHER,
    }
}

/// The code of a signed-CRL failure (a failed signature check gives the security code).
pub(crate) fn crl(e: &CrlError) -> cv2x_result {
    match e {
        CrlError::Verification(e) => security(e),
        CrlError::NotCrl(_) => CV2X_ERR_CRL_WRONG_PSID,
        CrlError::Contents(_) => CV2X_ERR_CRL_CONTENTS_MALFORMED,
        CrlError::UnsupportedType => CV2X_ERR_CRL_TYPE_UNSUPPORTED,
        CrlError::SignerNotCraca => CV2X_ERR_CRL_SIGNER_NOT_CRACA,
        CrlError::IssuedInFuture => CV2X_ERR_CRL_ISSUED_IN_FUTURE,
        CrlError::NotNewer => CV2X_ERR_CRL_NOT_NEWER,
        CrlError::TooManySeries => CV2X_ERR_CRL_TOO_MANY_SERIES,
    }
}

/// The code of a network-layer failure.
pub(crate) fn net(e: &net::Error) -> cv2x_result {
    match e {
        net::Error::Truncated(_) => CV2X_ERR_NET_TRUNCATED,
        net::Error::TrailingBytes { .. } => CV2X_ERR_NET_TRAILING_BYTES,
        net::Error::UnsupportedVersion(_) => CV2X_ERR_NET_UNSUPPORTED_VERSION,
        net::Error::InvalidAidPrefix(_) => CV2X_ERR_NET_INVALID_AID_PREFIX,
        net::Error::AidOutOfRange(_) => CV2X_ERR_NET_AID_OUT_OF_RANGE,
        net::Error::UnknownAid(_) => CV2X_ERR_NET_UNKNOWN_AID,
        net::Error::NotDsmp(_) => CV2X_ERR_NET_NOT_DSMP,
        net::Error::PayloadTooLong(_) => CV2X_ERR_NET_PAYLOAD_TOO_LONG,
        net::Error::ExtensionTooLong(_) => CV2X_ERR_NET_EXTENSION_TOO_LONG,
        net::Error::TooManyExtensions(_) => CV2X_ERR_NET_TOO_MANY_EXTENSIONS,
        net::Error::BufferTooSmall { .. } => CV2X_ERR_BUFFER_TOO_SMALL,
        net::Error::Malformed(_) => CV2X_ERR_NET_MALFORMED,
        net::Error::NotUdp(_) => CV2X_ERR_NET_NOT_UDP,
        net::Error::Fragment => CV2X_ERR_NET_FRAGMENT,
        net::Error::NotIp(_) => CV2X_ERR_NET_NOT_IP,
        net::Error::UnsupportedLinkType(_) => CV2X_ERR_NET_UNSUPPORTED_LINK_TYPE,
        net::Error::AddressFamilyMismatch => CV2X_ERR_NET_ADDRESS_FAMILY_MISMATCH,
        net::Error::NoDestination => CV2X_ERR_NET_NO_DESTINATION,
        net::Error::NoSuchInterface => CV2X_ERR_NET_NO_SUCH_INTERFACE,
        net::Error::Io(_) => CV2X_ERR_NET_IO,
        net::Error::Capture(_) => CV2X_ERR_NET_CAPTURE,
    }
}

/// The name of a result code (`"CV2X_ERR_SEC_REVOKED"`), a static NUL-terminated string;
/// `"CV2X_UNKNOWN"` for a number that is not a code. Thread-safe; never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_result_name(code: cv2x_result) -> *const c_char {
    ffi!({
        describe(code)
            .map(|(n, _)| n)
            .unwrap_or(c"CV2X_UNKNOWN")
            .as_ptr()
    })
}

/// A one-line English description of a result code, a static NUL-terminated string
/// (`"unknown result code"` for a number that is not a code). Thread-safe; never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_strerror(code: cv2x_result) -> *const c_char {
    ffi!({
        describe(code)
            .map(|(_, m)| m)
            .unwrap_or(c"unknown result code")
            .as_ptr()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `pub const CV2X_...: cv2x_result = N;` of this file has its own number and a table
    /// entry whose name is the constant's name, within the range of its layer.
    #[test]
    fn every_code_is_named_once_and_in_its_range() {
        let src = include_str!("result.rs");
        let mut seen = std::collections::BTreeMap::new();
        for line in src.lines() {
            let Some(rest) = line.strip_prefix("pub const ") else {
                continue;
            };
            let Some((name, value)) = rest.split_once(": cv2x_result = ") else {
                continue;
            };
            let n: u32 = value.trim_end_matches(';').parse().unwrap();
            if name == "CV2X_ERR_STACK_FIRST" || name == "CV2X_ERR_STACK_LAST" {
                continue;
            }
            assert!(seen.insert(n, name).is_none(), "{name}: {n} used twice");
            let (tname, _) = describe(n).unwrap_or_else(|| panic!("{name} has no entry"));
            assert_eq!(tname.to_str().unwrap(), name);
            let layer_ok = match name {
                n if n.starts_with("CV2X_ERR_CODEC")
                    || n.starts_with("CV2X_ERR_ENCODE")
                    || n.starts_with("CV2X_ERR_JER")
                    || n == "CV2X_ERR_UNKNOWN_TYPE" =>
                {
                    (100..200).contains(&value_of(value))
                }
                n if n.starts_with("CV2X_ERR_SEC") => (200..240).contains(&value_of(value)),
                n if n.starts_with("CV2X_ERR_CRL") => (240..300).contains(&value_of(value)),
                n if n.starts_with("CV2X_ERR_NET") => (300..400).contains(&value_of(value)),
                n if STACK_CODES.contains(&n) => (400..500).contains(&value_of(value)),
                _ => (0..100).contains(&value_of(value)),
            };
            assert!(layer_ok, "{name} = {n} outside its layer's range");
        }
        assert!(seen.len() > 90);
        for n in 0..1000 {
            if describe(n).is_some() {
                assert!(seen.contains_key(&n), "table entry {n} has no constant");
            }
        }
    }

    const STACK_CODES: [&str; 7] = [
        "CV2X_ERR_EGO_REJECTED",
        "CV2X_ERR_TIME_WENT_BACKWARDS",
        "CV2X_ERR_NO_HOST",
        "CV2X_ERR_NO_TRANSMISSION",
        "CV2X_ERR_NO_LANE",
        "CV2X_ERR_NO_WARNING",
        "CV2X_ERR_COMMAND_REFUSED",
    ];

    #[test]
    fn stack_verify_failures_have_the_security_code_of_the_same_check() {
        use VerifyFailure as F;
        let all = [
            F::Malformed,
            F::Unsupported,
            F::IncompatibleProtocol,
            F::UnsupportedAlgorithm,
            F::UnsupportedSignerType,
            F::UnsupportedPayload,
            F::Unsigned,
            F::UnknownSigner,
            F::ChainInvalid,
            F::UnknownIssuer,
            F::IssuerNotPermitted,
            F::ValidityNotInsideIssuer,
            F::RegionNotInsideIssuer,
            F::ExcessiveChainLength,
            F::CertificateSignatureInvalid,
            F::ImplicitCertificate,
            F::InvalidPublicKey,
            F::CertificateExpired,
            F::CertificateNotYetValid,
            F::Revoked,
            F::GenerationTimeMissing,
            F::TooOld,
            F::FromFuture,
            F::Expired,
            F::Replay,
            F::AidNotPermitted,
            F::SspMismatch,
            F::ContentNotPermitted,
            F::RegionNotPermitted,
            F::LocationMissing,
            F::BadSignature,
        ];
        let mut seen = std::collections::BTreeSet::new();
        for f in all {
            let code = verify_failure(&f);
            assert!(seen.insert(code), "{f:?}: code used twice");
            let (name, _) = describe(code).unwrap();
            let want = match f {
                F::ImplicitCertificate => "CV2X_ERR_SEC_IMPLICIT_CERTIFICATE".to_string(),
                _ => format!("CV2X_ERR_SEC_{}", f.code().to_uppercase()),
            };
            assert_eq!(name.to_str().unwrap(), want, "{f:?}");
        }
        assert_eq!(verify_failure(&F::Other(7)), CV2X_ERR_SEC_OTHER);
    }

    fn value_of(v: &str) -> u32 {
        v.trim_end_matches(';').parse().unwrap()
    }

    #[test]
    fn codec_tables_cover_every_known_kind() {
        use DecodeErrorKind as D;
        for k in [
            D::UnexpectedEnd,
            D::IntegerOutOfRange,
            D::IntegerTooLarge,
            D::SizeOutOfRange,
            D::LengthExceedsInput,
            D::InvalidChoiceIndex,
            D::InvalidEnumIndex,
            D::InvalidCharacter,
            D::TrailingBits,
            D::InvalidOpenType,
            D::InvalidExtension,
            D::InvalidFragmentation,
        ] {
            assert_ne!(decode_kind(k), CV2X_ERR_CODEC_OTHER, "{k:?}");
        }
        use EncodeErrorKind as E;
        for k in [
            E::IntegerOutOfRange,
            E::SizeOutOfRange,
            E::InvalidCharacter,
            E::BufferTooSmall,
            E::Unrepresentable,
        ] {
            assert_ne!(encode_kind(k), CV2X_ERR_CODEC_OTHER, "{k:?}");
        }
        use JerErrorKind as J;
        for k in [
            J::WrongJsonType,
            J::MissingMember,
            J::UnknownMember,
            J::BadChoice,
            J::UnknownEnumValue,
            J::OutOfRange,
            J::SizeOutOfRange,
            J::BadHex,
            J::InvalidCharacter,
            J::BadOpenType,
        ] {
            assert_ne!(jer_kind(k), CV2X_ERR_CODEC_OTHER, "{k:?}");
        }
    }

    #[test]
    fn security_codes_follow_the_core_names() {
        // The C name is the core's snake_case code, upper-cased, with a CV2X_ERR_SEC_ prefix
        // (one exception: the core says implicit_certificate_unsupported).
        let all = [
            SecurityError::Malformed {
                offset: 0,
                kind: cv2x::security::MalformedKind::Truncated,
            },
            SecurityError::Unsigned,
            SecurityError::IncompatibleProtocol(2),
            SecurityError::UnsupportedAlgorithm,
            SecurityError::UnsupportedSignerType,
            SecurityError::UnsupportedPayload,
            SecurityError::AidNotPermitted(1),
            SecurityError::SspMismatch(1),
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
        for e in all {
            let (name, _) = describe(security(&e)).unwrap();
            let want = format!("CV2X_ERR_SEC_{}", e.code().to_uppercase());
            assert_eq!(name.to_str().unwrap(), want);
        }
        let (name, _) = describe(security(&SecurityError::ImplicitCertificate)).unwrap();
        assert_eq!(name.to_str().unwrap(), "CV2X_ERR_SEC_IMPLICIT_CERTIFICATE");
    }
}
