//! `catalog.jsonld` and `catalog.ttl`: the data described in DCAT-AP 3 so
//! that an open-data portal (CKAN with ckanext-dcat, data.europa.eu-style
//! harvesters) can harvest it. One `dcat:Catalog`; one `dcat:Dataset` for
//! the whole bundle (CSV, JSON, Data Package, zip) and one per published
//! year for that year's workbook (that year's figures; every year's for the
//! latest year); one `dcat:Distribution` per file, with
//! its download address, media type, format, licence, size and SHA-256.
//!
//! Addresses are `base_url` + path: absolute IRIs when `base_url` is
//! absolute; with `base_url: "/"` root-relative references
//! (`/data/observations.csv`) that RDF readers resolve against the address
//! the catalogue was fetched from. Every node the DCAT-AP 3.0.0 SHACL
//! shapes check by class carries its `@type` explicitly.

use crate::format::Date;
use crate::input::Text;
use crate::model::Model;

use super::datapackage;
use super::rdf::{Graph, Node, Obj};
use super::tables::vi;
use super::DataFile;

const EU: &str = "http://publications.europa.eu/resource/authority/";
const IANA: &str = "http://www.iana.org/assignments/media-types/";

fn prefixes() -> Vec<(&'static str, &'static str)> {
    vec![
        ("dcat", "http://www.w3.org/ns/dcat#"),
        ("dct", "http://purl.org/dc/terms/"),
        ("foaf", "http://xmlns.com/foaf/0.1/"),
        ("locn", "http://www.w3.org/ns/locn#"),
        ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
        ("skos", "http://www.w3.org/2004/02/skos/core#"),
        ("spdx", "http://spdx.org/rdf/terms#"),
        ("vcard", "http://www.w3.org/2006/vcard/ns#"),
        ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ]
}

/// The catalogue as an RDF graph, ready to write.
pub struct Catalog(Graph);

impl Catalog {
    pub fn turtle(&self) -> String {
        self.0.turtle()
    }

    pub fn json_ld(&self) -> serde_json::Value {
        self.0.json_ld()
    }
}

/// A text in each language of the site that has its own wording.
fn langs(model: &Model, t: &Text) -> Vec<Obj> {
    let site = &model.input.site;
    let mut out: Vec<Obj> = site
        .languages
        .iter()
        .filter(|l| t.has(l))
        .map(|l| Obj::lang(t.get(l, l), l))
        .collect();
    if out.is_empty() {
        out.push(Obj::lang(
            t.get(&site.language, &site.language),
            &site.language,
        ));
    }
    out
}

fn date(d: Date) -> Obj {
    Obj::typed(d.iso(), "xsd:date")
}

fn document(url: String) -> Obj {
    Obj::node(Node::named(url, "foaf:Document"))
}

fn license(model: &Model) -> Obj {
    let spdx = &model.input.site.license;
    match super::license_url(spdx) {
        Some(u) => Obj::node(
            Node::named(u, "dct:LicenseDocument").with("rdfs:label", Obj::str(spdx.clone())),
        ),
        None => {
            Obj::node(Node::blank("dct:LicenseDocument").with("rdfs:label", Obj::str(spdx.clone())))
        }
    }
}

fn publisher(model: &Model) -> Obj {
    let site = &model.input.site;
    let mut n =
        Node::named(super::url(model, "data/#publisher"), "foaf:Agent").also("foaf:Organization");
    for name in langs(model, &site.publisher.name) {
        n.add("foaf:name", name);
    }
    if let Some(u) = &site.publisher.url {
        n.add("foaf:homepage", document(u.clone()));
    }
    if let Some(e) = &site.publisher.email {
        n.add("foaf:mbox", Obj::iri(format!("mailto:{e}")));
    }
    Obj::node(n)
}

fn contact_point(model: &Model) -> Option<Obj> {
    let p = &model.input.site.publisher;
    if p.url.is_none() && p.email.is_none() {
        return None;
    }
    let mut n = Node::blank("vcard:Organization").also("vcard:Kind");
    n.add("vcard:fn", Obj::str(vi(&p.name, model)));
    if let Some(e) = &p.email {
        n.add("vcard:hasEmail", Obj::iri(format!("mailto:{e}")));
    }
    if let Some(u) = &p.url {
        n.add("vcard:hasURL", Obj::iri(u.clone()));
    }
    Some(Obj::node(n))
}

fn language_iri(code: &str) -> Option<&'static str> {
    match code {
        "vi" => Some("VIE"),
        "en" => Some("ENG"),
        "fr" => Some("FRA"),
        "zh" => Some("ZHO"),
        _ => None,
    }
}

fn languages(model: &Model) -> Vec<Obj> {
    model
        .input
        .site
        .languages
        .iter()
        .filter_map(|l| language_iri(l))
        .map(|c| {
            Obj::node(Node::named(
                format!("{EU}language/{c}"),
                "dct:LinguisticSystem",
            ))
        })
        .collect()
}

/// Viet Nam, and each province the agencies name.
fn spatial(model: &Model) -> Vec<Obj> {
    let mut out = vec![Obj::node(
        Node::named(format!("{EU}country/VNM"), "dct:Location")
            .with("skos:prefLabel", Obj::lang("Việt Nam", "vi"))
            .with("skos:prefLabel", Obj::lang("Viet Nam", "en")),
    )];
    let mut provinces: Vec<&str> = model
        .input
        .agencies
        .iter()
        .filter_map(|a| a.province.as_deref())
        .collect();
    provinces.sort_unstable();
    provinces.dedup();
    for p in provinces {
        out.push(Obj::node(
            Node::blank("dct:Location")
                .with("skos:prefLabel", Obj::lang(p, "vi"))
                .with("locn:geographicName", Obj::lang(p, "vi")),
        ));
    }
    out
}

fn period(from: i32, to: i32) -> Obj {
    Obj::node(
        Node::blank("dct:PeriodOfTime")
            .with(
                "dcat:startDate",
                date(Date {
                    year: from,
                    month: 1,
                    day: 1,
                }),
            )
            .with(
                "dcat:endDate",
                date(Date {
                    year: to,
                    month: 12,
                    day: 31,
                }),
            ),
    )
}

fn theme() -> Obj {
    Obj::node(
        Node::named(format!("{EU}data-theme/GOVE"), "skos:Concept")
            .with(
                "skos:prefLabel",
                Obj::lang("Government and public sector", "en"),
            )
            .with(
                "skos:prefLabel",
                Obj::lang("Chính phủ và khu vực công", "vi"),
            )
            .with("skos:inScheme", Obj::iri(format!("{EU}data-theme"))),
    )
}

/// The EU file type and the IANA media type of a file.
fn types_of(f: &DataFile) -> (&'static str, &'static str) {
    let file_type = match f.format() {
        "CSV" => "CSV",
        "JSON" => "JSON",
        "XLSX" => "XLSX",
        "ZIP" => "ZIP",
        "JSON-LD" => "JSON_LD",
        "Turtle" => "RDF_TURTLE",
        _ => "TXT",
    };
    (file_type, f.media_type)
}

fn distribution(model: &Model, f: &DataFile) -> Obj {
    let (file_type, media_type) = types_of(f);
    let mut n = Node::named(
        super::url(model, &format!("data/#file-{}", f.name)),
        "dcat:Distribution",
    )
    .with("dct:title", Obj::str(f.name.clone()));
    for d in langs(model, &f.description) {
        n.add("dct:description", d);
    }
    n.add("dcat:accessURL", Obj::iri(super::url(model, "data/")));
    n.add(
        "dcat:downloadURL",
        Obj::iri(super::url(model, &format!("data/{}", f.name))),
    );
    n.add(
        "dcat:mediaType",
        Obj::node(Node::named(format!("{IANA}{media_type}"), "dct:MediaType")),
    );
    n.add(
        "dct:format",
        Obj::node(Node::named(
            format!("{EU}file-type/{file_type}"),
            "dct:MediaTypeOrExtent",
        )),
    );
    n.add("dct:license", license(model));
    n.add(
        "dcat:byteSize",
        Obj::typed(f.size.to_string(), "xsd:nonNegativeInteger"),
    );
    n.add(
        "spdx:checksum",
        Obj::node(
            Node::blank("spdx:Checksum")
                .with(
                    "spdx:algorithm",
                    Obj::node(Node::named(
                        "http://spdx.org/rdf/terms#checksumAlgorithm_sha256",
                        "spdx:ChecksumAlgorithm",
                    )),
                )
                .with(
                    "spdx:checksumValue",
                    Obj::typed(f.sha256.clone(), "xsd:hexBinary"),
                ),
        ),
    );
    if let Some(d) = super::data_date(model) {
        n.add("dct:modified", date(d));
    }
    Obj::node(n)
}

/// What every dataset says: publisher, contact, theme, places, languages,
/// dates, landing page.
fn common(model: &Model, n: &mut Node, modified: Option<Date>) {
    n.add("dct:publisher", publisher(model));
    n.add("dct:creator", publisher(model));
    if let Some(c) = contact_point(model) {
        n.add("dcat:contactPoint", c);
    }
    n.add("dcat:theme", theme());
    for k in [
        "chuyển đổi số",
        "dịch vụ công trực tuyến",
        "chữ ký số",
        "xếp hạng",
    ] {
        n.add("dcat:keyword", Obj::lang(k, "vi"));
    }
    n.add("dcat:keyword", Obj::lang("digital transformation", "en"));
    for s in spatial(model) {
        n.add("dct:spatial", s);
    }
    for l in languages(model) {
        n.add("dct:language", l);
    }
    n.add(
        "dct:accrualPeriodicity",
        Obj::node(Node::named(
            format!("{EU}frequency/ANNUAL"),
            "dct:Frequency",
        )),
    );
    n.add(
        "dct:accessRights",
        Obj::node(Node::named(
            format!("{EU}access-right/PUBLIC"),
            "dct:RightsStatement",
        )),
    );
    if let Some(d) = modified {
        n.add("dct:issued", date(d));
        n.add("dct:modified", date(d));
    }
    n.add("dcat:landingPage", document(super::url(model, "data/")));
    n.add("dcat:version", Obj::str(super::version(model)));
}

/// A dataset's identifier: its address when `base_url` is absolute, else
/// the name of the data package (an address relative to an unknown host
/// identifies nothing).
fn identifier(model: &Model, suffix: &str) -> String {
    if model.input.site.base_url.starts_with("http") {
        super::url(model, &format!("data/#dataset{suffix}"))
    } else {
        format!("{}{suffix}", datapackage::slug(&datapackage::title(model)))
    }
}

pub fn catalog(model: &Model, files: &[DataFile]) -> Catalog {
    let site = &model.input.site;
    let first = model.years.first().copied().unwrap_or_default();
    let last = model.latest_year().unwrap_or(first);
    let description = datapackage::description(model);

    let mut main = Node::named(super::url(model, "data/#dataset"), "dcat:Dataset");
    for t in langs(model, &site.title) {
        main.add("dct:title", t);
    }
    main.add("dct:description", Obj::lang(description.clone(), "vi"));
    if let Some(en) = site.description.as_ref().filter(|d| d.has("en")) {
        main.add("dct:description", Obj::lang(en.get("en", "en"), "en"));
    }
    main.add("dct:identifier", Obj::str(identifier(model, "")));
    common(model, &mut main, super::data_date(model));
    if !model.years.is_empty() {
        main.add("dct:temporal", period(first, last));
    }
    for f in files.iter().filter(|f| !f.name.ends_with(".xlsx")) {
        main.add("dcat:distribution", distribution(model, f));
    }

    let mut datasets = vec![main];
    for &year in model.years.iter().rev() {
        let Some(book) = files.iter().find(|f| f.name == super::xlsx_name(year)) else {
            continue;
        };
        let (from, to) = super::book_years(model, year);
        let (years, _) = super::years_words(from, to);
        let id = super::url(model, &format!("data/#dataset-{year}"));
        let mut d = Node::named(id.clone(), "dcat:Dataset")
            .with(
                "dct:title",
                Obj::lang(format!("{}, bản năm {year} (số liệu {years})", vi(&site.title, model)), "vi"),
            )
            .with(
                "dct:description",
                Obj::lang(
                    format!("Bảng tính Excel số liệu chuyển đổi số {years}: số liệu báo cáo, tỷ lệ, điểm và xếp hạng của từng cơ quan. {description}"),
                    "vi",
                ),
            )
            .with("dct:identifier", Obj::str(identifier(model, &format!("-{year}"))));
        common(model, &mut d, super::data_date_in(model, from, to));
        d.add("dct:temporal", period(from, to));
        d.add("dcat:distribution", distribution(model, book));
        datasets.push(d);
    }

    let mut cat = Node::named(super::url(model, "data/#catalog"), "dcat:Catalog");
    for t in langs(model, &site.title) {
        cat.add("dct:title", t);
    }
    cat.add("dct:description", Obj::lang(description, "vi"));
    cat.add("dct:publisher", publisher(model));
    cat.add("foaf:homepage", document(super::url(model, "")));
    cat.add("dct:license", license(model));
    for l in languages(model) {
        cat.add("dct:language", l);
    }
    for s in spatial(model) {
        cat.add("dct:spatial", s);
    }
    cat.add(
        "dcat:themeTaxonomy",
        Obj::node(
            Node::named(format!("{EU}data-theme"), "skos:ConceptScheme")
                .with("dct:title", Obj::lang("Data theme", "en")),
        ),
    );
    if let Some(d) = super::data_date(model) {
        cat.add("dct:modified", date(d));
    }
    for d in datasets {
        cat.add("dcat:dataset", Obj::node(d));
    }
    let mut g = Graph {
        prefixes: prefixes(),
        nodes: vec![cat],
    };
    g.flatten();
    Catalog(g)
}
