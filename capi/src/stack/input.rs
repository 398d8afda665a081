//! The stack's inputs besides received messages: the ego's state (`cv2x_ego` →
//! `cv2x::host::VehicleState`) and the tracks of the ego's own sensors (`cv2x_track` →
//! `cv2x::fusion::Observation` of source kind Onboard).

use cv2x::fusion::{
    ObjectClass, ObjectSize, ObsCovariance, ObsMotion, ObsPosition, Observation, SourceId,
    SourceKind, SourceType,
};
use cv2x::host::{
    AccuracyEllipse, Brakes, ControlState, EmergencyState, Events, FixQuality, GnssFix, LightBar,
    Lights, Response, TransmissionState, VehicleClass, VehicleSize, VehicleState,
};
use cv2x::stack::DropReason;
use cv2x::time::Timestamp;

use super::cv2x_stack;
use crate::boundary::{deref, deref_mut, ffi, tri};
use crate::config_len;
use crate::result::*;

// ---------------------------------------------------------------------------------------------
// Ego

/// `cv2x_ego.present`: a position fix: `fix_time`, `lat_deg`, `lon_deg`, `fix_quality`
/// (clear it during a GNSS outage).
pub const CV2X_EGO_HAS_FIX: u64 = 1u64 << 0;
/// `cv2x_ego.present`: `heading_deg` is set.
pub const CV2X_EGO_HAS_HEADING: u64 = 1u64 << 1;
/// `cv2x_ego.present`: `speed_mps` is set.
pub const CV2X_EGO_HAS_SPEED: u64 = 1u64 << 2;
/// `cv2x_ego.present`: `elevation_m` is set (needs a fix).
pub const CV2X_EGO_HAS_ELEVATION: u64 = 1u64 << 3;
/// `cv2x_ego.present`: the GNSS error ellipse `semi_major_m`, `semi_minor_m`,
/// `orientation_deg` (one standard deviation) is set.
pub const CV2X_EGO_HAS_ACCURACY: u64 = 1u64 << 4;
/// `cv2x_ego.present`: `elevation_accuracy_m_95` is set.
pub const CV2X_EGO_HAS_ELEVATION_ACCURACY: u64 = 1u64 << 5;
/// `cv2x_ego.present`: `time_accuracy_s_95` is set.
pub const CV2X_EGO_HAS_TIME_ACCURACY: u64 = 1u64 << 6;
/// `cv2x_ego.present`: `yaw_rate_dps` is set.
pub const CV2X_EGO_HAS_YAW_RATE: u64 = 1u64 << 7;
/// `cv2x_ego.present`: `accel_long_mps2` is set.
pub const CV2X_EGO_HAS_ACCEL_LONG: u64 = 1u64 << 8;
/// `cv2x_ego.present`: `accel_lat_mps2` is set.
pub const CV2X_EGO_HAS_ACCEL_LAT: u64 = 1u64 << 9;
/// `cv2x_ego.present`: `accel_vert_mps2` is set.
pub const CV2X_EGO_HAS_ACCEL_VERT: u64 = 1u64 << 10;
/// `cv2x_ego.present`: `steering_wheel_angle_deg` is set.
pub const CV2X_EGO_HAS_STEERING: u64 = 1u64 << 11;
/// `cv2x_ego.present`: `speed_accuracy_mps_95` is set.
pub const CV2X_EGO_HAS_SPEED_ACCURACY: u64 = 1u64 << 12;
/// `cv2x_ego.present`: `heading_accuracy_deg_95` is set.
pub const CV2X_EGO_HAS_HEADING_ACCURACY: u64 = 1u64 << 13;
/// `cv2x_ego.present`: `transmission` is set.
pub const CV2X_EGO_HAS_TRANSMISSION: u64 = 1u64 << 14;
/// `cv2x_ego.present`: `lights` is set (the lights are known; 0 = all off).
pub const CV2X_EGO_HAS_LIGHTS: u64 = 1u64 << 15;
/// `cv2x_ego.present`: `brake_pedal` is set.
pub const CV2X_EGO_HAS_BRAKE_PEDAL: u64 = 1u64 << 16;
/// `cv2x_ego.present`: `wheel_brakes` is set.
pub const CV2X_EGO_HAS_WHEEL_BRAKES: u64 = 1u64 << 17;
/// `cv2x_ego.present`: `abs` is set.
pub const CV2X_EGO_HAS_ABS: u64 = 1u64 << 18;
/// `cv2x_ego.present`: `traction` is set.
pub const CV2X_EGO_HAS_TRACTION: u64 = 1u64 << 19;
/// `cv2x_ego.present`: `stability` is set.
pub const CV2X_EGO_HAS_STABILITY: u64 = 1u64 << 20;
/// `cv2x_ego.present`: `brake_boost` is set.
pub const CV2X_EGO_HAS_BRAKE_BOOST: u64 = 1u64 << 21;
/// `cv2x_ego.present`: `aux_brakes` is set.
pub const CV2X_EGO_HAS_AUX_BRAKES: u64 = 1u64 << 22;
/// `cv2x_ego.present`: `length_m` and `width_m` are set.
pub const CV2X_EGO_HAS_SIZE: u64 = 1u64 << 23;
/// `cv2x_ego.present`: `height_m` is set (with `CV2X_EGO_HAS_SIZE`).
pub const CV2X_EGO_HAS_HEIGHT: u64 = 1u64 << 24;
/// `cv2x_ego.present`: `vehicle_class` is set.
pub const CV2X_EGO_HAS_CLASS: u64 = 1u64 << 25;
/// `cv2x_ego.present`: `fuel_type` is set (with `CV2X_EGO_HAS_CLASS`).
pub const CV2X_EGO_HAS_FUEL_TYPE: u64 = 1u64 << 26;
/// `cv2x_ego.present`: the vehicle is a special (emergency, service) vehicle; its
/// `response`, `siren` and `light_bar` are given by the three bits below.
pub const CV2X_EGO_HAS_EMERGENCY: u64 = 1u64 << 27;
/// `cv2x_ego.present`: `response` is set (with `CV2X_EGO_HAS_EMERGENCY`).
pub const CV2X_EGO_HAS_RESPONSE: u64 = 1u64 << 28;
/// `cv2x_ego.present`: `siren` is set (with `CV2X_EGO_HAS_EMERGENCY`).
pub const CV2X_EGO_HAS_SIREN: u64 = 1u64 << 29;
/// `cv2x_ego.present`: `light_bar` is set (with `CV2X_EGO_HAS_EMERGENCY`).
pub const CV2X_EGO_HAS_LIGHT_BAR: u64 = 1u64 << 30;
const EGO_PRESENT: u64 = (1 << 31) - 1;

/// `cv2x_ego.fix_quality`: no fix (the position is not to be used).
pub const CV2X_FIX_NONE: u32 = 0;
/// `cv2x_ego.fix_quality`: two-dimensional fix.
pub const CV2X_FIX_2D: u32 = 1;
/// `cv2x_ego.fix_quality`: three-dimensional fix (`cv2x_ego_init`'s).
pub const CV2X_FIX_3D: u32 = 2;
/// `cv2x_ego.fix_quality`: differential corrections applied.
pub const CV2X_FIX_DIFFERENTIAL: u32 = 3;
/// `cv2x_ego.fix_quality`: RTK float.
pub const CV2X_FIX_RTK_FLOAT: u32 = 4;
/// `cv2x_ego.fix_quality`: RTK fixed.
pub const CV2X_FIX_RTK_FIXED: u32 = 5;
/// `cv2x_ego.fix_quality`: dead reckoning bridging an outage.
pub const CV2X_FIX_DEAD_RECKONING: u32 = 6;

/// `cv2x_ego.transmission` (the TransmissionState numbers): neutral.
pub const CV2X_GEAR_NEUTRAL: u32 = 0;
/// `cv2x_ego.transmission`: park.
pub const CV2X_GEAR_PARK: u32 = 1;
/// `cv2x_ego.transmission`: a forward gear.
pub const CV2X_GEAR_FORWARD: u32 = 2;
/// `cv2x_ego.transmission`: reverse.
pub const CV2X_GEAR_REVERSE: u32 = 3;

/// `cv2x_ego.abs`, `traction`, `stability` (the BrakeSystemStatus numbers): switched off.
pub const CV2X_CONTROL_OFF: u32 = 1;
/// Enabled, not acting.
pub const CV2X_CONTROL_ON: u32 = 2;
/// Acting.
pub const CV2X_CONTROL_ENGAGED: u32 = 3;

/// `cv2x_ego.wheel_brakes` (the BrakeAppliedStatus bits, as `cv2x_bsm.wheel_brakes`): left
/// front.
pub const CV2X_WHEEL_LEFT_FRONT: u32 = 1u32 << 1;
/// Left rear.
pub const CV2X_WHEEL_LEFT_REAR: u32 = 1u32 << 2;
/// Right front.
pub const CV2X_WHEEL_RIGHT_FRONT: u32 = 1u32 << 3;
/// Right rear.
pub const CV2X_WHEEL_RIGHT_REAR: u32 = 1u32 << 4;

/// `cv2x_ego.lights` (and `cv2x_bsm.lights`): `automaticLightControlOn`.
pub const CV2X_LIGHTS_AUTOMATIC: u32 = 1u32 << 5;
/// `daytimeRunningLightsOn`.
pub const CV2X_LIGHTS_DAYTIME_RUNNING: u32 = 1u32 << 6;
/// `fogLightOn`.
pub const CV2X_LIGHTS_FOG: u32 = 1u32 << 7;
/// `parkingLightsOn`.
pub const CV2X_LIGHTS_PARKING: u32 = 1u32 << 8;
const LIGHTS_ALL: u32 = (1 << 9) - 1;

/// `cv2x_ego.response` (the ResponseType numbers): emergency.
pub const CV2X_RESPONSE_EMERGENCY: u32 = 1;
/// Non-emergency.
pub const CV2X_RESPONSE_NON_EMERGENCY: u32 = 2;
/// Pursuit.
pub const CV2X_RESPONSE_PURSUIT: u32 = 3;
/// Stationary.
pub const CV2X_RESPONSE_STATIONARY: u32 = 4;
/// Slow moving.
pub const CV2X_RESPONSE_SLOW_MOVING: u32 = 5;
/// Stop and go.
pub const CV2X_RESPONSE_STOP_AND_GO: u32 = 6;

/// `cv2x_ego.light_bar` (the LightbarInUse numbers): not in use.
pub const CV2X_LIGHT_BAR_OFF: u32 = 1;
/// In use (emergency).
pub const CV2X_LIGHT_BAR_EMERGENCY: u32 = 2;
/// Yellow caution lights.
pub const CV2X_LIGHT_BAR_YELLOW_CAUTION: u32 = 3;
/// School bus lights.
pub const CV2X_LIGHT_BAR_SCHOOL_BUS: u32 = 4;
/// Arrow signs active.
pub const CV2X_LIGHT_BAR_ARROW_SIGNS: u32 = 5;
/// Slow moving vehicle.
pub const CV2X_LIGHT_BAR_SLOW_MOVING: u32 = 6;
/// Frequent stops.
pub const CV2X_LIGHT_BAR_FREQUENT_STOPS: u32 = 7;

/// The ego vehicle's state at one instant, SI units: what its positioning and ECUs know.
/// `cv2x_ego_init` fills `struct_size` and the mandatory part (time, position fix, heading,
/// speed); every other value counts only when its `CV2X_EGO_HAS_*` bit is set in `present`.
///
/// Conventions (those of T/CSAE 53, so the wire conversion is a scaling): heading 0 = true
/// north, clockwise, 0..360; yaw rate degrees/s, positive clockwise seen from above (a right
/// turn); SAE J670 axes (x forward, y right, z down): accelerations positive forward, to the
/// right and downward; steering wheel positive to the right; `*_95` accuracies at 95 %
/// confidence, the error ellipse at one standard deviation. Bad values (NaN, infinite, out of
/// range) are taken as not available by the transmit side and refused by fusion.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct cv2x_ego {
    /// `sizeof(cv2x_ego)` of the caller (`cv2x_ego_init` sets it).
    pub struct_size: u32,
    /// `CV2X_FIX_*`.
    pub fix_quality: u32,
    /// `CV2X_EGO_HAS_*` bits.
    pub present: u64,
    /// The instant the state describes, TAI µs since 2004; increasing from one state to the
    /// next.
    pub time: i64,
    /// Time of the position fix, TAI µs since 2004 (`cv2x_ego_init`: `time`).
    pub fix_time: i64,
    /// Latitude, degrees.
    pub lat_deg: f64,
    /// Longitude, degrees.
    pub lon_deg: f64,
    /// Elevation above the WGS-84 ellipsoid, m.
    pub elevation_m: f64,
    /// Heading, degrees, 0 = north, clockwise.
    pub heading_deg: f64,
    /// Speed over ground, m/s.
    pub speed_mps: f64,
    /// Yaw rate, degrees/s, clockwise positive.
    pub yaw_rate_dps: f64,
    /// Longitudinal acceleration, m/s², positive forward.
    pub accel_long_mps2: f64,
    /// Lateral acceleration, m/s², positive to the right.
    pub accel_lat_mps2: f64,
    /// Vertical acceleration, m/s², positive downward.
    pub accel_vert_mps2: f64,
    /// Steering wheel angle, degrees, positive to the right.
    pub steering_wheel_angle_deg: f64,
    /// Speed accuracy (95 %), m/s.
    pub speed_accuracy_mps_95: f64,
    /// Heading accuracy (95 %), degrees.
    pub heading_accuracy_deg_95: f64,
    /// GNSS error ellipse semi-major axis (1σ), m.
    pub semi_major_m: f64,
    /// GNSS error ellipse semi-minor axis (1σ), m.
    pub semi_minor_m: f64,
    /// Orientation of the semi-major axis, degrees clockwise from north.
    pub orientation_deg: f64,
    /// Elevation accuracy (95 %), m.
    pub elevation_accuracy_m_95: f64,
    /// Accuracy of the fix time (95 %), s.
    pub time_accuracy_s_95: f64,
    /// Length, m.
    pub length_m: f64,
    /// Width, m.
    pub width_m: f64,
    /// Height, m.
    pub height_m: f64,
    /// `CV2X_GEAR_*`.
    pub transmission: u32,
    /// Exterior lights on: `CV2X_LIGHTS_*` bits (the turn signals and hazard lights give the
    /// applications the ego's turn intention).
    pub lights: u32,
    /// Events the ECUs report: `CV2X_VEHICLE_EVENT_*` bits (the host vehicle adds those it
    /// derives).
    pub events: u32,
    /// Brake pedal pressed (1) or not (0).
    pub brake_pedal: u32,
    /// Wheel brakes applied: `CV2X_WHEEL_*` bits.
    pub wheel_brakes: u32,
    /// Anti-lock brakes, `CV2X_CONTROL_*`.
    pub abs: u32,
    /// Traction control, `CV2X_CONTROL_*`.
    pub traction: u32,
    /// Stability control, `CV2X_CONTROL_*`.
    pub stability: u32,
    /// Brake assist acting (1) or not (0).
    pub brake_boost: u32,
    /// Auxiliary brakes on (1) or off (0).
    pub aux_brakes: u32,
    /// BasicVehicleClass (0..255; 10 = passenger car).
    pub vehicle_class: u32,
    /// FuelType (0..15).
    pub fuel_type: u32,
    /// `CV2X_RESPONSE_*`.
    pub response: u32,
    /// Siren on (1) or off (0).
    pub siren: u32,
    /// `CV2X_LIGHT_BAR_*`.
    pub light_bar: u32,
    /// Room for later fields (0).
    pub reserved: u32,
}

/// Frozen size of the first version of `cv2x_ego`.
pub const CV2X_EGO_SIZE_V1: usize = 256;
const _: () = assert!(std::mem::size_of::<cv2x_ego>() == CV2X_EGO_SIZE_V1);

/// Fills `*out` with an ego state at `now`: a 3-D fix at `lat_deg`, `lon_deg` (degrees),
/// `heading_deg` (0 = north, clockwise) and `speed_mps`, nothing else known; `struct_size`
/// set. Add the optional values with their `CV2X_EGO_HAS_*` bits. Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_ego_init(
    out: *mut cv2x_ego,
    now: i64,
    lat_deg: f64,
    lon_deg: f64,
    heading_deg: f64,
    speed_mps: f64,
) -> cv2x_result {
    ffi!({
        *deref_mut!(out) = cv2x_ego {
            struct_size: CV2X_EGO_SIZE_V1 as u32,
            fix_quality: CV2X_FIX_3D,
            present: CV2X_EGO_HAS_FIX | CV2X_EGO_HAS_HEADING | CV2X_EGO_HAS_SPEED,
            time: now,
            fix_time: now,
            lat_deg,
            lon_deg,
            elevation_m: 0.0,
            heading_deg,
            speed_mps,
            yaw_rate_dps: 0.0,
            accel_long_mps2: 0.0,
            accel_lat_mps2: 0.0,
            accel_vert_mps2: 0.0,
            steering_wheel_angle_deg: 0.0,
            speed_accuracy_mps_95: 0.0,
            heading_accuracy_deg_95: 0.0,
            semi_major_m: 0.0,
            semi_minor_m: 0.0,
            orientation_deg: 0.0,
            elevation_accuracy_m_95: 0.0,
            time_accuracy_s_95: 0.0,
            length_m: 0.0,
            width_m: 0.0,
            height_m: 0.0,
            transmission: 0,
            lights: 0,
            events: 0,
            brake_pedal: 0,
            wheel_brakes: 0,
            abs: 0,
            traction: 0,
            stability: 0,
            brake_boost: 0,
            aux_brakes: 0,
            vehicle_class: 0,
            fuel_type: 0,
            response: 0,
            siren: 0,
            light_bar: 0,
            reserved: 0,
        };
        CV2X_OK
    })
}

fn flag(v: u32) -> Result<bool, cv2x_result> {
    match v {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(CV2X_ERR_INVALID_PARAMETER),
    }
}

fn control(v: u32) -> Result<ControlState, cv2x_result> {
    match v {
        CV2X_CONTROL_OFF => Ok(ControlState::Off),
        CV2X_CONTROL_ON => Ok(ControlState::On),
        CV2X_CONTROL_ENGAGED => Ok(ControlState::Engaged),
        _ => Err(CV2X_ERR_INVALID_PARAMETER),
    }
}

fn opt<T>(
    present: bool,
    f: impl FnOnce() -> Result<T, cv2x_result>,
) -> Result<Option<T>, cv2x_result> {
    if present { f().map(Some) } else { Ok(None) }
}

/// The core's state from a caller's `cv2x_ego` (enumerations checked; values passed on as
/// they are: the core judges them).
pub(crate) fn vehicle_state(p: *const cv2x_ego) -> Result<VehicleState, cv2x_result> {
    if p.is_null() {
        return Err(CV2X_ERR_NULL_POINTER);
    }
    // SAFETY: non-null; `struct_size` is the first field of every version.
    let size = unsafe { p.cast::<u32>().read_unaligned() };
    let n = config_len(size, CV2X_EGO_SIZE_V1, std::mem::size_of::<cv2x_ego>())?;
    let mut e = std::mem::MaybeUninit::<cv2x_ego>::zeroed();
    // SAFETY: the caller's struct has `size >= n` readable bytes; the rest of `e` is zero,
    // and every bit pattern is a valid value of a struct of integers and doubles.
    let e = unsafe {
        std::ptr::copy_nonoverlapping(p.cast::<u8>(), e.as_mut_ptr().cast::<u8>(), n);
        e.assume_init()
    };
    if e.present & !EGO_PRESENT != 0 {
        return Err(CV2X_ERR_INVALID_PARAMETER);
    }
    let has = |bit: u64| e.present & bit != 0;
    let bad = CV2X_ERR_INVALID_PARAMETER;
    let quality = match e.fix_quality {
        CV2X_FIX_NONE => FixQuality::NoFix,
        CV2X_FIX_2D => FixQuality::Fix2d,
        CV2X_FIX_3D => FixQuality::Fix3d,
        CV2X_FIX_DIFFERENTIAL => FixQuality::Differential,
        CV2X_FIX_RTK_FLOAT => FixQuality::RtkFloat,
        CV2X_FIX_RTK_FIXED => FixQuality::RtkFixed,
        CV2X_FIX_DEAD_RECKONING => FixQuality::DeadReckoning,
        _ => return Err(bad),
    };
    let gnss = has(CV2X_EGO_HAS_FIX).then(|| GnssFix {
        time: Timestamp::from_micros(e.fix_time),
        lat_deg: e.lat_deg,
        lon_deg: e.lon_deg,
        elevation_m: has(CV2X_EGO_HAS_ELEVATION).then_some(e.elevation_m),
        ellipse: has(CV2X_EGO_HAS_ACCURACY).then_some(AccuracyEllipse {
            semi_major_m: e.semi_major_m,
            semi_minor_m: e.semi_minor_m,
            orientation_deg: e.orientation_deg,
        }),
        elevation_accuracy_m_95: has(CV2X_EGO_HAS_ELEVATION_ACCURACY)
            .then_some(e.elevation_accuracy_m_95),
        time_accuracy_s_95: has(CV2X_EGO_HAS_TIME_ACCURACY).then_some(e.time_accuracy_s_95),
        quality,
    });
    let transmission = opt(has(CV2X_EGO_HAS_TRANSMISSION), || match e.transmission {
        CV2X_GEAR_NEUTRAL => Ok(TransmissionState::Neutral),
        CV2X_GEAR_PARK => Ok(TransmissionState::Park),
        CV2X_GEAR_FORWARD => Ok(TransmissionState::Forward),
        CV2X_GEAR_REVERSE => Ok(TransmissionState::Reverse),
        _ => Err(bad),
    })?;
    let lights = opt(has(CV2X_EGO_HAS_LIGHTS), || {
        if e.lights & !LIGHTS_ALL != 0 {
            return Err(bad);
        }
        u16::try_from(e.lights)
            .map(Lights::from_bits)
            .map_err(|_| bad)
    })?;
    let events = u16::try_from(e.events).map_err(|_| bad)?;
    if Events::from_bits(events).bits() != events {
        return Err(bad);
    }
    let wheel_bits = CV2X_WHEEL_LEFT_FRONT
        | CV2X_WHEEL_LEFT_REAR
        | CV2X_WHEEL_RIGHT_FRONT
        | CV2X_WHEEL_RIGHT_REAR;
    let brakes = Brakes {
        pedal: opt(has(CV2X_EGO_HAS_BRAKE_PEDAL), || flag(e.brake_pedal))?,
        wheels: opt(has(CV2X_EGO_HAS_WHEEL_BRAKES), || {
            if e.wheel_brakes & !wheel_bits != 0 {
                return Err(bad);
            }
            let w = |bit: u32| e.wheel_brakes & bit != 0;
            Ok([
                w(CV2X_WHEEL_LEFT_FRONT),
                w(CV2X_WHEEL_LEFT_REAR),
                w(CV2X_WHEEL_RIGHT_FRONT),
                w(CV2X_WHEEL_RIGHT_REAR),
            ])
        })?,
        abs: opt(has(CV2X_EGO_HAS_ABS), || control(e.abs))?,
        traction: opt(has(CV2X_EGO_HAS_TRACTION), || control(e.traction))?,
        stability: opt(has(CV2X_EGO_HAS_STABILITY), || control(e.stability))?,
        brake_boost: opt(has(CV2X_EGO_HAS_BRAKE_BOOST), || flag(e.brake_boost))?,
        aux_brakes: opt(has(CV2X_EGO_HAS_AUX_BRAKES), || flag(e.aux_brakes))?,
    };
    let size = has(CV2X_EGO_HAS_SIZE).then_some(VehicleSize {
        length_m: e.length_m,
        width_m: e.width_m,
        height_m: has(CV2X_EGO_HAS_HEIGHT).then_some(e.height_m),
    });
    let class = opt(has(CV2X_EGO_HAS_CLASS), || {
        Ok(VehicleClass {
            basic: u8::try_from(e.vehicle_class).map_err(|_| bad)?,
            fuel: opt(has(CV2X_EGO_HAS_FUEL_TYPE), || {
                u8::try_from(e.fuel_type).map_err(|_| bad)
            })?,
        })
    })?;
    let emergency = opt(has(CV2X_EGO_HAS_EMERGENCY), || {
        Ok(EmergencyState {
            response: opt(has(CV2X_EGO_HAS_RESPONSE), || match e.response {
                CV2X_RESPONSE_EMERGENCY => Ok(Response::Emergency),
                CV2X_RESPONSE_NON_EMERGENCY => Ok(Response::NonEmergency),
                CV2X_RESPONSE_PURSUIT => Ok(Response::Pursuit),
                CV2X_RESPONSE_STATIONARY => Ok(Response::Stationary),
                CV2X_RESPONSE_SLOW_MOVING => Ok(Response::SlowMoving),
                CV2X_RESPONSE_STOP_AND_GO => Ok(Response::StopAndGo),
                _ => Err(bad),
            })?,
            siren: opt(has(CV2X_EGO_HAS_SIREN), || flag(e.siren))?,
            light_bar: opt(has(CV2X_EGO_HAS_LIGHT_BAR), || match e.light_bar {
                CV2X_LIGHT_BAR_OFF => Ok(LightBar::Off),
                CV2X_LIGHT_BAR_EMERGENCY => Ok(LightBar::Emergency),
                CV2X_LIGHT_BAR_YELLOW_CAUTION => Ok(LightBar::YellowCaution),
                CV2X_LIGHT_BAR_SCHOOL_BUS => Ok(LightBar::SchoolBus),
                CV2X_LIGHT_BAR_ARROW_SIGNS => Ok(LightBar::ArrowSigns),
                CV2X_LIGHT_BAR_SLOW_MOVING => Ok(LightBar::SlowMovingVehicle),
                CV2X_LIGHT_BAR_FREQUENT_STOPS => Ok(LightBar::FrequentStops),
                _ => Err(bad),
            })?,
        })
    })?;
    Ok(VehicleState {
        time: Timestamp::from_micros(e.time),
        gnss,
        speed_mps: has(CV2X_EGO_HAS_SPEED).then_some(e.speed_mps),
        heading_deg: has(CV2X_EGO_HAS_HEADING).then_some(e.heading_deg),
        yaw_rate_dps: has(CV2X_EGO_HAS_YAW_RATE).then_some(e.yaw_rate_dps),
        accel_long_mps2: has(CV2X_EGO_HAS_ACCEL_LONG).then_some(e.accel_long_mps2),
        accel_lat_mps2: has(CV2X_EGO_HAS_ACCEL_LAT).then_some(e.accel_lat_mps2),
        accel_vert_mps2: has(CV2X_EGO_HAS_ACCEL_VERT).then_some(e.accel_vert_mps2),
        steering_wheel_angle_deg: has(CV2X_EGO_HAS_STEERING).then_some(e.steering_wheel_angle_deg),
        speed_accuracy_mps_95: has(CV2X_EGO_HAS_SPEED_ACCURACY).then_some(e.speed_accuracy_mps_95),
        heading_accuracy_deg_95: has(CV2X_EGO_HAS_HEADING_ACCURACY)
            .then_some(e.heading_accuracy_deg_95),
        transmission,
        brakes,
        lights,
        events: Events::from_bits(events),
        size,
        class,
        emergency,
    })
}

/// Sets the ego's state (from its positioning and ECUs, in time order). Fusion and the
/// applications take its position, heading, speed, yaw rate, acceleration, size and turn
/// signal; the host vehicle (when on the air, `cv2x_stack_set_host`) takes all of it.
/// `CV2X_ERR_EGO_REJECTED` when fusion and the applications cannot use it (no fix or heading,
/// a value out of range; a host vehicle still took it: a GNSS outage is reported so),
/// `CV2X_ERR_TIME_WENT_BACKWARDS` when its time is before the previous state's. Both are also
/// counted as drops. `CV2X_ERR_INVALID_PARAMETER` for an unknown enumeration value or
/// `present` bit (nothing is taken).
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_set_ego(s: *mut cv2x_stack, ego: *const cv2x_ego) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(s).inner.enter());
        let state = tri!(vehicle_state(ego));
        match g.stack.set_ego(&state) {
            Ok(()) => CV2X_OK,
            Err(DropReason::TimeWentBackwards) => CV2X_ERR_TIME_WENT_BACKWARDS,
            Err(_) => CV2X_ERR_EGO_REJECTED,
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Onboard tracks

/// `cv2x_track.position_kind`: `x_m` forward, `y_m` left of the ego's reference point at the
/// track's time, m.
pub const CV2X_POSITION_EGO: u32 = 0;
/// `cv2x_track.position_kind`: `lat_deg`, `lon_deg` (WGS-84).
pub const CV2X_POSITION_WGS84: u32 = 1;

/// `cv2x_track.motion_kind`: no motion reported.
pub const CV2X_MOTION_NONE: u32 = 0;
/// `cv2x_track.motion_kind`: `speed_mps` over ground and `heading_deg` (0 = north, clockwise).
pub const CV2X_MOTION_SPEED_HEADING: u32 = 1;
/// `cv2x_track.motion_kind`: velocity over ground in the ego frame: `vx_mps` forward,
/// `vy_mps` left.
pub const CV2X_MOTION_EGO_VELOCITY: u32 = 2;
/// `cv2x_track.motion_kind`: velocity relative to the moving ego (as radars measure it),
/// ego frame.
pub const CV2X_MOTION_EGO_RELATIVE_VELOCITY: u32 = 3;

/// `cv2x_track.present`: `vehicle_id` is set (links the object to its BSMs).
pub const CV2X_TRACK_HAS_VEHICLE_ID: u32 = 1u32 << 0;
/// `cv2x_track.present`: `yaw_rate_dps` is set.
pub const CV2X_TRACK_HAS_YAW_RATE: u32 = 1u32 << 1;
/// `cv2x_track.present`: `accel_mps2` is set.
pub const CV2X_TRACK_HAS_ACCEL: u32 = 1u32 << 2;
/// `cv2x_track.present`: `length_m`, `width_m`, `height_m` (0 = unknown) are set.
pub const CV2X_TRACK_HAS_SIZE: u32 = 1u32 << 3;
/// `cv2x_track.present`: `pos_var_x`, `pos_cov_xy`, `pos_var_y` are set (in the position's
/// frame: ego axes, or east / north).
pub const CV2X_TRACK_HAS_POSITION_COVARIANCE: u32 = 1u32 << 4;
/// `cv2x_track.present`: `vel_var_x`, `vel_cov_xy`, `vel_var_y` are set (velocity motions).
pub const CV2X_TRACK_HAS_VELOCITY_COVARIANCE: u32 = 1u32 << 5;
/// `cv2x_track.present`: `speed_sigma_mps` is set.
pub const CV2X_TRACK_HAS_SPEED_SIGMA: u32 = 1u32 << 6;
/// `cv2x_track.present`: `heading_sigma_deg` is set.
pub const CV2X_TRACK_HAS_HEADING_SIGMA: u32 = 1u32 << 7;
const TRACK_PRESENT: u32 = (1 << 8) - 1;

/// One object tracked by the ego's own sensors. `cv2x_track_init` fills `struct_size` and
/// zeroes the rest. In an array every element has the same `struct_size`. Without a
/// covariance the fusion core takes the default accuracy of the `source_type`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct cv2x_track {
    /// `sizeof(cv2x_track)` of the caller.
    pub struct_size: u32,
    /// `CV2X_TRACK_HAS_*` bits.
    pub present: u32,
    /// The sensor (or sensor fusion unit) number.
    pub sensor: u32,
    /// `CV2X_POSITION_*`.
    pub position_kind: u32,
    /// `CV2X_MOTION_*`.
    pub motion_kind: u32,
    /// ParticipantType: 0 unknown, 1 motor vehicle, 2 non-motor, 3 pedestrian, 4 RSU.
    pub object_class: u32,
    /// SourceType: 0 unknown, 3 video, 4 microwave radar, 6 lidar, 7 integrated (...).
    pub source_type: u32,
    /// Room (0).
    pub reserved0: u32,
    /// The object's id within the sensor (stable while the sensor tracks it).
    pub object_id: u64,
    /// When the object was at this position, TAI µs since 2004.
    pub time: i64,
    /// The vehicle's temporary id.
    pub vehicle_id: [u8; 8],
    /// Forward of the ego, m (`CV2X_POSITION_EGO`).
    pub x_m: f64,
    /// Left of the ego, m (`CV2X_POSITION_EGO`).
    pub y_m: f64,
    /// Latitude, degrees (`CV2X_POSITION_WGS84`).
    pub lat_deg: f64,
    /// Longitude, degrees (`CV2X_POSITION_WGS84`).
    pub lon_deg: f64,
    /// Speed over ground, m/s (`CV2X_MOTION_SPEED_HEADING`).
    pub speed_mps: f64,
    /// Heading, degrees, 0 = north, clockwise (`CV2X_MOTION_SPEED_HEADING`).
    pub heading_deg: f64,
    /// Velocity forward, m/s (ego velocity motions).
    pub vx_mps: f64,
    /// Velocity to the left, m/s (ego velocity motions).
    pub vy_mps: f64,
    /// Yaw rate, degrees/s, clockwise positive.
    pub yaw_rate_dps: f64,
    /// Longitudinal acceleration, m/s².
    pub accel_mps2: f64,
    /// Length, m.
    pub length_m: f64,
    /// Width, m.
    pub width_m: f64,
    /// Height, m (0 = unknown).
    pub height_m: f64,
    /// Position variance along x (forward or east), m².
    pub pos_var_x: f64,
    /// Position covariance, m².
    pub pos_cov_xy: f64,
    /// Position variance along y (left or north), m².
    pub pos_var_y: f64,
    /// Velocity variance along x, (m/s)².
    pub vel_var_x: f64,
    /// Velocity covariance, (m/s)².
    pub vel_cov_xy: f64,
    /// Velocity variance along y, (m/s)².
    pub vel_var_y: f64,
    /// Speed standard deviation, m/s.
    pub speed_sigma_mps: f64,
    /// Heading standard deviation, degrees.
    pub heading_sigma_deg: f64,
    /// Room for later fields (0).
    pub reserved: [u32; 4],
}

/// Frozen size of the first version of `cv2x_track`.
pub const CV2X_TRACK_SIZE_V1: usize = 240;
const _: () = assert!(std::mem::size_of::<cv2x_track>() == CV2X_TRACK_SIZE_V1);

/// Fills `*out` with an empty track (`struct_size` set, everything else 0: an ego-frame
/// position without motion of an unknown object). Thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_track_init(out: *mut cv2x_track) -> cv2x_result {
    ffi!({
        let out = deref_mut!(out);
        let mut t = zero_track();
        t.struct_size = CV2X_TRACK_SIZE_V1 as u32;
        *out = t;
        CV2X_OK
    })
}

fn zero_track() -> cv2x_track {
    let z = std::mem::MaybeUninit::<cv2x_track>::zeroed();
    // SAFETY: all-zero bytes are a valid struct of integers and doubles.
    unsafe { z.assume_init() }
}

/// The observation of one track.
fn observation(t: &cv2x_track) -> Result<Observation, cv2x_result> {
    let bad = CV2X_ERR_INVALID_PARAMETER;
    if t.present & !TRACK_PRESENT != 0 || t.object_class > 4 || t.source_type > 7 {
        return Err(bad);
    }
    let has = |bit: u32| t.present & bit != 0;
    let position = match t.position_kind {
        CV2X_POSITION_EGO => ObsPosition::Ego {
            x_m: t.x_m,
            y_m: t.y_m,
        },
        CV2X_POSITION_WGS84 => ObsPosition::Wgs84 {
            lat_deg: t.lat_deg,
            lon_deg: t.lon_deg,
        },
        _ => return Err(bad),
    };
    let motion = match t.motion_kind {
        CV2X_MOTION_NONE => ObsMotion::None,
        CV2X_MOTION_SPEED_HEADING => ObsMotion::SpeedHeading {
            speed_mps: t.speed_mps,
            heading_deg: t.heading_deg,
        },
        CV2X_MOTION_EGO_VELOCITY | CV2X_MOTION_EGO_RELATIVE_VELOCITY => ObsMotion::EgoVelocity {
            vx_mps: t.vx_mps,
            vy_mps: t.vy_mps,
            relative: t.motion_kind == CV2X_MOTION_EGO_RELATIVE_VELOCITY,
        },
        _ => return Err(bad),
    };
    let mut cov = ObsCovariance::default();
    if has(CV2X_TRACK_HAS_POSITION_COVARIANCE) {
        cov = cov.with_position_m2(t.pos_var_x, t.pos_cov_xy, t.pos_var_y);
    }
    if has(CV2X_TRACK_HAS_VELOCITY_COVARIANCE) {
        cov = cov.with_velocity_m2ps2(t.vel_var_x, t.vel_cov_xy, t.vel_var_y);
    }
    cov.speed_sigma_mps = has(CV2X_TRACK_HAS_SPEED_SIGMA).then_some(t.speed_sigma_mps);
    cov.heading_sigma_deg = has(CV2X_TRACK_HAS_HEADING_SIGMA).then_some(t.heading_sigma_deg);
    Ok(Observation {
        source: SourceId {
            kind: SourceKind::Onboard,
            station: u64::from(t.sensor),
        },
        object_id: t.object_id,
        vehicle_id: has(CV2X_TRACK_HAS_VEHICLE_ID).then_some(t.vehicle_id),
        source_type: SourceType::from_csae(t.source_type as u8),
        time: Timestamp::from_micros(t.time),
        position,
        motion,
        yaw_rate_rps: has(CV2X_TRACK_HAS_YAW_RATE).then(|| -t.yaw_rate_dps.to_radians()),
        accel_mps2: has(CV2X_TRACK_HAS_ACCEL).then_some(t.accel_mps2),
        size: has(CV2X_TRACK_HAS_SIZE).then_some(ObjectSize {
            length_m: t.length_m,
            width_m: t.width_m,
            height_m: t.height_m,
        }),
        class: ObjectClass::from_csae(t.object_class as u8),
        covariance: cov,
    })
}

/// Reads `n` tracks of the caller's array (stride: the first element's `struct_size`, which
/// every element must repeat).
fn read_tracks(tracks: *const cv2x_track, n: usize) -> Result<Vec<Observation>, cv2x_result> {
    if n == 0 {
        return Ok(Vec::new());
    }
    if tracks.is_null() {
        return Err(CV2X_ERR_NULL_POINTER);
    }
    // SAFETY: non-null; `struct_size` is the first field of every version.
    let stride = unsafe { tracks.cast::<u32>().read_unaligned() };
    let len = config_len(
        stride,
        CV2X_TRACK_SIZE_V1,
        std::mem::size_of::<cv2x_track>(),
    )?;
    if stride % 8 != 0 {
        return Err(CV2X_ERR_STRUCT_SIZE);
    }
    let mut out = Vec::with_capacity(n.min(4096));
    for i in 0..n {
        // SAFETY: the caller's array holds `n` elements of `stride` bytes.
        let p = unsafe { tracks.cast::<u8>().add(i * stride as usize) };
        // SAFETY: as above, `p` points to an element whose first field is `struct_size`.
        if unsafe { p.cast::<u32>().read_unaligned() } != stride {
            return Err(CV2X_ERR_STRUCT_SIZE);
        }
        let mut t = zero_track();
        // SAFETY: the element has `stride >= len` readable bytes; any bytes make a valid
        // struct of integers and doubles.
        unsafe { std::ptr::copy_nonoverlapping(p, (&raw mut t).cast::<u8>(), len) };
        out.push(observation(&t)?);
    }
    Ok(out)
}

/// Adds `n` tracks of the ego's own sensors at `now` (observations of source kind Onboard;
/// an ego-frame position is placed with the ego pose at the track's time, so give the ego's
/// states first). `*accepted` (may be NULL) gets how many the fusion core took; the others
/// are counted as drops (`CV2X_DROP_FUSION`). An unknown enumeration value or `present` bit in
/// any track is `CV2X_ERR_INVALID_PARAMETER` and nothing is taken.
#[unsafe(no_mangle)]
pub extern "C" fn cv2x_stack_add_onboard_tracks(
    s: *mut cv2x_stack,
    tracks: *const cv2x_track,
    n: usize,
    now: i64,
    accepted: *mut usize,
) -> cv2x_result {
    ffi!({
        let mut g = tri!(deref!(s).inner.enter());
        let obs = tri!(read_tracks(tracks, n));
        let k = g
            .stack
            .add_onboard_tracks(&obs, Timestamp::from_micros(now));
        if !accepted.is_null() {
            // SAFETY: non-null; the caller guarantees a writable size_t.
            unsafe { accepted.write(k) };
        }
        CV2X_OK
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ego_with_every_value_becomes_the_same_state() {
        let mut e = std::mem::MaybeUninit::<cv2x_ego>::zeroed();
        assert_eq!(
            cv2x_ego_init(e.as_mut_ptr(), 5, 31.2, 121.5, 90.0, 12.0),
            CV2X_OK
        );
        // SAFETY: initialised by cv2x_ego_init.
        let mut e = unsafe { e.assume_init() };
        e.present |= CV2X_EGO_HAS_YAW_RATE
            | CV2X_EGO_HAS_LIGHTS
            | CV2X_EGO_HAS_WHEEL_BRAKES
            | CV2X_EGO_HAS_ABS
            | CV2X_EGO_HAS_SIZE
            | CV2X_EGO_HAS_EMERGENCY
            | CV2X_EGO_HAS_LIGHT_BAR;
        e.yaw_rate_dps = -3.0;
        e.lights = crate::codec::CV2X_LIGHTS_LEFT_TURN_SIGNAL | CV2X_LIGHTS_FOG;
        e.wheel_brakes = CV2X_WHEEL_LEFT_REAR | CV2X_WHEEL_RIGHT_FRONT;
        e.abs = CV2X_CONTROL_ENGAGED;
        e.length_m = 4.5;
        e.width_m = 1.8;
        e.light_bar = CV2X_LIGHT_BAR_SCHOOL_BUS;
        e.events = crate::codec::CV2X_VEHICLE_EVENT_HARD_BRAKING;
        let s = vehicle_state(&e).unwrap();
        assert_eq!(s.gnss.unwrap().lat_deg, 31.2);
        assert_eq!((s.heading_deg, s.speed_mps), (Some(90.0), Some(12.0)));
        assert_eq!(s.yaw_rate_dps, Some(-3.0));
        assert_eq!(s.accel_long_mps2, None);
        assert!(s.lights.unwrap().contains(Lights::LEFT_TURN | Lights::FOG));
        assert_eq!(s.brakes.wheels, Some([false, true, true, false]));
        assert_eq!(s.brakes.abs, Some(ControlState::Engaged));
        assert_eq!(s.size.unwrap().height_m, None);
        assert_eq!(s.emergency.unwrap().light_bar, Some(LightBar::SchoolBus));
        assert!(s.events.contains(Events::HARD_BRAKING));
        assert_eq!(s.turn_signal(), cv2x::world::TurnSignal::Left);
        e.abs = 9;
        assert_eq!(vehicle_state(&e), Err(CV2X_ERR_INVALID_PARAMETER));
        e.abs = CV2X_CONTROL_OFF;
        e.present |= 1 << 40;
        assert_eq!(vehicle_state(&e), Err(CV2X_ERR_INVALID_PARAMETER));
        e.present &= !(1 << 40);
        e.struct_size = 16;
        assert_eq!(vehicle_state(&e), Err(CV2X_ERR_STRUCT_SIZE));
    }
}
