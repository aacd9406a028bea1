use super::fields::*;
use super::report::REPORT_FIELDS;
use super::*;
use crate::yaml;

/// Reports read during validation (builds) and read up front (serve)
/// give the same input and the same diagnostics, in the same order.
#[test]
fn deferred_reports_validate_like_loaded_ones() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut roots = vec![fixtures.join("seeds-site"), fixtures.join("good-minimal")];
    let bad = fixtures.join("bad");
    let mut cases: Vec<_> = std::fs::read_dir(&bad)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    cases.retain(|p| p.is_dir());
    cases.sort();
    assert!(cases.len() >= 13, "the bad fixtures are missing");
    roots.extend(cases);
    for root in roots {
        let eager = crate::load::load(&root);
        let deferred = crate::load::load_deferred(&root);
        assert!(eager.deferred.is_empty());
        assert!(!deferred.deferred.is_empty(), "{}", root.display());
        let (a, da) = validate(&eager);
        let (b, db) = validate(&deferred);
        assert_eq!(a, b, "{}", root.display());
        assert_eq!(da.0, db.0, "{}", root.display());
    }
}

#[test]
fn ids() {
    assert!(is_id("so-noi-vu"));
    assert!(is_id("dvctt_uptake"));
    assert!(is_id("t01-xa-001"));
    assert!(!is_id("So Tu Phap"));
    assert!(!is_id("so--noi"));
    assert!(!is_id("-so"));
    assert!(!is_id("sở"));
    assert!(!is_id(&"a".repeat(65)));
    assert_eq!(id_hint("Sở Tư Pháp"), "so-tu-phap");
}

#[test]
fn urls() {
    assert!(is_safe_url("https://songoaivu.hatinh.gov.vn"));
    assert!(is_safe_url("http://x.vn/a?b=c"));
    assert!(is_safe_url("mailto:a@b.vn"));
    assert!(!is_safe_url("javascript:alert(1)"));
    assert!(!is_safe_url("https://"));
    assert!(!is_safe_url("/relative"));
    assert!(!is_safe_url("https://x.vn/\"onmouseover=1"));
}

#[test]
fn flags_accept_vietnamese_and_english() {
    let node = |s: &str| {
        yaml::parse(&format!("v: {s}"))
            .expect("yaml")
            .as_map()
            .expect("map")[0]
            .1
            .clone()
    };
    assert_eq!(flag_from(&node("có")), Some(true));
    assert_eq!(flag_from(&node("Có")), Some(true));
    assert_eq!(flag_from(&node("KHÔNG")), Some(false));
    assert_eq!(flag_from(&node("yes")), Some(true));
    assert_eq!(flag_from(&node("No")), Some(false));
    assert_eq!(flag_from(&node("true")), Some(true));
    assert_eq!(flag_from(&node("false")), Some(false));
    assert_eq!(flag_from(&node("co")), None);
    assert_eq!(flag_from(&node("1")), None);
}

#[test]
fn number_hints() {
    let node = |s: &str| {
        yaml::parse(&format!("v: {s}"))
            .expect("yaml")
            .as_map()
            .expect("map")[0]
            .1
            .clone()
    };
    assert_eq!(
        number_hint(&node("\"1.045\"")),
        " (write 1045, without thousands separators)"
    );
    assert_eq!(
        number_hint(&node("1.517")),
        " (write 1517, without thousands separators)"
    );
    assert_eq!(
        number_hint(&node("\"510.000.000\"")),
        " (write 510000000, without thousands separators)"
    );
    assert_eq!(
        number_hint(&node("\"92,5\"")),
        " (write 92.5, with a decimal point)"
    );
    assert_eq!(number_hint(&node("12.5")), "");
}

#[test]
fn suggestions() {
    assert_eq!(
        suggest("valeus", REPORT_FIELDS.iter().copied()),
        " (did you mean `values`?)"
    );
    assert_eq!(
        suggest(
            "dosiers_total",
            ["dossiers_total", "docs_outgoing_total"].into_iter()
        ),
        " (did you mean `dossiers_total`?)"
    );
    assert_eq!(suggest("zzz", REPORT_FIELDS.iter().copied()), "");
}

#[test]
fn core_catalogue_is_complete() {
    let cat = core_catalog();
    assert_eq!(cat.indicators.len(), 42);
    assert_eq!(cat.rates.len(), 12);
    assert_eq!(cat.groups.len(), 8);
    for r in &cat.rates {
        assert_eq!(
            cat.indicator(&r.numerator).map(|i| i.kind),
            Some(Kind::Count),
            "{}",
            r.id
        );
        assert_eq!(
            cat.indicator(&r.denominator).map(|i| i.kind),
            Some(Kind::Count),
            "{}",
            r.id
        );
    }
    for i in &cat.indicators {
        assert!(cat.group(&i.group).is_some(), "{}", i.id);
        if let Some(t) = &i.at_most {
            assert!(cat.indicator(t).is_some(), "{}", i.id);
        }
    }
    let headline: Vec<&str> = cat.headline_rates().map(|r| r.id.as_str()).collect();
    assert_eq!(
        headline,
        [
            "dvctt_uptake",
            "procedures_full_rate",
            "signed_outgoing_rate"
        ]
    );
}
