//! The timeline view: a time axis in seconds and one row per signal phase of the ego's lane,
//! per application (its warnings as bars from raised to cleared, one colour per level, the
//! colour changing where the level changes; concurrent warnings on separate lines) and per
//! extra row of the scene. A scenario's expectations are drawn on their application's row:
//! the onset window with its deadline, or the `never` window hatched, green when met and red
//! when not, with a one-line label under the bars.
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::layout::{Rect, line_height, text_width};
use super::style;
use super::svg::{Anchor, Stroke, Svg};
use super::{Bar, Drawn, Expectation, Scene};
use crate::apps::AppId;

/// Left gutter for the row labels, px.
const GUTTER: f64 = 120.0;
/// Height of one bar line, px.
const LINE: f64 = 15.0;
/// Bar thickness, px.
const BAR: f64 = 11.0;
/// Height of one expectation label line, px.
const NOTE: f64 = 15.0;
/// At most this many lines of concurrent warnings per row.
const MAX_LINES: usize = 6;
/// Axis band, px.
const AXIS: f64 = 34.0;

/// One row as drawn.
#[derive(Debug, Clone)]
pub(super) struct TRow {
    label: String,
    /// (line, bar).
    bars: Vec<(usize, Bar)>,
    lines: usize,
    /// Ends of warnings cleared before the end (time, line).
    clears: Vec<(f64, usize)>,
    expectations: Vec<Expectation>,
}

impl TRow {
    fn height(&self) -> f64 {
        8.0 + self.lines.max(1) as f64 * LINE + self.expectations.len() as f64 * NOTE
    }
}

/// The rows of a scene.
pub(super) fn rows(scene: &Scene) -> Vec<TRow> {
    let end = scene.duration_s;
    let mut out = Vec::new();
    for s in scene.signals.iter().filter(|s| s.in_timeline) {
        let mut bars: Vec<(usize, Bar)> = Vec::new();
        for (k, (t, light)) in s.samples.iter().enumerate() {
            let to = s.samples.get(k + 1).map_or(end, |n| n.0);
            match bars.last_mut() {
                Some((_, b)) if b.colour == style::light(*light) && (b.to_s - t).abs() < 1e-6 => {
                    b.to_s = to;
                }
                _ => bars.push((
                    0,
                    Bar {
                        from_s: *t,
                        to_s: to,
                        colour: style::light(*light),
                        text: Some(style::light_name(*light).into()),
                    },
                )),
            }
        }
        out.push(TRow {
            label: format!("signal {}", s.name),
            bars,
            lines: 1,
            clears: vec![],
            expectations: vec![],
        });
    }
    let mut apps: Vec<AppId> = scene
        .warnings
        .iter()
        .map(|w| w.app)
        .chain(scene.expectations.iter().map(|e| e.app))
        .collect();
    apps.sort();
    apps.dedup();
    for app in apps {
        let mut lives: Vec<&super::WarningLife> =
            scene.warnings.iter().filter(|w| w.app == app).collect();
        lives.sort_by(|a, b| a.raised_s.total_cmp(&b.raised_s));
        // Lines: each warning on the first line free at its start.
        let mut line_ends: Vec<f64> = Vec::new();
        let mut bars = Vec::new();
        let mut clears = Vec::new();
        for w in lives {
            let until = w.cleared_s.unwrap_or(end);
            let line = match line_ends.iter().position(|e| *e <= w.raised_s + 1e-9) {
                Some(i) => i,
                None if line_ends.len() < MAX_LINES => {
                    line_ends.push(f64::NEG_INFINITY);
                    line_ends.len() - 1
                }
                // All lines busy: the one that frees first (the bars overlap there).
                None => line_ends
                    .iter()
                    .enumerate()
                    .min_by(|a, b| a.1.total_cmp(b.1))
                    .map_or(0, |m| m.0),
            };
            if let Some(e) = line_ends.get_mut(line) {
                *e = until;
            }
            for (k, st) in w.stages.iter().enumerate() {
                let to = w.stages.get(k + 1).map_or(until, |n| n.t_s).min(until);
                let text = match &st.detail {
                    Some(d) => format!("{} {d}", st.level.name()),
                    None => st.level.name().into(),
                };
                bars.push((
                    line,
                    Bar {
                        from_s: st.t_s,
                        to_s: to.max(st.t_s),
                        colour: style::level(st.level),
                        text: Some(text),
                    },
                ));
            }
            if let Some(c) = w.cleared_s {
                clears.push((c, line));
            }
        }
        out.push(TRow {
            label: app.name().into(),
            bars,
            lines: line_ends.len().max(1),
            clears,
            expectations: scene
                .expectations
                .iter()
                .filter(|e| e.app == app)
                .cloned()
                .collect(),
        });
    }
    for r in &scene.rows {
        out.push(TRow {
            label: r.label.clone(),
            bars: r.bars.iter().cloned().map(|b| (0, b)).collect(),
            lines: 1,
            clears: vec![],
            expectations: vec![],
        });
    }
    out
}

/// The height of the timeline panel.
pub(super) fn height(rows: &[TRow]) -> f64 {
    let body: f64 = rows.iter().map(TRow::height).sum();
    8.0 + body.max(30.0) + AXIS
}

/// A step for time ticks at least `min_px` apart (seconds and minutes up to an hour, then
/// 1, 2, 5 × 10ⁿ s).
fn time_step(duration_s: f64, width_px: f64, min_px: f64) -> f64 {
    let needed = min_px * duration_s.max(1e-3) / width_px.max(1.0);
    [
        0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0,
    ]
    .into_iter()
    .find(|s| *s >= needed)
    .unwrap_or_else(|| {
        let p = 10f64.powf(needed.log10().floor());
        [1.0, 2.0, 5.0, 10.0]
            .into_iter()
            .map(|k| k * p)
            .find(|s| *s >= needed)
            .unwrap_or(10.0 * p)
    })
}

/// Draws the timeline into `panel`.
pub(super) fn draw(svg: &mut Svg, scene: &Scene, rows: &[TRow], panel: Rect) -> Drawn {
    let mut drawn = Drawn::default();
    let d = scene.duration_s.max(1e-3);
    let (x0, x1) = (panel.x + GUTTER, panel.right() - 14.0);
    let px = |t: f64| x0 + (t.clamp(0.0, d) / d) * (x1 - x0);
    let body_bottom = panel.bottom() - AXIS;
    svg.comment("timeline view");
    super::frame(svg, panel, "#ffffff");
    // Grid and axis.
    let step = time_step(d, x1 - x0, 46.0);
    let mut t = 0.0;
    svg.open_group("time-axis");
    while t <= d + 1e-9 {
        let x = px(t);
        svg.line(
            (x, panel.y + 6.0),
            (x, body_bottom),
            Stroke::solid(style::GRID, 1.0),
        );
        svg.line(
            (x, body_bottom),
            (x, body_bottom + 5.0),
            Stroke::solid(style::TEXT, 1.0),
        );
        let text = if step < 1.0 {
            format!("{t:.1} s")
        } else {
            format!("{t:.0} s")
        };
        let w = text_width(&text, 10.0, false);
        let rect = Rect::new(x - w / 2.0, body_bottom + 7.0, w, line_height(10.0));
        svg.text(
            (x, body_bottom + 17.0),
            &text,
            10.0,
            style::TEXT,
            Anchor::Middle,
            false,
        );
        drawn.labels.push(rect);
        t += step;
    }
    svg.line(
        (x0, body_bottom),
        (x1, body_bottom),
        Stroke::solid(style::TEXT, 1.0),
    );
    svg.text(
        (panel.x + 8.0, body_bottom + 17.0),
        "time from start",
        10.0,
        style::MUTED,
        Anchor::Start,
        false,
    );
    drawn.labels.push(Rect::new(
        panel.x + 8.0,
        body_bottom + 7.0,
        text_width("time from start", 10.0, false),
        line_height(10.0),
    ));
    svg.close_group();
    if rows.is_empty() {
        let text = "no warnings raised";
        svg.text(
            (x0, panel.y + 28.0),
            text,
            12.0,
            style::MUTED,
            Anchor::Start,
            false,
        );
        drawn.labels.push(Rect::new(
            x0,
            panel.y + 16.0,
            text_width(text, 12.0, false),
            line_height(12.0),
        ));
    }
    let mut y = panel.y + 8.0;
    for (ri, row) in rows.iter().enumerate() {
        let h = row.height();
        if ri % 2 == 1 {
            svg.rect_alpha((panel.x + 1.0, y, panel.w - 2.0, h), "#000000", 0.03);
        }
        svg.open_group(&format!("row {}", row.label));
        let bars_h = row.lines.max(1) as f64 * LINE;
        // Expectation windows behind the bars.
        for e in &row.expectations {
            let (a, b) = (px(e.window.0), px(e.window.1));
            let colour = if e.met { style::PASS } else { style::FAIL };
            if e.never {
                svg.rect_pattern(
                    (a, y + 2.0, b - a, bars_h),
                    if e.met { "hatch-ok" } else { "hatch-fail" },
                );
            } else {
                svg.rect_alpha((a, y + 2.0, b - a, bars_h), colour, 0.08);
                svg.line(
                    (b, y + 1.0),
                    (b, y + bars_h + 3.0),
                    Stroke::solid(colour, 2.0),
                );
            }
            let outline = if e.met {
                Stroke::dashed(colour, 1.0, "3 2")
            } else {
                Stroke::solid(colour, 1.5)
            };
            svg.rect((a, y + 2.0, b - a, bars_h), "none", Some(outline), 0.0);
        }
        // Bars.
        for (line, bar) in &row.bars {
            let (a, b) = (px(bar.from_s), px(bar.to_s));
            let top = y + 2.0 + *line as f64 * LINE + (LINE - BAR) / 2.0;
            svg.rect((a, top, (b - a).max(1.5), BAR), bar.colour, None, 1.5);
            // The whole text, or its first word, when it fits in the bar.
            let fitting = bar.text.as_deref().and_then(|t| {
                [Some(t), t.split(' ').next()]
                    .into_iter()
                    .flatten()
                    .find(|c| text_width(c, 9.0, false) + 6.0 <= b - a)
            });
            // Where bars overlap (more concurrent warnings than lines), the first text wins.
            let boxed = fitting.map(|t| {
                let r = Rect::new(a + 3.0, top, text_width(t, 9.0, false), BAR);
                (t, r)
            });
            if let Some((text, r)) =
                boxed.filter(|(_, r)| !drawn.labels.iter().any(|l| l.intersects(r)))
            {
                let colour = style::text_on(bar.colour);
                svg.text(
                    (a + 3.0, top + BAR - 2.5),
                    text,
                    9.0,
                    colour,
                    Anchor::Start,
                    false,
                );
                drawn.labels.push(r);
            }
        }
        for (t, line) in &row.clears {
            let x = px(*t);
            let top = y + 2.0 + *line as f64 * LINE;
            svg.line(
                (x, top + 1.0),
                (x, top + LINE - 1.0),
                Stroke::solid(style::TEXT, 1.5),
            );
        }
        // Row label.
        let label_y = y + 2.0 + bars_h / 2.0 + 4.0;
        svg.text(
            (panel.x + 8.0, label_y),
            &row.label,
            11.0,
            style::TEXT,
            Anchor::Start,
            true,
        );
        drawn.labels.push(Rect::new(
            panel.x + 8.0,
            label_y - 10.0,
            text_width(&row.label, 11.0, true),
            line_height(11.0),
        ));
        // Expectation labels under the bars, one line each.
        for (k, e) in row.expectations.iter().enumerate() {
            let text = format!(
                "{} expected: {}",
                if e.met { "\u{2713}" } else { "\u{2717}" },
                e.text
            );
            let w = text_width(&text, 10.0, !e.met);
            let want = if e.never {
                px(e.window.0)
            } else {
                px(e.window.1) - w / 2.0
            };
            let x = want.min(panel.right() - 4.0 - w).max(x0 - 4.0);
            let top = y + 2.0 + bars_h + 1.0 + k as f64 * NOTE;
            let colour = if e.met { style::PASS } else { style::FAIL };
            svg.text((x, top + 11.0), &text, 10.0, colour, Anchor::Start, !e.met);
            drawn.labels.push(Rect::new(x, top, w, NOTE - 2.0));
        }
        svg.close_group();
        y += h;
    }
    drawn
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_steps_keep_labels_apart() {
        assert_eq!(time_step(9.0, 1000.0, 46.0), 0.5);
        assert_eq!(time_step(110.0, 1000.0, 46.0), 10.0);
        let long = time_step(1e9, 1000.0, 46.0);
        assert!(1e9 / long <= 1000.0 / 46.0 + 1.0, "{long}");
    }
}
