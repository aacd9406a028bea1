//! The catalogue: the built-in indicators and rates, and data/indicators.yaml.

use super::fields::*;
use crate::diag::{Code, Diagnostics};
use crate::input::*;
use crate::load::SourceFile;
use crate::yaml::{self, Key, Node, Pos, Value};

pub(super) const CORE_CATALOG: &str = include_str!("../../assets/catalog.yaml");
pub(super) const CORE_GROUPS: &[&str] = &[
    "services",
    "documents",
    "signatures",
    "people",
    "infrastructure",
    "security",
    "governance",
    "budget",
];

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

pub(super) fn seq(node: Option<&Node>) -> &[Node] {
    match node.map(|n| &n.value) {
        Some(Value::Seq(items)) => items,
        _ => &[],
    }
}

pub(super) const INDICATOR_FIELDS: &[&str] = &[
    "id",
    "kind",
    "group",
    "name",
    "unit",
    "unit_label",
    "at_most",
    "parts",
];
pub(super) const RATE_FIELDS: &[&str] = &["id", "numerator", "denominator", "headline", "name"];

pub(super) fn indicator_entry(
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

pub(super) fn rate_entry(
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
pub(super) struct CoreLabels<'a> {
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
pub(super) fn entry_with_id<'a>(
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
pub(super) fn site_catalog(f: &SourceFile, lang: &str, cat: &mut Catalog, diags: &mut Diagnostics) {
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
