//! DSMP parse + AID dispatch on arbitrary bytes: never panics; whatever parses re-emits to the
//! same octets (reserved bits aside) and dispatches consistently.
#![no_main]

use cv2x::net::dispatch::Framing;
use cv2x::net::dsmp::{Packet, Repr};
use cv2x::net::{Dispatcher, Error};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut dispatcher = Dispatcher::new();
    let dispatched = dispatcher.dispatch(data);
    match Packet::new_checked(data) {
        Ok(packet) => {
            let repr = Repr::parse(&packet).expect("a checked packet has a representation");
            let bytes = repr.to_vec().expect("a parsed packet re-emits");
            assert_eq!(bytes.len(), data.len());
            assert_eq!(bytes.get(1..), data.get(1..));
            assert_eq!(
                bytes.first().map(|b| b & 0xF0),
                data.first().map(|b| b & 0xF0)
            );
            match dispatched {
                Ok(d) => {
                    assert_eq!(d.aid, packet.aid());
                    assert_eq!(d.payload, packet.payload());
                }
                Err(e) => assert!(matches!(e, Error::UnknownAid(_))),
            }
        }
        Err(_) => assert!(dispatched.is_err()),
    }
    assert_eq!(dispatcher.counters().packets, 1);
    let mut adapted = Dispatcher::new();
    adapted.set_framing(Framing::Adaptation);
    let _ = adapted.dispatch(data);
});
