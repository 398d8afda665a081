//! Net: DSMP packets (YD/T 3707-2020) parsed and emitted, and the AID dispatcher.
//! Parsed parts are offsets and lengths into the caller's buffer: nothing is copied.

use cv2x::net::dispatch::{Framing, SecurityMode};
use cv2x::net::dsmp::{self, Extensions, Packet, Repr};
use cv2x::net::{Aid, Dispatcher, MessageClass, PayloadKind};

use crate::boundary::{
    Exclusive, deref, deref_mut, ffi, free_raw, into_raw, slice, tri, write_bytes,
};
use crate::result::*;

/// A payload that is a UPER `MessageFrame`, to decode.
pub const CV2X_PAYLOAD_FRAME: u32 = 1;
/// A payload that is an SPDU (`Ieee1609Dot2Data`), to verify first.
pub const CV2X_PAYLOAD_SPDU: u32 = 2;
/// A whole DSMP packet (`cv2x_stack_ingest`: dispatched by its AID).
pub const CV2X_PAYLOAD_DSMP: u32 = 3;

/// Message class: BasicSafetyMessage.
pub const CV2X_CLASS_BSM: u32 = 1;
/// Message class: MapData.
pub const CV2X_CLASS_MAP: u32 = 2;
/// Message class: SPAT.
pub const CV2X_CLASS_SPAT: u32 = 3;
/// Message class: RoadSideInformation.
pub const CV2X_CLASS_RSI: u32 = 4;
/// Message class: RoadsideSafetyMessage.
pub const CV2X_CLASS_RSM: u32 = 5;
/// Message class: SensorSharingMsg (Day II).
pub const CV2X_CLASS_SSM: u32 = 6;
/// Message class: VehIntentionAndRequest (Day II).
pub const CV2X_CLASS_VIR: u32 = 7;
/// Message class: RoadsideCoordination (Day II).
pub const CV2X_CLASS_RSC: u32 = 8;
/// Message class: PAMData (Day II).
pub const CV2X_CLASS_PAM: u32 = 9;
/// Message class: PersonalSafetyMessage (Day II).
pub const CV2X_CLASS_PSM: u32 = 10;
/// Message class: CLPMM platooning (Day II).
pub const CV2X_CLASS_CLPMM: u32 = 11;
/// Message class: RTCMcorrections (Day II).
pub const CV2X_CLASS_RTCM: u32 = 12;
/// Message class: VehiclePaymentMessage (Day II).
pub const CV2X_CLASS_VPM: u32 = 13;
/// Message class: test messages (Day II AID 26 in deployed stacks).
pub const CV2X_CLASS_TEST: u32 = 14;

fn class_code(c: MessageClass) -> u32 {
    match c {
        MessageClass::Bsm => CV2X_CLASS_BSM,
        MessageClass::Map => CV2X_CLASS_MAP,
        MessageClass::Spat => CV2X_CLASS_SPAT,
        MessageClass::Rsi => CV2X_CLASS_RSI,
        MessageClass::Rsm => CV2X_CLASS_RSM,
        MessageClass::Ssm => CV2X_CLASS_SSM,
        MessageClass::Vir => CV2X_CLASS_VIR,
        MessageClass::Rsc => CV2X_CLASS_RSC,
        MessageClass::Pam => CV2X_CLASS_PAM,
        MessageClass::Psm => CV2X_CLASS_PSM,
        MessageClass::Clpmm => CV2X_CLASS_CLPMM,
        MessageClass::Rtcm => CV2X_CLASS_RTCM,
        MessageClass::Vpm => CV2X_CLASS_VPM,
        MessageClass::Test => CV2X_CLASS_TEST,
    }
}

pub(crate) fn class_of(code: u32) -> Result<MessageClass, cv2x_result> {
    MessageClass::ALL
        .iter()
        .copied()
        .find(|c| class_code(*c) == code)
        .ok_or(CV2X_ERR_INVALID_PARAMETER)
}

pub(crate) fn aid_of(aid: u32) -> Result<Aid, cv2x_result> {
    if aid > cv2x::net::aid::MAX {
        Err(CV2X_ERR_NET_AID_OUT_OF_RANGE)
    } else {
        Ok(Aid(aid))
    }
}

fn offset_in(part: &[u8], buf: &[u8]) -> u32 {
    let off = (part.as_ptr() as usize).wrapping_sub(buf.as_ptr() as usize);
    if off <= buf.len() {
        u32::try_from(off).unwrap_or(u32::MAX)
    } else {
        0
    }
}

fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// `cv2x_dsmp_packet.present` / `cv2x_dsmp_emit` flags: the option indicator is set (an
/// extension field is present, possibly with zero elements).
pub const CV2X_DSMP_HAS_EXTENSIONS: u32 = 1 << 0;

/// A parsed DSMP packet: its fields, and where its parts lie in the caller's buffer.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct cv2x_dsmp_packet {
    /// `CV2X_DSMP_HAS_EXTENSIONS` when the option indicator is set.
    pub present: u32,
    /// DSMP version (0).
    pub version: u32,
    /// The four reserved bits as received.
    pub reserved_bits: u32,
    /// Application identifier.
    pub aid: u32,
    /// Number of extension elements.
    pub extension_count: u32,
    /// Offset of the coded extension elements (after the count octet): per element an ID
    /// octet, a length octet and the contents. The form `cv2x_dsmp_emit` takes.
    pub extensions_offset: u32,
    /// Length of the coded extension elements.
    pub extensions_len: u32,
    /// Octets before the payload.
    pub header_len: u32,
    /// Offset of the payload (DSM data).
    pub payload_offset: u32,
    /// Length of the payload.
    pub payload_len: u32,
}

/// Frozen size of `cv2x_dsmp_packet`.
pub const CV2X_DSMP_PACKET_SIZE: usize = 40;
const _: () = assert!(std::mem::size_of::<cv2x_dsmp_packet>() == CV2X_DSMP_PACKET_SIZE);

fn extensions_view(ext: Option<Extensions<'_>>, buf: &[u8], o: &mut ExtView) {
    if let Some(e) = ext {
        o.present = true;
        o.count = len32(e.len());
        if let Extensions::Wire { bytes, .. } = e {
            o.offset = offset_in(bytes, buf);
            o.len = len32(bytes.len());
        }
    }
}

#[derive(Default)]
struct ExtView {
    present: bool,
    count: u32,
    offset: u32,
    len: u32,
}

/// Parses one DSMP packet (the buffer must hold exactly one: a shorter one is
/// `CV2X_ERR_NET_TRUNCATED`, a longer `CV2X_ERR_NET_TRAILING_BYTES`). Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_dsmp_parse(
    buf: *const u8,
    len: usize,
    out: *mut cv2x_dsmp_packet,
) -> cv2x_result {
    ffi!({
        let bytes = slice!(buf, len);
        let out = deref_mut!(out);
        let p = match Packet::new_checked(bytes) {
            Ok(p) => p,
            Err(e) => return net(&e),
        };
        let mut ext = ExtView::default();
        extensions_view(p.extensions_slice(), bytes, &mut ext);
        *out = cv2x_dsmp_packet {
            present: if ext.present {
                CV2X_DSMP_HAS_EXTENSIONS
            } else {
                0
            },
            version: u32::from(p.version()),
            reserved_bits: u32::from(p.reserved()),
            aid: p.aid().0,
            extension_count: ext.count,
            extensions_offset: ext.offset,
            extensions_len: ext.len,
            header_len: len32(p.header_len()),
            payload_offset: offset_in(p.payload_slice(), bytes),
            payload_len: len32(p.payload_len()),
        };
        CV2X_OK
    })
}

/// Reads extension element `i` of the coded elements `(ext, len)` (as `cv2x_dsmp_parse`
/// locates them): its ID, and the offset and length of its contents within `ext`.
/// `CV2X_ERR_INDEX_OUT_OF_RANGE` past the last element. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_dsmp_extension(
    ext: *const u8,
    len: usize,
    i: u32,
    id: *mut u32,
    value_offset: *mut u32,
    value_len: *mut u32,
) -> cv2x_result {
    ffi!({
        let bytes = slice!(ext, len);
        let (id, value_offset, value_len) = (
            deref_mut!(id),
            deref_mut!(value_offset),
            deref_mut!(value_len),
        );
        let count = tri!(element_count(bytes));
        if i >= count {
            return CV2X_ERR_INDEX_OUT_OF_RANGE;
        }
        let view = Extensions::Wire {
            count: u8::try_from(count).unwrap_or(u8::MAX),
            bytes,
        };
        match view.iter().nth(i as usize) {
            Some(e) => {
                *id = u32::from(e.id);
                *value_offset = offset_in(e.value, bytes);
                *value_len = len32(e.value.len());
                CV2X_OK
            }
            None => CV2X_ERR_INDEX_OUT_OF_RANGE,
        }
    })
}

/// Counts the coded elements (ID, length, contents)* of `bytes`, which must end exactly after
/// the last one.
fn element_count(mut bytes: &[u8]) -> Result<u32, cv2x_result> {
    let mut n = 0u32;
    while !bytes.is_empty() {
        let [_, l, rest @ ..] = bytes else {
            return Err(CV2X_ERR_NET_TRUNCATED);
        };
        let l = usize::from(*l);
        if rest.len() < l {
            return Err(CV2X_ERR_NET_TRUNCATED);
        }
        bytes = rest.get(l..).unwrap_or(&[]);
        n += 1;
        if n > 255 {
            return Err(CV2X_ERR_NET_TOO_MANY_EXTENSIONS);
        }
    }
    Ok(n)
}

/// Writes a DSMP packet for `aid` carrying `payload` into `(out, cap, out_len)`. With
/// `CV2X_DSMP_HAS_EXTENSIONS` in `flags`, `(ext, ext_len)` are the coded extension elements
/// (ID octet, length octet, contents; possibly none); without it they must be empty.
/// Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_dsmp_emit(
    aid: u32,
    payload: *const u8,
    len: usize,
    flags: u32,
    ext: *const u8,
    ext_len: usize,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> cv2x_result {
    ffi!({
        if flags & !CV2X_DSMP_HAS_EXTENSIONS != 0 {
            return CV2X_ERR_INVALID_PARAMETER;
        }
        let aid = tri!(aid_of(aid));
        let payload = slice!(payload, len);
        let ext = slice!(ext, ext_len);
        let extensions = if flags & CV2X_DSMP_HAS_EXTENSIONS != 0 {
            let count = tri!(element_count(ext));
            Some(Extensions::Wire {
                count: u8::try_from(count).unwrap_or(u8::MAX),
                bytes: ext,
            })
        } else if !ext.is_empty() {
            return CV2X_ERR_INVALID_PARAMETER;
        } else {
            None
        };
        let repr = Repr {
            extensions,
            aid,
            payload,
        };
        match repr.to_vec() {
            Ok(bytes) => write_bytes(&bytes, out, cap, out_len),
            Err(e) => net(&e),
        }
    })
}

/// Removes the one-octet adaptation-layer header (protocol type 4 = DSMP): `*offset` gets 1
/// when the buffer is DSMP, else `CV2X_ERR_NET_NOT_DSMP` (or `CV2X_ERR_NET_TRUNCATED` when
/// empty). Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_dsmp_strip_adaptation(
    buf: *const u8,
    len: usize,
    offset: *mut u32,
) -> cv2x_result {
    ffi!({
        let bytes = slice!(buf, len);
        let offset = deref_mut!(offset);
        match dsmp::strip_adaptation(bytes) {
            Ok(rest) => {
                *offset = offset_in(rest, bytes);
                CV2X_OK
            }
            Err(e) => net(&e),
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Dispatcher

/// `cv2x_dispatcher_new`: start with the Day I AID table (BSM, MAP, SPAT, RSI, RSM AIDs).
pub const CV2X_DISPATCH_DAY1: u32 = 0;
/// `cv2x_dispatcher_new`: start with no AID.
pub const CV2X_DISPATCH_EMPTY: u32 = 1;

/// `cv2x_dispatcher_set_framing`: buffers start with the DSMP header (the default).
pub const CV2X_FRAMING_DSMP: u32 = 0;
/// `cv2x_dispatcher_set_framing`: buffers start with the adaptation-layer octet.
pub const CV2X_FRAMING_ADAPTATION: u32 = 1;

/// `cv2x_dispatcher_set_security`: an SPDU is recognised by its first octets (the default).
pub const CV2X_SECURITY_DETECT: u32 = 0;
/// `cv2x_dispatcher_set_security`: every payload is a plain frame.
pub const CV2X_SECURITY_PLAIN: u32 = 1;
/// `cv2x_dispatcher_set_security`: every payload is an SPDU.
pub const CV2X_SECURITY_SIGNED: u32 = 2;

/// Where a dispatched packet's payload goes.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct cv2x_dispatched {
    /// `CV2X_DSMP_HAS_EXTENSIONS` when the packet has an extension field.
    pub present: u32,
    /// The packet's AID.
    pub aid: u32,
    /// `CV2X_CLASS_*` the AID maps to.
    pub msg_class: u32,
    /// `CV2X_PAYLOAD_FRAME` or `CV2X_PAYLOAD_SPDU`.
    pub kind: u32,
    /// Offset of the payload in the caller's buffer.
    pub payload_offset: u32,
    /// Length of the payload.
    pub payload_len: u32,
    /// Number of extension elements.
    pub extension_count: u32,
    /// Offset of the coded extension elements in the caller's buffer.
    pub extensions_offset: u32,
    /// Length of the coded extension elements.
    pub extensions_len: u32,
    /// Room for later fields (0).
    pub reserved: u32,
}

/// Frozen size of `cv2x_dispatched`.
pub const CV2X_DISPATCHED_SIZE: usize = 40;
const _: () = assert!(std::mem::size_of::<cv2x_dispatched>() == CV2X_DISPATCHED_SIZE);

/// What the dispatcher counted.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct cv2x_dispatch_counters {
    /// Buffers handed to `cv2x_dispatcher_dispatch`.
    pub packets: u64,
    /// Packets dispatched.
    pub dispatched: u64,
    /// Dispatched packets with a plain frame.
    pub message_frames: u64,
    /// Dispatched packets with an SPDU.
    pub spdus: u64,
    /// Valid packets dropped for an AID not in the table.
    pub unknown_aid: u64,
    /// Packets dropped for a DSMP version other than 0.
    pub unsupported_version: u64,
    /// Packets dropped because the adaptation layer named another protocol.
    pub not_dsmp: u64,
    /// Packets dropped as malformed.
    pub malformed: u64,
    /// Dispatched packets per class: index `CV2X_CLASS_x - 1`.
    pub by_class: [u64; 16],
}

/// Frozen size of `cv2x_dispatch_counters`.
pub const CV2X_DISPATCH_COUNTERS_SIZE: usize = 192;
const _: () = assert!(std::mem::size_of::<cv2x_dispatch_counters>() == CV2X_DISPATCH_COUNTERS_SIZE);

/// Maps AIDs to message classes, classifies payloads (frame or SPDU) and counts outcomes
/// (opaque). One call at a time (else `CV2X_ERR_REENTRANT`); may move between threads. Owned
/// by the caller, freed with `cv2x_dispatcher_free`.
pub struct cv2x_dispatcher {
    inner: Exclusive<Dispatcher>,
}

/// Makes a dispatcher (`table`: `CV2X_DISPATCH_DAY1` or `CV2X_DISPATCH_EMPTY`).
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_dispatcher_new(table: u32, out: *mut *mut cv2x_dispatcher) -> cv2x_result {
    ffi!({
        let out = deref_mut!(out);
        let d = match table {
            CV2X_DISPATCH_DAY1 => Dispatcher::new(),
            CV2X_DISPATCH_EMPTY => Dispatcher::empty(),
            _ => return CV2X_ERR_INVALID_PARAMETER,
        };
        *out = into_raw(cv2x_dispatcher {
            inner: Exclusive::new(d),
        });
        CV2X_OK
    })
}

/// Maps `aid` to `msg_class` (`CV2X_CLASS_*`), replacing an earlier mapping.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_dispatcher_insert(
    d: *mut cv2x_dispatcher,
    aid: u32,
    msg_class: u32,
) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(d).inner.enter());
        let aid = tri!(aid_of(aid));
        let class = tri!(class_of(msg_class));
        g.insert(aid, class);
        CV2X_OK
    })
}

/// Forgets `aid` (`CV2X_ERR_NET_UNKNOWN_AID` when it was not mapped).
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_dispatcher_remove(d: *mut cv2x_dispatcher, aid: u32) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(d).inner.enter());
        let aid = tri!(aid_of(aid));
        match g.remove(aid) {
            Some(_) => CV2X_OK,
            None => CV2X_ERR_NET_UNKNOWN_AID,
        }
    })
}

/// Sets what precedes the DSMP header (`CV2X_FRAMING_*`).
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_dispatcher_set_framing(
    d: *mut cv2x_dispatcher,
    framing: u32,
) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(d).inner.enter());
        g.set_framing(match framing {
            CV2X_FRAMING_DSMP => Framing::Dsmp,
            CV2X_FRAMING_ADAPTATION => Framing::Adaptation,
            _ => return CV2X_ERR_INVALID_PARAMETER,
        });
        CV2X_OK
    })
}

/// Sets how payloads are classified (`CV2X_SECURITY_*`).
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_dispatcher_set_security(d: *mut cv2x_dispatcher, mode: u32) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(d).inner.enter());
        g.set_security(match mode {
            CV2X_SECURITY_DETECT => SecurityMode::Detect,
            CV2X_SECURITY_PLAIN => SecurityMode::Plain,
            CV2X_SECURITY_SIGNED => SecurityMode::Signed,
            _ => return CV2X_ERR_INVALID_PARAMETER,
        });
        CV2X_OK
    })
}

/// Parses one received buffer and says where its payload goes. A packet that cannot be
/// dispatched is counted and its code returned (`CV2X_ERR_NET_*`): drop it.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_dispatcher_dispatch(
    d: *mut cv2x_dispatcher,
    buf: *const u8,
    len: usize,
    out: *mut cv2x_dispatched,
) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(d).inner.enter());
        let bytes = slice!(buf, len);
        let out = deref_mut!(out);
        match g.dispatch(bytes) {
            Ok(x) => {
                let mut ext = ExtView::default();
                extensions_view(x.extensions, bytes, &mut ext);
                *out = cv2x_dispatched {
                    present: if ext.present {
                        CV2X_DSMP_HAS_EXTENSIONS
                    } else {
                        0
                    },
                    aid: x.aid.0,
                    msg_class: class_code(x.class),
                    kind: match x.kind {
                        PayloadKind::MessageFrame => CV2X_PAYLOAD_FRAME,
                        PayloadKind::Spdu => CV2X_PAYLOAD_SPDU,
                    },
                    payload_offset: offset_in(x.payload, bytes),
                    payload_len: len32(x.payload.len()),
                    extension_count: ext.count,
                    extensions_offset: ext.offset,
                    extensions_len: ext.len,
                    reserved: 0,
                };
                CV2X_OK
            }
            Err(e) => net(&e),
        }
    })
}

/// Reads the counters.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_dispatcher_counters(
    d: *mut cv2x_dispatcher,
    out: *mut cv2x_dispatch_counters,
) -> cv2x_result {
    ffi!({
        let g = tri!(deref!(d).inner.enter());
        let out = deref_mut!(out);
        let c = g.counters();
        let mut o = cv2x_dispatch_counters {
            packets: c.packets,
            dispatched: c.dispatched,
            message_frames: c.message_frames,
            spdus: c.spdus,
            unknown_aid: c.unknown_aid,
            unsupported_version: c.unsupported_version,
            not_dsmp: c.not_dsmp,
            malformed: c.malformed,
            by_class: [0; 16],
        };
        for class in MessageClass::ALL {
            let i = class_code(class) as usize - 1;
            if let Some(slot) = o.by_class.get_mut(i) {
                *slot = c.class(class);
            }
        }
        *out = o;
        CV2X_OK
    })
}

/// Clears the counters.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_dispatcher_reset_counters(d: *mut cv2x_dispatcher) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(d).inner.enter());
        g.reset_counters();
        CV2X_OK
    })
}

/// Frees a dispatcher. NULL is a no-op; a poisoned one is freed too.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_dispatcher_free(d: *mut cv2x_dispatcher) {
    ffi!({ free_raw(d) })
}

#[cfg(feature = "test-panic")]
impl cv2x_dispatcher {
    pub(crate) fn enter_for_test(
        &self,
    ) -> Result<std::sync::MutexGuard<'_, Dispatcher>, cv2x_result> {
        self.inner.enter()
    }
}
