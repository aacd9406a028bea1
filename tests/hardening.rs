//! Issue #18: never publish a wrong or truncated site, never skip input
//! silently. One test per reproduction of the issue, each failing on the
//! main branch before it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value as Json;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn minhbach_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_minhbach"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs")
}

/// A copy of the minimal good site, to edit.
fn site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    let from = fixture("good-minimal");
    for e in walkdir::WalkDir::new(&from) {
        let e = e.expect("walk");
        let dest = root.join(e.path().strip_prefix(&from).expect("prefix"));
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).expect("mkdir");
        } else {
            fs::copy(e.path(), &dest).expect("copy");
        }
    }
    (tmp, root)
}

fn check(root: &Path) -> (i32, Vec<Json>) {
    let out = minhbach_in(root, &["check", "--format", "json"]);
    let diags: Json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (
        out.status.code().unwrap_or(-1),
        diags.as_array().cloned().unwrap_or_default(),
    )
}

fn has(diags: &[Json], code: &str, file: &str) -> bool {
    diags.iter().any(|d| d["code"] == code && d["file"] == file)
}

fn report(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

#[test]
fn without_site_yaml_nothing_is_built_and_the_message_says_how_to_start() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for args in [
        vec!["build"],
        vec!["check"],
        vec!["new", "year", "2024"],
        vec!["new", "agency", "so-x", "--name", "Sở X", "--cohort", "c"],
    ] {
        let out = minhbach_in(tmp.path(), &args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("site.yaml") && err.contains("new site"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(
        fs::read_dir(tmp.path()).expect("ls").count(),
        0,
        "nothing written"
    );
}

#[test]
fn money_with_a_thousands_dot_is_an_error_with_the_plain_digits() {
    let (_tmp, root) = site();
    report(
        &root,
        "data/reports/2022/so-noi-vu.yaml",
        "values:\n  dossiers_total: 120\n  budget_dx_vnd: 850.000\n  budget_recurrent_vnd: 1.5\n",
    );
    let (code, diags) = check(&root);
    assert_eq!(code, 1);
    let money: Vec<&Json> = diags
        .iter()
        .filter(|d| d["code"] == "wrong-type" && d["indicator"] == "budget_dx_vnd")
        .collect();
    assert_eq!(money.len(), 1, "{diags:?}");
    assert!(
        money[0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("850000"),
        "{money:?}"
    );
    assert!(
        diags
            .iter()
            .any(|d| d["indicator"] == "budget_recurrent_vnd"),
        "{diags:?}"
    );
}

#[test]
fn the_same_report_as_yaml_and_yml_is_a_duplicate_report() {
    let (_tmp, root) = site();
    report(
        &root,
        "data/reports/2022/so-noi-vu.yml",
        "values:\n  dossiers_total: 5\n",
    );
    let (code, diags) = check(&root);
    assert_eq!(code, 1);
    assert!(
        has(
            &diags,
            "duplicate-report",
            "data/reports/2022/so-noi-vu.yml"
        ),
        "{diags:?}"
    );
}

#[test]
fn an_empty_report_is_a_warning() {
    let (_tmp, root) = site();
    report(&root, "data/reports/2022/so-noi-vu.yaml", "");
    report(&root, "data/reports/2022/so-tu-phap.yaml", "values: {}\n");
    let (code, diags) = check(&root);
    assert_eq!(code, 0, "{diags:?}");
    assert!(
        has(&diags, "empty-report", "data/reports/2022/so-noi-vu.yaml"),
        "{diags:?}"
    );
    assert!(
        has(&diags, "empty-report", "data/reports/2022/so-tu-phap.yaml"),
        "{diags:?}"
    );
}

#[test]
fn two_pages_at_one_address_are_a_duplicate_page() {
    let (_tmp, root) = site();
    report(&root, "content/x.md", "---\ntitle: A\n---\nA\n");
    report(&root, "content/x/index.md", "---\ntitle: B\n---\nB\n");
    let (code, diags) = check(&root);
    assert_eq!(code, 1);
    assert!(
        has(&diags, "duplicate-page", "content/x/index.md"),
        "{diags:?}"
    );
}

#[test]
fn a_page_in_a_language_the_site_lacks_is_reported() {
    let (_tmp, root) = site();
    report(&root, "content/x.md", "---\ntitle: A\nlang: fr\n---\nA\n");
    let (code, diags) = check(&root);
    assert_eq!(code, 1, "{diags:?}");
    assert!(has(&diags, "wrong-type", "content/x.md"), "{diags:?}");
}

#[cfg(unix)]
#[test]
fn symlinks_inside_the_root_are_read_and_outside_ones_are_outside_root() {
    use std::os::unix::fs::symlink;
    let (tmp, root) = site();
    // A year folder linked inside the root: read.
    report(
        &root,
        "archive/2023/so-noi-vu.yaml",
        "values:\n  dossiers_total: -1\n",
    );
    symlink("../../archive/2023", root.join("data/reports/2023")).expect("link");
    // A report linked outside the root: not read, reported.
    fs::write(
        tmp.path().join("outside.yaml"),
        "values:\n  dossiers_total: 1\n",
    )
    .expect("write");
    fs::remove_file(root.join("data/reports/2022/so-tu-phap.yaml")).expect("rm");
    symlink(
        tmp.path().join("outside.yaml"),
        root.join("data/reports/2022/so-tu-phap.yaml"),
    )
    .expect("link");
    let (code, diags) = check(&root);
    assert_eq!(code, 1);
    assert!(
        has(&diags, "negative-value", "data/reports/2023/so-noi-vu.yaml"),
        "the linked year folder is read: {diags:?}"
    );
    assert!(
        has(&diags, "outside-root", "data/reports/2022/so-tu-phap.yaml"),
        "{diags:?}"
    );
}

#[test]
fn files_that_are_no_input_are_reported_not_skipped() {
    let (_tmp, root) = site();
    report(&root, "data/reports/2022/so-noi-vu.json", "{}");
    report(&root, "content/notes.txt", "x");
    report(&root, "data/reports/2022/.so-moi.yaml", "values: {}\n");
    report(&root, "content/.DS_Store", "x");
    let (_, diags) = check(&root);
    assert!(
        has(&diags, "ignored-file", "data/reports/2022/.so-moi.yaml"),
        "{diags:?}"
    );
    assert!(
        !diags.iter().any(|d| d["file"] == "content/.DS_Store"),
        "{diags:?}"
    );
    assert!(
        has(&diags, "ignored-file", "data/reports/2022/so-noi-vu.json"),
        "{diags:?}"
    );
    assert!(
        has(&diags, "ignored-file", "content/notes.txt"),
        "{diags:?}"
    );
}

#[test]
fn nfd_text_is_published_in_nfc() {
    let (tmp, root) = site();
    let agencies = fs::read_to_string(root.join("data/agencies.yaml")).expect("read");
    // "Sở Nội vụ" typed decomposed: o + horn + hook, o + circumflex + dot.
    let nfd = agencies.replace("Sở Nội vụ", "So\u{31b}\u{309} No\u{323}\u{302}i vu\u{323}");
    assert_ne!(nfd, agencies);
    fs::write(root.join("data/agencies.yaml"), nfd).expect("write");
    let out = tmp.path().join("public");
    let res = minhbach_in(&root, &["build", "--output", out.to_str().expect("utf-8")]);
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let csv = fs::read_to_string(out.join("data/agencies.csv")).expect("agencies.csv");
    assert!(csv.contains("Sở Nội vụ"), "{csv}");
    assert!(!csv.contains('\u{31b}'));
}

#[test]
fn names_with_controls_or_bidi_overrides_or_nothing_are_refused() {
    let (_tmp, root) = site();
    let agencies = fs::read_to_string(root.join("data/agencies.yaml")).expect("read");
    let bad = agencies
        .replace("\"Sở Nội vụ\"", "\"Sở \\u202Eụv iộN\"")
        .replace("\"Sở Tư pháp\"", "\"  \"")
        .replace("\"Department of Justice\"", "\"Justice\\e[2J\"");
    fs::write(root.join("data/agencies.yaml"), bad).expect("write");
    let (code, diags) = check(&root);
    assert_eq!(code, 1);
    let of = |code: &str| {
        diags
            .iter()
            .filter(|d| d["code"] == code && d["file"] == "data/agencies.yaml")
            .count()
    };
    assert_eq!(of("wrong-type"), 2, "{diags:?}");
    assert_eq!(of("missing-field"), 1, "{diags:?}");
}

#[test]
fn a_period_outside_the_year_is_out_of_range() {
    let (_tmp, root) = site();
    report(
        &root,
        "data/reports/2022/so-noi-vu.yaml",
        "period: {from: 2021-01-01, to: 2021-12-31}\nvalues:\n  dossiers_total: 1\n",
    );
    let (code, diags) = check(&root);
    assert_eq!(code, 1);
    assert!(
        has(&diags, "out-of-range", "data/reports/2022/so-noi-vu.yaml"),
        "{diags:?}"
    );
}

#[test]
fn diagnostics_never_print_control_characters_raw() {
    let (_tmp, root) = site();
    report(
        &root,
        "data/reports/2022/so-noi-vu.yaml",
        "values:\n  \"x\\e[2K\\r0 errors\": 1\n",
    );
    for format in ["text", "short"] {
        let out = minhbach_in(&root, &["check", "--format", format]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            !err.contains('\u{1b}') && !err.contains('\r'),
            "{format}: {err:?}"
        );
        assert!(err.contains("\\u{1b}"), "{format}: {err}");
    }
}

#[test]
fn a_wrong_base_url_flag_is_refused_like_base_url() {
    let (tmp, root) = site();
    let out = tmp.path().join("public");
    let res = minhbach_in(
        &root,
        &[
            "build",
            "--output",
            out.to_str().expect("utf-8"),
            "--base-url",
            "javascript:alert(1)",
        ],
    );
    assert_eq!(res.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&res.stderr).contains("invalid-url"));
    assert!(!out.exists());
}

#[test]
fn a_form_feed_in_the_title_is_refused_and_xml_forbidden_characters_never_reach_xml() {
    let (tmp, root) = site();
    let text = fs::read_to_string(root.join("site.yaml")).expect("read");
    let title = "title: \"Tỉnh Kiểm Thử\"";
    assert!(text.contains(title));
    fs::write(
        root.join("site.yaml"),
        text.replace(title, "title: \"Tỉnh\\x0c Kiểm Thử\""),
    )
    .expect("write");
    let (code, diags) = check(&root);
    assert_eq!(code, 1);
    assert!(has(&diags, "wrong-type", "site.yaml"), "{diags:?}");
    // U+FFFE is no control character, and XML forbids it.
    fs::write(
        root.join("site.yaml"),
        text.replace(title, "title: \"Tỉnh\\uFFFE Kiểm Thử\""),
    )
    .expect("write");
    let out = tmp.path().join("public");
    let res = minhbach_in(&root, &["build", "--output", out.to_str().expect("utf-8")]);
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let xml = fs::read_to_string(out.join("feed.xml")).expect("feed.xml");
    assert!(!xml.contains('\u{fffe}'));
    roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("feed.xml: {e}"));
}

#[test]
fn a_staging_folder_removed_mid_build_fails_the_build_and_leaves_the_site() {
    let (tmp, root) = site();
    let out = tmp.path().join("public");
    let opts = minhbach::site::BuildOptions {
        root: root.clone(),
        output: out.clone(),
        base_url: None,
        strict: false,
        minify: true,
    };
    let first = minhbach::site::build(&opts);
    assert!(first.result.is_ok(), "{:?}", first.result);
    let before = fs::read_dir(&out).expect("ls").count();
    let hook = Box::new(|dir: &Path, n: usize| {
        if n == 10 {
            let _ = fs::remove_dir_all(dir);
        }
    });
    let second = minhbach::site::build_hooked(&opts, &minhbach::progress::Silent, Some(hook));
    let e = second.result.expect_err("the build fails");
    assert!(
        e.contains("staging folder") && e.contains("nothing was published"),
        "{e}"
    );
    assert_eq!(
        fs::read_dir(&out).expect("ls").count(),
        before,
        "the site is as it was"
    );
    assert!(out.join(".minhbach-output").is_file());
    let again = minhbach::site::build(&opts);
    assert!(
        again.result.is_ok(),
        "later builds still work: {:?}",
        again.result
    );
}

#[test]
fn a_report_over_the_size_limit_is_a_clear_error() {
    let (_tmp, root) = site();
    let mut big = String::from("values:\n  dossiers_total: 1\nnotes: |\n");
    while big.len() <= 1024 * 1024 {
        big.push_str("  Một dòng ghi chú rất dài để vượt giới hạn kích thước của một báo cáo.\n");
    }
    report(&root, "data/reports/2022/so-noi-vu.yaml", &big);
    let (code, diags) = check(&root);
    assert_eq!(code, 1);
    let d = diags
        .iter()
        .find(|d| d["file"] == "data/reports/2022/so-noi-vu.yaml")
        .expect("a diagnostic");
    assert!(d["message"].as_str().unwrap_or("").contains("limit"), "{d}");
}

#[test]
fn a_country_sized_agency_list_over_one_mib_is_read() {
    // 11,000 communes make an agency list of some 2 MB: the 1 MiB limit of
    // a report does not apply to it (it has its own, 32 MiB).
    let (_tmp, root) = site();
    let path = root.join("data/agencies.yaml");
    let mut text = fs::read_to_string(&path).expect("read");
    let mut n = 0;
    while text.len() <= 1024 * 1024 + 4096 {
        n += 1;
        text.push_str(&format!(
            "  xa-{n:05}:\n    name: {{vi: \"UBND xã số {n} thuộc huyện miền núi\", en: \"People's Committee of commune {n}\"}}\n    cohort: so-ban-nganh\n"
        ));
    }
    fs::write(&path, &text).expect("write");
    let (code, diags) = check(&root);
    assert!(
        !diags.iter().any(|d| d["file"] == "data/agencies.yaml"),
        "{diags:?}"
    );
    assert_eq!(code, 0, "{diags:?}");
}

#[cfg(unix)]
#[test]
fn builds_keep_git_cname_and_kept_paths_and_a_linked_output_stays_a_link() {
    let (tmp, root) = site();
    let text = fs::read_to_string(root.join("site.yaml")).expect("read");
    fs::write(
        root.join("site.yaml"),
        format!("{text}keep: [CNAME, downloads]\n"),
    )
    .expect("write");
    fs::create_dir_all(tmp.path().join("releases/current")).expect("mkdir");
    let out = tmp.path().join("public");
    std::os::unix::fs::symlink("releases/current", &out).expect("link");
    let build = || {
        let res = minhbach_in(&root, &["build", "--output", out.to_str().expect("utf-8")]);
        assert!(
            res.status.success(),
            "{}",
            String::from_utf8_lossy(&res.stderr)
        );
    };
    build();
    fs::create_dir_all(out.join(".git")).expect("git");
    fs::write(out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").expect("head");
    fs::write(out.join("CNAME"), "minhbach.example.vn\n").expect("cname");
    fs::create_dir_all(out.join("downloads")).expect("downloads");
    fs::write(out.join("downloads/bao-cao.pdf"), "%PDF").expect("pdf");
    fs::write(out.join("stale.html"), "old").expect("stale");
    build();
    assert!(out.is_symlink(), "the output is still a link");
    assert!(out.join("index.html").is_file());
    assert!(out.join(".git/HEAD").is_file());
    assert!(out.join("CNAME").is_file());
    assert!(out.join("downloads/bao-cao.pdf").is_file());
    assert!(!out.join("stale.html").exists());
    let left: Vec<String> = fs::read_dir(tmp.path().join("releases"))
        .expect("ls")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left.len(), 1, "one build behind the link: {left:?}");
}
