//! Names, titles and labels: never empty, never a control character or a
//! bidirectional override (DATA-FORMAT.md §10). Other text may span lines
//! but holds no other control character either.

use super::fields::Ctx;
use crate::clean::{for_terminal, forbidden_in_name, forbidden_in_text};
use crate::diag::{Code, Diagnostics};
use crate::yaml::Pos;

/// The longest text a field may hold, in bytes: a name is a line, notes a
/// few paragraphs; more is a mistake (or an attack) and is refused clearly.
pub(super) const MAX_TEXT_BYTES: usize = 64 * 1024;

/// The fields that name something: shown as headings, links and labels.
const NAMES: &[&str] = &[
    "name",
    "title",
    "publisher name",
    "short",
    "unit_label",
    "source title",
];

/// Whether `what` names something (one line, never empty).
pub(super) fn is_name(what: &str) -> bool {
    NAMES.contains(&what) || what.starts_with("the name of ")
}

/// Checks the text of the field `what`; false (with a diagnostic) when it
/// may not be used.
pub(super) fn check_text(
    s: &str,
    what: &str,
    pos: Pos,
    ctx: &Ctx,
    diags: &mut Diagnostics,
) -> bool {
    if s.len() > MAX_TEXT_BYTES {
        diags.push(ctx.diag(
            Code::OutOfRange,
            pos,
            format!(
                "{what} is {} bytes long, more than the limit of {MAX_TEXT_BYTES} bytes; shorten it",
                s.len()
            ),
        ));
        return false;
    }
    let name = is_name(what);
    if name && s.trim().is_empty() {
        diags.push(ctx.diag(
            Code::MissingField,
            pos,
            format!("{what} is empty; write the text, or remove the field if it is optional"),
        ));
        return false;
    }
    let bad = if name {
        forbidden_in_name(s)
    } else {
        forbidden_in_text(s)
    };
    if let Some(c) = bad {
        let kind = if crate::clean::is_bidi_control(c) {
            "a bidirectional override"
        } else {
            "a control character"
        };
        diags.push(ctx.diag(
            Code::WrongType,
            pos,
            format!(
                "{what} contains {kind} ({}), which would change how the text shows; remove it",
                for_terminal(&c.to_string())
            ),
        ));
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_one_line_and_never_empty_other_text_may_span_lines() {
        let ctx = Ctx::new("data/agencies.yaml");
        let pos = Pos { line: 1, column: 1 };
        let mut diags = Diagnostics::default();
        assert!(check_text("Sở Nội vụ", "name", pos, &ctx, &mut diags));
        assert!(!check_text(
            " ",
            "the name of cohort `huyen`",
            pos,
            &ctx,
            &mut diags
        ));
        assert!(!check_text("a\nb", "title", pos, &ctx, &mut diags));
        assert!(check_text("a\n\tb", "notes", pos, &ctx, &mut diags));
        assert!(check_text("", "notes", pos, &ctx, &mut diags));
        assert!(!check_text("a\u{2066}b", "notes", pos, &ctx, &mut diags));
        assert!(!check_text(
            &"x".repeat(MAX_TEXT_BYTES + 1),
            "notes",
            pos,
            &ctx,
            &mut diags
        ));
        let codes: Vec<&str> = diags.0.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(
            codes,
            ["missing-field", "wrong-type", "wrong-type", "out-of-range"]
        );
    }
}
