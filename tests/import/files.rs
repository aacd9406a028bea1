//! Files that are not forms, empty sheets, the limits, other formats.

use std::fs;
use std::path::Path;

use serde_json::json;

use super::*;

#[test]
fn files_that_cannot_be_read() {
    let (_t, root) = kinds_site();
    let png = root.join("so-noi-vu.xlsx");
    fs::write(&png, b"\x89PNG\r\n\x1a\nnot a workbook").expect("png");
    let pdf = root.join("so-tu-phap.pdf");
    fs::write(&pdf, b"%PDF-1.4").expect("pdf");
    let (code, items) = import_json(&root, &[&png, &pdf], &["--year", "2024"]);
    assert_eq!(code, 1);
    for item in &items {
        assert_eq!(codes(item), vec!["import-file"], "{item}");
    }
    assert!(
        items[0]["problems"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("not a valid .xlsx"),
        "{items:?}"
    );

    // An empty sheet, as CSV and as a workbook.
    let csv = root.join("so-noi-vu.csv");
    fs::write(&csv, "").expect("csv");
    let xlsx = root.join("so-tu-phap.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet();
    wb.save(&xlsx).expect("save");
    let (code, items) = import_json(&root, &[&csv, &xlsx], &["--year", "2024"]);
    assert_eq!(code, 1);
    for item in &items {
        let msg = item["problems"][0]["message"].as_str().unwrap_or("");
        assert!(msg.contains("empty"), "{item}");
    }
}

#[test]
fn a_20_mb_sheet_is_refused_past_the_documented_limit() {
    let (_t, root) = kinds_site();
    let file = root.join("so-noi-vu.csv");
    let line = "1,Một dòng rất dài của một bảng tính quá lớn,12345,Báo cáo kèm theo\n";
    let big = line.repeat(20 * 1024 * 1024 / line.len() + 1);
    assert!(big.len() >= 20 * 1024 * 1024);
    fs::write(&file, big).expect("big");
    let out = import(&root, &[&file], &["--year", "2024"]);
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    assert!(
        t.contains("error[import-file]")
            && t.contains("20.0 MB")
            && t.contains("larger than 10 MB"),
        "{t}"
    );
}

/// A minimal OpenDocument spreadsheet: `rows` of cells, numbers as floats.
fn write_ods(path: &Path, sheet: &str, rows: &[&[&str]]) {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut body = String::new();
    for row in rows {
        body.push_str("<table:table-row>");
        for cell in *row {
            if cell.is_empty() {
                body.push_str("<table:table-cell/>");
            } else if cell.chars().all(|c| c.is_ascii_digit()) {
                body.push_str(&format!(
                    "<table:table-cell office:value-type=\"float\" office:value=\"{cell}\"><text:p>{cell}</text:p></table:table-cell>"
                ));
            } else {
                body.push_str(&format!(
                    "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                    esc(cell)
                ));
            }
        }
        body.push_str("</table:table-row>");
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\"><office:body><office:spreadsheet><table:table table:name=\"{}\">{body}</table:table></office:spreadsheet></office:body></office:document-content>",
        esc(sheet)
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>";
    let mut w = zip::ZipWriter::new(fs::File::create(path).expect("create"));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", content.as_str()),
    ] {
        w.start_file(name, stored).expect("start");
        w.write_all(data.as_bytes()).expect("write");
    }
    w.finish().expect("finish");
}

#[test]
fn an_ods_form_and_the_sheet_the_form_names() {
    let (_t, root) = kinds_site();
    let form = root.join("data/forms/mau-thu.yaml");
    let text_ = fs::read_to_string(&form).expect("form");
    fs::write(
        &form,
        text_.replace(
            "name: \"Mẫu thử\"\n",
            "name: \"Mẫu thử\"\nsheet: \"Biểu 2\"\n",
        ),
    )
    .expect("form");
    let file = root.join("so-noi-vu.ods");
    let rows: &[&[&str]] = &[
        &[
            "STT",
            "Chỉ số",
            "Số liệu báo cáo",
            "Tài liệu kiểm chứng",
            "Ghi chú",
        ],
        &["I", "Dịch vụ công", "", "", ""],
        &["1", "Tổng số hồ sơ", "1045", "Báo cáo 12", ""],
        &["", "Trong đó trực tuyến", "514", "", ""],
    ];
    write_ods(&file, "Biểu 1", rows);
    // The form names a sheet this file does not have: no form matches.
    let (code, items) = import_json(&root, &[&file], &["--year", "2024"]);
    assert_eq!(code, 1, "{items:?}");
    assert_eq!(codes(&items[0]), vec!["import-file"]);
    write_ods(&file, "Biểu 2", rows);
    let (code, items) = import_json(&root, &[&file], &["--year", "2024"]);
    assert_eq!(code, 0, "{items:?}");
    assert_eq!(
        items[0]["values"],
        json!({"dossiers_total": 1045, "dossiers_online": 514})
    );
    assert_eq!(items[0]["evidence"]["dossiers_total"], "Báo cáo 12");
    // The form rows that find no row are warnings.
    assert!(
        codes(&items[0]).iter().all(|c| c == "form-row-missing"),
        "{items:?}"
    );
}

#[test]
fn a_value_far_below_the_form_is_refused_without_reading_the_rows_between() {
    let (_t, root) = kinds_site();
    let file = root.join("so-noi-vu.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, t) in [
        "STT",
        "Chỉ số",
        "Số liệu báo cáo",
        "Tài liệu kiểm chứng",
        "Ghi chú",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *t).expect("write");
    }
    ws.write_string(1_000_000, 2, "x").expect("write");
    wb.save(&file).expect("save");
    let out = import(&root, &[&file], &["--year", "2024"]);
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    assert!(
        t.contains("data in row 1000001") && t.contains("up to row 20000"),
        "{t}"
    );
}

#[test]
fn a_cell_formatted_as_a_percentage_gets_a_note() {
    let (_t, root) = kinds_site();
    let file = root.join("so-noi-vu.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let rows: &[&[&str]] = &[
        &[
            "STT",
            "Chỉ số",
            "Số liệu báo cáo",
            "Tài liệu kiểm chứng",
            "Ghi chú",
        ],
        &["I", "Dịch vụ công", "", "", ""],
        &["3", "Tỷ lệ hài lòng", "", "", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, t) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *t).expect("write");
        }
    }
    let pct = rust_xlsxwriter::Format::new().set_num_format("0.00%");
    ws.write_number_with_format(2, 2, 0.8496, &pct)
        .expect("write");
    wb.save(&file).expect("save");
    let (code, items) = import_json(&root, &[&file], &["--year", "2024"]);
    assert_eq!(code, 0, "{items:?}");
    assert_eq!(items[0]["values"]["share_x"], json!(0.8496));
    let notes = items[0]["notes"].to_string();
    assert!(notes.contains("shows 84.96 %"), "{notes}");
}

#[test]
fn an_xls_form_with_a_merged_evidence_cell() {
    let (_t, root) = site("seeds-site");
    let file = manifest().join("tests/fixtures/import/ha-tinh-so-ngoai-vu.xls");
    let (code, items) = import_json(&root, &[&file], &["--year", "2024"]);
    assert_eq!(code, 0, "{items:?}");
    assert_eq!(items[0]["form"], "phu-luc-01");
    assert_eq!(
        items[0]["values"],
        json!({"docs_outgoing_total": 1517, "docs_outgoing_signed": 1517, "portal_score": 92.5})
    );
    for id in ["docs_outgoing_total", "docs_outgoing_signed"] {
        assert_eq!(
            items[0]["evidence"][id], "Báo cáo số 154/BC-SNgV ngày 24/11/2022",
            "{id}"
        );
    }
    // The rest of the form is missing from this fragment: warnings only.
    assert!(
        codes(&items[0]).iter().all(|c| c == "form-row-missing"),
        "{items:?}"
    );
}
