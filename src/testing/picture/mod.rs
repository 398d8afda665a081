//! Pictures of a run (feature `testing`): a top-down map view of where everyone was and what
//! the stack believed, a timeline of the warnings' life against the scenario's expectations,
//! a legend and a title, as one SVG document.
//!
//! ```text
//! Scenario + Outcome ─┐                          ┌─ map view (map.rs): lanes, stop lines and
//! Stack (Recorder) ───┼─► Scene ─► render ─► SVG ┤   signal, true paths, fused tracks, path
//! drive log, run ─────┘                          │   history, warning markers, scale, north
//!                                                ├─ timeline (timeline.rs): a row per app and
//!                                                │   signal phase, expectations on the rows
//!                                                └─ legend and title (legend.rs)
//! ```
//!
//! A [`Scene`] is what a picture shows, in metres in a local frame (x east, y north) and in
//! seconds from the start; [`Recorder`] fills the parts the [`Stack`](crate::stack::Stack)
//! knows (MAP lanes, signal state, fused objects, transmitted path histories, warnings) while
//! a run goes on; [`scenario_scene`] adds a scenario's truth and expectations. [`render`] lays
//! it out: labels are placed so that they never overlap each other or the markers
//! ([`layout`]), and the returned [`Picture`] lists the label and marker boxes so that tests
//! can check it.
//!
//! The SVG is written by hand ([`svg`]): the pictures need a dozen element kinds and no chart
//! logic a plotting crate would bring, and text widths come from the font's own metrics
//! ([`layout::text_width`]). Used by `examples/intersection.rs --svg`, `cv2x scenario --svg`,
//! `cv2x run --svg` and `cv2x drive --svg`.
use alloc::string::String;
use alloc::vec::Vec;

use crate::apps::{AppId, Level};
use crate::world::Light;

pub mod layout;
mod legend;
mod map;
mod record;
mod scenario;
pub mod style;
pub mod svg;
mod timeline;

pub use layout::Rect;
pub use record::{Recorder, Recording};
pub use scenario::scenario_scene;

/// The result line of the title.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Verdict {
    /// No expectations were checked (a recorded run, a drive).
    #[default]
    None,
    /// Every expectation held.
    Passed,
    /// Some failed: the first failure, in words.
    Failed(String),
}

/// One lane of a MAP, in the picture frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// Centre line, upstream first, m.
    pub points: Vec<[f64; 2]>,
    /// Width, m.
    pub width_m: f64,
    /// The last point is a stop line (incoming lanes of an intersection).
    pub stop_line: bool,
}

/// The state of one signal phase over time.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalTrack {
    /// Name (`phase 1`, `node 19 phase 2`).
    pub name: String,
    /// The light from each sample time on (`None`: no fresh SPAT), time order.
    pub samples: Vec<(f64, Option<Light>)>,
    /// The stop line it governs (where the map view shows it), m.
    pub stop_line: Option<[f64; 2]>,
    /// Shown as a timeline row (the phases of the ego's lane).
    pub in_timeline: bool,
}

/// A road user's true path.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadUser {
    /// Scenario id (0 = the ego).
    pub id: u32,
    /// Name shown at its start (`ego`, `#1 car`).
    pub name: String,
    /// The ego.
    pub ego: bool,
    /// (time s, position m), time order.
    pub samples: Vec<(f64, [f64; 2])>,
}

/// One sample of a fused object.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FusedSample {
    /// Time, s.
    pub t_s: f64,
    /// Position, m.
    pub at: [f64; 2],
    /// Position covariance (east, north), m².
    pub cov: [[f64; 2]; 2],
}

/// What the stack fused: one track.
#[derive(Debug, Clone, PartialEq)]
pub struct FusedTrack {
    /// Track id.
    pub id: u32,
    /// Samples, time order.
    pub samples: Vec<FusedSample>,
}

/// A path history the ego transmitted (in a BSM).
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// When it was sent, s.
    pub t_s: f64,
    /// The BSM's position, then the crumbs from newest to oldest, m.
    pub points: Vec<[f64; 2]>,
}

/// One stage of a warning's life: from `t_s` on, this level and detail.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    /// From, s.
    pub t_s: f64,
    /// Level.
    pub level: Level,
    /// What it is about or advises (`#1`, `30–45 km/h`), when known.
    pub detail: Option<String>,
}

/// One warning's life, from raised to cleared.
#[derive(Debug, Clone, PartialEq)]
pub struct WarningLife {
    /// The stack's warning id.
    pub id: u32,
    /// Application.
    pub app: AppId,
    /// Raised, s.
    pub raised_s: f64,
    /// Cleared, s (`None`: still active at the end).
    pub cleared_s: Option<f64>,
    /// Its stages, the first at `raised_s`; a new one where the level or the detail changes.
    pub stages: Vec<Stage>,
}

impl WarningLife {
    /// A warning raised at `t_s`.
    pub fn raised(id: u32, app: AppId, t_s: f64, level: Level, detail: Option<String>) -> Self {
        WarningLife {
            id,
            app,
            raised_s: t_s,
            cleared_s: None,
            stages: alloc::vec![Stage { t_s, level, detail }],
        }
    }

    /// A change at `t_s` (a new stage when the level or the detail differs).
    pub fn changed(&mut self, t_s: f64, level: Level, detail: Option<String>) {
        if self
            .stages
            .last()
            .is_none_or(|s| s.level != level || s.detail != detail)
        {
            self.stages.push(Stage { t_s, level, detail });
        }
    }

    /// The first stage's level and detail.
    pub fn first(&self) -> (Level, Option<&str>) {
        self.stages
            .first()
            .map_or((Level::Advisory, None), |s| (s.level, s.detail.as_deref()))
    }
}

/// One expectation of a scenario, as drawn on its application's row.
#[derive(Debug, Clone, PartialEq)]
pub struct Expectation {
    /// Application.
    pub app: AppId,
    /// Window, s: (not before, deadline) or, for `never`, the window in which nothing may be
    /// raised.
    pub window: (f64, f64),
    /// `never`.
    pub never: bool,
    /// Whether it held.
    pub met: bool,
    /// Short description (`warning about #1 by 5.6 s`).
    pub text: String,
}

/// A moment marked on the ego's path (a pseudonym change, an event).
#[derive(Debug, Clone, PartialEq)]
pub struct Moment {
    /// Time, s.
    pub t_s: f64,
    /// Label.
    pub text: String,
    /// Colour.
    pub colour: &'static str,
}

/// A zoomed view of one place, drawn in a corner of the map view.
#[derive(Debug, Clone, PartialEq)]
pub struct Inset {
    /// Centre, m.
    pub centre: [f64; 2],
    /// Half the width of the area shown, m.
    pub half_width_m: f64,
    /// The transmitted path history shown: the one sent nearest this time, s.
    pub history_t_s: f64,
}

/// An interval on a timeline row.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// From, s.
    pub from_s: f64,
    /// To, s.
    pub to_s: f64,
    /// Colour.
    pub colour: &'static str,
    /// Text inside, when it fits.
    pub text: Option<String>,
}

/// A timeline row beyond the applications and signal phases (a drive's pseudonyms and events).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Row label.
    pub label: String,
    /// Intervals (drawn on one line).
    pub bars: Vec<Bar>,
}

/// What a picture shows. See the [module docs](self).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scene {
    /// Title (the scenario name).
    pub title: String,
    /// Result.
    pub verdict: Verdict,
    /// Lines under the title.
    pub notes: Vec<String>,
    /// Time axis length, s.
    pub duration_s: f64,
    /// MAP lanes.
    pub lanes: Vec<Lane>,
    /// Signal phases.
    pub signals: Vec<SignalTrack>,
    /// True paths.
    pub users: Vec<RoadUser>,
    /// Fused tracks.
    pub fused: Vec<FusedTrack>,
    /// Transmitted path histories.
    pub histories: Vec<History>,
    /// Warnings.
    pub warnings: Vec<WarningLife>,
    /// Expectations.
    pub expectations: Vec<Expectation>,
    /// Moments on the ego's path.
    pub moments: Vec<Moment>,
    /// Extra timeline rows.
    pub rows: Vec<Row>,
    /// A zoomed view of one place.
    pub inset: Option<Inset>,
}

/// A rendered picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    /// The SVG document.
    pub svg: String,
    /// Every label's box, px (map, timeline, legend, title).
    pub labels: Vec<Rect>,
    /// Every marker's box, px (what labels must not cover).
    pub markers: Vec<Rect>,
    /// Labels of the map view with no room left (listed under the map instead).
    pub unplaced: usize,
}

/// Picture width, px.
pub const WIDTH: f64 = 1200.0;
/// Outer margin, px.
const MARGIN: f64 = 16.0;
/// Map panel size, px.
const MAP_W: f64 = 890.0;
const MAP_H: f64 = 560.0;

/// Renders a scene. See the [module docs](self).
pub fn render(scene: &Scene) -> Picture {
    let mut labels = Vec::new();
    let mut markers = Vec::new();
    let title_h = legend::title_height(scene, WIDTH - 2.0 * MARGIN);
    let map_panel = Rect::new(MARGIN, MARGIN + title_h, MAP_W, MAP_H);
    let legend_panel = Rect::new(
        map_panel.right() + MARGIN,
        map_panel.y,
        WIDTH - map_panel.right() - 2.0 * MARGIN,
        MAP_H,
    );
    let rows = timeline::rows(scene);
    let tl_h = timeline::height(&rows);
    let tl_panel = Rect::new(
        MARGIN,
        map_panel.bottom() + MARGIN,
        WIDTH - 2.0 * MARGIN,
        tl_h,
    );
    let height = tl_panel.bottom() + MARGIN;
    let mut svg = svg::Svg::new(WIDTH, height, style::BACKGROUND);
    svg.hatch("hatch-ok", style::PASS, 0.35);
    svg.hatch("hatch-fail", style::FAIL, 0.45);
    legend::title(
        &mut svg,
        scene,
        Rect::new(MARGIN, MARGIN, WIDTH - 2.0 * MARGIN, title_h),
        &mut labels,
    );
    let m = map::draw(&mut svg, scene, map_panel);
    labels.extend(m.labels);
    markers.extend(m.markers);
    legend::legend(&mut svg, scene, legend_panel, &mut labels);
    let t = timeline::draw(&mut svg, scene, &rows, tl_panel);
    labels.extend(t.labels);
    markers.extend(t.markers);
    Picture {
        svg: svg.finish(),
        labels,
        markers,
        unplaced: m.unplaced,
    }
}

/// Where a view put its labels and markers.
#[derive(Debug, Default)]
struct Drawn {
    labels: Vec<Rect>,
    markers: Vec<Rect>,
    unplaced: usize,
}

/// The position of a sampled path at `t` (linear between samples, clamped at the ends).
fn position_at(samples: &[(f64, [f64; 2])], t: f64) -> Option<[f64; 2]> {
    let i = samples.partition_point(|s| s.0 < t);
    match (
        i.checked_sub(1).and_then(|j| samples.get(j)),
        samples.get(i),
    ) {
        (Some(a), Some(b)) => {
            let span = b.0 - a.0;
            let k = if span > 0.0 { (t - a.0) / span } else { 0.0 };
            Some([
                a.1[0] + (b.1[0] - a.1[0]) * k,
                a.1[1] + (b.1[1] - a.1[1]) * k,
            ])
        }
        (None, Some(b)) => Some(b.1),
        (Some(a), None) => Some(a.1),
        (None, None) => None,
    }
}

/// A panel's background and border.
fn frame(svg: &mut svg::Svg, panel: Rect, fill: &str) {
    svg.rect(
        (panel.x, panel.y, panel.w, panel.h),
        fill,
        Some(svg::Stroke::solid(style::BORDER, 1.0)),
        0.0,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::vec;

    /// A day-long drive with a warning every few minutes: the picture stays bounded (ticks,
    /// map labels, lines per row) and its labels still never overlap.
    #[test]
    fn a_huge_scene_stays_bounded() {
        let day = 86_400.0;
        let samples: Vec<(f64, [f64; 2])> = (0..=1440)
            .map(|k| {
                let t = f64::from(k) * 60.0;
                (t, [1000.0 * (t / 3600.0).sin(), 20.0 * t / 60.0])
            })
            .collect();
        let warnings: Vec<WarningLife> = (0..300u32)
            .map(|i| {
                let t = f64::from(i) * 280.0;
                let mut w = WarningLife::raised(i + 1, AppId::Fcw, t, Level::Warning, None);
                w.changed(t + 30.0, Level::Alert, Some(format!("#{i}")));
                w.cleared_s = Some(t + 4000.0);
                w
            })
            .collect();
        let scene = Scene {
            title: "a day".into(),
            duration_s: day,
            users: vec![RoadUser {
                id: 0,
                name: "ego".into(),
                ego: true,
                samples,
            }],
            warnings,
            ..Scene::default()
        };
        let p = render(&scene);
        assert!(p.svg.len() < 2_000_000, "{} bytes", p.svg.len());
        let ticks = p
            .svg
            .matches("fill=\"#ffffff\" stroke=\"#1a1a1a\" stroke-width=\"1.4\"")
            .count();
        assert!(ticks <= 600 + 1, "{ticks} ticks");
        // Coinciding markers share a label; beyond the first 40 labels the timeline tells.
        assert!(p.unplaced > 0, "{}", p.unplaced);
        assert!(
            p.svg
                .contains("map labels had no room; the timeline lists every warning")
        );
        let row = p.svg.find("<g class=\"row FCW\">").unwrap();
        let row = &p.svg[row..row + p.svg[row..].find("</g>").unwrap()];
        // Fifteen warnings overlap at any time: six lines, not fifteen.
        let ys: alloc::collections::BTreeSet<&str> = row
            .split("<rect ")
            .skip(1)
            .filter_map(|r| r.split("y=\"").nth(1)?.split('"').next())
            .collect();
        assert!(ys.len() <= 6, "{} lines", ys.len());
        for (i, a) in p.labels.iter().enumerate() {
            for b in p.labels.iter().skip(i + 1) {
                assert!(!a.intersects(b), "{a:?} {b:?}");
            }
            assert!(p.markers.iter().all(|m| !a.intersects(m)));
        }
    }
}
