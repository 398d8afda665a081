//! The ego's Day II requests in C form: `cv2x_command` (a flat form of `cv2x::apps::Command`:
//! a lane change, clearing the way, signal priority, a parking slot, joining, leaving or
//! leading a platoon) given to `cv2x_stack_command`. The cooperative applications take it at
//! the next poll and send what it asks (VIR, CLPMM) through the host vehicle: it comes out of
//! `cv2x_stack_next_transmission` (`CV2X_TX_VIR`, `CV2X_TX_CLPMM`), and the request's state is
//! reported as an advisory whose `cv2x_stack_warning_detail` is a `CV2X_GUIDANCE_REQUEST` (or
//! the platoon state).

use cv2x::apps::{Command, Side};
use cv2x::world::day2::{LinkRef, ParkingKinds, ParkingServices};

use super::cv2x_stack;
use crate::boundary::{deref, ffi, tri};
use crate::config_len;
use crate::result::*;

/// `cv2x_command.kind`: change lane (or merge): into `lane` of the link (`CV2X_COMMAND_HAS_LINK`)
/// when given, else into the lane next to the ego's on `side`.
pub const CV2X_COMMAND_LANE_CHANGE: u32 = 1;
/// `cv2x_command.kind`: ask the vehicles ahead to clear the ego's lane for `duration_s`.
pub const CV2X_COMMAND_CLEAR_THE_WAY: u32 = 2;
/// `cv2x_command.kind`: ask for signal priority at the next intersection.
pub const CV2X_COMMAND_SIGNAL_PRIORITY: u32 = 3;
/// `cv2x_command.kind`: ask a parking lot (`lot`, any lot without `CV2X_COMMAND_HAS_LOT`) for a
/// slot: `services` (`ParkingRequest` bits, 0: enter and park), `kinds` (`ParkingType` bits,
/// with `CV2X_COMMAND_HAS_KINDS`), a preferred `slot` (`CV2X_COMMAND_HAS_SLOT`).
pub const CV2X_COMMAND_PARKING: u32 = 4;
/// `cv2x_command.kind`: stop the parking guidance (and cancel the request).
pub const CV2X_COMMAND_CANCEL_PARKING: u32 = 5;
/// `cv2x_command.kind`: ask to join the platoon `platoon` (`CV2X_COMMAND_HAS_PLATOON`), else the
/// nearest open one ahead.
pub const CV2X_COMMAND_JOIN_PLATOON: u32 = 6;
/// `cv2x_command.kind`: leave the platoon (a leader dismisses it).
pub const CV2X_COMMAND_LEAVE_PLATOON: u32 = 7;
/// `cv2x_command.kind`: lead a new platoon `platoon` with room for `capacity` (1..32) members.
pub const CV2X_COMMAND_LEAD_PLATOON: u32 = 8;

/// `cv2x_command.present`: `upstream_*`, `downstream_*` and `link_lanes` name a map link.
pub const CV2X_COMMAND_HAS_LINK: u32 = 1u32 << 0;
/// `cv2x_command.present`: `lane` is set.
pub const CV2X_COMMAND_HAS_LANE: u32 = 1u32 << 1;
/// `cv2x_command.present`: `lot` is set.
pub const CV2X_COMMAND_HAS_LOT: u32 = 1u32 << 2;
/// `cv2x_command.present`: `kinds` is set.
pub const CV2X_COMMAND_HAS_KINDS: u32 = 1u32 << 3;
/// `cv2x_command.present`: `slot` is set.
pub const CV2X_COMMAND_HAS_SLOT: u32 = 1u32 << 4;
/// `cv2x_command.present`: `platoon` is set.
pub const CV2X_COMMAND_HAS_PLATOON: u32 = 1u32 << 5;
const COMMAND_PRESENT: u32 = (1 << 6) - 1;

/// `cv2x_command.side`: left.
pub const CV2X_SIDE_LEFT: u32 = 1;
/// `cv2x_command.side`: right.
pub const CV2X_SIDE_RIGHT: u32 = 2;

/// A request of the ego (input). Fill it with `cv2x_command_init`, then set what the kind
/// needs; fields the kind does not use are ignored. Starts with `struct_size` (set by
/// `cv2x_command_init`): the library reads the fields that fit and defaults the rest.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct cv2x_command {
    /// `sizeof(cv2x_command)` of the caller.
    pub struct_size: u32,
    /// `CV2X_COMMAND_*` kind.
    pub kind: u32,
    /// `CV2X_COMMAND_HAS_*` bits.
    pub present: u32,
    /// `CV2X_SIDE_*` (lane change).
    pub side: u32,
    /// The lane (lane change, 0..255).
    pub lane: u32,
    /// The parking lot id (0..65535).
    pub lot: u32,
    /// The preferred slot (0..65535).
    pub slot: u32,
    /// Parking services: bit `i` for `ParkingRequest` bit `i` (0 enter, 1 exit, 2 park, 3 pay,
    /// ...; 12 bits).
    pub services: u32,
    /// Kinds of slot: bit `i` for `ParkingType` bit `i` (10 bits).
    pub kinds: u32,
    /// Members of a platoon the ego leads (1..32).
    pub capacity: u32,
    /// Link: upstream node region (0..65535).
    pub upstream_region: u32,
    /// Link: upstream node id (0..65535).
    pub upstream_id: u32,
    /// Link: downstream node region (0..65535).
    pub downstream_region: u32,
    /// Link: downstream node id (0..65535).
    pub downstream_id: u32,
    /// Link: its lanes, bit `i` for lane `i` (1..15); 0 for the whole link.
    pub link_lanes: u32,
    /// Padding (0).
    pub reserved0: u32,
    /// How long the way should stay clear, s (clear the way; finite, > 0).
    pub duration_s: f64,
    /// The platoon id (17 octets).
    pub platoon: [u8; 17],
    /// Padding (0).
    pub reserved1: [u8; 7],
    /// Room for later fields (0).
    pub reserved: [u32; 4],
}

/// Size of the first version of `cv2x_command`.
pub const CV2X_COMMAND_SIZE_V1: usize = 112;
const _: () = assert!(std::mem::size_of::<cv2x_command>() == CV2X_COMMAND_SIZE_V1);

/// The core command of a C command (`CV2X_ERR_INVALID_PARAMETER` for a value out of range).
fn command_of(c: &cv2x_command) -> Result<Command, cv2x_result> {
    let bad = CV2X_ERR_INVALID_PARAMETER;
    if c.present & !COMMAND_PRESENT != 0 {
        return Err(bad);
    }
    let has = |bit: u32| c.present & bit != 0;
    let u16_of = |v: u32| u16::try_from(v).map_err(|_| bad);
    let u8_of = |v: u32| u8::try_from(v).map_err(|_| bad);
    Ok(match c.kind {
        CV2X_COMMAND_LANE_CHANGE => {
            let side = match c.side {
                CV2X_SIDE_LEFT => Side::Left,
                CV2X_SIDE_RIGHT => Side::Right,
                _ => return Err(bad),
            };
            let link = if has(CV2X_COMMAND_HAS_LINK) {
                if c.link_lanes & !0xFFFE != 0 {
                    return Err(bad);
                }
                Some(LinkRef {
                    upstream: (u16_of(c.upstream_region)?, u16_of(c.upstream_id)?),
                    downstream: (u16_of(c.downstream_region)?, u16_of(c.downstream_id)?),
                    lanes: u16_of(c.link_lanes)?,
                })
            } else {
                None
            };
            let lane = if has(CV2X_COMMAND_HAS_LANE) {
                Some(u8_of(c.lane)?)
            } else {
                None
            };
            Command::LaneChange { side, link, lane }
        }
        CV2X_COMMAND_CLEAR_THE_WAY => {
            if !(c.duration_s.is_finite() && c.duration_s > 0.0) {
                return Err(bad);
            }
            Command::ClearTheWay {
                duration_s: c.duration_s,
            }
        }
        CV2X_COMMAND_SIGNAL_PRIORITY => Command::SignalPriority,
        CV2X_COMMAND_PARKING => {
            if c.services >= 1 << ParkingServices::NAMES.len() {
                return Err(bad);
            }
            let kinds = if has(CV2X_COMMAND_HAS_KINDS) {
                if c.kinds >= 1 << ParkingKinds::NAMES.len() {
                    return Err(bad);
                }
                Some(ParkingKinds(u16_of(c.kinds)?))
            } else {
                None
            };
            Command::Parking {
                lot: has(CV2X_COMMAND_HAS_LOT)
                    .then(|| u16_of(c.lot))
                    .transpose()?,
                services: ParkingServices(u16_of(c.services)?),
                kinds,
                slot: has(CV2X_COMMAND_HAS_SLOT)
                    .then(|| u16_of(c.slot))
                    .transpose()?,
            }
        }
        CV2X_COMMAND_CANCEL_PARKING => Command::CancelParking,
        CV2X_COMMAND_JOIN_PLATOON => Command::JoinPlatoon {
            platoon: has(CV2X_COMMAND_HAS_PLATOON).then_some(c.platoon),
        },
        CV2X_COMMAND_LEAVE_PLATOON => Command::LeavePlatoon,
        CV2X_COMMAND_LEAD_PLATOON => {
            if !has(CV2X_COMMAND_HAS_PLATOON) || !(1..=32).contains(&c.capacity) {
                return Err(bad);
            }
            Command::LeadPlatoon {
                platoon: c.platoon,
                capacity: u8_of(c.capacity)?,
            }
        }
        _ => return Err(bad),
    })
}

/// Fills `*out` with an empty command of `kind` (`CV2X_COMMAND_*`; `struct_size` set, nothing
/// present, `duration_s` 30, `capacity` 8). `CV2X_ERR_INVALID_PARAMETER` for an unknown kind.
/// Thread-safe; `*out` is the caller's.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_command_init(out: *mut cv2x_command, kind: u32) -> cv2x_result {
    ffi!({
        if out.is_null() {
            return CV2X_ERR_NULL_POINTER;
        }
        if !(CV2X_COMMAND_LANE_CHANGE..=CV2X_COMMAND_LEAD_PLATOON).contains(&kind) {
            return CV2X_ERR_INVALID_PARAMETER;
        }
        let c = cv2x_command {
            struct_size: CV2X_COMMAND_SIZE_V1 as u32,
            kind,
            side: CV2X_SIDE_LEFT,
            duration_s: 30.0,
            capacity: 8,
            ..cv2x_command::default()
        };
        // SAFETY: non-null; the caller guarantees a writable command.
        unsafe { out.write(c) };
        CV2X_OK
    })
}

/// Asks the cooperative (Day II) applications for something (`*c`, copied): offered to them
/// once, at the next poll with an ego state and a temporary id (with a host vehicle, after its
/// first message); what it makes them send comes out of `cv2x_stack_next_transmission`.
/// Errors: `CV2X_ERR_STRUCT_SIZE` (below the first version), `CV2X_ERR_INVALID_PARAMETER` (a
/// value out of range), `CV2X_ERR_COMMAND_REFUSED` when too many commands wait for the next
/// poll (counted in `commands_dropped`, a `CV2X_STORE_COMMANDS` drop). One call at a time per
/// stack (`CV2X_ERR_REENTRANT`); nothing of the caller's memory is kept.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_command(s: *mut cv2x_stack, c: *const cv2x_command) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(s).inner.enter());
        if c.is_null() {
            return CV2X_ERR_NULL_POINTER;
        }
        let mut cmd = cv2x_command::default();
        // SAFETY: non-null; `struct_size` is the first field of every version.
        let size = unsafe { c.cast::<u32>().read_unaligned() };
        let n = tri!(config_len(
            size,
            CV2X_COMMAND_SIZE_V1,
            std::mem::size_of::<cv2x_command>()
        ));
        // SAFETY: the caller's struct has `size >= n` readable bytes; copying bytes into a
        // struct of integers, doubles and octets makes a valid value whatever they are.
        unsafe { std::ptr::copy_nonoverlapping(c.cast::<u8>(), (&raw mut cmd).cast::<u8>(), n) };
        let command = tri!(command_of(&cmd));
        match g.stack.command(command) {
            Ok(()) => CV2X_OK,
            Err(_) => CV2X_ERR_COMMAND_REFUSED,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn init(kind: u32) -> cv2x_command {
        let mut c = cv2x_command::default();
        assert_eq!(cv2x_command_init(&mut c, kind), CV2X_OK);
        c
    }

    #[test]
    fn commands_are_read_and_checked() {
        let mut c = init(CV2X_COMMAND_LANE_CHANGE);
        c.side = CV2X_SIDE_RIGHT;
        c.present = CV2X_COMMAND_HAS_LINK | CV2X_COMMAND_HAS_LANE;
        (c.upstream_id, c.downstream_id, c.link_lanes, c.lane) = (1, 2, 1 << 3, 3);
        let want = Command::LaneChange {
            side: Side::Right,
            link: Some(LinkRef {
                upstream: (0, 1),
                downstream: (0, 2),
                lanes: 1 << 3,
            }),
            lane: Some(3),
        };
        assert_eq!(command_of(&c), Ok(want));
        c.link_lanes = 1;
        assert!(command_of(&c).is_err(), "lane 0 is not a lane");
        c.link_lanes = 0;
        c.side = 3;
        assert!(command_of(&c).is_err());

        let mut c = init(CV2X_COMMAND_PARKING);
        c.present = CV2X_COMMAND_HAS_LOT | CV2X_COMMAND_HAS_KINDS;
        (c.lot, c.kinds, c.services) = (7, 1 << 5, 1 << 2);
        assert_eq!(
            command_of(&c),
            Ok(Command::Parking {
                lot: Some(7),
                services: ParkingServices::PARK,
                kinds: Some(ParkingKinds::CHARGING),
                slot: None,
            })
        );
        c.lot = 70_000;
        assert!(command_of(&c).is_err());
        c.lot = 7;
        c.kinds = 1 << 10;
        assert!(command_of(&c).is_err());

        let mut c = init(CV2X_COMMAND_CLEAR_THE_WAY);
        assert_eq!(
            command_of(&c),
            Ok(Command::ClearTheWay { duration_s: 30.0 })
        );
        c.duration_s = f64::INFINITY;
        assert!(command_of(&c).is_err());

        let mut c = init(CV2X_COMMAND_LEAD_PLATOON);
        assert!(command_of(&c).is_err(), "a leader names its platoon");
        c.present = CV2X_COMMAND_HAS_PLATOON;
        c.platoon = [9; 17];
        assert_eq!(
            command_of(&c),
            Ok(Command::LeadPlatoon {
                platoon: [9; 17],
                capacity: 8
            })
        );
        c.capacity = 33;
        assert!(command_of(&c).is_err());
        assert_eq!(cv2x_command_init(&mut c, 9), CV2X_ERR_INVALID_PARAMETER);
        c.kind = 0;
        assert!(command_of(&c).is_err());
    }
}
