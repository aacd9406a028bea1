//! Benchmark (not a test): the full build of a site root next to the
//! incremental rebuild after one report changes: all at once (as tests
//! and `Live` by default do it), then as `serve` does it, the pages first
//! and the site-wide open-data files after (`Live::set_data_later`): the
//! time until the pages are out, and until the data files are.
//!
//!     cargo run --release --example incremental -- SITE_ROOT [REPORT] [--no-full]
//!
//! `benches/incremental.sh` makes the `--preset province` corpus and runs
//! this on it. REPORT (relative to the root) is the report edited; by
//! default the first report of the middle year. The report is restored at
//! the end. `--no-full` leaves out the full builds (and so the byte-for-byte
//! comparison with one): `benches/bench.sh` times the full builds itself.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use minhbach::live::Live;
use minhbach::site::{self, BuildOptions};

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let all: Vec<String> = std::env::args().skip(1).collect();
    let no_full = all.iter().any(|a| a == "--no-full");
    let args: Vec<&String> = all.iter().filter(|a| *a != "--no-full").collect();
    let Some(root) = args.first().map(PathBuf::from) else {
        eprintln!("usage: incremental SITE_ROOT [REPORT] [--no-full]");
        std::process::exit(2);
    };
    let report = match args.get(1) {
        Some(r) => root.join(r),
        None => middle_report(&root).unwrap_or_else(|| {
            eprintln!("no report under {}/data/reports", root.display());
            std::process::exit(2);
        }),
    };
    let original = fs::read_to_string(&report).expect("the report reads");
    let tmp = std::env::temp_dir().join(format!("minhbach-bench-{}", std::process::id()));
    let out = tmp.join("public");
    let opts = BuildOptions {
        root: root.clone(),
        output: out.clone(),
        base_url: None,
        strict: false,
        minify: true,
    };

    // Full builds, to disk: the first warms the file cache.
    let mut full = Vec::new();
    for _ in 0..if no_full { 0 } else { 3 } {
        let start = Instant::now();
        let r = site::build(&opts);
        full.push(start.elapsed());
        if let Err(e) = r.result {
            eprintln!("the build failed: {e}");
            std::process::exit(1);
        }
    }
    let full = (!no_full).then(|| median(full));

    let mut live = Live::new(&root, None);
    let start = Instant::now();
    let first = live.rebuild(&[]);
    let first_time = start.elapsed();
    assert!(first.result.is_ok(), "{:?}", first.result);

    // Edit one figure of the report, several times.
    let mut times = Vec::new();
    let mut last = String::new();
    let mut agency_data = 0;
    for i in 1..=5 {
        let edited = bump(&original, i);
        fs::write(&report, &edited).expect("write the report");
        let o = live.rebuild(std::slice::from_ref(&report));
        match &o.result {
            Ok(r) => {
                last = r.summary(o.elapsed);
                agency_data = r.agency_data;
            }
            Err(e) => panic!("{e}"),
        }
        times.push(o.elapsed);
    }
    let incremental = median(times);

    // As `serve` does it: the pages first, the open-data files after.
    live.set_data_later(true);
    let (mut pages_out, mut data_out) = (Vec::new(), Vec::new());
    for i in 6..=10 {
        let edited = bump(&original, i);
        fs::write(&report, &edited).expect("write the report");
        let start = Instant::now();
        let o = live.rebuild(std::slice::from_ref(&report));
        if let Err(e) = &o.result {
            panic!("{e}");
        }
        pages_out.push(start.elapsed());
        if let Some(d) = live.poll_data(true) {
            if let Err(e) = &d.result {
                panic!("{e}");
            }
        }
        data_out.push(start.elapsed());
    }
    // The comparison below is with the site as the last of these left it.

    // The same bytes as a full build of the edited input.
    let mut same = true;
    if let Some(full) = full {
        site::build(&opts).result.expect("full build");
        same = same_as_built(&live, &out);
        println!("full build (to disk): {}", ms(full));
    }
    fs::write(&report, &original).expect("restore the report");
    let _ = fs::remove_dir_all(&tmp);

    println!("site root:            {}", root.display());
    println!(
        "edited report:        {}",
        report.strip_prefix(&root).unwrap_or(&report).display()
    );
    println!("first serve build:    {} (in memory)", ms(first_time));
    println!(
        "incremental rebuild:  {} (median of 5 edits)",
        ms(incremental)
    );
    println!("last rebuild:         {last}");
    println!(
        "pages first:          pages out in {}, open-data files out in {} (medians of 5 edits)",
        ms(median(pages_out)),
        ms(median(data_out))
    );
    println!("agency data files:    made again for {agency_data} agencies (last rebuild)");
    if full.is_some() {
        println!("byte-identical:       {}", if same { "yes" } else { "NO" });
    }
    if !same {
        std::process::exit(1);
    }
}

/// Whether the live site holds every file of the full build at `out`, byte for byte.
fn same_as_built(live: &Live, out: &Path) -> bool {
    let mem = live.site().snapshot();
    let mut same = true;
    for e in walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !e.file_type().is_file() {
            continue;
        }
        let rel = e.path().strip_prefix(out).expect("prefix");
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel == minhbach::write::MARKER {
            continue;
        }
        if mem.get(&rel).map(Vec::as_slice) != fs::read(e.path()).ok().as_deref() {
            same = false;
            eprintln!("differs: {rel}");
        }
    }
    same
}

/// The first report of the middle year.
fn middle_report(root: &Path) -> Option<PathBuf> {
    let mut years: Vec<PathBuf> = fs::read_dir(root.join("data/reports"))
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    years.sort();
    let year = years.get(years.len() / 2)?;
    let mut files: Vec<PathBuf> = fs::read_dir(year)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    files.into_iter().next()
}

/// The report with its first `dossiers_total` (or first count) raised by `i`.
fn bump(text: &str, i: u64) -> String {
    let mut out = String::new();
    let mut done = false;
    for line in text.split_inclusive('\n') {
        if !done {
            if let Some((key, value)) = line.split_once(": ") {
                if key.trim_start() == "dossiers_total" || key.trim_start() == "docs_outgoing_total"
                {
                    if let Ok(n) = value.trim().parse::<u64>() {
                        out.push_str(&format!("{key}: {}\n", n + i));
                        done = true;
                        continue;
                    }
                }
            }
        }
        out.push_str(line);
    }
    out
}
