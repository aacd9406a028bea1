//! Markdown pages in content/.

use super::fields::*;
use crate::diag::{Code, Diagnostics};
use crate::input::*;
use crate::load::SourceFile;
use crate::yaml::Pos;

/// Section names the generator uses; a page may not take them.
pub(super) const RESERVED: &[&str] = &[
    "agencies",
    "years",
    "indicators",
    "data",
    "compare",
    "search",
    "assets",
    "static",
    "charts",
];

pub(super) fn page(f: &SourceFile, diags: &mut Diagnostics) -> Option<Page> {
    let ctx = Ctx::new(&f.rel);
    let doc = parsed(f, &ctx, diags)?;
    let fields = Fields::of(
        doc,
        "the front matter",
        &["title", "description", "weight", "lang", "draft"],
        &ctx,
        diags,
    )?;
    let title = fields
        .require("title", "the front matter", &ctx, diags)
        .and_then(|n| text_field(n, "title", &ctx, diags));
    let description = fields
        .get("description")
        .and_then(|n| text_field(n, "description", &ctx, diags));
    let weight = fields
        .get("weight")
        .and_then(|n| int_field(n, "weight", &ctx, diags))
        .unwrap_or(0);
    let lang = fields.get("lang").and_then(|n| {
        let l = text_field(n, "lang", &ctx, diags)?;
        if is_lang_code(&l) {
            Some(l)
        } else {
            diags.push(ctx.diag(
                Code::WrongType,
                n.pos,
                format!("`{l}` is not a language code such as vi or en"),
            ));
            None
        }
    });
    let draft = fields
        .get("draft")
        .and_then(|n| bool_field(n, "draft", &ctx, diags))
        .unwrap_or(false);

    let rel = f.rel.strip_prefix("content/").unwrap_or(&f.rel);
    let rel = rel.strip_suffix(".md").unwrap_or(rel);
    let rel = rel.strip_suffix("/index").unwrap_or(rel);
    let pos = Pos { line: 1, column: 1 };
    if rel == "index" || rel.is_empty() {
        diags.push(ctx.diag(
            Code::InvalidId,
            pos,
            "content/index.md would replace the overview page; give the page another name",
        ));
        return None;
    }
    for part in rel.split('/') {
        if !is_id(part) {
            diags.push(ctx.diag(
                Code::InvalidId,
                pos,
                format!(
                    "`{part}` in the page's path is not a valid URL name; rename it like `{}`",
                    id_hint(part)
                ),
            ));
            return None;
        }
    }
    let first = rel.split('/').next().unwrap_or("");
    if RESERVED.contains(&first) {
        diags.push(ctx.diag(
            Code::InvalidId,
            pos,
            format!("`{first}` is used by the generated pages; put the page elsewhere"),
        ));
        return None;
    }
    Some(Page {
        file: f.rel.clone(),
        slug: rel.to_string(),
        title: title?,
        description,
        weight,
        lang,
        draft,
        body: f.body.clone(),
    })
}
