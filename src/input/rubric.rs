//! Scoring rubrics (RUBRICS.md): sections, criteria with a maximum and a
//! rule that turns a figure into points, and the points an agency gave
//! itself per criterion.

use serde::Serialize;

use super::Text;
use crate::exact::Q;
use crate::yaml::Pos;

/// `data/rubrics/<id>.yaml`, validated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rubric {
    pub id: String,
    /// Relative to the site root.
    pub file: String,
    pub name: Text,
    pub years: Vec<i32>,
    /// `None`: every cohort.
    pub cohorts: Option<Vec<String>>,
    pub source: Option<String>,
    pub max: Q,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub id: String,
    pub name: Text,
    pub max: Q,
    pub criteria: Vec<Criterion>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Criterion {
    pub id: String,
    pub name: Text,
    /// Always given for a leaf; the sum of the children for a group.
    pub max: Q,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Body {
    Leaf(Rule),
    Group(Vec<Criterion>),
}

/// Points given by a step or by `when_no_denominator`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Points {
    Fixed(Q),
    Max,
    /// `max × min(p, 100) / 100`.
    Proportional,
    /// `max × min(p / S, 1)`.
    ScaledTo(Q),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub from: Q,
    pub points: Points,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    Proportional,
    Tiers(Vec<Step>),
    YesNo,
    PerItem(Q),
    Deduct(Q),
    Judged,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    pub kind: RuleKind,
    /// The rate or indicator id; empty for `judged`.
    pub figure: String,
    /// Whether `figure` is a rate (else an indicator).
    pub on_rate: bool,
    pub when_no_denominator: Option<Points>,
}

/// One leaf with where it sits: for walking a rubric in order.
#[derive(Debug, Clone, Copy)]
pub struct LeafRef<'a> {
    pub section: &'a Section,
    pub criterion: &'a Criterion,
    pub rule: &'a Rule,
    /// The id of the group or section it belongs to.
    pub parent: &'a str,
}

impl Rubric {
    /// Whether this rubric scores a report of `year` by an agency of `cohort`.
    pub fn scores(&self, year: i32, cohort: &str) -> bool {
        self.years.contains(&year)
            && self
                .cohorts
                .as_ref()
                .is_none_or(|cs| cs.iter().any(|c| c == cohort))
    }

    /// Every leaf criterion in rubric order.
    pub fn leaves(&self) -> Vec<LeafRef<'_>> {
        fn walk<'a>(
            section: &'a Section,
            parent: &'a str,
            cs: &'a [Criterion],
            out: &mut Vec<LeafRef<'a>>,
        ) {
            for c in cs {
                match &c.body {
                    Body::Leaf(rule) => out.push(LeafRef {
                        section,
                        criterion: c,
                        rule,
                        parent,
                    }),
                    Body::Group(children) => walk(section, &c.id, children, out),
                }
            }
        }
        let mut out = Vec::new();
        for s in &self.sections {
            walk(s, &s.id, &s.criteria, &mut out);
        }
        out
    }

    pub fn leaf(&self, id: &str) -> Option<LeafRef<'_>> {
        self.leaves().into_iter().find(|l| l.criterion.id == id)
    }
}

/// Self-assessed points of one leaf criterion in a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessed {
    pub value: Q,
    pub evidence: Option<String>,
    pub note: Option<String>,
    /// Where the criterion id is written.
    #[serde(skip)]
    pub pos: Pos,
}
