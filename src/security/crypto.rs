//! Cryptography behind the [`Backend`] trait, so that an HSM can replace the software one.
//!
//! The software backend ([`SoftwareBackend`]):
//! - SHA-256 and ECDSA P-256 verification with `ring` (which only takes uncompressed keys, so
//!   keys are decompressed once with `p256` in [`Backend::prepare_key`] and then cached by the
//!   verifier); a key that has verified enough signatures (see [`SoftwareBackend::tables`])
//!   gets a table of [`super::precomp`] and is verified with it from then on, which is faster
//!   than `ring` (see [`P256Verifier`]);
//! - SM3 with RustCrypto `sm3`;
//! - SM2 verification with the fixed-window tables of [`super::precomp`]: a shared table for
//!   the generator, and a table of its own for a key that has verified enough signatures (see
//!   [`SoftwareBackend::tables`]), so that a cached signer's messages cost almost no
//!   doublings. Verification only touches public data, so variable-time arithmetic is safe
//!   there. RustCrypto `sm2` stays the reference it is cross-checked against
//!   ([`SoftwareBackend::verify_sm2_reference`]); with the cargo feature `sm2-fast`,
//!   `efficient-sm2` can be selected too ([`Sm2Verifier`]).
//!
//! The 1609.2 / GB/T 45112 digests are built by the verifier from these primitives:
//! ECDSA P-256 signs SHA-256( SHA-256(tbs) ‖ SHA-256(signer certificate) ) — the backend gets
//! the 64-octet concatenation and hashes it once more, as ECDSA does; SM2 signs
//! e = SM3( Z_A ‖ tbs ) with Z_A from [`sm2_za`].

use super::cert::{CurvePoint, KeyAlg};
use super::error::{Result, SecurityError};
use super::precomp::{self, Layout, P256Curve, Signer, Sm2Curve, TablePolicy};
use alloc::sync::Arc;

/// SM2 default user ID, used only for self-signed certificates (GB/T 45112).
pub const SM2_DEFAULT_ID: &[u8] = b"1234567812345678";

/// SM2 curve parameter a.
const SM2_A: [u8; 32] = hex32("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC");
/// SM2 curve parameter b.
pub(super) const SM2_B: [u8; 32] =
    hex32("28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93");
/// SM2 base point x.
pub(super) const SM2_GX: [u8; 32] =
    hex32("32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7");
/// SM2 base point y.
pub(super) const SM2_GY: [u8; 32] =
    hex32("BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0");
/// SM2 group order n.
pub(super) const SM2_N: [u8; 32] =
    hex32("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123");

pub(super) const fn hex32(s: &str) -> [u8; 32] {
    let b = s.as_bytes();
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = (nib(b[2 * i]) << 4) | nib(b[2 * i + 1]);
        i += 1;
    }
    out
}

const fn nib(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c - b'A' + 10,
    }
}

/// The cryptographic operations the security layer needs. Implement it to use an HSM.
pub trait Backend {
    /// A public key prepared for repeated verification (decompressed, validated). The verifier
    /// prepares each certificate's key once and caches it.
    type Key: Clone;

    /// SHA-256 over the concatenation of `parts`.
    fn sha256(&self, parts: &[&[u8]]) -> [u8; 32];

    /// SM3 over the concatenation of `parts`.
    fn sm3(&self, parts: &[&[u8]]) -> [u8; 32];

    /// Decompresses and validates a P-256 or SM2 public key. An `x-only` point is taken with
    /// even y (see [`CurvePoint`]); `fill` is rejected.
    fn prepare_key(&self, alg: KeyAlg, point: &CurvePoint) -> Result<Self::Key>;

    /// The affine coordinates x ‖ y of a prepared key.
    fn key_xy(&self, key: &Self::Key) -> [u8; 64];

    /// ECDSA P-256 verification of (r, s) over SHA-256(`msg`).
    fn verify_p256(&self, key: &Self::Key, msg: &[u8; 64], r: &[u8; 32], s: &[u8; 32]) -> bool;

    /// SM2 verification of (r, s) for the digest `e` (already SM3(Z_A ‖ M)).
    fn verify_sm2(&self, key: &Self::Key, e: &[u8; 32], r: &[u8; 32], s: &[u8; 32]) -> bool;
}

/// Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A) for an SM2 key (GB/T 32918.2), with
/// ENTL_A the bit length of `id`. GB/T 45112 uses ID_A = SM3(signer certificate), 32 octets.
pub fn sm2_za<B: Backend + ?Sized>(backend: &B, id: &[u8], xy: &[u8; 64]) -> [u8; 32] {
    let entl = ((id.len() as u64 * 8) as u16).to_be_bytes();
    backend.sm3(&[&entl, id, &SM2_A, &SM2_B, &SM2_GX, &SM2_GY, xy])
}

/// Which SM2 verifier the software backend uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sm2Verifier {
    /// Fixed-window tables for the generator and, once a key has verified enough signatures
    /// (see [`SoftwareBackend::tables`]), for the key ([`super::precomp`]): the default.
    #[default]
    Precomputed,
    /// `efficient-sm2` (`verify_digest`). It compares x1 with (r − e) mod n only, so it rejects
    /// the valid signatures whose x1 lies in [n, p) (about 2^-128 of honest ones).
    #[cfg(feature = "sm2-fast")]
    Fast,
    /// RustCrypto `sm2` (`verify_prehash`): the reference.
    RustCrypto,
}

/// Which ECDSA P-256 verifier the software backend uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum P256Verifier {
    /// `ring` for keys without a table, the tables of [`super::precomp`] for a key that has
    /// one (after enough verified signatures, see [`SoftwareBackend::tables`]): the default.
    #[default]
    Precomputed,
    /// `ring` only (assembly field arithmetic, a table for the generator).
    Ring,
    /// The tables of [`super::precomp`] only (a per-call table for a key without its own:
    /// slower than `ring`; for cross-checks).
    TablesOnly,
}

/// The software backend: ring, p256, sm2/sm3, the tables of [`super::precomp`] and (feature
/// `sm2-fast`) efficient-sm2.
#[derive(Debug, Clone, Copy, Default)]
pub struct SoftwareBackend {
    /// The SM2 verifier in use.
    pub sm2: Sm2Verifier,
    /// The P-256 verifier in use.
    pub p256: P256Verifier,
    /// When a prepared key gets its table with a table verifier, and its shape
    /// ([`SoftwareKey::precompute`] builds it at once). The verifier caches the prepared keys of
    /// the certificates it has verified, so only those keys reach the count. Default: after
    /// [`precomp::SM2_BUILD_AFTER`] or [`precomp::P256_BUILD_AFTER`] verified signatures,
    /// [`precomp::SIGNER_LAYOUT`].
    pub tables: TablePolicy,
}

/// A key prepared by [`SoftwareBackend`].
#[derive(Clone)]
pub struct SoftwareKey {
    alg: KeyAlg,
    /// 0x04 ‖ x ‖ y.
    sec1: [u8; 65],
    sm2_ref: Option<sm2::dsa::VerifyingKey>,
    #[cfg(feature = "sm2-fast")]
    sm2_fast: Option<efficient_sm2::PublicKey>,
    /// The key and its table for [`Sm2Verifier::Precomputed`], shared by clones.
    sm2_pre: Option<Arc<Signer<Sm2Curve>>>,
    /// The key and its table for [`P256Verifier::Precomputed`], shared by clones.
    p256_pre: Option<Arc<Signer<P256Curve>>>,
}

impl core::fmt::Debug for SoftwareKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SoftwareKey")
            .field("alg", &self.alg)
            .field("sec1", &&self.sec1[..])
            .finish()
    }
}

impl SoftwareKey {
    /// The uncompressed SEC1 encoding (0x04 ‖ x ‖ y).
    pub fn sec1(&self) -> &[u8; 65] {
        &self.sec1
    }

    /// Builds the key's verification table now with the default layout (it is otherwise built
    /// after the [`SoftwareBackend::tables`] policy's count of verified signatures); whether
    /// the key has one. Clones share the table.
    pub fn precompute(&self) -> bool {
        self.precompute_with(precomp::SIGNER_LAYOUT)
    }

    /// [`SoftwareKey::precompute`] with the given layout (an invalid layout builds nothing).
    /// A key that already has a table keeps it.
    pub fn precompute_with(&self, layout: Layout) -> bool {
        match (&self.sm2_pre, &self.p256_pre) {
            (Some(k), _) => k.precompute(layout),
            (_, Some(k)) => k.precompute(layout),
            _ => false,
        }
    }

    /// Octets held by the key's verification table (0 while it has none; see
    /// [`precomp::SIGNER_TABLE_BYTES`]).
    pub fn table_bytes(&self) -> usize {
        match (&self.sm2_pre, &self.p256_pre) {
            (Some(k), _) => k.table_bytes(),
            (_, Some(k)) => k.table_bytes(),
            _ => 0,
        }
    }

    /// Adds the table verifier's signer for the (validated) key.
    fn with_signer(mut self) -> Self {
        let mut x = [0u8; 32];
        let mut y = [0u8; 32];
        x.copy_from_slice(&self.sec1[1..33]);
        y.copy_from_slice(&self.sec1[33..]);
        match self.alg {
            KeyAlg::Sm2 => self.sm2_pre = Signer::new(&x, &y).map(Arc::new),
            KeyAlg::EcdsaP256 => self.p256_pre = Signer::new(&x, &y).map(Arc::new),
            _ => {}
        }
        self
    }
}

fn sec1_input(point: &CurvePoint) -> Result<([u8; 65], usize)> {
    let mut b = [0u8; 65];
    let n = match point {
        CurvePoint::XOnly(x) | CurvePoint::CompressedY0(x) => {
            b[0] = 2;
            b[1..33].copy_from_slice(x);
            33
        }
        CurvePoint::CompressedY1(x) => {
            b[0] = 3;
            b[1..33].copy_from_slice(x);
            33
        }
        CurvePoint::Uncompressed(x, y) => {
            b[0] = 4;
            b[1..33].copy_from_slice(x);
            b[33..].copy_from_slice(y);
            65
        }
        CurvePoint::Fill => return Err(SecurityError::InvalidPublicKey),
    };
    Ok((b, n))
}

/// Whether 1 ≤ v < n (big-endian).
#[cfg(feature = "sm2-fast")]
fn in_sm2_scalar_range(v: &[u8; 32]) -> bool {
    v.iter().any(|b| *b != 0) && v < &SM2_N
}

/// Whether (r + s) mod n = 0, for r, s < n.
#[cfg(feature = "sm2-fast")]
fn sm2_sum_is_n(r: &[u8; 32], s: &[u8; 32]) -> bool {
    let mut carry = 0u16;
    let mut sum = [0u8; 32];
    for i in (0..32).rev() {
        let t = u16::from(r[i]) + u16::from(s[i]) + carry;
        sum[i] = t as u8;
        carry = t >> 8;
    }
    carry == 0 && sum == SM2_N
}

impl SoftwareBackend {
    /// A backend using the given SM2 verifier.
    pub fn with_sm2(sm2: Sm2Verifier) -> Self {
        SoftwareBackend {
            sm2,
            ..SoftwareBackend::default()
        }
    }

    /// SM2 verification with RustCrypto `sm2` (`verify_prehash`), whatever verifier is selected:
    /// the reference for cross-checks and benchmarks.
    pub fn verify_sm2_reference(
        &self,
        key: &SoftwareKey,
        e: &[u8; 32],
        r: &[u8; 32],
        s: &[u8; 32],
    ) -> bool {
        self.verify_sm2_with(Sm2Verifier::RustCrypto, key, e, r, s)
    }

    /// SM2 verification with the given verifier. `efficient-sm2` does not range-check r and s,
    /// so that is done here first.
    pub fn verify_sm2_with(
        &self,
        which: Sm2Verifier,
        key: &SoftwareKey,
        e: &[u8; 32],
        r: &[u8; 32],
        s: &[u8; 32],
    ) -> bool {
        if key.alg != KeyAlg::Sm2 {
            return false;
        }
        match which {
            Sm2Verifier::Precomputed => key
                .sm2_pre
                .as_ref()
                .is_some_and(|k| precomp::verify_sm2(k, e, r, s, &self.tables)),
            #[cfg(feature = "sm2-fast")]
            Sm2Verifier::Fast => {
                let Some(pk) = &key.sm2_fast else {
                    return false;
                };
                if !in_sm2_scalar_range(r) || !in_sm2_scalar_range(s) || sm2_sum_is_n(r, s) {
                    return false;
                }
                match efficient_sm2::Signature::new(r, s) {
                    Ok(sig) => sig.verify_digest(pk, e).is_ok(),
                    Err(_) => false,
                }
            }
            Sm2Verifier::RustCrypto => {
                use sm2::dsa::signature::hazmat::PrehashVerifier;
                let Some(vk) = &key.sm2_ref else {
                    return false;
                };
                let Ok(sig) = sm2::dsa::Signature::from_scalars(*r, *s) else {
                    return false;
                };
                vk.verify_prehash(e, &sig).is_ok()
            }
        }
    }
}

impl Backend for SoftwareBackend {
    type Key = SoftwareKey;

    fn sha256(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
        for p in parts {
            ctx.update(p);
        }
        let d = ctx.finish();
        let mut out = [0u8; 32];
        out.copy_from_slice(d.as_ref());
        out
    }

    fn sm3(&self, parts: &[&[u8]]) -> [u8; 32] {
        use sm3::Digest;
        let mut h = sm3::Sm3::new();
        for p in parts {
            h.update(p);
        }
        h.finalize().into()
    }

    fn prepare_key(&self, alg: KeyAlg, point: &CurvePoint) -> Result<SoftwareKey> {
        let (input, n) = sec1_input(point)?;
        let input = input.get(..n).ok_or(SecurityError::InvalidPublicKey)?;
        let sec1_65 = |b: &[u8]| -> Result<[u8; 65]> {
            b.try_into().map_err(|_| SecurityError::InvalidPublicKey)
        };
        match alg {
            KeyAlg::EcdsaP256 => {
                use p256::elliptic_curve::sec1::ToSec1Point;
                let pk = p256::PublicKey::from_sec1_bytes(input)
                    .map_err(|_| SecurityError::InvalidPublicKey)?;
                Ok(SoftwareKey {
                    alg,
                    sec1: sec1_65(pk.to_sec1_point(false).as_bytes())?,
                    sm2_ref: None,
                    #[cfg(feature = "sm2-fast")]
                    sm2_fast: None,
                    sm2_pre: None,
                    p256_pre: None,
                }
                .with_signer())
            }
            KeyAlg::Sm2 => {
                use sm2::elliptic_curve::sec1::ToSec1Point;
                let pk = sm2::PublicKey::from_sec1_bytes(input)
                    .map_err(|_| SecurityError::InvalidPublicKey)?;
                let sec1 = sec1_65(pk.to_sec1_point(false).as_bytes())?;
                let vk = sm2::dsa::VerifyingKey::new("", pk)
                    .map_err(|_| SecurityError::InvalidPublicKey)?;
                Ok(SoftwareKey {
                    alg,
                    sec1,
                    sm2_ref: Some(vk),
                    #[cfg(feature = "sm2-fast")]
                    sm2_fast: Some(efficient_sm2::PublicKey::new(&sec1[1..33], &sec1[33..])),
                    sm2_pre: None,
                    p256_pre: None,
                }
                .with_signer())
            }
            _ => Err(SecurityError::UnsupportedAlgorithm),
        }
    }

    fn key_xy(&self, key: &SoftwareKey) -> [u8; 64] {
        let mut xy = [0u8; 64];
        xy.copy_from_slice(&key.sec1[1..]);
        xy
    }

    fn verify_p256(&self, key: &SoftwareKey, msg: &[u8; 64], r: &[u8; 32], s: &[u8; 32]) -> bool {
        if key.alg != KeyAlg::EcdsaP256 {
            return false;
        }
        if let Some(k) = &key.p256_pre {
            let tables = match self.p256 {
                P256Verifier::Precomputed => k.has_table(),
                P256Verifier::Ring => false,
                P256Verifier::TablesOnly => true,
            };
            if tables {
                return precomp::verify_p256(k, &self.sha256(&[msg]), r, s);
            }
        }
        let mut sig = [0u8; 64];
        sig[..32].copy_from_slice(r);
        sig[32..].copy_from_slice(s);
        let ok = ring::signature::UnparsedPublicKey::new(
            &ring::signature::ECDSA_P256_SHA256_FIXED,
            &key.sec1[..],
        )
        .verify(msg, &sig)
        .is_ok();
        if ok && self.p256 == P256Verifier::Precomputed {
            if let Some(k) = &key.p256_pre {
                k.note_verified(&self.tables);
            }
        }
        ok
    }

    fn verify_sm2(&self, key: &SoftwareKey, e: &[u8; 32], r: &[u8; 32], s: &[u8; 32]) -> bool {
        self.verify_sm2_with(self.sm2, key, e, r, s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "sm2-fast")]
    #[test]
    fn sm2_scalar_checks() {
        assert!(!in_sm2_scalar_range(&[0; 32]));
        assert!(!in_sm2_scalar_range(&SM2_N));
        let mut one = [0u8; 32];
        one[31] = 1;
        assert!(in_sm2_scalar_range(&one));
        let mut n_minus_1 = SM2_N;
        n_minus_1[31] -= 1;
        assert!(sm2_sum_is_n(&one, &n_minus_1));
        assert!(!sm2_sum_is_n(&one, &one));
    }

    #[test]
    fn sm3_known_answer() {
        // GB/T 32905 example 1: SM3("abc").
        let h = SoftwareBackend::default().sm3(&[b"a", b"bc"]);
        assert_eq!(
            h,
            hex32("66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0")
        );
    }
}
