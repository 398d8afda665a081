//! Observations: what a source reports about one object, independent of the message codec.
//!
//! An [`Observation`] is filled by a thin adapter from an RSM participant, an SSM detected
//! object, a remote BSM, or given directly for an onboard sensor track. CSAE confidence enums
//! become standard deviations with [`PositionConfidence::sigma_m`] and friends; when a source
//! gives no confidence, [`default_noise`] supplies one per source kind and CSAE `SourceType`.

use nalgebra::Matrix2;

use crate::time::Timestamp;

/// Which kind of channel an observation came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SourceKind {
    /// A roadside unit's RSM (roadside safety message) participant.
    Rsm,
    /// A sensor-sharing message (SSM, T/CSAE 157) detected object.
    Ssm,
    /// Another vehicle's own BSM.
    Bsm,
    /// One of the ego vehicle's own sensors (track list given through the API).
    Onboard,
}

impl SourceKind {
    /// Whether the data came over the air (RSM, SSM, BSM).
    pub const fn is_v2x(self) -> bool {
        !matches!(self, SourceKind::Onboard)
    }
}

/// One source: the channel and the sender (RSU id, vehicle id, or onboard sensor number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceId {
    /// Channel.
    pub kind: SourceKind,
    /// Sender identity within the channel (e.g. the RSU or vehicle id as an integer, or the
    /// onboard sensor index). For BSMs every remote vehicle is its own sender; use 0.
    pub station: u64,
}

/// CSAE `SourceType`: how the reporting source perceived the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum SourceType {
    /// unknown (0).
    #[default]
    Unknown,
    /// selfinfo (1): the object reports itself (BSM).
    SelfInfo,
    /// v2x (2): relayed from a V2X message.
    V2x,
    /// video (3).
    Video,
    /// microwaveRadar (4).
    MicrowaveRadar,
    /// loop (5): induction loop.
    Loop,
    /// lidar (6).
    Lidar,
    /// integrated (7): fused by the source.
    Integrated,
}

impl SourceType {
    /// From the CSAE enumeration value (unknown values map to [`SourceType::Unknown`]).
    pub const fn from_csae(v: u8) -> Self {
        match v {
            1 => SourceType::SelfInfo,
            2 => SourceType::V2x,
            3 => SourceType::Video,
            4 => SourceType::MicrowaveRadar,
            5 => SourceType::Loop,
            6 => SourceType::Lidar,
            7 => SourceType::Integrated,
            _ => SourceType::Unknown,
        }
    }

    /// The CSAE enumeration value.
    pub const fn to_csae(self) -> u8 {
        self as u8
    }
}

/// Object class, following CSAE `ParticipantType` (with finer vehicle classes left to `size`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum ObjectClass {
    /// unknown (0).
    #[default]
    Unknown,
    /// motor (1): motor vehicle.
    Motor,
    /// non-motor (2): cyclist, tricycle, scooter.
    NonMotor,
    /// pedestrian (3).
    Pedestrian,
    /// rsu (4): the roadside unit itself.
    Rsu,
}

impl ObjectClass {
    /// From the CSAE `ParticipantType` value.
    pub const fn from_csae(v: u8) -> Self {
        match v {
            1 => ObjectClass::Motor,
            2 => ObjectClass::NonMotor,
            3 => ObjectClass::Pedestrian,
            4 => ObjectClass::Rsu,
            _ => ObjectClass::Unknown,
        }
    }

    /// The CSAE `ParticipantType` value.
    pub const fn to_csae(self) -> u8 {
        self as u8
    }

    /// Whether an object of class `self` may be the same object as one of class `other`
    /// (unknown matches anything; cyclists and pedestrians are confused by perception often
    /// enough to be allowed together).
    pub const fn compatible(self, other: ObjectClass) -> bool {
        use ObjectClass::*;
        matches!(
            (self, other),
            (Unknown, _)
                | (_, Unknown)
                | (Motor, Motor)
                | (NonMotor, NonMotor)
                | (Pedestrian, Pedestrian)
                | (NonMotor, Pedestrian)
                | (Pedestrian, NonMotor)
                | (Rsu, Rsu)
        )
    }

    /// Whether the class is tracked with the constant-turn-rate model (vehicles).
    pub const fn uses_ctrv(self) -> bool {
        matches!(self, ObjectClass::Motor)
    }
}

/// CSAE `PositionConfidence`: the horizontal position accuracy at 95 % confidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PositionConfidence {
    /// unavailable (0).
    Unavailable,
    /// a500m (1).
    A500m,
    /// a200m (2).
    A200m,
    /// a100m (3).
    A100m,
    /// a50m (4).
    A50m,
    /// a20m (5).
    A20m,
    /// a10m (6).
    A10m,
    /// a5m (7).
    A5m,
    /// a2m (8).
    A2m,
    /// a1m (9).
    A1m,
    /// a50cm (10).
    A50cm,
    /// a20cm (11).
    A20cm,
    /// a10cm (12).
    A10cm,
    /// a5cm (13).
    A5cm,
    /// a2cm (14).
    A2cm,
    /// a1cm (15).
    A1cm,
}

/// √χ²₂(0.95): a 95 % circle radius over this is the per-axis standard deviation.
const K95_2D: f64 = 2.447_746_830_680_816;
/// z(0.975): a 95 % two-sided interval half-width over this is the standard deviation.
const K95_1D: f64 = 1.959_963_984_540_054;

impl PositionConfidence {
    /// From the CSAE value; `None` outside 0..=15.
    pub const fn from_csae(v: u8) -> Option<Self> {
        use PositionConfidence::*;
        Some(match v {
            0 => Unavailable,
            1 => A500m,
            2 => A200m,
            3 => A100m,
            4 => A50m,
            5 => A20m,
            6 => A10m,
            7 => A5m,
            8 => A2m,
            9 => A1m,
            10 => A50cm,
            11 => A20cm,
            12 => A10cm,
            13 => A5cm,
            14 => A2cm,
            15 => A1cm,
            _ => return None,
        })
    }

    /// The 95 % accuracy radius in metres (`None` when unavailable).
    pub const fn radius95_m(self) -> Option<f64> {
        use PositionConfidence::*;
        Some(match self {
            Unavailable => return None,
            A500m => 500.0,
            A200m => 200.0,
            A100m => 100.0,
            A50m => 50.0,
            A20m => 20.0,
            A10m => 10.0,
            A5m => 5.0,
            A2m => 2.0,
            A1m => 1.0,
            A50cm => 0.5,
            A20cm => 0.2,
            A10cm => 0.1,
            A5cm => 0.05,
            A2cm => 0.02,
            A1cm => 0.01,
        })
    }

    /// Per-axis standard deviation (m) of an isotropic Gaussian whose 95 % circle has the
    /// stated radius: radius / √χ²₂(0.95) = radius / 2.448.
    pub fn sigma_m(self) -> Option<f64> {
        self.radius95_m().map(|r| r / K95_2D)
    }
}

/// CSAE `SpeedConfidence`: speed accuracy at 95 % confidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SpeedConfidence {
    /// unavailable (0).
    Unavailable,
    /// prec100ms (1): 100 m/s.
    Prec100ms,
    /// prec10ms (2): 10 m/s.
    Prec10ms,
    /// prec5ms (3): 5 m/s.
    Prec5ms,
    /// prec1ms (4): 1 m/s.
    Prec1ms,
    /// prec0-1ms (5): 0.1 m/s.
    Prec01ms,
    /// prec0-05ms (6): 0.05 m/s.
    Prec005ms,
    /// prec0-01ms (7): 0.01 m/s.
    Prec001ms,
}

impl SpeedConfidence {
    /// From the CSAE value; `None` outside 0..=7.
    pub const fn from_csae(v: u8) -> Option<Self> {
        use SpeedConfidence::*;
        Some(match v {
            0 => Unavailable,
            1 => Prec100ms,
            2 => Prec10ms,
            3 => Prec5ms,
            4 => Prec1ms,
            5 => Prec01ms,
            6 => Prec005ms,
            7 => Prec001ms,
            _ => return None,
        })
    }

    /// Standard deviation in m/s (the 95 % half-width / 1.96); `None` when unavailable.
    pub fn sigma_mps(self) -> Option<f64> {
        use SpeedConfidence::*;
        let p = match self {
            Unavailable => return None,
            Prec100ms => 100.0,
            Prec10ms => 10.0,
            Prec5ms => 5.0,
            Prec1ms => 1.0,
            Prec01ms => 0.1,
            Prec005ms => 0.05,
            Prec001ms => 0.01,
        };
        Some(p / K95_1D)
    }
}

/// CSAE `HeadingConfidence`: heading accuracy at 95 % confidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HeadingConfidence {
    /// unavailable (0).
    Unavailable,
    /// prec10deg (1).
    Prec10deg,
    /// prec05deg (2).
    Prec05deg,
    /// prec01deg (3).
    Prec01deg,
    /// prec0-1deg (4).
    Prec01Deg,
    /// prec0-05deg (5).
    Prec005deg,
    /// prec0-01deg (6).
    Prec001deg,
    /// prec0-0125deg (7).
    Prec00125deg,
}

impl HeadingConfidence {
    /// From the CSAE value; `None` outside 0..=7.
    pub const fn from_csae(v: u8) -> Option<Self> {
        use HeadingConfidence::*;
        Some(match v {
            0 => Unavailable,
            1 => Prec10deg,
            2 => Prec05deg,
            3 => Prec01deg,
            4 => Prec01Deg,
            5 => Prec005deg,
            6 => Prec001deg,
            7 => Prec00125deg,
            _ => return None,
        })
    }

    /// Standard deviation in degrees (the 95 % half-width / 1.96); `None` when unavailable.
    pub fn sigma_deg(self) -> Option<f64> {
        use HeadingConfidence::*;
        let p = match self {
            Unavailable => return None,
            Prec10deg => 10.0,
            Prec05deg => 5.0,
            Prec01deg => 1.0,
            Prec01Deg => 0.1,
            Prec005deg => 0.05,
            Prec001deg => 0.01,
            Prec00125deg => 0.0125,
        };
        Some(p / K95_1D)
    }
}

/// Where the object is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ObsPosition {
    /// In the tracker's ENU frame, metres.
    Enu {
        /// East, m.
        x_m: f64,
        /// North, m.
        y_m: f64,
    },
    /// WGS-84 (an RSM adapter adds the participant's offset to `refPos`).
    Wgs84 {
        /// Latitude, degrees.
        lat_deg: f64,
        /// Longitude, degrees.
        lon_deg: f64,
    },
    /// In the ego vehicle frame at the observation time (x forward, y left), metres. Brought to
    /// ENU with the ego pose interpolated at the observation time.
    Ego {
        /// Forward, m.
        x_m: f64,
        /// Left, m.
        y_m: f64,
    },
}

/// How the object moves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ObsMotion {
    /// Not reported.
    None,
    /// Speed over ground and CSAE heading (0 = north, clockwise).
    SpeedHeading {
        /// Speed, m/s (≥ 0).
        speed_mps: f64,
        /// Heading, degrees, CSAE convention.
        heading_deg: f64,
    },
    /// Velocity over ground in the ENU frame.
    EnuVelocity {
        /// East, m/s.
        vx_mps: f64,
        /// North, m/s.
        vy_mps: f64,
    },
    /// Velocity in the ego frame (x forward, y left). `relative`: measured relative to the moving
    /// ego (as radars report); the ego's velocity and turn are then added.
    EgoVelocity {
        /// Forward, m/s.
        vx_mps: f64,
        /// Left, m/s.
        vy_mps: f64,
        /// Relative to the ego rather than over ground.
        relative: bool,
    },
}

/// Object dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ObjectSize {
    /// Length, m.
    pub length_m: f64,
    /// Width, m.
    pub width_m: f64,
    /// Height, m (0 when unknown).
    pub height_m: f64,
}

/// Uncertainty reported with an observation. Absent parts fall back to [`default_noise`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ObsCovariance {
    /// Horizontal position covariance, m², in the frame of the position (ENU for `Enu`/`Wgs84`:
    /// east/north; ego axes for `Ego`).
    pub position_m2: Option<Matrix2<f64>>,
    /// Velocity covariance (m/s)² for velocity motions, in the frame of the velocity.
    pub velocity_m2ps2: Option<Matrix2<f64>>,
    /// Speed standard deviation, m/s (for `SpeedHeading`).
    pub speed_sigma_mps: Option<f64>,
    /// Heading standard deviation, degrees (for `SpeedHeading`).
    pub heading_sigma_deg: Option<f64>,
}

impl ObsCovariance {
    /// Sets the position covariance from its components (m²): east/x variance, covariance,
    /// north/y variance.
    pub fn with_position_m2(mut self, var_x: f64, cov_xy: f64, var_y: f64) -> Self {
        self.position_m2 = Some(Matrix2::new(var_x, cov_xy, cov_xy, var_y));
        self
    }

    /// Sets the velocity covariance from its components ((m/s)²).
    pub fn with_velocity_m2ps2(mut self, var_x: f64, cov_xy: f64, var_y: f64) -> Self {
        self.velocity_m2ps2 = Some(Matrix2::new(var_x, cov_xy, cov_xy, var_y));
        self
    }

    /// Covariance from CSAE confidence enums (as carried by RSM `posConfidence` and
    /// `motionCfd`).
    pub fn from_csae(
        pos: PositionConfidence,
        speed: Option<SpeedConfidence>,
        heading: Option<HeadingConfidence>,
    ) -> Self {
        ObsCovariance {
            position_m2: pos.sigma_m().map(|s| Matrix2::identity() * (s * s)),
            velocity_m2ps2: None,
            speed_sigma_mps: speed.and_then(SpeedConfidence::sigma_mps),
            heading_sigma_deg: heading.and_then(HeadingConfidence::sigma_deg),
        }
    }
}

/// One report about one object from one source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    /// The source (channel + sender).
    pub source: SourceId,
    /// The object's id within that source (RSM `ptcId`, SSM object id, onboard track id; for a
    /// BSM the vehicle id as an integer).
    pub object_id: u64,
    /// The vehicle's temporary id when known (BSM `id`, RSM participant `id`): links the same
    /// vehicle across sources, and identifies the ego's own reports.
    pub vehicle_id: Option<[u8; 8]>,
    /// How the source perceived the object (CSAE `SourceType`).
    pub source_type: SourceType,
    /// When the object was at `position` (already resolved from secMark etc.).
    pub time: Timestamp,
    /// Position.
    pub position: ObsPosition,
    /// Motion.
    pub motion: ObsMotion,
    /// Yaw rate, rad/s, counter-clockwise positive (ENU sense).
    pub yaw_rate_rps: Option<f64>,
    /// Longitudinal acceleration, m/s².
    pub accel_mps2: Option<f64>,
    /// Size.
    pub size: Option<ObjectSize>,
    /// Class.
    pub class: ObjectClass,
    /// Reported uncertainty.
    pub covariance: ObsCovariance,
}

/// Standard deviations used when a source gives no confidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DefaultNoise {
    /// Position, per axis, m.
    pub position_sigma_m: f64,
    /// Speed / velocity per axis, m/s.
    pub speed_sigma_mps: f64,
    /// Heading, degrees.
    pub heading_sigma_deg: f64,
}

/// Default noise per source kind and `SourceType` (used when an observation carries no
/// confidence): GNSS-grade for BSMs (about 1.5 m), roadside lidar/radar/video at their typical
/// accuracies, onboard sensors sharper at short range.
pub fn default_noise(kind: SourceKind, source_type: SourceType) -> DefaultNoise {
    let (p, s, h) = match (kind, source_type) {
        (SourceKind::Bsm, _) => (1.5, 0.5, 3.0),
        (SourceKind::Onboard, SourceType::Lidar) => (0.2, 0.3, 3.0),
        (SourceKind::Onboard, SourceType::MicrowaveRadar) => (0.4, 0.2, 5.0),
        (SourceKind::Onboard, SourceType::Video) => (0.8, 0.8, 8.0),
        (SourceKind::Onboard, _) => (0.5, 0.5, 5.0),
        (_, SourceType::Lidar) => (0.5, 0.5, 5.0),
        (_, SourceType::MicrowaveRadar) => (1.0, 0.5, 8.0),
        (_, SourceType::Video) => (1.5, 1.0, 10.0),
        (_, SourceType::Loop) => (3.0, 2.0, 20.0),
        (_, SourceType::Integrated) => (0.8, 0.5, 5.0),
        (_, SourceType::V2x | SourceType::SelfInfo) => (1.5, 0.5, 3.0),
        (_, SourceType::Unknown) => (2.0, 1.0, 10.0),
    };
    DefaultNoise {
        position_sigma_m: p,
        speed_sigma_mps: s,
        heading_sigma_deg: h,
    }
}

/// Standard deviation (m/s²) of a reported longitudinal acceleration: a vehicle's own inertial
/// sensor in a BSM (about 0.3 m/s²), an onboard tracker's estimate, or a roadside estimate
/// differentiated from its detections.
pub fn default_accel_sigma_mps2(kind: SourceKind) -> f64 {
    match kind {
        SourceKind::Bsm => 0.3,
        SourceKind::Onboard => 0.5,
        SourceKind::Rsm | SourceKind::Ssm => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidence_tables_are_monotonic_and_scaled() {
        let mut last = f64::INFINITY;
        for v in 1..=15u8 {
            let s = PositionConfidence::from_csae(v).unwrap().sigma_m().unwrap();
            assert!(s < last, "{v}");
            last = s;
        }
        assert!(
            (PositionConfidence::A1m.sigma_m().unwrap() - 0.4085).abs() < 1e-3,
            "1 m at 95 % in 2-D is σ ≈ 0.41 m"
        );
        assert_eq!(PositionConfidence::Unavailable.sigma_m(), None);
        assert_eq!(PositionConfidence::from_csae(16), None);
        assert!((SpeedConfidence::Prec1ms.sigma_mps().unwrap() - 0.5102).abs() < 1e-3);
        assert!((HeadingConfidence::Prec05deg.sigma_deg().unwrap() - 2.551).abs() < 1e-3);
        assert_eq!(HeadingConfidence::from_csae(8), None);
        assert_eq!(SpeedConfidence::from_csae(0).unwrap().sigma_mps(), None);
    }

    #[test]
    fn class_compatibility() {
        assert!(ObjectClass::Unknown.compatible(ObjectClass::Motor));
        assert!(ObjectClass::NonMotor.compatible(ObjectClass::Pedestrian));
        assert!(!ObjectClass::Motor.compatible(ObjectClass::Pedestrian));
        assert!(!ObjectClass::Rsu.compatible(ObjectClass::Motor));
        for v in 0..=4u8 {
            assert_eq!(ObjectClass::from_csae(v).to_csae(), v);
        }
        for v in 0..=7u8 {
            assert_eq!(SourceType::from_csae(v).to_csae(), v);
        }
    }
}
