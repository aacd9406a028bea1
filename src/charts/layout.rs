//! Pieces shared by the chart kinds: the plot frame, axes, legend, the strip
//! of not-reported markers, label spreading.

use super::canvas::{colour, Canvas, Fill, Group, Look, Marker, Shape, Xy, SMALL_PX, TEXT_PX};
use super::scale::Scale;
use super::{text, ChartText};
use crate::format::Lang;
use plotters::style::text_anchor::{HPos, VPos};

/// Outer margin of every chart.
pub(crate) const MARGIN: f64 = 12.0;
/// Height of the legend row.
pub(crate) const LEGEND_H: f64 = 30.0;
/// Height of the strip below the axis holding not-reported markers.
pub(crate) const STRIP_H: f64 = 22.0;
/// Height of a row of x labels.
pub(crate) const XLABEL_H: f64 = 24.0;

/// The plot rectangle of a chart with categories (years) along x.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    /// Number of categories.
    pub n: usize,
    /// Space between the plot edge and the first / last category.
    pub pad: f64,
}

impl Frame {
    pub fn x(&self, i: usize) -> f64 {
        if self.n <= 1 {
            return (self.left + self.right) / 2.0;
        }
        let span = (self.right - self.left - 2.0 * self.pad).max(0.0);
        self.left + self.pad + span * i as f64 / (self.n - 1) as f64
    }

    /// Distance between neighbouring categories.
    pub fn step(&self) -> f64 {
        if self.n <= 1 {
            self.right - self.left
        } else {
            (self.right - self.left - 2.0 * self.pad).max(0.0) / (self.n - 1) as f64
        }
    }

    pub fn y(&self, s: &Scale, v: f64) -> f64 {
        self.bottom - s.frac(v) * (self.bottom - self.top)
    }
}

/// Width of the widest tick label of `s`.
pub(crate) fn tick_width(labels: &[String]) -> Result<f64, String> {
    text::max_width(labels.iter().map(String::as_str), SMALL_PX)
}

/// The label of each of the scale's ticks, made once for the width of the
/// labels and both drawings of a chart.
pub(crate) fn tick_labels(s: &Scale, lang: Lang) -> Vec<String> {
    s.ticks.iter().map(|t| s.tick_label(*t, lang)).collect()
}

/// Horizontal grid lines, tick labels left of the plot, the zero line, and
/// an optional caption above the tick labels at height `caption_y`.
pub(crate) fn y_axis(
    c: &mut Canvas,
    f: &Frame,
    s: &Scale,
    labels: &[String],
    caption: Option<(&str, f64)>,
) -> Result<(), String> {
    let mut shapes = Vec::new();
    for (t, label) in s.ticks.iter().zip(labels) {
        let y = f.y(s, *t);
        shapes.push(Shape::line((f.left, y), (f.right, y), colour::GRID, 1));
        shapes.push(Shape::text(
            label,
            (f.left - 8.0, y),
            SMALL_PX,
            colour::AXIS,
            HPos::Right,
            VPos::Center,
        ));
    }
    if !s.is_rank() {
        let y = f.y(s, s.baseline());
        shapes.push(Shape::line((f.left, y), (f.right, y), colour::AXIS, 1));
    }
    if let Some((cap, y)) = caption {
        let (cap, _) = text::fit(cap, SMALL_PX, f.right - MARGIN)?;
        shapes.push(Shape::text(
            &cap,
            (MARGIN, y),
            SMALL_PX,
            colour::AXIS,
            HPos::Left,
            VPos::Center,
        ));
    }
    c.begin(Group {
        class: "mb-axis",
        ..Group::default()
    });
    let r = c.draw(&shapes);
    c.end();
    r
}

/// The category labels, centred under their x at height `y` (top of text);
/// every k-th one only if they would overlap (the last is always shown).
pub(crate) fn x_labels(c: &mut Canvas, f: &Frame, labels: &[String], y: f64) -> Result<(), String> {
    let widest = text::max_width(labels.iter().map(String::as_str), SMALL_PX)?;
    let every = if f.n > 1 && f.step() > 0.0 {
        (((widest + 10.0) / f.step()).ceil() as usize).max(1)
    } else {
        1
    };
    let last = labels.len().saturating_sub(1);
    let mut shapes = Vec::new();
    for (i, l) in labels.iter().enumerate() {
        let near_last = i != last && last - i < every;
        if (i % every == 0 && !near_last) || i == last {
            shapes.push(Shape::text(
                l,
                (f.x(i), y),
                SMALL_PX,
                colour::AXIS,
                HPos::Center,
                VPos::Top,
            ));
        }
    }
    c.begin(Group {
        class: "mb-axis",
        ..Group::default()
    });
    let r = c.draw(&shapes);
    c.end();
    r
}

/// Entries of the legend row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Legend {
    NotReported(String),
    Flagged(String),
    /// The solid median bar of distributions.
    MedianBar(String),
}

/// The symbol for not reported: a hollow grey circle.
pub(crate) fn not_reported_symbol(at: Xy) -> Shape {
    Shape::marker(Marker::Circle, at, 5.0, colour::MUTED, Fill::Hollow(2))
}

/// The ring around a flagged value.
pub(crate) fn flag_ring(at: Xy, r: f64) -> Shape {
    Shape::marker(Marker::Circle, at, r, colour::INK, Fill::Hollow(2))
}

/// Draws the legend row starting at (`x`, `y`) (vertical centre).
pub(crate) fn legend(c: &mut Canvas, x: f64, y: f64, items: &[Legend]) -> Result<(), String> {
    if items.is_empty() {
        return Ok(());
    }
    c.begin(Group {
        class: "mb-legend",
        ..Group::default()
    });
    let mut x = x;
    for item in items {
        let label = match item {
            Legend::NotReported(t) | Legend::Flagged(t) | Legend::MedianBar(t) => t,
        };
        let text_x = match item {
            Legend::NotReported(_) => {
                c.draw(&[not_reported_symbol((x + 6.0, y))])?;
                x + 18.0
            }
            Legend::Flagged(_) => {
                c.draw(&[
                    Shape::marker(Marker::Circle, (x + 8.0, y), 3.0, colour::INK, Fill::Solid),
                    flag_ring((x + 8.0, y), 8.0),
                ])?;
                x + 22.0
            }
            Legend::MedianBar(_) => {
                c.draw(&[Shape::rect(
                    (x, y - 1.5),
                    (x + 26.0, y + 1.5),
                    colour::INK,
                    Fill::Solid,
                )])?;
                x + 34.0
            }
        };
        c.draw(&[Shape::text(
            label,
            (text_x, y),
            TEXT_PX,
            colour::INK,
            HPos::Left,
            VPos::Center,
        )])?;
        x = text_x + text::width(&text::clean(label, true), TEXT_PX)? + 24.0;
    }
    c.end();
    Ok(())
}

pub(crate) const MEDIAN_DASH: &str = "6 4";

/// Positions for labels wanted at `desired` heights, at least `gap` apart,
/// kept within `min..=max` where possible; in input order.
pub(crate) fn spread(desired: &[f64], gap: f64, min: f64, max: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..desired.len()).collect();
    order.sort_by(|a, b| desired[*a].total_cmp(&desired[*b]).then(a.cmp(b)));
    let mut pos = vec![0.0; desired.len()];
    let mut prev = f64::NEG_INFINITY;
    for &i in &order {
        let y = desired[i].max(min).max(prev + gap);
        pos[i] = y;
        prev = y;
    }
    // Push back up from the bottom if the stack overflowed.
    let mut next = f64::INFINITY;
    for &i in order.iter().rev() {
        let y = pos[i].min(max).min(next - gap);
        pos[i] = y;
        next = y;
    }
    pos
}

/// An x label for tooltips: "Năm 2021" when it is a year and the theme has
/// a word for years, the label itself otherwise.
pub(crate) fn when(text: &ChartText, label: &str) -> String {
    let mut out = String::new();
    push_when(&mut out, text, label);
    out
}

/// Appends [`when`]`(text, label)` to `out`.
pub(crate) fn push_when(out: &mut String, text: &ChartText, label: &str) {
    let year = text.year.trim();
    let label = label.trim();
    if !year.is_empty() && !label.is_empty() && label.bytes().all(|c| c.is_ascii_digit()) {
        super::text::push_all(out, &[year, " ", label]);
    } else {
        out.push_str(label);
    }
}

/// A value that is not reported, for the strip below the axis.
pub(crate) struct Missing {
    pub x: usize,
    /// The series' look if it is coloured; grey context series are pooled.
    pub look: Option<Look>,
    pub name: String,
    pub flag: Option<String>,
}

/// Hollow markers in the strip at height `y` below the axis: one per
/// coloured series (its colour and shape), one grey circle per category for
/// all grey series, each with a tooltip naming what is missing.
pub(crate) fn missing_strip(
    c: &mut Canvas,
    f: &Frame,
    y: f64,
    missing: &[Missing],
    x_labels: &[String],
    text: &ChartText,
) -> Result<(), String> {
    let (not_reported, flagged) = (&text.not_reported, &text.flagged);
    if missing.is_empty() {
        return Ok(());
    }
    c.begin(Group {
        class: "mb-missing",
        ..Group::default()
    });
    for (i, xl) in x_labels.iter().enumerate() {
        let xl = when(text, xl);
        let here: Vec<&Missing> = missing.iter().filter(|m| m.x == i).collect();
        let coloured: Vec<&&Missing> = here.iter().filter(|m| m.look.is_some()).collect();
        let grey: Vec<&&Missing> = here.iter().filter(|m| m.look.is_none()).collect();
        let count = coloured.len() + usize::from(!grey.is_empty());
        if count == 0 {
            continue;
        }
        let gap = (f.step() / (count as f64 + 1.0)).clamp(4.0, 14.0);
        let x0 = f.x(i) - gap * (count as f64 - 1.0) / 2.0;
        for (k, m) in coloured.iter().enumerate() {
            let at = (x0 + gap * k as f64, y);
            let mut title = String::new();
            super::text::push_all(&mut title, &[&m.name, "\n", &xl, ": ", not_reported]);
            let mut shapes = Vec::new();
            if let Some(look) = m.look {
                shapes.push(Shape::marker(
                    look.marker,
                    at,
                    5.0,
                    look.colour,
                    Fill::Hollow(2),
                ));
            }
            if let Some(fl) = &m.flag {
                super::text::push_all(&mut title, &["\n", flagged, ": ", fl]);
                shapes.push(flag_ring(at, 9.0));
            }
            c.titled("mb-point", &title, &shapes)?;
        }
        if !grey.is_empty() {
            let at = (x0 + gap * coloured.len() as f64, y);
            let mut title = String::new();
            super::text::push_all(&mut title, &[&xl, ": ", not_reported]);
            let mut shapes = vec![not_reported_symbol(at)];
            for m in &grey {
                super::text::push_all(&mut title, &["\n", &m.name]);
                if let Some(fl) = &m.flag {
                    super::text::push_all(&mut title, &[" (", flagged, ": ", fl, ")"]);
                }
            }
            if grey.iter().any(|m| m.flag.is_some()) {
                shapes.push(flag_ring(at, 9.0));
            }
            c.titled("mb-point", &title, &shapes)?;
        }
    }
    c.end();
    Ok(())
}

/// The words "not reported" centred in an empty plot.
pub(crate) fn empty_note(c: &mut Canvas, at: Xy, note: &str) -> Result<(), String> {
    c.begin(Group {
        class: "mb-empty",
        ..Group::default()
    });
    let r = c.draw(&[Shape::text(
        note,
        at,
        TEXT_PX,
        colour::MUTED,
        HPos::Center,
        VPos::Center,
    )]);
    c.end();
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_keeps_gaps_and_order() {
        let p = spread(&[100.0, 101.0, 50.0, 300.0], 16.0, 0.0, 400.0);
        assert_eq!(p[2], 50.0);
        assert_eq!(p[0], 100.0);
        assert_eq!(p[1], 116.0);
        assert_eq!(p[3], 300.0);
        let p = spread(&[395.0, 398.0, 399.0], 16.0, 0.0, 400.0);
        assert_eq!(p, vec![368.0, 384.0, 400.0]);
        assert!(spread(&[], 16.0, 0.0, 1.0).is_empty());
    }

    #[test]
    fn frame_positions() {
        let f = Frame {
            left: 100.0,
            right: 500.0,
            top: 0.0,
            bottom: 100.0,
            n: 5,
            pad: 0.0,
        };
        assert_eq!(f.x(0), 100.0);
        assert_eq!(f.x(4), 500.0);
        assert_eq!(f.step(), 100.0);
        let one = Frame { n: 1, ..f };
        assert_eq!(one.x(0), 300.0);
    }
}
