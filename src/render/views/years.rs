//! The index of the years (`/years/`): each published year, its reports and
//! the median of each headline rate, newest first.

use super::*;
use crate::format;
use crate::model::Percent;
use crate::render::value::{value, Value as Json};

pub(super) fn year_list(f: &Fmt) -> PageView {
    let model = f.model;
    let headline = headline_rates(f);
    let years: Vec<Json> = model
        .years
        .iter()
        .rev()
        .map(|&y| {
            let reports = model.year_entries(y).count();
            let medians: Vec<Json> = model
                .input
                .catalog
                .headline_rates()
                .map(|r| {
                    let values: Vec<f64> = model
                        .year_entries(y)
                        .filter_map(|e| e.percent(&r.id))
                        .map(Percent::as_f64)
                        .collect();
                    match crate::model::median(&values) {
                        Some(m) => value!({"text": format::percent(m, f.l), "missing": false,
                            "detail": fill(f.tr_str("count_n"), &[("n", format::integer(values.len() as i128, f.l))])}),
                        None => value!({"text": f.tr("not_reported_short"), "missing": true, "label": f.tr("not_computable")}),
                    }
                })
                .collect();
            value!({
                "year": y,
                "href": f.year_href(y),
                "reports": format::integer(reports as i128, f.l),
                "medians": medians,
            })
        })
        .collect();
    (
        f.tr("years"),
        None,
        value!({"years": years, "headline": headline}),
    )
}
