//! The small XML parts of a workbook (content types, relationships,
//! workbook, styles, document properties) and the escaping of text, byte
//! for byte as rust_xlsxwriter 0.102 writes them for our workbooks.

use super::book::{COL_MAX, ROW_MAX};
use super::styles::Styles;

/// The XML declaration every part starts with.
pub const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// The theme of Office 2007, as rust_xlsxwriter writes it (MIT or
/// Apache-2.0, like this crate).
pub const THEME: &[u8] = include_bytes!("theme1.xml");

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PACKAGE_REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// Replaces the characters `escape` maps, leaving the others.
fn escape_with(out: &mut String, s: &str, escape: fn(char) -> Option<&'static str>) {
    for c in s.chars() {
        match escape(c) {
            Some(e) => out.push_str(e),
            None => out.push(c),
        }
    }
}

fn attribute_char(c: char) -> Option<&'static str> {
    match c {
        '&' => Some("&amp;"),
        '"' => Some("&quot;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '\n' => Some("&#xA;"),
        _ => None,
    }
}

/// The control characters XML cannot hold, as Excel writes them.
const CONTROL: [&str; 32] = [
    "_x0000_", "_x0001_", "_x0002_", "_x0003_", "_x0004_", "_x0005_", "_x0006_", "_x0007_",
    "_x0008_", "", "", "_x000B_", "_x000C_", "_x000D_", "_x000E_", "_x000F_", "_x0010_", "_x0011_",
    "_x0012_", "_x0013_", "_x0014_", "_x0015_", "_x0016_", "_x0017_", "_x0018_", "_x0019_",
    "_x001A_", "_x001B_", "_x001C_", "_x001D_", "_x001E_", "_x001F_",
];

fn data_char(c: char) -> Option<&'static str> {
    match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '\t' | '\n' => None,
        '\u{0}'..='\u{1F}' => CONTROL.get(c as usize).copied(),
        '\u{FFFE}' => Some("_xFFFE_"),
        '\u{FFFF}' => Some("_xFFFF_"),
        _ => None,
    }
}

/// Text as an attribute value.
pub fn push_attribute(out: &mut String, s: &str) {
    escape_with(out, s, attribute_char);
}

/// Text as element content: `&<>` and the control characters (`_xHHHH_`).
pub fn push_data(out: &mut String, s: &str) {
    escape_with(out, s, data_char);
}

/// A shared string as Excel reads it back: a literal `_xHHHH_` in the text
/// gets `_x005F` before it (an escaped `_`), then [`push_data`].
pub fn push_shared_string(out: &mut String, s: &str) {
    if !s.contains("_x") {
        return push_data(out, s);
    }
    let bytes = s.as_bytes();
    let mut from = 0;
    for (i, _) in s.match_indices("_x") {
        let escape = bytes.len() >= i + 7
            && bytes[i + 6] == b'_'
            && bytes[i + 2..i + 6].iter().all(u8::is_ascii_hexdigit);
        if escape {
            push_data(out, &s[from..i]);
            out.push_str("_x005F");
            from = i;
        }
    }
    push_data(out, &s[from..]);
}

/// `element` with escaped text content.
fn data_element(out: &mut String, element: &str, text: &str) {
    out.push('<');
    out.push_str(element);
    out.push('>');
    push_data(out, text);
    out.push_str("</");
    out.push_str(element);
    out.push('>');
}

/// The name of a column: A, B, …, Z, AA, …
pub fn column_name(col: u16) -> String {
    let mut name = Vec::new();
    let mut n = u32::from(col) + 1;
    while n > 0 {
        let r = (n - 1) % 26;
        name.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// `A1` or `A1:H20`, `$` before each part when `absolute`.
pub fn range(first: (u32, u16), last: (u32, u16), absolute: bool) -> String {
    let dollar = if absolute { "$" } else { "" };
    let cell = |(row, col): (u32, u16)| {
        format!("{dollar}{}{dollar}{}", column_name(col), u64::from(row) + 1)
    };
    let (a, b) = (cell(first), cell(last));
    if a == b {
        a
    } else {
        format!("{a}:{b}")
    }
}

/// A sheet name as formulas and defined names refer to it: quoted when it
/// holds anything but letters, `_` and `.`, or a digit. (rust_xlsxwriter
/// leaves some names with digits unquoted, e.g. `Sheet1`; quoting them is
/// as valid. Every name of our workbooks holds a space.)
pub fn quoted_sheet_name(name: &str) -> String {
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphabetic() || c == '_' || c == '.')
        && !matches!(name.to_uppercase().as_str(), "R" | "C" | "RC");
    if plain {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// What the package parts need to know of a sheet.
pub struct SheetPart {
    pub name: String,
    /// The autofilter's range, first and last cell.
    pub filter: Option<((u32, u16), (u32, u16))>,
}

pub fn content_types(sheets: usize, shared_strings: bool) -> String {
    let mut x = String::from(DECLARATION);
    x.push_str("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/><Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/><Override PartName=\"/xl/theme/theme1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.theme+xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>");
    for i in 1..=sheets {
        x.push_str(&format!("<Override PartName=\"/xl/worksheets/sheet{i}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"));
    }
    if shared_strings {
        x.push_str("<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>");
    }
    x.push_str("</Types>");
    x
}

pub fn root_rels() -> String {
    format!("{DECLARATION}<Relationships xmlns=\"{PACKAGE_REL_NS}\"><Relationship Id=\"rId1\" Type=\"{REL_NS}/officeDocument\" Target=\"xl/workbook.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/><Relationship Id=\"rId3\" Type=\"{REL_NS}/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>")
}

pub fn workbook_rels(sheets: usize, shared_strings: bool) -> String {
    let mut x = format!("{DECLARATION}<Relationships xmlns=\"{PACKAGE_REL_NS}\">");
    let mut id = 0;
    let mut rel = |x: &mut String, kind: &str, target: &str| {
        id += 1;
        x.push_str(&format!(
            "<Relationship Id=\"rId{id}\" Type=\"{REL_NS}/{kind}\" Target=\"{target}\"/>"
        ));
    };
    for i in 1..=sheets {
        rel(&mut x, "worksheet", &format!("worksheets/sheet{i}.xml"));
    }
    rel(&mut x, "theme", "theme/theme1.xml");
    rel(&mut x, "styles", "styles.xml");
    if shared_strings {
        rel(&mut x, "sharedStrings", "sharedStrings.xml");
    }
    x.push_str("</Relationships>");
    x
}

pub fn workbook(sheets: &[SheetPart]) -> String {
    let mut x = format!("{DECLARATION}<workbook xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\"><fileVersion appName=\"xl\" lastEdited=\"4\" lowestEdited=\"4\" rupBuild=\"4505\"/><workbookPr defaultThemeVersion=\"124226\"/><bookViews><workbookView xWindow=\"240\" yWindow=\"15\" windowWidth=\"16095\" windowHeight=\"9660\"/></bookViews><sheets>");
    for (i, s) in sheets.iter().enumerate() {
        x.push_str("<sheet name=\"");
        push_attribute(&mut x, &s.name);
        x.push_str(&format!("\" sheetId=\"{}\" r:id=\"rId{}\"/>", i + 1, i + 1));
    }
    x.push_str("</sheets>");
    // The filters' hidden names, in the order of their ranges.
    let mut names: Vec<(String, usize)> = sheets
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let (first, last) = s.filter?;
            let name = quoted_sheet_name(&s.name);
            // Whole columns or whole rows are named as such.
            let cells = if first.1 == 0 && last.1 == COL_MAX - 1 {
                format!("${}:${}", u64::from(first.0) + 1, u64::from(last.0) + 1)
            } else if first.0 == 0 && last.0 == ROW_MAX - 1 {
                format!("${}:${}", column_name(first.1), column_name(last.1))
            } else {
                range(first, last, true)
            };
            Some((format!("{name}!{cells}"), i))
        })
        .collect();
    names.sort();
    if !names.is_empty() {
        x.push_str("<definedNames>");
        for (range, i) in names {
            x.push_str(&format!(
                "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"{i}\" hidden=\"1\">"
            ));
            push_data(&mut x, &range);
            x.push_str("</definedName>");
        }
        x.push_str("</definedNames>");
    }
    x.push_str("<calcPr calcId=\"124519\" fullCalcOnLoad=\"1\"/></workbook>");
    x
}

/// The document properties of a workbook.
#[derive(Debug, Clone)]
pub struct Props {
    pub title: String,
    pub author: String,
    pub company: String,
    pub subject: String,
    pub keywords: String,
    pub comment: String,
    /// (year, month, day), a date Excel can hold.
    pub created: (u16, u8, u8),
}

pub fn core(p: &Props) -> String {
    let mut x = format!("{DECLARATION}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">");
    let optional = |x: &mut String, element: &str, text: &str| {
        if !text.is_empty() {
            data_element(x, element, text);
        }
    };
    optional(&mut x, "dc:title", &p.title);
    optional(&mut x, "dc:subject", &p.subject);
    data_element(&mut x, "dc:creator", &p.author);
    optional(&mut x, "cp:keywords", &p.keywords);
    optional(&mut x, "dc:description", &p.comment);
    data_element(&mut x, "cp:lastModifiedBy", &p.author);
    let (y, m, d) = p.created;
    let when = format!("{y}-{m:02}-{d:02}T00:00:00Z");
    x.push_str(&format!("<dcterms:created xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:modified></cp:coreProperties>"));
    x
}

pub fn app(p: &Props, sheets: &[SheetPart]) -> String {
    let n = sheets.len();
    let mut x = format!("{DECLARATION}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\"><Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><HeadingPairs>");
    if n > 0 {
        x.push_str(&format!("<vt:vector size=\"2\" baseType=\"variant\"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>{n}</vt:i4></vt:variant></vt:vector>"));
    } else {
        x.push_str("<vt:vector size=\"0\" baseType=\"variant\"></vt:vector>");
    }
    x.push_str(&format!(
        "</HeadingPairs><TitlesOfParts><vt:vector size=\"{n}\" baseType=\"lpstr\">"
    ));
    for s in sheets {
        data_element(&mut x, "vt:lpstr", &s.name);
    }
    x.push_str("</vt:vector></TitlesOfParts>");
    data_element(&mut x, "Company", &p.company);
    x.push_str("<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000</AppVersion></Properties>");
    x
}

pub fn styles(s: &Styles) -> String {
    let mut x = format!("{DECLARATION}<styleSheet xmlns=\"{MAIN_NS}\">");
    s.write(&mut x);
    x.push_str("<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles><dxfs count=\"0\"/><tableStyles count=\"0\" defaultTableStyle=\"TableStyleMedium9\" defaultPivotStyle=\"PivotStyleLight16\"/></styleSheet>");
    x
}
