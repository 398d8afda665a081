//! The one expiry and limit discipline every world store follows.
//!
//! A [`Bounded`] store keeps at most `capacity` entries, one per key. Storing an entry whose
//! key is present replaces it; storing a new key when the store is full evicts the entry
//! received longest ago. [`Bounded::expire`] drops entries not refreshed within the store's
//! maximum age. Everything that happens is counted in [`StoreCounters`], so a full or ageing
//! store is visible to the caller, never silent.
use alloc::vec::Vec;

use crate::time::Timestamp;

/// What a store did since it was created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct StoreCounters {
    /// Entries stored or refreshed.
    pub stored: u64,
    /// Entries evicted because the store was full.
    pub evicted: u64,
    /// Entries dropped because they were not refreshed in time.
    pub expired: u64,
    /// Parts of entries dropped for limits (lanes, points, phases, paths).
    pub truncated: u64,
    /// Entries rejected (unusable position or reference frame).
    pub rejected: u64,
}

impl StoreCounters {
    /// The sum of two counter sets (for totals over several stores).
    pub fn add(&self, other: &StoreCounters) -> StoreCounters {
        StoreCounters {
            stored: self.stored + other.stored,
            evicted: self.evicted + other.evicted,
            expired: self.expired + other.expired,
            truncated: self.truncated + other.truncated,
            rejected: self.rejected + other.rejected,
        }
    }
}

/// An entry of a [`Bounded`] store: its key and when it was last received.
pub trait Entry {
    /// What identifies the entry (an intersection, a sender, an RSI item, …).
    type Key: PartialEq + Copy;
    /// The entry's key.
    fn key(&self) -> Self::Key;
    /// When the entry was last received.
    fn received(&self) -> Timestamp;
}

/// A store of at most `capacity` entries, one per key, each dropped when older than `max_age`.
#[derive(Debug, Clone)]
pub struct Bounded<T> {
    items: Vec<T>,
    capacity: usize,
    max_age_us: i64,
    counters: StoreCounters,
}

impl<T: Entry> Bounded<T> {
    /// An empty store of at most `capacity` (at least 1) entries that expire `max_age_ms` after
    /// they were last received. Room for the entries is reserved up front (up to 1024).
    pub fn new(capacity: usize, max_age_ms: i64) -> Self {
        let capacity = capacity.max(1);
        Bounded {
            items: Vec::with_capacity(capacity.min(1024)),
            capacity,
            max_age_us: max_age_ms.saturating_mul(1000),
            counters: StoreCounters::default(),
        }
    }

    /// Stores `item`, replacing the entry with the same key or, when full, evicting the entry
    /// received longest ago. Returns the stored entry.
    pub fn upsert(&mut self, item: T) -> &mut T {
        self.counters.stored += 1;
        let k = item.key();
        if let Some(i) = self.items.iter().position(|e| e.key() == k) {
            self.items[i] = item;
            return &mut self.items[i];
        }
        if self.items.len() >= self.capacity {
            let oldest = self
                .items
                .iter()
                .enumerate()
                .min_by_key(|(_, e)| e.received())
                .map(|(idx, _)| idx);
            if let Some(idx) = oldest {
                self.items.swap_remove(idx);
                self.counters.evicted += 1;
            }
        }
        self.items.push(item);
        let last = self.items.len() - 1;
        &mut self.items[last]
    }

    /// Drops the entries not refreshed within the maximum age at `now`.
    pub fn expire(&mut self, now: Timestamp) {
        let before = self.items.len();
        let max = self.max_age_us;
        self.items.retain(|i| now.micros_since(i.received()) <= max);
        self.counters.expired += (before - self.items.len()) as u64;
    }

    /// Removes the entries for which `f` is false (counted as expired).
    pub fn retain(&mut self, f: impl FnMut(&T) -> bool) {
        let before = self.items.len();
        self.items.retain(f);
        self.counters.expired += (before - self.items.len()) as u64;
    }

    /// Removes the entry with key `k` (taken back, not expired: not counted); returns whether
    /// there was one.
    pub fn remove(&mut self, k: T::Key) -> bool {
        match self.items.iter().position(|e| e.key() == k) {
            Some(i) => {
                self.items.swap_remove(i);
                true
            }
            None => false,
        }
    }

    /// The entry with key `k`.
    pub fn get(&self, k: T::Key) -> Option<&T> {
        self.items.iter().find(|i| i.key() == k)
    }

    /// The entries, in no particular order.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The most entries the store keeps.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// What the store did.
    pub fn counters(&self) -> &StoreCounters {
        &self.counters
    }

    /// Counts a rejected entry.
    pub fn reject(&mut self) {
        self.counters.rejected += 1;
    }

    /// Counts `n` parts dropped for limits.
    pub fn truncated(&mut self, n: u64) {
        self.counters.truncated += n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq)]
    struct E(u8, i64, u32);

    impl Entry for E {
        type Key = u8;
        fn key(&self) -> u8 {
            self.0
        }
        fn received(&self) -> Timestamp {
            Timestamp::from_micros(self.1 * 1000)
        }
    }

    #[test]
    fn replaces_by_key_evicts_the_oldest_and_expires() {
        let mut s = Bounded::new(2, 100);
        s.upsert(E(1, 0, 10));
        s.upsert(E(2, 10, 20));
        assert_eq!(s.upsert(E(1, 20, 11)).2, 11, "same key replaced");
        assert_eq!(s.len(), 2);
        // full: key 2 (received at 10 ms) is the oldest now
        s.upsert(E(3, 30, 30));
        assert_eq!(s.len(), 2);
        assert!(s.get(2).is_none());
        assert_eq!(s.get(1).map(|e| e.2), Some(11));
        assert_eq!(s.counters().evicted, 1);
        assert_eq!(s.counters().stored, 4);
        // at 125 ms key 1 (20 ms) is 105 ms old: expired; key 3 (30 ms) is 95 ms old: kept
        s.expire(Timestamp::from_micros(125_000));
        assert!(s.get(1).is_none());
        assert!(s.get(3).is_some());
        assert_eq!(s.counters().expired, 1);
    }

    #[test]
    fn capacity_is_at_least_one() {
        let mut s = Bounded::new(0, 100);
        s.upsert(E(1, 0, 1));
        s.upsert(E(2, 1, 2));
        assert_eq!(s.len(), 1);
        assert_eq!(s.capacity(), 1);
        assert!(s.get(2).is_some());
    }
}
