//! SPDU parse + full verification at a fixed time on arbitrary bytes, against a verifier that
//! trusts a deterministic test PKI (whose signed messages seed the corpus): never panics, the
//! report is consistent, and the work per input is bounded. The same bytes go through the CRL
//! contents parser (what parses re-encodes to the same CRL) and the signed-CRL path.
#![no_main]

use std::sync::{Mutex, OnceLock};

use cv2x::security::cert::KeyAlg;
use cv2x::security::store::Crl;
use cv2x::security::{Config, Verifier, spdu};
use cv2x::testing::pki::TestPki;
use cv2x::time::Timestamp;
use libfuzzer_sys::fuzz_target;

/// The fixed verification time: 2026-01-01T00:00:00Z.
fn now() -> Timestamp {
    Timestamp::from_unix_utc_millis(1_767_225_600_000)
}

fn verifier() -> &'static Mutex<Verifier> {
    static V: OnceLock<Mutex<Verifier>> = OnceLock::new();
    V.get_or_init(|| {
        let mut v = Verifier::new(Config::default());
        for alg in [KeyAlg::EcdsaP256, KeyAlg::Sm2] {
            let pki = TestPki::new(alg, b"fuzz", now()).expect("test PKI");
            v.add_trust_anchor(pki.root_cert()).expect("root");
            v.add_certificate(pki.ca_cert()).expect("CA");
            let signer = pki.signer(&[32, 36]).expect("signer");
            v.add_certificate(signer.certificate()).expect("pseudonym");
        }
        Mutex::new(v)
    })
}

fuzz_target!(|data: &[u8]| {
    let _ = spdu::parse(data);
    if let Ok(crl) = Crl::parse(data) {
        assert_eq!(Crl::parse(&crl.encode()).as_ref(), Ok(&crl));
    }
    let Ok(mut v) = verifier().lock() else {
        return;
    };
    let report = v.verify(data, now());
    if report.is_ok() {
        assert!(report.payload.is_some());
        assert_eq!(report.signature_valid, Some(true));
        assert!(report.signer.is_some());
    } else {
        assert!(report.payload.is_none());
    }
    let _ = v.add_signed_crl(data, now());
});
