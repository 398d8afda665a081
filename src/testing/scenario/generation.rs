//! Sending a scenario in an older message set: the runner builds every message in the 2020 set
//! and lowers it ([`AnyFrame::lower`]) into the set the scenario names, as a sender of that
//! generation would send it; what the set cannot carry is collected in one report.
//!
//! Some scenarios need what an older set has no form for; they cannot run in that set and are
//! skipped with the reason ([`cannot_carry`]):
//! - Day II messages (PSM, SSM, ...): none in 2019 or 2017;
//! - RSI traffic events (GB/T 29100 types): a 2017 RSI is one alert with a GB 5768 traffic sign
//!   type;
//! - an emergency vehicle's siren and light bar: a 2017 BSM has no emergency extension.
//!
//! Everything else is carried, sometimes in another form (UTC signal timing as a count-down,
//! several RSI signs as several 2017 RSIs, a fused roadside source as `unknown` in 2017), which
//! the stack lifts back.
use alloc::vec::Vec;

use crate::msg::Standard;
use crate::msg::lift::{AnyFrame, Change, Report};
use crate::msg::v2020 as m;

/// What an older set dropping a value means for a scenario: the scenario cannot run in it.
const CANNOT_CARRY: [(&str, &str); 3] = [
    (
        "MessageFrame.msgFrameExt",
        "sends Day II messages (PSM, SSM, ...), which this message set does not have",
    ),
    (
        "RoadSideInformation.rtes",
        "sends RSI traffic events; a T/CSAE 53-2017 RSI carries one alert with a GB 5768 traffic sign type",
    ),
    (
        "BasicSafetyMessage.emergencyExt",
        "sends an emergency vehicle's siren and light bar; a T/CSAE 53-2017 BSM has no emergency extension",
    ),
];

/// Why a scenario whose messages lost what `report` says cannot run in their set, if it cannot.
pub fn cannot_carry(report: &Report) -> Option<&'static str> {
    CANNOT_CARRY
        .iter()
        .find(|(at, _)| report.count(at, Change::Dropped) > 0)
        .map(|(_, why)| *why)
}

/// The encodings a sender of `set` sends for `frame` (none, one, or several), adding what the
/// set could not carry to `report`.
pub(super) fn encode_in(
    set: Standard,
    frame: &m::MessageFrame,
    report: &mut Report,
) -> Vec<Vec<u8>> {
    let lowered = AnyFrame::lower(frame, set);
    report.merge(&lowered.report);
    lowered
        .value
        .iter()
        .filter_map(|f| f.encode().ok())
        .collect()
}
