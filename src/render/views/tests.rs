use super::sitemap::sitemaps;
use super::*;

#[test]
fn sitemaps_split_past_the_protocol_limit() {
    let urls: Vec<String> = (0..5).map(|i| format!("https://x.vn/p{i}/")).collect();
    let one = sitemaps("https://x.vn/", &urls, 5);
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].0, "sitemap.xml");
    assert_eq!(one[0].1.matches("<url>").count(), 5);

    let split = sitemaps("https://x.vn/", &urls, 2);
    let names: Vec<&str> = split.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "sitemap.xml",
            "sitemap-1.xml",
            "sitemap-2.xml",
            "sitemap-3.xml"
        ]
    );
    assert!(split[0].1.contains("<sitemapindex"));
    assert!(split[0].1.contains("<loc>https://x.vn/sitemap-3.xml</loc>"));
    let listed: usize = split[1..]
        .iter()
        .map(|(_, xml)| xml.matches("<url>").count())
        .sum();
    assert_eq!(listed, 5);
    assert!(split[3].1.contains("https://x.vn/p4/"));
    assert!(split[1..]
        .iter()
        .all(|(_, x)| x.matches("<url>").count() <= 2));
}

fn chart(svg: &str) -> DrawnChart {
    DrawnChart {
        id: "c".into(),
        title: String::new(),
        svg: svg.into(),
        standalone: String::new(),
        desc: String::new(),
        phone: String::new(),
        phone_size: (0, 0),
        csv: String::new(),
        table_head: Vec::new(),
        table_rows: Vec::new(),
        time: std::time::Duration::ZERO,
    }
}

#[test]
fn charts_fill_their_slots_after_minification() {
    let html = format!(
        "<div>{}</div><p>x</p><div>{}</div>",
        chart_slot(1),
        chart_slot(0)
    );
    let out = fill_chart_slots(
        html.as_bytes(),
        &[chart("<svg>A</svg>"), chart("<svg>B</svg>")],
    );
    assert_eq!(
        String::from_utf8(out).expect("utf-8"),
        "<div><svg>B</svg></div><p>x</p><div><svg>A</svg></div>"
    );
    // A slot with no chart stays as it was; a page with no charts is untouched.
    let html = format!("<div>{}</div>", chart_slot(5));
    assert_eq!(
        fill_chart_slots(html.as_bytes(), &[chart("<svg/>")]),
        html.as_bytes()
    );
    assert_eq!(fill_chart_slots(b"<p>\xee</p>", &[]), b"<p>\xee</p>");
}

#[test]
fn fill_replaces_placeholders() {
    assert_eq!(fill("{a} and {b}", &[("a", "1"), ("b", "2")]), "1 and 2");
}

/// The figures written from exact integers are the ones the float
/// formatting gives, in both languages, up to the edges of exactness.
#[test]
fn exact_cells_are_the_float_forms() {
    use super::fmt::{
        integer_texts, money_int, people_text, percent_text, percent_texts, plain_percent, sort_key,
    };
    use crate::format::{self, Lang};
    use crate::input::{Kind, Num};
    use crate::model::Percent;
    let mut ks: Vec<i64> = (-30_000..30_000).collect();
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..20_000 {
        // xorshift: spread over every magnitude
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let k = (x >> (x % 64)) as i64;
        ks.extend([k, -k]);
    }
    let edges = [1i64 << 40, 1 << 53, i64::MAX, i64::MIN + 1, i64::MIN];
    for e in edges {
        ks.extend([e.saturating_sub(1), e, e.saturating_add(1)]);
    }
    for &k in &ks {
        let p = Percent(k);
        for l in [Lang::Vi, Lang::En] {
            assert_eq!(percent_text(p, l), format::percent(p.as_f64(), l), "{k}");
            assert_eq!(money_int(k, l), format::money_vnd(k as f64, l), "{k}");
            let integer = format::integer(i128::from(k), l);
            assert_eq!(people_text(k, l).as_str(), Some(integer.as_str()), "{k}");
            for (kind, shown) in [
                (Kind::Number, integer.clone()),
                (Kind::Count, integer.clone()),
                (Kind::MoneyVnd, money_int(k, l)),
                (Kind::Percent, format!("{integer}%")),
            ] {
                match integer_texts(k, kind, l) {
                    Some((text, sort)) => {
                        assert_eq!(text.as_str(), Some(shown.as_str()), "{k}");
                        assert_eq!(sort.as_str(), sort_key(Num::Int(k)).as_str(), "{k}");
                    }
                    None => assert!(k.unsigned_abs() > 1 << 53, "{k}"),
                }
            }
        }
        assert_eq!(plain_percent(p).as_str(), Some(p.plain().as_str()), "{k}");
        for l in [Lang::Vi, Lang::En] {
            match percent_texts(p, l) {
                Some((text, sort)) => {
                    assert_eq!(text.as_str(), Some(percent_text(p, l).as_str()), "{k}");
                    assert_eq!(sort.as_str(), plain_percent(p).as_str(), "{k}");
                }
                None => assert!(k.unsigned_abs() > 1 << 40, "{k}"),
            }
        }
        assert_eq!(
            sort_key(Num::Int(k)).as_str(),
            Some((k as f64).to_string().as_str()),
            "{k}"
        );
    }
    assert_eq!(sort_key(Num::Float(92.5)).as_str(), Some("92.5"));
}

/// `fill` as it was: each argument replaces its placeholders in turn.
fn fill_by_replace(template: &str, args: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (k, v) in args {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

proptest::proptest! {
    /// The one-pass fill gives what replacing in turn gives, whatever the
    /// braces of the text and of the values.
    #[test]
    fn fill_is_replacing_in_turn(
        template in "[{}abx ]{0,16}",
        a in "[{}ab1]{0,4}",
        b in "[{}ab2]{0,4}",
        first_b in proptest::bool::ANY,
    ) {
        let args: Vec<(&str, String)> = if first_b {
            vec![("b", b), ("a", a), ("b", "3".into())]
        } else {
            vec![("a", a), ("b", b)]
        };
        proptest::prop_assert_eq!(fill(&template, &args), fill_by_replace(&template, &args));
    }
}

#[test]
fn fill_keeps_what_is_not_a_placeholder() {
    let args = [("a", "1".to_string()), ("b", "{a}".to_string())];
    assert_eq!(
        fill("{b} {a} {c} }{", &args),
        fill_by_replace("{b} {a} {c} }{", &args)
    );
    assert_eq!(fill("{{a}}", &[("a", "b"), ("b", "2")]), "2");
    assert_eq!(fill("x {n}%", &[("n", "7")]), "x 7%");
}

proptest::proptest! {
    /// The marker search finds what the plain search finds, wherever the
    /// marker's bytes are.
    #[test]
    fn slots_are_found_as_by_windows(
        hay in proptest::collection::vec(proptest::sample::select(vec![0xeeu8, 0x80, b'm', b'a', 0xe1]), 0..40),
        needle in proptest::collection::vec(proptest::sample::select(vec![0xeeu8, 0x80, b'm']), 1..4),
    ) {
        let plain = hay.windows(needle.len()).position(|w| w == needle.as_slice());
        proptest::prop_assert_eq!(super::slots::find(&hay, &needle), plain);
    }
}
