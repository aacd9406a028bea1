//! The one module that knows which YAML library we use.
//!
//! serde_yaml (deprecated upstream) resolves scalars (`1.517` is a float,
//! `"1.045"` a string, `có` a string, `~` null) and reports syntax errors;
//! yaml-rust2's event parser marks where every node starts, which serde_yaml
//! does not keep. [`parse`] walks both trees in step and hands the rest of
//! the program a [`Node`] tree that carries a line and column on every key
//! and value. Swapping the YAML library means rewriting this file only.

use std::collections::HashMap;
use std::fmt;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A 1-based line and column in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

/// A YAML value with the position where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub value: Value,
    /// The scalar as written (without quotes), for messages such as
    /// "found 1.517": a float loses its trailing zeros.
    pub raw: String,
    /// Whether the scalar was written in quotes.
    pub quoted: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

/// A mapping key with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

/// Why a file is not YAML we can read.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub pos: Option<Pos>,
    pub message: String,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Node {
    pub fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// A short description of the kind of value, for messages.
    pub fn kind_name(&self) -> &'static str {
        match self.value {
            Value::Null => "nothing",
            Value::Bool(_) => "true/false",
            Value::Int(_) => "a whole number",
            Value::Float(_) => "a decimal number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a map",
        }
    }

    /// The value as the user wrote it, for messages: `"1.045"`, `1.517`, `[...]`.
    pub fn shown(&self) -> String {
        match &self.value {
            Value::Seq(_) => "a list".to_string(),
            Value::Map(_) => "a map".to_string(),
            Value::Null => "nothing".to_string(),
            _ if self.quoted => format!("\"{}\"", self.raw),
            _ => self.raw.clone(),
        }
    }
}

/// Parses a YAML document that starts `line_offset` lines into its file
/// (front matter after a `---` line), with positions in file lines.
pub fn parse_at(src: &str, line_offset: usize) -> Result<Node, YamlError> {
    match parse(src) {
        Ok(mut node) => {
            shift(&mut node, line_offset);
            Ok(node)
        }
        Err(mut e) => {
            if let Some(p) = e.pos.as_mut() {
                p.line += line_offset;
            }
            Err(e)
        }
    }
}

fn shift(node: &mut Node, lines: usize) {
    node.pos.line += lines;
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| shift(n, lines)),
        Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            k.pos.line += lines;
            shift(v, lines);
        }),
        _ => {}
    }
}

/// The deepest nesting of `[…]`/`{…}` a document may have. Reports are
/// three levels deep; the YAML library's scanner takes time quadratic in
/// the depth, so a hostile `[[[[…` is refused before it is parsed.
pub const MAX_FLOW_DEPTH: usize = 64;

/// Where the flow nesting of `src` first goes past [`MAX_FLOW_DEPTH`],
/// outside quotes and comments.
fn too_deep(src: &str) -> Option<Pos> {
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    let (mut single, mut double, mut comment, mut escaped) = (false, false, false, false);
    let mut previous = ' ';
    for c in src.chars() {
        column += 1;
        if c == '\n' {
            line += 1;
            column = 0;
            comment = false;
            previous = c;
            continue;
        }
        if comment {
            continue;
        }
        if double {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                double = false;
            }
        } else if single {
            if c == '\'' {
                single = false;
            }
        } else {
            match c {
                '#' if previous.is_whitespace() => comment = true,
                '"' => double = true,
                '\'' if !previous.is_alphanumeric() => single = true,
                '[' | '{' => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Some(Pos { line, column });
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        previous = c;
    }
    None
}

/// Parses one YAML document. An empty file is `Null`.
pub fn parse(src: &str) -> Result<Node, YamlError> {
    if let Some(pos) = too_deep(src) {
        return Err(YamlError {
            pos: Some(pos),
            message: format!(
                "lists and maps are nested more than {MAX_FLOW_DEPTH} levels deep here; a report needs three"
            ),
        });
    }
    let typed: serde_yaml::Value = match serde_yaml::from_str(src) {
        Ok(v) => v,
        Err(e) => return Err(serde_error(src, &e)),
    };
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(src);
    if let Err(e) = parser.load(&mut builder, false) {
        return Err(YamlError {
            pos: Some(pos_of(e.marker())),
            message: e.info().to_string(),
        });
    }
    let marked = match builder.root {
        Some(m) => m,
        None => return Ok(null_node(Pos { line: 1, column: 1 })),
    };
    if let Some((key, pos)) = find_duplicate(&marked) {
        return Err(YamlError {
            pos: Some(pos),
            message: format!("the key `{key}` appears twice in the same map; keep one"),
        });
    }
    Ok(zip(marked, typed))
}

fn null_node(pos: Pos) -> Node {
    Node {
        pos,
        value: Value::Null,
        raw: String::new(),
        quoted: false,
    }
}

fn serde_error(src: &str, e: &serde_yaml::Error) -> YamlError {
    let message = e.to_string();
    // serde_yaml reports a duplicate key without a usable position; find it
    // with the marking parser.
    if message.contains("duplicate entry") {
        let mut builder = Builder::default();
        if Parser::new_from_str(src).load(&mut builder, false).is_ok() {
            if let Some((key, pos)) = builder.root.as_ref().and_then(find_duplicate) {
                return YamlError {
                    pos: Some(pos),
                    message: format!("the key `{key}` appears twice in the same map; keep one"),
                };
            }
        }
    }
    let mut pos = e.location().map(|l| Pos {
        line: l.line(),
        column: l.column(),
    });
    // "… at line 4 column 1, while scanning a quoted scalar at line 2
    // column 19": the quote that is never closed is the place to fix.
    if let Some(i) = message.find("while scanning a quoted scalar at line ") {
        if let Some(start) =
            parse_line_col(&message[i + "while scanning a quoted scalar at ".len()..])
        {
            pos = Some(start);
            return YamlError {
                pos,
                message: "a quoted value starts here and is never closed; add the closing quote"
                    .to_string(),
            };
        }
    }
    let message = strip_positions(&message);
    YamlError { pos, message }
}

/// Reads "line 2 column 19" at the start of `s`.
fn parse_line_col(s: &str) -> Option<Pos> {
    let rest = s.strip_prefix("line ")?;
    let (line, rest) = rest.split_once(" column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some(Pos {
        line: line.parse().ok()?,
        column: column.parse().ok()?,
    })
}

/// Drops " at line N column M" from a message: positions are printed apart.
fn strip_positions(message: &str) -> String {
    let mut out = String::new();
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let skip = after
            .find(" column ")
            .map(|j| {
                let digits = after[j + 8..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .count();
                j + 8 + digits
            })
            .unwrap_or(0);
        rest = &after[skip..];
    }
    out.push_str(rest);
    out
}

fn pos_of(m: &Marker) -> Pos {
    Pos {
        line: m.line(),
        column: m.col() + 1,
    }
}

/// A node of the marking parser: structure and positions, no typing.
#[derive(Debug, Clone)]
enum Marked {
    Scalar {
        pos: Pos,
        text: String,
        quoted: bool,
    },
    Seq {
        pos: Pos,
        items: Vec<Marked>,
    },
    Map {
        pos: Pos,
        entries: Vec<(Marked, Marked)>,
    },
}

impl Marked {
    fn pos(&self) -> Pos {
        match self {
            Marked::Scalar { pos, .. } | Marked::Seq { pos, .. } | Marked::Map { pos, .. } => *pos,
        }
    }

    fn key_str(&self) -> &str {
        match self {
            Marked::Scalar { text, .. } => text,
            Marked::Seq { .. } => "[…]",
            Marked::Map { .. } => "{…}",
        }
    }

    /// The key as text, the scalar's own string moved out.
    fn into_key_text(self) -> String {
        match self {
            Marked::Scalar { text, .. } => text,
            other => other.key_str().to_string(),
        }
    }
}

/// An open collection while events stream in.
struct Frame {
    node: Marked,
    anchor: usize,
    /// In a map: the key read, waiting for its value.
    pending_key: Option<Marked>,
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, Marked>,
    root: Option<Marked>,
}

impl Builder {
    fn push_value(&mut self, node: Marked, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            Some(Frame {
                node: Marked::Seq { items, .. },
                ..
            }) => items.push(node),
            Some(Frame {
                node: Marked::Map { entries, .. },
                pending_key,
                ..
            }) => match pending_key.take() {
                Some(key) => entries.push((key, node)),
                None => *pending_key = Some(node),
            },
            _ => self.root = Some(node),
        }
    }

    fn open(&mut self, node: Marked, anchor: usize) {
        self.stack.push(Frame {
            node,
            anchor,
            pending_key: None,
        });
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let pos = pos_of(&mark);
        match ev {
            Event::Scalar(text, style, anchor, _) => {
                let quoted = matches!(
                    style,
                    TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted
                );
                self.push_value(Marked::Scalar { pos, text, quoted }, anchor);
            }
            Event::SequenceStart(anchor, _) => self.open(
                Marked::Seq {
                    pos,
                    items: Vec::new(),
                },
                anchor,
            ),
            Event::MappingStart(anchor, _) => self.open(
                Marked::Map {
                    pos,
                    entries: Vec::new(),
                },
                anchor,
            ),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(mut frame) = self.stack.pop() {
                    // A block map's start event is marked after its first
                    // key; the map starts where that key does.
                    if let Marked::Map { pos, entries } = &mut frame.node {
                        if let Some((k, _)) = entries.first() {
                            *pos = (*pos).min(k.pos());
                        }
                    }
                    self.push_value(frame.node, frame.anchor);
                }
            }
            Event::Alias(id) => {
                let node = self.anchors.get(&id).cloned().unwrap_or(Marked::Scalar {
                    pos,
                    text: String::new(),
                    quoted: false,
                });
                self.push_value(node, 0);
            }
            _ => {}
        }
    }
}

/// Maps with at most this many keys are checked for a repeated key by
/// comparing each key with the earlier ones; larger ones with a hash set.
const FEW_KEYS: usize = 8;

/// The first key that appears twice in one map, with the position of its
/// second appearance.
fn find_duplicate(node: &Marked) -> Option<(String, Pos)> {
    match node {
        Marked::Scalar { .. } => None,
        Marked::Seq { items, .. } => items.iter().find_map(find_duplicate),
        Marked::Map { entries, .. } => {
            // Keys are borrowed, not copied. A report's values map has
            // about sixty: comparing each with every earlier one was 4 %
            // of `check` on the national corpus (perf), so past a few keys
            // they go in a hash set.
            let repeated = if entries.len() <= FEW_KEYS {
                let mut seen: Vec<&str> = Vec::with_capacity(entries.len());
                entries.iter().map(|(k, _)| k).find(|k| {
                    let text = k.key_str();
                    let twice = seen.contains(&text);
                    seen.push(text);
                    twice
                })
            } else {
                let mut seen: ahash::AHashSet<&str> = ahash::AHashSet::with_capacity(entries.len());
                entries
                    .iter()
                    .map(|(k, _)| k)
                    .find(|k| !seen.insert(k.key_str()))
            };
            match repeated {
                Some(k) => Some((k.key_str().to_string(), k.pos())),
                None => entries.iter().find_map(|(_, v)| find_duplicate(v)),
            }
        }
    }
}

/// Walks the marked tree and serde_yaml's typed tree in step, taking the
/// strings of both rather than copying them.
fn zip(marked: Marked, typed: serde_yaml::Value) -> Node {
    use serde_yaml::Value as Y;
    let typed = match typed {
        Y::Tagged(t) => t.value,
        other => other,
    };
    let pos = marked.pos();
    let (raw, quoted, marked) = match marked {
        Marked::Scalar { text, quoted, .. } => (text, quoted, None),
        other => (String::new(), false, Some(other)),
    };
    let value = match (marked, typed) {
        (_, Y::Null) => Value::Null,
        (_, Y::Bool(b)) => Value::Bool(b),
        (_, Y::Number(n)) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        (_, Y::String(s)) => Value::Str(s),
        (Some(Marked::Seq { items, .. }), Y::Sequence(seq)) => {
            Value::Seq(items.into_iter().zip(seq).map(|(m, t)| zip(m, t)).collect())
        }
        (Some(Marked::Map { entries, .. }), Y::Mapping(map)) => Value::Map(
            entries
                .into_iter()
                .zip(map)
                .map(|((mk, mv), (_, tv))| {
                    let pos = mk.pos();
                    (
                        Key {
                            name: mk.into_key_text(),
                            pos,
                        },
                        zip(mv, tv),
                    )
                })
                .collect(),
        ),
        // The two parsers disagree on the shape; keep serde_yaml's value
        // and the nearest known position.
        (_, other) => return from_typed(&other, pos),
    };
    Node {
        pos,
        value,
        raw,
        quoted,
    }
}

fn from_typed(typed: &serde_yaml::Value, pos: Pos) -> Node {
    use serde_yaml::Value as Y;
    let value = match typed {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(*b),
        Y::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Y::String(s) => Value::Str(s.clone()),
        Y::Sequence(seq) => Value::Seq(seq.iter().map(|t| from_typed(t, pos)).collect()),
        Y::Mapping(map) => Value::Map(
            map.iter()
                .map(|(k, v)| {
                    let name = match k {
                        Y::String(s) => s.clone(),
                        other => serde_yaml::to_string(other)
                            .map(|s| s.trim().to_string())
                            .unwrap_or_default(),
                    };
                    (Key { name, pos }, from_typed(v, pos))
                })
                .collect(),
        ),
        Y::Tagged(t) => return from_typed(&t.value, pos),
    };
    Node {
        pos,
        value,
        raw: String::new(),
        quoted: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'a>(node: &'a Node, key: &str) -> &'a Node {
        let map = node.as_map().expect("a map");
        &map.iter().find(|(k, _)| k.name == key).expect("the key").1
    }

    #[test]
    fn positions_of_keys_and_values() {
        let src = "values:\n  dossiers_total: \"1.045\"\n  dossiers_online: 1.517\n  has_cio: có\n  x: {value: 3, evidence: \"QĐ 14\"}\n";
        let doc = parse(src).expect("valid");
        let values = get(&doc, "values");
        let total = get(values, "dossiers_total");
        assert_eq!(
            total.pos,
            Pos {
                line: 2,
                column: 19
            }
        );
        assert_eq!(total.value, Value::Str("1.045".into()));
        assert!(total.quoted);
        assert_eq!(total.shown(), "\"1.045\"");
        let online = get(values, "dossiers_online");
        assert_eq!(online.value, Value::Float(1.517));
        assert_eq!(online.raw, "1.517");
        assert_eq!(
            online.pos,
            Pos {
                line: 3,
                column: 20
            }
        );
        assert_eq!(get(values, "has_cio").value, Value::Str("có".into()));
        let x = get(values, "x");
        assert_eq!(get(x, "value").value, Value::Int(3));
        assert_eq!(
            get(x, "value").pos,
            Pos {
                line: 5,
                column: 14
            }
        );
        let keys = values.as_map().expect("map");
        assert_eq!(keys[1].0.pos, Pos { line: 3, column: 3 });
    }

    #[test]
    fn scalars_resolve_like_yaml_1_2() {
        let doc = parse("a: yes\nb: true\nc: ~\nd: 2022-01-01\ne: 0x10\nf: -3\n").expect("valid");
        assert_eq!(get(&doc, "a").value, Value::Str("yes".into()));
        assert_eq!(get(&doc, "b").value, Value::Bool(true));
        assert_eq!(get(&doc, "c").value, Value::Null);
        assert_eq!(get(&doc, "d").value, Value::Str("2022-01-01".into()));
        assert_eq!(get(&doc, "f").value, Value::Int(-3));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = parse("values:\n  dossiers_total: \"1045\n  dossiers_online: 1045\n")
            .expect_err("broken");
        assert_eq!(
            err.pos,
            Some(Pos {
                line: 2,
                column: 19
            })
        );
        assert!(err.message.contains("closing quote"), "{}", err.message);
        let err = parse("values:\n  a: 1\n b: 2\n").expect_err("bad indentation");
        assert_eq!(err.pos, Some(Pos { line: 3, column: 2 }));
        assert!(!err.message.contains(" at line "), "{}", err.message);
    }

    #[test]
    fn duplicate_keys_point_at_the_second_one() {
        let err = parse("values:\n  a: 1\n  b: 2\n  a: 3\n").expect_err("duplicate");
        assert_eq!(err.pos, Some(Pos { line: 4, column: 3 }));
        assert!(err.message.contains("`a`"), "{}", err.message);
    }

    #[test]
    fn in_a_large_map_the_first_key_seen_twice_is_the_one_reported() {
        // More keys than FEW_KEYS: the hash-set path. k05 comes back on
        // line 14, before k03 does on line 17.
        let mut src = String::from("values:\n");
        for i in 0..12 {
            src.push_str(&format!("  k{i:02}: {i}\n"));
        }
        src.push_str("  k05: 1\n  x: 2\n  y: 3\n  k03: 4\n");
        assert!(src.lines().count() > FEW_KEYS);
        let err = parse(&src).expect_err("duplicate");
        assert_eq!(
            err.pos,
            Some(Pos {
                line: 14,
                column: 3
            })
        );
        assert!(err.message.contains("`k05`"), "{}", err.message);
        // The same keys without the repeats parse.
        let fine = src.replace("  k05: 1\n", "").replace("  k03: 4\n", "");
        assert!(parse(&fine).is_ok());
    }

    #[test]
    fn deep_flow_nesting_is_refused_before_parsing() {
        let deep = format!("v: {}{}", "[".repeat(100_000), "]".repeat(100_000));
        let e = parse(&deep).expect_err("too deep");
        assert!(e.message.contains("nested more than"), "{e}");
        assert_eq!(
            e.pos,
            Some(Pos {
                line: 1,
                column: 4 + MAX_FLOW_DEPTH
            })
        );
        let quoted = format!(
            "v: \"{}\" # {}\nw: '{}'",
            "[".repeat(200),
            "{".repeat(200),
            "[".repeat(200)
        );
        assert!(
            parse(&quoted).is_ok(),
            "brackets in quotes and comments do not count"
        );
        assert!(parse("v: [[1, {a: [2]}]]").is_ok());
    }

    #[test]
    fn empty_document_is_null() {
        assert!(parse("").expect("empty is fine").is_null());
        assert!(parse("# only a comment\n").expect("fine").is_null());
    }

    #[test]
    fn aliases_and_sequences() {
        let doc = parse("a: &x [1, 2]\nb: *x\n").expect("valid");
        match &get(&doc, "b").value {
            Value::Seq(items) => assert_eq!(items.len(), 2),
            other => panic!("{other:?}"),
        }
    }
}
