//! End-to-end tests of `minhbach import` (IMPORT.md): the Phụ lục 01 form
//! of the fixtures as TSV and as a generated XLSX, every kind of value,
//! page-break headers, misplaced values, private, unmapped and ambiguous
//! rows, safe writes, batch imports, JSON output and the limits.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value as Json};

const PHU_LUC: &str = "tests/fixtures/reports/ha-tinh-so-ngoai-vu-2022.txt";
const HA_TINH: &str = "ha-tinh-so-ngoai-vu";

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn minhbach(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_minhbach"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.expect("walk");
        let rel = e.path().strip_prefix(from).expect("prefix");
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).expect("mkdir");
        } else {
            fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

/// A copy of a fixture site in a temporary folder.
fn site(fixture: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    copy_tree(&manifest().join("tests/fixtures").join(fixture), &root);
    (tmp, root)
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn import(root: &Path, files: &[&Path], extra: &[&str]) -> Output {
    let mut args = vec!["import", "--root", s(root)];
    args.extend(files.iter().map(|f| s(f)));
    args.extend_from_slice(extra);
    minhbach(&args)
}

fn import_json(root: &Path, files: &[&Path], extra: &[&str]) -> (i32, Vec<Json>) {
    let mut extra = extra.to_vec();
    extra.extend_from_slice(&["--format", "json"]);
    let out = import(root, files, &extra);
    let v: Json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is one JSON array ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (
        out.status.code().unwrap_or(-1),
        v.as_array().cloned().unwrap_or_default(),
    )
}

fn codes(item: &Json) -> Vec<String> {
    item["problems"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| p["code"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The seeds report of Sở Ngoại vụ Hà Tĩnh 2022, as the site reads it.
fn seeds_values() -> Vec<(String, Json, Option<String>)> {
    let root = manifest().join("tests/fixtures/seeds-site");
    let (input, _) = minhbach::validate::validate(&minhbach::load::load(&root));
    let input = input.expect("the seeds site reads");
    let report = input
        .reports
        .iter()
        .find(|r| r.agency == HA_TINH && r.year == 2022)
        .expect("the seeds report");
    report
        .values
        .iter()
        .map(|(id, o)| (id.clone(), json!(o.value), o.evidence.clone()))
        .collect()
}

/// Figures the seeds transcriber derived rather than read off one row:
/// sums of two rows (computers of civil servants and of public employees),
/// a "Không" read as 0, a LAN inferred from "1 of 1 units".
const DERIVED: &[&str] = &[
    "computers_total",
    "computers_antivirus",
    "has_lan",
    "systems_total",
];

/// Values the transcriber gave the evidence of their total row (VI.3, VI.4),
/// which a spreadsheet shows as one merged evidence cell.
const MERGED_EVIDENCE: &[&str] = &["docs_outgoing_signed", "docs_incoming_electronic"];

fn assert_seeds(item: &Json, merged: bool) {
    let values = &item["values"];
    let evidence = &item["evidence"];
    for (id, want, ev) in seeds_values() {
        if DERIVED.contains(&id.as_str()) {
            assert!(values.get(&id).is_none(), "{id} is not read from one row");
            continue;
        }
        assert_eq!(values[&id], want, "{id}");
        if let Some(ev) = ev {
            if MERGED_EVIDENCE.contains(&id.as_str()) && !merged {
                continue;
            }
            let got = evidence[&id].as_str().unwrap_or("");
            assert!(
                got.starts_with(&ev),
                "{id}: evidence {got:?} should start with {ev:?}"
            );
        }
    }
    assert_eq!(
        values["budget_recurrent_vnd"],
        json!(510000000),
        "510.000.000"
    );
    assert_eq!(values["has_cio"], json!(true), "Có");
}

#[test]
fn phu_luc_01_as_tsv_gives_the_seeds_values() {
    let (_t, root) = site("seeds-site");
    fs::remove_file(root.join("data/reports/2022/ha-tinh-so-ngoai-vu.yaml")).expect("rm");
    let file = root.join("ha-tinh-so-ngoai-vu.tsv");
    fs::copy(manifest().join(PHU_LUC), &file).expect("copy");
    let (code, items) = import_json(&root, &[&file], &["--year", "2022"]);
    assert_eq!(code, 0, "{items:?}");
    let item = &items[0];
    assert_eq!(item["form"], "phu-luc-01");
    assert_eq!(item["written"], false);
    assert!(codes(item).is_empty(), "{:?}", item["problems"]);
    assert_seeds(item, false);
    // The links under 1.3 and 1.4 are continuation rows: evidence, not rows.
    let dry = import(&root, &[&file], &["--year", "2022"]);
    assert!(!root
        .join("data/reports/2022/ha-tinh-so-ngoai-vu.yaml")
        .exists());
    let out = String::from_utf8_lossy(&dry.stdout);
    assert!(
        out.contains("budget_recurrent_vnd: {value: 510000000"),
        "{out}"
    );

    // Written, the report is valid and the site builds with it.
    let w = import(&root, &[&file], &["--year", "2022", "--write"]);
    assert!(w.status.success(), "{}", text(&w));
    let written = fs::read_to_string(root.join("data/reports/2022/ha-tinh-so-ngoai-vu.yaml"))
        .expect("written");
    assert!(written.contains("  dossiers_online: 52\n"), "{written}");
    let check = minhbach(&["check", "--root", s(&root), "--format", "json"]);
    assert!(check.status.success(), "{}", text(&check));
}

/// The fixture's rows as cells: numbers where Excel would store a number.
fn fixture_rows() -> Vec<Vec<String>> {
    fs::read_to_string(manifest().join(PHU_LUC))
        .expect("fixture")
        .lines()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

fn write_xlsx(path: &Path, merge_evidence: bool, page_break_header: bool) {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Phụ lục 01").expect("name");
    let rows = fixture_rows();
    let mut out_row: u32 = 0;
    let mut merged_below: Vec<u32> = Vec::new();
    for cells in &rows {
        if page_break_header && cells.first().is_some_and(|c| c == "IV CƠ SỞ DỮ LIỆU SỐ") {
            for (c, t) in ["STT", "NỘI DUNG", "SỐ LIỆU/KẾT QUẢ", "GHI CHÚ"]
                .iter()
                .enumerate()
            {
                ws.write_string(out_row, c as u16, *t).expect("write");
            }
            out_row += 1;
        }
        let total_row = cells.first().is_some_and(|c| c == "3" || c == "4")
            && cells.get(1).is_some_and(|l| l.contains("văn bản"));
        for (c, t) in cells.iter().enumerate() {
            if t.is_empty() {
                continue;
            }
            if c == 3 && merge_evidence && total_row {
                ws.merge_range(out_row, 3, out_row + 1, 3, t, &Format::new())
                    .expect("merge");
                merged_below.push(out_row + 1);
                continue;
            }
            if c == 2 && t == "510.000.000" {
                // A Vietnamese Excel stores the number and shows the dots.
                let f = Format::new().set_num_format("#,##0");
                ws.write_number_with_format(out_row, 2, 510_000_000.0, &f)
                    .expect("write");
            } else if c == 2 && t.chars().all(|ch| ch.is_ascii_digit()) {
                ws.write_number(out_row, 2, t.parse::<f64>().expect("digits"))
                    .expect("write");
            } else {
                ws.write_string(out_row, c as u16, t).expect("write");
            }
        }
        out_row += 1;
    }
    wb.save(path).expect("save");
}

#[test]
fn phu_luc_01_as_generated_xlsx_gives_the_seeds_values() {
    let (_t, root) = site("seeds-site");
    let file = root.join("ha-tinh-so-ngoai-vu.xlsx");
    write_xlsx(&file, true, true);
    let (code, items) = import_json(&root, &[&file], &["--year", "2024"]);
    assert_eq!(code, 0, "{items:?}");
    let item = &items[0];
    assert!(codes(item).is_empty(), "{:?}", item["problems"]);
    assert_seeds(item, true);
    // A number cell is read as Excel shows it.
    assert_eq!(item["values"]["dossiers_total"], json!(93));
}

/// A site form for a site indicator: the built-in Phụ lục 01 with the
/// cameras row (III.6, "09 mắt") mapped.
fn with_cameras(root: &Path) {
    fs::write(
        root.join("data/indicators.yaml"),
        "indicators:\n  - id: cameras_total\n    kind: count\n    group: infrastructure\n    name: \"Số camera giám sát trụ sở\"\n",
    )
    .expect("indicators");
    let builtin = minhbach::validate::forms::builtin_text();
    let form = builtin.replace("  - {code: \"III.6\"}\n", "").replace(
        "ignore:\n",
        "  - {code: \"III.6\", indicator: cameras_total}\nignore:\n",
    );
    fs::create_dir_all(root.join("data/forms")).expect("mkdir");
    fs::write(root.join("data/forms/phu-luc-01.yaml"), form).expect("form");
}

#[test]
fn unit_words_are_dropped_and_noted() {
    let (_t, root) = site("seeds-site");
    with_cameras(&root);
    let file = root.join("ha-tinh-so-ngoai-vu.tsv");
    fs::copy(manifest().join(PHU_LUC), &file).expect("copy");
    let (code, items) = import_json(&root, &[&file], &["--year", "2024"]);
    assert_eq!(code, 0, "{items:?}");
    assert_eq!(items[0]["form"], "phu-luc-01");
    assert_eq!(items[0]["values"]["cameras_total"], json!(9), "09 mắt");
    let notes = items[0]["notes"].to_string();
    assert!(notes.contains("mắt"), "{notes}");
    // The dry run's report says where each value came from.
    let out = import(&root, &[&file], &["--year", "2024"]);
    let yaml = String::from_utf8_lossy(&out.stdout);
    assert!(
        yaml.contains("(ô ghi \"09 mắt\")\n  cameras_total: {value: 9,"),
        "{yaml}"
    );
}

/// A test site with one indicator of every kind, and its form.
fn kinds_site() -> (tempfile::TempDir, PathBuf) {
    let (t, root) = site("good-minimal");
    fs::write(
        root.join("data/indicators.yaml"),
        "indicators:\n  - {id: share_x, kind: percent, group: services, name: \"Tỷ lệ\"}\n  - {id: status_x, kind: text, group: services, name: \"Tình trạng\"}\n  - {id: score_x, kind: number, group: services, name: \"Điểm\"}\n",
    )
    .expect("indicators");
    fs::create_dir_all(root.join("data/forms")).expect("mkdir");
    fs::write(
        root.join("data/forms/mau-thu.yaml"),
        "# Mẫu thử\nname: \"Mẫu thử\"\nheader:\n  code: \"STT\"\n  label: \"Chỉ số\"\n  value: \"Số liệu báo cáo\"\n  evidence: [\"Tài liệu kiểm chứng\", \"Ghi chú\"]\nrows:\n  - {code: \"I.1\", indicator: dossiers_total}\n  - {under: \"I.1\", label: \"Trong đó trực tuyến\", indicator: dossiers_online}\n  - {code: \"I.2\", indicator: budget_dx_vnd, scale: 1000000}\n  - {code: \"I.3\", indicator: share_x}\n  - {code: \"I.4\", indicator: has_cio}\n  - {code: \"I.5\", indicator: status_x}\n  - {code: \"I.6.a\", indicator: score_x}\n  - {code: \"I.6.đ\", indicator: leaders_total}\n  - {code: \"II.1\", indicator: staff_total}\nignore:\n  - {label: \"Ghi chú chung\"}\nprivate:\n  - {code: \"III\"}\n",
    )
    .expect("form");
    (t, root)
}

const KINDS_TSV: &str = "Báo cáo chỉ số chuyển đổi số\n\nSTT\tChỉ số\tSố liệu báo cáo\tTài liệu kiểm chứng\tGhi chú\n(1)\t(2)\t(3)\t(4)\t(5)\nI\tDịch vụ công\t\t\t\n1\tTổng số hồ sơ\t1.045\tBáo cáo 12\t\n\tTrong đó trực tuyến\t514\t\t\n2\tKinh phí chuyển đổi số (triệu đồng)\t1,5\t\t\n3\tTỷ lệ hài lòng\t84,96 %\t\t\n4\tCó CIO\t<i>có</i>\tQĐ 14\tđã ký\n\t\t\thttps://a.example\t\n5\tTình trạng\tĐang triển khai\t\t\n6\tĐiểm\t\t\t\na\tĐiểm a\t92,5 điểm\t\t\nđ\tLãnh đạo\t09 người\t\t\nSTT\tChỉ số\tSố liệu báo cáo\tTài liệu kiểm chứng\tGhi chú\nII\tNhân lực\t\t\t\n1\tTổng số cán bộ\t\t25\t\n2\tSố máy chủ\t3\t\t\n\tGhi chú chung\t-\t\t\nIII\tNgười liên hệ\tNguyễn Văn Bí Mật\t0912 345 678\t\n\t\t\tbimat@example.gov.vn\t\n";

#[test]
fn every_kind_of_value_and_row() {
    let (_t, root) = kinds_site();
    let file = root.join("so-noi-vu.tsv");
    fs::write(&file, KINDS_TSV).expect("tsv");
    let (code, items) = import_json(&root, &[&file], &["--year", "2024"]);
    assert_eq!(code, 0, "{items:?}");
    let item = &items[0];
    assert_eq!(item["form"], "mau-thu");
    assert_eq!(
        item["values"],
        json!({
            "dossiers_total": 1045,
            "dossiers_online": 514,
            "budget_dx_vnd": 1500000,
            "share_x": 84.96,
            "has_cio": true,
            "status_x": "Đang triển khai",
            "score_x": 92.5,
            "leaders_total": 9,
        })
    );
    // Both evidence columns, tags removed, and the continuation row.
    assert_eq!(
        item["evidence"]["has_cio"],
        "QĐ 14; đã ký; https://a.example"
    );
    let problems = item["problems"].as_array().expect("problems");
    // II.1's figure is in the evidence column; II.2 is not in the form.
    let misplaced = problems
        .iter()
        .find(|p| p["code"] == "misplaced-value")
        .expect("misplaced");
    assert_eq!(
        (misplaced["row"].clone(), misplaced["column"].clone()),
        (json!(18), json!(4))
    );
    assert!(
        misplaced.get("line").is_none(),
        "sheet problems have row, not line"
    );
    let unmapped = problems
        .iter()
        .find(|p| p["code"] == "unmapped-row")
        .expect("unmapped");
    assert_eq!(unmapped["row"], 19);
    let msg = unmapped["message"].as_str().unwrap_or("");
    assert!(
        msg.contains("row 19") && msg.contains("Số máy chủ") && msg.contains("\"3\""),
        "{msg}"
    );
    assert_eq!(problems.len(), 2, "{problems:?}");
    // staff_total had no value (the figure is misplaced): no key.
    assert!(item["values"].get("staff_total").is_none());
}

#[test]
fn a_private_row_reaches_nothing() {
    let (_t, root) = kinds_site();
    let file = root.join("so-noi-vu.tsv");
    // The private part also has a misplaced number and an unmapped value.
    let tsv = format!(
        "{KINDS_TSV}1\tSố điện thoại nhà riêng\t\t0987654321\n2\tGhi chú riêng\tBí mật khác\t\n"
    );
    fs::write(&file, tsv).expect("tsv");
    let secrets = [
        "Bí Mật",
        "0912",
        "bimat@",
        "0987654321",
        "Bí mật khác",
        "Người liên hệ",
    ];
    let dry = import(&root, &[&file], &["--year", "2024"]);
    let (_, items) = import_json(&root, &[&file], &["--year", "2024"]);
    let w = import(&root, &[&file], &["--year", "2024", "--write"]);
    assert!(w.status.success(), "{}", text(&w));
    let written =
        fs::read_to_string(root.join("data/reports/2024/so-noi-vu.yaml")).expect("written");
    let build = minhbach(&[
        "build",
        "--root",
        s(&root),
        "--output",
        s(&root.join("out")),
        "--quiet",
    ]);
    assert!(build.status.success(), "{}", text(&build));
    let mut built = String::new();
    for e in walkdir::WalkDir::new(root.join("out")) {
        let e = e.expect("walk");
        if e.file_type().is_file() {
            built.push_str(&String::from_utf8_lossy(&fs::read(e.path()).expect("read")));
        }
    }
    let all = [
        ("dry run", text(&dry)),
        ("json", serde_json::to_string(&items).expect("json")),
        ("write", text(&w)),
        ("report", written),
        ("site", built),
    ];
    for (what, t) in &all {
        for secret in secrets {
            assert!(!t.contains(secret), "{secret:?} reached the {what}");
        }
    }
}

#[test]
fn an_ambiguous_form_row_is_an_error_and_nothing_is_written() {
    let (_t, root) = kinds_site();
    let form = root.join("data/forms/mau-thu.yaml");
    let text_ = fs::read_to_string(&form).expect("form");
    fs::write(
        &form,
        text_.replace(
            "{code: \"II.1\", indicator: staff_total}",
            "{label: \"Tổng số\", indicator: staff_total}",
        ),
    )
    .expect("form");
    let file = root.join("so-noi-vu.tsv");
    fs::write(&file, KINDS_TSV).expect("tsv");
    let (code, items) = import_json(&root, &[&file], &["--year", "2024", "--write"]);
    assert_eq!(code, 1);
    assert!(
        codes(&items[0]).contains(&"form-row-ambiguous".to_string()),
        "{items:?}"
    );
    let p = items[0]["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .find(|p| p["code"] == "form-row-ambiguous")
        .cloned()
        .expect("ambiguous");
    assert!(
        p["message"].as_str().unwrap_or("").contains("rows 6, 18"),
        "{p}"
    );
    assert_eq!(items[0]["written"], false);
    assert!(!root.join("data/reports/2024").exists());
}

#[test]
fn an_unreadable_value_is_rejected_with_the_fix_and_nothing_written() {
    let (_t, root) = kinds_site();
    let file = root.join("so-noi-vu.tsv");
    fs::write(
        &file,
        KINDS_TSV
            .replace("\t1.045\t", "\tkhoảng 1000\t")
            .replace("<i>có</i>", "chưa rõ"),
    )
    .expect("tsv");
    let out = import(&root, &[&file], &["--year", "2024", "--write"]);
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out);
    assert!(t.contains("error[import-value]"), "{t}");
    assert!(
        t.contains("cell C6")
            && t.contains("\"khoảng 1000\"")
            && t.contains("write a whole number"),
        "{t}"
    );
    assert!(
        t.contains("cell C10") && t.contains("this indicator is a yes/no"),
        "{t}"
    );
    assert!(!root.join("data/reports/2024/so-noi-vu.yaml").exists());
}

#[test]
fn force_keeps_comments_and_other_fields() {
    let (_t, root) = kinds_site();
    let file = root.join("so-noi-vu.tsv");
    fs::write(&file, KINDS_TSV).expect("tsv");
    let existing = "# Sở Nội vụ 2024: nhập tay\nsource: {title: \"Báo cáo\"} # giữ\nvalues:\n  # --- Dịch vụ công\n  dossiers_total: 999 # số cũ\n  servers_total: 2\n  leaders_total: {value: 1, note: \"chờ xác nhận\"}\nnotes: |\n  Ghi chú của sở.\n";
    let path = root.join("data/reports/2024/so-noi-vu.yaml");
    fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
    fs::write(&path, existing).expect("existing");
    // Never overwritten without --force.
    let out = import(&root, &[&file], &["--year", "2024", "--write"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("report-exists"), "{}", text(&out));
    assert_eq!(fs::read_to_string(&path).expect("read"), existing);
    let out = import(&root, &[&file], &["--year", "2024", "--write", "--force"]);
    assert!(out.status.success(), "{}", text(&out));
    let new = fs::read_to_string(&path).expect("read");
    for kept in [
        "# Sở Nội vụ 2024: nhập tay\n",
        "source: {title: \"Báo cáo\"} # giữ\n",
        "  # --- Dịch vụ công\n",
        "  servers_total: 2\n",
        "notes: |\n  Ghi chú của sở.\n",
    ] {
        assert!(new.contains(kept), "{kept:?} lost:\n{new}");
    }
    assert!(
        new.contains("  dossiers_total: {value: 1045, evidence: \"Báo cáo 12\"} # số cũ\n"),
        "{new}"
    );
    assert!(
        new.contains("  leaders_total: {value: 9, note: \"chờ xác nhận\"}\n"),
        "{new}"
    );
    assert!(new.contains("  share_x: 84.96\n"), "{new}");
    // --force without --write is wrong usage.
    assert_eq!(
        import(&root, &[&file], &["--year", "2024", "--force"])
            .status
            .code(),
        Some(2)
    );
}

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

#[test]
fn a_batch_imports_every_file_and_sums_up() {
    let (_t, root) = kinds_site();
    let dir = root.join("forms/2024");
    fs::create_dir_all(&dir).expect("mkdir");
    let good = dir.join("so-noi-vu.tsv");
    fs::write(&good, KINDS_TSV).expect("tsv");
    let bad = dir.join("so-tu-phap.tsv");
    fs::write(&bad, KINDS_TSV.replace("\t514\t", "\tnhiều\t")).expect("tsv");
    let stray = dir.join("so-khong-co.tsv");
    fs::write(&stray, KINDS_TSV).expect("tsv");
    let out = import(
        &root,
        &[&good, &bad, &stray],
        &["--year", "2024", "--write"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("warnings") && err.contains("so-noi-vu.tsv → so-noi-vu 2024: 8 values, 2 warnings; wrote data/reports/2024/so-noi-vu.yaml, checked: no problems"), "{err}");
    assert!(
        err.contains("failed   ") && err.contains("so-tu-phap.tsv"),
        "{err}"
    );
    assert!(err.contains("`so-khong-co` is not an agency"), "{err}");
    let table: Vec<Vec<&str>> = err
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert!(
        table.contains(&vec!["files", "3"]) && table.contains(&vec!["failed", "2"]),
        "{err}"
    );
    assert!(table.contains(&vec!["imported,", "warnings", "1"]), "{err}");
    assert!(root.join("data/reports/2024/so-noi-vu.yaml").exists());
    assert!(!root.join("data/reports/2024/so-tu-phap.yaml").exists());
    // Under --strict, warnings fail the file too.
    fs::remove_file(root.join("data/reports/2024/so-noi-vu.yaml")).expect("rm");
    let out = import(&root, &[&good], &["--year", "2024", "--write", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!root.join("data/reports/2024/so-noi-vu.yaml").exists());
}

#[test]
fn check_reports_the_problems_of_form_files() {
    let (_t, root) = kinds_site();
    fs::write(
        root.join("data/forms/hong.yaml"),
        "header: {code: STT, label: Chỉ số, value: Số liệu, colour: red}\nrows:\n  - {code: \"I.1\", indicator: dossiers_totl}\n  - {code: \"I.2\", indicator: dossiers_online}\n  - {code: \"I.2\", indicator: dossiers_total}\n",
    )
    .expect("form");
    // Import uses no form while one is broken: it might be the one meant.
    let file = root.join("so-noi-vu.tsv");
    fs::write(&file, KINDS_TSV).expect("tsv");
    let (code, items) = import_json(&root, &[&file], &["--year", "2024"]);
    assert_eq!(code, 1);
    assert!(
        codes(&items[0]).contains(&"unknown-indicator".to_string()),
        "{items:?}"
    );
    let (code, _) = import_json(&root, &[&file], &["--year", "2024", "--form", "mau-thu"]);
    assert_eq!(code, 0);
    let out = minhbach(&["check", "--root", s(&root), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let diags: Json = serde_json::from_slice(&out.stdout).expect("json");
    let got: Vec<(String, String, i64, i64)> = diags
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["file"].as_str().unwrap_or("").to_string(),
                d["line"].as_i64().unwrap_or(0),
                d["column"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    for want in [
        ("unknown-field", 1, 52),
        ("unknown-indicator", 3, 30),
        ("duplicate-form-row", 5, 5),
    ] {
        assert!(
            got.contains(&(
                want.0.to_string(),
                "data/forms/hong.yaml".to_string(),
                want.1,
                want.2
            )),
            "{want:?} not in {got:?}"
        );
    }
}

#[test]
fn usage_errors() {
    let (_t, root) = kinds_site();
    let file = root.join("so-noi-vu.tsv");
    fs::write(&file, KINDS_TSV).expect("tsv");
    assert_eq!(
        import(&root, &[&file], &["--year", "1999"]).status.code(),
        Some(2)
    );
    assert_eq!(
        import(&root, &[&file], &["--year", "2024", "--form", "khong-co"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        import(
            &root,
            &[&file, &file],
            &["--year", "2024", "--agency", "so-noi-vu"]
        )
        .status
        .code(),
        Some(2)
    );
    assert_eq!(
        minhbach(&["import", "--year", "2024"]).status.code(),
        Some(2)
    );
}

#[test]
fn the_sample_forms_of_the_readme_import() {
    let samples: Vec<PathBuf> = ["so-ngoai-vu.tsv", "so-noi-vu.tsv", "so-tu-phap.csv"]
        .iter()
        .map(|f| manifest().join("samples/forms/2024").join(f))
        .collect();
    let files: Vec<&Path> = samples.iter().map(PathBuf::as_path).collect();
    // The dry run on the repository's own site writes nothing.
    let (code, items) = import_json(manifest(), &files, &["--year", "2024"]);
    assert_eq!(code, 0, "{items:?}");
    assert!(!manifest().join("data/reports/2024").exists());
    let forms: Vec<&str> = items
        .iter()
        .map(|i| i["form"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(forms, vec!["phu-luc-01", "phu-luc-01", "chi-so-dti"]);
    assert_eq!(codes(&items[0]), vec!["misplaced-value", "unmapped-row"]);
    assert!(
        codes(&items[1]).is_empty() && codes(&items[2]).is_empty(),
        "{items:?}"
    );
    assert_eq!(items[2]["values"]["budget_dx_vnd"], json!(1_250_500_000));
    assert_eq!(items[2]["values"]["dossiers_full_eligible"], json!(9870));
    // Written into a copy of the sample site, the reports check clean.
    let tmp = tempfile::tempdir().expect("tempdir");
    for part in ["site.yaml", "data", "content"] {
        let from = manifest().join(part);
        if from.is_dir() {
            copy_tree(&from, &tmp.path().join(part));
        } else {
            fs::copy(&from, tmp.path().join(part)).expect("copy");
        }
    }
    let (code, items) = import_json(tmp.path(), &files, &["--year", "2024", "--write"]);
    assert_eq!(code, 0, "{items:?}");
    for item in &items {
        assert_eq!(item["written"], true);
    }
    let secrets = [
        "Nguyễn Thị Mẫu",
        "0200 3",
        "Lê Thị Mẫu",
        "vanthu.snv",
        "Trần Văn Mẫu",
    ];
    for f in ["so-ngoai-vu", "so-noi-vu", "so-tu-phap"] {
        let t = fs::read_to_string(tmp.path().join(format!("data/reports/2024/{f}.yaml")))
            .expect("written");
        for secret in secrets {
            assert!(!t.contains(secret), "{secret} in {f}");
        }
    }
}

#[test]
fn new_year_then_import_force_fills_the_template() {
    let (_t, root) = kinds_site();
    let out = minhbach(&["new", "year", "2023", "--root", s(&root)]);
    assert!(out.status.success(), "{}", text(&out));
    let path = root.join("data/reports/2023/so-noi-vu.yaml");
    let template = fs::read_to_string(&path).expect("template");
    let file = root.join("so-noi-vu.tsv");
    fs::write(&file, KINDS_TSV).expect("tsv");
    let out = import(&root, &[&file], &["--year", "2023", "--write", "--force"]);
    assert!(out.status.success(), "{}", text(&out));
    let filled = fs::read_to_string(&path).expect("filled");
    // Every line of the template stays but the imported keys' lines, which
    // keep their "last year" comment.
    let changed: Vec<(&str, &str)> = template
        .lines()
        .zip(filled.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(template.lines().count(), filled.lines().count(), "{filled}");
    assert_eq!(changed.len(), 8, "{changed:#?}");
    for (before, after) in changed {
        let key = before.split(':').next().unwrap_or("");
        assert!(after.starts_with(&format!("{key}: ")), "{before} → {after}");
        if let Some(i) = before.find(" # ") {
            assert!(after.ends_with(&before[i..]), "{before} → {after}");
        }
    }
    let check = minhbach(&["check", "--root", s(&root)]);
    assert!(check.status.success(), "{}", text(&check));
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
