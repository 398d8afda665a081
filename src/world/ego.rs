//! The ego as the applications see it: its state dead-reckoned to the evaluation time, in the
//! stack's ENU frame.
use crate::time::Timestamp;

/// What a vehicle's turn indicators show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum TurnSignal {
    /// Neither side (or not known).
    #[default]
    None,
    /// Left.
    Left,
    /// Right.
    Right,
    /// Both sides: hazard lights (no turn intention).
    Hazard,
}

/// The ego as the applications see it, in the stack's ENU frame.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[non_exhaustive]
pub struct Ego {
    /// Time of the state.
    pub time: Timestamp,
    /// ENU position of the vehicle's reference point (centre), m.
    pub position_enu: [f64; 2],
    /// Speed, m/s.
    pub speed_mps: f64,
    /// Heading, degrees, CSAE convention (0 = north, clockwise).
    pub heading_deg: f64,
    /// Longitudinal acceleration, m/s².
    pub accel_mps2: f64,
    /// Yaw rate, degrees/s, clockwise positive (CSAE sense).
    pub yaw_rate_dps: f64,
    /// Length, m.
    pub length_m: f64,
    /// Width, m.
    pub width_m: f64,
    /// Turn signal.
    pub turn_signal: TurnSignal,
    /// An emergency vehicle on a call: an emergency-vehicle class (60..=69) or any vehicle
    /// with an emergency state, with its siren or emergency light bar on (the priority
    /// applications ask to clear the way and for signal priority).
    pub emergency: bool,
    /// A transit vehicle (a bus, vehicle class 50..=59): it may ask for signal priority.
    pub transit: bool,
}

impl Ego {
    /// An ego at `position_enu` with `heading_deg` and `speed_mps` at `time`, a passenger car
    /// (4.8 m × 1.9 m) driving straight at constant speed without turn signal.
    pub fn new(time: Timestamp, position_enu: [f64; 2], heading_deg: f64, speed_mps: f64) -> Ego {
        Ego {
            time,
            position_enu,
            speed_mps,
            heading_deg,
            accel_mps2: 0.0,
            yaw_rate_dps: 0.0,
            length_m: 4.8,
            width_m: 1.9,
            turn_signal: TurnSignal::None,
            emergency: false,
            transit: false,
        }
    }
}
