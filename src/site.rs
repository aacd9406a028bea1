//! The pipeline: load → validate → model → render → publish → write, one
//! stage after the other, each timed.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::{self, Model};
use crate::progress::{Progress, Silent};
use crate::publish::DataFile;
use crate::render::views::Job;
use crate::write::{Sink, Staging, WriteError};
use crate::{load, publish, render, validate};

/// The site root to use: the one given, else the current folder. It must
/// hold a site.yaml: without one nothing is built or written, and the
/// message says how to start a site (CLI-AND-OUTPUT.md; never the bundled
/// sample site of this repository).
pub fn resolve_root(root: Option<PathBuf>) -> Result<PathBuf, String> {
    let given = root.is_some();
    let root = root.unwrap_or_else(|| PathBuf::from("."));
    if root.join("site.yaml").is_file() {
        return Ok(root);
    }
    let shown = if given {
        root.display().to_string()
    } else {
        std::env::current_dir()
            .map(|d| d.display().to_string())
            .unwrap_or_else(|_| ".".to_string())
    };
    let shown = crate::clean::for_terminal(&shown).into_owned();
    Err(if root.is_dir() {
        format!(
            "{shown} has no site.yaml, so it is not a minhbach site; \
             start one with `minhbach new site DIR`, or point to one with --root DIR"
        )
    } else {
        format!(
            "the site root {shown} does not exist or is not a folder; \
             start a site with `minhbach new site DIR`, or point to one with --root DIR"
        )
    })
}

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub base_url: Option<String>,
    pub strict: bool,
    /// Minify the HTML pages (on by default; off to read the output).
    pub minify: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub pages: usize,
    pub charts: usize,
    pub chart_median: Duration,
    pub chart_total: Duration,
    pub files: usize,
    pub bytes: u64,
    /// How the output was replaced, and what was left to tidy up (the new
    /// site is live regardless).
    pub published: crate::write::Published,
}

/// What a build did: its diagnostics, the time of each stage, and either
/// what it wrote or why it failed.
#[derive(Debug)]
pub struct BuildReport {
    pub diagnostics: Diagnostics,
    pub timings: Vec<(&'static str, Duration)>,
    /// The peak resident memory of the process after each timed stage, in
    /// bytes (where the system tells it: Linux).
    pub peaks: Vec<(&'static str, u64)>,
    pub result: Result<Stats, String>,
}

struct Timer {
    timings: Vec<(&'static str, Duration)>,
    peaks: Vec<(&'static str, u64)>,
    last: Instant,
}

impl Timer {
    fn new() -> Timer {
        Timer {
            timings: Vec::new(),
            peaks: Vec::new(),
            last: Instant::now(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.timings.push((stage, now - self.last));
        self.peak(stage);
        self.last = now;
    }

    fn peak(&mut self, stage: &'static str) {
        if let Some(p) = peak_memory() {
            self.peaks.push((stage, p));
        }
    }
}

/// The peak resident memory of this process so far (`VmHWM`), in bytes.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Load and validate only.
pub fn check(root: &Path) -> (Option<Model>, Diagnostics) {
    let loaded = load::load_deferred(root);
    let (input, diags) = validate::validate(&loaded);
    (input.map(model::build), diags)
}

/// The model of the sample site bundled at the repository's root, for
/// tests: it must load without errors.
#[cfg(test)]
pub(crate) fn sample_model() -> Model {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (model, diags) = check(root);
    model.unwrap_or_else(|| panic!("the sample site has errors: {diags:?}"))
}

/// The one-line summary of a check.
pub fn summary_line(diags: &Diagnostics) -> String {
    format!("{} errors, {} warnings", diags.errors(), diags.warnings())
}

pub fn build(opts: &BuildOptions) -> BuildReport {
    build_with(opts, &Silent)
}

/// [`build`], telling `progress` where it is.
pub fn build_with(opts: &BuildOptions, progress: &dyn Progress) -> BuildReport {
    build_hooked(opts, progress, None)
}

/// [`build_with`], with a hook called after each file written to the
/// staging folder (for tests that act mid-build: [`crate::write::WriteHook`]).
pub fn build_hooked(
    opts: &BuildOptions,
    progress: &dyn Progress,
    hook: Option<Box<crate::write::WriteHook>>,
) -> BuildReport {
    let mut t = Timer::new();
    let mut report = BuildReport {
        diagnostics: Diagnostics::default(),
        timings: Vec::new(),
        peaks: Vec::new(),
        result: Err(String::new()),
    };
    // Refuse a foreign output folder, or a wrong --base-url, before any work.
    let base_url = match opts.base_url.as_deref().map(validate::base_url) {
        Some(Err(message)) => {
            report.diagnostics.push(Diagnostic::new(
                Code::InvalidUrl,
                "--base-url",
                None,
                message,
            ));
            report.result = Err("--base-url is not a base URL; fix it and build again".into());
            return report;
        }
        Some(Ok(url)) => Some(url),
        None => None,
    };
    let default_keep: Vec<String> = validate::DEFAULT_KEEP
        .iter()
        .map(|k| k.to_string())
        .collect();
    if let Err(e) = crate::write::check_output_keeping(&opts.output, &default_keep) {
        report.result = Err(e.to_string());
        return report;
    }

    progress.stage("load", 0);
    let loaded = load::load_deferred(&opts.root);
    t.lap("load");
    progress.stage("validate", 0);
    let (input, diags) = validate::validate(&loaded);
    let base_url_pos = publish::portal::base_url_pos(&loaded);
    // The parsed trees are not needed past validation.
    drop(loaded);
    report.diagnostics = diags;
    t.lap("validate");
    let failed = report.diagnostics.fails(opts.strict);
    let Some(mut input) = input.filter(|_| !failed) else {
        report.timings = t.timings;
        report.peaks = t.peaks;
        report.result = Err(format!(
            "{} errors{}; fix them and build again",
            report.diagnostics.errors(),
            if opts.strict && report.diagnostics.errors() == 0 {
                format!(", {} warnings (--strict)", report.diagnostics.warnings())
            } else {
                String::new()
            }
        ));
        return report;
    };
    if let Some(url) = base_url {
        input.site.base_url = url;
    }
    // About publishing, not the data: after the --strict check.
    if let Some(d) = publish::portal::relative_base_url(
        &input.site.base_url,
        opts.base_url.is_some(),
        base_url_pos,
    ) {
        report.diagnostics.push(d);
    }
    progress.stage("model", 0);
    let model = model::build(input);
    t.lap("model");

    let result = (|| -> Result<Stats, String> {
        let theme = render::Theme::load_with(&opts.root, &model.input.site.theme, opts.minify)
            .map_err(|d| {
                report.diagnostics.push(d.clone());
                d.to_string()
            })?;
        let mut staging = Staging::keeping(&opts.output, opts.minify, &model.input.site.keep)
            .map_err(|e| e.to_string())?;
        if let Some(hook) = hook {
            staging.set_hook(hook);
        }
        // The open data is made while the pages that do not show it render;
        // the overview and the data page (which list the files) come after.
        let (later, now): (Vec<Job>, Vec<Job>) = render::views::jobs(&model)
            .into_iter()
            .partition(|j| matches!(j, Job::Overview | Job::Data));
        progress.stage("publish", 0);
        let mut render_timings = Vec::new();
        // The open-data files are streamed to the staging folder as they
        // are made; SHA256SUMS comes last, once the data page is written.
        let (published, pages) = rayon::join(
            || {
                let start = Instant::now();
                let data = publish::publish(&model, &staging).map_err(|e| e.to_string())?;
                publish::agency_files(&model, &staging).map_err(|e| e.to_string())?;
                let publish_time = start.elapsed();
                // The search indexes, feeds and site files need no open
                // data: made here, while the pages still render.
                let site_files = render::render_site_files(&model, &theme, &staging);
                Ok::<_, String>((data, publish_time, site_files))
            },
            || {
                render::render_pages(
                    &model,
                    &theme,
                    &[],
                    &now,
                    &staging,
                    &mut render_timings,
                    progress,
                )
            },
        );
        let (data, publish_time, site_files) = published.inspect_err(|e| {
            report
                .diagnostics
                .push(Diagnostic::new(Code::Io, "data/", None, e.clone()));
        })?;
        let mut fail = |d: Diagnostic| {
            let msg = d.to_string();
            report.diagnostics.push(d);
            msg
        };
        let mut rendered = pages.map_err(&mut fail)?;
        let mut later_timings = Vec::new();
        let rest = render::render_pages(
            &model,
            &theme,
            &data,
            &later,
            &staging,
            &mut later_timings,
            progress,
        )
        .map_err(&mut fail)?;
        site_files.map_err(&mut fail)?;
        rendered.absorb(rest);
        // publish ran alongside the rendering: its own time, then the
        // rendering's wall time from the same start.
        t.timings.push(("publish", publish_time));
        for (stage, d) in render_timings {
            let extra = later_timings
                .iter()
                .find(|(s, _)| *s == stage)
                .map(|(_, d)| *d)
                .unwrap_or_default();
            t.timings.push((stage, d + extra));
        }
        t.peak("render");
        t.last = Instant::now();
        progress.stage("write", 0);
        put_data(&data, &staging).map_err(|e| e.to_string())?;
        let mut stats = Stats {
            pages: rendered.pages,
            charts: rendered.charts,
            chart_median: rendered.chart_median(),
            chart_total: rendered.chart_total(),
            files: staging.files(),
            bytes: staging.bytes(),
            published: Default::default(),
        };
        stats.published = staging.commit().map_err(|e| e.to_string())?;
        t.lap("write");
        Ok(stats)
    })();
    report.timings = t.timings;
    report.peaks = t.peaks;
    report.result = result;
    drop_aside(model);
    report
}

/// Drops `value` on a thread of its own, so that the caller need not wait:
/// freeing the national corpus's model (millions of small allocations)
/// took 0.2–0.3 s on one core at the end of each build and check, and a
/// command that exits right after need not wait for it at all. If no
/// thread can be started, the value is dropped here, with the closure that
/// `spawn` could not run.
pub fn drop_aside<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("minhbach-drop".into())
        .spawn(move || drop(value));
}

/// A `--base-url` as the site uses it: always ending with `/`.
pub fn normalise_base_url(url: &str) -> String {
    if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

/// Writes SHA256SUMS beside the open-data files (written by
/// [`publish::publish`]) and the rendered data page: it covers every file
/// of /data/, the data page included.
pub fn put_data(data: &[DataFile], out: &dyn Sink) -> Result<(), WriteError> {
    let page = crate::write::Written::of(&out.read("data/index.html")?);
    let sums = publish::checksums(
        data.iter()
            .map(|f| (f.name.as_str(), f.sha256.as_str()))
            .chain(std::iter::once(("index.html", page.sha256.as_str()))),
    );
    out.put(&publish::data_path(publish::SUMS_NAME), sums.as_bytes())
}
