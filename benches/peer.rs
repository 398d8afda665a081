//! The Rust side of `benches/peer/run.sh`: decode + encode of the same realistic encodings the
//! asn1c harness times. Prints `cv2x NAME NS_PER_OP` per message.
use std::hint::black_box;
use std::time::Instant;

use cv2x::codec::Uper;
use cv2x::msg::v2020::{BasicSafetyMessage, MapData, RoadsideSafetyMessage, SPAT};

fn realistic(ty: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/vectors/csae53_2020/{ty}.jsonl",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("vector file");
    let line = text
        .lines()
        .find(|l| l.contains("\"kind\":\"realistic\""))
        .expect("a realistic record");
    let start = line.find("\"uper_hex\":\"").expect("uper_hex") + 12;
    let hex = &line[start..start + line[start..].find('"').expect("end of hex")];
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
        .collect()
}

/// How long to time each message, in nanoseconds: `PEER_TARGET_NS`, else one second.
fn target_ns() -> f64 {
    std::env::var("PEER_TARGET_NS")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|t| *t > 0.0)
        .unwrap_or(1e9)
}

fn time<T: Uper>(name: &str, ty: &str) {
    let bytes = realistic(ty);
    let mut out = vec![0u8; bytes.len() + 64];
    let round_trip = |out: &mut [u8]| {
        let v = T::decode(black_box(&bytes)).expect("decodes");
        v.encode_into(out).expect("encodes")
    };
    assert_eq!(round_trip(&mut out), bytes.len());
    let mut iters: u64 = 1000;
    loop {
        let t0 = Instant::now();
        for _ in 0..iters {
            black_box(round_trip(&mut out));
        }
        let dt = t0.elapsed().as_nanos() as f64;
        if dt > target_ns() || iters > 100_000_000 {
            println!("cv2x {name} {:.1}", dt / iters as f64);
            break;
        }
        iters *= if dt < 1e8 { 10 } else { 2 };
    }
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is accepted.
    time::<BasicSafetyMessage>("BSM", "BasicSafetyMessage");
    time::<SPAT>("SPAT", "SPAT");
    time::<MapData>("MAP", "MapData");
    time::<RoadsideSafetyMessage>("RSM", "RoadsideSafetyMessage");
}
