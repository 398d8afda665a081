//! The verification pipeline on a test PKI: every report code, the caches (a second message from
//! a known signer costs one signature check and no chain work, counted at the backend), the
//! negative cache, revocation and CRLs, and SM2 cross-checked between the two verifiers.

use std::cell::Cell;

use cv2x::security::cert::Certificate;
use cv2x::security::cert::{
    CertId, CurvePoint, EE_APP, IdentifiedRegion, KeyAlg, PsidGroupPermissions, PsidSsp,
    PsidSspRange, Region, Ssp, SubjectPermissions, TwoDLocation, VerifyKeyIndicator,
};
use cv2x::security::crypto::{Backend, Sm2Verifier, SoftwareBackend, SoftwareKey};
use cv2x::security::sign::{PrivateKey, SignerMode, SpduSigner};
use cv2x::security::spdu::{HeaderFields, ThreeDLocation};
use cv2x::security::store::{CRL_PSID, Crl, CrlError};
use cv2x::security::verify::SspRule;
use cv2x::security::{ChainStatus, Config, MalformedKind, SecurityError, Verifier};
use cv2x::testing::pki::TestPki;
use cv2x::time::Timestamp;

const AID: u64 = 32;
const SEC: i64 = 1_000_000;

fn now() -> Timestamp {
    Timestamp::from_micros(700_000_000 * SEC)
}

fn pki(alg: KeyAlg) -> TestPki {
    TestPki::new(alg, b"pipeline", now()).unwrap()
}

/// A verifier trusting the root, with the CA known.
fn verifier(p: &TestPki, config: Config) -> Verifier {
    let mut v = Verifier::new(config);
    v.add_trust_anchor(p.root_cert()).unwrap();
    v.add_certificate(p.ca_cert()).unwrap();
    v
}

fn cert_signer(p: &TestPki) -> SpduSigner {
    let mut s = p.signer(&[AID, 36]).unwrap();
    s.set_mode(SignerMode::Certificate);
    s
}

fn header(gen_time: Timestamp) -> HeaderFields {
    HeaderFields {
        psid: AID,
        generation_time: Some(gen_time.as_micros() as u64),
        ..HeaderFields::default()
    }
}

/// A signer whose certificate the CA issues from a modified template.
fn custom_signer(
    p: &TestPki,
    label: &str,
    edit: impl FnOnce(&mut cv2x::security::cert::CertTemplate),
) -> SpduSigner {
    let key = p.key(label).unwrap();
    let mut t = p.template(&key, Some(p.ca_cert()));
    t.fields.app_permissions = vec![PsidSsp {
        psid: AID,
        ssp: None,
    }];
    edit(&mut t);
    let cert = p.issue_by_ca(&t, &key).unwrap();
    let mut s = SpduSigner::new(key, &cert).unwrap();
    s.set_mode(SignerMode::Certificate);
    s
}

fn code(v: &mut Verifier, spdu: &[u8], at: Timestamp) -> Result<(), SecurityError> {
    v.verify(spdu, at).result
}

#[test]
fn valid_messages_verify_for_both_algorithms_and_signer_kinds() {
    for alg in [KeyAlg::EcdsaP256, KeyAlg::Sm2] {
        let p = pki(alg);
        let mut v = verifier(&p, Config::default());
        let s = cert_signer(&p);
        let spdu = s.sign(b"hello frame", AID, now()).unwrap();
        let rep = v.verify(&spdu, now());
        assert_eq!(rep.result, Ok(()), "{alg:?}");
        assert_eq!(rep.payload, Some(&b"hello frame"[..]));
        assert_eq!(rep.signer, Some(s.id8()));
        assert_eq!(rep.aid, Some(AID));
        assert_eq!(rep.signature_valid, Some(true));
        let root_id = v.cache().anchors().next().unwrap().id8;
        assert_eq!(
            rep.chain,
            ChainStatus::Anchored {
                anchor: root_id,
                length: 3
            }
        );
        // now known: a digest-signed message verifies from the cache
        let mut d = p.signer(&[AID, 36]).unwrap();
        d.set_mode(SignerMode::Digest);
        let t = now().add_micros(100_000);
        let m = d.sign(b"second", AID, t).unwrap();
        let rep = v.verify(&m, t);
        assert_eq!(rep.result, Ok(()), "{alg:?}");
        assert_eq!(rep.payload, Some(&b"second"[..]));
    }
}

#[test]
fn structure_codes() {
    let p = pki(KeyAlg::EcdsaP256);
    let mut v = verifier(&p, Config::default());
    let s = cert_signer(&p);
    let spdu = s.sign(b"x", AID, now()).unwrap();
    // malformed: every truncation is rejected with a precise offset, never a panic
    for n in 0..spdu.len() {
        let r = code(&mut v, &spdu[..n], now());
        assert!(
            matches!(
                r,
                Err(SecurityError::Malformed { .. }) | Err(SecurityError::IncompatibleProtocol(_))
            ),
            "truncated to {n}: {r:?}"
        );
    }
    let mut long = spdu.clone();
    long.push(0);
    assert_eq!(
        code(&mut v, &long, now()),
        Err(SecurityError::Malformed {
            offset: spdu.len(),
            kind: MalformedKind::TrailingBytes
        })
    );
    // unsigned
    assert_eq!(
        code(&mut v, &[0x03, 0x80, 0x02, 0xaa, 0xbb], now()),
        Err(SecurityError::Unsigned)
    );
    // incompatible protocol
    let mut v2 = spdu.clone();
    v2[0] = 2;
    assert_eq!(
        code(&mut v, &v2, now()),
        Err(SecurityError::IncompatibleProtocol(2))
    );
    // unsupported algorithm: hashId sha384 with an ECDSA P-256 signature
    let mut h = spdu.clone();
    h[2] = 1;
    assert_eq!(
        code(&mut v, &h, now()),
        Err(SecurityError::UnsupportedAlgorithm)
    );
    // unsupported signer type: `self`
    let tbs = cv2x::security::spdu::encode_tbs(b"x", &header(now()));
    let mut selfsigned = vec![0x03, 0x81, 0x00];
    selfsigned.extend_from_slice(&tbs);
    selfsigned.push(0x82);
    selfsigned.extend_from_slice(&[0x80, 0x80]);
    selfsigned.extend_from_slice(&[1u8; 64]);
    assert_eq!(
        code(&mut v, &selfsigned, now()),
        Err(SecurityError::UnsupportedSignerType)
    );
    // unsupported payload: only an external data hash
    let mut ext = vec![0x20, 0x80];
    ext.extend_from_slice(&[7u8; 32]);
    ext.extend_from_slice(&tbs[tbs.len() - 11..]); // the header: preamble, psid, time
    let signed = s.sign_tbs(&ext).unwrap();
    assert_eq!(
        code(&mut v, &signed, now()),
        Err(SecurityError::UnsupportedPayload)
    );
}

#[test]
fn permission_codes() {
    let p = pki(KeyAlg::EcdsaP256);
    let s = cert_signer(&p);
    // the signer certificate does not carry AID 99
    let mut v = verifier(&p, Config::default());
    assert_eq!(
        code(&mut v, &s.sign(b"x", 99, now()).unwrap(), now()),
        Err(SecurityError::AidNotPermitted(99))
    );
    // local policy accepts only AID 36
    let mut v = verifier(
        &p,
        Config {
            accepted_aids: vec![36],
            ..Config::default()
        },
    );
    assert_eq!(
        code(&mut v, &s.sign(b"x", AID, now()).unwrap(), now()),
        Err(SecurityError::AidNotPermitted(AID))
    );
    assert_eq!(
        code(&mut v, &s.sign(b"x", 36, now()).unwrap(), now()),
        Ok(())
    );
    // SSP rule: first bit must be set
    let rule = SspRule {
        aid: AID,
        mask: vec![0x80],
        value: vec![0x80],
    };
    let mut v = verifier(
        &p,
        Config {
            ssp_rules: vec![rule],
            ..Config::default()
        },
    );
    assert_eq!(
        code(&mut v, &s.sign(b"x", AID, now()).unwrap(), now()),
        Err(SecurityError::SspMismatch(AID))
    );
    let with_ssp = custom_signer(&p, "ssp", |t| {
        t.fields.app_permissions = vec![PsidSsp {
            psid: AID,
            ssp: Some(Ssp::Opaque(vec![0x81, 0x00])),
        }]
    });
    assert_eq!(
        code(&mut v, &with_ssp.sign(b"x", AID, now()).unwrap(), now()),
        Ok(())
    );
}

#[test]
fn time_codes() {
    let p = pki(KeyAlg::EcdsaP256);
    let s = cert_signer(&p);
    let mut v = verifier(&p, Config::default());
    let no_time = s
        .sign_with(
            b"x",
            &HeaderFields {
                psid: AID,
                ..HeaderFields::default()
            },
        )
        .unwrap();
    assert_eq!(
        code(&mut v, &no_time, now()),
        Err(SecurityError::GenerationTimeMissing)
    );
    // 5 s ahead: beyond the 2 s tolerance (ignoring the 5 leap seconds would put a 0.5 s old
    // message 4.5 s in the future)
    let future = s.sign(b"x", AID, now().add_micros(5 * SEC)).unwrap();
    assert_eq!(
        code(&mut v, &future, now()),
        Err(SecurityError::GenerationTimeInFuture)
    );
    let old = s.sign(b"x", AID, now().add_micros(-20 * SEC)).unwrap();
    assert_eq!(
        code(&mut v, &old, now()),
        Err(SecurityError::GenerationTimeTooOld)
    );
    // tolerances are configurable
    let mut lax = verifier(
        &p,
        Config {
            max_future_us: 10 * SEC,
            max_age_us: 30 * SEC,
            ..Config::default()
        },
    );
    assert_eq!(code(&mut lax, &future, now()), Ok(()));
    assert_eq!(code(&mut lax, &old, now()), Ok(()));
    // message expiry
    let expiring = s
        .sign_with(
            b"x",
            &HeaderFields {
                expiry_time: Some(now().add_micros(-SEC).as_micros() as u64),
                ..header(now().add_micros(-2 * SEC))
            },
        )
        .unwrap();
    assert_eq!(code(&mut v, &expiring, now()), Err(SecurityError::Expired));
    // the pseudonym is valid from an hour before now for 168 hours
    let late = now().add_micros(200 * 3600 * SEC);
    assert_eq!(
        code(&mut v, &s.sign(b"x", AID, late).unwrap(), late),
        Err(SecurityError::CertificateExpired)
    );
    let early = now().add_micros(-2 * 3600 * SEC);
    assert_eq!(
        code(&mut v, &s.sign(b"x", AID, early).unwrap(), early),
        Err(SecurityError::CertificateNotYetValid)
    );
}

#[test]
fn duplicate_and_location_codes() {
    let p = pki(KeyAlg::EcdsaP256);
    let s = cert_signer(&p);
    let mut v = verifier(&p, Config::default());
    let spdu = s.sign(b"x", AID, now()).unwrap();
    assert_eq!(code(&mut v, &spdu, now()), Ok(()));
    assert_eq!(
        code(&mut v, &spdu, now().add_micros(1000)),
        Err(SecurityError::Duplicate)
    );
    // a forged copy (bad signature) must not poison the replay window
    let s2 = cert_signer(&p);
    let t = now().add_micros(SEC);
    let good = s2.sign(b"y", AID, t).unwrap();
    let mut forged = good.clone();
    let n = forged.len();
    forged[n - 1] ^= 1;
    assert_eq!(
        code(&mut v, &forged, t),
        Err(SecurityError::MessageSignatureInvalid)
    );
    assert_eq!(code(&mut v, &good, t), Ok(()));

    let beijing = TwoDLocation {
        lat: 399_000_000,
        lon: 1_164_000_000,
    };
    let local = custom_signer(&p, "local", |t| {
        t.fields.region = Some(Region::Circular {
            center: beijing,
            radius_m: 2000,
        })
    });
    let at = |lat: i32, lon: i32| {
        local
            .sign_with(
                b"x",
                &HeaderFields {
                    generation_location: Some(ThreeDLocation {
                        lat,
                        lon,
                        elevation: 0,
                    }),
                    ..header(now())
                },
            )
            .unwrap()
    };
    assert_eq!(code(&mut v, &at(399_100_000, 1_164_000_000), now()), Ok(()));
    assert_eq!(
        code(&mut v, &at(312_300_000, 1_214_700_000), now()),
        Err(SecurityError::LocationOutsideRegion)
    );
    let mut strict = verifier(
        &p,
        Config {
            require_generation_location: true,
            ..Config::default()
        },
    );
    assert_eq!(
        code(&mut strict, &local.sign(b"x", AID, now()).unwrap(), now()),
        Err(SecurityError::LocationMissing)
    );
}

#[test]
fn unknown_signer_gets_a_rate_limited_certificate_request() {
    let p = pki(KeyAlg::EcdsaP256);
    let s = p.signer(&[AID]).unwrap(); // digest signer, certificate never seen
    let mut v = verifier(&p, Config::default());
    let id = s.id8();
    let m = s.sign(b"x", AID, now()).unwrap();
    let rep = v.verify(&m, now());
    assert_eq!(rep.result, Err(SecurityError::SignerNotFound));
    assert_eq!(rep.certificate_request, Some([id[5], id[6], id[7]]));
    assert_eq!(rep.signature_valid, None);
    let t = now().add_micros(100_000);
    let m = s.sign(b"x", AID, t).unwrap();
    let rep = v.verify(&m, t);
    assert_eq!(rep.result, Err(SecurityError::SignerNotFound));
    assert_eq!(rep.certificate_request, None, "within the request interval");
    let t = now().add_micros(1_200_000);
    let m = s.sign(b"x", AID, t).unwrap();
    let rep = v.verify(&m, t);
    assert_eq!(rep.certificate_request, Some([id[5], id[6], id[7]]));
    // once the certificate is learnt, the digest verifies
    v.add_certificate(s.certificate()).unwrap();
    let t = now().add_micros(1_300_000);
    assert_eq!(code(&mut v, &s.sign(b"x", AID, t).unwrap(), t), Ok(()));
}

#[test]
fn chain_codes() {
    let p = pki(KeyAlg::EcdsaP256);
    let s = cert_signer(&p);
    let msg = s.sign(b"x", AID, now()).unwrap();

    // unknown issuer: the root is not trusted
    let mut v = Verifier::new(Config::default());
    v.add_certificate(p.ca_cert()).unwrap();
    assert_eq!(code(&mut v, &msg, now()), Err(SecurityError::UnknownIssuer));
    // ... nor is the CA known
    let mut v = Verifier::new(Config::default());
    v.add_trust_anchor(p.root_cert()).unwrap();
    assert_eq!(code(&mut v, &msg, now()), Err(SecurityError::UnknownIssuer));

    // issuer not permitted: a CA that may only issue AID 36
    let narrow_key = p.key("narrow-ca").unwrap();
    let mut t = p.template(&narrow_key, Some(p.root_cert()));
    t.fields.validity = cv2x::security::cert::Validity {
        start_time32: (now().as_micros() / SEC - 86_400) as u32,
        unit: cv2x::security::cert::DurationUnit::Years,
        value: 1,
    };
    t.fields.issue_permissions = vec![PsidGroupPermissions {
        subject: SubjectPermissions::Explicit(vec![PsidSspRange {
            psid: 36,
            ssp_range: None,
        }]),
        min_chain_length: 1,
        chain_length_range: 0,
        ee_type: EE_APP,
    }];
    let narrow_ca = cv2x::security::sign::sign_certificate(
        &t,
        Some((p.root_key(), p.root_cert())),
        &narrow_key,
    )
    .unwrap();
    let leaf_key = p.key("narrow-leaf").unwrap();
    let mut lt = p.template(&leaf_key, Some(&narrow_ca));
    lt.fields.app_permissions = vec![PsidSsp {
        psid: AID,
        ssp: None,
    }];
    let leaf =
        cv2x::security::sign::sign_certificate(&lt, Some((&narrow_key, &narrow_ca)), &leaf_key)
            .unwrap();
    let mut ls = SpduSigner::new(leaf_key, &leaf).unwrap();
    ls.set_mode(SignerMode::Certificate);
    let mut v = verifier(&p, Config::default());
    v.add_certificate(&narrow_ca).unwrap();
    assert_eq!(
        code(&mut v, &ls.sign(b"x", AID, now()).unwrap(), now()),
        Err(SecurityError::IssuerNotPermitted)
    );

    // validity not inside the issuer's (CA: 5 years)
    let long = custom_signer(&p, "long", |t| {
        t.fields.validity.unit = cv2x::security::cert::DurationUnit::Years;
        t.fields.validity.value = 20;
    });
    let mut v = verifier(&p, Config::default());
    assert_eq!(
        code(&mut v, &long.sign(b"x", AID, now()).unwrap(), now()),
        Err(SecurityError::ValidityNotInsideIssuer)
    );

    // region not inside the issuer's (root: China)
    let abroad = custom_signer(&p, "abroad", |t| {
        t.fields.region = Some(Region::Identified(vec![IdentifiedRegion::Country(276)]))
    });
    assert_eq!(
        code(&mut v, &abroad.sign(b"x", AID, now()).unwrap(), now()),
        Err(SecurityError::RegionNotInsideIssuer)
    );

    // excessive chain length: the policy allows 2 certificates, the chain has 3
    let mut v = verifier(
        &p,
        Config {
            max_chain_length: 2,
            ..Config::default()
        },
    );
    assert_eq!(
        code(&mut v, &msg, now()),
        Err(SecurityError::ExcessiveChainLength)
    );

    // revoked (by HashedId8)
    let mut v = verifier(&p, Config::default());
    v.revoke(s.id8());
    assert_eq!(code(&mut v, &msg, now()), Err(SecurityError::Revoked));

    // certificate signature invalid: the CA's signature on the pseudonym is damaged
    let mut bad_cert = s.certificate().to_vec();
    let n = bad_cert.len();
    bad_cert[n - 5] ^= 0x04;
    let mut v = verifier(&p, Config::default());
    v.add_certificate(&bad_cert).unwrap();
    let digest = cv2x::security::spdu::encode_signed(
        cv2x::security::cert::HashAlg::Sha256,
        &cv2x::security::spdu::encode_tbs(b"x", &header(now())),
        cv2x::security::spdu::SignerRef::Certificate(&bad_cert),
        &cv2x::security::cert::Signature {
            alg: KeyAlg::EcdsaP256,
            r: [1; 32],
            s: [1; 32],
        },
    );
    assert_eq!(
        code(&mut v, &digest, now()),
        Err(SecurityError::CertificateSignatureInvalid)
    );

    // invalid public key: x ≥ p is not a point
    let off_curve = custom_signer(&p, "offcurve", |t| {
        t.fields.verify_key = VerifyKeyIndicator::Key(cv2x::security::cert::PublicKey {
            alg: KeyAlg::EcdsaP256,
            point: CurvePoint::CompressedY0([0xff; 32]),
        })
    });
    assert_eq!(
        code(&mut v, &off_curve.sign(b"x", AID, now()).unwrap(), now()),
        Err(SecurityError::InvalidPublicKey)
    );

    // implicit certificate: parsed, reported as unsupported
    let implicit = custom_signer(&p, "implicit", |t| {
        t.fields.verify_key = VerifyKeyIndicator::Reconstruction(CurvePoint::CompressedY0([3; 32]))
    });
    let cert = cv2x::security::cert::Certificate::from_bytes(implicit.certificate()).unwrap();
    assert_eq!(cert.cert_type, cv2x::security::cert::CertType::Implicit);
    assert_eq!(cert.public_key(), Err(SecurityError::ImplicitCertificate));
    assert_eq!(
        code(&mut v, &implicit.sign(b"x", AID, now()).unwrap(), now()),
        Err(SecurityError::ImplicitCertificate)
    );

    // message signature invalid: one flipped payload bit
    let mut v = verifier(&p, Config::default());
    let mut m = s.sign(b"payload", AID, now()).unwrap();
    let at = m.windows(7).position(|w| w == b"payload").unwrap();
    m[at] ^= 0x01;
    let rep = v.verify(&m, now());
    assert_eq!(rep.result, Err(SecurityError::MessageSignatureInvalid));
    assert_eq!(rep.signature_valid, Some(false));
    assert!(matches!(rep.chain, ChainStatus::Anchored { .. }));
}

#[test]
fn chain_length_from_issuer_permissions() {
    // A CA whose group requires at least 2 certificates below it cannot sign end entities.
    let p = pki(KeyAlg::EcdsaP256);
    let ca_key = p.key("deep-ca").unwrap();
    let mut t = p.template(&ca_key, Some(p.root_cert()));
    t.fields.validity.unit = cv2x::security::cert::DurationUnit::Years;
    t.fields.validity.value = 1;
    t.fields.issue_permissions = vec![PsidGroupPermissions {
        subject: SubjectPermissions::All,
        min_chain_length: 2,
        chain_length_range: 0,
        ee_type: EE_APP,
    }];
    let ca =
        cv2x::security::sign::sign_certificate(&t, Some((p.root_key(), p.root_cert())), &ca_key)
            .unwrap();
    let leaf_key = p.key("deep-leaf").unwrap();
    let mut lt = p.template(&leaf_key, Some(&ca));
    lt.fields.app_permissions = vec![PsidSsp {
        psid: AID,
        ssp: None,
    }];
    let leaf =
        cv2x::security::sign::sign_certificate(&lt, Some((&ca_key, &ca)), &leaf_key).unwrap();
    let mut v = verifier(&p, Config::default());
    v.add_certificate(&ca).unwrap();
    assert_eq!(
        v.verify_certificate(&leaf, &[], now()),
        Err(SecurityError::ExcessiveChainLength)
    );
}

#[test]
fn crl_revokes_by_hashedid10() {
    let p = pki(KeyAlg::EcdsaP256);
    let s = cert_signer(&p);
    let hash = SoftwareBackend::default().sha256(&[s.certificate()]);
    let mut contents = vec![1u8, 0, 1];
    contents.extend_from_slice(&[9u8; 8]); // crlCraca
    contents.extend_from_slice(&700_000_000u32.to_be_bytes());
    contents.extend_from_slice(&700_086_400u32.to_be_bytes());
    contents.push(0x00); // CrlPriorityInfo: nothing
    contents.push(0x80); // fullHashCrl
    contents.push(0x00); // ToBeSignedHashIdCrl preamble
    contents.extend_from_slice(&7u32.to_be_bytes());
    contents.extend_from_slice(&[1, 1]);
    contents.extend_from_slice(&hash[22..]);
    contents.extend_from_slice(&700_600_000u32.to_be_bytes());
    let crl = Crl::parse(&contents).unwrap();
    assert_eq!(crl.encode(), contents, "encode is the inverse of parse");
    assert_eq!(crl.serial, 7);
    assert_eq!(crl.entries.len(), 1);
    assert!(!crl.delta);
    assert!(Crl::parse(&contents[..contents.len() - 1]).is_err());
    let mut v = verifier(&p, Config::default());
    let t0 = now();
    assert_eq!(code(&mut v, &s.sign(b"x", AID, t0).unwrap(), t0), Ok(()));
    v.add_crl(&crl);
    let t1 = now().add_micros(SEC);
    assert_eq!(
        code(&mut v, &s.sign(b"x", AID, t1).unwrap(), t1),
        Err(SecurityError::Revoked)
    );
}

fn time32(t: Timestamp) -> u32 {
    (t.as_micros() / SEC) as u32
}

/// A CRL of the CA (the CRACA), series 1, issued an hour before `now()`, revoking `revoked`.
fn ca_crl(v: &Verifier, craca: [u8; 8], serial: u32, issued: Timestamp, revoked: &[u8]) -> Crl {
    let hash = v.certificate_hash(&Certificate::from_bytes(revoked).unwrap());
    let mut id10 = [0u8; 10];
    id10.copy_from_slice(&hash[22..]);
    Crl {
        crl_series: 1,
        craca,
        issue_date: time32(issued),
        next_crl: time32(issued) + 7 * 86_400,
        delta: false,
        serial,
        entries: vec![(id10, time32(now()) + 30 * 86_400)],
    }
}

/// A verifier trusting the root with the CA (the CRACA, its HashedId8 returned) known, a CRL
/// signer the CA issued for the CRL PSID, and a pseudonym.
fn crl_setup(alg: KeyAlg) -> (Verifier, [u8; 8], SpduSigner, SpduSigner) {
    let p = pki(alg);
    let mut v = Verifier::new(Config::default());
    v.add_trust_anchor(p.root_cert()).unwrap();
    let ca = v.add_certificate(p.ca_cert()).unwrap();
    let crl_signer = custom_signer(&p, "crl-signer", |t| {
        t.fields.app_permissions = vec![PsidSsp {
            psid: CRL_PSID,
            ssp: None,
        }];
    });
    (v, ca, crl_signer, cert_signer(&p))
}

#[test]
fn signed_crl_from_the_cracas_crl_signer_revokes() {
    for alg in [KeyAlg::EcdsaP256, KeyAlg::Sm2] {
        let (mut v, ca, crl_signer, s) = crl_setup(alg);
        let t0 = now();
        assert_eq!(code(&mut v, &s.sign(b"x", AID, t0).unwrap(), t0), Ok(()));

        // Issued and signed an hour ago: CRLs are not held to the message freshness window.
        let issued = now().add_micros(-3600 * SEC);
        let crl = ca_crl(&v, ca, 7, issued, s.certificate());
        let secured = crl_signer.sign(&crl.encode(), CRL_PSID, issued).unwrap();
        assert_eq!(
            v.add_signed_crl(&secured, now()),
            Ok(crl.clone()),
            "{alg:?}"
        );
        let t1 = now().add_micros(SEC);
        assert_eq!(
            code(&mut v, &s.sign(b"x", AID, t1).unwrap(), t1),
            Err(SecurityError::Revoked),
            "{alg:?}"
        );

        // The same issue date again, even newly signed, is not newer.
        let again = ca_crl(&v, ca, 8, issued, s.certificate());
        let secured = crl_signer.sign(&again.encode(), CRL_PSID, now()).unwrap();
        assert_eq!(v.add_signed_crl(&secured, now()), Err(CrlError::NotNewer));
        // A later one is applied.
        let later = ca_crl(&v, ca, 9, now(), s.certificate());
        let secured = crl_signer.sign(&later.encode(), CRL_PSID, now()).unwrap();
        assert!(v.add_signed_crl(&secured, now()).is_ok());
    }
}

#[test]
fn signed_crl_refusals_name_their_reason() {
    let (mut v, ca, crl_signer, s) = crl_setup(KeyAlg::Sm2);
    let t = now();
    let crl = ca_crl(&v, ca, 1, t, s.certificate());

    // not a CRL PSID
    let wrong = crl_signer.sign(&crl.encode(), AID, t).unwrap();
    assert_eq!(v.add_signed_crl(&wrong, t), Err(CrlError::NotCrl(AID)));
    // a signer without the CRL permission
    let by_pseudonym = s.sign(&crl.encode(), CRL_PSID, t).unwrap();
    assert_eq!(
        v.add_signed_crl(&by_pseudonym, t),
        Err(CrlError::Verification(SecurityError::AidNotPermitted(
            CRL_PSID
        )))
    );
    // a CRL naming another CRACA
    let mut other = crl.clone();
    other.craca = [7u8; 8];
    let secured = crl_signer.sign(&other.encode(), CRL_PSID, t).unwrap();
    assert_eq!(v.add_signed_crl(&secured, t), Err(CrlError::SignerNotCraca));
    // a broken signature
    let mut secured = crl_signer.sign(&crl.encode(), CRL_PSID, t).unwrap();
    let last = secured.len() - 1;
    secured[last] ^= 1;
    assert_eq!(
        v.add_signed_crl(&secured, t),
        Err(CrlError::Verification(
            SecurityError::MessageSignatureInvalid
        ))
    );
    // issued a day ahead
    let future = ca_crl(&v, ca, 2, t.add_micros(86_400 * SEC), s.certificate());
    let secured = crl_signer.sign(&future.encode(), CRL_PSID, t).unwrap();
    assert_eq!(v.add_signed_crl(&secured, t), Err(CrlError::IssuedInFuture));
    // contents that are not CrlContents
    let secured = crl_signer.sign(b"\x02garbage", CRL_PSID, t).unwrap();
    assert!(matches!(
        v.add_signed_crl(&secured, t),
        Err(CrlError::Contents(_))
    ));
    // a linkage-based CRL (fullLinkedCrl) is a type this verifier does not apply
    let mut linked = crl.encode();
    linked[1 + 2 + 8 + 4 + 4 + 1] = 0x82; // typeSpecific: fullLinkedCrl
    let secured = crl_signer.sign(&linked, CRL_PSID, t).unwrap();
    assert_eq!(
        v.add_signed_crl(&secured, t),
        Err(CrlError::UnsupportedType)
    );
    // none of these revoked anything
    assert_eq!(code(&mut v, &s.sign(b"x", AID, t).unwrap(), t), Ok(()));
    // the valid one does
    let secured = crl_signer.sign(&crl.encode(), CRL_PSID, t).unwrap();
    assert!(v.add_signed_crl(&secured, t).is_ok());
    let t2 = t.add_micros(SEC);
    assert_eq!(
        code(&mut v, &s.sign(b"x", AID, t2).unwrap(), t2),
        Err(SecurityError::Revoked)
    );
}

/// A backend that counts its calls.
#[derive(Default)]
struct Counting {
    inner: SoftwareBackend,
    sha256: Cell<usize>,
    sm3: Cell<usize>,
    prepare: Cell<usize>,
    verify: Cell<usize>,
}

impl Counting {
    fn reset(&self) {
        for c in [&self.sha256, &self.sm3, &self.prepare, &self.verify] {
            c.set(0);
        }
    }
}

fn bump(c: &Cell<usize>) {
    c.set(c.get() + 1);
}

impl Backend for Counting {
    type Key = SoftwareKey;
    fn sha256(&self, parts: &[&[u8]]) -> [u8; 32] {
        bump(&self.sha256);
        self.inner.sha256(parts)
    }
    fn sm3(&self, parts: &[&[u8]]) -> [u8; 32] {
        bump(&self.sm3);
        self.inner.sm3(parts)
    }
    fn prepare_key(&self, alg: KeyAlg, point: &CurvePoint) -> Result<SoftwareKey, SecurityError> {
        bump(&self.prepare);
        self.inner.prepare_key(alg, point)
    }
    fn key_xy(&self, key: &SoftwareKey) -> [u8; 64] {
        self.inner.key_xy(key)
    }
    fn verify_p256(&self, key: &SoftwareKey, msg: &[u8; 64], r: &[u8; 32], s: &[u8; 32]) -> bool {
        bump(&self.verify);
        self.inner.verify_p256(key, msg, r, s)
    }
    fn verify_sm2(&self, key: &SoftwareKey, e: &[u8; 32], r: &[u8; 32], s: &[u8; 32]) -> bool {
        bump(&self.verify);
        self.inner.verify_sm2(key, e, r, s)
    }
}

#[test]
fn second_message_from_a_known_signer_costs_one_signature_check_and_no_chain_work() {
    for alg in [KeyAlg::EcdsaP256, KeyAlg::Sm2] {
        let p = pki(alg);
        let mut v = Verifier::with_backend(Counting::default(), Config::default());
        v.add_trust_anchor(p.root_cert()).unwrap();
        assert_eq!(v.backend().verify.get(), 1, "root self-signature");
        v.add_certificate(p.ca_cert()).unwrap();
        let mut s = p.signer(&[AID]).unwrap();
        s.set_mode(SignerMode::Certificate);
        v.backend().reset();
        assert_eq!(
            v.verify(&s.sign(b"1", AID, now()).unwrap(), now()).result,
            Ok(())
        );
        // first message: CA and pseudonym signatures (once each) and the message signature
        assert_eq!(v.backend().verify.get(), 3, "{alg:?}");
        assert_eq!(v.backend().prepare.get(), 2, "{alg:?}");

        s.set_mode(SignerMode::Digest);
        for k in 1..4 {
            v.backend().reset();
            let t = now().add_micros(k * 100_000);
            assert_eq!(v.verify(&s.sign(b"2", AID, t).unwrap(), t).result, Ok(()));
            assert_eq!(v.backend().verify.get(), 1, "{alg:?}: one signature check");
            assert_eq!(v.backend().prepare.get(), 0, "{alg:?}: no key work");
            // one hash of ToBeSignedData (ECDSA) or of Z_A ‖ tbs (SM2), nothing else
            assert_eq!(
                v.backend().sha256.get() + v.backend().sm3.get(),
                1,
                "{alg:?}: no certificate hashing"
            );
        }
        // a certificate-signed message from the same signer adds one hash (of the certificate)
        s.set_mode(SignerMode::Certificate);
        v.backend().reset();
        let t = now().add_micros(SEC);
        assert_eq!(v.verify(&s.sign(b"3", AID, t).unwrap(), t).result, Ok(()));
        assert_eq!(v.backend().verify.get(), 1);
        assert_eq!(v.backend().prepare.get(), 0);
    }
}

#[test]
fn unknown_signers_are_rejected_without_signature_work() {
    let p = pki(KeyAlg::EcdsaP256);
    let mut v = Verifier::with_backend(Counting::default(), Config::default());
    v.add_trust_anchor(p.root_cert()).unwrap();
    let s = p.signer(&[AID]).unwrap();
    let mut spdu = s.sign(b"x", AID, now()).unwrap();
    v.backend().reset();
    // a flood of messages with 500 different unknown digests
    let digest_at = spdu.len() - 8 - 66;
    for i in 0..500u32 {
        spdu[digest_at..digest_at + 4].copy_from_slice(&i.to_be_bytes());
        let rep = v.verify(&spdu, now());
        assert_eq!(rep.result, Err(SecurityError::SignerNotFound));
    }
    assert_eq!(v.backend().verify.get(), 0);
    assert_eq!(v.backend().prepare.get(), 0);
    assert_eq!(v.backend().sha256.get(), 0);
}

#[test]
fn verified_cache_is_bounded_and_expires_with_the_certificate() {
    let p = pki(KeyAlg::EcdsaP256);
    let mut v = verifier(
        &p,
        Config {
            cert_cache_capacity: 2,
            ..Config::default()
        },
    );
    for aid in [1u64, 2, 3, 4] {
        let mut s = p.signer(&[aid]).unwrap();
        s.set_mode(SignerMode::Certificate);
        let t = now().add_micros(aid as i64 * 1000);
        assert_eq!(code(&mut v, &s.sign(b"x", aid, t).unwrap(), t), Ok(()));
        assert!(v.cache().len() <= 2, "bounded");
    }
    // after the pseudonym's end the cached entry is gone and the message is refused
    let mut s = p.signer(&[4]).unwrap();
    s.set_mode(SignerMode::Digest);
    let after = now().add_micros(169 * 3600 * SEC);
    assert_eq!(
        code(&mut v, &s.sign(b"x", 4, after).unwrap(), after),
        Err(SecurityError::SignerNotFound)
    );
}

#[test]
fn diagnose_mode_reports_the_signature_whatever_failed_first() {
    let p = pki(KeyAlg::Sm2);
    let s = cert_signer(&p);
    let spdu = s.sign(b"x", AID, now().add_micros(60 * SEC)).unwrap();
    let mut v = Verifier::new(Config {
        diagnose: true,
        ..Config::default()
    });
    let rep = v.verify(&spdu, now());
    assert_eq!(rep.result, Err(SecurityError::GenerationTimeInFuture));
    assert_eq!(rep.chain, ChainStatus::Failed(SecurityError::UnknownIssuer));
    assert_eq!(rep.signature_valid, Some(true));
    assert_eq!(rep.payload, None);
}

#[test]
fn sm2_fast_and_reference_verifiers_agree() {
    let p = pki(KeyAlg::Sm2);
    let key = PrivateKey::from_bytes(KeyAlg::Sm2, &[0x42; 32]).unwrap();
    let fast = SoftwareBackend::default();
    let reference = SoftwareBackend::with_sm2(Sm2Verifier::RustCrypto);
    let pk = key.public_key();
    let k = fast.prepare_key(KeyAlg::Sm2, &pk.point).unwrap();
    let input = key.signer_input(Some(p.ca_cert()));
    for i in 0..40u32 {
        let tbs = i.to_be_bytes().repeat(1 + i as usize % 5);
        let sig = key.sign(&input, &tbs).unwrap();
        let e = fast.sm3(&[&input, &tbs]);
        assert!(fast.verify_sm2(&k, &e, &sig.r, &sig.s));
        assert!(reference.verify_sm2(&k, &e, &sig.r, &sig.s));
        let mut e2 = e;
        e2[(i % 32) as usize] ^= 1;
        assert!(!fast.verify_sm2(&k, &e2, &sig.r, &sig.s));
        assert!(!reference.verify_sm2(&k, &e2, &sig.r, &sig.s));
    }
    // out-of-range scalars are refused by both
    let n_bytes: [u8; 32] = [
        0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0x72, 0x03, 0xDF, 0x6B, 0x21, 0xC6, 0x05, 0x2B, 0x53, 0xBB, 0xF4, 0x09, 0x39, 0xD5,
        0x41, 0x23,
    ];
    let e = [5u8; 32];
    for (r, s) in [
        ([0u8; 32], [1u8; 32]),
        ([1u8; 32], n_bytes),
        (n_bytes, [1u8; 32]),
    ] {
        assert!(!fast.verify_sm2(&k, &e, &r, &s));
        assert!(!reference.verify_sm2(&k, &e, &r, &s));
    }
}

#[test]
fn names_and_binary_ids_round_trip_through_the_encoder() {
    let p = pki(KeyAlg::EcdsaP256);
    let s = custom_signer(&p, "named", |t| {
        t.fields.id = CertId::Name("obu.example".into());
        t.fields.assurance_level = Some(0x20);
    });
    let c = cv2x::security::cert::Certificate::from_bytes(s.certificate()).unwrap();
    assert_eq!(c.id, CertId::Name("obu.example".into()));
    assert_eq!(c.assurance_level, Some(0x20));
    assert_eq!(c.ssp_for(AID), Some(None));
}

/// The last octet of an SPDU is the last octet of the signature's `s`: flipped, the signature no
/// longer verifies but the SPDU still parses.
fn flip_signature(spdu: &[u8]) -> Vec<u8> {
    let mut b = spdu.to_vec();
    if let Some(last) = b.last_mut() {
        *last ^= 0x01;
    }
    b
}

#[test]
fn check_defers_only_the_signature_of_a_cached_signer_and_verify_signature_completes_it() {
    for alg in [KeyAlg::EcdsaP256, KeyAlg::Sm2] {
        let p = pki(alg);
        let mut v = Verifier::with_backend(Counting::default(), Config::default());
        v.add_trust_anchor(p.root_cert()).unwrap();
        v.add_certificate(p.ca_cert()).unwrap();
        let mut s = p.signer(&[AID]).unwrap();
        s.set_mode(SignerMode::Certificate);

        // A signer not yet verified: `check` verifies chain and signature in full.
        let first = s.sign(b"1", AID, now()).unwrap();
        v.backend().reset();
        let rep = v.check(&first, now());
        assert_eq!(rep.result, Ok(()), "{alg:?}");
        assert_eq!(rep.signature_valid, Some(true), "{alg:?}");
        assert_eq!(
            v.backend().verify.get(),
            3,
            "{alg:?}: CA, pseudonym, message"
        );
        // A forged first message (the certificate carried, signature flipped) fails at once.
        let t = now().add_micros(50_000);
        let mut other = Verifier::with_backend(Counting::default(), Config::default());
        other.add_trust_anchor(p.root_cert()).unwrap();
        other.add_certificate(p.ca_cert()).unwrap();
        let forged_first = flip_signature(&s.sign(b"f", AID, t).unwrap());
        let rep = other.check(&forged_first, t);
        assert_eq!(rep.result, Err(SecurityError::MessageSignatureInvalid));

        // The signer is cached now: `check` does no signature work and no hashing of the data.
        s.set_mode(SignerMode::Digest);
        let t1 = now().add_micros(100_000);
        let good = s.sign(b"2", AID, t1).unwrap();
        v.backend().reset();
        let rep = v.check(&good, t1);
        assert_eq!(rep.result, Ok(()), "{alg:?}");
        assert_eq!(rep.signature_valid, None, "{alg:?}: deferred");
        assert_eq!(rep.payload, Some(&b"2"[..]));
        assert_eq!(v.backend().verify.get(), 0, "{alg:?}");
        assert_eq!(
            v.backend().sha256.get() + v.backend().sm3.get(),
            0,
            "{alg:?}"
        );
        // The message holds its place in the replay window at once.
        assert_eq!(v.check(&good, t1).result, Err(SecurityError::Duplicate));
        assert_eq!(v.verify(&good, t1).result, Err(SecurityError::Duplicate));
        // Completed later: one hash and one signature check, and it verifies.
        v.backend().reset();
        let rep = v.verify_signature(&good, t1);
        assert_eq!(rep.result, Ok(()), "{alg:?}");
        assert_eq!(rep.signature_valid, Some(true));
        assert_eq!(v.backend().verify.get(), 1, "{alg:?}");
        assert_eq!(v.backend().prepare.get(), 0, "{alg:?}");

        // A bad signature under the cached signer's digest passes `check` (nothing but the
        // signature can tell) and fails `verify_signature`.
        let t2 = now().add_micros(200_000);
        let forged = flip_signature(&s.sign(b"3", AID, t2).unwrap());
        assert_eq!(v.check(&forged, t2).result, Ok(()), "{alg:?}");
        let rep = v.verify_signature(&forged, t2);
        assert_eq!(rep.result, Err(SecurityError::MessageSignatureInvalid));
        assert_eq!(rep.signature_valid, Some(false));
        // `verify` is unchanged: it always checks the signature.
        let t3 = now().add_micros(300_000);
        let forged = flip_signature(&s.sign(b"4", AID, t3).unwrap());
        assert_eq!(
            v.verify(&forged, t3).result,
            Err(SecurityError::MessageSignatureInvalid)
        );

        // Every cheap check still applies in `check`: too old, wrong AID.
        let old = s.sign(b"5", AID, now()).unwrap();
        let late = now().add_micros(11 * SEC);
        assert_eq!(
            v.check(&old, late).result,
            Err(SecurityError::GenerationTimeTooOld)
        );
        let wrong_aid = s.sign(b"6", 36, t3).unwrap();
        assert_eq!(
            v.check(&wrong_aid, t3).result,
            Err(SecurityError::AidNotPermitted(36))
        );

        // A certificate revoked after `check` fails when the signature is completed.
        v.add_certificate(s.certificate()).unwrap();
        let t4 = now().add_micros(400_000);
        let pending = s.sign(b"7", AID, t4).unwrap();
        assert_eq!(v.check(&pending, t4).result, Ok(()));
        v.revoke(s.id8());
        assert_eq!(
            v.verify_signature(&pending, t4).result,
            Err(SecurityError::Revoked),
            "{alg:?}"
        );
    }
}
