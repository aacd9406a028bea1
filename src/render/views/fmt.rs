//! The formatting context of one page: figures, labels and links in its language.

use std::collections::BTreeMap;

use super::*;
use crate::diag::Code;
use crate::format::{self, Lang};
use crate::input::{Indicator, Kind, Num, Report, Text, Val};
use crate::model::{Entry, Model, Percent};
use crate::render::value::{field, value, Map, Value as Json};

/// The formatting context of one page.
pub struct Fmt<'a> {
    pub model: &'a Model,
    pub lang: &'a str,
    pub l: Lang,
    pub default: &'a str,
    pub t: &'a BTreeMap<String, String>,
    /// From this page to the language root: "../../" (plus nothing) or "../../en/".
    pub root: String,
    /// From this page to the site root, where /assets and /data are.
    pub site_root: String,
}

impl<'a> Fmt<'a> {
    pub fn tr(&self, key: &str) -> String {
        self.t.get(key).cloned().unwrap_or_else(|| key.to_string())
    }

    pub fn text(&self, t: &Text) -> String {
        t.get(self.lang, self.default).to_string()
    }

    /// The language `text(t)` is written in when it is not the page's (a
    /// fallback), for a `lang` attribute; none when it is the page's.
    pub fn text_lang(&self, t: &Text) -> Option<String> {
        if t.has(self.lang) {
            None
        } else if t.has(self.default) {
            Some(self.default.to_string())
        } else {
            t.0.keys().next().cloned()
        }
    }

    /// [`Fmt::text_lang`] of an agency's name.
    pub fn agency_lang(&self, id: &str) -> Option<String> {
        self.model.agency(id).and_then(|a| self.text_lang(&a.name))
    }

    pub fn agency_name(&self, id: &str) -> String {
        self.model
            .agency(id)
            .map(|a| self.text(&a.name))
            .unwrap_or_else(|| id.to_string())
    }

    pub fn indicator_name(&self, id: &str) -> String {
        let cat = &self.model.input.catalog;
        cat.indicator(id)
            .map(|i| self.text(&i.name))
            .or_else(|| cat.rate(id).map(|r| self.text(&r.name)))
            .unwrap_or_else(|| id.to_string())
    }

    pub fn percent(&self, p: Percent) -> String {
        format::percent(p.as_f64(), self.l)
    }

    pub fn num(&self, n: Num, kind: Kind) -> String {
        match (n, kind) {
            (Num::Int(i), Kind::MoneyVnd) => format::money_vnd(i as f64, self.l),
            (n, Kind::MoneyVnd) => format::money_vnd(n.as_f64(), self.l),
            (Num::Int(i), Kind::Percent) => format!("{}%", format::integer(i128::from(i), self.l)),
            (n, Kind::Percent) => format!("{}%", format::number(n.as_f64(), 2, self.l)),
            (Num::Int(i), _) => format::integer(i128::from(i), self.l),
            (n, _) => format::number(n.as_f64(), 2, self.l),
        }
    }

    pub fn value(&self, v: &Val, kind: Kind) -> String {
        match v {
            Val::Num(n) => self.num(*n, kind),
            Val::Flag(true) => self.tr("flag_yes"),
            Val::Flag(false) => self.tr("flag_no"),
            Val::Text(s) => s.clone(),
        }
    }

    pub fn agency_href(&self, id: &str) -> String {
        format!("{}agencies/{id}/", self.root)
    }

    pub fn indicator_href(&self, id: &str) -> String {
        format!("{}indicators/{id}/", self.root)
    }

    pub fn year_href(&self, y: i32) -> String {
        format!("{}years/{y}/", self.root)
    }

    pub fn year_cohort_href(&self, y: i32, cohort: &str) -> String {
        if split_by_cohort(self.model) {
            format!("{}years/{y}/{cohort}/", self.root)
        } else {
            format!("{}years/{y}/#{cohort}", self.root)
        }
    }

    /// The median of a rate across a cohort's reports of a year.
    pub fn cohort_median(&self, year: i32, cohort: &str, rate: &str) -> (Option<f64>, usize) {
        let values: Vec<f64> = self
            .model
            .cohort_entries(year, cohort)
            .filter_map(|e| e.percent(rate))
            .map(Percent::as_f64)
            .collect();
        (crate::model::median(&values), values.len())
    }

    /// A summary row per cohort: reports and headline medians of a year.
    pub fn cohort_summaries(&self, year: i32) -> Vec<Json> {
        let model = self.model;
        let headline: Vec<&str> = model
            .input
            .catalog
            .headline_rates()
            .map(|r| r.id.as_str())
            .collect();
        model
            .input
            .cohorts
            .iter()
            .map(|c| {
                let reports = model.cohort_entries(year, &c.id).count();
                let members = model.cohort_agencies(&c.id).count();
                let medians: Vec<Json> = headline
                    .iter()
                    .map(|r| {
                        let (m, n) = self.cohort_median(year, &c.id, r);
                        match m {
                            Some(m) => value!({"text": format::percent(m, self.l), "missing": false, "detail": fill(&self.tr("count_n"), &[("n", format::integer(n as i128, self.l))])}),
                            None => value!({"text": self.tr("not_reported_short"), "missing": true, "label": self.tr("not_computable")}),
                        }
                    })
                    .collect();
                value!({
                    "id": c.id, "name": self.text(&c.name), "lang": self.text_lang(&c.name), "href": self.year_cohort_href(year, &c.id),
                    "reports": format!("{reports}/{members}"), "medians": medians,
                })
            })
            .filter(|c| field(c, "reports").and_then(Json::as_str).is_some_and(|r| !r.starts_with("0/")))
            .collect()
    }

    /// "▲8" / "▼2" / "=" with a class and words for screen readers.
    pub fn change(&self, change: Option<i64>) -> Json {
        match change {
            Some(c) if c > 0 => {
                value!({"text": format!("▲{c}"), "class": "up", "label": fill(&self.tr("rank_up"), &[("n", c.to_string())])})
            }
            Some(c) if c < 0 => {
                value!({"text": format!("▼{}", -c), "class": "down", "label": fill(&self.tr("rank_down"), &[("n", (-c).to_string())])})
            }
            Some(_) => value!({"text": "=", "class": "same", "label": self.tr("rank_same")}),
            None => Json::none(),
        }
    }

    /// The sentences readers see for the data-quality flags of a report.
    pub fn flag_sentences(&self, report: &Report) -> Vec<Json> {
        let cat = &self.model.input.catalog;
        let kind = |id: &str| cat.indicator(id).map_or(Kind::Number, |i| i.kind);
        let shown = |id: &str| {
            report
                .value(id)
                .map(|v| self.value(v, kind(id)))
                .unwrap_or_else(|| self.tr("not_reported"))
        };
        report
            .flags
            .iter()
            .map(|f| {
                let text = match f.code {
                    Code::ExceedsTotal => fill(
                        &self.tr("flag_exceeds_total"),
                        &[
                            ("indicator", self.indicator_name(&f.indicator)),
                            ("value", shown(&f.indicator)),
                            (
                                "total",
                                f.related
                                    .first()
                                    .map(|r| self.indicator_name(r))
                                    .unwrap_or_default(),
                            ),
                            (
                                "total_value",
                                f.related.first().map(|r| shown(r)).unwrap_or_default(),
                            ),
                        ],
                    ),
                    Code::PartsMismatch => {
                        let sum: f64 = f
                            .related
                            .iter()
                            .filter_map(|p| report.value(p).and_then(Val::num))
                            .map(Num::as_f64)
                            .sum();
                        fill(
                            &self.tr("flag_parts_mismatch"),
                            &[
                                ("indicator", self.indicator_name(&f.indicator)),
                                ("value", shown(&f.indicator)),
                                (
                                    "parts",
                                    f.related
                                        .iter()
                                        .map(|p| self.indicator_name(p))
                                        .collect::<Vec<_>>()
                                        .join(" + "),
                                ),
                                ("sum", format::number(sum, 2, self.l)),
                            ],
                        )
                    }
                    _ => {
                        let (v, m) = report
                            .score
                            .as_ref()
                            .map(|s| {
                                (
                                    self.num(s.value, Kind::Number),
                                    s.max.map(|m| self.num(m, Kind::Number)).unwrap_or_default(),
                                )
                            })
                            .unwrap_or_default();
                        fill(
                            &self.tr("flag_score_exceeds_max"),
                            &[("value", v), ("max", m)],
                        )
                    }
                };
                value!({"code": f.code.as_str(), "indicator": f.indicator, "text": text})
            })
            .collect()
    }

    fn flagged(report: &Report, indicator: &str) -> bool {
        report.flags.iter().any(|f| f.indicator == indicator)
    }

    /// A table cell for one indicator of one report (or its absence).
    ///
    /// Cells are the most numerous values of a site (indicators × years on
    /// each agency page, agencies × years on each indicator page), so a cell
    /// holds only the keys it needs: `flagged`, `evidence`, `note` and
    /// `detail` are left out when they are false or empty, as `missing` is
    /// in a reported cell; templates test them with `{% if %}`, which takes
    /// a missing key as false.
    pub fn value_cell(&self, report: Option<&Report>, ind: &Indicator) -> Json {
        let Some(report) = report else {
            return self.missing_cell("not_reported", None);
        };
        let Some(o) = report.values.get(&ind.id) else {
            return self.missing_cell("not_reported", None);
        };
        let Some(v) = &o.value else {
            return self.missing_cell("not_reported", o.note.as_deref());
        };
        let mut cell = Map::default();
        cell.insert("text".into(), Json::from(self.value(v, ind.kind)));
        // The plain number for sorting ("1.517" is a thousand and more in
        // Vietnamese, not one and a half).
        match v {
            Val::Num(n) => cell.insert("sort".into(), Json::from(n.as_f64().to_string())),
            Val::Flag(b) => cell.insert("sort".into(), Json::from(u8::from(*b).to_string())),
            Val::Text(_) => None,
        };
        if Self::flagged(report, &ind.id) {
            cell.insert("flagged".into(), Json::from(true));
        }
        if let Some(e) = &o.evidence {
            cell.insert("evidence".into(), Json::from(e.as_str()));
        }
        if let Some(n) = &o.note {
            cell.insert("note".into(), Json::from(n.as_str()));
        }
        Json::from_map(cell)
    }

    /// The cell of a figure that is not there: `label` says why, for
    /// screen readers; a note written with a `null` value is kept.
    fn missing_cell(&self, label: &str, note: Option<&str>) -> Json {
        let mut cell = self.missing_fields(label);
        if let Some(n) = note {
            cell.insert("note".into(), Json::from(n));
        }
        Json::from_map(cell)
    }

    /// The keys of every cell without a figure.
    fn missing_fields(&self, label: &str) -> Map {
        let mut cell = Map::default();
        cell.insert("text".into(), Json::from(self.tr("not_reported_short")));
        cell.insert("missing".into(), Json::from(true));
        cell.insert("label".into(), Json::from(self.tr(label)));
        cell
    }

    /// A table cell for one rate of one entry (the keys as in
    /// [`Fmt::value_cell`]); with `detail`, the numerator and denominator
    /// too (a large cohort's tables leave them to the agency pages).
    pub fn rate_cell(&self, entry: Option<&Entry>, rate: &str, detail: bool) -> Json {
        let rv = entry.and_then(|e| e.rate(rate));
        let Some((r, p)) = rv.and_then(|r| r.percent.map(|p| (r, p))) else {
            let mut cell = self.missing_fields("not_computable");
            cell.insert("sort".into(), Json::from(""));
            return Json::from_map(cell);
        };
        let mut cell = Map::default();
        cell.insert("text".into(), Json::from(self.percent(p)));
        cell.insert("sort".into(), Json::from(p.plain()));
        if !r.flags.is_empty() {
            cell.insert("flagged".into(), Json::from(true));
        }
        if !detail {
            return Json::from_map(cell);
        }
        let integer = |n: Option<i64>| {
            n.map(|n| format::integer(i128::from(n), self.l))
                .unwrap_or_default()
        };
        cell.insert(
            "detail".into(),
            Json::from(fill(
                &self.tr("rate_detail"),
                &[
                    ("numerator", integer(r.numerator)),
                    ("denominator", integer(r.denominator)),
                ],
            )),
        );
        Json::from_map(cell)
    }

    pub fn rank_text(&self, entry: &Entry) -> Option<String> {
        entry
            .standing
            .rank
            .as_ref()
            .map(|r| format!("{}/{}", r.position, r.of))
    }
}

pub(super) fn date_range(f: &Fmt, period: Option<(format::Date, format::Date)>) -> Option<String> {
    period.map(|(a, b)| format!("{} – {}", format::date(a, f.l), format::date(b, f.l)))
}

pub(super) fn human_size(bytes: usize, l: Lang) -> String {
    let b = bytes as f64;
    if b < 1024.0 {
        format!("{bytes} B")
    } else if b < 1024.0 * 1024.0 {
        format!("{} KB", format::number(b / 1024.0, 1, l))
    } else {
        format!("{} MB", format::number(b / 1024.0 / 1024.0, 1, l))
    }
}
