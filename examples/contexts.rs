//! Benchmark (not a test): the page contexts of a site alone (the views
//! building the templates' values), every page in every language on one
//! thread, without Tera, charts or writing: the best of RUNS, by kind of
//! page, so that a change to the views is measured apart from the noise of
//! a whole build.
//!
//!     cargo run --release --example contexts -- SITE_ROOT [RUNS]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use minhbach::render::{views, Theme};
use minhbach::site;

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
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let (model, diags) = site::check(&root);
    let Some(model) = model else {
        eprintln!("the site has {} errors", diags.errors());
        std::process::exit(1);
    };
    let theme = match Theme::load(&root, &model.input.site.theme) {
        Ok(t) => t,
        Err(d) => {
            eprintln!("{d}");
            std::process::exit(1);
        }
    };
    let default = model.input.site.language.as_str();
    let langs = &model.input.site.languages;
    let strings: BTreeMap<&str, BTreeMap<String, String>> = langs
        .iter()
        .map(|l| (l.as_str(), theme.strings_for(l, default)))
        .collect();
    let names: BTreeMap<String, String> = langs.iter().map(|l| (l.clone(), l.clone())).collect();
    let shared = views::Shared::new(&model, names);
    let jobs = views::jobs(&model);
    let mut best: BTreeMap<&str, Duration> = BTreeMap::new();
    let mut best_total = Duration::MAX;
    for _ in 0..runs {
        let mut by_kind: BTreeMap<&str, Duration> = BTreeMap::new();
        let start = Instant::now();
        for lang in langs {
            let t = &strings[lang.as_str()];
            for job in &jobs {
                if !views::in_language(&model, job, lang) {
                    continue;
                }
                let s = Instant::now();
                let ctx = views::context(&model, job, lang, t, &shared, &[], &[]);
                std::hint::black_box(&ctx);
                drop(ctx);
                *by_kind.entry(kind(job)).or_default() += s.elapsed();
            }
        }
        best_total = best_total.min(start.elapsed());
        for (k, d) in by_kind {
            let b = best.entry(k).or_insert(Duration::MAX);
            *b = (*b).min(d);
        }
    }
    println!(
        "{} pages × {} languages, best of {runs}:",
        jobs.len(),
        langs.len()
    );
    for (k, d) in &best {
        println!("  {k:<10} {:8.1} ms", d.as_secs_f64() * 1000.0);
    }
    println!(
        "  {:<10} {:8.1} ms",
        "total",
        best_total.as_secs_f64() * 1000.0
    );
}
