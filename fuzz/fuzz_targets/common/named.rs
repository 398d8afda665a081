//! The check of the `uper_named_*` targets, shared by the message sets.
use cv2x::msg::Standard;

/// Arbitrary bytes as any type of `std` (the first two bytes, big-endian, pick the type): decode
/// never panics; a decoded value's JER (unknown extensions included) parses back and encodes to
/// the same bytes as the value itself.
pub fn check(std: Standard, data: &[u8]) {
    let [hi, lo, rest @ ..] = data else {
        return;
    };
    let types = std.types();
    let ty = types[usize::from(u16::from_be_bytes([*hi, *lo])) % types.len()];
    if let Ok(Some((jer, bytes))) = std.decode_named(ty, rest) {
        let from_jer = std
            .encode_named(ty, &jer)
            .expect("JER of a decoded value parses and encodes");
        assert_eq!(from_jer, Some(bytes));
    }
}
