//! The open-data bundle of issue 4: the Excel workbooks read back, formula
//! injection neutralised in every CSV and workbook, and the files, package,
//! catalogue, zip and page metadata consistent with one another.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{open_workbook, Data, Reader, Xlsx};
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn build(root: &Path, output: &Path, extra: &[&str]) {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().expect("utf-8 path"),
        "--output",
        output.to_str().expect("utf-8 path"),
    ];
    args.extend_from_slice(extra);
    let out: Output = Command::new(env!("CARGO_BIN_EXE_minhbach"))
        .args(&args)
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
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

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
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

/// A sheet as rows keyed by its (Vietnamese) headers.
fn sheet(path: &Path, name: &str) -> Vec<BTreeMap<String, Data>> {
    let mut wb: Xlsx<_> = open_workbook(path).expect("the workbook opens");
    let formulas = wb.worksheet_formula(name).expect("formulas");
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "{name}: no formula anywhere"
    );
    let range = wb.worksheet_range(name).expect("the sheet exists");
    let mut rows = range.rows();
    let header: Vec<String> = rows
        .next()
        .expect("a header row")
        .iter()
        .map(|c| c.to_string())
        .collect();
    rows.map(|r| header.iter().cloned().zip(r.iter().cloned()).collect())
        .collect()
}

fn text(d: Option<&Data>) -> String {
    match d {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn number(d: Option<&Data>) -> Option<f64> {
    match d {
        Some(Data::Float(f)) => Some(*f),
        Some(Data::Int(i)) => Some(*i as f64),
        _ => None,
    }
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
fn xlsx_reads_back_the_expected_figures_of_the_seeds_site() {
    let root = fixture("seeds-site");
    let expected: serde_yaml::Value = serde_yaml::from_str(
        &fs::read_to_string(root.join("expected.yaml")).expect("expected.yaml"),
    )
    .expect("yaml");
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    build(&root, &out, &[]);
    let data = out.join("data");

    // The workbook of the latest year holds every year; each other year's
    // workbook holds that year only.
    let latest = data.join("minhbach-2023.xlsx");
    for y in [2021, 2022, 2023] {
        assert!(data.join(format!("minhbach-{y}.xlsx")).is_file(), "{y}");
    }
    let mut wb: Xlsx<_> = open_workbook(&latest).expect("opens");
    assert_eq!(
        wb.sheet_names(),
        [
            "Giới thiệu",
            "Số liệu",
            "Số liệu có-không",
            "Số liệu văn bản",
            "Tỷ lệ",
            "Xếp hạng",
            "Báo cáo",
            "Cơ quan",
            "Chỉ tiêu",
            "Chấm điểm",
            "Bộ tiêu chí"
        ]
    );
    let readme = wb.worksheet_range("Giới thiệu").expect("readme");
    let readme_text: String = readme.cells().map(|(_, _, c)| format!("{c}\n")).collect();
    for needle in [
        "minhbach test fixtures",
        "CC-BY-4.0",
        "Cách tính tỷ lệ",
        "514 / 605 = 84,96%",
    ] {
        assert!(readme_text.contains(needle), "read-me has {needle}");
    }

    for book in [latest.clone(), data.join("minhbach-2022.xlsx")] {
        let rates = sheet(&book, "Tỷ lệ");
        let find = |year: &str, agency: &str, rate: &str| {
            rates.iter().find(|r| {
                number(r.get("Năm")).map(|n| n.to_string()).as_deref() == Some(year)
                    && text(r.get("Mã cơ quan")) == agency
                    && text(r.get("Mã tỷ lệ")) == rate
            })
        };
        let in_book = |year: &str| book == latest || year == "2022";
        for e in expected["rates"].as_sequence().expect("rates") {
            let (year, agency, rate) = (
                yaml_str(&e["year"]),
                yaml_str(&e["agency"]),
                yaml_str(&e["rate"]),
            );
            if !in_book(&year) {
                assert!(find(&year, &agency, &rate).is_none(), "not in {book:?}");
                continue;
            }
            let row = find(&year, &agency, &rate)
                .unwrap_or_else(|| panic!("{year} {agency} {rate} in {book:?}"));
            // The percentage itself, as in rates.csv: 84.96, not 0.8496.
            let p = number(row.get("Tỷ lệ (%)")).expect("a percentage is a number");
            assert_eq!(
                format!("{p:.2}"),
                yaml_str(&e["percent"]),
                "{year} {agency} {rate}"
            );
            assert_eq!(
                p.to_string(),
                format!("{p:.2}")
                    .trim_end_matches('0')
                    .trim_end_matches('.'),
                "no float artefact"
            );
            assert!(
                number(row.get("Tử số")).is_some() && number(row.get("Mẫu số")).is_some(),
                "counts are numbers"
            );
        }
        for e in expected["not_computable"].as_sequence().expect("list") {
            assert!(
                find(
                    &yaml_str(&e["year"]),
                    &yaml_str(&e["agency"]),
                    &yaml_str(&e["rate"])
                )
                .is_none(),
                "{e:?} is not computable: no row"
            );
        }

        let rankings = sheet(&book, "Xếp hạng");
        for e in expected["rankings"].as_sequence().expect("rankings") {
            let year = yaml_str(&e["year"]);
            let agency = yaml_str(&e["agency"]);
            let found = rankings.iter().find(|r| {
                number(r.get("Năm")).map(|n| n.to_string()) == Some(year.clone())
                    && text(r.get("Mã cơ quan")) == agency
            });
            if !in_book(&year) {
                assert!(found.is_none(), "ranking {year} not in {book:?}");
                continue;
            }
            let row = found.unwrap_or_else(|| panic!("ranking {year} {agency}"));
            let n = |h: &str| {
                number(row.get(h))
                    .map(|x| x.to_string())
                    .unwrap_or_default()
            };
            assert_eq!(n("Hạng"), yaml_str(&e["rank"]), "{year} {agency} rank");
            assert_eq!(
                n("Trên tổng số"),
                yaml_str(&e["rank_of"]),
                "{year} {agency} of"
            );
            if let Some(c) = e.get("rank_change") {
                assert_eq!(n("Thay đổi hạng"), yaml_str(c), "{year} {agency} change");
            }
            if let Some(s) = e.get("score") {
                assert_eq!(n("Điểm"), yaml_str(s));
                assert_eq!(n("Điểm tối đa"), yaml_str(&e["score_max"]));
            }
            assert_eq!(text(row.get("Nguồn xếp hạng")), yaml_str(&e["rank_source"]));
        }
    }

    // The values sheet has the same rows as observations.csv, typed.
    // split by kind into three sheets, each value column of one type.
    let obs_csv = csv_rows(&data.join("observations.csv"));
    let obs = sheet(&latest, "Số liệu");
    let flags = sheet(&latest, "Số liệu có-không");
    let texts = sheet(&latest, "Số liệu văn bản");
    assert_eq!(obs.len() + flags.len() + texts.len(), obs_csv.len());
    let dossiers = obs
        .iter()
        .find(|r| {
            text(r.get("Mã cơ quan")) == "ha-nam-so-tai-chinh"
                && text(r.get("Mã chỉ tiêu")) == "dossiers_total"
        })
        .expect("a value");
    assert_eq!(number(dossiers.get("Giá trị")), Some(605.0));
    assert!(obs.iter().all(|r| number(r.get("Giá trị")).is_some()));
    let flag = flags
        .iter()
        .find(|r| text(r.get("Mã chỉ tiêu")) == "has_lan")
        .expect("a flag");
    assert!(matches!(
        flag.get("Giá trị (có/không)"),
        Some(Data::Bool(true))
    ));
    assert!(flags
        .iter()
        .all(|r| matches!(r.get("Giá trị (có/không)"), Some(Data::Bool(_)))));
}

/// The kind of a cell as pandas, readxl and Excel see it.
fn kind(d: &Data) -> Option<&'static str> {
    match d {
        Data::Empty => None,
        Data::Int(_) | Data::Float(_) => Some("number"),
        Data::Bool(_) => Some("boolean"),
        Data::String(_) => Some("text"),
        Data::DateTime(_) | Data::DateTimeIso(_) => Some("date"),
        Data::DurationIso(_) => Some("duration"),
        Data::Error(e) => panic!("an error cell: {e:?}"),
    }
}

#[test]
fn every_workbook_has_one_type_per_column() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut books = Vec::new();
    for (name, root) in [
        ("sample", sample.to_path_buf()),
        ("seeds", fixture("seeds-site")),
    ] {
        let out = tmp.path().join(name);
        build(&root, &out, &["--quiet"]);
        for e in fs::read_dir(out.join("data")).expect("ls") {
            let p = e.expect("entry").path();
            if p.extension().is_some_and(|x| x == "xlsx") {
                books.push(p);
            }
        }
    }
    books.sort();
    assert_eq!(books.len(), 6, "{books:?}");
    for book in &books {
        let mut wb: Xlsx<_> = open_workbook(book).expect("opens");
        let names = wb.sheet_names();
        assert_eq!(names.first().map(String::as_str), Some("Giới thiệu"));
        let readme = wb.worksheet_range("Giới thiệu").expect("read-me");
        let readme: String = readme.cells().map(|(_, _, c)| format!("{c}\n")).collect();
        for name in names.iter().skip(1) {
            let range = wb.worksheet_range(name).expect("sheet");
            let mut rows = range.rows();
            let header: Vec<String> = rows
                .next()
                .expect("a header row")
                .iter()
                .map(|c| c.to_string())
                .collect();
            let mut kinds: Vec<BTreeMap<&str, usize>> = vec![BTreeMap::new(); header.len()];
            for row in rows {
                for (c, cell) in row.iter().enumerate() {
                    if let Some(k) = kind(cell) {
                        *kinds[c].entry(k).or_default() += 1;
                    }
                }
            }
            for (h, k) in header.iter().zip(&kinds) {
                assert!(k.len() <= 1, "{book:?} «{name}» column «{h}» mixes {k:?}");
                assert!(
                    readme.contains(&format!("«{name}» · {h}")),
                    "{book:?}: the read-me explains «{name}» · {h}"
                );
            }
            if name == "Tỷ lệ" {
                let p = header
                    .iter()
                    .position(|h| h == "Tỷ lệ (%)")
                    .expect("percent");
                assert!(
                    kinds[p].keys().all(|k| *k == "number"),
                    "{book:?}: percentages are numbers"
                );
            }
        }
    }
}

/// The years of a sheet's "Năm" column, each once, in order.
fn sheet_years(book: &Path, name: &str) -> Vec<i64> {
    let mut years: Vec<i64> = sheet(book, name)
        .iter()
        .filter_map(|r| number(r.get("Năm")))
        .map(|y| y as i64)
        .collect();
    years.dedup();
    years
}

#[test]
fn each_workbook_holds_its_own_year_and_the_latest_every_year() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    build(&fixture("seeds-site"), &out, &[]);
    let data = out.join("data");

    for (year, years, words) in [
        (2021, vec![2021], "năm 2021"),
        (2022, vec![2022], "năm 2022"),
        (2023, vec![2021, 2022, 2023], "các năm 2021–2023"),
    ] {
        let book = data.join(format!("minhbach-{year}.xlsx"));
        for (names, file) in [
            (
                &["Số liệu", "Số liệu có-không", "Số liệu văn bản"][..],
                "observations.csv",
            ),
            (&["Tỷ lệ"], "rates.csv"),
            (&["Xếp hạng"], "rankings.csv"),
            (&["Báo cáo"], "reports.csv"),
        ] {
            // The rows of the CSV file (every year) of the book's years.
            let rows: Vec<i64> = csv_rows(&data.join(file))
                .iter()
                .filter_map(|r| r["year"].parse().ok())
                .filter(|y| years.contains(y))
                .collect();
            let in_book: usize = names.iter().map(|n| sheet(&book, n).len()).sum();
            assert_eq!(in_book, rows.len(), "{file} in {year}");
            let mut expected = rows;
            expected.dedup();
            let name = names[0];
            assert_eq!(sheet_years(&book, name), expected, "{name} of {year}");
        }
        assert_eq!(
            sheet_years(&book, "Báo cáo"),
            years,
            "a report of every year of {year}"
        );
        // The registries are whole in every workbook.
        assert_eq!(
            sheet(&book, "Cơ quan").len(),
            csv_rows(&data.join("agencies.csv")).len()
        );
        assert_eq!(
            sheet(&book, "Chỉ tiêu").len(),
            csv_rows(&data.join("indicators.csv")).len()
        );
        // The read-me says what is inside.
        let mut wb: Xlsx<_> = open_workbook(&book).expect("opens");
        let readme = wb.worksheet_range("Giới thiệu").expect("readme");
        let readme_text: String = readme.cells().map(|(_, _, c)| format!("{c}\n")).collect();
        assert!(
            readme_text.contains(&format!(
                "Số liệu chuyển đổi số {words}, do các cơ quan báo cáo (bản năm {year})."
            )),
            "{year}: {readme_text}"
        );
    }

    // The data page and the catalogue describe the same.
    let page = fs::read_to_string(data.join("index.html")).expect("page");
    assert!(
        page.contains("Bảng tính Excel, số liệu năm 2021:"),
        "{page}"
    );
    assert!(page.contains("Bảng tính Excel, số liệu các năm 2021–2023:"));
    let ttl = fs::read_to_string(data.join("catalog.ttl")).expect("ttl");
    assert!(ttl.contains("bản năm 2022 (số liệu năm 2022)"), "{ttl}");
    assert!(ttl.contains("bản năm 2023 (số liệu các năm 2021–2023)"));
}

#[test]
fn formula_injection_is_neutralised_in_every_csv_and_workbook() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    copy_tree(&fixture("good-minimal"), &root);
    fs::write(
        root.join("data/indicators.yaml"),
        "indicators:\n  - id: status_note\n    kind: text\n    group: governance\n    name: \"Tình trạng\"\n",
    )
    .expect("write");
    fs::write(
        root.join("data/reports/2022/so-noi-vu.yaml"),
        "source: {title: \"@SUM(1+1)\"}\nvalues:\n  dossiers_total: {value: 120, evidence: \"=HYPERLINK(\\\"http://x\\\")\"}\n  dossiers_online: 90\n  status_note: \"-1+1\"\n  portal_score: -2.5\n",
    )
    .expect("write");
    let out = tmp.path().join("public");
    build(&root, &out, &[]);

    let check_csv = |rows: &[BTreeMap<String, String>], id_col: &str| {
        let by = |id: &str| {
            rows.iter()
                .find(|r| r[id_col] == id)
                .unwrap_or_else(|| panic!("{id}"))
        };
        assert_eq!(
            by("dossiers_total")["evidence"],
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(by("status_note")["value"], "'-1+1");
        assert_eq!(
            by("portal_score")["value"],
            "-2.5",
            "a number is never touched"
        );
        assert_eq!(by("dossiers_total")["value"], "120");
    };
    check_csv(&csv_rows(&out.join("data/observations.csv")), "indicator");
    check_csv(&csv_rows(&out.join("agencies/so-noi-vu/data.csv")), "id");
    let reports = csv_rows(&out.join("data/reports.csv"));
    assert!(reports.iter().any(|r| r["source_title"] == "'@SUM(1+1)"));

    let book = out.join("data/minhbach-2022.xlsx");
    let mut obs = sheet(&book, "Số liệu");
    obs.extend(sheet(&book, "Số liệu văn bản"));
    let by = |id: &str| {
        obs.iter()
            .find(|r| text(r.get("Mã chỉ tiêu")) == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    // In the workbook the text is kept as it is, in a text cell (never a
    // formula), with no `'` added.
    assert_eq!(
        by("dossiers_total").get("Tài liệu kiểm chứng"),
        Some(&Data::String("=HYPERLINK(\"http://x\")".into()))
    );
    assert_eq!(
        by("status_note").get("Giá trị (văn bản)"),
        Some(&Data::String("-1+1".into()))
    );
    assert!(
        matches!(by("portal_score").get("Giá trị"), Some(Data::Float(x)) if *x == -2.5),
        "a negative number stays a number: {:?}",
        by("portal_score").get("Giá trị")
    );
    let reports = sheet(&book, "Báo cáo");
    assert!(reports
        .iter()
        .any(|r| text(r.get("Văn bản nguồn")) == "@SUM(1+1)"));
}

/// The `<script type="application/ld+json">` of a page, parsed.
fn page_dataset(html: &str) -> Json {
    let start = html
        .find("application/ld+json")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1))
        .expect("a JSON-LD script");
    let end = html[start..].find("</script>").expect("closed") + start;
    let body = &html[start..end];
    assert!(!body.contains('<'), "no markup inside the script");
    serde_json::from_str(body).expect("JSON")
}

#[test]
fn files_package_catalogue_zip_and_pages_agree() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    build(
        &fixture("seeds-site"),
        &out,
        &["--base-url", "https://opendata.example.gov.vn/cds"],
    );
    let data = out.join("data");
    let bytes = |name: &str| fs::read(data.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));

    // SHA256SUMS covers every file of /data/, the data page and zip included.
    let sums = String::from_utf8(bytes("SHA256SUMS")).expect("utf-8");
    let listed: Vec<&str> = sums.lines().filter_map(|l| l.split("  ").nth(1)).collect();
    let mut present: Vec<String> = fs::read_dir(&data)
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "SHA256SUMS")
        .collect();
    present.sort();
    assert_eq!(listed, present);
    for l in sums.lines() {
        let (h, n) = l.split_once("  ").expect("sum line");
        assert_eq!(sha256(&bytes(n)), h, "{n}");
    }
    for n in [
        "reports.csv",
        "minhbach-data.zip",
        "catalog.jsonld",
        "catalog.ttl",
        "minhbach-2023.xlsx",
    ] {
        assert!(present.iter().any(|p| p == n), "{n}");
    }

    // The package: every CSV with its size and hash; dates from the data.
    let pkg: Json = serde_json::from_slice(&bytes("datapackage.json")).expect("json");
    assert_eq!(
        pkg["$schema"],
        "https://datapackage.org/profiles/2.0/datapackage.json"
    );
    assert_eq!(
        pkg["created"], "2023-12-31T00:00:00Z",
        "the end of the latest year reported"
    );
    assert!(pkg["version"]
        .as_str()
        .is_some_and(|v| v.starts_with("2023.")));
    assert_eq!(pkg["licenses"][0]["name"], "CC-BY-4.0");
    for r in pkg["resources"].as_array().expect("resources") {
        let b = bytes(r["path"].as_str().expect("path"));
        assert_eq!(r["bytes"], b.len());
        assert_eq!(r["hash"], format!("sha256:{}", sha256(&b)));
        assert_eq!(r["schema"]["missingValues"], serde_json::json!([""]));
    }
    // Six tables, and scores.csv and rubrics.csv of the sample's rubric.
    assert_eq!(pkg["resources"].as_array().map(Vec::len), Some(8));

    // minhbach.json has every value of observations.csv.
    let doc: Json = serde_json::from_slice(&bytes("minhbach.json")).expect("json");
    let reports = doc["reports"].as_array().expect("reports");
    for row in csv_rows(&data.join("observations.csv")) {
        let report = reports
            .iter()
            .find(|r| {
                r["year"].as_i64().map(|y| y.to_string()).as_deref() == Some(row["year"].as_str())
                    && r["agency"] == row["agency"].as_str()
            })
            .expect("the report");
        let v = report["values"]
            .as_array()
            .and_then(|vs| {
                vs.iter()
                    .find(|v| v["indicator"] == row["indicator"].as_str())
            })
            .expect("the value");
        let plain = match &v["value"] {
            Json::String(s) => s.clone(),
            other => other.to_string(),
        };
        assert_eq!(
            plain.trim_start_matches('\''),
            row["value"].trim_start_matches('\'')
        );
        assert_eq!(v["unit"], row["unit"].as_str());
    }

    // The zip: sorted entries, one time stamp, its own checksums.
    let zip_bytes = bytes("minhbach-data.zip");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).expect("a zip");
    let names: Vec<String> = zip
        .file_names()
        .map(|n| n.expect("a UTF-8 name").into_owned())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert!(names.contains(&"minhbach-data/observations.csv".to_string()));
    assert!(names.contains(&"minhbach-data/minhbach-2023.xlsx".to_string()));
    let mut inner_sums = String::new();
    zip.by_name("minhbach-data/SHA256SUMS")
        .expect("sums")
        .read_to_string(&mut inner_sums)
        .expect("read");
    for l in inner_sums.lines() {
        let (h, n) = l.split_once("  ").expect("sum line");
        let mut content = Vec::new();
        let mut f = zip.by_name(&format!("minhbach-data/{n}")).expect("entry");
        assert_eq!(
            f.last_modified().map(|d| (d.year(), d.month(), d.day())),
            Some((2023, 12, 31))
        );
        f.read_to_end(&mut content).expect("read");
        assert_eq!(sha256(&content), h, "{n} in the zip");
        assert_eq!(content, bytes(n), "{n} in the zip is the published file");
    }

    // The catalogue: inline context, absolute addresses from base_url.
    let cat: Json = serde_json::from_slice(&bytes("catalog.jsonld")).expect("json");
    assert!(cat["@context"].is_object(), "an inline context");
    let text = String::from_utf8(bytes("catalog.jsonld")).expect("utf-8");
    assert!(text.contains("\"https://opendata.example.gov.vn/cds/data/observations.csv\""));
    let ttl = String::from_utf8(bytes("catalog.ttl")).expect("utf-8");
    assert!(ttl
        .contains("dcat:downloadURL <https://opendata.example.gov.vn/cds/data/minhbach-data.zip>"));
    assert!(ttl.contains(&format!(
        "spdx:checksumValue \"{}\"^^xsd:hexBinary",
        sha256(&bytes("rates.csv"))
    )));

    // Pages that offer data describe it in schema.org JSON-LD.
    for (page, download) in [
        (
            "index.html",
            "https://opendata.example.gov.vn/cds/data/observations.csv",
        ),
        (
            "data/index.html",
            "https://opendata.example.gov.vn/cds/data/minhbach-data.zip",
        ),
        (
            "en/data/index.html",
            "https://opendata.example.gov.vn/cds/data/minhbach-2023.xlsx",
        ),
        (
            "agencies/ha-nam-so-tai-chinh/index.html",
            "https://opendata.example.gov.vn/cds/agencies/ha-nam-so-tai-chinh/data.csv",
        ),
    ] {
        let html = fs::read_to_string(out.join(page)).expect("page");
        let d = page_dataset(&html);
        assert_eq!(d["@type"], "Dataset", "{page}");
        assert!(
            d["description"]
                .as_str()
                .is_some_and(|s| s.chars().count() >= 50),
            "{page}"
        );
        for k in [
            "name",
            "license",
            "creator",
            "temporalCoverage",
            "spatialCoverage",
        ] {
            assert!(!d[k].is_null(), "{page}: {k}");
        }
        let urls: Vec<&str> = d["distribution"]
            .as_array()
            .expect("distribution")
            .iter()
            .filter_map(|x| x["contentUrl"].as_str())
            .collect();
        assert!(urls.contains(&download), "{page}: {urls:?}");
        assert!(d["distribution"][0]["encodingFormat"].is_string());
    }

    // Each agency page links its own files, which exist.
    let page =
        fs::read_to_string(out.join("agencies/ha-nam-so-tai-chinh/index.html")).expect("page");
    assert!(page.contains("agencies/ha-nam-so-tai-chinh/data.csv"));
    assert!(page.contains("agencies/ha-nam-so-tai-chinh/data.json"));
    let agency: Json = serde_json::from_slice(
        &fs::read(out.join("agencies/ha-nam-so-tai-chinh/data.json")).expect("data.json"),
    )
    .expect("json");
    assert_eq!(agency["agency"]["id"], "ha-nam-so-tai-chinh");
    assert_eq!(agency["reports"][0]["rates"][0]["percent"], 84.96);
    let rows = csv_rows(&out.join("agencies/ha-nam-so-tai-chinh/data.csv"));
    assert!(rows
        .iter()
        .any(|r| r["type"] == "rate" && r["id"] == "dvctt_uptake" && r["value"] == "84.96"));

    // The data page: every file with its size, checksum and licence, and a citation.
    let data_page = fs::read_to_string(data.join("index.html")).expect("page");
    for n in &present {
        if n == "index.html" {
            continue;
        }
        assert!(data_page.contains(n.as_str()), "{n} listed");
        assert!(data_page.contains(&sha256(&bytes(n))), "{n} checksum");
    }
    assert!(data_page.contains("minhbach test fixtures (2023)."));
    assert!(data_page.contains("Truy cập ngày"));
    assert!(data_page.contains("31/12/2023"), "the date of the data");
}
