//! Application identifiers (AID) and the message classes they stand for.
//!
//! # Coding
//! An AID travels in the DSMP header in the variable-length "p-encoding" that IEEE 1609.3 uses for
//! the PSID (and IEEE 1609.12 / ISO 17419 for the ITS-AID). YD/T 3707-2020 declares the AID field
//! variable-length; deployed Chinese stacks code it exactly this way (one octet up to 127, two
//! octets `AID + 0x7F80` above). The 3- and 4-octet forms follow IEEE 1609.3 and are accepted for
//! completeness; every AID allocated to the CSAE messages fits in two octets.
//!
//! | octets | first octet | AID range |
//! |---|---|---|
//! | 1 | `0xxx xxxx` | 0 ..= 127 |
//! | 2 | `10xx xxxx` | 128 ..= 16 511 |
//! | 3 | `110x xxxx` | 16 512 ..= 2 113 663 |
//! | 4 | `1110 xxxx` | 2 113 664 ..= 270 549 119 |
//!
//! # Allocation
//! The constants below are the AIDs in use for the T/CSAE 53-2020 (YD/T 3709-2020) Day I
//! messages in Chinese LTE-V2X deployments: BSM by vehicle kind and trigger, MAP, SPAT, RSI by how
//! static the information is, and RSM. They agree across independent roadside and on-board stacks
//! we checked (vendor default configurations and message-type tables). The normative allocation
//! table itself (the CCSA/CSAE AID register referenced by YD/T 3707-2020) was not available to us:
//! treat these as the de-facto values and check them against the register for a certified product.
//!
//! The T/CSAE 157-2020 Day II messages (SSM, VIR, RSC, PAM, PSM, CLPMM, RTCM, VPM) have no AID we
//! could confirm from a public source; deployed stacks read them from configuration. Add them to a
//! [`Dispatcher`](super::Dispatcher) with [`Dispatcher::insert`](super::Dispatcher::insert).
//!
//! # Security-wrapped messages
//! A signed message keeps the AID of the message it carries: the DSMP data is then an IEEE 1609.2
//! / YD/T 3957 `Ieee1609Dot2Data` (SPDU) whose `headerInfo.psid` holds the same AID and which the
//! signer's certificate must permit. There is no separate "secured" AID; the dispatcher tells the
//! two forms apart by the SPDU's first octets (see [`PayloadKind`](super::PayloadKind)).
use core::fmt;

use super::Error;

/// An application identifier (AID), the value carried in the DSMP header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Aid(pub u32);

/// The largest AID the 4-octet p-encoding holds.
pub const MAX: u32 = 270_549_119;

/// Ordinary vehicle, periodic BSM (普通车辆 常规型).
pub const BSM_ORDINARY_PERIODIC: Aid = Aid(111);
/// Ordinary vehicle, event BSM (普通车辆 事件型).
pub const BSM_ORDINARY_EVENT: Aid = Aid(112);
/// Special (priority) vehicle, periodic BSM (特殊车辆 常规型).
pub const BSM_SPECIAL_PERIODIC: Aid = Aid(113);
/// Special (priority) vehicle, event BSM (特殊车辆 事件型).
pub const BSM_SPECIAL_EVENT: Aid = Aid(114);
/// BSM from an aftermarket on-board unit (后装车载终端).
pub const BSM_AFTERMARKET: Aid = Aid(3617);
/// MAP (map applications, 地图类应用).
pub const MAP: Aid = Aid(3618);
/// SPAT (signal applications, 信号灯类应用).
pub const SPAT: Aid = Aid(3619);
/// RSI with static road information (道路信息 静态类).
pub const RSI_STATIC: Aid = Aid(3620);
/// RSI with semi-static road information (道路信息 半静态类).
pub const RSI_SEMI_STATIC: Aid = Aid(3621);
/// RSI with dynamic road information (道路信息 动态类).
pub const RSI_DYNAMIC: Aid = Aid(3622);
/// RSM (roadside safety message, 道路提醒类应用).
pub const RSM: Aid = Aid(3623);

/// The Day I AIDs and the message class each carries.
pub const DAY1_TABLE: [(Aid, MessageClass); 11] = [
    (BSM_ORDINARY_PERIODIC, MessageClass::Bsm),
    (BSM_ORDINARY_EVENT, MessageClass::Bsm),
    (BSM_SPECIAL_PERIODIC, MessageClass::Bsm),
    (BSM_SPECIAL_EVENT, MessageClass::Bsm),
    (BSM_AFTERMARKET, MessageClass::Bsm),
    (MAP, MessageClass::Map),
    (SPAT, MessageClass::Spat),
    (RSI_STATIC, MessageClass::Rsi),
    (RSI_SEMI_STATIC, MessageClass::Rsi),
    (RSI_DYNAMIC, MessageClass::Rsi),
    (RSM, MessageClass::Rsm),
];

/// The kind of application message an AID announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageClass {
    /// BasicSafetyMessage.
    Bsm,
    /// MapData.
    Map,
    /// SPAT.
    Spat,
    /// RoadSideInformation.
    Rsi,
    /// RoadsideSafetyMessage.
    Rsm,
    /// SensorSharingMsg (Day II).
    Ssm,
    /// VehIntentionAndRequest (Day II).
    Vir,
    /// RoadsideCoordination (Day II).
    Rsc,
    /// PAMData, parking-area map (Day II).
    Pam,
    /// PersonalSafetyMessage (Day II).
    Psm,
    /// CLPMM, platooning management (Day II).
    Clpmm,
    /// RTCMcorrections (Day II).
    Rtcm,
    /// VehiclePaymentMessage (Day II).
    Vpm,
}

impl MessageClass {
    /// All classes, in declaration order.
    pub const ALL: [MessageClass; 13] = [
        MessageClass::Bsm,
        MessageClass::Map,
        MessageClass::Spat,
        MessageClass::Rsi,
        MessageClass::Rsm,
        MessageClass::Ssm,
        MessageClass::Vir,
        MessageClass::Rsc,
        MessageClass::Pam,
        MessageClass::Psm,
        MessageClass::Clpmm,
        MessageClass::Rtcm,
        MessageClass::Vpm,
    ];

    /// A short lower-case name (`"bsm"`, `"map"`, ...).
    pub const fn name(self) -> &'static str {
        match self {
            MessageClass::Bsm => "bsm",
            MessageClass::Map => "map",
            MessageClass::Spat => "spat",
            MessageClass::Rsi => "rsi",
            MessageClass::Rsm => "rsm",
            MessageClass::Ssm => "ssm",
            MessageClass::Vir => "vir",
            MessageClass::Rsc => "rsc",
            MessageClass::Pam => "pam",
            MessageClass::Psm => "psm",
            MessageClass::Clpmm => "clpmm",
            MessageClass::Rtcm => "rtcm",
            MessageClass::Vpm => "vpm",
        }
    }

    /// The class of an ASN.1 message type name as the vectors and the codec name it
    /// (`"BasicSafetyMessage"`, `"MapData"`, `"SPAT"`, ...).
    pub fn from_type_name(name: &str) -> Option<MessageClass> {
        Some(match name {
            "BasicSafetyMessage" => MessageClass::Bsm,
            "MapData" => MessageClass::Map,
            "SPAT" => MessageClass::Spat,
            "RoadSideInformation" => MessageClass::Rsi,
            "RoadsideSafetyMessage" => MessageClass::Rsm,
            "SensorSharingMsg" => MessageClass::Ssm,
            "VehIntentionAndRequest" => MessageClass::Vir,
            "RoadsideCoordination" => MessageClass::Rsc,
            "PAMData" => MessageClass::Pam,
            "PersonalSafetyMessage" => MessageClass::Psm,
            "CLPMM" => MessageClass::Clpmm,
            "RTCMcorrections" => MessageClass::Rtcm,
            "VehiclePaymentMessage" => MessageClass::Vpm,
            _ => return None,
        })
    }

    /// The AID a sender uses for this class by default, where one is allocated (Day I only).
    ///
    /// BSM uses the ordinary-vehicle periodic AID, RSI the static-information AID.
    pub const fn default_aid(self) -> Option<Aid> {
        match self {
            MessageClass::Bsm => Some(BSM_ORDINARY_PERIODIC),
            MessageClass::Map => Some(MAP),
            MessageClass::Spat => Some(SPAT),
            MessageClass::Rsi => Some(RSI_STATIC),
            MessageClass::Rsm => Some(RSM),
            _ => None,
        }
    }
}

impl fmt::Display for MessageClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for Aid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Aid {
    /// Octets the p-encoding of this AID takes (1 to 4), or an error above [`MAX`].
    pub const fn encoded_len(self) -> Result<usize, Error> {
        match self.0 {
            0..=0x7F => Ok(1),
            0x80..=0x407F => Ok(2),
            0x4080..=0x20_407F => Ok(3),
            0x20_4080..=MAX => Ok(4),
            v => Err(Error::AidOutOfRange(v)),
        }
    }

    /// Writes the p-encoding at the start of `out`; returns the octets written.
    pub fn encode(self, out: &mut [u8]) -> Result<usize, Error> {
        let len = self.encoded_len()?;
        let coded: u32 = match len {
            1 => self.0,
            2 => self.0 - 0x80 + 0x8000,
            3 => self.0 - 0x4080 + 0xC0_0000,
            _ => self.0 - 0x20_4080 + 0xE000_0000,
        };
        let bytes = coded.to_be_bytes();
        let src = bytes.get(4 - len..).unwrap_or(&[]);
        let available = out.len();
        let dst = out.get_mut(..len).ok_or(Error::BufferTooSmall {
            needed: len,
            available,
        })?;
        dst.copy_from_slice(src);
        Ok(len)
    }

    /// Reads a p-encoded AID from the start of `input`; returns it and the octets it took.
    #[inline]
    pub fn decode(input: &[u8]) -> Result<(Aid, usize), Error> {
        let first = *input.first().ok_or(Error::Truncated(super::Field::Aid))?;
        if first < 0x80 {
            return Ok((Aid(u32::from(first)), 1));
        }
        let (len, base, mask): (usize, u32, u8) = match first {
            0x80..=0xBF => (2, 0x80, 0x3F),
            0xC0..=0xDF => (3, 0x4080, 0x1F),
            0xE0..=0xEF => (4, 0x20_4080, 0x0F),
            _ => return Err(Error::InvalidAidPrefix(first)),
        };
        let bytes = input
            .get(..len)
            .ok_or(Error::Truncated(super::Field::Aid))?;
        let mut value = u32::from(first & mask);
        for b in bytes.iter().skip(1) {
            value = (value << 8) | u32::from(*b);
        }
        Ok((Aid(value + base), len))
    }
}
