//! Write: files go to a staging folder beside the output and replace it
//! only when everything succeeded and is verified in place (`guard.rs`:
//! the folder is the build's own, every file of its manifest is there).
//! A failed build leaves the output as it was; a folder that minhbach did
//! not create is never deleted unless it is empty. How the output is
//! replaced, keeping its identity (a link stays a link, a mount point is
//! filled in place, `.git` and `keep:` survive), is `swap.rs`.
//!
//! A page or chart that the previous output already has, byte for byte, is
//! linked into the staging folder rather than written again (where the
//! system has hard links): a rebuild writes only what changed, unchanged
//! files keep their time stamps (a copy to the web server by `rsync` sends
//! only the changes), and replacing the old output frees only what changed.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

mod guard;
mod minify;
mod swap;

pub use guard::LOCK;
pub use minify::minify;
pub use swap::Published;

/// The file that marks an output folder as written by minhbach.
pub const MARKER: &str = ".minhbach-output";
const MARKER_TEXT: &str = "This folder is written by `minhbach build` and replaced whole on every build.\nDo not keep your own files here.\n";

#[derive(Debug)]
pub struct WriteError {
    pub path: PathBuf,
    pub message: String,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for WriteError {}

fn io_err(path: &Path, e: io::Error) -> WriteError {
    WriteError {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Whether `output` may be replaced: absent, empty, or marked as ours.
pub fn check_output(output: &Path) -> Result<(), WriteError> {
    check_output_keeping(output, &[])
}

/// Like [`check_output`]; a folder that holds only `.git` and `keep` paths
/// (a fresh gh-pages worktree with its CNAME) counts as empty.
pub fn check_output_keeping(output: &Path, keep: &[String]) -> Result<(), WriteError> {
    if fs::symlink_metadata(output).is_err() {
        return Ok(());
    }
    if !output.is_dir() {
        return Err(WriteError {
            path: output.to_path_buf(),
            message: "exists and is not a folder; choose another --output".to_string(),
        });
    }
    if output.join(MARKER).is_file() {
        return Ok(());
    }
    let mut entries = fs::read_dir(output).map_err(|e| io_err(output, e))?;
    let empty = entries.all(|e| {
        e.is_ok_and(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name == ".git" || keep.iter().any(|k| k == &name)
        })
    });
    if empty {
        Ok(())
    } else {
        Err(WriteError {
            path: output.to_path_buf(),
            message: format!(
                "this folder was not created by minhbach (it has no {MARKER} file) and is not empty; \
                 minhbach will not delete it: choose another --output or empty it yourself"
            ),
        })
    }
}

/// What a file streamed with [`Sink::put_with`] came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// In bytes.
    pub size: u64,
    /// SHA-256, lower-case hex.
    pub sha256: String,
}

impl Written {
    /// The size and SHA-256 of `bytes`.
    pub fn of(bytes: &[u8]) -> Written {
        Written {
            size: bytes.len() as u64,
            sha256: hex(&Sha256::digest(bytes)),
        }
    }
}

/// Lower-case hex of some bytes.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// What a streamed file is written with: any writer that may cross threads
/// (the workbook library asks for `Send`).
pub type Out<'a> = dyn Write + Send + 'a;

/// Writes the content of a streamed file; an error aborts the file.
pub type Producer<'a> = dyn FnMut(&mut Out<'_>) -> io::Result<()> + 'a;

/// Streamed files up to this size are held whole before they are written.
const SMALL: usize = 1024 * 1024;

/// A streamed file: in memory up to [`SMALL`] bytes, then in its file.
struct Spill<'a> {
    path: &'a Path,
    small: Vec<u8>,
    file: Option<BufWriter<Hashing<fs::File>>>,
}

impl Write for Spill<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(out) = &mut self.file {
            return out.write(buf);
        }
        if self.small.len() + buf.len() <= SMALL {
            self.small.extend_from_slice(buf);
            return Ok(buf.len());
        }
        let mut out = BufWriter::with_capacity(
            STREAM_BUFFER,
            Hashing {
                inner: fs::File::create(self.path)?,
                hasher: Sha256::new(),
                size: 0,
            },
        );
        out.write_all(&std::mem::take(&mut self.small))?;
        let n = out.write(buf)?;
        self.file = Some(out);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), Write::flush)
    }
}

/// A writer that counts and hashes what goes through it.
struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    size: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The buffer between a producer and a file: large writes go through to
/// the hash and the file in big pieces.
const STREAM_BUFFER: usize = 64 * 1024;

/// Where the files of a site go: a staging folder for `build`, memory for
/// `serve`. `rel` is `/`-separated, relative to the output root.
pub trait Sink: Sync {
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), WriteError>;

    /// Writes a file as `write` produces it, without holding it whole in
    /// memory (for files on disk, past 1 MiB): the bytes go through a
    /// buffer that counts and hashes them. Returns the size and SHA-256 of
    /// what was written.
    fn put_with(&self, rel: &str, write: &mut Producer<'_>) -> Result<Written, WriteError>;

    /// Streams the bytes written at `rel` into `out`; returns how many.
    fn copy_to(&self, rel: &str, out: &mut dyn Write) -> Result<u64, WriteError>;

    /// A rendered page as it is to be written: minified.
    fn prepare_html(&self, html: &str) -> Vec<u8> {
        minify(html.as_bytes())
    }

    /// Writes an HTML page, minified.
    fn put_html(&self, rel: &str, html: &str) -> Result<(), WriteError> {
        self.put(rel, &self.prepare_html(html))
    }

    /// The bytes written at `rel`.
    fn read(&self, rel: &str) -> Result<Vec<u8>, WriteError>;
}

/// Called after each file a [`Staging`] writes, with its folder and the
/// number of files written so far: lets tests act mid-build (remove the
/// folder, replace it) at a chosen point, without sleeping.
pub type WriteHook = dyn Fn(&Path, usize) + Send + Sync;

/// A staging folder being filled. Dropped without [`Staging::commit`], it
/// removes itself and the output stays untouched.
pub struct Staging {
    guard: guard::Guard,
    dir: PathBuf,
    output: PathBuf,
    /// The output of the previous build, whose unchanged files are reused.
    previous: Option<PathBuf>,
    minify: bool,
    keep: Vec<String>,
    files: AtomicUsize,
    bytes: AtomicU64,
    /// Every file written: path → size, checked before the swap.
    manifest: Mutex<HashMap<String, u64>>,
    /// The folders this build has made below the staging folder: one
    /// `mkdir` per folder, not one (and a `stat`) per file.
    made: Mutex<HashSet<PathBuf>>,
    hook: Option<Box<WriteHook>>,
    committed: bool,
}

impl Staging {
    /// Creates `.<name>.staging-<token>` beside the output (beside its
    /// target when the output is a symbolic link), locked by this build.
    pub fn new(output: &Path, minify: bool) -> Result<Staging, WriteError> {
        Staging::keeping(output, minify, &[])
    }

    /// Like [`Staging::new`], carrying the `keep` paths of the output (and
    /// its `.git`) over to the new one at the commit.
    pub fn keeping(output: &Path, minify: bool, keep: &[String]) -> Result<Staging, WriteError> {
        check_output_keeping(output, keep)?;
        let parent = swap::staging_parent(output);
        fs::create_dir_all(&parent).map_err(|e| io_err(&parent, e))?;
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_string());
        let guard = guard::Guard::create(&parent, &format!(".{name}.staging-"))?;
        let dir = guard.dir.clone();
        let previous = output.join(MARKER).is_file().then(|| output.to_path_buf());
        let staging = Staging {
            guard,
            dir,
            output: output.to_path_buf(),
            previous,
            minify,
            keep: keep.to_vec(),
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            manifest: Mutex::new(HashMap::new()),
            made: Mutex::new(HashSet::new()),
            hook: None,
            committed: false,
        };
        staging.put(MARKER, MARKER_TEXT.as_bytes())?;
        Ok(staging)
    }

    /// Sets the hook called after each file is written.
    pub fn set_hook(&mut self, hook: Box<WriteHook>) {
        self.hook = Some(hook);
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path_of(&self, rel: &str) -> Result<PathBuf, WriteError> {
        safe_rel(rel)?;
        Ok(join_rel(&self.dir, rel))
    }

    /// Creates the folders of `path` below the staging folder, never the
    /// staging folder itself: if it is gone, the build fails.
    fn make_parents(&self, path: &Path) -> Result<(), WriteError> {
        let Some(parent) = path.parent() else {
            return Ok(());
        };
        if parent == self.dir || self.made().contains(parent) {
            return Ok(());
        }
        match fs::create_dir(parent) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && parent.is_dir() => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.make_parents(parent)?;
                match fs::create_dir(parent) {
                    Err(e) if e.kind() != io::ErrorKind::AlreadyExists => {
                        return Err(self.guard.explain(parent, e));
                    }
                    _ => {}
                }
            }
            Err(e) => return Err(self.guard.explain(parent, e)),
        }
        self.made().insert(parent.to_path_buf());
        Ok(())
    }

    fn made(&self) -> std::sync::MutexGuard<'_, HashSet<PathBuf>> {
        self.made.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records a written file in the manifest and calls the hook.
    fn wrote(&self, rel: &str, size: u64) {
        let count = {
            let mut m = self.manifest.lock().unwrap_or_else(|e| e.into_inner());
            m.insert(rel.to_string(), size);
            m.len()
        };
        if let Some(hook) = &self.hook {
            hook(&self.dir, count);
        }
    }

    /// Links the previous output's `rel` to `path` if it holds exactly
    /// `bytes`. Only a plain file with no other name is reused, so that the
    /// new output never shares a file with anything but the old output,
    /// which is deleted at the commit. Any failure means "write it".
    fn reuse(&self, rel: &str, path: &Path, bytes: &[u8]) -> bool {
        let Some(previous) = &self.previous else {
            return false;
        };
        let old = join_rel(previous, rel);
        let Ok(meta) = fs::symlink_metadata(&old) else {
            return false;
        };
        if !meta.is_file() || meta.len() != bytes.len() as u64 || !single_link(&meta) {
            return false;
        }
        fs::read(&old).is_ok_and(|b| b == bytes) && fs::hard_link(&old, path).is_ok()
    }

    /// Puts `bytes` at `path`: a link to the previous output's file if it
    /// holds the same bytes, else a new file.
    fn store(&self, rel: &str, path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
        if !self.reuse(rel, path, bytes) {
            self.unlink_earlier(path)?;
            fs::write(path, bytes).map_err(|e| self.guard.explain(path, e))?;
        }
        Ok(())
    }

    /// A file written twice in one build may be a link into the previous
    /// output: remove it rather than write through it into the live site.
    fn unlink_earlier(&self, path: &Path) -> Result<(), WriteError> {
        if self.previous.is_none() {
            return Ok(());
        }
        match fs::remove_file(path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(io_err(path, e)),
            _ => Ok(()),
        }
    }

    pub fn files(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Verifies the staging folder against the manifest, then replaces the
    /// output with it, keeping the output's identity. Once this returns
    /// `Ok`, the new site is live; its notes say what was left to tidy up.
    pub fn commit(mut self) -> Result<Published, WriteError> {
        check_output_keeping(&self.output, &self.keep)?;
        let manifest =
            std::mem::take(&mut *self.manifest.lock().unwrap_or_else(|e| e.into_inner()));
        self.guard.verify(&manifest)?;
        let published = swap::publish(&self.dir, &self.output, &self.keep)?;
        self.committed = true;
        Ok(published)
    }
}

/// A path below a folder, `/`-separated.
fn rel_string(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn join_rel(base: &Path, rel: &str) -> PathBuf {
    let mut path = base.to_path_buf();
    for part in rel.split('/') {
        path.push(part);
    }
    path
}

/// Whether a file has one name only. Without hard links (not Unix), no
/// file is reused.
#[cfg(unix)]
fn single_link(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.nlink() == 1
}

#[cfg(not(unix))]
fn single_link(_meta: &fs::Metadata) -> bool {
    false
}

impl Sink for Staging {
    /// Safe to call from many threads.
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let path = self.path_of(rel)?;
        self.make_parents(&path)?;
        self.store(rel, &path, bytes)?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        self.wrote(rel, bytes.len() as u64);
        Ok(())
    }

    /// Small files are held in memory until complete, to be reused like
    /// those of [`Sink::put`]; past [`SMALL`] bytes they go on into the file.
    fn put_with(&self, rel: &str, write: &mut Producer<'_>) -> Result<Written, WriteError> {
        let path = self.path_of(rel)?;
        self.make_parents(&path)?;
        self.unlink_earlier(&path)?;
        let mut spill = Spill {
            path: &path,
            small: Vec::new(),
            file: None,
        };
        write(&mut spill).map_err(|e| self.guard.explain(&path, e))?;
        let written = match spill.file {
            None => {
                self.store(rel, &path, &spill.small)?;
                Written::of(&spill.small)
            }
            Some(out) => {
                let hashing = out
                    .into_inner()
                    .map_err(|e| io_err(&path, e.into_error()))?;
                Written {
                    size: hashing.size,
                    sha256: hex(&hashing.hasher.finalize()),
                }
            }
        };
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(written.size, Ordering::Relaxed);
        self.wrote(rel, written.size);
        Ok(written)
    }

    fn copy_to(&self, rel: &str, out: &mut dyn Write) -> Result<u64, WriteError> {
        let path = self.path_of(rel)?;
        let mut file = fs::File::open(&path).map_err(|e| io_err(&path, e))?;
        io::copy(&mut file, out).map_err(|e| io_err(&path, e))
    }

    fn prepare_html(&self, html: &str) -> Vec<u8> {
        if self.minify {
            minify(html.as_bytes())
        } else {
            html.as_bytes().to_vec()
        }
    }

    fn read(&self, rel: &str) -> Result<Vec<u8>, WriteError> {
        let path = self.path_of(rel)?;
        fs::read(&path).map_err(|e| io_err(&path, e))
    }
}

/// A site kept in memory: output path → bytes. What `serve` serves and
/// what incremental rebuilds update. Each file is shared, so that reading
/// one never holds the lock for long.
#[derive(Debug, Default)]
pub struct MemorySite {
    files: Mutex<BTreeMap<String, Arc<Vec<u8>>>>,
}

impl MemorySite {
    pub fn new() -> MemorySite {
        MemorySite::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Arc<Vec<u8>>>> {
        // A panic while holding the lock leaves a map that is still whole.
        self.files.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn shared(&self, rel: &str) -> Option<Arc<Vec<u8>>> {
        self.lock().get(rel).cloned()
    }

    pub fn get(&self, rel: &str) -> Option<Vec<u8>> {
        self.shared(rel).map(|b| b.as_ref().clone())
    }

    pub fn remove(&self, rel: &str) -> Option<Vec<u8>> {
        self.lock()
            .remove(rel)
            .map(|b| Arc::try_unwrap(b).unwrap_or_else(|b| b.as_ref().clone()))
    }

    pub fn paths(&self) -> Vec<String> {
        self.lock().keys().cloned().collect()
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    pub fn bytes(&self) -> u64 {
        self.lock().values().map(|b| b.len() as u64).sum()
    }

    /// Takes in every file of `other`, replacing those with the same path.
    pub fn absorb(&self, other: MemorySite) {
        let files = other.files.into_inner().unwrap_or_else(|e| e.into_inner());
        self.lock().extend(files);
    }

    /// Becomes `other`, whole.
    pub fn replace_with(&self, other: MemorySite) {
        let files = other.files.into_inner().unwrap_or_else(|e| e.into_inner());
        *self.lock() = files;
    }

    /// Every file, for tests and for writing the site out.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        self.lock()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_ref().clone()))
            .collect()
    }
}

impl Sink for MemorySite {
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), WriteError> {
        safe_rel(rel)?;
        self.lock()
            .insert(rel.to_string(), Arc::new(bytes.to_vec()));
        Ok(())
    }

    fn put_with(&self, rel: &str, write: &mut Producer<'_>) -> Result<Written, WriteError> {
        safe_rel(rel)?;
        let mut bytes = Vec::new();
        write(&mut bytes).map_err(|e| io_err(Path::new(rel), e))?;
        let written = Written::of(&bytes);
        self.lock().insert(rel.to_string(), Arc::new(bytes));
        Ok(written)
    }

    fn copy_to(&self, rel: &str, out: &mut dyn Write) -> Result<u64, WriteError> {
        let bytes = self.shared(rel).ok_or_else(|| WriteError {
            path: PathBuf::from(rel),
            message: "not written".to_string(),
        })?;
        out.write_all(&bytes)
            .map_err(|e| io_err(Path::new(rel), e))?;
        Ok(bytes.len() as u64)
    }

    fn read(&self, rel: &str) -> Result<Vec<u8>, WriteError> {
        self.get(rel).ok_or_else(|| WriteError {
            path: PathBuf::from(rel),
            message: "not written".to_string(),
        })
    }
}

/// Checks that `rel` stays inside the output: no empty, `.` or `..` parts.
fn safe_rel(rel: &str) -> Result<(), WriteError> {
    for part in rel.split('/') {
        if part.is_empty() || part == "." || part == ".." || part.contains('\\') {
            return Err(WriteError {
                path: PathBuf::from(rel),
                message: "not a safe relative path for an output file".to_string(),
            });
        }
    }
    Ok(())
}

impl Drop for Staging {
    /// Removes the staging folder, unless it is no longer this build's
    /// (someone else's folder under the same name is theirs).
    fn drop(&mut self) {
        if !self.committed && self.guard.is_mine() {
            let _ = swap::remove_tree(&self.dir);
        }
    }
}

#[cfg(test)]
mod identity_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_foreign_folders_and_accepts_marked_ones() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("public");
        assert!(check_output(&out).is_ok());
        fs::create_dir_all(&out).expect("mkdir");
        assert!(check_output(&out).is_ok(), "an empty folder is fine");
        fs::write(out.join("keep.txt"), "mine").expect("write");
        assert!(check_output(&out).is_err());
        fs::write(out.join(MARKER), "").expect("write");
        assert!(check_output(&out).is_ok());
    }

    #[test]
    fn staging_replaces_the_output_only_on_commit() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("public");
        let s = Staging::new(&out, false).expect("staging");
        s.put("a/b.txt", b"1").expect("put");
        assert!(s.put("../x", b"1").is_err());
        drop(s);
        assert!(!out.exists(), "nothing written without commit");
        let s = Staging::new(&out, false).expect("staging");
        s.put("a/b.txt", b"2").expect("put");
        s.commit().expect("commit");
        assert_eq!(fs::read(out.join("a/b.txt")).expect("read"), b"2");
        assert!(out.join(MARKER).is_file());
        let leftovers: Vec<_> = fs::read_dir(tmp.path()).expect("ls").collect();
        assert_eq!(leftovers.len(), 1, "no staging folders left behind");
    }

    #[cfg(unix)]
    #[test]
    fn a_rebuild_links_unchanged_files_and_never_writes_into_the_old_output() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("public");
        let s = Staging::new(&out, false).expect("staging");
        for (rel, text) in [
            ("same.html", "same"),
            ("changed.html", "old!"),
            ("twice.html", "t"),
            ("streamed.csv", "s"),
        ] {
            s.put(rel, text.as_bytes()).expect("put");
        }
        let json = |w: &mut Out<'_>| w.write_all(b"{}");
        s.put_with("data.json", &mut json.clone())
            .expect("put_with");
        s.commit().expect("commit");
        let ino = |rel: &str| fs::metadata(out.join(rel)).expect("stat").ino();
        let before = [ino("same.html"), ino("changed.html"), ino("data.json")];

        let s = Staging::new(&out, false).expect("staging");
        s.put("same.html", b"same").expect("put");
        s.put("changed.html", b"new!").expect("put");
        // Linked first, then written again with other bytes in the same build.
        s.put("twice.html", b"t").expect("put");
        s.put("twice.html", b"u").expect("put");
        let written = s
            .put_with("data.json", &mut json.clone())
            .expect("put_with");
        assert_eq!(written, Written::of(b"{}"));
        s.put("streamed.csv", b"s").expect("put");
        s.put_with("streamed.csv", &mut |w: &mut Out<'_>| w.write_all(b"v"))
            .expect("put_with");
        // Until the commit, the old output is untouched.
        assert_eq!(fs::read(out.join("changed.html")).expect("read"), b"old!");
        assert_eq!(fs::read(out.join("twice.html")).expect("read"), b"t");
        assert_eq!(fs::read(out.join("streamed.csv")).expect("read"), b"s");
        s.commit().expect("commit");
        assert_eq!(fs::read(out.join("same.html")).expect("read"), b"same");
        assert_eq!(fs::read(out.join("changed.html")).expect("read"), b"new!");
        assert_eq!(fs::read(out.join("twice.html")).expect("read"), b"u");
        assert_eq!(fs::read(out.join("streamed.csv")).expect("read"), b"v");
        assert_eq!(
            ino("same.html"),
            before[0],
            "an unchanged file is the same file"
        );
        assert_ne!(ino("changed.html"), before[1]);
        assert_eq!(ino("data.json"), before[2], "small streamed files too");
        assert_eq!(
            fs::metadata(out.join("same.html")).expect("stat").nlink(),
            1
        );

        // A file with another name elsewhere is never shared.
        fs::hard_link(out.join("same.html"), tmp.path().join("elsewhere")).expect("link");
        let s = Staging::new(&out, false).expect("staging");
        s.put("same.html", b"same").expect("put");
        s.commit().expect("commit");
        assert_ne!(ino("same.html"), before[0]);
    }

    /// Writes `bytes` in uneven pieces, some larger than the buffer.
    fn produce(bytes: &[u8]) -> impl FnMut(&mut Out<'_>) -> io::Result<()> + '_ {
        move |w| {
            let mut rest = bytes;
            for size in [0, 1, 7, 100_000, 3].into_iter().cycle() {
                if rest.is_empty() {
                    return Ok(());
                }
                let (now, later) = rest.split_at(size.min(rest.len()));
                w.write_all(now)?;
                rest = later;
            }
            Ok(())
        }
    }

    fn sample_bytes() -> Vec<u8> {
        // Larger than SMALL: streamed to the file, not held whole.
        (0..(SMALL as u32 + 300_000))
            .map(|i| (i * 7 + i / 1000) as u8)
            .collect()
    }

    #[test]
    fn streamed_files_have_the_size_and_sha256_of_their_bytes() {
        // sha256sum of "abc", the standard test vector.
        assert_eq!(
            Written::of(b"abc").sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let bytes = sample_bytes();
        let expected = Written {
            size: bytes.len() as u64,
            sha256: hex(&Sha256::digest(&bytes)),
        };
        let tmp = tempfile::tempdir().expect("tempdir");
        let staging = Staging::new(&tmp.path().join("public"), false).expect("staging");
        let memory = MemorySite::new();
        for sink in [&staging as &dyn Sink, &memory] {
            let written = sink
                .put_with("data/big.bin", &mut produce(&bytes))
                .expect("written");
            assert_eq!(written, expected);
            assert_eq!(sink.read("data/big.bin").expect("read"), bytes);
            let mut back = Vec::new();
            let n = sink.copy_to("data/big.bin", &mut back).expect("copy");
            assert_eq!((n, back), (bytes.len() as u64, bytes.clone()));

            let empty = sink
                .put_with("empty.txt", &mut |_: &mut Out<'_>| Ok(()))
                .expect("written");
            assert_eq!(empty, Written::of(b""));
            assert_eq!(
                empty.sha256,
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            );
        }
        // The file on disk is what sha256sum reads.
        let on_disk = fs::read(staging.dir().join("data/big.bin")).expect("read");
        assert_eq!(Written::of(&on_disk), expected);
        assert_eq!(staging.bytes(), MARKER_TEXT.len() as u64 + expected.size);
        assert_eq!(staging.files(), 3);
    }

    #[test]
    fn streaming_errors_name_the_file() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let staging = Staging::new(&tmp.path().join("public"), false).expect("staging");
        let memory = MemorySite::new();
        for sink in [&staging as &dyn Sink, &memory] {
            let e = sink
                .put_with("data/x.csv", &mut |w: &mut Out<'_>| {
                    w.write_all(b"a,b\n")?;
                    Err(io::Error::other("the disk is full"))
                })
                .expect_err("fails");
            assert!(e.path.ends_with("data/x.csv"), "{e}");
            assert!(e.to_string().contains("the disk is full"), "{e}");
            assert!(sink.put_with("../x", &mut produce(b"1")).is_err());
            let e = sink
                .copy_to("data/missing.csv", &mut Vec::new())
                .expect_err("not written");
            assert!(e.path.ends_with("data/missing.csv"), "{e}");
        }
    }

    #[test]
    fn staging_of_killed_builds_is_cleaned_up_and_live_ones_kept() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("public");
        // A killed build: its lock file is there, nobody holds it.
        let dead = tmp.path().join(".public.staging-00000000deadbeef");
        fs::create_dir_all(dead.join("x")).expect("mkdir");
        fs::write(dead.join(LOCK), "00000000deadbeef\n").expect("lock");
        let other = tmp.path().join(".public.staging-notes");
        fs::create_dir_all(&other).expect("mkdir");
        let live = Staging::new(&out, false).expect("staging");
        assert!(!dead.exists(), "a dead build's staging is removed");
        assert!(
            other.exists(),
            "a recent folder without a lock is left alone"
        );
        // A second build while the first runs leaves the first's folder.
        let second = Staging::new(&out, false).expect("staging");
        assert!(live.dir().is_dir(), "a live build's staging is kept");
        assert_ne!(live.dir(), second.dir());
        drop(second);
        live.commit().expect("commit");
        assert!(!out.join(LOCK).exists(), "the lock file is not published");
    }
}
