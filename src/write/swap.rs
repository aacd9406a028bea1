//! Publishing a verified staging folder, keeping the output's identity
//! (CLI-AND-OUTPUT.md 1.1):
//!
//! - no output yet: the staging folder becomes it;
//! - a symbolic link: the new build goes beside the link's target and the
//!   link is switched to it in one step (a new link renamed over it);
//! - a plain folder: swapped with the staging folder, then given the old
//!   one's owner and mode;
//! - a mount point, a folder holding one, or a folder that cannot be
//!   renamed: its contents are replaced file by file, each file atomically
//!   (written beside, renamed over), stale files removed last.
//!
//! `.git` and the `keep:` paths are carried over every time; nothing is
//! ever deleted across a mount point. Once the new site is live, a failure
//! to tidy up is a note, never an error: the report tells the truth.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::guard::{identity, new_token, LOCK};
use super::{io_err, join_rel, rel_string, WriteError, MARKER};

/// What a commit did, for the build's summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Published {
    /// How the output was replaced: "created", "swapped", "link switched",
    /// "replaced in place".
    pub how: &'static str,
    /// Things left to tidy up; the new site is live regardless.
    pub notes: Vec<String>,
}

/// The paths of the output that survive every build: `.git` and `keep`.
fn carried(keep: &[String]) -> Vec<String> {
    let mut all: Vec<String> = std::iter::once(".git".to_string())
        .chain(keep.iter().cloned())
        .collect();
    all.sort();
    all.dedup();
    all
}

/// Whether `rel` is one of `kept` or inside one.
fn is_kept(rel: &str, kept: &[String]) -> bool {
    kept.iter().any(|k| {
        rel == k
            || rel
                .strip_prefix(k.as_str())
                .is_some_and(|r| r.starts_with('/'))
    })
}

/// Where the staging folder goes: beside the output, or beside the target
/// of an output that is a symbolic link (so that the new build can take
/// the target's place by a rename).
pub(super) fn staging_parent(output: &Path) -> PathBuf {
    let beside = |p: &Path| match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if output.is_symlink() {
        if let Ok(target) = output.canonicalize() {
            if target.is_dir() {
                return beside(&target);
            }
        }
    }
    beside(output)
}

/// Publishes `staging` (verified, lock removed) as `output`.
pub(super) fn publish(
    staging: &Path,
    output: &Path,
    keep: &[String],
) -> Result<Published, WriteError> {
    let kept = carried(keep);
    let meta = match fs::symlink_metadata(output) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::rename(staging, output).map_err(|e| io_err(output, e))?;
            return Ok(Published {
                how: "created",
                notes: Vec::new(),
            });
        }
        Err(e) => return Err(io_err(output, e)),
    };
    if meta.file_type().is_symlink() {
        return switch_link(staging, output, &kept);
    }
    if is_mount_point(output) || holds_mount_point(output) {
        return in_place(staging, output, &kept);
    }
    match swap_folder(staging, output, &kept) {
        Ok(p) => Ok(p),
        // The folder itself cannot be replaced (busy, a bind mount the
        // system did not show as one, no right to rename it): replace its
        // contents instead. Nothing was changed yet.
        Err(Untouched(_)) => in_place(staging, output, &kept),
    }
}

/// A failure of [`swap_folder`] before anything was changed.
struct Untouched(#[allow(dead_code)] WriteError);

fn owner_and_mode(to: &Path, like: &fs::Metadata) -> Option<String> {
    if let Err(e) = fs::set_permissions(to, like.permissions()) {
        return Some(format!(
            "could not give {} the mode of the old output: {e}",
            to.display()
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let now = fs::symlink_metadata(to).ok()?;
        if (now.uid(), now.gid()) != (like.uid(), like.gid()) {
            if let Err(e) = std::os::unix::fs::chown(to, Some(like.uid()), Some(like.gid())) {
                return Some(format!(
                    "could not give {} the owner of the old output ({}:{}): {e}",
                    to.display(),
                    like.uid(),
                    like.gid()
                ));
            }
        }
    }
    None
}

/// Moves the carried paths of `from` into `to` (same file system); returns
/// what was moved, to move back on failure.
fn carry(
    from: &Path,
    to: &Path,
    kept: &[String],
) -> Result<Vec<String>, (Vec<String>, WriteError)> {
    let mut moved = Vec::new();
    for rel in kept {
        let src = join_rel(from, rel);
        if fs::symlink_metadata(&src).is_err() {
            continue;
        }
        let dst = join_rel(to, rel);
        let step = (|| -> io::Result<()> {
            if fs::symlink_metadata(&dst).is_ok() {
                // The user's file wins over one the build wrote.
                remove_tree(&dst)?;
            }
            if let Some(p) = dst.parent() {
                fs::create_dir_all(p)?;
            }
            fs::rename(&src, &dst)
        })();
        match step {
            Ok(()) => moved.push(rel.clone()),
            Err(e) => return Err((moved, io_err(&src, e))),
        }
    }
    Ok(moved)
}

fn carry_back(from: &Path, to: &Path, moved: &[String]) {
    for rel in moved {
        let _ = fs::rename(join_rel(from, rel), join_rel(to, rel));
    }
}

/// A plain folder on the same file system: swapped in two renames.
fn swap_folder(staging: &Path, output: &Path, kept: &[String]) -> Result<Published, Untouched> {
    let meta = fs::metadata(output).map_err(|e| Untouched(io_err(output, e)))?;
    let moved = carry(output, staging, kept).map_err(|(moved, e)| {
        carry_back(staging, output, &moved);
        Untouched(e)
    })?;
    let old = sibling(staging, ".old");
    if let Err(e) = fs::rename(output, &old) {
        carry_back(staging, output, &moved);
        return Err(Untouched(io_err(output, e)));
    }
    if let Err(e) = fs::rename(staging, output) {
        let _ = fs::rename(&old, output);
        carry_back(staging, output, &moved);
        return Err(Untouched(io_err(output, e)));
    }
    let mut notes: Vec<String> = owner_and_mode(output, &meta).into_iter().collect();
    if let Err(e) = remove_tree(&old) {
        notes.push(format!(
            "the new site is live, but the previous one could not be removed from {}: {e}; remove it yourself",
            old.display()
        ));
    }
    Ok(Published {
        how: "swapped",
        notes,
    })
}

/// `<dir><suffix>` beside `dir`.
fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.with_file_name(format!("{name}{suffix}"))
}

/// The suffix of a build's folder behind a link: `.mb-<16 hex digits>`.
fn release_name(target_name: &str, token: &str) -> String {
    let base = match target_name.rsplit_once(".mb-") {
        Some((b, t)) if t.len() == 16 && t.chars().all(|c| c.is_ascii_hexdigit()) => b,
        _ => target_name,
    };
    format!("{base}.mb-{token}")
}

/// An output that is a symbolic link: the staging folder (beside the
/// link's target) becomes a new folder there, and the link is switched to
/// it in one rename. The old target is removed after.
fn switch_link(staging: &Path, output: &Path, kept: &[String]) -> Result<Published, WriteError> {
    let text = fs::read_link(output).map_err(|e| io_err(output, e))?;
    let target = output.canonicalize().map_err(|e| io_err(output, e))?;
    let meta = fs::metadata(&target).map_err(|e| io_err(&target, e))?;
    let token = new_token();
    let name = release_name(
        &target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        &token,
    );
    let release = target.with_file_name(&name);
    if fs::rename(staging, &release).is_err() {
        // Not on the target's file system: fill the target in place.
        return in_place(staging, &target, kept);
    }
    let undo = |moved: &[String]| {
        carry_back(&release, &target, moved);
        let _ = fs::rename(&release, staging);
    };
    let moved = match carry(&target, &release, kept) {
        Ok(m) => m,
        Err((moved, e)) => {
            undo(&moved);
            return Err(e);
        }
    };
    let new_text = match text.parent() {
        Some(p) if text.is_relative() => p.join(&name),
        _ => release.clone(),
    };
    let link_name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = output.with_file_name(format!(".{link_name}.mb-link-{token}"));
    let switched = symlink_dir(&new_text, &temp).and_then(|()| fs::rename(&temp, output));
    if let Err(e) = switched {
        let _ = fs::remove_file(&temp);
        undo(&moved);
        return Err(io_err(output, e));
    }
    let mut notes: Vec<String> = owner_and_mode(&release, &meta).into_iter().collect();
    if target.join(MARKER).is_file() {
        if let Err(e) = remove_tree(&target) {
            notes.push(format!(
                "{} now points to {}; the previous build could not be removed from {}: {e}; remove it yourself",
                output.display(),
                release.display(),
                target.display()
            ));
        }
    } else {
        // The target was an empty folder of the user's: left as it was.
        let _ = fs::remove_dir(&target);
    }
    Ok(Published {
        how: "link switched",
        notes,
    })
}

#[cfg(unix)]
fn symlink_dir(text: &Path, at: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(text, at)
}

#[cfg(windows)]
fn symlink_dir(text: &Path, at: &Path) -> io::Result<()> {
    std::os::windows::fs::symlink_dir(text, at)
}

/// Whether `dir` is a mount point: on another device than its parent, or
/// the root of its file system.
fn is_mount_point(dir: &Path) -> bool {
    let Ok(meta) = fs::symlink_metadata(dir) else {
        return false;
    };
    let Ok(abs) = dir.canonicalize() else {
        return false;
    };
    match abs.parent().map(fs::symlink_metadata) {
        Some(Ok(parent)) => {
            let (a, b) = (identity(&meta), identity(&parent));
            device(&meta) != device(&parent) || a == b
        }
        _ => true,
    }
}

#[cfg(unix)]
fn device(meta: &fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    meta.dev()
}

#[cfg(not(unix))]
fn device(_meta: &fs::Metadata) -> u64 {
    0
}

/// Whether a folder below `dir` is on another device (a mount point).
fn holds_mount_point(dir: &Path) -> bool {
    let Ok(meta) = fs::symlink_metadata(dir) else {
        return false;
    };
    let dev = device(&meta);
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .any(|e| e.metadata().is_ok_and(|m| device(&m) != dev))
}

/// Removes `path` and everything below it, never across a mount point: a
/// folder on another device is left (an error names it) and so are the
/// folders above it.
pub(super) fn remove_tree(path: &Path) -> io::Result<()> {
    let meta = fs::symlink_metadata(path)?;
    if !meta.is_dir() {
        return fs::remove_file(path);
    }
    let dev = device(&meta);
    let mut blocked: Option<PathBuf> = None;
    remove_below(path, dev, &mut blocked)?;
    match blocked {
        Some(m) => Err(io::Error::other(format!(
            "{} is a mount point, never deleted across",
            m.display()
        ))),
        None => fs::remove_dir(path),
    }
}

/// Removes what `dir` holds; returns whether it is now empty.
fn remove_below(dir: &Path, dev: u64, blocked: &mut Option<PathBuf>) -> io::Result<bool> {
    let mut empty = true;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let meta = fs::symlink_metadata(&path)?;
        if meta.is_dir() {
            if device(&meta) != dev {
                blocked.get_or_insert(path);
                empty = false;
                continue;
            }
            if remove_below(&path, dev, blocked)? {
                fs::remove_dir(&path)?;
            } else {
                empty = false;
            }
        } else {
            fs::remove_file(&path)?;
        }
    }
    Ok(empty)
}

/// Replaces the contents of `output` by those of `staging`, file by file:
/// each written beside its place and renamed over it, folders first, stale
/// files last; carried paths and whatever is across a mount point stay.
pub(super) fn in_place(
    staging: &Path,
    output: &Path,
    kept: &[String],
) -> Result<Published, WriteError> {
    let dev = fs::symlink_metadata(output)
        .map(|m| device(&m))
        .map_err(|e| io_err(output, e))?;
    let token = new_token();
    let mut new: BTreeSet<String> = BTreeSet::new();
    let entries: Vec<(String, bool)> = walkdir::WalkDir::new(staging)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let rel = e.path().strip_prefix(staging).ok().map(rel_string)?;
            Some((rel, e.file_type().is_dir()))
        })
        .filter(|(rel, _)| rel != LOCK && !is_kept(rel, kept))
        .collect();
    let total = entries.iter().filter(|(_, d)| !d).count();
    let mut done = 0usize;
    let partly = |done: usize, e: WriteError| WriteError {
        path: e.path,
        message: format!(
            "{}; {} was partly replaced ({done} of {total} files); build again to finish",
            e.message,
            output.display()
        ),
    };
    for (rel, is_dir) in &entries {
        new.insert(rel.clone());
        let dst = join_rel(output, rel);
        let existing = fs::symlink_metadata(&dst).ok();
        if *is_dir {
            match existing {
                Some(m) if m.is_dir() => {}
                Some(_) => {
                    fs::remove_file(&dst)
                        .and_then(|()| fs::create_dir(&dst))
                        .map_err(|e| partly(done, io_err(&dst, e)))?;
                }
                None => fs::create_dir(&dst).map_err(|e| partly(done, io_err(&dst, e)))?,
            }
            continue;
        }
        if existing.as_ref().is_some_and(|m| m.is_dir()) {
            remove_tree(&dst).map_err(|e| partly(done, io_err(&dst, e)))?;
        }
        let src = join_rel(staging, rel);
        let name = dst
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = dst.with_file_name(format!(".{name}.mb-tmp-{token}"));
        let step = fs::copy(&src, &temp).and_then(|_| fs::rename(&temp, &dst));
        if let Err(e) = step {
            let _ = fs::remove_file(&temp);
            return Err(partly(done, io_err(&dst, e)));
        }
        done += 1;
    }
    // Stale files last, deepest first; never across a mount point.
    let mut notes = Vec::new();
    let mut stale: Vec<(PathBuf, bool)> = Vec::new();
    let walk = walkdir::WalkDir::new(output)
        .min_depth(1)
        .same_file_system(true)
        .contents_first(true);
    for entry in walk {
        let Ok(entry) = entry else { continue };
        let Some(rel) = entry.path().strip_prefix(output).ok().map(rel_string) else {
            continue;
        };
        if new.contains(&rel) || is_kept(&rel, kept) {
            continue;
        }
        let is_dir = entry.file_type().is_dir();
        if is_dir && entry.metadata().is_ok_and(|m| device(&m) != dev) {
            continue;
        }
        stale.push((entry.path().to_path_buf(), is_dir));
    }
    for (path, is_dir) in stale {
        let result = if is_dir {
            // Only once empty: a folder that holds a mount point or a kept
            // path stays.
            match fs::remove_dir(&path) {
                Err(_) => continue,
                ok => ok,
            }
        } else {
            fs::remove_file(&path)
        };
        if let Err(e) = result {
            notes.push(format!(
                "the new site is live, but the stale {} could not be removed: {e}",
                path.display()
            ));
        }
    }
    if let Err(e) = remove_tree(staging) {
        notes.push(format!(
            "the staging folder {} could not be removed: {e}",
            staging.display()
        ));
    }
    Ok(Published {
        how: "replaced in place",
        notes,
    })
}
