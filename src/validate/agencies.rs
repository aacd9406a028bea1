//! data/agencies.yaml: cohorts and agencies.

use super::fields::*;
use crate::diag::{Code, Diagnostics};
use crate::input::*;
use crate::load::SourceFile;
use crate::yaml::Value;

pub(super) type Registry = (Vec<Cohort>, Vec<Agency>);

/// Each agency's cohort by agency id: every report looks its agency up, so
/// a country's 47,000 reports against 11,000 agencies need a map, not a
/// scan of the list each.
pub(super) type CohortOf<'a> = ahash::AHashMap<&'a str, &'a str>;

pub(super) fn cohort_of(agencies: &[Agency]) -> CohortOf<'_> {
    agencies
        .iter()
        .map(|a| (a.id.as_str(), a.cohort.as_str()))
        .collect()
}

pub(super) fn agencies(f: &SourceFile, lang: &str, diags: &mut Diagnostics) -> Option<Registry> {
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
