//! Text helpers: folding Vietnamese diacritics for ids and search.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Sở Ngoại vụ"), "so ngoai vu");
        assert_eq!(fold("KÝ SỐ"), "ky so");
        assert_eq!(fold("Đường Ưu Tiên"), "duong uu tien");
        assert_eq!(fold("Thủ tục hành chính"), "thu tuc hanh chinh");
    }
}
