//! Markdown to HTML with pulldown-cmark.
//!
//! Pages of `content/` are written by the site's staff and may hold raw
//! HTML. Report `notes` come from `data/` and are untrusted: raw HTML is
//! shown as text, and only http(s), mailto and relative links (and images
//! on them) survive; any other link keeps its text and loses its target.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

/// Trusted Markdown of a content page.
pub fn page_html(md: &str) -> String {
    let mut out = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(md, options()));
    out
}

/// Whether a link target from untrusted text may become a link.
pub fn is_safe_link(url: &str) -> bool {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
    {
        return true;
    }
    // Relative: no scheme before the first '/', '?' or '#', and not `//host`.
    if u.starts_with("//") {
        return false;
    }
    let before = u.split(['/', '?', '#']).next().unwrap_or("");
    !before.contains(':')
}

/// Untrusted Markdown (report notes): no raw HTML, only safe links.
pub fn notes_html(md: &str) -> String {
    let mut dropped_links = Vec::new();
    let events = Parser::new_ext(md, options()).map(|ev| match ev {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let safe = is_safe_link(&dest_url);
            dropped_links.push(!safe);
            if safe {
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            } else {
                Event::Text(CowStr::Borrowed(""))
            }
        }
        Event::End(TagEnd::Link) => {
            if dropped_links.pop().unwrap_or(false) {
                Event::Text(CowStr::Borrowed(""))
            } else {
                Event::End(TagEnd::Link)
            }
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if !is_safe_link(&dest_url) => Event::Start(Tag::Image {
            link_type,
            dest_url: CowStr::Borrowed(""),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_escape_raw_html() {
        let out = notes_html("Xin chào <script>alert(1)</script> **đậm**");
        assert!(!out.contains("<script>"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
        assert!(out.contains("<strong>đậm</strong>"), "{out}");
        let out = notes_html("<img src=x onerror=alert(1)>\n\ntext");
        assert!(!out.contains("<img"), "{out}");
    }

    #[test]
    fn notes_keep_only_safe_links() {
        let out = notes_html("[a](https://x.vn/a) [b](javascript:alert(1)) [c](../c/) [d](mailto:a@b.vn) [e](data:text/html,x)");
        assert!(out.contains(r#"<a href="https://x.vn/a">a</a>"#), "{out}");
        assert!(out.contains(r#"<a href="../c/">c</a>"#), "{out}");
        assert!(out.contains(r#"<a href="mailto:a@b.vn">d</a>"#), "{out}");
        assert!(!out.contains("javascript"), "{out}");
        assert!(!out.contains("data:"), "{out}");
        assert!(
            out.contains(" b "),
            "the text of a dropped link stays: {out}"
        );
    }

    #[test]
    fn pages_may_hold_html() {
        assert!(page_html("<div class=\"x\">hi</div>").contains("<div class=\"x\">"));
    }

    #[test]
    fn safe_links() {
        assert!(is_safe_link("https://a"));
        assert!(is_safe_link("HTTP://A"));
        assert!(is_safe_link("page/"));
        assert!(is_safe_link("#x"));
        assert!(!is_safe_link("JavaScript:x"));
        assert!(!is_safe_link("//evil.com"));
        assert!(!is_safe_link("vbscript:x"));
    }
}
