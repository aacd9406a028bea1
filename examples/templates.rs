//! Benchmark (not a test): Tera rendering alone. Every page's context is
//! built as in a build (without charts), then rendered with the site's
//! theme; only the rendering is timed, on one thread: the best of RUNS, by
//! template, so that a change to Tera or the templates is measured apart
//! from the noise of a whole build.
//!
//!     cargo run --release --example templates -- SITE_ROOT [RUNS]

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use minhbach::render::views;

mod common;

/// The build's allocator, so that allocation costs what it costs there.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let site = common::load();
    let (model, theme, runs) = (&site.model, &site.theme, site.runs);
    let langs = &model.input.site.languages;
    let strings = site.strings();
    let t_values: BTreeMap<&str, tera::Value> = strings
        .iter()
        .map(|(l, t)| (*l, tera::Value::from_serializable(t)))
        .collect();
    let names: BTreeMap<String, String> = langs.iter().map(|l| (l.clone(), l.clone())).collect();
    let shared = views::Shared::new(model, names);
    let jobs = views::jobs(model);
    let mut best = common::Best::new();
    let mut bytes = 0usize;
    for _ in 0..runs {
        let mut by_template: BTreeMap<&str, Duration> = BTreeMap::new();
        let mut total = Duration::ZERO;
        bytes = 0;
        for lang in langs {
            let t = &strings[lang.as_str()];
            for job in &jobs {
                if !views::in_language(model, job, lang) {
                    continue;
                }
                let mut ctx = views::context(model, job, lang, t, &shared, &[], &[]);
                ctx.insert_value("t", t_values[lang.as_str()].clone());
                let s = Instant::now();
                let html = match theme.tera.render(job.template(), &ctx) {
                    Ok(h) => h,
                    Err(e) => {
                        eprintln!("{}: {e}", job.template());
                        std::process::exit(1);
                    }
                };
                let d = s.elapsed();
                bytes += std::hint::black_box(html).len();
                total += d;
                *by_template.entry(job.template()).or_default() += d;
            }
        }
        best.round(by_template, total);
    }
    println!(
        "{} pages × {} languages ({bytes} bytes of HTML), best of {runs}:",
        jobs.len(),
        langs.len()
    );
    best.print(18);
}
