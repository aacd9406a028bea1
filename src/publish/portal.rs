//! What an open-data portal needs from a build to harvest its catalogue:
//! an absolute `base_url`. With a relative one (`"/"`, allowed for a site
//! served from any host) the build warns, because the catalogue then has no
//! address a harvester can download from ([`super::dcat`]).

use crate::diag::{Code, Diagnostic};
use crate::load::{FileKind, Loaded};
use crate::yaml::{Pos, Value};

/// Where `base_url` is written in site.yaml, if it is.
pub fn base_url_pos(loaded: &Loaded) -> Option<Pos> {
    let doc = loaded.file(&FileKind::Site)?.doc.as_ref().ok()?;
    let Value::Map(fields) = &doc.value else {
        return None;
    };
    fields
        .iter()
        .find(|(k, _)| k.name == "base_url")
        .map(|(_, v)| v.pos)
}

/// The `relative-base-url` warning of a build whose `base_url` (from
/// site.yaml at `pos`, or from `--base-url` when `from_cli`) is not an
/// absolute address; `None` when it is.
pub fn relative_base_url(base_url: &str, from_cli: bool, pos: Option<Pos>) -> Option<Diagnostic> {
    if base_url.starts_with("http://") || base_url.starts_with("https://") {
        return None;
    }
    let (origin, pos) = if from_cli {
        ("--base-url", None)
    } else {
        ("base_url", pos)
    };
    Some(Diagnostic::new(
        Code::RelativeBaseUrl,
        "site.yaml",
        pos,
        format!(
            "{origin} `{base_url}` is relative: the site works, but the catalogue for open-data portals (data/catalog.jsonld, data/catalog.ttl) has no download addresses, and a portal such as CKAN cannot harvest the files; give the absolute address the site is published at, in site.yaml (base_url: \"https://…/\") or when building for publication (minhbach build --base-url https://…/)"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_relative_base_url_is_warned_about() {
        assert!(relative_base_url("https://x.gov.vn/cds/", false, None).is_none());
        assert!(relative_base_url("http://x.gov.vn/", true, None).is_none());
        let pos = Some(Pos {
            line: 6,
            column: 11,
        });
        let d = relative_base_url("/", false, pos).expect("warned");
        assert_eq!(d.code, Code::RelativeBaseUrl);
        assert_eq!(d.code.as_str(), "relative-base-url");
        assert!(!d.is_error());
        assert_eq!(
            (d.file.as_str(), d.line, d.column),
            ("site.yaml", Some(6), Some(11))
        );
        assert!(d.message.contains("--base-url https://"), "{}", d.message);
        let cli = relative_base_url("/cds/", true, pos).expect("warned");
        assert_eq!(
            cli.line, None,
            "not site.yaml's line when --base-url gave it"
        );
        assert!(
            cli.message.starts_with("--base-url `/cds/`"),
            "{}",
            cli.message
        );
    }

    #[test]
    fn the_position_of_base_url_in_site_yaml() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let loaded = crate::load::load(root);
        let pos = base_url_pos(&loaded).expect("the sample site.yaml has base_url");
        let text = std::fs::read_to_string(root.join("site.yaml")).expect("site.yaml");
        let line = text.lines().nth(pos.line - 1).expect("the line");
        assert!(line.starts_with("base_url:"), "{line}");
    }
}
