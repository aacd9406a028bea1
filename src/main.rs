//! The command line: parse arguments, call the library, print, exit.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use minhbach::diag::Diagnostic;
use minhbach::progress::{self, Progress, Verbosity};
use minhbach::site::{self, BuildOptions};
use minhbach::{import, report, scaffold, serve};

/// mimalloc: the build allocates many small strings and maps on every
/// thread; glibc's malloc took a sixth of the build's time (perf).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "minhbach",
    version,
    about = "Static site generator for public transparency reports on digital transformation"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate the data, then write the whole site.
    Build {
        /// The site root (default: the current folder); it must hold a site.yaml.
        #[arg(long)]
        root: Option<PathBuf>,
        /// Where to write the site (default: <root>/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override base_url of site.yaml.
        #[arg(long)]
        base_url: Option<String>,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Print the time of each stage.
        #[arg(long)]
        timings: bool,
        /// Print only errors: no progress, warnings or summary.
        #[arg(long, short, conflicts_with = "verbose")]
        quiet: bool,
        /// Write the HTML as rendered, without minifying it.
        #[arg(long)]
        no_minify: bool,
        /// Print every stage with its time, and progress as lines.
        #[arg(long, short)]
        verbose: bool,
    },
    /// Validate the data only; writes nothing.
    Check {
        #[arg(long)]
        root: Option<PathBuf>,
        /// text: each problem with its source line, grouped by file;
        /// short: one line per problem; json: one JSON array on stdout.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Build into memory, serve on 127.0.0.1, rebuild and reload on change.
    Serve {
        #[arg(long)]
        root: Option<PathBuf>,
        /// The port; when busy, the next free one is used.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
    },
    /// Read agencies' spreadsheet forms into report YAML (dry run unless --write).
    Import {
        /// The forms: .xlsx, .xls, .ods, .csv or .tsv, each named after its agency id.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The report year.
        #[arg(long)]
        year: i32,
        /// The agency of the (one) file, instead of its file name.
        #[arg(long)]
        agency: Option<String>,
        /// The form (data/forms/<id>.yaml or the built-in phu-luc-01); default: the one whose header matches.
        #[arg(long)]
        form: Option<String>,
        #[arg(long)]
        root: Option<PathBuf>,
        /// Write data/reports/<year>/<agency>.yaml (never over an existing one without --force).
        #[arg(long)]
        write: bool,
        /// Replace the imported values in an existing report, keeping everything else.
        #[arg(long)]
        force: bool,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// text: the reports and problems for people; json: one JSON array on stdout.
        #[arg(long, value_enum, default_value_t = ImportFormat::Text)]
        format: ImportFormat,
    },
    /// Create the files staff fill in.
    New {
        #[command(subcommand)]
        what: New,
    },
}

#[derive(Subcommand)]
enum New {
    /// A new site in DIR that builds as it is: site.yaml, agencies, one report, a page.
    Site {
        dir: PathBuf,
        /// The year of the example report (default: last year).
        #[arg(long)]
        year: Option<i32>,
    },
    /// data/reports/YEAR/<agency>.yaml for every agency without one.
    Year {
        year: i32,
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// Add an agency to data/agencies.yaml, keeping its comments and order.
    Agency {
        id: String,
        /// Its name (in the site's default language).
        #[arg(long)]
        name: String,
        /// Its cohort: a key of `cohorts` in data/agencies.yaml.
        #[arg(long)]
        cohort: String,
        /// An optional abbreviation.
        #[arg(long)]
        short: Option<String>,
        #[arg(long)]
        root: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ImportFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Short,
    Json,
}

/// The terminal side of `serve`.
struct ServeConsole;

impl serve::Console for ServeConsole {
    fn line(&self, line: &str) {
        eprintln!("{line}");
    }

    fn diagnostics(&self, root: &Path, diags: &[Diagnostic]) {
        if !diags.is_empty() {
            eprint!("{}", report::render(root, diags, report::stderr_colours()));
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Check {
            root,
            format,
            strict,
        } => {
            let root = match site::resolve_root(root) {
                Ok(r) => r,
                Err(e) => return no_site(&e),
            };
            let (model, diags) = site::check(&root);
            site::drop_aside(model);
            match format {
                Format::Json => println!("{}", diags.to_json()),
                Format::Short => {
                    eprint!("{}", report::render_short(&diags.0));
                    eprintln!("{}", site::summary_line(&diags));
                }
                Format::Text => {
                    eprint!(
                        "{}",
                        report::check_text(&root, &diags, report::stderr_colours())
                    );
                }
            }
            if diags.fails(strict) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Build {
            root,
            output,
            base_url,
            strict,
            timings,
            quiet,
            no_minify,
            verbose,
        } => {
            let root = match site::resolve_root(root) {
                Ok(r) => r,
                Err(e) => return no_site(&e),
            };
            let opts = BuildOptions {
                output: output.unwrap_or_else(|| root.join("public")),
                root,
                base_url,
                strict,
                minify: !no_minify,
            };
            let verbosity = if quiet {
                Verbosity::Quiet
            } else if verbose {
                Verbosity::Verbose
            } else {
                Verbosity::Normal
            };
            let console = progress::Console::new(verbosity);
            let start = Instant::now();
            let report = site::build_with(&opts, &console);
            console.finish();
            for d in &report.diagnostics.0 {
                if !quiet || d.is_error() {
                    eprintln!("{d}");
                }
            }
            if timings || verbose {
                for (stage, t) in &report.timings {
                    eprintln!("timing: {stage:<10} {:>9.1} ms", t.as_secs_f64() * 1000.0);
                }
                for (stage, bytes) in &report.peaks {
                    eprintln!(
                        "memory: peak after {stage:<10} {:>7.0} MiB",
                        *bytes as f64 / (1024.0 * 1024.0)
                    );
                }
            }
            match &report.result {
                Ok(stats) => {
                    if timings {
                        eprintln!(
                            "timing: {} charts, median {:.3} ms per chart, {:.1} ms drawing in all (summed over threads)",
                            stats.charts,
                            stats.chart_median.as_secs_f64() * 1000.0,
                            stats.chart_total.as_secs_f64() * 1000.0
                        );
                    }
                    if !quiet {
                        eprintln!(
                            "built {} pages, {} charts, {} files ({}) with {} warnings in {:.1} s → {}",
                            stats.pages,
                            stats.charts,
                            stats.files,
                            human_bytes(stats.bytes),
                            report.diagnostics.warnings(),
                            start.elapsed().as_secs_f64(),
                            opts.output.display(),
                        );
                    }
                    // The new site is live; what could not be tidied up is
                    // said, never hidden behind a failure.
                    for note in &stats.published.notes {
                        eprintln!("warning: {}", minhbach::clean::for_terminal(note));
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {}", minhbach::clean::for_terminal(e));
                    if !e.contains("partly replaced") {
                        eprintln!(
                            "the build failed; {} was left as it was",
                            opts.output.display()
                        );
                    }
                    ExitCode::from(1)
                }
            }
        }
        Command::Serve { root, port, open } => {
            let root = match site::resolve_root(root) {
                Ok(r) => r,
                Err(e) => return no_site(&e),
            };
            let stop = Arc::new(AtomicBool::new(false));
            let flag = Arc::clone(&stop);
            if let Err(e) = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)) {
                eprintln!("warning: Ctrl-C cannot be caught ({e}); stop with another signal");
            }
            let opts = serve::ServeOptions { root, port, open };
            match serve::serve(&opts, &ServeConsole, stop) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::New { what } => new(what),
        Command::Import {
            files,
            year,
            agency,
            form,
            root,
            write,
            force,
            strict,
            format,
        } => {
            let root = match site::resolve_root(root) {
                Ok(r) => r,
                Err(e) => return no_site(&e),
            };
            let opts = import::Options {
                files,
                year,
                agency,
                form,
                root,
                write,
                force,
                strict,
            };
            import_cmd(&opts, format == ImportFormat::Json)
        }
    }
}

fn import_cmd(opts: &import::Options, json: bool) -> ExitCode {
    let bar = (opts.files.len() > 1 && std::io::stderr().is_terminal())
        .then(|| progress::Console::new(Verbosity::Normal));
    let results = match import::run(
        opts,
        bar.as_ref()
            .map_or(&progress::Silent as &dyn Progress, |b| b),
    ) {
        Ok(r) => r,
        Err(e) => {
            if let import::RunError::Site(d) = &e {
                for d in d.0.iter().filter(|d| d.is_error()) {
                    eprintln!("{d}");
                }
            }
            eprintln!("error: {e}");
            return ExitCode::from(if matches!(e, import::RunError::Usage(_)) {
                2
            } else {
                1
            });
        }
    };
    if json {
        println!("{}", import::output::json(&results));
    } else {
        import::output::print_text(
            &results,
            opts,
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        );
    }
    if results.iter().any(|r| r.failed(opts.strict)) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn new(what: New) -> ExitCode {
    let result = match what {
        New::Site { dir, year } => {
            let year = year.unwrap_or_else(minhbach::newsite::last_year);
            if !(2000..=2100).contains(&year) {
                eprintln!("error: {year} is not a year from 2000 to 2100");
                return ExitCode::from(2);
            }
            minhbach::newsite::new_site(&dir, year).map(|written| {
                for f in &written {
                    eprintln!("created {}", dir.join(f).display());
                }
                eprintln!(
                    "a new site is in {0}; build it with `minhbach build --root {0}`, then replace the examples with your own",
                    dir.display()
                );
            })
        }
        New::Year { year, root } => {
            let root = match site::resolve_root(root) {
                Ok(r) => r,
                Err(e) => return no_site(&e),
            };
            scaffold::new_year(&root, year).map(|done| {
                for f in &done.created {
                    eprintln!("created {f}");
                }
                for f in &done.kept {
                    eprintln!("kept    {f} (already there)");
                }
                eprintln!(
                    "{} reports created, {} kept; type the figures in, then run `minhbach check`",
                    done.created.len(),
                    done.kept.len()
                );
                if done.unlisted {
                    eprintln!("note: site.yaml lists the years to publish; add {year} to `years:` to publish these reports");
                }
            })
        }
        New::Agency {
            id,
            name,
            cohort,
            short,
            root,
        } => {
            let root = match site::resolve_root(root) {
                Ok(r) => r,
                Err(e) => return no_site(&e),
            };
            let a = scaffold::NewAgency {
                id,
                name,
                cohort,
                short,
            };
            scaffold::new_agency(&root, &a).map(|path| {
                eprintln!("added {} to {}", a.id, path.display());
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(scaffold::NewError::Usage(m)) => {
            eprintln!("error: {m}");
            ExitCode::from(2)
        }
        Err(e) => {
            if let scaffold::NewError::Data(d) = &e {
                for d in d.0.iter().filter(|d| d.is_error()) {
                    eprintln!("{d}");
                }
            }
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// A command run where there is no site: say so, build and write nothing.
fn no_site(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(1)
}

fn human_bytes(b: u64) -> String {
    let b = b as f64;
    if b < 1024.0 * 1024.0 {
        format!("{:.0} KB", b / 1024.0)
    } else {
        format!("{:.1} MB", b / 1024.0 / 1024.0)
    }
}
