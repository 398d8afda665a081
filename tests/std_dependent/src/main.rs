//! Decodes a minimal BSM frame (36 zero octets) and prints its message counter and latitude.
use cv2x::codec::Uper;
use cv2x::msg::v2020::MessageFrame;

fn main() {
    let bytes = [0u8; 36];
    match MessageFrame::decode(&bytes) {
        Ok(MessageFrame::BsmFrame(b)) => println!("BSM msgCnt {} lat {}", b.msg_cnt, b.pos.lat),
        Ok(other) => println!("not a BSM: {other:?}"),
        Err(e) => {
            eprintln!("rejected: {e}");
            std::process::exit(1);
        }
    }
}
