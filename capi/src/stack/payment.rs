//! The payment account of near-field payment (VNFP) in C: `cv2x_payment_account`, a table of
//! callbacks standing for the Rust `PaymentAccount` trait, set on a stack with
//! `cv2x_stack_set_payment_account`.
//!
//! The account's data crosses as flat structs (`present` bits, lengths) that the library owns
//! for the duration of one callback; the library copies what the callback wrote into the one
//! message being built and keeps nothing of it after that. A callback's failure (a non-zero
//! return, or data out of range) is the trait's refusal: no data, a declined offer or a
//! command's return status, never a panic.

use std::ffi::c_void;

use cv2x::apps::PaymentAccount;
use cv2x::geo::Wgs84;
use cv2x::time::Timestamp;
use cv2x::world::day2::{
    CardFiles, ChargeReceipt, ChargeRequest, Contract, Date, EquipmentClass, FileRange, ObuKind,
    ObuPaymentData, OfferedService, PassedStation, PaymentChannel, PaymentService, ReturnCode,
    StationKind, TollPoint, TollResult, VehicleFile,
};

use super::cv2x_stack;
use super::detail::payment_service_code;
use crate::boundary::{deref, ffi, tri};
use crate::config_len;
use crate::result::*;

/// Return status of a payment command callback: success (`ReturnStatus` `ok`).
pub const CV2X_PAYMENT_RET_OK: u32 = 0;
/// Return status: access denied.
pub const CV2X_PAYMENT_RET_ACCESS_DENIED: u32 = 1;
/// Return status: invalid argument.
pub const CV2X_PAYMENT_RET_ARGUMENT_ERROR: u32 = 2;
/// Return status: too complex.
pub const CV2X_PAYMENT_RET_COMPLEXITY_LIMITATION: u32 = 3;
/// Return status: processing failed (also any value this list does not name).
pub const CV2X_PAYMENT_RET_PROCESSING_FAILURE: u32 = 4;
/// Return status: still processing.
pub const CV2X_PAYMENT_RET_PROCESSING: u32 = 5;

/// Kind of on-board unit: factory-fitted (the default).
pub const CV2X_OBU_OEM: u32 = 1;
/// Kind of on-board unit: aftermarket.
pub const CV2X_OBU_AFTERMARKET: u32 = 2;
/// Kind of on-board unit: mobile phone.
pub const CV2X_OBU_PHONE: u32 = 3;

/// `cv2x_payment_data.equipment`: single-chip OBU.
pub const CV2X_EQUIPMENT_ONE_CHIP: u32 = 1;
/// `cv2x_payment_data.equipment`: OBU with an IC card.
pub const CV2X_EQUIPMENT_WITH_CARD: u32 = 2;
/// `cv2x_payment_data.equipment`: compound pass card.
pub const CV2X_EQUIPMENT_PASS_CARD: u32 = 3;

/// `cv2x_payment_offer.station_kind`: entrance station.
pub const CV2X_STATION_ENTRANCE: u32 = 1;
/// `cv2x_payment_offer.station_kind`: exit station.
pub const CV2X_STATION_EXIT: u32 = 2;
/// `cv2x_payment_offer.station_kind`: combined entrance and exit.
pub const CV2X_STATION_ENTRANCE_AND_EXIT: u32 = 3;
/// `cv2x_payment_offer.station_kind`: toll gantry.
pub const CV2X_STATION_GANTRY: u32 = 4;
/// `cv2x_payment_offer.station_kind`: an extension value.
pub const CV2X_STATION_OTHER: u32 = 255;

/// Channel of a channel command: the OBU itself.
pub const CV2X_PAYMENT_CHANNEL_OBU: u32 = 1;
/// Channel: its secure access module (ESAM).
pub const CV2X_PAYMENT_CHANNEL_ESAM: u32 = 2;
/// Channel: the IC card.
pub const CV2X_PAYMENT_CHANNEL_ICC: u32 = 3;
/// Channel: the human-machine interface.
pub const CV2X_PAYMENT_CHANNEL_HMI: u32 = 4;
/// Channel: the beeper.
pub const CV2X_PAYMENT_CHANNEL_BEEPER: u32 = 5;

/// Toll result the roadside reports: paid.
pub const CV2X_TOLL_RESULT_OK: u32 = 1;
/// Toll result: not paid.
pub const CV2X_TOLL_RESULT_NOK: u32 = 2;
/// Toll result: contact the operator.
pub const CV2X_TOLL_RESULT_CONTACT_OPERATOR: u32 = 3;

/// Octets of a file block (`FileData`) and of an APDU block.
pub const CV2X_PAYMENT_FILE_BYTES: usize = 127;
/// Largest card file `cv2x_payment_data` carries, octets.
pub const CV2X_PAYMENT_CARD_FILE_MAX: usize = 128;
/// Most APDU blocks of one channel command and of its answer.
pub const CV2X_PAYMENT_MAX_APDUS: usize = 16;

/// `cv2x_payment_offer.present`: `station_id`.
pub const CV2X_OFFER_HAS_STATION_ID: u32 = 1 << 0;
/// `cv2x_payment_offer.present`: the station's position.
pub const CV2X_OFFER_HAS_STATION_POSITION: u32 = 1 << 1;
/// `cv2x_payment_offer.present`: `station_kind`.
pub const CV2X_OFFER_HAS_STATION_KIND: u32 = 1 << 2;
/// `cv2x_payment_offer.present`: `direction_deg`.
pub const CV2X_OFFER_HAS_DIRECTION: u32 = 1 << 3;
/// `cv2x_payment_offer.present`: `price`.
pub const CV2X_OFFER_HAS_PRICE: u32 = 1 << 4;
/// `cv2x_payment_offer.present`: the entrance of the tolled stretch.
pub const CV2X_OFFER_HAS_ENTRANCE: u32 = 1 << 5;
/// `cv2x_payment_offer.present`: the exit of the tolled stretch.
pub const CV2X_OFFER_HAS_EXIT: u32 = 1 << 6;
/// `cv2x_payment_offer.present`: `begin`.
pub const CV2X_OFFER_HAS_BEGIN: u32 = 1 << 7;
/// `cv2x_payment_offer.present`: `end`.
pub const CV2X_OFFER_HAS_END: u32 = 1 << 8;

/// One payment application a roadside unit offers, as `accept` gets it (valid during the
/// callback only).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct cv2x_payment_offer {
    /// The application, `CV2X_PAYMENT_SERVICE_*`.
    pub service: u32,
    /// `CV2X_OFFER_HAS_*` bits.
    pub present: u32,
    /// The tolling point's id.
    pub station_id: u64,
    /// The tolling point's latitude, degrees.
    pub station_lat_deg: f64,
    /// Its longitude, degrees.
    pub station_lon_deg: f64,
    /// The direction of travel tolled, degrees (0 north, clockwise).
    pub direction_deg: f64,
    /// Start of the tolled stretch, latitude and longitude, degrees.
    pub entrance_lat_deg: f64,
    /// Start of the tolled stretch, longitude.
    pub entrance_lon_deg: f64,
    /// End of the tolled stretch, latitude, degrees.
    pub exit_lat_deg: f64,
    /// End of the tolled stretch, longitude.
    pub exit_lon_deg: f64,
    /// Start of validity (TAI µs since 2004).
    pub begin: i64,
    /// End of validity.
    pub end: i64,
    /// The kind of tolling point, `CV2X_STATION_*`.
    pub station_kind: u32,
    /// Amount charged, in the operator's unit as sent.
    pub price: u32,
    /// Map nodes of the tolled road.
    pub road_nodes: u32,
    /// 0.
    pub reserved: u32,
}

/// A calendar date.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct cv2x_date {
    /// Year.
    pub year: u32,
    /// Month, 1..12.
    pub month: u32,
    /// Day, 1..31.
    pub day: u32,
}

/// `cv2x_payment_data.present`: `equipment`.
pub const CV2X_PAYDATA_HAS_EQUIPMENT: u32 = 1 << 0;
/// `cv2x_payment_data.present`: the card files (`card_*`).
pub const CV2X_PAYDATA_HAS_CARD: u32 = 1 << 1;
/// `cv2x_payment_data.present`: the contract file (`contract_*`).
pub const CV2X_PAYDATA_HAS_CONTRACT: u32 = 1 << 2;
/// `cv2x_payment_data.present`: the vehicle file (`vehicle_*`).
pub const CV2X_PAYDATA_HAS_VEHICLE: u32 = 1 << 3;
/// `cv2x_payment_data.present`: the entrance passed (`entrance_*`).
pub const CV2X_PAYDATA_HAS_ENTRANCE: u32 = 1 << 4;
/// `cv2x_payment_data.present`: the entrance's position.
pub const CV2X_PAYDATA_HAS_ENTRANCE_POSITION: u32 = 1 << 5;
/// `cv2x_payment_data.present`: the amount charged at the entrance.
pub const CV2X_PAYDATA_HAS_ENTRANCE_AMOUNT: u32 = 1 << 6;

/// The on-board unit's payment data for one application (`OBUPaymentInfoType1`), written by
/// the `application` callback into the library's struct (zeroed, `struct_size` set: write
/// nothing beyond it). Used for the one message being built, then forgotten.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct cv2x_payment_data {
    /// `sizeof(cv2x_payment_data)` of the library (set by it).
    pub struct_size: u32,
    /// `CV2X_PAYDATA_HAS_*` bits (set by the callback).
    pub present: u32,
    /// `CV2X_EQUIPMENT_*`.
    pub equipment: u32,
    /// Octets of `card_issue` used (at most `CV2X_PAYMENT_CARD_FILE_MAX`).
    pub card_issue_len: u32,
    /// Octets of `card_toll` used.
    pub card_toll_len: u32,
    /// Octets of `card_balance` used.
    pub card_balance_len: u32,
    /// Card issue information file.
    pub card_issue: [u8; CV2X_PAYMENT_CARD_FILE_MAX],
    /// Card toll information file.
    pub card_toll: [u8; CV2X_PAYMENT_CARD_FILE_MAX],
    /// Card balance.
    pub card_balance: [u8; CV2X_PAYMENT_CARD_FILE_MAX],
    /// Contract issuer.
    pub contract_provider: [u8; 8],
    /// Contract serial number.
    pub contract_serial: [u8; 8],
    /// Contract type, 0..127.
    pub contract_kind: u32,
    /// Contract version, 0..127.
    pub contract_version: u32,
    /// Signed on.
    pub contract_signed: cv2x_date,
    /// Expires on.
    pub contract_expires: cv2x_date,
    /// Licence plate number (GB2312 text, zero padded).
    pub vehicle_plate: [u8; 12],
    /// Licence plate colour code.
    pub vehicle_plate_color: [u8; 2],
    /// Padding (0).
    pub reserved0: [u8; 2],
    /// Toll class, 0..127.
    pub vehicle_toll_class: u32,
    /// User type, 0..127.
    pub vehicle_user_type: u32,
    /// Length as the file records it, 0..65535.
    pub vehicle_length: u32,
    /// Width, 0..255.
    pub vehicle_width: u32,
    /// Height, 0..255.
    pub vehicle_height: u32,
    /// Wheels, 0..127.
    pub vehicle_wheels: u32,
    /// Axles, 0..127.
    pub vehicle_axles: u32,
    /// Wheel base, 0..65535.
    pub vehicle_wheel_base: u32,
    /// Permitted weight or seats, 0..16777215.
    pub vehicle_weight_limit: u32,
    /// Vehicle identification.
    pub vehicle_identification: [u8; 16],
    /// Engine number.
    pub vehicle_engine: [u8; 16],
    /// Amount charged at the entrance, 4 octets.
    pub entrance_amount: [u8; 4],
    /// The entrance's tolling point id.
    pub entrance_id: u64,
    /// When the entrance was passed (TAI µs since 2004).
    pub entrance_time: i64,
    /// The entrance's latitude, degrees.
    pub entrance_lat_deg: f64,
    /// Its longitude, degrees.
    pub entrance_lon_deg: f64,
    /// Its altitude, m.
    pub entrance_alt_m: f64,
}

/// Frozen size of the first version of `cv2x_payment_data`.
pub const CV2X_PAYMENT_DATA_SIZE_V1: usize = 584;
const _: () = assert!(std::mem::size_of::<cv2x_payment_data>() == CV2X_PAYMENT_DATA_SIZE_V1);

/// `cv2x_payment_read.present`: the toll file range.
pub const CV2X_READ_HAS_TOLL: u32 = 1 << 0;
/// `cv2x_payment_read.present`: `key_id`.
pub const CV2X_READ_HAS_KEY: u32 = 1 << 1;

/// A command to read the vehicle (and toll) information files (`GetTollDataRq`).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct cv2x_payment_read {
    /// `CV2X_READ_HAS_*` bits.
    pub present: u32,
    /// Part of the vehicle information file: byte offset.
    pub vehicle_offset: u32,
    /// Part of the vehicle information file: octets (at most 127).
    pub vehicle_length: u32,
    /// Part of the toll information file: byte offset.
    pub toll_offset: u32,
    /// Part of the toll information file: octets.
    pub toll_length: u32,
    /// Key id for access control.
    pub key_id: u32,
}

/// `cv2x_payment_secure_read.present`: `encrypt_key`.
pub const CV2X_SECURE_READ_HAS_ENCRYPT_KEY: u32 = 1 << 0;

/// A command to read a file with authentication (`GetSecureRq`).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct cv2x_payment_secure_read {
    /// `CV2X_SECURE_READ_HAS_*` bits.
    pub present: u32,
    /// Byte offset.
    pub offset: u32,
    /// Octets.
    pub length: u32,
    /// Key id for authentication.
    pub auth_key: u32,
    /// Key id for encryption.
    pub encrypt_key: u32,
    /// The roadside unit's random number.
    pub rnd: [u8; 8],
}

/// `cv2x_charge_request.present`: `rnd`.
pub const CV2X_CHARGE_HAS_RND: u32 = 1 << 0;
/// `cv2x_charge_request.present`: the TAC parameters (`tac_*`).
pub const CV2X_CHARGE_HAS_TAC: u32 = 1 << 1;
/// `cv2x_charge_request.present`: the toll data to write (`toll_*`).
pub const CV2X_CHARGE_HAS_TOLL_DATA: u32 = 1 << 2;
/// `cv2x_charge_request.present`: the tolling point (`point_id`).
pub const CV2X_CHARGE_HAS_POINT: u32 = 1 << 3;
/// `cv2x_charge_request.present`: the tolling point's position.
pub const CV2X_CHARGE_HAS_POINT_POSITION: u32 = 1 << 4;
/// `cv2x_charge_request.present`: `key_id`.
pub const CV2X_CHARGE_HAS_KEY: u32 = 1 << 5;

/// A request to write toll data, that is to charge (`SetTollDataRq`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct cv2x_charge_request {
    /// `CV2X_CHARGE_HAS_*` bits.
    pub present: u32,
    /// Key id for authentication.
    pub key_id: u32,
    /// The roadside unit's random number.
    pub rnd: [u8; 8],
    /// TAC parameters: amount, 4 octets.
    pub tac_amount: [u8; 4],
    /// Transaction type.
    pub tac_kind: [u8; 1],
    /// Terminal id.
    pub tac_terminal: [u8; 6],
    /// Serial number.
    pub tac_serial: [u8; 4],
    /// Time.
    pub tac_time: [u8; 7],
    /// Station id.
    pub tac_station: [u8; 3],
    /// Toll data to write.
    pub toll_data: [u8; CV2X_PAYMENT_FILE_BYTES],
    /// Where to write it: byte offset.
    pub toll_offset: u32,
    /// Octets.
    pub toll_length: u32,
    /// The tolling point's id.
    pub point_id: u64,
    /// The tolling point's latitude, degrees.
    pub point_lat_deg: f64,
    /// Its longitude, degrees.
    pub point_lon_deg: f64,
    /// Its altitude, m.
    pub point_alt_m: f64,
}

/// `cv2x_charge_receipt.present`: `tac`.
pub const CV2X_RECEIPT_HAS_TAC: u32 = 1 << 0;
/// `cv2x_charge_receipt.present`: `authenticator`.
pub const CV2X_RECEIPT_HAS_AUTHENTICATOR: u32 = 1 << 1;
/// `cv2x_charge_receipt.present`: `account` (`account_len` 2..32 octets).
pub const CV2X_RECEIPT_HAS_ACCOUNT: u32 = 1 << 2;
/// `cv2x_charge_receipt.present`: `credential` (32 octets).
pub const CV2X_RECEIPT_HAS_CREDENTIAL: u32 = 1 << 3;

/// The result of a charge (`SetTollDataRs`), written by the `charge` callback into the
/// library's struct (zeroed, `struct_size` set).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct cv2x_charge_receipt {
    /// `sizeof(cv2x_charge_receipt)` of the library (set by it).
    pub struct_size: u32,
    /// `CV2X_RECEIPT_HAS_*` bits (set by the callback).
    pub present: u32,
    /// Octets of `account` used (2..32).
    pub account_len: u32,
    /// Transaction authentication code.
    pub tac: [u8; 4],
    /// Authenticator.
    pub authenticator: [u8; 8],
    /// The account charged.
    pub account: [u8; 32],
    /// Transaction credential.
    pub credential: [u8; 32],
}

/// Frozen size of the first version of `cv2x_charge_receipt`.
pub const CV2X_CHARGE_RECEIPT_SIZE_V1: usize = 88;
const _: () = assert!(std::mem::size_of::<cv2x_charge_receipt>() == CV2X_CHARGE_RECEIPT_SIZE_V1);

/// The caller's payment account for near-field payment (VNFP over the VPM): the data and the
/// secure operations of the on-board unit's payment part (its secure access module, its card),
/// as callbacks. The Rust `PaymentAccount` trait in C.
///
/// Required: `application`, `read_files`, `secure_read`, `charge`
/// (`CV2X_ERR_MISSING_CALLBACK`). Optional (NULL: the default): `obu_kind` (factory-fitted),
/// `accept` (every offer accepted), `challenge` (no random number sent), `channel` (refused,
/// access denied), `result` (ignored), `release`.
///
/// Every callback gets `user_data` and `service` (`CV2X_PAYMENT_SERVICE_*`) where it applies,
/// and writes only into the library's out-parameters, which it may fill during the call only.
/// The library copies what they hold into the one message it builds and stores nothing of it
/// after that. A callback's failure is the account's refusal, never an error of the stack:
/// `application` not `CV2X_OK` = the account does not take part in the service; `accept` not
/// `CV2X_OK` = the offer is declined; `obu_kind` / `challenge` not `CV2X_OK` = their default;
/// the command callbacks return a `CV2X_PAYMENT_RET_*` status (any other value is
/// `CV2X_PAYMENT_RET_PROCESSING_FAILURE`), sent to the roadside in the answer. Data out of
/// range (a length past its buffer, an unknown code) is that callback's failure.
///
/// Callbacks run synchronously inside `cv2x_stack_poll` / `cv2x_stack_poll_cb`, on the thread
/// that called it; calling back into the same stack returns `CV2X_ERR_REENTRANT`. A callback
/// must return normally (no `longjmp`, no C++ exception through it).
///
/// Ownership of `user_data`: when `cv2x_stack_set_payment_account` succeeds, the library keeps a
/// copy of this struct and calls `release(user_data)` (when not NULL) exactly once, when the
/// account is replaced or removed or the stack freed. When the call fails, `release` is not
/// called.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct cv2x_payment_account {
    /// `sizeof(cv2x_payment_account)` of the caller.
    pub struct_size: u32,
    /// Must be 0.
    pub flags: u32,
    /// Passed to every callback.
    pub user_data: *mut c_void,
    /// Required. The account's data for `service` into `out` (zeroed, `out->struct_size`
    /// set); `CV2X_OK` when the account takes part in it, anything else when not.
    pub application: Option<
        unsafe extern "C" fn(user: *mut c_void, service: u32, out: *mut cv2x_payment_data) -> u32,
    >,
    /// Optional. The kind of on-board unit (`CV2X_OBU_*`) into `kind`.
    pub obu_kind: Option<unsafe extern "C" fn(user: *mut c_void, kind: *mut u32) -> u32>,
    /// Optional. Whether to pay `offer` (the driver's consent, a spending limit): `CV2X_OK` to
    /// pay. `info` (`info_len` octets, may be NULL when 0) is the offer's further service
    /// information.
    pub accept: Option<
        unsafe extern "C" fn(
            user: *mut c_void,
            offer: *const cv2x_payment_offer,
            info: *const u8,
            info_len: usize,
        ) -> u32,
    >,
    /// Optional. A random number for the roadside's authentication of the on-board unit, from
    /// the secure element, into `rnd` (8 octets); `CV2X_OK` when given.
    pub challenge: Option<unsafe extern "C" fn(user: *mut c_void, rnd: *mut u8) -> u32>,
    /// Required. Reads the parts of the vehicle information file (into `vehicle`, 127 octets)
    /// and, when `rq` has `CV2X_READ_HAS_TOLL`, of the toll information file (into `toll`, 127
    /// octets; write 1 to `toll_written` when done). Returns a `CV2X_PAYMENT_RET_*` status.
    pub read_files: Option<
        unsafe extern "C" fn(
            user: *mut c_void,
            service: u32,
            rq: *const cv2x_payment_read,
            vehicle: *mut u8,
            toll: *mut u8,
            toll_written: *mut u32,
        ) -> u32,
    >,
    /// Required. Reads a part of a file with authentication: the authenticator over it (8
    /// octets into `authenticator`), computed with the roadside's random number and the keys
    /// named. Returns a `CV2X_PAYMENT_RET_*` status.
    pub secure_read: Option<
        unsafe extern "C" fn(
            user: *mut c_void,
            service: u32,
            rq: *const cv2x_payment_secure_read,
            authenticator: *mut u8,
        ) -> u32,
    >,
    /// Required. Writes the toll data: charges the account; the receipt into `out` (zeroed,
    /// `out->struct_size` set). Returns a `CV2X_PAYMENT_RET_*` status.
    pub charge: Option<
        unsafe extern "C" fn(
            user: *mut c_void,
            service: u32,
            rq: *const cv2x_charge_request,
            out: *mut cv2x_charge_receipt,
        ) -> u32,
    >,
    /// Optional. Passes `n` APDUs (127-octet blocks at `apdus`) to the component `channel`
    /// (`CV2X_PAYMENT_CHANNEL_*`) and writes its responses, 127-octet blocks, to `out` (room
    /// for `cap` blocks) and their number to `out_n`. Returns a `CV2X_PAYMENT_RET_*` status.
    pub channel: Option<
        unsafe extern "C" fn(
            user: *mut c_void,
            channel: u32,
            apdus: *const u8,
            n: u32,
            out: *mut u8,
            cap: u32,
            out_n: *mut u32,
        ) -> u32,
    >,
    /// Optional. The roadside's result of a transaction (`CV2X_TOLL_RESULT_*`), to show or
    /// record.
    pub result: Option<unsafe extern "C" fn(user: *mut c_void, service: u32, result: u32)>,
    /// Optional. Called once when the library is done with the account.
    pub release: Option<unsafe extern "C" fn(user: *mut c_void)>,
}

/// Frozen size of the first version of `cv2x_payment_account` (64-bit targets; 48 on 32-bit).
pub const CV2X_PAYMENT_ACCOUNT_SIZE_V1: usize = 8 + 11 * std::mem::size_of::<usize>();
const _: () = assert!(std::mem::size_of::<cv2x_payment_account>() == CV2X_PAYMENT_ACCOUNT_SIZE_V1);

const _: () = assert!(std::mem::size_of::<cv2x_charge_request>() == 208);
const _: () = assert!(std::mem::size_of::<cv2x_payment_offer>() == 104);
const _: () = assert!(std::mem::size_of::<cv2x_payment_read>() == 24);
const _: () = assert!(std::mem::size_of::<cv2x_payment_secure_read>() == 28);
const _: () = assert!(std::mem::size_of::<cv2x_date>() == 12);

/// The [`PaymentAccount`] over a caller's `cv2x_payment_account`; `release` on drop.
struct CAccount {
    cb: cv2x_payment_account,
}

// SAFETY: the account is only called inside a call on the stack holding it, under the stack's
// mutex, so never from two threads at once; the contract of `cv2x_payment_account` lets its
// callbacks and `user_data` be used from whichever thread calls the stack.
unsafe impl Send for CAccount {}

impl Drop for CAccount {
    fn drop(&mut self) {
        if let Some(f) = self.cb.release {
            // SAFETY: a callback the caller supplied, called once with its user data.
            unsafe { f(self.cb.user_data) };
        }
    }
}

fn ret_of(code: u32) -> Result<(), ReturnCode> {
    match code {
        CV2X_PAYMENT_RET_OK => Ok(()),
        CV2X_PAYMENT_RET_ACCESS_DENIED => Err(ReturnCode::AccessDenied),
        CV2X_PAYMENT_RET_ARGUMENT_ERROR => Err(ReturnCode::ArgumentError),
        CV2X_PAYMENT_RET_COMPLEXITY_LIMITATION => Err(ReturnCode::ComplexityLimitation),
        CV2X_PAYMENT_RET_PROCESSING => Err(ReturnCode::Processing),
        _ => Err(ReturnCode::ProcessingFailure),
    }
}

fn channel_code(c: PaymentChannel) -> u32 {
    match c {
        PaymentChannel::Obu => CV2X_PAYMENT_CHANNEL_OBU,
        PaymentChannel::Esam => CV2X_PAYMENT_CHANNEL_ESAM,
        PaymentChannel::Icc => CV2X_PAYMENT_CHANNEL_ICC,
        PaymentChannel::Hmi => CV2X_PAYMENT_CHANNEL_HMI,
        PaymentChannel::Beeper => CV2X_PAYMENT_CHANNEL_BEEPER,
    }
}

fn toll_result_code(r: TollResult) -> u32 {
    match r {
        TollResult::Ok => CV2X_TOLL_RESULT_OK,
        TollResult::Nok => CV2X_TOLL_RESULT_NOK,
        TollResult::ContactOperator => CV2X_TOLL_RESULT_CONTACT_OPERATOR,
    }
}

fn station_code(k: StationKind) -> u32 {
    match k {
        StationKind::Entrance => CV2X_STATION_ENTRANCE,
        StationKind::Exit => CV2X_STATION_EXIT,
        StationKind::EntranceAndExit => CV2X_STATION_ENTRANCE_AND_EXIT,
        StationKind::Gantry => CV2X_STATION_GANTRY,
        StationKind::Other => CV2X_STATION_OTHER,
    }
}

/// The offer as `accept` gets it.
fn offer_of(o: &OfferedService) -> cv2x_payment_offer {
    let mut c = cv2x_payment_offer {
        service: payment_service_code(o.service),
        road_nodes: u32::try_from(o.road.len()).unwrap_or(u32::MAX),
        ..cv2x_payment_offer::default()
    };
    if let Some(st) = &o.station {
        if let Some(id) = st.id {
            c.present |= CV2X_OFFER_HAS_STATION_ID;
            c.station_id = id;
        }
        if let Some(p) = st.position {
            c.present |= CV2X_OFFER_HAS_STATION_POSITION;
            (c.station_lat_deg, c.station_lon_deg) = (p.lat_deg, p.lon_deg);
        }
        if let Some(k) = st.kind {
            c.present |= CV2X_OFFER_HAS_STATION_KIND;
            c.station_kind = station_code(k);
        }
        if let Some(d) = st.direction_deg {
            c.present |= CV2X_OFFER_HAS_DIRECTION;
            c.direction_deg = d;
        }
    }
    if let Some(p) = o.price {
        c.present |= CV2X_OFFER_HAS_PRICE;
        c.price = p;
    }
    if let Some(p) = o.entrance {
        c.present |= CV2X_OFFER_HAS_ENTRANCE;
        (c.entrance_lat_deg, c.entrance_lon_deg) = (p.lat_deg, p.lon_deg);
    }
    if let Some(p) = o.exit {
        c.present |= CV2X_OFFER_HAS_EXIT;
        (c.exit_lat_deg, c.exit_lon_deg) = (p.lat_deg, p.lon_deg);
    }
    if let Some(t) = o.begin {
        c.present |= CV2X_OFFER_HAS_BEGIN;
        c.begin = t.as_micros();
    }
    if let Some(t) = o.end {
        c.present |= CV2X_OFFER_HAS_END;
        c.end = t.as_micros();
    }
    c
}

fn u8_of(v: u32, max: u8) -> Option<u8> {
    u8::try_from(v).ok().filter(|v| *v <= max)
}

fn u16_of(v: u32) -> Option<u16> {
    u16::try_from(v).ok()
}

fn date_of(d: &cv2x_date) -> Option<Date> {
    Some(Date {
        year: u16_of(d.year)?,
        month: u8_of(d.month, 12).filter(|m| *m >= 1)?,
        day: u8_of(d.day, 31).filter(|d| *d >= 1)?,
    })
}

fn card_file(buf: &[u8; CV2X_PAYMENT_CARD_FILE_MAX], len: u32) -> Option<Vec<u8>> {
    buf.get(..usize::try_from(len).ok()?).map(<[u8]>::to_vec)
}

/// The account's data as the callback wrote it; `None` for anything out of range.
fn data_of(d: &cv2x_payment_data) -> Option<ObuPaymentData> {
    let has = |bit| d.present & bit != 0;
    let mut o = ObuPaymentData::default();
    if has(CV2X_PAYDATA_HAS_EQUIPMENT) {
        o.equipment = Some(match d.equipment {
            CV2X_EQUIPMENT_ONE_CHIP => EquipmentClass::OneChip,
            CV2X_EQUIPMENT_WITH_CARD => EquipmentClass::WithCard,
            CV2X_EQUIPMENT_PASS_CARD => EquipmentClass::PassCard,
            _ => return None,
        });
    }
    if has(CV2X_PAYDATA_HAS_CARD) {
        o.card = Some(CardFiles {
            issue: card_file(&d.card_issue, d.card_issue_len)?,
            toll: card_file(&d.card_toll, d.card_toll_len)?,
            balance: card_file(&d.card_balance, d.card_balance_len)?,
        });
    }
    if has(CV2X_PAYDATA_HAS_CONTRACT) {
        o.contract = Some(Contract {
            provider: d.contract_provider,
            kind: u8_of(d.contract_kind, 127)?,
            version: u8_of(d.contract_version, 127)?,
            serial: d.contract_serial,
            signed: date_of(&d.contract_signed)?,
            expires: date_of(&d.contract_expires)?,
        });
    }
    if has(CV2X_PAYDATA_HAS_VEHICLE) {
        o.vehicle = Some(VehicleFile {
            plate: d.vehicle_plate,
            plate_color: d.vehicle_plate_color,
            toll_class: u8_of(d.vehicle_toll_class, 127)?,
            user_type: u8_of(d.vehicle_user_type, 127)?,
            length: u16_of(d.vehicle_length)?,
            width: u8_of(d.vehicle_width, u8::MAX)?,
            height: u8_of(d.vehicle_height, u8::MAX)?,
            wheels: u8_of(d.vehicle_wheels, 127)?,
            axles: u8_of(d.vehicle_axles, 127)?,
            wheel_base: u16_of(d.vehicle_wheel_base)?,
            weight_limit: Some(d.vehicle_weight_limit).filter(|w| *w <= 16_777_215)?,
            identification: d.vehicle_identification,
            engine: d.vehicle_engine,
        });
    }
    if has(CV2X_PAYDATA_HAS_ENTRANCE) {
        let position = if has(CV2X_PAYDATA_HAS_ENTRANCE_POSITION) {
            let w = Wgs84::new(d.entrance_lat_deg, d.entrance_lon_deg, d.entrance_alt_m);
            w.validate().ok()?;
            Some(w)
        } else {
            None
        };
        o.entrance = Some(PassedStation {
            point: TollPoint {
                id: d.entrance_id,
                position,
            },
            time: Timestamp::from_micros(d.entrance_time),
            amount: has(CV2X_PAYDATA_HAS_ENTRANCE_AMOUNT).then_some(d.entrance_amount),
        });
    }
    Some(o)
}

fn range_u32(r: FileRange) -> (u32, u32) {
    (u32::from(r.offset), u32::from(r.length))
}

fn charge_request_of(r: &ChargeRequest) -> cv2x_charge_request {
    let mut c = cv2x_charge_request {
        present: 0,
        key_id: 0,
        rnd: [0; 8],
        tac_amount: [0; 4],
        tac_kind: [0; 1],
        tac_terminal: [0; 6],
        tac_serial: [0; 4],
        tac_time: [0; 7],
        tac_station: [0; 3],
        toll_data: [0; CV2X_PAYMENT_FILE_BYTES],
        toll_offset: 0,
        toll_length: 0,
        point_id: 0,
        point_lat_deg: 0.0,
        point_lon_deg: 0.0,
        point_alt_m: 0.0,
    };
    if let Some(rnd) = r.rnd {
        c.present |= CV2X_CHARGE_HAS_RND;
        c.rnd = rnd;
    }
    if let Some(t) = &r.tac {
        c.present |= CV2X_CHARGE_HAS_TAC;
        c.tac_amount = t.amount;
        c.tac_kind = t.kind;
        c.tac_terminal = t.terminal;
        c.tac_serial = t.serial;
        c.tac_time = t.time;
        c.tac_station = t.station;
    }
    if let Some((range, data)) = &r.toll_data {
        c.present |= CV2X_CHARGE_HAS_TOLL_DATA;
        (c.toll_offset, c.toll_length) = range_u32(*range);
        c.toll_data = *data;
    }
    if let Some(p) = &r.point {
        c.present |= CV2X_CHARGE_HAS_POINT;
        c.point_id = p.id;
        if let Some(w) = p.position {
            c.present |= CV2X_CHARGE_HAS_POINT_POSITION;
            (c.point_lat_deg, c.point_lon_deg, c.point_alt_m) = (w.lat_deg, w.lon_deg, w.alt_m);
        }
    }
    if let Some(k) = r.key_id {
        c.present |= CV2X_CHARGE_HAS_KEY;
        c.key_id = u32::from(k);
    }
    c
}

fn receipt_of(r: &cv2x_charge_receipt) -> Option<ChargeReceipt> {
    let has = |bit| r.present & bit != 0;
    let account = if has(CV2X_RECEIPT_HAS_ACCOUNT) {
        let n = usize::try_from(r.account_len).ok()?;
        if !(2..=32).contains(&n) {
            return None;
        }
        Some(r.account.get(..n)?.to_vec())
    } else {
        None
    };
    Some(ChargeReceipt {
        tac: has(CV2X_RECEIPT_HAS_TAC).then_some(r.tac),
        authenticator: has(CV2X_RECEIPT_HAS_AUTHENTICATOR).then_some(r.authenticator),
        account,
        credential: has(CV2X_RECEIPT_HAS_CREDENTIAL).then(|| r.credential.to_vec()),
    })
}

impl PaymentAccount for CAccount {
    fn application(&mut self, service: PaymentService) -> Option<ObuPaymentData> {
        let f = self.cb.application?;
        let mut d = cv2x_payment_data {
            struct_size: CV2X_PAYMENT_DATA_SIZE_V1 as u32,
            present: 0,
            equipment: 0,
            card_issue_len: 0,
            card_toll_len: 0,
            card_balance_len: 0,
            card_issue: [0; CV2X_PAYMENT_CARD_FILE_MAX],
            card_toll: [0; CV2X_PAYMENT_CARD_FILE_MAX],
            card_balance: [0; CV2X_PAYMENT_CARD_FILE_MAX],
            contract_provider: [0; 8],
            contract_serial: [0; 8],
            contract_kind: 0,
            contract_version: 0,
            contract_signed: cv2x_date::default(),
            contract_expires: cv2x_date::default(),
            vehicle_plate: [0; 12],
            vehicle_plate_color: [0; 2],
            reserved0: [0; 2],
            vehicle_toll_class: 0,
            vehicle_user_type: 0,
            vehicle_length: 0,
            vehicle_width: 0,
            vehicle_height: 0,
            vehicle_wheels: 0,
            vehicle_axles: 0,
            vehicle_wheel_base: 0,
            vehicle_weight_limit: 0,
            vehicle_identification: [0; 16],
            vehicle_engine: [0; 16],
            entrance_amount: [0; 4],
            entrance_id: 0,
            entrance_time: 0,
            entrance_lat_deg: 0.0,
            entrance_lon_deg: 0.0,
            entrance_alt_m: 0.0,
        };
        // SAFETY: a callback the caller supplied, called with a writable struct of the size
        // its `struct_size` says, per the documented contract.
        let rc = unsafe { f(self.cb.user_data, payment_service_code(service), &mut d) };
        if rc != CV2X_OK {
            return None;
        }
        data_of(&d)
    }

    fn obu_kind(&self) -> ObuKind {
        let Some(f) = self.cb.obu_kind else {
            return ObuKind::Oem;
        };
        let mut k = 0u32;
        // SAFETY: a callback the caller supplied, called with a writable u32.
        let rc = unsafe { f(self.cb.user_data, &mut k) };
        match (rc, k) {
            (CV2X_OK, CV2X_OBU_AFTERMARKET) => ObuKind::Aftermarket,
            (CV2X_OK, CV2X_OBU_PHONE) => ObuKind::Phone,
            _ => ObuKind::Oem,
        }
    }

    fn accept(&mut self, offer: &OfferedService) -> bool {
        let Some(f) = self.cb.accept else {
            return true;
        };
        let c = offer_of(offer);
        let info = offer.info.as_deref().unwrap_or(&[]);
        // SAFETY: a callback the caller supplied, called with an offer and `info.len()`
        // readable octets that live for the call.
        let rc = unsafe { f(self.cb.user_data, &c, info.as_ptr(), info.len()) };
        rc == CV2X_OK
    }

    fn challenge(&mut self) -> Option<[u8; 8]> {
        let f = self.cb.challenge?;
        let mut rnd = [0u8; 8];
        // SAFETY: a callback the caller supplied, called with an 8-octet output.
        let rc = unsafe { f(self.cb.user_data, rnd.as_mut_ptr()) };
        (rc == CV2X_OK).then_some(rnd)
    }

    fn read_files(
        &mut self,
        service: PaymentService,
        vehicle: FileRange,
        toll: Option<FileRange>,
        key_id: Option<u8>,
    ) -> Result<([u8; 127], Option<[u8; 127]>), ReturnCode> {
        let f = self.cb.read_files.ok_or(ReturnCode::ProcessingFailure)?;
        let mut rq = cv2x_payment_read::default();
        (rq.vehicle_offset, rq.vehicle_length) = range_u32(vehicle);
        if let Some(t) = toll {
            rq.present |= CV2X_READ_HAS_TOLL;
            (rq.toll_offset, rq.toll_length) = range_u32(t);
        }
        if let Some(k) = key_id {
            rq.present |= CV2X_READ_HAS_KEY;
            rq.key_id = u32::from(k);
        }
        let (mut v, mut t, mut written) = ([0u8; 127], [0u8; 127], 0u32);
        // SAFETY: a callback the caller supplied, called with a request and two 127-octet
        // outputs and a writable u32.
        let rc = unsafe {
            f(
                self.cb.user_data,
                payment_service_code(service),
                &rq,
                v.as_mut_ptr(),
                t.as_mut_ptr(),
                &mut written,
            )
        };
        ret_of(rc)?;
        Ok((v, (toll.is_some() && written == 1).then_some(t)))
    }

    fn secure_read(
        &mut self,
        service: PaymentService,
        range: FileRange,
        rnd: [u8; 8],
        auth_key: u8,
        encrypt_key: Option<u8>,
    ) -> Result<[u8; 8], ReturnCode> {
        let f = self.cb.secure_read.ok_or(ReturnCode::ProcessingFailure)?;
        let (offset, length) = range_u32(range);
        let rq = cv2x_payment_secure_read {
            present: if encrypt_key.is_some() {
                CV2X_SECURE_READ_HAS_ENCRYPT_KEY
            } else {
                0
            },
            offset,
            length,
            auth_key: u32::from(auth_key),
            encrypt_key: encrypt_key.map_or(0, u32::from),
            rnd,
        };
        let mut auth = [0u8; 8];
        // SAFETY: a callback the caller supplied, called with a request and an 8-octet output.
        let rc = unsafe {
            f(
                self.cb.user_data,
                payment_service_code(service),
                &rq,
                auth.as_mut_ptr(),
            )
        };
        ret_of(rc)?;
        Ok(auth)
    }

    fn charge(
        &mut self,
        service: PaymentService,
        request: &ChargeRequest,
    ) -> Result<ChargeReceipt, ReturnCode> {
        let f = self.cb.charge.ok_or(ReturnCode::ProcessingFailure)?;
        let rq = charge_request_of(request);
        let mut out = cv2x_charge_receipt {
            struct_size: CV2X_CHARGE_RECEIPT_SIZE_V1 as u32,
            present: 0,
            account_len: 0,
            tac: [0; 4],
            authenticator: [0; 8],
            account: [0; 32],
            credential: [0; 32],
        };
        // SAFETY: a callback the caller supplied, called with a request and a writable
        // receipt of the size its `struct_size` says.
        let rc = unsafe {
            f(
                self.cb.user_data,
                payment_service_code(service),
                &rq,
                &mut out,
            )
        };
        ret_of(rc)?;
        receipt_of(&out).ok_or(ReturnCode::ProcessingFailure)
    }

    fn channel(
        &mut self,
        channel: PaymentChannel,
        apdus: &[[u8; 127]],
    ) -> Result<Vec<[u8; 127]>, ReturnCode> {
        let Some(f) = self.cb.channel else {
            return Err(ReturnCode::AccessDenied);
        };
        let input: Vec<u8> = apdus.concat();
        let mut out = vec![[0u8; 127]; CV2X_PAYMENT_MAX_APDUS];
        let mut n = 0u32;
        // SAFETY: a callback the caller supplied, called with `apdus.len()` readable blocks
        // and room for `CV2X_PAYMENT_MAX_APDUS` writable blocks.
        let rc = unsafe {
            f(
                self.cb.user_data,
                channel_code(channel),
                input.as_ptr(),
                u32::try_from(apdus.len()).unwrap_or(u32::MAX),
                out.as_mut_ptr().cast::<u8>(),
                CV2X_PAYMENT_MAX_APDUS as u32,
                &mut n,
            )
        };
        ret_of(rc)?;
        let n = usize::try_from(n).map_err(|_| ReturnCode::ProcessingFailure)?;
        if n > CV2X_PAYMENT_MAX_APDUS {
            return Err(ReturnCode::ProcessingFailure);
        }
        out.truncate(n);
        Ok(out)
    }

    fn result(&mut self, service: PaymentService, result: TollResult) {
        if let Some(f) = self.cb.result {
            // SAFETY: a callback the caller supplied, called with two codes.
            unsafe {
                f(
                    self.cb.user_data,
                    payment_service_code(service),
                    toll_result_code(result),
                )
            };
        }
    }
}

/// Reads and checks a caller's account.
fn take(a: *const cv2x_payment_account) -> Result<CAccount, cv2x_result> {
    // SAFETY: the caller checked `a` non-null; `struct_size` is the first field.
    let size = unsafe { a.cast::<u32>().read_unaligned() };
    config_len(
        size,
        CV2X_PAYMENT_ACCOUNT_SIZE_V1,
        std::mem::size_of::<cv2x_payment_account>(),
    )?;
    // SAFETY: the caller's struct holds at least the first version, which is all of it.
    let cb = unsafe { a.read_unaligned() };
    if cb.flags != 0 {
        return Err(CV2X_ERR_INVALID_PARAMETER);
    }
    if cb.application.is_none()
        || cb.read_files.is_none()
        || cb.secure_read.is_none()
        || cb.charge.is_none()
    {
        return Err(CV2X_ERR_MISSING_CALLBACK);
    }
    Ok(CAccount { cb })
}

/// Sets the payment account of near-field payment (VNFP, `CV2X_APP_VNFP`), replacing an
/// earlier one (whose `release` is then called); `account` NULL removes it (no payment is
/// answered any more). The struct is copied: the caller may reuse it. The library stores none
/// of the data the callbacks return beyond the message it is asked for (see
/// `cv2x_payment_account`). `CV2X_ERR_MISSING_CALLBACK` when a required callback is NULL,
/// `CV2X_ERR_STRUCT_SIZE` for a `struct_size` under the first version's,
/// `CV2X_ERR_INVALID_PARAMETER` for non-zero `flags`; on any error the stack keeps its account.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_set_payment_account(
    s: *mut cv2x_stack,
    account: *const cv2x_payment_account,
) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(s).inner.enter());
        if account.is_null() {
            drop(g.stack.take_payment_account());
            return CV2X_OK;
        }
        let a = tri!(take(account));
        g.stack.set_payment_account(Box::new(a));
        CV2X_OK
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_cross_both_ways_and_bad_data_is_refused() {
        let codes: Vec<u32> = PaymentService::ALL
            .into_iter()
            .map(payment_service_code)
            .collect();
        assert_eq!(codes, [1, 2, 3, 4, 5, 6]);
        assert_eq!(ret_of(0), Ok(()));
        assert_eq!(ret_of(5), Err(ReturnCode::Processing));
        assert_eq!(ret_of(77), Err(ReturnCode::ProcessingFailure));
        let mut r = cv2x_charge_receipt {
            struct_size: 0,
            present: CV2X_RECEIPT_HAS_ACCOUNT,
            account_len: 1,
            tac: [0; 4],
            authenticator: [0; 8],
            account: [0; 32],
            credential: [0; 32],
        };
        assert_eq!(receipt_of(&r), None, "one octet is too short an account");
        r.account_len = 33;
        assert_eq!(receipt_of(&r), None);
        r.account_len = 4;
        assert_eq!(
            receipt_of(&r).and_then(|r| r.account).map(|a| a.len()),
            Some(4)
        );
        assert_eq!(
            date_of(&cv2x_date {
                year: 2026,
                month: 13,
                day: 1
            }),
            None
        );
        assert_eq!(card_file(&[0; 128], 129), None);
    }
}
