//! Benchmark (not a test): Tera rendering alone. Every page's context is
//! built as in a build (without charts), then rendered with the site's
//! theme; only the rendering is timed, on one thread: the best of RUNS, by
//! template, so that a change to Tera or the templates is measured apart
//! from the noise of a whole build.
//!
//!     cargo run --release --example templates -- SITE_ROOT [RUNS]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use minhbach::render::{views, Theme};
use minhbach::site;

/// The build's allocator, so that allocation costs what it costs there.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    let t_values: BTreeMap<&str, tera::Value> = strings
        .iter()
        .map(|(l, t)| (*l, tera::Value::from_serializable(t)))
        .collect();
    let names: BTreeMap<String, String> = langs.iter().map(|l| (l.clone(), l.clone())).collect();
    let shared = views::Shared::new(&model, names);
    let jobs = views::jobs(&model);
    let mut best: BTreeMap<&str, Duration> = BTreeMap::new();
    let mut best_total = Duration::MAX;
    let mut bytes = 0usize;
    for _ in 0..runs {
        let mut by_template: BTreeMap<&str, Duration> = BTreeMap::new();
        let mut total = Duration::ZERO;
        bytes = 0;
        for lang in langs {
            let t = &strings[lang.as_str()];
            for job in &jobs {
                if !views::in_language(&model, job, lang) {
                    continue;
                }
                let mut ctx = views::context(&model, job, lang, t, &shared, &[], &[]);
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
        best_total = best_total.min(total);
        for (k, d) in by_template {
            let b = best.entry(k).or_insert(Duration::MAX);
            *b = (*b).min(d);
        }
    }
    println!(
        "{} pages × {} languages ({bytes} bytes of HTML), best of {runs}:",
        jobs.len(),
        langs.len()
    );
    for (k, d) in &best {
        println!("  {k:<18} {:8.1} ms", d.as_secs_f64() * 1000.0);
    }
    println!(
        "  {:<18} {:8.1} ms",
        "total",
        best_total.as_secs_f64() * 1000.0
    );
}
