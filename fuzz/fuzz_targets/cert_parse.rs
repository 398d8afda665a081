//! IEEE 1609.2 / GB/T 45112 certificate parsing on arbitrary bytes: never panics; whatever parses
//! keeps its exact bytes, its to-be-signed span lies inside them, and loading it as a trust
//! anchor (which checks a self-signature) never panics either.
#![no_main]

use cv2x::security::cert::Certificate;
use cv2x::security::{Config, Verifier};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(cert) = Certificate::from_bytes(data) {
        assert_eq!(cert.bytes(), data);
        let tbs = cert.tbs();
        assert!(!tbs.is_empty() && tbs.len() < data.len());
        assert!(data.windows(tbs.len()).any(|w| w == tbs));
        assert_eq!(Certificate::from_bytes(cert.bytes()).as_ref(), Ok(&cert));
        let _ = cert.public_key();
        let _ = Verifier::new(Config::default()).add_trust_anchor(data);
    }
});
