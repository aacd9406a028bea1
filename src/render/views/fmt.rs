//! The formatting context of one page: figures, labels and links in its language.

use std::cell::OnceCell;
use std::collections::BTreeMap;

use super::shared::{RateSlot, Slot};
use super::*;
use crate::diag::Code;
use crate::format::{self, Lang};
use crate::input::{Agency, Indicator, Kind, Num, Report, Text, Val};
use crate::model::{Entry, Model, Percent, RateValue};
use crate::render::value::{field, map_with_capacity, value, Map, Value as Json};

/// The formatting context of one page.
pub struct Fmt<'a, 'm> {
    pub model: &'a Model,
    pub lang: &'a str,
    pub l: Lang,
    pub default: &'a str,
    pub t: &'a BTreeMap<String, String>,
    /// From this page to the language root: "../../" (plus nothing) or "../../en/".
    pub root: String,
    /// From this page to the site root, where /assets and /data are.
    pub site_root: String,
    /// What the pages of the build share.
    pub shared: &'a Shared<'m>,
    /// The cells without a figure, built once a page and shared (a
    /// template value is never changed, so one value serves every place).
    pub cells: PageCells,
}

/// [`Fmt::text_lang`] for a page in `lang` on a site in `default`.
pub(super) fn text_lang(t: &Text, lang: &str, default: &str) -> Option<String> {
    if t.has(lang) {
        None
    } else if t.has(default) {
        Some(default.to_string())
    } else {
        t.0.keys().next().cloned()
    }
}

/// The text and the sort key of a whole-number cell of `kind` ([`Fmt::num`]
/// and [`sort_key`] of `n`: [`format::integer`], with ` đ` / `VND ` for an
/// amount of money, `%` for a percent) from one writing of its digits,
/// both on the stack; `None` past [`EXACT_INT`], whose sort key is the
/// float's form.
pub(super) fn integer_texts(n: i64, kind: Kind, l: Lang) -> Option<(Json, Json)> {
    if n.unsigned_abs() > EXACT_INT {
        return None;
    }
    let (prefix, suffix) = match kind {
        Kind::MoneyVnd => format::money_affixes(l),
        Kind::Percent => ("", "%"),
        _ => ("", ""),
    };
    let (thousands, _) = l.separators();
    let mut buf = [0u8; 20];
    let digits = format::digits(n.unsigned_abs(), &mut buf);
    let mut sort = StackText::new();
    let mut text = StackText::new();
    text.push_str(prefix);
    if n < 0 {
        sort.push(b'-');
        text.push_str("−");
    }
    for &d in digits {
        sort.push(d);
    }
    text.grouped(digits, thousands);
    text.push_str(suffix);
    Some((text.json(), sort.json()))
}

/// `format::integer` of `n` as [`Fmt::rate_slot_cell`] writes the sides of
/// a rate (for the tests).
#[cfg(test)]
pub(super) fn people_text(n: i64, l: Lang) -> Json {
    StackText::new().people(n, l).json()
}

/// The text and the sort key of a rate's cell ([`percent_text`] and
/// [`plain_percent`] of `p`: `84,96%` and `84.96` in Vietnamese), the text
/// on the stack; `None` past [`EXACT_HUNDREDTHS`], whose text is the
/// float's.
pub(super) fn percent_texts(p: Percent, l: Lang) -> Option<(Json, Json)> {
    exact_percent(p, l).map(|text| (text.json(), plain_percent(p)))
}

/// `format::percent(p.as_f64(), l)` written from the exact hundredths, on
/// the stack, when they are exact as a float (always, for real rates).
fn exact_percent(p: Percent, l: Lang) -> Option<StackText> {
    let a = p.0.unsigned_abs();
    if a > EXACT_HUNDREDTHS {
        return None;
    }
    let (thousands, decimal) = l.separators();
    let mut text = StackText::new();
    if p.0 < 0 {
        text.push_str("−");
    }
    text.grouped(format::digits(a / 100, &mut [0u8; 20]), thousands);
    text.push(decimal as u8);
    text.push(b'0' + (a % 100 / 10) as u8);
    text.push(b'0' + (a % 10) as u8);
    text.push(b'%');
    Some(text)
}

/// The cells every table of a page repeats as they are: made on first use.
#[derive(Default)]
pub struct PageCells {
    not_reported: OnceCell<Json>,
    not_computable: OnceCell<Json>,
}

/// Integers up to this size are exact as an `f64`: for them the shortest
/// form of the `f64` is the integer's digits, and no float is formatted.
const EXACT_INT: u64 = 1 << 53;

/// Hundredths up to this many are exact as an `f64` to far better than a
/// hundredth, so the shortest form of `k as f64 / 100.0` is `k`'s digits
/// with a decimal point: a percent is written from the integer.
const EXACT_HUNDREDTHS: u64 = 1 << 40;

/// A short text written on the stack (no allocation for the few bytes of
/// a cell's sort key or figure), given to Tera as a string value. Room for
/// what is written in it: an i64 with its sign (20 bytes) and a point and
/// two decimals; a whole number up to 2^53 for people (16 digits, five
/// separators, a three-byte minus sign and at most four bytes of unit).
struct StackText {
    buf: [u8; 40],
    len: usize,
}

impl StackText {
    fn new() -> StackText {
        StackText {
            buf: [0; 40],
            len: 0,
        }
    }

    fn push(&mut self, b: u8) {
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        }
    }

    /// `s`'s bytes (UTF-8: the text stays UTF-8 when nothing is cut).
    fn push_str(&mut self, s: &str) {
        for &b in s.as_bytes() {
            self.push(b);
        }
    }

    /// ASCII `digits` in groups of three after a first group of one to
    /// three, `sep` between them (as `format::integer`; `sep` is ASCII).
    fn grouped(&mut self, digits: &[u8], sep: char) {
        let mut start = 0;
        for end in format::group_ends(digits.len()) {
            if start > 0 {
                self.push(sep as u8);
            }
            for &d in &digits[start..end] {
                self.push(d);
            }
            start = end;
        }
    }

    /// `n` for people, as `format::integer` writes it: `−1.517` (vi).
    fn people(mut self, n: i64, l: Lang) -> StackText {
        if n < 0 {
            self.push_str("−");
        }
        let (thousands, _) = l.separators();
        self.grouped(format::digits(n.unsigned_abs(), &mut [0u8; 20]), thousands);
        self
    }

    /// The decimal digits of `n`, with a `-` when negative (as `to_string`).
    fn int(mut self, n: i64) -> StackText {
        if n < 0 {
            self.push(b'-');
        }
        for &d in format::digits(n.unsigned_abs(), &mut [0u8; 20]) {
            self.push(d);
        }
        self
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits and signs are written.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }

    fn json(&self) -> Json {
        Json::from(self.as_str())
    }
}

/// The parts one after the other, in a string of their length (`format!`
/// grows its string as it writes: links are made by the thousand).
fn concat(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        s.push_str(p);
    }
    s
}

/// The sort key of a figure: its plain number as Rust prints the `f64`
/// ("1517", "92.5"); an exact integer is printed as one.
pub(super) fn sort_key(n: Num) -> Json {
    match n {
        Num::Int(i) if i.unsigned_abs() <= EXACT_INT => StackText::new().int(i).json(),
        n => Json::from(n.as_f64().to_string()),
    }
}

/// `format::percent(p.as_f64(), l)`, written from the exact hundredths
/// when they are exact as a float (always, for real rates).
pub(super) fn percent_text(p: Percent, l: Lang) -> String {
    match exact_percent(p, l) {
        Some(text) => text.as_str().to_string(),
        None => format::percent(p.as_f64(), l),
    }
}

/// `format::money_vnd(i as f64, l)`: an exact integer written as one,
/// without formatting a float.
pub(super) fn money_int(i: i64, l: Lang) -> String {
    if i.unsigned_abs() > EXACT_INT {
        return format::money_vnd(i as f64, l);
    }
    let (before, after) = format::money_affixes(l);
    format!("{before}{}{after}", format::integer(i128::from(i), l))
}

/// [`Percent::plain`] as a value: `84.96`, `-0.13`.
pub(super) fn plain_percent(p: Percent) -> Json {
    Json::from(p.plain_in(&mut [0u8; 24]))
}

impl<'a, 'm> Fmt<'a, 'm> {
    pub fn tr(&self, key: &str) -> String {
        self.tr_str(key).to_string()
    }

    /// [`Fmt::tr`], borrowed.
    pub fn tr_str<'s>(&'s self, key: &'s str) -> &'s str {
        self.t.get(key).map_or(key, String::as_str)
    }

    pub fn text(&self, t: &Text) -> String {
        t.get(self.lang, self.default).to_string()
    }

    /// The language `text(t)` is written in when it is not the page's (a
    /// fallback), for a `lang` attribute; none when it is the page's.
    pub fn text_lang(&self, t: &Text) -> Option<String> {
        text_lang(t, self.lang, self.default)
    }

    /// The name of the agency at `index` in `input.agencies` and the
    /// language it is written in ([`Fmt::text`] and [`Fmt::text_lang`] of
    /// it), as template values made once a build.
    pub fn agency_name_values(&self, index: usize, a: &Agency) -> (Json, Json) {
        match self
            .shared
            .agency_names(self.lang)
            .and_then(|n| n.get(index))
        {
            Some(n) => n.clone(),
            None => (
                Json::from(self.text(&a.name)),
                self.text_lang(&a.name).map_or_else(Json::none, Json::from),
            ),
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

    /// `format::percent` of the rate, written from its exact hundredths
    /// when they are exact as a float (always, for real rates).
    pub fn percent(&self, p: Percent) -> String {
        percent_text(p, self.l)
    }

    pub fn num(&self, n: Num, kind: Kind) -> String {
        match (n, kind) {
            // An exact integer is written as one: as `money_vnd` would, without
            // formatting a float.
            (Num::Int(i), Kind::MoneyVnd) => money_int(i, self.l),
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
        concat(&[&self.root, "agencies/", id, "/"])
    }

    pub fn indicator_href(&self, id: &str) -> String {
        concat(&[&self.root, "indicators/", id, "/"])
    }

    pub fn year_href(&self, y: i32) -> String {
        concat(&[
            &self.root,
            "years/",
            StackText::new().int(i64::from(y)).as_str(),
            "/",
        ])
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
                            Some(m) => value!({"text": format::percent(m, self.l), "missing": false, "detail": fill(self.tr_str("count_n"), &[("n", format::integer(n as i128, self.l))])}),
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
                value!({"text": format!("▲{c}"), "class": "up", "label": fill(self.tr_str("rank_up"), &[("n", c.to_string())])})
            }
            Some(c) if c < 0 => {
                value!({"text": format!("▼{}", -c), "class": "down", "label": fill(self.tr_str("rank_down"), &[("n", (-c).to_string())])})
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

    /// A table cell for one indicator of one report (or its absence).
    ///
    /// Cells are the most numerous values of a site (indicators × years on
    /// each agency page, agencies × years on each indicator page), so a cell
    /// holds only the keys it needs: `flagged`, `evidence`, `note` and
    /// `detail` are left out when they are false or empty, as `missing` is
    /// in a reported cell; templates test them with `{% if %}`, which takes
    /// a missing key as false.
    ///
    /// `slot`: the report's observation of `ind` ([`Shared::slot`]).
    pub fn value_cell(&self, slot: Slot, ind: &Indicator) -> Json {
        match slot {
            Slot::Absent => self.not_reported(),
            Slot::Int { value, flagged } => {
                self.reported_cell(&Val::Num(Num::Int(value)), flagged, None, None, ind)
            }
            Slot::Other { obs, flagged } => match (&obs.value, obs.note.as_deref()) {
                (None, None) => self.not_reported(),
                (None, Some(n)) => {
                    let mut cell = self.missing_fields("not_reported", 1);
                    cell.insert("note".into(), Json::from(n));
                    Json::from_map(cell)
                }
                (Some(v), note) => {
                    self.reported_cell(v, flagged, obs.evidence.as_deref(), note, ind)
                }
            },
        }
    }

    /// [`Fmt::value_cell`] of a reported value.
    fn reported_cell(
        &self,
        v: &Val,
        flagged: bool,
        evidence: Option<&str>,
        note: Option<&str>,
        ind: &Indicator,
    ) -> Json {
        let keys = 1
            + usize::from(!matches!(v, Val::Text(_)))
            + usize::from(flagged)
            + usize::from(evidence.is_some())
            + usize::from(note.is_some());
        let mut cell = map_with_capacity(keys);
        let whole = match v {
            // The common case: both texts from one writing of the digits.
            Val::Num(Num::Int(i)) => integer_texts(*i, ind.kind, self.l),
            _ => None,
        };
        if let Some((text, sort)) = whole {
            cell.insert("text".into(), text);
            cell.insert("sort".into(), sort);
        } else {
            cell.insert("text".into(), Json::from(self.value(v, ind.kind)));
            // The plain number for sorting ("1.517" is a thousand and more in
            // Vietnamese, not one and a half).
            match v {
                Val::Num(n) => cell.insert("sort".into(), sort_key(*n)),
                Val::Flag(b) => cell.insert("sort".into(), Json::from(if *b { "1" } else { "0" })),
                Val::Text(_) => None,
            };
        }
        if flagged {
            cell.insert("flagged".into(), Json::from(true));
        }
        if let Some(e) = evidence {
            cell.insert("evidence".into(), Json::from(e));
        }
        if let Some(n) = note {
            cell.insert("note".into(), Json::from(n));
        }
        Json::from_map(cell)
    }

    /// The cell of a figure not reported (shared by the page's tables).
    fn not_reported(&self) -> Json {
        self.cells
            .not_reported
            .get_or_init(|| Json::from_map(self.missing_fields("not_reported", 0)))
            .clone()
    }

    /// The keys of every cell without a figure (`label` says why, for
    /// screen readers), with room for `more`.
    fn missing_fields(&self, label: &str, more: usize) -> Map {
        let mut cell = map_with_capacity(3 + more);
        cell.insert("text".into(), Json::from(self.tr_str("not_reported_short")));
        cell.insert("missing".into(), Json::from(true));
        cell.insert("label".into(), Json::from(self.tr_str(label)));
        cell
    }

    /// A table cell for one rate of one entry (the keys as in
    /// [`Fmt::value_cell`]); with `detail`, the numerator and denominator
    /// too (a large cohort's tables leave them to the agency pages).
    /// `rate`: the entry's value of the rate ([`Entry::rate_at`]).
    pub fn rate_cell(&self, rate: Option<&RateValue>, detail: bool) -> Json {
        self.rate_slot_cell(RateSlot::of(rate), detail)
    }

    /// [`Fmt::rate_cell`] of a rate's slot ([`Shared::rate_slot`]).
    pub fn rate_slot_cell(&self, rate: Option<RateSlot>, detail: bool) -> Json {
        let Some(r) = rate else {
            return self
                .cells
                .not_computable
                .get_or_init(|| {
                    let mut cell = self.missing_fields("not_computable", 1);
                    cell.insert("sort".into(), Json::from(""));
                    Json::from_map(cell)
                })
                .clone();
        };
        let (p, flagged) = (r.percent, r.flagged);
        let mut cell = map_with_capacity(2 + usize::from(flagged) + usize::from(detail));
        let (text, sort) = percent_texts(p, self.l)
            .unwrap_or_else(|| (Json::from(percent_text(p, self.l)), plain_percent(p)));
        cell.insert("text".into(), text);
        cell.insert("sort".into(), sort);
        if flagged {
            cell.insert("flagged".into(), Json::from(true));
        }
        if !detail {
            return Json::from_map(cell);
        }
        // `format::integer` of each side, written on the stack.
        let integer = |n: Option<i64>| match n {
            Some(n) => StackText::new().people(n, self.l),
            None => StackText::new(),
        };
        let (numerator, denominator) = (integer(r.numerator), integer(r.denominator));
        cell.insert(
            "detail".into(),
            Json::from(fill(
                self.tr_str("rate_detail"),
                &[
                    ("numerator", numerator.as_str()),
                    ("denominator", denominator.as_str()),
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
