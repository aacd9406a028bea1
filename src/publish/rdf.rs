//! A small RDF graph, written as Turtle and as JSON-LD with an inline
//! context (no remote context to fetch). Named nodes are written once at
//! the top level and referenced by IRI; blank nodes are nested where used.
//! Subjects and properties keep the order they were added in, so the output
//! is stable.

use serde_json::{json, Map, Value as Json};

#[derive(Debug, Clone, PartialEq)]
pub enum Obj {
    Iri(String),
    Lit {
        value: String,
        /// A prefixed datatype name, e.g. `xsd:date`.
        datatype: Option<&'static str>,
        lang: Option<String>,
    },
    Node(Box<Node>),
}

impl Obj {
    pub fn iri(s: impl Into<String>) -> Obj {
        Obj::Iri(s.into())
    }

    pub fn str(s: impl Into<String>) -> Obj {
        Obj::Lit {
            value: s.into(),
            datatype: None,
            lang: None,
        }
    }

    pub fn lang(s: impl Into<String>, lang: &str) -> Obj {
        Obj::Lit {
            value: s.into(),
            datatype: None,
            lang: Some(lang.to_string()),
        }
    }

    pub fn typed(s: impl Into<String>, datatype: &'static str) -> Obj {
        Obj::Lit {
            value: s.into(),
            datatype: Some(datatype),
            lang: None,
        }
    }

    pub fn node(n: Node) -> Obj {
        Obj::Node(Box::new(n))
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Node {
    /// `None`: a blank node.
    pub id: Option<String>,
    /// Prefixed class names, e.g. `dcat:Dataset`.
    pub types: Vec<&'static str>,
    /// Prefixed property name → object, in order.
    pub props: Vec<(&'static str, Obj)>,
}

impl Node {
    pub fn named(id: impl Into<String>, ty: &'static str) -> Node {
        Node {
            id: Some(id.into()),
            types: vec![ty],
            props: Vec::new(),
        }
    }

    pub fn blank(ty: &'static str) -> Node {
        Node {
            id: None,
            types: vec![ty],
            props: Vec::new(),
        }
    }

    pub fn also(mut self, ty: &'static str) -> Node {
        self.types.push(ty);
        self
    }

    pub fn with(mut self, p: &'static str, o: Obj) -> Node {
        self.props.push((p, o));
        self
    }

    pub fn add(&mut self, p: &'static str, o: Obj) {
        self.props.push((p, o));
    }

    /// Properties grouped by name, in order of first appearance.
    fn grouped(&self) -> Vec<(&'static str, Vec<&Obj>)> {
        let mut out: Vec<(&'static str, Vec<&Obj>)> = Vec::new();
        for (p, o) in &self.props {
            match out.iter_mut().find(|(q, _)| q == p) {
                Some((_, v)) => v.push(o),
                None => out.push((p, vec![o])),
            }
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Graph {
    pub prefixes: Vec<(&'static str, &'static str)>,
    /// Top-level nodes; after [`Graph::flatten`], named nodes only here.
    pub nodes: Vec<Node>,
}

impl Graph {
    /// Moves every named node found inside another to the top level (once,
    /// merging the properties of repeated descriptions) and references it
    /// by IRI where it was.
    pub fn flatten(&mut self) {
        let mut out: Vec<Node> = Vec::new();
        let mut queue: Vec<Node> = std::mem::take(&mut self.nodes);
        queue.reverse();
        while let Some(mut n) = queue.pop() {
            let mut found = Vec::new();
            lift(&mut n, &mut found);
            match out.iter_mut().find(|m| m.id.is_some() && m.id == n.id) {
                Some(m) => {
                    for t in n.types {
                        if !m.types.contains(&t) {
                            m.types.push(t);
                        }
                    }
                    for pv in n.props {
                        if !m.props.contains(&pv) {
                            m.props.push(pv);
                        }
                    }
                }
                None => out.push(n),
            }
            for f in found.into_iter().rev() {
                queue.push(f);
            }
        }
        self.nodes = out;
    }

    pub fn turtle(&self) -> String {
        let mut out = String::new();
        for (p, iri) in &self.prefixes {
            out.push_str(&format!("@prefix {p}: <{iri}> .\n"));
        }
        for n in &self.nodes {
            out.push('\n');
            let subject = n.id.as_deref().map_or("[]".to_string(), turtle_iri);
            out.push_str(&subject);
            out.push_str(&turtle_body(n, 1));
            out.push_str(" .\n");
        }
        out
    }

    pub fn json_ld(&self) -> Json {
        let mut ctx = Map::new();
        for (p, iri) in &self.prefixes {
            ctx.insert((*p).to_string(), json!(iri));
        }
        json!({
            "@context": ctx,
            "@graph": self.nodes.iter().map(json_node).collect::<Vec<_>>(),
        })
    }
}

/// Takes the named nodes out of `n`'s objects, leaving their IRIs.
fn lift(n: &mut Node, found: &mut Vec<Node>) {
    for (_, o) in n.props.iter_mut() {
        if let Obj::Node(inner) = o {
            if let Some(id) = inner.id.clone() {
                let node = std::mem::replace(o, Obj::Iri(id));
                if let Obj::Node(b) = node {
                    found.push(*b);
                }
            } else {
                lift(inner, found);
            }
        }
    }
}

/// An IRI in angle brackets, with the characters Turtle forbids there
/// percent-encoded.
fn turtle_iri(iri: &str) -> String {
    let mut out = String::from("<");
    for c in iri.chars() {
        match c {
            '<' | '>' | '"' | '{' | '}' | '|' | '^' | '`' | '\\' | ' ' => {
                out.push_str(&format!("%{:02X}", c as u32));
            }
            c if (c as u32) <= 0x20 => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('>');
    out
}

fn turtle_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn turtle_obj(o: &Obj, depth: usize) -> String {
    match o {
        Obj::Iri(i) => turtle_iri(i),
        Obj::Lit {
            value,
            datatype,
            lang,
        } => {
            let mut s = turtle_string(value);
            if let Some(l) = lang {
                s.push('@');
                s.push_str(l);
            } else if let Some(d) = datatype {
                s.push_str("^^");
                s.push_str(d);
            }
            s
        }
        Obj::Node(n) => match &n.id {
            Some(id) => turtle_iri(id),
            None => {
                let indent = "    ".repeat(depth);
                format!("[{}\n{indent}]", turtle_body(n, depth + 1))
            }
        },
    }
}

/// `a T ; p o, o ; …` of a node, one property per line.
fn turtle_body(n: &Node, depth: usize) -> String {
    let indent = "    ".repeat(depth);
    let mut lines = Vec::new();
    if !n.types.is_empty() {
        lines.push(format!("{indent}a {}", n.types.join(", ")));
    }
    for (p, objs) in n.grouped() {
        let values: Vec<String> = objs.iter().map(|o| turtle_obj(o, depth)).collect();
        lines.push(format!("{indent}{p} {}", values.join(", ")));
    }
    format!("\n{}", lines.join(" ;\n"))
}

fn json_obj(o: &Obj) -> Json {
    match o {
        Obj::Iri(i) => json!({"@id": i}),
        Obj::Lit {
            value,
            datatype,
            lang,
        } => match (lang, datatype) {
            (Some(l), _) => json!({"@value": value, "@language": l}),
            (None, Some(d)) => json!({"@value": value, "@type": d}),
            (None, None) => json!(value),
        },
        Obj::Node(n) => json_node(n),
    }
}

fn json_node(n: &Node) -> Json {
    let mut m = Map::new();
    if let Some(id) = &n.id {
        m.insert("@id".into(), json!(id));
    }
    match n.types.as_slice() {
        [] => {}
        [t] => {
            m.insert("@type".into(), json!(t));
        }
        ts => {
            m.insert("@type".into(), json!(ts));
        }
    }
    for (p, objs) in n.grouped() {
        let v = match objs.as_slice() {
            [o] => json_obj(o),
            os => Json::Array(os.iter().map(|o| json_obj(o)).collect()),
        };
        m.insert(p.to_string(), v);
    }
    Json::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turtle_and_json_ld_of_a_small_graph() {
        let agent =
            Node::named("http://x/#a", "foaf:Agent").with("foaf:name", Obj::lang("Sở \"A\"", "vi"));
        let mut g = Graph {
            prefixes: vec![
                ("foaf", "http://xmlns.com/foaf/0.1/"),
                ("dct", "http://purl.org/dc/terms/"),
            ],
            nodes: vec![Node::named("http://x/#c", "dct:Thing")
                .with("dct:publisher", Obj::node(agent.clone()))
                .with("dct:creator", Obj::node(agent))
                .with(
                    "dct:temporal",
                    Obj::node(
                        Node::blank("dct:PeriodOfTime")
                            .with("dct:x", Obj::typed("2021", "xsd:gYear")),
                    ),
                )],
        };
        g.flatten();
        assert_eq!(g.nodes.len(), 2, "the agent once, at the top level");
        let ttl = g.turtle();
        assert!(
            ttl.contains("<http://x/#c>\n    a dct:Thing ;\n    dct:publisher <http://x/#a> ;"),
            "{ttl}"
        );
        assert!(ttl.contains("\"Sở \\\"A\\\"\"@vi"), "{ttl}");
        assert!(ttl.contains("dct:temporal [\n        a dct:PeriodOfTime ;\n        dct:x \"2021\"^^xsd:gYear\n    ]"), "{ttl}");
        let j = g.json_ld();
        assert_eq!(j["@graph"][0]["dct:publisher"]["@id"], "http://x/#a");
        assert_eq!(j["@graph"][1]["foaf:name"]["@language"], "vi");
        assert_eq!(turtle_iri("http://x/a b"), "<http://x/a%20b>");
    }
}
