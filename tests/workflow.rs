//! The staff workflow commands: `new year`, `new agency`, and `check`'s
//! output for people next to its one-line and JSON forms.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value as Json;

fn minhbach(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_minhbach"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.expect("walk");
        let dest = to.join(e.path().strip_prefix(from).expect("prefix"));
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).expect("mkdir");
        } else {
            fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

fn sample_copy(to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["data", "content"] {
        copy_tree(&from.join(dir), &to.join(dir));
    }
    fs::copy(from.join("site.yaml"), to.join("site.yaml")).expect("copy");
}

fn check_json(root: &Path) -> (i32, Vec<Json>) {
    let out = minhbach(&[
        "check",
        "--root",
        root.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    let diags: Json = serde_json::from_slice(&out.stdout).expect("one JSON array");
    (
        out.status.code().unwrap_or(-1),
        diags.as_array().cloned().unwrap_or_default(),
    )
}

/// `  key:   # năm 2023: 45` → `  key: 45`: what a clerk types.
fn fill_in(text: &str) -> String {
    text.lines()
        .map(|l| match l.split_once("# năm ") {
            Some((key, rest))
                if key.trim_end().ends_with(':') && !key.trim_start().starts_with('#') =>
            {
                let value = rest.split_once(": ").map(|(_, v)| v).unwrap_or("");
                format!("{} {value}", key.trim_end())
            }
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn new_year_files_pass_check_once_filled_in_and_nothing_is_overwritten() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().to_path_buf();
    sample_copy(&root);
    let r = root.to_str().expect("utf-8");
    let dir = root.join("data/reports/2024");
    fs::create_dir_all(&dir).expect("mkdir");
    let mine = "# typed already\nvalues:\n  dossiers_total: 7\n";
    fs::write(dir.join("so-tu-phap.yaml"), mine).expect("write");

    let out = minhbach(&["new", "year", "2024", "--root", r]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("kept    data/reports/2024/so-tu-phap.yaml"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(dir.join("so-tu-phap.yaml")).expect("read"),
        mine
    );

    let created: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("ls")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| !p.ends_with("so-tu-phap.yaml"))
        .collect();
    assert_eq!(created.len(), 29, "every other agency of the sample");
    let sample = fs::read_to_string(dir.join("so-noi-vu.yaml")).expect("read");
    for (id, label) in [
        (
            "procedures_total",
            "# Tổng số thủ tục hành chính (TTHC) của cơ quan (thủ tục)",
        ),
        (
            "dossiers_full_eligible",
            "# Số hồ sơ của TTHC đủ điều kiện cung cấp DVCTT toàn trình",
        ),
        ("has_cio", "# Có lãnh đạo phụ trách CNTT (CIO)"),
        ("budget_dx_vnd", "# Kinh phí cho chuyển đổi số, CNTT"),
    ] {
        assert!(sample.contains(label), "{label} in:\n{sample}");
        assert!(sample.contains(&format!("\n  {id}:")), "{id} in:\n{sample}");
    }
    assert!(
        sample.contains("# năm 2023: "),
        "last year's figures: {sample}"
    );

    // Unfilled, the files are valid (nothing reported yet).
    let (code, diags) = check_json(&root);
    let errors: Vec<&Json> = diags.iter().filter(|d| d["severity"] == "error").collect();
    assert!(errors.is_empty() && code == 0, "{errors:?}");

    // Filled in with last year's figures, check accepts them.
    for p in &created {
        let text = fs::read_to_string(p).expect("read");
        fs::write(p, fill_in(&text)).expect("write");
    }
    let filled = fs::read_to_string(dir.join("so-noi-vu.yaml")).expect("read");
    assert!(!filled.contains("# năm 2023"), "{filled}");
    let (code, diags) = check_json(&root);
    let errors: Vec<&Json> = diags.iter().filter(|d| d["severity"] == "error").collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(code, 0);

    // A second run creates nothing and changes nothing.
    let snapshot: Vec<(PathBuf, Vec<u8>)> = created
        .iter()
        .map(|p| (p.clone(), fs::read(p).expect("read")))
        .collect();
    let out = minhbach(&["new", "year", "2024", "--root", r]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 reports created, 30 kept"));
    for (p, bytes) in snapshot {
        assert_eq!(
            fs::read(&p).expect("read"),
            bytes,
            "{} untouched",
            p.display()
        );
    }
    assert_eq!(
        minhbach(&["new", "year", "1999", "--root", r])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn new_agency_is_inserted_as_text_and_validated() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    sample_copy(root);
    let r = root.to_str().expect("utf-8");
    let registry = root.join("data/agencies.yaml");
    let before = fs::read_to_string(&registry).expect("read");
    let out = minhbach(&[
        "new",
        "agency",
        "so-moi",
        "--name",
        "Sở Mới",
        "--cohort",
        "so-ban-nganh",
        "--root",
        r,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = fs::read_to_string(&registry).expect("read");
    assert!(
        after.starts_with(before.trim_end()),
        "only added at the end of agencies:"
    );
    assert!(after.contains("  so-moi:\n    name: \"Sở Mới\"\n    cohort: so-ban-nganh\n"));
    let (code, diags) = check_json(root);
    assert!(diags.iter().all(|d| d["severity"] != "error"), "{diags:?}");
    assert_eq!(code, 0);
    for bad in [
        vec![
            "new",
            "agency",
            "so-moi",
            "--name",
            "X",
            "--cohort",
            "so-ban-nganh",
            "--root",
            r,
        ],
        vec![
            "new",
            "agency",
            "Sở_X",
            "--name",
            "X",
            "--cohort",
            "so-ban-nganh",
            "--root",
            r,
        ],
        vec![
            "new", "agency", "so-x", "--name", "X", "--cohort", "nope", "--root", r,
        ],
    ] {
        assert_eq!(minhbach(&bad).status.code(), Some(2), "{bad:?}");
    }
    assert_eq!(fs::read_to_string(&registry).expect("read"), after);
}

#[test]
fn check_text_shows_the_source_under_the_one_line_form() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad/wrong-type");
    let r = root.to_str().expect("utf-8");
    let short = minhbach(&["check", "--root", r, "--format", "short"]);
    let text = minhbach(&["check", "--root", r]);
    assert_eq!(short.status.code(), Some(1));
    assert_eq!(text.status.code(), Some(1));
    let short = String::from_utf8_lossy(&short.stderr).into_owned();
    let text = String::from_utf8_lossy(&text.stderr).into_owned();
    let one_line = "error[wrong-type]: data/reports/2022/so-tu-phap.yaml:2:19: dossiers_total must be a whole number";
    assert!(
        short
            .lines()
            .next()
            .is_some_and(|l| l.starts_with(one_line)),
        "{short}"
    );
    // Every one-line diagnostic is a line of the text form too.
    for l in short.lines() {
        assert!(text.lines().any(|t| t == l), "{l:?} missing from:\n{text}");
    }
    assert!(
        text.contains("── data/reports/2022/so-tu-phap.yaml (1 error)"),
        "{text}"
    );
    assert!(text.contains("2 |   dossiers_total: \"1.045\""), "{text}");
    assert!(text.contains("^^^^^^^"), "{text}");
    assert!(!text.contains('\x1b'), "no colours off a terminal");
}
