//! What the one-thread benchmarks `contexts` and `templates` share: the
//! site they load from the command line (`SITE_ROOT [RUNS]`), its theme's
//! strings, and the best time of each kind of work over the rounds.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use minhbach::model::Model;
use minhbach::render::Theme;
use minhbach::site;

pub struct Site {
    pub model: Model,
    pub theme: Theme,
    pub runs: usize,
}

/// The site at `SITE_ROOT` (default `.`), its theme and `RUNS` (default
/// 5); exits with the problem when the site or the theme cannot be had.
pub fn load() -> Site {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let (model, diags) = site::check(&root);
    let Some(model) = model else {
        eprintln!("the site has {} errors", diags.errors());
        std::process::exit(1);
    };
    let theme = match Theme::load(&root, &model.input.site.theme) {
        Ok(t) => t,
        Err(d) => {
            eprintln!("{d}");
            std::process::exit(1);
        }
    };
    Site { model, theme, runs }
}

impl Site {
    /// The theme's strings in each of the site's languages.
    pub fn strings(&self) -> BTreeMap<&str, BTreeMap<String, String>> {
        let default = self.model.input.site.language.as_str();
        self.model
            .input
            .site
            .languages
            .iter()
            .map(|l| (l.as_str(), self.theme.strings_for(l, default)))
            .collect()
    }
}

/// The fastest time of each kind of work, and of a whole round, over the
/// rounds.
pub struct Best<'a> {
    by_kind: BTreeMap<&'a str, Duration>,
    total: Duration,
}

impl<'a> Best<'a> {
    pub fn new() -> Best<'a> {
        Best {
            by_kind: BTreeMap::new(),
            total: Duration::MAX,
        }
    }

    /// One round: its time by kind, and in all.
    pub fn round(&mut self, by_kind: BTreeMap<&'a str, Duration>, total: Duration) {
        self.total = self.total.min(total);
        for (k, d) in by_kind {
            let b = self.by_kind.entry(k).or_insert(Duration::MAX);
            *b = (*b).min(d);
        }
    }

    /// Each kind and the total, in milliseconds, the names `width` wide.
    pub fn print(&self, width: usize) {
        for (k, d) in &self.by_kind {
            println!("  {k:<width$} {:8.1} ms", d.as_secs_f64() * 1000.0);
        }
        println!(
            "  {:<width$} {:8.1} ms",
            "total",
            self.total.as_secs_f64() * 1000.0
        );
    }
}
