//! The panic boundary and the handle states.
//!
//! Every exported function's body is one [`ffi!`] invocation: it runs the body under
//! `catch_unwind`, so no Rust panic ever unwinds into C, and turns a panic into
//! `CV2X_ERR_PANIC` (or the null / zero value of a function that returns no code).
//!
//! A handle that was in use when the panic happened is poisoned by the unwinding itself:
//! mutable handles live in a [`std::sync::Mutex`] that poisons when a panic passes while it is
//! held, shared (immutable) handles carry a flag set by [`Shared::read`]'s guard. Every later
//! call on a poisoned handle returns `CV2X_ERR_POISONED`; `_free` still frees it.
//!
//! The same mutex makes re-entrancy an error instead of undefined behaviour: a callback that
//! calls back into the handle whose call it runs in finds the mutex held and gets
//! `CV2X_ERR_REENTRANT` (`try_lock`, never `lock`: it cannot deadlock). The one exception is
//! a verifier shared with a stack ([`Exclusive::enter_waiting`]).
//!
//! `scripts`: `capi/check_boundary.py` fails the build when an `extern "C" fn` body is not a
//! single `ffi!` invocation.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, TryLockError};

use crate::result::*;

/// The value an export returns when its body panicked.
pub(crate) trait OnPanic {
    /// That value.
    fn on_panic() -> Self;
}

impl OnPanic for cv2x_result {
    fn on_panic() -> Self {
        CV2X_ERR_PANIC
    }
}

impl OnPanic for () {
    fn on_panic() -> Self {}
}

impl<T> OnPanic for *const T {
    fn on_panic() -> Self {
        std::ptr::null()
    }
}

impl<T> OnPanic for *mut T {
    fn on_panic() -> Self {
        std::ptr::null_mut()
    }
}

/// Runs the body of an exported function behind the panic boundary.
///
/// The body is a closure: `return` inside it returns from the export. `ffi!({ .. })` is for
/// functions returning a `cv2x_result` (`CV2X_ERR_PANIC` on a panic), a pointer (NULL) or
/// nothing; `ffi!(panic = V, { .. })` for any other return type (`V`, documented as the value
/// of a failed query: 0 for kinds and counts).
macro_rules! ffi {
    (panic = $v:expr, $body:block) => {{
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| $body)) {
            Ok(v) => v,
            Err(_) => $v,
        }
    }};
    ($body:block) => {{
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| $body)) {
            Ok(v) => v,
            Err(_) => $crate::boundary::OnPanic::on_panic(),
        }
    }};
}
pub(crate) use ffi;

/// Returns `CV2X_ERR_NULL_POINTER` from the export when the pointer is NULL, else gives a
/// reference. The pointer must be NULL or valid for the call's duration (the C contract).
macro_rules! deref {
    ($p:expr) => {{
        let p = $p;
        if p.is_null() {
            return $crate::result::CV2X_ERR_NULL_POINTER;
        }
        // SAFETY: non-null; the caller guarantees it points to a live, aligned value.
        unsafe { &*p }
    }};
}
pub(crate) use deref;

/// Like [`deref!`] for an out-parameter: a mutable reference.
macro_rules! deref_mut {
    ($p:expr) => {{
        let p = $p;
        if p.is_null() {
            return $crate::result::CV2X_ERR_NULL_POINTER;
        }
        // SAFETY: non-null; the caller guarantees it points to writable, aligned memory that
        // nothing else accesses during the call.
        unsafe { &mut *p }
    }};
}
pub(crate) use deref_mut;

/// `(ptr, len)` → byte slice: `(NULL, 0)` is empty, `(NULL, n > 0)` is
/// `CV2X_ERR_NULL_POINTER`.
macro_rules! slice {
    ($p:expr, $len:expr) => {{
        let (p, len): (*const u8, usize) = ($p, $len);
        if len == 0 {
            &[][..]
        } else if p.is_null() {
            return $crate::result::CV2X_ERR_NULL_POINTER;
        } else {
            // SAFETY: non-null; the caller guarantees `len` readable bytes at `p` for the call.
            unsafe { ::std::slice::from_raw_parts(p, len) }
        }
    }};
}
pub(crate) use slice;

/// Evaluates a `Result<T, cv2x_result>`, returning the error code from the export.
macro_rules! tri {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(code) => return code,
        }
    };
}
pub(crate) use tri;

/// A handle that needs exclusive access per call (verifier, signer, dispatcher): the state
/// behind a mutex that is only ever `try_lock`ed.
#[derive(Debug)]
pub(crate) struct Exclusive<T> {
    inner: Mutex<T>,
}

impl<T> Exclusive<T> {
    /// Wraps a new handle state.
    pub(crate) fn new(v: T) -> Self {
        Exclusive {
            inner: Mutex::new(v),
        }
    }

    /// Takes the handle for one call: `CV2X_ERR_POISONED` after a panic,
    /// `CV2X_ERR_REENTRANT` while another call holds it (a callback re-entering, or a second
    /// thread).
    pub(crate) fn enter(&self) -> Result<MutexGuard<'_, T>, cv2x_result> {
        match self.inner.try_lock() {
            Ok(g) => Ok(g),
            Err(TryLockError::Poisoned(_)) => Err(CV2X_ERR_POISONED),
            Err(TryLockError::WouldBlock) => Err(CV2X_ERR_REENTRANT),
        }
    }

    /// Takes the handle, waiting for a call in another thread to end: only for a handle shared
    /// between two others (a verifier used by a stack), after [`Exclusive::enter`] showed that
    /// this thread does not hold it. Every other entry point only tries the lock, so a thread
    /// that holds a handle never waits for another one: waiting here cannot deadlock.
    pub(crate) fn enter_waiting(&self) -> Result<MutexGuard<'_, T>, cv2x_result> {
        self.inner.lock().map_err(|_| CV2X_ERR_POISONED)
    }
}

/// An immutable handle (a decoded frame): any number of threads may read it at once; a panic
/// while reading poisons it.
#[derive(Debug)]
pub(crate) struct Shared<T> {
    poisoned: AtomicBool,
    inner: T,
}

/// Read access to a [`Shared`] handle for one call; poisons the handle if dropped while
/// unwinding.
pub(crate) struct ReadGuard<'a, T> {
    handle: &'a Shared<T>,
}

impl<T> std::ops::Deref for ReadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.handle.inner
    }
}

impl<T> Drop for ReadGuard<'_, T> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.handle.poisoned.store(true, Ordering::Release);
        }
    }
}

impl<T> Shared<T> {
    /// Wraps a new immutable handle.
    pub(crate) fn new(v: T) -> Self {
        Shared {
            poisoned: AtomicBool::new(false),
            inner: v,
        }
    }

    /// Reads the handle for one call, or `CV2X_ERR_POISONED`.
    pub(crate) fn read(&self) -> Result<ReadGuard<'_, T>, cv2x_result> {
        if self.poisoned.load(Ordering::Acquire) {
            Err(CV2X_ERR_POISONED)
        } else {
            Ok(ReadGuard { handle: self })
        }
    }
}

/// Moves a new handle to C.
pub(crate) fn into_raw<T>(v: T) -> *mut T {
    Box::into_raw(Box::new(v))
}

/// Takes back and drops a handle given out by [`into_raw`]; NULL is a no-op.
pub(crate) fn free_raw<T>(p: *mut T) {
    if !p.is_null() {
        // SAFETY: `p` came from `into_raw` and the caller does not use it again (the C
        // contract of every `_free`).
        drop(unsafe { Box::from_raw(p) });
    }
}

/// Copies `src` to a caller buffer `(out, cap, out_len)`: the length is always written to
/// `*out_len`; the bytes only when they fit (else `CV2X_ERR_BUFFER_TOO_SMALL`).
pub(crate) fn write_bytes(
    src: &[u8],
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> cv2x_result {
    if out_len.is_null() {
        return CV2X_ERR_NULL_POINTER;
    }
    // SAFETY: non-null, the caller guarantees a writable size_t.
    unsafe { *out_len = src.len() };
    if src.len() > cap {
        return CV2X_ERR_BUFFER_TOO_SMALL;
    }
    if src.is_empty() {
        return CV2X_OK;
    }
    if out.is_null() {
        return CV2X_ERR_NULL_POINTER;
    }
    // SAFETY: `out` has `cap >= src.len()` writable bytes (caller contract), and cannot
    // overlap `src`, which this library owns.
    unsafe { std::ptr::copy_nonoverlapping(src.as_ptr(), out, src.len()) };
    CV2X_OK
}

/// Copies `s` as a NUL-terminated string to `(out, cap, out_len)`: `*out_len` is the length
/// without the NUL; `cap` must hold the NUL too.
pub(crate) fn write_cstr(s: &str, out: *mut u8, cap: usize, out_len: *mut usize) -> cv2x_result {
    if out_len.is_null() {
        return CV2X_ERR_NULL_POINTER;
    }
    // SAFETY: non-null, the caller guarantees a writable size_t.
    unsafe { *out_len = s.len() };
    if s.len() >= cap {
        return CV2X_ERR_BUFFER_TOO_SMALL;
    }
    if out.is_null() {
        return CV2X_ERR_NULL_POINTER;
    }
    // SAFETY: `out` has `cap > s.len()` writable bytes (caller contract).
    unsafe {
        std::ptr::copy_nonoverlapping(s.as_ptr(), out, s.len());
        *out.add(s.len()) = 0;
    }
    CV2X_OK
}

/// Copies `s` into a fixed char array, truncated at a character boundary so that it always
/// ends in a NUL; returns the full length of `s`.
pub(crate) fn fill_cstr_array(dst: &mut [u8], s: &str) -> usize {
    let Some(room) = dst.len().checked_sub(1) else {
        return s.len();
    };
    let mut n = s.len().min(room);
    while n > 0 && !s.is_char_boundary(n) {
        n -= 1;
    }
    let (head, tail) = dst.split_at_mut(n);
    head.copy_from_slice(s.as_bytes().get(..n).unwrap_or(&[]));
    tail.fill(0);
    s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_strings_are_truncated_at_a_character_boundary_and_terminated() {
        let mut buf = [0xFFu8; 6];
        assert_eq!(fill_cstr_array(&mut buf, "abc"), 3);
        assert_eq!(&buf, b"abc\0\0\0");
        assert_eq!(fill_cstr_array(&mut buf, "abcdefgh"), 8);
        assert_eq!(&buf, b"abcde\0");
        // "é" is two octets: it does not fit after "abcd" and is not cut in half
        assert_eq!(fill_cstr_array(&mut buf, "abcdé"), 6);
        assert_eq!(&buf, b"abcd\0\0");
        assert_eq!(fill_cstr_array(&mut [], "x"), 1);
    }
}
