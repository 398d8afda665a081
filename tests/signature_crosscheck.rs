//! The table verifiers (`cv2x::security::precomp`) against the references, case by case:
//!
//! - SM2: the table path (a key with its table) and the per-call path (a key without one)
//!   against RustCrypto `sm2` and, with the feature `sm2-fast`, `efficient-sm2`;
//! - ECDSA P-256: the same two paths and the default verifier (ring until the key has its
//!   table) against `ring`.
//!
//! On random keys and messages, every signature is checked as made and with each kind of
//! corruption ([`KINDS`]); every verifier must give the same verdict, and the verdict must be
//! the expected one. `CV2X_CROSSCHECK_CASES` sets the number of SM2 cases (default 1 500; the
//! P-256 count is a third of it) and `CV2X_CROSSCHECK_SEED` the seed. Crafted cases cover what
//! random ones cannot reach: x1 ≥ n and a digest e ≥ n. Every real SM2 signature of the test
//! data (the Wanji OBU PKI certificates and trust lists, the GB/T 45112 vectors) and the
//! ECDSA vectors go through every verifier too.

use std::path::{Path, PathBuf};

use cv2x::security::cert::{Certificate, CurvePoint, Issuer, KeyAlg};
use cv2x::security::crypto::{
    Backend, P256Verifier, SM2_DEFAULT_ID, Sm2Verifier, SoftwareBackend, SoftwareKey, sm2_za,
};
use cv2x::security::precomp::TablePolicy;
use cv2x::security::sign::PrivateKey;
use sm2::elliptic_curve::ff::PrimeField;
use sm2::elliptic_curve::ops::Reduce;
use sm2::elliptic_curve::sec1::ToSec1Point;

/// Kinds of case made from one signature.
const KINDS: [&str; 15] = [
    "valid",
    "r_zero",
    "s_zero",
    "r_is_n",
    "s_is_n",
    "r_above_n",
    "s_above_n",
    "r_plus_s_is_n",
    "flip_r",
    "flip_s",
    "flip_digest",
    "flip_key",
    "wrong_key",
    "swap_r_s",
    "s_negated",
];

const SM2_N: [u8; 32] = hex32("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123");
const P256_N: [u8; 32] = hex32("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");

const fn hex32(s: &str) -> [u8; 32] {
    let b = s.as_bytes();
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 64 {
        let c = b[i];
        let v = if c <= b'9' { c - b'0' } else { c - b'A' + 10 };
        out[i / 2] |= v << (4 * (1 - i % 2));
        i += 1;
    }
    out
}

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| c.is_ascii_hexdigit()).collect();
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

fn arr32(b: &[u8]) -> [u8; 32] {
    b.try_into().unwrap()
}

/// splitmix64: a reproducible stream for the random cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn bytes32(&mut self) -> [u8; 32] {
        let mut b = [0u8; 32];
        for c in b.chunks_mut(8) {
            c.copy_from_slice(&self.next().to_be_bytes());
        }
        b
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v} is not a number")),
        Err(_) => default,
    }
}

/// Big-endian a + b (no overflow in the uses here).
fn add_be(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut carry = 0u16;
    for i in (0..32).rev() {
        let t = u16::from(a[i]) + u16::from(b[i]) + carry;
        out[i] = t as u8;
        carry = t >> 8;
    }
    assert_eq!(carry, 0);
    out
}

/// Big-endian a − b for a ≥ b.
fn sub_be(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let t = i16::from(a[i]) - i16::from(b[i]) - borrow;
        out[i] = t as u8;
        borrow = i16::from(t < 0);
    }
    assert_eq!(borrow, 0);
    out
}

fn small(v: u64) -> [u8; 32] {
    let mut b = [0u8; 32];
    b[24..].copy_from_slice(&v.to_be_bytes());
    b
}

fn flip(b: &mut [u8], bit: usize) {
    b[bit / 8] ^= 0x80 >> (bit % 8);
}

/// The same key prepared once per verifier, so that the table path and the per-call path are
/// both taken.
struct Keys {
    /// With its table built.
    tabled: SoftwareKey,
    /// Never gets a table (its backend has `TablePolicy::NEVER`).
    plain: SoftwareKey,
    /// For the reference verifiers and the default one.
    other: SoftwareKey,
}

fn tables(table_after: u32) -> SoftwareBackend {
    SoftwareBackend {
        sm2: Sm2Verifier::Precomputed,
        p256: P256Verifier::TablesOnly,
        tables: TablePolicy {
            sm2_after: table_after,
            p256_after: table_after,
            ..TablePolicy::default()
        },
    }
}

fn prepare(alg: KeyAlg, point: &CurvePoint) -> Option<Keys> {
    let b = SoftwareBackend::default();
    let tabled = b.prepare_key(alg, point).ok()?;
    assert!(tabled.precompute());
    assert!(tabled.table_bytes() > 0);
    Some(Keys {
        tabled,
        plain: b.prepare_key(alg, point).ok()?,
        other: b.prepare_key(alg, point).ok()?,
    })
}

/// The verdicts on (e, r, s) of the table path, the per-call path, RustCrypto `sm2` and (with
/// `sm2-fast`) `efficient-sm2`.
fn sm2_verdicts(
    k: &Keys,
    e: &[u8; 32],
    r: &[u8; 32],
    s: &[u8; 32],
) -> (bool, bool, bool, Option<bool>) {
    let tab = tables(1).verify_sm2(&k.tabled, e, r, s);
    let plain = tables(u32::MAX).verify_sm2(&k.plain, e, r, s);
    let rc = SoftwareBackend::with_sm2(Sm2Verifier::RustCrypto).verify_sm2(&k.other, e, r, s);
    assert_eq!(k.plain.table_bytes(), 0, "the per-call path kept");
    #[cfg(feature = "sm2-fast")]
    let fast = Some(SoftwareBackend::with_sm2(Sm2Verifier::Fast).verify_sm2(&k.other, e, r, s));
    #[cfg(not(feature = "sm2-fast"))]
    let fast = None;
    (tab, plain, rc, fast)
}

/// Every SM2 verifier's verdict on (e, r, s); they must agree.
fn sm2_verdict(k: &Keys, e: &[u8; 32], r: &[u8; 32], s: &[u8; 32], what: &str) -> bool {
    let (tab, plain, rc, fast) = sm2_verdicts(k, e, r, s);
    assert_eq!(
        (tab, plain, fast.unwrap_or(rc)),
        (rc, rc, rc),
        "{what}: tables / per-call table / efficient-sm2 against RustCrypto"
    );
    rc
}

/// Every P-256 verifier's verdict on (msg, r, s); they must agree.
fn p256_verdict(k: &Keys, msg: &[u8; 64], r: &[u8; 32], s: &[u8; 32], what: &str) -> bool {
    let ring = SoftwareBackend {
        p256: P256Verifier::Ring,
        ..SoftwareBackend::default()
    }
    .verify_p256(&k.other, msg, r, s);
    let tab = tables(1).verify_p256(&k.tabled, msg, r, s);
    let plain = tables(u32::MAX).verify_p256(&k.plain, msg, r, s);
    // the default: ring until the key has verified enough signatures, then its table
    let default = SoftwareBackend::default().verify_p256(&k.other, msg, r, s);
    assert_eq!(k.plain.table_bytes(), 0, "{what}: the per-call path kept");
    assert_eq!(
        (tab, plain, default),
        (ring, ring, ring),
        "{what}: tables / per-call table / default / ring disagree"
    );
    ring
}

/// A random private key of `alg` and its prepared public key.
fn random_key(rng: &mut Rng, alg: KeyAlg) -> (PrivateKey, Keys) {
    loop {
        if let Ok(k) = PrivateKey::from_bytes(alg, &rng.bytes32()) {
            let keys = prepare(alg, &k.public_key().point).expect("own key");
            return (k, keys);
        }
    }
}

/// A valid key other than `point`, with one bit of x flipped (the same y parity).
fn flipped_key(rng: &mut Rng, alg: KeyAlg, point: &CurvePoint) -> Keys {
    let (x, odd) = match point {
        CurvePoint::CompressedY0(x) => (*x, false),
        CurvePoint::CompressedY1(x) => (*x, true),
        other => panic!("{other:?}"),
    };
    let start = rng.below(256);
    for i in 0..256 {
        let mut x2 = x;
        flip(&mut x2, (start + i) % 256);
        let p = if odd {
            CurvePoint::CompressedY1(x2)
        } else {
            CurvePoint::CompressedY0(x2)
        };
        if let Some(k) = prepare(alg, &p) {
            return k;
        }
    }
    panic!("no bit flip of x gives a point")
}

/// (digest, r, s, key) of the case `kind` made from a valid signature, and whether it must
/// verify. `digest` is the 32-octet SM2 e or the 64-octet P-256 input.
#[allow(clippy::too_many_arguments)]
fn corrupt<'k>(
    kind: &str,
    alg: KeyAlg,
    rng: &mut Rng,
    digest: &mut [u8],
    r: &mut [u8; 32],
    s: &mut [u8; 32],
    own: &'k Keys,
    wrong: &'k Keys,
    flipped: &'k Option<Keys>,
) -> (&'k Keys, bool) {
    let n = if alg == KeyAlg::Sm2 { SM2_N } else { P256_N };
    let mut key = own;
    let valid = match kind {
        "valid" => true,
        "r_zero" => {
            *r = [0; 32];
            false
        }
        "s_zero" => {
            *s = [0; 32];
            false
        }
        "r_is_n" => {
            *r = n;
            false
        }
        "s_is_n" => {
            *s = n;
            false
        }
        "r_above_n" => {
            *r = add_be(&n, &small(rng.next() >> 1));
            false
        }
        "s_above_n" => {
            *s = add_be(&n, &small(rng.next() >> 1));
            false
        }
        "r_plus_s_is_n" => {
            *s = sub_be(&n, r);
            false
        }
        "flip_r" => {
            flip(r, rng.below(256));
            false
        }
        "flip_s" => {
            flip(s, rng.below(256));
            false
        }
        "flip_digest" => {
            let bits = digest.len() * 8;
            flip(digest, rng.below(bits));
            false
        }
        "flip_key" => {
            key = flipped.as_ref().expect("a flipped key");
            false
        }
        "wrong_key" => {
            key = wrong;
            false
        }
        "swap_r_s" => {
            core::mem::swap(r, s);
            false
        }
        "s_negated" => {
            *s = sub_be(&n, s);
            // (r, n − s) is the other valid ECDSA signature; SM2 has no such twin
            alg == KeyAlg::EcdsaP256
        }
        other => panic!("{other}"),
    };
    (key, valid)
}

/// Random cases of `alg`: signatures by a key that changes every 16 signatures, each checked
/// as made and with every corruption. Returns (cases, valid verdicts).
fn random_cases(alg: KeyAlg, cases: u64, seed: u64) -> (u64, u64) {
    let mut rng = Rng(seed);
    let b = SoftwareBackend::default();
    let (mut done, mut accepted) = (0u64, 0u64);
    let mut sig_no = 0u64;
    let (mut key, mut keys) = random_key(&mut rng, alg);
    let (_, mut wrong) = random_key(&mut rng, alg);
    let mut flipped = None;
    while done < cases {
        if sig_no % 16 == 0 && sig_no > 0 {
            (key, keys) = random_key(&mut rng, alg);
            (_, wrong) = random_key(&mut rng, alg);
            flipped = None;
        }
        sig_no += 1;
        let input = rng.bytes32();
        let tbs: Vec<u8> = (0..1 + rng.below(200)).map(|_| rng.next() as u8).collect();
        let sig = key.sign(&input, &tbs).expect("sign");
        let mut digest = vec![0u8; if alg == KeyAlg::Sm2 { 32 } else { 64 }];
        if alg == KeyAlg::Sm2 {
            digest.copy_from_slice(&b.sm3(&[&input, &tbs]));
        } else {
            digest[..32].copy_from_slice(&b.sha256(&[&tbs]));
            digest[32..].copy_from_slice(&input);
        }
        for kind in KINDS {
            if done >= cases {
                break;
            }
            if kind == "flip_key" && flipped.is_none() {
                flipped = Some(flipped_key(&mut rng, alg, &key.public_key().point));
            }
            let (mut d, mut r, mut s) = (digest.clone(), sig.r, sig.s);
            let (k, want) = corrupt(
                kind, alg, &mut rng, &mut d, &mut r, &mut s, &keys, &wrong, &flipped,
            );
            let what = format!("{alg:?} signature {sig_no} {kind}");
            let got = if alg == KeyAlg::Sm2 {
                sm2_verdict(k, &arr32(&d), &r, &s, &what)
            } else {
                p256_verdict(k, &d.clone().try_into().unwrap(), &r, &s, &what)
            };
            assert_eq!(got, want, "{what}");
            done += 1;
            accepted += u64::from(got);
        }
    }
    (done, accepted)
}

#[test]
fn random_sm2_and_p256_cases_agree_with_the_references() {
    let cases = env_u64("CV2X_CROSSCHECK_CASES", 1500);
    let seed = env_u64("CV2X_CROSSCHECK_SEED", 0x5EED_CAFE);
    let (sm2, sm2_ok) = random_cases(KeyAlg::Sm2, cases, seed);
    let (p256, p256_ok) = random_cases(KeyAlg::EcdsaP256, cases.div_ceil(3), seed ^ 1);
    println!(
        "cross-check (seed {seed:#x}): {sm2} SM2 cases ({sm2_ok} valid), {p256} P-256 cases ({p256_ok} valid)"
    );
    assert_eq!(sm2, cases);
    // one valid case per 15 for SM2, two for P-256 (s negated)
    assert!(sm2_ok >= sm2 / 15);
    assert!(p256_ok >= 2 * (p256 / 15));
}

/// An SM2 public key for which (r, s) signs e, with s·G + (r + s)·Q = R: made from a chosen
/// point R without a private key (Q = (r + s)⁻¹·(R − s·G)).
fn sm2_crafted(
    r_point: sm2::ProjectivePoint,
    e: &[u8; 32],
    s_seed: u64,
) -> (CurvePoint, [u8; 32], [u8; 32]) {
    type S = sm2::Scalar;
    let x1 = arr32(&r_point.to_affine().to_sec1_point(false).as_bytes()[1..33]);
    let reduce = |b: &[u8; 32]| <S as Reduce<sm2::U256>>::reduce(&sm2::U256::from_be_slice(b));
    let r = reduce(e) + reduce(&x1);
    let s = S::from(s_seed);
    let t_inv: S = Option::from((r + s).invert()).unwrap();
    let q = (r_point - sm2::ProjectivePoint::GENERATOR * s) * t_inv;
    let enc = q.to_affine().to_sec1_point(false);
    let b = enc.as_bytes();
    (
        CurvePoint::Uncompressed(arr32(&b[1..33]), arr32(&b[33..65])),
        r.to_repr().into(),
        s.to_repr().into(),
    )
}

/// The P-256 analogue: x(R) mod n = r with R = (z/s)·G + (r/s)·Q, so Q = r⁻¹·(s·R − z·G).
fn p256_crafted(
    r_point: p256::ProjectivePoint,
    msg: &[u8; 64],
    s_seed: u64,
) -> (CurvePoint, [u8; 32], [u8; 32]) {
    type S = p256::Scalar;
    let b = SoftwareBackend::default();
    let x1 = arr32(&r_point.to_affine().to_sec1_point(false).as_bytes()[1..33]);
    let reduce = |v: &[u8; 32]| <S as Reduce<p256::U256>>::reduce(&p256::U256::from_be_slice(v));
    let r = reduce(&x1);
    let z = reduce(&b.sha256(&[msg]));
    let s = S::from(s_seed);
    let r_inv: S = Option::from(r.invert()).unwrap();
    let q = (r_point * s - p256::ProjectivePoint::GENERATOR * z) * r_inv;
    let enc = q.to_affine().to_sec1_point(false);
    let e = enc.as_bytes();
    (
        CurvePoint::Uncompressed(arr32(&e[1..33]), arr32(&e[33..65])),
        r.to_repr().into(),
        s.to_repr().into(),
    )
}

/// `count` points with x = `base` + i for the first i that give a point (even y).
fn points_with_x_from<P>(
    base: &[u8; 32],
    count: usize,
    from: impl Fn(&[u8]) -> Option<P>,
) -> Vec<P> {
    let mut out = Vec::new();
    let mut i = 0u64;
    while out.len() < count {
        let mut enc = vec![2u8];
        enc.extend_from_slice(&add_be(base, &small(i)));
        if let Some(p) = from(&enc) {
            out.push(p);
        }
        i += 1;
        assert!(i < 10_000);
    }
    out
}

#[test]
fn crafted_x1_and_digests_at_least_n_agree() {
    // SM2: x1 ∈ [n, p), so (e + x1) mod n needs the reduction of x1; and digests e ≥ n
    let points = points_with_x_from(&SM2_N, 4, |enc| {
        sm2::PublicKey::from_sec1_bytes(enc)
            .ok()
            .map(|p| p.to_projective())
    });
    let mut n_valid = 0;
    for (i, p) in points.into_iter().enumerate() {
        for e in [
            [0x5A; 32],
            [0xFF; 32],
            SM2_N,
            add_be(&SM2_N, &small(i as u64 + 1)),
        ] {
            let (q, r, s) = sm2_crafted(p, &e, 0x1234 + i as u64);
            let k = prepare(KeyAlg::Sm2, &q).unwrap();
            // efficient-sm2 0.2.5 compares x1 with (r − e) mod n only, never with that + n,
            // so it rejects these valid signatures (2^-128 of honest ones)
            let (tab, plain, rc, fast) = sm2_verdicts(&k, &e, &r, &s);
            assert_eq!((tab, plain, rc), (true, true, true), "crafted SM2 x1 ≥ n");
            assert_ne!(fast, Some(true), "efficient-sm2 on x1 ≥ n");
            let mut e2 = e;
            flip(&mut e2, 255);
            assert!(!sm2_verdict(
                &k,
                &e2,
                &r,
                &s,
                "crafted SM2 x1 ≥ n, e flipped"
            ));
            n_valid += 1;
        }
    }
    // SM2 digests e ≥ n with an ordinary R
    for i in 0..8u64 {
        let p = sm2::ProjectivePoint::GENERATOR * sm2::Scalar::from(0xABCD + i);
        let e = add_be(&SM2_N, &small(i * 77));
        let (q, r, s) = sm2_crafted(p, &e, 99 + i);
        let k = prepare(KeyAlg::Sm2, &q).unwrap();
        assert!(sm2_verdict(&k, &e, &r, &s, "crafted SM2 e ≥ n"));
        n_valid += 1;
    }
    // small r and s: the same signature with r + n or s + n (still 256 bits) must fail, r and
    // s are never reduced
    for i in 0..4u64 {
        type S = sm2::Scalar;
        let p = sm2::ProjectivePoint::GENERATOR * S::from(0x999 + i);
        let x1 = arr32(&p.to_affine().to_sec1_point(false).as_bytes()[1..33]);
        let x1 = <S as Reduce<sm2::U256>>::reduce(&sm2::U256::from_be_slice(&x1));
        let e: [u8; 32] = (S::from(5 + i) - x1).to_repr().into();
        let (q, r, s) = sm2_crafted(p, &e, 7 + i);
        assert_eq!((r, s), (small(5 + i), small(7 + i)));
        let k = prepare(KeyAlg::Sm2, &q).unwrap();
        assert!(sm2_verdict(&k, &e, &r, &s, "small r, s"));
        assert!(!sm2_verdict(&k, &e, &add_be(&r, &SM2_N), &s, "r + n"));
        assert!(!sm2_verdict(&k, &e, &r, &add_be(&s, &SM2_N), "s + n"));
        n_valid += 1;
    }
    // r + s = n makes t = 0 and the point s·G whatever the key: with e chosen so that s·G
    // alone would match, only the t ≠ 0 rule rejects this forgery for every key
    for i in 0..4u64 {
        type S = sm2::Scalar;
        let s = S::from(0x4242 + i);
        let r = -s;
        let x1 = arr32(
            &(sm2::ProjectivePoint::GENERATOR * s)
                .to_affine()
                .to_sec1_point(false)
                .as_bytes()[1..33],
        );
        let x1 = <S as Reduce<sm2::U256>>::reduce(&sm2::U256::from_be_slice(&x1));
        let e: [u8; 32] = (r - x1).to_repr().into();
        let (r, s): ([u8; 32], [u8; 32]) = (r.to_repr().into(), s.to_repr().into());
        assert_eq!(add_be(&r, &s), SM2_N);
        let (_, keys) = random_key(&mut Rng(i), KeyAlg::Sm2);
        assert!(!sm2_verdict(&keys, &e, &r, &s, "r + s = n forgery"));
    }
    // P-256: x1 ∈ [n, p), so r = x1 − n
    let points = points_with_x_from(&P256_N, 4, |enc| {
        p256::PublicKey::from_sec1_bytes(enc)
            .ok()
            .map(|p| p.to_projective())
    });
    for (i, p) in points.into_iter().enumerate() {
        let msg = [i as u8 + 1; 64];
        let (q, r, s) = p256_crafted(p, &msg, 0x777 + i as u64);
        assert!(r < small(10_000), "r = x1 − n");
        let k = prepare(KeyAlg::EcdsaP256, &q).unwrap();
        assert!(p256_verdict(&k, &msg, &r, &s, "crafted P-256 x1 ≥ n"));
        let mut r2 = r;
        flip(&mut r2, 255);
        assert!(!p256_verdict(&k, &msg, &r2, &s, "crafted P-256, r flipped"));
        n_valid += 1;
    }
    // P-256 with small r (x1 small) and small s: r + n and s + n must fail
    let points = points_with_x_from(&small(1), 4, |enc| {
        p256::PublicKey::from_sec1_bytes(enc)
            .ok()
            .map(|p| p.to_projective())
    });
    for (i, p) in points.into_iter().enumerate() {
        let msg = [0xC0 + i as u8; 64];
        let (q, r, s) = p256_crafted(p, &msg, 3 + i as u64);
        assert!(r < small(10_000) && s == small(3 + i as u64));
        let k = prepare(KeyAlg::EcdsaP256, &q).unwrap();
        assert!(p256_verdict(&k, &msg, &r, &s, "P-256 small r, s"));
        assert!(!p256_verdict(
            &k,
            &msg,
            &add_be(&r, &P256_N),
            &s,
            "P-256 r + n"
        ));
        assert!(!p256_verdict(
            &k,
            &msg,
            &r,
            &add_be(&s, &P256_N),
            "P-256 s + n"
        ));
        n_valid += 1;
    }
    assert_eq!(n_valid, 16 + 8 + 4 + 4 + 4);
    // a zero scalar is never a valid s
    assert!(bool::from(sm2::Scalar::ZERO.is_zero()));
}

fn real(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/real/wanji_obu_pki_sm2")
        .join(rel)
}

/// e = SM3(Z_A ‖ data) of the key `point` with user ID `id`, and the prepared keys.
fn sm2_e(point: &CurvePoint, id: &[u8], data: &[u8]) -> Option<(Keys, [u8; 32])> {
    let b = SoftwareBackend::default();
    let keys = prepare(KeyAlg::Sm2, point)?;
    let za = sm2_za(&b, id, &b.key_xy(&keys.other));
    let e = b.sm3(&[&za, data]);
    Some((keys, e))
}

#[test]
fn every_real_sm2_signature_agrees() {
    let b = SoftwareBackend::default();
    let mut certs: Vec<(String, Vec<u8>)> = Vec::new();
    for dir in ["certs", "ctl_extracted"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(real(dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|f| f.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let name = format!("{dir}/{}", f.file_name().unwrap().to_string_lossy());
            certs.push((name, std::fs::read(&f).unwrap()));
        }
    }
    // the GB/T 45112 SM2 root certificates of the vectors
    for f in [
        "caict_trcla_root_sm2.coer.hex",
        "catarc_rca_root_sm2.coer.hex",
    ] {
        let p = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/security/gbt45112_sm2")
            .join(f);
        certs.push((
            format!("vectors/{f}"),
            hex(&std::fs::read_to_string(p).unwrap()),
        ));
    }
    let expected: std::collections::HashMap<String, String> =
        std::fs::read_to_string(real("expected_signatures.tsv"))
            .unwrap()
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(f, v)| (f.to_string(), v.to_string()))
            .collect();
    let parsed: Vec<(String, Vec<u8>, Certificate)> = certs
        .into_iter()
        .map(|(n, bytes)| {
            let c = Certificate::from_bytes(&bytes).unwrap_or_else(|e| panic!("{n}: {e}"));
            (n, bytes, c)
        })
        .collect();
    let by_id8 = |id8: &[u8; 8]| {
        parsed
            .iter()
            .find(|(_, bytes, _)| b.sm3(&[bytes])[24..] == id8[..])
    };
    let (mut valid, mut invalid, mut absent, mut unchecked) = (0, 0, 0, 0);
    for (name, _, cert) in &parsed {
        let Some(sig) = cert.signature else { continue };
        assert_eq!(sig.alg, KeyAlg::Sm2, "{name}");
        let (key_point, id) = match cert.issuer {
            Issuer::SelfSigned(_) => match cert.public_key() {
                Ok(pk) => (pk.point, SM2_DEFAULT_ID.to_vec()),
                Err(_) => continue,
            },
            Issuer::Digest(_, id8) => match by_id8(&id8) {
                Some((_, ib, ic)) => (ic.public_key().unwrap().point, b.sm3(&[ib]).to_vec()),
                None => {
                    absent += 1;
                    assert_eq!(
                        expected.get(name).map(String::as_str),
                        Some("issuer_absent"),
                        "{name}"
                    );
                    continue;
                }
            },
        };
        let Some((keys, e)) = sm2_e(&key_point, &id, cert.tbs()) else {
            panic!("{name}: issuer key")
        };
        let ok = sm2_verdict(&keys, &e, &sig.r, &sig.s, name);
        let mut e2 = e;
        flip(&mut e2, 7);
        assert!(!sm2_verdict(&keys, &e2, &sig.r, &sig.s, name));
        match expected.get(name).map(String::as_str) {
            Some("valid") => assert!(ok, "{name} must verify"),
            Some("invalid") => assert!(!ok, "{name} must not verify"),
            Some("not_checked") => unchecked += 1,
            None => assert!(ok, "{name} (vector) must verify"),
            Some(other) => panic!("{name}: {other}"),
        }
        if ok { valid += 1 } else { invalid += 1 }
    }
    // the independent check found 94 valid, 8 invalid, 8 with the issuer absent, and left one
    // out (which does not verify); the two vector roots are valid
    assert_eq!((valid, invalid, absent, unchecked), (94 + 2, 8 + 1, 8, 1));

    // the two trust lists: signed by their root over every byte before the last 66
    for (ctl, signer) in [
        ("ctl/ctl.datangmobile.cn.coer", "certs/RCA.oer"),
        (
            "ctl/cicv.pctl",
            "ctl_extracted/cicv_5883_rootca.china-icv.cn.coer",
        ),
    ] {
        let data = std::fs::read(real(ctl)).unwrap();
        let (_, sb, sc) = parsed.iter().find(|(n, _, _)| n == signer).unwrap();
        let (signed, sig) = data.split_at(data.len() - 66);
        assert_eq!(&sig[..2], &[0x84, 0x40], "{ctl}");
        let (r, s) = (arr32(&sig[2..34]), arr32(&sig[34..]));
        let (keys, e) = sm2_e(&sc.public_key().unwrap().point, &b.sm3(&[sb]), signed).unwrap();
        assert!(sm2_verdict(&keys, &e, &r, &s, ctl), "{ctl}");
        let (keys, e) = sm2_e(&sc.public_key().unwrap().point, SM2_DEFAULT_ID, signed).unwrap();
        assert!(
            !sm2_verdict(&keys, &e, &r, &s, ctl),
            "{ctl} with the default ID"
        );
    }

    // the GB/T 45112 SPDU signature example
    let v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data/security/gbt45112_sm2/sm2_spdu_signature_example.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let g = |k: &str| hex(v[k].as_str().unwrap());
    let point = CurvePoint::Uncompressed(arr32(&g("pub_x")), arr32(&g("pub_y")));
    let (keys, e) = sm2_e(&point, &g("signer_cert_sm3"), &g("tobesigneddata_coer")).unwrap();
    assert_eq!(e.to_vec(), g("e"));
    assert!(sm2_verdict(
        &keys,
        &e,
        &arr32(&g("r")),
        &arr32(&g("s")),
        "SPDU example"
    ));
}

#[test]
fn ecdsa_vectors_agree() {
    let b = SoftwareBackend::default();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/security/ieee1609dot2_ecdsa");
    let point = |key: &[u8]| {
        let x = arr32(&key[1..]);
        if key[0] == 2 {
            CurvePoint::CompressedY0(x)
        } else {
            CurvePoint::CompressedY1(x)
        }
    };
    let mut n = 0;
    let mut check = |key: &[u8], msg: [u8; 64], r: [u8; 32], s: [u8; 32], what: &str| {
        let keys = prepare(KeyAlg::EcdsaP256, &point(key)).unwrap();
        assert!(p256_verdict(&keys, &msg, &r, &s, what), "{what}");
        let mut m2 = msg;
        flip(&mut m2, 3);
        assert!(!p256_verdict(&keys, &m2, &r, &s, what), "{what} flipped");
        n += 1;
    };
    let v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("signature_vectors.json")).unwrap(),
    )
    .unwrap();
    for c in v["cases"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let tbs = hex(c["tbs_coer"].as_str().unwrap());
        let r = arr32(&hex(c["R"].as_str().unwrap())[1..33]);
        let s = arr32(&hex(c["s"].as_str().unwrap()));
        let signer = if id == "xonly_1" {
            b.sha256(&[])
        } else {
            arr32(&hex(c["signer_cert_sha256"].as_str().unwrap()))
        };
        let mut msg = [0u8; 64];
        msg[..32].copy_from_slice(&b.sha256(&[&tbs]));
        msg[32..].copy_from_slice(&signer);
        check(
            &hex(c["signer_pub_compressed"].as_str().unwrap()),
            msg,
            r,
            s,
            id,
        );
    }
    let tsv = std::fs::read_to_string(root.join("derived_ecdsa_cases.tsv")).unwrap();
    for line in tsv.lines().filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let msg: [u8; 64] = hex(f[1]).try_into().unwrap();
        check(&hex(f[2]), msg, arr32(&hex(f[3])), arr32(&hex(f[4])), f[0]);
    }
    assert_eq!(n, 15 + 21);
}

/// The software backend, recording for each verification the key, whether the key had its
/// table when the call began, and the verdict.
#[derive(Debug, Default)]
struct Probe {
    inner: SoftwareBackend,
    calls: std::sync::Mutex<Vec<([u8; 65], bool, bool)>>,
}

impl Backend for Probe {
    type Key = SoftwareKey;
    fn sha256(&self, parts: &[&[u8]]) -> [u8; 32] {
        self.inner.sha256(parts)
    }
    fn sm3(&self, parts: &[&[u8]]) -> [u8; 32] {
        self.inner.sm3(parts)
    }
    fn prepare_key(
        &self,
        alg: KeyAlg,
        point: &CurvePoint,
    ) -> Result<SoftwareKey, cv2x::security::SecurityError> {
        self.inner.prepare_key(alg, point)
    }
    fn key_xy(&self, key: &SoftwareKey) -> [u8; 64] {
        self.inner.key_xy(key)
    }
    fn verify_p256(&self, key: &SoftwareKey, msg: &[u8; 64], r: &[u8; 32], s: &[u8; 32]) -> bool {
        let had = key.table_bytes() > 0;
        let ok = self.inner.verify_p256(key, msg, r, s);
        self.calls.lock().unwrap().push((*key.sec1(), had, ok));
        ok
    }
    fn verify_sm2(&self, key: &SoftwareKey, e: &[u8; 32], r: &[u8; 32], s: &[u8; 32]) -> bool {
        let had = key.table_bytes() > 0;
        let ok = self.inner.verify_sm2(key, e, r, s);
        self.calls.lock().unwrap().push((*key.sec1(), had, ok));
        ok
    }
}

#[test]
fn a_cached_signer_gets_its_table_after_the_policy_count_and_a_key_seen_once_never() {
    use cv2x::security::precomp::{P256_BUILD_AFTER, SM2_BUILD_AFTER};
    use cv2x::security::sign::SignerMode;
    use cv2x::security::{Config, Verifier};
    use cv2x::testing::pki::TestPki;
    use cv2x::time::Timestamp;
    let now = Timestamp::from_unix_utc_millis(1_767_225_600_000);
    for (alg, after) in [
        (KeyAlg::Sm2, SM2_BUILD_AFTER),
        (KeyAlg::EcdsaP256, P256_BUILD_AFTER),
    ] {
        let pki = TestPki::new(alg, b"tables", now).unwrap();
        let mut v = Verifier::with_backend(Probe::default(), Config::default());
        v.add_trust_anchor(pki.root_cert()).unwrap();
        v.add_certificate(pki.ca_cert()).unwrap();
        let mut s = pki.signer(&[32]).unwrap();
        s.set_mode(SignerMode::Certificate);
        let first = s.sign(b"first", 32, now).unwrap();
        assert!(v.verify(&first, now).is_ok());
        s.set_mode(SignerMode::Digest);
        let total = after as usize + 5;
        for i in 1..total as i64 {
            let m = s.sign(b"payload", 32, now.add_micros(i * 1000)).unwrap();
            if i == 2 {
                // a forged signature in between is rejected and does not count
                let mut bad = m.clone();
                let at = bad.len() - 1;
                bad[at] ^= 1;
                assert!(v.verify(&bad, now.add_micros(i * 1000)).result.is_err());
            }
            assert!(
                v.verify(&m, now.add_micros(i * 1000)).is_ok(),
                "{alg:?} {i}"
            );
        }
        let calls = v.backend().calls.lock().unwrap().clone();
        let signer_key = *b_prepare(alg, s.certificate()).sec1();
        let own: Vec<(bool, bool)> = calls
            .iter()
            .filter(|c| c.0 == signer_key)
            .map(|c| (c.1, c.2))
            .collect();
        // the certificate message, the forgery, and the rest
        assert_eq!(own.len(), total + 1, "{alg:?}");
        let valid_before_table = own.iter().take_while(|c| !c.0).filter(|c| c.1).count();
        assert_eq!(valid_before_table, after as usize, "{alg:?}");
        assert!(
            own.iter().skip_while(|c| !c.0).all(|c| c.0 && c.1),
            "{alg:?}"
        );
        // the other keys (the root's self-signature and the CA certificate, the CA's for the
        // signer's certificate) verified one or two signatures each: no table
        let others: Vec<_> = calls.iter().filter(|c| c.0 != signer_key).collect();
        assert_eq!(others.len(), 3, "{alg:?}");
        assert!(others.iter().all(|c| c.2 && !c.1), "{alg:?}");
        assert_eq!(
            b_prepare(alg, s.certificate()).table_bytes(),
            0,
            "a fresh preparation starts without a table"
        );
    }
}

/// The signer's key prepared from its certificate.
fn b_prepare(alg: KeyAlg, cert: &[u8]) -> SoftwareKey {
    let c = Certificate::from_bytes(cert).unwrap();
    SoftwareBackend::default()
        .prepare_key(alg, &c.public_key().unwrap().point)
        .unwrap()
}
