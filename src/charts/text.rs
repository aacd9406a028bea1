//! The embedded font, text measuring, shortening and XML escaping.

use plotters::style::{register_font, FontDesc, FontFamily, FontStyle};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

/// DejaVu Sans (see assets/fonts/LICENSE-DejaVu.txt). Used only to measure
/// text; browsers draw the glyphs with their own sans-serif font, which is
/// never wider than DejaVu Sans, so measured text always fits.
static DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// plotters writes `font-size` as the requested size divided by this.
const PLOTTERS_FONT_RATIO: f64 = 1.24;

/// Registers the embedded font with plotters once per process.
pub(crate) fn ensure_font() -> Result<(), String> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            register_font("sans-serif", FontStyle::Normal, DEJAVU_SANS)
                .map_err(|_| "the embedded font DejaVuSans.ttf is not a valid font".to_string())
        })
        .clone()
}

/// The plotters font size that comes out as `px` CSS pixels in the SVG.
pub(crate) fn plotters_size(px: f64) -> f64 {
    px * PLOTTERS_FONT_RATIO
}

/// The font a chart uses at `px` CSS pixels.
pub(crate) fn font(px: f64) -> FontDesc<'static> {
    FontDesc::new(FontFamily::SansSerif, plotters_size(px), FontStyle::Normal)
}

/// Width of `s` at `px` CSS pixels, in SVG units (slightly generous).
pub(crate) fn width(s: &str, px: f64) -> Result<f64, String> {
    MEASURED.with(|m| m.borrow_mut().width(s, px))
}

/// Texts measured at one size, at most this many (then forgotten at once).
const MEASURED_MAX: usize = 1 << 16;

thread_local! {
    /// What this thread measured. The same words are measured again and
    /// again (agency names, tick labels, years: in both drawings of a
    /// chart, in both languages, on every page of a cohort), and each
    /// measuring needed the font looked up and its tables copied. A width
    /// is a pure function of the text and the size with the one embedded
    /// font, so remembering it changes nothing but the time.
    static MEASURED: RefCell<Measured> = RefCell::new(Measured::default());
}

#[derive(Default)]
struct Measured {
    /// Per size (the bits of `px`): the font at that size and the widths.
    sizes: Vec<(u64, FontDesc<'static>, Widths)>,
}

/// Text → width at one size. The texts come from data/ (agency names):
/// ahash is fast on short keys and, seeded per process, cannot be flooded
/// with chosen collisions.
type Widths = HashMap<Box<str>, f64, ahash::RandomState>;

impl Measured {
    fn width(&mut self, s: &str, px: f64) -> Result<f64, String> {
        let key = px.to_bits();
        let i = match self.sizes.iter().position(|(k, _, _)| *k == key) {
            Some(i) => i,
            None => {
                ensure_font()?;
                self.sizes.push((key, font(px), HashMap::default()));
                self.sizes.len() - 1
            }
        };
        let (_, font, widths) = &mut self.sizes[i];
        if let Some(w) = widths.get(s) {
            return Ok(*w);
        }
        let w = font
            .box_size(&clean_cow(s, true))
            .map(|(w, _)| f64::from(w))
            .map_err(|e| format!("cannot measure text: {e}"))?;
        if widths.len() >= MEASURED_MAX {
            widths.clear();
        }
        widths.insert(s.into(), w);
        Ok(w)
    }
}

/// The widest of `items` at `px`.
pub(crate) fn max_width<'a>(
    items: impl IntoIterator<Item = &'a str>,
    px: f64,
) -> Result<f64, String> {
    let mut max = 0.0f64;
    for s in items {
        max = max.max(width(s, px)?);
    }
    Ok(max)
}

/// `s` shortened with "…" so that it is at most `max` wide at `px`; the
/// flag says whether it was shortened. Never cuts before a combining mark.
pub(crate) fn fit(s: &str, px: f64, max: f64) -> Result<(String, bool), String> {
    let s = clean(s, true);
    if width(&s, px)? <= max {
        return Ok((s, false));
    }
    let chars: Vec<char> = s.chars().collect();
    let candidate = |k: usize| -> String {
        let mut k = k;
        while k > 0 && k < chars.len() && is_combining(chars[k]) {
            k -= 1;
        }
        let mut out: String = chars[..k].iter().collect();
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out.push('…');
        out
    };
    // The longest prefix that fits, by bisection: width grows with k.
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if width(&candidate(mid), px)? <= max {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Ok((candidate(lo), true))
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Appends `parts` one after another: a `format!` of plain strings costs
/// several times as much (a formatter, a call per piece, padding checks).
pub(crate) fn push_all(out: &mut String, parts: &[&str]) {
    out.reserve(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
}

/// [`clean`], borrowing `s` when there is nothing to change (most text).
pub(crate) fn clean_cow(s: &str, one_line: bool) -> Cow<'_, str> {
    if s.chars().any(|c| cleaned(c, one_line) != Some(c)) {
        Cow::Owned(clean(s, one_line))
    } else {
        Cow::Borrowed(s)
    }
}

/// Whether `s` has a byte [`clean`] may change: a control character, or
/// the first byte of U+FFFE or U+FFFF (EF BF BE, EF BF BF). Byte by byte:
/// no character is decoded.
fn may_need_cleaning(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        c < 0x20
            || (c == 0xEF
                && b.get(i + 1) == Some(&0xBF)
                && matches!(b.get(i + 2), Some(0xBE | 0xBF)))
    })
}

/// Drops what XML 1.0 cannot carry (control characters, U+FFFE, U+FFFF);
/// with `one_line`, line breaks and tabs become spaces. Text with nothing
/// to change (nearly all) is copied whole instead of character by
/// character.
pub(crate) fn clean(s: &str, one_line: bool) -> String {
    if !may_need_cleaning(s) {
        return s.to_owned();
    }
    s.chars().filter_map(|c| cleaned(c, one_line)).collect()
}

/// What [`clean`] makes of one character: itself, a space, or nothing.
fn cleaned(c: char, one_line: bool) -> Option<char> {
    match c {
        '\n' | '\r' | '\t' if one_line => Some(' '),
        '\n' | '\t' => Some(c),
        '\r' => None,
        c if (c as u32) < 0x20 => None,
        '\u{FFFE}' | '\u{FFFF}' => None,
        c => Some(c),
    }
}

/// Escapes text for XML content and double- or single-quoted attributes,
/// after [`clean`]ing it.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    push_escaped(&mut out, s, "\n");
    out
}

/// Appends [`escape`]`(s)` to `out` with each line break written as
/// `line_break` (`"\n"`, a character reference, or nothing), in one pass.
pub(crate) fn push_escaped(out: &mut String, s: &str, line_break: &str) {
    let bytes = s.as_bytes();
    let (mut done, mut i) = (0, 0);
    while i < bytes.len() {
        let (with, len) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&apos;", 1),
            b'\n' => (line_break, 1),
            b'\t' => {
                i += 1;
                continue;
            }
            // What XML cannot carry: the other control characters
            // (`\r` too) and U+FFFE, U+FFFF (EF BF BE, EF BF BF).
            0..=0x1F => ("", 1),
            0xEF if bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) =>
            {
                ("", 3)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[done..i]);
        out.push_str(with);
        i += len;
        done = i;
    }
    out.push_str(&s[done..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_shortens_with_ellipsis_and_keeps_short_text() {
        ensure_font().expect("font");
        let long = "Sở Thông tin và Truyền thông tỉnh Bà Rịa – Vũng Tàu";
        let (s, cut) = fit(long, 13.0, 120.0).expect("fit");
        assert!(cut);
        assert!(s.ends_with('…'));
        assert!(width(&s, 13.0).expect("w") <= 120.0);
        assert!(long.starts_with(s.trim_end_matches('…')));
        let (s, cut) = fit("Sở Y tế", 13.0, 200.0).expect("fit");
        assert_eq!((s.as_str(), cut), ("Sở Y tế", false));
        // Decomposed Vietnamese: never leave a combining mark dangling.
        let nfd = "Ha\u{0300} Nô\u{0323}i Ha\u{0300} Nô\u{0323}i Ha\u{0300} Nô\u{0323}i";
        for max in [10.0, 20.0, 30.0, 40.0, 50.0, 60.0] {
            let (s, _) = fit(nfd, 13.0, max).expect("fit");
            let before_ellipsis = s.trim_end_matches('…');
            assert!(nfd.starts_with(before_ellipsis));
            let rest = &nfd[before_ellipsis.len()..];
            assert!(!rest.chars().next().is_some_and(is_combining), "{s:?}");
        }
        // Nothing fits: just the ellipsis, no panic.
        assert_eq!(fit(long, 13.0, 1.0).expect("fit").0, "…");
    }

    proptest::proptest! {
        #[test]
        fn one_pass_escape_is_clean_then_xml_escape(s in "[\\x00-\\x20a&<>\"'\u{FFFD}-\u{FFFF}\u{7f}\u{2028}ệ\\n\\r\\t]{0,24}", any in proptest::prelude::any::<String>()) {
            for s in [&s, &any] {
                let composed = crate::clean::xml_escape(&clean(s, false)).into_owned();
                proptest::prop_assert_eq!(&escape(s), &composed);
                for lb in ["", "&#10;"] {
                    let mut out = String::from("x");
                    push_escaped(&mut out, s, lb);
                    proptest::prop_assert_eq!(&out[1..], composed.replace('\n', lb));
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn clean_copies_whole_what_it_would_not_change(s in "[\\x00-\\x20a\u{FFFD}-\u{FFFF}\u{FFC0}ệ\\n\\r\\t]{0,24}", any in proptest::prelude::any::<String>()) {
            for s in [&s, &any] {
                for one_line in [false, true] {
                    let by_char: String = s.chars().filter_map(|c| cleaned(c, one_line)).collect();
                    proptest::prop_assert_eq!(&clean(s, one_line), &by_char);
                }
            }
        }
    }

    #[test]
    fn escape_and_clean() {
        assert_eq!(
            escape("<script>&\"'\u{0}\u{1b}x"),
            "&lt;script&gt;&amp;&quot;&apos;x"
        );
        assert_eq!(clean("a\nb\tc\r", true), "a b c ");
    }
}
