//! The title (scenario name, result and the first failure, notes) and the legend (only the
//! elements the picture shows).
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::layout::{Rect, line_height, text_width};
use super::style;
use super::svg::{Anchor, Stroke, Svg};
use super::{Scene, Verdict};
use crate::apps::Level;

const TITLE: f64 = 20.0;
const BODY: f64 = 12.0;

/// Splits `text` into lines of at most `width` px at `size`, at most `max_lines` (the last one
/// cut with an ellipsis when the text is longer).
fn wrap(text: &str, size: f64, bold: bool, width: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let candidate = if cur.is_empty() {
            String::from(word)
        } else {
            format!("{cur} {word}")
        };
        if text_width(&candidate, size, bold) <= width || cur.is_empty() {
            cur = candidate;
        } else {
            lines.push(core::mem::take(&mut cur));
            cur = String::from(word);
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && text_width(&format!("{last} \u{2026}"), size, bold) > width {
                last.pop();
            }
            last.push_str(" \u{2026}");
        }
    }
    // A single word wider than the line is cut too.
    for l in &mut lines {
        while l.chars().count() > 1 && text_width(l, size, bold) > width {
            l.pop();
        }
    }
    lines
}

fn failure_lines(scene: &Scene, width: f64) -> Vec<String> {
    match &scene.verdict {
        Verdict::Failed(f) => wrap(&format!("first failure: {f}"), BODY, false, width, 2),
        _ => Vec::new(),
    }
}

/// The height of the title band.
pub(super) fn title_height(scene: &Scene, width: f64) -> f64 {
    line_height(TITLE)
        + 4.0
        + (failure_lines(scene, width).len() + scene.notes.len()) as f64 * line_height(BODY)
}

/// Draws the title band.
pub(super) fn title(svg: &mut Svg, scene: &Scene, band: Rect, labels: &mut Vec<Rect>) {
    svg.comment("title");
    let base = band.y + TITLE * 0.9;
    let mut x = band.x;
    let badge = match &scene.verdict {
        Verdict::None => None,
        Verdict::Passed => Some(("PASSED", style::PASS)),
        Verdict::Failed(_) => Some(("FAILED", style::FAIL)),
    };
    if let Some((text, colour)) = badge {
        let w = text_width(text, 13.0, true) + 12.0;
        svg.rect((x, band.y + 2.0, w, TITLE + 2.0), colour, None, 4.0);
        svg.text(
            (x + 6.0, band.y + 2.0 + TITLE * 0.8),
            text,
            13.0,
            "#ffffff",
            Anchor::Start,
            true,
        );
        labels.push(Rect::new(x, band.y + 2.0, w, TITLE + 2.0));
        x += w + 10.0;
    }
    let room = band.right() - x;
    let name = wrap(&scene.title, TITLE, true, room, 1)
        .into_iter()
        .next()
        .unwrap_or_default();
    svg.text((x, base), &name, TITLE, style::TEXT, Anchor::Start, true);
    labels.push(Rect::new(
        x,
        band.y,
        text_width(&name, TITLE, true),
        line_height(TITLE),
    ));
    let mut y = band.y + line_height(TITLE) + 4.0;
    for (lines, colour) in [
        (failure_lines(scene, band.w), style::FAIL),
        (scene.notes.clone(), style::MUTED),
    ] {
        for l in lines {
            svg.text(
                (band.x, y + BODY * 0.95),
                &l,
                BODY,
                colour,
                Anchor::Start,
                false,
            );
            labels.push(Rect::new(
                band.x,
                y,
                text_width(&l, BODY, false),
                line_height(BODY),
            ));
            y += line_height(BODY);
        }
    }
}

/// A legend symbol.
enum Sym {
    Path(&'static str, f64),
    EgoPath,
    Tick,
    Ellipse,
    History,
    Lane,
    StopLine,
    Ring(&'static str),
    Swatch(&'static str),
    Window(bool),
    Never,
    Cleared,
    Diamond(&'static str),
}

fn entries(scene: &Scene) -> Vec<(Sym, String)> {
    let mut e: Vec<(Sym, String)> = Vec::new();
    if scene.users.iter().any(|u| u.ego) {
        e.push((
            Sym::EgoPath,
            "ego's true path: \u{25cb} start, \u{25b6} end".into(),
        ));
    }
    for (i, u) in scene.users.iter().filter(|u| !u.ego).enumerate() {
        if i == style::USERS.len() {
            e.push((
                Sym::Path(style::MUTED, 2.0),
                "\u{2026} more road users".into(),
            ));
            break;
        }
        let colour = style::USERS.get(i).copied().unwrap_or(style::MUTED);
        e.push((Sym::Path(colour, 2.0), format!("{}: true path", u.name)));
    }
    if !scene.users.is_empty() {
        e.push((Sym::Tick, "one-second time tick".into()));
    }
    if !scene.fused.is_empty() {
        e.push((
            Sym::Ellipse,
            "fused track (what the stack believed), 95 % position ellipse each second".into(),
        ));
    }
    if !scene.histories.is_empty() {
        e.push((
            Sym::History,
            "path history the ego transmitted (BSM crumbs)".into(),
        ));
    }
    if !scene.lanes.is_empty() {
        e.push((Sym::Lane, "lane of the MAP the stack holds".into()));
    }
    if scene.lanes.iter().any(|l| l.stop_line) {
        e.push((Sym::StopLine, "stop line".into()));
    }
    let mut lights: Vec<Option<crate::world::Light>> = Vec::new();
    for s in &scene.signals {
        for (_, l) in &s.samples {
            if !lights.iter().any(|k| style::light(*k) == style::light(*l)) {
                lights.push(*l);
            }
        }
    }
    for l in lights {
        let text = match l {
            Some(_) => format!("signal {}", style::light_name(l)),
            None => "no fresh SPAT (none, stale or failed)".into(),
        };
        e.push((Sym::Swatch(style::light(l)), text));
    }
    if !scene.warnings.is_empty() {
        for l in [Level::Advisory, Level::Warning, Level::Alert] {
            e.push((
                Sym::Ring(style::level(l)),
                format!(
                    "{}: ring where the ego was when raised; bar while shown",
                    l.name()
                ),
            ));
        }
        e.push((Sym::Cleared, "warning cleared".into()));
    }
    let mut seen: Vec<&str> = Vec::new();
    for m in &scene.moments {
        if !seen.contains(&m.text.as_str()) {
            seen.push(&m.text);
            e.push((Sym::Diamond(m.colour), m.text.clone()));
        }
    }
    if scene.expectations.iter().any(|x| !x.never) {
        e.push((
            Sym::Window(true),
            "expected warning: window and deadline (\u{2713} met)".into(),
        ));
        e.push((Sym::Window(false), "\u{2717} expectation not met".into()));
    }
    if scene.expectations.iter().any(|x| x.never) {
        e.push((
            Sym::Never,
            "\u{201c}never\u{201d} window: nothing may be raised".into(),
        ));
    }
    e
}

fn symbol(svg: &mut Svg, sym: &Sym, (x, y): (f64, f64)) {
    let mid = (x + 14.0, y);
    match sym {
        Sym::Path(c, w) => svg.line((x, y), (x + 28.0, y), Stroke::solid(c, *w)),
        Sym::EgoPath => {
            svg.line((x + 4.0, y), (x + 24.0, y), Stroke::solid(style::EGO, 2.6));
            svg.circle(
                (x + 4.0, y),
                4.0,
                "#ffffff",
                Some(Stroke::solid(style::EGO, 2.0)),
            );
            svg.polygon(
                &[(x + 30.0, y), (x + 22.0, y - 5.0), (x + 22.0, y + 5.0)],
                style::EGO,
                None,
            );
        }
        Sym::Tick => {
            svg.line((x, y), (x + 28.0, y), Stroke::solid(style::EGO, 2.0));
            svg.circle(mid, 2.6, "#ffffff", Some(Stroke::solid(style::EGO, 1.4)));
        }
        Sym::Ellipse => {
            svg.line(
                (x, y),
                (x + 28.0, y),
                Stroke::dashed(style::FUSED, 1.4, "4 3"),
            );
            svg.ellipse(
                mid,
                (8.0, 4.5),
                -20.0,
                style::FUSED,
                0.12,
                Stroke::solid(style::FUSED, 1.0),
            );
        }
        Sym::History => {
            svg.line(
                (x, y),
                (x + 28.0, y),
                Stroke::dashed(style::HISTORY, 1.8, "5 3"),
            );
            for k in [8.0, 20.0] {
                svg.circle((x + k, y), 2.2, style::HISTORY, None);
            }
        }
        Sym::Lane => svg.line((x, y), (x + 28.0, y), Stroke::solid(style::LANE, 10.0)),
        Sym::StopLine => svg.line(
            (mid.0, y - 6.0),
            (mid.0, y + 6.0),
            Stroke::solid(style::STOP_LINE, 3.0),
        ),
        Sym::Ring(c) => svg.circle(mid, 6.0, "none", Some(Stroke::solid(c, 2.4))),
        Sym::Swatch(c) => svg.rect((x + 2.0, y - 5.0, 24.0, 10.0), c, None, 1.0),
        Sym::Window(ok) => {
            let c = if *ok { style::PASS } else { style::FAIL };
            svg.rect_alpha((x, y - 6.0, 24.0, 12.0), c, 0.08);
            let s = if *ok {
                Stroke::dashed(c, 1.0, "3 2")
            } else {
                Stroke::solid(c, 1.5)
            };
            svg.rect((x, y - 6.0, 24.0, 12.0), "none", Some(s), 0.0);
            svg.line(
                (x + 24.0, y - 7.0),
                (x + 24.0, y + 7.0),
                Stroke::solid(c, 2.0),
            );
        }
        Sym::Never => svg.rect_pattern((x, y - 6.0, 26.0, 12.0), "hatch-ok"),
        Sym::Cleared => {
            svg.rect(
                (x, y - 5.0, 14.0, 10.0),
                style::level(Level::Warning),
                None,
                1.5,
            );
            svg.line(
                (x + 14.0, y - 6.0),
                (x + 14.0, y + 6.0),
                Stroke::solid(style::TEXT, 1.5),
            );
        }
        Sym::Diamond(c) => svg.polygon(
            &[
                (mid.0, y - 6.0),
                (mid.0 + 6.0, y),
                (mid.0, y + 6.0),
                (mid.0 - 6.0, y),
            ],
            c,
            None,
        ),
    }
}

/// Draws the legend into `panel`.
pub(super) fn legend(svg: &mut Svg, scene: &Scene, panel: Rect, labels: &mut Vec<Rect>) {
    svg.comment("legend");
    super::frame(svg, panel, "#ffffff");
    let (x, mut y) = (panel.x + 10.0, panel.y + 8.0);
    svg.text(
        (x, y + 12.0),
        "Legend",
        12.0,
        style::TEXT,
        Anchor::Start,
        true,
    );
    labels.push(Rect::new(
        x,
        y,
        text_width("Legend", 12.0, true),
        line_height(12.0),
    ));
    y += line_height(12.0) + 8.0;
    let text_x = x + 38.0;
    let width = panel.right() - 8.0 - text_x;
    let lh = line_height(10.5);
    let all = entries(scene);
    let total = all.len();
    for (i, (sym, text)) in all.into_iter().enumerate() {
        let lines = wrap(&text, 10.5, false, width, 3);
        let h = (lines.len() as f64 * lh).max(14.0) + 5.0;
        if y + h > panel.bottom() - 4.0 {
            let more = format!("\u{2026} {} more", total - i);
            svg.text(
                (text_x, y + 10.0),
                &more,
                10.5,
                style::MUTED,
                Anchor::Start,
                false,
            );
            labels.push(Rect::new(text_x, y, text_width(&more, 10.5, false), lh));
            break;
        }
        symbol(svg, &sym, (x, y + 7.0));
        for (k, l) in lines.iter().enumerate() {
            let top = y + k as f64 * lh;
            svg.text(
                (text_x, top + 10.5),
                l,
                10.5,
                style::TEXT,
                Anchor::Start,
                false,
            );
            labels.push(Rect::new(text_x, top, text_width(l, 10.5, false), lh));
        }
        y += h;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_lines_inside() {
        let text = "expect[0]: FCW warning about 1 by 5.6 s not met; first FCW was advisory at 5.9 s about 1";
        let lines = wrap(text, 12.0, false, 200.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| text_width(l, 12.0, false) <= 200.0));
        assert!(lines[1].ends_with('\u{2026}'));
        let one = wrap("short", 12.0, false, 200.0, 2);
        assert_eq!(one, ["short"]);
        let long_word = wrap("aaaaaaaaaaaaaaaaaaaaaaaaaaaa", 12.0, false, 50.0, 1);
        assert!(text_width(&long_word[0], 12.0, false) <= 50.0);
    }
}
