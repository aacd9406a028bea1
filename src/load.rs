//! Load: find the files of a site root and parse them, keeping positions.
//!
//! Nothing is judged here beyond "can this be read as YAML": the validate
//! stage turns the parsed trees into typed data and diagnostics.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::yaml::{self, Node, YamlError};

/// What a file of the site root is for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileKind {
    Site,
    Agencies,
    Indicators,
    /// `data/reports/<year_dir>/<stem>.yaml`; neither is checked yet.
    Report {
        year_dir: String,
        stem: String,
    },
    /// A file under `data/reports/` that is not where a report belongs.
    Misplaced,
    /// `content/**/*.md`.
    Page,
    /// `data/rubrics/*.yaml` (RUBRICS.md).
    Rubric,
}

/// A parsed file: its YAML (a report, or a page's front matter) and, for
/// pages, the Markdown body.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to the root, `/`-separated.
    pub rel: String,
    pub kind: FileKind,
    pub doc: Result<Node, YamlError>,
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct Loaded {
    pub root: PathBuf,
    /// Sorted by kind, then path.
    pub files: Vec<SourceFile>,
    /// Report files found but not read yet ([`load_deferred`]): validation
    /// reads, parses and checks each in one step, so that the parsed trees
    /// of a national corpus are never all alive at once. Sorted by path.
    pub deferred: Vec<(String, FileKind)>,
}

impl Loaded {
    pub fn file(&self, kind: &FileKind) -> Option<&SourceFile> {
        self.files.iter().find(|f| &f.kind == kind)
    }

    /// The kinds of every report file, read or deferred.
    pub fn report_kinds(&self) -> impl Iterator<Item = &FileKind> {
        self.files
            .iter()
            .map(|f| &f.kind)
            .chain(self.deferred.iter().map(|(_, k)| k))
            .filter(|k| matches!(k, FileKind::Report { .. }))
    }
}

/// Finds and parses every input file of the site root. A missing optional
/// file is simply absent; a missing required one is left to validation.
pub fn load(root: &Path) -> Loaded {
    load_with(root, false)
}

/// Like [`load`], but report files are only found, not read: validation
/// reads each when it checks it ([`Loaded::deferred`]). For one-off builds
/// and checks; `serve` keeps every parsed file with [`load`].
pub fn load_deferred(root: &Path) -> Loaded {
    load_with(root, true)
}

fn load_with(root: &Path, defer_reports: bool) -> Loaded {
    let (deferred, now): (Vec<_>, Vec<_>) = scan(root)
        .into_iter()
        .partition(|(_, kind)| defer_reports && matches!(kind, FileKind::Report { .. }));
    let mut files: Vec<SourceFile> = now
        .into_par_iter()
        .map(|(rel, kind)| read(root, rel, kind))
        .collect();
    files.sort_by(|a, b| (&a.kind, &a.rel).cmp(&(&b.kind, &b.rel)));
    Loaded {
        root: root.to_path_buf(),
        files,
        deferred,
    }
}

/// The input files of a site root and what each is for, without reading
/// them: what [`load`] reads.
pub fn scan(root: &Path) -> Vec<(String, FileKind)> {
    let mut found: Vec<(String, FileKind)> = Vec::new();
    for (rel, kind) in [
        ("site.yaml", FileKind::Site),
        ("data/agencies.yaml", FileKind::Agencies),
        ("data/indicators.yaml", FileKind::Indicators),
    ] {
        if root.join(rel).is_file() {
            found.push((rel.to_string(), kind));
        }
    }
    found.extend(
        walk(root, "data/reports", &["yaml", "yml"])
            .into_iter()
            .map(|rel| {
                let kind = report_kind(&rel);
                (rel, kind)
            }),
    );
    found.extend(
        walk(root, "data/rubrics", &["yaml", "yml"])
            .into_iter()
            .filter(|rel| !rel["data/rubrics/".len()..].contains('/'))
            .map(|rel| (rel, FileKind::Rubric)),
    );
    found.extend(
        walk(root, "content", &["md"])
            .into_iter()
            .map(|rel| (rel, FileKind::Page)),
    );
    found
}

/// Reads and parses one input file, as [`load`] does for each.
pub fn load_file(root: &Path, rel: &str, kind: FileKind) -> SourceFile {
    read(root, rel.to_string(), kind)
}

impl Loaded {
    /// Puts a freshly read file in place of the one with the same path (or
    /// adds it), keeping the order of [`load`].
    pub fn replace(&mut self, file: SourceFile) {
        self.remove(&file.rel);
        let key = (&file.kind, &file.rel);
        let at = self.files.partition_point(|f| (&f.kind, &f.rel) < key);
        self.files.insert(at, file);
    }

    /// Forgets the file at `rel`, if any.
    pub fn remove(&mut self, rel: &str) {
        self.files.retain(|f| f.rel != rel);
    }
}

/// Relative paths of the files below `dir` with one of `exts`, sorted.
fn walk(root: &Path, dir: &str, exts: &[&str]) -> Vec<String> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Vec::new();
    }
    let mut out: Vec<String> = WalkDir::new(&base)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            !name.starts_with('.')
                && e.path()
                    .extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| exts.contains(&x))
        })
        .filter_map(|e| e.path().strip_prefix(root).ok().map(rel_string))
        .collect();
    out.sort();
    out
}

fn rel_string(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn report_kind(rel: &str) -> FileKind {
    let parts: Vec<&str> = rel.split('/').collect();
    match parts.as_slice() {
        ["data", "reports", year_dir, file] => {
            let stem = file
                .rsplit_once('.')
                .map(|(s, _)| s)
                .unwrap_or(file)
                .to_string();
            FileKind::Report {
                year_dir: year_dir.to_string(),
                stem,
            }
        }
        _ => FileKind::Misplaced,
    }
}

fn read(root: &Path, rel: String, kind: FileKind) -> SourceFile {
    let text = match std::fs::read(root.join(&rel)) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(s) => Ok(s),
            Err(_) => Err(YamlError {
                pos: None,
                message: "the file is not UTF-8 text; save it as UTF-8".to_string(),
            }),
        },
        Err(e) => Err(YamlError {
            pos: None,
            message: format!("cannot read the file: {e}"),
        }),
    };
    let text = match text {
        Ok(t) => t.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(t),
        Err(e) => {
            return SourceFile {
                rel,
                kind,
                doc: Err(e),
                body: String::new(),
            }
        }
    };
    match kind {
        FileKind::Page => {
            let (front, offset, body) = split_front_matter(&text);
            let doc = match front {
                Some(f) => yaml::parse_at(f, offset),
                None => Err(YamlError {
                    pos: Some(yaml::Pos { line: 1, column: 1 }),
                    message:
                        "a page starts with front matter between `---` lines, with at least a title"
                            .to_string(),
                }),
            };
            SourceFile {
                rel,
                kind,
                doc,
                body: body.to_string(),
            }
        }
        _ => SourceFile {
            rel,
            kind,
            doc: yaml::parse(&text),
            body: String::new(),
        },
    }
}

/// Splits `---\n<yaml>\n---\n<body>`: the YAML, the number of lines before
/// it, and the body.
pub fn split_front_matter(text: &str) -> (Option<&str>, usize, &str) {
    let Some(rest) = text.strip_prefix("---") else {
        return (None, 0, text);
    };
    let Some(rest) = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
    else {
        return (None, 0, text);
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let front = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return (Some(front), 1, body);
        }
        offset += line.len();
    }
    (None, 0, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter() {
        let (f, off, body) = split_front_matter("---\ntitle: A\n---\nBody\n");
        assert_eq!(f, Some("title: A\n"));
        assert_eq!(off, 1);
        assert_eq!(body, "Body\n");
        let (f, _, body) = split_front_matter("No front matter");
        assert_eq!(f, None);
        assert_eq!(body, "No front matter");
    }

    #[test]
    fn report_paths() {
        assert_eq!(
            report_kind("data/reports/2022/so-tu-phap.yaml"),
            FileKind::Report {
                year_dir: "2022".into(),
                stem: "so-tu-phap".into()
            }
        );
        assert_eq!(report_kind("data/reports/x.yaml"), FileKind::Misplaced);
        assert_eq!(
            report_kind("data/reports/2022/a/b.yaml"),
            FileKind::Misplaced
        );
    }
}
