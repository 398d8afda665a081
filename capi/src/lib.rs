//! # cv2x C ABI
//!
//! `libcv2x.a` / `libcv2x.so.1` and the header `include/cv2x.h` (generated from this crate by
//! cbindgen, checked in). Every `unsafe` line and every `extern "C"` function of the project is
//! here; the core crate `cv2x` forbids unsafe code.
//!
//! Conventions (the header repeats them for C readers):
//! - every fallible function returns a `cv2x_result` (`CV2X_OK` = 0); outputs go through
//!   out-parameters written only on success; byte output is `(out, cap, out_len)` and
//!   `CV2X_ERR_BUFFER_TOO_SMALL` writes the size needed to `*out_len`;
//! - enumeration parameters are `uint32_t`, validated; structs hold fixed-width integers
//!   only, counts as `uint32_t`, optional fields flagged in a `present` bitmask;
//! - handles: `cv2x_x_new(.., &out)` / `cv2x_x_free(x)` (NULL is a no-op);
//! - time: `int64_t` TAI microseconds since 2004-01-01 (IEEE 1609.2 Time64);
//! - panics never cross the boundary (`boundary`); the handle in use is poisoned.
//!
//! Thread safety, per type: free functions and `cv2x_frame` (immutable once decoded) are
//! thread-safe; `cv2x_stack`, `cv2x_verifier`, `cv2x_signer`, `cv2x_pseudonym_pool` and
//! `cv2x_dispatcher` need one call at a time (a second concurrent or re-entrant call gets
//! `CV2X_ERR_REENTRANT`, never a data race) and may move between threads. Callbacks run
//! synchronously on the calling thread.

#![allow(non_camel_case_types)]
// The exports take raw pointers from C and check them; marking them `unsafe fn` would only
// move the same checks to every Rust test that calls them.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

#[cfg(panic = "abort")]
compile_error!(
    "cv2x-capi catches panics at the C boundary: build it with panic = \"unwind\" (the default)"
);

pub(crate) mod boundary;
pub mod codec;
pub mod net;
pub mod result;
pub mod security;
pub mod stack;
#[cfg(feature = "test-panic")]
pub mod testing;

use std::ffi::c_char;

use boundary::ffi;
use result::cv2x_result;

/// Major version of the C ABI: programs built against another major do not run with this
/// library (it is the number in the SONAME, `libcv2x.so.1`).
pub const CV2X_ABI_VERSION_MAJOR: u32 = 1;
/// Minor version of the C ABI: grows when functions, constants or struct fields (in reserved
/// room) are added; a program built against minor N runs with any library of minor >= N.
pub const CV2X_ABI_VERSION_MINOR: u32 = 1;

/// Feature bit: the codec (UPER and JER, every message of the supported standards).
pub const CV2X_FEATURE_CODEC: u32 = 1;
/// Feature bit: IEEE 1609.2 / GB/T 45112 security (verifier, signer, CRLs).
pub const CV2X_FEATURE_SECURITY: u32 = 2;
/// Feature bit: the fast SM2 verifier.
pub const CV2X_FEATURE_SM2_FAST: u32 = 4;
/// Feature bit: DSMP and the AID dispatcher.
pub const CV2X_FEATURE_NET: u32 = 8;
/// Feature bit: the stack (`cv2x_stack_*`: fusion, warning applications, host vehicle).
pub const CV2X_FEATURE_STACK: u32 = 16;
/// Feature bit: the test-only exports that force a panic (never in a release build).
pub const CV2X_FEATURE_TEST_PANIC: u32 = 0x1_0000;

/// The library version, a static NUL-terminated string such as `"0.1.0"` (the version of the
/// cv2x core). Thread-safe; never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_version() -> *const c_char {
    ffi!({
        static VERSION: std::sync::OnceLock<std::ffi::CString> = std::sync::OnceLock::new();
        VERSION
            .get_or_init(|| std::ffi::CString::new(cv2x::VERSION).unwrap_or_default())
            .as_ptr()
    })
}

/// The C ABI version of the library: `(major << 16) | minor`. Compare the major with
/// `CV2X_ABI_VERSION_MAJOR` and the minor with `CV2X_ABI_VERSION_MINOR` of the header you
/// compiled with. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_abi_version() -> u32 {
    ffi!(panic = 0, {
        (CV2X_ABI_VERSION_MAJOR << 16) | CV2X_ABI_VERSION_MINOR
    })
}

/// The `CV2X_FEATURE_*` bits this build has. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_features() -> u32 {
    ffi!(panic = 0, {
        let mut f = CV2X_FEATURE_CODEC
            | CV2X_FEATURE_SECURITY
            | CV2X_FEATURE_SM2_FAST
            | CV2X_FEATURE_NET
            | CV2X_FEATURE_STACK;
        if cfg!(feature = "test-panic") {
            f |= CV2X_FEATURE_TEST_PANIC;
        }
        f
    })
}

/// TAI microseconds since 2004-01-01 (a `now` for this API) from Unix time in UTC
/// milliseconds, leap seconds applied. Saturates at the ends of the range. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_time_from_unix_utc_ms(unix_ms: i64) -> i64 {
    ffi!(panic = 0, {
        cv2x::time::Timestamp::from_unix_utc_millis(unix_ms).as_micros()
    })
}

/// Unix time in UTC milliseconds from TAI microseconds since 2004 (leap seconds removed;
/// during an inserted leap second the previous UTC second repeats). Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_time_to_unix_utc_ms(tai_us: i64) -> i64 {
    ffi!(panic = 0, {
        cv2x::time::Timestamp::from_micros(tai_us).to_unix_utc_millis()
    })
}

/// Checks that a caller's config struct is at least `frozen` bytes (its first version) and
/// returns the number of bytes to read from it (at most `ours`).
pub(crate) fn config_len(
    struct_size: u32,
    frozen: usize,
    ours: usize,
) -> Result<usize, cv2x_result> {
    let n = struct_size as usize;
    if n < frozen {
        Err(result::CV2X_ERR_STRUCT_SIZE)
    } else {
        Ok(n.min(ours))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_strings_match_the_crates() {
        // SAFETY: static NUL-terminated strings.
        let v = unsafe { std::ffi::CStr::from_ptr(cv2x_version()) };
        assert_eq!(v.to_str().unwrap(), cv2x::VERSION);
        assert_eq!(
            env!("CARGO_PKG_VERSION_MAJOR").parse::<u32>().unwrap(),
            CV2X_ABI_VERSION_MAJOR
        );
        assert_eq!(
            env!("CARGO_PKG_VERSION_MINOR").parse::<u32>().unwrap(),
            CV2X_ABI_VERSION_MINOR
        );
        assert_eq!(cv2x_abi_version() >> 16, CV2X_ABI_VERSION_MAJOR);
    }

    #[test]
    fn time_converters_apply_the_leap_seconds() {
        // 2020-01-01T00:00:00Z: 16 years after the epoch, 5 leap seconds in between.
        let unix_ms = 1_577_836_800_000;
        let tai = cv2x_time_from_unix_utc_ms(unix_ms);
        assert_eq!(tai, (1_577_836_800 - 1_072_915_200 + 5) * 1_000_000);
        assert_eq!(cv2x_time_to_unix_utc_ms(tai), unix_ms);
    }
}
