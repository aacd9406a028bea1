//! Scoring rubrics on pages (RUBRICS.md section 6): the `/rubrics/<id>/`
//! page, the scores of an agency per scored year, and the totals of a year.

use super::*;
use crate::charts::{Axis, Bar, BarChart, ChartKind};
use crate::exact::Q;
use crate::input::rubric::{Body, Criterion};
use crate::input::Rubric;
use crate::model::Entry;
use crate::render::value::{value, Value as Json};
use crate::scoring::words::{self, Style};
use crate::scoring::{ReportScore, Status};

fn rubric_href(f: &Fmt, id: &str) -> String {
    format!("{}rubrics/{id}/", f.root)
}

fn status_view(f: &Fmt, s: Status) -> Json {
    let (mark, key) = match s {
        Status::Match => ("✓", "score_match"),
        Status::Differs => ("≠", "score_differs"),
        Status::Judged => ("", "score_judged"),
        Status::NotRecomputable => ("", "score_not_recomputable"),
        Status::NotAssessed => ("", "score_not_assessed"),
    };
    value!({"code": s.as_str(), "mark": mark, "label": f.tr(key)})
}

fn pts(f: &Fmt, q: Option<Q>) -> Option<String> {
    q.map(|q| q.people(f.l))
}

/// The rows of a rubric for one scored report: groups with their subtotals,
/// leaves with the rule in words, the figure used and both points.
fn rows(
    f: &Fmt,
    cs: &[Criterion],
    depth: usize,
    score: &ReportScore,
    out: &mut Vec<Json>,
) -> (Q, Q) {
    let cat = &f.model.input.catalog;
    let style = Style::People(f.l);
    let (mut self_sum, mut audit_sum) = (Q::ZERO, Q::ZERO);
    for c in cs {
        match &c.body {
            Body::Leaf(rule) => {
                let Some(l) = score.leaves.iter().find(|l| l.id == c.id) else {
                    continue;
                };
                self_sum = self_sum
                    .q_add(l.self_assessed.unwrap_or(Q::ZERO))
                    .unwrap_or(self_sum);
                audit_sum = audit_sum.q_add(l.audited()).unwrap_or(audit_sum);
                out.push(value!({
                    "group": false, "depth": depth, "id": c.id, "name": f.text(&c.name),
                    "max": c.max.people(f.l),
                    "rule": words::rule(rule, c.max, cat, style),
                    "figure": l.figure.as_ref().map(|fig| words::figure(fig, rule, cat, style)),
                    "recomputed": pts(f, l.recomputed),
                    "self_assessed": pts(f, l.self_assessed),
                    "status": status_view(f, l.status),
                    "differs": l.status == Status::Differs,
                }));
            }
            Body::Group(children) => {
                let at = out.len();
                out.push(value!({}));
                let (s, a) = rows(f, children, depth + 1, score, out);
                self_sum = self_sum.q_add(s).unwrap_or(self_sum);
                audit_sum = audit_sum.q_add(a).unwrap_or(audit_sum);
                out[at] = value!({
                    "group": true, "depth": depth, "id": c.id, "name": f.text(&c.name),
                    "max": c.max.people(f.l), "self_assessed": s.people(f.l), "audited": a.people(f.l),
                });
            }
        }
    }
    (self_sum, audit_sum)
}

/// The scores of one report, section by section.
fn scored_year(f: &Fmt, e: &Entry, score: &ReportScore) -> Option<Json> {
    let rubric = f
        .model
        .input
        .rubrics
        .iter()
        .find(|r| r.id == score.rubric)?;
    let sections: Vec<Json> = rubric
        .sections
        .iter()
        .map(|s| {
            let mut out = Vec::new();
            let (self_sum, audit_sum) = rows(f, &s.criteria, 0, score, &mut out);
            value!({
                "id": s.id, "name": f.text(&s.name), "max": s.max.people(f.l),
                "self_assessed": self_sum.people(f.l), "audited": audit_sum.people(f.l),
                "rows": out,
            })
        })
        .collect();
    let count = |st: Status| score.leaves.iter().filter(|l| l.status == st).count();
    Some(value!({
        "year": e.report.year,
        "anchor": format!("scores-{}", e.report.year),
        "rubric": {"id": rubric.id, "name": f.text(&rubric.name), "href": rubric_href(f, &rubric.id), "source": rubric.source},
        "max": score.max.people(f.l),
        "self_total": self_total(f, score),
        "audited_total": score.audited_total.people(f.l),
        "differing": score.differing,
        "summary": fill(f.tr_str("scores_summary"), &[
            ("leaves", score.leaves.len().to_string()),
            ("match", count(Status::Match).to_string()),
            ("differs", score.differing.to_string()),
            ("judged", count(Status::Judged).to_string()),
            ("missing", count(Status::NotRecomputable).to_string()),
        ]),
        "sections": sections,
    }))
}

/// The self-assessed total, or none when no criterion is self-assessed.
fn self_total(f: &Fmt, s: &ReportScore) -> Option<String> {
    s.leaves
        .iter()
        .any(|l| l.self_assessed.is_some())
        .then(|| s.self_total.people(f.l))
}

/// "theo số liệu: 450,28": the audited total shown beside a score.
pub(super) fn audited_text(f: &Fmt, e: &Entry) -> Option<String> {
    e.score.as_ref().map(|s| {
        format!(
            "{}: {}",
            f.tr("score_audited_short"),
            s.audited_total.people(f.l)
        )
    })
}

/// The agency page's scores, latest year first; empty without a rubric.
pub(super) fn agency_scores(f: &Fmt, agency: &str) -> Vec<Json> {
    let model = f.model;
    model
        .years
        .iter()
        .rev()
        .filter_map(|&y| model.entry(y, agency))
        .filter_map(|e| e.score.as_ref().and_then(|s| scored_year(f, e, s)))
        .collect()
}

/// The year page's totals per cohort: self-assessed, audited, differing.
pub(super) fn year_scores(f: &Fmt, year: i32, only: Option<&str>) -> Vec<Json> {
    let model = f.model;
    model
        .input
        .cohorts
        .iter()
        .filter(|c| only.is_none_or(|o| o == c.id))
        .filter_map(|c| {
            let rows: Vec<Json> = model
                .cohort_entries(year, &c.id)
                .filter_map(|e| e.score.as_ref().map(|s| (e, s)))
                .map(|(e, s)| {
                    value!({
                        "name": f.agency_name(&e.report.agency),
                        "href": format!("{}#scores-{year}", f.agency_href(&e.report.agency)),
                        "max": s.max.people(f.l),
                        "self_total": self_total(f, s),
                        "audited_total": s.audited_total.people(f.l),
                        "differing": s.differing,
                    })
                })
                .collect();
            let rubric = crate::scoring::rubric_for(&model.input.rubrics, year, &c.id)
                .map(|r| value!({"name": f.text(&r.name), "href": rubric_href(f, &r.id)}));
            (!rows.is_empty()).then(
                || value!({"id": c.id, "name": f.text(&c.name), "rows": rows, "rubric": rubric}),
            )
        })
        .collect()
}

/// Per leaf of a rubric, for one year: agencies with a known value (from
/// the figures, else self-assessed), how many of them got full points, and
/// the points they lost. An agency with neither counts in none of these.
#[derive(Clone, Copy)]
struct LeafStat {
    known: usize,
    full: usize,
    lost: Q,
}

fn leaf_stats(model: &Model, rubric: &Rubric, year: i32) -> (usize, Vec<LeafStat>) {
    let scores: Vec<&ReportScore> = model
        .year_entries(year)
        .filter_map(|e| e.score.as_ref())
        .filter(|s| s.rubric == rubric.id)
        .collect();
    let n = rubric.leaves().len();
    let mut stats = vec![
        LeafStat {
            known: 0,
            full: 0,
            lost: Q::ZERO
        };
        n
    ];
    for s in &scores {
        for (st, l) in stats.iter_mut().zip(&s.leaves) {
            let Some(got) = l.recomputed.or(l.self_assessed) else {
                continue;
            };
            st.known += 1;
            if got >= l.max {
                st.full += 1;
            }
            let lost = l.max.q_sub(got).unwrap_or(Q::ZERO).max(Q::ZERO);
            st.lost = st.lost.q_add(lost).unwrap_or(st.lost);
        }
    }
    (scores.len(), stats)
}

/// The years a rubric scores that have scored reports.
fn scored_years(model: &Model, rubric: &Rubric) -> Vec<i32> {
    model
        .years
        .iter()
        .copied()
        .filter(|&y| rubric.years.contains(&y))
        .filter(|&y| {
            model
                .year_entries(y)
                .any(|e| e.score.as_ref().is_some_and(|s| s.rubric == rubric.id))
        })
        .collect()
}

/// A scored year: agencies scored, and per leaf full points and points lost.
type YearStats = (i32, usize, Vec<LeafStat>);

/// The `/rubrics/<id>/` page.
pub(super) fn rubric_page(f: &Fmt, id: &str) -> PageView {
    let model = f.model;
    let Some(rubric) = model.input.rubrics.iter().find(|r| r.id == id) else {
        return (id.to_string(), None, value!({}));
    };
    let cat = &model.input.catalog;
    let style = Style::People(f.l);
    let years = scored_years(model, rubric);
    let stats: Vec<YearStats> = years
        .iter()
        .map(|&y| {
            let (n, s) = leaf_stats(model, rubric, y);
            (y, n, s)
        })
        .collect();
    let leaves = rubric.leaves();
    let index_of = |cid: &str| leaves.iter().position(|l| l.criterion.id == cid);
    fn walk<'c>(cs: &'c [Criterion], depth: usize, out: &mut Vec<(usize, &'c Criterion)>) {
        for c in cs {
            out.push((depth, c));
            if let Body::Group(ch) = &c.body {
                walk(ch, depth + 1, out);
            }
        }
    }
    let sections: Vec<Json> = rubric
        .sections
        .iter()
        .map(|s| {
            let mut flat = Vec::new();
            walk(&s.criteria, 0, &mut flat);
            let rows: Vec<Json> = flat
                .into_iter()
                .map(|(depth, c)| match &c.body {
                    Body::Group(_) => value!({"group": true, "depth": depth, "id": c.id, "name": f.text(&c.name), "max": c.max.people(f.l)}),
                    Body::Leaf(rule) => {
                        let i = index_of(&c.id);
                        let cells: Vec<Json> = stats
                            .iter()
                            .map(|(y, _, st)| {
                                let st = i.and_then(|i| st.get(i).copied());
                                let (full, known, lost) = st.map_or((0, 0, Q::ZERO), |s| (s.full, s.known, s.lost));
                                value!({"year": y, "full": format!("{full}/{known}"), "lost": lost.people(f.l), "loses": !lost.is_zero()})
                            })
                            .collect();
                        value!({
                            "group": false, "depth": depth, "id": c.id, "name": f.text(&c.name),
                            "max": c.max.people(f.l),
                            "rule": words::rule(rule, c.max, cat, style),
                            "figure_name": (!rule.figure.is_empty()).then(|| f.indicator_name(&rule.figure)),
                            "figure_href": (!rule.figure.is_empty()).then(|| f.indicator_href(&rule.figure)),
                            "cells": cells,
                        })
                    }
                })
                .collect();
            value!({"id": s.id, "name": f.text(&s.name), "max": s.max.people(f.l), "rows": rows})
        })
        .collect();
    let cohorts: Vec<String> = match &rubric.cohorts {
        Some(cs) => cs
            .iter()
            .map(|c| {
                model
                    .cohort(c)
                    .map(|k| f.text(&k.name))
                    .unwrap_or_else(|| c.clone())
            })
            .collect(),
        None => vec![f.tr("rubric_all_cohorts")],
    };
    let name = f.text(&rubric.name);
    (
        name.clone(),
        None,
        value!({
            "rubric": {
                "id": rubric.id, "name": name, "source": rubric.source, "max": rubric.max.people(f.l),
                "years": rubric.years.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", "),
                "cohorts": cohorts.join("; "),
                "leaves": leaves.len(),
            },
            "years": stats.iter().map(|(y, n, _)| value!({"year": y, "agencies": n})).collect::<Vec<_>>(),
            "sections": sections,
        }),
    )
}

/// The rubrics scoring any published report, by id.
pub(super) fn rubric_jobs(model: &Model) -> Vec<Job> {
    model
        .input
        .rubrics
        .iter()
        .map(|r| Job::Rubric(r.id.clone()))
        .collect()
}

/// The chart of `/rubrics/<id>/`: points lost per criterion in the latest
/// scored year, the 15 criteria that cost most. `(id, title, desc, kind)`.
pub fn lost_points_chart(
    model: &Model,
    id: &str,
    lang: &str,
    tr: &dyn Fn(&str) -> String,
) -> Option<(String, String, String, ChartKind)> {
    let rubric = model.input.rubrics.iter().find(|r| r.id == id)?;
    let year = *scored_years(model, rubric).last()?;
    let (n, stats) = leaf_stats(model, rubric, year);
    let l = crate::format::Lang::from_code(lang);
    let default = &model.input.site.language;
    let mut bars: Vec<(Q, Bar)> = rubric
        .leaves()
        .iter()
        .zip(&stats)
        .filter(|(_, st)| !st.lost.is_zero())
        .map(|(leaf, st)| {
            let lost = &st.lost;
            let name = leaf.criterion.name.get(lang, default);
            (
                *lost,
                Bar {
                    id: leaf.criterion.id.clone(),
                    label: leaf.criterion.id.clone(),
                    full_label: format!("{} {name}", leaf.criterion.id),
                    value: Some(lost.as_f64()),
                    flag: None,
                },
            )
        })
        .collect();
    bars.sort_by_key(|b| std::cmp::Reverse(b.0));
    bars.truncate(15);
    let title = fill(&tr("rubric_lost_chart"), &[("year", year.to_string())]);
    let desc = match bars.first() {
        Some((lost, b)) => fill(
            &tr("rubric_lost_desc"),
            &[
                ("agencies", n.to_string()),
                ("criterion", b.full_label.clone()),
                ("points", lost.people(l)),
            ],
        ),
        None => fill(&tr("rubric_lost_none"), &[("agencies", n.to_string())]),
    };
    if bars.is_empty() {
        return None;
    }
    let chart_id = format!("lost-{}-{year}", id.replace('_', "-"));
    Some((
        chart_id,
        title,
        desc,
        ChartKind::Bar(BarChart {
            axis: Axis::Value {
                unit: tr("points_unit"),
            },
            bars: bars.into_iter().map(|(_, b)| b).collect(),
            median: None,
        }),
    ))
}
