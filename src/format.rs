//! Number, percent and date formatting: Vietnamese and English for people,
//! plain machine forms for open data.
//!
//! People read `1.517`, `84,96%` and `24/11/2022` on Vietnamese pages and
//! `1,517`, `84.96%` and `24 Nov 2022` on English ones; open data always gets
//! `1517`, `84.96` and `2022-11-24`.

use serde::Serialize;

/// A language the site is built in. Only the formatting conventions differ
/// here; UI strings live in the theme's translation files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    /// The formatting conventions for a language code; anything that is not
    /// Vietnamese is formatted the English way.
    pub fn from_code(code: &str) -> Lang {
        if code.eq_ignore_ascii_case("vi") {
            Lang::Vi
        } else {
            Lang::En
        }
    }

    pub(crate) fn separators(self) -> (char, char) {
        match self {
            Lang::Vi => ('.', ','),
            Lang::En => (',', '.'),
        }
    }
}

/// Where the groups of a number of `len` ASCII digits end, in order: a
/// first group of one to three digits, then whole groups of three (the
/// separator goes between them).
pub(crate) fn group_ends(len: usize) -> impl Iterator<Item = usize> {
    let head = match len % 3 {
        0 => len.min(3),
        r => r,
    };
    (head..=len).step_by(3)
}

/// Appends the digits of a non-negative integer string grouped in threes.
fn push_grouped(out: &mut String, digits: &str, sep: char) {
    let len = digits.len();
    if digits.is_ascii() {
        let mut start = 0;
        for end in group_ends(len) {
            if start > 0 {
                out.push(sep);
            }
            out.push_str(&digits[start..end]);
            start = end;
        }
        return;
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
}

/// An integer for people: `1.517` (vi), `1,517` (en).
pub fn integer(n: i128, lang: Lang) -> String {
    let mut out = String::with_capacity(16);
    push_integer(&mut out, n, lang);
    out
}

/// [`integer`], appended to `out` (a caller that only copies the text
/// elsewhere reuses one string).
pub fn push_integer(out: &mut String, n: i128, lang: Lang) {
    let (thousands, _) = lang.separators();
    let mut buf = [0u8; 40];
    let digits = decimal_digits(n.unsigned_abs(), &mut buf);
    if n < 0 {
        out.push('−');
    }
    push_grouped(out, digits, thousands);
}

/// The decimal digits of `a`, written at the end of `buf` (a u64 has at
/// most 20), with no allocation: the one digit writer behind the whole
/// numbers written by hand (figures for people, chart coordinates, sort
/// keys, CSV and workbook cells).
pub(crate) fn digits<const N: usize>(mut a: u64, buf: &mut [u8; N]) -> &[u8] {
    const { assert!(N >= 20, "a u64 has up to 20 digits") };
    let mut i = N;
    loop {
        i -= 1;
        buf[i] = b'0' + (a % 10) as u8;
        a /= 10;
        if a == 0 {
            break;
        }
    }
    &buf[i..]
}

/// The decimal digits of `a`, written at the end of `buf` (a u128 has at
/// most 39): [`digits`], with u64 arithmetic, when it fits.
fn decimal_digits(a: u128, buf: &mut [u8; 40]) -> &str {
    let written = match u64::try_from(a) {
        Ok(a) => digits(a, buf),
        Err(_) => {
            let mut i = buf.len();
            let mut a = a;
            loop {
                i -= 1;
                buf[i] = b'0' + (a % 10) as u8;
                a /= 10;
                if a == 0 {
                    break;
                }
            }
            &buf[i..]
        }
    };
    // Only ASCII digits were written.
    std::str::from_utf8(written).unwrap_or_default()
}

/// A number for people with at most `max_decimals` decimals, trailing zeros
/// dropped: `92,5` (vi), `510.000.000` (vi), `92.5` (en).
pub fn number(x: f64, max_decimals: usize, lang: Lang) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let (thousands, decimal) = lang.separators();
    let fixed = round_half_away(x.abs(), max_decimals);
    let (int_part, frac_part) = match fixed.split_once('.') {
        Some((i, f)) => (i, f.trim_end_matches('0')),
        None => (fixed.as_str(), ""),
    };
    for_people(x < 0.0, int_part, frac_part, thousands, decimal)
}

/// A rounded figure for people: `int_part` grouped, then `frac_part` after
/// the decimal separator when there is one, with a minus sign when
/// `negative` and some digit is not zero (−0,00 shows as 0,00).
fn for_people(
    negative: bool,
    int_part: &str,
    frac_part: &str,
    thousands: char,
    decimal: char,
) -> String {
    let len = int_part.len() + frac_part.len();
    // Room for the separators, a sign and a percent sign.
    let mut out = String::with_capacity(len + len / 3 + 5);
    let nonzero = |p: &str| p.bytes().any(|b| b.is_ascii_digit() && b != b'0');
    if negative && (nonzero(int_part) || nonzero(frac_part)) {
        out.push('−');
    }
    push_grouped(&mut out, int_part, thousands);
    if !frac_part.is_empty() {
        out.push(decimal);
        out.push_str(frac_part);
    }
    out
}

/// `x` (not negative) with exactly `decimals` decimals, rounded half away
/// from zero on its shortest decimal form, like the rates: the median
/// 73.335 shows as 73.34, where `format!("{:.2}")` rounds the binary double
/// just below it (73.33499999999999…) down to 73.33. Rounded in place in
/// the shortest form's own buffer.
fn round_half_away(x: f64, decimals: usize) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(24 + decimals);
    // Writing into a String cannot fail.
    let _ = write!(s, "{x}");
    let Some(dot) = s.find('.') else {
        if decimals > 0 {
            s.push('.');
            s.extend(std::iter::repeat_n('0', decimals));
        }
        return s;
    };
    let frac_len = s.len() - dot - 1;
    if frac_len <= decimals {
        s.extend(std::iter::repeat_n('0', decimals - frac_len));
        return s;
    }
    let round_up = s.as_bytes()[dot + 1 + decimals] >= b'5';
    s.truncate(if decimals == 0 {
        dot
    } else {
        dot + 1 + decimals
    });
    if round_up {
        // Add one to the last digit kept, carrying over nines (and past
        // the decimal point).
        let mut bytes = std::mem::take(&mut s).into_bytes();
        let mut carry = true;
        for b in bytes.iter_mut().rev() {
            match *b {
                b'.' => continue,
                b'9' => *b = b'0',
                _ => {
                    *b += 1;
                    carry = false;
                    break;
                }
            }
        }
        if carry {
            bytes.insert(0, b'1');
        }
        s = String::from_utf8(bytes).unwrap_or_default();
    }
    s
}

/// A percentage for people, always with two decimals: `84,96%` (vi),
/// `84.96%` (en).
pub fn percent(p: f64, lang: Lang) -> String {
    let mut out = fixed(p, 2, lang);
    out.push('%');
    out
}

/// A number with exactly `decimals` decimals, grouped: `1.234,50` (vi).
pub fn fixed(x: f64, decimals: usize, lang: Lang) -> String {
    let (thousands, decimal) = lang.separators();
    let s = round_half_away(x.abs(), decimals);
    let (int_part, frac_part) = s.split_once('.').unwrap_or((&s, ""));
    for_people(x < 0.0, int_part, frac_part, thousands, decimal)
}

/// A signed change for people: `+8`, `−2`, `0`.
pub fn signed(n: i64, lang: Lang) -> String {
    match n.signum() {
        1 => format!("+{}", integer(n as i128, lang)),
        -1 => integer(n as i128, lang),
        _ => "0".to_string(),
    }
}

/// What comes before and after an amount in đồng for people.
pub fn money_affixes(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::Vi => ("", " đ"),
        Lang::En => ("VND ", ""),
    }
}

/// A money amount in đồng for people: `510.000.000 đ` (vi), `VND 510,000,000` (en).
pub fn money_vnd(x: f64, lang: Lang) -> String {
    let (before, after) = money_affixes(lang);
    format!("{before}{}{after}", number(x, 0, lang))
}

/// A calendar date for people: `24/11/2022` (vi), `24 Nov 2022` (en).
pub fn date(d: Date, lang: Lang) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    match lang {
        Lang::Vi => format!("{:02}/{:02}/{}", d.day, d.month, d.year),
        Lang::En => format!(
            "{} {} {}",
            d.day,
            MONTHS[usize::from(d.month.clamp(1, 12)) - 1],
            d.year
        ),
    }
}

/// A calendar date, as found in report periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking the day exists in that month.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let mut it = s.trim().splitn(3, '-');
        let (y, m, d) = (it.next()?, it.next()?, it.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        (date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= date.days_in_month())
            .then_some(date)
    }

    fn days_in_month(self) -> u8 {
        match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            _ if (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0 => 29,
            _ => 28,
        }
    }

    /// The machine form: `2022-11-24`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A number in its shortest plain machine form: `496`, `92.5`, `510000000`
/// (no separators, no trailing `.0`, no exponent).
pub fn plain(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e18 {
        return format!("{}", x as i64);
    }
    // Rust's Display for f64 is the shortest round-tripping form and never
    // uses an exponent.
    format!("{x}")
}

/// The mean of two numbers, computed on their shortest decimal forms: the
/// median of 50.01 and 50.03 is 50.02, not the binary float artefact
/// 50.019999999999996 that `(a + b) / 2.0` gives.
pub fn midpoint(a: f64, b: f64) -> f64 {
    exact_midpoint(a, b).unwrap_or((a + b) / 2.0)
}

fn exact_midpoint(a: f64, b: f64) -> Option<f64> {
    let ((ma, ea), (mb, eb)) = (decimal(a)?, decimal(b)?);
    let e = ea.max(eb);
    let scale = |m: i128, from: u32| m.checked_mul(10i128.checked_pow(e - from)?);
    let sum = scale(ma, ea)?.checked_add(scale(mb, eb)?)?;
    // sum / 2 = sum × 5 / 10, exactly.
    let (m, e) = if sum % 2 == 0 {
        (sum / 2, e)
    } else {
        (sum.checked_mul(5)?, e + 1)
    };
    format!("{m}e-{e}").parse().ok()
}

/// A finite number as the digits of its shortest form and the count of
/// its decimals: 50.01 → (5001, 2).
fn decimal(x: f64) -> Option<(i128, u32)> {
    if !x.is_finite() {
        return None;
    }
    let s = format!("{x}");
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let digits = format!("{int}{frac}").parse().ok()?;
    Some((digits, u32::try_from(frac.len()).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The formatting as it was written first, with a String per step: the
    /// oracle of the in-place versions above.
    mod oracle {
        use super::Lang;

        fn group_digits(digits: &str, sep: char) -> String {
            let len = digits.len();
            let mut out = String::with_capacity(len + len / 3);
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (len - i).is_multiple_of(3) {
                    out.push(sep);
                }
                out.push(c);
            }
            out
        }

        pub fn integer(n: i128, lang: Lang) -> String {
            let (thousands, _) = lang.separators();
            let grouped = group_digits(&n.unsigned_abs().to_string(), thousands);
            if n < 0 {
                format!("−{grouped}")
            } else {
                grouped
            }
        }

        pub fn number(x: f64, max_decimals: usize, lang: Lang) -> String {
            if !x.is_finite() {
                return String::new();
            }
            let (thousands, decimal) = lang.separators();
            let fixed = round_half_away(x.abs(), max_decimals);
            let (int_part, frac_part) = match fixed.split_once('.') {
                Some((i, f)) => (i.to_string(), f.trim_end_matches('0').to_string()),
                None => (fixed.clone(), String::new()),
            };
            let mut out = String::new();
            let is_zero = int_part.chars().all(|c| c == '0') && frac_part.is_empty();
            if x < 0.0 && !is_zero {
                out.push('−');
            }
            out.push_str(&group_digits(&int_part, thousands));
            if !frac_part.is_empty() {
                out.push(decimal);
                out.push_str(&frac_part);
            }
            out
        }

        fn round_half_away(x: f64, decimals: usize) -> String {
            let shortest = format!("{x}");
            let (int, frac) = shortest.split_once('.').unwrap_or((&shortest, ""));
            if frac.len() <= decimals {
                return if decimals == 0 {
                    int.to_string()
                } else {
                    format!("{int}.{frac:0<decimals$}")
                };
            }
            let mut digits: Vec<u8> = int.bytes().chain(frac.bytes().take(decimals)).collect();
            if frac.as_bytes()[decimals] >= b'5' {
                let mut i = digits.len();
                loop {
                    if i == 0 {
                        digits.insert(0, b'1');
                        break;
                    }
                    i -= 1;
                    if digits[i] == b'9' {
                        digits[i] = b'0';
                    } else {
                        digits[i] += 1;
                        break;
                    }
                }
            }
            let digits = String::from_utf8(digits).unwrap_or_default();
            let (int, frac) = digits.split_at(digits.len() - decimals);
            if decimals == 0 {
                int.to_string()
            } else {
                format!("{int}.{frac}")
            }
        }

        pub fn percent(p: f64, lang: Lang) -> String {
            format!("{}%", fixed(p, 2, lang))
        }

        pub fn fixed(x: f64, decimals: usize, lang: Lang) -> String {
            let (thousands, decimal) = lang.separators();
            let s = round_half_away(x.abs(), decimals);
            let (int_part, frac_part) = s.split_once('.').unwrap_or((&s, ""));
            let mut out = String::new();
            if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
                out.push('−');
            }
            out.push_str(&group_digits(int_part, thousands));
            if !frac_part.is_empty() {
                out.push(decimal);
                out.push_str(frac_part);
            }
            out
        }
    }

    fn same_as_oracle(x: f64) {
        for lang in [Lang::Vi, Lang::En] {
            for d in 0..=4 {
                assert_eq!(
                    fixed(x, d, lang),
                    oracle::fixed(x, d, lang),
                    "fixed {x:?} {d}"
                );
                assert_eq!(
                    number(x, d, lang),
                    oracle::number(x, d, lang),
                    "number {x:?} {d}"
                );
            }
            assert_eq!(percent(x, lang), oracle::percent(x, lang), "percent {x:?}");
        }
    }

    #[test]
    fn in_place_formatting_matches_the_oracle_on_edges() {
        for x in [
            0.0,
            -0.0,
            0.5,
            0.05,
            0.005,
            0.995,
            9.995,
            99.995,
            999.5,
            1e15,
            1.5e17,
            123456789.125,
            73.335,
            58.235,
            -0.004,
            -0.005,
            -999.9999,
            5e-324,
            f64::MAX,
            f64::MIN,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            100.0,
            84.96,
            9.0,
            99.0,
        ] {
            same_as_oracle(x);
        }
        for n in [
            0i128,
            7,
            -7,
            999,
            1000,
            -1000,
            1_234_567,
            i128::MAX,
            i128::MIN,
        ] {
            for lang in [Lang::Vi, Lang::En] {
                assert_eq!(integer(n, lang), oracle::integer(n, lang));
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn in_place_formatting_matches_the_oracle(bits in proptest::prelude::any::<u64>(), cents in -1_000_000_000i64..1_000_000_000, n in proptest::prelude::any::<i64>()) {
            same_as_oracle(f64::from_bits(bits));
            same_as_oracle(cents as f64 / 1000.0);
            same_as_oracle(cents as f64 / 100.0 + 0.005);
            for lang in [Lang::Vi, Lang::En] {
                proptest::prop_assert_eq!(integer(i128::from(n), lang), oracle::integer(i128::from(n), lang));
            }
        }
    }

    #[test]
    fn rounding_for_people_is_half_away_from_zero_on_the_decimals() {
        assert_eq!(percent(73.335, Lang::Vi), "73,34%");
        assert_eq!(percent(midpoint(73.33, 73.34), Lang::En), "73.34%");
        assert_eq!(percent(99.995, Lang::En), "100.00%");
        assert_eq!(percent(0.004, Lang::En), "0.00%");
        assert_eq!(fixed(-2.345, 2, Lang::En), "−2.35");
        assert_eq!(fixed(1234.5, 0, Lang::Vi), "1.235");
        assert_eq!(fixed(9.5, 0, Lang::En), "10");
        assert_eq!(number(92.125, 2, Lang::Vi), "92,13");
        assert_eq!(number(0.1 + 0.2, 2, Lang::En), "0.3");
        assert_eq!(number(1e20, 0, Lang::En), "100,000,000,000,000,000,000");
    }

    #[test]
    fn midpoints_are_exact_decimals() {
        assert_eq!(plain(midpoint(50.01, 50.03)), "50.02");
        assert_eq!((50.01 + 50.03) / 2.0, 50.019999999999996);
        assert_eq!(plain(midpoint(50.01, 50.02)), "50.015");
        assert_eq!(plain(midpoint(0.1, 0.2)), "0.15");
        assert_eq!(plain(midpoint(-0.5, 2.0)), "0.75");
        assert_eq!(plain(midpoint(3.0, 4.0)), "3.5");
        assert_eq!(plain(midpoint(84.96, 31.23)), "58.095");
        assert_eq!(midpoint(1e300, 1e300), 1e300);
    }

    #[test]
    fn vietnamese_and_english_numbers() {
        assert_eq!(integer(1517, Lang::Vi), "1.517");
        assert_eq!(integer(510_000_000, Lang::Vi), "510.000.000");
        assert_eq!(integer(1517, Lang::En), "1,517");
        assert_eq!(integer(999, Lang::Vi), "999");
        assert_eq!(integer(0, Lang::Vi), "0");
        assert_eq!(integer(-1200, Lang::Vi), "−1.200");
        assert_eq!(
            integer(i128::MIN, Lang::En),
            "−170,141,183,460,469,231,731,687,303,715,884,105,728"
        );
        assert_eq!(
            integer(i128::from(u64::MAX) + 1, Lang::Vi),
            "18.446.744.073.709.551.616"
        );
        assert_eq!(number(92.5, 2, Lang::Vi), "92,5");
        assert_eq!(number(92.5, 2, Lang::En), "92.5");
        assert_eq!(number(1234.0, 2, Lang::Vi), "1.234");
        assert_eq!(percent(84.96, Lang::Vi), "84,96%");
        assert_eq!(percent(100.0, Lang::En), "100.00%");
        assert_eq!(percent(0.0, Lang::Vi), "0,00%");
        assert_eq!(signed(8, Lang::Vi), "+8");
        assert_eq!(signed(-2, Lang::Vi), "−2");
        assert_eq!(money_vnd(510_000_000.0, Lang::Vi), "510.000.000 đ");
    }

    #[test]
    fn dates() {
        let d = Date::parse_iso("2022-11-24").expect("valid date");
        assert_eq!(date(d, Lang::Vi), "24/11/2022");
        assert_eq!(date(d, Lang::En), "24 Nov 2022");
        assert_eq!(d.iso(), "2022-11-24");
        assert!(Date::parse_iso("2022-02-29").is_none());
        assert!(Date::parse_iso("2024-02-29").is_some());
        assert!(Date::parse_iso("2022-13-01").is_none());
        assert!(Date::parse_iso("22-1-1").is_none());
    }

    #[test]
    fn plain_machine_numbers() {
        assert_eq!(plain(496.0), "496");
        assert_eq!(plain(92.5), "92.5");
        assert_eq!(plain(510_000_000.0), "510000000");
        assert_eq!(plain(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(plain(-3.0), "-3");
    }
}
