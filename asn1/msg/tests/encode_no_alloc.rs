//! `encode_into` does not allocate (a counting global allocator proves it).
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use cv2x_msg::codec::Uper;
use cv2x_msg::v2020::MessageFrame;

struct Counting;
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::SeqCst);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) }
    }
}

#[global_allocator]
static A: Counting = Counting;

#[test]
fn encode_into_allocates_nothing() {
    let text = include_str!("../../../tests/vectors/csae53_2020/MessageFrame.jsonl");
    let line = text
        .lines()
        .find(|l| l.contains("\"kind\":\"realistic\"") && l.contains("bsmFrame"))
        .unwrap();
    let start = line.find("\"uper_hex\":\"").unwrap() + 12;
    let hex = &line[start..start + line[start..].find('"').unwrap()];
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    let frame = MessageFrame::decode(&bytes).unwrap();
    let mut buf = [0u8; 2048];
    let before = ALLOCS.load(Ordering::SeqCst);
    let n = frame.encode_into(&mut buf).unwrap();
    let after = ALLOCS.load(Ordering::SeqCst);
    assert_eq!(after - before, 0);
    assert_eq!(&buf[..n], &bytes[..]);
}
