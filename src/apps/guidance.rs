//! What a cooperative (Day II) application tells the ego beyond a level and a target: the
//! content of the roadside's guidance, the state of the ego's requests, the parking route, the
//! platoon and payment state ([`Guidance`], carried in [`super::Warning::guidance`]). Every
//! type is small and `Copy`, like the warning itself; the whole guidance (every path point,
//! the lot's graph) stays in the world stores ([`crate::world::day2`]).
use crate::time::Timestamp;
use crate::world::day2::{AvpLevel, Behavior, PaymentService, PlatoonRole};

/// Up to [`PathPoints::CAPACITY`] points of a guided path ahead of the ego, in the stack's ENU
/// frame, m.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PathPoints {
    points: [[f64; 2]; PathPoints::CAPACITY],
    len: u8,
}

impl PathPoints {
    /// Most points kept.
    pub const CAPACITY: usize = 4;

    /// Appends a point; `false` when full.
    pub fn push(&mut self, p: [f64; 2]) -> bool {
        match self.points.get_mut(usize::from(self.len)) {
            Some(slot) => {
                *slot = p;
                self.len += 1;
                true
            }
            None => false,
        }
    }

    /// The points.
    pub fn as_slice(&self) -> &[[f64; 2]] {
        self.points.get(..usize::from(self.len)).unwrap_or(&[])
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// A request the ego sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestType {
    /// Lane change or merge (`Req-LaneChange`).
    LaneChange,
    /// Clear the way (`Req-ClearTheWay`).
    ClearTheWay,
    /// Signal priority (`Req-SignalPriority`).
    SignalPriority,
    /// A parking space (`Req-ParkingArea`).
    Parking,
}

impl RequestType {
    /// Lower-case name (as scenarios write it).
    pub fn name(self) -> &'static str {
        match self {
            Self::LaneChange => "lane_change",
            Self::ClearTheWay => "clear_the_way",
            Self::SignalPriority => "signal_priority",
            Self::Parking => "parking",
        }
    }
}

/// Where a request of the ego stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestState {
    /// Sent, no answer yet.
    Sent,
    /// Confirmed by the addressee.
    Confirmed,
    /// Refused or cancelled by the addressee.
    Refused,
    /// Completed.
    Completed,
    /// Unanswered until its lifetime ended.
    Expired,
}

impl RequestState {
    /// Lower-case name (as scenarios write it).
    pub fn name(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Confirmed => "confirmed",
            Self::Refused => "refused",
            Self::Completed => "completed",
            Self::Expired => "expired",
        }
    }
}

/// The next thing to do on a parking route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Maneuver {
    /// Go straight on at the next node.
    Straight,
    /// Turn left at the next node.
    Left,
    /// Turn right at the next node.
    Right,
    /// Turn back at the next node.
    UTurn,
    /// The target slot is ahead (no node left on the route).
    Arrive,
}

impl Maneuver {
    /// Lower-case name (as scenarios write it).
    pub fn name(self) -> &'static str {
        match self {
            Self::Straight => "straight",
            Self::Left => "left",
            Self::Right => "right",
            Self::UTurn => "u_turn",
            Self::Arrive => "arrive",
        }
    }
}

/// The ego's platooning state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlatoonState {
    /// Not in a platoon.
    Free,
    /// Asking a platoon to join.
    Requesting,
    /// Admitted, joining.
    Joining,
    /// A member.
    Member,
    /// Asking to leave, or leaving.
    Leaving,
    /// The join request was refused or not answered in time.
    Refused,
}

impl PlatoonState {
    /// Lower-case name (as scenarios write it).
    pub fn name(self) -> &'static str {
        match self {
            Self::Free => "free",
            Self::Requesting => "requesting",
            Self::Joining => "joining",
            Self::Member => "member",
            Self::Leaving => "leaving",
            Self::Refused => "refused",
        }
    }
}

/// The state of a payment with a roadside unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaymentState {
    /// A service the account takes part in is offered; the on-board unit has answered.
    Offered,
    /// The transaction is under way.
    Paying,
    /// The roadside reported the payment done.
    Paid,
    /// The roadside reported the payment failed, or the account refused a command.
    Failed,
    /// The roadside asks the driver to contact the operator.
    ContactOperator,
}

impl PaymentState {
    /// Lower-case name (as scenarios write it).
    pub fn name(self) -> &'static str {
        match self {
            Self::Offered => "offered",
            Self::Paying => "paying",
            Self::Paid => "paid",
            Self::Failed => "failed",
            Self::ContactOperator => "contact_operator",
        }
    }
}

/// The content of a cooperative application's warning or advice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Guidance {
    /// Roadside guidance for the ego or its lane (MERGE).
    Lane {
        /// Suggested or recommended behaviour.
        behavior: Behavior,
        /// The lane to drive in or change into, when the guidance names one.
        target_lane: Option<u8>,
        /// Suggested speed, m/s.
        speed_mps: Option<f64>,
        /// The guidance holds from.
        begin: Option<Timestamp>,
        /// The guidance holds until.
        end: Option<Timestamp>,
        /// The next points of the guided path ahead.
        points: PathPoints,
        /// A tracked vehicle takes the gap the guidance leads into.
        gap_taken: bool,
        /// The guidance addresses the ego by its id (else it is the guidance of its lane).
        for_vehicle: bool,
    },
    /// Yield to a priority vehicle asking to clear the way (CLEAR_THE_WAY).
    Yield {
        /// The lane to clear.
        lane: Option<u8>,
        /// Distance of the priority vehicle behind the ego, m.
        distance_m: Option<f64>,
        /// The ego's way out: to the right (else to the left).
        to_right: bool,
    },
    /// The state of a request of the ego.
    Request {
        /// What was requested.
        request: RequestType,
        /// The request's number.
        id: u8,
        /// Its state.
        state: RequestState,
    },
    /// Turn-by-turn parking guidance (PARKING).
    Parking {
        /// The lot.
        lot: Option<u16>,
        /// The target slot.
        slot: Option<u16>,
        /// The next node of the route.
        next_node: Option<u16>,
        /// What to do there.
        maneuver: Maneuver,
        /// Distance to the next node (or to the slot), m.
        to_maneuver_m: Option<f64>,
        /// Distance left to the slot along the route, m.
        remaining_m: Option<f64>,
        /// Free slots of the lot.
        free_slots: u16,
        /// Slots of the lot the message lists.
        total_slots: u16,
        /// The lot's automated valet parking level.
        avp: Option<AvpLevel>,
        /// The target slot is no longer free, or the route is blocked.
        blocked: bool,
    },
    /// Platooning state (PLATOON).
    Platoon {
        /// The ego's state.
        state: PlatoonState,
        /// Its role.
        role: PlatoonRole,
        /// Its position in the member list (0 = first).
        index: Option<u8>,
        /// Members of the platoon.
        members: u8,
        /// Gap to the vehicle ahead, m.
        gap_m: Option<f64>,
        /// The gap to keep, m.
        target_gap_m: Option<f64>,
        /// Advised speed, m/s.
        speed_mps: Option<f64>,
    },
    /// Near-field payment state (VNFP).
    Payment {
        /// The state.
        state: PaymentState,
        /// The payment application.
        service: PaymentService,
        /// The amount the roadside announced.
        amount: Option<u32>,
    },
    /// A braking request (CEB).
    Braking {
        /// From a roadside unit's guidance for the ego (else from a traffic event).
        from_roadside: bool,
    },
}

impl Guidance {
    /// The state name of a request, platoon, payment or parking guidance (`sent`, `member`,
    /// `paid`, the parking maneuver, …); `None` for the others.
    pub fn state_name(&self) -> Option<&'static str> {
        match self {
            Guidance::Request { state, .. } => Some(state.name()),
            Guidance::Platoon { state, .. } => Some(state.name()),
            Guidance::Payment { state, .. } => Some(state.name()),
            Guidance::Parking { maneuver, .. } => Some(maneuver.name()),
            _ => None,
        }
    }

    /// Whether `other` says something else: another kind, state, lane, slot, node, maneuver
    /// or blocked flag, or a speed 1 km/h or more apart; distances and positions may move.
    pub fn content_differs(&self, other: &Guidance) -> bool {
        let kph = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => (a - b).abs() * 3.6 >= 1.0,
            (a, b) => a.is_some() != b.is_some(),
        };
        match (self, other) {
            (
                Guidance::Lane {
                    behavior: b1,
                    target_lane: l1,
                    speed_mps: s1,
                    gap_taken: g1,
                    for_vehicle: f1,
                    ..
                },
                Guidance::Lane {
                    behavior: b2,
                    target_lane: l2,
                    speed_mps: s2,
                    gap_taken: g2,
                    for_vehicle: f2,
                    ..
                },
            ) => b1 != b2 || l1 != l2 || g1 != g2 || f1 != f2 || kph(*s1, *s2),
            (Guidance::Yield { lane: l1, .. }, Guidance::Yield { lane: l2, .. }) => l1 != l2,
            (
                Guidance::Parking {
                    slot: s1,
                    next_node: n1,
                    maneuver: m1,
                    blocked: b1,
                    ..
                },
                Guidance::Parking {
                    slot: s2,
                    next_node: n2,
                    maneuver: m2,
                    blocked: b2,
                    ..
                },
            ) => s1 != s2 || n1 != n2 || m1 != m2 || b1 != b2,
            (
                Guidance::Platoon {
                    state: a,
                    role: r1,
                    speed_mps: s1,
                    ..
                },
                Guidance::Platoon {
                    state: b,
                    role: r2,
                    speed_mps: s2,
                    ..
                },
            ) => a != b || r1 != r2 || kph(*s1, *s2),
            (a, b) => a != b,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_points_are_bounded() {
        let mut p = PathPoints::default();
        for i in 0..10 {
            let ok = p.push([f64::from(i), 0.0]);
            assert_eq!(ok, i < 4);
        }
        assert_eq!(p.len(), PathPoints::CAPACITY);
        assert_eq!(p.as_slice()[3], [3.0, 0.0]);
    }

    #[test]
    fn content_changes() {
        let a = Guidance::Platoon {
            state: PlatoonState::Member,
            role: PlatoonRole::Follower,
            index: Some(1),
            members: 3,
            gap_m: Some(20.0),
            target_gap_m: Some(22.0),
            speed_mps: Some(20.0),
        };
        let mut b = a;
        if let Guidance::Platoon { gap_m, .. } = &mut b {
            *gap_m = Some(18.0);
        }
        assert!(!a.content_differs(&b), "a gap is a measurement");
        if let Guidance::Platoon { state, .. } = &mut b {
            *state = PlatoonState::Leaving;
        }
        assert!(a.content_differs(&b));
        assert_eq!(b.state_name(), Some("leaving"));
    }
}
