//! A value cell → a value of its indicator's kind, as the table of
//! IMPORT.md says: Vietnamese thousands dots and decimal comma, unit words,
//! yes/no words, percent signs, HTML tags, empty markers. Numbers are read
//! as exact decimals, so `510.000.000` is 510000000 and `5,1` tỷ đồng is
//! 5100000000 đồng without a float in between.

use crate::input::{Kind, Num, Val};
use crate::text::{fold_label, tidy};

use super::sheet::{shown_number, Cell};

/// What a readable cell gives.
#[derive(Debug, Clone, PartialEq)]
pub enum Read {
    /// Empty, `-`, `–`, `không có số liệu`: not reported, no key.
    NotReported,
    /// A value, with the unit word that followed the number (`mắt`).
    Value { val: Val, unit: Option<String> },
}

/// Why a cell cannot be read: what is wrong, then the fix.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueError {
    pub problem: String,
    pub fix: String,
}

fn err(problem: impl Into<String>, fix: impl Into<String>) -> ValueError {
    ValueError {
        problem: problem.into(),
        fix: fix.into(),
    }
}

/// A cell's text, cleaned, as people read it.
pub fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => tidy(s),
        other => other.shown(),
    }
}

/// Whether the cleaned text marks "no figure".
pub fn is_empty_marker(text: &str) -> bool {
    let f = fold_label(text);
    matches!(
        f.as_str(),
        "" | "-" | "–" | "—" | "--" | "khong co so lieu" | "chua co so lieu"
    )
}

/// An exact decimal: `mantissa / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    pub mantissa: i128,
    pub decimals: u32,
}

impl Decimal {
    fn is_whole(self) -> bool {
        self.decimals == 0
    }

    fn times(self, factor: i64) -> Decimal {
        let mut d = Decimal {
            mantissa: self.mantissa.saturating_mul(factor as i128),
            decimals: self.decimals,
        };
        while d.decimals > 0 && d.mantissa % 10 == 0 {
            d.mantissa /= 10;
            d.decimals -= 1;
        }
        d
    }

    fn to_num(self) -> Option<Num> {
        if self.decimals == 0 {
            return i64::try_from(self.mantissa).ok().map(Num::Int);
        }
        let x = self.mantissa as f64 / 10f64.powi(self.decimals as i32);
        x.is_finite().then_some(Num::Float(x))
    }

    fn negative(self) -> bool {
        self.mantissa < 0
    }

    fn plain(self) -> String {
        match self.to_num() {
            Some(n) => n.plain(),
            None => "?".to_string(),
        }
    }

    /// Trailing zeros dropped: `92,50` is 92.5.
    fn normalised(mut self) -> Decimal {
        while self.decimals > 0 && self.mantissa % 10 == 0 {
            self.mantissa /= 10;
            self.decimals -= 1;
        }
        self
    }
}

/// A number as written in a Vietnamese form: `1045`, `1.045`,
/// `510.000.000`, `92,5`, `1.045,5`, `-3`. `Err` carries a fix for
/// near misses (`1.5`, `510,000,000`).
pub fn parse_vn_number(s: &str) -> Result<Option<Decimal>, String> {
    let (neg, body) = match s.strip_prefix('-').or_else(|| s.strip_prefix('−')) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if body.is_empty() || !body.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return Ok(None);
    }
    let (int_part, frac_part) = match body.split_once(',') {
        Some((i, f)) => {
            if f.contains(',') {
                let digits: String = body.chars().filter(char::is_ascii_digit).collect();
                return Err(format!(
                    "write {digits} (Vietnamese numbers group thousands with dots: {}, and a comma is the decimal mark)",
                    group_dots(&digits)
                ));
            }
            if f.is_empty() || !f.chars().all(|c| c.is_ascii_digit()) {
                return Ok(None);
            }
            (i, Some(f))
        }
        None => (body, None),
    };
    let int_digits = if int_part.contains('.') {
        let groups: Vec<&str> = int_part.split('.').collect();
        let grouped = groups[0].len() <= 3
            && !groups[0].is_empty()
            && groups[1..].iter().all(|g| g.len() == 3);
        if !grouped {
            let shown = int_part.replacen('.', ",", 1);
            return Err(format!(
                "the decimal mark is a comma and dots group thousands: write {shown} if this is a decimal number, or the whole number without dots"
            ));
        }
        groups.concat()
    } else {
        int_part.to_string()
    };
    let frac = frac_part.unwrap_or("");
    let digits = format!("{int_digits}{frac}");
    let mantissa: i128 = match digits.parse() {
        Ok(m) => m,
        Err(_) => return Err("the number is too long; check the cell".to_string()),
    };
    Ok(Some(
        Decimal {
            mantissa: if neg { -mantissa } else { mantissa },
            decimals: frac.len() as u32,
        }
        .normalised(),
    ))
}

fn group_dots(digits: &str) -> String {
    let n = digits.len();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// How a text cell splits: a number, a unit word after it, a percent sign.
struct Split {
    number: Decimal,
    unit: Option<String>,
    percent: bool,
}

fn split_number(text: &str) -> Result<Option<Split>, String> {
    let t = text.trim();
    let end = t
        .char_indices()
        .find(|(i, c)| {
            !(c.is_ascii_digit()
                || *c == '.'
                || *c == ','
                || (*i == 0 && (*c == '-' || *c == '+' || *c == '−')))
        })
        .map(|(i, _)| i)
        .unwrap_or(t.len());
    let (num, rest) = t.split_at(end);
    let Some(number) = parse_vn_number(num.trim_end_matches(['.', ',']))? else {
        return Ok(None);
    };
    if num.ends_with(['.', ',']) && !rest.is_empty() {
        return Ok(None);
    }
    let rest = rest.trim();
    if rest.is_empty() {
        return Ok(Some(Split {
            number,
            unit: None,
            percent: false,
        }));
    }
    if rest == "%" {
        return Ok(Some(Split {
            number,
            unit: None,
            percent: true,
        }));
    }
    // A unit word: letters and spaces only (`mắt`, `người`, `tỷ đồng`),
    // maybe in brackets (`25 (người)`).
    let rest = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .map(str::trim)
        .unwrap_or(rest);
    if rest
        .chars()
        .all(|c| c.is_alphabetic() || c == ' ' || c == '.')
        && rest.chars().any(char::is_alphabetic)
    {
        return Ok(Some(Split {
            number,
            unit: Some(rest.to_string()),
            percent: false,
        }));
    }
    Ok(None)
}

/// The money multiple a unit word or label names: `tỷ đồng` → 10^9.
pub fn money_multiple(text: &str) -> Option<(i64, &'static str)> {
    let f = fold_label(text);
    if f.contains("ty dong") || f.contains("ty vnd") || f == "ty" {
        Some((1_000_000_000, "tỷ đồng"))
    } else if f.contains("trieu dong") || f.contains("trieu vnd") || f == "trieu" {
        Some((1_000_000, "triệu đồng"))
    } else if f.contains("nghin dong") || f.contains("ngan dong") || f == "nghin" {
        Some((1_000, "nghìn đồng"))
    } else {
        None
    }
}

fn kind_fix(kind: Kind) -> &'static str {
    match kind {
        Kind::Count => "this indicator is a count: write a whole number such as 1045",
        Kind::Number => "this indicator is a number: write it such as 1045 or 92,5",
        Kind::Percent => "this indicator is a percentage: write it such as 84,96%",
        Kind::MoneyVnd => "this indicator is an amount in đồng: write it such as 510.000.000",
        Kind::Flag => "this indicator is a yes/no: write Có or Không",
        Kind::Text => "",
    }
}

/// Reads `cell` as a value of `kind`. `scale` is the form row's `scale`;
/// `unit_hint` is the text of the row's label and unit column, where a
/// money unit (`tỷ đồng`) may be said.
pub fn read(
    cell: &Cell,
    kind: Kind,
    scale: Option<i64>,
    unit_hint: &str,
) -> Result<Read, ValueError> {
    match cell {
        Cell::Empty => return Ok(Read::NotReported),
        Cell::Error(e) => {
            return Err(err(
                format!("the cell shows the spreadsheet error {e}"),
                "fix the formula or type the figure",
            ))
        }
        Cell::Bool(b) => {
            return match kind {
                Kind::Flag => Ok(value(Val::Flag(*b), None)),
                Kind::Text => Ok(value(Val::Text(cell.shown()), None)),
                _ => Err(err(format!("found {}", cell.shown()), kind_fix(kind))),
            };
        }
        Cell::Date(d) => {
            return match kind {
                Kind::Text => Ok(value(Val::Text(d.clone()), None)),
                _ => Err(err(
                    format!("the cell is a date ({d})"),
                    format!("{}; format the cell as a number or text", kind_fix(kind)),
                )),
            };
        }
        Cell::Number(x) => {
            if kind == Kind::Text {
                return Ok(value(Val::Text(shown_number(*x)), None));
            }
            if kind == Kind::Flag {
                return Err(err(
                    format!("found the number {}", shown_number(*x)),
                    kind_fix(kind),
                ));
            }
            let d = parse_vn_number(&shown_number(*x).replace('.', ","))
                .ok()
                .flatten()
                .ok_or_else(|| err(format!("found {}", shown_number(*x)), kind_fix(kind)))?;
            return number_of(d, None, false, kind, scale, unit_hint, &shown_number(*x));
        }
        Cell::Text(_) => {}
    }
    let text = cell_text(cell);
    if is_empty_marker(&text) {
        return Ok(Read::NotReported);
    }
    match kind {
        Kind::Text => Ok(value(Val::Text(text), None)),
        Kind::Flag => match fold_label(&text).trim_end_matches(['.', '!']) {
            "co" | "x" | "yes" | "true" | "dung" => Ok(value(Val::Flag(true), None)),
            "khong" | "khong co" | "no" | "false" => Ok(value(Val::Flag(false), None)),
            _ => Err(err(format!("found \"{text}\""), kind_fix(kind))),
        },
        _ => match split_number(&text) {
            Ok(Some(s)) => number_of(s.number, s.unit, s.percent, kind, scale, unit_hint, &text),
            Ok(None) => Err(err(format!("found \"{text}\""), kind_fix(kind))),
            Err(fix) => Err(err(format!("found \"{text}\""), fix)),
        },
    }
}

fn value(val: Val, unit: Option<String>) -> Read {
    Read::Value { val, unit }
}

fn number_of(
    d: Decimal,
    unit: Option<String>,
    percent: bool,
    kind: Kind,
    scale: Option<i64>,
    unit_hint: &str,
    shown: &str,
) -> Result<Read, ValueError> {
    let found = format!("found \"{shown}\"");
    if percent && kind != Kind::Percent {
        return Err(err(
            found,
            format!(
                "{}, not a percentage",
                kind_fix(kind).trim_end_matches(" such as 1045")
            ),
        ));
    }
    if d.negative() && matches!(kind, Kind::Count | Kind::MoneyVnd | Kind::Percent) {
        return Err(err(format!("{found}, which is below 0"), kind_fix(kind)));
    }
    match kind {
        Kind::Count => {
            if unit.as_deref().and_then(money_multiple).is_some() {
                return Err(err(found, kind_fix(kind)));
            }
            if !d.is_whole() {
                // "1,517" is most likely 1517 typed the English way.
                // A number cell of 1.045: a spreadsheet in English took the
                // thousands dot of 1045 for a decimal point.
                let split = |sep| {
                    shown
                        .split_once(sep)
                        .filter(|(a, b): &(&str, &str)| {
                            a.len() <= 3 && b.len() == 3 && b.chars().all(|c| c.is_ascii_digit())
                        })
                        .map(|(a, b)| format!("{a}{b}"))
                };
                let fix = match (split(','), split('.')) {
                    (Some(n), _) => format!("a comma is the decimal mark: if this is {n}, write {n}"),
                    (None, Some(n)) => format!(
                        "the cell holds a decimal number: if this is {n}, type {n} (the spreadsheet read the thousands dot as a decimal point)"
                    ),
                    _ => "write the whole number; a comma is the decimal mark".to_string(),
                };
                return Err(err(format!("{found}: a count is a whole number"), fix));
            }
            Ok(value(Val::Num(num(d)?), unit))
        }
        Kind::Number => Ok(value(Val::Num(num(d)?), unit)),
        Kind::Percent => {
            if unit.is_some() {
                return Err(err(found, kind_fix(kind)));
            }
            let n = num(d)?;
            if !(0.0..=100.0).contains(&n.as_f64()) {
                return Err(err(
                    format!("{found}: a percentage is from 0 to 100"),
                    kind_fix(kind),
                ));
            }
            Ok(value(Val::Num(n), None))
        }
        Kind::MoneyVnd => {
            let said = unit
                .as_deref()
                .and_then(money_multiple)
                .or_else(|| money_multiple_in(unit_hint));
            let d = match (scale, said) {
                (Some(s), Some((m, words))) if s != m => {
                    return Err(err(
                        format!("{found}: the form says `scale: {s}` but the row is in {words}"),
                        format!("set `scale: {m}` on this form row"),
                    ))
                }
                (Some(s), _) => d.times(s),
                (None, Some((m, words))) => {
                    return Err(err(
                        format!("{found}: the amount is in {words}"),
                        format!(
                            "add `scale: {m}` to this form row so that it is converted to đồng"
                        ),
                    ))
                }
                (None, None) => d,
            };
            if !d.is_whole() {
                return Err(err(
                    format!("{found}: money is a whole number of đồng ({})", d.plain()),
                    "write the amount in đồng, or give the form row a `scale` when the form asks for triệu or tỷ đồng",
                ));
            }
            Ok(value(Val::Num(num(d)?), unit))
        }
        Kind::Flag | Kind::Text => Err(err(found, kind_fix(kind))),
    }
}

/// A money multiple said in a label: only explicit "(tỷ đồng)" / "triệu đồng".
fn money_multiple_in(hint: &str) -> Option<(i64, &'static str)> {
    let f = fold_label(hint);
    if f.contains("ty dong") {
        Some((1_000_000_000, "tỷ đồng"))
    } else if f.contains("trieu dong") {
        Some((1_000_000, "triệu đồng"))
    } else {
        None
    }
}

fn num(d: Decimal) -> Result<Num, ValueError> {
    d.to_num()
        .ok_or_else(|| err("the number is too large", "check the cell"))
}

/// Whether a cell holds only a number (for `misplaced-value`).
pub fn only_number(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Number(x) => Some(shown_number(*x)),
        Cell::Text(_) => {
            let t = cell_text(cell);
            match split_number(&t) {
                Ok(Some(s)) if s.unit.is_none() => Some(t),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    fn ok(cell: &Cell, kind: Kind) -> Val {
        match read(cell, kind, None, "") {
            Ok(Read::Value { val, .. }) => val,
            other => panic!("{cell:?} as {kind:?}: {other:?}"),
        }
    }

    fn bad(cell: &Cell, kind: Kind) -> ValueError {
        read(cell, kind, None, "").expect_err("an error")
    }

    fn none(cell: &Cell, kind: Kind) {
        assert_eq!(
            read(cell, kind, None, ""),
            Ok(Read::NotReported),
            "{cell:?}"
        );
    }

    const NUMERIC: [Kind; 3] = [Kind::Count, Kind::Number, Kind::MoneyVnd];

    #[test]
    fn number_cells() {
        for k in NUMERIC {
            assert_eq!(ok(&Cell::Number(43.0), k), Val::Num(Num::Int(43)));
        }
        assert_eq!(
            ok(&Cell::Number(43.0), Kind::Percent),
            Val::Num(Num::Int(43))
        );
        bad(&Cell::Number(43.0), Kind::Flag);
        assert_eq!(ok(&Cell::Number(43.0), Kind::Text), Val::Text("43".into()));
        assert_eq!(
            ok(&Cell::Number(92.5), Kind::Number),
            Val::Num(Num::Float(92.5))
        );
        bad(&Cell::Number(92.5), Kind::Count);
        assert!(bad(&Cell::Number(1.045), Kind::Count)
            .fix
            .contains("type 1045"));
        bad(&Cell::Number(-1.0), Kind::Count);
    }

    #[test]
    fn thousands_dots() {
        for k in NUMERIC {
            assert_eq!(ok(&t("510.000.000"), k), Val::Num(Num::Int(510_000_000)));
            assert_eq!(ok(&t("1.045"), k), Val::Num(Num::Int(1045)));
        }
        bad(&t("1.045"), Kind::Percent);
        bad(&t("1.045"), Kind::Flag);
        assert_eq!(
            ok(&t("510.000.000"), Kind::Text),
            Val::Text("510.000.000".into())
        );
        let e = bad(&t("1.5"), Kind::Number);
        assert!(e.fix.contains("1,5"), "{e:?}");
        let e = bad(&t("510,000,000"), Kind::MoneyVnd);
        assert!(e.fix.contains("write 510000000"), "{e:?}");
    }

    #[test]
    fn decimal_comma() {
        assert_eq!(ok(&t("92,5"), Kind::Number), Val::Num(Num::Float(92.5)));
        assert_eq!(ok(&t("92,5"), Kind::Percent), Val::Num(Num::Float(92.5)));
        assert_eq!(
            ok(&t("1.045,5"), Kind::Number),
            Val::Num(Num::Float(1045.5))
        );
        bad(&t("92,5"), Kind::Count);
        assert!(bad(&t("1,517"), Kind::Count).fix.contains("write 1517"));
        bad(&t("92,5"), Kind::MoneyVnd);
        bad(&t("92,5"), Kind::Flag);
        assert_eq!(ok(&t("92,5"), Kind::Text), Val::Text("92,5".into()));
    }

    #[test]
    fn unit_words() {
        for (s, n, u) in [
            ("09 mắt", 9, "mắt"),
            ("50 người", 50, "người"),
            ("04 chiếc", 4, "chiếc"),
        ] {
            for k in NUMERIC {
                match read(&t(s), k, None, "") {
                    Ok(Read::Value { val, unit }) => {
                        assert_eq!(val, Val::Num(Num::Int(n)));
                        assert_eq!(unit.as_deref(), Some(u));
                    }
                    other => panic!("{s}: {other:?}"),
                }
            }
            bad(&t(s), Kind::Percent);
            bad(&t(s), Kind::Flag);
            assert_eq!(ok(&t(s), Kind::Text), Val::Text(s.into()));
        }
        assert_eq!(
            ok(&t("92,5 điểm"), Kind::Number),
            Val::Num(Num::Float(92.5))
        );
    }

    #[test]
    fn percent_signs() {
        for s in ["84,96%", "84,96 %"] {
            for k in NUMERIC {
                bad(&t(s), k);
            }
            assert_eq!(ok(&t(s), Kind::Percent), Val::Num(Num::Float(84.96)));
            bad(&t(s), Kind::Flag);
            assert_eq!(ok(&t(s), Kind::Text), Val::Text(s.into()));
        }
        bad(&t("120%"), Kind::Percent);
    }

    #[test]
    fn yes_no_words() {
        for (s, b) in [
            ("Có", true),
            ("có", true),
            ("<i>có</i>", true),
            ("x", true),
            ("Không", false),
            ("không có", false),
        ] {
            assert_eq!(ok(&t(s), Kind::Flag), Val::Flag(b), "{s}");
            for k in [Kind::Count, Kind::Number, Kind::MoneyVnd, Kind::Percent] {
                bad(&t(s), k);
            }
        }
        assert_eq!(ok(&t("<i>có</i>"), Kind::Text), Val::Text("có".into()));
        assert_eq!(ok(&Cell::Bool(true), Kind::Flag), Val::Flag(true));
        let e = bad(&t("Đang triển khai"), Kind::Flag);
        assert!(e.fix.contains("yes/no"), "{e:?}");
    }

    #[test]
    fn empty_markers() {
        for s in ["", "  ", "-", "–", "không có số liệu", "Không có số liệu"] {
            for k in [
                Kind::Count,
                Kind::Number,
                Kind::MoneyVnd,
                Kind::Percent,
                Kind::Flag,
                Kind::Text,
            ] {
                none(&t(s), k);
            }
        }
        none(&Cell::Empty, Kind::Count);
    }

    #[test]
    fn other_text() {
        for k in [
            Kind::Count,
            Kind::Number,
            Kind::MoneyVnd,
            Kind::Percent,
            Kind::Flag,
        ] {
            let e = bad(&t("Đang triển khai"), k);
            assert!(e.problem.contains("Đang triển khai"), "{e:?}");
        }
        assert_eq!(
            ok(&t("Đang triển khai"), Kind::Text),
            Val::Text("Đang triển khai".into())
        );
        let e = bad(&t("1.045"), Kind::Percent);
        assert!(!e.fix.is_empty());
    }

    #[test]
    fn money_scale() {
        let r = read(
            &t("5,1"),
            Kind::MoneyVnd,
            Some(1_000_000_000),
            "Kinh phí (tỷ đồng)",
        );
        assert_eq!(
            r,
            Ok(Read::Value {
                val: Val::Num(Num::Int(5_100_000_000)),
                unit: None
            })
        );
        let r = read(&Cell::Number(1.25), Kind::MoneyVnd, Some(1_000_000), "");
        assert_eq!(
            r,
            Ok(Read::Value {
                val: Val::Num(Num::Int(1_250_000)),
                unit: None
            })
        );
        // Said in the label but no scale: an error, never 5 đồng.
        let e = read(&t("5"), Kind::MoneyVnd, None, "Kinh phí (tỷ đồng)").expect_err("scale");
        assert!(e.fix.contains("scale: 1000000000"), "{e:?}");
        let e = read(&t("5 triệu đồng"), Kind::MoneyVnd, Some(1_000_000_000), "")
            .expect_err("mismatch");
        assert!(e.fix.contains("1000000"), "{e:?}");
    }

    #[test]
    fn cleaning() {
        assert_eq!(tidy("  a <b>b</b>\n c&amp;d "), "a b c&d");
        assert_eq!(tidy("x < 5"), "x < 5");
        assert_eq!(only_number(&t("25")), Some("25".into()));
        assert_eq!(only_number(&t("Báo cáo 25")), None);
        assert_eq!(only_number(&Cell::Number(7.0)), Some("7".into()));
    }
}
