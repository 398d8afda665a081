//! The ego self-filter: a V2X report of the ego itself (by vehicle id, by a remembered
//! identity, or by position and motion) never becomes an object.
use nalgebra::Matrix2;

use crate::fusion::RejectReason;
use crate::fusion::associate::{GateItem, chi2_2dof};
use crate::fusion::ego::EgoPose;
use crate::fusion::model::Meas;
use crate::fusion::observation::{ObjectClass, SourceId, SourceKind};
use crate::geo::wrap_angle_rad;
use crate::math::{abs, sqrt};
use crate::time::Timestamp;

use super::*;

#[derive(Debug, Clone, Copy)]
pub(super) struct EgoLink {
    pub(super) source: SourceId,
    pub(super) object_id: u64,
    pub(super) last_seen: Timestamp,
}

pub(super) const EGO_LINKS: usize = 8;

impl Tracker {
    pub(super) fn self_filter(&mut self, now: Timestamp) {
        let ego = self.ego.at_time(
            now,
            self.config.max_ego_extrapolation_ms.saturating_mul(1000),
        );
        let gate = chi2_2dof(self.config.self_filter_confidence);
        let link_gate = chi2_2dof(self.config.link_gate_confidence);
        let window = self.config.coast_after_ms.saturating_mul(1000);
        // Forget ego links not seen for a while.
        for l in &mut self.ego_links {
            if l.is_some_and(|x| now.micros_since(x.last_seen) > 2_000_000) {
                *l = None;
            }
        }
        for k in 0..self.pending.len() {
            let Some(p) = self.pending.get(k).copied() else {
                continue;
            };
            if !p.valid || !p.source.kind.is_v2x() {
                continue;
            }
            if p.vehicle_id.is_some() && p.vehicle_id == self.ego_id {
                self.drop_pending(k, RejectReason::EgoById);
                continue;
            }
            // Another vehicle's own BSM under a vehicle id that is not the ego's is not the ego,
            // however close it drives (a neighbour in the next lane at the same speed).
            if p.source.kind == SourceKind::Bsm
                && self.ego_id.is_some()
                && p.vehicle_id.is_some()
                && p.vehicle_id != self.ego_id
            {
                continue;
            }
            let Some(e) = ego else {
                continue;
            };
            if !p.class.compatible(ObjectClass::Motor) {
                continue;
            }
            let d2e = ego_d2(&e, self.ego_dims, &p.meas);
            let linked = self
                .ego_links
                .iter()
                .flatten()
                .any(|l| l.source == p.source && l.object_id == p.object_id);
            let near = if linked {
                d2e <= link_gate
            } else {
                d2e <= gate && ego_motion_matches(&e, &p.meas)
            };
            // A track that an onboard sensor sees is a better explanation when it is nearer in
            // the Mahalanobis sense (a neighbour in the next lane at the ego's speed).
            let is_ego = near && {
                let item = GateItem {
                    pos: p.meas.position(),
                    cov: p.meas.position_cov(),
                    class: p.class,
                    active: true,
                };
                !self.tracks.iter().any(|t| {
                    t.fresh_onboard(now, window)
                        && t.class.compatible(p.class)
                        && crate::fusion::associate::d2(&item, &t.gate_item(true))
                            .is_some_and(|d| d < d2e)
                })
            };
            if is_ego {
                self.remember_ego_link(p.source, p.object_id, now);
                self.drop_pending(k, RejectReason::EgoByGate);
            }
        }
    }

    pub(super) fn remember_ego_link(&mut self, source: SourceId, object_id: u64, now: Timestamp) {
        let link = EgoLink {
            source,
            object_id,
            last_seen: now,
        };
        if let Some(slot) = self
            .ego_links
            .iter_mut()
            .find(|l| l.is_some_and(|x| x.source == source && x.object_id == object_id))
        {
            *slot = Some(link);
            return;
        }
        let slot = match self.ego_links.iter().position(Option::is_none) {
            Some(i) => i,
            None => {
                let mut oldest = 0;
                for (i, l) in self.ego_links.iter().enumerate() {
                    let t = l.map_or(Timestamp::EPOCH, |x| x.last_seen);
                    let o = self
                        .ego_links
                        .get(oldest)
                        .and_then(|x| x.map(|x| x.last_seen))
                        .unwrap_or(Timestamp::EPOCH);
                    if t < o {
                        oldest = i;
                    }
                }
                oldest
            }
        };
        if let Some(s) = self.ego_links.get_mut(slot) {
            *s = Some(link);
        }
    }
}

/// Squared Mahalanobis distance of a report's position from the ego, with the ego's footprint
/// spread as a uniform distribution (length²/12 along, width²/12 across).
pub(super) fn ego_d2(e: &EgoPose, dims: (f64, f64), m: &Meas) -> f64 {
    let rot = e.rotation();
    let box_cov = Matrix2::new(dims.0 * dims.0 / 12.0, 0.0, 0.0, dims.1 * dims.1 / 12.0);
    let s = m.position_cov() + Matrix2::identity() * e.pos_var_m2 + rot * box_cov * rot.transpose();
    let d = m.position() - e.pos;
    s.try_inverse()
        .map(|i| (d.transpose() * i * d)[(0, 0)])
        .filter(|v| v.is_finite())
        .unwrap_or(f64::INFINITY)
}

pub(super) fn ego_motion_matches(e: &EgoPose, m: &Meas) -> bool {
    if !m.has_motion {
        return true;
    }
    let dv = abs(m.z[2] - e.speed_mps);
    if dv > 3.0 * sqrt(m.r[(2, 2)] + 0.25) + 1.0 {
        return false;
    }
    if e.speed_mps > 2.0 && m.z[2] > 2.0 {
        let dpsi = abs(wrap_angle_rad(m.z[3] - e.yaw_rad));
        if dpsi > 3.0 * sqrt(m.r[(3, 3)] + e.yaw_var_rad2) + 0.35 {
            return false;
        }
    }
    true
}
