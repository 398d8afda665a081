//! Trust store, caches and revocation.
//!
//! - [`CertCache`]: trust anchors (never evicted) and verified certificates (bounded LRU; an
//!   entry expires at the end of its chain's validity). Each entry keeps what a verification
//!   with that certificate needs: the prepared (decompressed) key, and the signer input of the
//!   1609.2 digest (SHA-256 of the certificate for ECDSA, Z_A for SM2).
//! - [`CertPool`]: certificates seen but not yet verified (given with `--cert`, carried in a
//!   message's chain): candidates when a chain is built. Bounded, first in first out.
//! - [`UnknownSigners`]: the negative cache of signer digests that named no certificate; it
//!   decides when a certificate request (P2PCD) may be sent again for a digest.
//! - [`Revocation`]: revoked certificates by HashedId8 or HashedId10, and a parser for the
//!   hash-based IEEE 1609.2 CRL contents.
//! - [`ReplayWindow`]: signatures of accepted messages within the acceptance window.

use alloc::collections::{BTreeMap, BTreeSet, VecDeque};
use alloc::sync::Arc;
use alloc::vec::Vec;

use super::cert::{Certificate, HashedId8, Region};
use super::coer::{Reader, Writer};
use super::error::{MalformedKind, Result, SecurityError};
use super::relax::RelaxationSet;
use crate::time::Timestamp;

/// A certificate whose chain to a trust anchor has been verified.
#[derive(Debug)]
pub struct VerifiedCert<K> {
    /// The certificate.
    pub cert: Certificate,
    /// Its HashedId8.
    pub id8: HashedId8,
    /// Its full hash with the algorithm that identifies it (SHA-256 or SM3).
    pub hash: [u8; 32],
    /// The prepared verification key.
    pub key: K,
    /// For an `x-only` key: the key with the other y parity.
    pub key_alt: Option<K>,
    /// Signer input of signatures made with this key: SHA-256 of the certificate (ECDSA) or
    /// Z_A with user ID = SM3 of the certificate (SM2).
    pub signer_input: [u8; 32],
    /// The region that applies (its own, or inherited from the chain).
    pub region: Option<Region>,
    /// Certificates from this one up to the anchor, inclusive.
    pub depth: u8,
    /// HashedId8 of the trust anchor.
    pub anchor: HashedId8,
    /// End of validity of the whole chain (the earliest end).
    pub valid_until: Timestamp,
    /// Start of validity of the whole chain (the latest start). With nested validity periods
    /// (strict IEEE 1609.2) this is the certificate's own start.
    pub valid_from: Timestamp,
    /// The relaxations the chain from this certificate up to the anchor relied on.
    pub relaxations: RelaxationSet,
    /// The verified issuer (`None` for a trust anchor): the chain above this certificate, so
    /// that a certificate issued later below it is checked against every issuer's constraints.
    pub issuer: Option<Arc<VerifiedCert<K>>>,
}

/// Trust anchors and the verified-certificate LRU cache.
#[derive(Debug)]
pub struct CertCache<K> {
    anchors: BTreeMap<HashedId8, Arc<VerifiedCert<K>>>,
    entries: BTreeMap<HashedId8, (Arc<VerifiedCert<K>>, u64)>,
    capacity: usize,
    tick: u64,
}

impl<K> CertCache<K> {
    /// An empty cache holding at most `capacity` verified (non-anchor) certificates.
    pub fn new(capacity: usize) -> Self {
        CertCache {
            anchors: BTreeMap::new(),
            entries: BTreeMap::new(),
            capacity: capacity.max(1),
            tick: 0,
        }
    }

    /// Adds a trust anchor.
    pub fn add_anchor(&mut self, v: Arc<VerifiedCert<K>>) {
        self.anchors.insert(v.id8, v);
    }

    /// Trust anchors.
    pub fn anchors(&self) -> impl Iterator<Item = &Arc<VerifiedCert<K>>> {
        self.anchors.values()
    }

    /// Number of cached (non-anchor) certificates.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no certificate is cached.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The anchor or verified certificate `id`, if still valid at `now`.
    pub fn get(&mut self, id: &HashedId8, now: Timestamp) -> Option<Arc<VerifiedCert<K>>> {
        if let Some(a) = self.anchors.get(id) {
            return (now < a.valid_until).then(|| a.clone());
        }
        self.tick += 1;
        let tick = self.tick;
        let expired = match self.entries.get_mut(id) {
            Some((v, t)) => {
                if now < v.valid_until {
                    *t = tick;
                    return Some(v.clone());
                }
                true
            }
            None => false,
        };
        if expired {
            self.entries.remove(id);
        }
        None
    }

    /// Inserts a verified certificate, evicting the least recently used one when full.
    pub fn insert(&mut self, v: Arc<VerifiedCert<K>>) {
        if !self.entries.contains_key(&v.id8) && self.entries.len() >= self.capacity {
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, (_, t))| *t)
                .map(|(k, _)| *k);
            if let Some(k) = oldest {
                self.entries.remove(&k);
            }
        }
        self.tick += 1;
        self.entries.insert(v.id8, (v, self.tick));
    }

    /// Drops every cached (non-anchor) certificate.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// Drops anchors and cached certificates that `revoked` names.
    pub fn purge(&mut self, revoked: &Revocation) {
        self.anchors
            .retain(|_, v| !revoked.is_revoked(&v.id8, &v.hash));
        self.entries.clear();
    }
}

/// Bounded first-in-first-out map.
#[derive(Debug)]
struct Fifo<V> {
    map: BTreeMap<HashedId8, V>,
    order: VecDeque<HashedId8>,
    capacity: usize,
}

impl<V> Fifo<V> {
    fn new(capacity: usize) -> Self {
        Fifo {
            map: BTreeMap::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    fn insert(&mut self, k: HashedId8, v: V) {
        if self.map.insert(k, v).is_none() {
            self.order.push_back(k);
            while self.map.len() > self.capacity {
                match self.order.pop_front() {
                    Some(old) => {
                        self.map.remove(&old);
                    }
                    None => break,
                }
            }
        }
    }
}

/// Certificates known but not (yet) verified, by HashedId8.
#[derive(Debug)]
pub struct CertPool {
    inner: Fifo<Certificate>,
}

impl CertPool {
    /// A pool holding at most `capacity` certificates.
    pub fn new(capacity: usize) -> Self {
        CertPool {
            inner: Fifo::new(capacity),
        }
    }

    /// Adds a certificate under its HashedId8.
    pub fn insert(&mut self, id: HashedId8, cert: Certificate) {
        self.inner.insert(id, cert);
    }

    /// The certificate `id`.
    pub fn get(&self, id: &HashedId8) -> Option<&Certificate> {
        self.inner.map.get(id)
    }

    /// Number of certificates.
    pub fn len(&self) -> usize {
        self.inner.map.len()
    }

    /// Whether the pool is empty.
    pub fn is_empty(&self) -> bool {
        self.inner.map.is_empty()
    }
}

/// Negative cache of signer digests that named no known certificate.
#[derive(Debug)]
pub struct UnknownSigners {
    inner: Fifo<Timestamp>,
    interval_us: i64,
}

impl UnknownSigners {
    /// A cache of at most `capacity` digests; a certificate request for one digest is allowed
    /// at most once per `interval_us`.
    pub fn new(capacity: usize, interval_us: i64) -> Self {
        UnknownSigners {
            inner: Fifo::new(capacity),
            interval_us,
        }
    }

    /// Records a miss for `id` at `now`; returns whether a certificate request should be sent.
    pub fn miss(&mut self, id: HashedId8, now: Timestamp) -> bool {
        match self.inner.map.get_mut(&id) {
            Some(last) => {
                if now.micros_since(*last) >= self.interval_us {
                    *last = now;
                    true
                } else {
                    false
                }
            }
            None => {
                self.inner.insert(id, now);
                true
            }
        }
    }

    /// Forgets `id` (its certificate became known).
    pub fn forget(&mut self, id: &HashedId8) {
        self.inner.map.remove(id);
    }

    /// Number of digests remembered.
    pub fn len(&self) -> usize {
        self.inner.map.len()
    }

    /// Whether no digest is remembered.
    pub fn is_empty(&self) -> bool {
        self.inner.map.is_empty()
    }
}

/// Revoked certificates.
#[derive(Debug, Default, Clone)]
pub struct Revocation {
    by_id8: BTreeSet<HashedId8>,
    by_id10: BTreeSet<[u8; 10]>,
}

impl Revocation {
    /// Empty set.
    pub fn new() -> Self {
        Revocation::default()
    }

    /// Revokes a certificate by HashedId8.
    pub fn revoke_id8(&mut self, id: HashedId8) {
        self.by_id8.insert(id);
    }

    /// Revokes a certificate by HashedId10 (the form hash-based CRLs use).
    pub fn revoke_id10(&mut self, id: [u8; 10]) {
        self.by_id10.insert(id);
    }

    /// Whether the certificate with HashedId8 `id8` and full hash `hash` is revoked.
    pub fn is_revoked(&self, id8: &HashedId8, hash: &[u8; 32]) -> bool {
        if self.by_id8.contains(id8) {
            return true;
        }
        if self.by_id10.is_empty() {
            return false;
        }
        let mut id10 = [0u8; 10];
        id10.copy_from_slice(&hash[22..]);
        self.by_id10.contains(&id10)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.by_id8.len() + self.by_id10.len()
    }

    /// Whether nothing is revoked.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds the entries of a hash-based CRL ([`Crl`]).
    pub fn add_crl(&mut self, crl: &Crl) {
        for (id, _) in &crl.entries {
            self.by_id10.insert(*id);
        }
    }
}

/// The contents of a hash-based IEEE 1609.2 CRL (`CrlContents` with `fullHashCrl` or
/// `deltaHashCrl`). Linkage-based CRLs are reported as [`SecurityError::UnsupportedPayload`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crl {
    /// `crlSeries`.
    pub crl_series: u16,
    /// `crlCraca`.
    pub craca: HashedId8,
    /// `issueDate` (Time32).
    pub issue_date: u32,
    /// `nextCrl` (Time32).
    pub next_crl: u32,
    /// Whether this is a delta CRL.
    pub delta: bool,
    /// `crlSerial`.
    pub serial: u32,
    /// Revoked certificates: HashedId10 and expiry (Time32).
    pub entries: Vec<([u8; 10], u32)>,
}

/// Most entries read from one CRL.
pub const MAX_CRL_ENTRIES: usize = 65_536;

/// The PSID (AID) of IEEE 1609.2 CRLs: a `SecuredCrl` is signed data with this PSID whose
/// unsecured payload is `CrlContents`.
pub const CRL_PSID: u64 = 256;

/// Why a signed CRL was not applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CrlError {
    /// The signed data failed verification (the code says which check).
    #[error("CRL signature: {0}")]
    Verification(SecurityError),
    /// The signed data is for another PSID.
    #[error("signed data for PSID {0}, not a CRL ({CRL_PSID})")]
    NotCrl(u64),
    /// The payload is not `CrlContents` this implementation reads.
    #[error("CRL contents: {0}")]
    Contents(SecurityError),
    /// A CRL type this implementation does not apply (linkage-based CRLs).
    #[error("linkage-based CRLs are not supported")]
    UnsupportedType,
    /// The signer is neither the CRACA the CRL names nor a certificate the CRACA issued.
    #[error("CRL signer is not its CRACA or issued by it")]
    SignerNotCraca,
    /// `issueDate` lies ahead of now.
    #[error("CRL issued in the future")]
    IssuedInFuture,
    /// A CRL of the same CRACA and series, issued at the same time or later, is applied.
    #[error("CRL not newer than the one applied for its CRACA and series")]
    NotNewer,
    /// Too many CRL series are tracked.
    #[error("too many CRL series")]
    TooManySeries,
}

impl CrlError {
    /// A stable snake_case code.
    pub const fn code(&self) -> &'static str {
        match self {
            CrlError::Verification(e) => e.code(),
            CrlError::NotCrl(_) => "crl_wrong_psid",
            CrlError::Contents(_) => "crl_contents_malformed",
            CrlError::UnsupportedType => "crl_type_unsupported",
            CrlError::SignerNotCraca => "crl_signer_not_craca",
            CrlError::IssuedInFuture => "crl_issued_in_future",
            CrlError::NotNewer => "crl_not_newer",
            CrlError::TooManySeries => "crl_too_many_series",
        }
    }
}

impl Crl {
    /// Encodes the hash-based `CrlContents` (version 1; `fullHashCrl` or `deltaHashCrl`; no
    /// priority information), for CRL issuers and tests.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.u8(1)
            .u16(self.crl_series)
            .bytes(&self.craca)
            .u32(self.issue_date)
            .u32(self.next_crl)
            .u8(0) // CrlPriorityInfo: no extension, no priority
            .choice(u8::from(self.delta))
            .u8(0) // ToBeSignedHashIdCrl: no extension
            .u32(self.serial)
            .uint(self.entries.len() as u64);
        for (id10, expiry) in &self.entries {
            w.bytes(id10).u32(*expiry);
        }
        w.into_bytes()
    }

    /// Parses COER `CrlContents` (the unsecured payload of a signed CRL).
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::new(bytes);
        let version = r.u8()?;
        if version != 1 {
            return Err(SecurityError::IncompatibleProtocol(version));
        }
        let crl_series = r.u16()?;
        let craca = r.array()?;
        let issue_date = r.u32()?;
        let next_crl = r.u32()?;
        // CrlPriorityInfo ::= SEQUENCE { priority Uint8 OPTIONAL, ... }
        let p = r.preamble(2)?;
        if p.get(1) {
            r.u8()?;
        }
        if p.get(0) {
            let b = r.extension_bitmap()?;
            r.skip_extensions(b)?;
        }
        let delta = match r.choice()? {
            0 => false,
            1 => true,
            2 | 3 => return Err(SecurityError::UnsupportedPayload),
            _ => return Err(SecurityError::UnsupportedPayload),
        };
        // ToBeSignedHashIdCrl ::= SEQUENCE { crlSerial Uint32, entries SequenceOfHashBasedRevocationInfo, ... }
        let ext = r.preamble(1)?;
        let serial = r.u32()?;
        let n = r.count(14)?;
        if n > MAX_CRL_ENTRIES {
            return Err(r.err(MalformedKind::TooMany));
        }
        let mut entries = Vec::with_capacity(n);
        for _ in 0..n {
            entries.push((r.array()?, r.u32()?));
        }
        if ext.get(0) {
            let b = r.extension_bitmap()?;
            r.skip_extensions(b)?;
        }
        r.finish()?;
        Ok(Crl {
            crl_series,
            craca,
            issue_date,
            next_crl,
            delta,
            serial,
            entries,
        })
    }
}

/// Key of an accepted message in the replay window.
type ReplayKey = (i64, HashedId8, [u8; 8]);

/// Messages accepted recently: a second copy within the window is a duplicate. Entries leave
/// when their generation time falls out of the acceptance window, or, beyond the capacity, in
/// the order they were accepted.
#[derive(Debug)]
pub struct ReplayWindow {
    seen: BTreeSet<ReplayKey>,
    order: VecDeque<ReplayKey>,
    capacity: usize,
}

impl ReplayWindow {
    /// A window remembering at most `capacity` messages.
    pub fn new(capacity: usize) -> Self {
        ReplayWindow {
            seen: BTreeSet::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    fn key(signer: &HashedId8, generation: Timestamp, sig_r: &[u8; 32]) -> ReplayKey {
        let mut r8 = [0u8; 8];
        r8.copy_from_slice(&sig_r[..8]);
        (generation.as_micros(), *signer, r8)
    }

    /// Whether this message was accepted before.
    pub fn contains(&self, signer: &HashedId8, generation: Timestamp, sig_r: &[u8; 32]) -> bool {
        self.seen.contains(&Self::key(signer, generation, sig_r))
    }

    /// Records an accepted message and forgets those generated before `oldest`.
    pub fn insert(
        &mut self,
        signer: &HashedId8,
        generation: Timestamp,
        sig_r: &[u8; 32],
        oldest: Timestamp,
    ) {
        while let Some(first) = self.seen.first() {
            if first.0 < oldest.as_micros() {
                self.seen.pop_first();
            } else {
                break;
            }
        }
        let key = Self::key(signer, generation, sig_r);
        if self.seen.insert(key) {
            self.order.push_back(key);
        }
        while self.order.len() > self.capacity {
            if let Some(k) = self.order.pop_front() {
                self.seen.remove(&k);
            }
        }
    }

    /// Number of messages remembered.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// Whether the window is empty.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

/// Splits a root certificate list into certificates: either a COER `SEQUENCE OF Certificate`
/// (a quantity, then the certificates) or plain concatenated certificates.
pub fn parse_certificate_list(bytes: &[u8]) -> Result<Vec<Certificate>> {
    let concatenated = |bytes: &[u8]| -> Result<Vec<Certificate>> {
        let mut r = Reader::new(bytes);
        let mut v = Vec::new();
        while r.remaining() > 0 {
            if v.len() >= super::cert::MAX_SEQUENCE_ELEMENTS {
                return Err(r.err(MalformedKind::TooMany));
            }
            v.push(Certificate::parse(&mut r)?);
        }
        Ok(v)
    };
    if let Ok(v) = concatenated(bytes) {
        return Ok(v);
    }
    let mut r = Reader::new(bytes);
    let v = super::cert::seq_of(&mut r, 40, Certificate::parse)?;
    r.finish()?;
    Ok(v)
}
