//! A report's `criteria:` (RUBRICS.md section 3) against the rubric of its
//! year and cohort: unknown criteria, points above a maximum, and the
//! warnings of the recomputation (score-mismatch, score-sum-mismatch).

use std::collections::BTreeMap;

use super::agencies::CohortOf;
use super::fields::*;
use super::rubric::q_field;
use crate::diag::{Code, Diagnostics};
use crate::exact::Q;
use crate::input::rubric::Body;
use crate::input::*;
use crate::scoring::{self, words, Status};
use crate::yaml::{Node, Value};

/// Reads `criteria:`: leaf id → points, bare or `{value, evidence, note}`.
pub(super) fn assessed(n: &Node, ctx: &Ctx, diags: &mut Diagnostics) -> BTreeMap<String, Assessed> {
    let mut out = BTreeMap::new();
    let Value::Map(entries) = &n.value else {
        diags.push(ctx.diag(
            Code::WrongType,
            n.pos,
            "criteria must be a map of `criterion id: points` lines, such as `I.1: 10`",
        ));
        return out;
    };
    for (k, v) in entries {
        let what = format!("the points of {}", k.name);
        let (value_node, evidence, note) = if let Value::Map(_) = v.value {
            let Some(f) = Fields::of(v, &what, &["value", "evidence", "note"], ctx, diags) else {
                continue;
            };
            let evidence = f
                .get("evidence")
                .and_then(|n| text_field(n, "evidence", ctx, diags));
            let note = f
                .get("note")
                .and_then(|n| text_field(n, "note", ctx, diags));
            match f.get("value") {
                Some(n) => (n, evidence, note),
                None => {
                    if !f.entries.iter().any(|(k, _)| k.name == "value") {
                        diags.push(
                            ctx.diag(
                                Code::MissingField,
                                v.pos,
                                format!("{what} needs a `value` field"),
                            )
                            .indicator(&k.name),
                        );
                    }
                    continue;
                }
            }
        } else {
            (v, None, None)
        };
        if value_node.is_null() {
            continue;
        }
        let Some(value) = q_field(value_node, &what, ctx, diags) else {
            continue;
        };
        if value < Q::ZERO {
            diags.push(
                ctx.diag(
                    Code::NegativeValue,
                    value_node.pos,
                    format!("{what} is {value}, but points cannot be below 0"),
                )
                .indicator(&k.name),
            );
            continue;
        }
        out.insert(
            k.name.clone(),
            Assessed {
                value,
                evidence,
                note,
                pos: k.pos,
            },
        );
    }
    out
}

fn report_ctx(r: &Report) -> Ctx {
    let mut ctx = Ctx::new(&r.file);
    ctx.agency = Some(r.agency.clone());
    ctx.year = Some(r.year);
    ctx
}

/// Checks every report's criteria against its rubric, drops the unknown
/// ones, and warns where the figures disagree with the self-assessment.
pub(super) fn check(
    reports: &mut [Report],
    rubrics: &[Rubric],
    cohort_of: &CohortOf,
    cat: &Catalog,
    diags: &mut Diagnostics,
) {
    for r in reports.iter_mut() {
        let cohort = cohort_of.get(r.agency.as_str()).copied();
        let rubric = cohort.and_then(|c| scoring::rubric_for(rubrics, r.year, c));
        if r.criteria.is_empty() && rubric.is_none() {
            continue;
        }
        let ctx = report_ctx(r);
        let Some(rubric) = rubric else {
            for (id, a) in &r.criteria {
                diags.push(
                    ctx.diag(
                        Code::UnknownCriterion,
                        a.pos,
                        format!(
                            "no rubric in data/rubrics/ scores {} for cohort {}, so criterion {id} cannot be checked; add the rubric or remove `criteria:`",
                            r.year,
                            cohort.unwrap_or("?")
                        ),
                    )
                    .indicator(id),
                );
            }
            r.criteria.clear();
            continue;
        };
        let leaves = rubric.leaves();
        let mut unknown = Vec::new();
        for (id, a) in &r.criteria {
            match leaves.iter().find(|l| &l.criterion.id == id) {
                Some(l) => {
                    if a.value > l.criterion.max {
                        diags.push(
                            ctx.diag(
                                Code::CriterionExceedsMax,
                                a.pos,
                                format!(
                                    "{id}: self-assessed {} points, more than its max of {} in rubric {}",
                                    a.value, l.criterion.max, rubric.id
                                ),
                            )
                            .indicator(id),
                        );
                    }
                }
                None => {
                    let group = find_group(rubric, id);
                    let hint = match group {
                        Some(children) => format!(
                            "; {id} is a group: give points to its leaves ({})",
                            children.join(", ")
                        ),
                        None => scoring_suggest(id, leaves.iter().map(|l| l.criterion.id.as_str())),
                    };
                    diags.push(
                        ctx.diag(
                            Code::UnknownCriterion,
                            a.pos,
                            format!(
                                "{id} is not a leaf criterion of rubric {} ({}){hint}",
                                rubric.id, rubric.file
                            ),
                        )
                        .indicator(id),
                    );
                    unknown.push(id.clone());
                }
            }
        }
        for id in unknown {
            r.criteria.remove(&id);
        }
        let scored = scoring::score(rubric, r, cat);
        for (l, s) in leaves.iter().zip(&scored.leaves) {
            if s.status != Status::Differs {
                continue;
            }
            let (Some(sa), Some(rc)) = (s.self_assessed, s.recomputed) else {
                continue;
            };
            let pos = r.criteria.get(&s.id).map(|a| a.pos).unwrap_or_default();
            diags.push(
                ctx.diag(
                    Code::ScoreMismatch,
                    pos,
                    format!(
                        "{}: self-assessed {}, the figures give {}: {}",
                        s.id,
                        sa.plain(2),
                        rc.plain(2),
                        words::computation(s, l.rule, cat)
                    ),
                )
                .indicator(&s.id),
            );
        }
        if let (true, Some(score)) = (scored.complete, &r.score) {
            if let Some(v) = Q::of_num(score.value) {
                if !v.close_to(scored.self_total, scoring::tolerance()) {
                    let pos = r.criteria.values().map(|a| a.pos).min().unwrap_or_default();
                    diags.push(
                        ctx.diag(
                            Code::ScoreSumMismatch,
                            pos,
                            format!(
                                "the self-assessed points of the {} criteria add up to {}, but score.value is {}; fix the points or the score",
                                scored.leaves.len(),
                                scored.self_total.plain(2),
                                score.value.plain()
                            ),
                        )
                        .indicator("score"),
                    );
                }
            }
        }
    }
}

fn scoring_suggest<'a>(id: &str, ids: impl Iterator<Item = &'a str>) -> String {
    let s = suggest(id, ids);
    if s.is_empty() {
        "; check the id against the rubric".to_string()
    } else {
        format!(";{}", s.trim_start())
    }
}

/// The leaf ids below a group or section `id`, if it is one.
fn find_group(rubric: &Rubric, id: &str) -> Option<Vec<String>> {
    fn leaves_of(cs: &[crate::input::rubric::Criterion], out: &mut Vec<String>) {
        for c in cs {
            match &c.body {
                Body::Leaf(_) => out.push(c.id.clone()),
                Body::Group(ch) => leaves_of(ch, out),
            }
        }
    }
    fn find<'a>(
        cs: &'a [crate::input::rubric::Criterion],
        id: &str,
    ) -> Option<&'a [crate::input::rubric::Criterion]> {
        cs.iter().find_map(|c| match &c.body {
            Body::Group(ch) if c.id == id => Some(ch.as_slice()),
            Body::Group(ch) => find(ch, id),
            Body::Leaf(_) => None,
        })
    }
    let children = rubric
        .sections
        .iter()
        .find(|s| s.id == id)
        .map(|s| s.criteria.as_slice())
        .or_else(|| rubric.sections.iter().find_map(|s| find(&s.criteria, id)))?;
    let mut out = Vec::new();
    leaves_of(children, &mut out);
    Some(out)
}
