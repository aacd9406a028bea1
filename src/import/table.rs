//! Reading the form's table (IMPORT.md, "Reading the table"): the header
//! row, page-break repeats of it, codes from the STT column (Roman parts,
//! number paths, letter sub-rows including `đ`, uncoded rows, a code
//! followed by text), and continuation rows whose text goes to the
//! evidence of the row above.

use super::sheet::{Cell, Sheet};
use super::value::cell_text;
pub use crate::text::fold_label;
use crate::text::tidy;
use crate::validate::forms::Header;

/// Where each column is, 0-based.
#[derive(Debug, Clone, PartialEq)]
pub struct Columns {
    pub code: usize,
    pub label: usize,
    pub value: usize,
    pub evidence: Vec<usize>,
    pub unit: Option<usize>,
}

/// A piece of evidence text and the sheet row it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    pub row: usize,
    pub col: usize,
    pub text: String,
}

/// One row of the table (not a continuation row).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based sheet row.
    pub row: usize,
    pub code: Option<String>,
    /// The nearest coded row at or above (its own code when coded).
    pub owner: Option<String>,
    pub label: String,
    pub value: Cell,
    /// Evidence cells of this row (and a merged evidence cell above it),
    /// then the text of its continuation rows.
    pub evidence: Vec<Piece>,
    pub unit: String,
    /// Sheet rows of the continuation rows that belong to this row.
    pub continuations: Vec<usize>,
    /// The evidence cells of this row itself, for `misplaced-value`.
    pub own_evidence: Vec<(usize, Cell)>,
}

impl Row {
    /// A value other than empty, `-` or `không có số liệu`.
    pub fn has_value(&self) -> bool {
        !self.value.is_blank() && !super::value::is_empty_marker(&cell_text(&self.value))
    }
}

/// A continuation row that carries only a number: reported as
/// `misplaced-value` unless it belongs to a private row.
#[derive(Debug, Clone, PartialEq)]
pub struct LoneNumber {
    pub row: usize,
    pub col: usize,
    pub text: String,
    /// Index in [`Table::rows`] of the row it belongs to.
    pub owner: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// 1-based sheet row of the header.
    pub header_row: usize,
    pub columns: Columns,
    pub rows: Vec<Row>,
    pub lone_numbers: Vec<LoneNumber>,
}

/// A title or cell as compared: folded, without spaces, so that a title
/// broken over two lines of its cell ("Số liệu/\nKết quả") still matches.
fn squeeze(s: &str) -> String {
    fold_label(s).chars().filter(|c| *c != ' ').collect()
}

/// Whether a squeezed cell shows a squeezed title: equal, or the title
/// followed by more words in brackets such as "(nếu có)".
fn title_matches(cell: &str, title: &str) -> bool {
    !title.is_empty()
        && (cell == title
            || cell
                .strip_prefix(title)
                .is_some_and(|rest| rest.starts_with('(')))
}

/// The squeezed titles of a header: code, label, value, evidence, unit.
struct Titles {
    code: String,
    label: String,
    value: String,
    evidence: Vec<String>,
    unit: Option<String>,
}

impl Titles {
    fn of(h: &Header) -> Titles {
        Titles {
            code: squeeze(&h.code),
            label: squeeze(&h.label),
            value: squeeze(&h.value),
            evidence: h.evidence.iter().map(|e| squeeze(e)).collect(),
            unit: h.unit.as_deref().map(squeeze),
        }
    }
}

/// The columns of the titles in sheet row `r`, when every title is there.
fn columns_in(sheet: &Sheet, r: usize, titles: &Titles) -> Option<Columns> {
    let row = sheet.rows.get(r)?;
    // Cheap first: the code column's title must be in the row.
    let texts: Vec<String> = row.iter().map(|c| squeeze(&cell_text(c))).collect();
    let find = |title: &str, skip: &[usize]| -> Option<usize> {
        texts
            .iter()
            .enumerate()
            .find(|(i, t)| !skip.contains(i) && title_matches(t, title))
            .map(|(i, _)| i)
    };
    let code = find(&titles.code, &[])?;
    let label = find(&titles.label, &[code])?;
    let value = find(&titles.value, &[code, label])?;
    let mut used = vec![code, label, value];
    let mut evidence = Vec::new();
    for t in &titles.evidence {
        let c = find(t, &used)?;
        used.push(c);
        evidence.push(c);
    }
    let unit = match &titles.unit {
        Some(t) => Some(find(t, &used)?),
        None => None,
    };
    Some(Columns {
        code,
        label,
        value,
        evidence,
        unit,
    })
}

/// The first row whose cells match `header`'s titles.
pub fn find_header(sheet: &Sheet, header: &Header) -> Option<(usize, Columns)> {
    let titles = Titles::of(header);
    (0..sheet.rows.len()).find_map(|r| columns_in(sheet, r, &titles).map(|c| (r, c)))
}

/// What an STT cell says.
#[derive(Debug, Clone, PartialEq)]
enum Stt {
    Roman(String),
    /// A number path (`3.1.2`), possibly written in full with its part
    /// (`II.3.1`) and with a letter at its end (`6.2.a`).
    Path {
        part: Option<String>,
        path: String,
        letter: Option<String>,
    },
    Letter(String),
}

fn is_roman(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 6
        && s.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L'))
        && roman_value(s).is_some()
}

fn roman_value(s: &str) -> Option<u32> {
    let v = |c| match c {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        _ => 0,
    };
    let chars: Vec<u32> = s.chars().map(v).collect();
    let mut total = 0;
    for (i, &c) in chars.iter().enumerate() {
        if chars.get(i + 1).is_some_and(|&n| n > c) {
            total -= c as i32;
        } else {
            total += c as i32;
        }
    }
    (total > 0).then_some(total as u32)
}

fn is_letter(s: &str) -> bool {
    let mut chars = s.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_ascii_lowercase() || c == 'đ')
}

/// One STT token (`II`, `3.1.2`, `II.3.1`, `6.2.a`, `đ`, `1.`, `a)`), or None.
fn stt_token(tok: &str) -> Option<Stt> {
    let t = tok.trim().trim_end_matches(['.', ')']);
    let t = t.strip_prefix('(').unwrap_or(t);
    if t.is_empty() {
        return None;
    }
    if is_roman(t) {
        return Some(Stt::Roman(t.to_string()));
    }
    if is_letter(t) {
        return Some(Stt::Letter(t.to_string()));
    }
    let mut segs: Vec<&str> = t.split('.').collect();
    let part = (segs.len() > 1 && is_roman(segs[0])).then(|| segs.remove(0).to_string());
    let letter = (segs.len() > 1 && segs.last().is_some_and(|l| is_letter(l)))
        .then(|| segs.pop().unwrap_or_default().to_string());
    let numeric = |p: &&str| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit());
    if segs.is_empty() || !segs.iter().all(numeric) {
        return None;
    }
    let path: Vec<String> = segs
        .iter()
        .map(|p| p.trim_start_matches('0'))
        .map(|p| {
            if p.is_empty() {
                "0".to_string()
            } else {
                p.to_string()
            }
        })
        .collect();
    Some(Stt::Path {
        part,
        path: path.join("."),
        letter,
    })
}

/// The STT cell: a code, and the text after it when the cell holds both
/// (`II NHÂN LỰC CHUYÊN ĐỔI SỐ`).
fn parse_stt(text: &str) -> (Option<Stt>, String) {
    let t = text.trim();
    if let Some(s) = stt_token(t) {
        return (Some(s), String::new());
    }
    if let Some((first, rest)) = t.split_once(char::is_whitespace) {
        if let Some(s) = stt_token(first) {
            let rest = rest.trim_start_matches(['.', '-', ':', ')', ' ']).trim();
            // "1 Mức độ …" is a code and text; "1 2" is not.
            if rest.chars().next().is_some_and(char::is_alphabetic) {
                return (Some(s), rest.to_string());
            }
        }
    }
    (None, t.to_string())
}

/// A number path in its part: `3.1` in part II is `II.3.1`.
fn in_part(part: &Option<String>, path: &str) -> String {
    match part {
        Some(p) => format!("{p}.{path}"),
        None => path.to_string(),
    }
}

/// Whether a row only numbers the columns: `(1) (2) (3)` or `1 2 3 4`.
fn numbering_row(cells: &[Cell]) -> bool {
    let texts: Vec<String> = cells
        .iter()
        .map(cell_text)
        .filter(|t| !t.is_empty())
        .collect();
    if texts.len() < 3 {
        return false;
    }
    texts.iter().enumerate().all(|(i, t)| {
        let t = t.trim_start_matches('(').trim_end_matches(')');
        t.parse::<usize>().ok() == Some(i + 1)
    })
}

/// Reads the table below the header row `header_row` (0-based).
pub fn read(sheet: &Sheet, header_row: usize, columns: Columns, header: &Header) -> Table {
    let mut table = Table {
        header_row: header_row + 1,
        columns,
        rows: Vec::new(),
        lone_numbers: Vec::new(),
    };
    let cols = table.columns.clone();
    let mut part: Option<String> = None;
    let mut number: Option<String> = None;
    let mut owner: Option<String> = None;
    let mut previous = Some(header_row);
    let titles = Titles::of(header);
    for r in header_row + 1..sheet.rows.len() {
        let cells = &sheet.rows[r];
        if cells.iter().all(Cell::is_blank) {
            continue;
        }
        // Whether this row follows a row of the table with no blank row
        // between: only then can it continue the row above.
        let follows = previous == r.checked_sub(1);
        previous = Some(r);
        let repeats_header =
            title_matches(&squeeze(&cell_text(sheet.cell(r, cols.code))), &titles.code)
                && columns_in(sheet, r, &titles).is_some();
        if numbering_row(cells) || repeats_header {
            continue; // column numbers, or the header again after a page break
        }
        let stt_text = cell_text(sheet.cell(r, cols.code));
        let (stt, stt_rest) = parse_stt(&stt_text);
        let label_cell = cell_text(sheet.cell(r, cols.label));
        let value = sheet.cell(r, cols.value).clone();
        let value = match value {
            Cell::Text(ref s) if tidy(s).is_empty() => Cell::Empty,
            v => v,
        };
        if let Some(Stt::Path { part: Some(p), .. }) = &stt {
            part = Some(p.clone());
        }
        let code = stt.as_ref().map(|s| match s {
            Stt::Roman(p) => p.clone(),
            Stt::Path {
                path, letter: None, ..
            } => in_part(&part, path),
            Stt::Path {
                path,
                letter: Some(l),
                ..
            } => format!("{}.{l}", in_part(&part, path)),
            Stt::Letter(l) => match number.as_ref().or(part.as_ref()) {
                Some(n) => format!("{n}.{l}"),
                None => l.clone(),
            },
        });
        let label = if !label_cell.is_empty() {
            label_cell
        } else if stt.is_some() {
            stt_rest
        } else {
            String::new()
        };
        let evidence_cells: Vec<(usize, Cell)> = cols
            .evidence
            .iter()
            .map(|&c| (c, sheet.cell(r, c).clone()))
            .filter(|(_, c)| !c.is_blank())
            .collect();

        if code.is_none() && label.is_empty() && value.is_blank() {
            // A continuation row: its text goes to the evidence of the row
            // above, wherever the extraction put it. After a blank row, text
            // alone (a signature block, a footnote) continues nothing.
            let Some(last) = table.rows.len().checked_sub(1) else {
                continue;
            };
            let texts: Vec<(usize, &Cell)> = cells
                .iter()
                .enumerate()
                .filter(|(c, cell)| !cell.is_blank() && Some(*c) != cols.unit)
                .collect();
            if let [(c, only)] = texts.as_slice() {
                if let Some(n) = super::value::only_number(only) {
                    table.lone_numbers.push(LoneNumber {
                        row: r + 1,
                        col: c + 1,
                        text: n,
                        owner: last,
                    });
                    table.rows[last].continuations.push(r + 1);
                    continue;
                }
            }
            if !follows {
                continue;
            }
            let row = &mut table.rows[last];
            row.continuations.push(r + 1);
            for (c, cell) in texts {
                row.evidence.push(Piece {
                    row: r + 1,
                    col: c,
                    text: cell_text(cell),
                });
            }
            continue;
        }

        match &stt {
            Some(Stt::Roman(p)) => {
                part = Some(p.clone());
                number = None;
            }
            Some(Stt::Path { path, .. }) => number = Some(in_part(&part, path)),
            _ => {}
        }
        if code.is_some() {
            owner = code.clone();
        }
        let mut evidence: Vec<Piece> = evidence_cells
            .iter()
            .map(|(c, cell)| Piece {
                row: r + 1,
                col: *c,
                text: cell_text(cell),
            })
            .collect();
        // A merged evidence cell that starts in a row above covers this row.
        for m in &sheet.merges {
            if m.first_row < r && r <= m.last_row && cols.evidence.contains(&m.first_col) {
                let top = sheet.cell(m.first_row, m.first_col);
                if !top.is_blank() {
                    evidence.push(Piece {
                        row: m.first_row + 1,
                        col: m.first_col,
                        text: cell_text(top),
                    });
                }
            }
        }
        evidence.sort_by_key(|p| p.col);
        let unit = cols
            .unit
            .map(|c| cell_text(sheet.cell(r, c)))
            .unwrap_or_default();
        table.rows.push(Row {
            row: r + 1,
            code,
            owner: owner.clone(),
            label,
            value,
            evidence,
            unit,
            continuations: Vec::new(),
            own_evidence: evidence_cells,
        });
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::sheet::parse_delimited;

    fn header() -> Header {
        Header {
            code: "STT".into(),
            label: "Nội dung".into(),
            value: "Số liệu/Kết quả".into(),
            evidence: vec!["Ghi chú".into()],
            unit: None,
        }
    }

    #[test]
    fn titles() {
        let m = |c: &str, t: &str| title_matches(&squeeze(c), &squeeze(t));
        assert!(m("SỐ LIỆU/\nKẾT QUẢ", "Số liệu/Kết quả"));
        assert!(m("Tài liệu kiểm chứng (nếu có)", "Tài liệu kiểm chứng"));
        assert!(!m("Ghi chú thêm", "Ghi chú"));
        assert!(!m("", "STT"));
    }

    #[test]
    fn codes() {
        let tsv = "Báo cáo\n\nSTT\tNỘI DUNG\tSỐ LIỆU/KẾT QUẢ\tGHI CHÚ\n1\t2\t3\t4\nI\tPhần một\t\t\n1\tMục\t\t\n1.2\tTổng\t25\tBC 1\n\tTrong đó\t28\t\n\t\t\thttps://a\nhttps://b\t\t\t\nII NHÂN LỰC\t\t\t\n6\tX\t\t\n6.2\tY\t\t\na\tZ\t3\t\nđ\tW\t4\t\nSTT\tNội dung\tSố liệu/Kết quả\tGhi chú\n1 Mức độ\t\t\t\n1.1\tV\t1\t\n\n\t\t\tNGƯỜI LẬP BIỂU\n";
        let sheet = parse_delimited(tsv, b'\t').expect("tsv");
        let (r, cols) = find_header(&sheet, &header()).expect("header");
        assert_eq!(r, 2);
        let t = read(&sheet, r, cols, &header());
        let got: Vec<(usize, Option<&str>, Option<&str>, &str)> = t
            .rows
            .iter()
            .map(|r| {
                (
                    r.row,
                    r.code.as_deref(),
                    r.owner.as_deref(),
                    r.label.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (5, Some("I"), Some("I"), "Phần một"),
                (6, Some("I.1"), Some("I.1"), "Mục"),
                (7, Some("I.1.2"), Some("I.1.2"), "Tổng"),
                (8, None, Some("I.1.2"), "Trong đó"),
                (11, Some("II"), Some("II"), "NHÂN LỰC"),
                (12, Some("II.6"), Some("II.6"), "X"),
                (13, Some("II.6.2"), Some("II.6.2"), "Y"),
                (14, Some("II.6.2.a"), Some("II.6.2.a"), "Z"),
                (15, Some("II.6.2.đ"), Some("II.6.2.đ"), "W"),
                (17, Some("II.1"), Some("II.1"), "Mức độ"),
                (18, Some("II.1.1"), Some("II.1.1"), "V"),
            ]
        );
        let texts: Vec<&str> = t.rows[3].evidence.iter().map(|p| p.text.as_str()).collect();
        assert!(
            t.rows.last().is_some_and(|r| r.evidence.is_empty()),
            "the footer after a blank row continues nothing"
        );
        assert_eq!(texts, vec!["https://a", "https://b"]);
        assert_eq!(t.rows[3].continuations, vec![9, 10]);
    }

    #[test]
    fn merged_evidence_covers_the_rows_below() {
        let mut sheet = parse_delimited(
            "STT\tNội dung\tSố liệu/Kết quả\tGhi chú\n3\tTổng\t1517\tBáo cáo 154\n\tKý số\t1517\t\n",
            b'\t',
        )
        .expect("tsv");
        sheet.merges.push(crate::import::sheet::Merge {
            first_row: 1,
            last_row: 2,
            first_col: 3,
            last_col: 3,
        });
        let (r, cols) = find_header(&sheet, &header()).expect("header");
        let t = read(&sheet, r, cols, &header());
        assert_eq!(t.rows[1].evidence[0].text, "Báo cáo 154");
        assert!(t.rows[1].own_evidence.is_empty());
    }

    #[test]
    fn stt_tokens() {
        assert_eq!(stt_token("IV"), Some(Stt::Roman("IV".into())));
        let path = |part: Option<&str>, p: &str, l: Option<&str>| Stt::Path {
            part: part.map(str::to_string),
            path: p.into(),
            letter: l.map(str::to_string),
        };
        assert_eq!(stt_token("1."), Some(path(None, "1", None)));
        assert_eq!(stt_token("II.3.01"), Some(path(Some("II"), "3.1", None)));
        assert_eq!(stt_token("6.2.đ"), Some(path(None, "6.2", Some("đ"))));
        assert_eq!(stt_token("1.x1"), None);
        assert_eq!(stt_token("a)"), Some(Stt::Letter("a".into())));
        assert_eq!(stt_token("đ"), Some(Stt::Letter("đ".into())));
        assert_eq!(stt_token("https://x"), None);
        assert_eq!(parse_stt("V AN TOÀN").0, Some(Stt::Roman("V".into())));
        assert_eq!(parse_stt("Ghi chú").0, None);
    }
}
