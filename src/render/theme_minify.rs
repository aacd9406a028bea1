//! Minifies a theme's templates once, when the theme loads, instead of every
//! finished page: the markup of the templates is what minify-html shortens
//! (indentation, quotes, optional attributes), and what Tera inserts is
//! already tight.
//!
//! minify-html does not know Tera. Its `preserve_brace_template_syntax`
//! keeps `{{ }}`/`{% %}` in text, but not inside a tag, where it sorts the
//! attributes and so tears `{% if %}…{% endif %}` apart from the attribute
//! it guards. So the template syntax is hidden before minifying and put back
//! after:
//!
//! - a tag with template syntax anywhere inside it is kept as written, and
//!   minify-html sees `<name MARK>` (the element and its children are still
//!   minified);
//! - a statement (`{% %}`, `{# #}`) between markup becomes a processing instruction
//!   `<?N?>`, a node that prints nothing, as the statement does: whitespace
//!   beside it is dropped where it would be between elements;
//! - an expression (`{{ }}`), and any template syntax in `<title>`,
//!   `<script>`, `<style>` or `<textarea>`, becomes a word of private-use
//!   characters, text like what Tera will print there.
//!
//! Every hidden piece must come back exactly once and in order, else the
//! template is not minified (`None`) and the pages are minified one by one.

/// The three kinds of Tera syntax: expression, statement, comment.
const OPENERS: [(&str, &str); 3] = [("{{", "}}"), ("{%", "%}"), ("{#", "#}")];
/// Text placeholder: `TEXT_OPEN` index `TEXT_CLOSE`.
const TEXT_OPEN: char = '\u{E002}';
const TEXT_CLOSE: char = '\u{E003}';
/// Tag placeholder, an attribute name: `TAG_OPEN` index `TAG_CLOSE`.
const TAG_OPEN: char = '\u{E004}';
const TAG_CLOSE: char = '\u{E005}';
/// A quoted attribute value with template syntax: `ATTR_OPEN` index space `ATTR_CLOSE`.
const ATTR_OPEN: char = '\u{E008}';
const ATTR_CLOSE: char = '\u{E009}';
/// A statement, until `place_statements` decides what it becomes.
const STMT_OPEN: char = '\u{E006}';
const STMT_CLOSE: char = '\u{E007}';
/// Elements whose content minify-html does not parse as markup.
const RAW_TEXT: [&str; 4] = ["script", "style", "title", "textarea"];

/// The template minified, or `None` when it cannot be done safely.
pub fn minify_template(text: &str) -> Option<String> {
    if [
        TEXT_OPEN, TEXT_CLOSE, TAG_OPEN, TAG_CLOSE, STMT_OPEN, STMT_CLOSE,
    ]
    .iter()
    .any(|c| text.contains(*c))
        || text.contains("<?")
    {
        return None;
    }
    let (masked, held) = mask(text)?;
    let minified = String::from_utf8(crate::write::minify(masked.as_bytes())).ok()?;
    unmask(&minified, &held)
}

/// The end (exclusive) of the template construct starting at `i`, if one
/// starts there; `Err` when it is never closed.
fn construct_at(s: &str, i: usize) -> Option<Result<(usize, bool), ()>> {
    let rest = &s[i..];
    let (open, close) = OPENERS.iter().find(|(o, _)| rest.starts_with(o))?;
    let statement = *open != "{{";
    Some(
        rest[open.len()..]
            .find(close)
            .map(|e| (i + open.len() + e + close.len(), statement))
            .ok_or(()),
    )
}

fn starts_with_ci(s: &str, i: usize, pat: &str) -> bool {
    s.get(i..i + pat.len())
        .is_some_and(|w| w.eq_ignore_ascii_case(pat))
}

/// The template with its syntax hidden, and the hidden pieces by index.
fn mask(s: &str) -> Option<(String, Vec<&str>)> {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut held: Vec<&str> = Vec::new();
    let mut i = 0;
    // Inside a raw-text element: its name; template syntax there is text.
    let mut raw: Option<&str> = None;
    while i < s.len() {
        if let Some(c) = construct_at(s, i) {
            let (end, statement) = c.ok()?;
            let n = held.len();
            held.push(&s[i..end]);
            if statement && raw.is_none() {
                out.push_str(&format!("{STMT_OPEN}{n}{STMT_CLOSE}"));
            } else {
                out.push_str(&format!("{TEXT_OPEN}{n}{TEXT_CLOSE}"));
            }
            i = end;
            continue;
        }
        if let Some(name) = raw {
            if bytes[i] == b'<' && starts_with_ci(s, i + 2, name) && bytes.get(i + 1) == Some(&b'/')
            {
                raw = None;
            } else {
                let ch = s[i..].chars().next()?;
                out.push(ch);
                i += ch.len_utf8();
                continue;
            }
        }
        if s[i..].starts_with("<!--") {
            let end = s[i + 4..].find("-->").map_or(s.len(), |e| i + 4 + e + 3);
            let comment = &s[i..end];
            if OPENERS.iter().any(|(o, _)| comment.contains(o)) {
                return None;
            }
            out.push_str(comment);
            i = end;
            continue;
        }
        let tag_start = bytes[i] == b'<'
            && bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'/');
        if !tag_start {
            let ch = s[i..].chars().next()?;
            out.push(ch);
            i += ch.len_utf8();
            continue;
        }
        // A start or end tag: its name, then up to its `>`, skipping quoted
        // values and template constructs (a `>` in `{% if a > b %}`).
        let closing = bytes[i + 1] == b'/';
        let name_start = i + 1 + usize::from(closing);
        let name_end = s[name_start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
            .map_or(s.len(), |e| name_start + e);
        let name = &s[name_start..name_end];
        // `<tr{% if x %} class="x"{% endif %}>` names a `tr`; `<h{{ n }}>`
        // and `<h{% if a %}1{% endif %}>` have a name minify-html cannot know.
        let glued = match construct_at(s, name_end) {
            Some(Ok((end, true))) => !s[end..].starts_with(|c: char| c.is_ascii_whitespace()),
            Some(_) => true,
            None => false,
        };
        if name.is_empty() || glued {
            return None;
        }
        let mut j = name_end;
        let mut quote: Option<u8> = None;
        // Template syntax outside quotes (between attributes, or a value
        // without quotes); quoted values with template syntax (start, end).
        let mut bare = false;
        let mut value_start = 0;
        let mut value_templated = false;
        let mut values: Vec<(usize, usize)> = Vec::new();
        loop {
            let b = *bytes.get(j)?;
            if let Some(c) = construct_at(s, j) {
                j = c.ok()?.0;
                if quote.is_some() {
                    value_templated = true;
                } else {
                    bare = true;
                }
                continue;
            }
            match (quote, b) {
                (Some(q), b) if b == q => {
                    quote = None;
                    if value_templated {
                        values.push((value_start, j));
                    }
                }
                (None, b'"' | b'\'') => {
                    quote = Some(b);
                    value_start = j + 1;
                    value_templated = false;
                }
                (None, b'>') => break,
                _ => {}
            }
            j += 1;
        }
        let end = j + 1;
        if (bare || !values.is_empty()) && closing {
            return None;
        }
        if bare {
            let n = held.len();
            held.push(&s[i..end]);
            out.push_str(&format!("<{name} {TAG_OPEN}{n}{TAG_CLOSE}>"));
        } else {
            // Each templated value becomes a word with a space, which
            // minify-html keeps in double quotes whatever Tera puts there.
            let mut at = i;
            for (start, stop) in values {
                let value = &s[start..stop];
                if value.contains('"') {
                    return None;
                }
                out.push_str(&s[at..start - 1]);
                let n = held.len();
                held.push(value);
                out.push_str(&format!("\"{ATTR_OPEN}{n} {ATTR_CLOSE}\""));
                at = stop + 1;
            }
            out.push_str(&s[at..end]);
        }
        if !closing {
            raw = RAW_TEXT
                .iter()
                .copied()
                .find(|r| name.eq_ignore_ascii_case(r));
        }
        i = end;
    }
    Some((place_statements(&out), held))
}

/// A statement between markup (a tag, the template's start or end, or
/// another such statement, with only whitespace between) becomes `<?N?>`;
/// one touching text becomes text, so that the whitespace beside it stays
/// as the text around it decides (`</a>{% if x %}, {% endif %}</dd>`).
fn place_statements(s: &str) -> String {
    let marks: Vec<(usize, usize)> = s
        .match_indices(STMT_OPEN)
        .filter_map(|(i, _)| {
            let e = s[i..].find(STMT_CLOSE)?;
            Some((i, i + e + STMT_CLOSE.len_utf8()))
        })
        .collect();
    let mut left = vec![false; marks.len()];
    for (k, &(start, _)) in marks.iter().enumerate() {
        left[k] = match s[..start].trim_end().chars().next_back() {
            None | Some('>') => true,
            Some(STMT_CLOSE) => k > 0 && left[k - 1],
            Some(_) => false,
        };
    }
    let mut right = vec![false; marks.len()];
    for (k, &(_, end)) in marks.iter().enumerate().rev() {
        right[k] = match s[end..].trim_start().chars().next() {
            None | Some('<') => true,
            Some(STMT_OPEN) => k + 1 < marks.len() && right[k + 1],
            Some(_) => false,
        };
    }
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    for (k, &(start, end)) in marks.iter().enumerate() {
        out.push_str(&s[at..start]);
        let n = &s[start + STMT_OPEN.len_utf8()..end - STMT_CLOSE.len_utf8()];
        if left[k] && right[k] {
            out.push_str(&format!("<?{n}?>"));
        } else {
            out.push_str(&format!("{TEXT_OPEN}{n}{TEXT_CLOSE}"));
        }
        at = end;
    }
    out.push_str(&s[at..]);
    out
}

/// Puts the hidden pieces back; `None` unless each comes back exactly once.
fn unmask(s: &str, held: &[&str]) -> Option<String> {
    let mut out = String::with_capacity(s.len() + held.iter().map(|h| h.len()).sum::<usize>());
    let mut seen = vec![false; held.len()];
    let mut take = |digits: &str| -> Option<&str> {
        let n = digits.parse::<usize>().ok()?;
        let first = !std::mem::replace(seen.get_mut(n)?, true);
        first.then_some(held[n])
    };
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        let ch = rest.chars().next()?;
        let body = &rest[ch.len_utf8()..];
        if ch == TEXT_OPEN {
            let e = body.find(TEXT_CLOSE)?;
            out.push_str(take(&body[..e])?);
            i += ch.len_utf8() + e + TEXT_CLOSE.len_utf8();
        } else if ch == ATTR_OPEN {
            // Inside the quotes minify-html chose, which the value must not hold.
            let e = body.find(ATTR_CLOSE)?;
            let value = take(body[..e].strip_suffix(' ')?)?;
            let q = out.chars().next_back()?;
            if !(q == '"' || q == '\'') || value.contains(q) {
                return None;
            }
            out.push_str(value);
            i += ch.len_utf8() + e + ATTR_CLOSE.len_utf8();
        } else if rest.starts_with("<?") {
            let e = rest.find("?>")?;
            out.push_str(take(&rest[2..e])?);
            i += e + 2;
        } else if ch == TAG_OPEN {
            let e = body.find(TAG_CLOSE)?;
            // Replace the whole minified tag `<name MARK>` by the original.
            let lt = out.rfind('<')?;
            out.truncate(lt);
            out.push_str(take(&body[..e])?);
            let after = &body[e + TAG_CLOSE.len_utf8()..];
            let gt = after.find('>')?;
            if !after[..gt].trim_end_matches('/').trim().is_empty() {
                return None;
            }
            i += ch.len_utf8() + e + TAG_CLOSE.len_utf8() + gt + 1;
        } else {
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    seen.iter().all(|s| *s).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::minify_template;

    #[test]
    fn conditional_attributes_stay_with_their_tag() {
        let t = "<ul>\n  {% for n in nav %}<li><a href=\"{{ n.href }}\"{% if n.current %} aria-current=\"page\"{% endif %}>{{ n.label }}</a></li>{% endfor %}\n</ul>\n";
        assert_eq!(
            minify_template(t).as_deref(),
            Some("<ul>{% for n in nav %}<li><a href=\"{{ n.href }}\"{% if n.current %} aria-current=\"page\"{% endif %}>{{ n.label }}</a></li>{% endfor %}</ul>")
        );
    }

    #[test]
    fn statements_between_elements_leave_no_whitespace() {
        let t = "<table>\n  <tr{% if h %} class=\"h\"{% endif %}>\n    {% if a %}\n    <td class=\"x\">{{ a }}</td>\n    {% endif %}\n  </tr>\n</table>";
        assert_eq!(
            minify_template(t).as_deref(),
            Some("<table><tr{% if h %} class=\"h\"{% endif %}>{% if a %}<td class=x>{{ a }}</td>{% endif %}</tr></table>")
        );
    }

    #[test]
    fn text_keeps_its_spaces_around_expressions() {
        let t = "<p>{{ t.a }}: {% if u %}<a href=\"{{ u }}\">{{ p }}</a>{% else %}{{ p }}{% endif %} · <b>x</b></p>";
        assert_eq!(
            minify_template(t).as_deref(),
            Some("<p>{{ t.a }}: {% if u %}<a href=\"{{ u }}\">{{ p }}</a>{% else %}{{ p }}{% endif %} · <b>x</b></p>")
        );
    }

    #[test]
    fn statements_touching_text_keep_its_spaces() {
        let t = "<dd>{% for r in rs %}<a href=\"{{ r.href }}\">{{ r.name }}</a>{% if not loop.last %}, {% endif %}{% endfor %}</dd>";
        assert_eq!(minify_template(t).as_deref(), Some(t));
    }

    #[test]
    fn raw_text_elements_keep_statements_as_text() {
        let t = "<title>{% if a > b %}{{ a }}{% else %}{{ b }}{% endif %}</title>\n<script type=\"application/ld+json\">{{ j | safe }}</script>";
        assert_eq!(
            minify_template(t).as_deref(),
            Some("<title>{% if a > b %}{{ a }}{% else %}{{ b }}{% endif %}</title><script type=application/ld+json>{{ j | safe }}</script>")
        );
    }

    #[test]
    fn the_built_in_theme_minifies() {
        for (rel, bytes) in super::super::builtin::THEME_FILES {
            if let Some(name) = rel.strip_prefix("templates/") {
                let text = std::str::from_utf8(bytes).expect("UTF-8");
                let min = minify_template(text);
                assert!(min.is_some(), "{name} does not minify");
            }
        }
    }

    #[test]
    fn a_theme_that_cannot_be_minified_is_minified_page_by_page() {
        use crate::render::Theme;
        let root = tempfile::tempdir().expect("tempdir");
        let dir = root.path().join("themes/default/templates");
        std::fs::create_dir_all(&dir).expect("mkdir");
        let built_in = Theme::load_with(root.path(), "default", true).expect("loads");
        assert!(built_in.minified);
        std::fs::write(
            dir.join("404.html"),
            "{% extends \"base.html\" %}{% block content %}<!-- {{ title }} --><h1>{{ title }}</h1>{% endblock content %}",
        )
        .expect("write");
        let own = Theme::load_with(root.path(), "default", true).expect("loads");
        assert!(
            !own.minified,
            "a comment with Tera syntax cannot be minified away"
        );
        let off = Theme::load_with(root.path(), "default", false).expect("loads");
        assert!(!off.minified);
    }

    #[test]
    fn unsafe_templates_are_left_alone() {
        // Template syntax in a tag name, in a comment, or never closed.
        assert_eq!(minify_template("<h{{ n }}>x</h{{ n }}>"), None);
        assert_eq!(minify_template("<h{% if a %}1{% endif %}>x</h1>"), None);
        assert_eq!(minify_template("<p>a<!-- {% if x %} --></p>"), None);
        assert_eq!(minify_template("<p>{{ a </p>"), None);
        assert_eq!(minify_template("<p>\u{E002}</p>"), None);
    }
}
