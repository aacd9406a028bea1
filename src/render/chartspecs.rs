//! Which charts each page shows, built from the model, and their drawing in
//! parallel. The charts module draws; this one decides what to draw and
//! says the main finding of each chart in words.

mod indicator;

use std::collections::BTreeMap;

use super::views::{fill, DrawnChart, Job, Shared};
use crate::charts::{
    self, Axis, Bar, BarChart, BumpChart, Chart, ChartKind, ChartText, Distribution, LineChart,
    Point, Series,
};
use crate::format::{self, Lang};
use crate::model::{median, Entry, Model, Percent};

/// The rates drawn as bars on year pages.
const YEAR_BAR_RATES: &[&str] = &["dvctt_uptake", "signed_outgoing_rate"];

type Strings = BTreeMap<String, String>;

/// A chart of a cohort with more agencies than this draws only the highest
/// and the lowest `EXTREMES` of them: 217 bars or lines cannot be read on a
/// phone (nor anywhere); the page's table keeps every agency.
const FEW: usize = 25;
const EXTREMES: usize = 10;

/// Keeps the `EXTREMES` items with the highest key and the `EXTREMES` with
/// the lowest (ties by their order), in their order, when there are more
/// than `FEW`; items without a key go then. Says whether it trimmed.
fn extremes<T>(items: Vec<T>, key: impl Fn(&T) -> Option<f64>) -> (Vec<T>, bool) {
    if items.len() <= FEW {
        return (items, false);
    }
    let mut ranked: Vec<(f64, usize)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, x)| key(x).map(|k| (k, i)))
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let keep: std::collections::BTreeSet<usize> = ranked
        .iter()
        .take(EXTREMES)
        .chain(ranked.iter().rev().take(EXTREMES))
        .map(|(_, i)| *i)
        .collect();
    let kept = items
        .into_iter()
        .enumerate()
        .filter(|(i, _)| keep.contains(i))
        .map(|(_, x)| x)
        .collect();
    (kept, true)
}

struct Ctx<'a, 'm> {
    model: &'a Model,
    lang: &'a str,
    l: Lang,
    t: &'a Strings,
    /// What the pages of the build share, when the caller has it: an
    /// indicator's values are then read from its column.
    shared: Option<&'a Shared<'m>>,
}

impl Ctx<'_, '_> {
    fn tr(&self, key: &str) -> String {
        self.t.get(key).cloned().unwrap_or_else(|| key.to_string())
    }

    fn text(&self, t: &crate::input::Text) -> String {
        t.get(self.lang, &self.model.input.site.language)
            .to_string()
    }

    /// A chart's title, saying when it draws only the extremes.
    fn trimmed_title(&self, title: String, trimmed: bool) -> String {
        if trimmed {
            format!("{title} ({})", self.tr("chart_extremes"))
        } else {
            title
        }
    }

    fn chart_text(&self) -> ChartText {
        ChartText {
            not_reported: self.tr("not_reported"),
            flagged: self.tr("flag_marker_label"),
            median: self.tr("median"),
            rank: self.tr("rank"),
            year: self.tr("year"),
        }
    }

    fn chart(&self, id: String, title: String, desc: String, kind: ChartKind) -> Chart {
        Chart {
            id,
            title,
            desc,
            lang: self.l,
            text: self.chart_text(),
            kind,
        }
    }

    fn agency_label(&self, id: &str) -> (String, String) {
        match self.model.agency(id) {
            Some(a) => {
                let full = self.text(&a.name);
                (a.short.clone().unwrap_or_else(|| full.clone()), full)
            }
            None => (id.to_string(), id.to_string()),
        }
    }

    fn pct(&self, p: f64) -> String {
        format::percent(p, self.l)
    }

    fn rate_point(&self, e: Option<&Entry>, rate: &str) -> Point {
        match e.and_then(|e| e.rate(rate)) {
            Some(r) if r.percent.is_some() => Point {
                value: r.percent.map(Percent::as_f64),
                flag: (!r.flags.is_empty()).then(|| self.tr("rate_flag_note")),
                note: None,
            },
            _ => Point::missing(),
        }
    }
}

/// A chart id from parts: lower case, `[a-z0-9-]`.
fn chart_id(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| p.replace('_', "-").to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("-")
}

/// Draws the charts of one page in one language. A chart that cannot be
/// drawn is left out; its numbers are still in the page's tables.
pub fn draw(model: &Model, job: &Job, lang: &str, t: &Strings) -> Vec<DrawnChart> {
    draw_with(model, None, job, lang, t)
}

/// [`draw`], reading the indicators' and rates' values from the build's
/// [`Shared`] columns (the same charts, fewer searches of each report).
pub fn draw_shared(shared: &Shared, job: &Job, lang: &str, t: &Strings) -> Vec<DrawnChart> {
    draw_with(shared.model(), Some(shared), job, lang, t)
}

fn draw_with(
    model: &Model,
    shared: Option<&Shared>,
    job: &Job,
    lang: &str,
    t: &Strings,
) -> Vec<DrawnChart> {
    let c = Ctx {
        model,
        lang,
        l: Lang::from_code(lang),
        t,
        shared,
    };
    let specs = match job {
        Job::Overview => overview(&c),
        Job::Agency(id) => agency(&c, id),
        Job::Year(y, only) => year(&c, *y, only.as_deref()),
        Job::Indicator(id, only) => indicator::charts(&c, id, only.as_deref()),
        Job::Rubric(id) => super::views::rubric::lost_points_chart(model, id, lang, &|k| c.tr(k))
            .map(|(id, title, desc, kind)| c.chart(id, title, desc, kind))
            .into_iter()
            .collect(),
        _ => Vec::new(),
    };
    specs
        .into_iter()
        .filter_map(|chart| {
            let start = std::time::Instant::now();
            // SVG ignores the line breaks between elements and around text.
            let (svg, phone) = charts::render_inline_and_narrow(&chart).ok()?;
            let phone = charts::standalone(&phone);
            let phone_size = charts::fixed_size(&phone).unwrap_or((charts::NARROW_WIDTH, 0));
            let time = start.elapsed();
            let (table_head, table_rows) = charts::data_table(&chart);
            Some(DrawnChart {
                id: chart.id.clone(),
                title: chart.title.clone(),
                csv: charts::data_csv(&chart),
                standalone: charts::standalone(&svg),
                desc: chart.desc.clone(),
                phone,
                phone_size,
                svg,
                table_head,
                table_rows,
                time,
            })
        })
        .collect()
}

fn overview(c: &Ctx) -> Vec<Chart> {
    let model = c.model;
    let years: Vec<String> = model.years.iter().map(|y| y.to_string()).collect();
    model
        .input
        .catalog
        .headline_rates()
        .map(|r| {
            // A dot per agency; on a site split by cohort (hundreds of
            // cohorts, thousands of agencies) a dot per cohort's median.
            let split = super::views::split_by_cohort(model);
            let groups: Vec<Vec<(String, f64)>> = model
                .years
                .iter()
                .map(|&y| {
                    if split {
                        model
                            .input
                            .cohorts
                            .iter()
                            .filter_map(|co| {
                                let values: Vec<f64> = model
                                    .cohort_entries(y, &co.id)
                                    .filter_map(|e| e.percent(&r.id))
                                    .map(Percent::as_f64)
                                    .collect();
                                median(&values).map(|m| (c.text(&co.name), m))
                            })
                            .collect()
                    } else {
                        model
                            .year_entries(y)
                            .filter_map(|e| {
                                e.percent(&r.id)
                                    .map(|p| (c.agency_label(&e.report.agency).1, p.as_f64()))
                            })
                            .collect()
                    }
                })
                .collect();
            let name = if split {
                format!("{} ({})", c.text(&r.name), c.tr("median_per_cohort"))
            } else {
                c.text(&r.name)
            };
            let medians: Vec<String> = model
                .years
                .iter()
                .zip(&groups)
                .filter_map(|(y, g)| {
                    let vals: Vec<f64> = g.iter().map(|(_, v)| *v).collect();
                    median(&vals).map(|m| format!("{} ({y})", c.pct(m)))
                })
                .collect();
            let desc = if medians.is_empty() {
                format!("{name}: {}.", c.tr("not_reported"))
            } else {
                format!(
                    "{name}, {}: {}.",
                    c.tr("median").to_lowercase(),
                    medians.join(", ")
                )
            };
            c.chart(
                chart_id(&["distribution", &r.id]),
                name,
                desc,
                ChartKind::Distribution(Distribution {
                    x_labels: years.clone(),
                    axis: Axis::Percent,
                    groups,
                }),
            )
        })
        .collect()
}

fn agency(c: &Ctx, id: &str) -> Vec<Chart> {
    let model = c.model;
    let entries: Vec<Option<&Entry>> = model.years.iter().map(|&y| model.entry(y, id)).collect();
    let years: Vec<String> = model.years.iter().map(|y| y.to_string()).collect();
    let (_, name) = c.agency_label(id);
    let mut out = Vec::new();

    let headline: Vec<_> = model.input.catalog.headline_rates().collect();
    let series: Vec<Series> = headline
        .iter()
        .map(|r| Series {
            id: r.id.clone(),
            label: c.text(&r.name),
            full_label: c.text(&r.name),
            points: entries.iter().map(|e| c.rate_point(*e, &r.id)).collect(),
            highlight: true,
        })
        .collect();
    let findings: Vec<String> = series
        .iter()
        .filter_map(|s| {
            let known: Vec<(usize, f64)> = s
                .points
                .iter()
                .enumerate()
                .filter_map(|(i, p)| p.value.map(|v| (i, v)))
                .collect();
            let (first, last) = (known.first()?, known.last()?);
            Some(if first.0 == last.0 {
                format!("{} {} ({})", s.label, c.pct(last.1), years[last.0])
            } else {
                format!(
                    "{} {} ({}) → {} ({})",
                    s.label,
                    c.pct(first.1),
                    years[first.0],
                    c.pct(last.1),
                    years[last.0]
                )
            })
        })
        .collect();
    let desc = if findings.is_empty() {
        format!("{name}: {}.", c.tr("not_reported"))
    } else {
        format!("{name}: {}.", findings.join("; "))
    };
    out.push(c.chart(
        "headline-rates".into(),
        format!("{} — {name}", c.tr("headline_rates")),
        desc,
        ChartKind::Line(LineChart {
            x_labels: years.clone(),
            axis: Axis::Percent,
            series,
        }),
    ));

    let ranks: Vec<Option<(u32, u32)>> = entries
        .iter()
        .map(|e| {
            e.and_then(|e| e.standing.rank.as_ref())
                .map(|r| (r.position, r.of))
        })
        .collect();
    if ranks.iter().any(Option::is_some) {
        let of = ranks.iter().flatten().map(|(_, of)| *of).max().unwrap_or(1);
        let points: Vec<Point> = entries
            .iter()
            .map(|e| {
                let Some(e) = e else { return Point::missing() };
                let Some(r) = &e.standing.rank else {
                    return Point::missing();
                };
                Point {
                    value: Some(f64::from(r.position)),
                    flag: None,
                    note: e.standing.change.filter(|ch| *ch != 0).map(|ch| {
                        if ch > 0 {
                            format!("▲{ch}")
                        } else {
                            format!("▼{}", -ch)
                        }
                    }),
                }
            })
            .collect();
        let known: Vec<(usize, u32, u32)> = ranks
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.map(|(p, o)| (i, p, o)))
            .collect();
        let desc = match (known.first(), known.last()) {
            (Some(a), Some(b)) if a.0 != b.0 => {
                let key = match b.1.cmp(&a.1) {
                    std::cmp::Ordering::Less => "up_from_to",
                    std::cmp::Ordering::Greater => "down_from_to",
                    std::cmp::Ordering::Equal => "same_from_to",
                };
                fill(
                    &c.tr(key),
                    &[
                        ("agency", name.clone()),
                        ("from", format!("{}/{}", a.1, a.2)),
                        ("to", format!("{}/{}", b.1, b.2)),
                        ("y1", years[a.0].clone()),
                        ("y2", years[b.0].clone()),
                    ],
                )
            }
            (Some(a), _) => format!(
                "{name}: {} {}/{} ({}).",
                c.tr("rank").to_lowercase(),
                a.1,
                a.2,
                years[a.0]
            ),
            _ => String::new(),
        };
        out.push(c.chart(
            "rank".into(),
            format!("{} — {name}", c.tr("rank")),
            desc,
            ChartKind::Line(LineChart {
                x_labels: years,
                axis: Axis::Rank { of },
                series: vec![Series {
                    id: "rank".into(),
                    label: c.tr("rank"),
                    full_label: name.clone(),
                    points,
                    highlight: true,
                }],
            }),
        ));
    }
    out
}

fn year(c: &Ctx, year: i32, only: Option<&str>) -> Vec<Chart> {
    let model = c.model;
    let cat = &model.input.catalog;
    let mut out = Vec::new();
    for cohort in super::views::shown_cohorts(model, only) {
        let entries: Vec<&Entry> = model.cohort_entries(year, &cohort.id).collect();
        if entries.is_empty() {
            continue;
        }
        let cohort_name = c.text(&cohort.name);
        for rate_id in YEAR_BAR_RATES {
            let Some(rate) = cat.rate(rate_id) else {
                continue;
            };
            let bars: Vec<Bar> = entries
                .iter()
                .map(|e| {
                    let (label, full) = c.agency_label(&e.report.agency);
                    let p = c.rate_point(Some(e), rate_id);
                    Bar {
                        id: e.report.agency.clone(),
                        label,
                        full_label: full,
                        value: p.value,
                        flag: p.flag,
                    }
                })
                .collect();
            let values: Vec<(f64, &str)> = bars
                .iter()
                .filter_map(|b| b.value.map(|v| (v, b.full_label.as_str())))
                .collect();
            let med = median(&values.iter().map(|(v, _)| *v).collect::<Vec<_>>());
            let best = values
                .iter()
                .copied()
                .fold(None::<(f64, &str)>, |acc, x| match acc {
                    Some(a) if a.0 >= x.0 => Some(a),
                    _ => Some(x),
                });
            let worst = values
                .iter()
                .copied()
                .fold(None::<(f64, &str)>, |acc, x| match acc {
                    Some(a) if a.0 <= x.0 => Some(a),
                    _ => Some(x),
                });
            let name = c.text(&rate.name);
            let desc = match (med, best, worst) {
                (Some(m), Some(b), Some(w)) => format!(
                    "{name} {year}, {cohort_name}: {} {}; {} ({}) – {} ({}).",
                    c.tr("median").to_lowercase(),
                    c.pct(m),
                    b.1,
                    c.pct(b.0),
                    w.1,
                    c.pct(w.0)
                ),
                _ => format!("{name} {year}, {cohort_name}: {}.", c.tr("not_reported")),
            };
            let (bars, trimmed) = extremes(bars, |b| b.value);
            out.push(c.chart(
                chart_id(&["bars", &cohort.id, rate_id]),
                c.trimmed_title(format!("{name} {year} — {cohort_name}"), trimmed),
                desc,
                ChartKind::Bar(BarChart {
                    axis: Axis::Percent,
                    bars,
                    median: med,
                }),
            ));
        }

        // Ranks of the cohort over every published year.
        let members: Vec<&str> = model
            .cohort_agencies(&cohort.id)
            .map(|a| a.id.as_str())
            .collect();
        let mut of = 0;
        let series: Vec<Series> = members
            .iter()
            .map(|id| {
                let (label, full) = c.agency_label(id);
                let points = model
                    .years
                    .iter()
                    .map(
                        |&y| match model.entry(y, id).and_then(|e| e.standing.rank.as_ref()) {
                            Some(r) => {
                                of = of.max(r.of);
                                Point::new(f64::from(r.position))
                            }
                            None => Point::missing(),
                        },
                    )
                    .collect();
                Series {
                    id: id.to_string(),
                    label,
                    full_label: full,
                    points,
                    highlight: false,
                }
            })
            .collect();
        if of == 0 || model.years.len() < 2 {
            continue;
        }
        // Lines crossing for more than a few agencies read as a tangle at
        // any size: a large cohort's changes of rank are in its table.
        if series.len() > FEW {
            continue;
        }
        let mover = series
            .iter()
            .filter_map(|s| {
                let known: Vec<(usize, f64)> = s
                    .points
                    .iter()
                    .enumerate()
                    .filter_map(|(i, p)| p.value.map(|v| (i, v)))
                    .collect();
                let (a, b) = (known.first()?, known.last()?);
                (a.0 != b.0).then(|| ((a.1 - b.1).abs() as i64, s, *a, *b))
            })
            .max_by(|x, y| x.0.cmp(&y.0).then_with(|| y.1.id.cmp(&x.1.id)));
        let desc = match mover {
            Some((d, s, a, b)) if d > 0 => fill(
                &c.tr(if b.1 < a.1 {
                    "up_from_to"
                } else {
                    "down_from_to"
                }),
                &[
                    ("agency", s.full_label.clone()),
                    ("from", format!("{}", a.1 as u32)),
                    ("to", format!("{}", b.1 as u32)),
                    ("y1", model.years[a.0].to_string()),
                    ("y2", model.years[b.0].to_string()),
                ],
            ),
            _ => format!("{} — {cohort_name}", c.tr("ranking")),
        };
        out.push(c.chart(
            chart_id(&["bump", &cohort.id]),
            format!(
                "{} {}–{} — {cohort_name}",
                c.tr("ranking"),
                model.years[0],
                model.years[model.years.len() - 1]
            ),
            desc,
            ChartKind::Bump(BumpChart {
                x_labels: model.years.iter().map(|y| y.to_string()).collect(),
                of,
                series,
            }),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extremes_keep_the_ten_highest_and_lowest_in_their_order() {
        let few: Vec<Option<f64>> = (0..FEW).map(|i| Some(i as f64)).collect();
        assert_eq!(extremes(few.clone(), |x| *x), (few, false));
        // 40 values, one not reported: 0..=9 and 30..=39 stay, in order.
        let many: Vec<Option<f64>> = (0..40).map(|i| (i != 20).then_some(f64::from(i))).collect();
        let (kept, trimmed) = extremes(many, |x| *x);
        assert!(trimmed);
        let expected: Vec<Option<f64>> =
            (0..10).chain(30..40).map(|i| Some(f64::from(i))).collect();
        assert_eq!(kept, expected);
    }

    /// With the build's Shared, the indicator pages draw the same charts
    /// (the sample site: values, yes/no answers, rates, flags, gaps).
    #[test]
    fn draw_shared_draws_what_draw_draws() {
        let model = crate::site::sample_model();
        let shared = Shared::new(&model, BTreeMap::new());
        let t = Strings::new();
        let mut charts = 0;
        for job in super::super::views::jobs(&model) {
            if !matches!(job, Job::Indicator(..)) {
                continue;
            }
            for lang in &model.input.site.languages {
                let plain = draw(&model, &job, lang, &t);
                let with = draw_shared(&shared, &job, lang, &t);
                assert_eq!(plain.len(), with.len(), "{job:?}");
                for (a, b) in plain.iter().zip(&with) {
                    assert_eq!((&a.id, &a.title, &a.desc), (&b.id, &b.title, &b.desc));
                    assert_eq!((&a.svg, &a.phone, &a.csv), (&b.svg, &b.phone, &b.csv));
                    charts += 1;
                }
            }
        }
        assert!(charts > 0);
    }
}
