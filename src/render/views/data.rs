//! The open-data page and its schema.org Dataset.

use super::*;
use crate::format;
use crate::publish::{self, DataFile};
use crate::render::value::{value, with, Value as Json};

/// The schema.org `Dataset` of a page that offers data, as the text of its
/// JSON-LD script element (None for other pages).
pub(super) fn dataset_jsonld(
    f: &Fmt,
    job: &Job,
    data: &[DataFile],
    page_url: &str,
) -> Option<String> {
    use crate::publish::schema_org::{self, Described, Download};
    let model = f.model;
    let site = &model.input.site;
    let download = |name: &str, path: String, media_type: &str| Download {
        name: name.to_string(),
        url: publish::url(model, &path),
        media_type: media_type.to_string(),
    };
    let described = match job {
        Job::Overview | Job::Data => Described {
            name: f.text(&site.title),
            description: site
                .description
                .as_ref()
                .map(|d| f.text(d))
                .unwrap_or_else(|| f.tr("data_intro")),
            url: page_url.to_string(),
            lang: f.lang,
            downloads: data
                .iter()
                .map(|d| download(&d.name, format!("data/{}", d.name), d.media_type))
                .collect(),
            whole_bundle: true,
            place: None,
        },
        Job::Agency(id) => {
            let name = f.agency_name(id);
            Described {
                name: format!("{} — {}", name, f.text(&site.title)),
                description: fill(
                    f.tr_str("agency_data_intro"),
                    &[
                        ("agency", name.clone()),
                        ("years", publish::span(model)),
                        ("license", site.license.clone()),
                    ],
                ),
                url: page_url.to_string(),
                lang: f.lang,
                downloads: vec![
                    download("data.csv", format!("agencies/{id}/data.csv"), "text/csv"),
                    download(
                        "data.json",
                        format!("agencies/{id}/data.json"),
                        "application/json",
                    ),
                ],
                whole_bundle: false,
                place: model.agency(id).and_then(|a| a.province.clone()),
            }
        }
        _ => return None,
    };
    Some(schema_org::script(&schema_org::dataset(model, &described)))
}

/// A ready citation of the data: publisher (year). Title, years [dataset],
/// version. Address. Accessed … (left for the reader: a build has no clock).
pub(super) fn citation(f: &Fmt, version: &str) -> String {
    let model = f.model;
    let site = &model.input.site;
    let year = publish::data_date(model)
        .map(|d| d.year)
        .or(model.latest_year())
        .map(|y| y.to_string())
        .unwrap_or_default();
    let mut c = format!(
        "{} ({year}). {}, {} [{}], {} {}.",
        f.text(&site.publisher.name),
        f.text(&site.title).trim_end_matches('.'),
        publish::span(model),
        f.tr("cite_dataset"),
        f.tr("cite_version"),
        version,
    );
    if site.base_url.starts_with("http") {
        c.push_str(&format!(" {}", publish::url(model, "data/")));
    }
    c.push_str(&format!(" {} …", f.tr("accessed")));
    c
}

pub(super) fn data_page(f: &Fmt, data: &[DataFile]) -> PageView {
    let model = f.model;
    let version = publish::version(model);
    let site = &model.input.site;
    let view = |d: &DataFile| {
        value!({
            "name": d.name,
            "href": format!("{}data/{}", f.site_root, d.name),
            "format": d.format(),
            "size": human_size(usize::try_from(d.size).unwrap_or(usize::MAX), f.l),
            "bytes": d.size,
            "sha256": d.sha256,
            "description": f.text(&d.description),
        })
    };
    let files: Vec<Json> = data.iter().map(view).collect();
    let mut quick: Vec<Json> = Vec::new();
    if let Some(z) = data.iter().find(|d| d.name == publish::ZIP_NAME) {
        let mut v = view(z);
        v = with(v, "label", value!(f.tr("data_zip")));
        quick.push(v);
    }
    if let Some(y) = model.latest_year() {
        if let Some(x) = data.iter().find(|d| d.name == publish::xlsx_name(y)) {
            let mut v = view(x);
            v = with(
                v,
                "label",
                value!(fill(
                    f.tr_str("data_xlsx_latest"),
                    &[("year", y.to_string())]
                )),
            );
            quick.push(v);
        }
    }
    // Spreadsheet users are led to the workbooks, newest first (the newest
    // has every year), rather than to the CSV files.
    let workbooks: Vec<Json> = model
        .years
        .iter()
        .rev()
        .filter_map(|&y| {
            let x = data.iter().find(|d| d.name == publish::xlsx_name(y))?;
            Some(with(
                view(x),
                "label",
                value!(fill(
                    f.tr_str("data_xlsx_latest"),
                    &[("year", y.to_string())]
                )),
            ))
        })
        .collect();
    (
        f.tr("data_title"),
        None,
        value!({
            "files": files,
            "quick": quick,
            "workbooks": workbooks,
            "spreadsheet": model.latest_year().map(|y| fill(f.tr_str("data_spreadsheet"), &[("year", y.to_string())])),
            "citation": citation(f, &version),
            "data_date": publish::data_date(model).map(|d| fill(f.tr_str("data_date"), &[("date", format::date(d, f.l))])),
            "version": fill(f.tr_str("data_version"), &[("version", version)]),
            "license": site.license,
            "license_url": license_url(&site.license),
        }),
    )
}
