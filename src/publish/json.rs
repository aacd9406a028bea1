//! `minhbach.json`, everything the CSV files hold in one document, and the
//! `data.json` of each agency page.

use serde_json::{json, Value as Json};

use crate::model::{Entry, Model};

pub fn pretty(v: &Json) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(v).unwrap_or_default();
    out.push(b'\n');
    out
}

/// What the document is: title, publisher, licence, years, date, version.
/// It reads every report (the version counts the values): make it once.
pub fn about(model: &Model) -> Json {
    let site = &model.input.site;
    let default = site.language.as_str();
    json!({
        "title": site.title,
        "description": site.description,
        "publisher": site.publisher,
        "license": site.license,
        "license_url": super::license_url(&site.license),
        "years": model.years,
        "data_date": super::data_date(model),
        "version": super::version(model),
        "url": super::url(model, "data/"),
        "language": default,
    })
}

/// One report with its values, rates (the computable ones), score and rank.
pub fn report(model: &Model, e: &Entry) -> Json {
    let r = &e.report;
    json!({
        "year": r.year,
        "agency": r.agency,
        "cohort": e.standing.cohort,
        "period": r.period.map(|(f, t)| json!({"from": f, "to": t})),
        "source": r.source,
        "score": r.score,
        "rank": e.standing.rank,
        "rank_change": e.standing.change,
        "values": model.input.catalog.indicators.iter().filter_map(|i| {
            let o = r.values.get(&i.id)?;
            Some(json!({
                "indicator": i.id,
                "value": o.value,
                "unit": i.unit,
                "evidence": o.evidence,
                "note": o.note,
            }))
        }).collect::<Vec<_>>(),
        "rates": e.rates.iter().filter(|r| r.percent.is_some()).map(|r| json!({
            "rate": r.rate,
            "numerator": r.numerator,
            "denominator": r.denominator,
            "percent": r.percent.map(|p| p.as_f64()),
            "flags": r.flags,
        })).collect::<Vec<_>>(),
        "notes": r.notes,
        "flags": r.flags,
    })
}

/// `/data/minhbach.json`.
pub fn document(model: &Model) -> Json {
    json!({
        "about": about(model),
        "cohorts": model.input.cohorts,
        "agencies": model.input.agencies,
        "catalog": model.input.catalog,
        "reports": model.entries.iter().map(|e| report(model, e)).collect::<Vec<_>>(),
    })
}

/// `/agencies/<id>/data.json`: the agency and its reports, with the
/// bundle's `about` (made once by the caller for every agency).
pub fn agency_document(model: &Model, agency: &str, about: &Json) -> Json {
    json!({
        "about": about,
        "agency": model.agency(agency),
        "cohort": model.agency(agency).and_then(|a| model.cohort(&a.cohort)),
        "reports": model.agency_entries(agency).map(|e| report(model, e)).collect::<Vec<_>>(),
    })
}
