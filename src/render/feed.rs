//! An Atom feed per language (`/feed.xml`, `/en/feed.xml`) announcing each
//! published year. Every date comes from the data, never from the clock, so
//! that the same input gives the same feed: a year's date is the latest end
//! of its reports' periods, else 31 December of the year.

use std::collections::BTreeMap;

use super::views::fill;
use crate::format::{self, Date, Lang};
use crate::model::Model;

fn xml_escape(s: &str) -> String {
    crate::clean::xml_escape(s).into_owned()
}

/// The date a year is announced with.
pub fn year_date(model: &Model, year: i32) -> Date {
    model
        .year_entries(year)
        .filter_map(|e| e.report.period.map(|(_, to)| to))
        .max()
        .unwrap_or(Date {
            year,
            month: 12,
            day: 31,
        })
}

/// An Atom id: the URL when base_url is absolute, else a `tag:` URI on the
/// publisher's e-mail or web host (RFC 4151), else a URN of the site.
fn atom_id(model: &Model, path: &str) -> String {
    crate::publish::site_iri(model, path)
}

/// The feed of one language; `prefix` is "" or "en/".
pub fn feed(model: &Model, lang: &str, prefix: &str, t: &BTreeMap<String, String>) -> String {
    let tr = |k: &str| t.get(k).cloned().unwrap_or_else(|| k.to_string());
    let site = &model.input.site;
    let default = site.language.as_str();
    let l = Lang::from_code(lang);
    let title = site.title.get(lang, default);
    let base = &site.base_url;
    let years: Vec<(i32, Date)> = model
        .years
        .iter()
        .rev()
        .map(|&y| (y, year_date(model, y)))
        .collect();
    let updated = years
        .iter()
        .map(|(_, d)| *d)
        .max()
        .map(stamp)
        .unwrap_or_else(|| "2000-01-01T00:00:00Z".to_string());
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml_escape(lang)
    ));
    x.push_str(&format!("  <title>{}</title>\n", xml_escape(title)));
    if let Some(d) = &site.description {
        x.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            xml_escape(d.get(lang, default))
        ));
    }
    x.push_str(&format!(
        "  <id>{}</id>\n",
        xml_escape(&atom_id(model, &format!("{prefix}feed.xml")))
    ));
    x.push_str(&format!("  <updated>{updated}</updated>\n"));
    x.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml_escape(&format!("{base}{prefix}feed.xml"))
    ));
    x.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(&format!("{base}{prefix}"))
    ));
    x.push_str(&format!(
        "  <author><name>{}</name>{}{}</author>\n",
        xml_escape(site.publisher.name.get(lang, default)),
        site.publisher
            .url
            .as_ref()
            .map(|u| format!("<uri>{}</uri>", xml_escape(u)))
            .unwrap_or_default(),
        site.publisher
            .email
            .as_ref()
            .map(|e| format!("<email>{}</email>", xml_escape(e)))
            .unwrap_or_default(),
    ));
    x.push_str(&format!(
        "  <rights>{}</rights>\n",
        xml_escape(&format!("{}: {}", tr("license"), site.license))
    ));
    for (y, date) in years {
        let path = format!("{prefix}years/{y}/");
        let reports = model.year_entries(y).count();
        let agencies = model.input.agencies.len();
        let summary = fill(
            &tr("feed_year_summary"),
            &[
                ("year", y.to_string()),
                ("reports", format::integer(reports as i128, l)),
                ("agencies", format::integer(agencies as i128, l)),
                ("date", format::date(date, l)),
            ],
        );
        x.push_str("  <entry>\n");
        x.push_str(&format!(
            "    <title>{}</title>\n",
            xml_escape(&fill(&tr("feed_year_title"), &[("year", y.to_string())]))
        ));
        x.push_str(&format!(
            "    <id>{}</id>\n",
            xml_escape(&atom_id(model, &path))
        ));
        x.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escape(&format!("{base}{path}"))
        ));
        x.push_str(&format!("    <updated>{}</updated>\n", stamp(date)));
        x.push_str(&format!(
            "    <summary>{}</summary>\n",
            xml_escape(&summary)
        ));
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

fn stamp(d: Date) -> String {
    format!("{}T00:00:00Z", d.iso())
}
