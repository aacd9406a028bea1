//! `minhbach import` (IMPORT.md): the agencies' spreadsheet forms become
//! report YAML, so that no figure is typed twice.
//!
//! For each file: read the sheet ([`sheet`]), pick the form whose header
//! matches ([`form`]), read the table ([`table`]), match the form's rows
//! ([`matching`]) and turn cells into values ([`value`]); then, with
//! `--write`, write the report (or, with `--force`, edit the existing one:
//! [`edit`]) and check the site as `check` does. Nothing is written for a
//! file with an error; the other files still import.

pub mod edit;
pub mod matching;
pub mod output;
pub mod sheet;
pub mod table;
pub mod value;

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Diagnostics, Severity};
use crate::input::Input;
use crate::progress::Progress;
use crate::{load, site, validate};

use crate::validate::forms::{self as form, Form};
use matching::Imported;
use sheet::Sheet;

/// What the command line asked for.
#[derive(Debug, Clone)]
pub struct Options {
    pub files: Vec<PathBuf>,
    pub year: i32,
    pub agency: Option<String>,
    pub form: Option<String>,
    pub root: PathBuf,
    pub write: bool,
    pub force: bool,
    pub strict: bool,
}

/// Why nothing could be imported at all.
#[derive(Debug)]
pub enum RunError {
    /// Wrong usage (exit status 2).
    Usage(String),
    /// The site itself cannot be read (no site.yaml or agencies.yaml).
    Site(Diagnostics),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Usage(m) => f.write_str(m),
            RunError::Site(d) => write!(
                f,
                "the site cannot be read ({} errors); fix it first (minhbach check)",
                d.errors()
            ),
        }
    }
}

/// What became of one file.
#[derive(Debug, Clone, Default)]
pub struct FileResult {
    /// The file as given on the command line.
    pub file: String,
    pub agency: Option<String>,
    pub year: i32,
    pub form: Option<String>,
    pub written: bool,
    pub values: Vec<Imported>,
    /// Problems in the sheet (their `line` is the sheet row) or of the
    /// file as a whole.
    pub problems: Vec<Diagnostic>,
    /// Problems of site files: the form file, the written report.
    pub site_problems: Vec<Diagnostic>,
    /// Unit words dropped, and other things worth a look.
    pub notes: Vec<String>,
    /// `data/reports/<year>/<agency>.yaml`, once the agency is known.
    pub report_file: Option<String>,
    /// The report text written, or that `--write` would write.
    pub report_text: Option<String>,
}

impl FileResult {
    fn all(&self) -> impl Iterator<Item = &Diagnostic> {
        self.problems.iter().chain(&self.site_problems)
    }

    pub fn errors(&self) -> usize {
        self.all().filter(|d| d.severity == Severity::Error).count()
    }

    pub fn warnings(&self) -> usize {
        self.all()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// Whether the file counts as failed (exit status 1).
    pub fn failed(&self, strict: bool) -> bool {
        self.all().any(|d| output::counts(d, strict))
    }

    fn problem(&mut self, code: Code, message: impl Into<String>) {
        let mut d = Diagnostic::new(code, &self.file, None, message);
        d.agency = self.agency.clone();
        d.year = Some(self.year);
        self.problems.push(d);
    }
}

/// The forms a run can use.
struct Forms {
    /// Site forms by id; `None` when the file has errors.
    site: Vec<(String, Option<Form>)>,
    site_diags: Diagnostics,
    builtin: Option<Form>,
}

impl Forms {
    fn load(loaded: &load::Loaded, input: &Input) -> Forms {
        let (site, site_diags) = form::site_forms(loaded, &input.catalog);
        let builtin = if site.iter().any(|(id, _)| id == form::BUILTIN_ID) {
            None // a site form with the built-in's id replaces it
        } else {
            form::builtin(&input.catalog).0
        };
        Forms {
            site,
            site_diags,
            builtin,
        }
    }

    fn ids(&self) -> String {
        let mut ids: Vec<&str> = self.site.iter().map(|(id, _)| id.as_str()).collect();
        if self.builtin.is_some() {
            ids.push(form::BUILTIN_ID);
        }
        ids.join(", ")
    }

    fn diags_of(&self, id: &str) -> Vec<Diagnostic> {
        let file = format!("data/forms/{id}.");
        self.site_diags
            .0
            .iter()
            .filter(|d| d.file.starts_with(&file))
            .cloned()
            .collect()
    }
}

/// Imports every file of `opts`. `progress` sees one step per file.
pub fn run(opts: &Options, progress: &dyn Progress) -> Result<Vec<FileResult>, RunError> {
    if opts.files.is_empty() {
        return Err(RunError::Usage(
            "give the spreadsheet files to import, e.g. minhbach import forms/2024/*.xlsx --year 2024"
                .to_string(),
        ));
    }
    if !(2000..=2100).contains(&opts.year) {
        return Err(RunError::Usage(format!(
            "--year {} is not a year from 2000 to 2100",
            opts.year
        )));
    }
    if opts.agency.is_some() && opts.files.len() > 1 {
        return Err(RunError::Usage(
            "--agency names the agency of one file; to import several, name each file after its agency id and leave --agency out"
                .to_string(),
        ));
    }
    if opts.force && !opts.write {
        return Err(RunError::Usage(
            "--force only applies with --write".to_string(),
        ));
    }
    let loaded = load::load_deferred(&opts.root);
    let (input, diags) = validate::validate(&loaded);
    let input = input.ok_or(RunError::Site(diags))?;
    let forms = Forms::load(&loaded, &input);
    drop(loaded);
    if let Some(id) = &opts.form {
        let known = forms.site.iter().any(|(i, _)| i == id)
            || (id == form::BUILTIN_ID && forms.builtin.is_some());
        if !known {
            return Err(RunError::Usage(format!(
                "there is no form `{id}`: the forms are {} (data/forms/<id>.yaml, and the built-in {})",
                forms.ids(),
                form::BUILTIN_ID
            )));
        }
    }

    progress.stage("import", opts.files.len());
    let mut results = Vec::with_capacity(opts.files.len());
    for path in &opts.files {
        results.push(import_one(opts, &input, &forms, path));
        progress.tick();
    }
    progress.finish();

    // After writing, the site is checked as `check` does; each written
    // report gets its own diagnostics.
    if results.iter().any(|r| r.written) {
        let (_, diags) = site::check(&opts.root);
        for r in results.iter_mut().filter(|r| r.written) {
            let rel = r.report_file.clone().unwrap_or_default();
            r.site_problems
                .extend(diags.0.iter().filter(|d| d.file == rel).cloned());
        }
    }
    Ok(results)
}

fn import_one(opts: &Options, input: &Input, forms: &Forms, path: &Path) -> FileResult {
    let mut r = FileResult {
        file: path.display().to_string(),
        year: opts.year,
        ..FileResult::default()
    };
    let agency = match &opts.agency {
        Some(a) => a.clone(),
        None => path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    if !input.agencies.iter().any(|a| a.id == agency) {
        let hint = validate::suggest(&agency, input.agencies.iter().map(|a| a.id.as_str()));
        let how = if opts.agency.is_some() {
            "--agency must be an agency id of data/agencies.yaml"
        } else {
            "name the file after its agency id of data/agencies.yaml (so-noi-vu.xlsx), or give --agency"
        };
        r.problem(
            Code::UnknownAgency,
            format!("`{agency}` is not an agency{hint}: {how}"),
        );
        return r;
    }
    r.agency = Some(agency.clone());
    let rel = format!("data/reports/{}/{agency}.yaml", opts.year);
    r.report_file = Some(rel.clone());

    let Some((form, sheet, header_row, columns)) = pick_form(opts, forms, path, &mut r) else {
        return r;
    };
    r.form = Some(form.id.clone());
    let table = table::read(&sheet, header_row, columns, &form.header);
    let matched = matching::apply(form, &table, &r.file, &sheet.name);
    r.problems.extend(matched.problems.into_iter().map(|mut d| {
        d.agency = Some(agency.clone());
        d.year = Some(opts.year);
        d
    }));
    r.notes.extend(matched.notes.into_iter().map(|(_, _, n)| n));
    r.values = matched.values;

    // The report it writes: a new file, or the existing one edited.
    let existing = ["yaml", "yml"]
        .iter()
        .map(|ext| format!("data/reports/{}/{agency}.{ext}", opts.year))
        .find(|p| opts.root.join(p).is_file());
    let text = match &existing {
        Some(p) if opts.write && !opts.force => {
            r.report_file = Some(p.clone());
            r.problem(
                Code::ReportExists,
                format!(
                    "{p} already exists and is never overwritten: add --force to replace the imported values and keep its other fields and comments"
                ),
            );
            return r;
        }
        Some(p) => {
            // --force, or a dry run that shows what --force would write.
            r.report_file = Some(p.clone());
            if !opts.write {
                r.notes.push(format!(
                    "{p} already exists: --write needs --force, which replaces these values in it and keeps the rest; shown as it would become"
                ));
            }
            match std::fs::read_to_string(opts.root.join(p)) {
                Ok(old) => edit::merge(&old, &r.values).map_err(|e| format!("{p}: {e}")),
                Err(e) => Err(format!("{p} cannot be read: {e}")),
            }
        }
        None => {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok(output::new_report(
                &agency, opts.year, &name, &form.id, &r.values,
            ))
        }
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            r.problem(Code::ImportFile, e);
            return r;
        }
    };
    r.report_text = Some(text.clone());
    if opts.write && !r.failed(opts.strict) {
        let target = opts.root.join(r.report_file.as_deref().unwrap_or(&rel));
        match write_atomically(&target, &text) {
            Ok(()) => r.written = true,
            Err(e) => r.problem(Code::Io, format!("{}: {e}", target.display())),
        }
    }
    r
}

/// Writes beside the target, then renames: a report is never half written.
fn write_atomically(target: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = target.with_extension("yaml.import-tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, target).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Reads the sheet and picks the form: the one asked for, else the site
/// form whose header the sheet has, else the built-in one.
fn pick_form<'f>(
    opts: &Options,
    forms: &'f Forms,
    path: &Path,
    r: &mut FileResult,
) -> Option<(&'f Form, Sheet, usize, table::Columns)> {
    let mut sheets: Vec<(Option<String>, Sheet)> = Vec::new();
    let mut read_sheet = |name: Option<&str>, r: &mut FileResult| -> Option<Sheet> {
        if let Some((_, s)) = sheets.iter().find(|(n, _)| n.as_deref() == name) {
            return Some(s.clone());
        }
        // A damaged workbook must not stop a batch, even if the reader
        // panics on it.
        let read = std::panic::catch_unwind(|| sheet::read(path, name)).unwrap_or_else(|_| {
            Err(sheet::SheetError::Unreadable(
                "this workbook is damaged and cannot be read: open it in a spreadsheet program and save it again"
                    .to_string(),
            ))
        });
        match read {
            Ok(s) => {
                sheets.push((name.map(str::to_string), s.clone()));
                Some(s)
            }
            Err(e) => {
                r.problem(Code::ImportFile, e.to_string());
                None
            }
        }
    };

    if let Some(id) = &opts.form {
        let form = match forms.site.iter().find(|(i, _)| i == id) {
            Some((_, Some(f))) => f,
            Some((_, None)) => {
                r.site_problems.extend(forms.diags_of(id));
                r.problem(
                    Code::ImportFile,
                    format!("the form `{id}` has errors; fix data/forms/{id}.yaml first"),
                );
                return None;
            }
            None => forms.builtin.as_ref()?,
        };
        let sheet = read_sheet(form.sheet.as_deref(), r)?;
        if empty(&sheet, r) {
            return None;
        }
        return match table::find_header(&sheet, &form.header) {
            Some((row, cols)) => Some((form, sheet, row, cols)),
            None => {
                r.problem(Code::ImportFile, no_header(form, &sheet));
                None
            }
        };
    }

    // A broken site form might be the one meant for this file: never fall
    // back on another form while one has errors.
    let broken: Vec<&str> = forms
        .site
        .iter()
        .filter(|(_, f)| f.is_none())
        .map(|(id, _)| id.as_str())
        .collect();
    if !broken.is_empty() {
        for id in &broken {
            r.site_problems.extend(forms.diags_of(id));
        }
        r.problem(
            Code::ImportFile,
            format!(
                "the forms {} of data/forms/ have errors: fix them first (minhbach check), or pass --form",
                broken.join(", ")
            ),
        );
        return None;
    }
    let mut found: Vec<(&Form, Sheet, usize, table::Columns)> = Vec::new();
    for f in forms.site.iter().filter_map(|(_, f)| f.as_ref()) {
        let sheet = match &f.sheet {
            Some(name) => {
                let names = sheet::sheet_names(path).unwrap_or_default();
                if !names.iter().any(|n| n == name) {
                    continue;
                }
                read_sheet(Some(name), r)?
            }
            None => read_sheet(None, r)?,
        };
        if let Some((row, cols)) = table::find_header(&sheet, &f.header) {
            found.push((f, sheet, row, cols));
        }
    }
    if found.is_empty() {
        if let Some(b) = &forms.builtin {
            let sheet = read_sheet(None, r)?;
            if let Some((row, cols)) = table::find_header(&sheet, &b.header) {
                found.push((b, sheet, row, cols));
            }
        }
    }
    match found.len() {
        1 => found.pop(),
        0 => {
            let sheet = read_sheet(None, r)?;
            if empty(&sheet, r) {
                return None;
            }
            r.problem(
                Code::ImportFile,
                format!(
                    "no form's header matches this sheet (the forms: {}); the header row must have the column titles of a form's `header`, or pass --form",
                    forms.ids()
                ),
            );
            None
        }
        _ => {
            let ids: Vec<&str> = found.iter().map(|f| f.0.id.as_str()).collect();
            r.problem(
                Code::ImportFile,
                format!(
                    "the headers of several forms match this sheet ({}): pass --form with the one to use",
                    ids.join(", ")
                ),
            );
            None
        }
    }
}

fn empty(sheet: &Sheet, r: &mut FileResult) -> bool {
    let blank = sheet
        .rows
        .iter()
        .all(|row| row.iter().all(sheet::Cell::is_blank));
    if blank {
        let which = if sheet.name.is_empty() {
            "the file is empty".to_string()
        } else {
            format!("the sheet \"{}\" is empty", sheet.name)
        };
        r.problem(
            Code::ImportFile,
            format!("{which}: there is nothing to import; check that this is the filled-in form"),
        );
    }
    blank
}

fn no_header(form: &Form, sheet: &Sheet) -> String {
    let h = &form.header;
    let mut titles = vec![h.code.as_str(), h.label.as_str(), h.value.as_str()];
    titles.extend(h.evidence.iter().map(String::as_str));
    let place = if sheet.name.is_empty() {
        String::new()
    } else {
        format!(" of sheet \"{}\"", sheet.name)
    };
    format!(
        "no row{place} has the column titles of the form `{}` ({}): check the header row, or the form's `header`",
        form.id,
        titles
            .iter()
            .map(|t| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(", ")
    )
}
