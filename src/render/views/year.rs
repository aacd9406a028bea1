//! One year: every agency of each cohort compared and ranked.

use super::*;
use crate::render::value::{field, value, Value as Json};

/// `page`: the page of a cohort's ranking (1-based, [`PAGE_ROWS`] a page).
pub(super) fn year(f: &Fmt, year: i32, only: Option<&str>, page: usize) -> PageView {
    let model = f.model;
    let pos = model.years.iter().position(|&y| y == year);
    let prev = pos
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| model.years.get(i))
        .copied();
    let next = pos.and_then(|i| model.years.get(i + 1)).copied();
    let split = split_by_cohort(model);
    let cohorts: Vec<Json> = shown_cohorts(model, only)
        .map(|c| {
            // On a cohort's own page, the ranking is cut into pages; the
            // agencies without a report are listed on the first.
            let (rows, missing, score_head) = ranking_rows(f, year, &c.id, only.map(|_| page));
            let missing = if only.is_some() && page > 1 { Vec::new() } else { missing };
            value!({"id": c.id, "name": f.text(&c.name), "lang": f.text_lang(&c.name), "rows": rows, "missing": missing, "score_head": score_head})
        })
        .filter(|c| {
            field(c, "rows")
                .and_then(Json::as_array)
                .is_some_and(|r| !r.is_empty())
        })
        .collect();
    let href = |y: i32| match only {
        Some(c) => format!("{}years/{y}/{c}/", f.root),
        None => f.year_href(y),
    };
    let cohort_name = only.and_then(|c| model.cohort(c)).map(|c| f.text(&c.name));
    let title = fill(f.tr_str("compare_year"), &[("year", year.to_string())]);
    (
        match &cohort_name {
            Some(n) => format!("{title}: {n}"),
            None => title,
        },
        None,
        value!({
            "year": year,
            "prev": prev.map(|y| value!({"year": y, "href": href(y)})),
            "next": next.map(|y| value!({"year": y, "href": href(y)})),
            "years": model.years.iter().map(|&y| value!({"year": y, "href": href(y), "current": y == year})).collect::<Vec<_>>(),
            "headline": headline_rates(f),
            "cohorts": cohorts,
            "scores": year_scores_of_page(f, year, only, &cohorts),
            "summary": if split && only.is_none() { f.cohort_summaries(year) } else { Vec::new() },
            "parent": only.map(|_| value!({"href": f.year_href(year), "label": year.to_string()})),
        }),
    )
}

/// The score table of the agencies ranked on this page.
fn year_scores_of_page(f: &Fmt, year: i32, only: Option<&str>, cohorts: &[Json]) -> Vec<Json> {
    let scores = super::rubric::year_scores(f, year, only);
    if only.is_none() {
        return scores;
    }
    let shown: std::collections::BTreeSet<&str> = cohorts
        .iter()
        .filter_map(|c| field(c, "rows").and_then(Json::as_array))
        .flatten()
        .filter_map(|r| {
            field(r, "agency")
                .and_then(|a| field(a, "href"))
                .and_then(Json::as_str)
        })
        .collect();
    scores
        .into_iter()
        .filter_map(|c| {
            let rows: Vec<Json> = field(&c, "rows")
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
                .filter(|r| {
                    field(r, "href")
                        .and_then(Json::as_str)
                        .and_then(|h| h.split('#').next())
                        .is_some_and(|h| shown.contains(h))
                })
                .cloned()
                .collect();
            (!rows.is_empty()).then(|| crate::render::value::with(c, "rows", Json::from(rows)))
        })
        .collect()
}
