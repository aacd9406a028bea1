//! Rules and computations in words: for pages and `rubrics.csv` in the
//! reader's language ("≥ 90 %: 15 điểm; 60–90 %: tỷ lệ × 15; < 60 %: 0"),
//! and in plain English for the score-mismatch warning.

use super::{Applied, FigureUsed, LeafScore};
use crate::exact::Q;
use crate::format::{self, Lang};
use crate::input::rubric::{Points, Rule, RuleKind, Step};
use crate::input::{Catalog, Kind};

/// How numbers are written: for people in a language, or plain (warnings).
#[derive(Clone, Copy, PartialEq)]
pub enum Style {
    People(Lang),
    Plain,
}

impl Style {
    fn lang(self) -> Lang {
        match self {
            Style::People(l) => l,
            Style::Plain => Lang::En,
        }
    }

    fn num(self, q: Q) -> String {
        match self {
            Style::People(l) => q.people(l),
            Style::Plain => q.plain(2),
        }
    }

    fn int(self, i: i64) -> String {
        match self {
            Style::People(l) => format::integer(i128::from(i), l),
            Style::Plain => i.to_string(),
        }
    }

    fn vi(self) -> bool {
        self.lang() == Lang::Vi
    }

    fn pts(self, q: Q) -> String {
        if self.vi() {
            format!("{} điểm", self.num(q))
        } else if q == Q::int(1) {
            "1 point".to_string()
        } else {
            format!("{} points", self.num(q))
        }
    }

    fn rate(self) -> &'static str {
        if self.vi() {
            "tỷ lệ"
        } else {
            "rate"
        }
    }
}

/// The unit a threshold is written in: " %" for a rate, else the
/// indicator's ("đồng" for money).
fn unit(rule: &Rule, cat: &Catalog, style: Style) -> &'static str {
    if rule.on_rate {
        return " %";
    }
    match cat.indicator(&rule.figure).map(|i| i.kind) {
        Some(Kind::Percent) => " %",
        Some(Kind::MoneyVnd) => {
            if style.vi() {
                " đồng"
            } else {
                " VND"
            }
        }
        _ => "",
    }
}

fn step_points(p: &Points, max: Q, style: Style) -> String {
    match p {
        Points::Fixed(q) if q.is_zero() => "0".to_string(),
        Points::Fixed(q) => style.pts(*q),
        Points::Max => style.pts(max),
        Points::Proportional => format!("{} × {}", style.rate(), style.num(max)),
        Points::ScaledTo(s) => format!(
            "({} / {} %) × {}",
            style.rate(),
            style.num(*s),
            style.num(max)
        ),
    }
}

/// The range of step `i`: "≥ 90 %", "60–90 %"; `None` for below the last.
fn range(steps: &[Step], i: Option<usize>, unit: &str, style: Style) -> String {
    match i {
        Some(0) => format!("≥ {}{unit}", style.num(steps[0].from)),
        Some(i) => format!(
            "{}–{}{unit}",
            style.num(steps[i].from),
            style.num(steps[i - 1].from)
        ),
        None => format!(
            "< {}{unit}",
            style.num(steps.last().map(|s| s.from).unwrap_or(Q::ZERO))
        ),
    }
}

/// The rule in words: "≥ 90 %: 15 điểm; 60–90 %: tỷ lệ × 15; < 60 %: 0".
pub fn rule(rule: &Rule, max: Q, cat: &Catalog, style: Style) -> String {
    let vi = style.vi();
    let mut s = match &rule.kind {
        RuleKind::Proportional => format!("{} × {}", style.rate(), style.num(max)),
        RuleKind::Tiers(steps) => {
            let u = unit(rule, cat, style);
            let mut parts: Vec<String> = steps
                .iter()
                .enumerate()
                .map(|(i, st)| {
                    format!(
                        "{}: {}",
                        range(steps, Some(i), u, style),
                        step_points(&st.points, max, style)
                    )
                })
                .collect();
            if steps.last().is_some_and(|s| s.from > Q::ZERO) {
                parts.push(format!("{}: 0", range(steps, None, u, style)));
            }
            parts.join("; ")
        }
        RuleKind::YesNo => {
            if vi {
                format!("có: {}; không: 0", style.pts(max))
            } else {
                format!("yes: {}; no: 0", style.pts(max))
            }
        }
        RuleKind::PerItem(n) => {
            if vi {
                format!("mỗi mục {}, tối đa {}", style.pts(*n), style.num(max))
            } else {
                format!("{} each, at most {}", style.pts(*n), style.num(max))
            }
        }
        RuleKind::Deduct(n) => {
            if vi {
                format!("{}, mỗi mục trừ {}", style.pts(max), style.pts(*n))
            } else {
                format!("{}, minus {} each", style.pts(max), style.pts(*n))
            }
        }
        RuleKind::Judged => {
            if vi {
                "do đoàn đánh giá chấm".to_string()
            } else {
                "scored by the evaluators".to_string()
            }
        }
    };
    if let Some(p) = &rule.when_no_denominator {
        let what = if vi {
            "không có mẫu số"
        } else {
            "no denominator"
        };
        s.push_str(&format!("; {what}: {}", step_points(p, max, style)));
    }
    s
}

/// The figure used: "820 / 1.000 = 82,00 %", "có", "510.000.000 đồng".
pub fn figure(fig: &FigureUsed, rule: &Rule, cat: &Catalog, style: Style) -> String {
    match fig {
        FigureUsed::Rate {
            num, den, percent, ..
        } => match (percent, style) {
            (Some(p), Style::People(l)) => {
                format!(
                    "{} / {} = {}",
                    style.int(*num),
                    style.int(*den),
                    p.percent_people(l)
                )
            }
            (Some(p), Style::Plain) => format!("{num} / {den} = {} %", p.fixed2()),
            (None, _) => format!("{} / {}", style.int(*num), style.int(*den)),
        },
        FigureUsed::Number(q) => format!("{}{}", style.num(*q), unit(rule, cat, style)),
        FigureUsed::Flag(b) => match (b, style.vi()) {
            (true, true) => "có".to_string(),
            (false, true) => "không".to_string(),
            (true, false) => "yes".to_string(),
            (false, false) => "no".to_string(),
        },
    }
}

/// The computation of a leaf in plain English, for score-mismatch:
/// "docs_incoming_electronic 820 / docs_incoming_total 1000 = 82.00 %, 60–90 % → rate × 15".
pub fn computation(leaf: &LeafScore, rule: &Rule, cat: &Catalog) -> String {
    let style = Style::Plain;
    let fig = match &leaf.figure {
        Some(FigureUsed::Rate {
            numerator,
            denominator,
            num,
            den,
            percent,
        }) => match percent {
            Some(p) => format!("{numerator} {num} / {denominator} {den} = {} %", p.fixed2()),
            None => format!("{numerator} {num} / {denominator} {den}"),
        },
        Some(f) => format!("{} = {}", rule.figure, figure(f, rule, cat, style)),
        None => String::new(),
    };
    let max = leaf.max;
    let branch = match (leaf.applied, &rule.kind) {
        (Some(Applied::NoDenominator), _) => format!(
            "no denominator → {}",
            rule.when_no_denominator
                .as_ref()
                .map(|p| step_points(p, max, style))
                .unwrap_or_default()
        ),
        (Some(Applied::Step(i)), RuleKind::Tiers(steps)) => format!(
            "{} → {}",
            range(steps, Some(i), unit(rule, cat, style), style),
            step_points(&steps[i].points, max, style)
        ),
        (Some(Applied::Below), RuleKind::Tiers(steps)) => {
            format!("{} → 0", range(steps, None, unit(rule, cat, style), style))
        }
        (_, RuleKind::Proportional) => format!("rate × {}", style.num(max)),
        (_, RuleKind::YesNo) => format!("yes: {}; no: 0", style.num(max)),
        (_, RuleKind::PerItem(n)) => {
            format!("× {} each, at most {}", style.num(*n), style.num(max))
        }
        (_, RuleKind::Deduct(n)) => format!("{} − {} each", style.num(max), style.num(*n)),
        _ => String::new(),
    };
    let capped = match (&rule.kind, leaf.applied) {
        (RuleKind::Tiers(steps), Some(Applied::Step(i))) => match &steps[i].points {
            Points::Fixed(q) if *q > max => format!(", capped at {}", style.num(max)),
            _ => String::new(),
        },
        _ => String::new(),
    };
    format!("{fig}, {branch}{capped}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64) -> Q {
        Q::int(n)
    }

    fn rule(kind: RuleKind, on_rate: bool, wnd: Option<Points>) -> Rule {
        Rule {
            kind,
            figure: "x".to_string(),
            on_rate,
            when_no_denominator: wnd,
        }
    }

    #[test]
    fn rules_in_words_in_both_languages() {
        let cat = Catalog::default();
        let vi = Style::People(Lang::Vi);
        let en = Style::People(Lang::En);
        let tiers = rule(
            RuleKind::Tiers(vec![
                Step {
                    from: q(90),
                    points: Points::Max,
                },
                Step {
                    from: q(60),
                    points: Points::Proportional,
                },
            ]),
            true,
            None,
        );
        assert_eq!(
            super::rule(&tiers, q(15), &cat, vi),
            "≥ 90 %: 15 điểm; 60–90 %: tỷ lệ × 15; < 60 %: 0"
        );
        assert_eq!(
            super::rule(&tiers, q(15), &cat, en),
            "≥ 90 %: 15 points; 60–90 %: rate × 15; < 60 %: 0"
        );
        let scaled = rule(
            RuleKind::Tiers(vec![
                Step {
                    from: q(40),
                    points: Points::Max,
                },
                Step {
                    from: q(20),
                    points: Points::ScaledTo(q(40)),
                },
            ]),
            true,
            Some(Points::Max),
        );
        assert_eq!(
            super::rule(&scaled, q(10), &cat, vi),
            "≥ 40 %: 10 điểm; 20–40 %: (tỷ lệ / 40 %) × 10; < 20 %: 0; không có mẫu số: 10 điểm"
        );
        let half = Q::ratio(1, 2).expect("half");
        assert_eq!(
            super::rule(&rule(RuleKind::Deduct(half), false, None), q(5), &cat, vi),
            "5 điểm, mỗi mục trừ 0,5 điểm"
        );
        assert_eq!(
            super::rule(&rule(RuleKind::PerItem(q(4)), false, None), q(8), &cat, en),
            "4 points each, at most 8"
        );
        assert_eq!(
            super::rule(&rule(RuleKind::YesNo, false, None), q(1), &cat, en),
            "yes: 1 point; no: 0"
        );
        assert_eq!(
            super::rule(&rule(RuleKind::Judged, false, None), q(5), &cat, vi),
            "do đoàn đánh giá chấm"
        );
    }

    #[test]
    fn figures_for_people_and_for_warnings() {
        let cat = Catalog::default();
        let r = rule(RuleKind::Proportional, true, None);
        let fig = FigureUsed::Rate {
            numerator: "a".into(),
            denominator: "b".into(),
            num: 820,
            den: 1000,
            percent: Q::ratio(82000, 1000),
        };
        assert_eq!(
            figure(&fig, &r, &cat, Style::People(Lang::Vi)),
            "820 / 1.000 = 82,00 %"
        );
        assert_eq!(
            figure(&fig, &r, &cat, Style::People(Lang::En)),
            "820 / 1,000 = 82.00 %"
        );
        assert_eq!(figure(&fig, &r, &cat, Style::Plain), "820 / 1000 = 82.00 %");
        let zero = FigureUsed::Rate {
            numerator: "a".into(),
            denominator: "b".into(),
            num: 0,
            den: 0,
            percent: None,
        };
        assert_eq!(figure(&zero, &r, &cat, Style::People(Lang::Vi)), "0 / 0");
    }
}
