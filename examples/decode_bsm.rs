//! Quickstart: decode a built-in BSM (a MessageFrame in UPER, T/CSAE 53-2020) and print it.
//!
//! `cargo run --example decode_bsm`
use cv2x::codec::Uper;
use cv2x::msg::v2020::{BasicSafetyMessage, MessageFrame};

/// A realistic BSM of a car near Beijing, as a MessageFrame.
const FRAME_HEX: &str = "07e4a84946060606060634244666b756bc5855923788e28a0520006610d04e103d7ae8257c47f8095fe82a59723c0790a178000da3fbf42c50f5091528cd6ead78b0ab0cff11c338403330c4a82dac00000e8cfcf140dae00000ec67878a024100000b23393c515b56000007719b1e28a915000004a8cccf145240800002cc66278a27fac00001a232e3c5136aa00000ef1959e2896c100000868ca0f144915800004ac64c78fffeb41000";

fn main() {
    let bytes: Vec<u8> = (0..FRAME_HEX.len())
        .step_by(2)
        .filter_map(|i| u8::from_str_radix(&FRAME_HEX[i..i + 2], 16).ok())
        .collect();
    let frame = match MessageFrame::decode(&bytes) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("decode failed: {e}");
            std::process::exit(1);
        }
    };
    let MessageFrame::BsmFrame(bsm) = &frame else {
        eprintln!("not a BSM: {frame:?}");
        std::process::exit(1);
    };
    print_bsm(bsm);
    match frame.encode() {
        Ok(again) if again == bytes => println!("re-encoded: {} octets, identical", again.len()),
        Ok(_) => println!("re-encoded: differs"),
        Err(e) => println!("re-encode failed: {e}"),
    }
}

fn print_bsm(bsm: &BasicSafetyMessage) {
    let id: String = bsm.id.iter().map(|b| format!("{b:02x}")).collect();
    println!("BSM from vehicle {id} (message count {})", bsm.msg_cnt);
    println!(
        "  position   {:.7}°N {:.7}°E, elevation {}",
        f64::from(bsm.pos.lat) * 1e-7,
        f64::from(bsm.pos.long) * 1e-7,
        bsm.pos.elevation.map_or("unavailable".into(), |e| format!(
            "{:.1} m",
            f64::from(e) * 0.1
        ))
    );
    println!(
        "  speed      {:.2} m/s ({:.1} km/h)",
        f64::from(bsm.speed) * 0.02,
        f64::from(bsm.speed) * 0.02 * 3.6
    );
    println!(
        "  heading    {:.4}° (0 = north, clockwise)",
        f64::from(bsm.heading) * 0.0125
    );
    println!(
        "  size       {:.2} m x {:.2} m",
        f64::from(bsm.size.length) * 0.01,
        f64::from(bsm.size.width) * 0.01
    );
    println!("  gear       {}", bsm.transmission.as_str());
    println!("  ms in min  {}", bsm.sec_mark);
}
