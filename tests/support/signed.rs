//! What the signed-stack tests share: the algorithms, the BSM AID, the place and the clock.
#![allow(dead_code)]

use cv2x::geo::{EnuFrame, Wgs84};
use cv2x::security::cert::KeyAlg;
use cv2x::time::Timestamp;

/// Both signature algorithms.
pub const ALGS: [KeyAlg; 2] = [KeyAlg::EcdsaP256, KeyAlg::Sm2];
/// The BSM AID.
pub const BSM_AID: u64 = 111;

/// The origin of the tests' ENU frame.
pub const ORIGIN: Wgs84 = Wgs84 {
    lat_deg: 31.2,
    lon_deg: 121.5,
    alt_m: 0.0,
};

/// `s` seconds after 2026-03-01 08:00:00 UTC.
pub fn t(s: f64) -> Timestamp {
    Timestamp::from_unix_utc_millis(1_772_352_000_000).add_micros((s * 1e6).round() as i64)
}

/// The WGS-84 position of ENU (x, y) around [`ORIGIN`].
pub fn at(x: f64, y: f64) -> Wgs84 {
    EnuFrame::new(ORIGIN)
        .unwrap()
        .wgs84_from_enu(&nalgebra::Vector3::new(x, y, 0.0))
}
