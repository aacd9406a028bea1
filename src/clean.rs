//! Untrusted text made safe where it goes: Unicode NFC on reading, the
//! characters a name may not hold, control characters escaped for the
//! terminal, and the one XML escaper of every XML file (feeds, sitemaps,
//! SVG). DATA-FORMAT.md §10.

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// `s` in Unicode NFC, borrowed when it already is (the common case).
pub fn nfc(s: &str) -> Cow<'_, str> {
    if s.is_ascii() || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfc().collect())
    }
}

/// A bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069):
/// they reorder the text shown around them ("Trojan source").
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The first character a name, title or label may not hold: a control
/// character (tab and line breaks included: a name is one line) or a
/// bidirectional override.
pub fn forbidden_in_name(s: &str) -> Option<char> {
    s.chars().find(|&c| c.is_control() || is_bidi_control(c))
}

/// Like [`forbidden_in_name`], for multi-line text (notes, descriptions):
/// tabs and line breaks are allowed.
pub fn forbidden_in_text(s: &str) -> Option<char> {
    s.chars()
        .find(|&c| (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || is_bidi_control(c))
}

/// `s` for a terminal: control characters and bidirectional overrides
/// shown escaped (`\u{1b}`), so that data can neither move the cursor,
/// colour the screen nor print a line of its own.
pub fn for_terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() || is_bidi_control(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether XML 1.0 allows `c` in a document at all: tab, line feed,
/// carriage return, U+0020–U+D7FF, U+E000–U+FFFD, U+10000 and above.
pub fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// Escapes text for HTML content and attribute values: `& < > " '` as
/// entities, as Tera's built-in escaper does.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match entity(c, "&#39;") {
            Some(e) => out.push_str(e),
            None => out.push(c),
        }
    }
    out
}

/// The entity of a character that markup escapes (`& < > " '`), with
/// `apostrophe` for `'` (HTML and XML spell it differently).
fn entity(c: char, apostrophe: &'static str) -> Option<&'static str> {
    match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some(apostrophe),
        _ => None,
    }
}

/// Escapes text for XML content and attribute values: `& < > " '` as
/// entities, and every character XML forbids (a form feed, a NUL, U+FFFE)
/// replaced with U+FFFD, so that the file is always well-formed XML.
pub fn xml_escape(s: &str) -> Cow<'_, str> {
    if !s
        .chars()
        .any(|c| entity(c, "").is_some() || !xml_allowed(c))
    {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match entity(c, "&apos;") {
            Some(e) => out.push_str(e),
            None if !xml_allowed(c) => out.push('\u{fffd}'),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfd_vietnamese_becomes_nfc() {
        // "Sở" typed as S, o, combining horn, combining hook above.
        let nfd = "So\u{31b}\u{309} Nội vụ";
        assert_eq!(nfc(nfd), "Sở Nội vụ");
        assert!(matches!(nfc("Sở Nội vụ"), Cow::Borrowed(_)));
    }

    #[test]
    fn names_refuse_controls_and_bidi_overrides() {
        assert_eq!(forbidden_in_name("Sở Tư pháp"), None);
        assert_eq!(forbidden_in_name("a\u{1b}[2J"), Some('\u{1b}'));
        assert_eq!(forbidden_in_name("abc\u{202e}fed"), Some('\u{202e}'));
        assert_eq!(forbidden_in_name("a\tb"), Some('\t'));
        assert_eq!(forbidden_in_text("a\n\tb"), None);
        assert_eq!(forbidden_in_text("a\u{7}"), Some('\u{7}'));
    }

    #[test]
    fn terminal_text_shows_controls_escaped() {
        assert_eq!(
            for_terminal("x\u{1b}[0m\n0 errors"),
            "x\\u{1b}[0m\\u{a}0 errors"
        );
        assert_eq!(for_terminal("Sở"), "Sở");
    }

    #[test]
    fn xml_escape_never_writes_a_forbidden_character() {
        assert_eq!(
            xml_escape("a\u{c}b<&>\"'\u{0}\u{fffe}\u{1f600}"),
            "a\u{fffd}b&lt;&amp;&gt;&quot;&apos;\u{fffd}\u{fffd}\u{1f600}"
        );
        let doc = format!("<t a=\"{0}\">{0}</t>", xml_escape("\u{c}\u{1}x\u{ffff}"));
        roxmltree::Document::parse(&doc).expect("well-formed");
    }
}
