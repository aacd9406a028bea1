//! A province with a cohort of many communes: the pages a phone must lay
//! out stay small (split by cohort, top and bottom ten in charts, compare
//! rows inert until picked), and the pages added for readers are there.

use std::fs;
use std::path::Path;
use std::process::Command;

const BIG: usize = 80;
const SMALL: usize = 5;

/// A site root: cohort `xa` of 80 communes, cohort `so` of 5 departments,
/// reports for 2022 and 2023 with self-assessed scores and a yes/no answer.
fn province(root: &Path) {
    fs::create_dir_all(root.join("data")).expect("mkdir");
    fs::write(
        root.join("site.yaml"),
        "title: \"Tỉnh Thử\"\nbase_url: \"https://x.vn/\"\nlanguages: [vi, en]\npublisher:\n  name: \"Sở\"\n",
    )
    .expect("write");
    let mut agencies =
        String::from("cohorts:\n  so: \"Sở, ngành\"\n  xa: \"UBND cấp xã\"\nagencies:\n");
    let mut ids = Vec::new();
    for (cohort, n, name) in [("so", SMALL, "Sở số"), ("xa", BIG, "UBND xã số")] {
        for i in 1..=n {
            let id = format!("{cohort}-{i:03}");
            agencies.push_str(&format!(
                "  {id}:\n    name: \"{name} {i}\"\n    cohort: {cohort}\n"
            ));
            ids.push((id, i));
        }
    }
    fs::write(root.join("data/agencies.yaml"), agencies).expect("write");
    for year in [2022, 2023] {
        let dir = root.join(format!("data/reports/{year}"));
        fs::create_dir_all(&dir).expect("mkdir");
        for (id, i) in &ids {
            let k = (i * 37 + year as usize) % 97;
            fs::write(
                dir.join(format!("{id}.yaml")),
                format!(
                    "score: {{value: {}, max: 500, self_assessed: true}}\nvalues:\n  dossiers_total: 200\n  dossiers_online: {}\n  docs_outgoing_total: 100\n  docs_outgoing_signed: {}\n  has_cio: {}\n",
                    200 + k,
                    100 + k,
                    k + 1,
                    if k.is_multiple_of(3) { "không" } else { "có" }
                ),
            )
            .expect("write");
        }
    }
}

/// The elements of a page as a browser builds it: tags opened, not
/// counting the inert content of a `<template>`.
fn elements(html: &str) -> usize {
    let mut n = 0;
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with("template") {
            n += 1;
            match rest.find("</template>") {
                Some(end) => rest = &rest[end..],
                None => break,
            }
        } else if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            n += 1;
        }
    }
    n
}

#[test]
fn a_province_with_a_large_cohort_keeps_every_page_small() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("site");
    province(&root);
    let out = dir.path().join("public");
    let o = Command::new(env!("CARGO_BIN_EXE_minhbach"))
        .args(["build", "--quiet", "--no-minify", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&out)
        .output()
        .expect("run minhbach");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let read =
        |rel: &str| fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));

    // Every page stays under 3,000 elements.
    let mut pages = 0;
    for e in walkdir::WalkDir::new(&out) {
        let e = e.expect("walk");
        if e.path().extension().is_some_and(|x| x == "html") {
            let html = fs::read_to_string(e.path()).expect("read");
            let n = elements(&html);
            assert!(n <= 3000, "{}: {n} elements", e.path().display());
            pages += 1;
        }
    }
    assert!(pages > 100, "{pages} pages");

    // More than 60 agencies: the year page summarises, each cohort has its page.
    let year = read("years/2023/index.html");
    assert!(year.contains("years/2023/xa/") && !year.contains("agencies/xa-001/"));
    let xa = read("years/2023/xa/index.html");
    for i in 1..=BIG {
        assert!(
            xa.contains(&format!("agencies/xa-{i:03}/")),
            "xa-{i:03} missing"
        );
    }
    // Its bar charts draw the ten highest and ten lowest, and say so; the
    // cohort of 80 gets no bump chart, the cohort of 5 does.
    let bars = read("years/2023/xa/bars-xa-dvctt-uptake.csv");
    assert_eq!(bars.lines().count(), 1 + 20, "{bars}");
    assert!(xa.contains("10 cao nhất và 10 thấp nhất"));
    assert!(!out.join("years/2023/xa/bump-xa.svg").exists());
    assert!(out.join("years/2023/so/bump-so.svg").exists());
    // Every chart has its phone drawing beside it, 360 units wide.
    let phone = read("years/2023/xa/bars-xa-dvctt-uptake.phone.svg");
    assert!(phone.contains("viewBox=\"0 0 360 "), "{}", &phone[..200]);
    assert!(xa.contains("src=\"bars-xa-dvctt-uptake.phone.svg\""));
    // Every score is self-assessed: the column heading says it.
    assert!(xa.contains("Điểm tự đánh giá"));

    // The large cohort's compare rows wait in a template; without script
    // the page says so. The small cohort's rows are in the page.
    let compare = read("compare/xa/index.html");
    assert!(compare.contains("<template>") && compare.contains("data-inert"));
    assert!(compare.contains("cần JavaScript"));
    let small = read("compare/so/index.html");
    assert!(!small.contains("<template>") && small.contains("data-agency=\"so-001\""));

    // A yes/no indicator has a chart of the share answering yes.
    let cio = read("indicators/has_cio/xa/index.html");
    assert!(cio.contains("id=\"yes-share-xa\""), "no yes/no chart");
    assert!(read("indicators/has_cio/index.html").contains("id=\"yes-share-all\""));
    // The years have an index page, in both languages.
    assert!(read("years/index.html").contains("years/2022/"));
    assert!(read("en/years/index.html").contains("years/2022/"));
    // An absolute base_url gives fully qualified hreflang alternates.
    assert!(read("years/index.html")
        .contains("<link rel=\"alternate\" hreflang=\"en\" href=\"https://x.vn/en/years/\">"));
}

#[test]
fn the_element_count_leaves_out_template_content() {
    assert_eq!(
        elements("<p>a</p><template><tr><td>x</td></tr></template><br>"),
        3
    );
    assert_eq!(elements("<!DOCTYPE html><html><body></body></html>"), 2);
}
