//! Tools for tests, simulation, lab setups and benchmarks (feature `testing`): the scenario
//! runner, a deterministic test PKI and the conformance-vector helpers. They are not part of
//! the product API: nothing in the stack depends on them, and their keys are derived from
//! public seeds.
//!
//! | module | owns |
//! |---|---|
//! | [`scenario`] | scenario files → simulated road users → messages → [`Stack`](crate::Stack) → expectations |
//! | [`picture`] | SVG pictures of a run: map view, warnings timeline, legend |
//! | [`pki`] | root → CA → pseudonym chains for ECDSA P-256 and SM2, a matched signer and verifier |
//! | [`conform`] | reading and checking the conformance vectors |
pub mod picture;
pub mod pki;
pub mod scenario;

pub use crate::msg::conform;
