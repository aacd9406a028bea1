//! Rubric scoring (RUBRICS.md section 4): every leaf criterion's rule
//! applied to a report's figures with exact arithmetic, its status against
//! the self-assessment, and the totals. Pure: rubric, report and catalogue
//! in, [`ReportScore`] out. A figure that is not reported never becomes 0.

pub mod words;

use serde::Serialize;

use crate::exact::Q;
use crate::input::rubric::{LeafRef, Points, Rule, RuleKind};
use crate::input::{Catalog, Num, Report, Rubric, Val};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Match,
    Differs,
    Judged,
    NotRecomputable,
    NotAssessed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Match => "match",
            Status::Differs => "differs",
            Status::Judged => "judged",
            Status::NotRecomputable => "not_recomputable",
            Status::NotAssessed => "not_assessed",
        }
    }
}

/// The figure a rule was applied to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureUsed {
    /// A rate from its exact sides; `percent` is `None` when the
    /// denominator is 0.
    Rate {
        numerator: String,
        denominator: String,
        num: i64,
        den: i64,
        percent: Option<Q>,
    },
    Number(Q),
    Flag(bool),
}

/// Which branch of the rule gave the points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Applied {
    /// The rule itself (proportional, yes/no, per item, deduct).
    Rule,
    /// The step at this index of the tiers.
    Step(usize),
    /// Below the lowest step: 0.
    Below,
    /// The rate's denominator is 0: `when_no_denominator`.
    NoDenominator,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeafScore {
    pub id: String,
    pub parent: String,
    pub section: String,
    pub max: Q,
    pub self_assessed: Option<Q>,
    pub recomputed: Option<Q>,
    pub status: Status,
    pub figure: Option<FigureUsed>,
    pub applied: Option<Applied>,
}

impl LeafScore {
    /// Recomputed where present, else self-assessed, else 0.
    pub fn audited(&self) -> Q {
        self.recomputed.or(self.self_assessed).unwrap_or(Q::ZERO)
    }
}

/// One report scored against its rubric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportScore {
    pub rubric: String,
    pub leaves: Vec<LeafScore>,
    /// Sum of the self-assessed points given.
    pub self_total: Q,
    pub audited_total: Q,
    pub max: Q,
    /// Leaves with status `differs`.
    pub differing: usize,
    /// Whether the report gives every leaf criterion.
    pub complete: bool,
}

/// Tolerance of `match`: equal within 0.005.
pub fn tolerance() -> Q {
    Q::ratio(5, 1000).unwrap_or(Q::ZERO)
}

/// The rubric that scores a report of `year` by an agency of `cohort`.
pub fn rubric_for<'a>(rubrics: &'a [Rubric], year: i32, cohort: &str) -> Option<&'a Rubric> {
    rubrics.iter().find(|r| r.scores(year, cohort))
}

pub fn score(rubric: &Rubric, report: &Report, cat: &Catalog) -> ReportScore {
    let leaves: Vec<LeafScore> = rubric
        .leaves()
        .into_iter()
        .map(|l| leaf(l, report, cat))
        .collect();
    let sum = |f: &dyn Fn(&LeafScore) -> Option<Q>| {
        leaves
            .iter()
            .filter_map(f)
            .fold(Q::ZERO, |a, q| a.q_add(q).unwrap_or(a))
    };
    ReportScore {
        rubric: rubric.id.clone(),
        self_total: sum(&|l| l.self_assessed),
        audited_total: sum(&|l| Some(l.audited())),
        max: rubric.max,
        differing: leaves
            .iter()
            .filter(|l| l.status == Status::Differs)
            .count(),
        complete: leaves.iter().all(|l| l.self_assessed.is_some()),
        leaves,
    }
}

fn leaf(l: LeafRef, report: &Report, cat: &Catalog) -> LeafScore {
    let max = l.criterion.max;
    let self_assessed = report.criteria.get(&l.criterion.id).map(|a| a.value);
    let (figure, computed) = recompute(l.rule, max, report, cat);
    let (recomputed, applied) = match computed {
        Some((q, a)) => (Some(q), Some(a)),
        None => (None, None),
    };
    let status = match (&l.rule.kind, self_assessed, recomputed) {
        (RuleKind::Judged, _, _) => Status::Judged,
        (_, _, None) => Status::NotRecomputable,
        (_, None, Some(_)) => Status::NotAssessed,
        (_, Some(s), Some(r)) if s.close_to(r, tolerance()) => Status::Match,
        _ => Status::Differs,
    };
    LeafScore {
        id: l.criterion.id.clone(),
        parent: l.parent.to_string(),
        section: l.section.id.clone(),
        max,
        self_assessed,
        recomputed,
        status,
        figure,
        applied,
    }
}

/// The figure of a rule in a report, or `None` when not reported.
pub fn figure(rule: &Rule, report: &Report, cat: &Catalog) -> Option<FigureUsed> {
    if rule.on_rate {
        let r = cat.rate(&rule.figure)?;
        let side = |id: &str| match report.value(id) {
            Some(Val::Num(Num::Int(i))) => Some(*i),
            _ => None,
        };
        let (num, den) = (side(&r.numerator)?, side(&r.denominator)?);
        let percent = Q::ratio(i128::from(num) * 100, i128::from(den));
        return Some(FigureUsed::Rate {
            numerator: r.numerator.clone(),
            denominator: r.denominator.clone(),
            num,
            den,
            percent,
        });
    }
    match report.value(&rule.figure)? {
        Val::Num(n) => Q::of_num(*n).map(FigureUsed::Number),
        Val::Flag(b) => Some(FigureUsed::Flag(*b)),
        Val::Text(_) => None,
    }
}

fn points_of(p: &Points, max: Q, value: Q) -> Option<Q> {
    let hundred = Q::int(100);
    match p {
        Points::Fixed(q) => Some(*q),
        Points::Max => Some(max),
        Points::Proportional => max.q_mul(value.min(hundred))?.q_div(hundred),
        Points::ScaledTo(s) => max.q_mul(value.q_div(*s)?.min(Q::int(1))),
    }
}

/// The rule applied: the figure used and, when recomputable, the points
/// (capped at `max`, at least 0, rounded half away from zero to two
/// decimals) with the branch that gave them.
pub fn recompute(
    rule: &Rule,
    max: Q,
    report: &Report,
    cat: &Catalog,
) -> (Option<FigureUsed>, Option<(Q, Applied)>) {
    if rule.kind == RuleKind::Judged {
        return (None, None);
    }
    let Some(fig) = figure(rule, report, cat) else {
        return (None, None);
    };
    let value = match &fig {
        FigureUsed::Rate { percent: None, .. } => {
            let pts = rule
                .when_no_denominator
                .as_ref()
                .and_then(|p| points_of(p, max, Q::ZERO));
            let out = pts
                .and_then(|p| finish(p, max))
                .map(|p| (p, Applied::NoDenominator));
            return (Some(fig), out);
        }
        FigureUsed::Rate {
            percent: Some(p), ..
        } => Some(*p),
        FigureUsed::Number(q) => Some(*q),
        FigureUsed::Flag(_) => None,
    };
    let raw: Option<(Q, Applied)> = match (&rule.kind, value, &fig) {
        (RuleKind::Proportional, Some(p), _) => {
            points_of(&Points::Proportional, max, p).map(|q| (q, Applied::Rule))
        }
        (RuleKind::Tiers(steps), Some(v), _) => match steps.iter().position(|s| s.from <= v) {
            Some(i) => points_of(&steps[i].points, max, v).map(|q| (q, Applied::Step(i))),
            None => Some((Q::ZERO, Applied::Below)),
        },
        (RuleKind::YesNo, _, FigureUsed::Flag(b)) => {
            Some((if *b { max } else { Q::ZERO }, Applied::Rule))
        }
        (RuleKind::PerItem(n), Some(c), _) => c.q_mul(*n).map(|q| (q.min(max), Applied::Rule)),
        (RuleKind::Deduct(n), Some(c), _) => c
            .q_mul(*n)
            .and_then(|d| max.q_sub(d))
            .map(|q| (q.max(Q::ZERO), Applied::Rule)),
        _ => None,
    };
    let out = raw.and_then(|(q, a)| finish(q, max).map(|q| (q, a)));
    (Some(fig), out)
}

fn finish(points: Q, max: Q) -> Option<Q> {
    points.min(max).max(Q::ZERO).round(2)
}
