//! Security-layer benchmarks (run with `--features security,sm2-fast` to measure the fast SM2
//! verifier; without `sm2-fast` the chosen SM2 verifier is RustCrypto's).
//!
//! - `security/verify_cached/{p256,sm2}`: the full pipeline for a digest-signed SPDU from a
//!   signer already verified and cached (parse, time, replay, lookup, hash, signature).
//! - `security/raw/{p256,sm2}`: the bare signature verification of the chosen backend with a
//!   prepared key (ring for P-256; efficient-sm2 with `sm2-fast`), over the same 512 signed
//!   messages as `verify_cached`, digests computed beforehand.
//! - `security/raw/sm2_rustcrypto`: RustCrypto `sm2` `verify_prehash`, same keys and signatures.
//! - `security/reject_unknown_signer`: a flood of SPDUs naming unknown signer digests.
use criterion::{Criterion, Throughput, black_box, criterion_group, criterion_main};
use cv2x::security::cert::KeyAlg;
use cv2x::security::crypto::{Backend, SoftwareBackend};
use cv2x::security::sign::{PrivateKey, SignerMode};
use cv2x::security::{Config, Verifier};
use cv2x::testing::pki::TestPki;
use cv2x::time::Timestamp;

/// 2026-01-01T00:00:00Z.
fn now() -> Timestamp {
    Timestamp::from_unix_utc_millis(1_767_225_600_000)
}

const PAYLOAD: &[u8] = &[0x5a; 120];

/// Digest inputs of one message for the bare calls: SM2 e, P-256 64-octet input, r, s.
type RawInput = ([u8; 32], [u8; 64], [u8; 32], [u8; 32]);

/// A verifier that knows the signer, and distinct signed messages from it.
fn cached_setup(alg: KeyAlg) -> (Verifier, Vec<Vec<u8>>) {
    let pki = TestPki::new(alg, b"bench", now()).expect("test PKI");
    let config = Config {
        replay_capacity: 64,
        ..Config::default()
    };
    let mut v = Verifier::new(config);
    v.add_trust_anchor(pki.root_cert()).expect("root");
    v.add_certificate(pki.ca_cert()).expect("CA");
    let mut s = pki.signer(&[32]).expect("signer");
    s.set_mode(SignerMode::Certificate);
    let first = s.sign(PAYLOAD, 32, now()).expect("sign");
    assert!(v.verify(&first, now()).is_ok());
    s.set_mode(SignerMode::Digest);
    let msgs = (1..=512)
        .map(|i| s.sign(PAYLOAD, 32, now().add_micros(i)).expect("sign"))
        .collect();
    (v, msgs)
}

/// The bare-call inputs of `msgs` (from [`cached_setup`] with the same algorithm): the signer's
/// prepared key and, per message, the digests computed beforehand with its r and s. The raw
/// benches iterate over these, so both sides verify the same 512 distinct signatures.
fn raw_inputs(
    b: &SoftwareBackend,
    alg: KeyAlg,
    msgs: &[Vec<u8>],
) -> (<SoftwareBackend as Backend>::Key, Vec<RawInput>) {
    let pki = TestPki::new(alg, b"bench", now()).expect("test PKI");
    let s = pki.signer(&[32]).expect("signer");
    let cert = cv2x::security::cert::Certificate::from_bytes(s.certificate()).expect("cert");
    let pk = cert.public_key().expect("key");
    let key = b.prepare_key(alg, &pk.point).expect("key");
    let input = match alg {
        KeyAlg::Sm2 => {
            cv2x::security::crypto::sm2_za(b, &b.sm3(&[s.certificate()]), &b.key_xy(&key))
        }
        _ => b.sha256(&[s.certificate()]),
    };
    let inputs = msgs
        .iter()
        .map(|m| {
            let Ok(cv2x::security::spdu::Content::Signed(sd)) = cv2x::security::spdu::parse(m)
            else {
                panic!("signed")
            };
            let e = b.sm3(&[&input, sd.tbs]);
            let mut m64 = [0u8; 64];
            m64[..32].copy_from_slice(&b.sha256(&[sd.tbs]));
            m64[32..].copy_from_slice(&input);
            (e, m64, sd.signature.r, sd.signature.s)
        })
        .collect();
    (key, inputs)
}

fn verify_cached(c: &mut Criterion) {
    let mut g = c.benchmark_group("security");
    for (alg, name) in [(KeyAlg::EcdsaP256, "p256"), (KeyAlg::Sm2, "sm2")] {
        let (mut v, msgs) = cached_setup(alg);
        let at = now().add_micros(1000);
        let mut i = 0usize;
        g.bench_function(format!("verify_cached/{name}"), |b| {
            b.iter(|| {
                i = (i + 1) % msgs.len();
                let r = v.verify(black_box(&msgs[i]), at);
                assert!(r.is_ok());
                r.payload.map(<[u8]>::len)
            })
        });
    }
    g.finish();
}

fn raw(c: &mut Criterion) {
    let mut g = c.benchmark_group("security");
    let b = SoftwareBackend::default();
    // The backend calls the pipeline makes, on the messages `verify_cached` verifies.
    let (_, msgs) = cached_setup(KeyAlg::EcdsaP256);
    let (key, inputs) = raw_inputs(&b, KeyAlg::EcdsaP256, &msgs);
    let mut i = 0usize;
    g.bench_function("raw/p256", |bch| {
        bch.iter(|| {
            i = (i + 1) % inputs.len();
            let (_, m64, r, s) = &inputs[i];
            assert!(b.verify_p256(&key, black_box(m64), r, s));
        })
    });
    // SM2: the chosen verifier and the RustCrypto reference on the same keys and signatures
    let (_, msgs) = cached_setup(KeyAlg::Sm2);
    let (key, inputs) = raw_inputs(&b, KeyAlg::Sm2, &msgs);
    g.bench_function("raw/sm2", |bch| {
        bch.iter(|| {
            i = (i + 1) % inputs.len();
            let (e, _, r, s) = &inputs[i];
            assert!(b.verify_sm2(&key, black_box(e), r, s));
        })
    });
    g.bench_function("raw/sm2_rustcrypto", |bch| {
        bch.iter(|| {
            i = (i + 1) % inputs.len();
            let (e, _, r, s) = &inputs[i];
            assert!(b.verify_sm2_reference(&key, black_box(e), r, s));
        })
    });
    g.finish();
}

fn reject_unknown(c: &mut Criterion) {
    let mut g = c.benchmark_group("security");
    let pki = TestPki::new(KeyAlg::EcdsaP256, b"bench", now()).expect("test PKI");
    let mut v = Verifier::new(Config::default());
    v.add_trust_anchor(pki.root_cert()).expect("root");
    let s = pki.signer(&[32]).expect("signer");
    let template = s.sign(PAYLOAD, 32, now()).expect("sign");
    let digest_at = template.len() - 8 - 66;
    let flood: Vec<Vec<u8>> = (0..8192u32)
        .map(|i| {
            let mut m = template.clone();
            m[digest_at..digest_at + 4].copy_from_slice(&i.to_be_bytes());
            m
        })
        .collect();
    let mut i = 0usize;
    g.throughput(Throughput::Elements(1));
    g.bench_function("reject_unknown_signer", |b| {
        b.iter(|| {
            i = (i + 1) % flood.len();
            let r = v.verify(black_box(&flood[i]), now());
            assert!(r.result.is_err());
            r.certificate_request
        })
    });
    g.finish();
}

/// Runs `rounds` back-to-back pairs of batches (`a(round)` then `b(round)`, each returning its
/// number of calls) and returns the best per-call time of each side and the median of the
/// per-round ratios a/b.
fn paired_rounds(
    rounds: usize,
    mut a: impl FnMut(usize) -> usize,
    mut b: impl FnMut(usize) -> usize,
) -> (f64, f64, f64) {
    let mut ratios = Vec::with_capacity(rounds);
    let (mut best_a, mut best_b) = (f64::MAX, f64::MAX);
    for round in 0..rounds {
        let t = std::time::Instant::now();
        let n = a(round) as f64;
        let ta = t.elapsed().as_secs_f64() / n;
        let t = std::time::Instant::now();
        let n = b(round) as f64;
        let tb = t.elapsed().as_secs_f64() / n;
        ratios.push(ta / tb);
        best_a = best_a.min(ta);
        best_b = best_b.min(tb);
    }
    ratios.sort_by(f64::total_cmp);
    (
        best_a,
        best_b,
        ratios.get(rounds / 2).copied().unwrap_or(f64::NAN),
    )
}

/// The bar's ratios measured pairwise: short batches of the two sides alternate on the same
/// inputs and the median of the per-batch ratios is reported, so that load from other processes
/// on a shared machine affects both sides alike. Printed as `security/paired/...` lines.
fn paired(_c: &mut Criterion) {
    let b = SoftwareBackend::default();
    for (alg, name) in [(KeyAlg::EcdsaP256, "p256"), (KeyAlg::Sm2, "sm2")] {
        let (mut v, msgs) = cached_setup(alg);
        let (key, inputs) = raw_inputs(&b, alg, &msgs);
        let at = now().add_micros(1000);
        // Each round times the pipeline and the bare call on the same 8 messages, back to back;
        // the median of the per-round ratios is robust to load from other processes.
        const B: usize = 8;
        let start = |round: usize| (round * B) % (msgs.len() - B);
        let (best_c, best_r, median) = paired_rounds(
            400,
            |round| {
                let k = start(round);
                for m in &msgs[k..k + B] {
                    assert!(v.verify(black_box(m), at).is_ok());
                }
                B
            },
            |round| {
                let k = start(round);
                for (e, m64, r, s) in &inputs[k..k + B] {
                    match alg {
                        KeyAlg::Sm2 => assert!(b.verify_sm2(&key, black_box(e), r, s)),
                        _ => assert!(b.verify_p256(&key, black_box(m64), r, s)),
                    }
                }
                B
            },
        );
        println!(
            "security/paired/{name}: verify_cached {:.1} µs, raw {:.1} µs (best rounds), median ratio {:.3}",
            best_c * 1e6,
            best_r * 1e6,
            median
        );
    }
    let k = PrivateKey::from_bytes(KeyAlg::Sm2, &[0x33; 32]).expect("key");
    let input = [0x22u8; 32];
    let sig = k.sign(&input, PAYLOAD).expect("sign");
    let key = b
        .prepare_key(KeyAlg::Sm2, &k.public_key().point)
        .expect("key");
    let e = b.sm3(&[&input, PAYLOAD]);
    let (best_rc, best_f, speedup) = paired_rounds(
        200,
        |_| {
            for _ in 0..4 {
                assert!(b.verify_sm2_reference(&key, black_box(&e), &sig.r, &sig.s));
            }
            4
        },
        |_| {
            for _ in 0..4 {
                assert!(b.verify_sm2(&key, black_box(&e), &sig.r, &sig.s));
            }
            4
        },
    );
    println!(
        "security/paired/sm2_speedup: chosen {:.1} µs, RustCrypto {:.1} µs (best rounds), median speedup {:.2}",
        best_f * 1e6,
        best_rc * 1e6,
        speedup
    );
}

criterion_group!(benches, paired, verify_cached, raw, reject_unknown);
criterion_main!(benches);
