//! Message-set generations in C form: which sets a stack reads received frames with
//! (`cv2x_stack_config.accept_sets`, `default_set`, `set_flags`), rules that name the set per
//! AID, per sender or per region (`cv2x_set_rule`, given to `cv2x_stack_new_with_set_rules`),
//! and the codes that report a frame's set (`CV2X_STD_*` in `cv2x_ingest_outcome.message_set`
//! and in `CV2X_EVENT_LIFTED` / `CV2X_EVENT_AMBIGUOUS` events, `CV2X_SETS_*` bits).

use cv2x::geo::Wgs84;
use cv2x::msg::Standard;
use cv2x::stack::{Area, SetRule, Sets};

use crate::codec::{CV2X_STD_CSAE53_2017, CV2X_STD_CSAE53_2019, CV2X_STD_CSAE53_2020, standard};
use crate::result::*;

/// A `CV2X_SETS_*` bit: T/CSAE 53-2020 (with the Day II messages of T/CSAE 157-2020).
pub const CV2X_SETS_2020: u32 = 1u32 << 0;
/// A `CV2X_SETS_*` bit: the 2019 release of the Day I set.
pub const CV2X_SETS_2019: u32 = 1u32 << 1;
/// A `CV2X_SETS_*` bit: T/CSAE 53-2017.
pub const CV2X_SETS_2017: u32 = 1u32 << 2;
/// Every message set.
pub const CV2X_SETS_ALL: u32 = CV2X_SETS_2020 | CV2X_SETS_2019 | CV2X_SETS_2017;

/// `cv2x_stack_config.set_flags`: frames no rule covers are read by detection (every accepted
/// set tries them; an ambiguous frame is counted, reported and read with the default set);
/// without it every such frame is read with `default_set`. Default on.
pub const CV2X_SETS_DETECT: u32 = 1u32 << 0;
/// `cv2x_stack_config.set_flags`: report lifts that lost or changed something
/// (`CV2X_EVENT_LIFTED`) and ambiguous frames (`CV2X_EVENT_AMBIGUOUS`) as events; they are
/// counted either way. Default on.
pub const CV2X_SETS_REPORT: u32 = 1u32 << 1;
pub(crate) const SET_FLAGS: u32 = CV2X_SETS_DETECT | CV2X_SETS_REPORT;

/// `cv2x_set_rule.kind`: frames with the DSMP AID (or SPDU PSID) `aid`.
pub const CV2X_SET_RULE_AID: u32 = 1;
/// `cv2x_set_rule.kind`: frames from the sender `id`: the transport source given to
/// `cv2x_stack_ingest_from`, or the 8-octet id inside the message.
pub const CV2X_SET_RULE_SOURCE: u32 = 2;
/// `cv2x_set_rule.kind`: frames about places within `radius_m` of (`lat_deg`, `lon_deg`).
pub const CV2X_SET_RULE_CIRCLE: u32 = 3;
/// `cv2x_set_rule.kind`: frames about places between `south_deg` .. `north_deg` and
/// `west_deg` .. `east_deg` (`west_deg > east_deg` crosses the antimeridian).
pub const CV2X_SET_RULE_RECT: u32 = 4;
/// Most rules `cv2x_stack_new_with_set_rules` takes.
pub const CV2X_MAX_SET_RULES: usize = 256;

/// A configured choice of message set. Rules apply in this order: a source rule naming the
/// transport source, then source rules naming the id inside the message and region rules (in
/// the order given), then AID rules, then detection. A set chosen by a rule that cannot decode
/// the frame drops it as a decode failure. Only the fields of `kind` are read.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct cv2x_set_rule {
    /// `CV2X_SET_RULE_*`.
    pub kind: u32,
    /// The set the rule chooses (`CV2X_STD_*`).
    pub set: u32,
    /// `CV2X_SET_RULE_AID`: the AID.
    pub aid: u32,
    /// Padding (0).
    pub reserved0: u32,
    /// `CV2X_SET_RULE_SOURCE`: the sender's id (a short transport id right-aligned).
    pub id: [u8; 8],
    /// `CV2X_SET_RULE_CIRCLE`: centre latitude, degrees.
    pub lat_deg: f64,
    /// `CV2X_SET_RULE_CIRCLE`: centre longitude, degrees.
    pub lon_deg: f64,
    /// `CV2X_SET_RULE_CIRCLE`: radius, m (> 0).
    pub radius_m: f64,
    /// `CV2X_SET_RULE_RECT`: southern latitude, degrees.
    pub south_deg: f64,
    /// `CV2X_SET_RULE_RECT`: western longitude, degrees.
    pub west_deg: f64,
    /// `CV2X_SET_RULE_RECT`: northern latitude, degrees (>= `south_deg`).
    pub north_deg: f64,
    /// `CV2X_SET_RULE_RECT`: eastern longitude, degrees.
    pub east_deg: f64,
}

/// Frozen size of `cv2x_set_rule`.
pub const CV2X_SET_RULE_SIZE: usize = 80;
const _: () = assert!(std::mem::size_of::<cv2x_set_rule>() == CV2X_SET_RULE_SIZE);

/// The `CV2X_STD_*` code of a set (0 for a set newer than this ABI).
pub(crate) fn std_code(s: Standard) -> u32 {
    match s {
        Standard::Csae53_2020 => CV2X_STD_CSAE53_2020,
        Standard::Csae53_2019 => CV2X_STD_CSAE53_2019,
        Standard::Csae53_2017 => CV2X_STD_CSAE53_2017,
        // non_exhaustive: a set added to the codec after this table
        _ => 0,
    }
}

/// The `CV2X_SETS_*` bits of a set of sets.
pub(crate) fn sets_bits(s: Sets) -> u32 {
    s.iter().fold(0, |b, st| {
        b | match std_code(st) {
            CV2X_STD_CSAE53_2020 => CV2X_SETS_2020,
            CV2X_STD_CSAE53_2019 => CV2X_SETS_2019,
            CV2X_STD_CSAE53_2017 => CV2X_SETS_2017,
            _ => 0,
        }
    })
}

/// The sets of `CV2X_SETS_*` bits (`CV2X_ERR_INVALID_PARAMETER` for none or unknown bits).
pub(crate) fn sets_of(bits: u32) -> Result<Sets, cv2x_result> {
    if bits == 0 || bits & !CV2X_SETS_ALL != 0 {
        return Err(CV2X_ERR_INVALID_PARAMETER);
    }
    let mut s = Sets::NONE;
    for (bit, st) in [
        (CV2X_SETS_2020, Standard::Csae53_2020),
        (CV2X_SETS_2019, Standard::Csae53_2019),
        (CV2X_SETS_2017, Standard::Csae53_2017),
    ] {
        if bits & bit != 0 {
            s = s.with(st);
        }
    }
    Ok(s)
}

/// A rule read and checked.
pub(crate) fn rule_of(r: &cv2x_set_rule) -> Result<SetRule, cv2x_result> {
    let bad = CV2X_ERR_INVALID_PARAMETER;
    let set = standard(r.set)?;
    let lat_ok = |v: f64| (-90.0..=90.0).contains(&v);
    let lon_ok = |v: f64| (-180.0..=180.0).contains(&v);
    Ok(match r.kind {
        CV2X_SET_RULE_AID => SetRule::Aid { aid: r.aid, set },
        CV2X_SET_RULE_SOURCE => SetRule::Source { id: r.id, set },
        CV2X_SET_RULE_CIRCLE => {
            let center = Wgs84::new(r.lat_deg, r.lon_deg, 0.0);
            if center.validate().is_err() || !(r.radius_m.is_finite() && r.radius_m > 0.0) {
                return Err(bad);
            }
            SetRule::Region {
                area: Area::Circle {
                    center,
                    radius_m: r.radius_m,
                },
                set,
            }
        }
        CV2X_SET_RULE_RECT => {
            if !(lat_ok(r.south_deg)
                && lat_ok(r.north_deg)
                && lon_ok(r.west_deg)
                && lon_ok(r.east_deg)
                && r.south_deg <= r.north_deg)
            {
                return Err(bad);
            }
            SetRule::Region {
                area: Area::Rect {
                    south_deg: r.south_deg,
                    west_deg: r.west_deg,
                    north_deg: r.north_deg,
                    east_deg: r.east_deg,
                },
                set,
            }
        }
        _ => return Err(bad),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_bits_round_trip_and_rules_are_checked() {
        for bits in 1..=CV2X_SETS_ALL {
            assert_eq!(sets_bits(sets_of(bits).unwrap()), bits);
        }
        assert!(sets_of(0).is_err() && sets_of(8).is_err());
        let mut r = cv2x_set_rule {
            kind: CV2X_SET_RULE_CIRCLE,
            set: CV2X_STD_CSAE53_2019,
            lat_deg: 31.2,
            lon_deg: 121.4,
            radius_m: 500.0,
            ..cv2x_set_rule::default()
        };
        assert!(matches!(
            rule_of(&r),
            Ok(SetRule::Region {
                set: Standard::Csae53_2019,
                ..
            })
        ));
        r.radius_m = f64::NAN;
        assert!(rule_of(&r).is_err());
        r.kind = CV2X_SET_RULE_RECT;
        (r.south_deg, r.north_deg, r.west_deg, r.east_deg) = (31.5, 31.0, 121.0, 121.5);
        assert!(rule_of(&r).is_err(), "south of north");
        r.kind = 9;
        assert!(rule_of(&r).is_err());
        r.kind = CV2X_SET_RULE_AID;
        r.set = 7;
        assert!(rule_of(&r).is_err());
    }
}
