//! Publish: the open-data files of `/data/` for the province portal, and the
//! data files of each agency page. The model in, files streamed to a
//! [`Sink`]; the same model always gives the same bytes (no clock, no
//! randomness).
//!
//! `/data/` holds the CSV tables ([`tables`]), one JSON document
//! ([`json`]), an Excel workbook per year ([`xlsx`]), a Frictionless Data
//! Package ([`datapackage`]), a zip of all of them ([`archive`]) and the
//! DCAT-AP catalogue in JSON-LD and Turtle ([`dcat`]); `site.rs` adds the
//! data page and `SHA256SUMS`.
//!
//! No file is held whole in memory: each is written as it is made, through
//! a buffer that counts and hashes it ([`Sink::put_with`]), and the zip
//! reads the files back from the sink one after the other.
//!
//! Machine formats only: `1517`, `84.96`, `2022-11-24`, `true`.

pub mod archive;
pub mod datapackage;
pub mod dcat;
pub mod json;
pub mod portal;
mod rdf;
pub mod schema_org;
pub mod scores;
pub mod table;
pub mod tables;
pub mod xlsx;

use rayon::prelude::*;

use crate::format::Date;
use crate::input::Text;
use crate::model::Model;
use crate::write::{Sink, WriteError, Written};

/// A file of the open-data bundle, as written: its name under `/data/`,
/// size and checksum (the bytes are in the sink).
#[derive(Debug, Clone, PartialEq)]
pub struct DataFile {
    pub name: String,
    /// In bytes.
    pub size: u64,
    /// SHA-256, lower-case hex.
    pub sha256: String,
    /// A one-line description for the data page and the catalogue, in
    /// Vietnamese and English.
    pub description: Text,
    pub media_type: &'static str,
}

impl DataFile {
    pub fn new(
        name: impl Into<String>,
        written: Written,
        description: Text,
        media_type: &'static str,
    ) -> DataFile {
        DataFile {
            name: name.into(),
            size: written.size,
            sha256: written.sha256,
            description,
            media_type,
        }
    }

    /// Where it is in the sink: `data/<name>`.
    pub fn path(&self) -> String {
        data_path(&self.name)
    }

    /// The format readers know it by: CSV, JSON, XLSX, ZIP, JSON-LD, Turtle.
    pub fn format(&self) -> &'static str {
        format_of(&self.name)
    }
}

/// The format of a file, from its extension.
pub fn format_of(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, e)| e) {
        Some("csv") => "CSV",
        Some("json") => "JSON",
        Some("xlsx") => "XLSX",
        Some("zip") => "ZIP",
        Some("jsonld") => "JSON-LD",
        Some("ttl") => "Turtle",
        Some("html") => "HTML",
        _ => "TXT",
    }
}

pub use crate::write::hex;

/// The path of a data file in the sink.
pub fn data_path(name: &str) -> String {
    format!("data/{name}")
}

/// A label in Vietnamese and English.
pub fn vi_en(vi: &str, en: &str) -> Text {
    let mut t = Text::plain("vi", vi);
    t.0.insert("en".to_string(), en.to_string());
    t
}

/// The characters that make a spreadsheet read a cell as a formula when
/// they start it (OWASP, "CSV Injection").
const FORMULA_START: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\n'];

/// Neutralises a CSV text cell that a spreadsheet would run as a formula,
/// as OWASP recommends: a cell that starts with `=`, `+`, `-`, `@`, tab,
/// CR or LF gets a `'` in front, which spreadsheets read as "this is text".
/// So that the original stays recoverable, a cell that already starts with
/// `'`s followed by one of those characters gets one `'` more too:
/// [`original_text`] takes exactly one `'` off any cell that starts with
/// `'`s and then one of them. Only for text cells; numbers are never
/// touched. Workbook cells are typed as text instead and keep the value
/// unchanged.
pub fn safe_text(s: &str) -> String {
    if needs_neutralising(s) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Whether [`safe_text`] changes `s`.
pub fn needs_neutralising(s: &str) -> bool {
    // Byte by byte: `'` and the formula characters are ASCII, and no other
    // character's UTF-8 starts with an ASCII byte.
    s.bytes()
        .find(|&b| b != b'\'')
        .is_some_and(|b| b.is_ascii() && FORMULA_START.contains(&char::from(b)))
}

/// The value a CSV text cell stood for before [`safe_text`]: one leading
/// `'` less when the cell is `'`s followed by a formula character.
pub fn original_text(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_neutralising(rest) => rest,
        _ => cell,
    }
}

/// Appends a whole number's digits. (Byte by byte: the numbers are short,
/// and a copy of a few bytes costs a call to `memcpy`.)
#[inline]
pub(crate) fn push_int(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    for &d in crate::format::digits(v.unsigned_abs(), &mut [0u8; 20]) {
        out.push(d);
    }
}

pub const SUMS_NAME: &str = "SHA256SUMS";

/// `SHA256SUMS` of the given files (name, SHA-256 in hex), sorted by name,
/// in `sha256sum -c` format.
pub fn checksums<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut sums: Vec<(&str, &str)> = files.into_iter().collect();
    sums.sort();
    sums.iter().map(|(n, h)| format!("{h}  {n}\n")).collect()
}

/// The date of the data: the last day the published reports cover, each
/// report up to the end of its period (or of its year when it gives no
/// period). Never the clock, so that the same data gives the same files.
pub fn data_date(model: &Model) -> Option<Date> {
    data_date_of(model, |_| true)
}

/// The date of the figures of the years `first` to `last`.
pub fn data_date_in(model: &Model, first: i32, last: i32) -> Option<Date> {
    data_date_of(model, |y| (first..=last).contains(&y))
}

fn data_date_of(model: &Model, years: impl Fn(i32) -> bool) -> Option<Date> {
    model
        .entries
        .iter()
        .filter(|e| years(e.report.year))
        .map(|e| match e.report.period {
            Some((_, to)) => to,
            None => Date {
                year: e.report.year,
                month: 12,
                day: 31,
            },
        })
        .max()
}

/// The version of the data: `<latest year>.<reports>.<values>`, growing
/// when reports or values are added. Cheap: the model counts the reported
/// values once ([`Model::values_reported`]).
pub fn version(model: &Model) -> String {
    format!(
        "{}.{}.{}",
        model.latest_year().unwrap_or_default(),
        model.entries.len(),
        model.values_reported()
    )
}

/// The years covered, `2021–2023` or `2023`.
pub fn span(model: &Model) -> String {
    match (model.years.first(), model.latest_year()) {
        (Some(a), Some(b)) if *a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    }
}

/// The address of a file of the site: `base_url` + path. Absolute when
/// `base_url` is; with `base_url: "/"` a root-relative address
/// (`/data/observations.csv`) that resolves against whatever host serves
/// the site.
pub fn url(model: &Model, path: &str) -> String {
    format!("{}{path}", model.input.site.base_url)
}

/// Whether `base_url` is an absolute address (`https://…`), the only kind
/// a portal can fetch files from.
pub fn absolute_base(model: &Model) -> bool {
    model.input.site.base_url.starts_with("http")
}

/// The address of a file of the site for a harvester: [`url`] when
/// `base_url` is absolute, else none (a root-relative address resolves
/// against whatever the harvester takes as base, `file:///` for
/// ckanext-dcat).
pub fn absolute_url(model: &Model, path: &str) -> Option<String> {
    absolute_base(model).then(|| url(model, path))
}

/// A stable name for a thing of the site (an Atom id, an RDF node): its
/// address when `base_url` is absolute, else a `tag:` URI on the
/// publisher's e-mail or web host (RFC 4151), else a URN of the site.
/// Never a relative reference, which readers would resolve against their
/// own location.
pub fn site_iri(model: &Model, path: &str) -> String {
    let site = &model.input.site;
    if absolute_base(model) {
        return url(model, path);
    }
    let first = model.years.first().copied().unwrap_or(2000);
    let authority = site
        .publisher
        .email
        .clone()
        .filter(|e| e.contains('@'))
        .or_else(|| {
            site.publisher.url.as_ref().and_then(|u| {
                u.split_once("://")
                    .map(|(_, rest)| rest.split(['/', ':', '?', '#']).next().unwrap_or(""))
                    .filter(|h| !h.is_empty())
                    .map(str::to_string)
            })
        });
    match authority {
        Some(a) => format!("tag:{a},{first}:minhbach/{path}"),
        None => format!("urn:minhbach:{path}"),
    }
}

pub fn license_url(spdx: &str) -> Option<&'static str> {
    Some(match spdx {
        "CC-BY-4.0" => "https://creativecommons.org/licenses/by/4.0/",
        "CC-BY-SA-4.0" => "https://creativecommons.org/licenses/by-sa/4.0/",
        "CC0-1.0" => "https://creativecommons.org/publicdomain/zero/1.0/",
        "ODbL-1.0" => "https://opendatacommons.org/licenses/odbl/1-0/",
        "PDDL-1.0" => "https://opendatacommons.org/licenses/pddl/1-0/",
        "ODC-By-1.0" => "https://opendatacommons.org/licenses/by/1-0/",
        _ => return None,
    })
}

/// The years the workbook of `year` holds, first and last: that year only,
/// except the workbook of the latest year, which holds every year.
pub fn book_years(model: &Model, year: i32) -> (i32, i32) {
    match model.years.first() {
        Some(&first) if model.latest_year() == Some(year) && first < year => (first, year),
        _ => (year, year),
    }
}

/// Years in words: ("các năm 2021–2023", "2021–2023") or ("năm 2021",
/// "2021").
pub fn years_words(first: i32, last: i32) -> (String, String) {
    if first < last {
        (format!("các năm {first}–{last}"), format!("{first}–{last}"))
    } else {
        (format!("năm {last}"), last.to_string())
    }
}

/// The file name of the workbook of a year.
pub fn xlsx_name(year: i32) -> String {
    format!("minhbach-{year}.xlsx")
}

pub const ZIP_NAME: &str = "minhbach-data.zip";

/// A file of `/data/` made from the model alone.
enum Part<'t, 'm> {
    Table(&'t table::Table<'m>),
    Json,
    Book(i32),
}

/// Streams a file to `data/<name>` of `out`.
fn put_data_file(
    out: &dyn Sink,
    name: String,
    description: Text,
    media_type: &'static str,
    write: &mut crate::write::Producer<'_>,
) -> Result<DataFile, WriteError> {
    let written = out.put_with(&data_path(&name), write)?;
    Ok(DataFile::new(name, written, description, media_type))
}

/// Writes the open-data files of `/data/` to `out`, each streamed, and
/// returns them in the order the data page lists them (SHA256SUMS comes
/// last, from [`checksums`], once the data page is written too).
pub fn publish(model: &Model, out: &dyn Sink) -> Result<Vec<DataFile>, WriteError> {
    let about = json::about(model);
    let tables = tables::tables(model, None);
    let mut parts: Vec<Part<'_, '_>> = tables.iter().map(Part::Table).collect();
    parts.push(Part::Json);
    parts.extend(model.years.iter().rev().map(|&y| Part::Book(y)));

    // The tables, the JSON document and the workbooks are independent and
    // each is streamed: write them side by side.
    let mut files: Vec<DataFile> = parts
        .par_iter()
        .map(|part| match part {
            Part::Table(t) => put_data_file(
                out,
                t.file_name(),
                vi_en(&t.description_vi, &t.description_en),
                "text/csv",
                &mut |w| t.write_csv(w),
            ),
            Part::Json => put_data_file(
                out,
                "minhbach.json".to_string(),
                vi_en(
                    "Toàn bộ dữ liệu của các tệp CSV trong một tài liệu JSON: cơ quan, danh mục chỉ tiêu, từng báo cáo với số liệu, tỷ lệ, điểm và xếp hạng.",
                    "Everything in the CSV files in one JSON document: agencies, catalogue, and each report with its values, rates, score and rank.",
                ),
                "application/json",
                &mut |w| json::write_document(model, &about, w),
            ),
            Part::Book(year) => {
                let (first, last) = book_years(model, *year);
                // Only that year's figures, every year's in the latest.
                let (vi_years, en_years) = years_words(first, last);
                put_data_file(
                    out,
                    xlsx_name(*year),
                    vi_en(
                        &format!("Bảng tính Excel, số liệu {vi_years}: giới thiệu, số liệu, tỷ lệ, xếp hạng, báo cáo, cơ quan và chỉ tiêu."),
                        &format!("Excel workbook, figures of {en_years}: read-me, values, rates, rankings, reports, agencies and indicators."),
                    ),
                    xlsx::MEDIA_TYPE,
                    &mut |w| xlsx::write_workbook(model, *year, w),
                )
            }
        })
        .collect::<Result<_, _>>()?;

    let package = datapackage::package(model, &tables, &files);
    files.push(put_data_file(
        out,
        "datapackage.json".to_string(),
        vi_en(
            "Gói dữ liệu Frictionless (Data Package v2): lược đồ, khóa và mã SHA-256 của từng tệp CSV.",
            "Frictionless Data Package (v2): the schema, keys and SHA-256 of every CSV file.",
        ),
        "application/json",
        &mut |w| json::write_pretty(w, &package),
    )?);

    let zip = put_data_file(
        out,
        ZIP_NAME.to_string(),
        vi_en(
            "Toàn bộ dữ liệu trong một tệp nén: các tệp CSV, JSON, Excel và gói dữ liệu, kèm SHA256SUMS.",
            "The whole bundle in one zip: the CSV, JSON, Excel and Data Package files, with their SHA256SUMS.",
        ),
        "application/zip",
        &mut |w| archive::write_zip(model, &files, out, w),
    )?;
    files.push(zip);

    let catalog = dcat::catalog(model, &files);
    files.push(put_data_file(
        out,
        "catalog.jsonld".to_string(),
        vi_en(
            "Siêu dữ liệu DCAT-AP 3 (JSON-LD) để cổng dữ liệu mở thu thập: danh mục, bộ dữ liệu và từng tệp.",
            "DCAT-AP 3 metadata (JSON-LD) for open-data portals to harvest: catalogue, datasets and every file.",
        ),
        "application/ld+json",
        &mut |w| json::write_pretty(w, &catalog.json_ld()),
    )?);
    files.push(put_data_file(
        out,
        "catalog.ttl".to_string(),
        vi_en(
            "Cùng siêu dữ liệu DCAT-AP 3, dạng Turtle.",
            "The same DCAT-AP 3 metadata, in Turtle.",
        ),
        "text/turtle",
        &mut |w| w.write_all(catalog.turtle().as_bytes()),
    )?);
    Ok(files)
}

/// Writes the data files of each agency page to `out`:
/// `agencies/<id>/data.json` and `agencies/<id>/data.csv`, agencies side by
/// side.
pub fn agency_files(model: &Model, out: &dyn Sink) -> Result<(), WriteError> {
    let ids: Vec<&str> = model.input.agencies.iter().map(|a| a.id.as_str()).collect();
    agency_files_of(model, &ids, out)
}

/// [`agency_files`] for the agencies `ids` only (`serve` writes again only
/// those whose files an edit changes). What they read: [`json::about`], the
/// agency and its cohort, the catalogue and the agency's entries.
///
/// An agency's files are small: each is made whole in a buffer of the
/// worker and [`Sink::put`] as it is, not streamed through
/// [`Sink::put_with`], which would hash every one of them for a checksum
/// nothing lists.
pub fn agency_files_of(model: &Model, ids: &[&str], out: &dyn Sink) -> Result<(), WriteError> {
    let about = json::about(model);
    let documents = json::AgencyDocuments::new(model, &about)
        .map_err(|e| made_error("agencies/*/data.json", e))?;
    ids.par_iter().try_for_each_init(Vec::new, |buf, id| {
        let json = format!("agencies/{id}/data.json");
        buf.clear();
        documents.write(id, buf).map_err(|e| made_error(&json, e))?;
        out.put(&json, buf)?;
        buf.clear();
        tables::agency_table(model, id).append_csv(buf);
        out.put(&format!("agencies/{id}/data.csv"), buf)
    })
}

/// A file that could not be made (never a write to memory failing: a
/// producer's own error).
fn made_error(rel: &str, e: std::io::Error) -> WriteError {
    WriteError {
        path: std::path::PathBuf::from(rel),
        message: e.to_string(),
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
        assert_eq!(safe_text("+1"), "'+1");
        assert_eq!(safe_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_text("\tx"), "'\tx");
        assert_eq!(safe_text("\rx"), "'\rx");
        assert_eq!(safe_text("\nx"), "'\nx");
        assert_eq!(safe_text("Sở Nội vụ"), "Sở Nội vụ");
        assert_eq!(safe_text(""), "");
        // A value that already looks neutralised gets one more `'`, so
        // that taking one off always gives the original back.
        assert_eq!(safe_text("'=1"), "''=1");
        assert_eq!(safe_text("'quoted'"), "'quoted'");
        for s in [
            "=1+1", "'=1", "''-x", "-", "'", "''", "'abc", "abc", "", "@", "\tx", "x=1",
        ] {
            assert_eq!(original_text(&safe_text(s)), s, "{s:?}");
        }
    }

    use crate::site::sample_model;

    #[test]
    fn the_streamed_json_document_is_the_compact_document() {
        let model = sample_model();
        let mut streamed = Vec::new();
        let about = json::about(&model);
        json::write_document(&model, &about, &mut streamed).expect("written");
        assert_eq!(streamed, json::compact(&json::document(&model)));
        for a in &model.input.agencies {
            let mut streamed = Vec::new();
            json::write_agency_document(&model, &a.id, &about, &mut streamed).expect("written");
            assert_eq!(
                streamed,
                json::compact(&json::agency_document(&model, &a.id, &about))
            );
        }
    }

    #[test]
    fn published_files_are_what_the_sink_holds() {
        let model = sample_model();
        let site = crate::write::MemorySite::new();
        let files = publish(&model, &site).expect("published");
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "observations.csv",
                "rates.csv",
                "rankings.csv",
                "reports.csv",
                "agencies.csv",
                "indicators.csv",
                "scores.csv",
                "rubrics.csv",
                "minhbach.json",
                "minhbach-2023.xlsx",
                "minhbach-2022.xlsx",
                "minhbach-2021.xlsx",
                "datapackage.json",
                ZIP_NAME,
                "catalog.jsonld",
                "catalog.ttl",
            ]
        );
        for f in &files {
            let bytes = site.get(&f.path()).expect("written");
            assert_eq!(
                Written::of(&bytes),
                Written {
                    size: f.size,
                    sha256: f.sha256.clone()
                },
                "{}",
                f.name
            );
        }
        // The tables as a whole, row by row, are the CSV files.
        for t in tables::tables(&model, None) {
            assert_eq!(site.get(&data_path(&t.file_name())), Some(t.to_csv()));
        }
    }

    #[test]
    fn workbooks_hold_their_own_year_the_latest_every_year() {
        let model = sample_model();
        assert_eq!(model.years, [2021, 2022, 2023]);
        assert_eq!(book_years(&model, 2021), (2021, 2021));
        assert_eq!(book_years(&model, 2022), (2022, 2022));
        assert_eq!(book_years(&model, 2023), (2021, 2023));
        assert_eq!(
            years_words(2022, 2022),
            ("năm 2022".to_string(), "2022".to_string())
        );
        assert_eq!(
            years_words(2021, 2023),
            ("các năm 2021–2023".to_string(), "2021–2023".to_string())
        );
    }
}
