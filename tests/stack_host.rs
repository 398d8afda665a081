//! The ego on the air through the `Stack`: the states given to `set_ego` reach the host vehicle,
//! each poll collects the messages it has due, its own messages echoed back are recognised by
//! its (changing) temporary id, and a verified peer's request for its certificate brings the
//! whole certificate in the next message.
use cv2x::codec::Uper;
use cv2x::geo::Wgs84;
use cv2x::host::{Credential, HostConfig, HostVehicle, PseudonymPool, SeededRandom, VehicleState};
use cv2x::msg::v2020 as m;
use cv2x::net::aid::DAY1_TABLE;
use cv2x::net::dsmp::Repr;
use cv2x::security::cert::{KeyAlg, PsidSsp};
use cv2x::security::sign::SignerMode;
use cv2x::security::spdu::HeaderFields;
use cv2x::security::{Config, Verifier};
use cv2x::stack::{DropReason, RxMeta, Stack, StackConfig};
use cv2x::testing::pki::TestPki;
use cv2x::time::Timestamp;

const ORIGIN: Wgs84 = Wgs84::new(31.2, 121.5, 0.0);

fn t(ms: i64) -> Timestamp {
    Timestamp::from_unix_utc_millis(1_772_352_000_000 + ms)
}

/// The ego driving north at 12 m/s, `ms` after the start.
fn state(ms: i64) -> VehicleState {
    let w = ORIGIN
        .offset_enu(0.0, 12.0 * ms as f64 / 1000.0, 0.0)
        .unwrap();
    let mut s = VehicleState::new(t(ms), w.lat_deg, w.lon_deg, 0.0, 12.0).with_accuracy(0.5, 1.0);
    s.yaw_rate_dps = Some(0.0);
    s.accel_long_mps2 = Some(0.0);
    s
}

fn stack_with_host() -> Stack {
    let mut s = Stack::new(StackConfig::default().with_origin(ORIGIN)).unwrap();
    let host =
        HostVehicle::new(HostConfig::default(), Box::new(SeededRandom::new([3; 32]))).unwrap();
    s.set_host(host);
    s
}

#[test]
fn the_ego_states_become_bsms_collected_at_each_poll() {
    let mut s = stack_with_host();
    let mut sent = Vec::new();
    for k in 0..=30 {
        s.set_ego(&state(k * 100)).unwrap();
        s.poll(t(k * 100)).for_each(drop);
        sent.extend(s.transmissions());
    }
    // 10 Hz from the first state.
    assert!((30..=32).contains(&sent.len()), "{} messages", sent.len());
    assert_eq!(s.counters().transmitted, sent.len() as u64);
    let id = s.host().unwrap().temporary_id().unwrap();
    for (k, tx) in sent.iter().enumerate() {
        let Ok(m::MessageFrame::BsmFrame(bsm)) = m::MessageFrame::decode(&tx.uper) else {
            panic!("message {k} is not a BSM");
        };
        assert_eq!(bsm.id, id);
        let dsmp = Repr::parse_bytes(&tx.dsmp).unwrap();
        assert_eq!(
            dsmp.payload,
            &tx.uper[..],
            "unsigned: the DSMP packet carries the frame"
        );
    }
    // Our own message echoed back is ours, by the host vehicle's temporary id.
    assert_eq!(
        s.ingest(&sent[5].uper, &RxMeta::PLAIN, t(3_100)),
        Err(DropReason::OwnMessage)
    );
}

#[test]
fn a_peer_asking_for_our_certificate_gets_it_in_the_next_message() {
    let pki = TestPki::new(KeyAlg::EcdsaP256, b"stack-host", t(0)).unwrap();
    let aids: Vec<u64> = DAY1_TABLE.iter().map(|(a, _)| u64::from(a.0)).collect();
    let key = pki.key("ego").unwrap();
    let mut template = pki.template(&key, Some(pki.ca_cert()));
    template.fields.app_permissions = aids
        .iter()
        .map(|a| PsidSsp {
            psid: *a,
            ssp: None,
        })
        .collect();
    let cert = pki.issue_by_ca(&template, &key).unwrap();
    let mut s = stack_with_host();
    s.host_mut()
        .unwrap()
        .set_pseudonym_pool(PseudonymPool::new(vec![
            Credential::new(Box::new(key), &cert).unwrap(),
        ]));
    let mut v = Verifier::new(Config::default());
    v.add_trust_anchor(pki.root_cert()).unwrap();
    v.add_certificate(pki.ca_cert()).unwrap();
    s.set_verifier(Box::new(v));
    let mut peer = pki.signer(&aids).unwrap();
    peer.set_mode(SignerMode::Certificate);
    let mut sent = Vec::new();
    for k in 0..=4 {
        s.set_ego(&state(k * 100)).unwrap();
        s.poll(t(k * 100)).for_each(drop);
        sent.extend(s.transmissions());
    }
    assert!(sent[0].full_certificate, "the first message of a pseudonym");
    assert!(
        sent[1..]
            .iter()
            .all(|tx| !tx.full_certificate && tx.spdu.is_some())
    );
    let id8 = sent[0].certificate.unwrap();
    // A peer's BSM asking for our certificate by its HashedId3.
    let peer_bsm = {
        let mut other = s.host().unwrap().temporary_id().unwrap();
        other[0] ^= 0xff;
        let mut b = m::MessageFrame::decode(&sent[1].uper).unwrap();
        if let m::MessageFrame::BsmFrame(bsm) = &mut b {
            bsm.id = other;
        }
        b.encode().unwrap()
    };
    let header = HeaderFields {
        psid: 111,
        generation_time: u64::try_from(t(450).as_micros()).ok(),
        p2pcd_learning_request: Some([id8[5], id8[6], id8[7]]),
        ..HeaderFields::default()
    };
    let spdu = peer.sign_with(&peer_bsm, &header).unwrap();
    s.ingest(&spdu, &RxMeta::SPDU, t(450)).unwrap();
    assert_eq!(s.counters().certificate_requests, 1);
    s.set_ego(&state(500)).unwrap();
    s.poll(t(500)).for_each(drop);
    let next: Vec<_> = s.transmissions().collect();
    assert_eq!(next.len(), 1);
    assert!(next[0].full_certificate, "asked for: sent at once");
    // A request for someone else's certificate changes nothing.
    let header = HeaderFields {
        p2pcd_learning_request: Some([1, 2, 3]),
        generation_time: u64::try_from(t(550).as_micros()).ok(),
        ..header
    };
    let spdu = peer.sign_with(&peer_bsm, &header).unwrap();
    // (the BSM itself is too old by now; its signature and header still count)
    let _ = s.ingest(&spdu, &RxMeta::SPDU, t(550));
    assert_eq!(s.counters().verified, 2);
    s.set_ego(&state(600)).unwrap();
    s.poll(t(600)).for_each(drop);
    let next: Vec<_> = s.transmissions().collect();
    assert!(!next[0].full_certificate);
}
