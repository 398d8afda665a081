//! A deterministic test PKI: root CA → CA → pseudonym certificates, for ECDSA P-256 or SM2,
//! derived from a seed, and a matched signer and verifier ([`test_pair`]). For tests, examples,
//! lab setups and the scenario runner; never for deployment (the keys follow from the seed).
//!
//! - root: self-signed, identified region China (156), may issue everything (any chain length),
//!   valid from one day before `now` for 10 years;
//! - CA: issued by the root, may issue end-entity certificates for every AID, 5 years;
//! - pseudonyms ([`TestPki::signer`]): issued by the CA for the AIDs given, one week from one
//!   hour before `now`, region inherited.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::net::aid::DEFAULT_TABLE;
use crate::security::cert::{
    CertId, CertTemplate, DurationUnit, EE_APP, EE_ENROL, HashAlg, IdentifiedRegion, Issuer,
    KeyAlg, PsidGroupPermissions, PsidSsp, Region, SubjectPermissions, TbsCertificate, Validity,
    VerifyKeyIndicator,
};
use crate::security::crypto::{Backend, SoftwareBackend};
use crate::security::error::{Result, SecurityError};
use crate::security::sign::{PrivateKey, SpduSigner, sign_certificate};
use crate::security::verify::id8_of;
use crate::security::{self, Verifier};
use crate::time::Timestamp;

/// The seed of the test PKI [`test_pair`] builds.
pub const TEST_PKI_SEED: &[u8] = b"cv2x stack test pki";

/// A matched signer and verifier from the test PKI ([`TEST_PKI_SEED`]) for ECDSA P-256 or SM2,
/// valid around `now` (the pseudonym for a week from an hour before): the verifier trusts the
/// root and knows the CA and pseudonym certificates, so digest-signed messages verify from the
/// first one. The pseudonym may sign every Day I and Day II AID ([`DEFAULT_TABLE`]); the
/// verifier uses the default policy ([`security::Config`]).
pub fn test_pair(alg: KeyAlg, now: Timestamp) -> Result<(SpduSigner, Verifier)> {
    test_pair_with(alg, now, security::Config::default())
}

/// [`test_pair`] with a verifier policy.
pub fn test_pair_with(
    alg: KeyAlg,
    now: Timestamp,
    config: security::Config,
) -> Result<(SpduSigner, Verifier)> {
    let pki = TestPki::new(alg, TEST_PKI_SEED, now)?;
    let aids: Vec<u64> = DEFAULT_TABLE.iter().map(|(a, _)| u64::from(a.0)).collect();
    let signer = pki.signer(&aids)?;
    let mut verifier = Verifier::new(config);
    verifier.add_trust_anchor(pki.root_cert())?;
    verifier.add_certificate(pki.ca_cert())?;
    verifier.add_certificate(signer.certificate())?;
    Ok((signer, verifier))
}

/// Root, CA and the means to issue pseudonym certificates.
#[derive(Debug, Clone)]
pub struct TestPki {
    alg: KeyAlg,
    seed: Vec<u8>,
    now: Timestamp,
    root_key: PrivateKey,
    root_cert: Vec<u8>,
    ca_key: PrivateKey,
    ca_cert: Vec<u8>,
}

fn time32(t: Timestamp) -> u32 {
    u32::try_from(t.as_micros().div_euclid(1_000_000).max(0)).unwrap_or(u32::MAX)
}

impl TestPki {
    /// A PKI for `alg` (ECDSA P-256 or SM2) derived from `seed`, valid around `now`.
    pub fn new(alg: KeyAlg, seed: &[u8], now: Timestamp) -> Result<Self> {
        let mut pki = TestPki {
            alg,
            seed: seed.to_vec(),
            now,
            root_key: derive_key(alg, seed, "root")?,
            root_cert: Vec::new(),
            ca_key: derive_key(alg, seed, "ca")?,
            ca_cert: Vec::new(),
        };
        let day = 86_400_000_000;
        let mut root = pki.template(&pki.root_key, None);
        root.fields.id = CertId::Name(String::from("root.test.cv2x"));
        root.fields.validity = Validity {
            start_time32: time32(now.add_micros(-day)),
            unit: DurationUnit::Years,
            value: 10,
        };
        root.fields.region = Some(Region::Identified(vec![IdentifiedRegion::Country(156)]));
        root.fields.app_permissions = Vec::new();
        root.fields.issue_permissions = vec![PsidGroupPermissions {
            subject: SubjectPermissions::All,
            min_chain_length: 1,
            chain_length_range: -1,
            ee_type: EE_APP | EE_ENROL,
        }];
        pki.root_cert = sign_certificate(&root, None, &pki.root_key)?;
        let mut ca = pki.template(&pki.ca_key, Some(&pki.root_cert));
        ca.fields.id = CertId::Name(String::from("ca.test.cv2x"));
        ca.fields.validity = Validity {
            start_time32: time32(now.add_micros(-day)),
            unit: DurationUnit::Years,
            value: 5,
        };
        ca.fields.app_permissions = Vec::new();
        ca.fields.issue_permissions = vec![PsidGroupPermissions {
            subject: SubjectPermissions::All,
            min_chain_length: 1,
            chain_length_range: 0,
            ee_type: EE_APP,
        }];
        pki.ca_cert = sign_certificate(&ca, Some((&pki.root_key, &pki.root_cert)), &pki.ca_key)?;
        Ok(pki)
    }

    /// Algorithm.
    pub fn alg(&self) -> KeyAlg {
        self.alg
    }

    /// The root certificate (COER).
    pub fn root_cert(&self) -> &[u8] {
        &self.root_cert
    }

    /// The CA certificate (COER).
    pub fn ca_cert(&self) -> &[u8] {
        &self.ca_cert
    }

    /// The root key.
    pub fn root_key(&self) -> &PrivateKey {
        &self.root_key
    }

    /// The CA key.
    pub fn ca_key(&self) -> &PrivateKey {
        &self.ca_key
    }

    /// A key derived from the seed and `label`.
    pub fn key(&self, label: &str) -> Result<PrivateKey> {
        derive_key(self.alg, &self.seed, label)
    }

    /// A pseudonym template for `key` issued by `issuer` (`None`: self-signed): no app
    /// permissions, one week from an hour before `now`.
    pub fn template(&self, key: &PrivateKey, issuer: Option<&[u8]>) -> CertTemplate {
        let h = match self.alg {
            KeyAlg::Sm2 => HashAlg::Sm3,
            _ => HashAlg::Sha256,
        };
        let issuer = match issuer {
            None => Issuer::SelfSigned(h),
            Some(cert) => {
                let b = SoftwareBackend::default();
                let hash = match h {
                    HashAlg::Sm3 => b.sm3(&[cert]),
                    _ => b.sha256(&[cert]),
                };
                Issuer::Digest(h, id8_of(&hash))
            }
        };
        CertTemplate {
            issuer,
            fields: TbsCertificate {
                id: CertId::None,
                craca_id: [0; 3],
                crl_series: 0,
                validity: Validity {
                    start_time32: time32(self.now.add_micros(-3_600_000_000)),
                    unit: DurationUnit::Hours,
                    value: 168,
                },
                region: None,
                assurance_level: None,
                app_permissions: Vec::new(),
                issue_permissions: Vec::new(),
                request_permissions: Vec::new(),
                can_request_rollover: false,
                has_encryption_key: false,
                verify_key: VerifyKeyIndicator::Key(key.public_key()),
            },
        }
    }

    /// Signs `template` with the CA key.
    pub fn issue_by_ca(&self, template: &CertTemplate, subject: &PrivateKey) -> Result<Vec<u8>> {
        sign_certificate(template, Some((&self.ca_key, &self.ca_cert)), subject)
    }

    /// A pseudonym signer for `aids`, issued by the CA (key derived from the AIDs).
    pub fn signer(&self, aids: &[u64]) -> Result<SpduSigner> {
        let mut label = String::from("pseudonym");
        for a in aids {
            label.push_str(&alloc::format!("-{a}"));
        }
        let key = self.key(&label)?;
        let mut t = self.template(&key, Some(&self.ca_cert));
        t.fields.app_permissions = aids
            .iter()
            .map(|a| PsidSsp {
                psid: *a,
                ssp: None,
            })
            .collect();
        let cert = self.issue_by_ca(&t, &key)?;
        SpduSigner::new(key, &cert)
    }
}

/// A key derived from `seed` and `label`: SHA-256(seed ‖ label ‖ counter), the first valid
/// scalar.
fn derive_key(alg: KeyAlg, seed: &[u8], label: &str) -> Result<PrivateKey> {
    let b = SoftwareBackend::default();
    for counter in 0u8..16 {
        let d = b.sha256(&[seed, label.as_bytes(), &[counter]]);
        if let Ok(k) = PrivateKey::from_bytes(alg, &d) {
            return Ok(k);
        }
    }
    Err(SecurityError::SigningFailed)
}
