//! Signature verification with precomputed tables: u1·G + u2·Q for SM2 and ECDSA P-256 without
//! per-message doublings for a cached signer.
//!
//! A V2X signer signs ten times a second for minutes with one key, and the verifier caches its
//! certificate key ([`super::store::CertCache`]). For such a key Q this module keeps a table of
//! multiples of Q, and for the generator G one shared table, so that a verification is a few
//! dozen mixed additions and table look-ups instead of 256 doublings:
//!
//! - the scalar is recoded into signed digits of `w` bits, d_j ∈ [−2^(w−1), 2^(w−1)], with
//!   k = Σ d_j·2^(w·j) (one more window than 256 / w, for the final carry);
//! - the generator table (one per curve, built on first use and shared) holds
//!   1..2^(w−1) times 2^(w·j)·G for every window j, so u1·G is one addition per window;
//! - a signer table with spacing `s` holds the same for every `s`-th window, and the windows in
//!   between are reached by w·(s − 1) shared doublings (Horner), trading memory for time;
//! - points of the tables are affine (batch-normalised with one field inversion), the
//!   accumulator is Jacobian, so each addition is a mixed Jacobian + affine addition
//!   (7M + 4S), each doubling the a = −3 formula (3M + 5S; both curves have a = −3);
//! - the final check needs no inversion: x(R) ≡ c (mod n) is tested as X = c·Z² or
//!   X = (c + n)·Z² (when c + n < p) on the Jacobian result.
//!
//! An SM2 key that is not (yet) worth a table is verified with a per-call table of its first
//! 2^(w−1) multiples and 255 doublings, still with the shared generator table; a P-256 key
//! goes to `ring` until then (see [`super::crypto::P256Verifier`]).
//!
//! Everything here is variable-time. That is sound because only public data goes in: the
//! public key, the signature and the digest of a received message.
//!
//! # Sizes and the cache bound
//!
//! Per cached signer (SM2 or P-256), [`SIGNER_LAYOUT`] (w = 5, every second window tabulated)
//! takes 26 rows × 16 affine points × 64 octets = [`SIGNER_TABLE_BYTES`] = 26 624 octets
//! (26 KiB), plus about 150 octets of bookkeeping, and costs 52 additions and 5 doublings per
//! verification. Only keys the verifier caches get a table: the keys of the verified
//! certificates in its `CertCache`, at most `Config::cert_cache_capacity` of them (1024 by
//! default) plus the trust anchors, and only once they have verified a few signatures
//! ([`TablePolicy`]); a key goes with its table when its certificate leaves the cache. So
//! the tables take at most (1024 + anchors) × 26 KiB ≈ 27 MiB with the default
//! configuration, and about 2.6 MiB for the 100 signers of a dense intersection; a smaller
//! `cert_cache_capacity` or a smaller [`TablePolicy::layout`] bounds it further. The
//! generator tables take [`GENERATOR_TABLE_BYTES`] = 270 336 octets (264 KiB) per curve in
//! use, once per process.
//!
//! The signer layout was chosen by measurement (the `security/paired/sm2_layout_*` lines of
//! `cargo bench --bench security --features testing,sm2-fast` compare other layouts with it
//! on the same messages): spacing 1 is about 5 % faster at twice the memory; w = 6 is 3 to
//! 13 % faster at 1.2 to 3.3 times the memory; w = 4 takes 8 to 12 % longer with 17 to 33
//! KiB. The shared generator table, built once, takes the widest window (w = 8).
//!
//! # Why hand-written
//!
//! The field arithmetic is RustCrypto's (`sm2` and `p256` field elements, fiat-crypto generated,
//! reached through `elliptic_curve::hazmat::FieldArithmetic`). No maintained crate offers the
//! point side: RustCrypto's `primeorder` has a fixed table for G only and constant-time complete
//! formulas; `group::WnafBase` keeps a wNAF table of one point but still doubles 256 times per
//! multiplication; `efficient-sm2` exposes neither its field nor its point arithmetic; `ring`
//! keeps its P-256 internals private. So the point arithmetic, the recoding and the tables are
//! written here, and cross-checked against RustCrypto `sm2` and `efficient-sm2` (SM2) and `ring`
//! (P-256) on random and corrupted signatures in the tests and a fuzz target.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, Ordering};

use once_cell::race::OnceBox;
use sm2::elliptic_curve::ff::{Field, PrimeField};
use sm2::elliptic_curve::hazmat::FieldArithmetic;
use sm2::elliptic_curve::ops::Reduce;

use super::crypto::{SM2_GX, SM2_GY, SM2_N, hex32};

/// Shape of a table: window width `w` in bits and the spacing between tabulated windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Window width in bits (2..=8): each row holds 2^(w−1) points.
    pub w: u32,
    /// Every `spacing`-th window is tabulated; the others cost w·(spacing − 1) doublings.
    pub spacing: u32,
}

impl Layout {
    /// Number of signed windows of a 256-bit scalar (one more than 256 / w for the carry).
    pub const fn windows(&self) -> usize {
        (256 / self.w) as usize + 1
    }

    /// Number of tabulated windows.
    pub const fn rows(&self) -> usize {
        self.windows().div_ceil(self.spacing as usize)
    }

    /// Points per row.
    pub const fn per_row(&self) -> usize {
        1 << (self.w - 1)
    }

    /// Octets of affine points the table holds (64 per point).
    pub const fn bytes(&self) -> usize {
        self.rows() * self.per_row() * 64
    }

    fn valid(&self) -> bool {
        (2..=8).contains(&self.w) && self.spacing >= 1 && self.spacing as usize <= self.windows()
    }
}

/// Layout of the shared generator tables: w = 8, no doublings (spacing 1 is required).
pub const GENERATOR_LAYOUT: Layout = Layout { w: 8, spacing: 1 };
const _: () = assert!(GENERATOR_LAYOUT.spacing == 1);
/// Octets of one curve's generator table.
pub const GENERATOR_TABLE_BYTES: usize = GENERATOR_LAYOUT.bytes();
/// Layout of a cached signer's table: w = 5, every second window (5 doublings).
pub const SIGNER_LAYOUT: Layout = Layout { w: 5, spacing: 2 };
/// Octets of one signer's table.
pub const SIGNER_TABLE_BYTES: usize = SIGNER_LAYOUT.bytes();
/// Layout of the per-call table of a key without a table (spacing = every window: 255
/// doublings).
const EPHEMERAL_LAYOUT: Layout = Layout { w: 5, spacing: 52 };
/// When a prepared key gets its table, and the table's shape.
///
/// A key gets its table once it has verified as many signatures without one as the table
/// saves time over (the rent-or-buy rule): a key seen fewer times never pays for a table, and
/// a key seen more often pays at most about twice what it would with hindsight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TablePolicy {
    /// An SM2 key gets its table once it has verified this many signatures without one (0 or 1:
    /// after the first; `u32::MAX`: never).
    pub sm2_after: u32,
    /// The same for a P-256 key (verified with `ring` until then).
    pub p256_after: u32,
    /// The shape of the tables: memory per signer against time per verification.
    pub layout: Layout,
}

impl TablePolicy {
    /// Keys never get a table on their own ([`super::crypto::SoftwareKey::precompute`] still
    /// builds one).
    pub const NEVER: TablePolicy = TablePolicy {
        sm2_after: u32::MAX,
        p256_after: u32::MAX,
        layout: SIGNER_LAYOUT,
    };
}

impl Default for TablePolicy {
    fn default() -> Self {
        TablePolicy {
            sm2_after: SM2_BUILD_AFTER,
            p256_after: P256_BUILD_AFTER,
            layout: SIGNER_LAYOUT,
        }
    }
}

/// Default count of verified signatures after which an SM2 key gets its table: building it
/// costs what the table saves over the per-call path in about 3 verifications
/// (`security/paired/break_even_sm2` of `cargo bench --bench security --features testing,sm2-fast`).
pub const SM2_BUILD_AFTER: u32 = 3;

/// Default count for a P-256 key: the table saves less over `ring` than over the SM2 per-call
/// path, so building pays after about 30 verifications (`security/paired/break_even_p256`).
pub const P256_BUILD_AFTER: u32 = 32;

/// Largest number of windows (w = 2).
const MAX_WINDOWS: usize = 129;

/// An affine point, never the identity.
#[derive(Clone, Copy, Debug)]
struct Affine<F> {
    x: F,
    y: F,
}

/// A Jacobian point (X/Z², Y/Z³); Z = 0 is the identity.
#[derive(Clone, Copy, Debug)]
struct Jacobian<F> {
    x: F,
    y: F,
    z: F,
}

impl<F: Field> Jacobian<F> {
    const IDENTITY: Self = Jacobian {
        x: F::ONE,
        y: F::ONE,
        z: F::ZERO,
    };

    fn from_affine(p: &Affine<F>) -> Self {
        Jacobian {
            x: p.x,
            y: p.y,
            z: F::ONE,
        }
    }

    fn is_identity(&self) -> bool {
        self.z.is_zero_vartime()
    }

    /// 2P for a = −3 ("dbl-2001-b", 3M + 5S). The identity stays the identity; no point of
    /// odd order has y = 0.
    fn double(&self) -> Self {
        let delta = self.z.square();
        let gamma = self.y.square();
        let beta = self.x * gamma;
        let t = (self.x - delta) * (self.x + delta);
        let alpha = t.double() + t;
        let beta4 = beta.double().double();
        let x3 = alpha.square() - beta4.double();
        let z3 = (self.y + self.z).square() - gamma - delta;
        let y3 = alpha * (beta4 - x3) - gamma.square().double().double().double();
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// P + (x2, ±y2) ("madd-2007-bl", 7M + 4S), with the equal and opposite cases handled.
    fn add_affine(&self, p: &Affine<F>, negate: bool) -> Self {
        let y2 = if negate { -p.y } else { p.y };
        if self.is_identity() {
            return Jacobian {
                x: p.x,
                y: y2,
                z: F::ONE,
            };
        }
        let z1z1 = self.z.square();
        let u2 = p.x * z1z1;
        let s2 = y2 * self.z * z1z1;
        let h = u2 - self.x;
        let r = (s2 - self.y).double();
        if h.is_zero_vartime() {
            return if r.is_zero_vartime() {
                self.double()
            } else {
                Self::IDENTITY
            };
        }
        let hh = h.square();
        let i = hh.double().double();
        let j = h * i;
        let v = self.x * i;
        let x3 = r.square() - j - v.double();
        let y3 = r * (v - x3) - (self.y * j).double();
        let z3 = (self.z + h).square() - z1z1 - hh;
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }
}

/// Affine forms of `points` with one field inversion (Montgomery's trick); `None` if one is
/// the identity.
fn normalize_all<F: Field>(points: &[Jacobian<F>]) -> Option<Vec<Affine<F>>> {
    let mut prefix = Vec::with_capacity(points.len());
    let mut acc = F::ONE;
    for p in points {
        if p.is_identity() {
            return None;
        }
        prefix.push(acc);
        acc *= p.z;
    }
    let mut inv: F = Option::from(acc.invert())?;
    let mut out = Vec::with_capacity(points.len());
    for (p, before) in points.iter().zip(prefix).rev() {
        let zinv = inv * before;
        inv *= p.z;
        let zinv2 = zinv.square();
        out.push(Affine {
            x: p.x * zinv2,
            y: p.y * zinv2 * zinv,
        });
    }
    out.reverse();
    Some(out)
}

/// Multiples of a point for fixed windows: row i holds 1..2^(w−1) times 2^(w·spacing·i)·P.
#[derive(Debug)]
pub(crate) struct Table<F> {
    layout: Layout,
    points: Vec<Affine<F>>,
}

impl<F: Field> Table<F> {
    /// Builds the table of `p` (an affine point of prime order; `None` if it is not, or the
    /// layout is invalid).
    fn build(p: &Affine<F>, layout: Layout) -> Option<Self> {
        if !layout.valid() {
            return None;
        }
        let (rows, per_row) = (layout.rows(), layout.per_row());
        let mut bases = Vec::with_capacity(rows);
        let mut b = Jacobian::from_affine(p);
        for i in 0..rows {
            if i > 0 {
                for _ in 0..layout.w * layout.spacing {
                    b = b.double();
                }
            }
            bases.push(b);
        }
        let bases = normalize_all(&bases)?;
        let mut multiples = Vec::with_capacity(rows * per_row);
        for base in &bases {
            let mut acc = Jacobian::from_affine(base);
            multiples.push(acc);
            for _ in 1..per_row {
                acc = acc.add_affine(base, false);
                multiples.push(acc);
            }
        }
        Some(Table {
            layout,
            points: normalize_all(&multiples)?,
        })
    }

    /// Octets of table points.
    fn bytes(&self) -> usize {
        self.points.len() * core::mem::size_of::<Affine<F>>()
    }

    /// acc + d·(row's base), for a signed digit d (0 adds nothing).
    fn add_digit(&self, acc: Jacobian<F>, row: usize, d: i16) -> Jacobian<F> {
        if d == 0 {
            return acc;
        }
        let i = row * self.layout.per_row() + usize::from(d.unsigned_abs()) - 1;
        match self.points.get(i) {
            Some(p) => acc.add_affine(p, d < 0),
            None => acc,
        }
    }
}

/// Signed digits of a 256-bit scalar in windows of `w` bits.
struct Digits {
    d: [i16; MAX_WINDOWS],
    len: usize,
}

impl Digits {
    /// Recodes big-endian `k` into d_j ∈ [−2^(w−1), 2^(w−1)], k = Σ d_j·2^(w·j).
    fn recode(k: &[u8; 32], w: u32) -> Self {
        let mut le = [0u8; 34];
        for (dst, src) in le.iter_mut().zip(k.iter().rev()) {
            *dst = *src;
        }
        let len = ((256 / w) as usize + 1).min(MAX_WINDOWS);
        let mask = (1u32 << w) - 1;
        let half = 1u32 << (w - 1);
        let mut d = [0i16; MAX_WINDOWS];
        let mut carry = 0u32;
        for (j, dj) in d.iter_mut().enumerate().take(len) {
            let pos = j * w as usize;
            let byte = pos / 8;
            let lo = u32::from(le.get(byte).copied().unwrap_or(0));
            let hi = u32::from(le.get(byte + 1).copied().unwrap_or(0));
            let v = (((hi << 8) | lo) >> (pos % 8) & mask) + carry;
            if v > half {
                *dj = v as i16 - (1i16 << w);
                carry = 1;
            } else {
                *dj = v as i16;
                carry = 0;
            }
        }
        debug_assert_eq!(carry, 0);
        Digits { d, len }
    }

    fn get(&self, j: usize) -> i16 {
        if j < self.len {
            self.d.get(j).copied().unwrap_or(0)
        } else {
            0
        }
    }
}

/// u1·G + u2·Q with the generator table `g` (spacing 1) and a table `q` of Q.
fn mul2<F: Field>(g: &Table<F>, u1: &[u8; 32], q: &Table<F>, u2: &[u8; 32]) -> Jacobian<F> {
    let ql = q.layout;
    let dq = Digits::recode(u2, ql.w);
    let mut acc = Jacobian::IDENTITY;
    let spacing = ql.spacing as usize;
    for t in (0..spacing).rev() {
        if t + 1 < spacing && !acc.is_identity() {
            for _ in 0..ql.w {
                acc = acc.double();
            }
        }
        for row in 0..ql.rows() {
            acc = q.add_digit(acc, row, dq.get(row * spacing + t));
        }
    }
    let dg = Digits::recode(u1, g.layout.w);
    for row in 0..g.layout.rows() {
        acc = g.add_digit(acc, row, dg.get(row));
    }
    acc
}

/// Big-endian a + b mod 2^256.
fn add_be(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut carry = 0u16;
    for ((o, x), y) in out.iter_mut().zip(a).zip(b).rev() {
        let t = u16::from(*x) + u16::from(*y) + carry;
        *o = t as u8;
        carry = t >> 8;
    }
    out
}

/// Big-endian a − b mod 2^256.
const fn sub_be(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut borrow = 0i16;
    let mut i = 32;
    while i > 0 {
        i -= 1;
        let t = a[i] as i16 - b[i] as i16 - borrow;
        out[i] = t as u8;
        borrow = if t < 0 { 1 } else { 0 };
    }
    out
}

/// A field element from big-endian bytes (`None` if ≥ p).
fn fe<F: PrimeField>(b: &[u8; 32]) -> Option<F> {
    let mut repr = F::Repr::default();
    let dst = repr.as_mut();
    if dst.len() != 32 {
        return None;
    }
    dst.copy_from_slice(b);
    F::from_repr(repr).into()
}

/// A short Weierstrass curve with a = −3 and cofactor 1.
pub(crate) trait Curve: 'static {
    /// Base field element.
    type F: PrimeField;
    /// Field modulus p.
    const P: [u8; 32];
    /// Group order n.
    const N: [u8; 32];
    /// Generator.
    const G: ([u8; 32], [u8; 32]);
    /// The shared generator table.
    fn generator_cell() -> &'static OnceBox<Table<Self::F>>;
    /// The policy's count of verified signatures before a key gets its table.
    fn build_after(policy: &TablePolicy) -> u32;
}

/// SM2 (GB/T 32918.5).
pub(crate) struct Sm2Curve;
/// NIST P-256.
pub(crate) struct P256Curve;

type Sm2Fe = <sm2::Sm2 as FieldArithmetic>::FieldElement;
type P256Fe = <p256::NistP256 as FieldArithmetic>::FieldElement;

static SM2_G: OnceBox<Table<Sm2Fe>> = OnceBox::new();
static P256_G: OnceBox<Table<P256Fe>> = OnceBox::new();

impl Curve for Sm2Curve {
    type F = Sm2Fe;
    const P: [u8; 32] = hex32("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF");
    const N: [u8; 32] = SM2_N;
    const G: ([u8; 32], [u8; 32]) = (SM2_GX, SM2_GY);
    fn generator_cell() -> &'static OnceBox<Table<Sm2Fe>> {
        &SM2_G
    }
    fn build_after(policy: &TablePolicy) -> u32 {
        policy.sm2_after
    }
}

impl Curve for P256Curve {
    type F = P256Fe;
    const P: [u8; 32] = hex32("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF");
    const N: [u8; 32] = hex32("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
    const G: ([u8; 32], [u8; 32]) = (
        hex32("6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"),
        hex32("4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5"),
    );
    fn generator_cell() -> &'static OnceBox<Table<P256Fe>> {
        &P256_G
    }
    fn build_after(policy: &TablePolicy) -> u32 {
        policy.p256_after
    }
}

/// The generator table of `C`, built on first use (a few milliseconds, once per process).
fn generator_table<C: Curve>() -> Option<&'static Table<C::F>> {
    C::generator_cell()
        .get_or_try_init(|| {
            let g = Affine {
                x: fe::<C::F>(&C::G.0).ok_or(())?,
                y: fe::<C::F>(&C::G.1).ok_or(())?,
            };
            Table::build(&g, GENERATOR_LAYOUT).map(Box::new).ok_or(())
        })
        .ok()
}

/// Whether the x coordinate of Jacobian `p` (not the identity) is ≡ `c` (mod n), for c < n.
fn x_matches<C: Curve>(p: &Jacobian<C::F>, c: &[u8; 32]) -> bool {
    if p.is_identity() {
        return false;
    }
    let zz = p.z.square();
    if fe::<C::F>(c).is_some_and(|c| c * zz == p.x) {
        return true;
    }
    // x ∈ [n, p) also reduces to c when c + n < p
    let p_minus_n = sub_be(&C::P, &C::N);
    *c < p_minus_n && fe::<C::F>(&add_be(c, &C::N)).is_some_and(|c| c * zz == p.x)
}

/// A public key with its lazily built table, shared by the clones of a prepared key.
pub(crate) struct Signer<C: Curve> {
    q: Affine<C::F>,
    uses: AtomicU32,
    table: OnceBox<Table<C::F>>,
}

impl<C: Curve> core::fmt::Debug for Signer<C> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Signer")
            .field("uses", &self.uses.load(Ordering::Relaxed))
            .field("table", &self.table.get().is_some())
            .finish()
    }
}

impl<C: Curve> Signer<C> {
    /// The signer for the affine point x ‖ y, which the caller has validated (on the curve,
    /// not the identity).
    pub(crate) fn new(x: &[u8; 32], y: &[u8; 32]) -> Option<Self> {
        Some(Signer {
            q: Affine {
                x: fe(x)?,
                y: fe(y)?,
            },
            uses: AtomicU32::new(0),
            table: OnceBox::new(),
        })
    }

    /// Builds the table with `layout` now if the key has none; whether the key has one.
    pub(crate) fn precompute(&self, layout: Layout) -> bool {
        self.table
            .get_or_try_init(|| Table::build(&self.q, layout).map(Box::new).ok_or(()))
            .is_ok()
    }

    /// Octets of the key's table (0 without one).
    pub(crate) fn table_bytes(&self) -> usize {
        self.table.get().map_or(0, Table::bytes)
    }

    /// Whether the key has its table.
    pub(crate) fn has_table(&self) -> bool {
        self.table.get().is_some()
    }

    /// Counts a signature verified without the table, and builds the table when that makes
    /// as many as the policy says for the curve.
    pub(crate) fn note_verified(&self, policy: &TablePolicy) {
        let after = C::build_after(policy);
        if after == u32::MAX || self.has_table() {
            return;
        }
        let n = self.uses.fetch_add(1, Ordering::Relaxed).saturating_add(1);
        if n >= after {
            self.precompute(policy.layout);
        }
    }

    /// u1·G + u2·Q and whether the key's table was used (else a per-call table).
    fn mul2(&self, u1: &[u8; 32], u2: &[u8; 32]) -> Option<(Jacobian<C::F>, bool)> {
        let g = generator_table::<C>()?;
        if let Some(t) = self.table.get() {
            return Some((mul2(g, u1, t, u2), true));
        }
        let t = Table::build(&self.q, EPHEMERAL_LAYOUT)?;
        Some((mul2(g, u1, &t, u2), false))
    }
}

/// SM2 verification (GB/T 32918.2): r, s ∈ [1, n−1], t = (r + s) mod n ≠ 0,
/// (x1, y1) = s·G + t·Q not the identity, and (e + x1) mod n = r. Without a table, a valid
/// signature counts towards building one (see [`Signer::note_verified`]).
pub(crate) fn verify_sm2(
    key: &Signer<Sm2Curve>,
    e: &[u8; 32],
    r: &[u8; 32],
    s: &[u8; 32],
    policy: &TablePolicy,
) -> bool {
    let scalar = |b: &[u8; 32]| -> Option<sm2::Scalar> {
        let v: sm2::Scalar = Option::from(sm2::Scalar::from_repr((*b).into()))?;
        (!bool::from(v.is_zero())).then_some(v)
    };
    let (Some(rs), Some(ss)) = (scalar(r), scalar(s)) else {
        return false;
    };
    let t = rs + ss;
    if bool::from(t.is_zero()) {
        return false;
    }
    let e = <sm2::Scalar as Reduce<sm2::U256>>::reduce(&sm2::U256::from_be_slice(e));
    // (e + x1) mod n = r  ⇔  x1 ≡ r − e (mod n)
    let c: [u8; 32] = (rs - e).to_repr().into();
    let t: [u8; 32] = t.to_repr().into();
    let Some((p, tabled)) = key.mul2(s, &t) else {
        return false;
    };
    let ok = x_matches::<Sm2Curve>(&p, &c);
    if ok && !tabled {
        key.note_verified(policy);
    }
    ok
}

/// ECDSA P-256 verification (FIPS 186-5) of (r, s) for the digest `z` (SHA-256 of the
/// message): r, s ∈ [1, n−1], R = (z/s)·G + (r/s)·Q not the identity, x(R) mod n = r.
/// With the key's table if it has one, else with a per-call table.
pub(crate) fn verify_p256(
    key: &Signer<P256Curve>,
    z: &[u8; 32],
    r: &[u8; 32],
    s: &[u8; 32],
) -> bool {
    let scalar = |b: &[u8; 32]| -> Option<p256::Scalar> {
        let v: p256::Scalar = Option::from(p256::Scalar::from_repr((*b).into()))?;
        (!bool::from(v.is_zero())).then_some(v)
    };
    let (Some(rs), Some(ss)) = (scalar(r), scalar(s)) else {
        return false;
    };
    let Some(w): Option<p256::Scalar> = Option::from(ss.invert_vartime()) else {
        return false;
    };
    let z = <p256::Scalar as Reduce<p256::U256>>::reduce(&p256::U256::from_be_slice(z));
    let u1: [u8; 32] = (z * w).to_repr().into();
    let u2: [u8; 32] = (rs * w).to_repr().into();
    key.mul2(&u1, &u2)
        .is_some_and(|(p, _)| x_matches::<P256Curve>(&p, r))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big(b: &[u8; 32]) -> sm2::U256 {
        sm2::U256::from_be_slice(b)
    }

    #[test]
    fn recoding_sums_back_to_the_scalar() {
        let cases = [
            [0u8; 32],
            [0xFF; 32],
            Sm2Curve::N,
            hex32("8000000000000000000000000000000000000000000000000000000000000001"),
            hex32("0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"),
        ];
        for k in &cases {
            for w in 2..=8u32 {
                let d = Digits::recode(k, w);
                let half = 1i32 << (w - 1);
                // Σ d_j·2^(w·j) evaluated from the top with wrapping 256-bit arithmetic
                let mut acc = sm2::U256::ZERO;
                for j in (0..d.len).rev() {
                    let dj = i32::from(d.get(j));
                    assert!((-half..=half).contains(&dj), "w {w} digit {dj}");
                    acc = acc.wrapping_shl(w);
                    let mag = sm2::U256::from_u32(dj.unsigned_abs());
                    acc = if dj < 0 {
                        acc.wrapping_sub(&mag)
                    } else {
                        acc.wrapping_add(&mag)
                    };
                }
                assert_eq!(acc, big(k), "w {w}");
            }
        }
    }

    fn generator<C: Curve>() -> Affine<C::F> {
        Affine {
            x: fe(&C::G.0).unwrap(),
            y: fe(&C::G.1).unwrap(),
        }
    }

    /// k·P by double-and-add from the top bit, the plain reference for the tables.
    fn naive<F: Field>(p: &Affine<F>, k: &[u8; 32]) -> Jacobian<F> {
        let mut acc = Jacobian::IDENTITY;
        for byte in k {
            for bit in (0..8).rev() {
                acc = acc.double();
                if byte >> bit & 1 == 1 {
                    acc = acc.add_affine(p, false);
                }
            }
        }
        acc
    }

    fn same<F: Field>(a: &Jacobian<F>, b: &Jacobian<F>) -> bool {
        if a.is_identity() || b.is_identity() {
            return a.is_identity() && b.is_identity();
        }
        let (za, zb) = (a.z.square(), b.z.square());
        a.x * zb == b.x * za && a.y * zb * b.z == b.y * za * a.z
    }

    fn tables_match_double_and_add<C: Curve>() {
        let g = generator::<C>();
        let q = naive(
            &g,
            &hex32("00000000000000000000000000000000000000000000000000000000DEADBEEF"),
        );
        let q = normalize_all(&[q]).unwrap()[0];
        let gt = generator_table::<C>().unwrap();
        let n_minus_1 = sub_be(
            &C::N,
            &hex32("0000000000000000000000000000000000000000000000000000000000000001"),
        );
        let scalars = [
            hex32("0000000000000000000000000000000000000000000000000000000000000001"),
            hex32("0000000000000000000000000000000000000000000000000000000000000000"),
            n_minus_1,
            [0xA5; 32],
            hex32("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"),
        ];
        for layout in [
            SIGNER_LAYOUT,
            EPHEMERAL_LAYOUT,
            Layout { w: 4, spacing: 2 },
            Layout { w: 6, spacing: 3 },
            Layout { w: 8, spacing: 1 },
        ] {
            let qt = Table::build(&q, layout).unwrap();
            for u1 in &scalars {
                for u2 in &scalars {
                    let want = naive(&g, u1);
                    let want = match normalize_all(&[naive(&q, u2)]) {
                        Some(a) => want.add_affine(&a[0], false),
                        None => want,
                    };
                    assert!(same(&mul2(gt, u1, &qt, u2), &want), "{layout:?}");
                }
            }
        }
        // Q + (−Q) is the identity, Q + Q the double
        let j = Jacobian::from_affine(&q);
        assert!(j.add_affine(&q, true).is_identity());
        assert!(same(&j.add_affine(&q, false), &j.double()));
        // (n − 1)·G + 1·G is the identity
        let g_as_q = Table::build(&g, SIGNER_LAYOUT).unwrap();
        let one = scalars[0];
        assert!(mul2(gt, &n_minus_1, &g_as_q, &one).is_identity());
    }

    #[test]
    fn sm2_tables_match_double_and_add() {
        tables_match_double_and_add::<Sm2Curve>();
    }

    #[test]
    fn p256_tables_match_double_and_add() {
        tables_match_double_and_add::<P256Curve>();
    }

    #[test]
    fn generators_are_on_their_curves() {
        fn on_curve<C: Curve>(b: &[u8; 32]) -> bool {
            let g = generator::<C>();
            let three = C::F::ONE.double() + C::F::ONE;
            g.y.square() == g.x.square() * g.x - three * g.x + fe::<C::F>(b).unwrap()
        }
        assert!(on_curve::<Sm2Curve>(&crate::security::crypto::SM2_B));
        assert!(on_curve::<P256Curve>(&hex32(
            "5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B"
        )));
    }

    #[test]
    fn sizes() {
        assert_eq!(SIGNER_TABLE_BYTES, 26 * 16 * 64);
        assert_eq!(GENERATOR_TABLE_BYTES, 33 * 128 * 64);
        assert_eq!(core::mem::size_of::<Affine<Sm2Fe>>(), 64);
        let s = Signer::<Sm2Curve>::new(&Sm2Curve::G.0, &Sm2Curve::G.1).unwrap();
        assert_eq!(s.table_bytes(), 0);
        assert!(s.precompute(SIGNER_LAYOUT));
        assert_eq!(s.table_bytes(), SIGNER_TABLE_BYTES);
        assert!(!Layout { w: 9, spacing: 1 }.valid());
        assert!(!Layout { w: 5, spacing: 0 }.valid());
    }
}
