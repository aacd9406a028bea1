//! Render: Tera pages of the theme (built-in `themes/default`, overridden
//! file by file by the site's `themes/<name>/`), in every language of the
//! site, with the figures formatted for people.

pub mod chartspecs;
pub mod feed;
pub mod markdown;
pub mod search;
pub mod theme_minify;
pub mod value;
pub mod views;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diag::{Code, Diagnostic};
use crate::model::Model;
use crate::progress::Progress;
use crate::publish::DataFile;
use crate::write::Sink;
use crate::yaml::{self, Value};

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/theme.rs"));
}

/// The templates, static files and UI strings of a theme.
pub struct Theme {
    pub tera: tera::Tera,
    /// Path under `static/` → bytes, copied to `/assets/`.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// Language → key → UI string.
    pub strings: BTreeMap<String, BTreeMap<String, String>>,
    /// The templates were minified when they loaded: pages come out
    /// minified and are not minified again.
    pub minified: bool,
}

/// A theme file and where it came from, for error messages.
struct ThemeFile {
    origin: String,
    bytes: Vec<u8>,
}

impl Theme {
    /// The built-in theme overridden by `<root>/themes/<name>/`, file by file.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        Theme::load_with(root, name, false)
    }

    /// `load`, with the templates minified once (`theme_minify`) when
    /// `minify` is set and every template can be: else the pages are to be
    /// minified one by one (`minified` is false).
    pub fn load_with(root: &Path, name: &str, minify: bool) -> Result<Theme, Diagnostic> {
        let mut files: BTreeMap<String, ThemeFile> = builtin::THEME_FILES
            .iter()
            .map(|(rel, bytes)| {
                (
                    rel.to_string(),
                    ThemeFile {
                        origin: format!("<built-in theme>/{rel}"),
                        bytes: bytes.to_vec(),
                    },
                )
            })
            .collect();
        let local = root.join("themes").join(name);
        if local.is_dir() {
            for e in WalkDir::new(&local)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
            {
                if !e.file_type().is_file() {
                    continue;
                }
                let Ok(rel) = e.path().strip_prefix(&local) else {
                    continue;
                };
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                let bytes = std::fs::read(e.path()).map_err(|err| {
                    Diagnostic::new(
                        Code::Io,
                        format!("themes/{name}/{rel}"),
                        None,
                        format!("cannot read the theme file: {err}"),
                    )
                })?;
                files.insert(
                    rel.clone(),
                    ThemeFile {
                        origin: format!("themes/{name}/{rel}"),
                        bytes,
                    },
                );
            }
        } else if name != "default" {
            return Err(Diagnostic::new(
                Code::MissingField,
                "site.yaml",
                None,
                format!(
                    "theme `{name}` does not exist: create themes/{name}/ or set theme: default"
                ),
            ));
        }

        let mut tera = tera::Tera::default();
        let mut templates = Vec::new();
        let mut statics = BTreeMap::new();
        let mut strings = BTreeMap::new();
        for (rel, f) in files {
            if let Some(t) = rel.strip_prefix("templates/") {
                let text = String::from_utf8(f.bytes).map_err(|_| {
                    Diagnostic::new(
                        Code::Template,
                        &f.origin,
                        None,
                        "the template is not UTF-8 text",
                    )
                })?;
                templates.push((t.to_string(), text));
            } else if let Some(s) = rel.strip_prefix("static/") {
                statics.insert(s.to_string(), f.bytes);
            } else if let Some(l) = rel
                .strip_prefix("i18n/")
                .and_then(|l| l.strip_suffix(".yaml"))
            {
                strings.insert(l.to_string(), ui_strings(&f.origin, &f.bytes)?);
            }
        }
        let minified_templates = minify
            .then(|| {
                templates
                    .iter()
                    .map(|(n, t)| Some((n.clone(), theme_minify::minify_template(t)?)))
                    .collect::<Option<Vec<_>>>()
            })
            .flatten();
        let minified = match minified_templates {
            Some(m) => {
                let mut min_tera = tera::Tera::default();
                min_tera.add_raw_templates(m).is_ok() && {
                    tera = min_tera;
                    true
                }
            }
            None => false,
        };
        if !minified {
            tera.add_raw_templates(templates).map_err(|e| {
                Diagnostic::new(
                    Code::Template,
                    format!("themes/{name}/templates"),
                    None,
                    template_error(&e),
                )
            })?;
        }
        Ok(Theme {
            tera,
            statics,
            strings,
            minified,
        })
    }

    /// The UI strings of `lang`, falling back to the site's default language
    /// and then to Vietnamese key by key.
    pub fn strings_for(&self, lang: &str, default: &str) -> BTreeMap<String, String> {
        let mut out = self.strings.get("vi").cloned().unwrap_or_default();
        if let Some(d) = self.strings.get(default) {
            out.extend(d.clone());
        }
        if let Some(l) = self.strings.get(lang) {
            out.extend(l.clone());
        }
        out
    }
}

fn template_error(e: &tera::Error) -> String {
    // Tera 2 errors carry the template, line, column and a caret.
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(&format!("\n  {s}"));
        source = s.source();
    }
    msg
}

fn ui_strings(origin: &str, bytes: &[u8]) -> Result<BTreeMap<String, String>, Diagnostic> {
    let text = String::from_utf8_lossy(bytes);
    let node = yaml::parse(&text)
        .map_err(|e| Diagnostic::new(Code::YamlSyntax, origin, e.pos, e.message))?;
    let mut out = BTreeMap::new();
    if let Value::Map(entries) = node.value {
        for (k, v) in entries {
            match v.value {
                Value::Str(s) => {
                    out.insert(k.name, s);
                }
                _ => {
                    return Err(Diagnostic::new(
                        Code::WrongType,
                        origin,
                        Some(v.pos),
                        format!("the UI string `{}` must be text", k.name),
                    ))
                }
            }
        }
    }
    Ok(out)
}

/// What the render stage wrote.
#[derive(Debug, Default)]
pub struct Rendered {
    pub pages: usize,
    pub charts: usize,
    /// The time each chart took to draw.
    pub chart_times: Vec<Duration>,
    /// Each page written (output path) with the chart files beside it.
    pub outputs: Vec<(String, Vec<String>)>,
}

impl Rendered {
    /// Adds the pages and charts of another rendering.
    pub fn absorb(&mut self, other: Rendered) {
        self.pages += other.pages;
        self.charts += other.charts;
        self.chart_times.extend(other.chart_times);
        self.outputs.extend(other.outputs);
    }

    /// The median time to draw one chart.
    pub fn chart_median(&self) -> Duration {
        let mut t = self.chart_times.clone();
        t.sort();
        t.get(t.len() / 2).copied().unwrap_or_default()
    }

    /// The time spent drawing charts, summed over threads.
    pub fn chart_total(&self) -> Duration {
        self.chart_times.iter().sum()
    }
}

/// Renders every page of every language into `out`, with the theme's
/// static files, robots.txt and sitemap.xml.
pub fn render(
    model: &Model,
    theme: &Theme,
    data: &[DataFile],
    out: &dyn Sink,
    timings: &mut Vec<(&'static str, Duration)>,
    progress: &dyn Progress,
) -> Result<Rendered, Diagnostic> {
    let jobs = views::jobs(model);
    let rendered = render_pages(model, theme, data, &jobs, out, timings, progress)?;
    let start = Instant::now();
    render_site_files(model, theme, out)?;
    if let Some(t) = timings.last_mut() {
        t.1 += start.elapsed();
    }
    Ok(rendered)
}

/// The pages of `jobs` in every language they exist in. Only these pages
/// (and their charts) are written: the seam of incremental rebuilds.
pub fn render_pages(
    model: &Model,
    theme: &Theme,
    data: &[DataFile],
    jobs: &[views::Job],
    out: &dyn Sink,
    timings: &mut Vec<(&'static str, Duration)>,
    progress: &dyn Progress,
) -> Result<Rendered, Diagnostic> {
    let render_start = Instant::now();
    let langs = &model.input.site.languages;
    let default = model.input.site.language.as_str();
    let strings: BTreeMap<&str, BTreeMap<String, String>> = langs
        .iter()
        .map(|l| (l.as_str(), theme.strings_for(l, default)))
        .collect();
    // Each language is named in itself in the language switch: by its own
    // file's `lang_name` (not a fallback's), else by its code.
    let lang_names: BTreeMap<String, String> = langs
        .iter()
        .map(|l| {
            let own = theme.strings.get(l).and_then(|s| s.get("lang_name"));
            (l.clone(), own.cloned().unwrap_or_else(|| l.clone()))
        })
        .collect();

    let shared = views::Shared::new(model, lang_names);
    let work: Vec<(&str, &views::Job)> = langs
        .iter()
        .flat_map(|l| jobs.iter().map(move |j| (l.as_str(), j)))
        .filter(|(l, j)| views::in_language(model, j, l))
        .collect();
    progress.stage("render", work.len());
    // Charts are drawn page by page, inside the parallel loop, so that no
    // more than a page's charts are held at once. Their time is summed over
    // the threads and reported apart.
    let chart_nanos = AtomicU64::new(0);
    let empty = BTreeMap::new();
    let t_values: BTreeMap<&str, tera::Value> = strings
        .iter()
        .map(|(l, t)| (*l, tera::Value::from_serializable(t)))
        .collect();
    type PageResult = (String, Vec<String>, Vec<Duration>);
    let results: Vec<Result<PageResult, Diagnostic>> = work
        .par_iter()
        .map(|(lang, job)| {
            let t = strings.get(lang).unwrap_or(&empty);
            let chart_start = Instant::now();
            let page_charts = chartspecs::draw_shared(&shared, job, lang, t);
            chart_nanos.fetch_add(chart_start.elapsed().as_nanos() as u64, Ordering::Relaxed);

            let mut ctx = views::context(model, job, lang, t, &shared, data, &page_charts);
            // The UI strings, converted once per language (a shared value).
            if let Some(tv) = t_values.get(lang) {
                ctx.insert_value("t", tv.clone());
            }
            let html = theme.tera.render(job.template(), &ctx).map_err(|e| {
                Diagnostic::new(
                    Code::Template,
                    format!("templates/{}", job.template()),
                    None,
                    template_error(&e),
                )
            })?;
            let rel = views::output_path(model, lang, job);
            // The charts go into their slots after minification.
            let html = if theme.minified {
                html.into_bytes()
            } else {
                out.prepare_html(&html)
            };
            let page = views::fill_chart_slots(&html, &page_charts);
            out.put(&rel, &page)
                .map_err(|e| Diagnostic::new(Code::Io, rel.clone(), None, e.to_string()))?;
            let mut beside = Vec::new();
            for c in &page_charts {
                let dir = rel.trim_end_matches("index.html");
                for (file, text) in [
                    (format!("{dir}{}.svg", c.id), &c.standalone),
                    (format!("{dir}{}.phone.svg", c.id), &c.phone),
                    (format!("{dir}{}.csv", c.id), &c.csv),
                ] {
                    out.put(&file, text.as_bytes())
                        .map_err(|e| Diagnostic::new(Code::Io, rel.clone(), None, e.to_string()))?;
                    beside.push(file);
                }
            }
            progress.tick();
            Ok((rel, beside, page_charts.iter().map(|c| c.time).collect()))
        })
        .collect();
    let mut outputs = Vec::with_capacity(results.len());
    let mut chart_times = Vec::new();
    for r in results {
        let (rel, beside, times) = r?;
        outputs.push((rel, beside));
        chart_times.extend(times);
    }
    let threads = rayon::current_num_threads().max(1) as u64;
    let chart_time = Duration::from_nanos(chart_nanos.load(Ordering::Relaxed) / threads);
    timings.push(("charts", chart_time));
    timings.push(("render", render_start.elapsed().saturating_sub(chart_time)));
    Ok(Rendered {
        pages: work.len(),
        charts: chart_times.len(),
        chart_times,
        outputs,
    })
}

/// The theme's static files under /assets/, robots.txt and sitemap.xml.
pub fn render_site_files(model: &Model, theme: &Theme, out: &dyn Sink) -> Result<(), Diagnostic> {
    for (name, bytes) in &theme.statics {
        out.put(&format!("assets/{name}"), bytes)
            .map_err(|e| Diagnostic::new(Code::Io, name.clone(), None, e.to_string()))?;
    }
    let default = model.input.site.language.as_str();
    for lang in &model.input.site.languages {
        let t = theme.strings_for(lang, default);
        let index = search::index(model, lang, &t);
        let rel = search::file_name(lang);
        let json = serde_json::to_vec(&index)
            .map_err(|e| Diagnostic::new(Code::Io, rel.clone(), None, e.to_string()))?;
        out.put(&rel, &json)
            .map_err(|e| Diagnostic::new(Code::Io, rel.clone(), None, e.to_string()))?;
        let prefix = views::lang_prefix(model, lang);
        let rel = format!("{prefix}feed.xml");
        out.put(&rel, feed::feed(model, lang, &prefix, &t).as_bytes())
            .map_err(|e| Diagnostic::new(Code::Io, rel.clone(), None, e.to_string()))?;
    }
    for (rel, bytes) in views::site_files(model) {
        out.put(&rel, bytes.as_bytes())
            .map_err(|e| Diagnostic::new(Code::Io, rel.clone(), None, e.to_string()))?;
    }
    Ok(())
}
