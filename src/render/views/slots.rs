//! Chart slots: where each chart's SVG goes in a finished page.

/// A chart drawn for a page: the SVG to inline and the files beside it.
#[derive(Debug, Clone)]
pub struct DrawnChart {
    pub id: String,
    pub title: String,
    /// Inline in the page (scales to the page's width).
    pub svg: String,
    /// The same drawing with a fixed size, for the .svg file.
    pub standalone: String,
    /// The chart's main finding in words (the drawing's description).
    pub desc: String,
    /// The chart laid out for a phone (`charts::NARROW_WIDTH` wide), fixed
    /// size, for the `.phone.svg` file that small screens show instead.
    pub phone: String,
    /// The width and height of `phone`.
    pub phone_size: (u32, u32),
    pub csv: String,
    pub table_head: Vec<String>,
    pub table_rows: Vec<Vec<String>>,
    /// How long drawing it took, for `--timings`.
    pub time: std::time::Duration,
}

/// The marker a theme writes (`{{ c.slot | safe }}`) where chart `i` goes.
/// The SVG replaces it after the page is minified: the drawing is compact
/// already, and the minifier need not parse it again on every page.
pub fn chart_slot(i: usize) -> String {
    format!("\u{E000}minhbach-chart-{i}\u{E001}")
}

/// Puts the charts into their slots.
pub fn fill_chart_slots(html: &[u8], charts: &[DrawnChart]) -> Vec<u8> {
    if charts.is_empty() {
        return html.to_vec();
    }
    let mut out =
        Vec::with_capacity(html.len() + charts.iter().map(|c| c.svg.len()).sum::<usize>());
    let mut rest = html;
    const START: &[u8] = "\u{E000}minhbach-chart-".as_bytes();
    const END: &[u8] = "\u{E001}".as_bytes();
    while let Some(i) = find(rest, START) {
        out.extend_from_slice(&rest[..i]);
        let after = &rest[i + START.len()..];
        let Some(j) = find(after, END) else {
            out.extend_from_slice(&rest[i..]);
            return out;
        };
        let chart = std::str::from_utf8(&after[..j])
            .ok()
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| charts.get(n));
        match chart {
            Some(c) => out.extend_from_slice(c.svg.as_bytes()),
            None => out.extend_from_slice(&rest[i..i + START.len() + j + END.len()]),
        }
        rest = &after[j + END.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// Where `needle` first occurs in `hay`: its first byte looked for eight
/// bytes at a time (a page is long, and the marker's first byte is rare in
/// it), then the rest compared.
pub(super) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut from = 0;
    while let Some(p) = find_byte(&hay[from..], first) {
        let at = from + p;
        if hay[at..].starts_with(needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Where byte `b` first occurs: a word of eight bytes at a time, the ones
/// where some byte may equal `b` searched byte by byte.
fn find_byte(hay: &[u8], b: u8) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let pattern = ONES * u64::from(b);
    let mut chunks = hay.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        // A zero byte of `x` is a byte equal to `b`.
        let x = u64::from_ne_bytes(word) ^ pattern;
        if x.wrapping_sub(ONES) & !x & HIGHS != 0 {
            if let Some(p) = chunk.iter().position(|&c| c == b) {
                return Some(at + p);
            }
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&c| c == b)
        .map(|p| at + p)
}
