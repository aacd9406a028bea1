//! Drawing: shapes in pixel coordinates of the whole chart, written as the
//! markup plotters' SVG backend gives them (see `svg`), plus the grouping
//! plotters cannot write: `<g>` with a `<title>` tooltip, a class, or a dash
//! pattern. Shapes' text is escaped as plotters escapes it; everything this
//! module writes itself goes through [`escape`].

use super::svg::{self, Markup};
use super::text::{self, escape};
use super::Chart;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::{Color, RGBAColor, RGBColor};
use std::fmt::Write as _;

pub(crate) type Xy = (f64, f64);

/// Colours. Series colours come from [`PALETTE`].
pub(crate) mod colour {
    use plotters::style::RGBColor;
    pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
    /// Secondary text: 5.7:1 on white.
    pub const MUTED: RGBColor = RGBColor(0x66, 0x66, 0x66);
    pub const AXIS: RGBColor = RGBColor(0x55, 0x55, 0x55);
    pub const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);
    /// Context lines.
    pub const CONTEXT: RGBColor = RGBColor(0xB4, 0xB4, 0xB4);
    pub const BAR: RGBColor = RGBColor(0x00, 0x72, 0xB2);
    pub const WHITE: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);
}

/// Okabe–Ito, without its yellow (too pale on white), darkest first. Series
/// also differ by marker shape and dash so they survive greyscale printing.
pub(crate) const PALETTE: [RGBColor; 7] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0x00, 0x00, 0x00), // black
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
];

/// Dash patterns for highlighted lines, cycled with a period prime to the
/// palette's so colour and dash combinations do not repeat early.
pub(crate) const DASHES: [Option<&str>; 4] = [None, Some("9 4"), Some("3 3"), Some("10 3 2 3")];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
    TriangleDown,
}

pub(crate) const MARKERS: [Marker; 5] = [
    Marker::Circle,
    Marker::Square,
    Marker::Triangle,
    Marker::Diamond,
    Marker::TriangleDown,
];

/// The look of series number `i` among the highlighted ones.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Look {
    pub colour: RGBColor,
    pub dash: Option<&'static str>,
    pub marker: Marker,
}

pub(crate) fn look(i: usize) -> Look {
    Look {
        colour: PALETTE[i % PALETTE.len()],
        dash: DASHES[i % DASHES.len()],
        marker: MARKERS[i % MARKERS.len()],
    }
}

/// Text sizes in CSS pixels (all ≥ 12).
pub(crate) const TEXT_PX: f64 = 14.0;
pub(crate) const SMALL_PX: f64 = 12.5;

/// One primitive, in pixel coordinates of the whole chart.
pub(crate) enum Shape {
    Line(Xy, Xy, RGBAColor, u32),
    Path(Vec<Xy>, RGBAColor, u32),
    Circle(Xy, f64, RGBAColor, Fill),
    Rect(Xy, Xy, RGBAColor, Fill),
    Polygon(Vec<Xy>, RGBAColor, Fill),
    Text(String, Xy, f64, RGBAColor, HPos, VPos),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Fill {
    Solid,
    /// Outline only, with this stroke width.
    Hollow(u32),
}

impl Shape {
    pub fn text(s: &str, at: Xy, size: f64, c: RGBColor, h: HPos, v: VPos) -> Shape {
        Shape::Text(text::clean(s, true), at, size, c.to_rgba(), h, v)
    }

    pub fn line(a: Xy, b: Xy, c: RGBColor, w: u32) -> Shape {
        Shape::Line(a, b, c.to_rgba(), w)
    }

    pub fn rect(a: Xy, b: Xy, c: RGBColor, fill: Fill) -> Shape {
        Shape::Rect(a, b, c.to_rgba(), fill)
    }

    pub fn path(pts: Vec<Xy>, c: RGBColor, w: u32) -> Shape {
        Shape::Path(pts, c.to_rgba(), w)
    }

    /// A marker of radius about `r` centred on `at`.
    pub fn marker(m: Marker, at: Xy, r: f64, c: RGBColor, fill: Fill) -> Shape {
        let (x, y) = at;
        let c = c.to_rgba();
        match m {
            Marker::Circle => Shape::Circle(at, r, c, fill),
            // plotters writes no stroke-width on outlined rects: a hollow
            // square is drawn as a closed path instead.
            Marker::Square => {
                let s = r * 0.9;
                Shape::Polygon(
                    vec![
                        (x - s, y - s),
                        (x + s, y - s),
                        (x + s, y + s),
                        (x - s, y + s),
                    ],
                    c,
                    fill,
                )
            }
            Marker::Triangle => {
                let s = r * 1.2;
                Shape::Polygon(
                    vec![(x, y - s), (x + s, y + s * 0.8), (x - s, y + s * 0.8)],
                    c,
                    fill,
                )
            }
            Marker::TriangleDown => {
                let s = r * 1.2;
                Shape::Polygon(
                    vec![(x, y + s), (x + s, y - s * 0.8), (x - s, y - s * 0.8)],
                    c,
                    fill,
                )
            }
            Marker::Diamond => {
                let s = r * 1.25;
                Shape::Polygon(
                    vec![(x, y - s), (x + s, y), (x, y + s), (x - s, y)],
                    c,
                    fill,
                )
            }
        }
    }

    /// Appends the shape's markup, as plotters' SVG backend writes it.
    fn write(&self, out: &mut Markup, size: (u32, u32)) {
        let px = |p: Xy| svg::pixel(p, size);
        match self {
            Shape::Line(a, b, c, w) => svg::polyline(out, [px(*a), px(*b)], *c, *w),
            Shape::Path(pts, c, w) => svg::polyline(out, pts.iter().copied().map(px), *c, *w),
            Shape::Circle(at, r, c, fill) => {
                let radius = r.round().clamp(0.0, 10_000.0) as u32;
                match fill {
                    Fill::Solid => svg::circle(out, px(*at), radius, *c, true, 1),
                    Fill::Hollow(w) => svg::circle(out, px(*at), radius, *c, false, *w),
                }
            }
            Shape::Rect(a, b, c, fill) => {
                svg::rect(out, px(*a), px(*b), *c, *fill == Fill::Solid);
            }
            Shape::Polygon(pts, c, Fill::Solid) => {
                svg::polygon(out, pts.iter().copied().map(px), *c);
            }
            Shape::Polygon(pts, c, Fill::Hollow(w)) => {
                // Closed: the first point again at the end.
                let ring = pts.iter().chain(pts.first()).copied().map(px);
                svg::polyline(out, ring, *c, *w);
            }
            Shape::Text(s, at, size, c, h, v) => {
                svg::text(out, s, px(*at), text::plotters_size(*size), *c, *h, *v);
            }
        }
    }
}

/// The markup of one chart, built batch by batch.
pub(crate) struct Canvas {
    pub w: f64,
    pub h: f64,
    size: (u32, u32),
    out: Markup,
    /// For each `begin` not yet ended: whether it wrote a `<g>`.
    open: Vec<bool>,
}

/// Attributes of a `<g>`.
#[derive(Default)]
pub(crate) struct Group<'a> {
    pub class: &'a str,
    pub title: Option<&'a str>,
    pub dash: Option<&'a str>,
}

/// What a drawing is for: its width, and whether its markup keeps a line
/// break after each element (a drawing inlined in a page has none).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Target {
    pub width: u32,
    pub line_breaks: bool,
}

impl Canvas {
    pub fn new(w: f64, h: f64, target: Target) -> Canvas {
        let size = (
            w.round().clamp(1.0, 100_000.0) as u32,
            h.round().clamp(1.0, 1_000_000.0) as u32,
        );
        Canvas {
            w: f64::from(size.0),
            h: f64::from(size.1),
            size,
            // Most charts' markup is 8–40 kB.
            out: Markup::new(target.line_breaks, 16 * 1024),
            open: Vec::new(),
        }
    }

    /// Appends the markup of `shapes`.
    pub fn draw(&mut self, shapes: &[Shape]) -> Result<(), String> {
        for s in shapes {
            s.write(&mut self.out, self.size);
        }
        Ok(())
    }

    /// Opens a `<g>`; close it with [`Canvas::end`].
    pub fn begin(&mut self, g: Group) {
        let empty = g.class.is_empty() && g.title.is_none() && g.dash.is_none();
        self.open.push(!empty);
        if empty {
            return;
        }
        let out = &mut self.out;
        open_g(out, g.class);
        if let Some(d) = g.dash {
            out.push_str(" stroke-dasharray=\"");
            let line_break = if out.line_breaks() { "\n" } else { "" };
            text::push_escaped(out, d, line_break);
            out.push('"');
        }
        out.push('>');
        if let Some(t) = g.title {
            // A tooltip's lines as character references: the page strips
            // the SVG's line breaks, which ran "tỉnh 1" and "Năm 2019"
            // together.
            out.push_str("<title>");
            text::push_escaped(out, t, "&#10;");
            out.push_str("</title>");
        }
        out.line_end();
    }

    /// Opens a `<g>` of `class` with a [`tooltip`] already escaped; close
    /// it with [`Canvas::end`]. The same as [`Canvas::begin`] with the
    /// tooltip's text as the group's title.
    pub fn begin_tip(&mut self, class: &str, tip: &str) {
        self.open.push(true);
        let out = &mut self.out;
        open_g(out, class);
        out.push_str("><title>");
        out.push_str(tip);
        out.push_str("</title>");
        out.line_end();
    }

    /// A `<g>` with a [`tooltip`] already escaped around `shapes`.
    pub fn titled_tip(&mut self, class: &str, tip: &str, shapes: &[Shape]) -> Result<(), String> {
        self.begin_tip(class, tip);
        let r = self.draw(shapes);
        self.end();
        r
    }

    pub fn end(&mut self) {
        if self.open.pop() == Some(true) {
            self.out.push_str("</g>");
            self.out.line_end();
        }
    }

    /// A `<g>` with a tooltip around `shapes`.
    pub fn titled(&mut self, class: &str, title: &str, shapes: &[Shape]) -> Result<(), String> {
        self.begin(Group {
            class,
            title: Some(title),
            dash: None,
        });
        let r = self.draw(shapes);
        self.end();
        r
    }

    pub fn finish(mut self) -> (Markup, (u32, u32)) {
        while !self.open.is_empty() {
            self.end();
        }
        (self.out, self.size)
    }
}

/// `<g` and its class attribute, if any.
fn open_g(out: &mut Markup, class: &str) {
    out.push_str("<g");
    if !class.is_empty() {
        out.push_str(" class=\"");
        let line_break = if out.line_breaks() { "\n" } else { "" };
        text::push_escaped(out, class, line_break);
        out.push('"');
    }
}

/// A tooltip's text escaped for a `<title>`, its lines as character
/// references: the page strips the SVG's line breaks, which ran "tỉnh 1"
/// and "Năm 2019" together.
pub(crate) fn tooltip(t: &str) -> String {
    let mut s = String::with_capacity(t.len() + 16);
    text::push_escaped(&mut s, t, "&#10;");
    s
}

/// What a renderer hands back: inner markup and the chart's size.
pub(crate) struct Body {
    pub markup: Markup,
    pub size: (u32, u32),
}

impl From<Canvas> for Body {
    fn from(c: Canvas) -> Body {
        let (markup, size) = c.finish();
        Body { markup, size }
    }
}

/// The whole document around a renderer's markup.
pub(crate) fn document(chart: &Chart, body: Body) -> String {
    let id = escape(&chart.id);
    let (w, h) = body.size;
    let mut s = Markup::new(body.markup.line_breaks(), body.markup.len() + 600);
    // Writing into a String cannot fail.
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"100%\" \
         preserveAspectRatio=\"xMidYMin meet\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" \
         stroke-linejoin=\"round\">"
    );
    s.line_end();
    let _ = write!(s, "<title id=\"{id}-title\">");
    let line_break = if s.line_breaks() { "\n" } else { "" };
    text::push_escaped(&mut s, &chart.title, line_break);
    s.push_str("</title>");
    s.line_end();
    let _ = write!(s, "<desc id=\"{id}-desc\">");
    text::push_escaped(&mut s, &chart.desc, line_break);
    s.push_str("</desc>");
    s.line_end();
    s.push_str(&body.markup);
    s.push_str("</svg>");
    s.line_end();
    s.into_string()
}
