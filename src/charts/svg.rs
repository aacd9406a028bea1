//! The SVG markup of the chart primitives, written straight into the
//! chart's buffer.
//!
//! The bytes are exactly those plotters' `SVGBackend` (plotters-svg 0.3)
//! writes for the same element drawn on a root drawing area: the charts were
//! drawn through it before, and their output stays byte-identical. Drawing
//! through the backend cost a backend, a drawing area, a font lookup (a copy
//! of the font's tables) per text and a `String` per attribute for every
//! batch of shapes; this writes the same markup with none of them. The tests
//! below draw every kind of shape both ways and compare the bytes.

use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::RGBAColor;
use std::fmt::Write as _;
use std::ops::{Deref, DerefMut};

/// Markup being written, with or without plotters' line breaks after each
/// element: a drawing inlined in a page goes without them (the page would
/// strip them; SVG ignores them), and then no line break is written at all,
/// not even one inside a text.
pub(crate) struct Markup {
    text: String,
    line_breaks: bool,
    /// The `font-size` values written so far, by the bits of the size
    /// given: a chart uses two or three sizes for hundreds of texts, and
    /// writing an `f64` in its shortest form is costly.
    font_sizes: Vec<(u64, Box<str>)>,
}

impl Markup {
    pub fn new(line_breaks: bool, capacity: usize) -> Markup {
        Markup {
            text: String::with_capacity(capacity),
            line_breaks,
            font_sizes: Vec::new(),
        }
    }

    pub fn line_breaks(&self) -> bool {
        self.line_breaks
    }

    /// The end of a line: `\n`, or nothing.
    pub fn line_end(&mut self) {
        if self.line_breaks {
            self.text.push('\n');
        }
    }

    pub fn into_string(self) -> String {
        self.text
    }
}

impl Deref for Markup {
    type Target = String;
    fn deref(&self) -> &String {
        &self.text
    }
}

impl DerefMut for Markup {
    fn deref_mut(&mut self) -> &mut String {
        &mut self.text
    }
}

/// The pixel of a point of a `size` drawing, as plotters maps it on a root
/// drawing area: rounded, then held inside the area (its far edges
/// included).
pub(crate) fn pixel((x, y): (f64, f64), size: (u32, u32)) -> (i32, i32) {
    // `as` saturates and maps NaN to 0: never panics.
    let (x, y) = (x.round() as i32, y.round() as i32);
    let (w, h) = (
        i32::try_from(size.0).unwrap_or(i32::MAX),
        i32::try_from(size.1).unwrap_or(i32::MAX),
    );
    (x.clamp(0, w), y.clamp(0, h))
}

/// A whole number as plotters writes it (`{}`): its digits, after a `-`
/// when negative. Written from a buffer on the stack: every coordinate of
/// every chart goes through here, and `write!` cost three times as much
/// (a formatter, padding checks, a call per piece).
fn int(out: &mut Markup, v: i64) {
    if v < 0 {
        out.push('-');
    }
    for &b in crate::format::digits(v.unsigned_abs(), &mut [0u8; 20]) {
        out.push(char::from(b));
    }
}

/// ` opacity="…"` from the colour's alpha, as `{}` of an f64.
fn opacity(out: &mut Markup, c: RGBAColor) {
    out.push_str(" opacity=\"");
    if c.3 == 1.0 {
        out.push('1');
    } else {
        let _ = write!(out, "{}", c.3);
    }
    out.push('"');
}

/// `#RRGGBB`, upper-case hex.
fn hex(out: &mut Markup, c: RGBAColor) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    out.push('#');
    for b in [c.0, c.1, c.2] {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xF)]));
    }
}

/// ` name="#RRGGBB"`.
fn colour_attr(out: &mut Markup, name: &str, c: RGBAColor) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    hex(out, c);
    out.push('"');
}

/// ` name="v"` for a whole number.
fn int_attr(out: &mut Markup, name: &str, v: i64) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    int(out, v);
    out.push('"');
}

/// ` points="x,y x,y "`: every point followed by a space.
fn points(out: &mut Markup, pts: impl IntoIterator<Item = (i32, i32)>) {
    out.push_str(" points=\"");
    for (x, y) in pts {
        int(out, i64::from(x));
        out.push(',');
        int(out, i64::from(y));
        out.push(' ');
    }
    out.push('"');
}

/// `font_size / 1.24` as `{}` of an f64, remembered per size.
fn font_size_value(out: &mut Markup, font_size: f64) {
    let key = font_size.to_bits();
    let i = match out.font_sizes.iter().position(|(k, _)| *k == key) {
        Some(i) => i,
        None => {
            let v = (font_size / 1.24).to_string().into_boxed_str();
            out.font_sizes.push((key, v));
            out.font_sizes.len() - 1
        }
    };
    let Markup {
        text, font_sizes, ..
    } = out;
    text.push_str(&font_sizes[i].1);
}

/// Text content or an attribute value, escaped as plotters does.
fn escaped(out: &mut Markup, s: &str) {
    let line_break = if out.line_breaks() { "\n" } else { "" };
    let mut rest = s;
    while let Some(i) = rest.find(['<', '>', '&', '"', '\'', '\n']) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'&' => "&amp;",
            b'"' => "&quot;",
            b'\'' => "&apos;",
            _ => line_break,
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

/// An open line through `pts` (plotters' `PathElement`). The points are
/// taken as they come: a shape's pixels are never collected first.
pub(crate) fn polyline(
    out: &mut Markup,
    pts: impl IntoIterator<Item = (i32, i32)>,
    c: RGBAColor,
    width: u32,
) {
    if c.3 == 0.0 {
        return;
    }
    out.push_str("<polyline fill=\"none\"");
    opacity(out, c);
    colour_attr(out, "stroke", c);
    int_attr(out, "stroke-width", i64::from(width));
    points(out, pts);
    out.push_str("/>");
    out.line_end();
}

/// A filled polygon (plotters' `Polygon`).
pub(crate) fn polygon(out: &mut Markup, pts: impl IntoIterator<Item = (i32, i32)>, c: RGBAColor) {
    if c.3 == 0.0 {
        return;
    }
    out.push_str("<polygon");
    opacity(out, c);
    colour_attr(out, "fill", c);
    points(out, pts);
    out.push_str("/>");
    out.line_end();
}

/// A circle (plotters' `Circle`): filled, or outlined `stroke_width` wide.
/// A filled one carries plotters' default stroke width, 1.
pub(crate) fn circle(
    out: &mut Markup,
    (x, y): (i32, i32),
    r: u32,
    c: RGBAColor,
    filled: bool,
    stroke_width: u32,
) {
    if c.3 == 0.0 {
        return;
    }
    out.push_str("<circle");
    int_attr(out, "cx", i64::from(x));
    int_attr(out, "cy", i64::from(y));
    int_attr(out, "r", i64::from(r));
    opacity(out, c);
    if filled {
        colour_attr(out, "fill", c);
        out.push_str(" stroke=\"none\"");
    } else {
        out.push_str(" fill=\"none\"");
        colour_attr(out, "stroke", c);
    }
    int_attr(out, "stroke-width", i64::from(stroke_width));
    out.push_str("/>");
    out.line_end();
}

/// A rectangle between two corners in any order (plotters' `Rectangle`).
pub(crate) fn rect(out: &mut Markup, a: (i32, i32), b: (i32, i32), c: RGBAColor, filled: bool) {
    if c.3 == 0.0 {
        return;
    }
    let (x0, y0) = (a.0.min(b.0), a.1.min(b.1));
    let (x1, y1) = (a.0.max(b.0), a.1.max(b.1));
    out.push_str("<rect");
    int_attr(out, "x", i64::from(x0));
    int_attr(out, "y", i64::from(y0));
    int_attr(out, "width", i64::from(x1) - i64::from(x0));
    int_attr(out, "height", i64::from(y1) - i64::from(y0));
    opacity(out, c);
    if filled {
        colour_attr(out, "fill", c);
        out.push_str(" stroke=\"none\"");
    } else {
        out.push_str(" fill=\"none\"");
        colour_attr(out, "stroke", c);
    }
    out.push_str("/>");
    out.line_end();
}

/// One line of text anchored at `at` (plotters' `Text`) in the
/// `sans-serif` family; `font_size` is the size plotters was given, which
/// it writes divided by 1.24.
pub(crate) fn text(
    out: &mut Markup,
    s: &str,
    (x, y): (i32, i32),
    font_size: f64,
    c: RGBAColor,
    h: HPos,
    v: VPos,
) {
    if c.3 == 0.0 {
        return;
    }
    out.push_str("<text");
    int_attr(out, "x", i64::from(x));
    int_attr(out, "y", i64::from(y));
    out.push_str(match v {
        VPos::Top => " dy=\"0.76em\"",
        VPos::Center => " dy=\"0.5ex\"",
        VPos::Bottom => " dy=\"-0.5ex\"",
    });
    out.push_str(match h {
        HPos::Left => " text-anchor=\"start\"",
        HPos::Right => " text-anchor=\"end\"",
        HPos::Center => " text-anchor=\"middle\"",
    });
    out.push_str(" font-family=\"sans-serif\" font-size=\"");
    font_size_value(out, font_size);
    out.push('"');
    opacity(out, c);
    colour_attr(out, "fill", c);
    out.push('>');
    out.line_end();
    escaped(out, s);
    out.line_end();
    out.push_str("</text>");
    out.line_end();
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::backend::SVGBackend;
    use plotters::prelude::*;
    use plotters::style::text_anchor::Pos;

    type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

    /// What plotters' SVG backend writes for what `draw` draws, without its
    /// wrapping `<svg>` element.
    fn plotters(draw: impl Fn(&Area)) -> String {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
            draw(&area);
            area.present().expect("present");
        }
        let inner = svg.split_once(">\n").expect("svg root").1;
        inner.strip_suffix("</svg>\n").expect("svg end").to_string()
    }

    fn ours(write: impl Fn(&mut Markup)) -> String {
        let mut out = Markup::new(true, 0);
        write(&mut out);
        let with = out.into_string();
        // Without line breaks: the same markup less every line break.
        let mut out = Markup::new(false, 0);
        write(&mut out);
        assert_eq!(out.into_string(), with.replace('\n', ""));
        with
    }

    const COLOURS: [RGBAColor; 4] = [
        RGBAColor(0x00, 0x72, 0xB2, 1.0),
        RGBAColor(0xE6, 0x9F, 0x0A, 0.8),
        RGBAColor(0xFF, 0xFF, 0xFF, 1.0),
        RGBAColor(0x12, 0x34, 0x56, 0.0),
    ];

    const SIZE: (u32, u32) = (960, 700);

    const POINTS: [&[(f64, f64)]; 5] = [
        &[],
        &[(3.4, 4.5)],
        &[(0.0, 0.0), (959.5, 699.49)],
        &[(-5.0, 12.0), (100.0, -7.2), (250.0, 250.0), (-5.0, 12.0)],
        &[(961.0, 701.0), (1e12, f64::NAN), (-1e12, 3.0)],
    ];

    /// What plotters is given: rounded pixels, not held inside the area.
    fn rounded(pts: &[(f64, f64)]) -> Vec<(i32, i32)> {
        pts.iter()
            .map(|(x, y)| (x.round() as i32, y.round() as i32))
            .collect()
    }

    fn ours_pts(pts: &[(f64, f64)]) -> Vec<(i32, i32)> {
        pts.iter().map(|p| pixel(*p, SIZE)).collect()
    }

    #[test]
    fn whole_numbers_are_written_as_display_writes_them() {
        let mut values = vec![0, 1, -1, 9, 10, -10, 99, 100, 959, 960, 1000, -4321];
        values.extend([i64::MIN, i64::MIN + 1, i64::MAX, i64::from(i32::MIN)]);
        values.extend((0..63).map(|k| 1i64 << k).flat_map(|v| [v - 1, v, -v]));
        for v in values {
            let mut out = Markup::new(false, 0);
            out.push('x');
            int(&mut out, v);
            assert_eq!(out.into_string(), format!("x{v}"));
        }
    }

    #[test]
    fn lines_and_polygons_match_plotters() {
        for c in COLOURS {
            for pts in POINTS {
                for w in [1, 2, 3] {
                    assert_eq!(
                        ours(|o| polyline(o, ours_pts(pts), c, w)),
                        plotters(|a| a
                            .draw(&PathElement::new(rounded(pts), c.stroke_width(w)))
                            .expect("draw")),
                        "polyline {pts:?} {c:?} {w}"
                    );
                }
                assert_eq!(
                    ours(|o| polygon(o, ours_pts(pts), c)),
                    plotters(|a| a
                        .draw(&Polygon::new(rounded(pts), c.filled()))
                        .expect("draw")),
                    "polygon {pts:?} {c:?}"
                );
            }
        }
    }

    #[test]
    fn circles_and_rects_match_plotters() {
        for c in COLOURS {
            for (at, r) in [((10.4, 20.6), 5), ((-3.0, 700.4), 0), ((480.0, 1e9), 12)] {
                let p = rounded(&[at])[0];
                assert_eq!(
                    ours(|o| circle(o, pixel(at, SIZE), r, c, true, 1)),
                    plotters(|a| a.draw(&Circle::new(p, r, c.filled())).expect("draw")),
                );
                assert_eq!(
                    ours(|o| circle(o, pixel(at, SIZE), r, c, false, 2)),
                    plotters(|a| a.draw(&Circle::new(p, r, c.stroke_width(2))).expect("draw")),
                );
            }
            for (p, q) in [
                ((0.0, 0.0), (960.0, 700.0)),
                ((50.2, 40.0), (10.0, 90.5)),
                ((7.0, 7.0), (7.0, 7.0)),
                ((-20.0, 650.0), (990.0, 720.0)),
            ] {
                let (a, b) = (pixel(p, SIZE), pixel(q, SIZE));
                let pq = rounded(&[p, q]);
                assert_eq!(
                    ours(|o| rect(o, a, b, c, true)),
                    plotters(|area| area
                        .draw(&Rectangle::new([pq[0], pq[1]], c.filled()))
                        .expect("draw")),
                );
                assert_eq!(
                    ours(|o| rect(o, a, b, c, false)),
                    plotters(|area| area
                        .draw(&Rectangle::new([pq[0], pq[1]], c.stroke_width(1)))
                        .expect("draw")),
                );
            }
        }
    }

    #[test]
    fn text_matches_plotters() {
        crate::charts::text::ensure_font().expect("font");
        let texts = [
            "Sở Thông tin và Truyền thông",
            "<a href=\"x\">&'quoted'</a>",
            "",
            "▲8 … 42,5 %",
            "two\nlines",
        ];
        for c in COLOURS {
            for s in texts {
                for px in [12.5, 13.0, 14.0, 15.5] {
                    for h in [HPos::Left, HPos::Center, HPos::Right] {
                        for v in [VPos::Top, VPos::Center, VPos::Bottom] {
                            let size = crate::charts::text::plotters_size(px);
                            let style = TextStyle::from(crate::charts::text::font(px))
                                .color(&c)
                                .pos(Pos::new(h, v));
                            let at = (-4.0, 33.5);
                            assert_eq!(
                                ours(|o| text(o, s, pixel(at, SIZE), size, c, h, v)),
                                plotters(|a| a
                                    .draw(&Text::new(s, rounded(&[at])[0], style.clone()))
                                    .expect("draw")),
                                "{s:?} {px} {c:?}"
                            );
                        }
                    }
                }
            }
        }
    }
}
