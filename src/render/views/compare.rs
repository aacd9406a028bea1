//! The compare page: agencies side by side.

use super::*;
use crate::format;
use crate::render::value::{field, value, Value as Json};

/// The compare page: every agency with a report, its rank and headline
/// rates over the years, one table per measure. The page works without a
/// script (all rows, sortable by nothing but readable); `site.js` keeps the
/// rows of the two to five agencies picked in the form, and the address
/// (`?a=id&a=id`) names them, so a comparison can be shared.
pub(super) fn compare(f: &Fmt, only: Option<&str>) -> PageView {
    let model = f.model;
    if split_by_cohort(model) && only.is_none() {
        // A large site compares within a cohort: the cohorts, linked.
        let links: Vec<Json> = model
            .input
            .cohorts
            .iter()
            .map(|c| {
                let n = model.cohort_agencies(&c.id).count();
                value!({
                    "name": f.text(&c.name), "lang": f.text_lang(&c.name),
                    "href": format!("{}{}", f.root, Job::Compare(Some(c.id.clone())).path()),
                    "count": fill(f.tr_str("agencies_count"), &[("n", format::integer(n as i128, f.l))]),
                })
            })
            .collect();
        return (
            f.tr("compare_title"),
            None,
            value!({"cohort_links": links, "intro": f.tr("compare_pick_cohort")}),
        );
    }
    let cohorts: Vec<Json> = model
        .input
        .cohorts
        .iter()
        .filter(|c| only.is_none_or(|o| o == c.id))
        .map(|c| {
            let agencies: Vec<Json> = model
                .cohort_members(&c.id)
                .filter(|(i, _)| model.has_entries(*i))
                .map(|(i, a)| {
                    let (name, lang) = f.agency_name_values(i, a);
                    value!({"id": a.id, "name": name, "lang": lang, "short": a.short})
                })
                .collect();
            value!({"id": c.id, "name": f.text(&c.name), "lang": f.text_lang(&c.name), "agencies": agencies})
        })
        .filter(|c| {
            field(c, "agencies")
                .and_then(Json::as_array)
                .is_some_and(|a| !a.is_empty())
        })
        .collect();
    let agencies: Vec<(usize, &crate::input::Agency)> = model
        .input
        .cohorts
        .iter()
        .filter(|c| only.is_none_or(|o| o == c.id))
        .flat_map(|c| model.cohort_members(&c.id))
        .filter(|(i, _)| model.has_entries(*i))
        .collect();
    // Each agency's heading and entries by year, made once for every table.
    let heads: Vec<Json> = agencies
        .iter()
        .map(|&(i, a)| {
            let (name, lang) = f.agency_name_values(i, a);
            value!({"id": a.id, "name": name, "lang": lang, "href": f.agency_href(&a.id),
                   // A cohort's own page does not repeat its name on every row.
                   "cohort": model.cohort(&a.cohort).filter(|_| only.is_none()).map(|c| f.text(&c.name))})
        })
        .collect();
    let entries: Vec<Vec<Option<&crate::model::Entry>>> = agencies
        .iter()
        .map(|&(i, _)| model.years.iter().map(|&y| model.entry_at(y, i)).collect())
        .collect();
    let mut measures = vec![value!({
        "id": "rank",
        "name": f.tr("rank"),
        "href": Json::none(),
        "rank": true,
        "rows": heads.iter().zip(&entries).map(|(head, es)| {
            let cells: Vec<Json> = es.iter().map(|e| match e {
                Some(e) => match f.rank_text(e) {
                    Some(text) => value!({
                        "text": text,
                        "sort": e.standing.rank.as_ref().map(|r| r.position.to_string()),
                        "missing": false,
                        "change": f.change(e.standing.change),
                    }),
                    None => value!({"text": f.tr("not_reported_short"), "sort": "", "missing": true, "label": f.tr("no_rank")}),
                },
                None => value!({"text": f.tr("not_reported_short"), "sort": "", "missing": true, "label": f.tr("missing_reports")}),
            }).collect();
            value!({"agency": head, "cells": cells})
        }).collect::<Vec<_>>(),
    })];
    // Each entry's rates are in catalogue order.
    for (i, r) in model.input.catalog.headline_rates_indexed() {
        measures.push(value!({
            "id": r.id,
            "name": f.text(&r.name),
            "href": f.indicator_href(&r.id),
            "rank": false,
            "rows": heads.iter().zip(&entries).map(|(head, es)| value!({
                "agency": head,
                "cells": es.iter().map(|e| f.rate_cell(e.and_then(|e| e.rate_at(i)), true)).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        }));
    }
    // Hundreds of rows per table would make a page a phone cannot lay out:
    // a large cohort's rows wait in a <template> (inert, not laid out) and
    // site.js shows the picked ones; without a script the page says so and
    // links to the agencies' own pages.
    let inert = agencies.len() > INLINE_AGENCIES;
    let list_href = format!(
        "{}{}",
        f.root,
        Job::AgencyList(only.map(str::to_string)).path()
    );
    let title = match only.and_then(|c| model.cohort(c)) {
        Some(c) => format!("{}: {}", f.tr("compare_title"), f.text(&c.name)),
        None => f.tr("compare_title"),
    };
    (
        title,
        None,
        value!({
            "parent": only.map(|_| value!({"href": format!("{}compare/", f.root), "label": f.tr("compare_title")})),
            "cohorts": cohorts,
            "years": model.years,
            "measures": measures,
            "all_rows": fill(f.tr_str("compare_all_rows"), &[("n", format::integer(agencies.len() as i128, f.l))]),
            "inert": inert,
            "no_script": inert.then(|| value!({
                "text": fill(f.tr_str("compare_no_script"), &[("n", format::integer(agencies.len() as i128, f.l))]),
                "link": f.tr("compare_no_script_link"),
                "href": list_href,
            })),
            "max": COMPARE_MAX,
        }),
    )
}

/// At most this many agencies side by side on the compare page.
pub const COMPARE_MAX: usize = 5;
