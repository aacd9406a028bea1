//! schema.org `Dataset` descriptions for the pages that offer data (the
//! overview, the data page, each agency page), embedded as JSON-LD so that
//! search engines and dataset search find the files.

use serde_json::{json, Value as Json};

use crate::model::Model;

use super::tables::vi;

/// A file a page offers.
pub struct Download {
    pub name: String,
    /// The address of the file: absolute, or root-relative with `base_url: "/"`.
    pub url: String,
    pub media_type: String,
}

/// What a page's dataset is.
pub struct Described<'a> {
    pub name: String,
    /// At least 50 characters (a sentence is added when shorter).
    pub description: String,
    /// The page's own address.
    pub url: String,
    pub lang: &'a str,
    pub downloads: Vec<Download>,
    /// The bundle's version and date: only on pages about the whole
    /// bundle, so that one agency's page does not change with every other
    /// agency's figures.
    pub whole_bundle: bool,
    /// Where the figures are from, when the page knows (an agency's
    /// province); otherwise every province of the registry.
    pub place: Option<String>,
}

fn organization(model: &Model) -> Json {
    let p = &model.input.site.publisher;
    let mut o = json!({"@type": "Organization", "name": vi(&p.name, model)});
    if let Some(u) = &p.url {
        o["url"] = json!(u);
    }
    if let Some(e) = &p.email {
        o["email"] = json!(e);
    }
    o
}

pub fn dataset(model: &Model, d: &Described) -> Json {
    let site = &model.input.site;
    let mut description = d.description.trim().to_string();
    if description.chars().count() < 50 {
        description = format!("{description} {}", super::datapackage::description(model))
            .trim()
            .to_string();
    }
    let place = match &d.place {
        Some(p) => format!("{p}, Việt Nam"),
        None => {
            let mut provinces: Vec<&str> = model
                .input
                .agencies
                .iter()
                .filter_map(|a| a.province.as_deref())
                .collect();
            provinces.sort_unstable();
            provinces.dedup();
            if provinces.is_empty() {
                "Việt Nam".to_string()
            } else {
                format!("{}, Việt Nam", provinces.join("; "))
            }
        }
    };
    let temporal = match (model.years.first(), model.latest_year()) {
        (Some(a), Some(b)) if *a != b => format!("{a}/{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    };
    let mut j = json!({
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": d.name,
        "description": description,
        "url": d.url,
        "inLanguage": d.lang,
        "isAccessibleForFree": true,
        "license": super::license_url(&site.license).map_or_else(|| site.license.clone(), str::to_string),
        "creator": organization(model),
        "publisher": organization(model),
        "keywords": ["chuyển đổi số", "dịch vụ công trực tuyến", "chữ ký số", "digital transformation"],
        "temporalCoverage": temporal,
        "spatialCoverage": {"@type": "Place", "name": place},
        "distribution": d.downloads.iter().map(|f| json!({
            "@type": "DataDownload",
            "name": f.name,
            "contentUrl": f.url,
            "encodingFormat": f.media_type,
        })).collect::<Vec<_>>(),
    });
    if d.whole_bundle {
        j["version"] = json!(super::version(model));
        if let Some(date) = super::data_date(model) {
            j["dateModified"] = json!(date.iso());
        }
    }
    j
}

/// The JSON for a `<script type="application/ld+json">` element: `<`, `>`
/// and `&` written as `\u003c`, `\u003e`, `\u0026`, so that no text from
/// the data can close the element.
pub fn script(j: &Json) -> String {
    serde_json::to_string(j)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_text_cannot_close_the_element() {
        let s = script(&json!({"name": "</script><script>alert(1)</script> & co"}));
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        let back: Json = serde_json::from_str(&s).expect("still JSON");
        assert_eq!(back["name"], "</script><script>alert(1)</script> & co");
    }
}
