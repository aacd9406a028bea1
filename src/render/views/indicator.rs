//! The indicator list and one indicator or rate across agencies and years.

use super::shared::Slot;
use super::*;
use crate::format;
use crate::input::{Kind, Num};
use crate::render::value::{field, value, Value as Json};

pub(super) fn kind_label(f: &Fmt, kind: Kind) -> String {
    f.tr(&format!("kind_{}", kind.as_str()))
}

pub(super) fn indicator_list(f: &Fmt) -> PageView {
    let cat = &f.model.input.catalog;
    let rates: Vec<Json> = cat
        .rates
        .iter()
        .map(|r| value!({"id": r.id, "name": f.text(&r.name), "href": f.indicator_href(&r.id), "headline": r.headline,
                        "formula": format!("{} / {}", f.indicator_name(&r.numerator), f.indicator_name(&r.denominator))}))
        .collect();
    let groups: Vec<Json> = cat
        .groups
        .iter()
        .map(|g| {
            let items: Vec<Json> = cat
                .indicators
                .iter()
                .filter(|i| i.group == g.id)
                .map(|i| value!({"id": i.id, "name": f.text(&i.name), "href": f.indicator_href(&i.id), "kind": kind_label(f, i.kind)}))
                .collect();
            value!({"id": g.id, "name": f.text(&g.name), "indicators": items})
        })
        .filter(|g| field(g, "indicators").and_then(Json::as_array).is_some_and(|a| !a.is_empty()))
        .collect();
    (
        f.tr("indicators"),
        None,
        value!({"rates": rates, "groups": groups}),
    )
}

/// `page`: the page of a cohort's table (1-based, [`PAGE_ROWS`] a page).
pub(super) fn indicator(f: &Fmt, id: &str, only: Option<&str>, page: usize) -> PageView {
    let model = f.model;
    let cat = &model.input.catalog;
    let rate = cat.rate(id);
    // Each entry's rates are in catalogue order.
    let rate_pos = cat.rates.iter().position(|r| r.id == id);
    // The indicator with its place in the catalogue.
    let ind_at = cat.indicators.iter().enumerate().find(|(_, i)| i.id == id);
    let ind = ind_at.map(|(_, i)| i);
    let (name, info) = match (rate, ind) {
        (Some(r), _) => (
            f.text(&r.name),
            value!({
                "is_rate": true,
                "kind": f.tr("kind_rate"),
                "numerator": {"name": f.indicator_name(&r.numerator), "href": f.indicator_href(&r.numerator)},
                "denominator": {"name": f.indicator_name(&r.denominator), "href": f.indicator_href(&r.denominator)},
            }),
        ),
        (None, Some(i)) => {
            let mut rules = Vec::new();
            if let Some(t) = &i.at_most {
                rules.push(fill(
                    f.tr_str("rule_at_most"),
                    &[("other", f.indicator_name(t))],
                ));
            }
            if !i.parts.is_empty() {
                rules.push(fill(
                    f.tr_str("rule_parts"),
                    &[(
                        "parts",
                        i.parts
                            .iter()
                            .map(|p| f.indicator_name(p))
                            .collect::<Vec<_>>()
                            .join(" + "),
                    )],
                ));
            }
            let used_in: Vec<Json> = cat
                .rates
                .iter()
                .filter(|r| r.numerator == i.id || r.denominator == i.id)
                .map(|r| value!({"name": f.text(&r.name), "href": f.indicator_href(&r.id)}))
                .collect();
            (
                f.text(&i.name),
                value!({
                    "is_rate": false,
                    "kind": kind_label(f, i.kind),
                    "unit": i.unit_label.as_ref().map(|u| f.text(u)),
                    "group": cat.group(&i.group).map(|g| f.text(&g.name)),
                    "rules": rules,
                    "used_in": used_in,
                }),
            )
        }
        (None, None) => (id.to_string(), value!({})),
    };
    let split = split_by_cohort(model);
    let cohorts: Vec<Json> = shown_cohorts(model, only)
        .map(|c| {
            // A large cohort's table leaves out each rate's numerator and
            // denominator (its agency page has them): fewer elements.
            let compact = model.cohort_agencies(&c.id).count() > INLINE_AGENCIES;
            // On a cohort's own page, only this page's rows are built.
            let agencies: Vec<_> = model
                .cohort_members(&c.id)
                .filter(|(i, _)| model.has_entries(*i))
                .collect();
            let agencies = if only.is_some() { page_rows(agencies, page) } else { agencies };
            let rows: Vec<Json> = agencies
                .into_iter()
                .map(|(ai, a)| {
                    let cells: Vec<Json> = model
                        .years
                        .iter()
                        .map(|&y| match (rate, ind_at) {
                            (Some(_), _) => f.rate_slot_cell(rate_pos.zip(model.entry_index_at(y, ai)).and_then(|(r, e)| f.shared.rate_slot(e, r)), !compact),
                            // The indicator's column: the entry is not read.
                            (None, Some((p, i))) => f.value_cell(
                                model.entry_index_at(y, ai).map_or(Slot::Absent, |e| f.shared.slot(e, p)),
                                i,
                            ),
                            _ => Json::none(),
                        })
                        .collect();
                    let (name, lang) = f.agency_name_values(ai, a);
                    value!({"agency": {"name": name, "lang": lang, "href": f.agency_href(&a.id)}, "cells": Json::from(cells)})
                })
                .collect();
            value!({"id": c.id, "name": f.text(&c.name), "lang": f.text_lang(&c.name), "rows": Json::from(rows)})
        })
        .filter(|c| field(c, "rows").and_then(Json::as_array).is_some_and(|r| !r.is_empty()))
        .collect();
    // On a split site, the indicator page summarises each cohort by its
    // median per year (rates) and links to the cohort's own page.
    let summary: Vec<Json> = if split && only.is_none() {
        model
            .input
            .cohorts
            .iter()
            .map(|c| {
                let cells: Vec<Json> = model
                    .years
                    .iter()
                    .map(|&y| {
                        let values: Vec<f64> = model
                            .cohort_members(&c.id)
                            .filter_map(|(a, _)| match (rate, ind_at) {
                                (Some(_), _) => f.shared.rate_slot(model.entry_index_at(y, a)?, rate_pos?).map(|r| r.percent.as_f64()),
                                (None, Some((p, i))) if i.kind.is_numeric() => {
                                    f.shared.slot(model.entry_index_at(y, a)?, p).num().map(Num::as_f64)
                                }
                                _ => None,
                            })
                            .collect();
                        match crate::model::median(&values) {
                            Some(m) if rate.is_some() => value!({"text": format::percent(m, f.l), "missing": false, "detail": fill(f.tr_str("count_n"), &[("n", format::integer(values.len() as i128, f.l))])}),
                            Some(m) => value!({"text": format::number(m, 2, f.l), "missing": false, "detail": fill(f.tr_str("count_n"), &[("n", format::integer(values.len() as i128, f.l))])}),
                            None => value!({"text": f.tr("not_reported_short"), "missing": true, "label": f.tr("not_reported")}),
                        }
                    })
                    .collect();
                value!({"name": f.text(&c.name), "lang": f.text_lang(&c.name), "href": format!("{}indicators/{id}/{}/", f.root, c.id), "cells": Json::from(cells)})
            })
            .collect()
    } else {
        Vec::new()
    };
    let cohort_name = only.and_then(|c| model.cohort(c)).map(|c| f.text(&c.name));
    (
        match &cohort_name {
            Some(n) => format!("{name}: {n}"),
            None => name.clone(),
        },
        None,
        value!({
            "id": id, "name": name, "info": info, "years": model.years, "cohorts": cohorts,
            "summary": summary,
            "parent": only.map(|_| value!({"href": f.indicator_href(id), "label": name.clone()})),
        }),
    )
}
