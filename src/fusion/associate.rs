//! Association of one source's reports with the tracks: Mahalanobis gating on position
//! (χ² with 2 degrees of freedom) with class compatibility, the gating graph split into
//! connected components, and an optimal assignment per component.
//!
//! Candidates are found with a sweep over the tracks sorted by east coordinate, so the cost grows
//! with the number of nearby pairs, not with reports × tracks.
//!
//! A component larger than [`MAX_OPTIMAL_REPORTS`] reports or [`MAX_OPTIMAL_TRACKS`] tracks
//! (real traffic gives a few objects per component; only reports with huge covariances, e.g.
//! malformed or hostile ones, chain everything together) is assigned greedily, nearest pair first,
//! so the worst case stays O(E log E) in the number of gated pairs instead of cubic, and the
//! cost matrix never outgrows the buffers allocated up front.

use alloc::vec::Vec;
use nalgebra::{Matrix2, Vector2};

use super::assignment::{Assignment, FORBIDDEN};
use super::observation::ObjectClass;
use crate::math::{ln, sqrt};

/// χ² threshold with 2 degrees of freedom for confidence `p` (0 < p < 1): −2 ln(1 − p).
/// p = 0.99 gives 9.21; p = 0.999 gives 13.8.
pub fn chi2_2dof(p: f64) -> f64 {
    let p = if p.is_finite() {
        p.clamp(0.5, 1.0 - 1e-12)
    } else {
        0.99
    };
    -2.0 * ln(1.0 - p)
}

/// What gating needs to know of a report or a track.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GateItem {
    /// ENU position, m.
    pub pos: Vector2<f64>,
    /// Position covariance, m².
    pub cov: Matrix2<f64>,
    /// Class.
    pub class: ObjectClass,
    /// Whether the item takes part (tracks already updated by this source do not).
    pub active: bool,
}

/// Squared Mahalanobis distance between two position estimates.
pub fn d2(a: &GateItem, b: &GateItem) -> Option<f64> {
    let d = a.pos - b.pos;
    let s = a.cov + b.cov;
    let inv = s.try_inverse()?;
    let v = (d.transpose() * inv * d)[(0, 0)];
    (v.is_finite() && v >= 0.0).then_some(v)
}

#[derive(Debug, Clone, Copy)]
struct Edge {
    meas: u32,
    track: u32,
    d2: f64,
    root: u32,
}

/// Reusable association buffers.
#[derive(Debug, Default, Clone)]
pub struct Associator {
    order: Vec<u32>,
    edges: Vec<Edge>,
    parent: Vec<u32>,
    meas_local: Vec<u32>,
    track_local: Vec<u32>,
    comp_meas: Vec<u32>,
    comp_tracks: Vec<u32>,
    cost: Vec<f64>,
    row_to_col: Vec<usize>,
    assignment: Assignment,
}

const NONE: u32 = u32::MAX;

/// Largest number of reports in a component solved optimally.
pub const MAX_OPTIMAL_REPORTS: usize = 64;
/// Largest number of tracks in a component solved optimally.
pub const MAX_OPTIMAL_TRACKS: usize = 128;

impl Associator {
    /// Buffers for up to `max_meas` reports per source batch and `max_tracks` tracks.
    pub fn with_capacity(max_meas: usize, max_tracks: usize) -> Self {
        let n = max_meas + max_tracks;
        Associator {
            order: Vec::with_capacity(max_tracks),
            edges: Vec::with_capacity(4 * max_meas + 16),
            parent: Vec::with_capacity(n),
            meas_local: Vec::with_capacity(max_meas),
            track_local: Vec::with_capacity(max_tracks),
            comp_meas: Vec::with_capacity(max_meas),
            comp_tracks: Vec::with_capacity(max_tracks),
            cost: Vec::with_capacity(
                MAX_OPTIMAL_REPORTS * (MAX_OPTIMAL_TRACKS + MAX_OPTIMAL_REPORTS),
            ),
            row_to_col: Vec::with_capacity(MAX_OPTIMAL_REPORTS),
            assignment: Assignment::with_capacity(MAX_OPTIMAL_TRACKS + MAX_OPTIMAL_REPORTS),
        }
    }

    /// Capacity held by all buffers, in elements (to check that memory stays flat).
    pub fn capacity(&self) -> usize {
        self.order.capacity()
            + self.edges.capacity()
            + self.parent.capacity()
            + self.meas_local.capacity()
            + self.track_local.capacity()
            + self.comp_meas.capacity()
            + self.comp_tracks.capacity()
            + self.cost.capacity()
            + self.row_to_col.capacity()
            + self.assignment.capacity()
    }

    /// Assigns each report in `meas` to at most one active track in `tracks` (each track to at
    /// most one report) minimising the summed squared Mahalanobis distance, with pairs beyond
    /// `gate` (a χ² value) or of incompatible class excluded. `out[i]` receives the track index
    /// of report `i`.
    pub fn associate(
        &mut self,
        meas: &[GateItem],
        tracks: &[GateItem],
        gate: f64,
        out: &mut Vec<Option<usize>>,
    ) {
        out.clear();
        out.resize(meas.len(), None);
        let (nm, nt) = (meas.len(), tracks.len());
        if nm == 0 || nt == 0 || nm >= NONE as usize / 2 || nt >= NONE as usize / 2 {
            return;
        }
        // Tracks sorted by east coordinate.
        self.order.clear();
        self.order.extend(
            tracks
                .iter()
                .enumerate()
                .filter(|(_, t)| t.active && t.pos.x.is_finite())
                .map(|(i, _)| i as u32),
        );
        self.order.sort_unstable_by(|a, b| {
            let xa = tracks.get(*a as usize).map_or(0.0, |t| t.pos.x);
            let xb = tracks.get(*b as usize).map_or(0.0, |t| t.pos.x);
            xa.total_cmp(&xb)
        });
        let max_track_trace = self
            .order
            .iter()
            .filter_map(|i| tracks.get(*i as usize))
            .fold(0.0f64, |a, t| a.max(t.cov.trace()));
        // Gating edges.
        self.edges.clear();
        for (i, m) in meas.iter().enumerate() {
            if !m.active {
                continue;
            }
            let radius = sqrt(gate * (m.cov.trace() + max_track_trace));
            if !radius.is_finite() {
                continue;
            }
            let lo = m.pos.x - radius;
            let start = self
                .order
                .partition_point(|j| tracks.get(*j as usize).is_some_and(|t| t.pos.x < lo));
            for j in self.order.iter().skip(start) {
                let Some(t) = tracks.get(*j as usize) else {
                    continue;
                };
                if t.pos.x > m.pos.x + radius {
                    break;
                }
                if (t.pos.y - m.pos.y).abs() > radius || !m.class.compatible(t.class) {
                    continue;
                }
                if let Some(v) = d2(m, t) {
                    if v <= gate {
                        self.edges.push(Edge {
                            meas: i as u32,
                            track: *j,
                            d2: v,
                            root: 0,
                        });
                    }
                }
            }
        }
        if self.edges.is_empty() {
            return;
        }
        // Connected components (union-find over reports 0..nm and tracks nm..nm+nt).
        self.parent.clear();
        self.parent.extend(0..(nm + nt) as u32);
        for k in 0..self.edges.len() {
            let Some(e) = self.edges.get(k).copied() else {
                continue;
            };
            let a = find(&mut self.parent, e.meas);
            let b = find(&mut self.parent, nm as u32 + e.track);
            if a != b {
                if let Some(p) = self.parent.get_mut(a as usize) {
                    *p = b;
                }
            }
        }
        for k in 0..self.edges.len() {
            let Some(m) = self.edges.get(k).map(|e| e.meas) else {
                continue;
            };
            let r = find(&mut self.parent, m);
            if let Some(e) = self.edges.get_mut(k) {
                e.root = r;
            }
        }
        self.edges
            .sort_unstable_by_key(|e| (e.root, e.meas, e.track));
        self.meas_local.clear();
        self.meas_local.resize(nm, NONE);
        self.track_local.clear();
        self.track_local.resize(nt, NONE);
        let mut start = 0;
        while start < self.edges.len() {
            let root = self.edges.get(start).map_or(0, |e| e.root);
            let mut end = start;
            while self.edges.get(end).is_some_and(|e| e.root == root) {
                end += 1;
            }
            self.solve_component(start, end, gate, out);
            start = end;
        }
    }

    fn solve_component(&mut self, start: usize, end: usize, gate: f64, out: &mut [Option<usize>]) {
        let Some(edges) = self.edges.get(start..end) else {
            return;
        };
        if let [e] = edges {
            if let Some(o) = out.get_mut(e.meas as usize) {
                *o = Some(e.track as usize);
            }
            return;
        }
        self.comp_meas.clear();
        self.comp_tracks.clear();
        for e in edges {
            if let Some(l) = self.meas_local.get_mut(e.meas as usize) {
                if *l == NONE {
                    *l = self.comp_meas.len() as u32;
                    self.comp_meas.push(e.meas);
                }
            }
            if let Some(l) = self.track_local.get_mut(e.track as usize) {
                if *l == NONE {
                    *l = self.comp_tracks.len() as u32;
                    self.comp_tracks.push(e.track);
                }
            }
        }
        let rows = self.comp_meas.len();
        if rows > MAX_OPTIMAL_REPORTS || self.comp_tracks.len() > MAX_OPTIMAL_TRACKS {
            self.solve_greedy(start, end, out);
            return;
        }
        let cols = self.comp_tracks.len() + rows;
        self.cost.clear();
        self.cost.resize(rows * cols, FORBIDDEN);
        for e in edges {
            let r = self
                .meas_local
                .get(e.meas as usize)
                .copied()
                .unwrap_or(NONE) as usize;
            let c = self
                .track_local
                .get(e.track as usize)
                .copied()
                .unwrap_or(NONE) as usize;
            if let Some(x) = self.cost.get_mut(r.wrapping_mul(cols).wrapping_add(c)) {
                *x = e.d2;
            }
        }
        let nt = self.comp_tracks.len();
        for r in 0..rows {
            // Leaving report r unassigned costs the gate.
            if let Some(x) = self.cost.get_mut(r * cols + nt + r) {
                *x = gate;
            }
        }
        if self
            .assignment
            .solve(&self.cost, rows, cols, &mut self.row_to_col)
            .is_some()
        {
            for (r, &c) in self.row_to_col.iter().enumerate() {
                let cost = self.cost.get(r * cols + c).copied().unwrap_or(FORBIDDEN);
                if c < nt && cost < FORBIDDEN {
                    if let (Some(&m), Some(&t)) = (self.comp_meas.get(r), self.comp_tracks.get(c)) {
                        if let Some(o) = out.get_mut(m as usize) {
                            *o = Some(t as usize);
                        }
                    }
                }
            }
        }
        self.clear_marks();
    }
}

impl Associator {
    /// Nearest pair first over the component's edges `start..end` (reordered by distance).
    /// Clears the local index marks it uses.
    fn solve_greedy(&mut self, start: usize, end: usize, out: &mut [Option<usize>]) {
        // The local marks of the component's reports and tracks become "taken" flags.
        self.clear_marks();
        let Some(edges) = self.edges.get_mut(start..end) else {
            return;
        };
        edges.sort_unstable_by(|a, b| a.d2.total_cmp(&b.d2));
        const TAKEN: u32 = 0;
        for e in edges.iter() {
            let free_m = self.meas_local.get(e.meas as usize) == Some(&NONE);
            let free_t = self.track_local.get(e.track as usize) == Some(&NONE);
            if free_m && free_t {
                if let Some(o) = out.get_mut(e.meas as usize) {
                    *o = Some(e.track as usize);
                }
                if let Some(l) = self.meas_local.get_mut(e.meas as usize) {
                    *l = TAKEN;
                }
                if let Some(l) = self.track_local.get_mut(e.track as usize) {
                    *l = TAKEN;
                }
            }
        }
        self.clear_marks();
    }

    /// Resets the local index marks of the current component's reports and tracks.
    fn clear_marks(&mut self) {
        for m in &self.comp_meas {
            if let Some(l) = self.meas_local.get_mut(*m as usize) {
                *l = NONE;
            }
        }
        for t in &self.comp_tracks {
            if let Some(l) = self.track_local.get_mut(*t as usize) {
                *l = NONE;
            }
        }
    }
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    // Path halving.
    loop {
        let Some(p) = parent.get(x as usize).copied() else {
            return x;
        };
        if p == x {
            return x;
        }
        let gp = parent.get(p as usize).copied().unwrap_or(p);
        if let Some(slot) = parent.get_mut(x as usize) {
            *slot = gp;
        }
        x = gp;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(x: f64, y: f64, s: f64, class: ObjectClass) -> GateItem {
        GateItem {
            pos: Vector2::new(x, y),
            cov: Matrix2::identity() * s * s,
            class,
            active: true,
        }
    }

    #[test]
    fn chi2_values() {
        assert!((chi2_2dof(0.99) - 9.2103).abs() < 1e-3);
        assert!((chi2_2dof(0.95) - 5.9915).abs() < 1e-3);
    }

    #[test]
    fn optimal_not_greedy_and_class_aware() {
        use ObjectClass::*;
        // Report 0 is nearest track 0, but giving track 0 to report 0 would leave report 1
        // (which only gates with track 0) unassigned: the optimum crosses.
        let tracks = [item(0.0, 0.0, 0.5, Motor), item(1.2, 0.0, 0.5, Motor)];
        let meas = [item(0.6, 0.0, 0.5, Motor), item(-1.0, 0.0, 0.5, Motor)];
        let mut a = Associator::with_capacity(4, 4);
        let mut out = Vec::new();
        a.associate(&meas, &tracks, chi2_2dof(0.99), &mut out);
        assert_eq!(out, vec![Some(1), Some(0)]);
        // A pedestrian report never takes a car track.
        let meas = [item(0.1, 0.0, 0.5, Pedestrian)];
        a.associate(&meas, &tracks, chi2_2dof(0.99), &mut out);
        assert_eq!(out, vec![None]);
        // Far away: nothing.
        let meas = [item(50.0, 0.0, 0.5, Motor)];
        a.associate(&meas, &tracks, chi2_2dof(0.99), &mut out);
        assert_eq!(out, vec![None]);
        // Two separate components, each solved on its own (the crossing optimum in both).
        let tracks = [
            item(0.0, 0.0, 0.5, Motor),
            item(1.2, 0.0, 0.5, Motor),
            item(100.0, 0.0, 0.5, Motor),
            item(101.2, 0.0, 0.5, Motor),
        ];
        let meas = [
            item(100.6, 0.0, 0.5, Motor),
            item(0.6, 0.0, 0.5, Motor),
            item(99.0, 0.0, 0.5, Motor),
            item(-1.0, 0.0, 0.5, Motor),
        ];
        a.associate(&meas, &tracks, chi2_2dof(0.99), &mut out);
        assert_eq!(out, vec![Some(3), Some(1), Some(2), Some(0)]);
    }

    #[test]
    fn huge_components_are_assigned_greedily_one_to_one() {
        // 300 reports and 300 tracks with covariances so large that everything gates with
        // everything: one component, beyond the optimal solver's size.
        let big = |x: f64| item(x, 0.0, 500.0, ObjectClass::Motor);
        let tracks: Vec<_> = (0..300).map(|i| big(i as f64 * 2.0)).collect();
        let meas: Vec<_> = (0..300).map(|i| big(i as f64 * 2.0 + 0.1)).collect();
        let mut a = Associator::with_capacity(300, 300);
        let cost_capacity = a.cost.capacity();
        let mut out = Vec::new();
        a.associate(&meas, &tracks, chi2_2dof(0.99), &mut out);
        let mut taken = vec![false; tracks.len()];
        for t in out.iter().flatten() {
            assert!(!taken[*t], "track {t} assigned twice");
            taken[*t] = true;
        }
        assert_eq!(out.iter().flatten().count(), 300);
        // Nearest first: report i takes track i.
        assert!(out.iter().enumerate().all(|(i, t)| *t == Some(i)));
        assert_eq!(a.cost.capacity(), cost_capacity, "cost matrix not grown");
    }
}
