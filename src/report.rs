//! Diagnostics for people: grouped by file, each with the line of the
//! source it is about and the offending value underlined, like a compiler
//! (rendered by annotate-snippets), in colour only on a terminal.
//!
//! The first line of each diagnostic is exactly the one-line form of the
//! spec (`error[code]: file:line:col: message`), so tools that read those
//! lines keep working; `--format short` prints only those lines.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::ops::Range;
use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::diag::{Diagnostic, Diagnostics, Severity};

/// Whether stderr is a terminal that wants colours (`NO_COLOR` unset).
pub fn stderr_colours() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Every diagnostic with its source line, grouped by file, the files in
/// the order of the diagnostics (which are sorted by file).
pub fn render(root: &Path, diags: &[Diagnostic], colour: bool) -> String {
    let renderer = if colour {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut groups: Vec<(&str, Vec<&Diagnostic>)> = Vec::new();
    for d in diags {
        match groups.last_mut() {
            Some((f, list)) if *f == d.file => list.push(d),
            _ => groups.push((&d.file, vec![d])),
        }
    }
    let mut sources: BTreeMap<&str, Option<String>> = BTreeMap::new();
    let mut out = String::new();
    for (file, list) in groups {
        let source = sources
            .entry(file)
            .or_insert_with(|| read_source(root, file))
            .as_deref();
        out.push_str(&file_header(file, &list, colour));
        out.push('\n');
        for d in list {
            out.push_str(&render_one(&renderer, d, source));
            out.push_str("\n\n");
        }
    }
    out
}

/// The one-line form of every diagnostic.
pub fn render_short(diags: &[Diagnostic]) -> String {
    diags.iter().map(|d| format!("{d}\n")).collect()
}

fn read_source(root: &Path, file: &str) -> Option<String> {
    // Files of the built-in theme and the like are not below the root.
    if file.starts_with('<') {
        return None;
    }
    let text = std::fs::read_to_string(root.join(file)).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    // As it was read (NFC, so that columns match), with every control
    // character but line ends and tabs shown as a picture of itself: one
    // character for one, so that the columns still match.
    Some(
        crate::clean::nfc(text)
            .chars()
            .map(|c| match c {
                '\n' | '\r' | '\t' => c,
                '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
                '\u{7f}' => '\u{2421}',
                c if c.is_control() || crate::clean::is_bidi_control(c) => '\u{fffd}',
                c => c,
            })
            .collect(),
    )
}

fn file_header(file: &str, list: &[&Diagnostic], colour: bool) -> String {
    let errors = list.iter().filter(|d| d.is_error()).count();
    let warnings = list.len() - errors;
    let mut counts = Vec::new();
    if errors > 0 {
        counts.push(format!(
            "{errors} error{}",
            if errors == 1 { "" } else { "s" }
        ));
    }
    if warnings > 0 {
        counts.push(format!(
            "{warnings} warning{}",
            if warnings == 1 { "" } else { "s" }
        ));
    }
    let file = crate::clean::for_terminal(file);
    let line = format!("── {file} ({})", counts.join(", "));
    if colour {
        format!("\x1b[1m{line}\x1b[0m")
    } else {
        line
    }
}

fn render_one(renderer: &Renderer, d: &Diagnostic, source: Option<&str>) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level
        .primary_title(format!(
            "{}: {}",
            crate::clean::for_terminal(&d.location()),
            crate::clean::for_terminal(&d.message)
        ))
        .id(d.code.as_str());
    let file = crate::clean::for_terminal(&d.file);
    let span = source.and_then(|s| Some((s, span_at(s, d.line?, d.column.unwrap_or(1))?)));
    let group: Group = match span {
        Some((s, span)) => title.element(
            Snippet::source(s)
                .path(file.as_ref())
                .annotation(AnnotationKind::Primary.span(span)),
        ),
        None => Group::with_title(title),
    };
    renderer.render(&[group])
}

/// The byte range of the value that starts at `line`:`column` (1-based,
/// the column in characters): a quoted string, a `{…}`/`[…]` collection,
/// a key up to its colon, or a plain value up to a comment or the end of
/// the line. At least one character, so that there is something to mark.
pub fn span_at(source: &str, line: usize, column: usize) -> Option<Range<usize>> {
    let line_start = if line <= 1 {
        0
    } else {
        let mut seen = 1;
        let mut at = None;
        for (i, b) in source.bytes().enumerate() {
            if b == b'\n' {
                seen += 1;
                if seen == line {
                    at = Some(i + 1);
                    break;
                }
            }
        }
        at?
    };
    let rest = &source[line_start..];
    let text = rest.split('\n').next().unwrap_or("");
    let text = text.strip_suffix('\r').unwrap_or(text);
    let col = text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(text.len());
    let tail = &text[col..];
    let len = token_len(tail, &text[..col]);
    let start = line_start + col;
    if len == 0 {
        // An empty line or a value that is missing: mark the place itself.
        let next = text[col..].chars().next().map_or(0, char::len_utf8);
        return Some(start..start + next);
    }
    Some(start..start + len)
}

fn token_len(tail: &str, before: &str) -> usize {
    let mut chars = tail.char_indices();
    let Some((_, first)) = chars.next() else {
        return 0;
    };
    match first {
        '"' | '\'' => {
            let mut escaped = false;
            for (i, c) in chars {
                if first == '"' && c == '\\' && !escaped {
                    escaped = true;
                    continue;
                }
                if c == first && !escaped {
                    return i + c.len_utf8();
                }
                escaped = false;
            }
            tail.trim_end().len()
        }
        '{' | '[' => {
            let close = if first == '{' { '}' } else { ']' };
            let mut depth = 0;
            for (i, c) in tail.char_indices() {
                if c == first {
                    depth += 1;
                } else if c == close {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
            }
            tail.trim_end().len()
        }
        _ => {
            // Inside a flow collection a plain value ends at `,`, `}` or `]`.
            let in_flow = before.contains('{') || before.contains('[');
            let mut end = tail.len();
            let bytes = tail.as_bytes();
            for (i, c) in tail.char_indices() {
                let next_is_space = bytes.get(i + 1).is_none_or(|b| *b == b' ' || *b == b'\t');
                if (c == ':' && next_is_space)
                    || (c == '#' && i > 0 && bytes[i - 1] == b' ')
                    || (in_flow && matches!(c, ',' | '}' | ']'))
                {
                    end = i;
                    break;
                }
            }
            tail[..end].trim_end().len()
        }
    }
}

/// The diagnostics of a check for people, ending with the summary line.
pub fn check_text(root: &Path, diags: &Diagnostics, colour: bool) -> String {
    let mut out = render(root, &diags.0, colour);
    out.push_str(&crate::site::summary_line(diags));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::yaml::Pos;

    fn marked(source: &str, line: usize, column: usize) -> &str {
        let r = span_at(source, line, column).expect("a span");
        &source[r]
    }

    #[test]
    fn spans_cover_the_value() {
        let src = "values:\n  dossiers_total: \"1.045\" # x\n  b: 1.517\n  c: {value: có, evidence: \"a\"}\n  đ: x\n";
        assert_eq!(marked(src, 2, 19), "\"1.045\"");
        assert_eq!(marked(src, 2, 3), "dossiers_total");
        assert_eq!(marked(src, 3, 6), "1.517");
        assert_eq!(marked(src, 4, 6), "{value: có, evidence: \"a\"}");
        assert_eq!(marked(src, 4, 14), "có");
        assert_eq!(marked(src, 5, 6), "x");
        assert_eq!(marked(src, 1, 1), "values");
        assert!(span_at(src, 99, 1).is_none());
    }

    #[test]
    fn first_line_is_the_one_line_form_and_the_value_is_underlined() {
        let tmp = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(tmp.path().join("data")).expect("mkdir");
        std::fs::write(
            tmp.path().join("data/r.yaml"),
            "values:\n  dossiers_total: \"1.045\"\n",
        )
        .expect("write");
        let d = Diagnostic::new(
            Code::WrongType,
            "data/r.yaml",
            Some(Pos {
                line: 2,
                column: 19,
            }),
            "dossiers_total must be a whole number",
        );
        let text = render(tmp.path(), std::slice::from_ref(&d), false);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("── data/r.yaml (1 error)"), "{text}");
        assert_eq!(lines[1], d.to_string(), "{text}");
        assert!(text.contains("dossiers_total: \"1.045\""), "{text}");
        assert!(text.contains("^^^^^^^"), "{text}");
        assert!(!text.contains('\x1b'), "no colours off a terminal: {text}");
    }
}
