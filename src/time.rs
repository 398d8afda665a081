//! Time: the TAI 2004 epoch of IEEE 1609.2, leap seconds, and the CSAE message time fields
//! (`MinuteOfYear`, `DSecond` / `secMark`).
//!
//! A [`Timestamp`] counts **microseconds since 2004-01-01 00:00:00 UTC on the TAI scale**, the
//! scale of IEEE 1609.2 `Time64` (and, divided by 10⁶, of `Time32`). TAI does not jump at leap
//! seconds, so differences of timestamps are true elapsed time. The CSAE message fields are UTC
//! based: [`Timestamp::to_unix_utc_millis`] and [`Timestamp::from_unix_utc_millis`] convert with
//! the leap second table ([`LEAP_SECONDS_SINCE_2004`]; 5 as of 2017).
//!
//! Nothing here reads a clock: every absolute time is computed from a reference time the caller
//! supplies (the receive time, the current fusion time).

use thiserror::Error;

/// Unix time (UTC seconds) of 2004-01-01 00:00:00 UTC, the epoch of [`Timestamp`].
pub const EPOCH_2004_UNIX_S: i64 = 1_072_915_200;

/// Unix times (UTC seconds) at which a leap second had just been inserted, since 2004:
/// after 2005-12-31, 2008-12-31, 2012-06-30, 2015-06-30 and 2016-12-31 (5 in total as of 2017).
pub const LEAP_SECONDS_SINCE_2004: [i64; 5] = [
    1_136_073_600,
    1_230_768_000,
    1_341_100_800,
    1_435_708_800,
    1_483_228_800,
];

/// Milliseconds in a minute.
const MINUTE_MS: i64 = 60_000;
/// Largest valid minute-of-year value (the last minute of a leap year).
pub const MINUTE_OF_YEAR_MAX: u32 = 527_039;
/// `MinuteOfYear` value meaning "invalid / unavailable".
pub const MINUTE_OF_YEAR_INVALID: u32 = 527_040;
/// Largest `DSecond` value that is a millisecond within a minute (a leap second runs 60000..=60999).
pub const DSECOND_MAX_MS: u16 = 60_999;

/// Errors of the time helpers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum TimeError {
    /// `DSecond` outside 0..=60999 (reserved or "unavailable").
    #[error("DSecond value {0} is reserved or unavailable")]
    DSecondUnavailable(u16),
    /// `MinuteOfYear` outside 0..=527039 (527040 means unavailable).
    #[error("MinuteOfYear value {0} is invalid or unavailable")]
    MinuteOfYearInvalid(u32),
    /// The minute-of-year does not exist in any candidate year near the reference
    /// (minute 525600 and above outside a leap year).
    #[error("MinuteOfYear value {0} does not exist near the reference year")]
    MinuteOfYearNotInYear(u32),
    /// The computation left the representable range.
    #[error("time out of range")]
    OutOfRange,
}

/// An absolute time: microseconds since 2004-01-01 00:00:00 UTC counted in TAI (IEEE 1609.2
/// `Time64`). Ordered, copyable, cheap; never read from a clock inside this crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The epoch itself.
    pub const EPOCH: Timestamp = Timestamp(0);

    /// From microseconds since the epoch (TAI).
    pub const fn from_micros(us: i64) -> Self {
        Timestamp(us)
    }

    /// From milliseconds since the epoch (TAI), saturating.
    pub const fn from_millis(ms: i64) -> Self {
        Timestamp(ms.saturating_mul(1000))
    }

    /// From an IEEE 1609.2 `Time64` (TAI microseconds since the epoch), saturating.
    pub fn from_time64(us: u64) -> Self {
        Timestamp(i64::try_from(us).unwrap_or(i64::MAX))
    }

    /// From an IEEE 1609.2 `Time32` (TAI seconds since the epoch).
    pub const fn from_time32(s: u32) -> Self {
        Timestamp(s as i64 * 1_000_000)
    }

    /// Microseconds since the epoch.
    pub const fn as_micros(self) -> i64 {
        self.0
    }

    /// Milliseconds since the epoch (floored).
    pub const fn as_millis(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// This time plus `us` microseconds, saturating.
    pub const fn add_micros(self, us: i64) -> Self {
        Timestamp(self.0.saturating_add(us))
    }

    /// This time plus `ms` milliseconds, saturating.
    pub const fn add_millis(self, ms: i64) -> Self {
        Timestamp(self.0.saturating_add(ms.saturating_mul(1000)))
    }

    /// `self - earlier` in microseconds, saturating.
    pub const fn micros_since(self, earlier: Timestamp) -> i64 {
        self.0.saturating_sub(earlier.0)
    }

    /// `self - earlier` in seconds.
    pub fn seconds_since(self, earlier: Timestamp) -> f64 {
        self.micros_since(earlier) as f64 * 1e-6
    }

    /// From Unix time in UTC milliseconds (leap seconds applied).
    pub fn from_unix_utc_millis(unix_ms: i64) -> Self {
        let unix_s = unix_ms.div_euclid(1000);
        let leaps = leap_seconds_at_unix(unix_s);
        let ms = unix_ms
            .saturating_sub(EPOCH_2004_UNIX_S * 1000)
            .saturating_add(leaps * 1000);
        Timestamp::from_millis(ms)
    }

    /// To Unix time in UTC milliseconds (leap seconds removed; during an inserted leap second the
    /// previous UTC second repeats).
    pub fn to_unix_utc_millis(self) -> i64 {
        let tai_ms = self.as_millis();
        let mut n = 0i64;
        for (i, b) in LEAP_SECONDS_SINCE_2004.iter().enumerate() {
            let at = (b - EPOCH_2004_UNIX_S + i as i64 + 1) * 1000;
            if tai_ms >= at {
                n += 1;
            }
        }
        tai_ms
            .saturating_sub(n * 1000)
            .saturating_add(EPOCH_2004_UNIX_S * 1000)
    }

    /// The UTC minute of the year and the millisecond within that minute of this time.
    pub fn to_minute_of_year(self) -> (MinuteOfYear, DSecond) {
        let unix_ms = self.to_unix_utc_millis();
        let (year, _, _) = civil_from_days(unix_ms.div_euclid(86_400_000));
        let into_year = unix_ms - year_start_unix_ms(year);
        let moy = (into_year.div_euclid(MINUTE_MS)).clamp(0, MINUTE_OF_YEAR_MAX as i64) as u32;
        let ms = into_year.rem_euclid(MINUTE_MS) as u16;
        (MinuteOfYear(moy), DSecond(ms))
    }
}

/// Leap seconds inserted since 2004 up to Unix time `unix_s` (UTC seconds).
pub fn leap_seconds_at_unix(unix_s: i64) -> i64 {
    LEAP_SECONDS_SINCE_2004
        .iter()
        .filter(|b| unix_s >= **b)
        .count() as i64
}

/// CSAE `MinuteOfYear`: UTC minutes since the start of the year, 0..=527039.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MinuteOfYear(u32);

impl MinuteOfYear {
    /// Checks the range (527040 = unavailable is an error).
    pub fn new(minutes: u32) -> Result<Self, TimeError> {
        if minutes > MINUTE_OF_YEAR_MAX {
            Err(TimeError::MinuteOfYearInvalid(minutes))
        } else {
            Ok(MinuteOfYear(minutes))
        }
    }

    /// The raw value.
    pub const fn get(self) -> u32 {
        self.0
    }
}

/// CSAE `DSecond` (also `secMark`): milliseconds within the UTC minute, 0..=59999, 60000..=60999
/// during a leap second; larger values are reserved or "unavailable" (65535).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DSecond(u16);

impl DSecond {
    /// Checks the range.
    pub fn new(ms: u16) -> Result<Self, TimeError> {
        if ms > DSECOND_MAX_MS {
            Err(TimeError::DSecondUnavailable(ms))
        } else {
            Ok(DSecond(ms))
        }
    }

    /// Milliseconds within the minute.
    pub const fn millis(self) -> u16 {
        self.0
    }
}

/// Resolves a `secMark` / `DSecond` to the absolute time nearest `reference` (the candidates are
/// that millisecond in the reference's UTC minute and in the minutes before and after), so a
/// secMark of 59 900 received at 00.100 of the next minute resolves 200 ms in the past.
pub fn resolve_sec_mark(sec_mark: DSecond, reference: Timestamp) -> Result<Timestamp, TimeError> {
    let ref_unix = reference.to_unix_utc_millis();
    let minute = ref_unix.div_euclid(MINUTE_MS) * MINUTE_MS;
    let mut best: Option<Timestamp> = None;
    for k in [-1i64, 0, 1] {
        let start_utc = minute
            .checked_add(k * MINUTE_MS)
            .ok_or(TimeError::OutOfRange)?;
        let cand = Timestamp::from_unix_utc_millis(start_utc).add_millis(i64::from(sec_mark.0));
        best = Some(nearer(best, cand, reference));
    }
    best.ok_or(TimeError::OutOfRange)
}

/// Resolves `MinuteOfYear` + `DSecond` to the absolute time nearest `reference`, trying the
/// reference's UTC year and the years before and after (so minute 527 039 of a leap year received
/// in the first minute of the next year resolves to the old year). Minutes that do not exist in a
/// candidate year (525 600 and above outside leap years) are skipped.
pub fn resolve_minute_of_year(
    moy: MinuteOfYear,
    ms: DSecond,
    reference: Timestamp,
) -> Result<Timestamp, TimeError> {
    let ref_unix = reference.to_unix_utc_millis();
    let (year, _, _) = civil_from_days(ref_unix.div_euclid(86_400_000));
    let mut best: Option<Timestamp> = None;
    for y in [year - 1, year, year + 1] {
        if i64::from(moy.0) >= minutes_in_year(y) {
            continue;
        }
        let start_utc = year_start_unix_ms(y) + i64::from(moy.0) * MINUTE_MS;
        let cand = Timestamp::from_unix_utc_millis(start_utc).add_millis(i64::from(ms.0));
        best = Some(nearer(best, cand, reference));
    }
    best.ok_or(TimeError::MinuteOfYearNotInYear(moy.0))
}

fn nearer(best: Option<Timestamp>, cand: Timestamp, reference: Timestamp) -> Timestamp {
    match best {
        Some(b)
            if b.micros_since(reference).unsigned_abs()
                <= cand.micros_since(reference).unsigned_abs() =>
        {
            b
        }
        _ => cand,
    }
}

/// Whether `year` is a Gregorian leap year.
pub const fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn minutes_in_year(year: i64) -> i64 {
    if is_leap_year(year) {
        366 * 1440
    } else {
        365 * 1440
    }
}

fn year_start_unix_ms(year: i64) -> i64 {
    days_from_civil(year, 1, 1).saturating_mul(86_400_000)
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Proleptic Gregorian (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i64, mo: i64, d: i64, h: i64, mi: i64, s: i64, ms: i64) -> i64 {
        days_from_civil(y, mo, d) * 86_400_000 + ((h * 60 + mi) * 60 + s) * 1000 + ms
    }

    #[test]
    fn civil_round_trip() {
        for days in [-800_000i64, -1, 0, 1, 12_000, 19_000, 20_000, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(2004, 1, 1) * 86_400, EPOCH_2004_UNIX_S);
    }

    #[test]
    fn tai_offset_counts_five_leap_seconds_after_2017() {
        let t = Timestamp::from_unix_utc_millis(utc(2020, 1, 1, 0, 0, 0, 0));
        let naive_ms = utc(2020, 1, 1, 0, 0, 0, 0) - EPOCH_2004_UNIX_S * 1000;
        assert_eq!(t.as_millis() - naive_ms, 5000);
        let t = Timestamp::from_unix_utc_millis(utc(2005, 6, 1, 0, 0, 0, 0));
        assert_eq!(
            t.as_millis(),
            utc(2005, 6, 1, 0, 0, 0, 0) - EPOCH_2004_UNIX_S * 1000
        );
        // Two instants across the 2016-12-31 leap second are 2 s apart in TAI, 1 s in UTC.
        let a = Timestamp::from_unix_utc_millis(utc(2016, 12, 31, 23, 59, 59, 0));
        let b = Timestamp::from_unix_utc_millis(utc(2017, 1, 1, 0, 0, 0, 0));
        assert_eq!(b.micros_since(a), 2_000_000);
    }

    #[test]
    fn utc_round_trip() {
        for u in [
            utc(2004, 1, 1, 0, 0, 0, 0),
            utc(2012, 7, 1, 0, 0, 0, 1),
            utc(2024, 2, 29, 23, 59, 59, 999),
            utc(2031, 12, 31, 12, 0, 0, 0),
        ] {
            assert_eq!(Timestamp::from_unix_utc_millis(u).to_unix_utc_millis(), u);
        }
    }

    #[test]
    fn sec_mark_nearest_candidate_across_minute_wrap() {
        let reference = Timestamp::from_unix_utc_millis(utc(2024, 5, 5, 10, 31, 0, 100));
        let t = resolve_sec_mark(DSecond::new(59_900).unwrap(), reference).unwrap();
        assert_eq!(reference.micros_since(t), 200_000);
        let reference = Timestamp::from_unix_utc_millis(utc(2024, 5, 5, 10, 30, 59, 950));
        let t = resolve_sec_mark(DSecond::new(50).unwrap(), reference).unwrap();
        assert_eq!(t.micros_since(reference), 100_000);
        let t = resolve_sec_mark(DSecond::new(30_000).unwrap(), reference).unwrap();
        assert_eq!(
            t.to_unix_utc_millis(),
            utc(2024, 5, 5, 10, 30, 30, 0),
            "same minute"
        );
        assert!(DSecond::new(65_535).is_err());
    }

    #[test]
    fn minute_of_year_wraps_at_year_boundary_in_leap_and_common_years() {
        // Last minute of leap year 2024 received just after new year 2025.
        let reference = Timestamp::from_unix_utc_millis(utc(2025, 1, 1, 0, 0, 0, 300));
        let moy = MinuteOfYear::new(366 * 1440 - 1).unwrap();
        let t = resolve_minute_of_year(moy, DSecond::new(59_800).unwrap(), reference).unwrap();
        assert_eq!(t.to_unix_utc_millis(), utc(2024, 12, 31, 23, 59, 59, 800));
        assert_eq!(reference.micros_since(t), 500_000);
        // Last minute of common year 2025.
        let reference = Timestamp::from_unix_utc_millis(utc(2026, 1, 1, 0, 0, 0, 100));
        let moy = MinuteOfYear::new(365 * 1440 - 1).unwrap();
        let t = resolve_minute_of_year(moy, DSecond::new(59_950).unwrap(), reference).unwrap();
        assert_eq!(reference.micros_since(t), 150_000);
        // A sender slightly ahead: minute 0 of the new year, received at the end of the old one.
        let reference = Timestamp::from_unix_utc_millis(utc(2025, 12, 31, 23, 59, 59, 900));
        let t = resolve_minute_of_year(
            MinuteOfYear::new(0).unwrap(),
            DSecond::new(100).unwrap(),
            reference,
        )
        .unwrap();
        assert_eq!(t.micros_since(reference), 200_000);
        // Minute 525600 exists only in leap years: near 2025/2026 it cannot be resolved.
        let moy = MinuteOfYear::new(525_600).unwrap();
        let reference = Timestamp::from_unix_utc_millis(utc(2026, 6, 1, 0, 0, 0, 0));
        assert_eq!(
            resolve_minute_of_year(moy, DSecond::new(0).unwrap(), reference),
            Err(TimeError::MinuteOfYearNotInYear(525_600))
        );
        assert!(MinuteOfYear::new(MINUTE_OF_YEAR_INVALID).is_err());
    }

    #[test]
    fn minute_of_year_round_trip() {
        let t = Timestamp::from_unix_utc_millis(utc(2024, 3, 1, 12, 34, 56, 789));
        let (moy, ms) = t.to_minute_of_year();
        assert_eq!(moy.get(), (31 + 29) * 1440 + 12 * 60 + 34);
        assert_eq!(ms.millis(), 56_789);
        assert_eq!(resolve_minute_of_year(moy, ms, t.add_millis(7_000)), Ok(t));
    }
}
