//! A workbook being written: its sheets' rows go to a [`Spool`] as XML as
//! they come, strings to the shared-strings table, styles get their index
//! on first use; [`Book::write`] then puts the parts in a zip stream in
//! rust_xlsxwriter's order and with its options, so that the bytes are
//! those rust_xlsxwriter 0.102 wrote (see the module doc of `xlsx`).

use std::io::{self, Write};

use ahash::AHashMap;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::super::push_int;
use super::parts::{self, Props, SheetPart};
use super::spool::Spool;
use super::styles::{Style, Styles};

/// Excel's limits: rows and columns of a sheet, UTF-16 units of a cell.
pub const ROW_MAX: u32 = 1_048_576;
pub const COL_MAX: u16 = 16_384;
pub const MAX_UNITS: usize = 32_767;

/// Excel's default column width in pixels, and the pixels of a digit and
/// of a cell's padding in the default font.
const DEFAULT_WIDTH_PX: u32 = 64;
const DIGIT_PX: u32 = 7;
const PADDING_PX: u32 = 5;
/// The widest column Excel takes, in pixels.
const MAX_WIDTH_PX: u32 = 1790;

/// Text cut to what a cell holds: 32,767 UTF-16 units.
fn cut(s: &str) -> &str {
    if s.len() <= MAX_UNITS {
        return s;
    }
    let mut units = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > MAX_UNITS {
            return &s[..i];
        }
    }
    s
}

#[cfg(test)]
#[test]
fn whole_numbers_are_written_as_rust_writes_them() {
    for v in [
        0,
        1,
        9,
        10,
        99,
        100,
        12_345,
        -1,
        -10,
        -999,
        i64::MAX,
        i64::MIN,
    ] {
        let mut out = b"x".to_vec();
        push_int(&mut out, v);
        assert_eq!(out, format!("x{v}").into_bytes());
    }
    for x in [
        0.0,
        -0.0,
        1.0,
        -7.0,
        0.5,
        1e21,
        9_007_199_254_740_993.0,
        -2.5e-9,
    ] {
        let mut out = Vec::new();
        push_number(&mut out, x);
        assert_eq!(out, format!("{x}").into_bytes());
    }
}

/// Appends a number as Rust prints an `f64` (as rust_xlsxwriter does):
/// whole numbers without a decimal point.
#[inline]
fn push_number(out: &mut Vec<u8>, x: f64) {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if x.fract() == 0.0 && x.abs() < EXACT && !(x == 0.0 && x.is_sign_negative()) {
        push_int(out, x as i64);
    } else {
        // Writing to a Vec cannot fail.
        let _ = write!(out, "{x}");
    }
}

/// Below this many hundredths (in absolute value) a percentage has at most
/// 15 significant digits: the double nearest to it prints as the decimal
/// itself, so [`push_hundredths`] writes what [`push_number`] writes for
/// `hundredths as f64 / 100.0`.
const HUNDREDTHS_EXACT: u64 = 1_000_000_000_000_000;

/// Appends a number of hundredths as the decimal it stands for, with no
/// trailing zeros (8496 → `84.96`, 8490 → `84.9`, 8500 → `85`, -5 →
/// `-0.05`): what [`push_number`] writes for `hundredths as f64 / 100.0`
/// while `hundredths` is below [`HUNDREDTHS_EXACT`], without formatting a
/// float.
fn push_hundredths(out: &mut Vec<u8>, hundredths: i64) {
    let a = hundredths.unsigned_abs();
    let (whole, cents) = (a / 100, a % 100);
    if cents == 0 {
        push_int(out, hundredths / 100);
        return;
    }
    if hundredths < 0 {
        out.push(b'-');
    }
    for &d in crate::format::digits(whole, &mut [0u8; 20]) {
        out.push(d);
    }
    out.push(b'.');
    out.push(b'0' + (cents / 10) as u8);
    if cents % 10 != 0 {
        out.push(b'0' + (cents % 10) as u8);
    }
}

#[cfg(test)]
#[test]
fn hundredths_are_written_as_the_float_of_the_percentage() {
    let mut x: u64 = 1;
    let mut values = vec![
        0,
        1,
        -1,
        5,
        -5,
        10,
        -10,
        99,
        100,
        -100,
        101,
        8496,
        8490,
        8500,
        10_000,
        -8496,
        HUNDREDTHS_EXACT as i64 - 1,
        -(HUNDREDTHS_EXACT as i64 - 1),
        HUNDREDTHS_EXACT as i64 - 100,
    ];
    for _ in 0..20_000 {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        // Spread over every magnitude below the limit.
        let v = (x >> 11) % (10u64.pow((x % 16) as u32 + 1)).min(HUNDREDTHS_EXACT);
        let v = v as i64;
        values.push(if x & 1 == 0 { v } else { -v });
    }
    for h in values {
        let (mut fast, mut float) = (Vec::new(), Vec::new());
        push_hundredths(&mut fast, h);
        push_number(&mut float, h as f64 / 100.0);
        assert_eq!(
            String::from_utf8_lossy(&fast),
            String::from_utf8_lossy(&float),
            "{h}"
        );
    }
}

/// The first and last cells written in a sheet.
#[derive(Debug, Clone, Copy)]
struct Extent {
    first: (u32, u16),
    last: (u32, u16),
}

/// A sheet being written, row after row.
pub struct Sheet {
    name: String,
    /// Its first byte in the spool.
    start: u64,
    /// The row being written, and whether its `<row>` is open.
    row: u32,
    open: bool,
    extent: Option<Extent>,
    /// Column names, A, B, …, made as the columns come.
    columns: Vec<String>,
    /// The row's number as written (from 1), and the row it is of: written
    /// once per row rather than once per cell.
    row_digits: Vec<u8>,
    row_digits_of: Option<u32>,
    /// Column widths in characters, set by [`Book::finish_sheet`].
    widths: Vec<usize>,
    frozen_header: bool,
    filter: Option<((u32, u16), (u32, u16))>,
}

/// A finished sheet, waiting in the spool.
struct Done {
    part: SheetPart,
    head: String,
    tail: String,
    start: u64,
    end: u64,
}

/// The workbook being written.
#[derive(Default)]
pub struct Book {
    styles: Styles,
    /// The shared strings and their index; `count` counts every use.
    strings: AHashMap<Box<str>, u32>,
    count: u64,
    spool: Spool,
    sheets: Vec<Done>,
}

impl Book {
    pub fn new() -> Book {
        Book::default()
    }

    pub fn start_sheet(&mut self, name: String) -> Sheet {
        Sheet {
            name,
            start: self.spool.len(),
            row: 0,
            open: false,
            extent: None,
            columns: Vec::new(),
            row_digits: Vec::new(),
            row_digits_of: None,
            widths: Vec::new(),
            frozen_header: false,
            filter: None,
        }
    }

    /// Moves on to row `row` (0-based, never back): closes the row before.
    pub fn row(&mut self, s: &mut Sheet, row: u32) -> io::Result<()> {
        if s.open {
            self.spool.buf.extend_from_slice(b"</row>");
            s.open = false;
            self.spool.settle()?;
        }
        if row >= ROW_MAX {
            return Err(io::Error::other(format!(
                "sheet «{}»: more than {ROW_MAX} rows",
                s.name
            )));
        }
        s.row = row;
        Ok(())
    }

    /// Opens the cell `<c r=".." s=".."` of column `col` of the row.
    fn cell_start(&mut self, s: &mut Sheet, col: u16, style: Option<Style>) -> io::Result<()> {
        if col >= COL_MAX {
            return Err(io::Error::other(format!(
                "sheet «{}»: more than {COL_MAX} columns",
                s.name
            )));
        }
        let at = (s.row, col);
        s.extent = Some(match s.extent {
            None => Extent {
                first: at,
                last: at,
            },
            Some(e) => Extent {
                first: (e.first.0.min(at.0), e.first.1.min(at.1)),
                last: (e.last.0.max(at.0), e.last.1.max(at.1)),
            },
        });
        while s.columns.len() <= usize::from(col) {
            let next = u16::try_from(s.columns.len()).map_err(io::Error::other)?;
            s.columns.push(parts::column_name(next));
        }
        let xf = style.map_or(0, |st| self.styles.index(st));
        if s.row_digits_of != Some(s.row) {
            s.row_digits.clear();
            push_int(&mut s.row_digits, i64::from(s.row) + 1);
            s.row_digits_of = Some(s.row);
        }
        let buf = &mut self.spool.buf;
        if !s.open {
            buf.extend_from_slice(b"<row r=\"");
            buf.extend_from_slice(&s.row_digits);
            buf.extend_from_slice(b"\">");
            s.open = true;
        }
        buf.extend_from_slice(b"<c r=\"");
        for &b in s.columns[usize::from(col)].as_bytes() {
            buf.push(b);
        }
        for &b in &s.row_digits {
            buf.push(b);
        }
        if xf > 0 {
            buf.extend_from_slice(b"\" s=\"");
            push_int(buf, i64::from(xf));
        }
        buf.push(b'"');
        Ok(())
    }

    /// A text cell. Empty text is no cell, or a blank cell with a style.
    pub fn text(
        &mut self,
        s: &mut Sheet,
        col: u16,
        text: &str,
        style: Option<Style>,
    ) -> io::Result<()> {
        self.text_indexed(s, col, text, style).map(|_| ())
    }

    /// [`Book::text`], giving the index of the text in the shared strings
    /// (none for empty text): [`Book::shared_text`] writes the same text
    /// again from it, without looking it up.
    pub fn text_indexed(
        &mut self,
        s: &mut Sheet,
        col: u16,
        text: &str,
        style: Option<Style>,
    ) -> io::Result<Option<u32>> {
        if text.is_empty() {
            if let Some(style) = style {
                self.cell_start(s, col, Some(style))?;
                self.spool.buf.extend_from_slice(b"/>");
            }
            return Ok(None);
        }
        let text = cut(text);
        let next = u32::try_from(self.strings.len()).map_err(io::Error::other)?;
        let index = match self.strings.get(text) {
            Some(&i) => i,
            None => {
                self.strings.insert(text.into(), next);
                next
            }
        };
        self.shared_text(s, col, index, style)?;
        Ok(Some(index))
    }

    /// A text cell of a text already in the shared strings, by its index
    /// (from [`Book::text_indexed`] of this book).
    pub fn shared_text(
        &mut self,
        s: &mut Sheet,
        col: u16,
        index: u32,
        style: Option<Style>,
    ) -> io::Result<()> {
        self.cell_start(s, col, style)?;
        self.count += 1;
        let buf = &mut self.spool.buf;
        buf.extend_from_slice(b" t=\"s\"><v>");
        push_int(buf, i64::from(index));
        buf.extend_from_slice(b"</v></c>");
        Ok(())
    }

    /// A number cell. Excel has no NaN nor infinity: those are text.
    pub fn number(
        &mut self,
        s: &mut Sheet,
        col: u16,
        x: f64,
        style: Option<Style>,
    ) -> io::Result<()> {
        self.number_measured(s, col, x, style).map(|_| ())
    }

    /// [`Book::number`], giving the length of the text written for `x` (of
    /// `NAN`, `INF` or `-INF` for those).
    pub fn number_measured(
        &mut self,
        s: &mut Sheet,
        col: u16,
        x: f64,
        style: Option<Style>,
    ) -> io::Result<usize> {
        if !x.is_finite() {
            let text = if x.is_nan() {
                "NAN"
            } else if x > 0.0 {
                "INF"
            } else {
                "-INF"
            };
            self.text(s, col, text, style)?;
            return Ok(text.len());
        }
        self.cell_start(s, col, style)?;
        let buf = &mut self.spool.buf;
        buf.extend_from_slice(b"><v>");
        let start = buf.len();
        push_number(buf, x);
        let len = buf.len() - start;
        buf.extend_from_slice(b"</v></c>");
        Ok(len)
    }

    /// A percentage cell from its hundredths (8496 → 84.96): the cell
    /// [`Book::number`] writes for `hundredths as f64 / 100.0`, the double
    /// nearest to the decimal, written from the digits without formatting a
    /// float (one per rate of a workbook).
    pub fn percent(
        &mut self,
        s: &mut Sheet,
        col: u16,
        hundredths: i64,
        style: Option<Style>,
    ) -> io::Result<()> {
        if hundredths.unsigned_abs() >= HUNDREDTHS_EXACT {
            return self.number(s, col, hundredths as f64 / 100.0, style);
        }
        self.cell_start(s, col, style)?;
        let buf = &mut self.spool.buf;
        buf.extend_from_slice(b"><v>");
        push_hundredths(buf, hundredths);
        buf.extend_from_slice(b"</v></c>");
        Ok(())
    }

    /// A whole-number cell: the number Excel gets is `v as f64`.
    pub fn int(&mut self, s: &mut Sheet, col: u16, v: i64, style: Option<Style>) -> io::Result<()> {
        self.number(s, col, v as f64, style)
    }

    pub fn boolean(&mut self, s: &mut Sheet, col: u16, b: bool) -> io::Result<()> {
        self.cell_start(s, col, None)?;
        self.spool.buf.extend_from_slice(if b {
            b" t=\"b\"><v>1</v></c>"
        } else {
            b" t=\"b\"><v>0</v></c>"
        });
        Ok(())
    }

    /// Closes the sheet: its column widths (characters), a frozen first
    /// row and a filter on the range given.
    pub fn finish_sheet(
        &mut self,
        mut s: Sheet,
        widths: Vec<usize>,
        frozen_header: bool,
        filter: Option<((u32, u16), (u32, u16))>,
    ) -> io::Result<()> {
        self.row(&mut s, 0)?;
        s.widths = widths;
        s.frozen_header = frozen_header;
        s.filter = filter;
        let selected = self.sheets.is_empty();
        let has_cells = s.extent.is_some();
        let head = sheet_head(&s, selected);
        let mut tail = String::new();
        if has_cells {
            tail.push_str("</sheetData>");
        }
        if let Some((first, last)) = s.filter {
            tail.push_str(&format!(
                "<autoFilter ref=\"{}\"/>",
                parts::range(first, last, false)
            ));
        }
        tail.push_str("<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></worksheet>");
        self.sheets.push(Done {
            part: SheetPart {
                name: s.name,
                filter: s.filter,
            },
            head,
            tail,
            start: s.start,
            end: self.spool.len(),
        });
        Ok(())
    }

    /// Writes the workbook to `out`, a zip stream: the parts in
    /// rust_xlsxwriter's order, deflated at `level`.
    pub fn write(
        mut self,
        props: &Props,
        level: i64,
        out: &mut (dyn Write + Send),
    ) -> io::Result<()> {
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(level))
            .unix_permissions(0o600)
            .last_modified_time(DateTime::default())
            .large_file(false);
        let mut zip = ZipWriter::new_stream(out);
        let n = self.sheets.len();
        let has_strings = self.count > 0;
        let sheet_parts: Vec<SheetPart> = self
            .sheets
            .iter()
            .map(|d| SheetPart {
                name: d.part.name.clone(),
                filter: d.part.filter,
            })
            .collect();
        let part = |zip: &mut ZipWriter<_>, name: &str, bytes: &[u8]| -> io::Result<()> {
            zip.start_file(name, options).map_err(io::Error::other)?;
            zip.write_all(bytes)
        };
        part(
            &mut zip,
            "[Content_Types].xml",
            parts::content_types(n, has_strings).as_bytes(),
        )?;
        part(&mut zip, "_rels/.rels", parts::root_rels().as_bytes())?;
        part(
            &mut zip,
            "xl/_rels/workbook.xml.rels",
            parts::workbook_rels(n, has_strings).as_bytes(),
        )?;
        part(&mut zip, "xl/theme/theme1.xml", parts::THEME)?;
        part(
            &mut zip,
            "xl/styles.xml",
            parts::styles(&self.styles).as_bytes(),
        )?;
        part(
            &mut zip,
            "xl/workbook.xml",
            parts::workbook(&sheet_parts).as_bytes(),
        )?;
        let sheets = std::mem::take(&mut self.sheets);
        for (i, d) in sheets.iter().enumerate() {
            part(
                &mut zip,
                &format!("xl/worksheets/sheet{}.xml", i + 1),
                d.head.as_bytes(),
            )?;
            self.spool.copy(d.start, d.end, &mut zip)?;
            zip.write_all(d.tail.as_bytes())?;
        }
        drop(sheets);
        if has_strings {
            zip.start_file("xl/sharedStrings.xml", options)
                .map_err(io::Error::other)?;
            self.write_strings(&mut zip)?;
        }
        part(&mut zip, "docProps/core.xml", parts::core(props).as_bytes())?;
        part(
            &mut zip,
            "docProps/app.xml",
            parts::app(props, &sheet_parts).as_bytes(),
        )?;
        zip.finish().map_err(io::Error::other)?;
        Ok(())
    }

    /// `xl/sharedStrings.xml`: the strings in the order of their index.
    fn write_strings(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let mut strings: Vec<(Box<str>, u32)> =
            std::mem::take(&mut self.strings).into_iter().collect();
        strings.sort_unstable_by_key(|&(_, i)| i);
        let mut x = format!(
            "{}<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"{}\" uniqueCount=\"{}\">",
            parts::DECLARATION,
            self.count,
            strings.len()
        );
        for (s, _) in &strings {
            let blank = ['\t', '\n', ' '];
            if s.starts_with(blank) || s.ends_with(blank) {
                x.push_str("<si><t xml:space=\"preserve\">");
            } else {
                x.push_str("<si><t>");
            }
            parts::push_shared_string(&mut x, s);
            x.push_str("</t></si>");
            if x.len() >= 64 << 10 {
                out.write_all(x.as_bytes())?;
                x.clear();
            }
        }
        x.push_str("</sst>");
        out.write_all(x.as_bytes())
    }
}

/// A sheet's XML up to its rows: its extent, view, column widths.
fn sheet_head(s: &Sheet, selected: bool) -> String {
    let mut x = format!(
        "{}<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">",
        parts::DECLARATION
    );
    let extent = s.extent.map_or_else(
        || "A1".to_string(),
        |e| parts::range(e.first, e.last, false),
    );
    x.push_str(&format!(
        "<dimension ref=\"{extent}\"/><sheetViews><sheetView"
    ));
    if selected {
        x.push_str(" tabSelected=\"1\"");
    }
    if s.frozen_header {
        x.push_str(" workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/><selection pane=\"bottomLeft\"/></sheetView>");
    } else {
        x.push_str(" workbookViewId=\"0\"/>");
    }
    x.push_str("</sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>");
    // Widths in pixels, as Excel counts them; neighbours of the same width
    // share one <col>.
    let pixels: Vec<u32> = s
        .widths
        .iter()
        .map(|&w| {
            // A width of 0 would hide the column: never less than 1.
            let w = u32::try_from(w).unwrap_or(u32::MAX).max(1);
            w.saturating_mul(DIGIT_PX)
                .saturating_add(PADDING_PX)
                .min(MAX_WIDTH_PX)
        })
        .collect();
    if !pixels.is_empty() {
        x.push_str("<cols>");
        let mut first = 0;
        for i in 0..pixels.len() {
            if pixels.get(i + 1) != Some(&pixels[i]) {
                let px = pixels[i];
                let chars = f64::from(px * 256 / DIGIT_PX) / 256.0;
                x.push_str(&format!(
                    "<col min=\"{}\" max=\"{}\" width=\"{chars}\"",
                    first + 1,
                    i + 1
                ));
                if px != DEFAULT_WIDTH_PX {
                    x.push_str(" customWidth=\"1\"");
                }
                x.push_str("/>");
                first = i + 1;
            }
        }
        x.push_str("</cols>");
    }
    x.push_str(if s.extent.is_some() {
        "<sheetData>"
    } else {
        "<sheetData/>"
    });
    x
}
