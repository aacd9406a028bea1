//! Matching the form's rows to the table's (IMPORT.md, "Matching"): every
//! row with a value is imported, ignored on purpose, or reported as
//! `unmapped-row`; `private` rows and everything that belongs to them are
//! never read, and a message about them gives the row number only.

use crate::diag::{Code, Diagnostic};
use crate::input::Val;

use super::table::{fold_label, Row, Table};
use super::value::{self, Read};
use crate::validate::forms::{normal_code, Form, Selector};

/// A value read from the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub indicator: String,
    pub val: Val,
    pub evidence: Option<String>,
    /// The unit word dropped from the cell (`mắt`).
    pub unit: Option<String>,
    /// 1-based sheet row and column of the value cell.
    pub row: usize,
    pub column: usize,
    pub code: Option<String>,
    pub label: String,
    /// The cell as shown.
    pub cell: String,
}

/// What matching found: values, and problems placed in the sheet.
#[derive(Debug, Clone, Default)]
pub struct Matched {
    pub values: Vec<Imported>,
    pub problems: Vec<Diagnostic>,
    /// Unit words dropped, one line each, for the output.
    pub notes: Vec<(usize, usize, String)>,
}

/// `C45`: the column letters and the row.
pub fn cell_name(row: usize, column: usize) -> String {
    let mut letters = String::new();
    let mut c = column;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.insert(0, (b'A' + rem as u8) as char);
        c = (c - 1) / 26;
    }
    format!("{letters}{row}")
}

/// A row or selector as compared: normal code, normal owner (`under`),
/// folded label; computed once, not per comparison.
struct Key {
    code: Option<String>,
    owner: Option<String>,
    label: String,
}

impl Key {
    fn of_row(row: &Row) -> Key {
        Key {
            code: row.code.as_deref().map(normal_code),
            owner: row.owner.as_deref().map(normal_code),
            label: fold_label(&row.label),
        }
    }

    fn of_selector(sel: &Selector) -> Key {
        Key {
            code: sel.code.as_deref().map(normal_code),
            owner: sel.under.as_deref().map(normal_code),
            label: sel.label.as_deref().map(fold_label).unwrap_or_default(),
        }
    }

    /// Whether the selector `self` picks `row`.
    fn picks(&self, row: &Key) -> bool {
        if self.code.is_some() && self.code != row.code {
            return false;
        }
        if self.owner.is_some() && (row.code.is_some() || self.owner != row.owner) {
            return false;
        }
        row.label.starts_with(&self.label)
    }
}

/// Whether `code` is `parent` or below it (`I.6.a` is below `I.6`).
fn within(code: &str, parent: &str) -> bool {
    let (c, p) = (normal_code(code), normal_code(parent));
    c == p || c.starts_with(&format!("{p}."))
}

fn short(s: &str) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 80 {
        let cut: String = one.chars().take(77).collect();
        format!("{cut}…")
    } else {
        one
    }
}

fn row_name(row: &Row) -> String {
    match &row.code {
        Some(c) => format!("row {} ({c})", row.row),
        None => format!("row {}", row.row),
    }
}

/// Matches `form` against `table`. `file` names the spreadsheet in
/// diagnostics, `sheet` its sheet (empty for CSV/TSV).
pub fn apply(form: &Form, table: &Table, file: &str, sheet: &str) -> Matched {
    let rows = &table.rows;
    let cols = &table.columns;
    let keys: Vec<Key> = rows.iter().map(Key::of_row).collect();
    let mut out = Matched::default();
    let at = |code: Code, row: usize, col: usize, msg: String| {
        let place = if sheet.is_empty() {
            format!("cell {}", cell_name(row, col))
        } else {
            format!("sheet \"{sheet}\", cell {}", cell_name(row, col))
        };
        let mut d = Diagnostic::new(code, file, None, format!("{place}: {msg}"));
        d.line = Some(row);
        d.column = Some(col);
        d
    };

    // Private rows, the rows below them and the rows that belong to them.
    let mut private = vec![false; rows.len()];
    let mut private_codes: Vec<String> = Vec::new();
    for sel in &form.private {
        let k = Key::of_selector(sel);
        for (i, r) in rows.iter().enumerate() {
            if k.picks(&keys[i]) {
                private[i] = true;
                if let Some(c) = &r.code {
                    private_codes.push(c.clone());
                }
            }
        }
    }
    for (i, r) in rows.iter().enumerate() {
        let key = r.code.as_ref().or(r.owner.as_ref());
        if key.is_some_and(|k| private_codes.iter().any(|p| within(k, p))) {
            private[i] = true;
        }
    }
    // A row with neither code nor label (a phone number alone in the value
    // column) goes with the row above it: private below a private row.
    for i in 1..rows.len() {
        if private[i - 1] && rows[i].code.is_none() && rows[i].label.is_empty() {
            private[i] = true;
        }
    }
    let private_sheet_rows: Vec<usize> = rows
        .iter()
        .zip(&private)
        .filter(|(_, p)| **p)
        .flat_map(|(r, _)| std::iter::once(r.row).chain(r.continuations.iter().copied()))
        .collect();

    let mut covered = vec![false; rows.len()];
    // The indicator a row gives, when one form row picks it alone.
    let mut given: Vec<Option<&str>> = vec![None; rows.len()];
    for fr in &form.rows {
        let k = Key::of_selector(&fr.select);
        let cands: Vec<usize> = (0..rows.len())
            .filter(|&i| !private[i] && k.picks(&keys[i]))
            .collect();
        match cands.as_slice() {
            [] => {
                let mut d = Diagnostic::new(
                    Code::FormRowMissing,
                    file,
                    None,
                    format!(
                        "no row of the table has {} (the form row for {}, {} line {}): {} is not imported",
                        fr.select.describe(),
                        fr.indicator,
                        form.file,
                        fr.select.pos.line,
                        fr.indicator
                    ),
                );
                d.indicator = Some(fr.indicator.clone());
                out.problems.push(d);
            }
            [i] => {
                covered[*i] = true;
                given[*i] = Some(&fr.indicator);
                let row = &rows[*i];
                let hint = format!("{} {}", row.label, row.unit);
                match value::read(&row.value, fr.kind, fr.scale, &hint) {
                    Ok(Read::NotReported) => {}
                    Ok(Read::Value { val, unit }) => {
                        let cell = value::cell_text(&row.value);
                        if let Some(u) = &unit {
                            out.notes.push((
                                row.row,
                                cols.value + 1,
                                format!(
                                    "{}: \"{cell}\" read as {} {}; the unit word \"{u}\" is left out",
                                    row_name(row),
                                    fr.indicator,
                                    val.plain()
                                ),
                            ));
                        }
                        // A cell formatted as a percentage stores 0.8496 for
                        // 84,96 %; the file does not say which it shows.
                        if let (crate::input::Kind::Percent, super::sheet::Cell::Number(x)) =
                            (fr.kind, &row.value)
                        {
                            if *x > 0.0 && *x < 1.0 {
                                out.notes.push((
                                    row.row,
                                    cols.value + 1,
                                    format!(
                                        "{}: {} is read as {cell} %; if the spreadsheet shows {} %, the cell is formatted as a percentage: type the figure with its % sign",
                                        row_name(row),
                                        fr.indicator,
                                        super::sheet::shown_number(x * 100.0)
                                    ),
                                ));
                            }
                        }
                        let mut texts: Vec<String> = Vec::new();
                        for p in &row.evidence {
                            if private_sheet_rows.contains(&p.row) || p.text.is_empty() {
                                continue;
                            }
                            if texts.last() != Some(&p.text) {
                                texts.push(p.text.clone());
                            }
                        }
                        out.values.push(Imported {
                            indicator: fr.indicator.clone(),
                            val,
                            evidence: (!texts.is_empty()).then(|| texts.join("; ")),
                            unit,
                            row: row.row,
                            column: cols.value + 1,
                            code: row.code.clone(),
                            label: row.label.clone(),
                            cell,
                        });
                    }
                    Err(e) => {
                        let mut d = at(
                            Code::ImportValue,
                            row.row,
                            cols.value + 1,
                            format!(
                                "{} ({}) cannot be read as {}: {}; {}",
                                fr.indicator,
                                row_name(row),
                                fr.kind.as_str(),
                                e.problem,
                                e.fix
                            ),
                        );
                        d.indicator = Some(fr.indicator.clone());
                        out.problems.push(d);
                    }
                }
            }
            many => {
                for &i in many {
                    covered[i] = true;
                }
                let list: Vec<String> = many.iter().map(|&i| rows[i].row.to_string()).collect();
                let mut d = at(
                    Code::FormRowAmbiguous,
                    rows[many[0]].row,
                    cols.code + 1,
                    format!(
                        "the form row {} ({}, {} line {}) matches rows {}: give the full code, or `under` with the label, so that it picks one",
                        fr.select.describe(),
                        fr.indicator,
                        form.file,
                        fr.select.pos.line,
                        list.join(", ")
                    ),
                );
                d.indicator = Some(fr.indicator.clone());
                out.problems.push(d);
            }
        }
    }

    let ignore: Vec<Key> = form.ignore.iter().map(Key::of_selector).collect();
    let ignored: Vec<bool> = keys
        .iter()
        .map(|k| ignore.iter().any(|s| s.picks(k)))
        .collect();
    for (i, row) in rows.iter().enumerate() {
        if private[i] {
            continue;
        }
        if row.has_value() && !covered[i] && !ignored[i] {
            out.problems.push(at(
                Code::UnmappedRow,
                row.row,
                cols.value + 1,
                format!(
                    "{} \"{}\" has the value \"{}\", which is not imported: add the row to the form's `rows` with its indicator, or to `ignore`",
                    row_name(row),
                    short(&row.label),
                    short(&value::cell_text(&row.value))
                ),
            ));
        }
        if !row.has_value() {
            for (c, cell) in &row.own_evidence {
                if let Some(n) = value::only_number(cell) {
                    let lost = given[i]
                        .map(|id| format!(" ({id} is not imported)"))
                        .unwrap_or_default();
                    let value_cell = cell_name(row.row, cols.value + 1);
                    let mut d = at(
                        Code::MisplacedValue,
                        row.row,
                        c + 1,
                        format!(
                            "{} \"{}\" has no value in {value_cell} but the number {n} in this evidence cell, which is not taken{lost}: move it to {value_cell}",
                            row_name(row),
                            short(&row.label),
                        ),
                    );
                    d.indicator = given[i].map(str::to_string);
                    out.problems.push(d);
                }
            }
        }
    }
    for lone in &table.lone_numbers {
        if private[lone.owner] {
            continue;
        }
        out.problems.push(at(
            Code::MisplacedValue,
            lone.row,
            lone.col,
            format!(
                "row {} holds only the number {} outside the value column, which is not taken: put it in the value column of its row",
                lone.row, lone.text
            ),
        ));
    }
    // Cell text is untrusted: messages show control characters escaped.
    for d in &mut out.problems {
        d.message = crate::clean::for_terminal(&d.message).into_owned();
    }
    for n in &mut out.notes {
        n.2 = crate::clean::for_terminal(&n.2).into_owned();
    }
    out.values.sort_by_key(|v| v.row);
    out.problems.sort_by_key(|d| (d.line, d.column, d.code));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(45, 3), "C45");
        assert_eq!(cell_name(1, 27), "AA1");
        assert!(within("I.6.a", "I.6"));
        assert!(!within("I.60", "I.6"));
    }
}
