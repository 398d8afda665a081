//! The host vehicle through its library API: scheduling, events, outages, bad input, rate
//! policy, pseudonyms and certificates, both BSM forms, sensor sharing.
use cv2x::codec::Uper;
use cv2x::fusion::{
    ObjectClass, ObsCovariance, ObsMotion, ObsPosition, Observation, SourceId, SourceKind,
    SourceType,
};
use cv2x::geo::Wgs84;
use cv2x::host::{
    EmergencyState, Events, Field, GnssFix, HostConfig, HostError, HostVehicle, InputError,
    MessageKind, PseudonymPolicy, Response, SeededRandom, SsmConfig, Transmission, VehicleState,
};
use cv2x::msg::{v2017, v2020};
use cv2x::net::Aid;
use cv2x::time::Timestamp;
use cv2x::world::convert::offset_position_deg;

fn t0() -> Timestamp {
    Timestamp::from_unix_utc_millis(1_748_764_800_000)
}

fn host(config: HostConfig) -> HostVehicle {
    HostVehicle::new(config, Box::new(SeededRandom::new([9; 32]))).unwrap()
}

/// A state at `ms` after t0, driving north at 10 m/s from (31.2, 121.5).
fn state(ms: i64) -> VehicleState {
    let t = t0().add_millis(ms);
    let north = 10.0 * ms as f64 / 1000.0;
    let w = Wgs84::new(31.2, 121.5, 0.0)
        .offset_enu(0.0, north, 0.0)
        .unwrap();
    VehicleState {
        gnss: Some(GnssFix::new(t, w.lat_deg, w.lon_deg)),
        speed_mps: Some(10.0),
        heading_deg: Some(0.0),
        yaw_rate_dps: Some(0.0),
        accel_long_mps2: Some(0.0),
        ..VehicleState::at(t)
    }
}

/// Feeds states every `step_ms` for `n` steps, polling at every due time and at every
/// sample; returns what was sent.
fn drive(
    h: &mut HostVehicle,
    n: i64,
    step_ms: i64,
    mut f: impl FnMut(i64, &mut VehicleState),
) -> Vec<Transmission> {
    let mut out = Vec::new();
    for k in 0..n {
        let ms = k * step_ms;
        let mut s = state(ms);
        f(ms, &mut s);
        let t = s.time;
        while let Some(due) = h.next_due().filter(|d| *d < t) {
            while let Some(tx) = h.poll(due).unwrap() {
                out.push(tx);
            }
        }
        h.update(s).unwrap();
        while let Some(tx) = h.poll(t).unwrap() {
            out.push(tx);
        }
    }
    out
}

fn bsm(tx: &Transmission) -> v2020::BasicSafetyMessage {
    match v2020::MessageFrame::decode(&tx.uper).unwrap() {
        v2020::MessageFrame::BsmFrame(b) => b,
        other => panic!("not a BSM: {other:?}"),
    }
}

fn gaps_ms(txs: &[Transmission]) -> Vec<i64> {
    txs.windows(2)
        .map(|w| w[1].time.micros_since(w[0].time) / 1000)
        .collect()
}

#[test]
fn an_event_goes_out_at_once_flagged_and_under_the_event_aid() {
    let mut h = host(HostConfig::default());
    // samples every 30 ms: the event arrives between two periodic BSMs
    let txs = drive(&mut h, 100, 30, |ms, s| {
        if (1230..1800).contains(&ms) {
            s.accel_long_mps2 = Some(-6.0);
        }
    });
    let first_event = txs.iter().position(|t| t.event).unwrap();
    let tx = &txs[first_event];
    assert_eq!(
        tx.time,
        t0().add_millis(1230),
        "sent with the sample that started it"
    );
    assert_eq!(tx.aid, Aid(112));
    assert!(bsm(tx).safety_ext.unwrap().events.unwrap().get(7));
    let before = &txs[first_event - 1];
    assert!(tx.time.micros_since(before.time) < 100_000);
    // periodic again from there, still under the event AID while braking
    let next = &txs[first_event + 1];
    assert_eq!(next.time.micros_since(tx.time), 100_000);
    assert_eq!(next.aid, Aid(112));
    // after the event: the ordinary AID, no flag
    let last = txs.last().unwrap();
    assert_eq!(last.aid, Aid(111));
    assert!(bsm(last).safety_ext.unwrap().events.is_none());
    assert_eq!(h.counters().event_bsm, 1);
}

#[test]
fn a_gnss_outage_silences_the_bsm_and_restarts_the_history() {
    let mut h = host(HostConfig::default());
    let txs = drive(&mut h, 150, 100, |ms, s| {
        if (5000..8000).contains(&ms) {
            s.gnss = None;
        }
    });
    // nothing older than max_fix_age (1 s) goes out: last BSM before the gap at ≤ 5.9 s
    assert!(txs.iter().all(|t| {
        let ms = t.time.micros_since(t0()) / 1000;
        !(5000..8000).contains(&ms) || ms < 6000
    }));
    assert!(h.counters().no_fix >= 20, "{:?}", h.counters());
    let resumed = txs
        .iter()
        .find(|t| t.time >= t0().add_millis(8000))
        .unwrap();
    assert_eq!(resumed.time, t0().add_millis(8000));
    // the history across the gap is gone: the first BSM after it has no crumbs
    let ph = bsm(resumed).safety_ext.unwrap().path_history;
    assert!(ph.is_none(), "{ph:?}");
    // counts go on under the same pseudonym
    let before = txs.iter().rev().find(|t| t.time < resumed.time).unwrap();
    assert_eq!(before.temporary_id, resumed.temporary_id);
    assert_eq!(resumed.msg_cnt, (before.msg_cnt + 1) % 128);
}

#[test]
fn bad_values_become_not_available_and_time_must_advance() {
    let mut h = host(HostConfig::default());
    let mut s = state(0);
    s.speed_mps = Some(f64::NAN);
    s.heading_deg = Some(f64::INFINITY);
    s.yaw_rate_dps = Some(1e9);
    let a = h.update(s).unwrap();
    assert!(a.dropped.contains(Field::Speed) && a.dropped.contains(Field::Heading));
    assert!(a.dropped.contains(Field::YawRate));
    let tx = h.poll(t0()).unwrap().unwrap();
    let b = bsm(&tx);
    assert_eq!((b.speed, b.heading, b.accel_set.yaw), (8191, 28800, 0));
    assert!(matches!(
        h.update(state(0)),
        Err(InputError::TimeNotIncreasing { .. })
    ));
    // a fix older than the one before is dropped, the rest of the state is kept
    let mut s = state(100);
    if let Some(g) = s.gnss.as_mut() {
        g.time = t0().add_millis(-500);
    }
    let a = h.update(s).unwrap();
    assert!(a.dropped.contains(Field::FixTime));
    assert_eq!(h.state().unwrap().speed_mps, Some(10.0));
    // a coordinate out of range is an outage, not a wrong position
    let mut s = state(200);
    if let Some(g) = s.gnss.as_mut() {
        g.lat_deg = -91.0;
    }
    assert!(h.update(s).unwrap().dropped.contains(Field::Latitude));
    assert!(h.state().unwrap().gnss.is_none());
    assert_eq!(h.counters().states_refused, 1);
    assert!(matches!(
        h.set_channel_busy_ratio(1.5),
        Err(HostError::ChannelBusyRatio(_))
    ));
    assert!(h.set_channel_busy_ratio(f64::NAN).is_err());
}

#[test]
fn channel_load_and_density_stretch_the_interval_but_not_during_events() {
    let mut h = host(HostConfig::default());
    drive(&mut h, 20, 100, |_, _| {});
    for _ in 0..3 {
        h.set_channel_busy_ratio(0.55).unwrap();
    }
    assert_eq!(h.rate().interval_ms(), 500);
    h.set_vehicle_density(100);
    assert_eq!(h.rate().interval_ms(), 500);
    let mut busy = Vec::new();
    for k in 20..80 {
        let s = state(k * 100);
        let t = s.time;
        h.update(s).unwrap();
        while let Some(tx) = h.poll(t).unwrap() {
            busy.push(tx);
        }
    }
    assert!(
        gaps_ms(&busy).iter().all(|g| *g == 500),
        "{:?}",
        gaps_ms(&busy)
    );
    // an event brings the baseline back at once
    let mut ev = Vec::new();
    for k in 80..100 {
        let mut s = state(k * 100);
        s.events = Events::HAZARD_LIGHTS;
        let t = s.time;
        h.update(s).unwrap();
        while let Some(tx) = h.poll(t).unwrap() {
            ev.push(tx);
        }
    }
    assert_eq!(ev[0].time, t0().add_millis(8000));
    assert!(gaps_ms(&ev).iter().all(|g| *g == 100));
}

#[test]
fn the_2017_form_decodes_with_the_2017_set() {
    let mut h = host(HostConfig {
        form: cv2x::host::BsmForm::Csae2017,
        ..HostConfig::default()
    });
    let txs = drive(&mut h, 40, 100, |_, _| {});
    let last = txs.last().unwrap();
    let v2017::MessageFrame::BsmFrame(b) = v2017::MessageFrame::decode(&last.uper).unwrap() else {
        panic!("not a 2017 BSM")
    };
    assert_eq!(b.msg_cnt, last.msg_cnt);
    assert_eq!(b.speed, 500);
    assert!(b.safety_ext.unwrap().path_history.is_some());
}

#[test]
fn an_emergency_vehicle_uses_the_special_aids_and_extension() {
    let mut h = host(HostConfig::default());
    let txs = drive(&mut h, 5, 100, |_, s| {
        s.emergency = Some(EmergencyState {
            response: Some(Response::Emergency),
            siren: Some(true),
            light_bar: None,
        });
    });
    assert!(txs.iter().all(|t| t.aid == Aid(113)));
    let e = bsm(&txs[0]).emergency_ext.unwrap();
    assert_eq!(e.response_type, Some(v2020::ResponseType::Emergency));
    assert_eq!(e.siren_use, Some(v2020::SirenInUse::InUse));
}

#[test]
fn the_tracking_error_adds_bsms_when_the_interval_is_long() {
    let mut h = host(HostConfig::default());
    drive(&mut h, 5, 100, |_, _| {});
    for _ in 0..4 {
        h.set_channel_busy_ratio(0.9).unwrap();
    }
    assert_eq!(h.rate().interval_ms(), 600);
    let mut txs = Vec::new();
    for k in 5..60 {
        // a swerve: 3 m/s to the east that the BSM's constant heading does not predict
        let ms = k * 100;
        let mut s = state(ms);
        if let Some(g) = s.gnss.as_mut() {
            let w = Wgs84::new(g.lat_deg, g.lon_deg, 0.0)
                .offset_enu(3.0 * (ms - 500) as f64 / 1000.0, 0.0, 0.0)
                .unwrap();
            g.lat_deg = w.lat_deg;
            g.lon_deg = w.lon_deg;
        }
        let t = s.time;
        h.update(s).unwrap();
        while let Some(tx) = h.poll(t).unwrap() {
            txs.push(tx);
        }
    }
    assert!(h.counters().tracking_bsm > 0);
    assert!(gaps_ms(&txs).iter().all(|g| (100..=600).contains(g)));
    assert!(gaps_ms(&txs).iter().any(|g| *g < 600));
}

fn onboard(id: u64, x_m: f64, y_m: f64, t: Timestamp) -> Observation {
    Observation {
        source: SourceId {
            kind: SourceKind::Onboard,
            station: 1,
        },
        object_id: id,
        vehicle_id: None,
        source_type: SourceType::Lidar,
        time: t,
        position: ObsPosition::Ego { x_m, y_m },
        motion: ObsMotion::EgoVelocity {
            vx_mps: -10.0,
            vy_mps: 0.0,
            relative: true,
        },
        yaw_rate_rps: None,
        accel_mps2: None,
        size: None,
        class: ObjectClass::Pedestrian,
        covariance: ObsCovariance::default(),
    }
}

#[test]
fn onboard_tracks_are_shared_and_echoes_are_not() {
    let mut h = host(HostConfig {
        ssm: Some(SsmConfig {
            aid: Aid(3624),
            interval_ms: 200,
            max_track_age_ms: 500,
        }),
        ..HostConfig::default()
    });
    drive(&mut h, 3, 100, |_, _| {});
    let t = t0().add_millis(300);
    let mut echo = onboard(2, 5.0, 0.0, t);
    echo.source_type = SourceType::V2x;
    let mut remote = onboard(3, 5.0, 0.0, t);
    remote.source.kind = SourceKind::Rsm;
    let mut enu = onboard(4, 5.0, 0.0, t);
    enu.position = ObsPosition::Enu { x_m: 1.0, y_m: 2.0 };
    let taken = h.set_onboard_tracks(&[onboard(1, 20.0, 3.0, t), echo, remote, enu]);
    assert_eq!(
        (
            taken.shared,
            taken.echoes,
            taken.not_onboard,
            taken.unplaceable
        ),
        (1, 1, 1, 1)
    );
    let s = state(300);
    h.update(s).unwrap();
    let mut sent = Vec::new();
    while let Some(tx) = h.poll(t).unwrap() {
        sent.push(tx);
    }
    let ssm = sent.iter().find(|m| m.kind == MessageKind::Ssm).unwrap();
    assert_eq!(ssm.aid, Aid(3624));
    let bsm_id = sent
        .iter()
        .find(|m| m.kind == MessageKind::Bsm)
        .unwrap()
        .temporary_id;
    let v2020::MessageFrame::MsgFrameExt(ext) = v2020::MessageFrame::decode(&ssm.uper).unwrap()
    else {
        panic!("not a Day II frame")
    };
    let v2020::MessageFrameExtValue::SensorSharingMsg(m) = ext.value else {
        panic!("not an SSM")
    };
    assert_eq!(m.id, bsm_id, "the SSM speaks under the BSM's pseudonym");
    assert_eq!(m.equipment_type, v2020::EquipmentType::Obu);
    let p = &m.participants.unwrap()[0];
    assert_eq!(p.ptc.ptc_type, v2020::ParticipantType::Pedestrian);
    assert_eq!(p.ptc.source, v2020::SourceType::Lidar);
    // 20 m ahead (north) and 3 m to the left (west) of the ego
    let (lat, lon) = offset_position_deg(&m.sensor_pos, &p.ptc.pos).unwrap();
    let ego = state(300).gnss.unwrap();
    let d = Wgs84::new(ego.lat_deg, ego.lon_deg, 0.0)
        .enu_offset_to(&Wgs84::new(lat, lon, 0.0))
        .unwrap();
    assert!(
        (d.x + 3.0).abs() < 0.05 && (d.y - 20.0).abs() < 0.05,
        "{d:?}"
    );
    // closing at 10 m/s relative while the ego drives 10 m/s: standing still
    assert!(p.ptc.speed <= 1, "{}", p.ptc.speed);
    // next SSM after the interval, none once the tracks are stale
    assert!(
        h.poll(t.add_millis(100))
            .unwrap()
            .is_none_or(|m| m.kind == MessageKind::Bsm)
    );
    let later = t.add_millis(900);
    h.update(state(900)).unwrap();
    while let Some(tx) = h.poll(later).unwrap() {
        assert_eq!(tx.kind, MessageKind::Bsm);
    }
}

#[test]
fn the_policy_changes_nothing_by_default() {
    let mut h = host(HostConfig::default());
    let txs = drive(&mut h, 600, 100, |_, _| {});
    assert!(txs.iter().all(|t| t.temporary_id == txs[0].temporary_id));
    assert!(
        txs[0].pseudonym_changed,
        "the first message starts the first pseudonym"
    );
    assert!(txs[1..].iter().all(|t| !t.pseudonym_changed));
    assert_eq!(txs.len(), 600);
}

#[test]
fn unsigned_pseudonym_changes_renew_id_count_and_history_together() {
    let mut h = host(HostConfig {
        pseudonym: PseudonymPolicy {
            interval_ms: Some(20_000),
            distance_m: Some(100.0),
        },
        ..HostConfig::default()
    });
    let txs = drive(&mut h, 700, 100, |_, _| {});
    let changes: Vec<usize> = (1..txs.len())
        .filter(|i| txs[*i].temporary_id != txs[i - 1].temporary_id)
        .collect();
    assert_eq!(changes.len(), 3, "every 20 s over 70 s");
    for i in changes {
        assert!(txs[i].pseudonym_changed);
        assert!(bsm(&txs[i]).safety_ext.unwrap().path_history.is_none());
        assert_ne!(txs[i].msg_cnt, (txs[i - 1].msg_cnt + 1) % 128);
    }
    assert_eq!(h.counters().pseudonym_changes, 3);
}

#[test]
fn queued_application_messages_go_first_under_the_current_pseudonym() {
    let mut h = host(HostConfig::default());
    let frame = vec![0x80, 0x01, 0x02];
    // Before any message there is no pseudonym to name.
    assert!(matches!(
        h.queue_message(MessageKind::Vir, Aid(24), frame.clone(), 5),
        Err(HostError::NoPseudonym)
    ));
    let first = drive(&mut h, 1, 100, |_, _| {});
    assert_eq!(first.len(), 1);
    let id = h.temporary_id().unwrap();
    h.queue_message(MessageKind::Vir, Aid(24), frame.clone(), 5)
        .unwrap();
    h.queue_message(MessageKind::Clpmm, Aid(19), vec![1, 2], 6)
        .unwrap();
    assert_eq!(h.queued_messages(), 2);
    // Due at once, before the next BSM.
    assert_eq!(h.next_due(), h.state().map(|s| s.time));
    let t = t0().add_millis(100);
    h.update(state(100)).unwrap();
    let mut sent = Vec::new();
    while let Some(tx) = h.poll(t).unwrap() {
        sent.push(tx);
    }
    assert_eq!(sent.len(), 3, "{sent:?}");
    let (a, b) = (&sent[0], &sent[1]);
    assert_eq!((a.kind, a.aid, a.msg_cnt), (MessageKind::Vir, Aid(24), 5));
    assert_eq!(a.uper, frame);
    assert_eq!(a.temporary_id, id);
    assert!(!a.event && !a.pseudonym_changed && a.spdu.is_none());
    // DSMP: the frame under AID 24 (one octet).
    assert!(a.dsmp.ends_with(&frame));
    assert_eq!((b.kind, b.aid), (MessageKind::Clpmm, Aid(19)));
    assert_eq!(sent[2].kind, MessageKind::Bsm);
    assert_eq!(h.counters().app_messages, 2);
    assert_eq!(h.queued_messages(), 0);
    // The queue is bounded.
    for _ in 0..HostVehicle::QUEUE_CAPACITY {
        h.queue_message(MessageKind::Vpm, Aid(25), vec![0], 0)
            .unwrap();
    }
    assert!(matches!(
        h.queue_message(MessageKind::Vpm, Aid(25), vec![0], 0),
        Err(HostError::QueueFull)
    ));
    assert_eq!(h.counters().app_messages_dropped, 2);
}

#[test]
fn a_queued_message_never_goes_out_under_a_new_pseudonym() {
    let mut h = host(HostConfig {
        pseudonym: PseudonymPolicy {
            interval_ms: Some(1000),
            distance_m: None,
        },
        ..HostConfig::default()
    });
    let _ = drive(&mut h, 10, 100, |_, _| {});
    let old = h.temporary_id().unwrap();
    h.queue_message(MessageKind::Vir, Aid(24), vec![7], 1)
        .unwrap();
    // The next BSM is due 1 s after the pseudonym began: it changes the pseudonym, but the
    // queued message goes first, under the old id.
    let t = t0().add_millis(1000);
    h.update(state(1000)).unwrap();
    let first = h.poll(t).unwrap().unwrap();
    assert_eq!((first.kind, first.temporary_id), (MessageKind::Vir, old));
    let bsm = h.poll(t).unwrap().unwrap();
    assert!(bsm.pseudonym_changed && bsm.temporary_id != old);
    assert_eq!(h.counters().app_messages, 1);
}

#[cfg(feature = "security")]
mod signed {
    use super::*;
    use cv2x::host::{Credential, PseudonymPool};
    use cv2x::net::aid::DAY1_TABLE;
    use cv2x::security::cert::{KeyAlg, PsidSsp, Signature};
    use cv2x::security::sign::SigningBackend;
    use cv2x::security::{Config, SecurityError, Verifier};
    use cv2x::testing::pki::TestPki;

    fn pool(pki: &TestPki, n: usize) -> PseudonymPool {
        let aids: Vec<u64> = DAY1_TABLE.iter().map(|(a, _)| u64::from(a.0)).collect();
        PseudonymPool::new(
            (0..n)
                .map(|i| {
                    let key = pki.key(&format!("p{i}")).unwrap();
                    let mut t = pki.template(&key, Some(pki.ca_cert()));
                    t.fields.app_permissions = aids
                        .iter()
                        .map(|a| PsidSsp {
                            psid: *a,
                            ssp: None,
                        })
                        .collect();
                    let cert = pki.issue_by_ca(&t, &key).unwrap();
                    Credential::new(Box::new(key), &cert).unwrap()
                })
                .collect(),
        )
    }

    fn verifier(pki: &TestPki) -> Verifier {
        let mut v = Verifier::new(Config::default());
        v.add_trust_anchor(pki.root_cert()).unwrap();
        v.add_certificate(pki.ca_cert()).unwrap();
        v
    }

    #[test]
    fn queued_messages_are_signed_and_dropped_when_the_pool_changes() {
        let pki = TestPki::new(KeyAlg::EcdsaP256, b"host-queue", t0()).unwrap();
        let mut h = host(HostConfig::default());
        h.set_pseudonym_pool(pool(&pki, 2));
        let before = drive(&mut h, 3, 100, |_, _| {});
        // The first BSM carried the certificate: the verifier learns it.
        let mut v = verifier(&pki);
        assert_eq!(
            v.verify(before[0].spdu.as_ref().unwrap(), before[0].time)
                .code(),
            "ok"
        );
        let frame = vec![0x80, 0x0d, 0x01];
        h.queue_message(MessageKind::Vir, Aid(111), frame.clone(), 3)
            .unwrap();
        let t = t0().add_millis(300);
        h.update(state(300)).unwrap();
        let tx = h.poll(t).unwrap().unwrap();
        assert_eq!(tx.kind, MessageKind::Vir);
        let r = v.verify(tx.spdu.as_ref().unwrap(), tx.time);
        assert_eq!(r.code(), "ok");
        assert_eq!(r.payload, Some(frame.as_slice()));
        // A new pool starts a new pseudonym: what was queued under the old one is dropped.
        h.queue_message(MessageKind::Vir, Aid(111), frame, 4)
            .unwrap();
        h.set_pseudonym_pool(pool(&pki, 2));
        let t = t0().add_millis(400);
        h.update(state(400)).unwrap();
        let mut kinds = Vec::new();
        while let Some(tx) = h.poll(t).unwrap() {
            kinds.push(tx.kind);
        }
        assert_eq!(kinds, [MessageKind::Bsm]);
        assert_eq!(h.counters().app_messages_dropped, 1);
    }

    #[test]
    fn sm2_and_p256_pseudonyms_sign_bsms_that_verify() {
        for alg in [KeyAlg::Sm2, KeyAlg::EcdsaP256] {
            let pki = TestPki::new(alg, b"host-signed", t0()).unwrap();
            let mut h = host(HostConfig {
                pseudonym: PseudonymPolicy {
                    interval_ms: Some(5_000),
                    distance_m: None,
                },
                ..HostConfig::default()
            });
            h.set_pseudonym_pool(pool(&pki, 3));
            let txs = drive(&mut h, 120, 100, |_, _| {});
            let mut v = verifier(&pki);
            for tx in &txs {
                let r = v.verify(tx.spdu.as_ref().unwrap(), tx.time);
                assert_eq!(r.code(), "ok", "{alg:?} {:?}", tx.time);
                assert_eq!(r.signer, tx.certificate);
            }
            for w in txs.windows(2) {
                if w[1].temporary_id != w[0].temporary_id {
                    assert_ne!(w[1].certificate, w[0].certificate);
                    assert!(w[1].full_certificate);
                } else {
                    assert_eq!(w[1].certificate, w[0].certificate);
                }
            }
            assert!(h.counters().pseudonym_changes >= 2);
        }
    }

    #[test]
    fn a_peer_request_for_our_certificate_brings_it_at_once() {
        let pki = TestPki::new(KeyAlg::EcdsaP256, b"p2pcd", t0()).unwrap();
        let mut h = host(HostConfig::default());
        h.set_pseudonym_pool(pool(&pki, 2));
        let txs = drive(&mut h, 5, 100, |_, _| {});
        assert!(txs[0].full_certificate && !txs[1].full_certificate);
        let id8 = txs[0].certificate.unwrap();
        assert!(!h.certificate_requested(&[[1, 2, 3]]));
        assert!(h.certificate_requested(&[[9, 9, 9], [id8[5], id8[6], id8[7]]]));
        let more = drive(&mut h, 3, 100, |ms, s| {
            *s = state(ms + 500);
        });
        assert!(more[0].full_certificate);
        assert!(!more[1].full_certificate);
    }

    #[test]
    fn without_another_certificate_the_pseudonym_stays_whole() {
        let pki = TestPki::new(KeyAlg::Sm2, b"one", t0()).unwrap();
        let mut h = host(HostConfig {
            pseudonym: PseudonymPolicy {
                interval_ms: Some(1_000),
                distance_m: None,
            },
            ..HostConfig::default()
        });
        h.set_pseudonym_pool(pool(&pki, 1));
        let txs = drive(&mut h, 50, 100, |_, _| {});
        assert!(txs.iter().all(|t| t.temporary_id == txs[0].temporary_id));
        assert!(h.counters().changes_blocked > 0);
        // outside every certificate's validity nothing is signed
        let mut late = host(HostConfig::default());
        late.set_pseudonym_pool(pool(&pki, 2));
        let far = 400 * 86_400_000;
        let mut s = state(0);
        s.time = t0().add_millis(far);
        if let Some(g) = s.gnss.as_mut() {
            g.time = s.time;
        }
        late.update(s).unwrap();
        assert!(matches!(
            late.poll(t0().add_millis(far)),
            Err(HostError::NoValidCertificate(_))
        ));
    }

    /// A key in a chip that has failed.
    struct Broken([u8; 64], KeyAlg);

    impl SigningBackend for Broken {
        fn alg(&self) -> KeyAlg {
            self.1
        }
        fn public_xy(&self) -> [u8; 64] {
            self.0
        }
        fn sign_prehashed(&self, _: &[u8; 32]) -> Result<Signature, SecurityError> {
            Err(SecurityError::SigningFailed)
        }
    }

    #[test]
    fn a_failing_key_is_a_typed_error_and_a_foreign_key_is_refused() {
        let pki = TestPki::new(KeyAlg::EcdsaP256, b"broken", t0()).unwrap();
        let key = pki.key("p0").unwrap();
        let signer = pki.signer(&[111]).unwrap();
        assert!(matches!(
            Credential::new(Box::new(key.clone()), signer.certificate()),
            Err(cv2x::host::CredentialError::KeyMismatch)
        ));
        let broken = Broken(signer.key().public_xy(), KeyAlg::EcdsaP256);
        let cred = Credential::new(Box::new(broken), signer.certificate()).unwrap();
        let mut h = host(HostConfig::default());
        h.set_pseudonym_pool(PseudonymPool::new(vec![cred]));
        h.update(state(0)).unwrap();
        assert!(matches!(
            h.poll(t0()),
            Err(HostError::Signing(SecurityError::SigningFailed))
        ));
        assert_eq!(h.counters().failures, 1);
    }
}

#[test]
fn a_configuration_that_cannot_work_is_refused() {
    use cv2x::host::{ConfigItem, RateConfig};
    let bad =
        |config: HostConfig| match HostVehicle::new(config, Box::new(SeededRandom::new([0; 32]))) {
            Err(HostError::Config(item)) => item,
            other => panic!("{other:?}"),
        };
    let rate = |rate: RateConfig| HostConfig {
        rate,
        ..HostConfig::default()
    };
    assert_eq!(
        bad(rate(RateConfig {
            min_interval_ms: 0,
            ..RateConfig::default()
        })),
        ConfigItem::RateIntervals
    );
    assert_eq!(
        bad(rate(RateConfig {
            cbr_limits: [0.3, 0.2, 0.5, 0.6],
            ..RateConfig::default()
        })),
        ConfigItem::RateChannelLoad
    );
    let mut c = HostConfig::default();
    c.path_history.max_points = 24;
    assert_eq!(bad(c), ConfigItem::PathHistory);
    let c = HostConfig {
        hard_braking_mps2: f64::NAN,
        ..HostConfig::default()
    };
    assert_eq!(bad(c), ConfigItem::HardBraking);
    let mut c = HostConfig::default();
    c.pseudonym.distance_m = Some(f64::INFINITY);
    assert_eq!(bad(c), ConfigItem::Pseudonym);
}

#[test]
fn no_prediction_without_a_current_yaw_rate() {
    let mut h = host(HostConfig::default());
    let txs = drive(&mut h, 30, 100, |ms, s| {
        if ms >= 1000 {
            s.yaw_rate_dps = None;
        }
    });
    let pred = |tx: &Transmission| bsm(tx).safety_ext.unwrap().path_prediction;
    assert!(pred(&txs[5]).is_some());
    assert!(
        pred(&txs[29]).is_none(),
        "a yaw rate 1.9 s old predicts nothing"
    );
}

#[test]
fn the_heading_is_held_at_walking_pace() {
    let mut h = host(HostConfig::default());
    let txs = drive(&mut h, 40, 100, |ms, s| {
        let k = ms / 100;
        // slowing to a crawl from 1 s to 3 s, where the course becomes noise
        if (10..30).contains(&k) {
            s.speed_mps = Some(0.5);
            s.heading_deg = Some((k * 37 % 360) as f64);
        }
        if k >= 30 {
            s.heading_deg = Some(10.0);
        }
    });
    let heading = |k: usize| bsm(&txs[k]).heading;
    assert!(
        (10..30).all(|k| heading(k) == 0),
        "held at the last heading driven"
    );
    assert_eq!(heading(35), 800, "released once moving again");
}

#[test]
fn the_host_vehicle_can_move_between_threads() {
    fn send<T: Send>() {}
    send::<HostVehicle>();
}
