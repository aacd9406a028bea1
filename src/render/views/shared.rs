//! What the pages of one build share, made once and passed to each page's
//! context as plain data (no global state): the languages' names and each
//! report's observations by catalogue position.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::input::{Observation, Report};
use crate::model::Model;
use crate::render::value::Value as Json;

/// The observations of one report, one per catalogue indicator.
type Row<'m> = Box<[Option<&'m Observation>]>;

pub struct Shared<'m> {
    model: &'m Model,
    /// Each language named in itself, for the language switch.
    pub lang_names: BTreeMap<String, String>,
    /// The catalogue's indicators (their positions) in the order of their
    /// ids, the order of a report's values.
    by_id: Vec<usize>,
    /// Per entry (as `Model::entries`), made on first use: a table cell
    /// then takes its observation by position instead of searching the
    /// report's values by id (an indicator page does that for every agency
    /// and year, an agency page for every indicator and year). Made lazily
    /// so that a rebuild of a few pages pays for their entries only.
    rows: Vec<OnceLock<Row<'m>>>,
    /// Per language of the site, per agency (as `input.agencies`): its name
    /// and the language that is written in when not the page's, as the
    /// template values every list of agencies repeats.
    names: BTreeMap<String, Vec<(Json, Json)>>,
}

impl<'m> Shared<'m> {
    pub fn new(model: &'m Model, lang_names: BTreeMap<String, String>) -> Shared<'m> {
        let indicators = &model.input.catalog.indicators;
        let mut by_id: Vec<usize> = (0..indicators.len()).collect();
        by_id.sort_by(|&a, &b| indicators[a].id.cmp(&indicators[b].id));
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
            by_id,
            rows: (0..model.entries.len()).map(|_| OnceLock::new()).collect(),
            names,
        }
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
                .map(|e| self.row(&e.report))
                .unwrap_or_default()
        });
        row.get(pos).copied().flatten()
    }

    /// A report's observations by catalogue position: its values and the
    /// catalogue's ids walked together, both in id order.
    fn row(&self, report: &'m Report) -> Row<'m> {
        let indicators = &self.model.input.catalog.indicators;
        let mut row = vec![None; indicators.len()];
        let mut next = self.by_id.iter().copied().peekable();
        for (id, o) in &report.values {
            while let Some(&p) = next.peek() {
                match indicators[p].id.as_str().cmp(id) {
                    Ordering::Less => {
                        next.next();
                    }
                    Ordering::Equal => {
                        row[p] = Some(o);
                        next.next();
                    }
                    Ordering::Greater => break,
                }
            }
        }
        row.into_boxed_slice()
    }
}
