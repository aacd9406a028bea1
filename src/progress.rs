//! Progress of a build, for people: a bar on a terminal, plain lines
//! otherwise, nothing under `--quiet`. The pipeline only calls the
//! [`Progress`] trait; what is shown is decided here.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// What a stage reports while it runs. Called from many threads.
pub trait Progress: Sync {
    /// A stage starts with `total` steps (0 when it is one step).
    fn stage(&self, _name: &'static str, _total: usize) {}
    /// One step of the current stage is done.
    fn tick(&self) {}
    /// The build is over: clear whatever was drawn.
    fn finish(&self) {}
}

/// Shows nothing.
pub struct Silent;

impl Progress for Silent {}

/// How much the console shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// Progress on stderr: an indicatif bar on a terminal, a line per stage
/// (and per tenth of a long stage under `--verbose`) when not.
pub struct Console {
    verbosity: Verbosity,
    bar: Option<ProgressBar>,
    /// For plain lines: the current stage, its size and its progress.
    plain: Mutex<(&'static str, usize, Instant)>,
    done: AtomicUsize,
}

impl Console {
    pub fn new(verbosity: Verbosity) -> Console {
        let terminal = std::io::stderr().is_terminal();
        let bar = (terminal && verbosity != Verbosity::Quiet).then(|| {
            let style = ProgressStyle::with_template(
                "{prefix:>9} [{bar:30}] {pos}/{len} {wide_msg} {elapsed}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr()).with_style(style)
        });
        Console {
            verbosity,
            bar,
            plain: Mutex::new(("", 0, Instant::now())),
            done: AtomicUsize::new(0),
        }
    }

    /// Prints a line above the bar (or plainly).
    pub fn println(&self, line: &str) {
        match &self.bar {
            Some(b) => b.println(line),
            None => eprintln!("{line}"),
        }
    }
}

impl Progress for Console {
    fn stage(&self, name: &'static str, total: usize) {
        self.done.store(0, Ordering::Relaxed);
        if let Some(b) = &self.bar {
            b.set_prefix(name);
            b.set_length(total.max(1) as u64);
            b.set_position(0);
            return;
        }
        if let Ok(mut p) = self.plain.lock() {
            *p = (name, total, Instant::now());
        }
        if self.verbosity != Verbosity::Quiet {
            if total > 1 {
                eprintln!("{name}: {total} steps");
            } else {
                eprintln!("{name}");
            }
        }
    }

    fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(b) = &self.bar {
            b.inc(1);
            return;
        }
        if self.verbosity == Verbosity::Verbose {
            if let Ok(p) = self.plain.lock() {
                let (name, total, _) = *p;
                let tenth = (total / 10).max(1);
                if total > 0 && (done.is_multiple_of(tenth) || done == total) {
                    eprintln!("{name}: {done}/{total}");
                }
            }
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
