//! Diagnostics: every problem found in a site root, as a value with its
//! file, position, code and a hint a clerk can act on.

use std::fmt;

use serde::Serialize;

use crate::yaml::Pos;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// The diagnostic codes of the spec (CLI-AND-OUTPUT.md), plus `build` for
/// failures outside the data (a template error, a file that cannot be written).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    YamlSyntax,
    WrongType,
    MissingField,
    UnknownField,
    UnknownIndicator,
    UnknownAgency,
    UnknownCohort,
    InvalidId,
    InvalidYear,
    PathMismatch,
    NegativeValue,
    OutOfRange,
    InvalidUrl,
    ExceedsTotal,
    PartsMismatch,
    ScoreExceedsMax,
    MissingReport,
    InvalidRubric,
    RubricStepExceedsMax,
    UnknownCriterion,
    CriterionExceedsMax,
    ScoreMismatch,
    ScoreSumMismatch,
    DuplicateReport,
    EmptyReport,
    DuplicatePage,
    OutsideRoot,
    IgnoredFile,
    /// A build whose `base_url` is relative: the catalogue cannot give
    /// portals addresses to download from.
    RelativeBaseUrl,
    /// `minhbach import` (IMPORT.md): a file that cannot be read as a form.
    ImportFile,
    ImportValue,
    UnmappedRow,
    MisplacedValue,
    FormRowMissing,
    FormRowAmbiguous,
    DuplicateFormRow,
    ReportExists,
    Template,
    Io,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::YamlSyntax => "yaml-syntax",
            Code::WrongType => "wrong-type",
            Code::MissingField => "missing-field",
            Code::UnknownField => "unknown-field",
            Code::UnknownIndicator => "unknown-indicator",
            Code::UnknownAgency => "unknown-agency",
            Code::UnknownCohort => "unknown-cohort",
            Code::InvalidId => "invalid-id",
            Code::InvalidYear => "invalid-year",
            Code::PathMismatch => "path-mismatch",
            Code::NegativeValue => "negative-value",
            Code::OutOfRange => "out-of-range",
            Code::InvalidUrl => "invalid-url",
            Code::ExceedsTotal => "exceeds-total",
            Code::PartsMismatch => "parts-mismatch",
            Code::ScoreExceedsMax => "score-exceeds-max",
            Code::MissingReport => "missing-report",
            Code::InvalidRubric => "invalid-rubric",
            Code::RubricStepExceedsMax => "rubric-step-exceeds-max",
            Code::UnknownCriterion => "unknown-criterion",
            Code::CriterionExceedsMax => "criterion-exceeds-max",
            Code::ScoreMismatch => "score-mismatch",
            Code::ScoreSumMismatch => "score-sum-mismatch",
            Code::DuplicateReport => "duplicate-report",
            Code::EmptyReport => "empty-report",
            Code::DuplicatePage => "duplicate-page",
            Code::OutsideRoot => "outside-root",
            Code::IgnoredFile => "ignored-file",
            Code::RelativeBaseUrl => "relative-base-url",
            Code::ImportFile => "import-file",
            Code::ImportValue => "import-value",
            Code::UnmappedRow => "unmapped-row",
            Code::MisplacedValue => "misplaced-value",
            Code::FormRowMissing => "form-row-missing",
            Code::FormRowAmbiguous => "form-row-ambiguous",
            Code::DuplicateFormRow => "duplicate-form-row",
            Code::ReportExists => "report-exists",
            Code::Template => "template",
            Code::Io => "io",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Code::ExceedsTotal
            | Code::PartsMismatch
            | Code::ScoreExceedsMax
            | Code::MissingReport
            | Code::RubricStepExceedsMax
            | Code::CriterionExceedsMax
            | Code::ScoreMismatch
            | Code::ScoreSumMismatch
            | Code::EmptyReport
            | Code::IgnoredFile
            | Code::RelativeBaseUrl
            | Code::UnmappedRow
            | Code::MisplacedValue
            | Code::FormRowMissing => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One problem. `file` is relative to the site root, with `/` separators.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub agency: Option<String>,
    pub year: Option<i32>,
    pub indicator: Option<String>,
}

impl Diagnostic {
    pub fn new(
        code: Code,
        file: impl Into<String>,
        pos: Option<Pos>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: code.severity(),
            code,
            message: message.into(),
            file: file.into(),
            line: pos.map(|p| p.line),
            column: pos.map(|p| p.column),
            agency: None,
            year: None,
            indicator: None,
        }
    }

    pub fn agency(mut self, agency: impl Into<String>) -> Self {
        self.agency = Some(agency.into());
        self
    }

    pub fn year(mut self, year: i32) -> Self {
        self.year = Some(year);
        self
    }

    pub fn indicator(mut self, indicator: impl Into<String>) -> Self {
        self.indicator = Some(indicator.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `data/x.yaml:14:19` or `data/x.yaml` when there is no position.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file),
            (Some(l), None) => format!("{}:{l}", self.file),
            _ => self.file.clone(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // For a terminal: a control character of the data never reaches it raw.
        write!(
            f,
            "{sev}[{}]: {}: {}",
            self.code.as_str(),
            crate::clean::for_terminal(&self.location()),
            crate::clean::for_terminal(&self.message)
        )
    }
}

/// All the diagnostics of a run, in a stable order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn errors(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.0.len() - self.errors()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether a run with these diagnostics must fail.
    pub fn fails(&self, strict: bool) -> bool {
        self.errors() > 0 || (strict && !self.0.is_empty())
    }

    /// Sorts by file, then position, then code, so that output does not
    /// depend on the order in which files were read.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.code, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
        });
        self.0.dedup();
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.0).unwrap_or_else(|_| "[]".to_string())
    }
}
