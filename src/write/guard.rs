//! The staging folder is the build's own from its creation to the commit:
//! created once under a name no other build uses, with a lock file inside
//! that the build holds locked (a lock dies with its process, on any
//! machine that shares the kernel, unlike a process id, which another
//! container cannot see). Before the swap the folder's identity and the
//! manifest of what was written are checked: a folder removed or replaced
//! by someone else, or a file missing, fails the build and publishes
//! nothing (CLI-AND-OUTPUT.md 1.1).

use std::collections::HashMap;
use std::fs;
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::{io_err, WriteError};

/// The lock file inside a staging folder; removed just before the swap.
pub const LOCK: &str = ".minhbach-lock";

/// A staging folder held by this build.
pub(super) struct Guard {
    pub(super) dir: PathBuf,
    pub(super) token: String,
    lock: fs::File,
    identity: Identity,
}

/// What tells one folder from another with the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Identity {
    dev: u64,
    ino: u64,
}

#[cfg(unix)]
pub(super) fn identity(meta: &fs::Metadata) -> Identity {
    use std::os::unix::fs::MetadataExt;
    Identity {
        dev: meta.dev(),
        ino: meta.ino(),
    }
}

#[cfg(not(unix))]
pub(super) fn identity(meta: &fs::Metadata) -> Identity {
    // Without inode numbers, the creation time tells folders apart.
    let t = meta
        .created()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64);
    Identity { dev: 0, ino: t }
}

/// A name no other build picks: the process id, the time and random bits.
pub(super) fn new_token() -> String {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    h.write_u128(nanos);
    format!("{:016x}", h.finish())
}

impl Guard {
    /// Creates `<parent>/<prefix><token>` and locks its lock file, after
    /// removing the staging folders of builds that are gone.
    pub(super) fn create(parent: &Path, prefix: &str) -> Result<Guard, WriteError> {
        remove_stale(parent, prefix);
        let token = new_token();
        let dir = parent.join(format!("{prefix}{token}"));
        fs::create_dir(&dir).map_err(|e| io_err(&dir, e))?;
        let path = dir.join(LOCK);
        let mut lock = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| io_err(&path, e))?;
        lock.try_lock().map_err(|e| WriteError {
            path: path.clone(),
            message: format!("cannot lock the staging folder: {e}"),
        })?;
        lock.write_all(format!("{token}\n").as_bytes())
            .map_err(|e| io_err(&path, e))?;
        let identity = identity(&fs::symlink_metadata(&dir).map_err(|e| io_err(&dir, e))?);
        Ok(Guard {
            dir,
            token,
            lock,
            identity,
        })
    }

    /// Whether the folder at the staging path is still the one this build
    /// created (its lock file may be gone after [`Guard::verify`]).
    pub(super) fn is_mine(&self) -> bool {
        fs::symlink_metadata(&self.dir).is_ok_and(|m| m.is_dir() && identity(&m) == self.identity)
    }

    /// Why the staging folder is no longer this build's, if it is not.
    fn lost(&self) -> Option<String> {
        let meta = match fs::symlink_metadata(&self.dir) {
            Ok(m) => m,
            Err(_) => {
                return Some(
                    "was removed during the build (by a clean-up job or another build?)".into(),
                )
            }
        };
        if !meta.is_dir() || identity(&meta) != self.identity {
            return Some("was replaced by another folder during the build".into());
        }
        let path = self.dir.join(LOCK);
        let mine = self.lock.metadata().map(|m| identity(&m)).ok();
        let there = fs::symlink_metadata(&path).map(|m| identity(&m)).ok();
        if mine.is_none() || mine != there {
            return Some("lost its lock file during the build".into());
        }
        let mut text = String::new();
        let same = fs::File::open(&path)
            .and_then(|mut f| f.read_to_string(&mut text))
            .is_ok()
            && text.trim() == self.token;
        (!same).then(|| "has another build's lock file".into())
    }

    /// The error of a write that failed because the folder was lost, else
    /// the write's own error.
    pub(super) fn explain(&self, path: &Path, e: io::Error) -> WriteError {
        match self.lost() {
            Some(why) => self.lost_error(&why),
            None => io_err(path, e),
        }
    }

    fn lost_error(&self, why: &str) -> WriteError {
        WriteError {
            path: self.dir.clone(),
            message: format!("the staging folder {why}; nothing was published"),
        }
    }

    /// Checks, before the swap, that the folder is still this build's and
    /// holds exactly the files of `manifest` (path → size), no more, no
    /// fewer; then removes the lock file, which must not be published.
    ///
    /// The folders are listed in parallel, each file's size read relative
    /// to its folder (`fstatat`, not a walk of the whole path); of several
    /// problems the one of the first path is reported.
    pub(super) fn verify(&self, manifest: &HashMap<String, u64>) -> Result<(), WriteError> {
        if let Some(why) = self.lost() {
            return Err(self.lost_error(&why));
        }
        let found = AtomicUsize::new(0);
        let problems = Mutex::new(Vec::new());
        let check = Check {
            manifest,
            found: &found,
            problems: &problems,
        };
        rayon::scope(|s| check.folder(s, self.dir.clone(), String::new()));
        let mut problems = problems.into_inner().unwrap_or_else(|e| e.into_inner());
        if let Some(first) = problems.iter().min_by(|a, b| a.path.cmp(&b.path)) {
            return Err(WriteError {
                path: first.path.clone(),
                message: first.message.clone(),
            });
        }
        problems.clear();
        let found = found.into_inner();
        if found != manifest.len() {
            // The first missing path, whatever the map's order.
            let missing = manifest
                .keys()
                .filter(|rel| !super::join_rel(&self.dir, rel).is_file())
                .min()
                .cloned()
                .unwrap_or_default();
            return Err(WriteError {
                path: super::join_rel(&self.dir, &missing),
                message: format!(
                    "{} of the {} files this build wrote are missing from its staging folder; nothing was published",
                    manifest.len() - found,
                    manifest.len()
                ),
            });
        }
        let path = self.dir.join(LOCK);
        fs::remove_file(&path).map_err(|e| io_err(&path, e))
    }
}

/// What [`Guard::verify`] shares between the folders it lists.
struct Check<'a> {
    manifest: &'a HashMap<String, u64>,
    found: &'a AtomicUsize,
    problems: &'a Mutex<Vec<WriteError>>,
}

impl<'a> Check<'a> {
    fn problem(&self, path: PathBuf, message: impl Into<String>) {
        self.problems
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(WriteError {
                path,
                message: message.into(),
            });
    }

    /// Checks the files of the folder `dir` (`rel` below the staging
    /// folder, empty at its top) and hands each subfolder to the pool.
    fn folder<'s>(&'s self, s: &rayon::Scope<'s>, dir: PathBuf, rel: String) {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                return self.problem(dir, format!("cannot list the staging folder: {e}"));
            }
        };
        let mut found = 0;
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    self.problem(dir.clone(), format!("cannot list the staging folder: {e}"));
                    continue;
                }
            };
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let mut child = String::with_capacity(rel.len() + 1 + name.len());
            if !rel.is_empty() {
                child.push_str(&rel);
                child.push('/');
            }
            child.push_str(&name);
            let file_type = entry.file_type();
            if file_type.as_ref().is_ok_and(|t| t.is_dir()) {
                s.spawn(move |s| self.folder(s, entry.path(), child));
                continue;
            }
            if child == LOCK {
                continue;
            }
            let is_file = file_type.is_ok_and(|t| t.is_file());
            // Relative to the folder already open: no walk of the path.
            let size = entry.metadata().map(|m| m.len()).ok();
            match self.manifest.get(&child) {
                Some(&expected) if is_file && size == Some(expected) => found += 1,
                Some(_) => self.problem(
                    entry.path(),
                    "is not the file this build wrote (changed during the build); nothing was published",
                ),
                None => self.problem(
                    entry.path(),
                    "was not written by this build (someone else writes into its staging folder); nothing was published",
                ),
            }
        }
        self.found.fetch_add(found, Ordering::Relaxed);
    }
}

/// Removes the staging folders (and the set-aside outputs) of builds that
/// are gone: a lock file nobody holds, or none at all in a folder older
/// than an hour (a build killed between creating the folder and its lock).
fn remove_stale(parent: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(prefix) else {
            continue;
        };
        let path = e.path();
        if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        let stale = if let Some(token) = rest.strip_suffix(".old") {
            // The old output set aside by a swap: stale once its build's
            // staging folder is gone.
            !parent.join(format!("{prefix}{token}")).exists()
        } else {
            match fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(path.join(LOCK))
            {
                Ok(f) => f.try_lock().is_ok(),
                Err(_) => fs::symlink_metadata(&path)
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age.as_secs() > 3600),
            }
        };
        if stale {
            let _ = super::swap::remove_tree(&path);
        }
    }
}
