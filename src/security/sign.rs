//! Signing: SPDUs with a digest or certificate signer, and certificates, for ECDSA P-256 and
//! SM2. Signatures are deterministic (RFC 6979 nonces), so the same input gives the same bytes.
//!
//! # Where the key lives
//!
//! [`SpduSigner`] signs through the [`SigningBackend`] trait, the signing counterpart of the
//! verification [`Backend`]: the software [`PrivateKey`] is one implementation, a key held in a
//! security chip or HSM another (a callback into the chip's driver). The signer computes the
//! digest; the backend only signs it, so a backend never sees the message and never hashes:
//!
//! | algorithm | the 32-octet digest handed to [`SigningBackend::sign_prehashed`] |
//! |---|---|
//! | ECDSA P-256 | `H = SHA-256( SHA-256(tbs) ‖ SHA-256(signer certificate) )`: the value ECDSA signs as its message hash (the backend converts it to an integer mod n as ECDSA does and does **not** hash it again) |
//! | SM2 | `e = SM3( Z_A ‖ tbs )`, `Z_A` from [`sm2_za`] with user ID = SM3(signer certificate) (the default ID for a self-signed certificate) and the backend's own public key: the `e` of GB/T 32918.2 step A2 |
//!
//! For a self-signed certificate the ECDSA signer input is SHA-256 of the empty string. Both
//! digests come from [`signing_digest`] and [`signer_input`], so an HSM integration can check
//! its own computation against them.
//!
//! Signing never fails silently: every failure is a [`SecurityError`] (a backend reports
//! [`SecurityError::SigningFailed`] or [`SecurityError::UnsupportedAlgorithm`]), never an empty
//! or partial SPDU.

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;

use super::cert::{
    CertTemplate, Certificate, CurvePoint, HashAlg, HashedId8, KeyAlg, PublicKey, Signature,
};
use super::crypto::{Backend, SM2_DEFAULT_ID, SoftwareBackend, sm2_za};
use super::error::{Result, SecurityError};
use super::spdu::{self, HeaderFields, SignerRef};
use super::verify::id8_of;
use crate::time::Timestamp;

/// A signing key, wherever it lives: in memory ([`PrivateKey`]), in a security chip or HSM
/// behind a driver, or behind a C callback. The signer hands it the finished digest (see the
/// module documentation for exactly what is hashed).
pub trait SigningBackend {
    /// The key's algorithm ([`KeyAlg::EcdsaP256`] or [`KeyAlg::Sm2`]).
    fn alg(&self) -> KeyAlg;

    /// The public key, affine x ‖ y (32 octets each, big-endian). SM2 hashes it into `Z_A`.
    fn public_xy(&self) -> [u8; 64];

    /// Signs the 32-octet `digest` (ECDSA P-256: `H`; SM2: `e`) and returns (r, s) with
    /// [`Signature::alg`] set to [`SigningBackend::alg`]. Failures are typed errors
    /// ([`SecurityError::SigningFailed`]), never an all-zero signature.
    fn sign_prehashed(&self, digest: &[u8; 32]) -> Result<Signature>;
}

/// A reference, box or shared pointer to a backend is a backend.
macro_rules! forward_backend {
    ($($ptr:ty),*) => {$(
        impl<T: SigningBackend + ?Sized> SigningBackend for $ptr {
            fn alg(&self) -> KeyAlg {
                (**self).alg()
            }
            fn public_xy(&self) -> [u8; 64] {
                (**self).public_xy()
            }
            fn sign_prehashed(&self, digest: &[u8; 32]) -> Result<Signature> {
                (**self).sign_prehashed(digest)
            }
        }
    )*};
}
forward_backend!(&T, Box<T>, Arc<T>);

/// The signer input of a key for signatures on other data, given the signer's certificate:
/// SHA-256 of the certificate for ECDSA P-256, `Z_A` with ID = SM3(certificate) for SM2; for a
/// self-signature (`cert` = `None`) SHA-256 of the empty string, or `Z_A` with the default ID.
pub fn signer_input(alg: KeyAlg, public_xy: &[u8; 64], cert: Option<&[u8]>) -> Result<[u8; 32]> {
    let b = SoftwareBackend::default();
    match (alg, cert) {
        (KeyAlg::EcdsaP256, Some(c)) => Ok(b.sha256(&[c])),
        (KeyAlg::EcdsaP256, None) => Ok(b.sha256(&[])),
        (KeyAlg::Sm2, Some(c)) => Ok(sm2_za(&b, &b.sm3(&[c]), public_xy)),
        (KeyAlg::Sm2, None) => Ok(sm2_za(&b, SM2_DEFAULT_ID, public_xy)),
        _ => Err(SecurityError::UnsupportedAlgorithm),
    }
}

/// The digest a [`SigningBackend`] signs for `tbs` (ECDSA P-256: SHA-256(SHA-256(tbs) ‖
/// `signer_input`); SM2: SM3(`signer_input` ‖ tbs)), `signer_input` from [`signer_input`].
pub fn signing_digest(alg: KeyAlg, signer_input: &[u8; 32], tbs: &[u8]) -> Result<[u8; 32]> {
    let b = SoftwareBackend::default();
    match alg {
        KeyAlg::EcdsaP256 => Ok(b.sha256(&[&b.sha256(&[tbs]), signer_input])),
        KeyAlg::Sm2 => Ok(b.sm3(&[signer_input, tbs])),
        _ => Err(SecurityError::UnsupportedAlgorithm),
    }
}

/// The hash algorithm that goes with a key algorithm in `SignedData.hashId`.
pub fn hash_alg_of(alg: KeyAlg) -> HashAlg {
    match alg {
        KeyAlg::Sm2 => HashAlg::Sm3,
        _ => HashAlg::Sha256,
    }
}

/// Whether `cert`'s verification key is the public key `xy` of algorithm `alg`.
pub fn key_matches_certificate(alg: KeyAlg, xy: &[u8; 64], cert: &Certificate) -> bool {
    let (x, y) = xy.split_at(32);
    let y_odd = y.last().is_some_and(|b| b & 1 == 1);
    cert.public_key().is_ok_and(|pk| {
        pk.alg == alg
            && match &pk.point {
                CurvePoint::XOnly(px) => px[..] == *x,
                CurvePoint::CompressedY0(px) => px[..] == *x && !y_odd,
                CurvePoint::CompressedY1(px) => px[..] == *x && y_odd,
                CurvePoint::Uncompressed(px, py) => px[..] == *x && py[..] == *y,
                CurvePoint::Fill => false,
            }
    })
}

/// A private signing key held in memory (the software [`SigningBackend`]).
#[derive(Clone)]
pub enum PrivateKey {
    /// ECDSA P-256.
    P256(p256::ecdsa::SigningKey),
    /// SM2.
    Sm2(sm2::dsa::SigningKey),
}

impl core::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            PrivateKey::P256(_) => "PrivateKey::P256(..)",
            PrivateKey::Sm2(_) => "PrivateKey::Sm2(..)",
        })
    }
}

impl SigningBackend for PrivateKey {
    fn alg(&self) -> KeyAlg {
        PrivateKey::alg(self)
    }

    fn public_xy(&self) -> [u8; 64] {
        PrivateKey::public_xy(self)
    }

    fn sign_prehashed(&self, digest: &[u8; 32]) -> Result<Signature> {
        match self {
            PrivateKey::P256(k) => {
                use p256::ecdsa::signature::hazmat::PrehashSigner;
                let sig: p256::ecdsa::Signature = k
                    .sign_prehash(digest)
                    .map_err(|_| SecurityError::SigningFailed)?;
                let (r, s) = sig.split_bytes();
                Ok(Signature {
                    alg: KeyAlg::EcdsaP256,
                    r: r.into(),
                    s: s.into(),
                })
            }
            PrivateKey::Sm2(k) => {
                use sm2::dsa::signature::hazmat::PrehashSigner;
                let sig = k
                    .sign_prehash(digest)
                    .map_err(|_| SecurityError::SigningFailed)?;
                Ok(Signature {
                    alg: KeyAlg::Sm2,
                    r: sig.r_bytes().into(),
                    s: sig.s_bytes().into(),
                })
            }
        }
    }
}

impl PrivateKey {
    /// A key from its 32-octet big-endian scalar.
    pub fn from_bytes(alg: KeyAlg, d: &[u8; 32]) -> Result<Self> {
        match alg {
            KeyAlg::EcdsaP256 => p256::ecdsa::SigningKey::from_slice(d)
                .map(PrivateKey::P256)
                .map_err(|_| SecurityError::SigningFailed),
            KeyAlg::Sm2 => sm2::dsa::SigningKey::from_slice("", d)
                .map(PrivateKey::Sm2)
                .map_err(|_| SecurityError::SigningFailed),
            _ => Err(SecurityError::UnsupportedAlgorithm),
        }
    }

    /// The 32-octet big-endian scalar (secret: store it only where the key belongs).
    pub fn to_bytes(&self) -> [u8; 32] {
        let mut d = [0u8; 32];
        match self {
            PrivateKey::P256(k) => d.copy_from_slice(&k.to_bytes()),
            PrivateKey::Sm2(k) => d.copy_from_slice(&k.to_bytes()),
        }
        d
    }

    /// Whether `cert`'s verification key is this key's public key.
    pub fn matches_certificate(&self, cert: &Certificate) -> bool {
        key_matches_certificate(self.alg(), &self.public_xy(), cert)
    }

    /// Algorithm.
    pub fn alg(&self) -> KeyAlg {
        match self {
            PrivateKey::P256(_) => KeyAlg::EcdsaP256,
            PrivateKey::Sm2(_) => KeyAlg::Sm2,
        }
    }

    /// The public point, x ‖ y.
    pub fn public_xy(&self) -> [u8; 64] {
        let mut xy = [0u8; 64];
        match self {
            PrivateKey::P256(k) => {
                let p = k.verifying_key().to_sec1_point(false);
                if let Some(b) = p.as_bytes().get(1..65) {
                    xy.copy_from_slice(b);
                }
            }
            PrivateKey::Sm2(k) => {
                use sm2::elliptic_curve::sec1::ToSec1Point;
                let p = sm2::PublicKey::from(k.verifying_key()).to_sec1_point(false);
                if let Some(b) = p.as_bytes().get(1..65) {
                    xy.copy_from_slice(b);
                }
            }
        }
        xy
    }

    /// The public key as a certificate carries it, in compressed form.
    pub fn public_key(&self) -> PublicKey {
        let xy = self.public_xy();
        let mut x = [0u8; 32];
        x.copy_from_slice(&xy[..32]);
        let point = if xy[63] & 1 == 0 {
            CurvePoint::CompressedY0(x)
        } else {
            CurvePoint::CompressedY1(x)
        };
        PublicKey {
            alg: self.alg(),
            point,
        }
    }

    /// The signer input for signatures by this key on other data, given the signer's
    /// certificate, or for a self-signature when `cert` is `None` (see [`signer_input`]).
    pub fn signer_input(&self, cert: Option<&[u8]>) -> [u8; 32] {
        // Both algorithms of a `PrivateKey` are supported: the fallback is never taken.
        signer_input(self.alg(), &self.public_xy(), cert).unwrap_or([0; 32])
    }

    /// Signs `tbs` with the given signer input (see [`PrivateKey::signer_input`]): the
    /// [`signing_digest`] through [`SigningBackend::sign_prehashed`].
    pub fn sign(&self, signer_input: &[u8; 32], tbs: &[u8]) -> Result<Signature> {
        self.sign_prehashed(&signing_digest(self.alg(), signer_input, tbs)?)
    }

    /// The hash algorithm that goes with this key in `SignedData.hashId`.
    pub fn hash_alg(&self) -> HashAlg {
        hash_alg_of(self.alg())
    }
}

/// Encodes and signs a certificate. `issuer` is the issuer's key and certificate, or `None`
/// for a self-signed certificate (whose template must name a self issuer and `key`'s key).
pub fn sign_certificate(
    template: &CertTemplate,
    issuer: Option<(&PrivateKey, &[u8])>,
    self_key: &PrivateKey,
) -> Result<Vec<u8>> {
    let tbs = template.encode_tbs();
    let sig = match issuer {
        Some((k, cert)) => k.sign(&k.signer_input(Some(cert)), &tbs)?,
        None => self_key.sign(&self_key.signer_input(None), &tbs)?,
    };
    Ok(template.encode_certificate(&tbs, &sig))
}

/// How a signed SPDU names its signer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignerMode {
    /// By the certificate's HashedId8 (the usual case between certificate changes).
    #[default]
    Digest,
    /// With the whole certificate.
    Certificate,
}

/// Signs application payloads into SPDUs with one key and its certificate. The key is any
/// [`SigningBackend`]: the software [`PrivateKey`] by default, a `Box<dyn SigningBackend>`
/// for a key in a security chip.
#[derive(Clone)]
pub struct SpduSigner<K: SigningBackend = PrivateKey> {
    key: K,
    cert: Vec<u8>,
    id8: HashedId8,
    signer_input: [u8; 32],
    mode: SignerMode,
}

impl<K: SigningBackend> core::fmt::Debug for SpduSigner<K> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SpduSigner")
            .field("alg", &self.key.alg())
            .field("id8", &self.id8)
            .field("mode", &self.mode)
            .finish_non_exhaustive()
    }
}

impl<K: SigningBackend> SpduSigner<K> {
    /// A signer for `key` and its COER certificate.
    pub fn new(key: K, cert: &[u8]) -> Result<Self> {
        let parsed = Certificate::from_bytes(cert)?;
        let b = SoftwareBackend::default();
        let hash = match parsed.issuer.hash_alg() {
            HashAlg::Sm3 => b.sm3(&[cert]),
            _ => b.sha256(&[cert]),
        };
        Ok(SpduSigner {
            signer_input: signer_input(key.alg(), &key.public_xy(), Some(cert))?,
            key,
            cert: cert.to_vec(),
            id8: id8_of(&hash),
            mode: SignerMode::Digest,
        })
    }

    /// Chooses digest or certificate signer.
    pub fn set_mode(&mut self, mode: SignerMode) {
        self.mode = mode;
    }

    /// The signer mode in use.
    pub fn mode(&self) -> SignerMode {
        self.mode
    }

    /// The signer certificate.
    pub fn certificate(&self) -> &[u8] {
        &self.cert
    }

    /// The signing key.
    pub fn key(&self) -> &K {
        &self.key
    }

    /// HashedId8 of the signer certificate.
    pub fn id8(&self) -> HashedId8 {
        self.id8
    }

    /// HashedId3 of the signer certificate (the last three octets of its HashedId8), the
    /// name a peer-to-peer certificate request uses.
    pub fn id3(&self) -> [u8; 3] {
        [self.id8[5], self.id8[6], self.id8[7]]
    }

    /// Signs `payload` (the UPER MessageFrame) for `aid` with the generation time given. A time
    /// before the 1609.2 epoch cannot be carried and fails.
    pub fn sign(&self, payload: &[u8], aid: u64, generation_time: Timestamp) -> Result<Vec<u8>> {
        let header = HeaderFields {
            psid: aid,
            generation_time: Some(
                u64::try_from(generation_time.as_micros())
                    .map_err(|_| SecurityError::SigningFailed)?,
            ),
            ..HeaderFields::default()
        };
        self.sign_with(payload, &header)
    }

    /// Signs `payload` with the header fields given.
    pub fn sign_with(&self, payload: &[u8], header: &HeaderFields) -> Result<Vec<u8>> {
        self.sign_tbs(&spdu::encode_tbs(payload, header))
    }

    /// Signs an already encoded `ToBeSignedData` (any content, for tests and tools) into a
    /// complete SPDU.
    pub fn sign_tbs(&self, tbs: &[u8]) -> Result<Vec<u8>> {
        let alg = self.key.alg();
        let sig = self
            .key
            .sign_prehashed(&signing_digest(alg, &self.signer_input, tbs)?)?;
        if sig.alg != alg {
            return Err(SecurityError::SigningFailed);
        }
        let signer = match self.mode {
            SignerMode::Digest => SignerRef::Digest(self.id8),
            SignerMode::Certificate => SignerRef::Certificate(&self.cert),
        };
        Ok(spdu::encode_signed(hash_alg_of(alg), tbs, signer, &sig))
    }
}

#[cfg(all(test, feature = "testing"))]
mod tests {
    use super::*;
    use crate::testing::pki::TestPki;

    #[test]
    fn key_bytes_round_trip_and_match_their_certificate() {
        let now = Timestamp::from_micros(700_000_000_000_000);
        for alg in [KeyAlg::EcdsaP256, KeyAlg::Sm2] {
            let pki = TestPki::new(alg, b"sign-tests", now).unwrap();
            let signer = pki.signer(&[32]).unwrap();
            let cert = Certificate::from_bytes(signer.certificate()).unwrap();
            let key = signer.key();
            let again = PrivateKey::from_bytes(alg, &key.to_bytes()).unwrap();
            assert_eq!(again.public_xy(), key.public_xy());
            assert!(again.matches_certificate(&cert));
            // another key of the same algorithm, and the CA's certificate, do not match
            assert!(!pki.key("other").unwrap().matches_certificate(&cert));
            let ca = Certificate::from_bytes(pki.ca_cert()).unwrap();
            assert!(!key.matches_certificate(&ca));
            assert!(pki.ca_key().matches_certificate(&ca));
        }
    }

    /// A key behind a callback, as a security chip's driver or the C ABI presents it: it only
    /// ever sees the digest.
    struct Callback<F: Fn(&[u8; 32]) -> Result<Signature>> {
        alg: KeyAlg,
        xy: [u8; 64],
        f: F,
    }

    impl<F: Fn(&[u8; 32]) -> Result<Signature>> SigningBackend for Callback<F> {
        fn alg(&self) -> KeyAlg {
            self.alg
        }
        fn public_xy(&self) -> [u8; 64] {
            self.xy
        }
        fn sign_prehashed(&self, digest: &[u8; 32]) -> Result<Signature> {
            (self.f)(digest)
        }
    }

    fn verifier_for(pki: &TestPki) -> crate::security::Verifier {
        let mut v = crate::security::Verifier::new(crate::security::Config::default());
        v.add_trust_anchor(pki.root_cert()).unwrap();
        v.add_certificate(pki.ca_cert()).unwrap();
        v
    }

    #[test]
    fn a_backend_behind_the_trait_signs_spdus_that_verify() {
        let now = Timestamp::from_micros(700_000_000_000_000);
        for alg in [KeyAlg::EcdsaP256, KeyAlg::Sm2] {
            let pki = TestPki::new(alg, b"backend-tests", now).unwrap();
            let software = pki.signer(&[32]).unwrap();
            let key = software.key().clone();
            let seen = core::cell::Cell::new(0u32);
            let chip = Callback {
                alg,
                xy: key.public_xy(),
                f: |d: &[u8; 32]| {
                    seen.set(seen.get() + 1);
                    key.sign_prehashed(d)
                },
            };
            let chip: Box<dyn SigningBackend + '_> = Box::new(chip);
            let mut boxed = SpduSigner::new(chip, software.certificate()).unwrap();
            assert_eq!(boxed.id8(), software.id8());
            let mut v = verifier_for(&pki);
            boxed.set_mode(SignerMode::Certificate);
            let spdu = boxed.sign(b"frame", 32, now).unwrap();
            assert_eq!(v.verify(&spdu, now).code(), "ok", "{alg:?}");
            assert_eq!(seen.get(), 1);
            // deterministic nonces: the callback path and the software key agree byte for byte
            let mut soft = software.clone();
            soft.set_mode(SignerMode::Certificate);
            assert_eq!(soft.sign(b"frame", 32, now).unwrap(), spdu);
            // the digest the backend gets is the one the module documents
            let tbs = spdu::encode_tbs(
                b"frame",
                &HeaderFields {
                    psid: 32,
                    generation_time: Some(now.as_micros() as u64),
                    ..HeaderFields::default()
                },
            );
            let input = signer_input(alg, &key.public_xy(), Some(software.certificate())).unwrap();
            let b = SoftwareBackend::default();
            let expected = match alg {
                KeyAlg::EcdsaP256 => {
                    b.sha256(&[&b.sha256(&[&tbs]), &b.sha256(&[software.certificate()])])
                }
                _ => {
                    let id = b.sm3(&[software.certificate()]);
                    b.sm3(&[&sm2_za(&b, &id, &key.public_xy()), &tbs])
                }
            };
            assert_eq!(signing_digest(alg, &input, &tbs).unwrap(), expected);
        }
    }

    #[test]
    fn the_p256_prehash_path_signs_as_ecdsa_over_the_concatenation() {
        use p256::ecdsa::signature::Signer;
        let now = Timestamp::from_micros(700_000_000_000_000);
        let pki = TestPki::new(KeyAlg::EcdsaP256, b"prehash", now).unwrap();
        let PrivateKey::P256(k) = pki.key("k").unwrap() else {
            panic!("a P-256 key")
        };
        let key = PrivateKey::P256(k.clone());
        let b = SoftwareBackend::default();
        let input = b.sha256(&[b"certificate"]);
        let mut msg = [0u8; 64];
        msg[..32].copy_from_slice(&b.sha256(&[b"tbs"]));
        msg[32..].copy_from_slice(&input);
        let reference: p256::ecdsa::Signature = k.try_sign(&msg).unwrap();
        let sig = key.sign(&input, b"tbs").unwrap();
        let (r, s) = reference.split_bytes();
        assert_eq!((sig.r, sig.s), (r.into(), s.into()));
    }

    #[test]
    fn backend_failures_are_typed_errors_never_an_empty_spdu() {
        let now = Timestamp::from_micros(700_000_000_000_000);
        for alg in [KeyAlg::EcdsaP256, KeyAlg::Sm2] {
            let pki = TestPki::new(alg, b"failing", now).unwrap();
            let software = pki.signer(&[32]).unwrap();
            let xy = software.key().public_xy();
            let failing = Callback {
                alg,
                xy,
                f: |_: &[u8; 32]| Err(SecurityError::SigningFailed),
            };
            let s = SpduSigner::new(failing, software.certificate()).unwrap();
            assert_eq!(s.sign(b"x", 32, now), Err(SecurityError::SigningFailed));
            // a backend answering with another algorithm's signature is refused too
            let key = software.key().clone();
            let liar = Callback {
                alg,
                xy,
                f: move |d: &[u8; 32]| {
                    let mut sig = key.sign_prehashed(d)?;
                    sig.alg = KeyAlg::EcdsaBrainpoolP256;
                    Ok(sig)
                },
            };
            let s = SpduSigner::new(liar, software.certificate()).unwrap();
            assert_eq!(s.sign(b"x", 32, now), Err(SecurityError::SigningFailed));
            // a time before the epoch cannot be a generation time
            assert_eq!(
                software.sign(b"x", 32, Timestamp::from_micros(-1)),
                Err(SecurityError::SigningFailed)
            );
            // an unsupported algorithm has no signer input
            assert_eq!(
                signer_input(KeyAlg::EcdsaP384, &xy, None),
                Err(SecurityError::UnsupportedAlgorithm)
            );
        }
    }
}
