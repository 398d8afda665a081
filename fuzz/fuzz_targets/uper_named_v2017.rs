//! Arbitrary bytes as any SEQUENCE/CHOICE type of the 2017 set (the first byte picks the type):
//! decode never panics; a decoded value's JER parses back and encodes to the same bytes as the
//! value itself (values carrying unknown extensions have no JER form and are skipped).
#![no_main]
use cv2x::msg::Standard;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let types = Standard::Csae53_2017.types();
    let ty = types[usize::from(sel) % types.len()];
    if let Ok(Some((jer, bytes))) = Standard::Csae53_2017.decode_named(ty, rest) {
        if jer.to_string().contains("$unknownExtension") {
            return;
        }
        let from_jer = Standard::Csae53_2017
            .encode_named(ty, &jer)
            .expect("JER of a decoded value parses and encodes");
        assert_eq!(from_jer, Some(bytes));
    }
});
