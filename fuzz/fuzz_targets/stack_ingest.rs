//! Arbitrary bytes and times through `Stack`: ingest (plain and secured), ego states, the
//! cooperative applications' commands and polls in any order, with time jumping back and
//! forth, verifying all SPDUs or vehicles' on demand. The ego is on the air (a host vehicle)
//! and has a payment account, so the Day II applications build, encode and queue what they
//! send. Nothing panics, every bounded store and queue stays within its limit, and every
//! message is accepted or dropped.
//!
//! The stack verifies with the test PKI (ECDSA P-256). When the first input byte has its top
//! bit set it verifies on demand (`VerifyPolicy::OnDemand`, 8 senders, 512-octet SPDUs kept,
//! samples every 300 ms on average), else every SPDU before use.
//!
//! Input: records of `op` (1 byte, modulo 7), `dt_ms` (i16, big-endian), then per op: 0/1
//! ingest plain / SPDU (`len` u16 + bytes), 2 ego state (8 bytes), 3 poll, 4 command (4
//! bytes), 5 ingest plain with every `EGO\0\0\0\0\x01` in the bytes replaced by the ego's
//! current temporary id (so seeds can address the ego, whose id the host vehicle draws), 6 sign
//! and ingest (`f` 1 byte, `len` u16 + the frame to sign): the frame is signed by the test
//! PKI's pseudonym (generation time `now` minus `f >> 4` × 100 ms); `f & 1` flips the last
//! octet of the signature, `f & 2` flips octet `f × 7` of the SPDU.
#![no_main]
use cv2x::VehicleState;
use cv2x::apps::{Command, PaymentAccount, Side};
use cv2x::geo::Wgs84;
use cv2x::host::{HostConfig, HostVehicle, SeededRandom};
use cv2x::net::PayloadKind;
use cv2x::security::cert::KeyAlg;
use cv2x::stack::{RxMeta, Stack, StackConfig, VerifyPolicy};
use cv2x::testing::pki::test_pair;
use cv2x::time::Timestamp;
use cv2x::world::TurnSignal;
use cv2x::world::WorldConfig;
use cv2x::world::day2::{
    ChargeReceipt, ChargeRequest, FileRange, LinkRef, ObuPaymentData, ParkingKinds,
    ParkingServices, PaymentService, ReturnCode,
};
use libfuzzer_sys::fuzz_target;

const MAX_EVENTS: usize = 64;
const MAX_TRANSMISSIONS: usize = 16;
const EGO_MARK: &[u8; 8] = b"EGO\0\0\0\0\x01";
const MAX_SENDERS: usize = 8;
const MAX_KEPT: usize = 512;

fn take<'a>(d: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if d.len() < n {
        return None;
    }
    let (a, b) = d.split_at(n);
    *d = b;
    Some(a)
}

/// An account that pays everything, refusing every third step.
struct Account(u8);

impl Account {
    fn step(&mut self) -> Result<(), ReturnCode> {
        self.0 = self.0.wrapping_add(1);
        if self.0 % 3 == 0 {
            Err(ReturnCode::ProcessingFailure)
        } else {
            Ok(())
        }
    }
}

impl PaymentAccount for Account {
    fn application(&mut self, _: PaymentService) -> Option<ObuPaymentData> {
        Some(ObuPaymentData::default())
    }
    fn challenge(&mut self) -> Option<[u8; 8]> {
        Some([self.0; 8])
    }
    fn read_files(
        &mut self,
        _: PaymentService,
        _: FileRange,
        toll: Option<FileRange>,
        _: Option<u8>,
    ) -> Result<([u8; 127], Option<[u8; 127]>), ReturnCode> {
        self.step()?;
        Ok(([1; 127], toll.map(|_| [2; 127])))
    }
    fn secure_read(
        &mut self,
        _: PaymentService,
        _: FileRange,
        rnd: [u8; 8],
        _: u8,
        _: Option<u8>,
    ) -> Result<[u8; 8], ReturnCode> {
        self.step()?;
        Ok(rnd)
    }
    fn charge(
        &mut self,
        _: PaymentService,
        _: &ChargeRequest,
    ) -> Result<ChargeReceipt, ReturnCode> {
        self.step()?;
        Ok(ChargeReceipt {
            tac: Some([1; 4]),
            authenticator: Some([2; 8]),
            account: Some(vec![3; 8]),
            credential: Some(vec![4; 32]),
        })
    }
}

fn command(c: &[u8]) -> Command {
    let side = if c[1] & 1 == 0 { Side::Left } else { Side::Right };
    let pid = [c[2]; 17];
    match c[0] % 9 {
        0 => Command::LaneChange {
            side,
            link: (c[1] & 2 != 0).then_some(LinkRef {
                upstream: (1, u16::from(c[2])),
                downstream: (1, u16::from(c[3])),
                lanes: 0,
            }),
            lane: (c[1] & 4 != 0).then_some(c[3] % 16),
        },
        1 => Command::ClearTheWay {
            duration_s: f64::from(c[2]) - 10.0,
        },
        2 => Command::SignalPriority,
        3 => Command::Parking {
            lot: (c[1] & 2 != 0).then_some(u16::from(c[2])),
            services: ParkingServices(u16::from_be_bytes([c[2], c[3]])),
            kinds: (c[1] & 4 != 0).then_some(ParkingKinds(u16::from(c[3]))),
            slot: (c[1] & 8 != 0).then_some(u16::from(c[3])),
        },
        4 => Command::CancelParking,
        5 => Command::JoinPlatoon {
            platoon: (c[1] & 2 != 0).then_some(pid),
        },
        6 => Command::LeavePlatoon,
        7 => Command::LeadPlatoon {
            platoon: pid,
            capacity: c[3],
        },
        _ => Command::SignalPriority,
    }
}

fuzz_target!(|data: &[u8]| {
    let mut world = WorldConfig::default();
    world.max_intersections = 4;
    world.max_road_info = 8;
    world.max_vehicles = 16;
    world.max_day2 = 4;
    let on_demand = data.first().is_some_and(|b| b & 0x80 != 0);
    let policy = if on_demand {
        VerifyPolicy::OnDemand {
            sample_interval_ms: 300,
            max_senders: MAX_SENDERS,
            max_kept_bytes: MAX_KEPT,
            quarantine_ms: 1000,
            sender_max_age_ms: 2000,
        }
    } else {
        VerifyPolicy::Always
    };
    let mut config = StackConfig::default()
        .with_origin(Wgs84::new(39.9, 116.4, 0.0))
        .with_max_events(MAX_EVENTS)
        .with_world(world)
        .with_verify_policy(policy);
    config.max_transmissions = MAX_TRANSMISSIONS;
    let Ok(mut stack) = Stack::new(config) else {
        return;
    };
    let Ok(host) = HostVehicle::new(HostConfig::default(), Box::new(SeededRandom::new([5; 32])))
    else {
        return;
    };
    stack.set_host(host);
    stack.set_payment_account(Box::new(Account(0)));
    let start = Timestamp::from_unix_utc_millis(1_772_352_000_000);
    let Ok((signer, verifier)) = test_pair(KeyAlg::EcdsaP256, start) else {
        return;
    };
    stack.set_verifier(Box::new(verifier));
    let tracker_bytes = stack.tracker().capacity_bytes();
    let mut now = start;
    let mut d = data;
    let mut patched = Vec::new();
    while let Some(h) = take(&mut d, 3) {
        let dt = i16::from_be_bytes([h[1], h[2]]);
        now = now.add_millis(i64::from(dt));
        match h[0] % 7 {
            op @ (0 | 1 | 5) => {
                let Some(l) = take(&mut d, 2) else { break };
                let len = usize::from(u16::from_be_bytes([l[0], l[1]])).min(d.len());
                let Some(bytes) = take(&mut d, len) else {
                    break;
                };
                let bytes = if op == 5 {
                    let id = stack.temporary_id().unwrap_or(*EGO_MARK);
                    patched.clear();
                    patched.extend_from_slice(bytes);
                    let mut i = 0;
                    while i + 8 <= patched.len() {
                        if &patched[i..i + 8] == EGO_MARK {
                            patched[i..i + 8].copy_from_slice(&id);
                            i += 8;
                        } else {
                            i += 1;
                        }
                    }
                    &patched[..]
                } else {
                    bytes
                };
                let meta = RxMeta {
                    kind: if op == 1 {
                        PayloadKind::Spdu
                    } else {
                        PayloadKind::MessageFrame
                    },
                    aid: None,
                    source: None,
                };
                let _ = stack.ingest(bytes, &meta, now);
            }
            2 => {
                let Some(e) = take(&mut d, 8) else { break };
                let dlat = f64::from(i16::from_be_bytes([e[0], e[1]])) * 1e-5;
                let dlon = f64::from(i16::from_be_bytes([e[2], e[3]])) * 1e-5;
                let mut state = VehicleState::new(
                    now,
                    39.9 + dlat,
                    116.4 + dlon,
                    f64::from(u16::from_be_bytes([e[4], e[5]])) * 0.01,
                    f64::from(e[6]) * 0.2,
                )
                .with_accuracy(0.5, 1.0);
                state.yaw_rate_dps = Some(-f64::from(e[7] as i8) * 0.01f64.to_degrees());
                state.accel_long_mps2 = Some(f64::from(e[7] as i8) * 0.05);
                state.set_turn_signal(match e[7] % 4 {
                    0 => TurnSignal::None,
                    1 => TurnSignal::Left,
                    2 => TurnSignal::Right,
                    _ => TurnSignal::Hazard,
                });
                // Bits 4 and 5: a bus, an emergency vehicle with its siren on.
                if e[7] & 0x10 != 0 {
                    state.class = Some(cv2x::host::VehicleClass {
                        basic: 50,
                        fuel: None,
                    });
                }
                if e[7] & 0x20 != 0 {
                    state.emergency = Some(cv2x::host::EmergencyState {
                        response: Some(cv2x::host::Response::Emergency),
                        siren: Some(true),
                        light_bar: None,
                    });
                }
                let _ = stack.set_ego(&state);
            }
            3 => {
                let n = stack.poll(now).count();
                assert!(n <= MAX_EVENTS, "poll returned {n} events");
                let sent = stack.transmissions().count();
                assert!(sent <= MAX_TRANSMISSIONS);
            }
            4 => {
                let Some(c) = take(&mut d, 4) else { break };
                let _ = stack.command(command(c));
            }
            _ => {
                let Some(fl) = take(&mut d, 3) else { break };
                let f = fl[0];
                let len = usize::from(u16::from_be_bytes([fl[1], fl[2]])).min(d.len());
                let Some(frame) = take(&mut d, len) else {
                    break;
                };
                let generated = now.add_millis(-i64::from(f >> 4) * 100);
                let Ok(mut spdu) = signer.sign(frame, 111, generated) else {
                    continue;
                };
                if f & 1 != 0 {
                    if let Some(last) = spdu.last_mut() {
                        *last ^= 0x01;
                    }
                }
                if f & 2 != 0 {
                    let at = usize::from(f) * 7 % spdu.len().max(1);
                    if let Some(b) = spdu.get_mut(at) {
                        *b ^= 0x10;
                    }
                }
                let _ = stack.ingest(&spdu, &RxMeta::SPDU, now);
            }
        }
        let u = stack.usage();
        assert!(u.events <= MAX_EVENTS);
        assert!(u.intersections <= 4 && u.signals <= 4);
        // Five Day II stores of 4 (the payment store keeps 4 offers and 4 commands).
        assert!(u.road_info <= 8 && u.vehicles <= 16 && u.day2 <= 6 * 4);
        assert!(u.transmissions <= MAX_TRANSMISSIONS);
        assert!(u.tracks <= stack.config().fusion.max_tracks);
        assert!(u.senders <= MAX_SENDERS && u.kept_bytes <= MAX_SENDERS * MAX_KEPT);
        assert!(on_demand || u.senders == 0);
        let c = stack.counters();
        assert_eq!(c.received, c.accepted + c.dropped);
        assert!(c.deferred <= c.accepted);
        assert_eq!(stack.tracker().capacity_bytes(), tracker_bytes);
        assert!(stack.tracker().check_invariants().is_ok());
    }
});
