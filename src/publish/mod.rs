//! Publish: the open-data files of `/data/` for the province portal, and the
//! data files of each agency page. Plain data in, bytes out; the same model
//! always gives the same bytes (no clock, no randomness).
//!
//! `/data/` holds the CSV tables ([`tables`]), one JSON document
//! ([`json`]), an Excel workbook per year ([`xlsx`]), a Frictionless Data
//! Package ([`datapackage`]), a zip of all of them ([`archive`]) and the
//! DCAT-AP catalogue in JSON-LD and Turtle ([`dcat`]); `site.rs` adds the
//! data page and `SHA256SUMS`.
//!
//! Machine formats only: `1517`, `84.96`, `2022-11-24`, `true`.

pub mod archive;
pub mod datapackage;
pub mod dcat;
pub mod json;
mod rdf;
pub mod schema_org;
pub mod table;
pub mod tables;
pub mod xlsx;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::format::Date;
use crate::input::Text;
use crate::model::Model;

/// A file of the open-data bundle: its name under `/data/` and its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct DataFile {
    pub name: String,
    pub bytes: Vec<u8>,
    /// A one-line description for the data page and the catalogue, in
    /// Vietnamese and English.
    pub description: Text,
    pub media_type: &'static str,
}

impl DataFile {
    pub fn sha256(&self) -> String {
        hex(&Sha256::digest(&self.bytes))
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

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A label in Vietnamese and English.
pub fn vi_en(vi: &str, en: &str) -> Text {
    let mut t = Text::plain("vi", vi);
    t.0.insert("en".to_string(), en.to_string());
    t
}

/// Neutralises a text cell that a spreadsheet would run as a formula
/// (OWASP CSV injection): a leading `=`, `+`, `-`, `@`, tab, CR or LF gets
/// a `'` in front. Only for text cells; numbers are never touched.
pub fn safe_text(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n') => format!("'{s}"),
        _ => s.to_string(),
    }
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
        description: vi_en(
            "Mã SHA-256 của mọi tệp, để kiểm tra bằng lệnh sha256sum -c SHA256SUMS.",
            "SHA-256 checksums of every file, for `sha256sum -c SHA256SUMS`.",
        ),
        media_type: "text/plain",
    }
}

/// The date of the data: the last day the published reports cover, each
/// report up to the end of its period (or of its year when it gives no
/// period). Never the clock, so that the same data gives the same files.
pub fn data_date(model: &Model) -> Option<Date> {
    data_date_until(model, None)
}

/// The date of the figures of the years up to `up_to` (all when None).
pub fn data_date_until(model: &Model, up_to: Option<i32>) -> Option<Date> {
    model
        .entries
        .iter()
        .filter(|e| up_to.is_none_or(|y| e.report.year <= y))
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
/// when reports or values are added.
pub fn version(model: &Model) -> String {
    let values: usize = model
        .entries
        .iter()
        .map(|e| {
            e.report
                .values
                .values()
                .filter(|o| o.value.is_some())
                .count()
        })
        .sum();
    format!(
        "{}.{}.{}",
        model.latest_year().unwrap_or_default(),
        model.entries.len(),
        values
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

/// The published years up to `year`, in words: ("các năm 2021–2023",
/// "2021–2023") or ("năm 2021", "2021").
pub fn years_up_to(model: &Model, year: i32) -> (String, String) {
    match model.years.first() {
        Some(&first) if first < year => {
            (format!("các năm {first}–{year}"), format!("{first}–{year}"))
        }
        _ => (format!("năm {year}"), year.to_string()),
    }
}

/// The file name of the workbook of a year.
pub fn xlsx_name(year: i32) -> String {
    format!("minhbach-{year}.xlsx")
}

pub const ZIP_NAME: &str = "minhbach-data.zip";

/// Builds the open-data files of `/data/` in the order the data page lists
/// them (SHA256SUMS comes last, from [`checksums`], once the data page is
/// written too). Fails only when a workbook or the zip cannot be written.
pub fn publish(model: &Model) -> Result<Vec<DataFile>, String> {
    let tables = tables::tables(model, None);
    let mut files: Vec<DataFile> = tables
        .iter()
        .map(|t| DataFile {
            name: t.file_name(),
            bytes: t.to_csv(),
            description: vi_en(&t.description_vi, &t.description_en),
            media_type: "text/csv",
        })
        .collect();

    files.push(DataFile {
        name: "minhbach.json".to_string(),
        bytes: json::pretty(&json::document(model)),
        description: vi_en(
            "Toàn bộ dữ liệu của các tệp CSV trong một tài liệu JSON: cơ quan, danh mục chỉ tiêu, từng báo cáo với số liệu, tỷ lệ, điểm và xếp hạng.",
            "Everything in the CSV files in one JSON document: agencies, catalogue, and each report with its values, rates, score and rank.",
        ),
        media_type: "application/json",
    });

    // The workbooks are independent: write them side by side.
    let books: Vec<Vec<u8>> = model
        .years
        .par_iter()
        .rev()
        .map(|&year| xlsx::workbook(model, year))
        .collect::<Result<_, _>>()?;
    for (&year, bytes) in model.years.iter().rev().zip(books) {
        let (vi_years, en_years) = years_up_to(model, year);
        files.push(DataFile {
            name: xlsx_name(year),
            bytes,
            description: vi_en(
                &format!("Bảng tính Excel, số liệu {vi_years}: giới thiệu, số liệu, tỷ lệ, xếp hạng, báo cáo, cơ quan và chỉ tiêu."),
                &format!("Excel workbook, figures of {en_years}: read-me, values, rates, rankings, reports, agencies and indicators."),
            ),
            media_type: xlsx::MEDIA_TYPE,
        });
    }

    let package = datapackage::package(model, &tables, &files);
    files.push(DataFile {
        name: "datapackage.json".to_string(),
        bytes: json::pretty(&package),
        description: vi_en(
            "Gói dữ liệu Frictionless (Data Package v2): lược đồ, khóa và mã SHA-256 của từng tệp CSV.",
            "Frictionless Data Package (v2): the schema, keys and SHA-256 of every CSV file.",
        ),
        media_type: "application/json",
    });

    let zip = archive::zip(model, &files)?;
    files.push(DataFile {
        name: ZIP_NAME.to_string(),
        bytes: zip,
        description: vi_en(
            "Toàn bộ dữ liệu trong một tệp nén: các tệp CSV, JSON, Excel và gói dữ liệu, kèm SHA256SUMS.",
            "The whole bundle in one zip: the CSV, JSON, Excel and Data Package files, with their SHA256SUMS.",
        ),
        media_type: "application/zip",
    });

    let catalog = dcat::catalog(model, &files);
    files.push(DataFile {
        name: "catalog.jsonld".to_string(),
        bytes: json::pretty(&catalog.json_ld()),
        description: vi_en(
            "Siêu dữ liệu DCAT-AP 3 (JSON-LD) để cổng dữ liệu mở thu thập: danh mục, bộ dữ liệu và từng tệp.",
            "DCAT-AP 3 metadata (JSON-LD) for open-data portals to harvest: catalogue, datasets and every file.",
        ),
        media_type: "application/ld+json",
    });
    files.push(DataFile {
        name: "catalog.ttl".to_string(),
        bytes: catalog.turtle().into_bytes(),
        description: vi_en(
            "Cùng siêu dữ liệu DCAT-AP 3, dạng Turtle.",
            "The same DCAT-AP 3 metadata, in Turtle.",
        ),
        media_type: "text/turtle",
    });
    Ok(files)
}

/// The data files of each agency page: `agencies/<id>/data.json` and
/// `agencies/<id>/data.csv` (path below the site root, bytes).
pub fn agency_files(model: &Model) -> Vec<(String, Vec<u8>)> {
    let about = json::about(model);
    let mut out = Vec::new();
    for a in &model.input.agencies {
        out.push((
            format!("agencies/{}/data.json", a.id),
            json::pretty(&json::agency_document(model, &a.id, &about)),
        ));
        out.push((
            format!("agencies/{}/data.csv", a.id),
            tables::agency_table(model, &a.id).to_csv(),
        ));
    }
    out
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
    }
}
