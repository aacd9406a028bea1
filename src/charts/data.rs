//! The numbers behind a chart, as CSV for machines and as a table for people.

use super::bar::{bar_axis, sorted};
use super::distribution::year;
use super::scale::{self, clean_value};
use super::{Axis, Chart, ChartKind, Point, Series};
use crate::input::Num;
use crate::publish::table::{csv_of, Cell};

/// A text cell: neutralised against formula injection when written, like
/// every CSV of the site.
fn text(s: &str) -> Cell<'_> {
    Cell::text(s)
}

/// A number cell in its shortest exact form; empty when not reported.
fn num(v: Option<f64>) -> Cell<'static> {
    v.map_or(Cell::Empty, |v| Cell::Num(Num::Float(v)))
}

/// Column name of the values, and the unit column if the axis has one.
fn measure(axis: &Axis) -> (&'static str, Option<&str>) {
    match axis {
        Axis::Percent => ("percent", None),
        Axis::Rank { .. } => ("rank", None),
        Axis::Value { unit } => ("value", Some(unit.trim())),
    }
}

fn series_csv(axis: &Axis, x_labels: &[String], series: &[Series]) -> String {
    let (name, unit) = measure(axis);
    let mut header = vec!["id", "label", "year", name];
    if unit.is_some() {
        header.push("unit");
    }
    header.extend(["flag", "note"]);
    // Every row and the rows made at their full size: no regrowing.
    let mut rows = Vec::with_capacity(series.len() * x_labels.len());
    for s in series {
        for (i, x) in x_labels.iter().enumerate() {
            let p = s.points.get(i);
            let mut row = Vec::with_capacity(header.len());
            row.extend([
                text(&s.id),
                text(&s.full_label),
                text(x),
                num(clean_value(axis, p.and_then(|p| p.value))),
            ]);
            if let Some(u) = unit {
                row.push(text(u));
            }
            row.push(Cell::opt_text(p.and_then(|p| p.flag.as_deref())));
            row.push(Cell::opt_text(p.and_then(|p| p.note.as_deref())));
            rows.push(row);
        }
    }
    csv_of(&header, &rows)
}

/// The chart's numbers as CSV, written by the site's one CSV writer
/// ([`csv_of`]).
pub(crate) fn csv(chart: &Chart) -> String {
    match &chart.kind {
        ChartKind::Line(c) => series_csv(&c.axis, &c.x_labels, &c.series),
        ChartKind::Bump(c) => series_csv(&Axis::Rank { of: c.of }, &c.x_labels, &c.series),
        ChartKind::Bar(c) => {
            let (name, unit) = measure(&c.axis);
            let median = c.median.filter(|m| m.is_finite());
            let mut header = vec!["id", "label", name];
            if unit.is_some() {
                header.push("unit");
            }
            header.push("flag");
            if median.is_some() {
                header.push("median");
            }
            let mut rows = Vec::new();
            for (b, v) in sorted(c) {
                let mut row = vec![text(&b.id), text(&b.full_label), num(v)];
                if let Some(u) = unit {
                    row.push(text(u));
                }
                row.push(Cell::opt_text(b.flag.as_deref()));
                if median.is_some() {
                    row.push(num(median));
                }
                rows.push(row);
            }
            csv_of(&header, &rows)
        }
        ChartKind::Distribution(d) => {
            let (name, unit) = measure(&d.axis);
            let mut header = vec!["year", "label", name];
            if unit.is_some() {
                header.push("unit");
            }
            header.push("median");
            let mut rows = Vec::new();
            for (i, x) in d.x_labels.iter().enumerate() {
                let g = year(d, i);
                let median = scale::median(&g.iter().filter_map(|v| v.1).collect::<Vec<_>>());
                for (label, v) in g {
                    let mut row = vec![text(x), text(label), num(v)];
                    if let Some(u) = unit {
                        row.push(text(u));
                    }
                    row.push(num(median));
                    rows.push(row);
                }
            }
            csv_of(&header, &rows)
        }
    }
}

/// A value cell for people: the value (or "not reported"), its note, and
/// "(flagged)" when it carries a warning.
fn cell(chart: &Chart, axis: &Axis, v: Option<f64>, p: Option<&Point>) -> String {
    let t = &chart.text;
    let mut s = match v {
        Some(v) => scale::show(axis, v, chart.lang),
        None => t.not_reported.clone(),
    };
    if let Some(note) = p
        .and_then(|p| p.note.as_deref())
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        if v.is_some() {
            s.push(' ');
            s.push_str(note);
        }
    }
    if p.is_some_and(|p| p.flag.is_some()) {
        super::text::push_all(&mut s, &[" (", &t.flagged, ")"]);
    }
    s
}

fn series_table(
    chart: &Chart,
    axis: &Axis,
    corner: String,
    x_labels: &[String],
    series: &[Series],
) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = Vec::with_capacity(x_labels.len() + 1);
    header.push(corner);
    header.extend(x_labels.iter().cloned());
    let rows = series
        .iter()
        .map(|s| {
            let mut row = Vec::with_capacity(x_labels.len() + 1);
            row.push(s.full_label.clone());
            for i in 0..x_labels.len() {
                let p = s.points.get(i);
                row.push(cell(
                    chart,
                    axis,
                    clean_value(axis, p.and_then(|p| p.value)),
                    p,
                ));
            }
            row
        })
        .collect();
    (header, rows)
}

pub(crate) fn table(chart: &Chart) -> (Vec<String>, Vec<Vec<String>>) {
    let t = &chart.text;
    match &chart.kind {
        ChartKind::Line(c) => {
            let corner = match c.axis {
                Axis::Rank { .. } => t.rank.clone(),
                _ => String::new(),
            };
            series_table(chart, &c.axis, corner, &c.x_labels, &c.series)
        }
        ChartKind::Bump(c) => series_table(
            chart,
            &Axis::Rank { of: c.of },
            t.rank.clone(),
            &c.x_labels,
            &c.series,
        ),
        ChartKind::Bar(c) => {
            let axis = bar_axis(&c.axis);
            let head = match &c.axis {
                Axis::Percent => "%".to_string(),
                Axis::Rank { .. } => t.rank.clone(),
                Axis::Value { unit } => unit.trim().to_string(),
            };
            let mut rows: Vec<Vec<String>> = sorted(c)
                .into_iter()
                .map(|(b, v)| {
                    let mut s = match v {
                        Some(v) => scale::show(&axis, v, chart.lang),
                        None => t.not_reported.clone(),
                    };
                    if b.flag.is_some() {
                        super::text::push_all(&mut s, &[" (", &t.flagged, ")"]);
                    }
                    vec![b.full_label.clone(), s]
                })
                .collect();
            if let Some(m) = c.median.filter(|m| m.is_finite()) {
                rows.push(vec![t.median.clone(), scale::show(&axis, m, chart.lang)]);
            }
            (vec![String::new(), head], rows)
        }
        ChartKind::Distribution(d) => {
            let n = d.x_labels.len();
            // Rows keyed by (label, k-th occurrence in its year), in order of
            // first appearance, so duplicate names keep all their values.
            let mut keys: Vec<(String, usize)> = Vec::new();
            let mut cells: Vec<Vec<Option<f64>>> = Vec::new();
            let mut medians = Vec::new();
            for i in 0..n {
                let g = year(d, i);
                medians.push(scale::median(
                    &g.iter().filter_map(|v| v.1).collect::<Vec<_>>(),
                ));
                let mut seen: Vec<(&str, usize)> = Vec::new();
                for (label, v) in g {
                    let k = match seen.iter_mut().find(|s| s.0 == label) {
                        Some(s) => {
                            s.1 += 1;
                            s.1
                        }
                        None => {
                            seen.push((label, 0));
                            0
                        }
                    };
                    let row = match keys.iter().position(|(l, kk)| l == label && *kk == k) {
                        Some(r) => r,
                        None => {
                            keys.push((label.to_string(), k));
                            cells.push(vec![None; n]);
                            keys.len() - 1
                        }
                    };
                    cells[row][i] = v;
                }
            }
            let mut header = vec![String::new()];
            header.extend(d.x_labels.iter().cloned());
            let show = |v: Option<f64>| match v {
                Some(v) => scale::show(&d.axis, v, chart.lang),
                None => t.not_reported.clone(),
            };
            let mut rows: Vec<Vec<String>> = keys
                .iter()
                .zip(&cells)
                .map(|((label, _), vs)| {
                    let mut row = vec![label.clone()];
                    row.extend(vs.iter().map(|v| show(*v)));
                    row
                })
                .collect();
            let mut last = vec![t.median.clone()];
            last.extend(medians.into_iter().map(show));
            rows.push(last);
            (header, rows)
        }
    }
}
