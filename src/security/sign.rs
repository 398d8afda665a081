//! Signing: SPDUs with a digest or certificate signer, and certificates, for ECDSA P-256 and
//! SM2. Signatures are deterministic (RFC 6979 nonces), so the same input gives the same bytes.

use alloc::vec::Vec;

use super::cert::{
    CertTemplate, Certificate, CurvePoint, HashAlg, HashedId8, KeyAlg, PublicKey, Signature,
};
use super::crypto::{Backend, SM2_DEFAULT_ID, SoftwareBackend, sm2_za};
use super::error::{Result, SecurityError};
use super::spdu::{self, HeaderFields, SignerRef};
use super::verify::id8_of;
use crate::time::Timestamp;

/// A private signing key.
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
        let xy = self.public_xy();
        let (x, y) = xy.split_at(32);
        let y_odd = y[31] & 1 == 1;
        cert.public_key().is_ok_and(|pk| {
            pk.alg == self.alg()
                && match &pk.point {
                    CurvePoint::XOnly(px) => px[..] == *x,
                    CurvePoint::CompressedY0(px) => px[..] == *x && !y_odd,
                    CurvePoint::CompressedY1(px) => px[..] == *x && y_odd,
                    CurvePoint::Uncompressed(px, py) => px[..] == *x && py[..] == *y,
                    CurvePoint::Fill => false,
                }
        })
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
    /// certificate (SHA-256 of it for ECDSA, Z_A with ID = SM3 of it for SM2), or for a
    /// self-signature when `cert` is `None`.
    pub fn signer_input(&self, cert: Option<&[u8]>) -> [u8; 32] {
        let b = SoftwareBackend::default();
        match (self, cert) {
            (PrivateKey::P256(_), Some(c)) => b.sha256(&[c]),
            (PrivateKey::P256(_), None) => b.sha256(&[]),
            (PrivateKey::Sm2(_), Some(c)) => sm2_za(&b, &b.sm3(&[c]), &self.public_xy()),
            (PrivateKey::Sm2(_), None) => sm2_za(&b, SM2_DEFAULT_ID, &self.public_xy()),
        }
    }

    /// Signs `tbs` with the given signer input (see [`PrivateKey::signer_input`]).
    pub fn sign(&self, signer_input: &[u8; 32], tbs: &[u8]) -> Result<Signature> {
        let b = SoftwareBackend::default();
        match self {
            PrivateKey::P256(k) => {
                use p256::ecdsa::signature::Signer;
                let mut msg = [0u8; 64];
                msg[..32].copy_from_slice(&b.sha256(&[tbs]));
                msg[32..].copy_from_slice(signer_input);
                let sig: p256::ecdsa::Signature =
                    k.try_sign(&msg).map_err(|_| SecurityError::SigningFailed)?;
                let (r, s) = sig.split_bytes();
                Ok(Signature {
                    alg: KeyAlg::EcdsaP256,
                    r: r.into(),
                    s: s.into(),
                })
            }
            PrivateKey::Sm2(k) => {
                use sm2::dsa::signature::hazmat::PrehashSigner;
                let e = b.sm3(&[signer_input, tbs]);
                let sig = k
                    .sign_prehash(&e)
                    .map_err(|_| SecurityError::SigningFailed)?;
                Ok(Signature {
                    alg: KeyAlg::Sm2,
                    r: sig.r_bytes().into(),
                    s: sig.s_bytes().into(),
                })
            }
        }
    }

    /// The hash algorithm that goes with this key in `SignedData.hashId`.
    pub fn hash_alg(&self) -> HashAlg {
        match self {
            PrivateKey::P256(_) => HashAlg::Sha256,
            PrivateKey::Sm2(_) => HashAlg::Sm3,
        }
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

/// Signs application payloads into SPDUs with one key and its certificate.
#[derive(Debug, Clone)]
pub struct SpduSigner {
    key: PrivateKey,
    cert: Vec<u8>,
    id8: HashedId8,
    signer_input: [u8; 32],
    mode: SignerMode,
}

impl SpduSigner {
    /// A signer for `key` and its COER certificate.
    pub fn new(key: PrivateKey, cert: &[u8]) -> Result<Self> {
        let parsed = Certificate::from_bytes(cert)?;
        let b = SoftwareBackend::default();
        let hash = match parsed.issuer.hash_alg() {
            HashAlg::Sm3 => b.sm3(&[cert]),
            _ => b.sha256(&[cert]),
        };
        Ok(SpduSigner {
            signer_input: key.signer_input(Some(cert)),
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

    /// The signer certificate.
    pub fn certificate(&self) -> &[u8] {
        &self.cert
    }

    /// The signing key.
    pub fn key(&self) -> &PrivateKey {
        &self.key
    }

    /// HashedId8 of the signer certificate.
    pub fn id8(&self) -> HashedId8 {
        self.id8
    }

    /// Signs `payload` (the UPER MessageFrame) for `aid` with the generation time given.
    /// With a valid key signing cannot fail; should the primitive ever fail, the result is an
    /// empty vector, which every verifier rejects.
    pub fn sign(&self, payload: &[u8], aid: u64, generation_time: Timestamp) -> Vec<u8> {
        let header = HeaderFields {
            psid: aid,
            generation_time: u64::try_from(generation_time.as_micros()).ok(),
            ..HeaderFields::default()
        };
        self.sign_with(payload, &header).unwrap_or_default()
    }

    /// Signs `frame` (a UPER `MessageFrame`) for `aid`, generated at `at`: the header carries
    /// the AID and the generation time. A time before the 1609.2 epoch cannot be carried and
    /// fails.
    pub fn sign_frame(&self, frame: &[u8], aid: u32, at: Timestamp) -> Result<Vec<u8>> {
        let header = HeaderFields {
            psid: u64::from(aid),
            generation_time: Some(
                u64::try_from(at.as_micros()).map_err(|_| SecurityError::SigningFailed)?,
            ),
            ..HeaderFields::default()
        };
        self.sign_with(frame, &header)
    }

    /// Signs `payload` with the header fields given.
    pub fn sign_with(&self, payload: &[u8], header: &HeaderFields) -> Result<Vec<u8>> {
        self.sign_tbs(&spdu::encode_tbs(payload, header))
    }

    /// Signs an already encoded `ToBeSignedData` (any content, for tests and tools) into a
    /// complete SPDU.
    pub fn sign_tbs(&self, tbs: &[u8]) -> Result<Vec<u8>> {
        let sig = self.key.sign(&self.signer_input, tbs)?;
        let signer = match self.mode {
            SignerMode::Digest => SignerRef::Digest(self.id8),
            SignerMode::Certificate => SignerRef::Certificate(&self.cert),
        };
        Ok(spdu::encode_signed(self.key.hash_alg(), tbs, signer, &sig))
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
}
