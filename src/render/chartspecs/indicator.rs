//! The charts of an indicator page: a line per agency of each cohort shown
//! (its extremes when it is large), or for a yes/no indicator the share of
//! agencies answering yes.

use super::{chart_id, extremes, Ctx};
use crate::charts::{Axis, Chart, ChartKind, LineChart, Point, Series};
use crate::format;
use crate::input::{Kind, Num, Val};
use crate::model::{median, Percent};
use crate::render::views::Slot;

pub(super) fn charts(c: &Ctx, id: &str, only: Option<&str>) -> Vec<Chart> {
    let model = c.model;
    let cat = &model.input.catalog;
    // The places of the rate or indicator in the catalogue (each entry's
    // rates and the columns of the build's `Shared` are in that order).
    let rate_pos = cat.rates.iter().position(|r| r.id == id);
    let ind_pos = cat.indicators.iter().position(|i| i.id == id);
    let (name, axis, kind) = match (cat.rate(id), cat.indicator(id)) {
        (Some(r), _) => (c.text(&r.name), Axis::Percent, None),
        (None, Some(i)) if i.kind.is_numeric() => (
            c.text(&i.name),
            match i.kind {
                Kind::Percent => Axis::Percent,
                _ => Axis::Value {
                    unit: i.unit_label.as_ref().map(|u| c.text(u)).unwrap_or_default(),
                },
            },
            Some(i),
        ),
        (None, Some(i)) if i.kind == Kind::Flag => return flag_shares(c, i, only),
        _ => return Vec::new(),
    };
    let years: Vec<String> = model.years.iter().map(|y| y.to_string()).collect();
    let mut out = Vec::new();
    // The value of the entry at `index` in `model.entries`: from the
    // column of the build's `Shared` when there is one (the entry is not
    // read), else from the entry.
    let value = |index: usize| -> Option<f64> {
        match (kind, c.shared) {
            (None, Some(s)) => s.rate_slot(index, rate_pos?).map(|r| r.percent.as_f64()),
            (Some(_), Some(s)) => s.slot(index, ind_pos?).num().map(Num::as_f64),
            (None, None) => model.entries.get(index)?.percent(id).map(Percent::as_f64),
            (Some(i), None) => match model.entries.get(index)?.report.value(&i.id) {
                Some(Val::Num(n)) => Some(n.as_f64()),
                _ => None,
            },
        }
    };
    // The point of an agency (its index in `input.agencies`) in a year: its
    // value, a rate's notes and flags.
    let point = |y: i32, agency: usize| -> Point {
        let index = model.entry_index_at(y, agency);
        let e = index.and_then(|i| model.entries.get(i));
        match kind {
            None => c.rate_point(e, id),
            Some(i) => match index.and_then(value) {
                Some(v) => Point {
                    value: Some(v),
                    flag: e
                        .is_some_and(|e| e.report.flags_indicator(&i.id))
                        .then(|| c.tr("flag_marker_label")),
                    note: None,
                },
                None => Point::missing(),
            },
        }
    };
    let last_k = model.years.len().checked_sub(1);
    for cohort in crate::render::views::shown_cohorts(model, only) {
        // A large cohort draws only its extremes: which they are, the
        // highlights and the finding need only each agency's latest value,
        // so the whole series is built for the agencies drawn only.
        struct Row<'m> {
            /// Its index in `input.agencies`.
            index: usize,
            agency: &'m crate::input::Agency,
            /// The value of the latest year with one.
            latest: Option<f64>,
            /// The value of the last published year.
            last: Option<f64>,
        }
        // An agency with a report in some year, with the year and value
        // of its latest value: one look-up of the entry per year, from
        // the last year back to the first value.
        let rows: Vec<Row> = model
            .cohort_members(&cohort.id)
            .filter_map(|(index, a)| {
                let mut reported = false;
                let mut latest = None;
                for (k, &y) in model.years.iter().enumerate().rev() {
                    let Some(e) = model.entry_index_at(y, index) else {
                        continue;
                    };
                    reported = true;
                    if let Some(v) = value(e) {
                        latest = Some((k, v));
                        break;
                    }
                }
                reported.then(|| Row {
                    index,
                    agency: a,
                    latest: latest.map(|(_, v)| v),
                    last: latest.filter(|(k, _)| Some(*k) == last_k).map(|(_, v)| v),
                })
            })
            .collect();
        if rows.iter().all(|r| r.latest.is_none()) {
            continue;
        }
        // Highlight the three highest in the latest year with a value.
        let mut order: Vec<(f64, usize)> = rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.latest.map(|v| (v, i)))
            .collect();
        order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let highlight: Vec<usize> = order.iter().take(3).map(|(_, i)| *i).collect();
        let cohort_name = c.text(&cohort.name);
        let last_year = model.years.last().copied().unwrap_or_default();
        let last_values: Vec<f64> = rows.iter().filter_map(|r| r.last).collect();
        let fmt_value = |v: f64| match kind {
            None => c.pct(v),
            Some(i) => match i.kind {
                Kind::Percent => c.pct(v),
                Kind::MoneyVnd => format::money_vnd(v, c.l),
                _ => format::number(v, 2, c.l),
            },
        };
        let desc = match (median(&last_values), order.first()) {
            (Some(m), Some((top, i))) => format!(
                "{name} {last_year}, {cohort_name}: {} {}; {} {}.",
                c.tr("median").to_lowercase(),
                fmt_value(m),
                c.agency_label(&rows[*i].agency.id).1,
                fmt_value(*top)
            ),
            _ => format!("{name}, {cohort_name}."),
        };
        let all: Vec<usize> = (0..rows.len()).collect();
        let (kept, trimmed) = extremes(all, |i| rows[*i].latest);
        let series: Vec<Series> = kept
            .into_iter()
            .map(|i| {
                let (index, a) = (rows[i].index, rows[i].agency);
                let (label, full) = c.agency_label(&a.id);
                Series {
                    id: a.id.clone(),
                    label,
                    full_label: full,
                    points: model.years.iter().map(|&y| point(y, index)).collect(),
                    highlight: highlight.contains(&i),
                }
            })
            .collect();
        out.push(c.chart(
            chart_id(&["lines", &cohort.id]),
            c.trimmed_title(format!("{name} — {cohort_name}"), trimmed),
            desc,
            ChartKind::Line(LineChart {
                x_labels: years.clone(),
                axis: axis.clone(),
                series,
            }),
        ));
    }
    out
}

/// A yes/no indicator: the share of the reporting agencies that answer yes,
/// per year, a line per cohort drawn (on a split site's indicator page, one
/// line for every agency of the site).
fn flag_shares(c: &Ctx, ind: &crate::input::Indicator, only: Option<&str>) -> Vec<Chart> {
    let model = c.model;
    let name = c.text(&ind.name);
    let pos = model
        .input
        .catalog
        .indicators
        .iter()
        .position(|i| i.id == ind.id);
    // The answer of the agency at `agency` in `input.agencies` in a year.
    let answer = |y: i32, agency: usize| -> Option<bool> {
        let index = model.entry_index_at(y, agency)?;
        let v = match (c.shared, pos) {
            (Some(s), Some(pos)) => match s.slot(index, pos) {
                Slot::Other { obs, .. } => obs.value.as_ref(),
                _ => None,
            },
            _ => model.entries.get(index)?.report.value(&ind.id),
        };
        match v {
            Some(Val::Flag(b)) => Some(*b),
            _ => None,
        }
    };
    let share = |agencies: &[usize], y: i32| -> Option<(f64, usize, usize)> {
        let answers: Vec<bool> = agencies.iter().filter_map(|&a| answer(y, a)).collect();
        let yes = answers.iter().filter(|b| **b).count();
        (!answers.is_empty()).then(|| {
            let pct = (yes as f64 * 10000.0 / answers.len() as f64).round() / 100.0;
            (pct, yes, answers.len())
        })
    };
    // The agencies of each line, by their index in `input.agencies`.
    let groups: Vec<(String, String, Vec<usize>)> =
        if only.is_none() && crate::render::views::split_by_cohort(model) {
            vec![(
                "all".into(),
                c.tr("all_agencies"),
                (0..model.input.agencies.len()).collect(),
            )]
        } else {
            crate::render::views::shown_cohorts(model, only)
                .map(|co| {
                    (
                        co.id.clone(),
                        c.text(&co.name),
                        model.cohort_members(&co.id).map(|(i, _)| i).collect(),
                    )
                })
                .collect()
        };
    let mut findings = Vec::new();
    let series: Vec<Series> = groups
        .iter()
        .map(|(id, label, agencies)| {
            let shares: Vec<Option<(f64, usize, usize)>> =
                model.years.iter().map(|&y| share(agencies, y)).collect();
            if let Some((y, (pct, yes, n))) = model
                .years
                .iter()
                .zip(&shares)
                .rev()
                .find_map(|(y, s)| s.map(|s| (y, s)))
            {
                findings.push(format!("{label} {} ({yes}/{n}, {y})", c.pct(pct)));
            }
            Series {
                id: id.clone(),
                label: label.clone(),
                full_label: label.clone(),
                points: shares
                    .iter()
                    .map(|s| match s {
                        Some((pct, _, _)) => Point::new(*pct),
                        None => Point::missing(),
                    })
                    .collect(),
                highlight: true,
            }
        })
        .collect();
    if findings.is_empty() {
        return Vec::new();
    }
    let title = format!("{name}: {}", c.tr("flag_share"));
    vec![c.chart(
        chart_id(&["yes-share", only.unwrap_or("all")]),
        title.clone(),
        format!("{title}: {}.", findings.join("; ")),
        ChartKind::Line(LineChart {
            x_labels: model.years.iter().map(|y| y.to_string()).collect(),
            axis: Axis::Percent,
            series,
        }),
    )]
}
