//! The relaxations of IEEE 1609.2 chain consistency on signed messages (test PKI): a verdict
//! reports the relaxations it relied on, also for a signer served from the cache; each accepted
//! verdict is counted; only the end entity's permissions are relaxed, never a CA's; time and
//! signatures stay strict.

use cv2x::security::cert::{
    DurationUnit, EE_APP, KeyAlg, PsidGroupPermissions, PsidSsp, PsidSspRange, SubjectPermissions,
    Validity,
};
use cv2x::security::sign::{SpduSigner, sign_certificate};
use cv2x::security::{Config, Relaxation, RelaxationSet, Verifier};
use cv2x::testing::pki::TestPki;
use cv2x::time::Timestamp;

const SEC: i64 = 1_000_000;

fn now() -> Timestamp {
    Timestamp::from_micros(700_000_000 * SEC)
}

fn time32(t: Timestamp) -> u32 {
    (t.as_micros() / SEC) as u32
}

fn explicit(aids: &[u64]) -> Vec<PsidGroupPermissions> {
    vec![PsidGroupPermissions {
        subject: SubjectPermissions::Explicit(
            aids.iter()
                .map(|a| PsidSspRange {
                    psid: *a,
                    ssp_range: None,
                })
                .collect(),
        ),
        min_chain_length: 1,
        chain_length_range: 0,
        ee_type: EE_APP,
    }]
}

/// Root → PCA (may issue `pca_aids`; valid for `pca_days` days from a day ago) → pseudonym with
/// `ee_aids` (one week from an hour ago).
struct Chain {
    pki: TestPki,
    pca: Vec<u8>,
    signer: SpduSigner,
}

fn chain(pca_aids: &[u64], ee_aids: &[u64], pca_days: u16) -> Chain {
    let pki = TestPki::new(KeyAlg::Sm2, b"relaxations", now()).unwrap();
    let pca_key = pki.key("pca").unwrap();
    let mut t = pki.template(&pca_key, Some(pki.root_cert()));
    t.fields.issue_permissions = explicit(pca_aids);
    t.fields.validity = Validity {
        start_time32: time32(now()) - 86_400,
        unit: DurationUnit::Hours,
        value: pca_days * 24,
    };
    let pca = sign_certificate(&t, Some((pki.root_key(), pki.root_cert())), &pca_key).unwrap();
    let ee_key = pki.key("pseudonym").unwrap();
    let mut t = pki.template(&ee_key, Some(&pca));
    t.fields.app_permissions = ee_aids
        .iter()
        .map(|a| PsidSsp {
            psid: *a,
            ssp: None,
        })
        .collect();
    let ee = sign_certificate(&t, Some((&pca_key, &pca)), &ee_key).unwrap();
    let signer = SpduSigner::new(ee_key, &ee).unwrap();
    Chain { pki, pca, signer }
}

fn verifier(c: &Chain, relax: &[Relaxation]) -> Verifier {
    let mut v = Verifier::new(Config {
        relax: relax.iter().copied().collect(),
        ..Config::default()
    });
    v.add_trust_anchor(c.pki.root_cert()).unwrap();
    v.add_certificate(&c.pca).unwrap();
    v.add_certificate(c.signer.certificate()).unwrap();
    v
}

#[test]
fn a_message_reports_the_relaxation_it_relied_on_also_from_the_cache() {
    // The pseudonym carries 113, which its PCA may not issue (as in the real PKI).
    let c = chain(&[111, 112], &[111, 113], 30);
    let msg = |aid, dt: i64| {
        c.signer
            .sign(b"frame", aid, now().add_micros(dt * SEC))
            .unwrap()
    };

    let mut strict = verifier(&c, &[]);
    assert_eq!(
        strict.verify(&msg(113, 0), now()).code(),
        "issuer_not_permitted"
    );
    assert_eq!(
        strict.verify(&msg(111, 0), now()).code(),
        "issuer_not_permitted"
    );

    let mut v = verifier(&c, &[Relaxation::EePermissionsOutsideIssuer]);
    let only = RelaxationSet::EMPTY.with(Relaxation::EePermissionsOutsideIssuer);
    for (i, aid) in [113, 111, 113].into_iter().enumerate() {
        let spdu = msg(aid, i as i64);
        let r = v.verify(&spdu, now().add_micros(i as i64 * SEC));
        assert_eq!(r.code(), "ok", "message {i}");
        // the first builds the chain, the others find the signer in the cache
        assert_eq!(r.relaxations, only, "message {i}");
    }
    assert_eq!(
        v.relaxation_counts()
            .get(Relaxation::EePermissionsOutsideIssuer),
        3
    );
    // A message the signer is not permitted for is refused as before, and not counted.
    assert_eq!(
        v.verify(&msg(114, 3), now().add_micros(3 * SEC)).code(),
        "aid_not_permitted"
    );
    assert_eq!(
        v.relaxation_counts()
            .get(Relaxation::EePermissionsOutsideIssuer),
        3
    );
    // Every relaxation on, but a chain that needs none: nothing reported.
    let clean = chain(&[111, 113], &[111, 113], 30);
    let mut v = verifier(&clean, &Relaxation::ALL);
    let spdu = clean.signer.sign(b"x", 113, now()).unwrap();
    let r = v.verify(&spdu, now());
    assert_eq!(r.code(), "ok");
    assert!(r.relaxations.is_empty());
}

#[test]
fn a_ca_outside_its_issuer_is_never_relaxed() {
    // The PCA may issue 111 only, and issues a sub-CA that may issue 111 and 113.
    let c = chain(&[111], &[111], 30);
    let sub_key = c.pki.key("sub-ca").unwrap();
    let mut t = c.pki.template(&sub_key, Some(&c.pca));
    t.fields.issue_permissions = explicit(&[111, 113]);
    let pca_key = c.pki.key("pca").unwrap();
    let sub = sign_certificate(&t, Some((&pca_key, &c.pca)), &sub_key).unwrap();
    let mut v = verifier(&c, &Relaxation::ALL);
    assert_eq!(
        v.verify_chain(&sub, &[], now()),
        Err(cv2x::security::SecurityError::IssuerNotPermitted)
    );
}

#[test]
fn the_validity_relaxation_never_stretches_time() {
    // The PCA lives 2 days from a day ago; the pseudonym a week from an hour ago.
    let c = chain(&[111], &[111], 2);
    let mut strict = verifier(&c, &[]);
    assert_eq!(
        strict
            .verify(&c.signer.sign(b"x", 111, now()).unwrap(), now())
            .code(),
        "validity_not_inside_issuer"
    );
    let mut v = verifier(&c, &[Relaxation::ValidityNotNested]);
    let spdu = c.signer.sign(b"x", 111, now()).unwrap();
    let r = v.verify(&spdu, now());
    assert_eq!(r.code(), "ok");
    assert_eq!(
        r.relaxations,
        RelaxationSet::EMPTY.with(Relaxation::ValidityNotNested)
    );
    // Two days on, the pseudonym is valid but its PCA is not: refused, from the cache too.
    let later = now().add_micros(2 * 86_400 * SEC);
    assert_eq!(
        v.verify(&c.signer.sign(b"y", 111, later).unwrap(), later)
            .code(),
        "certificate_expired"
    );
    let mut fresh = verifier(&c, &[Relaxation::ValidityNotNested]);
    assert_eq!(
        fresh
            .verify(&c.signer.sign(b"y", 111, later).unwrap(), later)
            .code(),
        "certificate_expired"
    );
}

#[test]
fn no_relaxation_accepts_a_bad_message_signature() {
    let c = chain(&[111], &[111, 113], 2);
    let mut v = verifier(&c, &Relaxation::ALL);
    let mut spdu = c.signer.sign(b"x", 113, now()).unwrap();
    let last = spdu.len() - 1;
    spdu[last] ^= 0x01;
    let r = v.verify(&spdu, now());
    assert_eq!(r.code(), "message_signature_invalid");
    assert!(
        Relaxation::ALL
            .iter()
            .all(|x| v.relaxation_counts().get(*x) == 0)
    );
}
