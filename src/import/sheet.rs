//! Reading one sheet of an agency's form: `.xlsx`, `.xls`, `.ods` with
//! calamine, `.csv`/`.tsv` with the csv crate. Cells come out as people see
//! them in Excel: numbers, text, the cached result of a formula, dates as
//! `24/11/2022`. A merged cell keeps its content in its first cell and the
//! other cells of the merge are empty; the merges are kept so that the
//! table reader can give a merged evidence cell to every row it spans.
//!
//! Memory is bounded: a file larger than [`MAX_FILE_BYTES`], a workbook
//! that unpacks to more than [`MAX_UNPACKED_BYTES`], or a sheet with data
//! past row [`MAX_ROWS`] or column [`MAX_COLUMNS`] is refused with a clear
//! error before (or while) it is read, never half-imported.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use calamine::{Data, DataRef, Reader};

/// The largest file read: a form of a few hundred rows is well under 1 MB.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;
/// The largest total unpacked size of an `.xlsx`/`.ods` (a zip archive).
pub const MAX_UNPACKED_BYTES: u64 = 100 * 1024 * 1024;
/// The last row read; data below it is an error.
pub const MAX_ROWS: usize = 20_000;
/// The last column read; data right of it is an error.
pub const MAX_COLUMNS: usize = 64;

/// One cell as shown in the spreadsheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    /// A number cell (or a formula's numeric result).
    Number(f64),
    Text(String),
    Bool(bool),
    /// A date cell, shown as `24/11/2022`.
    Date(String),
    /// An Excel error value such as `#DIV/0!`.
    Error(String),
}

impl Cell {
    /// The cell as text, as a spreadsheet shows it (`43`, `92.5`, `có`).
    pub fn shown(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Number(x) => shown_number(*x),
            Cell::Text(s) | Cell::Date(s) | Cell::Error(s) => s.clone(),
            Cell::Bool(true) => "TRUE".to_string(),
            Cell::Bool(false) => "FALSE".to_string(),
        }
    }

    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// A number as Excel's General format shows it: `43`, `92.5`, no float
/// noise (`0.30000000000000004` is `0.3`).
pub fn shown_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        return format!("{}", x as i64);
    }
    let s = format!("{x:.10}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// A merged range, 0-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub first_row: usize,
    pub last_row: usize,
    pub first_col: usize,
    pub last_col: usize,
}

/// The cells of one sheet: `rows[r][c]` is the cell of sheet row `r + 1`,
/// column `c + 1`. Rows may be shorter than others.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
    pub merges: Vec<Merge>,
}

impl Sheet {
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        static EMPTY: Cell = Cell::Empty;
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&EMPTY)
    }

    fn set(&mut self, row: usize, col: usize, cell: Cell) -> Result<(), SheetError> {
        if cell.is_blank() {
            return Ok(());
        }
        if row >= MAX_ROWS {
            return Err(SheetError::TooLarge(format!(
                "the sheet has data in row {}; forms are read up to row {MAX_ROWS}: remove what lies below the form or check that this is the right file",
                row + 1
            )));
        }
        if col >= MAX_COLUMNS {
            return Err(SheetError::TooLarge(format!(
                "the sheet has data in column {}; forms are read up to column {MAX_COLUMNS}: remove what lies right of the form",
                col + 1
            )));
        }
        if self.rows.len() <= row {
            self.rows.resize_with(row + 1, Vec::new);
        }
        let r = &mut self.rows[row];
        if r.len() <= col {
            r.resize(col + 1, Cell::Empty);
        }
        r[col] = cell;
        Ok(())
    }
}

/// Why a file cannot be read as a form.
#[derive(Debug, Clone, PartialEq)]
pub enum SheetError {
    /// Past one of the documented limits.
    TooLarge(String),
    /// Not a spreadsheet of a supported kind, or a damaged one.
    Unreadable(String),
    /// The form names a sheet the workbook does not have.
    NoSheet(String),
}

impl std::fmt::Display for SheetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SheetError::TooLarge(m) | SheetError::Unreadable(m) | SheetError::NoSheet(m) => {
                f.write_str(m)
            }
        }
    }
}

/// The file kinds read, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xls,
    Ods,
    Csv,
    Tsv,
}

impl Format {
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "xlsx" | "xlsm" => Format::Xlsx,
            "xls" => Format::Xls,
            "ods" => Format::Ods,
            "csv" => Format::Csv,
            "tsv" | "txt" => Format::Tsv,
            _ => return None,
        })
    }
}

/// The sheet names of a workbook (one, "", for CSV/TSV).
pub fn sheet_names(path: &Path) -> Result<Vec<String>, SheetError> {
    let format = check_file(path)?;
    match format {
        Format::Csv | Format::Tsv => Ok(vec![String::new()]),
        _ => {
            let wb = calamine::open_workbook_auto(path).map_err(|e| unreadable(format, &e))?;
            Ok(wb.sheet_names())
        }
    }
}

/// Reads `sheet` (or the first sheet) of the file at `path`.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Sheet, SheetError> {
    let format = check_file(path)?;
    match format {
        Format::Csv | Format::Tsv => read_delimited(path, format),
        Format::Xlsx => read_xlsx(path, sheet),
        Format::Xls | Format::Ods => read_other(path, format, sheet),
    }
}

/// The extension, the size and, for zip-based workbooks, the unpacked size.
fn check_file(path: &Path) -> Result<Format, SheetError> {
    let format = Format::of(path).ok_or_else(|| {
        SheetError::Unreadable(
            "this is not a spreadsheet minhbach reads: save the form as .xlsx, .xls, .ods, .csv or .tsv"
                .to_string(),
        )
    })?;
    let meta = std::fs::metadata(path)
        .map_err(|e| SheetError::Unreadable(format!("the file cannot be read: {e}")))?;
    if !meta.is_file() {
        return Err(SheetError::Unreadable("this is not a file".to_string()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(SheetError::TooLarge(format!(
            "the file is {:.1} MB; forms larger than {} MB are not read (a form of a few hundred rows is well under 1 MB): check that this is the right file, or delete what is not part of the form",
            meta.len() as f64 / 1_048_576.0,
            MAX_FILE_BYTES / 1_048_576
        )));
    }
    if matches!(format, Format::Xlsx | Format::Ods) {
        let file = File::open(path)
            .map_err(|e| SheetError::Unreadable(format!("the file cannot be read: {e}")))?;
        let archive = zip::ZipArchive::new(BufReader::new(file)).map_err(|_| {
            SheetError::Unreadable(format!(
                "this file is not a valid {} workbook (it is damaged, or another kind of file renamed): open it in a spreadsheet program and save it again",
                format_name(format)
            ))
        })?;
        let unpacked: u64 = archive
            .decompressed_size()
            .map(|s| u64::try_from(s).unwrap_or(u64::MAX))
            .unwrap_or(0);
        if unpacked > MAX_UNPACKED_BYTES {
            return Err(SheetError::TooLarge(format!(
                "the workbook unpacks to {:.0} MB; workbooks of more than {} MB are not read: check that this is the right file",
                unpacked as f64 / 1_048_576.0,
                MAX_UNPACKED_BYTES / 1_048_576
            )));
        }
    }
    Ok(format)
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Xlsx => ".xlsx",
        Format::Xls => ".xls",
        Format::Ods => ".ods",
        Format::Csv => ".csv",
        Format::Tsv => ".tsv",
    }
}

fn unreadable(format: Format, e: &dyn std::fmt::Display) -> SheetError {
    SheetError::Unreadable(format!(
        "this file cannot be read as a {} workbook ({e}): open it in a spreadsheet program and save it again",
        format_name(format)
    ))
}

fn pick_sheet(names: &[String], wanted: Option<&str>) -> Result<String, SheetError> {
    match wanted {
        Some(w) => names
            .iter()
            .find(|n| n.as_str() == w)
            .or_else(|| {
                let fw = crate::text::fold(w.trim());
                names.iter().find(|n| crate::text::fold(n.trim()) == fw)
            })
            .cloned()
            .ok_or_else(|| {
                SheetError::NoSheet(format!(
                    "the workbook has no sheet \"{w}\" (its sheets: {}); rename the sheet or change `sheet` in the form",
                    names
                        .iter()
                        .map(|n| format!("\"{n}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }),
        None => names.first().cloned().ok_or_else(|| {
            SheetError::Unreadable("the workbook has no sheet".to_string())
        }),
    }
}

fn read_xlsx(path: &Path, wanted: Option<&str>) -> Result<Sheet, SheetError> {
    let mut wb: calamine::Xlsx<BufReader<File>> =
        calamine::open_workbook(path).map_err(|e| unreadable(Format::Xlsx, &e))?;
    let name = pick_sheet(&wb.sheet_names(), wanted)?;
    let mut sheet = Sheet {
        name: name.clone(),
        ..Sheet::default()
    };
    {
        // Cell by cell: a stray value far away is refused, never allocated.
        let mut cells = wb
            .worksheet_cells_reader(&name)
            .map_err(|e| unreadable(Format::Xlsx, &e))?;
        while let Some(c) = cells
            .next_cell()
            .map_err(|e| unreadable(Format::Xlsx, &e))?
        {
            let (r, col) = c.get_position();
            sheet.set(r as usize, col as usize, from_ref(c.get_value()))?;
        }
    }
    if let Ok(dims) = wb.merge_cells_by_sheet_name(&name) {
        sheet.merges = dims.iter().map(merge_of).collect();
    }
    Ok(sheet)
}

fn read_other(path: &Path, format: Format, wanted: Option<&str>) -> Result<Sheet, SheetError> {
    let mut wb = calamine::open_workbook_auto(path).map_err(|e| unreadable(format, &e))?;
    let name = pick_sheet(&wb.sheet_names(), wanted)?;
    let merges = match &wb {
        calamine::Sheets::Xls(x) => x
            .merge_cells_by_sheet_name(&name)
            .map(|d| d.iter().map(merge_of).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let range = wb
        .worksheet_range(&name)
        .map_err(|e| unreadable(format, &e))?;
    let mut sheet = Sheet {
        name,
        merges,
        ..Sheet::default()
    };
    let (r0, c0) = range.start().unwrap_or((0, 0));
    for (dr, row) in range.rows().enumerate() {
        for (dc, v) in row.iter().enumerate() {
            sheet.set(r0 as usize + dr, c0 as usize + dc, from_data(v))?;
        }
    }
    Ok(sheet)
}

fn merge_of(d: &calamine::Dimensions) -> Merge {
    Merge {
        first_row: d.start.0 as usize,
        last_row: d.end.0 as usize,
        first_col: d.start.1 as usize,
        last_col: d.end.1 as usize,
    }
}

fn from_data(v: &Data) -> Cell {
    match v {
        Data::Empty => Cell::Empty,
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) => date_cell(d),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Date(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

fn from_ref(v: &DataRef<'_>) -> Cell {
    match v {
        DataRef::Empty => Cell::Empty,
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(d) => date_cell(d),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Date(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

fn date_cell(d: &calamine::ExcelDateTime) -> Cell {
    if d.is_duration() {
        return Cell::Number(d.as_f64());
    }
    let (y, m, day, ..) = d.to_ymd_hms_milli();
    Cell::Date(format!("{day:02}/{m:02}/{y}"))
}

fn read_delimited(path: &Path, format: Format) -> Result<Sheet, SheetError> {
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| SheetError::Unreadable(format!("the file cannot be read: {e}")))?;
    let text = decode_text(&bytes)?;
    let delimiter = match format {
        Format::Tsv => b'\t',
        _ => csv_delimiter(&text),
    };
    parse_delimited(&text, delimiter)
}

/// `;` when the file uses it between fields: Excel saves "CSV" with
/// semicolons where the comma is the decimal mark, as in Vietnamese.
fn csv_delimiter(text: &str) -> u8 {
    let head: String = text.lines().take(50).collect::<Vec<_>>().join("\n");
    let (semis, commas) = (head.matches(';').count(), head.matches(',').count());
    if semis > commas {
        b';'
    } else {
        b','
    }
}

/// UTF-8 text without its BOM; anything else is refused with the fix.
fn decode_text(bytes: &[u8]) -> Result<String, SheetError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(SheetError::Unreadable(
            "this file is a workbook with a text extension: rename it to .xlsx, .xls or .ods"
                .to_string(),
        ));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(SheetError::Unreadable(
            "this text file is UTF-16; save it as CSV UTF-8 (\"CSV UTF-8 (Comma delimited)\" in Excel)"
                .to_string(),
        ));
    }
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        SheetError::Unreadable(format!(
            "this text file is not UTF-8 (byte {} is not valid UTF-8): save it as CSV UTF-8 (\"CSV UTF-8 (Comma delimited)\" in Excel)",
            e.utf8_error().valid_up_to() + 1
        ))
    })
}

/// Parses CSV or TSV text; quoted fields may span lines.
pub fn parse_delimited(text: &str, delimiter: u8) -> Result<Sheet, SheetError> {
    if text.contains('\0') {
        return Err(SheetError::Unreadable(
            "this file holds binary data, not text: it is not a spreadsheet minhbach reads"
                .to_string(),
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .quoting(delimiter != b'\t')
        .from_reader(text.as_bytes());
    let mut sheet = Sheet::default();
    // The csv crate skips empty lines; a spreadsheet shows them as empty
    // rows, and a quoted field over several lines as one row. A record's
    // row is the physical line it ends on, less the line breaks inside
    // quoted fields so far.
    let bytes = text.as_bytes();
    let mut record = csv::StringRecord::new();
    let mut quoted_breaks = 0;
    // Line breaks before `scanned`, counted once.
    let (mut scanned, mut breaks) = (0, 0);
    loop {
        let more = reader.read_record(&mut record).map_err(|e| {
            SheetError::Unreadable(format!("the text cannot be read as CSV/TSV: {e}"))
        })?;
        if !more {
            break;
        }
        let end = (reader.position().byte() as usize).min(bytes.len());
        breaks += bytes[scanned..end.max(scanned)]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        scanned = end.max(scanned);
        let last_line = if end > 0 && bytes[end - 1] == b'\n' {
            breaks.saturating_sub(1)
        } else {
            breaks
        };
        quoted_breaks += record
            .iter()
            .map(|f| f.matches('\n').count())
            .sum::<usize>();
        let r = last_line.saturating_sub(quoted_breaks);
        for (c, field) in record.iter().enumerate() {
            let field = field.trim_end_matches('\r');
            sheet.set(r, c, Cell::Text(field.to_string()))?;
        }
    }
    Ok(sheet)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_shown_like_excel() {
        assert_eq!(shown_number(43.0), "43");
        assert_eq!(shown_number(92.5), "92.5");
        assert_eq!(shown_number(0.1 + 0.2), "0.3");
        assert_eq!(shown_number(510000000.0), "510000000");
    }

    #[test]
    fn tsv_and_csv() {
        let s = parse_delimited("STT\tNội dung\n1\tx\t5\n", b'\t').expect("tsv");
        assert_eq!(s.cell(1, 2), &Cell::Text("5".into()));
        assert_eq!(s.cell(5, 5), &Cell::Empty);
        let s = parse_delimited("a,\"b, c\nd\",e\r\n\nf\n", b',').expect("csv");
        assert_eq!(s.cell(0, 1), &Cell::Text("b, c\nd".into()));
        assert_eq!(s.cell(2, 0), &Cell::Text("f".into()));
        assert!(parse_delimited("a\0b", b',').is_err());
    }

    #[test]
    fn semicolon_csv() {
        let text = "STT;Chỉ số;Số liệu\n1;Tỷ lệ;84,96%\n2;\"a; b\";92,5\n";
        assert_eq!(csv_delimiter(text), b';');
        let s = parse_delimited(text, csv_delimiter(text)).expect("csv");
        assert_eq!(s.cell(1, 2), &Cell::Text("84,96%".into()));
        assert_eq!(s.cell(2, 1), &Cell::Text("a; b".into()));
        assert_eq!(csv_delimiter("a,b,c\n1,\"x;y\",3\n"), b',');
    }

    #[test]
    fn limits_are_errors() {
        let mut s = Sheet::default();
        assert!(matches!(
            s.set(MAX_ROWS, 0, Cell::Text("x".into())),
            Err(SheetError::TooLarge(_))
        ));
        assert!(matches!(
            s.set(0, MAX_COLUMNS, Cell::Text("x".into())),
            Err(SheetError::TooLarge(_))
        ));
        // Blank cells far away are not data.
        assert!(s.set(MAX_ROWS * 10, 0, Cell::Empty).is_ok());
        assert!(s.rows.is_empty());
    }

    #[test]
    fn text_encodings() {
        assert!(decode_text(b"\xEF\xBB\xBFa,b").is_ok());
        assert!(decode_text(b"\xFF\xFEa\0").is_err());
        assert!(decode_text(b"caf\xE9").is_err());
        assert!(decode_text(b"PK\x03\x04rest").is_err());
    }
}
