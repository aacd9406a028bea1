//! Exact rational numbers on i128, for rubric points: rates from exact
//! fractions, decimal literals read digit by digit, rounding half away from
//! zero. A figure too large for i128 gives `None`, never a wrong number.

use std::cmp::Ordering;
use std::fmt;

use serde::Serialize;

use crate::format::{self, Lang};
use crate::input::Num;

/// A fraction in lowest terms with a positive denominator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Q {
    n: i128,
    d: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Q {
    pub const ZERO: Q = Q { n: 0, d: 1 };

    pub fn int(n: i64) -> Q {
        Q {
            n: i128::from(n),
            d: 1,
        }
    }

    /// `n / d`; `None` when `d` is 0.
    pub fn ratio(n: i128, d: i128) -> Option<Q> {
        if d == 0 {
            return None;
        }
        let g = gcd(n, d).max(1);
        let (n, d) = (n / g, d / g);
        Some(if d < 0 {
            Q { n: -n, d: -d }
        } else {
            Q { n, d }
        })
    }

    /// A decimal literal (`82.5`, `-3`, `1e3` is refused): exact.
    pub fn parse_decimal(s: &str) -> Option<Q> {
        let s = s.trim();
        let (neg, body) = match s.strip_prefix('-') {
            Some(b) => (true, b),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        if !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) || frac.len() > 30 {
            return None;
        }
        let digits = format!("{int}{frac}");
        let n: i128 = if digits.is_empty() {
            0
        } else {
            digits.parse().ok()?
        };
        let d = 10i128.checked_pow(u32::try_from(frac.len()).ok()?)?;
        Q::ratio(if neg { -n } else { n }, d)
    }

    /// The exact value of a number as it was written: an integer, or the
    /// shortest decimal that reads back as the same float (`82.5`).
    pub fn of_num(n: Num) -> Option<Q> {
        match n {
            Num::Int(i) => Some(Q::int(i)),
            Num::Float(f) if f.is_finite() => Q::parse_decimal(&format!("{f}")),
            Num::Float(_) => None,
        }
    }

    pub fn q_add(self, o: Q) -> Option<Q> {
        let n = self
            .n
            .checked_mul(o.d)?
            .checked_add(o.n.checked_mul(self.d)?)?;
        Q::ratio(n, self.d.checked_mul(o.d)?)
    }

    pub fn q_sub(self, o: Q) -> Option<Q> {
        self.q_add(Q { n: -o.n, d: o.d })
    }

    pub fn q_mul(self, o: Q) -> Option<Q> {
        let g1 = gcd(self.n, o.d).max(1);
        let g2 = gcd(o.n, self.d).max(1);
        let n = (self.n / g1).checked_mul(o.n / g2)?;
        let d = (self.d / g2).checked_mul(o.d / g1)?;
        Q::ratio(n, d)
    }

    pub fn q_div(self, o: Q) -> Option<Q> {
        if o.n == 0 {
            return None;
        }
        self.q_mul(Q { n: o.d, d: o.n }.normal())
    }

    fn normal(self) -> Q {
        Q::ratio(self.n, self.d).unwrap_or(Q::ZERO)
    }

    pub fn min(self, o: Q) -> Q {
        if o < self {
            o
        } else {
            self
        }
    }

    pub fn max(self, o: Q) -> Q {
        if o > self {
            o
        } else {
            self
        }
    }

    pub fn is_zero(self) -> bool {
        self.n == 0
    }

    /// Rounded half away from zero to `decimals` decimals.
    pub fn round(self, decimals: u32) -> Option<Q> {
        let scale = 10i128.checked_pow(decimals)?;
        let n = self.n.checked_mul(scale)?;
        let (a, d) = (n.abs(), self.d);
        let q = (a.checked_mul(2)?.checked_add(d)?) / (2 * d);
        Q::ratio(if n < 0 { -q } else { q }, scale)
    }

    /// The absolute difference is at most `tol`.
    pub fn close_to(self, o: Q, tol: Q) -> bool {
        match self.q_sub(o) {
            Some(diff) => Q::ratio(diff.n.abs(), diff.d).is_some_and(|a| a <= tol),
            None => false,
        }
    }

    /// A float for charts and sorting only.
    pub fn as_f64(self) -> f64 {
        self.n as f64 / self.d as f64
    }

    /// The machine form: at most `max_decimals` decimals (rounded half away
    /// from zero), trailing zeros dropped: `12.3`, `15`, `0.5`.
    pub fn plain(self, max_decimals: u32) -> String {
        let r = self.round(max_decimals).unwrap_or(self);
        let scale = 10i128.pow(max_decimals);
        // r = n/d with d dividing scale after rounding
        let scaled = r.n * (scale / r.d.max(1));
        let neg = scaled < 0;
        let a = scaled.unsigned_abs();
        let int = a / scale.unsigned_abs();
        let frac = a % scale.unsigned_abs();
        let mut s = if neg {
            format!("-{int}")
        } else {
            int.to_string()
        };
        if max_decimals > 0 && frac != 0 {
            let f = format!("{:0width$}", frac, width = max_decimals as usize);
            s.push('.');
            s.push_str(f.trim_end_matches('0'));
        }
        s
    }

    /// For people, at most two decimals: `12,3` (vi), `12.3` (en).
    pub fn people(self, lang: Lang) -> String {
        format::number(self.plain(2).parse::<f64>().unwrap_or(0.0), 2, lang)
    }

    /// Exactly two decimals, as a percentage for people: `82,00 %`.
    pub fn percent_people(self, lang: Lang) -> String {
        let v = self.round(2).unwrap_or(self);
        format!("{} %", format::fixed(v.as_f64(), 2, lang))
    }

    /// Exactly two decimals, machine form: `82.00`.
    pub fn fixed2(self) -> String {
        let s = self.plain(2);
        match s.split_once('.') {
            Some((i, f)) => format!("{i}.{f:0<2}"),
            None => format!("{s}.00"),
        }
    }
}

impl PartialOrd for Q {
    fn partial_cmp(&self, other: &Q) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Q {
    fn cmp(&self, other: &Q) -> Ordering {
        // Denominators are positive; compare n1*d2 with n2*d1, falling back
        // to floats only if that overflows.
        match (self.n.checked_mul(other.d), other.n.checked_mul(self.d)) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => self
                .as_f64()
                .partial_cmp(&other.as_f64())
                .unwrap_or(Ordering::Equal),
        }
    }
}

impl fmt::Display for Q {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.plain(6))
    }
}

/// A JSON number: an integer when whole, else the decimal to six places.
impl Serialize for Q {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match (self.d, i64::try_from(self.n)) {
            (1, Ok(i)) => s.serialize_i64(i),
            _ => s.serialize_f64(self.plain(6).parse::<f64>().unwrap_or(self.as_f64())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Q {
        Q::parse_decimal(s).expect("decimal")
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(q("4.415").round(2), Some(q("4.42")));
        assert_eq!(q("-4.415").round(2), Some(q("-4.42")));
        assert_eq!(q("4.4149").round(2), Some(q("4.41")));
        let p = Q::ratio(514 * 100, 605).expect("ratio");
        assert_eq!(p.fixed2(), "84.96");
    }

    #[test]
    fn decimal_literals_are_exact() {
        assert_eq!(q("0.1").q_add(q("0.2")), Some(q("0.3")));
        assert_eq!(
            Q::of_num(Num::Float(82.5)),
            Some(Q::ratio(165, 2).expect("r"))
        );
        assert_eq!(q("12.30").plain(2), "12.3");
        assert_eq!(q("15").fixed2(), "15.00");
        assert_eq!(Q::parse_decimal("1e3"), None);
        assert_eq!(Q::parse_decimal("abc"), None);
    }

    #[test]
    fn compares_and_formats() {
        assert!(q("59.99") < q("60"));
        assert!(q("12.3").close_to(q("12.304"), q("0.005")));
        assert!(!q("12.3").close_to(q("12.31"), q("0.005")));
        assert_eq!(q("1234.5").people(Lang::Vi), "1.234,5");
        assert_eq!(q("82").percent_people(Lang::Vi), "82,00 %");
    }
}
