//! What the ego sends in the Day II services, in SI units: its intention and requests (VIR),
//! its platooning state (CLPMM) and its payment answers (VPM). The applications decide what
//! to send; [`crate::world::convert::outgoing`] builds the messages.
use alloc::vec::Vec;

use super::{
    ActionAnswer, Behavior, DriveRequest, GuidePoint, Membership, PlatoonId, PlatoonRole,
    PlatoonStatus, ServiceInfo,
};
use crate::geo::Wgs84;
use crate::time::Timestamp;

/// The ego at the time it sends: its temporary id and where it is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sender {
    /// The temporary id of its BSMs.
    pub id: [u8; 8],
    /// The send time.
    pub time: Timestamp,
    /// Position.
    pub position: Wgs84,
    /// Heading, degrees (CSAE).
    pub heading_deg: f64,
    /// Speed, m/s.
    pub speed_mps: f64,
}

/// The ego's intention and requests (a VIR).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OutIntention {
    /// Current behaviour.
    pub behavior: Option<Behavior>,
    /// Planned path (at most 100 points are sent).
    pub path: Vec<GuidePoint>,
    /// Requests (at most 8 are sent); a request's `valid_until` becomes its `lifeTime` from
    /// the send time.
    pub requests: Vec<DriveRequest>,
}

/// The ego's platooning state (a CLPMM).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutPlatoon {
    /// The platoon (all zero when the ego is in none).
    pub platoon: PlatoonId,
    /// Role.
    pub role: PlatoonRole,
    /// State.
    pub status: PlatoonStatus,
    /// The member lists, when the ego leads.
    pub membership: Option<Membership>,
}

/// A Day II message the ego sends.
#[derive(Debug, Clone, PartialEq)]
pub enum Outgoing {
    /// A VIR.
    Intention(OutIntention),
    /// A CLPMM.
    Platoon(OutPlatoon),
    /// A VPM answering a roadside service table.
    PaymentInfo(ServiceInfo),
    /// A VPM answering a command.
    PaymentAnswer(ActionAnswer),
}

impl Outgoing {
    /// Lower-case name of the message (`vir`, `clpmm`, `vpm`).
    pub fn message_name(&self) -> &'static str {
        match self {
            Outgoing::Intention(_) => "vir",
            Outgoing::Platoon(_) => "clpmm",
            Outgoing::PaymentInfo(_) | Outgoing::PaymentAnswer(_) => "vpm",
        }
    }
}
