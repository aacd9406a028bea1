//! `minhbach new`: the files staff fill in for a new reporting cycle
//! (`new year`) or a new agency (`new agency`). Nothing existing is ever
//! overwritten; `data/agencies.yaml` is edited as text, so its comments,
//! blank lines and order stay as they were.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostics;
use crate::input::{Indicator, Input, Kind, Report, Val};
use crate::yaml::{self, Value};
use crate::{load, validate};

/// What `new year` did.
#[derive(Debug, Default)]
pub struct NewYear {
    /// Relative paths of the files written.
    pub created: Vec<String>,
    /// Relative paths of the reports that were already there.
    pub kept: Vec<String>,
    /// Whether site.yaml lists the years to publish without this one.
    pub unlisted: bool,
}

/// Why a `new` command could not do its work.
#[derive(Debug)]
pub enum NewError {
    /// Wrong usage: a bad id, year or cohort.
    Usage(String),
    /// The site's data has errors that must be fixed first.
    Data(Diagnostics),
    Io(String),
}

impl std::fmt::Display for NewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NewError::Usage(m) | NewError::Io(m) => f.write_str(m),
            NewError::Data(d) => write!(
                f,
                "the site's data has {} errors; fix them first (minhbach check)",
                d.errors()
            ),
        }
    }
}

fn read_input(root: &Path) -> Result<Input, NewError> {
    let (input, diags) = validate::validate(&load::load(root));
    input.ok_or(NewError::Data(diags))
}

/// Writes `data/reports/<year>/<agency>.yaml` for every agency without one.
pub fn new_year(root: &Path, year: i32) -> Result<NewYear, NewError> {
    if !(2000..=2100).contains(&year) {
        return Err(NewError::Usage(format!(
            "{year} is not a year from 2000 to 2100"
        )));
    }
    let input = read_input(root)?;
    let dir = root.join("data").join("reports").join(year.to_string());
    fs::create_dir_all(&dir).map_err(|e| NewError::Io(format!("{}: {e}", dir.display())))?;
    let mut out = NewYear {
        unlisted: input
            .site
            .years
            .as_ref()
            .is_some_and(|ys| !ys.contains(&year)),
        ..NewYear::default()
    };
    for agency in &input.agencies {
        let rel = format!("data/reports/{year}/{}.yaml", agency.id);
        let exists = ["yaml", "yml"]
            .iter()
            .any(|ext| dir.join(format!("{}.{ext}", agency.id)).exists());
        if exists {
            out.kept.push(rel);
            continue;
        }
        let last = input
            .reports
            .iter()
            .find(|r| r.year == year - 1 && r.agency == agency.id);
        let text = report_template(&input, &agency.id, year, last);
        let path = root.join(&rel);
        // create_new: never overwrite, even a file that appeared meanwhile.
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                use std::io::Write;
                f.write_all(text.as_bytes())
                    .map_err(|e| NewError::Io(format!("{}: {e}", path.display())))?;
                out.created.push(rel);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => out.kept.push(rel),
            Err(e) => return Err(NewError::Io(format!("{}: {e}", path.display()))),
        }
    }
    Ok(out)
}

/// The text of an empty report: every indicator of the catalogue with its
/// Vietnamese label and unit as a comment, and last year's value beside it.
pub fn report_template(input: &Input, agency: &str, year: i32, last: Option<&Report>) -> String {
    let lang = "vi";
    let default = input.site.language.as_str();
    let name = input
        .agencies
        .iter()
        .find(|a| a.id == agency)
        .map(|a| a.name.get(lang, default).to_string())
        .unwrap_or_else(|| agency.to_string());
    let mut t = String::new();
    let _ = writeln!(t, "# {name}: báo cáo chuyển đổi số năm {year}.");
    let _ = writeln!(
        t,
        "# Ghi số liệu sau dấu hai chấm. Để trống nếu không có số liệu (không ghi 0)."
    );
    let _ = writeln!(
        t,
        "# Số đếm viết liền, không dấu chấm: 1517, không viết 1.517. Có/không: ghi có hoặc không."
    );
    match last {
        Some(_) => {
            let _ = writeln!(
                t,
                "# Ghi chú \"năm {}\" bên phải là số liệu năm trước, để đối chiếu.",
                year - 1
            );
        }
        None => {
            let _ = writeln!(t, "# Năm {} cơ quan chưa có báo cáo.", year - 1);
        }
    }
    let _ = writeln!(t, "#");
    let _ = writeln!(t, "# period: {{from: {year}-01-01, to: {year}-12-31}}");
    let _ = writeln!(t, "# source:");
    let _ = writeln!(t, "#   title: \"Báo cáo kết quả chuyển đổi số năm {year}\"");
    let _ = writeln!(
        t,
        "#   reference: \"Báo cáo số .../BC-... ngày .../.../{year}\""
    );
    let _ = writeln!(t, "# score: {{value: , max: , self_assessed: true}}");
    let _ = writeln!(
        t,
        "# rank: {{position: , of: , decision: \"Quyết định số ...\"}}"
    );
    let _ = writeln!(t, "values:");
    let cat = &input.catalog;
    let width = cat
        .indicators
        .iter()
        .map(|i| i.id.chars().count())
        .max()
        .unwrap_or(0)
        + 1;
    for g in &cat.groups {
        let members: Vec<&Indicator> = cat.indicators.iter().filter(|i| i.group == g.id).collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(t, "\n  # --- {}", one_line(g.name.get(lang, default)));
        for i in members {
            let unit = i
                .unit_label
                .as_ref()
                .map(|u| u.get(lang, default).to_string())
                .unwrap_or_else(|| kind_unit(i.kind).to_string());
            let label = one_line(i.name.get(lang, default));
            if unit.is_empty() {
                let _ = writeln!(t, "  # {label}");
            } else {
                let _ = writeln!(t, "  # {label} ({unit})");
            }
            let before = last
                .and_then(|r| r.values.get(&i.id))
                .and_then(|o| o.value.as_ref())
                .map(|v| shown(v, i.kind));
            let key = format!("{}:", i.id);
            match before {
                Some(v) => {
                    let _ = writeln!(
                        t,
                        "  {key:<width$} # năm {}: {v}",
                        year - 1,
                        width = width + 1
                    );
                }
                None => {
                    let _ = writeln!(t, "  {key}");
                }
            }
        }
    }
    let _ = writeln!(t, "\n# notes: |\n#   Ghi chú về số liệu (nếu có).");
    t
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The unit people read, when the catalogue gives none.
fn kind_unit(kind: Kind) -> &'static str {
    match kind {
        Kind::Count => "số lượng",
        Kind::Number => "",
        Kind::Percent => "%",
        Kind::MoneyVnd => "đồng",
        Kind::Flag => "có/không",
        Kind::Text => "văn bản",
    }
}

/// A value as a clerk types it.
fn shown(v: &Val, kind: Kind) -> String {
    match (v, kind) {
        (Val::Flag(true), _) => "có".to_string(),
        (Val::Flag(false), _) => "không".to_string(),
        (Val::Text(s), _) => yaml_quote(&one_line(s)),
        (v, _) => v.plain(),
    }
}

/// A double-quoted YAML string.
pub fn yaml_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What `new agency` adds.
#[derive(Debug, Clone)]
pub struct NewAgency {
    pub id: String,
    pub name: String,
    pub cohort: String,
    pub short: Option<String>,
}

/// Adds an agency at the end of the `agencies:` map of data/agencies.yaml,
/// as text: everything else in the file stays as it was.
pub fn new_agency(root: &Path, a: &NewAgency) -> Result<PathBuf, NewError> {
    if !validate::is_id(&a.id) || a.id.len() > 64 {
        return Err(NewError::Usage(format!(
            "`{}` is not a valid id: use lower-case letters a-z, digits and single `-` or `_` between them, at most 64 characters (e.g. so-noi-vu)",
            a.id
        )));
    }
    if a.name.trim().is_empty() {
        return Err(NewError::Usage("--name must not be empty".to_string()));
    }
    let path = root.join("data").join("agencies.yaml");
    let text =
        fs::read_to_string(&path).map_err(|e| NewError::Io(format!("{}: {e}", path.display())))?;
    let doc = yaml::parse(&text).map_err(|e| {
        NewError::Usage(format!(
            "data/agencies.yaml cannot be read ({}); fix it first",
            e.message
        ))
    })?;
    let Value::Map(top) = &doc.value else {
        return Err(NewError::Usage(
            "data/agencies.yaml is not a map of cohorts and agencies; fix it first".to_string(),
        ));
    };
    let cohorts: Vec<&str> = top
        .iter()
        .find(|(k, _)| k.name == "cohorts")
        .map(|(_, v)| match &v.value {
            Value::Map(m) => m.iter().map(|(k, _)| k.name.as_str()).collect(),
            _ => Vec::new(),
        })
        .unwrap_or_default();
    if !cohorts.contains(&a.cohort.as_str()) {
        return Err(NewError::Usage(format!(
            "cohort `{}` is not defined in data/agencies.yaml; the cohorts are: {}",
            a.cohort,
            cohorts.join(", ")
        )));
    }
    let agencies = top.iter().find(|(k, _)| k.name == "agencies");
    if let Some((_, v)) = agencies {
        if let Value::Map(m) = &v.value {
            if m.iter().any(|(k, _)| k.name == a.id) {
                return Err(NewError::Usage(format!(
                    "agency `{}` is already in data/agencies.yaml",
                    a.id
                )));
            }
        }
    }

    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let new_text = match agencies {
        None => {
            let mut t = text.clone();
            if !t.is_empty() && !t.ends_with('\n') {
                t.push_str(newline);
            }
            t.push_str("agencies:");
            t.push_str(newline);
            t.push_str(&entry(a, "  ", "    ", newline));
            t
        }
        Some((key, v)) => {
            let key_line = key.pos.line; // 1-based
            let entries = match &v.value {
                Value::Map(m) => m.as_slice(),
                Value::Null => &[],
                _ => return Err(NewError::Usage(
                    "`agencies:` in data/agencies.yaml is not a block map; add the agency by hand"
                        .to_string(),
                )),
            };
            // A flow map (`agencies: {…}`) cannot take a block entry.
            if lines
                .get(key_line - 1)
                .is_some_and(|l| l.split('#').next().unwrap_or("").contains('{'))
            {
                return Err(NewError::Usage(
                    "`agencies:` in data/agencies.yaml is written on one line; add the agency by hand"
                        .to_string(),
                ));
            }
            let (indent, inner) = match entries.first() {
                Some((k, v)) => {
                    let indent = " ".repeat(k.pos.column.saturating_sub(1));
                    let inner = match &v.value {
                        // Fields on lines of their own give the indentation;
                        // a one-line entry (`id: {name: …}`) does not.
                        Value::Map(m) => m
                            .first()
                            .filter(|(f, _)| f.pos.line > k.pos.line)
                            .map(|(f, _)| " ".repeat(f.pos.column.saturating_sub(1)))
                            .unwrap_or_else(|| format!("{indent}  ")),
                        _ => format!("{indent}  "),
                    };
                    (indent, inner)
                }
                None => ("  ".to_string(), "    ".to_string()),
            };
            // The entry goes after the block's last content line.
            let last = block_last_line(&lines, key_line);
            let mut t: String = lines[..=last].concat();
            if !t.ends_with('\n') {
                t.push_str(newline);
            }
            t.push_str(&entry(a, &indent, &inner, newline));
            t.push_str(&lines[last + 1..].concat());
            t
        }
    };

    // The file must still read, with the new agency in it.
    let check = yaml::parse(&new_text).ok().is_some_and(|d| match &d.value {
        Value::Map(top) => top.iter().any(|(k, v)| {
            k.name == "agencies"
                && matches!(&v.value, Value::Map(m) if m.iter().any(|(k, _)| k.name == a.id))
        }),
        _ => false,
    });
    if !check {
        return Err(NewError::Usage(
            "data/agencies.yaml has a layout this command cannot extend safely; add the agency by hand"
                .to_string(),
        ));
    }
    fs::write(&path, new_text).map_err(|e| NewError::Io(format!("{}: {e}", path.display())))?;
    Ok(path)
}

/// The last content line (0-based index into `lines`) of the block of the
/// top-level key on line `key_line` (1-based). The block ends before the
/// next line at column 1 that is not a comment or blank; comments and
/// blank lines after its last content line are not part of it. Used to add
/// entries to a block map as text (`new agency`, `import --force`).
pub fn block_last_line(lines: &[&str], key_line: usize) -> usize {
    let mut end = lines.len();
    for (i, l) in lines.iter().enumerate().skip(key_line) {
        let starts = l.chars().next();
        if matches!(starts, Some(c) if !c.is_whitespace() && c != '#') {
            end = i;
            break;
        }
    }
    let mut last = key_line - 1;
    for (i, l) in lines.iter().enumerate().take(end).skip(key_line) {
        let t = l.trim();
        if !t.is_empty() && !t.starts_with('#') {
            last = i;
        }
    }
    last
}

fn entry(a: &NewAgency, indent: &str, inner: &str, nl: &str) -> String {
    let mut t = format!("{indent}{}:{nl}", a.id);
    t.push_str(&format!("{inner}name: {}{nl}", yaml_quote(a.name.trim())));
    if let Some(s) = &a.short {
        t.push_str(&format!("{inner}short: {}{nl}", yaml_quote(s.trim())));
    }
    t.push_str(&format!("{inner}cohort: {}{nl}", a.cohort));
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(agencies: &str) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().expect("tempdir");
        fs::create_dir_all(tmp.path().join("data")).expect("mkdir");
        fs::write(
            tmp.path().join("site.yaml"),
            "title: T\nbase_url: /\npublisher: {name: P}\n",
        )
        .expect("write");
        fs::write(tmp.path().join("data/agencies.yaml"), agencies).expect("write");
        tmp
    }

    const REGISTRY: &str = "# Registry\ncohorts:\n  so: {vi: \"Sở\"}\n  huyen: \"Huyện\"\n\nagencies:\n  # first\n  so-a:\n    name: \"Sở A\"\n    cohort: so\n\n  # the last one\n  so-b:\n    name: \"Sở B\" # B\n    cohort: so\n\n# trailing comment\n";

    #[test]
    fn new_agency_keeps_comments_and_order() {
        let tmp = site(REGISTRY);
        let a = NewAgency {
            id: "huyen-c".into(),
            name: "UBND huyện \"C\"".into(),
            cohort: "huyen".into(),
            short: None,
        };
        new_agency(tmp.path(), &a).expect("added");
        let text = fs::read_to_string(tmp.path().join("data/agencies.yaml")).expect("read");
        assert_eq!(
            text,
            REGISTRY.replace(
                "    cohort: so\n\n# trailing",
                "    cohort: so\n  huyen-c:\n    name: \"UBND huyện \\\"C\\\"\"\n    cohort: huyen\n\n# trailing"
            )
        );
        // Twice is refused; so are bad ids and unknown cohorts.
        assert!(matches!(
            new_agency(tmp.path(), &a),
            Err(NewError::Usage(_))
        ));
        let bad = NewAgency {
            id: "Sở A".into(),
            ..a.clone()
        };
        assert!(matches!(
            new_agency(tmp.path(), &bad),
            Err(NewError::Usage(_))
        ));
        let bad = NewAgency {
            id: "xa-d".into(),
            cohort: "xa".into(),
            ..a
        };
        let e = new_agency(tmp.path(), &bad).expect_err("unknown cohort");
        assert!(e.to_string().contains("so, huyen"), "{e}");
    }

    #[test]
    fn new_agency_into_an_empty_map() {
        let tmp = site("cohorts:\n  so: \"Sở\"\nagencies:\n");
        let a = NewAgency {
            id: "so-a".into(),
            name: "Sở A".into(),
            cohort: "so".into(),
            short: Some("SA".into()),
        };
        new_agency(tmp.path(), &a).expect("added");
        let text = fs::read_to_string(tmp.path().join("data/agencies.yaml")).expect("read");
        assert_eq!(
            text,
            "cohorts:\n  so: \"Sở\"\nagencies:\n  so-a:\n    name: \"Sở A\"\n    short: \"SA\"\n    cohort: so\n"
        );
    }
}
