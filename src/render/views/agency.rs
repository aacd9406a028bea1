//! The agency list and one agency over the years.

use super::shared::Slot;
use super::*;
use crate::format;
use crate::input::Kind;
use crate::model::Entry;
use crate::publish;
use crate::render::value::{value, Value as Json};

/// `page`: the page of a cohort's list (1-based, [`PAGE_ROWS`] a page).
pub(super) fn agency_list(f: &Fmt, only: Option<&str>, page: usize) -> PageView {
    let model = f.model;
    let latest = model.latest_year();
    // A large site lists its cohorts here, each cohort's agencies on a page
    // of its own: no page grows with the whole country.
    let index = split_by_cohort(model) && only.is_none();
    let cohorts: Vec<Json> = model
        .input
        .cohorts
        .iter()
        .filter(|c| only.is_none_or(|o| o == c.id))
        .map(|c| {
            if index {
                let n = model.cohort_agencies(&c.id).count();
                return value!({
                    "id": c.id, "name": f.text(&c.name), "lang": f.text_lang(&c.name),
                    "href": format!("{}{}", f.root, Job::AgencyList(Some(c.id.clone())).path()),
                    "count": fill(f.tr_str("agencies_count"), &[("n", format::integer(n as i128, f.l))]),
                });
            }
            let agencies: Vec<_> = model.cohort_members(&c.id).collect();
            let agencies = if only.is_some() { page_rows(agencies, page) } else { agencies };
            let agencies: Vec<Json> = agencies
                .into_iter()
                .map(|(i, a)| {
                    let e = latest.and_then(|y| model.entry_at(y, i));
                    let (name, lang) = f.agency_name_values(i, a);
                    value!({
                        "id": a.id, "name": name, "lang": lang, "short": a.short, "href": f.agency_href(&a.id),
                        "rank_text": e.and_then(|e| f.rank_text(e)),
                    })
                })
                .collect();
            value!({"id": c.id, "name": f.text(&c.name), "lang": f.text_lang(&c.name), "agencies": agencies})
        })
        .collect();
    let cohort = only.and_then(|c| model.cohort(c));
    let title = match cohort {
        Some(c) => format!("{}: {}", f.tr("agencies"), f.text(&c.name)),
        None => f.tr("agencies"),
    };
    (
        title,
        None,
        value!({
            "cohorts": cohorts,
            "index": index,
            "latest_year": latest,
            "parent": cohort.map(|_| value!({"href": format!("{}agencies/", f.root), "label": f.tr("agencies")})),
        }),
    )
}

pub(super) fn agency(f: &Fmt, id: &str) -> PageView {
    let model = f.model;
    let Some(a) = model.agency(id) else {
        return (id.to_string(), None, value!({}));
    };
    let entries: Vec<(i32, Option<&Entry>)> = model
        .years
        .iter()
        .map(|&y| (y, model.entry(y, id)))
        .collect();
    let name = f.text(&a.name);
    let cat = &model.input.catalog;

    let standing: Vec<Json> = entries
        .iter()
        .map(|(y, e)| match e {
            Some(e) => {
                let s = &e.standing;
                value!({
                    "year": y,
                    "href": f.year_href(*y),
                    "reported": true,
                    "rank_text": f.rank_text(e),
                    "change": f.change(s.change),
                    "rank_source": s.rank.as_ref().map(|r| f.tr(if r.source == crate::model::RankSource::Official { "rank_official" } else { "rank_computed" })),
                    "decision": s.rank.as_ref().and_then(|r| r.decision.clone()),
                    "score": e.report.score.as_ref().map(|sc| match sc.max {
                        Some(m) => format!("{}/{}", f.num(sc.value, Kind::Number), f.num(m, Kind::Number)),
                        None => f.num(sc.value, Kind::Number),
                    }),
                    "self_assessed": e.report.score.as_ref().and_then(|s| s.self_assessed).unwrap_or(false),
                    "audited": super::rubric::audited_text(f, e),
                })
            }
            None => value!({"year": y, "href": f.year_href(*y), "reported": false}),
        })
        .collect();

    // Each entry's rates are in catalogue order.
    let rates: Vec<Json> = cat
        .rates
        .iter()
        .enumerate()
        .filter(|(i, r)| entries.iter().any(|(_, e)| e.and_then(|e| e.rate_at(*i)?.percent).is_some()) || r.headline)
        .map(|(i, r)| {
            value!({
                "id": r.id, "name": f.text(&r.name), "href": f.indicator_href(&r.id), "headline": r.headline,
                "cells": Json::from(entries.iter().map(|(_, e)| f.rate_cell(e.and_then(|e| e.rate_at(i)), true)).collect::<Vec<Json>>()),
            })
        })
        .collect();

    let groups: Vec<Json> = cat
        .groups
        .iter()
        .filter_map(|g| {
            let has = |e: &Entry, p: usize| f.shared.observation(e.index(), p).is_some();
            let rows: Vec<Json> = cat
                .indicators
                .iter()
                .enumerate()
                .filter(|(_, i)| i.group == g.id)
                .filter(|(p, _)| entries.iter().any(|(_, e)| e.is_some_and(|e| has(e, *p))))
                .map(|(p, i)| {
                    value!({
                        "id": i.id, "name": f.text(&i.name), "href": f.indicator_href(&i.id),
                        "unit": i.unit_label.as_ref().map(|u| f.text(u)),
                        "cells": Json::from(entries.iter().map(|(_, e)| f.value_cell(e.map_or(Slot::Absent, |e| f.shared.row_slot(e.index(), p)), i)).collect::<Vec<Json>>()),
                    })
                })
                .collect();
            (!rows.is_empty()).then(|| value!({"id": g.id, "name": f.text(&g.name), "rows": Json::from(rows)}))
        })
        .collect();

    let reports: Vec<Json> = entries
        .iter()
        .rev()
        .filter_map(|(y, e)| e.map(|e| (y, e)))
        .map(|(y, e)| {
            let r = &e.report;
            let evidence: Vec<Json> = cat
                .indicators
                .iter()
                .enumerate()
                .filter_map(|(p, i)| f.shared.observation(e.index(), p).map(|o| (i, o)))
                .filter(|(_, o)| o.evidence.is_some() || o.note.is_some())
                .map(|(i, o)| value!({"indicator": f.text(&i.name), "evidence": o.evidence, "note": o.note}))
                .collect();
            value!({
                "year": y,
                "period": date_range(f, r.period),
                "source": r.source.as_ref().map(|s| value!({"title": s.title, "reference": s.reference, "url": s.url})),
                "notes_html": r.notes.as_deref().map(markdown::notes_html),
                "flags": f.flag_sentences(r),
                "evidence": evidence,
                "file": r.file,
            })
        })
        .collect();

    let cohort = model.cohort(&a.cohort);
    (
        name.clone(),
        None,
        value!({
            "agency": {
                "id": a.id, "name": name, "lang": f.text_lang(&a.name), "short": a.short, "province": a.province, "website": a.website,
                "cohort": cohort.map(|c| f.text(&c.name)),
            },
            // Large sites compare within the agency's cohort.
            "compare_href": format!("{}{}?a={}", f.root, Job::Compare(split_by_cohort(model).then(|| a.cohort.clone())).path(), a.id),
            "years": model.years,
            "standing": standing,
            "rates": rates,
            "groups": groups,
            "reports": reports,
            "scores": super::rubric::agency_scores(f, id),
            "downloads": {
                "csv": format!("{}agencies/{}/data.csv", f.site_root, a.id),
                "json": format!("{}agencies/{}/data.json", f.site_root, a.id),
                "all": format!("{}data/", f.root),
                "intro": fill(f.tr_str("agency_data_intro"), &[("agency", name.clone()), ("years", publish::span(model)), ("license", model.input.site.license.clone())]),
            },
        }),
    )
}
