//! The table verifiers of `cv2x::security::precomp` against the references on fuzzer-chosen
//! keys, digests and signatures: SM2 (a key with its table, and a key without, which takes
//! the per-call table) against RustCrypto `sm2`; ECDSA P-256 against `ring`. Every verdict
//! must agree.
//!
//! Input: a flag octet, then 32 octets of key material, 32 of digest and 64 of signature.
//! Flags: bit 0 P-256 (else SM2); bit 1 the key is d·G for the key material as a private
//! scalar (else the material is x with the y parity of bit 2); bit 3 the signature octets are
//! an XOR mask over a valid signature by that private key (else r ‖ s themselves); bit 4 the
//! key has its table (else the per-call path).
#![no_main]

use cv2x::security::cert::{CurvePoint, KeyAlg};
use cv2x::security::crypto::{Backend, P256Verifier, Sm2Verifier, SoftwareBackend};
use cv2x::security::precomp::TablePolicy;
use cv2x::security::sign::PrivateKey;
use libfuzzer_sys::fuzz_target;

fn arr32(b: &[u8]) -> Option<[u8; 32]> {
    b.try_into().ok()
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    if rest.len() < 160 {
        return;
    }
    let (material, rest) = rest.split_at(32);
    let (digest, sig) = rest.split_at(32);
    let (Some(material), Some(digest), Some(mut r), Some(mut s)) = (
        arr32(material),
        arr32(digest),
        arr32(&sig[..32]),
        arr32(&sig[32..64]),
    ) else {
        return;
    };
    let alg = if flags & 1 == 1 {
        KeyAlg::EcdsaP256
    } else {
        KeyAlg::Sm2
    };
    let b = SoftwareBackend::default();
    // the digest input: SM2 e = the digest octets, P-256 the 64 octets digest ‖ digest; for a
    // masked valid signature, what signing `digest` with signer input `digest` signs
    let mut e = digest;
    let mut msg = [0u8; 64];
    msg[..32].copy_from_slice(&digest);
    msg[32..].copy_from_slice(&digest);
    let point = if flags & 2 == 2 {
        let Ok(k) = PrivateKey::from_bytes(alg, &material) else {
            return;
        };
        if flags & 8 == 8 {
            // a valid signature of this digest, masked by the signature octets
            let Ok(sig) = k.sign(&digest, &digest) else {
                return;
            };
            for (v, m) in sig.r.iter().zip(&mut r) {
                *m ^= v;
            }
            for (v, m) in sig.s.iter().zip(&mut s) {
                *m ^= v;
            }
            e = b.sm3(&[&digest, &digest]);
            msg[..32].copy_from_slice(&b.sha256(&[&digest]));
        }
        k.public_key().point
    } else if flags & 4 == 4 {
        CurvePoint::CompressedY1(material)
    } else {
        CurvePoint::CompressedY0(material)
    };
    let Ok(key) = b.prepare_key(alg, &point) else {
        return;
    };
    let Ok(reference_key) = b.prepare_key(alg, &point) else {
        panic!("a key prepares once and not twice");
    };
    let tables = SoftwareBackend {
        sm2: Sm2Verifier::Precomputed,
        p256: P256Verifier::TablesOnly,
        tables: TablePolicy::NEVER,
    };
    if flags & 16 == 16 {
        assert!(key.precompute());
    }
    match alg {
        KeyAlg::Sm2 => {
            let got = tables.verify_sm2(&key, &e, &r, &s);
            let want = SoftwareBackend::with_sm2(Sm2Verifier::RustCrypto).verify_sm2(
                &reference_key,
                &e,
                &r,
                &s,
            );
            assert_eq!(got, want, "SM2 tables {} vs RustCrypto", flags & 16);
        }
        _ => {
            let got = tables.verify_p256(&key, &msg, &r, &s);
            let ring = SoftwareBackend {
                p256: P256Verifier::Ring,
                ..SoftwareBackend::default()
            };
            let want = ring.verify_p256(&reference_key, &msg, &r, &s);
            assert_eq!(got, want, "P-256 tables {} vs ring", flags & 16);
        }
    }
    assert_eq!(key.table_bytes() > 0, flags & 16 == 16);
});
