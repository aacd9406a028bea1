//! Site search without a server: the render stage writes one small JSON
//! index per language (`/search-index.<lang>.json`) of the agencies,
//! indicators, rates, years and pages, with their names folded (lower case,
//! no Vietnamese diacritics), and `assets/site.js` searches it in the
//! reader's browser on the `/search/` page.
//!
//! [`search`] is the same matching as the script, so that tests can check
//! what a reader finds: "so ngoai vu" finds "Sở Ngoại vụ".

use std::collections::BTreeMap;

use pulldown_cmark::{Event, Parser};
use serde::{Deserialize, Serialize};

use super::views::{fill, in_language, jobs, Job};
use crate::format::{self, Lang};
use crate::input::Text;
use crate::model::Model;

/// One page a search can find.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// What the reader sees: "Sở Ngoại vụ".
    pub title: String,
    /// A key of [`Index::kinds`]: agency, indicator, rate, year, page.
    pub kind: String,
    /// A line under the title: the ranking group of an agency, the group of
    /// an indicator.
    pub detail: String,
    /// From the language's root: "agencies/so-ngoai-vu/".
    pub href: String,
    /// The page's names in every language, normalised ([`normalize`]).
    pub names: Vec<String>,
    /// Other words of the page, normalised.
    pub text: String,
    /// A year's or an indicator's page for one cohort (large sites only):
    /// in the index, but not in the list of the search page without
    /// script, which reaches them through the year or indicator page.
    #[serde(skip)]
    pub of_cohort: bool,
}

/// The index of one language, as written to `/search-index.<lang>.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Index {
    pub lang: String,
    /// Kind → its label in this language.
    pub kinds: BTreeMap<String, String>,
    pub entries: Vec<Entry>,
}

/// The file name of a language's index, at the site's root.
pub fn file_name(lang: &str) -> String {
    format!("search-index.{lang}.json")
}

/// Lower case, decomposed (NFD), without combining diacritics, đ as d,
/// every run of characters that are not letters or digits one space: "Sở
/// Ngoại vụ", "So\u{31b}\u{300} Ngoa\u{323}i vu\u{323}" and "so ngoai vu"
/// all give "so ngoai vu", "Ångström" gives "angstrom". `norm` in site.js
/// does the same steps (`toLowerCase`, `normalize("NFD")`, the same mark
/// range, đ → d), so a query typed as the name is written always finds it.
pub fn normalize(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    let lower: String = s.chars().flat_map(char::to_lowercase).collect();
    for c in lower.nfd() {
        if ('\u{300}'..='\u{36f}').contains(&c) {
            continue;
        }
        let c = if c == 'đ' { 'd' } else { c };
        if c.is_alphanumeric() {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Whether `token` starts a word of the normalised `hay`.
fn at_word_start(hay: &str, token: &str) -> bool {
    hay.match_indices(token)
        .any(|(i, _)| i == 0 || hay.as_bytes().get(i - 1) == Some(&b' '))
}

/// The entries that match every word of the query at the start of a word
/// of their names or text, best first: a name equal to the query, then the
/// query as a phrase in a name, then every word in the names, then the
/// phrase anywhere, then the rest; ties keep the index's order.
pub fn search<'a>(entries: &'a [Entry], query: &str) -> Vec<&'a Entry> {
    let q = normalize(query);
    if q.is_empty() {
        return Vec::new();
    }
    let tokens: Vec<&str> = q.split(' ').collect();
    let mut hits: Vec<(u8, usize, &Entry)> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let names = e.names.join(" ");
            let all = format!("{names} {}", e.text);
            if !tokens.iter().all(|t| at_word_start(&all, t)) {
                return None;
            }
            let score = if e.names.contains(&q) {
                4
            } else if e.names.iter().any(|n| at_word_start(n, &q)) {
                3
            } else if tokens.iter().all(|t| at_word_start(&names, t)) {
                2
            } else if at_word_start(&all, &q) {
                1
            } else {
                0
            };
            Some((score, i, e))
        })
        .collect();
    hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    hits.into_iter().map(|(_, _, e)| e).collect()
}

/// The plain text of Markdown, for the index.
fn markdown_text(md: &str) -> String {
    let mut out = String::new();
    for ev in Parser::new(md) {
        match ev {
            Event::Text(t) | Event::Code(t) => {
                out.push_str(&t);
                out.push(' ');
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out
}

/// A label in every language of the site, normalised, without repeats.
fn all_names(model: &Model, t: &Text, extra: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let default = &model.input.site.language;
    for lang in &model.input.site.languages {
        let n = normalize(t.get(lang, default));
        if !n.is_empty() && !out.contains(&n) {
            out.push(n);
        }
    }
    for e in extra {
        let n = normalize(e);
        if !n.is_empty() && !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// The search index of one language: every page of the site but the 404
/// and the search page itself, in the order of the site's pages.
pub fn index(model: &Model, lang: &str, t: &BTreeMap<String, String>) -> Index {
    index_with(model, lang, t, true)
}

/// [`index`] without the folded names and words ([`Entry::names`] and
/// [`Entry::text`] left empty): what the search page lists for readers
/// without script, which shows titles, details and links only (folding
/// every name was most of the cost of an index).
pub fn listing(model: &Model, lang: &str, t: &BTreeMap<String, String>) -> Index {
    index_with(model, lang, t, false)
}

/// [`index`], with the folded names and words when `folded`.
fn index_with(model: &Model, lang: &str, t: &BTreeMap<String, String>, folded: bool) -> Index {
    let norm = |s: &str| if folded { normalize(s) } else { String::new() };
    let names_of = |t: &Text, extra: &[&str]| {
        if folded {
            all_names(model, t, extra)
        } else {
            Vec::new()
        }
    };
    let tr = |k: &str| t.get(k).cloned().unwrap_or_else(|| k.to_string());
    let default = model.input.site.language.as_str();
    let text = |x: &Text| x.get(lang, default).to_string();
    let cat = &model.input.catalog;
    let kinds: BTreeMap<String, String> = [
        ("agency", "search_kind_agency"),
        ("indicator", "search_kind_indicator"),
        ("rate", "search_kind_rate"),
        ("year", "search_kind_year"),
        ("page", "search_kind_page"),
    ]
    .into_iter()
    .map(|(k, key)| (k.to_string(), tr(key)))
    .collect();
    let page = |title: String, href: String, extra: &str| Entry {
        of_cohort: false,
        names: if folded {
            vec![normalize(&title)]
        } else {
            Vec::new()
        },
        title,
        kind: "page".into(),
        detail: String::new(),
        href,
        text: norm(extra),
    };
    let mut entries = Vec::new();
    for job in jobs(model) {
        if !in_language(model, &job, lang) {
            continue;
        }
        let href = job.path();
        let entry = match &job {
            Job::Overview => Some(page(
                text(&model.input.site.title),
                href,
                &format!(
                    "{} {}",
                    tr("nav_overview"),
                    model
                        .input
                        .site
                        .description
                        .as_ref()
                        .map(&text)
                        .unwrap_or_default()
                ),
            )),
            Job::AgencyList(None) => Some(page(tr("agencies"), href, &tr("nav_agencies"))),
            Job::IndicatorList => Some(page(tr("indicators"), href, &tr("nav_indicators"))),
            Job::YearList => Some(page(tr("years"), href, &tr("nav_years"))),
            Job::Data => Some(page(
                tr("data_title"),
                href,
                &format!("{} csv json sha256 {}", tr("data_intro"), tr("license")),
            )),
            Job::Compare(None) => Some(page(tr("compare_title"), href, &tr("compare_intro"))),
            // The pages of one cohort on large sites.
            Job::AgencyList(Some(c)) | Job::Compare(Some(c)) => model.cohort(c).map(|c| {
                let what = if matches!(job, Job::Compare(_)) {
                    tr("compare_title")
                } else {
                    tr("agencies")
                };
                let n = model.cohort_agencies(&c.id).count();
                let mut e = page(format!("{what}: {}", text(&c.name)), href, &what);
                e.detail = fill(
                    &tr("agencies_count"),
                    &[("n", format::integer(n as i128, Lang::from_code(lang)))],
                );
                e
            }),
            Job::Agency(id) => model.agency(id).map(|a| {
                let cohort = model.cohort(&a.cohort).map(|c| text(&c.name));
                let mut extra: Vec<&str> = vec![a.id.as_str()];
                extra.extend(a.short.as_deref());
                Entry {
                    of_cohort: false,
                    title: text(&a.name),
                    kind: "agency".into(),
                    detail: cohort.clone().unwrap_or_default(),
                    href,
                    names: names_of(&a.name, &extra),
                    text: norm(&format!(
                        "{} {}",
                        cohort.unwrap_or_default(),
                        a.province.as_deref().unwrap_or_default()
                    )),
                }
            }),
            Job::Year(y, cohort) => {
                let mut title = fill(&tr("compare_year"), &[("year", y.to_string())]);
                if let Some(c) = cohort.as_deref().and_then(|c| model.cohort(c)) {
                    title = format!("{title}: {}", text(&c.name));
                }
                let n = match cohort {
                    Some(c) => model.cohort_entries(*y, c).count(),
                    None => model.year_entries(*y).count(),
                };
                Some(Entry {
                    of_cohort: cohort.is_some(),
                    names: if folded {
                        vec![normalize(&title), y.to_string()]
                    } else {
                        Vec::new()
                    },
                    title,
                    kind: "year".into(),
                    detail: fill(
                        &tr("reports_count"),
                        &[("n", format::integer(n as i128, Lang::from_code(lang)))],
                    ),
                    href,
                    text: norm(&format!("{} {}", tr("ranking"), tr("nav_years"))),
                })
            }
            Job::Indicator(id, cohort) => {
                let (name, kind, detail, extra) = if let Some(r) = cat.rate(id) {
                    let of = |i: &str| {
                        cat.indicator(i)
                            .map(|x| text(&x.name))
                            .unwrap_or_else(|| i.to_string())
                    };
                    (
                        &r.name,
                        "rate",
                        format!("{} / {}", of(&r.numerator), of(&r.denominator)),
                        tr("kind_rate"),
                    )
                } else if let Some(i) = cat.indicator(id) {
                    let group = cat.group(&i.group).map(|g| text(&g.name));
                    (
                        &i.name,
                        "indicator",
                        group.unwrap_or_default(),
                        tr(&format!("kind_{}", i.kind.as_str())),
                    )
                } else {
                    continue;
                };
                let mut title = text(name);
                if let Some(c) = cohort.as_deref().and_then(|c| model.cohort(c)) {
                    title = format!("{title}: {}", text(&c.name));
                }
                Some(Entry {
                    of_cohort: cohort.is_some(),
                    names: names_of(name, &[id.as_str()]),
                    title,
                    kind: kind.into(),
                    text: norm(&format!("{detail} {extra}")),
                    detail,
                    href,
                })
            }
            Job::Page(i) => {
                let p = &model.input.pages[*i];
                Some(Entry {
                    of_cohort: false,
                    names: if folded {
                        vec![normalize(&p.title)]
                    } else {
                        Vec::new()
                    },
                    title: p.title.clone(),
                    kind: "page".into(),
                    detail: p.description.clone().unwrap_or_default(),
                    href: format!("{}/", p.slug),
                    text: norm(&format!(
                        "{} {}",
                        p.description.as_deref().unwrap_or_default(),
                        markdown_text(&p.body)
                    )),
                })
            }
            Job::Rubric(id) => model
                .input
                .rubrics
                .iter()
                .find(|r| &r.id == id)
                .map(|r| page(text(&r.name), href, &tr("rubric_intro"))),
            // Page 2, 3, … of a cohort's list: each agency on it has its
            // own entry, and page 1 stands for the list.
            Job::Search | Job::NotFound | Job::More(..) => None,
        };
        entries.extend(entry);
    }
    Index {
        lang: lang.to_string(),
        kinds,
        entries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(title: &str, text: &str) -> Entry {
        Entry {
            of_cohort: false,
            title: title.into(),
            kind: "page".into(),
            detail: String::new(),
            href: String::new(),
            names: vec![normalize(title)],
            text: normalize(text),
        }
    }

    #[test]
    fn normalizes_composed_and_decomposed_vietnamese() {
        assert_eq!(normalize("Sở Ngoại vụ"), "so ngoai vu");
        // The same words typed with combining marks (NFD).
        assert_eq!(
            normalize("So\u{31b}\u{300} Ngoa\u{323}i vu\u{323}"),
            "so ngoai vu"
        );
        assert_eq!(normalize("  Ký số (PKI) — 2023 "), "ky so pki 2023");
        assert_eq!(normalize("ĐỒNG"), "dong");
    }

    #[test]
    fn normalizes_any_latin_diacritics_in_both_forms() {
        // What site.js gives for the same text: lower case, NFD, marks gone.
        assert_eq!(normalize("Über Ångström"), "uber angstrom");
        assert_eq!(
            normalize("U\u{308}ber A\u{30a}ngstro\u{308}m"),
            "uber angstrom"
        );
        assert_eq!(normalize("Œuvre Ñandú"), "œuvre nandu");
        let e = [entry("Phòng Über-Ångström", "")];
        assert_eq!(search(&e, "über").len(), 1);
        assert_eq!(search(&e, "ÅNGSTRÖM").len(), 1);
        assert_eq!(search(&e, "angstrom").len(), 1);
    }

    #[test]
    fn every_word_must_start_a_word_and_names_rank_first() {
        let e = [
            entry("Hồ sơ trực tuyến", "ký số văn bản"),
            entry("Số văn bản đi được ký số", ""),
            entry("Tỷ lệ văn bản đi được ký số", ""),
            entry("Sở Ngoại vụ", "sở ban ngành"),
        ];
        let titles = |q: &str| {
            search(&e, q)
                .into_iter()
                .map(|x| x.title.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            titles("ky so"),
            [
                "Số văn bản đi được ký số",
                "Tỷ lệ văn bản đi được ký số",
                "Hồ sơ trực tuyến"
            ]
        );
        assert_eq!(titles("KÝ SỐ"), titles("ky so"));
        assert_eq!(titles("so ngoai vu"), ["Sở Ngoại vụ"]);
        // "oai" is inside "ngoai", not at the start of a word.
        assert!(titles("oai").is_empty());
        assert!(titles("  ").is_empty());
    }
}

#[cfg(test)]
mod sample_site {
    use super::*;
    use std::path::Path;

    /// The index of the bundled sample site in `lang`, with the theme's
    /// strings, as the build writes it.
    fn sample_index(lang: &str) -> Index {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let model = crate::site::sample_model();
        let theme = crate::render::Theme::load(root, "default").expect("the default theme loads");
        let t = theme.strings_for(lang, &model.input.site.language);
        index(&model, lang, &t)
    }

    /// The search page's listing is the index without the folded names and
    /// words: the same entries, titles, kinds, details and links.
    #[test]
    fn the_listing_is_the_index_without_folding() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let model = crate::site::sample_model();
        let theme = crate::render::Theme::load(root, "default").expect("the default theme loads");
        for lang in ["vi", "en"] {
            let t = theme.strings_for(lang, &model.input.site.language);
            let mut full = index(&model, lang, &t);
            assert!(full.entries.iter().any(|e| !e.names.is_empty()));
            for e in &mut full.entries {
                e.names.clear();
                e.text.clear();
            }
            assert_eq!(listing(&model, lang, &t), full);
        }
    }

    fn hrefs<'a>(entries: &'a [Entry], q: &str) -> Vec<&'a str> {
        search(entries, q)
            .into_iter()
            .map(|e| e.href.as_str())
            .collect()
    }

    #[test]
    fn so_ngoai_vu_finds_the_department_of_foreign_affairs_first() {
        for lang in ["vi", "en"] {
            let idx = sample_index(lang);
            for q in ["so ngoai vu", "Sở Ngoại vụ", "SỞ NGOẠI VỤ", "sngv"] {
                let found = hrefs(&idx.entries, q);
                assert_eq!(
                    found.first(),
                    Some(&"agencies/so-ngoai-vu/"),
                    "{lang}: {q}: {found:?}"
                );
            }
        }
        let vi = sample_index("vi");
        let hit = search(&vi.entries, "so ngoai vu")[0];
        assert_eq!(hit.title, "Sở Ngoại vụ");
        assert_eq!(hit.kind, "agency");
    }

    #[test]
    fn ky_so_with_or_without_diacritics_finds_the_signature_indicators() {
        let idx = sample_index("vi");
        let with = hrefs(&idx.entries, "ký số");
        let without = hrefs(&idx.entries, "ky so");
        assert_eq!(with, without);
        for expected in [
            "indicators/docs_outgoing_signed/",
            "indicators/signed_outgoing_rate/",
            "indicators/leaders_with_signature/",
            "indicators/leaders_dept_with_signature/",
            "indicators/leaders_signature_rate/",
        ] {
            assert!(with.contains(&expected), "{expected} not in {with:?}");
        }
        // Names that say "ký số" come before pages that only mention it.
        let first_other = with.iter().position(|h| !h.starts_with("indicators/"));
        let last_indicator = with.iter().rposition(|h| h.starts_with("indicators/"));
        if let (Some(o), Some(i)) = (first_other, last_indicator) {
            assert!(i < o, "{with:?}");
        }
        // An agency is not a signature indicator.
        assert!(!with.iter().any(|h| h.starts_with("agencies/")), "{with:?}");
    }

    #[test]
    fn the_english_index_finds_english_and_vietnamese_names() {
        let idx = sample_index("en");
        assert_eq!(
            hrefs(&idx.entries, "foreign affairs").first(),
            Some(&"agencies/so-ngoai-vu/")
        );
        assert!(
            hrefs(&idx.entries, "digitally signed").contains(&"indicators/signed_outgoing_rate/")
        );
        assert!(hrefs(&idx.entries, "ky so").contains(&"indicators/signed_outgoing_rate/"));
        assert_eq!(idx.kinds.get("agency").map(String::as_str), Some("Agency"));
    }
}
