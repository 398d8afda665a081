//! Vehicle payment (VPM): the payment services roadside units offer (their roadside service
//! table, RST) and the transaction commands they send (`Action-Request`), kept per
//! (roadside unit, addressee) so a command for the ego is never overwritten by one for
//! another vehicle before the applications see it.
//!
//! The on-board side's messages (`VSI`, `Action-Response`) of other vehicles are not kept.
//! Each stored command gets a sequence number, so an application can tell a new command from
//! one it has already answered.
use alloc::vec::Vec;

use super::super::convert::day2 as cv;
use super::super::map::IntersectionKey;
use super::super::store::{Bounded, Entry, StoreCounters};
use super::RefPath;
use crate::geo::Wgs84;
use crate::msg::v2020 as m;
use crate::time::Timestamp;

/// A payment application (`PaymentEntityID`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaymentService {
    /// System management.
    System,
    /// Free-flow toll.
    Freeflow,
    /// Closed toll system (entry and exit stations).
    Enclosed,
    /// Congestion charge.
    Congestion,
    /// Energy charging.
    Charging,
    /// Parking.
    Parking,
    /// An extension value.
    Other,
}

impl PaymentService {
    /// Every service, in the standard's order.
    pub const ALL: [PaymentService; 6] = [
        Self::System,
        Self::Freeflow,
        Self::Enclosed,
        Self::Congestion,
        Self::Charging,
        Self::Parking,
    ];

    /// Lower-case name (as scenarios write it).
    pub fn name(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Freeflow => "freeflow",
            Self::Enclosed => "enclosed",
            Self::Congestion => "congestion",
            Self::Charging => "charging",
            Self::Parking => "parking",
            Self::Other => "other",
        }
    }
}

/// Kind of tolling point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StationKind {
    /// Entrance station.
    Entrance,
    /// Exit station.
    Exit,
    /// Combined entrance and exit.
    EntranceAndExit,
    /// Toll gantry.
    Gantry,
    /// An extension value.
    Other,
}

/// A tolling point as an offer describes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TollStation {
    /// Station or gantry id.
    pub id: Option<u64>,
    /// Position.
    pub position: Option<Wgs84>,
    /// Kind.
    pub kind: Option<StationKind>,
    /// The direction of travel tolled, degrees (CSAE: 0 north, 45 northeast, …).
    pub direction_deg: Option<f64>,
}

/// One payment application a roadside unit offers.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferedService {
    /// The application.
    pub service: PaymentService,
    /// The tolling point.
    pub station: Option<TollStation>,
    /// Amount charged (in the operator's unit, as sent).
    pub price: Option<u32>,
    /// Start of the tolled stretch.
    pub entrance: Option<Wgs84>,
    /// End of the tolled stretch.
    pub exit: Option<Wgs84>,
    /// Map nodes of the tolled road, in order (at most 256).
    pub road: Vec<IntersectionKey>,
    /// Tolled path.
    pub path: Option<RefPath>,
    /// Start of validity.
    pub begin: Option<Timestamp>,
    /// End of validity.
    pub end: Option<Timestamp>,
    /// Further service information, opaque.
    pub info: Option<Vec<u8>>,
}

/// A roadside unit's roadside service table (RST).
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentOffer {
    /// The roadside unit.
    pub rsu: [u8; 8],
    /// When received.
    pub received: Timestamp,
    /// When sent, when the message's time resolves.
    pub sent: Option<Timestamp>,
    /// The applications offered (at most 16).
    pub services: Vec<OfferedService>,
}

impl Entry for PaymentOffer {
    type Key = [u8; 8];
    fn key(&self) -> [u8; 8] {
        self.rsu
    }
    fn received(&self) -> Timestamp {
        self.received
    }
}

/// Part of a file: byte offset and length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileRange {
    /// Byte offset (0..=32767).
    pub offset: u16,
    /// Bytes (0..=127).
    pub length: u8,
}

/// Parameters of a transaction authentication code (`TacPara`), as the roadside sends them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TacParams {
    /// Amount, 4 octets.
    pub amount: [u8; 4],
    /// Transaction type, 1 octet.
    pub kind: [u8; 1],
    /// Terminal id, 6 octets.
    pub terminal: [u8; 6],
    /// Serial number, 4 octets.
    pub serial: [u8; 4],
    /// Time, 7 octets.
    pub time: [u8; 7],
    /// Station id, 3 octets.
    pub station: [u8; 3],
}

/// A tolling point passed or charging (`TollingPos`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TollPoint {
    /// Station or gantry id.
    pub id: u64,
    /// Position.
    pub position: Option<Wgs84>,
}

/// A request to write toll data, that is to charge (`SetTollDataRq`).
#[derive(Debug, Clone, PartialEq)]
pub struct ChargeRequest {
    /// The roadside unit's random number.
    pub rnd: Option<[u8; 8]>,
    /// Transaction authentication code parameters.
    pub tac: Option<TacParams>,
    /// Toll data to write: where and what.
    pub toll_data: Option<(FileRange, [u8; 127])>,
    /// The tolling point.
    pub point: Option<TollPoint>,
    /// Key id for authentication.
    pub key_id: Option<u8>,
}

/// A component of the on-board unit a channel command addresses (`ChannelID`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaymentChannel {
    /// The OBU itself.
    Obu,
    /// Its secure access module (ESAM).
    Esam,
    /// The IC card.
    Icc,
    /// The human-machine interface.
    Hmi,
    /// The beeper.
    Beeper,
}

/// The toll result the roadside asks to show (`TollResult`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TollResult {
    /// Paid.
    Ok,
    /// Not paid.
    Nok,
    /// Contact the operator.
    ContactOperator,
}

/// A transaction command (`TransInfo` of an `Action-Request`).
#[derive(Debug, Clone, PartialEq)]
pub enum PaymentAction {
    /// Read the vehicle (and toll) information files.
    ReadTollData {
        /// Part of the vehicle information file.
        vehicle: FileRange,
        /// Part of the toll information file.
        toll: Option<FileRange>,
        /// Key id for access control.
        key_id: Option<u8>,
    },
    /// Read a file with authentication.
    SecureRead {
        /// Part of the file.
        range: FileRange,
        /// The roadside unit's random number.
        rnd: [u8; 8],
        /// Key id for authentication.
        auth_key: u8,
        /// Key id for encryption.
        encrypt_key: Option<u8>,
    },
    /// Write toll data: charge.
    Charge(ChargeRequest),
    /// Pass APDUs to a component (at most 16 kept).
    Channel {
        /// The component.
        channel: PaymentChannel,
        /// The APDUs, each a 127-octet block.
        apdus: Vec<[u8; 127]>,
    },
    /// Show the toll result to the driver.
    ShowResult(TollResult),
    /// A response form sent as a command, or an alternative this version does not know.
    Other,
}

/// One transaction command of a roadside unit.
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentCommand {
    /// The roadside unit (`sourceId`).
    pub rsu: [u8; 8],
    /// The addressee (`targetId`), when given.
    pub target: Option<[u8; 8]>,
    /// When received.
    pub received: Timestamp,
    /// When sent, when the message's time resolves.
    pub sent: Option<Timestamp>,
    /// Sequence number of the store (increases with every command stored).
    pub seq: u64,
    /// Whether an answer is required (`mode`).
    pub respond: bool,
    /// The payment application.
    pub service: PaymentService,
    /// The command.
    pub action: PaymentAction,
    /// Access credentials.
    pub credentials: Option<[u8; 8]>,
}

impl Entry for PaymentCommand {
    type Key = ([u8; 8], Option<[u8; 8]>);
    fn key(&self) -> Self::Key {
        (self.rsu, self.target)
    }
    fn received(&self) -> Timestamp {
        self.received
    }
}

/// The VPM store.
#[derive(Debug, Clone)]
pub struct PaymentStore {
    offers: Bounded<PaymentOffer>,
    commands: Bounded<PaymentCommand>,
    seq: u64,
}

impl PaymentStore {
    /// An empty store of at most `max` offers and `max` commands, each dropped `max_age_ms`
    /// after it was received.
    pub fn new(max: usize, max_age_ms: i64) -> Self {
        PaymentStore {
            offers: Bounded::new(max, max_age_ms),
            commands: Bounded::new(max, max_age_ms),
            seq: 0,
        }
    }

    /// Stores a VPM received at `now`: an offer (RST) or a command. Returns `Some(for_ego)`
    /// when something was stored (`for_ego`: a command addressed to `ego`); the on-board
    /// side's messages of other vehicles give `None`. A message whose sender is `ego` itself
    /// gives `Err(())`.
    #[allow(clippy::result_unit_err)]
    pub fn insert(
        &mut self,
        vpm: &m::VehiclePaymentMessage,
        now: Timestamp,
        ego: Option<[u8; 8]>,
    ) -> Result<Option<([u8; 8], bool)>, ()> {
        use m::VehiclePaymentMessagePayment as P;
        match &vpm.payment {
            P::InitialzationRequest(rst) => {
                let (offer, truncated) = cv::payment_offer(rst, now);
                let rsu = offer.rsu;
                self.offers.truncated(truncated);
                self.offers.upsert(offer);
                Ok(Some((rsu, false)))
            }
            P::ActionRequest(a) => {
                if ego.is_some_and(|e| e == a.source_id) {
                    return Err(());
                }
                self.seq += 1;
                let (cmd, truncated) = cv::payment_command(a, now, self.seq);
                let for_ego = ego.is_some() && cmd.target == ego;
                let rsu = cmd.rsu;
                self.commands.truncated(truncated);
                self.commands.upsert(cmd);
                Ok(Some((rsu, for_ego)))
            }
            P::InitialzationResponse(v) if ego.is_some_and(|e| e == v.obu_id) => Err(()),
            P::ActionResponse(r) if ego.is_some_and(|e| e == r.source_id) => Err(()),
            _ => Ok(None),
        }
    }

    /// The offers.
    pub fn offers(&self) -> &[PaymentOffer] {
        self.offers.items()
    }

    /// The latest command of each (roadside unit, addressee).
    pub fn commands(&self) -> &[PaymentCommand] {
        self.commands.items()
    }

    /// Offers and commands kept.
    pub fn len(&self) -> usize {
        self.offers.len() + self.commands.len()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops what was not refreshed in time.
    pub fn expire(&mut self, now: Timestamp) {
        self.offers.expire(now);
        self.commands.expire(now);
    }

    /// What the store did.
    pub fn counters(&self) -> StoreCounters {
        self.offers.counters().add(self.commands.counters())
    }
}

/// Kind of on-board unit (`OBUType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObuKind {
    /// Factory-fitted.
    Oem,
    /// Aftermarket.
    Aftermarket,
    /// Mobile phone.
    Phone,
}

/// Kind of payment equipment (`EquipmentClass`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EquipmentClass {
    /// Single-chip OBU.
    OneChip,
    /// OBU with an IC card.
    WithCard,
    /// Compound pass card.
    PassCard,
}

/// The payment card's files (card issue, toll, balance), as the card gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardFiles {
    /// Card issue information file.
    pub issue: Vec<u8>,
    /// Toll information file.
    pub toll: Vec<u8>,
    /// Balance.
    pub balance: Vec<u8>,
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month, 1..=12.
    pub month: u8,
    /// Day, 1..=31.
    pub day: u8,
}

/// The contract (system information) file of the on-board unit (`SysInfo`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Contract {
    /// Issuer.
    pub provider: [u8; 8],
    /// Contract type, 0..=127.
    pub kind: u8,
    /// Contract version, 0..=127.
    pub version: u8,
    /// Serial number.
    pub serial: [u8; 8],
    /// Signed on.
    pub signed: Date,
    /// Expires on.
    pub expires: Date,
}

/// The vehicle information file of the on-board unit (`VehicleInfo` of the VPM).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VehicleFile {
    /// Licence plate number (GB2312 text, zero padded).
    pub plate: [u8; 12],
    /// Licence plate colour code.
    pub plate_color: [u8; 2],
    /// Toll class, 0..=127.
    pub toll_class: u8,
    /// User type, 0..=127.
    pub user_type: u8,
    /// Length, as the file records it.
    pub length: u16,
    /// Width.
    pub width: u8,
    /// Height.
    pub height: u8,
    /// Wheels, 0..=127.
    pub wheels: u8,
    /// Axles, 0..=127.
    pub axles: u8,
    /// Wheel base.
    pub wheel_base: u16,
    /// Permitted weight or seats, 0..=16 777 215.
    pub weight_limit: u32,
    /// Vehicle identification.
    pub identification: [u8; 16],
    /// Engine number.
    pub engine: [u8; 16],
}

/// A tolling point passed (the entrance of a closed toll road).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PassedStation {
    /// The point.
    pub point: TollPoint,
    /// When passed.
    pub time: Timestamp,
    /// Amount charged there, 4 octets.
    pub amount: Option<[u8; 4]>,
}

/// The payment data of the on-board unit for one application (`OBUPaymentInfoType1`), from
/// the caller's account, for one message: never kept by the stack.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ObuPaymentData {
    /// Kind of payment equipment.
    pub equipment: Option<EquipmentClass>,
    /// The card's files.
    pub card: Option<CardFiles>,
    /// The contract file.
    pub contract: Option<Contract>,
    /// The vehicle information file.
    pub vehicle: Option<VehicleFile>,
    /// The entrance passed (closed toll roads).
    pub entrance: Option<PassedStation>,
}

/// Result status of a command (`ReturnStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReturnCode {
    /// Success.
    Ok,
    /// Access denied.
    AccessDenied,
    /// Invalid argument.
    ArgumentError,
    /// Too complex.
    ComplexityLimitation,
    /// Processing failed.
    ProcessingFailure,
    /// Still processing.
    Processing,
}

/// The result of a charge (`SetTollDataRs`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChargeReceipt {
    /// Transaction authentication code.
    pub tac: Option<[u8; 4]>,
    /// Authenticator.
    pub authenticator: Option<[u8; 8]>,
    /// The account charged (2..=32 octets).
    pub account: Option<Vec<u8>>,
    /// Transaction credential (32 octets).
    pub credential: Option<Vec<u8>>,
}

/// The data an answer carries (`TransInfo` of an `Action-Response`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionResult {
    /// Files read.
    TollData {
        /// Vehicle information file data.
        vehicle: [u8; 127],
        /// Toll information file data.
        toll: Option<[u8; 127]>,
    },
    /// A file read with its authenticator.
    SecureRead {
        /// The part read.
        range: FileRange,
        /// Authenticator.
        authenticator: [u8; 8],
    },
    /// A charge made.
    Charged(ChargeReceipt),
    /// APDU responses.
    Channel {
        /// The component.
        channel: PaymentChannel,
        /// Responses, each a 127-octet block.
        apdus: Vec<[u8; 127]>,
    },
}

/// The on-board unit's answer to a roadside service table (`VSI`).
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceInfo {
    /// The roadside unit answered.
    pub rsu: [u8; 8],
    /// The on-board unit's id.
    pub obu_id: [u8; 8],
    /// Kind of on-board unit.
    pub obu_kind: ObuKind,
    /// The applications the on-board unit takes part in, with their data (at most 16).
    pub applications: Vec<(PaymentService, ObuPaymentData)>,
    /// The on-board unit's random number for authentication.
    pub rnd: Option<[u8; 8]>,
}

/// The on-board unit's answer to a command (`Action-Response`).
#[derive(Debug, Clone, PartialEq)]
pub struct ActionAnswer {
    /// The roadside unit answered.
    pub rsu: [u8; 8],
    /// The on-board unit's id.
    pub obu_id: [u8; 8],
    /// The payment application.
    pub service: PaymentService,
    /// Result status.
    pub ret: ReturnCode,
    /// Result data.
    pub result: Option<ActionResult>,
}
