//! The numbers behind a chart, as CSV for machines and as a table for people.

use super::bar::{bar_axis, sorted};
use super::distribution::year;
use super::scale::{self, clean_value};
use super::{Axis, Chart, ChartKind, Point, Series};
use crate::format;

/// One CSV field, quoted per RFC 4180 when needed. A text cell that a
/// spreadsheet would run as a formula is neutralised; numbers never are.
fn field(s: &str) -> String {
    let safe;
    let s = if s.parse::<f64>().is_ok() {
        s
    } else {
        safe = crate::publish::safe_text(s);
        safe.as_str()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn push_row(out: &mut String, cells: &[String]) {
    let row: Vec<String> = cells.iter().map(|c| field(c)).collect();
    out.push_str(&row.join(","));
    out.push('\n');
}

/// Column name of the values, and the unit column if the axis has one.
fn measure(axis: &Axis) -> (&'static str, Option<&str>) {
    match axis {
        Axis::Percent => ("percent", None),
        Axis::Rank { .. } => ("rank", None),
        Axis::Value { unit } => ("value", Some(unit.trim())),
    }
}

/// A text cell, neutralised against formula injection like every CSV of
/// the site (numbers are never touched).
fn text(s: &str) -> String {
    crate::publish::safe_text(s)
}

fn plain(v: Option<f64>) -> String {
    v.map(format::plain).unwrap_or_default()
}

fn series_csv(out: &mut String, axis: &Axis, x_labels: &[String], series: &[Series]) {
    let (name, unit) = measure(axis);
    let mut header: Vec<String> = ["id", "label", "year", name].map(String::from).to_vec();
    if unit.is_some() {
        header.push("unit".into());
    }
    header.extend(["flag".into(), "note".into()]);
    push_row(out, &header);
    for s in series {
        for (i, x) in x_labels.iter().enumerate() {
            let p = s.points.get(i);
            let mut row = vec![
                s.id.clone(),
                text(&s.full_label),
                x.clone(),
                plain(clean_value(axis, p.and_then(|p| p.value))),
            ];
            if let Some(u) = unit {
                row.push(text(u));
            }
            row.push(text(p.and_then(|p| p.flag.as_deref()).unwrap_or_default()));
            row.push(text(p.and_then(|p| p.note.as_deref()).unwrap_or_default()));
            push_row(out, &row);
        }
    }
}

pub(crate) fn csv(chart: &Chart) -> String {
    let mut out = String::new();
    match &chart.kind {
        ChartKind::Line(c) => series_csv(&mut out, &c.axis, &c.x_labels, &c.series),
        ChartKind::Bump(c) => {
            series_csv(&mut out, &Axis::Rank { of: c.of }, &c.x_labels, &c.series)
        }
        ChartKind::Bar(c) => {
            let (name, unit) = measure(&c.axis);
            let median = c.median.filter(|m| m.is_finite());
            let mut header: Vec<String> = ["id", "label", name].map(String::from).to_vec();
            if unit.is_some() {
                header.push("unit".into());
            }
            header.push("flag".into());
            if median.is_some() {
                header.push("median".into());
            }
            push_row(&mut out, &header);
            for (b, v) in sorted(c) {
                let mut row = vec![b.id.clone(), text(&b.full_label), plain(v)];
                if let Some(u) = unit {
                    row.push(text(u));
                }
                row.push(text(b.flag.as_deref().unwrap_or_default()));
                if median.is_some() {
                    row.push(plain(median));
                }
                push_row(&mut out, &row);
            }
        }
        ChartKind::Distribution(d) => {
            let (name, unit) = measure(&d.axis);
            let mut header: Vec<String> = ["year", "label", name].map(String::from).to_vec();
            if unit.is_some() {
                header.push("unit".into());
            }
            header.push("median".into());
            push_row(&mut out, &header);
            for (i, x) in d.x_labels.iter().enumerate() {
                let g = year(d, i);
                let median = scale::median(&g.iter().filter_map(|v| v.1).collect::<Vec<_>>());
                for (label, v) in g {
                    let mut row = vec![x.clone(), text(label), plain(v)];
                    if let Some(u) = unit {
                        row.push(text(u));
                    }
                    row.push(plain(median));
                    push_row(&mut out, &row);
                }
            }
        }
    }
    out
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
        s.push_str(&format!(" ({})", t.flagged));
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
    let mut header = vec![corner];
    header.extend(x_labels.iter().cloned());
    let rows = series
        .iter()
        .map(|s| {
            let mut row = vec![s.full_label.clone()];
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
                        s.push_str(&format!(" ({})", t.flagged));
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

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn rfc4180_quoting() {
        assert_eq!(field("Sở Y tế"), "Sở Y tế");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
    }
}
