//! Arbitrary bytes as a T/CSAE 53-2017 MessageFrame: decode never panics, and whatever
//! decodes re-encodes to a value that decodes to the same thing.
#![no_main]
use cv2x::codec::Uper;
use cv2x::msg::v2017::MessageFrame;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(v) = MessageFrame::decode(data) {
        let bytes = v.encode().expect("a decoded value encodes");
        let again = MessageFrame::decode(&bytes).expect("an encoding decodes");
        assert_eq!(again, v);
        assert_eq!(again.encode().expect("re-encode"), bytes);
    }
});
