//! Signed messages through the `Stack` with the security layer's `Verifier` as its verifier: accepted and warning exactly like plain frames, a corrupted
//! signature dropped with its precise reason, plain frames dropped when signatures are required,
//! and a known signer costing one signature check and no chain work.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use cv2x::VehicleState;
use cv2x::apps::{AppId, Warning};
use cv2x::codec::Uper;
use cv2x::geo::Wgs84;
use cv2x::security::cert::{CurvePoint, KeyAlg};
use cv2x::security::crypto::{Backend, SoftwareBackend, SoftwareKey};
use cv2x::security::sign::SignerMode;
use cv2x::security::{Config as SecConfig, SecurityError, SpduSigner, Verifier};
use cv2x::stack::{DropReason, Event, RxMeta, Stack, StackConfig, VerifyFailure};
use cv2x::testing::pki::TestPki;
use cv2x::testing::pki::{TEST_PKI_SEED, test_pair};
use cv2x::testing::scenario::build::{self, VehicleInfo};
use cv2x::testing::scenario::{Kind, MotionState, RunOptions, Scenario, run};
use cv2x::time::Timestamp;

#[path = "support/signed.rs"]
mod signed;
use signed::{ALGS, BSM_AID, ORIGIN, at, t};

/// A BSM of a car stopped 60 m ahead of the ego's start, as broadcast at `ts`.
fn stopped_car_bsm(ts: f64, count: u8) -> Vec<u8> {
    let info = VehicleInfo {
        id: build::actor_vehicle_id(7),
        kind: Kind::Car,
        length_m: 4.5,
        width_m: 1.8,
        noise_m: 0.3,
    };
    let s = MotionState {
        y: 60.0,
        ..MotionState::default()
    };
    build::bsm(&info, &s, &at(0.0, 60.0), t(ts), count)
        .encode()
        .unwrap()
}

fn stack(require_signatures: bool) -> Stack {
    let mut s = Stack::new(
        StackConfig::default()
            .with_origin(ORIGIN)
            .with_require_signatures(require_signatures),
    )
    .unwrap();
    s.set_temporary_id(Some(build::EGO_ID));
    s
}

/// A stack requiring signatures with the test PKI's verifier for `alg`, and the matching signer.
fn signed_stack(alg: KeyAlg) -> (SpduSigner, Stack) {
    let (signer, verifier) = test_pair(alg, t(0.0)).unwrap();
    let mut st = stack(true);
    st.set_verifier(Box::new(verifier));
    (signer, st)
}

/// The ego at `p` heading north at `speed_mps`.
fn ego(now: Timestamp, p: Wgs84, speed_mps: f64) -> VehicleState {
    VehicleState::new(now, p.lat_deg, p.lon_deg, 0.0, speed_mps).with_accuracy(0.5, 1.0)
}

/// The ego driving north at 20 m/s towards the stopped car, 10 Hz for 2 s; `seal` turns each
/// encoded BSM into what is ingested. Returns the warnings of every poll and the stack.
fn approach(
    mut stack: Stack,
    meta: RxMeta,
    seal: impl Fn(&[u8], Timestamp) -> Vec<u8>,
) -> (Vec<Vec<Warning>>, Stack) {
    let mut polls = Vec::new();
    for k in 0..=20u8 {
        let ts = f64::from(k) * 0.1;
        let now = t(ts);
        stack.set_ego(&ego(now, at(0.0, 20.0 * ts), 20.0)).unwrap();
        let bytes = seal(&stopped_car_bsm(ts, k), now);
        stack.ingest(&bytes, &meta, now).unwrap();
        stack.poll(now).for_each(drop);
        let warnings: Vec<Warning> = stack.active_warnings().iter().map(|a| a.warning).collect();
        polls.push(warnings);
    }
    (polls, stack)
}

#[test]
fn signed_messages_are_accepted_and_warn_exactly_like_plain_ones() {
    let (plain, plain_stack) = approach(stack(false), RxMeta::PLAIN, |b, _| b.to_vec());
    assert!(
        plain.iter().flatten().any(|w| w.app == AppId::Fcw),
        "the plain run must warn (FCW) for the comparison to mean anything"
    );
    for alg in ALGS {
        let (signer, st) = signed_stack(alg);
        let (signed, st) = approach(st, RxMeta::SPDU, |b, now| {
            signer.sign(b, BSM_AID, now).unwrap()
        });
        assert_eq!(signed, plain, "{alg:?}: same warnings, poll by poll");
        let c = st.counters();
        assert_eq!(c.verified, 21, "{alg:?}");
        assert_eq!(c.accepted, plain_stack.counters().accepted, "{alg:?}");
        assert_eq!(c.verify_failed + c.unsigned + c.no_verifier, 0, "{alg:?}");
    }
}

#[test]
fn a_flipped_signature_byte_is_dropped_as_a_bad_signature() {
    for alg in ALGS {
        let (signer, mut st) = signed_stack(alg);
        let now = t(0.0);
        let good = signer.sign(&stopped_car_bsm(0.0, 0), BSM_AID, now).unwrap();
        // The SPDU ends with the signature's s: flip a bit of its last octet.
        let mut bad = good.clone();
        *bad.last_mut().unwrap() ^= 0x01;
        assert_eq!(
            st.ingest(&bad, &RxMeta::SPDU, now),
            Err(DropReason::Verify(VerifyFailure::BadSignature)),
            "{alg:?}"
        );
        assert_eq!(
            VerifyFailure::BadSignature.code(),
            SecurityError::MessageSignatureInvalid.code()
        );
        let c = *st.counters();
        assert_eq!(
            (c.verify_failed, c.verified, c.accepted),
            (1, 0, 0),
            "{alg:?}"
        );
        let drops: Vec<DropReason> = st
            .poll(now)
            .filter_map(|e| match e {
                Event::Dropped { reason, .. } => Some(reason),
                _ => None,
            })
            .collect();
        assert_eq!(
            drops,
            [DropReason::Verify(VerifyFailure::BadSignature)],
            "{alg:?}"
        );
        // The intact message still goes through (the bad copy was not recorded as seen)...
        assert!(st.ingest(&good, &RxMeta::SPDU, now).is_ok(), "{alg:?}");
        // ...once: a second copy is a replay.
        assert_eq!(
            st.ingest(&good, &RxMeta::SPDU, now),
            Err(DropReason::Verify(VerifyFailure::Replay)),
            "{alg:?}"
        );
        assert_eq!(st.counters().verify_failed, 2, "{alg:?}");
    }
}

#[test]
fn failures_keep_the_security_layers_reason() {
    let (signer, mut st) = signed_stack(KeyAlg::EcdsaP256);
    let frame = stopped_car_bsm(0.0, 0);
    // generated 11 s before it is received: older than the 10 s the policy allows
    let old = signer.sign(&frame, BSM_AID, t(0.0)).unwrap();
    assert_eq!(
        st.ingest(&old, &RxMeta::SPDU, t(11.0)),
        Err(DropReason::Verify(VerifyFailure::TooOld))
    );
    // an AID the pseudonym is not permitted to sign
    let other_aid = signer.sign(&frame, 4000, t(0.0)).unwrap();
    assert_eq!(
        st.ingest(&other_aid, &RxMeta::SPDU, t(0.0)),
        Err(DropReason::Verify(VerifyFailure::AidNotPermitted))
    );
    // a signer from another PKI: its digest names no known certificate
    let stranger = TestPki::new(KeyAlg::EcdsaP256, b"another pki", t(0.0))
        .unwrap()
        .signer(&[BSM_AID])
        .unwrap();
    let spdu = stranger.sign(&frame, BSM_AID, t(0.0)).unwrap();
    assert_eq!(
        st.ingest(&spdu, &RxMeta::SPDU, t(0.0)),
        Err(DropReason::Verify(VerifyFailure::UnknownSigner))
    );
    // a plain frame presented as an SPDU
    assert!(matches!(
        st.ingest(&frame, &RxMeta::SPDU, t(0.0)),
        Err(DropReason::Verify(
            VerifyFailure::Malformed | VerifyFailure::IncompatibleProtocol
        ))
    ));
    assert_eq!(st.counters().verify_failed, 4);
    assert_eq!(st.counters().accepted, 0);
}

#[test]
fn a_frame_signed_under_the_aid_of_another_message_kind_is_dropped() {
    for alg in ALGS {
        let (signer, mut st) = signed_stack(alg);
        let frame = stopped_car_bsm(0.0, 0);
        // The pseudonym may sign RSMs (AID 3623), but this SPDU carries a BSM: refused, whatever
        // the DSMP packet said.
        let spdu = signer.sign(&frame, 3623, t(0.0)).unwrap();
        let meta = RxMeta {
            aid: Some(3623),
            ..RxMeta::SPDU
        };
        assert_eq!(
            st.ingest(&spdu, &meta, t(0.0)),
            Err(DropReason::Verify(VerifyFailure::ContentNotPermitted)),
            "{alg:?}"
        );
        assert_eq!(
            VerifyFailure::ContentNotPermitted.code(),
            "content_not_permitted"
        );
        // Under a BSM AID the same frame is accepted.
        let spdu = signer.sign(&frame, BSM_AID, t(0.0)).unwrap();
        assert!(st.ingest(&spdu, &RxMeta::SPDU, t(0.0)).is_ok(), "{alg:?}");
        let c = *st.counters();
        assert_eq!((c.verify_failed, c.accepted), (1, 1), "{alg:?}");
    }
}

#[test]
fn an_unsigned_frame_is_dropped_when_signatures_are_required() {
    let (_, mut st) = signed_stack(KeyAlg::Sm2);
    let frame = stopped_car_bsm(0.0, 0);
    assert_eq!(
        st.ingest(&frame, &RxMeta::PLAIN, t(0.0)),
        Err(DropReason::Unsigned)
    );
    let c = st.counters();
    assert_eq!((c.unsigned, c.accepted, c.verified), (1, 0, 0));
    // the same frame is taken when signatures are not required
    let mut open = stack(false);
    assert!(open.ingest(&frame, &RxMeta::PLAIN, t(0.0)).is_ok());
}

/// Backend call counts, shared with the test after the verifier moved into the stack.
#[derive(Debug, Default)]
struct Counts {
    hashes: AtomicUsize,
    prepare: AtomicUsize,
    verify: AtomicUsize,
}

impl Counts {
    fn take(&self) -> (usize, usize, usize) {
        (
            self.hashes.swap(0, Ordering::Relaxed),
            self.prepare.swap(0, Ordering::Relaxed),
            self.verify.swap(0, Ordering::Relaxed),
        )
    }
}

/// The software backend, counting its calls.
#[derive(Debug, Default)]
struct Counting {
    inner: SoftwareBackend,
    counts: Arc<Counts>,
}

fn bump(c: &AtomicUsize) {
    c.fetch_add(1, Ordering::Relaxed);
}

impl Backend for Counting {
    type Key = SoftwareKey;
    fn sha256(&self, parts: &[&[u8]]) -> [u8; 32] {
        bump(&self.counts.hashes);
        self.inner.sha256(parts)
    }
    fn sm3(&self, parts: &[&[u8]]) -> [u8; 32] {
        bump(&self.counts.hashes);
        self.inner.sm3(parts)
    }
    fn prepare_key(&self, alg: KeyAlg, point: &CurvePoint) -> Result<SoftwareKey, SecurityError> {
        bump(&self.counts.prepare);
        self.inner.prepare_key(alg, point)
    }
    fn key_xy(&self, key: &SoftwareKey) -> [u8; 64] {
        self.inner.key_xy(key)
    }
    fn verify_p256(&self, key: &SoftwareKey, msg: &[u8; 64], r: &[u8; 32], s: &[u8; 32]) -> bool {
        bump(&self.counts.verify);
        self.inner.verify_p256(key, msg, r, s)
    }
    fn verify_sm2(&self, key: &SoftwareKey, e: &[u8; 32], r: &[u8; 32], s: &[u8; 32]) -> bool {
        bump(&self.counts.verify);
        self.inner.verify_sm2(key, e, r, s)
    }
}

#[test]
fn a_second_message_from_the_same_signer_does_no_chain_work() {
    for alg in ALGS {
        let pki = TestPki::new(alg, TEST_PKI_SEED, t(0.0)).unwrap();
        let backend = Counting::default();
        let counts = backend.counts.clone();
        let mut v = Verifier::with_backend(backend, SecConfig::default());
        v.add_trust_anchor(pki.root_cert()).unwrap();
        v.add_certificate(pki.ca_cert()).unwrap();
        let mut signer = pki.signer(&[BSM_AID]).unwrap();
        let mut st = stack(true);
        st.set_verifier(Box::new(v));
        counts.take();

        // First message, with the pseudonym certificate: the CA and the pseudonym are
        // verified (two key preparations, two certificate signatures) besides the message.
        signer.set_mode(SignerMode::Certificate);
        let first = signer
            .sign(&stopped_car_bsm(0.0, 0), BSM_AID, t(0.0))
            .unwrap();
        assert!(st.ingest(&first, &RxMeta::SPDU, t(0.0)).is_ok(), "{alg:?}");
        let (_, prepare, verify) = counts.take();
        assert_eq!((prepare, verify), (2, 3), "{alg:?}: chain work once");

        // Then by digest: one hash and one signature check each, no chain work.
        signer.set_mode(SignerMode::Digest);
        for k in 1..5u8 {
            let ts = f64::from(k) * 0.1;
            let spdu = signer
                .sign(&stopped_car_bsm(ts, k), BSM_AID, t(ts))
                .unwrap();
            assert!(st.ingest(&spdu, &RxMeta::SPDU, t(ts)).is_ok(), "{alg:?}");
            assert_eq!(counts.take(), (1, 0, 1), "{alg:?}: message {k}");
        }
        assert_eq!(st.counters().verified, 5, "{alg:?}");
    }
}

/// Scenarios covering every message the runner sends: BSM, PSM, RSM, MAP, SPAT, RSI.
const SCENARIOS: [&str; 8] = [
    "fcw_nhtsa_lead_stopped",
    "fcw_false_alarm_adjacent_lane",
    "vrucw_pedestrian_roadside_only",
    "vrucw_ped_left_crossing",
    "rlvw_red_warns",
    "glosa_100m_red_then_green",
    "hlw_event_ahead_warns",
    "ivs_sign_ahead_shown",
];

#[test]
fn signed_scenario_runs_give_the_same_warnings_as_plain_ones() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    for name in SCENARIOS {
        let text = std::fs::read_to_string(dir.join(format!("{name}.json"))).unwrap();
        let sc = Scenario::from_json(&text).unwrap();
        let plain = run(&sc, RunOptions::default());
        assert!(plain.passed(), "{name}: {:?}", plain.failures);
        for alg in ALGS {
            let signed = run(&sc, RunOptions::signed(alg).unwrap());
            assert!(signed.passed(), "{name} {alg:?}: {:?}", signed.failures);
            assert_eq!(signed.messages, plain.messages, "{name} {alg:?}");
            assert_eq!(signed.records, plain.records, "{name} {alg:?}");
            assert_eq!(signed.timeline, plain.timeline, "{name} {alg:?}");
        }
    }
}
