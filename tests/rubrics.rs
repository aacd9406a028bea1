//! Scoring rubrics (RUBRICS.md): every rule kind and edge, every diagnostic
//! with its place, the Hà Nam rubric of the seeds site, byte-identical output.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use minhbach::diag::{Diagnostic, Diagnostics};
use minhbach::model::Model;
use minhbach::scoring::{ReportScore, Status};

const SITE: &str = "title: \"Tỉnh Kiểm Thử\"\nbase_url: \"/\"\nlanguages: [vi, en]\npublisher:\n  name: \"Sở TTTT\"\n";
const AGENCIES: &str = "cohorts:\n  so: {vi: \"Sở\", en: \"Departments\"}\n  huyen: {vi: \"Huyện\", en: \"Districts\"}\nagencies:\n  a:\n    name: \"Sở A\"\n    cohort: so\n  b:\n    name: \"Sở B\"\n    cohort: so\n  h:\n    name: \"Huyện H\"\n    cohort: huyen\n";
const INDICATORS: &str = r#"indicators:
  - {id: apps_other, kind: count, group: infrastructure, name: "Phần mềm khác"}
  - {id: late_replies, kind: count, group: governance, name: "Văn bản trả lời quá hạn"}
  - {id: has_scanner, kind: flag, group: infrastructure, name: "Có máy quét"}
  - {id: ratio_x, kind: number, group: governance, name: "Một số"}
rates:
  - {id: computers_per_staff, numerator: computers_total, denominator: staff_total, name: "Máy tính trên cán bộ"}
"#;

fn site(dir: &Path, rubrics: &[(&str, &str)], reports: &[(i32, &str, &str)]) -> PathBuf {
    let root = dir.to_path_buf();
    fs::create_dir_all(root.join("data/rubrics")).expect("mkdir");
    fs::write(root.join("site.yaml"), SITE).expect("write");
    fs::write(root.join("data/agencies.yaml"), AGENCIES).expect("write");
    fs::write(root.join("data/indicators.yaml"), INDICATORS).expect("write");
    for (id, text) in rubrics {
        fs::write(root.join(format!("data/rubrics/{id}.yaml")), text).expect("write");
    }
    for (year, agency, text) in reports {
        let d = root.join(format!("data/reports/{year}"));
        fs::create_dir_all(&d).expect("mkdir");
        fs::write(d.join(format!("{agency}.yaml")), text).expect("write");
    }
    root
}

fn check(root: &Path) -> (Option<Model>, Diagnostics) {
    minhbach::site::check(root)
}

fn diags_of(d: &Diagnostics) -> Vec<Diagnostic> {
    d.0.clone()
}

fn find<'a>(d: &'a [Diagnostic], code: &str) -> Vec<&'a Diagnostic> {
    d.iter().filter(|x| x.code.as_str() == code).collect()
}

fn score<'a>(m: &'a Model, year: i32, agency: &str) -> &'a ReportScore {
    m.entry(year, agency)
        .and_then(|e| e.score.as_ref())
        .unwrap_or_else(|| panic!("{agency} {year} is scored"))
}

/// (recomputed, self-assessed, status) of one leaf, points in plain form.
fn leaf(s: &ReportScore, id: &str) -> (Option<String>, Option<String>, Status) {
    let l = s
        .leaves
        .iter()
        .find(|l| l.id == id)
        .unwrap_or_else(|| panic!("leaf {id}"));
    (
        l.recomputed.map(|q| q.plain(2)),
        l.self_assessed.map(|q| q.plain(2)),
        l.status,
    )
}

fn some(s: &str) -> Option<String> {
    Some(s.to_string())
}

const RULES: &str = r#"name: "Bộ tiêu chí kiểm thử"
years: [2022]
cohorts: [so]
max: 100
sections:
  - id: "I"
    name: "Tỷ lệ"
    max: 50
    criteria:
      - {id: "I.1", name: "Tỷ lệ theo tỷ lệ", max: 5, rule: {proportional: dvctt_uptake}}
      - id: "I.2"
        name: "Bậc"
        max: 15
        rule: {tiers: {of: electronic_incoming_rate, steps: [{from: 90, points: max}, {from: 60, points: proportional}]}}
      - id: "I.3"
        name: "Bậc có tỷ lệ/40"
        max: 10
        rule: {tiers: {of: signed_outgoing_rate, steps: [{from: 40, points: max}, {from: 20, points: {scaled_to: 40}}]}}
      - {id: "I.4", name: "Không có mẫu số, có quy định", max: 5, rule: {proportional: procedures_full_rate, when_no_denominator: max}}
      - {id: "I.5", name: "Không có mẫu số, không quy định", max: 5, rule: {proportional: on_time_rate}}
      - {id: "I.6", name: "Bậc vượt điểm tối đa", max: 2, rule: {tiers: {of: leaders_signature_rate, steps: [{from: 80, points: 3}, {from: 50, points: 1}]}}}
      - {id: "I.7", name: "Tỷ lệ không báo cáo", max: 8, rule: {proportional: antivirus_rate}}
  - id: "II"
    name: "Khác"
    max: 50
    criteria:
      - {id: "II.1", name: "Mỗi phần mềm", max: 8, rule: {per_item: {of: apps_other, points: 4}}}
      - {id: "II.2", name: "Trừ điểm", max: 10, rule: {deduct: {of: late_replies, points: 2}}}
      - {id: "II.3", name: "Có máy quét", max: 4, rule: {yes_no: has_scanner}}
      - id: "II.4"
        name: "Kinh phí"
        max: 10
        rule: {tiers: {of: budget_dx_vnd, steps: [{from: 100000000, points: 10}, {from: 50000000, points: 5}]}}
      - id: "II.5"
        name: "Nhóm"
        criteria:
          - {id: "II.5.a", name: "Đoàn chấm", max: 6, rule: {judged: true}}
          - {id: "II.5.b", name: "Đoàn chấm 2", max: 12, rule: {judged: true}}
"#;

const REPORT_A: &str = r#"score: {value: 80, max: 100, self_assessed: true}
values:
  dossiers_total: 8600
  dossiers_online: 7600
  dossiers_in_person: 1000
  docs_incoming_total: 1000
  docs_incoming_electronic: 820
  docs_outgoing_total: 100
  docs_outgoing_signed: 30
  procedures_total: 0
  procedures_online_full: 0
  dossiers_resolved: 0
  dossiers_on_time: 0
  leaders_total: 10
  leaders_with_signature: 9
  apps_other: 3
  late_replies: 3
  has_scanner: không
  budget_dx_vnd: 75000000
criteria:
  I.1: 4.42
  I.2: 15
  I.3: 7.5
  I.4: 5
  I.5: 5
  I.6: 2
  I.7: 6
  II.1: 8
  II.2: 4
  II.3: 0
  II.4: {value: 10, evidence: "Quyết định giao dự toán"}
  II.5.a: 6
  II.5.b: 12
"#;

#[test]
fn every_rule_kind_and_edge() {
    let tmp = tempfile::tempdir().expect("tmp");
    let b = "values:\n  docs_incoming_total: 100\n  docs_incoming_electronic: 93\n  apps_other: 1\n  late_replies: 7\n  has_scanner: có\n  budget_dx_vnd: 150000000\n  docs_outgoing_total: 10000\n  docs_outgoing_signed: 5999\n";
    let root = site(
        tmp.path(),
        &[("r", RULES)],
        &[(2022, "a", REPORT_A), (2022, "b", b)],
    );
    let (model, diags) = check(&root);
    let model = model.expect("model");
    let d = diags_of(&diags);
    assert!(
        d.iter()
            .all(|x| x.severity == minhbach::diag::Severity::Warning),
        "{d:?}"
    );
    let s = score(&model, 2022, "a");
    // proportional of 88.37 % on 5 points: 4.42
    assert_eq!(leaf(s, "I.1"), (some("4.42"), some("4.42"), Status::Match));
    // tiers 60–90 %: rate × 15 at 82 % = 12.3; self-assessed 15 differs
    assert_eq!(leaf(s, "I.2"), (some("12.3"), some("15"), Status::Differs));
    // scaled_to 40: 30 % / 40 % × 10 = 7.5
    assert_eq!(leaf(s, "I.3"), (some("7.5"), some("7.5"), Status::Match));
    // denominator 0 with when_no_denominator: max
    assert_eq!(leaf(s, "I.4"), (some("5"), some("5"), Status::Match));
    // denominator 0 without it: not recomputable, never 0
    assert_eq!(leaf(s, "I.5"), (None, some("5"), Status::NotRecomputable));
    // a step of 3 points on a criterion of 2: capped at 2
    assert_eq!(leaf(s, "I.6"), (some("2"), some("2"), Status::Match));
    // a rate whose figures are not reported: not recomputable
    assert_eq!(leaf(s, "I.7"), (None, some("6"), Status::NotRecomputable));
    // per_item: 3 × 4 capped at 8; deduct: 10 − 3 × 2 = 4; yes_no false: 0
    assert_eq!(leaf(s, "II.1"), (some("8"), some("8"), Status::Match));
    assert_eq!(leaf(s, "II.2"), (some("4"), some("4"), Status::Match));
    assert_eq!(leaf(s, "II.3"), (some("0"), some("0"), Status::Match));
    // money in đồng: 75.000.000 is in the 50–100 million step
    assert_eq!(leaf(s, "II.4"), (some("5"), some("10"), Status::Differs));
    assert_eq!(leaf(s, "II.5.a"), (None, some("6"), Status::Judged));
    // self-assessed total: 4.42+15+7.5+5+5+2+6+8+4+0+10+6+12 = 84.92;
    // audited: recomputed where present, else self-assessed
    assert_eq!(s.self_total.plain(2), "84.92");
    assert_eq!(s.audited_total.plain(2), "77.22");
    assert_eq!(s.differing, 2);
    assert!(s.complete);

    let b = score(&model, 2022, "b");
    // 93 % ≥ 90: full points; 59.99 % below the last step: 0
    assert_eq!(leaf(b, "I.2"), (some("15"), None, Status::NotAssessed));
    assert_eq!(leaf(b, "I.3").0, some("10"));
    // 59.99 % of signed documents: ≥ 40 % → max
    assert_eq!(leaf(b, "II.1").0, some("4"));
    assert_eq!(leaf(b, "II.2").0, some("0"), "deduct never goes below 0");
    assert_eq!(leaf(b, "II.3").0, some("4"));
    assert_eq!(
        leaf(b, "II.4").0,
        some("10"),
        "150.000.000 đồng: the 100 million step"
    );
    assert_eq!(leaf(b, "II.5.a"), (None, None, Status::Judged));
    assert_eq!(b.self_total.plain(2), "0");

    // score-mismatch: both numbers and the computation, at the criterion
    let mism = find(&d, "score-mismatch");
    assert_eq!(mism.len(), 2, "{mism:?}");
    let i2 = mism
        .iter()
        .find(|x| x.indicator.as_deref() == Some("I.2"))
        .expect("I.2 warns");
    assert_eq!(
        i2.message,
        "I.2: self-assessed 15, the figures give 12.3: docs_incoming_electronic 820 / docs_incoming_total 1000 = 82.00 %, 60–90 % → rate × 15"
    );
    assert_eq!(i2.file, "data/reports/2022/a.yaml");
    assert_eq!((i2.line, i2.column), (Some(22), Some(3)));
    assert_eq!(i2.agency.as_deref(), Some("a"));
    assert_eq!(i2.year, Some(2022));
    // every leaf given and their sum (84.92) is not score.value (80)
    let sum = find(&d, "score-sum-mismatch");
    assert_eq!(sum.len(), 1);
    assert!(
        sum[0].message.contains("84.92") && sum[0].message.contains("80"),
        "{}",
        sum[0].message
    );
    // the step above the maximum, in the rubric file
    let step = find(&d, "rubric-step-exceeds-max");
    assert_eq!(step.len(), 1);
    assert_eq!(step[0].file, "data/rubrics/r.yaml");
    assert_eq!(step[0].line, Some(21));
    assert_eq!(step[0].indicator.as_deref(), Some("I.6"));
}

#[test]
fn tiers_at_the_spec_examples() {
    // Tiers [{90: max}, {60: proportional}] on 15: 15 at 93 %, 12.3 at 82 %, 0 at 59.99 %.
    let rubric = "name: x\nyears: [2022]\nmax: 15\nsections:\n  - id: S\n    name: s\n    max: 15\n    criteria:\n      - {id: S.1, name: t, max: 15, rule: {tiers: {of: electronic_incoming_rate, steps: [{from: 90, points: max}, {from: 60, points: proportional}]}}}\n";
    for (num, den, want) in [
        (93, 100, "15"),
        (82, 100, "12.3"),
        (5999, 10000, "0"),
        (60, 100, "9"),
    ] {
        let tmp = tempfile::tempdir().expect("tmp");
        let rep =
            format!("values:\n  docs_incoming_total: {den}\n  docs_incoming_electronic: {num}\n");
        let root = site(tmp.path(), &[("r", rubric)], &[(2022, "a", &rep)]);
        let (m, _) = check(&root);
        let m = m.expect("model");
        assert_eq!(
            leaf(score(&m, 2022, "a"), "S.1").0,
            some(want),
            "{num}/{den}"
        );
    }
}

fn codes(d: &[Diagnostic]) -> Vec<(String, String, Option<usize>, Option<usize>)> {
    let mut v: Vec<_> = d
        .iter()
        .map(|x| {
            (
                x.code.as_str().to_string(),
                x.file.clone(),
                x.line,
                x.column,
            )
        })
        .collect();
    v.sort();
    v
}

fn rubric_errors(text: &str) -> Vec<Diagnostic> {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = site(tmp.path(), &[("r", text)], &[]);
    let (_, d) = check(&root);
    diags_of(&d)
}

#[test]
fn broken_rubrics_are_rejected_with_the_spec_codes_and_places() {
    let base = "name: x\nyears: [2022]\nmax: 10\nsections:\n  - id: S\n    name: s\n    max: 10\n    criteria:\n";
    let cases: &[(&str, &str, usize, usize, &str)] = &[
        // a section whose criteria do not add up
        ("      - {id: S.1, name: a, max: 4, rule: {yes_no: has_scanner}}\n", "invalid-rubric", 7, 10, "add up to 4"),
        // steps not strictly decreasing
        ("      - {id: S.1, name: a, max: 10, rule: {tiers: {of: dvctt_uptake, steps: [{from: 60, points: 5}, {from: 90, points: max}]}}}\n", "invalid-rubric", 9, 108, "strictly"),
        // two rule keys
        ("      - {id: S.1, name: a, max: 10, rule: {yes_no: has_scanner, judged: true}}\n", "invalid-rubric", 9, 65, "two rule keys"),
        // no rule key
        ("      - {id: S.1, name: a, max: 10, rule: {}}\n", "invalid-rubric", 9, 43, "no rule key"),
        // a malformed id
        ("      - {id: \"S 1\", name: a, max: 10, rule: {judged: true}}\n", "invalid-rubric", 9, 14, "malformed"),
        // a figure that is no rate or indicator, with "did you mean"
        ("      - {id: S.1, name: a, max: 10, rule: {proportional: dvctt_uptak}}\n", "unknown-indicator", 9, 58, "did you mean `dvctt_uptake`"),
        // yes_no on a count
        ("      - {id: S.1, name: a, max: 10, rule: {yes_no: apps_other}}\n", "wrong-type", 9, 52, "flag"),
        // per_item on a rate
        ("      - {id: S.1, name: a, max: 10, rule: {per_item: {of: dvctt_uptake, points: 2}}}\n", "wrong-type", 9, 59, "count"),
    ];
    for (crit, code, line, col, words) in cases {
        let d = rubric_errors(&format!("{base}{crit}"));
        let hit = d
            .iter()
            .find(|x| x.code.as_str() == *code)
            .unwrap_or_else(|| panic!("{code} for {crit}: {:?}", codes(&d)));
        assert_eq!(hit.file, "data/rubrics/r.yaml");
        assert_eq!(
            (hit.line, hit.column),
            (Some(*line), Some(*col)),
            "{crit}: {}",
            hit.message
        );
        assert!(hit.message.contains(words), "{}", hit.message);
        assert_eq!(hit.severity, minhbach::diag::Severity::Error);
    }
    // a duplicate id, and a rubric max that is not the sum of its sections
    let d = rubric_errors("name: x\nyears: [2022]\nmax: 12\nsections:\n  - id: S\n    name: s\n    max: 10\n    criteria:\n      - {id: S.1, name: a, max: 5, rule: {judged: true}}\n      - {id: S.1, name: b, max: 5, rule: {judged: true}}\n");
    let inv: Vec<_> = find(&d, "invalid-rubric");
    assert!(
        inv.iter()
            .any(|x| x.message.contains("appears twice") && x.line == Some(10)),
        "{inv:?}"
    );
    let d = rubric_errors("name: x\nyears: [2022]\nmax: 12\nsections:\n  - id: S\n    name: s\n    max: 10\n    criteria:\n      - {id: S.1, name: a, max: 10, rule: {judged: true}}\n");
    let inv = find(&d, "invalid-rubric");
    assert_eq!(inv.len(), 1);
    assert_eq!((inv[0].line, inv[0].column), (Some(3), Some(6)));
}

#[test]
fn two_rubrics_for_one_year_and_cohort_are_rejected() {
    let one = "name: x\nyears: [2022]\nmax: 1\nsections:\n  - id: S\n    name: s\n    max: 1\n    criteria:\n      - {id: S.1, name: a, max: 1, rule: {judged: true}}\n";
    let two = "name: y\nyears: [2021, 2022]\ncohorts: [so]\nmax: 1\nsections:\n  - id: S\n    name: s\n    max: 1\n    criteria:\n      - {id: S.1, name: a, max: 1, rule: {judged: true}}\n";
    let tmp = tempfile::tempdir().expect("tmp");
    let root = site(tmp.path(), &[("a-one", one), ("b-two", two)], &[]);
    let (_, d) = check(&root);
    let d = diags_of(&d);
    let inv = find(&d, "invalid-rubric");
    assert_eq!(inv.len(), 1, "{inv:?}");
    assert_eq!(inv[0].file, "data/rubrics/b-two.yaml");
    assert_eq!((inv[0].line, inv[0].column), (Some(2), Some(8)));
    assert!(inv[0].message.contains("2022") && inv[0].message.contains("so"));
    // Different cohorts do not clash.
    let three = two.replace("[so]", "[huyen]");
    let tmp = tempfile::tempdir().expect("tmp");
    let root = site(
        tmp.path(),
        &[
            (
                "a",
                &one.replace("years: [2022]", "years: [2022]\ncohorts: [so]"),
            ),
            ("b", &three),
        ],
        &[],
    );
    let (_, d) = check(&root);
    assert!(find(&diags_of(&d), "invalid-rubric").is_empty());
}

#[test]
fn report_criteria_are_checked_against_their_rubric() {
    let report =
        "values:\n  apps_other: 1\ncriteria:\n  I.1: 9\n  II.5: 3\n  II.1: 12\n  I.2: -1\n";
    let tmp = tempfile::tempdir().expect("tmp");
    let root = site(
        tmp.path(),
        &[("r", RULES)],
        &[(2022, "a", report), (2022, "h", "criteria:\n  I.1: 1\n")],
    );
    let (m, d) = check(&root);
    let d = diags_of(&d);
    let unknown = find(&d, "unknown-criterion");
    let by = |who: &str| {
        unknown
            .iter()
            .find(|x| x.indicator.as_deref() == Some(who) && x.agency.as_deref() == Some("a"))
            .copied()
    };
    // I.1 is a leaf; II.5 is a group: the fix names its leaves
    let g = by("II.5").expect("group key");
    assert!(g.message.contains("II.5.a, II.5.b"), "{}", g.message);
    assert_eq!((g.line, g.column), (Some(5), Some(3)));
    // a near miss: did you mean
    let tmp2 = tempfile::tempdir().expect("tmp");
    let root2 = site(
        tmp2.path(),
        &[("r", RULES)],
        &[(2022, "a", "criteria:\n  II.5a: 3\n")],
    );
    let (_, d2) = check(&root2);
    let d2 = diags_of(&d2);
    let near = find(&d2, "unknown-criterion");
    assert!(
        near[0].message.contains("did you mean `II.5.a`"),
        "{}",
        near[0].message
    );
    // no rubric scores the district's cohort
    let h = unknown
        .iter()
        .find(|x| x.agency.as_deref() == Some("h"))
        .expect("no rubric for huyen");
    assert_eq!(h.file, "data/reports/2022/h.yaml");
    assert_eq!((h.line, h.column), (Some(2), Some(3)));
    // points above the maximum warn; negative points are errors
    let over = find(&d, "criterion-exceeds-max");
    assert_eq!(over.len(), 2, "{over:?}");
    assert!(over
        .iter()
        .any(|x| x.indicator.as_deref() == Some("I.1") && x.line == Some(4)));
    assert!(over
        .iter()
        .any(|x| x.indicator.as_deref() == Some("II.1") && x.line == Some(6)));
    let neg = find(&d, "negative-value");
    assert_eq!(neg.len(), 1);
    assert_eq!((neg[0].line, neg[0].column), (Some(7), Some(8)));
    // II.1 (per_item 1 × 4 = 4) differs from the 12 self-assessed
    let mism = find(&d, "score-mismatch");
    assert!(mism.iter().any(|x| x.indicator.as_deref() == Some("II.1")));
    // unknown keys never reach the model
    let m = m.expect("model");
    assert!(!m
        .entry(2022, "a")
        .expect("a")
        .report
        .criteria
        .contains_key("II.5"));
    // no sum check on an incomplete self-assessment
    assert!(find(&d, "score-sum-mismatch").is_empty());
}

#[test]
fn ha_nam_rubric_adds_up_as_the_report_does() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds-site");
    let (m, d) = check(&root);
    let m = m.expect("model");
    let d = diags_of(&d);
    let s = score(&m, 2022, "ha-nam-so-tai-chinh");
    assert!(s.leaves.len() >= 80, "{} leaves", s.leaves.len());
    assert_eq!(s.max.plain(2), "500");
    assert_eq!(s.self_total.plain(2), "496");
    let mut by_section: BTreeMap<&str, (String, String)> = BTreeMap::new();
    let rubric = m
        .input
        .rubrics
        .iter()
        .find(|r| r.id == s.rubric)
        .expect("rubric");
    for sec in &rubric.sections {
        let own: Vec<_> = s.leaves.iter().filter(|l| l.section == sec.id).collect();
        let sum = own
            .iter()
            .filter_map(|l| l.self_assessed)
            .fold(minhbach::exact::Q::ZERO, |a, q| a.q_add(q).expect("sum"));
        by_section.insert(sec.id.as_str(), (sum.plain(2), sec.max.plain(2)));
    }
    let want: BTreeMap<&str, (String, String)> = [
        ("I", ("50", "50")),
        ("II", ("146", "150")),
        ("III", ("170", "170")),
        ("IV", ("30", "30")),
        ("V", ("50", "50")),
        ("VI", ("50", "50")),
    ]
    .into_iter()
    .map(|(k, (a, b))| (k, (a.to_string(), b.to_string())))
    .collect();
    assert_eq!(by_section, want);
    // The report's own figures give these criteria their points.
    assert_eq!(
        leaf(s, "I.1"),
        (some("10"), some("10"), Status::Match),
        "computers per staff 50/50"
    );
    assert_eq!(
        leaf(s, "III.2.11"),
        (some("10"), some("10"), Status::Match),
        "on-time rate 100 %"
    );
    assert_eq!(
        leaf(s, "V.3"),
        (some("20"), some("20"), Status::Match),
        "trained staff 50/50"
    );
    assert_eq!(
        leaf(s, "II.4.1"),
        (some("0"), some("0"), Status::Match),
        "no HR software"
    );
    assert_eq!(
        leaf(s, "II.4.4").0,
        some("8"),
        "3 other applications × 4, at most 8"
    );
    assert_eq!(
        leaf(s, "III.2.2").0,
        some("5"),
        "no level-3 denominator: maximum"
    );
    assert_eq!(
        leaf(s, "II.1.2").2,
        Status::NotRecomputable,
        "incoming total not reported"
    );
    assert_eq!(leaf(s, "VI.1").2, Status::Judged);
    // IV.8 "Đạt 80 % trở lên: 3 điểm" with a maximum of 2 warns.
    let step = find(&d, "rubric-step-exceeds-max");
    assert_eq!(step.len(), 1);
    assert_eq!(step[0].indicator.as_deref(), Some("IV.8"));
    assert!(find(&d, "score-sum-mismatch").is_empty());
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("prefix");
            (
                rel.to_string_lossy().into_owned(),
                fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

#[test]
fn rubric_site_builds_byte_identical_with_its_outputs() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = site(
        &tmp.path().join("site"),
        &[("r", RULES)],
        &[(2022, "a", REPORT_A)],
    );
    let build = |out: &Path| {
        let res = Command::new(env!("CARGO_BIN_EXE_minhbach"))
            .args(["build", "--quiet", "--root"])
            .arg(&root)
            .arg("--output")
            .arg(out)
            .output()
            .expect("runs");
        assert!(
            res.status.success(),
            "{}",
            String::from_utf8_lossy(&res.stderr)
        );
    };
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    build(&one);
    build(&two);
    let (a, b) = (tree(&one), tree(&two));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(b[k] == *v, "{k} differs between two builds");
    }
    let scores = String::from_utf8(a["data/scores.csv"].clone()).expect("utf-8");
    let mut lines = scores.lines();
    assert_eq!(
        lines.next(),
        Some("year,agency,rubric,criterion,max,self_assessed,recomputed,status")
    );
    assert!(
        scores.contains("2022,a,r,I.2,15,15,12.3,differs"),
        "{scores}"
    );
    assert!(
        scores.contains("2022,a,r,I.5,5,5,,not_recomputable"),
        "{scores}"
    );
    assert!(scores.contains("2022,a,r,II.5.a,6,6,,judged"), "{scores}");
    let rubrics = String::from_utf8(a["data/rubrics.csv"].clone()).expect("utf-8");
    assert!(rubrics.starts_with("rubric,criterion,parent,name,max,rule\n"));
    assert!(
        rubrics.contains("r,I.2,I,Bậc,15,≥ 90 %: 15 điểm; 60–90 %: tỷ lệ × 15; < 60 %: 0"),
        "{rubrics}"
    );
    let package = String::from_utf8(a["data/datapackage.json"].clone()).expect("utf-8");
    assert!(package.contains("\"scores\"") && package.contains("\"rubrics\""));
    // The agency page: the figure used, both points and the mark.
    let page = String::from_utf8(a["agencies/a/index.html"].clone()).expect("utf-8");
    assert!(page.contains("820 / 1.000 = 82,00 %"), "figure used");
    assert!(
        page.contains("status-differs"),
        "the mark where they differ"
    );
    let en = String::from_utf8(a["en/agencies/a/index.html"].clone()).expect("utf-8");
    assert!(en.contains("820 / 1,000 = 82.00 %"));
    assert!(a.contains_key("rubrics/r/index.html") && a.contains_key("en/rubrics/r/index.html"));
    let year = String::from_utf8(a["years/2022/index.html"].clone()).expect("utf-8");
    assert!(
        year.contains("84,92/100") && year.contains("77,22/100"),
        "both totals on the year page"
    );
}
