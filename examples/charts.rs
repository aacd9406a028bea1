//! Benchmark (not a test): the charts of every page of a site, specs and
//! drawings (`render::chartspecs::draw`, both sizes), on one thread, a few
//! rounds; prints each round's time and the fastest. One thread and the
//! fastest round make it steadier than the build's `--timings` on a
//! machine shared with other work: compare two binaries with it
//! alternated.
//!
//!     cargo run --release --example charts -- SITE_ROOT [ROUNDS]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use minhbach::render::{self, chartspecs, views};
use minhbach::site;

/// The allocator of the `minhbach` binary, so that the times are its.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(root) = args.first().map(PathBuf::from) else {
        eprintln!("usage: charts SITE_ROOT [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let (model, diags) = site::check(&root);
    let Some(model) = model else {
        eprintln!("the site has errors: {} problems", diags.0.len());
        std::process::exit(1);
    };
    let theme = render::Theme::load(&root, &model.input.site.theme).unwrap_or_else(|e| {
        eprintln!("theme: {}", e.message);
        std::process::exit(1);
    });
    let default = model.input.site.language.as_str();
    let work: Vec<(
        String,
        std::collections::BTreeMap<String, String>,
        views::Job,
    )> = model
        .input
        .site
        .languages
        .iter()
        .flat_map(|l| {
            let t = theme.strings_for(l, default);
            views::jobs(&model)
                .into_iter()
                .filter(|j| views::in_language(&model, j, l))
                .map(move |j| (l.clone(), t.clone(), j))
        })
        .collect();
    let mut best = Duration::MAX;
    for round in 1..=rounds {
        let start = Instant::now();
        let (mut charts, mut bytes) = (0usize, 0usize);
        for (lang, t, job) in &work {
            for c in chartspecs::draw(&model, job, lang, t) {
                charts += 1;
                bytes += c.svg.len() + c.phone.len() + c.standalone.len() + c.csv.len();
            }
        }
        let took = start.elapsed();
        best = best.min(took);
        println!(
            "round {round}: {charts} charts ({bytes} bytes) in {:.1} ms",
            took.as_secs_f64() * 1000.0
        );
    }
    println!("fastest: {:.1} ms", best.as_secs_f64() * 1000.0);
}
