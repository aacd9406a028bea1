//! The workbook writer this module replaced, on rust_xlsxwriter 0.102 (as
//! of commit 64fbaee): the reference the tests compare the new writer's
//! parts with, byte for byte. Only the content (read-me rows, document
//! properties) is shared with the new writer.

use std::io;

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::format::Date;
use crate::input::Num;
use crate::model::Model;
use crate::publish::needs_neutralising;
use crate::publish::table::{Cell, Column, Table, Type};
use crate::publish::tables;

use super::parts::Props;
use super::{readme_rows, width, MAX_WIDTH};

const MAX_ROWS: usize = 1_048_576;
const MAX_CHARS: usize = 32_767;

pub struct Formats {
    header: Format,
    title: Format,
    label: Format,
    wrap: Format,
    /// Text that starts like a formula: kept as text even when edited.
    quoted: Format,
    int: Format,
    signed: Format,
    year: Format,
    percent: Format,
    date: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(0xE7EEF5)
                .set_border_bottom(FormatBorder::Thin),
            title: Format::new().set_bold().set_font_size(14),
            label: Format::new().set_bold().set_align(FormatAlign::Top),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            quoted: Format::new().set_quote_prefix(),
            int: Format::new().set_num_format("#,##0"),
            signed: Format::new().set_num_format("+0;-0;0"),
            year: Format::new().set_num_format("0"),
            // The percentage itself (84.96), not a fraction: "84.96 %".
            percent: Format::new().set_num_format("0.00\\ \"%\""),
            date: Format::new().set_num_format("dd/mm/yyyy"),
        }
    }
}

/// Text as written in a cell: unchanged, but cut to Excel's limit.
fn cell_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.len() <= MAX_CHARS || s.chars().count() <= MAX_CHARS {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.chars().take(MAX_CHARS).collect())
    }
}

/// Writes a text cell: as text, never a formula, with the quote prefix
/// when it starts like one.
fn write_text(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    s: &str,
    format: Option<&Format>,
    f: &Formats,
) -> Result<(), XlsxError> {
    let text = cell_text(s);
    match format {
        _ if needs_neutralising(s) => ws.write_string_with_format(row, col, text, &f.quoted)?,
        Some(format) => ws.write_string_with_format(row, col, text, format)?,
        None => ws.write_string(row, col, text)?,
    };
    Ok(())
}

fn excel_date(d: Date) -> Option<ExcelDateTime> {
    ExcelDateTime::from_ymd(u16::try_from(d.year).ok()?, d.month, d.day).ok()
}

/// The format of the whole numbers ([`Cell::Int`]) of a column, chosen
/// once per column: a change of rank shows its sign.
fn int_format<'f>(column: &Column, f: &'f Formats) -> &'f Format {
    if column.name == "rank_change" {
        &f.signed
    } else {
        &f.int
    }
}

fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell<'_>,
    int: &Format,
    f: &Formats,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty => {}
        Cell::Text(s) => write_text(ws, row, col, s, None, f)?,
        Cell::Int(i) => {
            ws.write_number_with_format(row, col, *i as f64, int)?;
        }
        Cell::Num(Num::Int(i)) => {
            ws.write_number_with_format(row, col, *i as f64, &f.int)?;
        }
        Cell::Num(Num::Float(x)) => {
            ws.write_number(row, col, *x)?;
        }
        Cell::Bool(b) => {
            ws.write_boolean(row, col, *b)?;
        }
        Cell::Percent(p) => {
            // Hundredths of a percent to the percentage: 8496 → 84.96, the
            // double nearest to the decimal, as in rates.csv.
            ws.write_number_with_format(row, col, p.0 as f64 / 100.0, &f.percent)?;
        }
        Cell::Date(d) => match excel_date(*d) {
            Some(dt) => {
                ws.write_datetime_with_format(row, col, &dt, &f.date)?;
            }
            None => {
                ws.write_string(row, col, d.iso())?;
            }
        },
        Cell::Year(y) => {
            ws.write_number_with_format(row, col, f64::from(*y), &f.year)?;
        }
    }
    Ok(())
}

fn x<T>(r: Result<T, XlsxError>) -> io::Result<T> {
    r.map_err(io::Error::other)
}

/// A sheet being filled, row after row.
struct Sheet<'f> {
    ws: Worksheet,
    /// Data rows written (the header is row 0).
    rows: u32,
    /// The widest cell of each column, in characters.
    widths: Vec<usize>,
    /// The format of each column's whole numbers.
    ints: Vec<&'f Format>,
}

impl<'f> Sheet<'f> {
    fn new(
        wb: &mut Workbook,
        t: &Table<'_>,
        n: usize,
        f: &'f Formats,
    ) -> Result<Sheet<'f>, XlsxError> {
        let mut ws = wb.new_worksheet_with_low_memory()?;
        ws.set_name(if n == 0 {
            t.sheet.to_string()
        } else {
            format!("{} ({})", t.sheet, n + 1)
        })?;
        let mut widths = Vec::with_capacity(t.columns.len());
        for (c, col) in t.columns.iter().enumerate() {
            let c16 = u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError)?;
            ws.write_string_with_format(0, c16, &col.title, &f.header)?;
            widths.push(
                col.title
                    .chars()
                    .count()
                    .min(24)
                    .max(if col.ty == Type::Year { 6 } else { 4 }),
            );
        }
        Ok(Sheet {
            ws,
            rows: 0,
            widths,
            ints: t.columns.iter().map(|c| int_format(c, f)).collect(),
        })
    }

    fn row(&mut self, cells: &[Cell<'_>], f: &Formats) -> Result<(), XlsxError> {
        self.rows += 1;
        for (c, (cell, int)) in cells.iter().zip(&self.ints).enumerate() {
            let c16 = u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError)?;
            write_cell(&mut self.ws, self.rows, c16, cell, int, f)?;
            if let Some(w) = self.widths.get_mut(c) {
                *w = (*w).max(width(cell));
            }
        }
        Ok(())
    }

    /// Column widths, frozen header and filter, once every row is in.
    fn finish(mut self, wb: &mut Workbook, t: &Table<'_>) -> Result<(), XlsxError> {
        for (c, w) in self.widths.iter().enumerate() {
            let c16 = u16::try_from(c).map_err(|_| XlsxError::RowColumnLimitError)?;
            self.ws
                .set_column_width(c16, (w + 2).min(MAX_WIDTH) as f64)?;
        }
        self.ws.set_freeze_panes(1, 0)?;
        let last_col = u16::try_from(t.columns.len().saturating_sub(1))
            .map_err(|_| XlsxError::RowColumnLimitError)?;
        self.ws.autofilter(0, 0, self.rows, last_col)?;
        wb.push_worksheet(self.ws);
        Ok(())
    }
}

/// One table in as many sheets as Excel's row limit needs, row by row.
fn table_sheets(wb: &mut Workbook, t: &Table<'_>, f: &Formats) -> io::Result<()> {
    let per_sheet = u32::try_from(MAX_ROWS - 1).map_err(io::Error::other)?;
    table_sheets_of(wb, t, f, per_sheet)
}

/// [`table_sheets`] with at most `per_sheet` rows below each header.
fn table_sheets_of(
    wb: &mut Workbook,
    t: &Table<'_>,
    f: &Formats,
    per_sheet: u32,
) -> io::Result<()> {
    let mut n = 0;
    let mut sheet = x(Sheet::new(wb, t, n, f))?;
    t.for_each_row(&mut |cells| {
        if sheet.rows == per_sheet {
            n += 1;
            let next = x(Sheet::new(wb, t, n, f))?;
            x(std::mem::replace(&mut sheet, next).finish(wb, t))?;
        }
        x(sheet.row(cells, f))
    })?;
    x(sheet.finish(wb, t))
}

fn readme(
    wb: &mut Workbook,
    model: &Model,
    year: i32,
    tables: &[Table<'_>],
    f: &Formats,
) -> Result<(), XlsxError> {
    let rows = readme_rows(model, year, &crate::publish::version(model), tables);
    let ws = wb.add_worksheet_with_low_memory()?;
    ws.set_name("Giới thiệu")?;
    ws.set_column_width(0, 26)?;
    ws.set_column_width(1, 100)?;
    ws.write_string_with_format(
        0,
        0,
        cell_text(&tables::vi(&model.input.site.title, model)),
        &f.title,
    )?;
    for (i, (k, v)) in rows.iter().enumerate() {
        let row = u32::try_from(i + 2).map_err(|_| XlsxError::RowColumnLimitError)?;
        ws.write_string_with_format(row, 0, cell_text(k), &f.label)?;
        ws.write_string_with_format(row, 1, cell_text(v), &f.wrap)?;
    }
    Ok(())
}

/// A workbook with `props`, made ready by `fill`, as bytes.
pub fn workbook_with(
    props: &Props,
    fill: impl FnOnce(&mut Workbook, &Formats) -> io::Result<()>,
) -> io::Result<Vec<u8>> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(3);
    let (y, m, d) = props.created;
    let mut p = DocProperties::new()
        .set_title(&props.title)
        .set_author(&props.author)
        .set_company(&props.company)
        .set_subject(&props.subject)
        .set_keywords(&props.keywords)
        .set_comment(&props.comment);
    if let Ok(dt) = ExcelDateTime::from_ymd(y, m, d) {
        p = p.set_creation_datetime(&dt);
    }
    wb.set_properties(&p);
    fill(&mut wb, &f)?;
    let mut bytes = Vec::new();
    x(wb.save_to_writer(&mut bytes))?;
    Ok(bytes)
}

/// The workbook of `year` as the old writer made it.
pub fn workbook(model: &Model, year: i32) -> io::Result<Vec<u8>> {
    let (first, last) = crate::publish::book_years(model, year);
    let tables = tables::sheets(model, (first == last).then_some(year));
    workbook_with(&super::props(model, year), |wb, f| {
        x(readme(wb, model, year, &tables, f))?;
        for t in &tables {
            table_sheets(wb, t, f)?;
        }
        Ok(())
    })
}

/// A workbook of `tables` alone, at most `per_sheet` rows a sheet.
pub fn tables_workbook(props: &Props, tables: &[Table<'_>], per_sheet: u32) -> io::Result<Vec<u8>> {
    workbook_with(props, |wb, f| {
        for t in tables {
            table_sheets_of(wb, t, f, per_sheet)?;
        }
        Ok(())
    })
}
