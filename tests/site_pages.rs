//! The reader-facing parts of the built sample site: search index, compare
//! page, language alternates, Atom feeds, chart citations, translations.
//! (`tests/web/check.sh` checks the same site in a browser.)

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use minhbach::render::search::{search, Index};

/// The bundled sample site, built once for all the tests of this file.
fn site() -> &'static Path {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, out) = SITE.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("public");
        let res = Command::new(env!("CARGO_BIN_EXE_minhbach"))
            .args([
                "build",
                "--quiet",
                "--root",
                env!("CARGO_MANIFEST_DIR"),
                "--output",
            ])
            .arg(&out)
            .output()
            .expect("the binary runs");
        assert!(
            res.status.success(),
            "{}",
            String::from_utf8_lossy(&res.stderr)
        );
        (tmp, out)
    });
    out
}

fn read(rel: &str) -> String {
    fs::read_to_string(site().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn index(lang: &str) -> Index {
    serde_json::from_str(&read(&format!("search-index.{lang}.json"))).expect("the index parses")
}

fn hrefs<'a>(idx: &'a Index, q: &str) -> Vec<&'a str> {
    search(&idx.entries, q)
        .into_iter()
        .map(|e| e.href.as_str())
        .collect()
}

/// An attribute as minify-html writes it: quoted or not.
fn has_attr(html: &str, name: &str, value: &str) -> bool {
    html.contains(&format!("{name}=\"{value}\"")) || html.contains(&format!("{name}={value}"))
}

/// The start tags `<name …>` of a page (minify-html reorders attributes).
fn tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name} ");
    html.match_indices(&open)
        .filter_map(|(i, _)| html[i..].find('>').map(|j| &html[i..=i + j]))
        .collect()
}

/// Whether a start tag `<name …>` has every attribute given.
fn has_tag(html: &str, name: &str, attrs: &[(&str, &str)]) -> bool {
    tags(html, name)
        .iter()
        .any(|t| attrs.iter().all(|(k, v)| has_attr(t, &format!(" {k}"), v)))
}

#[test]
fn the_search_index_finds_so_ngoai_vu_and_ky_so() {
    for lang in ["vi", "en"] {
        let idx = index(lang);
        assert_eq!(idx.lang, lang);
        assert_eq!(
            hrefs(&idx, "so ngoai vu").first(),
            Some(&"agencies/so-ngoai-vu/"),
            "{lang}"
        );
        let with = hrefs(&idx, "ký số");
        assert_eq!(with, hrefs(&idx, "ky so"), "{lang}");
        assert!(
            with.contains(&"indicators/signed_outgoing_rate/"),
            "{lang}: {with:?}"
        );
        assert!(
            with.contains(&"indicators/docs_outgoing_signed/"),
            "{lang}: {with:?}"
        );
    }
    let vi = index("vi");
    let first = search(&vi.entries, "so ngoai vu")[0];
    assert_eq!(first.title, "Sở Ngoại vụ");
    // Every entry leads to a page of the site.
    for e in &vi.entries {
        assert!(
            site().join(&e.href).join("index.html").is_file(),
            "{} → {}",
            e.title,
            e.href
        );
    }
}

#[test]
fn the_search_page_lists_every_entry_for_readers_without_script() {
    let html = read("search/index.html");
    assert!(has_attr(&html, "data-index", "../search-index.vi.json"));
    for e in &index("vi").entries {
        assert!(
            html.contains(&format!("href=../{}>", e.href))
                || html.contains(&format!("href=\"../{}\"", e.href)),
            "{} is not listed",
            e.href
        );
    }
    let en = read("en/search/index.html");
    assert!(has_attr(&en, "data-index", "../../search-index.en.json"));
    // The header of every page has the search box.
    for page in [
        "index.html",
        "en/agencies/so-ngoai-vu/index.html",
        "404.html",
    ] {
        assert!(read(page).contains("role=search"), "{page}");
    }
}

#[test]
fn the_compare_page_offers_every_agency_in_a_working_form() {
    for (page, lang) in [
        ("compare/index.html", "vi"),
        ("en/compare/index.html", "en"),
    ] {
        let html = read(page);
        let agencies = fs::read_dir(site().join("agencies"))
            .expect("agencies")
            .filter(|e| e.as_ref().is_ok_and(|e| e.path().is_dir()))
            .count();
        assert_eq!(
            html.matches("type=checkbox").count(),
            agencies,
            "{page}: a box per agency"
        );
        assert!(html.contains("name=a"), "{page}: ?a=id");
        // A GET form (minify-html drops the default method=get) to this page.
        assert!(has_tag(&html, "form", &[("id", "compare-form")]), "{page}");
        assert!(!html.contains("method=post"), "{page}");
        // Rank plus the three headline rates, each with every agency.
        assert_eq!(
            html.matches("class=\"sortable compare-table\"").count(),
            4,
            "{page}"
        );
        // Quoted or not (has_attr): a value from the data stays quoted.
        let rows = html.matches("data-agency=so-ngoai-vu").count()
            + html.matches("data-agency=\"so-ngoai-vu\"").count();
        assert_eq!(rows, 4, "{page}");
        let heading = if lang == "vi" {
            "So sánh các cơ quan"
        } else {
            "Compare agencies"
        };
        assert!(html.contains(heading), "{page}");
    }
    let agency = read("agencies/so-ngoai-vu/index.html");
    assert!(
        agency.contains("compare/?a=so-ngoai-vu"),
        "link from an agency page"
    );
}

#[test]
fn hreflang_alternates_with_a_path_base_url() {
    // The sample site's base_url is "/": no host, so no hreflang alternates
    // (they must be fully qualified URLs; a path is ignored by search
    // engines and failed by Lighthouse). The language switch still links.
    let vi = read("agencies/so-ngoai-vu/index.html");
    assert!(!vi.contains("hreflang=x-default") && !vi.contains("hreflang=\"x-default\""));
    assert!(
        has_tag(
            &vi,
            "a",
            &[
                ("hreflang", "en"),
                ("href", "../../en/agencies/so-ngoai-vu/")
            ]
        ),
        "{:?}",
        tags(&vi, "a")
    );
    // The 404 page is served at any address: no alternates there.
    assert!(!read("404.html").contains("hreflang=x-default"));
    // Open Graph: locale and its alternate.
    assert!(has_tag(
        &vi,
        "meta",
        &[("property", "og:locale"), ("content", "vi_VN")]
    ));
    assert!(has_tag(
        &vi,
        "meta",
        &[("property", "og:locale:alternate"), ("content", "en_US")]
    ));
}

#[test]
fn atom_feeds_announce_each_year_with_dates_from_the_data() {
    for (rel, prefix, title) in [
        ("feed.xml", "/", "Kết quả chuyển đổi số năm 2023"),
        ("en/feed.xml", "/en/", "Digital transformation results 2023"),
    ] {
        let xml = read(rel);
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let atom = "http://www.w3.org/2005/Atom";
        let root = doc.root_element();
        assert!(root.has_tag_name((atom, "feed")));
        let entries: Vec<_> = root
            .children()
            .filter(|n| n.has_tag_name((atom, "entry")))
            .collect();
        assert_eq!(entries.len(), 3, "{rel}: 2021, 2022, 2023");
        let child = |n: roxmltree::Node, name: &str| {
            n.children()
                .find(|c| c.has_tag_name((atom, name)))
                .and_then(|c| c.text())
                .unwrap_or_default()
                .to_string()
        };
        assert_eq!(child(entries[0], "title"), title);
        // The latest end of the 2023 reports' periods.
        assert_eq!(child(entries[0], "updated"), "2023-12-10T00:00:00Z");
        assert_eq!(child(root, "updated"), "2023-12-10T00:00:00Z");
        let link = entries[0]
            .children()
            .find(|c| c.has_tag_name((atom, "link")))
            .and_then(|c| c.attribute("href"));
        assert_eq!(link, Some(format!("{prefix}years/2023/").as_str()));
        assert!(child(entries[0], "id").starts_with("tag:"), "{rel}");
    }
    let page = read("en/index.html");
    assert!(
        has_tag(
            &page,
            "link",
            &[
                ("rel", "alternate"),
                ("type", "application/atom+xml"),
                ("href", "../en/feed.xml")
            ]
        ),
        "linked from the pages: {:?}",
        tags(&page, "link")
    );
}

#[test]
fn charts_say_how_to_cite_them_and_only_chart_pages_have_chart_files() {
    let html = read("years/2023/index.html");
    assert!(html.contains("Cách trích dẫn"));
    assert!(html.contains("/years/2023/#bars-so-ban-nganh-dvctt-uptake"));
    assert!(read("en/years/2023/index.html").contains("How to cite"));
    for dir in ["", "en/", "gioi-thieu/", "data/", "compare/", "search/"] {
        let stray: Vec<String> = fs::read_dir(site().join(dir))
            .expect("dir")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("404.html") && n != "404.html")
            .collect();
        assert!(stray.is_empty(), "{dir}: {stray:?}");
    }
    assert!(!site()
        .join("gioi-thieu/distribution-dvctt-uptake.svg")
        .exists());
    assert!(site().join("distribution-dvctt-uptake.svg").exists());
}

#[test]
fn english_pages_use_english_strings_and_formats() {
    let en = read("en/agencies/so-ngoai-vu/index.html");
    for vi in ["Xếp hạng", "Tỷ lệ", "chưa có số liệu", "Nguồn", "So sánh"] {
        // Data without an English label falls back to Vietnamese; UI
        // strings never do on an English page.
        assert!(!en.contains(&format!(">{vi}<")), "{vi} on an English page");
    }
    // The language switch names each language in itself.
    assert!(en.contains(">Tiếng Việt<") && en.contains(">English<"));
    // 1,339 (en) and 1.339 (vi) for the same figure.
    assert!(en.contains("1,339"), "English thousands separator");
    assert!(read("agencies/so-ngoai-vu/index.html").contains("1.339"));
}

#[test]
fn templates_have_no_hard_coded_vietnamese() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    for e in fs::read_dir(&dir).expect("templates") {
        let path = e.expect("entry").path();
        let text = fs::read_to_string(&path).expect("utf-8");
        for (n, line) in text.lines().enumerate() {
            let letters: String = line
                .chars()
                .filter(|c| !c.is_ascii() && c.is_alphabetic())
                .collect();
            assert!(
                letters.is_empty(),
                "{}:{}: {letters}: move the text to themes/default/i18n/*.yaml",
                path.display(),
                n + 1
            );
        }
    }
}
