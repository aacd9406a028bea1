//! Incremental rebuilds give the same bytes as a full build of the same input.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use minhbach::live::Live;
use minhbach::site::{self, BuildOptions};
use minhbach::write::MARKER;

const BASE_URL: &str = "http://127.0.0.1:1111/";

/// A copy of the bundled sample site's inputs.
fn sample_copy(to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["data", "content", "themes"] {
        for e in walkdir::WalkDir::new(from.join(dir)) {
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
    fs::copy(from.join("site.yaml"), to.join("site.yaml")).expect("copy site.yaml");
}

fn full_build(root: &Path, out: &Path) -> BTreeMap<String, Vec<u8>> {
    let report = site::build(&BuildOptions {
        root: root.to_path_buf(),
        output: out.to_path_buf(),
        base_url: Some(BASE_URL.to_string()),
        strict: false,
        minify: true,
    });
    assert!(report.result.is_ok(), "{:?}", report.result);
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(out)
                .expect("prefix")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            (rel, fs::read(e.path()).expect("read"))
        })
        .filter(|(rel, _)| rel != MARKER)
        .collect()
}

fn assert_same(step: &str, live: &Live, root: &Path, out: &Path) {
    let full = full_build(root, out);
    let mem = live.site().snapshot();
    let only_full: Vec<&String> = full.keys().filter(|k| !mem.contains_key(*k)).collect();
    let only_mem: Vec<&String> = mem.keys().filter(|k| !full.contains_key(*k)).collect();
    assert!(
        only_full.is_empty() && only_mem.is_empty(),
        "{step}: only in the full build {only_full:?}, only incremental {only_mem:?}"
    );
    let differ: Vec<&String> = full.keys().filter(|k| full[*k] != mem[*k]).collect();
    assert!(differ.is_empty(), "{step}: files differ: {differ:?}");
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).expect("write");
}

fn rebuild(live: &mut Live, touched: &[PathBuf]) -> minhbach::live::Rebuilt {
    let o = live.rebuild(touched);
    match o.result {
        Ok(r) => r,
        Err(e) => panic!("{e}: {:?}", o.diagnostics),
    }
}

#[test]
fn incremental_rebuilds_equal_a_full_build_byte_for_byte() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    let out = tmp.path().join("public");
    sample_copy(&root);
    let mut live = Live::new(&root, Some(BASE_URL.to_string()));
    let first = rebuild(&mut live, &[]);
    assert!(first.full);
    assert_same("first build", &live, &root, &out);

    // One figure of one report in a middle year.
    let report = root.join("data/reports/2022/so-tu-phap.yaml");
    edit(&report, "docs_outgoing_total: ", "docs_outgoing_total: 1");
    let r = rebuild(&mut live, std::slice::from_ref(&report));
    assert!(!r.full, "one report does not rebuild everything");
    assert_eq!(r.reread, vec!["data/reports/2022/so-tu-phap.yaml"]);
    assert!(r.rendered.iter().any(|p| p == "agencies/so-tu-phap/"));
    assert!(r.rendered.iter().any(|p| p == "years/2022/"));
    assert!(
        !r.rendered.iter().any(|p| p == "agencies/so-noi-vu/"),
        "other agencies are left alone: {:?}",
        r.rendered
    );
    // Only the agencies whose reports read differently get their own data
    // files made again (a figure can move ranks in the cohort).
    let agency_pages = r
        .rendered
        .iter()
        .filter(|p| p.starts_with("agencies/") && p.len() > "agencies/".len())
        .count();
    assert!(r.agency_data >= 1, "{r:?}");
    assert_eq!(r.agency_data, agency_pages, "{:?}", r.rendered);
    assert_same("a figure", &live, &root, &out);

    // The official rank goes: the rank comes from scores, and changes next year.
    edit(&report, "rank:", "# rank:");
    rebuild(&mut live, &[]);
    assert_same("a rank", &live, &root, &out);

    // A report disappears, then comes back.
    let gone = root.join("data/reports/2023/so-noi-vu.yaml");
    let kept = fs::read(&gone).expect("read");
    fs::remove_file(&gone).expect("rm");
    rebuild(&mut live, std::slice::from_ref(&gone));
    assert_same("a report removed", &live, &root, &out);

    // Errors keep the last good site; the fix brings it back in step.
    fs::write(&gone, "values: [").expect("write");
    let o = live.rebuild(std::slice::from_ref(&gone));
    assert!(o.result.is_err());
    assert!(o.diagnostics.errors() > 0);
    fs::write(&gone, kept).expect("write");
    rebuild(&mut live, std::slice::from_ref(&gone));
    assert_same("an error fixed", &live, &root, &out);

    // A Markdown page's text, then the site's title.
    let page = root.join("content/gioi-thieu.md");
    let mut text = fs::read_to_string(&page).expect("read");
    text.push_str("\nMột đoạn mới.\n");
    fs::write(&page, text).expect("write");
    let r = rebuild(&mut live, std::slice::from_ref(&page));
    assert!(!r.full);
    assert_same("a page", &live, &root, &out);
    edit(&root.join("site.yaml"), "vi: \"Chỉ số", "vi: \"Bộ chỉ số");
    let r = rebuild(&mut live, &[]);
    assert!(r.full);
    assert_same("site.yaml", &live, &root, &out);

    // Nothing changed: nothing is done.
    assert!(rebuild(&mut live, &[]).unchanged);
}

/// A site root with one cohort of `n` communes (pages of 100 on its lists)
/// and reports for 2022 and 2023 with scores.
fn large_cohort(root: &Path, n: usize) {
    fs::create_dir_all(root.join("data")).expect("mkdir");
    fs::write(
        root.join("site.yaml"),
        "title: \"Tỉnh Thử\"\nbase_url: \"https://x.vn/\"\nlanguages: [vi, en]\npublisher:\n  name: \"Sở\"\n",
    )
    .expect("write");
    let mut agencies = String::from("cohorts:\n  xa: \"UBND cấp xã\"\nagencies:\n");
    for i in 1..=n {
        agencies.push_str(&format!(
            "  xa-{i:03}:\n    name: \"UBND xã số {i}\"\n    cohort: xa\n"
        ));
    }
    fs::write(root.join("data/agencies.yaml"), agencies).expect("write");
    for year in [2022, 2023] {
        let dir = root.join(format!("data/reports/{year}"));
        fs::create_dir_all(&dir).expect("mkdir");
        for i in 1..=n {
            let k = (i * 37 + year) % 97;
            fs::write(
                dir.join(format!("xa-{i:03}.yaml")),
                format!(
                    "score: {{value: {}, max: 500}}\nvalues:\n  dossiers_total: 200\n  dossiers_online: {}\n",
                    200 + k,
                    100 + k
                ),
            )
            .expect("write");
        }
    }
}

#[test]
fn incremental_rebuilds_of_a_paginated_cohort_equal_a_full_build() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    let out = tmp.path().join("public");
    large_cohort(&root, 205);
    let mut live = Live::new(&root, Some(BASE_URL.to_string()));
    assert!(rebuild(&mut live, &[]).full);
    assert_same("first build", &live, &root, &out);
    assert!(out.join("years/2023/xa/page/3/index.html").exists());

    // A score that moves an agency from the last page to the first: every
    // page of the ranking changes.
    let report = root.join("data/reports/2023/xa-205.yaml");
    edit(&report, "score: {value: ", "score: {value: 9");
    let r = rebuild(&mut live, std::slice::from_ref(&report));
    assert!(!r.full, "one report does not rebuild everything");
    assert!(r.rendered.iter().any(|p| p == "years/2023/xa/page/3/"));
    assert_same("a score", &live, &root, &out);

    // Reports go: the 2023 ranking loses its third page.
    let gone: Vec<PathBuf> = (196..=205)
        .map(|i| root.join(format!("data/reports/2023/xa-{i:03}.yaml")))
        .collect();
    for g in &gone {
        fs::remove_file(g).expect("rm");
    }
    rebuild(&mut live, &gone);
    assert_same("reports removed", &live, &root, &out);
    assert!(!out.join("years/2023/xa/page/3/index.html").exists());
}

fn data_made(live: &mut Live) -> minhbach::live::Rebuilt {
    let o = live
        .poll_data(true)
        .expect("open-data files were being made");
    match o.result {
        Ok(r) => r,
        Err(e) => panic!("{e}: {:?}", o.diagnostics),
    }
}

#[test]
fn with_data_later_the_pages_go_first_and_the_data_files_follow_whole() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    let out = tmp.path().join("public");
    sample_copy(&root);
    let mut live = Live::new(&root, Some(BASE_URL.to_string()));
    live.set_data_later(true);
    let first = rebuild(&mut live, &[]);
    assert!(
        first.full && !first.data_pending,
        "a full build waits for its data"
    );
    assert!(!live.data_pending());
    let before = live.site().snapshot();

    // One figure: the agency's page changes at once, the data files later.
    let report = root.join("data/reports/2022/so-tu-phap.yaml");
    edit(&report, "docs_outgoing_total: ", "docs_outgoing_total: 1");
    let r = rebuild(&mut live, std::slice::from_ref(&report));
    assert!(r.data_pending && live.data_pending(), "{r:?}");
    assert!(r
        .summary(std::time::Duration::ZERO)
        .contains("open-data files follow"));
    let now = live.site().snapshot();
    let page = "agencies/so-tu-phap/index.html";
    assert_ne!(now[page], before[page], "the page is out");
    for f in ["data/minhbach.json", "data/SHA256SUMS", "data/index.html"] {
        assert_eq!(now[f], before[f], "{f} is not out yet");
    }
    // A rebuild that finds nothing changed keeps them coming.
    assert!(rebuild(&mut live, &[]).unchanged);
    let d = data_made(&mut live);
    assert!(d.data_files > 0 && d.rendered == ["data/"], "{d:?}");
    assert!(!live.data_pending());
    assert_same("a figure, data later", &live, &root, &out);

    // A second edit before the first one's data files are out wins: the
    // first one's are dropped, and every agency's own files are made again.
    edit(&report, "docs_outgoing_total: ", "docs_outgoing_total: 2");
    assert!(rebuild(&mut live, &[]).data_pending);
    edit(&report, "docs_outgoing_total: ", "docs_outgoing_total: 3");
    let r = rebuild(&mut live, &[]);
    assert!(r.data_pending);
    let agencies = live
        .site()
        .paths()
        .iter()
        .filter(|p| p.starts_with("agencies/") && p.ends_with("/data.json"))
        .count();
    assert!(agencies > 1);
    assert_eq!(r.agency_data, agencies, "{r:?}");
    data_made(&mut live);
    assert!(live.poll_data(true).is_none(), "nothing more is being made");
    assert_same("two edits, data later", &live, &root, &out);

    // Errors in a newer input keep the last good site's data files coming.
    let good = fs::read_to_string(&report).expect("read");
    edit(&report, "docs_outgoing_total: ", "docs_outgoing_total: 4");
    assert!(rebuild(&mut live, &[]).data_pending);
    fs::write(&report, "values: [").expect("write");
    assert!(live.rebuild(&[]).result.is_err());
    assert!(live.data_pending(), "still the last good site's");
    data_made(&mut live);
    fs::write(
        &report,
        good.replacen("docs_outgoing_total: ", "docs_outgoing_total: 4", 1),
    )
    .expect("write");
    let r = rebuild(&mut live, &[]);
    assert!(
        !r.data_pending,
        "the same input as the last good one: {r:?}"
    );
    assert_same("errors, then fixed, data later", &live, &root, &out);

    // A report removed, then the site's title: still the same bytes.
    let gone = root.join("data/reports/2023/so-noi-vu.yaml");
    fs::remove_file(&gone).expect("rm");
    rebuild(&mut live, std::slice::from_ref(&gone));
    data_made(&mut live);
    assert_same("a report removed, data later", &live, &root, &out);
    edit(&root.join("site.yaml"), "vi: \"Chỉ số", "vi: \"Bộ chỉ số");
    let r = rebuild(&mut live, &[]);
    assert!(r.full && !r.data_pending);
    assert_same("site.yaml, data later", &live, &root, &out);
}
