//! Transmit rate: the BSM inter-transmit time (ITT) from vehicle density and channel load,
//! between 100 and 600 ms.
//!
//! Two published rules, each implemented as written, combined by taking the longer interval:
//!
//! - **Vehicle density — SAE J2945/1 (2016, carried into the 2020 revision) transmit rate
//!   control.** The density N is the number of vehicles heard within 100 m (`vPERRange`); each
//!   new measurement is smoothed as N ← λ·N_new + (1 − λ)·N with λ = 0.05
//!   (`vDensityWeightFactor`); the interval is `ITT = 100 ms · max(1, N / B)` with B = 25
//!   (`vDensityCoefficient`), at most 600 ms (`vMax_ITT`).
//! - **Channel busy ratio — ETSI TS 102 687 V1.2.1 reactive DCC, Table A.1 (T_on ≤ 1 ms, one
//!   LTE-V2X subframe).** States relaxed / active 1 / active 2 / active 3 / restrictive from the
//!   CBR limits 0.30 / 0.40 / 0.50 / 0.60, with the minimum packet intervals 100 / 200 / 400 /
//!   500 / 1000 ms; each new CBR moves at most one state (the gradual state machine of V1.2.1).
//!   The restrictive state's 1000 ms is cut to the 600 ms ceiling: a BSM more than 600 ms old is
//!   of no use to a collision warning.
//!
//! J2945/1 uses the channel busy percentage for transmit power, not rate; power is the access
//! layer's business and is not decided here. The J2945/1 vehicle-dynamics rule (an extra
//! message when the position receivers would extrapolate from the last BSM is off by more
//! than 0.2–0.5 m) is applied by the host vehicle on top of this interval
//! ([`RateConfig::tracking_error_min_m`]).
use crate::math::floor;

/// Parameters of the rate policy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateConfig {
    /// Shortest and baseline interval, ms (10 Hz).
    pub min_interval_ms: u32,
    /// Longest interval, ms (J2945/1 `vMax_ITT`).
    pub max_interval_ms: u32,
    /// Density smoothing weight of a new measurement (J2945/1 `vDensityWeightFactor`).
    pub density_weight: f64,
    /// Vehicles per 100 ms of interval (J2945/1 `vDensityCoefficient`).
    pub density_coefficient: f64,
    /// CBR lower limits of the active 1, 2, 3 and restrictive states (TS 102 687 Table A.1).
    pub cbr_limits: [f64; 4],
    /// Minimum packet intervals of the relaxed … restrictive states, ms (Table A.1).
    pub cbr_intervals_ms: [u32; 5],
    /// J2945/1 `vTrackingErrMin`, m: below it no extra message.
    pub tracking_error_min_m: f64,
    /// J2945/1 `vTrackingErrMax`, m: at or above it an extra message is certain.
    pub tracking_error_max_m: f64,
    /// J2945/1 `vErrSensitivity`: the probability of an extra message between the two limits
    /// is 1 − exp(−s · (e − e_min)²).
    pub tracking_error_sensitivity: f64,
}

impl Default for RateConfig {
    fn default() -> Self {
        RateConfig {
            min_interval_ms: 100,
            max_interval_ms: 600,
            density_weight: 0.05,
            density_coefficient: 25.0,
            cbr_limits: [0.30, 0.40, 0.50, 0.60],
            cbr_intervals_ms: [100, 200, 400, 500, 1000],
            tracking_error_min_m: 0.2,
            tracking_error_max_m: 0.5,
            tracking_error_sensitivity: 75.0,
        }
    }
}

/// The DCC state names, relaxed first.
pub const DCC_STATES: [&str; 5] = ["relaxed", "active1", "active2", "active3", "restrictive"];

/// The rate policy's state.
#[derive(Debug, Clone)]
pub struct RatePolicy {
    config: RateConfig,
    density: Option<f64>,
    dcc_state: usize,
}

impl RatePolicy {
    /// A policy in the relaxed state with no density measured.
    pub fn new(config: RateConfig) -> Self {
        RatePolicy {
            config,
            density: None,
            dcc_state: 0,
        }
    }

    /// Takes a vehicle-density measurement (vehicles heard within 100 m).
    pub fn set_density(&mut self, vehicles: u32) {
        let n = f64::from(vehicles);
        let w = self.config.density_weight.clamp(0.0, 1.0);
        self.density = Some(match self.density {
            None => n,
            Some(d) => w * n + (1.0 - w) * d,
        });
    }

    /// Takes a channel busy ratio measurement, 0..=1; moves at most one DCC state.
    pub fn set_cbr(&mut self, cbr: f64) {
        let limits = self.config.cbr_limits;
        let lower = |state: usize| match state {
            0 => 0.0,
            s => limits.get(s - 1).copied().unwrap_or(f64::INFINITY),
        };
        if cbr < lower(self.dcc_state) {
            self.dcc_state = self.dcc_state.saturating_sub(1);
        } else if self.dcc_state + 1 < DCC_STATES.len() && cbr >= lower(self.dcc_state + 1) {
            self.dcc_state += 1;
        }
    }

    /// The smoothed vehicle density.
    pub fn density(&self) -> Option<f64> {
        self.density
    }

    /// The DCC state (index into [`DCC_STATES`]).
    pub fn dcc_state(&self) -> usize {
        self.dcc_state
    }

    /// The interval from the density alone, ms.
    pub fn density_interval_ms(&self) -> u32 {
        let base = f64::from(self.config.min_interval_ms);
        let n = self.density.unwrap_or(0.0);
        let b = self.config.density_coefficient;
        let factor = if b > 0.0 { (n / b).max(1.0) } else { 1.0 };
        let itt = floor(base * factor);
        itt.min(f64::from(self.config.max_interval_ms)) as u32
    }

    /// The interval from the channel load alone, ms.
    pub fn cbr_interval_ms(&self) -> u32 {
        self.config
            .cbr_intervals_ms
            .get(self.dcc_state)
            .copied()
            .unwrap_or(self.config.max_interval_ms)
    }

    /// The inter-transmit time, ms: the longer of the two, within the configured bounds.
    pub fn interval_ms(&self) -> u32 {
        self.density_interval_ms()
            .max(self.cbr_interval_ms())
            .clamp(
                self.config.min_interval_ms,
                self.config.max_interval_ms.max(self.config.min_interval_ms),
            )
    }

    /// The probability of an extra message for a tracking error of `error_m`.
    pub fn extra_message_probability(&self, error_m: f64) -> f64 {
        let c = &self.config;
        if error_m.is_nan() || error_m < c.tracking_error_min_m {
            0.0
        } else if error_m >= c.tracking_error_max_m {
            1.0
        } else {
            let d = error_m - c.tracking_error_min_m;
            1.0 - nalgebra::ComplexField::exp(-c.tracking_error_sensitivity * d * d)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn density_stretches_the_interval_up_to_600_ms() {
        let mut r = RatePolicy::new(RateConfig::default());
        assert_eq!(r.interval_ms(), 100);
        r.set_density(50);
        assert_eq!(r.density_interval_ms(), 200);
        // smoothing: one far larger measurement moves the density by 5 % of the difference
        r.set_density(250);
        assert!((r.density().unwrap() - 60.0).abs() < 1e-9);
        assert_eq!(r.interval_ms(), 240);
        for _ in 0..500 {
            r.set_density(1000);
        }
        assert_eq!(r.interval_ms(), 600);
    }

    #[test]
    fn cbr_moves_one_state_at_a_time_and_is_capped() {
        let mut r = RatePolicy::new(RateConfig::default());
        r.set_cbr(0.9);
        assert_eq!((r.dcc_state(), r.interval_ms()), (1, 200));
        r.set_cbr(0.9);
        r.set_cbr(0.9);
        assert_eq!((r.dcc_state(), r.interval_ms()), (3, 500));
        r.set_cbr(0.9);
        assert_eq!(DCC_STATES[r.dcc_state()], "restrictive");
        assert_eq!((r.cbr_interval_ms(), r.interval_ms()), (1000, 600));
        r.set_cbr(0.55);
        assert_eq!(r.dcc_state(), 3);
        r.set_cbr(0.1);
        assert_eq!(r.dcc_state(), 2);
        r.set_cbr(f64::NAN);
        assert_eq!(r.dcc_state(), 2);
    }

    #[test]
    fn tracking_error_probability() {
        let r = RatePolicy::new(RateConfig::default());
        assert_eq!(r.extra_message_probability(0.1), 0.0);
        assert_eq!(r.extra_message_probability(f64::NAN), 0.0);
        assert_eq!(r.extra_message_probability(0.5), 1.0);
        let p = r.extra_message_probability(0.3);
        assert!((p - (1.0 - (-0.75f64).exp())).abs() < 1e-12);
    }
}
