//! Codec: `cv2x_frame` (a decoded `MessageFrame` of one standard), UPER and JER both ways,
//! typed BSM / SPAT / RSM accessors, allocation-free BSM encoding, codec errors.
//!
//! A standard is a `uint32_t` (`CV2X_STD_*`); adding a message set is one more value here and
//! one more variant of `Frame`. The 2019 revision's BSM, SPAT and RSM types mirror the 2020
//! Day I ones field for field, so one macro per accessor, invoked with the module of each set,
//! makes the readers and the BSM encoder of both; the 2017 set has its own where it differs.

use std::ffi::c_char;

use cv2x::codec::jer::{Jer, JerError, Value};
use cv2x::codec::{DecodeError, EncodeError, Uper};
use cv2x::msg::{Standard, v2017, v2019, v2020};

use crate::boundary::{
    Shared, deref, deref_mut, ffi, fill_cstr_array, free_raw, into_raw, slice, tri, write_bytes,
    write_cstr,
};
use crate::result::*;

/// T/CSAE 53-2020 (= YD/T 3709-2020, Day I) with the T/CSAE 157-2020 Day II set: one module
/// set decodes both. The default of `cv2x_frame_decode` and `cv2x_frame_from_jer`.
pub const CV2X_STD_CSAE53_2020: u32 = 1;
/// T/CSAE 53-2017, the original Day I set.
pub const CV2X_STD_CSAE53_2017: u32 = 2;
/// T/CSAE 53 2019 revision ("Release20190724", the 2019 interoperability events).
pub const CV2X_STD_CSAE53_2019: u32 = 3;

/// `cv2x_frame_kind`: an extension alternative this version does not know (kept for
/// re-encoding), or 0 on a NULL or poisoned frame.
pub const CV2X_MSG_UNKNOWN: u32 = 0;
/// `cv2x_frame_kind`: BasicSafetyMessage.
pub const CV2X_MSG_BSM: u32 = 1;
/// `cv2x_frame_kind`: MapData.
pub const CV2X_MSG_MAP: u32 = 2;
/// `cv2x_frame_kind`: RoadsideSafetyMessage.
pub const CV2X_MSG_RSM: u32 = 3;
/// `cv2x_frame_kind`: SPAT.
pub const CV2X_MSG_SPAT: u32 = 4;
/// `cv2x_frame_kind`: RoadSideInformation.
pub const CV2X_MSG_RSI: u32 = 5;
/// `cv2x_frame_kind`: a Day II message (`msgFrameExt`; `cv2x_frame_day2_message_id` says which).
pub const CV2X_MSG_DAY2: u32 = 6;

/// An enumerated field holding an extension value this version of the modules does not know.
pub const CV2X_ENUM_EXTENSION: u32 = 0xFFFF;

/// Capacity of `cv2x_codec_error.path` (bytes, NUL included).
pub const CV2X_CODEC_PATH_MAX: usize = 256;

/// A codec failure: what (`kind`, the same code the call returned), where in the input
/// (`bit_offset`, UINT64_MAX when not applicable, e.g. for JER) and where in the value
/// (`path`, such as `MessageFrame.bsmFrame.pos.lat`, NUL-terminated, truncated to fit;
/// `path_len` is the untruncated length).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct cv2x_codec_error {
    /// The result code of the failure.
    pub kind: cv2x_result,
    /// Length of the full path (may exceed `CV2X_CODEC_PATH_MAX - 1` when truncated).
    pub path_len: u32,
    /// Bit offset of the failing item in the input; UINT64_MAX when not applicable.
    pub bit_offset: u64,
    /// The field path, outermost first, NUL-terminated.
    pub path: [c_char; CV2X_CODEC_PATH_MAX],
}

/// Frozen size of `cv2x_codec_error`.
pub const CV2X_CODEC_ERROR_SIZE: usize = 272;
const _: () = assert!(std::mem::size_of::<cv2x_codec_error>() == CV2X_CODEC_ERROR_SIZE);

/// A decoded message frame of one standard (boxed inside its handle).
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub(crate) enum Frame {
    V2020(v2020::MessageFrame),
    V2017(v2017::MessageFrame),
    V2019(v2019::MessageFrame),
}

/// A decoded message frame (opaque). Immutable once made: any number of threads may read one
/// frame at the same time. Owned by the caller, freed with `cv2x_frame_free`.
pub struct cv2x_frame {
    inner: Shared<Frame>,
}

/// A codec failure before it is written to C.
pub(crate) struct Failure {
    code: cv2x_result,
    bit_offset: u64,
    path: String,
}

impl From<DecodeError> for Failure {
    fn from(e: DecodeError) -> Self {
        Failure {
            code: decode_kind(e.kind()),
            bit_offset: e.bit_offset() as u64,
            path: e.path().to_string(),
        }
    }
}

impl From<EncodeError> for Failure {
    fn from(e: EncodeError) -> Self {
        Failure {
            code: encode_kind(e.kind()),
            bit_offset: u64::MAX,
            path: e.path().to_string(),
        }
    }
}

impl From<JerError> for Failure {
    fn from(e: JerError) -> Self {
        Failure {
            code: jer_kind(e.kind),
            bit_offset: u64::MAX,
            path: e.path.to_string(),
        }
    }
}

impl From<cv2x::codec::Error> for Failure {
    fn from(e: cv2x::codec::Error) -> Self {
        match e {
            cv2x::codec::Error::Decode(e) => e.into(),
            cv2x::codec::Error::Encode(e) => e.into(),
            cv2x::codec::Error::Jer(e) => e.into(),
            // non_exhaustive: a failure kind added to the core after this table
            _ => Failure::plain(CV2X_ERR_CODEC_OTHER),
        }
    }
}

impl Failure {
    fn plain(code: cv2x_result) -> Self {
        Failure {
            code,
            bit_offset: u64::MAX,
            path: String::new(),
        }
    }

    /// Writes the failure to `err` (if not NULL) and gives its code.
    fn report(self, err: *mut cv2x_codec_error) -> cv2x_result {
        if !err.is_null() {
            let mut e = cv2x_codec_error {
                kind: self.code,
                path_len: u32::try_from(self.path.len()).unwrap_or(u32::MAX),
                bit_offset: self.bit_offset,
                path: [0; CV2X_CODEC_PATH_MAX],
            };
            let mut bytes = [0u8; CV2X_CODEC_PATH_MAX];
            fill_cstr_array(&mut bytes, &self.path);
            for (d, s) in e.path.iter_mut().zip(bytes) {
                *d = s as c_char;
            }
            // SAFETY: non-null; the caller guarantees a writable cv2x_codec_error.
            unsafe { err.write(e) };
        }
        self.code
    }
}

/// The standard of a `CV2X_STD_*` value.
pub(crate) fn standard(std: u32) -> Result<Standard, cv2x_result> {
    match std {
        CV2X_STD_CSAE53_2020 => Ok(Standard::Csae53_2020),
        CV2X_STD_CSAE53_2017 => Ok(Standard::Csae53_2017),
        CV2X_STD_CSAE53_2019 => Ok(Standard::Csae53_2019),
        _ => Err(CV2X_ERR_INVALID_PARAMETER),
    }
}

impl Frame {
    fn decode(std: Standard, bytes: &[u8]) -> Result<Frame, Failure> {
        Ok(match std {
            Standard::Csae53_2020 => Frame::V2020(v2020::MessageFrame::decode(bytes)?),
            Standard::Csae53_2017 => Frame::V2017(v2017::MessageFrame::decode(bytes)?),
            Standard::Csae53_2019 => Frame::V2019(v2019::MessageFrame::decode(bytes)?),
            _ => {
                return Err(Failure {
                    code: CV2X_ERR_INVALID_PARAMETER,
                    bit_offset: 0,
                    path: String::new(),
                });
            }
        })
    }

    fn from_jer(std: Standard, v: &Value) -> Result<Frame, Failure> {
        let named = |e: JerError| Failure::from(e.within("MessageFrame"));
        Ok(match std {
            Standard::Csae53_2020 => Frame::V2020(v2020::MessageFrame::from_jer(v).map_err(named)?),
            Standard::Csae53_2017 => Frame::V2017(v2017::MessageFrame::from_jer(v).map_err(named)?),
            Standard::Csae53_2019 => Frame::V2019(v2019::MessageFrame::from_jer(v).map_err(named)?),
            _ => {
                return Err(Failure {
                    code: CV2X_ERR_INVALID_PARAMETER,
                    bit_offset: 0,
                    path: String::new(),
                });
            }
        })
    }

    fn encode(&self) -> Result<Vec<u8>, Failure> {
        Ok(match self {
            Frame::V2020(f) => f.encode()?,
            Frame::V2017(f) => f.encode()?,
            Frame::V2019(f) => f.encode()?,
        })
    }

    fn to_jer(&self) -> Value {
        match self {
            Frame::V2020(f) => f.to_jer(),
            Frame::V2017(f) => f.to_jer(),
            Frame::V2019(f) => f.to_jer(),
        }
    }

    fn standard(&self) -> u32 {
        match self {
            Frame::V2020(_) => CV2X_STD_CSAE53_2020,
            Frame::V2017(_) => CV2X_STD_CSAE53_2017,
            Frame::V2019(_) => CV2X_STD_CSAE53_2019,
        }
    }

    fn kind(&self) -> u32 {
        match self {
            Frame::V2020(f) => match f {
                v2020::MessageFrame::BsmFrame(_) => CV2X_MSG_BSM,
                v2020::MessageFrame::MapFrame(_) => CV2X_MSG_MAP,
                v2020::MessageFrame::RsmFrame(_) => CV2X_MSG_RSM,
                v2020::MessageFrame::SpatFrame(_) => CV2X_MSG_SPAT,
                v2020::MessageFrame::RsiFrame(_) => CV2X_MSG_RSI,
                v2020::MessageFrame::MsgFrameExt(_) => CV2X_MSG_DAY2,
                v2020::MessageFrame::UnknownExt(_) => CV2X_MSG_UNKNOWN,
            },
            Frame::V2017(f) => match f {
                v2017::MessageFrame::BsmFrame(_) => CV2X_MSG_BSM,
                v2017::MessageFrame::MapFrame(_) => CV2X_MSG_MAP,
                v2017::MessageFrame::RsmFrame(_) => CV2X_MSG_RSM,
                v2017::MessageFrame::SpatFrame(_) => CV2X_MSG_SPAT,
                v2017::MessageFrame::RsiFrame(_) => CV2X_MSG_RSI,
                v2017::MessageFrame::UnknownExt(_) => CV2X_MSG_UNKNOWN,
            },
            Frame::V2019(f) => match f {
                v2019::MessageFrame::BsmFrame(_) => CV2X_MSG_BSM,
                v2019::MessageFrame::MapFrame(_) => CV2X_MSG_MAP,
                v2019::MessageFrame::RsmFrame(_) => CV2X_MSG_RSM,
                v2019::MessageFrame::SpatFrame(_) => CV2X_MSG_SPAT,
                v2019::MessageFrame::RsiFrame(_) => CV2X_MSG_RSI,
                v2019::MessageFrame::UnknownExt(_) => CV2X_MSG_UNKNOWN,
            },
        }
    }
}

/// Reads a frame handle for one call.
macro_rules! frame {
    ($f:expr) => {
        tri!(deref!($f).inner.read())
    };
}

fn give_frame(frame: Frame, out: *mut *mut cv2x_frame) -> cv2x_result {
    let h = into_raw(cv2x_frame {
        inner: Shared::new(frame),
    });
    // SAFETY: `out` was checked non-null by the caller of this helper.
    unsafe { out.write(h) };
    CV2X_OK
}

/// Decodes a UPER `MessageFrame` of T/CSAE 53-2020 / T/CSAE 157-2020 (Day I and Day II).
/// Strict: every constraint is checked and trailing non-padding bits are rejected. On
/// success `*out` is a new frame (free it with `cv2x_frame_free`); on failure `*out` is left
/// alone and `err` (may be NULL) says what and where. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_frame_decode(
    uper: *const u8,
    len: usize,
    out: *mut *mut cv2x_frame,
    err: *mut cv2x_codec_error,
) -> cv2x_result {
    ffi!({ cv2x_frame_decode_std(CV2X_STD_CSAE53_2020, uper, len, out, err) })
}

/// `cv2x_frame_decode` for the standard `std` (`CV2X_STD_*`; another value is
/// `CV2X_ERR_INVALID_PARAMETER`). Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_frame_decode_std(
    std: u32,
    uper: *const u8,
    len: usize,
    out: *mut *mut cv2x_frame,
    err: *mut cv2x_codec_error,
) -> cv2x_result {
    ffi!({
        let std = tri!(standard(std));
        let bytes = slice!(uper, len);
        if out.is_null() {
            return CV2X_ERR_NULL_POINTER;
        }
        match Frame::decode(std, bytes) {
            Ok(f) => give_frame(f, out),
            Err(e) => e.report(err),
        }
    })
}

/// Encodes a frame in UPER into `(out, cap)`; `*out_len` gets the length (also on
/// `CV2X_ERR_BUFFER_TOO_SMALL`, to retry with a larger buffer). A decoded frame re-encodes to
/// the same bytes. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_frame_encode(
    f: *const cv2x_frame,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> cv2x_result {
    ffi!({
        let frame = frame!(f);
        match frame.encode() {
            Ok(bytes) => write_bytes(&bytes, out, cap, out_len),
            Err(e) => e.code,
        }
    })
}

/// Writes the frame's JER (ITU-T X.697 JSON) as a NUL-terminated string into `(out, cap)`;
/// `*out_len` gets the length without the NUL (so `cap` must be at least `*out_len + 1`), also
/// on `CV2X_ERR_BUFFER_TOO_SMALL`. OCTET and BIT STRINGs are upper-case hexadecimal.
/// Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_frame_to_jer(
    f: *const cv2x_frame,
    out: *mut c_char,
    cap: usize,
    out_len: *mut usize,
) -> cv2x_result {
    ffi!({
        let frame = frame!(f);
        let text = frame.to_jer().to_string();
        write_cstr(&text, out.cast(), cap, out_len)
    })
}

/// Parses the JER of a `MessageFrame` of T/CSAE 53-2020 / T/CSAE 157-2020 (`len` bytes of
/// UTF-8 at `json`, no NUL needed) into a new frame. Unknown members and out-of-range values
/// are errors with their path in `err` (may be NULL). Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_frame_from_jer(
    json: *const c_char,
    len: usize,
    out: *mut *mut cv2x_frame,
    err: *mut cv2x_codec_error,
) -> cv2x_result {
    ffi!({ cv2x_frame_from_jer_std(CV2X_STD_CSAE53_2020, json, len, out, err) })
}

/// `cv2x_frame_from_jer` for the standard `std` (`CV2X_STD_*`). Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_frame_from_jer_std(
    std: u32,
    json: *const c_char,
    len: usize,
    out: *mut *mut cv2x_frame,
    err: *mut cv2x_codec_error,
) -> cv2x_result {
    ffi!({
        let std = tri!(standard(std));
        let bytes = slice!(json.cast::<u8>(), len);
        if out.is_null() {
            return CV2X_ERR_NULL_POINTER;
        }
        let value = match parse_json(bytes) {
            Ok(v) => v,
            Err(e) => return e.report(err),
        };
        match Frame::from_jer(std, &value) {
            Ok(f) => give_frame(f, out),
            Err(e) => e.report(err),
        }
    })
}

fn parse_json(bytes: &[u8]) -> Result<Value, Failure> {
    let text = std::str::from_utf8(bytes).map_err(|_| Failure::plain(CV2X_ERR_INVALID_UTF8))?;
    serde_json::from_str(text).map_err(|_| Failure::plain(CV2X_ERR_JER_SYNTAX))
}

/// The frame's message kind (`CV2X_MSG_*`); 0 (`CV2X_MSG_UNKNOWN`) for NULL, a poisoned frame
/// or an extension alternative this version does not know. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_frame_kind(f: *const cv2x_frame) -> u32 {
    ffi!(panic = CV2X_MSG_UNKNOWN, {
        if f.is_null() {
            return CV2X_MSG_UNKNOWN;
        }
        // SAFETY: non-null; a frame from this library (C contract).
        match unsafe { &*f }.inner.read() {
            Ok(frame) => frame.kind(),
            Err(_) => CV2X_MSG_UNKNOWN,
        }
    })
}

/// The standard the frame was decoded or parsed with (`CV2X_STD_*`); 0 for NULL or a
/// poisoned frame. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_frame_standard(f: *const cv2x_frame) -> u32 {
    ffi!(panic = 0, {
        if f.is_null() {
            return 0;
        }
        // SAFETY: non-null; a frame from this library (C contract).
        match unsafe { &*f }.inner.read() {
            Ok(frame) => frame.standard(),
            Err(_) => 0,
        }
    })
}

/// The Day II message id (`messageId` of `msgFrameExt`, e.g. 1 = TestMsg ... as in
/// T/CSAE 157-2020) of a `CV2X_MSG_DAY2` frame; `CV2X_ERR_WRONG_MESSAGE_KIND` for another
/// kind. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_frame_day2_message_id(f: *const cv2x_frame, out: *mut u32) -> cv2x_result {
    ffi!({
        let frame = frame!(f);
        let out = deref_mut!(out);
        match &*frame {
            Frame::V2020(v2020::MessageFrame::MsgFrameExt(x)) => {
                *out = u32::from(x.message_id);
                CV2X_OK
            }
            _ => CV2X_ERR_WRONG_MESSAGE_KIND,
        }
    })
}

/// Frees a frame. NULL is a no-op; a poisoned frame is freed too. The frame must not be in
/// use by another thread.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_frame_free(f: *mut cv2x_frame) {
    ffi!({ free_raw(f) })
}

/// Decodes UPER `bytes` as the ASN.1 type named `type_name` (NUL-terminated, e.g.
/// `"BasicSafetyMessage"`, `"MapData"`, any SEQUENCE or CHOICE of the standard) and writes its
/// JER (NUL-terminated) to `(out, cap, out_len)` as `cv2x_frame_to_jer` does. For tools and
/// tests: a type of the standard that is not a message. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_uper_to_jer(
    std: u32,
    type_name: *const c_char,
    uper: *const u8,
    len: usize,
    out: *mut c_char,
    cap: usize,
    out_len: *mut usize,
    err: *mut cv2x_codec_error,
) -> cv2x_result {
    ffi!({
        let std = tri!(standard(std));
        let name = tri!(type_name_str(type_name));
        let bytes = slice!(uper, len);
        match std.decode_named(name, bytes) {
            Ok(Some((jer, _))) => write_cstr(&jer.to_string(), out.cast(), cap, out_len),
            Ok(None) => Failure::plain(CV2X_ERR_UNKNOWN_TYPE).report(err),
            Err(e) => Failure::from(e).report(err),
        }
    })
}

/// Encodes the JER `json` (`len` bytes of UTF-8) of the ASN.1 type named `type_name` in UPER
/// into `(out, cap, out_len)`. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_jer_to_uper(
    std: u32,
    type_name: *const c_char,
    json: *const c_char,
    len: usize,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
    err: *mut cv2x_codec_error,
) -> cv2x_result {
    ffi!({
        let std = tri!(standard(std));
        let name = tri!(type_name_str(type_name));
        let value = match parse_json(slice!(json.cast::<u8>(), len)) {
            Ok(v) => v,
            Err(e) => return e.report(err),
        };
        match std.encode_named(name, &value) {
            Ok(Some(bytes)) => write_bytes(&bytes, out, cap, out_len),
            Ok(None) => Failure::plain(CV2X_ERR_UNKNOWN_TYPE).report(err),
            Err(e) => Failure::from(e).report(err),
        }
    })
}

fn type_name_str<'a>(p: *const c_char) -> Result<&'a str, cv2x_result> {
    if p.is_null() {
        return Err(CV2X_ERR_NULL_POINTER);
    }
    // SAFETY: non-null; the caller guarantees a NUL-terminated string.
    let c = unsafe { std::ffi::CStr::from_ptr(p) };
    c.to_str().map_err(|_| CV2X_ERR_INVALID_UTF8)
}

// ---------------------------------------------------------------------------------------------
// Enumerated values: the index of the root value in the ASN.1 definition (0 = first), the
// number sent on the air. The tables are the ASN.1 identifiers in definition order.

/// An ENUMERATED type with its ASN.1 identifiers.
pub(crate) trait Named: Sized {
    fn name(&self) -> &'static str;
    fn named(s: &str) -> Option<Self>;
}

macro_rules! named {
    ($($t:ty),* $(,)?) => {$(
        impl Named for $t {
            fn name(&self) -> &'static str {
                self.as_str()
            }
            fn named(s: &str) -> Option<Self> {
                Self::from_name(s)
            }
        }
    )*};
}

named!(
    v2020::TimeConfidence,
    v2020::PositionConfidence,
    v2020::ElevationConfidence,
    v2020::TransmissionState,
    v2020::SpeedConfidence,
    v2020::HeadingConfidence,
    v2020::SteeringWheelAngleConfidence,
    v2020::BrakePedalStatus,
    v2020::TractionControlStatus,
    v2020::AntiLockBrakeStatus,
    v2020::StabilityControlStatus,
    v2020::BrakeBoostApplied,
    v2020::AuxiliaryBrakeStatus,
    v2020::ParticipantType,
    v2020::SourceType,
    v2020::LightState,
    v2019::TimeConfidence,
    v2019::PositionConfidence,
    v2019::ElevationConfidence,
    v2019::TransmissionState,
    v2019::SpeedConfidence,
    v2019::HeadingConfidence,
    v2019::SteeringWheelAngleConfidence,
    v2019::BrakePedalStatus,
    v2019::TractionControlStatus,
    v2019::AntiLockBrakeStatus,
    v2019::StabilityControlStatus,
    v2019::BrakeBoostApplied,
    v2019::AuxiliaryBrakeStatus,
    v2019::ParticipantType,
    v2019::SourceType,
    v2019::LightState,
    v2017::PositionConfidence,
    v2017::ElevationConfidence,
    v2017::TransmissionState,
    v2017::SpeedConfidence,
    v2017::HeadingConfidence,
    v2017::SteeringWheelAngleConfidence,
    v2017::BrakePedalStatus,
    v2017::TractionControlStatus,
    v2017::AntiLockBrakeStatus,
    v2017::StabilityControlStatus,
    v2017::BrakeBoostApplied,
    v2017::AuxiliaryBrakeStatus,
    v2017::ParticipantType,
    v2017::SourceType,
    v2017::LightState,
);

const TIME_CONFIDENCE: &[&str] = &[
    "unavailable",
    "time-100-000",
    "time-050-000",
    "time-020-000",
    "time-010-000",
    "time-002-000",
    "time-001-000",
    "time-000-500",
    "time-000-200",
    "time-000-100",
    "time-000-050",
    "time-000-020",
    "time-000-010",
    "time-000-005",
    "time-000-002",
    "time-000-001",
    "time-000-000-5",
    "time-000-000-2",
    "time-000-000-1",
    "time-000-000-05",
    "time-000-000-02",
    "time-000-000-01",
    "time-000-000-005",
    "time-000-000-002",
    "time-000-000-001",
    "time-000-000-000-5",
    "time-000-000-000-2",
    "time-000-000-000-1",
    "time-000-000-000-05",
    "time-000-000-000-02",
    "time-000-000-000-01",
    "time-000-000-000-005",
    "time-000-000-000-002",
    "time-000-000-000-001",
    "time-000-000-000-000-5",
    "time-000-000-000-000-2",
    "time-000-000-000-000-1",
    "time-000-000-000-000-05",
    "time-000-000-000-000-02",
    "time-000-000-000-000-01",
];
const POSITION_CONFIDENCE: &[&str] = &[
    "unavailable",
    "a500m",
    "a200m",
    "a100m",
    "a50m",
    "a20m",
    "a10m",
    "a5m",
    "a2m",
    "a1m",
    "a50cm",
    "a20cm",
    "a10cm",
    "a5cm",
    "a2cm",
    "a1cm",
];
const ELEVATION_CONFIDENCE: &[&str] = &[
    "unavailable",
    "elev-500-00",
    "elev-200-00",
    "elev-100-00",
    "elev-050-00",
    "elev-020-00",
    "elev-010-00",
    "elev-005-00",
    "elev-002-00",
    "elev-001-00",
    "elev-000-50",
    "elev-000-20",
    "elev-000-10",
    "elev-000-05",
    "elev-000-02",
    "elev-000-01",
];
const TRANSMISSION: &[&str] = &[
    "neutral",
    "park",
    "forwardGears",
    "reverseGears",
    "reserved1",
    "reserved2",
    "reserved3",
    "unavailable",
];
const SPEED_CONFIDENCE: &[&str] = &[
    "unavailable",
    "prec100ms",
    "prec10ms",
    "prec5ms",
    "prec1ms",
    "prec0-1ms",
    "prec0-05ms",
    "prec0-01ms",
];
const HEADING_CONFIDENCE: &[&str] = &[
    "unavailable",
    "prec10deg",
    "prec05deg",
    "prec01deg",
    "prec0-1deg",
    "prec0-05deg",
    "prec0-01deg",
    "prec0-0125deg",
];
const STEERING_CONFIDENCE: &[&str] = &["unavailable", "prec2deg", "prec1deg", "prec0-02deg"];
const OFF_ON: &[&str] = &["unavailable", "off", "on"];
const OFF_ON_ENGAGED: &[&str] = &["unavailable", "off", "on", "engaged"];
const AUX_BRAKES: &[&str] = &["unavailable", "off", "on", "reserved"];
const PARTICIPANT_TYPE: &[&str] = &["unknown", "motor", "non-motor", "pedestrian", "rsu"];
const SOURCE_TYPE: &[&str] = &[
    "unknown",
    "selfinfo",
    "v2x",
    "video",
    "microwaveRadar",
    "loop",
    "lidar",
    "integrated",
];
const LIGHT_STATE_2020: &[&str] = &[
    "unavailable",
    "dark",
    "flashing-red",
    "red",
    "flashing-green",
    "permissive-green",
    "protected-green",
    "yellow",
    "flashing-yellow",
];
const LIGHT_STATE_2017: &[&str] = &[
    "unavailable",
    "dark",
    "stop-Then-Proceed",
    "stop-And-Remain",
    "pre-Movement",
    "permissive-Movement-Allowed",
    "protected-Movement-Allowed",
    "intersection-clearance",
    "caution-Conflicting-Traffic",
];

/// The index of `v` in `table`; `CV2X_ENUM_EXTENSION` for an extension value.
fn idx<T: Named>(v: &T, table: &[&str]) -> u32 {
    let name = v.name();
    table
        .iter()
        .position(|n| *n == name)
        .map_or(CV2X_ENUM_EXTENSION, |i| i as u32)
}

/// The value at index `i` of `table`, or `CV2X_ERR_INVALID_PARAMETER`.
fn from_idx<T: Named>(i: u32, table: &[&str]) -> Result<T, cv2x_result> {
    table
        .get(i as usize)
        .and_then(|n| T::named(n))
        .ok_or(CV2X_ERR_INVALID_PARAMETER)
}

/// A bit string's named bits as a mask: bit `i` of the ASN.1 definition is `1 << i`.
fn bits_to_mask(bytes: &[u8], nbits: usize) -> u32 {
    (0..nbits.min(32))
        .filter(|i| bytes.get(i / 8).is_some_and(|b| b & (0x80 >> (i % 8)) != 0))
        .fold(0, |m, i| m | (1 << i))
}

/// The inverse of [`bits_to_mask`]; a bit past `nbits` is `CV2X_ERR_INVALID_PARAMETER`.
fn mask_to_bits<const N: usize>(mask: u32, nbits: usize) -> Result<[u8; N], cv2x_result> {
    if nbits < 32 && mask >> nbits != 0 {
        return Err(CV2X_ERR_INVALID_PARAMETER);
    }
    let mut out = [0u8; N];
    for i in 0..nbits.min(32) {
        if mask & (1 << i) != 0 {
            if let Some(b) = out.get_mut(i / 8) {
                *b |= 0x80 >> (i % 8);
            }
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// BSM

/// `cv2x_bsm.present`: `elevation` is set.
pub const CV2X_BSM_HAS_ELEVATION: u64 = 1 << 0;
/// `cv2x_bsm.present`: `time_confidence` is set (2020 and 2019 sets, not 2017).
pub const CV2X_BSM_HAS_TIME_CONFIDENCE: u64 = 1 << 1;
/// `cv2x_bsm.present`: `pos_accuracy_*` are set (posAccuracy; 2020 and 2019 sets).
pub const CV2X_BSM_HAS_POS_ACCURACY: u64 = 1 << 2;
/// `cv2x_bsm.present`: `pos_confidence` is set (posConfidence; in T/CSAE 53-2017 the mandatory
/// `accuracy`, so always set there).
pub const CV2X_BSM_HAS_POS_CONFIDENCE: u64 = 1 << 3;
/// `cv2x_bsm.present`: `elevation_confidence` is set (needs `CV2X_BSM_HAS_POS_CONFIDENCE`).
pub const CV2X_BSM_HAS_ELEVATION_CONFIDENCE: u64 = 1 << 4;
/// `cv2x_bsm.present`: `angle` is set.
pub const CV2X_BSM_HAS_ANGLE: u64 = 1 << 5;
/// `cv2x_bsm.present`: `speed_confidence` is set.
pub const CV2X_BSM_HAS_SPEED_CONFIDENCE: u64 = 1 << 6;
/// `cv2x_bsm.present`: `heading_confidence` is set.
pub const CV2X_BSM_HAS_HEADING_CONFIDENCE: u64 = 1 << 7;
/// `cv2x_bsm.present`: `steering_confidence` is set.
pub const CV2X_BSM_HAS_STEERING_CONFIDENCE: u64 = 1 << 8;
/// `cv2x_bsm.present`: `brake_pedal` is set.
pub const CV2X_BSM_HAS_BRAKE_PEDAL: u64 = 1 << 9;
/// `cv2x_bsm.present`: `wheel_brakes` is set.
pub const CV2X_BSM_HAS_WHEEL_BRAKES: u64 = 1 << 10;
/// `cv2x_bsm.present`: `traction` is set.
pub const CV2X_BSM_HAS_TRACTION: u64 = 1 << 11;
/// `cv2x_bsm.present`: `abs` is set.
pub const CV2X_BSM_HAS_ABS: u64 = 1 << 12;
/// `cv2x_bsm.present`: `scs` is set.
pub const CV2X_BSM_HAS_SCS: u64 = 1 << 13;
/// `cv2x_bsm.present`: `brake_boost` is set.
pub const CV2X_BSM_HAS_BRAKE_BOOST: u64 = 1 << 14;
/// `cv2x_bsm.present`: `aux_brakes` is set.
pub const CV2X_BSM_HAS_AUX_BRAKES: u64 = 1 << 15;
/// `cv2x_bsm.present`: `height` is set.
pub const CV2X_BSM_HAS_HEIGHT: u64 = 1 << 16;
/// `cv2x_bsm.present`: `fuel_type` is set.
pub const CV2X_BSM_HAS_FUEL_TYPE: u64 = 1 << 17;
/// `cv2x_bsm.present`: the message has safety extensions (`safetyExt`).
pub const CV2X_BSM_HAS_SAFETY_EXT: u64 = 1 << 18;
/// `cv2x_bsm.present`: `events` is set (implies `CV2X_BSM_HAS_SAFETY_EXT`).
pub const CV2X_BSM_HAS_EVENTS: u64 = 1 << 19;
/// `cv2x_bsm.present`: `lights` is set (implies `CV2X_BSM_HAS_SAFETY_EXT`).
pub const CV2X_BSM_HAS_LIGHTS: u64 = 1 << 20;
/// `cv2x_bsm.present` (read only): the message has a path history; `path_history_points` counts
/// its points. `cv2x_bsm_encode` sends none.
pub const CV2X_BSM_HAS_PATH_HISTORY: u64 = 1 << 21;
/// `cv2x_bsm.present` (read only): the message has a path prediction. Not encoded.
pub const CV2X_BSM_HAS_PATH_PREDICTION: u64 = 1 << 22;
/// `cv2x_bsm.present` (read only): the message has emergency extensions (2020 and 2019 sets).
/// Not encoded.
pub const CV2X_BSM_HAS_EMERGENCY_EXT: u64 = 1 << 23;
/// The `present` bits `cv2x_bsm_encode` reads; the read-only ones must be clear.
const BSM_ENCODABLE: u64 = (1 << 21) - 1;

/// `cv2x_bsm.lights`: exteriorLights bit `lowBeamHeadlightsOn`.
pub const CV2X_LIGHTS_LOW_BEAM: u32 = 1 << 0;
/// `cv2x_bsm.lights`: `highBeamHeadlightsOn`.
pub const CV2X_LIGHTS_HIGH_BEAM: u32 = 1 << 1;
/// `cv2x_bsm.lights`: `leftTurnSignalOn`.
pub const CV2X_LIGHTS_LEFT_TURN_SIGNAL: u32 = 1 << 2;
/// `cv2x_bsm.lights`: `rightTurnSignalOn`.
pub const CV2X_LIGHTS_RIGHT_TURN_SIGNAL: u32 = 1 << 3;
/// `cv2x_bsm.lights`: `hazardSignalOn`.
pub const CV2X_LIGHTS_HAZARD_SIGNAL: u32 = 1 << 4;
/// `cv2x_bsm.events`, `cv2x_ego.events` (VehicleEventFlags bit 0): `eventHazardLights`.
pub const CV2X_VEHICLE_EVENT_HAZARD_LIGHTS: u32 = 1u32 << 0;
/// VehicleEventFlags bit 1: `eventStopLineViolation`.
pub const CV2X_VEHICLE_EVENT_STOP_LINE_VIOLATION: u32 = 1u32 << 1;
/// VehicleEventFlags bit 2: `eventABSactivated`.
pub const CV2X_VEHICLE_EVENT_ABS_ACTIVATED: u32 = 1u32 << 2;
/// VehicleEventFlags bit 3: `eventTractionControlLoss`.
pub const CV2X_VEHICLE_EVENT_TRACTION_CONTROL_LOSS: u32 = 1u32 << 3;
/// VehicleEventFlags bit 4: `eventStabilityControlactivated`.
pub const CV2X_VEHICLE_EVENT_STABILITY_CONTROL_ACTIVATED: u32 = 1u32 << 4;
/// VehicleEventFlags bit 5: `eventHazardousMaterials`.
pub const CV2X_VEHICLE_EVENT_HAZARDOUS_MATERIALS: u32 = 1u32 << 5;
/// VehicleEventFlags bit 7: `eventHardBraking`.
pub const CV2X_VEHICLE_EVENT_HARD_BRAKING: u32 = 1u32 << 7;
/// VehicleEventFlags bit 8: `eventLightsChanged`.
pub const CV2X_VEHICLE_EVENT_LIGHTS_CHANGED: u32 = 1u32 << 8;
/// VehicleEventFlags bit 9: `eventWipersChanged`.
pub const CV2X_VEHICLE_EVENT_WIPERS_CHANGED: u32 = 1u32 << 9;
/// VehicleEventFlags bit 10: `eventFlatTire`.
pub const CV2X_VEHICLE_EVENT_FLAT_TIRE: u32 = 1u32 << 10;
/// VehicleEventFlags bit 11: `eventDisabledVehicle`.
pub const CV2X_VEHICLE_EVENT_DISABLED_VEHICLE: u32 = 1u32 << 11;
/// VehicleEventFlags bit 12: `eventAirBagDeployment`.
pub const CV2X_VEHICLE_EVENT_AIRBAG_DEPLOYMENT: u32 = 1u32 << 12;
/// Older name of `CV2X_VEHICLE_EVENT_HAZARD_LIGHTS`.
pub const CV2X_EVENT_HAZARD_LIGHTS: u32 = CV2X_VEHICLE_EVENT_HAZARD_LIGHTS;
/// Older name of `CV2X_VEHICLE_EVENT_HARD_BRAKING` (bit 7; version 1.0 of the header gave
/// it bit 3 by mistake, which is `eventTractionControlLoss`).
pub const CV2X_EVENT_HARD_BRAKING: u32 = CV2X_VEHICLE_EVENT_HARD_BRAKING;

/// Size in bits of the root of exteriorLights (ExteriorLights).
const LIGHTS_BITS: usize = 9;
/// Size in bits of the root of events (VehicleEventFlags).
const EVENTS_BITS: usize = 13;
/// Size in bits of wheelBrakes (BrakeAppliedStatus).
const WHEEL_BRAKES_BITS: usize = 5;

/// A BSM's fields in raw standard units (those of T/CSAE 53: the numbers as sent on the air).
/// Optional fields are valid only when their `CV2X_BSM_HAS_*` bit is set in `present`;
/// enumerated fields are the index of the value in the ASN.1 definition (0 = first listed).
/// Bit strings are masks with the definition's bit `i` at `1 << i`.
///
/// Read by `cv2x_frame_get_bsm`, written by `cv2x_bsm_encode`. Size frozen (with room for
/// later fields in `reserved`, which the library writes as 0 and ignores).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct cv2x_bsm {
    /// `CV2X_BSM_HAS_*` bits.
    pub present: u64,
    /// msgCnt, 0..127.
    pub msg_cnt: u32,
    /// secMark: millisecond within the UTC minute, 0..60999 (65535 unavailable).
    pub sec_mark: u32,
    /// Temporary vehicle id.
    pub id: [u8; 8],
    /// Latitude, 1e-7 degree (-900000000..900000001; 900000001 unavailable).
    pub lat: i32,
    /// Longitude, 1e-7 degree (-1799999999..1800000001; 1800000001 unavailable).
    pub lon: i32,
    /// Elevation, 0.1 m (-4096..61439; -4096 unavailable).
    pub elevation: i32,
    /// timeConfidence (0 = unavailable ... 39 = 0.01 ns).
    pub time_confidence: u32,
    /// posAccuracy semiMajor, 0.05 m (255 unavailable).
    pub pos_accuracy_semi_major: u32,
    /// posAccuracy semiMinor, 0.05 m (255 unavailable).
    pub pos_accuracy_semi_minor: u32,
    /// posAccuracy orientation, 360/65535 degree (65535 unavailable).
    pub pos_accuracy_orientation: u32,
    /// PositionConfidence (0 = unavailable, 1 = 500 m ... 15 = 1 cm).
    pub pos_confidence: u32,
    /// ElevationConfidence (0 = unavailable, 1 = 500 m ... 15 = 1 cm).
    pub elevation_confidence: u32,
    /// TransmissionState (0 neutral, 1 park, 2 forward, 3 reverse, 7 unavailable).
    pub transmission: u32,
    /// Speed, 0.02 m/s (0..8191; 8191 unavailable).
    pub speed: u32,
    /// Heading, 0.0125 degree clockwise from north (0..28800; 28800 unavailable).
    pub heading: u32,
    /// Steering wheel angle, 1.5 degree (-126..127; 127 unavailable).
    pub angle: i32,
    /// SpeedConfidence (0 unavailable ... 7 = 0.01 m/s).
    pub speed_confidence: u32,
    /// HeadingConfidence (0 unavailable ... 7 = 0.0125 degree).
    pub heading_confidence: u32,
    /// SteeringWheelAngleConfidence (0 unavailable ... 3 = 0.02 degree).
    pub steering_confidence: u32,
    /// Longitudinal acceleration, 0.01 m/s² (-2000..2001; 2001 unavailable).
    pub accel_long: i32,
    /// Lateral acceleration, 0.01 m/s² (-2000..2001; 2001 unavailable).
    pub accel_lat: i32,
    /// Vertical acceleration, 0.02 G (-127..127; -127 unavailable).
    pub accel_vert: i32,
    /// Yaw rate, 0.01 degree/s (-32767..32767).
    pub yaw_rate: i32,
    /// BrakePedalStatus (0 unavailable, 1 off, 2 on).
    pub brake_pedal: u32,
    /// BrakeAppliedStatus bits (bit 0 unavailable, 1 left front, 2 left rear, 3 right front,
    /// 4 right rear).
    pub wheel_brakes: u32,
    /// TractionControlStatus (0 unavailable, 1 off, 2 on, 3 engaged).
    pub traction: u32,
    /// AntiLockBrakeStatus (0 unavailable, 1 off, 2 on, 3 engaged).
    pub abs: u32,
    /// StabilityControlStatus (0 unavailable, 1 off, 2 on, 3 engaged).
    pub scs: u32,
    /// BrakeBoostApplied (0 unavailable, 1 off, 2 on).
    pub brake_boost: u32,
    /// AuxiliaryBrakeStatus (0 unavailable, 1 off, 2 on, 3 reserved).
    pub aux_brakes: u32,
    /// Vehicle width, 1 cm (0..1023).
    pub width: u32,
    /// Vehicle length, 1 cm (0..4095).
    pub length: u32,
    /// Vehicle height, 5 cm (0..127).
    pub height: u32,
    /// BasicVehicleClass (0..255; 10 passenger car, ...).
    pub vehicle_class: u32,
    /// FuelType (0..15).
    pub fuel_type: u32,
    /// VehicleEventFlags bits (`CV2X_EVENT_*`).
    pub events: u32,
    /// ExteriorLights bits (`CV2X_LIGHTS_*`).
    pub lights: u32,
    /// Points in the path history (read only).
    pub path_history_points: u32,
    /// Room for later fields: written as 0, ignored on encode. (Sized so that the struct has
    /// no padding: every byte is a field, so copies and comparisons are exact.)
    pub reserved: [u32; 9],
}

/// Frozen size of `cv2x_bsm`.
pub const CV2X_BSM_SIZE: usize = 200;
const _: () = assert!(std::mem::size_of::<cv2x_bsm>() == CV2X_BSM_SIZE);

/// The fields both standards share, read and written the same way.
macro_rules! bsm_common {
    ($m:ident, $read:ident, $write:ident) => {
        fn $read(b: &$m::BasicSafetyMessage, o: &mut cv2x_bsm) {
            o.msg_cnt = u32::from(b.msg_cnt);
            o.id = b.id;
            o.sec_mark = u32::from(b.sec_mark);
            o.lat = b.pos.lat;
            o.lon = b.pos.long;
            if let Some(e) = b.pos.elevation {
                o.present |= CV2X_BSM_HAS_ELEVATION;
                o.elevation = e;
            }
            o.transmission = idx(&b.transmission, TRANSMISSION);
            o.speed = u32::from(b.speed);
            o.heading = u32::from(b.heading);
            if let Some(a) = b.angle {
                o.present |= CV2X_BSM_HAS_ANGLE;
                o.angle = i32::from(a);
            }
            if let Some(m) = &b.motion_cfd {
                if let Some(c) = &m.speed_cfd {
                    o.present |= CV2X_BSM_HAS_SPEED_CONFIDENCE;
                    o.speed_confidence = idx(c, SPEED_CONFIDENCE);
                }
                if let Some(c) = &m.heading_cfd {
                    o.present |= CV2X_BSM_HAS_HEADING_CONFIDENCE;
                    o.heading_confidence = idx(c, HEADING_CONFIDENCE);
                }
                if let Some(c) = &m.steer_cfd {
                    o.present |= CV2X_BSM_HAS_STEERING_CONFIDENCE;
                    o.steering_confidence = idx(c, STEERING_CONFIDENCE);
                }
            }
            o.accel_long = i32::from(b.accel_set.long);
            o.accel_lat = i32::from(b.accel_set.lat);
            o.accel_vert = i32::from(b.accel_set.vert);
            o.yaw_rate = i32::from(b.accel_set.yaw);
            let br = &b.brakes;
            if let Some(v) = &br.brake_padel {
                o.present |= CV2X_BSM_HAS_BRAKE_PEDAL;
                o.brake_pedal = idx(v, OFF_ON);
            }
            if let Some(v) = &br.wheel_brakes {
                o.present |= CV2X_BSM_HAS_WHEEL_BRAKES;
                o.wheel_brakes = bits_to_mask(&v.0, WHEEL_BRAKES_BITS);
            }
            if let Some(v) = &br.traction {
                o.present |= CV2X_BSM_HAS_TRACTION;
                o.traction = idx(v, OFF_ON_ENGAGED);
            }
            if let Some(v) = &br.abs {
                o.present |= CV2X_BSM_HAS_ABS;
                o.abs = idx(v, OFF_ON_ENGAGED);
            }
            if let Some(v) = &br.scs {
                o.present |= CV2X_BSM_HAS_SCS;
                o.scs = idx(v, OFF_ON_ENGAGED);
            }
            if let Some(v) = &br.brake_boost {
                o.present |= CV2X_BSM_HAS_BRAKE_BOOST;
                o.brake_boost = idx(v, OFF_ON);
            }
            if let Some(v) = &br.aux_brakes {
                o.present |= CV2X_BSM_HAS_AUX_BRAKES;
                o.aux_brakes = idx(v, AUX_BRAKES);
            }
            o.width = u32::from(b.size.width);
            o.length = u32::from(b.size.length);
            if let Some(h) = b.size.height {
                o.present |= CV2X_BSM_HAS_HEIGHT;
                o.height = u32::from(h);
            }
            o.vehicle_class = u32::from(b.vehicle_class.classification);
            if let Some(f) = b.vehicle_class.fuel() {
                o.present |= CV2X_BSM_HAS_FUEL_TYPE;
                o.fuel_type = u32::from(f);
            }
            if let Some(s) = &b.safety_ext {
                o.present |= CV2X_BSM_HAS_SAFETY_EXT;
                if let Some(e) = &s.events {
                    o.present |= CV2X_BSM_HAS_EVENTS;
                    o.events = bits_to_mask(&e.bits, EVENTS_BITS);
                }
                if let Some(l) = &s.lights {
                    o.present |= CV2X_BSM_HAS_LIGHTS;
                    o.lights = bits_to_mask(&l.bits, LIGHTS_BITS);
                }
                if let Some(ph) = &s.path_history {
                    o.present |= CV2X_BSM_HAS_PATH_HISTORY;
                    o.path_history_points = u32::try_from(ph.crumb_data.len()).unwrap_or(u32::MAX);
                }
                if s.path_prediction.is_some() {
                    o.present |= CV2X_BSM_HAS_PATH_PREDICTION;
                }
            }
        }

        /// Fills the shared fields of `b` from `i` (no allocation: every field is inline).
        fn $write(i: &cv2x_bsm, b: &mut $m::BasicSafetyMessage) -> Result<(), cv2x_result> {
            let has = |bit: u64| i.present & bit != 0;
            b.msg_cnt = u8::try_from(i.msg_cnt).map_err(|_| CV2X_ERR_INVALID_PARAMETER)?;
            b.id = i.id;
            b.sec_mark = u16::try_from(i.sec_mark).map_err(|_| CV2X_ERR_INVALID_PARAMETER)?;
            b.pos.lat = i.lat;
            b.pos.long = i.lon;
            b.pos.elevation = has(CV2X_BSM_HAS_ELEVATION).then_some(i.elevation);
            b.transmission = from_idx(i.transmission, TRANSMISSION)?;
            b.speed = u16::try_from(i.speed).map_err(|_| CV2X_ERR_INVALID_PARAMETER)?;
            b.heading = u16::try_from(i.heading).map_err(|_| CV2X_ERR_INVALID_PARAMETER)?;
            b.angle = if has(CV2X_BSM_HAS_ANGLE) {
                Some(i8::try_from(i.angle).map_err(|_| CV2X_ERR_INVALID_PARAMETER)?)
            } else {
                None
            };
            let any_cfd = has(CV2X_BSM_HAS_SPEED_CONFIDENCE)
                || has(CV2X_BSM_HAS_HEADING_CONFIDENCE)
                || has(CV2X_BSM_HAS_STEERING_CONFIDENCE);
            b.motion_cfd = if any_cfd {
                Some($m::MotionConfidenceSet {
                    speed_cfd: opt(has(CV2X_BSM_HAS_SPEED_CONFIDENCE), || {
                        from_idx(i.speed_confidence, SPEED_CONFIDENCE)
                    })?,
                    heading_cfd: opt(has(CV2X_BSM_HAS_HEADING_CONFIDENCE), || {
                        from_idx(i.heading_confidence, HEADING_CONFIDENCE)
                    })?,
                    steer_cfd: opt(has(CV2X_BSM_HAS_STEERING_CONFIDENCE), || {
                        from_idx(i.steering_confidence, STEERING_CONFIDENCE)
                    })?,
                })
            } else {
                None
            };
            b.accel_set = $m::AccelerationSet4Way {
                long: i16::try_from(i.accel_long).map_err(|_| CV2X_ERR_INVALID_PARAMETER)?,
                lat: i16::try_from(i.accel_lat).map_err(|_| CV2X_ERR_INVALID_PARAMETER)?,
                vert: i8::try_from(i.accel_vert).map_err(|_| CV2X_ERR_INVALID_PARAMETER)?,
                yaw: i16::try_from(i.yaw_rate).map_err(|_| CV2X_ERR_INVALID_PARAMETER)?,
            };
            b.brakes = $m::BrakeSystemStatus {
                brake_padel: opt(has(CV2X_BSM_HAS_BRAKE_PEDAL), || {
                    from_idx(i.brake_pedal, OFF_ON)
                })?,
                wheel_brakes: opt(has(CV2X_BSM_HAS_WHEEL_BRAKES), || {
                    mask_to_bits::<1>(i.wheel_brakes, WHEEL_BRAKES_BITS).map($m::BrakeAppliedStatus)
                })?,
                traction: opt(has(CV2X_BSM_HAS_TRACTION), || {
                    from_idx(i.traction, OFF_ON_ENGAGED)
                })?,
                abs: opt(has(CV2X_BSM_HAS_ABS), || from_idx(i.abs, OFF_ON_ENGAGED))?,
                scs: opt(has(CV2X_BSM_HAS_SCS), || from_idx(i.scs, OFF_ON_ENGAGED))?,
                brake_boost: opt(has(CV2X_BSM_HAS_BRAKE_BOOST), || {
                    from_idx(i.brake_boost, OFF_ON)
                })?,
                aux_brakes: opt(has(CV2X_BSM_HAS_AUX_BRAKES), || {
                    from_idx(i.aux_brakes, AUX_BRAKES)
                })?,
            };
            b.size.width = u16::try_from(i.width).map_err(|_| CV2X_ERR_INVALID_PARAMETER)?;
            b.size.length = u16::try_from(i.length).map_err(|_| CV2X_ERR_INVALID_PARAMETER)?;
            b.size.height = opt(has(CV2X_BSM_HAS_HEIGHT), || {
                u8::try_from(i.height).map_err(|_| CV2X_ERR_INVALID_PARAMETER)
            })?;
            b.vehicle_class.classification =
                u8::try_from(i.vehicle_class).map_err(|_| CV2X_ERR_INVALID_PARAMETER)?;
            let fuel = opt(has(CV2X_BSM_HAS_FUEL_TYPE), || {
                u8::try_from(i.fuel_type).map_err(|_| CV2X_ERR_INVALID_PARAMETER)
            })?;
            b.vehicle_class.set_fuel(fuel)?;
            let safety = has(CV2X_BSM_HAS_SAFETY_EXT)
                || has(CV2X_BSM_HAS_EVENTS)
                || has(CV2X_BSM_HAS_LIGHTS);
            b.safety_ext = if safety {
                Some($m::VehicleSafetyExtensions {
                    events: opt(has(CV2X_BSM_HAS_EVENTS), || {
                        mask_to_bits::<2>(i.events, EVENTS_BITS).map(|bits| $m::VehicleEventFlags {
                            bits,
                            extended: None,
                        })
                    })?,
                    path_history: None,
                    path_prediction: None,
                    lights: opt(has(CV2X_BSM_HAS_LIGHTS), || {
                        mask_to_bits::<2>(i.lights, LIGHTS_BITS).map(|bits| $m::ExteriorLights {
                            bits,
                            extended: None,
                        })
                    })?,
                    unknown_ext: Default::default(),
                })
            } else {
                None
            };
            Ok(())
        }
    };
}

/// The fuel type, which T/CSAE 53-2017 does not have.
trait Fuel {
    fn fuel(&self) -> Option<u8>;
    fn set_fuel(&mut self, f: Option<u8>) -> Result<(), cv2x_result>;
}

/// The sets whose vehicle classification carries a fuel type.
macro_rules! fuel_field {
    ($($m:ident),*) => {$(
        impl Fuel for $m::VehicleClassification {
            fn fuel(&self) -> Option<u8> {
                self.fuel_type
            }
            fn set_fuel(&mut self, f: Option<u8>) -> Result<(), cv2x_result> {
                self.fuel_type = f;
                Ok(())
            }
        }
    )*};
}
fuel_field!(v2020, v2019);

impl Fuel for v2017::VehicleClassification {
    fn fuel(&self) -> Option<u8> {
        None
    }
    fn set_fuel(&mut self, f: Option<u8>) -> Result<(), cv2x_result> {
        match f {
            None => Ok(()),
            Some(_) => Err(CV2X_ERR_UNSUPPORTED),
        }
    }
}

fn opt<T>(
    present: bool,
    f: impl FnOnce() -> Result<T, cv2x_result>,
) -> Result<Option<T>, cv2x_result> {
    if present { f().map(Some) } else { Ok(None) }
}

bsm_common!(v2017, read_bsm_2017, write_bsm_2017);

/// Reading, and the empty message to write into, for the sets with the 2020 Day I BSM
/// (T/CSAE 53-2020 and its 2019 revision, whose BSM types are the same).
macro_rules! bsm_2020_like {
    ($m:ident, $read:ident, $write:ident, $get:ident, $empty:ident, $encode:ident) => {
        bsm_common!($m, $read, $write);

        fn $get(b: &$m::BasicSafetyMessage) -> cv2x_bsm {
            let mut o = cv2x_bsm::default();
            $read(b, &mut o);
            if let Some(t) = &b.time_confidence {
                o.present |= CV2X_BSM_HAS_TIME_CONFIDENCE;
                o.time_confidence = idx(t, TIME_CONFIDENCE);
            }
            if let Some(a) = &b.pos_accuracy {
                o.present |= CV2X_BSM_HAS_POS_ACCURACY;
                o.pos_accuracy_semi_major = u32::from(a.semi_major);
                o.pos_accuracy_semi_minor = u32::from(a.semi_minor);
                o.pos_accuracy_orientation = u32::from(a.orientation);
            }
            if let Some(c) = &b.pos_confidence {
                o.present |= CV2X_BSM_HAS_POS_CONFIDENCE;
                o.pos_confidence = idx(&c.pos, POSITION_CONFIDENCE);
                if let Some(e) = &c.elevation {
                    o.present |= CV2X_BSM_HAS_ELEVATION_CONFIDENCE;
                    o.elevation_confidence = idx(e, ELEVATION_CONFIDENCE);
                }
            }
            if b.emergency_ext.is_some() {
                o.present |= CV2X_BSM_HAS_EMERGENCY_EXT;
            }
            o
        }

        fn $empty() -> $m::BasicSafetyMessage {
            $m::BasicSafetyMessage {
                msg_cnt: 0,
                id: [0; 8],
                sec_mark: 0,
                time_confidence: None,
                pos: $m::Position3D {
                    lat: 0,
                    long: 0,
                    elevation: None,
                },
                pos_accuracy: None,
                pos_confidence: None,
                transmission: $m::TransmissionState::Unavailable,
                speed: 0,
                heading: 0,
                angle: None,
                motion_cfd: None,
                accel_set: $m::AccelerationSet4Way {
                    long: 0,
                    lat: 0,
                    vert: 0,
                    yaw: 0,
                },
                brakes: $m::BrakeSystemStatus {
                    brake_padel: None,
                    wheel_brakes: None,
                    traction: None,
                    abs: None,
                    scs: None,
                    brake_boost: None,
                    aux_brakes: None,
                },
                size: $m::VehicleSize {
                    width: 0,
                    length: 0,
                    height: None,
                },
                vehicle_class: $m::VehicleClassification {
                    classification: 0,
                    fuel_type: None,
                    unknown_ext: Default::default(),
                },
                safety_ext: None,
                emergency_ext: None,
                unknown_ext: Default::default(),
            }
        }

        /// Encodes `i` as a bsmFrame into `buf`, without the heap.
        fn $encode(i: &cv2x_bsm, buf: &mut [u8]) -> Result<usize, cv2x_result> {
            let has = |bit: u64| i.present & bit != 0;
            let mut b = $empty();
            $write(i, &mut b)?;
            b.time_confidence = opt(has(CV2X_BSM_HAS_TIME_CONFIDENCE), || {
                from_idx(i.time_confidence, TIME_CONFIDENCE)
            })?;
            b.pos_accuracy = opt(has(CV2X_BSM_HAS_POS_ACCURACY), || {
                let u8_of = |v: u32| u8::try_from(v).map_err(|_| CV2X_ERR_INVALID_PARAMETER);
                Ok($m::PositionalAccuracy {
                    semi_major: u8_of(i.pos_accuracy_semi_major)?,
                    semi_minor: u8_of(i.pos_accuracy_semi_minor)?,
                    orientation: u16::try_from(i.pos_accuracy_orientation)
                        .map_err(|_| CV2X_ERR_INVALID_PARAMETER)?,
                })
            })?;
            b.pos_confidence = opt(has(CV2X_BSM_HAS_POS_CONFIDENCE), || {
                Ok($m::PositionConfidenceSet {
                    pos: from_idx(i.pos_confidence, POSITION_CONFIDENCE)?,
                    elevation: opt(has(CV2X_BSM_HAS_ELEVATION_CONFIDENCE), || {
                        from_idx(i.elevation_confidence, ELEVATION_CONFIDENCE)
                    })?,
                })
            })?;
            $m::MessageFrame::BsmFrame(b)
                .encode_into(buf)
                .map_err(|e| encode_kind(e.kind()))
        }
    };
}

bsm_2020_like!(
    v2020,
    read_bsm_2020,
    write_bsm_2020,
    get_bsm_2020,
    empty_bsm_2020,
    encode_bsm_2020
);
bsm_2020_like!(
    v2019,
    read_bsm_2019,
    write_bsm_2019,
    get_bsm_2019,
    empty_bsm_2019,
    encode_bsm_2019
);

fn get_bsm_2017(b: &v2017::BasicSafetyMessage) -> cv2x_bsm {
    let mut o = cv2x_bsm::default();
    read_bsm_2017(b, &mut o);
    o.present |= CV2X_BSM_HAS_POS_CONFIDENCE;
    o.pos_confidence = idx(&b.accuracy.pos, POSITION_CONFIDENCE);
    if let Some(e) = &b.accuracy.elevation {
        o.present |= CV2X_BSM_HAS_ELEVATION_CONFIDENCE;
        o.elevation_confidence = idx(e, ELEVATION_CONFIDENCE);
    }
    o
}

/// Reads the BSM of a frame into `*out` (`CV2X_ERR_WRONG_MESSAGE_KIND` for another kind).
/// Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_frame_get_bsm(f: *const cv2x_frame, out: *mut cv2x_bsm) -> cv2x_result {
    ffi!({
        let frame = frame!(f);
        let out = deref_mut!(out);
        *out = match &*frame {
            Frame::V2020(v2020::MessageFrame::BsmFrame(b)) => get_bsm_2020(b),
            Frame::V2019(v2019::MessageFrame::BsmFrame(b)) => get_bsm_2019(b),
            Frame::V2017(v2017::MessageFrame::BsmFrame(b)) => get_bsm_2017(b),
            _ => return CV2X_ERR_WRONG_MESSAGE_KIND,
        };
        CV2X_OK
    })
}

/// Fills `*out` with a BSM whose every value is "unavailable" (position, speed, heading,
/// accelerations, gear) and no optional field: the starting point of a BSM to encode.
/// Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_bsm_init(out: *mut cv2x_bsm) -> cv2x_result {
    ffi!({
        let out = deref_mut!(out);
        *out = cv2x_bsm {
            sec_mark: 65535,
            lat: 900_000_001,
            lon: 1_800_000_001,
            transmission: 7,
            speed: 8191,
            heading: 28800,
            accel_long: 2001,
            accel_lat: 2001,
            accel_vert: -127,
            ..cv2x_bsm::default()
        };
        CV2X_OK
    })
}

fn empty_bsm_2017() -> v2017::BasicSafetyMessage {
    v2017::BasicSafetyMessage {
        msg_cnt: 0,
        id: [0; 8],
        plate_no: None,
        sec_mark: 0,
        pos: v2017::Position3D {
            lat: 0,
            long: 0,
            elevation: None,
        },
        accuracy: v2017::PositionConfidenceSet {
            pos: v2017::PositionConfidence::Unavailable,
            elevation: None,
        },
        transmission: v2017::TransmissionState::Unavailable,
        speed: 0,
        heading: 0,
        angle: None,
        motion_cfd: None,
        accel_set: v2017::AccelerationSet4Way {
            long: 0,
            lat: 0,
            vert: 0,
            yaw: 0,
        },
        brakes: v2017::BrakeSystemStatus {
            brake_padel: None,
            wheel_brakes: None,
            traction: None,
            abs: None,
            scs: None,
            brake_boost: None,
            aux_brakes: None,
        },
        size: v2017::VehicleSize {
            width: 0,
            length: 0,
            height: None,
        },
        vehicle_class: v2017::VehicleClassification {
            classification: 0,
            unknown_ext: Default::default(),
        },
        safety_ext: None,
        unknown_ext: Default::default(),
    }
}

/// The most octets a `MessageFrame` made from a `cv2x_bsm` can take (it holds no list).
const BSM_FRAME_MAX: usize = 256;

fn encode_bsm(std: Standard, i: &cv2x_bsm, buf: &mut [u8]) -> Result<usize, cv2x_result> {
    if i.present & !BSM_ENCODABLE != 0 {
        return Err(CV2X_ERR_INVALID_PARAMETER);
    }
    let has = |bit: u64| i.present & bit != 0;
    let enc = |e: EncodeError| encode_kind(e.kind());
    match std {
        Standard::Csae53_2020 => encode_bsm_2020(i, buf),
        Standard::Csae53_2019 => encode_bsm_2019(i, buf),
        Standard::Csae53_2017 => {
            if has(CV2X_BSM_HAS_TIME_CONFIDENCE) || has(CV2X_BSM_HAS_POS_ACCURACY) {
                return Err(CV2X_ERR_UNSUPPORTED);
            }
            let mut b = empty_bsm_2017();
            write_bsm_2017(i, &mut b)?;
            if has(CV2X_BSM_HAS_POS_CONFIDENCE) {
                b.accuracy.pos = from_idx(i.pos_confidence, POSITION_CONFIDENCE)?;
                b.accuracy.elevation = opt(has(CV2X_BSM_HAS_ELEVATION_CONFIDENCE), || {
                    from_idx(i.elevation_confidence, ELEVATION_CONFIDENCE)
                })?;
            }
            v2017::MessageFrame::BsmFrame(b)
                .encode_into(buf)
                .map_err(enc)
        }
        _ => Err(CV2X_ERR_UNSUPPORTED),
    }
}

/// Encodes `*bsm` as a UPER `MessageFrame` (bsmFrame) of the standard `std` into
/// `(out, cap, out_len)` without using the heap. Each field is checked against its
/// constraint (`CV2X_ERR_INVALID_PARAMETER` for a value that does not fit the field's type or
/// an unknown enumerated index, `CV2X_ERR_ENCODE_*` for one outside the ASN.1 range). The
/// read-only `present` bits (path history, prediction, emergency extensions) must be clear:
/// to send those, build the frame from JER. For T/CSAE 53-2017, time confidence and position
/// accuracy do not exist (`CV2X_ERR_UNSUPPORTED`) and the mandatory position confidence is
/// "unavailable" unless given. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_bsm_encode(
    std: u32,
    bsm: *const cv2x_bsm,
    out: *mut u8,
    cap: usize,
    out_len: *mut usize,
) -> cv2x_result {
    ffi!({
        let std = tri!(standard(std));
        let bsm = deref!(bsm);
        let mut buf = [0u8; BSM_FRAME_MAX];
        let n = tri!(encode_bsm(std, bsm, &mut buf));
        write_bytes(buf.get(..n).unwrap_or(&[]), out, cap, out_len)
    })
}

// ---------------------------------------------------------------------------------------------
// SPAT

/// `cv2x_spat.present`: `moy` is set.
pub const CV2X_SPAT_HAS_MOY: u32 = 1 << 0;
/// `cv2x_spat.present`: `time_stamp` is set (2020 and 2019 sets).
pub const CV2X_SPAT_HAS_TIME_STAMP: u32 = 1 << 1;
/// `cv2x_spat.present`: `name` is set.
pub const CV2X_SPAT_HAS_NAME: u32 = 1 << 2;

/// A SPAT message's header. `intersection_count` intersections follow
/// (`cv2x_frame_get_spat_intersection`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct cv2x_spat {
    /// `CV2X_SPAT_HAS_*` bits.
    pub present: u32,
    /// msgCnt.
    pub msg_cnt: u32,
    /// Minute of the year (UTC), 0..527040.
    pub moy: u32,
    /// Millisecond within the minute (DSecond).
    pub time_stamp: u32,
    /// Number of intersections.
    pub intersection_count: u32,
    /// Room for later fields (0).
    pub reserved: u32,
    /// The name (IA5String, at most 63 characters), NUL-terminated.
    pub name: [c_char; 64],
}

impl Default for cv2x_spat {
    fn default() -> Self {
        cv2x_spat {
            present: 0,
            msg_cnt: 0,
            moy: 0,
            time_stamp: 0,
            intersection_count: 0,
            reserved: 0,
            name: [0; 64],
        }
    }
}

/// Frozen size of `cv2x_spat`.
pub const CV2X_SPAT_SIZE: usize = 88;
const _: () = assert!(std::mem::size_of::<cv2x_spat>() == CV2X_SPAT_SIZE);

/// `cv2x_spat_intersection.present`: `region` is set.
pub const CV2X_SPAT_INTERSECTION_HAS_REGION: u32 = 1 << 0;
/// `cv2x_spat_intersection.present`: `moy` is set.
pub const CV2X_SPAT_INTERSECTION_HAS_MOY: u32 = 1 << 1;
/// `cv2x_spat_intersection.present`: `time_stamp` is set.
pub const CV2X_SPAT_INTERSECTION_HAS_TIME_STAMP: u32 = 1 << 2;
/// `cv2x_spat_intersection.present`: `time_confidence` is set (2020 and 2019 sets).
pub const CV2X_SPAT_INTERSECTION_HAS_TIME_CONFIDENCE: u32 = 1 << 3;

/// One intersection of a SPAT.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct cv2x_spat_intersection {
    /// `CV2X_SPAT_INTERSECTION_HAS_*` bits.
    pub present: u32,
    /// Road regulator region of the node id.
    pub region: u32,
    /// Node id of the intersection.
    pub id: u32,
    /// IntersectionStatusObject bits (bit `i` of the definition at `1 << i`).
    pub status: u32,
    /// Minute of the year.
    pub moy: u32,
    /// Millisecond within the minute.
    pub time_stamp: u32,
    /// TimeConfidence index.
    pub time_confidence: u32,
    /// Number of phases (`cv2x_frame_get_spat_phase`).
    pub phase_count: u32,
}

/// Frozen size of `cv2x_spat_intersection`.
pub const CV2X_SPAT_INTERSECTION_SIZE: usize = 32;
const _: () = assert!(std::mem::size_of::<cv2x_spat_intersection>() == CV2X_SPAT_INTERSECTION_SIZE);

/// One phase of a SPAT intersection.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct cv2x_spat_phase {
    /// Phase id.
    pub id: u32,
    /// Number of light states (`cv2x_frame_get_spat_phase_state`).
    pub state_count: u32,
}

/// Frozen size of `cv2x_spat_phase`.
pub const CV2X_SPAT_PHASE_SIZE: usize = 8;
const _: () = assert!(std::mem::size_of::<cv2x_spat_phase>() == CV2X_SPAT_PHASE_SIZE);

/// `cv2x_spat_phase_state.light`: unavailable.
pub const CV2X_LIGHT_UNAVAILABLE: u32 = 0;
/// `cv2x_spat_phase_state.light`: dark.
pub const CV2X_LIGHT_DARK: u32 = 1;
/// `cv2x_spat_phase_state.light`: flashing red (2017: stop-then-proceed).
pub const CV2X_LIGHT_FLASHING_RED: u32 = 2;
/// `cv2x_spat_phase_state.light`: red (2017: stop-and-remain).
pub const CV2X_LIGHT_RED: u32 = 3;
/// `cv2x_spat_phase_state.light`: flashing green (2017: pre-movement).
pub const CV2X_LIGHT_FLASHING_GREEN: u32 = 4;
/// `cv2x_spat_phase_state.light`: permissive green.
pub const CV2X_LIGHT_PERMISSIVE_GREEN: u32 = 5;
/// `cv2x_spat_phase_state.light`: protected green.
pub const CV2X_LIGHT_PROTECTED_GREEN: u32 = 6;
/// `cv2x_spat_phase_state.light`: yellow (2017: intersection clearance).
pub const CV2X_LIGHT_YELLOW: u32 = 7;
/// `cv2x_spat_phase_state.light`: flashing yellow (2017: caution, conflicting traffic).
pub const CV2X_LIGHT_FLASHING_YELLOW: u32 = 8;

/// `cv2x_spat_phase_state.present`: the timing is a countdown (TimeCountingDown: TimeMark
/// values are durations from now, 0.1 s).
pub const CV2X_PHASE_STATE_HAS_COUNTING: u32 = 1 << 0;
/// `cv2x_spat_phase_state.present`: the timing is UTC based (UTCTiming: TimeMark values are
/// the 0.1 s of the hour).
pub const CV2X_PHASE_STATE_HAS_UTC_TIMING: u32 = 1 << 1;
/// `cv2x_spat_phase_state.present`: `min_end_time` is set.
pub const CV2X_PHASE_STATE_HAS_MIN_END: u32 = 1 << 2;
/// `cv2x_spat_phase_state.present`: `max_end_time` is set.
pub const CV2X_PHASE_STATE_HAS_MAX_END: u32 = 1 << 3;
/// `cv2x_spat_phase_state.present`: `time_confidence` is set.
pub const CV2X_PHASE_STATE_HAS_TIME_CONFIDENCE: u32 = 1 << 4;
/// `cv2x_spat_phase_state.present`: `next_start_time` is set.
pub const CV2X_PHASE_STATE_HAS_NEXT_START: u32 = 1 << 5;
/// `cv2x_spat_phase_state.present`: `next_duration` is set (for UTC timing: nextEndUTCTime).
pub const CV2X_PHASE_STATE_HAS_NEXT_DURATION: u32 = 1 << 6;

/// One light state of a phase with its timing (0.1 s TimeMark units).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct cv2x_spat_phase_state {
    /// `CV2X_PHASE_STATE_HAS_*` bits.
    pub present: u32,
    /// `CV2X_LIGHT_*` (`CV2X_ENUM_EXTENSION` for a value this version does not know).
    pub light: u32,
    /// startTime / startUTCTime.
    pub start_time: u32,
    /// minEndTime / minEndUTCTime.
    pub min_end_time: u32,
    /// maxEndTime / maxEndUTCTime.
    pub max_end_time: u32,
    /// likelyEndTime / likelyEndUTCTime.
    pub likely_end_time: u32,
    /// timeConfidence (Confidence, 0..200 in 0.5 %).
    pub time_confidence: u32,
    /// nextStartTime / nextStartUTCTime.
    pub next_start_time: u32,
    /// nextDuration / nextEndUTCTime.
    pub next_duration: u32,
    /// Room for later fields (0).
    pub reserved: u32,
}

impl cv2x_spat_phase_state {
    /// Sets the timing of either form: `kind` its `CV2X_PHASE_STATE_HAS_*` bit, then
    /// [start, likely end], [min end, max end, next start, next duration/end], confidence.
    fn set_timing(
        &mut self,
        kind: u32,
        [start, likely]: [u16; 2],
        [min, max, next_start, next]: [Option<u16>; 4],
        confidence: Option<u8>,
    ) {
        self.present |= kind;
        self.start_time = u32::from(start);
        self.likely_end_time = u32::from(likely);
        let p = &mut self.present;
        let u = |v: Option<u16>| v.map(u32::from);
        set_opt(
            p,
            CV2X_PHASE_STATE_HAS_MIN_END,
            &mut self.min_end_time,
            u(min),
        );
        set_opt(
            p,
            CV2X_PHASE_STATE_HAS_MAX_END,
            &mut self.max_end_time,
            u(max),
        );
        set_opt(
            p,
            CV2X_PHASE_STATE_HAS_NEXT_START,
            &mut self.next_start_time,
            u(next_start),
        );
        set_opt(
            p,
            CV2X_PHASE_STATE_HAS_NEXT_DURATION,
            &mut self.next_duration,
            u(next),
        );
        let c = confidence.map(u32::from);
        set_opt(
            p,
            CV2X_PHASE_STATE_HAS_TIME_CONFIDENCE,
            &mut self.time_confidence,
            c,
        );
    }
}

/// Frozen size of `cv2x_spat_phase_state`.
pub const CV2X_SPAT_PHASE_STATE_SIZE: usize = 40;
const _: () = assert!(std::mem::size_of::<cv2x_spat_phase_state>() == CV2X_SPAT_PHASE_STATE_SIZE);

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn set_opt(present: &mut u32, bit: u32, dst: &mut u32, v: Option<u32>) {
    if let Some(v) = v {
        *present |= bit;
        *dst = v;
    }
}

/// The header of a SPAT of a set with the 2020 Day I SPAT (2020, 2019): fills `$o`, gives
/// the name.
macro_rules! spat_header {
    ($s:expr, $o:expr) => {{
        let s = $s;
        $o.msg_cnt = u32::from(s.msg_cnt);
        set_opt(&mut $o.present, CV2X_SPAT_HAS_MOY, &mut $o.moy, s.moy);
        let ts = s.time_stamp.map(u32::from);
        set_opt(
            &mut $o.present,
            CV2X_SPAT_HAS_TIME_STAMP,
            &mut $o.time_stamp,
            ts,
        );
        $o.intersection_count = count(s.intersections.len());
        s.name.as_deref()
    }};
}

/// Reads the header of a SPAT frame (`CV2X_ERR_WRONG_MESSAGE_KIND` for another kind).
/// Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_frame_get_spat(f: *const cv2x_frame, out: *mut cv2x_spat) -> cv2x_result {
    ffi!({
        let frame = frame!(f);
        let out = deref_mut!(out);
        let mut o = cv2x_spat::default();
        let name = match &*frame {
            Frame::V2020(v2020::MessageFrame::SpatFrame(s)) => spat_header!(s, o),
            Frame::V2019(v2019::MessageFrame::SpatFrame(s)) => spat_header!(s, o),
            Frame::V2017(v2017::MessageFrame::SpatFrame(s)) => {
                o.msg_cnt = u32::from(s.msg_cnt);
                set_opt(&mut o.present, CV2X_SPAT_HAS_MOY, &mut o.moy, s.time_stamp);
                o.intersection_count = count(s.intersections.len());
                s.name.as_deref()
            }
            _ => return CV2X_ERR_WRONG_MESSAGE_KIND,
        };
        if let Some(n) = name {
            o.present |= CV2X_SPAT_HAS_NAME;
            let mut bytes = [0u8; 64];
            fill_cstr_array(&mut bytes, n);
            for (d, s) in o.name.iter_mut().zip(bytes) {
                *d = s as c_char;
            }
        }
        *out = o;
        CV2X_OK
    })
}

/// A SPAT of either standard, for the indexed accessors.
enum SpatRef<'a> {
    V2020(&'a v2020::SPAT),
    V2019(&'a v2019::SPAT),
    V2017(&'a v2017::SPAT),
}

fn spat_of(frame: &Frame) -> Result<SpatRef<'_>, cv2x_result> {
    match frame {
        Frame::V2020(v2020::MessageFrame::SpatFrame(s)) => Ok(SpatRef::V2020(s)),
        Frame::V2019(v2019::MessageFrame::SpatFrame(s)) => Ok(SpatRef::V2019(s)),
        Frame::V2017(v2017::MessageFrame::SpatFrame(s)) => Ok(SpatRef::V2017(s)),
        _ => Err(CV2X_ERR_WRONG_MESSAGE_KIND),
    }
}

fn at<T>(list: &[T], i: u32) -> Result<&T, cv2x_result> {
    list.get(i as usize).ok_or(CV2X_ERR_INDEX_OUT_OF_RANGE)
}

/// The fields every set's SPAT intersection has.
macro_rules! spat_intersection {
    ($x:expr, $o:expr) => {{
        let x = $x;
        let reg = x.intersection_id.region.map(u32::from);
        set_opt(
            &mut $o.present,
            CV2X_SPAT_INTERSECTION_HAS_REGION,
            &mut $o.region,
            reg,
        );
        $o.id = u32::from(x.intersection_id.id);
        $o.status = bits_to_mask(&x.status.0, 16);
        set_opt(
            &mut $o.present,
            CV2X_SPAT_INTERSECTION_HAS_MOY,
            &mut $o.moy,
            x.moy,
        );
        let ts = x.time_stamp.map(u32::from);
        set_opt(
            &mut $o.present,
            CV2X_SPAT_INTERSECTION_HAS_TIME_STAMP,
            &mut $o.time_stamp,
            ts,
        );
        $o.phase_count = count(x.phases.len());
    }};
}

/// Phase `j` of intersection `i` of a SPAT of any set.
macro_rules! spat_phase {
    ($s:expr, $i:expr, $j:expr) => {{
        let p = tri!(at(&tri!(at(&$s.intersections, $i)).phases, $j));
        cv2x_spat_phase {
            id: u32::from(p.id),
            state_count: count(p.phase_states.len()),
        }
    }};
}

/// Light state `k` of phase `j` of intersection `i` of a SPAT of a set with the 2020 Day I
/// timing (counting down or UTC).
macro_rules! spat_state_2020_like {
    ($m:ident, $s:expr, $i:expr, $j:expr, $k:expr, $o:expr) => {{
        let p = tri!(at(&tri!(at(&$s.intersections, $i)).phases, $j));
        let st = tri!(at(&p.phase_states, $k));
        $o.light = idx(&st.light, LIGHT_STATE_2020);
        match &st.timing {
            Some($m::TimeChangeDetails::Counting(t)) => $o.set_timing(
                CV2X_PHASE_STATE_HAS_COUNTING,
                [t.start_time, t.likely_end_time],
                [
                    t.min_end_time,
                    t.max_end_time,
                    t.next_start_time,
                    t.next_duration,
                ],
                t.time_confidence,
            ),
            Some($m::TimeChangeDetails::UtcTiming(t)) => $o.set_timing(
                CV2X_PHASE_STATE_HAS_UTC_TIMING,
                [t.start_utc_time, t.likely_end_utc_time],
                [
                    t.min_end_utc_time,
                    t.max_end_utc_time,
                    t.next_start_utc_time,
                    t.next_end_utc_time,
                ],
                t.time_confidence,
            ),
            Some($m::TimeChangeDetails::UnknownExt(_)) | None => {}
        }
    }};
}

/// Reads intersection `i` (0-based, below `intersection_count`) of a SPAT frame
/// (`CV2X_ERR_INDEX_OUT_OF_RANGE` past the end). Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_frame_get_spat_intersection(
    f: *const cv2x_frame,
    i: u32,
    out: *mut cv2x_spat_intersection,
) -> cv2x_result {
    ffi!({
        let frame = frame!(f);
        let out = deref_mut!(out);
        let mut o = cv2x_spat_intersection::default();
        match tri!(spat_of(&frame)) {
            SpatRef::V2020(s) => {
                let x = tri!(at(&s.intersections, i));
                spat_intersection!(x, o);
                let tc = x.time_confidence.as_ref().map(|t| idx(t, TIME_CONFIDENCE));
                set_opt(
                    &mut o.present,
                    CV2X_SPAT_INTERSECTION_HAS_TIME_CONFIDENCE,
                    &mut o.time_confidence,
                    tc,
                );
            }
            SpatRef::V2019(s) => {
                let x = tri!(at(&s.intersections, i));
                spat_intersection!(x, o);
                let tc = x.time_confidence.as_ref().map(|t| idx(t, TIME_CONFIDENCE));
                set_opt(
                    &mut o.present,
                    CV2X_SPAT_INTERSECTION_HAS_TIME_CONFIDENCE,
                    &mut o.time_confidence,
                    tc,
                );
            }
            SpatRef::V2017(s) => spat_intersection!(tri!(at(&s.intersections, i)), o),
        }
        *out = o;
        CV2X_OK
    })
}

/// Reads phase `j` of intersection `i` of a SPAT frame. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_frame_get_spat_phase(
    f: *const cv2x_frame,
    i: u32,
    j: u32,
    out: *mut cv2x_spat_phase,
) -> cv2x_result {
    ffi!({
        let frame = frame!(f);
        let out = deref_mut!(out);
        *out = match tri!(spat_of(&frame)) {
            SpatRef::V2020(s) => spat_phase!(s, i, j),
            SpatRef::V2019(s) => spat_phase!(s, i, j),
            SpatRef::V2017(s) => spat_phase!(s, i, j),
        };
        CV2X_OK
    })
}

/// Reads light state `k` of phase `j` of intersection `i` of a SPAT frame. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_frame_get_spat_phase_state(
    f: *const cv2x_frame,
    i: u32,
    j: u32,
    k: u32,
    out: *mut cv2x_spat_phase_state,
) -> cv2x_result {
    ffi!({
        let frame = frame!(f);
        let out = deref_mut!(out);
        let mut o = cv2x_spat_phase_state::default();
        match tri!(spat_of(&frame)) {
            SpatRef::V2020(s) => spat_state_2020_like!(v2020, s, i, j, k, o),
            SpatRef::V2019(s) => spat_state_2020_like!(v2019, s, i, j, k, o),
            SpatRef::V2017(s) => {
                let p = tri!(at(&tri!(at(&s.intersections, i)).phases, j));
                let st = tri!(at(&p.phase_states, k));
                o.light = idx(&st.light, LIGHT_STATE_2017);
                if let Some(t) = &st.timing {
                    o.set_timing(
                        CV2X_PHASE_STATE_HAS_COUNTING,
                        [t.start_time, t.likely_end_time],
                        [
                            t.min_end_time,
                            t.max_end_time,
                            t.next_start_time,
                            t.next_duration,
                        ],
                        t.time_confidence,
                    );
                }
            }
        }
        *out = o;
        CV2X_OK
    })
}

// ---------------------------------------------------------------------------------------------
// RSM

/// `cv2x_rsm.present`: `ref_elevation` is set.
pub const CV2X_RSM_HAS_REF_ELEVATION: u32 = 1 << 0;

/// An RSM's header. `participant_count` participants follow
/// (`cv2x_frame_get_rsm_participant`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct cv2x_rsm {
    /// `CV2X_RSM_HAS_*` bits.
    pub present: u32,
    /// msgCnt.
    pub msg_cnt: u32,
    /// Roadside unit id.
    pub id: [u8; 8],
    /// Reference latitude, 1e-7 degree.
    pub ref_lat: i32,
    /// Reference longitude, 1e-7 degree.
    pub ref_lon: i32,
    /// Reference elevation, 0.1 m.
    pub ref_elevation: i32,
    /// Number of participants.
    pub participant_count: u32,
}

/// Frozen size of `cv2x_rsm`.
pub const CV2X_RSM_SIZE: usize = 32;
const _: () = assert!(std::mem::size_of::<cv2x_rsm>() == CV2X_RSM_SIZE);

/// `cv2x_rsm_participant.present`: `id` is set.
pub const CV2X_PTC_HAS_ID: u32 = 1 << 0;
/// `cv2x_rsm_participant.present`: the position was sent as an absolute latitude/longitude
/// (`offset_lat`/`offset_lon` are then 0).
pub const CV2X_PTC_POS_ABSOLUTE: u32 = 1 << 1;
/// `cv2x_rsm_participant.present`: `elevation` is set.
pub const CV2X_PTC_HAS_ELEVATION: u32 = 1 << 2;
/// `cv2x_rsm_participant.present`: `elevation_confidence` is set.
pub const CV2X_PTC_HAS_ELEVATION_CONFIDENCE: u32 = 1 << 3;
/// `cv2x_rsm_participant.present`: `transmission` is set.
pub const CV2X_PTC_HAS_TRANSMISSION: u32 = 1 << 4;
/// `cv2x_rsm_participant.present`: `angle` is set.
pub const CV2X_PTC_HAS_ANGLE: u32 = 1 << 5;
/// `cv2x_rsm_participant.present`: `speed_confidence` is set.
pub const CV2X_PTC_HAS_SPEED_CONFIDENCE: u32 = 1 << 6;
/// `cv2x_rsm_participant.present`: `heading_confidence` is set.
pub const CV2X_PTC_HAS_HEADING_CONFIDENCE: u32 = 1 << 7;
/// `cv2x_rsm_participant.present`: `steering_confidence` is set.
pub const CV2X_PTC_HAS_STEERING_CONFIDENCE: u32 = 1 << 8;
/// `cv2x_rsm_participant.present`: `accel_*` and `yaw_rate` are set.
pub const CV2X_PTC_HAS_ACCEL: u32 = 1 << 9;
/// `cv2x_rsm_participant.present`: `height` is set.
pub const CV2X_PTC_HAS_HEIGHT: u32 = 1 << 10;
/// `cv2x_rsm_participant.present`: `vehicle_class` is set.
pub const CV2X_PTC_HAS_VEHICLE_CLASS: u32 = 1 << 11;
/// `cv2x_rsm_participant.present`: `fuel_type` is set.
pub const CV2X_PTC_HAS_FUEL_TYPE: u32 = 1 << 12;

/// One traffic participant of an RSM, raw standard units (as `cv2x_bsm`). `lat`/`lon` are
/// absolute (the RSM reference position plus the offset, or the absolute position sent).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct cv2x_rsm_participant {
    /// `CV2X_PTC_*` bits.
    pub present: u32,
    /// ParticipantType (0 unknown, 1 motor, 2 non-motor, 3 pedestrian, 4 rsu).
    pub ptc_type: u32,
    /// ptcId (0..65535).
    pub ptc_id: u32,
    /// SourceType (0 unknown, 1 selfinfo, 2 v2x, 3 video, 4 microwave radar, 5 loop,
    /// 6 lidar, 7 integrated).
    pub source: u32,
    /// Temporary id of a vehicle seen over V2X.
    pub id: [u8; 8],
    /// secMark, ms within the minute.
    pub sec_mark: u32,
    /// Latitude offset from the RSM reference, 1e-7 degree.
    pub offset_lat: i32,
    /// Longitude offset from the RSM reference, 1e-7 degree.
    pub offset_lon: i32,
    /// Absolute latitude, 1e-7 degree.
    pub lat: i32,
    /// Absolute longitude, 1e-7 degree.
    pub lon: i32,
    /// Absolute elevation, 0.1 m.
    pub elevation: i32,
    /// PositionConfidence index.
    pub pos_confidence: u32,
    /// ElevationConfidence index.
    pub elevation_confidence: u32,
    /// TransmissionState index.
    pub transmission: u32,
    /// Speed, 0.02 m/s.
    pub speed: u32,
    /// Heading, 0.0125 degree.
    pub heading: u32,
    /// Steering wheel angle, 1.5 degree.
    pub angle: i32,
    /// SpeedConfidence index.
    pub speed_confidence: u32,
    /// HeadingConfidence index.
    pub heading_confidence: u32,
    /// SteeringWheelAngleConfidence index.
    pub steering_confidence: u32,
    /// Longitudinal acceleration, 0.01 m/s².
    pub accel_long: i32,
    /// Lateral acceleration, 0.01 m/s².
    pub accel_lat: i32,
    /// Vertical acceleration, 0.02 G.
    pub accel_vert: i32,
    /// Yaw rate, 0.01 degree/s.
    pub yaw_rate: i32,
    /// Width, 1 cm.
    pub width: u32,
    /// Length, 1 cm.
    pub length: u32,
    /// Height, 5 cm.
    pub height: u32,
    /// BasicVehicleClass.
    pub vehicle_class: u32,
    /// FuelType.
    pub fuel_type: u32,
    /// Room for later fields (0).
    pub reserved: [u32; 4],
}

/// Frozen size of `cv2x_rsm_participant`.
pub const CV2X_RSM_PARTICIPANT_SIZE: usize = 136;
const _: () = assert!(std::mem::size_of::<cv2x_rsm_participant>() == CV2X_RSM_PARTICIPANT_SIZE);

/// Reads the header of an RSM frame (`CV2X_ERR_WRONG_MESSAGE_KIND` for another kind).
/// Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_frame_get_rsm(f: *const cv2x_frame, out: *mut cv2x_rsm) -> cv2x_result {
    ffi!({
        let frame = frame!(f);
        let out = deref_mut!(out);
        let (msg_cnt, id, pos_lat, pos_lon, elev, n) = match &*frame {
            Frame::V2020(v2020::MessageFrame::RsmFrame(r)) => (
                r.msg_cnt,
                r.id,
                r.ref_pos.lat,
                r.ref_pos.long,
                r.ref_pos.elevation,
                r.participants.len(),
            ),
            Frame::V2019(v2019::MessageFrame::RsmFrame(r)) => (
                r.msg_cnt,
                r.id,
                r.ref_pos.lat,
                r.ref_pos.long,
                r.ref_pos.elevation,
                r.participants.len(),
            ),
            Frame::V2017(v2017::MessageFrame::RsmFrame(r)) => (
                r.msg_cnt,
                r.id,
                r.ref_pos.lat,
                r.ref_pos.long,
                r.ref_pos.elevation,
                r.participants.len(),
            ),
            _ => return CV2X_ERR_WRONG_MESSAGE_KIND,
        };
        let mut o = cv2x_rsm {
            msg_cnt: u32::from(msg_cnt),
            id,
            ref_lat: pos_lat,
            ref_lon: pos_lon,
            participant_count: count(n),
            ..cv2x_rsm::default()
        };
        if let Some(e) = elev {
            o.present |= CV2X_RSM_HAS_REF_ELEVATION;
            o.ref_elevation = e;
        }
        *out = o;
        CV2X_OK
    })
}

/// The participant fields both standards share.
macro_rules! participant {
    ($m:ident, $name:ident) => {
        fn $name(
            p: &$m::ParticipantData,
            pos_conf: &$m::PositionConfidenceSet,
            ref_pos: &$m::Position3D,
        ) -> cv2x_rsm_participant {
            let mut o = cv2x_rsm_participant {
                ptc_type: idx(&p.ptc_type, PARTICIPANT_TYPE),
                ptc_id: u32::from(p.ptc_id),
                source: idx(&p.source, SOURCE_TYPE),
                sec_mark: u32::from(p.sec_mark),
                speed: u32::from(p.speed),
                heading: u32::from(p.heading),
                width: u32::from(p.size.width),
                length: u32::from(p.size.length),
                pos_confidence: idx(&pos_conf.pos, POSITION_CONFIDENCE),
                ..cv2x_rsm_participant::default()
            };
            if let Some(id) = p.id {
                o.present |= CV2X_PTC_HAS_ID;
                o.id = id;
            }
            use $m::PositionOffsetLL as L;
            let (dlat, dlon, absolute) = match &p.pos.offset_ll {
                L::PositionLl1(x) => (i64::from(x.lat), i64::from(x.lon), false),
                L::PositionLl2(x) => (i64::from(x.lat), i64::from(x.lon), false),
                L::PositionLl3(x) => (i64::from(x.lat), i64::from(x.lon), false),
                L::PositionLl4(x) => (i64::from(x.lat), i64::from(x.lon), false),
                L::PositionLl5(x) => (i64::from(x.lat), i64::from(x.lon), false),
                L::PositionLl6(x) => (i64::from(x.lat), i64::from(x.lon), false),
                L::PositionLatLon(x) => (i64::from(x.lat), i64::from(x.lon), true),
            };
            let clamp =
                |v: i64| i32::try_from(v).unwrap_or(if v < 0 { i32::MIN } else { i32::MAX });
            if absolute {
                o.present |= CV2X_PTC_POS_ABSOLUTE;
                o.lat = clamp(dlat);
                o.lon = clamp(dlon);
            } else {
                o.offset_lat = clamp(dlat);
                o.offset_lon = clamp(dlon);
                o.lat = clamp(i64::from(ref_pos.lat) + dlat);
                o.lon = clamp(i64::from(ref_pos.long) + dlon);
            }
            use $m::VerticalOffset as V;
            let elevation = match &p.pos.offset_v {
                Some(V::Elevation(e)) => Some(i64::from(*e)),
                Some(V::Offset1(d)) => ref_pos.elevation.map(|r| i64::from(r) + i64::from(*d)),
                Some(V::Offset2(d)) => ref_pos.elevation.map(|r| i64::from(r) + i64::from(*d)),
                Some(V::Offset3(d)) => ref_pos.elevation.map(|r| i64::from(r) + i64::from(*d)),
                Some(V::Offset4(d)) => ref_pos.elevation.map(|r| i64::from(r) + i64::from(*d)),
                Some(V::Offset5(d)) => ref_pos.elevation.map(|r| i64::from(r) + i64::from(*d)),
                Some(V::Offset6(d)) => ref_pos.elevation.map(|r| i64::from(r) + i64::from(*d)),
                None => ref_pos.elevation.map(i64::from),
            };
            if let Some(e) = elevation {
                o.present |= CV2X_PTC_HAS_ELEVATION;
                o.elevation = clamp(e);
            }
            if let Some(e) = &pos_conf.elevation {
                o.present |= CV2X_PTC_HAS_ELEVATION_CONFIDENCE;
                o.elevation_confidence = idx(e, ELEVATION_CONFIDENCE);
            }
            if let Some(t) = &p.transmission {
                o.present |= CV2X_PTC_HAS_TRANSMISSION;
                o.transmission = idx(t, TRANSMISSION);
            }
            if let Some(a) = p.angle {
                o.present |= CV2X_PTC_HAS_ANGLE;
                o.angle = i32::from(a);
            }
            if let Some(m) = &p.motion_cfd {
                if let Some(c) = &m.speed_cfd {
                    o.present |= CV2X_PTC_HAS_SPEED_CONFIDENCE;
                    o.speed_confidence = idx(c, SPEED_CONFIDENCE);
                }
                if let Some(c) = &m.heading_cfd {
                    o.present |= CV2X_PTC_HAS_HEADING_CONFIDENCE;
                    o.heading_confidence = idx(c, HEADING_CONFIDENCE);
                }
                if let Some(c) = &m.steer_cfd {
                    o.present |= CV2X_PTC_HAS_STEERING_CONFIDENCE;
                    o.steering_confidence = idx(c, STEERING_CONFIDENCE);
                }
            }
            if let Some(a) = &p.accel_set {
                o.present |= CV2X_PTC_HAS_ACCEL;
                o.accel_long = i32::from(a.long);
                o.accel_lat = i32::from(a.lat);
                o.accel_vert = i32::from(a.vert);
                o.yaw_rate = i32::from(a.yaw);
            }
            if let Some(h) = p.size.height {
                o.present |= CV2X_PTC_HAS_HEIGHT;
                o.height = u32::from(h);
            }
            if let Some(c) = &p.vehicle_class {
                o.present |= CV2X_PTC_HAS_VEHICLE_CLASS;
                o.vehicle_class = u32::from(c.classification);
                if let Some(fu) = c.fuel() {
                    o.present |= CV2X_PTC_HAS_FUEL_TYPE;
                    o.fuel_type = u32::from(fu);
                }
            }
            o
        }
    };
}

participant!(v2020, participant_2020);
participant!(v2019, participant_2019);
participant!(v2017, participant_2017);

/// Reads participant `i` (0-based, below `participant_count`) of an RSM frame. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_frame_get_rsm_participant(
    f: *const cv2x_frame,
    i: u32,
    out: *mut cv2x_rsm_participant,
) -> cv2x_result {
    ffi!({
        let frame = frame!(f);
        let out = deref_mut!(out);
        *out = match &*frame {
            Frame::V2020(v2020::MessageFrame::RsmFrame(r)) => {
                let p = tri!(at(&r.participants, i));
                participant_2020(p, &p.pos_confidence, &r.ref_pos)
            }
            Frame::V2019(v2019::MessageFrame::RsmFrame(r)) => {
                let p = tri!(at(&r.participants, i));
                participant_2019(p, &p.pos_confidence, &r.ref_pos)
            }
            Frame::V2017(v2017::MessageFrame::RsmFrame(r)) => {
                let p = tri!(at(&r.participants, i));
                participant_2017(p, &p.accuracy, &r.ref_pos)
            }
            _ => return CV2X_ERR_WRONG_MESSAGE_KIND,
        };
        CV2X_OK
    })
}

#[cfg(feature = "test-panic")]
impl cv2x_frame {
    pub(crate) fn read_for_test(
        &self,
    ) -> Result<crate::boundary::ReadGuard<'_, Frame>, cv2x_result> {
        self.inner.read()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_tables_round_trip_every_value() {
        for (i, _) in TIME_CONFIDENCE.iter().enumerate() {
            let v: v2020::TimeConfidence = from_idx(i as u32, TIME_CONFIDENCE).unwrap();
            assert_eq!(idx(&v, TIME_CONFIDENCE), i as u32);
        }
        for (i, _) in LIGHT_STATE_2017.iter().enumerate() {
            let v: v2017::LightState = from_idx(i as u32, LIGHT_STATE_2017).unwrap();
            assert_eq!(idx(&v, LIGHT_STATE_2017), i as u32);
        }
        for (i, _) in LIGHT_STATE_2020.iter().enumerate() {
            let v: v2020::LightState = from_idx(i as u32, LIGHT_STATE_2020).unwrap();
            assert_eq!(idx(&v, LIGHT_STATE_2020), i as u32);
        }
        for t in [
            TRANSMISSION,
            SPEED_CONFIDENCE,
            HEADING_CONFIDENCE,
            POSITION_CONFIDENCE,
        ] {
            assert!(from_idx::<v2020::TransmissionState>(t.len() as u32, TRANSMISSION).is_err());
        }
        assert!(from_idx::<v2020::TransmissionState>(8, TRANSMISSION).is_err());
        let v: v2020::ParticipantType = from_idx(3, PARTICIPANT_TYPE).unwrap();
        assert_eq!(v, v2020::ParticipantType::Pedestrian);
        let s: v2020::SourceType = from_idx(7, SOURCE_TYPE).unwrap();
        assert_eq!(idx(&s, SOURCE_TYPE), 7);
    }

    #[test]
    fn bit_masks_follow_the_definition_order() {
        assert_eq!(bits_to_mask(&[0x20, 0x00], 9), CV2X_LIGHTS_LEFT_TURN_SIGNAL);
        assert_eq!(bits_to_mask(&[0x00, 0x80], 9), 1 << 8);
        assert_eq!(mask_to_bits::<2>(1 << 8, 9), Ok([0x00, 0x80]));
        assert_eq!(
            mask_to_bits::<2>(1 << 9, 9),
            Err(CV2X_ERR_INVALID_PARAMETER)
        );
    }
}
