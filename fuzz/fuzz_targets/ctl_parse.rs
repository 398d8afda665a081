//! Trust-list (TDCL) parsing and verification on arbitrary bytes: never panics; whatever parses
//! is exactly its parts (the signed bytes are a prefix of the input, every certificate a slice of
//! it at its offset, and re-encoding the parsed fields gives the signed bytes back), and loading
//! it against the two real roots at a fixed time never panics either.
#![no_main]

use std::sync::{Mutex, OnceLock};

use cv2x::security::ctl::Ctl;
use cv2x::security::{Config, Verifier};
use cv2x::time::Timestamp;
use libfuzzer_sys::fuzz_target;

/// 2021-01-01T00:00:00Z, when both real roots are valid.
fn now() -> Timestamp {
    Timestamp::from_unix_utc_millis(1_609_459_200_000)
}

fn verifier() -> &'static Mutex<Verifier> {
    static V: OnceLock<Mutex<Verifier>> = OnceLock::new();
    V.get_or_init(|| {
        let mut v = Verifier::new(Config::default());
        for root in [
            &include_bytes!("../../tests/data/real/wanji_obu_pki_sm2/certs/RCA.oer")[..],
            &include_bytes!(
                "../../tests/data/real/wanji_obu_pki_sm2/ctl_extracted/cicv_5883_rootca.china-icv.cn.coer"
            )[..],
        ] {
            v.add_trust_anchor(root).expect("real root");
        }
        Mutex::new(v)
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(ctl) = Ctl::parse(data) {
        assert!(data.starts_with(ctl.tbs()));
        assert!(ctl.tbs().len() < data.len());
        for (_, e) in ctl.entries() {
            assert_eq!(data.get(e.offset..e.offset + e.bytes.len()), Some(e.bytes));
            assert!(e.certificate().is_ok());
        }
        let template = ctl.to_template();
        assert_eq!(template.encode_tbs(), ctl.tbs());
    }
    let Ok(mut v) = verifier().lock() else {
        return;
    };
    if let Ok(load) = v.load_ctl(data, now()) {
        assert!(Ctl::parse(data).is_ok());
        assert!(load.added() + load.rejected() <= load.entries.len());
    }
});
