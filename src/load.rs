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
    /// `data/forms/<id>.yaml`: a form of `minhbach import` (IMPORT.md).
    Form,
    /// A symbolic link under the root that leads outside it: not read
    /// (`outside-root`).
    Outside,
    /// A file under `data/` or `content/` that is no input (`ignored-file`):
    /// reported, never skipped silently.
    Ignored,
    /// A path that cannot be read: a broken link, a loop of links.
    Unreadable(String),
}

impl FileKind {
    /// Whether the file is read and parsed (the others are only reported).
    pub fn is_read(&self) -> bool {
        !matches!(
            self,
            FileKind::Outside | FileKind::Ignored | FileKind::Unreadable(_)
        )
    }

    /// The largest file of this kind that is read, with what such a file
    /// usually weighs (for the error). The lists of a whole country are
    /// large (11,000 agencies are some 2 MB); a report or a page is a few
    /// kilobytes. The limits stop a wrong file, not a big site.
    pub fn max_bytes(&self) -> (u64, &'static str) {
        match self {
            FileKind::Agencies | FileKind::Indicators => (
                MAX_LIST_BYTES,
                "32 MiB; a country's agency list is a few megabytes",
            ),
            _ => (MAX_FILE_BYTES, "1 MiB; a report or page is a few kilobytes"),
        }
    }
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
/// them: what [`load`] reads. Every file under `data/` and `content/` is
/// here, the ones that are no input too ([`FileKind::Ignored`]); symbolic
/// links are followed while they stay inside the root
/// (DATA-FORMAT.md §10). Hidden folders and hidden files that are no input
/// (`.git`, `.DS_Store`) are left out; a hidden `.yaml` or `.md` is reported.
pub fn scan(root: &Path) -> Vec<(String, FileKind)> {
    let inside = Inside::of(root);
    let mut found: Vec<(String, FileKind)> = Vec::new();
    for (rel, kind) in [
        ("site.yaml", FileKind::Site),
        ("data/agencies.yaml", FileKind::Agencies),
        ("data/indicators.yaml", FileKind::Indicators),
    ] {
        let path = root.join(rel);
        if path.is_symlink() && !inside.contains(&path) {
            found.push((rel.to_string(), FileKind::Outside));
        } else if path.is_file() {
            found.push((rel.to_string(), kind));
        }
    }
    for (rel, kind) in walk(root, "data", &inside)
        .into_iter()
        .chain(walk(root, "content", &inside))
    {
        if rel == "data/agencies.yaml" || rel == "data/indicators.yaml" {
            continue;
        }
        let kind = kind.unwrap_or_else(|| classify(&rel));
        found.push((rel, kind));
    }
    found
}

/// What a readable file under `data/` or `content/` is for.
fn classify(rel: &str) -> FileKind {
    let ext = rel
        .rsplit_once('.')
        .map(|(_, x)| x.to_ascii_lowercase())
        .unwrap_or_default();
    if let Some(rest) = rel.strip_prefix("content/") {
        return if ext == "md" && !rest.is_empty() {
            FileKind::Page
        } else {
            FileKind::Ignored
        };
    }
    if rel.starts_with("data/reports/") && (ext == "yaml" || ext == "yml") {
        return report_kind(rel);
    }
    if let Some(name) = rel.strip_prefix("data/rubrics/") {
        if (ext == "yaml" || ext == "yml") && !name.contains('/') {
            return FileKind::Rubric;
        }
    }
    if let Some(name) = rel.strip_prefix("data/forms/") {
        if !name.contains('/') && (ext == "yaml" || ext == "yml") {
            return FileKind::Form;
        }
    }
    FileKind::Ignored
}

/// Whether a file name has the extension of an input (`.yaml`, `.yml`,
/// `.md`, in any case).
fn looks_like_input(rel: &str) -> bool {
    rel.rsplit_once('.')
        .is_some_and(|(_, x)| ["yaml", "yml", "md"].contains(&x.to_ascii_lowercase().as_str()))
}

/// The real root, to tell where a symbolic link leads.
struct Inside(PathBuf);

impl Inside {
    fn of(root: &Path) -> Inside {
        Inside(root.canonicalize().unwrap_or_else(|_| root.to_path_buf()))
    }

    /// Whether `path` (a link) resolves to a place inside the root.
    fn contains(&self, path: &Path) -> bool {
        path.canonicalize().is_ok_and(|p| p.starts_with(&self.0))
    }
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

/// The files below `dir`, sorted, each with its kind when it is not an
/// ordinary file to [`classify`]: links that lead outside the root, broken
/// links and loops. Links inside the root are followed.
fn walk(root: &Path, dir: &str, inside: &Inside) -> Vec<(String, Option<FileKind>)> {
    let base = root.join(dir);
    let mut out: Vec<(String, Option<FileKind>)> = Vec::new();
    if base.is_symlink() && !inside.contains(&base) {
        out.push((dir.to_string(), Some(FileKind::Outside)));
        return out;
    }
    if !base.is_dir() {
        return out;
    }
    let mut entries = WalkDir::new(&base)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = entries.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e
                    .path()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .map(rel_string)
                    .unwrap_or_else(|| dir.to_string());
                let why = if e.loop_ancestor().is_some() {
                    "a symbolic link that leads back into a folder that holds it".to_string()
                } else {
                    e.io_error()
                        .map(|io| io.to_string())
                        .unwrap_or_else(|| e.to_string())
                };
                out.push((rel, Some(FileKind::Unreadable(why))));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(root).map(rel_string) else {
            continue;
        };
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        let is_dir = entry.file_type().is_dir();
        if hidden {
            if is_dir {
                entries.skip_current_dir();
            } else if looks_like_input(&rel) {
                // `.so-noi-vu.yaml` is not read, but not silently either.
                out.push((rel, Some(FileKind::Ignored)));
            }
            continue;
        }
        if entry.path_is_symlink() && !inside.contains(entry.path()) {
            if is_dir {
                entries.skip_current_dir();
            }
            out.push((rel, Some(FileKind::Outside)));
            continue;
        }
        if !is_dir {
            out.push((rel, None));
        }
    }
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

/// The largest input file read, in bytes: a report is a few kilobytes, a
/// page rarely more than a hundred; anything past this is refused with a
/// clear error rather than parsed (memory stays bounded).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// The limit of `data/agencies.yaml` and `data/indicators.yaml`.
pub const MAX_LIST_BYTES: u64 = 32 * 1024 * 1024;

fn read(root: &Path, rel: String, kind: FileKind) -> SourceFile {
    if !kind.is_read() {
        return SourceFile {
            rel,
            kind,
            doc: Ok(yaml::Node {
                pos: yaml::Pos { line: 1, column: 1 },
                value: yaml::Value::Null,
                raw: String::new(),
                quoted: false,
            }),
            body: String::new(),
        };
    }
    match read_text(&root.join(&rel), kind.max_bytes()) {
        Ok(text) => parse_source(rel, kind, &text),
        Err(e) => SourceFile {
            rel,
            kind,
            doc: Err(e),
            body: String::new(),
        },
    }
}

fn read_text(path: &Path, (limit, usual): (u64, &str)) -> Result<String, YamlError> {
    let fail = |message: String| YamlError { pos: None, message };
    let size = std::fs::metadata(path)
        .map_err(|e| fail(format!("cannot read the file: {e}")))?
        .len();
    if size > limit {
        return Err(fail(format!(
            "the file is {size} bytes, more than the limit of {limit} bytes ({usual}): \
             split it or remove what does not belong"
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read the file: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(fail(format!(
            "the file grew past the limit of {limit} bytes while it was read"
        )));
    }
    String::from_utf8(bytes)
        .map_err(|_| fail("the file is not UTF-8 text; save it as UTF-8".into()))
}

/// Parses the text of one input file as [`load`] does after reading it: a
/// byte-order mark dropped, the text in Unicode NFC (DATA-FORMAT.md §10),
/// a page split into front matter and body.
pub fn parse_source(rel: String, kind: FileKind, text: &str) -> SourceFile {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = crate::clean::nfc(text);
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
