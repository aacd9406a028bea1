//! data/rubrics/<id>.yaml (RUBRICS.md sections 1, 2 and 5): sections and
//! criteria, sums that must hold, rules with a figure of the right kind,
//! steps in order, and at most one rubric per (year, cohort).

use std::collections::BTreeSet;

use super::fields::*;
use crate::diag::{Code, Diagnostics};
use crate::exact::Q;
use crate::input::rubric::{Body, Criterion, Points, Rule, RuleKind, Section, Step};
use crate::input::*;
use crate::load::SourceFile;
use crate::yaml::{Node, Pos, Value};

const RUBRIC_FIELDS: &[&str] = &["name", "years", "cohorts", "source", "max", "sections"];
const SECTION_FIELDS: &[&str] = &["id", "name", "max", "criteria"];
const CRITERION_FIELDS: &[&str] = &["id", "name", "max", "rule", "criteria"];
const RULE_KEYS: &[&str] = &[
    "proportional",
    "tiers",
    "yes_no",
    "per_item",
    "deduct",
    "judged",
];

/// A rubric with where its `years` are written, for the overlap check.
pub(super) struct Parsed {
    pub(super) rubric: Rubric,
    pub(super) years_pos: Pos,
}

struct Walk<'a> {
    ctx: Ctx,
    lang: &'a str,
    cat: &'a Catalog,
    ids: BTreeSet<String>,
}

/// `^[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*$`
pub fn is_criterion_id(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// An exact number: an integer or a decimal literal as written.
pub(super) fn q_field(node: &Node, what: &str, ctx: &Ctx, diags: &mut Diagnostics) -> Option<Q> {
    let q = match node.value {
        Value::Int(i) => Some(Q::int(i)),
        Value::Float(f) if f.is_finite() => {
            Q::parse_decimal(&node.raw).or_else(|| Q::of_num(Num::Float(f)))
        }
        _ => None,
    };
    if q.is_none() {
        diags.push(ctx.diag(
            Code::WrongType,
            node.pos,
            format!(
                "{what} must be a number, found {}{}",
                node.shown(),
                number_hint(node)
            ),
        ));
    }
    q
}

pub(super) fn rubric(
    f: &SourceFile,
    lang: &str,
    cat: &Catalog,
    cohorts: Option<&[Cohort]>,
    diags: &mut Diagnostics,
) -> Option<Parsed> {
    let ctx = Ctx::new(&f.rel);
    let file_name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
    let id = file_name
        .rsplit_once('.')
        .map(|(s, _)| s)
        .unwrap_or(file_name);
    let id_ok = check_id(
        id,
        Pos { line: 1, column: 1 },
        "rubric id (its file name)",
        &ctx,
        diags,
    );
    let doc = parsed(f, &ctx, diags)?;
    let fields = Fields::of(doc, "a rubric", RUBRIC_FIELDS, &ctx, diags)?;
    let name = fields
        .require("name", "a rubric", &ctx, diags)
        .and_then(|n| label(n, "the rubric name", lang, &ctx, diags));
    let years_node = fields.require("years", "a rubric", &ctx, diags);
    let years = years_node.and_then(|n| years(n, &ctx, diags));
    let cohort_ids = fields
        .get("cohorts")
        .and_then(|n| cohort_list(n, cohorts, &ctx, diags));
    let source = fields
        .get("source")
        .and_then(|n| text_field(n, "source", &ctx, diags));
    let max_node = fields.require("max", "a rubric", &ctx, diags);
    let max = max_node.and_then(|n| q_field(n, "the rubric max", &ctx, diags));

    let mut w = Walk {
        ctx,
        lang,
        cat,
        ids: BTreeSet::new(),
    };
    let mut sections = Vec::new();
    let mut sections_ok = true;
    if let Some(n) = fields.require("sections", "a rubric", &w.ctx, diags) {
        match &n.value {
            Value::Seq(items) => {
                for item in items {
                    match section(item, &mut w, diags) {
                        Some(s) => sections.push(s),
                        None => sections_ok = false,
                    }
                }
            }
            _ => {
                diags.push(w.ctx.diag(
                    Code::WrongType,
                    n.pos,
                    "sections must be a list of `- id: …` sections",
                ));
                sections_ok = false;
            }
        }
    }
    if let (Some(max), Some(node), true) = (max, max_node, sections_ok) {
        let sum = sum_of(sections.iter().map(|s| s.max));
        if sum != Some(max) {
            diags.push(w.ctx.diag(
                Code::InvalidRubric,
                node.pos,
                format!(
                    "the rubric max is {max} but its sections add up to {}; fix the max or the sections ({})",
                    sum.map(|s| s.to_string()).unwrap_or_default(),
                    sections
                        .iter()
                        .map(|s| format!("{} {}", s.id, s.max))
                        .collect::<Vec<_>>()
                        .join(" + ")
                ),
            ));
        }
    }
    let (true, Some(name), Some(years), Some(max), Some(years_node)) =
        (id_ok, name, years, max, years_node)
    else {
        return None;
    };
    Some(Parsed {
        rubric: Rubric {
            id: id.to_string(),
            file: f.rel.clone(),
            name,
            years,
            cohorts: cohort_ids,
            source,
            max,
            sections,
        },
        years_pos: years_node.pos,
    })
}

fn sum_of(mut it: impl Iterator<Item = Q>) -> Option<Q> {
    it.try_fold(Q::ZERO, |a, q| a.q_add(q))
}

fn years(n: &Node, ctx: &Ctx, diags: &mut Diagnostics) -> Option<Vec<i32>> {
    let Value::Seq(items) = &n.value else {
        diags.push(ctx.diag(
            Code::WrongType,
            n.pos,
            format!(
                "years must be a list of the report years it scores, such as [2022], found {}",
                n.kind_name()
            ),
        ));
        return None;
    };
    let mut out = Vec::new();
    for item in items {
        let y = int_field(item, "a rubric year", ctx, diags)?;
        if !(2000..=2100).contains(&y) {
            diags.push(ctx.diag(
                Code::InvalidYear,
                item.pos,
                format!("{y} is not a year from 2000 to 2100"),
            ));
            return None;
        }
        out.push(y as i32);
    }
    out.sort_unstable();
    out.dedup();
    Some(out)
}

fn cohort_list(
    n: &Node,
    cohorts: Option<&[Cohort]>,
    ctx: &Ctx,
    diags: &mut Diagnostics,
) -> Option<Vec<String>> {
    let Value::Seq(items) = &n.value else {
        diags.push(ctx.diag(
            Code::WrongType,
            n.pos,
            "cohorts must be a list of cohort ids, such as [so-ban-nganh]",
        ));
        return None;
    };
    let mut out = Vec::new();
    for item in items {
        let c = text_field(item, "a cohort", ctx, diags)?;
        if let Some(known) = cohorts {
            if !known.iter().any(|k| k.id == c) {
                diags.push(ctx.diag(
                    Code::UnknownCohort,
                    item.pos,
                    format!(
                        "no cohort `{c}` in data/agencies.yaml{}",
                        suggest(&c, known.iter().map(|k| k.id.as_str()))
                    ),
                ));
                continue;
            }
        }
        out.push(c);
    }
    Some(out)
}

impl Walk<'_> {
    fn id(&mut self, fields: &Fields, what: &str, diags: &mut Diagnostics) -> Option<String> {
        let n = fields.require("id", what, &self.ctx, diags)?;
        let id = text_field(n, "id", &self.ctx, diags)?;
        if !is_criterion_id(&id) {
            diags.push(self.ctx.diag(
                Code::InvalidRubric,
                n.pos,
                format!(
                    "criterion id `{id}` is malformed; use the numbering of the rubric document with dots, such as I.3.1 or II.1.7.a"
                ),
            ));
            return None;
        }
        if !self.ids.insert(id.clone()) {
            diags.push(self.ctx.diag(
                Code::InvalidRubric,
                n.pos,
                format!("criterion id `{id}` appears twice in the rubric; give each criterion its own id"),
            ));
            return None;
        }
        Some(id)
    }
}

fn section(n: &Node, w: &mut Walk, diags: &mut Diagnostics) -> Option<Section> {
    let f = Fields::of(n, "a section", SECTION_FIELDS, &w.ctx, diags)?;
    let id = w.id(&f, "a section", diags);
    let name = f
        .require("name", "a section", &w.ctx, diags)
        .and_then(|n| label(n, "the section name", w.lang, &w.ctx, diags));
    let max_node = f.require("max", "a section", &w.ctx, diags);
    let max = max_node.and_then(|n| q_field(n, "the section max", &w.ctx, diags));
    let children = f
        .require("criteria", "a section", &w.ctx, diags)
        .and_then(|n| criteria(n, w, diags));
    let (id, name, max, children, max_node) = (id?, name?, max?, children?, max_node?);
    check_sum(&id, "section", max, &children, max_node.pos, w, diags);
    Some(Section {
        id,
        name,
        max,
        criteria: children,
    })
}

fn check_sum(
    id: &str,
    what: &str,
    max: Q,
    children: &[Criterion],
    pos: Pos,
    w: &Walk,
    diags: &mut Diagnostics,
) {
    let sum = sum_of(children.iter().map(|c| c.max));
    if sum != Some(max) {
        diags.push(w.ctx.diag(
            Code::InvalidRubric,
            pos,
            format!(
                "{what} {id} has max {max} but its criteria add up to {} ({}); fix the max or the criteria",
                sum.map(|s| s.to_string()).unwrap_or_default(),
                children
                    .iter()
                    .map(|c| format!("{} {}", c.id, c.max))
                    .collect::<Vec<_>>()
                    .join(" + ")
            ),
        ));
    }
}

/// A list of criteria; `None` when any of them could not be read, so that
/// no sum is checked on a part.
fn criteria(n: &Node, w: &mut Walk, diags: &mut Diagnostics) -> Option<Vec<Criterion>> {
    let Value::Seq(items) = &n.value else {
        diags.push(w.ctx.diag(
            Code::WrongType,
            n.pos,
            "criteria must be a list of `- id: …` criteria",
        ));
        return None;
    };
    let mut out = Vec::new();
    let mut ok = true;
    for item in items {
        match criterion(item, w, diags) {
            Some(c) => out.push(c),
            None => ok = false,
        }
    }
    if out.is_empty() && ok {
        diags.push(w.ctx.diag(
            Code::InvalidRubric,
            n.pos,
            "a list of criteria cannot be empty",
        ));
        return None;
    }
    ok.then_some(out)
}

fn criterion(n: &Node, w: &mut Walk, diags: &mut Diagnostics) -> Option<Criterion> {
    let f = Fields::of(n, "a criterion", CRITERION_FIELDS, &w.ctx, diags)?;
    let id = w.id(&f, "a criterion", diags);
    let name = f
        .require("name", "a criterion", &w.ctx, diags)
        .and_then(|n| label(n, "the criterion name", w.lang, &w.ctx, diags));
    let max_node = f.get("max");
    let max = max_node.and_then(|n| q_field(n, "the criterion max", &w.ctx, diags));
    let shown = id.clone().unwrap_or_default();
    match (f.get("rule"), f.get("criteria")) {
        (Some(_), Some(c)) => {
            diags.push(w.ctx.diag(
                Code::InvalidRubric,
                c.pos,
                format!("criterion {shown} has both a rule and criteria; a leaf has a rule, a group has criteria"),
            ));
            None
        }
        (None, None) => {
            diags.push(w.ctx.diag(
                Code::InvalidRubric,
                n.pos,
                format!("criterion {shown} has neither a rule nor criteria; give it `max` and `rule` (or `criteria` for a group)"),
            ));
            None
        }
        (None, Some(c)) => {
            let children = criteria(c, w, diags);
            let (id, name, children) = (id?, name?, children?);
            let sum = sum_of(children.iter().map(|c| c.max))?;
            if let (Some(m), Some(node)) = (max, max_node) {
                check_sum(&id, "group", m, &children, node.pos, w, diags);
            }
            Some(Criterion {
                id,
                name,
                max: max.unwrap_or(sum),
                body: Body::Group(children),
            })
        }
        (Some(r), None) => {
            if max_node.is_none() {
                diags.push(w.ctx.diag(
                    Code::MissingField,
                    n.pos,
                    format!(
                        "criterion {shown} has a rule but no `max`; add the points it is worth"
                    ),
                ));
            }
            let rule = rule(r, max, &shown, w, diags);
            let (id, name, max, rule) = (id?, name?, max?, rule?);
            Some(Criterion {
                id,
                name,
                max,
                body: Body::Leaf(rule),
            })
        }
    }
}

/// What a rule needs of its figure.
#[derive(Clone, Copy, PartialEq)]
enum Need {
    Rate,
    RateOrNumber,
    Flag,
    Count,
}

fn rule(n: &Node, max: Option<Q>, cid: &str, w: &Walk, diags: &mut Diagnostics) -> Option<Rule> {
    let ctx = &w.ctx;
    let Value::Map(entries) = &n.value else {
        diags.push(ctx.diag(
            Code::InvalidRubric,
            n.pos,
            format!(
                "the rule of {cid} must be a map with one of {}",
                RULE_KEYS.join(", ")
            ),
        ));
        return None;
    };
    let mut keys = Vec::new();
    let mut wnd_node = None;
    for (k, v) in entries {
        if RULE_KEYS.contains(&k.name.as_str()) {
            keys.push((k, v));
        } else if k.name == "when_no_denominator" {
            wnd_node = Some(v);
        } else {
            diags.push(ctx.diag(
                Code::InvalidRubric,
                k.pos,
                format!(
                    "the rule of {cid} has an unknown key `{}`{}; a rule is one of {}",
                    k.name,
                    suggest(&k.name, RULE_KEYS.iter().copied()),
                    RULE_KEYS.join(", ")
                ),
            ));
            return None;
        }
    }
    let (k, v) = match keys.as_slice() {
        [one] => *one,
        [] => {
            diags.push(ctx.diag(
                Code::InvalidRubric,
                n.pos,
                format!(
                    "the rule of {cid} has no rule key; write one of {}",
                    RULE_KEYS.join(", ")
                ),
            ));
            return None;
        }
        [_, (k2, _), ..] => {
            diags.push(ctx.diag(
                Code::InvalidRubric,
                k2.pos,
                format!(
                    "the rule of {cid} has two rule keys ({}); keep exactly one",
                    keys.iter().map(|(k, _)| k.name.as_str()).collect::<Vec<_>>().join(", ")
                ),
            ));
            return None;
        }
    };
    let (kind, figure, need, inner_wnd) = match k.name.as_str() {
        "proportional" => (
            RuleKind::Proportional,
            figure_id(v, cid, ctx, diags)?,
            Need::Rate,
            None,
        ),
        "yes_no" => (
            RuleKind::YesNo,
            figure_id(v, cid, ctx, diags)?,
            Need::Flag,
            None,
        ),
        "judged" => {
            if v.value != Value::Bool(true) {
                diags.push(ctx.diag(
                    Code::InvalidRubric,
                    v.pos,
                    format!(
                        "the rule of {cid}: write `judged: true` for a criterion scored by people"
                    ),
                ));
                return None;
            }
            if let Some(wn) = wnd_node {
                diags.push(ctx.diag(
                    Code::InvalidRubric,
                    wn.pos,
                    format!(
                        "the rule of {cid} is judged: it has no figure, so no when_no_denominator"
                    ),
                ));
                return None;
            }
            return Some(Rule {
                kind: RuleKind::Judged,
                figure: String::new(),
                on_rate: false,
                when_no_denominator: None,
            });
        }
        "per_item" | "deduct" => {
            let f = Fields::of(
                v,
                &format!("the {} rule of {cid}", k.name),
                &["of", "points"],
                ctx,
                diags,
            )?;
            let of = f
                .require("of", &format!("the {} rule of {cid}", k.name), ctx, diags)
                .and_then(|n| figure_id(n, cid, ctx, diags));
            let pts = f
                .require(
                    "points",
                    &format!("the {} rule of {cid}", k.name),
                    ctx,
                    diags,
                )
                .and_then(|n| q_field(n, "points", ctx, diags));
            let (of, pts) = (of?, pts?);
            let kind = if k.name == "per_item" {
                RuleKind::PerItem(pts)
            } else {
                RuleKind::Deduct(pts)
            };
            (kind, of, Need::Count, None)
        }
        _ => {
            // tiers
            let what = format!("the tiers rule of {cid}");
            let f = Fields::of(
                v,
                &what,
                &["of", "steps", "when_no_denominator"],
                ctx,
                diags,
            )?;
            let of = f
                .require("of", &what, ctx, diags)
                .and_then(|n| figure_id(n, cid, ctx, diags));
            let steps = f
                .require("steps", &what, ctx, diags)
                .and_then(|n| steps(n, max, cid, ctx, diags));
            (
                RuleKind::Tiers(steps?),
                of?,
                Need::RateOrNumber,
                f.get("when_no_denominator"),
            )
        }
    };
    let on_rate = check_figure(&figure, need, k.name.as_str(), v, cid, w, diags)?;
    let wnd_node = wnd_node.or(inner_wnd);
    let when_no_denominator = match wnd_node {
        None => None,
        Some(wn) => {
            if !on_rate {
                diags.push(ctx.diag(
                    Code::InvalidRubric,
                    wn.pos,
                    format!("when_no_denominator of {cid}: `{figure}` is not a rate, so it has no denominator; remove when_no_denominator"),
                ));
                return None;
            }
            let p = points(wn, cid, ctx, diags)?;
            match p {
                Points::Fixed(_) | Points::Max => {}
                _ => {
                    diags.push(ctx.diag(
                        Code::InvalidRubric,
                        wn.pos,
                        format!("when_no_denominator of {cid} must be a number or `max`"),
                    ));
                    return None;
                }
            }
            exceeds(&p, max, cid, wn.pos, ctx, diags);
            Some(p)
        }
    };
    Some(Rule {
        kind,
        figure,
        on_rate,
        when_no_denominator,
    })
}

fn figure_id(n: &Node, cid: &str, ctx: &Ctx, diags: &mut Diagnostics) -> Option<String> {
    match &n.value {
        Value::Str(s) => Some(s.clone()),
        _ => {
            diags.push(ctx.diag(
                Code::WrongType,
                n.pos,
                format!(
                    "the rule of {cid} names its figure by a rate or indicator id, found {}",
                    n.shown()
                ),
            ));
            None
        }
    }
}

/// Whether the figure is known and of the kind the rule needs; `Some(true)`
/// for a rate, `Some(false)` for an indicator.
fn check_figure(
    figure: &str,
    need: Need,
    rule: &str,
    at: &Node,
    cid: &str,
    w: &Walk,
    diags: &mut Diagnostics,
) -> Option<bool> {
    let ctx = &w.ctx;
    let pos = match &at.value {
        Value::Map(m) => m
            .iter()
            .find(|(k, _)| k.name == "of")
            .map(|(_, v)| v.pos)
            .unwrap_or(at.pos),
        _ => at.pos,
    };
    let wrong = |found: &str, diags: &mut Diagnostics| {
        let wants = match need {
            Need::Rate => "a rate",
            Need::RateOrNumber => "a rate or a count, number or money indicator",
            Need::Flag => "a flag indicator",
            Need::Count => "a count indicator",
        };
        diags.push(
            ctx.diag(
                Code::WrongType,
                pos,
                format!("the {rule} rule of {cid} needs {wants}, but `{figure}` is {found}; pick a figure of that kind or another rule"),
            )
            .indicator(figure),
        );
    };
    if w.cat.rate(figure).is_some() {
        return match need {
            Need::Rate | Need::RateOrNumber => Some(true),
            _ => {
                wrong("a rate", diags);
                None
            }
        };
    }
    let Some(ind) = w.cat.indicator(figure) else {
        let candidates = w
            .cat
            .rates
            .iter()
            .map(|r| r.id.as_str())
            .chain(w.cat.indicators.iter().map(|i| i.id.as_str()));
        diags.push(
            ctx.diag(
                Code::UnknownIndicator,
                pos,
                format!(
                    "the rule of {cid} names `{figure}`, which is no rate or indicator of the catalogue{}; check the spelling or define it in data/indicators.yaml",
                    suggest(figure, candidates)
                ),
            )
            .indicator(figure),
        );
        return None;
    };
    let ok = match need {
        Need::Rate => false,
        Need::RateOrNumber => ind.kind.is_numeric(),
        Need::Flag => ind.kind == Kind::Flag,
        Need::Count => ind.kind == Kind::Count,
    };
    if !ok {
        wrong(&format!("a {} indicator", ind.kind.as_str()), diags);
        return None;
    }
    Some(false)
}

fn points(n: &Node, cid: &str, ctx: &Ctx, diags: &mut Diagnostics) -> Option<Points> {
    match &n.value {
        Value::Str(s) if s == "max" => Some(Points::Max),
        Value::Str(s) if s == "proportional" => Some(Points::Proportional),
        Value::Int(_) | Value::Float(_) => {
            let q = q_field(n, "points", ctx, diags)?;
            if q < Q::ZERO {
                diags.push(ctx.diag(
                    Code::InvalidRubric,
                    n.pos,
                    format!("points of {cid} cannot be below 0"),
                ));
                return None;
            }
            Some(Points::Fixed(q))
        }
        Value::Map(_) => {
            let f = Fields::of(n, "points", &["scaled_to"], ctx, diags)?;
            let s = f.require("scaled_to", "points", ctx, diags)?;
            let q = q_field(s, "scaled_to", ctx, diags)?;
            if q <= Q::ZERO {
                diags.push(ctx.diag(
                    Code::InvalidRubric,
                    s.pos,
                    format!("scaled_to of {cid} must be above 0"),
                ));
                return None;
            }
            Some(Points::ScaledTo(q))
        }
        _ => {
            diags.push(ctx.diag(
                Code::InvalidRubric,
                n.pos,
                format!(
                    "points of {cid} must be a number, `max`, `proportional` or {{scaled_to: S}}, found {}",
                    n.shown()
                ),
            ));
            None
        }
    }
}

fn exceeds(p: &Points, max: Option<Q>, cid: &str, pos: Pos, ctx: &Ctx, diags: &mut Diagnostics) {
    if let (Points::Fixed(q), Some(m)) = (p, max) {
        if *q > m {
            diags.push(
                ctx.diag(
                    Code::RubricStepExceedsMax,
                    pos,
                    format!("{cid}: this step gives {q} points, more than the criterion's max of {m}; the points are capped at {m} (check the rubric document)"),
                )
                .indicator(cid),
            );
        }
    }
}

fn steps(
    n: &Node,
    max: Option<Q>,
    cid: &str,
    ctx: &Ctx,
    diags: &mut Diagnostics,
) -> Option<Vec<Step>> {
    let Value::Seq(items) = &n.value else {
        diags.push(ctx.diag(
            Code::WrongType,
            n.pos,
            format!("the steps of {cid} must be a list of {{from: T, points: P}}"),
        ));
        return None;
    };
    if items.is_empty() {
        diags.push(ctx.diag(
            Code::InvalidRubric,
            n.pos,
            format!("the steps of {cid} are empty"),
        ));
        return None;
    }
    let mut out: Vec<Step> = Vec::new();
    for item in items {
        let f = Fields::of(item, "a step", &["from", "points"], ctx, diags)?;
        let from_node = f.require("from", "a step", ctx, diags)?;
        let from = q_field(from_node, "from", ctx, diags)?;
        let p_node = f.require("points", "a step", ctx, diags)?;
        let p = points(p_node, cid, ctx, diags)?;
        if let Some(prev) = out.last() {
            if from >= prev.from {
                diags.push(ctx.diag(
                    Code::InvalidRubric,
                    from_node.pos,
                    format!(
                        "the steps of {cid} must go from the highest `from` down, strictly: {from} comes after {}",
                        prev.from
                    ),
                ));
                return None;
            }
        }
        exceeds(&p, max, cid, p_node.pos, ctx, diags);
        out.push(Step { from, points: p });
    }
    Some(out)
}

/// Two rubrics that both score some (year, cohort): an error on the later.
pub(super) fn overlaps(parsed: &[Parsed], cohorts: &[Cohort], diags: &mut Diagnostics) {
    for (i, b) in parsed.iter().enumerate() {
        for a in &parsed[..i] {
            let clash = a.rubric.years.iter().find_map(|y| {
                cohorts
                    .iter()
                    .find(|c| a.rubric.scores(*y, &c.id) && b.rubric.scores(*y, &c.id))
                    .map(|c| (*y, c.id.clone()))
                    .or_else(|| {
                        // Without a registry, two rubrics for every cohort clash.
                        (cohorts.is_empty()
                            && b.rubric.years.contains(y)
                            && a.rubric.cohorts.is_none()
                            && b.rubric.cohorts.is_none())
                        .then(|| (*y, "*".to_string()))
                    })
            });
            if let Some((year, cohort)) = clash {
                diags.push(Ctx::new(&b.rubric.file).diag(
                    Code::InvalidRubric,
                    b.years_pos,
                    format!(
                        "two rubrics score {year} for cohort {cohort}: {} and {}; at most one rubric per year and cohort (narrow `years` or `cohorts`)",
                        a.rubric.file, b.rubric.file
                    ),
                ));
            }
        }
    }
}
