//! A stable fuzzer for load + validate + model: mutates the fixtures'
//! reports and agencies.yaml and checks that every input becomes
//! diagnostics, never a panic. Run by `fuzz/run.sh SECONDS`.
//!
//! `cargo run --example fuzz_input -- SECONDS [SEED]`: runs for SECONDS,
//! prints the number of inputs tried and writes each input that panicked
//! to `fuzz/crashes/`; exits 1 when one did.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use minhbach::load::{self, FileKind, Loaded};
use minhbach::{model, validate};

/// xorshift64*: deterministic for a seed, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Tokens that YAML, the validators and the text checks react to.
const TOKENS: &[&str] = &[
    "\n",
    " ",
    ":",
    ": ",
    "- ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "\"",
    "'",
    "#",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!binary ",
    "!!str ",
    "!!int ",
    "~",
    "null",
    "có",
    "không",
    "true",
    "1.500",
    "850.000",
    "1,5",
    "-1",
    "0",
    "1e400",
    "-0.0",
    ".nan",
    ".inf",
    "9223372036854775808",
    "99999999999999999999",
    "2147483648",
    "value: ",
    "max: ",
    "position: ",
    "of: ",
    "values:\n  ",
    "period: [2022-01-01, 2023-12-31]",
    "period: ",
    "2022-02-30",
    "score: ",
    "rank: ",
    "evidence: ",
    "notes: |\n  ",
    "\u{202e}",
    "\u{1b}[2J",
    "\u{0}",
    "\u{c}",
    "\u{feff}",
    "o\u{31b}\u{309}",
    "\u{fffe}",
    "ở",
    "𝔘",
    "\t",
    "\r\n",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "? ",
    "| ",
    "> ",
    "name: ",
    "cohort: ",
    "cohorts: ",
    "agencies: ",
    "short: ",
    "vi: ",
    "en: ",
    "dossiers_total",
    "dossiers_online",
    "budget_dx_vnd",
    "has_cio",
    "so-noi-vu",
    "so-tu-phap",
];

fn mutate(rng: &mut Rng, seed: &str, other: &str) -> String {
    let mut bytes = seed.as_bytes().to_vec();
    for _ in 0..1 + rng.below(6) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(7) {
            0 | 1 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                bytes.splice(at..at, t.iter().copied());
            }
            2 => {
                let end = (at + rng.below(16)).min(bytes.len());
                bytes.drain(at..end);
            }
            3 => {
                if at < bytes.len() {
                    bytes[at] = (rng.next() & 0x7f) as u8;
                }
            }
            4 => {
                let end = (at + rng.below(64)).min(bytes.len());
                let piece = bytes[at..end].to_vec();
                let to = rng.below(bytes.len() + 1);
                bytes.splice(to..to, piece);
            }
            5 => {
                let o = other.as_bytes();
                let from = rng.below(o.len() + 1);
                let end = (from + rng.below(80)).min(o.len());
                bytes.splice(at..at, o[from..end].iter().copied());
            }
            _ => {
                // A line indented or dedented.
                let line = bytes[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
                if rng.below(2) == 0 {
                    bytes.splice(line..line, *b"  ");
                } else if bytes.get(line) == Some(&b' ') {
                    bytes.remove(line);
                }
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn seeds(dir: &Path) -> (Vec<String>, Vec<String>) {
    let mut reports = Vec::new();
    let mut agencies = Vec::new();
    for e in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "yaml") {
            let Ok(text) = std::fs::read_to_string(p) else {
                continue;
            };
            if p.ends_with("agencies.yaml") {
                agencies.push(text);
            } else if p.to_string_lossy().contains("/reports/") {
                reports.push(text);
            }
        }
    }
    (reports, agencies)
}

/// One run of load + validate + model over a site of one report.
fn run(site: &str, agencies: &str, report: &str, report_name: &str) {
    let files = vec![
        load::parse_source("site.yaml".into(), FileKind::Site, site),
        load::parse_source("data/agencies.yaml".into(), FileKind::Agencies, agencies),
        load::parse_source(
            format!("data/reports/2022/{report_name}.yaml"),
            FileKind::Report {
                year_dir: "2022".into(),
                stem: report_name.into(),
            },
            report,
        ),
    ];
    let loaded = Loaded {
        root: PathBuf::from("fuzz-root"),
        files,
        deferred: Vec::new(),
    };
    let (input, diags) = validate::validate(&loaded);
    let _ = diags.to_json();
    if let Some(input) = input {
        let _ = model::build(input);
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let secs: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(60);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0x5eed);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixtures = root.join("tests/fixtures");
    let (reports, agencies) = seeds(&fixtures);
    let site = std::fs::read_to_string(fixtures.join("good-minimal/site.yaml"))
        .expect("tests/fixtures/good-minimal/site.yaml");
    let good_agencies = std::fs::read_to_string(fixtures.join("good-minimal/data/agencies.yaml"))
        .expect("tests/fixtures/good-minimal/data/agencies.yaml");
    assert!(!reports.is_empty() && !agencies.is_empty(), "no seeds");
    let crashes = root.join("fuzz/crashes");
    // Panics are caught and saved; their messages would flood the output.
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(seed | 1);
    let deadline = Instant::now() + Duration::from_secs(secs);
    let (mut tried, mut panics) = (0u64, 0u64);
    while Instant::now() < deadline {
        let r = &reports[rng.below(reports.len())];
        let other = &reports[rng.below(reports.len())];
        let a = &agencies[rng.below(agencies.len())];
        let (agencies_text, report_text) = match rng.below(3) {
            0 => (mutate(&mut rng, a, &good_agencies), r.clone()),
            1 => (good_agencies.clone(), mutate(&mut rng, r, other)),
            _ => (mutate(&mut rng, a, other), mutate(&mut rng, r, other)),
        };
        let name = if rng.below(4) == 0 {
            "so-khong-co"
        } else {
            "so-noi-vu"
        };
        tried += 1;
        let outcome = std::panic::catch_unwind(|| run(&site, &agencies_text, &report_text, name));
        if outcome.is_err() {
            panics += 1;
            let _ = std::fs::create_dir_all(&crashes);
            let file = crashes.join(format!("crash-{seed}-{tried}.txt"));
            let text =
                format!("# agencies.yaml\n{agencies_text}\n# report {name}.yaml\n{report_text}");
            let _ = std::fs::write(&file, text);
            eprintln!("panic: input saved to {}", file.display());
        }
    }
    println!("fuzz_input: {tried} inputs in {secs} s (seed {seed}), {panics} panics");
    if panics > 0 {
        std::process::exit(1);
    }
}
