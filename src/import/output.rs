//! What `import` writes and prints: the report YAML, the text output for
//! people (a summary line per file and a table at the end of a batch) and
//! the JSON array of IMPORT.md.

use std::fmt::Write as _;

use serde_json::{json, Map, Value as Json};

use crate::diag::{Diagnostic, Severity};
use crate::input::Val;
use crate::scaffold::yaml_quote;

use super::matching::Imported;
use super::FileResult;

/// One line of text for a YAML comment: no line breaks, no control
/// characters, at most 100 characters.
fn comment_text(s: &str) -> String {
    let one: String = crate::clean::for_terminal(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if one.chars().count() > 100 {
        format!("{}…", one.chars().take(99).collect::<String>())
    } else {
        one
    }
}

fn yaml_value(v: &Val) -> String {
    match v {
        Val::Num(n) => n.plain(),
        Val::Flag(true) => "có".to_string(),
        Val::Flag(false) => "không".to_string(),
        Val::Text(s) => yaml_quote(s),
    }
}

/// `staff_total: 25` or `has_cio: {value: có, evidence: "…", note: "…"}`.
pub fn entry_text(v: &Imported, note: Option<&str>) -> String {
    let value = yaml_value(&v.val);
    if v.evidence.is_none() && note.is_none() {
        return format!("{}: {value}", v.indicator);
    }
    let mut t = format!("{}: {{value: {value}", v.indicator);
    if let Some(e) = &v.evidence {
        let _ = write!(t, ", evidence: {}", yaml_quote(e));
    }
    if let Some(n) = note {
        let _ = write!(t, ", note: {}", yaml_quote(n));
    }
    t.push('}');
    t
}

/// `# dòng 7, I.1.2: Tổng số cán bộ (ô ghi "09 mắt")`: where the value
/// came from, for the people who check the file.
pub fn entry_comment(v: &Imported) -> String {
    let mut t = format!("# dòng {}", v.row);
    if let Some(c) = &v.code {
        let _ = write!(t, ", {}", comment_text(c));
    }
    if !v.label.is_empty() {
        let _ = write!(t, ": {}", comment_text(&v.label));
    }
    if v.unit.is_some() {
        let _ = write!(t, " (ô ghi \"{}\")", comment_text(&v.cell));
    }
    t
}

/// A new report with the imported values.
pub fn new_report(
    agency: &str,
    year: i32,
    file_name: &str,
    form: &str,
    values: &[Imported],
) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# Nhập bằng `minhbach import` từ {} (mẫu {form}); \"dòng\" là dòng trong bảng tính.",
        comment_text(file_name)
    );
    let _ = writeln!(t, "agency: {agency}");
    let _ = writeln!(t, "year: {year}");
    if values.is_empty() {
        let _ = writeln!(t, "values: {{}}");
        return t;
    }
    let _ = writeln!(t, "values:");
    for v in values {
        let _ = writeln!(t, "  {}", entry_comment(v));
        let _ = writeln!(t, "  {}", entry_text(v, None));
    }
    t
}

fn diag_json(d: &Diagnostic, in_sheet: bool) -> Json {
    let mut m = Map::new();
    m.insert("severity".into(), json!(d.severity));
    m.insert("code".into(), json!(d.code.as_str()));
    m.insert("message".into(), json!(d.message));
    m.insert("file".into(), json!(d.file));
    if in_sheet {
        m.insert("row".into(), json!(d.line));
    } else {
        m.insert("line".into(), json!(d.line));
    }
    m.insert("column".into(), json!(d.column));
    m.insert("agency".into(), json!(d.agency));
    m.insert("year".into(), json!(d.year));
    m.insert("indicator".into(), json!(d.indicator));
    Json::Object(m)
}

/// The JSON array of IMPORT.md: an element per file.
pub fn json(results: &[FileResult]) -> String {
    let items: Vec<Json> = results
        .iter()
        .map(|r| {
            let mut values = Map::new();
            let mut evidence = Map::new();
            for v in &r.values {
                values.insert(v.indicator.clone(), json!(v.val));
                if let Some(e) = &v.evidence {
                    evidence.insert(v.indicator.clone(), json!(e));
                }
            }
            let problems: Vec<Json> = r
                .problems
                .iter()
                .map(|d| diag_json(d, true))
                .chain(r.site_problems.iter().map(|d| diag_json(d, false)))
                .collect();
            json!({
                "file": r.file,
                "agency": r.agency,
                "year": r.year,
                "form": r.form,
                "written": r.written,
                "report_file": r.report_file,
                "values": values,
                "evidence": evidence,
                "notes": r.notes,
                "problems": problems,
            })
        })
        .collect();
    serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_string())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The one-line summary of a file.
pub fn summary(r: &FileResult, strict: bool) -> String {
    let errors = r.errors();
    let warnings = r.warnings();
    let status = if r.failed(strict) {
        "failed  "
    } else if warnings > 0 {
        "warnings"
    } else {
        "ok      "
    };
    let mut t = format!("{status} {}", r.file);
    if let Some(a) = &r.agency {
        let _ = write!(t, " → {a} {}", r.year);
    }
    let _ = write!(t, ": {}", plural(r.values.len(), "value", "values"));
    if errors > 0 {
        let _ = write!(t, ", {}", plural(errors, "error", "errors"));
    }
    if warnings > 0 {
        let _ = write!(t, ", {}", plural(warnings, "warning", "warnings"));
    }
    match (&r.report_file, r.written) {
        (Some(f), true) => {
            let found = r.site_problems.len();
            let _ = match found {
                0 => write!(t, "; wrote {f}, checked: no problems"),
                n => write!(
                    t,
                    "; wrote {f}, checked: {}",
                    plural(n, "problem", "problems")
                ),
            };
        }
        (Some(f), false) if !r.failed(strict) => {
            let _ = write!(t, "; would write {f} (dry run: add --write)");
        }
        _ => {
            let _ = write!(t, "; nothing written");
        }
    }
    t
}

/// The table at the end of a batch.
pub fn totals(results: &[FileResult], strict: bool) -> String {
    let failed = results.iter().filter(|r| r.failed(strict)).count();
    let warned = results
        .iter()
        .filter(|r| !r.failed(strict) && r.warnings() > 0)
        .count();
    let clean = results.len() - failed - warned;
    let mut t = String::new();
    let _ = writeln!(t, "{:<22}{:>6}", "files", results.len());
    let _ = writeln!(t, "{:<22}{:>6}", "imported", clean);
    let _ = writeln!(t, "{:<22}{:>6}", "imported, warnings", warned);
    let _ = writeln!(t, "{:<22}{:>6}", "failed", failed);
    t
}

/// Every problem and note of a file, one line each, for stderr.
pub fn problems_text(r: &FileResult) -> String {
    let mut t = String::new();
    for d in r.problems.iter().chain(&r.site_problems) {
        let _ = writeln!(t, "{d}");
    }
    for n in &r.notes {
        let _ = writeln!(t, "note: {}: {n}", r.file);
    }
    t
}

/// The text output: with a dry run, each report on `out` (a `#` line
/// naming the file first); on `err`, each file's problems and notes, its
/// summary line and, for a batch, the totals.
pub fn print_text(
    results: &[FileResult],
    opts: &super::Options,
    out: &mut dyn std::io::Write,
    err: &mut dyn std::io::Write,
) {
    for r in results {
        if !opts.write && !r.failed(opts.strict) {
            if let (Some(f), Some(text)) = (&r.report_file, &r.report_text) {
                let _ = writeln!(out, "# ==> {f} (from {}) <==", r.file);
                let _ = write!(out, "{text}");
                let _ = out.flush();
            }
        }
        let _ = write!(err, "{}", problems_text(r));
        let _ = writeln!(err, "{}", summary(r, opts.strict));
    }
    if results.len() > 1 {
        let _ = write!(err, "{}", totals(results, opts.strict));
    }
}

/// Whether a diagnostic counts against a file.
pub fn counts(d: &Diagnostic, strict: bool) -> bool {
    d.severity == Severity::Error || strict
}
