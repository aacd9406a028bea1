//! The workbooks against those of the rust_xlsxwriter-based writer they
//! replace ([`super::reference`]): the same parts, byte for byte, and the
//! same zip bytes.

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};

use super::book::{self, Book};
use super::parts::Props;
use super::*;
use crate::model::Percent;
use crate::publish::table::fixed_rows;

/// The entries of a zip: name and unpacked bytes, in order.
fn parts_of(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).expect("an entry");
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).expect("readable");
            (f.name().expect("a name").to_string(), bytes)
        })
        .collect()
}

/// Fails at the first part that differs, showing where.
fn assert_same(new: &[u8], old: &[u8], what: &str) {
    let (n, o) = (parts_of(new), parts_of(old));
    let names = |p: &[(String, Vec<u8>)]| p.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&n), names(&o), "{what}: the parts");
    for ((name, a), (_, b)) in n.iter().zip(&o) {
        if a != b {
            let at = a.iter().zip(b).take_while(|(x, y)| x == y).count();
            let around = |v: &[u8]| {
                String::from_utf8_lossy(&v[at.saturating_sub(120)..(at + 120).min(v.len())])
                    .into_owned()
            };
            panic!(
                "{what}: {name} differs at byte {at} (lengths {} and {}):\nnew: {}\nold: {}",
                a.len(),
                b.len(),
                around(a),
                around(b)
            );
        }
    }
    assert!(new == old, "{what}: same parts, other zip bytes");
}

use crate::site::sample_model;

#[test]
fn the_sample_workbooks_are_those_of_rust_xlsxwriter() {
    let model = sample_model();
    assert!(!model.years.is_empty());
    for &year in &model.years {
        let mut new = Vec::new();
        write_workbook(&model, year, &mut new).expect("written");
        let old = reference::workbook(&model, year).expect("reference");
        assert_same(&new, &old, &format!("workbook {year}"));
    }
}

fn props() -> Props {
    Props {
        title: "Bảng <thử> & \"kiểm\" 'tra'".to_string(),
        author: "Sở\u{1} Thông tin".to_string(),
        company: "Công ty\r\n".to_string(),
        subject: String::new(),
        keywords: "a, b".to_string(),
        comment: "Giấy phép _x0041_".to_string(),
        created: (2024, 2, 29),
    }
}

fn new_tables_workbook(p: &Props, tables: &[Table<'_>], per_sheet: u32) -> Vec<u8> {
    let mut book = Book::new();
    for t in tables {
        table_sheets_of(&mut book, t, per_sheet).expect("sheets");
    }
    let mut out = Vec::new();
    book.write(p, LEVEL, &mut out).expect("written");
    out
}

fn date(year: i32, month: u8, day: u8) -> Date {
    Date { year, month, day }
}

/// A table with a column of each kind and rows of every kind of cell.
fn every_kind<'a>() -> Table<'a> {
    let long = "ắ".repeat(MAX_CHARS_FOR_TEST + 10);
    let text = [
        "Sở Nội vụ",
        "=SUM(A1)",
        "+84 912",
        "-5",
        "@x",
        "'=quoted",
        "\ttab",
        "\nline",
        "<&>\"' đủ",
        "nul\u{0} bell\u{7} cr\r vt\u{B} us\u{1F} \u{FFFE}\u{FFFF}",
        " leading",
        "trailing ",
        "hai\ndòng",
        "_x0041_ and _x00zz_ and _x12345_ _x",
        "",
        "😀 astral",
    ];
    let mut rows: Vec<Vec<Cell<'a>>> = Vec::new();
    for (i, t) in text.iter().enumerate() {
        let i = i as i64;
        rows.push(vec![
            Cell::text(t.to_string()),
            Cell::Int(i * 1_234_567 - 3),
            Cell::Int(2 - i),
            Cell::Num(Num::Int(i * 1000 - 7)),
            Cell::Num(Num::Float(i as f64 / 7.0 - 1.0)),
            Cell::Bool(i % 2 == 0),
            Cell::Percent(Percent(8496 + i * 37)),
            Cell::Date(date(
                2020 + i as i32,
                1 + (i % 12) as u8,
                1 + (i * 3 % 28) as u8,
            )),
            Cell::Year(2010 + i as i32),
            Cell::Empty,
            Cell::text(format!("same width {}", i % 10)),
            Cell::text(format!("same width {}", i % 10)),
        ]);
    }
    rows.push(vec![
        Cell::text(long),
        Cell::Int(i64::MAX),
        Cell::Int(i64::MIN),
        Cell::Num(Num::Int(-(1 << 53) - 1)),
        Cell::Num(Num::Float(1e21)),
        Cell::Bool(false),
        Cell::Percent(Percent(-1)),
        Cell::Date(date(1800, 1, 1)),
        Cell::Year(-1),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
    ]);
    let floats = [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -0.0,
        0.1 + 0.2,
        1e-7,
        123456789.125,
        -2.5e300,
        f64::MIN_POSITIVE,
    ];
    let dates = [
        date(1899, 12, 31),
        date(1900, 1, 1),
        date(1900, 2, 28),
        date(1900, 2, 29),
        date(1900, 3, 1),
        date(2000, 2, 29),
        date(2023, 2, 29),
        date(9999, 12, 31),
        date(10000, 1, 1),
    ];
    for (x, d) in floats.into_iter().zip(dates) {
        rows.push(vec![
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Num(Num::Float(x)),
            Cell::Empty,
            Cell::Empty,
            Cell::Date(d),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
        ]);
    }
    // A row with nothing written: no <row> at all.
    rows.push(vec![Cell::Empty; 12]);
    rows.push(vec![Cell::text(""); 12]);
    Table {
        name: "t",
        sheet: "Mọi kiểu",
        title_vi: String::new(),
        description_vi: String::new(),
        description_en: String::new(),
        columns: vec![
            Column::new("text", Type::String, "Văn bản", ""),
            Column::new("count", Type::Integer, "Số lượng", ""),
            Column::new("rank_change", Type::Integer, "Thay đổi hạng", ""),
            Column::new("n", Type::Number, "Số", ""),
            Column::new(
                "x",
                Type::Number,
                "Số thực có tiêu đề rất dài, dài hơn hai mươi bốn ký tự",
                "",
            ),
            Column::new("b", Type::Boolean, "Có/không", ""),
            Column::new("p", Type::Percent, "Tỷ lệ (%)", ""),
            Column::new("d", Type::Date, "Ngày", ""),
            Column::new("y", Type::Year, "Năm", ""),
            Column::new("e", Type::String, "Trống", ""),
            Column::new("w1", Type::String, "=w", ""),
            Column::new("w2", Type::String, "", ""),
        ],
        rows: fixed_rows(rows),
        primary_key: vec![],
        foreign_keys: vec![],
    }
}

const MAX_CHARS_FOR_TEST: usize = 32_767;

fn small_table<'a>(sheet: &'static str, n: i64) -> Table<'a> {
    let rows: Vec<Vec<Cell<'_>>> = (1..=n)
        .map(|i| vec![Cell::Int(i), Cell::text(format!("=row {i}"))])
        .collect();
    Table {
        name: "t",
        sheet,
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
    }
}

#[test]
fn every_kind_of_cell_is_written_as_rust_xlsxwriter_wrote_it() {
    let tables = [
        small_table("Trống", 0),
        every_kind(),
        small_table("Bảng", 5),
        small_table("Một cột", 1),
    ];
    for per_sheet in [2, 7, 1_000] {
        let p = props();
        let new = new_tables_workbook(&p, &tables, per_sheet);
        let old = reference::tables_workbook(&p, &tables, per_sheet).expect("reference");
        assert_same(&new, &old, &format!("{per_sheet} rows a sheet"));
    }
}

#[test]
fn dates_are_counted_as_rust_xlsxwriter_counts_them() {
    for year in [1899, 1900, 1901, 1904, 1999, 2000, 2023, 2024, 2100, 9999] {
        for month in 1..=12 {
            for day in 1..=31 {
                let d = date(year, month, day);
                let old = rust_xlsxwriter::ExcelDateTime::from_ymd(year as u16, month, day)
                    .ok()
                    .map(|dt| dt.to_excel() as i64);
                assert_eq!(excel_serial(d), old, "{year}-{month}-{day}");
            }
        }
    }
    for d in [
        date(1898, 1, 1),
        date(10_000, 1, 1),
        date(2023, 0, 1),
        date(2023, 13, 1),
    ] {
        assert_eq!(excel_serial(d), None, "{d:?}");
    }
}

#[test]
fn whole_numbers_are_as_long_as_written() {
    for i in [0, 7, -7, 9, 10, -10, 999, 1000, -1000, i64::MAX, i64::MIN] {
        assert_eq!(int_len(i), i.to_string().len(), "{i}");
    }
}

fn read_back(bytes: Vec<u8>) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("opens");
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).expect("sheet");
            let rows = range.rows().map(|r| r.to_vec()).collect();
            (name, rows)
        })
        .collect()
}

#[test]
fn a_table_longer_than_a_sheet_goes_on_in_more_sheets() {
    let bytes = new_tables_workbook(&props(), &[small_table("Bảng", 5)], 2);
    let sheets = read_back(bytes);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Bảng", "Bảng (2)", "Bảng (3)"]);
    let mut all = Vec::new();
    for (name, rows) in sheets {
        let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
        assert_eq!(header, ["Số", "Chữ"], "{name}");
        all.extend(rows.into_iter().skip(1));
    }
    // Text as it is, no `'` added: a string cell is never a formula.
    let expected: Vec<Vec<Data>> = (1..=5)
        .map(|i| vec![Data::Float(i as f64), Data::String(format!("=row {i}"))])
        .collect();
    assert_eq!(all, expected);
}

/// Where the new writer parts from rust_xlsxwriter (see the module doc):
/// text that looks like rich-text XML stays text, and text past Excel's
/// limit in UTF-16 units is cut there instead of failing.
#[test]
fn rich_looking_and_astral_text_stay_text_within_the_limit() {
    let astral = "😀".repeat(20_000);
    let rows = vec![
        vec![Cell::text("<r>x</r>")],
        vec![Cell::text(astral.clone())],
    ];
    let t = Table {
        name: "t",
        sheet: "Chữ",
        title_vi: String::new(),
        description_vi: String::new(),
        description_en: String::new(),
        columns: vec![Column::new("s", Type::String, "Chữ", "")],
        rows: fixed_rows(rows),
        primary_key: vec![],
        foreign_keys: vec![],
    };
    let sheets = read_back(new_tables_workbook(&props(), &[t], 1_000));
    let rows = &sheets[0].1;
    assert_eq!(rows[1], [Data::String("<r>x</r>".to_string())]);
    let cut: String = astral.chars().take(32_767 / 2).collect();
    assert_eq!(rows[2], [Data::String(cut)]);
}

/// A filter over every row (a full sheet of a long table) or every column
/// is named by its columns or rows alone, as rust_xlsxwriter names it.
#[test]
fn filters_over_whole_columns_or_rows_are_named_as_rust_xlsxwriter_names_them() {
    let max_row = book::ROW_MAX - 1;
    let max_col = book::COL_MAX - 1;
    let filters = [
        ((0, 0), (max_row, 7)),
        ((0, 0), (5, max_col)),
        ((0, 0), (max_row, max_col)),
        ((0, 0), (0, 0)),
        ((0, 2), (9, 3)),
    ];
    let names = ["Số liệu", "Số liệu (2)", "Bảng", "Tỷ lệ", "Một"];
    let sheets: Vec<parts::SheetPart> = names
        .iter()
        .zip(filters)
        .map(|(name, filter)| parts::SheetPart {
            name: name.to_string(),
            filter: Some(filter),
        })
        .collect();
    let new = parts::workbook(&sheets);
    let old = reference::workbook_with(&props(), |wb, _| {
        for s in &sheets {
            let ws = wb.add_worksheet();
            let ((r0, c0), (r1, c1)) = s.filter.expect("a filter");
            ws.set_name(&s.name).map_err(std::io::Error::other)?;
            ws.autofilter(r0, c0, r1, c1)
                .map_err(std::io::Error::other)?;
        }
        Ok(())
    })
    .expect("reference");
    let old = parts_of(&old)
        .into_iter()
        .find(|(name, _)| name == "xl/workbook.xml")
        .expect("workbook.xml")
        .1;
    assert_eq!(new, String::from_utf8(old).expect("UTF-8"));
}

#[test]
fn a_float_cell_is_as_wide_as_its_plain_form() {
    let mut book = Book::new();
    let mut sheet = book.start_sheet("x".to_string());
    book.row(&mut sheet, 0).expect("a row");
    for x in [
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        -2.5e-9,
        92.5,
        1234.5678,
        9_007_199_254_740_992.0,
        9_007_199_254_740_993.0,
        1e17,
        -1e17,
        1e18,
        -1e18,
        1e21,
        f64::MAX,
        f64::MIN_POSITIVE,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ] {
        let written = book
            .number_measured(&mut sheet, 0, x, None)
            .expect("written");
        assert_eq!(
            float_width(x, written),
            width(&Cell::Num(Num::Float(x))),
            "{x}"
        );
    }
}
