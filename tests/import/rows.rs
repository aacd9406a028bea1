//! Every kind of value and row, on a test form of a test site.

use std::fs;

use serde_json::{json, Value as Json};

use super::*;

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
    // Below part II (not private), a contact row the form marks private by
    // its label, and a phone number alone on the next row.
    let tsv = format!(
        "{KINDS_TSV}1\tSố điện thoại nhà riêng\t\t0987654321\n2\tGhi chú riêng\tBí mật khác\t\n"
    )
    .replace(
        "III\tNgười liên hệ",
        "\tNgười lập biểu\tLê Văn Ký\t\t\n\t\t0977 000 111\t\t\nIII\tNgười liên hệ",
    );
    fs::write(&file, tsv).expect("tsv");
    let form = root.join("data/forms/mau-thu.yaml");
    let text_ = fs::read_to_string(&form).expect("form");
    fs::write(&form, text_ + "  - {label: \"Người lập biểu\"}\n").expect("form");
    let secrets = [
        "Lê Văn Ký",
        "0977",
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
    // A dry run shows the report as --force would make it, and says so.
    let out = import(&root, &[&file], &["--year", "2024"]);
    assert!(out.status.success(), "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("--write needs --force") && t.contains("  servers_total: 2\n"),
        "{t}"
    );
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
    // Form files are input, read by `check`; anything else there is not.
    assert!(
        !got.iter()
            .any(|d| d.0 == "ignored-file" && d.1.ends_with(".yaml")),
        "{got:?}"
    );
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
