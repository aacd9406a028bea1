//! What each page shows, as plain JSON for the templates: every figure is
//! already formatted for the page's language, every label resolved, every
//! link relative. Templates only lay it out.

use std::collections::BTreeMap;

use super::value::{field, value, with, Value as Json};

use crate::diag::Code;
use crate::format::{self, Lang};
use crate::input::{Indicator, Kind, Num, Report, Text, Val};
use crate::model::{Entry, Model, Percent};
use crate::publish::{self, DataFile};

use super::markdown;

/// One page to render (in each language).
#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    Overview,
    /// The agencies; with a cohort, that cohort's (large sites).
    AgencyList(Option<String>),
    Agency(String),
    /// A year; with a cohort, that cohort's part of it (large sites).
    Year(i32, Option<String>),
    IndicatorList,
    /// An indicator or a rate id; with a cohort, that cohort's part.
    Indicator(String, Option<String>),
    Data,
    /// Agencies picked by the reader, side by side over the years; with a
    /// cohort, among that cohort's (large sites).
    Compare(Option<String>),
    /// The search page (the index is a static file beside it).
    Search,
    /// Index into `input.pages`.
    Page(usize),
    NotFound,
}

impl Job {
    /// The page's folder below the language root: "" or "agencies/x/".
    pub fn path(&self) -> String {
        match self {
            Job::Overview | Job::NotFound => String::new(),
            Job::AgencyList(None) => "agencies/".into(),
            Job::AgencyList(Some(c)) => format!("agencies/cohort/{c}/"),
            Job::Agency(id) => format!("agencies/{id}/"),
            Job::Year(y, None) => format!("years/{y}/"),
            Job::Year(y, Some(c)) => format!("years/{y}/{c}/"),
            Job::IndicatorList => "indicators/".into(),
            Job::Indicator(id, None) => format!("indicators/{id}/"),
            Job::Indicator(id, Some(c)) => format!("indicators/{id}/{c}/"),
            Job::Data => "data/".into(),
            Job::Compare(None) => "compare/".into(),
            Job::Compare(Some(c)) => format!("compare/{c}/"),
            Job::Search => "search/".into(),
            Job::Page(_) => String::new(),
        }
    }

    pub fn template(&self) -> &'static str {
        match self {
            Job::Overview => "index.html",
            Job::AgencyList(_) => "agencies.html",
            Job::Agency(_) => "agency.html",
            Job::Year(..) => "year.html",
            Job::IndicatorList => "indicators.html",
            Job::Indicator(..) => "indicator.html",
            Job::Data => "data.html",
            Job::Compare(_) => "compare.html",
            Job::Search => "search.html",
            Job::Page(_) => "page.html",
            Job::NotFound => "404.html",
        }
    }

    /// Whether the page shows charts (only these get chart files beside them).
    pub fn has_charts(&self) -> bool {
        matches!(
            self,
            Job::Overview | Job::Agency(_) | Job::Year(..) | Job::Indicator(..)
        )
    }
}

/// Up to this many cohorts, a year or indicator page shows every cohort;
/// beyond it (a national portal has hundreds), it summarises the cohorts
/// and each gets a page of its own, so that no page grows with the country.
pub const INLINE_COHORTS: usize = 4;

/// Whether year and indicator pages are split by cohort.
pub fn split_by_cohort(model: &Model) -> bool {
    model.input.cohorts.len() > INLINE_COHORTS
}

/// Every page of the site, in a stable order.
pub fn jobs(model: &Model) -> Vec<Job> {
    let split = split_by_cohort(model);
    let cohorts: Vec<Option<String>> = std::iter::once(None)
        .chain(
            model
                .input
                .cohorts
                .iter()
                .filter(|_| split)
                .map(|c| Some(c.id.clone())),
        )
        .collect();
    let mut jobs = vec![Job::Overview];
    jobs.extend(cohorts.iter().map(|c| Job::AgencyList(c.clone())));
    jobs.extend(
        model
            .input
            .agencies
            .iter()
            .map(|a| Job::Agency(a.id.clone())),
    );
    for &y in &model.years {
        jobs.extend(cohorts.iter().map(|c| Job::Year(y, c.clone())));
    }
    jobs.push(Job::IndicatorList);
    let ids = model
        .input
        .catalog
        .rates
        .iter()
        .map(|r| &r.id)
        .chain(model.input.catalog.indicators.iter().map(|i| &i.id));
    for id in ids {
        jobs.extend(
            cohorts
                .iter()
                .map(|c| Job::Indicator(id.clone(), c.clone())),
        );
    }
    jobs.push(Job::Data);
    jobs.extend(cohorts.iter().map(|c| Job::Compare(c.clone())));
    jobs.push(Job::Search);
    jobs.extend(
        model
            .input
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.draft)
            .map(|(i, _)| Job::Page(i)),
    );
    jobs.push(Job::NotFound);
    jobs
}

/// Whether a job exists in a language (a page with `lang:` only in its own).
pub fn in_language(model: &Model, job: &Job, lang: &str) -> bool {
    match job {
        Job::Page(i) => model.input.pages[*i]
            .lang
            .as_deref()
            .is_none_or(|l| l == lang),
        _ => true,
    }
}

/// "" for the default language, "en/" for another.
pub fn lang_prefix(model: &Model, lang: &str) -> String {
    if lang == model.input.site.language {
        String::new()
    } else {
        format!("{lang}/")
    }
}

fn job_path(model: &Model, job: &Job) -> String {
    match job {
        Job::Page(i) => format!("{}/", model.input.pages[*i].slug),
        other => other.path(),
    }
}

/// The output file of a page: `en/agencies/x/index.html`, `404.html`.
pub fn output_path(model: &Model, lang: &str, job: &Job) -> String {
    let prefix = lang_prefix(model, lang);
    match job {
        Job::NotFound => format!("{prefix}404.html"),
        _ => format!("{prefix}{}index.html", job_path(model, job)),
    }
}

/// A chart drawn for a page: the SVG to inline and the files beside it.
#[derive(Debug, Clone)]
pub struct DrawnChart {
    pub id: String,
    pub title: String,
    /// Inline in the page (scales to the page's width).
    pub svg: String,
    /// The same drawing with a fixed size, for the .svg file.
    pub standalone: String,
    pub csv: String,
    pub table_head: Vec<String>,
    pub table_rows: Vec<Vec<String>>,
    /// How long drawing it took, for `--timings`.
    pub time: std::time::Duration,
}

/// The marker a theme writes (`{{ c.slot | safe }}`) where chart `i` goes.
/// The SVG replaces it after the page is minified: the drawing is compact
/// already, and the minifier need not parse it again on every page.
pub fn chart_slot(i: usize) -> String {
    format!("\u{E000}minhbach-chart-{i}\u{E001}")
}

/// Puts the charts into their slots.
pub fn fill_chart_slots(html: &[u8], charts: &[DrawnChart]) -> Vec<u8> {
    if charts.is_empty() {
        return html.to_vec();
    }
    let mut out =
        Vec::with_capacity(html.len() + charts.iter().map(|c| c.svg.len()).sum::<usize>());
    let mut rest = html;
    const START: &[u8] = "\u{E000}minhbach-chart-".as_bytes();
    const END: &[u8] = "\u{E001}".as_bytes();
    while let Some(i) = rest.windows(START.len()).position(|w| w == START) {
        out.extend_from_slice(&rest[..i]);
        let after = &rest[i + START.len()..];
        let Some(j) = after.windows(END.len()).position(|w| w == END) else {
            out.extend_from_slice(&rest[i..]);
            return out;
        };
        let chart = std::str::from_utf8(&after[..j])
            .ok()
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| charts.get(n));
        match chart {
            Some(c) => out.extend_from_slice(c.svg.as_bytes()),
            None => out.extend_from_slice(&rest[i..i + START.len() + j + END.len()]),
        }
        rest = &after[j + END.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// Files beside the pages: robots.txt and sitemap.xml.
pub fn site_files(model: &Model) -> Vec<(String, String)> {
    let site = &model.input.site;
    let base = &site.base_url;
    let absolute = base.starts_with("http");
    let mut urls = Vec::new();
    for lang in &site.languages {
        for job in jobs(model) {
            if job == Job::NotFound || !in_language(model, &job, lang) {
                continue;
            }
            urls.push(format!(
                "{base}{}{}",
                lang_prefix(model, lang),
                job_path(model, &job)
            ));
        }
    }
    let mut out = Vec::new();
    let mut robots = String::from("User-agent: *\nAllow: /\n");
    if absolute {
        robots.push_str(&format!("Sitemap: {base}sitemap.xml\n"));
        out.extend(sitemaps(base, &urls, SITEMAP_MAX_URLS));
    }
    out.push(("robots.txt".to_string(), robots));
    out
}

/// The sitemap protocol allows at most 50,000 URLs in one file.
const SITEMAP_MAX_URLS: usize = 50_000;

/// `sitemap.xml` listing `urls`; when they are more than `max`, it is a
/// sitemap index of `sitemap-1.xml`, `sitemap-2.xml`, … of `max` each (a
/// national site has more pages than one sitemap may hold).
fn sitemaps(base: &str, urls: &[String], max: usize) -> Vec<(String, String)> {
    const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    const NS: &str = "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"";
    let urlset = |urls: &[String]| {
        let mut xml = format!("{HEAD}<urlset {NS}>\n");
        for u in urls {
            xml.push_str(&format!("  <url><loc>{}</loc></url>\n", xml_escape(u)));
        }
        xml.push_str("</urlset>\n");
        xml
    };
    if urls.len() <= max {
        return vec![("sitemap.xml".to_string(), urlset(urls))];
    }
    let mut out = Vec::new();
    let mut index = format!("{HEAD}<sitemapindex {NS}>\n");
    for (i, chunk) in urls.chunks(max.max(1)).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            xml_escape(&format!("{base}{name}"))
        ));
        out.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    out.insert(0, ("sitemap.xml".to_string(), index));
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Fills `{name}` placeholders of a UI string.
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (k, v) in args {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// The formatting context of one page.
pub struct Fmt<'a> {
    pub model: &'a Model,
    pub lang: &'a str,
    pub l: Lang,
    pub default: &'a str,
    pub t: &'a BTreeMap<String, String>,
    /// From this page to the language root: "../../" (plus nothing) or "../../en/".
    pub root: String,
    /// From this page to the site root, where /assets and /data are.
    pub site_root: String,
}

impl<'a> Fmt<'a> {
    pub fn tr(&self, key: &str) -> String {
        self.t.get(key).cloned().unwrap_or_else(|| key.to_string())
    }

    pub fn text(&self, t: &Text) -> String {
        t.get(self.lang, self.default).to_string()
    }

    pub fn agency_name(&self, id: &str) -> String {
        self.model
            .agency(id)
            .map(|a| self.text(&a.name))
            .unwrap_or_else(|| id.to_string())
    }

    pub fn indicator_name(&self, id: &str) -> String {
        let cat = &self.model.input.catalog;
        cat.indicator(id)
            .map(|i| self.text(&i.name))
            .or_else(|| cat.rate(id).map(|r| self.text(&r.name)))
            .unwrap_or_else(|| id.to_string())
    }

    pub fn percent(&self, p: Percent) -> String {
        format::percent(p.as_f64(), self.l)
    }

    pub fn num(&self, n: Num, kind: Kind) -> String {
        match (n, kind) {
            (Num::Int(i), Kind::MoneyVnd) => format::money_vnd(i as f64, self.l),
            (n, Kind::MoneyVnd) => format::money_vnd(n.as_f64(), self.l),
            (Num::Int(i), Kind::Percent) => format!("{}%", format::integer(i128::from(i), self.l)),
            (n, Kind::Percent) => format!("{}%", format::number(n.as_f64(), 2, self.l)),
            (Num::Int(i), _) => format::integer(i128::from(i), self.l),
            (n, _) => format::number(n.as_f64(), 2, self.l),
        }
    }

    pub fn value(&self, v: &Val, kind: Kind) -> String {
        match v {
            Val::Num(n) => self.num(*n, kind),
            Val::Flag(true) => self.tr("flag_yes"),
            Val::Flag(false) => self.tr("flag_no"),
            Val::Text(s) => s.clone(),
        }
    }

    pub fn agency_href(&self, id: &str) -> String {
        format!("{}agencies/{id}/", self.root)
    }

    pub fn indicator_href(&self, id: &str) -> String {
        format!("{}indicators/{id}/", self.root)
    }

    pub fn year_href(&self, y: i32) -> String {
        format!("{}years/{y}/", self.root)
    }

    pub fn year_cohort_href(&self, y: i32, cohort: &str) -> String {
        if split_by_cohort(self.model) {
            format!("{}years/{y}/{cohort}/", self.root)
        } else {
            format!("{}years/{y}/#{cohort}", self.root)
        }
    }

    /// The median of a rate across a cohort's reports of a year.
    pub fn cohort_median(&self, year: i32, cohort: &str, rate: &str) -> (Option<f64>, usize) {
        let values: Vec<f64> = self
            .model
            .cohort_entries(year, cohort)
            .filter_map(|e| e.percent(rate))
            .map(Percent::as_f64)
            .collect();
        (crate::model::median(&values), values.len())
    }

    /// A summary row per cohort: reports and headline medians of a year.
    pub fn cohort_summaries(&self, year: i32) -> Vec<Json> {
        let model = self.model;
        let headline: Vec<&str> = model
            .input
            .catalog
            .rates
            .iter()
            .filter(|r| r.headline)
            .map(|r| r.id.as_str())
            .collect();
        model
            .input
            .cohorts
            .iter()
            .map(|c| {
                let reports = model.cohort_entries(year, &c.id).count();
                let members = model.cohort_agencies(&c.id).count();
                let medians: Vec<Json> = headline
                    .iter()
                    .map(|r| {
                        let (m, n) = self.cohort_median(year, &c.id, r);
                        match m {
                            Some(m) => value!({"text": format::percent(m, self.l), "missing": false, "detail": fill(&self.tr("count_n"), &[("n", format::integer(n as i128, self.l))])}),
                            None => value!({"text": self.tr("not_reported_short"), "missing": true, "label": self.tr("not_computable")}),
                        }
                    })
                    .collect();
                value!({
                    "id": c.id, "name": self.text(&c.name), "href": self.year_cohort_href(year, &c.id),
                    "reports": format!("{reports}/{members}"), "medians": medians,
                })
            })
            .filter(|c| field(c, "reports").and_then(Json::as_str).is_some_and(|r| !r.starts_with("0/")))
            .collect()
    }

    /// "▲8" / "▼2" / "=" with a class and words for screen readers.
    pub fn change(&self, change: Option<i64>) -> Json {
        match change {
            Some(c) if c > 0 => {
                value!({"text": format!("▲{c}"), "class": "up", "label": fill(&self.tr("rank_up"), &[("n", c.to_string())])})
            }
            Some(c) if c < 0 => {
                value!({"text": format!("▼{}", -c), "class": "down", "label": fill(&self.tr("rank_down"), &[("n", (-c).to_string())])})
            }
            Some(_) => value!({"text": "=", "class": "same", "label": self.tr("rank_same")}),
            None => Json::none(),
        }
    }

    /// The sentences readers see for the data-quality flags of a report.
    pub fn flag_sentences(&self, report: &Report) -> Vec<Json> {
        let cat = &self.model.input.catalog;
        let kind = |id: &str| cat.indicator(id).map_or(Kind::Number, |i| i.kind);
        let shown = |id: &str| {
            report
                .value(id)
                .map(|v| self.value(v, kind(id)))
                .unwrap_or_else(|| self.tr("not_reported"))
        };
        report
            .flags
            .iter()
            .map(|f| {
                let text = match f.code {
                    Code::ExceedsTotal => fill(
                        &self.tr("flag_exceeds_total"),
                        &[
                            ("indicator", self.indicator_name(&f.indicator)),
                            ("value", shown(&f.indicator)),
                            (
                                "total",
                                f.related
                                    .first()
                                    .map(|r| self.indicator_name(r))
                                    .unwrap_or_default(),
                            ),
                            (
                                "total_value",
                                f.related.first().map(|r| shown(r)).unwrap_or_default(),
                            ),
                        ],
                    ),
                    Code::PartsMismatch => {
                        let sum: f64 = f
                            .related
                            .iter()
                            .filter_map(|p| report.value(p).and_then(Val::num))
                            .map(Num::as_f64)
                            .sum();
                        fill(
                            &self.tr("flag_parts_mismatch"),
                            &[
                                ("indicator", self.indicator_name(&f.indicator)),
                                ("value", shown(&f.indicator)),
                                (
                                    "parts",
                                    f.related
                                        .iter()
                                        .map(|p| self.indicator_name(p))
                                        .collect::<Vec<_>>()
                                        .join(" + "),
                                ),
                                ("sum", format::number(sum, 2, self.l)),
                            ],
                        )
                    }
                    _ => {
                        let (v, m) = report
                            .score
                            .as_ref()
                            .map(|s| {
                                (
                                    self.num(s.value, Kind::Number),
                                    s.max.map(|m| self.num(m, Kind::Number)).unwrap_or_default(),
                                )
                            })
                            .unwrap_or_default();
                        fill(
                            &self.tr("flag_score_exceeds_max"),
                            &[("value", v), ("max", m)],
                        )
                    }
                };
                value!({"code": f.code.as_str(), "indicator": f.indicator, "text": text})
            })
            .collect()
    }

    fn flagged(report: &Report, indicator: &str) -> bool {
        report.flags.iter().any(|f| f.indicator == indicator)
    }

    /// A table cell for one indicator of one report (or its absence).
    pub fn value_cell(&self, report: Option<&Report>, ind: &Indicator) -> Json {
        let Some(report) = report else {
            return value!({"text": self.tr("not_reported_short"), "missing": true, "label": self.tr("not_reported")});
        };
        match report.values.get(&ind.id) {
            Some(o) => match &o.value {
                Some(v) => value!({
                    "text": self.value(v, ind.kind),
                    // The plain number for sorting ("1.517" is a thousand
                    // and more in Vietnamese, not one and a half).
                    "sort": match v {
                        Val::Num(n) => Some(n.as_f64().to_string()),
                        Val::Flag(b) => Some(u8::from(*b).to_string()),
                        Val::Text(_) => None,
                    },
                    "missing": false,
                    "flagged": Self::flagged(report, &ind.id),
                    "evidence": o.evidence,
                    "note": o.note,
                }),
                None => {
                    value!({"text": self.tr("not_reported_short"), "missing": true, "label": self.tr("not_reported"), "note": o.note})
                }
            },
            None => {
                value!({"text": self.tr("not_reported_short"), "missing": true, "label": self.tr("not_reported")})
            }
        }
    }

    /// A table cell for one rate of one entry.
    pub fn rate_cell(&self, entry: Option<&Entry>, rate: &str) -> Json {
        let rv = entry.and_then(|e| e.rate(rate));
        match rv.and_then(|r| r.percent.map(|p| (r, p))) {
            Some((r, p)) => value!({
                "text": self.percent(p),
                "sort": p.plain(),
                "missing": false,
                "flagged": !r.flags.is_empty(),
                "detail": fill(&self.tr("rate_detail"), &[
                    ("numerator", r.numerator.map(|n| format::integer(i128::from(n), self.l)).unwrap_or_default()),
                    ("denominator", r.denominator.map(|n| format::integer(i128::from(n), self.l)).unwrap_or_default()),
                ]),
            }),
            None => {
                value!({"text": self.tr("not_reported_short"), "sort": "", "missing": true, "label": self.tr("not_computable")})
            }
        }
    }

    pub fn rank_text(&self, entry: &Entry) -> Option<String> {
        entry
            .standing
            .rank
            .as_ref()
            .map(|r| format!("{}/{}", r.position, r.of))
    }
}

fn date_range(f: &Fmt, period: Option<(format::Date, format::Date)>) -> Option<String> {
    period.map(|(a, b)| format!("{} – {}", format::date(a, f.l), format::date(b, f.l)))
}

fn human_size(bytes: usize, l: Lang) -> String {
    let b = bytes as f64;
    if b < 1024.0 {
        format!("{bytes} B")
    } else if b < 1024.0 * 1024.0 {
        format!("{} KB", format::number(b / 1024.0, 1, l))
    } else {
        format!("{} MB", format::number(b / 1024.0 / 1024.0, 1, l))
    }
}

/// The template context of one page in one language.
pub fn context(
    model: &Model,
    job: &Job,
    lang: &str,
    t: &BTreeMap<String, String>,
    lang_names: &BTreeMap<String, String>,
    data: &[DataFile],
    charts: &[DrawnChart],
) -> tera::Context {
    let site = &model.input.site;
    let path = job_path(model, job);
    let prefix = lang_prefix(model, lang);
    let depth = path.matches('/').count() + prefix.matches('/').count();
    // The 404 page is served at any address: it links from the site's path.
    let site_root = if *job == Job::NotFound {
        base_path(&site.base_url)
    } else {
        "../".repeat(depth)
    };
    let f = Fmt {
        model,
        lang,
        l: Lang::from_code(lang),
        default: &site.language,
        t,
        root: format!("{site_root}{prefix}"),
        site_root: site_root.clone(),
    };

    let languages: Vec<Json> = site
        .languages
        .iter()
        .filter(|l| in_language(model, job, l))
        .map(|l| {
            value!({
                "code": l,
                "name": lang_names.get(l).map_or(l.as_str(), String::as_str),
                "href": format!("{site_root}{}{path}", lang_prefix(model, l)),
                "current": l == lang,
            })
        })
        .collect();
    let absolute = site.base_url.starts_with("http");
    // hreflang alternates need an absolute URL or a path from the host's
    // root: "https://x.vn/cds/en/…" or "/en/…". A relative base_url gives
    // none (the page could not know where it is served).
    let alternates: Vec<Json> = match (absolute, site.base_url.starts_with('/')) {
        (false, false) => Vec::new(),
        _ => {
            let pages: Vec<&String> = site
                .languages
                .iter()
                .filter(|l| in_language(model, job, l))
                .collect();
            let href = |l: &str| format!("{}{}{path}", site.base_url, lang_prefix(model, l));
            let mut out: Vec<Json> = pages
                .iter()
                .map(|l| value!({"lang": l, "href": href(l)}))
                .collect();
            if pages.len() > 1 && pages.iter().any(|l| **l == site.language) {
                out.push(value!({"lang": "x-default", "href": href(&site.language)}));
            }
            if pages.len() > 1 && *job != Job::NotFound {
                out
            } else {
                Vec::new()
            }
        }
    };
    let section = match job {
        Job::Overview => "overview",
        Job::AgencyList(_) | Job::Agency(_) => "agencies",
        Job::Year(..) => "years",
        Job::IndicatorList | Job::Indicator(..) => "indicators",
        Job::Data => "data",
        Job::Compare(_) => "compare",
        Job::Search => "search",
        Job::Page(_) => "page",
        Job::NotFound => "none",
    };
    let mut nav = vec![
        value!({"label": f.tr("nav_overview"), "href": f.root.clone(), "current": section == "overview"}),
        value!({"label": f.tr("nav_agencies"), "href": format!("{}agencies/", f.root), "current": section == "agencies"}),
    ];
    if let Some(y) = model.latest_year() {
        nav.push(value!({"label": f.tr("nav_years"), "href": f.year_href(y), "current": section == "years"}));
    }
    nav.push(value!({"label": f.tr("nav_indicators"), "href": format!("{}indicators/", f.root), "current": section == "indicators"}));
    nav.push(value!({"label": f.tr("nav_compare"), "href": format!("{}compare/", f.root), "current": section == "compare"}));
    nav.push(value!({"label": f.tr("nav_data"), "href": format!("{}data/", f.root), "current": section == "data"}));
    let mut menu_pages: Vec<_> = model
        .input
        .pages
        .iter()
        .enumerate()
        .filter(|(i, p)| {
            !p.draft && !p.slug.contains('/') && in_language(model, &Job::Page(*i), lang)
        })
        .collect();
    menu_pages.sort_by_key(|(_, p)| (p.weight, p.slug.clone()));
    for (i, p) in menu_pages {
        let written_in = p.lang.as_deref().unwrap_or(&site.language);
        nav.push(value!({"label": p.title, "href": format!("{}{}/", f.root, p.slug), "current": *job == Job::Page(i),
                        "lang": (written_in != lang).then_some(written_in)}));
    }

    let (title, description, body) = match job {
        Job::Overview => overview(&f),
        Job::AgencyList(cohort) => agency_list(&f, cohort.as_deref()),
        Job::Agency(id) => agency(&f, id),
        Job::Year(y, cohort) => year(&f, *y, cohort.as_deref()),
        Job::IndicatorList => indicator_list(&f),
        Job::Indicator(id, cohort) => indicator(&f, id, cohort.as_deref()),
        Job::Data => data_page(&f, data),
        Job::Compare(cohort) => compare(&f, cohort.as_deref()),
        Job::Search => search_page(&f),
        Job::Page(i) => {
            let p = &model.input.pages[*i];
            (
                p.title.clone(),
                p.description.clone(),
                // A page without `lang:` is written in the site's language.
                value!({"html": markdown::page_html(&p.body), "lang": p.lang.as_deref().unwrap_or(&site.language)}),
            )
        }
        Job::NotFound => (f.tr("page_not_found"), None, value!({})),
    };
    let site_title = f.text(&site.title);
    let description = description
        .or_else(|| site.description.as_ref().map(|d| f.text(d)))
        .unwrap_or_else(|| site_title.clone());
    // Where the page lives, for citations: absolute when base_url is, else
    // from the host's root, else from the site's root.
    let page_url = if absolute || site.base_url.starts_with('/') {
        format!("{}{prefix}{path}", site.base_url)
    } else {
        format!("{prefix}{path}")
    };
    let cite_year = model
        .latest_year()
        .map(|y| y.to_string())
        .unwrap_or_default();
    let publisher = f.text(&site.publisher.name);
    let chart_views: Vec<Json> = charts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            value!({
                "id": c.id,
                "title": c.title,
                "svg": c.svg,
                "slot": chart_slot(i),
                "svg_href": format!("{}.svg", c.id),
                "csv_href": format!("{}.csv", c.id),
                "head": c.table_head,
                "rows": c.table_rows,
                "citation": fill(&f.tr("chart_citation"), &[
                    ("publisher", publisher.clone()),
                    ("year", cite_year.clone()),
                    ("title", c.title.clone()),
                    ("site", site_title.clone()),
                ]),
                "url": format!("{page_url}#{}", c.id),
            })
        })
        .collect();
    let og_locale = |l: &str| match l {
        "vi" => "vi_VN".to_string(),
        "en" => "en_US".to_string(),
        other => other.replace('-', "_"),
    };
    let jsonld = dataset_jsonld(&f, job, data, &format!("{}{prefix}{path}", site.base_url));
    let ctx = value!({
        "jsonld": jsonld,
        "lang": lang,
        "site": {
            "title": site_title,
            "description": site.description.as_ref().map(|d| f.text(d)),
            "publisher": publisher.clone(),
            "publisher_url": site.publisher.url,
            "publisher_email": site.publisher.email,
            "license": site.license,
            "license_url": license_url(&site.license),
            "base_url": site.base_url,
        },
        "root": f.root,
        "site_root": f.site_root,
        "canonical": if absolute { Some(format!("{}{prefix}{path}", site.base_url)) } else { None },
        "og_locale": og_locale(lang),
        "og_locale_alternates": languages.iter().filter(|l| field(l, "current").and_then(Json::as_bool) != Some(true)).filter_map(|l| field(l, "code").and_then(Json::as_str)).map(og_locale).collect::<Vec<_>>(),
        "languages": languages,
        "alternates": alternates,
        "feed_href": format!("{}feed.xml", f.root),
        "search_href": format!("{}search/", f.root),
        "nav": nav,
        "section": section,
        "title": title,
        "description": description,
        "charts": chart_views,
        "chart_source": fill(&f.tr("chart_source"), &[("publisher", publisher.clone())]),
        "page": body,
    });
    // Each top-level field goes into the context as it is (no copy).
    let mut context = tera::Context::new();
    for (key, value) in ctx.into_map().unwrap_or_default() {
        if let Some(key) = key.as_str() {
            context.insert_value(key.to_string(), value);
        }
    }
    context
}

/// The path part of base_url: "/" for "https://x.vn/", "/cds/" for "https://x.vn/cds/".
fn base_path(base_url: &str) -> String {
    match base_url.split_once("://") {
        Some((_, rest)) => match rest.find('/') {
            Some(i) => rest[i..].to_string(),
            None => "/".to_string(),
        },
        None => base_url.to_string(),
    }
}

pub fn license_url(spdx: &str) -> Option<&'static str> {
    crate::publish::license_url(spdx)
}

type PageView = (String, Option<String>, Json);

fn headline_rates(f: &Fmt) -> Vec<Json> {
    f.model
        .input
        .catalog
        .rates
        .iter()
        .filter(|r| r.headline)
        .map(|r| value!({"id": r.id, "name": f.text(&r.name), "href": f.indicator_href(&r.id)}))
        .collect()
}

/// The rows of a cohort's ranking for one year.
fn ranking_rows(f: &Fmt, year: i32, cohort: &str) -> (Vec<Json>, Vec<Json>) {
    let model = f.model;
    let headline: Vec<&str> = model
        .input
        .catalog
        .rates
        .iter()
        .filter(|r| r.headline)
        .map(|r| r.id.as_str())
        .collect();
    let mut entries: Vec<&Entry> = model.cohort_entries(year, cohort).collect();
    entries.sort_by_key(|e| {
        (
            e.standing.rank.as_ref().map_or(u32::MAX, |r| r.position),
            e.report.agency.clone(),
        )
    });
    let rows = entries
        .iter()
        .map(|e| {
            let a = &e.report.agency;
            value!({
                "agency": {"id": a, "name": f.agency_name(a), "href": f.agency_href(a),
                           "short": model.agency(a).and_then(|x| x.short.clone())},
                "rank": e.standing.rank.as_ref().map(|r| r.position),
                "rank_text": f.rank_text(e),
                "rank_source": e.standing.rank.as_ref().map(|r| f.tr(if r.source == crate::model::RankSource::Official { "rank_official" } else { "rank_computed" })),
                "change": f.change(e.standing.change),
                "score": e.standing.score.map(|s| f.num(s, Kind::Number)),
                "score_sort": e.standing.score.map(|s| s.as_f64().to_string()),
                "rates": headline.iter().map(|r| f.rate_cell(Some(e), r)).collect::<Vec<_>>(),
                "flags": e.report.flags.len(),
            })
        })
        .collect();
    let missing = model
        .cohort_agencies(cohort)
        .filter(|a| model.entry(year, &a.id).is_none())
        .map(|a| value!({"name": f.text(&a.name), "href": f.agency_href(&a.id)}))
        .collect();
    (rows, missing)
}

fn overview(f: &Fmt) -> PageView {
    let model = f.model;
    let latest = model.latest_year();
    let split = split_by_cohort(model);
    let cohorts: Vec<Json> = model
        .input
        .cohorts
        .iter()
        .filter(|_| !split)
        .map(|c| {
            let (rows, missing) = latest.map(|y| ranking_rows(f, y, &c.id)).unwrap_or_default();
            let medians: Vec<Json> = model
                .input
                .catalog
                .rates
                .iter()
                .filter(|r| r.headline)
                .map(|r| {
                    let values: Vec<f64> = latest
                        .map(|y| {
                            model
                                .cohort_entries(y, &c.id)
                                .filter_map(|e| e.percent(&r.id))
                                .map(Percent::as_f64)
                                .collect()
                        })
                        .unwrap_or_default();
                    value!({
                        "name": f.text(&r.name),
                        "href": f.indicator_href(&r.id),
                        "median": crate::model::median(&values).map(|m| format::percent(m, f.l)),
                        "reported": values.len(),
                    })
                })
                .collect();
            value!({"id": c.id, "name": f.text(&c.name), "rows": rows, "missing": missing, "medians": medians})
        })
        .collect();
    let years: Vec<Json> = model
        .years
        .iter()
        .rev()
        .map(|&y| {
            let n = model.year_entries(y).count();
            value!({"year": y, "href": f.year_href(y), "reports": fill(&f.tr("reports_count"), &[("n", format::integer(n as i128, f.l))])})
        })
        .collect();
    (
        f.text(&model.input.site.title),
        None,
        value!({
            "latest_year": latest,
            "latest_heading": latest.map(|y| fill(&f.tr("overview_latest"), &[("year", y.to_string())])),
            "summary": match latest {
                Some(y) if split => f.cohort_summaries(y),
                _ => Vec::new(),
            },
            "headline": headline_rates(f),
            "cohorts": cohorts,
            "years": years,
            "agency_count": fill(&f.tr("agency_count"), &[("n", format::integer(model.input.agencies.len() as i128, f.l))]),
        }),
    )
}

fn agency_list(f: &Fmt, only: Option<&str>) -> PageView {
    let model = f.model;
    let latest = model.latest_year();
    // A large site lists its cohorts here, each cohort's agencies on a page
    // of its own: no page grows with the whole country.
    let index = split_by_cohort(model) && only.is_none();
    let cohorts: Vec<Json> = model
        .input
        .cohorts
        .iter()
        .filter(|c| only.is_none_or(|o| o == c.id))
        .map(|c| {
            if index {
                let n = model.cohort_agencies(&c.id).count();
                return value!({
                    "id": c.id, "name": f.text(&c.name),
                    "href": format!("{}{}", f.root, Job::AgencyList(Some(c.id.clone())).path()),
                    "count": fill(&f.tr("agencies_count"), &[("n", format::integer(n as i128, f.l))]),
                });
            }
            let agencies: Vec<Json> = model
                .cohort_agencies(&c.id)
                .map(|a| {
                    let e = latest.and_then(|y| model.entry(y, &a.id));
                    value!({
                        "id": a.id, "name": f.text(&a.name), "short": a.short, "href": f.agency_href(&a.id),
                        "rank_text": e.and_then(|e| f.rank_text(e)),
                    })
                })
                .collect();
            value!({"id": c.id, "name": f.text(&c.name), "agencies": agencies})
        })
        .collect();
    let cohort = only.and_then(|c| model.cohort(c));
    let title = match cohort {
        Some(c) => format!("{}: {}", f.tr("agencies"), f.text(&c.name)),
        None => f.tr("agencies"),
    };
    (
        title,
        None,
        value!({
            "cohorts": cohorts,
            "index": index,
            "latest_year": latest,
            "parent": cohort.map(|_| value!({"href": format!("{}agencies/", f.root), "label": f.tr("agencies")})),
        }),
    )
}

fn agency(f: &Fmt, id: &str) -> PageView {
    let model = f.model;
    let Some(a) = model.agency(id) else {
        return (id.to_string(), None, value!({}));
    };
    let entries: Vec<(i32, Option<&Entry>)> = model
        .years
        .iter()
        .map(|&y| (y, model.entry(y, id)))
        .collect();
    let name = f.text(&a.name);
    let cat = &model.input.catalog;

    let standing: Vec<Json> = entries
        .iter()
        .map(|(y, e)| match e {
            Some(e) => {
                let s = &e.standing;
                value!({
                    "year": y,
                    "href": f.year_href(*y),
                    "reported": true,
                    "rank_text": f.rank_text(e),
                    "change": f.change(s.change),
                    "rank_source": s.rank.as_ref().map(|r| f.tr(if r.source == crate::model::RankSource::Official { "rank_official" } else { "rank_computed" })),
                    "decision": s.rank.as_ref().and_then(|r| r.decision.clone()),
                    "score": e.report.score.as_ref().map(|sc| match sc.max {
                        Some(m) => format!("{}/{}", f.num(sc.value, Kind::Number), f.num(m, Kind::Number)),
                        None => f.num(sc.value, Kind::Number),
                    }),
                    "self_assessed": e.report.score.as_ref().and_then(|s| s.self_assessed).unwrap_or(false),
                })
            }
            None => value!({"year": y, "href": f.year_href(*y), "reported": false}),
        })
        .collect();

    let rates: Vec<Json> = cat
        .rates
        .iter()
        .filter(|r| entries.iter().any(|(_, e)| e.and_then(|e| e.percent(&r.id)).is_some()) || r.headline)
        .map(|r| {
            value!({
                "id": r.id, "name": f.text(&r.name), "href": f.indicator_href(&r.id), "headline": r.headline,
                "cells": entries.iter().map(|(_, e)| f.rate_cell(*e, &r.id)).collect::<Vec<_>>(),
            })
        })
        .collect();

    let groups: Vec<Json> = cat
        .groups
        .iter()
        .filter_map(|g| {
            let rows: Vec<Json> = cat
                .indicators
                .iter()
                .filter(|i| i.group == g.id)
                .filter(|i| entries.iter().any(|(_, e)| e.is_some_and(|e| e.report.values.contains_key(&i.id))))
                .map(|i| {
                    value!({
                        "id": i.id, "name": f.text(&i.name), "href": f.indicator_href(&i.id),
                        "unit": i.unit_label.as_ref().map(|u| f.text(u)),
                        "cells": entries.iter().map(|(_, e)| f.value_cell(e.map(|e| &e.report), i)).collect::<Vec<_>>(),
                    })
                })
                .collect();
            (!rows.is_empty()).then(|| value!({"id": g.id, "name": f.text(&g.name), "rows": rows}))
        })
        .collect();

    let reports: Vec<Json> = entries
        .iter()
        .rev()
        .filter_map(|(y, e)| e.map(|e| (y, e)))
        .map(|(y, e)| {
            let r = &e.report;
            let evidence: Vec<Json> = cat
                .indicators
                .iter()
                .filter_map(|i| r.values.get(&i.id).map(|o| (i, o)))
                .filter(|(_, o)| o.evidence.is_some() || o.note.is_some())
                .map(|(i, o)| value!({"indicator": f.text(&i.name), "evidence": o.evidence, "note": o.note}))
                .collect();
            value!({
                "year": y,
                "period": date_range(f, r.period),
                "source": r.source.as_ref().map(|s| value!({"title": s.title, "reference": s.reference, "url": s.url})),
                "notes_html": r.notes.as_deref().map(markdown::notes_html),
                "flags": f.flag_sentences(r),
                "evidence": evidence,
                "file": r.file,
            })
        })
        .collect();

    let cohort = model.cohort(&a.cohort);
    (
        name.clone(),
        None,
        value!({
            "agency": {
                "id": a.id, "name": name, "short": a.short, "province": a.province, "website": a.website,
                "cohort": cohort.map(|c| f.text(&c.name)),
            },
            // Large sites compare within the agency's cohort.
            "compare_href": format!("{}{}?a={}", f.root, Job::Compare(split_by_cohort(model).then(|| a.cohort.clone())).path(), a.id),
            "years": model.years,
            "standing": standing,
            "rates": rates,
            "groups": groups,
            "reports": reports,
            "downloads": {
                "csv": format!("{}agencies/{}/data.csv", f.site_root, a.id),
                "json": format!("{}agencies/{}/data.json", f.site_root, a.id),
                "all": format!("{}data/", f.root),
                "intro": fill(&f.tr("agency_data_intro"), &[("agency", name.clone()), ("years", publish::span(model)), ("license", model.input.site.license.clone())]),
            },
        }),
    )
}

fn year(f: &Fmt, year: i32, only: Option<&str>) -> PageView {
    let model = f.model;
    let pos = model.years.iter().position(|&y| y == year);
    let prev = pos
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| model.years.get(i))
        .copied();
    let next = pos.and_then(|i| model.years.get(i + 1)).copied();
    let split = split_by_cohort(model);
    let cohorts: Vec<Json> = model
        .input
        .cohorts
        .iter()
        .filter(|c| match only {
            Some(o) => c.id == o,
            None => !split,
        })
        .map(|c| {
            let (rows, missing) = ranking_rows(f, year, &c.id);
            value!({"id": c.id, "name": f.text(&c.name), "rows": rows, "missing": missing})
        })
        .filter(|c| {
            field(c, "rows")
                .and_then(Json::as_array)
                .is_some_and(|r| !r.is_empty())
        })
        .collect();
    let href = |y: i32| match only {
        Some(c) => format!("{}years/{y}/{c}/", f.root),
        None => f.year_href(y),
    };
    let cohort_name = only.and_then(|c| model.cohort(c)).map(|c| f.text(&c.name));
    let title = fill(&f.tr("compare_year"), &[("year", year.to_string())]);
    (
        match &cohort_name {
            Some(n) => format!("{title}: {n}"),
            None => title,
        },
        None,
        value!({
            "year": year,
            "prev": prev.map(|y| value!({"year": y, "href": href(y)})),
            "next": next.map(|y| value!({"year": y, "href": href(y)})),
            "years": model.years.iter().map(|&y| value!({"year": y, "href": href(y), "current": y == year})).collect::<Vec<_>>(),
            "headline": headline_rates(f),
            "cohorts": cohorts,
            "summary": if split && only.is_none() { f.cohort_summaries(year) } else { Vec::new() },
            "parent": only.map(|_| value!({"href": f.year_href(year), "label": year.to_string()})),
        }),
    )
}

fn kind_label(f: &Fmt, kind: Kind) -> String {
    f.tr(&format!("kind_{}", kind.as_str()))
}

fn indicator_list(f: &Fmt) -> PageView {
    let cat = &f.model.input.catalog;
    let rates: Vec<Json> = cat
        .rates
        .iter()
        .map(|r| value!({"id": r.id, "name": f.text(&r.name), "href": f.indicator_href(&r.id), "headline": r.headline,
                        "formula": format!("{} / {}", f.indicator_name(&r.numerator), f.indicator_name(&r.denominator))}))
        .collect();
    let groups: Vec<Json> = cat
        .groups
        .iter()
        .map(|g| {
            let items: Vec<Json> = cat
                .indicators
                .iter()
                .filter(|i| i.group == g.id)
                .map(|i| value!({"id": i.id, "name": f.text(&i.name), "href": f.indicator_href(&i.id), "kind": kind_label(f, i.kind)}))
                .collect();
            value!({"id": g.id, "name": f.text(&g.name), "indicators": items})
        })
        .filter(|g| field(g, "indicators").and_then(Json::as_array).is_some_and(|a| !a.is_empty()))
        .collect();
    (
        f.tr("indicators"),
        None,
        value!({"rates": rates, "groups": groups}),
    )
}

fn indicator(f: &Fmt, id: &str, only: Option<&str>) -> PageView {
    let model = f.model;
    let cat = &model.input.catalog;
    let rate = cat.rate(id);
    let ind = cat.indicator(id);
    let (name, info) = match (rate, ind) {
        (Some(r), _) => (
            f.text(&r.name),
            value!({
                "is_rate": true,
                "kind": f.tr("kind_rate"),
                "numerator": {"name": f.indicator_name(&r.numerator), "href": f.indicator_href(&r.numerator)},
                "denominator": {"name": f.indicator_name(&r.denominator), "href": f.indicator_href(&r.denominator)},
            }),
        ),
        (None, Some(i)) => {
            let mut rules = Vec::new();
            if let Some(t) = &i.at_most {
                rules.push(fill(
                    &f.tr("rule_at_most"),
                    &[("other", f.indicator_name(t))],
                ));
            }
            if !i.parts.is_empty() {
                rules.push(fill(
                    &f.tr("rule_parts"),
                    &[(
                        "parts",
                        i.parts
                            .iter()
                            .map(|p| f.indicator_name(p))
                            .collect::<Vec<_>>()
                            .join(" + "),
                    )],
                ));
            }
            let used_in: Vec<Json> = cat
                .rates
                .iter()
                .filter(|r| r.numerator == i.id || r.denominator == i.id)
                .map(|r| value!({"name": f.text(&r.name), "href": f.indicator_href(&r.id)}))
                .collect();
            (
                f.text(&i.name),
                value!({
                    "is_rate": false,
                    "kind": kind_label(f, i.kind),
                    "unit": i.unit_label.as_ref().map(|u| f.text(u)),
                    "group": cat.group(&i.group).map(|g| f.text(&g.name)),
                    "rules": rules,
                    "used_in": used_in,
                }),
            )
        }
        (None, None) => (id.to_string(), value!({})),
    };
    let split = split_by_cohort(model);
    let cohorts: Vec<Json> = model
        .input
        .cohorts
        .iter()
        .filter(|c| match only {
            Some(o) => c.id == o,
            None => !split,
        })
        .map(|c| {
            let rows: Vec<Json> = model
                .cohort_agencies(&c.id)
                .filter(|a| model.years.iter().any(|&y| model.entry(y, &a.id).is_some()))
                .map(|a| {
                    let cells: Vec<Json> = model
                        .years
                        .iter()
                        .map(|&y| {
                            let e = model.entry(y, &a.id);
                            match (rate, ind) {
                                (Some(_), _) => f.rate_cell(e, id),
                                (None, Some(i)) => f.value_cell(e.map(|e| &e.report), i),
                                _ => Json::none(),
                            }
                        })
                        .collect();
                    value!({"agency": {"name": f.text(&a.name), "href": f.agency_href(&a.id)}, "cells": cells})
                })
                .collect();
            value!({"id": c.id, "name": f.text(&c.name), "rows": rows})
        })
        .filter(|c| field(c, "rows").and_then(Json::as_array).is_some_and(|r| !r.is_empty()))
        .collect();
    // On a split site, the indicator page summarises each cohort by its
    // median per year (rates) and links to the cohort's own page.
    let summary: Vec<Json> = if split && only.is_none() {
        model
            .input
            .cohorts
            .iter()
            .map(|c| {
                let cells: Vec<Json> = model
                    .years
                    .iter()
                    .map(|&y| {
                        let values: Vec<f64> = model
                            .cohort_entries(y, &c.id)
                            .filter_map(|e| match (rate, ind) {
                                (Some(_), _) => e.percent(id).map(Percent::as_f64),
                                (None, Some(i)) if i.kind.is_numeric() => e.report.value(&i.id).and_then(Val::num).map(Num::as_f64),
                                _ => None,
                            })
                            .collect();
                        match crate::model::median(&values) {
                            Some(m) if rate.is_some() => value!({"text": format::percent(m, f.l), "missing": false, "detail": fill(&f.tr("count_n"), &[("n", format::integer(values.len() as i128, f.l))])}),
                            Some(m) => value!({"text": format::number(m, 2, f.l), "missing": false, "detail": fill(&f.tr("count_n"), &[("n", format::integer(values.len() as i128, f.l))])}),
                            None => value!({"text": f.tr("not_reported_short"), "missing": true, "label": f.tr("not_reported")}),
                        }
                    })
                    .collect();
                value!({"name": f.text(&c.name), "href": format!("{}indicators/{id}/{}/", f.root, c.id), "cells": cells})
            })
            .collect()
    } else {
        Vec::new()
    };
    let cohort_name = only.and_then(|c| model.cohort(c)).map(|c| f.text(&c.name));
    (
        match &cohort_name {
            Some(n) => format!("{name}: {n}"),
            None => name.clone(),
        },
        None,
        value!({
            "id": id, "name": name, "info": info, "years": model.years, "cohorts": cohorts,
            "summary": summary,
            "parent": only.map(|_| value!({"href": f.indicator_href(id), "label": name.clone()})),
        }),
    )
}

/// The schema.org `Dataset` of a page that offers data, as the text of its
/// JSON-LD script element (None for other pages).
fn dataset_jsonld(f: &Fmt, job: &Job, data: &[DataFile], page_url: &str) -> Option<String> {
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
                    &f.tr("agency_data_intro"),
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
fn citation(f: &Fmt) -> String {
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
        publish::version(model),
    );
    if site.base_url.starts_with("http") {
        c.push_str(&format!(" {}", publish::url(model, "data/")));
    }
    c.push_str(&format!(" {} …", f.tr("accessed")));
    c
}

fn data_page(f: &Fmt, data: &[DataFile]) -> PageView {
    let model = f.model;
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
                value!(fill(&f.tr("data_xlsx_latest"), &[("year", y.to_string())])),
            );
            quick.push(v);
        }
    }
    (
        f.tr("data_title"),
        None,
        value!({
            "files": files,
            "quick": quick,
            "citation": citation(f),
            "data_date": publish::data_date(model).map(|d| fill(&f.tr("data_date"), &[("date", format::date(d, f.l))])),
            "version": fill(&f.tr("data_version"), &[("version", publish::version(model))]),
            "license": site.license,
            "license_url": license_url(&site.license),
        }),
    )
}

/// The compare page: every agency with a report, its rank and headline
/// rates over the years, one table per measure. The page works without a
/// script (all rows, sortable by nothing but readable); `site.js` keeps the
/// rows of the two to five agencies picked in the form, and the address
/// (`?a=id&a=id`) names them, so a comparison can be shared.
fn compare(f: &Fmt, only: Option<&str>) -> PageView {
    let model = f.model;
    if split_by_cohort(model) && only.is_none() {
        // A large site compares within a cohort: the cohorts, linked.
        let links: Vec<Json> = model
            .input
            .cohorts
            .iter()
            .map(|c| {
                let n = model.cohort_agencies(&c.id).count();
                value!({
                    "name": f.text(&c.name),
                    "href": format!("{}{}", f.root, Job::Compare(Some(c.id.clone())).path()),
                    "count": fill(&f.tr("agencies_count"), &[("n", format::integer(n as i128, f.l))]),
                })
            })
            .collect();
        return (
            f.tr("compare_title"),
            None,
            value!({"cohort_links": links, "intro": f.tr("compare_pick_cohort")}),
        );
    }
    let reporting = |id: &str| model.years.iter().any(|&y| model.entry(y, id).is_some());
    let cohorts: Vec<Json> = model
        .input
        .cohorts
        .iter()
        .filter(|c| only.is_none_or(|o| o == c.id))
        .map(|c| {
            let agencies: Vec<Json> = model
                .cohort_agencies(&c.id)
                .filter(|a| reporting(&a.id))
                .map(|a| value!({"id": a.id, "name": f.text(&a.name), "short": a.short}))
                .collect();
            value!({"id": c.id, "name": f.text(&c.name), "agencies": agencies})
        })
        .filter(|c| {
            field(c, "agencies")
                .and_then(Json::as_array)
                .is_some_and(|a| !a.is_empty())
        })
        .collect();
    let agencies: Vec<&crate::input::Agency> = model
        .input
        .cohorts
        .iter()
        .filter(|c| only.is_none_or(|o| o == c.id))
        .flat_map(|c| model.cohort_agencies(&c.id))
        .filter(|a| reporting(&a.id))
        .collect();
    let head = |a: &crate::input::Agency| {
        value!({"id": a.id, "name": f.text(&a.name), "href": f.agency_href(&a.id),
               "cohort": model.cohort(&a.cohort).map(|c| f.text(&c.name))})
    };
    let mut measures = vec![value!({
        "id": "rank",
        "name": f.tr("rank"),
        "href": Json::none(),
        "rank": true,
        "rows": agencies.iter().map(|a| {
            let cells: Vec<Json> = model.years.iter().map(|&y| match model.entry(y, &a.id) {
                Some(e) => match f.rank_text(e) {
                    Some(text) => value!({
                        "text": text,
                        "sort": e.standing.rank.as_ref().map(|r| r.position.to_string()),
                        "missing": false,
                        "change": f.change(e.standing.change),
                    }),
                    None => value!({"text": f.tr("not_reported_short"), "sort": "", "missing": true, "label": f.tr("no_rank")}),
                },
                None => value!({"text": f.tr("not_reported_short"), "sort": "", "missing": true, "label": f.tr("missing_reports")}),
            }).collect();
            value!({"agency": head(a), "cells": cells})
        }).collect::<Vec<_>>(),
    })];
    for r in model.input.catalog.rates.iter().filter(|r| r.headline) {
        measures.push(value!({
            "id": r.id,
            "name": f.text(&r.name),
            "href": f.indicator_href(&r.id),
            "rank": false,
            "rows": agencies.iter().map(|a| value!({
                "agency": head(a),
                "cells": model.years.iter().map(|&y| f.rate_cell(model.entry(y, &a.id), &r.id)).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        }));
    }
    let title = match only.and_then(|c| model.cohort(c)) {
        Some(c) => format!("{}: {}", f.tr("compare_title"), f.text(&c.name)),
        None => f.tr("compare_title"),
    };
    (
        title,
        None,
        value!({
            "parent": only.map(|_| value!({"href": format!("{}compare/", f.root), "label": f.tr("compare_title")})),
            "cohorts": cohorts,
            "years": model.years,
            "measures": measures,
            "all_rows": fill(&f.tr("compare_all_rows"), &[("n", format::integer(agencies.len() as i128, f.l))]),
            "max": COMPARE_MAX,
        }),
    )
}

/// At most this many agencies side by side on the compare page.
pub const COMPARE_MAX: usize = 5;

/// The search page: a form, the results (drawn by `site.js` from the
/// index), and every entry of the index listed for readers without script.
fn search_page(f: &Fmt) -> PageView {
    let index = super::search::index(f.model, f.lang, f.t);
    // Without JavaScript the page lists what the index holds; a large site
    // lists its cohorts' agency pages (kind "page") rather than every agency,
    // and its years and indicators but not their pages for each cohort.
    let kinds: &[&str] = if split_by_cohort(f.model) {
        &["indicator", "rate", "year", "page"]
    } else {
        &["agency", "indicator", "rate", "year", "page"]
    };
    let groups: Vec<Json> = kinds
        .iter()
        .map(|k| {
            let items: Vec<Json> = index
                .entries
                .iter()
                .filter(|e| e.kind == *k && !e.of_cohort)
                .map(|e| value!({"title": e.title, "href": format!("{}{}", f.root, e.href), "detail": e.detail}))
                .collect();
            value!({"kind": k, "label": index.kinds.get(*k), "items": items})
        })
        .filter(|g| field(g, "items").and_then(Json::as_array).is_some_and(|a| !a.is_empty()))
        .collect();
    (
        f.tr("search_title"),
        None,
        value!({
            "index_href": format!("{}{}", f.site_root, super::search::file_name(f.lang)),
            "groups": groups,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemaps_split_past_the_protocol_limit() {
        let urls: Vec<String> = (0..5).map(|i| format!("https://x.vn/p{i}/")).collect();
        let one = sitemaps("https://x.vn/", &urls, 5);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].0, "sitemap.xml");
        assert_eq!(one[0].1.matches("<url>").count(), 5);

        let split = sitemaps("https://x.vn/", &urls, 2);
        let names: Vec<&str> = split.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml"
            ]
        );
        assert!(split[0].1.contains("<sitemapindex"));
        assert!(split[0].1.contains("<loc>https://x.vn/sitemap-3.xml</loc>"));
        let listed: usize = split[1..]
            .iter()
            .map(|(_, xml)| xml.matches("<url>").count())
            .sum();
        assert_eq!(listed, 5);
        assert!(split[3].1.contains("https://x.vn/p4/"));
        assert!(split[1..]
            .iter()
            .all(|(_, x)| x.matches("<url>").count() <= 2));
    }

    fn chart(svg: &str) -> DrawnChart {
        DrawnChart {
            id: "c".into(),
            title: String::new(),
            svg: svg.into(),
            standalone: String::new(),
            csv: String::new(),
            table_head: Vec::new(),
            table_rows: Vec::new(),
            time: std::time::Duration::ZERO,
        }
    }

    #[test]
    fn charts_fill_their_slots_after_minification() {
        let html = format!(
            "<div>{}</div><p>x</p><div>{}</div>",
            chart_slot(1),
            chart_slot(0)
        );
        let out = fill_chart_slots(
            html.as_bytes(),
            &[chart("<svg>A</svg>"), chart("<svg>B</svg>")],
        );
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "<div><svg>B</svg></div><p>x</p><div><svg>A</svg></div>"
        );
        // A slot with no chart stays as it was; a page with no charts is untouched.
        let html = format!("<div>{}</div>", chart_slot(5));
        assert_eq!(
            fill_chart_slots(html.as_bytes(), &[chart("<svg/>")]),
            html.as_bytes()
        );
        assert_eq!(fill_chart_slots(b"<p>\xee</p>", &[]), b"<p>\xee</p>");
    }

    #[test]
    fn fill_replaces_placeholders() {
        assert_eq!(
            fill("{a} and {b}", &[("a", "1".into()), ("b", "2".into())]),
            "1 and 2"
        );
    }
}
