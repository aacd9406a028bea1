//! Validate: turn the parsed files into typed [`Input`] and report every
//! problem of the data contract (DATA-FORMAT.md) as a [`Diagnostic`] with
//! its file, line, column and a hint of the fix. All problems are reported
//! in one run; a file with errors contributes what could still be read.

mod agencies;
mod catalogue;
mod criteria;
mod fields;
mod files;
pub mod forms;
mod names;
mod page;
mod report;
mod rubric;
mod site;
#[cfg(test)]
mod tests;

pub use catalogue::core_catalog;
pub use fields::{is_id, is_safe_url, suggest};
pub use rubric::is_criterion_id;
pub use site::{base_url, DEFAULT_KEEP};

use std::collections::BTreeSet;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::input::*;
use rayon::prelude::*;

use crate::load::{self, FileKind, Loaded, SourceFile};
use agencies::agencies;
use catalogue::site_catalog;
use page::page;
use report::{missing_reports, report};
use site::site_config;

/// Validates a loaded site root. The input is `None` only when the site
/// cannot be described at all (no readable site.yaml or agencies.yaml);
/// otherwise it holds everything that could be read, even with errors.
pub fn validate(loaded: &Loaded) -> (Option<Input>, Diagnostics) {
    let mut diags = Diagnostics::default();

    let site = match loaded.file(&FileKind::Site) {
        Some(f) => site_config(f, &mut diags),
        None => {
            diags.push(Diagnostic::new(
                Code::MissingField,
                "site.yaml",
                None,
                "there is no site.yaml in the site root; create one with at least title, base_url and publisher",
            ));
            None
        }
    };
    let lang = site
        .as_ref()
        .map(|s| s.language.clone())
        .unwrap_or_else(|| "vi".to_string());

    let mut catalog = core_catalog();
    if let Some(f) = loaded.file(&FileKind::Indicators) {
        site_catalog(f, &lang, &mut catalog, &mut diags);
    }
    // The import forms of data/forms/ are input too (IMPORT.md).
    diags.extend(forms::site_forms(loaded, &catalog).1);

    let registry = match loaded.file(&FileKind::Agencies) {
        Some(f) => agencies(f, &lang, &mut diags),
        None => {
            diags.push(Diagnostic::new(
                Code::MissingField,
                "data/agencies.yaml",
                None,
                "there is no data/agencies.yaml; list the cohorts and agencies there",
            ));
            None
        }
    };

    let cohort_of = registry
        .as_ref()
        .map(|(_, agencies)| agencies::cohort_of(agencies))
        .unwrap_or_default();
    // Reports are checked in parallel, each with its own diagnostics; a
    // deferred report is read and parsed here and its tree dropped at once.
    let check = |f: &SourceFile| -> (Option<Report>, Diagnostics) {
        let mut own = Diagnostics::default();
        let r = match &f.kind {
            FileKind::Report { year_dir, stem } => report(
                f,
                year_dir,
                stem,
                registry.as_ref().map(|r| (r, &cohort_of)),
                &catalog,
                &mut own,
            ),
            _ => None,
        };
        (r, own)
    };
    files::unread_files(loaded, &mut diags);
    let duplicates = files::duplicate_reports(loaded, &mut diags);
    let checked: Vec<(Option<Report>, Diagnostics)> = loaded
        .files
        .par_iter()
        .filter(|f| matches!(f.kind, FileKind::Report { .. }) && !duplicates.contains(&f.rel))
        .map(check)
        .chain(
            loaded
                .deferred
                .par_iter()
                .filter(|(rel, _)| !duplicates.contains(rel))
                .map(|(rel, kind)| check(&load::load_file(&loaded.root, rel, kind.clone()))),
        )
        .collect();
    let mut reports = Vec::with_capacity(checked.len());
    for (r, own) in checked {
        reports.extend(r);
        diags.extend(own);
    }
    let mut pages = Vec::new();
    let mut rubrics = Vec::new();
    for f in &loaded.files {
        match &f.kind {
            FileKind::Report { .. } => {}
            FileKind::Misplaced => diags.push(Diagnostic::new(
                Code::InvalidYear,
                &f.rel,
                None,
                "reports live at data/reports/<year>/<agency>.yaml; move this file there",
            )),
            FileKind::Page => {
                if let Some(p) = page(f, &mut diags) {
                    pages.push(p);
                }
            }
            FileKind::Rubric => {
                let cohorts = registry.as_ref().map(|(c, _)| c.as_slice());
                rubrics.extend(rubric::rubric(f, &lang, &catalog, cohorts, &mut diags));
            }
            _ => {}
        }
    }
    reports.sort_by(|a, b| (a.year, &a.agency).cmp(&(b.year, &b.agency)));
    pages.sort_by(|a, b| a.slug.cmp(&b.slug));
    rubrics.sort_by(|a, b| a.rubric.id.cmp(&b.rubric.id));
    let cohort_list = registry.as_ref().map(|(c, _)| c.as_slice()).unwrap_or(&[]);
    rubric::overlaps(&rubrics, cohort_list, &mut diags);
    let rubrics: Vec<Rubric> = rubrics.into_iter().map(|p| p.rubric).collect();
    if registry.is_some() {
        criteria::check(&mut reports, &rubrics, &cohort_of, &catalog, &mut diags);
    }
    let languages = site
        .as_ref()
        .map(|s| s.languages.clone())
        .unwrap_or_default();
    files::check_pages(&mut pages, &languages, &mut diags);

    if let Some((cohorts, agencies)) = &registry {
        // A report file with errors is still there: it is not missing.
        let present: BTreeSet<(i32, &str)> = loaded
            .report_kinds()
            .filter_map(|kind| match kind {
                FileKind::Report { year_dir, stem } => {
                    year_dir.parse().ok().map(|y| (y, stem.as_str()))
                }
                _ => None,
            })
            .collect();
        missing_reports(cohorts, agencies, &present, site.as_ref(), &mut diags);
    }

    diags.sort();
    let input = match (site, registry) {
        (Some(site), Some((cohorts, agencies))) => Some(Input {
            site,
            cohorts,
            agencies,
            catalog,
            reports,
            pages,
            rubrics,
        }),
        _ => None,
    };
    (input, diags)
}
