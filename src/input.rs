//! The validated input of a build: plain data, every id checked, every value
//! typed. Produced by `validate`, read by `model` and `render`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diag::Code;
use crate::format::Date;
use crate::yaml::Pos;

pub mod rubric;
pub use rubric::{Assessed, Rubric};

/// A label that may be translated: language code → text. A plain string in
/// the data is stored under the site's default language.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Text(pub BTreeMap<String, String>);

impl Text {
    pub fn plain(lang: &str, s: impl Into<String>) -> Text {
        let mut m = BTreeMap::new();
        m.insert(lang.to_string(), s.into());
        Text(m)
    }

    /// The text in `lang`, else in `fallback`, else in any language.
    pub fn get<'a>(&'a self, lang: &str, fallback: &str) -> &'a str {
        self.0
            .get(lang)
            .or_else(|| self.0.get(fallback))
            .or_else(|| self.0.values().next())
            .map(String::as_str)
            .unwrap_or("")
    }

    /// Whether `lang` has its own text (not a fallback).
    pub fn has(&self, lang: &str) -> bool {
        self.0.contains_key(lang)
    }

    pub fn is_empty(&self) -> bool {
        self.0.values().all(|s| s.trim().is_empty())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Publisher {
    pub name: Text,
    pub url: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteConfig {
    pub title: Text,
    /// Always ends with `/`.
    pub base_url: String,
    pub language: String,
    /// The default language first.
    pub languages: Vec<String>,
    pub description: Option<Text>,
    pub publisher: Publisher,
    pub license: String,
    pub theme: String,
    pub years: Option<Vec<i32>>,
    /// Paths inside the output that every build carries over (`keep:`).
    #[serde(skip)]
    pub keep: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cohort {
    pub id: String,
    pub name: Text,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agency {
    pub id: String,
    pub name: Text,
    pub short: Option<String>,
    pub cohort: String,
    pub province: Option<String>,
    pub website: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Count,
    Number,
    Percent,
    MoneyVnd,
    Flag,
    Text,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "count" => Kind::Count,
            "number" => Kind::Number,
            "percent" => Kind::Percent,
            "money_vnd" => Kind::MoneyVnd,
            "flag" => Kind::Flag,
            "text" => Kind::Text,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Count => "count",
            Kind::Number => "number",
            Kind::Percent => "percent",
            Kind::MoneyVnd => "money_vnd",
            Kind::Flag => "flag",
            Kind::Text => "text",
        }
    }

    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            Kind::Count | Kind::Number | Kind::Percent | Kind::MoneyVnd
        )
    }

    /// The unit written in open data when the catalogue gives none.
    pub fn default_unit(self) -> &'static str {
        match self {
            Kind::Count => "count",
            Kind::Number => "",
            Kind::Percent => "percent",
            Kind::MoneyVnd => "VND",
            Kind::Flag => "boolean",
            Kind::Text => "",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub id: String,
    pub name: Text,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    pub id: String,
    pub kind: Kind,
    pub group: String,
    pub name: Text,
    pub unit: String,
    pub unit_label: Option<Text>,
    pub at_most: Option<String>,
    pub parts: Vec<String>,
    /// From the built-in catalogue (true) or the site's indicators.yaml.
    pub core: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rate {
    pub id: String,
    pub numerator: String,
    pub denominator: String,
    pub headline: bool,
    pub name: Text,
    pub core: bool,
}

/// Core catalogue extended by the site's: display order is catalogue order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Catalog {
    pub groups: Vec<Group>,
    pub indicators: Vec<Indicator>,
    pub rates: Vec<Rate>,
}

impl Catalog {
    /// The rates marked `headline`, in catalogue order.
    pub fn headline_rates(&self) -> impl Iterator<Item = &Rate> {
        self.headline_rates_indexed().map(|(_, r)| r)
    }

    /// [`Catalog::headline_rates`] with their places in `rates` (the
    /// places of their values in each entry's rates).
    pub fn headline_rates_indexed(&self) -> impl Iterator<Item = (usize, &Rate)> {
        self.rates.iter().enumerate().filter(|(_, r)| r.headline)
    }

    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }

    pub fn rate(&self, id: &str) -> Option<&Rate> {
        self.rates.iter().find(|r| r.id == id)
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }
}

/// A number that stays exact when it was written as an integer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    pub fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }

    pub fn as_int(self) -> Option<i64> {
        match self {
            Num::Int(i) => Some(i),
            Num::Float(_) => None,
        }
    }

    /// The shortest plain machine form: `496`, `92.5`.
    pub fn plain(self) -> String {
        match self {
            Num::Int(i) => i.to_string(),
            Num::Float(f) => crate::format::plain(f),
        }
    }

    /// Exact comparison for integers, float comparison otherwise.
    pub fn gt(self, other: Num) -> bool {
        match (self, other) {
            (Num::Int(a), Num::Int(b)) => a > b,
            (a, b) => a.as_f64() > b.as_f64(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Val {
    Num(Num),
    Flag(bool),
    Text(String),
}

impl Val {
    pub fn num(&self) -> Option<Num> {
        match self {
            Val::Num(n) => Some(*n),
            _ => None,
        }
    }

    /// The machine form written in open data.
    pub fn plain(&self) -> String {
        match self {
            Val::Num(n) => n.plain(),
            Val::Flag(b) => b.to_string(),
            Val::Text(s) => s.clone(),
        }
    }
}

/// A data-quality warning attached to a reported value, shown to readers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QualityFlag {
    pub code: Code,
    /// The indicator that is too large (exceeds-total) or the total whose
    /// parts do not add up (parts-mismatch).
    pub indicator: String,
    /// The other indicators involved: the total, or the parts.
    pub related: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    /// `None` when written as `null`: not reported, though a note may say why.
    pub value: Option<Val>,
    pub evidence: Option<String>,
    pub note: Option<String>,
    #[serde(skip)]
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    pub title: Option<String>,
    pub reference: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub value: Num,
    pub max: Option<Num>,
    pub self_assessed: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfficialRank {
    pub position: u32,
    pub of: u32,
    pub decision: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub agency: String,
    pub year: i32,
    /// Relative to the site root, `/`-separated.
    pub file: String,
    pub period: Option<(Date, Date)>,
    pub source: Option<Source>,
    pub score: Option<Score>,
    pub rank: Option<OfficialRank>,
    /// Indicator id → observation.
    pub values: BTreeMap<String, Observation>,
    /// Self-assessed points per leaf criterion of its rubric (RUBRICS.md).
    pub criteria: BTreeMap<String, Assessed>,
    pub notes: Option<String>,
    pub flags: Vec<QualityFlag>,
}

impl Report {
    /// A reported (non-null) value.
    pub fn value(&self, indicator: &str) -> Option<&Val> {
        self.values.get(indicator).and_then(|o| o.value.as_ref())
    }

    /// Whether a data-quality flag of the report names the indicator.
    pub fn flags_indicator(&self, indicator: &str) -> bool {
        self.flags.iter().any(|f| f.indicator == indicator)
    }
}

/// A Markdown page of `content/`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    /// Relative to the site root.
    pub file: String,
    /// URL path below the language root, without slashes at the ends: `gioi-thieu`, `huong-dan/nop-ho-so`.
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    pub weight: i64,
    /// Only built in this language when given.
    pub lang: Option<String>,
    pub draft: bool,
    pub body: String,
}

/// Everything a build needs, validated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Input {
    pub site: SiteConfig,
    pub cohorts: Vec<Cohort>,
    pub agencies: Vec<Agency>,
    pub catalog: Catalog,
    /// Sorted by year, then agency.
    pub reports: Vec<Report>,
    /// Sorted by slug.
    pub pages: Vec<Page>,
    /// Scoring rubrics, sorted by id.
    pub rubrics: Vec<Rubric>,
}
