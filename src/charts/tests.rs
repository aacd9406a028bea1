//! Tests that read the SVG back as XML and check what a reader would see.

use super::*;
use roxmltree::{Document, Node};

mod whole;

const HOSTILE: &str = "<script>alert(1)</script>&\"'";

fn words() -> ChartText {
    ChartText {
        not_reported: "Không báo cáo".into(),
        flagged: "Cần lưu ý".into(),
        median: "Trung vị".into(),
        rank: "Xếp hạng".into(),
        year: "Năm".into(),
    }
}

fn chart(id: &str, kind: ChartKind) -> Chart {
    Chart {
        id: id.into(),
        title: "Tỷ lệ hồ sơ trực tuyến".into(),
        desc: "Sở Y tế đạt 84,96%, cao nhất khối sở.".into(),
        lang: Lang::Vi,
        text: words(),
        kind,
    }
}

fn years(n: usize) -> Vec<String> {
    (0..n).map(|i| (2020 + i).to_string()).collect()
}

fn series(id: &str, values: &[Option<f64>], highlight: bool) -> Series {
    Series {
        id: id.into(),
        label: id.into(),
        full_label: format!("Sở {id} tỉnh Bà Rịa – Vũng Tàu"),
        points: values
            .iter()
            .map(|v| Point {
                value: *v,
                flag: None,
                note: None,
            })
            .collect(),
        highlight,
    }
}

fn bar(id: &str, value: Option<f64>) -> Bar {
    Bar {
        id: id.into(),
        label: id.into(),
        full_label: format!("Sở {id}"),
        value,
        flag: None,
    }
}

fn line_chart(axis: Axis, series: Vec<Series>, n: usize) -> Chart {
    chart(
        "line",
        ChartKind::Line(LineChart {
            x_labels: years(n),
            axis,
            series,
        }),
    )
}

fn render(c: &Chart) -> String {
    match render_svg(c) {
        Ok(s) => s,
        Err(e) => panic!("render failed: {e}"),
    }
}

fn parse(svg: &str) -> Document<'_> {
    match Document::parse(svg) {
        Ok(d) => d,
        Err(e) => panic!("not XML: {e}\n{svg}"),
    }
}

fn attr(n: Node, name: &str) -> f64 {
    n.attribute(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no numeric {name} on {n:?}"))
}

fn points(n: Node) -> Vec<(f64, f64)> {
    n.attribute("points")
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|p| {
            let (x, y) = p.split_once(',')?;
            Some((x.parse().ok()?, y.parse().ok()?))
        })
        .collect()
}

fn has_class(n: Node, class: &str) -> bool {
    n.attribute("class")
        .is_some_and(|c| c.split(' ').any(|c| c == class))
}

fn groups<'a>(doc: &'a Document, class: &str) -> Vec<Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.has_tag_name("g") && has_class(*n, class))
        .collect()
}

fn title_of(n: Node) -> Option<String> {
    n.children()
        .find(|c| c.has_tag_name("title"))
        .and_then(|t| t.text())
        .map(str::to_string)
}

fn text_of(n: Node) -> String {
    n.text().unwrap_or_default().trim().to_string()
}

fn texts(doc: &Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(text_of)
        .collect()
}

/// The `text` element showing exactly `s`.
fn text_node<'a>(doc: &'a Document, s: &str) -> Node<'a, 'a> {
    doc.descendants()
        .find(|n| n.has_tag_name("text") && text_of(*n) == s)
        .unwrap_or_else(|| panic!("no text {s:?} in {:?}", texts(doc)))
}

/// What every chart must satisfy.
fn check_common(c: &Chart, svg: &str) {
    let doc = parse(svg);
    let root = doc.root_element();
    assert!(root.has_tag_name("svg"));
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    assert_eq!(root.attribute("role"), Some("img"));
    let id = &c.id;
    assert_eq!(
        root.attribute("aria-labelledby"),
        Some(format!("{id}-title {id}-desc").as_str())
    );
    let view_box = root.attribute("viewBox").unwrap_or_default();
    assert!(view_box.starts_with("0 0 960 "), "{view_box}");
    let vb_h: f64 = view_box
        .rsplit(' ')
        .next()
        .and_then(|h| h.parse().ok())
        .unwrap_or(0.0);
    assert!(vb_h > 0.0);
    assert_eq!(root.attribute("width"), Some("100%"));
    assert!(root.attribute("height").is_none());
    let mut kids = root.children().filter(|n| n.is_element());
    let title = kids.next().expect("first child");
    let desc = kids.next().expect("second child");
    assert!(title.has_tag_name("title"));
    assert_eq!(title.attribute("id"), Some(format!("{id}-title").as_str()));
    assert_eq!(title.text(), Some(c.title.as_str()));
    assert!(desc.has_tag_name("desc"));
    assert_eq!(desc.attribute("id"), Some(format!("{id}-desc").as_str()));
    assert_eq!(desc.text(), Some(c.desc.as_str()));
    for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let size = attr(t, "font-size");
        assert!(size >= 12.0, "font-size {size} < 12 px on {:?}", text_of(t));
    }
    for n in doc.descendants().filter(|n| n.is_element()) {
        for a in n.attributes() {
            assert!(
                !a.value().contains("NaN") && !a.value().contains("inf"),
                "{a:?}"
            );
        }
    }
    // Everything drawn stays inside the viewBox (with a little slack for
    // stroke widths and ring radii).
    for n in doc.descendants().filter(|n| n.has_tag_name("circle")) {
        let (x, y) = (attr(n, "cx"), attr(n, "cy"));
        assert!(
            (-2.0..=962.0).contains(&x) && (-2.0..=vb_h + 2.0).contains(&y),
            "{n:?}"
        );
    }
    for n in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let (x, y) = (attr(n, "x"), attr(n, "y"));
        assert!(
            (0.0..=960.0).contains(&x) && (0.0..=vb_h).contains(&y),
            "{n:?}"
        );
    }
}

fn render_checked(c: &Chart) -> String {
    let svg = render(c);
    check_common(c, &svg);
    assert_eq!(svg, render(c), "rendering is not deterministic");
    svg
}

/// y of the percent tick labelled `label` ("0%", "100%"…), i.e. of that value.
fn tick_y(doc: &Document, label: &str) -> f64 {
    attr(text_node(doc, label), "y")
}

fn tick_x(doc: &Document, label: &str) -> f64 {
    attr(text_node(doc, label), "x")
}

// ---------------------------------------------------------------- line charts

#[test]
fn line_chart_gap_is_not_zero() {
    let c = line_chart(
        Axis::Percent,
        vec![
            series("a", &[Some(50.0), None, Some(70.0)], true),
            series("b", &[Some(20.0), Some(30.0), Some(40.0)], false),
            series("c", &[Some(60.0), Some(65.0), Some(80.0)], false),
        ],
        3,
    );
    let svg = render_checked(&c);
    let doc = parse(&svg);
    let x_missing = tick_x(&doc, "2021");
    let y_zero = tick_y(&doc, "0%");
    let series_a = groups(&doc, "mb-series")
        .into_iter()
        .find(|g| title_of(*g).is_some_and(|t| t.starts_with("Sở a ")))
        .expect("series a");
    let lines: Vec<Vec<(f64, f64)>> = series_a
        .descendants()
        .filter(|n| n.has_tag_name("polyline"))
        .map(points)
        .collect();
    // The line breaks at the gap: no segment is drawn through 2021 (a single
    // point on each side draws no polyline at all), and nothing sits at 0.
    assert!(lines
        .iter()
        .flatten()
        .all(|p| (p.0 - x_missing).abs() > 1.0));
    for g in groups(&doc, "mb-point") {
        if g.ancestors().any(|a| a == series_a) {
            for m in g
                .descendants()
                .filter(|n| n.is_element() && n.attribute("cy").is_some())
            {
                assert!((attr(m, "cx") - x_missing).abs() > 1.0 || attr(m, "cy") < y_zero - 1.0);
            }
        }
    }
    // A hollow marker below the axis, with a tooltip naming what is missing.
    let missing = groups(&doc, "mb-missing");
    assert_eq!(missing.len(), 1);
    let markers: Vec<Node> = missing[0]
        .descendants()
        .filter(|n| n.has_tag_name("g") && has_class(*n, "mb-point"))
        .collect();
    assert_eq!(markers.len(), 1);
    let title = title_of(markers[0]).expect("tooltip");
    assert_eq!(
        title,
        "Sở a tỉnh Bà Rịa – Vũng Tàu\nNăm 2021: Không báo cáo"
    );
    let shape = markers[0]
        .children()
        .find(|n| n.is_element() && !n.has_tag_name("title"))
        .expect("marker shape");
    assert_eq!(
        shape.attribute("fill"),
        Some("none"),
        "not hollow: {shape:?}"
    );
    let (mx, my) = match shape.tag_name().name() {
        "circle" => (attr(shape, "cx"), attr(shape, "cy")),
        _ => {
            let p = points(shape);
            let n = p.len() as f64;
            (
                p.iter().map(|p| p.0).sum::<f64>() / n,
                p.iter().map(|p| p.1).sum::<f64>() / n,
            )
        }
    };
    assert!((mx - x_missing).abs() < 8.0);
    assert!(
        my > y_zero + 4.0,
        "marker at {my} is not below the axis at {y_zero}"
    );
    // And the legend says so.
    let legend = groups(&doc, "mb-legend");
    assert_eq!(legend.len(), 1);
    assert!(legend[0]
        .descendants()
        .any(|n| n.has_tag_name("text") && text_of(n) == "Không báo cáo"));
}

#[test]
fn line_chart_points_sit_where_their_values_are() {
    let c = line_chart(
        Axis::Percent,
        vec![series("a", &[Some(0.0), Some(100.0), Some(50.0)], true)],
        3,
    );
    let svg = render_checked(&c);
    let doc = parse(&svg);
    let (y0, y100) = (tick_y(&doc, "0%"), tick_y(&doc, "100%"));
    let line = doc
        .descendants()
        .find(|n| n.has_tag_name("polyline") && n.ancestors().any(|a| has_class(a, "mb-series")))
        .expect("line");
    let p = points(line);
    assert_eq!(p.len(), 3);
    assert!((p[0].1 - y0).abs() <= 1.0);
    assert!((p[1].1 - y100).abs() <= 1.0);
    assert!((p[2].1 - (y0 + y100) / 2.0).abs() <= 1.0);
    assert!((p[0].0 - tick_x(&doc, "2020")).abs() <= 1.0);
    // Ticks in Vietnamese; no "not reported" legend when nothing is missing.
    for t in ["0%", "25%", "50%", "75%", "100%"] {
        text_node(&doc, t);
    }
    assert!(groups(&doc, "mb-legend").is_empty());
    assert!(groups(&doc, "mb-missing").is_empty());
}

#[test]
fn flagged_point_has_ring_and_explanation() {
    let mut s = series("a", &[Some(50.0), Some(60.0)], true);
    s.points[1].flag = Some("Số liệu tự báo cáo".into());
    let mut grey = series("b", &[Some(40.0), Some(45.0)], false);
    grey.points[0].flag = Some("Thiếu minh chứng".into());
    let c = line_chart(Axis::Percent, vec![s, grey], 2);
    let svg = render_checked(&c);
    let doc = parse(&svg);
    let flagged = groups(&doc, "mb-flagged");
    assert_eq!(flagged.len(), 2);
    for (g, why) in flagged
        .iter()
        .zip(["Thiếu minh chứng", "Số liệu tự báo cáo"])
    {
        let title = title_of(*g).expect("title");
        assert!(title.contains(&format!("Cần lưu ý: {why}")), "{title}");
        let ring = g
            .children()
            .filter(|n| n.has_tag_name("circle") && n.attribute("fill") == Some("none"))
            .count();
        assert_eq!(ring, 1);
    }
    let legend = groups(&doc, "mb-legend");
    assert!(legend[0].descendants().any(|n| text_of(n) == "Cần lưu ý"));
}

#[test]
fn rank_axis_puts_one_on_top_and_shows_notes() {
    let mut s = series("a", &[Some(12.0), Some(4.0), Some(1.0)], true);
    s.points[1].note = Some("▲8".into());
    s.points[2].note = Some("▲3".into());
    let c = line_chart(Axis::Rank { of: 21 }, vec![s], 3);
    let svg = render_checked(&c);
    let doc = parse(&svg);
    assert!(tick_y(&doc, "1") < tick_y(&doc, "21"));
    let p = points(
        doc.descendants()
            .find(|n| {
                n.has_tag_name("polyline") && n.ancestors().any(|a| has_class(a, "mb-series"))
            })
            .expect("line"),
    );
    assert!((p[2].1 - tick_y(&doc, "1")).abs() <= 1.0);
    assert!(p[0].1 > p[1].1 && p[1].1 > p[2].1);
    let note = text_node(&doc, "▲8");
    assert!((attr(note, "x") - p[1].0).abs() < 20.0 && (attr(note, "y") - p[1].1).abs() < 20.0);
    text_node(&doc, "▲3");
    text_node(&doc, "Xếp hạng");
    let tip = groups(&doc, "mb-point")
        .into_iter()
        .filter_map(title_of)
        .find(|t| t.contains("2021"))
        .expect("tooltip");
    assert!(tip.contains("Xếp hạng 4/21") && tip.contains("▲8"), "{tip}");
}

#[test]
fn context_lines_are_grey_and_highlights_coloured() {
    let mut all: Vec<Series> = (0..21)
        .map(|i| {
            series(
                &format!("s{i}"),
                &[Some(i as f64), Some(50.0 + i as f64)],
                false,
            )
        })
        .collect();
    all[4].highlight = true;
    let c = line_chart(Axis::Percent, all, 2);
    let svg = render_checked(&c);
    let doc = parse(&svg);
    let strokes: Vec<(bool, String)> = groups(&doc, "mb-series")
        .iter()
        .map(|g| {
            let stroke = g
                .descendants()
                .find(|n| n.has_tag_name("polyline"))
                .and_then(|n| n.attribute("stroke"))
                .unwrap_or_default()
                .to_string();
            (has_class(*g, "mb-context"), stroke)
        })
        .collect();
    assert_eq!(strokes.len(), 21);
    assert_eq!(strokes.iter().filter(|s| !s.0).count(), 1);
    assert!(strokes.iter().filter(|s| s.0).all(|s| s.1 == "#B4B4B4"));
    assert!(strokes.iter().any(|s| !s.0 && s.1 == "#0072B2"));
    // Only the highlighted series is labelled at the line end.
    let labels = groups(&doc, "mb-label");
    assert_eq!(labels.len(), 1);
    assert_eq!(
        title_of(labels[0]).as_deref(),
        Some("Sở s4 tỉnh Bà Rịa – Vũng Tàu")
    );
}

#[test]
fn long_labels_are_shortened_with_full_name_in_title() {
    let long = "Sở Nông nghiệp và Phát triển nông thôn tỉnh Bà Rịa – Vũng Tàu (trước sáp nhập)";
    let mut s = series("a", &[Some(10.0), Some(20.0)], true);
    s.label = long.into();
    s.full_label = long.into();
    let c = line_chart(Axis::Percent, vec![s], 2);
    let svg = render_checked(&c);
    let doc = parse(&svg);
    let label = groups(&doc, "mb-label")[0];
    assert_eq!(title_of(label).as_deref(), Some(long));
    let shown = label
        .descendants()
        .find(|n| n.has_tag_name("text"))
        .map(text_of)
        .expect("label text");
    assert!(
        shown.ends_with('…') && long.starts_with(shown.trim_end_matches('…')),
        "{shown}"
    );
}

// ----------------------------------------------------------------- bar charts

fn bar_chart(bars: Vec<Bar>, median: Option<f64>) -> Chart {
    chart(
        "bars",
        ChartKind::Bar(BarChart {
            axis: Axis::Percent,
            bars,
            median,
        }),
    )
}

/// The blue bar rects: (x, y, width).
fn bar_rects(doc: &Document) -> Vec<(f64, f64, f64)> {
    doc.descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("fill") == Some("#0072B2"))
        .map(|n| (attr(n, "x"), attr(n, "y"), attr(n, "width")))
        .collect()
}

#[test]
fn bars_sorted_with_missing_last_and_no_rect() {
    let mut flagged = bar("d", Some(84.96));
    flagged.flag = Some("Tự báo cáo".into());
    let c = bar_chart(
        vec![
            bar("a", Some(50.0)),
            bar("b", None),
            bar("c", Some(100.0)),
            flagged,
            bar("e", Some(0.0)),
            bar("f", Some(f64::NAN)),
        ],
        Some(67.25),
    );
    let svg = render_checked(&c);
    let doc = parse(&svg);
    // Four reported bars (0 included, as a zero-width bar), highest first.
    let rects = bar_rects(&doc);
    assert_eq!(rects.len(), 4);
    let (x0, x100) = (tick_x(&doc, "0%"), tick_x(&doc, "100%"));
    let widths: Vec<f64> = rects.iter().map(|r| r.2).collect();
    assert!((widths[0] - (x100 - x0)).abs() <= 1.0);
    assert!((widths[1] - 0.8496 * (x100 - x0)).abs() <= 1.0);
    assert!((widths[2] - 0.5 * (x100 - x0)).abs() <= 1.0);
    assert_eq!(widths[3], 0.0);
    assert!(rects.windows(2).all(|w| w[0].1 < w[1].1));
    assert!(rects.iter().all(|r| (r.0 - x0).abs() <= 1.0));
    // Rows in order, the not-reported ones last, without any rect.
    let rows = groups(&doc, "mb-bar");
    let names: Vec<String> = rows
        .iter()
        .map(|g| title_of(*g).unwrap_or_default())
        .map(|t| t.split(':').next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(names, ["Sở c", "Sở d", "Sở a", "Sở e", "Sở b", "Sở f"]);
    for g in &rows[4..] {
        assert!(has_class(*g, "mb-missing"));
        assert_eq!(
            g.descendants().filter(|n| n.has_tag_name("rect")).count(),
            0
        );
        let grey = g
            .descendants()
            .find(|n| n.has_tag_name("text") && text_of(*n) == "Không báo cáo")
            .expect("not-reported text");
        assert_eq!(grey.attribute("fill"), Some("#666666"));
    }
    // Values at the bar ends, in Vietnamese.
    text_node(&doc, "84,96%");
    text_node(&doc, "100,00%");
    text_node(&doc, "0,00%");
    // The flag: a ring with "!" whose tooltip is the explanation.
    let flag = groups(&doc, "mb-flag");
    assert_eq!(flag.len(), 1);
    assert_eq!(title_of(flag[0]).as_deref(), Some("Cần lưu ý: Tự báo cáo"));
    assert!(flag[0]
        .children()
        .any(|n| n.has_tag_name("circle") && n.attribute("fill") == Some("none")));
    // The median: a dashed line at 67.25 %, labelled.
    let median = groups(&doc, "mb-median");
    assert_eq!(median.len(), 1);
    let dashed = median[0]
        .descendants()
        .find(|n| n.has_tag_name("g") && n.attribute("stroke-dasharray").is_some())
        .expect("dashed group");
    let line = points(
        dashed
            .descendants()
            .find(|n| n.has_tag_name("polyline"))
            .expect("line"),
    );
    assert!((line[0].0 - (x0 + 0.6725 * (x100 - x0))).abs() <= 1.0);
    text_node(&doc, "Trung vị: 67,25%");
    let legend = groups(&doc, "mb-legend");
    let legend_texts: Vec<String> = legend[0]
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(text_of)
        .collect();
    assert_eq!(legend_texts, ["Không báo cáo", "Cần lưu ý"]);
}

#[test]
fn bar_chart_grows_with_the_number_of_bars() {
    let height = |n: usize| {
        let bars = (0..n)
            .map(|i| bar(&format!("b{i}"), Some(i as f64)))
            .collect();
        let svg = render_checked(&bar_chart(bars, None));
        let doc = parse(&svg);
        let vb = doc
            .root_element()
            .attribute("viewBox")
            .unwrap_or_default()
            .to_string();
        vb.rsplit(' ')
            .next()
            .and_then(|h| h.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let (h10, h110) = (height(10), height(110));
    assert!(
        (h110 - h10 - 100.0 * bar::ROW_H).abs() < 40.0,
        "{h10} {h110}"
    );
}

#[test]
fn value_axis_shows_units() {
    let c = chart(
        "values",
        ChartKind::Bar(BarChart {
            axis: Axis::Value {
                unit: "hồ sơ".into(),
            },
            bars: vec![bar("a", Some(1517.0)), bar("b", Some(250.5))],
            median: None,
        }),
    );
    let svg = render_checked(&c);
    let doc = parse(&svg);
    text_node(&doc, "1.517 hồ sơ");
    text_node(&doc, "250,5 hồ sơ");
    text_node(&doc, "0");
    let mut en = c.clone();
    en.lang = Lang::En;
    let svg = render_checked(&en);
    text_node(&parse(&svg), "1,517 hồ sơ");
}

// ---------------------------------------------------------------- bump charts

fn bump_chart(series: Vec<Series>, n: usize, of: u32) -> Chart {
    chart(
        "bump",
        ChartKind::Bump(BumpChart {
            x_labels: years(n),
            of,
            series,
        }),
    )
}

#[test]
fn bump_chart_ranks_labels_movers_and_gaps() {
    let c = bump_chart(
        vec![
            series("a", &[Some(1.0), Some(1.0), Some(2.0), Some(5.0)], false),
            series("b", &[Some(2.0), Some(3.0), Some(1.0), Some(1.0)], false),
            series("c", &[Some(3.0), None, Some(3.0), Some(3.0)], false),
            series("d", &[Some(4.0), Some(4.0), Some(4.0), Some(4.0)], false),
            series("e", &[Some(5.0), Some(5.0), Some(5.0), Some(2.0)], false),
            series("f", &[Some(6.0), Some(6.0), Some(6.0), Some(6.0)], false),
        ],
        4,
        6,
    );
    let svg = render_checked(&c);
    let doc = parse(&svg);
    let by_name = |name: &str| {
        groups(&doc, "mb-series")
            .into_iter()
            .find(|g| title_of(*g).is_some_and(|t| t.starts_with(&format!("Sở {name} "))))
            .expect("series")
    };
    // Rank 1 on top.
    let a = points(
        by_name("a")
            .descendants()
            .find(|n| n.has_tag_name("polyline"))
            .expect("a"),
    );
    assert!(a[0].1 < a[3].1);
    assert!((a[0].1 - tick_y(&doc, "1")).abs() <= 1.0);
    assert!((a[3].1 - tick_y(&doc, "5")).abs() <= 1.0);
    // Movers a (4), e (3), b (1) are coloured; c, d, f (0) are grey.
    for (name, coloured) in [
        ("a", true),
        ("e", true),
        ("b", true),
        ("c", false),
        ("d", false),
        ("f", false),
    ] {
        assert_eq!(!has_class(by_name(name), "mb-context"), coloured, "{name}");
    }
    // A gap: c's line is split around the missing year and nothing is drawn
    // there; the missing rank is in the strip below.
    let c_lines: Vec<Vec<(f64, f64)>> = by_name("c")
        .descendants()
        .filter(|n| n.has_tag_name("polyline"))
        .map(points)
        .collect();
    assert_eq!(c_lines.len(), 1);
    assert_eq!(c_lines[0].len(), 2);
    let x2021 = tick_x(&doc, "2021");
    assert!(c_lines.iter().flatten().all(|p| (p.0 - x2021).abs() > 1.0));
    let strip = groups(&doc, "mb-missing");
    assert_eq!(strip.len(), 1);
    assert!(title_of(
        strip[0]
            .descendants()
            .find(|n| has_class(*n, "mb-point"))
            .expect("marker")
    )
    .is_some_and(|t| t.contains("Sở c ")));
    // Names at both ends.
    for name in ["a", "b", "c", "d", "e", "f"] {
        let labels = doc
            .descendants()
            .filter(|n| n.has_tag_name("text") && text_of(*n) == name)
            .count();
        assert_eq!(labels, 2, "{name}");
    }
    let left = doc
        .descendants()
        .find(|n| n.has_tag_name("text") && text_of(*n) == "d")
        .expect("left label");
    assert_eq!(left.attribute("text-anchor"), Some("end"));
    assert!(attr(left, "x") < tick_x(&doc, "2020"));
}

#[test]
fn bump_series_starting_late_is_labelled_where_it_starts() {
    let c = bump_chart(
        vec![
            series("a", &[Some(1.0), Some(2.0), Some(2.0)], false),
            series("late", &[None, Some(1.0), Some(1.0)], false),
        ],
        3,
        2,
    );
    let svg = render_checked(&c);
    let doc = parse(&svg);
    let labels: Vec<Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text") && text_of(*n) == "late")
        .collect();
    assert_eq!(labels.len(), 2);
    assert!((attr(labels[0], "x") - (tick_x(&doc, "2021") - 10.0)).abs() <= 1.0);
}

// -------------------------------------------------------------- distributions

#[test]
fn distribution_dots_median_and_missing() {
    let c = chart(
        "dist",
        ChartKind::Distribution(Distribution {
            x_labels: years(2),
            axis: Axis::Percent,
            groups: vec![
                vec![
                    ("Tỉnh An Giang".into(), 40.0),
                    ("Tỉnh Bắc Giang".into(), 60.0),
                    ("Tỉnh Cà Mau".into(), 80.0),
                ],
                vec![
                    ("Tỉnh An Giang".into(), 50.0),
                    ("Tỉnh Bắc Giang".into(), f64::INFINITY),
                    ("Tỉnh Cà Mau".into(), 90.0),
                    ("Tỉnh Đắk Lắk".into(), 100.0),
                ],
            ],
        }),
    );
    let svg = render_checked(&c);
    let doc = parse(&svg);
    let dots: Vec<Node> = groups(&doc, "mb-dots")
        .iter()
        .flat_map(|g| {
            g.children()
                .filter(|n| has_class(*n, "mb-point"))
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(dots.len(), 6);
    let titles: Vec<String> = dots.iter().filter_map(|d| title_of(*d)).collect();
    assert!(
        titles.contains(&"Tỉnh Cà Mau\nNăm 2021: 90,00%".to_string()),
        "{titles:?}"
    );
    let (y0, y100) = (tick_y(&doc, "0%"), tick_y(&doc, "100%"));
    for d in &dots {
        let t = title_of(*d).unwrap_or_default();
        let v: f64 = t
            .rsplit(": ")
            .next()
            .map(|s| s.trim_end_matches('%').replace(',', "."))
            .and_then(|s| s.parse().ok())
            .expect("value");
        let cy = attr(
            d.children()
                .find(|n| n.has_tag_name("circle"))
                .expect("dot"),
            "cy",
        );
        assert!(
            (cy - (y0 + (y100 - y0) * v / 100.0)).abs() <= 1.0,
            "{t} at {cy}"
        );
    }
    let medians = groups(&doc, "mb-median");
    assert_eq!(medians.len(), 2);
    assert_eq!(
        title_of(medians[1]).as_deref(),
        Some("Trung vị (Năm 2021): 90,00%")
    );
    let bar = medians[1]
        .children()
        .find(|n| n.has_tag_name("rect"))
        .expect("median bar");
    let mid = attr(bar, "y") + attr(bar, "height") / 2.0;
    assert!((mid - (y0 + (y100 - y0) * 0.9)).abs() <= 1.5);
    let strip = groups(&doc, "mb-missing");
    let tip = title_of(
        strip[0]
            .descendants()
            .find(|n| has_class(*n, "mb-point"))
            .expect("marker"),
    );
    assert!(tip.is_some_and(|t| t.contains("Tỉnh Bắc Giang") && t.contains("2021")));
}

#[test]
fn swarm_never_overlaps_when_there_is_room() {
    let ys: Vec<f64> = (0..100).map(|i| 100.0 + (i % 7) as f64 * 10.0).collect();
    let slots = distribution::swarm(&ys, 20);
    for i in 0..ys.len() {
        for j in 0..i {
            assert!(
                slots[i] != slots[j] || (ys[i] - ys[j]).abs() >= 8.5,
                "{i} {j}"
            );
        }
    }
    // No room at all: everything in the centre slot, no panic.
    assert!(distribution::swarm(&ys, 0).iter().all(|s| *s == 0));
}
