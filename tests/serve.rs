//! `minhbach serve` end to end, on 127.0.0.1 only: a page is served, an
//! edit is served again within two seconds with a reload event, an error
//! shows in the overlay and goes once fixed, Ctrl-C stops cleanly.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

/// Kills the server if the test fails half-way.
struct Server {
    child: Child,
    lines: Receiver<String>,
    log: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Waits for a line of stderr containing `needle`.
    fn wait_for(&mut self, needle: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(l) => {
                    self.log.push(l.clone());
                    if l.contains(needle) {
                        return l;
                    }
                }
                Err(_) => break,
            }
        }
        panic!(
            "no line with {needle:?}; stderr so far:\n{}",
            self.log.join("\n")
        );
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.expect("walk");
        let dest = to.join(e.path().strip_prefix(from).expect("prefix"));
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).expect("mkdir");
        } else {
            fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

fn files(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().display().to_string())
        .collect()
}

/// GET over HTTP/1.1 from 127.0.0.1: status and body.
fn get(port: u16, path: &str) -> (u16, String) {
    get_from(port, path, &format!("127.0.0.1:{port}"))
}

/// GET with the given Host header.
fn get_from(port: u16, path: &str, host: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, body.to_string())
}

/// Opens the event stream; what arrives is sent on the channel.
fn events(port: u16) -> Receiver<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        s,
        "GET /__minhbach/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("send");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = s.read(&mut buf) {
            if n == 0
                || tx
                    .send(String::from_utf8_lossy(&buf[..n]).into_owned())
                    .is_err()
            {
                break;
            }
        }
    });
    rx
}

fn wait_event(rx: &Receiver<String>, seen: &mut String, event: &str, within: Duration) {
    let deadline = Instant::now() + within;
    while !seen.contains(event) {
        let Some(left) = deadline.checked_duration_since(Instant::now()) else {
            panic!("no {event:?} within {within:?}; got {seen:?}");
        };
        if let Ok(chunk) = rx.recv_timeout(left) {
            seen.push_str(&chunk);
        }
    }
}

/// Fetches `path` until `ok` holds of the body, for at most `within`.
fn poll(port: u16, path: &str, within: Duration, ok: impl Fn(&str) -> bool) -> (String, Duration) {
    let start = Instant::now();
    loop {
        let (_, body) = get(port, path);
        if ok(&body) {
            return (body, start.elapsed());
        }
        assert!(
            start.elapsed() < within,
            "{path} did not change within {within:?}; last body:\n{body}"
        );
        thread::sleep(Duration::from_millis(25));
    }
}

#[test]
fn serve_rebuilds_reloads_and_shows_errors() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("site");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good-minimal"),
        &root,
    );
    let before = files(tmp.path());

    // A port that is taken: serve says so and takes the next free one.
    let busy = TcpListener::bind(("127.0.0.1", 0)).expect("bind");
    let busy_port = busy.local_addr().expect("addr").port();
    let child = Command::new(env!("CARGO_BIN_EXE_minhbach"))
        .args(["serve", "--root"])
        .arg(&root)
        .args(["--port", &busy_port.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let (tx, lines) = mpsc::channel();
    let mut server = Server {
        child,
        lines,
        log: Vec::new(),
    };
    let stderr = server.child.stderr.take().expect("stderr");
    thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    server.wait_for(
        &format!("port {busy_port} is busy"),
        Duration::from_secs(30),
    );
    let line = server.wait_for("serving http://127.0.0.1:", Duration::from_secs(120));
    let port: u16 = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .expect("a port in the line");
    assert_ne!(port, busy_port);
    drop(busy);

    let page = "/agencies/so-tu-phap/";
    let (status, body) = get(port, page);
    assert_eq!(status, 200);
    assert!(body.contains("1.045"), "{body}");
    assert!(body.contains("<script src=\"/__minhbach/reload.js\" defer></script>"));
    assert!(!body.contains("minhbach-overlay"));
    // DNS rebinding: another name for this address is not answered.
    for host in [
        format!("evil.example:{port}"),
        format!("127.0.0.1:{}", port ^ 1),
    ] {
        let (status, body) = get_from(port, page, &host);
        assert_eq!(status, 421, "{host}: {body}");
    }
    assert_eq!(get_from(port, page, &format!("localhost:{port}")).0, 200);
    // A client that connects and sends nothing blocks no one.
    let stalled = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let start = Instant::now();
    assert_eq!(get(port, page).0, 200);
    assert!(start.elapsed() < Duration::from_secs(5));
    drop(stalled);
    let (status, js) = get(port, "/__minhbach/reload.js");
    assert_eq!(status, 200);
    assert!(js.contains("EventSource(\"/__minhbach/events\")"));
    assert_eq!(get(port, "/agencies/nobody/").0, 404);

    // An edit is served within two seconds, and open pages are told to reload.
    let stream = events(port);
    let mut seen = String::new();
    wait_event(&stream, &mut seen, "retry:", Duration::from_secs(5));
    let report = root.join("data/reports/2022/so-tu-phap.yaml");
    let text = fs::read_to_string(&report).expect("read");
    fs::write(
        &report,
        text.replace("dossiers_total: 1045", "dossiers_total: 98765"),
    )
    .expect("write");
    let (_, took) = poll(port, page, Duration::from_secs(2), |b| b.contains("98.765"));
    wait_event(&stream, &mut seen, "event: reload", Duration::from_secs(2));
    server.wait_for("rebuilt", Duration::from_secs(5));
    eprintln!("the edit was served after {took:?}");

    // An error: the overlay shows it, escaped; the last good site stays.
    fs::write(
        &report,
        text.replace("dossiers_total: 1045", "dossiers_total: \"<b>1.045</b>\""),
    )
    .expect("write");
    let (body, _) = poll(port, page, Duration::from_secs(5), |b| {
        b.contains("id=\"minhbach-overlay\"")
    });
    assert!(
        body.contains("data/reports/2022/so-tu-phap.yaml:2:19"),
        "{body}"
    );
    assert!(body.contains("&lt;b&gt;1.045&lt;/b&gt;"), "{body}");
    assert!(!body.contains("<b>1.045"), "escaped: {body}");
    assert!(body.contains("98.765"), "the last good site stays: {body}");
    assert!(body.contains("/__minhbach/overlay.css"));
    wait_event(&stream, &mut seen, "event: errors", Duration::from_secs(2));
    server.wait_for(
        "error[wrong-type]: data/reports/2022/so-tu-phap.yaml:2:19",
        Duration::from_secs(5),
    );

    // Fixed: the overlay goes, the new figure shows.
    fs::write(
        &report,
        text.replace("dossiers_total: 1045", "dossiers_total: 1200"),
    )
    .expect("write");
    poll(port, page, Duration::from_secs(5), |b| {
        b.contains("1.200") && !b.contains("minhbach-overlay")
    });

    // Ctrl-C stops it cleanly; nothing was written beside the site.
    #[cfg(unix)]
    {
        let pid = server.child.id().to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status();
        if sent.is_ok_and(|s| s.success()) {
            server.wait_for("stopped", Duration::from_secs(10));
            let deadline = Instant::now() + Duration::from_secs(10);
            let status = loop {
                if let Some(s) = server.child.try_wait().expect("wait") {
                    break s;
                }
                assert!(Instant::now() < deadline, "serve did not exit");
                thread::sleep(Duration::from_millis(50));
            };
            assert!(status.success(), "{status:?}");
        }
    }
    assert_eq!(files(tmp.path()), before, "serve wrote nothing to disk");
}
