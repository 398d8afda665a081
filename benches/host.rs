//! Host-vehicle benchmarks: the cost of one transmitted BSM, from a vehicle state in to the
//! DSMP packet out, on a curve (so the path history and prediction work every sample).
//!
//! - `host/bsm/unsigned`: `update` + `poll` for one state: path history, prediction, UPER
//!   encoding, DSMP framing.
//! - `host/bsm/{p256,sm2}`: the same, signed by a pseudonym of the test PKI (feature
//!   `testing`; the whole certificate once a second, the digest in between).
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use cv2x::geo::Wgs84;
use cv2x::host::{GnssFix, HostConfig, HostVehicle, SeededRandom, VehicleState};
use cv2x::time::Timestamp;

fn t0() -> Timestamp {
    Timestamp::from_unix_utc_millis(1_767_225_600_000)
}

/// The state at sample `k` on a 100 m right-hand curve at 15 m/s, 10 Hz.
fn state(k: u64) -> VehicleState {
    let t = t0().add_millis(100 * k as i64);
    let a = 0.15 * 0.1 * k as f64;
    let w = Wgs84::new(31.2, 121.5, 0.0)
        .offset_enu(100.0 * (1.0 - a.cos()), 100.0 * a.sin(), 0.0)
        .expect("on the curve");
    VehicleState {
        gnss: Some(GnssFix::new(t, w.lat_deg, w.lon_deg)),
        speed_mps: Some(15.0),
        heading_deg: Some(a.to_degrees().rem_euclid(360.0)),
        yaw_rate_dps: Some(0.15f64.to_degrees()),
        accel_long_mps2: Some(0.0),
        ..VehicleState::at(t)
    }
}

fn run(c: &mut Criterion, name: &str, mut host: HostVehicle) {
    // a full path history first
    let mut k = 0u64;
    for _ in 0..300 {
        host.update(state(k)).expect("state");
        while host.poll(state(k).time).expect("poll").is_some() {}
        k += 1;
    }
    let mut g = c.benchmark_group("host/bsm");
    g.throughput(Throughput::Elements(1));
    g.bench_function(name, |b| {
        b.iter(|| {
            let s = state(k);
            let t = s.time;
            host.update(s).expect("state");
            let tx = host.poll(t).expect("poll").expect("a BSM");
            k += 1;
            tx.dsmp.len()
        })
    });
    g.finish();
}

fn host() -> HostVehicle {
    HostVehicle::new(HostConfig::default(), Box::new(SeededRandom::new([3; 32]))).expect("config")
}

fn unsigned(c: &mut Criterion) {
    run(c, "unsigned", host());
}

#[cfg(feature = "testing")]
fn signed(c: &mut Criterion) {
    use cv2x::host::{Credential, PseudonymPool};
    use cv2x::security::cert::KeyAlg;
    use cv2x::testing::pki::TestPki;
    for (alg, name) in [(KeyAlg::EcdsaP256, "p256"), (KeyAlg::Sm2, "sm2")] {
        let pki = TestPki::new(alg, b"bench", t0()).expect("test PKI");
        let s = pki.signer(&[111, 112]).expect("signer");
        let cred = Credential::new(Box::new(s.key().clone()), s.certificate()).expect("credential");
        let mut h = host();
        h.set_pseudonym_pool(PseudonymPool::new(vec![cred]));
        run(c, name, h);
    }
}

#[cfg(not(feature = "testing"))]
fn signed(_: &mut Criterion) {}

criterion_group!(benches, unsigned, signed);
criterion_main!(benches);
