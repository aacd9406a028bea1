//! Reports: data/reports/<year>/<agency>.yaml, their values and rules,
//! and the reports missing from a cohort.

use std::collections::{BTreeMap, BTreeSet};

use super::agencies::{CohortOf, Registry};
use super::fields::*;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::format::Date;
use crate::input::*;
use crate::load::SourceFile;
use crate::yaml::{Node, Value};

pub(super) const REPORT_FIELDS: &[&str] = &[
    "agency", "year", "period", "source", "score", "rank", "values", "criteria", "notes",
];

pub(super) fn report(
    f: &SourceFile,
    year_dir: &str,
    stem: &str,
    registry: Option<(&Registry, &CohortOf)>,
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
    } else if let Some(((_, agencies), cohort_of)) = registry {
        let known = cohort_of.contains_key(stem);
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
        if let Some(y) = year {
            if from.year != y || to.year != y {
                diags.push(ctx.diag(
                    Code::OutOfRange,
                    n.pos,
                    format!(
                        "the period ({} to {}) is not within the report's year {y}; \
                         fix the dates or move the report to the folder of its year",
                        from.iso(),
                        to.iso()
                    ),
                ));
                return None;
            }
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

    let criteria = fields
        .get("criteria")
        .map(|n| super::criteria::assessed(n, &ctx, diags))
        .unwrap_or_default();
    let has_values = fields
        .get("values")
        .and_then(Node::as_map)
        .is_some_and(|m| !m.is_empty());
    if !has_values
        && ["period", "source", "score", "rank", "notes", "criteria"]
            .iter()
            .all(|k| fields.get(k).is_none())
    {
        diags.push(ctx.diag(
            Code::EmptyReport,
            doc.pos,
            "the report is empty: it has no values; type the figures in under `values:`, \
             or remove the file if the agency did not report",
        ));
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
        criteria,
        notes,
        flags: Vec::new(),
    };
    report.flags = rules(&report, cat, &ctx, diags);
    Some(report)
}

pub(super) fn observation(
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
pub(super) fn kind_value(
    ind: &Indicator,
    n: &Node,
    ctx: &Ctx,
    diags: &mut Diagnostics,
) -> Option<Val> {
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
        Kind::MoneyVnd if matches!(n.value, Value::Float(x) if x >= 0.0 || x.is_nan()) => {
            // `850.000` is read by YAML as 850.0: money is in whole đồng and
            // never silently divided by 1,000 (DATA-FORMAT.md §5).
            let hint = match number_hint(n) {
                h if h.is_empty() => {
                    " (money is in whole đồng: write the amount without a decimal part)".to_string()
                }
                h => h,
            };
            err(
                Code::WrongType,
                format!(
                    "{id} must be a whole number of đồng, found {}{hint}",
                    n.shown()
                ),
                diags,
            );
            None
        }
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
pub(super) fn rules(
    report: &Report,
    cat: &Catalog,
    ctx: &Ctx,
    diags: &mut Diagnostics,
) -> Vec<QualityFlag> {
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

pub(super) fn missing_reports(
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
