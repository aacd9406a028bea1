//! Charts rendered at build time into standalone, accessible SVG.
//!
//! Every chart is drawn as the markup of plotters' SVG backend and wrapped in a root
//! `<svg role="img">` whose first children are the chart's `<title>` and
//! `<desc>`. Nothing needs JavaScript: the numbers are readable from the
//! drawing, every mark that stands for a value carries a `<title>` tooltip,
//! and [`data_table`] / [`data_csv`] give the same numbers as a table for the
//! page and as open data.
//!
//! Output is byte-identical for identical input: no hash-map iteration, no
//! random ids, no clock. Text is laid out with an embedded copy of DejaVu Sans
//! (see `assets/fonts/`), so the result does not depend on the fonts of the
//! build machine; browsers draw the glyphs with their own `sans-serif`.
//!
//! Honest encoding rules shared by every chart kind:
//! - a value that is not reported (missing, NaN, ±∞, or a rank below 1) is
//!   never drawn as 0: lines break, and a hollow marker sits in a strip below
//!   the axis, with a legend entry `ChartText::not_reported`;
//! - a flagged value (`flag: Some(explanation)`) gets a ring whose `<title>`
//!   holds the explanation, with a legend entry `ChartText::flagged`;
//! - a shortened label keeps its full text in a `<title>`.

mod bar;
mod bump;
mod canvas;
mod data;
mod distribution;
mod layout;
mod line;
mod scale;
mod svg;
mod text;

#[cfg(test)]
mod tests;

use crate::format::Lang;
use rayon::prelude::*;

/// Words a chart needs that come from the theme's translation files.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChartText {
    /// "Không báo cáo" / "Not reported".
    pub not_reported: String,
    /// "Cần lưu ý" / "Flagged": legend entry for data-quality warnings.
    pub flagged: String,
    /// "Trung vị" / "Median".
    pub median: String,
    /// "Xếp hạng" / "Rank".
    pub rank: String,
    /// "Năm" / "Year".
    pub year: String,
}

/// One value of a series, at one x label.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Point {
    /// `None`, NaN and ±∞ all mean "not reported".
    pub value: Option<f64>,
    /// Explanation of a data-quality warning on this value.
    pub flag: Option<String>,
    /// Short text shown beside the point, e.g. "▲8".
    pub note: Option<String>,
}

impl Point {
    /// A reported value with no flag and no note.
    pub fn new(value: f64) -> Point {
        Point {
            value: Some(value),
            flag: None,
            note: None,
        }
    }

    /// A value that was not reported.
    pub fn missing() -> Point {
        Point::default()
    }
}

/// One line of a [`LineChart`] or [`BumpChart`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    pub id: String,
    /// Short label; shortened further with "…" when it does not fit.
    pub label: String,
    /// Shown in `<title>` tooltips and in the data table.
    pub full_label: String,
    /// One per x label; missing trailing points count as not reported,
    /// extra points are ignored.
    pub points: Vec<Point>,
    /// Coloured and labelled; the others are thin grey context lines.
    pub highlight: bool,
}

/// What the value axis shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Axis {
    /// 0–100 %, fixed (widened only if a value falls outside).
    Percent,
    /// Ranks 1..=of, 1 on top.
    Rank { of: u32 },
    /// 0..a nice maximum, in `unit` (may be empty).
    Value { unit: String },
}

/// Lines over x labels (usually years).
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    pub x_labels: Vec<String>,
    pub axis: Axis,
    /// Highlighted series are coloured and labelled at their right end; the
    /// others are thin grey lines. If no series is highlighted and there are
    /// at most 7, all of them are coloured.
    pub series: Vec<Series>,
}

/// One bar of a [`BarChart`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Bar {
    pub id: String,
    pub label: String,
    pub full_label: String,
    pub value: Option<f64>,
    pub flag: Option<String>,
}

/// Horizontal bars, sorted by the renderer: highest first, not reported last
/// (ties keep their input order).
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// `Percent` or `Value`; a `Rank` axis is drawn as plain numbers.
    pub axis: Axis,
    pub bars: Vec<Bar>,
    /// Drawn as a dashed line labelled `ChartText::median` and its value.
    pub median: Option<f64>,
}

/// Ranks over the years, rank 1 on top.
#[derive(Debug, Clone, PartialEq)]
pub struct BumpChart {
    pub x_labels: Vec<String>,
    pub of: u32,
    /// Points carry ranks as f64. The three biggest movers (largest
    /// |first − last| rank) and any highlighted series are coloured.
    pub series: Vec<Series>,
}

/// For each year, a dot per agency with the median marked.
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    pub x_labels: Vec<String>,
    pub axis: Axis,
    /// One group per x label: (full label, value). Non-finite values count as
    /// not reported.
    pub groups: Vec<Vec<(String, f64)>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ChartKind {
    Line(LineChart),
    Bar(BarChart),
    Bump(BumpChart),
    Distribution(Distribution),
}

/// A chart to render.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Unique on the page, `[a-z0-9-]+`; prefix of the chart's element ids.
    pub id: String,
    pub title: String,
    /// The main finding in words, written by the caller.
    pub desc: String,
    pub lang: Lang,
    pub text: ChartText,
    pub kind: ChartKind,
}

/// A chart that could not be rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartError {
    /// The chart's id.
    pub chart: String,
    pub message: String,
}

impl std::fmt::Display for ChartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "chart {:?}: {}", self.chart, self.message)
    }
}

impl std::error::Error for ChartError {}

/// The width of every chart in SVG user units (the viewBox width).
pub const WIDTH: u32 = 960;

/// The SVG document (standalone-valid: xmlns, viewBox, no XML declaration
/// needed) to inline in a page and write as a .svg file.
pub fn render_svg(chart: &Chart) -> Result<String, ChartError> {
    render_svg_at(chart, WIDTH)
}

/// Width of the phone drawing of a chart: shown at 328–360 px (a 360 px
/// screen less the page's margins), its 14 and 12.5 unit text stays at
/// least 11 px.
pub const NARROW_WIDTH: u32 = 360;

/// [`render_svg`] laid out for a viewBox `width` units wide: the same
/// chart with the room of a phone (`NARROW_WIDTH`), not a shrunken copy.
pub fn render_svg_at(chart: &Chart, width: u32) -> Result<String, ChartError> {
    render(
        chart,
        canvas::Target {
            width,
            line_breaks: true,
        },
    )
}

/// [`render_svg`] without a single line break, to inline in a page (whose
/// minified markup has none; SVG ignores them): the same as removing every
/// `\n` from [`render_svg`]'s output, without writing them first.
pub fn render_svg_inline(chart: &Chart) -> Result<String, ChartError> {
    render(
        chart,
        canvas::Target {
            width: WIDTH,
            line_breaks: false,
        },
    )
}

/// The drawing inlined in a page and the phone's drawing of a chart: the
/// same as ([`render_svg_inline`], [`render_svg_at`] at [`NARROW_WIDTH`]),
/// with the work that does not depend on the width (values, scale, labels'
/// widths, tooltips) done once.
pub fn render_inline_and_narrow(chart: &Chart) -> Result<(String, String), ChartError> {
    let fail = fail(chart);
    check(chart)?;
    let inline = canvas::Target {
        width: WIDTH,
        line_breaks: false,
    };
    let narrow = canvas::Target {
        width: NARROW_WIDTH,
        line_breaks: true,
    };
    let (a, b) = match &chart.kind {
        ChartKind::Line(c) => {
            let prepared = line::prepare(chart, c).map_err(&fail)?;
            (
                line::draw(chart, c, &prepared, inline).map_err(&fail)?,
                line::draw(chart, c, &prepared, narrow).map_err(&fail)?,
            )
        }
        _ => (body(chart, inline)?, body(chart, narrow)?),
    };
    Ok((canvas::document(chart, a), canvas::document(chart, b)))
}

fn fail(chart: &Chart) -> impl Fn(String) -> ChartError + '_ {
    |message: String| ChartError {
        chart: chart.id.clone(),
        message,
    }
}

/// The chart can be drawn: its id is valid and the font is there.
fn check(chart: &Chart) -> Result<(), ChartError> {
    if chart.id.is_empty()
        || !chart
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(fail(chart)(
            "the chart id must match [a-z0-9-]+".to_string(),
        ));
    }
    text::ensure_font().map_err(fail(chart))
}

fn body(chart: &Chart, target: canvas::Target) -> Result<canvas::Body, ChartError> {
    match &chart.kind {
        ChartKind::Line(c) => line::render(chart, c, target),
        ChartKind::Bar(c) => bar::render(chart, c, target),
        ChartKind::Bump(c) => bump::render(chart, c, target),
        ChartKind::Distribution(c) => distribution::render(chart, c, target),
    }
    .map_err(fail(chart))
}

fn render(chart: &Chart, target: canvas::Target) -> Result<String, ChartError> {
    check(chart)?;
    Ok(canvas::document(chart, body(chart, target)?))
}

/// Exactly the numbers the chart shows, as CSV: a header row, `\n` line ends,
/// RFC 4180 quoting, UTF-8, machine formats (`format::plain`); an empty cell
/// means not reported.
pub fn data_csv(chart: &Chart) -> String {
    data::csv(chart)
}

/// The same numbers as a table for the page: (header cells, rows of cells),
/// formatted for people in `chart.lang`; not reported →
/// `chart.text.not_reported`.
pub fn data_table(chart: &Chart) -> (Vec<String>, Vec<Vec<String>>) {
    data::table(chart)
}

/// The output of [`render_svg`] with a fixed size (`width="960"
/// height="…"`) instead of `width="100%"`, for a `.svg` file opened on its
/// own: a browser fits a `100%` root into the window, which shrinks tall bar
/// charts, while inline in a page `100%` is what scales to a phone. Returns
/// the input unchanged if it is not a chart rendered here.
/// The `width` and `height` a [`standalone`] drawing was given.
pub fn fixed_size(standalone: &str) -> Option<(u32, u32)> {
    let attr = |name: &str| -> Option<u32> {
        let at = standalone.find(&format!(" {name}=\""))? + name.len() + 3;
        let rest = &standalone[at..];
        rest[..rest.find('"')?]
            .parse::<f64>()
            .ok()
            .map(|v| v.ceil() as u32)
    };
    Some((attr("width")?, attr("height")?))
}

pub fn standalone(svg: &str) -> String {
    let Some(end) = svg.find('>') else {
        return svg.to_string();
    };
    let root = &svg[..end];
    let height = root
        .split_once("viewBox=\"0 0 ")
        .and_then(|(_, rest)| rest.split_once('"'))
        .and_then(|(wh, _)| wh.split_once(' '))
        .map(|(w, h)| (w.to_string(), h.to_string()));
    match height {
        Some((w, h)) if root.contains(" width=\"100%\"") => {
            let fixed = root.replacen(
                " width=\"100%\"",
                &format!(" width=\"{w}\" height=\"{h}\""),
                1,
            );
            // One allocation of the whole size: the rest is most of it.
            let mut out = String::with_capacity(fixed.len() + svg.len() - end);
            out.push_str(&fixed);
            out.push_str(&svg[end..]);
            out
        }
        _ => svg.to_string(),
    }
}

/// Renders many charts in parallel; results in input order.
pub fn render_all(charts: &[Chart]) -> Vec<Result<String, ChartError>> {
    charts.par_iter().map(render_svg).collect()
}
