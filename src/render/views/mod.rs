//! What each page shows, as plain JSON for the templates: every figure is
//! already formatted for the page's language, every label resolved, every
//! link relative. Templates only lay it out.

use std::collections::BTreeMap;

use super::value::{field, value, Value as Json};

use crate::format::Lang;
use crate::model::Model;
use crate::publish::DataFile;

use super::markdown;

mod agency;
mod compare;
mod data;
mod fmt;
mod indicator;
mod overview;
pub mod rubric;
mod search_page;
mod shared;
mod sitemap;
mod slots;
#[cfg(test)]
mod tests;

use agency::{agency, agency_list};
use compare::compare;
use data::{data_page, dataset_jsonld};
pub use fmt::Fmt;
use fmt::{date_range, human_size};
use indicator::{indicator, indicator_list};
use overview::{headline_rates, overview, ranking_rows};
use search_page::search_page;
pub use shared::{Shared, Slot};
pub use sitemap::site_files;
pub use slots::{chart_slot, fill_chart_slots, DrawnChart};
use year::year;
use years::year_list;
mod year;
mod years;

/// One page to render (in each language).
#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    Overview,
    /// The agencies; with a cohort, that cohort's (large sites).
    AgencyList(Option<String>),
    Agency(String),
    /// Every published year, linked (`/years/`).
    YearList,
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
    /// A scoring rubric (RUBRICS.md).
    Rubric(String),
    /// Index into `input.pages`.
    Page(usize),
    NotFound,
    /// Page n (2, 3, …) of a cohort's list that is longer than
    /// [`PAGE_ROWS`]: `…/<cohort>/page/<n>/`. Page 1 is the job itself.
    More(Box<Job>, usize),
}

impl Job {
    /// The page's folder below the language root: "" or "agencies/x/".
    pub fn path(&self) -> String {
        match self {
            Job::Overview | Job::NotFound => String::new(),
            Job::AgencyList(None) => "agencies/".into(),
            Job::AgencyList(Some(c)) => format!("agencies/cohort/{c}/"),
            Job::Agency(id) => format!("agencies/{id}/"),
            Job::YearList => "years/".into(),
            Job::Year(y, None) => format!("years/{y}/"),
            Job::Year(y, Some(c)) => format!("years/{y}/{c}/"),
            Job::IndicatorList => "indicators/".into(),
            Job::Indicator(id, None) => format!("indicators/{id}/"),
            Job::Indicator(id, Some(c)) => format!("indicators/{id}/{c}/"),
            Job::Data => "data/".into(),
            Job::Compare(None) => "compare/".into(),
            Job::Compare(Some(c)) => format!("compare/{c}/"),
            Job::Search => "search/".into(),
            Job::Rubric(id) => format!("rubrics/{id}/"),
            Job::Page(_) => String::new(),
            Job::More(job, n) => format!("{}page/{n}/", job.path()),
        }
    }

    pub fn template(&self) -> &'static str {
        match self {
            Job::Overview => "index.html",
            Job::AgencyList(_) => "agencies.html",
            Job::Agency(_) => "agency.html",
            Job::YearList => "years.html",
            Job::Year(..) => "year.html",
            Job::IndicatorList => "indicators.html",
            Job::Indicator(..) => "indicator.html",
            Job::Data => "data.html",
            Job::Compare(_) => "compare.html",
            Job::Search => "search.html",
            Job::Rubric(_) => "rubric.html",
            Job::Page(_) => "page.html",
            Job::NotFound => "404.html",
            Job::More(job, _) => job.template(),
        }
    }

    /// Whether the page shows charts (only these get chart files beside them).
    pub fn has_charts(&self) -> bool {
        matches!(
            self,
            Job::Overview | Job::Agency(_) | Job::Year(..) | Job::Indicator(..) | Job::Rubric(_)
        )
    }
}

/// Up to this many cohorts, a year or indicator page shows every cohort;
/// beyond it (a national portal has hundreds), it summarises the cohorts
/// and each gets a page of its own, so that no page grows with the country.
pub const INLINE_COHORTS: usize = 4;

/// Up to this many agencies, a year, indicator or compare page shows every
/// agency; a province with hundreds of communes gets a page per cohort, as a
/// national portal does, so that no page passes about 3,000 elements (what
/// a phone lays out without stalling).
pub const INLINE_AGENCIES: usize = 60;

/// Whether year, indicator and compare pages are split by cohort.
pub fn split_by_cohort(model: &Model) -> bool {
    model.input.cohorts.len() > INLINE_COHORTS || model.input.agencies.len() > INLINE_AGENCIES
}

/// The cohorts a year or indicator page shows: all of them on a small site;
/// on a site split by cohort, only the cohort of a cohort page.
pub fn shown_cohorts<'a>(
    model: &'a Model,
    only: Option<&'a str>,
) -> impl Iterator<Item = &'a crate::input::Cohort> + 'a {
    let split = split_by_cohort(model);
    model.input.cohorts.iter().filter(move |c| match only {
        Some(o) => c.id == o,
        None => !split,
    })
}

/// A cohort's year ranking, indicator table and agency list show this many
/// agencies a page: a cohort of 560 communes gets 6 pages, none of them
/// near 3,000 elements. The ranking order decides the pages.
pub const PAGE_ROWS: usize = 100;

/// How many agencies a job lists, for the jobs that are paginated.
fn listed(model: &Model, job: &Job) -> Option<usize> {
    match job {
        Job::Year(y, Some(c)) => Some(model.cohort_entries(*y, c).count()),
        Job::Indicator(_, Some(c)) => Some(
            model
                .cohort_members(c)
                .filter(|(a, _)| model.has_entries(*a))
                .count(),
        ),
        Job::AgencyList(Some(c)) => Some(model.cohort_agencies(c).count()),
        _ => None,
    }
}

/// How many pages a job has (1 for every job that is not paginated).
pub fn page_count(model: &Model, job: &Job) -> usize {
    listed(model, job).map_or(1, |n| n.div_ceil(PAGE_ROWS).max(1))
}

/// The jobs with, after each paginated one, its pages 2, 3, … (`Job::More`).
pub fn with_pages(model: &Model, jobs: Vec<Job>) -> Vec<Job> {
    let mut out = Vec::with_capacity(jobs.len());
    for job in jobs {
        let n = match &job {
            Job::More(..) => 1,
            j => page_count(model, j),
        };
        let more: Vec<Job> = (2..=n)
            .map(|i| Job::More(Box::new(job.clone()), i))
            .collect();
        out.push(job);
        out.extend(more);
    }
    out
}

/// The rows of page `page` (1-based) out of `rows`.
pub(super) fn page_rows<T>(rows: Vec<T>, page: usize) -> Vec<T> {
    rows.into_iter()
        .skip(PAGE_ROWS * page.saturating_sub(1))
        .take(PAGE_ROWS)
        .collect()
}

/// The pager of a paginated job (None when it has one page): a nav with
/// every page, the current one marked.
pub(super) fn pager(f: &Fmt, job: &Job, page: usize) -> Option<Json> {
    let total = listed(f.model, job)?;
    let count = page_count(f.model, job);
    if count < 2 {
        return None;
    }
    let href = |n: usize| match n {
        1 => format!("{}{}", f.root, job.path()),
        n => format!("{}{}page/{n}/", f.root, job.path()),
    };
    let pages: Vec<Json> = (1..=count)
        .map(|n| value!({"n": n, "href": href(n), "current": n == page}))
        .collect();
    let from = PAGE_ROWS * (page - 1) + 1;
    let to = (PAGE_ROWS * page).min(total);
    Some(value!({
        "label": f.tr("pager_label"),
        "range": fill(f.tr_str("pager_range"), &[
            ("from", crate::format::integer(from as i128, f.l)),
            ("to", crate::format::integer(to as i128, f.l)),
            ("n", crate::format::integer(total as i128, f.l)),
        ]),
        "pages": pages,
        "prev": (page > 1).then(|| value!({"href": href(page - 1), "label": f.tr("pager_prev")})),
        "next": (page < count).then(|| value!({"href": href(page + 1), "label": f.tr("pager_next")})),
    }))
}

/// Every page of the site, in a stable order.
pub fn jobs(model: &Model) -> Vec<Job> {
    with_pages(model, base_jobs(model))
}

/// Every page of the site but the pages 2, 3, … of long cohort lists.
fn base_jobs(model: &Model) -> Vec<Job> {
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
    jobs.push(Job::YearList);
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
    jobs.extend(rubric::rubric_jobs(model));
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

pub(super) fn job_path(model: &Model, job: &Job) -> String {
    match job {
        Job::Page(i) => format!("{}/", model.input.pages[*i].slug),
        Job::More(j, n) => format!("{}page/{n}/", job_path(model, j)),
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

/// Fills `{name}` placeholders of a UI string: each argument in turn
/// replaces every `{its name}` of the text so far (the values are owned or
/// borrowed strings).
pub fn fill<S: AsRef<str>>(template: &str, args: &[(&str, S)]) -> String {
    if let Some(out) = fill_at_once(template, args) {
        return out;
    }
    let mut out = template.to_string();
    for (k, v) in args {
        out = out.replace(&format!("{{{k}}}"), v.as_ref());
    }
    out
}

/// [`fill`] in one pass over the text, when that gives the same: every `{`
/// of the text opens a placeholder of an argument and no value holds a
/// brace, so that no replacement can make a placeholder that was not in
/// the text (a theme's string with other braces takes the long way).
fn fill_at_once<S: AsRef<str>>(template: &str, args: &[(&str, S)]) -> Option<String> {
    if args
        .iter()
        .any(|(_, v)| v.as_ref().bytes().any(|b| b == b'{' || b == b'}'))
    {
        return None;
    }
    let extra: usize = args.iter().map(|(_, v)| v.as_ref().len()).sum();
    let mut out = String::with_capacity(template.len() + extra);
    // Braces are ASCII: a byte position is a character boundary. (A UI
    // string is short: a plain loop beats the searcher's set-up.)
    let at = |s: &str, brace: u8| s.bytes().position(|b| b == brace);
    let mut rest = template;
    while let Some(open) = at(rest, b'{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name = &after[..at(after, b'}')?];
        let (_, value) = args.iter().find(|(k, _)| *k == name)?;
        out.push_str(value.as_ref());
        rest = &after[name.len() + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// The template context of one page in one language.
pub fn context(
    model: &Model,
    job: &Job,
    lang: &str,
    t: &BTreeMap<String, String>,
    shared: &Shared,
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
        shared,
        cells: fmt::PageCells::default(),
    };

    let languages: Vec<Json> = site
        .languages
        .iter()
        .filter(|l| in_language(model, job, l))
        .map(|l| {
            value!({
                "code": l,
                "name": shared.lang_names.get(l).map_or(l.as_str(), String::as_str),
                "href": format!("{site_root}{}{path}", lang_prefix(model, l)),
                "current": l == lang,
            })
        })
        .collect();
    let absolute = site.base_url.starts_with("http");
    // hreflang alternates need a fully qualified URL ("https://x.vn/cds/en/…"):
    // search engines ignore a path ("/en/…") there and Lighthouse fails it.
    // A base_url without a host gives none.
    let alternates: Vec<Json> = match absolute {
        false => Vec::new(),
        true => {
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
    // Page 2, 3, … of a list is that list's page, with other rows.
    let (base, page_no) = match job {
        Job::More(j, n) => (j.as_ref(), *n),
        j => (j, 1),
    };
    let section = match base {
        Job::Overview => "overview",
        Job::AgencyList(_) | Job::Agency(_) => "agencies",
        Job::YearList | Job::Year(..) => "years",
        Job::IndicatorList | Job::Indicator(..) => "indicators",
        Job::Data => "data",
        Job::Compare(_) => "compare",
        Job::Search => "search",
        Job::Rubric(_) => "rubrics",
        Job::Page(_) => "page",
        Job::NotFound | Job::More(..) => "none",
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

    let (title, description, body) = match base {
        Job::Overview => overview(&f),
        Job::AgencyList(cohort) => agency_list(&f, cohort.as_deref(), page_no),
        Job::Agency(id) => agency(&f, id),
        Job::YearList => year_list(&f),
        Job::Year(y, cohort) => year(&f, *y, cohort.as_deref(), page_no),
        Job::IndicatorList => indicator_list(&f),
        Job::Indicator(id, cohort) => indicator(&f, id, cohort.as_deref(), page_no),
        Job::Data => data_page(&f, data),
        Job::Compare(cohort) => compare(&f, cohort.as_deref()),
        Job::Search => search_page(&f),
        Job::Rubric(id) => rubric::rubric_page(&f, id),
        Job::Page(i) => {
            let p = &model.input.pages[*i];
            (
                p.title.clone(),
                p.description.clone(),
                // A page without `lang:` is written in the site's language.
                value!({"html": markdown::page_html(&p.body), "lang": p.lang.as_deref().unwrap_or(&site.language)}),
            )
        }
        Job::NotFound | Job::More(..) => (f.tr("page_not_found"), None, value!({})),
    };
    let title = match page_no {
        1 => title,
        n => fill(
            f.tr_str("pager_title"),
            &[("title", title), ("n", n.to_string())],
        ),
    };
    let body = match pager(&f, base, page_no) {
        Some(p) => crate::render::value::with(body, "pager", p),
        None => body,
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
                "phone": {"href": format!("{}.phone.svg", c.id), "width": c.phone_size.0, "height": c.phone_size.1, "alt": c.desc},
                "csv_href": format!("{}.csv", c.id),
                "head": c.table_head,
                "rows": c.table_rows,
                "citation": fill(f.tr_str("chart_citation"), &[
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
        "chart_source": fill(f.tr_str("chart_source"), &[("publisher", publisher.clone())]),
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
pub(super) fn base_path(base_url: &str) -> String {
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

pub(super) type PageView = (String, Option<String>, Json);
