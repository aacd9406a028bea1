//! The search page (the list without script).

use super::*;
use crate::render::value::{field, value, Value as Json};

/// The search page: a form, the results (drawn by `site.js` from the
/// index), and every entry of the index listed for readers without script.
pub(super) fn search_page(f: &Fmt) -> PageView {
    let index = crate::render::search::listing(f.model, f.lang, f.t);
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
            "index_href": format!("{}{}", f.site_root, crate::render::search::file_name(f.lang)),
            "groups": groups,
        }),
    )
}
