//! Pseudonyms: what identifies the vehicle on the air, and when it changes.
//!
//! A pseudonym is the temporary id, the message counters, the path history and (with
//! security) the signing certificate and its key. The host vehicle changes them all in the
//! same message, never one without the others: a new id under an old certificate, or an old
//! path history under a new id, would link the two pseudonyms. Hence:
//! - a change happens only when a different valid certificate is at hand (with a pool), and
//!   never while an event is being reported ([`PseudonymPolicy`]);
//! - the new id and the counters' new starting values are random, from the caller's
//!   [`RandomSource`] (or a generator seeded by the caller, [`SeededRandom`]): there is no
//!   global generator, and a seeded run is reproducible.
#[cfg(feature = "security")]
use alloc::boxed::Box;
#[cfg(feature = "security")]
use alloc::vec::Vec;

use rand_core::{Rng, SeedableRng};

#[cfg(feature = "security")]
use crate::security::cert::{Certificate, Validity};
#[cfg(feature = "security")]
use crate::security::sign::{SigningBackend, SpduSigner, key_matches_certificate};
use crate::time::Timestamp;

/// Where the host vehicle's randomness comes from: temporary ids, counter starts, the choice
/// of the next certificate. Give it the platform's hardware generator (or a CSPRNG seeded from
/// it) in a product; [`SeededRandom`] for tests and simulations.
pub trait RandomSource: Send {
    /// Fills `dst` with random octets.
    fn fill_bytes(&mut self, dst: &mut [u8]);
}

/// A ChaCha20 generator from a caller's 32-octet seed: reproducible, and unpredictable to
/// anyone without the seed.
pub struct SeededRandom(chacha20::ChaCha20Rng);

impl core::fmt::Debug for SeededRandom {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SeededRandom(..)")
    }
}

impl SeededRandom {
    /// The generator of `seed`.
    pub fn new(seed: [u8; 32]) -> Self {
        SeededRandom(chacha20::ChaCha20Rng::from_seed(seed))
    }
}

impl RandomSource for SeededRandom {
    fn fill_bytes(&mut self, dst: &mut [u8]) {
        self.0.fill_bytes(dst);
    }
}

/// A uniform integer in `0..n` (`n` > 0) by rejection, without modulo bias.
pub(crate) fn uniform(rng: &mut dyn RandomSource, n: u32) -> u32 {
    if n <= 1 {
        return 0;
    }
    let zone = u32::MAX - (u32::MAX % n);
    loop {
        let mut b = [0u8; 4];
        rng.fill_bytes(&mut b);
        let v = u32::from_le_bytes(b);
        if v < zone {
            return v % n;
        }
    }
}

/// A uniform value in `[0, 1)`.
pub(crate) fn unit(rng: &mut dyn RandomSource) -> f64 {
    let mut b = [0u8; 8];
    rng.fill_bytes(&mut b);
    (u64::from_le_bytes(b) >> 11) as f64 / (1u64 << 53) as f64
}

/// When to change pseudonym: once every configured criterion is met (at least `interval`
/// since the last change *and* at least `distance_m` driven), and never while an event is
/// being reported. With neither criterion set the pseudonym never changes.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PseudonymPolicy {
    /// Least time between changes, ms.
    pub interval_ms: Option<u64>,
    /// Least distance driven between changes, m.
    pub distance_m: Option<f64>,
}

impl PseudonymPolicy {
    /// Whether a change is due after `elapsed_ms` and `driven_m` under this pseudonym.
    pub fn due(&self, elapsed_ms: u64, driven_m: f64) -> bool {
        if self.interval_ms.is_none() && self.distance_m.is_none() {
            return false;
        }
        self.interval_ms.is_none_or(|i| elapsed_ms >= i)
            && self.distance_m.is_none_or(|d| driven_m >= d)
    }
}

/// A pseudonym certificate with its signing key.
#[cfg(feature = "security")]
pub struct Credential {
    signer: SpduSigner<Box<dyn SigningBackend + Send>>,
    validity: Validity,
}

#[cfg(feature = "security")]
impl core::fmt::Debug for Credential {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Credential")
            .field("id8", &self.signer.id8())
            .field("validity", &self.validity)
            .finish_non_exhaustive()
    }
}

/// Why a credential was refused.
#[cfg(feature = "security")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialError {
    /// The certificate does not parse, or has no usable key.
    #[error("certificate: {0}")]
    Certificate(crate::security::SecurityError),
    /// The key is not the certificate's.
    #[error("the key is not the certificate's key")]
    KeyMismatch,
}

#[cfg(feature = "security")]
impl Credential {
    /// A credential from a signing key (software, chip or callback) and its COER certificate.
    pub fn new(
        key: Box<dyn SigningBackend + Send>,
        certificate: &[u8],
    ) -> Result<Self, CredentialError> {
        let cert = Certificate::from_bytes(certificate).map_err(CredentialError::Certificate)?;
        if !key_matches_certificate(key.alg(), &key.public_xy(), &cert) {
            return Err(CredentialError::KeyMismatch);
        }
        let signer = SpduSigner::new(key, certificate).map_err(CredentialError::Certificate)?;
        Ok(Credential {
            signer,
            validity: cert.validity,
        })
    }

    /// The signer (certificate, HashedId8, mode).
    pub fn signer(&self) -> &SpduSigner<Box<dyn SigningBackend + Send>> {
        &self.signer
    }

    pub(crate) fn signer_mut(&mut self) -> &mut SpduSigner<Box<dyn SigningBackend + Send>> {
        &mut self.signer
    }

    /// The certificate's validity period.
    pub fn validity(&self) -> Validity {
        self.validity
    }
}

/// The pseudonym certificates the vehicle may sign with.
#[cfg(feature = "security")]
#[derive(Debug, Default)]
pub struct PseudonymPool {
    credentials: Vec<Credential>,
}

#[cfg(feature = "security")]
impl PseudonymPool {
    /// A pool of credentials.
    pub fn new(credentials: Vec<Credential>) -> Self {
        PseudonymPool { credentials }
    }

    /// Number of credentials.
    pub fn len(&self) -> usize {
        self.credentials.len()
    }

    /// Whether the pool is empty.
    pub fn is_empty(&self) -> bool {
        self.credentials.is_empty()
    }

    /// The credential at `i`.
    pub fn get(&self, i: usize) -> Option<&Credential> {
        self.credentials.get(i)
    }

    pub(crate) fn get_mut(&mut self, i: usize) -> Option<&mut Credential> {
        self.credentials.get_mut(i)
    }

    /// A random credential valid at `now`, other than `except`; `None` when there is none.
    pub(crate) fn pick(
        &self,
        now: Timestamp,
        except: Option<usize>,
        rng: &mut dyn RandomSource,
    ) -> Option<usize> {
        let candidates: Vec<usize> = (0..self.credentials.len())
            .filter(|i| Some(*i) != except)
            .filter(|i| {
                self.credentials
                    .get(*i)
                    .is_some_and(|c| c.validity.contains(now))
            })
            .collect();
        let n = u32::try_from(candidates.len()).ok().filter(|n| *n > 0)?;
        candidates.get(uniform(rng, n) as usize).copied()
    }
}

/// The identity in use: temporary id and message counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Identity {
    pub(crate) id: [u8; 8],
    pub(crate) bsm_count: u8,
    pub(crate) ssm_count: u8,
    pub(crate) since: Timestamp,
}

impl Identity {
    /// A fresh random identity from `now`.
    pub(crate) fn random(rng: &mut dyn RandomSource, now: Timestamp) -> Self {
        let mut id = [0u8; 8];
        rng.fill_bytes(&mut id);
        Identity {
            id,
            bsm_count: uniform(rng, 128) as u8,
            ssm_count: uniform(rng, 128) as u8,
            since: now,
        }
    }

    /// The next BSM count (mod 128).
    pub(crate) fn next_bsm(&mut self) -> u8 {
        let c = self.bsm_count;
        self.bsm_count = (c + 1) % 128;
        c
    }

    /// The next SSM count (mod 128).
    pub(crate) fn next_ssm(&mut self) -> u8 {
        let c = self.ssm_count;
        self.ssm_count = (c + 1) % 128;
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_randomness_is_reproducible_and_uniform_enough() {
        let mut a = SeededRandom::new([7; 32]);
        let mut b = SeededRandom::new([7; 32]);
        let mut c = SeededRandom::new([8; 32]);
        let ia = Identity::random(&mut a, Timestamp::EPOCH);
        assert_eq!(ia, Identity::random(&mut b, Timestamp::EPOCH));
        assert_ne!(ia.id, Identity::random(&mut c, Timestamp::EPOCH).id);
        let mut counts = [0u32; 4];
        for _ in 0..4000 {
            counts[uniform(&mut a, 4) as usize] += 1;
        }
        assert!(counts.iter().all(|n| (800..1200).contains(n)), "{counts:?}");
        assert!(
            (0..100)
                .map(|_| unit(&mut a))
                .all(|u| (0.0..1.0).contains(&u))
        );
    }

    #[test]
    fn counters_wrap_at_128() {
        let mut id = Identity {
            id: [0; 8],
            bsm_count: 127,
            ssm_count: 127,
            since: Timestamp::EPOCH,
        };
        assert_eq!((id.next_bsm(), id.next_bsm()), (127, 0));
        assert_eq!((id.next_ssm(), id.next_ssm()), (127, 0));
    }

    #[test]
    fn the_policy_needs_every_configured_criterion() {
        assert!(!PseudonymPolicy::default().due(u64::MAX, f64::MAX));
        let p = PseudonymPolicy {
            interval_ms: Some(300_000),
            distance_m: Some(1000.0),
        };
        assert!(!p.due(300_000, 999.0));
        assert!(!p.due(299_999, 5000.0));
        assert!(p.due(300_000, 1000.0));
        let t = PseudonymPolicy {
            interval_ms: Some(20_000),
            distance_m: None,
        };
        assert!(t.due(20_000, 0.0));
    }
}
