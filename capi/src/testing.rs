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
