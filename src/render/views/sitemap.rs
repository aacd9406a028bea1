//! Files beside the pages: robots.txt and the sitemaps.

use super::*;
use crate::model::Model;

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
pub(super) const SITEMAP_MAX_URLS: usize = 50_000;

/// `sitemap.xml` listing `urls`; when they are more than `max`, it is a
/// sitemap index of `sitemap-1.xml`, `sitemap-2.xml`, … of `max` each (a
/// national site has more pages than one sitemap may hold).
pub(super) fn sitemaps(base: &str, urls: &[String], max: usize) -> Vec<(String, String)> {
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

pub(super) fn xml_escape(s: &str) -> String {
    crate::clean::xml_escape(s).into_owned()
}
