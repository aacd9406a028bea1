//! `minhbach new site DIR`: a new site root that builds as it is (like
//! `zola init` or `hugo new site`): site.yaml, data/agencies.yaml with one
//! cohort and two agencies, their reports of last year, one page and a
//! .gitignore for the output. Staff then replace the examples with their
//! own. Nothing is written into a folder that already holds files.

use std::fs;
use std::path::Path;

use crate::scaffold::NewError;

/// The files of a new site, relative to its root, for `year`.
pub fn files(year: i32) -> Vec<(String, String)> {
    vec![
        (
            "site.yaml".into(),
            format!(
                r#"# Cấu hình của trang (xem README của minhbach: site.yaml).
title:
  vi: "Chỉ số chuyển đổi số các cơ quan, đơn vị của tỉnh"
  en: "Digital transformation of the province's agencies"
# Địa chỉ gốc khi công bố, ví dụ "https://chuyendoiso.tinh.gov.vn/"; "/" khi chưa biết.
base_url: "/"
language: vi
languages: [vi, en]
publisher:
  name: "Sở Thông tin và Truyền thông"
license: CC-BY-4.0
years: [{year}]
# Các tệp trong thư mục xuất (public/) được giữ lại qua mỗi lần build.
keep: [CNAME, .nojekyll, .well-known]
"#
            ),
        ),
        (
            "data/agencies.yaml".into(),
            r#"# Sổ đăng ký cơ quan: các nhóm xếp hạng (cohorts) và các cơ quan.
# Thêm cơ quan bằng: minhbach new agency ID --name "…" --cohort so-ban-nganh
cohorts:
  so-ban-nganh: {vi: "Sở, ban, ngành", en: "Provincial departments"}
agencies:
  so-noi-vu:
    name: {vi: "Sở Nội vụ", en: "Department of Home Affairs"}
    cohort: so-ban-nganh
  so-tu-phap:
    name: {vi: "Sở Tư pháp", en: "Department of Justice"}
    cohort: so-ban-nganh
"#
            .into(),
        ),
        (
            format!("data/reports/{year}/so-noi-vu.yaml"),
            format!(
                r#"# Báo cáo của Sở Nội vụ năm {year}: thay các số dưới đây bằng số liệu thật.
# Số đếm viết liền, không có dấu chấm ngăn cách hàng nghìn (1517, không phải 1.517);
# tiền tính bằng đồng (850000000).
period: {{from: {year}-01-01, to: {year}-12-31}}
source: {{title: "Báo cáo kết quả chuyển đổi số năm {year}"}}
values:
  dossiers_total: 120
  dossiers_online: 90
  docs_outgoing_total: 800
  docs_outgoing_signed: 790
  has_cio: có
"#
            ),
        ),
        (
            format!("data/reports/{year}/so-tu-phap.yaml"),
            format!(
                r#"# Báo cáo của Sở Tư pháp năm {year}: thay các số dưới đây bằng số liệu thật.
period: {{from: {year}-01-01, to: {year}-12-31}}
values:
  dossiers_total: 95
  dossiers_online: 52
  docs_outgoing_total: 610
  docs_outgoing_signed: 514
  has_cio: không
"#
            ),
        ),
        (
            "content/gioi-thieu.md".into(),
            r#"---
title: "Giới thiệu"
weight: 1
---

Trang này công khai kết quả chuyển đổi số của các cơ quan, đơn vị của tỉnh:
số liệu do từng cơ quan báo cáo, tỷ lệ và xếp hạng tính từ các số liệu đó.
"#
            .into(),
        ),
        (".gitignore".into(), "/public/\n".into()),
    ]
}

/// Creates a new site in `dir` (made if absent; refused if it holds
/// anything). Returns the relative paths written.
pub fn new_site(dir: &Path, year: i32) -> Result<Vec<String>, NewError> {
    let io = |p: &Path, e: std::io::Error| NewError::Io(format!("{}: {e}", p.display()));
    if dir.exists() {
        if !dir.is_dir() {
            return Err(NewError::Usage(format!(
                "{} exists and is not a folder; choose a new folder for the site",
                dir.display()
            )));
        }
        if fs::read_dir(dir).map_err(|e| io(dir, e))?.next().is_some() {
            return Err(NewError::Usage(format!(
                "{} is not empty; a new site goes into a new or empty folder (nothing is overwritten)",
                dir.display()
            )));
        }
    }
    let mut written = Vec::new();
    for (rel, text) in files(year) {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        fs::write(&path, text).map_err(|e| io(&path, e))?;
        written.push(rel);
    }
    Ok(written)
}

/// Last year (reports are about a year that has ended), from the clock.
pub fn last_year() -> i32 {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    // Civil year of a day count (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year - 1).clamp(2000, 2100) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_site_checks_clean_and_refuses_a_full_folder() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("tinh");
        let written = new_site(&root, 2024).expect("new site");
        assert!(written.contains(&"site.yaml".to_string()));
        let (input, diags) = crate::validate::validate(&crate::load::load(&root));
        assert!(diags.is_empty(), "{diags:?}");
        let input = input.expect("input");
        assert_eq!(input.reports.len(), 2);
        assert_eq!(input.site.keep, vec!["CNAME", ".nojekyll", ".well-known"]);
        assert!(matches!(new_site(&root, 2024), Err(NewError::Usage(_))));
        assert!((2000..=2100).contains(&last_year()));
    }
}
