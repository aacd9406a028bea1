//! The Excel workbook of a year (`minhbach-<year>.xlsx`): a read-me sheet,
//! then one sheet per table with Vietnamese headers. Written so that Excel,
//! LibreOffice, pandas and R's readxl read the same thing:
//! - one type per column: numbers are numbers, flags are booleans, dates
//!   are dates, text is text; reported values, which may be any of them,
//!   are split by kind into three sheets ("Số liệu", "Số liệu có-không",
//!   "Số liệu văn bản"), each with a value column of one type and no gaps;
//! - rates are the percentage itself (84.96, shown "84.96 %"), as in
//!   `rates.csv`, with "(%)" in the header, never the fraction 0.8496;
//! - the read-me sheet explains every column of every sheet.
//!
//! The header row is frozen and filterable; there is never a formula. Text
//! cells are written as text, unchanged (no `'` added as in the CSV files):
//! a cell that starts like a formula also gets the "quote prefix" style, so
//! that Excel keeps it text even when it is edited. The creation date is
//! the date of the data, so two builds give the same bytes.
//!
//! A workbook holds the figures of its own year only, except the workbook
//! of the latest year, which holds every year ([`super::book_years`]).
//!
//! Sheets are written in rust_xlsxwriter's "low memory" mode: each row goes
//! to a temporary file as soon as the next one starts (only the table of
//! distinct strings stays in memory), and the workbook is streamed to its
//! output.

use std::io::{self, Write};

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::format::{self, Date, Lang};
use crate::input::Num;
use crate::model::Model;

use super::needs_neutralising;
use super::table::{Cell, Column, Table, Type};
use super::tables::{self, vi};

pub const MEDIA_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Excel's limits: rows per sheet, characters per cell.
const MAX_ROWS: usize = 1_048_576;
const MAX_CHARS: usize = 32_767;
/// Widest column, in characters.
const MAX_WIDTH: usize = 60;

/// The deflate level of the workbooks' XML parts (rust_xlsxwriter's and
/// zlib's default is 6; Excel itself writes level 3). Measured on the
/// province corpus (the five workbooks, 1.1 million cells): level 6 gives
/// 4.06 MB, level 3 4.54 MB, level 1 7.08 MB; level 3 takes about half of
/// level 6's deflate time, level 1 little less than level 3.
const LEVEL: u8 = 3;

struct Formats {
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

/// The length of a whole number written out, sign included.
fn int_len(i: i64) -> usize {
    let mut len = usize::from(i < 0) + 1;
    let mut v = i.unsigned_abs();
    while v >= 10 {
        v /= 10;
        len += 1;
    }
    len
}

/// The width a cell needs, in characters.
fn width(cell: &Cell<'_>) -> usize {
    match cell {
        Cell::Empty => 0,
        Cell::Text(s) => s.lines().map(|l| l.chars().count()).max().unwrap_or(0),
        Cell::Int(i) => int_len(*i) + int_len(*i) / 3,
        Cell::Num(Num::Int(i)) => int_len(*i) + 2,
        Cell::Num(n) => n.plain().len() + 2,
        Cell::Bool(_) => 5,
        Cell::Percent(_) => 8,
        Cell::Date(_) | Cell::Year(_) => 10,
    }
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

/// The kind of a column, in words.
fn kind_words(ty: Type) -> &'static str {
    match ty {
        Type::String | Type::Value => "văn bản",
        Type::Integer => "số nguyên",
        Type::Number => "số",
        Type::Boolean => "có/không: TRUE/FALSE",
        Type::Year => "năm",
        Type::Date => "ngày",
        Type::Percent => "số phần trăm, hai chữ số thập phân",
    }
}

/// Where a column is in the CSV files: its name there, or only here.
fn csv_name(t: &Table<'_>, c: &crate::publish::table::Column) -> String {
    if c.sheet_only {
        "chỉ có trong bảng tính".to_string()
    } else {
        format!("cột {} của {}.csv", c.name, t.name)
    }
}

/// The read-me sheet: what the workbook is, who publishes it under which
/// licence, how the figures are computed, and what each sheet holds.
fn readme(
    wb: &mut Workbook,
    model: &Model,
    year: i32,
    tables: &[Table<'_>],
    f: &Formats,
) -> Result<(), XlsxError> {
    let site = &model.input.site;
    let cat = &model.input.catalog;
    let (first, last) = super::book_years(model, year);
    let (years, _) = super::years_words(first, last);
    let mut publisher = vi(&site.publisher.name, model);
    for extra in [&site.publisher.url, &site.publisher.email]
        .into_iter()
        .flatten()
    {
        publisher.push_str(&format!(" · {extra}"));
    }
    let license = match super::license_url(&site.license) {
        Some(u) => format!("{} ({u}). Được tự do sao chép, dùng lại, kể cả cho mục đích thương mại, với điều kiện ghi rõ nguồn.", site.license),
        None => site.license.clone(),
    };
    let mut rows: Vec<(String, String)> = vec![
        ("Nội dung".into(), format!("Số liệu chuyển đổi số {years}, do các cơ quan báo cáo (bản năm {year}).")),
        ("Đơn vị công bố".into(), publisher),
        ("Giấy phép".into(), license),
        ("Ngày của số liệu".into(), super::data_date_in(model, first, last).map(|d| format::date(d, Lang::Vi)).unwrap_or_default()),
        ("Phiên bản".into(), super::version(model)),
        ("Nguồn".into(), super::url(model, "data/")),
        ("Cách tính tỷ lệ".into(), "Tỷ lệ = tử số / mẫu số × 100, lấy từ cùng một báo cáo, làm tròn hai chữ số thập phân (đúng nửa thì làm tròn ra xa số 0), ví dụ 514 / 605 = 84,96%. Khi thiếu tử số hoặc mẫu số, hoặc mẫu số bằng 0, tỷ lệ không tính được: không có dòng trong trang Tỷ lệ, không bao giờ ghi là 0%. Tỷ lệ trên 100% vẫn được công bố, có ghi chú ở cột Lưu ý.".into()),
        ("Số liệu không báo cáo".into(), "Ô trống nghĩa là cơ quan không báo cáo số liệu đó; ô trống khác với số 0.".into()),
        ("Xếp hạng".into(), "Hạng chính thức lấy theo quyết định công bố; nếu không có, hạng tính từ điểm trong nhóm khi mọi cơ quan trong nhóm đều có điểm (bằng điểm thì cùng hạng: 1, 2, 2, 4). Thay đổi hạng = hạng năm trước − hạng năm nay: số dương là tăng bậc.".into()),
        ("Chất lượng số liệu".into(), "Số liệu mâu thuẫn (ví dụ số văn bản ký số lớn hơn tổng số văn bản đi) vẫn được công bố như cơ quan đã báo cáo, kèm ghi chú exceeds-total hoặc parts-mismatch.".into()),
        ("Kiểu dữ liệu".into(), "Mỗi cột chỉ có một kiểu: số, có/không (TRUE/FALSE), ngày hoặc văn bản. Số liệu báo cáo được chia theo kiểu vào ba trang: «Số liệu» (số), «Số liệu có-không» (TRUE/FALSE) và «Số liệu văn bản»; trong observations.csv cả ba nằm chung cột value. Đơn vị của giá trị số ở cột «Đơn vị»; tiền tính bằng đồng.".into()),
        ("Tỷ lệ phần trăm".into(), "Cột «Tỷ lệ (%)» ghi chính số phần trăm (84,96 nghĩa là 84,96%), giống cột percent của rates.csv; không phải phân số 0,8496.".into()),
        ("An toàn bảng tính".into(), "Bảng tính không chứa công thức. Mọi ô văn bản được lưu dưới dạng văn bản, giữ nguyên như cơ quan báo cáo; ô bắt đầu bằng =, +, -, @, tab hoặc xuống dòng được đánh dấu «văn bản» (quote prefix) để Excel không chạy chúng như công thức, kể cả khi sửa ô. Trong các tệp CSV, theo khuyến nghị của OWASP, ô văn bản như vậy có thêm một dấu ' ở đầu (ô đã bắt đầu bằng các dấu ' rồi đến một trong các ký tự đó cũng thêm một dấu '); bỏ đúng một dấu ' ở đầu các ô đó là được giá trị gốc. Các cột số không bao giờ bị thay đổi.".into()),
        ("Mở tệp CSV bằng Excel".into(), "Các tệp CSV dùng mã UTF-8, dấu phẩy phân cách và dấu chấm thập phân. Mở trực tiếp bằng Excel có thể làm sai chữ tiếng Việt và số thập phân; hãy dùng bảng tính này, hoặc trong Excel chọn Data › From Text/CSV, File Origin 65001: Unicode (UTF-8), rồi đặt dấu thập phân là dấu chấm.".into()),
    ];
    if let Some(latest) = model.latest_year().filter(|&l| l != year) {
        rows.insert(1, ("Các năm khác".into(), format!("Mỗi năm có một bảng tính với số liệu của năm đó; bảng tính năm {latest} ({}) có số liệu của mọi năm.", super::xlsx_name(latest))));
    }
    for t in tables {
        rows.push((format!("Trang «{}»", t.sheet), t.description_vi.clone()));
        for c in &t.columns {
            rows.push((
                format!("«{}» · {}", t.sheet, c.title),
                format!(
                    "{} ({}; {})",
                    c.description,
                    kind_words(c.ty),
                    csv_name(t, c)
                ),
            ));
        }
    }
    for r in &cat.rates {
        let name = |id: &str| {
            cat.indicator(id)
                .map(|i| vi(&i.name, model))
                .unwrap_or_else(|| id.to_string())
        };
        rows.push((
            format!("Tỷ lệ {}", r.id),
            format!(
                "{} = {} / {}",
                vi(&r.name, model),
                name(&r.numerator),
                name(&r.denominator)
            ),
        ));
    }

    let ws = wb.add_worksheet_with_low_memory()?;
    ws.set_name("Giới thiệu")?;
    ws.set_column_width(0, 26)?;
    ws.set_column_width(1, 100)?;
    ws.write_string_with_format(0, 0, cell_text(&vi(&site.title, model)), &f.title)?;
    for (i, (k, v)) in rows.iter().enumerate() {
        let row = u32::try_from(i + 2).map_err(|_| XlsxError::RowColumnLimitError)?;
        ws.write_string_with_format(row, 0, cell_text(k), &f.label)?;
        ws.write_string_with_format(row, 1, cell_text(v), &f.wrap)?;
    }
    Ok(())
}

/// Writes the workbook of `year` to `out`: the figures of that year, or of
/// every year for the latest one.
pub fn write_workbook(model: &Model, year: i32, out: &mut (dyn Write + Send)) -> io::Result<()> {
    // rust_xlsxwriter panics when it cannot write its temporary files (a
    // full disk): an error like any other.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build(model, year, out)))
        .unwrap_or_else(|panic| {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(io::Error::other(format!(
                "the workbook could not be written: {why}"
            )))
        })
}

fn build(model: &Model, year: i32, out: &mut (dyn Write + Send)) -> io::Result<()> {
    let site = &model.input.site;
    let (first, last) = super::book_years(model, year);
    let (years, _) = super::years_words(first, last);
    let tables = tables::sheets(model, (first == last).then_some(year));
    let f = Formats::new();
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(LEVEL);
    // Rows wait in temporary files: fail here, with an error, when there is
    // nowhere to put them (rust_xlsxwriter would panic later).
    x(wb.set_tempdir(std::env::temp_dir()))?;
    let mut props = DocProperties::new()
        .set_title(vi(&site.title, model))
        .set_author(vi(&site.publisher.name, model))
        .set_company(vi(&site.publisher.name, model))
        .set_subject(format!("Số liệu chuyển đổi số {years}"))
        .set_keywords("chuyển đổi số, dịch vụ công trực tuyến, chữ ký số")
        .set_comment(format!("Giấy phép {}", site.license));
    // The creation time is the date of the data, never the clock.
    let created = super::data_date_in(model, first, last)
        .and_then(excel_date)
        .or_else(|| ExcelDateTime::from_ymd(2000, 1, 1).ok());
    if let Some(dt) = created {
        props = props.set_creation_datetime(&dt);
    }
    wb.set_properties(&props);
    x(readme(&mut wb, model, year, &tables, &f))?;
    for t in &tables {
        table_sheets(&mut wb, t, &f)?;
    }
    x(wb.save_to_writer(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::table::{fixed_rows, Column};
    use calamine::{Data, Reader, Xlsx};

    #[test]
    fn whole_numbers_are_as_long_as_written() {
        for i in [0, 7, -7, 9, 10, -10, 999, 1000, -1000, i64::MAX, i64::MIN] {
            assert_eq!(int_len(i), i.to_string().len(), "{i}");
        }
    }

    #[test]
    fn a_table_longer_than_a_sheet_goes_on_in_more_sheets() {
        let rows: Vec<Vec<Cell<'_>>> = (1..=5)
            .map(|i| vec![Cell::Int(i), Cell::text(format!("=row {i}"))])
            .collect();
        let t = Table {
            name: "t",
            sheet: "Bảng",
            title_vi: String::new(),
            description_vi: String::new(),
            description_en: String::new(),
            columns: vec![
                Column::new("n", Type::Integer, "Số", ""),
                Column::new("s", Type::String, "Chữ", ""),
            ],
            rows: fixed_rows(rows),
            primary_key: vec![],
            foreign_keys: vec![],
        };
        let mut wb = Workbook::new();
        table_sheets_of(&mut wb, &t, &Formats::new(), 2).expect("sheets");
        let mut bytes = Vec::new();
        wb.save_to_writer(&mut bytes).expect("saved");

        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("opens");
        assert_eq!(book.sheet_names(), ["Bảng", "Bảng (2)", "Bảng (3)"]);
        let mut all = Vec::new();
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name).expect("sheet");
            let mut rows = range.rows();
            let header: Vec<String> = rows
                .next()
                .expect("header")
                .iter()
                .map(|c| c.to_string())
                .collect();
            assert_eq!(header, ["Số", "Chữ"], "{name}");
            all.extend(rows.map(|r| r.to_vec()));
        }
        // Text as it is, no `'` added: a string cell is never a formula.
        let expected: Vec<Vec<Data>> = (1..=5)
            .map(|i| vec![Data::Float(i as f64), Data::String(format!("=row {i}"))])
            .collect();
        assert_eq!(all, expected);
    }
}
