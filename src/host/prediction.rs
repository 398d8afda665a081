//! Path prediction: the radius of the path ahead from yaw rate and speed, with a confidence
//! from how steady the turn is.
//!
//! Following SAE J2945/1-2020 Annex A (Table A2 parameters):
//! - curvature κ = ω / v (1/m; ω the yaw rate in rad/s, clockwise positive, so κ > 0 bends to
//!   the right as `RadiusOfCurvature` wants), low-pass filtered by a critically damped
//!   second-order filter with a 0.33 Hz cut-off ([`PredictionConfig::curvature_cutoff_hz`]);
//! - below 1 m/s ([`PredictionConfig::min_speed_mps`]) the curvature is not updated (κ = ω / v
//!   is meaningless near standstill) and the prediction says "straight" with no confidence;
//! - a radius beyond 2500 m ([`PredictionConfig::max_radius_m`]) is sent as straight (32767).
//!
//! The confidence is this crate's own rule: the yaw acceleration |dω/dt| is low-pass filtered
//! the same way with a 1 Hz cut-off ([`PredictionConfig::confidence_cutoff_hz`]); 100 % up to
//! [`PredictionConfig::steady_yaw_accel_dps2`], falling linearly to 0 % at
//! [`PredictionConfig::unsteady_yaw_accel_dps2`]. A steady curve or a straight road gives
//! full confidence; entering or leaving a curve, or weaving, lowers it.
//!
//! The filters are discretised exactly for each sample's own time step (two cascaded first-order
//! sections with time constant 1/(2π f_c)), so irregular sample times need no resampling.
use nalgebra::ComplexField;

use crate::math::abs;
use crate::time::Timestamp;

/// Parameters of the path prediction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PredictionConfig {
    /// Cut-off of the curvature filter, Hz (J2945/1: 0.33).
    pub curvature_cutoff_hz: f64,
    /// Cut-off of the yaw-acceleration filter behind the confidence, Hz (J2945/1: 1).
    pub confidence_cutoff_hz: f64,
    /// Below this speed the prediction is "straight, no confidence", m/s (J2945/1: 1).
    pub min_speed_mps: f64,
    /// A larger radius is sent as straight, m (J2945/1: 2500).
    pub max_radius_m: f64,
    /// Filtered yaw acceleration up to which the confidence is 100 %, degrees/s².
    pub steady_yaw_accel_dps2: f64,
    /// Filtered yaw acceleration from which the confidence is 0 %, degrees/s².
    pub unsteady_yaw_accel_dps2: f64,
}

impl Default for PredictionConfig {
    fn default() -> Self {
        PredictionConfig {
            curvature_cutoff_hz: 0.33,
            confidence_cutoff_hz: 1.0,
            min_speed_mps: 1.0,
            max_radius_m: 2500.0,
            steady_yaw_accel_dps2: 0.5,
            unsteady_yaw_accel_dps2: 5.0,
        }
    }
}

/// The predicted path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prediction {
    /// Radius, m, positive when the path bends to the right; `None` = straight.
    pub radius_m: Option<f64>,
    /// Confidence, 0..=1.
    pub confidence: f64,
}

/// A critically damped second-order low-pass filter: two first-order sections in cascade.
#[derive(Debug, Clone, Copy, Default)]
struct LowPass2 {
    state: Option<(f64, f64)>,
}

impl LowPass2 {
    fn step(&mut self, x: f64, dt_s: f64, cutoff_hz: f64) -> f64 {
        let (a, b) = match self.state {
            None => (x, x),
            Some((a, b)) => {
                let tau = 1.0 / (2.0 * core::f64::consts::PI * cutoff_hz);
                let k = 1.0 - ComplexField::exp(-dt_s / tau);
                let a = a + k * (x - a);
                (a, b + k * (a - b))
            }
        };
        self.state = Some((a, b));
        b
    }
}

/// Filters yaw rate and speed into a [`Prediction`].
#[derive(Debug, Clone, Default)]
pub struct PathPredictor {
    config: PredictionConfig,
    curvature: LowPass2,
    yaw_accel: LowPass2,
    last: Option<(Timestamp, f64)>,
    slow: bool,
}

impl PathPredictor {
    /// A predictor with no history.
    pub fn new(config: PredictionConfig) -> Self {
        PathPredictor {
            config,
            ..PathPredictor::default()
        }
    }

    /// Takes a sample: speed (m/s) and yaw rate (degrees/s, clockwise positive) at `time`.
    /// Samples must come in time order; an earlier or equal one is ignored.
    pub fn push(&mut self, time: Timestamp, speed_mps: f64, yaw_rate_dps: f64) {
        if !(speed_mps.is_finite() && yaw_rate_dps.is_finite()) {
            return;
        }
        let dt = match self.last {
            Some((t, _)) if time <= t => return,
            Some((t, _)) => time.seconds_since(t),
            None => 0.0,
        };
        let yaw_accel = match self.last {
            Some((_, w)) if dt > 0.0 => abs(yaw_rate_dps - w) / dt,
            _ => 0.0,
        };
        self.last = Some((time, yaw_rate_dps));
        self.yaw_accel
            .step(yaw_accel, dt, self.config.confidence_cutoff_hz);
        self.slow = speed_mps < self.config.min_speed_mps;
        if !self.slow {
            let kappa = yaw_rate_dps.to_radians() / speed_mps;
            self.curvature
                .step(kappa, dt, self.config.curvature_cutoff_hz);
        }
    }

    /// Time of the newest sample taken.
    pub fn last_time(&self) -> Option<Timestamp> {
        self.last.map(|(t, _)| t)
    }

    /// Forgets the history (the filters start again from the next sample).
    pub fn clear(&mut self) {
        *self = PathPredictor::new(self.config);
    }

    /// The prediction after the samples so far; `None` before the first sample.
    pub fn prediction(&self) -> Option<Prediction> {
        self.last?;
        if self.slow {
            return Some(Prediction {
                radius_m: None,
                confidence: 0.0,
            });
        }
        let kappa = self.curvature.state.map_or(0.0, |(_, b)| b);
        let radius_m = (abs(kappa) * self.config.max_radius_m > 1.0).then(|| 1.0 / kappa);
        let a = self.yaw_accel.state.map_or(0.0, |(_, b)| b);
        let (lo, hi) = (
            self.config.steady_yaw_accel_dps2,
            self.config.unsteady_yaw_accel_dps2,
        );
        let confidence = if a <= lo {
            1.0
        } else if a >= hi || hi <= lo {
            0.0
        } else {
            (hi - a) / (hi - lo)
        };
        Some(Prediction {
            radius_m,
            confidence,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: f64) -> Timestamp {
        Timestamp::from_micros((s * 1e6) as i64)
    }

    #[test]
    fn a_steady_curve_converges_to_its_radius_with_full_confidence() {
        let mut p = PathPredictor::new(PredictionConfig::default());
        assert_eq!(p.prediction(), None);
        // straight, then a right-hand 100 m curve at 15 m/s (8.59 °/s)
        for k in 0..50 {
            p.push(t(k as f64 * 0.1), 15.0, 0.0);
        }
        let s = p.prediction().unwrap();
        assert_eq!((s.radius_m, s.confidence), (None, 1.0));
        let w = (15.0f64 / 100.0).to_degrees();
        let mut entering = 1.0f64;
        for k in 50..150 {
            p.push(t(k as f64 * 0.1), 15.0, w);
            if k < 55 {
                entering = entering.min(p.prediction().unwrap().confidence);
            }
        }
        assert!(entering < 0.5, "{entering}");
        let c = p.prediction().unwrap();
        let r = c.radius_m.unwrap();
        assert!((r - 100.0).abs() < 1.0, "{r}");
        assert!(c.confidence > 0.99);
        // a left-hand curve is negative
        for k in 150..300 {
            p.push(t(k as f64 * 0.1), 15.0, -w);
        }
        assert!((p.prediction().unwrap().radius_m.unwrap() + 100.0).abs() < 1.0);
        // back to straight: the straight value once the filter settled
        for k in 300..400 {
            p.push(t(k as f64 * 0.1), 15.0, 0.0);
        }
        assert_eq!(p.prediction().unwrap().radius_m, None);
    }

    #[test]
    fn standstill_and_bad_samples() {
        let mut p = PathPredictor::new(PredictionConfig::default());
        p.push(t(0.0), 0.2, 10.0);
        assert_eq!(
            p.prediction(),
            Some(Prediction {
                radius_m: None,
                confidence: 0.0
            })
        );
        p.push(t(0.1), f64::NAN, 0.0);
        p.push(t(0.05), 10.0, 0.0);
        p.push(t(0.2), 10.0, 0.0);
        assert_eq!(p.prediction().unwrap().radius_m, None);
        assert!(p.prediction().unwrap().confidence < 1.0);
        p.clear();
        assert_eq!(p.prediction(), None);
    }
}
