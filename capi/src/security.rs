//! Security: `cv2x_verifier` (trust anchors, certificates, revocation, CRLs, verify reports),
//! `cv2x_signer` (software key), a callback crypto backend for security chips / HSMs, and the
//! software primitives an HSM shim can fall back to.

use std::cell::Cell;
use std::ffi::c_void;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use cv2x::security::SecurityError;
use cv2x::security::cert::Signature;
use cv2x::security::cert::{CurvePoint, KeyAlg};
use cv2x::security::crypto::{Backend, SoftwareBackend, SoftwareKey};
use cv2x::security::error::Result as SecResult;
use cv2x::security::sign::{PrivateKey, SignerMode, SigningBackend, SpduSigner};
use cv2x::security::store::Crl;
use cv2x::security::verify::{ChainStatus, Config, Report, Verifier};
use cv2x::time::Timestamp;

use crate::boundary::{
    Exclusive, deref, deref_mut, ffi, free_raw, into_raw, slice, tri, write_bytes,
};
use crate::config_len;
use crate::result::*;

// ---------------------------------------------------------------------------------------------
// Verifier config

/// `cv2x_verifier_config.flags`: reject messages without a generation time (default on).
pub const CV2X_VERIFY_REQUIRE_GENERATION_TIME: u32 = 1 << 0;
/// `cv2x_verifier_config.flags`: reject messages without a generation location.
pub const CV2X_VERIFY_REQUIRE_GENERATION_LOCATION: u32 = 1 << 1;
/// `cv2x_verifier_config.flags`: keep checking after the first failure so that the report says
/// whether the signature is valid whatever else failed (the result stays the first failure).
pub const CV2X_VERIFY_DIAGNOSE: u32 = 1 << 2;
const VERIFY_FLAGS: u32 = (1 << 3) - 1;

/// Most AIDs in `cv2x_verifier_config.accepted_aids`.
pub const CV2X_MAX_ACCEPTED_AIDS: usize = 16;
/// Largest cache or window size a config may ask for.
pub const CV2X_MAX_CACHE_CAPACITY: u32 = 1 << 20;

/// Verifier policy and cache sizes. Fill it with `cv2x_verifier_config_default`, then change
/// what you need. `struct_size` must be set (the default does it): the library reads only the
/// fields that fit in it and defaults the rest.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct cv2x_verifier_config {
    /// `sizeof(cv2x_verifier_config)` of the caller.
    pub struct_size: u32,
    /// `CV2X_VERIFY_*` bits.
    pub flags: u32,
    /// How far the generation time may lie ahead of `now`, µs (default 2 s).
    pub max_future_us: i64,
    /// How far the generation time may lie behind `now`, µs (default 10 s; also the replay
    /// window).
    pub max_age_us: i64,
    /// Least interval between two certificate requests for one unknown signer, µs.
    pub cert_request_interval_us: i64,
    /// Most certificates in a chain, signer to anchor inclusive (1..255, default 5).
    pub max_chain_length: u32,
    /// Verified-certificate cache size (1..`CV2X_MAX_CACHE_CAPACITY`).
    pub cert_cache_capacity: u32,
    /// Unverified-certificate pool size.
    pub pool_capacity: u32,
    /// Unknown-signer (negative) cache size.
    pub unknown_cache_capacity: u32,
    /// Replay window size (messages).
    pub replay_capacity: u32,
    /// Number of AIDs in `accepted_aids` (0: any AID the signer is permitted).
    pub accepted_aid_count: u32,
    /// The AIDs (PSIDs) accepted.
    pub accepted_aids: [u64; CV2X_MAX_ACCEPTED_AIDS],
}

/// Frozen size of the first version of `cv2x_verifier_config`.
pub const CV2X_VERIFIER_CONFIG_SIZE_V1: usize = 184;
const _: () = assert!(std::mem::size_of::<cv2x_verifier_config>() == CV2X_VERIFIER_CONFIG_SIZE_V1);

fn default_config() -> cv2x_verifier_config {
    let c = Config::default();
    let u = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    let mut flags = 0;
    if c.require_generation_time {
        flags |= CV2X_VERIFY_REQUIRE_GENERATION_TIME;
    }
    if c.require_generation_location {
        flags |= CV2X_VERIFY_REQUIRE_GENERATION_LOCATION;
    }
    if c.diagnose {
        flags |= CV2X_VERIFY_DIAGNOSE;
    }
    cv2x_verifier_config {
        struct_size: CV2X_VERIFIER_CONFIG_SIZE_V1 as u32,
        flags,
        max_future_us: c.max_future_us,
        max_age_us: c.max_age_us,
        cert_request_interval_us: c.cert_request_interval_us,
        max_chain_length: u32::from(c.max_chain_length),
        cert_cache_capacity: u(c.cert_cache_capacity),
        pool_capacity: u(c.pool_capacity),
        unknown_cache_capacity: u(c.unknown_cache_capacity),
        replay_capacity: u(c.replay_capacity),
        accepted_aid_count: 0,
        accepted_aids: [0; CV2X_MAX_ACCEPTED_AIDS],
    }
}

/// Reads a caller's config (any `struct_size` from the frozen first version up).
fn read_config(p: *const cv2x_verifier_config) -> Result<Config, cv2x_result> {
    let mut c = default_config();
    if !p.is_null() {
        // SAFETY: non-null; `struct_size` is the first field of every version.
        let size = unsafe { p.cast::<u32>().read_unaligned() };
        let n = config_len(
            size,
            CV2X_VERIFIER_CONFIG_SIZE_V1,
            std::mem::size_of::<cv2x_verifier_config>(),
        )?;
        // SAFETY: the caller's struct has `size >= n` readable bytes; copying bytes into a
        // struct of integers makes a valid value whatever they are.
        unsafe {
            std::ptr::copy_nonoverlapping(p.cast::<u8>(), (&raw mut c).cast::<u8>(), n);
        }
    }
    if c.flags & !VERIFY_FLAGS != 0
        || c.max_future_us < 0
        || c.max_age_us < 0
        || c.cert_request_interval_us < 0
        || !(1..=255).contains(&c.max_chain_length)
        || c.accepted_aid_count as usize > CV2X_MAX_ACCEPTED_AIDS
    {
        return Err(CV2X_ERR_INVALID_PARAMETER);
    }
    let cap = |v: u32| {
        if (1..=CV2X_MAX_CACHE_CAPACITY).contains(&v) {
            Ok(v as usize)
        } else {
            Err(CV2X_ERR_INVALID_PARAMETER)
        }
    };
    Ok(Config {
        max_future_us: c.max_future_us,
        max_age_us: c.max_age_us,
        require_generation_time: c.flags & CV2X_VERIFY_REQUIRE_GENERATION_TIME != 0,
        require_generation_location: c.flags & CV2X_VERIFY_REQUIRE_GENERATION_LOCATION != 0,
        accepted_aids: c
            .accepted_aids
            .iter()
            .take(c.accepted_aid_count as usize)
            .copied()
            .collect(),
        ssp_rules: Vec::new(),
        max_chain_length: u8::try_from(c.max_chain_length)
            .map_err(|_| CV2X_ERR_INVALID_PARAMETER)?,
        cert_cache_capacity: cap(c.cert_cache_capacity)?,
        pool_capacity: cap(c.pool_capacity)?,
        unknown_cache_capacity: cap(c.unknown_cache_capacity)?,
        cert_request_interval_us: c.cert_request_interval_us,
        replay_capacity: cap(c.replay_capacity)?,
        diagnose: c.flags & CV2X_VERIFY_DIAGNOSE != 0,
        ..Config::default()
    })
}

/// Writes the default verifier config to `*out` (`struct_size` included). Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_verifier_config_default(out: *mut cv2x_verifier_config) -> cv2x_result {
    ffi!({
        *deref_mut!(out) = default_config();
        CV2X_OK
    })
}

// ---------------------------------------------------------------------------------------------
// Callback backend

/// `alg` of `cv2x_crypto_backend.prepare_key` and `cv2x_signer_new`: ECDSA over NIST P-256.
pub const CV2X_KEY_ALG_ECDSA_P256: u32 = 1;
/// `alg`: SM2.
pub const CV2X_KEY_ALG_SM2: u32 = 2;

/// A crypto backend in C: a security chip or HSM doing the verification cryptography.
///
/// Every callback is optional: a NULL one is done in software by the library. Each returns
/// `CV2X_OK` (0) on success; any other value makes the verifier call that invoked it fail with
/// `CV2X_ERR_CALLBACK` (the verdict would not be trustworthy), except that `prepare_key` may
/// return `CV2X_ERR_SEC_INVALID_PUBLIC_KEY` to reject a key (the certificate then fails with
/// that code). Callbacks run synchronously on the thread that called the verifier, inside that
/// call (so on any thread the verifier is used from, one call at a time): calling back into the
/// same verifier returns `CV2X_ERR_REENTRANT`. `user_data` is
/// passed back unchanged; the library never frees it. A callback must return normally: no
/// `longjmp` out of it and no C++ exception through it.
///
/// The digests follow IEEE 1609.2 / GB/T 45112: `verify_p256` gets the 64-octet
/// SHA-256(tbs) ‖ SHA-256(signer certificate) that ECDSA hashes once more with SHA-256;
/// `verify_sm2` gets e = SM3(Z_A ‖ tbs), already hashed.
///
/// After a call failed with `CV2X_ERR_CALLBACK`, certificates verified during that call may be
/// cached with values computed from the failed result: the verifier then rejects (never
/// accepts) messages of those signers until their cache entries go. Free and recreate a
/// verifier whose backend failed to start from a clean state.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct cv2x_crypto_backend {
    /// `sizeof(cv2x_crypto_backend)` of the caller.
    pub struct_size: u32,
    /// Must be 0.
    pub flags: u32,
    /// Passed to every callback.
    pub user_data: *mut c_void,
    /// SHA-256 of `len` bytes at `data` into `out`.
    pub sha256: Option<
        unsafe extern "C" fn(user: *mut c_void, data: *const u8, len: usize, out: *mut u8) -> u32,
    >,
    /// SM3 of `len` bytes at `data` into `out`.
    pub sm3: Option<
        unsafe extern "C" fn(user: *mut c_void, data: *const u8, len: usize, out: *mut u8) -> u32,
    >,
    /// Validates a public key (`alg` a `CV2X_KEY_ALG_*`; `sec1` the SEC1 point, 33 octets
    /// compressed or 65 uncompressed) and writes its affine x ‖ y (64 octets) to `xy_out` and
    /// an opaque value of the chip's choosing (a key slot, or 0) to `key_handle`, which the
    /// verify callbacks get back. Keys are cached with their certificate and never released.
    pub prepare_key: Option<
        unsafe extern "C" fn(
            user: *mut c_void,
            alg: u32,
            sec1: *const u8,
            sec1_len: usize,
            xy_out: *mut u8,
            key_handle: *mut u64,
        ) -> u32,
    >,
    /// ECDSA P-256 verification of (r, s) over SHA-256(msg, 64 octets) with the key x ‖ y;
    /// writes 1 (valid) or 0 (invalid) to `valid`.
    pub verify_p256: Option<
        unsafe extern "C" fn(
            user: *mut c_void,
            key_xy: *const u8,
            key_handle: u64,
            msg: *const u8,
            r: *const u8,
            s: *const u8,
            valid: *mut u32,
        ) -> u32,
    >,
    /// SM2 verification of (r, s) for the digest e (32 octets) with the key x ‖ y; writes 1
    /// or 0 to `valid`.
    pub verify_sm2: Option<
        unsafe extern "C" fn(
            user: *mut c_void,
            key_xy: *const u8,
            key_handle: u64,
            e: *const u8,
            r: *const u8,
            s: *const u8,
            valid: *mut u32,
        ) -> u32,
    >,
}

/// Frozen size of the first version of `cv2x_crypto_backend` (64-bit targets; 28 on 32-bit).
pub const CV2X_CRYPTO_BACKEND_SIZE_V1: usize = 8 + 6 * std::mem::size_of::<usize>();
const _: () = assert!(std::mem::size_of::<cv2x_crypto_backend>() == CV2X_CRYPTO_BACKEND_SIZE_V1);

/// A key prepared by a callback backend.
#[derive(Debug, Clone)]
pub(crate) struct CallbackKey {
    alg: KeyAlg,
    xy: [u8; 64],
    handle: u64,
    soft: Option<SoftwareKey>,
}

/// The [`Backend`] over a `cv2x_crypto_backend`. The first callback failure of a call is kept
/// in `failed` and turns the verifier call into `CV2X_ERR_CALLBACK`.
#[derive(Debug)]
pub(crate) struct CallbackBackend {
    cb: cv2x_crypto_backend,
    soft: SoftwareBackend,
    failed: Cell<Option<cv2x_result>>,
}

// SAFETY: the backend is only used inside a verifier call, under the verifier's mutex, so
// never from two threads at once; the C contract of `cv2x_crypto_backend` lets its callbacks
// and `user_data` be used from whichever thread calls the verifier.
unsafe impl Send for CallbackBackend {}

impl CallbackBackend {
    fn fail(&self, code: cv2x_result) {
        if self.failed.get().is_none() {
            self.failed.set(Some(code));
        }
    }

    /// Takes the failure of the last call, if any.
    pub(crate) fn take_failure(&self) -> Option<cv2x_result> {
        self.failed.take()
    }

    fn hash(
        &self,
        f: Option<unsafe extern "C" fn(*mut c_void, *const u8, usize, *mut u8) -> u32>,
        parts: &[&[u8]],
        soft: impl Fn(&[&[u8]]) -> [u8; 32],
    ) -> [u8; 32] {
        let Some(f) = f else {
            return soft(parts);
        };
        let data = parts.concat();
        let mut out = [0u8; 32];
        // SAFETY: a callback the caller supplied, called with a valid buffer and a 32-octet
        // output, per the documented contract.
        let rc = unsafe {
            f(
                self.cb.user_data,
                data.as_ptr(),
                data.len(),
                out.as_mut_ptr(),
            )
        };
        if rc != CV2X_OK {
            self.fail(CV2X_ERR_CALLBACK);
        }
        out
    }

    fn verdict(&self, rc: u32, valid: u32) -> bool {
        match (rc, valid) {
            (CV2X_OK, 1) => true,
            (CV2X_OK, 0) => false,
            (CV2X_OK, _) => {
                self.fail(CV2X_ERR_INVALID_PARAMETER);
                false
            }
            _ => {
                self.fail(CV2X_ERR_CALLBACK);
                false
            }
        }
    }
}

fn key_alg_code(alg: KeyAlg) -> Option<u32> {
    match alg {
        KeyAlg::EcdsaP256 => Some(CV2X_KEY_ALG_ECDSA_P256),
        KeyAlg::Sm2 => Some(CV2X_KEY_ALG_SM2),
        KeyAlg::EcdsaBrainpoolP256
        | KeyAlg::EcdsaBrainpoolP384
        | KeyAlg::EcdsaP384
        | KeyAlg::Unknown => None,
    }
}

pub(crate) fn key_alg_of(code: u32) -> Result<KeyAlg, cv2x_result> {
    match code {
        CV2X_KEY_ALG_ECDSA_P256 => Ok(KeyAlg::EcdsaP256),
        CV2X_KEY_ALG_SM2 => Ok(KeyAlg::Sm2),
        _ => Err(CV2X_ERR_INVALID_PARAMETER),
    }
}

fn sec1_of(point: &CurvePoint) -> SecResult<Vec<u8>> {
    Ok(match point {
        CurvePoint::XOnly(x) | CurvePoint::CompressedY0(x) => [&[2u8][..], x].concat(),
        CurvePoint::CompressedY1(x) => [&[3u8][..], x].concat(),
        CurvePoint::Uncompressed(x, y) => [&[4u8][..], x, y].concat(),
        CurvePoint::Fill => return Err(SecurityError::InvalidPublicKey),
    })
}

impl Backend for CallbackBackend {
    type Key = CallbackKey;

    fn sha256(&self, parts: &[&[u8]]) -> [u8; 32] {
        self.hash(self.cb.sha256, parts, |p| self.soft.sha256(p))
    }

    fn sm3(&self, parts: &[&[u8]]) -> [u8; 32] {
        self.hash(self.cb.sm3, parts, |p| self.soft.sm3(p))
    }

    fn prepare_key(&self, alg: KeyAlg, point: &CurvePoint) -> SecResult<CallbackKey> {
        let Some(f) = self.cb.prepare_key else {
            let soft = self.soft.prepare_key(alg, point)?;
            return Ok(CallbackKey {
                alg,
                xy: self.soft.key_xy(&soft),
                handle: 0,
                soft: Some(soft),
            });
        };
        let code = key_alg_code(alg).ok_or(SecurityError::UnsupportedAlgorithm)?;
        let sec1 = sec1_of(point)?;
        let mut xy = [0u8; 64];
        let mut handle = 0u64;
        // SAFETY: a callback the caller supplied, called with valid buffers per its contract.
        let rc = unsafe {
            f(
                self.cb.user_data,
                code,
                sec1.as_ptr(),
                sec1.len(),
                xy.as_mut_ptr(),
                &mut handle,
            )
        };
        match rc {
            CV2X_OK => {}
            CV2X_ERR_SEC_INVALID_PUBLIC_KEY => return Err(SecurityError::InvalidPublicKey),
            _ => {
                self.fail(CV2X_ERR_CALLBACK);
                return Err(SecurityError::InvalidPublicKey);
            }
        }
        // The software verifiers, for a NULL verify callback, need a software key too.
        let soft = self.soft.prepare_key(alg, point).ok();
        Ok(CallbackKey {
            alg,
            xy,
            handle,
            soft,
        })
    }

    fn key_xy(&self, key: &CallbackKey) -> [u8; 64] {
        key.xy
    }

    fn verify_p256(&self, key: &CallbackKey, msg: &[u8; 64], r: &[u8; 32], s: &[u8; 32]) -> bool {
        if key.alg != KeyAlg::EcdsaP256 {
            return false;
        }
        let Some(f) = self.cb.verify_p256 else {
            return key
                .soft
                .as_ref()
                .is_some_and(|k| self.soft.verify_p256(k, msg, r, s));
        };
        let mut valid = 0u32;
        // SAFETY: a callback the caller supplied, called with valid buffers per its contract.
        let rc = unsafe {
            f(
                self.cb.user_data,
                key.xy.as_ptr(),
                key.handle,
                msg.as_ptr(),
                r.as_ptr(),
                s.as_ptr(),
                &mut valid,
            )
        };
        self.verdict(rc, valid)
    }

    fn verify_sm2(&self, key: &CallbackKey, e: &[u8; 32], r: &[u8; 32], s: &[u8; 32]) -> bool {
        if key.alg != KeyAlg::Sm2 {
            return false;
        }
        let Some(f) = self.cb.verify_sm2 else {
            return key
                .soft
                .as_ref()
                .is_some_and(|k| self.soft.verify_sm2(k, e, r, s));
        };
        let mut valid = 0u32;
        // SAFETY: a callback the caller supplied, called with valid buffers per its contract.
        let rc = unsafe {
            f(
                self.cb.user_data,
                key.xy.as_ptr(),
                key.handle,
                e.as_ptr(),
                r.as_ptr(),
                s.as_ptr(),
                &mut valid,
            )
        };
        self.verdict(rc, valid)
    }
}

// ---------------------------------------------------------------------------------------------
// Verifier

/// The verifier with its backend.
pub(crate) enum AnyVerifier {
    Software(Verifier<SoftwareBackend>),
    Callback(Verifier<CallbackBackend>),
}

/// Runs the same code on either verifier; a callback failure during it wins over its result
/// (returned from the enclosing function).
macro_rules! with_verifier {
    ($v:expr, |$x:ident| $body:expr) => {
        match $v {
            AnyVerifier::Software($x) => $body,
            AnyVerifier::Callback($x) => {
                $x.backend().take_failure();
                let r = $body;
                if let Some(code) = $x.backend().take_failure() {
                    return code;
                }
                r
            }
        }
    };
}

/// Verifies IEEE 1609.2 / GB/T 45112 signed messages and certificate chains; owns the trust
/// anchors, the certificate caches, the revocation set and the replay window (opaque).
///
/// One call at a time: a second call while one runs (from a backend callback, or another
/// thread) returns `CV2X_ERR_REENTRANT`. It may move between threads. Owned by the caller,
/// freed with `cv2x_verifier_free`.
pub struct cv2x_verifier {
    /// Shared so that other handles (the stack) can hold the same verifier: freeing the
    /// caller's handle then drops only the caller's reference.
    pub(crate) inner: Arc<Exclusive<AnyVerifier>>,
}

fn give<T>(v: T, out: *mut *mut T) -> cv2x_result {
    // SAFETY: `out` checked non-null by the caller of this helper.
    unsafe { out.write(into_raw(v)) };
    CV2X_OK
}

/// Makes a verifier with the software crypto backend. `c` may be NULL for the defaults;
/// otherwise its `struct_size` must be at least the first version's
/// (`CV2X_ERR_STRUCT_SIZE`) and every field in range (`CV2X_ERR_INVALID_PARAMETER`).
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_verifier_new(
    c: *const cv2x_verifier_config,
    out: *mut *mut cv2x_verifier,
) -> cv2x_result {
    ffi!({
        if out.is_null() {
            return CV2X_ERR_NULL_POINTER;
        }
        let config = tri!(read_config(c));
        let v = AnyVerifier::Software(Verifier::new(config));
        give(
            cv2x_verifier {
                inner: Arc::new(Exclusive::new(v)),
            },
            out,
        )
    })
}

/// Makes a verifier whose cryptography goes through `backend` (copied; `user_data` must stay
/// valid as long as the verifier lives). `c` as for `cv2x_verifier_new`.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_verifier_new_with_backend(
    c: *const cv2x_verifier_config,
    backend: *const cv2x_crypto_backend,
    out: *mut *mut cv2x_verifier,
) -> cv2x_result {
    ffi!({
        if out.is_null() || backend.is_null() {
            return CV2X_ERR_NULL_POINTER;
        }
        let config = tri!(read_config(c));
        // SAFETY: non-null; `struct_size` is the first field.
        let size = unsafe { backend.cast::<u32>().read_unaligned() };
        let n = tri!(config_len(
            size,
            CV2X_CRYPTO_BACKEND_SIZE_V1,
            std::mem::size_of::<cv2x_crypto_backend>()
        ));
        let _ = n;
        // SAFETY: the caller's struct holds at least the first version, which is all of it.
        let cb = unsafe { backend.read_unaligned() };
        if cb.flags != 0 {
            return CV2X_ERR_INVALID_PARAMETER;
        }
        let b = CallbackBackend {
            cb,
            soft: SoftwareBackend::default(),
            failed: Cell::new(None),
        };
        let v = AnyVerifier::Callback(Verifier::with_backend(b, config));
        give(
            cv2x_verifier {
                inner: Arc::new(Exclusive::new(v)),
            },
            out,
        )
    })
}

fn write_id8(dst: *mut u8, id: [u8; 8]) {
    if !dst.is_null() {
        // SAFETY: non-null; the caller guarantees 8 writable octets.
        unsafe { std::ptr::copy_nonoverlapping(id.as_ptr(), dst, 8) };
    }
}

pub(crate) fn read_array<const N: usize>(p: *const u8) -> Result<[u8; N], cv2x_result> {
    if p.is_null() {
        return Err(CV2X_ERR_NULL_POINTER);
    }
    let mut a = [0u8; N];
    // SAFETY: non-null; the caller guarantees N readable octets.
    unsafe { std::ptr::copy_nonoverlapping(p, a.as_mut_ptr(), N) };
    Ok(a)
}

/// Runs `add` (anchor or certificate) on the verifier and writes the HashedId8 to `id8`.
fn add_cert(
    v: *mut cv2x_verifier,
    coer: *const u8,
    len: usize,
    id8: *mut u8,
    anchor: bool,
) -> cv2x_result {
    let mut g = tri!(deref!(v).inner.enter());
    let bytes = slice!(coer, len);
    let r = with_verifier!(&mut *g, |x| if anchor {
        x.add_trust_anchor(bytes)
    } else {
        x.add_certificate(bytes)
    });
    match r {
        Ok(id) => {
            write_id8(id8, id);
            CV2X_OK
        }
        Err(e) => security(&e),
    }
}

/// Adds a trust anchor (a COER certificate; a self-signed one's signature is checked). Its
/// HashedId8 goes to `id8` (may be NULL). Security codes on failure.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_verifier_add_trust_anchor(
    v: *mut cv2x_verifier,
    coer: *const u8,
    len: usize,
    id8: *mut u8,
) -> cv2x_result {
    ffi!({ add_cert(v, coer, len, id8, true) })
}

/// Adds a certificate (COER) that may serve as a signer or issuer; it is verified when a
/// chain needs it. Its HashedId8 goes to `id8` (may be NULL).
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_verifier_add_certificate(
    v: *mut cv2x_verifier,
    coer: *const u8,
    len: usize,
    id8: *mut u8,
) -> cv2x_result {
    ffi!({ add_cert(v, coer, len, id8, false) })
}

/// Revokes the certificate with HashedId8 `id8` (8 octets); cached verifications are dropped.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_verifier_revoke_id8(v: *mut cv2x_verifier, id8: *const u8) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(v).inner.enter());
        let id = tri!(read_array::<8>(id8));
        with_verifier!(&mut *g, |x| x.revoke(id));
        CV2X_OK
    })
}

/// Revokes the certificate with HashedId10 `id10` (10 octets, the form hash-based CRLs use).
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_verifier_revoke_id10(v: *mut cv2x_verifier, id10: *const u8) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(v).inner.enter());
        let id = tri!(read_array::<10>(id10));
        let crl = Crl {
            crl_series: 0,
            craca: [0; 8],
            issue_date: 0,
            next_crl: 0,
            delta: true,
            serial: 0,
            entries: vec![(id, u32::MAX)],
        };
        with_verifier!(&mut *g, |x| x.add_crl(&crl));
        CV2X_OK
    })
}

/// Applies hash-based CRL contents (COER `CrlContents`, unsigned: for CRLs that arrived over a
/// channel the operator trusts). `CV2X_ERR_CRL_CONTENTS_MALFORMED` or
/// `CV2X_ERR_CRL_TYPE_UNSUPPORTED` (linkage-based) on failure.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_verifier_add_crl_contents(
    v: *mut cv2x_verifier,
    contents: *const u8,
    len: usize,
) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(v).inner.enter());
        let bytes = slice!(contents, len);
        let crl = match Crl::parse(bytes) {
            Ok(c) => c,
            Err(SecurityError::UnsupportedPayload) => return CV2X_ERR_CRL_TYPE_UNSUPPORTED,
            Err(_) => return CV2X_ERR_CRL_CONTENTS_MALFORMED,
        };
        with_verifier!(&mut *g, |x| x.add_crl(&crl));
        CV2X_OK
    })
}

/// Verifies a signed IEEE 1609.2 CRL (`SecuredCrl`, PSID 256) at `now` and applies it: the
/// signature and chain as for a message (no freshness window), the signer must be the CRACA
/// or issued by it, and the CRL must be newer than the one applied for its CRACA and series.
/// A failed signature check returns its `CV2X_ERR_SEC_*` code, the CRL checks
/// `CV2X_ERR_CRL_*`.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_verifier_add_signed_crl(
    v: *mut cv2x_verifier,
    spdu: *const u8,
    len: usize,
    now: i64,
) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(v).inner.enter());
        let bytes = slice!(spdu, len);
        let r = with_verifier!(&mut *g, |x| x
            .add_signed_crl(bytes, Timestamp::from_micros(now))
            .map(|_| ()));
        match r {
            Ok(()) => CV2X_OK,
            Err(e) => crl(&e),
        }
    })
}

/// Verifies a certificate (COER) and its chain up to a trust anchor at `now`; on success the
/// anchor's HashedId8 goes to `anchor_id8` and the chain length (certificate to anchor
/// inclusive) to `chain_length` (both may be NULL). Security codes on failure.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_verifier_verify_certificate(
    v: *mut cv2x_verifier,
    coer: *const u8,
    len: usize,
    now: i64,
    anchor_id8: *mut u8,
    chain_length: *mut u32,
) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(v).inner.enter());
        let bytes = slice!(coer, len);
        let r = with_verifier!(&mut *g, |x| x.verify_certificate(
            bytes,
            &[],
            Timestamp::from_micros(now)
        ));
        match r {
            Ok((anchor, n)) => {
                write_id8(anchor_id8, anchor);
                if !chain_length.is_null() {
                    // SAFETY: non-null; the caller guarantees a writable uint32_t.
                    unsafe { chain_length.write(u32::from(n)) };
                }
                CV2X_OK
            }
            Err(e) => security(&e),
        }
    })
}

/// `cv2x_verify_report.signature_valid`: the message signature does not verify.
pub const CV2X_SIGNATURE_INVALID: u32 = 0;
/// `cv2x_verify_report.signature_valid`: the message signature verifies.
pub const CV2X_SIGNATURE_VALID: u32 = 1;
/// `cv2x_verify_report.signature_valid`: not checked (an earlier check failed).
pub const CV2X_SIGNATURE_UNKNOWN: u32 = 2;

/// `cv2x_verify_report.present`: `signer_id8` is set.
pub const CV2X_REPORT_HAS_SIGNER: u32 = 1 << 0;
/// `cv2x_verify_report.present`: `aid` is set.
pub const CV2X_REPORT_HAS_AID: u32 = 1 << 1;
/// `cv2x_verify_report.present`: `generation_time` is set.
pub const CV2X_REPORT_HAS_GENERATION_TIME: u32 = 1 << 2;
/// `cv2x_verify_report.present`: `payload_offset`/`payload_len` are set (only on success).
pub const CV2X_REPORT_HAS_PAYLOAD: u32 = 1 << 3;
/// `cv2x_verify_report.present`: the chain is anchored: `anchor_id8`, `chain_length` set.
pub const CV2X_REPORT_CHAIN_ANCHORED: u32 = 1 << 4;
/// `cv2x_verify_report.present`: `certificate_request` holds the HashedId3 of an unknown signer
/// to request (P2PCD; rate-limited).
pub const CV2X_REPORT_HAS_CERTIFICATE_REQUEST: u32 = 1 << 5;

/// The outcome of verifying one SPDU.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct cv2x_verify_report {
    /// `CV2X_OK` when the message verified, else the first failed check (`CV2X_ERR_SEC_*`).
    pub result: cv2x_result,
    /// `CV2X_SIGNATURE_*`: the message signature against the signer's key, whatever the chain
    /// says (with `CV2X_VERIFY_DIAGNOSE`, checked even after another failure).
    pub signature_valid: u32,
    /// HashedId8 of the signer certificate.
    pub signer_id8: [u8; 8],
    /// Offset of the payload (the UPER MessageFrame) in the caller's SPDU buffer.
    pub payload_offset: u32,
    /// Length of the payload.
    pub payload_len: u32,
    /// `CV2X_REPORT_*` bits.
    pub present: u32,
    /// Certificates from the signer to the anchor inclusive.
    pub chain_length: u32,
    /// AID (PSID) of the header.
    pub aid: u64,
    /// Generation time, TAI µs since 2004.
    pub generation_time: i64,
    /// HashedId8 of the trust anchor.
    pub anchor_id8: [u8; 8],
    /// `CV2X_OK` when the chain is anchored, the chain's failure code, or
    /// `CV2X_ERR_SEC_SIGNER_NOT_FOUND` when it was not examined.
    pub chain_result: cv2x_result,
    /// HashedId3 to request for an unknown signer (see `CV2X_REPORT_HAS_CERTIFICATE_REQUEST`).
    pub certificate_request: [u8; 3],
    /// Padding (0).
    pub pad: u8,
    /// Room for later fields (0).
    pub reserved: [u32; 4],
}

/// Frozen size of `cv2x_verify_report`.
pub const CV2X_VERIFY_REPORT_SIZE: usize = 80;
const _: () = assert!(std::mem::size_of::<cv2x_verify_report>() == CV2X_VERIFY_REPORT_SIZE);

fn report_of(rep: &Report<'_>, input: &[u8]) -> cv2x_verify_report {
    let mut o = cv2x_verify_report {
        result: match &rep.result {
            Ok(()) => CV2X_OK,
            Err(e) => security(e),
        },
        signature_valid: match rep.signature_valid {
            Some(true) => CV2X_SIGNATURE_VALID,
            Some(false) => CV2X_SIGNATURE_INVALID,
            None => CV2X_SIGNATURE_UNKNOWN,
        },
        chain_result: CV2X_ERR_SEC_SIGNER_NOT_FOUND,
        ..cv2x_verify_report::default()
    };
    if let Some(id) = rep.signer {
        o.present |= CV2X_REPORT_HAS_SIGNER;
        o.signer_id8 = id;
    }
    if let Some(aid) = rep.aid {
        o.present |= CV2X_REPORT_HAS_AID;
        o.aid = aid;
    }
    if let Some(t) = rep.generation_time {
        o.present |= CV2X_REPORT_HAS_GENERATION_TIME;
        o.generation_time = Timestamp::from_time64(t).as_micros();
    }
    if let Some(p) = rep.payload {
        let offset = (p.as_ptr() as usize).wrapping_sub(input.as_ptr() as usize);
        if let (Ok(off), Ok(n)) = (u32::try_from(offset), u32::try_from(p.len())) {
            if offset
                .checked_add(p.len())
                .is_some_and(|end| end <= input.len())
            {
                o.present |= CV2X_REPORT_HAS_PAYLOAD;
                o.payload_offset = off;
                o.payload_len = n;
            }
        }
    }
    match rep.chain {
        ChainStatus::NotChecked => {}
        ChainStatus::Anchored { anchor, length } => {
            o.present |= CV2X_REPORT_CHAIN_ANCHORED;
            o.anchor_id8 = anchor;
            o.chain_length = u32::from(length);
            o.chain_result = CV2X_OK;
        }
        ChainStatus::Failed(e) => o.chain_result = security(&e),
    }
    if let Some(h) = rep.certificate_request {
        o.present |= CV2X_REPORT_HAS_CERTIFICATE_REQUEST;
        o.certificate_request = h;
    }
    o
}

/// Verifies one SPDU (`Ieee1609Dot2Data`, COER) at `now` (TAI µs since 2004, the caller's
/// clock). Returns `CV2X_OK` when the verification ran — the verdict is in `out->result`
/// (`CV2X_OK` = verified; the payload is then `spdu + out->payload_offset`,
/// `out->payload_len` octets). Returns an error only when it could not run (NULL pointers,
/// poisoned or busy handle, a failing backend callback).
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_verifier_verify(
    v: *mut cv2x_verifier,
    spdu: *const u8,
    len: usize,
    now: i64,
    out: *mut cv2x_verify_report,
) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(v).inner.enter());
        let bytes = slice!(spdu, len);
        let out = deref_mut!(out);
        let report = with_verifier!(&mut *g, |x| {
            let rep = x.verify(bytes, Timestamp::from_micros(now));
            report_of(&rep, bytes)
        });
        *out = report;
        CV2X_OK
    })
}

/// Frees a verifier. NULL is a no-op; a poisoned verifier is freed too. Not while a call on
/// it runs.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_verifier_free(v: *mut cv2x_verifier) {
    ffi!({ free_raw(v) })
}

// ---------------------------------------------------------------------------------------------
// Signer

/// `cv2x_signer_set_mode`: name the signer by its certificate's HashedId8 (the default).
pub const CV2X_SIGNER_DIGEST: u32 = 0;
/// `cv2x_signer_set_mode`: carry the whole signer certificate.
pub const CV2X_SIGNER_CERTIFICATE: u32 = 1;

/// A signing key behind the trait the core signs through: a software key or a C callback.
pub(crate) type AnyKey = Box<dyn SigningBackend + Send>;

/// Signs payloads into SPDUs with one key and its certificate (opaque): a software private
/// key (`cv2x_signer_new`; deterministic RFC 6979 signatures) or a security chip / HSM behind
/// callbacks (`cv2x_signer_new_callback`). One call at a time (else `CV2X_ERR_REENTRANT`,
/// also from inside its own signing callback); may move between threads. Owned by the
/// caller, freed with `cv2x_signer_free`.
pub struct cv2x_signer {
    inner: Exclusive<SpduSigner<AnyKey>>,
}

/// Makes a signer from a private key (`alg` a `CV2X_KEY_ALG_*`, `key` the 32-octet big-endian
/// scalar) and its COER certificate. `CV2X_ERR_SEC_KEY_CERTIFICATE_MISMATCH` when the key is
/// not the certificate's; `CV2X_ERR_SEC_SIGNING_FAILED` for an invalid scalar.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_signer_new(
    alg: u32,
    key: *const u8,
    cert: *const u8,
    cert_len: usize,
    out: *mut *mut cv2x_signer,
) -> cv2x_result {
    ffi!({
        let alg = tri!(key_alg_of(alg));
        let d = tri!(read_array::<32>(key));
        let cert = slice!(cert, cert_len);
        if out.is_null() {
            return CV2X_ERR_NULL_POINTER;
        }
        let key = match PrivateKey::from_bytes(alg, &d) {
            Ok(k) => k,
            Err(e) => return security(&e),
        };
        let parsed = match cv2x::security::cert::Certificate::from_bytes(cert) {
            Ok(c) => c,
            Err(e) => return security(&e),
        };
        if !key.matches_certificate(&parsed) {
            return CV2X_ERR_SEC_KEY_CERTIFICATE_MISMATCH;
        }
        match SpduSigner::new(Box::new(key) as AnyKey, cert) {
            Ok(s) => give(
                cv2x_signer {
                    inner: Exclusive::new(s),
                },
                out,
            ),
            Err(e) => security(&e),
        }
    })
}

/// Chooses how SPDUs name the signer (`CV2X_SIGNER_DIGEST` or `CV2X_SIGNER_CERTIFICATE`).
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_signer_set_mode(s: *mut cv2x_signer, mode: u32) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(s).inner.enter());
        let mode = match mode {
            CV2X_SIGNER_DIGEST => SignerMode::Digest,
            CV2X_SIGNER_CERTIFICATE => SignerMode::Certificate,
            _ => return CV2X_ERR_INVALID_PARAMETER,
        };
        g.set_mode(mode);
        CV2X_OK
    })
}

/// The HashedId8 of the signer's certificate into `id8` (8 octets).
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_signer_id8(s: *mut cv2x_signer, id8: *mut u8) -> cv2x_result {
    ffi!({
        let g = tri!(deref!(s).inner.enter());
        if id8.is_null() {
            return CV2X_ERR_NULL_POINTER;
        }
        write_id8(id8, g.id8());
        CV2X_OK
    })
}

/// Signs `payload` (e.g. a UPER MessageFrame) for `aid` with generation time
/// `generation_time` (TAI µs since 2004, not negative) into an SPDU in `(out, cap, out_len)`.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_signer_sign(
    s: *mut cv2x_signer,
    payload: *const u8,
    len: usize,
    aid: u64,
    generation_time: i64,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> cv2x_result {
    ffi!({
        let g = tri!(deref!(s).inner.enter());
        let payload = slice!(payload, len);
        let Ok(t) = u64::try_from(generation_time) else {
            return CV2X_ERR_INVALID_PARAMETER;
        };
        let header = cv2x::security::spdu::HeaderFields {
            psid: aid,
            generation_time: Some(t),
            ..Default::default()
        };
        match g.sign_with(payload, &header) {
            Ok(spdu) => write_bytes(&spdu, out, cap, out_len),
            Err(e) => security(&e),
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Callback signing backend

/// A signing key in a security chip or HSM, reached through callbacks: the library computes
/// the digest (IEEE 1609.2 / GB/T 45112: ECDSA P-256 `H = SHA-256(SHA-256(tbs) ‖
/// SHA-256(signer certificate))`, SM2 `e = SM3(Z_A ‖ tbs)`) and the chip only signs it, so
/// the private key never leaves the chip and the chip never hashes.
///
/// `public_key` and `sign` are required (`CV2X_ERR_MISSING_CALLBACK`); `release` is optional.
/// Each returns `CV2X_OK` (0) on success; a failing `sign` makes the message fail to sign
/// (`CV2X_ERR_SEC_SIGNING_FAILED`; in the stack a `CV2X_DROP_TRANSMIT_FAILED` drop), never an
/// unsigned or half-signed one. Callbacks run synchronously on the thread that called the
/// signer or the stack, inside that call, one at a time per handle: calling back into the same
/// signer or stack returns `CV2X_ERR_REENTRANT`. A callback must return normally (no `longjmp`
/// out of it, no C++ exception through it).
///
/// Ownership of `user_data`: when the call that takes this struct succeeds, the library keeps a
/// copy of it and calls `release(user_data)` (when not NULL) exactly once, when it no longer
/// needs the key (the signer, pool or stack holding it is freed or replaced). When the call
/// fails, `release` is not called and `user_data` stays the caller's.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct cv2x_signing_backend {
    /// `sizeof(cv2x_signing_backend)` of the caller.
    pub struct_size: u32,
    /// Must be 0.
    pub flags: u32,
    /// Passed to every callback.
    pub user_data: *mut c_void,
    /// Writes the key's algorithm (`CV2X_KEY_ALG_*`) to `alg` and its public key, affine
    /// x ‖ y (64 octets, big-endian), to `xy`. Called once, when the backend is taken.
    pub public_key:
        Option<unsafe extern "C" fn(user: *mut c_void, alg: *mut u32, xy: *mut u8) -> u32>,
    /// Signs the 32-octet `digest` (see above; ECDSA: do not hash it again) and writes the
    /// signature (r, s), 32 octets each, to `r` and `s`.
    pub sign: Option<
        unsafe extern "C" fn(user: *mut c_void, digest: *const u8, r: *mut u8, s: *mut u8) -> u32,
    >,
    /// Called once when the library is done with the key (may be NULL).
    pub release: Option<unsafe extern "C" fn(user: *mut c_void)>,
}

/// Frozen size of the first version of `cv2x_signing_backend` (64-bit targets; 24 on 32-bit).
pub const CV2X_SIGNING_BACKEND_SIZE_V1: usize = 8 + 4 * std::mem::size_of::<usize>();
const _: () = assert!(std::mem::size_of::<cv2x_signing_backend>() == CV2X_SIGNING_BACKEND_SIZE_V1);

/// The [`SigningBackend`] over a `cv2x_signing_backend`. `release` is called on drop once the
/// key has been handed over successfully (`armed`).
pub(crate) struct ChipKey {
    cb: cv2x_signing_backend,
    alg: KeyAlg,
    xy: [u8; 64],
    armed: Arc<AtomicBool>,
}

// SAFETY: the key is only used inside a call on the handle holding it (signer, pool, stack),
// under that handle's mutex, so never from two threads at once; the contract of
// `cv2x_signing_backend` lets its callbacks and `user_data` be used from whichever thread
// calls that handle.
unsafe impl Send for ChipKey {}

impl Drop for ChipKey {
    fn drop(&mut self) {
        if let Some(f) = self.cb.release {
            if self.armed.load(Ordering::Acquire) {
                // SAFETY: a callback the caller supplied, called once with its user data.
                unsafe { f(self.cb.user_data) };
            }
        }
    }
}

impl SigningBackend for ChipKey {
    fn alg(&self) -> KeyAlg {
        self.alg
    }

    fn public_xy(&self) -> [u8; 64] {
        self.xy
    }

    fn sign_prehashed(&self, digest: &[u8; 32]) -> SecResult<Signature> {
        let Some(f) = self.cb.sign else {
            return Err(SecurityError::SigningFailed);
        };
        let (mut r, mut s) = ([0u8; 32], [0u8; 32]);
        // SAFETY: a callback the caller supplied, called with a 32-octet digest and two
        // 32-octet outputs, per the documented contract.
        let rc = unsafe {
            f(
                self.cb.user_data,
                digest.as_ptr(),
                r.as_mut_ptr(),
                s.as_mut_ptr(),
            )
        };
        if rc != CV2X_OK || r == [0; 32] || s == [0; 32] {
            return Err(SecurityError::SigningFailed);
        }
        Ok(Signature {
            alg: self.alg,
            r,
            s,
        })
    }
}

/// A key taken from a caller's `cv2x_signing_backend`, not yet armed (its `release` is not
/// called if it is dropped before [`TakenKey::arm`]).
pub(crate) struct TakenKey {
    pub(crate) key: ChipKey,
    armed: Arc<AtomicBool>,
}

impl TakenKey {
    /// Reads and checks the caller's struct and asks for the public key.
    pub(crate) fn take(b: *const cv2x_signing_backend) -> Result<TakenKey, cv2x_result> {
        if b.is_null() {
            return Err(CV2X_ERR_NULL_POINTER);
        }
        // SAFETY: non-null; `struct_size` is the first field.
        let size = unsafe { b.cast::<u32>().read_unaligned() };
        config_len(
            size,
            CV2X_SIGNING_BACKEND_SIZE_V1,
            std::mem::size_of::<cv2x_signing_backend>(),
        )?;
        // SAFETY: the caller's struct holds at least the first version, which is all of it.
        let cb = unsafe { b.read_unaligned() };
        if cb.flags != 0 {
            return Err(CV2X_ERR_INVALID_PARAMETER);
        }
        let (Some(pk), Some(_)) = (cb.public_key, cb.sign) else {
            return Err(CV2X_ERR_MISSING_CALLBACK);
        };
        let mut code = u32::MAX;
        let mut xy = [0u8; 64];
        // SAFETY: a callback the caller supplied, called with a u32 and a 64-octet output.
        let rc = unsafe { pk(cb.user_data, &mut code, xy.as_mut_ptr()) };
        if rc != CV2X_OK {
            return Err(CV2X_ERR_CALLBACK);
        }
        let alg = key_alg_of(code)?;
        let armed = Arc::new(AtomicBool::new(false));
        Ok(TakenKey {
            key: ChipKey {
                cb,
                alg,
                xy,
                armed: armed.clone(),
            },
            armed,
        })
    }

    /// A handle for arming the key once it is handed over.
    pub(crate) fn arming(&self) -> Arc<AtomicBool> {
        self.armed.clone()
    }
}

/// Arms a key handed over successfully: from now on dropping it calls `release`.
pub(crate) fn arm(armed: &AtomicBool) {
    armed.store(true, Ordering::Release);
}

/// Makes a signer whose key is in a security chip or HSM (`backend`, copied; see
/// `cv2x_signing_backend` for the callbacks and the ownership of `user_data`) for the COER
/// certificate `cert`. `CV2X_ERR_SEC_KEY_CERTIFICATE_MISMATCH` when the public key the backend
/// gives is not the certificate's; `CV2X_ERR_CALLBACK` when `public_key` fails.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_signer_new_callback(
    backend: *const cv2x_signing_backend,
    cert: *const u8,
    cert_len: usize,
    out: *mut *mut cv2x_signer,
) -> cv2x_result {
    ffi!({
        let cert = slice!(cert, cert_len);
        if out.is_null() {
            return CV2X_ERR_NULL_POINTER;
        }
        let taken = tri!(TakenKey::take(backend));
        let parsed = match cv2x::security::cert::Certificate::from_bytes(cert) {
            Ok(c) => c,
            Err(e) => return security(&e),
        };
        if !cv2x::security::sign::key_matches_certificate(taken.key.alg, &taken.key.xy, &parsed) {
            return CV2X_ERR_SEC_KEY_CERTIFICATE_MISMATCH;
        }
        let armed = taken.arming();
        match SpduSigner::new(Box::new(taken.key) as AnyKey, cert) {
            Ok(s) => {
                arm(&armed);
                give(
                    cv2x_signer {
                        inner: Exclusive::new(s),
                    },
                    out,
                )
            }
            Err(e) => security(&e),
        }
    })
}

/// Frees a signer (its key is dropped; a callback key's `release` is called). NULL is a
/// no-op.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_signer_free(s: *mut cv2x_signer) {
    ffi!({ free_raw(s) })
}

/// Software public-key preparation, the operation of `cv2x_crypto_backend.prepare_key`: checks
/// the SEC1 point (`sec1_len` 33 or 65 octets) of `alg` (`CV2X_KEY_ALG_*`) and writes its
/// affine x ‖ y (64 octets) to `xy_out`. `CV2X_ERR_SEC_INVALID_PUBLIC_KEY` for a point not on
/// the curve. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_crypto_prepare_key(
    alg: u32,
    sec1: *const u8,
    sec1_len: usize,
    xy_out: *mut u8,
) -> cv2x_result {
    ffi!({
        let alg = tri!(key_alg_of(alg));
        let b = slice!(sec1, sec1_len);
        if xy_out.is_null() {
            return CV2X_ERR_NULL_POINTER;
        }
        let coord = |r: std::ops::Range<usize>| -> Option<[u8; 32]> { b.get(r)?.try_into().ok() };
        let point = match (b.first(), b.len()) {
            (Some(2), 33) => coord(1..33).map(CurvePoint::CompressedY0),
            (Some(3), 33) => coord(1..33).map(CurvePoint::CompressedY1),
            (Some(4), 65) => coord(1..33)
                .zip(coord(33..65))
                .map(|(x, y)| CurvePoint::Uncompressed(x, y)),
            _ => None,
        };
        let Some(point) = point else {
            return CV2X_ERR_SEC_INVALID_PUBLIC_KEY;
        };
        let soft = SoftwareBackend::default();
        match soft.prepare_key(alg, &point) {
            Ok(k) => {
                let xy = soft.key_xy(&k);
                // SAFETY: non-null; the caller guarantees 64 writable octets.
                unsafe { std::ptr::copy_nonoverlapping(xy.as_ptr(), xy_out, 64) };
                CV2X_OK
            }
            Err(e) => security(&e),
        }
    })
}

/// Finds the signer certificate inside an SPDU signed with a certificate (not a digest):
/// `*offset` and `*cert_len` locate it in the caller's buffer (to trust it, pool it with
/// `cv2x_verifier_add_certificate` or inspect it). `CV2X_ERR_SEC_SIGNER_NOT_FOUND` when the
/// SPDU names its signer by digest; the parse failure's code for anything else. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_spdu_signer_certificate(
    spdu: *const u8,
    len: usize,
    offset: *mut u32,
    cert_len: *mut u32,
) -> cv2x_result {
    ffi!({
        let bytes = slice!(spdu, len);
        let (offset, cert_len) = (deref_mut!(offset), deref_mut!(cert_len));
        let sd = match cv2x::security::spdu::parse(bytes) {
            Ok(cv2x::security::spdu::Content::Signed(sd)) => sd,
            Ok(_) => return CV2X_ERR_SEC_UNSIGNED,
            Err(e) => return security(&e),
        };
        let cert = match &sd.signer {
            cv2x::security::spdu::Signer::Certificates(certs) => match certs.first() {
                Some(c) => c.bytes(),
                None => return CV2X_ERR_SEC_UNSUPPORTED_SIGNER_TYPE,
            },
            cv2x::security::spdu::Signer::Digest(_) => return CV2X_ERR_SEC_SIGNER_NOT_FOUND,
            cv2x::security::spdu::Signer::SelfSigned => {
                return CV2X_ERR_SEC_UNSUPPORTED_SIGNER_TYPE;
            }
        };
        let at = bytes.windows(cert.len().max(1)).position(|w| w == cert);
        match (at, u32::try_from(cert.len())) {
            (Some(at), Ok(n)) => {
                *offset = u32::try_from(at).unwrap_or(u32::MAX);
                *cert_len = n;
                CV2X_OK
            }
            _ => CV2X_ERR_SEC_MALFORMED,
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Software primitives (for HSM shims that accelerate only part of the work, and for tests)

/// SHA-256 of `len` bytes at `data` into `out` (32 octets). Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_crypto_sha256(data: *const u8, len: usize, out: *mut u8) -> cv2x_result {
    ffi!({
        let d = slice!(data, len);
        if out.is_null() {
            return CV2X_ERR_NULL_POINTER;
        }
        let h = SoftwareBackend::default().sha256(&[d]);
        // SAFETY: non-null; the caller guarantees 32 writable octets.
        unsafe { std::ptr::copy_nonoverlapping(h.as_ptr(), out, 32) };
        CV2X_OK
    })
}

/// SM3 of `len` bytes at `data` into `out` (32 octets). Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_crypto_sm3(data: *const u8, len: usize, out: *mut u8) -> cv2x_result {
    ffi!({
        let d = slice!(data, len);
        if out.is_null() {
            return CV2X_ERR_NULL_POINTER;
        }
        let h = SoftwareBackend::default().sm3(&[d]);
        // SAFETY: non-null; the caller guarantees 32 writable octets.
        unsafe { std::ptr::copy_nonoverlapping(h.as_ptr(), out, 32) };
        CV2X_OK
    })
}

fn soft_key(alg: KeyAlg, xy: [u8; 64]) -> Result<SoftwareKey, cv2x_result> {
    let mut x = [0u8; 32];
    let mut y = [0u8; 32];
    x.copy_from_slice(&xy[..32]);
    y.copy_from_slice(&xy[32..]);
    SoftwareBackend::default()
        .prepare_key(alg, &CurvePoint::Uncompressed(x, y))
        .map_err(|e| security(&e))
}

/// Software ECDSA P-256 verification, the operation of `cv2x_crypto_backend.verify_p256`:
/// `key_xy` 64 octets, `msg` 64 octets (hashed with SHA-256 here), `r`, `s` 32 octets each;
/// `*valid` gets 1 or 0. `CV2X_ERR_SEC_INVALID_PUBLIC_KEY` for a point not on the curve.
/// Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_crypto_verify_p256(
    key_xy: *const u8,
    msg: *const u8,
    r: *const u8,
    s: *const u8,
    valid: *mut u32,
) -> cv2x_result {
    ffi!({
        let (xy, m, r, s) = (
            tri!(read_array::<64>(key_xy)),
            tri!(read_array::<64>(msg)),
            tri!(read_array::<32>(r)),
            tri!(read_array::<32>(s)),
        );
        if valid.is_null() {
            return CV2X_ERR_NULL_POINTER;
        }
        let key = tri!(soft_key(KeyAlg::EcdsaP256, xy));
        let ok = SoftwareBackend::default().verify_p256(&key, &m, &r, &s);
        *deref_mut!(valid) = u32::from(ok);
        CV2X_OK
    })
}

/// Software SM2 verification, the operation of `cv2x_crypto_backend.verify_sm2`: `key_xy` 64
/// octets, `e` the 32-octet digest, `r`, `s` 32 octets each; `*valid` gets 1 or 0.
/// Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_crypto_verify_sm2(
    key_xy: *const u8,
    e: *const u8,
    r: *const u8,
    s: *const u8,
    valid: *mut u32,
) -> cv2x_result {
    ffi!({
        let (xy, e, r, s) = (
            tri!(read_array::<64>(key_xy)),
            tri!(read_array::<32>(e)),
            tri!(read_array::<32>(r)),
            tri!(read_array::<32>(s)),
        );
        if valid.is_null() {
            return CV2X_ERR_NULL_POINTER;
        }
        let key = tri!(soft_key(KeyAlg::Sm2, xy));
        let ok = SoftwareBackend::default().verify_sm2(&key, &e, &r, &s);
        *deref_mut!(valid) = u32::from(ok);
        CV2X_OK
    })
}

/// The private key of a software primitive: `alg` (`CV2X_KEY_ALG_*`) and the 32-octet scalar.
fn private_key(alg: u32, key: *const u8) -> Result<PrivateKey, cv2x_result> {
    let alg = key_alg_of(alg)?;
    let d = read_array::<32>(key)?;
    PrivateKey::from_bytes(alg, &d).map_err(|e| security(&e))
}

/// Software signing of a digest, the operation of `cv2x_signing_backend.sign` (for a chip
/// shim that keeps a key in software, and for tests): signs the 32-octet `digest` with the
/// private key (`alg` a `CV2X_KEY_ALG_*`, `key` the 32-octet big-endian scalar) and writes
/// (r, s), 32 octets each. ECDSA P-256 takes the digest as the message hash (RFC 6979
/// nonces); SM2 as e. `CV2X_ERR_SEC_SIGNING_FAILED` for an invalid scalar. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_crypto_sign_digest(
    alg: u32,
    key: *const u8,
    digest: *const u8,
    r: *mut u8,
    s: *mut u8,
) -> cv2x_result {
    ffi!({
        let k = tri!(private_key(alg, key));
        let d = tri!(read_array::<32>(digest));
        if r.is_null() || s.is_null() {
            return CV2X_ERR_NULL_POINTER;
        }
        match k.sign_prehashed(&d) {
            Ok(sig) => {
                // SAFETY: non-null; the caller guarantees 32 writable octets at each.
                unsafe {
                    std::ptr::copy_nonoverlapping(sig.r.as_ptr(), r, 32);
                    std::ptr::copy_nonoverlapping(sig.s.as_ptr(), s, 32);
                }
                CV2X_OK
            }
            Err(e) => security(&e),
        }
    })
}

/// The public key, affine x ‖ y (64 octets), of a software private key (`alg`, 32-octet
/// `key`), as `cv2x_signing_backend.public_key` gives it. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_crypto_public_key(alg: u32, key: *const u8, xy_out: *mut u8) -> cv2x_result {
    ffi!({
        let k = tri!(private_key(alg, key));
        if xy_out.is_null() {
            return CV2X_ERR_NULL_POINTER;
        }
        let xy = k.public_xy();
        // SAFETY: non-null; the caller guarantees 64 writable octets.
        unsafe { std::ptr::copy_nonoverlapping(xy.as_ptr(), xy_out, 64) };
        CV2X_OK
    })
}

#[cfg(feature = "test-panic")]
impl cv2x_verifier {
    pub(crate) fn enter_for_test(
        &self,
    ) -> Result<std::sync::MutexGuard<'_, AnyVerifier>, cv2x_result> {
        self.inner.enter()
    }
}

#[cfg(feature = "test-panic")]
impl cv2x_signer {
    pub(crate) fn enter_for_test(
        &self,
    ) -> Result<std::sync::MutexGuard<'_, SpduSigner<AnyKey>>, cv2x_result> {
        self.inner.enter()
    }
}
