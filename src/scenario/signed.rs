//! Signed runs (feature `security`): every message is signed with the test PKI and the stack
//! verifies it, with signatures required ([`RunOptions::signed`]).
use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::security::SecurityError;
use crate::security::cert::KeyAlg;
use crate::security::sign::SigningBackend;
use crate::stack::Config;
use crate::stack_security::{SecuredSigner, test_pair};
use crate::time::Timestamp;

use super::build::{MessageSigner, SignFailure};
use super::run::{RunOptions, T0_UNIX_MS};

impl<K: SigningBackend> MessageSigner for SecuredSigner<K> {
    fn sign(&mut self, payload: &[u8], aid: u32, at: Timestamp) -> Result<Vec<u8>, SignFailure> {
        self.sign_frame(payload, aid, at).map_err(|_| SignFailure)
    }
}

impl RunOptions {
    /// Options for a signed run: the test PKI for `alg` (ECDSA P-256 or SM2), valid at the
    /// scenario's start, signs every message (digest signer, generation time = send time) and
    /// the stack verifies it; unsigned messages are dropped (`require_signatures`).
    pub fn signed(alg: KeyAlg) -> Result<Self, SecurityError> {
        let (signer, verifier) = test_pair(alg, Timestamp::from_unix_utc_millis(T0_UNIX_MS))?;
        Ok(RunOptions {
            config: Some(Config {
                require_signatures: true,
                ..Config::default()
            }),
            signer: Some(Box::new(signer)),
            verifier: Some(Box::new(verifier)),
        })
    }
}
