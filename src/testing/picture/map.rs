//! The map view: top-down, north up, metres to pixels at one scale, with a scale bar and a
//! north arrow. Drawn bottom to top: grid, MAP lanes and stop lines, the ego's transmitted path
//! histories, fused tracks with their 95 % position ellipses at the one-second ticks, the true
//! paths with one-second ticks and start (○) and end (▶) marks, warning markers (rings at the
//! ego's position when raised, one ring per warning, coloured by level), moments on the ego's
//! path; then every label through the [`Placer`](super::layout::Placer), most important first.
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::layout::{PAD, Placed, Placer, Rect, label_size, line_height, text_width};
use super::style;
use super::svg::{Anchor, Stroke, Svg};
use super::{Drawn, Scene, position_at};

/// Metres to panel pixels.
#[derive(Debug, Clone, Copy)]
pub(super) struct View {
    panel: Rect,
    x0: f64,
    y1: f64,
    /// px per m.
    pub(super) scale: f64,
}

impl View {
    /// The view that shows `extent` (m, y up) whole and centred in `panel`.
    pub(super) fn fit(extent: Rect, panel: Rect) -> View {
        let pad = (0.08 * extent.w.max(extent.h)).max(12.0);
        let (w, h) = (extent.w + 2.0 * pad, extent.h + 2.0 * pad);
        let (w, h) = (w.max(40.0), h.max(40.0));
        let scale = (panel.w / w).min(panel.h / h);
        let (cx, cy) = extent.centre();
        View {
            panel,
            x0: cx - panel.w / (2.0 * scale),
            y1: cy + panel.h / (2.0 * scale),
            scale,
        }
    }

    pub(super) fn px(&self, p: [f64; 2]) -> (f64, f64) {
        (
            self.panel.x + (p[0] - self.x0) * self.scale,
            self.panel.y + (self.y1 - p[1]) * self.scale,
        )
    }

    fn metres_x(&self, px: f64) -> f64 {
        self.x0 + (px - self.panel.x) / self.scale
    }

    fn metres_y(&self, py: f64) -> f64 {
        self.y1 - (py - self.panel.y) / self.scale
    }
}

/// At most this many warning labels (one per marker) on the map.
const MAX_WARNING_LABELS: usize = 40;

/// At most this many time ticks per path.
const MAX_TICKS: usize = 600;

/// The tick interval of a path lasting `span_s`: one second, or the smallest of 2, 5, 10 s …
/// that keeps the ticks under [`MAX_TICKS`].
fn tick_interval(span_s: f64) -> f64 {
    let mut k = 1.0;
    while span_s / k > MAX_TICKS as f64 && k < 1e12 {
        k = nice_floor(k * 2.5).max(k * 2.0);
    }
    k
}

/// Grid lines every `step_m` over `area` of the view (none when they would be too dense to
/// see).
fn grid(svg: &mut Svg, view: &View, area: Rect, step_m: f64) {
    let px_per_step = step_m * view.scale;
    if px_per_step.is_nan() || px_per_step < 4.0 {
        return;
    }
    let mut gx = (view.metres_x(area.x) / step_m).ceil() * step_m;
    while gx <= view.metres_x(area.right()) {
        let (x, _) = view.px([gx, 0.0]);
        svg.line(
            (x, area.y),
            (x, area.bottom()),
            Stroke::solid(style::GRID, 1.0),
        );
        gx += step_m;
    }
    let mut gy = (view.metres_y(area.bottom()) / step_m).ceil() * step_m;
    while gy <= view.metres_y(area.y) {
        let (_, y) = view.px([0.0, gy]);
        svg.line(
            (area.x, y),
            (area.right(), y),
            Stroke::solid(style::GRID, 1.0),
        );
        gy += step_m;
    }
}

/// The largest of 1, 2, 5 × 10ⁿ not above `v` (at least 0.1).
pub(super) fn nice_floor(v: f64) -> f64 {
    if !(v.is_finite() && v > 0.1) {
        return 0.1;
    }
    let p = 10f64.powf(v.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|k| k * p)
        .find(|s| *s <= v)
        .unwrap_or(p)
}

/// What decides the extent: the road users, what the stack placed near them and the stop lines
/// within 80 m of them; the MAP's lanes whole only when nothing else is there.
fn extent(scene: &Scene) -> Rect {
    let moving = scene
        .users
        .iter()
        .flat_map(|u| u.samples.iter().map(|s| s.1))
        .chain(
            scene
                .fused
                .iter()
                .flat_map(|f| f.samples.iter().map(|s| s.at)),
        )
        .chain(
            scene
                .histories
                .iter()
                .flat_map(|h| h.points.iter().copied()),
        );
    let core = Rect::bounding(moving.map(|p| (p[0], p[1])));
    let near = |p: &[f64; 2], r: &Rect| r.inflate(80.0).contains(&Rect::new(p[0], p[1], 0.0, 0.0));
    match core {
        Some(c) => {
            // Stop lines near the paths: the intersection they lead to is shown whole.
            let stops = scene
                .signals
                .iter()
                .filter_map(|s| s.stop_line)
                .chain(
                    scene
                        .lanes
                        .iter()
                        .filter(|l| l.stop_line)
                        .filter_map(|l| l.points.last().copied()),
                )
                .filter(|p| near(p, &c));
            Rect::bounding(
                [(c.x, c.y), (c.right(), c.bottom())]
                    .into_iter()
                    .chain(stops.map(|p| (p[0], p[1]))),
            )
            .unwrap_or(c)
        }
        None => Rect::bounding(
            scene
                .lanes
                .iter()
                .flat_map(|l| l.points.iter().map(|p| (p[0], p[1]))),
        )
        .unwrap_or(Rect::new(-50.0, -50.0, 100.0, 100.0)),
    }
}

/// A label waiting for its place.
struct Label {
    anchor: (f64, f64),
    clear: f64,
    lines: Vec<String>,
    /// Swatch colour per line (level colours), when any.
    swatches: Vec<&'static str>,
    size: f64,
    colour: &'static str,
}

impl Label {
    fn size(&self) -> (f64, f64) {
        let (w, h) = label_size(&self.lines, self.size, false);
        let sw = if self.swatches.is_empty() {
            0.0
        } else {
            self.size
        };
        (w + sw, h)
    }
}

fn draw_label(svg: &mut Svg, l: &Label, p: &Placed) {
    if let Some((a, b)) = p.leader {
        svg.line(a, b, Stroke::solid(style::MUTED, 0.8));
    }
    let r = p.rect;
    svg.rect(
        (r.x, r.y, r.w, r.h),
        style::LABEL_FILL,
        Some(Stroke::solid("#a0a0a0", 0.6)),
        2.0,
    );
    let lh = line_height(l.size);
    let sw = if l.swatches.is_empty() { 0.0 } else { l.size };
    for (i, line) in l.lines.iter().enumerate() {
        let top = r.y + PAD + lh * i as f64;
        if let Some(c) = l.swatches.get(i) {
            let s = l.size * 0.7;
            svg.rect((r.x + PAD, top + (lh - s) / 2.0, s, s), c, None, 1.0);
        }
        svg.text(
            (r.x + PAD + sw, top + lh * 0.78),
            line,
            l.size,
            l.colour,
            Anchor::Start,
            false,
        );
    }
}

/// Direction of travel at the end of a path (unit, px), from the last samples that moved.
fn end_direction(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    let last = *points.last()?;
    points.iter().rev().skip(1).find_map(|p| {
        let (dx, dy) = (last.0 - p.0, last.1 - p.1);
        let d = dx.hypot(dy);
        (d > 2.0).then(|| (dx / d, dy / d))
    })
}

/// The 95 % ellipse of a 2-D covariance: semi-axes (m) and the major axis angle (radians,
/// counter-clockwise from east).
pub(super) fn ellipse_95(cov: [[f64; 2]; 2]) -> Option<(f64, f64, f64)> {
    let [[a, b], [_, c]] = cov;
    if !(a.is_finite() && b.is_finite() && c.is_finite()) {
        return None;
    }
    let mid = (a + c) / 2.0;
    let d = (((a - c) / 2.0).powi(2) + b * b).sqrt();
    let (l1, l2) = ((mid + d).max(0.0), (mid - d).max(0.0));
    // χ²(2 dof) at 95 %.
    let k = 5.991_f64.sqrt();
    Some((k * l1.sqrt(), k * l2.sqrt(), 0.5 * (2.0 * b).atan2(a - c)))
}

/// Draws the map view into `panel`.
pub(super) fn draw(svg: &mut Svg, scene: &Scene, panel: Rect) -> Drawn {
    let view = View::fit(extent(scene), panel);
    let mut placer = Placer::new(panel.inflate(-2.0));
    let mut optional: Vec<Label> = Vec::new();
    let mut user_labels: Vec<Label> = Vec::new();
    svg.comment("map view");
    svg.rect(
        (panel.x, panel.y, panel.w, panel.h),
        style::PANEL,
        None,
        0.0,
    );
    svg.open_clip("map-clip", panel.x, panel.y, panel.w, panel.h);

    // Grid.
    svg.open_group("grid");
    grid(svg, &view, panel, nice_floor(110.0 / view.scale));
    svg.close_group();

    // Lanes and stop lines.
    svg.open_group("lanes");
    for lane in &scene.lanes {
        let pts: Vec<(f64, f64)> = lane.points.iter().map(|p| view.px(*p)).collect();
        let w = (lane.width_m * view.scale).max(3.0);
        svg.open_group("lane");
        svg.polyline(&pts, Stroke::solid(style::LANE, w), true);
        if w >= 8.0 {
            svg.polyline(&pts, Stroke::dashed(style::LANE_CENTRE, 1.0, "6 6"), true);
        }
        svg.close_group();
        placer.polyline(&pts);
    }
    for lane in scene.lanes.iter().filter(|l| l.stop_line) {
        let pts: Vec<(f64, f64)> = lane.points.iter().map(|p| view.px(*p)).collect();
        let (Some(end), Some(dir)) = (pts.last().copied(), end_direction(&pts)) else {
            continue;
        };
        let half = (lane.width_m * view.scale).max(6.0) / 2.0;
        let (a, b) = (
            (end.0 - dir.1 * half, end.1 + dir.0 * half),
            (end.0 + dir.1 * half, end.1 - dir.0 * half),
        );
        svg.open_group("stop-line");
        svg.line(a, b, Stroke::solid(style::STOP_LINE, 3.0));
        svg.close_group();
        if panel.contains(&Rect::new(end.0, end.1, 0.0, 0.0)) {
            if let Some(r) = Rect::bounding([a, b]) {
                placer.marker(r.inflate(2.0));
            }
        }
    }
    svg.close_group();

    // Transmitted path histories (under the true paths, their crumbs over them): the last
    // one and earlier ones that lie apart from it and from each other.
    let diag = (view.panel.w.hypot(view.panel.h)) / 8.0;
    let mut picks: Vec<usize> = Vec::new();
    for (i, h) in scene.histories.iter().enumerate().rev() {
        let Some(a) = h.points.first().map(|p| view.px(*p)) else {
            continue;
        };
        let apart = picks.iter().all(|k| {
            scene
                .histories
                .get(*k)
                .and_then(|o| o.points.first())
                .is_none_or(|b| {
                    let b = view.px(*b);
                    (a.0 - b.0).hypot(a.1 - b.1) >= diag
                })
        });
        if apart {
            picks.push(i);
        }
        if picks.len() >= 5 {
            break;
        }
    }
    let history_pts: Vec<(f64, Vec<(f64, f64)>)> = picks
        .iter()
        .filter_map(|i| scene.histories.get(*i))
        .map(|h| (h.t_s, h.points.iter().map(|p| view.px(*p)).collect()))
        .collect();
    svg.open_group("path-history");
    for (_, pts) in &history_pts {
        svg.polyline(pts, Stroke::dashed(style::HISTORY, 1.8, "5 3"), false);
        placer.polyline(pts);
    }
    svg.close_group();

    // Fused tracks.
    svg.open_group("fused");
    for f in &scene.fused {
        let pts: Vec<(f64, f64)> = f.samples.iter().map(|s| view.px(s.at)).collect();
        svg.polyline(&pts, Stroke::dashed(style::FUSED, 1.4, "4 3"), false);
        placer.polyline(&pts);
        let mut last_tick = f64::NEG_INFINITY;
        for s in &f.samples {
            let tick = s.t_s.round();
            if (s.t_s - tick).abs() > 0.051 || tick == last_tick {
                continue;
            }
            last_tick = tick;
            if let Some((a, b, ang)) = ellipse_95(s.cov) {
                svg.ellipse(
                    view.px(s.at),
                    ((a * view.scale).max(1.0), (b * view.scale).max(1.0)),
                    -ang.to_degrees(),
                    style::FUSED,
                    0.12,
                    Stroke::solid(style::FUSED, 1.0),
                );
            }
        }
        if f.samples.len() >= 10 {
            if let Some(p) = pts.last() {
                optional.push(Label {
                    anchor: *p,
                    clear: 3.0,
                    lines: vec![format!("fused track {}", f.id)],
                    swatches: vec![],
                    size: 10.0,
                    colour: style::FUSED,
                });
            }
        }
    }
    svg.close_group();

    // True paths, ticks, start and end.
    let mut others = 0usize;
    let mut tick_labels: Vec<Label> = Vec::new();
    svg.open_group("true-paths");
    for u in &scene.users {
        let colour = if u.ego {
            style::EGO
        } else {
            others += 1;
            style::USERS
                .get((others - 1) % style::USERS.len())
                .copied()
                .unwrap_or(style::MUTED)
        };
        let pts: Vec<(f64, f64)> = u.samples.iter().map(|s| view.px(s.1)).collect();
        let (Some(first), Some(last)) = (pts.first().copied(), pts.last().copied()) else {
            continue;
        };
        svg.open_group(if u.ego { "path ego" } else { "path" });
        svg.polyline(
            &pts,
            Stroke::solid(colour, if u.ego { 2.6 } else { 2.0 }),
            false,
        );
        placer.polyline(&pts);
        // One-second ticks (coarser only for paths longer than MAX_TICKS seconds).
        let (t0, t1) = (
            u.samples.first().map_or(0.0, |s| s.0),
            u.samples.last().map_or(0.0, |s| s.0),
        );
        let tick_s = tick_interval(t1 - t0);
        let mut ticks = Vec::new();
        let mut k = (t0 / tick_s).floor() * tick_s + tick_s;
        while k < t1 - 1e-6 && ticks.len() < MAX_TICKS {
            if let Some(p) = position_at(&u.samples, k) {
                ticks.push((k, view.px(p)));
            }
            k += tick_s;
        }
        // Tick size follows their spacing (a pedestrian's ticks are close together).
        let gap = ticks
            .windows(2)
            .filter_map(|w| match w {
                [a, b] => Some((a.1.0 - b.1.0).hypot(a.1.1 - b.1.1)),
                _ => None,
            })
            .fold(f64::INFINITY, f64::min);
        let base: f64 = if u.ego { 2.6 } else { 2.2 };
        let r = base.min(gap / 3.0).max(1.2);
        for (_, p) in &ticks {
            svg.circle(*p, r, "#ffffff", Some(Stroke::solid(colour, 1.4)));
            placer.marker(Rect::around(*p, r + 1.0));
        }
        if u.ego {
            // Tick labels at a spacing the scale allows.
            let spacing = gap;
            // Ticks far enough apart for their labels, and at most 40 labels.
            let every = [1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0]
                .into_iter()
                .map(|e| e * tick_s)
                .find(|e| spacing * e / tick_s >= 34.0 && (t1 - t0) / e <= 40.0)
                .unwrap_or_else(|| tick_interval((t1 - t0) / 40.0 * MAX_TICKS as f64 / 600.0));
            for (t, p) in &ticks {
                if (t / every).fract().abs() < 1e-9 {
                    tick_labels.push(Label {
                        anchor: *p,
                        clear: r + 1.0,
                        lines: vec![format!("{t:.0} s")],
                        swatches: vec![],
                        size: 10.0,
                        colour: style::MUTED,
                    });
                }
            }
        }
        let moved = end_direction(&pts);
        match moved {
            Some(d) => {
                svg.circle(first, 5.0, "#ffffff", Some(Stroke::solid(colour, 2.0)));
                placer.marker(Rect::around(first, 6.0));
                let tip = (last.0 + d.0 * 7.0, last.1 + d.1 * 7.0);
                let base = (last.0 - d.0 * 4.0, last.1 - d.1 * 4.0);
                let tri = [
                    tip,
                    (base.0 - d.1 * 5.5, base.1 + d.0 * 5.5),
                    (base.0 + d.1 * 5.5, base.1 - d.0 * 5.5),
                ];
                svg.polygon(&tri, colour, Some(Stroke::solid("#ffffff", 0.8)));
                if let Some(r) = Rect::bounding(tri) {
                    placer.marker(r.inflate(1.0));
                }
            }
            None => {
                svg.rect((first.0 - 4.5, first.1 - 4.5, 9.0, 9.0), colour, None, 1.0);
                placer.marker(Rect::around(first, 5.5));
            }
        }
        svg.close_group();
        user_labels.push(Label {
            anchor: first,
            clear: 6.0,
            lines: vec![if moved.is_some() {
                format!("{} start", u.name)
            } else {
                format!("{} (standing)", u.name)
            }],
            swatches: vec![],
            size: 11.0,
            colour,
        });
    }
    svg.close_group();

    svg.open_group("path-history-crumbs");
    // The newest is labelled (the picks run from the newest back).
    for (k, (t_s, pts)) in history_pts.iter().enumerate() {
        for p in pts.iter().skip(1) {
            svg.circle(*p, 2.2, style::HISTORY, Some(Stroke::solid("#ffffff", 0.6)));
        }
        if let Some(a) = pts.first().filter(|_| k == 0) {
            optional.push(Label {
                anchor: *a,
                clear: 3.0,
                lines: vec![format!("path history sent at {t_s:.1} s")],
                swatches: vec![],
                size: 10.0,
                colour: style::HISTORY,
            });
        }
    }
    svg.close_group();

    // Warning markers at the ego's position when raised, grouped where they coincide.
    let ego = scene.users.iter().find(|u| u.ego);
    let mut groups: Vec<((f64, f64), Vec<usize>)> = Vec::new();
    let mut order: Vec<usize> = (0..scene.warnings.len()).collect();
    order.sort_by(|a, b| {
        let ta = scene.warnings.get(*a).map_or(0.0, |w| w.raised_s);
        let tb = scene.warnings.get(*b).map_or(0.0, |w| w.raised_s);
        ta.total_cmp(&tb)
    });
    for i in order {
        let Some(w) = scene.warnings.get(i) else {
            continue;
        };
        let Some(p) = ego.and_then(|e| position_at(&e.samples, w.raised_s)) else {
            continue;
        };
        let p = view.px(p);
        match groups
            .iter_mut()
            .find(|g| (g.0.0 - p.0).hypot(g.0.1 - p.1) < 8.0)
        {
            Some(g) => g.1.push(i),
            None => groups.push((p, vec![i])),
        }
    }
    let mut warning_labels = Vec::new();
    svg.open_group("warnings");
    for (p, members) in &groups {
        let mut lines = Vec::new();
        let mut swatches = Vec::new();
        for (k, i) in members.iter().enumerate() {
            let Some(w) = scene.warnings.get(*i) else {
                continue;
            };
            let (level, detail) = w.first();
            let colour = style::level(level);
            svg.circle(
                *p,
                7.0 + 4.0 * k as f64,
                "none",
                Some(Stroke::solid(colour, 2.4)),
            );
            lines.push(format!(
                "{:.1} s {} {}{}",
                w.raised_s,
                w.app.name(),
                level.name(),
                detail.map_or(String::new(), |a| format!(" \u{2192} {a}"))
            ));
            swatches.push(colour);
        }
        let r = 7.0 + 4.0 * (members.len().max(1) - 1) as f64 + 1.5;
        placer.marker(Rect::around(*p, r));
        warning_labels.push(Label {
            anchor: *p,
            clear: r,
            lines,
            swatches,
            size: 11.0,
            colour: style::TEXT,
        });
    }
    svg.close_group();

    // Moments on the ego's path.
    let mut moment_labels = Vec::new();
    svg.open_group("moments");
    for m in &scene.moments {
        let Some(p) = ego.and_then(|e| position_at(&e.samples, m.t_s)) else {
            continue;
        };
        let p = view.px(p);
        let d = 6.0;
        svg.polygon(
            &[
                (p.0, p.1 - d),
                (p.0 + d, p.1),
                (p.0, p.1 + d),
                (p.0 - d, p.1),
            ],
            m.colour,
            Some(Stroke::solid("#ffffff", 1.0)),
        );
        placer.marker(Rect::around(p, d + 1.0));
        moment_labels.push(Label {
            anchor: p,
            clear: d + 1.0,
            lines: vec![format!("{:.1} s {}", m.t_s, m.text)],
            swatches: vec![],
            size: 10.0,
            colour: style::TEXT,
        });
    }
    svg.close_group();
    svg.close_group();

    // North arrow (top right) and scale bar (bottom left), kept clear of labels.
    let na = (panel.right() - 26.0, panel.y + 12.0);
    svg.open_group("north-arrow");
    svg.circle(
        (na.0, na.1 + 22.0),
        15.0,
        "#ffffff",
        Some(Stroke::solid(style::BORDER, 0.8)),
    );
    svg.polygon(
        &[
            (na.0, na.1 + 9.0),
            (na.0 + 6.0, na.1 + 31.0),
            (na.0, na.1 + 26.0),
            (na.0 - 6.0, na.1 + 31.0),
        ],
        style::TEXT,
        None,
    );
    svg.text(
        (na.0, na.1 + 7.0),
        "N",
        11.0,
        style::TEXT,
        Anchor::Middle,
        true,
    );
    svg.close_group();
    placer.marker(Rect::new(na.0 - 16.0, na.1 - 4.0, 32.0, 42.0));
    let bar_m = nice_floor(130.0 / view.scale);
    let bar_px = bar_m * view.scale;
    let (bx, by) = (panel.x + 14.0, panel.bottom() - 16.0);
    let bar_text = if bar_m >= 1.0 {
        format!("{bar_m:.0} m")
    } else {
        format!("{bar_m:.1} m")
    };
    svg.open_group("scale-bar");
    svg.rect(
        (bx - 6.0, by - 20.0, bar_px + 12.0, 30.0),
        "#ffffff",
        None,
        2.0,
    );
    svg.rect((bx, by, bar_px / 2.0, 5.0), style::TEXT, None, 0.0);
    svg.rect(
        (bx + bar_px / 2.0, by, bar_px / 2.0, 5.0),
        "#ffffff",
        Some(Stroke::solid(style::TEXT, 1.0)),
        0.0,
    );
    svg.text(
        (bx, by - 4.0),
        "0",
        10.0,
        style::TEXT,
        Anchor::Middle,
        false,
    );
    svg.text(
        (bx + bar_px, by - 4.0),
        &bar_text,
        10.0,
        style::TEXT,
        Anchor::Middle,
        false,
    );
    svg.close_group();
    placer.marker(Rect::new(
        bx - 8.0,
        by - 20.0,
        bar_px + 16.0 + text_width(&bar_text, 10.0, false) / 2.0,
        30.0,
    ));

    if let Some(inset) = &scene.inset {
        draw_inset(svg, scene, inset, &view, &mut placer);
    }

    // Labels, most important first: warnings, road users, signals, moments, then the rest.
    let mut unplaced = 0usize;
    let mut placed: Vec<(Label, Placed)> = Vec::new();
    let mut signal_boxes: Vec<(usize, Placed)> = Vec::new();
    // The first MAX_WARNING_LABELS by time; the timeline lists every warning.
    let total = warning_labels.len();
    for l in warning_labels.into_iter().take(MAX_WARNING_LABELS) {
        match placer.place(l.anchor, l.clear, l.size()) {
            Some(p) => placed.push((l, p)),
            None => unplaced += 1,
        }
    }
    unplaced += total.saturating_sub(MAX_WARNING_LABELS);
    for l in user_labels {
        match placer.place(l.anchor, l.clear, l.size()) {
            Some(p) => placed.push((l, p)),
            None => unplaced += 1,
        }
    }
    for (i, s) in scene.signals.iter().enumerate() {
        let Some(at) = s.stop_line else { continue };
        if s.samples.is_empty() {
            continue;
        }
        let caption = format!("{}: signal 0\u{2013}{:.0} s", s.name, scene.duration_s);
        let w = text_width(&caption, 10.0, false).max(110.0) + 2.0 * PAD;
        let h = line_height(10.0) + 10.0 + 2.0 * PAD;
        let a = view.px(at);
        if !panel.contains(&Rect::new(a.0, a.1, 0.0, 0.0)) {
            continue;
        }
        match placer.place(a, 4.0, (w, h)) {
            Some(p) => signal_boxes.push((i, p)),
            None => unplaced += 1,
        }
    }
    for l in moment_labels {
        match placer.place(l.anchor, l.clear, l.size()) {
            Some(p) => placed.push((l, p)),
            None => unplaced += 1,
        }
    }
    for l in optional.into_iter().chain(tick_labels) {
        if let Some(p) = placer.place_near(l.anchor, l.clear, l.size(), 8.0) {
            placed.push((l, p));
        }
    }
    svg.open_group("labels");
    for (l, p) in &placed {
        draw_label(svg, l, p);
    }
    for (i, p) in &signal_boxes {
        let Some(s) = scene.signals.get(*i) else {
            continue;
        };
        draw_signal_strip(svg, scene, s, p);
    }
    svg.close_group();
    svg.rect(
        (panel.x, panel.y, panel.w, panel.h),
        "none",
        Some(Stroke::solid(style::BORDER, 1.0)),
        0.0,
    );
    if unplaced > 0 {
        svg.text(
            (panel.right(), panel.bottom() + 12.0),
            &format!("{unplaced} map labels had no room; the timeline lists every warning"),
            10.0,
            style::MUTED,
            Anchor::End,
            false,
        );
    }
    Drawn {
        labels: placer.labels().to_vec(),
        markers: placer.markers().to_vec(),
        unplaced,
    }
}

/// The inset: a zoomed view of one place (the true paths and a transmitted path history
/// there), in the panel corner that hides the least, with its area framed on the map.
fn draw_inset(
    svg: &mut Svg,
    scene: &Scene,
    inset: &super::Inset,
    view: &View,
    placer: &mut Placer,
) {
    const W: f64 = 300.0;
    const H: f64 = 230.0;
    let panel = view.panel;
    let area = Rect::new(
        inset.centre[0] - inset.half_width_m,
        inset.centre[1] - inset.half_width_m,
        2.0 * inset.half_width_m,
        2.0 * inset.half_width_m,
    );
    let (a0, a1) = (
        view.px([area.x, area.bottom()]),
        view.px([area.right(), area.y]),
    );
    let framed = Rect::new(a0.0, a0.1, a1.0 - a0.0, a1.1 - a0.1);
    // The corner whose box covers the fewest markers and lines.
    let corners = [
        Rect::new(panel.x + 8.0, panel.y + 8.0, W, H),
        Rect::new(panel.right() - W - 8.0, panel.bottom() - H - 8.0, W, H),
        Rect::new(panel.x + 8.0, panel.bottom() - H - 40.0, W, H),
        Rect::new(panel.right() - W - 8.0, panel.y + 56.0, W, H),
    ];
    let cost = |r: &Rect| {
        placer.markers().iter().filter(|m| m.intersects(r)).count() * 10
            + placer.crossing_lines(r)
            + if r.intersects(&framed) { 1000 } else { 0 }
    };
    let Some(bx) = corners.iter().min_by_key(|r| cost(r)).copied() else {
        return;
    };
    svg.open_group("inset");
    svg.rect(
        (framed.x, framed.y, framed.w, framed.h),
        "none",
        Some(Stroke::dashed(style::TEXT, 1.0, "3 2")),
        0.0,
    );
    let to = bx.nearest(framed.centre());
    let from = framed.nearest(to);
    svg.line(from, to, Stroke::dashed(style::TEXT, 0.8, "3 2"));
    svg.rect(
        (bx.x, bx.y, bx.w, bx.h),
        "#ffffff",
        Some(Stroke::solid(style::TEXT, 1.2)),
        0.0,
    );
    let caption_h = line_height(10.0) + 4.0;
    let inner = Rect::new(
        bx.x + 1.0,
        bx.y + caption_h,
        bx.w - 2.0,
        bx.h - caption_h - 1.0,
    );
    let zoom = View::fit(area, inner);
    svg.open_clip("inset-clip", inner.x, inner.y, inner.w, inner.h);
    let grid_m = nice_floor(40.0 / zoom.scale);
    grid(svg, &zoom, inner, grid_m);
    for lane in &scene.lanes {
        let pts: Vec<(f64, f64)> = lane.points.iter().map(|p| zoom.px(*p)).collect();
        svg.polyline(
            &pts,
            Stroke::solid(style::LANE, (lane.width_m * zoom.scale).max(3.0)),
            true,
        );
    }
    for u in &scene.users {
        let pts: Vec<(f64, f64)> = u.samples.iter().map(|s| zoom.px(s.1)).collect();
        let colour = if u.ego { style::EGO } else { style::MUTED };
        svg.polyline(&pts, Stroke::solid(colour, 1.6), false);
    }
    let history = scene.histories.iter().min_by(|a, b| {
        (a.t_s - inset.history_t_s)
            .abs()
            .total_cmp(&(b.t_s - inset.history_t_s).abs())
    });
    if let Some(h) = history {
        let pts: Vec<(f64, f64)> = h.points.iter().map(|p| zoom.px(*p)).collect();
        svg.polyline(&pts, Stroke::dashed(style::HISTORY, 2.0, "6 3"), false);
        for p in pts.iter().skip(1) {
            svg.circle(*p, 3.0, style::HISTORY, Some(Stroke::solid("#ffffff", 0.8)));
        }
    }
    svg.close_group();
    let caption = match history {
        Some(h) => format!(
            "zoom: path history sent at {:.1} s; grid {grid_m:.0} m",
            h.t_s
        ),
        None => format!("zoom; grid {grid_m:.0} m"),
    };
    svg.text(
        (bx.x + 5.0, bx.y + line_height(10.0)),
        &caption,
        10.0,
        style::TEXT,
        Anchor::Start,
        false,
    );
    svg.line(
        (bx.x, inner.y),
        (bx.right(), inner.y),
        Stroke::solid(style::BORDER, 0.8),
    );
    svg.close_group();
    placer.marker(bx);
    placer.marker(framed.inflate(1.0));
}

/// A signal's light over the scene's time, in a label box by its stop line.
fn draw_signal_strip(svg: &mut Svg, scene: &Scene, s: &super::SignalTrack, p: &Placed) {
    if let Some((a, b)) = p.leader {
        svg.line(a, b, Stroke::solid(style::MUTED, 0.8));
    }
    let r = p.rect;
    svg.open_group("signal-strip");
    svg.rect(
        (r.x, r.y, r.w, r.h),
        style::LABEL_FILL,
        Some(Stroke::solid("#a0a0a0", 0.6)),
        2.0,
    );
    let caption = format!("{}: signal 0\u{2013}{:.0} s", s.name, scene.duration_s);
    svg.text(
        (r.x + PAD, r.y + PAD + line_height(10.0) * 0.78),
        &caption,
        10.0,
        style::TEXT,
        Anchor::Start,
        false,
    );
    let (bx, by, bw) = (
        r.x + PAD,
        r.y + PAD + line_height(10.0) + 1.0,
        r.w - 2.0 * PAD,
    );
    let d = scene.duration_s.max(1e-3);
    for (k, (t, light)) in s.samples.iter().enumerate() {
        let end = s.samples.get(k + 1).map_or(d, |n| n.0).min(d);
        if end <= *t {
            continue;
        }
        svg.rect(
            (bx + bw * t / d, by, bw * (end - t) / d, 8.0),
            style::light(*light),
            None,
            0.0,
        );
    }
    svg.rect(
        (bx, by, bw, 8.0),
        "none",
        Some(Stroke::solid(style::MUTED, 0.6)),
        0.0,
    );
    svg.close_group();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_intervals_stay_bounded() {
        assert_eq!(tick_interval(9.0), 1.0);
        assert_eq!(tick_interval(600.0), 1.0);
        assert_eq!(tick_interval(601.0), 2.0);
        assert_eq!(tick_interval(2000.0), 5.0);
        assert!(3.2e7 / tick_interval(3.2e7) <= MAX_TICKS as f64);
        assert!(tick_interval(f64::INFINITY) >= 1e12);
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_floor(130.0), 100.0);
        assert_eq!(nice_floor(26.0), 20.0);
        assert_eq!(nice_floor(7.0), 5.0);
        assert_eq!(nice_floor(f64::NAN), 0.1);
    }

    #[test]
    fn ellipses_of_covariances() {
        // 1 m² east, 4 m² north: the major axis points north.
        let (a, b, ang) = ellipse_95([[1.0, 0.0], [0.0, 4.0]]).unwrap();
        assert!((a - 2.0 * 5.991_f64.sqrt()).abs() < 1e-9);
        assert!((b - 5.991_f64.sqrt()).abs() < 1e-9);
        assert!((ang.abs() - core::f64::consts::FRAC_PI_2).abs() < 1e-9);
        // Correlated: the major axis on the diagonal.
        let (_, _, ang) = ellipse_95([[2.0, 1.0], [1.0, 2.0]]).unwrap();
        assert!((ang - core::f64::consts::FRAC_PI_4).abs() < 1e-9);
        assert!(ellipse_95([[f64::NAN, 0.0], [0.0, 1.0]]).is_none());
    }

    #[test]
    fn the_view_keeps_north_up_and_one_scale() {
        let v = View::fit(
            Rect::new(0.0, 0.0, 20.0, 200.0),
            Rect::new(10.0, 10.0, 800.0, 400.0),
        );
        let (x0, y0) = v.px([0.0, 0.0]);
        let (x1, y1) = v.px([10.0, 100.0]);
        assert!(y1 < y0, "north is up");
        assert!(
            ((x1 - x0) / 10.0 - (y0 - y1) / 100.0).abs() < 1e-9,
            "one scale"
        );
        let (_, top) = v.px([0.0, 200.0]);
        assert!(top > 10.0 && y0 < 410.0);
    }
}
