//! Signed runs (feature `security`): every message is signed with the test PKI and the stack
//! verifies it, with signatures required ([`RunOptions::signed`]).
use alloc::boxed::Box;

use crate::security::SecurityError;
use crate::security::cert::KeyAlg;
use crate::stack::StackConfig;
use crate::testing::pki::test_pair;
use crate::time::Timestamp;

use super::run::{RunOptions, T0_UNIX_MS};

impl RunOptions {
    /// Options for a signed run: the test PKI for `alg` (ECDSA P-256 or SM2), valid at the
    /// scenario's start, signs every message (digest signer, generation time = send time) and
    /// the stack verifies it; unsigned messages are dropped (`require_signatures`).
    pub fn signed(alg: KeyAlg) -> Result<Self, SecurityError> {
        let (signer, verifier) = test_pair(alg, Timestamp::from_unix_utc_millis(T0_UNIX_MS))?;
        Ok(RunOptions {
            config: Some(StackConfig::default().with_require_signatures(true)),
            signer: Some(Box::new(signer)),
            verifier: Some(Box::new(verifier)),
            host: None,
            message_set: None,
        })
    }
}
