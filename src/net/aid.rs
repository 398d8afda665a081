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
//! The T/CSAE 157-2020 Day II messages have no AID in a normative register we could consult. The
//! defaults here ([`DAY2_TABLE`]) are the values in use in deployed stacks: the AID table of a
//! deployed OBU/RSU protocol stack (Wanji, `ProtocolStack.ini`, in
//! `tests/data/real/wanji_obu_pki_sm2`) gives PAM 18, CLPMM 19, PSM 20, RSC 21, RTCM 22, SSM 23,
//! VIR 24, VPM 25 and 26 for the deployment's private test messages; its Day I values agree
//! with the constants above. Deployments differ (another stack sends CLPMM under AID 3616), so a
//! deployment loads its own table ([`AidTable`], from a file in the format below or from the
//! vendor's `ProtocolStack.ini`) or edits a [`Dispatcher`](super::Dispatcher) with
//! [`Dispatcher::insert`](super::Dispatcher::insert). [`DEFAULT_TABLE`] (Day I and Day II) is
//! what [`Dispatcher::new`](super::Dispatcher::new) knows.
//!
//! # AID table files
//! A plain text file, one entry per line: the AID in decimal, white space, the message class
//! name ([`MessageClass::name`]: `bsm`, `map`, `spat`, `rsi`, `rsm`, `ssm`, `vir`, `rsc`, `pam`,
//! `psm`, `clpmm`, `rtcm`, `vpm`, `test`). `#` starts a comment; blank lines are ignored. The
//! file is the whole table (it replaces the defaults). Parsing is strict: an unknown class, a
//! third field, an AID that is not a decimal number or above [`MAX`], an AID listed twice, or a
//! file without any entry is an error naming the line ([`AidTableError`]).
//!
//! ```text
//! # vehicle messages
//! 111 bsm
//! 112 bsm
//! 3618 map   # MAP from roadside units
//! ```
//!
//! The vendor form ([`AidTable::parse_protocol_stack_ini`]) reads the `[<CLASS>AIDGroup]`
//! sections of a `ProtocolStack.ini` (`MsgAID = 111, 112, …`); every other section and key is
//! the vendor's and is skipped. An `…AIDGroup` section naming no known class, one without
//! `MsgAID`, or a bad or repeated AID is an error naming the line.
//!
//! # Security-wrapped messages
//! A signed message keeps the AID of the message it carries: the DSMP data is then an IEEE 1609.2
//! / YD/T 3957 `Ieee1609Dot2Data` (SPDU) whose `headerInfo.psid` holds the same AID and which the
//! signer's certificate must permit. There is no separate "secured" AID; the dispatcher tells the
//! two forms apart by the SPDU's first octets (see [`PayloadKind`](super::PayloadKind)).
use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
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

/// Parking-area map (PAMData), the value in use in deployed stacks.
pub const PAM: Aid = Aid(18);
/// Platooning management (CLPMM), the value in use in deployed stacks.
pub const CLPMM: Aid = Aid(19);
/// Personal safety message (PSM), the value in use in deployed stacks.
pub const PSM: Aid = Aid(20);
/// Roadside coordination (RSC), the value in use in deployed stacks.
pub const RSC: Aid = Aid(21);
/// RTCM differential corrections, the value in use in deployed stacks.
pub const RTCM: Aid = Aid(22);
/// Sensor sharing (SSM), the value in use in deployed stacks.
pub const SSM: Aid = Aid(23);
/// Vehicle intention and request (VIR), the value in use in deployed stacks.
pub const VIR: Aid = Aid(24);
/// Vehicle payment (VPM), the value in use in deployed stacks.
pub const VPM: Aid = Aid(25);
/// The deployment's private test messages, the value in use in deployed stacks.
pub const TEST: Aid = Aid(26);

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

/// The Day II AIDs in use in deployed stacks and the message class each carries.
pub const DAY2_TABLE: [(Aid, MessageClass); 9] = [
    (PAM, MessageClass::Pam),
    (CLPMM, MessageClass::Clpmm),
    (PSM, MessageClass::Psm),
    (RSC, MessageClass::Rsc),
    (RTCM, MessageClass::Rtcm),
    (SSM, MessageClass::Ssm),
    (VIR, MessageClass::Vir),
    (VPM, MessageClass::Vpm),
    (TEST, MessageClass::Test),
];

/// The default table: [`DAY1_TABLE`] then [`DAY2_TABLE`].
pub const DEFAULT_TABLE: [(Aid, MessageClass); 20] = {
    let mut t = [(Aid(0), MessageClass::Bsm); 20];
    let mut i = 0;
    while i < DAY1_TABLE.len() {
        t[i] = DAY1_TABLE[i];
        i += 1;
    }
    let mut j = 0;
    while j < DAY2_TABLE.len() {
        t[DAY1_TABLE.len() + j] = DAY2_TABLE[j];
        j += 1;
    }
    t
};

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
    /// A deployment's private test messages (no standard payload).
    Test,
}

impl MessageClass {
    /// All classes, in declaration order.
    pub const ALL: [MessageClass; 14] = [
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
        MessageClass::Test,
    ];

    /// The class of a 2020 message frame (a Day II message by the value of its `msgFrameExt`);
    /// `None` for an extension the message set does not know.
    pub fn of_frame(frame: &crate::msg::v2020::MessageFrame) -> Option<MessageClass> {
        use crate::msg::v2020::{MessageFrame as F, MessageFrameExtValue as X};
        Some(match frame {
            F::BsmFrame(_) => MessageClass::Bsm,
            F::MapFrame(_) => MessageClass::Map,
            F::SpatFrame(_) => MessageClass::Spat,
            F::RsiFrame(_) => MessageClass::Rsi,
            F::RsmFrame(_) => MessageClass::Rsm,
            F::MsgFrameExt(ext) => match &ext.value {
                X::TestMsg(_) => MessageClass::Test,
                X::RtcMcorrections(_) => MessageClass::Rtcm,
                X::PamData(_) => MessageClass::Pam,
                X::Clpmm(_) => MessageClass::Clpmm,
                X::PersonalSafetyMessage(_) => MessageClass::Psm,
                X::RoadsideCoordination(_) => MessageClass::Rsc,
                X::SensorSharingMsg(_) => MessageClass::Ssm,
                X::VehIntentionAndRequest(_) => MessageClass::Vir,
                X::VehiclePaymentMessage(_) => MessageClass::Vpm,
                X::Unknown(_) => return None,
            },
            F::UnknownExt(_) => return None,
        })
    }

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
            MessageClass::Test => "test",
        }
    }

    /// The class named `name` ([`MessageClass::name`]).
    pub fn from_name(name: &str) -> Option<MessageClass> {
        MessageClass::ALL.into_iter().find(|c| c.name() == name)
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

    /// The AID a sender uses for this class by default ([`DEFAULT_TABLE`]).
    ///
    /// BSM uses the ordinary-vehicle periodic AID, RSI the static-information AID.
    pub const fn default_aid(self) -> Option<Aid> {
        Some(match self {
            MessageClass::Bsm => BSM_ORDINARY_PERIODIC,
            MessageClass::Map => MAP,
            MessageClass::Spat => SPAT,
            MessageClass::Rsi => RSI_STATIC,
            MessageClass::Rsm => RSM,
            MessageClass::Ssm => SSM,
            MessageClass::Vir => VIR,
            MessageClass::Rsc => RSC,
            MessageClass::Pam => PAM,
            MessageClass::Psm => PSM,
            MessageClass::Clpmm => CLPMM,
            MessageClass::Rtcm => RTCM,
            MessageClass::Vpm => VPM,
            MessageClass::Test => TEST,
        })
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

/// A table of AIDs and the message class each carries: sorted, each AID once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AidTable {
    entries: Vec<(Aid, MessageClass)>,
}

/// What is wrong with an AID table file, and on which line (1-based).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {kind}")]
pub struct AidTableError {
    /// The line (1-based; 0 for the file as a whole).
    pub line: usize,
    /// The problem.
    pub kind: AidTableErrorKind,
}

/// The problems an AID table file can have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AidTableErrorKind {
    /// A line with an AID but no class.
    #[error("an AID needs a message class")]
    MissingClass,
    /// A class name that is not one of [`MessageClass::name`].
    #[error(
        "unknown message class `{0}` (one of bsm map spat rsi rsm ssm vir rsc pam psm clpmm rtcm vpm test)"
    )]
    UnknownClass(String),
    /// Something after the class.
    #[error("unexpected `{0}` after the class")]
    ExtraField(String),
    /// An AID that is not a decimal number.
    #[error("`{0}` is not an AID (a decimal number)")]
    BadAid(String),
    /// An AID above the largest the DSMP coding holds ([`MAX`]).
    #[error("AID {0} is above the largest AID {MAX}")]
    AidOutOfRange(String),
    /// An AID listed twice.
    #[error("AID {aid} is already listed on line {first_line}")]
    DuplicateAid {
        /// The AID.
        aid: u32,
        /// Where it was listed first.
        first_line: usize,
    },
    /// A vendor `[…AIDGroup]` section naming no known class.
    #[error("AID group `{0}` names no known message class")]
    UnknownGroup(String),
    /// A vendor `[…AIDGroup]` section without `MsgAID`.
    #[error("AID group `{0}` has no MsgAID")]
    MissingAidList(String),
    /// A line of a vendor AID group that is neither a section, a comment nor `key = value`.
    #[error("not `key = value`")]
    NotKeyValue,
    /// A file without any entry.
    #[error("no AID in the table")]
    Empty,
}

impl Default for AidTable {
    /// The [`DEFAULT_TABLE`].
    fn default() -> Self {
        AidTable::defaults()
    }
}

impl AidTable {
    /// The [`DEFAULT_TABLE`]: Day I and the Day II values in use.
    pub fn defaults() -> AidTable {
        let mut entries = DEFAULT_TABLE.to_vec();
        entries.sort_by_key(|e| e.0);
        AidTable { entries }
    }

    /// The entries, sorted by AID.
    pub fn entries(&self) -> &[(Aid, MessageClass)] {
        &self.entries
    }

    /// The class `aid` carries.
    pub fn lookup(&self, aid: Aid) -> Option<MessageClass> {
        let i = self.entries.binary_search_by_key(&aid, |e| e.0).ok()?;
        self.entries.get(i).map(|e| e.1)
    }

    /// The table in the file format of this module (one `AID class` line per entry).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (aid, class) in &self.entries {
            out.push_str(&alloc::format!("{aid} {class}\n"));
        }
        out
    }

    /// Reads either form: the vendor `ProtocolStack.ini` when a line opens a `[section]`, the
    /// file format of this module otherwise.
    pub fn parse_any(text: &str) -> Result<AidTable, AidTableError> {
        if text.lines().any(|l| l.trim_start().starts_with('[')) {
            AidTable::parse_protocol_stack_ini(text)
        } else {
            AidTable::parse(text)
        }
    }

    /// Reads the file format of this module (see the module docs).
    pub fn parse(text: &str) -> Result<AidTable, AidTableError> {
        let mut b = Builder::default();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let content = raw.split('#').next().unwrap_or("");
            let mut fields = content.split_whitespace();
            let Some(aid) = fields.next() else {
                continue;
            };
            let err = |kind| AidTableError { line, kind };
            let aid = parse_aid(aid).map_err(err)?;
            let class = fields.next().ok_or(err(AidTableErrorKind::MissingClass))?;
            let class = MessageClass::from_name(class)
                .ok_or_else(|| err(AidTableErrorKind::UnknownClass(class.to_string())))?;
            if let Some(extra) = fields.next() {
                return Err(err(AidTableErrorKind::ExtraField(extra.to_string())));
            }
            b.add(aid, class, line)?;
        }
        b.finish()
    }

    /// Reads the AID groups of a vendor `ProtocolStack.ini` (see the module docs).
    pub fn parse_protocol_stack_ini(text: &str) -> Result<AidTable, AidTableError> {
        let mut b = Builder::default();
        // The open AID group: its name, class, line and whether it listed its AIDs.
        let mut group: Option<(String, MessageClass, usize, bool)> = None;
        let close = |g: &Option<(String, MessageClass, usize, bool)>| match g {
            Some((name, _, line, false)) => Err(AidTableError {
                line: *line,
                kind: AidTableErrorKind::MissingAidList(name.clone()),
            }),
            _ => Ok(()),
        };
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let t = raw.trim();
            if t.is_empty() || t.starts_with(';') || t.starts_with('#') {
                continue;
            }
            let err = |kind| AidTableError { line, kind };
            if let Some(section) = t.strip_prefix('[') {
                close(&group)?;
                group = None;
                let name = section.strip_suffix(']').unwrap_or(section).trim();
                // [MessageAIDGroup] lists the group names; every other `…AIDGroup` is one group.
                if let Some(prefix) = name
                    .strip_suffix("AIDGroup")
                    .filter(|_| name != "MessageAIDGroup")
                {
                    let lower = prefix.to_ascii_lowercase();
                    let class = MessageClass::from_name(&lower)
                        .ok_or_else(|| err(AidTableErrorKind::UnknownGroup(name.to_string())))?;
                    group = Some((name.to_string(), class, line, false));
                }
                continue;
            }
            let Some((_, class, _, listed)) = group.as_mut() else {
                continue;
            };
            let (key, value) = t
                .split_once('=')
                .ok_or(err(AidTableErrorKind::NotKeyValue))?;
            if key.trim() != "MsgAID" {
                continue;
            }
            *listed = true;
            for aid in value.split(',') {
                let aid = parse_aid(aid.trim()).map_err(err)?;
                b.add(aid, *class, line)?;
            }
        }
        close(&group)?;
        b.finish()
    }
}

/// A decimal AID up to [`MAX`].
fn parse_aid(s: &str) -> Result<Aid, AidTableErrorKind> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AidTableErrorKind::BadAid(s.to_string()));
    }
    match s.parse::<u32>() {
        Ok(a) if a <= MAX => Ok(Aid(a)),
        _ => Err(AidTableErrorKind::AidOutOfRange(s.to_string())),
    }
}

/// Collects entries (by AID, with the line each came from), refusing duplicates.
#[derive(Default)]
struct Builder {
    entries: BTreeMap<Aid, (MessageClass, usize)>,
}

impl Builder {
    fn add(&mut self, aid: Aid, class: MessageClass, line: usize) -> Result<(), AidTableError> {
        if let Some((_, first_line)) = self.entries.get(&aid) {
            return Err(AidTableError {
                line,
                kind: AidTableErrorKind::DuplicateAid {
                    aid: aid.0,
                    first_line: *first_line,
                },
            });
        }
        self.entries.insert(aid, (class, line));
        Ok(())
    }

    fn finish(self) -> Result<AidTable, AidTableError> {
        if self.entries.is_empty() {
            return Err(AidTableError {
                line: 0,
                kind: AidTableErrorKind::Empty,
            });
        }
        let entries = self.entries.into_iter().map(|(a, (c, _))| (a, c)).collect();
        Ok(AidTable { entries })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::Uper;
    use crate::msg::v2020::{MessageFrame, MessageFrameExt, MessageFrameExtValue, TestMsg};

    #[test]
    fn a_frame_has_the_class_of_its_message() {
        // A BSM MessageFrame with every field at its minimum.
        let bsm = MessageFrame::decode(&[0u8; 36]).unwrap();
        assert_eq!(MessageClass::of_frame(&bsm), Some(MessageClass::Bsm));
        let ext = |value| {
            MessageFrame::MsgFrameExt(MessageFrameExt {
                message_id: 26,
                value,
                unknown_ext: Default::default(),
            })
        };
        let test = ext(MessageFrameExtValue::TestMsg(TestMsg {
            msg_cnt: 1,
            user_data: alloc::vec![1],
        }));
        assert_eq!(MessageClass::of_frame(&test), Some(MessageClass::Test));
        let unknown = ext(MessageFrameExtValue::Unknown(alloc::vec![0]));
        assert_eq!(MessageClass::of_frame(&unknown), None);
    }
}
