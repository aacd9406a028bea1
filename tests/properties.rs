//! Property tests (proptest) for rates, rounding, ranking and number
//! parsing: what must hold for every input, not just the examples.

use std::path::PathBuf;

use minhbach::format::{self, Date, Lang};
use minhbach::load::{self, FileKind, Loaded};
use minhbach::model::{positions_by_score, Percent};
use minhbach::{validate, yaml};
use proptest::prelude::*;

/// round(n × 10000 / d) half away from zero, by the remainder.
fn reference(n: i64, d: i64) -> i64 {
    let (a, b) = (i128::from(n).abs() * 10_000, i128::from(d).abs());
    let (q, r) = (a / b, a % b);
    let q = if 2 * r >= b { q + 1 } else { q };
    let q = i64::try_from(q).expect("fits");
    if (n < 0) != (d < 0) && q != 0 {
        -q
    } else {
        q
    }
}

proptest! {
    #[test]
    fn rates_round_half_away_from_zero_from_the_exact_integers(
        n in 0i64..1_000_000_000_000, d in 1i64..1_000_000_000_000
    ) {
        let p = Percent::of(n, d).expect("a denominator above 0");
        prop_assert_eq!(p.0, reference(n, d));
        // Within half a hundredth of the exact rate.
        let exact = n as f64 * 100.0 / d as f64;
        prop_assert!((p.as_f64() - exact).abs() <= 0.005 + exact.abs() * 1e-12);
        prop_assert_eq!(Percent::of(-n, d).map(|q| q.0), Some(-p.0));
        prop_assert_eq!(Percent::of(n, -d).map(|q| q.0), Some(-p.0));
    }

    #[test]
    fn a_zero_denominator_has_no_rate(n in any::<i64>()) {
        prop_assert_eq!(Percent::of(n, 0), None);
    }

    #[test]
    fn the_machine_form_of_a_rate_has_two_decimals_and_reads_back(h in -10_000_000i64..10_000_000) {
        let s = Percent(h).plain();
        let (_, decimals) = s.split_once('.').expect("a dot");
        prop_assert_eq!(decimals.len(), 2);
        let back: f64 = s.parse().expect("a number");
        prop_assert!((back * 100.0 - h as f64).abs() < 1e-6);
    }

    #[test]
    fn ranks_share_the_better_place_and_follow_the_scores(
        scores in prop::collection::vec(0u32..20, 1..40)
    ) {
        let scores: Vec<f64> = scores.into_iter().map(|s| f64::from(s) * 0.5).collect();
        let pos = positions_by_score(&scores);
        prop_assert_eq!(pos.len(), scores.len());
        prop_assert!(pos.contains(&1));
        for (i, a) in scores.iter().enumerate() {
            let higher = scores.iter().filter(|b| *b > a).count() as u32;
            prop_assert_eq!(pos[i], higher + 1);
            for (j, b) in scores.iter().enumerate() {
                prop_assert_eq!(a == b, pos[i] == pos[j]);
            }
        }
        // The order of the input does not matter.
        let mut reversed = scores.clone();
        reversed.reverse();
        let mut back = positions_by_score(&reversed);
        back.reverse();
        prop_assert_eq!(back, pos);
    }

    #[test]
    fn integers_read_as_written_and_print_for_people_and_machines(n in 0i64..i64::MAX) {
        let node = yaml::parse(&format!("v: {n}")).expect("yaml");
        let v = &node.as_map().expect("a map")[0].1;
        prop_assert_eq!(&v.value, &yaml::Value::Int(n));
        let vi = format::integer(i128::from(n), Lang::Vi);
        prop_assert_eq!(vi.replace('.', "").parse::<i64>().ok(), Some(n));
        let en = format::integer(i128::from(n), Lang::En);
        prop_assert_eq!(en.replace(',', "").parse::<i64>().ok(), Some(n));
    }

    #[test]
    fn plain_numbers_read_back_exactly_without_exponents(x in -1e15f64..1e15) {
        let s = format::plain(x);
        prop_assert!(!s.contains('e') && !s.contains('E'), "{}", s);
        prop_assert!(!s.ends_with(".0"), "{}", s);
        prop_assert_eq!(s.parse::<f64>().ok(), Some(x));
    }

    #[test]
    fn dates_read_back_from_their_machine_form(y in 2000i32..2100, m in 1u8..13, d in 1u8..32) {
        let iso = format!("{y:04}-{m:02}-{d:02}");
        match Date::parse_iso(&iso) {
            Some(date) => prop_assert_eq!(date.iso(), iso),
            None => prop_assert!(d > 28, "{} is a real date", iso),
        }
    }

    #[test]
    fn money_with_thousands_dots_is_never_divided_by_a_thousand(n in 1_000i64..1_000_000_000_000) {
        let grouped = format::integer(i128::from(n), Lang::Vi);
        let diags = validate_report(&format!("values:\n  budget_dx_vnd: {grouped}\n"));
        let money: Vec<_> = diags.iter().filter(|d| d.indicator.as_deref() == Some("budget_dx_vnd")).collect();
        prop_assert_eq!(money.len(), 1, "{:?}", diags);
        prop_assert_eq!(money[0].code.as_str(), "wrong-type");
        prop_assert!(money[0].message.contains(&format!("write {n},")), "{}", money[0].message);
    }

    #[test]
    fn whole_money_is_read_as_written(n in 0i64..1_000_000_000_000_000) {
        let diags = validate_report(&format!("values:\n  budget_dx_vnd: {n}\n"));
        prop_assert!(diags.iter().all(|d| d.indicator.is_none()), "{:?}", diags);
    }
}

/// The diagnostics of one report of the minimal good site.
fn validate_report(text: &str) -> Vec<minhbach::diag::Diagnostic> {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good-minimal");
    let read = |rel: &str| std::fs::read_to_string(fixtures.join(rel)).expect(rel);
    let files = vec![
        load::parse_source("site.yaml".into(), FileKind::Site, &read("site.yaml")),
        load::parse_source(
            "data/agencies.yaml".into(),
            FileKind::Agencies,
            &read("data/agencies.yaml"),
        ),
        load::parse_source(
            "data/reports/2022/so-noi-vu.yaml".into(),
            FileKind::Report {
                year_dir: "2022".into(),
                stem: "so-noi-vu".into(),
            },
            text,
        ),
    ];
    let loaded = Loaded {
        root: fixtures,
        files,
        deferred: Vec::new(),
    };
    validate::validate(&loaded).1 .0
}
