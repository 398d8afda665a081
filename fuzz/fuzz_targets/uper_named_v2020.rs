//! Arbitrary bytes as any type of the 2020 set (the first two bytes pick the type): see
//! `common/named.rs`.
#![no_main]
#[path = "common/named.rs"]
mod named;

use cv2x::msg::Standard;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| named::check(Standard::Csae53_2020, data));
