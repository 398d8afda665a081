//! Verify on demand (`VerifyPolicy::OnDemand`) through the `Stack` with the security layer's
//! verifier: a forged BSM is tracked, then taken back with its data when a warning needs it; a
//! warning resting on an unverified sender is released only after its verification, in the same
//! poll; random sampling finds a harmless forger; roadside messages are never used unverified;
//! the tables stay bounded; the signed scenario suite gives the same warnings under both
//! policies; and forged senders never raise a warning under either.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use cv2x::VehicleState;
use cv2x::apps::AppId;
use cv2x::codec::Uper;
use cv2x::geo::EnuFrame;
use cv2x::security::cert::KeyAlg;
use cv2x::security::{SpduSigner, Verifier};
use cv2x::stack::{
    DropReason, Event, RxMeta, SpduVerifier, Stack, StackConfig, Verified, VerifyFailure,
    VerifyPolicy,
};
use cv2x::testing::pki::test_pair;
use cv2x::testing::scenario::build::{self, VehicleInfo};
use cv2x::testing::scenario::{Kind, MotionState, RunOptions, Scenario, Signal, run};
use cv2x::time::Timestamp;
use cv2x::world::Light;

#[path = "support/scenarios.rs"]
mod scenarios;
#[path = "support/signed.rs"]
mod signed;
use scenarios::{scenario_files, scenario_files_in};
use signed::{ALGS, BSM_AID, ORIGIN, at, t};

fn frame() -> EnuFrame {
    EnuFrame::new(ORIGIN).unwrap()
}

/// Vehicle `id`'s BSM: stopped at (x, y), as broadcast at `ts`.
fn stopped_bsm(id: u32, x: f64, y: f64, ts: f64, count: u8) -> Vec<u8> {
    let info = VehicleInfo {
        id: build::actor_vehicle_id(id),
        kind: Kind::Car,
        length_m: 4.5,
        width_m: 1.8,
        noise_m: 0.3,
    };
    let s = MotionState {
        x,
        y,
        ..MotionState::default()
    };
    build::bsm(&info, &s, &at(x, y), t(ts), count)
        .encode()
        .unwrap()
}

/// The SPDU with the last octet of its signature flipped: a known signer, a bad signature.
fn forged(spdu: Vec<u8>) -> Vec<u8> {
    let mut b = spdu;
    *b.last_mut().unwrap() ^= 0x01;
    b
}

/// Calls of the two halves of the split verification, shared with the test.
#[derive(Debug, Default)]
struct Calls {
    checks: AtomicUsize,
    signatures: AtomicUsize,
}

/// The security layer's verifier, counting how often each half is called.
struct Counted {
    inner: Verifier,
    calls: Arc<Calls>,
}

impl SpduVerifier for Counted {
    fn verify<'a>(
        &mut self,
        spdu: &'a [u8],
        now: Timestamp,
    ) -> Result<Verified<'a>, VerifyFailure> {
        SpduVerifier::verify(&mut self.inner, spdu, now)
    }
    fn check<'a>(&mut self, spdu: &'a [u8], now: Timestamp) -> Result<Verified<'a>, VerifyFailure> {
        self.calls.checks.fetch_add(1, Ordering::Relaxed);
        SpduVerifier::check(&mut self.inner, spdu, now)
    }
    fn verify_signature(&mut self, spdu: &[u8], received: Timestamp) -> Result<(), VerifyFailure> {
        self.calls.signatures.fetch_add(1, Ordering::Relaxed);
        SpduVerifier::verify_signature(&mut self.inner, spdu, received)
    }
}

/// A stack requiring signatures under `policy`, with the test PKI's verifier for `alg` (its
/// calls counted) and the matching signer.
fn stack(alg: KeyAlg, policy: VerifyPolicy) -> (SpduSigner, Stack, Arc<Calls>) {
    let (signer, verifier) = test_pair(alg, t(0.0)).unwrap();
    let calls = Arc::new(Calls::default());
    let mut st = Stack::new(
        StackConfig::default()
            .with_origin(ORIGIN)
            .with_require_signatures(true)
            .with_verify_policy(policy),
    )
    .unwrap();
    st.set_temporary_id(Some(build::EGO_ID));
    st.set_verifier(Box::new(Counted {
        inner: verifier,
        calls: calls.clone(),
    }));
    (signer, st, calls)
}

/// No sampling during these tests: only a warning (or a first message) triggers verification.
const NO_SAMPLING: VerifyPolicy = VerifyPolicy::on_demand_every(3_600_000);

fn ego(now: Timestamp, y: f64, speed_mps: f64) -> VehicleState {
    let p = at(0.0, y);
    VehicleState::new(now, p.lat_deg, p.lon_deg, 0.0, speed_mps).with_accuracy(0.5, 1.0)
}

/// Step `k` (0.1 s each) of the ego driving north at 20 m/s from y = 0 towards vehicle 7,
/// stopped 120 m ahead (FCW warns after about 2 s): sets the ego; returns the time and vehicle
/// 7's signed BSM.
fn approach_step(st: &mut Stack, signer: &SpduSigner, k: u8) -> (Timestamp, Vec<u8>) {
    let ts = f64::from(k) * 0.1;
    let now = t(ts);
    st.set_ego(&ego(now, 20.0 * ts, 20.0)).unwrap();
    let bsm = stopped_bsm(7, 0.0, 120.0, ts, k);
    (now, signer.sign(&bsm, BSM_AID, now).unwrap())
}

fn fcw_active(st: &Stack) -> bool {
    st.active_warnings()
        .iter()
        .any(|a| a.warning.app == AppId::Fcw)
}

#[test]
fn a_forged_bsm_is_tracked_then_taken_back_with_its_data_when_a_warning_needs_it() {
    for alg in ALGS {
        let (signer, mut st, calls) = stack(alg, NO_SAMPLING);
        let car = build::actor_vehicle_id(7);
        // Vehicle 7's first message is genuine (verified on receipt: a new sender); then a
        // forger sends as vehicle 7, with its signer's digest and a flipped signature, a car
        // stopped 120 m ahead of the ego, which drives at it at 20 m/s (FCW would warn after
        // about 2 s).
        let mut saw_unverified = false;
        let mut dropped = Vec::new();
        for k in 0..=40u8 {
            let (now, spdu) = approach_step(&mut st, &signer, k);
            let ts = f64::from(k) * 0.1;
            let spdu = if k == 0 { spdu } else { forged(spdu) };
            let r = st.ingest(&spdu, &RxMeta::SPDU, now);
            for e in st.poll(now) {
                if let Event::Dropped { reason, .. } = e {
                    dropped.push((k, reason));
                }
            }
            assert!(
                !fcw_active(&st),
                "{alg:?}: FCW raised at {ts} s on forged data"
            );
            if st.counters().retracted == 0 {
                // Before the forgery is found it is tracked, used, and flagged unverified.
                assert!(r.is_ok(), "{alg:?} {k}: {r:?}");
                if k > 0 {
                    let o = st.objects().iter().find(|o| o.vehicle_id == Some(car));
                    let o = o.expect("the forged car is tracked");
                    assert!(!o.verified, "{alg:?} {k}");
                    assert_eq!(st.sender_verified(&car), Some(false), "{alg:?} {k}");
                    saw_unverified = true;
                }
            }
        }
        assert!(saw_unverified, "{alg:?}");
        let c = *st.counters();
        // Found when FCW would have warned: one verification failed, the data went with it.
        assert_eq!(c.retracted, 1, "{alg:?}: {c:?}");
        assert!(c.warnings_withheld >= 1, "{alg:?}: {c:?}");
        let found = dropped
            .iter()
            .position(|(_, r)| *r == DropReason::Retracted(VerifyFailure::BadSignature))
            .expect("a retraction event");
        // Quarantined afterwards: each forged message is verified on receipt and dropped.
        let mut after = dropped.iter().skip(found + 1);
        assert!(
            after.clone().count() >= 3,
            "{alg:?}: later forgeries dropped on receipt: {dropped:?}"
        );
        assert!(
            after.all(|(_, r)| *r == DropReason::Verify(VerifyFailure::BadSignature)),
            "{alg:?}: {dropped:?}"
        );
        assert!(
            st.objects().iter().all(|o| o.vehicle_id != Some(car)),
            "{alg:?}: the forged car is gone"
        );
        assert!(st.world().vehicles().flags(&car).is_none(), "{alg:?}");
        assert!(calls.signatures.load(Ordering::Relaxed) >= 1);
    }
}

#[test]
fn a_warning_resting_on_an_unverified_sender_is_released_only_after_its_verification() {
    for alg in ALGS {
        let mut raised_at = Vec::new();
        for policy in [VerifyPolicy::Always, NO_SAMPLING] {
            let (signer, mut st, calls) = stack(alg, policy);
            let mut raised = None;
            for k in 0..=40u8 {
                let (now, spdu) = approach_step(&mut st, &signer, k);
                st.ingest(&spdu, &RxMeta::SPDU, now).unwrap();
                let before = calls.signatures.load(Ordering::Relaxed);
                let fcw_raised = st.poll(now).any(
                    |e| matches!(e, Event::Warning { warning, .. } if warning.app == AppId::Fcw),
                );
                let during = calls.signatures.load(Ordering::Relaxed) - before;
                if fcw_raised && raised.is_none() {
                    raised = Some(k);
                    if policy.is_on_demand() {
                        // The poll that raised it verified the sender's latest message first.
                        assert_eq!(during, 1, "{alg:?}: one verification per released warning");
                        assert_eq!(st.counters().verified_for_warnings, 1, "{alg:?}");
                    }
                }
                if policy.is_on_demand() && fcw_active(&st) {
                    let car = build::actor_vehicle_id(7);
                    assert_eq!(st.sender_verified(&car), Some(true), "{alg:?} {k}");
                    assert!(st.objects().iter().all(|o| o.verified), "{alg:?} {k}");
                }
                if policy.is_on_demand() && raised.is_none() && k > 0 {
                    // Until then the car's messages were used unverified.
                    assert!(st.objects().iter().any(|o| !o.verified), "{alg:?} {k}");
                }
            }
            let c = *st.counters();
            if policy.is_on_demand() {
                assert!(c.deferred > 0 && c.verified < 41, "{alg:?}: {c:?}");
                assert_eq!((c.retracted, c.warnings_withheld), (0, 0), "{alg:?}");
            } else {
                assert_eq!((c.verified, c.deferred), (41, 0), "{alg:?}");
            }
            let raised = raised.expect("FCW raised");
            assert!(
                raised > 5,
                "{alg:?}: the car was tracked unverified for a while"
            );
            raised_at.push(raised);
        }
        assert_eq!(
            raised_at[0], raised_at[1],
            "{alg:?}: no later than verifying all"
        );
    }
}

#[test]
fn sampling_finds_a_harmless_forger() {
    for alg in ALGS {
        // Vehicle 7 (parked 300 m to the side: no application cares) is heard once; then a
        // forger goes on in its name. Samples every 0.5 s on average (0.25 to 0.75 s).
        let (signer, mut st, _) = stack(alg, VerifyPolicy::on_demand_every(500));
        let mut found_at = None;
        let mut dropped_after = 0;
        for k in 0..=60u8 {
            let ts = f64::from(k) * 0.1;
            let now = t(ts);
            st.set_ego(&ego(now, 0.0, 0.0)).unwrap();
            let spdu = signer
                .sign(&stopped_bsm(7, 300.0, 0.0, ts, k), BSM_AID, now)
                .unwrap();
            let spdu = if k > 0 { forged(spdu) } else { spdu };
            let r = st.ingest(&spdu, &RxMeta::SPDU, now);
            st.poll(now).for_each(drop);
            if found_at.is_some() {
                assert_eq!(
                    r,
                    Err(DropReason::Verify(VerifyFailure::BadSignature)),
                    "{alg:?} {k}: quarantined"
                );
                dropped_after += 1;
            }
            if found_at.is_none() && st.counters().retracted > 0 {
                found_at = Some(ts);
            }
            assert!(st.active_warnings().is_empty());
        }
        let found_at = found_at.expect("the forger is found");
        assert!(found_at <= 0.8 + 1e-9, "{alg:?}: found at {found_at} s");
        assert!(dropped_after >= 50, "{alg:?}");
        assert_eq!(st.counters().retracted, 1, "{alg:?}");
        assert_eq!(st.counters().warnings_withheld, 0);
    }
}

#[test]
fn roadside_messages_are_verified_before_use_and_a_forged_one_is_never_used() {
    for alg in ALGS {
        let (signer, mut st, calls) = stack(alg, NO_SAMPLING);
        let signal = Signal::new(100.0, 0.0, vec![(Light::Red, 30.0)]);
        let map = build::map(&frame(), &signal, 1.0, 600.0).encode().unwrap();
        let spat = |ts: f64, k: u8| {
            build::spat(&signal, ts, t(ts), k)
                .unwrap()
                .encode()
                .unwrap()
        };
        // Forged first, while the signer is known (a genuine BSM came before): dropped on
        // receipt, nothing stored.
        let now = t(0.0);
        let bsm = signer
            .sign(&stopped_bsm(7, 300.0, 0.0, 0.0, 0), BSM_AID, now)
            .unwrap();
        st.ingest(&bsm, &RxMeta::SPDU, now).unwrap();
        for (bytes, aid) in [(map.clone(), 3618), (spat(0.0, 0), 3619)] {
            let bad = forged(signer.sign(&bytes, aid, now).unwrap());
            assert_eq!(
                st.ingest(&bad, &RxMeta::SPDU, now),
                Err(DropReason::Verify(VerifyFailure::BadSignature)),
                "{alg:?}"
            );
        }
        assert_eq!(st.world().map().intersections().len(), 0, "{alg:?}");
        assert_eq!(st.world().spat().signals().len(), 0, "{alg:?}");
        // Genuine ones: each verified on receipt, never deferred.
        let before = *st.counters();
        let sigs = calls.signatures.load(Ordering::Relaxed);
        for k in 1..=10u8 {
            let ts = f64::from(k) * 0.1;
            let now = t(ts);
            for (bytes, aid) in [(map.clone(), 3618), (spat(ts, k), 3619)] {
                let spdu = signer.sign(&bytes, aid, now).unwrap();
                st.ingest(&spdu, &RxMeta::SPDU, now).unwrap();
            }
        }
        let c = *st.counters();
        assert_eq!(c.verified - before.verified, 20, "{alg:?}");
        assert_eq!(c.deferred, before.deferred, "{alg:?}");
        assert_eq!(
            calls.signatures.load(Ordering::Relaxed) - sigs,
            20,
            "{alg:?}"
        );
        assert_eq!(st.world().map().intersections().len(), 1, "{alg:?}");
        assert_eq!(st.world().spat().signals().len(), 1, "{alg:?}");
    }
}

#[test]
fn a_forged_first_message_of_a_new_sender_is_never_used() {
    let (signer, mut st, _) = stack(KeyAlg::Sm2, NO_SAMPLING);
    let now = t(0.0);
    let good = signer
        .sign(&stopped_bsm(1, 300.0, 0.0, 0.0, 0), BSM_AID, now)
        .unwrap();
    st.ingest(&good, &RxMeta::SPDU, now).unwrap();
    // Vehicle 2 is new: its first message is verified on receipt, whatever the signer.
    let bad = forged(
        signer
            .sign(&stopped_bsm(2, 0.0, 60.0, 0.0, 0), BSM_AID, now)
            .unwrap(),
    );
    assert_eq!(
        st.ingest(&bad, &RxMeta::SPDU, now),
        Err(DropReason::Verify(VerifyFailure::BadSignature))
    );
    assert_eq!(st.sender_verified(&build::actor_vehicle_id(2)), None);
    assert_eq!(st.counters().retracted, 0, "nothing of it was used");
    st.poll(now).for_each(drop);
    assert!(
        st.objects()
            .iter()
            .all(|o| o.vehicle_id != Some(build::actor_vehicle_id(2)))
    );
}

#[test]
fn the_sender_table_and_the_kept_bytes_stay_bounded() {
    let policy = VerifyPolicy::OnDemand {
        sample_interval_ms: 3_600_000,
        max_senders: 4,
        max_kept_bytes: 1024,
        quarantine_ms: 10_000,
        sender_max_age_ms: 10_000,
    };
    let (signer, mut st, _) = stack(KeyAlg::EcdsaP256, policy);
    for k in 0..10u8 {
        let ts = f64::from(k) * 0.1;
        let now = t(ts);
        for id in 1..=10u32 {
            let bsm = stopped_bsm(id, 300.0 + 10.0 * f64::from(id), 0.0, ts, k);
            let spdu = signer.sign(&bsm, BSM_AID, now).unwrap();
            st.ingest(&spdu, &RxMeta::SPDU, now).unwrap();
        }
        st.poll(now).for_each(drop);
        let u = st.usage();
        assert!(u.senders <= 4, "{u:?}");
        assert!(u.kept_bytes <= 4 * 1024, "{u:?}");
    }
    // Four senders followed (their later messages deferred), the six others verified on
    // receipt: 4 first messages + 6 x 10.
    let c = *st.counters();
    assert_eq!(c.verified, 4 + 60, "{c:?}");
    assert_eq!(c.deferred, 4 * 9, "{c:?}");
    // Senders not heard from are forgotten.
    st.poll(t(20.0)).for_each(drop);
    assert_eq!(st.usage().senders, 0);
}

fn scenario(p: &Path) -> Scenario {
    Scenario::from_json(&std::fs::read_to_string(p).unwrap()).unwrap()
}

#[test]
fn the_signed_scenario_suite_gives_the_same_warnings_verifying_on_demand() {
    let (mut verified, mut verified_on_demand, mut deferred) = (0, 0, 0);
    for f in scenario_files() {
        let sc = scenario(&f);
        let all = run(&sc, RunOptions::signed(KeyAlg::Sm2).unwrap());
        let opts = RunOptions::signed(KeyAlg::Sm2)
            .unwrap()
            .with_verify_policy(VerifyPolicy::on_demand());
        let od = run(&sc, opts);
        let name = f.display();
        assert!(all.passed(), "{name}: {:?}", all.failures);
        assert!(od.passed(), "{name}: {:?}", od.failures);
        assert_eq!(od.timeline, all.timeline, "{name}");
        assert_eq!(od.records, all.records, "{name}");
        assert_eq!(od.counters.accepted, all.counters.accepted, "{name}");
        let c = &od.counters;
        assert_eq!((c.retracted, c.warnings_withheld), (0, 0), "{name}");
        verified += all.counters.verified;
        verified_on_demand += c.verified;
        deferred += c.deferred;
    }
    assert!(deferred > 0);
    assert!(
        verified_on_demand < verified,
        "{verified_on_demand} verifications on demand, {verified} verifying all"
    );
}

#[test]
fn forged_senders_never_raise_a_warning_under_either_policy() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/forged");
    for f in scenario_files_in(&dir) {
        let sc = scenario(&f);
        let name = f.display();
        for alg in ALGS {
            for policy in [VerifyPolicy::Always, VerifyPolicy::on_demand()] {
                let opts = RunOptions::signed(alg).unwrap().with_verify_policy(policy);
                let o = run(&sc, opts);
                assert!(o.passed(), "{name} {alg:?} {policy:?}: {:?}", o.failures);
                assert!(o.counters.verify_failed > 0, "{name}: forgeries dropped");
                if !policy.is_on_demand() {
                    assert_eq!(o.counters.deferred, 0, "{name}");
                }
            }
        }
        // The same senders, honest: the expectations fail (the forgery would have warned).
        let mut honest = sc.clone();
        for a in &mut honest.actors {
            a.forge = None;
        }
        if let Some(s) = honest.signal.as_mut() {
            s.forge = None;
        }
        let o = run(&honest, RunOptions::signed(KeyAlg::Sm2).unwrap());
        assert!(!o.passed(), "{name}: honest senders must warn");
        // Unsigned, a forgery cannot be expressed: the run says so.
        let o = run(&sc, RunOptions::default());
        assert!(
            o.failures.iter().any(|f| f.contains("signer that forges")),
            "{name}: {:?}",
            o.failures
        );
    }
}

#[test]
fn a_deferred_message_rejected_by_fusion_is_not_counted_but_kept_for_its_vehicle_state() {
    let (signer, mut st, _) = stack(KeyAlg::EcdsaP256, NO_SAMPLING);
    let car = build::actor_vehicle_id(7);
    let now = t(0.0);
    let first = signer
        .sign(&stopped_bsm(7, 0.0, 120.0, 0.0, 0), BSM_AID, now)
        .unwrap();
    st.ingest(&first, &RxMeta::SPDU, now).unwrap();
    st.poll(now).for_each(drop);
    assert_eq!(st.sender_verified(&car), Some(true));
    // A BSM whose report is a second old (freshly signed): the vehicle state is stored, the
    // report is too old for the tracker, the message is dropped.
    st.poll(t(1.0)).for_each(drop);
    let now = t(1.1);
    let stale = signer
        .sign(&stopped_bsm(7, 0.0, 120.0, 0.1, 1), BSM_AID, now)
        .unwrap();
    assert!(matches!(
        st.ingest(&stale, &RxMeta::SPDU, now),
        Err(DropReason::Fusion(_))
    ));
    let c = *st.counters();
    assert_eq!((c.accepted, c.dropped, c.deferred), (1, 1, 0), "{c:?}");
    assert!(st.world().vehicles().flags(&car).is_some());
    assert_eq!(
        st.sender_verified(&car),
        Some(false),
        "its vehicle state rests on it"
    );
}
