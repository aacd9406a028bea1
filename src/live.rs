//! Incremental rebuilds, for `serve`: the parsed site stays in memory; on a
//! change only the changed files are read again, the whole site is
//! validated and modelled again (cheap), and only the pages whose inputs
//! changed are rendered again, into an in-memory site.
//!
//! The result is the same, byte for byte, as a full `build` of the same
//! input (less the output marker file): pages are rendered by the same
//! code, and which pages to render is decided by comparing the new model
//! with the last one that built. What a page reads:
//!
//! - every page: the site settings, cohorts, agencies, catalogue, years and
//!   the menu of Markdown pages (any change of these renders everything);
//! - an agency page: the entries of that agency;
//! - a year page: the entries of that year (rank changes are in the entries);
//! - an indicator page: that indicator's (or rate's) cell of every entry,
//!   and which agencies have entries;
//! - the overview and agency list: the entries (rendered on any change of
//!   an entry: they are two pages);
//! - the data page: the open-data files;
//! - a Markdown page: its own text.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use walkdir::WalkDir;

use crate::diag::Diagnostics;
use crate::load::{self, Loaded};
use crate::model::{self, Entry, Model};
use crate::progress::Silent;
use crate::publish::{self, DataFile};
use crate::render::views::{self, Job};
use crate::render::{self, Theme};
use crate::site;
use crate::validate;
use crate::write::MemorySite;

/// What identifies a version of a file without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

/// What one rebuild did.
#[derive(Debug)]
pub struct Outcome {
    /// Of the new input: errors mean the last good site is still served.
    pub diagnostics: Diagnostics,
    pub result: Result<Rebuilt, String>,
    pub elapsed: Duration,
}

#[derive(Debug, Default)]
pub struct Rebuilt {
    /// Input files read again (relative to the root).
    pub reread: Vec<String>,
    /// Whether every page was rendered.
    pub full: bool,
    /// Pages rendered (in every language).
    pub pages: usize,
    /// Open-data files that changed.
    pub data_files: usize,
    /// Agencies whose own data files (`agencies/<id>/data.*`) were made
    /// again: all of them on a full rebuild.
    pub agency_data: usize,
    /// What was rendered, for people: "agencies/so-noi-vu/", "years/2023/".
    pub rendered: Vec<String>,
    /// Nothing changed since the last rebuild.
    pub unchanged: bool,
    /// The open-data files are still being made ([`Live::poll_data`]).
    pub data_pending: bool,
}

impl Rebuilt {
    /// One line for the terminal.
    pub fn summary(&self, elapsed: Duration) -> String {
        let ms = elapsed.as_secs_f64() * 1000.0;
        if self.unchanged {
            return format!("nothing changed ({ms:.0} ms)");
        }
        let files = match self.reread.len() {
            0 => String::new(),
            1 => format!(" after a change to {}", self.reread[0]),
            n => format!(" after changes to {n} files"),
        };
        let what = if self.full {
            format!("the whole site ({} pages)", self.pages)
        } else {
            let mut shown: Vec<&str> = self.rendered.iter().map(String::as_str).take(6).collect();
            if self.rendered.len() > 6 {
                shown.push("…");
            }
            format!("{} pages ({})", self.pages, shown.join(", "))
        };
        if self.data_pending {
            return format!("rebuilt {what}{files} in {ms:.0} ms; the open-data files follow");
        }
        format!(
            "rebuilt {what} and {} open-data files{files} in {ms:.0} ms",
            self.data_files
        )
    }
}

/// The last input that built, and what was built from it.
struct Built {
    model: Arc<Model>,
    theme: Theme,
    /// The open-data files the site holds: those of `model`, or of an
    /// older model while `data_stale`.
    data: Vec<DataFile>,
    /// The open-data files are being made again (or were given up for a
    /// newer edit): `data` is not `model`'s.
    data_stale: bool,
    /// Page output path → the chart files written beside it.
    beside: BTreeMap<String, Vec<String>>,
}

/// A site kept in memory and rebuilt on change.
pub struct Live {
    root: PathBuf,
    base_url: Option<String>,
    loaded: Option<Loaded>,
    stamps: BTreeMap<String, Stamp>,
    good: Option<Built>,
    site: Arc<MemorySite>,
    /// Whether an edit's pages go out before its site-wide open-data files
    /// (`serve`): see [`Live::set_data_later`].
    data_later: bool,
    /// The open-data files being made for the last good model.
    pending: Option<Pending>,
}

/// The site-wide open-data files of one edit, made on their own thread
/// into a scratch site; they reach the served site only when whole, and
/// only if no newer edit came meanwhile (a newer rebuild drops them).
struct Pending {
    started: Instant,
    handle: JoinHandle<Result<(MemorySite, Vec<DataFile>), String>>,
}

impl Live {
    /// Nothing is read before the first [`Live::rebuild`].
    pub fn new(root: &Path, base_url: Option<String>) -> Live {
        Live {
            root: root.to_path_buf(),
            base_url,
            loaded: None,
            stamps: BTreeMap::new(),
            good: None,
            site: Arc::new(MemorySite::new()),
            data_later: false,
            pending: None,
        }
    }

    /// With `true`, a rebuild after an edit of reports puts the pages out
    /// at once (beside the open-data files of before) and makes the
    /// site-wide open-data files (tables, workbooks, zip, catalogue,
    /// SHA256SUMS, the data page) on a thread of their own:
    /// [`Live::poll_data`] puts them out when they are done. A newer
    /// rebuild gives them up and makes them again for the newer input.
    pub fn set_data_later(&mut self, later: bool) {
        self.data_later = later;
    }

    /// Whether open-data files are being made.
    pub fn data_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// Puts out the open-data files of the last rebuild once they are made
    /// (`wait`: waits for them): `None` while they are not, or when none
    /// are being made.
    pub fn poll_data(&mut self, wait: bool) -> Option<Outcome> {
        if !wait && !self.pending.as_ref()?.handle.is_finished() {
            return None;
        }
        let pending = self.pending.take()?;
        let made = pending
            .handle
            .join()
            .unwrap_or_else(|_| Err("making the open-data files failed".to_string()));
        let mut diagnostics = Diagnostics::default();
        let result =
            made.and_then(|(scratch, data)| self.put_data(scratch, data, &mut diagnostics));
        Some(Outcome {
            diagnostics,
            result,
            elapsed: pending.started.elapsed(),
        })
    }

    /// Renders the data page for `data` (made for the good model) into
    /// `scratch` and puts both out.
    fn put_data(
        &mut self,
        scratch: MemorySite,
        data: Vec<DataFile>,
        diags: &mut Diagnostics,
    ) -> Result<Rebuilt, String> {
        let good = self.good.as_mut().ok_or("no site")?;
        let mut rebuilt = Rebuilt {
            data_files: data.iter().filter(|f| !good.data.contains(f)).count(),
            unchanged: good.data == data,
            ..Rebuilt::default()
        };
        if good.data != data {
            let mut timings = Vec::new();
            let page = render::render_pages(
                &good.model,
                &good.theme,
                &data,
                &[Job::Data],
                &scratch,
                &mut timings,
                &Silent,
            )
            .map_err(|d| {
                let msg = d.to_string();
                diags.push(d);
                msg
            })?;
            site::put_data(&data, &scratch).map_err(|e| e.to_string())?;
            for (page, files) in page.outputs {
                if let Some(before) = good.beside.get(&page) {
                    for f in before.iter().filter(|f| !files.contains(f)) {
                        self.site.remove(f);
                    }
                }
                good.beside.insert(page, files);
            }
            rebuilt.pages = page.pages;
            rebuilt.rendered = vec![describe(&good.model, &Job::Data)];
        }
        self.site.absorb(scratch);
        good.data = data;
        good.data_stale = false;
        Ok(rebuilt)
    }

    /// The site as last built: what is served.
    pub fn site(&self) -> Arc<MemorySite> {
        Arc::clone(&self.site)
    }

    /// Whether a good build exists.
    pub fn has_site(&self) -> bool {
        self.good.is_some()
    }

    /// Reads what changed since the last call (`touched`: paths known to
    /// have changed, read again whatever their stamps say) and rebuilds
    /// what depends on it. On errors the site stays as it was.
    pub fn rebuild(&mut self, touched: &[PathBuf]) -> Outcome {
        let start = Instant::now();
        let mut diagnostics = Diagnostics::default();
        let result = self.rebuild_inner(touched, &mut diagnostics);
        Outcome {
            diagnostics,
            result,
            elapsed: start.elapsed(),
        }
    }

    fn rebuild_inner(
        &mut self,
        touched: &[PathBuf],
        diags: &mut Diagnostics,
    ) -> Result<Rebuilt, String> {
        let mut rebuilt = Rebuilt::default();
        let forced: BTreeSet<String> = touched
            .iter()
            .filter_map(|p| relative(&self.root, p))
            .collect();

        // What changed: inputs by stamp (and by event), theme files likewise.
        let inputs = load::scan(&self.root);
        let theme_files = walk_all(&self.root.join("themes"), &self.root);
        let mut now: BTreeMap<String, Stamp> = BTreeMap::new();
        for rel in inputs
            .iter()
            .map(|(r, _)| r.clone())
            .chain(theme_files.iter().cloned())
        {
            now.insert(rel.clone(), stamp(&self.root.join(&rel)));
        }
        let changed: BTreeSet<String> = now
            .iter()
            .filter(|(rel, st)| self.stamps.get(*rel) != Some(*st) || forced.contains(*rel))
            .map(|(rel, _)| rel.clone())
            .chain(
                self.stamps
                    .keys()
                    .filter(|rel| !now.contains_key(*rel))
                    .cloned(),
            )
            .collect();
        self.stamps = now;
        let theme_changed = changed.iter().any(|r| r.starts_with("themes/"));

        let loaded = match &mut self.loaded {
            None => {
                let l = load::load(&self.root);
                rebuilt.reread = l.files.iter().map(|f| f.rel.clone()).collect();
                self.loaded.insert(l)
            }
            Some(l) => {
                for rel in changed.iter().filter(|r| !r.starts_with("themes/")) {
                    match inputs.iter().find(|(r, _)| r == rel) {
                        Some((_, kind)) => {
                            l.replace(load::load_file(&self.root, rel, kind.clone()))
                        }
                        None => l.remove(rel),
                    }
                    rebuilt.reread.push(rel.clone());
                }
                l
            }
        };
        if self.good.is_some() && changed.is_empty() {
            rebuilt.unchanged = true;
            return Ok(rebuilt);
        }

        let (input, d) = validate::validate(loaded);
        *diags = d;
        let Some(mut input) = input.filter(|_| !diags.fails(false)) else {
            return Err(format!(
                "{} errors; the last good site is still served",
                diags.errors()
            ));
        };
        if let Some(url) = &self.base_url {
            input.site.base_url = site::normalise_base_url(url);
        }
        let model = Arc::new(model::build(input));

        // Open-data files still being made are for the model this replaces:
        // given up (the thread ends on its own; what it makes is dropped).
        self.pending = None;
        let old = self.good.take();
        let theme_name_changed = old
            .as_ref()
            .is_some_and(|o| o.model.input.site.theme != model.input.site.theme);
        let theme = match old {
            Some(ref o) if !theme_changed && !theme_name_changed => None,
            _ => match Theme::load_with(&self.root, &model.input.site.theme, true) {
                Ok(t) => Some(t),
                Err(d) => {
                    diags.push(d.clone());
                    self.good = old;
                    return Err(d.to_string());
                }
            },
        };

        let plan = match (&old, &theme) {
            (Some(o), None) => plan(&o.model, &model),
            _ => Plan::All,
        };
        let theme_ref = match theme.as_ref().or(old.as_ref().map(|o| &o.theme)) {
            Some(t) => t,
            None => {
                self.good = old;
                return Err("no theme".to_string());
            }
        };
        let old_data: &[DataFile] = old.as_ref().map(|o| o.data.as_slice()).unwrap_or(&[]);
        let old_stale = old.as_ref().is_some_and(|o| o.data_stale);
        let reuse_data = !old_stale
            && matches!(
                (&old, &plan),
                (
                    Some(_),
                    Plan::Some {
                        data_inputs: false,
                        ..
                    }
                )
            );
        // The agencies whose own data files (`agencies/<id>/data.*`) change:
        // those whose entries changed, unless what every one of them
        // repeats (`about`: years, data date, version) changed too.
        // (When the files of the last edit were given up, all of them.)
        let agencies: Option<Vec<String>> = match (&old, &plan) {
            (Some(o), Plan::Some { jobs, .. })
                if !o.data_stale
                    && publish::json::about(&o.model) == publish::json::about(&model) =>
            {
                Some(
                    jobs.iter()
                        .filter_map(|j| match j {
                            Job::Agency(id) if model.agency(id).is_some() => Some(id.clone()),
                            _ => None,
                        })
                        .collect(),
                )
            }
            _ => None,
        };
        rebuilt.agency_data = match (&agencies, reuse_data) {
            (_, true) => 0,
            (Some(ids), false) => ids.len(),
            (None, false) => model.input.agencies.len(),
        };
        let scratch = MemorySite::new();
        // The open-data files go straight to the scratch site as they are
        // made; SHA256SUMS comes once the data page is rendered.
        // With `data_later`, an edit's pages go out first and the open-data
        // files follow from their own thread (see `set_data_later`).
        let later = self.data_later && !reuse_data && matches!(plan, Plan::Some { .. });
        rebuilt.data_pending = later;
        let make_data = || -> Result<Vec<DataFile>, String> {
            if reuse_data || later {
                Ok(old_data.to_vec())
            } else {
                make_open_data(&model, agencies.as_deref(), &scratch)
            }
        };
        let mut report_err = |d: crate::diag::Diagnostic| {
            let msg = d.to_string();
            diags.push(d);
            msg
        };
        let outcome: Result<(render::Rendered, bool, Vec<DataFile>), String> = match plan {
            Plan::All => make_data().and_then(|data| {
                let mut timings = Vec::new();
                render::render(&model, theme_ref, &data, &scratch, &mut timings, &Silent)
                    .map_err(&mut report_err)
                    .and_then(|r| {
                        site::put_data(&data, &scratch).map_err(|e| e.to_string())?;
                        Ok((r, true, data))
                    })
            }),
            Plan::Some { mut jobs, .. } => {
                // The open data is made while the pages that do not show it
                // render (the data page is never among them: see `plan`).
                let mut timings = Vec::new();
                let (data, pages) = rayon::join(make_data, || {
                    render::render_pages(
                        &model,
                        theme_ref,
                        old_data,
                        &jobs,
                        &scratch,
                        &mut timings,
                        &Silent,
                    )
                });
                let data = match data {
                    Ok(d) => d,
                    Err(e) => {
                        self.good = old;
                        return Err(e);
                    }
                };
                let data_changed = old_data != data.as_slice();
                // The feeds and search indexes are small and read the data
                // of every report: always made again.
                let pages = pages.and_then(|r| {
                    render::render_site_files(&model, theme_ref, &scratch).map(|()| r)
                });
                pages.map_err(&mut report_err).and_then(|mut rendered| {
                    if data_changed {
                        let page = render::render_pages(
                            &model,
                            theme_ref,
                            &data,
                            &[Job::Data],
                            &scratch,
                            &mut timings,
                            &Silent,
                        )
                        .map_err(&mut report_err)?;
                        rendered.pages += page.pages;
                        rendered.charts += page.charts;
                        rendered.outputs.extend(page.outputs);
                        site::put_data(&data, &scratch).map_err(|e| e.to_string())?;
                        jobs.push(Job::Data);
                    }
                    rebuilt.rendered = jobs.iter().map(|j| describe(&model, j)).collect();
                    Ok((rendered, false, data))
                })
            }
        };
        let (rendered, full, data) = match outcome {
            Ok(x) => x,
            Err(e) => {
                self.good = old;
                return Err(e);
            }
        };

        rebuilt.full = full;
        rebuilt.pages = rendered.pages;
        rebuilt.data_files = match &old {
            Some(o) if !full => data
                .iter()
                .filter(|f| !o.data.iter().any(|g| g == *f))
                .count(),
            _ => data.len(),
        };
        let mut beside = old.as_ref().map(|o| o.beside.clone()).unwrap_or_default();
        if full {
            beside.clear();
            self.site.replace_with(scratch);
        } else {
            // Chart files a page no longer has go with it.
            for (page, files) in &rendered.outputs {
                if let Some(before) = beside.get(page) {
                    for f in before.iter().filter(|f| !files.contains(f)) {
                        self.site.remove(f);
                    }
                }
            }
            self.site.absorb(scratch);
        }
        for (page, files) in rendered.outputs {
            beside.insert(page, files);
        }
        let theme = match (theme, old) {
            (Some(t), _) => t,
            (None, Some(o)) => o.theme,
            (None, None) => return Err("no theme".to_string()),
        };
        self.good = Some(Built {
            model: Arc::clone(&model),
            theme,
            data,
            data_stale: later,
            beside,
        });
        if later {
            let ids = agencies.clone();
            let spawned = std::thread::Builder::new()
                .name("minhbach-data".into())
                .spawn(move || {
                    let out = MemorySite::new();
                    let data = make_open_data(&model, ids.as_deref(), &out)?;
                    Ok((out, data))
                });
            match spawned {
                Ok(handle) => {
                    self.pending = Some(Pending {
                        started: Instant::now(),
                        handle,
                    })
                }
                // No thread: made here, as without `data_later`.
                Err(_) => {
                    let good = self.good.as_ref().ok_or("no site")?;
                    let out = MemorySite::new();
                    let data = make_open_data(&good.model, agencies.as_deref(), &out)?;
                    self.put_data(out, data, diags)?;
                    rebuilt.data_pending = false;
                }
            }
        }
        Ok(rebuilt)
    }
}

/// Writes the open-data files of `model` to `out`: those of `/data/`
/// (returned) and the agencies' own, of `agencies` only when given.
fn make_open_data(
    model: &Model,
    agencies: Option<&[String]>,
    out: &MemorySite,
) -> Result<Vec<DataFile>, String> {
    let data = publish::publish(model, out).map_err(|e| e.to_string())?;
    match agencies {
        Some(ids) => {
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            publish::agency_files_of(model, &ids, out)
        }
        None => publish::agency_files(model, out),
    }
    .map_err(|e| e.to_string())?;
    Ok(data)
}

/// Which pages to render again.
#[derive(Debug, PartialEq)]
enum Plan {
    All,
    Some {
        jobs: Vec<Job>,
        /// Whether what the open-data files are made of changed.
        data_inputs: bool,
    },
}

/// Compares the last model that built with a new one.
fn plan(old: &Model, new: &Model) -> Plan {
    let (a, b) = (&old.input, &new.input);
    if a.site != b.site
        || a.cohorts != b.cohorts
        || a.agencies != b.agencies
        || a.catalog != b.catalog
        || a.rubrics != b.rubrics
        || old.years != new.years
        || a.pages.len() != b.pages.len()
    {
        return Plan::All;
    }
    let mut jobs: Vec<Job> = Vec::new();
    let push = |jobs: &mut Vec<Job>, j: Job| {
        if !jobs.contains(&j) {
            jobs.push(j);
        }
    };
    for (i, (p, q)) in a.pages.iter().zip(&b.pages).enumerate() {
        if p == q {
            continue;
        }
        // The menu shows titles, slugs, weights and languages of every page.
        let same_menu = p.file == q.file
            && p.slug == q.slug
            && p.title == q.title
            && p.weight == q.weight
            && p.lang == q.lang
            && p.draft == q.draft;
        if !same_menu {
            return Plan::All;
        }
        // The description shows only on the page itself.
        push(&mut jobs, Job::Page(i));
    }

    let key = |e: &Entry| (e.report.year, e.report.agency.clone());
    let before: BTreeMap<_, &Entry> = old.entries.iter().map(|e| (key(e), e)).collect();
    let after: BTreeMap<_, &Entry> = new.entries.iter().map(|e| (key(e), e)).collect();
    let keys: BTreeSet<&(i32, String)> = before.keys().chain(after.keys()).collect();
    let mut indicators: BTreeSet<String> = BTreeSet::new();
    let mut cohorts: BTreeSet<String> = BTreeSet::new();
    let split = crate::render::views::split_by_cohort(new);
    if split != crate::render::views::split_by_cohort(old) {
        return Plan::All;
    }
    // Reports that come or go can add or remove a page of a cohort's list.
    let more = |m: &Model| -> Vec<Job> {
        let all = crate::render::views::jobs(m).into_iter();
        all.filter(|j| matches!(j, Job::More(..))).collect()
    };
    if more(old) != more(new) {
        return Plan::All;
    }
    let mut all_indicators = false;
    let mut any = false;
    for k in keys {
        let (x, y) = (before.get(k), after.get(k));
        if x == y {
            continue;
        }
        any = true;
        push(&mut jobs, Job::Agency(k.1.clone()));
        // A rubric page counts full points and points lost over its reports.
        for r in &b.rubrics {
            push(&mut jobs, Job::Rubric(r.id.clone()));
        }
        // Every year page shows the cohort's ranks over all the years (the
        // bump chart), and the next year shows the rank change.
        let cohort = new
            .agency(&k.1)
            .or_else(|| old.agency(&k.1))
            .map(|a| a.cohort.clone());
        for &y in new.years.iter().chain(&old.years) {
            push(&mut jobs, Job::Year(y, None));
            if split {
                push(&mut jobs, Job::Year(y, cohort.clone()));
            }
        }
        if let Some(c) = &cohort {
            cohorts.insert(c.clone());
        }
        match (x, y) {
            (Some(x), Some(y)) => indicators.extend(changed_cells(x, y)),
            // An entry that comes or goes adds or removes rows everywhere.
            _ => all_indicators = true,
        }
    }
    if any {
        push(&mut jobs, Job::Overview);
        push(&mut jobs, Job::AgencyList(None));
        // The years' index counts each year's reports.
        push(&mut jobs, Job::YearList);
        // The compare page shows every agency's ranks and headline rates;
        // the search page lists what has reports.
        push(&mut jobs, Job::Compare(None));
        push(&mut jobs, Job::Search);
        if split {
            for c in &cohorts {
                push(&mut jobs, Job::AgencyList(Some(c.clone())));
                push(&mut jobs, Job::Compare(Some(c.clone())));
            }
        }
    }
    let catalog = &b.catalog;
    for id in catalog
        .rates
        .iter()
        .map(|r| &r.id)
        .chain(catalog.indicators.iter().map(|i| &i.id))
    {
        if all_indicators || indicators.contains(id) {
            push(&mut jobs, Job::Indicator(id.clone(), None));
            if split {
                for c in &cohorts {
                    push(&mut jobs, Job::Indicator(id.clone(), Some(c.clone())));
                }
            }
        }
    }
    Plan::Some {
        // A list's pages 2, 3, … with it (its rows move between pages).
        jobs: crate::render::views::with_pages(new, jobs),
        data_inputs: any,
    }
}

/// The indicators and rates whose cell differs between two versions of an
/// entry: value, evidence, note or flag of an indicator; a rate's value.
fn changed_cells(x: &Entry, y: &Entry) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ids: BTreeSet<&String> = x
        .report
        .values
        .keys()
        .chain(y.report.values.keys())
        .collect();
    let flagged = |e: &Entry, id: &str| e.report.flags_indicator(id);
    for id in ids {
        let (a, b) = (x.report.values.get(id), y.report.values.get(id));
        let same = match (a, b) {
            (Some(a), Some(b)) => {
                a.value == b.value && a.evidence == b.evidence && a.note == b.note
            }
            (None, None) => true,
            _ => false,
        };
        if !same || flagged(x, id) != flagged(y, id) {
            out.insert(id.clone());
        }
    }
    for f in x.report.flags.iter().chain(&y.report.flags) {
        if flagged(x, &f.indicator) != flagged(y, &f.indicator) {
            out.insert(f.indicator.clone());
        }
    }
    for (r, s) in x.rates.iter().zip(&y.rates) {
        if r != s {
            out.insert(r.rate.clone());
            out.insert(s.rate.clone());
        }
    }
    out
}

/// A page's address for people.
fn describe(model: &Model, job: &Job) -> String {
    let path = views::output_path(model, &model.input.site.language, job);
    let path = path.trim_end_matches("index.html");
    if path.is_empty() {
        "/".to_string()
    } else {
        path.to_string()
    }
}

fn stamp(path: &Path) -> Stamp {
    match std::fs::metadata(path) {
        Ok(m) => Stamp {
            len: m.len(),
            modified: m.modified().ok(),
        },
        Err(_) => Stamp {
            len: u64::MAX,
            modified: None,
        },
    }
}

/// Every file below `dir`, relative to `root`, `/`-separated.
fn walk_all(dir: &Path, root: &Path) -> Vec<String> {
    if !dir.is_dir() {
        return Vec::new();
    }
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| relative(root, e.path()))
        .collect()
}

/// `path` relative to `root`, `/`-separated; `None` when outside.
fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = match path.strip_prefix(root) {
        Ok(r) => r.to_path_buf(),
        Err(_) => {
            let root = root.canonicalize().ok()?;
            let path = match path.canonicalize() {
                Ok(p) => p,
                // A deleted file: its folder still exists, or not.
                Err(_) => path
                    .parent()
                    .and_then(|p| p.canonicalize().ok())?
                    .join(path.file_name()?),
            };
            path.strip_prefix(&root).ok()?.to_path_buf()
        }
    };
    Some(
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        let root = Path::new("/a/b");
        assert_eq!(
            relative(root, Path::new("/a/b/data/x.yaml")).as_deref(),
            Some("data/x.yaml")
        );
    }
}
