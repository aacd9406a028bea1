//! `catalog.jsonld` and `catalog.ttl`: the data described in DCAT-AP 3 so
//! that an open-data portal (CKAN with ckanext-dcat, data.europa.eu-style
//! harvesters) can harvest it. One `dcat:Catalog`; one `dcat:Dataset` for
//! the whole bundle (CSV, JSON, Data Package, zip) and one per published
//! year for that year's workbook (that year's figures; every year's for the
//! latest year); one `dcat:Distribution` per file, with
//! its download address, media type, format, licence, size and SHA-256.
//!
//! Written for what ckanext-dcat's `RDFParser` makes of it on a stock CKAN:
//! - the IANA media type carries its name as `rdfs:label` (`text/csv`),
//!   which ckanext-dcat reads as the resource's mimetype and maps, through
//!   CKAN's resource formats, to the plain format (`CSV`, `XLSX`, `JSON`,
//!   `ZIP`) that XLoader, DataPusher and the previews look for;
//! - the licence is its own address (creativecommons.org, …) with the
//!   title CKAN's default licence register knows it by, so that CKAN finds
//!   `cc-by` when its register has no CC-BY-4.0 address;
//! - titles and descriptions in Vietnamese and English (and the site's
//!   other languages where the site gives them): CKAN takes the English
//!   one for the dataset's name;
//! - `dct:identifier` is the package name (and year), the same whatever
//!   the `base_url`, so that a harvester recognises a dataset again.
//!
//! Addresses are `base_url` + path when `base_url` is absolute. With a
//! relative `base_url` (`"/"`) no address in the catalogue can be fetched:
//! nodes are named by `tag:` URIs ([`super::site_iri`]), the download
//! addresses are left out, and the build warns (`relative-base-url`); a
//! root-relative reference would resolve to `file:///data/…` in the
//! harvester. Every node the DCAT-AP 3.0.0 SHACL shapes check by class
//! carries its `@type` explicitly.

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

/// Generated wording, in Vietnamese and English.
fn words(vi: String, en: String) -> Vec<Obj> {
    vec![Obj::lang(vi, "vi"), Obj::lang(en, "en")]
}

/// The title of a licence in CKAN's default licence register, which
/// ckanext-dcat matches when the licence address is not in it.
fn ckan_license_title(spdx: &str) -> Option<&'static str> {
    Some(match spdx {
        "CC-BY-4.0" => "Creative Commons Attribution",
        "CC-BY-SA-4.0" => "Creative Commons Attribution Share-Alike",
        "CC0-1.0" => "Creative Commons CCZero",
        "ODbL-1.0" => "Open Data Commons Open Database License (ODbL)",
        "PDDL-1.0" => "Open Data Commons Public Domain Dedication and License (PDDL)",
        "ODC-By-1.0" => "Open Data Commons Attribution License",
        _ => return None,
    })
}

fn license(model: &Model) -> Obj {
    let spdx = &model.input.site.license;
    let mut n = match super::license_url(spdx) {
        Some(u) => Node::named(u, "dct:LicenseDocument"),
        None => Node::blank("dct:LicenseDocument"),
    };
    n.add("rdfs:label", Obj::str(spdx.clone()));
    if let Some(t) = ckan_license_title(spdx) {
        n.add("dct:title", Obj::str(t));
    }
    Obj::node(n)
}

fn publisher(model: &Model) -> Obj {
    let site = &model.input.site;
    let mut n = Node::named(super::site_iri(model, "data/#publisher"), "foaf:Agent")
        .also("foaf:Organization");
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

/// Who to ask about the data: the publisher, with its e-mail and web
/// address when site.yaml gives them.
fn contact_point(model: &Model) -> Obj {
    let p = &model.input.site.publisher;
    let mut n = Node::blank("vcard:Organization").also("vcard:Kind");
    for name in langs(model, &p.name) {
        n.add("vcard:fn", name);
    }
    if let Some(e) = &p.email {
        n.add("vcard:hasEmail", Obj::iri(format!("mailto:{e}")));
    }
    if let Some(u) = &p.url {
        n.add("vcard:hasURL", Obj::iri(u.clone()));
    }
    Obj::node(n)
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

fn distribution(model: &Model, f: &DataFile, dates: (Option<Date>, Option<Date>)) -> Obj {
    let (file_type, media_type) = types_of(f);
    let mut n = Node::named(
        super::site_iri(model, &format!("data/#file-{}", f.name)),
        "dcat:Distribution",
    )
    .with("dct:title", Obj::str(f.name.clone()));
    for d in langs(model, &f.description) {
        n.add("dct:description", d);
    }
    n.add(
        "dcat:accessURL",
        Obj::iri(
            super::absolute_url(model, "data/").unwrap_or_else(|| super::site_iri(model, "data/")),
        ),
    );
    if let Some(u) = super::absolute_url(model, &format!("data/{}", f.name)) {
        n.add("dcat:downloadURL", Obj::iri(u));
    }
    n.add(
        "dcat:mediaType",
        Obj::node(
            Node::named(format!("{IANA}{media_type}"), "dct:MediaType")
                .with("rdfs:label", Obj::str(media_type)),
        ),
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
    let (issued, modified) = dates;
    if let Some(d) = issued {
        n.add("dct:issued", date(d));
    }
    if let Some(d) = modified {
        n.add("dct:modified", date(d));
    }
    Obj::node(n)
}

/// What every dataset says: publisher, contact, theme, places, languages,
/// dates, landing page.
fn common(model: &Model, version: &str, n: &mut Node, dates: (Option<Date>, Option<Date>)) {
    n.add("dct:publisher", publisher(model));
    n.add("dct:creator", publisher(model));
    n.add("dcat:contactPoint", contact_point(model));
    n.add("dcat:theme", theme());
    for k in [
        "chuyển đổi số",
        "dịch vụ công trực tuyến",
        "chữ ký số",
        "xếp hạng",
    ] {
        n.add("dcat:keyword", Obj::lang(k, "vi"));
    }
    for k in [
        "digital transformation",
        "online public services",
        "digital signature",
        "ranking",
    ] {
        n.add("dcat:keyword", Obj::lang(k, "en"));
    }
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
    let (issued, modified) = dates;
    if let Some(d) = issued {
        n.add("dct:issued", date(d));
    }
    if let Some(d) = modified {
        n.add("dct:modified", date(d));
    }
    if let Some(u) = super::absolute_url(model, "data/") {
        n.add("dcat:landingPage", document(u));
    }
    n.add("dcat:version", Obj::str(version));
}

/// A dataset's identifier: the name of the data package, with the year of
/// a yearly dataset. The same whatever the `base_url` and from one build to
/// the next, so that a harvester updates the dataset instead of adding one.
pub fn identifier(model: &Model, year: Option<i32>) -> String {
    let name = datapackage::slug(&datapackage::title(model));
    match year {
        Some(y) => format!("{name}-{y}"),
        None => name,
    }
}

/// When the figures of the years `from`–`to` were first published (the
/// date of the first of those years' data) and last changed.
fn dates_of(model: &Model, from: i32, to: i32) -> (Option<Date>, Option<Date>) {
    (
        super::data_date_in(model, from, from),
        super::data_date_in(model, from, to),
    )
}

/// The title of the site in English, else in its default language.
fn en_title(model: &Model) -> String {
    let site = &model.input.site;
    site.title.get("en", &site.language).to_string()
}

/// The catalogue of `files`.
pub fn catalog(model: &Model, files: &[DataFile]) -> Catalog {
    let version = &super::version(model);
    let site = &model.input.site;
    let first = model.years.first().copied().unwrap_or_default();
    let last = model.latest_year().unwrap_or(first);
    let description = datapackage::description(model);
    let description_en = site
        .description
        .as_ref()
        .filter(|d| d.has("en"))
        .map(|d| d.get("en", "en").to_string())
        .unwrap_or_else(|| {
            format!(
                "Digital-transformation figures reported by {} agencies, {}: reported values, computed rates, scores and rankings. Published by {}.",
                model.input.agencies.len(),
                super::span(model),
                site.publisher.name.get("en", &site.language)
            )
        });
    let all_dates = dates_of(model, first, last);

    let mut main = Node::named(super::site_iri(model, "data/#dataset"), "dcat:Dataset");
    for t in langs(model, &site.title) {
        main.add("dct:title", t);
    }
    for d in words(description.clone(), description_en.clone()) {
        main.add("dct:description", d);
    }
    main.add("dct:identifier", Obj::str(identifier(model, None)));
    common(model, version, &mut main, all_dates);
    if !model.years.is_empty() {
        main.add("dct:temporal", period(first, last));
    }
    for f in files.iter().filter(|f| !f.name.ends_with(".xlsx")) {
        main.add("dcat:distribution", distribution(model, f, all_dates));
    }

    let mut datasets = vec![main];
    for &year in model.years.iter().rev() {
        let Some(book) = files.iter().find(|f| f.name == super::xlsx_name(year)) else {
            continue;
        };
        let (from, to) = super::book_years(model, year);
        let (years_vi, years_en) = super::years_words(from, to);
        let id = super::site_iri(model, &format!("data/#dataset-{year}"));
        let mut d = Node::named(id, "dcat:Dataset");
        for t in words(
            format!(
                "{}, bản năm {year} (số liệu {years_vi})",
                vi(&site.title, model)
            ),
            format!(
                "{}, {year} workbook (figures of {years_en})",
                en_title(model)
            ),
        ) {
            d.add("dct:title", t);
        }
        for t in words(
            format!("Bảng tính Excel số liệu chuyển đổi số {years_vi}: số liệu báo cáo, tỷ lệ, điểm và xếp hạng của từng cơ quan, kèm trang giới thiệu giải thích từng cột. {description}"),
            format!("Excel workbook of the digital-transformation figures of {years_en}: reported values, rates, scores and rankings of each agency, with a read-me sheet explaining every column. {description_en}"),
        ) {
            d.add("dct:description", t);
        }
        d.add("dct:identifier", Obj::str(identifier(model, Some(year))));
        let dates = dates_of(model, from, to);
        common(model, version, &mut d, dates);
        d.add("dct:temporal", period(from, to));
        d.add("dcat:distribution", distribution(model, book, dates));
        datasets.push(d);
    }

    let mut cat = Node::named(super::site_iri(model, "data/#catalog"), "dcat:Catalog");
    for t in langs(model, &site.title) {
        cat.add("dct:title", t);
    }
    for d in words(description, description_en) {
        cat.add("dct:description", d);
    }
    cat.add("dct:publisher", publisher(model));
    if let Some(u) = super::absolute_url(model, "") {
        cat.add("foaf:homepage", document(u));
    }
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
    if let Some(d) = all_dates.0 {
        cat.add("dct:issued", date(d));
    }
    if let Some(d) = all_dates.1 {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::MemorySite;

    fn sample(base_url: &str) -> (Model, Vec<DataFile>) {
        let mut model = crate::site::sample_model();
        model.input.site.base_url = base_url.to_string();
        let files = super::super::publish(&model, &MemorySite::new()).expect("published");
        (model, files)
    }

    /// Every IRI of the Turtle catalogue, `<…>`.
    fn iris(ttl: &str) -> Vec<&str> {
        ttl.split('<')
            .skip(1)
            .filter_map(|s| s.split_once('>').map(|(i, _)| i))
            .collect()
    }

    #[test]
    fn a_relative_base_url_gives_no_relative_iri_and_no_download_url() {
        let (model, files) = sample("/");
        let ttl = catalog(&model, &files).turtle();
        for i in iris(&ttl) {
            assert!(
                ["http://", "https://", "tag:", "urn:", "mailto:"]
                    .iter()
                    .any(|s| i.starts_with(s)),
                "{i} is relative"
            );
        }
        assert!(!ttl.contains("dcat:downloadURL"), "{ttl}");
        assert!(
            ttl.contains("dcat:accessURL <tag:opendata@tinhmau.example.vn,2021:minhbach/data/>")
        );
        assert!(!ttl.contains("dcat:landingPage"));
    }

    #[test]
    fn what_ckan_reads_formats_licence_titles_identifiers() {
        let (model, files) = sample("https://opendata.example.gov.vn/cds/");
        let cat = catalog(&model, &files);
        let ttl = cat.turtle();
        assert!(ttl.contains(
            "dcat:downloadURL <https://opendata.example.gov.vn/cds/data/observations.csv>"
        ));
        // ckanext-dcat takes the media type's label as the mimetype, then
        // CKAN's resource formats give "CSV".
        assert!(ttl.contains(
            "<http://www.iana.org/assignments/media-types/text/csv>\n    a dct:MediaType ;\n    rdfs:label \"text/csv\""
        ), "{ttl}");
        assert!(ttl.contains(
            "rdfs:label \"CC-BY-4.0\" ;\n    dct:title \"Creative Commons Attribution\""
        ));
        // Titles in English too; identifiers that do not depend on base_url.
        assert!(ttl.contains("2023 workbook (figures of 2021–2023)\"@en"));
        let (relative, files) = sample("/");
        for year in [None, Some(2023)] {
            let id = identifier(&model, year);
            assert_eq!(id, identifier(&relative, year));
            assert!(ttl.contains(&format!("dct:identifier \"{id}\"")), "{id}");
            assert!(catalog(&relative, &files)
                .turtle()
                .contains(&format!("dct:identifier \"{id}\"")));
        }
        assert_eq!(
            identifier(&model, Some(2022)),
            "chi-so-chuyen-doi-so-cac-co-quan-tinh-mau-tinh-hu-cau-so-lieu-minh-hoa-2022"
        );
        // A contact point, and when the figures were first and last published.
        assert!(ttl.contains("dcat:contactPoint ["));
        assert!(ttl.contains("dct:issued \"2021-12-31\"^^xsd:date"));
        assert!(ttl.contains("dct:modified \"2023-12-10\"^^xsd:date"));
    }
}
