//! Model: what the validated figures mean. Rates from exact integers, ranks
//! (official or computed from scores), rank changes between consecutive
//! years, and indexes by agency, year and cohort so that no later stage
//! searches a list.

// Lookups only (never iterated): a fast hasher; a page makes thousands.
use ahash::AHashMap as HashMap;
use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::diag::Code;
use crate::input::{Agency, Cohort, Input, Num, Observation, Rate, Report, Val};

/// A percentage kept as an exact number of hundredths: 8496 is 84.96 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Percent(pub i64);

impl Percent {
    /// numerator / denominator × 100, rounded half away from zero to two
    /// decimals, from the exact integers. `None` when the denominator is 0.
    pub fn of(numerator: i64, denominator: i64) -> Option<Percent> {
        if denominator == 0 {
            return None;
        }
        let n = i128::from(numerator) * 10_000;
        let d = i128::from(denominator);
        let negative = (n < 0) != (d < 0);
        let (n, d) = (n.abs(), d.abs());
        // round(n / d) half away from zero: floor((2n + d) / 2d)
        let q = (2 * n + d) / (2 * d);
        let q = i64::try_from(q).ok()?;
        Some(Percent(if negative { -q } else { q }))
    }

    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// Machine form with two decimals and a dot: `84.96`, `100.00`.
    pub fn plain(self) -> String {
        self.plain_in(&mut [0u8; 24]).to_string()
    }

    /// [`Percent::plain`] written in `buf` (a sign, at most 18 digits, a
    /// point and two decimals), without allocating: the CSV files and the
    /// pages write it for every rate.
    pub fn plain_in(self, buf: &mut [u8; 24]) -> &str {
        let a = self.0.unsigned_abs();
        let mut n = 0;
        if self.0 < 0 {
            buf[0] = b'-';
            n = 1;
        }
        let mut digits = [0u8; 20];
        let whole = crate::format::digits(a / 100, &mut digits);
        buf[n..n + whole.len()].copy_from_slice(whole);
        n += whole.len();
        buf[n] = b'.';
        buf[n + 1] = b'0' + (a % 100 / 10) as u8;
        buf[n + 2] = b'0' + (a % 10) as u8;
        // Only ASCII was written.
        std::str::from_utf8(&buf[..n + 3]).unwrap_or_default()
    }
}

/// One rate of one report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateValue {
    pub rate: String,
    pub numerator: Option<i64>,
    pub denominator: Option<i64>,
    /// `None`: not computable (a side not reported, or a zero denominator).
    pub percent: Option<Percent>,
    /// Warnings on the figures it is computed from.
    pub flags: Vec<Code>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RankSource {
    Official,
    Computed,
}

impl RankSource {
    pub fn as_str(self) -> &'static str {
        match self {
            RankSource::Official => "official",
            RankSource::Computed => "computed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rank {
    pub position: u32,
    pub of: u32,
    pub source: RankSource,
    pub decision: Option<String>,
}

/// An agency's place in its cohort for one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    pub year: i32,
    pub cohort: String,
    pub agency: String,
    pub score: Option<Num>,
    pub score_max: Option<Num>,
    pub rank: Option<Rank>,
    /// position last year − position this year: positive is a move up.
    pub change: Option<i64>,
}

/// The figures of one report with its rates and standing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub report: Report,
    /// In catalogue order, computable or not.
    pub rates: Vec<RateValue>,
    pub standing: Standing,
    /// The report scored against the rubric of its year and cohort.
    pub score: Option<crate::scoring::ReportScore>,
    /// How many of the report's values are reported (not `null`): counted
    /// once here rather than by each table, page and version that needs it.
    #[serde(skip)]
    pub values_reported: usize,
    /// The place in `catalog.indicators` of each of the report's values,
    /// in the order of `report.values` (`u32::MAX`: none): see
    /// [`Model::observations`].
    #[serde(skip)]
    pub value_places: Box<[u32]>,
    /// Its place in [`Model::entries`], for tables kept beside them.
    #[serde(skip)]
    pub place: Place,
}

/// An entry's place in [`Model::entries`]. Bookkeeping, not content: two
/// entries with the same figures are equal wherever they are (a rebuild
/// compares the entries of two models, where a report added before an
/// entry moves it without changing it).
#[derive(Debug, Clone, Copy, Default)]
pub struct Place(pub usize);

impl PartialEq for Place {
    fn eq(&self, _: &Place) -> bool {
        true
    }
}

impl Entry {
    pub fn rate(&self, id: &str) -> Option<&RateValue> {
        self.rates.iter().find(|r| r.rate == id)
    }

    pub fn percent(&self, id: &str) -> Option<Percent> {
        self.rate(id).and_then(|r| r.percent)
    }

    /// The value of the rate at `pos` in the catalogue (`rates` are in
    /// catalogue order): no search by id.
    pub fn rate_at(&self, pos: usize) -> Option<&RateValue> {
        self.rates.get(pos)
    }

    /// Its index in [`Model::entries`].
    pub fn index(&self) -> usize {
        self.place.0
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    /// The validated input; its reports live on in `entries`.
    pub input: Input,
    /// The published years, ascending.
    pub years: Vec<i32>,
    /// Entries of the published years, by year then agency.
    pub entries: Vec<Entry>,
    /// (place of the year in `years`, index of the agency in
    /// `input.agencies`) → index in `entries`: see [`Grid`].
    #[serde(skip)]
    grid: Grid,
    #[serde(skip)]
    agency_index: HashMap<String, usize>,
    /// Cohort id → indexes of its agencies in `input.agencies`.
    #[serde(skip)]
    cohort_index: HashMap<String, Vec<usize>>,
    /// The reported values of every entry: see [`Model::values_reported`].
    #[serde(skip)]
    values_reported: usize,
}

impl Model {
    pub fn entry(&self, year: i32, agency: &str) -> Option<&Entry> {
        let a = *self.agency_index.get(agency)?;
        self.entry_at(year, a)
    }

    /// The entry of a year of the agency at `agency` in `input.agencies`
    /// (no search by id).
    pub fn entry_at(&self, year: i32, agency: usize) -> Option<&Entry> {
        self.entry_index_at(year, agency).map(|i| &self.entries[i])
    }

    /// The index in [`Model::entries`] of [`Model::entry_at`]'s entry,
    /// found without reading the entry.
    pub fn entry_index_at(&self, year: i32, agency: usize) -> Option<usize> {
        let y = self.years.iter().position(|&x| x == year)?;
        self.grid.get(y, agency)
    }

    /// Agencies of a cohort with their index in `input.agencies`, in
    /// registry order.
    pub fn cohort_members<'a>(
        &'a self,
        cohort: &'a str,
    ) -> impl Iterator<Item = (usize, &'a Agency)> + 'a {
        self.cohort_index
            .get(cohort)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .map(|&i| (i, &self.input.agencies[i]))
    }

    /// Whether the agency at `agency` in `input.agencies` has an entry in
    /// some published year.
    pub fn has_entries(&self, agency: usize) -> bool {
        (0..self.years.len()).any(|y| self.grid.get(y, agency).is_some())
    }

    pub fn agency(&self, id: &str) -> Option<&Agency> {
        self.agency_indexed(id).map(|(_, a)| a)
    }

    /// The agency with its index in `input.agencies`.
    pub fn agency_indexed(&self, id: &str) -> Option<(usize, &Agency)> {
        self.agency_index
            .get(id)
            .map(|&i| (i, &self.input.agencies[i]))
    }

    pub fn cohort(&self, id: &str) -> Option<&Cohort> {
        self.input.cohorts.iter().find(|c| c.id == id)
    }

    /// The entries of one year, by agency id.
    pub fn year_entries(&self, year: i32) -> impl Iterator<Item = &Entry> {
        let start = self.entries.partition_point(|e| e.report.year < year);
        self.entries[start..]
            .iter()
            .take_while(move |e| e.report.year == year)
    }

    /// The entries of one agency, by year.
    pub fn agency_entries<'a>(&'a self, agency: &'a str) -> impl Iterator<Item = &'a Entry> + 'a {
        self.years
            .iter()
            .filter_map(move |&y| self.entry(y, agency))
    }

    pub fn latest_year(&self) -> Option<i32> {
        self.years.last().copied()
    }

    /// The observations of an entry's report in catalogue order, each with
    /// the place of its indicator in `catalog.indicators`: what walking the
    /// catalogue and looking each indicator up in `report.values` gives,
    /// without a search by id (the places are found once, in [`build`]).
    pub fn observations<'a>(
        &'a self,
        e: &'a Entry,
    ) -> impl Iterator<Item = (usize, &'a Observation)> + 'a {
        self.observation_row(e)
            .into_vec()
            .into_iter()
            .enumerate()
            .filter_map(|(p, o)| Some((p, o?)))
    }

    /// An entry's observations by the place of their indicator in
    /// `catalog.indicators`, one slot per indicator (`None`: not in the
    /// report), from the places found once in [`build`].
    pub fn observation_row<'a>(&'a self, e: &'a Entry) -> Box<[Option<&'a Observation>]> {
        let mut row: Vec<Option<&Observation>> = vec![None; self.input.catalog.indicators.len()];
        for (o, &p) in e.report.values.values().zip(e.value_places.iter()) {
            if let Some(slot) = row.get_mut(p as usize) {
                *slot = Some(o);
            }
        }
        row.into_boxed_slice()
    }

    /// How many values the entries report (not `null`), all together: the
    /// sum of their [`Entry::values_reported`], counted once per build.
    pub fn values_reported(&self) -> usize {
        self.values_reported
    }

    /// The entries of one year of a cohort's agencies, in registry order.
    pub fn cohort_entries<'a>(
        &'a self,
        year: i32,
        cohort: &'a str,
    ) -> impl Iterator<Item = &'a Entry> + 'a {
        self.cohort_members(cohort)
            .filter_map(move |(a, _)| self.entry_at(year, a))
    }

    /// Agencies of a cohort, in registry order.
    pub fn cohort_agencies<'a>(&'a self, cohort: &'a str) -> impl Iterator<Item = &'a Agency> + 'a {
        self.cohort_members(cohort).map(|(_, a)| a)
    }
}

/// Index in `entries` by (place of the year in `years`, index of the
/// agency in `input.agencies`): a dense table, a few bytes an agency and
/// year, looked up without hashing.
#[derive(Debug, Clone, PartialEq, Default)]
struct Grid {
    agencies: usize,
    /// `u32::MAX`: no entry.
    cells: Vec<u32>,
}

impl Grid {
    fn new(years: usize, agencies: usize) -> Grid {
        Grid {
            agencies,
            cells: vec![u32::MAX; years * agencies],
        }
    }

    fn set(&mut self, year: usize, agency: usize, entry: usize) {
        if agency < self.agencies {
            if let Some(c) = self.cells.get_mut(year * self.agencies + agency) {
                *c = u32::try_from(entry).unwrap_or(u32::MAX);
            }
        }
    }

    fn get(&self, year: usize, agency: usize) -> Option<usize> {
        if agency >= self.agencies {
            return None;
        }
        let c = *self.cells.get(year * self.agencies + agency)?;
        (c != u32::MAX).then_some(c as usize)
    }
}

/// Builds the model of a validated input. The reports move into the
/// entries (`input.reports` is left empty): the figures are held once.
pub fn build(mut input: Input) -> Model {
    let years: Vec<i32> = match &input.site.years {
        Some(ys) => ys.clone(),
        None => {
            let mut ys: Vec<i32> = input.reports.iter().map(|r| r.year).collect();
            ys.dedup();
            ys
        }
    };
    let agency_index: HashMap<String, usize> = input
        .agencies
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.clone(), i))
        .collect();
    let cohort_of = |agency: &str| -> String {
        agency_index
            .get(agency)
            .map(|&i| input.agencies[i].cohort.clone())
            .unwrap_or_default()
    };

    let reports = std::mem::take(&mut input.reports);
    let places: HashMap<&str, u32> = input
        .catalog
        .indicators
        .iter()
        .enumerate()
        .map(|(p, i)| (i.id.as_str(), u32::try_from(p).unwrap_or(u32::MAX)))
        .collect();
    // Each report's rates, score and value places are its own: made in
    // parallel, in the reports' order (sorted below in any case).
    let mut entries: Vec<Entry> = reports
        .into_par_iter()
        .filter(|r| years.contains(&r.year))
        .map(|r| Entry {
            rates: input
                .catalog
                .rates
                .iter()
                .map(|rate| rate_value(rate, &r))
                .collect(),
            standing: Standing {
                year: r.year,
                cohort: cohort_of(&r.agency),
                agency: r.agency.clone(),
                score: r.score.as_ref().map(|s| s.value),
                score_max: r.score.as_ref().and_then(|s| s.max),
                rank: r.rank.as_ref().map(|o| Rank {
                    position: o.position,
                    of: o.of,
                    source: RankSource::Official,
                    decision: o.decision.clone(),
                }),
                change: None,
            },
            score: crate::scoring::rubric_for(&input.rubrics, r.year, &cohort_of(&r.agency))
                .map(|rb| crate::scoring::score(rb, &r, &input.catalog)),
            values_reported: r.values.values().filter(|o| o.value.is_some()).count(),
            value_places: r
                .values
                .keys()
                .map(|id| places.get(id.as_str()).copied().unwrap_or(u32::MAX))
                .collect(),
            report: r,
            place: Place::default(),
        })
        .collect();
    entries
        .sort_by(|a, b| (a.report.year, &a.report.agency).cmp(&(b.report.year, &b.report.agency)));
    for (i, e) in entries.iter_mut().enumerate() {
        e.place = Place(i);
    }

    computed_ranks(&mut entries);

    let mut grid = Grid::new(years.len(), input.agencies.len());
    for (i, e) in entries.iter().enumerate() {
        let y = years.iter().position(|&x| x == e.report.year);
        if let (Some(y), Some(&a)) = (y, agency_index.get(&e.report.agency)) {
            grid.set(y, a, i);
        }
    }
    let changes: Vec<Option<i64>> = entries
        .iter()
        .map(|e| {
            let now = e.standing.rank.as_ref()?.position;
            let a = *agency_index.get(&e.report.agency)?;
            let y = years.iter().position(|&x| x == e.report.year - 1)?;
            let before = grid
                .get(y, a)
                .and_then(|i| entries[i].standing.rank.as_ref())?
                .position;
            Some(i64::from(before) - i64::from(now))
        })
        .collect();
    for (e, c) in entries.iter_mut().zip(changes) {
        e.standing.change = c;
    }

    let mut cohort_index: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, a) in input.agencies.iter().enumerate() {
        cohort_index.entry(a.cohort.clone()).or_default().push(i);
    }
    let values_reported = entries.iter().map(|e| e.values_reported).sum();
    Model {
        input,
        years,
        entries,
        grid,
        agency_index,
        cohort_index,
        values_reported,
    }
}

fn rate_value(rate: &Rate, report: &Report) -> RateValue {
    let count = |id: &str| match report.value(id) {
        Some(Val::Num(Num::Int(i))) => Some(*i),
        _ => None,
    };
    let numerator = count(&rate.numerator);
    let denominator = count(&rate.denominator);
    let percent = match (numerator, denominator) {
        (Some(n), Some(d)) => Percent::of(n, d),
        _ => None,
    };
    let mut flags: Vec<Code> = report
        .flags
        .iter()
        .filter(|f| {
            f.indicator == rate.numerator
                || f.indicator == rate.denominator
                || (f.code == Code::PartsMismatch
                    && (f.related.contains(&rate.numerator)
                        || f.related.contains(&rate.denominator)))
        })
        .map(|f| f.code)
        .collect();
    flags.sort();
    flags.dedup();
    RateValue {
        rate: rate.id.clone(),
        numerator,
        denominator,
        percent,
        flags,
    }
}

/// Ranks by score where no official rank is given and every report of the
/// cohort that year has a score: highest first, ties sharing the better
/// position (1, 2, 2, 4).
fn computed_ranks(entries: &mut [Entry]) {
    let mut groups: BTreeMap<(i32, String), Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        groups
            .entry((e.report.year, e.standing.cohort.clone()))
            .or_default()
            .push(i);
    }
    for members in groups.values() {
        let scores: Option<Vec<(usize, f64)>> = members
            .iter()
            .map(|&i| entries[i].standing.score.map(|s| (i, s.as_f64())))
            .collect();
        let Some(scores) = scores else { continue };
        let positions = positions_by_score(&scores.iter().map(|(_, s)| *s).collect::<Vec<_>>());
        let of = u32::try_from(scores.len()).unwrap_or(u32::MAX);
        for ((i, _), position) in scores.iter().zip(positions) {
            let standing = &mut entries[*i].standing;
            if standing.rank.is_none() {
                standing.rank = Some(Rank {
                    position,
                    of,
                    source: RankSource::Computed,
                    decision: None,
                });
            }
        }
    }
}

/// Competition ranking: position = 1 + the number of strictly higher scores.
pub fn positions_by_score(scores: &[f64]) -> Vec<u32> {
    let mut sorted: Vec<f64> = scores.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    scores
        .iter()
        .map(|s| {
            let higher = sorted.partition_point(|x| x > s);
            u32::try_from(higher + 1).unwrap_or(u32::MAX)
        })
        .collect()
}

/// The median of some values (mean of the two middle ones for an even
/// count, as an exact decimal: [`crate::format::midpoint`]).
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    // The middle value(s) of the sorted values, selected without sorting
    // them all: the value at `mid` in order, and for an even count the
    // greatest of those before it.
    let mut v = values.to_vec();
    let mid = v.len() / 2;
    let (before, at, _) = v.select_nth_unstable_by(mid, f64::total_cmp);
    let at = *at;
    Some(if values.len().is_multiple_of(2) {
        let below = before.iter().copied().max_by(f64::total_cmp).unwrap_or(at);
        crate::format::midpoint(below, at)
    } else {
        at
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_counts_and_places_are_those_of_the_reports() {
        let model = crate::site::sample_model();
        let indicators = &model.input.catalog.indicators;
        let mut total = 0;
        for e in &model.entries {
            let expected: Vec<(usize, &Observation)> = indicators
                .iter()
                .enumerate()
                .filter_map(|(p, i)| Some((p, e.report.values.get(&i.id)?)))
                .collect();
            assert!(!expected.is_empty());
            assert_eq!(model.observations(e).collect::<Vec<_>>(), expected);
            let reported = e.report.values.values().filter(|o| o.value.is_some());
            assert_eq!(e.values_reported, reported.count());
            total += e.values_reported;
        }
        assert_eq!(model.values_reported(), total);
    }

    #[test]
    fn the_plain_percent_is_the_formatted_one() {
        for h in [
            0,
            1,
            -1,
            5,
            -5,
            99,
            100,
            -100,
            8496,
            -8496,
            10_000,
            123_456_789,
            i64::MAX,
            i64::MIN,
            i64::MIN + 1,
        ] {
            let sign = if h < 0 { "-" } else { "" };
            let a = h.unsigned_abs();
            let formatted = format!("{sign}{}.{:02}", a / 100, a % 100);
            assert_eq!(Percent(h).plain(), formatted, "{h}");
            assert_eq!(Percent(h).plain_in(&mut [0u8; 24]), formatted, "{h}");
        }
    }

    #[test]
    fn rounding_half_away_from_zero() {
        assert_eq!(
            Percent::of(514, 605).map(Percent::plain).as_deref(),
            Some("84.96")
        );
        assert_eq!(
            Percent::of(35516, 68164).map(Percent::plain).as_deref(),
            Some("52.10")
        );
        assert_eq!(
            Percent::of(52, 93).map(Percent::plain).as_deref(),
            Some("55.91")
        );
        assert_eq!(
            Percent::of(26, 27).map(Percent::plain).as_deref(),
            Some("96.30")
        );
        assert_eq!(
            Percent::of(5, 6).map(Percent::plain).as_deref(),
            Some("83.33")
        );
        // exactly half a hundredth rounds up: 1/800 = 0.125 %
        assert_eq!(
            Percent::of(1, 800).map(Percent::plain).as_deref(),
            Some("0.13")
        );
        // and away from zero below it
        assert_eq!(
            Percent::of(-1, 800).map(Percent::plain).as_deref(),
            Some("-0.13")
        );
        assert_eq!(
            Percent::of(1517, 1517).map(Percent::plain).as_deref(),
            Some("100.00")
        );
        assert_eq!(
            Percent::of(130, 123).map(Percent::plain).as_deref(),
            Some("105.69")
        );
        assert_eq!(
            Percent::of(0, 5).map(Percent::plain).as_deref(),
            Some("0.00")
        );
        assert_eq!(Percent::of(5, 0), None);
    }

    #[test]
    fn ties_share_the_better_position() {
        assert_eq!(
            positions_by_score(&[90.0, 80.0, 80.0, 70.0]),
            vec![1, 2, 2, 4]
        );
        assert_eq!(
            positions_by_score(&[70.0, 80.0, 90.0, 80.0]),
            vec![4, 2, 1, 2]
        );
        assert_eq!(positions_by_score(&[5.0]), vec![1]);
        assert_eq!(positions_by_score(&[1.0, 1.0, 1.0]), vec![1, 1, 1]);
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        // As the middle of the values sorted, whatever their order.
        let mut x: u64 = 7;
        for n in 1..60 {
            let values: Vec<f64> = (0..n)
                .map(|_| {
                    x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    ((x >> 40) % 50) as f64 / 4.0 - 3.0
                })
                .collect();
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            let m = sorted.len() / 2;
            let expected = if sorted.len().is_multiple_of(2) {
                crate::format::midpoint(sorted[m - 1], sorted[m])
            } else {
                sorted[m]
            };
            assert_eq!(median(&values), Some(expected), "{values:?}");
        }
    }
}
