//! `--force`: the imported values replace those of the same indicators in
//! an existing report, edited as text like `minhbach new agency` edits
//! data/agencies.yaml ([`crate::scaffold::block_last_line`]): every other
//! field, value, comment and blank line stays where it was, and a value's
//! `note` and the comment at the end of its line are kept.

use crate::scaffold::block_last_line;
use crate::yaml::{self, Node, Value};

use super::matching::Imported;
use super::output::{entry_comment, entry_text};

/// Where a `#` comment starts in a YAML line (outside quotes), if any.
pub fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && prev.is_whitespace() => return Some(i),
            None => {}
        }
        prev = c;
    }
    None
}

fn note_of(node: &Node) -> Option<String> {
    node.as_map()?
        .iter()
        .find(|(k, _)| k.name == "note")
        .and_then(|(_, v)| v.as_str().map(str::to_string))
}

/// The existing report `text` with `values` merged in.
pub fn merge(text: &str, values: &[Imported]) -> Result<String, String> {
    let doc = yaml::parse(text).map_err(|e| {
        format!(
            "the existing report cannot be read ({}); fix it first (minhbach check)",
            e.message
        )
    })?;
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut base = text.to_string();
    if !base.is_empty() && !base.ends_with('\n') {
        base.push_str(nl);
    }
    let block = |indent: &str, vals: &[&Imported]| -> String {
        let mut t = String::new();
        for v in vals {
            t.push_str(&format!("{indent}{}{nl}", entry_comment(v)));
            t.push_str(&format!("{indent}{}{nl}", entry_text(v, None)));
        }
        t
    };
    let all: Vec<&Imported> = values.iter().collect();
    let top = match &doc.value {
        Value::Null => return Ok(format!("{base}values:{nl}{}", block("  ", &all))),
        Value::Map(m) => m,
        _ => return Err("the existing report is not a map of fields; fix it first".to_string()),
    };
    let lines: Vec<&str> = base.split_inclusive('\n').collect();
    let Some((key, node)) = top.iter().find(|(k, _)| k.name == "values") else {
        return Ok(format!("{base}values:{nl}{}", block("  ", &all)));
    };
    let key_idx = key.pos.line - 1;
    let key_line = lines.get(key_idx).copied().unwrap_or("");
    let after_colon = key_line.find(':').map(|i| &key_line[i + 1..]).unwrap_or("");
    let after_code = &after_colon[..comment_start(after_colon).unwrap_or(after_colon.len())];
    let entries: &[(yaml::Key, Node)] = match &node.value {
        Value::Null => &[],
        Value::Map(m) if !after_code.contains('{') => m,
        Value::Map(m) if m.is_empty() => &[],
        Value::Map(_) => {
            return Err(
                "`values:` of the existing report is written on one line ({…}); write one value per line, then import again"
                    .to_string(),
            )
        }
        _ => return Err("`values:` of the existing report is not a map; fix it first".to_string()),
    };

    // Replacements of whole lines: (first, last, text), 0-based inclusive.
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let last_of_block = block_last_line(&lines, key.pos.line);
    let mut appended: Vec<&Imported> = Vec::new();
    for v in values {
        let Some(pos) = entries.iter().position(|(k, _)| k.name == v.indicator) else {
            appended.push(v);
            continue;
        };
        let (k, old) = &entries[pos];
        let first = k.pos.line - 1;
        let limit = entries
            .get(pos + 1)
            .map(|(n, _)| n.pos.line - 2)
            .unwrap_or(last_of_block);
        // The entry's last content line; comments and blanks after it stay.
        let mut last = first;
        for (i, l) in lines.iter().enumerate().take(limit + 1).skip(first + 1) {
            let t = l.trim();
            if !t.is_empty() && !t.starts_with('#') {
                last = i;
            }
        }
        let indent = " ".repeat(k.pos.column - 1);
        let mut t = String::new();
        for l in &lines[first + 1..=last] {
            if l.trim_start().starts_with('#') {
                t.push_str(l);
            }
        }
        let line = lines[first].trim_end_matches(['\n', '\r']);
        let tail = if first == last {
            comment_start(line).map(|i| format!(" {}", &line[i..]))
        } else {
            None
        };
        t.push_str(&format!(
            "{indent}{}{}{nl}",
            entry_text(v, note_of(old).as_deref()),
            tail.unwrap_or_default()
        ));
        edits.push((first, last, t));
    }
    let indent = entries
        .first()
        .map(|(k, _)| " ".repeat(k.pos.column - 1))
        .unwrap_or_else(|| "  ".to_string());
    let insert_after = if entries.is_empty() {
        key_idx
    } else {
        last_of_block
    };
    edits.sort_by_key(|e| e.0);

    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        if let Some((_, last, t)) = edits.iter().find(|e| e.0 == i) {
            out.push_str(t);
            i = last + 1;
        } else {
            if i == key_idx && entries.is_empty() {
                // `values:`, `values: {}` or `values: ~`: keep the comment.
                let tail = comment_start(key_line.trim_end_matches(['\n', '\r']))
                    .map(|c| format!(" {}", key_line[c..].trim_end_matches(['\n', '\r'])))
                    .unwrap_or_default();
                let lead = &key_line[..key_line.find(':').map(|c| c + 1).unwrap_or(key_line.len())];
                out.push_str(&format!("{lead}{tail}{nl}"));
            } else {
                out.push_str(lines[i]);
            }
            i += 1;
        }
        if i == insert_after + 1 && !appended.is_empty() {
            out.push_str(&block(&indent, &appended));
            appended.clear();
        }
    }

    // The file must still read, with every imported value in it.
    let check = yaml::parse(&out).ok().is_some_and(|d| {
        d.as_map()
            .and_then(|m| m.iter().find(|(k, _)| k.name == "values"))
            .and_then(|(_, v)| v.as_map().map(|m| m.to_vec()))
            .is_some_and(|m| {
                values
                    .iter()
                    .all(|v| m.iter().any(|(k, _)| k.name == v.indicator))
            })
    });
    if !check {
        return Err(
            "the existing report has a layout the import cannot edit safely; move it aside and import again, or copy the values by hand"
                .to_string(),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Num, Val};

    fn imp(id: &str, v: i64, evidence: Option<&str>) -> Imported {
        Imported {
            indicator: id.into(),
            val: Val::Num(Num::Int(v)),
            evidence: evidence.map(str::to_string),
            unit: None,
            row: 7,
            column: 3,
            code: Some("I.1.2".into()),
            label: "Tổng số".into(),
            cell: v.to_string(),
        }
    }

    #[test]
    fn replaces_values_and_keeps_everything_else() {
        let old = "# Báo cáo của Sở\nsource: {title: \"BC\"} # nguồn\nvalues:\n  # Dịch vụ công\n  dossiers_total: 90 # số cũ\n  dossiers_online:\n    value: 50\n    # xem lại\n    note: \"theo phần mềm\"\n\n  # chữ ký số\n  leaders_total: 9\nnotes: |\n  Ghi chú # not a comment\n";
        let new = merge(
            old,
            &[
                imp("dossiers_total", 93, None),
                imp("dossiers_online", 52, Some("BC 154")),
                imp("staff_total", 25, None),
            ],
        )
        .expect("merged");
        assert_eq!(
            new,
            "# Báo cáo của Sở\nsource: {title: \"BC\"} # nguồn\nvalues:\n  # Dịch vụ công\n  dossiers_total: 93 # số cũ\n    # xem lại\n  dossiers_online: {value: 52, evidence: \"BC 154\", note: \"theo phần mềm\"}\n\n  # chữ ký số\n  leaders_total: 9\n  # dòng 7, I.1.2: Tổng số\n  staff_total: 25\nnotes: |\n  Ghi chú # not a comment\n"
        );
    }

    #[test]
    fn empty_and_missing_values() {
        let new = merge(
            "source: {title: x}\nvalues: {} # none yet\n",
            &[imp("a", 1, None)],
        )
        .expect("merged");
        assert_eq!(
            new,
            "source: {title: x}\nvalues: # none yet\n  # dòng 7, I.1.2: Tổng số\n  a: 1\n"
        );
        let new = merge("source: {title: x}", &[imp("a", 1, None)]).expect("merged");
        assert_eq!(
            new,
            "source: {title: x}\nvalues:\n  # dòng 7, I.1.2: Tổng số\n  a: 1\n"
        );
        assert!(merge("values: {a: 1}\n", &[imp("a", 2, None)]).is_err());
        assert!(merge("values: [\n", &[imp("a", 2, None)]).is_err());
    }

    #[test]
    fn comments_outside_quotes() {
        assert_eq!(comment_start("a: \"x # y\" # z"), Some(11));
        assert_eq!(comment_start("a: x#y"), None);
    }
}
