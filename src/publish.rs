//! Publish: the open-data files of `/data/` for the province portal: CSV
//! tables, one JSON document, a Frictionless Data Package and SHA256SUMS.
//! Machine formats only: `1517`, `84.96`, `2022-11-24`, `true`.

use serde_json::{json, Value as Json};
use sha2::{Digest, Sha256};

use crate::input::{Kind, Text};
use crate::model::Model;

/// A file of the open-data bundle: its name under `/data/` and its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct DataFile {
    pub name: String,
    pub bytes: Vec<u8>,
    /// A one-line description for the data page and the package.
    pub description: String,
    pub media_type: &'static str,
}

impl DataFile {
    pub fn sha256(&self) -> String {
        hex(&Sha256::digest(&self.bytes))
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Neutralises a text cell that a spreadsheet would run as a formula
/// (OWASP CSV injection): a leading `=`, `+`, `-`, `@`, tab, CR or LF gets
/// a `'` in front. Only for text columns; numbers are never touched.
pub fn safe_text(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n') => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// A CSV table: header and rows of already formatted cells.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn new(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// UTF-8 without BOM, comma-separated, `\n` line ends, RFC 4180 quoting.
    fn to_csv(&self) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = w.write_record(&self.header);
        for r in &self.rows {
            let _ = w.write_record(r);
        }
        w.into_inner().unwrap_or_default()
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn lang_columns(prefix: &str, langs: &[String]) -> Vec<String> {
    langs.iter().map(|l| format!("{prefix}_{l}")).collect()
}

fn texts(t: &Text, langs: &[String], default: &str) -> Vec<String> {
    langs.iter().map(|l| safe_text(t.get(l, default))).collect()
}

/// `SHA256SUMS` of the given files (name, bytes), sorted by name, in
/// `sha256sum -c` format.
pub fn checksums<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> DataFile {
    let mut sums: Vec<(String, String)> = files
        .into_iter()
        .map(|(n, b)| (n.to_string(), hex(&Sha256::digest(b))))
        .collect();
    sums.sort();
    let text: String = sums.iter().map(|(n, h)| format!("{h}  {n}\n")).collect();
    DataFile {
        name: "SHA256SUMS".to_string(),
        bytes: text.into_bytes(),
        description: "SHA-256 checksums of every file, for `sha256sum -c SHA256SUMS`.".to_string(),
        media_type: "text/plain",
    }
}

/// Builds the open-data files of `/data/` (SHA256SUMS comes last, from
/// [`checksums`], once the data page is written too).
pub fn publish(model: &Model) -> Vec<DataFile> {
    let site = &model.input.site;
    let langs = &site.languages;
    let default = site.language.as_str();
    let cat = &model.input.catalog;
    let mut files = Vec::new();

    let mut obs = Table::new(&["year", "agency", "indicator", "value", "unit", "evidence"]);
    let mut rates = Table::new(&[
        "year",
        "agency",
        "rate",
        "numerator",
        "denominator",
        "percent",
        "flag",
    ]);
    for e in &model.entries {
        let r = &e.report;
        for ind in &cat.indicators {
            let Some(o) = r.values.get(&ind.id) else {
                continue;
            };
            let Some(v) = &o.value else { continue };
            let value = if ind.kind == Kind::Text {
                safe_text(&v.plain())
            } else {
                v.plain()
            };
            obs.rows.push(vec![
                r.year.to_string(),
                r.agency.clone(),
                ind.id.clone(),
                value,
                ind.unit.clone(),
                o.evidence.as_deref().map(safe_text).unwrap_or_default(),
            ]);
        }
        for rv in &e.rates {
            let Some(p) = rv.percent else { continue };
            rates.rows.push(vec![
                r.year.to_string(),
                r.agency.clone(),
                rv.rate.clone(),
                opt(rv.numerator),
                opt(rv.denominator),
                p.plain(),
                rv.flags
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
            ]);
        }
    }

    let mut rankings = Table::new(&[
        "year",
        "cohort",
        "agency",
        "score",
        "score_max",
        "rank",
        "rank_of",
        "rank_change",
        "rank_source",
    ]);
    let mut standings: Vec<_> = model.entries.iter().map(|e| &e.standing).collect();
    standings.sort_by(|a, b| {
        let pa = a.rank.as_ref().map_or(u32::MAX, |r| r.position);
        let pb = b.rank.as_ref().map_or(u32::MAX, |r| r.position);
        (a.year, &a.cohort, pa, &a.agency).cmp(&(b.year, &b.cohort, pb, &b.agency))
    });
    for s in standings {
        rankings.rows.push(vec![
            s.year.to_string(),
            s.cohort.clone(),
            s.agency.clone(),
            opt(s.score.map(|n| n.plain())),
            opt(s.score_max.map(|n| n.plain())),
            opt(s.rank.as_ref().map(|r| r.position)),
            opt(s.rank.as_ref().map(|r| r.of)),
            opt(s.change),
            opt(s.rank.as_ref().map(|r| r.source.as_str())),
        ]);
    }

    let mut header: Vec<String> = vec!["agency".into()];
    header.extend(lang_columns("name", langs));
    header.extend(["short", "cohort"].map(String::from));
    header.extend(lang_columns("cohort_name", langs));
    header.extend(["province", "website"].map(String::from));
    let mut agencies = Table {
        header,
        rows: Vec::new(),
    };
    for a in &model.input.agencies {
        let mut row = vec![a.id.clone()];
        row.extend(texts(&a.name, langs, default));
        row.push(a.short.as_deref().map(safe_text).unwrap_or_default());
        row.push(a.cohort.clone());
        match model.cohort(&a.cohort) {
            Some(c) => row.extend(texts(&c.name, langs, default)),
            None => row.extend(langs.iter().map(|_| String::new())),
        }
        row.push(a.province.as_deref().map(safe_text).unwrap_or_default());
        row.push(a.website.clone().unwrap_or_default());
        agencies.rows.push(row);
    }

    let mut header: Vec<String> = ["id", "type", "kind", "group", "unit"]
        .map(String::from)
        .to_vec();
    header.extend(lang_columns("name", langs));
    header.extend(
        [
            "at_most",
            "parts",
            "numerator",
            "denominator",
            "headline",
            "core",
        ]
        .map(String::from),
    );
    let mut indicators = Table {
        header,
        rows: Vec::new(),
    };
    for i in &cat.indicators {
        let mut row = vec![
            i.id.clone(),
            "indicator".into(),
            i.kind.as_str().into(),
            i.group.clone(),
            i.unit.clone(),
        ];
        row.extend(texts(&i.name, langs, default));
        row.extend([
            opt(i.at_most.clone()),
            i.parts.join(" "),
            String::new(),
            String::new(),
            String::new(),
            i.core.to_string(),
        ]);
        indicators.rows.push(row);
    }
    for r in &cat.rates {
        let mut row = vec![
            r.id.clone(),
            "rate".into(),
            "percent".into(),
            String::new(),
            "percent".into(),
        ];
        row.extend(texts(&r.name, langs, default));
        row.extend([
            String::new(),
            String::new(),
            r.numerator.clone(),
            r.denominator.clone(),
            r.headline.to_string(),
            r.core.to_string(),
        ]);
        indicators.rows.push(row);
    }

    let tables = [
        ("observations.csv", &obs, "Every reported value: year, agency, indicator, value, unit and evidence."),
        ("rates.csv", &rates, "Every computable rate, as a percentage with two decimals, with its numerator and denominator."),
        ("rankings.csv", &rankings, "Scores and ranks of each agency in its cohort, with the change from the year before."),
        ("agencies.csv", &agencies, "The registry of agencies and their cohorts."),
        ("indicators.csv", &indicators, "The catalogue of indicators and rates."),
    ];
    for (name, table, description) in tables {
        files.push(DataFile {
            name: name.to_string(),
            bytes: table.to_csv(),
            description: description.to_string(),
            media_type: "text/csv",
        });
    }

    let doc = json!({
        "title": site.title.get(default, default),
        "publisher": site.publisher.name.get(default, default),
        "license": site.license,
        "years": model.years,
        "cohorts": model.input.cohorts,
        "agencies": model.input.agencies,
        "catalog": cat,
        "reports": model.entries.iter().map(|e| json!({
            "year": e.report.year,
            "agency": e.report.agency,
            "period": e.report.period.map(|(f, t)| json!({"from": f, "to": t})),
            "source": e.report.source,
            "score": e.report.score,
            "values": e.report.values,
            "notes": e.report.notes,
            "flags": e.report.flags,
            "rates": e.rates.iter().filter(|r| r.percent.is_some()).map(|r| json!({
                "rate": r.rate,
                "numerator": r.numerator,
                "denominator": r.denominator,
                "percent": r.percent.map(|p| p.as_f64()),
                "flags": r.flags,
            })).collect::<Vec<_>>(),
            "rank": e.standing.rank,
            "rank_change": e.standing.change,
        })).collect::<Vec<_>>(),
    });
    files.push(DataFile {
        name: "minhbach.json".to_string(),
        bytes: pretty(&doc),
        description: "Everything in the CSV files, in one JSON document.".to_string(),
        media_type: "application/json",
    });

    let package = datapackage(model, &files);
    files.push(DataFile {
        name: "datapackage.json".to_string(),
        bytes: pretty(&package),
        description: "Frictionless Data Package: the schema of every CSV file.".to_string(),
        media_type: "application/json",
    });

    files
}

fn pretty(v: &Json) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(v).unwrap_or_default();
    out.push(b'\n');
    out
}

fn field(name: &str, ty: &str, description: &str) -> Json {
    json!({"name": name, "type": ty, "description": description})
}

fn datapackage(model: &Model, files: &[DataFile]) -> Json {
    let site = &model.input.site;
    let lang = site.language.as_str();
    let schema = |name: &str| -> Json {
        match name {
            "observations.csv" => json!({
                "fields": [
                    field("year", "year", "Reporting year"),
                    field("agency", "string", "Agency id (agencies.csv)"),
                    field("indicator", "string", "Indicator id (indicators.csv)"),
                    field("value", "string", "The reported value: a number, true/false, or text"),
                    field("unit", "string", "Unit of the value"),
                    field("evidence", "string", "Document given as evidence"),
                ],
                "missingValues": [""],
                "primaryKey": ["year", "agency", "indicator"],
                "foreignKeys": [
                    {"fields": ["agency"], "reference": {"resource": "agencies", "fields": ["agency"]}},
                    {"fields": ["indicator"], "reference": {"resource": "indicators", "fields": ["id"]}},
                ],
            }),
            "rates.csv" => json!({
                "fields": [
                    field("year", "year", "Reporting year"),
                    field("agency", "string", "Agency id"),
                    field("rate", "string", "Rate id (indicators.csv)"),
                    field("numerator", "integer", "Numerator count"),
                    field("denominator", "integer", "Denominator count"),
                    field("percent", "number", "numerator / denominator × 100, rounded half away from zero to two decimals"),
                    field("flag", "string", "Data-quality warnings on the figures used, separated by ;"),
                ],
                "missingValues": [""],
                "primaryKey": ["year", "agency", "rate"],
                "foreignKeys": [
                    {"fields": ["agency"], "reference": {"resource": "agencies", "fields": ["agency"]}},
                    {"fields": ["rate"], "reference": {"resource": "indicators", "fields": ["id"]}},
                ],
            }),
            "rankings.csv" => json!({
                "fields": [
                    field("year", "year", "Reporting year"),
                    field("cohort", "string", "Cohort the agency is ranked in"),
                    field("agency", "string", "Agency id"),
                    field("score", "number", "Score"),
                    field("score_max", "number", "Maximum score"),
                    field("rank", "integer", "Position in the cohort, 1 is best"),
                    field("rank_of", "integer", "Number of ranked agencies"),
                    field("rank_change", "integer", "Position last year minus position this year; positive is a move up"),
                    field("rank_source", "string", "official (from the decision) or computed (from scores)"),
                ],
                "missingValues": [""],
                "primaryKey": ["year", "agency"],
                "foreignKeys": [
                    {"fields": ["agency"], "reference": {"resource": "agencies", "fields": ["agency"]}},
                ],
            }),
            "agencies.csv" => {
                let mut fields = vec![field("agency", "string", "Agency id")];
                for l in &site.languages {
                    fields.push(field(
                        &format!("name_{l}"),
                        "string",
                        &format!("Name ({l})"),
                    ));
                }
                fields.push(field("short", "string", "Abbreviation"));
                fields.push(field("cohort", "string", "Cohort id"));
                for l in &site.languages {
                    fields.push(field(
                        &format!("cohort_name_{l}"),
                        "string",
                        &format!("Cohort name ({l})"),
                    ));
                }
                fields.push(field("province", "string", "Province"));
                fields.push(field("website", "string", "Website"));
                json!({"fields": fields, "missingValues": [""], "primaryKey": ["agency"]})
            }
            _ => {
                let mut fields = vec![
                    field("id", "string", "Indicator or rate id"),
                    field("type", "string", "indicator or rate"),
                    field(
                        "kind",
                        "string",
                        "count, number, percent, money_vnd, flag or text",
                    ),
                    field("group", "string", "Group id"),
                    field("unit", "string", "Unit"),
                ];
                for l in &site.languages {
                    fields.push(field(
                        &format!("name_{l}"),
                        "string",
                        &format!("Name ({l})"),
                    ));
                }
                fields.extend([
                    field("at_most", "string", "Indicator this one should not exceed"),
                    field(
                        "parts",
                        "string",
                        "Indicators that add up to this one, separated by spaces",
                    ),
                    field("numerator", "string", "Numerator of a rate"),
                    field("denominator", "string", "Denominator of a rate"),
                    field("headline", "boolean", "Headline rate"),
                    field("core", "boolean", "From the core catalogue of minhbach"),
                ]);
                json!({"fields": fields, "missingValues": [""], "primaryKey": ["id"]})
            }
        }
    };
    let resources: Vec<Json> = files
        .iter()
        .filter(|f| f.media_type == "text/csv")
        .map(|f| {
            let name = f.name.trim_end_matches(".csv");
            json!({
                "name": name,
                "type": "table",
                "path": f.name,
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": f.bytes.len(),
                "hash": format!("sha256:{}", f.sha256()),
                "description": f.description,
                "dialect": {"delimiter": ",", "lineTerminator": "\n", "quoteChar": "\"", "header": true},
                "schema": schema(&f.name),
            })
        })
        .collect();
    let mut name = crate::text::fold(site.title.get(lang, lang))
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>();
    while name.contains("--") {
        name = name.replace("--", "-");
    }
    let first = model.years.first().copied().unwrap_or_default();
    let last = model.latest_year().unwrap_or_default();
    json!({
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": name.trim_matches('-'),
        "title": site.title.get(lang, lang),
        "description": site.description.as_ref().map(|d| d.get(lang, lang).to_string()).unwrap_or_default(),
        "version": format!("{last}.{}", model.entries.len()),
        "licenses": [license(&site.license)],
        "contributors": [{"title": site.publisher.name.get(lang, lang), "roles": ["publisher"]}],
        "keywords": ["chuyển đổi số", "digital transformation", "DVCTT", "ký số"],
        "temporalCoverage": format!("{first}/{last}"),
        "resources": resources,
    })
}

fn license(spdx: &str) -> Json {
    let path = match spdx {
        "CC-BY-4.0" => "https://creativecommons.org/licenses/by/4.0/",
        "CC-BY-SA-4.0" => "https://creativecommons.org/licenses/by-sa/4.0/",
        "CC0-1.0" => "https://creativecommons.org/publicdomain/zero/1.0/",
        "ODbL-1.0" => "https://opendatacommons.org/licenses/odbl/1-0/",
        "PDDL-1.0" => "https://opendatacommons.org/licenses/pddl/1-0/",
        "ODC-By-1.0" => "https://opendatacommons.org/licenses/by/1-0/",
        _ => "",
    };
    if path.is_empty() {
        json!({"name": spdx})
    } else {
        json!({"name": spdx, "path": path})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_injection_is_neutralised() {
        assert_eq!(
            safe_text("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(safe_text("-1+1"), "'-1+1");
        assert_eq!(safe_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_text("\tx"), "'\tx");
        assert_eq!(safe_text("Sở Nội vụ"), "Sở Nội vụ");
    }

    #[test]
    fn csv_quoting() {
        let mut t = Table::new(&["a", "b"]);
        t.rows.push(vec!["x, y".into(), "say \"hi\"\nthere".into()]);
        assert_eq!(
            String::from_utf8(t.to_csv()).expect("utf-8"),
            "a,b\n\"x, y\",\"say \"\"hi\"\"\nthere\"\n"
        );
    }
}
