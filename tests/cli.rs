//! End-to-end tests of the `minhbach` binary on the conformance fixtures.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value as Json;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn minhbach(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_minhbach"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn check_json(root: &Path) -> (i32, Vec<Json>) {
    let out = minhbach(&[
        "check",
        "--root",
        root.to_str().expect("utf-8 path"),
        "--format",
        "json",
    ]);
    let diags: Json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is one JSON array ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (
        out.status.code().unwrap_or(-1),
        diags.as_array().cloned().unwrap_or_default(),
    )
}

fn build(root: &Path, output: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().expect("utf-8 path"),
        "--output",
        output.to_str().expect("utf-8 path"),
    ];
    args.extend_from_slice(extra);
    minhbach(&args)
}

/// Copies a folder tree, for tests that edit a site root.
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

/// Every file below `dir`, relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .into_owned();
            (rel, fs::read(e.path()).expect("read"))
        })
        .collect()
}

fn csv_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).expect("csv opens");
    let headers = r.headers().expect("header").clone();
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn yaml_str(v: &serde_yaml::Value) -> String {
    match v {
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::Null => String::new(),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn seeds_site_reproduces_every_expected_figure() {
    let root = fixture("seeds-site");
    let expected: serde_yaml::Value = serde_yaml::from_str(
        &fs::read_to_string(root.join("expected.yaml")).expect("expected.yaml"),
    )
    .expect("yaml");
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    let res = build(&root, &out, &[]);
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );

    let rates = csv_rows(&out.join("data/rates.csv"));
    for want in expected["rates"].as_sequence().expect("rates") {
        let row = rates
            .iter()
            .find(|r| {
                r["year"] == yaml_str(&want["year"])
                    && r["agency"] == yaml_str(&want["agency"])
                    && r["rate"] == yaml_str(&want["rate"])
            })
            .unwrap_or_else(|| panic!("no row for {want:?}"));
        assert_eq!(row["percent"], yaml_str(&want["percent"]), "{want:?}");
    }
    for missing in expected["not_computable"]
        .as_sequence()
        .expect("not_computable")
    {
        assert!(
            !rates.iter().any(|r| r["year"] == yaml_str(&missing["year"])
                && r["agency"] == yaml_str(&missing["agency"])
                && r["rate"] == yaml_str(&missing["rate"])),
            "not computable, yet published: {missing:?}"
        );
    }

    let rankings = csv_rows(&out.join("data/rankings.csv"));
    for want in expected["rankings"].as_sequence().expect("rankings") {
        let row = rankings
            .iter()
            .find(|r| {
                r["year"] == yaml_str(&want["year"]) && r["agency"] == yaml_str(&want["agency"])
            })
            .unwrap_or_else(|| panic!("no ranking row for {want:?}"));
        for (k, v) in want.as_mapping().expect("map") {
            let k = yaml_str(k);
            assert_eq!(row[&k], yaml_str(v), "{k} of {want:?}");
        }
    }

    // The Vietnamese page shows the same figures the Vietnamese way.
    let page = fs::read_to_string(out.join("agencies/ha-nam-so-tai-chinh/index.html"))
        .expect("agency page");
    assert!(
        page.contains("84,96%"),
        "Vietnamese percent on the agency page"
    );
    let page_en = fs::read_to_string(out.join("en/agencies/ha-nam-so-tai-chinh/index.html"))
        .expect("English page");
    assert!(
        page_en.contains("84.96%"),
        "English percent on the English page"
    );
    let page = fs::read_to_string(out.join("agencies/binh-dinh-so-ngoai-vu/index.html"))
        .expect("agency page");
    assert!(
        page.contains("▲8") && page.contains("▲2"),
        "rank changes shown"
    );
}

/// The diagnostics of scoring rubrics (RUBRICS.md section 5).
const RUBRIC_CODES: &[&str] = &[
    "invalid-rubric",
    "rubric-step-exceeds-max",
    "unknown-criterion",
    "criterion-exceeds-max",
    "score-mismatch",
    "score-sum-mismatch",
];

#[test]
fn seeds_site_check_reports_exactly_the_expected_warnings() {
    let root = fixture("seeds-site");
    let expected: serde_yaml::Value = serde_yaml::from_str(
        &fs::read_to_string(root.join("expected.yaml")).expect("expected.yaml"),
    )
    .expect("yaml");
    let (code, all) = check_json(&root);
    assert_eq!(code, 0, "warnings only: exit 0");
    // The rubric's warnings are listed apart (tests/rubrics.rs checks them
    // in detail): the others stay exactly those of the figures.
    let (rubric, diags): (Vec<_>, Vec<_>) = all
        .into_iter()
        .partition(|d| RUBRIC_CODES.contains(&d["code"].as_str().unwrap_or_default()));
    let mut got_rubric: Vec<(String, String)> = rubric
        .iter()
        .map(|d| {
            assert_eq!(d["severity"], "warning");
            assert!(
                d["line"].as_u64().is_some() && d["column"].as_u64().is_some(),
                "{d}"
            );
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["indicator"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let mut want_rubric: Vec<(String, String)> = expected["rubric_warnings"]
        .as_sequence()
        .expect("rubric_warnings")
        .iter()
        .map(|w| (yaml_str(&w["code"]), yaml_str(&w["criterion"])))
        .collect();
    got_rubric.sort();
    want_rubric.sort();
    assert_eq!(got_rubric, want_rubric);
    let mut got: Vec<(String, String, i64, String)> = diags
        .iter()
        .map(|d| {
            assert_eq!(d["severity"], "warning");
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["agency"].as_str().unwrap_or_default().to_string(),
                d["year"].as_i64().unwrap_or_default(),
                d["indicator"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let mut want: Vec<(String, String, i64, String)> = expected["warnings"]
        .as_sequence()
        .expect("warnings")
        .iter()
        .map(|w| {
            (
                yaml_str(&w["code"]),
                yaml_str(&w["agency"]),
                w["year"].as_i64().expect("year"),
                yaml_str(&w["indicator"]),
            )
        })
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    for d in &diags {
        assert!(
            d["line"].as_u64().is_some() && d["column"].as_u64().is_some(),
            "positions: {d}"
        );
        assert!(
            d["file"]
                .as_str()
                .is_some_and(|f| f.starts_with("data/reports/2022/")),
            "{d}"
        );
    }
    // --strict turns warnings into failure.
    let out = minhbach(&["check", "--root", root.to_str().expect("utf-8"), "--strict"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn good_minimal_has_no_diagnostics_and_builds() {
    let root = fixture("good-minimal");
    let (code, diags) = check_json(&root);
    assert_eq!(code, 0);
    assert!(diags.is_empty(), "{diags:?}");
    let tmp = tempfile::tempdir().expect("tempdir");
    let res = build(&root, &tmp.path().join("out"), &["--strict"]);
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let rates = fs::read_to_string(tmp.path().join("out/data/rates.csv")).expect("rates.csv");
    assert!(
        rates.contains("2022,so-noi-vu,dvctt_uptake,90,120,75.00,"),
        "{rates}"
    );
    assert!(
        rates.contains("2022,so-tu-phap,signed_outgoing_rate,830,875,94.86,"),
        "{rates}"
    );
}

/// The line and column each bad case must point at.
const BAD_POSITIONS: &[(&str, Option<(u64, u64)>)] = &[
    ("yaml-syntax", Some((2, 19))),
    ("wrong-type", Some((2, 19))),
    ("unknown-indicator", Some((2, 3))),
    ("unknown-agency", None),
    ("path-mismatch", Some((1, 7))),
    ("negative-value", Some((3, 20))),
    ("invalid-id", Some((7, 3))),
    ("invalid-url", Some((3, 8))),
    ("out-of-range", Some((1, 18))),
    ("invalid-year", None),
    ("unknown-field", Some((1, 1))),
    ("unknown-cohort", Some((6, 13))),
    ("missing-field", Some((1, 1))),
];

#[test]
fn every_bad_case_reports_its_code_file_and_line() {
    let cases: Json =
        serde_json::from_str(&fs::read_to_string(fixture("bad/cases.json")).expect("cases.json"))
            .expect("json");
    let cases = cases.as_array().expect("array");
    assert_eq!(cases.len(), BAD_POSITIONS.len());
    for case in cases {
        let name = case["case"].as_str().expect("case");
        let (code, diags) = check_json(&fixture(&format!("bad/{name}")));
        assert_eq!(code, 1, "{name}: exit 1");
        let errors: Vec<&Json> = diags.iter().filter(|d| d["severity"] == "error").collect();
        assert_eq!(
            errors.len(),
            1,
            "{name}: exactly one error, no cascade: {errors:?}"
        );
        let e = errors[0];
        assert_eq!(e["code"], case["expect_error"], "{name}");
        assert_eq!(e["file"], case["file"], "{name}");
        let pos = BAD_POSITIONS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, p)| *p)
            .expect("position known");
        match pos {
            Some((line, column)) => {
                assert_eq!(e["line"].as_u64(), Some(line), "{name}: {e}");
                assert_eq!(e["column"].as_u64(), Some(column), "{name}: {e}");
            }
            None => assert!(
                e["line"].is_null(),
                "{name}: a path problem has no line: {e}"
            ),
        }
        assert!(
            e["message"].as_str().is_some_and(|m| m.len() > 20),
            "{name}: a message a clerk can act on"
        );
        // A build fails the same way and writes nothing.
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("public");
        let res = build(&fixture(&format!("bad/{name}")), &out, &[]);
        assert_eq!(res.status.code(), Some(1), "{name}");
        assert!(!out.exists(), "{name}: a failed build writes nothing");
        assert_eq!(
            fs::read_dir(tmp.path()).expect("ls").count(),
            0,
            "{name}: no staging left behind"
        );
    }
}

#[test]
fn wrong_type_message_suggests_the_plain_digits() {
    let (_, diags) = check_json(&fixture("bad/wrong-type"));
    let msg = diags[0]["message"].as_str().expect("message");
    assert!(
        msg.contains("\"1.045\"") && msg.contains("write 1045"),
        "{msg}"
    );
    assert_eq!(diags[0]["indicator"], "dossiers_total");
    assert_eq!(diags[0]["agency"], "so-tu-phap");
    assert_eq!(diags[0]["year"], 2022);
}

#[test]
fn all_problems_are_reported_in_one_run() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    copy_tree(&fixture("good-minimal"), &root);
    fs::write(
        root.join("data/reports/2022/so-noi-vu.yaml"),
        "values:\n  dossiers_total: \"1.045\"\n  dossiers_online: -3\n  dosiers_total: 4\n  has_cio: maybe\n",
    )
    .expect("write");
    fs::write(
        root.join("data/reports/2022/so-tu-phap.yaml"),
        "valeus: {}\nrank: {position: 0, of: 3}\n",
    )
    .expect("write");
    let (code, diags) = check_json(&root);
    assert_eq!(code, 1);
    let codes: Vec<&str> = diags.iter().filter_map(|d| d["code"].as_str()).collect();
    for want in [
        "wrong-type",
        "negative-value",
        "unknown-indicator",
        "unknown-field",
        "out-of-range",
    ] {
        assert!(codes.contains(&want), "{want} missing from {codes:?}");
    }
    assert!(
        codes.iter().filter(|c| **c == "wrong-type").count() >= 2,
        "{codes:?}"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for out in [&a, &b] {
        let res = build(&fixture("seeds-site"), out, &[]);
        assert!(
            res.status.success(),
            "{}",
            String::from_utf8_lossy(&res.stderr)
        );
        // Let the clock move on a second: a time stamp would show.
        std::thread::sleep(std::time::Duration::from_millis(1100));
    }
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(ta.len() > 50, "a whole site: {} files", ta.len());
    for f in [
        "data/minhbach-2023.xlsx",
        "data/minhbach-2021.xlsx",
        "data/minhbach-data.zip",
        "data/catalog.ttl",
        "agencies/ha-nam-so-tai-chinh/data.json",
    ] {
        assert!(ta.contains_key(f), "{f} is compared too");
    }
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (k, v) in &ta {
        assert!(tb[k] == *v, "{k} differs between builds");
    }
}

/// A rebuild reuses the files that did not change (the same file, so its
/// time stamp stays and `rsync` skips it) and replaces the others.
#[cfg(unix)]
#[test]
fn a_rebuild_keeps_unchanged_files_and_replaces_changed_ones() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    copy_tree(&fixture("seeds-site"), &root);
    let out = tmp.path().join("public");
    let inodes = |out: &Path| -> BTreeMap<String, u64> {
        tree(out)
            .into_keys()
            .map(|k| {
                let ino = fs::metadata(out.join(&k)).expect("stat").ino();
                (k, ino)
            })
            .collect()
    };
    let ok = |res: Output| {
        assert!(
            res.status.success(),
            "{}",
            String::from_utf8_lossy(&res.stderr)
        )
    };
    ok(build(&root, &out, &[]));
    let first = inodes(&out);
    ok(build(&root, &out, &[]));
    let second = inodes(&out);
    let page = "agencies/ha-nam-so-tai-chinh/index.html";
    for f in [page, "index.html", "agencies/ha-nam-so-tai-chinh/data.json"] {
        assert_eq!(first.get(f), second.get(f), "{f} is reused");
    }
    let reused = first
        .iter()
        .filter(|(k, v)| second.get(*k) == Some(v))
        .count();
    // Only the streamed open data past 1 MiB would be written again.
    assert_eq!(
        reused,
        first.len(),
        "every file of an unchanged site is reused"
    );

    // A new title changes every page but no chart data.
    let site = root.join("site.yaml");
    let text = fs::read_to_string(&site).expect("read");
    fs::write(
        &site,
        text.replace("Số liệu chuyển đổi số", "Số liệu đã sửa"),
    )
    .expect("write");
    ok(build(&root, &out, &[]));
    let third = inodes(&out);
    assert_ne!(
        second.get(page),
        third.get(page),
        "a changed page is a new file"
    );
    let html = fs::read_to_string(out.join(page)).expect("read");
    assert!(html.contains("Số liệu đã sửa"), "the new page is in place");
    assert!(
        third
            .iter()
            .any(|(k, v)| k.ends_with(".csv") && second.get(k) == Some(v)),
        "unchanged chart data is still reused"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    copy_tree(&fixture("good-minimal"), &root);
    let out = tmp.path().join("public");
    assert!(build(&root, &out, &[]).status.success());
    let before = tree(&out);
    fs::write(
        root.join("data/reports/2022/so-tu-phap.yaml"),
        "values:\n  dossiers_total: \"1045\n",
    )
    .expect("write");
    let res = build(&root, &out, &[]);
    assert_eq!(res.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(
        stderr.contains("error[yaml-syntax]: data/reports/2022/so-tu-phap.yaml:2:19"),
        "{stderr}"
    );
    assert_eq!(tree(&out), before, "the output is exactly as before");
    let names: Vec<String> = fs::read_dir(tmp.path())
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "no staging folder left: {names:?}");
}

#[test]
fn a_foreign_folder_is_never_deleted() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("precious");
    fs::create_dir_all(&out).expect("mkdir");
    fs::write(out.join("thesis.docx"), "years of work").expect("write");
    let res = build(&fixture("good-minimal"), &out, &[]);
    assert_eq!(res.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&res.stderr).contains("not created by minhbach"));
    assert_eq!(
        fs::read_to_string(out.join("thesis.docx")).expect("still there"),
        "years of work"
    );
    assert_eq!(fs::read_dir(&out).expect("ls").count(), 1);
    // An empty folder may be used, and is then marked as ours.
    let empty = tmp.path().join("empty");
    fs::create_dir_all(&empty).expect("mkdir");
    assert!(build(&fixture("good-minimal"), &empty, &[])
        .status
        .success());
    assert!(empty.join(".minhbach-output").is_file());
    assert!(
        build(&fixture("good-minimal"), &empty, &[])
            .status
            .success(),
        "ours: replaced"
    );
}

#[test]
fn untrusted_text_is_escaped_everywhere() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    copy_tree(&fixture("good-minimal"), &root);
    fs::write(
        root.join("data/agencies.yaml"),
        "cohorts:\n  so-ban-nganh: \"Sở <b>ban</b>\"\nagencies:\n  so-noi-vu:\n    name: \"<script>alert('x')</script> Sở Nội vụ\"\n    short: \"\\\"><img src=x onerror=alert(1)>\"\n    cohort: so-ban-nganh\n  so-tu-phap:\n    name: \"Sở Tư pháp\"\n    cohort: so-ban-nganh\n",
    )
    .expect("write");
    fs::write(
        root.join("data/reports/2022/so-noi-vu.yaml"),
        "source: {title: \"<iframe src=x>\", reference: \"=HYPERLINK(\\\"http://x\\\")\"}\nvalues:\n  dossiers_total: {value: 120, evidence: \"<svg onload=alert(1)>\"}\n  dossiers_online: 90\nnotes: |\n  <script>alert(2)</script>\n\n  [click](javascript:alert(3)) [ok](https://x.example.vn)\n",
    )
    .expect("write");
    let out = tmp.path().join("public");
    let res = build(&root, &out, &[]);
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    for (path, bytes) in tree(&out) {
        if !path.ends_with(".html") && !path.ends_with(".svg") {
            continue;
        }
        let html = String::from_utf8(bytes).expect("utf-8");
        for bad in [
            "<script>alert",
            "<img src=x",
            "<iframe",
            "<svg onload",
            "href=javascript",
            "href=\"javascript",
            "<b>ban</b>",
        ] {
            assert!(!html.contains(bad), "{path} contains {bad}");
        }
    }
    let page = fs::read_to_string(out.join("agencies/so-noi-vu/index.html")).expect("page");
    assert!(page.contains("&lt;script&gt;"), "shown as text");
    assert!(
        page.contains("href=\"https://x.example.vn\"")
            || page.contains("href=https://x.example.vn"),
        "a safe link stays a link"
    );
    assert!(
        page.contains("<p>click <a"),
        "the text of an unsafe link stays, as text"
    );
    let obs = fs::read_to_string(out.join("data/observations.csv")).expect("csv");
    assert!(
        obs.contains("<svg onload=alert(1)>"),
        "CSV keeps the text as data"
    );
}

#[test]
fn the_bundled_sample_site_builds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, diags) = check_json(root);
    assert_eq!(code, 0, "{diags:?}");
    assert!(
        diags.iter().all(|d| d["severity"] == "warning"),
        "{diags:?}"
    );
    assert!(diags.iter().any(|d| d["code"] == "missing-report"));
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    let res = build(root, &out, &[]);
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let agencies = csv_rows(&out.join("data/agencies.csv"));
    assert!(
        agencies
            .iter()
            .filter(|a| a["cohort"] == "so-ban-nganh")
            .count()
            >= 21
    );
    assert!(agencies.iter().filter(|a| a["cohort"] == "huyen").count() >= 9);
    for page in [
        "index.html",
        "gioi-thieu/index.html",
        "phuong-phap/index.html",
        "en/index.html",
        "years/2023/index.html",
        "data/index.html",
        "404.html",
    ] {
        let html = fs::read_to_string(out.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        let lang = if page.starts_with("en/") { "en" } else { "vi" };
        assert!(
            html.contains(&format!("<html lang={lang}>"))
                || html.contains(&format!("<html lang=\"{lang}\">")),
            "{page} lang"
        );
    }
}

#[test]
fn wrong_usage_exits_2() {
    assert_eq!(
        minhbach(&["build", "--no-such-flag"]).status.code(),
        Some(2)
    );
    assert_eq!(minhbach(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        minhbach(&["check", "--format", "xml"]).status.code(),
        Some(2)
    );
}

#[test]
fn every_chart_of_the_sample_site_is_accessible_svg() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    let res = build(root, &out, &[]);
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let files = tree(&out);
    let svgs: Vec<(&String, &Vec<u8>)> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".svg") && !p.starts_with("assets"))
        .collect();
    assert!(
        svgs.len() > 100,
        "charts on agency, year, indicator and overview pages: {}",
        svgs.len()
    );
    for (path, bytes) in svgs {
        let text = std::str::from_utf8(bytes).expect("utf-8");
        let doc =
            roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{path}: not XML: {e}"));
        let svg = doc.root_element();
        assert_eq!(svg.tag_name().name(), "svg", "{path}");
        assert_eq!(svg.attribute("role"), Some("img"), "{path}");
        let title = svg
            .children()
            .find(|n| n.has_tag_name("title"))
            .and_then(|n| n.text())
            .unwrap_or_default();
        let desc = svg
            .children()
            .find(|n| n.has_tag_name("desc"))
            .and_then(|n| n.text())
            .unwrap_or_default();
        assert!(
            !title.trim().is_empty() && !desc.trim().is_empty(),
            "{path}: title and desc"
        );
        // A chart's phone drawing (x.phone.svg) shares the CSV of x.svg.
        let csv = path
            .trim_end_matches(".svg")
            .trim_end_matches(".phone")
            .to_string()
            + ".csv";
        assert!(files.contains_key(&csv), "{path}: its CSV beside it");
    }
    // The main finding in words, on the agency page of the story.
    let rank = String::from_utf8(files["agencies/so-ngoai-vu/rank.svg"].clone()).expect("utf-8");
    assert!(
        rank.contains("Sở Ngoại vụ tăng từ hạng 16/21 (2021) lên 6/21 (2023)"),
        "{rank}"
    );
    let page = String::from_utf8(files["years/2023/index.html"].clone()).expect("utf-8");
    assert!(
        page.contains("role=img") || page.contains("role=\"img\""),
        "charts inline in the page"
    );
    assert!(
        page.contains("bump-so-ban-nganh.svg"),
        "the bump chart is linked for download"
    );
}

#[test]
fn indicators_yaml_may_reword_core_entries_but_not_change_their_rules() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    copy_tree(&fixture("good-minimal"), &root);
    fs::write(
        root.join("data/indicators.yaml"),
        "indicators:\n  - id: dossiers_total\n    name: {en: \"All dossiers received\"}\n    kind: number\nrates:\n  - id: dvctt_uptake\n    name: {en: \"Online filing share\"}\n    numerator: dossiers_total\n",
    )
    .expect("write");
    let (code, diags) = check_json(&root);
    assert_eq!(code, 1);
    let fields: Vec<(&str, u64)> = diags
        .iter()
        .filter(|d| d["code"] == "unknown-field")
        .map(|d| {
            (
                d["file"].as_str().unwrap_or_default(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        vec![("data/indicators.yaml", 4), ("data/indicators.yaml", 8)],
        "{diags:?}"
    );
    // Without the forbidden fields, the new labels show.
    let site = fs::read_to_string(root.join("site.yaml")).expect("site.yaml");
    fs::write(
        root.join("site.yaml"),
        format!("{site}languages: [vi, en]\n"),
    )
    .expect("write");
    fs::write(
        root.join("data/indicators.yaml"),
        "indicators:\n  - id: dossiers_total\n    name: {en: \"All dossiers received\"}\nrates:\n  - id: dvctt_uptake\n    name: {en: \"Online filing share\"}\n",
    )
    .expect("write");
    let out = tmp.path().join("public");
    let res = build(&root, &out, &[]);
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let en = fs::read_to_string(out.join("en/indicators/dvctt_uptake/index.html")).expect("page");
    assert!(
        en.contains("Online filing share"),
        "the English name of a core rate"
    );
    let vi = fs::read_to_string(out.join("indicators/dvctt_uptake/index.html")).expect("page");
    assert!(
        vi.contains("Tỷ lệ hồ sơ nộp trực tuyến"),
        "the Vietnamese name stays"
    );
    let en = fs::read_to_string(out.join("en/indicators/dossiers_total/index.html")).expect("page");
    assert!(en.contains("All dossiers received"));
}

/// A site with more cohorts than fit on one page (a national portal) gets a
/// page per cohort for its years, agency lists and comparisons; the index
/// pages link to them instead of listing every agency.
#[test]
fn large_sites_split_their_lists_by_cohort() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("site");
    let reports = root.join("data/reports/2023");
    fs::create_dir_all(&reports).expect("mkdir");
    fs::write(
        root.join("site.yaml"),
        "title: \"Toàn quốc\"\nbase_url: \"https://x.vn/\"\npublisher:\n  name: \"Bộ\"\n",
    )
    .expect("write");
    let mut agencies = String::from("cohorts:\n");
    for c in 1..=6 {
        agencies.push_str(&format!("  tinh-{c}: \"Tỉnh {c}\"\n"));
    }
    agencies.push_str("agencies:\n");
    for c in 1..=6 {
        for a in 1..=2 {
            let id = format!("t{c}-so-{a}");
            agencies.push_str(&format!(
                "  {id}:\n    name: \"Sở {a} tỉnh {c}\"\n    cohort: tinh-{c}\n"
            ));
            fs::write(
                reports.join(format!("{id}.yaml")),
                format!(
                    "values:\n  dossiers_total: {}\n  dossiers_online: {a}0\n",
                    100 + c
                ),
            )
            .expect("write");
        }
    }
    fs::create_dir_all(root.join("data")).expect("mkdir");
    fs::write(root.join("data/agencies.yaml"), agencies).expect("write");
    let out = dir.path().join("public");
    let o = build(&root, &out, &["--no-minify"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let read =
        |rel: &str| fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));

    // The index pages link to the cohorts' pages and list no agency.
    for rel in ["agencies/index.html", "compare/index.html"] {
        let html = read(rel);
        assert!(!html.contains("agencies/t1-so-1/"), "{rel} lists agencies");
        assert!(!html.contains("name=\"a\""), "{rel} has the picker");
    }
    assert!(read("agencies/index.html").contains("agencies/cohort/tinh-3/"));
    assert!(read("compare/index.html").contains("compare/tinh-3/"));
    // Without script, the search page lists the cohorts' agency lists, the
    // years and the indicators, but not every cohort's year and indicator
    // pages (the index has them).
    let search = read("search/index.html");
    assert!(!search.contains("agencies/t1-so-1/"));
    assert!(search.contains("agencies/cohort/tinh-3/"));
    assert!(search.contains("years/2023/") && !search.contains("years/2023/tinh-3/"));
    assert!(search.contains("indicators/dvctt_uptake/"));
    assert!(!search.contains("indicators/dvctt_uptake/tinh-3/"));
    let index = read("search-index.vi.json");
    assert!(
        index.contains("years/2023/tinh-3/") && index.contains("indicators/dvctt_uptake/tinh-3/")
    );
    // A cohort's year page counts that cohort's reports (2), not the year's.
    let entry = index
        .split("},{")
        .find(|e| e.contains("\"years/2023/tinh-3/\""))
        .expect("entry");
    assert!(entry.contains("\"detail\":\"2 báo cáo\""), "{entry}");

    // Each cohort's pages hold its agencies and only them.
    for c in 1..=6 {
        for rel in [
            format!("agencies/cohort/tinh-{c}/index.html"),
            format!("compare/tinh-{c}/index.html"),
            format!("years/2023/tinh-{c}/index.html"),
        ] {
            let html = read(&rel);
            assert!(html.contains(&format!("t{c}-so-1")), "{rel}");
            assert!(html.contains(&format!("t{c}-so-2")), "{rel}");
            let other = if c == 1 { 2 } else { 1 };
            assert!(!html.contains(&format!("t{other}-so-1")), "{rel}");
        }
    }
    // An agency compares within its cohort.
    assert!(read("agencies/t4-so-2/index.html").contains("compare/tinh-4/?a=t4-so-2"));
}
