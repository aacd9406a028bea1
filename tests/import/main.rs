//! End-to-end tests of `minhbach import` (IMPORT.md): the Phụ lục 01 form
//! of the fixtures as TSV and as a generated XLSX (`phu_luc`), every kind
//! of value and row on a test form (`rows`: page-break headers, misplaced
//! values, private, unmapped and ambiguous rows, safe writes, batches, JSON
//! output), and files that are not forms or are past the limits (`files`).

mod files;
mod phu_luc;
mod rows;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value as Json;

pub const PHU_LUC: &str = "tests/fixtures/reports/ha-tinh-so-ngoai-vu-2022.txt";
pub const HA_TINH: &str = "ha-tinh-so-ngoai-vu";

pub fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn minhbach(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_minhbach"))
        .args(args)
        .output()
        .expect("the binary runs")
}

pub fn copy_tree(from: &Path, to: &Path) {
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
pub fn site(fixture: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    copy_tree(&manifest().join("tests/fixtures").join(fixture), &root);
    (tmp, root)
}

pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

pub fn import(root: &Path, files: &[&Path], extra: &[&str]) -> Output {
    let mut args = vec!["import", "--root", s(root)];
    args.extend(files.iter().map(|f| s(f)));
    args.extend_from_slice(extra);
    minhbach(&args)
}

pub fn import_json(root: &Path, files: &[&Path], extra: &[&str]) -> (i32, Vec<Json>) {
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

pub fn codes(item: &Json) -> Vec<String> {
    item["problems"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| p["code"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A test site with one indicator of every kind, and its form.
pub fn kinds_site() -> (tempfile::TempDir, PathBuf) {
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

pub const KINDS_TSV: &str = "Báo cáo chỉ số chuyển đổi số\n\nSTT\tChỉ số\tSố liệu báo cáo\tTài liệu kiểm chứng\tGhi chú\n(1)\t(2)\t(3)\t(4)\t(5)\nI\tDịch vụ công\t\t\t\n1\tTổng số hồ sơ\t1.045\tBáo cáo 12\t\n\tTrong đó trực tuyến\t514\t\t\n2\tKinh phí chuyển đổi số (triệu đồng)\t1,5\t\t\n3\tTỷ lệ hài lòng\t84,96 %\t\t\n4\tCó CIO\t<i>có</i>\tQĐ 14\tđã ký\n\t\t\thttps://a.example\t\n5\tTình trạng\tĐang triển khai\t\t\n6\tĐiểm\t\t\t\na\tĐiểm a\t92,5 điểm\t\t\nđ\tLãnh đạo\t09 người\t\t\nSTT\tChỉ số\tSố liệu báo cáo\tTài liệu kiểm chứng\tGhi chú\nII\tNhân lực\t\t\t\n1\tTổng số cán bộ\t\t25\t\n2\tSố máy chủ\t3\t\t\n\tGhi chú chung\t-\t\t\nIII\tNgười liên hệ\tNguyễn Văn Bí Mật\t0912 345 678\t\n\t\t\tbimat@example.gov.vn\t\n";
