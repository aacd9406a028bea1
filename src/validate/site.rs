//! site.yaml.

use super::fields::*;
use crate::diag::{Code, Diagnostics};
use crate::input::*;
use crate::load::SourceFile;
use crate::yaml::Value;

pub(super) fn site_config(f: &SourceFile, diags: &mut Diagnostics) -> Option<SiteConfig> {
    let ctx = Ctx::new(&f.rel);
    let doc = parsed(f, &ctx, diags)?;
    let fields = Fields::of(
        doc,
        "site.yaml",
        &[
            "title",
            "base_url",
            "language",
            "languages",
            "description",
            "publisher",
            "license",
            "theme",
            "years",
            "keep",
        ],
        &ctx,
        diags,
    )?;
    let language = match fields.get("language") {
        Some(n) => match text_field(n, "language", &ctx, diags) {
            Some(l) if is_lang_code(&l) => l,
            Some(l) => {
                diags.push(ctx.diag(
                    Code::WrongType,
                    n.pos,
                    format!("`{l}` is not a language code such as vi or en"),
                ));
                "vi".to_string()
            }
            None => "vi".to_string(),
        },
        None => "vi".to_string(),
    };
    let mut languages = vec![language.clone()];
    if let Some(n) = fields.get("languages") {
        match &n.value {
            Value::Seq(items) => {
                for item in items {
                    match item.as_str() {
                        Some(l) if is_lang_code(l) => {
                            if !languages.iter().any(|x| x == l) {
                                languages.push(l.to_string());
                            }
                        }
                        _ => diags.push(ctx.diag(
                            Code::WrongType,
                            item.pos,
                            format!("{} is not a language code such as vi or en", item.shown()),
                        )),
                    }
                }
            }
            _ => diags.push(ctx.diag(
                Code::WrongType,
                n.pos,
                "languages must be a list such as [vi, en]".to_string(),
            )),
        }
    }
    let title = fields
        .require("title", "site.yaml", &ctx, diags)
        .and_then(|n| label(n, "title", &language, &ctx, diags));
    let base_url = fields
        .require("base_url", "site.yaml", &ctx, diags)
        .and_then(|n| {
            let s = text_field(n, "base_url", &ctx, diags)?;
            match base_url(&s) {
                Ok(url) => Some(url),
                Err(message) => {
                    diags.push(ctx.diag(Code::InvalidUrl, n.pos, message));
                    None
                }
            }
        });
    let description = fields
        .get("description")
        .and_then(|n| label(n, "description", &language, &ctx, diags));
    let publisher = fields
        .require("publisher", "site.yaml", &ctx, diags)
        .and_then(|n| {
            let p = Fields::of(n, "publisher", &["name", "url", "email"], &ctx, diags)?;
            let name = p
                .require("name", "publisher", &ctx, diags)
                .and_then(|n| label(n, "publisher name", &language, &ctx, diags));
            let url = p
                .get("url")
                .and_then(|n| url_field(n, "publisher url", &ctx, diags));
            let email = p.get("email").and_then(|n| {
                let e = text_field(n, "publisher email", &ctx, diags)?;
                if e.contains('@')
                    && !e.contains(char::is_whitespace)
                    && is_safe_url(&format!("mailto:{e}"))
                {
                    Some(e)
                } else {
                    diags.push(ctx.diag(
                        Code::InvalidUrl,
                        n.pos,
                        format!("publisher email `{e}` is not an e-mail address"),
                    ));
                    None
                }
            });
            Some(Publisher {
                name: name?,
                url,
                email,
            })
        });
    let license = fields
        .get("license")
        .and_then(|n| {
            let s = text_field(n, "license", &ctx, diags)?;
            if !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-.+".contains(c))
            {
                Some(s)
            } else {
                diags.push(ctx.diag(
                    Code::WrongType,
                    n.pos,
                    format!("license `{s}` is not an SPDX id such as CC-BY-4.0"),
                ));
                None
            }
        })
        .unwrap_or_else(|| "CC-BY-4.0".to_string());
    let theme = fields
        .get("theme")
        .and_then(|n| {
            let s = text_field(n, "theme", &ctx, diags)?;
            check_id(&s, n.pos, "theme", &ctx, diags).then_some(s)
        })
        .unwrap_or_else(|| "default".to_string());
    let years = fields.get("years").and_then(|n| match &n.value {
        Value::Seq(items) => {
            let mut ys: Vec<i32> = items
                .iter()
                .filter_map(|item| {
                    let y = int_field(item, "a year", &ctx, diags)?;
                    if (2000..=2100).contains(&y) {
                        Some(y as i32)
                    } else {
                        diags.push(ctx.diag(
                            Code::InvalidYear,
                            item.pos,
                            format!("{y} is not a year from 2000 to 2100"),
                        ));
                        None
                    }
                })
                .collect();
            ys.sort_unstable();
            ys.dedup();
            Some(ys)
        }
        _ => {
            diags.push(ctx.diag(
                Code::WrongType,
                n.pos,
                "years must be a list such as [2021, 2022, 2023]",
            ));
            None
        }
    });
    let keep = fields
        .get("keep")
        .map(|n| keep_paths(n, &ctx, diags))
        .unwrap_or_else(|| DEFAULT_KEEP.iter().map(|s| s.to_string()).collect());
    Some(SiteConfig {
        title: title?,
        base_url: base_url?,
        language,
        languages,
        description,
        publisher: publisher?,
        license,
        theme,
        years,
        keep,
    })
}

/// What `keep:` is when site.yaml does not say (CLI-AND-OUTPUT.md 1.1).
pub const DEFAULT_KEEP: &[&str] = &["CNAME", ".nojekyll", ".well-known"];

/// A base URL as the site uses it (ending with `/`), or why it is not one:
/// "/" or another path starting with `/`, or an absolute http(s) address.
/// For base_url in site.yaml and `--base-url` alike.
pub fn base_url(s: &str) -> Result<String, String> {
    let s = s.trim();
    let path = s.starts_with('/') && !s.starts_with("//");
    let ok = (path || (is_safe_url(s) && !s.starts_with("mailto:")))
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "\"<>\\`{}|^".contains(c));
    if ok {
        Ok(if s.ends_with('/') {
            s.to_string()
        } else {
            format!("{s}/")
        })
    } else {
        Err(format!(
            "base_url `{}` must be \"/\" (or another path starting with /) or an absolute http(s) address",
            crate::clean::for_terminal(s)
        ))
    }
}

/// `keep:`: paths inside the output that every build carries over.
fn keep_paths(n: &crate::yaml::Node, ctx: &Ctx, diags: &mut Diagnostics) -> Vec<String> {
    let Value::Seq(items) = &n.value else {
        diags.push(ctx.diag(
            Code::WrongType,
            n.pos,
            "keep must be a list of paths inside the output, such as [CNAME, .well-known]",
        ));
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let s = text_field(item, "a kept path", ctx, diags)?;
            let s = s.trim().trim_end_matches('/');
            let safe = !s.is_empty()
                && !s.starts_with('/')
                && !s.contains('\\')
                && s.split('/')
                    .all(|p| !p.is_empty() && p != "." && p != ".." && p != crate::write::MARKER);
            if safe {
                Some(s.to_string())
            } else {
                diags.push(ctx.diag(
                    Code::WrongType,
                    item.pos,
                    format!(
                        "keep: `{}` is not a path inside the output such as CNAME or .well-known",
                        crate::clean::for_terminal(s)
                    ),
                ));
                None
            }
        })
        .collect()
}
