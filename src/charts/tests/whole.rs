//! Tests over whole charts: edge cases, escaping, determinism, the data
//! behind a chart, the standalone and inline forms of a drawing.

use super::*;

// ----------------------------------------------------------------- edge cases

type Groups = Vec<Vec<(String, f64)>>;

fn every_edge_case() -> Vec<Chart> {
    let mut out = Vec::new();
    let axes = [
        Axis::Percent,
        Axis::Rank { of: 63 },
        Axis::Value { unit: "đ".into() },
        Axis::Rank { of: 1 },
        Axis::Rank { of: 0 },
        Axis::Value {
            unit: String::new(),
        },
    ];
    let weird = [
        Some(f64::NAN),
        Some(f64::INFINITY),
        Some(f64::NEG_INFINITY),
        Some(0.0),
        Some(100.0),
        Some(1.0),
        Some(-5.0),
        Some(1e12),
        None,
    ];
    let hundred: Vec<Series> = (0..100)
        .map(|i| {
            series(
                &format!("Sở số {i} của tỉnh có tên rất dài để thử cắt ngắn"),
                &[
                    Some(i as f64),
                    None,
                    Some(100.0 - i as f64),
                    Some((i % 10) as f64 + 1.0),
                ],
                i % 17 == 0,
            )
        })
        .collect();
    for axis in axes {
        let line_cases: Vec<(Vec<Series>, usize)> = vec![
            (vec![series("one", &[Some(42.0)], true)], 1),
            (vec![series("one", &[Some(42.0), Some(43.0)], false)], 2),
            (
                vec![
                    series("none", &[None, None, None], true),
                    series("x", &[None, Some(f64::NAN), None], false),
                ],
                3,
            ),
            (vec![], 3),
            (vec![series("a", &[Some(1.0)], true)], 0),
            (
                vec![series("w", &weird, true), series("w2", &weird, false)],
                weird.len(),
            ),
            (vec![series("short", &[Some(1.0)], true)], 4),
            (vec![series("long", &[Some(1.0); 9], true)], 2),
            (hundred.clone(), 4),
        ];
        for (s, n) in line_cases {
            out.push(line_chart(axis.clone(), s, n));
        }
        let bar_cases: Vec<(Vec<Bar>, Option<f64>)> = vec![
            (vec![bar("one", Some(0.0))], Some(0.0)),
            (vec![bar("one", Some(100.0))], Some(100.0)),
            (vec![bar("none", None), bar("nan", Some(f64::NAN))], None),
            (vec![], Some(50.0)),
            (
                vec![bar("neg", Some(-20.0)), bar("pos", Some(30.0))],
                Some(f64::INFINITY),
            ),
            (
                weird
                    .iter()
                    .enumerate()
                    .map(|(i, v)| bar(&format!("w{i}"), *v))
                    .collect(),
                Some(1.0),
            ),
            (
                (0..120)
                    .map(|i| bar(&format!("Cơ quan số {i}"), Some(i as f64 / 1.2)))
                    .collect(),
                Some(50.0),
            ),
        ];
        for (bars, median) in bar_cases {
            out.push(chart(
                "bars",
                ChartKind::Bar(BarChart {
                    axis: axis.clone(),
                    bars,
                    median,
                }),
            ));
        }
        let groups_cases: Vec<(Groups, usize)> = vec![
            (vec![vec![("one".into(), 42.0)]], 1),
            (vec![vec![("nan".into(), f64::NAN)], vec![]], 2),
            (vec![], 3),
            (vec![vec![("a".into(), 1.0)]; 5], 2),
            (
                (0..5)
                    .map(|y| {
                        (0..100)
                            .map(|i| (format!("Tỉnh {i}"), ((i * 7 + y) % 101) as f64))
                            .collect()
                    })
                    .collect(),
                5,
            ),
            (
                vec![weird
                    .iter()
                    .map(|v| ("w".to_string(), v.unwrap_or(f64::NAN)))
                    .collect()],
                1,
            ),
            (
                vec![(0..300)
                    .map(|i| ("same".to_string(), 50.0 + (i % 2) as f64))
                    .collect()],
                12,
            ),
        ];
        for (groups, n) in groups_cases {
            out.push(chart(
                "dist",
                ChartKind::Distribution(Distribution {
                    x_labels: years(n),
                    axis: axis.clone(),
                    groups,
                }),
            ));
        }
    }
    let bump_cases: Vec<(Vec<Series>, usize, u32)> = vec![
        (vec![series("one", &[Some(1.0)], false)], 1, 1),
        (vec![series("one", &[Some(1.0), Some(1.0)], false)], 2, 0),
        (vec![series("none", &[None, None], false)], 2, 10),
        (vec![], 5, 63),
        (vec![series("x", &[Some(3.0)], true)], 0, 5),
        (
            vec![series("w", &weird, false), series("w2", &weird, true)],
            weird.len(),
            3,
        ),
        (
            vec![series("far", &[Some(5000.0), Some(1.0)], false)],
            2,
            10,
        ),
        (
            vec![
                series("tie", &[Some(2.0), Some(2.0)], false),
                series("tie2", &[Some(2.0), Some(2.0)], false),
            ],
            2,
            2,
        ),
        (
            (0..100)
                .map(|i| {
                    series(
                        &format!("Tỉnh {i}"),
                        &[Some(i as f64 + 1.0), Some(100.0 - i as f64)],
                        false,
                    )
                })
                .collect(),
            2,
            100,
        ),
        (
            vec![series("huge", &[Some(1.0), Some(1e300)], false)],
            2,
            u32::MAX,
        ),
    ];
    for (s, n, of) in bump_cases {
        out.push(bump_chart(s, n, of));
    }
    out
}

#[test]
fn edge_cases_render_without_failing() {
    let charts = every_edge_case();
    assert!(charts.len() > 80);
    for c in &charts {
        let svg = render_checked(c);
        // data_csv and data_table never panic and agree on the row count for
        // series charts.
        let csv = data_csv(c);
        assert!(csv.ends_with('\n'));
        let (header, rows) = data_table(c);
        assert!(rows.iter().all(|r| r.len() == header.len()));
        // All-missing and empty charts say so instead of failing.
        let has_value = match &c.kind {
            ChartKind::Line(l) => l.series.iter().any(|s| {
                s.points
                    .iter()
                    .take(l.x_labels.len())
                    .any(|p| scale::clean_value(&l.axis, p.value).is_some())
            }),
            ChartKind::Bump(b) => b.series.iter().any(|s| {
                s.points
                    .iter()
                    .take(b.x_labels.len())
                    .any(|p| p.value.is_some_and(|v| v.is_finite() && v >= 1.0))
            }),
            ChartKind::Bar(b) => !b.bars.is_empty(),
            ChartKind::Distribution(d) => d
                .groups
                .iter()
                .take(d.x_labels.len())
                .flatten()
                .any(|(_, v)| scale::clean_value(&d.axis, Some(*v)).is_some()),
        };
        if !has_value {
            let doc = parse(&svg);
            assert_eq!(groups(&doc, "mb-empty").len(), 1, "{c:?}");
            assert!(texts(&doc).iter().any(|t| t == "Không báo cáo"));
        }
    }
}

#[test]
fn invalid_ids_are_errors_not_panics() {
    for id in ["", "Has Upper", "a\"b", "x<y"] {
        let mut c = line_chart(Axis::Percent, vec![], 1);
        c.id = id.into();
        let e = render_svg(&c).expect_err("invalid id");
        assert_eq!(e.chart, id);
        assert!(e.to_string().contains("[a-z0-9-]+"));
    }
}

// ------------------------------------------------------------------- escaping

#[test]
fn hostile_text_is_escaped_everywhere() {
    let hostile_text = ChartText {
        not_reported: HOSTILE.into(),
        flagged: HOSTILE.into(),
        median: HOSTILE.into(),
        rank: HOSTILE.into(),
        year: HOSTILE.into(),
    };
    let mut s = series(HOSTILE, &[Some(10.0), None, Some(30.0)], true);
    s.label = HOSTILE.into();
    s.full_label = format!("{HOSTILE}\u{0}\u{7}");
    s.points[0].flag = Some(HOSTILE.into());
    s.points[2].note = Some(HOSTILE.into());
    let mut grey = s.clone();
    grey.highlight = false;
    let mut b = bar(HOSTILE, Some(5.0));
    b.label = HOSTILE.into();
    b.flag = Some(HOSTILE.into());
    let kinds = vec![
        ChartKind::Line(LineChart {
            x_labels: vec![HOSTILE.into(), "2021".into(), "]]>".into()],
            axis: Axis::Value {
                unit: HOSTILE.into(),
            },
            series: vec![s.clone(), grey],
        }),
        ChartKind::Bar(BarChart {
            axis: Axis::Value {
                unit: HOSTILE.into(),
            },
            bars: vec![b, bar("missing", None)],
            median: Some(3.0),
        }),
        ChartKind::Bump(BumpChart {
            x_labels: vec![HOSTILE.into(), "2021".into(), "2022".into()],
            of: 3,
            series: vec![s],
        }),
        ChartKind::Distribution(Distribution {
            x_labels: vec![HOSTILE.into()],
            axis: Axis::Percent,
            groups: vec![vec![(HOSTILE.into(), 5.0), (HOSTILE.into(), f64::NAN)]],
        }),
    ];
    for kind in kinds {
        let c = Chart {
            id: "x-1".into(),
            title: HOSTILE.into(),
            desc: format!("{HOSTILE}\n{HOSTILE}"),
            lang: Lang::Vi,
            text: hostile_text.clone(),
            kind,
        };
        let svg = render_checked(&c);
        let doc = parse(&svg);
        assert!(!doc.descendants().any(|n| n.has_tag_name("script")));
        assert!(!svg.contains("<script"));
        assert!(!svg.contains('\u{0}') && !svg.contains('\u{7}'));
        // The text reads back exactly as given (escaped, not mangled).
        assert!(
            texts(&doc).iter().any(|t| t.contains(HOSTILE)),
            "{:?}",
            texts(&doc)
        );
        assert!(doc
            .descendants()
            .filter(|n| n.has_tag_name("title"))
            .skip(1)
            .any(|n| n.text().is_some_and(|t| t.contains(HOSTILE))));
        let csv = data_csv(&c);
        assert!(csv.contains("\"<script>alert(1)</script>&\"\"'\""), "{csv}");
    }
}

// ------------------------------------------------------------- determinism

#[test]
fn render_all_is_parallel_deterministic_and_ordered() {
    let charts = every_edge_case();
    let sequential: Vec<String> = charts.iter().map(render).collect();
    for _ in 0..2 {
        let parallel: Vec<String> = render_all(&charts)
            .into_iter()
            .map(|r| r.expect("render"))
            .collect();
        assert_eq!(parallel, sequential);
    }
}

// ------------------------------------------------------------------- data

#[test]
fn csv_and_table_for_a_line_chart() {
    let mut a = series("a", &[Some(84.96), None], true);
    a.id = "so-y-te".into();
    a.full_label = "Sở Y tế, tỉnh A".into();
    a.points[0].flag = Some("Tự báo cáo".into());
    a.points[1].note = Some("▲8".into());
    let c = line_chart(Axis::Percent, vec![a], 2);
    assert_eq!(
        data_csv(&c),
        "id,label,year,percent,flag,note\n\
         so-y-te,\"Sở Y tế, tỉnh A\",2020,84.96,Tự báo cáo,\n\
         so-y-te,\"Sở Y tế, tỉnh A\",2021,,,▲8\n"
    );
    let (header, rows) = data_table(&c);
    assert_eq!(header, ["", "2020", "2021"]);
    assert_eq!(
        rows,
        [["Sở Y tế, tỉnh A", "84,96% (Cần lưu ý)", "Không báo cáo"]]
    );
    let mut en = c.clone();
    en.lang = Lang::En;
    assert_eq!(data_table(&en).1[0][1], "84.96% (Cần lưu ý)");
}

#[test]
fn csv_and_table_for_a_bar_chart() {
    let c = chart(
        "bars",
        ChartKind::Bar(BarChart {
            axis: Axis::Value {
                unit: "hồ sơ".into(),
            },
            bars: vec![bar("a", Some(12.5)), bar("b", None), bar("c", Some(1517.0))],
            median: Some(764.75),
        }),
    );
    assert_eq!(
        data_csv(&c),
        "id,label,value,unit,flag,median\n\
         c,Sở c,1517,hồ sơ,,764.75\n\
         a,Sở a,12.5,hồ sơ,,764.75\n\
         b,Sở b,,hồ sơ,,764.75\n"
    );
    let (header, rows) = data_table(&c);
    assert_eq!(header, ["", "hồ sơ"]);
    assert_eq!(
        rows,
        [
            ["Sở c", "1.517 hồ sơ"],
            ["Sở a", "12,5 hồ sơ"],
            ["Sở b", "Không báo cáo"],
            ["Trung vị", "764,75 hồ sơ"],
        ]
    );
}

#[test]
fn csv_and_table_for_bump_and_distribution() {
    let c = bump_chart(vec![series("a", &[Some(3.0), Some(1.0)], false)], 2, 63);
    assert_eq!(
        data_csv(&c),
        "id,label,year,rank,flag,note\na,Sở a tỉnh Bà Rịa – Vũng Tàu,2020,3,,\na,Sở a tỉnh Bà Rịa – Vũng Tàu,2021,1,,\n"
    );
    assert_eq!(
        data_table(&c),
        (
            vec!["Xếp hạng".to_string(), "2020".into(), "2021".into()],
            vec![vec![
                "Sở a tỉnh Bà Rịa – Vũng Tàu".to_string(),
                "3".into(),
                "1".into()
            ]]
        )
    );
    let d = chart(
        "dist",
        ChartKind::Distribution(Distribution {
            x_labels: years(2),
            axis: Axis::Percent,
            groups: vec![
                vec![("An Giang".into(), 40.0), ("Bạc Liêu".into(), 61.5)],
                vec![("An Giang".into(), f64::NAN), ("Cà Mau".into(), 90.0)],
            ],
        }),
    );
    assert_eq!(
        data_csv(&d),
        "year,label,percent,median\n\
         2020,An Giang,40,50.75\n\
         2020,Bạc Liêu,61.5,50.75\n\
         2021,An Giang,,90\n\
         2021,Cà Mau,90,90\n"
    );
    let (header, rows) = data_table(&d);
    assert_eq!(header, ["", "2020", "2021"]);
    assert_eq!(
        rows,
        [
            ["An Giang", "40,00%", "Không báo cáo"],
            ["Bạc Liêu", "61,50%", "Không báo cáo"],
            ["Cà Mau", "Không báo cáo", "90,00%"],
            ["Trung vị", "50,75%", "90,00%"],
        ]
    );
}

#[test]
fn standalone_files_get_a_fixed_size() {
    let c = bar_chart(vec![bar("a", Some(10.0))], None);
    let svg = render(&c);
    let fixed = standalone(&svg);
    let doc = parse(&fixed);
    let root = doc.root_element();
    let vb = root.attribute("viewBox").unwrap_or_default().to_string();
    assert_eq!(root.attribute("width"), Some("960"));
    assert_eq!(root.attribute("height"), vb.rsplit(' ').next());
    assert_eq!(
        fixed
            .replacen(
                &format!(" height=\"{}\"", vb.rsplit(' ').next().unwrap_or_default()),
                "",
                1
            )
            .replacen("width=\"960\"", "width=\"100%\"", 1),
        svg
    );
    assert_eq!(standalone("not svg"), "not svg");
    assert_eq!(standalone(&fixed), fixed);
}

#[test]
fn inline_drawing_is_the_drawing_without_line_breaks() {
    // Line breaks and hostile text in the title, the description, a
    // label and a tooltip too.
    let mut hostile = chart(
        "hostile",
        ChartKind::Line(LineChart {
            x_labels: years(3),
            axis: Axis::Percent,
            series: vec![Series {
                label: format!("{HOSTILE}\nb"),
                full_label: format!("{HOSTILE}\nfull"),
                ..series("a", &[Some(1.0), None, Some(3.0)], true)
            }],
        }),
    );
    hostile.title = format!("{HOSTILE}\nline 2");
    hostile.desc = format!("one\ntwo {HOSTILE}");
    let mut all = every_edge_case();
    all.push(hostile);
    for c in &all {
        let inline = render_svg_inline(c).expect("renders");
        assert!(!inline.contains('\n'), "{}", c.id);
        assert_eq!(
            inline,
            render_svg(c).expect("renders").replace('\n', ""),
            "{}",
            c.id
        );
    }
}

#[test]
fn inline_and_narrow_drawings_are_drawn_as_one_by_one() {
    for c in &every_edge_case() {
        assert_eq!(
            render_inline_and_narrow(c).expect("renders"),
            (
                render_svg_inline(c).expect("renders"),
                render_svg_at(c, NARROW_WIDTH).expect("renders")
            ),
            "{}",
            c.id
        );
    }
    let bad = Chart {
        id: "Not valid".into(),
        ..every_edge_case()[0].clone()
    };
    assert_eq!(
        render_inline_and_narrow(&bad).map(|_| ()),
        render_svg_inline(&bad).map(|_| ())
    );
}
