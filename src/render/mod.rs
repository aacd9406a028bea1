//! Render: Tera pages of the theme (built-in `themes/default`, overridden
//! file by file by the site's `themes/<name>/`), in every language of the
//! site, with the figures formatted for people.

pub mod chartspecs;
pub mod feed;
pub mod markdown;
pub mod search;
pub mod views;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diag::{Code, Diagnostic};
use crate::model::Model;
use crate::publish::DataFile;
use crate::write::Staging;
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
}

/// A theme file and where it came from, for error messages.
struct ThemeFile {
    origin: String,
    bytes: Vec<u8>,
}

impl Theme {
    /// The built-in theme overridden by `<root>/themes/<name>/`, file by file.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
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
        tera.add_raw_templates(templates).map_err(|e| {
            Diagnostic::new(
                Code::Template,
                format!("themes/{name}/templates"),
                None,
                template_error(&e),
            )
        })?;
        Ok(Theme {
            tera,
            statics,
            strings,
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
}

/// Renders every page of every language into the staging folder.
pub fn render(
    model: &Model,
    theme: &Theme,
    data: &[DataFile],
    out: &Staging,
    timings: &mut Vec<(&'static str, Duration)>,
) -> Result<Rendered, Diagnostic> {
    let start = Instant::now();
    let jobs = views::jobs(model);
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

    // Charts first: they are drawn once per language and page.
    let charts = views::charts(model, &jobs, &strings);
    let chart_count = charts.values().map(Vec::len).sum::<usize>();
    timings.push(("charts", start.elapsed()));
    let render_start = Instant::now();

    let work: Vec<(&str, &views::Job)> = langs
        .iter()
        .flat_map(|l| jobs.iter().map(move |j| (l.as_str(), j)))
        .filter(|(l, j)| views::in_language(model, j, l))
        .collect();
    let results: Vec<Result<(), Diagnostic>> = work
        .par_iter()
        .map(|(lang, job)| {
            let t = strings.get(lang).cloned().unwrap_or_default();
            let page_charts = charts
                .get(&(lang.to_string(), job.path()))
                .filter(|_| job.has_charts())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let ctx = views::context(model, job, lang, &t, &lang_names, data, page_charts);
            let html = theme.tera.render(job.template(), &ctx).map_err(|e| {
                Diagnostic::new(
                    Code::Template,
                    format!("templates/{}", job.template()),
                    None,
                    template_error(&e),
                )
            })?;
            let rel = views::output_path(model, lang, job);
            out.put_html(&rel, &html)
                .map_err(|e| Diagnostic::new(Code::Io, rel.clone(), None, e.to_string()))?;
            for c in page_charts {
                let dir = rel.trim_end_matches("index.html");
                out.put(&format!("{dir}{}.svg", c.id), c.standalone.as_bytes())
                    .map_err(|e| Diagnostic::new(Code::Io, rel.clone(), None, e.to_string()))?;
                out.put(&format!("{dir}{}.csv", c.id), c.csv.as_bytes())
                    .map_err(|e| Diagnostic::new(Code::Io, rel.clone(), None, e.to_string()))?;
            }
            Ok(())
        })
        .collect();
    if let Some(Err(e)) = results.into_iter().find(Result::is_err) {
        return Err(e);
    }
    for (name, bytes) in &theme.statics {
        out.put(&format!("assets/{name}"), bytes)
            .map_err(|e| Diagnostic::new(Code::Io, name.clone(), None, e.to_string()))?;
    }
    for lang in langs {
        let t = strings.get(lang.as_str()).cloned().unwrap_or_default();
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
    timings.push(("render", render_start.elapsed()));
    Ok(Rendered {
        pages: work.len(),
        charts: chart_count,
    })
}
