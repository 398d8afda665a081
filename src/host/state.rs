//! [`VehicleState`]: the one ego input — what the vehicle's ECUs know at one instant, in SI
//! units, every optional value an `Option` meaning "not available".
//!
//! # Conventions
//!
//! | quantity | unit and sign |
//! |---|---|
//! | time | [`Timestamp`]: TAI µs since 2004 (convert UTC with [`Timestamp::from_unix_utc_millis`]) |
//! | position | WGS-84 degrees, north and east positive; elevation in metres above the ellipsoid |
//! | heading | degrees, 0 = true north, clockwise, `0 ≤ h < 360` (360 is taken as 0) |
//! | speed | m/s over ground, ≥ 0 |
//! | vehicle axes | SAE J670: x forward, y right, z down |
//! | yaw rate | degrees/s, positive clockwise seen from above (a right turn) |
//! | accelerations | m/s², longitudinal positive forward, lateral positive to the right, vertical positive downward |
//! | steering wheel angle | degrees, positive turned to the right (clockwise) |
//! | accuracies | `*_95` values: the bound at 95 % confidence; the GNSS error ellipse is one standard deviation (as receivers give it) |
//!
//! These are the conventions of the T/CSAE 53 message set, so the wire conversion is a
//! scaling, never a change of sign.
//!
//! # Validation
//!
//! [`VehicleState::validate`] checks every value and returns the first problem as a typed
//! [`InputError`] naming the [`Field`]: NaN and infinite values ([`Problem::NonFinite`]) and
//! values outside the physical or wire range ([`Problem::OutOfRange`]). The host vehicle
//! ([`super::HostVehicle::update`]) instead drops each bad value to "not available" and
//! reports which ones in a [`FieldSet`], so one faulty sensor does not silence the vehicle;
//! only time going backwards rejects a whole sample.
use crate::fusion::EgoState;
use crate::time::Timestamp;
use crate::world::TurnSignal;

/// One sample of the host vehicle's state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VehicleState {
    /// The instant the sample describes; strictly increasing from one sample to the next.
    pub time: Timestamp,
    /// The GNSS (or GNSS/INS) fix; `None` during an outage.
    pub gnss: Option<GnssFix>,
    /// Speed over ground, m/s.
    pub speed_mps: Option<f64>,
    /// Heading of the vehicle's front, degrees, 0 = north, clockwise.
    pub heading_deg: Option<f64>,
    /// Yaw rate, degrees/s, positive clockwise seen from above.
    pub yaw_rate_dps: Option<f64>,
    /// Longitudinal acceleration, m/s², positive forward.
    pub accel_long_mps2: Option<f64>,
    /// Lateral acceleration, m/s², positive to the right.
    pub accel_lat_mps2: Option<f64>,
    /// Vertical acceleration, m/s², positive downward.
    pub accel_vert_mps2: Option<f64>,
    /// Steering wheel angle, degrees, positive turned to the right.
    pub steering_wheel_angle_deg: Option<f64>,
    /// Speed accuracy at 95 % confidence, m/s.
    pub speed_accuracy_mps_95: Option<f64>,
    /// Heading accuracy at 95 % confidence, degrees.
    pub heading_accuracy_deg_95: Option<f64>,
    /// Gear position.
    pub transmission: Option<TransmissionState>,
    /// Brake and driving-stability systems.
    pub brakes: Brakes,
    /// Exterior lights that are on; `None` when the lights are not known.
    pub lights: Option<Lights>,
    /// Events the ECUs report (the host vehicle adds those it derives, see
    /// [`super::HostConfig::derive_events`]).
    pub events: Events,
    /// Outer dimensions.
    pub size: Option<VehicleSize>,
    /// Classification.
    pub class: Option<VehicleClass>,
    /// Emergency or special-vehicle state; `Some` makes the vehicle a special vehicle on the
    /// air (its own BSM AIDs and the emergency extension).
    pub emergency: Option<EmergencyState>,
}

/// A position fix.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GnssFix {
    /// Time of the fix (its UTC time converted to [`Timestamp`]); the BSM's `secMark`.
    pub time: Timestamp,
    /// Latitude, degrees, −90..=90.
    pub lat_deg: f64,
    /// Longitude, degrees, −180..=180.
    pub lon_deg: f64,
    /// Elevation above the WGS-84 ellipsoid, m (−409.5..=6143.9).
    pub elevation_m: Option<f64>,
    /// Horizontal error ellipse, one standard deviation.
    pub ellipse: Option<AccuracyEllipse>,
    /// Elevation accuracy at 95 % confidence, m.
    pub elevation_accuracy_m_95: Option<f64>,
    /// Accuracy of the fix time at 95 % confidence, s.
    pub time_accuracy_s_95: Option<f64>,
    /// Fix quality.
    pub quality: FixQuality,
}

impl GnssFix {
    /// A fix of quality [`FixQuality::Fix3d`] with nothing but time and position.
    pub fn new(time: Timestamp, lat_deg: f64, lon_deg: f64) -> Self {
        GnssFix {
            time,
            lat_deg,
            lon_deg,
            elevation_m: None,
            ellipse: None,
            elevation_accuracy_m_95: None,
            time_accuracy_s_95: None,
            quality: FixQuality::Fix3d,
        }
    }
}

/// A horizontal error ellipse at one standard deviation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AccuracyEllipse {
    /// Semi-major axis, m.
    pub semi_major_m: f64,
    /// Semi-minor axis, m.
    pub semi_minor_m: f64,
    /// Orientation of the semi-major axis, degrees clockwise from true north (0..=360).
    pub orientation_deg: f64,
}

/// What the positioning system says of its fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FixQuality {
    /// No fix: the position is not to be used (an outage).
    NoFix,
    /// Two-dimensional fix.
    Fix2d,
    /// Three-dimensional fix.
    #[default]
    Fix3d,
    /// Differential (DGNSS, SBAS) corrections applied.
    Differential,
    /// RTK float solution.
    RtkFloat,
    /// RTK fixed solution.
    RtkFixed,
    /// Dead reckoning (INS) bridging a GNSS outage.
    DeadReckoning,
}

impl FixQuality {
    /// Whether the fix gives a usable position.
    pub const fn has_position(self) -> bool {
        !matches!(self, FixQuality::NoFix)
    }
}

/// Gear position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransmissionState {
    /// Neutral.
    Neutral,
    /// Park.
    Park,
    /// A forward gear.
    Forward,
    /// Reverse.
    Reverse,
}

/// State of a driver-assistance brake system (ABS, traction control, stability control).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ControlState {
    /// Switched off.
    Off,
    /// Enabled, not acting.
    On,
    /// Acting.
    Engaged,
}

/// Brake and stability systems; each `None` = not available.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Brakes {
    /// Brake pedal pressed.
    pub pedal: Option<bool>,
    /// Wheel brakes applied: left front, left rear, right front, right rear.
    pub wheels: Option<[bool; 4]>,
    /// Anti-lock brakes.
    pub abs: Option<ControlState>,
    /// Traction control.
    pub traction: Option<ControlState>,
    /// Stability control.
    pub stability: Option<ControlState>,
    /// Brake assist acting.
    pub brake_boost: Option<bool>,
    /// Auxiliary brakes (retarder, parking brake) on.
    pub aux_brakes: Option<bool>,
}

/// A set of named flags over a `u16`.
macro_rules! flag_set {
    ($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $flag:ident = $bit:expr, $text:literal;)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name(u16);

        impl $name {
            $($(#[$fdoc])* pub const $flag: $name = $name(1 << $bit);)*
            /// No flag set.
            pub const NONE: $name = $name(0);
            /// Every flag with its name (the drive-log spelling).
            pub const NAMES: &'static [(&'static str, $name)] = &[$(($text, $name::$flag)),*];

            /// The flags of a bit mask (bits past the last flag are dropped).
            pub const fn from_bits(bits: u16) -> Self {
                $name(bits & (0 $(| (1 << $bit))*))
            }

            /// The bit mask (bit `n` = the flag whose constant is `1 << n`).
            pub const fn bits(self) -> u16 {
                self.0
            }

            /// Whether every flag of `other` is set.
            pub const fn contains(self, other: $name) -> bool {
                self.0 & other.0 == other.0
            }

            /// Whether no flag is set.
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }

            /// Sets or clears the flags of `other`.
            pub fn set(&mut self, other: $name, on: bool) {
                if on {
                    self.0 |= other.0;
                } else {
                    self.0 &= !other.0;
                }
            }

            /// The flag of a name (see [`Self::NAMES`]).
            pub fn from_name(name: &str) -> Option<$name> {
                Self::NAMES.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
            }
        }

        impl core::ops::BitOr for $name {
            type Output = $name;
            fn bitor(self, rhs: $name) -> $name {
                $name(self.0 | rhs.0)
            }
        }
    };
}

flag_set!(
    /// Exterior lights that are on.
    Lights {
        /// Low beam.
        LOW_BEAM = 0, "low_beam";
        /// High beam.
        HIGH_BEAM = 1, "high_beam";
        /// Left turn signal.
        LEFT_TURN = 2, "left_turn";
        /// Right turn signal.
        RIGHT_TURN = 3, "right_turn";
        /// Hazard warning lights.
        HAZARD = 4, "hazard";
        /// Automatic light control.
        AUTOMATIC = 5, "automatic_light_control";
        /// Daytime running lights.
        DAYTIME_RUNNING = 6, "daytime_running";
        /// Fog lights.
        FOG = 7, "fog";
        /// Parking lights.
        PARKING = 8, "parking";
    }
);

flag_set!(
    /// Vehicle events (the T/CSAE 53 `VehicleEventFlags`).
    Events {
        /// Hazard lights on.
        HAZARD_LIGHTS = 0, "hazard_lights";
        /// Stop line violation ahead.
        STOP_LINE_VIOLATION = 1, "stop_line_violation";
        /// ABS activated.
        ABS_ACTIVATED = 2, "abs_activated";
        /// Traction control lost grip.
        TRACTION_CONTROL_LOSS = 3, "traction_control_loss";
        /// Stability control activated.
        STABILITY_CONTROL_ACTIVATED = 4, "stability_control_activated";
        /// Carrying hazardous materials.
        HAZARDOUS_MATERIALS = 5, "hazardous_materials";
        /// Hard braking.
        HARD_BRAKING = 7, "hard_braking";
        /// Lights changed.
        LIGHTS_CHANGED = 8, "lights_changed";
        /// Wipers changed.
        WIPERS_CHANGED = 9, "wipers_changed";
        /// Flat tyre.
        FLAT_TIRE = 10, "flat_tire";
        /// Disabled vehicle.
        DISABLED_VEHICLE = 11, "disabled_vehicle";
        /// Air bag deployed.
        AIRBAG_DEPLOYMENT = 12, "airbag_deployment";
    }
);

/// Outer dimensions, m.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VehicleSize {
    /// Length, 0 < l ≤ 40.95.
    pub length_m: f64,
    /// Width, 0 < w ≤ 10.23.
    pub width_m: f64,
    /// Height, 0 < h ≤ 6.35.
    pub height_m: Option<f64>,
}

/// Classification: the T/CSAE 53 `BasicVehicleClass` code and fuel type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VehicleClass {
    /// Basic class (10 = passenger car, 20 = light truck, 25 = truck, 40 = motorcycle,
    /// 50 = bus, 60 = emergency vehicle, …).
    pub basic: u8,
    /// Fuel type code, 0..=15 (0 unknown, 1 gasoline, 3 diesel, 4 electric, 5 hybrid, …).
    pub fuel: Option<u8>,
}

impl VehicleClass {
    /// A passenger car.
    pub const PASSENGER_CAR: VehicleClass = VehicleClass {
        basic: 10,
        fuel: None,
    };
}

/// What an emergency or special vehicle is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Response {
    /// On an emergency call.
    Emergency,
    /// Non-emergency service.
    NonEmergency,
    /// Pursuing another vehicle.
    Pursuit,
    /// Stopped at a scene.
    Stationary,
    /// Moving slowly, likely to pull over.
    SlowMoving,
    /// Stopping and starting repeatedly.
    StopAndGo,
}

/// Light bar of an emergency or special vehicle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LightBar {
    /// Off.
    Off,
    /// Emergency lights on.
    Emergency,
    /// Yellow caution lights.
    YellowCaution,
    /// School bus lights.
    SchoolBus,
    /// Arrow signs.
    ArrowSigns,
    /// Slow-moving vehicle lights.
    SlowMovingVehicle,
    /// Frequent stops.
    FrequentStops,
}

/// Emergency or special-vehicle state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct EmergencyState {
    /// Operation.
    pub response: Option<Response>,
    /// Siren on.
    pub siren: Option<bool>,
    /// Light bar.
    pub light_bar: Option<LightBar>,
}

/// A value of [`VehicleState`], named in errors and in [`FieldSet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
#[non_exhaustive]
pub enum Field {
    /// [`GnssFix::lat_deg`] (with the longitude: the position).
    Latitude,
    /// [`GnssFix::lon_deg`].
    Longitude,
    /// [`GnssFix::time`] (went backwards against the previous fix).
    FixTime,
    /// [`GnssFix::elevation_m`].
    Elevation,
    /// [`GnssFix::ellipse`].
    AccuracyEllipse,
    /// [`GnssFix::elevation_accuracy_m_95`].
    ElevationAccuracy,
    /// [`GnssFix::time_accuracy_s_95`].
    TimeAccuracy,
    /// [`VehicleState::speed_mps`].
    Speed,
    /// [`VehicleState::heading_deg`].
    Heading,
    /// [`VehicleState::yaw_rate_dps`].
    YawRate,
    /// [`VehicleState::accel_long_mps2`].
    AccelLong,
    /// [`VehicleState::accel_lat_mps2`].
    AccelLat,
    /// [`VehicleState::accel_vert_mps2`].
    AccelVert,
    /// [`VehicleState::steering_wheel_angle_deg`].
    SteeringWheelAngle,
    /// [`VehicleState::speed_accuracy_mps_95`].
    SpeedAccuracy,
    /// [`VehicleState::heading_accuracy_deg_95`].
    HeadingAccuracy,
    /// [`VehicleState::size`].
    Size,
    /// [`VehicleState::class`] (fuel type above 15).
    Class,
}

impl Field {
    /// Every field, in declaration order.
    pub const ALL: [Field; 18] = [
        Field::Latitude,
        Field::Longitude,
        Field::FixTime,
        Field::Elevation,
        Field::AccuracyEllipse,
        Field::ElevationAccuracy,
        Field::TimeAccuracy,
        Field::Speed,
        Field::Heading,
        Field::YawRate,
        Field::AccelLong,
        Field::AccelLat,
        Field::AccelVert,
        Field::SteeringWheelAngle,
        Field::SpeedAccuracy,
        Field::HeadingAccuracy,
        Field::Size,
        Field::Class,
    ];

    /// The snake_case name (as the drive log and error messages spell it).
    pub const fn name(self) -> &'static str {
        match self {
            Field::Latitude => "lat",
            Field::Longitude => "lon",
            Field::FixTime => "fix_time",
            Field::Elevation => "elev_m",
            Field::AccuracyEllipse => "accuracy_ellipse",
            Field::ElevationAccuracy => "elevation_accuracy_m_95",
            Field::TimeAccuracy => "time_accuracy_s_95",
            Field::Speed => "speed_mps",
            Field::Heading => "heading_deg",
            Field::YawRate => "yaw_rate_dps",
            Field::AccelLong => "accel_mps2",
            Field::AccelLat => "accel_lat_mps2",
            Field::AccelVert => "accel_vert_mps2",
            Field::SteeringWheelAngle => "steering_wheel_angle_deg",
            Field::SpeedAccuracy => "speed_accuracy_mps_95",
            Field::HeadingAccuracy => "heading_accuracy_deg_95",
            Field::Size => "size",
            Field::Class => "class",
        }
    }
}

impl core::fmt::Display for Field {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of [`Field`]s: those a sample had to drop to "not available".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct FieldSet(u32);

impl FieldSet {
    /// Whether `f` is in the set.
    pub const fn contains(self, f: Field) -> bool {
        self.0 & (1 << f as u8) != 0
    }

    /// Adds `f`.
    pub fn insert(&mut self, f: Field) {
        self.0 |= 1 << f as u8;
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The fields in the set.
    pub fn iter(self) -> impl Iterator<Item = Field> {
        Field::ALL.into_iter().filter(move |f| self.contains(*f))
    }
}

/// What is wrong with a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Problem {
    /// NaN or infinite.
    NonFinite,
    /// Outside the physical or wire range.
    OutOfRange,
}

/// Why a vehicle state (or one of its values) was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// A value is NaN, infinite or out of range.
    #[error("{field}: {}", match problem { Problem::NonFinite => "not a finite number", Problem::OutOfRange => "out of range" })]
    Invalid {
        /// Which value.
        field: Field,
        /// What is wrong with it.
        problem: Problem,
    },
    /// The sample is not later than the previous one.
    #[error("time went backwards: {given:?} is not after {previous:?}")]
    TimeNotIncreasing {
        /// Time of the previous accepted sample.
        previous: Timestamp,
        /// Time of this sample.
        given: Timestamp,
    },
}

/// Limits of the checks (beyond them a value is out of range).
const MAX_SPEED_MPS: f64 = 163.8;
const MAX_YAW_RATE_DPS: f64 = 327.67;
const MAX_ACCEL_MPS2: f64 = 100.0;
const MAX_STEERING_DEG: f64 = 1440.0;
const MIN_ELEVATION_M: f64 = -409.5;
const MAX_ELEVATION_M: f64 = 6143.9;

fn check(v: Option<f64>, lo: f64, hi: f64) -> Option<Problem> {
    match v {
        Some(x) if !x.is_finite() => Some(Problem::NonFinite),
        Some(x) if !(lo..=hi).contains(&x) => Some(Problem::OutOfRange),
        _ => None,
    }
}

fn worst(a: Option<Problem>, b: Option<Problem>) -> Option<Problem> {
    match (a, b) {
        (Some(Problem::NonFinite), _) | (_, Some(Problem::NonFinite)) => Some(Problem::NonFinite),
        (Some(p), _) | (_, Some(p)) => Some(p),
        _ => None,
    }
}

impl VehicleState {
    /// A state at `time` with nothing available.
    pub fn at(time: Timestamp) -> Self {
        VehicleState {
            time,
            ..VehicleState::default()
        }
    }

    /// A vehicle at (`lat_deg`, `lon_deg`) (a 3-D fix at `time`) heading `heading_deg` at
    /// `speed_mps`; everything else not available.
    pub fn new(
        time: Timestamp,
        lat_deg: f64,
        lon_deg: f64,
        heading_deg: f64,
        speed_mps: f64,
    ) -> Self {
        VehicleState {
            gnss: Some(GnssFix::new(time, lat_deg, lon_deg)),
            heading_deg: Some(heading_deg),
            speed_mps: Some(speed_mps),
            ..VehicleState::at(time)
        }
    }

    /// With a circular position accuracy of `position_sigma_m` (one standard deviation) and a
    /// heading accuracy of `heading_sigma_deg` (one standard deviation; kept as its 95 % bound).
    pub fn with_accuracy(mut self, position_sigma_m: f64, heading_sigma_deg: f64) -> Self {
        if let Some(fix) = self.gnss.as_mut() {
            fix.ellipse = Some(AccuracyEllipse {
                semi_major_m: position_sigma_m,
                semi_minor_m: position_sigma_m,
                orientation_deg: 0.0,
            });
        }
        self.heading_accuracy_deg_95 = Some(1.96 * heading_sigma_deg);
        self
    }

    /// Sets the turn indicators in [`VehicleState::lights`] (the other lights as they were).
    pub fn set_turn_signal(&mut self, signal: TurnSignal) {
        let mut l = self.lights.unwrap_or_default();
        l.set(
            Lights::LEFT_TURN | Lights::RIGHT_TURN | Lights::HAZARD,
            false,
        );
        match signal {
            TurnSignal::None => {}
            TurnSignal::Left => l.set(Lights::LEFT_TURN, true),
            TurnSignal::Right => l.set(Lights::RIGHT_TURN, true),
            TurnSignal::Hazard => l.set(Lights::HAZARD, true),
        }
        self.lights = Some(l);
    }

    /// Visits every value with its problem, in [`Field`] order.
    fn problems(&self, mut f: impl FnMut(Field, Problem)) {
        let mut report = |field: Field, p: Option<Problem>| {
            if let Some(p) = p {
                f(field, p);
            }
        };
        if let Some(g) = &self.gnss {
            report(Field::Latitude, check(Some(g.lat_deg), -90.0, 90.0));
            report(Field::Longitude, check(Some(g.lon_deg), -180.0, 180.0));
            report(
                Field::Elevation,
                check(g.elevation_m, MIN_ELEVATION_M, MAX_ELEVATION_M),
            );
            report(
                Field::AccuracyEllipse,
                g.ellipse.and_then(|e| {
                    let axes = worst(
                        check(Some(e.semi_major_m), 0.0, f64::MAX),
                        check(Some(e.semi_minor_m), 0.0, f64::MAX),
                    );
                    worst(axes, check(Some(e.orientation_deg), 0.0, 360.0))
                }),
            );
            report(
                Field::ElevationAccuracy,
                check(g.elevation_accuracy_m_95, 0.0, f64::MAX),
            );
            report(
                Field::TimeAccuracy,
                check(g.time_accuracy_s_95, 0.0, f64::MAX),
            );
        }
        report(Field::Speed, check(self.speed_mps, 0.0, MAX_SPEED_MPS));
        report(Field::Heading, check(self.heading_deg, 0.0, 360.0));
        report(
            Field::YawRate,
            check(self.yaw_rate_dps, -MAX_YAW_RATE_DPS, MAX_YAW_RATE_DPS),
        );
        for (field, v) in [
            (Field::AccelLong, self.accel_long_mps2),
            (Field::AccelLat, self.accel_lat_mps2),
            (Field::AccelVert, self.accel_vert_mps2),
        ] {
            report(field, check(v, -MAX_ACCEL_MPS2, MAX_ACCEL_MPS2));
        }
        report(
            Field::SteeringWheelAngle,
            check(
                self.steering_wheel_angle_deg,
                -MAX_STEERING_DEG,
                MAX_STEERING_DEG,
            ),
        );
        report(
            Field::SpeedAccuracy,
            check(self.speed_accuracy_mps_95, 0.0, f64::MAX),
        );
        report(
            Field::HeadingAccuracy,
            check(self.heading_accuracy_deg_95, 0.0, f64::MAX),
        );
        report(
            Field::Size,
            self.size.and_then(|s| {
                let lw = worst(
                    check(Some(s.length_m), f64::MIN_POSITIVE, 40.95),
                    check(Some(s.width_m), f64::MIN_POSITIVE, 10.23),
                );
                worst(lw, check(s.height_m, f64::MIN_POSITIVE, 6.35))
            }),
        );
        report(
            Field::Class,
            self.class
                .and_then(|c| c.fuel)
                .filter(|f| *f > 15)
                .map(|_| Problem::OutOfRange),
        );
    }

    /// Checks every value: the first NaN, infinite or out-of-range value as an error.
    pub fn validate(&self) -> Result<(), InputError> {
        let mut first = None;
        self.problems(|field, problem| {
            first.get_or_insert(InputError::Invalid { field, problem });
        });
        first.map_or(Ok(()), Err)
    }

    /// The state with every invalid value made "not available" (an invalid latitude or
    /// longitude drops the whole fix), and the set of fields dropped.
    pub fn sanitized(mut self) -> (VehicleState, FieldSet) {
        let mut bad = FieldSet::default();
        self.problems(|field, _| bad.insert(field));
        for field in bad.iter() {
            self.clear(field);
        }
        (self, bad)
    }

    /// Makes `field` "not available".
    pub(crate) fn clear(&mut self, field: Field) {
        match field {
            Field::Latitude | Field::Longitude | Field::FixTime => self.gnss = None,
            Field::Elevation => self.gnss.iter_mut().for_each(|g| g.elevation_m = None),
            Field::AccuracyEllipse => self.gnss.iter_mut().for_each(|g| g.ellipse = None),
            Field::ElevationAccuracy => self
                .gnss
                .iter_mut()
                .for_each(|g| g.elevation_accuracy_m_95 = None),
            Field::TimeAccuracy => self
                .gnss
                .iter_mut()
                .for_each(|g| g.time_accuracy_s_95 = None),
            Field::Speed => self.speed_mps = None,
            Field::Heading => self.heading_deg = None,
            Field::YawRate => self.yaw_rate_dps = None,
            Field::AccelLong => self.accel_long_mps2 = None,
            Field::AccelLat => self.accel_lat_mps2 = None,
            Field::AccelVert => self.accel_vert_mps2 = None,
            Field::SteeringWheelAngle => self.steering_wheel_angle_deg = None,
            Field::SpeedAccuracy => self.speed_accuracy_mps_95 = None,
            Field::HeadingAccuracy => self.heading_accuracy_deg_95 = None,
            Field::Size => self.size = None,
            Field::Class => self.class = None,
        }
    }

    /// The fix, when it gives a usable position.
    pub fn position_fix(&self) -> Option<&GnssFix> {
        self.gnss.as_ref().filter(|g| g.quality.has_position())
    }

    /// What the turn indicators show (hazard lights win over a turn signal).
    pub fn turn_signal(&self) -> TurnSignal {
        match self.lights {
            Some(l) if l.contains(Lights::HAZARD) => TurnSignal::Hazard,
            Some(l) if l.contains(Lights::LEFT_TURN | Lights::RIGHT_TURN) => TurnSignal::Hazard,
            Some(l) if l.contains(Lights::LEFT_TURN) => TurnSignal::Left,
            Some(l) if l.contains(Lights::RIGHT_TURN) => TurnSignal::Right,
            _ => TurnSignal::None,
        }
    }

    /// The state as the fusion core takes the ego: position, heading, speed, yaw rate
    /// (converted to radians/s counter-clockwise), accuracies (1σ from the ellipse and the
    /// 95 % heading bound; 1.5 m and 2° when not given) and size (4.8 m × 1.9 m when not
    /// given). `None` without a usable position or without heading.
    pub fn fusion_ego(&self, vehicle_id: Option<[u8; 8]>) -> Option<EgoState> {
        let fix = self.position_fix()?;
        let heading_deg = self.heading_deg?;
        let size = self.size;
        Some(EgoState {
            time: fix.time,
            lat_deg: fix.lat_deg,
            lon_deg: fix.lon_deg,
            alt_m: fix.elevation_m.unwrap_or(0.0),
            heading_deg: heading_deg % 360.0,
            speed_mps: self.speed_mps.unwrap_or(0.0),
            yaw_rate_rps: -self.yaw_rate_dps.unwrap_or(0.0).to_radians(),
            position_sigma_m: fix.ellipse.map_or(1.5, |e| e.semi_major_m.max(0.01)),
            heading_sigma_deg: self
                .heading_accuracy_deg_95
                .map_or(2.0, |h| (h / 1.96).max(0.01)),
            length_m: size.map_or(4.8, |s| s.length_m),
            width_m: size.map_or(1.9, |s| s.width_m),
            vehicle_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> VehicleState {
        VehicleState {
            gnss: Some(GnssFix::new(Timestamp::from_micros(1), 39.9, 116.4)),
            speed_mps: Some(10.0),
            heading_deg: Some(90.0),
            yaw_rate_dps: Some(5.0),
            ..VehicleState::at(Timestamp::from_micros(1))
        }
    }

    #[test]
    fn bad_values_are_named_errors_or_dropped_to_not_available() {
        assert_eq!(sample().validate(), Ok(()));
        let mut s = sample();
        s.speed_mps = Some(f64::NAN);
        s.heading_deg = Some(400.0);
        assert_eq!(
            s.validate(),
            Err(InputError::Invalid {
                field: Field::Speed,
                problem: Problem::NonFinite
            })
        );
        let (clean, dropped) = s.sanitized();
        assert_eq!(clean.speed_mps, None);
        assert_eq!(clean.heading_deg, None);
        assert_eq!(clean.yaw_rate_dps, Some(5.0));
        assert_eq!(
            dropped.iter().collect::<Vec<_>>(),
            [Field::Speed, Field::Heading]
        );
        // a bad coordinate drops the fix: an outage, not a wrong position
        let mut s = sample();
        if let Some(g) = s.gnss.as_mut() {
            g.lat_deg = f64::INFINITY;
        }
        let (clean, dropped) = s.sanitized();
        assert!(clean.gnss.is_none() && dropped.contains(Field::Latitude));
        let mut s = sample();
        s.size = Some(VehicleSize {
            length_m: 4.5,
            width_m: 0.0,
            height_m: None,
        });
        s.class = Some(VehicleClass {
            basic: 10,
            fuel: Some(16),
        });
        let (clean, dropped) = s.sanitized();
        assert!(clean.size.is_none() && clean.class.is_none());
        assert!(dropped.contains(Field::Size) && dropped.contains(Field::Class));
        assert_eq!(
            InputError::Invalid {
                field: Field::Heading,
                problem: Problem::OutOfRange
            }
            .to_string(),
            "heading_deg: out of range"
        );
    }

    #[test]
    fn flags_and_turn_signal() {
        let mut l = Lights::LEFT_TURN | Lights::LOW_BEAM;
        assert!(l.contains(Lights::LEFT_TURN) && !l.contains(Lights::HAZARD));
        let s = VehicleState {
            lights: Some(l),
            ..sample()
        };
        assert_eq!(s.turn_signal(), TurnSignal::Left);
        l.set(Lights::HAZARD, true);
        assert_eq!(
            VehicleState {
                lights: Some(l),
                ..sample()
            }
            .turn_signal(),
            TurnSignal::Hazard
        );
        assert_eq!(
            Events::from_name("hard_braking"),
            Some(Events::HARD_BRAKING)
        );
        assert_eq!(Events::from_name("hard braking"), None);
        assert_eq!(Events::from_bits(0xffff).bits(), 0x1fbf);
        assert_eq!(Lights::NAMES.len(), 9);
    }

    #[test]
    fn the_fusion_ego_converts_yaw_rate_to_counter_clockwise_radians() {
        let e = sample().fusion_ego(Some([1; 8])).unwrap();
        assert!((e.yaw_rate_rps + 5.0_f64.to_radians()).abs() < 1e-12);
        assert_eq!((e.lat_deg, e.heading_deg, e.speed_mps), (39.9, 90.0, 10.0));
        let outage = VehicleState {
            gnss: None,
            ..sample()
        };
        assert!(outage.fusion_ego(None).is_none());
        let mut no_fix = sample();
        if let Some(g) = no_fix.gnss.as_mut() {
            g.quality = FixQuality::NoFix;
        }
        assert!(no_fix.fusion_ego(None).is_none());
    }
}
