//! Decodes a BSM (a T/CSAE 53-2020 MessageFrame in UPER), prints its JER and checks that it
//! re-encodes to the same bytes: the message codec used without the rest of the stack.
use cv2x::codec::Uper;
use cv2x::codec::jer::Jer;
use cv2x::msg::v2020::MessageFrame;
use std::process::ExitCode;

/// A realistic BSM of a car near Beijing, as a MessageFrame.
const FRAME_HEX: &str = "07e4a84946060606060634244666b756bc5855923788e28a0520006610d04e103d7ae8257c47f8095fe82a59723c0790a178000da3fbf42c50f5091528cd6ead78b0ab0cff11c338403330c4a82dac00000e8cfcf140dae00000ec67878a024100000b23393c515b56000007719b1e28a915000004a8cccf145240800002cc66278a27fac00001a232e3c5136aa00000ef1959e2896c100000868ca0f144915800004ac64c78fffeb41000";

fn unhex(s: &str) -> Option<Vec<u8>> {
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
        .collect()
}

fn main() -> ExitCode {
    let Some(bytes) = unhex(FRAME_HEX) else {
        eprintln!("bad hex");
        return ExitCode::FAILURE;
    };
    let frame = match MessageFrame::decode(&bytes) {
        Ok(MessageFrame::BsmFrame(bsm)) => MessageFrame::BsmFrame(bsm),
        Ok(other) => {
            eprintln!("not a BSM: {other:?}");
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("decode failed: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("{}", frame.to_jer());
    match frame.encode() {
        Ok(again) if again == bytes => ExitCode::SUCCESS,
        Ok(_) => {
            eprintln!("re-encoding differs");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("re-encode failed: {e}");
            ExitCode::FAILURE
        }
    }
}
