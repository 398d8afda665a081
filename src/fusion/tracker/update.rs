//! Association and update: latency compensation of pending reports, identity links, gating
//! and assignment, covariance-intersection updates and track creation.
use nalgebra::Matrix2;

use crate::fusion::RejectReason;
use crate::fusion::associate::{GateItem, chi2_2dof};
use crate::fusion::model::{AccelFilter, Filter, Meas};
use crate::fusion::observation::{ObjectClass, ObjectSize, SourceId, default_accel_sigma_mps2};
use crate::math::{cos, sin, sqrt};
use crate::time::Timestamp;

use super::track::EMPTY_RECORD;
use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum LinkKey {
    Object(SourceId, u64),
    Vehicle([u8; 8]),
}

impl Tracker {
    pub(super) fn prepare_pending(&mut self, now: Timestamp) {
        self.pending.sort_unstable_by(|a, b| {
            (a.source, a.object_id, a.time, a.seq).cmp(&(b.source, b.object_id, b.time, b.seq))
        });
        let max_age = self.config.max_age_ms.saturating_mul(1000);
        let max_future = self.config.max_future_ms.saturating_mul(1000);
        let n = self.pending.len();
        for k in 0..n {
            let next_same = self
                .pending
                .get(k + 1)
                .zip(self.pending.get(k))
                .is_some_and(|(b, a)| a.source == b.source && a.object_id == b.object_id);
            let Some(p) = self.pending.get_mut(k) else {
                continue;
            };
            let age = now.micros_since(p.time);
            let reason = if next_same {
                Some(RejectReason::Superseded)
            } else if age > max_age {
                Some(RejectReason::TooOld)
            } else if -age > max_future {
                Some(RejectReason::FromFuture)
            } else {
                None
            };
            if let Some(r) = reason {
                p.valid = false;
                self.counters.count(r);
                continue;
            }
            let noise_accel = self.config.report_accel_sigma_mps2;
            p.age_s = age as f64 * 1e-6;
            p.meas.predict(
                p.age_s,
                p.accel_mps2.unwrap_or(0.0),
                noise_accel,
                self.config.report_yaw_rate_sigma_rps,
                self.config.unknown_speed_sigma_mps,
            );
            if !(p.meas.z.iter().all(|v| v.is_finite()) && p.meas.r.iter().all(|v| v.is_finite())) {
                p.valid = false;
                self.counters.count(RejectReason::NonFinite);
            }
        }
    }

    pub(super) fn drop_pending(&mut self, k: usize, r: RejectReason) {
        if let Some(p) = self.pending.get_mut(k) {
            p.valid = false;
        }
        self.counters.count(r);
    }

    pub(super) fn rebuild_links(&mut self) {
        self.links.clear();
        for (i, t) in self.tracks.iter().enumerate() {
            if t.dead {
                continue;
            }
            let records = if t.unlinked { &[][..] } else { t.sources() };
            for r in records {
                self.links
                    .push((LinkKey::Object(r.source, r.object_id), i as u32));
            }
            if let Some(v) = t.vehicle_id {
                self.links.push((LinkKey::Vehicle(v), i as u32));
            }
        }
        self.links.sort_unstable_by_key(|a| a.0);
    }

    pub(super) fn lookup(&self, key: &LinkKey) -> Option<usize> {
        let i = self.links.binary_search_by(|e| e.0.cmp(key)).ok()?;
        self.links.get(i).map(|e| e.1 as usize)
    }

    pub(super) fn process_batch(&mut self, start: usize, end: usize, now: Timestamp) {
        self.rebuild_links();
        self.stamp = self.stamp.wrapping_add(1);
        let stamp = self.stamp;
        let n = end - start;
        self.targets.clear();
        self.targets.resize(n, None);
        let link_gate = chi2_2dof(self.config.link_gate_confidence);
        let gate = chi2_2dof(self.config.gate_confidence);
        let window = self.config.coast_after_ms.saturating_mul(1000);
        // 1. Identity continuity: (source, object id), then vehicle id.
        for k in 0..n {
            let Some(p) = self.pending.get(start + k).copied() else {
                continue;
            };
            if !p.valid {
                continue;
            }
            let by_object = self.lookup(&LinkKey::Object(p.source, p.object_id));
            let by_vehicle = p.vehicle_id.and_then(|v| self.lookup(&LinkKey::Vehicle(v)));
            let Some(ti) = by_object.or(by_vehicle) else {
                continue;
            };
            let Some(t) = self.tracks.get_mut(ti) else {
                continue;
            };
            if let Some(rec) = t.record(p.source, p.object_id) {
                if p.time <= rec.last_update {
                    if let Some(pp) = self.pending.get_mut(start + k) {
                        pp.valid = false;
                    }
                    self.counters.count(RejectReason::OutOfSequence);
                    continue;
                }
            }
            if t.batch_stamp == stamp {
                continue;
            }
            let ok = t.class.compatible(p.class)
                && t.filter
                    .position_d2(&p.meas)
                    .is_some_and(|d| d <= link_gate);
            if ok {
                t.batch_stamp = stamp;
                if let Some(tg) = self.targets.get_mut(k) {
                    *tg = Some(ti);
                }
            } else {
                self.counters.links_broken += 1;
                if by_object.is_some() {
                    if let Some(i) = t
                        .sources()
                        .iter()
                        .position(|r| r.source == p.source && r.object_id == p.object_id)
                    {
                        // The last record stays as provenance, without linking.
                        if t.n_sources > 1 {
                            t.remove_record_at(i);
                        } else {
                            t.unlinked = true;
                        }
                    }
                }
            }
        }
        // 2. Gating and optimal assignment for the rest.
        self.meas_items.clear();
        for k in 0..n {
            let Some(p) = self.pending.get(start + k) else {
                continue;
            };
            let active = p.valid && self.targets.get(k).is_some_and(|t| t.is_none());
            self.meas_items.push(GateItem {
                pos: p.meas.position(),
                cov: p.meas.position_cov(),
                class: p.class,
                active,
            });
        }
        let src = self.pending.get(start).map(|p| p.source);
        self.track_items.clear();
        for t in &self.tracks {
            // A track this source currently reports under another id is another object for it.
            let claimed = t
                .sources()
                .iter()
                .any(|r| Some(r.source) == src && now.micros_since(r.last_update) <= window);
            let active = !t.dead && t.batch_stamp != stamp && !claimed;
            self.track_items.push(t.gate_item(active));
        }
        self.associator.associate(
            &self.meas_items,
            &self.track_items,
            gate,
            &mut self.assoc_out,
        );
        // 3. Update or create.
        for k in 0..n {
            let Some(p) = self.pending.get(start + k).copied() else {
                continue;
            };
            if !p.valid {
                continue;
            }
            let target = self
                .targets
                .get(k)
                .copied()
                .flatten()
                .or_else(|| self.assoc_out.get(k).copied().flatten());
            match target {
                Some(ti) => self.update_track(ti, &p, now, stamp),
                None => self.create_track(&p, now, stamp),
            }
        }
    }

    pub(super) fn update_track(&mut self, ti: usize, p: &Pending, now: Timestamp, stamp: u32) {
        let Some(t) = self.tracks.get_mut(ti) else {
            return;
        };
        t.batch_stamp = stamp;
        if p.class != ObjectClass::Unknown && p.class != t.class {
            t.class = p.class;
            t.filter.convert(t.class.uses_ctrv());
        }
        match t.filter.update(&p.meas, self.config.ci_weight) {
            Ok(_) => self.counters.fused += 1,
            Err(_) => {
                self.counters.numeric_failures += 1;
                return;
            }
        }
        if let Some((v, var)) = p.speed {
            t.accel.update_speed(v, var, p.age_s);
        }
        if let Some(a) = p.accel_mps2 {
            let sa = default_accel_sigma_mps2(p.source.kind);
            t.accel.update_accel(a, sa * sa);
        }
        t.last_update = now;
        t.hits = t.hits.saturating_add(1);
        if let Some(s) = p.size {
            t.size = Some(match t.size {
                Some(o) => ObjectSize {
                    length_m: 0.7 * o.length_m + 0.3 * s.length_m,
                    width_m: 0.7 * o.width_m + 0.3 * s.width_m,
                    height_m: 0.7 * o.height_m + 0.3 * s.height_m,
                },
                None => s,
            });
        }
        if p.vehicle_id.is_some() {
            t.vehicle_id = p.vehicle_id;
        }
        if t.unlinked {
            // A live source replaces the broken link's record, or re-links it.
            if t.record(p.source, p.object_id).is_none() {
                t.n_sources = 0;
            }
            t.unlinked = false;
        }
        t.add_record(SourceRecord {
            source: p.source,
            object_id: p.object_id,
            source_type: p.source_type,
            first_seen: p.time,
            last_update: p.time,
            updates: 1,
            verified: p.verified,
        });
        if let Some(r) = t.record_mut(p.source, p.object_id) {
            r.source_type = p.source_type;
        }
        let params = self.config.source_params(p.source.kind);
        let confirmed_before = t.status != TrackStatus::Tentative;
        t.status = match t.status {
            TrackStatus::Coasting | TrackStatus::Confirmed => TrackStatus::Confirmed,
            TrackStatus::Tentative => {
                if confirms(params, &p.meas) || t.hits >= params.confirm_hits {
                    TrackStatus::Confirmed
                } else {
                    TrackStatus::Tentative
                }
            }
        };
        if !confirmed_before && t.status == TrackStatus::Confirmed {
            self.counters.tracks_confirmed += 1;
        }
    }

    pub(super) fn create_track(&mut self, p: &Pending, now: Timestamp, stamp: u32) {
        if self.tracks.len() >= self.config.max_tracks {
            self.counters.count(RejectReason::TrackTableFull);
            return;
        }
        let params = self.config.source_params(p.source.kind);
        let confirmed = confirms(params, &p.meas) || params.confirm_hits <= 1;
        let mut sources = [EMPTY_RECORD; MAX_SOURCES];
        sources[0] = SourceRecord {
            source: p.source,
            object_id: p.object_id,
            source_type: p.source_type,
            first_seen: p.time,
            last_update: p.time,
            updates: 1,
            verified: p.verified,
        };
        let id = self.next_id;
        self.next_id = self.next_id.checked_add(1).unwrap_or(1);
        self.tracks.push(Track {
            id,
            status: if confirmed {
                TrackStatus::Confirmed
            } else {
                TrackStatus::Tentative
            },
            class: p.class,
            filter: Filter::from_meas(&p.meas, p.class.uses_ctrv()),
            accel: new_accel_filter(p),
            time: now,
            size: p.size,
            vehicle_id: p.vehicle_id,
            created: now,
            last_update: now,
            hits: 1,
            sources,
            n_sources: 1,
            batch_stamp: stamp,
            dead: false,
            unlinked: false,
        });
        self.counters.tracks_created += 1;
        if confirmed {
            self.counters.tracks_confirmed += 1;
        }
    }
}

/// The acceleration filter of a new track: the report's speed, then its acceleration.
pub(super) fn new_accel_filter(p: &Pending) -> AccelFilter {
    // The speed is taken at the report's time; a constant acceleration brings it to now.
    let mut f = AccelFilter::new(p.speed);
    if let Some(a) = p.accel_mps2 {
        let sa = default_accel_sigma_mps2(p.source.kind);
        f.update_accel(a, sa * sa);
    }
    f.predict(p.age_s, 0.0);
    f
}

/// Whether a report from a source with these parameters confirms a track at once.
pub(super) fn confirms(params: &crate::fusion::SourceParams, m: &Meas) -> bool {
    let pc = m.position_cov();
    params.trusted && sqrt(pc[(0, 0)].max(pc[(1, 1)])) <= params.confirm_at_once_sigma_m
}

pub(super) fn velocity_cov(f: &Filter) -> Matrix2<f64> {
    match f {
        Filter::Cv(c) => c.p.fixed_view::<2, 2>(2, 2).into_owned(),
        Filter::Ctrv(c) => {
            let (v, psi) = (c.x[2], c.x[3]);
            let j = Matrix2::new(cos(psi), -v * sin(psi), sin(psi), v * cos(psi));
            let p = c.p.fixed_view::<2, 2>(2, 2).into_owned();
            j * p * j.transpose()
        }
    }
}
