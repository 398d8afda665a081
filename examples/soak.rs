//! Soak: the whole stack under a dense signed load with faults, for as long as asked, with its
//! figures each minute and at the end.
//!
//! ```text
//! cargo run --release --example soak --features testing -- --minutes N [--alg sm2|p256]
//!     [--verify on-demand|always] [--report-s S]
//! ```
//!
//! Load: a dense intersection (four 400 m roads), 100 vehicle slots sending signed BSMs at
//! 10 Hz (each vehicle with its own pseudonym certificate of the test PKI, carried in its first
//! message after it appears and every tenth one, its digest otherwise), 4 RSUs sending RSM and
//! SPAT at 10 Hz and MAP at 1 Hz, and the ego driving through on the air (a host vehicle with
//! a pseudonym: its signed BSMs are collected each poll). Simulated time runs as fast as the
//! machine allows, 100 ms per step.
//!
//! Faults: duplicates (1 %), reordering (1 %: delivered one step late), truncated (0.5 %) and
//! bit-flipped (0.5 %) packets, unsigned frames (0.2 %) and oversized packets (0.1 %); every
//! 20 s of simulated time the stack's clock jumps 5 s forward or 3 s back for half a second;
//! every 30 s from 10 s on a burst of ten times the load for one second (900 more vehicles,
//! each new, three on each pseudonym of the pool); a
//! vehicle leaves with probability 0.2 % per step and comes back 1 to 20 s later with a new
//! temporary id and another pseudonym.
//!
//! Each report: resident memory (from `/proc/self/statm`, resident pages times the kernel page
//! size of `/proc/self/smaps`), every store's usage against its bound, the counters, and the
//! checks: `received = accepted + dropped`, the stack's counts equal this driver's own tally of
//! ingest results, the injected unsigned and oversized packets are counted as such, every
//! store within its bound, the tracker's tables unchanged in size and its invariants held.
//! Nothing may panic. At the end, the resident memory must be within 5 % of its value at the
//! first report (the exit code says whether every check held); by the first minute every kind
//! of load has run (the first burst comes at 10 s, the first clock jumps at 20 and 40 s).
use std::sync::{Arc, Mutex};
use std::time::Instant;

use cv2x::VehicleState;
use cv2x::codec::Uper;
use cv2x::geo::{EnuFrame, Wgs84};
use cv2x::host::{Credential, HostConfig, HostVehicle, PseudonymPool, SeededRandom};
use cv2x::msg::v2020 as m;
use cv2x::net::aid::DAY1_TABLE;
use cv2x::security::cert::{KeyAlg, PsidSsp};
use cv2x::security::sign::SignerMode;
use cv2x::security::{Config, SpduSigner, Verifier};
use cv2x::stack::{
    RxMeta, SpduVerifier, Stack, StackConfig, StackCounters, Verified, VerifyFailure, VerifyPolicy,
};
use cv2x::testing::pki::{TEST_PKI_SEED, TestPki};
use cv2x::testing::scenario::build::{self, Participant, VehicleInfo};
use cv2x::testing::scenario::{Kind, MotionState, Signal};
use cv2x::time::Timestamp;
use cv2x::world::Light;

const ORIGIN: Wgs84 = Wgs84 {
    lat_deg: 31.2,
    lon_deg: 121.5,
    alt_m: 0.0,
};
const SLOTS: usize = 100;
const BURST: usize = 900;
const RSUS: usize = 4;
const POOL: usize = 300;
const ROAD_M: f64 = 400.0;
const SPEED: f64 = ROAD_M * 2.0 / 60.0;
const STEP_MS: i64 = 100;

/// xorshift64*: the faults and the traffic are reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// The verifier shared with the driver, so its cache can be reported.
struct Shared(Arc<Mutex<Verifier>>);

impl SpduVerifier for Shared {
    fn verify<'a>(
        &mut self,
        spdu: &'a [u8],
        now: Timestamp,
    ) -> Result<Verified<'a>, VerifyFailure> {
        match self.0.lock() {
            Ok(mut v) => SpduVerifier::verify(&mut *v, spdu, now),
            Err(_) => Err(VerifyFailure::Other(1)),
        }
    }
    fn check<'a>(&mut self, spdu: &'a [u8], now: Timestamp) -> Result<Verified<'a>, VerifyFailure> {
        match self.0.lock() {
            Ok(mut v) => SpduVerifier::check(&mut *v, spdu, now),
            Err(_) => Err(VerifyFailure::Other(1)),
        }
    }
    fn verify_signature(&mut self, spdu: &[u8], received: Timestamp) -> Result<(), VerifyFailure> {
        match self.0.lock() {
            Ok(mut v) => SpduVerifier::verify_signature(&mut *v, spdu, received),
            Err(_) => Err(VerifyFailure::Other(1)),
        }
    }
}

/// One vehicle slot: who is there now and when it comes back.
#[derive(Clone, Copy)]
struct Slot {
    present: bool,
    id: [u8; 8],
    pseudonym: usize,
    sent: u32,
    back_at: u64,
}

struct Traffic {
    frame: EnuFrame,
    signal: Signal,
    maps: Vec<Vec<u8>>,
    pool: Vec<SpduSigner>,
    rsu: SpduSigner,
    slots: Vec<Slot>,
    next_id: u32,
    rng: Rng,
    /// Messages held back one step (reordering).
    late: Vec<(Vec<u8>, RxMeta)>,
}

fn vehicle_state(i: usize, t_s: f64) -> MotionState {
    let road = i % 4;
    let k = i / 4;
    let dir = if k % 2 == 0 { 1.0 } else { -1.0 };
    let s0 = (k % 25) as f64 * 16.0;
    let s = (s0 + dir * SPEED * t_s).rem_euclid(ROAD_M) - ROAD_M / 2.0;
    let lane = dir * 1.75 + if i >= SLOTS { dir * 3.5 } else { 0.0 };
    let (x, y, heading) = match road {
        0 => (lane, s, if dir > 0.0 { 0.0 } else { 180.0 }),
        1 => (s, -lane, if dir > 0.0 { 90.0 } else { 270.0 }),
        2 => (lane + 40.0, s, if dir > 0.0 { 0.0 } else { 180.0 }),
        _ => (s, -lane + 40.0, if dir > 0.0 { 90.0 } else { 270.0 }),
    };
    MotionState {
        x,
        y,
        heading_deg: heading,
        speed_mps: SPEED,
        ..MotionState::default()
    }
}

fn spdu_meta(aid: u32) -> RxMeta {
    RxMeta {
        aid: Some(aid),
        ..RxMeta::SPDU
    }
}

impl Traffic {
    fn new(pki: &TestPki, aids: &[u64], rsu: SpduSigner) -> Traffic {
        let frame = EnuFrame::new(ORIGIN).expect("origin");
        let signal = Signal {
            speed_limit_kph: Some(50.0),
            ..Signal::new(
                -12.0,
                -1.75,
                vec![
                    (Light::Red, 30.0),
                    (Light::ProtectedGreen, 27.0),
                    (Light::Yellow, 3.0),
                ],
            )
        };
        let maps = (0..RSUS)
            .map(|r| {
                let mut map = build::map(&frame, &signal, 1.0, 600.0);
                if let m::MessageFrame::MapFrame(x) = &mut map {
                    x.msg_cnt = r as u8;
                }
                map.encode().expect("map")
            })
            .collect();
        let pool = (0..POOL)
            .map(|p| pseudonym(pki, aids, &format!("soak vehicle {p}")))
            .collect();
        Traffic {
            frame,
            signal,
            maps,
            pool,
            rsu,
            slots: Vec::new(),
            next_id: 1,
            rng: Rng(0x005E_ED0F_50A4),
            late: Vec::new(),
        }
    }

    fn new_vehicle(&mut self, k: u64) -> Slot {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1);
        Slot {
            present: true,
            id: build::actor_vehicle_id(id),
            pseudonym: self.rng.below(POOL),
            sent: 0,
            back_at: k,
        }
    }

    fn at(&self, x: f64, y: f64) -> Wgs84 {
        self.frame
            .wgs84_from_enu(&nalgebra::Vector3::new(x, y, 0.0))
    }

    /// The messages of step `k` (sent at `now`), faults applied, into `out`; returns the
    /// number of unsigned and oversized packets injected.
    fn step(
        &mut self,
        k: u64,
        now: Timestamp,
        burst: bool,
        out: &mut Vec<(Vec<u8>, RxMeta)>,
    ) -> (u64, u64) {
        out.clear();
        out.append(&mut self.late);
        let t_s = k as f64 * STEP_MS as f64 / 1000.0;
        if self.slots.is_empty() {
            for _ in 0..SLOTS {
                let s = self.new_vehicle(k);
                self.slots.push(s);
            }
        }
        // Bursts: 900 more vehicles, new each time.
        let want = if burst { SLOTS + BURST } else { SLOTS };
        while self.slots.len() < want {
            let mut s = self.new_vehicle(k);
            s.pseudonym = self.slots.len() % POOL;
            self.slots.push(s);
        }
        self.slots.truncate(want);
        let mut fresh = Vec::new();
        for i in 0..self.slots.len() {
            let mut s = self.slots[i];
            if !s.present {
                if k >= s.back_at {
                    let mut n = self.new_vehicle(k);
                    n.back_at = 0;
                    s = n;
                } else {
                    continue;
                }
            } else if i < SLOTS && self.rng.chance(0.002) {
                s.present = false;
                s.back_at = k + 10 + self.rng.below(190) as u64;
                self.slots[i] = s;
                continue;
            }
            let st = vehicle_state(i, t_s);
            let info = VehicleInfo {
                id: s.id,
                kind: Kind::Car,
                length_m: 4.5,
                width_m: 1.8,
                noise_m: 0.5,
            };
            let bsm = build::bsm(&info, &st, &self.at(st.x, st.y), now, s.sent as u8)
                .encode()
                .expect("bsm");
            let signer = &mut self.pool[s.pseudonym];
            signer.set_mode(if s.sent % 10 == 0 {
                SignerMode::Certificate
            } else {
                SignerMode::Digest
            });
            if let Ok(spdu) = signer.sign(&bsm, 111, now) {
                fresh.push((spdu, spdu_meta(111)));
            }
            s.sent = s.sent.wrapping_add(1);
            self.slots[i] = s;
        }
        let rsus = [(0.0, 0.0), (40.0, 0.0), (0.0, 40.0), (40.0, 40.0)];
        for (r, &(rx, ry)) in rsus.iter().enumerate() {
            let parts: Vec<Participant> = (0..16)
                .map(|j| {
                    let i = (r * 16 + j) % SLOTS;
                    let s = vehicle_state(i, t_s - 0.1);
                    Participant {
                        ptc_id: i as u16 + 1,
                        kind: Kind::Car,
                        id: None,
                        state: s,
                        position: self.at(s.x, s.y),
                        time: now.add_millis(-100),
                        length_m: 4.5,
                        width_m: 1.8,
                        noise_m: 0.3,
                    }
                })
                .collect();
            let mut rsm = build::rsm(&self.at(rx, ry), &parts, k as u8);
            if let m::MessageFrame::RsmFrame(x) = &mut rsm {
                x.id[7] = r as u8;
            }
            let mut frames = vec![(rsm.encode().expect("rsm"), 3623)];
            if let Some(spat) = build::spat(&self.signal, t_s, now, (k as usize + 32 * r) as u8) {
                frames.push((spat.encode().expect("spat"), 3619));
            }
            if k % 10 == 0 {
                frames.push((self.maps[r].clone(), 3618));
            }
            for (bytes, aid) in frames {
                if let Ok(spdu) = self.rsu.sign(&bytes, u64::from(aid), now) {
                    fresh.push((spdu, spdu_meta(aid)));
                }
            }
        }
        // Faults.
        let (mut unsigned, mut oversized) = (0, 0);
        for (bytes, meta) in fresh {
            let rng = &mut self.rng;
            if rng.chance(0.01) {
                out.push((bytes.clone(), meta));
                out.push((bytes, meta));
            } else if rng.chance(0.01) {
                self.late.push((bytes, meta));
            } else if rng.chance(0.005) {
                let n = rng.below(bytes.len());
                out.push((bytes[..n].to_vec(), meta));
            } else if rng.chance(0.005) {
                let mut b = bytes;
                let bit = rng.below(b.len() * 8);
                b[bit / 8] ^= 1 << (bit % 8);
                out.push((b, meta));
            } else {
                out.push((bytes, meta));
            }
            if rng.chance(0.002) {
                // An unsigned frame where signatures are required.
                let st = vehicle_state(0, t_s);
                let info = VehicleInfo {
                    id: build::actor_vehicle_id(u32::MAX),
                    kind: Kind::Car,
                    length_m: 4.5,
                    width_m: 1.8,
                    noise_m: 0.5,
                };
                let w = self
                    .frame
                    .wgs84_from_enu(&nalgebra::Vector3::new(st.x, st.y, 0.0));
                let bsm = build::bsm(&info, &st, &w, now, 0).encode().expect("bsm");
                out.push((bsm, RxMeta::PLAIN));
                unsigned += 1;
            }
            if rng.chance(0.001) {
                out.push((vec![0xA5; 9000], spdu_meta(111)));
                oversized += 1;
            }
        }
        (unsigned, oversized)
    }
}

/// A pseudonym of the test PKI for every Day I AID, its key derived from `label`.
fn pseudonym(pki: &TestPki, aids: &[u64], label: &str) -> SpduSigner {
    let key = pki.key(label).expect("key");
    let mut t = pki.template(&key, Some(pki.ca_cert()));
    t.fields.app_permissions = aids
        .iter()
        .map(|&psid| PsidSsp { psid, ssp: None })
        .collect();
    let cert = pki.issue_by_ca(&t, &key).expect("certificate");
    SpduSigner::new(key, &cert).expect("signer")
}

/// Resident memory, bytes: `/proc/self/statm` (resident pages) times the kernel page size.
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    let page_kb: u64 = std::fs::read_to_string("/proc/self/smaps")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("KernelPageSize:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(4);
    Some(pages * page_kb * 1024)
}

struct Args {
    minutes: f64,
    alg: KeyAlg,
    verify: VerifyPolicy,
    report_s: f64,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        minutes: 1.0,
        alg: KeyAlg::Sm2,
        verify: VerifyPolicy::on_demand(),
        report_s: 60.0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().ok_or_else(|| format!("{k} needs a value"))?;
        match k.as_str() {
            "--minutes" => a.minutes = v.parse().map_err(|_| "--minutes takes a number")?,
            "--report-s" => a.report_s = v.parse().map_err(|_| "--report-s takes a number")?,
            "--alg" => {
                a.alg = match v.as_str() {
                    "sm2" => KeyAlg::Sm2,
                    "p256" => KeyAlg::EcdsaP256,
                    _ => return Err("--alg takes sm2 or p256".into()),
                }
            }
            "--verify" => {
                a.verify = match v.as_str() {
                    "on-demand" => VerifyPolicy::on_demand(),
                    "always" => VerifyPolicy::Always,
                    _ => return Err("--verify takes on-demand or always".into()),
                }
            }
            _ => return Err(format!("unknown option {k}")),
        }
    }
    if !(a.minutes > 0.0 && a.report_s > 0.0) {
        return Err("--minutes and --report-s must be positive".into());
    }
    Ok(a)
}

/// What the driver saw, to check the stack's counters against.
#[derive(Default)]
struct Tally {
    ingested: u64,
    ok: u64,
    err: u64,
    unsigned: u64,
    oversized: u64,
    steps: u64,
    bursts: u64,
    jumps: u64,
}

struct Soak {
    stack: Stack,
    verifier: Arc<Mutex<Verifier>>,
    config: StackConfig,
    tracker_bytes: usize,
    tally: Tally,
    failures: Vec<String>,
}

impl Soak {
    fn check(&mut self) {
        let c = *self.stack.counters();
        let u = self.stack.usage();
        let cfg = &self.config;
        let w = &cfg.world;
        let mut fail = |what: String| self.failures.push(what);
        if c.received != c.accepted + c.dropped {
            fail(format!(
                "received {} != accepted {} + dropped {}",
                c.received, c.accepted, c.dropped
            ));
        }
        let t = &self.tally;
        if (c.received, c.accepted, c.dropped) != (t.ingested, t.ok, t.err) {
            fail(format!(
                "counters (received {}, accepted {}, dropped {}) != driver (ingested {}, ok {}, err {})",
                c.received, c.accepted, c.dropped, t.ingested, t.ok, t.err
            ));
        }
        if (c.unsigned, c.too_large) != (t.unsigned, t.oversized) {
            fail(format!(
                "unsigned {} / too large {} != injected {} / {}",
                c.unsigned, c.too_large, t.unsigned, t.oversized
            ));
        }
        if c.deferred > c.accepted || c.verified_for_warnings > c.verified {
            fail(format!(
                "deferred {} > accepted {} or verified for warnings {} > verified {}",
                c.deferred, c.accepted, c.verified_for_warnings, c.verified
            ));
        }
        let (max_senders, max_kept) = match cfg.verify {
            VerifyPolicy::OnDemand {
                max_senders,
                max_kept_bytes,
                ..
            } => (max_senders, max_senders * max_kept_bytes),
            _ => (0, 0),
        };
        let bounds = [
            ("tracks", u.tracks, cfg.fusion.max_tracks),
            ("intersections", u.intersections, w.max_intersections),
            ("signals", u.signals, w.max_intersections),
            ("road_info", u.road_info, w.max_road_info),
            ("vehicles", u.vehicles, w.max_vehicles),
            ("day2", u.day2, w.max_day2),
            ("events", u.events, cfg.max_events),
            ("warnings", u.warnings, cfg.max_active_warnings),
            ("transmissions", u.transmissions, cfg.max_transmissions),
            ("senders", u.senders, max_senders),
            ("kept_bytes", u.kept_bytes, max_kept),
        ];
        for (name, used, max) in bounds {
            if used > max {
                fail(format!("{name}: {used} > bound {max}"));
            }
        }
        let tr = self.stack.tracker();
        if tr.capacity_bytes() != self.tracker_bytes {
            fail(format!(
                "tracker tables {} B, were {} B",
                tr.capacity_bytes(),
                self.tracker_bytes
            ));
        }
        if let Err(e) = tr.check_invariants() {
            fail(format!("tracker invariant: {e:?}"));
        }
        if let Ok(v) = self.verifier.lock() {
            if v.cache().len() > v.config().cert_cache_capacity + 8 {
                fail(format!("certificate cache {} entries", v.cache().len()));
            }
        }
    }

    fn report(&self, label: &str, sim_s: f64, wall_s: f64, rss: Option<u64>) {
        let c: &StackCounters = self.stack.counters();
        let u = self.stack.usage();
        let cfg = &self.config;
        let w = &cfg.world;
        let cache = self.verifier.lock().map(|v| v.cache().len()).unwrap_or(0);
        let rss = rss.map_or("unavailable".to_string(), |b| {
            format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0))
        });
        println!(
            "[{label}] wall {wall_s:.0} s, simulated {sim_s:.0} s ({:.1}x real time), {} steps, {} bursts, {} clock jumps",
            sim_s / wall_s.max(1e-9),
            self.tally.steps,
            self.tally.bursts,
            self.tally.jumps
        );
        println!("  resident memory (/proc/self/statm): {rss}");
        println!(
            "  stores: tracks {}/{}, intersections {}/{}, signals {}/{}, road_info {}/{}, vehicles {}/{}, day2 {}/{}, events {}/{}, warnings {}/{}, transmissions {}/{}, senders {} ({} unverified, {} B kept), certificate cache {}/{}, tracker tables {} B",
            u.tracks,
            cfg.fusion.max_tracks,
            u.intersections,
            w.max_intersections,
            u.signals,
            w.max_intersections,
            u.road_info,
            w.max_road_info,
            u.vehicles,
            w.max_vehicles,
            u.day2,
            w.max_day2,
            u.events,
            cfg.max_events,
            u.warnings,
            cfg.max_active_warnings,
            u.transmissions,
            cfg.max_transmissions,
            u.senders,
            u.unverified_senders,
            u.kept_bytes,
            cache,
            Config::default().cert_cache_capacity,
            self.stack.tracker().capacity_bytes()
        );
        println!(
            "  counters: received {}, accepted {}, dropped {} (verify failed {}, decode failed {}, unsigned {}, too large {}, fusion rejected {}, time went backwards {}), verified {}, deferred {}, verified for warnings {}, retracted {}, warnings withheld {}, senders evicted {}, warnings raised {}, transmitted {}",
            c.received,
            c.accepted,
            c.dropped,
            c.verify_failed,
            c.decode_failed,
            c.unsigned,
            c.too_large,
            c.fusion_rejected,
            c.time_went_backwards,
            c.verified,
            c.deferred,
            c.verified_for_warnings,
            c.retracted,
            c.warnings_withheld,
            c.senders_evicted,
            c.warnings_raised,
            c.transmitted
        );
        println!(
            "  checks: {}",
            if self.failures.is_empty() {
                "received = accepted + dropped, counts match the driver's, unsigned and oversized counted, every store within its bound, tracker tables flat and sound: ok".to_string()
            } else {
                format!("FAILED: {}", self.failures.join("; "))
            }
        );
    }
}

fn ego_state(k: u64, now: Timestamp, frame: &EnuFrame) -> VehicleState {
    // North along road 0 at 10 m/s, over and over.
    let y = (k as f64 * 1.0).rem_euclid(ROAD_M) - ROAD_M / 2.0;
    let w = frame.wgs84_from_enu(&nalgebra::Vector3::new(1.75, y, 0.0));
    let mut s = VehicleState::new(now, w.lat_deg, w.lon_deg, 0.0, 10.0).with_accuracy(0.5, 1.0);
    s.yaw_rate_dps = Some(0.0);
    s.accel_long_mps2 = Some(0.0);
    s
}

fn main() -> std::process::ExitCode {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("soak: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let t0 = Timestamp::from_unix_utc_millis(1_772_352_000_000);
    let aids: Vec<u64> = DAY1_TABLE.iter().map(|(x, _)| u64::from(x.0)).collect();
    let pki = TestPki::new(a.alg, TEST_PKI_SEED, t0).expect("test PKI");
    let mut verifier = Verifier::new(Config::default());
    verifier.add_trust_anchor(pki.root_cert()).expect("root");
    verifier.add_certificate(pki.ca_cert()).expect("CA");
    // The RSUs sign by digest: the verifier knows their certificate.
    let rsu = pseudonym(&pki, &aids, "soak rsu");
    verifier
        .add_certificate(rsu.certificate())
        .expect("RSU certificate");
    let verifier = Arc::new(Mutex::new(verifier));
    let config = StackConfig::default()
        .with_origin(ORIGIN)
        .with_require_signatures(true)
        .with_verify_policy(a.verify);
    let mut stack = Stack::new(config.clone()).expect("stack");
    stack.set_verifier(Box::new(Shared(verifier.clone())));
    let mut host = HostVehicle::new(HostConfig::default(), Box::new(SeededRandom::new([7; 32])))
        .expect("host");
    let ego_key = pki.key("soak ego").expect("key");
    let mut tmpl = pki.template(&ego_key, Some(pki.ca_cert()));
    tmpl.fields.app_permissions = aids
        .iter()
        .map(|&psid| PsidSsp { psid, ssp: None })
        .collect();
    let ego_cert = pki.issue_by_ca(&tmpl, &ego_key).expect("ego certificate");
    host.set_pseudonym_pool(PseudonymPool::new(vec![
        Credential::new(Box::new(ego_key), &ego_cert).expect("credential"),
    ]));
    stack.set_host(host);
    let tracker_bytes = stack.tracker().capacity_bytes();
    let mut soak = Soak {
        stack,
        verifier,
        config,
        tracker_bytes,
        tally: Tally::default(),
        failures: Vec::new(),
    };
    let mut traffic = Traffic::new(&pki, &aids, rsu);
    println!(
        "soak: {:.1} min, {} signatures, {}, report every {:.0} s",
        a.minutes,
        if a.alg == KeyAlg::Sm2 {
            "SM2"
        } else {
            "ECDSA P-256"
        },
        if a.verify.is_on_demand() {
            "verify on demand"
        } else {
            "verify always"
        },
        a.report_s
    );
    let start = Instant::now();
    let total_s = a.minutes * 60.0;
    let mut next_report = a.report_s.min(total_s);
    let mut first_rss: Option<u64> = None;
    let mut reports = 0u32;
    let mut msgs = Vec::new();
    let mut k: u64 = 0;
    loop {
        let sent_at = t0.add_millis(k as i64 * STEP_MS);
        // The stack's clock: 5 s ahead or 3 s behind for half a second every 20 s.
        let phase = k % 200;
        let offset_ms = match (k / 200) % 2 {
            _ if phase >= 5 || k < 200 => 0,
            0 => 5000,
            _ => -3000,
        };
        if phase == 0 && k >= 200 {
            soak.tally.jumps += 1;
        }
        let now = sent_at.add_millis(offset_ms);
        let burst = (100..110).contains(&(k % 300));
        if k % 300 == 100 {
            soak.tally.bursts += 1;
        }
        let (unsigned, oversized) = traffic.step(k, sent_at, burst, &mut msgs);
        soak.tally.unsigned += unsigned;
        soak.tally.oversized += oversized;
        let _ = soak.stack.set_ego(&ego_state(k, now, &traffic.frame));
        for (bytes, meta) in &msgs {
            soak.tally.ingested += 1;
            match soak.stack.ingest(bytes, meta, now) {
                Ok(_) => soak.tally.ok += 1,
                Err(_) => soak.tally.err += 1,
            }
        }
        let events = soak.stack.poll(now).count();
        if events > soak.config.max_events {
            soak.failures
                .push(format!("a poll returned {events} events"));
        }
        soak.stack.transmissions().for_each(drop);
        soak.tally.steps += 1;
        k += 1;
        let wall = start.elapsed().as_secs_f64();
        if wall >= next_report || wall >= total_s {
            soak.check();
            let rss = resident_bytes();
            reports += 1;
            if first_rss.is_none() {
                first_rss = rss;
            }
            let sim = k as f64 * STEP_MS as f64 / 1000.0;
            let label = if wall >= total_s {
                "end".to_string()
            } else {
                format!("report {reports}")
            };
            soak.report(&label, sim, wall, rss);
            if wall >= total_s {
                let growth = match (first_rss, rss) {
                    (Some(f), Some(e)) if f > 0 => Some((e as f64 / f as f64 - 1.0) * 100.0),
                    _ => None,
                };
                match growth {
                    Some(g) => {
                        println!(
                            "soak: resident memory {:+.2} % from the first report (bar: within 5 %)",
                            g
                        );
                        if g.abs() > 5.0 {
                            soak.failures
                                .push(format!("resident memory changed {g:+.2} %"));
                        }
                    }
                    None => println!("soak: resident memory not readable here (no /proc)"),
                }
                break;
            }
            next_report += a.report_s;
        }
    }
    if soak.failures.is_empty() {
        println!("soak: ok, nothing panicked");
        std::process::ExitCode::SUCCESS
    } else {
        println!("soak: FAILED: {}", soak.failures.join("; "));
        std::process::ExitCode::from(1)
    }
}
