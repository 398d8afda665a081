//! Frames: WGS-84 geodetic ↔ ECEF ↔ local East-North-Up, and heading conventions.
//!
//! * [`Wgs84`]: latitude/longitude in degrees, ellipsoidal height in metres.
//! * ECEF: Earth-centred, Earth-fixed Cartesian metres (`Vector3<f64>`).
//! * [`EnuFrame`]: a local tangent plane anchored at a WGS-84 point, x east, y north, z up. A
//!   frame can be re-anchored as the ego moves; [`EnuFrame::transfer_point`] and
//!   [`EnuFrame::transfer_yaw_rad`] move states from the old frame to the new one.
//! * Headings: the CSAE convention is degrees, 0 = north, clockwise; ENU yaw is radians,
//!   0 = east, counter-clockwise ([`csae_heading_deg_to_enu_yaw_rad`]).

use nalgebra::{Matrix2, Matrix3, Vector3};
use thiserror::Error;

/// WGS-84 semi-major axis (m).
pub const WGS84_A_M: f64 = 6_378_137.0;
/// WGS-84 flattening.
pub const WGS84_F: f64 = 1.0 / 298.257_223_563;
/// WGS-84 first eccentricity squared.
pub const WGS84_E2: f64 = WGS84_F * (2.0 - WGS84_F);

/// Errors of the frame conversions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum GeoError {
    /// A coordinate is NaN or infinite.
    #[error("non-finite coordinate")]
    NonFinite,
    /// Latitude outside −90..=90°, longitude outside −180..=360° or height outside ±100 km.
    #[error("coordinate out of range")]
    OutOfRange,
}

pub(crate) use crate::math;

use math::{atan2, cos, floor, hypot, sin, sqrt};

/// A WGS-84 geodetic position.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Wgs84 {
    /// Latitude, degrees north.
    pub lat_deg: f64,
    /// Longitude, degrees east.
    pub lon_deg: f64,
    /// Height above the ellipsoid, metres.
    pub alt_m: f64,
}

impl Wgs84 {
    /// A position; see [`Wgs84::validate`].
    pub const fn new(lat_deg: f64, lon_deg: f64, alt_m: f64) -> Self {
        Wgs84 {
            lat_deg,
            lon_deg,
            alt_m,
        }
    }

    /// Checks that the coordinates are finite and in range.
    pub fn validate(&self) -> Result<(), GeoError> {
        if !(self.lat_deg.is_finite() && self.lon_deg.is_finite() && self.alt_m.is_finite()) {
            return Err(GeoError::NonFinite);
        }
        if !(-90.0..=90.0).contains(&self.lat_deg)
            || !(-180.0..=360.0).contains(&self.lon_deg)
            || !(-100_000.0..=100_000.0).contains(&self.alt_m)
        {
            return Err(GeoError::OutOfRange);
        }
        Ok(())
    }

    /// To ECEF metres.
    pub fn to_ecef(&self) -> Vector3<f64> {
        let lat = self.lat_deg.to_radians();
        let lon = self.lon_deg.to_radians();
        let (sl, cl) = (sin(lat), cos(lat));
        let n = WGS84_A_M / sqrt(1.0 - WGS84_E2 * sl * sl);
        Vector3::new(
            (n + self.alt_m) * cl * cos(lon),
            (n + self.alt_m) * cl * sin(lon),
            (n * (1.0 - WGS84_E2) + self.alt_m) * sl,
        )
    }

    /// From ECEF metres: Bowring's method, two steps on the parametric latitude (the first
    /// alone is within 0.1 mm for heights within ±10 km; the second brings the error to the
    /// rounding level for heights within ±100 km).
    pub fn from_ecef(p: &Vector3<f64>) -> Self {
        let b = WGS84_A_M * (1.0 - WGS84_F);
        // Second eccentricity squared.
        let ep2 = WGS84_E2 / (1.0 - WGS84_E2);
        let rho = hypot(p.x, p.y);
        let lon = atan2(p.y, p.x);
        // Parametric latitude: tan β = (1 − f) tan φ.
        let mut beta = atan2(p.z, (1.0 - WGS84_F) * rho);
        let mut lat = 0.0;
        for _ in 0..2 {
            let (sb, cb) = (sin(beta), cos(beta));
            // Clamped: within ~43 km of the Earth's centre the denominator turns negative.
            lat = atan2(
                p.z + ep2 * b * sb * sb * sb,
                rho - WGS84_E2 * WGS84_A_M * cb * cb * cb,
            )
            .clamp(-core::f64::consts::FRAC_PI_2, core::f64::consts::FRAC_PI_2);
            let (s, c) = (sin(lat), cos(lat));
            beta = atan2((1.0 - WGS84_F) * s, c);
        }
        let (s, c) = (sin(lat), cos(lat));
        let n = WGS84_A_M / sqrt(1.0 - WGS84_E2 * s * s);
        let alt = rho * c + p.z * s - WGS84_A_M * WGS84_A_M / n;
        Wgs84 {
            lat_deg: lat.to_degrees(),
            lon_deg: lon.to_degrees(),
            alt_m: alt,
        }
    }
}

/// Largest offset accepted by [`Wgs84::offset_enu`], m: beyond it a tangent-plane offset no
/// longer means anything useful.
pub const MAX_ENU_OFFSET_M: f64 = 1_000_000.0;

impl Wgs84 {
    /// The point `east_m`, `north_m`, `up_m` away from this one, the offset taken in the local
    /// East-North-Up plane at this point (exact on the ellipsoid, through ECEF). Message builders
    /// use it to place an RSM participant from `refPos`, or an object ahead of a vehicle.
    ///
    /// Errors: this point invalid ([`Wgs84::validate`]), an offset non-finite, or an offset
    /// component larger than [`MAX_ENU_OFFSET_M`] or a result out of range.
    pub fn offset_enu(&self, east_m: f64, north_m: f64, up_m: f64) -> Result<Wgs84, GeoError> {
        let frame = EnuFrame::new(*self)?;
        let d = Vector3::new(east_m, north_m, up_m);
        if !d.iter().all(|v| v.is_finite()) {
            return Err(GeoError::NonFinite);
        }
        if d.iter().any(|v| math::abs(*v) > MAX_ENU_OFFSET_M) {
            return Err(GeoError::OutOfRange);
        }
        let p = frame.wgs84_from_enu(&d);
        p.validate()?;
        Ok(p)
    }

    /// The ENU offset (east, north, up; m) of `other` in the tangent plane at this point: the
    /// inverse of [`Wgs84::offset_enu`].
    pub fn enu_offset_to(&self, other: &Wgs84) -> Result<Vector3<f64>, GeoError> {
        EnuFrame::new(*self)?.enu_from_wgs84(other)
    }
}

/// A local East-North-Up frame anchored at a WGS-84 point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EnuFrame {
    origin: Wgs84,
    origin_ecef: Vector3<f64>,
    /// Rotation ECEF → ENU (rows: east, north, up).
    r: Matrix3<f64>,
}

impl EnuFrame {
    /// A frame anchored at `origin`.
    pub fn new(origin: Wgs84) -> Result<Self, GeoError> {
        origin.validate()?;
        let lat = origin.lat_deg.to_radians();
        let lon = origin.lon_deg.to_radians();
        let (sp, cp) = (sin(lat), cos(lat));
        let (sl, cl) = (sin(lon), cos(lon));
        #[rustfmt::skip]
        let r = Matrix3::new(
            -sl, cl, 0.0,
            -sp * cl, -sp * sl, cp,
            cp * cl, cp * sl, sp,
        );
        Ok(EnuFrame {
            origin,
            origin_ecef: origin.to_ecef(),
            r,
        })
    }

    /// The anchor point.
    pub fn origin(&self) -> Wgs84 {
        self.origin
    }

    /// Re-anchors this frame at `origin` (the old frame is returned so states can be moved with
    /// [`EnuFrame::transfer_point`]).
    pub fn reanchor(&mut self, origin: Wgs84) -> Result<EnuFrame, GeoError> {
        let new = EnuFrame::new(origin)?;
        Ok(core::mem::replace(self, new))
    }

    /// ECEF → ENU.
    pub fn enu_from_ecef(&self, p: &Vector3<f64>) -> Vector3<f64> {
        self.r * (p - self.origin_ecef)
    }

    /// ENU → ECEF.
    pub fn ecef_from_enu(&self, p: &Vector3<f64>) -> Vector3<f64> {
        self.r.transpose() * p + self.origin_ecef
    }

    /// WGS-84 → ENU.
    pub fn enu_from_wgs84(&self, p: &Wgs84) -> Result<Vector3<f64>, GeoError> {
        p.validate()?;
        Ok(self.enu_from_ecef(&p.to_ecef()))
    }

    /// ENU → WGS-84.
    pub fn wgs84_from_enu(&self, p: &Vector3<f64>) -> Wgs84 {
        Wgs84::from_ecef(&self.ecef_from_enu(p))
    }

    /// A point given in this frame, expressed in frame `to`.
    pub fn transfer_point(&self, to: &EnuFrame, p: &Vector3<f64>) -> Vector3<f64> {
        to.enu_from_ecef(&self.ecef_from_enu(p))
    }

    /// The rotation of horizontal vectors from this frame to frame `to` (the east axes of two
    /// tangent planes differ by the meridian convergence, about Δlon·sin(lat)).
    pub fn horizontal_rotation_to(&self, to: &EnuFrame) -> Matrix2<f64> {
        let m = to.r * self.r.transpose();
        let yaw = atan2(m[(1, 0)], m[(0, 0)]);
        let (s, c) = (sin(yaw), cos(yaw));
        Matrix2::new(c, -s, s, c)
    }

    /// A yaw angle (ENU, radians) in this frame, expressed in frame `to`.
    pub fn transfer_yaw_rad(&self, to: &EnuFrame, yaw_rad: f64) -> f64 {
        let m = to.r * self.r.transpose();
        wrap_angle_rad(yaw_rad + atan2(m[(1, 0)], m[(0, 0)]))
    }
}

/// Wraps an angle to (−π, π].
pub fn wrap_angle_rad(a: f64) -> f64 {
    use core::f64::consts::{PI, TAU};
    if !a.is_finite() {
        return a;
    }
    let mut x = a - TAU * floor((a + PI) / TAU);
    if x <= -PI {
        x += TAU;
    }
    if x > PI {
        x -= TAU;
    }
    x
}

/// Wraps an angle in degrees to (−180, 180].
pub fn wrap_deg(a: f64) -> f64 {
    if !a.is_finite() {
        return a;
    }
    let w = a - 360.0 * floor((a + 180.0) / 360.0);
    if w <= -180.0 { w + 360.0 } else { w }
}

/// CSAE heading (degrees, 0 = north, clockwise) → ENU yaw (radians, 0 = east,
/// counter-clockwise), wrapped to (−π, π].
pub fn csae_heading_deg_to_enu_yaw_rad(heading_deg: f64) -> f64 {
    wrap_angle_rad((90.0 - heading_deg).to_radians())
}

/// ENU yaw (radians, 0 = east, counter-clockwise) → CSAE heading (degrees, 0 = north,
/// clockwise) in [0, 360).
pub fn enu_yaw_rad_to_csae_heading_deg(yaw_rad: f64) -> f64 {
    let h = 90.0 - yaw_rad.to_degrees();
    let h = h - 360.0 * floor(h / 360.0);
    if h >= 360.0 { h - 360.0 } else { h }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::f64::consts::{FRAC_PI_2, PI};

    #[test]
    fn degrees_wrap_to_a_half_open_turn() {
        assert_eq!(wrap_deg(190.0), -170.0);
        assert_eq!(wrap_deg(-180.0), 180.0);
        assert_eq!(wrap_deg(180.0), 180.0);
        assert_eq!(wrap_deg(360.0), 0.0);
        assert_eq!(wrap_deg(-190.0), 170.0);
        assert!(wrap_deg(f64::NAN).is_nan());
    }

    #[test]
    fn ecef_round_trip_and_known_point() {
        let p = Wgs84::new(0.0, 0.0, 0.0).to_ecef();
        assert!((p.x - WGS84_A_M).abs() < 1e-6 && p.y.abs() < 1e-6 && p.z.abs() < 1e-6);
        let pole = Wgs84::new(90.0, 0.0, 0.0).to_ecef();
        let b = WGS84_A_M * (1.0 - WGS84_F);
        assert!((pole.z - b).abs() < 1e-6);
        for w in [
            Wgs84::new(39.9, 116.4, 50.0),
            Wgs84::new(-33.8, -70.6, 600.0),
            Wgs84::new(89.9, 10.0, -20.0),
            Wgs84::new(31.2, 121.5, 8000.0),
            Wgs84::new(0.0, -179.9, 0.0),
            Wgs84::new(45.0, 7.0, 100_000.0),
            Wgs84::new(-60.0, 30.0, -100_000.0),
            Wgs84::new(90.0, 0.0, 10.0),
            Wgs84::new(-89.999, 0.0, 10.0),
        ] {
            let back = Wgs84::from_ecef(&w.to_ecef());
            // 1e-10° is about 11 µm.
            assert!((back.lat_deg - w.lat_deg).abs() < 1e-10, "{w:?} {back:?}");
            assert!((back.lon_deg - w.lon_deg).abs() < 1e-10, "{w:?} {back:?}");
            assert!((back.alt_m - w.alt_m).abs() < 1e-5, "{w:?} {back:?}");
        }
        // The Earth's centre gives a valid latitude.
        assert!(Wgs84::from_ecef(&Vector3::zeros()).lat_deg.abs() <= 90.0);
    }

    #[test]
    fn enu_axes_point_east_and_north() {
        let o = Wgs84::new(39.9, 116.4, 40.0);
        let f = EnuFrame::new(o).unwrap();
        // 0.001° north ≈ 111.0 m (meridian radius of curvature M ≈ 6 362.5 km at 39.9° N);
        // 0.001° east ≈ 85.52 m (N cos φ with N ≈ 6 386.9 km).
        let n = f.enu_from_wgs84(&Wgs84::new(39.901, 116.4, 40.0)).unwrap();
        assert!(n.x.abs() < 1e-3 && (n.y - 111.04).abs() < 0.1, "{n:?}");
        let e = f.enu_from_wgs84(&Wgs84::new(39.9, 116.401, 40.0)).unwrap();
        assert!(e.y.abs() < 0.01 && (e.x - 85.52).abs() < 0.02, "{e:?}");
        let back = f.wgs84_from_enu(&Vector3::new(123.0, -456.0, 0.5));
        let again = f.enu_from_wgs84(&back).unwrap();
        assert!((again - Vector3::new(123.0, -456.0, 0.5)).norm() < 1e-6);
        assert_eq!(
            f.enu_from_wgs84(&Wgs84::new(f64::NAN, 0.0, 0.0)),
            Err(GeoError::NonFinite)
        );
        assert_eq!(
            EnuFrame::new(Wgs84::new(91.0, 0.0, 0.0)),
            Err(GeoError::OutOfRange)
        );
    }

    #[test]
    fn reanchor_moves_points_and_headings() {
        let mut f = EnuFrame::new(Wgs84::new(39.9, 116.4, 0.0)).unwrap();
        let target = Wgs84::new(39.93, 116.46, 0.0);
        let p_old = f.enu_from_wgs84(&target).unwrap();
        let old = f.reanchor(Wgs84::new(39.92, 116.45, 0.0)).unwrap();
        let p_new = old.transfer_point(&f, &p_old);
        assert!((p_new - f.enu_from_wgs84(&target).unwrap()).norm() < 1e-6);
        // A northward heading in the old frame turns clockwise by the meridian convergence
        // (0.05° · sin 39.9° ≈ 0.032°) in a frame farther east.
        let yaw = old.transfer_yaw_rad(&f, FRAC_PI_2);
        let conv = (yaw - FRAC_PI_2).to_degrees();
        assert!(
            (conv + 0.05 * 39.91f64.to_radians().sin()).abs() < 2e-3,
            "{conv}"
        );
        let r = old.horizontal_rotation_to(&f);
        assert!((r * r.transpose() - Matrix2::identity()).norm() < 1e-12);
    }

    #[test]
    fn offset_by_enu_metres_and_back() {
        let base = Wgs84::new(39.9, 116.4, 50.0);
        // 111.0 km per degree of latitude near 40°; a degree of longitude is N·cos(lat)·π/180.
        let n = base.offset_enu(0.0, 100.0, 0.0).unwrap();
        assert!(
            (n.lat_deg - base.lat_deg - 100.0 / 111_034.0).abs() < 1e-6,
            "{n:?}"
        );
        assert!((n.lon_deg - base.lon_deg).abs() < 1e-12);
        let e = base.offset_enu(100.0, 0.0, 0.0).unwrap();
        let lat = 39.9f64.to_radians();
        let n_radius = WGS84_A_M / (1.0 - WGS84_E2 * lat.sin() * lat.sin()).sqrt();
        let per_deg_lon = (n_radius + 50.0) * lat.cos() * PI / 180.0;
        assert!(
            (e.lon_deg - base.lon_deg - 100.0 / per_deg_lon).abs() < 1e-8,
            "{e:?}"
        );
        for (x, y, z) in [(12.3, -45.6, 0.0), (-800.0, 350.0, 2.5), (0.0, 0.0, 0.0)] {
            let p = base.offset_enu(x, y, z).unwrap();
            let back = base.enu_offset_to(&p).unwrap();
            assert!((back - Vector3::new(x, y, z)).norm() < 1e-6, "{back}");
        }
        assert_eq!(
            base.offset_enu(f64::NAN, 0.0, 0.0),
            Err(GeoError::NonFinite)
        );
        assert_eq!(base.offset_enu(2e6, 0.0, 0.0), Err(GeoError::OutOfRange));
        assert_eq!(
            Wgs84::new(91.0, 0.0, 0.0).offset_enu(1.0, 0.0, 0.0),
            Err(GeoError::OutOfRange)
        );
    }

    #[test]
    fn heading_conventions() {
        assert!((csae_heading_deg_to_enu_yaw_rad(0.0) - FRAC_PI_2).abs() < 1e-12);
        assert!((csae_heading_deg_to_enu_yaw_rad(90.0)).abs() < 1e-12);
        assert!((csae_heading_deg_to_enu_yaw_rad(180.0) + FRAC_PI_2).abs() < 1e-12);
        assert!((csae_heading_deg_to_enu_yaw_rad(270.0) - PI).abs() < 1e-12);
        for h in [0.0, 1.0, 89.5, 180.0, 271.25, 359.9] {
            let back = enu_yaw_rad_to_csae_heading_deg(csae_heading_deg_to_enu_yaw_rad(h));
            assert!((back - h).abs() < 1e-9, "{h} {back}");
        }
        assert!((wrap_angle_rad(3.0 * PI) - PI).abs() < 1e-12);
        assert!((wrap_angle_rad(-3.5 * PI) - 0.5 * PI).abs() < 1e-12);
    }
}
