//! What the pages of one build share, made once and passed to each page's
//! context as plain data (no global state): the languages' names and each
//! report's observations by catalogue position.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::input::{Num, Observation, Val};
use crate::model::{Model, Percent, RateValue};
use crate::render::value::Value as Json;

/// The observations of one report, one per catalogue indicator.
type Row<'m> = Box<[Option<&'m Observation>]>;

/// What a table cell shows of one indicator in one report, copied out of
/// the report for the common case (a whole number, nothing beside it), so
/// that a page listing many reports reads one array instead of each
/// report's entry, row and observation (three cache misses a cell on a
/// national site, where the reports do not fit in the cache).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Slot<'m> {
    /// Not in the report.
    Absent,
    /// A whole number without evidence or note; `flagged`: a data-quality
    /// flag names the indicator.
    Int { value: i64, flagged: bool },
    /// Anything else, as reported.
    Other { obs: &'m Observation, flagged: bool },
}

impl<'m> Slot<'m> {
    /// The slot of an observation (none: [`Slot::Absent`]).
    pub fn of(obs: Option<&'m Observation>, flagged: bool) -> Slot<'m> {
        let Some(obs) = obs else {
            return Slot::Absent;
        };
        match (&obs.value, &obs.evidence, &obs.note) {
            (Some(Val::Num(Num::Int(value))), None, None) => Slot::Int {
                value: *value,
                flagged,
            },
            _ => Slot::Other { obs, flagged },
        }
    }

    /// The reported number, if any (as `o.value.as_ref().and_then(Val::num)`).
    pub fn num(&self) -> Option<Num> {
        match self {
            Slot::Absent => None,
            Slot::Int { value, .. } => Some(Num::Int(*value)),
            Slot::Other { obs, .. } => obs.value.as_ref().and_then(Val::num),
        }
    }
}

/// The slots of one indicator, one per entry (as `Model::entries`).
type Column<'m> = Box<[Slot<'m>]>;

/// What a table cell shows of a computable rate of one report (a rate
/// not computable has none), copied out of the entry as [`Slot`] is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateSlot {
    pub percent: Percent,
    pub numerator: Option<i64>,
    pub denominator: Option<i64>,
    /// Warnings on the figures it is computed from.
    pub flagged: bool,
}

impl RateSlot {
    /// The slot of a rate's value: none when it is not computable.
    pub fn of(r: Option<&RateValue>) -> Option<RateSlot> {
        let r = r?;
        Some(RateSlot {
            percent: r.percent?,
            numerator: r.numerator,
            denominator: r.denominator,
            flagged: !r.flags.is_empty(),
        })
    }
}

pub struct Shared<'m> {
    model: &'m Model,
    /// Each language named in itself, for the language switch.
    pub lang_names: BTreeMap<String, String>,
    /// Per entry (as `Model::entries`), made on first use: a table cell
    /// then takes its observation by position instead of searching the
    /// report's values by id (an indicator page does that for every agency
    /// and year, an agency page for every indicator and year). Made lazily
    /// so that a rebuild of a few pages pays for their entries only.
    rows: Vec<OnceLock<Row<'m>>>,
    /// Per catalogue indicator, made on first use: its slot in every entry,
    /// for the pages that list one indicator across agencies and years.
    columns: Vec<OnceLock<Column<'m>>>,
    /// Per catalogue rate, made on first use: its slot in every entry.
    rate_columns: Vec<OnceLock<Box<[Option<RateSlot>]>>>,
    /// Per language of the site, per agency (as `input.agencies`): its name
    /// and the language that is written in when not the page's, as the
    /// template values every list of agencies repeats.
    names: BTreeMap<String, Vec<(Json, Json)>>,
}

impl<'m> Shared<'m> {
    pub fn new(model: &'m Model, lang_names: BTreeMap<String, String>) -> Shared<'m> {
        let indicators = &model.input.catalog.indicators;
        let default = model.input.site.language.as_str();
        let names = model
            .input
            .site
            .languages
            .iter()
            .map(|l| {
                let names = model
                    .input
                    .agencies
                    .iter()
                    .map(|a| {
                        let lang = super::fmt::text_lang(&a.name, l, default);
                        (
                            Json::from(a.name.get(l, default)),
                            lang.map_or_else(Json::none, Json::from),
                        )
                    })
                    .collect();
                (l.clone(), names)
            })
            .collect();
        Shared {
            model,
            lang_names,
            rows: (0..model.entries.len()).map(|_| OnceLock::new()).collect(),
            columns: (0..indicators.len()).map(|_| OnceLock::new()).collect(),
            rate_columns: (0..model.input.catalog.rates.len())
                .map(|_| OnceLock::new())
                .collect(),
            names,
        }
    }

    /// The model the pages are made of.
    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// The agencies' names in `lang` ([`super::Fmt::agency_name_values`]).
    pub fn agency_names(&self, lang: &str) -> Option<&[(Json, Json)]> {
        self.names.get(lang).map(Vec::as_slice)
    }

    /// The observation of the indicator at `pos` in the catalogue in the
    /// entry at `entry` in `Model::entries` (as `report.values.get(id)`).
    pub fn observation(&self, entry: usize, pos: usize) -> Option<&'m Observation> {
        let row = self.rows.get(entry)?.get_or_init(|| {
            self.model
                .entries
                .get(entry)
                .map(|e| self.model.observation_row(e))
                .unwrap_or_default()
        });
        row.get(pos).copied().flatten()
    }

    /// The slot of the indicator at `pos` in the catalogue in the entry at
    /// `entry` in `Model::entries` ([`Shared::observation`] with its flag).
    pub fn slot(&self, entry: usize, pos: usize) -> Slot<'m> {
        let Some(column) = self.columns.get(pos) else {
            return Slot::Absent;
        };
        let column = column.get_or_init(|| self.column(pos));
        column.get(entry).copied().unwrap_or(Slot::Absent)
    }

    /// The slot of the rate at `pos` in the catalogue in the entry at
    /// `entry` (as `entry.rate_at(pos)`), from the rate's column.
    pub fn rate_slot(&self, entry: usize, pos: usize) -> Option<RateSlot> {
        let column = self.rate_columns.get(pos)?.get_or_init(|| {
            self.model
                .entries
                .iter()
                .map(|e| RateSlot::of(e.rate_at(pos)))
                .collect()
        });
        column.get(entry).copied().flatten()
    }

    /// The slots of the indicator at `pos` in every entry.
    fn column(&self, pos: usize) -> Column<'m> {
        let Some(ind) = self.model.input.catalog.indicators.get(pos) else {
            return Box::default();
        };
        self.model
            .entries
            .iter()
            .enumerate()
            .map(|(e, entry)| {
                // A row made already is read; otherwise one search, not a row.
                let obs = match self.rows.get(e).and_then(OnceLock::get) {
                    Some(row) => row.get(pos).copied().flatten(),
                    None => entry.report.values.get(&ind.id),
                };
                let flagged = obs.is_some() && entry.report.flags_indicator(&ind.id);
                Slot::of(obs, flagged)
            })
            .collect()
    }

    /// The slot of the indicator at `pos` in the catalogue in the entry at
    /// `entry`, read from the entry's row ([`Shared::slot`] without making
    /// the indicator's column: a page of one report's indicators).
    pub fn row_slot(&self, entry: usize, pos: usize) -> Slot<'m> {
        let obs = self.observation(entry, pos);
        let flagged = obs.is_some()
            && self.model.entries.get(entry).is_some_and(|e| {
                let id = self
                    .model
                    .input
                    .catalog
                    .indicators
                    .get(pos)
                    .map(|i| i.id.as_str());
                id.is_some_and(|id| e.report.flags_indicator(id))
            });
        Slot::of(obs, flagged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The columns hold what the reports hold: every indicator and rate of
    /// every entry of the sample site (flags, notes and text values in it).
    #[test]
    fn columns_match_the_reports() {
        let model = crate::site::sample_model();
        let shared = Shared::new(&model, BTreeMap::new());
        let cat = &model.input.catalog;
        let (mut ints, mut others, mut flagged) = (0, 0, 0);
        for (e, entry) in model.entries.iter().enumerate() {
            let report = &entry.report;
            for (p, ind) in cat.indicators.iter().enumerate() {
                let slot = shared.slot(e, p);
                assert_eq!(slot, shared.row_slot(e, p), "{} {}", report.file, ind.id);
                let obs = report.values.get(&ind.id);
                let is_flagged = report.flags_indicator(&ind.id);
                match (slot, obs) {
                    (Slot::Absent, None) => {}
                    (Slot::Int { value, flagged: f }, Some(o)) => {
                        assert_eq!(o.value, Some(Val::Num(Num::Int(value))));
                        assert!(o.evidence.is_none() && o.note.is_none());
                        assert_eq!(f, is_flagged);
                        ints += 1;
                        flagged += usize::from(f);
                    }
                    (Slot::Other { obs: s, flagged: f }, Some(o)) => {
                        assert!(std::ptr::eq(s, o));
                        assert_eq!(f, is_flagged);
                        others += 1;
                        flagged += usize::from(f);
                    }
                    (s, o) => panic!("{} {}: {s:?} for {o:?}", report.file, ind.id),
                }
                assert_eq!(slot.num(), report.value(&ind.id).and_then(Val::num));
            }
            for (p, _) in cat.rates.iter().enumerate() {
                assert_eq!(shared.rate_slot(e, p), RateSlot::of(entry.rate_at(p)));
            }
        }
        // The sample has all three kinds of slot.
        assert!(
            ints > 0 && others > 0 && flagged > 0,
            "{ints} {others} {flagged}"
        );
        assert_eq!(shared.slot(model.entries.len(), 0), Slot::Absent);
        assert_eq!(shared.slot(0, cat.indicators.len()), Slot::Absent);
    }
}
