//! Value axes: domain, ticks and the words for values.

use super::{Axis, ChartText};
use crate::format::{self, Lang};

/// A value after cleaning: finite, and for ranks at least 1.
pub(crate) fn clean_value(axis: &Axis, v: Option<f64>) -> Option<f64> {
    let v = v.filter(|v| v.is_finite())?;
    match axis {
        Axis::Rank { .. } if v < 1.0 => None,
        _ => Some(v),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Percent,
    Rank,
    Number { decimals: usize },
}

/// A linear value axis.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Scale {
    lo: f64,
    hi: f64,
    /// Ranks: `lo` (rank 1) at the top / far end.
    inverted: bool,
    pub ticks: Vec<f64>,
    kind: Kind,
}

/// 1, 2, 2.5 or 5 times a power of ten, at least `raw`.
fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let base = 10f64.powf(raw.log10().floor());
    let f = raw / base;
    let m = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * base
}

/// Ticks from `lo` to `hi` (both multiples of `step`).
fn ticks(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let first = (lo / step).round() as i64;
    let last = (hi / step).round() as i64;
    (first..=last.min(first.saturating_add(40)))
        .map(|k| k as f64 * step)
        .collect()
}

/// A nice domain covering `lo..hi` with about five steps.
fn nice(lo: f64, hi: f64) -> (f64, f64, f64) {
    let (lo, hi) = if hi - lo > 0.0 && (hi - lo).is_finite() {
        (lo, hi)
    } else if lo == 0.0 {
        (0.0, 1.0)
    } else {
        (lo.min(0.0), hi.max(0.0))
    };
    let step = nice_step((hi - lo) / 5.0);
    let (lo, hi) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    if lo.is_finite() && hi.is_finite() && hi > lo {
        (lo, hi, step)
    } else {
        (0.0, 1.0, 0.2)
    }
}

fn decimals(step: f64) -> usize {
    let mut d = 0usize;
    while d < 12
        && ((step * 10f64.powi(d as i32)).round() - step * 10f64.powi(d as i32)).abs() > 1e-9
    {
        d += 1;
    }
    d
}

impl Scale {
    /// The scale for `axis` covering `values` (already cleaned).
    pub fn new(axis: &Axis, values: impl Iterator<Item = f64>) -> Scale {
        let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values.filter(|v| v.is_finite()) {
            min = min.min(v);
            max = max.max(v);
        }
        let any = min <= max;
        match axis {
            Axis::Percent => {
                if !any || (min >= 0.0 && max <= 100.0) {
                    Scale {
                        lo: 0.0,
                        hi: 100.0,
                        inverted: false,
                        ticks: vec![0.0, 25.0, 50.0, 75.0, 100.0],
                        kind: Kind::Percent,
                    }
                } else {
                    let (lo, hi, step) = nice(min.min(0.0), max.max(100.0));
                    Scale {
                        lo,
                        hi,
                        inverted: false,
                        ticks: ticks(lo, hi, step),
                        kind: Kind::Percent,
                    }
                }
            }
            Axis::Rank { of } => {
                let last = if any {
                    max.ceil().max(f64::from(*of))
                } else {
                    f64::from(*of)
                };
                let last = last.clamp(1.0, 1e9);
                Scale::rank(last)
            }
            Axis::Value { .. } => {
                let (lo, hi) = if any {
                    (min.min(0.0), max.max(0.0))
                } else {
                    (0.0, 0.0)
                };
                let (lo, hi, step) = nice(lo, hi);
                Scale {
                    lo,
                    hi,
                    inverted: false,
                    ticks: ticks(lo, hi, step),
                    kind: Kind::Number {
                        decimals: decimals(step),
                    },
                }
            }
        }
    }

    /// Ranks 1..=last, 1 on top.
    pub fn rank(last: f64) -> Scale {
        let last = last.max(1.0).round();
        let step = if last <= 12.0 {
            1.0
        } else {
            nice_step(last / 6.0).round().max(1.0)
        };
        let mut t = vec![1.0];
        let mut k = step;
        while k < last && t.len() < 60 {
            if k > 1.0 {
                t.push(k);
            }
            k += step;
        }
        if last > 1.0 {
            if let Some(&prev) = t.last() {
                if last - prev < step * 0.5 && prev > 1.0 {
                    t.pop();
                }
            }
            t.push(last);
        }
        Scale {
            lo: 1.0,
            hi: last,
            inverted: true,
            ticks: t,
            kind: Kind::Rank,
        }
    }

    /// Where `v` lies: 0 at the axis origin (bottom / left), 1 at the far end.
    pub fn frac(&self, v: f64) -> f64 {
        let span = self.hi - self.lo;
        if span <= 0.0 {
            return if self.inverted { 1.0 } else { 0.0 };
        }
        let f = (v - self.lo) / span;
        if self.inverted {
            1.0 - f
        } else {
            f
        }
    }

    /// Where bars start: the zero line, or the axis origin.
    pub fn baseline(&self) -> f64 {
        if self.inverted {
            self.hi
        } else {
            0.0f64.clamp(self.lo, self.hi)
        }
    }

    pub fn is_rank(&self) -> bool {
        self.kind == Kind::Rank
    }

    pub fn tick_label(&self, t: f64, lang: Lang) -> String {
        match self.kind {
            Kind::Percent => {
                let mut s = format::number(t, 2, lang);
                s.push('%');
                s
            }
            Kind::Rank => format::number(t, 0, lang),
            Kind::Number { decimals } => format::number(t, decimals, lang),
        }
    }
}

/// A value for people, as the chart and table show it.
pub(crate) fn show(axis: &Axis, v: f64, lang: Lang) -> String {
    match axis {
        Axis::Percent => format::percent(v, lang),
        Axis::Rank { .. } => format::number(v, 1, lang),
        Axis::Value { unit } if unit.trim().is_empty() => format::number(v, 2, lang),
        Axis::Value { unit } => {
            let mut s = format::number(v, 2, lang);
            super::text::push_all(&mut s, &[" ", unit.trim()]);
            s
        }
    }
}

/// A value for a tooltip: like [`show`], with "Rank 3/63" for ranks.
pub(crate) fn describe(axis: &Axis, v: f64, lang: Lang, text: &ChartText) -> String {
    match axis {
        Axis::Rank { of } if *of > 0 => [
            text.rank.as_str(),
            " ",
            &format::number(v, 1, lang),
            "/",
            &format::integer(i128::from(*of), lang),
        ]
        .concat(),
        Axis::Rank { .. } => [text.rank.as_str(), " ", &format::number(v, 1, lang)].concat(),
        _ => show(axis, v, lang),
    }
}

/// The caption above the value axis, if any.
pub(crate) fn caption(axis: &Axis, text: &ChartText) -> Option<String> {
    match axis {
        Axis::Percent => None,
        Axis::Rank { .. } => Some(text.rank.clone()).filter(|s| !s.trim().is_empty()),
        Axis::Value { unit } => Some(unit.trim().to_string()).filter(|s| !s.is_empty()),
    }
}

/// The median of finite values (mean of the two middle ones if even).
pub(crate) fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        crate::format::midpoint(v[n / 2 - 1], v[n / 2])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_axis_is_fixed() {
        let s = Scale::new(&Axis::Percent, [3.0, 97.5].into_iter());
        assert_eq!(s.ticks, vec![0.0, 25.0, 50.0, 75.0, 100.0]);
        assert_eq!(s.frac(0.0), 0.0);
        assert_eq!(s.frac(100.0), 1.0);
        assert_eq!(s.tick_label(25.0, Lang::Vi), "25%");
        let empty = Scale::new(&Axis::Percent, std::iter::empty());
        assert_eq!(empty.ticks.len(), 5);
        // A value above 100 widens the axis instead of being clipped.
        let wide = Scale::new(&Axis::Percent, [104.0].into_iter());
        assert!(wide.frac(104.0) <= 1.0);
        assert!(wide.ticks.contains(&100.0));
    }

    #[test]
    fn value_axis_is_nice() {
        let s = Scale::new(
            &Axis::Value {
                unit: String::new(),
            },
            [0.0, 1517.0].into_iter(),
        );
        assert_eq!(s.ticks.first(), Some(&0.0));
        assert!(*s.ticks.last().expect("ticks") >= 1517.0);
        assert!(s.ticks.len() <= 8);
        assert_eq!(s.tick_label(1500.0, Lang::Vi), "1.500");
        let small = Scale::new(
            &Axis::Value {
                unit: String::new(),
            },
            [0.12].into_iter(),
        );
        assert_eq!(small.tick_label(small.ticks[1], Lang::Vi), "0,025");
        let zero = Scale::new(
            &Axis::Value {
                unit: String::new(),
            },
            [0.0].into_iter(),
        );
        assert!(zero.ticks.len() >= 2);
        let huge = Scale::new(
            &Axis::Value {
                unit: String::new(),
            },
            [1e300, -1e300].into_iter(),
        );
        assert!(huge.ticks.len() <= 41);
    }

    #[test]
    fn rank_axis_has_one_on_top() {
        let s = Scale::rank(63.0);
        assert_eq!(s.ticks.first(), Some(&1.0));
        assert_eq!(s.ticks.last(), Some(&63.0));
        assert_eq!(s.frac(1.0), 1.0);
        assert_eq!(s.frac(63.0), 0.0);
        let one = Scale::rank(1.0);
        assert_eq!(one.ticks, vec![1.0]);
        assert_eq!(one.frac(1.0), 1.0);
        assert_eq!(Scale::rank(5.0).ticks, vec![1.0, 2.0, 3.0, 4.0, 5.0]);
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&[f64::NAN]), None);
    }
}
