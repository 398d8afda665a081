//! Text metrics and label placement.
//!
//! Text widths come from the advance widths of DejaVu Sans (the font the pictures ask for
//! first; Bitstream Vera has the same metrics, other sans-serif fallbacks are narrower), so a
//! label's box covers its text. Labels are placed greedily, most important first: around its
//! anchor at growing distances in sixteen directions, the first position (cheapest: nearest,
//! crossing the fewest drawn lines) whose box stays inside the panel and intersects neither a
//! placed label nor a marker; then anywhere in the panel, nearest first, with a leader line. A
//! label that still finds no room is not drawn at all (optional labels, such as time ticks) or
//! is reported to the caller, which lists it elsewhere: labels never overlap each other or the
//! markers.
use alloc::vec::Vec;

/// DejaVu Sans advance widths of the ASCII characters 32..=126, thousandths of an em.
const REGULAR: [u16; 95] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
    575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
    611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
    278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];

/// DejaVu Sans Bold advance widths of the ASCII characters 32..=126, thousandths of an em.
const BOLD: [u16; 95] = [
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696,
    696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683,
    683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771,
    724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665,
    343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];

/// The width of `text` at `size` px, px. Characters beyond ASCII count as one em (wider than
/// any the pictures use: arrows, ticks, ≥, σ).
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let table = if bold { &BOLD } else { &REGULAR };
    let em: u32 = text
        .chars()
        .map(|c| {
            (c as usize)
                .checked_sub(32)
                .and_then(|i| table.get(i))
                .map_or(1000, |w| u32::from(*w))
        })
        .sum();
    f64::from(em) / 1000.0 * size
}

/// Line height of text at `size` px.
pub fn line_height(size: f64) -> f64 {
    (size * 1.25).ceil()
}

/// Padding inside a label box, px.
pub const PAD: f64 = 3.0;

/// The box of a label of `lines` at `size` px (with [`PAD`] on every side): (width, height).
pub fn label_size(lines: &[alloc::string::String], size: f64, bold: bool) -> (f64, f64) {
    let w = lines
        .iter()
        .map(|l| text_width(l, size, bold))
        .fold(0.0, f64::max);
    (
        (w + 2.0 * PAD).ceil(),
        line_height(size) * lines.len().max(1) as f64 + 2.0 * PAD,
    )
}

/// An axis-aligned rectangle in picture pixels (y down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// A rectangle.
    pub const fn new(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect { x, y, w, h }
    }

    /// The square of half-side `r` around a point.
    pub fn around((cx, cy): (f64, f64), r: f64) -> Rect {
        Rect::new(cx - r, cy - r, 2.0 * r, 2.0 * r)
    }

    /// Right edge.
    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    /// Bottom edge.
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// Centre.
    pub fn centre(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// Whether the interiors overlap (touching edges do not).
    pub fn intersects(&self, o: &Rect) -> bool {
        self.x < o.right() && o.x < self.right() && self.y < o.bottom() && o.y < self.bottom()
    }

    /// Whether `o` lies inside.
    pub fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x && o.y >= self.y && o.right() <= self.right() && o.bottom() <= self.bottom()
    }

    /// Grown by `d` on every side.
    pub fn inflate(&self, d: f64) -> Rect {
        Rect::new(self.x - d, self.y - d, self.w + 2.0 * d, self.h + 2.0 * d)
    }

    /// The point of the rectangle nearest to `p`.
    pub fn nearest(&self, (px, py): (f64, f64)) -> (f64, f64) {
        (
            px.clamp(self.x, self.right()),
            py.clamp(self.y, self.bottom()),
        )
    }

    /// The bounding box of points (`None` when empty or not finite).
    pub fn bounding(points: impl IntoIterator<Item = (f64, f64)>) -> Option<Rect> {
        let mut b: Option<(f64, f64, f64, f64)> = None;
        for (x, y) in points {
            if !(x.is_finite() && y.is_finite()) {
                continue;
            }
            b = Some(match b {
                None => (x, y, x, y),
                Some((a, c, d, e)) => (a.min(x), c.min(y), d.max(x), e.max(y)),
            });
        }
        b.map(|(x0, y0, x1, y1)| Rect::new(x0, y0, x1 - x0, y1 - y0))
    }

    /// Whether the segment `a`–`b` passes through the interior.
    pub fn crosses(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        // Liang–Barsky clipping of the segment against the rectangle.
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
        for (p, q) in [
            (-dx, a.0 - self.x),
            (dx, self.right() - a.0),
            (-dy, a.1 - self.y),
            (dy, self.bottom() - a.1),
        ] {
            if p == 0.0 {
                if q <= 0.0 {
                    return false;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
                if t0 >= t1 {
                    return false;
                }
            }
        }
        true
    }
}

/// Where a label went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    /// Its box.
    pub rect: Rect,
    /// A leader line from the anchor's edge to the box, when the box is away from the anchor.
    pub leader: Option<((f64, f64), (f64, f64))>,
}

/// Places labels in a panel without overlaps. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct Placer {
    bounds: Rect,
    labels: Vec<Rect>,
    markers: Vec<Rect>,
    lines: Vec<((f64, f64), (f64, f64))>,
}

/// Distances from the anchor's clearance tried, px.
const RINGS: [f64; 10] = [2.0, 8.0, 16.0, 28.0, 44.0, 64.0, 90.0, 125.0, 170.0, 230.0];

/// Directions tried at each distance, degrees counter-clockwise from east, preferred first.
const DIRECTIONS: [f64; 16] = [
    0.0, 180.0, 30.0, 150.0, 330.0, 210.0, 60.0, 120.0, 300.0, 240.0, 90.0, 270.0, 15.0, 165.0,
    345.0, 195.0,
];

/// A leader is drawn when the box is farther than this from the anchor's clearance, px.
const LEADER_FROM: f64 = 6.0;

impl Placer {
    /// A placer for labels inside `bounds`.
    pub fn new(bounds: Rect) -> Placer {
        Placer {
            bounds,
            labels: Vec::new(),
            markers: Vec::new(),
            lines: Vec::new(),
        }
    }

    /// The panel.
    pub fn bounds(&self) -> Rect {
        self.bounds
    }

    /// A marker: no label may cover it.
    pub fn marker(&mut self, r: Rect) {
        self.markers.push(r);
    }

    /// A drawn line: labels avoid crossing it where they can.
    pub fn line(&mut self, a: (f64, f64), b: (f64, f64)) {
        self.lines.push((a, b));
    }

    /// A polyline (see [`Placer::line`]).
    pub fn polyline(&mut self, points: &[(f64, f64)]) {
        for w in points.windows(2) {
            if let [a, b] = w {
                self.line(*a, *b);
            }
        }
    }

    /// The label boxes placed so far.
    pub fn labels(&self) -> &[Rect] {
        &self.labels
    }

    /// The markers.
    pub fn markers(&self) -> &[Rect] {
        &self.markers
    }

    fn free(&self, r: &Rect) -> bool {
        self.bounds.contains(r)
            && !self.labels.iter().any(|l| l.intersects(r))
            && !self.markers.iter().any(|m| m.intersects(r))
    }

    /// How many drawn lines pass through `r`.
    pub fn crossing_lines(&self, r: &Rect) -> usize {
        self.lines.iter().filter(|(a, b)| r.crosses(*a, *b)).count()
    }

    /// How many drawn lines (and placed labels, for the leader) a candidate crosses.
    fn crossings(&self, r: &Rect, leader: Option<((f64, f64), (f64, f64))>) -> usize {
        let inner = r.inflate(-1.0);
        let mut n = self
            .lines
            .iter()
            .filter(|(a, b)| inner.crosses(*a, *b))
            .count();
        if let Some((a, b)) = leader {
            n += 3 * self
                .labels
                .iter()
                .chain(self.markers.iter())
                .filter(|l| l.crosses(a, b))
                .count();
        }
        n
    }

    fn leader(anchor: (f64, f64), clear: f64, r: &Rect) -> Option<((f64, f64), (f64, f64))> {
        let to = r.nearest(anchor);
        let d = (to.0 - anchor.0).hypot(to.1 - anchor.1);
        (d > clear + LEADER_FROM).then(|| {
            let k = clear / d;
            (
                (
                    anchor.0 + (to.0 - anchor.0) * k,
                    anchor.1 + (to.1 - anchor.1) * k,
                ),
                to,
            )
        })
    }

    fn accept(&mut self, r: Rect, anchor: (f64, f64), clear: f64, near: bool) -> Placed {
        let leader = if near {
            None
        } else {
            Self::leader(anchor, clear, &r)
        };
        if let Some((a, b)) = leader {
            self.lines.push((a, b));
        }
        self.labels.push(r);
        Placed { rect: r, leader }
    }

    /// Places a box of `size` for a label of the point `anchor` whose marker extends `clear`
    /// px around it. `None` when there is no free room in the panel.
    pub fn place(&mut self, anchor: (f64, f64), clear: f64, size: (f64, f64)) -> Option<Placed> {
        self.place_within(anchor, clear, size, f64::INFINITY)
    }

    /// Places a box close to its anchor (at most `reach` px beyond `clear`, no leader line),
    /// or nowhere: for labels that are only useful next to what they name.
    pub fn place_near(
        &mut self,
        anchor: (f64, f64),
        clear: f64,
        size: (f64, f64),
        reach: f64,
    ) -> Option<Placed> {
        self.place_within(anchor, clear, size, reach)
    }

    fn place_within(
        &mut self,
        anchor: (f64, f64),
        clear: f64,
        size: (f64, f64),
        reach: f64,
    ) -> Option<Placed> {
        let (w, h) = size;
        let mut best: Option<(f64, Rect)> = None;
        for (ri, ring) in RINGS.iter().enumerate().filter(|(_, r)| **r <= reach) {
            let r = clear + ring;
            for (di, deg) in DIRECTIONS.iter().enumerate() {
                let (s, c) = deg.to_radians().sin_cos();
                // The box's centre, so that its edge facing the anchor is about `r` away.
                let cx = anchor.0 + c * (r + w / 2.0);
                let cy = anchor.1 - s * (r + h / 2.0);
                let rect = Rect::new((cx - w / 2.0).round(), (cy - h / 2.0).round(), w, h);
                if !self.free(&rect) {
                    continue;
                }
                let leader = if reach.is_finite() {
                    None
                } else {
                    Self::leader(anchor, clear, &rect)
                };
                let cost = r + di as f64 * 0.5 + 40.0 * self.crossings(&rect, leader) as f64;
                if best.is_none_or(|(b, _)| cost < b) {
                    best = Some((cost, rect));
                }
            }
            // Nearer rings win unless a farther one avoids crossings.
            if let Some((cost, _)) = best {
                if RINGS.get(ri + 1).is_none_or(|next| cost < clear + next) {
                    break;
                }
            }
        }
        if let Some((_, rect)) = best {
            return Some(self.accept(rect, anchor, clear, reach.is_finite()));
        }
        if reach.is_finite() {
            return None;
        }
        // Anywhere in the panel, nearest first: positions by distance, until crossings can
        // no longer make a nearer free one the better.
        let step = 10.0;
        let b = self.bounds;
        let mut spots: Vec<(f64, Rect)> = Vec::new();
        let mut y = b.y;
        while y + h <= b.bottom() {
            let mut x = b.x;
            while x + w <= b.right() {
                let rect = Rect::new(x, y, w, h);
                let n = rect.nearest(anchor);
                spots.push(((n.0 - anchor.0).hypot(n.1 - anchor.1), rect));
                x += step;
            }
            y += step;
        }
        spots.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut best: Option<(f64, Rect)> = None;
        for (d, rect) in spots {
            if best.is_some_and(|(c, _)| d >= c) {
                break;
            }
            if self.free(&rect) {
                let cost =
                    d + 40.0 * self.crossings(&rect, Self::leader(anchor, clear, &rect)) as f64;
                if best.is_none_or(|(c, _)| cost < c) {
                    best = Some((cost, rect));
                }
            }
        }
        best.map(|(_, rect)| self.accept(rect, anchor, clear, false))
    }

    /// Places a box at a fixed position when it is free (for labels whose place is given, such
    /// as axis labels). Returns whether it was placed.
    pub fn place_at(&mut self, rect: Rect) -> bool {
        if self.free(&rect) {
            self.labels.push(rect);
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn widths_follow_the_font() {
        // "ego" = e 615 + g 635 + o 612 thousandths of an em.
        assert!((text_width("ego", 10.0, false) - 18.62).abs() < 1e-9);
        assert!(text_width("FCW", 12.0, true) > text_width("FCW", 12.0, false));
        assert_eq!(text_width("→", 10.0, false), 10.0);
        let (w, h) = label_size(&["ab".to_string(), "abcd".to_string()], 10.0, false);
        assert_eq!(w, (text_width("abcd", 10.0, false) + 2.0 * PAD).ceil());
        assert_eq!(h, 2.0 * 13.0 + 2.0 * PAD);
    }

    #[test]
    fn segments_crossing_rectangles() {
        let r = Rect::new(0.0, 0.0, 10.0, 10.0);
        assert!(r.crosses((-5.0, 5.0), (15.0, 5.0)));
        assert!(r.crosses((5.0, 5.0), (6.0, 6.0)));
        assert!(!r.crosses((-5.0, -1.0), (15.0, -1.0)));
        assert!(!r.crosses((11.0, 0.0), (20.0, 10.0)));
        assert!(
            !r.crosses((0.0, -5.0), (0.0, 15.0)),
            "along an edge is outside"
        );
    }

    #[test]
    fn crowded_labels_never_overlap() {
        let mut p = Placer::new(Rect::new(0.0, 0.0, 300.0, 200.0));
        // Twenty markers on a short diagonal, each with a label.
        for i in 0..20 {
            let a = (100.0 + 3.0 * f64::from(i), 100.0 + 2.0 * f64::from(i));
            p.marker(Rect::around(a, 6.0));
        }
        let mut placed = 0;
        for i in 0..20 {
            let a = (100.0 + 3.0 * f64::from(i), 100.0 + 2.0 * f64::from(i));
            if p.place(a, 6.0, (70.0, 15.0)).is_some() {
                placed += 1;
            }
        }
        assert!(placed >= 15, "{placed}");
        let l = p.labels();
        for (i, a) in l.iter().enumerate() {
            assert!(p.bounds().contains(a));
            assert!(l.iter().skip(i + 1).all(|b| !a.intersects(b)));
            assert!(p.markers().iter().all(|m| !a.intersects(m)));
        }
    }

    #[test]
    fn a_full_panel_refuses() {
        let mut p = Placer::new(Rect::new(0.0, 0.0, 50.0, 20.0));
        assert!(p.place((25.0, 10.0), 0.0, (60.0, 10.0)).is_none());
        assert!(p.place((25.0, 10.0), 0.0, (40.0, 18.0)).is_some());
        assert!(p.place((25.0, 10.0), 0.0, (40.0, 18.0)).is_none());
    }
}
