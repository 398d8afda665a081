//! Geographic regions of certificates: is a location inside, is a region inside another.
//!
//! Identified regions (countries and their subdivisions) cannot be compared with coordinates
//! without boundary data, which this crate does not carry: a point is taken as inside an
//! identified region, and a geometric region as inside an identified one. Identified regions are
//! compared with each other exactly (country, region and subregion numbers).

use super::cert::{IdentifiedRegion, Rect, Region, TwoDLocation};
use crate::math::{atan2, cos, sin, sqrt};

/// Mean Earth radius, metres.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

fn deg(v: i32) -> f64 {
    f64::from(v) * 1e-7
}

/// Great-circle distance in metres between two locations.
fn distance_m(a: TwoDLocation, b: TwoDLocation) -> f64 {
    let (la1, lo1, la2, lo2) = (
        deg(a.lat).to_radians(),
        deg(a.lon).to_radians(),
        deg(b.lat).to_radians(),
        deg(b.lon).to_radians(),
    );
    let (sa, so) = (sin((la2 - la1) / 2.0), sin((lo2 - lo1) / 2.0));
    let h = (sa * sa + cos(la1) * cos(la2) * so * so).clamp(0.0, 1.0);
    2.0 * EARTH_RADIUS_M * atan2(sqrt(h), sqrt(1.0 - h))
}

fn in_rect(r: &Rect, p: TwoDLocation) -> bool {
    let lat_ok = p.lat <= r.north_west.lat && p.lat >= r.south_east.lat;
    let lon_ok = if r.north_west.lon <= r.south_east.lon {
        p.lon >= r.north_west.lon && p.lon <= r.south_east.lon
    } else {
        // crosses the antimeridian
        p.lon >= r.north_west.lon || p.lon <= r.south_east.lon
    };
    lat_ok && lon_ok
}

fn in_polygon(pts: &[TwoDLocation], p: TwoDLocation) -> bool {
    let (x, y) = (f64::from(p.lon), f64::from(p.lat));
    let mut inside = false;
    let mut j = pts.len().wrapping_sub(1);
    for (i, a) in pts.iter().enumerate() {
        let Some(b) = pts.get(j) else {
            break;
        };
        let (xi, yi, xj, yj) = (
            f64::from(a.lon),
            f64::from(a.lat),
            f64::from(b.lon),
            f64::from(b.lat),
        );
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// Whether `p` lies in `region`. Identified and unknown regions count as containing every point
/// (see the module documentation).
pub fn contains_point(region: &Region, p: TwoDLocation) -> bool {
    match region {
        Region::Circular { center, radius_m } => distance_m(*center, p) <= f64::from(*radius_m),
        Region::Rectangular(rects) => rects.iter().any(|r| in_rect(r, p)),
        Region::Polygonal(pts) => in_polygon(pts, p),
        Region::Identified(_) | Region::Unknown => true,
    }
}

/// Points that bound a geometric region (corners, vertices, or the circle's extreme points);
/// `None` for identified regions.
fn outline(region: &Region) -> Option<alloc::vec::Vec<TwoDLocation>> {
    use alloc::vec::Vec;
    Some(match region {
        Region::Circular { center, radius_m } => {
            // 16 points on the circle, pushed outwards by the chord sag so that the polygon
            // encloses the circle.
            let r = f64::from(*radius_m) / cos(core::f64::consts::PI / 16.0);
            let lat0 = deg(center.lat).to_radians();
            (0..16)
                .map(|k| {
                    let a = f64::from(k) * core::f64::consts::PI / 8.0;
                    let dlat = r * cos(a) / EARTH_RADIUS_M;
                    let dlon = r * sin(a) / (EARTH_RADIUS_M * cos(lat0).max(1e-6));
                    TwoDLocation {
                        lat: (f64::from(center.lat) + dlat.to_degrees() * 1e7) as i32,
                        lon: (f64::from(center.lon) + dlon.to_degrees() * 1e7) as i32,
                    }
                })
                .collect()
        }
        Region::Rectangular(rects) => rects
            .iter()
            .flat_map(|r| {
                [
                    r.north_west,
                    r.south_east,
                    TwoDLocation {
                        lat: r.north_west.lat,
                        lon: r.south_east.lon,
                    },
                    TwoDLocation {
                        lat: r.south_east.lat,
                        lon: r.north_west.lon,
                    },
                ]
            })
            .collect::<Vec<_>>(),
        Region::Polygonal(pts) => pts.clone(),
        Region::Identified(_) | Region::Unknown => return None,
    })
}

fn identified_inside(sub: &IdentifiedRegion, issuer: &[IdentifiedRegion]) -> bool {
    issuer.iter().any(|i| match (i, sub) {
        (IdentifiedRegion::Country(c), s) => s.country() == Some(*c),
        (
            IdentifiedRegion::CountryAndRegions {
                country: c,
                regions: ir,
            },
            IdentifiedRegion::CountryAndRegions {
                country: sc,
                regions: sr,
            },
        ) => c == sc && sr.iter().all(|r| ir.contains(r)),
        (
            IdentifiedRegion::CountryAndRegions {
                country: c,
                regions: ir,
            },
            IdentifiedRegion::CountryAndSubregions {
                country: sc,
                regions: sr,
            },
        ) => c == sc && sr.iter().all(|(r, _)| ir.contains(r)),
        (
            IdentifiedRegion::CountryAndSubregions {
                country: c,
                regions: ir,
            },
            IdentifiedRegion::CountryAndSubregions {
                country: sc,
                regions: sr,
            },
        ) => {
            c == sc
                && sr.iter().all(|(r, subs)| {
                    ir.iter().any(|(ir_r, ir_subs)| {
                        ir_r == r && subs.iter().all(|s| ir_subs.contains(s))
                    })
                })
        }
        _ => false,
    })
}

/// Whether `subject` lies inside `issuer` (see the module documentation for identified regions).
pub fn region_inside(subject: &Region, issuer: &Region) -> bool {
    match (subject, issuer) {
        (Region::Identified(s), Region::Identified(i)) => {
            s.iter().all(|sub| identified_inside(sub, i))
        }
        // Geometry inside a country cannot be checked without boundaries.
        (_, Region::Identified(_)) | (_, Region::Unknown) => true,
        (Region::Identified(_), _) | (Region::Unknown, _) => false,
        (s, i) => match outline(s) {
            Some(points) => points.iter().all(|p| contains_point(i, *p)),
            None => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn loc(lat: f64, lon: f64) -> TwoDLocation {
        TwoDLocation {
            lat: (lat * 1e7) as i32,
            lon: (lon * 1e7) as i32,
        }
    }

    #[test]
    fn circle_contains() {
        let c = Region::Circular {
            center: loc(39.9, 116.4),
            radius_m: 1000,
        };
        assert!(contains_point(&c, loc(39.9, 116.4)));
        assert!(contains_point(&c, loc(39.9085, 116.4))); // ~945 m north
        assert!(!contains_point(&c, loc(39.91, 116.4))); // ~1.1 km north
    }

    #[test]
    fn rect_and_polygon() {
        let r = Region::Rectangular(vec![Rect {
            north_west: loc(40.0, 116.0),
            south_east: loc(39.0, 117.0),
        }]);
        assert!(contains_point(&r, loc(39.5, 116.5)));
        assert!(!contains_point(&r, loc(40.5, 116.5)));
        let p = Region::Polygonal(vec![loc(39.0, 116.0), loc(40.0, 116.0), loc(39.5, 117.0)]);
        assert!(contains_point(&p, loc(39.5, 116.5)));
        assert!(!contains_point(&p, loc(39.1, 116.9)));
        let small = Region::Circular {
            center: loc(39.5, 116.5),
            radius_m: 5000,
        };
        assert!(region_inside(&small, &r));
        let big = Region::Circular {
            center: loc(39.5, 116.5),
            radius_m: 60000,
        };
        assert!(!region_inside(&big, &r));
    }

    #[test]
    fn identified() {
        let cn = Region::Identified(vec![IdentifiedRegion::Country(156)]);
        let de = Region::Identified(vec![IdentifiedRegion::Country(276)]);
        let cn_regions = Region::Identified(vec![IdentifiedRegion::CountryAndRegions {
            country: 156,
            regions: vec![1, 2],
        }]);
        assert!(region_inside(&cn_regions, &cn));
        assert!(!region_inside(&cn, &cn_regions));
        assert!(!region_inside(&de, &cn));
        assert!(!region_inside(
            &cn,
            &Region::Circular {
                center: loc(0.0, 0.0),
                radius_m: 1
            }
        ));
    }
}
