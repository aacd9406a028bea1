//! Text helpers: folding Vietnamese diacritics for ids and search, and
//! tidying the text of spreadsheet cells for `import`.

/// Lower-cases and removes Vietnamese diacritics: "Sở Ngoại vụ" → "so ngoai vu".
pub fn fold(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(fold_char)
        .collect()
}

fn fold_char(c: char) -> char {
    const GROUPS: &[(&str, char)] = &[
        ("àáảãạăằắẳẵặâầấẩẫậ", 'a'),
        ("èéẻẽẹêềếểễệ", 'e'),
        ("ìíỉĩị", 'i'),
        ("òóỏõọôồốổỗộơờớởỡợ", 'o'),
        ("ùúủũụưừứửữự", 'u'),
        ("ỳýỷỹỵ", 'y'),
        ("đ", 'd'),
    ];
    if c.is_ascii() {
        return c;
    }
    GROUPS
        .iter()
        .find(|(set, _)| set.contains(c))
        .map(|(_, base)| *base)
        .unwrap_or(c)
}

/// The text of a spreadsheet cell as people read it: Unicode NFC, HTML
/// tags removed (`<i>có</i>` → `có`), the common entities decoded,
/// whitespace collapsed.
pub fn tidy(s: &str) -> String {
    let s = &*crate::clean::nfc(s);
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if in_tag {
            if c == '>' {
                in_tag = false;
                out.push(' ');
            }
        } else if c == '<'
            && chars
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == '/' || *n == '!')
            && chars[i + 1..]
                .iter()
                .take(200)
                .find(|&&n| n == '>' || n == '<')
                == Some(&'>')
        {
            // A tag: it closes within 200 characters, before another `<`
            // (`a<b` alone is text).
            in_tag = true;
        } else {
            out.push(c);
        }
        i += 1;
    }
    let out = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    out.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Folds a title or label for comparison: tags removed, lower case,
/// diacritics removed (đ → d), whitespace collapsed, leading `-`, `+`,
/// `•` and trailing `:` `?` removed.
pub fn fold_label(s: &str) -> String {
    // Decomposed text (NFD) keeps its combining marks after `fold`.
    let f: String = fold(&tidy(s))
        .chars()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .collect();
    let f = f.trim_start_matches(|c: char| {
        c == '-' || c == '+' || c == '•' || c == '–' || c.is_whitespace()
    });
    let f = f.trim_end_matches(|c: char| c == ':' || c == '?' || c.is_whitespace());
    f.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Sở Ngoại vụ"), "so ngoai vu");
        assert_eq!(fold("KÝ SỐ"), "ky so");
        assert_eq!(fold("Đường Ưu Tiên"), "duong uu tien");
        assert_eq!(fold("Thủ tục hành chính"), "thu tuc hanh chinh");
        // Labels: tags, bullets, trailing colons and decomposed marks go.
        assert_eq!(
            fold_label("  - <b>Tổng số</b>  cán bộ:  "),
            "tong so can bo"
        );
        assert_eq!(fold_label("N\u{f4}\u{323}i dung?"), "noi dung");
        assert_eq!(tidy("a<b và <i>c</i>"), "a<b và c");
        assert_eq!(tidy("x<y"), "x<y");
    }
}
