//! Track life: tentative → confirmed → coasting → deleted, and merging duplicate tracks.

use crate::fusion::associate::chi2_2dof;
use crate::fusion::observation::ObjectClass;
use crate::math::abs;
use crate::time::Timestamp;

use super::*;

impl Tracker {
    pub(super) fn manage_tracks(&mut self, now: Timestamp) {
        let cfg = self.config;
        let max_var = cfg.max_position_sigma_m * cfg.max_position_sigma_m;
        for t in &mut self.tracks {
            let since = now.micros_since(t.last_update);
            // Provenance: forget sources that stopped reporting.
            let mut i = 0;
            while i < t.n_sources {
                let stale = t.sources.get(i).is_some_and(|r| {
                    now.micros_since(r.last_update)
                        > cfg
                            .source_params(r.source.kind)
                            .delete_after_ms
                            .saturating_mul(1000)
                });
                if stale && t.n_sources > 1 {
                    t.remove_record_at(i);
                } else {
                    i += 1;
                }
            }
            let delete_after = t
                .sources()
                .iter()
                .map(|r| cfg.source_params(r.source.kind).delete_after_ms)
                .max()
                .unwrap_or(cfg.onboard.delete_after_ms)
                .saturating_mul(1000);
            match t.status {
                TrackStatus::Tentative if since > cfg.tentative_timeout_ms.saturating_mul(1000) => {
                    t.dead = true;
                }
                TrackStatus::Confirmed if since > cfg.coast_after_ms.saturating_mul(1000) => {
                    t.status = TrackStatus::Coasting;
                }
                _ => {}
            }
            if since > delete_after {
                t.dead = true;
            }
            let pc = t.filter.position_cov();
            if pc[(0, 0)].max(pc[(1, 1)]) > max_var || !t.filter.is_sound() {
                t.dead = true;
            }
        }
        self.remove_dead();
    }

    pub(super) fn remove_dead(&mut self) {
        let before = self.tracks.len();
        self.tracks.retain(|t| !t.dead);
        self.counters.tracks_deleted += (before - self.tracks.len()) as u64;
    }

    pub(super) fn merge_duplicates(&mut self, now: Timestamp) {
        let gate = chi2_2dof(self.config.merge_confidence);
        let window = self.config.coast_after_ms.saturating_mul(1000);
        self.merge_order.clear();
        self.merge_order.extend(0..self.tracks.len() as u32);
        let tracks = &self.tracks;
        self.merge_order.sort_unstable_by(|a, b| {
            let xa = tracks
                .get(*a as usize)
                .map_or(0.0, |t| t.filter.position().x);
            let xb = tracks
                .get(*b as usize)
                .map_or(0.0, |t| t.filter.position().x);
            xa.total_cmp(&xb)
        });
        const REACH_M: f64 = 8.0;
        let mut merged = 0u64;
        for a in 0..self.merge_order.len() {
            for b in a + 1..self.merge_order.len() {
                let (Some(&ia), Some(&ib)) = (self.merge_order.get(a), self.merge_order.get(b))
                else {
                    break;
                };
                // Borrowed, not copied: most pairs are looked at and left alone.
                let (Some(ta), Some(tb)) =
                    (self.tracks.get(ia as usize), self.tracks.get(ib as usize))
                else {
                    break;
                };
                let (pa, pb) = (ta.filter.position(), tb.filter.position());
                if pb.x - pa.x > REACH_M {
                    break;
                }
                if ta.dead || tb.dead || abs(pb.y - pa.y) > REACH_M {
                    continue;
                }
                if !should_merge(ta, tb, gate, now, window) {
                    continue;
                }
                let (keep, drop) = if ta.id <= tb.id { (ia, ib) } else { (ib, ia) };
                let Some(other) = self.tracks.get(drop as usize).copied() else {
                    continue;
                };
                let Some(k) = self.tracks.get_mut(keep as usize) else {
                    continue;
                };
                if k.filter.merge(&other.filter).is_err() {
                    self.counters.numeric_failures += 1;
                    continue;
                }
                // Records of a broken link never become links through a merge.
                if k.unlinked && !other.unlinked {
                    k.n_sources = 0;
                    k.unlinked = false;
                }
                if k.n_sources == 0 || !other.unlinked {
                    for r in other.sources() {
                        k.add_record(*r);
                    }
                }
                if k.class == ObjectClass::Unknown {
                    k.class = other.class;
                    k.filter.convert(k.class.uses_ctrv());
                }
                if k.accel.estimate().is_none() {
                    k.accel = other.accel;
                }
                k.hits = k.hits.saturating_add(other.hits);
                k.status = best_status(k.status, other.status);
                k.last_update = k.last_update.max(other.last_update);
                k.created = k.created.min(other.created);
                k.vehicle_id = k.vehicle_id.or(other.vehicle_id);
                k.size = k.size.or(other.size);
                if let Some(d) = self.tracks.get_mut(drop as usize) {
                    d.dead = true;
                }
                merged += 1;
            }
        }
        if merged > 0 {
            // Merges are counted apart from deletions.
            self.counters.tracks_merged += merged;
            self.tracks.retain(|t| !t.dead);
        }
    }
}

/// The more advanced of two statuses (confirmed over coasting over tentative).
pub(super) fn best_status(a: TrackStatus, b: TrackStatus) -> TrackStatus {
    use TrackStatus::*;
    match (a, b) {
        (Confirmed, _) | (_, Confirmed) => Confirmed,
        (Coasting, _) | (_, Coasting) => Coasting,
        _ => Tentative,
    }
}

pub(super) fn should_merge(
    a: &Track,
    b: &Track,
    gate: f64,
    now: Timestamp,
    window_us: i64,
) -> bool {
    if !a.class.compatible(b.class) {
        return false;
    }
    // A source that currently reports both under different ids says they are two objects.
    let conflict = a.sources().iter().any(|ra| {
        now.micros_since(ra.last_update) <= window_us
            && b.sources().iter().any(|rb| {
                rb.source == ra.source
                    && rb.object_id != ra.object_id
                    && now.micros_since(rb.last_update) <= window_us
            })
    });
    if conflict {
        return false;
    }
    let d2 = crate::fusion::associate::d2(&a.gate_item(true), &b.gate_item(true));
    if !d2.is_some_and(|d| d <= gate) {
        return false;
    }
    (a.filter.velocity() - b.filter.velocity()).norm() <= 2.5
}
