//! `datapackage.json`: a Frictionless Data Package (v2) describing every CSV
//! file with its Table Schema, keys, size and SHA-256.

use serde_json::{json, Value as Json};

use crate::model::Model;

use super::table::Table;
use super::tables::vi;
use super::DataFile;

/// A package name: lower-case ASCII letters, digits and `-`.
pub fn slug(s: &str) -> String {
    let mut name = crate::text::fold(s)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>();
    while name.contains("--") {
        name = name.replace("--", "-");
    }
    name.trim_matches('-').to_string()
}

/// The title of the data in Vietnamese.
pub fn title(model: &Model) -> String {
    vi(&model.input.site.title, model)
}

/// A description of the data in Vietnamese: the site's, else one made from
/// the figures (always more than 50 characters).
pub fn description(model: &Model) -> String {
    let site = &model.input.site;
    let own = site
        .description
        .as_ref()
        .map(|d| vi(d, model))
        .filter(|d| d.chars().count() >= 50);
    own.unwrap_or_else(|| {
        format!(
            "Số liệu chuyển đổi số do {} cơ quan báo cáo, các năm {}: số liệu báo cáo, tỷ lệ tính được, điểm và xếp hạng. Công bố bởi {}.",
            model.input.agencies.len(),
            super::span(model),
            vi(&site.publisher.name, model)
        )
    })
}

/// The Data Package of `files`.
pub fn package(model: &Model, tables: &[Table], files: &[DataFile]) -> Json {
    let version = super::version(model);
    let site = &model.input.site;
    let resources: Vec<Json> = tables
        .iter()
        .filter_map(|t| {
            let f = files.iter().find(|f| f.name == t.file_name())?;
            Some(json!({
                "name": t.name,
                "type": "table",
                "path": f.name,
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": f.size,
                "hash": format!("sha256:{}", f.sha256),
                "title": t.title_vi,
                "description": t.description_vi,
                "dialect": {
                    "$schema": "https://datapackage.org/profiles/2.0/tabledialect.json",
                    "header": true,
                    "delimiter": ",",
                    "lineTerminator": "\n",
                    "quoteChar": "\"",
                    "doubleQuote": true,
                },
                "schema": t.schema(),
            }))
        })
        .collect();

    let mut license = json!({"name": site.license, "title": site.license});
    if let Some(path) = super::license_url(&site.license) {
        license["path"] = json!(path);
    }
    let publisher = vi(&site.publisher.name, model);
    let mut contributor = json!({"title": publisher, "roles": ["publisher"]});
    if let Some(u) = &site.publisher.url {
        contributor["path"] = json!(u);
    }
    if let Some(e) = &site.publisher.email {
        contributor["email"] = json!(e);
    }
    let mut source = json!({
        "title": format!(
            "Báo cáo chuyển đổi số của {} cơ quan, các năm {}, do {} tổng hợp",
            model.input.agencies.len(),
            super::span(model),
            publisher
        ),
    });
    if let Some(u) = &site.publisher.url {
        source["path"] = json!(u);
    }
    if let Some(e) = &site.publisher.email {
        source["email"] = json!(e);
    }

    let mut p = json!({
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": slug(&title(model)),
        "title": title(model),
        "description": description(model),
        "version": version,
        "licenses": [license],
        "sources": [source],
        "contributors": [contributor],
        "keywords": ["chuyển đổi số", "dịch vụ công trực tuyến", "chữ ký số", "xếp hạng", "digital transformation"],
        "resources": resources,
    });
    if let Some(d) = super::data_date(model) {
        p["created"] = json!(format!("{}T00:00:00Z", d.iso()));
    }
    if site.base_url.starts_with("http") {
        p["id"] = json!(super::url(model, "data/datapackage.json"));
        p["homepage"] = json!(super::url(model, "data/"));
    }
    p
}
