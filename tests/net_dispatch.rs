//! AID dispatch: classes, payload kinds, counters, unknown AIDs and malformed input.
use cv2x::net::aid::{self, DAY1_TABLE};
use cv2x::net::dispatch::{Framing, SecurityMode, looks_like_spdu};
use cv2x::net::dsmp::Repr;
use cv2x::net::{Aid, Dispatcher, Error, MessageClass, PayloadKind};

fn packet(aid: Aid, payload: &[u8]) -> Vec<u8> {
    Repr::new(aid, payload).to_vec().unwrap()
}

// A signed-data SPDU starts with protocol version 3 and the signedData tag 0x81.
const SPDU: &[u8] = &[0x03, 0x81, 0x00, 0x40, 0x01, 0x02];
// A plain UPER BSM frame (first octet of a MessageFrame with bsmFrame).
const PLAIN: &[u8] = &[0x00, 0x12, 0x34, 0x56];

#[test]
fn day1_table_dispatches_every_aid() {
    let mut d = Dispatcher::new();
    for (aid, class) in DAY1_TABLE {
        let bytes = packet(aid, PLAIN);
        let got = d.dispatch(&bytes).unwrap();
        assert_eq!(got.aid, aid);
        assert_eq!(got.class, class);
        assert_eq!(got.kind, PayloadKind::MessageFrame);
        assert_eq!(got.payload, PLAIN);
        assert!(got.extensions.is_none());
    }
    let c = d.counters();
    assert_eq!(c.packets, DAY1_TABLE.len() as u64);
    assert_eq!(c.dispatched, DAY1_TABLE.len() as u64);
    assert_eq!(c.class(MessageClass::Bsm), 5);
    assert_eq!(c.class(MessageClass::Rsi), 3);
    assert_eq!(c.class(MessageClass::Map), 1);
    assert_eq!(c.class(MessageClass::Spat), 1);
    assert_eq!(c.class(MessageClass::Rsm), 1);
    assert_eq!(c.dropped(), 0);
}

#[test]
fn unknown_aid_is_counted_and_dropped() {
    let mut d = Dispatcher::new();
    let bytes = packet(Aid(4242), PLAIN);
    assert!(matches!(
        d.dispatch(&bytes),
        Err(Error::UnknownAid(Aid(4242)))
    ));
    assert_eq!(d.counters().unknown_aid, 1);
    assert_eq!(d.counters().dispatched, 0);
    // Configuring a Day II AID makes it known.
    assert_eq!(d.insert(Aid(4242), MessageClass::Ssm), None);
    assert_eq!(d.dispatch(&bytes).unwrap().class, MessageClass::Ssm);
    assert_eq!(
        d.insert(Aid(4242), MessageClass::Vir),
        Some(MessageClass::Ssm)
    );
    assert_eq!(d.remove(Aid(4242)), Some(MessageClass::Vir));
    assert!(d.dispatch(&bytes).is_err());
    assert_eq!(d.counters().unknown_aid, 2);
    d.reset_counters();
    assert_eq!(d.counters().packets, 0);
}

#[test]
fn empty_dispatcher_knows_nothing() {
    let mut d = Dispatcher::empty();
    assert_eq!(d.lookup(aid::BSM_ORDINARY_PERIODIC), None);
    assert!(d.dispatch(&packet(aid::MAP, PLAIN)).is_err());
}

#[test]
fn security_modes() {
    let mut d = Dispatcher::new();
    let spdu = packet(aid::BSM_ORDINARY_EVENT, SPDU);
    let plain = packet(aid::BSM_ORDINARY_EVENT, PLAIN);
    assert_eq!(d.dispatch(&spdu).unwrap().kind, PayloadKind::Spdu);
    assert_eq!(d.dispatch(&plain).unwrap().kind, PayloadKind::MessageFrame);
    d.set_security(SecurityMode::Plain);
    assert_eq!(d.dispatch(&spdu).unwrap().kind, PayloadKind::MessageFrame);
    d.set_security(SecurityMode::Signed);
    assert_eq!(d.dispatch(&plain).unwrap().kind, PayloadKind::Spdu);
    assert_eq!(d.counters().spdus, 2);
    assert_eq!(d.counters().message_frames, 2);
    assert!(looks_like_spdu(&[3, 0x80]));
    assert!(looks_like_spdu(&[3, 0x84, 1]));
    assert!(!looks_like_spdu(&[3, 0x85]));
    assert!(!looks_like_spdu(&[2, 0x81]));
    assert!(!looks_like_spdu(&[3]));
    assert!(!looks_like_spdu(&[]));
}

#[test]
fn adaptation_framing() {
    let mut d = Dispatcher::new();
    d.set_framing(Framing::Adaptation);
    let mut bytes = vec![4];
    bytes.extend(packet(aid::SPAT, PLAIN));
    let got = d.dispatch(&bytes).unwrap();
    assert_eq!(got.class, MessageClass::Spat);
    assert_eq!(got.payload, PLAIN);
    bytes[0] = 0; // IPv6 over the adaptation layer
    assert!(matches!(d.dispatch(&bytes), Err(Error::NotDsmp(0))));
    assert_eq!(d.counters().not_dsmp, 1);
}

#[test]
fn malformed_and_version_errors_are_counted() {
    let mut d = Dispatcher::new();
    let good = packet(aid::MAP, PLAIN);
    for len in 0..good.len() {
        assert!(matches!(d.dispatch(&good[..len]), Err(Error::Truncated(_))));
    }
    let mut long = good.clone();
    long.push(0);
    assert!(matches!(
        d.dispatch(&long),
        Err(Error::TrailingBytes { .. })
    ));
    let mut v1 = good.clone();
    v1[0] = 0x20;
    assert!(matches!(d.dispatch(&v1), Err(Error::UnsupportedVersion(1))));
    let c = d.counters();
    assert_eq!(c.malformed, good.len() as u64 + 1);
    assert_eq!(c.unsupported_version, 1);
    assert_eq!(c.dropped(), c.packets);
}

#[test]
fn class_names_and_default_aids() {
    for class in MessageClass::ALL {
        if let Some(aid) = class.default_aid() {
            assert_eq!(Dispatcher::new().lookup(aid), Some(class));
        }
    }
    assert_eq!(
        MessageClass::from_type_name("BasicSafetyMessage"),
        Some(MessageClass::Bsm)
    );
    assert_eq!(
        MessageClass::from_type_name("SPAT"),
        Some(MessageClass::Spat)
    );
    assert_eq!(MessageClass::from_type_name("Nope"), None);
    assert_eq!(MessageClass::Rsm.name(), "rsm");
}
