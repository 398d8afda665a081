//! Test-only exports (cargo feature `test-panic`, never in a release build): each panics
//! inside the boundary while holding a handle, so the C tests can check that the panic becomes
//! `CV2X_ERR_PANIC` and the handle `CV2X_ERR_POISONED`.

use crate::boundary::{deref, ffi, tri};
use crate::codec::cv2x_frame;
use crate::net::cv2x_dispatcher;
use crate::result::*;
use crate::security::{cv2x_signer, cv2x_verifier};
use crate::stack::cv2x_stack;

/// Panics (no handle): returns `CV2X_ERR_PANIC`.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_test_panic() -> cv2x_result {
    ffi!({ panic!("cv2x_test_panic: forced panic") })
}

/// Panics while holding the verifier: returns `CV2X_ERR_PANIC` and poisons it.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_test_panic_verifier(v: *mut cv2x_verifier) -> cv2x_result {
    ffi!({
        let _g = tri!(deref!(v).enter_for_test());
        panic!("cv2x_test_panic_verifier: forced panic")
    })
}

/// Panics while holding the signer: returns `CV2X_ERR_PANIC` and poisons it.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_test_panic_signer(s: *mut cv2x_signer) -> cv2x_result {
    ffi!({
        let _g = tri!(deref!(s).enter_for_test());
        panic!("cv2x_test_panic_signer: forced panic")
    })
}

/// Panics while holding the dispatcher: returns `CV2X_ERR_PANIC` and poisons it.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_test_panic_dispatcher(d: *mut cv2x_dispatcher) -> cv2x_result {
    ffi!({
        let _g = tri!(deref!(d).enter_for_test());
        panic!("cv2x_test_panic_dispatcher: forced panic")
    })
}

/// Panics while reading the frame: returns `CV2X_ERR_PANIC` and poisons it.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_test_panic_frame(f: *const cv2x_frame) -> cv2x_result {
    ffi!({
        let _g = tri!(deref!(f).read_for_test());
        panic!("cv2x_test_panic_frame: forced panic")
    })
}

/// Panics in a query that returns no code: returns 0.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_test_panic_u32() -> u32 {
    ffi!(panic = 0, { panic!("cv2x_test_panic_u32: forced panic") })
}

/// Panics in the middle of a stack call (after a poll, holding the stack): returns
/// `CV2X_ERR_PANIC` and poisons the stack.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_test_panic_stack(s: *mut cv2x_stack, now: i64) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(s).enter_for_test());
        g.stack
            .poll(cv2x::time::Timestamp::from_micros(now))
            .for_each(drop);
        panic!("cv2x_test_panic_stack: forced panic")
    })
}

/// `cv2x_test_payment_vpm` step: the roadside service table (a free-flow toll at `price`).
pub const CV2X_TEST_VPM_OFFER: u32 = 0;
/// `cv2x_test_payment_vpm` step: read the vehicle and toll files.
pub const CV2X_TEST_VPM_READ: u32 = 1;
/// `cv2x_test_payment_vpm` step: read with authentication.
pub const CV2X_TEST_VPM_SECURE_READ: u32 = 2;
/// `cv2x_test_payment_vpm` step: charge `price`.
pub const CV2X_TEST_VPM_CHARGE: u32 = 3;
/// `cv2x_test_payment_vpm` step: show the result, paid (no answer asked).
pub const CV2X_TEST_VPM_PAID: u32 = 4;
/// `cv2x_test_payment_vpm` step: show the result, not paid (no answer asked).
pub const CV2X_TEST_VPM_NOT_PAID: u32 = 5;

/// The VPM frame (UPER MessageFrame) of a roadside payment station `rsu8` (8 octets) at one
/// step of a free-flow toll transaction with the on-board unit `obu8` (8 octets; unused for
/// the offer), as T/CSAE 157-2020 orders them: the offer, then commands addressed to the
/// on-board unit. `CV2X_ERR_INVALID_PARAMETER` for an unknown step.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_test_payment_vpm(
    rsu8: *const u8,
    obu8: *const u8,
    step: u32,
    price: u32,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> cv2x_result {
    ffi!({
        use cv2x::codec::Uper;
        use cv2x::codec::uper::UnknownExtensions as X;
        use cv2x::msg::v2020 as m;
        let id8 = crate::stack::id8_of;
        let Some(rsu) = id8(rsu8) else {
            return CV2X_ERR_NULL_POINTER;
        };
        let time = m::DDateTime {
            year: None,
            month: None,
            day: None,
            hour: None,
            minute: None,
            second: None,
            offset: None,
        };
        let range = |length| m::RangeOfFile { offset: 0, length };
        let payment = if step == CV2X_TEST_VPM_OFFER {
            m::VehiclePaymentMessagePayment::InitialzationRequest(m::RST {
                time,
                id: rsu,
                payment_list: vec![m::ApplicationParameter {
                    pid: m::PaymentEntityID::Freeflow,
                    payment_info: m::PaymentInfo::PaymentInfoType1(m::PaymentInfoType1 {
                        tolling_node_info: None,
                        toll_info: Some(m::TollInfo {
                            price: Some(price),
                            entrance_pos: None,
                            exit_pos: None,
                            toll_road: None,
                            toll_path: None,
                            time_begin: None,
                            time_end: None,
                            unknown_ext: X::default(),
                        }),
                        service_info: Some(b"toll".to_vec()),
                        unknown_ext: X::default(),
                    }),
                    unknown_ext: X::default(),
                }],
                unknown_ext: X::default(),
            })
        } else {
            let Some(obu) = id8(obu8) else {
                return CV2X_ERR_NULL_POINTER;
            };
            let action = match step {
                CV2X_TEST_VPM_READ => m::TransInfo::GetTollDataRq(m::GetTollDataRq {
                    vehicle_info: range(64),
                    toll_info: Some(range(43)),
                    key_id_for_ac: None,
                    unknown_ext: X::default(),
                }),
                CV2X_TEST_VPM_SECURE_READ => m::TransInfo::GetSecureRq(m::GetSecureRq {
                    vehicle_info: range(64),
                    rnd_rsu_for_authen: [7; 8],
                    key_id_for_authen: 1,
                    key_id_for_encrypt: None,
                    unknown_ext: X::default(),
                }),
                CV2X_TEST_VPM_CHARGE => m::TransInfo::SetTollDataRq(m::SetTollDataRq {
                    rnd_rsu: Some([3; 8]),
                    trans_para: Some(m::TacPara {
                        trans_amount: price.to_be_bytes(),
                        trans_type: [9],
                        terminal_id: [1, 2, 3, 4, 5, 6],
                        trans_sn: [0, 0, 0, 1],
                        trans_time: [0x20, 0x26, 3, 1, 8, 0, 0],
                        trans_station_id: [0, 0, 1],
                    }),
                    toll_info: None,
                    tolling_pos: Some(m::TollingPos {
                        id: 77,
                        pos: None,
                        unknown_ext: X::default(),
                    }),
                    key_id_for_authen: Some(1),
                    unknown_ext: X::default(),
                }),
                CV2X_TEST_VPM_PAID | CV2X_TEST_VPM_NOT_PAID => {
                    m::TransInfo::SetMmiRq(m::SetMMIRq {
                        toll: if step == CV2X_TEST_VPM_PAID {
                            m::TollResult::Ok
                        } else {
                            m::TollResult::Nok
                        },
                        unknown_ext: X::default(),
                    })
                }
                _ => return CV2X_ERR_INVALID_PARAMETER,
            };
            m::VehiclePaymentMessagePayment::ActionRequest(m::ActionRequest {
                time,
                mode: step < CV2X_TEST_VPM_PAID,
                source_id: rsu,
                target_id: Some(obu),
                payment_entity_id: m::PaymentEntityID::Freeflow,
                action_parameter: action,
                access_credentials: None,
                unknown_ext: X::default(),
            })
        };
        let frame = m::MessageFrame::MsgFrameExt(m::MessageFrameExt {
            message_id: 17,
            value: m::MessageFrameExtValue::VehiclePaymentMessage(m::VehiclePaymentMessage {
                msg_cnt: 0,
                payment,
                unknown_ext: X::default(),
            }),
            unknown_ext: X::default(),
        });
        match frame.encode() {
            Ok(bytes) => crate::boundary::write_bytes(&bytes, out, cap, out_len),
            Err(_) => CV2X_ERR_INVALID_PARAMETER,
        }
    })
}
