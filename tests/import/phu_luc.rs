//! The Phụ lục 01 form of the fixtures and the sample forms.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Value as Json};

use super::*;

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
