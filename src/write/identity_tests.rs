//! The staging folder is the build's own; the output keeps its identity
//! (issue #18: each test fails on the write module before it).

use std::fs;
use std::path::Path;

use super::*;

fn built(out: &Path, files: &[(&str, &str)], keep: &[String]) -> Result<Published, WriteError> {
    let s = Staging::keeping(out, false, keep)?;
    for (rel, text) in files {
        s.put(rel, text.as_bytes())?;
    }
    s.commit()
}

fn staging_folders(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .expect("ls")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".staging-"))
        .collect();
    v.sort();
    v
}

#[test]
fn a_staging_folder_removed_mid_build_fails_the_build_and_publishes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    built(&out, &[("index.html", "old")], &[]).expect("first build");
    let mut s = Staging::new(&out, false).expect("staging");
    // After the third file, a clean-up job removes the folder.
    s.set_hook(Box::new(|dir: &Path, n: usize| {
        if n == 3 {
            fs::remove_dir_all(dir).expect("rm");
        }
    }));
    s.put("a.html", b"a").expect("put");
    s.put("b.html", b"b").expect("put");
    let e = s
        .put("c/d.html", b"d")
        .and_then(|()| s.put("e/f.html", b"f"));
    let e = e.expect_err("a write after the removal fails");
    assert!(e.message.contains("removed during the build"), "{e}");
    assert!(!s.dir().exists(), "the staging folder is not recreated");
    let e = s.commit().expect_err("nothing to commit");
    assert!(e.message.contains("nothing was published"), "{e}");
    assert_eq!(
        fs::read_to_string(out.join("index.html")).expect("read"),
        "old"
    );
    assert!(out.join(MARKER).is_file(), "the output keeps its mark");
}

#[test]
fn a_staging_folder_replaced_mid_build_is_not_published_nor_deleted() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    let mut s = Staging::new(&out, false).expect("staging");
    s.set_hook(Box::new(|dir: &Path, n: usize| {
        if n == 2 {
            // Another build removes it and makes its own under the name.
            fs::remove_dir_all(dir).expect("rm");
            fs::create_dir(dir).expect("mkdir");
            fs::write(dir.join("theirs.txt"), "theirs").expect("write");
        }
    }));
    s.put("a.html", b"a").expect("put");
    let _ = s.put("b.html", b"b");
    let dir = s.dir().to_path_buf();
    let e = s.commit().expect_err("not ours any more");
    assert!(e.message.contains("nothing was published"), "{e}");
    assert!(!out.exists(), "nothing was published");
    assert!(
        dir.join("theirs.txt").is_file(),
        "the other folder is left alone"
    );
}

#[test]
fn a_file_missing_against_the_manifest_fails_the_commit() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    let mut s = Staging::new(&out, false).expect("staging");
    s.set_hook(Box::new(|dir: &Path, n: usize| {
        if n == 3 {
            fs::remove_file(dir.join("a.html")).expect("rm");
        }
    }));
    s.put("a.html", b"a").expect("put");
    s.put("b/c.html", b"c").expect("put");
    let e = s.commit().expect_err("a.html is missing");
    assert!(e.message.contains("missing"), "{e}");
    assert!(!out.exists());
}

#[test]
fn files_added_or_changed_in_the_staging_folder_fail_the_commit_naming_the_first() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    let mut s = Staging::new(&out, false).expect("staging");
    s.set_hook(Box::new(|dir: &Path, n: usize| {
        if n == 4 {
            // Someone else's file deep down, and one of ours rewritten.
            fs::write(dir.join("x/y/z/theirs.html"), "theirs").expect("write");
            fs::write(dir.join("b/c.html"), "longer than before").expect("write");
        }
    }));
    s.put("a.html", b"a").expect("put");
    s.put("b/c.html", b"c").expect("put");
    s.put("x/y/z/d.html", b"d").expect("put");
    s.put("x/y/z/e.html", b"e").expect("put");
    let e = s
        .commit()
        .expect_err("the folder holds a file the build did not write");
    // Of the two problems, the first path is reported: b/c.html.
    assert!(e.path.ends_with("b/c.html"), "{}", e.path.display());
    assert!(e.message.contains("changed during the build"), "{e}");
    assert!(!out.exists());
}

#[test]
fn a_file_added_deep_in_the_staging_folder_fails_the_commit() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    let mut s = Staging::new(&out, false).expect("staging");
    s.set_hook(Box::new(|dir: &Path, n: usize| {
        if n == 3 {
            fs::write(dir.join("x/y/theirs.html"), "theirs").expect("write");
        }
    }));
    s.put("a.html", b"a").expect("put");
    s.put("x/y/d.html", b"d").expect("put");
    let e = s
        .commit()
        .expect_err("the folder holds a file the build did not write");
    assert!(e.path.ends_with("x/y/theirs.html"), "{}", e.path.display());
    assert!(e.message.contains("was not written by this build"), "{e}");
    assert!(!out.exists());
}

#[test]
fn many_folders_verify_and_publish() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    let s = Staging::new(&out, false).expect("staging");
    for a in 0..40 {
        for f in 0..5 {
            s.put(
                &format!("d{a}/e{}/f{f}.html", a % 3),
                format!("{a}-{f}").as_bytes(),
            )
            .expect("put");
        }
    }
    s.commit().expect("every file is the build's own");
    assert_eq!(
        fs::read_to_string(out.join("d39/e0/f4.html")).expect("read"),
        "39-4"
    );
    assert!(!out.join(LOCK).exists());
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_stays_a_link_switched_to_the_new_build() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let releases = tmp.path().join("releases");
    fs::create_dir_all(releases.join("2024")).expect("mkdir");
    let out = tmp.path().join("public");
    std::os::unix::fs::symlink("releases/2024", &out).expect("link");
    built(&out, &[("index.html", "one")], &[]).expect("first build");
    assert!(out.is_symlink(), "still a link after the first build");
    fs::write(out.join("CNAME"), "example.org").expect("cname");
    let first = fs::canonicalize(&out).expect("target");
    let p = built(&out, &[("index.html", "two")], &["CNAME".into()]).expect("second build");
    assert_eq!(p.how, "link switched");
    assert!(out.is_symlink(), "still a link after the second build");
    let link = fs::read_link(&out).expect("readlink");
    assert!(
        link.is_relative(),
        "a relative link stays relative: {link:?}"
    );
    assert_eq!(
        fs::read_to_string(out.join("index.html")).expect("read"),
        "two"
    );
    assert_eq!(
        fs::read_to_string(out.join("CNAME")).expect("read"),
        "example.org"
    );
    assert!(!first.exists(), "the previous build is removed");
    assert_eq!(staging_folders(&releases), Vec::<String>::new());
    assert!(!out.join(LOCK).exists());
}

#[cfg(unix)]
#[test]
fn git_and_kept_paths_survive_and_owner_and_mode_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    built(&out, &[("index.html", "one"), ("old.html", "x")], &[]).expect("first build");
    fs::create_dir_all(out.join(".git")).expect("git");
    fs::write(out.join(".git/HEAD"), "ref: refs/heads/gh-pages").expect("head");
    fs::write(out.join("CNAME"), "example.org").expect("cname");
    fs::create_dir_all(out.join(".well-known")).expect("wk");
    fs::write(out.join(".well-known/security.txt"), "Contact: x").expect("sec");
    fs::create_dir_all(out.join("uploads/2024")).expect("uploads");
    fs::write(out.join("uploads/2024/a.pdf"), "pdf").expect("pdf");
    fs::set_permissions(&out, fs::Permissions::from_mode(0o750)).expect("chmod");
    let keep: Vec<String> = ["CNAME", ".nojekyll", ".well-known", "uploads/2024"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let p = built(&out, &[("index.html", "two")], &keep).expect("second build");
    assert_eq!(p.how, "swapped");
    assert!(p.notes.is_empty(), "{:?}", p.notes);
    assert_eq!(
        fs::read_to_string(out.join("index.html")).expect("read"),
        "two"
    );
    assert!(!out.join("old.html").exists(), "stale files go");
    assert_eq!(
        fs::read_to_string(out.join(".git/HEAD")).expect("read"),
        "ref: refs/heads/gh-pages"
    );
    assert_eq!(
        fs::read_to_string(out.join("CNAME")).expect("read"),
        "example.org"
    );
    assert!(out.join(".well-known/security.txt").is_file());
    assert!(
        out.join("uploads/2024/a.pdf").is_file(),
        "a nested kept path"
    );
    let mode = fs::metadata(&out).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode, 0o750, "the mode is kept");
    assert_eq!(staging_folders(tmp.path()), Vec::<String>::new());
}

#[test]
fn a_folder_with_only_git_and_kept_paths_is_not_foreign() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    fs::create_dir_all(out.join(".git")).expect("git");
    fs::write(out.join("CNAME"), "example.org").expect("cname");
    built(&out, &[("index.html", "one")], &["CNAME".into()]).expect("a gh-pages worktree");
    assert!(out.join(".git").is_dir());
    assert!(out.join("CNAME").is_file());
    fs::write(out.join("mine.txt"), "x").expect("write");
    fs::remove_file(out.join(MARKER)).expect("rm");
    assert!(
        built(&out, &[("index.html", "two")], &[]).is_err(),
        "foreign now"
    );
}

#[cfg(unix)]
#[test]
fn in_place_replacement_keeps_the_folder_and_removes_stale_files_last() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("public");
    built(
        &out,
        &[("index.html", "one"), ("a/old.html", "x"), ("b", "file")],
        &[],
    )
    .expect("build");
    fs::create_dir_all(out.join(".git")).expect("git");
    fs::write(out.join("CNAME"), "example.org").expect("cname");
    let ino = fs::metadata(&out).expect("stat").ino();
    let s = Staging::new(&out, false).expect("staging");
    s.put("index.html", b"two").expect("put");
    s.put("b/c.html", b"now a folder").expect("put");
    s.put("n/new.html", b"new").expect("put");
    let dir = s.dir().to_path_buf();
    let p = swap::in_place(&dir, &out, &[".git".into(), "CNAME".into()]).expect("in place");
    assert_eq!(p.how, "replaced in place");
    assert_eq!(
        fs::metadata(&out).expect("stat").ino(),
        ino,
        "the same folder"
    );
    assert_eq!(
        fs::read_to_string(out.join("index.html")).expect("read"),
        "two"
    );
    assert_eq!(
        fs::read_to_string(out.join("b/c.html")).expect("read"),
        "now a folder"
    );
    assert!(out.join("n/new.html").is_file());
    assert!(!out.join("a").exists(), "stale files and folders go");
    assert!(out.join(".git").is_dir() && out.join("CNAME").is_file());
    assert!(!dir.exists(), "the staging folder is removed");
    let leftovers: Vec<_> = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".mb-tmp-"))
        .collect();
    assert!(leftovers.is_empty());
    std::mem::forget(s);
}
