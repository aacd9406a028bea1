//! HTML minification (minify-html), with `<` and `>` escaped again where
//! minify-html decodes them.

/// Minifies HTML with inline CSS and JS. CSS minification is left off:
/// minify-html rewrites `@media (max-width:600px)` into range syntax that
/// older phone browsers ignore.
pub fn minify(html: &[u8]) -> Vec<u8> {
    let cfg = minify_html::Cfg {
        minify_css: false,
        minify_js: false,
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        keep_comments: false,
        ..minify_html::Cfg::default()
    };
    reescape(minify_html::minify(html, &cfg))
}

/// minify-html writes `<` and `>` unescaped where HTML allows it: inside
/// quoted attribute values and in the text of `<title>` (RCDATA). Both are
/// harmless in HTML, but a `<title>` inside an SVG is ordinary markup, and
/// text from the data should never look like markup to any reader or tool:
/// escape them again.
fn reescape(html: Vec<u8>) -> Vec<u8> {
    let lower_at = |i: usize, pat: &[u8]| -> bool {
        html.get(i..i + pat.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(pat))
    };
    let mut out = Vec::with_capacity(html.len() + 64);
    let mut i = 0;
    while i < html.len() {
        let b = html[i];
        if b != b'<' {
            out.push(b);
            i += 1;
            continue;
        }
        if lower_at(i, b"<!--") {
            let end = find_from(&html, b"-->", i).map_or(html.len(), |e| e + 3);
            out.extend_from_slice(&html[i..end]);
            i = end;
            continue;
        }
        // A tag: copy it, escaping inside quoted attribute values.
        let start = i;
        let mut quote: Option<u8> = None;
        out.push(b'<');
        i += 1;
        while i < html.len() {
            let c = html[i];
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), b'<') => {
                    out.extend_from_slice(b"&lt;");
                    i += 1;
                    continue;
                }
                (Some(_), b'>') => {
                    out.extend_from_slice(b"&gt;");
                    i += 1;
                    continue;
                }
                (None, b'"' | b'\'') => quote = Some(c),
                (None, b'>') => {
                    out.push(c);
                    i += 1;
                    break;
                }
                _ => {}
            }
            out.push(c);
            i += 1;
        }
        // Raw text and RCDATA elements: copy up to their end tag.
        for (name, escape) in [
            (&b"script"[..], false),
            (b"style", false),
            (b"title", true),
            (b"textarea", true),
        ] {
            let opens = lower_at(start + 1, name)
                && matches!(
                    html.get(start + 1 + name.len()),
                    Some(b'>' | b' ' | b'\t' | b'\n' | b'/')
                );
            if !opens {
                continue;
            }
            let mut close = Vec::from(&b"</"[..]);
            close.extend_from_slice(name);
            let end = find_from_ci(&html, &close, i).unwrap_or(html.len());
            for &c in &html[i..end] {
                match c {
                    b'<' if escape => out.extend_from_slice(b"&lt;"),
                    b'>' if escape => out.extend_from_slice(b"&gt;"),
                    _ => out.push(c),
                }
            }
            i = end;
            // The end tag itself is copied by the next round.
            if i < html.len() {
                let tag_end = find_from(&html, b">", i).map_or(html.len(), |e| e + 1);
                out.extend_from_slice(&html[i..tag_end]);
                i = tag_end;
            }
            break;
        }
    }
    out
}

fn find_from(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn find_from_ci(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minified_css_keeps_media_queries_and_pre_whitespace() {
        let html = b"<!doctype html><html lang=vi><head><style>@media (max-width: 600px) { body { margin: 0 } }</style></head><body><pre>a\n  b</pre><p>x   y</p></body></html>";
        let out = String::from_utf8(minify(html)).expect("utf-8");
        assert!(out.contains("@media (max-width: 600px)"), "{out}");
        assert!(out.contains("<pre>a\n  b</pre>"), "{out}");
        assert!(out.contains("<p>x y</p>"), "{out}");
        assert!(out.contains("lang=vi"), "{out}");
    }

    #[test]
    fn titles_stay_escaped() {
        let html = b"<!doctype html><html><head><title>&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;</title></head><body><svg><title id=a>&lt;b&gt;</title></svg></body></html>";
        let out = String::from_utf8(minify(html)).expect("utf-8");
        assert!(!out.contains("<script>"), "{out}");
        assert!(!out.contains("<b>"), "{out}");
        assert!(out.contains("&lt;script&gt;x"), "{out}");
        let html = b"<p><meta content=\"&lt;script&gt;a&lt;/script&gt;\" name=x><a title='&lt;b&gt;' href=x>&lt;i&gt;</a><script>if (a < b) {}</script>";
        let out = String::from_utf8(minify(html)).expect("utf-8");
        assert!(!out.contains("<script>a"), "{out}");
        assert!(!out.contains("<b>") && !out.contains("<i>"), "{out}");
        assert!(out.contains("if (a < b)"), "scripts untouched: {out}");
    }
}
