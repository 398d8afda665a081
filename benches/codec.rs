//! UPER decode and encode of realistic messages (the `realistic` conformance records), with
//! throughput in bytes.
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use cv2x::codec::Uper;
use cv2x::msg::v2020::{
    BasicSafetyMessage, MapData, RoadSideInformation, RoadsideSafetyMessage, SPAT, SensorSharingMsg,
};

/// The `realistic` record of `ty` from the committed vectors, as bytes.
fn realistic(folder: &str, ty: &str) -> Option<Vec<u8>> {
    let path = format!(
        "{}/tests/vectors/{folder}/{ty}.jsonl",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).ok()?;
    text.lines()
        .find(|l| l.contains("\"kind\":\"realistic\""))
        .and_then(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .and_then(|v| v["uper_hex"].as_str().map(str::to_owned))
        .map(|h| {
            (0..h.len())
                .step_by(2)
                .filter_map(|i| u8::from_str_radix(&h[i..i + 2], 16).ok())
                .collect()
        })
}

fn bench_type<T: Uper>(c: &mut Criterion, name: &str, folder: &str, ty: &str) {
    let Some(bytes) = realistic(folder, ty) else {
        eprintln!("codec bench: no realistic {ty} in tests/vectors/{folder}");
        return;
    };
    let value = T::decode(&bytes).expect("realistic record decodes");
    let mut g = c.benchmark_group(format!("codec/{name}"));
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("decode", |b| {
        b.iter(|| T::decode(black_box(&bytes)).expect("decodes"))
    });
    let mut buf = vec![0u8; bytes.len() + 64];
    g.bench_function("encode", |b| {
        b.iter(|| black_box(&value).encode_into(&mut buf).expect("encodes"))
    });
    g.finish();
}

fn codec(c: &mut Criterion) {
    bench_type::<BasicSafetyMessage>(c, "bsm", "csae53_2020", "BasicSafetyMessage");
    bench_type::<MapData>(c, "map", "csae53_2020", "MapData");
    bench_type::<SPAT>(c, "spat", "csae53_2020", "SPAT");
    bench_type::<RoadsideSafetyMessage>(c, "rsm", "csae53_2020", "RoadsideSafetyMessage");
    bench_type::<RoadSideInformation>(c, "rsi", "csae53_2020", "RoadSideInformation");
    bench_type::<SensorSharingMsg>(c, "ssm", "csae157_2020_dayII", "SensorSharingMsg");
}

criterion_group!(benches, codec);
criterion_main!(benches);
