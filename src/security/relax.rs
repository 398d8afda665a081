//! Deployment policy for imperfect PKIs: named, opt-in relaxations of IEEE 1609.2 chain
//! consistency.
//!
//! The verifier checks every link of a chain strictly by default (IEEE 1609.2 5.1.2: the
//! subject's permissions, validity and chain length lie within what its issuer grants). Deployed
//! PKIs do not always meet those rules (see "Deployed PKIs" in [`crate::security`]): a deployment
//! that must accept such a PKI switches on exactly the relaxation it needs in
//! [`Config::relax`](super::Config::relax). Each verdict reports the relaxations it relied on
//! ([`Report::relaxations`](super::Report::relaxations)), and the verifier counts every accepted
//! verdict that relied on each one ([`Verifier::relaxation_counts`](super::Verifier::relaxation_counts)).
//!
//! There is no relaxation, and never will be one, for a signature, for time (every certificate of
//! a chain must be valid when the message was generated) or for revocation.

use core::fmt;

use super::error::SecurityError;

/// One opt-in deviation from the chain-consistency rules of IEEE 1609.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Relaxation {
    /// An end-entity certificate may carry app permissions (AIDs, or SSPs outside the allowed
    /// range) that its direct issuer's `certIssuePermissions` do not list, as long as the issuer
    /// is a CA (has issue permissions at all). Only that last link is relaxed: every CA above
    /// must still cover the AID. Without it the chain fails with `issuer_not_permitted`.
    EePermissionsOutsideIssuer,
    /// A certificate's validity period may begin before or end after its issuer's. Time itself
    /// is not relaxed: every certificate of the chain must then be valid at the verification
    /// time (the chain is valid only where all validity periods overlap), and a cached chain
    /// expires with the first of them. Without it: `validity_not_inside_issuer`.
    ValidityNotNested,
    /// The `minChainLength` / `chainLengthRange` constraints of the issuers' permission groups
    /// are not enforced (the AID must still be covered by a group). The verifier's own
    /// [`Config::max_chain_length`](super::Config::max_chain_length) still applies. Without it:
    /// `excessive_chain_length`.
    ChainLengthConstraints,
}

impl Relaxation {
    /// Every relaxation, in report order.
    pub const ALL: [Relaxation; 3] = [
        Relaxation::EePermissionsOutsideIssuer,
        Relaxation::ValidityNotNested,
        Relaxation::ChainLengthConstraints,
    ];

    /// The stable snake_case name used in configurations, reports and on the command line.
    pub const fn code(self) -> &'static str {
        match self {
            Relaxation::EePermissionsOutsideIssuer => "ee_permissions_outside_issuer",
            Relaxation::ValidityNotNested => "validity_not_nested",
            Relaxation::ChainLengthConstraints => "chain_length_constraints",
        }
    }

    /// The relaxation named `code`.
    pub fn from_code(code: &str) -> Option<Relaxation> {
        Relaxation::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The failure this relaxation lets through when it is on.
    pub const fn relaxes(self) -> SecurityError {
        match self {
            Relaxation::EePermissionsOutsideIssuer => SecurityError::IssuerNotPermitted,
            Relaxation::ValidityNotNested => SecurityError::ValidityNotInsideIssuer,
            Relaxation::ChainLengthConstraints => SecurityError::ExcessiveChainLength,
        }
    }

    const fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Relaxation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A set of relaxations: those a policy switches on, or those a verdict relied on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct RelaxationSet(u8);

impl RelaxationSet {
    /// No relaxation: strict IEEE 1609.2 (the default).
    pub const EMPTY: RelaxationSet = RelaxationSet(0);

    /// This set with `r` added.
    #[must_use]
    pub const fn with(self, r: Relaxation) -> RelaxationSet {
        RelaxationSet(self.0 | r.bit())
    }

    /// Whether `r` is in the set.
    pub const fn contains(self, r: Relaxation) -> bool {
        self.0 & r.bit() != 0
    }

    /// Adds `r`.
    pub fn insert(&mut self, r: Relaxation) {
        self.0 |= r.bit();
    }

    /// The union of two sets.
    #[must_use]
    pub const fn union(self, other: RelaxationSet) -> RelaxationSet {
        RelaxationSet(self.0 | other.0)
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The relaxations in the set, in [`Relaxation::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Relaxation> {
        Relaxation::ALL
            .into_iter()
            .filter(move |r| self.contains(*r))
    }
}

impl FromIterator<Relaxation> for RelaxationSet {
    fn from_iter<I: IntoIterator<Item = Relaxation>>(iter: I) -> Self {
        iter.into_iter()
            .fold(RelaxationSet::EMPTY, RelaxationSet::with)
    }
}

/// How many accepted verdicts relied on each relaxation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RelaxationCounts([u64; Relaxation::ALL.len()]);

impl RelaxationCounts {
    /// Accepted verdicts that relied on `r`.
    pub fn get(&self, r: Relaxation) -> u64 {
        self.0.get(r as usize).copied().unwrap_or(0)
    }

    /// Counts one accepted verdict that relied on the relaxations in `set`.
    pub(crate) fn record(&mut self, set: RelaxationSet) {
        for r in set.iter() {
            if let Some(n) = self.0.get_mut(r as usize) {
                *n = n.saturating_add(1);
            }
        }
    }

    /// Every relaxation with its count, in [`Relaxation::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (Relaxation, u64)> + '_ {
        Relaxation::ALL.into_iter().map(|r| (r, self.get(r)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_sets_hold_what_was_put_in() {
        for r in Relaxation::ALL {
            assert_eq!(Relaxation::from_code(r.code()), Some(r));
        }
        assert_eq!(Relaxation::from_code("signature"), None);
        let s = RelaxationSet::EMPTY.with(Relaxation::ValidityNotNested);
        assert!(s.contains(Relaxation::ValidityNotNested));
        assert!(!s.contains(Relaxation::ChainLengthConstraints));
        let u = s.union([Relaxation::ChainLengthConstraints].into_iter().collect());
        assert_eq!(
            u.iter().collect::<Vec<_>>(),
            [
                Relaxation::ValidityNotNested,
                Relaxation::ChainLengthConstraints
            ]
        );
        let mut c = RelaxationCounts::default();
        c.record(u);
        c.record(s);
        assert_eq!(c.get(Relaxation::ValidityNotNested), 2);
        assert_eq!(c.get(Relaxation::ChainLengthConstraints), 1);
        assert_eq!(c.get(Relaxation::EePermissionsOutsideIssuer), 0);
    }
}
