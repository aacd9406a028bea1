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
//! The workbook is written here, not by a general-purpose library: the
//! parts (SpreadsheetML) are byte for byte those rust_xlsxwriter 0.102 wrote
//! for these workbooks until November 2026, in the same zip layout (entry
//! order, deflate level 3, dates, permissions), so that its Excel and
//! LibreOffice compatibility is kept by construction; a test compares both
//! part by part. Cells go out as XML as they come, to memory then to a
//! temporary file past 15 MiB ([`spool`]): a sheet starts with its extent
//! and column widths and styles.xml comes before the sheets, so nothing can
//! be zipped before the last row. Only the table of distinct strings stays
//! in memory. Where the output differs from rust_xlsxwriter's:
//! - a text of the form `<r>…</r>` is escaped like any other, where
//!   rust_xlsxwriter wrote it unescaped as a rich string (broken XML);
//! - text is cut at 32,767 UTF-16 units (Excel's limit); rust_xlsxwriter
//!   cut at 32,767 characters, then failed on text past 32,767 UTF-16 units
//!   (characters outside the BMP count twice);
//! - a sheet name with a digit and nothing but letters is quoted in the
//!   filter's defined name (our sheet names all hold a space).

use std::io::{self, Write};

use crate::format::{self, Date, Lang};
use crate::input::Num;
use crate::model::Model;

use super::needs_neutralising;
use super::table::{Cell, Column, Table, Type};
use super::tables::{self, vi};

mod book;
mod parts;
mod spool;
mod styles;

#[cfg(test)]
mod reference;
#[cfg(test)]
mod tests;

use book::{Book, Sheet};
use parts::Props;
use styles::Style;

pub const MEDIA_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Excel's limit: rows per sheet.
const MAX_ROWS: usize = book::ROW_MAX as usize;
/// Widest column, in characters.
const MAX_WIDTH: usize = 60;

/// The deflate level of the workbooks' XML parts (rust_xlsxwriter's and
/// zlib's default is 6; Excel itself writes level 3). Measured on the
/// province corpus (the five workbooks, 1.1 million cells): level 6 gives
/// 4.06 MB, level 3 4.54 MB, level 1 7.08 MB; level 3 takes about half of
/// level 6's deflate time, level 1 little less than level 3.
const LEVEL: i64 = 3;

/// A date as Excel counts days (1 = 1900-01-01, with Excel's false 29
/// February 1900), when Excel can hold it: from 1899-12-31 to 9999-12-31.
/// The count is rust_xlsxwriter's.
fn excel_serial(d: Date) -> Option<i64> {
    let (y, m, day) = (d.year, u32::from(d.month), u32::from(d.day));
    let leap = |y: i32| y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    if (y, m, day) == (1899, 12, 31) {
        return Some(0);
    }
    let mut months = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if leap(y) || y == 1900 {
        months[1] = 29;
    }
    let valid = (1900..=9999).contains(&y)
        && (1..=12).contains(&m)
        && day >= 1
        && months
            .get((m as usize).wrapping_sub(1))
            .is_some_and(|&n| day <= n);
    if !valid {
        return None;
    }
    if (y, m, day) == (1900, 2, 29) {
        return Some(60);
    }
    months[1] = if leap(y) { 29 } else { 28 };
    let range = i64::from(y - 1900);
    let mut days: i64 = months[..(m - 1) as usize]
        .iter()
        .map(|&n| i64::from(n))
        .sum();
    days += i64::from(day) + range * 365 + range / 4 - range / 100 + (range + 300) / 400;
    days -= i64::from(leap(y));
    Some(if days > 59 { days + 1 } else { days })
}

/// The style of the whole numbers ([`Cell::Int`]) of a column, chosen once
/// per column: a change of rank shows its sign.
fn int_style(column: &Column) -> Style {
    if column.name == "rank_change" {
        Style::Signed
    } else {
        Style::Int
    }
}

/// A text cell: as text, never a formula, with the quote prefix when it
/// starts like one.
fn write_text(book: &mut Book, sheet: &mut Sheet, col: u16, s: &str) -> io::Result<()> {
    let style = needs_neutralising(s).then_some(Style::Quoted);
    book.text(sheet, col, s, style)
}

fn write_cell(
    book: &mut Book,
    sheet: &mut Sheet,
    col: u16,
    cell: &Cell<'_>,
    int: Style,
) -> io::Result<()> {
    match cell {
        Cell::Empty => Ok(()),
        Cell::Text(s) => write_text(book, sheet, col, s),
        Cell::Int(i) => book.int(sheet, col, *i, Some(int)),
        Cell::Num(Num::Int(i)) => book.int(sheet, col, *i, Some(Style::Int)),
        Cell::Num(Num::Float(x)) => book.number(sheet, col, *x, None),
        Cell::Bool(b) => book.boolean(sheet, col, *b),
        // Hundredths of a percent to the percentage: 8496 → 84.96, the
        // double nearest to the decimal, as in rates.csv.
        Cell::Percent(p) => book.percent(sheet, col, p.0, Some(Style::Percent)),
        Cell::Date(d) => match excel_serial(*d) {
            Some(n) => book.int(sheet, col, n, Some(Style::Date)),
            None => book.text(sheet, col, &d.iso(), None),
        },
        Cell::Year(y) => book.int(sheet, col, i64::from(*y), Some(Style::Year)),
    }
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

/// The width of a number cell of `x` ([`width`]: the length of
/// [`crate::format::plain`] of `x`, plus 2) from the length of the text the
/// sheet got for it ([`Book::number_measured`]): the same but for whole
/// numbers, which `plain` writes without a sign on zero and as integers up
/// to 10^18. So that a float is formatted once, not once for the sheet and
/// once for its width.
fn float_width(x: f64, written: usize) -> usize {
    if x.fract() == 0.0 && x.abs() < 1e18 {
        int_len(x as i64) + 2
    } else {
        written + 2
    }
}

/// The width of a text, in characters: its longest line's.
fn text_width(s: &str) -> usize {
    s.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// The width a cell needs, in characters.
fn width(cell: &Cell<'_>) -> usize {
    match cell {
        Cell::Empty => 0,
        Cell::Text(s) => text_width(s),
        Cell::Int(i) => int_len(*i) + int_len(*i) / 3,
        Cell::Num(Num::Int(i)) => int_len(*i) + 2,
        Cell::Num(n) => n.plain().len() + 2,
        Cell::Bool(_) => 5,
        Cell::Percent(_) => 8,
        Cell::Date(_) | Cell::Year(_) => 10,
    }
}

fn column(c: usize) -> io::Result<u16> {
    u16::try_from(c).map_err(|_| io::Error::other("more columns than a sheet holds"))
}

/// The name of the `n`-th sheet (from 0) of a table.
fn sheet_name(t: &Table<'_>, n: usize) -> String {
    if n == 0 {
        t.sheet.to_string()
    } else {
        format!("{} ({})", t.sheet, n + 1)
    }
}

/// The first width of each column: its title's, within limits.
fn title_widths(t: &Table<'_>) -> Vec<usize> {
    t.columns
        .iter()
        .map(|col| {
            col.title
                .chars()
                .count()
                .min(24)
                .max(if col.ty == Type::Year { 6 } else { 4 })
        })
        .collect()
}

/// The last text written in a column of a table sheet: the rows of a
/// table repeat their agency, unit, etc. row after row, and the same text
/// has the same shared-string index, style and width.
#[derive(Default)]
struct LastText {
    text: String,
    /// Its shared-string index; none before the first text.
    index: Option<u32>,
    style: Option<Style>,
}

/// A table sheet being filled, row after row.
struct TableSheet {
    sheet: Sheet,
    /// Data rows written (the header is row 0).
    rows: u32,
    /// The widest cell of each column, in characters.
    widths: Vec<usize>,
    /// The style of each column's whole numbers.
    ints: Vec<Style>,
    /// The last text of each column.
    last: Vec<LastText>,
    /// The width of each text written, by its index.
    text_widths: TextWidths,
}

/// The width of the texts of a sheet ([`text_width`]), by their index in
/// the book's shared strings: each text measured once, not once per cell
/// (an indicator's id, name and unit come back every report).
#[derive(Default)]
struct TextWidths(Vec<u32>);

impl TextWidths {
    /// The width of `text`, whose shared-string index is `index`.
    fn of(&mut self, index: u32, text: &str) -> usize {
        // A text cut to a cell's limit shares its index with every text
        // that starts the same: measured every time.
        if text.len() > book::MAX_UNITS {
            return text_width(text);
        }
        let i = index as usize;
        if self.0.len() <= i {
            self.0.resize(i + 1, u32::MAX);
        }
        if self.0[i] == u32::MAX {
            self.0[i] = u32::try_from(text_width(text)).unwrap_or(u32::MAX - 1);
        }
        self.0[i] as usize
    }
}

impl TableSheet {
    fn new(book: &mut Book, t: &Table<'_>, n: usize) -> io::Result<TableSheet> {
        let mut sheet = book.start_sheet(sheet_name(t, n));
        book.row(&mut sheet, 0)?;
        for (c, col) in t.columns.iter().enumerate() {
            book.text(&mut sheet, column(c)?, &col.title, Some(Style::Header))?;
        }
        Ok(TableSheet {
            sheet,
            rows: 0,
            widths: title_widths(t),
            ints: t.columns.iter().map(int_style).collect(),
            last: t.columns.iter().map(|_| LastText::default()).collect(),
            text_widths: TextWidths::default(),
        })
    }

    fn row(&mut self, book: &mut Book, cells: &[Cell<'_>]) -> io::Result<()> {
        self.rows += 1;
        book.row(&mut self.sheet, self.rows)?;
        for (c, (cell, &int)) in cells.iter().zip(&self.ints).enumerate() {
            let col = column(c)?;
            if let (Cell::Text(s), Some(last)) = (cell, self.last.get_mut(c)) {
                match last.index {
                    // The text of the row above: same index, style and
                    // width (already counted).
                    Some(index) if last.text == **s => {
                        book.shared_text(&mut self.sheet, col, index, last.style)?;
                        continue;
                    }
                    _ => {
                        let style = needs_neutralising(s).then_some(Style::Quoted);
                        // Empty text: no index, and no width.
                        let Some(index) = book.text_indexed(&mut self.sheet, col, s, style)? else {
                            continue;
                        };
                        last.text.clear();
                        last.text.push_str(s);
                        last.index = Some(index);
                        last.style = style;
                        let w = self.text_widths.of(index, s);
                        if let Some(cw) = self.widths.get_mut(c) {
                            *cw = (*cw).max(w);
                        }
                        continue;
                    }
                }
            } else if let Cell::Num(Num::Float(x)) = cell {
                let written = book.number_measured(&mut self.sheet, col, *x, None)?;
                if let Some(w) = self.widths.get_mut(c) {
                    *w = (*w).max(float_width(*x, written));
                }
                continue;
            } else {
                write_cell(book, &mut self.sheet, col, cell, int)?;
            }
            if let Some(w) = self.widths.get_mut(c) {
                *w = (*w).max(width(cell));
            }
        }
        Ok(())
    }

    /// Column widths, frozen header and filter, once every row is in.
    fn finish(self, book: &mut Book, t: &Table<'_>) -> io::Result<()> {
        let widths = self.widths.iter().map(|w| (w + 2).min(MAX_WIDTH)).collect();
        let last_col = column(t.columns.len().saturating_sub(1))?;
        book.finish_sheet(
            self.sheet,
            widths,
            true,
            Some(((0, 0), (self.rows, last_col))),
        )
    }
}

/// One table in as many sheets as Excel's row limit needs, row by row.
fn table_sheets(book: &mut Book, t: &Table<'_>) -> io::Result<()> {
    let per_sheet = u32::try_from(MAX_ROWS - 1).map_err(io::Error::other)?;
    table_sheets_of(book, t, per_sheet)
}

/// [`table_sheets`] with at most `per_sheet` rows below each header.
fn table_sheets_of(book: &mut Book, t: &Table<'_>, per_sheet: u32) -> io::Result<()> {
    let mut n = 0;
    // A sheet's rows are one run of the spool: finished before the next.
    let mut sheet = Some(TableSheet::new(book, t, n)?);
    t.for_each_row(&mut |cells| {
        let mut s = sheet
            .take()
            .ok_or_else(|| io::Error::other("a table sheet was lost"))?;
        if s.rows == per_sheet {
            s.finish(book, t)?;
            n += 1;
            s = TableSheet::new(book, t, n)?;
        }
        s.row(book, cells)?;
        sheet = Some(s);
        Ok(())
    })?;
    match sheet {
        Some(s) => s.finish(book, t),
        None => Err(io::Error::other("a table sheet was lost")),
    }
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

/// The read-me sheet's rows (label, text): what the workbook is, who
/// publishes it under which licence, how the figures are computed, and
/// what each sheet holds.
fn readme_rows(
    model: &Model,
    year: i32,
    version: &str,
    tables: &[Table<'_>],
) -> Vec<(String, String)> {
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
        ("Phiên bản".into(), version.to_string()),
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

    rows
}

/// The read-me sheet: the site's title, then the rows of [`readme_rows`].
fn readme(
    book: &mut Book,
    model: &Model,
    year: i32,
    version: &str,
    tables: &[Table<'_>],
) -> io::Result<()> {
    let rows = readme_rows(model, year, version, tables);
    let mut sheet = book.start_sheet("Giới thiệu".to_string());
    book.row(&mut sheet, 0)?;
    book.text(
        &mut sheet,
        0,
        &vi(&model.input.site.title, model),
        Some(Style::Title),
    )?;
    for (i, (k, v)) in rows.iter().enumerate() {
        let row = u32::try_from(i + 2).map_err(io::Error::other)?;
        book.row(&mut sheet, row)?;
        book.text(&mut sheet, 0, k, Some(Style::Label))?;
        book.text(&mut sheet, 1, v, Some(Style::Wrap))?;
    }
    book.finish_sheet(sheet, vec![26, 100], false, None)
}

/// The document properties: title, publisher, subject; the creation date
/// is the date of the data, never the clock.
fn props(model: &Model, year: i32) -> Props {
    let site = &model.input.site;
    let (first, last) = super::book_years(model, year);
    let (years, _) = super::years_words(first, last);
    let created = super::data_date_in(model, first, last)
        .filter(|d| excel_serial(*d).is_some())
        .and_then(|d| Some((u16::try_from(d.year).ok()?, d.month, d.day)))
        .unwrap_or((2000, 1, 1));
    Props {
        title: vi(&site.title, model),
        author: vi(&site.publisher.name, model),
        company: vi(&site.publisher.name, model),
        subject: format!("Số liệu chuyển đổi số {years}"),
        keywords: "chuyển đổi số, dịch vụ công trực tuyến, chữ ký số".to_string(),
        comment: format!("Giấy phép {}", site.license),
        created,
    }
}

/// Writes the workbook of `year` to `out`: the figures of that year, or of
/// every year for the latest one.
pub fn write_workbook(model: &Model, year: i32, out: &mut (dyn Write + Send)) -> io::Result<()> {
    let (first, last) = super::book_years(model, year);
    let tables = tables::sheets(model, (first == last).then_some(year));
    let mut book = Book::new();
    readme(&mut book, model, year, &super::version(model), &tables)?;
    for t in &tables {
        table_sheets(&mut book, t)?;
    }
    book.write(&props(model, year), LEVEL, out)
}
