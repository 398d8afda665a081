//! Uses the codec from a `no_std` crate: decode a UPER `MessageFrame`, read the BSM, encode it
//! back into a caller buffer.
#![no_std]

use cv2x::codec::Uper;
use cv2x::msg::v2020::MessageFrame;

/// Decodes `uper` and, for a BSM, re-encodes it into `out`; returns (latitude in 1e-7 degree,
/// octets written), or `None` when `uper` is not a valid BSM frame or `out` is too small.
pub fn bsm_latitude_and_reencode(uper: &[u8], out: &mut [u8]) -> Option<(i32, usize)> {
    match MessageFrame::decode(uper).ok()? {
        MessageFrame::BsmFrame(b) => {
            let lat = b.pos.lat;
            let n = MessageFrame::BsmFrame(b).encode_into(out).ok()?;
            Some((lat, n))
        }
        _ => None,
    }
}
