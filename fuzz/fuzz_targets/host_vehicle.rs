//! Arbitrary vehicle states, channel measurements, track lists, certificate requests and
//! polls through `HostVehicle`, with time jumping back and forth and raw f64 bit patterns
//! (NaN, infinities, huge values) in every field. Nothing panics; every message produced
//! decodes; the path history stays within its 23 points; the schedule never asks for a poll
//! it then refuses to serve forever.
//!
//! Input: a first byte choosing the BSM form (bit 0) and whether a pseudonym pool signs
//! (bit 1), then records of `op` (1 byte) and `dt_ms` (i16, big-endian), then per op:
//! 0 state (a presence byte, then 8 octets per present value), 1 CBR (8 octets), 2 density
//! (u32), 3 poll, 4 tracks (count byte, 24 octets each), 5 certificate request (3 octets).
#![no_main]
use cv2x::codec::Uper;
use cv2x::fusion::{
    ObjectClass, ObsCovariance, ObsMotion, ObsPosition, Observation, SourceId, SourceKind,
    SourceType,
};
use cv2x::host::{
    BsmForm, Credential, Events, GnssFix, HostConfig, HostVehicle, Lights, PseudonymPolicy,
    PseudonymPool, SeededRandom, SsmConfig, VehicleState,
};
use cv2x::msg::{v2017, v2020};
use cv2x::net::Aid;
use cv2x::security::SecurityError;
use cv2x::security::cert::{KeyAlg, Signature};
use cv2x::security::sign::SigningBackend;
use cv2x::testing::pki::TestPki;
use cv2x::time::Timestamp;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn take<'a>(d: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if d.len() < n {
        return None;
    }
    let (a, b) = d.split_at(n);
    *d = b;
    Some(a)
}

fn f64_at(b: &[u8], i: usize) -> f64 {
    let mut a = [0u8; 8];
    if let Some(s) = b.get(i..i + 8) {
        a.copy_from_slice(s);
    }
    f64::from_be_bytes(a)
}

/// A value near a plausible one most of the time, any bit pattern otherwise.
fn value(raw: f64, base: f64, scale: f64) -> f64 {
    let bits = raw.to_bits();
    if bits >> 62 == 0 {
        base + scale * ((bits & 0xffff) as f64 / 65_536.0 - 0.5)
    } else {
        raw
    }
}

/// Two pseudonym certificates of a test PKI (public key x ‖ y, certificate), made once.
fn certificates() -> &'static [([u8; 64], Vec<u8>)] {
    static CERTS: OnceLock<Vec<([u8; 64], Vec<u8>)>> = OnceLock::new();
    CERTS.get_or_init(|| {
        let now = Timestamp::from_unix_utc_millis(1_772_352_000_000);
        let Ok(pki) = TestPki::new(KeyAlg::EcdsaP256, b"fuzz", now) else {
            return Vec::new();
        };
        (0..2)
            .filter_map(|i| {
                let s = pki.signer(&[111, 112, 113, 114, 3624 + i]).ok()?;
                Some((s.key().public_xy(), s.certificate().to_vec()))
            })
            .collect()
    })
}

/// A key whose signatures are a constant: the host vehicle's pseudonym and certificate logic
/// is what this target exercises (signing itself is fuzzed by `spdu_verify` and tested for
/// correctness elsewhere), and real ECDSA under coverage instrumentation costs a second a run.
struct FastKey([u8; 64]);

impl SigningBackend for FastKey {
    fn alg(&self) -> KeyAlg {
        KeyAlg::EcdsaP256
    }
    fn public_xy(&self) -> [u8; 64] {
        self.0
    }
    fn sign_prehashed(&self, digest: &[u8; 32]) -> Result<Signature, SecurityError> {
        Ok(Signature {
            alg: KeyAlg::EcdsaP256,
            r: *digest,
            s: *digest,
        })
    }
}

fuzz_target!(|data: &[u8]| {
    let mut d = data;
    let Some(head) = take(&mut d, 1) else { return };
    let form = if head[0] & 1 == 0 {
        BsmForm::Csae2020
    } else {
        BsmForm::Csae2017
    };
    let mut now = Timestamp::from_unix_utc_millis(1_772_352_000_000);
    let mut host = HostVehicle::new(
        HostConfig {
            form,
            pseudonym: PseudonymPolicy {
                interval_ms: Some(2_000),
                distance_m: Some(10.0),
            },
            ssm: Some(SsmConfig {
                aid: Aid(3624),
                interval_ms: 100,
                max_track_age_ms: 500,
            }),
            ..HostConfig::default()
        },
        Box::new(SeededRandom::new([head[0]; 32])),
    )
    .expect("the default configuration with an SSM is valid");
    if head[0] & 2 != 0 {
        let creds: Vec<Credential> = certificates()
            .iter()
            .filter_map(|(xy, cert)| Credential::new(Box::new(FastKey(*xy)), cert).ok())
            .collect();
        host.set_pseudonym_pool(PseudonymPool::new(creds));
    }
    let mut polls_empty = 0u32;
    while let Some(h) = take(&mut d, 3) {
        let dt = i16::from_be_bytes([h[1], h[2]]);
        now = now.add_millis(i64::from(dt));
        match h[0] % 6 {
            0 => {
                let Some(p) = take(&mut d, 2) else { break };
                let present = u16::from_be_bytes([p[0], p[1]]);
                let n = present.count_ones() as usize;
                let Some(v) = take(&mut d, 8 * n) else { break };
                let mut k = 0;
                let mut next = |bit: u16| {
                    (present & (1 << bit) != 0).then(|| {
                        let x = f64_at(v, 8 * k);
                        k += 1;
                        x
                    })
                };
                let lat = next(0).map(|x| value(x, 31.2, 0.01));
                let lon = next(1).map(|x| value(x, 121.5, 0.01));
                let fix_dt =
                    next(2).map_or(0, |x| (value(x, 0.0, 2000.0) as i64).clamp(-5000, 5000));
                let mut s = VehicleState {
                    gnss: match (lat, lon) {
                        (Some(a), Some(b)) => Some(GnssFix {
                            elevation_m: next(3).map(|x| value(x, 10.0, 100.0)),
                            ..GnssFix::new(now.add_millis(fix_dt), a, b)
                        }),
                        _ => None,
                    },
                    speed_mps: next(4).map(|x| value(x, 15.0, 40.0)),
                    heading_deg: next(5).map(|x| value(x, 180.0, 400.0)),
                    yaw_rate_dps: next(6).map(|x| value(x, 0.0, 60.0)),
                    accel_long_mps2: next(7).map(|x| value(x, 0.0, 20.0)),
                    accel_lat_mps2: next(8).map(|x| value(x, 0.0, 10.0)),
                    accel_vert_mps2: next(9).map(|x| value(x, 0.0, 10.0)),
                    steering_wheel_angle_deg: next(10).map(|x| value(x, 0.0, 900.0)),
                    speed_accuracy_mps_95: next(11).map(|x| value(x, 0.5, 1.0)),
                    ..VehicleState::at(now)
                };
                if let Some(x) = next(12) {
                    let bits = x.to_bits();
                    s.events = Events::from_bits(bits as u16);
                    s.lights = Some(Lights::from_bits((bits >> 16) as u16));
                }
                let _ = host.update(s);
            }
            1 => {
                let Some(v) = take(&mut d, 8) else { break };
                let _ = host.set_channel_busy_ratio(value(f64_at(v, 0), 0.5, 1.2));
            }
            2 => {
                let Some(v) = take(&mut d, 4) else { break };
                host.set_vehicle_density(u32::from_be_bytes([v[0], v[1], v[2], v[3]]));
            }
            3 => {
                let mut produced = 0;
                while let Ok(Some(tx)) = host.poll(now) {
                    produced += 1;
                    assert!(produced <= 3, "more than a BSM and an SSM at one instant");
                    match (tx.kind, form) {
                        (cv2x::host::MessageKind::Bsm, BsmForm::Csae2017) => {
                            assert!(v2017::MessageFrame::decode(&tx.uper).is_ok());
                        }
                        _ => {
                            let f = v2020::MessageFrame::decode(&tx.uper);
                            if let Ok(v2020::MessageFrame::BsmFrame(b)) = &f {
                                let n = b
                                    .safety_ext
                                    .as_ref()
                                    .and_then(|e| e.path_history.as_ref())
                                    .map_or(0, |p| p.crumb_data.len());
                                assert!(n <= 23);
                            }
                            assert!(f.is_ok());
                        }
                    }
                }
                // a due time in the past is served by the next poll, never left hanging
                if host.next_due().is_some_and(|t| t <= now) {
                    polls_empty += 1;
                    assert!(polls_empty < 4, "a due message is never served");
                } else {
                    polls_empty = 0;
                }
            }
            4 => {
                let Some(c) = take(&mut d, 1) else { break };
                let n = usize::from(c[0] % 8);
                let Some(v) = take(&mut d, 24 * n) else { break };
                let tracks: Vec<Observation> = (0..n)
                    .map(|i| Observation {
                        source: SourceId {
                            kind: if v[24 * i] & 1 == 0 {
                                SourceKind::Onboard
                            } else {
                                SourceKind::Rsm
                            },
                            station: 0,
                        },
                        object_id: u64::from(v[24 * i + 1]),
                        vehicle_id: None,
                        source_type: SourceType::from_csae(v[24 * i + 2] % 8),
                        time: now,
                        position: ObsPosition::Ego {
                            x_m: value(f64_at(v, 24 * i + 8), 20.0, 200.0),
                            y_m: value(f64_at(v, 24 * i + 16), 0.0, 50.0),
                        },
                        motion: ObsMotion::EgoVelocity {
                            vx_mps: f64::from(v[24 * i + 3] as i8),
                            vy_mps: f64::from(v[24 * i + 4] as i8),
                            relative: v[24 * i + 5] & 1 == 1,
                        },
                        yaw_rate_rps: None,
                        accel_mps2: None,
                        size: None,
                        class: ObjectClass::from_csae(v[24 * i + 6] % 5),
                        covariance: ObsCovariance::default(),
                    })
                    .collect();
                let _ = host.set_onboard_tracks(&tracks);
            }
            _ => {
                let Some(v) = take(&mut d, 3) else { break };
                let _ = host.certificate_requested(&[[v[0], v[1], v[2]]]);
            }
        }
    }
});
