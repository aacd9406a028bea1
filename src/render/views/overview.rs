//! The overview page: headline rates and each cohort's ranking.

use super::*;
use crate::format;
use crate::input::Kind;
use crate::model::{Entry, Percent};
use crate::render::value::{value, Value as Json};

pub(super) fn headline_rates(f: &Fmt) -> Vec<Json> {
    f.model
        .input
        .catalog
        .headline_rates()
        .map(|r| value!({"id": r.id, "name": f.text(&r.name), "href": f.indicator_href(&r.id)}))
        .collect()
}

/// The ranking of a cohort in a year: its rows (only page `page`'s when
/// given), the agencies without a report, and the score column's heading.
pub(super) fn ranking_rows(
    f: &Fmt,
    year: i32,
    cohort: &str,
    page: Option<usize>,
) -> (Vec<Json>, Vec<Json>, String) {
    let model = f.model;
    // The headline rates' places in the catalogue, as in each entry's rates.
    let headline: Vec<usize> = model
        .input
        .catalog
        .headline_rates_indexed()
        .map(|(i, _)| i)
        .collect();
    let mut entries: Vec<&Entry> = model.cohort_entries(year, cohort).collect();
    // By position, then id (compared in place: a key of the sort would be
    // a copy of the id at every comparison).
    let position = |e: &Entry| e.standing.rank.as_ref().map_or(u32::MAX, |r| r.position);
    entries.sort_by(|a, b| (position(a), &a.report.agency).cmp(&(position(b), &b.report.agency)));
    // A large cohort's table leaves out each rate's numerator and
    // denominator (its agency page has them): fewer elements for a phone.
    let compact = entries.len() > INLINE_AGENCIES;
    let rate_cell = |e: &Entry, r: usize| f.rate_cell(e.rate_at(r), !compact);
    // The score column says when its scores are the agencies' own: an
    // official rank need not follow them (rank 1 with 355, rank 20 with 485).
    let scored: Vec<&&Entry> = entries
        .iter()
        .filter(|e| e.standing.score.is_some())
        .collect();
    let all_self = !scored.is_empty() && scored.iter().all(|e| self_assessed(e));
    let shown = match page {
        Some(p) => page_rows(entries.iter().collect(), p),
        None => entries.iter().collect::<Vec<_>>(),
    };
    let rows: Vec<Json> = shown
        .into_iter()
        .map(|e| {
            let a = &e.report.agency;
            // As Fmt::agency_name and agency_lang, from one look-up.
            let agency = model.agency_indexed(a);
            let (name, lang) = match agency {
                Some((i, x)) => f.agency_name_values(i, x),
                None => (Json::from(a.as_str()), Json::none()),
            };
            value!({
                "agency": {"id": a, "name": name, "lang": lang, "href": f.agency_href(a),
                           "short": agency.and_then(|(_, x)| x.short.clone())},
                "rank": e.standing.rank.as_ref().map(|r| r.position),
                "rank_text": f.rank_text(e),
                "rank_source": e.standing.rank.as_ref().map(|r| f.tr(if r.source == crate::model::RankSource::Official { "rank_official" } else { "rank_computed" })),
                "change": f.change(e.standing.change),
                "score": e.standing.score.map(|s| f.num(s, Kind::Number)),
                "score_sort": e.standing.score.map(|s| s.as_f64().to_string()),
                // Every score self-assessed: the heading says it once; else
                // each such score says it.
                "self_assessed": !all_self && self_assessed(e),
                "audited": super::rubric::audited_text(f, e),
                "rates": headline.iter().map(|&r| rate_cell(e, r)).collect::<Vec<_>>(),
                "flags": e.report.flags.len(),
            })
        })
        .collect();
    let score_head = if all_self {
        f.tr("score_self_assessed")
    } else {
        f.tr("score")
    };
    let missing = model
        .cohort_members(cohort)
        .filter(|&(i, _)| model.entry_at(year, i).is_none())
        .map(|(i, a)| {
            let (name, lang) = f.agency_name_values(i, a);
            value!({"name": name, "lang": lang, "href": f.agency_href(&a.id)})
        })
        .collect();
    (rows, missing, score_head)
}

fn self_assessed(e: &Entry) -> bool {
    e.report
        .score
        .as_ref()
        .and_then(|s| s.self_assessed)
        .unwrap_or(false)
}

pub(super) fn overview(f: &Fmt) -> PageView {
    let model = f.model;
    let latest = model.latest_year();
    let split = split_by_cohort(model);
    let cohorts: Vec<Json> = model
        .input
        .cohorts
        .iter()
        .filter(|_| !split)
        .map(|c| {
            let (rows, missing, score_head) =
                latest.map(|y| ranking_rows(f, y, &c.id, None)).unwrap_or_default();
            let medians: Vec<Json> = model
                .input
                .catalog
                .headline_rates()
                .map(|r| {
                    let values: Vec<f64> = latest
                        .map(|y| {
                            model
                                .cohort_entries(y, &c.id)
                                .filter_map(|e| e.percent(&r.id))
                                .map(Percent::as_f64)
                                .collect()
                        })
                        .unwrap_or_default();
                    value!({
                        "name": f.text(&r.name),
                        "href": f.indicator_href(&r.id),
                        "median": crate::model::median(&values).map(|m| format::percent(m, f.l)),
                        "reported": values.len(),
                    })
                })
                .collect();
            value!({"id": c.id, "name": f.text(&c.name), "lang": f.text_lang(&c.name), "rows": rows, "missing": missing, "medians": medians, "score_head": score_head})
        })
        .collect();
    let years: Vec<Json> = model
        .years
        .iter()
        .rev()
        .map(|&y| {
            let n = model.year_entries(y).count();
            value!({"year": y, "href": f.year_href(y), "reports": fill(f.tr_str("reports_count"), &[("n", format::integer(n as i128, f.l))])})
        })
        .collect();
    (
        f.text(&model.input.site.title),
        None,
        value!({
            "latest_year": latest,
            "latest_heading": latest.map(|y| fill(f.tr_str("overview_latest"), &[("year", y.to_string())])),
            "summary": match latest {
                Some(y) if split => f.cohort_summaries(y),
                _ => Vec::new(),
            },
            "headline": headline_rates(f),
            "cohorts": cohorts,
            "years": years,
            "agency_count": fill(f.tr_str("agency_count"), &[("n", format::integer(model.input.agencies.len() as i128, f.l))]),
        }),
    )
}
