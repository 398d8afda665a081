//! Pictures of runs (`cv2x::testing::picture`): labels never overlap each other or the markers
//! (and the old naive placement did), every element of the map view and the timeline is drawn
//! from what the run produced, a failed expectation shows, and real MAPs are drawn lane by lane.
use cv2x::codec::Uper;
use cv2x::host::{HostConfig, HostVehicle, SeededRandom};
use cv2x::msg::v2020::MessageFrame;
use cv2x::stack::{RxMeta, Stack, StackConfig};
use cv2x::testing::picture::layout::text_width;
use cv2x::testing::picture::{Picture, Recorder, Recording, Rect, render, scenario_scene};
use cv2x::testing::scenario::{Outcome, RunOptions, Scenario, epoch, run_observed};

fn data(path: &str) -> String {
    let p = format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// Runs a scenario with the ego transmitting and a recorder watching.
fn run(file: &str) -> (Scenario, Outcome, Recording) {
    let sc = Scenario::from_json(&data(file)).unwrap();
    let mut rec = Recorder::new(sc.origin).unwrap();
    let host =
        HostVehicle::new(HostConfig::default(), Box::new(SeededRandom::new([7; 32]))).unwrap();
    let opts = RunOptions {
        host: Some(host),
        ..RunOptions::default()
    };
    let o = run_observed(&sc, opts, &mut rec);
    (sc, o, rec.finish())
}

/// Index pairs of intersecting boxes.
type Pairs = Vec<(usize, usize)>;

/// Pairs of label boxes that intersect, and (label, marker) pairs that do.
fn overlaps(labels: &[Rect], markers: &[Rect]) -> (Pairs, Pairs) {
    let mut ll = Vec::new();
    let mut lm = Vec::new();
    for (i, a) in labels.iter().enumerate() {
        for (j, b) in labels.iter().enumerate().skip(i + 1) {
            if a.intersects(b) {
                ll.push((i, j));
            }
        }
        for (j, m) in markers.iter().enumerate() {
            if a.intersects(m) {
                lm.push((i, j));
            }
        }
    }
    (ll, lm)
}

/// The box of a text drawn with its baseline at `y` (DejaVu Sans: ascent 0.93 em, descent
/// 0.24 em).
fn text_box(x: f64, y: f64, text: &str, size: f64) -> Rect {
    Rect::new(
        x,
        y - 0.93 * size,
        text_width(text, size, false),
        1.17 * size,
    )
}

/// The labels and markers of the example's former picture (before the picture module), on the
/// same run: 4 px/m over the tracks (50 m margin west, 40 m east, 10 m south and north, the
/// stop line + 20 m included), a label at each road user's last point, "stop line" beside it,
/// and each raised warning's label 150 px west of the ego's position, cycling down 0/14/28 px.
fn old_layout(sc: &Scenario, o: &Outcome) -> (Vec<Rect>, Vec<Rect>) {
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(_, _, x, y) in &o.tracks {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    if let Some(s) = &sc.signal {
        y1 = y1.max(s.stop_line_y + 20.0);
    }
    let (x0, _x1, _y0, y1) = (x0 - 50.0, x1 + 40.0, y0 - 10.0, y1 + 10.0);
    let px = |x: f64| (x - x0) * 4.0;
    let py = |y: f64| (y1 - y) * 4.0;
    let (mut labels, mut markers) = (Vec::new(), Vec::new());
    if let Some(s) = &sc.signal {
        labels.push(text_box(
            px(s.x + 3.0),
            py(s.stop_line_y) + 4.0,
            "stop line",
            12.0,
        ));
    }
    let mut ids: Vec<u32> = o.tracks.iter().map(|t| t.1).collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        let last = o.tracks.iter().rev().find(|t| t.1 == id).unwrap();
        let (x, y) = (px(last.2), py(last.3));
        markers.push(Rect::around((x, y), 4.0));
        let name = if id == 0 {
            "ego".to_string()
        } else {
            format!("#{id}")
        };
        labels.push(text_box(x + 6.0, y - 6.0, &name, 12.0));
    }
    for (n, e) in o.timeline.iter().filter(|e| e.state == "raise").enumerate() {
        let t = e.record.t_s;
        let Some(&(_, _, x, y)) = o.tracks.iter().find(|p| p.1 == 0 && (p.0 - t).abs() < 1e-6)
        else {
            continue;
        };
        markers.push(Rect::around((px(x), py(y)), 6.0));
        let text = format!(
            "{} {} at {t:.1} s",
            e.record.app.name(),
            e.record.level.name()
        );
        labels.push(text_box(
            px(x) - 150.0,
            py(y) + 4.0 + 14.0 * (n % 3) as f64,
            &text,
            12.0,
        ));
    }
    (labels, markers)
}

/// The section of the SVG between two comments.
fn section<'a>(svg: &'a str, from: &str, to: &str) -> &'a str {
    let a = svg.find(from).unwrap_or_else(|| panic!("no {from}"));
    let b = svg[a..].find(to).map_or(svg.len(), |b| a + b);
    &svg[a..b]
}

/// (x, y, text) of every `<text>` element.
fn texts(svg: &str) -> Vec<(f64, f64, String)> {
    let attr = |el: &str, name: &str| -> f64 {
        let k = el.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        el[k..k + el[k..].find('"').unwrap()].parse().unwrap()
    };
    svg.match_indices("<text ")
        .map(|(i, _)| {
            let el = &svg[i..i + svg[i..].find("</text>").unwrap()];
            let body = &el[el.find('>').unwrap() + 1..];
            (attr(el, "x"), attr(el, "y"), body.to_string())
        })
        .collect()
}

fn picture_of(file: &str) -> (Scenario, Outcome, Picture) {
    let (sc, o, rec) = run(file);
    let p = render(&scenario_scene(&sc, &o, Some(&rec)));
    (sc, o, p)
}

#[test]
fn labels_of_a_crowded_scenario_never_overlap_and_the_old_layout_did() {
    let (sc, o, p) = picture_of("pictures/crowded_intersection.json");
    let raised = o.timeline.iter().filter(|e| e.state == "raise").count();
    assert!(raised >= 8, "a crowded scenario: {raised} warnings");
    // Every warning has its label on the map.
    assert_eq!(p.unplaced, 0);
    for e in o.timeline.iter().filter(|e| e.state == "raise") {
        let line = format!(
            "{:.1} s {} {}",
            e.record.t_s,
            e.record.app.name(),
            e.record.level.name()
        );
        assert!(p.svg.contains(&line), "no label `{line}`");
    }
    let (ll, lm) = overlaps(&p.labels, &p.markers);
    assert!(
        ll.is_empty(),
        "labels overlap: {:?}",
        &ll[..ll.len().min(5)]
    );
    assert!(
        lm.is_empty(),
        "labels cover markers: {:?}",
        &lm[..lm.len().min(5)]
    );
    // The boxes are where the text is: every text of the map view lies in a label box (or
    // in the north arrow's or the scale bar's marker).
    let map = section(&p.svg, "<!-- map view -->", "<!-- legend -->");
    let boxes: Vec<Rect> = p.labels.iter().chain(&p.markers).copied().collect();
    for (x, y, text) in texts(map) {
        let anchor = Rect::new(x, y - 3.0, 0.5, 0.5);
        assert!(
            boxes.iter().any(|b| b.contains(&anchor)),
            "`{text}` at ({x}, {y}) is in no box"
        );
    }
    // The same run laid out as the example used to: labels overlap and cover markers.
    let (old_labels, old_markers) = old_layout(&sc, &o);
    let (ll, lm) = overlaps(&old_labels, &old_markers);
    assert!(
        !ll.is_empty() && !lm.is_empty(),
        "the old layout should fail the check: {} label pairs, {} label-marker pairs",
        ll.len(),
        lm.len()
    );
}

#[test]
fn the_map_and_the_timeline_show_what_the_run_produced() {
    let (sc, o, rec) = run("pictures/crowded_intersection.json");
    let p = render(&scenario_scene(&sc, &o, Some(&rec)));
    let svg = &p.svg;
    let count = |needle: &str| svg.matches(needle).count();
    // MAP lane and stop line from the stack's MAP store, the signal beside the stop line.
    assert_eq!(rec.lanes.len(), 1);
    assert_eq!(count("<g class=\"lane\">"), 1);
    assert_eq!(count("<g class=\"stop-line\">"), 1);
    assert_eq!(count("<g class=\"signal-strip\">"), 1);
    assert!(svg.contains("phase 1: signal 0\u{2013}6 s"));
    // A true path per road user, the ego's marked, with start labels.
    assert_eq!(count("<g class=\"path\">"), sc.actors.len());
    assert_eq!(count("<g class=\"path ego\">"), 1);
    assert!(svg.contains(">ego start<"));
    for a in &sc.actors {
        assert!(
            svg.contains(&format!(">#{} ", a.id)),
            "no label for #{}",
            a.id
        );
    }
    // Fused tracks with ellipses; the transmitted path history with its crumbs.
    assert!(!rec.fused.is_empty());
    let fused = section(svg, "<g class=\"fused\">", "<g class=\"true-paths\">");
    assert!(fused.matches("<ellipse").count() >= rec.fused.len());
    assert!(!rec.histories.is_empty());
    let crumbs = section(svg, "<g class=\"path-history-crumbs\">", "</g>");
    assert!(crumbs.matches("<circle").count() >= 2);
    // One ring per warning with an ego position, scale bar, north arrow.
    let raised = o.timeline.iter().filter(|e| e.state == "raise").count();
    let rings = section(svg, "<g class=\"warnings\">", "</g>");
    assert_eq!(rings.matches("<circle").count(), raised);
    assert!(svg.contains("<g class=\"scale-bar\">") && svg.contains(">20 m<"));
    assert!(svg.contains("<g class=\"north-arrow\">"));
    // The timeline: the signal row and a row per application that raised something.
    let timeline = section(svg, "<!-- timeline view -->", "</svg>");
    assert!(timeline.contains("<g class=\"row signal phase 1\">"));
    let mut apps: Vec<&str> = o.timeline.iter().map(|e| e.record.app.name()).collect();
    apps.sort_unstable();
    apps.dedup();
    for app in &apps {
        assert!(
            timeline.contains(&format!("<g class=\"row {app}\">")),
            "no row {app}"
        );
    }
    assert_eq!(timeline.matches("<g class=\"row ").count(), apps.len() + 1);
    // Legend and title.
    assert!(svg.contains(">Legend<") && svg.contains(">crowded intersection<"));
    // The scenario's expectations, all met: the badge and one label per expectation.
    assert!(o.passed(), "{:?}", o.failures);
    assert!(svg.contains(">PASSED<"));
    for label in ["EBW warning about #1 by 1.5 s", "RLVW warning by 2.0 s"] {
        assert!(svg.contains(label), "no label {label}");
    }
}

#[test]
fn a_failed_expectation_shows_in_the_title_and_on_its_row() {
    let (_, o, p) = picture_of("pictures/fcw_missed_deadline.json");
    assert_eq!(o.failures.len(), 1, "{:?}", o.failures);
    let svg = &p.svg;
    assert!(svg.contains(">FAILED<") && !svg.contains(">PASSED<"));
    assert!(svg.contains("first failure: expect[0]: FCW warning about 1 by 2 s not met"));
    let fcw = section(svg, "<g class=\"row FCW\">", "<g class=\"row EBW\">");
    assert!(fcw.contains("\u{2717} expected: FCW warning about #1 by 2.0 s"));
    assert!(fcw.contains("\u{2713} expected: FCW alert about #1 by 6.5 s"));
    assert!(svg.contains("\u{2713} expected: EBW never"));
    // The missed window is drawn in the failure colour, the met ones dashed in the pass colour.
    assert!(fcw.contains("stroke=\"#c0142c\""));
    assert!(fcw.contains("stroke=\"#1b7f3b\" stroke-width=\"1\" stroke-dasharray"));
    let (ll, lm) = overlaps(&p.labels, &p.markers);
    assert!(ll.is_empty() && lm.is_empty());
}

fn hex(s: &str) -> Vec<u8> {
    let s = s.trim();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// A real MAP through the stack: every lane the MAP store holds is drawn.
fn real_map(folder: &str) {
    let bytes = hex(&data(&format!("real/{folder}/asn1tools_main2020.uper.hex")));
    let Ok(MessageFrame::MapFrame(map)) = MessageFrame::decode(&bytes) else {
        panic!("{folder}: not a MAP");
    };
    let lanes_in_message: usize = map
        .nodes
        .iter()
        .flat_map(|n| n.in_links.iter().flatten())
        .map(|l| l.lanes.len())
        .sum();
    let mut stack = Stack::new(StackConfig::default()).unwrap();
    let now = epoch();
    stack.ingest(&bytes, &RxMeta::PLAIN, now).unwrap();
    let _ = stack.poll(now).count();
    let held: usize = stack
        .world()
        .map()
        .intersections()
        .iter()
        .map(|x| x.lanes.len())
        .sum();
    assert_eq!(held, lanes_in_message, "{folder}");
    let first = stack.world().map().intersections()[0].ref_pos;
    let mut rec = Recorder::new(first).unwrap();
    rec.observe(0.0, now, &stack);
    let rec = rec.finish();
    assert_eq!(rec.lanes.len(), held, "{folder}");
    let scene = cv2x::testing::picture::Scene {
        title: folder.into(),
        duration_s: 1.0,
        lanes: rec.lanes,
        ..Default::default()
    };
    let p = render(&scene);
    assert_eq!(
        p.svg.matches("<g class=\"lane\">").count(),
        held,
        "{folder}"
    );
    assert_eq!(
        p.svg.matches("<g class=\"stop-line\">").count(),
        held,
        "{folder}"
    );
    // The lanes lie inside the map view (the extent comes from them when nothing moves).
    let map = section(&p.svg, "<g class=\"lanes\">", "<g class=\"path-history\">");
    for pts in map.split("points=\"").skip(1) {
        for xy in pts[..pts.find('"').unwrap()].split(' ') {
            let (x, y) = xy.split_once(',').unwrap();
            let (x, y): (f64, f64) = (x.parse().unwrap(), y.parse().unwrap());
            assert!(
                (16.0..=906.0).contains(&x) && y > 0.0 && y < 700.0,
                "{folder}: {x},{y}"
            );
        }
    }
}

#[test]
fn real_maps_are_drawn_lane_by_lane() {
    real_map("yizhuang_map_json");
    real_map("openv2x_cerebrum_map");
}
