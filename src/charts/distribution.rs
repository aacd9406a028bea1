//! Distributions: for each year, one dot per agency, the median marked.

use super::canvas::{colour, Body, Canvas, Fill, Group, Shape, Target, Xy, SMALL_PX};
use super::layout::{self, Frame, Legend, Missing, LEGEND_H, MARGIN, STRIP_H, XLABEL_H};
use super::scale::{self, clean_value, Scale};
use super::{text, Chart, Distribution};
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::Color;

const PLOT_H: f64 = 360.0;
const DOT_R: f64 = 4.0;

/// The cleaned values of year `i` (empty if there is no group for it).
pub(crate) fn year(d: &Distribution, i: usize) -> Vec<(&str, Option<f64>)> {
    d.groups
        .get(i)
        .map(|g| {
            g.iter()
                .map(|(l, v)| (l.as_str(), clean_value(&d.axis, Some(*v))))
                .collect()
        })
        .unwrap_or_default()
}

/// Horizontal offsets (in dot slots) that keep dots at heights `ys` from
/// overlapping: a deterministic beeswarm. `max_slot` bounds the spread.
pub(crate) fn swarm(ys: &[f64], max_slot: i32) -> Vec<i32> {
    let mut order: Vec<usize> = (0..ys.len()).collect();
    order.sort_by(|a, b| ys[*a].total_cmp(&ys[*b]).then(a.cmp(b)));
    let min_dy = 2.0 * DOT_R + 0.5;
    let mut placed: Vec<(i32, f64)> = Vec::with_capacity(ys.len());
    let mut slots = vec![0; ys.len()];
    for i in order {
        let y = ys[i];
        let candidates =
            (0..=max_slot.max(0)).flat_map(|k| if k == 0 { vec![0] } else { vec![k, -k] });
        let mut best: Option<(usize, i32)> = None;
        for s in candidates {
            let clashes = placed
                .iter()
                .filter(|(ps, py)| *ps == s && (py - y).abs() < min_dy)
                .count();
            if clashes == 0 {
                best = Some((0, s));
                break;
            }
            if best.is_none_or(|(c, _)| clashes < c) {
                best = Some((clashes, s));
            }
        }
        let s = best.map_or(0, |b| b.1);
        slots[i] = s;
        placed.push((s, y));
    }
    slots
}

pub(crate) fn render(chart: &Chart, d: &Distribution, target: Target) -> Result<Body, String> {
    let width = target.width;
    let lang = chart.lang;
    let t = &chart.text;
    let axis = &d.axis;
    let n = d.x_labels.len();
    let years: Vec<Vec<(&str, Option<f64>)>> = (0..n).map(|i| year(d, i)).collect();
    let scale = Scale::new(axis, years.iter().flatten().filter_map(|v| v.1));
    let medians: Vec<Option<f64>> = years
        .iter()
        .map(|g| scale::median(&g.iter().filter_map(|v| v.1).collect::<Vec<_>>()))
        .collect();
    let any_value = years.iter().flatten().any(|v| v.1.is_some());
    let any_missing = years.iter().flatten().any(|v| v.1.is_none());

    let mut legend = Vec::new();
    if medians.iter().any(Option::is_some) {
        legend.push(Legend::MedianBar(t.median.clone()));
    }
    if any_missing || !any_value {
        legend.push(Legend::NotReported(t.not_reported.clone()));
    }

    let w = f64::from(width);
    let mut top = MARGIN;
    let legend_y = top + LEGEND_H / 2.0;
    if !legend.is_empty() {
        top += LEGEND_H;
    }
    let caption = scale::caption(axis, t);
    let caption_y = top + 8.0;
    if caption.is_some() {
        top += 22.0;
    }
    top += 10.0;
    let tick_labels = layout::tick_labels(&scale, lang);
    let left = MARGIN + layout::tick_width(&tick_labels)? + 12.0;
    let right = w - MARGIN - 8.0;
    let col = (right - left) / n.max(1) as f64;
    let bottom = top + PLOT_H;
    let frame = Frame {
        left,
        right,
        top,
        bottom,
        n,
        pad: col / 2.0,
    };
    let strip_y = bottom + 4.0 + STRIP_H / 2.0;
    let xlabel_y = bottom + if any_missing { STRIP_H + 8.0 } else { 8.0 };
    let median_label_y = xlabel_y + XLABEL_H - 4.0;
    let h = median_label_y + XLABEL_H + MARGIN;

    let mut c = Canvas::new(w, h, target);
    c.draw(&[Shape::rect(
        (0.0, 0.0),
        (c.w, c.h),
        colour::WHITE,
        Fill::Solid,
    )])?;
    layout::legend(&mut c, left, legend_y, &legend)?;
    layout::y_axis(
        &mut c,
        &frame,
        &scale,
        &tick_labels,
        caption.as_deref().map(|s| (s, caption_y)),
    )?;
    layout::x_labels(&mut c, &frame, &d.x_labels, xlabel_y)?;

    let max_slot = ((col * 0.46 - DOT_R) / (2.0 * DOT_R + 1.0))
        .floor()
        .max(0.0) as i32;
    let mut missing = Vec::new();
    for (i, g) in years.iter().enumerate() {
        let xl = &d.x_labels[i];
        let when = layout::when(t, xl);
        let reported: Vec<(&str, f64)> = g.iter().filter_map(|(l, v)| v.map(|v| (*l, v))).collect();
        let ys: Vec<f64> = reported.iter().map(|(_, v)| frame.y(&scale, *v)).collect();
        let slots = swarm(&ys, max_slot);
        c.begin(Group {
            class: "mb-dots",
            title: Some(xl),
            dash: None,
        });
        for (k, (label, v)) in reported.iter().enumerate() {
            let at: Xy = (
                frame.x(i) + f64::from(slots[k]) * (2.0 * DOT_R + 1.0),
                ys[k],
            );
            let title = format!(
                "{}\n{}: {}",
                label,
                when,
                scale::describe(axis, *v, lang, t)
            );
            c.titled(
                "mb-point",
                &title,
                &[Shape::Circle(at, DOT_R, colour::BAR.mix(0.8), Fill::Solid)],
            )?;
        }
        c.end();
        for (label, v) in g {
            if v.is_none() {
                missing.push(Missing {
                    x: i,
                    look: None,
                    name: label.to_string(),
                    flag: None,
                });
            }
        }
        if let Some(m) = medians[i] {
            let y = frame.y(&scale, m);
            let half = (col * 0.45).min(70.0);
            let value = scale::show(axis, m, lang);
            let title = format!("{} ({}): {}", t.median, when, value);
            let full = format!("{}: {}", t.median, value);
            let shown = if text::width(&full, SMALL_PX)? <= col - 8.0 {
                full
            } else {
                text::fit(&value, SMALL_PX, col - 4.0)?.0
            };
            c.titled(
                "mb-median",
                &title,
                &[
                    Shape::rect(
                        (frame.x(i) - half, y - 1.5),
                        (frame.x(i) + half, y + 1.5),
                        colour::INK,
                        Fill::Solid,
                    ),
                    Shape::text(
                        &shown,
                        (frame.x(i), median_label_y),
                        SMALL_PX,
                        colour::INK,
                        HPos::Center,
                        VPos::Top,
                    ),
                ],
            )?;
        }
    }

    if any_missing {
        layout::missing_strip(&mut c, &frame, strip_y, &missing, &d.x_labels, t)?;
    }
    if !any_value {
        layout::empty_note(
            &mut c,
            ((left + right) / 2.0, (top + bottom) / 2.0),
            &t.not_reported,
        )?;
    }
    Ok(c.into())
}
