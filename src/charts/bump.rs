//! Bump charts: ranks over the years, rank 1 on top, names at both ends.

use super::canvas::{colour, Body, Canvas, Fill, Group, Marker, Shape, Target, Xy, SMALL_PX};
use super::layout::{self, Frame, Legend, Missing, LEGEND_H, MARGIN, STRIP_H, XLABEL_H};
use super::line::{looks, point_title, segments};
use super::scale::{clean_value, Scale};
use super::{text, Axis, BumpChart, Chart};
use plotters::style::text_anchor::{HPos, VPos};

const ROW_H: f64 = 20.0;
/// End labels are small so that more of each name fits.
const LABEL_PX: f64 = SMALL_PX;
const MAX_PLOT_H: f64 = 2400.0;
const LABEL_MAX: f64 = 190.0;

/// The (up to) three series whose first and last reported ranks differ the
/// most; ties go to the earlier series.
pub(crate) fn movers(ranks: &[Vec<Option<f64>>]) -> Vec<bool> {
    let mut moves: Vec<(usize, f64)> = ranks
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let first = r.iter().flatten().next()?;
            let last = r.iter().rev().flatten().next()?;
            let m = (first - last).abs();
            (m > 0.0).then_some((i, m))
        })
        .collect();
    moves.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut out = vec![false; ranks.len()];
    for (i, _) in moves.into_iter().take(3) {
        out[i] = true;
    }
    out
}

pub(crate) fn render(chart: &Chart, bc: &BumpChart, target: Target) -> Result<Body, String> {
    let width = target.width;
    let lang = chart.lang;
    let t = &chart.text;
    let axis = Axis::Rank { of: bc.of };
    let n = bc.x_labels.len();
    let ranks: Vec<Vec<Option<f64>>> = bc
        .series
        .iter()
        .map(|s| {
            (0..n)
                .map(|i| clean_value(&axis, s.points.get(i).and_then(|p| p.value)))
                .collect()
        })
        .collect();
    let max_rank = ranks
        .iter()
        .flatten()
        .flatten()
        .fold(0.0f64, |a, b| a.max(*b));
    let last = f64::from(bc.of).max(max_rank.ceil()).clamp(1.0, 1e6);
    let scale = Scale::rank(last);
    let looks = looks(&bc.series, &movers(&ranks));
    let any_value = ranks.iter().flatten().any(Option::is_some);
    let any_missing = ranks.iter().flatten().any(Option::is_none);
    let any_flag = bc
        .series
        .iter()
        .any(|s| s.points.iter().take(n).any(|p| p.flag.is_some()));

    let mut legend = Vec::new();
    if any_missing || !any_value {
        legend.push(Legend::NotReported(t.not_reported.clone()));
    }
    if any_flag {
        legend.push(Legend::Flagged(t.flagged.clone()));
    }

    let w = f64::from(width);
    let row = if last > 1.0 {
        ROW_H.min(MAX_PLOT_H / (last - 1.0))
    } else {
        ROW_H
    };
    let tick_ranks: Vec<f64> = if last <= 30.0 {
        (1..=last as u32).map(f64::from).collect()
    } else {
        scale.ticks.clone()
    };
    let tick_labels: Vec<String> = tick_ranks
        .iter()
        .map(|r| scale.tick_label(*r, lang))
        .collect();
    let tick_w = text::max_width(tick_labels.iter().map(String::as_str), SMALL_PX)?;
    let label_w =
        text::max_width(bc.series.iter().map(|s| s.label.as_str()), LABEL_PX)?.min(LABEL_MAX);

    let mut top = MARGIN;
    let legend_y = top + LEGEND_H / 2.0;
    if !legend.is_empty() {
        top += LEGEND_H;
    }
    let caption_y = top + 8.0;
    top += 22.0;
    let top_labels_y = top;
    top += XLABEL_H + 10.0;
    let bottom = top + row * (last - 1.0);
    let left = MARGIN + tick_w + 14.0 + label_w + 14.0;
    let right = w - MARGIN - label_w - 14.0;
    let frame = Frame {
        left,
        right,
        top,
        bottom,
        n,
        pad: 0.0,
    };
    let strip_y = bottom + 10.0 + STRIP_H / 2.0;
    let xlabel_y = bottom + if any_missing { STRIP_H + 18.0 } else { 14.0 };
    let h = xlabel_y + XLABEL_H + MARGIN;

    let mut c = Canvas::new(w, h, target);
    c.draw(&[Shape::rect(
        (0.0, 0.0),
        (c.w, c.h),
        colour::WHITE,
        Fill::Solid,
    )])?;
    layout::legend(&mut c, MARGIN, legend_y, &legend)?;

    // Rank axis on the far left, grid lines at the major ticks.
    let mut axis_shapes = Vec::new();
    for tk in &scale.ticks {
        let y = frame.y(&scale, *tk);
        axis_shapes.push(Shape::line((left, y), (right, y), colour::GRID, 1));
    }
    for (r, l) in tick_ranks.iter().zip(&tick_labels) {
        let y = frame.y(&scale, *r);
        axis_shapes.push(Shape::text(
            l,
            (MARGIN + tick_w, y),
            SMALL_PX,
            colour::AXIS,
            HPos::Right,
            VPos::Center,
        ));
    }
    if !t.rank.trim().is_empty() {
        let (cap, _) = text::fit(&t.rank, SMALL_PX, w / 2.0)?;
        axis_shapes.push(Shape::text(
            &cap,
            (MARGIN, caption_y),
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
    c.draw(&axis_shapes)?;
    c.end();
    layout::x_labels(&mut c, &frame, &bc.x_labels, top_labels_y)?;
    layout::x_labels(&mut c, &frame, &bc.x_labels, xlabel_y)?;

    let pos: Vec<Vec<Option<Xy>>> = ranks
        .iter()
        .map(|rs| {
            rs.iter()
                .enumerate()
                .map(|(i, r)| r.map(|r| (frame.x(i), frame.y(&scale, r))))
                .collect()
        })
        .collect();

    let mut missing = Vec::new();
    for pass_coloured in [false, true] {
        for (si, s) in bc.series.iter().enumerate() {
            let lk = looks[si];
            if lk.is_some() != pass_coloured {
                continue;
            }
            c.begin(Group {
                class: if lk.is_some() {
                    "mb-series"
                } else {
                    "mb-series mb-context"
                },
                title: Some(&s.full_label),
                dash: None,
            });
            let paths: Vec<Shape> = segments(&pos[si])
                .into_iter()
                .filter(|seg| seg.len() > 1)
                .map(|seg| match lk {
                    Some(lk) => Shape::path(seg, lk.colour, 3),
                    None => Shape::path(seg, colour::CONTEXT, 2),
                })
                .collect();
            c.begin(Group {
                dash: lk.and_then(|l| l.dash),
                ..Group::default()
            });
            c.draw(&paths)?;
            c.end();
            for i in 0..n {
                let p = s.points.get(i);
                let flag = p.and_then(|p| p.flag.clone());
                let (Some(at), Some(r)) = (pos[si][i], ranks[si][i]) else {
                    missing.push(Missing {
                        x: i,
                        look: lk,
                        name: s.full_label.clone(),
                        flag,
                    });
                    continue;
                };
                let mut shapes = vec![match lk {
                    Some(lk) => Shape::marker(lk.marker, at, 4.5, lk.colour, Fill::Solid),
                    None => Shape::marker(Marker::Circle, at, 3.0, colour::CONTEXT, Fill::Solid),
                }];
                if flag.is_some() {
                    shapes.push(layout::flag_ring(at, 9.0));
                }
                let title = point_title(chart, &axis, s, &bc.x_labels[i], r, p);
                let class = if flag.is_some() {
                    "mb-point mb-flagged"
                } else {
                    "mb-point"
                };
                c.titled(class, &title, &shapes)?;
            }
            let notes: Vec<Shape> = (0..n)
                .filter_map(|i| {
                    let note = s.points.get(i)?.note.as_deref()?.trim();
                    let (x, y) = pos[si][i]?;
                    (!note.is_empty()).then(|| {
                        Shape::text(
                            note,
                            (x + 7.0, y - 6.0),
                            SMALL_PX,
                            colour::INK,
                            HPos::Left,
                            VPos::Bottom,
                        )
                    })
                })
                .collect();
            if !notes.is_empty() {
                c.begin(Group {
                    class: "mb-note",
                    ..Group::default()
                });
                c.draw(&notes)?;
                c.end();
            }
            c.end();
        }
    }

    if any_missing {
        layout::missing_strip(&mut c, &frame, strip_y, &missing, &bc.x_labels, t)?;
    }

    // Names at both ends: left of the first reported rank, right of the
    // last; labels anchored at the same year are spread so they never overlap.
    for left_side in [true, false] {
        for i in 0..n {
            let here: Vec<(usize, f64)> = (0..bc.series.len())
                .filter_map(|si| {
                    let idx = if left_side {
                        pos[si].iter().position(Option::is_some)?
                    } else {
                        pos[si].iter().rposition(Option::is_some)?
                    };
                    let (_, y) = pos[si][idx]?;
                    (idx == i).then_some((si, y))
                })
                .collect();
            if here.is_empty() {
                continue;
            }
            let ys = layout::spread(
                &here.iter().map(|h| h.1).collect::<Vec<_>>(),
                15.0,
                top - 6.0,
                bottom + 6.0,
            );
            for ((si, _), y) in here.iter().zip(ys) {
                let s = &bc.series[*si];
                let (label, _) = text::fit(&s.label, LABEL_PX, label_w)?;
                let (x, anchor) = if left_side {
                    (frame.x(i) - 10.0, HPos::Right)
                } else {
                    (frame.x(i) + 10.0, HPos::Left)
                };
                let ink = if looks[*si].is_some() {
                    colour::INK
                } else {
                    colour::MUTED
                };
                c.titled(
                    "mb-label",
                    &s.full_label,
                    &[Shape::text(
                        &label,
                        (x, y),
                        LABEL_PX,
                        ink,
                        anchor,
                        VPos::Center,
                    )],
                )?;
            }
        }
    }

    if !any_value {
        layout::empty_note(
            &mut c,
            ((left + right) / 2.0, (top + bottom) / 2.0 + 10.0),
            &t.not_reported,
        )?;
    }
    Ok(c.into())
}
