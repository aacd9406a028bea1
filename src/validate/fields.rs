//! Reading maps field by field: where a diagnostic belongs, the fields a
//! map may have, and typed fields with their hints.

use std::collections::BTreeMap;

use super::names::check_text;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::input::*;
use crate::load::SourceFile;
use crate::yaml::{Key, Node, Pos, Value};

/// Where a diagnostic belongs: a file, and for reports its agency and year.
#[derive(Clone)]
pub(super) struct Ctx {
    pub(super) file: String,
    pub(super) agency: Option<String>,
    pub(super) year: Option<i32>,
}

impl Ctx {
    pub(super) fn new(file: &str) -> Ctx {
        Ctx {
            file: file.to_string(),
            agency: None,
            year: None,
        }
    }

    pub(super) fn diag(&self, code: Code, pos: Pos, message: impl Into<String>) -> Diagnostic {
        let mut d = Diagnostic::new(code, &self.file, Some(pos), message);
        d.agency = self.agency.clone();
        d.year = self.year;
        d
    }
}

/// The fields of a map, checked against the names the format defines.
pub(super) struct Fields<'a> {
    pub(super) node: &'a Node,
    pub(super) entries: &'a [(Key, Node)],
}

impl<'a> Fields<'a> {
    /// Reads `node` as a map of the `known` fields: reports a non-map as
    /// `wrong-type` and every other key as `unknown-field`.
    pub(super) fn of(
        node: &'a Node,
        what: &str,
        known: &[&str],
        ctx: &Ctx,
        diags: &mut Diagnostics,
    ) -> Option<Fields<'a>> {
        let entries = match &node.value {
            Value::Map(m) => m.as_slice(),
            Value::Null => &[],
            _ => {
                diags.push(ctx.diag(
                    Code::WrongType,
                    node.pos,
                    format!(
                        "{what} must be a map of `key: value` lines, found {}",
                        node.kind_name()
                    ),
                ));
                return None;
            }
        };
        for (k, _) in entries {
            if !known.contains(&k.name.as_str()) {
                diags.push(ctx.diag(
                    Code::UnknownField,
                    k.pos,
                    format!(
                        "{what} has no field `{}`{}",
                        k.name,
                        suggest(&k.name, known.iter().copied())
                    ),
                ));
            }
        }
        Some(Fields { node, entries })
    }

    /// A field written with a non-null value.
    pub(super) fn get(&self, name: &str) -> Option<&'a Node> {
        self.entries
            .iter()
            .find(|(k, v)| k.name == name && !v.is_null())
            .map(|(_, v)| v)
    }

    pub(super) fn require(
        &self,
        name: &str,
        what: &str,
        ctx: &Ctx,
        diags: &mut Diagnostics,
    ) -> Option<&'a Node> {
        let v = self.get(name);
        if v.is_none() {
            diags.push(ctx.diag(
                Code::MissingField,
                self.node.pos,
                format!("{what} needs a `{name}` field"),
            ));
        }
        v
    }
}

/// ", did you mean `x`?" for a near miss, else "".
pub fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let best = candidates
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 5))
        .min();
    match best {
        Some((_, c)) => format!(" (did you mean `{c}`?)"),
        None => String::new(),
    }
}

pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

pub(super) fn text_field(
    node: &Node,
    what: &str,
    ctx: &Ctx,
    diags: &mut Diagnostics,
) -> Option<String> {
    match &node.value {
        Value::Str(s) => check_text(s, what, node.pos, ctx, diags).then(|| s.clone()),
        Value::Int(_) | Value::Float(_) | Value::Bool(_) => Some(node.raw.clone()),
        _ => {
            diags.push(ctx.diag(
                Code::WrongType,
                node.pos,
                format!("{what} must be text, found {}", node.kind_name()),
            ));
            None
        }
    }
}

/// A translatable label: a string, or a map of language codes to strings.
pub(super) fn label(
    node: &Node,
    what: &str,
    lang: &str,
    ctx: &Ctx,
    diags: &mut Diagnostics,
) -> Option<Text> {
    match &node.value {
        Value::Str(s) => {
            check_text(s, what, node.pos, ctx, diags).then(|| Text::plain(lang, s.trim()))
        }
        Value::Map(entries) => {
            let mut t = BTreeMap::new();
            let mut refused = false;
            for (k, v) in entries {
                if !is_lang_code(&k.name) {
                    diags.push(ctx.diag(
                        Code::UnknownField,
                        k.pos,
                        format!(
                            "`{}` is not a language code; write labels as {{vi: \"…\", en: \"…\"}}",
                            k.name
                        ),
                    ));
                    continue;
                }
                match &v.value {
                    Value::Str(s) => {
                        if check_text(s, what, v.pos, ctx, diags) {
                            t.insert(k.name.clone(), s.trim().to_string());
                        } else {
                            refused = true;
                        }
                    }
                    _ => diags.push(ctx.diag(
                        Code::WrongType,
                        v.pos,
                        format!(
                            "the {} text of {what} must be a string, found {}",
                            k.name,
                            v.kind_name()
                        ),
                    )),
                }
            }
            if t.is_empty() {
                if !refused {
                    diags.push(ctx.diag(
                        Code::MissingField,
                        node.pos,
                        format!("{what} has no text in any language"),
                    ));
                }
                None
            } else {
                Some(Text(t))
            }
        }
        _ => {
            diags.push(ctx.diag(
                Code::WrongType,
                node.pos,
                format!(
                    "{what} must be text or a map of languages such as {{vi: \"…\", en: \"…\"}}, found {}",
                    node.kind_name()
                ),
            ));
            None
        }
    }
}

pub(super) fn is_lang_code(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_lowercase())
        && parts
            .all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The id rule of section 4: `^[a-z0-9]+(?:[-_][a-z0-9]+)*$`, ≤ 64 characters.
pub fn is_id(s: &str) -> bool {
    let lower = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    !s.is_empty()
        && s.len() <= 64
        && s.split(['-', '_'])
            .all(|part| !part.is_empty() && part.chars().all(lower))
}

/// A hint towards a valid id: lower case, no diacritics, dashes.
pub(super) fn id_hint(s: &str) -> String {
    let folded: String = crate::text::fold(s)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    folded
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

pub(super) fn check_id(id: &str, pos: Pos, what: &str, ctx: &Ctx, diags: &mut Diagnostics) -> bool {
    if is_id(id) {
        return true;
    }
    let hint = id_hint(id);
    let fix = if is_id(&hint) {
        format!("; write it as `{hint}`")
    } else {
        String::new()
    };
    diags.push(ctx.diag(
        Code::InvalidId,
        pos,
        format!(
            "{what} `{id}` is not a valid id: use lower-case letters a-z, digits and single `-` or `_` between them, at most 64 characters{fix}"
        ),
    ));
    false
}

/// An absolute http(s) URL or a mailto: address.
pub fn is_safe_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let rest = if let Some(r) = lower.strip_prefix("https://") {
        r
    } else if let Some(r) = lower.strip_prefix("http://") {
        r
    } else if let Some(r) = lower.strip_prefix("mailto:") {
        return r.contains('@')
            && !r
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>\"'".contains(c));
    } else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty()
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"'`".contains(c))
}

pub(super) fn url_field(
    node: &Node,
    what: &str,
    ctx: &Ctx,
    diags: &mut Diagnostics,
) -> Option<String> {
    let s = text_field(node, what, ctx, diags)?;
    let s = s.trim().to_string();
    if is_safe_url(&s) {
        Some(s)
    } else {
        diags.push(ctx.diag(
            Code::InvalidUrl,
            node.pos,
            format!("{what} `{s}` is not an absolute http(s) or mailto: address; write it like https://example.gov.vn/page"),
        ));
        None
    }
}

pub(super) fn flag_from(node: &Node) -> Option<bool> {
    match &node.value {
        Value::Bool(b) => Some(*b),
        Value::Str(s) => match s.trim().to_lowercase().as_str() {
            "có" | "yes" | "true" => Some(true),
            "không" | "no" | "false" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

pub(super) fn bool_field(
    node: &Node,
    what: &str,
    ctx: &Ctx,
    diags: &mut Diagnostics,
) -> Option<bool> {
    let b = flag_from(node);
    if b.is_none() {
        diags.push(ctx.diag(
            Code::WrongType,
            node.pos,
            format!(
                "{what} must be có or không (or true/false, yes/no), found {}",
                node.shown()
            ),
        ));
    }
    b
}

pub(super) fn int_field(
    node: &Node,
    what: &str,
    ctx: &Ctx,
    diags: &mut Diagnostics,
) -> Option<i64> {
    match node.value {
        Value::Int(i) => Some(i),
        _ => {
            diags.push(ctx.diag(
                Code::WrongType,
                node.pos,
                format!(
                    "{what} must be a whole number, found {}{}",
                    node.shown(),
                    number_hint(node)
                ),
            ));
            None
        }
    }
}

pub(super) fn num_field(
    node: &Node,
    what: &str,
    ctx: &Ctx,
    diags: &mut Diagnostics,
) -> Option<Num> {
    match node.value {
        Value::Int(i) => Some(Num::Int(i)),
        Value::Float(f) if f.is_finite() => Some(Num::Float(f)),
        _ => {
            diags.push(ctx.diag(
                Code::WrongType,
                node.pos,
                format!(
                    "{what} must be a number, found {}{}",
                    node.shown(),
                    number_hint(node)
                ),
            ));
            None
        }
    }
}

/// " (write 1045, without thousands separators)" when a number was written
/// the way people write it, not the way the data format wants it.
pub(super) fn number_hint(node: &Node) -> String {
    let raw = node.raw.trim();
    let looks_grouped = |sep: char| {
        let groups: Vec<&str> = raw.trim_start_matches('-').split(sep).collect();
        groups.len() > 1
            && groups[0].len() <= 3
            && !groups[0].is_empty()
            && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()))
            && groups[1..].iter().all(|g| g.len() == 3)
    };
    if looks_grouped('.') || looks_grouped(',') || looks_grouped(' ') {
        let digits: String = raw
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '-')
            .collect();
        return format!(" (write {digits}, without thousands separators)");
    }
    if let Some((a, b)) = raw.split_once(',') {
        if !a.is_empty()
            && a.chars().all(|c| c.is_ascii_digit())
            && !b.is_empty()
            && b.chars().all(|c| c.is_ascii_digit())
        {
            return format!(" (write {a}.{b}, with a decimal point)");
        }
    }
    if matches!(node.value, Value::Str(_)) && raw.parse::<f64>().is_ok() {
        return format!(" (write {raw} without quotes)");
    }
    String::new()
}

/// The parsed YAML of a file, or a `yaml-syntax` diagnostic.
pub(super) fn parsed<'a>(
    f: &'a SourceFile,
    ctx: &Ctx,
    diags: &mut Diagnostics,
) -> Option<&'a Node> {
    match &f.doc {
        Ok(n) => Some(n),
        Err(e) => {
            let mut d = Diagnostic::new(Code::YamlSyntax, &f.rel, e.pos, yaml_hint(&e.message));
            d.agency = ctx.agency.clone();
            d.year = ctx.year;
            diags.push(d);
            None
        }
    }
}

pub(super) fn yaml_hint(message: &str) -> String {
    let hint = if message.contains("quoted scalar") || message.contains("unexpected end") {
        " (is a closing quote missing?)"
    } else if message.contains("mapping values are not allowed")
        || message.contains("did not find expected key")
    {
        " (check the indentation and that each line is `key: value`)"
    } else if message.contains("tab") {
        " (indent with spaces, not tabs)"
    } else {
        ""
    };
    format!("the file is not valid YAML: {message}{hint}")
}
