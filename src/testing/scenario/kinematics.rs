//! Kinematics of scenario actors: constant acceleration and constant yaw rate from the initial
//! state, changed by segments at given times; speed never goes below zero (a braking vehicle
//! stops). Integrated once at 10 ms and looked up by time.
use alloc::vec::Vec;

use super::{Flags, Motion};

/// The state of an actor at one time.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MotionState {
    /// East, m.
    pub x: f64,
    /// North, m.
    pub y: f64,
    /// Heading, degrees (CSAE), in [0, 360).
    pub heading_deg: f64,
    /// Speed, m/s.
    pub speed_mps: f64,
    /// Acceleration actually applied, m/s² (0 once stopped).
    pub accel_mps2: f64,
    /// Yaw rate, degrees/s clockwise.
    pub yaw_rate_dps: f64,
    /// Flags in force.
    pub flags: Flags,
}

/// A trajectory sampled every [`Trajectory::DT_S`].
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    states: Vec<MotionState>,
}

fn norm_heading(h: f64) -> f64 {
    h.rem_euclid(360.0)
}

impl Trajectory {
    /// Sampling interval, s.
    pub const DT_S: f64 = 0.01;

    /// Integrates `m` from 0 to `duration_s` (plus one second of margin).
    pub fn new(m: &Motion, flags: Flags, duration_s: f64) -> Trajectory {
        let n = ((duration_s.max(0.0) + 1.0) / Self::DT_S).ceil() as usize + 1;
        let mut states = Vec::with_capacity(n);
        let mut s = MotionState {
            x: m.x,
            y: m.y,
            heading_deg: norm_heading(m.heading_deg),
            speed_mps: m.speed_mps.max(0.0),
            accel_mps2: m.accel_mps2,
            yaw_rate_dps: m.yaw_rate_dps,
            flags,
        };
        let mut cmd_accel = m.accel_mps2;
        let mut next_seg = 0;
        for k in 0..n {
            let t = k as f64 * Self::DT_S;
            while let Some(seg) = m.segments.get(next_seg) {
                if seg.at_s > t + 1e-9 {
                    break;
                }
                if let Some(a) = seg.accel_mps2 {
                    cmd_accel = a;
                }
                if let Some(w) = seg.yaw_rate_dps {
                    s.yaw_rate_dps = w;
                }
                if let Some(v) = seg.speed_mps {
                    s.speed_mps = v.max(0.0);
                }
                if let Some(h) = seg.heading_deg {
                    s.heading_deg = norm_heading(h);
                }
                let f = &mut s.flags;
                f.hard_braking = seg.hard_braking.unwrap_or(f.hard_braking);
                f.hazard_lights = seg.hazard_lights.unwrap_or(f.hazard_lights);
                f.siren = seg.siren.unwrap_or(f.siren);
                f.disabled = seg.disabled.unwrap_or(f.disabled);
                f.control_loss = seg.control_loss.unwrap_or(f.control_loss);
                f.turn_signal = seg.turn_signal.unwrap_or(f.turn_signal);
                next_seg += 1;
            }
            s.accel_mps2 = if s.speed_mps <= 0.0 && cmd_accel < 0.0 {
                0.0
            } else {
                cmd_accel
            };
            states.push(s);
            // Advance one step: midpoint speed and heading.
            let dt = Self::DT_S;
            let v1 = (s.speed_mps + s.accel_mps2 * dt).max(0.0);
            let vm = 0.5 * (s.speed_mps + v1);
            let hm = (s.heading_deg + 0.5 * s.yaw_rate_dps * dt).to_radians();
            s.x += vm * hm.sin() * dt;
            s.y += vm * hm.cos() * dt;
            s.heading_deg = norm_heading(s.heading_deg + s.yaw_rate_dps * dt);
            s.speed_mps = v1;
        }
        Trajectory { states }
    }

    /// The state at `t_s`: before 0 the initial state moved back along its heading at its
    /// initial speed; after the end, the last state moved on at constant velocity.
    pub fn at(&self, t_s: f64) -> MotionState {
        let Some(first) = self.states.first() else {
            return MotionState::default();
        };
        if t_s < 0.0 {
            let h = first.heading_deg.to_radians();
            let d = first.speed_mps * t_s;
            return MotionState {
                x: first.x + d * h.sin(),
                y: first.y + d * h.cos(),
                ..*first
            };
        }
        let k = (t_s / Self::DT_S).round() as usize;
        match self.states.get(k) {
            Some(s) => *s,
            None => {
                let last = self.states.last().copied().unwrap_or(*first);
                let dt = t_s - (self.states.len() - 1) as f64 * Self::DT_S;
                let h = last.heading_deg.to_radians();
                MotionState {
                    x: last.x + last.speed_mps * dt * h.sin(),
                    y: last.y + last.speed_mps * dt * h.cos(),
                    ..last
                }
            }
        }
    }
}
