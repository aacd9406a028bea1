//! `minhbach.json`, everything the CSV files hold in one document, and the
//! `data.json` of each agency page. Written straight to their output,
//! compact (keys sorted, one line end at the end of the file): indentation
//! made these the largest files of a national site (45 % of their bytes),
//! and every browser and tool that shows JSON indents it itself.

use std::io::{self, Write};

use serde::ser::{Error as _, SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::{json, Value as Json};

use crate::input::{Indicator, Observation};
use crate::model::{Entry, Model, RateValue};

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

/// Writes `v` as [`compact`] does, to `out`.
pub fn write_compact(out: &mut dyn Write, v: &impl Serialize) -> io::Result<()> {
    let mut w = io::BufWriter::with_capacity(BUFFER, out);
    serde_json::to_writer(&mut w, v)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// Writes `v` as [`pretty`] does, to `out`.
pub fn write_pretty(out: &mut dyn Write, v: &impl Serialize) -> io::Result<()> {
    let mut w = io::BufWriter::with_capacity(BUFFER, out);
    serde_json::to_writer_pretty(&mut w, v)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// What the document is: title, publisher, licence, years, date, version.
/// It reads every report (the version counts the values): make it once.
pub fn about(model: &Model) -> Json {
    about_with(model, &super::version(model))
}

/// [`about`] with the version already counted ([`super::version`]).
pub fn about_with(model: &Model, version: &str) -> Json {
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

/// A record as `json!` makes it: a `Json` value, keys sorted.
fn sorted<T: Serialize, E: serde::ser::Error>(v: &T) -> Result<Json, E> {
    serde_json::to_value(v).map_err(E::custom)
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
    write_compact(out, &Document(model, about))
}

/// [`document`] as serde sees it. The keys in the order a `Json` object
/// keeps them (sorted), each part made as `json!` makes it.
struct Document<'a>(&'a Model, &'a Json);

impl Serialize for Document<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (model, about) = (self.0, self.1);
        let input = &model.input;
        let agencies = serde_json::to_value(&input.agencies).map_err(S::Error::custom)?;
        let catalog = serde_json::to_value(&input.catalog).map_err(S::Error::custom)?;
        let cohorts = serde_json::to_value(&input.cohorts).map_err(S::Error::custom)?;
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("about", about)?;
        m.serialize_entry("agencies", &agencies)?;
        m.serialize_entry("catalog", &catalog)?;
        m.serialize_entry("cohorts", &cohorts)?;
        m.serialize_entry("reports", &Reports(model))?;
        if let Some(r) = super::scores::rubrics_json(model) {
            m.serialize_entry("rubrics", &r)?;
        }
        m.end()
    }
}

/// Every report, each made into a value only while it is written.
struct Reports<'a>(&'a Model);

impl Serialize for Reports<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let model = self.0;
        let mut seq = s.serialize_seq(Some(model.entries.len()))?;
        for e in &model.entries {
            seq.serialize_element(&Report(model, e))?;
        }
        seq.end()
    }
}

/// [`report`] as serde sees it, written without making the value first:
/// the same keys in the same (sorted) order, the same values. Values and
/// rates, most of the document, are written field by field; the few
/// nested records go through `Json`, which sorts their keys.
struct Report<'a>(&'a Model, &'a Entry);

impl Serialize for Report<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (model, e) = (self.0, self.1);
        let r = &e.report;
        let mut m = s.serialize_map(Some(12))?;
        m.serialize_entry("agency", &r.agency)?;
        m.serialize_entry("cohort", &e.standing.cohort)?;
        m.serialize_entry("flags", &sorted::<_, S::Error>(&r.flags)?)?;
        m.serialize_entry("notes", &r.notes)?;
        m.serialize_entry(
            "period",
            &r.period.map(|(f, t)| json!({"from": f, "to": t})),
        )?;
        m.serialize_entry("rank", &sorted::<_, S::Error>(&e.standing.rank)?)?;
        m.serialize_entry("rank_change", &e.standing.change)?;
        m.serialize_entry("rates", &Rates(e))?;
        m.serialize_entry("score", &sorted::<_, S::Error>(&r.score)?)?;
        if let Some(sc) = super::scores::report_json(e) {
            m.serialize_entry("scores", &sc)?;
        }
        m.serialize_entry("source", &sorted::<_, S::Error>(&r.source)?)?;
        m.serialize_entry("values", &Values(model, e))?;
        m.serialize_entry("year", &r.year)?;
        m.end()
    }
}

/// The `values` of [`report`].
struct Values<'a>(&'a Model, &'a Entry);

impl Serialize for Values<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (model, e) = (self.0, self.1);
        let mut seq = s.serialize_seq(None)?;
        for (p, o) in model.observations(e) {
            if let Some(i) = model.input.catalog.indicators.get(p) {
                seq.serialize_element(&ValueOf(i, o))?;
            }
        }
        seq.end()
    }
}

struct ValueOf<'a>(&'a Indicator, &'a Observation);

impl Serialize for ValueOf<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (i, o) = (self.0, self.1);
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("evidence", &o.evidence)?;
        m.serialize_entry("indicator", &i.id)?;
        m.serialize_entry("note", &o.note)?;
        m.serialize_entry("unit", &i.unit)?;
        m.serialize_entry("value", &o.value)?;
        m.end()
    }
}

/// The `rates` of [`report`]: the computable ones.
struct Rates<'a>(&'a Entry);

impl Serialize for Rates<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for r in self.0.rates.iter().filter(|r| r.percent.is_some()) {
            seq.serialize_element(&RateOf(r))?;
        }
        seq.end()
    }
}

struct RateOf<'a>(&'a RateValue);

impl Serialize for RateOf<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("denominator", &r.denominator)?;
        m.serialize_entry("flags", &r.flags)?;
        m.serialize_entry("numerator", &r.numerator)?;
        m.serialize_entry("percent", &r.percent.map(|p| p.as_f64()))?;
        m.serialize_entry("rate", &r.rate)?;
        m.end()
    }
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
    write_compact(out, &AgencyDocument(model, agency, about))
}

/// [`agency_document`] as serde sees it (keys sorted).
struct AgencyDocument<'a>(&'a Model, &'a str, &'a Json);

impl Serialize for AgencyDocument<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (model, agency, about) = (self.0, self.1, self.2);
        let a = model.agency(agency);
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("about", about)?;
        m.serialize_entry("agency", &sorted::<_, S::Error>(&a)?)?;
        m.serialize_entry(
            "cohort",
            &sorted::<_, S::Error>(&a.and_then(|a| model.cohort(&a.cohort)))?,
        )?;
        m.serialize_entry("reports", &AgencyReports(model, agency))?;
        m.end()
    }
}

struct AgencyReports<'a>(&'a Model, &'a str);

impl Serialize for AgencyReports<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for e in self.0.agency_entries(self.1) {
            seq.serialize_element(&Report(self.0, e))?;
        }
        seq.end()
    }
}
