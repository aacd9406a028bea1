//! `minhbach.json`, everything the CSV files hold in one document, and the
//! `data.json` of each agency page. Written straight to their output,
//! compact (keys sorted, one line end at the end of the file): indentation
//! made these the largest files of a national site (45 % of their bytes),
//! and every browser and tool that shows JSON indents it itself.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{json, Value as Json};

use crate::model::{Entry, Model};

pub fn pretty(v: &Json) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(v).unwrap_or_default();
    out.push(b'\n');
    out
}

/// `v` in compact form, followed by a line end.
pub fn compact(v: &Json) -> Vec<u8> {
    let mut out = serde_json::to_vec(v).unwrap_or_default();
    out.push(b'\n');
    out
}

/// The buffer between the serialiser and the output: serde_json writes a
/// key, a quote or a comma at a time, each a call through `dyn Write`
/// without it.
const BUFFER: usize = 64 * 1024;

/// Writes `v` as [`pretty`] does, to `out`.
pub fn write_pretty(out: &mut dyn Write, v: &impl Serialize) -> io::Result<()> {
    let mut w = io::BufWriter::with_capacity(BUFFER, out);
    serde_json::to_writer_pretty(&mut w, v)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// What the document is: title, publisher, licence, years, date, version.
pub fn about(model: &Model) -> Json {
    let version = super::version(model);
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
        "version": version,
        "url": super::url(model, "data/"),
        "language": default,
    })
}

/// One report with its values, rates (the computable ones), score and rank.
pub fn report(model: &Model, e: &Entry) -> Json {
    let r = &e.report;
    let mut v = json!({
        "year": r.year,
        "agency": r.agency,
        "cohort": e.standing.cohort,
        "period": r.period.map(|(f, t)| json!({"from": f, "to": t})),
        "source": r.source,
        "score": r.score,
        "rank": e.standing.rank,
        "rank_change": e.standing.change,
        "values": model.observations(e).filter_map(|(p, o)| {
            let i = model.input.catalog.indicators.get(p)?;
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
    });
    if let (Some(sc), Some(m)) = (super::scores::report_json(e), v.as_object_mut()) {
        m.insert("scores".to_string(), sc);
    }
    v
}

/// `/data/minhbach.json` as one value (for tests: [`write_document`]
/// writes the same bytes without holding it).
pub fn document(model: &Model) -> Json {
    let mut doc = json!({
        "about": about(model),
        "cohorts": model.input.cohorts,
        "agencies": model.input.agencies,
        "catalog": model.input.catalog,
        "reports": model.entries.iter().map(|e| report(model, e)).collect::<Vec<_>>(),
    });
    if let (Some(r), Some(m)) = (super::scores::rubrics_json(model), doc.as_object_mut()) {
        m.insert("rubrics".to_string(), r);
    }
    doc
}

/// Writes `/data/minhbach.json` report by report: the same bytes as
/// [`compact`] of [`document`], with only one report's value in memory at a
/// time. `about` is [`about`] of the model (made once by the caller).
pub fn write_document(model: &Model, about: &Json, out: &mut dyn Write) -> io::Result<()> {
    let input = &model.input;
    // As `json!` makes them: values, keys sorted.
    let agencies = serde_json::to_value(&input.agencies)?;
    let catalog = serde_json::to_value(&input.catalog)?;
    let cohorts = serde_json::to_value(&input.cohorts)?;
    let names = IndicatorJson::of(model)?;
    let mut w = io::BufWriter::with_capacity(BUFFER, out);
    w.write_all(b"{\"about\":")?;
    put(&mut w, about)?;
    w.write_all(b",\"agencies\":")?;
    put(&mut w, &agencies)?;
    w.write_all(b",\"catalog\":")?;
    put(&mut w, &catalog)?;
    w.write_all(b",\"cohorts\":")?;
    put(&mut w, &cohorts)?;
    w.write_all(b",\"reports\":[")?;
    for (k, e) in model.entries.iter().enumerate() {
        if k > 0 {
            w.write_all(b",")?;
        }
        write_report(&mut w, model, &names, e)?;
    }
    w.write_all(b"]")?;
    if let Some(r) = super::scores::rubrics_json(model) {
        w.write_all(b",\"rubrics\":")?;
        put(&mut w, &r)?;
    }
    w.write_all(b"}\n")?;
    w.flush()
}

/// Writes a value as serde_json writes it compact: the same bytes alone or
/// inside a document, so that a document can be written piece by piece.
#[inline]
fn put<W: Write>(w: &mut W, v: &(impl Serialize + ?Sized)) -> io::Result<()> {
    serde_json::to_writer(w, v).map_err(io::Error::from)
}

/// The id and unit of each indicator of the catalogue, as JSON strings:
/// written once per document rather than once per reported value.
struct IndicatorJson(Vec<(Vec<u8>, Vec<u8>)>);

impl IndicatorJson {
    fn of(model: &Model) -> io::Result<IndicatorJson> {
        model
            .input
            .catalog
            .indicators
            .iter()
            .map(|i| Ok((serde_json::to_vec(&i.id)?, serde_json::to_vec(&i.unit)?)))
            .collect::<io::Result<_>>()
            .map(IndicatorJson)
    }
}

/// [`report`] written as [`compact`] writes it, field by field: the same
/// keys in the same (sorted) order, the same values. The keys are plain
/// ASCII, written as they are; values, most of the document, each go
/// through serde_json; the few nested records go through `Json`, which
/// sorts their keys.
fn write_report<W: Write>(
    w: &mut W,
    model: &Model,
    names: &IndicatorJson,
    e: &Entry,
) -> io::Result<()> {
    let r = &e.report;
    w.write_all(b"{\"agency\":")?;
    put(w, &r.agency)?;
    w.write_all(b",\"cohort\":")?;
    put(w, &e.standing.cohort)?;
    w.write_all(b",\"flags\":")?;
    put(w, &serde_json::to_value(&r.flags)?)?;
    w.write_all(b",\"notes\":")?;
    put(w, &r.notes)?;
    w.write_all(b",\"period\":")?;
    put(w, &r.period.map(|(f, t)| json!({"from": f, "to": t})))?;
    w.write_all(b",\"rank\":")?;
    put(w, &serde_json::to_value(&e.standing.rank)?)?;
    w.write_all(b",\"rank_change\":")?;
    put(w, &e.standing.change)?;
    // The computable rates.
    w.write_all(b",\"rates\":[")?;
    for (k, rv) in e.rates.iter().filter(|r| r.percent.is_some()).enumerate() {
        w.write_all(if k > 0 { b",{" } else { b"{" })?;
        w.write_all(b"\"denominator\":")?;
        put(w, &rv.denominator)?;
        w.write_all(b",\"flags\":")?;
        put(w, &rv.flags)?;
        w.write_all(b",\"numerator\":")?;
        put(w, &rv.numerator)?;
        w.write_all(b",\"percent\":")?;
        put(w, &rv.percent.map(|p| p.as_f64()))?;
        w.write_all(b",\"rate\":")?;
        put(w, &rv.rate)?;
        w.write_all(b"}")?;
    }
    w.write_all(b"],\"score\":")?;
    put(w, &serde_json::to_value(&r.score)?)?;
    if let Some(sc) = super::scores::report_json(e) {
        w.write_all(b",\"scores\":")?;
        put(w, &sc)?;
    }
    w.write_all(b",\"source\":")?;
    put(w, &serde_json::to_value(&r.source)?)?;
    w.write_all(b",\"values\":[")?;
    let mut first = true;
    for (p, o) in model.observations(e) {
        let Some((id, unit)) = names.0.get(p) else {
            continue;
        };
        w.write_all(if first { b"{" } else { b",{" })?;
        first = false;
        w.write_all(b"\"evidence\":")?;
        put(w, &o.evidence)?;
        w.write_all(b",\"indicator\":")?;
        w.write_all(id)?;
        w.write_all(b",\"note\":")?;
        put(w, &o.note)?;
        w.write_all(b",\"unit\":")?;
        w.write_all(unit)?;
        w.write_all(b",\"value\":")?;
        put(w, &o.value)?;
        w.write_all(b"}")?;
    }
    w.write_all(b"],\"year\":")?;
    put(w, &r.year)?;
    w.write_all(b"}")
}

/// `/agencies/<id>/data.json`: the agency and its reports, with the
/// bundle's `about` (made once by the caller for every agency). As one
/// value, for tests: [`write_agency_document`] writes the same bytes.
pub fn agency_document(model: &Model, agency: &str, about: &Json) -> Json {
    json!({
        "about": about,
        "agency": model.agency(agency),
        "cohort": model.agency(agency).and_then(|a| model.cohort(&a.cohort)),
        "reports": model.agency_entries(agency).map(|e| report(model, e)).collect::<Vec<_>>(),
    })
}

/// Writes [`agency_document`] to `out`, report by report.
pub fn write_agency_document(
    model: &Model,
    agency: &str,
    about: &Json,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut w = io::BufWriter::with_capacity(BUFFER, out);
    AgencyDocuments::new(model, about)?.write(agency, &mut w)?;
    w.flush()
}

/// What every agency's `data.json` shares, made once for all of them:
/// [`about`] and the catalogue's ids and units as JSON.
pub struct AgencyDocuments<'a> {
    model: &'a Model,
    about: &'a Json,
    names: IndicatorJson,
}

impl<'a> AgencyDocuments<'a> {
    pub fn new(model: &'a Model, about: &'a Json) -> io::Result<AgencyDocuments<'a>> {
        Ok(AgencyDocuments {
            model,
            about,
            names: IndicatorJson::of(model)?,
        })
    }

    /// [`write_agency_document`] of `agency`, to a writer of its own
    /// buffering (a worker's buffer: no second buffer in between).
    pub fn write<W: Write>(&self, agency: &str, w: &mut W) -> io::Result<()> {
        let model = self.model;
        let a = model.agency(agency);
        // As `json!` makes them: values, keys sorted.
        let agency_json = serde_json::to_value(a)?;
        let cohort = serde_json::to_value(a.and_then(|a| model.cohort(&a.cohort)))?;
        w.write_all(b"{\"about\":")?;
        put(w, self.about)?;
        w.write_all(b",\"agency\":")?;
        put(w, &agency_json)?;
        w.write_all(b",\"cohort\":")?;
        put(w, &cohort)?;
        w.write_all(b",\"reports\":[")?;
        for (k, e) in model.agency_entries(agency).enumerate() {
            if k > 0 {
                w.write_all(b",")?;
            }
            write_report(w, model, &self.names, e)?;
        }
        w.write_all(b"]}\n")
    }
}
