//! The exports called from Rust where a test needs the core's own tools: a signed CRL made with
//! the test PKI, and the allocation-free BSM encoding (a counting allocator proves it).
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use cv2x::security::cert::{KeyAlg, PsidSsp};
use cv2x::security::sign::{SignerMode, SpduSigner};
use cv2x::security::store::{CRL_PSID, Crl};
use cv2x::security::{Backend, SoftwareBackend};
use cv2x::testing::pki::TestPki;
use cv2x::time::Timestamp;
use cv2x_capi::codec::*;
use cv2x_capi::result::*;
use cv2x_capi::security::*;

/// Counts the allocations of each thread (the test harness runs the other tests at the same
/// time; only the encoding thread's own allocations count).
struct Counting;

thread_local! {
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
}

fn allocs() -> usize {
    ALLOCS.with(Cell::get)
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        // `try_with`: the thread's slot may be gone while the thread ends.
        let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) }
    }
}

#[global_allocator]
static A: Counting = Counting;

#[test]
fn bsm_encode_does_not_allocate() {
    let mut b = cv2x_bsm::default();
    assert_eq!(cv2x_bsm_init(&mut b), CV2X_OK);
    b.lat = 399_000_000;
    b.lon = 1_164_000_000;
    b.present |= CV2X_BSM_HAS_EVENTS | CV2X_BSM_HAS_LIGHTS | CV2X_BSM_HAS_POS_CONFIDENCE;
    b.events = CV2X_EVENT_HARD_BRAKING;
    b.lights = CV2X_LIGHTS_HAZARD_SIGNAL;
    let mut out = [0u8; 256];
    let mut n = 0usize;
    // warm up (thread-local state of the test harness, lazily made statics)
    assert_eq!(
        cv2x_bsm_encode(
            CV2X_STD_CSAE53_2020,
            &b,
            out.as_mut_ptr(),
            out.len(),
            &mut n
        ),
        CV2X_OK
    );
    for std in [
        CV2X_STD_CSAE53_2020,
        CV2X_STD_CSAE53_2017,
        CV2X_STD_CSAE53_2019,
    ] {
        let before = allocs();
        let rc = cv2x_bsm_encode(std, &b, out.as_mut_ptr(), out.len(), &mut n);
        let after = allocs();
        assert_eq!(rc, CV2X_OK);
        assert_eq!(after - before, 0, "standard {std}");
        assert!(n > 30);
    }
}

fn now() -> Timestamp {
    Timestamp::from_micros(700_000_000_000_000)
}

/// A signed CRL of the CRACA's CRL signer, through `cv2x_verifier_add_signed_crl`: applied,
/// then the revoked pseudonym's messages fail with `CV2X_ERR_SEC_REVOKED`; the same CRL again
/// is `CV2X_ERR_SEC_DUPLICATE` (a replay), re-signed `CV2X_ERR_CRL_NOT_NEWER`.
#[test]
fn signed_crl_through_the_export() {
    for alg in [KeyAlg::EcdsaP256, KeyAlg::Sm2] {
        let p = TestPki::new(alg, b"capi-crl", now()).unwrap();
        let signer = p.signer(&[111]).unwrap();
        let crl_key = p.key("crl-signer").unwrap();
        let mut t = p.template(&crl_key, Some(p.ca_cert()));
        t.fields.app_permissions = vec![PsidSsp {
            psid: CRL_PSID,
            ssp: None,
        }];
        let crl_cert = p.issue_by_ca(&t, &crl_key).unwrap();
        let mut crl_signer = SpduSigner::new(crl_key, &crl_cert).unwrap();
        crl_signer.set_mode(SignerMode::Certificate);

        let mut v: *mut cv2x_verifier = std::ptr::null_mut();
        assert_eq!(cv2x_verifier_new(std::ptr::null(), &mut v), CV2X_OK);
        let root = p.root_cert();
        let ca = p.ca_cert();
        let sc = signer.certificate();
        let mut ca_id = [0u8; 8];
        assert_eq!(
            cv2x_verifier_add_trust_anchor(v, root.as_ptr(), root.len(), std::ptr::null_mut()),
            CV2X_OK
        );
        assert_eq!(
            cv2x_verifier_add_certificate(v, ca.as_ptr(), ca.len(), ca_id.as_mut_ptr()),
            CV2X_OK
        );
        assert_eq!(
            cv2x_verifier_add_certificate(v, sc.as_ptr(), sc.len(), std::ptr::null_mut()),
            CV2X_OK
        );
        let verify = |v: *mut cv2x_verifier, t: Timestamp| {
            let spdu = signer.sign(b"frame", 111, t).unwrap();
            let mut r = cv2x_verify_report::default();
            assert_eq!(
                cv2x_verifier_verify(v, spdu.as_ptr(), spdu.len(), t.as_micros(), &mut r),
                CV2X_OK
            );
            r.result
        };
        assert_eq!(verify(v, now()), CV2X_OK);

        let hash = match alg {
            KeyAlg::Sm2 => SoftwareBackend::default().sm3(&[sc]),
            _ => SoftwareBackend::default().sha256(&[sc]),
        };
        let mut id10 = [0u8; 10];
        id10.copy_from_slice(&hash[22..]);
        let issued = now().add_micros(-3_600_000_000);
        let t32 = (issued.as_micros() / 1_000_000) as u32;
        let crl = Crl {
            crl_series: 1,
            craca: ca_id,
            issue_date: t32,
            next_crl: t32 + 86_400,
            delta: false,
            serial: 1,
            entries: vec![(id10, t32 + 30 * 86_400)],
        };
        let secured = crl_signer.sign(&crl.encode(), CRL_PSID, issued).unwrap();
        let n = now().as_micros();
        assert_eq!(
            cv2x_verifier_add_signed_crl(v, secured.as_ptr(), secured.len(), n),
            CV2X_OK,
            "{alg:?}"
        );
        // the same message again is a replay; the same CRL signed again is not newer
        assert_eq!(
            cv2x_verifier_add_signed_crl(v, secured.as_ptr(), secured.len(), n),
            CV2X_ERR_SEC_DUPLICATE
        );
        let again = crl_signer
            .sign(&crl.encode(), CRL_PSID, issued.add_micros(1_000_000))
            .unwrap();
        assert_eq!(
            cv2x_verifier_add_signed_crl(v, again.as_ptr(), again.len(), n),
            CV2X_ERR_CRL_NOT_NEWER
        );
        assert_eq!(verify(v, now().add_micros(1_000_000)), CV2X_ERR_SEC_REVOKED);
        // signed by the pseudonym, not the CRACA's CRL signer
        let by_pseudonym = signer.sign(&crl.encode(), CRL_PSID, issued).unwrap();
        assert_ne!(
            cv2x_verifier_add_signed_crl(v, by_pseudonym.as_ptr(), by_pseudonym.len(), n),
            CV2X_OK
        );
        cv2x_verifier_free(v);
    }
}
