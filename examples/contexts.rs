//! Benchmark (not a test): the page contexts of a site alone (the views
//! building the templates' values), every page in every language on one
//! thread, without Tera, charts or writing: the best of RUNS, by kind of
//! page, so that a change to the views is measured apart from the noise of
//! a whole build.
//!
//!     cargo run --release --example contexts -- SITE_ROOT [RUNS]

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use minhbach::render::views;

mod common;

/// The build's allocator, so that allocation costs what it costs there.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn kind(job: &views::Job) -> &'static str {
    match job {
        views::Job::More(j, _) => kind(j),
        views::Job::Indicator(..) => "indicator",
        views::Job::Agency(_) => "agency",
        views::Job::Year(..) => "year",
        views::Job::Compare(_) => "compare",
        views::Job::Rubric(_) => "rubric",
        views::Job::Overview => "overview",
        _ => "other",
    }
}

fn main() {
    let site = common::load();
    let (model, runs) = (&site.model, site.runs);
    let langs = &model.input.site.languages;
    let strings = site.strings();
    let names: BTreeMap<String, String> = langs.iter().map(|l| (l.clone(), l.clone())).collect();
    let shared = views::Shared::new(model, names);
    let jobs = views::jobs(model);
    let mut best = common::Best::new();
    for _ in 0..runs {
        let mut by_kind: BTreeMap<&str, Duration> = BTreeMap::new();
        let start = Instant::now();
        for lang in langs {
            let t = &strings[lang.as_str()];
            for job in &jobs {
                if !views::in_language(model, job, lang) {
                    continue;
                }
                let s = Instant::now();
                let ctx = views::context(model, job, lang, t, &shared, &[], &[]);
                std::hint::black_box(&ctx);
                drop(ctx);
                *by_kind.entry(kind(job)).or_default() += s.elapsed();
            }
        }
        best.round(by_kind, start.elapsed());
    }
    println!(
        "{} pages × {} languages, best of {runs}:",
        jobs.len(),
        langs.len()
    );
    best.print(10);
}
