//! Line charts: values over x labels (usually years).

use super::canvas::{
    colour, look, tooltip, Body, Canvas, Fill, Group, Look, Marker, Shape, Target, Xy, SMALL_PX,
    TEXT_PX,
};
use super::layout::{self, Frame, Legend, Missing, LEGEND_H, MARGIN, STRIP_H, XLABEL_H};
use super::scale::{self, clean_value, Scale};
use super::{text, Chart, LineChart, Point, Series};
use plotters::style::text_anchor::{HPos, VPos};

const PLOT_H: f64 = 320.0;
const LABEL_MAX: f64 = 210.0;

/// Which series are coloured, and how: highlighted ones, or all of up to 7
/// when none is highlighted.
pub(crate) fn looks(series: &[Series], extra: &[bool]) -> Vec<Option<Look>> {
    let any = series.iter().any(|s| s.highlight) || extra.iter().any(|b| *b);
    let mut k = 0;
    series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let on = if any {
                s.highlight || extra.get(i).copied().unwrap_or(false)
            } else {
                series.len() <= 7
            };
            on.then(|| {
                k += 1;
                look(k - 1)
            })
        })
        .collect()
}

/// Runs of consecutive reported points.
pub(crate) fn segments(ys: &[Option<Xy>]) -> Vec<Vec<Xy>> {
    let mut out = Vec::new();
    let mut cur: Vec<Xy> = Vec::new();
    for p in ys {
        match p {
            Some(p) => cur.push(*p),
            None if !cur.is_empty() => out.push(std::mem::take(&mut cur)),
            None => {}
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Tooltip of one point.
pub(crate) fn point_title(
    chart: &Chart,
    axis: &super::Axis,
    s: &Series,
    x: &str,
    v: f64,
    p: Option<&Point>,
) -> String {
    let described = scale::describe(axis, v, chart.lang, &chart.text);
    let mut t = String::with_capacity(s.full_label.len() + described.len() + 24);
    text::push_all(&mut t, &[&s.full_label, "\n"]);
    layout::push_when(&mut t, &chart.text, x);
    text::push_all(&mut t, &[": ", &described]);
    if let Some(note) = p
        .and_then(|p| p.note.as_deref())
        .filter(|n| !n.trim().is_empty())
    {
        text::push_all(&mut t, &[" (", note.trim(), ")"]);
    }
    if let Some(flag) = p.and_then(|p| p.flag.as_deref()) {
        text::push_all(&mut t, &["\n", &chart.text.flagged, ": ", flag]);
    }
    t
}

/// Height of a row of line names below a narrow chart.
const ROW_H: f64 = 20.0;

/// What both drawings of a line chart (the page's and the phone's) share:
/// everything that does not depend on the width, the tooltips escaped.
pub(crate) struct Prepared {
    vals: Vec<Vec<Option<f64>>>,
    scale: Scale,
    any_value: bool,
    any_missing: bool,
    looks: Vec<Option<Look>>,
    legend: Vec<Legend>,
    caption: Option<String>,
    tick_labels: Vec<String>,
    tick_width: f64,
    /// The coloured series with a value: labelled at their right end.
    labelled: Vec<usize>,
    /// The widest name of `labelled`.
    widest: f64,
    /// Per series, its full label as a tooltip.
    series_tips: Vec<String>,
    /// Per series and x, the tooltip of a point that is drawn.
    point_tips: Vec<Vec<Option<String>>>,
}

pub(crate) fn prepare(chart: &Chart, lc: &LineChart) -> Result<Prepared, String> {
    let lang = chart.lang;
    let t = &chart.text;
    let axis = &lc.axis;
    let n = lc.x_labels.len();
    let vals: Vec<Vec<Option<f64>>> = lc
        .series
        .iter()
        .map(|s| {
            (0..n)
                .map(|i| clean_value(axis, s.points.get(i).and_then(|p| p.value)))
                .collect()
        })
        .collect();
    let scale = Scale::new(axis, vals.iter().flatten().flatten().copied());
    let any_value = vals.iter().flatten().any(Option::is_some);
    let any_missing = vals.iter().flatten().any(Option::is_none);
    let any_flag = lc
        .series
        .iter()
        .any(|s| s.points.iter().take(n).any(|p| p.flag.is_some()));
    let looks = looks(&lc.series, &[]);

    let mut legend = Vec::new();
    if any_missing || !any_value {
        legend.push(Legend::NotReported(t.not_reported.clone()));
    }
    if any_flag {
        legend.push(Legend::Flagged(t.flagged.clone()));
    }
    let caption = scale::caption(axis, t);
    let tick_labels = layout::tick_labels(&scale, lang);
    let tick_width = layout::tick_width(&tick_labels)?;
    let labelled: Vec<usize> = (0..lc.series.len())
        .filter(|i| looks[*i].is_some() && vals[*i].iter().any(Option::is_some))
        .collect();
    let widest = if labelled.is_empty() {
        0.0
    } else {
        text::max_width(
            labelled.iter().map(|i| lc.series[*i].label.as_str()),
            TEXT_PX,
        )?
    };
    let series_tips = lc.series.iter().map(|s| tooltip(&s.full_label)).collect();
    let point_tips = lc
        .series
        .iter()
        .enumerate()
        .map(|(si, s)| {
            (0..n)
                .map(|i| {
                    let p = s.points.get(i);
                    let v = vals[si][i]?;
                    // Drawn: a marker of a coloured line, or a flag's ring.
                    let drawn = looks[si].is_some() || p.is_some_and(|p| p.flag.is_some());
                    drawn.then(|| tooltip(&point_title(chart, axis, s, &lc.x_labels[i], v, p)))
                })
                .collect()
        })
        .collect();
    Ok(Prepared {
        vals,
        scale,
        any_value,
        any_missing,
        looks,
        legend,
        caption,
        tick_labels,
        tick_width,
        labelled,
        widest,
        series_tips,
        point_tips,
    })
}

pub(crate) fn render(chart: &Chart, lc: &LineChart, target: Target) -> Result<Body, String> {
    draw(chart, lc, &prepare(chart, lc)?, target)
}

/// The drawing of a [`prepare`]d line chart for `target`.
pub(crate) fn draw(
    chart: &Chart,
    lc: &LineChart,
    prep: &Prepared,
    target: Target,
) -> Result<Body, String> {
    let width = target.width;
    let t = &chart.text;
    let n = lc.x_labels.len();
    let Prepared {
        vals,
        scale,
        any_value,
        any_missing,
        looks,
        legend,
        caption,
        labelled,
        ..
    } = prep;
    let (any_value, any_missing) = (*any_value, *any_missing);

    // Layout, top to bottom.
    let w = f64::from(width);
    let mut top = MARGIN;
    let legend_y = top + LEGEND_H / 2.0;
    if !legend.is_empty() {
        top += LEGEND_H;
    }
    let caption_y = top + 8.0;
    if caption.is_some() {
        top += 22.0;
    }
    top += 12.0;
    let left = MARGIN + prep.tick_width + 12.0;
    let mut label_room = if labelled.is_empty() {
        16.0
    } else {
        prep.widest.min(LABEL_MAX) + 40.0
    };
    // On a narrow drawing (a phone's) the line names would leave the plot
    // too little room: they go in rows below it instead.
    let stacked = !labelled.is_empty() && w - MARGIN - label_room - left < 0.6 * w;
    if stacked {
        label_room = 16.0;
    }
    let right = w - MARGIN - label_room;
    let bottom = top + PLOT_H;
    let frame = Frame {
        left,
        right,
        top,
        bottom,
        n,
        pad: if n > 1 { 28.0 } else { 0.0 },
    };
    let strip_y = bottom + STRIP_H / 2.0 + 4.0;
    let xlabel_y = bottom + if any_missing { STRIP_H + 8.0 } else { 8.0 };
    let rows_y = xlabel_y + XLABEL_H + 4.0;
    let h = if stacked {
        rows_y + ROW_H * labelled.len() as f64 + MARGIN
    } else {
        xlabel_y + XLABEL_H + MARGIN
    };

    let mut c = Canvas::new(w, h, target);
    c.draw(&[Shape::rect(
        (0.0, 0.0),
        (c.w, c.h),
        colour::WHITE,
        Fill::Solid,
    )])?;
    layout::legend(&mut c, left, legend_y, legend)?;
    layout::y_axis(
        &mut c,
        &frame,
        scale,
        &prep.tick_labels,
        caption.as_deref().map(|s| (s, caption_y)),
    )?;
    layout::x_labels(&mut c, &frame, &lc.x_labels, xlabel_y)?;

    let pos: Vec<Vec<Option<Xy>>> = vals
        .iter()
        .map(|vs| {
            vs.iter()
                .enumerate()
                .map(|(i, v)| v.map(|v| (frame.x(i), frame.y(scale, v))))
                .collect()
        })
        .collect();

    // Grey context lines first, coloured lines on top.
    let mut missing = Vec::new();
    for pass_coloured in [false, true] {
        for (si, s) in lc.series.iter().enumerate() {
            let lk = looks[si];
            if lk.is_some() != pass_coloured {
                continue;
            }
            let segs = segments(&pos[si]);
            c.begin_tip(
                if lk.is_some() {
                    "mb-series"
                } else {
                    "mb-series mb-context"
                },
                &prep.series_tips[si],
            );
            match lk {
                Some(lk) => {
                    c.begin(Group {
                        dash: lk.dash,
                        ..Group::default()
                    });
                    let paths: Vec<Shape> = segs
                        .into_iter()
                        .filter(|seg| seg.len() > 1)
                        .map(|seg| Shape::path(seg, lk.colour, 3))
                        .collect();
                    c.draw(&paths)?;
                    c.end();
                }
                None => {
                    let shapes: Vec<Shape> = segs
                        .into_iter()
                        .map(|seg| {
                            if seg.len() > 1 {
                                Shape::path(seg, colour::CONTEXT, 1)
                            } else {
                                Shape::marker(
                                    Marker::Circle,
                                    seg[0],
                                    2.5,
                                    colour::CONTEXT,
                                    Fill::Solid,
                                )
                            }
                        })
                        .collect();
                    c.draw(&shapes)?;
                }
            }
            for i in 0..n {
                let p = s.points.get(i);
                let flag = p.and_then(|p| p.flag.as_ref());
                let (Some(at), Some(_)) = (pos[si][i], vals[si][i]) else {
                    missing.push(Missing {
                        x: i,
                        look: lk,
                        name: s.full_label.clone(),
                        flag: flag.cloned(),
                    });
                    continue;
                };
                let mut shapes = Vec::new();
                if let Some(lk) = lk {
                    shapes.push(Shape::marker(lk.marker, at, 4.5, lk.colour, Fill::Solid));
                }
                if flag.is_some() {
                    shapes.push(layout::flag_ring(at, 9.0));
                }
                // A drawn point (a marker or a flag's ring) has its tooltip
                // prepared ([`prepare`]); nothing else is drawn.
                let Some(tip) = &prep.point_tips[si][i] else {
                    continue;
                };
                let class = if flag.is_some() {
                    "mb-point mb-flagged"
                } else {
                    "mb-point"
                };
                c.titled_tip(class, tip, &shapes)?;
            }
            // Notes such as "▲8" beside their points.
            let notes: Vec<Shape> = (0..n)
                .filter_map(|i| {
                    let note = s.points.get(i)?.note.as_deref()?.trim();
                    let (x, y) = pos[si][i]?;
                    (!note.is_empty()).then(|| {
                        Shape::text(
                            note,
                            (x + 8.0, y - 7.0),
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
        layout::missing_strip(&mut c, &frame, strip_y, &missing, &lc.x_labels, t)?;
    }

    // Direct labels at the right end of coloured lines.
    let last: Vec<f64> = labelled
        .iter()
        .map(|si| {
            pos[*si]
                .iter()
                .rev()
                .flatten()
                .next()
                .map(|p| p.1)
                .unwrap_or(bottom)
        })
        .collect();
    let ys = if stacked {
        (0..labelled.len())
            .map(|k| rows_y + ROW_H * (k as f64 + 0.5))
            .collect()
    } else {
        layout::spread(&last, 17.0, top, bottom)
    };
    let (lx, room) = if stacked {
        (MARGIN, w - 2.0 * MARGIN - 16.0)
    } else {
        (right + 12.0, label_room - 40.0)
    };
    for (k, si) in labelled.iter().enumerate() {
        let s = &lc.series[*si];
        let Some(lk) = looks[*si] else { continue };
        let (label, _) = text::fit(&s.label, TEXT_PX, room)?;
        c.titled_tip(
            "mb-label",
            &prep.series_tips[*si],
            &[
                Shape::marker(lk.marker, (lx + 6.0, ys[k]), 4.5, lk.colour, Fill::Solid),
                Shape::text(
                    &label,
                    (lx + 16.0, ys[k]),
                    TEXT_PX,
                    colour::INK,
                    HPos::Left,
                    VPos::Center,
                ),
            ],
        )?;
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
