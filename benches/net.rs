//! Network-layer benchmarks.
//!
//! `net/dsmp_parse_dispatch`: DSMP header check + AID lookup + payload classification for a
//! batch of packets (a realistic mix of BSM, MAP, SPAT, RSI and RSM AIDs, some signed, some with
//! extension elements), reported as packets per second.
use criterion::{BatchSize, Criterion, Throughput, black_box, criterion_group, criterion_main};
use cv2x::net::dsmp::{Element, Extensions, Repr};
use cv2x::net::{Dispatcher, aid};

fn packets() -> Vec<Vec<u8>> {
    let plain: Vec<u8> = (0..120u8).collect();
    let mut signed = vec![0x03, 0x81];
    signed.extend((0..180u8).map(|i| i.wrapping_mul(3)));
    let tx_power = [Element {
        id: 4,
        value: &[20],
    }];
    let aids = [
        aid::BSM_ORDINARY_PERIODIC,
        aid::BSM_ORDINARY_EVENT,
        aid::MAP,
        aid::SPAT,
        aid::RSI_STATIC,
        aid::RSM,
        aid::BSM_SPECIAL_PERIODIC,
        aid::BSM_AFTERMARKET,
    ];
    let mut out = Vec::new();
    for (i, aid) in aids.iter().cycle().take(64).enumerate() {
        let payload = if i % 3 == 0 { &signed } else { &plain };
        let extensions = (i % 4 == 0).then_some(Extensions::List(&tx_power));
        let repr = Repr {
            extensions,
            aid: *aid,
            payload,
        };
        out.push(repr.to_vec().expect("valid packet"));
    }
    out
}

fn dsmp_parse_dispatch(c: &mut Criterion) {
    let packets = packets();
    let mut group = c.benchmark_group("net");
    group.throughput(Throughput::Elements(packets.len() as u64));
    group.bench_function("dsmp_parse_dispatch", |b| {
        b.iter_batched_ref(
            Dispatcher::new,
            |dispatcher| {
                let mut bytes = 0usize;
                for p in &packets {
                    if let Ok(d) = dispatcher.dispatch(black_box(p)) {
                        bytes += d.payload.len() + d.class as usize + d.kind as usize;
                    }
                }
                black_box(bytes)
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, dsmp_parse_dispatch);
criterion_main!(benches);
