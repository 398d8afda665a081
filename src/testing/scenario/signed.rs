//! Signed runs (feature `security`): every message is signed with the test PKI and the stack
//! verifies it, with signatures required ([`RunOptions::signed`]); forged senders (the scenario
//! field `forge`) sign as an attacker would ([`ScenarioSigner`]).
use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::net::aid::DAY1_TABLE;
use crate::security::cert::{KeyAlg, PsidSsp};
use crate::security::sign::SignerMode;
use crate::security::{SecurityError, SpduSigner, Verifier};
use crate::stack::StackConfig;
use crate::testing::pki::{TEST_PKI_SEED, TestPki, test_pair};
use crate::time::Timestamp;

use super::Forge;
use super::build::{MessageSigner, SignFailure};
use super::run::{RunOptions, T0_UNIX_MS};

/// The seed of the other root a forger with an unknown certificate is issued under.
const FORGER_ROOT_SEED: &[u8] = b"cv2x scenario forger root";

/// The signer of signed scenario runs: the test PKI's pseudonym signs every honest message
/// (by digest), and forged senders sign as [`Forge`] says:
///
/// - [`Forge::BadSignature`]: the honest pseudonym's SPDU with the last octet of the signature
///   flipped;
/// - [`Forge::UnknownCertificate`]: a pseudonym issued under another root
///   ([`TestPki`] from another seed), its certificate in the message;
/// - [`Forge::RevokedCertificate`]: a pseudonym issued by the test PKI's CA, its certificate in
///   the message, which the verifier of [`RunOptions::signed`] has revoked.
pub struct ScenarioSigner {
    honest: SpduSigner,
    unknown: SpduSigner,
    revoked: SpduSigner,
}

impl core::fmt::Debug for ScenarioSigner {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ScenarioSigner")
            .field("honest", &self.honest)
            .finish_non_exhaustive()
    }
}

impl ScenarioSigner {
    /// The signers for `alg`, valid around `now`, and the verifier that trusts the test PKI
    /// and has revoked the forger's certificate.
    pub fn with_verifier(alg: KeyAlg, now: Timestamp) -> Result<(Self, Verifier), SecurityError> {
        let (honest, mut verifier) = test_pair(alg, now)?;
        let aids: Vec<u64> = DAY1_TABLE.iter().map(|(a, _)| u64::from(a.0)).collect();
        let mut unknown = TestPki::new(alg, FORGER_ROOT_SEED, now)?.signer(&aids)?;
        unknown.set_mode(SignerMode::Certificate);
        let pki = TestPki::new(alg, TEST_PKI_SEED, now)?;
        let key = pki.key("revoked pseudonym")?;
        let mut t = pki.template(&key, Some(pki.ca_cert()));
        t.fields.app_permissions = aids
            .iter()
            .map(|&psid| PsidSsp { psid, ssp: None })
            .collect();
        let mut revoked = SpduSigner::new(key.clone(), &pki.issue_by_ca(&t, &key)?)?;
        revoked.set_mode(SignerMode::Certificate);
        verifier.revoke(revoked.id8());
        Ok((
            ScenarioSigner {
                honest,
                unknown,
                revoked,
            },
            verifier,
        ))
    }
}

impl MessageSigner for ScenarioSigner {
    fn sign(&mut self, payload: &[u8], aid: u32, at: Timestamp) -> Result<Vec<u8>, SignFailure> {
        self.honest
            .sign(payload, u64::from(aid), at)
            .map_err(|_| SignFailure)
    }

    fn sign_forged(
        &mut self,
        payload: &[u8],
        aid: u32,
        at: Timestamp,
        forge: Forge,
    ) -> Result<Vec<u8>, SignFailure> {
        let signer = match forge {
            Forge::BadSignature => {
                let mut spdu = self.sign(payload, aid, at)?;
                // The SPDU ends with the signature's `s`.
                let last = spdu.last_mut().ok_or(SignFailure)?;
                *last ^= 0x01;
                return Ok(spdu);
            }
            Forge::UnknownCertificate => &self.unknown,
            Forge::RevokedCertificate => &self.revoked,
        };
        signer
            .sign(payload, u64::from(aid), at)
            .map_err(|_| SignFailure)
    }
}

impl RunOptions {
    /// Options for a signed run: the test PKI for `alg` (ECDSA P-256 or SM2), valid at the
    /// scenario's start, signs every message (digest signer, generation time = send time) and
    /// the stack verifies it; unsigned messages are dropped (`require_signatures`). Forged
    /// senders sign through [`ScenarioSigner`]. Signatures are verified before use
    /// ([`VerifyPolicy::Always`](crate::stack::VerifyPolicy::Always); see
    /// [`RunOptions::with_verify_policy`]).
    pub fn signed(alg: KeyAlg) -> Result<Self, SecurityError> {
        let t0 = Timestamp::from_unix_utc_millis(T0_UNIX_MS);
        let (signer, verifier) = ScenarioSigner::with_verifier(alg, t0)?;
        Ok(RunOptions {
            config: Some(StackConfig::default().with_require_signatures(true)),
            signer: Some(Box::new(signer)),
            verifier: Some(Box::new(verifier)),
            host: None,
            message_set: None,
        })
    }
}
