//! Validate: turn the parsed files into typed [`Input`] and report every
//! problem of the data contract (DATA-FORMAT.md) as a [`Diagnostic`] with
//! its file, line, column and a hint of the fix. All problems are reported
//! in one run; a file with errors contributes what could still be read.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::format::Date;
use crate::input::*;
use rayon::prelude::*;

use crate::load::{self, FileKind, Loaded, SourceFile};
use crate::yaml::{self, Key, Node, Pos, Value};

const CORE_CATALOG: &str = include_str!("../assets/catalog.yaml");
const CORE_GROUPS: &[&str] = &[
    "services",
    "documents",
    "signatures",
    "people",
    "infrastructure",
    "security",
    "governance",
    "budget",
];

/// Validates a loaded site root. The input is `None` only when the site
/// cannot be described at all (no readable site.yaml or agencies.yaml);
/// otherwise it holds everything that could be read, even with errors.
pub fn validate(loaded: &Loaded) -> (Option<Input>, Diagnostics) {
    let mut diags = Diagnostics::default();

    let site = match loaded.file(&FileKind::Site) {
        Some(f) => site_config(f, &mut diags),
        None => {
            diags.push(Diagnostic::new(
                Code::MissingField,
                "site.yaml",
                None,
                "there is no site.yaml in the site root; create one with at least title, base_url and publisher",
            ));
            None
        }
    };
    let lang = site
        .as_ref()
        .map(|s| s.language.clone())
        .unwrap_or_else(|| "vi".to_string());

    let mut catalog = core_catalog();
    if let Some(f) = loaded.file(&FileKind::Indicators) {
        site_catalog(f, &lang, &mut catalog, &mut diags);
    }

    let registry = match loaded.file(&FileKind::Agencies) {
        Some(f) => agencies(f, &lang, &mut diags),
        None => {
            diags.push(Diagnostic::new(
                Code::MissingField,
                "data/agencies.yaml",
                None,
                "there is no data/agencies.yaml; list the cohorts and agencies there",
            ));
            None
        }
    };

    // Reports are checked in parallel, each with its own diagnostics; a
    // deferred report is read and parsed here and its tree dropped at once.
    let check = |f: &SourceFile| -> (Option<Report>, Diagnostics) {
        let mut own = Diagnostics::default();
        let r = match &f.kind {
            FileKind::Report { year_dir, stem } => {
                report(f, year_dir, stem, registry.as_ref(), &catalog, &mut own)
            }
            _ => None,
        };
        (r, own)
    };
    let checked: Vec<(Option<Report>, Diagnostics)> = loaded
        .files
        .par_iter()
        .filter(|f| matches!(f.kind, FileKind::Report { .. }))
        .map(check)
        .chain(
            loaded
                .deferred
                .par_iter()
                .map(|(rel, kind)| check(&load::load_file(&loaded.root, rel, kind.clone()))),
        )
        .collect();
    let mut reports = Vec::with_capacity(checked.len());
    for (r, own) in checked {
        reports.extend(r);
        diags.extend(own);
    }
    let mut pages = Vec::new();
    for f in &loaded.files {
        match &f.kind {
            FileKind::Report { .. } => {}
            FileKind::Misplaced => diags.push(Diagnostic::new(
                Code::InvalidYear,
                &f.rel,
                None,
                "reports live at data/reports/<year>/<agency>.yaml; move this file there",
            )),
            FileKind::Page => {
                if let Some(p) = page(f, &mut diags) {
                    pages.push(p);
                }
            }
            _ => {}
        }
    }
    reports.sort_by(|a, b| (a.year, &a.agency).cmp(&(b.year, &b.agency)));
    pages.sort_by(|a, b| a.slug.cmp(&b.slug));

    if let Some((cohorts, agencies)) = &registry {
        // A report file with errors is still there: it is not missing.
        let present: BTreeSet<(i32, &str)> = loaded
            .report_kinds()
            .filter_map(|kind| match kind {
                FileKind::Report { year_dir, stem } => {
                    year_dir.parse().ok().map(|y| (y, stem.as_str()))
                }
                _ => None,
            })
            .collect();
        missing_reports(cohorts, agencies, &present, site.as_ref(), &mut diags);
    }

    diags.sort();
    let input = match (site, registry) {
        (Some(site), Some((cohorts, agencies))) => Some(Input {
            site,
            cohorts,
            agencies,
            catalog,
            reports,
            pages,
        }),
        _ => None,
    };
    (input, diags)
}

// ---------------------------------------------------------------------------
// Reading maps field by field

/// Where a diagnostic belongs: a file, and for reports its agency and year.
#[derive(Clone)]
struct Ctx {
    file: String,
    agency: Option<String>,
    year: Option<i32>,
}

impl Ctx {
    fn new(file: &str) -> Ctx {
        Ctx {
            file: file.to_string(),
            agency: None,
            year: None,
        }
    }

    fn diag(&self, code: Code, pos: Pos, message: impl Into<String>) -> Diagnostic {
        let mut d = Diagnostic::new(code, &self.file, Some(pos), message);
        d.agency = self.agency.clone();
        d.year = self.year;
        d
    }
}

/// The fields of a map, checked against the names the format defines.
struct Fields<'a> {
    node: &'a Node,
    entries: &'a [(Key, Node)],
}

impl<'a> Fields<'a> {
    /// Reads `node` as a map of the `known` fields: reports a non-map as
    /// `wrong-type` and every other key as `unknown-field`.
    fn of(
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
    fn get(&self, name: &str) -> Option<&'a Node> {
        self.entries
            .iter()
            .find(|(k, v)| k.name == name && !v.is_null())
            .map(|(_, v)| v)
    }

    fn require(
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

fn edit_distance(a: &str, b: &str) -> usize {
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

fn text_field(node: &Node, what: &str, ctx: &Ctx, diags: &mut Diagnostics) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.clone()),
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
fn label(node: &Node, what: &str, lang: &str, ctx: &Ctx, diags: &mut Diagnostics) -> Option<Text> {
    match &node.value {
        Value::Str(s) => Some(Text::plain(lang, s.trim())),
        Value::Map(entries) => {
            let mut t = BTreeMap::new();
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
                        t.insert(k.name.clone(), s.trim().to_string());
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
                diags.push(ctx.diag(
                    Code::MissingField,
                    node.pos,
                    format!("{what} has no text in any language"),
                ));
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

fn is_lang_code(s: &str) -> bool {
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
fn id_hint(s: &str) -> String {
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

fn check_id(id: &str, pos: Pos, what: &str, ctx: &Ctx, diags: &mut Diagnostics) -> bool {
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

fn url_field(node: &Node, what: &str, ctx: &Ctx, diags: &mut Diagnostics) -> Option<String> {
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

fn flag_from(node: &Node) -> Option<bool> {
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

fn bool_field(node: &Node, what: &str, ctx: &Ctx, diags: &mut Diagnostics) -> Option<bool> {
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

fn int_field(node: &Node, what: &str, ctx: &Ctx, diags: &mut Diagnostics) -> Option<i64> {
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

fn num_field(node: &Node, what: &str, ctx: &Ctx, diags: &mut Diagnostics) -> Option<Num> {
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
fn number_hint(node: &Node) -> String {
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

// ---------------------------------------------------------------------------
// site.yaml

fn site_config(f: &SourceFile, diags: &mut Diagnostics) -> Option<SiteConfig> {
    let ctx = Ctx::new(&f.rel);
    let doc = parsed(f, &ctx, diags)?;
    let fields = Fields::of(
        doc,
        "site.yaml",
        &[
            "title",
            "base_url",
            "language",
            "languages",
            "description",
            "publisher",
            "license",
            "theme",
            "years",
        ],
        &ctx,
        diags,
    )?;
    let language = match fields.get("language") {
        Some(n) => match text_field(n, "language", &ctx, diags) {
            Some(l) if is_lang_code(&l) => l,
            Some(l) => {
                diags.push(ctx.diag(
                    Code::WrongType,
                    n.pos,
                    format!("`{l}` is not a language code such as vi or en"),
                ));
                "vi".to_string()
            }
            None => "vi".to_string(),
        },
        None => "vi".to_string(),
    };
    let mut languages = vec![language.clone()];
    if let Some(n) = fields.get("languages") {
        match &n.value {
            Value::Seq(items) => {
                for item in items {
                    match item.as_str() {
                        Some(l) if is_lang_code(l) => {
                            if !languages.iter().any(|x| x == l) {
                                languages.push(l.to_string());
                            }
                        }
                        _ => diags.push(ctx.diag(
                            Code::WrongType,
                            item.pos,
                            format!("{} is not a language code such as vi or en", item.shown()),
                        )),
                    }
                }
            }
            _ => diags.push(ctx.diag(
                Code::WrongType,
                n.pos,
                "languages must be a list such as [vi, en]".to_string(),
            )),
        }
    }
    let title = fields
        .require("title", "site.yaml", &ctx, diags)
        .and_then(|n| label(n, "title", &language, &ctx, diags));
    let base_url = fields
        .require("base_url", "site.yaml", &ctx, diags)
        .and_then(|n| {
            let s = text_field(n, "base_url", &ctx, diags)?;
            let s = s.trim().to_string();
            if s.starts_with('/') && !s.starts_with("//") || (is_safe_url(&s) && !s.starts_with("mailto:")) {
                Some(if s.ends_with('/') { s } else { format!("{s}/") })
            } else {
                diags.push(ctx.diag(
                    Code::InvalidUrl,
                    n.pos,
                    format!("base_url `{s}` must be \"/\" (or another path starting with /) or an absolute http(s) address"),
                ));
                None
            }
        });
    let description = fields
        .get("description")
        .and_then(|n| label(n, "description", &language, &ctx, diags));
    let publisher = fields
        .require("publisher", "site.yaml", &ctx, diags)
        .and_then(|n| {
            let p = Fields::of(n, "publisher", &["name", "url", "email"], &ctx, diags)?;
            let name = p
                .require("name", "publisher", &ctx, diags)
                .and_then(|n| label(n, "publisher name", &language, &ctx, diags));
            let url = p
                .get("url")
                .and_then(|n| url_field(n, "publisher url", &ctx, diags));
            let email = p.get("email").and_then(|n| {
                let e = text_field(n, "publisher email", &ctx, diags)?;
                if e.contains('@')
                    && !e.contains(char::is_whitespace)
                    && is_safe_url(&format!("mailto:{e}"))
                {
                    Some(e)
                } else {
                    diags.push(ctx.diag(
                        Code::InvalidUrl,
                        n.pos,
                        format!("publisher email `{e}` is not an e-mail address"),
                    ));
                    None
                }
            });
            Some(Publisher {
                name: name?,
                url,
                email,
            })
        });
    let license = fields
        .get("license")
        .and_then(|n| {
            let s = text_field(n, "license", &ctx, diags)?;
            if !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-.+".contains(c))
            {
                Some(s)
            } else {
                diags.push(ctx.diag(
                    Code::WrongType,
                    n.pos,
                    format!("license `{s}` is not an SPDX id such as CC-BY-4.0"),
                ));
                None
            }
        })
        .unwrap_or_else(|| "CC-BY-4.0".to_string());
    let theme = fields
        .get("theme")
        .and_then(|n| {
            let s = text_field(n, "theme", &ctx, diags)?;
            check_id(&s, n.pos, "theme", &ctx, diags).then_some(s)
        })
        .unwrap_or_else(|| "default".to_string());
    let years = fields.get("years").and_then(|n| match &n.value {
        Value::Seq(items) => {
            let mut ys: Vec<i32> = items
                .iter()
                .filter_map(|item| {
                    let y = int_field(item, "a year", &ctx, diags)?;
                    if (2000..=2100).contains(&y) {
                        Some(y as i32)
                    } else {
                        diags.push(ctx.diag(
                            Code::InvalidYear,
                            item.pos,
                            format!("{y} is not a year from 2000 to 2100"),
                        ));
                        None
                    }
                })
                .collect();
            ys.sort_unstable();
            ys.dedup();
            Some(ys)
        }
        _ => {
            diags.push(ctx.diag(
                Code::WrongType,
                n.pos,
                "years must be a list such as [2021, 2022, 2023]",
            ));
            None
        }
    });
    Some(SiteConfig {
        title: title?,
        base_url: base_url?,
        language,
        languages,
        description,
        publisher: publisher?,
        license,
        theme,
        years,
    })
}

/// The parsed YAML of a file, or a `yaml-syntax` diagnostic.
fn parsed<'a>(f: &'a SourceFile, ctx: &Ctx, diags: &mut Diagnostics) -> Option<&'a Node> {
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

fn yaml_hint(message: &str) -> String {
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

// ---------------------------------------------------------------------------
// Catalogue

/// The built-in catalogue. It is part of the program, so a failure here is
/// a bug caught by the unit tests, never a user's problem.
pub fn core_catalog() -> Catalog {
    let mut diags = Diagnostics::default();
    let node = match yaml::parse(CORE_CATALOG) {
        Ok(n) => n,
        Err(_) => return Catalog::default(),
    };
    let ctx = Ctx::new("<built-in catalogue>");
    let mut cat = Catalog::default();
    let Some(fields) = Fields::of(
        &node,
        "catalogue",
        &["groups", "indicators", "rates"],
        &ctx,
        &mut diags,
    ) else {
        return cat;
    };
    for item in seq(fields.get("groups")) {
        if let Some(g) = Fields::of(item, "group", &["id", "name"], &ctx, &mut diags) {
            if let (Some(id), Some(name)) = (g.get("id").and_then(|n| n.as_str()), g.get("name")) {
                if let Some(name) = label(name, "name", "vi", &ctx, &mut diags) {
                    cat.groups.push(Group {
                        id: id.to_string(),
                        name,
                    });
                }
            }
        }
    }
    for item in seq(fields.get("indicators")) {
        if let Some(i) = indicator_entry(item, "vi", &ctx, &mut diags, true) {
            cat.indicators.push(i);
        }
    }
    for item in seq(fields.get("rates")) {
        if let Some(r) = rate_entry(item, "vi", &ctx, &mut diags, true) {
            cat.rates.push(r);
        }
    }
    debug_assert!(
        diags.is_empty(),
        "the built-in catalogue is invalid: {diags:?}"
    );
    cat
}

fn seq(node: Option<&Node>) -> &[Node] {
    match node.map(|n| &n.value) {
        Some(Value::Seq(items)) => items,
        _ => &[],
    }
}

const INDICATOR_FIELDS: &[&str] = &[
    "id",
    "kind",
    "group",
    "name",
    "unit",
    "unit_label",
    "at_most",
    "parts",
];
const RATE_FIELDS: &[&str] = &["id", "numerator", "denominator", "headline", "name"];

fn indicator_entry(
    node: &Node,
    lang: &str,
    ctx: &Ctx,
    diags: &mut Diagnostics,
    core: bool,
) -> Option<Indicator> {
    let f = Fields::of(node, "an indicator", INDICATOR_FIELDS, ctx, diags)?;
    let id_node = f.require("id", "an indicator", ctx, diags)?;
    let id = text_field(id_node, "id", ctx, diags)?;
    if !check_id(&id, id_node.pos, "indicator id", ctx, diags) {
        return None;
    }
    let what = format!("indicator `{id}`");
    let kind = f.require("kind", &what, ctx, diags).and_then(|n| {
        let s = text_field(n, "kind", ctx, diags)?;
        let k = Kind::parse(&s);
        if k.is_none() {
            diags.push(ctx.diag(
                Code::WrongType,
                n.pos,
                format!("kind `{s}` is not one of count, number, percent, money_vnd, flag, text"),
            ));
        }
        k
    });
    let group = f
        .require("group", &what, ctx, diags)
        .and_then(|n| text_field(n, "group", ctx, diags));
    let name = f
        .require("name", &what, ctx, diags)
        .and_then(|n| label(n, "name", lang, ctx, diags));
    let kind = kind?;
    let unit = f
        .get("unit")
        .and_then(|n| text_field(n, "unit", ctx, diags))
        .unwrap_or_else(|| kind.default_unit().to_string());
    let unit_label = f
        .get("unit_label")
        .and_then(|n| label(n, "unit_label", lang, ctx, diags));
    let at_most = f
        .get("at_most")
        .and_then(|n| text_field(n, "at_most", ctx, diags));
    let parts = match f.get("parts") {
        Some(n) => match &n.value {
            Value::Seq(items) => items
                .iter()
                .filter_map(|i| text_field(i, "a part", ctx, diags))
                .collect(),
            _ => {
                diags.push(ctx.diag(
                    Code::WrongType,
                    n.pos,
                    "parts must be a list of indicator ids",
                ));
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    Some(Indicator {
        id,
        kind,
        group: group?,
        name: name?,
        unit,
        unit_label,
        at_most,
        parts,
        core,
    })
}

fn rate_entry(
    node: &Node,
    lang: &str,
    ctx: &Ctx,
    diags: &mut Diagnostics,
    core: bool,
) -> Option<Rate> {
    let f = Fields::of(node, "a rate", RATE_FIELDS, ctx, diags)?;
    let id_node = f.require("id", "a rate", ctx, diags)?;
    let id = text_field(id_node, "id", ctx, diags)?;
    if !check_id(&id, id_node.pos, "rate id", ctx, diags) {
        return None;
    }
    let what = format!("rate `{id}`");
    let numerator = f
        .require("numerator", &what, ctx, diags)
        .and_then(|n| text_field(n, "numerator", ctx, diags));
    let denominator = f
        .require("denominator", &what, ctx, diags)
        .and_then(|n| text_field(n, "denominator", ctx, diags));
    let name = f
        .require("name", &what, ctx, diags)
        .and_then(|n| label(n, "name", lang, ctx, diags));
    let headline = f
        .get("headline")
        .and_then(|n| bool_field(n, "headline", ctx, diags))
        .unwrap_or(false);
    Some(Rate {
        id,
        numerator: numerator?,
        denominator: denominator?,
        headline,
        name: name?,
        core,
    })
}

/// The labels of a core indicator or rate, which indicators.yaml may
/// translate or reword; its kind, group and rules stay as the format fixes
/// them.
struct CoreLabels<'a> {
    what: &'static str,
    fields: &'static [&'static str],
    name: &'a mut Text,
    unit_label: Option<&'a mut Option<Text>>,
}

impl CoreLabels<'_> {
    fn apply(
        mut self,
        id: &str,
        entries: &[(Key, Node)],
        lang: &str,
        ctx: &Ctx,
        diags: &mut Diagnostics,
    ) {
        for (k, v) in entries {
            match (k.name.as_str(), self.unit_label.as_deref_mut()) {
                ("id", _) => {}
                ("name", _) => {
                    if let Some(t) = label(v, "name", lang, ctx, diags) {
                        self.name.0.extend(t.0);
                    }
                }
                ("unit_label", Some(unit)) => {
                    if let Some(t) = label(v, "unit_label", lang, ctx, diags) {
                        unit.get_or_insert_with(Text::default).0.extend(t.0);
                    }
                }
                (other, _) if self.fields.contains(&other) => diags.push(ctx.diag(
                    Code::UnknownField,
                    k.pos,
                    format!(
                        "`{id}` is a core {}: only its name may be changed here, not its {other}",
                        self.what
                    ),
                )),
                _ => {} // already reported by Fields::of
            }
        }
    }
}

/// An entry of a list in indicators.yaml: its fields, checked against the
/// `known` ones, and its `id` (reported when missing or not text).
fn entry_with_id<'a>(
    item: &'a Node,
    what: &str,
    known: &[&str],
    ctx: &Ctx,
    diags: &mut Diagnostics,
) -> Option<(Fields<'a>, &'a Node, String)> {
    let fields = Fields::of(item, what, known, ctx, diags)?;
    let id_node = fields.require("id", what, ctx, diags)?;
    let id = text_field(id_node, "id", ctx, diags)?;
    Some((fields, id_node, id))
}

/// Applies data/indicators.yaml to the catalogue.
fn site_catalog(f: &SourceFile, lang: &str, cat: &mut Catalog, diags: &mut Diagnostics) {
    let ctx = Ctx::new(&f.rel);
    let Some(doc) = parsed(f, &ctx, diags) else {
        return;
    };
    let Some(fields) = Fields::of(
        doc,
        "indicators.yaml",
        &["indicators", "rates", "groups"],
        &ctx,
        diags,
    ) else {
        return;
    };
    let list = |name: &str, diags: &mut Diagnostics| -> Vec<Node> {
        match fields.get(name) {
            Some(n) => match &n.value {
                Value::Seq(items) => items.clone(),
                _ => {
                    diags.push(ctx.diag(
                        Code::WrongType,
                        n.pos,
                        format!("`{name}` must be a list of entries, each starting with `- id:`"),
                    ));
                    Vec::new()
                }
            },
            None => Vec::new(),
        }
    };

    // Groups first: indicators may name them.
    for item in list("groups", diags) {
        let Some((g, id_node, id)) = entry_with_id(&item, "a group", &["id", "name"], &ctx, diags)
        else {
            continue;
        };
        if !check_id(&id, id_node.pos, "group id", &ctx, diags) {
            continue;
        }
        let Some(name) = g
            .require("name", &format!("group `{id}`"), &ctx, diags)
            .and_then(|n| label(n, "name", lang, &ctx, diags))
        else {
            continue;
        };
        match cat.groups.iter_mut().find(|x| x.id == id) {
            Some(existing) => existing.name = name,
            None => cat.groups.push(Group { id, name }),
        }
    }

    // (indicator, field, position) of the rules to check once all are known.
    let mut rule_refs: Vec<(String, String, Pos)> = Vec::new();
    for item in list("indicators", diags) {
        let Some((f, id_node, id)) =
            entry_with_id(&item, "an indicator", INDICATOR_FIELDS, &ctx, diags)
        else {
            continue;
        };
        if let Some(core) = cat.indicators.iter_mut().find(|i| i.id == id && i.core) {
            let labels = CoreLabels {
                what: "indicator",
                fields: INDICATOR_FIELDS,
                name: &mut core.name,
                unit_label: Some(&mut core.unit_label),
            };
            labels.apply(&id, f.entries, lang, &ctx, diags);
            continue;
        }
        if cat.indicators.iter().any(|i| i.id == id) {
            diags.push(ctx.diag(
                Code::InvalidId,
                id_node.pos,
                format!("indicator `{id}` is defined twice; keep one"),
            ));
            continue;
        }
        let Some(ind) = indicator_entry(&item, lang, &ctx, diags, false) else {
            continue;
        };
        if let Some(n) = f.get("group") {
            if cat.group(&ind.group).is_none() {
                diags.push(ctx.diag(
                    Code::UnknownIndicator,
                    n.pos,
                    format!(
                        "group `{}` does not exist; use one of {} or define it under `groups`{}",
                        ind.group,
                        CORE_GROUPS.join(", "),
                        suggest(&ind.group, cat.groups.iter().map(|g| g.id.as_str()))
                    ),
                ));
            }
        }
        if let (Some(t), Some(n)) = (&ind.at_most, f.get("at_most")) {
            rule_refs.push((ind.id.clone(), t.clone(), n.pos));
        }
        if let Some(n) = f.get("parts") {
            for (p, pn) in ind.parts.iter().zip(seq(Some(n))) {
                rule_refs.push((ind.id.clone(), p.clone(), pn.pos));
            }
        }
        cat.indicators.push(ind);
    }
    for (ind, target, pos) in rule_refs {
        if cat.indicator(&target).is_none() {
            diags.push(ctx.diag(
                Code::UnknownIndicator,
                pos,
                format!(
                    "the rule of `{ind}` names `{target}`, which no catalogue defines{}",
                    suggest(&target, cat.indicators.iter().map(|i| i.id.as_str()))
                ),
            ));
        }
    }

    for item in list("rates", diags) {
        let Some((f, id_node, id)) = entry_with_id(&item, "a rate", RATE_FIELDS, &ctx, diags)
        else {
            continue;
        };
        if let Some(core) = cat.rates.iter_mut().find(|r| r.id == id && r.core) {
            let labels = CoreLabels {
                what: "rate",
                fields: RATE_FIELDS,
                name: &mut core.name,
                unit_label: None,
            };
            labels.apply(&id, f.entries, lang, &ctx, diags);
            continue;
        }
        if cat.rates.iter().any(|r| r.id == id) || cat.indicators.iter().any(|i| i.id == id) {
            diags.push(ctx.diag(
                Code::InvalidId,
                id_node.pos,
                format!("`{id}` is already defined; choose another id"),
            ));
            continue;
        }
        let Some(rate) = rate_entry(&item, lang, &ctx, diags, false) else {
            continue;
        };
        let mut ok = true;
        for (side, field) in [
            (&rate.numerator, "numerator"),
            (&rate.denominator, "denominator"),
        ] {
            let pos = f.get(field).map(|n| n.pos).unwrap_or(item.pos);
            match cat.indicator(side) {
                None => {
                    ok = false;
                    diags.push(ctx.diag(
                        Code::UnknownIndicator,
                        pos,
                        format!(
                            "the {field} of rate `{id}` is `{side}`, which no catalogue defines{}",
                            suggest(side, cat.indicators.iter().map(|i| i.id.as_str()))
                        ),
                    ));
                }
                Some(i) if i.kind != Kind::Count => {
                    ok = false;
                    diags.push(ctx.diag(
                        Code::WrongType,
                        pos,
                        format!("the {field} of rate `{id}` must be a count indicator; `{side}` is a {}", i.kind.as_str()),
                    ));
                }
                _ => {}
            }
        }
        if ok {
            cat.rates.push(rate);
        }
    }
}

// ---------------------------------------------------------------------------
// data/agencies.yaml

type Registry = (Vec<Cohort>, Vec<Agency>);

fn agencies(f: &SourceFile, lang: &str, diags: &mut Diagnostics) -> Option<Registry> {
    let ctx = Ctx::new(&f.rel);
    let doc = parsed(f, &ctx, diags)?;
    let fields = Fields::of(doc, "agencies.yaml", &["cohorts", "agencies"], &ctx, diags)?;
    let mut cohorts = Vec::new();
    if let Some(n) = fields.require("cohorts", "agencies.yaml", &ctx, diags) {
        match &n.value {
            Value::Map(entries) => {
                for (k, v) in entries {
                    if check_id(&k.name, k.pos, "cohort id", &ctx, diags) {
                        if let Some(name) = label(
                            v,
                            &format!("the name of cohort `{}`", k.name),
                            lang,
                            &ctx,
                            diags,
                        ) {
                            cohorts.push(Cohort {
                                id: k.name.clone(),
                                name,
                            });
                        }
                    }
                }
            }
            _ => diags.push(ctx.diag(
                Code::WrongType,
                n.pos,
                "cohorts must be a map of `id: name` lines",
            )),
        }
    }
    let mut agencies = Vec::new();
    if let Some(n) = fields.require("agencies", "agencies.yaml", &ctx, diags) {
        match &n.value {
            Value::Map(entries) => {
                for (k, v) in entries {
                    if !check_id(&k.name, k.pos, "agency id", &ctx, diags) {
                        continue;
                    }
                    let what = format!("agency `{}`", k.name);
                    let Some(af) = Fields::of(
                        v,
                        &what,
                        &["name", "short", "cohort", "province", "website"],
                        &ctx,
                        diags,
                    ) else {
                        continue;
                    };
                    let name = af
                        .require("name", &what, &ctx, diags)
                        .and_then(|n| label(n, "name", lang, &ctx, diags));
                    let cohort = af.require("cohort", &what, &ctx, diags).and_then(|n| {
                        let c = text_field(n, "cohort", &ctx, diags)?;
                        if cohorts.iter().any(|x: &Cohort| x.id == c) {
                            Some(c)
                        } else {
                            diags.push(ctx.diag(
                                Code::UnknownCohort,
                                n.pos,
                                format!(
                                    "{what} is in cohort `{c}`, which is not defined under `cohorts`{}",
                                    suggest(&c, cohorts.iter().map(|x| x.id.as_str()))
                                ),
                            ));
                            // Keep the agency, so that its reports are still checked.
                            Some(c)
                        }
                    });
                    let short = af
                        .get("short")
                        .and_then(|n| text_field(n, "short", &ctx, diags));
                    let province = af
                        .get("province")
                        .and_then(|n| text_field(n, "province", &ctx, diags));
                    let website = af
                        .get("website")
                        .and_then(|n| url_field(n, "website", &ctx, diags));
                    if let (Some(name), Some(cohort)) = (name, cohort) {
                        agencies.push(Agency {
                            id: k.name.clone(),
                            name,
                            short,
                            cohort,
                            province,
                            website,
                        });
                    }
                }
            }
            _ => diags.push(ctx.diag(
                Code::WrongType,
                n.pos,
                "agencies must be a map of agency ids to their fields",
            )),
        }
    }
    Some((cohorts, agencies))
}

// ---------------------------------------------------------------------------
// Reports

const REPORT_FIELDS: &[&str] = &[
    "agency", "year", "period", "source", "score", "rank", "values", "notes",
];

fn report(
    f: &SourceFile,
    year_dir: &str,
    stem: &str,
    registry: Option<&Registry>,
    cat: &Catalog,
    diags: &mut Diagnostics,
) -> Option<Report> {
    let mut ctx = Ctx::new(&f.rel);
    let year = match year_dir.parse::<i32>() {
        Ok(y) if year_dir.len() == 4 && (2000..=2100).contains(&y) => Some(y),
        _ => {
            diags.push(Diagnostic::new(
                Code::InvalidYear,
                &f.rel,
                None,
                format!("report folder `{year_dir}` is not a year from 2000 to 2100; move the file to data/reports/<year>/, e.g. data/reports/2022/"),
            ));
            None
        }
    };
    ctx.year = year;
    let agency_known = if !is_id(stem) {
        diags.push(Diagnostic::new(
            Code::InvalidId,
            &f.rel,
            None,
            format!(
                "the file name `{stem}` is not a valid agency id; rename it like `{}.yaml`",
                id_hint(stem)
            ),
        ));
        false
    } else if let Some((_, agencies)) = registry {
        let known = agencies.iter().any(|a| a.id == stem);
        if !known {
            let mut d = Diagnostic::new(
                Code::UnknownAgency,
                &f.rel,
                None,
                format!(
                    "no agency `{stem}` in data/agencies.yaml{}; add it there or rename the file",
                    suggest(stem, agencies.iter().map(|a| a.id.as_str()))
                ),
            )
            .agency(stem);
            d.year = year;
            diags.push(d);
        }
        known
    } else {
        true
    };
    if is_id(stem) {
        ctx.agency = Some(stem.to_string());
    }
    let doc = parsed(f, &ctx, diags)?;
    let fields = Fields::of(doc, "a report", REPORT_FIELDS, &ctx, diags)?;

    if let Some(n) = fields.get("agency") {
        if let Some(a) = text_field(n, "agency", &ctx, diags) {
            if a != stem {
                diags.push(ctx.diag(
                    Code::PathMismatch,
                    n.pos,
                    format!("agency: {a} disagrees with the file name {stem}.yaml; fix one of them (or remove the agency: line)"),
                ));
            }
        }
    }
    if let Some(n) = fields.get("year") {
        if let Some(y) = int_field(n, "year", &ctx, diags) {
            if Some(y as i32) != year || y.to_string() != year_dir {
                diags.push(ctx.diag(
                    Code::PathMismatch,
                    n.pos,
                    format!("year: {y} disagrees with the folder {year_dir}/; move the file to data/reports/{y}/ or fix the year (or remove the year: line)"),
                ));
            }
        }
    }

    let period = fields.get("period").and_then(|n| {
        let p = Fields::of(n, "period", &["from", "to"], &ctx, diags)?;
        let date = |name: &str, diags: &mut Diagnostics| -> Option<Date> {
            let n = p.require(name, "period", &ctx, diags)?;
            let s = text_field(n, name, &ctx, diags)?;
            let d = Date::parse_iso(&s);
            if d.is_none() {
                diags.push(ctx.diag(
                    Code::WrongType,
                    n.pos,
                    format!(
                        "period {name} must be a date written YYYY-MM-DD, found {}",
                        n.shown()
                    ),
                ));
            }
            d
        };
        let (from, to) = (date("from", diags), date("to", diags));
        let (from, to) = (from?, to?);
        if from > to {
            diags.push(ctx.diag(
                Code::OutOfRange,
                n.pos,
                "the period ends before it starts; swap from and to",
            ));
            return None;
        }
        Some((from, to))
    });

    let source = fields.get("source").and_then(|n| {
        let s = Fields::of(n, "source", &["title", "reference", "url"], &ctx, diags)?;
        Some(Source {
            title: s
                .get("title")
                .and_then(|n| text_field(n, "source title", &ctx, diags)),
            reference: s
                .get("reference")
                .and_then(|n| text_field(n, "source reference", &ctx, diags)),
            url: s
                .get("url")
                .and_then(|n| url_field(n, "source url", &ctx, diags)),
        })
    });

    let score = fields.get("score").and_then(|n| {
        let s = Fields::of(n, "score", &["value", "max", "self_assessed"], &ctx, diags)?;
        let value_node = s.require("value", "score", &ctx, diags)?;
        let value = num_field(value_node, "score value", &ctx, diags)?;
        let max = s
            .get("max")
            .and_then(|n| num_field(n, "score max", &ctx, diags));
        let self_assessed = s
            .get("self_assessed")
            .and_then(|n| bool_field(n, "self_assessed", &ctx, diags));
        if let Some(m) = max {
            if value.gt(m) {
                diags.push(ctx.diag(
                    Code::ScoreExceedsMax,
                    value_node.pos,
                    format!(
                        "score {} is more than its maximum {}",
                        value.plain(),
                        m.plain()
                    ),
                ));
            }
        }
        Some(Score {
            value,
            max,
            self_assessed,
        })
    });

    let rank = fields.get("rank").and_then(|n| {
        let r = Fields::of(n, "rank", &["position", "of", "decision"], &ctx, diags)?;
        let pos_node = r.require("position", "rank", &ctx, diags);
        let of_node = r.require("of", "rank", &ctx, diags);
        let decision = r
            .get("decision")
            .and_then(|n| text_field(n, "rank decision", &ctx, diags));
        let position = pos_node.and_then(|n| int_field(n, "rank position", &ctx, diags));
        let of = of_node.and_then(|n| int_field(n, "rank of", &ctx, diags));
        let (position, of, pos_node, of_node) = (position?, of?, pos_node?, of_node?);
        if of < 1 {
            diags.push(ctx.diag(
                Code::OutOfRange,
                of_node.pos,
                format!("rank of {of}: the number of ranked agencies must be at least 1"),
            ));
            return None;
        }
        if position < 1 || position > of {
            diags.push(ctx.diag(
                Code::OutOfRange,
                pos_node.pos,
                format!(
                    "rank position {position} is outside 1 to {of} (the `of` of the same rank)"
                ),
            ));
            return None;
        }
        Some(OfficialRank {
            position: u32::try_from(position).ok()?,
            of: u32::try_from(of).ok()?,
            decision,
        })
    });

    let notes = fields
        .get("notes")
        .and_then(|n| text_field(n, "notes", &ctx, diags));

    let mut values = BTreeMap::new();
    if let Some(n) = fields.get("values") {
        match &n.value {
            Value::Map(entries) => {
                for (k, v) in entries {
                    let Some(ind) = cat.indicator(&k.name) else {
                        diags.push(
                            ctx.diag(
                                Code::UnknownIndicator,
                                k.pos,
                                format!(
                                    "no indicator `{}` in the catalogue{}; check the spelling, or define a new indicator in data/indicators.yaml",
                                    k.name,
                                    suggest(&k.name, cat.indicators.iter().map(|i| i.id.as_str()))
                                ),
                            )
                            .indicator(&k.name),
                        );
                        continue;
                    };
                    if let Some(obs) = observation(ind, v, &ctx, diags) {
                        values.insert(ind.id.clone(), obs);
                    }
                }
            }
            _ => diags.push(ctx.diag(
                Code::WrongType,
                n.pos,
                "values must be a map of `indicator: value` lines",
            )),
        }
    }

    let (Some(year), true) = (year, agency_known) else {
        return None;
    };
    let mut report = Report {
        agency: stem.to_string(),
        year,
        file: f.rel.clone(),
        period,
        source,
        score,
        rank,
        values,
        notes,
        flags: Vec::new(),
    };
    report.flags = rules(&report, cat, &ctx, diags);
    Some(report)
}

fn observation(
    ind: &Indicator,
    node: &Node,
    ctx: &Ctx,
    diags: &mut Diagnostics,
) -> Option<Observation> {
    let mut obs = Observation {
        value: None,
        evidence: None,
        note: None,
        pos: node.pos,
    };
    let value_node = if let Value::Map(_) = node.value {
        let what = format!("the value of {}", ind.id);
        let f = Fields::of(node, &what, &["value", "evidence", "note"], ctx, diags)?;
        obs.evidence = f
            .get("evidence")
            .and_then(|n| text_field(n, "evidence", ctx, diags));
        obs.note = f
            .get("note")
            .and_then(|n| text_field(n, "note", ctx, diags));
        if !f.entries.iter().any(|(k, _)| k.name == "value") {
            diags.push(
                ctx.diag(
                    Code::MissingField,
                    node.pos,
                    format!(
                        "{what} needs a `value` field (write `value: null` if it was not reported)"
                    ),
                )
                .indicator(&ind.id),
            );
            return None;
        }
        match f.get("value") {
            Some(v) => v,
            None => return Some(obs),
        }
    } else {
        node
    };
    if value_node.is_null() {
        return Some(obs);
    }
    obs.pos = value_node.pos;
    obs.value = Some(kind_value(ind, value_node, ctx, diags)?);
    Some(obs)
}

/// A value checked against the kind of its indicator.
fn kind_value(ind: &Indicator, n: &Node, ctx: &Ctx, diags: &mut Diagnostics) -> Option<Val> {
    let id = &ind.id;
    let err = |code: Code, msg: String, diags: &mut Diagnostics| {
        diags.push(ctx.diag(code, n.pos, msg).indicator(id));
    };
    match ind.kind {
        Kind::Count => match n.value {
            Value::Int(i) if i >= 0 => Some(Val::Num(Num::Int(i))),
            Value::Int(i) => {
                err(
                    Code::NegativeValue,
                    format!("{id} is {i}, but a count cannot be below 0"),
                    diags,
                );
                None
            }
            Value::Float(x) if x < 0.0 => {
                err(
                    Code::NegativeValue,
                    format!("{id} is {}, but a count cannot be below 0", n.raw),
                    diags,
                );
                None
            }
            _ => {
                err(
                    Code::WrongType,
                    format!(
                        "{id} must be a whole number, found {}{}",
                        n.shown(),
                        number_hint(n)
                    ),
                    diags,
                );
                None
            }
        },
        Kind::Number | Kind::Percent | Kind::MoneyVnd => {
            let num = match n.value {
                Value::Int(i) => Num::Int(i),
                Value::Float(x) if x.is_finite() => Num::Float(x),
                _ => {
                    err(
                        Code::WrongType,
                        format!(
                            "{id} must be a number, found {}{}",
                            n.shown(),
                            number_hint(n)
                        ),
                        diags,
                    );
                    return None;
                }
            };
            let x = num.as_f64();
            match ind.kind {
                Kind::Percent if !(0.0..=100.0).contains(&x) => {
                    err(
                        Code::OutOfRange,
                        format!(
                            "{id} is {}, but a percentage must be from 0 to 100",
                            num.plain()
                        ),
                        diags,
                    );
                    None
                }
                Kind::MoneyVnd if x < 0.0 => {
                    err(
                        Code::NegativeValue,
                        format!(
                            "{id} is {}, but an amount of money cannot be below 0",
                            num.plain()
                        ),
                        diags,
                    );
                    None
                }
                _ => Some(Val::Num(num)),
            }
        }
        Kind::Flag => match flag_from(n) {
            Some(b) => Some(Val::Flag(b)),
            None => {
                err(
                    Code::WrongType,
                    format!(
                        "{id} must be có or không (or true/false, yes/no), found {}",
                        n.shown()
                    ),
                    diags,
                );
                None
            }
        },
        Kind::Text => match &n.value {
            Value::Str(s) => Some(Val::Text(s.clone())),
            _ => {
                err(
                    Code::WrongType,
                    format!("{id} must be text, found {}; put it in quotes", n.shown()),
                    diags,
                );
                None
            }
        },
    }
}

/// The consistency rules of the catalogue: warnings, and flags readers see.
fn rules(report: &Report, cat: &Catalog, ctx: &Ctx, diags: &mut Diagnostics) -> Vec<QualityFlag> {
    let mut flags = Vec::new();
    let num = |id: &str| report.value(id).and_then(Val::num);
    for ind in &cat.indicators {
        let Some(v) = num(&ind.id) else { continue };
        let pos = report
            .values
            .get(&ind.id)
            .map(|o| o.pos)
            .unwrap_or_default();
        if let Some(total_id) = &ind.at_most {
            if let Some(total) = num(total_id) {
                if v.gt(total) {
                    diags.push(
                        ctx.diag(
                            Code::ExceedsTotal,
                            pos,
                            format!(
                                "{} ({}) is more than {} ({})",
                                ind.id,
                                v.plain(),
                                total_id,
                                total.plain()
                            ),
                        )
                        .indicator(&ind.id),
                    );
                    flags.push(QualityFlag {
                        code: Code::ExceedsTotal,
                        indicator: ind.id.clone(),
                        related: vec![total_id.clone()],
                    });
                }
            }
        }
        if !ind.parts.is_empty() {
            let parts: Option<Vec<Num>> = ind.parts.iter().map(|p| num(p)).collect();
            if let Some(parts) = parts {
                let exact = parts.iter().all(|p| p.as_int().is_some()) && v.as_int().is_some();
                let mismatch = if exact {
                    parts
                        .iter()
                        .filter_map(|p| p.as_int())
                        .map(i128::from)
                        .sum::<i128>()
                        != i128::from(v.as_int().unwrap_or(0))
                } else {
                    (parts.iter().map(|p| p.as_f64()).sum::<f64>() - v.as_f64()).abs() > 1e-9
                };
                if mismatch {
                    let sum: f64 = parts.iter().map(|p| p.as_f64()).sum();
                    diags.push(
                        ctx.diag(
                            Code::PartsMismatch,
                            pos,
                            format!(
                                "{} ({}) is not the sum of {} ({})",
                                ind.id,
                                v.plain(),
                                ind.parts.join(" + "),
                                crate::format::plain(sum)
                            ),
                        )
                        .indicator(&ind.id),
                    );
                    flags.push(QualityFlag {
                        code: Code::PartsMismatch,
                        indicator: ind.id.clone(),
                        related: ind.parts.clone(),
                    });
                }
            }
        }
    }
    if let Some(Score {
        value,
        max: Some(max),
        ..
    }) = &report.score
    {
        if value.gt(*max) {
            flags.push(QualityFlag {
                code: Code::ScoreExceedsMax,
                indicator: "score".to_string(),
                related: Vec::new(),
            });
        }
    }
    flags
}

fn missing_reports(
    cohorts: &[Cohort],
    agencies: &[Agency],
    have: &BTreeSet<(i32, &str)>,
    site: Option<&SiteConfig>,
    diags: &mut Diagnostics,
) {
    let years: BTreeSet<i32> = have
        .iter()
        .map(|(y, _)| *y)
        .filter(|y| {
            site.and_then(|s| s.years.as_ref())
                .is_none_or(|ys| ys.contains(y))
        })
        .collect();
    for cohort in cohorts {
        let members: Vec<&Agency> = agencies.iter().filter(|a| a.cohort == cohort.id).collect();
        for &year in &years {
            let reporting = members
                .iter()
                .filter(|a| have.contains(&(year, a.id.as_str())))
                .count();
            if reporting == 0 {
                continue;
            }
            for a in &members {
                if !have.contains(&(year, a.id.as_str())) {
                    diags.push(
                        Diagnostic::new(
                            Code::MissingReport,
                            format!("data/reports/{year}/{}.yaml", a.id),
                            None,
                            format!(
                                "{} has no report for {year}, while {reporting} other agencies of cohort {} have one; add data/reports/{year}/{}.yaml (minhbach new year {year})",
                                a.id, cohort.id, a.id
                            ),
                        )
                        .agency(&a.id)
                        .year(year),
                    );
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Markdown pages

/// Section names the generator uses; a page may not take them.
const RESERVED: &[&str] = &[
    "agencies",
    "years",
    "indicators",
    "data",
    "compare",
    "search",
    "assets",
    "static",
    "charts",
];

fn page(f: &SourceFile, diags: &mut Diagnostics) -> Option<Page> {
    let ctx = Ctx::new(&f.rel);
    let doc = parsed(f, &ctx, diags)?;
    let fields = Fields::of(
        doc,
        "the front matter",
        &["title", "description", "weight", "lang", "draft"],
        &ctx,
        diags,
    )?;
    let title = fields
        .require("title", "the front matter", &ctx, diags)
        .and_then(|n| text_field(n, "title", &ctx, diags));
    let description = fields
        .get("description")
        .and_then(|n| text_field(n, "description", &ctx, diags));
    let weight = fields
        .get("weight")
        .and_then(|n| int_field(n, "weight", &ctx, diags))
        .unwrap_or(0);
    let lang = fields.get("lang").and_then(|n| {
        let l = text_field(n, "lang", &ctx, diags)?;
        if is_lang_code(&l) {
            Some(l)
        } else {
            diags.push(ctx.diag(
                Code::WrongType,
                n.pos,
                format!("`{l}` is not a language code such as vi or en"),
            ));
            None
        }
    });
    let draft = fields
        .get("draft")
        .and_then(|n| bool_field(n, "draft", &ctx, diags))
        .unwrap_or(false);

    let rel = f.rel.strip_prefix("content/").unwrap_or(&f.rel);
    let rel = rel.strip_suffix(".md").unwrap_or(rel);
    let rel = rel.strip_suffix("/index").unwrap_or(rel);
    let pos = Pos { line: 1, column: 1 };
    if rel == "index" || rel.is_empty() {
        diags.push(ctx.diag(
            Code::InvalidId,
            pos,
            "content/index.md would replace the overview page; give the page another name",
        ));
        return None;
    }
    for part in rel.split('/') {
        if !is_id(part) {
            diags.push(ctx.diag(
                Code::InvalidId,
                pos,
                format!(
                    "`{part}` in the page's path is not a valid URL name; rename it like `{}`",
                    id_hint(part)
                ),
            ));
            return None;
        }
    }
    let first = rel.split('/').next().unwrap_or("");
    if RESERVED.contains(&first) {
        diags.push(ctx.diag(
            Code::InvalidId,
            pos,
            format!("`{first}` is used by the generated pages; put the page elsewhere"),
        ));
        return None;
    }
    Some(Page {
        file: f.rel.clone(),
        slug: rel.to_string(),
        title: title?,
        description,
        weight,
        lang,
        draft,
        body: f.body.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reports read during validation (builds) and read up front (serve)
    /// give the same input and the same diagnostics, in the same order.
    #[test]
    fn deferred_reports_validate_like_loaded_ones() {
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut roots = vec![fixtures.join("seeds-site"), fixtures.join("good-minimal")];
        let bad = fixtures.join("bad");
        let mut cases: Vec<_> = std::fs::read_dir(&bad)
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        cases.retain(|p| p.is_dir());
        cases.sort();
        assert!(cases.len() >= 13, "the bad fixtures are missing");
        roots.extend(cases);
        for root in roots {
            let eager = crate::load::load(&root);
            let deferred = crate::load::load_deferred(&root);
            assert!(eager.deferred.is_empty());
            assert!(!deferred.deferred.is_empty(), "{}", root.display());
            let (a, da) = validate(&eager);
            let (b, db) = validate(&deferred);
            assert_eq!(a, b, "{}", root.display());
            assert_eq!(da.0, db.0, "{}", root.display());
        }
    }

    #[test]
    fn ids() {
        assert!(is_id("so-noi-vu"));
        assert!(is_id("dvctt_uptake"));
        assert!(is_id("t01-xa-001"));
        assert!(!is_id("So Tu Phap"));
        assert!(!is_id("so--noi"));
        assert!(!is_id("-so"));
        assert!(!is_id("sở"));
        assert!(!is_id(&"a".repeat(65)));
        assert_eq!(id_hint("Sở Tư Pháp"), "so-tu-phap");
    }

    #[test]
    fn urls() {
        assert!(is_safe_url("https://songoaivu.hatinh.gov.vn"));
        assert!(is_safe_url("http://x.vn/a?b=c"));
        assert!(is_safe_url("mailto:a@b.vn"));
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url("https://"));
        assert!(!is_safe_url("/relative"));
        assert!(!is_safe_url("https://x.vn/\"onmouseover=1"));
    }

    #[test]
    fn flags_accept_vietnamese_and_english() {
        let node = |s: &str| {
            yaml::parse(&format!("v: {s}"))
                .expect("yaml")
                .as_map()
                .expect("map")[0]
                .1
                .clone()
        };
        assert_eq!(flag_from(&node("có")), Some(true));
        assert_eq!(flag_from(&node("Có")), Some(true));
        assert_eq!(flag_from(&node("KHÔNG")), Some(false));
        assert_eq!(flag_from(&node("yes")), Some(true));
        assert_eq!(flag_from(&node("No")), Some(false));
        assert_eq!(flag_from(&node("true")), Some(true));
        assert_eq!(flag_from(&node("false")), Some(false));
        assert_eq!(flag_from(&node("co")), None);
        assert_eq!(flag_from(&node("1")), None);
    }

    #[test]
    fn number_hints() {
        let node = |s: &str| {
            yaml::parse(&format!("v: {s}"))
                .expect("yaml")
                .as_map()
                .expect("map")[0]
                .1
                .clone()
        };
        assert_eq!(
            number_hint(&node("\"1.045\"")),
            " (write 1045, without thousands separators)"
        );
        assert_eq!(
            number_hint(&node("1.517")),
            " (write 1517, without thousands separators)"
        );
        assert_eq!(
            number_hint(&node("\"510.000.000\"")),
            " (write 510000000, without thousands separators)"
        );
        assert_eq!(
            number_hint(&node("\"92,5\"")),
            " (write 92.5, with a decimal point)"
        );
        assert_eq!(number_hint(&node("12.5")), "");
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            suggest("valeus", REPORT_FIELDS.iter().copied()),
            " (did you mean `values`?)"
        );
        assert_eq!(
            suggest(
                "dosiers_total",
                ["dossiers_total", "docs_outgoing_total"].into_iter()
            ),
            " (did you mean `dossiers_total`?)"
        );
        assert_eq!(suggest("zzz", REPORT_FIELDS.iter().copied()), "");
    }

    #[test]
    fn core_catalogue_is_complete() {
        let cat = core_catalog();
        assert_eq!(cat.indicators.len(), 42);
        assert_eq!(cat.rates.len(), 12);
        assert_eq!(cat.groups.len(), 8);
        for r in &cat.rates {
            assert_eq!(
                cat.indicator(&r.numerator).map(|i| i.kind),
                Some(Kind::Count),
                "{}",
                r.id
            );
            assert_eq!(
                cat.indicator(&r.denominator).map(|i| i.kind),
                Some(Kind::Count),
                "{}",
                r.id
            );
        }
        for i in &cat.indicators {
            assert!(cat.group(&i.group).is_some(), "{}", i.id);
            if let Some(t) = &i.at_most {
                assert!(cat.indicator(t).is_some(), "{}", i.id);
            }
        }
        let headline: Vec<&str> = cat
            .rates
            .iter()
            .filter(|r| r.headline)
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(
            headline,
            [
                "dvctt_uptake",
                "procedures_full_rate",
                "signed_outgoing_rate"
            ]
        );
    }
}
