//! Import form files, `data/forms/<id>.yaml` (IMPORT.md section 2): which column
//! holds what, which table row gives which indicator, which rows carry no
//! indicator (`ignore`) and which are never read (`private`). A form file
//! is input like any other: every problem is a diagnostic with its file,
//! line and column, reported by `check` and `build` too.

use std::collections::BTreeMap;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::input::{Catalog, Kind};
use crate::load::{FileKind, Loaded, SourceFile};
use crate::yaml::{self, Node, Pos, Value};

/// The Phụ lục 01 form, built in; a site form with the same id replaces it.
pub const BUILTIN_ID: &str = "phu-luc-01";
const BUILTIN: &str = include_str!("../../assets/forms/phu-luc-01.yaml");

/// The scales a money row may give: thousand, million, billion đồng.
const SCALES: &[i64] = &[1_000, 1_000_000, 1_000_000_000];

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub id: String,
    /// The form file relative to the site root, or `(built-in)`.
    pub file: String,
    pub name: Option<String>,
    pub sheet: Option<String>,
    pub header: Header,
    pub rows: Vec<FormRow>,
    pub ignore: Vec<Selector>,
    pub private: Vec<Selector>,
}

/// The column titles.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Header {
    pub code: String,
    pub label: String,
    pub value: String,
    pub evidence: Vec<String>,
    /// Optional: a column with the unit of each row (`tỷ đồng`).
    pub unit: Option<String>,
}

/// Which table row(s) a form entry means.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Selector {
    pub code: Option<String>,
    pub under: Option<String>,
    pub label: Option<String>,
    pub pos: Pos,
}

impl Selector {
    /// `code I.1.2`, `label "…" under I.1.2`: for messages.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(c) = &self.code {
            parts.push(format!("code {c}"));
        }
        if let Some(l) = &self.label {
            parts.push(format!("label \"{l}\""));
        }
        if let Some(u) = &self.under {
            parts.push(format!("under {u}"));
        }
        parts.join(" ")
    }

    fn key(&self) -> SelectorKey {
        (
            self.code.as_deref().map(normal_code),
            self.under.as_deref().map(normal_code),
            self.label.as_deref().map(crate::text::fold_label),
        )
    }
}

/// A selector as compared for duplicates: code, under, folded label.
type SelectorKey = (Option<String>, Option<String>, Option<String>);

#[derive(Debug, Clone, PartialEq)]
pub struct FormRow {
    pub select: Selector,
    pub indicator: String,
    pub kind: Kind,
    pub scale: Option<i64>,
}

/// A code as compared: trimmed, no trailing dot, lower case.
pub fn normal_code(c: &str) -> String {
    c.trim().trim_end_matches(['.', ')']).to_lowercase()
}

/// The built-in Phụ lục 01 form, checked against `catalog`.
pub fn builtin(catalog: &Catalog) -> (Option<Form>, Diagnostics) {
    parse(BUILTIN_ID, "(built-in phu-luc-01)", BUILTIN, catalog)
}

/// The text of the built-in form, for people who want to start from it.
pub fn builtin_text() -> &'static str {
    BUILTIN
}

/// Every form of `data/forms/` (`.yaml`, `.yml`) that `loaded` holds,
/// sorted by id, with the diagnostics of their files. A form with errors
/// is `None` in its slot.
pub fn site_forms(
    loaded: &Loaded,
    catalog: &Catalog,
) -> (Vec<(String, Option<Form>)>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut out = Vec::new();
    let mut files: Vec<&SourceFile> = loaded
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Form)
        .collect();
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for f in files {
        let rel = f.rel.as_str();
        let name = rel.strip_prefix("data/forms/").unwrap_or(rel);
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s).to_string();
        if let Some(first) = seen.get(&stem) {
            diags.push(Diagnostic::new(
                Code::DuplicateFormRow,
                rel,
                None,
                format!("the form `{stem}` is also {first}; keep one file per form"),
            ));
            continue;
        }
        seen.insert(stem.clone(), rel.to_string());
        if !super::is_id(&stem) || stem.len() > 64 {
            diags.push(Diagnostic::new(
                Code::InvalidId,
                rel,
                None,
                format!("the form id `{stem}` (the file name) must be lower-case letters a-z, digits and single `-` or `_` between them, e.g. phu-luc-01"),
            ));
            continue;
        }
        let (form, d) = from_doc(&stem, rel, &f.doc, catalog);
        diags.extend(d);
        out.push((stem, form));
    }
    (out, diags)
}

/// Parses and checks one form file. `None` when it has errors.
pub fn parse(id: &str, file: &str, src: &str, catalog: &Catalog) -> (Option<Form>, Diagnostics) {
    from_doc(id, file, &yaml::parse(src), catalog)
}

/// Checks one parsed form file. `None` when it has errors.
fn from_doc(
    id: &str,
    file: &str,
    doc: &Result<Node, yaml::YamlError>,
    catalog: &Catalog,
) -> (Option<Form>, Diagnostics) {
    let mut p = Parser {
        file,
        catalog,
        diags: Diagnostics::default(),
    };
    let form = match doc {
        Ok(doc) => p.form(id, doc),
        Err(e) => {
            p.diags.push(Diagnostic::new(
                Code::YamlSyntax,
                file,
                e.pos,
                format!("{}; the form file is not valid YAML", e.message),
            ));
            None
        }
    };
    let ok = p.diags.errors() == 0;
    (form.filter(|_| ok), p.diags)
}

struct Parser<'a> {
    file: &'a str,
    catalog: &'a Catalog,
    diags: Diagnostics,
}

impl Parser<'_> {
    fn push(&mut self, code: Code, pos: Pos, msg: impl Into<String>) {
        self.diags
            .push(Diagnostic::new(code, self.file, Some(pos), msg));
    }

    /// The entries of a map, with unknown keys reported.
    fn map<'n>(
        &mut self,
        node: &'n Node,
        what: &str,
        known: &[&str],
    ) -> Option<&'n [(yaml::Key, Node)]> {
        let Value::Map(entries) = &node.value else {
            self.push(
                Code::WrongType,
                node.pos,
                format!(
                    "{what} must be a map of `key: value`, found {}",
                    node.kind_name()
                ),
            );
            return None;
        };
        for (k, _) in entries {
            if !known.contains(&k.name.as_str()) {
                let hint = super::suggest(&k.name, known.iter().copied());
                self.push(
                    Code::UnknownField,
                    k.pos,
                    format!(
                        "{what} has no field `{}`{hint}; the fields are: {}",
                        k.name,
                        known.join(", ")
                    ),
                );
            }
        }
        Some(entries)
    }

    fn text(&mut self, node: &Node, what: &str) -> Option<String> {
        let s = match &node.value {
            Value::Str(s) => s.clone(),
            Value::Int(_) | Value::Float(_) => node.raw.clone(),
            _ => {
                self.push(
                    Code::WrongType,
                    node.pos,
                    format!("{what} must be text, found {}", node.kind_name()),
                );
                return None;
            }
        };
        if s.trim().is_empty() {
            self.push(
                Code::MissingField,
                node.pos,
                format!("{what} must not be empty"),
            );
            return None;
        }
        Some(s)
    }

    fn form(&mut self, id: &str, doc: &Node) -> Option<Form> {
        if doc.is_null() {
            self.push(
                Code::MissingField,
                doc.pos,
                "the form file is empty; it needs at least `header` and `rows`",
            );
            return None;
        }
        let top = self.map(
            doc,
            "a form",
            &["name", "sheet", "header", "rows", "ignore", "private"],
        )?;
        let get = |k: &str| top.iter().find(|(key, _)| key.name == k).map(|(_, v)| v);
        let name = get("name").and_then(|n| self.name(n));
        let sheet = get("sheet").and_then(|n| self.text(n, "`sheet`"));
        let header = match get("header") {
            Some(h) => self.header(h),
            None => {
                self.push(
                    Code::MissingField,
                    doc.pos,
                    "the form needs a `header` with the titles of its `code`, `label` and `value` columns",
                );
                None
            }
        };
        let rows = match get("rows") {
            Some(r) => self.list(r, "`rows`", true),
            None => {
                self.push(
                    Code::MissingField,
                    doc.pos,
                    "the form needs `rows`: which table row gives which indicator",
                );
                Vec::new()
            }
        };
        let ignore = get("ignore")
            .map(|n| self.list(n, "`ignore`", false))
            .unwrap_or_default();
        let private = get("private")
            .map(|n| self.list(n, "`private`", false))
            .unwrap_or_default();
        let rows: Vec<FormRow> = rows
            .into_iter()
            .filter_map(|(s, r)| r.map(|r| FormRow { select: s, ..r }))
            .collect();
        let ignore: Vec<Selector> = ignore.into_iter().map(|(s, _)| s).collect();
        let private: Vec<Selector> = private.into_iter().map(|(s, _)| s).collect();
        self.duplicates(&rows, &ignore, &private);
        Some(Form {
            id: id.to_string(),
            file: self.file.to_string(),
            name,
            sheet,
            header: header?,
            rows,
            ignore,
            private,
        })
    }

    fn name(&mut self, node: &Node) -> Option<String> {
        match &node.value {
            Value::Map(m) => {
                let first = m.iter().find(|(k, _)| k.name == "vi").or_else(|| m.first());
                first.and_then(|(_, v)| self.text(v, "`name`"))
            }
            _ => self.text(node, "`name`"),
        }
    }

    fn header(&mut self, node: &Node) -> Option<Header> {
        let entries = self.map(
            node,
            "`header`",
            &["code", "label", "value", "evidence", "unit"],
        )?;
        let mut h = Header::default();
        let mut ok = true;
        for field in ["code", "label", "value"] {
            match entries.iter().find(|(k, _)| k.name == field) {
                Some((_, v)) => match self.text(v, &format!("`header.{field}`")) {
                    Some(t) => match field {
                        "code" => h.code = t,
                        "label" => h.label = t,
                        _ => h.value = t,
                    },
                    None => ok = false,
                },
                None => {
                    self.push(
                        Code::MissingField,
                        node.pos,
                        format!("`header` needs `{field}`: the title of that column as the form prints it"),
                    );
                    ok = false;
                }
            }
        }
        if let Some((_, v)) = entries.iter().find(|(k, _)| k.name == "evidence") {
            match &v.value {
                Value::Seq(items) => {
                    for i in items {
                        if let Some(t) = self.text(i, "`header.evidence`") {
                            h.evidence.push(t);
                        }
                    }
                }
                Value::Null => {}
                _ => {
                    if let Some(t) = self.text(v, "`header.evidence`") {
                        h.evidence.push(t);
                    }
                }
            }
        }
        if let Some((_, v)) = entries.iter().find(|(k, _)| k.name == "unit") {
            h.unit = self.text(v, "`header.unit`");
        }
        ok.then_some(h)
    }

    /// A list of selectors; with `indicators`, each names an indicator.
    fn list(
        &mut self,
        node: &Node,
        what: &str,
        indicators: bool,
    ) -> Vec<(Selector, Option<FormRow>)> {
        let items = match &node.value {
            Value::Seq(items) => items.as_slice(),
            Value::Null => return Vec::new(),
            _ => {
                self.push(
                    Code::WrongType,
                    node.pos,
                    format!(
                        "{what} must be a list of `- {{code: …}}` entries, found {}",
                        node.kind_name()
                    ),
                );
                return Vec::new();
            }
        };
        let known: &[&str] = if indicators {
            &["code", "under", "label", "indicator", "scale"]
        } else {
            &["code", "under", "label"]
        };
        let mut out = Vec::new();
        for item in items {
            let Some(entries) = self.map(item, &format!("an entry of {what}"), known) else {
                continue;
            };
            let get = |k: &str| {
                entries
                    .iter()
                    .find(|(key, _)| key.name == k)
                    .map(|(_, v)| v)
            };
            let mut sel = Selector {
                pos: item.pos,
                ..Selector::default()
            };
            sel.code = get("code").and_then(|n| self.text(n, "`code`"));
            sel.under = get("under").and_then(|n| self.text(n, "`under`"));
            sel.label = get("label").and_then(|n| self.text(n, "`label`"));
            if sel.code.is_none() && sel.label.is_none() {
                self.push(
                    Code::MissingField,
                    item.pos,
                    format!("an entry of {what} needs `code` (the STT of the row, e.g. \"II.6.2.a\") or `label` (the start of its text)"),
                );
                continue;
            }
            if sel.under.is_some() && sel.label.is_none() {
                self.push(
                    Code::MissingField,
                    item.pos,
                    "`under` picks among the rows without STT below a coded row: give their `label` too",
                );
                continue;
            }
            if sel.under.is_some() && sel.code.is_some() {
                self.push(
                    Code::WrongType,
                    item.pos,
                    "give either `code` or `under` with `label`, not both",
                );
                continue;
            }
            if !indicators {
                out.push((sel, None));
                continue;
            }
            let Some(ind_node) = get("indicator") else {
                self.push(
                    Code::MissingField,
                    item.pos,
                    "an entry of `rows` needs `indicator`: the indicator id this row gives (or move the row to `ignore`)",
                );
                continue;
            };
            let Some(ind_id) = self.text(ind_node, "`indicator`") else {
                continue;
            };
            let Some(ind) = self.catalog.indicator(&ind_id) else {
                let hint = super::suggest(
                    &ind_id,
                    self.catalog.indicators.iter().map(|i| i.id.as_str()),
                );
                self.push(
                    Code::UnknownIndicator,
                    ind_node.pos,
                    format!("no indicator `{ind_id}` in the catalogue{hint}; add it to data/indicators.yaml or fix the id"),
                );
                continue;
            };
            let kind = ind.kind;
            let scale = match get("scale") {
                None => None,
                Some(n) => {
                    match n.value {
                        Value::Int(s) if SCALES.contains(&s) && kind == Kind::MoneyVnd => Some(s),
                        Value::Int(_) if kind != Kind::MoneyVnd => {
                            self.push(
                            Code::WrongType,
                            n.pos,
                            format!("`scale` converts money to đồng, but {ind_id} is a {} indicator", kind.as_str()),
                        );
                            continue;
                        }
                        _ => {
                            self.push(
                            Code::OutOfRange,
                            n.pos,
                            format!(
                                "`scale` must be 1000 (nghìn đồng), 1000000 (triệu đồng) or 1000000000 (tỷ đồng), found {}",
                                n.shown()
                            ),
                        );
                            continue;
                        }
                    }
                }
            };
            out.push((
                sel.clone(),
                Some(FormRow {
                    select: sel,
                    indicator: ind_id,
                    kind,
                    scale,
                }),
            ));
        }
        out
    }

    fn duplicates(&mut self, rows: &[FormRow], ignore: &[Selector], private: &[Selector]) {
        let mut seen: BTreeMap<SelectorKey, (&str, Pos)> = BTreeMap::new();
        let all = rows
            .iter()
            .map(|r| (&r.select, "rows"))
            .chain(ignore.iter().map(|s| (s, "ignore")))
            .chain(private.iter().map(|s| (s, "private")));
        let mut found = Vec::new();
        for (sel, list) in all {
            match seen.get(&sel.key()) {
                Some((first, pos)) => found.push((
                    sel.pos,
                    format!(
                        "the row {} is already listed under `{first}` at line {}; list each row once",
                        sel.describe(),
                        pos.line
                    ),
                )),
                None => {
                    seen.insert(sel.key(), (list, sel.pos));
                }
            }
        }
        let mut by_indicator: BTreeMap<&str, Pos> = BTreeMap::new();
        for r in rows {
            match by_indicator.get(r.indicator.as_str()) {
                Some(pos) => found.push((
                    r.select.pos,
                    format!(
                        "{} is already given by the form row at line {}; one row per indicator",
                        r.indicator, pos.line
                    ),
                )),
                None => {
                    by_indicator.insert(&r.indicator, r.select.pos);
                }
            }
        }
        for (pos, msg) in found {
            self.push(Code::DuplicateFormRow, pos, msg);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        crate::validate::core_catalog()
    }

    #[test]
    fn the_builtin_form_is_valid() {
        let (form, diags) = builtin(&catalog());
        assert!(diags.is_empty(), "{diags:?}");
        let form = form.expect("form");
        assert_eq!(form.header.code, "STT");
        assert!(form.rows.iter().any(|r| r.indicator == "staff_trained_dx"));
    }

    #[test]
    fn problems_have_positions() {
        let src = "name: X\nheader: {code: STT, label: Nội dung, value: Số liệu, colour: red}\nrows:\n  - {code: \"I.1\", indicator: staff_totl}\n  - {code: \"I.2\", indicator: has_cio, scale: 1000}\n  - {code: \"I.3\", indicator: has_lan}\n  - {code: \"I.3\", indicator: has_firewall}\n  - {label: \"a\", indicator: has_lan}\n  - {under: \"I.3\", indicator: has_dx_plan}\nignore:\n  - {code: \"I.4\"}\nprivate:\n  - {code: \"I.4\"}\n  - {code: \"I.5\", indicator: staff_total}\n";
        let (form, d) = parse("x", "data/forms/x.yaml", src, &catalog());
        assert!(form.is_none());
        let got: Vec<(String, usize, usize)> =
            d.0.iter()
                .map(|d| {
                    (
                        d.code.as_str().to_string(),
                        d.line.unwrap_or(0),
                        d.column.unwrap_or(0),
                    )
                })
                .collect();
        for want in [
            ("unknown-field", 2, 54),
            ("unknown-indicator", 4, 30),
            ("wrong-type", 5, 46),
            ("duplicate-form-row", 7, 5),
            ("duplicate-form-row", 8, 5),
            ("missing-field", 9, 5),
            ("duplicate-form-row", 13, 5),
            ("unknown-field", 14, 19),
        ] {
            assert!(
                got.contains(&(want.0.to_string(), want.1, want.2)),
                "{want:?} not in {got:?}"
            );
        }
        assert!(
            d.0.iter()
                .any(|d| d.message.contains("did you mean `staff_total`")),
            "{d:?}"
        );
    }
}
