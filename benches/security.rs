//! Security-layer benchmarks (`cargo bench --bench security --features testing,sm2-fast`;
//! without `sm2-fast` the `efficient-sm2` line is left out).
//!
//! - `security/cached/{sm2_tables,p256_ring,p256_tables}`: signature verification for a cached
//!   signer, the bar of the table verifiers: SM2 with the signer's table against `ring`'s P-256
//!   (and P-256 with a table), each over 512 signed messages of one test-PKI signer (digests
//!   computed beforehand), 16 messages per iteration, the same batches on every line.
//! - `security/cached_100_signers/...`: the same with 100 signers in turn (16 messages per
//!   iteration, each from another signer), so the tables compete for the caches.
//! - `security/uncached/...`: a key without a table: the per-call table path, `efficient-sm2`,
//!   RustCrypto `sm2` (`verify_prehash`), on the same messages.
//! - `security/table_build/{sm2,p256}`: building one signer's table.
//! - `security/verify_cached/{p256,sm2}`: the full pipeline for a digest-signed SPDU from a
//!   signer already verified and cached (parse, time, replay, lookup, hash, signature) with the
//!   default backend (the signer's table is built after its first 8 messages).
//! - `security/reject_unknown_signer`: a flood of SPDUs naming unknown signer digests.
//! - `security/paired/...` lines: ratios measured pairwise (see [`paired`]).
use criterion::{BatchSize, Criterion, Throughput, black_box, criterion_group, criterion_main};
use cv2x::security::cert::KeyAlg;
use cv2x::security::crypto::{
    Backend, P256Verifier, Sm2Verifier, SoftwareBackend, SoftwareKey, sm2_za,
};
use cv2x::security::precomp::{Layout, TablePolicy};
use cv2x::security::sign::{PrivateKey, SignerMode};
use cv2x::security::{Config, Verifier};
use cv2x::testing::pki::TestPki;
use cv2x::time::Timestamp;

/// 2026-01-01T00:00:00Z.
fn now() -> Timestamp {
    Timestamp::from_unix_utc_millis(1_767_225_600_000)
}

const PAYLOAD: &[u8] = &[0x5a; 120];

/// Messages verified per iteration of the `cached` and `uncached` benches.
const BATCH: usize = 16;

/// Digest inputs of one message for the bare calls: SM2 e, P-256 64-octet input, r, s.
type RawInput = ([u8; 32], [u8; 64], [u8; 32], [u8; 32]);

/// A backend with the given verifiers; keys get a table after `table_after` verifications.
fn backend(sm2: Sm2Verifier, p256: P256Verifier, table_after: u32) -> SoftwareBackend {
    SoftwareBackend {
        sm2,
        p256,
        tables: TablePolicy {
            sm2_after: table_after,
            p256_after: table_after,
            ..TablePolicy::default()
        },
    }
}

/// ring for P-256; SM2 and P-256 keys never get a table.
fn ring() -> SoftwareBackend {
    backend(Sm2Verifier::Precomputed, P256Verifier::Ring, u32::MAX)
}

/// The table verifiers for both algorithms (keys are given their tables by the caller).
fn tables() -> SoftwareBackend {
    backend(Sm2Verifier::Precomputed, P256Verifier::TablesOnly, u32::MAX)
}

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
/// prepared key (without a table) and, per message, the digests computed beforehand with its r
/// and s.
fn raw_inputs(alg: KeyAlg, msgs: &[Vec<u8>]) -> (SoftwareKey, Vec<RawInput>) {
    let b = SoftwareBackend::default();
    let pki = TestPki::new(alg, b"bench", now()).expect("test PKI");
    let s = pki.signer(&[32]).expect("signer");
    let cert = cv2x::security::cert::Certificate::from_bytes(s.certificate()).expect("cert");
    let pk = cert.public_key().expect("key");
    let key = b.prepare_key(alg, &pk.point).expect("key");
    let input = match alg {
        KeyAlg::Sm2 => sm2_za(&b, &b.sm3(&[s.certificate()]), &b.key_xy(&key)),
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

/// A fresh prepared key of the same public key (no table, its own use count).
fn fresh(alg: KeyAlg, key: &SoftwareKey) -> SoftwareKey {
    let sec1 = key.sec1();
    let point = cv2x::security::cert::CurvePoint::Uncompressed(
        sec1[1..33].try_into().expect("x"),
        sec1[33..].try_into().expect("y"),
    );
    SoftwareBackend::default()
        .prepare_key(alg, &point)
        .expect("key")
}

/// Verifies `BATCH` inputs from `at` on with `b` and the key's algorithm.
fn verify_batch(
    b: &SoftwareBackend,
    alg: KeyAlg,
    key: &SoftwareKey,
    inputs: &[RawInput],
    at: usize,
) {
    for k in 0..BATCH {
        let (e, m64, r, s) = &inputs[(at + k) % inputs.len()];
        let ok = match alg {
            KeyAlg::Sm2 => b.verify_sm2(key, black_box(e), r, s),
            _ => b.verify_p256(key, black_box(m64), r, s),
        };
        assert!(ok);
    }
}

/// The three cached-signer lines: (name, backend, algorithm, key, inputs).
fn cached_lines() -> Vec<(
    &'static str,
    SoftwareBackend,
    KeyAlg,
    SoftwareKey,
    Vec<RawInput>,
)> {
    let (_, p256_msgs) = cached_setup(KeyAlg::EcdsaP256);
    let (p256_key, p256_inputs) = raw_inputs(KeyAlg::EcdsaP256, &p256_msgs);
    let (_, sm2_msgs) = cached_setup(KeyAlg::Sm2);
    let (sm2_key, sm2_inputs) = raw_inputs(KeyAlg::Sm2, &sm2_msgs);
    let p256_tabled = fresh(KeyAlg::EcdsaP256, &p256_key);
    assert!(p256_tabled.precompute());
    assert!(sm2_key.precompute());
    vec![
        ("sm2_tables", tables(), KeyAlg::Sm2, sm2_key, sm2_inputs),
        (
            "p256_ring",
            ring(),
            KeyAlg::EcdsaP256,
            p256_key,
            p256_inputs.clone(),
        ),
        (
            "p256_tables",
            tables(),
            KeyAlg::EcdsaP256,
            p256_tabled,
            p256_inputs,
        ),
    ]
}

fn cached(c: &mut Criterion) {
    let mut g = c.benchmark_group("security");
    g.throughput(Throughput::Elements(BATCH as u64));
    for (name, b, alg, key, inputs) in cached_lines() {
        let mut at = 0usize;
        g.bench_function(format!("cached/{name}"), |bch| {
            bch.iter(|| {
                at = (at + BATCH) % inputs.len();
                verify_batch(&b, alg, &key, &inputs, at);
            })
        });
    }
    g.finish();
}

/// 100 signers of `alg`, each with 16 signed messages: (key with a table if `tabled`, inputs).
fn many_signers(alg: KeyAlg, tabled: bool) -> Vec<(SoftwareKey, Vec<RawInput>)> {
    let b = SoftwareBackend::default();
    let pki = TestPki::new(alg, b"bench-many", now()).expect("test PKI");
    (0..100)
        .map(|i| {
            let k = pki.key(&format!("signer-{i}")).expect("key");
            let key = b.prepare_key(alg, &k.public_key().point).expect("key");
            if tabled {
                assert!(key.precompute());
            }
            let input = b.sha256(&[format!("cert-{i}").as_bytes()]);
            let inputs = (0..16u32)
                .map(|j| {
                    let tbs = [&j.to_be_bytes()[..], PAYLOAD].concat();
                    let sig = k.sign(&input, &tbs).expect("sign");
                    let e = b.sm3(&[&input, &tbs]);
                    let mut m64 = [0u8; 64];
                    m64[..32].copy_from_slice(&b.sha256(&[&tbs]));
                    m64[32..].copy_from_slice(&input);
                    (e, m64, sig.r, sig.s)
                })
                .collect();
            (key, inputs)
        })
        .collect()
}

/// Verifies the `round`-th batch of `BATCH` messages over the signers, each from the next
/// signer.
fn verify_round(
    b: &SoftwareBackend,
    alg: KeyAlg,
    signers: &[(SoftwareKey, Vec<RawInput>)],
    round: usize,
) {
    for k in 0..BATCH {
        let n = round * BATCH + k;
        let (key, inputs) = &signers[n % signers.len()];
        let (e, m64, r, s) = &inputs[(n / signers.len()) % inputs.len()];
        let ok = match alg {
            KeyAlg::Sm2 => b.verify_sm2(key, black_box(e), r, s),
            _ => b.verify_p256(key, black_box(m64), r, s),
        };
        assert!(ok);
    }
}

fn cached_many(c: &mut Criterion) {
    let mut g = c.benchmark_group("security");
    g.throughput(Throughput::Elements(BATCH as u64));
    for (name, b, alg, tabled) in [
        ("sm2_tables", tables(), KeyAlg::Sm2, true),
        ("p256_ring", ring(), KeyAlg::EcdsaP256, false),
        ("p256_tables", tables(), KeyAlg::EcdsaP256, true),
    ] {
        let signers = many_signers(alg, tabled);
        let mut round = 0usize;
        g.bench_function(format!("cached_100_signers/{name}"), |bch| {
            bch.iter(|| {
                round += 1;
                verify_round(&b, alg, &signers, round);
            })
        });
    }
    g.finish();
}

fn uncached(c: &mut Criterion) {
    let mut g = c.benchmark_group("security");
    g.throughput(Throughput::Elements(BATCH as u64));
    let (_, msgs) = cached_setup(KeyAlg::Sm2);
    let (key, inputs) = raw_inputs(KeyAlg::Sm2, &msgs);
    let mut lines = vec![
        ("sm2_per_call_table", tables()),
        (
            "sm2_rustcrypto",
            backend(Sm2Verifier::RustCrypto, P256Verifier::Ring, u32::MAX),
        ),
    ];
    #[cfg(feature = "sm2-fast")]
    lines.push((
        "sm2_efficient",
        backend(Sm2Verifier::Fast, P256Verifier::Ring, u32::MAX),
    ));
    for (name, b) in lines {
        let mut at = 0usize;
        g.bench_function(format!("uncached/{name}"), |bch| {
            bch.iter(|| {
                at = (at + BATCH) % inputs.len();
                verify_batch(&b, KeyAlg::Sm2, &key, &inputs, at);
            })
        });
    }
    assert_eq!(key.table_bytes(), 0);
    g.finish();
}

fn table_build(c: &mut Criterion) {
    let mut g = c.benchmark_group("security");
    for (alg, name) in [(KeyAlg::Sm2, "sm2"), (KeyAlg::EcdsaP256, "p256")] {
        let k = PrivateKey::from_bytes(alg, &[0x33; 32]).expect("key");
        let point = k.public_key().point;
        let b = SoftwareBackend::default();
        g.bench_function(format!("table_build/{name}"), |bch| {
            bch.iter_batched(
                || b.prepare_key(alg, &point).expect("key"),
                |key| {
                    assert!(key.precompute());
                    key
                },
                BatchSize::SmallInput,
            )
        });
    }
    g.finish();
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

/// The ratios measured pairwise: short batches of the two sides alternate and the median of
/// the per-batch ratios is reported, so that load from other processes affects both sides
/// alike. Printed as `security/paired/...` lines:
/// - `cached_sm2_vs_ring_p256`: the bar, SM2 with the signer's table / ring P-256, one signer
///   each, the same batches (`BATCH` messages) as `security/cached`;
/// - `cached_100_signers_sm2_vs_ring_p256`: the same over 100 signers;
/// - `p256_tables_vs_ring`: P-256 with the signer's table / ring;
/// - `break_even_{sm2,p256}`: a table's build time over what it saves per verification (the
///   basis of the default `TablePolicy` counts);
/// - `{p256,sm2}`: the full pipeline for a cached signer / the bare verification;
/// - `sm2_layout_w{w}_s{spacing}`: other signer table layouts against the default
///   ([`cv2x::security::precomp::SIGNER_LAYOUT`]), with their size and build time;
/// - `sm2_tables_vs_rustcrypto`: how much faster the table path is than RustCrypto.
fn paired(_c: &mut Criterion) {
    let lines = cached_lines();
    let line = |name: &str| lines.iter().find(|l| l.0 == name).expect("bench line");
    let pair = |label: &str, a: &str, b: &str| {
        let (_, ba, alg_a, ka, ia) = line(a);
        let (_, bb, alg_b, kb, ib) = line(b);
        let (best_a, best_b, median) = paired_rounds(
            400,
            |round| {
                verify_batch(ba, *alg_a, ka, ia, round * BATCH);
                BATCH
            },
            |round| {
                verify_batch(bb, *alg_b, kb, ib, round * BATCH);
                BATCH
            },
        );
        println!(
            "security/paired/{label}: {a} {:.1} µs, {b} {:.1} µs (best rounds), median ratio {median:.3}",
            best_a * 1e6,
            best_b * 1e6,
        );
    };
    pair("cached_sm2_vs_ring_p256", "sm2_tables", "p256_ring");
    pair("p256_tables_vs_ring", "p256_tables", "p256_ring");

    let sm2_many = many_signers(KeyAlg::Sm2, true);
    let p256_many = many_signers(KeyAlg::EcdsaP256, false);
    let (best_a, best_b, median) = paired_rounds(
        200,
        |round| {
            verify_round(&tables(), KeyAlg::Sm2, &sm2_many, round);
            BATCH
        },
        |round| {
            verify_round(&ring(), KeyAlg::EcdsaP256, &p256_many, round);
            BATCH
        },
    );
    println!(
        "security/paired/cached_100_signers_sm2_vs_ring_p256: sm2_tables {:.1} µs, p256_ring {:.1} µs (best rounds), median ratio {median:.3}",
        best_a * 1e6,
        best_b * 1e6,
    );

    for (alg, name) in [(KeyAlg::EcdsaP256, "p256"), (KeyAlg::Sm2, "sm2")] {
        let (mut v, msgs) = cached_setup(alg);
        let (key, inputs) = raw_inputs(alg, &msgs);
        let b = SoftwareBackend::default();
        let at = now().add_micros(1000);
        // Each round times the pipeline and the bare call on the same 8 messages, back to back.
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

    // when a table pays: its build time against what it saves per verification over the path
    // a key takes without one (the SM2 per-call table; ring for P-256)
    for (name, alg, without) in [
        ("sm2", KeyAlg::Sm2, tables()),
        ("p256", KeyAlg::EcdsaP256, ring()),
    ] {
        let tabled_name = if alg == KeyAlg::Sm2 {
            "sm2_tables"
        } else {
            "p256_tables"
        };
        let (_, with, _, tabled, inputs) = line(tabled_name);
        let plain = fresh(alg, tabled);
        let mut build = f64::MAX;
        for _ in 0..10 {
            let k = fresh(alg, tabled);
            let t = std::time::Instant::now();
            assert!(k.precompute());
            build = build.min(t.elapsed().as_secs_f64());
        }
        let (best_without, best_with, _) = paired_rounds(
            200,
            |round| {
                verify_batch(&without, alg, &plain, inputs, round * BATCH);
                BATCH
            },
            |round| {
                verify_batch(with, alg, tabled, inputs, round * BATCH);
                BATCH
            },
        );
        assert_eq!(plain.table_bytes(), 0);
        let saving = best_without - best_with;
        println!(
            "security/paired/break_even_{name}: table built in {:.0} µs, {:.1} µs per verification without it, {:.1} µs with it (best rounds): pays after {:.1} verifications",
            build * 1e6,
            best_without * 1e6,
            best_with * 1e6,
            build / saving,
        );
    }

    // signer table layouts: memory per signer against time per verification, each against
    // the default layout on the same SM2 messages
    let (_, b, alg, key, inputs) = line("sm2_tables");
    for layout in [
        Layout { w: 4, spacing: 1 },
        Layout { w: 4, spacing: 2 },
        Layout { w: 5, spacing: 1 },
        Layout { w: 5, spacing: 3 },
        Layout { w: 6, spacing: 1 },
        Layout { w: 6, spacing: 2 },
        Layout { w: 6, spacing: 3 },
        Layout { w: 7, spacing: 2 },
    ] {
        let mut build = f64::MAX;
        let mut other = fresh(*alg, key);
        for _ in 0..5 {
            other = fresh(*alg, key);
            let t = std::time::Instant::now();
            assert!(other.precompute_with(layout));
            build = build.min(t.elapsed().as_secs_f64());
        }
        let (best_a, best_b, median) = paired_rounds(
            100,
            |round| {
                verify_batch(b, *alg, &other, inputs, round * BATCH);
                BATCH
            },
            |round| {
                verify_batch(b, *alg, key, inputs, round * BATCH);
                BATCH
            },
        );
        println!(
            "security/paired/sm2_layout_w{}_s{}: {} octets, built in {:.0} µs, {:.1} µs against {:.1} µs for the default (best rounds), median ratio {median:.3}",
            layout.w,
            layout.spacing,
            other.table_bytes(),
            build * 1e6,
            best_a * 1e6,
            best_b * 1e6,
        );
    }

    let (_, _, _, key, inputs) = line("sm2_tables");
    let reference = backend(Sm2Verifier::RustCrypto, P256Verifier::Ring, u32::MAX);
    let (best_rc, best_t, speedup) = paired_rounds(
        200,
        |round| {
            for (e, _, r, s) in inputs.iter().skip(round % 64 * 4).take(4) {
                assert!(reference.verify_sm2(key, black_box(e), r, s));
            }
            4
        },
        |round| {
            for (e, _, r, s) in inputs.iter().skip(round % 64 * 4).take(4) {
                assert!(tables().verify_sm2(key, black_box(e), r, s));
            }
            4
        },
    );
    println!(
        "security/paired/sm2_tables_vs_rustcrypto: tables {:.1} µs, RustCrypto {:.1} µs (best rounds), median speedup {:.2}",
        best_t * 1e6,
        best_rc * 1e6,
        speedup
    );
}

criterion_group!(
    benches,
    paired,
    cached,
    cached_many,
    uncached,
    table_build,
    verify_cached,
    reject_unknown
);
criterion_main!(benches);
