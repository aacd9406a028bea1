//! The command line: parse arguments, call the library, print, exit.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use minhbach::site::{self, BuildOptions};

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
        /// The site root (default: the current folder, or the bundled sample site when it has no site.yaml).
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
        /// Print only errors.
        #[arg(long, short)]
        quiet: bool,
        /// Write the HTML as rendered, without minifying it.
        #[arg(long)]
        no_minify: bool,
    },
    /// Validate the data only; writes nothing.
    Check {
        #[arg(long)]
        root: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
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
            let root = site::resolve_root(root);
            let (_, diags) = site::check(&root);
            match format {
                Format::Json => println!("{}", diags.to_json()),
                Format::Text => {
                    for d in &diags.0 {
                        eprintln!("{d}");
                    }
                    eprintln!("{}", site::summary_line(&diags));
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
        } => {
            let root = site::resolve_root(root);
            let opts = BuildOptions {
                output: output.unwrap_or_else(|| root.join("public")),
                root,
                base_url,
                strict,
                minify: !no_minify,
            };
            let report = site::build(&opts);
            for d in &report.diagnostics.0 {
                if !quiet || d.is_error() {
                    eprintln!("{d}");
                }
            }
            if timings {
                for (stage, t) in &report.timings {
                    eprintln!("timing: {stage:<10} {:>9.1} ms", t.as_secs_f64() * 1000.0);
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
                            "built {} pages, {} charts, {} files ({} bytes) in {} with {} warnings",
                            stats.pages,
                            stats.charts,
                            stats.files,
                            stats.bytes,
                            opts.output.display(),
                            report.diagnostics.warnings()
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    eprintln!(
                        "the build failed; {} was left as it was",
                        opts.output.display()
                    );
                    ExitCode::from(1)
                }
            }
        }
    }
}
