//! Horizontal bar charts: one bar per agency, highest first.

use super::canvas::{colour, Body, Canvas, Fill, Group, Shape, Target, SMALL_PX, TEXT_PX};
use super::layout::{self, Legend, LEGEND_H, MARGIN, MEDIAN_DASH, XLABEL_H};
use super::scale::{self, clean_value, Scale};
use super::{text, Axis, Bar, BarChart, Chart};
use plotters::style::text_anchor::{HPos, VPos};

pub(crate) const ROW_H: f64 = 22.0;
const BAR_H: f64 = 14.0;
const LABEL_MAX: f64 = 300.0;

/// The axis bars are measured on: ranks are drawn as plain numbers.
pub(crate) fn bar_axis(axis: &Axis) -> Axis {
    match axis {
        Axis::Rank { .. } => Axis::Value {
            unit: String::new(),
        },
        a => a.clone(),
    }
}

/// Bars in display order with their cleaned values: highest first (lowest
/// first for ranks), not reported last, ties in input order.
pub(crate) fn sorted(bc: &BarChart) -> Vec<(&Bar, Option<f64>)> {
    let mut v: Vec<(&Bar, Option<f64>)> = bc
        .bars
        .iter()
        .map(|b| (b, clean_value(&bar_axis(&bc.axis), b.value)))
        .collect();
    let ascending = matches!(bc.axis, Axis::Rank { .. });
    v.sort_by(|a, b| match (a.1, b.1) {
        (Some(x), Some(y)) if ascending => x.total_cmp(&y),
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    v
}

pub(crate) fn render(chart: &Chart, bc: &BarChart, target: Target) -> Result<Body, String> {
    let width = target.width;
    let lang = chart.lang;
    let t = &chart.text;
    let axis = bar_axis(&bc.axis);
    let bars = sorted(bc);
    let median = bc.median.filter(|m| m.is_finite());
    let scale = Scale::new(&axis, bars.iter().filter_map(|b| b.1).chain(median));
    let any_missing = bars.iter().any(|b| b.1.is_none());
    let any_flag = bars.iter().any(|b| b.0.flag.is_some());
    let any_value = bars.iter().any(|b| b.1.is_some());
    let shown: Vec<Option<String>> = bars
        .iter()
        .map(|b| b.1.map(|v| scale::show(&axis, v, lang)))
        .collect();

    let mut legend = Vec::new();
    if any_missing || !any_value {
        legend.push(Legend::NotReported(t.not_reported.clone()));
    }
    if any_flag {
        legend.push(Legend::Flagged(t.flagged.clone()));
    }

    let w = f64::from(width);
    let label_w = text::max_width(bars.iter().map(|b| b.0.label.as_str()), TEXT_PX)?.min(LABEL_MAX);
    let left = MARGIN + label_w + 12.0;
    let value_w = text::max_width(shown.iter().flatten().map(String::as_str), TEXT_PX)?;
    let right = w - MARGIN - value_w - 10.0 - if any_flag { 26.0 } else { 0.0 };
    let right = right.max(left + 100.0);
    let mut top = MARGIN;
    let legend_y = top + LEGEND_H / 2.0;
    if !legend.is_empty() {
        top += LEGEND_H;
    }
    let caption = scale::caption(&axis, t);
    let median_y = top + 10.0;
    if median.is_some() || caption.is_some() {
        top += 24.0;
    }
    let ticks_top_y = top + XLABEL_H - 6.0;
    top += XLABEL_H + 2.0;
    let rows_top = top;
    let rows_bottom = rows_top + ROW_H * bars.len().max(1) as f64;
    let ticks_below = bars.len() > 12;
    let h = rows_bottom + if ticks_below { XLABEL_H + 8.0 } else { 6.0 } + MARGIN;
    let x = |v: f64| left + scale.frac(v) * (right - left);

    let mut c = Canvas::new(w, h, target);
    c.draw(&[Shape::rect(
        (0.0, 0.0),
        (c.w, c.h),
        colour::WHITE,
        Fill::Solid,
    )])?;
    layout::legend(&mut c, MARGIN, legend_y, &legend)?;

    // Axis: vertical grid lines, tick labels above (and below long charts).
    let mut axis_shapes = Vec::new();
    for tk in &scale.ticks {
        let tx = x(*tk);
        let label = scale.tick_label(*tk, lang);
        axis_shapes.push(Shape::line(
            (tx, rows_top - 4.0),
            (tx, rows_bottom + 4.0),
            colour::GRID,
            1,
        ));
        axis_shapes.push(Shape::text(
            &label,
            (tx, ticks_top_y),
            SMALL_PX,
            colour::AXIS,
            HPos::Center,
            VPos::Bottom,
        ));
        if ticks_below {
            axis_shapes.push(Shape::text(
                &label,
                (tx, rows_bottom + 10.0),
                SMALL_PX,
                colour::AXIS,
                HPos::Center,
                VPos::Top,
            ));
        }
    }
    let x0 = x(scale.baseline());
    axis_shapes.push(Shape::line(
        (x0, rows_top - 4.0),
        (x0, rows_bottom + 4.0),
        colour::AXIS,
        1,
    ));
    if let Some(cap) = &caption {
        let (cap, _) = text::fit(cap, SMALL_PX, left - MARGIN - 8.0)?;
        axis_shapes.push(Shape::text(
            &cap,
            (left - 10.0, ticks_top_y),
            SMALL_PX,
            colour::AXIS,
            HPos::Right,
            VPos::Bottom,
        ));
    }
    c.begin(Group {
        class: "mb-axis",
        ..Group::default()
    });
    c.draw(&axis_shapes)?;
    c.end();

    // The median line goes under the bars and their value labels; its label
    // sits above the tick labels.
    if let Some(m) = median {
        let xm = x(m);
        let label = [t.median.as_str(), ": ", &scale::show(&axis, m, lang)].concat();
        let lw = text::width(&label, TEXT_PX)?;
        let (lx, anchor) = if xm + lw / 2.0 > w - MARGIN {
            (w - MARGIN, HPos::Right)
        } else if xm - lw / 2.0 < MARGIN {
            (MARGIN, HPos::Left)
        } else {
            (xm, HPos::Center)
        };
        c.begin(Group {
            class: "mb-median",
            title: Some(&label),
            dash: None,
        });
        c.begin(Group {
            dash: Some(MEDIAN_DASH),
            ..Group::default()
        });
        c.draw(&[Shape::line(
            (xm, median_y + 10.0),
            (xm, rows_bottom + 2.0),
            colour::INK,
            2,
        )])?;
        c.end();
        c.draw(&[Shape::text(
            &label,
            (lx, median_y),
            TEXT_PX,
            colour::INK,
            anchor,
            VPos::Center,
        )])?;
        c.end();
    }

    for (i, ((bar, v), shown)) in bars.iter().zip(&shown).enumerate() {
        let yc = rows_top + ROW_H * i as f64 + ROW_H / 2.0;
        let (label, _) = text::fit(&bar.label, TEXT_PX, label_w)?;
        let label_shape = Shape::text(
            &label,
            (left - 10.0, yc),
            TEXT_PX,
            colour::INK,
            HPos::Right,
            VPos::Center,
        );
        match (v, shown) {
            (Some(v), Some(shown)) => {
                let xv = x(*v);
                let (a, b) = (x0.min(xv), x0.max(xv));
                let mut title = [bar.full_label.as_str(), ": ", shown].concat();
                if let Some(f) = &bar.flag {
                    text::push_all(&mut title, &["\n", &t.flagged, ": ", f]);
                }
                c.begin(Group {
                    class: if bar.flag.is_some() {
                        "mb-bar mb-flagged"
                    } else {
                        "mb-bar"
                    },
                    title: Some(&title),
                    dash: None,
                });
                let vw = text::width(shown, TEXT_PX)?;
                // Values go right of the bar end; for a negative bar, left of
                // it unless that would run into the row labels.
                let (vx, anchor, halo, end) = if xv >= x0 || a - 9.0 - vw < left {
                    (b + 6.0, HPos::Left, (b + 3.0, b + 9.0 + vw), b + 6.0 + vw)
                } else {
                    (a - 6.0, HPos::Right, (a - 9.0 - vw, a - 3.0), a - 6.0)
                };
                c.draw(&[
                    label_shape,
                    Shape::rect(
                        (a, yc - BAR_H / 2.0),
                        (b, yc + BAR_H / 2.0),
                        colour::BAR,
                        Fill::Solid,
                    ),
                    // A white halo keeps the value readable across the median line.
                    Shape::rect(
                        (halo.0, yc - 9.0),
                        (halo.1, yc + 9.0),
                        colour::WHITE,
                        Fill::Solid,
                    ),
                    Shape::text(shown, (vx, yc), TEXT_PX, colour::INK, anchor, VPos::Center),
                ])?;
                if let Some(f) = &bar.flag {
                    let at = (end.max(b) + 14.0, yc);
                    c.titled(
                        "mb-flag",
                        &[t.flagged.as_str(), ": ", f].concat(),
                        &[
                            layout::flag_ring(at, 8.0),
                            Shape::text("!", at, SMALL_PX, colour::INK, HPos::Center, VPos::Center),
                        ],
                    )?;
                }
                c.end();
            }
            _ => {
                let mut title = [bar.full_label.as_str(), ": ", &t.not_reported].concat();
                if let Some(f) = &bar.flag {
                    text::push_all(&mut title, &["\n", &t.flagged, ": ", f]);
                }
                c.begin(Group {
                    class: "mb-bar mb-missing",
                    title: Some(&title),
                    dash: None,
                });
                c.draw(&[
                    label_shape,
                    Shape::text(
                        &t.not_reported,
                        (x0 + 6.0, yc),
                        TEXT_PX,
                        colour::MUTED,
                        HPos::Left,
                        VPos::Center,
                    ),
                ])?;
                if let Some(f) = &bar.flag {
                    let at = (x0 + 6.0 + text::width(&t.not_reported, TEXT_PX)? + 14.0, yc);
                    c.titled(
                        "mb-flag",
                        &[t.flagged.as_str(), ": ", f].concat(),
                        &[
                            layout::flag_ring(at, 8.0),
                            Shape::text("!", at, SMALL_PX, colour::INK, HPos::Center, VPos::Center),
                        ],
                    )?;
                }
                c.end();
            }
        }
    }

    if bars.is_empty() {
        layout::empty_note(
            &mut c,
            ((left + right) / 2.0, rows_top + ROW_H / 2.0),
            &t.not_reported,
        )?;
    }
    Ok(c.into())
}
