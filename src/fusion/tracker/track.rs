//! Tracks: one tracked object with its filter, life-cycle state and provenance.

use crate::fusion::associate::GateItem;
use crate::fusion::model::{AccelFilter, Filter};
use crate::fusion::observation::{ObjectClass, ObjectSize, SourceId, SourceKind, SourceType};
use crate::time::Timestamp;

use super::*;

/// Life-cycle state of a track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TrackStatus {
    /// Seen, not yet confirmed.
    Tentative,
    /// Confirmed and updated recently.
    Confirmed,
    /// Confirmed, but no update for a while: predicted only.
    Coasting,
}

/// Provenance: one source that reported a track.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SourceRecord {
    /// The source.
    pub source: SourceId,
    /// The object's id in that source.
    pub object_id: u64,
    /// How the source perceived it (CSAE `SourceType`).
    pub source_type: SourceType,
    /// Time of the first report fused.
    pub first_seen: Timestamp,
    /// Time of the latest report fused (the report's own time).
    pub last_update: Timestamp,
    /// Number of reports fused.
    pub updates: u32,
    /// Whether the latest report fused (the one of `last_update`) came from a verified
    /// message: false for a report given to
    /// [`Tracker::ingest_unverified`](super::Tracker::ingest_unverified) until
    /// [`Tracker::confirm_verified`](super::Tracker::confirm_verified) says otherwise.
    pub verified: bool,
}

pub(super) const EMPTY_RECORD: SourceRecord = SourceRecord {
    source: SourceId {
        kind: SourceKind::Onboard,
        station: 0,
    },
    object_id: 0,
    source_type: SourceType::Unknown,
    first_seen: Timestamp::EPOCH,
    last_update: Timestamp::EPOCH,
    updates: 0,
    verified: true,
};

/// One tracked object.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Track {
    pub(super) id: u32,
    pub(super) status: TrackStatus,
    pub(super) class: ObjectClass,
    pub(super) filter: Filter,
    pub(super) accel: AccelFilter,
    pub(super) time: Timestamp,
    pub(super) size: Option<ObjectSize>,
    pub(super) vehicle_id: Option<[u8; 8]>,
    pub(super) created: Timestamp,
    pub(super) last_update: Timestamp,
    pub(super) hits: u32,
    pub(super) sources: [SourceRecord; MAX_SOURCES],
    pub(super) n_sources: usize,
    pub(super) batch_stamp: u32,
    pub(super) dead: bool,
    /// The identity link of the only source record was broken (the source now reports that id
    /// elsewhere): the record stays as provenance but no longer links reports to this track.
    pub(super) unlinked: bool,
}

impl Track {
    /// Stable id (never reused by this tracker).
    pub fn id(&self) -> u32 {
        self.id
    }
    /// Life-cycle state.
    pub fn status(&self) -> TrackStatus {
        self.status
    }
    /// Class.
    pub fn class(&self) -> ObjectClass {
        self.class
    }
    /// Motion state.
    pub fn filter(&self) -> &Filter {
        &self.filter
    }
    /// Longitudinal speed and acceleration estimate.
    pub fn accel(&self) -> &AccelFilter {
        &self.accel
    }
    /// Time of the state.
    pub fn time(&self) -> Timestamp {
        self.time
    }
    /// Sources that reported this object.
    pub fn sources(&self) -> &[SourceRecord] {
        self.sources.get(..self.n_sources).unwrap_or(&[])
    }
    /// Fusion time of the latest update.
    pub fn last_update(&self) -> Timestamp {
        self.last_update
    }
    /// Number of reports fused.
    pub fn hits(&self) -> u32 {
        self.hits
    }

    pub(super) fn record_mut(
        &mut self,
        source: SourceId,
        object_id: u64,
    ) -> Option<&mut SourceRecord> {
        let n = self.n_sources;
        self.sources
            .get_mut(..n)?
            .iter_mut()
            .find(|r| r.source == source && r.object_id == object_id)
    }

    pub(super) fn record(&self, source: SourceId, object_id: u64) -> Option<&SourceRecord> {
        self.sources()
            .iter()
            .find(|r| r.source == source && r.object_id == object_id)
    }

    pub(super) fn remove_record_at(&mut self, i: usize) {
        if i < self.n_sources {
            let n = self.n_sources;
            if let Some(s) = self.sources.get_mut(i..n) {
                s.rotate_left(1);
            }
            self.n_sources -= 1;
        }
    }

    pub(super) fn add_record(&mut self, rec: SourceRecord) {
        if let Some(r) = self.record_mut(rec.source, rec.object_id) {
            // The record is as verified as its latest report.
            if rec.last_update > r.last_update {
                r.verified = rec.verified;
            } else if rec.last_update == r.last_update {
                r.verified &= rec.verified;
            }
            r.last_update = r.last_update.max(rec.last_update);
            r.updates = r.updates.saturating_add(rec.updates);
            r.first_seen = r.first_seen.min(rec.first_seen);
            return;
        }
        if self.n_sources < MAX_SOURCES {
            if let Some(slot) = self.sources.get_mut(self.n_sources) {
                *slot = rec;
                self.n_sources += 1;
            }
            return;
        }
        // Full: replace the stalest.
        let mut oldest = 0;
        for (i, r) in self.sources.iter().enumerate() {
            if self
                .sources
                .get(oldest)
                .is_some_and(|o| r.last_update < o.last_update)
            {
                oldest = i;
            }
        }
        if let Some(slot) = self.sources.get_mut(oldest) {
            *slot = rec;
        }
    }

    /// Whether every source record's latest report came from a verified message.
    pub fn verified(&self) -> bool {
        self.sources().iter().all(|r| r.verified)
    }

    pub(super) fn fresh_onboard(&self, now: Timestamp, window_us: i64) -> bool {
        self.sources().iter().any(|r| {
            r.source.kind == SourceKind::Onboard && now.micros_since(r.last_update) <= window_us
        })
    }

    pub(super) fn gate_item(&self, active: bool) -> GateItem {
        GateItem {
            pos: self.filter.position(),
            cov: self.filter.position_cov(),
            class: self.class,
            active,
        }
    }
}
