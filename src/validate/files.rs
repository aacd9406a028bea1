//! The files of a site root as a whole: links that lead outside it, files
//! that are no input, one report per agency and year, one page per address
//! (DATA-FORMAT.md §10).

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::input::Page;
use crate::load::{FileKind, Loaded};

/// The diagnostics of files that are found but not read.
pub(super) fn unread_files(loaded: &Loaded, diags: &mut Diagnostics) {
    let kinds = loaded
        .files
        .iter()
        .map(|f| (&f.rel, &f.kind))
        .chain(loaded.deferred.iter().map(|(r, k)| (r, k)));
    for (rel, kind) in kinds {
        let (code, message) = match kind {
            FileKind::Outside => (
                Code::OutsideRoot,
                "this is a symbolic link to a place outside the site root, which is not read; \
                 copy the file into the site instead"
                    .to_string(),
            ),
            FileKind::Ignored => (
                Code::IgnoredFile,
                if rel.starts_with("content/") {
                    "this file is not read: pages are content/**/*.md files; rename or remove it"
                } else {
                    "this file is not read: reports are data/reports/<year>/<agency>.yaml \
                     (beside data/agencies.yaml and data/indicators.yaml); rename or remove it"
                }
                .to_string(),
            ),
            FileKind::Unreadable(why) => (Code::Io, format!("cannot be read: {why}")),
            _ => continue,
        };
        diags.push(Diagnostic::new(code, rel.as_str(), None, message));
    }
}

/// The report files that repeat an agency and year of an earlier file
/// (`x.yaml` and `x.yml`): each is an error `duplicate-report` and is not
/// read, so that the open data has one row per agency and year.
pub(super) fn duplicate_reports(loaded: &Loaded, diags: &mut Diagnostics) -> BTreeSet<String> {
    let mut first: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    let mut reports: Vec<(&str, &str, &str)> = loaded
        .files
        .iter()
        .map(|f| (f.rel.as_str(), &f.kind))
        .chain(loaded.deferred.iter().map(|(r, k)| (r.as_str(), k)))
        .filter_map(|(rel, kind)| match kind {
            FileKind::Report { year_dir, stem } => Some((rel, year_dir.as_str(), stem.as_str())),
            _ => None,
        })
        .collect();
    reports.sort();
    let mut skip = BTreeSet::new();
    for (rel, year_dir, stem) in reports {
        match first.get(&(year_dir, stem)) {
            None => {
                first.insert((year_dir, stem), rel);
            }
            Some(earlier) => {
                let mut d = Diagnostic::new(
                    Code::DuplicateReport,
                    rel,
                    None,
                    format!(
                        "{earlier} is already the report of {stem} for {year_dir}; \
                         an agency has one report a year: keep one of the two files"
                    ),
                )
                .agency(stem);
                d.year = year_dir.parse().ok();
                diags.push(d);
                skip.insert(rel.to_string());
            }
        }
    }
    skip
}

/// Drops the pages that take an address an earlier page has (in a
/// language they share), each with an error `duplicate-page`, and reports
/// a page whose `lang:` is not a language of the site.
pub(super) fn check_pages(pages: &mut Vec<Page>, languages: &[String], diags: &mut Diagnostics) {
    pages.sort_by(|a, b| (&a.slug, &a.file).cmp(&(&b.slug, &b.file)));
    let mut kept: Vec<Page> = Vec::with_capacity(pages.len());
    for p in std::mem::take(pages) {
        if let Some(lang) = &p.lang {
            if !languages.is_empty() && !languages.contains(lang) {
                diags.push(Diagnostic::new(
                    Code::WrongType,
                    &p.file,
                    None,
                    format!(
                        "lang: {lang} is not a language of the site ({}); the page would not be \
                         published: use one of them, or add {lang} to `languages` in site.yaml",
                        languages.join(", ")
                    ),
                ));
                continue;
            }
        }
        let clash = kept
            .iter()
            .rev()
            .take_while(|k| k.slug == p.slug)
            .find(|k| k.lang.is_none() || p.lang.is_none() || k.lang == p.lang);
        if let Some(k) = clash {
            diags.push(Diagnostic::new(
                Code::DuplicatePage,
                &p.file,
                None,
                format!(
                    "{} already has the address /{}/; rename or remove one of the two pages",
                    k.file, p.slug
                ),
            ));
            continue;
        }
        kept.push(p);
    }
    *pages = kept;
}
