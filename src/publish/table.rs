//! A table of the open data, described once and written as CSV, as a
//! Frictionless Table Schema and as a worksheet: typed cells, columns with
//! their Vietnamese titles, keys.
//!
//! A table does not hold its rows: it makes them one at a time, from the
//! model, every time they are written (national observations are more than
//! a million rows, written to a CSV file and to two workbooks).

use std::borrow::Cow;
use std::io::{self, Write};

use serde_json::{json, Value as Json};

use crate::format::Date;
use crate::input::Num;
use crate::model::Percent;

use super::{needs_neutralising, push_int, safe_text};

/// The type of a column, as Table Schema knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    String,
    Integer,
    Number,
    Boolean,
    Year,
    Date,
    /// A percentage with two decimals: a `number` in CSV (`84.96`), the
    /// same number in a worksheet (84.96, shown as "84.96 %"), never the
    /// fraction 0.8496.
    Percent,
    /// A reported value of any kind (number, flag or text): a `string` in
    /// the schema. Only in CSV: a workbook gives each kind its own sheet.
    Value,
}

impl Type {
    fn schema_type(self) -> &'static str {
        match self {
            Type::String | Type::Value => "string",
            Type::Integer => "integer",
            Type::Number | Type::Percent => "number",
            Type::Boolean => "boolean",
            Type::Year => "year",
            Type::Date => "date",
        }
    }
}

/// One cell: typed, so that each format writes it its own way. Text is
/// borrowed from the model where it can be.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Empty,
    /// Any text: neutralised against formula injection wherever written.
    Text(Cow<'a, str>),
    Int(i64),
    Num(Num),
    Bool(bool),
    Percent(Percent),
    Date(Date),
    Year(i32),
}

impl<'a> Cell<'a> {
    pub fn text(s: impl Into<Cow<'a, str>>) -> Cell<'a> {
        Cell::Text(s.into())
    }

    pub fn opt_text(s: Option<&'a str>) -> Cell<'a> {
        s.map_or(Cell::Empty, |s| Cell::Text(Cow::Borrowed(s)))
    }

    pub fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> Cell<'a>) -> Cell<'a> {
        v.map_or(Cell::Empty, f)
    }

    /// The CSV form: plain machine values, text neutralised.
    pub fn csv(&self) -> Cow<'_, str> {
        match self {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Text(s) if needs_neutralising(s) => Cow::Owned(safe_text(s)),
            Cell::Text(s) => Cow::Borrowed(s),
            Cell::Int(i) => Cow::Owned(i.to_string()),
            Cell::Num(n) => Cow::Owned(n.plain()),
            Cell::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            Cell::Percent(p) => Cow::Owned(p.plain()),
            Cell::Date(d) => Cow::Owned(d.iso()),
            Cell::Year(y) => Cow::Owned(y.to_string()),
        }
    }

    /// [`Cell::csv`] as bytes, made in `scratch` when not borrowed: no
    /// `String` per cell.
    fn csv_bytes<'s>(&'s self, scratch: &'s mut Vec<u8>) -> &'s [u8] {
        scratch.clear();
        match self {
            Cell::Empty => b"",
            Cell::Text(s) if needs_neutralising(s) => {
                scratch.push(b'\'');
                scratch.extend_from_slice(s.as_bytes());
                scratch
            }
            Cell::Text(s) => s.as_bytes(),
            Cell::Bool(b) => {
                if *b {
                    b"true"
                } else {
                    b"false"
                }
            }
            Cell::Int(i) | Cell::Num(Num::Int(i)) => {
                push_int(scratch, *i);
                scratch
            }
            Cell::Year(y) => {
                push_int(scratch, i64::from(*y));
                scratch
            }
            // Percent::plain: `84.96`, `-0.05`, `100.00`.
            Cell::Percent(p) => {
                scratch.extend_from_slice(p.plain_in(&mut [0u8; 24]).as_bytes());
                scratch
            }
            Cell::Num(_) | Cell::Date(_) => {
                scratch.extend_from_slice(self.csv().as_bytes());
                scratch
            }
        }
    }
}

/// What receives the rows of a table, one at a time.
pub type RowSink<'s> = dyn FnMut(&[Cell<'_>]) -> io::Result<()> + 's;

/// What makes the rows of a table: calls the sink once per row, in order,
/// and stops at the first error.
pub type Rows<'a> = dyn Fn(&mut RowSink<'_>) -> io::Result<()> + Send + Sync + 'a;

#[derive(Debug, Clone)]
pub struct Column {
    /// The CSV header and schema field name.
    pub name: String,
    pub ty: Type,
    /// The Vietnamese header of the worksheet and schema title.
    pub title: String,
    /// What it holds, in Vietnamese.
    pub description: String,
    /// Table Schema constraints, e.g. `{"minimum": 0}`.
    pub constraints: Option<Json>,
    /// Only in the worksheet (a name beside an id, for readers).
    pub sheet_only: bool,
}

impl Column {
    pub fn new(
        name: impl Into<String>,
        ty: Type,
        title: impl Into<String>,
        description: impl Into<String>,
    ) -> Column {
        Column {
            name: name.into(),
            ty,
            title: title.into(),
            description: description.into(),
            constraints: None,
            sheet_only: false,
        }
    }

    pub fn constraints(mut self, c: Json) -> Column {
        self.constraints = Some(c);
        self
    }

    pub fn sheet_only(mut self) -> Column {
        self.sheet_only = true;
        self
    }

    fn field(&self) -> Json {
        let mut f = json!({
            "name": self.name,
            "type": self.ty.schema_type(),
            "title": self.title,
            "description": self.description,
        });
        if let Some(c) = &self.constraints {
            f["constraints"] = c.clone();
        }
        f
    }
}

/// A foreign key: these fields reference those of another resource (`None`:
/// this one).
#[derive(Debug, Clone)]
pub struct ForeignKey {
    pub fields: Vec<&'static str>,
    pub resource: Option<&'static str>,
    pub reference: Vec<&'static str>,
}

impl ForeignKey {
    pub fn new(
        fields: &[&'static str],
        resource: Option<&'static str>,
        reference: &[&'static str],
    ) -> ForeignKey {
        ForeignKey {
            fields: fields.to_vec(),
            resource,
            reference: reference.to_vec(),
        }
    }
}

pub struct Table<'a> {
    /// Resource name: `observations`; the CSV file is `<name>.csv`.
    pub name: &'static str,
    /// Worksheet name (Vietnamese, at most 31 characters).
    pub sheet: &'static str,
    pub title_vi: String,
    pub description_vi: String,
    pub description_en: String,
    pub columns: Vec<Column>,
    /// Makes the rows, each with a cell per column.
    pub rows: Box<Rows<'a>>,
    pub primary_key: Vec<&'static str>,
    pub foreign_keys: Vec<ForeignKey>,
}

impl std::fmt::Debug for Table<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table").field("name", &self.name).finish()
    }
}

/// Rows kept in memory, for small tables and tests.
pub fn fixed_rows(rows: Vec<Vec<Cell<'_>>>) -> Box<Rows<'_>> {
    Box::new(move |sink: &mut RowSink<'_>| {
        for r in &rows {
            sink(r)?;
        }
        Ok(())
    })
}

impl Table<'_> {
    pub fn file_name(&self) -> String {
        format!("{}.csv", self.name)
    }

    /// Calls `sink` with each row, in order.
    pub fn for_each_row(&self, sink: &mut RowSink<'_>) -> io::Result<()> {
        (self.rows)(sink)
    }

    fn csv_columns(&self) -> impl Iterator<Item = (usize, &Column)> {
        self.columns
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.sheet_only)
    }

    /// UTF-8 without BOM, comma-separated, `\n` line ends, RFC 4180
    /// quoting; text cells neutralised, numbers untouched. Row by row, in
    /// pieces of about [`CSV_PIECE`] bytes.
    pub fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut buf = Vec::with_capacity(CSV_PIECE + 4096);
        self.csv_pieces(&mut buf, &mut |piece| {
            out.write_all(piece)?;
            piece.clear();
            Ok(())
        })?;
        out.write_all(&buf)?;
        out.flush()
    }

    /// [`Table::write_csv`] appended to `out` (a worker's buffer, written
    /// into directly rather than through a buffer of its own).
    pub fn append_csv(&self, out: &mut Vec<u8>) {
        // Nothing is passed on: the rows stay in `out`, which cannot fail.
        let _ = self.csv_pieces(out, &mut |_| Ok(()));
    }

    /// [`Table::write_csv`] into memory.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.append_csv(&mut out);
        out
    }

    /// Appends the header and rows to `buf`, handing it to `piece` each
    /// time it holds [`CSV_PIECE`] bytes or more.
    fn csv_pieces(
        &self,
        buf: &mut Vec<u8>,
        piece: &mut dyn FnMut(&mut Vec<u8>) -> io::Result<()>,
    ) -> io::Result<()> {
        push_record(buf, self.csv_columns().map(|(_, c)| c.name.as_bytes()));
        let columns: Vec<usize> = self.csv_columns().map(|(i, _)| i).collect();
        let mut scratch = Vec::new();
        self.for_each_row(&mut |r| {
            let start = buf.len();
            for (k, &i) in columns.iter().enumerate() {
                if k > 0 {
                    buf.push(b',');
                }
                let field = r.get(i).map_or(&b""[..], |c| c.csv_bytes(&mut scratch));
                push_field(buf, field);
            }
            end_record(buf, start);
            if buf.len() >= CSV_PIECE {
                piece(buf)?;
            }
            Ok(())
        })
    }

    /// The Table Schema of the CSV file.
    pub fn schema(&self) -> Json {
        let mut s = json!({
            "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
            "fields": self.csv_columns().map(|(_, c)| c.field()).collect::<Vec<_>>(),
            "missingValues": [""],
        });
        if !self.primary_key.is_empty() {
            s["primaryKey"] = json!(self.primary_key);
        }
        if !self.foreign_keys.is_empty() {
            s["foreignKeys"] = self
                .foreign_keys
                .iter()
                .map(|k| {
                    let mut reference = json!({"fields": k.reference});
                    if let Some(r) = k.resource {
                        reference["resource"] = json!(r);
                    }
                    json!({"fields": k.fields, "reference": reference})
                })
                .collect();
        }
        s
    }
}

/// What [`Table::write_csv`] gathers before passing it on.
const CSV_PIECE: usize = 64 * 1024;

/// Whether a CSV field must be quoted: it holds a comma, a quote or a line
/// break (`\r` too, which readers take for one), as the csv crate decides
/// for this dialect.
#[inline]
fn needs_quotes(field: &[u8]) -> bool {
    field
        .iter()
        .any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
}

/// Appends a CSV field as the csv crate writes it in this dialect: as it
/// is, or in quotes with its quotes doubled when [`needs_quotes`].
#[inline]
fn push_field(out: &mut Vec<u8>, field: &[u8]) {
    if !needs_quotes(field) {
        out.extend_from_slice(field);
        return;
    }
    out.push(b'"');
    for &b in field {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// Ends the record that started at `start` in `out`: a record that wrote
/// nothing (one empty field) is `""`, as the csv crate writes it, since an
/// empty line would be no record at all.
#[inline]
fn end_record(out: &mut Vec<u8>, start: usize) {
    if out.len() == start {
        out.extend_from_slice(b"\"\"");
    }
    out.push(b'\n');
}

/// Appends a whole record.
fn push_record<'f>(out: &mut Vec<u8>, fields: impl IntoIterator<Item = &'f [u8]>) {
    let start = out.len();
    for (k, f) in fields.into_iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        push_field(out, f);
    }
    end_record(out, start);
}

/// The CSV dialect of every file, as the csv crate writes it (the tests
/// check the writers above against it): `\n` line ends, quotes only where
/// needed.
#[cfg(test)]
fn csv_writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out)
}

/// A small CSV file in memory (a chart's numbers), written like every
/// CSV file of the site: the same dialect, numbers in their shortest form,
/// text neutralised by the one formula rule.
pub fn csv_of(header: &[&str], rows: &[Vec<Cell<'_>>]) -> String {
    // Into memory: the writer's own buffer would only copy twice.
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(256)
        .from_writer(Vec::with_capacity(64 * (rows.len() + 1)));
    let mut scratch = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = w.write_record(header);
    for r in rows {
        for c in r {
            let _ = w.write_field(c.csv_bytes(&mut scratch));
        }
        let _ = w.write_record(None::<&[u8]>);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`csv_of`] as it was first written: a `String` per cell.
    fn csv_of_by_strings(header: &[&str], rows: &[Vec<Cell<'_>>]) -> String {
        let mut w = csv_writer(Vec::new());
        w.write_record(header).expect("header");
        for r in rows {
            w.write_record(r.iter().map(|c| c.csv().into_owned()))
                .expect("row");
        }
        String::from_utf8(w.into_inner().expect("bytes")).expect("utf-8")
    }

    #[test]
    fn records_are_written_as_the_csv_crate_writes_them() {
        let fields: [&[u8]; 14] = [
            b"",
            b"a",
            b"a,b",
            b"\"",
            b"say \"hi\"",
            b"line\nbreak",
            b"cr\rhere",
            b"crlf\r\n",
            b" spaced ",
            b"'=1+1",
            "Sở Nội vụ, tỉnh".as_bytes(),
            b"#comment",
            b"tab\there",
            b",",
        ];
        let mut records: Vec<Vec<&[u8]>> = vec![vec![], vec![b""], vec![b"", b""]];
        for (i, a) in fields.iter().enumerate() {
            records.push(vec![a]);
            for b in &fields[i..] {
                records.push(vec![a, b]);
                records.push(vec![b, b"", a]);
            }
        }
        let mut ours = Vec::new();
        let mut theirs = Vec::new();
        // A record of its own each, as the crate checks the field counts.
        for r in &records {
            push_record(&mut ours, r.iter().copied());
            let mut one = csv_writer(Vec::new());
            one.write_record(r.iter().copied()).expect("written");
            let one = one.into_inner().expect("bytes");
            theirs.extend_from_slice(&one);
        }
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs)
        );
    }

    #[test]
    fn csv_of_writes_what_a_string_per_cell_wrote() {
        let rows = [
            vec![Cell::Empty, Cell::Empty, Cell::Empty],
            vec![Cell::text(""), Cell::text("=1+1"), Cell::text("a,b")],
            vec![Cell::Int(-7), Cell::Num(Num::Float(0.1)), Cell::Bool(true)],
            vec![
                Cell::text("dòng\nmới \"trích\""),
                Cell::Year(2024),
                Cell::Empty,
            ],
        ];
        for n in 0..=rows.len() {
            let some = &rows[..n];
            assert_eq!(
                csv_of(&["a", "b", "c"], some),
                csv_of_by_strings(&["a", "b", "c"], some)
            );
        }
        // One column: an empty field is written `""`, never an empty line.
        let one = vec![
            vec![Cell::Empty],
            vec![Cell::text("x")],
            vec![Cell::text("")],
        ];
        assert_eq!(csv_of(&["a"], &one), csv_of_by_strings(&["a"], &one));
        assert_eq!(csv_of(&["a"], &one), "a\n\"\"\nx\n\"\"\n");
    }

    #[test]
    fn csv_quoting() {
        let out = csv_of(
            &["a", "b", "c"],
            &[vec![
                Cell::text("x, y"),
                Cell::text("say \"hi\"\nthere"),
                Cell::Num(Num::Float(-0.5)),
            ]],
        );
        assert_eq!(out, "a,b,c\n\"x, y\",\"say \"\"hi\"\"\nthere\",-0.5\n");
        // The one formula rule: text neutralised, numbers never.
        let out = csv_of(
            &["v"],
            &[
                vec![Cell::text("=1+1")],
                vec![Cell::Num(Num::Float(-1.0))],
                vec![Cell::Empty],
            ],
        );
        assert_eq!(out, "v\n'=1+1\n-1\n\"\"\n");
    }

    #[test]
    fn csv_bytes_are_the_csv_form() {
        let cells = [
            Cell::Empty,
            Cell::text("Sở Nội vụ"),
            Cell::text("=1+1"),
            Cell::text("'-x"),
            Cell::Int(-12_345),
            Cell::Int(i64::MIN),
            Cell::Num(Num::Int(7)),
            Cell::Num(Num::Float(92.5)),
            Cell::Bool(true),
            Cell::Bool(false),
            Cell::Percent(Percent(8496)),
            Cell::Percent(Percent(-5)),
            Cell::Percent(Percent(100_000)),
            Cell::Percent(Percent(i64::MIN)),
            Cell::Percent(Percent(i64::MAX)),
            Cell::Date(Date {
                year: 2023,
                month: 1,
                day: 9,
            }),
            Cell::Year(2023),
        ];
        let mut scratch = Vec::new();
        for c in &cells {
            assert_eq!(c.csv_bytes(&mut scratch), c.csv().as_bytes(), "{c:?}");
        }
    }

    #[test]
    fn text_cells_are_neutralised_numbers_are_not() {
        let t = Table {
            name: "t",
            sheet: "T",
            title_vi: String::new(),
            description_vi: String::new(),
            description_en: String::new(),
            columns: vec![
                Column::new("text", Type::String, "Văn bản", ""),
                Column::new("n", Type::Number, "Số", ""),
                Column::new("label", Type::String, "Tên", "").sheet_only(),
            ],
            rows: fixed_rows(vec![vec![
                Cell::text("-1+1"),
                Cell::Num(Num::Float(-2.5)),
                Cell::text("only in the sheet"),
            ]]),
            primary_key: vec![],
            foreign_keys: vec![],
        };
        assert_eq!(
            String::from_utf8(t.to_csv()).expect("utf-8"),
            "text,n\n'-1+1,-2.5\n"
        );
    }
}
