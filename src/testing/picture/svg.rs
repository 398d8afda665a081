//! A small SVG writer: the handful of elements the pictures use, coordinates rounded to 0.1 px,
//! text escaped. Written by hand: an SVG document is plain text, and no crate is needed to
//! produce a dozen element kinds.
use core::fmt::Write as _;

use alloc::string::String;

/// The font the text metrics of [`super::layout`] are measured in; the fallbacks share its
/// widths (Bitstream Vera) or are narrower.
pub const FONT_FAMILY: &str = "DejaVu Sans, Bitstream Vera Sans, sans-serif";

/// An SVG document being written.
#[derive(Debug, Clone)]
pub struct Svg {
    out: String,
    width: f64,
    height: f64,
}

/// Escapes text for element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => o.push(c),
        }
    }
    o
}

/// A number as SVG writes it: at most one decimal, no `-0`, finite (non-finite becomes 0).
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return "0".into();
    }
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 {
        "0".into()
    } else if r.fract() == 0.0 {
        alloc::format!("{r:.0}")
    } else {
        alloc::format!("{r:.1}")
    }
}

/// A `points` attribute value.
fn points_attr(points: &[(f64, f64)]) -> String {
    let mut p = String::with_capacity(points.len() * 12);
    for (i, (x, y)) in points.iter().enumerate() {
        if i > 0 {
            p.push(' ');
        }
        let _ = write!(p, "{},{}", num(*x), num(*y));
    }
    p
}

/// Text anchoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// `x` is the left end.
    Start,
    /// `x` is the centre.
    Middle,
    /// `x` is the right end.
    End,
}

impl Anchor {
    fn name(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// Stroke of a line or outline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke<'a> {
    /// Colour.
    pub colour: &'a str,
    /// Width, px.
    pub width: f64,
    /// Dash pattern (`"6 4"`), when dashed.
    pub dash: Option<&'a str>,
    /// Opacity, 0..=1.
    pub opacity: f64,
}

impl<'a> Stroke<'a> {
    /// A solid stroke.
    pub fn solid(colour: &'a str, width: f64) -> Self {
        Stroke {
            colour,
            width,
            dash: None,
            opacity: 1.0,
        }
    }

    /// A dashed stroke.
    pub fn dashed(colour: &'a str, width: f64, dash: &'a str) -> Self {
        Stroke {
            dash: Some(dash),
            ..Stroke::solid(colour, width)
        }
    }

    /// The same stroke with an opacity.
    pub fn with_opacity(self, opacity: f64) -> Self {
        Stroke { opacity, ..self }
    }

    fn attrs(&self) -> String {
        let mut s = alloc::format!(
            " stroke=\"{}\" stroke-width=\"{}\"",
            escape(self.colour),
            num(self.width)
        );
        if let Some(d) = self.dash {
            let _ = write!(s, " stroke-dasharray=\"{}\"", escape(d));
        }
        if self.opacity < 1.0 {
            let _ = write!(s, " stroke-opacity=\"{:.2}\"", self.opacity.clamp(0.0, 1.0));
        }
        s
    }
}

impl Svg {
    /// A document of `width` × `height` px with a background colour.
    pub fn new(width: f64, height: f64, background: &str) -> Svg {
        let mut out = String::with_capacity(64 * 1024);
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONT_FAMILY}\" font-size=\"12\">",
            w = num(width),
            h = num(height)
        );
        let _ = writeln!(
            out,
            "<rect width=\"100%\" height=\"100%\" fill=\"{}\"/>",
            escape(background)
        );
        Svg { out, width, height }
    }

    /// Width, px.
    pub fn width(&self) -> f64 {
        self.width
    }

    /// Height, px.
    pub fn height(&self) -> f64 {
        self.height
    }

    /// An SVG comment (element groups are named with them).
    pub fn comment(&mut self, text: &str) {
        let _ = writeln!(self.out, "<!-- {} -->", escape(text).replace("--", "- -"));
    }

    /// Opens a group clipped to a rectangle (`id` names the clip path).
    pub fn open_clip(&mut self, id: &str, x: f64, y: f64, w: f64, h: f64) {
        let _ = writeln!(
            self.out,
            "<clipPath id=\"{id}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath><g clip-path=\"url(#{id})\">",
            num(x),
            num(y),
            num(w),
            num(h),
            id = escape(id)
        );
    }

    /// Opens a plain group with a class name (for readers of the SVG and for tests).
    pub fn open_group(&mut self, class: &str) {
        let _ = writeln!(self.out, "<g class=\"{}\">", escape(class));
    }

    /// Closes a group.
    pub fn close_group(&mut self) {
        self.out.push_str("</g>\n");
    }

    /// `<rect x y width height` (the caller ends the element).
    fn rect_start(&mut self, (x, y, w, h): (f64, f64, f64, f64)) {
        let _ = write!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
            num(x),
            num(y),
            num(w.max(0.0)),
            num(h.max(0.0))
        );
    }

    /// A rectangle.
    pub fn rect(
        &mut self,
        (x, y, w, h): (f64, f64, f64, f64),
        fill: &str,
        stroke: Option<Stroke<'_>>,
        radius: f64,
    ) {
        self.rect_start((x, y, w, h));
        let _ = write!(self.out, " fill=\"{}\"", escape(fill));
        if radius > 0.0 {
            let _ = write!(self.out, " rx=\"{}\"", num(radius));
        }
        if let Some(s) = stroke {
            self.out.push_str(&s.attrs());
        }
        self.out.push_str("/>\n");
    }

    /// A rectangle with a fill opacity.
    pub fn rect_alpha(&mut self, (x, y, w, h): (f64, f64, f64, f64), fill: &str, opacity: f64) {
        self.rect_start((x, y, w, h));
        let _ = writeln!(
            self.out,
            " fill=\"{}\" fill-opacity=\"{:.2}\"/>",
            escape(fill),
            opacity.clamp(0.0, 1.0)
        );
    }

    /// A rectangle filled with a pattern defined by [`Svg::hatch`].
    pub fn rect_pattern(&mut self, (x, y, w, h): (f64, f64, f64, f64), pattern: &str) {
        self.rect_start((x, y, w, h));
        let _ = writeln!(self.out, " fill=\"url(#{})\"/>", escape(pattern));
    }

    /// Defines a diagonal hatch pattern `id` in `colour`.
    pub fn hatch(&mut self, id: &str, colour: &str, opacity: f64) {
        let _ = writeln!(
            self.out,
            "<defs><pattern id=\"{}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"{}\" stroke-width=\"2\" stroke-opacity=\"{:.2}\"/></pattern></defs>",
            escape(id),
            escape(colour),
            opacity.clamp(0.0, 1.0)
        );
    }

    /// A line.
    pub fn line(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), stroke: Stroke<'_>) {
        let _ = writeln!(
            self.out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"{} stroke-linecap=\"round\"/>",
            num(x1),
            num(y1),
            num(x2),
            num(y2),
            stroke.attrs()
        );
    }

    /// An open polyline (nothing when fewer than two points).
    pub fn polyline(&mut self, points: &[(f64, f64)], stroke: Stroke<'_>, butt: bool) {
        if points.len() < 2 {
            return;
        }
        let p = points_attr(points);
        let _ = writeln!(
            self.out,
            "<polyline points=\"{p}\" fill=\"none\"{} stroke-linejoin=\"round\" stroke-linecap=\"{}\"/>",
            stroke.attrs(),
            if butt { "butt" } else { "round" }
        );
    }

    /// A closed polygon.
    pub fn polygon(&mut self, points: &[(f64, f64)], fill: &str, stroke: Option<Stroke<'_>>) {
        if points.len() < 3 {
            return;
        }
        let p = points_attr(points);
        let _ = write!(
            self.out,
            "<polygon points=\"{p}\" fill=\"{}\"",
            escape(fill)
        );
        if let Some(s) = stroke {
            self.out.push_str(&s.attrs());
            self.out.push_str(" stroke-linejoin=\"round\"");
        }
        self.out.push_str("/>\n");
    }

    /// A circle.
    pub fn circle(&mut self, (cx, cy): (f64, f64), r: f64, fill: &str, stroke: Option<Stroke<'_>>) {
        let _ = write!(
            self.out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"",
            num(cx),
            num(cy),
            num(r.max(0.0)),
            escape(fill)
        );
        if let Some(s) = stroke {
            self.out.push_str(&s.attrs());
        }
        self.out.push_str("/>\n");
    }

    /// An ellipse with semi-axes `rx`, `ry`, rotated by `angle_deg` (clockwise on screen).
    pub fn ellipse(
        &mut self,
        (cx, cy): (f64, f64),
        (rx, ry): (f64, f64),
        angle_deg: f64,
        fill: &str,
        fill_opacity: f64,
        stroke: Stroke<'_>,
    ) {
        let _ = writeln!(
            self.out,
            "<ellipse cx=\"{c_x}\" cy=\"{c_y}\" rx=\"{}\" ry=\"{}\" transform=\"rotate({} {c_x} {c_y})\" fill=\"{}\" fill-opacity=\"{:.2}\"{}/>",
            num(rx.max(0.0)),
            num(ry.max(0.0)),
            num(angle_deg),
            escape(fill),
            fill_opacity.clamp(0.0, 1.0),
            stroke.attrs(),
            c_x = num(cx),
            c_y = num(cy),
        );
    }

    /// Text with its baseline at `y`.
    pub fn text(
        &mut self,
        (x, y): (f64, f64),
        text: &str,
        size: f64,
        colour: &str,
        anchor: Anchor,
        bold: bool,
    ) {
        let _ = writeln!(
            self.out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\"{}{}>{}</text>",
            num(x),
            num(y),
            num(size),
            escape(colour),
            if anchor == Anchor::Start {
                String::new()
            } else {
                alloc::format!(" text-anchor=\"{}\"", anchor.name())
            },
            if bold { " font-weight=\"bold\"" } else { "" },
            escape(text)
        );
    }

    /// Ends the document.
    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        assert_eq!(escape("a<b & \"c\"'"), "a&lt;b &amp; &quot;c&quot;&#39;");
        assert_eq!(escape("x\u{1}y"), "xy");
        let mut s = Svg::new(10.0, 10.0, "#fff");
        s.text((1.0, 2.0), "<FCW>", 12.0, "#000", Anchor::Start, false);
        s.comment("a -- b");
        let out = s.finish();
        assert!(
            out.contains("&lt;FCW&gt;") && !out.contains("<FCW>"),
            "{out}"
        );
        assert!(out.contains("a - - b"), "{out}");
    }

    #[test]
    fn numbers_are_short_and_finite() {
        assert_eq!(num(1.04), "1");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(2.25), "2.3");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(f64::INFINITY), "0");
        assert_eq!(num(-12.0), "-12");
    }
}
